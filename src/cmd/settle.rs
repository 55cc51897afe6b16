//! `positions settle`: the best packages of outcomes for the selected parties, and what
//! must give in each (SPEC §2.1, §3.1).

use std::path::Path;

use anyhow::Result;
use serde_json::{Map, Value, json};

use super::plan::outcome_text;
use super::{Context, Env, Output};
use crate::cli::SettleArgs;
use crate::corpus::is_valid_id;
use crate::engine::plan::Verdict;
use crate::engine::settle::{self, Package, Settlement, approx};
use crate::model::{IssueKind, PlanOutcome};
use crate::render::html::SettlementCard;
use crate::render::outcomes;
use crate::user_error;
use crate::view::{Block, Cell, Machine, Table, View};

pub const COLUMNS: [&str; 7] = [
    "package",
    "party",
    "satisfaction",
    "met",
    "acceptable",
    "violated",
    "red_lines_crossed",
];

pub fn run<'a>(env: &'a Env, args: &SettleArgs) -> Result<Output<'a>> {
    let ctx = env.context()?;
    let parties = ctx.parties(&args.parties.parties)?;
    let plan_id = args.emit_plan.as_deref().map(plan_id).transpose()?;
    let fixed = args
        .fix
        .iter()
        .map(|(issue, outcome)| fixed(&ctx, issue, outcome))
        .collect::<Result<Vec<_>>>()?;
    let analysis = ctx.analysis(parties);
    let limit = std::time::Duration::from_secs(args.time_limit);
    let settlement =
        settle::settle(&analysis, &fixed, usize::from(args.top), Some(limit)).map_err(|err| match err {
            settle::SettleError::TimeLimit => user_error(
                format!("the search did not finish within {} s", args.time_limit),
                Some("narrow it with --parties or --fix, or give it longer with --time-limit".into()),
            ),
            err => anyhow::anyhow!("{err}"),
        })?;
    let view = view(&ctx, &analysis.parties, &settlement);
    match (&args.emit_plan, plan_id, settlement.packages.first()) {
        (Some(_), _, Some(_)) if settlement.issues.is_empty() => Err(user_error(
            "no issue is in play, so there is no plan to write",
            Some("none of these parties has an active demand on this date; try another --as-of or --parties".into()),
        )),
        (Some(path), Some(id), Some(best)) => {
            let plan = plan_file(&ctx, &id, &analysis.parties, &settlement, best);
            Ok(Output::Also {
                output: Box::new(Output::View(view)),
                files: vec![(path.clone(), plan.into_bytes())],
            })
        }
        (Some(_), _, None) => Err(user_error(
            "no package honours every asserted clash, so there is no plan to write",
            Some("the clashes in relations.yaml cannot all be honoured; `positions settle` without --emit-plan says the same".into()),
        )),
        _ => Ok(Output::View(view)),
    }
}

/// The best package for `parties`, as the HTML report shows it.
pub fn card(ctx: &Context, parties: Vec<usize>) -> Result<SettlementCard> {
    let names: Vec<String> = parties.iter().map(|&p| ctx.corpus.parties[p].name.clone()).collect();
    let analysis = ctx.analysis(parties);
    let limit = Some(std::time::Duration::from_secs(60));
    let settlement = settle::settle(&analysis, &[], 1, limit).map_err(|err| anyhow::anyhow!("{err}"))?;
    let heading = format!("The best package for {}", names.join(", "));
    let Some(best) = settlement.packages.first() else {
        return Ok(SettlementCard {
            heading,
            summary: "No package honours every asserted clash between these parties' demands.".into(),
            tables: Vec::new(),
        });
    };
    let mut tables = vec![
        (
            "Issue by issue".to_string(),
            package_table(ctx, &analysis.parties, &settlement, best),
        ),
        ("Scorecard".to_string(), scorecard(ctx, best)),
    ];
    if !best.crossed.is_empty() {
        tables.push(("What must give".to_string(), must_give(ctx, best)));
    }
    Ok(SettlementCard {
        heading,
        summary: summary_line(&settlement, best, ctx),
        tables,
    })
}

/// The plan id an emitted plan file takes: its file name without `.yaml`.
fn plan_id(path: &Path) -> Result<String> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    if !yaml || !is_valid_id(&stem) {
        return Err(user_error(
            format!("cannot name a plan after {}", path.display()),
            Some("the file name is the plan's id: lowercase kebab-case with .yaml, e.g. best-package.yaml".into()),
        ));
    }
    Ok(stem)
}

