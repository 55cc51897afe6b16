//! Every input that ever crashed a fuzz target, replayed through the same harness the
//! fuzz targets use (`fuzz/src/lib.rs`, included here as a module): the input is planted
//! in the snapshot corpus (or, for `whole_corpus`, is the corpus), loaded, and every
//! command is run over it in every format, with the output contracts checked. The inputs
//! live in `tests/fixtures/fuzz/<target>/`, one file each; FUZZING.md tells their story.

#[allow(dead_code)]
use crate::harness;

use std::fs;
use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut inputs: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter(|e| e.file_name() != ".gitkeep")
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        fs::read(e.path()).expect("read"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    inputs.sort();
    inputs
}

/// Run `replay` on every input of `target`; report every one that panics, not only the first.
fn replay_all(target: &str, replay: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let failures: Vec<String> = inputs(target)
        .into_iter()
        .filter_map(|(name, data)| {
            std::panic::catch_unwind(|| replay(&data))
                .err()
                .map(|_| format!("tests/fixtures/fuzz/{target}/{name}"))
        })
        .collect();
    assert!(failures.is_empty(), "these inputs crash again: {failures:#?}");
}

#[test]
fn issues_file() {
    replay_all("issues_file", |data| harness::one_file("issues.yaml", data));
}

#[test]
fn party_file() {
    replay_all("party_file", |data| harness::one_file("parties/azure.yaml", data));
}

#[test]
fn relations_file() {
    replay_all("relations_file", |data| harness::one_file("relations.yaml", data));
}

#[test]
fn plan_file() {
    replay_all("plan_file", |data| harness::one_file("plans/river-compact.yaml", data));
}

#[test]
fn whole_corpus() {
    replay_all("whole_corpus", harness::whole_corpus);
}

#[test]
fn streamed_output() {
    replay_all("streamed_output", harness::streamed);
}

/// The harness itself: the unchanged snapshot corpus runs clean through every command,
/// and a corpus survives the round trip through the whole-corpus input format.
#[test]
fn harness_runs_the_snapshot_corpus() {
    let files: Vec<(String, String)> = harness::BASE
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
    assert_eq!(harness::split_corpus(&harness::join_corpus(&files)), files);
    harness::whole_corpus(&harness::join_corpus(&files));
    harness::streamed(&harness::join_corpus(&files));
    for (path, text) in harness::BASE {
        harness::one_file(path, text.as_bytes());
    }
}
