//! Shared by the independent oracles (`tests/oracle.rs`, `tests/plan_oracle.rs`): a seeded
//! PRNG, a generator of random but valid corpora (SPEC §1) and their YAML, party
//! selections, RFC 4180 helpers and failure reports.  Nothing here comes from `src/`.

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::fs;
use std::path::Path;

// ---------------------------------------------------------------------------
// PRNG (splitmix64)
// ---------------------------------------------------------------------------

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x0DDB_A11C_AFE0_0001)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }

    pub fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.below(v.len())]
    }
}

// ---------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Date {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Date {
    pub const fn new(y: i32, m: u32, d: u32) -> Self {
        Date { y, m, d }
    }

    /// Days are kept at most 28, so the result is always a valid date.
    pub fn add_months(self, n: u32) -> Date {
        let total = self.y * 12 + (self.m as i32 - 1) + n as i32;
        Date::new(total / 12, (total % 12) as u32 + 1, self.d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// Every generated date (stated, until, sources) is in this window.
pub const FIRST_DATE: Date = Date::new(2015, 1, 1);
pub const LAST_DATE: Date = Date::new(2025, 12, 28);
pub const BEFORE_ALL: Date = Date::new(2014, 12, 31);
pub const AFTER_ALL: Date = Date::new(2025, 12, 31);

pub enum IssueKind {
    Options(Vec<String>),
    Scale {
        unit: &'static str,
        min: f64,
        max: f64,
        step: f64,
    },
}

pub struct Issue {
    pub id: String,
    pub title: String,
    pub category: &'static str,
    pub description: Option<String>,
    pub kind: IssueKind,
}

impl Issue {
    pub fn scale_bounds(&self) -> (f64, f64) {
        match self.kind {
            IssueKind::Scale { min, max, .. } => (min, max),
            IssueKind::Options(_) => unreachable!("not a scale"),
        }
    }
}

#[derive(Clone)]
pub enum Outcomes {
    /// Option indices into the issue's options, in the order written to the YAML.
    Options(Vec<usize>),
    /// An inclusive range; a `None` bound is omitted from the YAML and means the
    /// scale's own bound.  `block` chooses block rather than flow YAML style.
    Range {
        min: Option<f64>,
        max: Option<f64>,
        block: bool,
    },
}

impl Outcomes {
    pub fn option_set(&self) -> BTreeSet<usize> {
        match self {
            Outcomes::Options(v) => v.iter().copied().collect(),
            Outcomes::Range { .. } => unreachable!("not an options list"),
        }
    }

    pub fn interval(&self, scale: (f64, f64)) -> (f64, f64) {
        match self {
            Outcomes::Range { min, max, .. } => (min.unwrap_or(scale.0), max.unwrap_or(scale.1)),
            Outcomes::Options(_) => unreachable!("not a range"),
        }
    }
}

pub struct Demand {
    pub id: String,
    pub issue: usize,
    pub title: String,
    pub summary: Option<String>,
    pub wants: Outcomes,
    pub accepts: Option<Outcomes>,
    pub priority: &'static str,
    pub stated: Date,
    pub until: Option<Date>,
    pub evidence: Option<&'static str>,
    pub tags: Vec<&'static str>,
    pub source_by: String,
}

impl Demand {
    pub fn active(&self, d: Date) -> bool {
        self.stated <= d && self.until.is_none_or(|u| d < u)
    }

    pub fn accepts(&self) -> &Outcomes {
        self.accepts.as_ref().unwrap_or(&self.wants)
    }

    pub fn red_line(&self) -> bool {
        self.priority == "red-line"
    }
}

pub struct Party {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub aliases: Vec<String>,
    pub demands: Vec<Demand>,
}

pub struct Relation {
    pub between: [String; 2],
    pub kind: &'static str,
}

pub struct Corpus {
    pub issues: Vec<Issue>,
    /// In generation order (deliberately not sorted).
    pub parties: Vec<Party>,
    /// `None`: no relations.yaml at all.
    pub relations: Option<Vec<Relation>>,
}

impl Corpus {
    /// demand id -> (party index, demand index)
    pub fn demand_index(&self) -> HashMap<&str, (usize, usize)> {
        let mut m = HashMap::new();
        for (pi, p) in self.parties.iter().enumerate() {
            for (di, d) in p.demands.iter().enumerate() {
                m.insert(d.id.as_str(), (pi, di));
            }
        }
        m
    }

    pub fn all_dates(&self) -> Vec<Date> {
        let mut v = Vec::new();
        for p in &self.parties {
            for d in &p.demands {
                v.push(d.stated);
                v.extend(d.until);
            }
        }
        v
    }
}

// ---------------------------------------------------------------------------
// Random corpus generator
// ---------------------------------------------------------------------------

/// Party ids with aliases; chosen so that byte order differs from "natural" order
/// (`echo-10` < `echo-2`) and one id is a prefix of another (`p-alpha`, `p-alpha-x`).
pub const PARTY_POOL: &[(&str, &[&str])] = &[
    ("p-alpha", &["alpha", "pa"]),
    ("p-bravo", &[]),
    ("p-charlie", &["charlie"]),
    ("delta", &["dl"]),
    ("echo-2", &[]),
    ("echo-10", &["e10", "ten"]),
    ("p-alpha-x", &[]),
    ("zulu", &["z"]),
];

pub const ISSUE_POOL: &[&str] = &[
    "border",
    "troops-cap",
    "tolls",
    "water-share",
    "sanctions",
    "elections",
    "reparations",
    "airspace",
    "a-issue",
];

pub const OPTION_POOL: &[&str] = &[
    "status-quo",
    "partition",
    "joint",
    "autonomy",
    "referendum",
    "deferred",
    "return",
    "zone-b",
    "a1",
    "none",
    "full",
];

/// (unit, min, max, step): the grid from which range bounds are drawn.
pub const SCALES: &[(&str, f64, f64, f64)] = &[
    ("troops", 0.0, 100.0, 5.0),
    ("battalions", -10.0, 10.0, 1.0),
    ("km", -5.0, 2.5, 0.5),
    ("percent", 0.0, 2.5, 0.25),
    ("years", 1.0, 12.0, 1.0),
    ("points", -3.5, 4.0, 0.5),
    ("millions", -100.0, -20.0, 10.0),
];

pub const CATEGORIES: &[&str] = &[
    "territory",
    "security",
    "military",
    "justice",
    "economy",
    "humanitarian",
    "governance",
    "other",
];

pub const KINDS: &[&str] = &["state", "alliance", "union", "organization", "other"];
pub const RELATION_KINDS: &[&str] = &["overlap", "conflict", "irreconcilable"];

pub fn random_date(rng: &mut Rng) -> Date {
    Date::new(
        rng.between(FIRST_DATE.y as usize, 2024) as i32,
        rng.between(1, 12) as u32,
        rng.pick(&[1, 15, 28]),
    )
}

pub fn gen_issue(rng: &mut Rng, id: &str) -> Issue {
    let kind = if rng.chance(50) {
        let mut names: Vec<&str> = OPTION_POOL.to_vec();
        rng.shuffle(&mut names);
        let k = rng.between(2, 5);
        IssueKind::Options(names[..k].iter().map(|s| s.to_string()).collect())
    } else {
        let (unit, min, max, step) = rng.pick(SCALES);
        IssueKind::Scale { unit, min, max, step }
    };
    Issue {
        id: id.to_string(),
        title: format!("The question of {id}: who gets \"what\", and when"),
        category: rng.pick(CATEGORIES),
        description: rng.chance(40).then(|| format!("Free text about {id}.")),
        kind,
    }
}

/// Returns (wants, accepts).
pub fn gen_outcomes(rng: &mut Rng, issue: &Issue) -> (Outcomes, Option<Outcomes>) {
    match &issue.kind {
        IssueKind::Options(names) => {
            let n = names.len();
            let mut idx: Vec<usize> = (0..n).collect();
            rng.shuffle(&mut idx);
            let w = if rng.chance(80) { 1 } else { 2 };
            let wants = idx[..w].to_vec();
            let accepts = rng.chance(65).then(|| {
                let mut acc = wants.clone();
                for &i in &idx[w..] {
                    if rng.chance(30) {
                        acc.push(i);
                    }
                }
                rng.shuffle(&mut acc);
                Outcomes::Options(acc)
            });
            (Outcomes::Options(wants), accepts)
        }
        IssueKind::Scale { min, max, step, .. } => {
            let n = ((max - min) / step).round() as usize;
            let val = |i: usize| min + i as f64 * step;
            let (a, b) = match rng.below(4) {
                0 => (rng.between(0, n), n),
                1 => (0, rng.between(0, n)),
                2 => {
                    let a = rng.between(0, n);
                    (a, (a + rng.below(3)).min(n))
                }
                _ => {
                    let x = rng.between(0, n);
                    let y = rng.between(0, n);
                    (x.min(y), x.max(y))
                }
            };
            // Omit a bound that equals the scale's bound, most of the time.
            let range = |a: usize, b: usize, rng: &mut Rng| {
                let mut lo = (a != 0 || rng.chance(30)).then(|| val(a));
                let hi = (b != n || rng.chance(30)).then(|| val(b));
                if lo.is_none() && hi.is_none() {
                    lo = Some(val(a));
                }
                Outcomes::Range {
                    min: lo,
                    max: hi,
                    block: rng.chance(30),
                }
            };
            let wants = range(a, b, rng);
            let accepts = rng.chance(65).then(|| {
                let a2 = a - rng.below(a + 1).min(rng.between(0, 3));
                let b2 = b + rng.below(n - b + 1).min(rng.between(0, 3));
                range(a2, b2, rng)
            });
            (wants, accepts)
        }
    }
}

pub fn gen_corpus(seed: u64) -> Corpus {
    let mut rng = Rng::new(seed);

    let mut issue_ids = ISSUE_POOL.to_vec();
    rng.shuffle(&mut issue_ids);
    let issues: Vec<Issue> = issue_ids[..rng.between(2, 6)]
        .iter()
        .map(|id| gen_issue(&mut rng, id))
        .collect();

    let mut pool: Vec<(&str, &[&str])> = PARTY_POOL.to_vec();
    rng.shuffle(&mut pool);
    let n_parties = rng.between(2, 5);
    let mut parties = Vec::new();
    for &(pid, aliases) in &pool[..n_parties] {
        let n_demands = rng.between(1, 5);
        // Demand ids numbered out of file order, so that file order != id order.
        let mut numbers: Vec<usize> = (1..=n_demands).collect();
        rng.shuffle(&mut numbers);
        let demands = numbers
            .iter()
            .map(|k| {
                let issue = rng.below(issues.len());
                let (wants, accepts) = gen_outcomes(&mut rng, &issues[issue]);
                let stated = random_date(&mut rng);
                let until = if rng.chance(30) {
                    Some(stated.add_months(rng.between(1, 30) as u32)).filter(|u| *u <= LAST_DATE)
                } else {
                    None
                };
                Demand {
                    id: format!("{pid}-d{k}"),
                    issue,
                    title: format!("Demand {k} of {pid}: hold firm, \"no\" retreat"),
                    summary: rng.chance(30).then(|| "A summary; with: punctuation.".into()),
                    wants,
                    accepts,
                    priority: if rng.chance(35) {
                        "red-line"
                    } else {
                        rng.pick(&["high", "medium", "low"])
                    },
                    stated,
                    until,
                    evidence: rng.chance(40).then(|| rng.pick(&["official", "reported", "inferred"])),
                    tags: if rng.chance(30) { vec!["tag-a", "tag-b"] } else { vec![] },
                    source_by: format!("Office of {pid}"),
                }
            })
            .collect();
        parties.push(Party {
            id: pid.to_string(),
            name: format!("The party {pid}"),
            kind: rng.pick(KINDS),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            demands,
        });
    }

    let relations = if rng.chance(20) {
        None
    } else {
        let all: Vec<(usize, usize)> = parties
            .iter()
            .enumerate()
            .flat_map(|(pi, p)| (0..p.demands.len()).map(move |di| (pi, di)))
            .collect();
        let mut used: BTreeSet<(String, String)> = BTreeSet::new();
        let mut rels = Vec::new();
        for _ in 0..rng.below(7) {
            let (pa, da) = rng.pick(&all);
            let (pb, db) = rng.pick(&all);
            let (a, b) = (&parties[pa].demands[da], &parties[pb].demands[db]);
            if pa == pb || a.issue == b.issue {
                continue;
            }
            let key = if a.id < b.id {
                (a.id.clone(), b.id.clone())
            } else {
                (b.id.clone(), a.id.clone())
            };
            if !used.insert(key) {
                continue;
            }
            rels.push(Relation {
                between: [a.id.clone(), b.id.clone()],
                kind: rng.pick(RELATION_KINDS),
            });
        }
        Some(rels)
    };

    Corpus {
        issues,
        parties,
        relations,
    }
}

// ---------------------------------------------------------------------------
// Writing a corpus as YAML (SPEC §1)
// ---------------------------------------------------------------------------

/// A double-quoted YAML scalar.
pub fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn write_outcomes(out: &mut String, key: &str, o: &Outcomes, issue: &Issue) {
    match o {
        Outcomes::Options(v) => {
            let IssueKind::Options(names) = &issue.kind else {
                unreachable!()
            };
            let list: Vec<&str> = v.iter().map(|&i| names[i].as_str()).collect();
            writeln!(out, "    {key}: [{}]", list.join(", ")).unwrap();
        }
        Outcomes::Range { min, max, block } => {
            let mut parts = Vec::new();
            if let Some(x) = min {
                parts.push(format!("min: {x}"));
            }
            if let Some(x) = max {
                parts.push(format!("max: {x}"));
            }
            if *block {
                writeln!(out, "    {key}:").unwrap();
                for p in parts {
                    writeln!(out, "      {p}").unwrap();
                }
            } else {
                writeln!(out, "    {key}: {{{}}}", parts.join(", ")).unwrap();
            }
        }
    }
}

pub fn write_corpus(c: &Corpus, dir: &Path) {
    let mut s = String::from("# generated by tests/oracle.rs\nissues:\n");
    for i in &c.issues {
        writeln!(s, "  - id: {}", i.id).unwrap();
        writeln!(s, "    title: {}", q(&i.title)).unwrap();
        writeln!(s, "    category: {}", i.category).unwrap();
        if let Some(d) = &i.description {
            writeln!(s, "    description: {}", q(d)).unwrap();
        }
        match &i.kind {
            IssueKind::Options(names) => {
                s.push_str("    options:\n");
                for n in names {
                    writeln!(s, "      - id: {n}\n        label: {}", q(&format!("Outcome {n}"))).unwrap();
                }
            }
            IssueKind::Scale { unit, min, max, .. } => {
                writeln!(s, "    scale:\n      unit: {unit}\n      min: {min}\n      max: {max}").unwrap();
            }
        }
        s.push('\n');
    }
    fs::write(dir.join("issues.yaml"), s).unwrap();

    fs::create_dir_all(dir.join("parties")).unwrap();
    for p in &c.parties {
        let mut s = String::new();
        writeln!(s, "party:\n  id: {}\n  name: {}\n  kind: {}", p.id, q(&p.name), p.kind).unwrap();
        if !p.aliases.is_empty() {
            writeln!(s, "  aliases: [{}]", p.aliases.join(", ")).unwrap();
        }
        s.push_str("\ndemands:\n");
        for d in &p.demands {
            let issue = &c.issues[d.issue];
            writeln!(
                s,
                "  - id: {}\n    issue: {}\n    title: {}",
                d.id,
                issue.id,
                q(&d.title)
            )
            .unwrap();
            if let Some(sum) = &d.summary {
                writeln!(s, "    summary: {}", q(sum)).unwrap();
            }
            write_outcomes(&mut s, "wants", &d.wants, issue);
            if let Some(a) = &d.accepts {
                write_outcomes(&mut s, "accepts", a, issue);
            }
            writeln!(s, "    priority: {}\n    stated: {}", d.priority, d.stated).unwrap();
            if let Some(u) = d.until {
                writeln!(s, "    until: {u}").unwrap();
            }
            if let Some(e) = d.evidence {
                writeln!(s, "    evidence: {e}").unwrap();
            }
            if !d.tags.is_empty() {
                writeln!(s, "    tags: [{}]", d.tags.join(", ")).unwrap();
            }
            writeln!(
                s,
                "    sources:\n      - title: {}\n        by: {}\n        date: {}\n        url: https://example.org/{}\n",
                q(&format!("Statement on {}", issue.id)),
                q(&d.source_by),
                d.stated,
                d.id
            )
            .unwrap();
        }
        fs::write(dir.join("parties").join(format!("{}.yaml", p.id)), s).unwrap();
    }

    if let Some(rels) = &c.relations {
        let mut s = String::from("relations:");
        if rels.is_empty() {
            s.push_str(" []\n");
        } else {
            s.push('\n');
        }
        for (k, r) in rels.iter().enumerate() {
            writeln!(
                s,
                "  - between: [{}, {}]\n    kind: {}\n    rationale: {}",
                r.between[0],
                r.between[1],
                r.kind,
                q("Because the analyst says so, and for reasons.")
            )
            .unwrap();
            match k % 3 {
                0 => {}
                1 => s.push_str("    sources: []\n"),
                _ => s.push_str(
                    "    sources:\n      - title: Analyst note\n        by: Desk\n        date: 2020-01-01\n        url: https://example.org/note\n",
                ),
            }
        }
        fs::write(dir.join("relations.yaml"), s).unwrap();
    }
}

/// The parties to analyse, in order, and the `--parties` argument that selects them.
pub struct Selection {
    pub order: Vec<usize>,
    pub arg: Option<String>,
}

pub fn default_selection(c: &Corpus) -> Selection {
    let mut order: Vec<usize> = (0..c.parties.len()).collect();
    order.sort_by(|&a, &b| c.parties[a].id.cmp(&c.parties[b].id));
    Selection { order, arg: None }
}

pub fn explicit_selection(c: &Corpus, order: Vec<usize>) -> Selection {
    let arg = order
        .iter()
        .map(|&i| c.parties[i].id.as_str())
        .collect::<Vec<_>>()
        .join(",");
    Selection { order, arg: Some(arg) }
}

/// A random subset (at least two parties) in random order, named by id or alias in
/// random case.
pub fn random_selection(c: &Corpus, rng: &mut Rng) -> Selection {
    random_subset(c, rng, 2)
}

/// A random subset of at least `min` parties in random order, named by id or alias in
/// random case.
pub fn random_subset(c: &Corpus, rng: &mut Rng, min: usize) -> Selection {
    let mut order: Vec<usize> = (0..c.parties.len()).collect();
    rng.shuffle(&mut order);
    order.truncate(rng.between(min, c.parties.len()));
    let names: Vec<String> = order
        .iter()
        .map(|&i| {
            let p = &c.parties[i];
            let name = if !p.aliases.is_empty() && rng.chance(40) {
                p.aliases[rng.below(p.aliases.len())].clone()
            } else {
                p.id.clone()
            };
            if rng.chance(25) { name.to_uppercase() } else { name }
        })
        .collect();
    Selection {
        order,
        arg: Some(names.join(",")),
    }
}

/// The record terminator: SPEC §3 says CSV is RFC 4180, whose §2.1 ends every record,
/// the last included, with CRLF.
pub const EOL: &str = "\r\n";

/// `text` with every CRLF turned into LF, to tell content mismatches from terminator ones.
pub fn lf(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Asserts that `actual` is `expected` up to line terminators, which are pinned down once,
/// by `csv_records_end_in_crlf`, so that a terminator mismatch does not hide the rest.
#[track_caller]
pub fn assert_csv(actual: &str, expected: &str, what: &str) {
    assert_eq!(lf(actual), lf(expected), "{what} (left: binary, right: expected)");
}

/// One CSV cell: formula prefix (SPEC §4), then RFC 4180 quoting.
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub fn csv_line<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    let line: Vec<String> = cells.iter().map(|c| csv_cell(c.as_ref())).collect();
    out.push_str(&line.join(","));
    out.push_str(EOL);
}

/// Minimal RFC 4180 reader (LF or CRLF line ends).
pub fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = s.chars().peekable();
    let mut in_quotes = false;
    let mut any = false;
    while let Some(ch) = chars.next() {
        any = true;
        if in_quotes {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                _ => field.push(ch),
            }
            continue;
        }
        match ch {
            '"' => in_quotes = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                any = false;
            }
            _ => field.push(ch),
        }
    }
    if any {
        record.push(field);
        records.push(record);
    }
    records
}

