//! `positions pairs`: every compared pair, one row each (SPEC §3.1).

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::PairsArgs;
use crate::engine::Pair;
use crate::model::outcomes::intersect;
use crate::model::{Basis, RelationKind};
use crate::view::{Cell, Field, RowSink};

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

/// Every row, in order, handed to `sink` as it is computed: one pair of parties at a time
/// is held in memory, never the whole list. The pairs are computed on a second thread
/// while the rows of the previous pair of parties are written: on a large corpus the two
/// halves cost about the same.
pub fn rows(ctx: &Context, args: &PairsArgs, sink: &mut dyn RowSink) -> Result<()> {
    let selection = ctx.selection(&args.parties.parties)?;
    let issue = args.issue.as_deref().map(|id| ctx.issue(id)).transpose()?;
    sink.begin(&COLUMNS.map(String::from))?;
    let analysis = ctx.analysis(selection.parties.clone());
    let wanted = args.relation.map(RelationKind::from);
    let party_pairs: Vec<(usize, usize)> = analysis
        .party_pairs()
        .into_iter()
        .filter(|&(a, b)| selection.wants(a, b))
        .collect();
    std::thread::scope(|scope| {
        // Two batches in flight at most: memory stays that of one pair of parties or two.
        let (batches, received) = std::sync::mpsc::sync_channel::<Vec<Pair>>(1);
        let analysis = &analysis;
        scope.spawn(move || {
            for (party_a, party_b) in party_pairs {
                let mut batch = analysis.pairs_between(party_a, party_b);
                batch.retain(|pair| {
                    let (a, b) = (ctx.demand_ref(pair.a), ctx.demand_ref(pair.b));
                    !wanted.is_some_and(|k| k != pair.kind) && !issue.is_some_and(|i| a.issue != i && b.issue != i)
                });
                // The writer stopped (a closed pipe): nothing more is wanted.
                if batches.send(batch).is_err() {
                    return;
                }
            }
        });
        for batch in received {
            for pair in &batch {
                let (a, b) = (ctx.demand_ref(pair.a), ctx.demand_ref(pair.b));
                let on = &ctx.corpus.issues[a.issue];
                // The classification keeps a common ground that is not empty; an empty one
                // costs nothing to compute again.
                let empty;
                let common_ground = match (pair.basis, &pair.common_ground) {
                    (Basis::Asserted, _) => Field::Cell(Cell::Empty),
                    (Basis::Derived, Some(set)) => Field::Outcomes(on, set),
                    (Basis::Derived, None) => {
                        empty = intersect(&a.accepts, &b.accepts);
                        Field::Outcomes(on, &empty)
                    }
                };
                sink.fields(&[
                    Field::Str(ctx.party_id(pair.a)),
                    Field::Str(&a.id),
                    Field::Str(&ctx.corpus.issues[a.issue].id),
                    Field::Str(ctx.party_id(pair.b)),
                    Field::Str(&b.id),
                    Field::Str(&ctx.corpus.issues[b.issue].id),
                    Field::Cell(Cell::Relation(pair.kind)),
                    Field::Str(pair.basis.as_str()),
                    common_ground,
                ])?;
            }
        }
        Ok(())
    })
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
