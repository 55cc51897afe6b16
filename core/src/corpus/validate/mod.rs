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

use crate::corpus::raw::{IssuesFile, PlanFile, RelationsFile};
use crate::corpus::{CorpusFiles, Diagnostic, Diagnostics, Pass, Progress, parse};
use crate::date::Date;
use crate::model::Corpus;

use check::{Checker, Seen, duplicate, first_defined};
use issues::check_issues;
use parties::{IssueTable, check_parties, check_party_files, header_id};
use plans::check_plan;
use relations::check_relations;
use warnings::warn_self_exclusion;

/// `pass`: how files are parsed (the party files are parsed on other threads, which are
/// given it through the `IssueTable`).
pub(super) fn validate(
    files: &CorpusFiles,
    diags: &mut Diagnostics,
    progress: &dyn Progress,
    pass: &Pass,
) -> Option<Corpus> {
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
            Err(diagnostic) => {
                check.diags.push(diagnostic);
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
    // A file that could not be read hides its demands: relations naming them are not
    // reported as unknown.
    let mut parties_ok = !files.problems.iter().any(Diagnostic::is_error);
    let mut checked = Vec::new();
    for result in results {
        if result.header.is_none() {
            parties_ok = false;
            check.diags.items.extend(result.diags.items);
        } else {
            checked.push(result);
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
            corpus.demand_index.insert(demand.id.clone(), corpus.demands.len());
            corpus.demands.push(demand);
        }
    }

    // Relations.
    if let Some(file) = &files.relations {
        match parse::<RelationsFile>(file, "relations file", pass) {
            Ok(raw) => check_relations(&mut check, file, raw, parties_ok, &demand_seen, &mut corpus),
            Err(diagnostic) => check.diags.push(diagnostic),
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
            Err(diagnostic) => check.diags.push(diagnostic),
        }
    }

    // Warnings about the corpus as a whole.
    warn_self_exclusion(&mut check, &corpus);
    let mut addressed = vec![false; corpus.issues.len()];
    for demand in &corpus.demands {
        addressed[demand.issue] = true;
    }
    for (index, issue) in corpus.issues.iter().enumerate() {
        if !addressed[index] {
            check.warning(
                &issue_spans[index],
                format!("no party has a demand on issue `{}`", issue.id),
            );
        }
    }

    Some(corpus)
}
