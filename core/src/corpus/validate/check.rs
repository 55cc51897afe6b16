//! What every check shares: the collector of diagnostics, ids, places, duplicates and
//! the hints written once for all of them.

use std::collections::HashMap;

use crate::corpus::raw::{Located, RawSource};
use crate::corpus::{Diagnostic, Diagnostics, FileText};
use crate::date::Date;
use crate::model::{Scale, Source, Span};

pub(super) const MAX_ID_LEN: usize = 64;

/// Is `id` lowercase kebab-case of at most 64 characters?
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The plain scalar as written at `span` (up to a separator, a comment or the line's
/// end); diagnostics are made safe to show when they are rendered.
pub(super) fn written_at(file: &FileText, span: &Span) -> Option<String> {
    let line = file.line(span.line)?;
    let start = line
        .char_indices()
        .nth(span.column.checked_sub(1)? as usize)
        .map(|(i, _)| i)?;
    let token: String = line[start..]
        .chars()
        .take_while(|c| !matches!(c, ',' | ']' | '}' | '#') && !c.is_whitespace())
        .take(MAX_ID_LEN)
        .collect();
    (!token.is_empty()).then_some(token)
}

/// How to make an id and its file's name agree, offering only what would be valid: a file
/// named after a valid id, an id that is the file's name when that is a valid id, or,
/// when neither is, a valid id to give both (`set id: .hidden` would be no advice).
pub(super) fn rename_hint(id: &str, stem: &str) -> String {
    match (is_valid_id(id), is_valid_id(stem)) {
        (true, true) => format!("rename the file to {id}.yaml or set `id: {stem}`"),
        (true, false) => format!("rename the file to {id}.yaml"),
        (false, true) => format!("set `id: {stem}`"),
        (false, false) => {
            let suggestion = kebab(stem);
            if is_valid_id(&suggestion) {
                format!("give the file and its id one valid id, e.g. {suggestion}.yaml and `id: {suggestion}`")
            } else {
                "give the file and its id one valid id (lowercase kebab-case), the file named `<id>.yaml`".to_string()
            }
        }
    }
}

pub(super) fn span_of<T>(file: &FileText, located: &Located<T>) -> Span {
    // A parsed value is on line 1 or later; line 0 is a value parsed without its place.
    let line = match located.referenced.line() {
        0 => Span::NOT_LOOKED_UP,
        line => line as u32,
    };
    Span {
        file: file.path.clone(),
        line,
        column: located.referenced.column() as u32,
    }
}

pub(super) struct Checker<'a> {
    pub(super) diags: &'a mut Diagnostics,
    pub(super) today: Date,
    /// How many more candidates "did you mean" may compare for this file (see
    /// `MAX_COMPARISONS`).
    pub(super) comparisons_left: usize,
}

/// At most this many candidates compared by "did you mean" for one file: each search
/// compares the input with every candidate, so thousands of unknown ids against
/// thousands of options would cost their product. Beyond it a hint lists the first few
/// candidates instead.
pub(super) const MAX_COMPARISONS: usize = 200_000;

impl Checker<'_> {
    pub(super) fn new(diags: &mut Diagnostics, today: Date) -> Checker<'_> {
        Checker {
            diags,
            today,
            comparisons_left: MAX_COMPARISONS,
        }
    }

    /// The closest candidate, while the file's budget of searches lasts.
    pub(super) fn closest<'c>(
        &mut self,
        input: &str,
        candidates: impl ExactSizeIterator<Item = &'c str>,
    ) -> Option<&'c str> {
        self.comparisons_left = self.comparisons_left.checked_sub(candidates.len())?;
        crate::suggest::closest(input, candidates)
    }

    /// The hint for an unknown option: the closest option, or the first few.
    pub(super) fn option_hint(&mut self, input: &str, issue: &crate::model::Issue) -> String {
        let crate::model::IssueKind::Options(options) = &issue.kind else {
            return format!("`{}` is a scale issue: give a range", issue.id);
        };
        match self.closest(input, options.iter().map(|o| o.id.as_str())) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "the options of `{}` are: {}",
                issue.id,
                crate::suggest::list(options.iter().map(|o| o.id.as_str()))
            ),
        }
    }

    /// A number written where an id belongs (`wants: [0x10]`, `river-access: 1.0`): ids
    /// are text, and YAML reads `0x10` as 16 and `007` as 7, so it is never matched with an
    /// id; the hint quotes it as written.
    pub(super) fn number_for_id<T>(&mut self, file: &FileText, located: &Located<T>, what: &str) {
        let span = span_of(file, located);
        let written = written_at(file, &span).unwrap_or_default();
        self.error_hint(
            &span,
            format!("`{written}` is a number, but {what} is text"),
            Some(format!(
                "YAML reads a plain `{written}` as a number; write it in quotes, `\"{written}\"`, to name the id"
            )),
        );
    }

    pub(super) fn error(&mut self, span: &Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, message));
    }

    pub(super) fn error_hint(&mut self, span: &Span, message: impl Into<String>, hint: Option<String>) {
        let diagnostic = Diagnostic::error(span, message);
        self.diags.push(match hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        });
    }

    pub(super) fn warning(&mut self, span: &Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(span, message));
    }

    pub(super) fn check_id(&mut self, span: &Span, id: &str, what: &str) -> bool {
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

    pub(super) fn date(&mut self, file: &FileText, located: &Located<String>, what: &str) -> Option<Date> {
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

    pub(super) fn future(&mut self, span: &Span, date: Date, what: &str) {
        if date > self.today {
            self.warning(span, format!("{what} {date} is in the future"));
        }
    }

    pub(super) fn sources(&mut self, file: &FileText, raw: &[RawSource]) -> Vec<Source> {
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
pub(super) fn kebab(id: &str) -> String {
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
pub(super) type Seen = HashMap<String, Span>;

pub(super) fn duplicate(seen: &mut Seen, id: &str, span: &Span) -> Option<Span> {
    match seen.get(id) {
        Some(first) => Some(first.clone()),
        None => {
            seen.insert(id.to_string(), span.clone());
            None
        }
    }
}

pub(super) fn first_defined(span: &Span) -> String {
    format!("first defined at {}:{}:{}", span.file, span.line, span.column)
}

/// The hint for a number or range outside a scale.
pub(super) fn scale_runs(scale: &Scale) -> String {
    format!("the scale runs from {} to {} {}", scale.min, scale.max, scale.unit)
}
