//! Hostile corpora: files written to break the loader. Each case runs the real binary on
//! a copy of the snapshot corpus with one file made hostile, under a 1 GiB address-space
//! limit (`ulimit -v`), and asserts a clean end within `TIME_LIMIT`: exit 1, the file
//! named, no panic. The few inputs that are fine (a BOM, CRLF line ends) must load.
//!
//! Each protection was shown to be needed by switching it off in a scratch copy and
//! watching its case fail (`fuzz/verify-protections.py`; FUZZING.md has the figures):
//! * the alias replay limit (50,000 events) — `alias_bomb` takes 8 s; with no budget at
//!   all it is still expanding when killed at 20 s;
//! * the depth and flow-nesting limits — `deep_nesting` overflows the stack and aborts;
//! * the 64 KiB line limit — `huge_scalar_on_one_line` is parsed first (2–3 s), and
//!   without the cut excerpt its diagnostic reprints 50 MB (5.5 s);
//! * the 64 KiB value limit — `huge_scalar_over_many_lines` loads (exit 0);
//! * the regular-file check — `fifo` hangs; `endless_device` then stops only at the
//!   bounded read (512 MiB), and without that at the memory limit;
//! * `no_schema` — `number_where_text_belongs` loads (exit 0);
//! * strict numbers — `text_where_a_number_belongs` loads `max: "100000"` (exit 0).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A debug build parses a few MB a second; every case stays well below this.
pub(crate) const TIME_LIMIT: Duration = Duration::from_secs(5);
/// `ulimit -v`, in KiB: 1 GiB of address space.
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

const BASE: &str = "tests/fixtures/snapshot";

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A fresh copy of the snapshot corpus, valid as it is.
pub(crate) fn corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("corpus");
    copy_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(BASE).as_path(), &root);
    (dir, root)
}

pub(crate) struct Outcome {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) elapsed: Duration,
}

/// Run the binary under the memory limit; kill it at four times the time limit, so a
/// hang fails the test instead of stalling the suite.
pub(crate) fn run(corpus: &Path, args: &[&str]) -> Outcome {
    run_within(corpus, args, MEMORY_LIMIT_KIB)
}

