//! From parsed files to a checked, indexed `Corpus`, collecting every problem on the way.
//! One module per kind of file, and `check` for what they all share.

mod check;
mod issues;
mod parties;
mod plans;
mod relations;
mod warnings;

pub use check::is_valid_id;

use std::collections::HashSet;

use crate::corpus::compiled::{self, Streamed};
use crate::corpus::raw::{IssuesFile, PlanFile, RelationsFile};
use crate::corpus::{CorpusFiles, Diagnostics, Pass, Progress, limits, parse};
use crate::date::Date;
use crate::model::Corpus;

use check::{Checker, Seen, duplicate, first_defined};
use issues::check_issues;
use parties::{IssueTable, check_parties, check_party_files, header_id};
use plans::check_plan;
use relations::check_relations;
use warnings::warn_self_exclusion;

/// `pass`: how files are parsed (the party files are parsed on other threads, which are
/// given it through the `IssueTable`). `sink`: where to write the demands in compiled form.
pub(super) fn validate(
    files: &CorpusFiles,
    diags: &mut Diagnostics,
    progress: &dyn Progress,
    pass: &Pass,
    sink: Option<&mut (dyn std::io::Write + Send)>,
) -> Validated {
    let mut check = Checker::new(diags, Date::today());
    let mut corpus = Corpus::default();
    let mut issue_spans = Vec::new();
    // Issues defined but too broken to check demands against: their demands are not
    // reported again as naming an unknown issue.
    let mut broken_issues = HashSet::new();

    // Issues.
    let issues_ok = match &files.issues {
        Some(file) => match parse::<IssuesFile>(file, "issues file", pass) {
            Ok(raw) => {
                issue_spans = check_issues(&mut check, file, raw, &mut corpus, &mut broken_issues);
                true
            }
            Err(diagnostics) => {
                check.diags.items.extend(diagnostics);
                false
            }
        },
        None => false,
    };

    // Parties and their demands: each file parsed and checked on its own (in parallel, so
    // that only a couple of parsed files are held at once), then merged in party order.
    let table = IssueTable {
        corpus: &corpus,
        known: issues_ok,
        broken: &broken_issues,
        today: check.today,
        pass,
    };
    let results = check_party_files(&files.parties, &table, progress);
    // A party file that could not be read hides its demands and the issues they are on:
    // nothing that may have been in it is reported as missing.
    let mut hidden = Hidden {
        unreadable: files.problems.iter().any(|p| p.is_error() && in_parties(&p.file)),
        ..Hidden::default()
    };
    let mut checked = Vec::new();
    for result in results {
        if result.header.is_none() {
            match &result.words {
                Some(words) => hidden.words.extend(words.iter().cloned()),
                None => hidden.unreadable = true,
            }
            check.diags.items.extend(result.diags.items);
        } else {
            checked.push(result);
        }
    }
    let mut addressed_ids: HashSet<String> = HashSet::new();
    for result in &checked {
        addressed_ids.extend(result.failed_issues.iter().cloned());
        if hidden.unreadable {
            hidden
                .prefixes
                .extend(result.ids.iter().map(|(id, _)| prefix(id).to_string()));
        }
    }
    checked.sort_by(|a, b| header_id(a).cmp(header_id(b)));
    check_parties(&mut check, &checked, &mut corpus);
    let mut demand_seen = Seen::new();
    for (party, result) in checked.into_iter().enumerate() {
        check.diags.items.extend(result.diags.items);
        let mut duplicated = HashSet::new();
        for (id, span) in &result.ids {
            if let Some(first) = duplicate(&mut demand_seen, id, span) {
                check.error_hint(span, format!("duplicate demand id `{id}`"), Some(first_defined(&first)));
                duplicated.insert(id.as_str());
            }
        }
        for mut demand in result.demands {
            if duplicated.contains(demand.id.as_str()) {
                continue;
            }
            demand.party = party;
            corpus.demands.push(demand);
        }
    }

    // The demands are final from here on: while the rest is checked, another core writes
    // them to `sink` in the compiled form's blocks (for the cache), so that storing a newly
    // loaded corpus costs a first run little more than loading it.
    let encoded = std::thread::scope(|scope| {
        let demands = &corpus.demands;
        let encoder = sink.map(|sink| scope.spawn(move || compiled::stream_demands(demands, sink)));

        // Relations.
        if let Some(file) = &files.relations {
            match parse::<RelationsFile>(file, "relations file", pass) {
                Ok(raw) => {
                    let relations = check_relations(&mut check, file, raw, &hidden, &demand_seen, &corpus);
                    corpus.relations = relations;
                }
                Err(diagnostics) => check.diags.items.extend(diagnostics),
            }
        }

        // Plans.
        let mut plan_seen = Seen::new();
        for file in &files.plans {
            match parse::<PlanFile>(file, "plan file", pass) {
                Ok(raw) => {
                    let known_issues = issues_ok.then_some(&broken_issues);
                    if let Some(plan) = check_plan(&mut check, file, raw, known_issues, &mut plan_seen, &corpus) {
                        corpus.plans.push(plan);
                    }
                }
                Err(diagnostics) => check.diags.items.extend(diagnostics),
            }
        }

        // Warnings about the corpus as a whole.
        warn_self_exclusion(&mut check, &corpus);
        let mut addressed = vec![false; corpus.issues.len()];
        for demand in &corpus.demands {
            addressed[demand.issue] = true;
        }
        for (index, issue) in corpus.issues.iter().enumerate() {
            if !addressed[index] && !addressed_ids.contains(&issue.id) && !hidden.may_name_issue(&issue.id) {
                check.warning(
                    &issue_spans[index],
                    format!("no party has a demand on issue `{}`", issue.id),
                );
            }
        }
        limits::long_values(files, &corpus, check.diags);
        encoder.and_then(|encoder| encoder.join().ok())
    });

    Validated {
        corpus,
        streamed: encoded.flatten(),
    }
}

