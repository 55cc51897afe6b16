//! Hardening, round two: inputs that cost quadratic time or memory, text from outside
//! the corpus, files damaged or lost silently, and messages that leak the parser's
//! internals. Each case runs the real binary under the limits of `hostile` (1 GiB of
//! address space, 5 s), and each was shown to fail without the protection it tests.

use std::fmt::Write as _;
use std::fs;

use crate::hostile::{Outcome, PARTY, TIME_LIMIT, clip, run};

/// The snapshot corpus without its relations (which name demands of `azure` that the
/// cases here replace).
fn corpus() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, root) = crate::hostile::corpus();
    fs::remove_file(root.join("relations.yaml")).expect("remove relations");
    (dir, root)
}

/// A party file for `azure` with `count` demands on `issue`, each made by `wants(i)`.
fn party_with(count: usize, issue: &str, wants: impl Fn(usize) -> String) -> String {
    let mut s = String::from("party:\n  id: azure\n  name: Azure\n  kind: state\ndemands:\n");
    for i in 0..count {
        let _ = write!(
            s,
            "  - id: az-{i}\n    issue: {issue}\n    title: t\n    wants: {}\n    priority: low\n    \
             stated: 2020-01-10\n    sources:\n      - {{title: t, by: b, date: 2020-01-10, url: https://x.org}}\n",
            wants(i)
        );
    }
    s
}

fn describe(outcome: &Outcome) -> String {
    format!(
        "exit {:?} after {:?}\nstderr: {}\nstdout: {}",
        outcome.code,
        outcome.elapsed,
        clip(&outcome.stderr),
        clip(&outcome.stdout)
    )
}

/// Ends cleanly within the time limit with `code`.
fn assert_ends(outcome: &Outcome, code: i32) {
    let what = describe(outcome);
    assert!(outcome.elapsed < TIME_LIMIT, "too slow: {what}");
    assert_eq!(outcome.code, Some(code), "{what}");
    assert!(!outcome.stderr.contains("panicked"), "{what}");
}

/// 3,000 demands of one party on one issue, alternately asking for two outcomes that
/// exclude each other: 2.25 million excluding pairs. The warning is one finding about
/// their intersection, not a list of pairs (which took 800 MB and aborted at 9,000).
#[test]
fn self_exclusion_is_not_quadratic() {
    let (_dir, corpus) = corpus();
    let text = party_with(3000, "river-access", |i| {
        if i % 2 == 0 { "[open]".into() } else { "[closed]".into() }
    });
    fs::write(corpus.join(PARTY), text).expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 0);
    let warnings = outcome.stdout.matches("exclude each other").count();
    assert_eq!(warnings, 1, "{}", describe(&outcome));
    assert!(
        outcome
            .stdout
            .contains("`az-0` and `az-1` of party `azure` exclude each other")
    );
}

/// Three demands that exclude each other only together ({open, shared}, {shared,
/// closed}, {open, closed}) are found too, and the later periods of exclusion are capped.
#[test]
fn self_exclusion_without_a_pair_is_found() {
    let (_dir, corpus) = corpus();
    let sets = ["[open, shared]", "[shared, closed]", "[open, closed]"];
    let text = party_with(3, "river-access", |i| sets[i].to_string());
    fs::write(corpus.join(PARTY), text).expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 0);
    assert!(
        outcome
            .stdout
            .contains("`az-0`, `az-1` and `az-2` of party `azure` exclude each other while they are active"),
        "{}",
        describe(&outcome)
    );
}

