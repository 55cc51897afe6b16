//! Party files and their demands: each file parsed and checked on its own (in parallel),
//! then merged in party order.

use std::collections::HashSet;

use crate::corpus::raw::{Located, PartyFile, PlanValue, RawOutcomes, RawParty};
use crate::corpus::{Diagnostics, FileText, Progress};
use crate::date::Date;
use crate::model::outcomes;
use crate::model::{Corpus, Demand, Issue, IssueKind, Outcomes, Party, Span};

use super::check::*;

/// What the demands of a party file are checked against: the issues as loaded so far.
pub(super) struct IssueTable<'c> {
    pub(super) corpus: &'c Corpus,
    /// issues.yaml was read: an unknown issue is an error.
    pub(super) known: bool,
    /// Issues defined but broken: demands on them are not reported again.
    pub(super) broken: &'c HashSet<String>,
    pub(super) today: Date,
    /// How files are parsed.
    pub(super) pass: &'c crate::corpus::Pass,
}

/// One party file, parsed and checked on its own.
pub(super) struct CheckedParty<'f> {
    pub(super) file: &'f FileText,
    /// None when the file could not be parsed (its diagnostic is in `diags`).
    pub(super) header: Option<RawParty>,
    /// The demands that passed their checks, in file order (`party` is set on merging).
    pub(super) demands: Vec<Demand>,
    /// Every demand id in the file, first occurrence only, with its place: for duplicates
    /// across files, and so that relations naming a broken demand are not reported again.
    pub(super) ids: Vec<(String, Span)>,
    /// The issues named by demands that failed their checks: they are not "an issue
    /// nobody has a demand on".
    pub(super) failed_issues: Vec<String>,
    /// What a file that could not be parsed may have held: the ids its text gives as
    /// `id:` or `issue:`, or None when even its text could not be read.
    pub(super) words: Option<HashSet<String>>,
    pub(super) diags: Diagnostics,
}

pub(super) fn header_id<'a>(checked: &'a CheckedParty) -> &'a str {
    checked.header.as_ref().map_or("", |h| h.id.value.as_str())
}

pub(super) fn check_party_file<'f>(file: &'f FileText, table: &IssueTable) -> CheckedParty<'f> {
    let mut diags = Diagnostics::default();
    // A deferred file is read here and its text dropped when this function returns; one
    // that failed in an earlier pass is not read again.
    let earlier = table.pass.failure(&file.path).zip(table.pass.words(&file.path));
    let (parsed, words) = match earlier {
        Some((diagnostics, words)) => (Err(diagnostics), Some(words)),
        None => match file.contents() {
            Ok(text) => match crate::corpus::parse_text::<PartyFile>(file, &text, "party file", table.pass) {
                Ok(raw) => (Ok(raw), None),
                Err(diagnostics) => {
                    let words = words_of(&text);
                    table.pass.record_words(&file.path, &words);
                    (Err(diagnostics), Some(words))
                }
            },
            Err(diagnostic) => (Err(vec![diagnostic]), None),
        },
    };
    let raw = match parsed {
        Ok(raw) => raw,
        Err(diagnostics) => {
            diags.items.extend(diagnostics);
            return CheckedParty {
                file,
                header: None,
                demands: Vec::new(),
                ids: Vec::new(),
                failed_issues: Vec::new(),
                words,
                diags,
            };
        }
    };
    let mut check = Checker::new(&mut diags, table.today);
    let mut seen = Seen::new();
    let mut ids = Vec::with_capacity(raw.demands.len());
    let mut demands = Vec::with_capacity(raw.demands.len());
    let mut failed_issues = Vec::new();
    for demand in raw.demands {
        let span = span_of(file, &demand.id);
        if !seen.contains_key(&demand.id.value) {
            ids.push((demand.id.value.clone(), span));
        }
        let known = table.known && !table.broken.contains(&demand.issue.value);
        let issue = demand.issue.value.clone();
        match check_demand(&mut check, file, demand, known, &mut seen, table.corpus) {
            Some(checked) => demands.push(checked),
            None => failed_issues.push(issue),
        }
    }
    CheckedParty {
        file,
        header: Some(raw.party),
        demands,
        ids,
        failed_issues,
        words: None,
        diags,
    }
}

/// The ids a text that could not be parsed gives as `id:` or `issue:` (after any `- `),
/// no longer than an id may be. Line by line, which is quick on a large file.
fn words_of(text: &str) -> HashSet<String> {
    let mut words = HashSet::new();
    for line in text.lines() {
        let mut rest = line.trim_start();
        while let Some(after) = rest.strip_prefix("- ") {
            rest = after.trim_start();
        }
        let Some(value) = rest.strip_prefix("id:").or_else(|| rest.strip_prefix("issue:")) else {
            continue;
        };
        let value = value.split(" #").next().unwrap_or_default().trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        if !value.is_empty() && value.len() <= MAX_ID_LEN && !words.contains(value) {
            words.insert(value.to_string());
        }
    }
    words
}

