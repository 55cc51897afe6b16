//! `positions parties`: each party with its number of active demands and red lines.

use std::collections::HashSet;

use super::Context;
use crate::view::{Cell, Table, View};

pub fn run(ctx: &Context) -> View {
    let mut table = Table::new(&["party", "name", "kind", "aliases", "demands", "red_lines", "issues"]);
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