/// An issue of 16,000 options and a party with 4,500 unknown options: each hint names
/// the closest option or the first few, never all 16,000 (72 million ids printed).
#[test]
fn unknown_option_hints_are_capped() {
    let (_dir, corpus) = corpus();
    let mut issues = fs::read_to_string(corpus.join("issues.yaml")).expect("read");
    issues.push_str("  - id: many\n    title: Many\n    category: other\n    options:\n");
    for i in 0..16_000 {
        let _ = writeln!(issues, "      - {{id: option-{i}, label: l}}");
    }
    fs::write(corpus.join("issues.yaml"), issues).expect("write");
    let bad: Vec<String> = (0..4_500).map(|i| format!("unknown-thing-{i}")).collect();
    let block: String = bad.iter().map(|b| format!("\n      - {b}")).collect();
    let text = party_with(1, "many", |_| block.clone());
    fs::write(corpus.join(PARTY), text).expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 1);
    assert_eq!(outcome.stdout.matches("unknown option `unknown-thing-").count(), 4_500);
    assert!(outcome.stdout.contains("option-0, option-1,"), "{}", describe(&outcome));
    assert!(outcome.stdout.contains("and 15988 more"), "{}", describe(&outcome));
    assert!(outcome.stdout.len() < 4_500 * 1_000, "{} bytes", outcome.stdout.len());
}

/// "Did you mean" is not computed for a name far longer than any id: a 60,000-character
/// demand id against 3,000 demands was 180 million steps of edit distance.
#[test]
fn no_suggestion_for_a_far_longer_name() {
    let (_dir, corpus) = corpus();
    let sets = ["[open]", "[shared]"];
    fs::write(
        corpus.join(PARTY),
        party_with(3000, "river-access", |i| sets[i % 2].into()),
    )
    .expect("write");
    let name = "az-0".repeat(15_000);
    let outcome = run(&corpus, &["show", &name]);
    assert_ends(&outcome, 1);
    assert!(outcome.stderr.contains("unknown demand"), "{}", describe(&outcome));
    assert!(!outcome.stderr.contains("did you mean"), "{}", describe(&outcome));
    let outcome = run(&corpus, &["show", "az-00"]);
    assert_ends(&outcome, 1);
    assert!(
        outcome.stderr.contains("did you mean `az-0`?"),
        "{}",
        describe(&outcome)
    );
}

/// A list of 60,000 one-letter tags (the first of millions, which cost some 70 bytes
/// each to parse) is refused at its 10,001st item, naming the file and the limit.
#[test]
fn long_lists_are_refused_at_their_limit() {
    let (_dir, corpus) = corpus();
    let line = vec!["a"; 1_000].join(",") + ",\n";
    for (field, list) in [
        ("tags", format!("[\n{}a]", line.repeat(60))),
        ("wants", format!("[\n{}a]", line.repeat(60))),
        ("aliases", format!("[\n{}a]", line.repeat(60))),
    ] {
        let text = if field == "aliases" {
            format!("party:\n  id: azure\n  name: Azure\n  kind: state\n  aliases: {list}\ndemands: []\n")
        } else {
            party_with(1, "river-access", |_| {
                if field == "tags" {
                    format!("[open]\n    tags: {list}")
                } else {
                    list.clone()
                }
            })
        };
        fs::write(corpus.join(PARTY), text).expect("write");
        crate::hostile::assert_clean_error(
            &corpus,
            PARTY,
            "the list has more than 10000 items, more than a corpus list may hold",
        );
    }
}

/// Demands whose titles are one unbroken word of 60,000 characters, listed on a terminal
/// (through `script`, so that the table wraps to its width): each cell shows its first
/// 1,000 characters and how many more there are, quickly.
#[test]
fn table_cells_are_capped_on_a_terminal() {
    let (_dir, corpus) = corpus();
    let title = "w".repeat(60_000);
    let text = party_with(10, "river-access", |_| "[open]".into()).replace("title: t\n", &format!("title: {title}\n"));
    fs::write(corpus.join(PARTY), text).expect("write");
    let start = std::time::Instant::now();
    let output = std::process::Command::new("script")
        .args([
            "-qec",
            &format!(
                "stty cols 120 rows 40; {} --corpus {} --as-of 2023-01-01 demands azure",
                crate::support::BIN,
                corpus.display()
            ),
            "/dev/null",
        ])
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .output()
        .expect("script(1) runs");
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(elapsed < TIME_LIMIT, "too slow: {elapsed:?}");
    assert_eq!(stdout.matches("59000").count(), 10, "{}", clip(&stdout));
    assert!(stdout.matches('w').count() < 10 * 1_100, "{}", clip(&stdout));
}

