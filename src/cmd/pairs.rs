//! `positions pairs`: every compared pair, one row each (SPEC §3.1).

use anyhow::Result;

use super::Context;
use crate::cli::PairsArgs;
use crate::model::RelationKind;
use crate::view::{Cell, Table, View};

pub const COLUMNS: [&str; 9] = [
    "party_a",
    "demand_a",
    "issue_a",
    "party_b",
    "demand_b",
    "issue_b",
    "relation",
    "basis",
    "common_ground",
];

pub fn run(ctx: &Context, args: &PairsArgs) -> Result<View> {
    let parties = ctx.parties(&args.parties.parties)?;
    let analysis = ctx.analysis(parties);
    let wanted = args.relation.map(RelationKind::from);
    let mut table = Table::new(&COLUMNS);
    for pair in analysis.all_pairs() {
        if wanted.is_some_and(|k| k != pair.kind) {
            continue;
        }
        let (a, b) = (ctx.demand_ref(pair.a), ctx.demand_ref(pair.b));
        table.push(vec![
            Cell::text(ctx.party_id(pair.a)),
            Cell::text(&a.id),
            Cell::text(&ctx.corpus.issues[a.issue].id),
            Cell::text(ctx.party_id(pair.b)),
            Cell::text(&b.id),
            Cell::text(&ctx.corpus.issues[b.issue].id),
            Cell::Relation(pair.kind),
            Cell::text(pair.basis.as_str()),
            ctx.common_ground(&pair),
        ]);
    }
    Ok(View::rows(table))
}
