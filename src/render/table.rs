//! Tables for people on a terminal.

use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell as TableCell, Color, ColumnConstraint, ContentArrangement, LineStyle, TableStyle, Width,
};

use super::{Style, escape};
use crate::model::RelationKind;
use crate::view::{Block, Cell, Table, View};

/// A rule under the header and nothing else: quiet, and easy to read down a column.
const STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// A table cell shows at most this many characters of its text, then how many more there
/// are: wrapping one unbroken word of 65,000 characters cost the table 0.3 s a cell, and
/// nobody reads that much in a cell (`--format csv` or `json` give the whole text).
pub const MAX_CELL_CHARS: usize = 1_000;

/// A cell's text for a terminal: escaped, and cut at `MAX_CELL_CHARS`.
fn cell_text(text: &str) -> String {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        None => escape::terminal(text),
        Some((at, _)) => {
            let more = text[at..].chars().count();
            format!("{}… ({more} more characters)", escape::terminal(&text[..at]))
        }
    }
}

/// Long text columns wrap at this width so that ids stay readable.
const TEXT_COLUMN_MAX: u16 = 48;
const TEXT_COLUMNS: &[&str] = &[
    "title",
    "summary",
    "label",
    "rationale",
    "description",
    "name",
    "quote",
    "why",
];

pub fn render(view: &View, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let mut first = true;
    for block in &view.human {
        if !first && matches!(block, Block::Heading(_)) {
            writeln!(out)?;
        }
        first = false;
        match block {
            Block::Heading(text) => {
                let text = escape::terminal(text);
                if style.color {
                    writeln!(out, "\x1b[1m{text}\x1b[0m")?;
                } else {
                    writeln!(out, "{text}")?;
                }
            }
            Block::Text(text) => writeln!(out, "{}", escape::terminal(text))?,
            Block::Preformatted(text) => {
                for line in text.lines() {
                    writeln!(out, "{}", escape::terminal(line))?;
                }
            }
            Block::Table(table) => write_table(table, false, style, out)?,
            Block::Rows => write_table(view.rows_table(), true, style, out)?,
            Block::Fields(fields) => {
                let width = fields.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
                // On a terminal, long values wrap under themselves rather than off the edge.
                let room = terminal_width(style).map(|w| (w as usize).saturating_sub(width + 2).max(20));
                for (key, value) in fields {
                    let lines = match (room, value) {
                        (Some(room), Cell::Text(_) | Cell::List(_) | Cell::Outcomes { .. } | Cell::Note(_)) => {
                            wrap(&escape::terminal(&value.human()), room)
                        }
                        _ => vec![styled_text(value, style)],
                    };
                    for (i, line) in lines.iter().enumerate() {
                        let key = if i == 0 { escape::terminal(key) } else { String::new() };
                        writeln!(out, "{key:>width$}  {line}")?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// The terminal's width, when output wraps to it.
fn terminal_width(style: Style) -> Option<u16> {
    if !style.wrap {
        return None;
    }
    comfy_table::Table::new().width()
}

/// Greedy word wrap to `room` characters; a word longer than that stands on its own line.
fn wrap(text: &str, room: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

fn styled_text(cell: &Cell, style: Style) -> String {
    let text = escape::terminal(&cell.human());
    match (cell, style.color) {
        (Cell::Relation(kind), true) => format!("\x1b[{}m{text}\x1b[0m", ansi(*kind)),
        _ => text,
    }
}

fn ansi(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Overlap => "32",
        RelationKind::Conflict => "33",
        RelationKind::Irreconcilable => "1;31",
    }
}

fn color(kind: RelationKind) -> Color {
    match kind {
        RelationKind::Overlap => Color::Green,
        RelationKind::Conflict => Color::Yellow,
        RelationKind::Irreconcilable => Color::Red,
    }
}

fn write_table(table: &Table, machine_headers: bool, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if table.rows.is_empty() {
        return writeln!(out, "(none)");
    }
    let mut t = comfy_table::Table::new();
    t.load_style(STYLE);
    if style.wrap {
        t.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        t.force_no_tty();
        t.set_content_arrangement(ContentArrangement::Disabled);
    }
    if style.color {
        t.enforce_styling();
    }
    t.set_header(table.columns.iter().map(|c| {
        let label = if machine_headers {
            c.replace('_', " ")
        } else {
            c.clone()
        };
        let cell = TableCell::new(escape::terminal(&label));
        if style.color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    for row in &table.rows {
        t.add_row(row.iter().map(|cell| {
            let content = TableCell::new(cell_text(&cell.human()));
            match (cell, style.color) {
                (Cell::Relation(kind), true) => content.fg(color(*kind)),
                _ => content,
            }
        }));
    }
    if style.wrap {
        // Ids, dates, numbers and relation words never break; columns of prose wrap,
        // up to a bound that leaves room for the ids.
        for index in 0..table.columns.len() {
            let prose = TEXT_COLUMNS.contains(&table.columns[index].as_str())
                || table
                    .rows
                    .iter()
                    .any(|row| row.get(index).is_some_and(|c| c.human().contains(' ')));
            let constraint = if prose {
                ColumnConstraint::UpperBoundary(Width::Fixed(TEXT_COLUMN_MAX))
            } else {
                ColumnConstraint::ContentWidth
            };
            if let Some(column) = t.column_mut(index) {
                column.set_constraint(constraint);
            }
        }
    }
    writeln!(out, "{t}")
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn cells_are_cut() {
        assert_eq!(super::cell_text("short"), "short");
        let long = "x".repeat(super::MAX_CELL_CHARS + 5);
        let shown = super::cell_text(&long);
        assert!(shown.starts_with(&"x".repeat(super::MAX_CELL_CHARS)));
        assert!(shown.ends_with("… (5 more characters)"), "{shown}");
    }

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("averyveryverylongword x", 5), ["averyveryverylongword", "x"]);
        assert_eq!(wrap("", 10), [""]);
    }
}
