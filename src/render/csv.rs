//! CSV (RFC 4180) with a header row; cells that a spreadsheet would run as a formula
//! are prefixed with `'`.

use std::io::{self, Write};

use crate::view::Table;

pub fn render(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    // RFC 4180 to the letter, as the contract says: quoted where needed, each record
    // (the last included) ended by CRLF.
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    writer
        .write_record(table.columns.iter().map(|c| defuse(c)))
        .map_err(io_error)?;
    for row in &table.rows {
        writer
            .write_record(row.iter().map(|cell| defuse(&cell.plain(";"))))
            .map_err(io_error)?;
    }
    writer.flush()
}

/// Keep the underlying I/O error (a broken pipe must stay recognisable as one).
fn io_error(err: ::csv::Error) -> io::Error {
    match err.into_kind() {
        ::csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
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
