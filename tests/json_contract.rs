//! The JSON contract of SPEC §3, checked on every command's `--format json` for the
//! built-in corpus: listings are arrays of objects and `show`, `explain` and `issue` one
//! object with `as_of`; a list is an array, a missing value `null`, a number a number
//! (never a `;`-joined string, `""` or a number in quotes); and a field has one name and
//! one shape in every command, as the table below declares.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Every field any command writes, with the JSON types it may take (besides `null`
/// where allowed). A field not declared here is a failure: a new field is a decision.
const FIELDS: &[(&str, &[&str])] = &[
    ("a", &["object"]),
    ("acceptable", &["number"]),
    ("accepts", &["array"]),
    ("active_demands", &["number"]),
    ("aliases", &["array"]),
    ("alignment", &["number", "null"]),
    ("as_of", &["string"]),
    ("b", &["object"]),
    ("basis", &["string", "null"]),
    ("blocked_by", &["array"]),
    ("by", &["string"]),
    ("category", &["string"]),
    ("change", &["string"]),
    ("column", &["number", "null"]),
    ("common_ground", &["array", "null"]),
    ("conflict", &["number"]),
    ("crossed", &["array"]),
    ("date", &["string"]),
    ("demand", &["string"]),
    ("demand_a", &["string", "null"]),
    ("demand_b", &["string", "null"]),
    ("demands", &["array"]),
    ("evidence", &["string"]),
    ("event", &["string"]),
    ("file", &["string", "null"]),
    // `changes`: a relation on each date (words) or a count (`from_count`, `to_count`).
    ("from", &["string", "null"]),
    ("from_count", &["number", "null"]),
    ("hint", &["string", "null"]),
    ("id", &["string"]),
    ("irreconcilable", &["number"]),
    ("issue", &["string", "null"]),
    ("issue_a", &["string"]),
    ("issue_b", &["string"]),
    ("issues", &["number"]),
    ("kind", &["string"]),
    ("line", &["number", "null"]),
    ("max", &["number", "null"]),
    ("message", &["string"]),
    ("met", &["number"]),
    ("min", &["number", "null"]),
    ("min_satisfaction", &["number", "null"]),
    ("name", &["string"]),
    ("nearest", &["array"]),
    // An option id, a number on a scale, or (nearest outcomes) `MIN..MAX`.
    ("outcome", &["string", "number", "null"]),
    ("outcomes", &["object"]),
    ("overlap", &["number"]),
    ("package", &["number"]),
    ("pairs", &["number"]),
    ("parties", &["array"]),
    ("party", &["string"]),
    ("party_a", &["string", "null"]),
    ("party_b", &["string", "null"]),
    ("position", &["array"]),
    ("precedents", &["array"]),
    ("priority", &["string"]),
    ("quote", &["string", "null"]),
    ("reason", &["string"]),
    ("red_line", &["bool"]),
    ("red_line_blockers", &["array"]),
    ("red_lines", &["number"]),
    ("red_lines_crossed", &["number"]),
    ("relation", &["string", "null"]),
    ("relations", &["array"]),
    ("replaced_by", &["string", "null"]),
    ("replaces", &["string", "null"]),
    ("satisfaction", &["number"]),
    ("severity", &["string"]),
    ("shared_goal", &["array", "null"]),
    ("source", &["string", "null"]),
    ("sources", &["array"]),
    ("stances", &["array"]),
    ("stated", &["string"]),
    ("status", &["string"]),
    ("summary", &["string", "null"]),
    ("tags", &["array"]),
    ("title", &["string"]),
    ("to", &["string", "null"]),
    ("to_count", &["number", "null"]),
    ("total_satisfaction", &["number"]),
    ("until", &["string", "null"]),
    ("url", &["string", "null"]),
    ("verdict", &["string"]),
    ("violated", &["number"]),
    ("wants", &["array"]),
];