/// A breach of the parser's budget is told in the user's terms: 1,200 titles of 60,000
/// characters (each under the 64 KiB limit of a value) pass the 64 MiB of text a file may
/// hold, which the parser reported as "budget breached: ScalarBytes { … }".
#[test]
fn budget_breaches_are_told_in_the_users_terms() {
    let (_dir, corpus) = corpus();
    let title = "w".repeat(60_000);
    let text = party_with(1_200, "tolls", |_| "[none]".into()).replace("title: t\n", &format!("title: {title}\n"));
    fs::write(corpus.join(PARTY), text).expect("write");
    crate::hostile::assert_clean_error(
        &corpus,
        PARTY,
        "the texts of the file add up to more than 67108864 bytes, more than a corpus file may hold",
    );
    let outcome = run(&corpus, &["check"]);
    assert!(!outcome.stdout.contains("budget breached"), "{}", describe(&outcome));
    assert!(!outcome.stdout.contains("ScalarBytes"), "{}", describe(&outcome));
}

/// The parser's advice to programmers never reaches the user: a `!!binary` title that is
/// not UTF-8 says so, without "set ignore_binary_tag_for_string in Options".
#[test]
fn parser_internals_are_not_shown() {
    let (_dir, corpus) = corpus();
    let text = party_with(1, "river-access", |_| "[open]".into()).replace("title: t\n", "title: !!binary //79\n");
    fs::write(corpus.join(PARTY), text).expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 1);
    assert!(
        outcome.stdout.contains("!!binary scalar is not valid UTF-8"),
        "{}",
        describe(&outcome)
    );
    for internal in ["Options", "ignore_binary", "Option<", "Cow<"] {
        assert!(!outcome.stdout.contains(internal), "{internal}: {}", describe(&outcome));
    }
}

/// `matrix --format csv` over 1,000 parties (half a million pairs of parties) is streamed
/// within 300 MB of address space; it was built in memory first (1.1 GB at 2,000). The
/// grid for people is refused past its limit instead of drawn.
#[test]
fn party_matrix_is_streamed() {
    let (_dir, corpus) = corpus();
    for file in ["parties/azure.yaml", "parties/crimson.yaml", "parties/verdant.yaml"] {
        fs::remove_file(corpus.join(file)).expect("remove");
    }
    fs::remove_dir_all(corpus.join("plans")).expect("remove plans");
    let options = ["open", "shared", "closed"];
    for p in 0..1_000 {
        let text = party_with(1, "river-access", |_| format!("[{}]", options[p % 3]))
            .replace("id: azure", &format!("id: p{p:04}"))
            .replace("id: az-0", &format!("id: d{p:04}"));
        fs::write(corpus.join(format!("parties/p{p:04}.yaml")), text).expect("write");
    }
    let outcome = crate::hostile::run_within(&corpus, &["matrix", "--format", "csv"], 300 * 1024);
    assert_ends(&outcome, 0);
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 1_000 * 999 / 2);
    assert_eq!(lines[0], "party_a,party_b,overlap,conflict,irreconcilable");
    assert_eq!(lines[1], "p0000,p0001,0,1,0");
    assert_eq!(lines[3], "p0000,p0003,1,0,0");
    let outcome = run(&corpus, &["matrix"]);
    assert_ends(&outcome, 1);
    assert!(
        outcome
            .stderr
            .contains("a grid of 1000 × 1000 parties is too large to read")
    );
    assert!(outcome.stderr.contains("at most 60 parties"), "{}", describe(&outcome));
}

