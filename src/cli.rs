//! The command-line surface, in one place (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::date::Date;
use crate::model::{Priority, RelationKind};
use crate::render::Format;

const EXAMPLES: &str = "\
Examples:
  positions diff russia ukraine            where Russia and Ukraine agree and clash
  positions --as-of 2022-03-31 diff ru ua  the same, as the positions stood that day
  positions matrix --format csv            party × party counts for a spreadsheet
  positions issue crimea-status            every party's stance and the common ground
  positions --corpus my-corpus check       validate your own corpus";

#[derive(Debug, Parser)]
#[command(
    name = "positions",
    version,
    about = "Compare the stated demands of parties to a negotiation: overlap, conflict, red line against red line.",
    long_about = "Compare the stated demands of parties to a negotiation.\n\n\
        positions loads a corpus of YAML files (issues, one file per party, optional relations) and \
        compares every pair of demands across parties: overlapping (with the common ground), \
        conflicting, or irreconcilable (red line against red line), with the dated sources behind \
        each verdict. A corpus on the war in Ukraine is built in.",
    after_help = EXAMPLES,
    max_term_width = 100
)]
pub struct Cli {
    /// Corpus directory [default: $POSITIONS_CORPUS, else the corpus built into the binary]
    #[arg(long, global = true, value_name = "DIR")]
    pub corpus: Option<PathBuf>,

    /// Analyse the positions as they stood on this date (YYYY-MM-DD) [default: today]
    #[arg(long = "as-of", global = true, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<Date>,

    /// Output format [default: table; html for `report`, dot for `graph`, json for `schema`]
    #[arg(long, short = 'f', global = true, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Write the output to FILE (atomically: a temporary file, then a rename)
    #[arg(long, short = 'o', global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// When to colour the table output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Fit tables and text to N columns [default: $COLUMNS, else the terminal's width;
    /// piped output is not wrapped unless one of them is given]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,

    /// Neither read nor write the cache of validated corpora [cache: $POSITIONS_CACHE_DIR,
    /// else $XDG_CACHE_HOME/positions, else ~/.cache/positions]
    #[arg(long = "no-cache", global = true)]
    pub no_cache: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Cli {
    /// clap checks `conflicts_with` only among the arguments of one command, and `--as-of`
    /// is global: `positions --as-of D plan P --plan-date` must fail like the other orders.
    pub fn check_plan_date(self) -> Result<Cli, clap::Error> {
        if let Command::Plan(PlanArgs { plan_date: true, .. }) = self.command
            && self.as_of.is_some()
        {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            return Err(cmd.error(
                clap::error::ErrorKind::ArgumentConflict,
                "the argument '--plan-date' cannot be used with '--as-of <DATE>'",
            ));
        }
        Ok(self)
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse::<Date>().map_err(|e| format!("{e} (got `{text}`)"))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parties with their number of demands and red lines
    #[command(after_help = "Example:\n  positions parties --format csv")]
    Parties,

    /// Issues with the parties that have demands on them and their common ground
    #[command(after_help = "Example:\n  positions --as-of 2022-03-31 issues")]
    Issues,

    /// Demands, by party
    #[command(
        after_help = "Examples:\n  positions demands russia\n  positions demands --issue crimea-status --priority red-line\n  positions demands --match 'sanction|asset'"
    )]
    Demands(DemandsArgs),

    /// One demand in full: its sources, and every relation it has
    #[command(after_help = "Example:\n  positions show ru-ukraine-outside-nato")]
    Show(ShowArgs),

