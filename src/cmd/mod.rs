//! One module per command, each with one entry point, `run(env, args) -> Result<Output>`;
//! `run` below is the one place a command is dispatched, and `render::write` the one place
//! an `Output` becomes bytes.

pub mod align;
pub mod changes;
pub mod check;
pub mod completions;
pub mod demands;
pub mod diff;
pub mod explain;
pub mod graph;
pub mod history;
pub mod init;
pub mod issue;
pub mod issues;
pub mod matrix;
pub mod pairs;
pub mod parties;
pub mod plan;
pub mod report;
pub mod schema;
pub mod settle;
pub mod show;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use anyhow::Result;

use crate::cli::Command;
use crate::corpus::cache::Cache;
use crate::corpus::{self, CorpusFiles, Loaded, Origin, Severity};
use crate::date::Date;
use crate::engine::{Analysis, Pair};
use crate::model::outcomes::intersect;
use crate::model::{Basis, Corpus, Demand};
use crate::render::graph::Graph;
use crate::render::html::Report;
use crate::render::outcomes;
use crate::suggest;
use crate::view::{Cell, RowSink, View};
use crate::{progress, render};
use crate::{usage_error, user_error};

/// What a command produces; `render::write` turns it into bytes.
pub enum Output<'a> {
    /// Blocks for people and a machine form: a table, CSV, JSON or Markdown.
    View(View),
    /// Rows too many to hold in memory: CSV and JSON are written as the rows are
    /// computed; a table or Markdown collects them first.
    Listing(Listing<'a>),
    /// A view for people, made only for a table or Markdown, and rows streamed for CSV
    /// and JSON (`matrix`: a grid to read, and one row per pair of parties to export).
    Split { human: Human<'a>, rows: Listing<'a> },
    /// The self-contained HTML report.
    Report(Box<Report>),
    /// The relations as a graph, for DOT or Mermaid.
    Graph(Graph),
    /// A document written as it is: a JSON Schema, a completion script, a man page.
    Text(Vec<u8>),
    /// Files to write into a directory, and what to say once they are written.
    Files(FileSet),
    /// `check`: every diagnostic, and whether any is an error (then the exit code is 1).
    Checked { view: View, failed: bool },
    /// An output, and files the command writes beside it (each replaced atomically),
    /// written first (`settle --emit-plan`).
    Also {
        output: Box<Output<'a>>,
        files: Vec<(PathBuf, Vec<u8>)>,
    },
}

/// Rows handed to a sink as they are computed.
pub type Listing<'a> = Box<dyn FnOnce(&mut dyn RowSink) -> Result<()> + 'a>;

/// A view for people, made when it is to be shown.
pub type Human<'a> = Box<dyn FnOnce() -> Result<View> + 'a>;

/// Files for a directory, each by its path relative to it.
pub struct FileSet {
    pub dir: PathBuf,
    pub files: Vec<(String, Vec<u8>)>,
    /// Replace files that exist (each atomically), or refuse to touch any that does.
    pub replace: bool,
    /// Printed on stdout once every file is written.
    pub message: Option<String>,
}

/// Run one command: the only dispatch, one arm per command.
pub fn run<'a>(env: &'a Env, command: &'a Command) -> Result<Output<'a>> {
    match command {
        Command::Parties => parties::run(env),
        Command::Issues => issues::run(env),
        Command::Demands(args) => demands::run(env, args),
        Command::Show(args) => show::run(env, args),
        Command::Diff(args) => diff::run(env, args),
        Command::Matrix(args) => matrix::run(env, args),
        Command::Pairs(args) => pairs::run(env, args),
        Command::Issue(args) => issue::run(env, args),
        Command::Explain(args) => explain::run(env, args),
        Command::Plan(args) => plan::run(env, args),
        Command::History(args) => history::run(env, args),
        Command::Changes(args) => changes::run(env, args),
        Command::Align(args) => align::run(env, args),
        Command::Settle(args) => settle::run(env, args),
        Command::Check => check::run(env),
        Command::Report(args) => report::run(env, args),
        Command::Graph(args) => graph::run(env, args),
        Command::Schema(args) => schema::run(env, args),
        Command::Init(args) => init::run(env, args),
        Command::Completions(args) => completions::run(env, args),
        Command::Man(args) => completions::man(env, args),
    }
}

