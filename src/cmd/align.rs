//! `positions align`: how often each pair of parties overlaps, as a share of the pairs of
//! demands they have compared, so that blocs show at a glance.

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::AlignArgs;
use crate::date::Date;
use crate::engine::Analysis;
use crate::view::{Block, Cell, Machine, Table, View};

pub const COLUMNS: [&str; 6] = ["date", "party_a", "party_b", "pairs", "overlap", "alignment"];

/// Overlapping pairs over compared pairs, to three decimals; none when nothing was compared.
fn share(overlap: usize, pairs: usize) -> Option<f64> {
    (pairs > 0).then(|| (overlap as f64 / pairs as f64 * 1000.0).round() / 1000.0)
}

pub fn run<'a>(env: &'a Env, args: &AlignArgs) -> Result<Output<'a>> {
    Ok(Output::View(view(&env.context()?, &args.parties.parties, &args.at)?))
}

fn view(ctx: &Context, parties: &[String], dates: &[Date]) -> Result<View> {
    let selection = ctx.selection(parties)?;
    let parties = selection.parties.clone();
    let dates = if dates.is_empty() {
        vec![ctx.date]
    } else {
        dates.to_vec()
    };
    let mut rows = Table::new(&COLUMNS);
    let mut human = Vec::new();
    for &date in &dates {
        let analysis = Analysis::new(ctx.corpus, date, parties.clone());
        let ids: Vec<&str> = parties.iter().map(|&p| ctx.corpus.parties[p].id.as_str()).collect();
        let mut columns = vec![""];
        columns.extend(&ids);
        let mut grid = Table::new(&columns);
        let mut cells = vec![vec![Cell::text("·"); parties.len()]; parties.len()];
        for (i, &a) in parties.iter().enumerate() {
            for (j, &b) in parties.iter().enumerate().skip(i + 1) {
                if !selection.wants(a, b) {
                    continue;
                }
                let pairs = analysis.pairs_between(a, b);
                let [overlap, _, _] = Analysis::counts(&pairs);
                let alignment = share(overlap, pairs.len());
                rows.push(vec![
                    Cell::text(date.to_string()),
                    Cell::text(ids[i]),
                    Cell::text(ids[j]),
                    Cell::count(pairs.len()),
                    Cell::count(overlap),
                    alignment.map_or(Cell::Empty, Cell::Number),
                ]);
                let shown = match alignment {
                    Some(v) => Cell::text(format!("{:.0}% ({overlap}/{})", v * 100.0, pairs.len())),
                    None => Cell::text(crate::render::outcomes::EMPTY),
                };
                cells[i][j] = shown.clone();
                cells[j][i] = shown;
            }
        }
        // One party against every other: its row only.
        for (i, row) in cells
            .into_iter()
            .enumerate()
            .filter(|&(i, _)| selection.focus.is_none() || i == 0)
        {
            let mut full = vec![Cell::text(ids[i])];
            full.extend(row);
            grid.push(full);
        }
        human.push(Block::Heading(format!("Alignment as of {date}")));
        human.push(Block::Table(grid));
    }
    human.push(Block::Text(
        "Each cell: the share of compared pairs of demands that overlap (overlapping / compared).".into(),
    ));
    Ok(View {
        human,
        machine: Machine::Rows(rows),
    })
}
