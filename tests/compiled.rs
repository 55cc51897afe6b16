//! The compiled copy of the built-in corpus (`src/corpus/compiled.json`) must be made from
//! the corpus files as they are, and give the same answers as the YAML.
//!
//! After editing `positions/`, refresh it with
//! `POSITIONS_WRITE_COMPILED=1 cargo test --test compiled`.

use assert_cmd::cargo::cargo_bin_cmd;
use positions::compiled;
use positions::corpus::load;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/compiled.json");

#[test]
fn compiled_copy_is_current() {
    let loaded = load(&compiled::embedded_files());
    let fresh = compiled::compile(&loaded).expect("the built-in corpus is valid");
    if std::env::var_os("POSITIONS_WRITE_COMPILED").is_some() {
        std::fs::write(PATH, &fresh).expect("write compiled.json");
    }
    let committed = std::fs::read_to_string(PATH).expect("compiled.json exists");
    assert!(
        committed == fresh,
        "src/corpus/compiled.json is stale: run POSITIONS_WRITE_COMPILED=1 cargo test --test compiled"
    );
    let from_copy = compiled::load().expect("the compiled copy matches the embedded files");
    let from_yaml = loaded.corpus.expect("valid");
    assert_eq!(from_copy.demands, from_yaml.demands);
    assert_eq!(from_copy.issues, from_yaml.issues);
    assert_eq!(from_copy.parties, from_yaml.parties);
    assert_eq!(from_copy.relations, from_yaml.relations);
    assert_eq!(from_copy.plans, from_yaml.plans);
}

/// The same questions through the compiled copy (the built-in corpus) and through the YAML
/// (the same files named with --corpus) give the same answers.
#[test]
fn compiled_copy_answers_as_the_yaml_does() {
    let questions: &[&[&str]] = &[
        &["diff", "russia", "ukraine", "--format", "csv"],
        &["pairs", "--format", "csv"],
        &["matrix", "--format", "csv"],
        &["demands", "--all", "--format", "json"],
        &["issue", "crimea-status", "--format", "json"],
        &["show", "ru-force-cap-85000", "--format", "json"],
        &["plan", "us-28-point-plan-2025", "--format", "csv"],
        &["history", "--format", "csv"],
        &["parties", "--format", "csv"],
    ];
    for args in questions {
        let run = |corpus: Option<&str>| {
            let mut cmd = cargo_bin_cmd!("positions");
            cmd.env_remove("POSITIONS_CORPUS")
                .current_dir(env!("CARGO_MANIFEST_DIR"));
            if let Some(dir) = corpus {
                cmd.args(["--corpus", dir]);
            }
            let output = cmd.args(["--as-of", "2026-01-15"]).args(*args).output().expect("runs");
            assert!(
                output.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            output.stdout
        };
        assert!(
            run(None) == run(Some("positions")),
            "{args:?} differs between the compiled copy and the YAML"
        );
    }
}
