//! Hardening, round two: inputs that cost quadratic time or memory, text from outside
//! the corpus, files damaged or lost silently, and messages that leak the parser's
//! internals. Each case runs the real binary under the limits of `hostile` (1 GiB of
//! address space, 5 s), and each was shown to fail without the protection it tests.

use std::fmt::Write as _;
use std::fs;

use crate::hostile::{Outcome, PARTY, TIME_LIMIT, clip, run};

/// The snapshot corpus without its relations (which name demands of `azure` that the
/// cases here replace).
fn corpus() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, root) = crate::hostile::corpus();
    fs::remove_file(root.join("relations.yaml")).expect("remove relations");
    (dir, root)
}

/// A party file for `azure` with `count` demands on `issue`, each made by `wants(i)`.
fn party_with(count: usize, issue: &str, wants: impl Fn(usize) -> String) -> String {
    let mut s = String::from("party:\n  id: azure\n  name: Azure\n  kind: state\ndemands:\n");
    for i in 0..count {
        let _ = write!(
            s,
            "  - id: az-{i}\n    issue: {issue}\n    title: t\n    wants: {}\n    priority: low\n    \
             stated: 2020-01-10\n    sources:\n      - {{title: t, by: b, date: 2020-01-10, url: https://x.org}}\n",
            wants(i)
        );
    }
    s
}

fn describe(outcome: &Outcome) -> String {
    format!(
        "exit {:?} after {:?}\nstderr: {}\nstdout: {}",
        outcome.code,
        outcome.elapsed,
        clip(&outcome.stderr),
        clip(&outcome.stdout)
    )
}

/// Ends cleanly within the time limit with `code`.
fn assert_ends(outcome: &Outcome, code: i32) {
    let what = describe(outcome);
    assert!(outcome.elapsed < TIME_LIMIT, "too slow: {what}");
    assert_eq!(outcome.code, Some(code), "{what}");
    assert!(!outcome.stderr.contains("panicked"), "{what}");
}

/// 3,000 demands of one party on one issue, alternately asking for two outcomes that
/// exclude each other: 2.25 million excluding pairs. The warning is one finding about
/// their intersection, not a list of pairs (which took 800 MB and aborted at 9,000).
#[test]
fn self_exclusion_is_not_quadratic() {
    let (_dir, corpus) = corpus();
    let text = party_with(3000, "river-access", |i| {
        if i % 2 == 0 { "[open]".into() } else { "[closed]".into() }
    });
    fs::write(corpus.join(PARTY), text).expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 0);
    let warnings = outcome.stdout.matches("exclude each other").count();
    assert_eq!(warnings, 1, "{}", describe(&outcome));
    assert!(
        outcome
            .stdout
            .contains("`az-0` and `az-1` of party `azure` exclude each other")
    );
}

/// Three demands that exclude each other only together ({open, shared}, {shared,
/// closed}, {open, closed}) are found too, and the later periods of exclusion are capped.
#[test]
fn self_exclusion_without_a_pair_is_found() {
    let (_dir, corpus) = corpus();
    let sets = ["[open, shared]", "[shared, closed]", "[open, closed]"];
    let text = party_with(3, "river-access", |i| sets[i].to_string());
    fs::write(corpus.join(PARTY), text).expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 0);
    assert!(
        outcome
            .stdout
            .contains("`az-0`, `az-1` and `az-2` of party `azure` exclude each other while they are active"),
        "{}",
        describe(&outcome)
    );
}

/// An issue of 16,000 options and a party with 4,500 unknown options: each hint names
/// the closest option or the first few, never all 16,000 (72 million ids printed).
#[test]
fn unknown_option_hints_are_capped() {
    let (_dir, corpus) = corpus();
    let mut issues = fs::read_to_string(corpus.join("issues.yaml")).expect("read");
    issues.push_str("  - id: many\n    title: Many\n    category: other\n    options:\n");
    for i in 0..16_000 {
        let _ = writeln!(issues, "      - {{id: option-{i}, label: l}}");
    }
    fs::write(corpus.join("issues.yaml"), issues).expect("write");
    let bad: Vec<String> = (0..4_500).map(|i| format!("unknown-thing-{i}")).collect();
    let block: String = bad.iter().map(|b| format!("\n      - {b}")).collect();
    let text = party_with(1, "many", |_| block.clone());
    fs::write(corpus.join(PARTY), text).expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 1);
    assert_eq!(outcome.stdout.matches("unknown option `unknown-thing-").count(), 4_500);
    assert!(outcome.stdout.contains("option-0, option-1,"), "{}", describe(&outcome));
    assert!(outcome.stdout.contains("and 15988 more"), "{}", describe(&outcome));
    assert!(outcome.stdout.len() < 4_500 * 1_000, "{} bytes", outcome.stdout.len());
}

/// "Did you mean" is not computed for a name far longer than any id: a 60,000-character
/// demand id against 3,000 demands was 180 million steps of edit distance.
#[test]
fn no_suggestion_for_a_far_longer_name() {
    let (_dir, corpus) = corpus();
    let sets = ["[open]", "[shared]"];
    fs::write(
        corpus.join(PARTY),
        party_with(3000, "river-access", |i| sets[i % 2].into()),
    )
    .expect("write");
    let name = "az-0".repeat(15_000);
    let outcome = run(&corpus, &["show", &name]);
    assert_ends(&outcome, 1);
    assert!(outcome.stderr.contains("unknown demand"), "{}", describe(&outcome));
    assert!(!outcome.stderr.contains("did you mean"), "{}", describe(&outcome));
    let outcome = run(&corpus, &["show", "az-00"]);
    assert_ends(&outcome, 1);
    assert!(
        outcome.stderr.contains("did you mean `az-0`?"),
        "{}",
        describe(&outcome)
    );
}