/// Check the party files on all cores; the results keep the files' order whatever the
/// scheduling (each worker takes a contiguous run of files).
pub(super) fn check_party_files<'f>(
    files: &'f [FileText],
    table: &IssueTable,
    progress: &dyn Progress,
) -> Vec<CheckedParty<'f>> {
    let bytes = files.iter().map(|f| f.bytes).sum();
    progress.start(files.len(), bytes);
    let check = |f: &'f FileText| {
        let checked = check_party_file(f, table);
        progress.advance();
        checked
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    if workers <= 1 || files.len() < 2 {
        let all = files.iter().map(check).collect();
        progress.finish();
        return all;
    }
    // Interleaved runs balance the work when file sizes differ; the results are put back
    // in file order below.
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    files
                        .iter()
                        .enumerate()
                        .skip(w)
                        .step_by(workers)
                        .map(|(i, f)| (i, check(f)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<(usize, CheckedParty)> = handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(results) => results,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect();
        all.sort_by_key(|(i, _)| *i);
        progress.finish();
        all.into_iter().map(|(_, c)| c).collect()
    })
}

pub(super) fn check_parties(check: &mut Checker, checked: &[CheckedParty], corpus: &mut Corpus) {
    let mut names = Seen::new();
    for result in checked {
        let (file, Some(party)) = (result.file, &result.header) else {
            continue;
        };
        let span = span_of(file, &party.id);
        let id = party.id.value.clone();
        check.check_id(&span, &id, "party");
        // A party id that differs from its file name is one mistake, reported once: the
        // id (often copied from another party's file) and its aliases are not checked
        // against the other parties', where they would clash as a follow-on.
        let mismatched = id != file.stem;
        if mismatched {
            check.error_hint(
                &span,
                format!("party id `{id}` differs from its file name `{}`", file.stem),
                Some(rename_hint(&id, &file.stem)),
            );
        }
        if !mismatched && let Some(first) = duplicate(&mut names, &id, &span) {
            check.error_hint(&span, format!("duplicate party id `{id}`"), Some(first_defined(&first)));
        }
        let mut aliases = Vec::new();
        for alias in &party.aliases {
            let alias_span = span_of(file, alias);
            let lowered = alias.value.to_lowercase();
            if !is_valid_id(&lowered) {
                check.error_hint(
                    &alias_span,
                    format!("invalid alias `{}`", alias.value),
                    Some("aliases follow the id rules: letters, digits and single hyphens".into()),
                );
                continue;
            }
            if mismatched {
                aliases.push(lowered);
                continue;
            }
            if let Some(first) = duplicate(&mut names, &lowered, &alias_span) {
                check.error_hint(
                    &alias_span,
                    format!("alias `{}` of party `{id}` is already a party id or alias", alias.value),
                    Some(first_defined(&first)),
                );
                continue;
            }
            aliases.push(lowered);
        }
        let index = corpus.parties.len();
        corpus.party_index.entry(id.clone()).or_insert(index);
        for alias in &aliases {
            corpus.party_index.entry(alias.clone()).or_insert(index);
        }
        corpus.parties.push(Party {
            id,
            name: party.name.clone(),
            kind: party.kind,
            aliases,
            file: file.path.clone(),
        });
    }
}

/// Check one demand against the issues; the demand when it passes (its `party` is set
/// when the file's results are merged).
pub(super) fn check_demand(
    check: &mut Checker,
    file: &FileText,
    raw: crate::corpus::raw::RawDemand,
    issues_ok: bool,
    seen: &mut Seen,
    corpus: &Corpus,
) -> Option<Demand> {
    let span = span_of(file, &raw.id);
    let id = &raw.id.value;
    let mut ok = check.check_id(&span, id, "demand");
    if let Some(first) = duplicate(seen, id, &span) {
        check.error_hint(
            &span,
            format!("duplicate demand id `{id}`"),
            Some(first_defined(&first)),
        );
        ok = false;
    }
    let issue = corpus.issue_by_id(&raw.issue.value);
    if issue.is_none() {
        ok = false;
        if issues_ok {
            let hint = check
                .closest(&raw.issue.value, corpus.issues.iter().map(|i| i.id.as_str()))
                .map(|c| format!("did you mean `{c}`?"));
            check.error_hint(
                &span_of(file, &raw.issue),
                format!("unknown issue `{}`", raw.issue.value),
                hint,
            );
        }
    }
    let wants = issue.and_then(|i| convert_outcomes(check, file, &raw.wants, &corpus.issues[i], "wants"));
    let accepts = match (&raw.accepts, issue) {
        (Some(accepts), Some(i)) => convert_outcomes(check, file, accepts, &corpus.issues[i], "accepts"),
        (None, _) => wants.clone(),
        (Some(_), None) => None,
    };
    if let (Some(wants), Some(accepts), Some(raw_accepts), Some(i)) = (&wants, &accepts, &raw.accepts, issue)
        && !outcomes::contains(accepts, wants)
    {
        let missing = outcomes::items(&corpus.issues[i], &outcomes::difference(wants, accepts));
        let missing = crate::suggest::list(missing.iter().map(String::as_str));
        check.error_hint(
            &span_of(file, raw_accepts),
            format!("`accepts` of demand `{id}` does not contain all of `wants` (missing {missing})"),
            Some("a party accepts what it asks for: add the missing outcomes to `accepts`".into()),
        );
        ok = false;
    }
    let stated = check.date(file, &raw.stated, "date in `stated`");
    let until = raw
        .until
        .as_ref()
        .and_then(|u| check.date(file, u, "date in `until`").map(|d| (d, u)));
    if let (Some(stated), Some((until, located))) = (stated, until)
        && until <= stated
    {
        check.error(
            &span_of(file, located),
            format!("`until` {until} of demand `{id}` is not after `stated` {stated}"),
        );
        ok = false;
    }
    if let Some(stated) = stated {
        check.future(&span_of(file, &raw.stated), stated, "`stated` date");
    }
    if raw.sources.value.is_empty() {
        check.error_hint(
            &span_of(file, &raw.sources),
            format!("demand `{id}` has no sources"),
            Some("every demand cites at least one dated source".into()),
        );
        ok = false;
    }
    let sources = check.sources(file, &raw.sources.value);
    let (Some(issue), Some(wants), Some(accepts), Some(stated), true) = (issue, wants, accepts, stated, ok) else {
        return None;
    };
    if sources.len() != raw.sources.value.len() || (raw.until.is_some() && until.is_none()) {
        return None;
    }
    let until = until.map(|(d, _)| d);
    Some(Demand {
        id: raw.id.value,
        party: 0,
        issue,
        title: raw.title,
        summary: raw.summary,
        wants,
        accepts,
        priority: raw.priority,
        stated,
        until,
        evidence: raw.evidence,
        tags: raw.tags,
        sources,
        span,
    })
}

