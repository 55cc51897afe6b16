//! `positions matrix`: party × party counts, or the demand × demand relations.

use std::collections::HashMap;

use anyhow::Result;

use super::Context;
use crate::cli::{Level, MatrixArgs};
use crate::engine::Analysis;
use crate::model::RelationKind;
use crate::view::{Block, Cell, Machine, Table, View};

pub fn run(ctx: &Context, args: &MatrixArgs) -> Result<View> {
    let parties = ctx.parties(&args.parties.parties)?;
    let analysis = ctx.analysis(parties);
    Ok(match args.level {
        Level::Party => party_level(ctx, &analysis),
        Level::Demand => demand_level(ctx, &analysis),
    })
}

fn party_level(ctx: &Context, analysis: &Analysis) -> View {
    let mut rows = Table::new(&["party_a", "party_b", "overlap", "conflict", "irreconcilable"]);
    let mut counts = HashMap::new();
    for (a, b) in analysis.party_pairs() {
        let [o, c, i] = Analysis::counts(&analysis.pairs_between(a, b));
        counts.insert((a, b), [o, c, i]);
        counts.insert((b, a), [o, c, i]);
        rows.push(vec![
            Cell::text(&ctx.corpus.parties[a].id),
            Cell::text(&ctx.corpus.parties[b].id),
            Cell::count(o),
            Cell::count(c),
            Cell::count(i),
        ]);
    }
    // For people: a square grid, each cell "overlap / conflict / irreconcilable".
    let ids: Vec<&str> = analysis
        .parties
        .iter()
        .map(|&p| ctx.corpus.parties[p].id.as_str())
        .collect();
    let mut columns = vec![""];
    columns.extend(&ids);
    let mut grid = Table::new(&columns);
    for &a in &analysis.parties {
        let mut row = vec![Cell::text(&ctx.corpus.parties[a].id)];
        for &b in &analysis.parties {
            row.push(match counts.get(&(a, b)) {
                Some([o, c, i]) => Cell::text(format!("{o} / {c} / {i}")),
                None => Cell::text("·"),
            });
        }
        grid.push(row);
    }
    View {
        human: vec![
            Block::Table(grid),
            Block::Text(format!(
                "Each cell: overlap / conflict / irreconcilable pairs, as of {}.",
                ctx.date
            )),
        ],
        machine: Machine::Rows(rows),
    }
}

fn demand_level(ctx: &Context, analysis: &Analysis) -> View {
    let demands = analysis.active_demands();
    let mut relation: HashMap<(usize, usize), RelationKind> = HashMap::new();
    for pair in analysis.all_pairs() {
        relation.insert((pair.a, pair.b), pair.kind);
        relation.insert((pair.b, pair.a), pair.kind);
    }
    let mut columns = vec!["demand"];
    columns.extend(demands.iter().map(|&d| ctx.corpus.demands[d].id.as_str()));
    let mut table = Table::new(&columns);
    for &row in &demands {
        let mut cells = vec![Cell::text(&ctx.corpus.demands[row].id)];
        cells.extend(demands.iter().map(|&col| match relation.get(&(row, col)) {
            Some(kind) => Cell::Relation(*kind),
            None => Cell::Empty,
        }));
        table.push(cells);
    }
    View::rows(table)
}
