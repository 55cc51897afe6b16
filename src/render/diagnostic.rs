//! A diagnostic in human form, compiler style: the message, the place, the source line
//! with a caret under the column when the text is at hand, and the hint.

use std::fmt::Write as _;

use super::escape;
use crate::corpus::{CorpusFiles, Diagnostic, Severity};

/// The most characters of a source line a diagnostic shows.
const EXCERPT_CHARS: usize = 200;

/// A diagnostic with the line of its file it points at.
pub fn with_source(files: &CorpusFiles, diagnostic: &Diagnostic) -> String {
    render(diagnostic, files.line_of(&diagnostic.file, diagnostic.line))
}

/// A diagnostic, given the text of the line it points at.
pub fn render(diagnostic: &Diagnostic, line_text: Option<&str>) -> String {
    let label = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!(
        "{label}: {}\n  --> {}\n",
        escape::terminal(&diagnostic.message),
        escape::terminal(&diagnostic.location())
    );
    if let Some(line_text) = line_text.filter(|_| diagnostic.line > 0) {
        let number = diagnostic.line.to_string();
        let pad = " ".repeat(number.len());
        // A long line is cut: the excerpt shows the place, it does not reprint a
        // megabyte of text.
        let (line_text, cut) = match line_text.char_indices().nth(EXCERPT_CHARS) {
            Some((at, _)) => (&line_text[..at], "…"),
            None => (line_text, ""),
        };
        let shown = escape::terminal(line_text.trim_end_matches('\r')) + cut;
        let caret_at: usize = line_text
            .chars()
            .take(diagnostic.column.saturating_sub(1) as usize)
            .map(|c| {
                if c == '\t' {
                    1
                } else {
                    escape::terminal(&c.to_string()).chars().count()
                }
            })
            .sum();
        let _ = write!(out, "{pad} |\n{number} | {shown}\n{pad} | {}^\n", " ".repeat(caret_at));
    }
    if let Some(hint) = &diagnostic.hint {
        let _ = writeln!(out, "  = hint: {}", escape::terminal(hint));
    }
    out
}