/// A checked corpus (with errors or not: the diagnostics tell), and its demands'
/// blocks when they were written to a sink.
pub(super) struct Validated {
    pub corpus: Corpus,
    pub streamed: Option<Streamed>,
}

/// What the party files that could not be parsed may have held. A demand or issue id
/// that such a file gives as `id:` or `issue:` may have been defined or used there, so it
/// is not reported as unknown or unused; one that it does not give was not. Of a file whose
/// text could not be read at all nothing is known, except that demand ids start with
/// their party's prefix (`ru-` for russia): an id with the prefix of a party that was
/// read is still checked, any other is not.
#[derive(Default)]
pub(super) struct Hidden {
    /// The ids given in the party files that were read but could not be parsed.
    words: HashSet<String>,
    /// Some party file could not be read at all.
    unreadable: bool,
    /// The prefixes of the demand ids of the party files that were parsed (gathered only
    /// when some file could not be read).
    prefixes: HashSet<String>,
}

impl Hidden {
    /// May the demand `id` have been defined in a party file that could not be read?
    pub(super) fn may_define_demand(&self, id: &str) -> bool {
        self.words.contains(id) || (self.unreadable && !self.prefixes.contains(prefix(id)))
    }

    /// May a demand on issue `id` be in a party file that could not be read?
    fn may_name_issue(&self, id: &str) -> bool {
        self.unreadable || self.words.contains(id)
    }
}

/// A demand id's prefix: its text up to the first hyphen.
fn prefix(id: &str) -> &str {
    id.split_once('-').map_or(id, |(head, _)| head)
}

/// Is a problem found while reading the corpus about a party file (or their folder)?
fn in_parties(path: &str) -> bool {
    let path = std::path::Path::new(path);
    let folder = |p: &std::path::Path| p.file_name().is_some_and(|n| n == crate::corpus::layout::PARTIES);
    folder(path) || path.parent().is_some_and(folder)
}
