//! `positions parties`: each party with its number of active demands and red lines.

use std::collections::HashSet;

use anyhow::Result;

use super::{Context, Env, Output};
use crate::view::{Cell, Table, View};

pub fn run<'a>(env: &'a Env) -> Result<Output<'a>> {
    Ok(Output::View(view(&env.context()?)))
}

fn view(ctx: &Context) -> View {
    let mut table = Table::new(&[
        "party",
        "name",
        "kind",
        "aliases",
        "active_demands",
        "red_lines",
        "issues",
    ]);
    for (index, party) in ctx.corpus.parties.iter().enumerate() {
        let active: Vec<_> = ctx
            .corpus
            .demands
            .iter()
            .filter(|d| d.party == index && d.is_active_on(ctx.date))
            .collect();
        let issues: HashSet<usize> = active.iter().map(|d| d.issue).collect();
        table.push(vec![
            Cell::text(&party.id),
            Cell::text(&party.name),
            Cell::text(party.kind.as_str()),
            Cell::List(party.aliases.clone()),
            Cell::count(active.len()),
            Cell::count(active.iter().filter(|d| d.is_red_line()).count()),
            Cell::count(issues.len()),
        ]);
    }
    View::rows(table)
}
