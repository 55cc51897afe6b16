//! Every table says what it is: a title line with the corpus and the date, totals, and a
//! note when the date is after the corpus's latest statement. CSV and JSON do not.

use crate::support::root;

fn stdout(args: &[&str]) -> String {
    crate::support::stdout_of(args)
}

#[test]
fn a_table_names_its_corpus_date_and_total() {
    let text = stdout(&["--as-of", "2026-01-15", "pairs"]);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("Pairs of demands · built-in corpus · as of 2026-01-15 · "),
        "{first}"
    );
    assert!(first.ends_with(" pairs"), "{first}");
    let text = stdout(&["--as-of", "2026-01-15", "demands"]);
    let first = text.lines().next().unwrap_or_default();
    assert!(first.contains("(china "), "per-party counts: {first}");
    // Before the latest statement, no note.
    assert!(!text.contains("latest statement"), "{text}");
}

#[test]
fn a_directory_is_named_never_its_path() {
    let dir = root().join("tests/fixtures/snapshot");
    let dir = dir.to_str().expect("UTF-8");
    let text = stdout(&["--corpus", dir, "--as-of", "2023-01-01", "parties"]);
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(first, "Parties · corpus snapshot · as of 2023-01-01 · 3 parties");
    assert!(!text.contains(dir), "{text}");
}

#[test]
fn a_date_after_the_corpus_says_so() {
    let text = stdout(&["--as-of", "2030-01-01", "issues"]);
    let second = text.lines().nth(1).unwrap_or_default();
    assert!(second.starts_with("(latest statement in the corpus: 20"), "{text}");
}

#[test]
fn machine_formats_have_no_title() {
    for format in ["csv", "json"] {
        let text = stdout(&["--as-of", "2030-01-01", "parties", "--format", format]);
        assert!(
            !text.contains("built-in corpus") && !text.contains("latest statement"),
            "{text}"
        );
    }
}

#[test]
fn counts_are_pluralised() {
    let text = stdout(&[
        "--as-of",
        "2026-01-15",
        "pairs",
        "--parties",
        "china,uk",
        "--relation",
        "irreconcilable",
    ]);
    assert!(!text.contains("(s)"), "{text}");
    let text = stdout(&["--as-of", "2026-01-15", "diff", "russia", "ukraine"]);
    assert!(!text.contains("(s)"), "{text}");
    let dir = root().join("tests/fixtures/snapshot");
    let text = stdout(&["--corpus", dir.to_str().expect("UTF-8"), "check"]);
    assert!(text.contains(" 1 plan;"), "{text}");
}
