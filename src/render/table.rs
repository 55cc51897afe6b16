//! Tables for people on a terminal.

use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell as TableCell, Color, ColumnConstraint, ContentArrangement, LineStyle, TableStyle, Width,
};

use super::{Style, sanitize};
use crate::model::RelationKind;
use crate::view::{Block, Cell, Table, View};

/// A rule under the header and nothing else: quiet, and easy to read down a column.
const STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

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
                let text = sanitize(text);
                if style.color {
                    writeln!(out, "\x1b[1m{text}\x1b[0m")?;
                } else {
                    writeln!(out, "{text}")?;
                }
            }
            Block::Text(text) => writeln!(out, "{}", sanitize(text))?,
            Block::Preformatted(text) => {
                for line in text.lines() {
                    writeln!(out, "{}", sanitize(line))?;
                }
            }
            Block::Table(table) => write_table(table, false, style, out)?,
            Block::Rows => write_table(view.rows_table(), true, style, out)?,
            Block::Fields(fields) => {
                let width = fields.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
                for (key, value) in fields {
                    let value = styled_text(value, style);
                    writeln!(out, "{:>width$}  {}", sanitize(key), value)?;
                }
            }
        }
    }
    Ok(())
}

fn styled_text(cell: &Cell, style: Style) -> String {
    let text = sanitize(&cell.plain(", "));
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
        let cell = TableCell::new(sanitize(&label));
        if style.color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    for row in &table.rows {
        t.add_row(row.iter().map(|cell| {
            let content = TableCell::new(sanitize(&cell.plain(", ")));
            match (cell, style.color) {
                (Cell::Relation(kind), true) => content.fg(color(*kind)),
                _ => content,
            }
        }));
    }
    if style.wrap {
        for (index, name) in table.columns.iter().enumerate() {
            if TEXT_COLUMNS.contains(&name.as_str())
                && let Some(column) = t.column_mut(index)
            {
                column.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(TEXT_COLUMN_MAX)));
            }
        }
    }
    writeln!(out, "{t}")
}
