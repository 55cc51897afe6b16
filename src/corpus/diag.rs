//! Diagnostics: what is wrong with a corpus, and where.

use std::fmt::Write as _;

use serde::Serialize;

use crate::model::Span;
use crate::render::sanitize;

/// The most characters of a source line a diagnostic shows.
const EXCERPT_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    /// 1-based; 0 when the problem has no place in the file (a missing file, say).
    pub line: u32,
    pub column: u32,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(span: &Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, span, message)
    }

    pub fn warning(span: &Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, span, message)
    }

    fn new(severity: Severity, span: &Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            file: span.file.clone(),
            line: span.line,
            column: span.column,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` (or just the file when there is no line).
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }

    /// Human form, compiler style: the message, the place, the source line with a
    /// caret under the column when the text is at hand, and the hint.
    pub fn render(&self, source_text: Option<&str>) -> String {
        let line = source_text
            .filter(|_| self.line > 0)
            .and_then(|text| text.lines().nth(self.line as usize - 1));
        self.render_line(line)
    }

    /// As `render`, given the text of the line the diagnostic points at.
    pub fn render_line(&self, line_text: Option<&str>) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{label}: {}\n  --> {}\n",
            sanitize(&self.message),
            sanitize(&self.location())
        );
        if let Some(line_text) = line_text.filter(|_| self.line > 0) {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            // A long line is cut: the excerpt shows the place, it does not reprint a
            // megabyte of text.
            let (line_text, cut) = match line_text.char_indices().nth(EXCERPT_CHARS) {
                Some((at, _)) => (&line_text[..at], "…"),
                None => (line_text, ""),
            };
            let shown = sanitize(line_text.trim_end_matches('\r')) + cut;
            let caret_at: usize = line_text
                .chars()
                .take(self.column.saturating_sub(1) as usize)
                .map(|c| {
                    if c == '\t' {
                        1
                    } else {
                        sanitize(&c.to_string()).chars().count()
                    }
                })
                .sum();
            let _ = write!(out, "{pad} |\n{number} | {shown}\n{pad} | {}^\n", " ".repeat(caret_at));
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = hint: {}", sanitize(hint));
        }
        out
    }
}

/// The problems found while loading a corpus, errors and warnings, in the order found.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
}
