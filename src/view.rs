//! What a command shows, independent of the output format.
//!
//! A command builds a `View`: blocks for people (headings, text, tables, fields) and a
//! machine form (rows, or a record with its own JSON). Renderers turn it into a table,
//! CSV, JSON or Markdown; adding a format touches no command.

use serde_json::Value;

use crate::model::{Issue, Outcomes, RelationKind};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A number that need not be whole (a point of a scale).
    Number(f64),
    List(Vec<String>),
    Relation(RelationKind),
    /// A set of outcomes: `items` in the data notation (option ids, or one `MIN..MAX`)
    /// for CSV and JSON, `shown` in words for people (`—` for the empty set).
    Outcomes {
        items: Vec<String>,
        shown: String,
    },
    /// Words for people where the data has no value: empty in CSV, `null` in JSON.
    Note(String),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }

    pub fn count(n: usize) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// The text a person or a CSV reader sees; lists joined with `sep`.
    pub fn plain(&self, sep: &str) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Number(x) => crate::render::outcomes::number(*x),
            Cell::List(items) => items.join(sep),
            Cell::Relation(kind) => kind.as_str().to_string(),
            Cell::Outcomes { items, .. } => items.join(sep),
            Cell::Note(_) | Cell::Empty => String::new(),
        }
    }

    /// The text a person sees in a table, a field or Markdown.
    pub fn human(&self) -> String {
        match self {
            Cell::Outcomes { shown, .. } | Cell::Note(shown) => shown.clone(),
            Cell::Number(x) => crate::render::outcomes::grouped(*x),
            // An empty set reads the same in every table: never blank, never a word.
            Cell::List(items) if items.is_empty() => crate::render::outcomes::EMPTY.to_string(),
            other => other.plain(", "),
        }
    }

    pub fn json(&self) -> Value {
        match self {
            Cell::Text(s) => Value::String(s.clone()),
            Cell::Int(n) => Value::from(*n),
            Cell::Number(x) => crate::render::outcomes::json_number(*x),
            Cell::List(items) => Value::Array(items.iter().cloned().map(Value::String).collect()),
            Cell::Relation(kind) => Value::String(kind.as_str().to_string()),
            Cell::Outcomes { items, .. } => Value::Array(items.iter().cloned().map(Value::String).collect()),
            Cell::Note(_) | Cell::Empty => Value::Null,
        }
    }
}

/// A count with its noun: "1 pair", "2 pairs".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Named columns and rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Rows as JSON objects keyed by column name.
    pub fn json(&self) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|row| {
                    Value::Object(
                        self.columns
                            .iter()
                            .zip(row)
                            .map(|(column, cell)| (column.clone(), cell.json()))
                            .collect(),
                    )
                })
                .collect(),
        )
    }
}

/// One cell of a streamed row: text borrowed from the corpus where it can be, so that a
/// listing of a million rows writes them without copying every id first.
#[derive(Debug, Clone, PartialEq)]
pub enum Field<'a> {
    Str(&'a str),
    /// An id of a loaded corpus. Every id of a corpus that loaded matches the id pattern
    /// (SPEC §1: lower-case letters and digits in hyphenated runs), so CSV writes it as it
    /// is, with nothing to quote, defuse or escape.
    Id(&'a str),
    /// A set of outcomes of an issue: written as data (ids joined) without building the
    /// words a person would read.
    Outcomes(&'a Issue, &'a Outcomes),
    /// The outcomes two sets of an issue share, written as `Outcomes` is: CSV writes the
    /// intersection as it walks the two sets, without building it.
    Meet(&'a Issue, &'a Outcomes, &'a Outcomes),
    Cell(Cell),
}

impl Field<'_> {
    /// The cell a table shows.
    pub fn to_cell(&self) -> Cell {
        match self {
            Field::Str(s) | Field::Id(s) => Cell::text(*s),
            Field::Outcomes(issue, set) => crate::render::outcomes::cell(issue, set),
            Field::Meet(issue, a, b) => crate::render::outcomes::cell(issue, &crate::model::outcomes::intersect(a, b)),
            Field::Cell(cell) => cell.clone(),
        }
    }

    /// The cell CSV and JSON take: its data alone.
    pub fn to_data_cell(&self) -> Cell {
        match self {
            Field::Outcomes(issue, set) => Cell::Outcomes {
                items: crate::model::outcomes::items(issue, set),
                shown: String::new(),
            },
            Field::Meet(issue, a, b) => Cell::Outcomes {
                items: crate::model::outcomes::items(issue, &crate::model::outcomes::intersect(a, b)),
                shown: String::new(),
            },
            other => other.to_cell(),
        }
    }
}

impl From<Cell> for Field<'_> {
    fn from(cell: Cell) -> Self {
        Field::Cell(cell)
    }
}

/// Where a long listing sends its rows as it computes them: a `Table` collects them, a
/// `render::stream::RowWriter` writes them out at once.
pub trait RowSink {
    fn begin(&mut self, columns: &[String]) -> std::io::Result<()>;
    fn row(&mut self, cells: Vec<Cell>) -> std::io::Result<()>;

    /// A row of borrowed fields; a sink that keeps rows copies them.
    fn fields(&mut self, fields: &[Field<'_>]) -> std::io::Result<()> {
        self.row(fields.iter().map(Field::to_cell).collect())
    }

    /// Does this sink take rows encoded apart, on other threads, as [`Part`]s handed to
    /// [`RowSink::append`] in order? Only a CSV writer does: its records simply follow
    /// one another.
    ///
    /// [`Part`]: crate::render::rows::Part
    fn takes_parts(&self) -> bool {
        false
    }

    /// Write rows encoded apart, after the rows before them; give back the part's buffer,
    /// emptied, for the next part.
    fn append(&mut self, part: crate::render::rows::Part) -> std::io::Result<Vec<u8>> {
        let _ = part;
        Err(std::io::Error::other("this output takes its rows one by one"))
    }
}

impl RowSink for Table {
    fn begin(&mut self, columns: &[String]) -> std::io::Result<()> {
        self.columns = columns.to_vec();
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> std::io::Result<()> {
        self.rows.push(cells);
        Ok(())
    }
}

/// A piece of the human form.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Text(String),
    /// Lines shown as they are (diagnostics with their source excerpts).
    Preformatted(String),
    /// A table for people, with its own column labels.
    Table(Table),
    /// The machine rows, shown as a table.
    Rows,
    /// Label / value pairs.
    Fields(Vec<(String, Cell)>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Machine {
    Rows(Table),
    /// One object for JSON, and rows for CSV.
    Record {
        json: Value,
        rows: Table,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub human: Vec<Block>,
    pub machine: Machine,
}

impl View {
    /// A plain listing: the rows are the whole view.
    pub fn rows(table: Table) -> View {
        View {
            human: vec![Block::Rows],
            machine: Machine::Rows(table),
        }
    }

    pub fn rows_table(&self) -> &Table {
        match &self.machine {
            Machine::Rows(table) | Machine::Record { rows: table, .. } => table,
        }
    }
}
