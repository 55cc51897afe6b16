//! Warnings about a corpus that loads: what is legal but probably not meant.

use std::collections::{BTreeMap, HashMap};

use crate::corpus::Diagnostic;
use crate::date::Date;
use crate::model::outcomes;
use crate::model::{Corpus, Demand, IssueKind, Outcomes};

use super::check::*;

/// At most this many self-exclusion warnings for one party on one issue; a note says
/// when there are more.
const MAX_EXCLUSIONS_PER_ISSUE: usize = 5;

/// Warn where one party's demands on one issue cannot all be met at once while they stand.
///
/// This is a question about intersections, answered in one sweep over time per party and
/// issue: the active demands exclude each other when no outcome is accepted by all of
/// them. Options are counted (how many active demands accept each option, and how many
/// options have each count), ranges kept as multisets of their bounds, so the cost is
/// linear in the size of the demands (times a logarithm), never in the number of pairs.
pub(super) fn warn_self_exclusion(check: &mut Checker, corpus: &Corpus) {
    let mut order: Vec<(usize, usize)> = Vec::new();
    let mut groups: HashMap<(usize, usize), Vec<&Demand>> = HashMap::new();
    for demand in &corpus.demands {
        let group = groups.entry((demand.party, demand.issue)).or_default();
        if group.is_empty() {
            order.push((demand.party, demand.issue));
        }
        group.push(demand);
    }
    for key in order {
        let Some(group) = groups.get(&key) else { continue };
        if group.len() < 2 {
            continue;
        }
        let options = match &corpus.issues[key.1].kind {
            IssueKind::Options(options) => options.len(),
            IssueKind::Scale(_) => 0,
        };
        sweep(check, corpus, group, options);
    }
}

/// What is accepted by every active demand of one group, kept up to date as demands
/// start and end.
enum Common {
    Options {
        /// How many active demands accept each option.
        count: Vec<usize>,
        /// How many options are accepted by exactly `n` active demands, by `n`.
        with_count: Vec<usize>,
    },
    Range {
        mins: BTreeMap<i64, usize>,
        maxes: BTreeMap<i64, usize>,
    },
}

/// A key that orders floating-point numbers as numbers (they are finite here).
fn ordered(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

impl Common {
    fn new(options: usize, demands: usize) -> Common {
        if options > 0 {
            let mut with_count = vec![0; demands + 1];
            with_count[0] = options;
            Common::Options {
                count: vec![0; options],
                with_count,
            }
        } else {
            Common::Range {
                mins: BTreeMap::new(),
                maxes: BTreeMap::new(),
            }
        }
    }

    fn change(&mut self, accepts: &Outcomes, add: bool) {
        match (self, accepts) {
            (Common::Options { count, with_count }, Outcomes::Options(set)) => {
                for &option in set {
                    let Some(c) = count.get_mut(option) else { continue };
                    with_count[*c] -= 1;
                    if add {
                        *c += 1;
                    } else {
                        *c -= 1;
                    }
                    with_count[*c] += 1;
                }
            }
            (Common::Range { mins, maxes }, Outcomes::Range { min, max }) => {
                for (map, key) in [(mins, ordered(*min)), (maxes, ordered(*max))] {
                    if add {
                        *map.entry(key).or_default() += 1;
                    } else if let Some(n) = map.get_mut(&key) {
                        *n -= 1;
                        if *n == 0 {
                            map.remove(&key);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Is some outcome accepted by all `active` demands?
    fn is_shared(&self, active: usize) -> bool {
        match self {
            Common::Options { with_count, .. } => with_count.get(active).is_some_and(|&n| n > 0),
            Common::Range { mins, maxes } => match (mins.last_key_value(), maxes.first_key_value()) {
                (Some((low, _)), Some((high, _))) => low <= high,
                _ => true,
            },
        }
    }
}

fn sweep(check: &mut Checker, corpus: &Corpus, group: &[&Demand], options: usize) {
    // Events by date; on one date, ends before starts (`until` is exclusive).
    let mut events: Vec<(Date, bool, usize)> = Vec::with_capacity(group.len() * 2);
    for (i, demand) in group.iter().enumerate() {
        events.push((demand.stated, true, i));
        if let Some(until) = demand.until {
            events.push((until, false, i));
        }
    }
    events.sort_by_key(|&(date, start, i)| (date, start, i));
    let mut common = Common::new(options, group.len());
    let mut active = vec![false; group.len()];
    let mut active_count = 0;
    let mut excluding = false;
    let mut reported = 0;
    let mut at = 0;
    while at < events.len() {
        let date = events[at].0;
        while at < events.len() && events[at].0 == date {
            let (_, start, i) = events[at];
            common.change(&group[i].accepts, start);
            active[i] = start;
            if start {
                active_count += 1;
            } else {
                active_count -= 1;
            }
            at += 1;
        }
        let now_excluding = active_count >= 2 && !common.is_shared(active_count);
        if now_excluding && !excluding {
            if reported == MAX_EXCLUSIONS_PER_ISSUE {
                let first = group[0];
                check.diags.push(
                    Diagnostic::warning(
                        &first.span,
                        format!(
                            "the demands of party `{}` on issue `{}` exclude each other at more times than the \
                             {MAX_EXCLUSIONS_PER_ISSUE} shown",
                            corpus.parties[first.party].id, corpus.issues[first.issue].id
                        ),
                    )
                    .with_hint("give older demands `until:` the date of the demands that replaced them"),
                );
                return;
            }
            reported += 1;
            check.diags.push(exclusion(corpus, group, &active, date));
        }
        excluding = now_excluding;
    }
}

/// At most this many pairs are tried to name two demands that exclude each other on their
/// own; beyond it (or when no two do) the warning names the demands together.
const MAX_PAIRS_TRIED: usize = 100_000;

/// The warning for demands that exclude each other from `date`: the first pair (in file
/// order) that does on its own, otherwise the last demand and a few of the others.
fn exclusion(corpus: &Corpus, group: &[&Demand], active: &[bool], date: Date) -> Diagnostic {
    let hint = "if the position moved, give the older demand `until:` the date of the newer one";
    let actives: Vec<&Demand> = group.iter().zip(active).filter(|(_, a)| **a).map(|(d, _)| *d).collect();
    let party = &corpus.parties[group[0].party].id;
    let mut tried = 0;
    'search: for (j, later) in actives.iter().enumerate() {
        for first in &actives[..j] {
            tried += 1;
            if tried > MAX_PAIRS_TRIED {
                break 'search;
            }
            if outcomes::intersect(&first.accepts, &later.accepts).is_empty() {
                return Diagnostic::warning(
                    &later.span,
                    format!(
                        "`{}` and `{}` of party `{party}` exclude each other while both are active (from {date})",
                        first.id, later.id
                    ),
                )
                .with_hint(hint);
            }
        }
    }
    let Some((last, others)) = actives.split_last() else {
        return Diagnostic::warning(&group[0].span, format!("demands of party `{party}` exclude each other"));
    };
    let named: Vec<String> = others.iter().take(3).map(|d| format!("`{}`", d.id)).collect();
    let more = others.len() - named.len();
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Diagnostic::warning(
        &last.span,
        format!(
            "{}{more} and `{}` of party `{party}` exclude each other while they are active (from {date}): no \
             outcome is acceptable to all of them",
            named.join(", "),
            last.id
        ),
    )
    .with_hint(hint)
}
