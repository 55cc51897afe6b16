//! Commands other than `check` parse a corpus without the place of every value, and parse
//! it again with places only when it has an error: what they report must be exactly what
//! `check` reports, and what they answer exactly what a load with places answers.

use crate::support::{command, root};

/// The diagnostics a run printed, without its closing count line.
fn diagnostics(text: &str) -> String {
    text.lines()
        .filter(|line| {
            !line.starts_with("error: the corpus has") && !line.contains(" errors, ") && !line.contains(" error, ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_error_keeps_its_place_when_a_query_finds_it() {
    let invalid = root().join("tests/fixtures/invalid");
    let mut compared = 0;
    for entry in std::fs::read_dir(&invalid).expect("fixtures") {
        let dir = entry.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        let check = command()
            .args(["--no-cache", "--corpus"])
            .arg(&dir)
            .arg("check")
            .output()
            .expect("run");
        if check.status.code() != Some(1) {
            continue; // a fixture of warnings only
        }
        let pairs = command()
            .args(["--no-cache", "--corpus"])
            .arg(&dir)
            .arg("pairs")
            .output()
            .expect("run");
        assert_eq!(pairs.status.code(), Some(1), "{}", dir.display());
        let (checked, queried) = (
            String::from_utf8_lossy(&check.stdout).into_owned() + &String::from_utf8_lossy(&check.stderr),
            String::from_utf8_lossy(&pairs.stderr).into_owned(),
        );
        let (checked, queried) = (diagnostics(&checked), diagnostics(&queried));
        assert!(
            checked.contains(":"),
            "{}: no diagnostics from check:\n{checked}",
            dir.display()
        );
        assert_eq!(queried, checked, "{}", dir.display());
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} invalid fixtures compared");
}

#[test]
fn a_query_of_a_valid_corpus_answers_as_a_load_with_places_does() {
    use positions::corpus::{self, CorpusFiles, compiled};
    for name in [
        "tests/fixtures/snapshot",
        "tests/fixtures/invalid/warn-future-date",
        "positions",
    ] {
        let files = CorpusFiles::read_dir(&root().join(name)).expect("read");
        let (mut slow, mut fast) = (corpus::load(&files), corpus::load_fast(&files, &corpus::Silent));
        assert!(slow.corpus.is_some(), "{name} is valid");
        let (slow_diags, fast_diags) = (
            std::mem::take(&mut slow.diagnostics),
            std::mem::take(&mut fast.diagnostics),
        );
        // The same corpus, value for value, in its compiled form, but for the places of
        // demands, which only diagnostics show.
        if let Some(corpus) = slow.corpus.as_mut() {
            for demand in &mut corpus.demands {
                assert!(demand.span.line > 0, "{name}: {} has a place", demand.id);
                (demand.span.line, demand.span.column) = (u32::MAX, 0);
            }
        }
        let (fast_bytes, slow_bytes) = (compiled::compile(&fast), compiled::compile(&slow));
        assert!(
            fast_bytes.is_some() && fast_bytes == slow_bytes,
            "{name}: the corpora differ"
        );
        let messages = |d: &corpus::Diagnostics| d.items.iter().map(|d| d.message.clone()).collect::<Vec<_>>();
        assert_eq!(messages(&fast_diags), messages(&slow_diags), "{name}");
        // Only the places differ: the fast load does not look for them.
        assert!(fast_diags.items.iter().all(|d| d.line == u32::MAX), "{name}");
    }
}
