//! From parsed files to a checked, indexed `Corpus`, collecting every problem on the way.

use std::collections::{HashMap, HashSet};

use super::raw::{
    IssuesFile, Located, PartyFile, PlanFile, PlanValue, RawOutcomes, RawParty, RawSource, RelationsFile,
};
use super::{CorpusFiles, Diagnostic, Diagnostics, FileText, Progress, parse};
use crate::date::Date;
use crate::model::outcomes;
use crate::model::{
    Corpus, Demand, Issue, IssueKind, OptionDef, Outcomes, Party, Plan, PlanOutcome, Relation, Scale, Source, Span,
};
use crate::suggest;

const MAX_ID_LEN: usize = 64;

/// Is `id` lowercase kebab-case of at most 64 characters?
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

fn span_of<T>(file: &FileText, located: &Located<T>) -> Span {
    Span {
        file: file.path.clone(),
        line: located.referenced.line() as u32,
        column: located.referenced.column() as u32,
    }
}

struct Checker<'a> {
    diags: &'a mut Diagnostics,
    today: Date,
}

impl Checker<'_> {
    fn error(&mut self, span: &Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, message));
    }

    fn error_hint(&mut self, span: &Span, message: impl Into<String>, hint: Option<String>) {
        let diagnostic = Diagnostic::error(span, message);
        self.diags.push(match hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        });
    }

    fn warning(&mut self, span: &Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(span, message));
    }

    fn check_id(&mut self, span: &Span, id: &str, what: &str) -> bool {
        if is_valid_id(id) {
            return true;
        }
        let suggestion = kebab(id);
        let hint = if is_valid_id(&suggestion) {
            format!(
                "ids are lowercase kebab-case (letters, digits, single hyphens), at most 64 characters, e.g. `{suggestion}`"
            )
        } else {
            "ids are lowercase kebab-case (letters, digits, single hyphens), at most 64 characters".to_string()
        };
        self.error_hint(span, format!("invalid {what} id `{id}`"), Some(hint));
        false
    }

    fn date(&mut self, file: &FileText, located: &Located<String>, what: &str) -> Option<Date> {
        match located.value.parse::<Date>() {
            Ok(date) => Some(date),
            Err(err) => {
                let span = span_of(file, located);
                self.error_hint(
                    &span,
                    format!("invalid {what} `{}`: {err}", located.value),
                    Some("dates are written YYYY-MM-DD, e.g. 2022-03-29".into()),
                );
                None
            }
        }
    }

    fn future(&mut self, span: &Span, date: Date, what: &str) {
        if date > self.today {
            self.warning(span, format!("{what} {date} is in the future"));
        }
    }

    fn sources(&mut self, file: &FileText, raw: &[RawSource]) -> Vec<Source> {
        let mut sources = Vec::with_capacity(raw.len());
        for source in raw {
            let span = span_of(file, &source.title);
            let date = self.date(file, &source.date, "source date");
            if source.url.as_deref().is_none_or(|u| u.trim().is_empty()) {
                self.diags.push(
                    Diagnostic::warning(&span, format!("source `{}` has no url", source.title.value))
                        .with_hint("give the address where a reader can check the source"),
                );
            }
            if let Some(date) = date {
                self.future(&span_of(file, &source.date), date, "source date");
                sources.push(Source {
                    title: source.title.value.clone(),
                    by: source.by.clone(),
                    date,
                    url: source.url.clone(),
                    quote: source.quote.clone(),
                });
            }
        }
        sources
    }
}

