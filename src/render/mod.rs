//! Turning an `Output` into bytes: one module per format, and `escape`, which keeps
//! corpus text from acting on the reader's terminal, spreadsheet or browser.

pub mod diagnostic;
pub mod escape;
pub mod graph;
pub mod html;
pub mod layout;
mod markdown;
pub mod outcomes;
pub mod rows;
mod table;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cmd::Output;
use crate::view::{Machine, Table, View};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
    /// A self-contained HTML page (`report` only)
    Html,
    /// Graphviz DOT (`graph` only)
    Dot,
    /// Mermaid flowchart (`graph` only)
    Mermaid,
}

/// How the human table is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    /// The width to fit tables and text to: `--width`, else `$COLUMNS`, else the
    /// terminal's when writing to one; `None` (nothing wrapped) otherwise.
    pub width: Option<usize>,
}

/// What a table says it is: a title line above it (tables only, not CSV or JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caption {
    /// What the command shows ("Demands").
    pub title: String,
    /// "built-in corpus", or "corpus NAME" (the directory's name).
    pub corpus: String,
    pub as_of: Option<crate::date::Date>,
    /// The corpus's latest dated statement, when the date of the analysis is after it.
    pub latest: Option<crate::date::Date>,
    /// What a listing's rows are, singular and plural ("demand", "demands").
    pub noun: Option<(&'static str, &'static str)>,
}

/// How output is written, decided once from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub format: Format,
    pub style: Style,
    /// The title line of a table; set once the command has run.
    pub caption: Option<Caption>,
    /// `--output FILE`; stdout when `None`.
    pub target: Option<PathBuf>,
}

/// Write a command's output where it belongs, and the exit code it calls for: the one
/// place an `Output` becomes bytes. No file is written over one of `protected` (the files
/// of the corpus read).
pub fn write(output: Output, settings: &Settings, protected: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let target = settings.target.as_deref();
    match output {
        Output::Files(set) => {
            crate::output::write_files(&set)?;
            if let Some(message) = &set.message {
                crate::output::write_with(None, &[], |out| out.write_all(message.as_bytes()))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Output::Also { output, files } => {
            for (path, bytes) in &files {
                crate::output::write_file(path, protected, |out| out.write_all(bytes))
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            write(*output, settings, protected)
        }
        // The view for people is made before anything is written: refusing it (too
        // large a grid) is an error of the command, with its hint.
        Output::Split { human, rows } => match settings.format {
            Format::Csv | Format::Json => write(Output::Listing(rows), settings, protected),
            _ => write(Output::View(human()?), settings, protected),
        },
        Output::Checked { view, failed } => {
            crate::output::write_with(target, protected, |out| {
                render_with(&view, settings.format, settings.style, settings.caption.as_ref(), out)
            })?;
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        output => {
            crate::output::write_with(target, protected, |out| write_to(output, settings, out))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// An output that is one stream of bytes (anything but files for a directory) into `out`.
pub fn write_to(output: Output, settings: &Settings, out: &mut dyn Write) -> io::Result<()> {
    let (format, style) = (settings.format, settings.style);
    let render = |view: &View, format: Format, style: Style, out: &mut dyn Write| {
        render_with(view, format, style, settings.caption.as_ref(), out)
    };
    match output {
        Output::View(view) | Output::Checked { view, .. } => render(&view, format, style, out),
        Output::Listing(listing) => match format {
            Format::Csv | Format::Json => {
                let mut writer = rows::RowWriter::new(out, format);
                listing(&mut writer).map_err(into_io)?;
                writer.finish()
            }
            _ => {
                let mut table = Table::default();
                listing(&mut table).map_err(into_io)?;
                render(&View::rows(table), format, style, out)
            }
        },
        Output::Split { human, rows } => match format {
            Format::Csv | Format::Json => write_to(Output::Listing(rows), settings, out),
            _ => render(&human().map_err(into_io)?, format, style, out),
        },
        Output::Report(report) => html::render(&report, out),
        Output::Graph(graph) => match format {
            Format::Mermaid => graph::mermaid(&graph, out),
            _ => graph::dot(&graph, out),
        },
        Output::Text(bytes) => out.write_all(&bytes),
        Output::Also { output, .. } => write_to(*output, settings, out),
        Output::Files(_) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "files are written into their directory, not into one stream",
        )),
    }
}

/// Keep an I/O error as it is (a broken pipe must stay recognisable as one).
fn into_io(err: anyhow::Error) -> io::Error {
    match err.downcast::<io::Error>() {
        Ok(err) => err,
        Err(other) => io::Error::other(format!("{other:#}")),
    }
}

/// A view in one of the four formats of listings and records.
pub fn render(view: &View, format: Format, style: Style, out: &mut dyn Write) -> io::Result<()> {
    render_with(view, format, style, None, out)
}

/// `render`, with the title line a table starts with.
pub fn render_with(
    view: &View,
    format: Format,
    style: Style,
    caption: Option<&Caption>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::render(view, style, caption, out),
        Format::Markdown => markdown::render(view, out),
        Format::Csv => rows::RowWriter::table(view.rows_table(), format, out),
        Format::Json => match &view.machine {
            Machine::Rows(table) => rows::RowWriter::table(table, format, out),
            Machine::Record { json, .. } => {
                let text = escape::json(serde_json::to_string_pretty(json)?);
                writeln!(out, "{text}")
            }
        },
        // The command line refuses these formats for a view.
        Format::Html | Format::Dot | Format::Mermaid => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "HTML, DOT and Mermaid are formats of `positions report` and `positions graph` only",
        )),
    }
}
