//! Rows written as they are computed: CSV and JSON for listings too long to hold in
//! memory (every pair of a large corpus, the demand × demand matrix). The bytes are the
//! same as rendering the whole table at once.

use std::io::{self, Write};

use super::Format;
use crate::view::{Cell, RowSink};

pub struct RowWriter<'w> {
    out: &'w mut dyn Write,
    format: Format,
    columns: Vec<String>,
    rows: usize,
}

impl<'w> RowWriter<'w> {
    /// A writer of CSV or JSON rows (the two formats that stream).
    pub fn new(out: &'w mut dyn Write, format: Format) -> RowWriter<'w> {
        RowWriter {
            out,
            format,
            columns: Vec::new(),
            rows: 0,
        }
    }

    fn csv_record(&mut self, cells: &[Cell]) -> io::Result<()> {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            match cell {
                Cell::Text(text) => self.csv_field(text)?,
                Cell::Relation(kind) => self.out.write_all(kind.as_str().as_bytes())?,
                Cell::Empty => {}
                other => self.csv_field(&other.plain(";"))?,
            }
        }
        self.out.write_all(b"\r\n")
    }

    /// One field as `csv::defuse` and the csv crate would write it, without copying it.
    fn csv_field(&mut self, text: &str) -> io::Result<()> {
        let prefix: &[u8] = if matches!(text.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
            b"'"
        } else {
            b""
        };
        // RFC 4180: quote a field holding a comma, a quote or a line break.
        if text.contains([',', '"', '\n', '\r']) {
            self.out.write_all(b"\"")?;
            self.out.write_all(prefix)?;
            self.out.write_all(text.replace('"', "\"\"").as_bytes())?;
            self.out.write_all(b"\"")
        } else {
            self.out.write_all(prefix)?;
            self.out.write_all(text.as_bytes())
        }
    }

    fn write_row(&mut self, cells: &[Cell]) -> io::Result<()> {
        match self.format {
            Format::Json => {
                let object = serde_json::Value::Object(
                    self.columns
                        .iter()
                        .zip(cells)
                        .map(|(c, cell)| (c.clone(), cell.json()))
                        .collect(),
                );
                // Pretty-printed and indented as one element of a pretty array.
                let text = serde_json::to_string_pretty(&object).map_err(io::Error::other)?;
                self.out.write_all(if self.rows == 0 { b"[\n" } else { b",\n" })?;
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    write!(self.out, "  {line}")?;
                }
            }
            _ => self.csv_record(cells)?,
        }
        self.rows += 1;
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        self.out.flush()?;
        match self.format {
            Format::Json if self.rows == 0 => self.out.write_all(b"[]\n"),
            Format::Json => self.out.write_all(b"\n]\n"),
            _ => Ok(()),
        }
    }
}

impl RowSink for RowWriter<'_> {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.columns = columns.to_vec();
        if self.format == Format::Csv {
            let header: Vec<Cell> = columns.iter().map(Cell::text).collect();
            self.csv_record(&header)?;
        }
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        self.write_row(&cells)
    }
}
