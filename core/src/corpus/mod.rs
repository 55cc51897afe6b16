//! Loading a corpus: read the files, parse them, validate everything, index the result.

pub mod cache;
pub mod compiled;
mod diag;
mod files;
pub mod layout;
mod lenient;
pub mod limits;
mod raw;
pub mod schema;
mod slips;
mod validate;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use files::{CorpusFiles, FileText, Origin};
pub use validate::is_valid_id;

use serde::de::DeserializeOwned;

use crate::model::{Corpus, Span};

/// The outcome of loading: the corpus when it has no errors, and every diagnostic.
pub struct Loaded {
    pub corpus: Option<Corpus>,
    pub diagnostics: Diagnostics,
}

/// What loading tells of its progress as it checks the party files (the one part of a
/// large corpus that takes a while); the command line draws a bar with it. Called from
/// several threads at once.
pub trait Progress: Sync {
    /// Checking begins: this many party files, of this many bytes in all.
    fn start(&self, _files: usize, _bytes: usize) {}
    /// One more party file checked.
    fn advance(&self) {}
    /// Every party file checked.
    fn finish(&self) {}
}

/// Progress that nobody watches.
pub struct Silent;

impl Progress for Silent {}

/// Parse and validate every file. Problems are collected, never returned early: a broken
/// file still lets the others be checked.
pub fn load(files: &CorpusFiles) -> Loaded {
    load_with(files, &Silent)
}

/// `load`, telling `progress` how the checking goes.
pub fn load_with(files: &CorpusFiles, progress: &dyn Progress) -> Loaded {
    load_encoding(files, progress, true, None).0
}

/// `load_with` for a command that needs the corpus, not the places of its warnings: the
/// files are parsed without the place of every value, which costs less, and parsed again
/// with places only when they turn out to have an error that needs one (an error the
/// parser itself found has its place already), so that every diagnostic shown names its
/// file, line and column as `load_with`'s do. Warnings of a valid corpus are the same in
/// number, but carry no place.
pub fn load_fast(files: &CorpusFiles, progress: &dyn Progress) -> Loaded {
    load_encoding(files, progress, false, None).0
}

/// `load_with` (`places`) or `load_fast`, writing the demands of the corpus to `sink`
/// in the blocks of its compiled form, on another core while the rest of the corpus is
/// checked: what a cache stores then costs a first run little more than loading it. The
/// blocks come back when the corpus is valid; [`compiled::Streamed::header`] finishes
/// the form.
pub fn load_encoding(
    files: &CorpusFiles,
    progress: &dyn Progress,
    places: bool,
    sink: Option<&mut (dyn std::io::Write + Send)>,
) -> (Loaded, Option<compiled::Streamed>) {
    let mut pass = Pass {
        spans: places,
        ..Pass::default()
    };
    let first = load_pass(files, progress, &pass, sink);
    let unplaced = |d: &Diagnostic| d.line == Span::NOT_LOOKED_UP;
    if !places && first.0.diagnostics.has_errors() && first.0.diagnostics.items.iter().any(unplaced) {
        // Files that failed to parse are not parsed again: their errors have places.
        pass.spans = true;
        load_pass(files, progress, &pass, None)
    } else {
        first
    }
}

fn load_pass(
    files: &CorpusFiles,
    progress: &dyn Progress,
    pass: &Pass,
    sink: Option<&mut (dyn std::io::Write + Send)>,
) -> (Loaded, Option<compiled::Streamed>) {
    let mut diagnostics = Diagnostics::default();
    for problem in &files.problems {
        diagnostics.push(problem.clone());
    }
    let validated = validate::validate(files, &mut diagnostics, progress, pass, sink);
    if diagnostics.has_errors() {
        return (
            Loaded {
                corpus: None,
                diagnostics,
            },
            None,
        );
    }
    let loaded = Loaded {
        corpus: Some(validated.corpus),
        diagnostics,
    };
    (loaded, validated.streamed)
}

/// The most values (scalars, lists and mappings) one file may hold. A demand is about
/// forty, so this allows 100,000 demands in one file; each value costs some 70 bytes
/// while the file is parsed, so the limit also bounds memory (to about 300 MB) long
/// before a file of millions of one-letter list items could exhaust it.
pub const MAX_NODES: usize = 4_000_000;

