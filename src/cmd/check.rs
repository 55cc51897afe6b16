//! `positions check`: every diagnostic of the corpus; exit 1 on any error.

use anyhow::Result;

use super::{Env, Output};
use crate::corpus::{CorpusFiles, Loaded};
use crate::render::plural;
use crate::view::{Block, Cell, Machine, Table, View};

pub fn run<'a>(env: &'a Env) -> Result<Output<'a>> {
    let (files, loaded) = env.checked()?;
    Ok(Output::Checked {
        view: view(files, loaded),
        failed: loaded.diagnostics.has_errors(),
    })
}

/// Every diagnostic of the files, and a summary line.
pub fn view(files: &CorpusFiles, loaded: &Loaded) -> View {
    let mut rows = Table::new(&["severity", "file", "line", "column", "message", "hint"]);
    let mut human = Vec::new();
    for d in &loaded.diagnostics.items {
        rows.push(vec![
            Cell::text(match d.severity {
                crate::corpus::Severity::Error => "error",
                crate::corpus::Severity::Warning => "warning",
            }),
            Cell::text(&d.file),
            Cell::Int(i64::from(d.line)),
            Cell::Int(i64::from(d.column)),
            Cell::text(&d.message),
            Cell::opt(d.hint.clone()),
        ]);
        human.push(Block::Preformatted(crate::render::diagnostic::with_source(files, d)));
    }
    let (errors, warnings) = (loaded.diagnostics.error_count(), loaded.diagnostics.warning_count());
    let summary = match &loaded.corpus {
        Some(corpus) => format!(
            "ok: {}, {}, {}, {}, {}; {}",
            plural(corpus.parties.len(), "party"),
            plural(corpus.issues.len(), "issue"),
            plural(corpus.demands.len(), "demand"),
            plural(corpus.relations.len(), "relation"),
            plural(corpus.plans.len(), "plan"),
            plural(warnings, "warning")
        ),
        None => format!("{}, {}", plural(errors, "error"), plural(warnings, "warning")),
    };
    human.push(Block::Text(summary));
    View {
        human,
        machine: Machine::Rows(rows),
    }
}
