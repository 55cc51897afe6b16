//! An independent test oracle for `positions plan`.
//!
//! It shares no code with `src/`: the random corpora come from `tests/common` (the
//! generator of `tests/oracle.rs`), the plans and the expected scores from this file,
//! written from SPEC §1.4, §2, §3.1 and §4 alone.  The binary's CSV is compared byte for
//! byte, CRLF record ends included.
//!
//! Conventions tested (the implementer's, documented in the README): rows for the issues
//! the plan settles first, by party (alphabetical by id unless `--parties` gives the
//! order and the subset), then by the demand's position in its file; then, in the same
//! order, one `unaddressed` row with an empty outcome for each active demand on an issue
//! the plan leaves open.  A number is written as Rust's `{}` writes an `f64` (`5`, not
//! `5.0`).  Invalid plans are located at the key for an unknown issue and at the value for
//! an unknown option or a number outside the scale.
//!
//! Environment knobs, for reproducing a failure:
//! * `ORACLE_SEED=<n>`    check only that seed;
//! * `ORACLE_CORPORA=<n>` number of random corpora (default 100, three cases each).

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------
// Plans: model and generator
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum PlanValue {
    /// An option index into the issue's options; `quoted` writes it as `"id"`.
    Option { index: usize, quoted: bool },
    /// A number on a scale issue, and its YAML text (`5`, `5.0`, `-2.5`).
    Number { value: f64, text: String },
    /// A deliberately invalid entry, written as is (see `inject_defect`).
    Raw(String),
}

#[derive(Clone)]
struct Plan {
    id: String,
    title: String,
    date: Date,
    evidence: Option<&'static str>,
    /// Number of sources (0 writes `sources: []`, a warning only).
    sources: usize,
    /// (issue id, value) in the order written to the YAML (deliberately not issues.yaml
    /// order).  The issue id is a string so that an unknown one can be written.
    outcomes: Vec<(String, PlanValue)>,
    /// `outcomes:` before `plan:` in the file.
    outcomes_first: bool,
}

/// Plans draw from their own random streams, so the corpus of a seed is exactly the one
/// `tests/oracle.rs` checks.
const PLAN_SALT: u64 = 0x005E_ED0F_91A4;
const INVALID_SALT: u64 = 0x0BAD_91A4;

const PLAN_IDS: &[&str] = &["framework", "deal-2", "deal-10", "a-plan", "ceasefire-draft", "x"];

/// A number inside the scale: a grid point of the generator (so exactly a demand's range
/// bound, often) or the midpoint between two of them (a fraction no demand names).
fn scale_value(rng: &mut Rng, min: f64, max: f64, step: f64) -> f64 {
    let n = ((max - min) / step).round() as usize;
    let half = step / 2.0;
    min + rng.between(0, 2 * n) as f64 * half
}

