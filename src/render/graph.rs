//! Graphs of relations as Graphviz DOT or as a Mermaid flowchart.
//!
//! Corpus text only ever appears inside quoted labels, escaped for the language: DOT
//! escapes `"` and `\`; Mermaid writes every character that could end a label, start an
//! entity or become HTML (`"`, `#`, `<`, `&`, `|`, …) as a `#code;` entity. Node ids in
//! the output are made up (`n0`, `n1`, …), so no id can collide with a keyword.

use std::io::{self, Write};

use super::escape;
use crate::model::RelationKind;

/// Nodes, optional clusters, and undirected edges styled by the kind of relation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    /// A caption: what the graph shows and its date.
    pub caption: String,
    pub clusters: Vec<Cluster>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Lines of the label, first line in bold where the format allows.
    pub lines: Vec<String>,
    /// Index into `clusters`.
    pub cluster: Option<usize>,
    /// Drawn with a double border (a red-line demand).
    pub emphasis: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: RelationKind,
    pub label: Option<String>,
    /// The share of the pair's relations this edge stands for (party level), which sets
    /// its width; `None` for an edge that is one relation.
    pub share: Option<f64>,
}

/// An edge's width in points: 1 for one relation, 1 to 8 by its share of a pair's.
fn width(edge: &Edge) -> f64 {
    match edge.share {
        Some(share) => 1.0 + 7.0 * share.clamp(0.0, 1.0),
        None if edge.kind == RelationKind::Irreconcilable => 3.0,
        None => 1.5,
    }
}

/// Long label lines broken at spaces, so that a demand's title does not stretch its box.
fn wrapped(line: &str, at: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in line.split(' ') {
        let last = lines.last_mut().map_or(0, |l| l.chars().count());
        if last > 0 && last + 1 + word.chars().count() > at {
            lines.push(word.to_string());
        } else if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push(' ');
            }
            l.push_str(word);
        }
    }
    lines
}

/// Colours that stay apart for most colour-blind readers; the line style tells the kind
/// apart without colour (dotted overlap, solid conflict, thick irreconcilable).
fn colour(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Overlap => "#1b7837",
        RelationKind::Conflict => "#e08214",
        RelationKind::Irreconcilable => "#b2182b",
    }
}

pub fn dot(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    let clustered = !graph.clusters.is_empty();
    writeln!(out, "graph positions {{")?;
    // Clusters are packed as a grid of grids (Graphviz's osage layout, chosen by the
    // graph itself so that `dot -Tsvg` uses it too), not ranked into one long strip.
    let layout = if clustered {
        ", layout=osage, pack=24, packmode=\"array\""
    } else {
        ""
    };
    writeln!(
        out,
        "  graph [label=\"{}\", labelloc=b, fontname=\"Helvetica\", fontsize=11, overlap=false, splines=true{layout}];",
        escape::dot(&graph.caption)
    )?;
    writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f7f7f7\", fontname=\"Helvetica\", fontsize=10];"
    )?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];")?;
    let node = |out: &mut dyn Write, index: usize, indent: &str| -> io::Result<()> {
        let n = &graph.nodes[index];
        let label: Vec<String> = n
            .lines
            .iter()
            .enumerate()
            .flat_map(|(i, l)| if i == 0 { vec![l.clone()] } else { wrapped(l, 32) })
            .map(|l| escape::dot(&l))
            .collect();
        let peripheries = if n.emphasis { ", peripheries=2" } else { "" };
        writeln!(out, "{indent}n{index} [label=\"{}\"{peripheries}];", label.join("\\n"))
    };
    let members: Vec<Vec<usize>> = (0..graph.clusters.len())
        .map(|c| {
            (0..graph.nodes.len())
                .filter(|&i| graph.nodes[i].cluster == Some(c))
                .collect()
        })
        .collect();
    for (c, cluster) in graph.clusters.iter().enumerate() {
        writeln!(out, "  subgraph cluster_{c} {{")?;
        writeln!(
            out,
            "    label=\"{}\"; packmode=\"array\"; style=\"rounded\"; color=\"#999999\";",
            escape::dot(&cluster.label)
        )?;
        for &index in &members[c] {
            node(out, index, "    ")?;
        }
        writeln!(out, "  }}")?;
    }
    for index in (0..graph.nodes.len()).filter(|&i| graph.nodes[i].cluster.is_none()) {
        node(out, index, "  ")?;
    }
    for edge in &graph.edges {
        let c = colour(edge.kind);
        // Irreconcilable is a double line, told apart without colour or width.
        let (style, color, pen) = match edge.kind {
            RelationKind::Overlap => ("dotted", c.to_string(), width(edge)),
            RelationKind::Conflict => ("solid", c.to_string(), width(edge)),
            RelationKind::Irreconcilable => ("solid", format!("{c}:#ffffff:{c}"), (width(edge) / 2.0).max(1.0)),
        };
        let label = edge
            .label
            .as_deref()
            .map(|l| format!(", label=\"{}\"", escape::dot(l)))
            .unwrap_or_default();
        writeln!(
            out,
            "  n{} -- n{} [class=\"{kind}\", color=\"{color}\", fontcolor=\"{c}\", style={style}, penwidth={pen:.1}, tooltip=\"{kind}\"{label}];",
            edge.from,
            edge.to,
            kind = edge.kind.as_str(),
        )?;
    }
    writeln!(out, "}}")
}

