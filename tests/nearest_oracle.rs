//! An independent oracle for `positions issue ISSUE --format json`: the common ground of
//! many parties and, when there is none, the nearest outcomes and their blockers, written
//! from the text of SPEC §2 alone (it shares no code with the crate), on random corpora
//! from `common`, compared with the real binary.
//!
//! SPEC §2, as implemented here:
//! * a party's acceptable set on an issue is the intersection of the `accepts` of its
//!   active demands on it; the common ground is the intersection over the parties and
//!   needs at least two of them (`null` otherwise);
//! * when it is empty, the candidates are the options, or on a scale the points: the
//!   scale's bounds and every endpoint of an active demand's `accepts` (closed ranges);
//! * a party rejects a candidate outside its acceptable set, as a red line when one of its
//!   active red-line demands on the issue excludes it;
//! * the nearest candidates are those with the fewest red-line rejections, then the
//!   fewest rejections; neighbouring points with the same blockers may come as one range,
//!   and every point inside such a range must be nearest with exactly those blockers.
//!
//! `ORACLE_SEED=<n>` checks one seed, `ORACLE_CORPORA=<n>` sets how many (default 120).

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One candidate's score: (red-line blockers, blockers), party ids in party order.
#[derive(Debug, Clone, PartialEq)]
struct Blocked {
    blockers: Vec<String>,
    red_lines: Vec<String>,
}

/// A candidate as the oracle names it: an option id, or a point of the scale.
#[derive(Debug, Clone, PartialEq)]
enum Point {
    Option(usize),
    Number(f64),
}

struct Expected {
    /// `None` when fewer than two parties have a stance.
    common: Option<Vec<String>>,
    /// The nearest candidates in order, each with its blockers.
    nearest: Vec<(Point, Blocked)>,
    /// Everyone's stance, party order: (party, its active demands on the issue).
    stances: Vec<(String, Vec<String>)>,
}

fn active_on(party: &Party, issue: usize, as_of: Date) -> Vec<&Demand> {
    party
        .demands
        .iter()
        .filter(|d| d.issue == issue && d.active(as_of))
        .collect()
}

/// Does a demand's `accepts` contain the point?
fn accepts(issue: &Issue, d: &Demand, p: &Point) -> bool {
    match p {
        Point::Option(i) => d.accepts().option_set().contains(i),
        Point::Number(x) => {
            let (lo, hi) = d.accepts().interval(issue.scale_bounds());
            lo <= *x && *x <= hi
        }
    }
}

fn blocked(issue: &Issue, stances: &[(&Party, Vec<&Demand>)], p: &Point) -> Blocked {
    let mut b = Blocked {
        blockers: Vec::new(),
        red_lines: Vec::new(),
    };
    for (party, demands) in stances {
        // Outside the intersection of its accepts = outside one of them.
        if demands.iter().any(|d| !accepts(issue, d, p)) {
            b.blockers.push(party.id.clone());
            if demands.iter().any(|d| d.red_line() && !accepts(issue, d, p)) {
                b.red_lines.push(party.id.clone());
            }
        }
    }
    b
}

