//! Sets of outcomes in words, as tables show them: option ids, or ranges with their unit
//! and thousands separators.

pub use crate::model::outcomes::{items, machine, number};
use crate::model::{Issue, IssueKind, Outcomes};
use crate::view::Cell;

/// What a table shows for an empty set (never a word that an option id could be).
pub const EMPTY: &str = "—";

/// A human form: option labels joined by `; `, or a range with the unit and thousands
/// separators; `—` for an empty set.
pub fn describe(issue: &Issue, set: &Outcomes) -> String {
    if set.is_empty() {
        return EMPTY.to_string();
    }
    match (set, &issue.kind) {
        (Outcomes::Range { min, max }, IssueKind::Scale(scale)) => {
            if min == max {
                format!("{} {}", grouped(*min), scale.unit)
            } else {
                format!("{}–{} {}", grouped(*min), grouped(*max), scale.unit)
            }
        }
        (Outcomes::Options(indices), IssueKind::Options(options)) => indices
            .iter()
            .map(|&i| options[i].label.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        _ => items(issue, set).join(", "),
    }
}

/// The human form inside a sentence: each option label in quotation marks, so that
/// labels read as names ("accepts “Returned to Ukraine”, “Status deferred”").
pub fn quoted(issue: &Issue, set: &Outcomes) -> String {
    match (set, &issue.kind) {
        (Outcomes::Options(indices), IssueKind::Options(options)) if !indices.is_empty() => indices
            .iter()
            .map(|&i| format!("“{}”", options[i].label))
            .collect::<Vec<_>>()
            .join(", "),
        _ => describe(issue, set),
    }
}

/// A set of outcomes as a cell: the data notation for CSV and JSON, words for people.
pub fn cell(issue: &Issue, set: &Outcomes) -> Cell {
    Cell::Outcomes {
        items: items(issue, set),
        shown: describe(issue, set),
    }
}

/// A number as JSON writes it (a number, never a string).
pub fn json_number(value: f64) -> serde_json::Value {
    serde_json::Number::from_f64(if value == 0.0 { 0.0 } else { value })
        .map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// One outcome, or a run of neighbouring ones, in JSON: an option id, a number (a point
/// of a scale), or `MIN..MAX` (a range of points).
pub fn json_outcome(issue: &Issue, set: &Outcomes) -> serde_json::Value {
    match set {
        Outcomes::Range { min, max } if min == max => json_number(*min),
        _ => serde_json::Value::String(machine(issue, set)),
    }
}

/// 85000 → "85,000"; fractions keep their digits.
pub fn grouped(value: f64) -> String {
    let text = number(value);
    let (sign, rest) = text.strip_prefix('-').map_or(("", text.as_str()), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_numbers() {
        assert_eq!(grouped(1_500_000.0), "1,500,000");
        assert_eq!(grouped(-2500.25), "-2,500.25");
        assert_eq!(grouped(600.0), "600");
    }
}