/// A party file that links outside the corpus (`-> ~/.netrc`, `-> /proc/self/environ`)
/// is refused, and nothing of its target is shown.
#[test]
fn links_outside_the_corpus_are_refused() {
    let (dir, corpus) = corpus();
    let secret = dir.path().join("netrc");
    fs::write(&secret, "machine example.org login me password hunter2\n").expect("write");
    std::os::unix::fs::symlink(&secret, corpus.join("parties/env.yaml")).expect("symlink");
    crate::hostile::assert_clean_error(&corpus, "parties/env.yaml", "links outside the corpus");
    for args in [&["check"][..], &["pairs"]] {
        let outcome = run(&corpus, args);
        assert!(!outcome.stdout.contains("hunter2") && !outcome.stderr.contains("hunter2"));
    }
    // A link inside the corpus is followed.
    fs::remove_file(corpus.join("parties/env.yaml")).expect("remove");
    fs::rename(corpus.join(PARTY), corpus.join("azure.txt")).expect("move");
    std::os::unix::fs::symlink(corpus.join("azure.txt"), corpus.join(PARTY)).expect("symlink");
    assert_ends(&run(&corpus, &["check"]), 0);
}

/// Files the loader does not read never vanish silently: other spellings of the
/// extensions and of the top-level files get a warning naming them, and a hidden file (a
/// dangling editor lock) is skipped with a warning, not a fatal error.
#[test]
fn unread_files_are_named() {
    let (_dir, corpus) = corpus();
    let party = fs::read_to_string(corpus.join(PARTY)).expect("read");
    for name in ["parties/azure2.YAML", "parties/azure3.Yaml", "parties/azure4.YML"] {
        fs::write(corpus.join(name), &party).expect("write");
    }
    fs::write(corpus.join("issues.yml"), "issues: []\n").expect("write");
    fs::write(corpus.join("relations.yml"), "relations: []\n").expect("write");
    std::os::unix::fs::symlink("/nonexistent/lock", corpus.join("parties/.#azure.yaml")).expect("symlink");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 0);
    for name in [
        "parties/azure2.YAML",
        "parties/azure3.Yaml",
        "parties/azure4.YML",
        "issues.yml",
        "relations.yml",
        "parties/.#azure.yaml",
    ] {
        let path = corpus.join(name).display().to_string();
        assert!(
            outcome.stdout.contains(&path),
            "{name} is not named: {}",
            describe(&outcome)
        );
    }
    assert!(
        outcome.stdout.contains("this hidden file is not read"),
        "{}",
        describe(&outcome)
    );
    assert!(
        outcome
            .stdout
            .contains("corpus files end in .yaml or .yml, in lowercase")
    );
    assert!(outcome.stdout.contains("the issues are read from issues.yaml"));
}

/// Text that acts on its reader is neutralised in every output: OSC, BEL and C1 CSI raw
/// in CSV and JSON, an entity Graphviz would decode, a formula after a `;` separator,
/// and invisible characters; an id holding one is reported with it made visible.
#[test]
fn nothing_acts_on_the_reader() {
    let (_dir, corpus) = corpus();
    let title = "\"Plain;=1+1 \\e]0;owned\\a \\u009b2J &#8238; zero\\u200bwidth\\u2028\"";
    let text = party_with(1, "river-access", |_| "[open]".into())
        .replace("title: t\n", &format!("title: {title}\n"))
        .replace("name: Azure\n", &format!("name: {title}\n"));
    fs::write(corpus.join(PARTY), &text).expect("write");
    let raw = |s: &str| {
        s.chars()
            .any(|c| matches!(c, '\u{1b}' | '\u{7}' | '\u{9b}' | '\u{200b}' | '\u{2028}'))
    };
    let outcome = run(&corpus, &["demands", "--format", "csv"]);
    assert_ends(&outcome, 0);
    assert!(!raw(&outcome.stdout), "{}", describe(&outcome));
    assert!(outcome.stdout.contains("Plain;'=1+1"), "{}", describe(&outcome));
    let outcome = run(&corpus, &["demands", "--format", "json"]);
    assert!(!raw(&outcome.stdout), "{}", describe(&outcome));
    assert!(
        outcome.stdout.contains("\\u001b]0;owned\\u0007 \\u009b2J"),
        "{}",
        describe(&outcome)
    );
    for format in ["table", "markdown"] {
        let outcome = run(&corpus, &["demands", "--format", format]);
        assert!(!raw(&outcome.stdout), "{format}: {}", describe(&outcome));
        assert!(
            outcome.stdout.contains("u{200b}width"),
            "{format}: {}",
            describe(&outcome)
        );
    }
    let outcome = run(&corpus, &["graph", "--format", "dot"]);
    assert_ends(&outcome, 0);
    assert!(outcome.stdout.contains("&amp;#8238;"), "{}", describe(&outcome));
    assert!(!outcome.stdout.contains(" &#8238;"), "{}", describe(&outcome));
    fs::write(corpus.join(PARTY), text.replace("id: az-0", "id: \"alpha\\u200b-d\"")).expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 1);
    assert!(outcome.stdout.contains("`alpha\\u{200b}-d`"), "{}", describe(&outcome));
    assert!(!raw(&outcome.stdout), "{}", describe(&outcome));
}

