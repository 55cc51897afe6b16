//! `positions changes --from DATE --to DATE`: what moved between two dates.
//!
//! One long table, a row per change: relations between two parties on an issue, asserted
//! relations, party-pair counts, each party's demands and red lines, and the common
//! ground on each issue.

use std::collections::BTreeMap;

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::ChangesArgs;
use crate::date::Date;
use crate::engine::Analysis;
use crate::model::{Basis, RelationKind};
use crate::render::outcomes;
use crate::view::{Block, Cell, Machine, Table, View};

pub const COLUMNS: [&str; 7] = ["kind", "party_a", "party_b", "issue", "from", "to", "change"];

fn severity(kind: RelationKind) -> u8 {
    match kind {
        RelationKind::Overlap => 0,
        RelationKind::Conflict => 1,
        RelationKind::Irreconcilable => 2,
    }
}

/// The relation of two parties on each issue (the most severe of their pairs there), and
/// their asserted relations, keyed so that two dates can be compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// (party a, party b, issue)
    Issue(usize, usize, usize),
    /// (party a, party b, relation index)
    Asserted(usize, usize, usize),
}

fn relations(analysis: &Analysis) -> BTreeMap<Key, RelationKind> {
    let mut out = BTreeMap::new();
    let mut add = |key: Key, kind: RelationKind| {
        out.entry(key)
            .and_modify(|k: &mut RelationKind| {
                if severity(kind) > severity(*k) {
                    *k = kind;
                }
            })
            .or_insert(kind);
    };
    for (a, b) in analysis.party_pairs() {
        for pair in analysis.pairs_between(a, b) {
            let key = match (pair.basis, pair.relation) {
                (Basis::Asserted, Some(r)) => Key::Asserted(a, b, r),
                _ => Key::Issue(a, b, analysis.corpus.demands[pair.a].issue),
            };
            add(key, pair.kind);
        }
    }
    out
}

fn change_of(from: Option<RelationKind>, to: Option<RelationKind>) -> Option<&'static str> {
    match (from, to) {
        (None, Some(_)) => Some("new"),
        (Some(_), None) => Some("ended"),
        (Some(f), Some(t)) if severity(t) > severity(f) => Some("escalated"),
        (Some(f), Some(t)) if severity(t) < severity(f) => Some("eased"),
        _ => None,
    }
}

/// `up` or `down` for machines (a leading sign would be defused in CSV), `+N` / `-N` for people.
fn count_change(from: usize, to: usize) -> &'static str {
    if to > from { "up" } else { "down" }
}

fn signed(from: usize, to: usize) -> String {
    let delta = to as i64 - from as i64;
    if delta > 0 {
        format!("+{delta}")
    } else {
        delta.to_string()
    }
}

pub fn run<'a>(env: &'a Env, args: &ChangesArgs) -> Result<Output<'a>> {
    let ctx = env.context()?;
    let to = args.to.unwrap_or(ctx.date);
    if args.from > to {
        let what = if args.to.is_some() {
            "--to"
        } else {
            "the date of the analysis"
        };
        return Err(crate::usage_error(
            format!("--from {} is after {what} ({to})", args.from),
            Some("give the earlier date as --from and the later as --to".into()),
        ));
    }
    Ok(Output::View(view(&ctx, args.from, to, &args.parties.parties)?))
}