/// What a command draws on: the date of the analysis and the corpus, which is read and
/// loaded the first time a command asks for it (commands that need no corpus never do).
pub struct Env<'a> {
    pub date: Date,
    source: Source<'a>,
    cache: Option<Cache>,
    loaded: OnceLock<(CorpusFiles, Arc<Loaded>)>,
    /// The thread writing a newly loaded corpus into the cache while the command runs.
    writer: Writer,
}

/// The thread, if any, writing a corpus into the cache; joined by [`Env::finish`], or
/// when it is dropped.
#[derive(Default)]
struct Writer(Mutex<Option<JoinHandle<()>>>);

impl Writer {
    fn start(&self, write: impl FnOnce() + Send + 'static) {
        let Ok(thread) = std::thread::Builder::new().name("cache-writer".into()).spawn(write) else {
            return; // No thread to be had: the corpus is not cached this time.
        };
        let earlier = match self.0.lock() {
            Ok(mut slot) => slot.replace(thread),
            Err(poisoned) => poisoned.into_inner().replace(thread),
        };
        if let Some(earlier) = earlier {
            let _ = earlier.join();
        }
    }

    fn join(&self) {
        let thread = match self.0.lock() {
            Ok(mut slot) => slot.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(thread) = thread {
            // A writer that panicked wrote no entry: the cache is only slower.
            let _ = thread.join();
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.join();
    }
}

/// Where the corpus comes from.
enum Source<'a> {
    /// The corpus embedded in the binary.
    Embedded,
    /// A corpus directory.
    Dir(PathBuf),
    /// A corpus loaded already (the fuzz targets and tests drive commands this way).
    Loaded(&'a Corpus),
}

/// The corpus has errors; `message` holds every diagnostic, rendered.
#[derive(Debug)]
pub struct InvalidCorpus {
    pub message: String,
}

impl std::fmt::Display for InvalidCorpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the corpus has errors")
    }
}

impl std::error::Error for InvalidCorpus {}