/// `--output` through a symlink writes the file the link points to, and the link stays a
/// link: a temporary file was renamed over the link itself (as root, `-o /dev/stdout`
/// replaced the system's `/dev/stdout`). A private link to `/proc/self/fd/1` stands for
/// `/dev/stdout`, so that a regression cannot damage the machine's.
#[test]
fn output_never_replaces_a_symlink() {
    use std::os::unix::fs::symlink;
    let (dir, corpus) = corpus();
    let real = dir.path().join("real.json");
    fs::write(&real, "old").expect("write");
    let link = dir.path().join("link.json");
    symlink(&real, &link).expect("symlink");
    let out = link.to_str().expect("utf-8 path");
    let outcome = run(&corpus, &["--format", "json", "--output", out, "issues"]);
    assert_ends(&outcome, 0);
    assert!(
        fs::symlink_metadata(&link).expect("link").file_type().is_symlink(),
        "the link was replaced"
    );
    let written = fs::read_to_string(&real).expect("read");
    assert!(written.starts_with('['), "{written}");

    let stdout = dir.path().join("stdout");
    symlink("/proc/self/fd/1", &stdout).expect("symlink");
    let outcome = run(
        &corpus,
        &[
            "--format",
            "json",
            "--output",
            stdout.to_str().expect("utf-8"),
            "issues",
        ],
    );
    assert_ends(&outcome, 0);
    assert!(
        fs::symlink_metadata(&stdout).expect("link").file_type().is_symlink(),
        "the link was replaced"
    );
    assert_eq!(outcome.stdout, written, "{}", describe(&outcome));
}

/// `--output` refuses a file of the corpus being read (by its own name or through a
/// link) and a file that is neither regular nor a character device (a named pipe would
/// block the run); the corpus is left as it was.
#[test]
fn output_refuses_corpus_files_and_pipes() {
    let (dir, corpus) = corpus();
    let issues = corpus.join("issues.yaml");
    let before = fs::read(&issues).expect("read");
    let link = dir.path().join("alias.yaml");
    std::os::unix::fs::symlink(corpus.join(PARTY), &link).expect("symlink");
    let party = fs::read(corpus.join(PARTY)).expect("read");
    for target in [&issues, &link] {
        let outcome = run(&corpus, &["--output", target.to_str().expect("utf-8"), "issues"]);
        assert_ends(&outcome, 1);
        assert!(
            outcome.stderr.contains("is a file of the corpus"),
            "{}",
            describe(&outcome)
        );
    }
    assert_eq!(fs::read(&issues).expect("read"), before);
    assert_eq!(fs::read(corpus.join(PARTY)).expect("read"), party);

    let pipe = dir.path().join("pipe");
    if std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .is_ok_and(|s| s.success())
    {
        let outcome = run(&corpus, &["--output", pipe.to_str().expect("utf-8"), "issues"]);
        assert_ends(&outcome, 1);
        assert!(outcome.stderr.contains("not a regular file"), "{}", describe(&outcome));
        let kind = fs::symlink_metadata(&pipe).expect("pipe").file_type();
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind));
    }
}

