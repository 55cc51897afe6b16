//! The built-in corpus, compiled: its validated form saved as JSON, which loads in a
//! fraction of the time the YAML takes to parse, so that `positions diff russia ukraine`
//! costs little more than starting the program.
//!
//! The compiled copy is used only when it was made from exactly the files embedded in the
//! binary (their fingerprint is its first line); otherwise the YAML is loaded as usual.
//! `tests/compiled.rs` fails when the copy is stale and rewrites it when asked.

use crate::corpus::{self, CorpusFiles, Loaded};
use crate::model::Corpus;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_corpus.rs"));
}

/// The files of the corpus embedded in the binary.
pub fn embedded_files() -> CorpusFiles {
    CorpusFiles::embedded(embedded::FILES)
}

/// The compiled copy in the repository.
const COMPILED: &str = include_str!("compiled.json");

/// The fingerprint of the files embedded in this binary.
pub fn embedded_hash() -> u64 {
    embedded::HASH
}

/// The built-in corpus from its compiled copy, when the copy matches the embedded files.
pub fn load() -> Option<Corpus> {
    let (first, json) = COMPILED.split_once('\n')?;
    let hash = u64::from_str_radix(first.strip_prefix("hash ")?, 16).ok()?;
    if hash != embedded_hash() {
        return None;
    }
    let mut corpus: Corpus = serde_json::from_str(json).ok()?;
    corpus.reindex();
    Some(corpus)
}

/// The compiled copy of a loaded built-in corpus, as `compiled.json` holds it.
pub fn compile(loaded: &Loaded) -> Option<String> {
    let corpus = loaded.corpus.as_ref()?;
    let json = serde_json::to_string(corpus).ok()?;
    Some(format!("hash {:016x}\n{json}\n", embedded_hash()))
}

/// Load the built-in corpus the fast way when possible, else from its YAML.
pub fn load_embedded(files: &CorpusFiles) -> Loaded {
    match load() {
        Some(corpus) => Loaded {
            corpus: Some(corpus),
            diagnostics: Default::default(),
        },
        None => corpus::load(files),
    }
}
