//! The comparison rules of SPEC §2: pure functions over a validated corpus.

pub mod plan;
#[cfg(feature = "settle")]
pub mod settle;

use std::collections::HashMap;

use crate::date::Date;
use crate::model::{Basis, Corpus, Demand, IssueKind, Outcomes, RelationKind, outcomes};

/// One compared pair of demands: `a` belongs to the earlier party in party order.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub kind: RelationKind,
    pub basis: Basis,
    /// For a derived overlap: the outcomes both can accept.
    pub common_ground: Option<Outcomes>,
    /// For an asserted relation: its index in `corpus.relations`.
    pub relation: Option<usize>,
}

/// How two demands on the same issue relate, and their common ground when they overlap.
pub fn relate(a: &Demand, b: &Demand) -> (RelationKind, Option<Outcomes>) {
    let common = outcomes::intersect(&a.accepts, &b.accepts);
    if !common.is_empty() {
        (RelationKind::Overlap, Some(common))
    } else if a.is_red_line() && b.is_red_line() {
        (RelationKind::Irreconcilable, None)
    } else {
        (RelationKind::Conflict, None)
    }
}

/// The relation of two demands on the same issue, as [`relate`] finds it, without
/// building their common ground.
pub fn relation_kind(a: &Demand, b: &Demand) -> RelationKind {
    kind_of((&a.accepts, a.is_red_line()), (&b.accepts, b.is_red_line()))
}

/// The relation of two demands from what each accepts and whether each is a red line.
fn kind_of((a, a_red): (&Outcomes, bool), (b, b_red): (&Outcomes, bool)) -> RelationKind {
    if outcomes::meet(a, b) {
        RelationKind::Overlap
    } else if a_red && b_red {
        RelationKind::Irreconcilable
    } else {
        RelationKind::Conflict
    }
}

impl Pair {
    /// For a derived overlap: the outcomes both ask for (may be empty).
    pub fn shared_goal(&self, corpus: &Corpus) -> Option<Outcomes> {
        (self.kind == RelationKind::Overlap && self.basis == Basis::Derived)
            .then(|| outcomes::intersect(&corpus.demands[self.a].wants, &corpus.demands[self.b].wants))
    }
}

/// How two demands on the same issue relate, by the table of SPEC §2: the relation, the
/// common ground and the shared goal.
pub fn classify(a: &Demand, b: &Demand) -> (RelationKind, Option<Outcomes>, Option<Outcomes>) {
    let common = outcomes::intersect(&a.accepts, &b.accepts);
    if !common.is_empty() {
        let shared = outcomes::intersect(&a.wants, &b.wants);
        (RelationKind::Overlap, Some(common), Some(shared))
    } else if a.is_red_line() && b.is_red_line() {
        (RelationKind::Irreconcilable, None, None)
    } else {
        (RelationKind::Conflict, None, None)
    }
}

/// The corpus as it stood on one date, for an ordered selection of parties.
pub struct Analysis<'c> {
    pub corpus: &'c Corpus,
    pub date: Date,
    /// Party indices in the order output follows.
    pub parties: Vec<usize>,
    /// For each party of the corpus, the issues it has active demands on, in issue order,
    /// each with its demands' place in `grouped` (empty for a party not selected). Two
    /// parties are compared by walking their two lists side by side, so only the issues
    /// both have demands on are visited.
    issues_of: Vec<Vec<(usize, std::ops::Range<usize>)>>,
    /// Active demands of the selected parties, by party, then issue, then file order.
    grouped: Vec<usize>,
    /// Active asserted relations between selected parties, by unordered party pair, in file order.
    asserted: HashMap<(usize, usize), Vec<usize>>,
    /// What the relation of two demands depends on, for each demand of `grouped` in its
    /// order, copied side by side at the first [`Analysis::derived_kinds_between`]: on a
    /// large corpus, reading the demands themselves pair after pair visits memory all
    /// over the corpus.
    compared: std::sync::OnceLock<Vec<Compared>>,
}

/// A demand's part in its relations: what it accepts and whether it is a red line.
struct Compared {
    accepts: Outcomes,
    red_line: bool,
}

