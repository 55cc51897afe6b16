//! Sets of outcomes: option sets and closed intervals, the set operations the comparison
//! rules need, and their notation in the data contracts (option ids, `MIN..MAX`).

use super::{Issue, IssueKind, Outcomes};

impl Outcomes {
    pub fn is_empty(&self) -> bool {
        match self {
            Outcomes::Options(set) => set.is_empty(),
            Outcomes::Range { min, max } => min > max,
        }
    }
}

/// The outcomes in both sets. Sets of different kinds (never compared by the engine)
/// have nothing in common.
pub fn intersect(a: &Outcomes, b: &Outcomes) -> Outcomes {
    match (a, b) {
        (Outcomes::Options(x), Outcomes::Options(y)) => {
            Outcomes::Options(x.iter().copied().filter(|i| y.binary_search(i).is_ok()).collect())
        }
        (Outcomes::Range { min: a0, max: a1 }, Outcomes::Range { min: b0, max: b1 }) => Outcomes::Range {
            min: a0.max(*b0),
            max: a1.min(*b1),
        },
        (Outcomes::Options(_), _) => Outcomes::Options(Vec::new()),
        (Outcomes::Range { .. }, _) => Outcomes::Range { min: 1.0, max: 0.0 },
    }
}

/// Do the two sets share an outcome? The same as `!intersect(a, b).is_empty()`, without
/// building the intersection.
pub fn meet(a: &Outcomes, b: &Outcomes) -> bool {
    match (a, b) {
        (Outcomes::Options(x), Outcomes::Options(y)) => x.iter().any(|i| y.binary_search(i).is_ok()),
        (Outcomes::Range { min: a0, max: a1 }, Outcomes::Range { min: b0, max: b1 }) => a0.max(*b0) <= a1.min(*b1),
        _ => false,
    }
}

/// Does `outer` contain every outcome of `inner`?
pub fn contains(outer: &Outcomes, inner: &Outcomes) -> bool {
    match (outer, inner) {
        (Outcomes::Options(o), Outcomes::Options(i)) => i.iter().all(|x| o.binary_search(x).is_ok()),
        (Outcomes::Range { min: o0, max: o1 }, Outcomes::Range { min: i0, max: i1 }) => {
            inner.is_empty() || (o0 <= i0 && i1 <= o1)
        }
        _ => false,
    }
}

/// The outcomes of `a` that are not in `b`; for ranges, `a` itself when not contained
/// (only used to describe what is missing).
pub fn difference(a: &Outcomes, b: &Outcomes) -> Outcomes {
    match (a, b) {
        (Outcomes::Options(x), Outcomes::Options(y)) => {
            Outcomes::Options(x.iter().copied().filter(|i| y.binary_search(i).is_err()).collect())
        }
        _ => a.clone(),
    }
}

/// Does the set contain one option or one number?
pub fn contains_option(set: &Outcomes, option: usize) -> bool {
    matches!(set, Outcomes::Options(o) if o.binary_search(&option).is_ok())
}

pub fn contains_value(set: &Outcomes, value: f64) -> bool {
    matches!(set, Outcomes::Range { min, max } if *min <= value && value <= *max)
}

/// A number as the CSV contract writes it: no trailing `.0`, no exponent.
pub fn number(value: f64) -> String {
    format!("{}", normal(value))
}

/// A number as it is printed: -0 is 0.
pub fn normal(value: f64) -> f64 {
    if value == 0.0 { 0.0 } else { value }
}

/// The machine form: option ids joined by `;` in the issue's order, or `MIN..MAX`;
/// empty for an empty set.
pub fn machine(issue: &Issue, set: &Outcomes) -> String {
    if set.is_empty() {
        return String::new();
    }
    match (set, &issue.kind) {
        (Outcomes::Options(indices), IssueKind::Options(options)) => indices
            .iter()
            .map(|&i| options[i].id.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        (Outcomes::Range { min, max }, _) => format!("{}..{}", number(*min), number(*max)),
        _ => String::new(),
    }
}

/// The list form for JSON and for people: option ids, or one `MIN..MAX` item.
pub fn items(issue: &Issue, set: &Outcomes) -> Vec<String> {
    if set.is_empty() {
        return Vec::new();
    }
    match (set, &issue.kind) {
        (Outcomes::Options(indices), IssueKind::Options(options)) => {
            indices.iter().map(|&i| options[i].id.clone()).collect()
        }
        _ => vec![machine(issue, set)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(min: f64, max: f64) -> Outcomes {
        Outcomes::Range { min, max }
    }

    #[test]
    fn closed_intervals_touching_at_a_point_overlap() {
        let common = intersect(&range(0.0, 85_000.0), &range(85_000.0, 250_000.0));
        assert_eq!(common, range(85_000.0, 85_000.0));
        assert!(!common.is_empty());
        assert!(intersect(&range(0.0, 1.0), &range(1.5, 2.0)).is_empty());
    }

    #[test]
    fn option_sets() {
        let a = Outcomes::Options(vec![0, 2, 3]);
        let b = Outcomes::Options(vec![1, 2, 3]);
        assert_eq!(intersect(&a, &b), Outcomes::Options(vec![2, 3]));
        assert!(contains(&a, &Outcomes::Options(vec![0, 3])));
        assert!(!contains(&a, &b));
        assert_eq!(difference(&b, &a), Outcomes::Options(vec![1]));
    }

    #[test]
    fn sets_meet_exactly_when_their_intersection_is_not_empty() {
        // Every pair of subsets of four options, and ranges over a grid with touching ends.
        let subsets: Vec<Outcomes> = (0u32..16)
            .map(|bits| Outcomes::Options((0..4).filter(|i| bits & (1 << i) != 0).collect()))
            .collect();
        let ends = [-2.0, 0.0, 0.5, 1.0, 3.0];
        let ranges: Vec<Outcomes> = ends
            .iter()
            .flat_map(|&min| ends.iter().map(move |&max| range(min, max)))
            .collect();
        for family in [&subsets, &ranges] {
            for a in family {
                for b in family {
                    assert_eq!(meet(a, b), !intersect(a, b).is_empty(), "{a:?} {b:?}");
                }
            }
        }
        assert!(!meet(&subsets[3], &range(0.0, 1.0)));
    }

    #[test]
    fn numbers() {
        assert_eq!(number(85_000.0), "85000");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(-5.0), "-5");
    }
}
