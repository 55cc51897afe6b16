//! The built-in corpus: its files as embedded at build time, and its validated form,
//! compiled by `build.rs`, which loads in a fraction of the time the YAML takes, so that
//! `positions diff russia ukraine` costs little more than starting the program.

use crate::corpus::{CorpusFiles, Diagnostic, Loaded, compiled};
use crate::model::Span;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_corpus.rs"));
}

/// The validated built-in corpus, as `build.rs` compiled it.
const COMPILED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/corpus.bin"));

/// The files of the corpus embedded in the binary.
pub fn embedded_files() -> CorpusFiles {
    CorpusFiles::embedded(embedded::FILES)
}

/// The built-in corpus, loaded from its compiled form. The build made that form from the
/// very files embedded beside it; should it not decode, that is said, not papered over.
pub fn load() -> Loaded {
    compiled::decode(COMPILED).unwrap_or_else(|err| {
        let span = Span {
            file: "positions".into(),
            line: 0,
            column: 0,
        };
        let mut loaded = Loaded {
            corpus: None,
            diagnostics: Default::default(),
        };
        loaded.diagnostics.push(Diagnostic::error(
            &span,
            format!("the compiled built-in corpus cannot be read ({err}); this binary is broken: rebuild it"),
        ));
        loaded
    })
}
