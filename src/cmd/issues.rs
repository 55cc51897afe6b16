//! `positions issues`: each issue with the parties that have demands on it and the
//! common ground among them.

use anyhow::Result;

use super::{Context, Env, Output};
use crate::model::IssueKind;
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
        "demands",
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
        table.push(vec![
            Cell::text(&issue.id),
            Cell::text(&issue.title),
            Cell::text(issue.category.as_str()),
            Cell::text(kind),
            Cell::List(parties),
            Cell::count(demands),
            Cell::text(
                ground
                    .common
                    .as_ref()
                    .map(|c| outcomes::machine(issue, c))
                    .unwrap_or_default(),
            ),
        ]);
    }
    View::rows(table)
}
