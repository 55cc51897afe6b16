//! The built-in corpus loads from the compiled form `build.rs` makes of `positions/`;
//! it must answer exactly as the YAML of the same files does.

use crate::support::positions;

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
            let mut cmd = positions();
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