/// The most parser events (a value, or the end of a list or mapping) one file may cause.
pub const MAX_EVENTS: usize = 3 * MAX_NODES;

/// The parser's limits: generous enough for a corpus of a hundred thousand demands in one
/// file, tight enough that an alias bomb or deep nesting fails fast in bounded memory.
fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = MAX_EVENTS;
    budget.max_nodes = MAX_NODES;
    budget.max_depth = 64;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // A corpus has little use for aliases; a file that replays more than 50,000 events
    // through them is an alias bomb, refused before it expands far (the parser's default
    // is 1,000,000, which a debug build takes seconds to reach).
    options.alias_limits.max_total_replayed_events = 50_000;
    // Text is text: a plain `123`, `1.5`, `true` or `null` where a string belongs is a type
    // error (quote it), not silently turned into a string. Only YAML 1.2's `true` and
    // `false` are booleans, so option ids such as `yes` and `no` need no quotes.
    options.no_schema = true;
    options.strict_booleans = true;
    options
}

/// How one pass of loading parses: with or without the places of values, and the files
/// that failed to parse in an earlier pass, whose errors (found by the parser, with their
/// places) are reported again without parsing them again.
#[derive(Default)]
pub(crate) struct Pass {
    spans: bool,
    failed: std::sync::Mutex<std::collections::HashMap<String, Vec<Diagnostic>>>,
    /// The words of the party files that failed to parse (see `validate::Hidden`).
    words: std::sync::Mutex<std::collections::HashMap<String, std::collections::HashSet<String>>>,
}

impl Pass {
    pub(crate) fn failure(&self, path: &str) -> Option<Vec<Diagnostic>> {
        self.failed.lock().ok()?.get(path).cloned()
    }

    pub(crate) fn words(&self, path: &str) -> Option<std::collections::HashSet<String>> {
        self.words.lock().ok()?.get(path).cloned()
    }

    pub(crate) fn record_words(&self, path: &str, words: &std::collections::HashSet<String>) {
        if let Ok(mut all) = self.words.lock() {
            all.insert(path.to_string(), words.clone());
        }
    }

    fn record(&self, path: &str, diagnostics: &[Diagnostic]) {
        if let Ok(mut failed) = self.failed.lock() {
            failed.insert(path.to_string(), diagnostics.to_vec());
        }
    }
}

/// A corpus file's typed form, and the schema its lenient pass checks it against.
pub(crate) trait FileType: DeserializeOwned {
    const KIND: schema::FileKind;
}

impl FileType for raw::IssuesFile {
    const KIND: schema::FileKind = schema::FileKind::Issues;
}

impl FileType for raw::PartyFile {
    const KIND: schema::FileKind = schema::FileKind::Party;
}

impl FileType for raw::RelationsFile {
    const KIND: schema::FileKind = schema::FileKind::Relations;
}

impl FileType for raw::PlanFile {
    const KIND: schema::FileKind = schema::FileKind::Plan;
}

/// At most this many problems reported for one file, then "and N more".
pub const MAX_PROBLEMS_PER_FILE: usize = 50;

/// Parse one file into its typed form, or every problem found in it, each naming the
/// file and place.
pub(crate) fn parse<T: FileType>(file: &FileText, expected: &str, pass: &Pass) -> Result<T, Vec<Diagnostic>> {
    parse_text(file, &file.text, expected, pass)
}

/// `parse` for a file whose text was read separately (a deferred party file).
pub(crate) fn parse_text<T: FileType>(
    file: &FileText,
    text: &str,
    expected: &str,
    pass: &Pass,
) -> Result<T, Vec<Diagnostic>> {
    if let Some(diagnostics) = pass.failure(&file.path) {
        return Err(diagnostics);
    }
    let parsed = raw::with_spans(pass.spans, || parse_once(file, text, expected));
    parsed.map_err(|(first, lenient)| {
        let all = if lenient {
            every_problem(file, text, T::KIND, first)
        } else {
            vec![first]
        };
        pass.record(&file.path, &all);
        all
    })
}

