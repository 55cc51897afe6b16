//! An independent brute force of the settlement search (SPEC §2.1), checked against
//! `positions settle --format json` on random small corpora: at several dates, with random
//! party selections, `--fix` and `--top`. It shares no code with the crate: the corpora,
//! the verdicts, the candidates and the exact ranking are all computed here, by trying
//! every package.
//!
//! What is compared, for each rank k: the binary's k-th package, scored here from its own
//! outcomes, must rank exactly as the k-th best distinct answer found by trying every
//! package (ties may come in any order); every figure it prints (red lines, satisfactions
//! to four decimals, met/acceptable/violated, the red lines crossed and their precedents)
//! must be what that package gives; no two packages may give every demand the same
//! verdict; and there must be as many packages as `--top` asks, or every distinct answer.
//! The best package's `--emit-plan` file must pass `check` and score the same through `plan`.
//!
//! `SETTLE_SEED=<n>` checks one seed; `SETTLE_CORPORA=<n>` sets how many (default 120).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::*;

/// An exact fraction `n / d` with `d > 0`.
#[derive(Clone, Copy, Debug)]
struct Frac {
    n: i128,
    d: i128,
}

impl Frac {
    fn new(n: i128, d: i128) -> Frac {
        let g = gcd(n.abs(), d).max(1);
        Frac { n: n / g, d: d / g }
    }

    fn add(self, o: Frac) -> Frac {
        Frac::new(self.n * o.d + o.n * self.d, self.d * o.d)
    }

    fn value(self) -> f64 {
        self.n as f64 / self.d as f64
    }
}