/// Replacing a file keeps its permissions, and a file name of 255 bytes (the most a
/// name may have) still leaves room for the temporary file's.
#[test]
fn output_keeps_permissions_and_long_names() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, corpus) = corpus();
    let target = dir.path().join("out.csv");
    fs::write(&target, "old").expect("write");
    fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).expect("chmod");
    let outcome = run(
        &corpus,
        &["--format", "csv", "--output", target.to_str().expect("utf-8"), "issues"],
    );
    assert_ends(&outcome, 0);
    let mode = fs::metadata(&target).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert!(fs::read_to_string(&target).expect("read").starts_with("issue,"));

    let long = dir.path().join(format!("{}.csv", "n".repeat(251)));
    let outcome = run(
        &corpus,
        &["--format", "csv", "--output", long.to_str().expect("utf-8"), "issues"],
    );
    assert_ends(&outcome, 0);
    assert!(fs::read_to_string(&long).expect("read").starts_with("issue,"));
    let mut left: Vec<String> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(left.iter().all(|name| !name.ends_with(".tmp")), "{left:?}");
}

/// `man --dir`, `schema --dir` and `init` never write through a link already in the
/// directory: a page or schema whose name is a link (here to a file outside) is refused,
/// the link and its target left as they were.
#[test]
fn files_for_a_directory_never_follow_links() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outside = dir.path().join("outside.txt");
    fs::write(&outside, "keep").expect("write");
    for (args, name) in [
        (&["man", "--dir"][..], "positions.1"),
        (&["schema", "--dir"], "party.json"),
    ] {
        let target = dir.path().join("out");
        fs::create_dir_all(&target).expect("mkdir");
        let link = target.join(name);
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(&outside, &link).expect("symlink");
        let output = crate::support::command()
            .args(args)
            .arg(&target)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("is a symbolic link"), "{args:?}: {stderr}");
        assert!(fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
        assert_eq!(fs::read_to_string(&outside).expect("read"), "keep");
    }
}

/// Numbers where ids belong are never matched with an id: YAML reads `0x10` as 16, `1.0`
/// as 1 and `007` as 7, which matched the options `"16"` and `"1"` silently (and `007`
/// was reported as `7`). Every place an id is written says that ids are text, and quotes
/// the value as written.
#[test]
fn numbers_are_never_ids() {
    let (_dir, corpus) = corpus();
    let issues = fs::read_to_string(corpus.join("issues.yaml")).expect("read");
    let issues = issues.replacen(
        "    options:\n",
        "    options:\n      - {id: \"16\", label: Sixteen}\n      - {id: \"1\", label: One}\n      - {id: \"007\", label: Seven}\n",
        1,
    );
    fs::write(corpus.join("issues.yaml"), issues).expect("write");
    let plan = fs::read_to_string(corpus.join("plans/river-compact.yaml")).expect("read");
    fs::write(
        corpus.join("plans/river-compact.yaml"),
        plan.replacen("river-access: shared", "river-access: 1.0", 1),
    )
    .expect("write");
    for written in ["0x10", "1.0", "007"] {
        fs::write(
            corpus.join(PARTY),
            party_with(1, "river-access", |_| format!("[{written}]")),
        )
        .expect("write");
        let outcome = run(&corpus, &["check"]);
        assert_ends(&outcome, 1);
        let what = describe(&outcome);
        assert!(
            outcome
                .stdout
                .contains(&format!("`{written}` is a number, but an option id is text")),
            "{what}"
        );
        assert!(outcome.stdout.contains(&format!("`\"{written}\"`")), "{what}");
        assert!(outcome.stdout.contains("plans/river-compact.yaml:12"), "{what}");
    }
    // Quoted, they are the ids they spell.
    fs::write(
        corpus.join(PARTY),
        party_with(1, "river-access", |_| "[\"007\", \"16\"]".into()),
    )
    .expect("write");
    fs::write(
        corpus.join("plans/river-compact.yaml"),
        plan.replacen("river-access: shared", "river-access: \"1\"", 1),
    )
    .expect("write");
    assert_ends(&run(&corpus, &["check"]), 0);
    // A number as a demand's id, issue or alias is refused with the quoted form.
    fs::write(
        corpus.join(PARTY),
        party_with(1, "river-access", |_| "[\"16\"]".into()).replace("id: az-0", "id: 0x1"),
    )
    .expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 1);
    assert!(outcome.stdout.contains("write `\"0x1\"`"), "{}", describe(&outcome));
}

