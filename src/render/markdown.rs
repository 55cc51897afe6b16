//! Markdown: headings, paragraphs and pipe tables. Text is escaped for Markdown and
//! for the HTML it usually becomes.

use std::io::{self, Write};

use super::sanitize;
use crate::view::{Block, Table, View};

pub fn render(view: &View, out: &mut dyn Write) -> io::Result<()> {
    for (index, block) in view.human.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        match block {
            Block::Heading(text) => writeln!(out, "## {}", escape(text))?,
            Block::Text(text) => writeln!(out, "{}", escape(text))?,
            Block::Preformatted(text) => {
                // A fence longer than any run of backticks in the text cannot be closed by it.
                let fence = "`".repeat(longest_backtick_run(text).max(2) + 1);
                writeln!(out, "{fence}text")?;
                for line in text.lines() {
                    writeln!(out, "{}", sanitize(line))?;
                }
                writeln!(out, "{fence}")?;
            }
            Block::Table(table) => write_table(table, out)?,
            Block::Rows => write_table(view.rows_table(), out)?,
            Block::Fields(fields) => {
                for (key, value) in fields {
                    writeln!(out, "- **{}:** {}", escape(key), escape(&value.plain(", ")))?;
                }
            }
        }
    }
    Ok(())
}

fn write_table(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<String> = table.columns.iter().map(|c| escape(c)).collect();
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}|", vec!["---"; header.len()].join("|"))?;
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| escape(&c.plain(", "))).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Escape what Markdown or HTML would interpret: pipes, emphasis and link syntax, tags
/// and entities; and control characters, as everywhere.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in sanitize(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(escape("a|b <script>"), "a\\|b &lt;script&gt;");
        assert_eq!(escape("x_y *z*"), "x\\_y \\*z\\*");
    }
}
