//! `positions pairs`: every compared pair, one row each (SPEC §3.1).

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::PairsArgs;
use crate::engine::Pair;
use crate::model::{Basis, Corpus, Outcomes, RelationKind};
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
    let shown = Shown::new(ctx.corpus);
    std::thread::scope(|scope| {
        // Two batches in flight at most: memory stays that of one pair of parties or two.
        let (batches, received) = std::sync::mpsc::sync_channel::<Vec<Pair>>(1);
        let analysis = &analysis;
        scope.spawn(move || {
            for (party_a, party_b) in party_pairs {
                // The common ground is written as the rows are, not kept with each pair.
                let mut batch = analysis.derived_kinds_between(party_a, party_b);
                batch.extend(analysis.asserted_between(party_a, party_b));
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
                let (a, b) = (&shown.of[pair.a], &shown.of[pair.b]);
                let common_ground = match pair.basis {
                    Basis::Asserted => Field::Cell(Cell::Empty),
                    Basis::Derived => Field::Meet(&ctx.corpus.issues[a.issue], &a.accepts, &b.accepts),
                };
                let [party_a, demand_a, issue_a] = shown.ids(a);
                let [party_b, demand_b, issue_b] = shown.ids(b);
                sink.fields(&[
                    Field::Id(party_a),
                    Field::Id(demand_a),
                    Field::Id(issue_a),
                    Field::Id(party_b),
                    Field::Id(demand_b),
                    Field::Id(issue_b),
                    Field::Cell(Cell::Relation(pair.kind)),
                    Field::Id(pair.basis.as_str()),
                    common_ground,
                ])?;
            }
        }
        Ok(())
    })
}

/// What a row shows of each demand, copied side by side in corpus order. A demand is in
/// a row with every demand of every other party on its issue; on a large corpus, reading
/// the demands themselves row after row would visit memory all over the corpus (most of
/// the time a row took), while these copies are read in order and stay in the cache.
struct Shown {
    /// Party, demand and issue ids of every demand, one after another.
    text: String,
    of: Vec<ShownDemand>,
}

struct ShownDemand {
    /// Where the demand's party, demand and issue ids end in `text` (the first starts
    /// where the previous demand's issue id ends).
    ends: [usize; 4],
    issue: usize,
    accepts: Outcomes,
}

impl Shown {
    fn new(corpus: &Corpus) -> Shown {
        let mut text = String::new();
        let of = corpus
            .demands
            .iter()
            .map(|demand| {
                let start = text.len();
                let mut ends = [start; 4];
                for (end, id) in ends[1..].iter_mut().zip([
                    &corpus.parties[demand.party].id,
                    &demand.id,
                    &corpus.issues[demand.issue].id,
                ]) {
                    text.push_str(id);
                    *end = text.len();
                }
                ShownDemand {
                    ends,
                    issue: demand.issue,
                    accepts: demand.accepts.clone(),
                }
            })
            .collect();
        Shown { text, of }
    }

    fn ids(&self, demand: &ShownDemand) -> [&str; 3] {
        let [start, party, id, issue] = demand.ends;
        [&self.text[start..party], &self.text[party..id], &self.text[id..issue]]
    }
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
