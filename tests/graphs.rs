//! Graphs that do not mislead: a party-level edge per kind of relation, as wide as its
//! share; the demand-level graph packed as a grid of clusters, not one long strip.

use std::process::Command;

fn run(args: &[&str]) -> String {
    crate::support::stdout_of(&[&["--as-of", "2026-02-20"], args].concat())
}

/// The value of `attribute=` in a DOT attribute list.
fn attribute<'a>(line: &'a str, attribute: &str) -> Option<&'a str> {
    let start = [" ", "["]
        .iter()
        .find_map(|before| line.find(&format!("{before}{attribute}=")))?
        + attribute.len()
        + 2;
    let rest = &line[start..];
    let end = rest.find([',', ']']).unwrap_or(rest.len());
    Some(rest[..end].trim_matches('"'))
}

#[test]
fn party_edges_show_every_relation_by_its_share() {
    let dot = run(&["graph"]);
    let matrix = run(&["matrix", "--format", "csv"]);
    let ru_ua = matrix
        .lines()
        .find(|l| l.starts_with("russia,ukraine,"))
        .expect("russia and ukraine");
    let counts: Vec<f64> = ru_ua.split(',').skip(2).map(|n| n.parse().expect("a count")).collect();
    let total: f64 = counts.iter().sum();
    let names = run(&["parties", "--format", "csv"]);
    let index = |id: &str| {
        names
            .lines()
            .skip(1)
            .position(|l| l.starts_with(&format!("{id},")))
            .expect("a party")
    };
    let edge = format!("  n{} -- n{} ", index("russia"), index("ukraine"));
    let edges: Vec<&str> = dot.lines().filter(|l| l.starts_with(&edge)).collect();
    assert_eq!(edges.len(), 3, "{edges:#?}");
    for (line, (kind, n)) in edges
        .iter()
        .zip(["overlap", "conflict", "irreconcilable"].iter().zip(&counts))
    {
        assert_eq!(attribute(line, "class"), Some(*kind), "{line}");
        assert_eq!(attribute(line, "label"), Some(format!("{n} {kind}").as_str()), "{line}");
        let width: f64 = attribute(line, "penwidth").expect("a width").parse().expect("a number");
        let expected = 1.0 + 7.0 * n / total;
        let expected = if *kind == "irreconcilable" {
            (expected / 2.0).max(1.0)
        } else {
            expected
        };
        assert!((width - expected).abs() < 0.051, "{line}: {width} against {expected}");
    }
    // Conflict is most of Russia and Ukraine's relations: its line is the widest.
    let widths: Vec<f64> = edges
        .iter()
        .map(|l| attribute(l, "penwidth").and_then(|w| w.parse().ok()).unwrap_or(0.0))
        .collect();
    assert!(widths[1] > widths[0] && widths[1] > 2.0 * widths[2], "{widths:?}");

    // Mermaid draws the same edges, each with a width by its share.
    let mermaid = run(&["graph", "--format", "mermaid"]);
    let links = mermaid.lines().filter(|l| l.contains("|\"")).count();
    assert_eq!(links, dot.lines().filter(|l| l.contains(" -- ")).count());
    assert!(mermaid.contains("|\"32 conflict\"|"), "{mermaid}");
    assert!(mermaid.contains("stroke-width:6px"), "{mermaid}");
}

#[test]
#[cfg_attr(
    missing_graphviz,
    ignore = "needs Graphviz, which is not installed (.ci/run installs it)"
)]
fn the_demand_graph_is_a_grid_not_a_strip() {
    let dot = run(&["graph", "--level", "demand"]);
    assert!(dot.contains("layout=osage"), "{}", &dot[..400]);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = dir.path().join("graph.dot");
    std::fs::write(&input, &dot).expect("written");
    let out = Command::new("dot").arg("-Tsvg").arg(&input).output().expect("dot runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8_lossy(&out.stdout);
    let size = |name: &str| -> f64 {
        let start = svg.find(&format!(" {name}=\"")).expect("a size") + name.len() + 3;
        svg[start..]
            .split('p')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("points")
    };
    let (width, height) = (size("width"), size("height"));
    // The strip it was: 24,000 pixels wide and 800 high.
    assert!(width < 6000.0, "{width} × {height}");
    assert!(width / height < 5.0, "{width} × {height}");
}