// ---------------------------------------------------------------------------
// Failure reports
// ---------------------------------------------------------------------------

pub fn corpus_listing(dir: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = String::new();
    for f in files {
        let rel = f.strip_prefix(dir).unwrap().display().to_string();
        writeln!(out, "===== {rel} =====\n{}", fs::read_to_string(&f).unwrap()).unwrap();
    }
    out
}

/// A line diff (LCS) of expected vs actual: ` ` same, `-` only expected, `+` only actual.
pub fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.split('\n').collect(), actual.split('\n').collect());
    let mut lcs = vec![vec![0usize; a.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if e[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            writeln!(out, "  {:?}", e[i]).unwrap();
            i += 1;
            j += 1;
        } else if j < a.len() && (i == e.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            writeln!(out, "+ {:?}", a[j]).unwrap();
            j += 1;
        } else {
            writeln!(out, "- {:?}", e[i]).unwrap();
            i += 1;
        }
    }
    out
}

pub fn mismatch(seed: Option<u64>, dir: &Path, args: &[String], expected: &str, actual: &str) -> String {
    format!(
        "MISMATCH{}\ncommand: positions {}\n--- diff (- oracle, + binary) ---\n{}--- corpus ---\n{}",
        seed.map(|s| format!(" for seed {s} (rerun with ORACLE_SEED={s})"))
            .unwrap_or_default(),
        args.join(" "),
        diff(expected, actual),
        corpus_listing(dir)
    )
}

pub fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()
        .map(|v| v.parse().unwrap_or_else(|_| panic!("{name} must be a number")))
}
