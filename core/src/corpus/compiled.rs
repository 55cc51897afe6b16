//! A validated corpus in compiled form: the corpus and its diagnostics in a compact binary
//! encoding (postcard), which loads in a fraction of the time the YAML takes to parse and
//! check. One mechanism, two stores: the build embeds the built-in corpus this way
//! (`build.rs`), and the cache keeps other corpora this way (`cache.rs`).

use serde::{Deserialize, Serialize};

use super::{Diagnostic, Diagnostics, Loaded};
use crate::model::Corpus;

#[derive(Serialize, Deserialize)]
struct Compiled<C> {
    corpus: C,
    diagnostics: Vec<Diagnostic>,
}

/// The compiled form of a valid corpus; `None` when it has errors.
pub fn compile(loaded: &Loaded) -> Option<Vec<u8>> {
    let corpus = loaded.corpus.as_ref()?;
    let compiled = Compiled {
        corpus,
        diagnostics: loaded.diagnostics.items.clone(),
    };
    postcard::to_stdvec(&compiled).ok()
}

/// Why a compiled form could not be read.
#[derive(Debug)]
pub struct DecodeError(postcard::Error);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for DecodeError {}

/// A corpus from its compiled form, with the diagnostics it was loaded with. Bytes left
/// over after the corpus are an error too: the form is whole or it is not used.
pub fn decode(bytes: &[u8]) -> Result<Loaded, DecodeError> {
    let (
        Compiled {
            mut corpus,
            diagnostics,
        },
        rest,
    ): (Compiled<Corpus>, &[u8]) = postcard::take_from_bytes(bytes).map_err(DecodeError)?;
    if !rest.is_empty() {
        return Err(DecodeError(postcard::Error::DeserializeUnexpectedEnd));
    }
    corpus.reindex();
    Ok(Loaded {
        corpus: Some(corpus),
        diagnostics: Diagnostics { items: diagnostics },
    })
}
