//! `positions plan PLAN`: score a proposed settlement against every party's demands.

use anyhow::Result;

use super::{Context, Env, Output};
use crate::cli::PlanArgs;
use crate::engine::plan::{self, Verdict};
use crate::model::{IssueKind, Plan, PlanOutcome};
use crate::render::outcomes;
use crate::user_error;
use crate::view::{Block, Cell, Machine, Table, View};

pub const COLUMNS: [&str; 6] = ["party", "demand", "issue", "outcome", "verdict", "priority"];

/// The plan's outcome on one issue, as the CSV contract writes it.
pub fn outcome_text(ctx: &Context, issue: usize, outcome: PlanOutcome) -> String {
    match (outcome, &ctx.corpus.issues[issue].kind) {
        (PlanOutcome::Option(index), IssueKind::Options(options)) => options[index].id.clone(),
        (PlanOutcome::Value(value), _) => outcomes::number(value),
        (PlanOutcome::Option(_), IssueKind::Scale(_)) => String::new(),
    }
}

pub fn find<'c>(ctx: &Context<'c>, name: &str) -> Result<&'c Plan> {
    let stem = std::path::Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A draft named by its path is the plan read from that path, whatever its id.
    let by_path = crate::corpus::layout::looks_like_path(name)
        .then(|| ctx.corpus.plans.iter().position(|p| p.file == name))
        .flatten();
    let by_id = by_path
        .or_else(|| ctx.corpus.plan_by_id(name))
        .or_else(|| ctx.corpus.plan_by_id(&stem));
    by_id.map(|i| &ctx.corpus.plans[i]).ok_or_else(|| {
        let ids: Vec<&str> = ctx.corpus.plans.iter().map(|p| p.id.as_str()).collect();
        let hint = match crate::suggest::hint(name, ids.iter().copied()) {
            Some(close) => close,
            None if ids.is_empty() => "the corpus has no plans; give the path of a plan file".to_string(),
            None => format!("the corpus's plans: {}", crate::suggest::list(ids.iter().copied())),
        };
        user_error(format!("unknown plan `{name}`"), Some(hint))
    })
}

pub fn run<'a>(env: &'a Env, args: &PlanArgs) -> Result<Output<'a>> {
    let ctx = env.context_with_plan(Some(&args.plan))?;
    Ok(Output::View(view(
        &ctx,
        &args.plan,
        &args.parties.parties,
        args.plan_date,
    )?))
}

fn view(ctx: &Context, name: &str, parties: &[String], on_plan_date: bool) -> Result<View> {
    let plan = find(ctx, name)?;
    let dated;
    let ctx = if on_plan_date {
        dated = Context {
            corpus: ctx.corpus,
            date: plan.date,
        };
        &dated
    } else {
        ctx
    };
    let analysis = ctx.analysis(ctx.parties(parties)?);
    let scores = plan::score(&analysis, plan);

    let mut rows = Table::new(&COLUMNS);
    let mut detail = Table::new(&["party", "demand", "issue", "plan", "verdict", "priority"]);
    for score in &scores {
        let demand = ctx.demand_ref(score.demand);
        let issue = &ctx.corpus.issues[demand.issue];
        let outcome = match score.outcome {
            Some(PlanOutcome::Value(v)) => Cell::Number(v),
            Some(o) => Cell::text(outcome_text(ctx, demand.issue, o)),
            None => Cell::Empty,
        };
        let verdict = match (score.verdict, demand.is_red_line()) {
            (Verdict::Violated, true) => "violated (red line)".to_string(),
            (v, _) => v.as_str().to_string(),
        };
        rows.push(vec![
            Cell::text(ctx.party_id(score.demand)),
            Cell::text(&demand.id),
            Cell::text(&issue.id),
            outcome,
            Cell::text(score.verdict.as_str()),
            Cell::text(demand.priority.as_str()),
        ]);
        if score.verdict != Verdict::Unaddressed {
            let shown = match (score.outcome, &issue.kind) {
                (Some(PlanOutcome::Value(v)), IssueKind::Scale(scale)) => {
                    format!("{} {}", outcomes::grouped(v), scale.unit)
                }
                (Some(PlanOutcome::Option(i)), IssueKind::Options(options)) => options[i].label.clone(),
                _ => outcomes::EMPTY.to_string(),
            };
            detail.push(vec![
                Cell::text(ctx.party_id(score.demand)),
                Cell::text(&demand.id),
                Cell::text(&issue.id),
                Cell::text(shown),
                Cell::text(verdict),
                Cell::text(demand.priority.as_str()),
            ]);
        }
    }

    let mut summary = Table::new(&[
        "party",
        "met",
        "acceptable",
        "violated",
        "red lines crossed",
        "unaddressed",
    ]);
    for &party in &analysis.parties {
        let t = plan::tally(&analysis, &scores, party);
        summary.push(vec![
            Cell::text(&ctx.corpus.parties[party].id),
            Cell::count(t.met),
            Cell::count(t.acceptable),
            Cell::count(t.violated),
            Cell::count(t.red_lines_crossed),
            Cell::count(t.unaddressed),
        ]);
    }
    let mut unaddressed: Vec<String> = Vec::new();
    for score in scores.iter().filter(|s| s.verdict == Verdict::Unaddressed) {
        let issue = &ctx.corpus.issues[ctx.demand_ref(score.demand).issue].id;
        if !unaddressed.contains(issue) {
            unaddressed.push(issue.clone());
        }
    }

    let mut sources = Table::new(&["date", "by", "title", "url"]);
    for source in &plan.sources {
        sources.push(vec![
            Cell::text(source.date.to_string()),
            Cell::text(&source.by),
            Cell::text(&source.title),
            Cell::opt(source.url.clone()),
        ]);
    }
    let human = vec![
        Block::Heading(format!("{} ({}), scored as of {}", plan.title, plan.id, ctx.date)),
        Block::Fields(vec![
            ("dated".into(), Cell::text(plan.date.to_string())),
            ("evidence".into(), Cell::text(plan.evidence.as_str())),
            (
                "covers".into(),
                Cell::text(format!(
                    "{} of {}",
                    plan.outcomes.len(),
                    crate::view::plural(ctx.corpus.issues.len(), "issue", "issues")
                )),
            ),
        ]),
        Block::Table(sources),
        Block::Heading("Summary".into()),
        Block::Table(summary),
        Block::Heading("Demands on the issues the plan settles".into()),
        Block::Table(detail),
        Block::Heading("Left open".into()),
        Block::Fields(vec![("issues".into(), Cell::List(unaddressed))]),
    ];
    Ok(View {
        human,
        machine: Machine::Rows(rows),
    })
}
