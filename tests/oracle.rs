//! An independent test oracle for `positions pairs` and `positions matrix`.
//!
//! This file re-implements the comparison rules of SPEC §2 from scratch (it shares no
//! code with `src/`), generates random but valid corpora (SPEC §1) from a seeded PRNG,
//! and compares the binary's CSV output (SPEC §3.1, §4) byte for byte with its own -- all
//! but the record terminators, which `csv_records_end_in_crlf` pins down once (RFC 4180:
//! CRLF), so that one terminator mistake does not drown every other finding.
//!
//! Ordering conventions tested (decided with the implementer): party order alphabetical by
//! id unless `--parties`; pairs grouped by party pair, derived pairs by issue, then
//! demand_a's and demand_b's file positions, then that pair's asserted relations in
//! relations.yaml order; one matrix row per party pair, zeros included.
//!
//! Environment knobs, for reproducing a failure:
//! * `ORACLE_SEED=<n>`    check only that seed;
//! * `ORACLE_CORPORA=<n>` number of random corpora (default 150).

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::Path;

// ---------------------------------------------------------------------------
// The oracle: SPEC §2 plus the implementer's ordering conventions
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    party_a: String,
    demand_a: String,
    issue_a: String,
    party_b: String,
    demand_b: String,
    issue_b: String,
    relation: String,
    basis: String,
    common_ground: String,
}

impl Row {
    fn fields(&self) -> [&str; 9] {
        [
            &self.party_a,
            &self.demand_a,
            &self.issue_a,
            &self.party_b,
            &self.demand_b,
            &self.issue_b,
            &self.relation,
            &self.basis,
            &self.common_ground,
        ]
    }

    fn from_fields(f: &[String]) -> Row {
        assert_eq!(f.len(), 9, "a pairs row has 9 fields: {f:?}");
        Row {
            party_a: f[0].clone(),
            demand_a: f[1].clone(),
            issue_a: f[2].clone(),
            party_b: f[3].clone(),
            demand_b: f[4].clone(),
            issue_b: f[5].clone(),
            relation: f[6].clone(),
            basis: f[7].clone(),
            common_ground: f[8].clone(),
        }
    }

    fn swapped(&self) -> Row {
        Row {
            party_a: self.party_b.clone(),
            demand_a: self.demand_b.clone(),
            issue_a: self.issue_b.clone(),
            party_b: self.party_a.clone(),
            demand_b: self.demand_a.clone(),
            issue_b: self.issue_a.clone(),
            ..self.clone()
        }
    }
}

/// Relation and common ground of two demands on the same issue.
fn compare(issue: &Issue, a: &Demand, b: &Demand) -> (&'static str, String) {
    let common = match &issue.kind {
        IssueKind::Options(names) => {
            let (sa, sb) = (a.accepts().option_set(), b.accepts().option_set());
            let common: Vec<&str> = (0..names.len())
                .filter(|i| sa.contains(i) && sb.contains(i))
                .map(|i| names[i].as_str())
                .collect();
            (!common.is_empty()).then(|| common.join(";"))
        }
        IssueKind::Scale { .. } => {
            let bounds = issue.scale_bounds();
            let (alo, ahi) = a.accepts().interval(bounds);
            let (blo, bhi) = b.accepts().interval(bounds);
            let (lo, hi) = (alo.max(blo), ahi.min(bhi));
            (lo <= hi).then(|| format!("{lo}..{hi}"))
        }
    };
    match common {
        Some(cg) => ("overlap", cg),
        None if a.red_line() && b.red_line() => ("irreconcilable", String::new()),
        None => ("conflict", String::new()),
    }
}

