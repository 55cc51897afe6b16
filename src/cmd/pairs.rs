//! `positions pairs`: every compared pair, one row each (SPEC §3.1).

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::PairsArgs;
use crate::engine::Pair;
use crate::model::{Basis, Corpus, Outcomes, RelationKind};
use crate::render::rows::Part;
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

/// Every row, in order, handed to `sink` as it is computed: a few pairs of parties at a
/// time are held in memory, never the whole list.
///
/// On a large corpus computing the pairs and encoding their rows cost about the same, and
/// far more than writing them out. A sink that takes rows encoded elsewhere (CSV) gets
/// them from one thread per core, each encoding every n-th pair of parties, and writes
/// the parts in order; any other sink gets its rows on this thread, while the pairs are
/// computed on a second one.
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
    // The two sets of copies every row reads, made side by side.
    let shown = std::thread::scope(|scope| {
        let shown = scope.spawn(|| Shown::new(ctx.corpus));
        analysis.prepare();
        shown.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    let (analysis, shown) = (&analysis, &shown);
    // The pairs of two parties that are listed, in `batch` (emptied first). The common
    // ground is written as the rows are, not kept with each pair.
    let fill = move |(party_a, party_b): (usize, usize), batch: &mut Vec<Pair>| {
        batch.clear();
        analysis.derived_kinds_into(party_a, party_b, batch);
        batch.extend(analysis.asserted_between(party_a, party_b));
        batch.retain(|pair| {
            let (a, b) = (shown.of[pair.a].issue, shown.of[pair.b].issue);
            !wanted.is_some_and(|k| k != pair.kind) && !issue.is_some_and(|i| a != i && b != i)
        });
    };
    let common_ground = move |pair: &Pair| -> Field<'_> {
        let (a, b) = (&shown.of[pair.a], &shown.of[pair.b]);
        match pair.basis {
            Basis::Asserted => Field::Cell(Cell::Empty),
            Basis::Derived => Field::Meet(&ctx.corpus.issues[a.issue], &a.accepts, &b.accepts),
        }
    };
    // A pair's row, field by field, as every sink takes it.
    let row = move |pair: &Pair| -> [Field<'_>; 9] {
        let (a, b) = (&shown.of[pair.a], &shown.of[pair.b]);
        let [party_a, demand_a, issue_a] = shown.ids(a);
        let [party_b, demand_b, issue_b] = shown.ids(b);
        [
            Field::Id(party_a),
            Field::Id(demand_a),
            Field::Id(issue_a),
            Field::Id(party_b),
            Field::Id(demand_b),
            Field::Id(issue_b),
            Field::Cell(Cell::Relation(pair.kind)),
            Field::Id(pair.basis.as_str()),
            common_ground(pair),
        ]
    };
    let write = move |batch: &[Pair], sink: &mut dyn RowSink| -> std::io::Result<()> {
        for pair in batch {
            sink.fields(&row(pair))?;
        }
        Ok(())
    };
    // The same rows into a part: the six ids come joined already, which is most of a row.
    let write_part = move |batch: &[Pair], part: &mut Part| -> std::io::Result<()> {
        for pair in batch {
            let (a, b) = (&shown.of[pair.a], &shown.of[pair.b]);
            let ids = [
                shown.joined(a),
                shown.joined(b),
                pair.kind.as_str(),
                pair.basis.as_str(),
            ];
            part.row_after_ids(&ids, &common_ground(pair), || row(pair))?;
        }
        Ok(())
    };
    std::thread::scope(|scope| {
        if sink.takes_parts() {
            let workers = std::thread::available_parallelism()
                .map_or(1, usize::from)
                .clamp(1, 4)
                .min(party_pairs.len().max(1));
            // One part queued per worker at most: memory stays that of a few pairs of
            // parties. Written parts' buffers go back to their worker to be filled again.
            let (parts, reused): (Vec<_>, Vec<_>) = (0..workers)
                .map(|worker| {
                    let (send, parts) = std::sync::mpsc::sync_channel::<std::io::Result<Part>>(1);
                    let (give_back, buffers) = std::sync::mpsc::channel::<Vec<u8>>();
                    let mine: Vec<(usize, usize)> = party_pairs.iter().copied().skip(worker).step_by(workers).collect();
                    scope.spawn(move || {
                        let mut batch = Vec::new();
                        for pair in mine {
                            let mut part = Part::new(buffers.try_recv().unwrap_or_default());
                            fill(pair, &mut batch);
                            let encoded = write_part(&batch, &mut part).map(|()| part);
                            // The writer stopped (a closed pipe): nothing more is wanted.
                            if send.send(encoded).is_err() {
                                return;
                            }
                        }
                    });
                    (parts, give_back)
                })
                .unzip();
            for n in 0..party_pairs.len() {
                let part = parts[n % workers]
                    .recv()
                    .map_err(|_| anyhow::anyhow!("a worker stopped before its rows were written"))??;
                let buffer = sink.append(part)?;
                // A worker that has finished no longer takes buffers back.
                let _ = reused[n % workers].send(buffer);
            }
            return Ok(());
        }
        // Two batches in flight at most: memory stays that of one pair of parties or two.
        let (batches, received) = std::sync::mpsc::sync_channel::<Vec<Pair>>(1);
        scope.spawn(move || {
            for pair in party_pairs {
                let mut batch = Vec::new();
                fill(pair, &mut batch);
                // The writer stopped (a closed pipe): nothing more is wanted.
                if batches.send(batch).is_err() {
                    return;
                }
            }
        });
        for batch in received {
            write(&batch, sink)?;
        }
        Ok(())
    })
}

/// What a row shows of each demand, copied side by side in corpus order. A demand is in
/// a row with every demand of every other party on its issue; on a large corpus, reading
/// the demands themselves row after row would visit memory all over the corpus (most of
/// the time a row took), while these copies are read in order and stay in the cache.
struct Shown {
    /// Party, demand and issue ids of every demand, joined by commas (an id holds none),
    /// one demand after another.
    text: String,
    of: Vec<ShownDemand>,
}

struct ShownDemand {
    /// Where the demand's joined ids start and end in `text`.
    ids: std::ops::Range<usize>,
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
                let ids = [
                    &corpus.parties[demand.party].id,
                    &demand.id,
                    &corpus.issues[demand.issue].id,
                ];
                debug_assert!(ids.iter().all(|id| crate::corpus::is_valid_id(id)), "not ids: {ids:?}");
                for (n, id) in ids.into_iter().enumerate() {
                    if n > 0 {
                        text.push(',');
                    }
                    text.push_str(id);
                }
                ShownDemand {
                    ids: start..text.len(),
                    issue: demand.issue,
                    accepts: demand.accepts.clone(),
                }
            })
            .collect();
        Shown { text, of }
    }

    /// The demand's party, demand and issue ids, joined by commas.
    fn joined(&self, demand: &ShownDemand) -> &str {
        self.text.get(demand.ids.clone()).unwrap_or_default()
    }

    /// The demand's party, demand and issue ids.
    fn ids(&self, demand: &ShownDemand) -> [&str; 3] {
        let mut ids = self.joined(demand).splitn(3, ',');
        [(); 3].map(|()| ids.next().unwrap_or_default())
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