fn expected(c: &Corpus, issue_index: usize, as_of: Date) -> Expected {
    let issue = &c.issues[issue_index];
    let stances = stances_for(c, issue_index, as_of);
    let stance_ids = stances
        .iter()
        .map(|(p, ds)| (p.id.clone(), ds.iter().map(|d| d.id.clone()).collect()))
        .collect();
    if stances.len() < 2 {
        return Expected {
            common: None,
            nearest: Vec::new(),
            stances: stance_ids,
        };
    }
    let all: Vec<&Demand> = stances.iter().flat_map(|(_, ds)| ds.iter().copied()).collect();
    let (common, candidates): (Vec<String>, Vec<Point>) = match &issue.kind {
        IssueKind::Options(names) => {
            let common = (0..names.len())
                .filter(|i| all.iter().all(|d| d.accepts().option_set().contains(i)))
                .map(|i| names[i].clone())
                .collect();
            (common, (0..names.len()).map(Point::Option).collect())
        }
        IssueKind::Scale { min, max, .. } => {
            let bounds = (*min, *max);
            let lo = all.iter().map(|d| d.accepts().interval(bounds).0).fold(*min, f64::max);
            let hi = all.iter().map(|d| d.accepts().interval(bounds).1).fold(*max, f64::min);
            let common = if lo <= hi { vec![format!("{lo}..{hi}")] } else { vec![] };
            let mut points = vec![*min, *max];
            for d in &all {
                let (a, b) = d.accepts().interval(bounds);
                points.push(a);
                points.push(b);
            }
            points.sort_by(|a, b| a.partial_cmp(b).unwrap());
            points.dedup();
            (common, points.into_iter().map(Point::Number).collect())
        }
    };
    if !common.is_empty() {
        return Expected {
            common: Some(common),
            nearest: Vec::new(),
            stances: stance_ids,
        };
    }
    let scored: Vec<(Point, Blocked)> = candidates
        .into_iter()
        .map(|p| {
            let b = blocked(issue, &stances, &p);
            (p, b)
        })
        .collect();
    let best = scored
        .iter()
        .map(|(_, b)| (b.red_lines.len(), b.blockers.len()))
        .min()
        .unwrap();
    let nearest = scored
        .into_iter()
        .filter(|(_, b)| (b.red_lines.len(), b.blockers.len()) == best)
        .collect();
    Expected {
        common: Some(common),
        nearest,
        stances: stance_ids,
    }
}

fn strings(v: &Value, what: &str) -> Result<Vec<String>, String> {
    v.as_array()
        .ok_or_else(|| format!("{what} is not an array: {v}"))?
        .iter()
        .map(|x| {
            x.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("{what}: not a string: {x}"))
        })
        .collect()
}

fn number(v: &Value, what: &str) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| format!("{what} is not a number: {v}"))
}

