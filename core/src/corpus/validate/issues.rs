//! issues.yaml: the issues, their options or scales.

use std::collections::HashSet;

use crate::corpus::FileText;
use crate::corpus::raw::IssuesFile;
use crate::model::{Corpus, Issue, IssueKind, OptionDef, Scale, Span};

use super::check::*;

pub(super) fn check_issues(
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
                let crate::corpus::raw::RawScale { unit, min, max } = scale.value;
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
