//! The commands whose output is a document of its own rather than a `View`: the HTML
//! report, the graph as DOT or Mermaid, JSON Schemas, a new corpus, shell completions and
//! the man page. `lib.rs` hands each command here first.

use std::process::ExitCode;

use anyhow::Result;

use super::{Context, completions, graph, init, report, schema};
use crate::cli::{Cli, Command};
use crate::corpus::Origin;
use crate::output;
use crate::render::{Format, html};

/// Run a command that needs no corpus; `None` for every other command.
pub fn without_corpus(cli: &Cli) -> Result<Option<ExitCode>> {
    let output = cli.output.as_deref();
    match &cli.command {
        Command::Schema(args) => schema::run(args, output)?,
        Command::Init(args) => init::run(args)?,
        Command::Completions { shell } => output::write_with(output, |out| completions::completions(*shell, out))?,
        Command::Man { dir: Some(dir) } => completions::man_pages(dir)?,
        Command::Man { dir: None } => output::write_with(output, completions::man)?,
        _ => return Ok(None),
    }
    Ok(Some(ExitCode::SUCCESS))
}

/// Run a command that writes a document from the corpus; `false` for every other command.
pub fn with_corpus(ctx: &Context, cli: &Cli, origin: &Origin) -> Result<bool> {
    let output = cli.output.as_deref();
    match &cli.command {
        Command::Report(args) => {
            let report = report::run(ctx, args, origin)?;
            output::write_with(output, |out| html::render(&report, out))?;
        }
        Command::Graph(args) => {
            let graph = graph::run(ctx, args)?;
            output::write_with(output, |out| match cli.format {
                Format::Mermaid => crate::render::graph::mermaid(&graph, out),
                _ => crate::render::graph::dot(&graph, out),
            })?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}
