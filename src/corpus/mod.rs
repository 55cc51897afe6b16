//! Loading a corpus: read the files, parse them, validate everything, index the result.

mod diag;
mod files;
mod raw;
mod validate;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use files::{CorpusFiles, FileText, Origin};

use serde::de::DeserializeOwned;

use crate::model::{Corpus, Span};

/// The outcome of loading: the corpus when it has no errors, and every diagnostic.
pub struct Loaded {
    pub corpus: Option<Corpus>,
    pub diagnostics: Diagnostics,
}

/// Parse and validate every file. Problems are collected, never returned early: a broken
/// file still lets the others be checked.
pub fn load(files: &CorpusFiles) -> Loaded {
    let mut diagnostics = Diagnostics::default();
    for problem in &files.problems {
        diagnostics.push(problem.clone());
    }
    let corpus = validate::validate(files, &mut diagnostics);
    let corpus = if diagnostics.has_errors() { None } else { corpus };
    Loaded { corpus, diagnostics }
}

/// The parser's limits: generous enough for a corpus of a hundred thousand demands in one
/// file, tight enough that an alias bomb or deep nesting fails fast in bounded memory.
fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 200_000_000;
    budget.max_nodes = 100_000_000;
    budget.max_depth = 64;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// Parse one file into its typed form, or a diagnostic that names the file and place.
pub(crate) fn parse<T: DeserializeOwned>(file: &FileText, expected: &str) -> Result<T, Diagnostic> {
    let at_file = Span {
        file: file.path.clone(),
        line: 0,
        column: 0,
    };
    if file.text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(Diagnostic::error(&at_file, "the file is empty")
            .with_hint(format!("a {expected} starts with its top-level key")));
    }
    serde_saphyr::from_str_with_options::<T>(&file.text, yaml_options()).map_err(|err| {
        let (line, column) = err
            .location()
            .map(|l| (l.line() as u32, l.column() as u32))
            .unwrap_or((0, 0));
        let span = Span {
            line,
            column,
            ..at_file
        };
        let message = clean_parser_message(&err.without_snippet().to_string());
        let hint = parser_hint(&message);
        let diagnostic = Diagnostic::error(&span, message);
        match hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    })
}

/// The parser appends its own "at line L, column C"; we print the place ourselves.
fn clean_parser_message(message: &str) -> String {
    let message = message.trim();
    let trimmed = match message.rfind(" at line ") {
        Some(at) if message[at..].contains(", column ") => &message[..at],
        _ => message,
    };
    trimmed
        .replace(", set DuplicateKeyPolicy in Options if acceptable", "")
        .replace("; use from_str_multiple or from_str_multiple_with_options", "")
        .replace("; use Option<String>", "")
}

fn parser_hint(message: &str) -> Option<String> {
    if message.starts_with("missing field") {
        Some("every entry needs this key; check its spelling and indentation".into())
    } else if message.starts_with("multiple YAML documents") {
        Some("a corpus file holds one YAML document: remove the `---` separator".into())
    } else if message.starts_with("duplicate mapping key") {
        Some("each key may appear once in a mapping".into())
    } else if message.contains("budget") || message.contains("alias") {
        Some("the file expands to far more data than a corpus needs (an alias bomb?)".into())
    } else if message.contains("tabs") {
        Some("indent YAML with spaces, not tabs".into())
    } else {
        None
    }
}
