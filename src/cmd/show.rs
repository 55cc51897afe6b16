//! `positions show DEMAND`: one demand in full, its sources, and every relation it has.

use anyhow::Result;
use serde_json::{Value, json};

use super::{Context, Env, Output};
use crate::cli::ShowArgs;
use crate::model::{Basis, Source};
use crate::render::outcomes;
use crate::view::{Block, Cell, Machine, Table, View};

pub const RELATION_COLUMNS: [&str; 8] = [
    "demand",
    "party_b",
    "demand_b",
    "issue_b",
    "relation",
    "basis",
    "common_ground",
    "shared_goal",
];

pub fn run<'a>(env: &'a Env, args: &ShowArgs) -> Result<Output<'a>> {
    Ok(Output::View(view(&env.context()?, &args.demand)?))
}

fn view(ctx: &Context, id: &str) -> Result<View> {
    let index = ctx.demand(id)?;
    let demand = ctx.demand_ref(index);
    let party = &ctx.corpus.parties[demand.party];
    let issue = &ctx.corpus.issues[demand.issue];
    let analysis = ctx.analysis((0..ctx.corpus.parties.len()).collect());
    let relations = analysis.relations_of(index);

    let mut rows = Table::new(&RELATION_COLUMNS);
    let mut human_relations = Table::new(&["party", "demand", "issue", "relation", "basis", "common ground / why"]);
    for pair in &relations {
        let other = ctx.demand_ref(pair.b);
        let other_issue = &ctx.corpus.issues[other.issue];
        rows.push(vec![
            Cell::text(&demand.id),
            Cell::text(ctx.party_id(pair.b)),
            Cell::text(&other.id),
            Cell::text(&other_issue.id),
            Cell::Relation(pair.kind),
            Cell::text(pair.basis.as_str()),
            ctx.common_ground(pair),
            ctx.shared_goal(pair),
        ]);
        let note = match (pair.basis, &pair.common_ground, pair.relation) {
            (Basis::Asserted, _, Some(r)) => ctx.corpus.relations[r].rationale.clone(),
            (_, Some(common), _) => outcomes::describe(issue, common),
            _ => String::new(),
        };
        human_relations.push(vec![
            Cell::text(ctx.party_id(pair.b)),
            Cell::text(&other.id),
            Cell::text(&other_issue.id),
            Cell::Relation(pair.kind),
            Cell::text(pair.basis.as_str()),
            Cell::text(note),
        ]);
    }

    let mut sources = Table::new(&["date", "by", "title", "url", "quote"]);
    for source in &demand.sources {
        sources.push(vec![
            Cell::text(source.date.to_string()),
            Cell::text(&source.by),
            Cell::text(&source.title),
            Cell::opt(source.url.clone()),
            Cell::opt(source.quote.clone()),
        ]);
    }

    let mut fields = vec![
        (
            "party".to_string(),
            Cell::text(format!("{} ({})", party.name, party.id)),
        ),
        (
            "issue".to_string(),
            Cell::text(format!("{} ({})", issue.title, issue.id)),
        ),
        ("priority".to_string(), Cell::text(demand.priority.as_str())),
        (
            "wants".to_string(),
            Cell::text(outcomes::describe(issue, &demand.wants)),
        ),
        (
            "accepts".to_string(),
            Cell::text(outcomes::describe(issue, &demand.accepts)),
        ),
        ("stated".to_string(), Cell::text(demand.stated.to_string())),
    ];
    if let Some(until) = demand.until {
        fields.push(("until".to_string(), Cell::text(until.to_string())));
    }
    let successor = ctx.successor(demand);
    let status = match demand.until {
        Some(until) if until <= ctx.date => match successor {
            Some(next) => format!("withdrawn on {until}, replaced by {}", next.id),
            None => format!("withdrawn on {until}"),
        },
        _ => format!("{} on {}", ctx.status(demand), ctx.date),
    };
    fields.push(("status".to_string(), Cell::text(status)));
    fields.push(("evidence".to_string(), Cell::text(demand.evidence.as_str())));
    if !demand.tags.is_empty() {
        fields.push(("tags".to_string(), Cell::List(demand.tags.clone())));
    }
    if let Some(summary) = &demand.summary {
        fields.push(("summary".to_string(), Cell::text(summary)));
    }

    let json = json!({
        "demand": demand.id,
        "party": party.id,
        "issue": issue.id,
        "title": demand.title,
        "summary": demand.summary,
        "priority": demand.priority.as_str(),
        "wants": outcomes::items(issue, &demand.wants),
        "accepts": outcomes::items(issue, &demand.accepts),
        "stated": demand.stated.to_string(),
        "until": demand.until.map(|d| d.to_string()),
        "status": ctx.status(demand),
        "replaced_by": successor.map(|d| d.id.clone()),
        "as_of": ctx.date.to_string(),
        "evidence": demand.evidence.as_str(),
        "tags": demand.tags,
        "sources": demand.sources.iter().map(source_json).collect::<Vec<_>>(),
        "relations": rows.json(),
    });

    Ok(View {
        human: vec![
            Block::Heading(format!("{} — {}", demand.id, demand.title)),
            Block::Fields(fields),
            Block::Heading("Sources".into()),
            Block::Table(sources),
            Block::Heading(format!("Relations as of {}", ctx.date)),
            Block::Table(human_relations),
        ],
        machine: Machine::Record { json, rows },
    })
}

pub fn source_json(source: &Source) -> Value {
    json!({
        "title": source.title,
        "by": source.by,
        "date": source.date.to_string(),
        "url": source.url,
        "quote": source.quote,
    })
}