/// `run` under another limit of address space, in KiB.
pub(crate) fn run_within(corpus: &Path, args: &[&str], memory_kib: u64) -> Outcome {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let (stdout_path, stderr_path) = (out_dir.path().join("stdout"), out_dir.path().join("stderr"));
    let start = Instant::now();
    let mut sh = Command::new("sh");
    let mut child = crate::support::scrub(&mut sh)
        .arg("-c")
        .arg(format!("ulimit -v {memory_kib} && exec \"$0\" \"$@\""))
        .arg(crate::support::BIN)
        .arg("--corpus")
        .arg(corpus)
        .args(["--as-of", "2023-01-01"])
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("the binary starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if start.elapsed() > TIME_LIMIT * 4 {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let read = |p: &Path| String::from_utf8_lossy(&fs::read(p).unwrap_or_default()).into_owned();
    Outcome {
        code: status.and_then(|s| s.code()),
        stdout: read(&stdout_path),
        stderr: read(&stderr_path),
        elapsed,
    }
}

/// `pairs` and `check` both end in a clean error that names `file` (a path relative to
/// the corpus) and says `message`.
pub(crate) fn assert_clean_error(corpus: &Path, file: &str, message: &str) {
    for (args, diagnostics_on) in [(&["pairs"][..], "stderr"), (&["check"][..], "stdout")] {
        let outcome = run(corpus, args);
        let what = format!(
            "positions {args:?} on a corpus with a hostile {file}: exit {:?} after {:?}\nstderr: {}\nstdout: {}",
            outcome.code,
            outcome.elapsed,
            clip(&outcome.stderr),
            clip(&outcome.stdout)
        );
        assert!(outcome.elapsed < TIME_LIMIT, "too slow: {what}");
        assert_eq!(outcome.code, Some(1), "{what}");
        assert!(!outcome.stderr.contains("panicked"), "{what}");
        let diagnostics = if diagnostics_on == "stderr" {
            &outcome.stderr
        } else {
            &outcome.stdout
        };
        let named = corpus.join(file).display().to_string();
        assert!(diagnostics.contains(&named), "{file} is not named: {what}");
        assert!(diagnostics.contains(message), "no `{message}`: {what}");
    }
}

/// The corpus loads: `pairs` exits 0 quickly, and its output is returned.
fn assert_loads(corpus: &Path) -> String {
    let outcome = run(corpus, &["pairs", "--format", "csv"]);
    assert!(outcome.elapsed < TIME_LIMIT, "too slow: {:?}", outcome.elapsed);
    assert_eq!(outcome.code, Some(0), "stderr: {}", clip(&outcome.stderr));
    outcome.stdout
}

pub(crate) fn clip(text: &str) -> String {
    match text.char_indices().nth(2000) {
        Some((at, _)) => format!("{}… ({} bytes)", &text[..at], text.len()),
        None => text.to_string(),
    }
}

pub(crate) const PARTY: &str = "parties/azure.yaml";

fn replace_in(corpus: &Path, file: &str, from: &str, to: &str) {
    let path = corpus.join(file);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// Billion laughs, shaped so that the typed loader accepts every expansion: a string
/// anchored `&s`, a list `&w` of 1,000 aliases to it used as `wants` and `tags`, and the
/// demand `&d` repeated by alias until the file is 150 KB. Fully expanded: ~6 GB.
#[test]
fn alias_bomb() {
    let (_dir, corpus) = corpus();
    let mut s = String::from("party:\n  id: azure\n  name: Alias Bomb\n  kind: other\ndemands:\n");
    s.push_str("  - &d\n    id: az-bomb\n    issue: river-access\n    title: &s \"");
    s.push_str(&"lol".repeat(33));
    s.push_str("\"\n    wants: &w [");
    s.push_str(&vec!["*s"; 1000].join(", "));
    s.push_str("]\n    tags: *w\n    priority: low\n    stated: 2022-01-01\n");
    s.push_str("    sources:\n      - {title: t, by: b, date: 2022-01-01}\n");
    while s.len() < 150_000 {
        s.push_str("  - *d\n");
    }
    fs::write(corpus.join(PARTY), s).expect("write");
    assert_clean_error(&corpus, PARTY, "alias replay limit exceeded");
}

/// 100,000 nested flow sequences, one bracket a line (so that the line limit does not
/// catch them first). Where a string belongs the typed loader stops at the first
/// bracket; a merge key (`<<:`) and the document itself are read structurally, so
/// there the parser's depth limits must stop them.
#[test]
fn deep_nesting() {
    let depth = 100_000;
    let nested = "      [\n".repeat(depth) + &"      ]\n".repeat(depth);
    let title = "    title: The river must stay open\n";
    for (from, to, message) in [
        (title, format!("    title:\n{nested}"), "expected string scalar"),
        (title, format!("    <<:\n{nested}{title}"), "more than 64 levels deep"),
        (
            title,
            format!("    ? {}{}\n    : x\n{title}", "[".repeat(1000), "]".repeat(1000)),
            "recursion limit",
        ),
    ] {
        let (_dir, corpus) = corpus();
        replace_in(&corpus, PARTY, from, &to);
        assert_clean_error(&corpus, PARTY, message);
    }
    let (_dir, corpus) = corpus();
    fs::write(corpus.join(PARTY), "[\n".repeat(depth) + &"]\n".repeat(depth)).expect("write");
    assert_clean_error(&corpus, PARTY, "recursion limit");
}

/// The same on one line of 200,000 brackets: refused by the line limit before parsing.
#[test]
fn deep_nesting_on_one_line() {
    let (_dir, corpus) = corpus();
    let depth = 100_000;
    let nested = "[".repeat(depth) + &"]".repeat(depth);
    replace_in(
        &corpus,
        PARTY,
        "title: The river must stay open",
        &format!("title: {nested}"),
    );
    assert_clean_error(&corpus, PARTY, "bytes long");
}

/// A 50 MB title is valid YAML but no title: the loader refuses values over 64 KiB (one
/// line this long is refused before parsing).
#[test]
fn huge_scalar_on_one_line() {
    let (_dir, corpus) = corpus();
    let title = format!("title: \"{}\"", "x".repeat(50_000_000));
    replace_in(&corpus, PARTY, "title: The river must stay open", &title);
    assert_clean_error(
        &corpus,
        PARTY,
        "line 9 is 50000013 bytes long, more than the 65536 a corpus line may hold",
    );
}

/// A 1 MB summary as a block scalar of short lines: parsed, then refused by size.
/// (1 MB, not 50: a debug build parses a few MB a second; 50 MB this way is refused the
/// same way, in about 8 s in debug and under 1 s in release.)
#[test]
fn huge_scalar_over_many_lines() {
    let (_dir, corpus) = corpus();
    let line = format!("      {}\n", "y".repeat(74));
    let block = format!("summary: |\n{}", line.repeat(1_000_000 / line.len()));
    replace_in(
        &corpus,
        PARTY,
        "wants: [open]\n",
        &format!("wants: [open]\n    {block}"),
    );
    assert_clean_error(&corpus, PARTY, "bytes long, more than the 65536 a value may hold");
}

#[test]
fn invalid_utf8() {
    let (_dir, corpus) = corpus();
    let mut bytes = fs::read(corpus.join(PARTY)).expect("read");
    let at = bytes.len() / 2;
    bytes.splice(at..at, [0xff, 0xfe, 0xc3]);
    fs::write(corpus.join(PARTY), bytes).expect("write");
    assert_clean_error(&corpus, PARTY, "not valid UTF-8");
}

/// A byte-order mark, as some Windows editors write, is not an error.
#[test]
fn utf8_bom_loads() {
    let (_dir, plain) = corpus();
    let expected = assert_loads(&plain);
    let (_dir, corpus) = corpus();
    for file in ["issues.yaml", PARTY, "relations.yaml"] {
        let text = fs::read_to_string(corpus.join(file)).expect("read");
        fs::write(corpus.join(file), format!("\u{feff}{text}")).expect("write");
    }
    assert_eq!(assert_loads(&corpus), expected);
}

/// CRLF line ends load, and give the same answer as LF.
#[test]
fn crlf_line_endings_load() {
    let (_dir, plain) = corpus();
    let expected = assert_loads(&plain);
    let (_dir, corpus) = corpus();
    for file in ["issues.yaml", PARTY, "parties/crimson.yaml", "relations.yaml"] {
        let text = fs::read_to_string(corpus.join(file)).expect("read");
        fs::write(corpus.join(file), text.replace('\n', "\r\n")).expect("write");
    }
    assert_eq!(assert_loads(&corpus), expected);
}

#[test]
fn empty_file() {
    let (_dir, corpus) = corpus();
    fs::write(corpus.join(PARTY), "").expect("write");
    assert_clean_error(&corpus, PARTY, "the file is empty");
}

#[test]
fn only_whitespace_and_comments() {
    let (_dir, corpus) = corpus();
    fs::write(corpus.join(PARTY), "# nothing here\n\n   \n").expect("write");
    assert_clean_error(&corpus, PARTY, "");
}

#[test]
fn a_directory_named_like_a_file() {
    let (_dir, corpus) = corpus();
    fs::create_dir(corpus.join("parties/ghost.yaml")).expect("mkdir");
    assert_clean_error(&corpus, "parties/ghost.yaml", "is a directory");
}

#[test]
fn issues_file_is_a_directory() {
    let (_dir, corpus) = corpus();
    fs::remove_file(corpus.join("issues.yaml")).expect("rm");
    fs::create_dir(corpus.join("issues.yaml")).expect("mkdir");
    assert_clean_error(&corpus, "issues.yaml", "is a directory");
}

/// `chmod 000`. As root (CI runs as root) permissions do not stop a read: the file then
/// loads, and the test says so rather than pretend. `unreadable_file_as_root` covers
/// the read error for everyone.
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, corpus) = corpus();
    let path = corpus.join(PARTY);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&path).is_ok() {
        eprintln!("note: running as root, chmod 000 does not block reading; checking it loads");
        assert_loads(&corpus);
    } else {
        assert_clean_error(&corpus, PARTY, "cannot read the file");
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod back");
}

