//! `positions graph`: the relations as a graph, for Graphviz (`--format dot`) or Mermaid
//! (`--format mermaid`).
//!
//! At party level there is one node per party and, for each pair of parties with compared
//! demands, one edge per kind of relation they have, in that kind's style, as wide as its
//! share of the pair's relations and labelled with its count. At demand level every active
//! demand is a node, grouped by party, and every compared pair an edge.

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::{GraphArgs, Level};
use crate::engine::Analysis;
use crate::model::{Basis, RelationKind};
use crate::render::graph::{Cluster, Edge, Graph, Node};

pub fn run<'a>(env: &'a Env, args: &GraphArgs) -> Result<Output<'a>> {
    Ok(Output::Graph(build(&env.context()?, args)?))
}

/// The graph of the selected parties' relations.
pub fn build(ctx: &Context, args: &GraphArgs) -> Result<Graph> {
    let parties = ctx.parties(&args.parties.parties)?;
    let analysis = ctx.analysis(parties);
    Ok(match args.level {
        Level::Party => party_level(ctx, &analysis),
        Level::Demand => demand_level(ctx, &analysis),
    })
}

fn party_level(ctx: &Context, analysis: &Analysis) -> Graph {
    let position = |party: usize| analysis.parties.iter().position(|&p| p == party).unwrap_or(0);
    let nodes = analysis
        .parties
        .iter()
        .map(|&p| {
            let party = &ctx.corpus.parties[p];
            Node {
                lines: vec![party.name.clone(), party.id.clone()],
                cluster: None,
                emphasis: false,
            }
        })
        .collect();
    let mut edges = Vec::new();
    for (a, b) in analysis.party_pairs() {
        let counts = Analysis::counts(&analysis.pairs_between(a, b));
        let total: usize = counts.iter().sum();
        // One line per kind of relation the pair has, as wide as its share of them.
        for (kind, n) in RelationKind::ALL.iter().zip(counts).filter(|(_, n)| *n > 0) {
            edges.push(Edge {
                from: position(a),
                to: position(b),
                kind: *kind,
                label: Some(format!("{n} {kind}")),
                share: Some(n as f64 / total as f64),
            });
        }
    }
    Graph {
        caption: format!(
            "Pairs of demands between parties, as of {}: one line per relation, as wide as its share of the pair's compared demands",
            ctx.date
        ),
        clusters: Vec::new(),
        nodes,
        edges,
    }
}

fn demand_level(ctx: &Context, analysis: &Analysis) -> Graph {
    let demands = analysis.active_demands();
    let clusters = analysis
        .parties
        .iter()
        .map(|&p| Cluster {
            label: ctx.corpus.parties[p].name.clone(),
        })
        .collect();
    let nodes = demands
        .iter()
        .map(|&d| {
            let demand = ctx.demand_ref(d);
            Node {
                lines: vec![demand.id.clone(), demand.title.clone()],
                cluster: analysis.parties.iter().position(|&p| p == demand.party),
                emphasis: demand.is_red_line(),
            }
        })
        .collect();
    let node = |demand: usize| demands.iter().position(|&d| d == demand).unwrap_or(0);
    let edges = analysis
        .all_pairs()
        .into_iter()
        .map(|pair| Edge {
            from: node(pair.a),
            to: node(pair.b),
            kind: pair.kind,
            label: (pair.basis == Basis::Asserted).then(|| "asserted".to_string()),
            share: None,
        })
        .collect();
    Graph {
        caption: format!(
            "Relations between active demands, as of {} (double border: red line)",
            ctx.date
        ),
        clusters,
        nodes,
        edges,
    }
}