fn unordered(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

impl<'c> Analysis<'c> {
    pub fn new(corpus: &'c Corpus, date: Date, parties: Vec<usize>) -> Analysis<'c> {
        let mut selected = vec![false; corpus.parties.len()];
        for &p in &parties {
            selected[p] = true;
        }
        // (issue, demand) of each selected party's active demands, in file order.
        let mut of_party: Vec<Vec<(usize, usize)>> = vec![Vec::new(); corpus.parties.len()];
        for (index, demand) in corpus.demands.iter().enumerate() {
            if selected[demand.party] && demand.is_active_on(date) {
                of_party[demand.party].push((demand.issue, index));
            }
        }
        let mut grouped = Vec::new();
        let mut issues_of = Vec::with_capacity(of_party.len());
        for mut demands in of_party {
            // Stable: file order is kept within an issue.
            demands.sort_by_key(|&(issue, _)| issue);
            let mut issues: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
            for (issue, index) in demands {
                match issues.last_mut() {
                    Some((last, range)) if *last == issue => range.end += 1,
                    _ => issues.push((issue, grouped.len()..grouped.len() + 1)),
                }
                grouped.push(index);
            }
            issues_of.push(issues);
        }
        let mut asserted: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for (index, relation) in corpus.relations.iter().enumerate() {
            let [a, b] = relation.between.map(|d| &corpus.demands[d]);
            if selected[a.party] && selected[b.party] && a.is_active_on(date) && b.is_active_on(date) {
                asserted.entry(unordered(a.party, b.party)).or_default().push(index);
            }
        }
        Analysis {
            corpus,
            date,
            parties,
            issues_of,
            grouped,
            asserted,
            compared: std::sync::OnceLock::new(),
        }
    }

    /// Every selected party, for the corpus's alphabetical order.
    pub fn all_parties(corpus: &'c Corpus, date: Date) -> Analysis<'c> {
        Analysis::new(corpus, date, (0..corpus.parties.len()).collect())
    }

    /// Active demands of one party on one issue, in file order.
    pub fn demands_on(&self, party: usize, issue: usize) -> &[usize] {
        let issues = self.issues_of.get(party).map_or(&[][..], Vec::as_slice);
        match issues.binary_search_by_key(&issue, |(issue, _)| *issue) {
            Ok(at) => &self.grouped[issues[at].1.clone()],
            Err(_) => &[],
        }
    }

    /// Active demands of the selected parties: party order, then file order.
    pub fn active_demands(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for &party in &self.parties {
            for (index, demand) in self.corpus.demands.iter().enumerate() {
                if demand.party == party && demand.is_active_on(self.date) {
                    out.push(index);
                }
            }
        }
        out
    }

    /// Pairs of selected parties (i < j in party order).
    pub fn party_pairs(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (i, &a) in self.parties.iter().enumerate() {
            for &b in &self.parties[i + 1..] {
                out.push((a, b));
            }
        }
        out
    }

    /// Derived pairs of two parties, by issue then file order.
    pub fn derived_between(&self, party_a: usize, party_b: usize) -> Vec<Pair> {
        self.derived_with(party_a, party_b, relate)
    }

    /// Make the compact copies of the demands that finding relations without their
    /// common ground reads ([`Analysis::derived_kinds_into`]): done once, by the first
    /// caller, which a listing may call on a thread of its own while it prepares the rest.
    pub fn prepare(&self) {
        self.compared();
    }

    fn compared(&self) -> &[Compared] {
        self.compared.get_or_init(|| {
            self.grouped
                .iter()
                .map(|&index| {
                    let demand = &self.corpus.demands[index];
                    Compared {
                        accepts: demand.accepts.clone(),
                        red_line: demand.is_red_line(),
                    }
                })
                .collect()
        })
    }

    /// Derived pairs of two parties, by issue then file order, without their common
    /// ground (`None` throughout): the relation alone, found without building a set, for
    /// a listing that writes the common ground as it goes.
    pub fn derived_kinds_between(&self, party_a: usize, party_b: usize) -> Vec<Pair> {
        let mut out = Vec::new();
        self.derived_kinds_into(party_a, party_b, &mut out);
        out
    }

    /// [`Analysis::derived_kinds_between`], appended to `out`: a listing that reuses one
    /// vector for every pair of parties spares fresh memory for each.
    pub fn derived_kinds_into(&self, party_a: usize, party_b: usize, out: &mut Vec<Pair>) {
        let compared = self.compared();
        self.walk(party_a, party_b, |xs, ys| {
            for (x, &a) in xs.clone().zip(&self.grouped[xs.clone()]) {
                for (y, &b) in ys.clone().zip(&self.grouped[ys.clone()]) {
                    let (p, q) = (&compared[x], &compared[y]);
                    let kind = kind_of((&p.accepts, p.red_line), (&q.accepts, q.red_line));
                    out.push(Pair {
                        a,
                        b,
                        kind,
                        basis: Basis::Derived,
                        common_ground: None,
                        relation: None,
                    });
                }
            }
        });
    }

    /// Call `each` with the places in `grouped` of the two parties' demands on each issue
    /// both have demands on, in issue order. Both lists are in issue order: they are
    /// walked side by side.
    fn walk(
        &self,
        party_a: usize,
        party_b: usize,
        mut each: impl FnMut(&std::ops::Range<usize>, &std::ops::Range<usize>),
    ) {
        let issues_of = |party| self.issues_of.get(party).map_or(&[][..], Vec::as_slice);
        let (mut of_a, mut of_b) = (issues_of(party_a), issues_of(party_b));
        while let (Some(((issue_a, xs), rest_a)), Some(((issue_b, ys), rest_b))) =
            (of_a.split_first(), of_b.split_first())
        {
            match issue_a.cmp(issue_b) {
                std::cmp::Ordering::Less => of_a = rest_a,
                std::cmp::Ordering::Greater => of_b = rest_b,
                std::cmp::Ordering::Equal => {
                    each(xs, ys);
                    (of_a, of_b) = (rest_a, rest_b);
                }
            }
        }
    }

    fn derived_with(
        &self,
        party_a: usize,
        party_b: usize,
        relate: impl Fn(&Demand, &Demand) -> (RelationKind, Option<Outcomes>),
    ) -> Vec<Pair> {
        let mut out = Vec::new();
        self.walk(party_a, party_b, |xs, ys| {
            for &a in &self.grouped[xs.clone()] {
                for &b in &self.grouped[ys.clone()] {
                    let (kind, common_ground) = relate(&self.corpus.demands[a], &self.corpus.demands[b]);
                    out.push(Pair {
                        a,
                        b,
                        kind,
                        basis: Basis::Derived,
                        common_ground,
                        relation: None,
                    });
                }
            }
        });
        out
    }

    /// Asserted relations of two parties, in relations.yaml order, oriented a → b.
    pub fn asserted_between(&self, party_a: usize, party_b: usize) -> Vec<Pair> {
        let Some(indices) = self.asserted.get(&unordered(party_a, party_b)) else {
            return Vec::new();
        };
        indices
            .iter()
            .map(|&index| {
                let relation = &self.corpus.relations[index];
                let [x, y] = relation.between;
                let (a, b) = if self.corpus.demands[x].party == party_a {
                    (x, y)
                } else {
                    (y, x)
                };
                Pair {
                    a,
                    b,
                    kind: relation.kind,
                    basis: Basis::Asserted,
                    common_ground: None,
                    relation: Some(index),
                }
            })
            .collect()
    }

    /// Every compared pair of two parties: derived, then asserted.
    pub fn pairs_between(&self, party_a: usize, party_b: usize) -> Vec<Pair> {
        let mut out = self.derived_between(party_a, party_b);
        out.extend(self.asserted_between(party_a, party_b));
        out
    }

    /// Every compared pair of the selection, grouped by party pair in party order.
    pub fn all_pairs(&self) -> Vec<Pair> {
        self.party_pairs()
            .into_iter()
            .flat_map(|(a, b)| self.pairs_between(a, b))
            .collect()
    }

    /// Every relation one active demand has with the selected parties' active demands,
    /// oriented with the demand first.
    pub fn relations_of(&self, demand: usize) -> Vec<Pair> {
        let d = &self.corpus.demands[demand];
        if !d.is_active_on(self.date) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for &other_party in self.parties.iter().filter(|&&p| p != d.party) {
            for &other in self.demands_on(other_party, d.issue) {
                let (kind, common_ground) = relate(d, &self.corpus.demands[other]);
                out.push(Pair {
                    a: demand,
                    b: other,
                    kind,
                    basis: Basis::Derived,
                    common_ground,
                    relation: None,
                });
            }
        }
        for (index, relation) in self.corpus.relations.iter().enumerate() {
            let [x, y] = relation.between;
            let other = if x == demand {
                y
            } else if y == demand {
                x
            } else {
                continue;
            };
            let o = &self.corpus.demands[other];
            if self.parties.contains(&o.party) && o.is_active_on(self.date) {
                out.push(Pair {
                    a: demand,
                    b: other,
                    kind: relation.kind,
                    basis: Basis::Asserted,
                    common_ground: None,
                    relation: Some(index),
                });
            }
        }
        out
    }

    /// Each selected party's stance on one issue (parties with active demands on it only).
    pub fn stances(&self, issue: usize) -> Vec<Stance> {
        self.parties
            .iter()
            .filter_map(|&party| {
                let demands = self.demands_on(party, issue);
                let (first, rest) = demands.split_first()?;
                let d = |i: &usize| &self.corpus.demands[*i];
                let acceptable = rest.iter().fold(d(first).accepts.clone(), |acc, i| {
                    outcomes::intersect(&acc, &d(i).accepts)
                });
                Some(Stance {
                    party,
                    demands: demands.to_vec(),
                    acceptable,
                    red_line: demands.iter().any(|i| d(i).is_red_line()),
                })
            })
            .collect()
    }

    /// Common ground of all parties with a stance on an issue; when there is none, the
    /// nearest outcomes and who blocks them. One party's own stance is not common ground
    /// (SPEC §2): with fewer than two parties there is none, empty or not.
    pub fn ground(&self, issue: usize) -> Ground {
        let stances = self.stances(issue);
        let common = if stances.len() < 2 {
            None
        } else {
            stances
                .iter()
                .map(|s| s.acceptable.clone())
                .reduce(|acc, s| outcomes::intersect(&acc, &s))
        };
        let nearest = match &common {
            Some(c) if c.is_empty() => self.nearest(issue, &stances),
            _ => Vec::new(),
        };
        Ground {
            issue,
            stances,
            common,
            nearest,
        }
    }

    /// The candidate outcomes of SPEC §2 rejected by the fewest parties (fewest red-line
    /// rejections first, then fewest rejections), in the issue's order. On a scale the
    /// candidates are points: the scale's bounds and every endpoint of an active demand's
    /// `accepts`; consecutive candidates with the same blockers are joined into one range,
    /// which is safe because a point between two consecutive endpoints is accepted by a
    /// demand exactly when both endpoints are.
    fn nearest(&self, issue: usize, stances: &[Stance]) -> Vec<Candidate> {
        let candidates: Vec<Outcomes> = match &self.corpus.issues[issue].kind {
            IssueKind::Options(options) => (0..options.len()).map(|i| Outcomes::Options(vec![i])).collect(),
            IssueKind::Scale(scale) => {
                let mut points = vec![scale.min, scale.max];
                for stance in stances {
                    for &d in &stance.demands {
                        if let Outcomes::Range { min, max } = self.corpus.demands[d].accepts {
                            points.extend([min, max]);
                        }
                    }
                }
                points.sort_by(f64::total_cmp);
                points.dedup();
                points.into_iter().map(|p| Outcomes::Range { min: p, max: p }).collect()
            }
        };
        let scored: Vec<Candidate> = candidates
            .into_iter()
            .map(|outcome| {
                let mut blockers = Vec::new();
                let mut red_line_blockers = Vec::new();
                for stance in stances {
                    if !outcomes::contains(&stance.acceptable, &outcome) {
                        blockers.push(stance.party);
                        let by_red_line = stance.demands.iter().any(|&d| {
                            let demand = &self.corpus.demands[d];
                            demand.is_red_line() && !outcomes::contains(&demand.accepts, &outcome)
                        });
                        if by_red_line {
                            red_line_blockers.push(stance.party);
                        }
                    }
                }
                Candidate {
                    outcome,
                    blockers,
                    red_line_blockers,
                }
            })
            .collect();
        let score = |c: &Candidate| (c.red_line_blockers.len(), c.blockers.len());
        let Some(best) = scored.iter().map(score).min() else {
            return Vec::new();
        };
        // Keep the nearest in candidate order, joining neighbours (in the full candidate
        // list, not only among the nearest) that have the same blockers.
        let mut nearest: Vec<Candidate> = Vec::new();
        let mut previous_kept = false;
        for candidate in scored {
            if score(&candidate) != best {
                previous_kept = false;
                continue;
            }
            if previous_kept
                && let Some(last) = nearest.last_mut()
                && let (Outcomes::Range { max, .. }, Outcomes::Range { max: point, .. }) =
                    (&mut last.outcome, &candidate.outcome)
                && last.blockers == candidate.blockers
                && last.red_line_blockers == candidate.red_line_blockers
            {
                *max = *point;
                continue;
            }
            nearest.push(candidate);
            previous_kept = true;
        }
        nearest
    }

    /// Party-level counts of overlap / conflict / irreconcilable between two parties.
    pub fn counts(pairs: &[Pair]) -> [usize; 3] {
        let mut counts = [0; 3];
        for pair in pairs {
            counts[RelationKind::ALL.iter().position(|k| *k == pair.kind).unwrap_or(0)] += 1;
        }
        counts
    }
}

/// One party's stance on an issue: its active demands and what it can accept in all of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Stance {
    pub party: usize,
    pub demands: Vec<usize>,
    pub acceptable: Outcomes,
    pub red_line: bool,
}

/// The common ground on one issue among all the parties with a stance on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ground {
    pub issue: usize,
    pub stances: Vec<Stance>,
    /// None when fewer than two parties have a stance; an empty set when they share nothing.
    pub common: Option<Outcomes>,
    /// When the common ground is empty: the outcomes rejected by the fewest parties, in
    /// the issue's order; on a scale, points, or ranges of neighbouring points with the
    /// same blockers.
    pub nearest: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub outcome: Outcomes,
    pub blockers: Vec<usize>,
    pub red_line_blockers: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{CorpusFiles, load};
    use crate::generate::{Params, generate};

    /// The pairs listed without their common ground are the pairs with it, in the same
    /// order and of the same relations, on a corpus with scales, withdrawn demands and
    /// asserted relations, for every pair of parties, whole and in a selection.
    #[test]
    fn relations_found_without_the_common_ground_are_those_found_with_it() {
        let generated = generate(&Params {
            demands: 400,
            parties: 6,
            per_issue: 8,
            ..Params::default()
        });
        let files = CorpusFiles::from_memory(
            "generated",
            generated.iter().map(|(path, text)| (path.as_str(), text.clone())),
        );
        let loaded = load(&files);
        let corpus = loaded.corpus.as_ref().expect("a valid corpus");
        let date: Date = "2026-01-01".parse().expect("a date");
        for parties in [(0..corpus.parties.len()).collect::<Vec<_>>(), vec![4, 1, 3]] {
            let analysis = Analysis::new(corpus, date, parties);
            let mut compared = 0;
            for (a, b) in analysis.party_pairs() {
                let with = analysis.derived_between(a, b);
                let without = analysis.derived_kinds_between(a, b);
                let strip = |pairs: &[Pair]| pairs.iter().map(|p| (p.a, p.b, p.kind)).collect::<Vec<_>>();
                assert_eq!(strip(&with), strip(&without), "parties {a} and {b}");
                for pair in &with {
                    let (x, y) = (&corpus.demands[pair.a], &corpus.demands[pair.b]);
                    assert_eq!(relation_kind(x, y), pair.kind);
                }
                compared += with.len();
            }
            assert!(compared > 100, "only {compared} pairs");
        }
    }
}