impl<'a> Env<'a> {
    /// The corpus in `dir`, or the embedded one when `dir` is `None`.
    pub fn new(dir: Option<PathBuf>, date: Date) -> Env<'static> {
        Env {
            date,
            source: dir.map_or(Source::Embedded, Source::Dir),
            cache: None,
            loaded: OnceLock::new(),
            writer: Writer::default(),
        }
    }

    /// Keep validated corpus directories in `cache` (none: parse and check every time).
    pub fn with_cache(self, cache: Option<Cache>) -> Env<'a> {
        Env { cache, ..self }
    }

    /// Commands over a corpus loaded already.
    pub fn with_corpus(corpus: &'a Corpus, date: Date) -> Env<'a> {
        Env {
            date,
            source: Source::Loaded(corpus),
            cache: None,
            loaded: OnceLock::new(),
            writer: Writer::default(),
        }
    }

    /// Where the corpus came from.
    pub fn origin(&self) -> Origin {
        match &self.source {
            Source::Embedded => Origin::Embedded,
            Source::Dir(dir) => Origin::Dir(dir.clone()),
            Source::Loaded(_) => Origin::Dir(PathBuf::from("corpus")),
        }
    }

    /// The files and every diagnostic of loading them from their YAML (`check`).
    pub fn checked(&self) -> Result<(&CorpusFiles, &Loaded)> {
        self.load(None, true)
    }

    /// The valid corpus for a command to analyse; its diagnostics as the error otherwise.
    pub fn context(&self) -> Result<Context<'_>> {
        self.context_with_plan(None)
    }

    /// `context`, with a plan file given by its path joining the corpus's plans (a plan id
    /// leaves the corpus as it is).
    pub fn context_with_plan(&self, plan: Option<&str>) -> Result<Context<'_>> {
        if let Source::Loaded(corpus) = self.source {
            return Ok(Context {
                corpus,
                date: self.date,
            });
        }
        let (files, loaded) = self.load(plan, false)?;
        match &loaded.corpus {
            Some(corpus) => Ok(Context {
                corpus,
                date: self.date,
            }),
            None => Err(invalid(files, loaded).into()),
        }
    }

    /// The corpus as a title names it: "built-in corpus", or its directory's name (never
    /// the whole path).
    pub fn corpus_name(&self) -> String {
        match &self.source {
            Source::Embedded => "built-in corpus".into(),
            Source::Loaded(_) => "corpus".into(),
            Source::Dir(dir) => {
                let name = std::fs::canonicalize(dir)
                    .ok()
                    .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| "corpus".into());
                format!("corpus {name}")
            }
        }
    }

    /// The date of the corpus's latest dated statement (a demand stated or withdrawn, or a
    /// source), once a valid corpus is loaded.
    pub fn latest_statement(&self) -> Option<Date> {
        let corpus = match self.source {
            Source::Loaded(corpus) => corpus,
            _ => self.loaded.get()?.1.corpus.as_ref()?,
        };
        corpus
            .demands
            .iter()
            .flat_map(|d| {
                [Some(d.stated), d.until]
                    .into_iter()
                    .flatten()
                    .chain(d.sources.iter().map(|s| s.date))
            })
            .max()
    }

    /// Whether a corpus was loaded (a command that needs none leaves it unread).
    pub fn has_corpus(&self) -> bool {
        matches!(self.source, Source::Loaded(_)) || self.loaded.get().is_some()
    }

    /// The files of a corpus directory that were read (none before it is loaded, or for
    /// the built-in corpus): `--output` never replaces one of them.
    pub fn read_files(&self) -> Vec<PathBuf> {
        let Some((files, _)) = self.loaded.get() else {
            return Vec::new();
        };
        if !matches!(self.source, Source::Dir(_)) {
            return Vec::new();
        }
        files
            .issues
            .iter()
            .chain(&files.relations)
            .chain(&files.parties)
            .chain(&files.plans)
            .map(|file| file.deferred.clone().unwrap_or_else(|| PathBuf::from(&file.path)))
            .collect()
    }

    /// The warnings on a draft plan named by its path, with their source lines: shown
    /// whenever the plan is scored, since `check` never sees a draft.
    pub fn draft_warnings(&self) -> String {
        let Some((files, loaded)) = self.loaded.get() else {
            return String::new();
        };
        let Some(draft) = files.draft_plan() else {
            return String::new();
        };
        loaded
            .diagnostics
            .items
            .iter()
            .filter(|d| d.file == draft)
            .map(|d| render::diagnostic::with_source(files, d))
            .collect()
    }

    /// How many warnings the loaded corpus has (0 before it is loaded).
    pub fn warnings(&self) -> usize {
        self.loaded.get().map_or(0, |(_, l)| l.diagnostics.warning_count())
    }

    fn load(&self, plan: Option<&str>, from_yaml: bool) -> Result<(&CorpusFiles, &Loaded)> {
        if let Some((files, loaded)) = self.loaded.get() {
            return Ok((files, loaded));
        }
        let mut files = match &self.source {
            Source::Embedded => crate::compiled::embedded_files(),
            Source::Dir(dir) => CorpusFiles::read_dir(dir)?,
            Source::Loaded(_) => CorpusFiles::from_memory("corpus", []),
        };
        let plans_in_corpus = files.plans.len();
        if let Some(plan) = plan {
            files.add_plan_path(plan)?;
        }
        let plan_file = files.plans.len() > plans_in_corpus;
        // The built-in corpus loads from its compiled copy, except for `check`, which
        // validates the YAML itself, and for a plan file given by path, validated with it.
        let loaded = if files.origin == Origin::Embedded && !plan_file && !from_yaml {
            Arc::new(crate::compiled::load())
        } else {
            // A draft plan's warnings are shown with their places whenever it is scored.
            self.load_cached(&files, from_yaml, from_yaml || plan_file)
        };
        let (files, loaded) = self.loaded.get_or_init(|| (files, loaded));
        Ok((files, loaded))
    }

    /// Wait until the corpus is written into the cache, if it is being written. The
    /// process must not end before: an entry left half-written is never used.
    pub fn finish(&self) {
        self.writer.join();
    }
}

