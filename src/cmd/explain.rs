//! `positions explain A B`: why two demands have the relation they have.

use anyhow::Result;
use serde_json::json;

use super::{Context, Env, Output};
use crate::cli::ExplainArgs;
use crate::engine::classify;
use crate::model::outcomes::intersect;
use crate::model::{Demand, RelationKind};
use crate::render::outcomes;
use crate::view::{Block, Cell, Machine, Table, View};

pub fn run<'a>(env: &'a Env, args: &ExplainArgs) -> Result<Output<'a>> {
    Ok(Output::View(view(&env.context()?, &args.demand_a, &args.demand_b)?))
}

fn view(ctx: &Context, id_a: &str, id_b: &str) -> Result<View> {
    let (ia, ib) = (ctx.demand(id_a)?, ctx.demand(id_b)?);
    let (a, b) = (ctx.demand_ref(ia), ctx.demand_ref(ib));
    let verdict = judge(ctx, ia, ib);

    let side = |d: &Demand| {
        let issue = &ctx.corpus.issues[d.issue];
        json!({
            "demand": d.id,
            "party": ctx.corpus.parties[d.party].id,
            "issue": issue.id,
            "priority": d.priority.as_str(),
            "wants": outcomes::items(issue, &d.wants),
            "accepts": outcomes::items(issue, &d.accepts),
            "stated": d.stated.to_string(),
            "until": d.until.map(|u| u.to_string()),
            "status": ctx.status(d),
        })
    };
    let json = json!({
        "demand_a": a.id,
        "demand_b": b.id,
        "as_of": ctx.date.to_string(),
        "relation": verdict.kind.map(|k| k.as_str()),
        "basis": verdict.basis,
        "common_ground": verdict.common_ground.json(),
        "shared_goal": verdict.shared_goal.json(),
        "reason": verdict.reasons.join(" "),
        "a": side(a),
        "b": side(b),
    });
    let mut rows = Table::new(&[
        "demand_a",
        "demand_b",
        "relation",
        "basis",
        "common_ground",
        "shared_goal",
        "reason",
    ]);
    rows.push(vec![
        Cell::text(&a.id),
        Cell::text(&b.id),
        verdict.kind.map_or(Cell::Empty, Cell::Relation),
        Cell::opt(verdict.basis),
        verdict.common_ground.clone(),
        verdict.shared_goal.clone(),
        Cell::text(verdict.reasons.join(" ")),
    ]);

    let mut human = vec![Block::Heading(format!("{} and {}, as of {}", a.id, b.id, ctx.date))];
    for (n, d) in [a, b].into_iter().enumerate() {
        if n > 0 {
            human.push(Block::Text(String::new()));
        }
        let issue = &ctx.corpus.issues[d.issue];
        human.push(Block::Fields(vec![
            ("demand".into(), Cell::text(format!("{} — {}", d.id, d.title))),
            ("party".into(), Cell::text(&ctx.corpus.parties[d.party].id)),
            ("issue".into(), Cell::text(&issue.id)),
            ("priority".into(), Cell::text(d.priority.as_str())),
            ("wants".into(), Cell::text(outcomes::describe(issue, &d.wants))),
            ("accepts".into(), Cell::text(outcomes::describe(issue, &d.accepts))),
            ("status".into(), Cell::text(ctx.status(d))),
        ]));
    }
    let verdict_line = match verdict.kind {
        Some(kind) => format!("Verdict: {kind} ({})", verdict.basis.unwrap_or("derived")),
        None => "Verdict: not compared".to_string(),
    };
    human.push(Block::Heading(verdict_line));
    for reason in &verdict.reasons {
        human.push(Block::Text(reason.clone()));
    }
    Ok(View {
        human,
        machine: Machine::Record { json, rows },
    })
}

struct Verdict {
    kind: Option<RelationKind>,
    basis: Option<&'static str>,
    /// Outcome sets for a derived pair (empty when disjoint), `Cell::Empty` otherwise.
    common_ground: Cell,
    shared_goal: Cell,
    reasons: Vec<String>,
}

