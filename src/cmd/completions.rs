//! `positions completions SHELL` and `positions man`: generated from the clap definition,
//! so they never fall behind the command line.

use anyhow::Result;
use clap::CommandFactory;

use super::{Env, FileSet, Output};
use crate::cli::{Cli, CompletionsArgs, ManArgs};

pub fn run<'a>(_env: &'a Env, args: &CompletionsArgs) -> Result<Output<'a>> {
    let mut script = Vec::new();
    let mut command = match &crate::compiled::load().corpus {
        Some(corpus) => with_ids(Cli::command(), &Ids::of(corpus)),
        None => Cli::command(),
    };
    clap_complete::generate(args.shell, &mut command, "positions", &mut script);
    Ok(Output::Text(script))
}

/// The ids of the built-in corpus that the scripts offer.
struct Ids {
    parties: Vec<String>,
    issues: Vec<String>,
    demands: Vec<String>,
    plans: Vec<String>,
}

impl Ids {
    fn of(corpus: &crate::model::Corpus) -> Ids {
        Ids {
            parties: corpus.parties.iter().map(|p| p.id.clone()).collect(),
            issues: corpus.issues.iter().map(|i| i.id.clone()).collect(),
            demands: corpus.demands.iter().map(|d| d.id.clone()).collect(),
            plans: corpus.plans.iter().map(|p| p.id.clone()).collect(),
        }
    }

    /// The ids an argument takes, by the argument's name.
    fn for_arg(&self, arg: &str) -> Option<&[String]> {
        match arg {
            "parties" | "party_a" | "party_b" => Some(&self.parties),
            "issue" => Some(&self.issues),
            "demand" | "demand_a" | "demand_b" => Some(&self.demands),
            "plan" => Some(&self.plans),
            _ => None,
        }
    }
}

/// The command line as the completion scripts see it: the arguments that take an id list
/// the built-in corpus's ids as their values. Only the scripts use this copy; the parser
/// accepts any id, since a corpus of one's own has others.
fn with_ids(command: clap::Command, ids: &Ids) -> clap::Command {
    let command = command.mut_subcommands(|sub| with_ids(sub, ids));
    command.mut_args(|arg| match ids.for_arg(arg.get_id().as_str()) {
        Some(values) => arg.value_parser(clap::builder::PossibleValuesParser::new(
            values.iter().map(|v| clap::builder::PossibleValue::new(v.clone())),
        )),
        None => arg,
    })
}

/// The main page (synopsis, every option, the list of commands), or with `--dir` a page
/// for the program and one for each command.
pub fn man<'a>(_env: &'a Env, args: &ManArgs) -> Result<Output<'a>> {
    match &args.dir {
        None => Ok(Output::Text(main_page(Cli::command())?)),
        Some(dir) => {
            let mut files = Vec::new();
            pages(Cli::command(), &mut files)?;
            Ok(Output::Files(FileSet {
                dir: dir.clone(),
                files,
                replace: true,
                message: None,
            }))
        }
    }
}

/// The page of `command` and of each of its visible subcommands, named as `man` looks
/// them up (`positions.1`, `positions-diff.1`, …), as `clap_mangen::generate_to` names
/// them, but written by `output` like every other file.
fn pages(command: clap::Command, files: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    fn add(command: clap::Command, files: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            add(sub, files)?;
        }
        let top = command.get_name() == "positions";
        let man = clap_mangen::Man::new(command.clone());
        let page = if top {
            main_page(command)?
        } else {
            let mut page = Vec::new();
            man.render(&mut page)?;
            page
        };
        files.push((man.get_filename(), page));
        Ok(())
    }
    let mut command = command.disable_help_subcommand(true);
    command.build();
    add(command, files)
}

/// The program's page: clap's sections, then what the options cannot say (how demands
/// are compared, the corpus's files, the environment, the exit codes), before the version.
fn main_page(command: clap::Command) -> Result<Vec<u8>> {
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    man.render_subcommands_section(&mut page)?;
    if command.get_after_long_help().is_some() || command.get_after_help().is_some() {
        man.render_extra_section(&mut page)?;
    }
    page.extend_from_slice(SECTIONS.as_bytes());
    if command.get_version().is_some() {
        man.render_version_section(&mut page)?;
    }
    Ok(page)
}

