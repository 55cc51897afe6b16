//! Turning a `View` into text: one module per format, and the escaping that keeps
//! corpus text from acting on the reader's terminal, spreadsheet or browser.

mod csv;
pub mod diagnostic;
pub mod graph;
pub mod html;
mod markdown;
pub mod outcomes;
pub mod stream;
mod table;

use std::io::{self, Write};

use crate::view::{Machine, View};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
    /// Graphviz DOT (`graph` only)
    Dot,
    /// Mermaid flowchart (`graph` only)
    Mermaid,
}

/// How the human table is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    /// Wrap to the terminal's width (only when writing to a terminal).
    pub wrap: bool,
}

pub fn render(view: &View, format: Format, style: Style, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::render(view, style, out),
        Format::Markdown => markdown::render(view, out),
        Format::Csv => csv::render(view.rows_table(), out),
        Format::Json => {
            let value = match &view.machine {
                Machine::Rows(table) => table.json(),
                Machine::Record { json, .. } => json.clone(),
            };
            serde_json::to_writer_pretty(&mut *out, &value)?;
            writeln!(out)
        }
        // The command line refuses these formats for every command but `graph`.
        Format::Dot | Format::Mermaid => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "DOT and Mermaid are formats of `positions graph` only",
        )),
    }
}

/// Make text safe to print on a terminal: control characters (C0, DEL, C1) and the
/// Unicode controls that reorder text are shown as `\u{..}` escapes, never passed through.
/// Newlines and tabs become spaces, so one value stays on one line.
pub fn sanitize(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            '\r' => {}
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(sanitize("two\nlines\r"), "two lines");
        assert_eq!(sanitize("x\u{9b}y\u{202e}z"), "x\\u{9b}y\\u{202e}z");
    }
}
