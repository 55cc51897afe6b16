//! `positions diff A B`: issue by issue, how two parties' demands relate.

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::DiffArgs;
use crate::engine::{Analysis, Pair};
use crate::model::RelationKind;
use crate::user_error;
use crate::view::{Block, Cell, Machine, Table, View};

pub const COLUMNS: [&str; 9] = [
    "issue",
    "party_a",
    "demand_a",
    "party_b",
    "demand_b",
    "relation",
    "basis",
    "common_ground",
    "shared_goal",
];

pub fn run<'a>(env: &'a Env, args: &DiffArgs) -> Result<Output<'a>> {
    let only = args.relation.map(RelationKind::from);
    Ok(Output::View(view(&env.context()?, &args.party_a, &args.party_b, only)?))
}

fn view(ctx: &Context, name_a: &str, name_b: &str, only: Option<RelationKind>) -> Result<View> {
    let (a, b) = (ctx.party(name_a)?, ctx.party(name_b)?);
    if a == b {
        return Err(user_error(
            format!("`{name_a}` and `{name_b}` are the same party"),
            Some("diff compares two different parties".into()),
        ));
    }
    let analysis = ctx.analysis(vec![a, b]);
    let (id_a, id_b) = (ctx.corpus.parties[a].id.as_str(), ctx.corpus.parties[b].id.as_str());
    // `--relation`: only the pairs with it (and none of the issues only one side is on).
    let keep =
        |pairs: Vec<Pair>| -> Vec<Pair> { pairs.into_iter().filter(|p| only.is_none_or(|k| p.kind == k)).collect() };
    let derived = keep(analysis.derived_between(a, b));
    let asserted = keep(analysis.asserted_between(a, b));

    let mut rows = Table::new(&COLUMNS);
    let mut by_issue = Table::new(&["issue", id_a, id_b, "relation", "common ground", "shared goal"]);
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    let mut next = derived.iter().peekable();
    for (index, issue) in ctx.corpus.issues.iter().enumerate() {
        let (xs, ys) = (analysis.demands_on(a, index), analysis.demands_on(b, index));
        if xs.is_empty() != ys.is_empty() && only.is_none() {
            let a_side = ys.is_empty();
            (if a_side { &mut only_a } else { &mut only_b }).push(issue.id.clone());
            for &d in if a_side { xs } else { ys } {
                let id = Cell::text(&ctx.demand_ref(d).id);
                let (demand_a, demand_b) = if a_side { (id, Cell::Empty) } else { (Cell::Empty, id) };
                rows.push(vec![
                    Cell::text(&issue.id),
                    Cell::text(id_a),
                    demand_a,
                    Cell::text(id_b),
                    demand_b,
                    Cell::text("unmatched"),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]);
            }
        }
        while let Some(pair) = next.next_if(|p| ctx.demand_ref(p.a).issue == index) {
            rows.push(row(ctx, pair, &issue.id, id_a, id_b));
            by_issue.push(vec![
                Cell::text(&issue.id),
                Cell::text(&ctx.demand_ref(pair.a).id),
                Cell::text(&ctx.demand_ref(pair.b).id),
                Cell::Relation(pair.kind),
                ctx.common_ground(pair),
                ctx.shared_goal(pair),
            ]);
        }
    }

    let mut across = Table::new(&[id_a, id_b, "relation", "rationale"]);
    for pair in &asserted {
        let (da, db) = (ctx.demand_ref(pair.a), ctx.demand_ref(pair.b));
        let issues = format!(
            "{} / {}",
            ctx.corpus.issues[da.issue].id, ctx.corpus.issues[db.issue].id
        );
        rows.push(row(ctx, pair, &issues, id_a, id_b));
        across.push(vec![
            Cell::text(&da.id),
            Cell::text(&db.id),
            Cell::Relation(pair.kind),
            Cell::opt(pair.relation.map(|r| ctx.corpus.relations[r].rationale.clone())),
        ]);
    }

    let all: Vec<Pair> = derived.iter().chain(&asserted).cloned().collect();
    let [o, c, i] = Analysis::counts(&all);
    let summary = format!(
        "{}: {o} {}, {c} {}, {i} {} ({} asserted); {} only {id_a}, {} only {id_b}.",
        crate::view::plural(all.len(), "pair", "pairs"),
        RelationKind::Overlap,
        RelationKind::Conflict,
        RelationKind::Irreconcilable,
        asserted.len(),
        crate::view::plural(only_a.len(), "issue", "issues"),
        only_b.len(),
    );
    let (name_a, name_b) = (&ctx.corpus.parties[a].name, &ctx.corpus.parties[b].name);
    let mut human = vec![
        Block::Heading(format!("{name_a} vs {name_b}, as of {}", ctx.date)),
        Block::Table(by_issue),
    ];
    if !across.is_empty() {
        human.push(Block::Heading("Asserted relations across issues".into()));
        human.push(Block::Table(across));
    }
    if only.is_none() {
        human.push(Block::Heading("Issues only one side has a demand on".into()));
        human.push(Block::Fields(vec![
            (format!("only {id_a}"), Cell::List(only_a)),
            (format!("only {id_b}"), Cell::List(only_b)),
        ]));
    }
    human.push(Block::Heading(summary));
    Ok(View {
        human,
        machine: Machine::Rows(rows),
    })
}

fn row(ctx: &Context, pair: &Pair, issue: &str, id_a: &str, id_b: &str) -> Vec<Cell> {
    vec![
        Cell::text(issue),
        Cell::text(id_a),
        Cell::text(&ctx.demand_ref(pair.a).id),
        Cell::text(id_b),
        Cell::text(&ctx.demand_ref(pair.b).id),
        Cell::Relation(pair.kind),
        Cell::text(pair.basis.as_str()),
        ctx.common_ground(pair),
        ctx.shared_goal(pair),
    ]
}
