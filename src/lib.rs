//! positions: compare the stated demands of parties to a negotiation.
//!
//! Data flows one way: YAML files → `corpus::load` (typed, validated, indexed `Corpus`)
//! → `engine` (relations, common ground) → a command builds a `View` → `render` writes
//! it as a table, CSV, JSON or Markdown.

pub mod cli;
pub mod cmd;
pub mod compiled;
pub mod output;
pub mod progress;
pub mod render;
pub mod view;

pub use positions_core::{corpus, date, engine, generate, model, suggest};

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, ColorChoice, Command};
use crate::corpus::{CorpusFiles, Loaded};
use crate::render::{Format, Style, sanitize};

/// An error the user can act on: a message and, where one helps, a hint.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
}

/// A `UserError` as an `anyhow::Error`, for `?`.
pub fn user_error(message: impl Into<String>, hint: Option<String>) -> anyhow::Error {
    anyhow::Error::new(UserError {
        message: message.into(),
        hint,
    })
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// The corpus has errors; they were printed already.
#[derive(Debug)]
struct InvalidCorpus;

impl std::fmt::Display for InvalidCorpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the corpus has errors")
    }
}

impl std::error::Error for InvalidCorpus {}

/// Run the command line; every error becomes a message on stderr and an exit code:
/// 0 success, 1 an invalid corpus or a failed command, 2 a usage error.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse()
        .and_then(Cli::check_format)
        .and_then(Cli::check_plan_date)
    {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            // Printing help into a closed pipe is not an error worth reporting.
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match execute(&cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) if err.is::<InvalidCorpus>() => ExitCode::from(1),
        Err(err) => {
            let mut stderr = io::stderr().lock();
            match err.downcast_ref::<UserError>() {
                Some(user) => {
                    let _ = writeln!(stderr, "error: {}", sanitize(&user.message));
                    if let Some(hint) = &user.hint {
                        let _ = writeln!(stderr, "  hint: {}", sanitize(hint));
                    }
                }
                None => {
                    let _ = writeln!(stderr, "error: {}", sanitize(&format!("{err:#}")));
                }
            }
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn execute(cli: &Cli) -> anyhow::Result<ExitCode> {
    if let Some(code) = cmd::documents::without_corpus(cli)? {
        return Ok(code);
    }
    let mut files = read_corpus(cli)?;
    let plans_in_corpus = files.plans.len();
    if let Command::Plan { plan, .. } = &cli.command {
        files.add_plan_path(plan)?;
    }
    let plan_file = files.plans.len() > plans_in_corpus;
    // The built-in corpus loads from its compiled copy, except for `check`, which
    // validates the YAML itself, and for a plan file given by path, validated with it.
    let loaded = if files.origin == corpus::Origin::Embedded && !plan_file && !matches!(cli.command, Command::Check) {
        compiled::load_embedded(&files)
    } else {
        corpus::load_with(&files, &progress::Bar::default())
    };
    let date = cli.as_of.unwrap_or_else(date::Date::today);
    let style = Style {
        color: use_color(cli),
        wrap: cli.output.is_none() && io::stdout().is_terminal(),
    };

    if let Command::Check = cli.command {
        let view = cmd::check::run(&files, &loaded, style.color);
        output::write(&view, cli.format, style, cli.output.as_deref())?;
        return Ok(if loaded.diagnostics.has_errors() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }

    let Some(corpus) = &loaded.corpus else {
        report_invalid(&files, &loaded);
        return Err(InvalidCorpus.into());
    };
    let warnings = loaded.diagnostics.warning_count();
    if warnings > 0 && io::stderr().is_terminal() {
        eprintln!("note: the corpus has {warnings} warning(s); `positions check` lists them");
    }
    let ctx = cmd::Context { corpus, date };
    if cmd::documents::with_corpus(&ctx, cli, &files.origin)? {
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(streamed) = cmd::stream::run(&ctx, &cli.command, cli.format, cli.output.as_deref()) {
        streamed?;
        return Ok(ExitCode::SUCCESS);
    }
    let view = command_view(&cli.command, &ctx)?;
    output::write(&view, cli.format, style, cli.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

/// The view a command shows of a valid corpus; what `execute` renders. Public so that
/// the fuzz targets and tests drive every command exactly as the command line does.
/// `check` works on the files rather than a valid corpus: see `cmd::check::run`.
pub fn command_view(command: &Command, ctx: &cmd::Context) -> anyhow::Result<view::View> {
    let date = ctx.date;
    Ok(match command {
        Command::Parties => cmd::parties::run(ctx),
        Command::Issues => cmd::issues::run(ctx),
        Command::Demands(args) => cmd::demands::run(ctx, args)?,
        Command::Show { demand } => cmd::show::run(ctx, demand)?,
        Command::Diff { party_a, party_b } => cmd::diff::run(ctx, party_a, party_b)?,
        Command::Matrix(args) => cmd::matrix::run(ctx, args)?,
        Command::Pairs(args) => cmd::pairs::run(ctx, args)?,
        Command::Issue { issue } => cmd::issue::run(ctx, issue)?,
        Command::Explain { demand_a, demand_b } => cmd::explain::run(ctx, demand_a, demand_b)?,
        Command::Plan {
            plan,
            parties,
            plan_date,
        } => cmd::plan::run(ctx, plan, &parties.parties, *plan_date)?,
        Command::History { parties, issue } => cmd::history::run(ctx, parties, issue.as_deref())?,
        Command::Changes { from, to, parties } => cmd::changes::run(ctx, *from, to.unwrap_or(date), &parties.parties)?,
        Command::Align { parties, at } => cmd::align::run(ctx, &parties.parties, at)?,
        Command::Check => anyhow::bail!("`check` runs on the corpus files, not on a loaded corpus"),
        Command::Report(_)
        | Command::Graph(_)
        | Command::Schema(_)
        | Command::Init(_)
        | Command::Completions { .. }
        | Command::Man { .. } => anyhow::bail!("this command writes a document of its own: see `cmd::documents`"),
    })
}

/// `--corpus`, else `$POSITIONS_CORPUS`, else the corpus embedded at build time.
fn read_corpus(cli: &Cli) -> anyhow::Result<CorpusFiles> {
    let from_env = std::env::var_os("POSITIONS_CORPUS").filter(|v| !v.is_empty());
    match cli.corpus.clone().or_else(|| from_env.map(Into::into)) {
        Some(dir) => CorpusFiles::read_dir(&dir),
        None => Ok(compiled::embedded_files()),
    }
}

fn use_color(cli: &Cli) -> bool {
    match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            cli.format == Format::Table
                && cli.output.is_none()
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// Print every diagnostic of a corpus that cannot be analysed, on stderr.
fn report_invalid(files: &CorpusFiles, loaded: &Loaded) {
    let mut stderr = io::stderr().lock();
    for diagnostic in &loaded.diagnostics.items {
        let _ = write!(stderr, "{}", render::diagnostic::with_source(files, diagnostic));
    }
    let _ = writeln!(
        stderr,
        "error: the corpus has {} error(s) and {} warning(s); nothing was analysed",
        loaded.diagnostics.error_count(),
        loaded.diagnostics.warning_count()
    );
}
