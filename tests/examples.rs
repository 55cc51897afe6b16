//! Every example in `--help` runs: taken from the clap definitions, run against the
//! built-in corpus (each in a directory of its own), expecting exit 0.

use std::path::Path;

use clap::CommandFactory;

use crate::support::{command, root};

/// The examples of a help text: its lines that start with `positions `.
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .map(str::trim)
        .filter(|line| line.starts_with("positions "))
        .map(|line| {
            // The comment after an example in the top-level help is two spaces or more away.
            match line.find("  ") {
                Some(at) => line[..at].trim().to_string(),
                None => line.to_string(),
            }
        })
        .collect()
}

/// Words as a POSIX shell splits them (single and double quotes; no expansion).
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut any = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, ' ') => {
                if any || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        out.push(word);
    }
    out
}

/// Run one example in `dir`: each command of an `&&` chain; what follows a `|` or a `>` is
/// the shell's business, and paths outside the directory (`~/…`, `/usr/…`, `$PROFILE`)
/// are kept inside it.
fn run(example: &str, dir: &Path) {
    for part in example.split("&&") {
        let part = part.split(['|', '>']).next().unwrap_or_default();
        let args: Vec<String> = words(part.trim())
            .into_iter()
            .skip(1)
            .map(|w| {
                if w.starts_with('/') || w.starts_with('~') || w.starts_with('$') {
                    format!("outside/{}", w.trim_start_matches(['/', '~', '$']))
                } else {
                    w
                }
            })
            .collect();
        let out = command().current_dir(dir).args(&args).output().expect("run");
        assert!(
            out.status.success(),
            "`{example}` failed ({:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_help_example_runs() {
    let cli = positions::cli::Cli::command();
    let mut all = Vec::new();
    for help in [cli.get_after_help(), cli.get_after_long_help()].into_iter().flatten() {
        all.extend(examples(&help.to_string()));
    }
    for sub in cli.get_subcommands() {
        for help in [sub.get_after_help(), sub.get_after_long_help()].into_iter().flatten() {
            all.extend(examples(&help.to_string()));
        }
    }
    assert!(all.len() > 30, "only {} examples found", all.len());
    let plan = std::fs::read_to_string(root().join("positions/plans/us-28-point-plan-2025.yaml")).expect("a plan");
    for example in &all {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir_all(dir.path().join("outside/usr/local/share/man/man1")).expect("mkdir");
        if example.contains("my-corpus") && !example.contains("init my-corpus") {
            run("positions init my-corpus", dir.path());
        }
        if example.contains("drafts/my-plan.yaml") {
            std::fs::create_dir_all(dir.path().join("drafts")).expect("mkdir");
            let text = plan.replace("id: us-28-point-plan-2025", "id: my-plan");
            std::fs::write(dir.path().join("drafts/my-plan.yaml"), text).expect("write");
        }
        run(example, dir.path());
    }
}

#[test]
fn examples_are_split_as_a_shell_would() {
    assert_eq!(
        words("positions demands --match 'sanction|asset'"),
        ["positions", "demands", "--match", "sanction|asset"]
    );
    assert_eq!(
        examples("Examples:\n  positions diff a b            what it does\n  positions x"),
        ["positions diff a b", "positions x"]
    );
}
