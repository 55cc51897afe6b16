//! Deterministic input generation. Nothing random from the OS: same bytes on every run.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const WORDS: &[&str] = &[
    "security", "guarantee", "neutrality", "ceasefire", "sanctions", "territory", "border",
    "withdrawal", "troops", "referendum", "sovereignty", "recognition", "nuclear", "plant",
    "grain", "corridor", "prisoners", "exchange", "reparations", "assets", "frozen",
    "alliance", "membership", "treaty", "monitoring", "mission", "elections", "language",
    "church", "minorities", "reconstruction", "fund", "airspace", "Black", "Sea", "navigation",
    "demilitarised", "zone", "peacekeepers", "observers", "tribunal", "accountability",
    "energy", "transit", "pipeline", "deterrence", "missiles", "deployment", "timetable",
    "phased", "verification", "binding", "legally", "the", "of", "and", "must", "be",
];
const ISSUES: &[&str] = &[
    "ukraine-nato-membership", "nato-enlargement", "european-security-architecture",
    "crimea-status", "donbas-status", "ceasefire-line", "sanctions-relief", "frozen-assets",
    "security-guarantees", "troop-ceiling", "zaporizhzhia-npp", "black-sea-shipping",
];
const OPTIONS: &[&str] = &[
    "membership", "open-door", "neutrality", "halt", "rollback-to-1997", "reciprocal-limits",
    "existing-order", "russian", "ukrainian", "disputed", "full", "partial", "none",
];
const BODIES: &[&str] = &[
    "Ministry of Foreign Affairs of the Russian Federation",
    "President of Ukraine",
    "U.S. Department of State",
    "Council of the European Union",
    "NATO Secretary General",
    "Kremlin press service",
];

fn words(r: &mut Lcg, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[r.below(WORDS.len() as u64) as usize]);
    }
    s
}

fn date(r: &mut Lcg) -> String {
    format!("{}-{:02}-{:02}", 2014 + r.below(12), 1 + r.below(12), 1 + r.below(28))
}

fn flow_list(r: &mut Lcg, pool: &[&str], max: u64) -> String {
    let n = 1 + r.below(max);
    let items: Vec<&str> = (0..n).map(|_| pool[r.below(pool.len() as u64) as usize]).collect();
    format!("[{}]", items.join(", "))
}