/// `--fix ISSUE=OUTCOME`: an issue and an option id, or a number on its scale.
fn fixed(ctx: &Context, issue_id: &str, outcome: &str) -> Result<(usize, PlanOutcome)> {
    let index = ctx.issue(issue_id)?;
    let issue = &ctx.corpus.issues[index];
    match &issue.kind {
        IssueKind::Options(options) => match options.iter().position(|o| o.id == outcome) {
            Some(option) => Ok((index, PlanOutcome::Option(option))),
            None => {
                let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                Err(user_error(
                    format!("issue `{issue_id}` has no option `{outcome}`"),
                    Some(match crate::suggest::closest(outcome, ids.iter().copied()) {
                        Some(close) => format!(
                            "did you mean `{close}`? Its options: {}",
                            crate::suggest::list(ids.iter().copied())
                        ),
                        None => format!("its options: {}", crate::suggest::list(ids.iter().copied())),
                    }),
                ))
            }
        },
        IssueKind::Scale(scale) => match outcome.replace(['_', ','], "").parse::<f64>() {
            Ok(value) if value.is_finite() && scale.min <= value && value <= scale.max => {
                Ok((index, PlanOutcome::Value(value)))
            }
            _ => Err(user_error(
                format!("`{outcome}` is not a number on the scale of `{issue_id}`"),
                Some(format!(
                    "give a number of {} from {} to {}",
                    scale.unit,
                    outcomes::number(scale.min),
                    outcomes::number(scale.max)
                )),
            )),
        },
    }
}

/// An outcome as a table shows it: an option's label, or a number with its unit.
fn shown(ctx: &Context, issue: usize, outcome: PlanOutcome) -> String {
    match (outcome, &ctx.corpus.issues[issue].kind) {
        (PlanOutcome::Value(value), IssueKind::Scale(scale)) => format!("{} {}", outcomes::grouped(value), scale.unit),
        (PlanOutcome::Option(index), IssueKind::Options(options)) => options[index].label.clone(),
        _ => outcome_text(ctx, issue, outcome),
    }
}

/// A satisfaction with four decimals, as the contract writes it.
fn four(value: f64) -> String {
    format!("{value:.4}")
}

/// A satisfaction rounded to four decimals, as a JSON number.
fn four_json(value: f64) -> Value {
    let rounded = (value * 10_000.0).round() / 10_000.0;
    serde_json::Number::from_f64(rounded).map_or(Value::Null, Value::Number)
}

fn view(ctx: &Context, parties: &[usize], settlement: &Settlement) -> View {
    let party_ids: Vec<&str> = parties.iter().map(|&p| ctx.corpus.parties[p].id.as_str()).collect();
    let mut rows = Table::new(&COLUMNS);
    let mut json = Vec::new();
    for package in &settlement.packages {
        for score in &package.scores {
            let mut row = vec![Cell::count(package.rank)];
            row.extend(score_cells(ctx, score));
            rows.push(row);
        }
        json.push(package_json(ctx, settlement, package));
    }

    let mut human = vec![Block::Heading(format!(
        "Best package for {}, as of {}",
        party_ids.join(", "),
        ctx.date
    ))];
    let Some(best) = settlement.packages.first() else {
        human.push(Block::Text(
            "No package honours every asserted clash between these parties' demands (relations.yaml): \
             each clash asks that one of its two demands be violated, and here that cannot be done for all of them at once."
                .into(),
        ));
        if !settlement.unhonourable.is_empty() {
            human.push(Block::Heading(format!(
                "{} that no outcome can honour: neither demand is violated by any outcome on its issue",
                plural(settlement.unhonourable.len(), "clash", "clashes")
            )));
            human.push(Block::Table(unhonourable(ctx, settlement)));
        }
        return View {
            human,
            machine: Machine::Record {
                json: Value::Array(json),
                rows,
            },
        };
    };
    human.push(Block::Text(summary_line(settlement, best, ctx)));
    human.push(Block::Table(package_table(ctx, parties, settlement, best)));
    human.push(Block::Heading("Scorecard".into()));
    human.push(Block::Table(scorecard(ctx, best)));
    human.push(Block::Heading("What must give".into()));
    if best.crossed.is_empty() {
        human.push(Block::Text("Nothing: this package crosses no party's red line.".into()));
    } else {
        human.extend(must_give_records(ctx, best));
    }
    if settlement.packages.len() > 1 {
        human.push(Block::Heading("Alternatives".into()));
        human.push(Block::Table(alternatives(ctx, settlement, best)));
    }
    human.push(Block::Text(
        "Satisfaction: each demand in play scores met 2, acceptable 1, violated 0, weighted red-line 4, high 3, \
         medium 2, low 1, over the party's best possible score. Packages rank by fewest red lines crossed, then the \
         worst-off party, then the sum. The weights are a convention; satisfaction is not a forecast."
            .into(),
    ));
    View {
        human,
        machine: Machine::Record {
            json: Value::Array(json),
            rows,
        },
    }
}