fn oracle_pairs(c: &Corpus, as_of: Date, order: &[usize]) -> Vec<Row> {
    let index = c.demand_index();
    let mut rows = Vec::new();
    for i in 0..order.len() {
        for j in i + 1..order.len() {
            let (pa, pb) = (&c.parties[order[i]], &c.parties[order[j]]);
            for (ii, issue) in c.issues.iter().enumerate() {
                for da in pa.demands.iter().filter(|d| d.issue == ii && d.active(as_of)) {
                    for db in pb.demands.iter().filter(|d| d.issue == ii && d.active(as_of)) {
                        let (relation, cg) = compare(issue, da, db);
                        rows.push(Row {
                            party_a: pa.id.clone(),
                            demand_a: da.id.clone(),
                            issue_a: issue.id.clone(),
                            party_b: pb.id.clone(),
                            demand_b: db.id.clone(),
                            issue_b: issue.id.clone(),
                            relation: relation.into(),
                            basis: "derived".into(),
                            common_ground: cg,
                        });
                    }
                }
            }
            for r in c.relations.iter().flatten() {
                let (p0, d0) = index[r.between[0].as_str()];
                let (p1, d1) = index[r.between[1].as_str()];
                let (x, y) = if (p0, p1) == (order[i], order[j]) {
                    ((p0, d0), (p1, d1))
                } else if (p1, p0) == (order[i], order[j]) {
                    ((p1, d1), (p0, d0))
                } else {
                    continue;
                };
                let (da, db) = (&c.parties[x.0].demands[x.1], &c.parties[y.0].demands[y.1]);
                if !(da.active(as_of) && db.active(as_of)) {
                    continue;
                }
                rows.push(Row {
                    party_a: pa.id.clone(),
                    demand_a: da.id.clone(),
                    issue_a: c.issues[da.issue].id.clone(),
                    party_b: pb.id.clone(),
                    demand_b: db.id.clone(),
                    issue_b: c.issues[db.issue].id.clone(),
                    relation: r.kind.into(),
                    basis: "asserted".into(),
                    common_ground: String::new(),
                });
            }
        }
    }
    rows
}

const PAIRS_HEADER: &str = "party_a,demand_a,issue_a,party_b,demand_b,issue_b,relation,basis,common_ground";
const MATRIX_HEADER: &str = "party_a,party_b,overlap,conflict,irreconcilable";

fn pairs_csv(rows: &[Row]) -> String {
    let mut out = format!("{PAIRS_HEADER}{EOL}");
    for r in rows {
        csv_line(&mut out, &r.fields());
    }
    out
}

fn matrix_csv(c: &Corpus, order: &[usize], rows: &[Row]) -> String {
    let mut out = format!("{MATRIX_HEADER}{EOL}");
    for i in 0..order.len() {
        for j in i + 1..order.len() {
            let (a, b) = (&c.parties[order[i]].id, &c.parties[order[j]].id);
            let count = |rel: &str| {
                rows.iter()
                    .filter(|r| &r.party_a == a && &r.party_b == b && r.relation == rel)
                    .count()
                    .to_string()
            };
            csv_line(
                &mut out,
                &[
                    a.clone(),
                    b.clone(),
                    count("overlap"),
                    count("conflict"),
                    count("irreconcilable"),
                ],
            );
        }
    }
    out
}

fn demand_matrix_csv(c: &Corpus, as_of: Date, order: &[usize], rows: &[Row]) -> String {
    let ids: Vec<&str> = order
        .iter()
        .flat_map(|&p| c.parties[p].demands.iter())
        .filter(|d| d.active(as_of))
        .map(|d| d.id.as_str())
        .collect();
    let mut cell: HashMap<(&str, &str), &str> = HashMap::new();
    for r in rows {
        let prev = cell.insert((r.demand_a.as_str(), r.demand_b.as_str()), r.relation.as_str());
        assert!(prev.is_none(), "oracle: two relations for one pair");
        cell.insert((r.demand_b.as_str(), r.demand_a.as_str()), r.relation.as_str());
    }
    let mut out = String::new();
    let header: Vec<&str> = std::iter::once("demand").chain(ids.iter().copied()).collect();
    csv_line(&mut out, &header);
    for &row in &ids {
        let line: Vec<&str> = std::iter::once(row)
            .chain(ids.iter().map(|&col| cell.get(&(row, col)).copied().unwrap_or("")))
            .collect();
        csv_line(&mut out, &line);
    }
    out
}

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

const PAIRS: &[&str] = &["pairs"];
const MATRIX: &[&str] = &["matrix"];
const DEMAND_MATRIX: &[&str] = &["matrix", "--level", "demand"];

fn command_line(dir: &Path, as_of: Date, sub: &[&str], parties: Option<&str>) -> Vec<String> {
    let mut args = vec![
        "--corpus".to_string(),
        dir.display().to_string(),
        "--as-of".to_string(),
        as_of.to_string(),
    ];
    args.extend(sub.iter().map(|s| s.to_string()));
    if let Some(p) = parties {
        args.push("--parties".into());
        args.push(p.into());
    }
    args.push("--format".into());
    args.push("csv".into());
    args
}