    /// Issue by issue, how two parties' demands relate, with a summary of the counts
    #[command(
        after_help = "Examples:\n  positions diff russia ukraine\n  positions --as-of 2022-03-31 diff ru ua --format markdown\n  positions diff russia us --relation overlap"
    )]
    Diff(DiffArgs),

    /// Party × party counts of overlap / conflict / irreconcilable
    #[command(
        after_help = "Examples:\n  positions matrix\n  positions matrix --parties us,eu,nato --format csv\n  positions matrix --parties russia\n  positions matrix --level demand --format csv -o matrix.csv"
    )]
    Matrix(MatrixArgs),

    /// Every compared pair of demands, one row each
    #[command(
        after_help = "Examples:\n  positions pairs --relation irreconcilable\n  positions pairs --parties russia,us --format csv\n  positions pairs --parties russia --issue crimea-status\n\nOne party given with --parties: that party against every other."
    )]
    Pairs(PairsArgs),

    /// Every party's stance on one issue, the common ground, and the nearest outcomes when there is none
    #[command(after_help = "Example:\n  positions issue ukraine-nato-membership")]
    Issue(IssueArgs),

    /// Why two demands have the relation they have
    #[command(after_help = "Example:\n  positions explain ru-ukraine-outside-nato ua-nato-membership")]
    Explain(ExplainArgs),

    /// Score a proposed settlement against every party's demands
    #[command(
        after_help = "Examples:\n  positions plan us-28-point-plan-2025 --plan-date\n  positions plan ./drafts/my-plan.yaml --parties russia,ukraine --format csv"
    )]
    Plan(PlanArgs),

    /// When each demand was stated and withdrawn, oldest first, with what replaced it
    #[command(
        after_help = "Examples:\n  positions history ukraine\n  positions history --issue ukraine-nato-membership"
    )]
    History(HistoryArgs),

    /// What moved between two dates: relations, counts, demands, common ground
    #[command(
        after_help = "Examples:\n  positions changes --from 2022-03-31 --to 2022-10-15\n  positions changes --from 2025-01-01 --to 2025-12-31 --parties us,ukraine --format csv"
    )]
    Changes(ChangesArgs),

    /// How aligned each pair of parties is: the share of their compared pairs that overlap
    #[command(
        after_help = "Examples:\n  positions align\n  positions align --at 2022-03-31,2024-06-14,2025-12-31 --format csv"
    )]
    Align(AlignArgs),

    /// The best packages of outcomes for the selected parties, and the red lines each crosses
    #[command(
        after_help = "Examples:\n  positions settle\n  positions settle --parties russia,ukraine --top 5\n  positions settle --fix crimea-status=deferred --emit-plan best-package.yaml\n  positions --as-of 2022-03-31 settle --parties russia,ukraine --format json\n\nA package picks one outcome on every issue in play. Packages are ranked, exactly, by the fewest\nred lines crossed, then the highest satisfaction of the worst-off party, then the highest sum of\nsatisfactions (met 2 points, acceptable 1, violated 0; weighted red-line 4, high 3, medium 2,\nlow 1). Weights are a convention and satisfaction is not a forecast: see the README."
    )]
    Settle(SettleArgs),

    /// Validate the corpus and list every problem; exit 1 on any error
    #[command(after_help = "Examples:\n  positions check\n  positions --corpus ./my-corpus check --format json")]
    Check,

    /// A self-contained HTML report: the party matrix as a heat map, every pair's diff, every issue, every source
    #[command(
        after_help = "Examples:\n  positions report -o report.html\n  positions --as-of 2022-03-31 report --parties russia,ukraine,us -o istanbul.html\n\nThe page needs nothing but itself: inline style and graphics, no script, no font or image to fetch."
    )]
    Report(ReportArgs),

    /// The relations as a graph for Graphviz (--format dot, the default) or Mermaid (--format mermaid)
    #[command(
        after_help = "Examples:\n  positions graph | dot -Tsvg > parties.svg\n  positions graph --format mermaid\n  positions graph --level demand --parties russia,ukraine | dot -Tpdf > demands.pdf\n\nEdges: dotted overlap, solid conflict, thick irreconcilable. At party level one edge per pair of\nparties, drawn as the gravest relation between them and labelled with every count."
    )]
    Graph(GraphArgs),

    /// The JSON Schema of a kind of corpus file, for editors and validators
    #[command(
        after_help = "Examples:\n  positions schema party > party.json\n  positions schema --dir my-corpus/schema\n\nEach corpus file can point its editor at the schema with a first line such as\n  # yaml-language-server: $schema=../schema/party.json"
    )]
    Schema(SchemaArgs),

    /// Start a new corpus in DIR: a copy of the built-in one, or a minimal skeleton with --empty
    #[command(
        after_help = "Examples:\n  positions init my-corpus && positions --corpus my-corpus check\n  positions init --empty my-negotiation\n\nDIR must not exist or be empty: init never overwrites a file."
    )]
    Init(InitArgs),

    /// A shell completion script, from this command line's definition
    #[command(
        after_help = "Examples:\n  positions completions bash > ~/.local/share/bash-completion/completions/positions\n  positions completions zsh > ~/.zfunc/_positions\n  positions completions fish > ~/.config/fish/completions/positions.fish\n  positions completions powershell >> $PROFILE"
    )]
    Completions(CompletionsArgs),

    /// The manual page (roff), from this command line's definition
    #[command(after_help = "Examples:\n  positions man | man -l -\n  positions man --dir /usr/local/share/man/man1")]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Demand id
    pub demand: String,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// First party (id or alias, any case)
    pub party_a: String,
    /// Second party (id or alias, any case)
    pub party_b: String,
    /// Only pairs with this relation
    #[arg(long, value_enum, value_name = "R")]
    pub relation: Option<RelationArg>,
}

