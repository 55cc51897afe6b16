//! Rows as CSV or JSON: the one writer of both, for a listing collected in a `Table` and
//! for one streamed as it is computed (every pair of a large corpus, the demand × demand
//! matrix), so the bytes are the same either way.
//!
//! CSV is RFC 4180 to the letter, as the contract says, written by the `csv` crate:
//! a header row, quoted where needed, each record (the last included) ended by CRLF, and
//! cells a spreadsheet would run as a formula defused. JSON is an array of objects keyed
//! by column, encoded by `serde_json` and pretty-printed one element at a time.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{Format, escape};
use crate::model::outcomes;
use crate::model::{IssueKind, Outcomes};
use crate::view::{Cell, Field, RowSink, Table};

pub struct RowWriter<'w> {
    kind: Kind<'w>,
    columns: Vec<String>,
    rows: usize,
    /// Where a streamed field that must be built is built, reused from row to row.
    scratch: Vec<u8>,
}

enum Kind<'w> {
    Csv(Box<csv::Writer<&'w mut dyn Write>>),
    Json(&'w mut dyn Write),
}

impl<'w> RowWriter<'w> {
    /// A writer of CSV, or of JSON for any other format.
    pub fn new(out: &'w mut dyn Write, format: Format) -> RowWriter<'w> {
        let kind = match format {
            Format::Csv => Kind::Csv(Box::new(csv_builder().from_writer(out))),
            _ => Kind::Json(out),
        };
        RowWriter {
            kind,
            columns: Vec::new(),
            rows: 0,
            scratch: Vec::new(),
        }
    }

    /// A whole table at once.
    pub fn table(table: &Table, format: Format, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = RowWriter::new(out, format);
        writer.begin(&table.columns)?;
        for row in &table.rows {
            writer.write_row(row)?;
        }
        writer.finish()
    }

    fn write_row(&mut self, cells: &[Cell]) -> io::Result<()> {
        match &mut self.kind {
            Kind::Csv(writer) => writer.write_record(cells.iter().map(csv_field)).map_err(io_error)?,
            Kind::Json(out) => {
                let object = serde_json::Value::Object(
                    self.columns
                        .iter()
                        .zip(cells)
                        .map(|(c, cell)| (c.clone(), cell.json()))
                        .collect(),
                );
                // Pretty-printed and indented as one element of a pretty array.
                let text = escape::json(serde_json::to_string_pretty(&object).map_err(io::Error::other)?);
                out.write_all(if self.rows == 0 { b"[\n" } else { b",\n" })?;
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        out.write_all(b"\n")?;
                    }
                    write!(out, "  {line}")?;
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        match self.kind {
            Kind::Csv(mut writer) => writer.flush(),
            Kind::Json(out) if self.rows == 0 => out.write_all(b"[]\n"),
            Kind::Json(out) => out.write_all(b"\n]\n"),
        }
    }
}

/// A cell's text as CSV holds it: lists joined by `;`, formulas defused.
fn csv_field(cell: &Cell) -> Cow<'_, [u8]> {
    match cell {
        Cell::Text(text) => csv_text(text),
        Cell::Relation(kind) => Cow::Borrowed(kind.as_str().as_bytes()),
        Cell::Empty => Cow::Borrowed(b""),
        other => Cow::Owned(escape::csv_cell(&other.plain(";")).into_owned().into_bytes()),
    }
}

/// Text as a CSV cell, borrowed when it needs no escaping (almost every id and outcome).
fn csv_text(text: &str) -> Cow<'_, [u8]> {
    match escape::csv_cell(text) {
        Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
        Cow::Owned(text) => Cow::Owned(text.into_bytes()),
    }
}

/// One streamed field as CSV holds it, written into `scratch` when it must be built.
fn csv_ref<'a>(field: &'a Field<'_>, scratch: &'a mut Vec<u8>) -> Cow<'a, [u8]> {
    match field {
        Field::Str(text) => csv_text(text),
        Field::Id(id) => {
            debug_assert!(crate::corpus::is_valid_id(id), "not an id: {id:?}");
            Cow::Borrowed(id.as_bytes())
        }
        Field::Outcomes(issue, set) => match (set, &issue.kind) {
            (Outcomes::Options(indices), IssueKind::Options(options)) => {
                scratch.clear();
                join_options(scratch, options, indices);
                Cow::Borrowed(scratch.as_slice())
            }
            _ if set.is_empty() => Cow::Borrowed(b""),
            _ => Cow::Owned(
                escape::csv_cell(&outcomes::machine(issue, set))
                    .into_owned()
                    .into_bytes(),
            ),
        },
        Field::Meet(issue, a, b) => match (a, b, &issue.kind) {
            (Outcomes::Options(xs), Outcomes::Options(ys), IssueKind::Options(options)) => {
                scratch.clear();
                join_common_options(scratch, options, xs, ys);
                Cow::Borrowed(scratch.as_slice())
            }
            _ => match outcomes::intersect(a, b) {
                set if set.is_empty() => Cow::Borrowed(b""),
                // `MIN..MAX`, as `outcomes::machine` writes it, built in `scratch`.
                Outcomes::Range { min, max } => {
                    scratch.clear();
                    // Writing into a vector cannot fail.
                    let _ = write!(scratch, "{}..{}", outcomes::normal(min), outcomes::normal(max));
                    match std::str::from_utf8(scratch).map(escape::csv_cell) {
                        Ok(Cow::Borrowed(_)) => Cow::Borrowed(scratch.as_slice()),
                        Ok(Cow::Owned(defused)) => Cow::Owned(defused.into_bytes()),
                        Err(_) => Cow::Borrowed(b""),
                    }
                }
                set => Cow::Owned(
                    escape::csv_cell(&outcomes::machine(issue, &set))
                        .into_owned()
                        .into_bytes(),
                ),
            },
        },
        Field::Cell(cell) => csv_field(cell),
    }
}