/// Turn an id with the wrong shape into the nearest valid one, for the hint.
fn kebab(id: &str) -> String {
    let lowered: String = id
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    lowered
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Where each id was first defined, to report duplicates.
type Seen = HashMap<String, Span>;

fn duplicate(seen: &mut Seen, id: &str, span: &Span) -> Option<Span> {
    match seen.get(id) {
        Some(first) => Some(first.clone()),
        None => {
            seen.insert(id.to_string(), span.clone());
            None
        }
    }
}

fn first_defined(span: &Span) -> String {
    format!("first defined at {}:{}:{}", span.file, span.line, span.column)
}

pub(super) fn validate(files: &CorpusFiles, diags: &mut Diagnostics, progress: &dyn Progress) -> Option<Corpus> {
    let mut check = Checker {
        diags,
        today: Date::today(),
    };
    let mut corpus = Corpus::default();
    let mut issue_spans = Vec::new();
    // Issues defined but too broken to check demands against: their demands are not
    // reported again as naming an unknown issue.
    let mut broken_issues = HashSet::new();

    // Issues.
    let issues_ok = match &files.issues {
        Some(file) => match parse::<IssuesFile>(file, "issues file") {
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
        match parse::<RelationsFile>(file, "relations file") {
            Ok(raw) => check_relations(&mut check, file, raw, parties_ok, &demand_seen, &mut corpus),
            Err(diagnostic) => check.diags.push(diagnostic),
        }
    }

    // Plans.
    let mut plan_seen = Seen::new();
    for file in &files.plans {
        match parse::<PlanFile>(file, "plan file") {
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

/// What the demands of a party file are checked against: the issues as loaded so far.
struct IssueTable<'c> {
    corpus: &'c Corpus,
    /// issues.yaml was read: an unknown issue is an error.
    known: bool,
    /// Issues defined but broken: demands on them are not reported again.
    broken: &'c HashSet<String>,
    today: Date,
}

/// One party file, parsed and checked on its own.
struct CheckedParty<'f> {
    file: &'f FileText,
    /// None when the file could not be parsed (its diagnostic is in `diags`).
    header: Option<RawParty>,
    /// The demands that passed their checks, in file order (`party` is set on merging).
    demands: Vec<Demand>,
    /// Every demand id in the file, first occurrence only, with its place: for duplicates
    /// across files, and so that relations naming a broken demand are not reported again.
    ids: Vec<(String, Span)>,
    diags: Diagnostics,
}

fn header_id<'a>(checked: &'a CheckedParty) -> &'a str {
    checked.header.as_ref().map_or("", |h| h.id.value.as_str())
}

fn check_party_file<'f>(file: &'f FileText, table: &IssueTable) -> CheckedParty<'f> {
    let mut diags = Diagnostics::default();
    // A deferred file is read here and its text dropped when this function returns.
    let parsed = file
        .contents()
        .and_then(|text| super::parse_text::<PartyFile>(file, &text, "party file"));
    let raw = match parsed {
        Ok(raw) => raw,
        Err(diagnostic) => {
            diags.push(diagnostic);
            return CheckedParty {
                file,
                header: None,
                demands: Vec::new(),
                ids: Vec::new(),
                diags,
            };
        }
    };
    let mut check = Checker {
        diags: &mut diags,
        today: table.today,
    };
    let mut seen = Seen::new();
    let mut ids = Vec::with_capacity(raw.demands.len());
    let mut demands = Vec::with_capacity(raw.demands.len());
    for demand in raw.demands {
        let span = span_of(file, &demand.id);
        if !seen.contains_key(&demand.id.value) {
            ids.push((demand.id.value.clone(), span));
        }
        let known = table.known && !table.broken.contains(&demand.issue.value);
        if let Some(checked) = check_demand(&mut check, file, demand, known, &mut seen, table.corpus) {
            demands.push(checked);
        }
    }
    CheckedParty {
        file,
        header: Some(raw.party),
        demands,
        ids,
        diags,
    }
}

/// Check the party files on all cores; the results keep the files' order whatever the
/// scheduling (each worker takes a contiguous run of files).
fn check_party_files<'f>(files: &'f [FileText], table: &IssueTable, progress: &dyn Progress) -> Vec<CheckedParty<'f>> {
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

