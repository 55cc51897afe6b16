//! Tables for people on a terminal.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell as TableCell, Color, ContentArrangement, LineStyle, TableStyle};

use super::layout::{self, Grid, Plan};
use super::{Caption, Style, escape};
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

pub fn render(view: &View, style: Style, caption: Option<&Caption>, out: &mut dyn Write) -> io::Result<()> {
    if let Some(caption) = caption {
        write_caption(view, caption, style, out)?;
    }
    let mut first = true;
    for block in &view.human {
        if !first && matches!(block, Block::Heading(_)) {
            writeln!(out)?;
        }
        first = false;
        match block {
            Block::Heading(text) => {
                for line in lines(&escape::terminal(text), style.width) {
                    if style.color {
                        writeln!(out, "\x1b[1m{line}\x1b[0m")?;
                    } else {
                        writeln!(out, "{line}")?;
                    }
                }
            }
            Block::Text(text) => {
                for line in lines(&escape::terminal(text), style.width) {
                    writeln!(out, "{line}")?;
                }
            }
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
                let room = style.width.map(|w| w.saturating_sub(width + 2).max(20));
                for (key, value) in fields {
                    let lines = match (room, value) {
                        (Some(room), Cell::Text(_) | Cell::List(_) | Cell::Outcomes { .. } | Cell::Note(_)) => {
                            layout::wrap(&escape::terminal(&value.human()), room, true)
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

/// The title line: what the table is, from which corpus, as of when, and how many rows
/// (by party, where the rows have one); then, when the date is after the corpus's latest
/// statement, a note that says so.
fn write_caption(view: &View, caption: &Caption, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let mut parts = vec![caption.title.clone(), caption.corpus.clone()];
    let first_heading = view.human.iter().find_map(|b| match b {
        Block::Heading(text) => Some(text.as_str()),
        _ => None,
    });
    if let Some(date) = caption.as_of {
        // Said once: not again when the view's own heading gives the date.
        if !first_heading.is_some_and(|h| h.contains(&format!("as of {date}"))) {
            parts.push(format!("as of {date}"));
        }
    }
    if let (Some((one, many)), true) = (caption.noun, view.human.contains(&Block::Rows)) {
        let table = view.rows_table();
        let mut total = crate::view::plural(table.rows.len(), one, many);
        if let Some(column) = table.columns.iter().position(|c| c == "party") {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for row in &table.rows {
                let party = row.get(column).map(|c| c.plain(", ")).unwrap_or_default();
                match counts.iter_mut().find(|(p, _)| *p == party) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((party, 1)),
                }
            }
            if counts.len() > 1 && counts.iter().any(|&(_, n)| n > 1) {
                let by: Vec<String> = counts.iter().map(|(p, n)| format!("{p} {n}")).collect();
                total = format!("{total} ({})", by.join(", "));
            }
        }
        parts.push(total);
    }
    let line = escape::terminal(&parts.join(" · "));
    for line in lines(&line, style.width) {
        if style.color {
            writeln!(out, "\x1b[1m{line}\x1b[0m")?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    if let Some(latest) = caption.latest {
        for line in lines(&format!("(latest statement in the corpus: {latest})"), style.width) {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out)
}

/// A line of text as lines of at most `width` characters (as it is with no width).
fn lines(text: &str, width: Option<usize>) -> Vec<String> {
    match width {
        Some(width) => layout::wrap(text, width, true),
        None => vec![text.to_string()],
    }
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
    let headers: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            let label = if machine_headers {
                c.replace('_', " ")
            } else {
                c.clone()
            };
            escape::terminal(&label)
        })
        .collect();
    let roles = (0..table.columns.len())
        .map(|c| {
            let cells: Vec<&Cell> = table.rows.iter().filter_map(|row| row.get(c)).collect();
            layout::role(&table.columns[c], &cells)
        })
        .collect();
    let rows = table
        .rows
        .iter()
        .map(|row| row.iter().map(|cell| cell_text(&cell.human())).collect())
        .collect();
    let grid = Grid { headers, rows, roles };
    let Some(width) = style.width else {
        let columns: Vec<(usize, usize)> = (0..grid.headers.len()).map(|c| (c, usize::MAX)).collect();
        return draw(table, &grid, &columns, false, style, out);
    };
    match grid.plan(width) {
        Plan::Table { columns, hosts, hidden } => {
            draw(table, &grid, &columns, hosts, style, out)?;
            note_hidden(&grid, &hidden, width, out)
        }
        Plan::Records => {
            for row in 0..grid.rows.len() {
                for line in grid.record(row, width) {
                    let mut text = String::new();
                    for (i, (piece, column)) in line.into_iter().enumerate() {
                        let cell = column.and_then(|c| table.rows[row].get(c));
                        text.push_str(&match (cell, style.color) {
                            (Some(Cell::Relation(kind)), true) => format!("\x1b[{}m{piece}\x1b[0m", ansi(*kind)),
                            (Some(_), true) if i == 0 => format!("\x1b[1m{piece}\x1b[0m"),
                            _ => piece,
                        });
                    }
                    writeln!(out, "{}", text.trim_end())?;
                }
            }
            note_hidden(&grid, &grid.record_hidden(width), width, out)
        }
    }
}

/// Which columns a table at this width leaves out, and where to see them.
fn note_hidden(grid: &Grid, hidden: &[usize], width: usize, out: &mut dyn Write) -> io::Result<()> {
    if hidden.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = hidden.iter().map(|&c| grid.headers[c].as_str()).collect();
    let note = format!(
        "({} not shown at this width; a wider --width or --format csv shows {})",
        names.join(", "),
        if names.len() == 1 { "it" } else { "them" }
    );
    for line in layout::wrap(&note, width, true) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The table, with these columns at these widths (text wrapped at spaces to them).
fn draw(
    table: &Table,
    grid: &Grid,
    columns: &[(usize, usize)],
    hosts: bool,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut t = comfy_table::Table::new();
    t.load_style(STYLE);
    t.force_no_tty();
    t.set_content_arrangement(ContentArrangement::Disabled);
    if style.color {
        t.enforce_styling();
    }
    let fit = |text: &str, width: usize| {
        if width == usize::MAX {
            text.to_string()
        } else {
            layout::wrap(text, width, false).join("\n")
        }
    };
    t.set_header(columns.iter().map(|&(c, width)| {
        let cell = TableCell::new(fit(&grid.headers[c], width));
        if style.color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    for (r, row) in table.rows.iter().enumerate() {
        t.add_row(columns.iter().map(|&(c, width)| {
            let text = &grid.rows[r][c];
            let text = if hosts && layout::is_url(text) {
                layout::host(text)
            } else {
                text
            };
            let content = TableCell::new(fit(text, width));
            match (row.get(c), style.color) {
                (Some(Cell::Relation(kind)), true) => content.fg(color(*kind)),
                _ => content,
            }
        }));
    }
    writeln!(out, "{t}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_are_cut() {
        assert_eq!(super::cell_text("short"), "short");
        let long = "x".repeat(super::MAX_CELL_CHARS + 5);
        let shown = super::cell_text(&long);
        assert!(shown.starts_with(&"x".repeat(super::MAX_CELL_CHARS)));
        assert!(shown.ends_with("… (5 more characters)"), "{shown}");
    }
}
