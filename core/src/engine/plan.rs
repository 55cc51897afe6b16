//! Scoring a proposed settlement against the demands (SPEC §1.4).

use std::collections::HashMap;

use super::Analysis;
use crate::model::outcomes;
use crate::model::{Demand, Outcomes, Plan, PlanOutcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The outcome is among the demand's `wants`.
    Met,
    /// Among its `accepts` only.
    Acceptable,
    Violated,
    /// The plan leaves the demand's issue open.
    Unaddressed,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Acceptable => "acceptable",
            Verdict::Violated => "violated",
            Verdict::Unaddressed => "unaddressed",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub demand: usize,
    pub outcome: Option<PlanOutcome>,
    pub verdict: Verdict,
}

fn within(set: &Outcomes, outcome: PlanOutcome) -> bool {
    match outcome {
        PlanOutcome::Option(index) => outcomes::contains_option(set, index),
        PlanOutcome::Value(value) => outcomes::contains_value(set, value),
    }
}

pub fn verdict(demand: &Demand, outcome: PlanOutcome) -> Verdict {
    if within(&demand.wants, outcome) {
        Verdict::Met
    } else if within(&demand.accepts, outcome) {
        Verdict::Acceptable
    } else {
        Verdict::Violated
    }
}

/// Every active demand of the selected parties on an issue the plan covers (party order,
/// then file order), then every one on an issue it leaves open.
pub fn score(analysis: &Analysis, plan: &Plan) -> Vec<Score> {
    let covered: HashMap<usize, PlanOutcome> = plan.outcomes.iter().copied().collect();
    let active = analysis.active_demands();
    let mut scores = Vec::with_capacity(active.len());
    for &index in &active {
        let demand = &analysis.corpus.demands[index];
        if let Some(&outcome) = covered.get(&demand.issue) {
            scores.push(Score {
                demand: index,
                outcome: Some(outcome),
                verdict: verdict(demand, outcome),
            });
        }
    }
    for &index in &active {
        if !covered.contains_key(&analysis.corpus.demands[index].issue) {
            scores.push(Score {
                demand: index,
                outcome: None,
                verdict: Verdict::Unaddressed,
            });
        }
    }
    scores
}

/// Per-party counts: met, acceptable, violated, red lines crossed, unaddressed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub met: usize,
    pub acceptable: usize,
    pub violated: usize,
    pub red_lines_crossed: usize,
    pub unaddressed: usize,
}

pub fn tally(analysis: &Analysis, scores: &[Score], party: usize) -> Tally {
    let mut t = Tally::default();
    for s in scores {
        let demand = &analysis.corpus.demands[s.demand];
        if demand.party != party {
            continue;
        }
        match s.verdict {
            Verdict::Met => t.met += 1,
            Verdict::Acceptable => t.acceptable += 1,
            Verdict::Violated => {
                t.violated += 1;
                if demand.is_red_line() {
                    t.red_lines_crossed += 1;
                }
            }
            Verdict::Unaddressed => t.unaddressed += 1,
        }
    }
    t
}
