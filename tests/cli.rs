//! The real binary, driven as a user would: snapshots of every command in every format,
//! exit codes, colour, pipes, output files and hostile text.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::support::{BIN, command, generated, positions};
use insta::assert_snapshot;
use positions::generate::Params;

const FIXTURE: &str = "tests/fixtures/snapshot";
const HOSTILE: &str = "tests/fixtures/hostile-text";
/// Snapshots of the shipped corpus are taken as of a fixed date, so they change only when
/// the corpus does.
const SHIPPED_AS_OF: &str = "2026-01-15";

/// The binary with a clean environment: a developer's shell cannot change the result.
/// Run, require success, return stdout.
fn run(args: &[&str]) -> String {
    crate::support::stdout_of(args)
}

fn fixture(args: &[&str]) -> String {
    let mut all = vec!["--corpus", FIXTURE, "--as-of", "2023-01-01"];
    all.extend(args);
    run(&all)
}

fn shipped(args: &[&str]) -> String {
    let mut all = vec!["--as-of", SHIPPED_AS_OF];
    all.extend(args);
    run(&all)
}

const COMMANDS: &[(&str, &[&str])] = &[
    ("parties", &["parties"]),
    ("issues", &["issues"]),
    ("demands", &["demands"]),
    ("demands_azure", &["demands", "AZ", "--all"]),
    ("show", &["show", "az-open-river"]),
    ("diff", &["diff", "azure", "crimson"]),
    ("matrix", &["matrix"]),
    ("matrix_demand", &["matrix", "--level", "demand"]),
    ("pairs", &["pairs"]),
    ("issue_none", &["issue", "border-line"]),
    ("issue_scale", &["issue", "troop-ceiling"]),
    ("explain_overlap", &["explain", "az-troops-medium", "cr-troops"]),
    ("explain_irreconcilable", &["explain", "az-old-line", "cr-new-line"]),
    ("explain_asserted", &["explain", "az-old-line", "cr-troops"]),
    ("explain_withdrawn", &["explain", "az-troops-low", "cr-troops"]),
    ("plan", &["plan", "river-compact"]),
    ("history", &["history"]),
    ("history_troops", &["history", "azure", "--issue", "troop-ceiling"]),
    ("changes", &["changes", "--from", "2021-06-01", "--to", "2022-07-01"]),
    ("align", &["align", "--at", "2020-06-01,2023-01-01"]),
    ("settle", &["settle"]),
    ("check", &["check"]),
];

#[test]
fn fixture_every_command_every_format() {
    for (name, args) in COMMANDS {
        for format in ["table", "csv", "json", "markdown"] {
            let mut all = args.to_vec();
            all.extend(["--format", format]);
            assert_snapshot!(format!("fixture_{name}_{format}"), fixture(&all));
        }
    }
}

/// Every command in every format on the built-in corpus.
const SHIPPED: &[(&str, &[&str])] = &[
    ("parties", &["parties"]),
    ("issues", &["issues"]),
    ("demands_russia", &["demands", "russia"]),
    ("show", &["show", "ru-ukraine-outside-nato"]),
    ("diff_russia_ukraine", &["diff", "russia", "ukraine"]),
    ("diff_us_eu", &["diff", "us", "eu"]),
    ("matrix", &["matrix"]),
    (
        "matrix_demand_nato_russia",
        &["matrix", "--level", "demand", "--parties", "nato,russia"],
    ),
    ("pairs", &["pairs"]),
    ("issue_crimea", &["issue", "crimea-status"]),
    ("issue_force_ceiling", &["issue", "ukraine-force-ceiling"]),
    ("explain", &["explain", "ru-force-cap-85000", "ua-army-800000"]),
    (
        "history_ukraine_nato",
        &["history", "ukraine", "--issue", "ukraine-nato-membership"],
    ),
    ("plan_28_point", &["plan", "us-28-point-plan-2025"]),
    (
        "changes_istanbul_to_annexation",
        &["changes", "--from", "2022-03-31", "--to", "2022-10-15"],
    ),
    (
        "align_over_time",
        &["align", "--at", "2022-03-31,2024-06-14,2026-01-15"],
    ),
    ("settle", &["settle"]),
    (
        "settle_russia_ukraine",
        &["settle", "--parties", "russia,ukraine", "--top", "2"],
    ),
    ("check", &["check"]),
];

#[test]
fn shipped_corpus_snapshots() {
    for (name, args) in SHIPPED {
        for format in ["table", "csv", "json", "markdown"] {
            let mut all = args.to_vec();
            all.extend(["--format", format]);
            assert_snapshot!(format!("shipped_{name}_{format}"), shipped(&all));
        }
    }
}