/// A syntactically varied party file: plain, double-quoted and folded scalars, flow and
/// block sequences, comments, optional fields present or absent. About 1.6 KB per demand.
pub fn party_file(n: usize, seed: u64) -> String {
    let mut r = Lcg(seed);
    let mut s = String::with_capacity(n * 1700 + 256);
    writeln!(s, "# generated party file: {n} demands").unwrap();
    s.push_str("party:\n  id: generated\n  name: Generated Party\n  kind: state\n  aliases: [gen, gp]\n\ndemands:\n");
    for i in 0..n {
        writeln!(s, "  - id: gen-demand-{i:06}").unwrap();
        writeln!(s, "    issue: {}", ISSUES[r.below(ISSUES.len() as u64) as usize]).unwrap();
        writeln!(s, "    title: {}", { let n = 6 + r.below(6) as usize; capitalise(&words(&mut r, n)) }).unwrap();
        if r.chance(70) {
            if r.chance(50) {
                writeln!(s, "    summary: \"{}: {}.\"", capitalise(&words(&mut r, 4)), words(&mut r, 28)).unwrap();
            } else {
                writeln!(s, "    summary: >-\n      {}\n      {}.", capitalise(&words(&mut r, 14)), words(&mut r, 14)).unwrap();
            }
        }
        writeln!(s, "    wants: {}", flow_list(&mut r, OPTIONS, 2)).unwrap();
        if r.chance(50) {
            writeln!(s, "    accepts: {}   # defaults to wants", flow_list(&mut r, OPTIONS, 3)).unwrap();
        }
        let p = ["red-line", "high", "medium", "low"][r.below(4) as usize];
        writeln!(s, "    priority: {p}").unwrap();
        writeln!(s, "    stated: {}", date(&mut r)).unwrap();
        if r.chance(20) {
            writeln!(s, "    until: {}", date(&mut r)).unwrap();
        }
        if r.chance(50) {
            writeln!(s, "    evidence: {}", ["official", "reported", "inferred"][r.below(3) as usize]).unwrap();
        }
        if r.chance(60) {
            writeln!(s, "    tags: {}", flow_list(&mut r, &["nato", "security", "territory", "economy", "energy"], 3)).unwrap();
        }
        s.push_str("    sources:\n");
        for _ in 0..(1 + r.below(3)) {
            writeln!(s, "      - title: {}", capitalise(&words(&mut r, 8))).unwrap();
            writeln!(s, "        by: {}", BODIES[r.below(BODIES.len() as u64) as usize]).unwrap();
            writeln!(s, "        date: {}", date(&mut r)).unwrap();
            if r.chance(80) {
                writeln!(s, "        url: https://example.org/documents/{}/{}", r.below(100_000), r.below(1000)).unwrap();
            }
            if r.chance(50) {
                writeln!(s, "        quote: \"{}, \\\"{}\\\".\"", capitalise(&words(&mut r, 20)), words(&mut r, 6)).unwrap();
            }
        }
    }
    s
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Billion-laughs style, shaped so that the *typed* target accepts every expansion:
/// one string anchored (`&s`, `scalar_len` bytes), a list `&w` of 1,000 aliases to it, a
/// demand `&d` whose `wants` and `tags` are `*w`, then `- *d` entries up to ~150 KB on disk.
/// With 100-byte strings: ~29,000 × 2,000 × 100 B ≈ 5.8 GB if fully expanded; with
/// 60 KB strings, ~3.5 TB.
pub fn alias_bomb(scalar_len: usize) -> String {
    let mut s = String::new();
    s.push_str("party:\n  id: bomb\n  name: Alias Bomb\n  kind: other\n  aliases: [b]\ndemands:\n");
    s.push_str("  - &d\n    id: bomb-demand\n    issue: crimea-status\n    title: &s \"");
    s.push_str(&"lol".repeat(scalar_len / 3));
    s.push_str("\"\n    wants: &w [");
    for i in 0..1000 {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str("*s");
    }
    s.push_str("]\n    tags: *w\n    priority: low\n    stated: 2022-01-01\n    sources:\n      - {title: t, by: b, date: 2022-01-01}\n");
    while s.len() < 150_000 {
        s.push_str("  - *d\n");
    }
    s
}

/// `depth` nested block mappings (`k:` indented one level more each line).
pub fn deep_block(depth: usize) -> String {
    let mut s = String::new();
    for i in 0..depth {
        s.push_str(&"  ".repeat(i));
        s.push_str("k:\n");
    }
    s.push_str(&"  ".repeat(depth));
    s.push_str("v\n");
    s
}

/// `depth` nested flow sequences (balanced) as the whole document.
pub fn deep_toplevel(depth: usize) -> String {
    "[".repeat(depth) + &"]".repeat(depth) + "\n"
}

/// `depth` nested flow sequences (balanced) as the value of a `String` field.
pub fn deep_nesting(depth: usize) -> String {
    let mut s = String::new();
    s.push_str("party:\n  id: deep\n  name: Deep\n  kind: other\ndemands:\n");
    s.push_str("  - id: deep-demand\n    issue: crimea-status\n    title: ");
    s.push_str(&"[".repeat(depth));
    s.push_str(&"]".repeat(depth));
    s.push_str("\n    wants: [x]\n    priority: low\n    stated: 2022-01-01\n    sources: [{title: t, by: b, date: 2022-01-01}]\n");
    s
}

/// A small, valid, hand-readable party file. Error variants below edit its second demand
/// (which starts at line 24) so line numbers in the messages are easy to check.
pub const BASE: &str = "\
party:
  id: russia
  name: Russian Federation
  kind: state
  aliases: [ru, rf]

demands:
  - id: ru-ukraine-neutrality
    issue: ukraine-nato-membership
    title: Ukraine must stay out of NATO
    summary: Moscow demands a legally binding guarantee that Ukraine never joins NATO.
    wants: [neutrality]
    accepts: [neutrality]
    priority: red-line
    stated: 2021-12-17
    evidence: official
    tags: [nato]
    sources:
      - title: Draft agreement on measures to ensure the security of the Russian Federation
        by: Ministry of Foreign Affairs of the Russian Federation
        date: 2021-12-17
        url: https://example.org/document
        quote: \"Ukraine shall not join.\"
  - id: ru-crimea
    issue: crimea-status
    title: Crimea is recognised as Russian
    summary: Recognition of Crimea as part of Russia.
    wants: [russian]
    priority: red-line
    stated: 2022-03-28
    sources:
      - title: Statement on the conditions for a settlement
        by: Kremlin press service
        date: 2022-03-28
";

/// (file name, description, contents). Line 26 is the second demand's `title:`.
pub fn error_cases() -> Vec<(&'static str, &'static str, String)> {
    let title = "    title: Crimea is recognised as Russian\n";
    let summary = "    summary: Recognition of Crimea as part of Russia.\n";
    vec![
        ("typo.yaml", "typo'd key `sumary:` (line 27)", BASE.replace(summary, &summary.replace("summary:", "sumary:"))),
        (
            "wrong-type.yaml",
            "list where a string belongs: `title:` block list (lines 26-28)",
            BASE.replace(title, "    title:\n      - Crimea\n      - recognised as Russian\n"),
        ),
        (
            "syntax.yaml",
            "YAML syntax error: `title: Crimea: recognised as Russian` (line 26)",
            BASE.replace(title, "    title: Crimea: recognised as Russian\n"),
        ),
        (
            "duplicate.yaml",
            "duplicate key: second `title:` (line 28)",
            BASE.replace(summary, &format!("{summary}    title: Crimea again\n")),
        ),
        (
            "missing.yaml",
            "missing required `priority:` (second demand, lines 24-35)",
            BASE.replace("    priority: red-line\n    stated: 2022-03-28\n", "    stated: 2022-03-28\n"),
        ),
    ]
}

pub const DUP_GENERIC: &str = "a: 1\nb: 2\na: 3\n";

pub fn write_all(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(dir.join("party-1k.yaml"), party_file(1_000, 1))?;
    fs::write(dir.join("party-10k.yaml"), party_file(10_000, 10))?;
    fs::write(dir.join("alias-bomb.yaml"), alias_bomb(100))?;
    fs::write(dir.join("alias-bomb-big.yaml"), alias_bomb(60_000))?;
    fs::write(dir.join("deep-nesting.yaml"), deep_nesting(100_000))?;
    fs::write(dir.join("deep-nesting-10k.yaml"), deep_nesting(10_000))?;
    fs::write(dir.join("deep-toplevel.yaml"), deep_toplevel(100_000))?;
    fs::write(dir.join("deep-block.yaml"), deep_block(1_000))?;
    fs::write(dir.join("dup-generic.yaml"), DUP_GENERIC)?;
    for (name, _, text) in error_cases() {
        fs::write(dir.join(name), text)?;
    }
    Ok(())
}