/// The typed parse stops at a file's first error: the lenient pass finds the others.
fn every_problem(file: &FileText, text: &str, kind: schema::FileKind, first: Diagnostic) -> Vec<Diagnostic> {
    let mut all = vec![first];
    for problem in lenient::problems(text, kind, yaml_options()) {
        let diagnostic = describe(&file.path, text, problem.message, problem.line, problem.column);
        let first = &all[0];
        // The typed parse's own error is found again, worded the same or (at its place)
        // otherwise; several keys missing from one mapping share a place.
        let same = diagnostic.line == first.line
            && (diagnostic.message == first.message || !diagnostic.message.starts_with("missing field"));
        if !same {
            all.push(diagnostic);
        }
    }
    all.sort_by_key(|d| (d.line, d.column));
    if all.len() > MAX_PROBLEMS_PER_FILE {
        let more = all.len() - MAX_PROBLEMS_PER_FILE;
        all.truncate(MAX_PROBLEMS_PER_FILE);
        let at_file = Span {
            file: file.path.clone(),
            line: 0,
            column: 0,
        };
        all.push(
            Diagnostic::error(&at_file, format!("and {more} more problems in this file"))
                .with_hint("fix those shown and run `positions check` again"),
        );
    }
    all
}

/// A problem found by the parser, said in the writer's terms and with a hint.
fn describe(path: &str, text: &str, message: String, line: u32, column: u32) -> Diagnostic {
    let (message, line, column, hint) = match slips::find(text, &message, line, column) {
        Some(slip) => (slip.message.unwrap_or(message), slip.line, slip.column, Some(slip.hint)),
        None => {
            let hint = parser_hint(&message);
            (message, line, column, hint)
        }
    };
    let span = Span {
        file: path.to_string(),
        line,
        column,
    };
    let diagnostic = Diagnostic::error(&span, message);
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// The typed parse, or its error and whether the lenient pass may find more (not when
/// the text is not YAML a corpus may hold at all).
fn parse_once<T: DeserializeOwned>(file: &FileText, text: &str, expected: &str) -> Result<T, (Diagnostic, bool)> {
    let at_file = Span {
        file: file.path.clone(),
        line: 0,
        column: 0,
    };
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err((
            Diagnostic::error(&at_file, "the file is empty")
                .with_hint(format!("a {expected} starts with its top-level key")),
            false,
        ));
    }
    if let Some(diagnostic) = limits::bare_carriage_return(&file.path, text) {
        return Err((diagnostic, false));
    }
    if let Some(diagnostic) = limits::long_line(&file.path, text) {
        return Err((diagnostic, false));
    }
    serde_saphyr::from_str_with_options::<T>(text, yaml_options()).map_err(|err| {
        let (line, column) = err
            .location()
            .map(|l| (l.line() as u32, l.column() as u32))
            .unwrap_or((0, 0));
        let budget = budget_message(&err);
        let lenient = budget.is_none();
        let message = budget.unwrap_or_else(|| clean_parser_message(&err.without_snippet().to_string()));
        let (line, column) = relocate(text, &message, line, column);
        (describe(&file.path, text, message, line, column), lenient)
    })
}

/// A limit of the parser's budget, said in the user's terms (the parser names its own
/// internals: "budget breached: Nodes { nodes: 6000001 }").
fn budget_message(err: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach;
    let serde_saphyr::Error::Budget { breach, .. } = err.without_snippet() else {
        return None;
    };
    let budget = serde_saphyr::Budget::default();
    Some(match breach {
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => format!(
            "the file holds more than {MAX_NODES} values (keys, list items and texts), more than a corpus file may hold"
        ),
        BudgetBreach::ScalarBytes { .. } => format!(
            "the texts of the file add up to more than {} bytes, more than a corpus file may hold",
            budget.max_total_scalar_bytes
        ),
        BudgetBreach::Depth { .. } => "the file nests lists and mappings more than 64 levels deep".to_string(),
        BudgetBreach::Documents { .. } => "the file holds more than one YAML document".to_string(),
        BudgetBreach::InputBytes { .. } => "the file is larger than a corpus file may be".to_string(),
        BudgetBreach::Aliases { .. } => format!(
            "the file uses more than {} aliases (`*name`), more than a corpus file may hold",
            budget.max_aliases
        ),
        BudgetBreach::Anchors { .. } => format!(
            "the file defines more than {} anchors (`&name`), more than a corpus file may hold",
            budget.max_anchors
        ),
        BudgetBreach::MergeKeys { .. } => {
            "the file uses more merge keys (`<<`) than a corpus file may hold".to_string()
        }
        BudgetBreach::InclusionDepth { .. } => "the file includes other files, which a corpus file may not".to_string(),
        BudgetBreach::SequenceUnbalanced => "a list of the file is not closed".to_string(),
        // Aliases far more numerous than anchors, and any limit added later: an alias bomb.
        _ => "the file expands through aliases and anchors to far more data than a corpus file may hold".to_string(),
    })
}