fn summary_line(settlement: &Settlement, best: &Package, ctx: &Context) -> String {
    let issues = settlement.issues.len();
    let red = best.red_lines_crossed;
    let worst = best
        .scores
        .iter()
        .min_by(|a, b| a.satisfaction.cmp(&b.satisfaction))
        .map(|s| {
            format!(
                "; worst off: {} at {}",
                ctx.corpus.parties[s.party].id,
                four(approx(&s.satisfaction))
            )
        })
        .unwrap_or_default();
    format!(
        "{issues} {} in play; {red} red {} crossed{worst}; total satisfaction {}.",
        if issues == 1 { "issue" } else { "issues" },
        if red == 1 { "line" } else { "lines" },
        four(approx(&best.total_satisfaction)),
    )
}

/// The best package issue by issue, with each party's verdict.
fn package_table(ctx: &Context, parties: &[usize], settlement: &Settlement, best: &Package) -> Table {
    let mut columns = vec!["issue", "outcome"];
    columns.extend(parties.iter().map(|&p| ctx.corpus.parties[p].id.as_str()));
    let mut table = Table::new(&columns);
    for (slot, &issue) in settlement.issues.iter().enumerate() {
        let mut row = vec![
            Cell::text(&ctx.corpus.issues[issue].id),
            Cell::text(shown(ctx, issue, best.outcomes[slot])),
        ];
        for &party in parties {
            let mine: Vec<(usize, Verdict)> = best
                .verdicts
                .iter()
                .copied()
                .filter(|&(d, _)| {
                    let demand = ctx.demand_ref(d);
                    demand.party == party && demand.issue == issue
                })
                .collect();
            row.push(Cell::text(verdict_cell(ctx, &mine)));
        }
        table.push(row);
    }
    table
}

/// A party's verdict on an issue: its worst demand's, marked when a red line is crossed.
fn verdict_cell(ctx: &Context, mine: &[(usize, Verdict)]) -> String {
    if mine.is_empty() {
        return "—".into();
    }
    let rank = |v: Verdict| match v {
        Verdict::Met => 2,
        Verdict::Acceptable => 1,
        _ => 0,
    };
    let worst = mine
        .iter()
        .map(|&(_, v)| v)
        .min_by_key(|&v| rank(v))
        .unwrap_or(Verdict::Met);
    let red = mine
        .iter()
        .any(|&(d, v)| v == Verdict::Violated && ctx.demand_ref(d).is_red_line());
    let text = if red { "RED LINE" } else { worst.as_str() };
    if mine.len() > 1 && mine.iter().any(|&(_, v)| v != worst) {
        format!("{text} (worst of {})", mine.len())
    } else {
        text.to_string()
    }
}

fn scorecard(ctx: &Context, package: &Package) -> Table {
    let mut table = Table::new(&[
        "party",
        "satisfaction",
        "met",
        "acceptable",
        "violated",
        "red lines crossed",
    ]);
    for score in &package.scores {
        table.push(score_cells(ctx, score));
    }
    table
}

/// A party's scorecard: its id, satisfaction, verdict counts and red lines crossed.
fn score_cells(ctx: &Context, score: &settle::PartyScore) -> Vec<Cell> {
    vec![
        Cell::text(&ctx.corpus.parties[score.party].id),
        Cell::text(four(approx(&score.satisfaction))),
        Cell::count(score.met),
        Cell::count(score.acceptable),
        Cell::count(score.violated),
        Cell::List(score.red_lines.iter().map(|&d| ctx.demand_ref(d).id.clone()).collect()),
    ]
}

