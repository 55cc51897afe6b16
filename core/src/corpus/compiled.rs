//! A validated corpus in compiled form: the corpus and its diagnostics as JSON, which
//! loads in a fraction of the time the YAML takes to parse and check. The build embeds
//! the built-in corpus this way (see `build.rs`).

use serde::{Deserialize, Serialize};

use super::{Diagnostic, Diagnostics, Loaded};
use crate::model::Corpus;

#[derive(Serialize, Deserialize)]
struct Compiled {
    corpus: Corpus,
    diagnostics: Vec<Diagnostic>,
}

/// The compiled form of a valid corpus; `None` when it has errors.
pub fn compile(loaded: &Loaded) -> Option<String> {
    let corpus = loaded.corpus.clone()?;
    let compiled = Compiled {
        corpus,
        diagnostics: loaded.diagnostics.items.clone(),
    };
    serde_json::to_string(&compiled).ok()
}

/// A corpus from its compiled form, with the diagnostics it was loaded with.
pub fn decode(text: &str) -> Result<Loaded, serde_json::Error> {
    let Compiled {
        mut corpus,
        diagnostics,
    } = serde_json::from_str(text)?;
    corpus.reindex();
    Ok(Loaded {
        corpus: Some(corpus),
        diagnostics: Diagnostics { items: diagnostics },
    })
}
