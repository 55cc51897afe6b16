//! The obvious questions get answers: one party against all, filters on `pairs` and
//! `diff`, and usage errors (exit 2) for what cannot be meant.

use crate::support::positions;

fn csv(args: &[&str]) -> Vec<Vec<String>> {
    let out = crate::support::stdout_of(&[&["--as-of", "2026-02-20", "--format", "csv"], args].concat());
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    reader
        .records()
        .map(|r| r.expect("a record").iter().map(String::from).collect())
        .collect()
}

/// The command fails (exit 1) and says `text` on stderr.
fn fails_with(args: &[&str], text: &str) {
    let out = positions().args(args).output().expect("run");
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(text), "{args:?}: {stderr}");
}

#[test]
fn one_party_means_that_party_against_every_other() {
    let pairs = csv(&["pairs", "--parties", "russia"]);
    assert!(!pairs.is_empty());
    assert!(pairs.iter().all(|r| r[0] == "russia" || r[3] == "russia"));
    let mut others: Vec<&str> = pairs.iter().map(|r| r[3].as_str()).collect();
    others.dedup();
    assert_eq!(others.len(), 6, "{others:?}");
    // The same pairs as naming every party, less those without Russia.
    let all = csv(&["pairs"]);
    let with_russia = all.iter().filter(|r| r[0] == "russia" || r[3] == "russia").count();
    assert_eq!(pairs.len(), with_russia);

    let matrix = csv(&["matrix", "--parties", "russia"]);
    assert_eq!(matrix.len(), 6);
    assert!(matrix.iter().all(|r| r[0] == "russia"));
    let align = csv(&["align", "--parties", "ru"]);
    assert_eq!(align.len(), 6);
    assert!(align.iter().all(|r| r[1] == "russia"));
}

#[test]
fn pairs_by_issue_and_diff_by_relation() {
    let pairs = csv(&["pairs", "--issue", "crimea-status"]);
    assert!(!pairs.is_empty());
    assert!(pairs.iter().all(|r| r[2] == "crimea-status" || r[5] == "crimea-status"));
    let diff = csv(&["diff", "russia", "ukraine", "--relation", "irreconcilable"]);
    assert!(!diff.is_empty());
    assert!(diff.iter().all(|r| r[5] == "irreconcilable"), "{diff:?}");
    fails_with(&["pairs", "--issue", "crimea"], "crimea-status");
}

#[test]
fn what_cannot_be_meant_is_a_usage_error() {
    for args in [
        &["pairs", "--parties", "russia,ru"][..],
        &["matrix", "--parties", "us,eu,us"],
        &["demands", "russia", "russia"],
        &["changes", "--from", "2025-01-01", "--to", "2024-01-01"],
        &["demands", "--match", "(unclosed"],
    ] {
        positions().args(args).assert().code(2);
    }
}

#[test]
fn a_prefix_of_known_ids_gets_suggestions() {
    fails_with(&["show", "ru-crimea"], "did you mean");
    fails_with(&["plan", "us-28"], "us-28-point-plan-2025");
    fails_with(&["issue", "donetsk"], "donetsk-status");
}

#[test]
fn a_demand_matrix_of_one_party_is_that_party_against_every_other() {
    let one = csv(&["matrix", "--level", "demand", "--parties", "russia"]);
    let demands = csv(&["demands"]);
    let of = |party: &str| -> Vec<String> { demands.iter().filter(|r| r[0] == party).map(|r| r[1].clone()).collect() };
    // The rows: Russia's demands, each with a cell for every other party's demand.
    let rows: Vec<String> = one.iter().map(|r| r[0].clone()).collect();
    assert_eq!(rows, of("russia"));
    let others = demands.iter().filter(|r| r[0] != "russia").count();
    assert!(one.iter().all(|r| r.len() == others + 1));
    // The same relations as in the whole matrix.
    let all = positions()
        .args([
            "--as-of",
            "2026-02-20",
            "--format",
            "csv",
            "matrix",
            "--level",
            "demand",
        ])
        .output()
        .expect("run");
    let mut reader = csv::Reader::from_reader(&all.stdout[..]);
    let header: Vec<String> = reader.headers().expect("a header").iter().map(String::from).collect();
    let whole: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("a record").iter().map(String::from).collect())
        .collect();
    let first = &one[0];
    let row = whole.iter().find(|r| r[0] == first[0]).expect("the row");
    let others: Vec<&String> = demands.iter().filter(|r| r[0] != "russia").map(|r| &r[1]).collect();
    for (i, id) in others.iter().enumerate() {
        let column = header.iter().position(|h| h == *id).expect("a column");
        assert_eq!(first[i + 1], row[column], "{} × {id}", first[0]);
    }
    assert!(first.iter().skip(1).any(|c| c == "conflict"), "{first:?}");
}
