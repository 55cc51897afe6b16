//! Random corpora for benchmarks and tests: valid, of any size, the same for the same seed.
//!
//! `examples/gen-corpus.rs` writes one to disk; `bench/engine.rs` builds them in memory.
//! Demands are spread evenly over the issues (`per_issue` of them on each), so corpora of
//! different sizes with the same `per_issue` do the same work per demand.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Params {
    /// Number of demands in all.
    pub demands: usize,
    pub parties: usize,
    /// Demands on each issue (the number of issues follows).
    pub per_issue: usize,
    /// Share of issues that are numeric scales.
    pub scale_share: f64,
    /// Share of demands withdrawn (`until`).
    pub until_share: f64,
    /// Asserted relations, per 100 demands.
    pub relations_per_100: f64,
    pub seed: u64,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            demands: 1000,
            parties: 20,
            per_issue: 20,
            scale_share: 0.2,
            until_share: 0.2,
            relations_per_100: 1.0,
            seed: 1,
        }
    }
}

/// splitmix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

const WORDS: &[&str] = &[
    "border",
    "ceasefire",
    "guarantee",
    "withdrawal",
    "sanctions",
    "assets",
    "tribunal",
    "prisoners",
    "referendum",
    "elections",
    "neutrality",
    "alliance",
    "treaty",
    "observers",
    "corridor",
    "grain",
    "energy",
    "plant",
    "army",
    "reparations",
    "language",
    "church",
    "sovereignty",
    "recognition",
    "zone",
    "monitoring",
    "talks",
    "framework",
];

fn words(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.below(WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn date(rng: &mut Rng, from_year: usize) -> (usize, usize, usize) {
    (
        from_year + rng.below(2025 - from_year),
        1 + rng.below(12),
        1 + rng.below(28),
    )
}

enum Kind {
    Options(usize),
    Scale(i64, i64),
}

/// The corpus's files: (path relative to the corpus, text), issues first.
pub fn generate(args: &Params) -> Vec<(String, String)> {
    let mut rng = Rng(args.seed);
    let issues = args.demands.div_ceil(args.per_issue.max(1)).max(1);
    let mut out_files = Vec::new();

    let mut kinds = Vec::with_capacity(issues);
    let mut text = String::from("issues:\n");
    for i in 0..issues {
        let _ = write!(
            text,
            "  - id: issue-{i}\n    title: {}\n    category: other\n",
            words(&mut rng, 4)
        );
        if rng.chance(args.scale_share) {
            let min = -(rng.below(3) as i64) * 1000;
            let max = 1000 * (1 + rng.below(1000) as i64);
            let _ = write!(
                text,
                "    scale:\n      unit: troops\n      min: {min}\n      max: {max}\n"
            );
            kinds.push(Kind::Scale(min, max));
        } else {
            let n = 2 + rng.below(4);
            text.push_str("    options:\n");
            for o in 0..n {
                let _ = write!(text, "      - id: option-{o}\n        label: {}\n", words(&mut rng, 3));
            }
            kinds.push(Kind::Options(n));
        }
    }
    out_files.push(("issues.yaml".to_string(), text));

    let mut files: Vec<String> = (0..args.parties)
        .map(|p| format!("party:\n  id: party-{p}\n  name: Party {p}\n  kind: state\n  aliases: [p{p}]\ndemands:\n"))
        .collect();
    // (party, issue, id) of every demand, for the relations.
    let mut made = Vec::with_capacity(args.demands);
    // An outcome every demand of a party on an issue accepts, so that a party's own
    // demands never exclude each other (a real corpus has no such warnings either).
    let mut base: HashMap<(usize, usize), i64> = HashMap::new();
    for d in 0..args.demands {
        let issue = d / args.per_issue.max(1);
        let party = rng.below(args.parties);
        let out = &mut files[party];
        let id = format!("d{d}");
        let _ = write!(
            out,
            "  - id: {id}\n    issue: issue-{issue}\n    title: {}\n",
            words(&mut rng, 6)
        );
        if rng.chance(0.3) {
            let _ = writeln!(out, "    summary: {}", words(&mut rng, 16));
        }
        match kinds[issue] {
            Kind::Options(n) => {
                let shared = *base.entry((party, issue)).or_insert_with(|| rng.below(n) as i64) as usize;
                let wants = rng.below(n);
                let mut accepts = vec![wants];
                for o in 0..n {
                    if o != wants && (o == shared || rng.chance(0.3)) {
                        accepts.push(o);
                    }
                }
                accepts.sort_unstable();
                let list = |v: &[usize]| v.iter().map(|o| format!("option-{o}")).collect::<Vec<_>>().join(", ");
                let _ = write!(
                    out,
                    "    wants: [{}]\n    accepts: [{}]\n",
                    list(&[wants]),
                    list(&accepts)
                );
            }
            Kind::Scale(min, max) => {
                let span = (max - min) as usize;
                let lo = min + rng.below(span) as i64;
                let hi = lo + rng.below((max - lo) as usize + 1) as i64;
                let wider = (hi + rng.below((max - hi) as usize + 1) as i64).min(max);
                let shared = *base
                    .entry((party, issue))
                    .or_insert_with(|| min + rng.below(span + 1) as i64);
                let (from, to) = (lo.min(shared), wider.max(shared));
                let _ = write!(
                    out,
                    "    wants: {{min: {lo}, max: {hi}}}\n    accepts: {{min: {from}, max: {to}}}\n"
                );
            }
        }
        let priority = ["red-line", "high", "medium", "low"][if rng.chance(0.15) { 0 } else { 1 + rng.below(3) }];
        let (y, m, day) = date(&mut rng, 2008);
        let _ = write!(out, "    priority: {priority}\n    stated: {y:04}-{m:02}-{day:02}\n");
        if rng.chance(args.until_share) {
            let _ = writeln!(out, "    until: {:04}-{m:02}-{day:02}", y + 1 + rng.below(3));
        }
        if rng.chance(0.2) {
            out.push_str("    evidence: reported\n");
        }
        let _ = write!(
            out,
            "    sources:\n      - title: {}\n        by: Ministry of {}\n        date: {y:04}-{m:02}-{day:02}\n        url: https://example.org/{party}/{d}\n",
            words(&mut rng, 5),
            words(&mut rng, 1)
        );
        made.push((party, issue, id));
    }
    for (p, text) in files.into_iter().enumerate() {
        out_files.push((format!("parties/party-{p}.yaml"), text));
    }

    let wanted = (args.demands as f64 * args.relations_per_100 / 100.0) as usize;
    let mut seen = HashSet::new();
    let mut text = String::from("relations:\n");
    let mut tries = 0;
    while seen.len() < wanted && tries < wanted * 20 {
        tries += 1;
        let (a, b) = (rng.below(made.len()), rng.below(made.len()));
        let ((pa, ia, da), (pb, ib, db)) = (&made[a], &made[b]);
        if pa == pb || ia == ib || !seen.insert((a.min(b), a.max(b))) {
            continue;
        }
        let kind = ["overlap", "conflict", "irreconcilable"][rng.below(3)];
        let _ = write!(
            text,
            "  - between: [{da}, {db}]\n    kind: {kind}\n    rationale: {}\n",
            words(&mut rng, 10)
        );
    }
    if seen.is_empty() {
        text = String::from("relations: []\n");
    }
    out_files.push(("relations.yaml".to_string(), text));
    out_files
}
