//! `positions issues`: each issue with the parties that have demands on it and the
//! common ground among them.

use anyhow::Result;

use super::{Context, Env, Output};
use crate::engine::Ground;
use crate::model::{Issue, IssueKind};
use crate::render::outcomes;
use crate::view::{Cell, Table, View};

pub fn run<'a>(env: &'a Env) -> Result<Output<'a>> {
    Ok(Output::View(view(&env.context()?)))
}

fn view(ctx: &Context) -> View {
    let analysis = ctx.analysis((0..ctx.corpus.parties.len()).collect());
    let mut table = Table::new(&[
        "issue",
        "title",
        "category",
        "kind",
        "parties",
        "active_demands",
        "common_ground",
    ]);
    for (index, issue) in ctx.corpus.issues.iter().enumerate() {
        let ground = analysis.ground(index);
        let parties: Vec<String> = ground
            .stances
            .iter()
            .map(|s| ctx.corpus.parties[s.party].id.clone())
            .collect();
        let demands: usize = ground.stances.iter().map(|s| s.demands.len()).sum();
        let kind = match issue.kind {
            IssueKind::Options(_) => "options",
            IssueKind::Scale(_) => "scale",
        };
        let common = common_ground_cell(issue, &ground, &parties);
        table.push(vec![
            Cell::text(&issue.id),
            Cell::text(&issue.title),
            Cell::text(issue.category.as_str()),
            Cell::text(kind),
            Cell::List(parties),
            Cell::count(demands),
            common,
        ]);
    }
    View::rows(table)
}

/// The common ground among the parties with a stance: an outcome set when two or more
/// have one, otherwise no value, and words for people ("only us", or `—`).
pub fn common_ground_cell(issue: &Issue, ground: &Ground, parties: &[String]) -> Cell {
    match (&ground.common, parties) {
        (Some(common), _) => outcomes::cell(issue, common),
        (None, [one]) => Cell::Note(format!("only {one}")),
        (None, _) => Cell::Note(outcomes::EMPTY.into()),
    }
}