/// The parser appends its own "at line L, column C"; we print the place ourselves. Its
/// advice to programmers (which option to set, which Rust type to use) is dropped.
fn clean_parser_message(message: &str) -> String {
    let message = message.trim();
    // A breach of the budget reported inside another error names the parser's own types.
    if message.contains("budget breached") {
        return "the file exceeds a limit of what a corpus file may hold (its size, values, nesting or aliases)"
            .to_string();
    }
    let trimmed = match message.rfind(" at line ") {
        Some(at) if message[at..].contains(", column ") => &message[..at],
        _ => message,
    };
    trimmed
        .replace(", set DuplicateKeyPolicy in Options if acceptable", "")
        .replace("; use from_str_multiple or from_str_multiple_with_options", "")
        .replace("; use Option<String>", "")
        .replace("; use Option<char>", "")
        .replace(
            ". If you just use !!binary for documentation/annotation, set ignore_binary_tag_for_string in Options",
            "",
        )
        .replace("; use String or Cow<str> instead", "")
        .replace(" (strict mode expects true/false)", ": write true or false")
}

/// Point where a person would look. The parser reports a missing key at the mapping's
/// last key, a wrong type at the key rather than its value, and a second document after
/// its `---` separator.
fn relocate(text: &str, message: &str, line: u32, column: u32) -> (u32, u32) {
    let lines: Vec<&str> = text.lines().collect();
    if line == 0 || line as usize > lines.len() {
        return (line, column);
    }
    if message.starts_with("missing field") {
        return (mapping_start(&lines, line, column), column);
    }
    if message.starts_with("multiple YAML documents") {
        let separator = (1..=line).rev().find(|&l| lines[l as usize - 1].starts_with("---"));
        return separator.map_or((line, column), |l| (l, 1));
    }
    let type_error = [
        "invalid type",
        "invalid value",
        "invalid floating",
        "expected ",
        "cannot deserialize",
    ]
    .iter()
    .any(|p| message.starts_with(p));
    if !type_error {
        return (line, column);
    }
    // `key: value` at the reported place: point at the value.
    let text_line = lines[line as usize - 1];
    let start = text_line
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(text_line.len(), |(i, _)| i);
    let rest = &text_line[start..];
    if let Some((key, value)) = rest.split_once(':')
        && !key.is_empty()
        && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && value.starts_with(' ')
        && !value.trim().is_empty()
        && !value.trim_start().starts_with('#')
    {
        let padding = value.len() - value.trim_start().len();
        let col = column as usize + key.chars().count() + 1 + padding;
        return (line, u32::try_from(col).unwrap_or(column));
    }
    (line, column)
}

/// The line of the first key of the block mapping that has a key at `line`, `column`:
/// its `- ` entry line in a list, or its topmost sibling key.
fn mapping_start(lines: &[&str], line: u32, column: u32) -> u32 {
    let target = column.saturating_sub(1) as usize;
    let mut best = line;
    for l in (1..line).rev() {
        let text = lines[l as usize - 1];
        let trimmed = text.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = text.len() - trimmed.len();
        if indent > target {
            continue;
        }
        if indent == target {
            best = l;
            continue;
        }
        if let Some(after_dash) = trimmed.strip_prefix('-') {
            let key_at = indent + 1 + (after_dash.len() - after_dash.trim_start_matches(' ').len());
            if key_at == target {
                best = l;
            }
        }
        break;
    }
    best
}

