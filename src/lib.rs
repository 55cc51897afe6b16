//! positions: compare the stated demands of parties to a negotiation.
//!
//! Data flows one way: YAML files → `corpus::load` (typed, validated, indexed `Corpus`,
//! in the core crate) → `engine` (relations, common ground, plan scores) → a command
//! builds an `Output` → `render::write` turns it into bytes, `output` puts them on stdout
//! or in a file. ARCHITECTURE.md has the map.

pub mod cli;
pub mod cmd;
pub mod compiled;
pub mod output;
pub mod progress;
pub mod render;
pub mod view;

pub use positions_core::{corpus, date, engine, generate, model, suggest};

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, ColorChoice};
use crate::render::{Format, Settings, Style, escape};

/// An error the user can act on: a message and, where one helps, a hint.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
}

/// A usage error found once the corpus is known (a repeated party, dates in the wrong
/// order, a bad pattern): reported as a `UserError` is, with exit code 2.
#[derive(Debug)]
pub struct UsageError(pub UserError);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for UsageError {}

/// A `UsageError` as an `anyhow::Error`, for `?`.
pub fn usage_error(message: impl Into<String>, hint: Option<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(UserError {
        message: message.into(),
        hint,
    }))
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

/// Run the command line; every error becomes a message on stderr and an exit code:
/// 0 success, 1 an invalid corpus or a failed command, 2 a usage error.
///
/// The phases, in order: the arguments are parsed and checked, and the settings of the
/// output decided, before any work; the command runs (loading the corpus if it needs one)
/// and returns its `Output`; `render::write` turns that into bytes.
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
    let settings = settings(&cli);
    let env = cmd::Env::new(corpus_dir(&cli), cli.as_of.unwrap_or_else(date::Date::today)).with_cache(cache(&cli));
    let written = cmd::run(&env, &cli.command).and_then(|output| {
        eprint!("{}", env.draft_warnings());
        let warnings = env.warnings();
        if warnings > 0 && !matches!(output, cmd::Output::Checked { .. }) && io::stderr().is_terminal() {
            let warnings = view::plural(warnings, "warning", "warnings");
            eprintln!("note: the corpus has {warnings}; `positions check` lists them");
        }
        let settings = Settings {
            caption: caption(&cli, &env),
            ..settings.clone()
        };
        render::write(output, &settings, &env.read_files())
    });
    env.finish();
    // The loaded corpus is not freed one value at a time on the way out: the system takes
    // the whole process back at once (freeing a large corpus took a quarter of a warm run).
    std::mem::forget(env);
    match written {
        Ok(code) => code,
        Err(err) => report(&err),
    }
}

/// Where validated corpora are cached: `$POSITIONS_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/positions`, else `~/.cache/positions`; none with `--no-cache` (or when
/// no such directory can be named). Relative XDG paths are ignored, as the XDG spec asks.
fn cache(cli: &Cli) -> Option<corpus::cache::Cache> {
    if cli.no_cache {
        return None;
    }
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let dir = var("POSITIONS_CACHE_DIR")
        .or_else(|| {
            var("XDG_CACHE_HOME")
                .filter(|p| p.is_absolute())
                .map(|p| p.join("positions"))
        })
        .or_else(|| {
            var("HOME")
                .filter(|p| p.is_absolute())
                .map(|p| p.join(".cache").join("positions"))
        })?;
    Some(corpus::cache::Cache::new(dir))
}

/// An error on stderr, and its exit code.
fn report(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    let mut stderr = io::stderr().lock();
    if let Some(invalid) = err.downcast_ref::<cmd::InvalidCorpus>() {
        let _ = stderr.write_all(invalid.message.as_bytes());
    } else if let Some(user) = err
        .downcast_ref::<UserError>()
        .or_else(|| err.downcast_ref::<UsageError>().map(|u| &u.0))
    {
        let _ = writeln!(stderr, "error: {}", escape::terminal(&user.message));
        if let Some(hint) = &user.hint {
            let _ = writeln!(stderr, "  hint: {}", escape::terminal(hint));
        }
        if err.downcast_ref::<UsageError>().is_some() {
            return ExitCode::from(2);
        }
    } else {
        let _ = writeln!(stderr, "error: {}", escape::terminal(&format!("{err:#}")));
    }
    ExitCode::from(1)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// Format, colour, wrapping and target, decided once.
fn settings(cli: &Cli) -> Settings {
    let format = cli.format();
    let on_terminal = cli.output.is_none() && io::stdout().is_terminal();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            format == Format::Table
                && on_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    };
    Settings {
        format,
        style: Style {
            color,
            width: width(cli, on_terminal),
        },
        target: cli.output.clone(),
        caption: None,
    }
}

/// The title line of a table, for a command that read a corpus.
fn caption(cli: &Cli, env: &cmd::Env) -> Option<render::Caption> {
    // `check` says what it checked in its own summary line.
    if !env.has_corpus() || matches!(cli.command, cli::Command::Check) {
        return None;
    }
    // A plan scored on its own date says so in its heading, as `changes` gives its two
    // dates and `align --at` each of its own: the date of the analysis is not theirs.
    let dated = !matches!(
        &cli.command,
        cli::Command::Plan(cli::PlanArgs { plan_date: true, .. })
            | cli::Command::Changes(cli::ChangesArgs { to: Some(_), .. })
    ) && !matches!(&cli.command, cli::Command::Align(args) if !args.at.is_empty());
    let latest = env.latest_statement().filter(|&latest| dated && env.date > latest);
    Some(render::Caption {
        title: cli.command.title().into(),
        corpus: env.corpus_name(),
        as_of: dated.then_some(env.date),
        latest,
        noun: cli.command.noun(),
    })
}

/// The width to fit output to: `--width`, else `$COLUMNS` (a number of at least 20), else
/// the terminal's when writing to one. Piped output is not wrapped unless asked.
fn width(cli: &Cli, on_terminal: bool) -> Option<usize> {
    const NARROWEST: usize = 20;
    if let Some(width) = cli.width {
        return Some(usize::from(width));
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&w| w > 0);
    if let Some(columns) = columns {
        return Some(columns.max(NARROWEST));
    }
    if on_terminal {
        return comfy_table::Table::new().width().map(|w| usize::from(w).max(NARROWEST));
    }
    None
}

/// `--corpus`, else `$POSITIONS_CORPUS`; `None` for the corpus embedded at build time.
fn corpus_dir(cli: &Cli) -> Option<std::path::PathBuf> {
    let from_env = std::env::var_os("POSITIONS_CORPUS").filter(|v| !v.is_empty());
    cli.corpus.clone().or_else(|| from_env.map(Into::into))
}