fn check_issues(
    check: &mut Checker,
    file: &FileText,
    raw: IssuesFile,
    corpus: &mut Corpus,
    broken: &mut HashSet<String>,
) -> Vec<Span> {
    let mut seen = Seen::new();
    let mut spans = Vec::new();
    for issue in raw.issues {
        let span = span_of(file, &issue.id);
        let id = issue.id.value;
        check.check_id(&span, &id, "issue");
        if let Some(first) = duplicate(&mut seen, &id, &span) {
            check.error_hint(&span, format!("duplicate issue id `{id}`"), Some(first_defined(&first)));
            continue;
        }
        let kind = match (issue.options, issue.scale) {
            (Some(options), None) => {
                let options_span = span_of(file, &options);
                if options.value.len() < 2 {
                    check.error(&options_span, format!("issue `{id}` needs at least two options"));
                }
                let mut option_seen = Seen::new();
                let mut defs = Vec::new();
                for option in options.value {
                    let option_span = span_of(file, &option.id);
                    check.check_id(&option_span, &option.id.value, "option");
                    if let Some(first) = duplicate(&mut option_seen, &option.id.value, &option_span) {
                        check.error_hint(
                            &option_span,
                            format!("duplicate option id `{}` in issue `{id}`", option.id.value),
                            Some(first_defined(&first)),
                        );
                        continue;
                    }
                    defs.push(OptionDef {
                        id: option.id.value,
                        label: option.label,
                    });
                }
                IssueKind::Options(defs)
            }
            (None, Some(scale)) => {
                let scale_span = span_of(file, &scale);
                let super::raw::RawScale { unit, min, max } = scale.value;
                if !min.is_finite() || !max.is_finite() {
                    check.error(&scale_span, format!("the scale of issue `{id}` needs finite bounds"));
                    broken.insert(id);
                    continue;
                }
                if min >= max {
                    check.error_hint(
                        &scale_span,
                        format!("the scale of issue `{id}` has min {min} not below max {max}"),
                        Some("a scale runs from a lower `min` to a higher `max`".into()),
                    );
                    broken.insert(id);
                    continue;
                }
                IssueKind::Scale(Scale { unit, min, max })
            }
            (Some(_), Some(_)) => {
                check.error_hint(
                    &span,
                    format!("issue `{id}` has both `options` and `scale`"),
                    Some("an issue has either discrete options or a numeric scale".into()),
                );
                broken.insert(id);
                continue;
            }
            (None, None) => {
                check.error_hint(
                    &span,
                    format!("issue `{id}` has neither `options` nor `scale`"),
                    Some("add `options:` (two or more) or `scale: {unit, min, max}`".into()),
                );
                broken.insert(id);
                continue;
            }
        };
        corpus.issue_index.insert(id.clone(), corpus.issues.len());
        spans.push(span);
        corpus.issues.push(Issue {
            id,
            title: issue.title,
            category: issue.category,
            description: issue.description,
            kind,
        });
    }
    spans
}

