//! `positions report`: one self-contained HTML page with the party matrix, every pair's
//! diff, every issue and every source. This module picks and orders what to show, as
//! plain text; `render::html` lays it out and escapes it.

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::ReportArgs;
use crate::corpus::Origin;
use crate::engine::{Analysis, Pair};
use crate::model::{Demand, IssueKind, Priority, Source};
use crate::render::html::{
    AssertedRow, Counts, DemandCard, DemandRef, Ground, IssueCard, Nearest, PairDiff, PairRow, PartyCard, PlanCard,
    Report, SettlementCard, SourceLink, StanceRow,
};
use crate::render::outcomes;

pub fn run<'a>(env: &'a Env, args: &ReportArgs) -> Result<Output<'a>> {
    let report = build(&env.context()?, args, &env.origin())?;
    Ok(Output::Report(Box::new(report)))
}

/// The report's content, as plain text for `render::html` to lay out.
pub fn build(ctx: &Context, args: &ReportArgs, origin: &Origin) -> Result<Report> {
    let parties = ctx.parties(&args.parties.parties)?;
    let analysis = ctx.analysis(parties);
    let corpus = ctx.corpus;
    let active = analysis.active_demands();

    let party_cards = analysis
        .parties
        .iter()
        .map(|&p| {
            let party = &corpus.parties[p];
            let own: Vec<&Demand> = active
                .iter()
                .map(|&d| ctx.demand_ref(d))
                .filter(|d| d.party == p)
                .collect();
            PartyCard {
                id: party.id.clone(),
                name: party.name.clone(),
                kind: party.kind.as_str().to_string(),
                aliases: party.aliases.clone(),
                demands: own.len(),
                red_lines: own.iter().filter(|d| d.is_red_line()).count(),
            }
        })
        .collect();

    let n = analysis.parties.len();
    let mut matrix = vec![vec![None; n]; n];
    let mut pairs = Vec::new();
    for (i, &a) in analysis.parties.iter().enumerate() {
        for (j, &b) in analysis.parties.iter().enumerate().skip(i + 1) {
            let diff = pair_diff(ctx, &analysis, (i, a), (j, b));
            matrix[i][j] = Some(diff.counts);
            matrix[j][i] = Some(diff.counts);
            pairs.push(diff);
        }
    }

    let issues = (0..corpus.issues.len())
        .map(|i| issue_card(ctx, &analysis, i))
        .collect();
    let demands = active.iter().map(|&d| demand_card(ctx, &analysis, d)).collect();

    Ok(Report {
        title: format!("Positions as of {}", ctx.date),
        as_of: ctx.date.to_string(),
        corpus: match origin {
            Origin::Embedded => "the built-in corpus".to_string(),
            Origin::Dir(dir) => format!("the corpus in {}", dir.display()),
        },
        generator: format!("positions {}", env!("CARGO_PKG_VERSION")),
        parties: party_cards,
        matrix,
        pairs,
        issues,
        demands,
        settlements: settlements(ctx, &analysis)?,
        plans: plans(ctx, &analysis),
    })
}

/// Every plan of the corpus, scored for the report's parties on the report's date.
fn plans(ctx: &Context, analysis: &Analysis) -> Vec<PlanCard> {
    ctx.corpus
        .plans
        .iter()
        .map(|plan| {
            let scores = crate::engine::plan::score(analysis, plan);
            PlanCard {
                id: plan.id.clone(),
                title: plan.title.clone(),
                date: plan.date.to_string(),
                evidence: plan.evidence.as_str().to_string(),
                covers: plan.outcomes.len(),
                issues: ctx.corpus.issues.len(),
                tallies: analysis
                    .parties
                    .iter()
                    .map(|&party| crate::engine::plan::tally(analysis, &scores, party))
                    .collect(),
            }
        })
        .collect()
}

fn demand_link(ctx: &Context, demand: usize) -> DemandRef {
    let d = ctx.demand_ref(demand);
    DemandRef {
        id: d.id.clone(),
        title: d.title.clone(),
        red_line: d.is_red_line(),
    }
}

fn counts_of(pairs: &[Pair]) -> Counts {
    let [overlap, conflict, irreconcilable] = Analysis::counts(pairs);
    Counts {
        overlap,
        conflict,
        irreconcilable,
    }
}

fn pair_diff(ctx: &Context, analysis: &Analysis, (i, a): (usize, usize), (j, b): (usize, usize)) -> PairDiff {
    let corpus = ctx.corpus;
    let derived = analysis.derived_between(a, b);
    let asserted = analysis.asserted_between(a, b);
    let all: Vec<Pair> = derived.iter().chain(&asserted).cloned().collect();

    let rows = derived
        .iter()
        .map(|pair| {
            let issue = &corpus.issues[ctx.demand_ref(pair.a).issue];
            let describe = |set: &Option<crate::model::Outcomes>| {
                set.as_ref()
                    .filter(|s| !s.is_empty())
                    .map(|s| outcomes::describe(issue, s))
            };
            PairRow {
                issue_id: issue.id.clone(),
                issue_title: issue.title.clone(),
                demand_a: demand_link(ctx, pair.a),
                demand_b: demand_link(ctx, pair.b),
                relation: pair.kind,
                common_ground: describe(&pair.common_ground),
                shared_goal: describe(&pair.shared_goal(ctx.corpus)),
            }
        })
        .collect();

    let asserted_rows = asserted
        .iter()
        .filter_map(|pair| {
            let relation = &corpus.relations[pair.relation?];
            Some(AssertedRow {
                issue_a: corpus.issues[ctx.demand_ref(pair.a).issue].id.clone(),
                issue_b: corpus.issues[ctx.demand_ref(pair.b).issue].id.clone(),
                demand_a: demand_link(ctx, pair.a),
                demand_b: demand_link(ctx, pair.b),
                relation: pair.kind,
                rationale: relation.rationale.clone(),
                sources: relation.sources.iter().map(source_link).collect(),
            })
        })
        .collect();

    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    for (index, issue) in corpus.issues.iter().enumerate() {
        let (xs, ys) = (analysis.demands_on(a, index), analysis.demands_on(b, index));
        if !xs.is_empty() && ys.is_empty() {
            only_a.push(issue.id.clone());
        } else if xs.is_empty() && !ys.is_empty() {
            only_b.push(issue.id.clone());
        }
    }

    PairDiff {
        a: i,
        b: j,
        counts: counts_of(&all),
        rows,
        asserted: asserted_rows,
        only_a,
        only_b,
    }
}