/// A hint never offers an invalid id: a party file `Azure.yaml` (its name no id) with
/// `id: azure` was told to "set `id: Azure`"; only the valid way is offered, and when
/// neither name is an id, a valid one for both.
#[test]
fn hints_never_suggest_an_invalid_id() {
    let (_dir, corpus) = corpus();
    fs::rename(corpus.join(PARTY), corpus.join("parties/Azure.yaml")).expect("rename");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 1);
    assert!(
        outcome.stdout.contains("hint: rename the file to azure.yaml\n"),
        "{}",
        describe(&outcome)
    );
    assert!(!outcome.stdout.contains("id: Azure"), "{}", describe(&outcome));
    let text = fs::read_to_string(corpus.join("parties/Azure.yaml")).expect("read");
    fs::write(
        corpus.join("parties/Azure.yaml"),
        text.replacen("id: azure", "id: Az_ure", 1),
    )
    .expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 1);
    assert!(
        outcome.stdout.contains("e.g. azure.yaml and `id: azure`"),
        "{}",
        describe(&outcome)
    );
    assert!(
        !outcome.stdout.contains("rename the file to Az_ure"),
        "{}",
        describe(&outcome)
    );
}

/// A file with CR-only line ends is refused as such, naming the line of the first one; a
/// long file of them was reported as "line 1 is 76,939 bytes long". CRLF still loads.
#[test]
fn carriage_return_line_ends_are_refused_as_such() {
    let (_dir, corpus) = corpus();
    let text = party_with(400, "river-access", |_| "[open]".into());
    assert!(text.len() > 64 * 1024);
    fs::write(corpus.join(PARTY), text.replace('\n', "\r")).expect("write");
    let outcome = run(&corpus, &["check"]);
    assert_ends(&outcome, 1);
    let what = describe(&outcome);
    assert!(
        outcome.stdout.contains("line 1 ends with a carriage return alone"),
        "{what}"
    );
    assert!(!outcome.stdout.contains("bytes long"), "{what}");
    fs::write(corpus.join(PARTY), text.replace('\n', "\r\n")).expect("write");
    assert_ends(&run(&corpus, &["check"]), 0);
}

/// A read that fails with EIO (a disk error) ends in a clean error naming the file. The
/// memory of another process read from its start fails so for everyone: it is
/// bind-mounted over a file of the corpus (root only; skipped elsewhere), since a link to
/// `/proc/self/mem` is now refused before it is read.
#[test]
fn read_error_eio() {
    use std::process::{Command, Stdio};
    let (_dir, corpus) = corpus();
    let file = corpus.join("parties/mem.yaml");
    fs::write(&file, "").expect("write");
    let mut sleeper = Command::new("sleep")
        .arg("60")
        .stdin(Stdio::null())
        .spawn()
        .expect("sleep runs");
    struct Cleanup<'a>(&'a std::path::Path, &'a mut std::process::Child, bool);
    impl Drop for Cleanup<'_> {
        fn drop(&mut self) {
            if self.2 {
                let _ = Command::new("umount").arg(self.0).status();
            }
            let _ = self.1.kill();
            let _ = self.1.wait();
        }
    }
    let mem = format!("/proc/{}/mem", sleeper.id());
    let mounted = Command::new("mount")
        .args(["--bind", &mem])
        .arg(&file)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let _cleanup = Cleanup(&file, &mut sleeper, mounted);
    if !mounted || fs::read(&file).is_ok() {
        eprintln!("note: cannot bind-mount a process's memory here (not root?); skipped");
        return;
    }
    crate::hostile::assert_clean_error(&corpus, "parties/mem.yaml", "Input/output error");
}