#[test]
fn shipped_corpus_is_valid_from_any_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = positions().current_dir(dir.path()).arg("check").output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("ok: 7 parties"), "{text}");
    let output = positions()
        .current_dir(dir.path())
        .args(["diff", "russia", "ukraine"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("Russian Federation vs Ukraine"));
}

#[test]
fn neutrality_overlaps_in_march_2022_and_not_in_october() {
    let row = |as_of: &str| {
        let csv = run(&["--as-of", as_of, "diff", "russia", "ukraine", "--format", "csv"]);
        csv.lines()
            .find(|l| l.starts_with("ukraine-nato-membership,") && !l.contains("unmatched"))
            .map(str::to_string)
            .unwrap_or_default()
    };
    let march = row("2022-03-31");
    assert!(march.contains(",overlap,derived,neutrality,neutrality"), "{march}");
    let october = row("2022-10-15");
    assert!(
        october.contains(",irreconcilable,") || october.contains(",conflict,"),
        "{october}"
    );
}

#[test]
fn pairs_csv_matches_the_contract() {
    let csv = fixture(&["pairs", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("party_a,demand_a,issue_a,party_b,demand_b,issue_b,relation,basis,common_ground")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.contains(
        &"azure,az-troops-medium,troop-ceiling,crimson,cr-troops,troop-ceiling,overlap,derived,45000..50000"
    ));
    assert!(rows.contains(&"azure,az-old-line,border-line,crimson,cr-new-line,border-line,irreconcilable,derived,"));
    assert!(rows.contains(&"azure,az-old-line,border-line,crimson,cr-troops,troop-ceiling,conflict,asserted,"));
    // The asserted relation is written [vd-commission, az-open-river]: azure comes first.
    assert!(rows.contains(&"azure,az-open-river,river-access,verdant,vd-commission,border-line,overlap,asserted,"));
    assert_eq!(rows.len(), 9);
}

#[test]
fn matrix_csv_counts_match_pairs() {
    let csv = fixture(&["matrix", "--format", "csv"]);
    assert_eq!(
        csv,
        "party_a,party_b,overlap,conflict,irreconcilable\r\n\
         azure,crimson,2,1,1\r\n\
         azure,verdant,2,1,0\r\n\
         crimson,verdant,1,1,0\r\n"
    );
    let filtered = fixture(&["matrix", "--parties", "verdant,AZ", "--format", "csv"]);
    assert_eq!(
        filtered,
        "party_a,party_b,overlap,conflict,irreconcilable\r\nverdant,azure,2,1,0\r\n"
    );
}

#[test]
fn as_of_changes_what_is_active() {
    // On 2021-06-01 Azure's low ceiling (max 40,000 acceptable) still stands: a conflict.
    let csv = run(&[
        "--corpus",
        FIXTURE,
        "--as-of",
        "2021-06-01",
        "pairs",
        "--relation",
        "conflict",
        "--format",
        "csv",
    ]);
    assert!(
        csv.contains("azure,az-troops-low,troop-ceiling,crimson,cr-troops,troop-ceiling,conflict,derived,"),
        "{csv}"
    );
    // Before anything was stated there are no pairs at all.
    let empty = run(&["--corpus", FIXTURE, "--as-of", "2019-12-31", "pairs", "--format", "csv"]);
    assert_eq!(empty.lines().count(), 1);
}

#[test]
fn corpus_from_environment() {
    let output = positions()
        .env("POSITIONS_CORPUS", FIXTURE)
        .args(["parties", "--format", "csv"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("azure,Republic of Azure"));
}

#[test]
fn unknown_party_suggests_the_closest() {
    let output = positions().args(["diff", "rusia", "ukraine"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: unknown party `rusia`"), "{stderr}");
    assert!(stderr.contains("did you mean `russia`?"), "{stderr}");
    assert!(stderr.contains("china, eu, nato, russia, uk, ukraine, us"), "{stderr}");
}

#[test]
fn exit_codes() {
    let code = |args: &[&str]| positions().args(args).output().expect("runs").status.code();
    assert_eq!(code(&["parties"]), Some(0));
    assert_eq!(code(&["--help"]), Some(0));
    assert_eq!(code(&["--version"]), Some(0));
    assert_eq!(code(&["no-such-command"]), Some(2));
    assert_eq!(code(&["parties", "--no-such-flag"]), Some(2));
    assert_eq!(code(&["--as-of", "2024-02-30", "parties"]), Some(2));
    assert_eq!(code(&["--format", "xml", "parties"]), Some(2));
    assert_eq!(code(&["diff", "russia"]), Some(2));
    assert_eq!(code(&["show", "no-such-demand"]), Some(1));
    assert_eq!(code(&["issue", "no-such-issue"]), Some(1));
    assert_eq!(code(&["--corpus", "tests/fixtures/does-not-exist", "parties"]), Some(1));
    assert_eq!(code(&["demands", "--match", "("]), Some(2));
}

#[test]
fn aliases_in_any_case() {
    assert_eq!(
        run(&["--as-of", SHIPPED_AS_OF, "diff", "RU", "Ua", "--format", "csv"]),
        run(&["--as-of", SHIPPED_AS_OF, "diff", "russia", "ukraine", "--format", "csv"])
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let piped = fixture(&["pairs"]);
    assert!(!piped.contains('\u{1b}'), "piped output is plain");
    let forced = fixture(&["--color", "always", "pairs"]);
    assert!(forced.contains("\u{1b}["), "--color always colours");
    let never = fixture(&["--color", "never", "pairs"]);
    assert!(!never.contains('\u{1b}'));
    assert!(!fixture(&["--color", "always", "pairs", "--format", "csv"]).contains('\u{1b}'));
}

/// `script` gives the binary a real terminal, so `--color auto` is exercised for real.
#[test]
fn no_color_wins_on_a_terminal() {
    let bin = BIN;
    let on_tty = |no_color: Option<&str>| {
        let mut cmd = Command::new("script");
        cmd.args([
            "-qec",
            &format!("{bin} --corpus {FIXTURE} --as-of 2023-01-01 pairs"),
            "/dev/null",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color");
        if let Some(value) = no_color {
            cmd.env("NO_COLOR", value);
        }
        let output = cmd.output().expect("script(1) from util-linux runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(on_tty(None).contains("\u{1b}["), "a terminal gets colour");
    assert!(!on_tty(Some("1")).contains("\u{1b}["), "NO_COLOR turns it off");
}

/// A corpus big enough that `pairs --format csv` is far over a pipe's 64 KiB.
fn big_corpus() -> tempfile::TempDir {
    generated(&Params {
        demands: 400,
        parties: 4,
        ..Params::default()
    })
}

#[test]
fn broken_pipe_ends_quietly() {
    // Few pairs of parties with many rows each, and many with few rows each (the reader
    // goes away between two pairs of parties' rows, not inside one's).
    let many_parties = generated(&Params {
        demands: 2000,
        parties: 24,
        per_issue: 24,
        ..Params::default()
    });
    for corpus in [big_corpus(), many_parties] {
        let corpus = corpus.path().to_str().expect("utf-8 path");
        let full = run(&["--corpus", corpus, "pairs", "--format", "csv"]);
        assert!(
            full.len() > 128 * 1024,
            "the output must overflow a pipe buffer: {} bytes",
            full.len()
        );
        for (args, read) in [
            (&["pairs", "--format", "csv"][..], 64),
            (&["pairs", "--format", "csv"][..], 1),
        ] {
            let mut child = command()
                .args(["--corpus", corpus])
                .args(args)
                .env_remove("NO_COLOR")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawns");
            let mut stdout = child.stdout.take().expect("stdout");
            let mut first = vec![0u8; read];
            stdout.read_exact(&mut first).expect("reads the start");
            drop(stdout); // like `| head -c 64`
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .expect("stderr")
                .read_to_string(&mut stderr)
                .expect("reads stderr");
            let status = child.wait().expect("exits");
            assert_eq!(status.code(), Some(0), "{corpus}, {read} bytes read; stderr: {stderr}");
            assert_eq!(stderr, "", "no broken-pipe message, no panic");
        }
    }
}

/// Long work shows a progress bar only on a terminal: with stderr on a pipe, a corpus big
/// enough for the bar (over 4 MiB) leaves stderr empty.
#[test]
fn no_progress_bar_on_a_pipe() {
    let dir = generated(&Params {
        demands: 11_000,
        parties: 4,
        ..Params::default()
    });
    let size: u64 = std::fs::read_dir(dir.path().join("parties"))
        .expect("list")
        .map(|e| e.expect("entry").metadata().expect("metadata").len())
        .sum();
    assert!(
        size > 4 * 1024 * 1024,
        "the corpus must be big enough for a bar: {size} bytes"
    );
    let output = positions()
        .env_remove("CI")
        .args(["--corpus", dir.path().to_str().expect("utf-8 path"), "parties"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "nothing on a piped stderr");
}

/// A demand matrix too large to use asks for a filter instead of filling the disk.
#[test]
fn huge_demand_matrix_asks_for_a_filter() {
    // Every demand active: 5,002 of them, two more than the matrix takes.
    let dir = generated(&Params {
        demands: 5002,
        parties: 2,
        until_share: 0.0,
        ..Params::default()
    });
    let corpus = dir.path().to_str().expect("utf-8 path");
    let target = dir.path().join("matrix.csv");
    let output = positions()
        .args([
            "--corpus", corpus, "matrix", "--level", "demand", "--format", "csv", "-o",
        ])
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("5002 × 5002 cells"), "{stderr}");
    assert!(stderr.contains("--parties"), "{stderr}");
    assert!(!target.exists(), "no file is written");
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("pairs.csv");
    let target_str = target.to_str().expect("utf-8 path");
    let stdout = fixture(&["pairs", "--format", "csv", "--output", target_str]);
    assert_eq!(stdout, "", "nothing on stdout when writing a file");
    let written = std::fs::read_to_string(&target).expect("file written");
    assert_eq!(written, fixture(&["pairs", "--format", "csv"]));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");

    let missing = dir.path().join("no-such-dir/pairs.csv");
    let output = positions()
        .args([
            "--corpus",
            FIXTURE,
            "pairs",
            "--output",
            missing.to_str().expect("utf-8 path"),
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write"));
    assert!(!missing.exists());
}

#[test]
fn terminal_controls_never_reach_the_terminal() {
    for args in [
        &["parties"][..],
        &["issues"],
        &["demands"],
        &["show", "ml-water"],
        &["diff", "mallory", "trent"],
        &["pairs"],
        &["issue", "water"],
        &["explain", "ml-water", "tr-water"],
        &["matrix", "--level", "demand"],
    ] {
        for format in ["table", "markdown"] {
            let mut all = vec!["--corpus", HOSTILE];
            all.extend(args);
            all.extend(["--format", format]);
            let out = run(&all);
            assert!(!out.contains('\u{1b}'), "raw ESC in {args:?} {format}: {out}");
            assert!(!out.contains('\u{7}'), "raw BEL in {args:?} {format}");
            assert!(!out.contains('\u{202e}'), "raw bidi override in {args:?} {format}");
        }
    }
    let table = run(&["--corpus", HOSTILE, "parties"]);
    assert!(
        table.contains("Mallory \\u{1b}]0;pwned\\u{7}\\u{1b}[31mState"),
        "{table}"
    );
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let csv = run(&["--corpus", HOSTILE, "demands", "--format", "csv"]);
    assert!(csv.contains(",'=cmd|' /C calc'!A0\r\n"), "{csv}");
    let json = run(&["--corpus", HOSTILE, "show", "ml-water", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["title"], "=cmd|' /C calc'!A0", "JSON keeps the text as it is");
    assert_eq!(value["sources"][0]["title"], "@evil <script>alert(1)</script>");
    let markdown = run(&["--corpus", HOSTILE, "show", "ml-water", "--format", "markdown"]);
    assert!(markdown.contains("&lt;script&gt;"), "{markdown}");
    assert!(!markdown.contains("<script>"));
}

#[test]
fn json_is_valid_for_every_listing() {
    for (_, args) in COMMANDS {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let text = fixture(&all);
        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"));
    }
}

#[test]
fn plan_on_its_own_date() {
    for format in ["table", "csv"] {
        let out = run(&[
            "--corpus",
            FIXTURE,
            "plan",
            "river-compact",
            "--plan-date",
            "--parties",
            "crimson,azure",
            "--format",
            format,
        ]);
        assert_snapshot!(format!("fixture_plan_on_its_date_{format}"), out);
    }
    // The date is the plan's, so --as-of cannot also be given, wherever it is written.
    for args in [
        &["--as-of", "2023-01-01", "plan", "river-compact", "--plan-date"][..],
        &["plan", "river-compact", "--plan-date", "--as-of", "2023-01-01"],
    ] {
        let mut all = vec!["--corpus", FIXTURE];
        all.extend(args);
        assert_eq!(
            positions().args(&all).output().expect("runs").status.code(),
            Some(2),
            "{args:?}"
        );
    }
}

#[test]
fn plan_by_path_is_validated_with_the_corpus() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("compact.yaml");
    std::fs::write(
        &good,
        "plan:\n  id: compact\n  title: A compact\n  date: 2022-01-01\n  sources: []\n\
         outcomes:\n  river-access: open\n  troop-ceiling: 20000\n",
    )
    .expect("write");
    let csv = fixture(&["plan", good.to_str().expect("utf-8 path"), "--format", "csv"]);
    assert!(
        csv.contains("azure,az-open-river,river-access,open,met,high\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("crimson,cr-troops,troop-ceiling,20000,violated,high\r\n"),
        "{csv}"
    );
    assert!(csv.contains("azure,az-no-tolls,tolls,,unaddressed,low\r\n"), "{csv}");

    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "plan:\n  id: bad\n  title: Bad\n  date: 2022-01-01\noutcomes:\n  river-acess: open\n  troop-ceiling: 200000\n",
    )
    .expect("write");
    let output = positions()
        .args(["--corpus", FIXTURE, "plan", bad.to_str().expect("utf-8 path")])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown issue `river-acess`"), "{stderr}");
    assert!(stderr.contains("did you mean `river-access`?"), "{stderr}");
    assert!(
        stderr.contains("200000 lies outside the scale of `troop-ceiling`"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.yaml:7:18"), "{stderr}");
}

#[test]
fn changes_and_align_contracts() {
    let changes = fixture(&[
        "changes",
        "--from",
        "2021-06-01",
        "--to",
        "2022-07-01",
        "--format",
        "csv",
    ]);
    let mut lines = changes.lines();
    assert_eq!(lines.next(), Some("kind,party_a,party_b,issue,from,to,change"));
    let rows: Vec<&str> = lines.collect();
    // Azure's low ceiling (conflict with Crimson) gave way to a medium one that overlaps.
    assert!(
        rows.contains(&"relation,azure,crimson,troop-ceiling,conflict,overlap,eased"),
        "{changes}"
    );
    assert!(rows.contains(&"overlap-count,azure,crimson,,1,2,up"), "{changes}");
    assert!(rows.contains(&"conflict-count,azure,crimson,,2,1,down"), "{changes}");
    assert!(
        rows.contains(&"common-ground,,,troop-ceiling,,45000..50000,found"),
        "{changes}"
    );
    // One ceiling replaced another: Azure has four active demands on both dates, and the
    // demands rows name the one that went and the one that came.
    assert!(!rows.iter().any(|r| r.starts_with("demands,")), "{changes}");
    assert!(
        rows.contains(&"demand,azure,,troop-ceiling,az-troops-low,,gone"),
        "{changes}"
    );
    assert!(
        rows.contains(&"demand,azure,,troop-ceiling,,az-troops-medium,appeared"),
        "{changes}"
    );
    assert_eq!(rows.len(), 6, "{changes}");

    let align = fixture(&["align", "--format", "csv"]);
    assert_eq!(
        align,
        "date,party_a,party_b,pairs,overlap,alignment\r\n\
         2023-01-01,azure,crimson,4,2,0.5\r\n\
         2023-01-01,azure,verdant,3,2,0.667\r\n\
         2023-01-01,crimson,verdant,2,1,0.5\r\n"
    );
}

#[test]
fn demand_filters() {
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["demands"];
        all.extend(args);
        all.extend(["--format", "csv"]);
        fixture(&all)
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(ids(&["--priority", "red-line"]), ["az-old-line", "cr-new-line"]);
    assert_eq!(ids(&["--issue", "river-access", "crimson"]), ["cr-shared-river"]);
    assert_eq!(ids(&["--match", "(?i)JOINT"]), ["cr-shared-river"]);
    assert_eq!(ids(&["--match", "^vd-"]), ["vd-commission", "vd-river-open"]);
    assert_eq!(
        ids(&["azure"]),
        ["az-open-river", "az-old-line", "az-troops-medium", "az-no-tolls"]
    );
}

/// A package that defers the status of Donetsk crosses Ukraine's red line, and cites as
/// its precedent Ukraine's Istanbul proposal of March 2022, which deferred it.
#[test]
fn settle_cites_the_istanbul_precedent_for_a_deferred_donetsk() {
    let json: serde_json::Value = serde_json::from_str(&shipped(&[
        "settle",
        "--parties",
        "russia,ukraine",
        "--fix",
        "donetsk-status=deferred",
        "--top",
        "1",
        "--format",
        "json",
    ]))
    .expect("JSON");
    let package = &json[0];
    assert_eq!(package["outcomes"]["donetsk-status"], "deferred");
    let crossed = package["crossed"].as_array().expect("crossed");
    let ukraine = crossed
        .iter()
        .find(|c| c["demand"] == "ua-donetsk-no-recognition")
        .expect("Ukraine's red line on Donetsk is crossed");
    assert_eq!(ukraine["precedents"], serde_json::json!(["ua-donetsk-deferred-2022"]));
    assert_eq!(ukraine["outcome"], "deferred");
}

#[test]
fn settle_refuses_a_bad_fix_and_a_bad_plan_name() {
    let output = positions()
        .args(["settle", "--fix", "crimea-status=defered"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean `deferred`?"));
    let output = positions()
        .args(["settle", "--fix", "crimea-status"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "a --fix without = is a usage error");
    let output = positions().args(["settle", "--top", "0"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("Best Package.yaml");
    let output = positions()
        .args(["settle", "--emit-plan"])
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(!bad.exists(), "nothing written");
    assert!(output.stdout.is_empty(), "the argument is checked before any output");
}

/// The search is exact: past its time limit it fails with a hint, it never guesses.
#[test]
fn settle_that_cannot_finish_in_time_says_so() {
    let dir = generated(&Params {
        demands: 2000,
        parties: 10,
        per_issue: 10,
        relations_per_100: 0.0,
        ..Params::default()
    });
    let output = positions()
        .args([
            "--corpus",
            dir.path().to_str().expect("utf-8 path"),
            "--as-of",
            "2026-01-01",
        ])
        .args(["settle", "--time-limit", "1"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did not finish within 1 s"), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// When no package honours the asserted clashes, the clashes that no outcome can honour
/// (neither demand is violated by any outcome on its issue) are named.
#[test]
fn settle_names_the_clashes_no_outcome_can_honour() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = |who: &str| {
        format!(
            "    sources:\n      - title: {who} note\n        by: {who} ministry\n        date: 2020-01-10\n        url: https://example.org/{who}\n"
        )
    };
    std::fs::create_dir(dir.path().join("parties")).expect("parties dir");
    std::fs::write(
        dir.path().join("issues.yaml"),
        "issues:\n  - id: port\n    title: Port\n    category: economy\n    options:\n      - id: open\n        label: Open\n      - id: shut\n        label: Shut\n  - id: wall\n    title: Wall\n    category: military\n    options:\n      - id: built\n        label: Built\n      - id: razed\n        label: Razed\n",
    )
    .expect("issues");
    for (party, demands) in [
        (
            "north",
            // n-any accepts every outcome on its issue; n-open can be violated.
            [
                ("n-any", "port", "open", "[open, shut]"),
                ("n-built", "wall", "built", "[built]"),
            ],
        ),
        (
            "south",
            [
                ("s-any", "wall", "razed", "[built, razed]"),
                ("s-shut", "port", "shut", "[shut]"),
            ],
        ),
    ] {
        let mut text = format!("party:\n  id: {party}\n  name: {party}\n  kind: state\ndemands:\n");
        for (id, issue, wants, accepts) in demands {
            text.push_str(&format!(
                "  - id: {id}\n    issue: {issue}\n    title: {id}\n    wants: [{wants}]\n    accepts: {accepts}\n    priority: high\n    stated: 2020-01-10\n{}",
                source(party)
            ));
        }
        std::fs::write(dir.path().join(format!("parties/{party}.yaml")), text).expect("party");
    }
    std::fs::write(
        dir.path().join("relations.yaml"),
        "relations:\n  - between: [n-any, s-any]\n    kind: conflict\n    rationale: Asserted.\n  - between: [n-built, s-shut]\n    kind: irreconcilable\n    rationale: Asserted.\n",
    )
    .expect("relations");
    let corpus = dir.path().to_str().expect("utf-8 path");
    let output = positions()
        .args(["--corpus", corpus, "--as-of", "2021-01-01", "settle"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("No package honours every asserted clash"), "{stdout}");
    assert!(stdout.contains("1 clash that no outcome can honour"), "{stdout}");
    let row = stdout
        .lines()
        .find(|line| line.contains("n-any"))
        .unwrap_or_else(|| panic!("no row for n-any:\n{stdout}"));
    for cell in ["conflict", "north", "port", "s-any", "south", "wall"] {
        assert!(row.contains(cell), "{cell} missing from {row:?}");
    }
    // The clash that some package can honour (violate n-built or s-shut) is not listed.
    assert!(!stdout.contains("n-built"), "{stdout}");
    let json = positions()
        .args([
            "--corpus",
            corpus,
            "--as-of",
            "2021-01-01",
            "--format",
            "json",
            "settle",
        ])
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&json.stdout).trim(), "[]");
}

/// The cache of validated corpora: a hit prints the same bytes; a change that keeps a
/// file's size and mtime is seen; a damaged entry is ignored and replaced; a cache that
/// cannot be written changes nothing; `check` reads the YAML every time.
#[test]
fn the_cache_is_keyed_by_content_and_never_serves_stale_answers() {
    let corpus = tempfile::tempdir().expect("temp dir");
    for (relative, text) in positions::generate::generate(&Params {
        demands: 300,
        parties: 5,
        per_issue: 10,
        ..Params::default()
    }) {
        let path = corpus.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
        std::fs::write(path, text).expect("write");
    }
    let cache = tempfile::tempdir().expect("temp dir");
    let dir = corpus.path().to_str().expect("utf-8 path").to_string();
    let run = |cache_dir: &std::path::Path, args: &[&str]| {
        let output = positions()
            .env("POSITIONS_CACHE_DIR", cache_dir)
            .args(["--corpus", &dir, "--as-of", "2026-01-01"])
            .args(args)
            .output()
            .expect("runs");
        (output.status.code(), output.stdout, output.stderr)
    };
    let entries = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "corpus"))
                    .collect()
            })
            .unwrap_or_default()
    };
    let pairs = ["pairs", "--format", "csv"];
    let uncached = positions()
        .args(["--no-cache", "--corpus", &dir, "--as-of", "2026-01-01"])
        .args(pairs)
        .output()
        .expect("runs");
    let first = run(cache.path(), &pairs);
    assert_eq!(entries(cache.path()).len(), 1, "the first run writes an entry");
    let second = run(cache.path(), &pairs);
    assert_eq!(first.1, uncached.stdout, "a miss prints what no cache prints");
    assert_eq!(second, first, "a hit prints the same bytes");

    // One byte of one party file changed, its size and modification time kept.
    let party = corpus.path().join("parties/party-0.yaml");
    let meta = std::fs::metadata(&party).expect("meta");
    let text = std::fs::read_to_string(&party).expect("read");
    let (first_demand, changed) = {
        let at = text.find("  - id: d").expect("a demand");
        let id_end = at + text[at..].find('\n').expect("a line");
        let id = text[at + 8..id_end].to_string();
        // d12 → e12 keeps the length; the issue's pairs then name e12.
        (
            id.clone(),
            text.replacen(&format!("id: {id}\n"), &format!("id: e{}\n", &id[1..]), 1),
        )
    };
    assert_eq!(changed.len(), text.len());
    std::fs::write(&party, &changed).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&party)
        .and_then(|f| f.set_modified(meta.modified().expect("mtime")))
        .expect("keep mtime");
    assert_eq!(std::fs::metadata(&party).expect("meta").len(), meta.len());
    let after = run(cache.path(), &pairs);
    let csv = String::from_utf8_lossy(&after.1);
    let renamed = format!("e{}", &first_demand[1..]);
    assert!(
        csv.contains(&format!(",{renamed},")) && !csv.contains(&format!(",{first_demand},")),
        "the changed file was read again"
    );

    // A damaged entry is ignored (same answer) and replaced by a whole one.
    for entry in entries(cache.path()) {
        let bytes = std::fs::read(&entry).expect("entry");
        std::fs::write(&entry, &bytes[..bytes.len() / 2]).expect("truncate");
    }
    assert_eq!(run(cache.path(), &pairs), after);
    let again = run(cache.path(), &pairs);
    assert_eq!(again, after);
    assert!(
        entries(cache.path())
            .iter()
            .all(|e| std::fs::metadata(e).is_ok_and(|m| m.len() > 1000)),
        "the damaged entry was replaced"
    );

    // A cache directory that cannot be made (a file is in the way) changes nothing.
    let blocked = cache.path().join("blocked");
    std::fs::write(&blocked, "not a directory").expect("write");
    assert_eq!(run(&blocked.join("cache"), &pairs), after);

    // check reads the YAML: a file broken after its corpus was cached is reported at once.
    let relations = corpus.path().join("relations.yaml");
    let (code, _, _) = run(cache.path(), &["check"]);
    assert_eq!(code, Some(0));
    std::fs::write(&relations, "relations: [\n").expect("write");
    let (code, stdout, stderr) = run(cache.path(), &["check"]);
    assert_eq!(code, Some(1), "a broken file is reported, not served from the cache");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    assert!(report.contains("relations.yaml"), "{report}");
    let (code, _, _) = run(cache.path(), &pairs);
    assert_eq!(code, Some(1), "nor does any other command use the stale entry");
    // The entries begun for the broken corpus (its demands are written while the rest is
    // checked) were removed, and every run left whole entries alone.
    let names: Vec<String> = std::fs::read_dir(cache.path())
        .expect("the cache")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n.ends_with(".corpus") || n == "blocked"),
        "{names:?}"
    );
}

/// What moved, on the built-in corpus: a withdrawn demand names its end and successor,
/// and `history` shows what each demand accepts beside what it wants.
#[test]
fn withdrawn_demands_and_their_successors() {
    let run = |args: &[&str]| {
        let out = crate::support::command().args(args).output().expect("run positions");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let show = run(&["--as-of", "2026-02-20", "show", "ua-no-force-caps"]);
    assert!(
        show.contains("withdrawn on 2025-12-11, replaced by ua-army-800000"),
        "{show}"
    );
    let json: serde_json::Value = serde_json::from_str(&run(&[
        "--as-of",
        "2026-02-20",
        "show",
        "ua-no-force-caps",
        "--format",
        "json",
    ]))
    .expect("JSON");
    assert_eq!(json["replaced_by"], "ua-army-800000");
    assert_eq!(json["status"], "withdrawn");

    // Ukraine's shift on Crimea in November 2024 is in what it accepts, not what it wants.
    let history = run(&["history", "ukraine", "--issue", "crimea-status", "--format", "csv"]);
    let mut lines = history.lines();
    assert_eq!(
        lines.next(),
        Some("date,party,event,demand,issue,priority,wants,accepts,replaces,replaced_by,source,url")
    );
    let row = history
        .lines()
        .find(|l| l.contains(",stated,ua-crimea-no-legal-recognition,crimea-status,"))
        .unwrap_or_else(|| panic!("{history}"));
    let fields: Vec<&str> = row.split(',').take(8).collect();
    assert_eq!(
        fields[6..],
        ["returned-to-ukraine", "de-facto-russian;deferred;returned-to-ukraine"],
        "{row}"
    );
}

/// `pairs --format csv` encodes the rows of each pair of parties on a thread of its own
/// and writes the parts in order; `--format json` writes them one by one on one thread.
/// Both list the same rows in the same order, whatever the filters, on a corpus of many
/// pairs of parties with scales, withdrawn demands and asserted relations.
#[test]
fn pairs_encoded_on_every_core_are_the_rows_written_one_by_one() {
    let corpus = generated(&Params {
        demands: 600,
        parties: 7,
        per_issue: 9,
        ..Params::default()
    });
    let path = corpus.path().to_str().expect("utf-8 path");
    for filter in [
        &[][..],
        &["--relation", "conflict"],
        &["--parties", "party-3"],
        &["--issue", "issue-4"],
    ] {
        let args = |format: &'static str| {
            let mut args = vec!["--corpus", path, "--as-of", "2026-01-01", "pairs", "--format", format];
            args.extend_from_slice(filter);
            args
        };
        let csv_text = run(&args("csv"));
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header: Vec<String> = reader.headers().expect("a header").iter().map(String::from).collect();
        let from_csv: Vec<Vec<String>> = reader
            .records()
            .map(|record| record.expect("a record").iter().map(String::from).collect())
            .collect();
        let json: serde_json::Value = serde_json::from_str(&run(&args("json"))).expect("JSON");
        let from_json: Vec<Vec<String>> = json
            .as_array()
            .expect("an array")
            .iter()
            .map(|row| {
                header
                    .iter()
                    .map(|column| match &row[column] {
                        serde_json::Value::Null => String::new(),
                        serde_json::Value::String(text) => text.clone(),
                        serde_json::Value::Array(items) => items
                            .iter()
                            .map(|item| item.as_str().expect("an outcome").to_string())
                            .collect::<Vec<_>>()
                            .join(";"),
                        other => panic!("{column}: {other}"),
                    })
                    .collect()
            })
            .collect();
        assert!(from_csv.len() > 10, "{filter:?}: only {} rows", from_csv.len());
        assert_eq!(from_csv, from_json, "{filter:?}");
        let pairs_of_parties: std::collections::BTreeSet<(&str, &str)> =
            from_csv.iter().map(|row| (row[0].as_str(), row[3].as_str())).collect();
        if filter.is_empty() {
            assert_eq!(pairs_of_parties.len(), 21, "every pair of the 7 parties has rows");
        }
    }
}
