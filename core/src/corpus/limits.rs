//! Limits on the size of what a corpus holds, beyond the parser's budget.
//!
//! The parser caps the total bytes of a file's scalars (64 MiB), which bounds memory, but
//! one 50 MB title is still valid YAML. No corpus needs that: a title, a summary or a
//! quote is at most a few pages. A value bigger than `MAX_TEXT_BYTES` is refused, so that
//! nothing later (tables wrap cells in quadratic time) has to cope with it: a long line
//! before the file is parsed, a long value spread over many lines after.

use super::{CorpusFiles, Diagnostic, Diagnostics, FileText};
use crate::model::{Corpus, Source, Span};

/// The most bytes a line of a corpus file, or any text value, may hold: 64 KiB.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

const HINT: &str = "a corpus holds titles, summaries and short quotes; link a long document with `url`";

/// A carriage return not followed by a line feed: a line ended the way old Mac OS ended
/// them. YAML would read it as a line break, but every line number, excerpt and the
/// line-length limit count LF-ended lines, so such a file is refused as what it is (it was
/// reported as one line tens of kilobytes long).
pub fn bare_carriage_return(path: &str, text: &str) -> Option<Diagnostic> {
    let bytes = text.as_bytes();
    let at = bytes
        .iter()
        .enumerate()
        .position(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))?;
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let span = Span {
        file: path.to_string(),
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: 1,
    };
    Some(
        Diagnostic::error(
            &span,
            format!("line {line} ends with a carriage return alone (CR line ends, as old Mac OS wrote them)"),
        )
        .with_hint("save the file with LF (Unix) or CRLF (Windows) line ends"),
    )
}

/// The first line longer than the limit, as a diagnostic: checked before parsing, so
/// that a huge scalar on one line costs no parsing time.
pub fn long_line(path: &str, text: &str) -> Option<Diagnostic> {
    let (index, line) = text
        .split('\n')
        .enumerate()
        .find(|(_, line)| line.len() > MAX_TEXT_BYTES)?;
    let span = Span {
        file: path.to_string(),
        line: u32::try_from(index + 1).unwrap_or(u32::MAX),
        column: 1,
    };
    Some(
        Diagnostic::error(
            &span,
            format!(
                "line {} is {} bytes long, more than the {MAX_TEXT_BYTES} a corpus line may hold",
                index + 1,
                line.len()
            ),
        )
        .with_hint(HINT),
    )
}

/// Every text value bigger than the limit (a block scalar over many short lines).
pub fn long_values(files: &CorpusFiles, corpus: &Corpus, diagnostics: &mut Diagnostics) {
    let mut report = |span: Span, what: String, text: &str| {
        if text.len() > MAX_TEXT_BYTES {
            diagnostics.push(
                Diagnostic::error(
                    &span,
                    format!(
                        "{what} is {} bytes long, more than the {MAX_TEXT_BYTES} a value may hold",
                        text.len()
                    ),
                )
                .with_hint(HINT),
            );
        }
    };
    let at_file = |file: Option<&FileText>| Span {
        file: file.map_or_else(String::new, |f| f.path.clone()),
        line: 0,
        column: 0,
    };
    for issue in &corpus.issues {
        let mut texts = vec![issue.title.as_str()];
        texts.extend(issue.description.as_deref());
        match &issue.kind {
            crate::model::IssueKind::Options(options) => texts.extend(options.iter().map(|o| o.label.as_str())),
            crate::model::IssueKind::Scale(scale) => texts.push(&scale.unit),
        }
        for text in texts {
            report(
                at_file(files.issues.as_ref()),
                format!("a value of issue `{}`", issue.id),
                text,
            );
        }
    }
    for party in &corpus.parties {
        let span = Span {
            file: party.file.clone(),
            line: 0,
            column: 0,
        };
        report(span, format!("the name of party `{}`", party.id), &party.name);
    }
    for demand in &corpus.demands {
        let mut texts = vec![demand.title.as_str()];
        texts.extend(demand.summary.as_deref());
        texts.extend(demand.tags.iter().map(String::as_str));
        texts.extend(sources(&demand.sources));
        for text in texts {
            report(demand.span.clone(), format!("a value of demand `{}`", demand.id), text);
        }
    }
    for relation in &corpus.relations {
        let mut texts = vec![relation.rationale.as_str()];
        texts.extend(sources(&relation.sources));
        for text in texts {
            report(at_file(files.relations.as_ref()), "a value of a relation".into(), text);
        }
    }
    for plan in &corpus.plans {
        let span = Span {
            file: plan.file.clone(),
            line: 0,
            column: 0,
        };
        let mut texts = vec![plan.title.as_str()];
        texts.extend(sources(&plan.sources));
        for text in texts {
            report(span.clone(), format!("a value of plan `{}`", plan.id), text);
        }
    }
}

fn sources(sources: &[Source]) -> impl Iterator<Item = &str> {
    sources
        .iter()
        .flat_map(|s| [Some(&s.title), Some(&s.by), s.url.as_ref(), s.quote.as_ref()])
        .flatten()
        .map(String::as_str)
}