/// For an unknown key, the closest of the keys the parser expected.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let expected = expected.split_once("expected one of ")?.1;
    let keys: Vec<&str> = expected.split(',').map(|k| k.trim().trim_matches('`')).collect();
    match crate::suggest::closest(field, keys.iter().copied()) {
        Some(close) => Some(format!("did you mean `{close}`?")),
        None => Some(format!("the keys allowed here are: {}", keys.join(", "))),
    }
}

fn parser_hint(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        unknown_field_hint(message)
    } else if message.starts_with("missing field") {
        Some("every entry needs this key; check its spelling and indentation".into())
    } else if message.starts_with("multiple YAML documents") {
        Some("a corpus file holds one YAML document: remove the `---` separator".into())
    } else if message.starts_with("duplicate mapping key") {
        Some("each key may appear once in a mapping".into())
    } else if message.contains("levels deep") || message.contains("recursion limit") {
        Some("the file nests deeper than any corpus needs (at most 64 levels)".into())
    } else if message.contains("more than a corpus file may hold") {
        Some("a corpus file holds parties, issues and demands of ordinary size; split or trim it".into())
    } else if message.contains("budget") || message.contains("alias") {
        Some("the file expands to far more data than a corpus needs (an alias bomb?)".into())
    } else if message.contains("must be quoted") {
        // "The string value [0x1] must be quoted": ids and text are text, never numbers.
        let written = message
            .split_once('[')
            .and_then(|(_, rest)| rest.rsplit_once("] must be quoted"))
            .map(|(value, _)| value);
        Some(match written {
            Some(value) => format!(
                "YAML reads a plain `{value}` as a number, `true`, `false` or `null`; ids and text are text: write `\"{value}\"`"
            ),
            None => "YAML reads this as a number, `true`, `false` or `null`; text must be quoted here".into(),
        })
    } else if message.contains("tab") {
        Some("indent YAML with spaces, not tabs".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every limit of the budget is told in words, never as the parser's type names.
    #[test]
    fn every_budget_breach_is_told_in_words() {
        use serde_saphyr::budget::BudgetBreach;
        let breaches = [
            BudgetBreach::Events { events: 1 },
            BudgetBreach::Aliases { aliases: 1 },
            BudgetBreach::Anchors { anchors: 1 },
            BudgetBreach::Depth { depth: 1 },
            BudgetBreach::InclusionDepth { depth: 1 },
            BudgetBreach::Documents { documents: 1 },
            BudgetBreach::Nodes { nodes: 1 },
            BudgetBreach::ScalarBytes { total_scalar_bytes: 1 },
            BudgetBreach::MergeKeys { merge_keys: 1 },
            BudgetBreach::AliasAnchorRatio { aliases: 1, anchors: 1 },
            BudgetBreach::SequenceUnbalanced,
        ];
        for breach in breaches {
            let name = format!("{breach:?}");
            let err = serde_saphyr::Error::Budget {
                breach,
                location: serde_saphyr::Location::UNKNOWN,
            };
            let message = budget_message(&err).unwrap_or_default();
            assert!(
                message.starts_with("the file ") || message.starts_with("the texts") || message.starts_with("a list"),
                "{name}: {message}"
            );
            assert!(
                !message.contains('{') && !message.contains("budget"),
                "{name}: {message}"
            );
        }
        assert!(!clean_parser_message("budget breached: ScalarBytes { total_scalar_bytes: 9 }").contains('{'));
    }

    /// A breach of the parser's budget is said in the user's terms, with the limit.
    #[test]
    fn budget_breaches_name_the_limit() {
        let mut options = yaml_options();
        if let Some(budget) = options.budget.as_mut() {
            budget.max_nodes = 10;
        }
        let text = format!("tags: [{}]\n", vec!["a"; 20].join(", "));
        let err = serde_saphyr::from_str_with_options::<serde_json::Value>(&text, options)
            .err()
            .map(|e| budget_message(&e));
        let message = err.flatten().unwrap_or_default();
        assert_eq!(
            message,
            format!(
                "the file holds more than {MAX_NODES} values (keys, list items and texts), more than a corpus file may hold"
            )
        );
    }

    #[test]
    fn programmer_advice_is_dropped() {
        assert_eq!(
            clean_parser_message("cannot deserialize null into string; use Option<String> at line 1, column 2"),
            "cannot deserialize null into string"
        );
    }
}