/// Compares the binary's JSON with the oracle's expectation.
fn compare(c: &Corpus, issue_index: usize, as_of: Date, json: &Value) -> Result<(), String> {
    let issue = &c.issues[issue_index];
    let want = expected(c, issue_index, as_of);
    if json["as_of"] != Value::String(as_of.to_string()) {
        return Err(format!("as_of is {}, not {as_of}", json["as_of"]));
    }
    if json["issue"] != Value::String(issue.id.clone()) {
        return Err(format!("issue is {}", json["issue"]));
    }
    let stances = json["stances"].as_array().ok_or("stances is not an array")?;
    let got: Vec<(String, Vec<String>)> = stances
        .iter()
        .map(|s| {
            Ok((
                s["party"].as_str().ok_or("stance without a party")?.to_string(),
                strings(&s["demands"], "stance demands")?,
            ))
        })
        .collect::<Result<_, String>>()?;
    if got != want.stances {
        return Err(format!("stances: binary {got:?}, oracle {:?}", want.stances));
    }
    let common = match &json["common_ground"] {
        Value::Null => None,
        v => Some(strings(v, "common_ground")?),
    };
    if common != want.common {
        return Err(format!("common_ground: binary {common:?}, oracle {:?}", want.common));
    }
    let nearest = json["nearest"].as_array().ok_or("nearest is not an array")?;
    // Expand the binary's entries into the candidates they cover.
    let mut covered: Vec<(Point, Blocked)> = Vec::new();
    let stances_of = stances_for(c, issue_index, as_of);
    for entry in nearest {
        let b = Blocked {
            blockers: strings(&entry["blocked_by"], "blocked_by")?,
            red_lines: strings(&entry["red_line_blockers"], "red_line_blockers")?,
        };
        match &issue.kind {
            IssueKind::Options(names) => {
                let id = entry["outcome"].as_str().ok_or("an option outcome is not a string")?;
                let i = names
                    .iter()
                    .position(|n| n == id)
                    .ok_or_else(|| format!("unknown option {id}"))?;
                covered.push((Point::Option(i), b));
            }
            IssueKind::Scale { .. } => {
                let (lo, hi) = (number(&entry["min"], "min")?, number(&entry["max"], "max")?);
                let text = match &entry["outcome"] {
                    Value::Number(n) if lo == hi => {
                        if n.as_f64() != Some(lo) {
                            return Err(format!("outcome {n} but min {lo}"));
                        }
                        covered.push((Point::Number(lo), b));
                        continue;
                    }
                    Value::String(s) => s.clone(),
                    other => return Err(format!("scale outcome {other} for {lo}..{hi}")),
                };
                if text != format!("{lo}..{hi}") || lo >= hi {
                    return Err(format!("range outcome {text:?} for min {lo}, max {hi}"));
                }
                // Every candidate point inside, and every point between two of them,
                // must be nearest with exactly these blockers.
                let inside: Vec<f64> = all_candidates(c, issue_index, as_of)
                    .into_iter()
                    .filter_map(|(p, _)| match p {
                        Point::Number(x) if lo <= x && x <= hi => Some(x),
                        _ => None,
                    })
                    .collect();
                if inside.first() != Some(&lo) || inside.last() != Some(&hi) {
                    return Err(format!("range {text} does not start and end at candidate points"));
                }
                for w in inside.windows(2) {
                    let mid = Point::Number((w[0] + w[1]) / 2.0);
                    let bm = blocked(issue, &stances_of, &mid);
                    if bm != b {
                        return Err(format!(
                            "range {text}: {} between its candidates is blocked by {bm:?}, not {b:?}",
                            (w[0] + w[1]) / 2.0
                        ));
                    }
                }
                for x in inside {
                    covered.push((Point::Number(x), b.clone()));
                }
            }
        }
    }
    if covered != want.nearest {
        return Err(format!(
            "nearest: binary covers {covered:?}\n oracle {:?}\n json {}",
            want.nearest,
            serde_json::to_string(nearest).unwrap()
        ));
    }
    Ok(())
}

/// The parties with active demands on the issue, in party order, with those demands.
fn stances_for(c: &Corpus, issue_index: usize, as_of: Date) -> Vec<(&Party, Vec<&Demand>)> {
    let mut parties: Vec<&Party> = c.parties.iter().collect();
    parties.sort_by(|a, b| a.id.cmp(&b.id));
    parties
        .into_iter()
        .map(|p| (p, active_on(p, issue_index, as_of)))
        .filter(|(_, d)| !d.is_empty())
        .collect()
}

/// Every candidate point of a scale issue with its blockers (not only the nearest).
fn all_candidates(c: &Corpus, issue_index: usize, as_of: Date) -> Vec<(Point, Blocked)> {
    let issue = &c.issues[issue_index];
    let stances = stances_for(c, issue_index, as_of);
    let IssueKind::Scale { min, max, .. } = issue.kind else {
        return Vec::new();
    };
    let mut points = vec![min, max];
    for (_, ds) in &stances {
        for d in ds {
            let (a, b) = d.accepts().interval((min, max));
            points.extend([a, b]);
        }
    }
    points.sort_by(|a, b| a.partial_cmp(b).unwrap());
    points.dedup();
    points
        .into_iter()
        .map(|x| (Point::Number(x), blocked(issue, &stances, &Point::Number(x))))
        .collect()
}

