//! `positions demands [PARTY...]`: the demands of the named parties (all by default).

use anyhow::Result;
use regex::RegexBuilder;

use super::{Context, Env, Output};
use crate::cli::DemandsArgs;
use crate::model::Priority;
use crate::render::outcomes;
use crate::usage_error;
use crate::view::{Cell, Table, View};

pub fn run<'a>(env: &'a Env, args: &DemandsArgs) -> Result<Output<'a>> {
    Ok(Output::View(view(&env.context()?, args)?))
}

fn view(ctx: &Context, args: &DemandsArgs) -> Result<View> {
    let parties = ctx.parties(&args.parties)?;
    let issue = args.issue.as_deref().map(|id| ctx.issue(id)).transpose()?;
    let priority = args.priority.map(Priority::from);
    let pattern = args
        .pattern
        .as_deref()
        .map(|p| {
            RegexBuilder::new(p).size_limit(1 << 20).build().map_err(|e| {
                // The parser's message draws the pattern and a caret over lines; its
                // last line says what is wrong.
                let text = e.to_string();
                let why = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or(&text);
                let why = why.trim().trim_start_matches("error: ");
                usage_error(format!("invalid --match pattern `{p}`: {why}"), None)
            })
        })
        .transpose()?;

    let mut table = Table::new(&[
        "party", "demand", "issue", "priority", "wants", "accepts", "stated", "until", "evidence", "title",
    ]);
    for &party in &parties {
        for demand in ctx.corpus.demands.iter().filter(|d| d.party == party) {
            let keep = (args.all || demand.is_active_on(ctx.date))
                && issue.is_none_or(|i| demand.issue == i)
                && priority.is_none_or(|p| demand.priority == p)
                && pattern.as_ref().is_none_or(|re| {
                    re.is_match(&demand.id)
                        || re.is_match(&demand.title)
                        || demand.summary.as_deref().is_some_and(|s| re.is_match(s))
                });
            if !keep {
                continue;
            }
            let issue_def = &ctx.corpus.issues[demand.issue];
            table.push(vec![
                Cell::text(&ctx.corpus.parties[party].id),
                Cell::text(&demand.id),
                Cell::text(&issue_def.id),
                Cell::text(demand.priority.as_str()),
                outcomes::cell(issue_def, &demand.wants),
                outcomes::cell(issue_def, &demand.accepts),
                Cell::text(demand.stated.to_string()),
                Cell::opt(demand.until.map(|d| d.to_string())),
                Cell::text(demand.evidence.as_str()),
                Cell::text(&demand.title),
            ]);
        }
    }
    Ok(View::rows(table))
}
