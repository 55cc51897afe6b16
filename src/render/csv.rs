//! CSV (RFC 4180) with a header row; cells that a spreadsheet would run as a formula
//! are prefixed with `'`.

use std::io::{self, Write};

use crate::view::Table;

pub fn render(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(table.columns.iter().map(|c| defuse(c)))?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| defuse(&cell.plain(";"))))?;
    }
    writer.flush()
}

/// `=SUM(…)`, `+1`, `-1`, `@x`, or a leading tab or CR would be evaluated by a spreadsheet.
pub fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Cell;

    #[test]
    fn formulas_are_defused_and_quotes_escaped() {
        let mut table = Table::new(&["a", "b"]);
        table.push(vec![Cell::text("=cmd|' /C calc'!A0"), Cell::text("say \"hi\", then")]);
        table.push(vec![Cell::text("-5..3"), Cell::text("@x")]);
        let mut out = Vec::new();
        render(&table, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "a,b\r\n'=cmd|' /C calc'!A0,\"say \"\"hi\"\", then\"\r\n'-5..3,'@x\r\n"
        );
    }
}