fn view(ctx: &Context, from: Date, to: Date, parties: &[String]) -> Result<View> {
    let parties = ctx.parties(parties)?;
    let before = Analysis::new(ctx.corpus, from, parties.clone());
    let after = Analysis::new(ctx.corpus, to, parties.clone());
    let party = |p: usize| ctx.corpus.parties[p].id.clone();
    let mut rows = Table::new(&COLUMNS);

    // Relations between two parties, issue by issue; asserted relations.
    let (old, new) = (relations(&before), relations(&after));
    let mut keys: Vec<&Key> = old.keys().chain(new.keys()).collect();
    let rank = |p: usize| parties.iter().position(|&x| x == p).unwrap_or(usize::MAX);
    keys.sort_by_key(|k| match k {
        Key::Issue(a, b, i) => (rank(*a), rank(*b), 0, *i),
        Key::Asserted(a, b, r) => (rank(*a), rank(*b), 1, *r),
    });
    keys.dedup();
    let mut relation_rows = Table::new(&["parties", "issue", "from", "to", "change"]);
    for key in keys {
        let (f, t) = (old.get(key).copied(), new.get(key).copied());
        let Some(change) = change_of(f, t) else { continue };
        let (a, b, issue) = match key {
            Key::Issue(a, b, i) => (*a, *b, ctx.corpus.issues[*i].id.clone()),
            Key::Asserted(a, b, r) => {
                let [x, y] = ctx.corpus.relations[*r].between;
                let (x, y) = (ctx.demand_ref(x), ctx.demand_ref(y));
                let (ia, ib) = (&ctx.corpus.issues[x.issue].id, &ctx.corpus.issues[y.issue].id);
                let issues = if x.party == *a {
                    format!("{ia} / {ib}")
                } else {
                    format!("{ib} / {ia}")
                };
                (*a, *b, issues)
            }
        };
        let cell = |k: Option<RelationKind>| k.map_or(Cell::Empty, Cell::Relation);
        rows.push(vec![
            Cell::text("relation"),
            Cell::text(party(a)),
            Cell::text(party(b)),
            Cell::text(&issue),
            cell(f),
            cell(t),
            Cell::text(change),
        ]);
        relation_rows.push(vec![
            Cell::text(format!("{} – {}", party(a), party(b))),
            Cell::text(issue),
            cell(f),
            cell(t),
            Cell::text(change),
        ]);
    }

    // Counts for each pair of parties.
    let mut count_rows = Table::new(&["parties", "relation", "from", "to", "change"]);
    for (a, b) in after.party_pairs() {
        let f = Analysis::counts(&before.pairs_between(a, b));
        let t = Analysis::counts(&after.pairs_between(a, b));
        for (i, kind) in RelationKind::ALL.iter().enumerate() {
            if f[i] == t[i] {
                continue;
            }
            let name = format!("{kind}-count");
            rows.push(vec![
                Cell::text(&name),
                Cell::text(party(a)),
                Cell::text(party(b)),
                Cell::Empty,
                Cell::count(f[i]),
                Cell::count(t[i]),
                Cell::text(count_change(f[i], t[i])),
            ]);
            count_rows.push(vec![
                Cell::text(format!("{} – {}", party(a), party(b))),
                Cell::Relation(*kind),
                Cell::count(f[i]),
                Cell::count(t[i]),
                Cell::text(signed(f[i], t[i])),
            ]);
        }
    }

    // Each party's active demands and red lines.
    let mut party_rows = Table::new(&["party", "what", "from", "to", "change"]);
    for &p in &parties {
        let tally = |date: Date| {
            let active: Vec<_> = ctx
                .corpus
                .demands
                .iter()
                .filter(|d| d.party == p && d.is_active_on(date))
                .collect();
            (active.len(), active.iter().filter(|d| d.is_red_line()).count())
        };
        let ((fd, fr), (td, tr)) = (tally(from), tally(to));
        for (what, f, t) in [("demands", fd, td), ("red-lines", fr, tr)] {
            if f == t {
                continue;
            }
            rows.push(vec![
                Cell::text(what),
                Cell::text(party(p)),
                Cell::Empty,
                Cell::Empty,
                Cell::count(f),
                Cell::count(t),
                Cell::text(count_change(f, t)),
            ]);
            party_rows.push(vec![
                Cell::text(party(p)),
                Cell::text(what),
                Cell::count(f),
                Cell::count(t),
                Cell::text(signed(f, t)),
            ]);
        }
    }

    // The demands themselves: which appeared and which went, party by party, file order.
    let mut demand_rows = Table::new(&["party", "demand", "issue", "change"]);
    for &p in &parties {
        for demand in ctx.corpus.demands.iter().filter(|d| d.party == p) {
            let (was, is) = (demand.is_active_on(from), demand.is_active_on(to));
            let change = match (was, is) {
                (false, true) => "appeared",
                (true, false) => "gone",
                _ => continue,
            };
            let issue = &ctx.corpus.issues[demand.issue].id;
            rows.push(vec![
                Cell::text("demand"),
                Cell::text(party(p)),
                Cell::Empty,
                Cell::text(issue),
                Cell::opt(was.then(|| demand.id.clone())),
                Cell::opt(is.then(|| demand.id.clone())),
                Cell::text(change),
            ]);
            demand_rows.push(vec![
                Cell::text(party(p)),
                Cell::text(&demand.id),
                Cell::text(issue),
                Cell::text(change),
            ]);
        }
    }

    // Common ground on each issue among the parties with a stance.
    let mut ground_rows = Table::new(&["issue", "from", "to", "change"]);
    for (index, issue) in ctx.corpus.issues.iter().enumerate() {
        let text = |analysis: &Analysis, machine: bool| -> Option<String> {
            let ground = analysis.ground(index);
            let common = ground.common.filter(|c| !c.is_empty() && ground.stances.len() > 1)?;
            Some(if machine {
                outcomes::machine(issue, &common)
            } else {
                outcomes::describe(issue, &common)
            })
        };
        let (f, t) = (text(&before, true), text(&after, true));
        if f == t {
            continue;
        }
        let change = match (&f, &t) {
            (None, Some(_)) => "found",
            (Some(_), None) => "lost",
            _ => "moved",
        };
        rows.push(vec![
            Cell::text("common-ground"),
            Cell::Empty,
            Cell::Empty,
            Cell::text(&issue.id),
            Cell::opt(f),
            Cell::opt(t),
            Cell::text(change),
        ]);
        ground_rows.push(vec![
            Cell::text(&issue.id),
            Cell::opt(text(&before, false)),
            Cell::opt(text(&after, false)),
            Cell::text(change),
        ]);
    }

    let relation_count = relation_rows.rows.len();
    let human = vec![
        Block::Heading(format!("What moved from {from} to {to}")),
        Block::Heading("Relations between parties, issue by issue".into()),
        Block::Table(relation_rows),
        Block::Heading("Pairs of demands, by party pair".into()),
        Block::Table(count_rows),
        Block::Heading("Active demands and red lines".into()),
        Block::Table(party_rows),
        Block::Heading("Demands that appeared and went".into()),
        Block::Table(demand_rows),
        Block::Heading("Common ground among all parties with a stance".into()),
        Block::Table(ground_rows),
        Block::Heading(format!(
            "{} changed.",
            crate::view::plural(relation_count, "relation", "relations")
        )),
    ];
    let json = json_rows(&rows);
    Ok(View {
        human,
        machine: Machine::Record { json, rows },
    })
}

/// The rows as JSON, each field of one shape: a relation's `from` and `to` are words (or
/// `null` where there was none), a count's are `from_count` and `to_count`, numbers; every
/// row has all four, `null` where they do not apply.
fn json_rows(rows: &Table) -> serde_json::Value {
    let at = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap_or(0);
    let (from, to) = (at("from"), at("to"));
    let rows = rows.rows.iter().map(|row| {
        let mut object = serde_json::Map::new();
        for (i, column) in COLUMNS.iter().enumerate() {
            let cell = row.get(i).unwrap_or(&Cell::Empty);
            if i == from || i == to {
                let (words, count) = match cell {
                    Cell::Int(_) => (serde_json::Value::Null, cell.json()),
                    other => (other.json(), serde_json::Value::Null),
                };
                object.insert((*column).to_string(), words);
                object.insert(format!("{column}_count"), count);
            } else {
                object.insert((*column).to_string(), cell.json());
            }
        }
        serde_json::Value::Object(object)
    });
    serde_json::Value::Array(rows.collect())
}