/// Runs `positions` and returns its stdout, or a description of the failure.
fn run(dir: &Path, as_of: Date, sub: &[&str], parties: Option<&str>) -> Result<String, String> {
    let args = command_line(dir, as_of, sub, parties);
    let mut cmd = crate::support::positions();
    let out = cmd
        .args(&args)
        .output()
        .map_err(|e| format!("cannot run positions: {e}"))?;
    let stdout = String::from_utf8(out.stdout).map_err(|e| format!("stdout not UTF-8: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`positions {}` failed with {}\n--- stderr ---\n{}--- stdout ---\n{stdout}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(stdout)
}

fn run_ok(dir: &Path, as_of: Date, sub: &[&str], parties: Option<&str>) -> String {
    run(dir, as_of, sub, parties).unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------------------
// (a) Random corpora against the oracle
// ---------------------------------------------------------------------------

/// Checks pairs, party matrix and demand matrix for one date and selection.
/// Checks pairs, party matrix and demand matrix for one date and selection.  `Err` is a
/// content mismatch (or a failed run); `Ok(Some(_))` an output with LF instead of CRLF
/// terminators and otherwise right.
fn check_outputs(
    seed: Option<u64>,
    c: &Corpus,
    dir: &Path,
    as_of: Date,
    sel: &Selection,
) -> Result<Option<String>, String> {
    let rows = oracle_pairs(c, as_of, &sel.order);
    let cases: [(&[&str], String); 3] = [
        (PAIRS, pairs_csv(&rows)),
        (MATRIX, matrix_csv(c, &sel.order, &rows)),
        (DEMAND_MATRIX, demand_matrix_csv(c, as_of, &sel.order, &rows)),
    ];
    let mut terminators = None;
    for (sub, expected) in cases {
        let actual = run(dir, as_of, sub, sel.arg.as_deref())
            .map_err(|e| format!("seed {seed:?}: {e}\n--- corpus ---\n{}", corpus_listing(dir)))?;
        if actual != expected {
            let args = command_line(dir, as_of, sub, sel.arg.as_deref());
            let report = mismatch(seed, dir, &args, &expected, &actual);
            // Terminators alone are `csv_records_end_in_crlf`'s business, as long as the
            // binary sticks to one kind.
            if lf(&actual) != lf(&expected) || actual.contains("\r\n") {
                return Err(report);
            }
            terminators.get_or_insert(report);
        }
    }
    Ok(terminators)
}

struct CorpusResult {
    seed: u64,
    runs: usize,
    content: Option<String>,
    terminators: Option<String>,
}

fn check_random_corpus(seed: u64) -> CorpusResult {
    let c = gen_corpus(seed);
    let tmp = tempfile::tempdir().unwrap();
    write_corpus(&c, tmp.path());
    let mut rng = Rng::new(seed ^ 0xA5A5_A5A5_A5A5_A5A5);

    // An arbitrary day, an exact stated/until boundary, and after every date (before every
    // date is covered by `before_every_stated_date_only_headers`).  On one of the three, a
    // random `--parties` selection instead of all parties.
    let boundaries = c.all_dates();
    let mid = Date::new(
        rng.between(2015, 2025) as i32,
        rng.between(1, 12) as u32,
        rng.between(1, 28) as u32,
    );
    let dates = [mid, rng.pick(&boundaries), AFTER_ALL];
    let with_selection = rng.below(dates.len());
    let mut result = CorpusResult {
        seed,
        runs: 0,
        content: None,
        terminators: None,
    };
    for (k, date) in dates.into_iter().enumerate() {
        let sel = if k == with_selection {
            random_selection(&c, &mut rng)
        } else {
            default_selection(&c)
        };
        result.runs += 3;
        match check_outputs(Some(seed), &c, tmp.path(), date, &sel) {
            Ok(t) => result.terminators = result.terminators.or(t),
            Err(e) => {
                // Keep the corpus on disk for a look at it.
                result.content = Some(format!("{e}\n(corpus kept in {})", tmp.keep().display()));
                break;
            }
        }
    }
    result
}

#[test]
fn random_corpora_match_oracle() {
    let start = std::time::Instant::now();
    let seeds: Vec<u64> = match env_u64("ORACLE_SEED") {
        Some(s) => vec![s],
        None => (0..env_u64("ORACLE_CORPORA").unwrap_or(150)).collect(),
    };
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get()).clamp(1, 8);
    let mut results: Vec<CorpusResult> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let seeds = &seeds;
                s.spawn(move || {
                    seeds
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|&seed| check_random_corpus(seed))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    results.sort_by_key(|r| r.seed);
    let runs: usize = results.iter().map(|r| r.runs).sum();
    let content: Vec<&CorpusResult> = results.iter().filter(|r| r.content.is_some()).collect();
    let terminators: Vec<&CorpusResult> = results
        .iter()
        .filter(|r| r.content.is_none() && r.terminators.is_some())
        .collect();
    eprintln!(
        "oracle: {} corpora, {runs} invocations, {} with wrong content, {} right but with LF for CRLF, {:.1?}",
        seeds.len(),
        content.len(),
        terminators.len(),
        start.elapsed()
    );
    let seeds_of = |v: &[&CorpusResult]| v.iter().map(|r| r.seed.to_string()).collect::<Vec<_>>().join(" ");
    let mut report = String::new();
    if !content.is_empty() {
        let shown: Vec<&str> = content.iter().take(2).filter_map(|r| r.content.as_deref()).collect();
        report += &format!(
            "{} of {} random corpora disagree with the oracle in content; seeds: {}\n\n{}\n\n",
            content.len(),
            seeds.len(),
            seeds_of(&content),
            shown.join("\n\n")
        );
    }
    assert!(report.is_empty(), "{report}");
}

/// The random corpora must exercise every rule, or agreeing with the oracle means little.
#[test]
fn generator_covers_every_case() {
    let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
    for seed in 0..150 {
        let c = gen_corpus(seed);
        for date in c.all_dates().into_iter().chain([AFTER_ALL]) {
            let order = default_selection(&c).order;
            for r in oracle_pairs(&c, date, &order) {
                let issue = c.issues.iter().find(|i| i.id == r.issue_a).unwrap();
                let scale = matches!(issue.kind, IssueKind::Scale { .. });
                let key = match (r.basis.as_str(), r.relation.as_str(), scale) {
                    ("asserted", "overlap", _) => "asserted overlap",
                    ("asserted", "conflict", _) => "asserted conflict",
                    ("asserted", _, _) => "asserted irreconcilable",
                    (_, "overlap", false) => "options overlap",
                    (_, "overlap", true) => "scale overlap",
                    (_, "conflict", false) => "options conflict",
                    (_, "conflict", true) => "scale conflict",
                    (_, _, false) => "options irreconcilable",
                    (_, _, true) => "scale irreconcilable",
                };
                *tally.entry(key).or_default() += 1;
                if r.common_ground.contains(';') {
                    *tally.entry("several options in common").or_default() += 1;
                }
                if r.common_ground.split_once("..").is_some_and(|(lo, hi)| lo == hi) {
                    *tally.entry("single-point common ground").or_default() += 1;
                }
                if r.common_ground.starts_with('-') {
                    *tally.entry("negative common ground").or_default() += 1;
                }
                if r.common_ground.contains('.') && r.common_ground.split("..").any(|x| x.contains('.')) {
                    *tally.entry("fractional common ground").or_default() += 1;
                }
            }
            for p in &c.parties {
                let active: Vec<usize> = p.demands.iter().filter(|d| d.active(date)).map(|d| d.issue).collect();
                if active.iter().collect::<BTreeSet<_>>().len() < active.len() {
                    *tally.entry("party with two active demands on one issue").or_default() += 1;
                }
            }
        }
    }
    eprintln!("coverage: {tally:#?}");
    assert_eq!(tally.len(), 14, "some case is never generated: {tally:#?}");
    assert!(tally.values().all(|&n| n >= 5), "some case is rare: {tally:#?}");
}

/// The generator itself must be sound, or the comparison above means nothing.
#[test]
fn generator_produces_valid_corpora() {
    for seed in 0..300 {
        let c = gen_corpus(seed);
        let index = c.demand_index();
        assert_eq!(index.len(), c.parties.iter().map(|p| p.demands.len()).sum::<usize>());
        for p in &c.parties {
            for d in &p.demands {
                assert!(d.until.is_none_or(|u| u > d.stated) && d.stated >= FIRST_DATE);
                assert!(d.until.is_none_or(|u| u <= LAST_DATE));
                let issue = &c.issues[d.issue];
                match &issue.kind {
                    IssueKind::Options(_) => {
                        let (w, a) = (d.wants.option_set(), d.accepts().option_set());
                        assert!(!w.is_empty() && w.is_subset(&a));
                    }
                    IssueKind::Scale { .. } => {
                        let b = issue.scale_bounds();
                        let (w, a) = (d.wants.interval(b), d.accepts().interval(b));
                        assert!(b.0 <= a.0 && a.0 <= w.0 && w.0 <= w.1 && w.1 <= a.1 && a.1 <= b.1);
                    }
                }
            }
        }
        let mut pairs = BTreeSet::new();
        for r in c.relations.iter().flatten() {
            let (x, y) = (index[r.between[0].as_str()], index[r.between[1].as_str()]);
            assert_ne!(x.0, y.0);
            assert_ne!(c.parties[x.0].demands[x.1].issue, c.parties[y.0].demands[y.1].issue);
            assert!(pairs.insert(BTreeSet::from([x, y])));
        }
    }
}

// ---------------------------------------------------------------------------
// (b) Properties of the binary's own outputs
// ---------------------------------------------------------------------------

/// Pairs rows of a CSV output, header checked.
fn pairs_rows(csv: &str) -> Vec<Row> {
    let recs = parse_csv(csv);
    assert_eq!(
        recs.first().map(|r| r.join(",")),
        Some(PAIRS_HEADER.to_string()),
        "pairs header:\n{csv}"
    );
    recs[1..].iter().map(|r| Row::from_fields(r)).collect()
}

/// (party_a, party_b) -> [overlap, conflict, irreconcilable], in row order.
fn matrix_rows(csv: &str) -> Vec<((String, String), [usize; 3])> {
    let recs = parse_csv(csv);
    assert_eq!(
        recs.first().map(|r| r.join(",")),
        Some(MATRIX_HEADER.to_string()),
        "matrix header:\n{csv}"
    );
    recs[1..]
        .iter()
        .map(|r| {
            assert_eq!(r.len(), 5, "matrix row {r:?}");
            let n = |k: usize| r[k].parse::<usize>().unwrap_or_else(|_| panic!("count in {r:?}"));
            ((r[0].clone(), r[1].clone()), [n(2), n(3), n(4)])
        })
        .collect()
}

fn count_pairs(rows: &[Row]) -> BTreeMap<(String, String), [usize; 3]> {
    let mut m: BTreeMap<(String, String), [usize; 3]> = BTreeMap::new();
    for r in rows {
        let k = ["overlap", "conflict", "irreconcilable"]
            .iter()
            .position(|x| *x == r.relation)
            .unwrap_or_else(|| panic!("bad relation in {r:?}"));
        m.entry((r.party_a.clone(), r.party_b.clone())).or_default()[k] += 1;
    }
    m
}

#[test]
fn matrix_counts_equal_pairs_counts() {
    for seed in 1000..1040 {
        let c = gen_corpus(seed);
        let tmp = tempfile::tempdir().unwrap();
        write_corpus(&c, tmp.path());
        let mut rng = Rng::new(seed);
        let date = rng.pick(&c.all_dates());
        let pairs = pairs_rows(&run_ok(tmp.path(), date, PAIRS, None));
        let matrix = matrix_rows(&run_ok(tmp.path(), date, MATRIX, None));
        let counts = count_pairs(&pairs);
        let n = c.parties.len();
        assert_eq!(
            matrix.len(),
            n * (n - 1) / 2,
            "seed {seed}: one matrix row per party pair"
        );
        for (key, m) in &matrix {
            assert_eq!(
                counts.get(key).copied().unwrap_or_default(),
                *m,
                "seed {seed}, {key:?}: matrix vs pairs\n{}",
                corpus_listing(tmp.path())
            );
        }
        let keys: BTreeSet<_> = matrix.iter().map(|(k, _)| k.clone()).collect();
        assert!(
            counts.keys().all(|k| keys.contains(k)),
            "seed {seed}: pairs of parties missing from matrix"
        );
    }
}

#[test]
fn swapping_party_order_swaps_sides_only() {
    for seed in 2000..2040 {
        let c = gen_corpus(seed);
        let tmp = tempfile::tempdir().unwrap();
        write_corpus(&c, tmp.path());
        let mut rng = Rng::new(seed);
        let date = rng.pick(&c.all_dates());
        let mut two: Vec<usize> = (0..c.parties.len()).collect();
        rng.shuffle(&mut two);
        let (a, b) = (two[0], two[1]);
        let (ab, ba) = (explicit_selection(&c, vec![a, b]), explicit_selection(&c, vec![b, a]));
        let (ida, idb) = (&c.parties[a].id, &c.parties[b].id);

        let rows_ab = pairs_rows(&run_ok(tmp.path(), date, PAIRS, ab.arg.as_deref()));
        let rows_ba = pairs_rows(&run_ok(tmp.path(), date, PAIRS, ba.arg.as_deref()));
        assert!(
            rows_ab.iter().all(|r| &r.party_a == ida && &r.party_b == idb),
            "seed {seed}"
        );
        assert!(
            rows_ba.iter().all(|r| &r.party_a == idb && &r.party_b == ida),
            "seed {seed}"
        );
        let mut x: Vec<Row> = rows_ab.clone();
        let mut y: Vec<Row> = rows_ba.iter().map(Row::swapped).collect();
        x.sort();
        y.sort();
        assert_eq!(x, y, "seed {seed}: swapping --parties changed more than the sides");

        let m_ab = matrix_rows(&run_ok(tmp.path(), date, MATRIX, ab.arg.as_deref()));
        let m_ba = matrix_rows(&run_ok(tmp.path(), date, MATRIX, ba.arg.as_deref()));
        assert_eq!(m_ab.len(), 1, "seed {seed}");
        assert_eq!(m_ab[0].0, (ida.clone(), idb.clone()), "seed {seed}");
        assert_eq!(m_ba[0].0, (idb.clone(), ida.clone()), "seed {seed}");
        assert_eq!(m_ab[0].1, m_ba[0].1, "seed {seed}");

        // The demand matrix is symmetric, and the same relation whatever the order.
        let cells = |csv: &str| {
            let recs = parse_csv(csv);
            let cols = recs[0][1..].to_vec();
            let mut m = BTreeMap::new();
            for r in &recs[1..] {
                assert_eq!(r.len(), cols.len() + 1, "seed {seed}: ragged demand matrix");
                for (col, v) in cols.iter().zip(&r[1..]) {
                    m.insert((r[0].clone(), col.clone()), v.clone());
                }
            }
            for ((row, col), v) in &m {
                assert_eq!(
                    m.get(&(col.clone(), row.clone())),
                    Some(v),
                    "seed {seed}: asymmetric at {row},{col}"
                );
            }
            m
        };
        let d_ab = cells(&run_ok(tmp.path(), date, DEMAND_MATRIX, ab.arg.as_deref()));
        let d_ba = cells(&run_ok(tmp.path(), date, DEMAND_MATRIX, ba.arg.as_deref()));
        assert_eq!(d_ab, d_ba, "seed {seed}");
    }
}

#[test]
fn before_every_stated_date_only_headers() {
    for seed in 3000..3020 {
        let c = gen_corpus(seed);
        let tmp = tempfile::tempdir().unwrap();
        write_corpus(&c, tmp.path());
        let first = c.all_dates().into_iter().min().unwrap();
        // The day before the earliest stated date (or close to it), and long before.
        let before = match first {
            Date { d: 2.., .. } => Date::new(first.y, first.m, first.d - 1),
            Date { m: 2.., .. } => Date::new(first.y, first.m - 1, 28),
            _ => Date::new(first.y - 1, 12, 31),
        };
        let before = if seed % 2 == 0 { before } else { BEFORE_ALL };
        assert_csv(
            &run_ok(tmp.path(), before, PAIRS, None),
            &format!("{PAIRS_HEADER}{EOL}"),
            &format!("seed {seed}"),
        );
        assert_csv(
            &run_ok(tmp.path(), before, DEMAND_MATRIX, None),
            &format!("demand{EOL}"),
            &format!("seed {seed}"),
        );
        // The party matrix keeps a row per pair of parties, all counts zero.
        let m = matrix_rows(&run_ok(tmp.path(), before, MATRIX, None));
        let n = c.parties.len();
        assert_eq!(m.len(), n * (n - 1) / 2, "seed {seed}");
        assert!(m.iter().all(|(_, c)| *c == [0, 0, 0]), "seed {seed}: {m:?}");
    }
}

// ---------------------------------------------------------------------------
// (c) A hand-written fixture: a fictional Northland–Southland negotiation
// ---------------------------------------------------------------------------

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oracle-negotiation")
}

fn lines(v: &[&str]) -> String {
    v.iter().map(|l| format!("{l}{EOL}")).collect()
}

#[test]
fn fixture_pairs_by_hand() {
    let dir = fixture();
    // nl-joint-zone withdrawn on 2020-01-15, sl-phased on 2020-09-01.
    assert_csv(
        &run_ok(&dir, Date::new(2021, 1, 1), PAIRS, None),
        &lines(&[
            PAIRS_HEADER,
            "mediator,md-commission,border-line,northland,nl-old-line,border-line,overlap,derived,joint-zone;commission",
            "mediator,md-garrison-freeze,garrison-change,northland,nl-garrison-cut,garrison-change,overlap,derived,'-5..0",
            "mediator,md-shared-tolls,river-tolls,northland,nl-northern-tolls,river-tolls,conflict,derived,",
            "mediator,md-commission,border-line,southland,sl-new-line,border-line,overlap,derived,commission",
            "mediator,md-garrison-freeze,garrison-change,southland,sl-garrison,garrison-change,overlap,derived,'-5..2.5",
            "mediator,md-shared-tolls,river-tolls,southland,sl-southern-tolls,river-tolls,conflict,derived,",
            "northland,nl-old-line,border-line,southland,sl-new-line,border-line,overlap,derived,commission",
            "northland,nl-garrison-cut,garrison-change,southland,sl-garrison,garrison-change,overlap,derived,'-12.5..0",
            "northland,nl-northern-tolls,river-tolls,southland,sl-southern-tolls,river-tolls,irreconcilable,derived,",
            "northland,nl-garrison-cut,garrison-change,southland,sl-southern-tolls,river-tolls,conflict,asserted,",
        ]),
        "pairs as of 2021-01-01",
    );
    // Only the withdrawn demand and the mediator's first one are active.
    assert_csv(
        &run_ok(&dir, Date::new(2020, 1, 14), PAIRS, None),
        &lines(&[
            PAIRS_HEADER,
            "mediator,md-commission,border-line,northland,nl-joint-zone,border-line,overlap,derived,joint-zone",
        ]),
        "pairs as of 2020-01-14",
    );
    // `until` is exclusive.
    assert_csv(
        &run_ok(&dir, Date::new(2020, 1, 15), PAIRS, None),
        &lines(&[PAIRS_HEADER]),
        "pairs as of 2020-01-15",
    );
    // --parties in reverse order, by alias and in another case; the asserted relation
    // with the short-lived sl-phased demand is active on this date.
    assert_csv(
        &run_ok(&dir, Date::new(2020, 6, 15), PAIRS, Some("SL,Mediator")),
        &lines(&[
            PAIRS_HEADER,
            "southland,sl-new-line,border-line,mediator,md-commission,border-line,overlap,derived,commission",
            "southland,sl-garrison,garrison-change,mediator,md-garrison-freeze,garrison-change,overlap,derived,'-5..2.5",
            "southland,sl-southern-tolls,river-tolls,mediator,md-shared-tolls,river-tolls,conflict,derived,",
            "southland,sl-phased,prisoner-exchange,mediator,md-commission,border-line,overlap,asserted,",
        ]),
        "pairs --parties SL,Mediator as of 2020-06-15",
    );
}

#[test]
fn fixture_matrices_by_hand() {
    let dir = fixture();
    let d = Date::new(2021, 1, 1);
    assert_csv(
        &run_ok(&dir, d, MATRIX, None),
        &lines(&[
            MATRIX_HEADER,
            "mediator,northland,2,1,0",
            "mediator,southland,2,1,0",
            "northland,southland,2,1,1",
        ]),
        "matrix as of 2021-01-01",
    );
    assert_csv(
        &run_ok(&dir, Date::new(2019, 6, 1), MATRIX, None),
        &lines(&[
            MATRIX_HEADER,
            "mediator,northland,1,0,0",
            "mediator,southland,0,0,0",
            "northland,southland,0,0,0",
        ]),
        "matrix as of 2019-06-01",
    );
    assert_csv(
        &run_ok(
            &dir,
            Date::new(2020, 6, 15),
            MATRIX,
            Some("southland,northland,mediator"),
        ),
        &lines(&[
            MATRIX_HEADER,
            // border, garrison and prisoners overlap; tolls irreconcilable; asserted conflict
            "southland,northland,3,1,1",
            "southland,mediator,3,1,0",
            "northland,mediator,2,1,0",
        ]),
        "matrix --parties southland,northland,mediator as of 2020-06-15",
    );

    let demand = run_ok(&dir, d, DEMAND_MATRIX, None);
    let ids = [
        "md-commission",
        "md-garrison-freeze",
        "md-shared-tolls",
        "nl-garrison-cut",
        "nl-old-line",
        "nl-northern-tolls",
        "nl-all-for-all",
        "sl-southern-tolls",
        "sl-new-line",
        "sl-garrison",
    ];
    let recs: Vec<String> = demand.lines().map(str::to_string).collect();
    assert_eq!(recs.len(), ids.len() + 1, "{demand}");
    assert_eq!(recs[0], format!("demand,{}", ids.join(",")));
    let row = |id: &str, cells: [&str; 10]| format!("{id},{}", cells.join(","));
    let asserted = ["", "overlap", "", "", "", "", "", "conflict", "", "overlap"];
    assert_eq!(recs[4], row("nl-garrison-cut", asserted));
    let tolls = ["", "", "conflict", "", "", "", "", "irreconcilable", "", ""];
    assert_eq!(recs[6], row("nl-northern-tolls", tolls));
    // Its only counterpart, sl-phased, was withdrawn on 2020-09-01.
    assert_eq!(recs[7], row("nl-all-for-all", [""; 10]));
    let border = ["", "", "", "", "overlap", "", "", "", "overlap", ""];
    assert_eq!(recs[1], row("md-commission", border));
    assert_csv(&demand, &lf(&demand).replace('\n', EOL), "matrix --level demand");
}

/// SPEC §3: "CSV is RFC 4180", whose §2.1 ends each record, the last one included, with
/// CRLF.  (The `csv` crate's `Writer` defaults to LF; `Terminator::CRLF` gives RFC 4180.)
#[test]
fn csv_records_end_in_crlf() {
    let dir = fixture();
    for (date, sub) in [
        (Date::new(2021, 1, 1), PAIRS),
        (Date::new(2021, 1, 1), MATRIX),
        (Date::new(2021, 1, 1), DEMAND_MATRIX),
        (Date::new(2000, 1, 1), PAIRS),
    ] {
        let csv = run_ok(&dir, date, sub, None);
        let records = lf(&csv).matches('\n').count();
        assert!(
            csv.ends_with(EOL) && csv.matches(EOL).count() == records,
            "`{} --format csv` as of {date}: every record must end in CRLF (RFC 4180 §2.1); got {csv:?}",
            sub.join(" ")
        );
    }
}

/// `ORACLE_SEED=7 ORACLE_DUMP=/tmp/c7 cargo test --test oracle dump_corpus -- --ignored`
/// writes that seed's corpus and the oracle's expected outputs for inspection.
#[test]
#[ignore]
fn dump_corpus() {
    let seed = env_u64("ORACLE_SEED").unwrap_or(0);
    let dir = std::path::PathBuf::from(std::env::var("ORACLE_DUMP").expect("set ORACLE_DUMP"));
    fs::create_dir_all(&dir).unwrap();
    let c = gen_corpus(seed);
    write_corpus(&c, &dir);
    let sel = default_selection(&c);
    for date in c.all_dates().into_iter().chain([AFTER_ALL]) {
        let rows = oracle_pairs(&c, date, &sel.order);
        eprintln!(
            "--- as of {date}\n{}{}{}",
            pairs_csv(&rows),
            matrix_csv(&c, &sel.order, &rows),
            demand_matrix_csv(&c, date, &sel.order, &rows)
        );
    }
}