fn check_parties(check: &mut Checker, checked: &[CheckedParty], corpus: &mut Corpus) {
    let mut names = Seen::new();
    for result in checked {
        let (file, Some(party)) = (result.file, &result.header) else {
            continue;
        };
        let span = span_of(file, &party.id);
        let id = party.id.value.clone();
        check.check_id(&span, &id, "party");
        if id != file.stem {
            check.error_hint(
                &span,
                format!("party id `{id}` differs from its file name `{}`", file.stem),
                Some(format!("rename the file to {id}.yaml or set `id: {}`", file.stem)),
            );
        }
        if let Some(first) = duplicate(&mut names, &id, &span) {
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
fn check_demand(
    check: &mut Checker,
    file: &FileText,
    raw: super::raw::RawDemand,
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
            let hint = suggest::hint(&raw.issue.value, corpus.issues.iter().map(|i| i.id.as_str()));
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
        let missing = outcomes::items(&corpus.issues[i], &outcomes::difference(wants, accepts)).join(", ");
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
fn convert_outcomes(
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
            for id in ids {
                match options.iter().position(|o| o.id == id.value) {
                    Some(index) => indices.push(index),
                    None => {
                        let hint =
                            suggest::hint(&id.value, options.iter().map(|o| o.id.as_str())).unwrap_or_else(|| {
                                let known: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                                format!("the options of `{}` are: {}", issue.id, known.join(", "))
                            });
                        check.error_hint(
                            &span_of(file, id),
                            format!("unknown option `{}` of issue `{}`", id.value, issue.id),
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
                    Some(format!(
                        "the scale runs from {} to {} {}",
                        scale.min, scale.max, scale.unit
                    )),
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
            let known: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
            check.error_hint(
                &span,
                format!("`{field}` is a range, but issue `{}` has options", issue.id),
                Some(format!("give a list of option ids: [{}]", known.join(", "))),
            );
            None
        }
    }
}

fn check_relations(
    check: &mut Checker,
    file: &FileText,
    raw: RelationsFile,
    parties_ok: bool,
    demand_seen: &Seen,
    corpus: &mut Corpus,
) {
    let mut pairs: HashMap<(usize, usize), Span> = HashMap::new();
    for relation in raw.relations {
        let span = span_of(file, &relation.between);
        let sources = check.sources(file, &relation.sources);
        if relation.between.value.len() != 2 {
            check.error_hint(
                &span,
                format!("`between` names {} demands", relation.between.value.len()),
                Some("a relation links exactly two demands: between: [demand-a, demand-b]".into()),
            );
            continue;
        }
        let mut ends = [0usize; 2];
        let mut ok = true;
        for (slot, located) in relation.between.value.iter().enumerate() {
            match corpus.demand_by_id(&located.value) {
                Some(index) => ends[slot] = index,
                None => {
                    ok = false;
                    // A demand that exists but failed its own checks was reported already.
                    if parties_ok && !demand_seen.contains_key(&located.value) {
                        let hint = suggest::hint(&located.value, corpus.demands.iter().map(|d| d.id.as_str()));
                        check.error_hint(
                            &span_of(file, located),
                            format!("unknown demand `{}`", located.value),
                            hint,
                        );
                    }
                }
            }
        }
        if !ok {
            continue;
        }
        let (a, b) = (&corpus.demands[ends[0]], &corpus.demands[ends[1]]);
        if a.party == b.party {
            check.error_hint(
                &span,
                format!("`{}` and `{}` belong to the same party", a.id, b.id),
                Some("relations link demands of different parties".into()),
            );
            continue;
        }
        if a.issue == b.issue {
            check.error_hint(
                &span,
                format!("`{}` and `{}` are on the same issue", a.id, b.id),
                Some("same-issue pairs are derived by the comparison rules, never asserted".into()),
            );
            continue;
        }
        let key = (ends[0].min(ends[1]), ends[0].max(ends[1]));
        if let Some(first) = pairs.get(&key) {
            check.error_hint(
                &span,
                format!("the pair `{}` / `{}` is related twice", a.id, b.id),
                Some(first_defined(first)),
            );
            continue;
        }
        pairs.insert(key, span);
        corpus.relations.push(Relation {
            between: ends,
            kind: relation.kind,
            rationale: relation.rationale,
            sources,
        });
    }
}

/// Warn where one party's demands on one issue cannot all be met at once while both stand.
fn warn_self_exclusion(check: &mut Checker, corpus: &Corpus) {
    let mut by_party_issue: HashMap<(usize, usize), Vec<&Demand>> = HashMap::new();
    for demand in &corpus.demands {
        by_party_issue
            .entry((demand.party, demand.issue))
            .or_default()
            .push(demand);
    }
    let mut reported = HashSet::new();
    for demand in &corpus.demands {
        let Some(group) = by_party_issue.get(&(demand.party, demand.issue)) else {
            continue;
        };
        for other in group {
            if other.span == demand.span || !reported.insert((other.id.as_str(), demand.id.as_str())) {
                continue;
            }
            // Report each pair once, at the demand that comes later in the file.
            if (other.span.line, other.span.column) > (demand.span.line, demand.span.column) {
                continue;
            }
            let overlap_in_time =
                other.until.is_none_or(|u| demand.stated < u) && demand.until.is_none_or(|u| other.stated < u);
            if overlap_in_time && outcomes::intersect(&demand.accepts, &other.accepts).is_empty() {
                let from = demand.stated.max(other.stated);
                check.diags.push(
                    Diagnostic::warning(
                        &demand.span,
                        format!(
                            "`{}` and `{}` of party `{}` exclude each other while both are active (from {from})",
                            other.id, demand.id, corpus.parties[demand.party].id
                        ),
                    )
                    .with_hint("if the position moved, give the older demand `until:` the date of the newer one"),
                );
            }
        }
    }
}

/// Check one plan against the issues. `known_issues` is None when issues.yaml could not
/// be read (then unknown issues are not reported); otherwise it holds the broken issues.
fn check_plan(
    check: &mut Checker,
    file: &FileText,
    raw: PlanFile,
    known_issues: Option<&HashSet<String>>,
    seen: &mut Seen,
    corpus: &Corpus,
) -> Option<Plan> {
    let span = span_of(file, &raw.plan.id);
    let id = raw.plan.id.value.clone();
    let mut ok = check.check_id(&span, &id, "plan");
    if id != file.stem {
        check.error_hint(
            &span,
            format!("plan id `{id}` differs from its file name `{}`", file.stem),
            Some(format!("rename the file to {id}.yaml or set `id: {}`", file.stem)),
        );
        ok = false;
    }
    if let Some(first) = duplicate(seen, &id, &span) {
        check.error_hint(&span, format!("duplicate plan id `{id}`"), Some(first_defined(&first)));
        ok = false;
    }
    let date = check.date(file, &raw.plan.date, "plan date");
    let sources = check.sources(file, &raw.plan.sources);
    ok &= sources.len() == raw.plan.sources.len();
    if raw.plan.sources.is_empty() {
        check.diags.push(
            Diagnostic::warning(&span, format!("plan `{id}` cites no sources"))
                .with_hint("give the document the plan comes from, with its date and url"),
        );
    }
    if raw.outcomes.value.0.is_empty() {
        check.error(&span_of(file, &raw.outcomes), format!("plan `{id}` settles no issue"));
        ok = false;
    }
    let mut outcomes = Vec::new();
    for (key, value) in &raw.outcomes.value.0 {
        let Some(issue_index) = corpus.issue_by_id(&key.value) else {
            ok = false;
            if known_issues.is_some_and(|broken| !broken.contains(&key.value)) {
                let hint = suggest::hint(&key.value, corpus.issues.iter().map(|i| i.id.as_str()));
                check.error_hint(&span_of(file, key), format!("unknown issue `{}`", key.value), hint);
            }
            continue;
        };
        let issue = &corpus.issues[issue_index];
        let value_span = span_of(file, value);
        let outcome = match (&issue.kind, &value.value) {
            (IssueKind::Options(options), written) => {
                // An option id that looks like a number (`2030`) is parsed as one.
                let text = match written {
                    PlanValue::Text(t) => t.clone(),
                    PlanValue::Number(n) => crate::model::outcomes::number(*n),
                };
                match options.iter().position(|o| o.id == text) {
                    Some(index) => Some(PlanOutcome::Option(index)),
                    None => {
                        let hint = suggest::hint(&text, options.iter().map(|o| o.id.as_str())).unwrap_or_else(|| {
                            let known: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                            format!("the options of `{}` are: {}", issue.id, known.join(", "))
                        });
                        check.error_hint(
                            &value_span,
                            format!("unknown option `{text}` of issue `{}`", issue.id),
                            Some(hint),
                        );
                        None
                    }
                }
            }
            (IssueKind::Scale(scale), PlanValue::Number(n)) => {
                if !n.is_finite() || *n < scale.min || *n > scale.max {
                    check.error_hint(
                        &value_span,
                        format!("{n} lies outside the scale of `{}`", issue.id),
                        Some(format!(
                            "the scale runs from {} to {} {}",
                            scale.min, scale.max, scale.unit
                        )),
                    );
                    None
                } else {
                    Some(PlanOutcome::Value(*n))
                }
            }
            (IssueKind::Scale(scale), PlanValue::Text(text)) => {
                check.error_hint(
                    &value_span,
                    format!("`{text}` is not a number, but issue `{}` is a scale", issue.id),
                    Some(format!(
                        "give a number of {} from {} to {}",
                        scale.unit, scale.min, scale.max
                    )),
                );
                None
            }
        };
        match outcome {
            Some(outcome) => outcomes.push((issue_index, outcome)),
            None => ok = false,
        }
    }
    let date = date?;
    check.future(&span_of(file, &raw.plan.date), date, "plan date");
    ok.then(|| Plan {
        id,
        title: raw.plan.title,
        date,
        evidence: raw.plan.evidence,
        sources,
        outcomes,
        file: file.path.clone(),
    })
}
