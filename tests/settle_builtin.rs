//! `settle` on the built-in corpus, checked through the binary's other outputs only: the
//! best package's figures must recompute exactly from `plan`'s verdicts of the same
//! package, and no package that changes a single issue may rank better while honouring
//! the asserted clashes (`pairs`).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::support::positions;

const AS_OF: &str = "2026-01-15";

fn run(args: &[&str]) -> Vec<u8> {
    let output = positions().args(["--as-of", AS_OF]).args(args).output().expect("runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn csv_rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// (red lines crossed, lowest satisfaction, sum) from `plan`'s rows, as exact fractions
/// (numerator, denominator) per party; and the demands it violates.
struct Key {
    red: usize,
    parties: BTreeMap<String, (i64, i64)>,
    violated: BTreeSet<String>,
}

impl Key {
    fn from_plan(rows: &[BTreeMap<String, String>]) -> Key {
        let mut key = Key {
            red: 0,
            parties: BTreeMap::new(),
            violated: BTreeSet::new(),
        };
        for row in rows {
            let weight = match row["priority"].as_str() {
                "red-line" => 4,
                "high" => 3,
                "medium" => 2,
                _ => 1,
            };
            let points = match row["verdict"].as_str() {
                "met" => 2,
                "acceptable" => 1,
                "violated" => 0,
                other => panic!("a package covers every issue in play, not {other}"),
            };
            if points == 0 {
                key.violated.insert(row["demand"].clone());
                if weight == 4 {
                    key.red += 1;
                }
            }
            let entry = key.parties.entry(row["party"].clone()).or_insert((0, 0));
            entry.0 += weight * points;
            entry.1 += weight * 2;
        }
        key
    }

    fn min(&self) -> (i64, i64) {
        *self
            .parties
            .values()
            .min_by(|a, b| (a.0 * b.1).cmp(&(b.0 * a.1)))
            .expect("a party")
    }

    fn sum(&self) -> f64 {
        self.parties.values().map(|&(n, d)| n as f64 / d as f64).sum()
    }

    fn sum_exact_cmp(&self, other: &Key) -> Ordering {
        // Σ n/d compared exactly: over a common denominator in i128.
        let total = |k: &Key| {
            let den: i128 = k.parties.values().map(|&(_, d)| i128::from(d)).product();
            let num: i128 = k
                .parties
                .values()
                .map(|&(n, d)| i128::from(n) * (den / i128::from(d)))
                .sum();
            (num, den)
        };
        let (a, b) = (total(self), total(other));
        (a.0 * b.1).cmp(&(b.0 * a.1))
    }

    /// `Greater` when `self` ranks better.
    fn rank_cmp(&self, other: &Key) -> Ordering {
        let (a, b) = (self.min(), other.min());
        other
            .red
            .cmp(&self.red)
            .then((i128::from(a.0) * i128::from(b.1)).cmp(&(i128::from(b.0) * i128::from(a.1))))
            .then(self.sum_exact_cmp(other))
    }
}

fn scored(outcomes: &BTreeMap<String, String>, dir: &std::path::Path) -> Key {
    let mut text = String::from(
        "plan:\n  id: probe\n  title: Probe\n  date: 2026-01-15\n  sources:\n    - {title: Probe, by: Test, date: 2026-01-15}\noutcomes:\n",
    );
    for (issue, outcome) in outcomes {
        text.push_str(&format!("  {issue}: {outcome}\n"));
    }
    let path = dir.join("probe.yaml");
    std::fs::write(&path, text).expect("write plan");
    let rows = csv_rows(&run(&["plan", path.to_str().expect("utf-8"), "--format", "csv"]));
    Key::from_plan(&rows)
}

fn items(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) if s.is_empty() => Vec::new(),
        Value::String(s) => s.split(';').map(str::to_string).collect(),
        Value::Array(a) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn best_package_recomputes_and_has_no_better_neighbour() {
    let settle: Value = serde_json::from_slice(&run(&["settle", "--format", "json"])).expect("JSON");
    let best = &settle[0];
    let outcomes: BTreeMap<String, String> = best["outcomes"]
        .as_object()
        .expect("outcomes")
        .iter()
        .map(|(issue, v)| (issue.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let key = scored(&outcomes, dir.path());

    // The figures recompute exactly.
    assert_eq!(best["red_lines_crossed"], key.red);
    let (n, d) = key.min();
    let four = |x: f64| (x * 10_000.0).round() / 10_000.0;
    assert_eq!(best["min_satisfaction"].as_f64(), Some(four(n as f64 / d as f64)));
    assert_eq!(best["total_satisfaction"].as_f64(), Some(four(key.sum())));
    for party in best["parties"].as_array().expect("parties") {
        let (n, d) = key.parties[party["party"].as_str().expect("id")];
        assert_eq!(
            party["satisfaction"].as_f64(),
            Some(four(n as f64 / d as f64)),
            "{party}"
        );
    }

    // The asserted clashes, and every outcome some active demand names, issue by issue.
    let clashes: Vec<(String, String)> = csv_rows(&run(&["pairs", "--format", "csv"]))
        .into_iter()
        .filter(|r| r["basis"] == "asserted" && r["relation"] != "overlap")
        .map(|r| (r["demand_a"].clone(), r["demand_b"].clone()))
        .collect();
    let honours = |k: &Key| {
        clashes
            .iter()
            .all(|(a, b)| k.violated.contains(a) || k.violated.contains(b))
    };
    assert!(honours(&key), "the best package leaves a clash unviolated");
    let demands: Value = serde_json::from_slice(&run(&["demands", "--format", "json"])).expect("JSON");
    let mut candidates: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for demand in demands.as_array().expect("demands") {
        let issue = demand["issue"].as_str().expect("issue").to_string();
        for item in items(&demand["wants"]).into_iter().chain(items(&demand["accepts"])) {
            let set = candidates.entry(issue.clone()).or_default();
            match item.split_once("..") {
                Some((lo, hi)) => {
                    set.insert(lo.to_string());
                    set.insert(hi.to_string());
                }
                None => {
                    set.insert(item);
                }
            }
        }
    }
    let mut neighbours = 0;
    for (issue, set) in &candidates {
        for candidate in set.iter().filter(|c| outcomes.get(issue) != Some(c)) {
            let mut changed = outcomes.clone();
            changed.insert(issue.clone(), candidate.clone());
            let neighbour = scored(&changed, dir.path());
            neighbours += 1;
            if honours(&neighbour) {
                assert_ne!(
                    neighbour.rank_cmp(&key),
                    Ordering::Greater,
                    "{issue} = {candidate} ranks better than the best package"
                );
            }
        }
    }
    assert!(neighbours > 20, "only {neighbours} neighbours tried");
}
