//! `positions pairs`: every compared pair, one row each (SPEC §3.1).

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::PairsArgs;
use crate::model::RelationKind;
use crate::view::{Cell, RowSink};

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

/// Every row, in order, handed to `emit` as it is computed: one pair of parties at a time
/// is held in memory, never the whole list.
pub fn rows(ctx: &Context, args: &PairsArgs, sink: &mut dyn RowSink) -> Result<()> {
    let selection = ctx.selection(&args.parties.parties)?;
    let issue = args.issue.as_deref().map(|id| ctx.issue(id)).transpose()?;
    sink.begin(&COLUMNS.map(String::from))?;
    let analysis = ctx.analysis(selection.parties.clone());
    let wanted = args.relation.map(RelationKind::from);
    for (party_a, party_b) in analysis.party_pairs() {
        if !selection.wants(party_a, party_b) {
            continue;
        }
        for pair in analysis.pairs_between(party_a, party_b) {
            let (a, b) = (ctx.demand_ref(pair.a), ctx.demand_ref(pair.b));
            if wanted.is_some_and(|k| k != pair.kind) || issue.is_some_and(|i| a.issue != i && b.issue != i) {
                continue;
            }
            sink.row(vec![
                Cell::text(ctx.party_id(pair.a)),
                Cell::text(&a.id),
                Cell::text(&ctx.corpus.issues[a.issue].id),
                Cell::text(ctx.party_id(pair.b)),
                Cell::text(&b.id),
                Cell::text(&ctx.corpus.issues[b.issue].id),
                Cell::Relation(pair.kind),
                Cell::text(pair.basis.as_str()),
                ctx.common_ground(&pair),
            ])?;
        }
    }
    Ok(())
}

/// Every pair, streamed: the party arguments are checked before any row is written.
pub fn run<'a>(env: &'a Env, args: &'a PairsArgs) -> Result<Output<'a>> {
    let ctx = env.context()?;
    ctx.parties(&args.parties.parties)?;
    if let Some(issue) = &args.issue {
        ctx.issue(issue)?;
    }
    Ok(Output::Listing(Box::new(move |sink| rows(&ctx, args, sink))))
}