/// Option ids joined by `;` after what `out` holds. An option id is an id (letters,
/// digits and hyphens, a letter or digit first): nothing to quote and nothing to defuse.
fn join_options(out: &mut Vec<u8>, options: &[crate::model::OptionDef], indices: &[usize]) {
    for (n, &i) in indices.iter().enumerate() {
        if n > 0 {
            out.push(b';');
        }
        out.extend_from_slice(options[i].id.as_bytes());
    }
}

/// [`join_options`] of the options in both lists, which are in the issue's order: walked
/// side by side.
fn join_common_options(out: &mut Vec<u8>, options: &[crate::model::OptionDef], xs: &[usize], ys: &[usize]) {
    let (mut xs, mut ys) = (xs, ys);
    let mut first = true;
    while let (Some((x, rest_x)), Some((y, rest_y))) = (xs.split_first(), ys.split_first()) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => xs = rest_x,
            std::cmp::Ordering::Greater => ys = rest_y,
            std::cmp::Ordering::Equal => {
                if !first {
                    out.push(b';');
                }
                first = false;
                out.extend_from_slice(options[*x].id.as_bytes());
                (xs, ys) = (rest_x, rest_y);
            }
        }
    }
}

/// Whether the `csv` crate would quote a field: it holds a delimiter, a quote or a line end.
fn needs_quotes(cell: &[u8]) -> bool {
    cell.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

/// Write one field as CSV holds it after what `out` holds, when it needs no quotes; else
/// `false`, with `out` written to partly. Ids, relations and lists of options are written
/// as they are, with nothing to look for in them (the most of every row of `pairs`).
fn plain_into(field: &Field<'_>, out: &mut Vec<u8>, scratch: &mut Vec<u8>) -> bool {
    match field {
        Field::Id(id) => {
            debug_assert!(crate::corpus::is_valid_id(id), "not an id: {id:?}");
            out.extend_from_slice(id.as_bytes());
        }
        Field::Cell(Cell::Relation(kind)) => out.extend_from_slice(kind.as_str().as_bytes()),
        Field::Outcomes(
            crate::model::Issue {
                kind: IssueKind::Options(options),
                ..
            },
            Outcomes::Options(indices),
        ) => join_options(out, options, indices),
        Field::Meet(
            crate::model::Issue {
                kind: IssueKind::Options(options),
                ..
            },
            Outcomes::Options(xs),
            Outcomes::Options(ys),
        ) => join_common_options(out, options, xs, ys),
        other => {
            let cell = csv_ref(other, scratch);
            if needs_quotes(&cell) {
                return false;
            }
            out.extend_from_slice(&cell);
        }
    }
    true
}

/// Keep the underlying I/O error (a broken pipe must stay recognisable as one).
fn io_error(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl RowSink for RowWriter<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.columns = columns.to_vec();
        if let Kind::Csv(writer) = &mut self.kind {
            writer
                .write_record(columns.iter().map(|c| escape::csv_cell(c).into_owned()))
                .map_err(io_error)?;
        }
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        self.write_row(&cells)
    }

    fn fields(&mut self, fields: &[Field<'_>]) -> io::Result<()> {
        match &mut self.kind {
            Kind::Csv(writer) => {
                csv_fields(writer, fields, &mut self.scratch)?;
                self.rows += 1;
                Ok(())
            }
            Kind::Json(_) => self.write_row(&fields.iter().map(Field::to_data_cell).collect::<Vec<_>>()),
        }
    }

    fn takes_parts(&self) -> bool {
        matches!(self.kind, Kind::Csv(_))
    }

    fn append(&mut self, part: Part) -> io::Result<Vec<u8>> {
        let Kind::Csv(writer) = &mut self.kind else {
            return Err(io::Error::other("only CSV rows are encoded apart"));
        };
        let (rows, mut bytes) = part.finish();
        // The rows written so far first, then the part's, as they are; the CSV writer is
        // taken apart to reach the output and built again, as `new` builds it.
        let out = std::mem::replace(writer, Box::new(csv_builder().from_writer(nowhere())))
            .into_inner()
            .map_err(csv::IntoInnerError::into_error)?;
        out.write_all(&bytes)?;
        **writer = csv_builder().from_writer(out);
        self.rows += rows;
        bytes.clear();
        Ok(bytes)
    }
}

/// A writer that stands in for the output while the CSV writer is rebuilt. `io::Sink` has
/// no size, so nothing is allocated and nothing leaks.
fn nowhere<'w>() -> &'w mut dyn Write {
    Box::leak(Box::new(io::sink()))
}

/// One row of streamed fields as a CSV record.
fn csv_fields<W: Write>(writer: &mut csv::Writer<W>, fields: &[Field<'_>], scratch: &mut Vec<u8>) -> io::Result<()> {
    for field in fields {
        writer.write_field(csv_ref(field, scratch)).map_err(io_error)?;
    }
    // An empty record after the fields ends the row.
    writer.write_record(None::<&[u8]>).map_err(io_error)
}

/// CSV rows encoded apart from the stream they join (on another thread), byte for byte as
/// [`RowWriter`] writes them, for [`RowSink::append`].
///
/// Most rows of a long listing are ids, relation names and outcome sets: fields with no
/// comma, quote or line end, which RFC 4180 writes as they are. Such a row is joined
/// here with commas, straight into the buffer; any other row is written by the `csv`
/// crate, as every row of a [`RowWriter`] is (`pairs_encoded_on_every_core_are_the_rows_
/// written_one_by_one` in the tests compares the two).
pub struct Part {
    bytes: Vec<u8>,
    rows: usize,
    scratch: Vec<u8>,
}

impl Part {
    /// A part encoded after what `buffer` holds (a buffer [`RowSink::append`] gave back,
    /// emptied: reusing it spares the system handing over fresh pages for every part).
    pub fn new(buffer: Vec<u8>) -> Part {
        Part {
            bytes: buffer,
            rows: 0,
            scratch: Vec::new(),
        }
    }

    /// The number of rows and their bytes.
    fn finish(self) -> (usize, Vec<u8>) {
        (self.rows, self.bytes)
    }

    /// A row through the `csv` crate, after the rows before it.
    fn write_with_csv(&mut self, fields: &[Field<'_>]) -> io::Result<()> {
        let mut writer = csv_builder().from_writer(&mut self.bytes);
        csv_fields(&mut writer, fields, &mut self.scratch)?;
        writer.flush()
    }
}

impl Part {
    /// A row whose first fields are `ids`, each one id or several joined by commas (so
    /// with nothing to quote), and whose last is `last`; `whole` is the same row field
    /// by field, for the `csv` crate to write should `last` need quotes.
    pub fn row_after_ids<'f, Row: AsRef<[Field<'f>]>>(
        &mut self,
        ids: &[&str],
        last: &Field<'_>,
        whole: impl FnOnce() -> Row,
    ) -> io::Result<()> {
        let start = self.bytes.len();
        for id in ids {
            self.bytes.extend_from_slice(id.as_bytes());
            self.bytes.push(b',');
        }
        if plain_into(last, &mut self.bytes, &mut self.scratch) {
            self.bytes.extend_from_slice(b"\r\n");
        } else {
            self.bytes.truncate(start);
            self.write_with_csv(whole().as_ref())?;
        }
        self.rows += 1;
        Ok(())
    }
}

impl RowSink for Part {
    /// A part has no header: the stream it joins wrote it.
    fn begin(&mut self, _columns: &[String]) -> io::Result<()> {
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        let fields: Vec<Field<'_>> = cells.into_iter().map(Field::Cell).collect();
        self.write_with_csv(&fields)?;
        self.rows += 1;
        Ok(())
    }

    fn fields(&mut self, fields: &[Field<'_>]) -> io::Result<()> {
        let start = self.bytes.len();
        let mut plain = true;
        for (n, field) in fields.iter().enumerate() {
            if n > 0 {
                self.bytes.push(b',');
            }
            if !plain_into(field, &mut self.bytes, &mut self.scratch) {
                plain = false;
                break;
            }
        }
        // The `csv` crate quotes the one field of a record when it is empty.
        if fields.len() == 1 && self.bytes.len() == start {
            plain = false;
        }
        if plain {
            self.bytes.extend_from_slice(b"\r\n");
        } else {
            self.bytes.truncate(start);
            self.write_with_csv(fields)?;
        }
        self.rows += 1;
        Ok(())
    }
}

/// The one configuration of CSV: RFC 4180, CRLF after every record.
fn csv_builder() -> csv::WriterBuilder {
    let mut builder = csv::WriterBuilder::new();
    builder.terminator(csv::Terminator::CRLF);
    builder
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
        RowWriter::table(&table, Format::Csv, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "a,b\r\n'=cmd|' /C calc'!A0,\"say \"\"hi\"\", then\"\r\n'-5..3,'@x\r\n"
        );
    }

    #[test]
    fn json_rows_are_a_pretty_array() {
        let mut table = Table::new(&["a", "list"]);
        let mut out = Vec::new();
        RowWriter::table(&table, Format::Json, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[]\n");
        table.push(vec![Cell::count(1), Cell::List(vec!["x".into()])]);
        let mut out = Vec::new();
        RowWriter::table(&table, Format::Json, &mut out).unwrap();
        let expected = serde_json::to_string_pretty(&table.json()).unwrap() + "\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn a_row_after_joined_ids_is_the_row_written_field_by_field() {
        // The last field plain, then one the csv crate must quote (the whole row then
        // goes through it, so the ids are not quoted as one).
        for last in ["open", "say \"hi\", then"] {
            let whole = || {
                [
                    Field::Id("north"),
                    Field::Id("n-1"),
                    Field::Id("south"),
                    Field::Str(last),
                ]
            };
            let mut joined = Part::new(Vec::new());
            joined
                .row_after_ids(&["north,n-1", "south"], &Field::Str(last), whole)
                .unwrap();
            let mut one_by_one = Part::new(Vec::new());
            one_by_one.fields(&whole()).unwrap();
            let (rows, bytes) = joined.finish();
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.starts_with("north,n-1,south,") && text.ends_with("\r\n"), "{text}");
            assert_eq!(text.contains("\"say \"\"hi\"\", then\""), last.contains(','), "{text}");
            assert_eq!((rows, text), {
                let (rows, bytes) = one_by_one.finish();
                (rows, String::from_utf8(bytes).unwrap())
            });
        }
    }
}