/// The YAML text of a number: `{}` mostly, `5.0` for some integers.
fn number_text(rng: &mut Rng, v: f64) -> String {
    if v.fract() == 0.0 && rng.chance(25) {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

/// A value for issue `ii`; on a scale, a third of the time exactly a bound of some
/// demand's `wants` or `accepts` (ranges are closed).
fn gen_value(rng: &mut Rng, c: &Corpus, ii: usize) -> PlanValue {
    let issue = &c.issues[ii];
    match &issue.kind {
        IssueKind::Options(names) => PlanValue::Option {
            index: rng.below(names.len()),
            quoted: rng.chance(15),
        },
        IssueKind::Scale { min, max, step, .. } => {
            let bounds: Vec<f64> = c
                .parties
                .iter()
                .flat_map(|p| &p.demands)
                .filter(|d| d.issue == ii)
                .flat_map(|d| {
                    let (w, a) = (d.wants.interval((*min, *max)), d.accepts().interval((*min, *max)));
                    [w.0, w.1, a.0, a.1]
                })
                .collect();
            let value = if !bounds.is_empty() && rng.chance(33) {
                rng.pick(&bounds)
            } else {
                scale_value(rng, *min, *max, *step)
            };
            PlanValue::Number {
                value,
                text: number_text(rng, value),
            }
        }
    }
}

/// Plan dates: half the time a demand's stated/until date, to hit the activity boundary
/// with `--plan-date`.
fn gen_plan(rng: &mut Rng, c: &Corpus, id: &str) -> Plan {
    let mut issues: Vec<usize> = (0..c.issues.len()).collect();
    rng.shuffle(&mut issues);
    issues.truncate(rng.between(1, c.issues.len()));
    let outcomes = issues
        .iter()
        .map(|&i| (c.issues[i].id.clone(), gen_value(rng, c, i)))
        .collect();
    let date = if rng.chance(50) {
        rng.pick(&c.all_dates())
    } else {
        Date::new(
            rng.between(2015, 2025) as i32,
            rng.between(1, 12) as u32,
            rng.between(1, 28) as u32,
        )
    };
    Plan {
        id: id.to_string(),
        title: format!("Plan {id}: \"peace\", now"),
        date,
        evidence: rng.chance(70).then(|| rng.pick(&["official", "reported", "inferred"])),
        sources: if rng.chance(10) { 0 } else { rng.between(1, 2) },
        outcomes,
        outcomes_first: rng.chance(20),
    }
}

fn gen_plans(rng: &mut Rng, c: &Corpus) -> Vec<Plan> {
    let mut ids = PLAN_IDS.to_vec();
    rng.shuffle(&mut ids);
    ids[..rng.between(1, 3)].iter().map(|id| gen_plan(rng, c, id)).collect()
}

/// Where an outcome entry sits in the plan file: 1-based line, key column, value column.
#[derive(Clone, Copy, Debug)]
struct Spot {
    line: usize,
    key_col: usize,
    value_col: usize,
}

/// The plan's YAML, and the position of each outcome entry (in `plan.outcomes` order).
fn plan_yaml(c: &Corpus, plan: &Plan) -> (String, Vec<Spot>) {
    let mut head = String::new();
    writeln!(
        head,
        "plan:\n  id: {}\n  title: {}\n  date: {}",
        plan.id,
        q(&plan.title),
        plan.date
    )
    .unwrap();
    if let Some(e) = plan.evidence {
        writeln!(head, "  evidence: {e}").unwrap();
    }
    if plan.sources == 0 {
        head.push_str("  sources: []\n");
    } else {
        head.push_str("  sources:\n");
        for k in 1..=plan.sources {
            writeln!(
                head,
                "    - title: {}\n      by: {}\n      date: {}\n      url: https://example.org/plans/{}/{k}",
                q(&format!("Draft {k} of {}", plan.id)),
                q("Mediation office"),
                plan.date,
                plan.id
            )
            .unwrap();
        }
    }

    let mut out = String::from("# generated by tests/plan_oracle.rs\n");
    if !plan.outcomes_first {
        out.push_str(&head);
    }
    out.push_str("outcomes:\n");
    let mut spots = Vec::new();
    for (issue_id, value) in &plan.outcomes {
        let text = match value {
            PlanValue::Option { index, quoted } => {
                let issue = c.issues.iter().find(|i| &i.id == issue_id).expect("known issue");
                let IssueKind::Options(names) = &issue.kind else {
                    unreachable!("option on a scale")
                };
                if *quoted {
                    q(&names[*index])
                } else {
                    names[*index].clone()
                }
            }
            PlanValue::Number { text, .. } | PlanValue::Raw(text) => text.clone(),
        };
        spots.push(Spot {
            line: out.lines().count() + 1,
            key_col: 3,
            value_col: 3 + issue_id.len() + 2,
        });
        writeln!(out, "  {issue_id}: {text}").unwrap();
    }
    if plan.outcomes_first {
        out.push_str(&head);
    }
    (out, spots)
}

fn write_plans(c: &Corpus, plans: &[Plan], dir: &Path) {
    fs::create_dir_all(dir.join("plans")).unwrap();
    for p in plans {
        fs::write(dir.join("plans").join(format!("{}.yaml", p.id)), plan_yaml(c, p).0).unwrap();
    }
}

// ---------------------------------------------------------------------------
// The oracle: SPEC §1.4, §2, §3.1, §4
// ---------------------------------------------------------------------------

const HEADER: &str = "party,demand,issue,outcome,verdict,priority";
const VERDICTS: [&str; 4] = ["met", "acceptable", "violated", "unaddressed"];

#[derive(Clone, Debug, PartialEq)]
struct PlanRow {
    party: String,
    demand: String,
    issue: String,
    outcome: String,
    verdict: &'static str,
    priority: String,
}

/// Is the plan's value among these outcomes of the demand?
fn contains(o: &Outcomes, issue: &Issue, value: &PlanValue) -> bool {
    match value {
        PlanValue::Option { index, .. } => o.option_set().contains(index),
        PlanValue::Number { value, .. } => {
            let (lo, hi) = o.interval(issue.scale_bounds());
            lo <= *value && *value <= hi
        }
        PlanValue::Raw(_) => unreachable!("invalid plans are not scored"),
    }
}

fn outcome_text(issue: &Issue, value: &PlanValue) -> String {
    match (value, &issue.kind) {
        (PlanValue::Option { index, .. }, IssueKind::Options(names)) => names[*index].clone(),
        (PlanValue::Number { value, .. }, IssueKind::Scale { .. }) => format!("{value}"),
        _ => unreachable!("value does not fit its issue"),
    }
}

fn oracle_rows(c: &Corpus, plan: &Plan, as_of: Date, order: &[usize]) -> Vec<PlanRow> {
    let settled: BTreeMap<&str, &PlanValue> = plan.outcomes.iter().map(|(i, v)| (i.as_str(), v)).collect();
    let mut covered = Vec::new();
    let mut open = Vec::new();
    for &pi in order {
        let p = &c.parties[pi];
        for d in p.demands.iter().filter(|d| d.active(as_of)) {
            let issue = &c.issues[d.issue];
            let mut row = PlanRow {
                party: p.id.clone(),
                demand: d.id.clone(),
                issue: issue.id.clone(),
                outcome: String::new(),
                verdict: "unaddressed",
                priority: d.priority.to_string(),
            };
            match settled.get(issue.id.as_str()) {
                Some(value) => {
                    row.outcome = outcome_text(issue, value);
                    row.verdict = if contains(&d.wants, issue, value) {
                        "met"
                    } else if contains(d.accepts(), issue, value) {
                        "acceptable"
                    } else {
                        "violated"
                    };
                    covered.push(row);
                }
                None => open.push(row),
            }
        }
    }
    covered.extend(open);
    covered
}

fn rows_csv(rows: &[PlanRow]) -> String {
    let mut out = format!("{HEADER}{EOL}");
    for r in rows {
        csv_line(
            &mut out,
            &[&r.party, &r.demand, &r.issue, &r.outcome, r.verdict, &r.priority],
        );
    }
    out
}

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[String]) -> Output {
    let mut cmd = crate::support::positions();
    let out = cmd.args(args).output().expect("cannot run positions");
    Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// When to score: `--as-of DATE`, or `--plan-date`.
#[derive(Clone, Copy, Debug)]
enum When {
    AsOf(Date),
    PlanDate,
}

/// `positions --corpus DIR [--as-of DATE] plan PLAN [--plan-date] [--parties P] --format F`
fn plan_args(dir: &Path, when: When, plan: &str, parties: Option<&str>, format: &str) -> Vec<String> {
    let mut args = vec!["--corpus".to_string(), dir.display().to_string()];
    if let When::AsOf(d) = when {
        args.extend(["--as-of".to_string(), d.to_string()]);
    }
    args.extend(["plan".to_string(), plan.to_string()]);
    if let When::PlanDate = when {
        args.push("--plan-date".into());
    }
    if let Some(p) = parties {
        args.extend(["--parties".to_string(), p.to_string()]);
    }
    args.extend(["--format".to_string(), format.to_string()]);
    args
}

/// The parties for `--parties`: a random non-empty subset in random order, each named by
/// id or alias in random case; `None` (all parties, alphabetical) half the time.
fn random_parties(c: &Corpus, rng: &mut Rng) -> Selection {
    if rng.chance(50) {
        return default_selection(c);
    }
    random_subset(c, rng, 1)
}

// ---------------------------------------------------------------------------
// Properties of the binary's CSV and its summary
// ---------------------------------------------------------------------------

/// Per party: [met, acceptable, violated, red lines crossed, unaddressed].
type Tally = BTreeMap<String, [usize; 5]>;

/// Checks the shape of every row and tallies them; `Err` describes a malformed output.
fn tally_csv(csv: &str) -> Result<Tally, String> {
    let recs = parse_csv(csv);
    if recs.first().map(|r| r.join(",")) != Some(HEADER.to_string()) {
        return Err(format!("bad header in\n{csv}"));
    }
    let mut tally = Tally::new();
    for r in &recs[1..] {
        if r.len() != 6 {
            return Err(format!("row with {} fields: {r:?}", r.len()));
        }
        let k = VERDICTS
            .iter()
            .position(|v| *v == r[4])
            .ok_or_else(|| format!("bad verdict in {r:?}"))?;
        if (k == 3) != r[3].is_empty() {
            return Err(format!("outcome must be empty exactly when unaddressed: {r:?}"));
        }
        let t = tally.entry(r[0].clone()).or_default();
        t[[0, 1, 2, 4][k]] += 1;
        if k == 2 && r[5] == "red-line" {
            t[3] += 1;
        }
    }
    Ok(tally)
}

/// The `## Summary` pipe table of `--format markdown`:
/// `| party | met | acceptable | violated | red lines crossed | unaddressed |`.
fn markdown_summary(md: &str) -> Result<Tally, String> {
    let mut lines = md.lines().skip_while(|l| l.trim() != "## Summary").skip(1);
    let header = lines.find(|l| l.starts_with('|')).ok_or("no summary table")?;
    let cols: Vec<&str> = header.trim_matches('|').split('|').map(str::trim).collect();
    if cols
        != [
            "party",
            "met",
            "acceptable",
            "violated",
            "red lines crossed",
            "unaddressed",
        ]
    {
        return Err(format!("summary columns {cols:?}"));
    }
    let mut tally = Tally::new();
    for l in lines.skip(1).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
        let n = |k: usize| cells[k].parse::<usize>().map_err(|_| format!("count in {l:?}"));
        tally.insert(cells[0].to_string(), [n(1)?, n(2)?, n(3)?, n(4)?, n(5)?]);
    }
    Ok(tally)
}

/// Summary properties of one scoring, from the binary's own CSV: every selected party's
/// rows add up to its active demands on the date, and the Markdown summary counts what the
/// CSV lists (parties without rows may be absent from it or all zero).
fn check_summary(c: &Corpus, order: &[usize], date: Date, csv: &str, markdown: &str) -> Result<(), String> {
    let csv_tally = tally_csv(csv)?;
    for &pi in order {
        let p = &c.parties[pi];
        let active = p.demands.iter().filter(|d| d.active(date)).count();
        let t = csv_tally.get(&p.id).copied().unwrap_or_default();
        let sum = t[0] + t[1] + t[2] + t[4];
        if sum != active {
            return Err(format!(
                "{}: met+acceptable+violated+unaddressed = {sum} rows, but {active} active demands on {date}",
                p.id
            ));
        }
    }
    let selected: BTreeSet<&str> = order.iter().map(|&i| c.parties[i].id.as_str()).collect();
    if let Some(p) = csv_tally.keys().find(|p| !selected.contains(p.as_str())) {
        return Err(format!("rows for unselected party {p}"));
    }
    let md = markdown_summary(markdown)?;
    for (p, counts) in &md {
        if !selected.contains(p.as_str()) {
            return Err(format!("summary row for unselected party {p}"));
        }
        let want = csv_tally.get(p).copied().unwrap_or_default();
        if *counts != want {
            return Err(format!(
                "summary of {p} says [met, acceptable, violated, red lines crossed, unaddressed] = \
                 {counts:?}, the CSV {want:?}"
            ));
        }
    }
    if let Some(p) = csv_tally.keys().find(|p| !md.contains_key(*p)) {
        return Err(format!("party {p} has rows but no summary row"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// (a) Random corpora and plans against the oracle
// ---------------------------------------------------------------------------

fn env_seeds(default: u64) -> Vec<u64> {
    match env_u64("ORACLE_SEED") {
        Some(s) => vec![s],
        None => (0..env_u64("ORACLE_CORPORA").unwrap_or(default)).collect(),
    }
}

/// Runs `f` over the seeds on a few threads; the results in seed order.
fn parallel<T: Send>(seeds: &[u64], f: impl Fn(u64) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get()).clamp(1, 8);
    let mut results: Vec<(u64, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let f = &f;
                s.spawn(move || {
                    seeds
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|&seed| (seed, f(seed)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    results.sort_by_key(|r| r.0);
    results.into_iter().map(|r| r.1).collect()
}

struct CaseCount {
    runs: usize,
    failure: Option<String>,
}

/// Three scorings of one random corpus: on a random day (sometimes before or after every
/// date), on a stated/until boundary, and with `--plan-date`; each with a random plan of
/// the corpus, named by id or (sometimes) by path, and a random `--parties`.
fn check_random_corpus(seed: u64) -> CaseCount {
    let c = gen_corpus(seed);
    let mut rng = Rng::new(seed ^ PLAN_SALT);
    let plans = gen_plans(&mut rng, &c);
    let tmp = tempfile::tempdir().unwrap();
    write_corpus(&c, tmp.path());
    write_plans(&c, &plans, tmp.path());
    let outside = tempfile::tempdir().unwrap();

    let mid = match rng.below(8) {
        0 => BEFORE_ALL,
        1 => AFTER_ALL,
        _ => Date::new(
            rng.between(2015, 2025) as i32,
            rng.between(1, 12) as u32,
            rng.between(1, 28) as u32,
        ),
    };
    let cases = [When::AsOf(mid), When::AsOf(rng.pick(&c.all_dates())), When::PlanDate];
    let summary_case = rng.below(cases.len());
    let mut count = CaseCount { runs: 0, failure: None };
    for (k, when) in cases.into_iter().enumerate() {
        let plan = &plans[rng.below(plans.len())];
        let sel = random_parties(&c, &mut rng);
        // A plan by path: the corpus's own file, or a copy outside the corpus of a plan
        // the corpus does not have (under another id, so as not to duplicate one).
        let name = match rng.below(6) {
            0 => tmp
                .path()
                .join("plans")
                .join(format!("{}.yaml", plan.id))
                .display()
                .to_string(),
            1 => {
                let path = outside.path().join("outside-plan.yaml");
                let copy = Plan {
                    id: "outside-plan".into(),
                    ..plan.clone()
                };
                fs::write(&path, plan_yaml(&c, &copy).0).unwrap();
                path.display().to_string()
            }
            _ => plan.id.clone(),
        };
        let date = match when {
            When::AsOf(d) => d,
            When::PlanDate => plan.date,
        };
        let expected = rows_csv(&oracle_rows(&c, plan, date, &sel.order));
        let args = plan_args(tmp.path(), when, &name, sel.arg.as_deref(), "csv");
        let out = run(&args);
        count.runs += 1;
        let report = |what: String| {
            format!(
                "seed {seed} (rerun with ORACLE_SEED={seed}): {what}\n--- corpus ---\n{}",
                corpus_listing(tmp.path())
            )
        };
        if out.code != Some(0) {
            count.failure = Some(report(format!(
                "`positions {}` exited with {:?}\n--- stderr ---\n{}",
                args.join(" "),
                out.code,
                out.stderr
            )));
            break;
        }
        if out.stdout != expected {
            count.failure = Some(mismatch(Some(seed), tmp.path(), &args, &expected, &out.stdout));
            break;
        }
        if k == summary_case {
            let md_args = plan_args(tmp.path(), when, &name, sel.arg.as_deref(), "markdown");
            let md = run(&md_args);
            count.runs += 1;
            if let Err(e) = check_summary(&c, &sel.order, date, &out.stdout, &md.stdout) {
                count.failure = Some(report(format!(
                    "summary property of `positions {}`: {e}\n--- markdown ---\n{}{}",
                    md_args.join(" "),
                    md.stdout,
                    md.stderr
                )));
                break;
            }
        }
    }
    if count.failure.is_some() {
        // Keep the corpus on disk for a look at it.
        let kept = tmp.keep();
        let f = count.failure.take().unwrap();
        count.failure = Some(format!("{f}\n(corpus kept in {})", kept.display()));
    }
    count
}

#[test]
fn random_plans_match_oracle() {
    let start = std::time::Instant::now();
    let seeds = env_seeds(100);
    let results = parallel(&seeds, check_random_corpus);
    let runs: usize = results.iter().map(|r| r.runs).sum();
    let failed: Vec<(u64, &str)> = seeds
        .iter()
        .zip(&results)
        .filter_map(|(s, r)| r.failure.as_deref().map(|f| (*s, f)))
        .collect();
    eprintln!(
        "plan oracle: {} corpora, {runs} invocations, {} failing, {:.1?}",
        seeds.len(),
        failed.len(),
        start.elapsed()
    );
    assert!(
        failed.is_empty(),
        "{} of {} random corpora disagree with the plan oracle; seeds: {}\n\n{}",
        failed.len(),
        seeds.len(),
        failed.iter().map(|f| f.0.to_string()).collect::<Vec<_>>().join(" "),
        failed.iter().take(2).map(|f| f.1).collect::<Vec<_>>().join("\n\n")
    );
}

/// The random plans must reach every verdict on both kinds of issue, or agreeing with the
/// oracle means little.
#[test]
fn generator_covers_every_verdict() {
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for seed in 0..120 {
        let c = gen_corpus(seed);
        let mut rng = Rng::new(seed ^ PLAN_SALT);
        let plans = gen_plans(&mut rng, &c);
        let order = default_selection(&c).order;
        for plan in &plans {
            for date in c.all_dates() {
                for r in oracle_rows(&c, plan, date, &order) {
                    let issue = c.issues.iter().find(|i| i.id == r.issue).unwrap();
                    let kind = match issue.kind {
                        IssueKind::Options(_) => "options",
                        IssueKind::Scale { .. } => "scale",
                    };
                    *tally.entry(format!("{kind} {}", r.verdict)).or_default() += 1;
                    if r.verdict == "violated" && r.priority == "red-line" {
                        *tally.entry("red line crossed".into()).or_default() += 1;
                    }
                }
            }
            for (issue, value) in &plan.outcomes {
                if let PlanValue::Number { value, text } = value {
                    let key = if *value < 0.0 {
                        "negative outcome"
                    } else if value.fract() != 0.0 {
                        "fractional outcome"
                    } else if text.ends_with(".0") {
                        "integer written 5.0"
                    } else {
                        "integer outcome"
                    };
                    *tally.entry(key.into()).or_default() += 1;
                    // A number on a demand's range bound: closed intervals.
                    let bound = c.parties.iter().flat_map(|p| &p.demands).any(|d| {
                        let i = &c.issues[d.issue];
                        &i.id == issue && {
                            let (lo, hi) = d.wants.interval(i.scale_bounds());
                            *value == lo || *value == hi
                        }
                    });
                    if bound {
                        *tally.entry("outcome on a wants bound".into()).or_default() += 1;
                    }
                }
            }
            if plan.outcomes.len() == c.issues.len() {
                *tally.entry("plan settles every issue".into()).or_default() += 1;
            }
        }
    }
    eprintln!("coverage: {tally:#?}");
    assert_eq!(tally.len(), 15, "some case is never generated: {tally:#?}");
    assert!(tally.values().all(|&n| n >= 5), "some case is rare: {tally:#?}");
}

// ---------------------------------------------------------------------------
// (b) Numbers beyond the generator's small scales, and the command line
// ---------------------------------------------------------------------------

/// A hand-built corpus with a wide scale: numbers are written as `{}` writes an f64 (no
/// thousands separator, no exponent, no trailing `.0`), negative ones with the `'` prefix.
#[test]
fn wide_scale_numbers() {
    let scale = Issue {
        id: "force-cap".into(),
        title: "Force cap".into(),
        category: "military",
        description: None,
        kind: IssueKind::Scale {
            unit: "troops",
            min: -2_000_000.0,
            max: 2_000_000.0,
            step: 250_000.0,
        },
    };
    let options = Issue {
        id: "status".into(),
        title: "Status".into(),
        category: "other",
        description: None,
        kind: IssueKind::Options(vec!["neutral".into(), "member".into()]),
    };
    let demand = |id: &str, issue: usize, wants: Outcomes, accepts: Option<Outcomes>, until: Option<Date>| Demand {
        id: id.into(),
        issue,
        title: "A demand".into(),
        summary: None,
        wants,
        accepts,
        priority: "red-line",
        stated: Date::new(2020, 1, 1),
        until,
        evidence: None,
        tags: vec![],
        source_by: "Office".into(),
    };
    let range = |min: Option<f64>, max: Option<f64>| Outcomes::Range { min, max, block: false };
    let c = Corpus {
        issues: vec![scale, options],
        parties: vec![Party {
            id: "solo".into(),
            name: "Solo".into(),
            kind: "state",
            aliases: vec![],
            demands: vec![
                demand(
                    "solo-cap",
                    0,
                    range(Some(1_000_000.0), Some(1_500_000.0)),
                    Some(range(None, Some(1_750_000.0))),
                    None,
                ),
                demand("solo-neutral", 1, Outcomes::Options(vec![0]), None, None),
                demand(
                    "solo-old",
                    1,
                    Outcomes::Options(vec![1]),
                    None,
                    Some(Date::new(2021, 1, 1)),
                ),
            ],
        }],
        relations: None,
    };
    let tmp = tempfile::tempdir().unwrap();
    write_corpus(&c, tmp.path());
    for (text, outcome, verdict) in [
        ("1500000", "1500000", "met"),
        ("1500000.0", "1500000", "met"),
        ("1234567.25", "1234567.25", "met"),
        ("1750000.5", "1750000.5", "violated"),
        ("-1999999.5", "'-1999999.5", "acceptable"),
        ("0.001", "0.001", "acceptable"),
        ("-2000000", "'-2000000", "acceptable"),
        ("2000000", "2000000", "violated"),
    ] {
        let plan = Plan {
            id: "wide".into(),
            title: "Wide".into(),
            date: Date::new(2020, 6, 1),
            evidence: None,
            sources: 1,
            outcomes: vec![("force-cap".into(), PlanValue::Raw(text.into()))],
            outcomes_first: false,
        };
        write_plans(&c, &[plan], tmp.path());
        let args = plan_args(tmp.path(), When::PlanDate, "wide", None, "csv");
        let out = run(&args);
        let expected = [
            HEADER.to_string(),
            format!("solo,solo-cap,force-cap,{outcome},{verdict},red-line"),
            "solo,solo-neutral,status,,unaddressed,red-line".into(),
            "solo,solo-old,status,,unaddressed,red-line".into(),
        ]
        .map(|l| l + EOL)
        .concat();
        assert_eq!(out.code, Some(0), "positions {}\n{}", args.join(" "), out.stderr);
        assert!(
            out.stdout == expected,
            "outcome {text}: positions {}\n{}",
            args.join(" "),
            diff(&expected, &out.stdout)
        );
    }
}

#[test]
fn plan_date_conflicts_with_as_of_and_unknown_plans_fail() {
    let c = gen_corpus(7);
    let mut rng = Rng::new(7 ^ PLAN_SALT);
    let plans = gen_plans(&mut rng, &c);
    let tmp = tempfile::tempdir().unwrap();
    write_corpus(&c, tmp.path());
    write_plans(&c, &plans, tmp.path());

    // `--as-of` is a global option: before the subcommand (as SPEC §3 writes it), or after.
    let plan = &plans[0];
    let mut before = plan_args(tmp.path(), When::AsOf(AFTER_ALL), &plan.id, None, "csv");
    before.insert(before.len() - 2, "--plan-date".into());
    let mut after = plan_args(tmp.path(), When::PlanDate, &plan.id, None, "csv");
    after.splice(
        after.len() - 2..after.len() - 2,
        ["--as-of".to_string(), AFTER_ALL.to_string()],
    );
    let orders = [before, after];
    let order = default_selection(&c).order;
    let mut problems = Vec::new();
    for args in &orders {
        let out = run(args);
        if out.code != Some(2) || !out.stdout.is_empty() {
            let on = |d: Date| out.stdout == rows_csv(&oracle_rows(&c, plan, d, &order));
            let scored = match (on(AFTER_ALL), on(plan.date)) {
                (true, true) => "either date (the same scores)",
                (true, false) => "the --as-of date",
                (false, true) => "the plan's date",
                _ => "neither date",
            };
            problems.push(format!(
                "`positions {}` exited with {:?}, not 2 (a usage error), scoring on {scored}",
                args.join(" "),
                out.code
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "--plan-date conflicts with --as-of:\n{}",
        problems.join("\n")
    );

    let args = plan_args(tmp.path(), When::AsOf(AFTER_ALL), "no-such-plan", None, "csv");
    let out = run(&args);
    assert_eq!(
        out.code,
        Some(1),
        "unknown plan: positions {}\n{}",
        args.join(" "),
        out.stderr
    );
    assert!(out.stderr.contains("no-such-plan"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

// ---------------------------------------------------------------------------
// (c) Invalid plans: exit 1, each defect located in the plan file
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Defect {
    UnknownIssue,
    UnknownOption,
    OutsideScale,
}

/// What the diagnostics must show for one defect: the token and where it is.
struct Expected {
    defect: Defect,
    token: String,
    line: usize,
    col: usize,
}

/// Makes one entry of `plan` invalid (adding one if needed), other than those of the
/// issue ids in `taken`; returns the entry's issue id, or `None` when the corpus has no
/// issue of the kind the defect needs.
fn inject_defect(
    rng: &mut Rng,
    c: &Corpus,
    plan: &mut Plan,
    defect: Defect,
    taken: &BTreeSet<String>,
) -> Option<String> {
    let find = |plan: &Plan, id: &str| plan.outcomes.iter().position(|(i, _)| i == id);
    match defect {
        Defect::UnknownIssue => {
            let unused: Vec<&str> = ISSUE_POOL_FOR_DEFECTS
                .iter()
                .copied()
                .filter(|id| c.issues.iter().all(|i| i.id != *id) && find(plan, id).is_none())
                .collect();
            let id = if unused.is_empty() || rng.chance(30) {
                // A near miss of a real issue id, as a typo would be.
                format!(
                    "{}s",
                    rng.pick(&c.issues.iter().map(|i| i.id.as_str()).collect::<Vec<_>>())
                )
            } else {
                rng.pick(&unused).to_string()
            };
            if find(plan, &id).is_some() {
                return None;
            }
            let at = rng.below(plan.outcomes.len() + 1);
            plan.outcomes.insert(at, (id.clone(), PlanValue::Raw("joint".into())));
            Some(id)
        }
        Defect::UnknownOption | Defect::OutsideScale => {
            let candidates: Vec<&Issue> = c
                .issues
                .iter()
                .filter(|i| matches!(i.kind, IssueKind::Options(_)) == (defect == Defect::UnknownOption))
                .filter(|i| !taken.contains(&i.id))
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let issue = rng.pick(&candidates);
            let text = match &issue.kind {
                IssueKind::Options(names) => {
                    let unused: Vec<&str> = ["partition", "joint", "autonomy", "none", "full", "zone-c", "a2"]
                        .into_iter()
                        .filter(|o| !names.iter().any(|n| n == o))
                        .collect();
                    rng.pick(&unused).to_string()
                }
                IssueKind::Scale { min, max, step, .. } => {
                    let v = match rng.below(4) {
                        0 => max + step / 2.0,
                        1 => min - step,
                        2 => max + 1000.0,
                        _ => min - 0.25,
                    };
                    format!("{v}")
                }
            };
            match find(plan, &issue.id) {
                Some(k) => plan.outcomes[k].1 = PlanValue::Raw(text),
                None => {
                    let at = rng.below(plan.outcomes.len() + 1);
                    plan.outcomes.insert(at, (issue.id.clone(), PlanValue::Raw(text)));
                }
            }
            Some(issue.id.clone())
        }
    }
}

/// Issue ids for the unknown-issue defect: the generator's pool (those a corpus leaves out)
/// and a few it never uses.
const ISSUE_POOL_FOR_DEFECTS: &[&str] = &["border", "tolls", "sanctions", "airspace", "fishing", "ports"];

struct InvalidCase {
    dir: tempfile::TempDir,
    args: Vec<String>,
    file: String,
    expected: Vec<Expected>,
}

/// One broken plan in a random corpus: one defect (two a third of the time, to check that
/// every problem is reported), the plan named by id, by path outside the corpus, or not
/// named at all (another, valid plan is requested: the corpus is still invalid).
fn invalid_case(seed: u64) -> Option<InvalidCase> {
    let c = gen_corpus(seed);
    let mut rng = Rng::new(seed ^ INVALID_SALT);
    let mut plans = gen_plans(&mut rng, &c);
    let mut bad = plans.pop().unwrap();
    let defects = [Defect::UnknownIssue, Defect::UnknownOption, Defect::OutsideScale];
    let mut chosen = vec![defects[seed as usize % 3]];
    if rng.chance(33) {
        chosen.push(rng.pick(&defects));
    }
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut marks: Vec<(Defect, String)> = Vec::new();
    for (k, d) in chosen.into_iter().enumerate() {
        match inject_defect(&mut rng, &c, &mut bad, d, &taken) {
            Some(id) => {
                taken.insert(id.clone());
                marks.push((d, id));
            }
            None if k == 0 => return None,
            None => {}
        }
    }
    let (_, spots) = plan_yaml(&c, &bad);
    let expected = marks
        .iter()
        .map(|(defect, id)| {
            let at = bad.outcomes.iter().position(|(i, _)| i == id).unwrap();
            let PlanValue::Raw(text) = &bad.outcomes[at].1 else {
                unreachable!("defect entries are raw")
            };
            let spot = spots[at];
            match defect {
                Defect::UnknownIssue => Expected {
                    defect: *defect,
                    token: id.clone(),
                    line: spot.line,
                    col: spot.key_col,
                },
                _ => Expected {
                    defect: *defect,
                    token: text.clone(),
                    line: spot.line,
                    col: spot.value_col,
                },
            }
        })
        .collect();

    let dir = tempfile::tempdir().unwrap();
    write_corpus(&c, dir.path());
    let (name, file) = match (plans.is_empty(), rng.below(3)) {
        (false, 0) => {
            write_plans(&c, &plans, dir.path());
            write_plans(&c, std::slice::from_ref(&bad), dir.path());
            (plans[0].id.clone(), format!("plans/{}.yaml", bad.id))
        }
        (_, 1) => {
            write_plans(&c, &plans, dir.path());
            let outside: PathBuf = dir.path().join("drafts");
            fs::create_dir_all(&outside).unwrap();
            bad.id = "outside-plan".into();
            let (yaml, _) = plan_yaml(&c, &bad);
            let path = outside.join("outside-plan.yaml");
            fs::write(&path, yaml).unwrap();
            (path.display().to_string(), "drafts/outside-plan.yaml".into())
        }
        _ => {
            write_plans(&c, &plans, dir.path());
            write_plans(&c, std::slice::from_ref(&bad), dir.path());
            (bad.id.clone(), format!("plans/{}.yaml", bad.id))
        }
    };
    let when = if rng.chance(50) {
        When::PlanDate
    } else {
        When::AsOf(AFTER_ALL)
    };
    let args = plan_args(dir.path(), when, &name, None, "csv");
    Some(InvalidCase {
        dir,
        args,
        file,
        expected,
    })
}

#[test]
fn invalid_plans_are_located() {
    let seeds = env_seeds(45);
    // `None`: no case for this seed (no issue of the kind needed); `Some(None)`: passed.
    let results = parallel(&seeds, |seed| {
        let case = invalid_case(seed)?;
        let out = run(&case.args);
        let mut problems = Vec::new();
        if out.code != Some(1) {
            problems.push(format!("exit code {:?}, want 1", out.code));
        }
        if !out.stdout.is_empty() {
            problems.push("output on stdout".to_string());
        }
        for e in &case.expected {
            let at = format!("{}:{}:{}", case.file, e.line, e.col);
            if !out.stderr.contains(&at) {
                problems.push(format!("{:?} `{}`: no `{at}` on stderr", e.defect, e.token));
            }
            if !out.stderr.contains(&format!("`{}`", e.token)) && !out.stderr.contains(&e.token) {
                problems.push(format!("{:?}: `{}` not named on stderr", e.defect, e.token));
            }
        }
        Some((!problems.is_empty()).then(|| {
            format!(
                "seed {seed} (rerun with ORACLE_SEED={seed}): positions {}\n  {}\n--- stderr ---\n{}--- corpus ---\n{}",
                case.args.join(" "),
                problems.join("\n  "),
                out.stderr,
                corpus_listing(case.dir.path())
            )
        }))
    });
    let ran = results.iter().filter(|r| r.is_some()).count();
    let failures: Vec<String> = results.into_iter().flatten().flatten().collect();
    eprintln!(
        "invalid plans: {ran} cases of {} seeds, {} failing",
        seeds.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} invalid plans handled wrongly:\n\n{}",
        failures.len(),
        failures.iter().take(3).cloned().collect::<Vec<_>>().join("\n\n")
    );
}

/// `ORACLE_SEED=7 ORACLE_DUMP=/tmp/p7 cargo test --test plan_oracle dump_plans -- --ignored --nocapture`
/// writes that seed's corpus and plans, and prints the oracle's scores on every date.
#[test]
#[ignore]
fn dump_plans() {
    let seed = env_u64("ORACLE_SEED").unwrap_or(0);
    let dir = PathBuf::from(std::env::var("ORACLE_DUMP").expect("set ORACLE_DUMP"));
    fs::create_dir_all(&dir).unwrap();
    let c = gen_corpus(seed);
    let mut rng = Rng::new(seed ^ PLAN_SALT);
    let plans = gen_plans(&mut rng, &c);
    write_corpus(&c, &dir);
    write_plans(&c, &plans, &dir);
    let order = default_selection(&c).order;
    for plan in &plans {
        for date in c.all_dates().into_iter().chain([plan.date, AFTER_ALL]) {
            eprintln!(
                "--- plan {} as of {date}\n{}",
                plan.id,
                rows_csv(&oracle_rows(&c, plan, date, &order))
            );
        }
    }
}