impl Env<'_> {
    /// A corpus directory's validated form from the cache when its files are unchanged,
    /// else loaded from the YAML (and then cached, when valid). `check` always loads the
    /// YAML, so that it reports every diagnostic with its place, and refreshes the entry.
    /// `places`: every diagnostic with its place (`check`, and a draft plan's warnings).
    fn load_cached(&self, files: &CorpusFiles, from_yaml: bool, places: bool) -> Arc<Loaded> {
        let cache = self.cache.as_ref().filter(|_| files.origin != Origin::Embedded);
        let today = Date::today();
        let key = cache.and_then(|_| Cache::key(files, today));
        if let (Some(cache), Some(key), false) = (cache, &key, from_yaml)
            && let Some(hit) = cache.get(key)
        {
            return Arc::new(hit);
        }
        // `check` shows where every warning is; other commands only count them, and need
        // the places of errors alone (`load_fast` finds those when there are any).
        // The demands go into a new entry as soon as they are checked, while the rest of
        // the corpus is; the entry is finished on a thread of its own while the command
        // runs, so that a first run costs hardly more than a run without the cache.
        let mut pending = cache.zip(key.as_ref()).and_then(|(cache, key)| cache.begin(key));
        let sink = pending
            .as_mut()
            .map(|pending| pending as &mut (dyn std::io::Write + Send));
        let (loaded, streamed) = corpus::load_encoding(files, &progress::Bar::default(), places, sink);
        let loaded = Arc::new(loaded);
        if let (Some(cache), Some(key), Some(pending), Some(streamed)) = (cache, key, pending, streamed) {
            // A file that changed while it was being read is not cached under either key.
            let (cache, files, entry) = (cache.clone(), files.clone(), Arc::clone(&loaded));
            self.writer.start(move || {
                let unchanged = || Cache::key(&files, today).as_ref() == Some(&key);
                cache.finish_if(&key, pending, streamed, &entry, unchanged);
            });
        }
        loaded
    }
}

/// Every diagnostic of a corpus that cannot be analysed, and the count of them.
fn invalid(files: &CorpusFiles, loaded: &Loaded) -> InvalidCorpus {
    let mut message = String::new();
    for diagnostic in &loaded.diagnostics.items {
        message.push_str(&render::diagnostic::with_source(files, diagnostic));
    }
    // Errors only in a draft plan named by its path are the plan's, not the corpus's.
    let errors = || {
        loaded
            .diagnostics
            .items
            .iter()
            .filter(|d| d.severity == Severity::Error)
    };
    let blamed = files
        .draft_plan()
        .filter(|draft| errors().all(|d| d.file == *draft))
        .map(|draft| (format!("the plan {draft}"), draft));
    let (whose, warnings) = match blamed {
        Some((whose, draft)) => (
            whose,
            loaded
                .diagnostics
                .items
                .iter()
                .filter(|d| d.severity == Severity::Warning && d.file == draft)
                .count(),
        ),
        None => ("the corpus".to_string(), loaded.diagnostics.warning_count()),
    };
    message.push_str(&format!(
        "error: {whose} has {} and {}; nothing was analysed\n",
        crate::view::plural(loaded.diagnostics.error_count(), "error", "errors"),
        crate::view::plural(warnings, "warning", "warnings")
    ));
    InvalidCorpus { message }
}

/// Parties for a command over pairs of them, and the one they are all compared with
/// when only one was named.
#[derive(Debug, Clone)]
pub struct Selection {
    pub parties: Vec<usize>,
    pub focus: Option<usize>,
}

impl Selection {
    /// Whether the pair of parties is one to show.
    pub fn wants(&self, a: usize, b: usize) -> bool {
        self.focus.is_none_or(|f| a == f || b == f)
    }
}

/// What a command analyses: a valid corpus and the date of the analysis.
#[derive(Clone, Copy)]
pub struct Context<'c> {
    pub corpus: &'c Corpus,
    pub date: Date,
}

impl<'c> Context<'c> {
    /// A party by id or alias, any case; an unknown one lists the parties and suggests one.
    pub fn party(&self, name: &str) -> Result<usize> {
        self.corpus.party_by_name(name).ok_or_else(|| {
            let names = self
                .corpus
                .parties
                .iter()
                .flat_map(|p| std::iter::once(p.id.as_str()).chain(p.aliases.iter().map(String::as_str)));
            let known = suggest::list(self.corpus.parties.iter().map(|p| p.id.as_str()));
            let hint = match suggest::hint(name, names) {
                Some(close) => format!("{close} Known parties: {known}"),
                None => format!("known parties: {known}"),
            };
            user_error(format!("unknown party `{name}`"), Some(hint))
        })
    }

