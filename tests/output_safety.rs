//! Output that cannot be turned against its reader (SPEC §4): corpus text full of
//! terminal control sequences, formula prefixes, markup and odd Unicode, put into every
//! text field of a corpus, and every command run over it in every format.
//!
//! * Tables and Markdown never carry a control character (C0 but the newline, DEL, C1)
//!   or a bidirectional control; with `--color always` only the tool's own SGR colour
//!   sequences appear.
//! * Every CSV cell that starts with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`.
//! * JSON parses, and gives back the corpus text exactly.
//!
//! The real binary runs a fixed battery of nasty strings; proptest then runs random
//! strings through the library with the fuzz harness's checks (`fuzz/src/lib.rs`).

#[allow(dead_code)]
use crate::harness;

use std::fs;
use std::path::Path;

use crate::support::positions;
use positions::corpus::CorpusFiles;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// The snapshot corpus, with every text value replaced by `text(n)` for the n-th value.
/// Returns (relative path, YAML) pairs.
fn corpus_with_texts(text: &mut dyn FnMut(usize) -> String) -> Vec<(String, String)> {
    const TEXT_KEYS: &[&str] = &[
        "title",
        "name",
        "summary",
        "label",
        "description",
        "unit",
        "by",
        "quote",
        "rationale",
        "url",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot");
    let mut n = 0;
    harness::BASE
        .iter()
        .map(|(path, _)| {
            let original = fs::read_to_string(root.join(path)).expect("read fixture");
            let mut out = String::new();
            for line in original.lines() {
                let body = line.trim_start().trim_start_matches("- ");
                let indent = &line[..line.len() - body.len()];
                match body.split_once(": ") {
                    Some((key, _)) if TEXT_KEYS.contains(&key) => {
                        out.push_str(&format!("{indent}{key}: {}\n", yaml_quote(&text(n))));
                        n += 1;
                    }
                    Some(("tags", _)) => {
                        out.push_str(&format!("{indent}tags: [{}]\n", yaml_quote(&text(n))));
                        n += 1;
                    }
                    _ => {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
            (path.to_string(), out)
        })
        .collect()
}

/// A YAML double-quoted scalar that holds exactly `text`.
fn yaml_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        let code = c as u32;
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ if code < 0x20 || (0x7f..=0x9f).contains(&code) || matches!(code, 0xfeff | 0xfffe | 0xffff) => {
                out.push_str(&format!("\\u{code:04x}"));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const NASTY: &[&str] = &[
    "\u{1b}[31mred\u{1b}[0m",
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}[2J\u{1b}[H",
    "\u{9b}31mC1 CSI",
    "over\rwrite",
    "bell\u{7}",
    "back\u{8}space",
    "\u{202e}gnissapyb\u{202c}",
    "\u{2066}isolate\u{2069}",
    "\u{85}next line",
    "del\u{7f}",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2-2",
    "@SUM(A1:A9)",
    "\tTAB",
    "\rCR",
    "<script>alert(1)</script>",
    "| pipe | *emph* _x_ [link](javascript:alert(1)) `code`",
    "line\u{2028}separator",
    "\u{feff}BOM inside",
    "e\u{301}\u{301}\u{301} 😀 \u{ffff}",
    "```\nfence",
    "multi\nline\ntext",
];

fn nasty_corpus(dir: &Path) {
    let mut next = |n: usize| NASTY[n % NASTY.len()].to_string();
    for (path, text) in corpus_with_texts(&mut next) {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
}

/// Every command, with arguments that name things in the snapshot corpus.
const COMMANDS: &[&[&str]] = &[
    &["parties"],
    &["issues"],
    &["demands"],
    &["demands", "--all"],
    &["demands", "azure", "--issue", "troop-ceiling"],
    &["show", "az-open-river"],
    &["show", "az-old-line"],
    &["show", "az-troops-low"],
    &["show", "az-troops-medium"],
    &["show", "az-no-tolls"],
    &["show", "cr-shared-river"],
    &["show", "cr-new-line"],
    &["show", "cr-troops"],
    &["show", "vd-commission"],
    &["show", "vd-river-open"],
    &["diff", "azure", "crimson"],
    &["diff", "verdant", "azure"],
    &["matrix"],
    &["matrix", "--level", "demand"],
    &["pairs"],
    &["issue", "river-access"],
    &["issue", "border-line"],
    &["issue", "troop-ceiling"],
    &["issue", "tolls"],
    &["explain", "az-open-river", "cr-shared-river"],
    &["explain", "az-old-line", "cr-troops"],
    &["explain", "az-old-line", "cr-new-line"],
    &["plan", "river-compact"],
    &["history"],
    &["changes", "--from", "2019-01-01"],
    &["align", "--at", "2021-01-01,2023-01-01"],
    &["check"],
];

fn run(corpus: &Path, args: &[&str]) -> (i32, String, String) {
    let output = positions()
        .arg("--corpus")
        .arg(corpus)
        .args(["--as-of", "2023-01-01"])
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    )
}

/// The colour sequences the tool itself writes: SGR, `ESC [ digits ; m`.
fn without_own_colour(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\u{1b}[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let params = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[params..].starts_with('m') {
            rest = &after[params + 1..];
        } else {
            out.push_str("\u{1b}[");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn the_battery_reaches_every_text_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    nasty_corpus(dir.path());
    let (code, stdout, stderr) = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, 0, "the nasty corpus must be valid: {stdout}{stderr}");
    let mut json = String::new();
    for args in COMMANDS {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        json.push_str(&run(dir.path(), &all).1);
    }
    // JSON writes every control and invisible character as a `\uXXXX` escape: none is
    // raw, and each string reads back exactly.
    let raw: Vec<char> = json
        .chars()
        .filter(|&c| (c.is_control() && c != '\n') || positions::render::escape::is_invisible(c))
        .collect();
    assert!(raw.is_empty(), "raw control characters in JSON: {raw:?}");
    let missing: Vec<&&str> = NASTY
        .iter()
        .filter(|nasty| {
            !json.contains(&positions::render::escape::json(
                serde_json::to_string(nasty).expect("json"),
            ))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "these should come back exactly in some JSON output: {missing:?}"
    );
}

#[test]
fn no_control_character_reaches_a_terminal_in_any_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    nasty_corpus(dir.path());
    for args in COMMANDS {
        for (extra, own_colour) in [
            (&["--color", "never"][..], false),
            (&["--color", "always"][..], true),
            (&["--format", "markdown"][..], false),
        ] {
            let all: Vec<&str> = args.iter().chain(extra).copied().collect();
            let (code, stdout, stderr) = run(dir.path(), &all);
            assert_eq!(code, 0, "positions {all:?}: {stderr}");
            for (stream, text) in [("stdout", stdout), ("stderr", stderr)] {
                let text = if own_colour { without_own_colour(&text) } else { text };
                if let Some(c) = text.chars().find(|&c| {
                    (c.is_control() && c != '\n')
                        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
                }) {
                    panic!("positions {all:?}: {c:?} on {stream}:\n{text}");
                }
            }
        }
    }
}

/// The documents printed to stdout as they are (the HTML report, Graphviz and Mermaid
/// graphs) are escaped their own way; none carries a raw control character either.
#[test]
fn documents_carry_no_control_character() {
    let dir = tempfile::tempdir().expect("temp dir");
    nasty_corpus(dir.path());
    for args in [&["report"][..], &["graph"], &["graph", "--format", "mermaid"]] {
        let (code, stdout, stderr) = run(dir.path(), args);
        assert_eq!(code, 0, "positions {args:?}: {stderr}");
        if let Some(c) = stdout.chars().find(|&c| {
            (c.is_control() && !matches!(c, '\n' | '\t'))
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        }) {
            panic!("positions {args:?}: {c:?} in the output");
        }
    }
}

#[test]
fn every_csv_export_defuses_formulas_and_json_stays_valid() {
    let dir = tempfile::tempdir().expect("temp dir");
    nasty_corpus(dir.path());
    for args in COMMANDS {
        let mut all = args.to_vec();
        all.extend(["--format", "csv"]);
        let (code, csv, stderr) = run(dir.path(), &all);
        assert_eq!(code, 0, "positions {all:?}: {stderr}");
        harness::assert_csv_defused(&csv, &format!("positions {all:?}"));
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let (code, json, stderr) = run(dir.path(), &all);
        assert_eq!(code, 0, "positions {all:?}: {stderr}");
        if let Err(err) = serde_json::from_str::<serde_json::Value>(&json) {
            panic!("positions {all:?}: invalid JSON ({err}):\n{json}");
        }
    }
}

/// Error messages quote what the user typed; a hostile argument is escaped too.
#[test]
fn hostile_arguments_are_escaped_in_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    nasty_corpus(dir.path());
    for args in [
        &["diff", "\u{1b}[2Jazure", "crimson"][..],
        &["show", "\u{1b}]0;x\u{7}"],
        &["issue", "\u{9b}1m"],
        &["plan", "\u{202e}plan"],
    ] {
        let (code, _, stderr) = run(dir.path(), args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(
            !stderr.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?}: {stderr:?}"
        );
        assert!(!stderr.contains('\u{202e}'), "{args:?}: {stderr:?}");
    }
}

/// Any string at all: control characters, the C1 range, bidirectional controls,
/// noncharacters, combining marks, astral planes (no surrogates: Rust strings hold none).
fn any_text() -> impl Strategy<Value = String> {
    let nasty_char = prop_oneof![
        4 => any::<char>(),
        2 => (0u32..0x20).prop_map(|c| char::from_u32(c).expect("C0")),
        1 => (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).expect("C1")),
        1 => prop::sample::select(vec!['\u{1b}', '\u{202e}', '\u{2066}', '\u{200f}', '\u{feff}', '\u{2028}', '\u{ffff}', '\u{10ffff}', '\u{301}', '"', '\\', '|', '<', '&']),
        4 => prop::char::range('a', 'z'),
    ];
    let prefix = prop::sample::select(vec!["", "", "=", "+", "-", "@", "\t", "\r", " ", "'"]);
    (prefix, prop::collection::vec(nasty_char, 0..24))
        .prop_map(|(prefix, chars)| prefix.to_string() + &chars.into_iter().collect::<String>())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        // Failures are kept, and committed, in proptest-regressions/ at the crate root.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/output_safety.txt"))),
        ..ProptestConfig::default()
    })]

    /// Random text in every field: the corpus stays valid, and every command in every
    /// format keeps the output contracts (the fuzz harness's checks).
    #[test]
    fn any_text_in_any_field_is_rendered_safely(texts in prop::collection::vec(any_text(), 64)) {
        let files = corpus_with_texts(&mut |n| texts[n % texts.len()].clone());
        let entries = files.iter().map(|(path, text)| (path.as_str(), text.clone()));
        let files = CorpusFiles::from_memory("corpus", entries);
        let loaded = positions::corpus::load(&files);
        let errors: Vec<String> = loaded.diagnostics.items.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
        prop_assert!(errors.is_empty(), "{errors:?}");
        harness::exercise(&files);
    }

    /// JSON carries any string exactly: what goes into a title comes out of the JSON.
    #[test]
    fn json_round_trips_any_string(text in any_text()) {
        let files = corpus_with_texts(&mut |_| text.clone());
        let entries = files.iter().map(|(path, text)| (path.as_str(), text.clone()));
        let files = CorpusFiles::from_memory("corpus", entries);
        let loaded = positions::corpus::load(&files);
        let corpus = loaded.corpus.as_ref().expect("valid");
        let env = positions::cmd::Env::with_corpus(corpus, "2023-01-01".parse().expect("date"));
        let cli = <positions::cli::Cli as clap::Parser>::try_parse_from(["positions", "demands", "--all"]).expect("args");
        let output = positions::cmd::run(&env, &cli.command).expect("output");
        let mut out = Vec::new();
        let settings = positions::render::Settings {
            format: positions::render::Format::Json,
            style: positions::render::Style { color: false, width: None },
            target: None,
            caption: None,
        };
        positions::render::write_to(output, &settings, &mut out).expect("render");
        let value: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
        let titles: Vec<&str> = value.as_array().expect("array").iter().map(|row| row["title"].as_str().expect("title")).collect();
        prop_assert!(titles.iter().all(|t| *t == text), "{titles:?} vs {text:?}");
    }
}