/// Every red line the package crosses: who, when, in what words, and where the party has
/// signalled before that it could live with the outcome.
fn must_give(ctx: &Context, package: &Package) -> Table {
    let mut table = Table::new(&[
        "party",
        "red line",
        "stated",
        "outcome",
        "in their words",
        "source",
        "precedents",
    ]);
    for crossed in &package.crossed {
        let demand = ctx.demand_ref(crossed.demand);
        let source = demand
            .sources
            .iter()
            .find(|s| s.quote.is_some())
            .or(demand.sources.first());
        let words = source
            .and_then(|s| s.quote.clone())
            .map_or_else(|| demand.title.clone(), |q| format!("“{q}”"));
        let cited = source
            .map(|s| {
                let mut text = format!("{}, {}: {}", s.by, s.date, s.title);
                if let Some(url) = &s.url {
                    text.push_str(&format!(" <{url}>"));
                }
                text
            })
            .unwrap_or_default();
        let precedents: Vec<String> = crossed
            .precedents
            .iter()
            .map(|&p| {
                let d = ctx.demand_ref(p);
                let until = d.until.map(|u| format!(", until {u}")).unwrap_or_default();
                format!("{} (stated {}{until})", d.id, d.stated)
            })
            .collect();
        table.push(vec![
            Cell::text(ctx.party_id(crossed.demand)),
            Cell::text(format!("{}: {}", demand.id, demand.title)),
            Cell::text(demand.stated.to_string()),
            Cell::text(shown(ctx, demand.issue, crossed.outcome)),
            Cell::text(words),
            Cell::text(cited),
            if precedents.is_empty() {
                Cell::text(outcomes::EMPTY)
            } else {
                Cell::List(precedents)
            },
        ]);
    }
    table
}

/// The asserted clashes that no package can honour, each with its two demands (at most
/// [`UNHONOURABLE_SHOWN`], then a count of the rest).
fn unhonourable(ctx: &Context, settlement: &Settlement) -> Table {
    let mut table = Table::new(&["relation", "demand", "party", "issue", "against", "party", "issue"]);
    for &k in settlement.unhonourable.iter().take(UNHONOURABLE_SHOWN) {
        let relation = &ctx.corpus.relations[k];
        let [a, b] = relation.between;
        let (da, db) = (ctx.demand_ref(a), ctx.demand_ref(b));
        table.push(vec![
            Cell::Relation(relation.kind),
            Cell::text(da.id.clone()),
            Cell::text(ctx.party_id(a)),
            Cell::text(ctx.corpus.issues[da.issue].id.clone()),
            Cell::text(db.id.clone()),
            Cell::text(ctx.party_id(b)),
            Cell::text(ctx.corpus.issues[db.issue].id.clone()),
        ]);
    }
    let rest = settlement.unhonourable.len().saturating_sub(UNHONOURABLE_SHOWN);
    if rest > 0 {
        let mut row = vec![Cell::Empty; 7];
        row[1] = Cell::text(format!("and {rest} more"));
        table.push(row);
    }
    table
}

const UNHONOURABLE_SHOWN: usize = 20;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "What must give" as one record per red line, which reads on any terminal width: who,
/// since when, in what words, from which source, and the precedents.
fn must_give_records(ctx: &Context, package: &Package) -> Vec<Block> {
    let table = must_give(ctx, package);
    let mut blocks = Vec::new();
    for row in &table.rows {
        let [party, red_line, stated, outcome, words, source, precedents] = row.as_slice() else {
            continue;
        };
        blocks.push(Block::Text(format!("{} · {}", party.plain(", "), red_line.plain(", "))));
        blocks.push(Block::Fields(vec![
            ("stated".into(), stated.clone()),
            ("package".into(), outcome.clone()),
            ("in their words".into(), words.clone()),
            ("source".into(), source.clone()),
            ("precedents".into(), precedents.clone()),
        ]));
    }
    blocks
}

