//! The settlement search of SPEC §2.1 over a corpus: the packages of outcomes the selected
//! parties could best live with, and what must give.
//!
//! This module turns the corpus into an abstract problem (the issues in play, each with
//! its candidate outcomes, every active demand's verdict on each candidate, and the
//! asserted clashes), `solve` finds the best distinct packages exactly, and the answers
//! are mapped back: outcomes per issue, a scorecard per party, and every red line crossed
//! with its precedents.

pub mod solve;

use std::cmp::Ordering;

use num_traits::ToPrimitive;

use super::Analysis;
use super::plan::{Verdict, verdict};
use crate::model::{Corpus, IssueKind, Outcomes, PlanOutcome, RelationKind};
pub use solve::{BigRational, SettleError};

/// Points per verdict and weights per priority are those of SPEC §2.1; `solve` takes the
/// weights with the demands.
fn weight(priority: crate::model::Priority) -> u32 {
    use crate::model::Priority;
    match priority {
        Priority::RedLine => 4,
        Priority::High => 3,
        Priority::Medium => 2,
        Priority::Low => 1,
    }
}

/// The best packages for the analysis's parties on its date.
#[derive(Debug, Clone)]
pub struct Settlement {
    /// The issues in play, in corpus order.
    pub issues: Vec<usize>,
    /// The best distinct packages, best first.
    pub packages: Vec<Package>,
    /// Asserted clashes (corpus relation indices) that no package can honour because
    /// neither of their demands is violated by any candidate on its issue: when there is
    /// no package, these are the first reason to look at (empty when there are packages).
    pub unhonourable: Vec<usize>,
}

/// One package and what it means for every party.
#[derive(Debug, Clone)]
pub struct Package {
    /// 1 for the best.
    pub rank: usize,
    /// The outcome on every issue in play, in the order of `Settlement::issues`.
    pub outcomes: Vec<PlanOutcome>,
    /// Red lines crossed, all selected parties together.
    pub red_lines_crossed: usize,
    /// The lowest satisfaction of a party that has one (`None` when none has).
    pub min_satisfaction: Option<BigRational>,
    pub total_satisfaction: BigRational,
    /// One scorecard per selected party with a satisfaction, in party order.
    pub scores: Vec<PartyScore>,
    /// The verdict of every active demand in play, in party order then file order.
    pub verdicts: Vec<(usize, Verdict)>,
    /// Every red line crossed, in party order then file order.
    pub crossed: Vec<Crossed>,
}

/// A party's scorecard in a package.
#[derive(Debug, Clone)]
pub struct PartyScore {
    pub party: usize,
    pub satisfaction: BigRational,
    pub met: usize,
    pub acceptable: usize,
    pub violated: usize,
    /// Its red-line demands the package violates.
    pub red_lines: Vec<usize>,
}

/// A red line a package crosses.
#[derive(Debug, Clone)]
pub struct Crossed {
    pub demand: usize,
    pub outcome: PlanOutcome,
    /// The party's other demands on the issue, stated on or before the date (active or
    /// since withdrawn), whose `accepts` contain the outcome: it has signalled before that
    /// it could live with it.
    pub precedents: Vec<usize>,
}

/// A satisfaction as a number, for display (comparisons are exact, on the fractions).
pub fn approx(value: &BigRational) -> f64 {
    value.to_f64().unwrap_or(f64::NAN)
}

/// The candidates of an issue: its options, or on a scale every endpoint of the `wants`
/// and `accepts` ranges of the demands in play (ascending), then the scale's own bounds.
/// Where several candidates give every demand the same verdict the search reports the
/// first, so a package names a number some party named before the scale's extremes.
fn candidates(corpus: &Corpus, issue: usize, demands: &[usize]) -> Vec<PlanOutcome> {
    match &corpus.issues[issue].kind {
        IssueKind::Options(options) => (0..options.len()).map(PlanOutcome::Option).collect(),
        IssueKind::Scale(scale) => {
            let mut points = Vec::new();
            for &d in demands {
                let demand = &corpus.demands[d];
                for set in [&demand.wants, &demand.accepts] {
                    if let Outcomes::Range { min, max } = set {
                        points.extend([*min, *max]);
                    }
                }
            }
            points.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
            points.dedup();
            for bound in [scale.min, scale.max] {
                if !points.contains(&bound) {
                    points.push(bound);
                }
            }
            points.into_iter().map(PlanOutcome::Value).collect()
        }
    }
}

/// Does a set of outcomes contain one outcome?
fn contains(set: &Outcomes, outcome: PlanOutcome) -> bool {
    use crate::model::outcomes::{contains_option, contains_value};
    match outcome {
        PlanOutcome::Option(index) => contains_option(set, index),
        PlanOutcome::Value(value) => contains_value(set, value),
    }
}

