//! `positions matrix`: party × party counts, or the demand × demand relations.

use std::collections::HashMap;

use anyhow::Result;

use super::{Context, Env, Output, Selection};
use crate::cli::{Level, MatrixArgs};
use crate::engine::{Analysis, classify};
use crate::model::RelationKind;
use crate::user_error;
use crate::view::{Block, Cell, Machine, RowSink, Table, View};

pub fn run<'a>(env: &'a Env, args: &'a MatrixArgs) -> Result<Output<'a>> {
    let ctx = env.context()?;
    match args.level {
        // The grid for people; the rows for machines streamed, one pair of parties at a
        // time (2,000 parties are 2 million rows).
        Level::Party => {
            let selection = ctx.selection(&args.parties.parties)?;
            let for_rows = selection.clone();
            Ok(Output::Split {
                human: Box::new(move || grid(&ctx, &ctx.analysis(selection.parties.clone()), &selection)),
                rows: Box::new(move |sink| party_rows(&ctx, &ctx.analysis(for_rows.parties.clone()), &for_rows, sink)),
            })
        }
        // Streamed; too large a matrix is refused before any row is written.
        Level::Demand => {
            check_size(&ctx, args)?;
            Ok(Output::Listing(Box::new(move |sink| demand_rows(&ctx, args, sink))))
        }
    }
}

/// Beyond this many parties the grid (its square of cells) is too large to read: a table
/// or Markdown asks for fewer parties, or for CSV or JSON, which list the pairs.
pub const MAX_GRID_PARTIES: usize = 60;

const PARTY_COLUMNS: [&str; 5] = ["party_a", "party_b", "overlap", "conflict", "irreconcilable"];

/// One row per pair of parties, in party order, handed to `sink` as it is counted.
fn party_rows(ctx: &Context, analysis: &Analysis, selection: &Selection, sink: &mut dyn RowSink) -> Result<()> {
    let columns: Vec<String> = PARTY_COLUMNS.iter().map(|c| c.to_string()).collect();
    sink.begin(&columns)?;
    for (a, b) in analysis.party_pairs() {
        if !selection.wants(a, b) {
            continue;
        }
        let [o, c, i] = Analysis::counts(&analysis.pairs_between(a, b));
        sink.row(vec![
            Cell::text(&ctx.corpus.parties[a].id),
            Cell::text(&ctx.corpus.parties[b].id),
            Cell::count(o),
            Cell::count(c),
            Cell::count(i),
        ])?;
    }
    Ok(())
}

/// For people: a square grid, each cell "overlap / conflict / irreconcilable".
fn grid(ctx: &Context, analysis: &Analysis, selection: &Selection) -> Result<View> {
    let count = analysis.parties.len();
    if count > MAX_GRID_PARTIES {
        return Err(user_error(
            format!("a grid of {count} × {count} parties is too large to read"),
            Some(format!(
                "choose at most {MAX_GRID_PARTIES} parties with --parties, or use --format csv or json, which list \
                 one pair of parties a row"
            )),
        ));
    }
    let mut rows = Table::new(&PARTY_COLUMNS);
    let mut counts = HashMap::new();
    party_rows(ctx, analysis, selection, &mut rows)?;
    for row in &rows.rows {
        if let [Cell::Text(a), Cell::Text(b), o, c, i] = &row[..] {
            let text = format!("{} / {} / {}", o.plain(""), c.plain(""), i.plain(""));
            counts.insert((a.clone(), b.clone()), text.clone());
            counts.insert((b.clone(), a.clone()), text);
        }
    }
    let ids: Vec<&str> = analysis
        .parties
        .iter()
        .map(|&p| ctx.corpus.parties[p].id.as_str())
        .collect();
    let mut columns = vec![""];
    columns.extend(&ids);
    let mut grid = Table::new(&columns);
    // One party against every other: its row only.
    let shown = match selection.focus {
        Some(focus) => vec![ctx.corpus.parties[focus].id.as_str()],
        None => ids.clone(),
    };
    for a in &shown {
        let mut row = vec![Cell::text(*a)];
        for b in &ids {
            row.push(Cell::text(
                counts.get(&(a.to_string(), b.to_string())).map_or("·", String::as_str),
            ));
        }
        grid.push(row);
    }
    Ok(View {
        human: vec![
            Block::Table(grid),
            Block::Text(format!(
                "Each cell: overlap / conflict / irreconcilable pairs, as of {}.",
                ctx.date
            )),
        ],
        machine: Machine::Rows(rows),
    })
}

/// Beyond this many active demands the demand × demand matrix (its square of cells) is
/// too large to read or to open in a spreadsheet: the command asks for a filter instead.
pub const MAX_MATRIX_DEMANDS: usize = 5_000;

/// The demand-level matrix row by row: its column names, then each row handed to `emit`
/// as it is computed (the matrix itself is never held in memory).
/// Refuse a matrix too large to be useful (and check the party arguments), before any
/// output is written.
pub fn check_size(ctx: &Context, args: &MatrixArgs) -> Result<()> {
    let parties = ctx.selection(&args.parties.parties)?.parties;
    let count = ctx
        .corpus
        .demands
        .iter()
        .filter(|d| parties.contains(&d.party) && d.is_active_on(ctx.date))
        .count();
    if count > MAX_MATRIX_DEMANDS {
        return Err(user_error(
            format!("the demand matrix would have {count} × {count} cells, too many to be useful"),
            Some(format!(
                "choose fewer parties with --parties, or use `pairs`, which lists only the pairs that are related \
                 (the limit is {MAX_MATRIX_DEMANDS} active demands)"
            )),
        ));
    }
    Ok(())
}

pub fn demand_rows(ctx: &Context, args: &MatrixArgs, sink: &mut dyn RowSink) -> Result<()> {
    check_size(ctx, args)?;
    let selection = ctx.selection(&args.parties.parties)?;
    let analysis = ctx.analysis(selection.parties.clone());
    let demands = analysis.active_demands();
    // One party named: its demands (the rows) against every other party's (the columns).
    let (rows, columns_of): (Vec<usize>, Vec<usize>) = match selection.focus {
        Some(focus) => demands.iter().partition(|&&d| ctx.corpus.demands[d].party == focus),
        None => (demands.clone(), demands.clone()),
    };
    let mut asserted: HashMap<(usize, usize), RelationKind> = HashMap::new();
    for (a, b) in analysis.party_pairs() {
        for pair in analysis.asserted_between(a, b) {
            asserted.insert((pair.a, pair.b), pair.kind);
            asserted.insert((pair.b, pair.a), pair.kind);
        }
    }
    let mut columns = vec!["demand".to_string()];
    columns.extend(columns_of.iter().map(|&d| ctx.corpus.demands[d].id.clone()));
    sink.begin(&columns)?;
    for &row in &rows {
        let r = &ctx.corpus.demands[row];
        let mut cells = Vec::with_capacity(columns_of.len() + 1);
        cells.push(Cell::text(&r.id));
        for &col in &columns_of {
            let c = &ctx.corpus.demands[col];
            let kind = if r.party == c.party {
                None
            } else if r.issue == c.issue {
                Some(classify(r, c).0)
            } else {
                asserted.get(&(row, col)).copied()
            };
            cells.push(kind.map_or(Cell::Empty, Cell::Relation));
        }
        sink.row(cells)?;
    }
    Ok(())
}