impl PartialEq for Frac {
    fn eq(&self, o: &Frac) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for Frac {}

impl PartialOrd for Frac {
    fn partial_cmp(&self, o: &Frac) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Frac {
    fn cmp(&self, o: &Frac) -> Ordering {
        (self.n * o.d).cmp(&(o.n * self.d))
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum V {
    Met,
    Acceptable,
    Violated,
}

/// An outcome of a package: an option index, or a point on a scale.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Out {
    Opt(usize),
    Num(f64),
}

fn inside(o: &Outcomes, issue: &Issue, out: Out) -> bool {
    match out {
        Out::Opt(i) => o.option_set().contains(&i),
        Out::Num(x) => {
            let (lo, hi) = o.interval(issue.scale_bounds());
            lo <= x && x <= hi
        }
    }
}

fn verdict(d: &Demand, issue: &Issue, out: Out) -> V {
    if inside(&d.wants, issue, out) {
        V::Met
    } else if inside(d.accepts(), issue, out) {
        V::Acceptable
    } else {
        V::Violated
    }
}

fn weight(priority: &str) -> i128 {
    match priority {
        "red-line" => 4,
        "high" => 3,
        "medium" => 2,
        _ => 1,
    }
}

/// A package's place in the ranking: (red lines, lowest satisfaction, sum), better first
/// by `better`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Key {
    red: usize,
    min: Option<Frac>,
    sum: Frac,
}

fn better(a: &Key, b: &Key) -> Ordering {
    b.red.cmp(&a.red).then(a.min.cmp(&b.min)).then(a.sum.cmp(&b.sum))
}

/// One scored package.
struct Scored {
    key: Key,
    verdicts: Vec<V>,
    feasible: bool,
    /// (met, acceptable, violated, satisfaction) per selected party with demands in play.
    parties: Vec<(usize, usize, usize, usize, Frac)>,
}

struct Problem<'c> {
    corpus: &'c Corpus,
    date: Date,
    /// Selected parties in output order.
    order: Vec<usize>,
    /// Active demands of the selected parties: (party, index in its file), party order.
    active: Vec<(usize, usize)>,
    /// Issues in play, corpus order, with their candidates.
    issues: Vec<(usize, Vec<Out>)>,
    /// Pairs of positions in `active` that may not both be unviolated.
    clashes: Vec<(usize, usize)>,
}

impl<'c> Problem<'c> {
    fn new(corpus: &'c Corpus, date: Date, order: Vec<usize>, fixed: &[(usize, Out)]) -> Problem<'c> {
        let mut active = Vec::new();
        for &p in &order {
            for (k, d) in corpus.parties[p].demands.iter().enumerate() {
                if d.active(date) {
                    active.push((p, k));
                }
            }
        }
        let demand = |&(p, k): &(usize, usize)| &corpus.parties[p].demands[k];
        let mut issues = Vec::new();
        for (i, issue) in corpus.issues.iter().enumerate() {
            let on: Vec<&Demand> = active.iter().map(demand).filter(|d| d.issue == i).collect();
            if let Some(&(_, out)) = fixed.iter().find(|(f, _)| *f == i) {
                issues.push((i, vec![out]));
                continue;
            }
            if on.is_empty() {
                continue;
            }
            let candidates = match &issue.kind {
                IssueKind::Options(options) => (0..options.len()).map(Out::Opt).collect(),
                IssueKind::Scale { min, max, .. } => {
                    let mut points = vec![*min, *max];
                    for d in &on {
                        for o in [&d.wants, d.accepts()] {
                            let (lo, hi) = o.interval((*min, *max));
                            points.extend([lo, hi]);
                        }
                    }
                    points.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
                    points.dedup();
                    points.into_iter().map(Out::Num).collect()
                }
            };
            issues.push((i, candidates));
        }
        let position = |id: &str| active.iter().position(|&(p, k)| corpus.parties[p].demands[k].id == id);
        let clashes = corpus
            .relations
            .iter()
            .flatten()
            .filter(|r| r.kind != "overlap")
            .filter_map(|r| Some((position(&r.between[0])?, position(&r.between[1])?)))
            .collect();
        Problem {
            corpus,
            date,
            order,
            active,
            issues,
            clashes,
        }
    }

    fn demand(&self, k: usize) -> &Demand {
        let (p, i) = self.active[k];
        &self.corpus.parties[p].demands[i]
    }

    fn score(&self, package: &[Out]) -> Scored {
        let verdicts: Vec<V> = (0..self.active.len())
            .map(|k| {
                let d = self.demand(k);
                let slot = self.issues.iter().position(|(i, _)| *i == d.issue).expect("in play");
                verdict(d, &self.corpus.issues[d.issue], package[slot])
            })
            .collect();
        let feasible = self
            .clashes
            .iter()
            .all(|&(a, b)| verdicts[a] == V::Violated || verdicts[b] == V::Violated);
        let red = (0..self.active.len())
            .filter(|&k| verdicts[k] == V::Violated && self.demand(k).red_line())
            .count();
        let mut parties = Vec::new();
        for &p in &self.order {
            let (mut n, mut d, mut counts) = (0i128, 0i128, [0usize; 3]);
            for k in (0..self.active.len()).filter(|&k| self.active[k].0 == p) {
                let w = weight(self.demand(k).priority);
                d += 2 * w;
                n += w * match verdicts[k] {
                    V::Met => 2,
                    V::Acceptable => 1,
                    V::Violated => 0,
                };
                counts[verdicts[k] as usize] += 1;
            }
            if d > 0 {
                parties.push((p, counts[0], counts[1], counts[2], Frac::new(n, d)));
            }
        }
        let min = parties.iter().map(|x| x.4).min();
        let sum = parties.iter().fold(Frac::new(0, 1), |s, x| s.add(x.4));
        Scored {
            key: Key { red, min, sum },
            verdicts,
            feasible,
            parties,
        }
    }

    /// Every feasible distinct answer's key, best first.
    fn all_keys(&self) -> Vec<Key> {
        let mut profiles: BTreeMap<Vec<u8>, Key> = BTreeMap::new();
        let sizes: Vec<usize> = self.issues.iter().map(|(_, c)| c.len()).collect();
        let mut pick = vec![0usize; sizes.len()];
        loop {
            let package: Vec<Out> = pick.iter().zip(&self.issues).map(|(&c, (_, cs))| cs[c]).collect();
            let scored = self.score(&package);
            if scored.feasible {
                let profile = scored.verdicts.iter().map(|&v| v as u8).collect();
                profiles.insert(profile, scored.key);
            }
            // The next package, odometer style.
            let mut i = 0;
            loop {
                if i == sizes.len() {
                    let mut keys: Vec<Key> = profiles.into_values().collect();
                    keys.sort_by(|a, b| better(b, a));
                    return keys;
                }
                pick[i] += 1;
                if pick[i] < sizes[i] {
                    break;
                }
                pick[i] = 0;
                i += 1;
            }
        }
    }
}

fn four(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn close(json: &Value, exact: f64, what: &str) {
    let got = json.as_f64().unwrap_or_else(|| panic!("{what}: not a number: {json}"));
    assert!((got - four(exact)).abs() < 1e-9, "{what}: {got} but {exact} exactly");
}

/// The outcome the binary printed for an issue, as an `Out`.
fn parse_out(issue: &Issue, json: &Value) -> Out {
    match &issue.kind {
        IssueKind::Options(options) => {
            let id = json.as_str().unwrap_or_else(|| panic!("option id expected: {json}"));
            Out::Opt(
                options
                    .iter()
                    .position(|o| o == id)
                    .unwrap_or_else(|| panic!("unknown option {id}")),
            )
        }
        IssueKind::Scale { .. } => Out::Num(json.as_f64().unwrap_or_else(|| panic!("number expected: {json}"))),
    }
}

fn check_seed(seed: u64) {
    let corpus = gen_corpus(seed);
    let dir = tempfile::tempdir().expect("temp dir");
    write_corpus(&corpus, dir.path());
    let mut rng = Rng::new(seed ^ 0x5e77_1e00);
    let dates = corpus.all_dates();
    let date = if dates.is_empty() || rng.chance(20) {
        AFTER_ALL
    } else {
        dates[rng.below(dates.len())]
    };
    let selection = if rng.chance(50) {
        default_selection(&corpus)
    } else {
        random_subset(&corpus, &mut rng, 1)
    };
    let mut fixed = Vec::new();
    let mut fix_args = Vec::new();
    if rng.chance(40) {
        let i = rng.below(corpus.issues.len());
        let issue = &corpus.issues[i];
        let (out, text) = match &issue.kind {
            IssueKind::Options(options) => {
                let o = rng.below(options.len());
                (Out::Opt(o), options[o].clone())
            }
            IssueKind::Scale { min, max, step, .. } => {
                let steps = ((max - min) / step).round() as usize;
                let x = min + step * rng.below(steps + 1) as f64;
                (Out::Num(x), format!("{x}"))
            }
        };
        fixed.push((i, out));
        fix_args = vec!["--fix".to_string(), format!("{}={text}", issue.id)];
    }
    let top = rng.between(1, 4);
    let problem = Problem::new(&corpus, date, selection.order.clone(), &fixed);

    let mut args = vec![
        "--corpus".to_string(),
        dir.path().display().to_string(),
        "--as-of".into(),
        date.to_string(),
        "--format".into(),
        "json".into(),
        "settle".into(),
        "--top".into(),
        top.to_string(),
    ];
    if let Some(arg) = &selection.arg {
        args.extend(["--parties".to_string(), arg.clone()]);
    }
    args.extend(fix_args.iter().cloned());
    std::fs::create_dir_all(dir.path().join("plans")).expect("plans/");
    let plan_path = dir.path().join("plans").join("best-package.yaml");
    let mut with_plan = args.clone();
    with_plan.extend(["--emit-plan".to_string(), plan_path.display().to_string()]);

    let keys = problem.all_keys();
    let output = crate::support::positions().args(&with_plan).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let context = format!("seed {seed}: positions {}", with_plan.join(" "));
    if keys.is_empty() || problem.issues.is_empty() {
        // No package honours the clashes, or no issue is in play: nothing to emit, and
        // the command says so; without --emit-plan it lists what there is.
        assert_eq!(output.status.code(), Some(1), "{context}: {stderr}");
        let output = crate::support::positions().args(&args).output().expect("runs");
        assert!(
            output.status.success(),
            "{context}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let packages = json.as_array().expect("an array");
        if keys.is_empty() {
            assert!(packages.is_empty(), "{context}: no package honours the clashes");
        } else {
            assert_eq!(
                packages.len(),
                1,
                "{context}: with no issue in play there is one, empty, package"
            );
            assert!(
                packages[0]["outcomes"].as_object().is_some_and(|o| o.is_empty()),
                "{context}"
            );
        }
        return;
    }
    assert!(output.status.success(), "{context}: {stderr}");
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let packages = json.as_array().expect("an array of packages");
    assert_eq!(packages.len(), top.min(keys.len()), "{context}: number of packages");

    let mut seen_profiles = Vec::new();
    let mut best_verdicts = Vec::new();
    for (k, package) in packages.iter().enumerate() {
        let what = format!("{context}: package {}", k + 1);
        assert_eq!(package["package"], k + 1, "{what}");
        let outcomes = package["outcomes"].as_object().expect("outcomes");
        assert_eq!(
            outcomes.len(),
            problem.issues.len(),
            "{what}: one outcome per issue in play"
        );
        let chosen: Vec<Out> = problem
            .issues
            .iter()
            .map(|&(i, _)| {
                let issue = &corpus.issues[i];
                parse_out(
                    issue,
                    outcomes
                        .get(&issue.id)
                        .unwrap_or_else(|| panic!("{what}: no outcome for {}", issue.id)),
                )
            })
            .collect();
        for (slot, out) in chosen.iter().enumerate() {
            assert!(
                problem.issues[slot].1.contains(out),
                "{what}: {out:?} is not a candidate"
            );
        }
        let scored = problem.score(&chosen);
        assert!(
            scored.feasible,
            "{what}: leaves both demands of an asserted clash unviolated"
        );
        assert_eq!(
            better(&scored.key, &keys[k]),
            Ordering::Equal,
            "{what}: ranks as {:?}, the brute force's is {:?}",
            scored.key,
            keys[k]
        );
        assert!(
            !seen_profiles.contains(&scored.verdicts),
            "{what}: the same answer as an earlier package"
        );
        seen_profiles.push(scored.verdicts.clone());
        if k == 0 {
            best_verdicts = scored.verdicts.clone();
        }

        assert_eq!(package["red_lines_crossed"], scored.key.red, "{what}");
        match scored.key.min {
            Some(min) => close(&package["min_satisfaction"], min.value(), &what),
            None => assert!(package["min_satisfaction"].is_null(), "{what}"),
        }
        close(&package["total_satisfaction"], scored.key.sum.value(), &what);
        let parties = package["parties"].as_array().expect("parties");
        assert_eq!(
            parties.len(),
            scored.parties.len(),
            "{what}: parties with a satisfaction"
        );
        for (row, &(p, met, acceptable, violated, sat)) in parties.iter().zip(&scored.parties) {
            assert_eq!(row["party"], corpus.parties[p].id.as_str(), "{what}: party order");
            assert_eq!(row["met"], met, "{what}");
            assert_eq!(row["acceptable"], acceptable, "{what}");
            assert_eq!(row["violated"], violated, "{what}");
            close(&row["satisfaction"], sat.value(), &what);
        }
        let expected_crossed: Vec<(String, Vec<String>)> = (0..problem.active.len())
            .filter(|&a| scored.verdicts[a] == V::Violated && problem.demand(a).red_line())
            .map(|a| {
                let (p, i) = problem.active[a];
                let d = problem.demand(a);
                let slot = problem.issues.iter().position(|(x, _)| *x == d.issue).expect("in play");
                let issue = &corpus.issues[d.issue];
                let precedents = corpus.parties[p]
                    .demands
                    .iter()
                    .enumerate()
                    .filter(|&(j, o)| {
                        j != i
                            && o.issue == d.issue
                            && o.stated <= problem.date
                            && inside(o.accepts(), issue, chosen[slot])
                    })
                    .map(|(_, o)| o.id.clone())
                    .collect();
                (d.id.clone(), precedents)
            })
            .collect();
        let crossed: Vec<(String, Vec<String>)> = package["crossed"]
            .as_array()
            .expect("crossed")
            .iter()
            .map(|c| {
                let precedents = c["precedents"]
                    .as_array()
                    .expect("precedents")
                    .iter()
                    .map(|p| p.as_str().expect("id").to_string())
                    .collect();
                (c["demand"].as_str().expect("demand").to_string(), precedents)
            })
            .collect();
        assert_eq!(
            crossed, expected_crossed,
            "{what}: red lines crossed and their precedents"
        );
    }

    // The emitted plan passes `check` and scores as `settle` did.
    let check = crate::support::positions()
        .args([
            "--corpus",
            &dir.path().display().to_string(),
            "--as-of",
            &date.to_string(),
            "check",
        ])
        .output()
        .expect("runs");
    assert!(
        check.status.success(),
        "{context}: check refuses the emitted plan: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    let mut plan_args = vec![
        "--corpus".to_string(),
        dir.path().display().to_string(),
        "--as-of".into(),
        date.to_string(),
        "--format".into(),
        "csv".into(),
        "plan".into(),
        "best-package".into(),
    ];
    if let Some(arg) = &selection.arg {
        plan_args.extend(["--parties".to_string(), arg.clone()]);
    }
    let plan = crate::support::positions().args(&plan_args).output().expect("runs");
    assert!(
        plan.status.success(),
        "{context}: {}",
        String::from_utf8_lossy(&plan.stderr)
    );
    let rows = parse_csv(&String::from_utf8_lossy(&plan.stdout));
    let scored_rows: Vec<&Vec<String>> = rows.iter().skip(1).filter(|r| r[4] != "unaddressed").collect();
    assert_eq!(
        scored_rows.len(),
        problem.active.len(),
        "{context}: plan scores every demand in play"
    );
    for row in scored_rows {
        let a = problem
            .active
            .iter()
            .position(|&(p, i)| corpus.parties[p].demands[i].id == row[1])
            .unwrap_or_else(|| panic!("{context}: plan scored {} which is not in play", row[1]));
        let expected = match best_verdicts[a] {
            V::Met => "met",
            V::Acceptable => "acceptable",
            V::Violated => "violated",
        };
        assert_eq!(row[4], expected, "{context}: plan's verdict on {}", row[1]);
    }
}

#[test]
fn settle_agrees_with_a_brute_force_on_random_corpora() {
    if let Some(seed) = env_u64("SETTLE_SEED") {
        check_seed(seed);
        return;
    }
    let corpora = env_u64("SETTLE_CORPORA").unwrap_or(120);
    for seed in 0..corpora {
        check_seed(seed);
    }
}
