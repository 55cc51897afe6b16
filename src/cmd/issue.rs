//! `positions issue ISSUE`: every party's stance, the common ground, and, when there is
//! none, the nearest outcomes and who blocks them.

use anyhow::Result;
use serde_json::{Value, json};

use super::{Context, Env, Output};
use crate::cli::IssueArgs;
use crate::model::{IssueKind, Outcomes, Priority};
use crate::render::outcomes;
use crate::view::{Block, Cell, Machine, Table, View};

pub fn run<'a>(env: &'a Env, args: &IssueArgs) -> Result<Output<'a>> {
    Ok(Output::View(view(&env.context()?, &args.issue)?))
}

fn view(ctx: &Context, id: &str) -> Result<View> {
    let index = ctx.issue(id)?;
    let issue = &ctx.corpus.issues[index];
    let analysis = ctx.analysis((0..ctx.corpus.parties.len()).collect());
    let ground = analysis.ground(index);
    let party_id = |p: usize| ctx.corpus.parties[p].id.clone();

    let mut rows = Table::new(&["party", "demands", "priority", "accepts"]);
    let mut stances_json = Vec::new();
    for stance in &ground.stances {
        let demand_ids: Vec<String> = stance.demands.iter().map(|&d| ctx.demand_ref(d).id.clone()).collect();
        let priority = stance
            .demands
            .iter()
            .map(|&d| ctx.demand_ref(d).priority)
            .min()
            .unwrap_or(Priority::Low);
        rows.push(vec![
            Cell::text(party_id(stance.party)),
            Cell::List(demand_ids.clone()),
            Cell::text(priority.as_str()),
            outcomes::cell(issue, &stance.acceptable),
        ]);
        stances_json.push(json!({
            "party": party_id(stance.party),
            "demands": demand_ids,
            "priority": priority.as_str(),
            "red_line": stance.red_line,
            "accepts": outcomes::items(issue, &stance.acceptable),
        }));
    }

    let mut human_stances = rows.clone();
    human_stances.columns[3] = "can accept".into();

    let mut nearest = Table::new(&["outcome", "blocked by", "red lines against it"]);
    let mut nearest_json = Vec::new();
    for candidate in &ground.nearest {
        let blockers: Vec<String> = candidate.blockers.iter().map(|&p| party_id(p)).collect();
        let red: Vec<String> = candidate.red_line_blockers.iter().map(|&p| party_id(p)).collect();
        nearest.push(vec![
            Cell::text(outcomes::describe(issue, &candidate.outcome)),
            Cell::List(blockers.clone()),
            Cell::List(red.clone()),
        ]);
        let (min, max) = match candidate.outcome {
            Outcomes::Range { min, max } => (outcomes::json_number(min), outcomes::json_number(max)),
            Outcomes::Options(_) => (Value::Null, Value::Null),
        };
        nearest_json.push(json!({
            "outcome": outcomes::json_outcome(issue, &candidate.outcome),
            "min": min,
            "max": max,
            "blocked_by": blockers,
            "red_line_blockers": red,
        }));
    }

    let outcome_list = match &issue.kind {
        IssueKind::Options(options) => options
            .iter()
            .map(|o| format!("{} ({})", o.id, o.label))
            .collect::<Vec<_>>()
            .join("; "),
        IssueKind::Scale(scale) => format!(
            "{} to {} {}",
            outcomes::grouped(scale.min),
            outcomes::grouped(scale.max),
            scale.unit
        ),
    };
    let mut fields = vec![
        ("category".to_string(), Cell::text(issue.category.as_str())),
        ("outcomes".to_string(), Cell::text(outcome_list)),
    ];
    if let Some(description) = &issue.description {
        fields.push(("description".to_string(), Cell::text(description)));
    }
    let mut human = vec![
        Block::Heading(format!("{} ({}), as of {}", issue.title, issue.id, ctx.date)),
        Block::Fields(fields),
        Block::Heading("Stances".into()),
        Block::Table(human_stances),
    ];
    match (&ground.common, ground.stances.as_slice()) {
        (None, [only]) => human.push(Block::Text(format!(
            "\nOnly {} has an active demand on this issue: no common ground to find.",
            party_id(only.party)
        ))),
        (None, _) => human.push(Block::Text("\nNo party has an active demand on this issue.".into())),
        (Some(common), _) if !common.is_empty() => {
            human.push(Block::Heading(format!(
                "Common ground: {}",
                outcomes::describe(issue, common)
            )));
        }
        (Some(_), _) => {
            human.push(Block::Heading("No common ground. Nearest outcomes:".into()));
            human.push(Block::Table(nearest));
        }
    }

    let json = json!({
        "issue": issue.id,
        "title": issue.title,
        "category": issue.category.as_str(),
        "as_of": ctx.date.to_string(),
        "stances": stances_json,
        "common_ground": ground.common.as_ref().map(|c| outcomes::items(issue, c)),
        "nearest": nearest_json,
    });
    Ok(View {
        human,
        machine: Machine::Record { json, rows },
    })
}