pub fn mermaid(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    // Clusters stacked top to bottom; parties side by side.
    let direction = if graph.clusters.is_empty() { "LR" } else { "TB" };
    writeln!(out, "flowchart {direction}")?;
    writeln!(out, "  %% {}", escape::terminal(&graph.caption))?;
    writeln!(
        out,
        "  %% dotted line: overlap; solid line: conflict; thick line: irreconcilable"
    )?;
    let node = |out: &mut dyn Write, index: usize, indent: &str| -> io::Result<()> {
        let n = &graph.nodes[index];
        let lines: Vec<String> = n.lines.iter().map(|l| escape::mermaid(l)).collect();
        let label = match lines.split_first() {
            Some((first, rest)) if !rest.is_empty() => format!("<b>{first}</b><br/>{}", rest.join("<br/>")),
            _ => lines.join("<br/>"),
        };
        // A double border for emphasis: Mermaid's subroutine shape.
        let (open, close) = if n.emphasis { ("[[", "]]") } else { ("[", "]") };
        writeln!(out, "{indent}n{index}{open}\"{label}\"{close}")
    };
    for (c, cluster) in graph.clusters.iter().enumerate() {
        writeln!(out, "  subgraph c{c}[\"{}\"]", escape::mermaid(&cluster.label))?;
        for index in (0..graph.nodes.len()).filter(|&i| graph.nodes[i].cluster == Some(c)) {
            node(out, index, "    ")?;
        }
        writeln!(out, "  end")?;
    }
    for index in (0..graph.nodes.len()).filter(|&i| graph.nodes[i].cluster.is_none()) {
        node(out, index, "  ")?;
    }
    for edge in &graph.edges {
        let link = match edge.kind {
            RelationKind::Overlap => "-.-",
            RelationKind::Conflict => "---",
            RelationKind::Irreconcilable => "===",
        };
        match &edge.label {
            Some(label) => writeln!(
                out,
                "  n{} {link}|\"{}\"| n{}",
                edge.from,
                escape::mermaid(label),
                edge.to
            )?,
            None => writeln!(out, "  n{} {link} n{}", edge.from, edge.to)?,
        }
    }
    // One style line per kind and width, listing its edges.
    let mut styles: Vec<(RelationKind, usize, Vec<String>)> = Vec::new();
    for (i, edge) in graph.edges.iter().enumerate() {
        let px = width(edge).round() as usize;
        match styles.iter_mut().find(|(k, w, _)| *k == edge.kind && *w == px) {
            Some((_, _, indices)) => indices.push(i.to_string()),
            None => styles.push((edge.kind, px, vec![i.to_string()])),
        }
    }
    styles.sort_by_key(|(kind, px, _)| (*kind as usize, *px));
    for (kind, px, indices) in styles {
        writeln!(
            out,
            "  linkStyle {} stroke:{},stroke-width:{px}px,color:{}",
            indices.join(","),
            colour(kind),
            colour(kind)
        )?;
    }
    Ok(())
}