/// Written in roff by hand: no line starts with `.` or `'` except a request.
const SECTIONS: &str = r#".SH "COMPARISON RULES"
Each demand names an issue, the outcomes its party \fBwants\fR and the outcomes it \fBaccepts\fR (by default what it wants): options of the issue, or closed ranges on a numeric scale.
A demand is \fIactive\fR on a date when it was stated on or before that date and not yet withdrawn (\fBuntil\fR); commands use today, or \fB\-\-as\-of\fR.
.PP
Two active demands of different parties on the same issue \fBoverlap\fR when their acceptable outcomes intersect (the intersection is the \fIcommon ground\fR, and what both want the \fIshared goal\fR); when they are disjoint the pair is \fBirreconcilable\fR if both are red lines, else a \fBconflict\fR.
Demands on different issues are related only where \fIrelations.yaml\fR asserts it.
.PP
On one issue, each party's acceptable set is the intersection of what its active demands accept; the common ground is the intersection over at least two parties.
When it is empty, \fBpositions issue\fR lists the \fInearest outcomes\fR: the options, or on a scale the bounds and every endpoint of an active demand's accepts, rejected by the fewest parties, fewest red\-line rejections first.
.PP
A plan's outcome \fBmeets\fR a demand when the demand wants it, is \fBacceptable\fR when the demand only accepts it, and \fBviolates\fR it otherwise; a demand on an issue the plan leaves open is \fBunaddressed\fR.
.SH "CORPUS FILES"
A corpus is a directory, given with \fB\-\-corpus\fR or \fBPOSITIONS_CORPUS\fR (else the corpus built into the binary):
.TP
\fIissues.yaml\fR
the negotiable issues, each with its options or its scale (unit, min, max).
.TP
\fIparties/<id>.yaml\fR
one file per party, named after its id: the party and its dated, sourced demands.
.TP
\fIrelations.yaml\fR
optional: relations the analyst asserts between demands on different issues.
.TP
\fIplans/<id>.yaml\fR
optional: proposed settlements, one outcome per issue they cover. \fBpositions plan\fR also scores a draft given by its path.
.TP
\fIschema/*.json\fR
the JSON Schemas the files point their editor at (\fBpositions schema\fR).
.PP
\fBpositions init\fR copies the built-in corpus, \fBpositions init \-\-empty\fR writes a skeleton; \fBpositions check\fR validates a corpus and reports every error with its file, line and column.
.SH ENVIRONMENT
.TP
\fBPOSITIONS_CORPUS\fR
the corpus directory when \fB\-\-corpus\fR is not given.
.TP
\fBPOSITIONS_CACHE_DIR\fR
where validated corpora are cached (keyed by the content of their files); \fB\-\-no\-cache\fR neither reads nor writes it.
.TP
\fBXDG_CACHE_HOME\fR
the cache is \fI$XDG_CACHE_HOME/positions\fR when \fBPOSITIONS_CACHE_DIR\fR is not set, else \fI~/.cache/positions\fR.
.TP
\fBCOLUMNS\fR
the width tables are fitted to when \fB\-\-width\fR is not given (else the terminal's width; a pipe with neither is not wrapped).
.TP
\fBNO_COLOR\fR
when set and not empty, \fB\-\-color auto\fR (the default) writes no colour; so does \fBTERM=dumb\fR.
.SH "EXIT STATUS"
.TP
\fB0\fR
success, also when the reader of a pipe goes away.
.TP
\fB1\fR
an invalid corpus, or a failed command (an unknown party, demand, issue or plan; an unreadable file; an output that cannot be written).
.TP
\fB2\fR
a usage error (an unknown command or option, a bad date or format, a party given twice).
.TP
\fB130\fR, \fB143\fR
interrupted by SIGINT or SIGTERM; a half\-written \fB\-\-output\fR file is removed first.
"#;