/// A file that cannot be read even by root: a symlink to /proc/self/mem, whose first
/// page is never mapped, so reading it would fail with EIO; it is refused before that, as
/// a link outside the corpus.
#[test]
fn unreadable_file_as_root() {
    let (_dir, corpus) = corpus();
    if fs::read("/proc/self/mem").is_ok() {
        eprintln!("note: /proc/self/mem is readable here; nothing to test");
        return;
    }
    std::os::unix::fs::symlink("/proc/self/mem", corpus.join("parties/mem.yaml")).expect("symlink");
    assert_clean_error(&corpus, "parties/mem.yaml", "links outside the corpus");
}

#[test]
fn symlink_loop() {
    let (_dir, corpus) = corpus();
    std::os::unix::fs::symlink("loop.yaml", corpus.join("parties/loop.yaml")).expect("symlink");
    assert_clean_error(&corpus, "parties/loop.yaml", "cannot read the file");
}

#[test]
fn corpus_directory_is_a_symlink_loop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::os::unix::fs::symlink(&corpus, &corpus).expect("symlink");
    let outcome = run(&corpus, &["pairs"]);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains(&corpus.display().to_string()),
        "{}",
        outcome.stderr
    );
    assert!(!outcome.stderr.contains("panicked"));
}

/// A named pipe would block the read forever: refused as not a regular file.
#[test]
fn fifo() {
    let (_dir, corpus) = corpus();
    let path = corpus.join("parties/pipe.yaml");
    let made = Command::new("mkfifo").arg(&path).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("note: mkfifo is not available; nothing to test");
        return;
    }
    assert_clean_error(&corpus, "parties/pipe.yaml", "not a regular file");
}