#[derive(Debug, Args)]
pub struct IssueArgs {
    /// Issue id
    pub issue: String,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// First demand id
    pub demand_a: String,
    /// Second demand id
    pub demand_b: String,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Plan id from the corpus's plans/, or the path of a plan file
    pub plan: String,
    #[command(flatten)]
    pub parties: PartiesArg,
    /// Score against the positions as they stood on the plan's own date
    #[arg(long, conflicts_with = "as_of")]
    pub plan_date: bool,
}

#[derive(Debug, Args)]
pub struct SettleArgs {
    #[command(flatten)]
    pub parties: PartiesArg,
    /// Pin an issue to one outcome (an option id, or a number on a scale); repeatable
    #[arg(long, value_name = "ISSUE=OUTCOME", value_parser = parse_fix)]
    pub fix: Vec<(String, String)>,
    /// How many distinct packages to list, best first
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub top: u16,
    /// Write the best package as a plan file (its name, without .yaml, is the plan id)
    #[arg(long, value_name = "FILE")]
    pub emit_plan: Option<PathBuf>,
    /// Give up after this many seconds (the search is exact: it answers or fails, never guesses)
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub time_limit: u64,
}

fn parse_fix(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((issue, outcome)) if !issue.trim().is_empty() && !outcome.trim().is_empty() => {
            Ok((issue.trim().to_string(), outcome.trim().to_string()))
        }
        _ => Err(format!(
            "expected ISSUE=OUTCOME, e.g. crimea-status=deferred (got `{text}`)"
        )),
    }
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Parties to include (id or alias) [default: all]
    pub parties: Vec<String>,
    /// Only demands on this issue
    #[arg(long, value_name = "ID")]
    pub issue: Option<String>,
}

#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// The earlier date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Date,
    /// The later date (YYYY-MM-DD) [default: today, or --as-of]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<Date>,
    #[command(flatten)]
    pub parties: PartiesArg,
}