/// Check `wants` or `accepts` against its issue and turn it into a set of outcomes.
pub(super) fn convert_outcomes(
    check: &mut Checker,
    file: &FileText,
    raw: &Located<RawOutcomes>,
    issue: &Issue,
    field: &str,
) -> Option<Outcomes> {
    let span = span_of(file, raw);
    match (&raw.value, &issue.kind) {
        (RawOutcomes::List(ids), IssueKind::Options(options)) => {
            if ids.is_empty() {
                check.error(&span, format!("`{field}` is empty"));
                return None;
            }
            let mut indices = Vec::with_capacity(ids.len());
            let mut ok = true;
            // Long lists against many options are looked up in an index, not one by one.
            let index: Option<std::collections::HashMap<&str, usize>> = (ids.len() > 8 && options.len() > 8)
                .then(|| options.iter().enumerate().map(|(i, o)| (o.id.as_str(), i)).collect());
            for id in ids {
                let text = match &id.value {
                    PlanValue::Text(text) => text,
                    PlanValue::Number(_) => {
                        check.number_for_id(file, id, "an option id");
                        ok = false;
                        continue;
                    }
                };
                let found = match &index {
                    Some(index) => index.get(text.as_str()).copied(),
                    None => options.iter().position(|o| &o.id == text),
                };
                match found {
                    Some(index) => indices.push(index),
                    None => {
                        let hint = check.option_hint(text, issue);
                        check.error_hint(
                            &span_of(file, id),
                            format!("unknown option `{text}` of issue `{}`", issue.id),
                            Some(hint),
                        );
                        ok = false;
                    }
                }
            }
            indices.sort_unstable();
            indices.dedup();
            ok.then_some(Outcomes::Options(indices))
        }
        (RawOutcomes::Range { min, max }, IssueKind::Scale(scale)) => {
            let (lo, hi) = (min.unwrap_or(scale.min), max.unwrap_or(scale.max));
            if !lo.is_finite() || !hi.is_finite() {
                check.error(&span, format!("`{field}` needs finite numbers"));
                return None;
            }
            if lo > hi {
                check.error(&span, format!("`{field}` has min {lo} above max {hi}"));
                return None;
            }
            if lo < scale.min || hi > scale.max {
                check.error_hint(
                    &span,
                    format!("`{field}` range {lo}..{hi} lies outside the scale of `{}`", issue.id),
                    Some(scale_runs(scale)),
                );
                return None;
            }
            Some(Outcomes::Range { min: lo, max: hi })
        }
        (RawOutcomes::List(_), IssueKind::Scale(scale)) => {
            check.error_hint(
                &span,
                format!("`{field}` is a list, but issue `{}` is a scale", issue.id),
                Some(format!(
                    "give a range in {}, e.g. {{min: {}, max: {}}}",
                    scale.unit, scale.min, scale.max
                )),
            );
            None
        }
        (RawOutcomes::Range { .. }, IssueKind::Options(options)) => {
            let known = crate::suggest::list(options.iter().map(|o| o.id.as_str()));
            check.error_hint(
                &span,
                format!("`{field}` is a range, but issue `{}` has options", issue.id),
                Some(format!("give a list of option ids: [{known}]")),
            );
            None
        }
    }
}