/// Search the best `top` distinct packages for the analysis's parties on its date, with
/// the `fixed` issues pinned to one outcome each, giving up (with an error, never a guess)
/// after `limit`.
pub fn settle(
    analysis: &Analysis,
    fixed: &[(usize, PlanOutcome)],
    top: usize,
    limit: Option<std::time::Duration>,
) -> Result<Settlement, SettleError> {
    let corpus = analysis.corpus;
    let active = analysis.active_demands();
    // Issues in play: every issue with an active demand of a selected party, and every
    // pinned one, in corpus order.
    let mut in_play = vec![false; corpus.issues.len()];
    for &d in &active {
        in_play[corpus.demands[d].issue] = true;
    }
    for &(issue, _) in fixed {
        in_play[issue] = true;
    }
    let issues: Vec<usize> = (0..corpus.issues.len()).filter(|&i| in_play[i]).collect();
    let slot: Vec<Option<usize>> = {
        let mut slot = vec![None; corpus.issues.len()];
        for (k, &i) in issues.iter().enumerate() {
            slot[i] = Some(k);
        }
        slot
    };
    let choices: Vec<Vec<PlanOutcome>> = issues
        .iter()
        .map(|&issue| match fixed.iter().find(|(i, _)| *i == issue) {
            Some(&(_, outcome)) => vec![outcome],
            None => {
                let on_issue: Vec<usize> = active
                    .iter()
                    .copied()
                    .filter(|&d| corpus.demands[d].issue == issue)
                    .collect();
                candidates(corpus, issue, &on_issue)
            }
        })
        .collect();

    // Parties by their position in the selection; demands in party order, then file order.
    let party_slot = |party: usize| analysis.parties.iter().position(|&p| p == party).unwrap_or(0);
    let mut specs = Vec::with_capacity(active.len());
    let mut demand_slot = vec![None; corpus.demands.len()];
    for (k, &d) in active.iter().enumerate() {
        let demand = &corpus.demands[d];
        let issue = slot[demand.issue].unwrap_or(0);
        demand_slot[d] = Some(k);
        specs.push(solve::DemandSpec {
            party: party_slot(demand.party),
            issue,
            weight: weight(demand.priority),
            red_line: demand.is_red_line(),
            verdicts: choices[issue]
                .iter()
                .map(|&outcome| match verdict(demand, outcome) {
                    Verdict::Met => solve::Verdict::Met,
                    Verdict::Acceptable => solve::Verdict::Acceptable,
                    Verdict::Violated | Verdict::Unaddressed => solve::Verdict::Violated,
                })
                .collect(),
        });
    }
    // Asserted clashes between active demands of selected parties are constraints.
    let clash_relations: Vec<(usize, (usize, usize))> = corpus
        .relations
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.kind, RelationKind::Conflict | RelationKind::Irreconcilable))
        .filter_map(|(k, r)| Some((k, (demand_slot[r.between[0]]?, demand_slot[r.between[1]]?))))
        .collect();
    let clashes = clash_relations.iter().map(|&(_, pair)| pair).collect();
    let problem = solve::Problem {
        parties: analysis.parties.len(),
        issues: choices.iter().map(Vec::len).collect(),
        demands: specs,
        clashes,
    };
    let options = solve::Options {
        time_limit: limit,
        ..solve::Options::default()
    };
    let (answers, _) = solve::solve_with(&problem, top, &options)?;
    let unhonourable = if answers.is_empty() {
        let unviolable = |d: usize| {
            problem.demands[d]
                .verdicts
                .iter()
                .all(|&v| v != solve::Verdict::Violated)
        };
        clash_relations
            .iter()
            .filter(|&&(_, (a, b))| unviolable(a) && unviolable(b))
            .map(|&(k, _)| k)
            .collect()
    } else {
        Vec::new()
    };

    let packages = answers
        .into_iter()
        .enumerate()
        .map(|(rank, answer)| {
            let outcomes: Vec<PlanOutcome> = answer
                .choice
                .iter()
                .zip(&choices)
                .map(|(&c, options)| options[c])
                .collect();
            let verdicts: Vec<(usize, Verdict)> = active
                .iter()
                .zip(&answer.verdicts)
                .map(|(&d, v)| {
                    let v = match v {
                        solve::Verdict::Met => Verdict::Met,
                        solve::Verdict::Acceptable => Verdict::Acceptable,
                        solve::Verdict::Violated => Verdict::Violated,
                    };
                    (d, v)
                })
                .collect();
            let crossed: Vec<Crossed> = verdicts
                .iter()
                .filter(|(d, v)| *v == Verdict::Violated && corpus.demands[*d].is_red_line())
                .map(|&(d, _)| {
                    let demand = &corpus.demands[d];
                    let outcome = outcomes[slot[demand.issue].unwrap_or(0)];
                    let precedents = corpus
                        .demands
                        .iter()
                        .enumerate()
                        .filter(|&(other, o)| {
                            other != d
                                && o.party == demand.party
                                && o.issue == demand.issue
                                && o.stated <= analysis.date
                                && contains(&o.accepts, outcome)
                        })
                        .map(|(other, _)| other)
                        .collect();
                    Crossed {
                        demand: d,
                        outcome,
                        precedents,
                    }
                })
                .collect();
            let scores = analysis
                .parties
                .iter()
                .zip(&answer.parties)
                .filter_map(|(&party, score)| {
                    Some(PartyScore {
                        party,
                        satisfaction: score.satisfaction()?,
                        met: score.met,
                        acceptable: score.acceptable,
                        violated: score.violated,
                        red_lines: crossed
                            .iter()
                            .filter(|c| corpus.demands[c.demand].party == party)
                            .map(|c| c.demand)
                            .collect(),
                    })
                })
                .collect();
            Package {
                rank: rank + 1,
                outcomes,
                red_lines_crossed: answer.red_lines_crossed,
                min_satisfaction: answer.min_satisfaction,
                total_satisfaction: answer.total_satisfaction,
                scores,
                verdicts,
                crossed,
            }
        })
        .collect();
    Ok(Settlement {
        issues,
        packages,
        unhonourable,
    })
}
