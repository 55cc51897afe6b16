//! Plans: a draft scored by its path, blamed for its own errors; the skeleton's example
//! plan; what `plan` says it covers; the report's scores of every plan.

use std::fs;

use crate::support::positions;

const DRAFT: &str = "\
plan:
  id: my-draft
  title: A draft
  date: 2026-01-01
  evidence: inferred
  sources:
    - title: Notes
      by: An analyst
      date: 2026-01-01
      url: https://example.org/notes
outcomes:
  crimea-status: deferred
  ukraine-force-ceiling: 600000
";

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_draft_need_not_match_its_file_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("draft.yaml");
    fs::write(&path, DRAFT).expect("write");
    let path = path.to_string_lossy().into_owned();
    let out = positions()
        .args(["--as-of", "2026-02-20", "plan", &path])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(text.contains("A draft (my-draft), scored as of 2026-02-20"), "{text}");
    assert!(text.contains("covers  2 of 36 issues"), "{text}");
    // Outcomes in words, with the scale's unit.
    assert!(text.contains("600,000 troops"), "{text}");
    assert!(text.contains("Status set aside for later negotiation"), "{text}");
    assert!(
        err.contains("warning: plan id `my-draft` differs from its file name `draft`"),
        "{err}"
    );
    assert!(err.contains(&format!("--> {path}:2:7")), "{err}");
}

#[test]
fn an_error_in_a_draft_is_the_plans() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("my-draft.yaml");
    fs::write(&path, DRAFT.replace("crimea-status: deferred", "crimea-status: bogus")).expect("write");
    let path = path.to_string_lossy().into_owned();
    let out = positions().args(["plan", &path]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: unknown option `bogus` of issue `crimea-status`"),
        "{err}"
    );
    assert!(err.contains(&format!("--> {path}:12:18")), "{err}");
    assert!(
        err.contains(&format!(
            "error: the plan {path} has 1 error and 0 warnings; nothing was analysed"
        )),
        "{err}"
    );
    assert!(!err.contains("the corpus has"), "{err}");
}

#[test]
fn the_empty_skeleton_has_a_plan_that_validates_and_scores() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("new");
    let corpus = corpus.to_string_lossy().into_owned();
    positions().args(["init", "--empty", &corpus]).assert().success();
    assert!(dir.path().join("new/plans/example-plan.yaml").is_file());
    let out = positions().args(["--corpus", &corpus, "check"]).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 plan; 0 warnings"), "{}", stdout(&out));
    let out = positions()
        .args(["--corpus", &corpus, "--format", "csv", "plan", "example-plan"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "party,demand,issue,outcome,verdict,priority\r\n\
         example-party,example-demand,example-issue,option-b,acceptable,medium\r\n"
    );
}

#[test]
fn the_report_scores_every_shipped_plan() {
    let out = positions()
        .args(["--as-of", "2026-02-20", "report"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let html = stdout(&out);
    assert!(html.contains("<section id=\"plans\">"));
    assert!(html.contains("<a href=\"#plans\">Plans</a>"));
    let plans = fs::read_dir(crate::support::root().join("positions/plans")).expect("plans");
    let mut n = 0;
    for entry in plans {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        let id = name.trim_end_matches(".yaml");
        assert!(html.contains(&format!("<tr id=\"plan-{id}\">")), "{id}");
        n += 1;
    }
    assert!(n >= 10, "{n}");
    // The Berlin statement against Russia, as `plan` scores it.
    let row = html
        .split("<tr id=\"plan-berlin-statement-2025-12\">")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("the Berlin row");
    let plan = positions()
        .args([
            "--as-of",
            "2026-02-20",
            "--format",
            "csv",
            "plan",
            "berlin-statement-2025-12",
            "--parties",
            "russia",
        ])
        .output()
        .expect("run");
    let rows = stdout(&plan);
    let violated = rows
        .lines()
        .filter(|l| l.ends_with(",violated,red-line") || l.contains(",violated,"))
        .count();
    assert!(violated > 0);
    assert!(
        row.contains(&format!("0 met, 0 acceptable, {violated} violated")),
        "{row}"
    );
}