/// A symlink to a device that never ends: refused as a link outside the corpus; a device
/// node inside it (where one can be made) as not a regular file.
#[test]
fn endless_device() {
    let (_dir, corpus) = corpus();
    std::os::unix::fs::symlink("/dev/zero", corpus.join("parties/zero.yaml")).expect("symlink");
    assert_clean_error(&corpus, "parties/zero.yaml", "links outside the corpus");
    let (_dir, corpus) = crate::hostile::corpus();
    let node = corpus.join("parties/zero.yaml");
    let made = Command::new("mknod").arg(&node).args(["c", "1", "5"]).status();
    if made.is_ok_and(|s| s.success()) {
        assert_clean_error(&corpus, "parties/zero.yaml", "not a regular file");
    }
}

#[test]
fn several_documents() {
    let (_dir, corpus) = corpus();
    let text = fs::read_to_string(corpus.join(PARTY)).expect("read");
    fs::write(corpus.join(PARTY), format!("{text}---\n{text}")).expect("write");
    assert_clean_error(&corpus, PARTY, "multiple YAML documents");
}

#[test]
fn tabs_for_indentation() {
    let (_dir, corpus) = corpus();
    replace_in(&corpus, PARTY, "\n  name:", "\n\tname:");
    assert_clean_error(&corpus, PARTY, "");
}

#[test]
fn duplicate_keys() {
    let (_dir, corpus) = corpus();
    replace_in(
        &corpus,
        PARTY,
        "  name: Republic of Azure\n",
        "  name: Republic of Azure\n  name: Azure\n",
    );
    assert_clean_error(&corpus, PARTY, "duplicate");
}

/// Ids are lowercase, so two ids that differ only in case cannot both be valid.
#[test]
fn ids_that_differ_only_in_case() {
    let (_dir, corpus) = corpus();
    replace_in(&corpus, PARTY, "id: az-no-tolls", "id: AZ-OPEN-RIVER");
    assert_clean_error(&corpus, PARTY, "invalid demand id `AZ-OPEN-RIVER`");
}