fn run_issue(dir: &Path, as_of: Date, issue: &str) -> Result<Value, String> {
    let out = crate::support::command()
        .args(["--corpus", &dir.display().to_string(), "--as-of", &as_of.to_string()])
        .args(["issue", issue, "--format", "json"])
        .output()
        .map_err(|e| format!("cannot run positions: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`issue {issue}` as of {as_of} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("issue {issue}: not JSON: {e}"))
}

fn check_seed(seed: u64, tally: &mut BTreeMap<&'static str, usize>) -> Result<(), String> {
    let c = gen_corpus(seed);
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    write_corpus(&c, tmp.path());
    let mut rng = Rng::new(seed ^ 0x5EED);
    let mut dates = c.all_dates();
    dates.push(AFTER_ALL);
    rng.shuffle(&mut dates);
    dates.truncate(3);
    for date in dates {
        for (index, issue) in c.issues.iter().enumerate() {
            let json = run_issue(tmp.path(), date, &issue.id)?;
            compare(&c, index, date, &json).map_err(|e| {
                format!(
                    "seed {seed} (ORACLE_SEED={seed}), `issue {}` as of {date}: {e}\n--- corpus ---\n{}",
                    issue.id,
                    corpus_listing(tmp.path())
                )
            })?;
            let scale = matches!(issue.kind, IssueKind::Scale { .. });
            for entry in json["nearest"].as_array().into_iter().flatten() {
                let red = entry["red_line_blockers"].as_array().is_some_and(|a| !a.is_empty());
                *tally
                    .entry(match (scale, entry["outcome"].is_string(), red) {
                        (false, _, false) => "option nearest",
                        (false, _, true) => "option nearest, red line",
                        (true, false, false) => "scale point",
                        (true, false, true) => "scale point, red line",
                        (true, true, _) => "scale range",
                    })
                    .or_default() += 1;
            }
            if json["common_ground"].is_null() && json["stances"].as_array().is_some_and(|s| s.len() == 1) {
                *tally.entry("one party only").or_default() += 1;
            }
        }
    }
    Ok(())
}

#[test]
fn nearest_outcomes_match_the_oracle() {
    let seeds: Vec<u64> = match env_u64("ORACLE_SEED") {
        Some(s) => vec![s],
        None => (0..env_u64("ORACLE_CORPORA").unwrap_or(120))
            .map(|s| s + 7000)
            .collect(),
    };
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    let results: Vec<(Vec<String>, BTreeMap<&'static str, usize>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let seeds = &seeds;
                s.spawn(move || {
                    let mut tally = BTreeMap::new();
                    let failures: Vec<String> = seeds
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .filter_map(|&seed| check_seed(seed, &mut tally).err())
                        .collect();
                    (failures, tally)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for (f, t) in results {
        failures.extend(f);
        for (k, v) in t {
            *tally.entry(k).or_default() += v;
        }
    }
    eprintln!("nearest oracle coverage: {tally:#?}");
    assert!(
        failures.is_empty(),
        "{} of {} corpora disagree:\n{}",
        failures.len(),
        seeds.len(),
        failures.iter().take(2).cloned().collect::<Vec<_>>().join("\n\n")
    );
    if seeds.len() > 50 {
        for case in [
            "option nearest",
            "option nearest, red line",
            "scale point",
            "scale point, red line",
            "scale range",
            "one party only",
        ] {
            assert!(
                tally.get(case).copied().unwrap_or(0) >= 3,
                "rare case {case}: {tally:#?}"
            );
        }
    }
}

/// The built-in corpus's army ceiling, where the nearest outcome is a point: before
/// 11 December 2025 the EU and Ukraine accept no ceiling but the top of the scale, the UK
/// any from 800,000, Russia at most 85,000; in January 2026 the US accepts exactly 800,000.
#[test]
fn force_ceiling_nearest_on_the_builtin_corpus() {
    let nearest = |date: &str| {
        let out = crate::support::command()
            .args(["--as-of", date, "issue", "ukraine-force-ceiling", "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["nearest"].clone()
    };
    let only_russia = |outcome: f64| {
        serde_json::json!([{
            "outcome": outcome, "min": outcome, "max": outcome,
            "blocked_by": ["russia"], "red_line_blockers": [],
        }])
    };
    assert_eq!(nearest("2025-12-01"), only_russia(1_500_000.0));
    assert_eq!(nearest("2026-01-15"), only_russia(800_000.0));
}