    /// Parties named on the command line, in the order given; all parties,
    /// alphabetically, when none are named.
    pub fn parties(&self, names: &[String]) -> Result<Vec<usize>> {
        if names.is_empty() {
            return Ok((0..self.corpus.parties.len()).collect());
        }
        let mut out: Vec<usize> = Vec::new();
        let mut given: Vec<&str> = Vec::new();
        for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            let party = self.party(name)?;
            if let Some(at) = out.iter().position(|&p| p == party) {
                let id = &self.corpus.parties[party].id;
                let what = if given[at].eq_ignore_ascii_case(name) {
                    format!("party `{name}` is given twice")
                } else {
                    format!("`{}` and `{name}` are the same party ({id})", given[at])
                };
                return Err(usage_error(what, Some("name each party once".into())));
            }
            out.push(party);
            given.push(name);
        }
        Ok(out)
    }

    /// `--parties` for commands over pairs of parties: one party named means that party
    /// against every other (it comes first, the others alphabetically, and `focus` is
    /// it); otherwise the parties as `parties` gives them.
    pub fn selection(&self, names: &[String]) -> Result<Selection> {
        let named = self.parties(names)?;
        match named[..] {
            [one] => {
                let mut parties = vec![one];
                parties.extend((0..self.corpus.parties.len()).filter(|&p| p != one));
                Ok(Selection {
                    parties,
                    focus: Some(one),
                })
            }
            _ => Ok(Selection {
                parties: named,
                focus: None,
            }),
        }
    }

    pub fn demand(&self, id: &str) -> Result<usize> {
        self.corpus.demand_by_id(id).ok_or_else(|| {
            let hint = suggest::hint(id, self.corpus.demands.iter().map(|d| d.id.as_str()))
                .or_else(|| Some("`positions demands` lists the demand ids".into()));
            user_error(format!("unknown demand `{id}`"), hint)
        })
    }

    pub fn issue(&self, id: &str) -> Result<usize> {
        self.corpus.issue_by_id(id).ok_or_else(|| {
            let hint = suggest::hint(id, self.corpus.issues.iter().map(|i| i.id.as_str()))
                .or_else(|| Some("`positions issues` lists the issue ids".into()));
            user_error(format!("unknown issue `{id}`"), hint)
        })
    }

    pub fn analysis(&self, parties: Vec<usize>) -> Analysis<'c> {
        Analysis::new(self.corpus, self.date, parties)
    }

    pub fn party_id(&self, demand: usize) -> &'c str {
        &self.corpus.parties[self.corpus.demands[demand].party].id
    }

    pub fn demand_ref(&self, demand: usize) -> &'c Demand {
        &self.corpus.demands[demand]
    }

    /// The common ground of a pair: for a derived pair the outcomes both accept (an
    /// empty set for a conflict), for an asserted one no value.
    pub fn common_ground(&self, pair: &Pair) -> Cell {
        let (a, b) = (&self.corpus.demands[pair.a], &self.corpus.demands[pair.b]);
        match pair.basis {
            Basis::Derived => outcomes::cell(&self.corpus.issues[a.issue], &intersect(&a.accepts, &b.accepts)),
            Basis::Asserted => Cell::Empty,
        }
    }

    /// The shared goal of a pair: for a derived pair the outcomes both want.
    pub fn shared_goal(&self, pair: &Pair) -> Cell {
        let (a, b) = (&self.corpus.demands[pair.a], &self.corpus.demands[pair.b]);
        match pair.basis {
            Basis::Derived => outcomes::cell(&self.corpus.issues[a.issue], &intersect(&a.wants, &b.wants)),
            Basis::Asserted => Cell::Empty,
        }
    }

    /// The demand that replaced this one: the same party's demand on the same issue
    /// stated on the day this one ended (as `history` says).
    pub fn successor(&self, demand: &Demand) -> Option<&'c Demand> {
        let until = demand.until?;
        self.corpus
            .demands
            .iter()
            .find(|d| d.party == demand.party && d.issue == demand.issue && d.stated == until)
    }

    /// How a demand stands on the date: active, withdrawn, or not yet stated.
    pub fn status(&self, demand: &Demand) -> &'static str {
        if demand.is_active_on(self.date) {
            "active"
        } else if demand.stated > self.date {
            "not yet stated"
        } else {
            "withdrawn"
        }
    }
}