/// Aliases are compared lowercased: `VMO` on one party and `vmo` on another clash, and
/// so do an alias and a party id (`Crimson` on azure, reported at crimson's id).
#[test]
fn aliases_that_differ_only_in_case() {
    for (alias, file, message) in [
        ("VMO", PARTY, "is already a party id or alias"),
        ("Crimson", "parties/crimson.yaml", "duplicate party id `crimson`"),
    ] {
        let (_dir, corpus) = corpus();
        replace_in(&corpus, PARTY, "aliases: [az]", &format!("aliases: [az, {alias}]"));
        assert_clean_error(&corpus, file, message);
    }
}

/// `title: 123` is a number where text belongs: a type error, with a hint to quote it.
#[test]
fn number_where_text_belongs() {
    for (from, to, message) in [
        ("title: The river must stay open", "title: 123", "must be quoted"),
        ("name: Republic of Azure", "name: 1.5e3", "must be quoted"),
        ("title: The river must stay open", "title: true", "must be quoted"),
        ("title: The river must stay open", "title: ~", "null"),
        ("by: Azure delegation", "by: 0x1F", "must be quoted"),
        ("id: az-no-tolls", "id: 2024", "must be quoted"),
    ] {
        let (_dir, corpus) = corpus();
        replace_in(&corpus, PARTY, from, to);
        assert_clean_error(&corpus, PARTY, message);
    }
}

/// Quoted, the same text is fine.
#[test]
fn quoted_number_as_text_loads() {
    let (_dir, corpus) = corpus();
    replace_in(&corpus, PARTY, "title: The river must stay open", "title: \"123\"");
    assert_loads(&corpus);
}

/// Text where a number belongs, quoted digits included (as a quoted `"123"` is text where
/// text belongs).
#[test]
fn text_where_a_number_belongs() {
    let plan = "plans/river-compact.yaml";
    for (file, from, to, message) in [
        ("issues.yaml", "max: 100000", "max: lots", "expected a number"),
        ("issues.yaml", "max: 100000", "max: \"100000\"", "expected a number"),
        (
            PARTY,
            "wants: {max: 20000}",
            "wants: {max: twenty}",
            "expected a number",
        ),
        (
            PARTY,
            "wants: {max: 20000}",
            "wants: {max: \"20000\"}",
            "expected a number",
        ),
        (plan, "troop-ceiling: 45000", "troop-ceiling: many", "is not a number"),
        (
            plan,
            "troop-ceiling: 45000",
            "troop-ceiling: \"45000\"",
            "is not a number",
        ),
    ] {
        let (_dir, corpus) = corpus();
        replace_in(&corpus, file, from, to);
        assert_clean_error(&corpus, file, message);
    }
}

/// A list of numbers where a range belongs says so, not "quote it".
#[test]
fn list_of_numbers_on_a_scale() {
    let (_dir, corpus) = corpus();
    replace_in(&corpus, PARTY, "wants: {max: 20000}", "wants: [20000]");
    assert_clean_error(&corpus, PARTY, "is a list, but issue `troop-ceiling` is a scale");
}

#[test]
fn impossible_dates() {
    for date in [
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "0000-01-01",
        "2024-1-1",
    ] {
        let (_dir, corpus) = corpus();
        replace_in(&corpus, PARTY, "stated: 2020-01-10", &format!("stated: {date}"));
        assert_clean_error(&corpus, PARTY, &format!("invalid date in `stated` `{date}`"));
    }
}

/// Infinity and NaN where a number belongs.
#[test]
fn non_finite_numbers() {
    for (file, from, to) in [
        ("issues.yaml", "max: 100000", "max: .inf"),
        (PARTY, "wants: {max: 20000}", "wants: {max: .nan}"),
        (
            "plans/river-compact.yaml",
            "troop-ceiling: 45000",
            "troop-ceiling: -.inf",
        ),
    ] {
        let (_dir, corpus) = corpus();
        replace_in(&corpus, file, from, to);
        assert_clean_error(&corpus, file, "");
    }
}