fn issue_card(ctx: &Context, analysis: &Analysis, index: usize) -> IssueCard {
    let issue = &ctx.corpus.issues[index];
    let ground = analysis.ground(index);
    let party_id = |p: usize| ctx.corpus.parties[p].id.clone();
    let outcomes_list = match &issue.kind {
        IssueKind::Options(options) => options.iter().map(|o| (o.id.clone(), o.label.clone())).collect(),
        IssueKind::Scale(scale) => vec![(
            "scale".to_string(),
            format!(
                "{} to {} {}",
                outcomes::grouped(scale.min),
                outcomes::grouped(scale.max),
                scale.unit
            ),
        )],
    };
    let stances = ground
        .stances
        .iter()
        .map(|stance| StanceRow {
            party: analysis.parties.iter().position(|&p| p == stance.party).unwrap_or(0),
            demands: stance.demands.iter().map(|&d| demand_link(ctx, d)).collect(),
            priority: stance
                .demands
                .iter()
                .map(|&d| ctx.demand_ref(d).priority)
                .min()
                .unwrap_or(Priority::Low)
                .as_str()
                .to_string(),
            red_line: stance.red_line,
            acceptable: outcomes::describe(issue, &stance.acceptable),
        })
        .collect();
    let common = match (&ground.common, ground.stances.as_slice()) {
        (None, [only]) => Ground::OnlyOne(party_id(only.party)),
        (None, _) => Ground::NoStance,
        (Some(common), _) if !common.is_empty() => Ground::Common(outcomes::describe(issue, common)),
        (Some(_), _) => Ground::Nearest(
            ground
                .nearest
                .iter()
                .map(|c| Nearest {
                    outcome: outcomes::describe(issue, &c.outcome),
                    blocked_by: c.blockers.iter().map(|&p| party_id(p)).collect(),
                    red_lines: c.red_line_blockers.iter().map(|&p| party_id(p)).collect(),
                })
                .collect(),
        ),
    };
    IssueCard {
        id: issue.id.clone(),
        title: issue.title.clone(),
        category: issue.category.as_str().to_string(),
        description: issue.description.clone(),
        outcomes: outcomes_list,
        stances,
        ground: common,
    }
}

fn demand_card(ctx: &Context, analysis: &Analysis, index: usize) -> DemandCard {
    let demand = ctx.demand_ref(index);
    let issue = &ctx.corpus.issues[demand.issue];
    DemandCard {
        id: demand.id.clone(),
        party: analysis.parties.iter().position(|&p| p == demand.party).unwrap_or(0),
        issue_id: issue.id.clone(),
        issue_title: issue.title.clone(),
        title: demand.title.clone(),
        summary: demand.summary.clone(),
        wants: outcomes::describe(issue, &demand.wants),
        accepts: outcomes::describe(issue, &demand.accepts),
        priority: demand.priority.as_str().to_string(),
        red_line: demand.is_red_line(),
        stated: demand.stated.to_string(),
        until: demand.until.map(|d| d.to_string()),
        evidence: demand.evidence.as_str().to_string(),
        tags: demand.tags.clone(),
        sources: demand.sources.iter().map(source_link).collect(),
    }
}

fn source_link(source: &Source) -> SourceLink {
    SourceLink {
        title: source.title.clone(),
        by: source.by.clone(),
        date: source.date.to_string(),
        url: source.url.clone(),
        quote: source.quote.clone(),
    }
}

/// The best package for all the report's parties, and for the pair of them with the most
/// irreconcilable clashes (on the built-in corpus, Russia and Ukraine).
fn settlements(ctx: &Context, analysis: &Analysis) -> Result<Vec<SettlementCard>> {
    let mut cards = vec![super::settle::card(ctx, analysis.parties.clone())?];
    if analysis.parties.len() > 2 {
        let deepest = analysis
            .party_pairs()
            .into_iter()
            .map(|(a, b)| (Analysis::counts(&analysis.pairs_between(a, b))[2], a, b))
            .filter(|&(irreconcilable, _, _)| irreconcilable > 0)
            .max_by_key(|&(irreconcilable, a, b)| (irreconcilable, std::cmp::Reverse((a, b))));
        if let Some((_, a, b)) = deepest {
            cards.push(super::settle::card(ctx, vec![a, b])?);
        }
    }
    Ok(cards)
}
