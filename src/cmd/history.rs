//! `positions history [PARTY...]`: when each demand was stated and withdrawn, oldest first.

use std::collections::HashMap;

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::HistoryArgs;
use crate::date::Date;
use crate::model::Demand;
use crate::render::outcomes;
use crate::view::{Cell, Table, View};

pub const COLUMNS: [&str; 12] = [
    "date",
    "party",
    "event",
    "demand",
    "issue",
    "priority",
    "wants",
    "accepts",
    "replaces",
    "replaced_by",
    "source",
    "url",
];

pub fn run<'a>(env: &'a Env, args: &HistoryArgs) -> Result<Output<'a>> {
    Ok(Output::View(view(
        &env.context()?,
        &args.parties,
        args.issue.as_deref(),
    )?))
}

fn view(ctx: &Context, parties: &[String], issue: Option<&str>) -> Result<View> {
    let parties = ctx.parties(parties)?;
    let issue = issue.map(|id| ctx.issue(id)).transpose()?;
    let demands = &ctx.corpus.demands;
    let selected = |d: &Demand| parties.contains(&d.party) && issue.is_none_or(|i| d.issue == i);

    // (date, withdrawn-before-stated, party position, file position, withdrawn?)
    let mut events = Vec::new();
    for (index, demand) in demands.iter().enumerate().filter(|(_, d)| selected(d)) {
        let party_rank = parties.iter().position(|&p| p == demand.party).unwrap_or(usize::MAX);
        if demand.stated <= ctx.date {
            events.push((demand.stated, 1, party_rank, index, false));
        }
        if let Some(until) = demand.until.filter(|u| *u <= ctx.date) {
            events.push((until, 0, party_rank, index, true));
        }
    }
    events.sort_by_key(|e| (e.0, e.1, e.2, e.3));

    // The same party's demand on the same issue that begins the day another ends (indexed,
    // so that a long history costs no more than its events).
    let mut stated_on: HashMap<(usize, usize, Date), usize> = HashMap::new();
    let mut ended_on: HashMap<(usize, usize, Date), usize> = HashMap::new();
    for (index, d) in demands.iter().enumerate() {
        stated_on.entry((d.party, d.issue, d.stated)).or_insert(index);
        if let Some(until) = d.until {
            ended_on.entry((d.party, d.issue, until)).or_insert(index);
        }
    }
    let successor = |d: &Demand| {
        d.until
            .and_then(|u| stated_on.get(&(d.party, d.issue, u)))
            .map(|&i| &demands[i])
    };
    let predecessor = |d: &Demand| ended_on.get(&(d.party, d.issue, d.stated)).map(|&i| &demands[i]);

    let mut table = Table::new(&COLUMNS);
    for (date, _, _, index, withdrawn) in events {
        let demand = &demands[index];
        let issue = &ctx.corpus.issues[demand.issue];
        // A withdrawal is documented by what replaced it, when anything did.
        let source = if withdrawn {
            successor(demand).and_then(|s| s.sources.first())
        } else {
            demand.sources.first()
        };
        let (source, url) = match source {
            Some(s) => (Some(format!("{}: {} ({})", s.by, s.title, s.date)), s.url.clone()),
            None => (None, None),
        };
        table.push(vec![
            Cell::text(date.to_string()),
            Cell::text(&ctx.corpus.parties[demand.party].id),
            Cell::text(if withdrawn { "withdrawn" } else { "stated" }),
            Cell::text(&demand.id),
            Cell::text(&issue.id),
            Cell::text(demand.priority.as_str()),
            outcomes::cell(issue, &demand.wants),
            outcomes::cell(issue, &demand.accepts),
            Cell::opt(if withdrawn {
                None
            } else {
                predecessor(demand).map(|p| p.id.clone())
            }),
            Cell::opt(if withdrawn {
                successor(demand).map(|s| s.id.clone())
            } else {
                None
            }),
            Cell::opt(source),
            Cell::opt(url),
        ]);
    }
    Ok(View::rows(table))
}