impl Verdict {
    fn none(reason: String) -> Verdict {
        Verdict {
            kind: None,
            basis: None,
            common_ground: Cell::Empty,
            shared_goal: Cell::Empty,
            reasons: vec![reason],
        }
    }
}

fn judge(ctx: &Context, ia: usize, ib: usize) -> Verdict {
    let (a, b) = (ctx.demand_ref(ia), ctx.demand_ref(ib));
    if ia == ib {
        return Verdict::none("A demand is not compared with itself.".into());
    }
    if a.party == b.party {
        return Verdict::none(format!(
            "Both are demands of {}; demands of the same party are never compared.",
            ctx.corpus.parties[a.party].id
        ));
    }
    for d in [a, b] {
        if !d.is_active_on(ctx.date) {
            let when = match d.until {
                Some(until) if until <= ctx.date => format!("it was withdrawn on {until}"),
                _ => format!("it was first stated on {}", d.stated),
            };
            return Verdict::none(format!("`{}` is not active on {}: {when}.", d.id, ctx.date));
        }
    }
    if a.issue != b.issue {
        let asserted = ctx.corpus.relations.iter().find(|r| {
            let [x, y] = r.between;
            (x == ia && y == ib) || (x == ib && y == ia)
        });
        return match asserted {
            Some(relation) => Verdict {
                kind: Some(relation.kind),
                basis: Some("asserted"),
                common_ground: Cell::Empty,
                shared_goal: Cell::Empty,
                reasons: vec![
                    format!(
                        "They are on different issues (`{}` and `{}`); the relation is asserted in relations.yaml.",
                        ctx.corpus.issues[a.issue].id, ctx.corpus.issues[b.issue].id
                    ),
                    format!("Rationale: {}", relation.rationale),
                ],
            },
            None => Verdict::none(format!(
                "They are on different issues (`{}` and `{}`) and relations.yaml asserts no relation between them.",
                ctx.corpus.issues[a.issue].id, ctx.corpus.issues[b.issue].id
            )),
        };
    }
    let issue = &ctx.corpus.issues[a.issue];
    let (kind, common, shared) = classify(a, b);
    let accepts = |d: &Demand| format!("`{}` accepts {}", d.id, outcomes::quoted(issue, &d.accepts));
    let mut reasons = vec![format!("Both are on `{}`: {}; {}.", issue.id, accepts(a), accepts(b))];
    match kind {
        RelationKind::Overlap => {
            let common_text = common.as_ref().map(|c| outcomes::quoted(issue, c)).unwrap_or_default();
            reasons.push(format!(
                "The acceptable outcomes intersect in {common_text}: that is the common ground, so they overlap."
            ));
            match shared.as_ref().filter(|s| !s.is_empty()) {
                Some(s) => reasons.push(format!("Both ask for {}: the shared goal.", outcomes::quoted(issue, s))),
                None => reasons.push(
                    "Neither asks for what the other asks for: no shared goal, only outcomes both could live with."
                        .into(),
                ),
            }
        }
        RelationKind::Irreconcilable => {
            reasons.push("The acceptable outcomes do not intersect, and both are red lines: irreconcilable.".into())
        }
        RelationKind::Conflict => {
            let red: Vec<&str> = [a, b]
                .iter()
                .filter(|d| d.is_red_line())
                .map(|d| d.id.as_str())
                .collect();
            let why = match red.as_slice() {
                [] => "neither is a red line".to_string(),
                [one] => format!("only `{one}` is a red line"),
                _ => "both are red lines".to_string(),
            };
            reasons.push(format!(
                "The acceptable outcomes do not intersect, and {why}: a conflict, not irreconcilable."
            ));
        }
    }
    Verdict {
        kind: Some(kind),
        basis: Some("derived"),
        common_ground: outcomes::cell(issue, &intersect(&a.accepts, &b.accepts)),
        shared_goal: outcomes::cell(issue, &intersect(&a.wants, &b.wants)),
        reasons,
    }
}
