//! plans/: proposed settlements, one outcome per issue they cover.

use std::collections::HashSet;

use crate::corpus::raw::{PlanFile, PlanValue};
use crate::corpus::{Diagnostic, FileText};
use crate::model::{Corpus, IssueKind, Plan, PlanOutcome};

use super::check::*;

/// Check one plan against the issues. `known_issues` is None when issues.yaml could not
/// be read (then unknown issues are not reported); otherwise it holds the broken issues.
pub(super) fn check_plan(
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
    if id != file.stem && file.draft {
        // A draft is named by its path, not found by its file name.
        check.diags.push(
            Diagnostic::warning(
                &span,
                format!("plan id `{id}` differs from its file name `{}`", file.stem),
            )
            .with_hint(format!(
                "rename the file to {id}.yaml before adding it to the corpus's plans/"
            )),
        );
    } else if id != file.stem {
        check.error_hint(
            &span,
            format!("plan id `{id}` differs from its file name `{}`", file.stem),
            Some(rename_hint(&id, &file.stem)),
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
                let hint = check
                    .closest(&key.value, corpus.issues.iter().map(|i| i.id.as_str()))
                    .map(|c| format!("did you mean `{c}`?"));
                check.error_hint(&span_of(file, key), format!("unknown issue `{}`", key.value), hint);
            }
            continue;
        };
        let issue = &corpus.issues[issue_index];
        let value_span = span_of(file, value);
        let outcome = match (&issue.kind, &value.value) {
            (IssueKind::Options(_), PlanValue::Number(_)) => {
                check.number_for_id(file, value, "an option id");
                None
            }
            (IssueKind::Options(options), PlanValue::Text(text)) => {
                let text = text.clone();
                match options.iter().position(|o| o.id == text) {
                    Some(index) => Some(PlanOutcome::Option(index)),
                    None => {
                        let hint = check.option_hint(&text, issue);
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
                        Some(scale_runs(scale)),
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
