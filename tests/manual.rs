//! The man page's own sections.

use crate::support::positions;

fn run(args: &[&str]) -> String {
    let out = positions().args(args).output().expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
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
