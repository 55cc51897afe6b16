//! Markdown: headings, paragraphs and pipe tables. Text is escaped for Markdown and
//! for the HTML it usually becomes.

use std::io::{self, Write};

use super::escape;
use crate::view::{Block, Table, View};

pub fn render(view: &View, out: &mut dyn Write) -> io::Result<()> {
    for (index, block) in view.human.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        match block {
            Block::Heading(text) => writeln!(out, "## {}", escape::markdown(text))?,
            Block::Text(text) => writeln!(out, "{}", escape::markdown(text))?,
            Block::Preformatted(text) => {
                // A fence longer than any run of backticks in the text cannot be closed by it.
                let fence = "`".repeat(longest_backtick_run(text).max(2) + 1);
                writeln!(out, "{fence}text")?;
                for line in text.lines() {
                    writeln!(out, "{}", escape::terminal(line))?;
                }
                writeln!(out, "{fence}")?;
            }
            Block::Table(table) => write_table(table, out)?,
            Block::Rows => write_table(view.rows_table(), out)?,
            Block::Fields(fields) => {
                for (key, value) in fields {
                    writeln!(
                        out,
                        "- **{}:** {}",
                        escape::markdown(key),
                        escape::markdown(&value.human())
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn write_table(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<String> = table.columns.iter().map(|c| escape::markdown(c)).collect();
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}|", vec!["---"; header.len()].join("|"))?;
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| escape::markdown(&c.human())).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}