/// Each alternative, summarised by what it changes against the best package.
fn alternatives(ctx: &Context, settlement: &Settlement, best: &Package) -> Table {
    let mut table = Table::new(&[
        "package",
        "red lines",
        "worst off",
        "total",
        "changes against package 1",
    ]);
    for package in settlement.packages.iter().skip(1) {
        let changes: Vec<String> = settlement
            .issues
            .iter()
            .enumerate()
            .filter(|&(slot, _)| package.outcomes[slot] != best.outcomes[slot])
            .map(|(slot, &issue)| {
                format!(
                    "{}: {} → {}",
                    ctx.corpus.issues[issue].id,
                    shown(ctx, issue, best.outcomes[slot]),
                    shown(ctx, issue, package.outcomes[slot])
                )
            })
            .collect();
        table.push(vec![
            Cell::count(package.rank),
            Cell::count(package.red_lines_crossed),
            Cell::text(
                package
                    .min_satisfaction
                    .as_ref()
                    .map(|m| four(approx(m)))
                    .unwrap_or_default(),
            ),
            Cell::text(four(approx(&package.total_satisfaction))),
            Cell::List(changes),
        ]);
    }
    table
}

/// An outcome in JSON: an option id, or a number.
fn outcome_json(ctx: &Context, issue: usize, outcome: PlanOutcome) -> Value {
    match outcome {
        PlanOutcome::Value(v) => serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
        PlanOutcome::Option(_) => Value::String(outcome_text(ctx, issue, outcome)),
    }
}

/// One package as SPEC §3.1's JSON has it.
fn package_json(ctx: &Context, settlement: &Settlement, package: &Package) -> Value {
    let outcomes: Map<String, Value> = settlement
        .issues
        .iter()
        .zip(&package.outcomes)
        .map(|(&issue, &outcome)| (ctx.corpus.issues[issue].id.clone(), outcome_json(ctx, issue, outcome)))
        .collect();
    let parties: Vec<Value> = package
        .scores
        .iter()
        .map(|s| {
            json!({
                "party": ctx.corpus.parties[s.party].id,
                "satisfaction": four_json(approx(&s.satisfaction)),
                "met": s.met,
                "acceptable": s.acceptable,
                "violated": s.violated,
            })
        })
        .collect();
    let crossed: Vec<Value> = package
        .crossed
        .iter()
        .map(|c| {
            let demand = ctx.demand_ref(c.demand);
            let outcome = outcome_json(ctx, demand.issue, c.outcome);
            json!({
                "party": ctx.party_id(c.demand),
                "demand": demand.id,
                "issue": ctx.corpus.issues[demand.issue].id,
                "outcome": outcome,
                "stated": demand.stated.to_string(),
                "precedents": c.precedents.iter().map(|&p| ctx.demand_ref(p).id.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "package": package.rank,
        "red_lines_crossed": package.red_lines_crossed,
        "min_satisfaction": package.min_satisfaction.as_ref().map_or(Value::Null, |m| four_json(approx(m))),
        "total_satisfaction": four_json(approx(&package.total_satisfaction)),
        "outcomes": outcomes,
        "parties": parties,
        "crossed": crossed,
    })
}

/// The best package as a plan file (SPEC §1.4) that `check` accepts and `plan` scores as
/// `settle` did (with the same `--as-of` and `--parties`: the plan is dated on the date
/// of the search, so `--plan-date` scores it the same way too).
fn plan_file(ctx: &Context, id: &str, parties: &[usize], settlement: &Settlement, best: &Package) -> String {
    let names: Vec<&str> = parties.iter().map(|&p| ctx.corpus.parties[p].id.as_str()).collect();
    let mut text = format!(
        "# yaml-language-server: $schema=../schema/plan.json\n\
         # The best package `positions settle` found for {names}, as of {date}: {red} crossed.\n\
         plan:\n  id: {id}\n  title: \"Best package for {names} (positions settle, as of {date})\"\n  date: {date}\n  evidence: inferred\n  sources:\n    - title: \"positions settle --parties {list} over the corpus as of {date}\"\n      by: positions settle\n      date: {date}\noutcomes:\n",
        names = names.join(", "),
        list = names.join(","),
        date = ctx.date,
        red = crate::view::plural(best.red_lines_crossed, "red line", "red lines"),
    );
    for (&issue, &outcome) in settlement.issues.iter().zip(&best.outcomes) {
        let value = outcome_text(ctx, issue, outcome);
        let value = match outcome {
            PlanOutcome::Option(_) => format!("\"{value}\""),
            PlanOutcome::Value(_) => value,
        };
        text.push_str(&format!("  {}: {value}\n", ctx.corpus.issues[issue].id));
    }
    text
}
