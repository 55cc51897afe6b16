//! The man page's own sections, and completion scripts that offer the built-in corpus's ids.

use std::process::Command;

use crate::support::positions;

fn run(args: &[&str]) -> String {
    crate::support::stdout_of(args)
}

#[test]
fn the_man_page_has_rules_files_environment_and_exit_codes() {
    let page = run(&["man"]);
    let sections: Vec<&str> = page.lines().filter(|l| l.starts_with(".SH ")).collect();
    for section in [
        ".SH \"COMPARISON RULES\"",
        ".SH \"CORPUS FILES\"",
        ".SH ENVIRONMENT",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(sections.contains(&section), "{section} in {sections:?}");
    }
    // After the commands, before the version.
    let at = |s: &str| sections.iter().position(|x| x.starts_with(s)).expect(s);
    assert!(at(".SH SUBCOMMANDS") < at(".SH \"COMPARISON RULES\""));
    assert!(at(".SH \"EXIT STATUS\"") < at(".SH VERSION"));
    for variable in [
        "POSITIONS_CACHE_DIR",
        "XDG_CACHE_HOME",
        "COLUMNS",
        "NO_COLOR",
        "POSITIONS_CORPUS",
    ] {
        assert!(page.contains(&format!("\\fB{variable}\\fR")), "{variable}");
    }
    for text in [
        "\\fBirreconcilable\\fR if both are red lines",
        "\\fIplans/<id>.yaml\\fR",
        "\\fB2\\fR\na usage error",
    ] {
        assert!(page.contains(text), "{text}");
    }
    // No text line that roff would take for a request.
    let ours = &page
        [page.find(".SH \"COMPARISON RULES\"").expect("the rules")..page.find(".SH VERSION").expect("the version")];
    for line in ours.lines().filter(|l| l.starts_with('.') || l.starts_with('\'')) {
        let request = line.split(' ').next().unwrap_or("");
        // (`.ie`/`.el`: the preamble clap_mangen writes before the version.)
        assert!([".SH", ".PP", ".TP", ".ie", ".el"].contains(&request), "{line}");
    }
    // The page of `man --dir` for the program has the same sections.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("man1");
    run(&["man", "--dir", &path.to_string_lossy()]);
    let written = std::fs::read_to_string(path.join("positions.1")).expect("positions.1");
    let from = |p: &str| p[p.find(".SH \"COMPARISON RULES\"").expect("the rules")..].to_string();
    assert_eq!(from(&written), from(&page));
    assert!(path.join("positions-diff.1").is_file());
}

/// The bash script's block for one command (`positions__subcmd__diff)` … `;;`).
fn bash_block<'a>(script: &'a str, command: &str) -> &'a str {
    let start = script
        .find(&format!("        positions__subcmd__{command})\n"))
        .unwrap_or_else(|| panic!("a block for {command}"));
    let rest = &script[start..];
    let end = rest.find("\n            ;;\n").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn completions_offer_the_built_in_ids() {
    let script = run(&["completions", "bash"]);
    let diff = bash_block(&script, "diff");
    assert!(diff.contains("china eu nato russia uk ukraine us"), "{diff}");
    let pairs = bash_block(&script, "pairs");
    let parties = &pairs[pairs.find("--parties)").expect("--parties")..];
    assert!(
        parties.lines().nth(1).is_some_and(|l| l.contains(" russia ")),
        "{parties}"
    );
    assert!(bash_block(&script, "show").contains(" ru-ukraine-outside-nato "));
    assert!(bash_block(&script, "explain").contains(" ua-guarantees-instead-of-nato "));
    assert!(bash_block(&script, "issue").contains(" crimea-status "));
    assert!(bash_block(&script, "plan").contains(" us-28-point-plan-2025 "));
    // Options that take no id offer none.
    let dates = &pairs[pairs.find("--as-of)").expect("--as-of")..];
    assert!(!dates.lines().nth(1).is_some_and(|l| l.contains("russia")), "{dates}");
    // The script is valid bash.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("positions.bash");
    std::fs::write(&path, &script).expect("written");
    if let Ok(out) = Command::new("bash").arg("-n").arg(&path).output() {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    for shell in ["zsh", "fish"] {
        assert!(run(&["completions", shell]).contains("russia"), "{shell}");
    }
    // The parser itself takes ids the built-in corpus does not have (a corpus of one's
    // own): an unknown party is the corpus's error (1), not a usage error (2).
    let out = positions().args(["diff", "mallory", "trent"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
}