/// Every command with JSON output, on the built-in corpus, on dates where each has rows.
const COMMANDS: &[&[&str]] = &[
    &["--as-of", "2026-02-20", "parties"],
    &["--as-of", "2022-03-31", "issues"],
    &["--as-of", "2026-02-20", "issues"],
    &["--as-of", "2026-02-20", "demands", "--all"],
    &["--as-of", "2026-02-20", "show", "ru-force-cap-85000"],
    &["--as-of", "2026-02-20", "show", "ru-ukraine-outside-nato"],
    &["--as-of", "2026-02-20", "diff", "russia", "ukraine"],
    &["--as-of", "2025-03-12", "diff", "ru", "nato"],
    &["--as-of", "2026-02-20", "matrix"],
    &["--as-of", "2026-02-20", "pairs"],
    &["--as-of", "2026-02-20", "issue", "crimea-status"],
    &["--as-of", "2026-01-15", "issue", "ukraine-force-ceiling"],
    &["--as-of", "2026-02-20", "issue", "security-guarantees"],
    &[
        "--as-of",
        "2026-02-20",
        "explain",
        "ru-force-cap-85000",
        "ua-army-800000",
    ],
    &[
        "--as-of",
        "2026-02-20",
        "explain",
        "ru-ukraine-outside-nato",
        "ua-guarantees-instead-of-nato",
    ],
    &[
        "--as-of",
        "2022-03-31",
        "explain",
        "ru-ukraine-outside-nato",
        "ua-neutrality-for-guarantees",
    ],
    &["plan", "us-28-point-plan-2025"],
    &["history"],
    &["changes", "--from", "2022-03-31", "--to", "2022-10-15"],
    &["align"],
    &["--as-of", "2026-02-20", "settle", "--parties", "russia,ukraine"],
    // `check` has no rows on a valid corpus.
    &["--corpus", "tests/fixtures/invalid/duplicate-demand-id", "check"],
];

const OBJECTS: &[&str] = &["show", "explain", "issue"];

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A string that is really a list or a number, or no value at all.
fn disguised(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        return Some("an empty string (null or [] expected)");
    }
    let id = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if s.contains(';') && s.split(';').all(id) {
        return Some("a `;`-joined list (an array expected)");
    }
    if s.parse::<f64>().is_ok() {
        return Some("a number in a string");
    }
    None
}

/// Walks a value: the types seen for each key, and every disguised string.
fn walk(
    v: &Value,
    path: &str,
    seen: &mut BTreeMap<String, BTreeSet<&'static str>>,
    problems: &mut Vec<String>,
    // Keys whose values are free-form maps (settle's outcomes, keyed by issue).
    free: bool,
) {
    match v {
        Value::Object(map) => {
            for (key, value) in map {
                if !free {
                    seen.entry(key.clone()).or_default().insert(kind(value));
                }
                // Settle's outcomes are "<option id>" or <number>, by issue id.
                walk(value, &format!("{path}.{key}"), seen, problems, key == "outcomes");
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), seen, problems, false);
            }
        }
        Value::String(s) => {
            // Option ids of a nearest outcome and dates are fine; `MIN..MAX` too.
            if let Some(why) = disguised(s) {
                problems.push(format!("{path} = {s:?} is {why}"));
            }
        }
        _ => {}
    }
}

#[test]
fn every_command_keeps_the_json_contract() {
    let declared: BTreeMap<&str, BTreeSet<&str>> =
        FIELDS.iter().map(|(k, t)| (*k, t.iter().copied().collect())).collect();
    let mut problems = Vec::new();
    let mut everywhere: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    for args in COMMANDS {
        let out = crate::support::command()
            .args(*args)
            .args(["--format", "json"])
            .output()
            .expect("run positions");
        let line = args.join(" ");
        assert!(
            out.status.success() || args.contains(&"check"),
            "`positions {line} --format json` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("`positions {line} --format json` is not JSON: {e}"));
        let is_object = args.iter().any(|a| OBJECTS.contains(a));
        match (&json, is_object) {
            (Value::Object(map), true) => {
                let as_of = map.get("as_of").and_then(Value::as_str).unwrap_or("");
                if as_of.len() != 10 {
                    problems.push(format!("{line}: an object output without a date in `as_of`"));
                }
            }
            (Value::Array(items), false) => {
                if items.is_empty() {
                    problems.push(format!("{line}: no rows, so nothing was checked"));
                }
                if items.iter().any(|i| !i.is_object()) {
                    problems.push(format!("{line}: an array of something other than objects"));
                }
            }
            _ => problems.push(format!("{line}: {} output", kind(&json))),
        }
        let mut seen = BTreeMap::new();
        let mut found = Vec::new();
        walk(&json, "", &mut seen, &mut found, false);
        problems.extend(found.into_iter().take(3).map(|p| format!("{line}: {p}")));
        for (key, kinds) in seen {
            match declared.get(key.as_str()) {
                None => problems.push(format!("{line}: field `{key}` ({kinds:?}) is not declared")),
                Some(allowed) => {
                    for k in &kinds {
                        if !allowed.contains(k) {
                            problems.push(format!("{line}: field `{key}` is {k}, declared {allowed:?}"));
                        }
                    }
                }
            }
            everywhere.entry(key).or_default().extend(kinds);
        }
    }
    assert!(
        problems.is_empty(),
        "{} breaches of the JSON contract:\n{}\n\nfields seen: {everywhere:#?}",
        problems.len(),
        problems.join("\n")
    );
}