#[derive(Debug, Args)]
pub struct AlignArgs {
    #[command(flatten)]
    pub parties: PartiesArg,
    /// Dates to compute it on [default: today, or --as-of]
    #[arg(long, value_delimiter = ',', value_name = "DATE,…", value_parser = parse_date)]
    pub at: Vec<Date>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write a page for every command (positions.1, positions-diff.1, ...) into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemandsArgs {
    /// Parties to list (id or alias) [default: all]
    pub parties: Vec<String>,
    /// Only demands on this issue
    #[arg(long, value_name = "ID")]
    pub issue: Option<String>,
    /// Only demands of this priority
    #[arg(long, value_enum, value_name = "P")]
    pub priority: Option<PriorityArg>,
    /// Only demands whose id, title or summary matches this regular expression
    #[arg(long = "match", value_name = "REGEX")]
    pub pattern: Option<String>,
    /// Include demands not active on the date (withdrawn, or not yet stated)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct PartiesArg {
    /// Parties to include, in this order (ids or aliases, comma-separated) [default: all, alphabetical]
    #[arg(long, value_delimiter = ',', value_name = "A,B,…")]
    pub parties: Vec<String>,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub parties: PartiesArg,
    /// Count by party pair, or show the demand × demand relations
    #[arg(long, value_enum, default_value_t = Level::Party)]
    pub level: Level,
}

#[derive(Debug, Args)]
pub struct PairsArgs {
    #[command(flatten)]
    pub parties: PartiesArg,
    /// Only pairs with this relation
    #[arg(long, value_enum, value_name = "R")]
    pub relation: Option<RelationArg>,
    /// Only pairs with a demand on this issue
    #[arg(long, value_name = "ID")]
    pub issue: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Party,
    Demand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PriorityArg {
    RedLine,
    High,
    Medium,
    Low,
}

impl From<PriorityArg> for Priority {
    fn from(p: PriorityArg) -> Priority {
        match p {
            PriorityArg::RedLine => Priority::RedLine,
            PriorityArg::High => Priority::High,
            PriorityArg::Medium => Priority::Medium,
            PriorityArg::Low => Priority::Low,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RelationArg {
    Overlap,
    Conflict,
    Irreconcilable,
}

impl From<RelationArg> for RelationKind {
    fn from(r: RelationArg) -> RelationKind {
        match r {
            RelationArg::Overlap => RelationKind::Overlap,
            RelationArg::Conflict => RelationKind::Conflict,
            RelationArg::Irreconcilable => RelationKind::Irreconcilable,
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub parties: PartiesArg,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub parties: PartiesArg,
    /// Parties as nodes, or every active demand as a node grouped by party
    #[arg(long, value_enum, default_value_t = Level::Party)]
    pub level: Level,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The kind of corpus file
    #[arg(value_enum, required_unless_present = "dir")]
    pub kind: Option<SchemaKind>,
    /// Write every schema (issues.json, party.json, relations.json, plan.json) into DIR
    #[arg(long, value_name = "DIR", conflicts_with = "kind")]
    pub dir: Option<PathBuf>,
}

/// The kinds of corpus file, each with its own schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// issues.yaml
    Issues,
    /// parties/<id>.yaml
    Party,
    /// relations.yaml
    Relations,
    /// plans/<id>.yaml
    Plan,
}

impl From<SchemaKind> for crate::corpus::schema::FileKind {
    fn from(kind: SchemaKind) -> Self {
        use crate::corpus::schema::FileKind;
        match kind {
            SchemaKind::Issues => FileKind::Issues,
            SchemaKind::Party => FileKind::Party,
            SchemaKind::Relations => FileKind::Relations,
            SchemaKind::Plan => FileKind::Plan,
        }
    }
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new corpus directory (created if missing; must be empty)
    pub dir: PathBuf,
    /// A minimal valid skeleton (one issue, one party, one demand) instead of the built-in corpus
    #[arg(long)]
    pub empty: bool,
}

impl Command {
    /// The formats the command writes, its default first.
    pub fn formats(&self) -> &'static [Format] {
        match self {
            Command::Graph(_) => &[Format::Dot, Format::Mermaid],
            Command::Report(_) => &[Format::Html],
            Command::Schema(_) => &[Format::Json],
            // These write a document of their own (files, a script, a man page).
            Command::Init(_) | Command::Completions(_) | Command::Man(_) => &[],
            _ => &[Format::Table, Format::Csv, Format::Json, Format::Markdown],
        }
    }
}

impl Command {
    /// What the command's table shows, for its title line.
    pub fn title(&self) -> &'static str {
        match self {
            Command::Parties => "Parties",
            Command::Issues => "Issues",
            Command::Demands(_) => "Demands",
            Command::Show(_) => "Demand",
            Command::Diff(_) => "Diff",
            Command::Matrix(_) => "Matrix",
            Command::Pairs(_) => "Pairs of demands",
            Command::Issue(_) => "Issue",
            Command::Explain(_) => "Explanation",
            Command::Plan(_) => "Plan",
            Command::History(_) => "History",
            Command::Changes(_) => "Changes",
            Command::Align(_) => "Alignment",
            Command::Settle(_) => "Settlement",
            Command::Check => "Check",
            Command::Report(_) => "Report",
            Command::Graph(_) => "Graph",
            Command::Schema(_) => "Schema",
            Command::Init(_) => "Init",
            Command::Completions(_) => "Completions",
            Command::Man(_) => "Manual",
        }
    }

    /// What one row of the command's listing is, singular and plural, for its total.
    pub fn noun(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Command::Parties => Some(("party", "parties")),
            Command::Issues => Some(("issue", "issues")),
            Command::Demands(_) => Some(("demand", "demands")),
            Command::Pairs(_) => Some(("pair", "pairs")),
            Command::History(_) => Some(("event", "events")),

            _ => None,
        }
    }
}

impl Cli {
    /// The output format: the one asked for, else the command's own default.
    pub fn format(&self) -> Format {
        self.format
            .or_else(|| self.command.formats().first().copied())
            .unwrap_or(Format::Table)
    }

    /// Refuse a `--format` the command cannot write, as a usage error: DOT and Mermaid are
    /// for `graph` only, which writes nothing else; the commands that write a document of
    /// their own (HTML, JSON Schema, a script, a man page) take no other format.
    pub fn check_format(self) -> Result<Cli, clap::Error> {
        use clap::CommandFactory;
        let Some(format) = self.format else {
            return Ok(self);
        };
        if self.command.formats().contains(&format) {
            return Ok(self);
        }
        let name = format
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        let message = match &self.command {
            Command::Graph(_) => format!(
                "`graph` writes --format dot or mermaid, not {name} (for tables of the relations: `positions pairs` or `positions matrix`)"
            ),
            Command::Report(_) => format!("`report` writes HTML; --format {name} does not apply"),
            _ if matches!(format, Format::Dot | Format::Mermaid) => {
                format!("--format {name} is for `positions graph` only")
            }
            _ => format!("--format {name} does not apply to this command"),
        };
        Err(Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message))
    }
}
