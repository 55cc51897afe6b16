//! Corpus validation (SPEC §1.5), end to end through the real binary.
//!
//! Each directory under `tests/fixtures/invalid/` is a full small corpus: a copy of
//! `tests/fixtures/valid/` with one defect (or, for `three-defects`, three). Every case
//! runs `positions --corpus tests/fixtures/invalid/<case> --format json check` from the
//! crate root and asserts the exit code and the *exact* set of diagnostics: each
//! expected one is there with its file, line, column, severity, a message substring and,
//! where one helps, a hint substring; and nothing else is reported (a single defect must
//! not cascade into misleading follow-up errors or false warnings).
//!
//! Paths in diagnostics are the `--corpus` argument joined with the file's path, so the
//! expectations name files relative to the case directory and the test adds the prefix.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;

use serde::Deserialize;

const INVALID: &str = "tests/fixtures/invalid";
const VALID: &str = "tests/fixtures/valid";

use crate::support::positions;

fn case_dir(case: &str) -> String {
    format!("{INVALID}/{case}")
}

// ---------------------------------------------------------------------------
// What the binary reports
// ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct Diag {
    severity: String,
    file: String,
    line: u32,
    column: u32,
    message: String,
    #[serde(default)]
    hint: Option<String>,
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}:{}:{} {:?}",
            self.severity, self.file, self.line, self.column, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint:?})")?;
        }
        Ok(())
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let output = positions().args(args).output().expect("run positions");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn check_json(corpus: &str) -> (Run, Vec<Diag>) {
    let run = run(&["--corpus", corpus, "--format", "json", "check"]);
    let diags = serde_json::from_str::<Vec<Diag>>(&run.stdout).unwrap_or_else(|err| {
        panic!(
            "corpus {corpus}: `check --format json` did not print a JSON array of diagnostics ({err})\n\
             exit: {:?}\nstdout:\n{}\nstderr:\n{}",
            run.code, run.stdout, run.stderr
        )
    });
    (run, diags)
}

// ---------------------------------------------------------------------------
// What a case expects
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Severity {
    Error,
    Warning,
}

impl Severity {
    fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One expected diagnostic. `file` is relative to the case directory; `{case}` in the
/// message or hint stands for the case directory (as in "first defined at {case}/…").
#[derive(Debug, Clone, Copy)]
struct Expect {
    severity: Severity,
    file: &'static str,
    line: u32,
    column: u32,
    message: &'static str,
    /// A substring the hint must contain; `None` leaves the hint unchecked.
    hint: Option<&'static str>,
}

fn error(file: &'static str, line: u32, column: u32, message: &'static str) -> Expect {
    Expect {
        severity: Severity::Error,
        file,
        line,
        column,
        message,
        hint: None,
    }
}

fn warning(file: &'static str, line: u32, column: u32, message: &'static str) -> Expect {
    Expect {
        severity: Severity::Warning,
        ..error(file, line, column, message)
    }
}

impl Expect {
    fn hint(self, hint: &'static str) -> Expect {
        Expect {
            hint: Some(hint),
            ..self
        }
    }

    fn path(&self, case: &str) -> String {
        format!("{}/{}", case_dir(case), self.file)
    }

    fn matches(&self, case: &str, d: &Diag) -> bool {
        let dir = case_dir(case);
        d.severity == self.severity.as_str()
            && d.file == self.path(case)
            && d.line == self.line
            && d.column == self.column
            && d.message.contains(&self.message.replace("{case}", &dir))
            && self.hint.is_none_or(|h| {
                d.hint
                    .as_deref()
                    .is_some_and(|actual| actual.contains(&h.replace("{case}", &dir)))
            })
    }

    fn describe(&self, case: &str) -> String {
        let mut out = format!(
            "{} {}:{}:{} with message containing {:?}",
            self.severity.as_str(),
            self.path(case),
            self.line,
            self.column,
            self.message
        );
        if let Some(hint) = self.hint {
            out.push_str(&format!(" and hint containing {hint:?}"));
        }
        out
    }
}

/// Run `check` on one case and compare its diagnostics with the expected ones, exactly.
fn check_case(case: &str, expected: &[Expect]) {
    let dir = case_dir(case);
    let (run, diags) = check_json(&dir);
    let mut problems = Vec::new();

    let want_code = if expected.iter().any(|e| e.severity == Severity::Error) {
        1
    } else {
        0
    };
    if run.code != Some(want_code) {
        problems.push(format!("exit code {:?}, expected {want_code}", run.code));
    }

    let mut used = vec![false; diags.len()];
    for expect in expected {
        match (0..diags.len()).find(|&i| !used[i] && expect.matches(case, &diags[i])) {
            Some(i) => used[i] = true,
            None => problems.push(format!("missing: {}", expect.describe(case))),
        }
    }
    for (d, used) in diags.iter().zip(&used) {
        if !used {
            problems.push(format!("unexpected: {d}"));
        }
    }

    if !problems.is_empty() {
        let all: Vec<String> = diags.iter().map(|d| format!("    {d}")).collect();
        panic!(
            "case `{case}` ({dir}):\n  - {}\n  all diagnostics reported:\n{}\n  stderr: {}",
            problems.join("\n  - "),
            if all.is_empty() {
                "    (none)".to_string()
            } else {
                all.join("\n")
            },
            run.stderr.trim()
        );
    }
}

// ---------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------

/// One expected diagnostic, or several made by a function (many alike in one file).
impl From<Expect> for Vec<Expect> {
    fn from(expect: Expect) -> Vec<Expect> {
        vec![expect]
    }
}

/// Declares one `#[test]` per case, and `all_cases()` listing them for the sweeps below.
macro_rules! cases {
    ($($test:ident: $case:literal => [$($expect:expr),+ $(,)?];)*) => {
        fn all_cases() -> Vec<(&'static str, Vec<Expect>)> {
            vec![$(($case, [$(Vec::<Expect>::from($expect)),+].concat())),*]
        }

        $(
            #[test]
            fn $test() {
                check_case($case, &[$(Vec::<Expect>::from($expect)),+].concat());
            }
        )*
    };
}

/// The first 50 of the 60 unknown keys `note-1` … `note-60` of the header of gamma.yaml
/// in `too-many-problems`, then the count of the others.
fn fifty_unknown_notes() -> Vec<Expect> {
    let mut expected: Vec<Expect> = (1..=50u32)
        .map(|n| {
            let message: &'static str = Box::leak(format!("unknown field `note-{n}`").into_boxed_str());
            error("parties/gamma.yaml", 4 + n, 3, message)
        })
        .collect();
    expected.push(error("parties/gamma.yaml", 0, 0, "and 10 more problems in this file"));
    expected
}

cases! {
    // --- The YAML itself --------------------------------------------------
    yaml_syntax_unclosed_quote: "yaml-syntax" => [
        error("parties/alpha.yaml", 49, 12, "unclosed quote"),
    ];
    yaml_syntax_bad_indentation: "yaml-bad-indentation" => [
        error("parties/alpha.yaml", 39, 7, "`priority` is indented further than the key before it")
            .hint("check the indentation of `priority`; it belongs with `wants` on line 38: start it at column 5"),
    ];
    wrong_type_number: "wrong-type-number" => [
        error("issues.yaml", 21, 12, "expected a number"),
    ];
    wrong_type_string_for_list: "wrong-type-list" => [
        error("parties/gamma.yaml", 10, 12, "`wants` is the single value `closed`, but it holds a list")
            .hint("write `[closed]`"),
    ];
    wrong_type_unknown_enum_variant: "wrong-enum" => [
        error(
            "parties/beta.yaml", 50, 15,
            "unknown value `critical`, expected one of red-line, high, medium, low",
        )
        .hint("write one of red-line, high, medium, low"),
    ];
    unknown_key: "unknown-key" => [
        error("parties/alpha.yaml", 11, 5, "unknown field `sumary`")
            .hint("did you mean `summary`?"),
    ];
    missing_key: "missing-key" => [
        error("parties/gamma.yaml", 21, 5, "missing field `title`")
            .hint("every entry needs this key"),
    ];
    duplicate_key: "duplicate-key" => [
        error("parties/beta.yaml", 38, 5, "duplicate mapping key: priority")
            .hint("each key may appear once"),
    ];
    multiple_documents: "multiple-documents" => [
        error("relations.yaml", 10, 1, "multiple YAML documents").hint("`---`"),
    ];
    empty_file: "empty-file" => [
        error("parties/gamma.yaml", 0, 0, "the file is empty").hint("top-level key"),
    ];
    invalid_utf8: "invalid-utf8" => [
        error("parties/beta.yaml", 40, 35, "not valid UTF-8").hint("UTF-8"),
    ];
    missing_issues_file: "missing-issues-file" => [
        error("issues.yaml", 0, 0, "the corpus has no issues.yaml").hint("issues.yaml"),
    ];

    // --- Ids ---------------------------------------------------------------
    bad_id_uppercase: "bad-id-uppercase" => [
        error("parties/beta.yaml", 33, 9, "invalid demand id `Be-Neutrality`")
            .hint("`be-neutrality`"),
    ];
    bad_id_underscore: "bad-id-underscore" => [
        error("issues.yaml", 37, 13, "invalid option id `all_for_all`").hint("`all-for-all`"),
    ];
    party_id_differs_from_file_name: "party-id-mismatch" => [
        error("parties/gamma.yaml", 2, 7, "party id `gama` differs from its file name `gamma`")
            .hint("rename the file to gama.yaml or set `id: gamma`"),
    ];
    duplicate_issue_id: "duplicate-issue-id" => [
        error("issues.yaml", 44, 9, "duplicate issue id `border-troops`")
            .hint("first defined at {case}/issues.yaml:15:9"),
    ];
    duplicate_option_id: "duplicate-option-id" => [
        error("issues.yaml", 43, 13, "duplicate option id `phased` in issue `prisoner-release`")
            .hint("first defined at {case}/issues.yaml:39:13"),
    ];
    duplicate_demand_id_across_parties: "duplicate-demand-id" => [
        error("parties/beta.yaml", 46, 9, "duplicate demand id `al-phased-exchange`")
            .hint("first defined at {case}/parties/alpha.yaml:60:9"),
    ];
    duplicate_party_alias: "duplicate-party-alias" => [
        error(
            "parties/gamma.yaml", 5, 13,
            "alias `beta` of party `gamma` is already a party id or alias",
        )
        .hint("first defined at {case}/parties/beta.yaml:2:7"),
    ];
    duplicate_party_file: "duplicate-party-file" => [
        error("parties/beta.yml", 2, 7, "duplicate party id `beta`")
            .hint("first defined at {case}/parties/beta.yaml:2:7"),
    ];

    // --- Issues --------------------------------------------------------------
    issue_with_options_and_scale: "issue-options-and-scale" => [
        error("issues.yaml", 23, 9, "issue `alliance-membership` has both `options` and `scale`")
            .hint("either"),
    ];
    issue_with_neither_options_nor_scale: "issue-no-outcomes" => [
        error("issues.yaml", 23, 9, "issue `alliance-membership` has neither `options` nor `scale`")
            .hint("add `options:`"),
    ];
    issue_with_one_option: "issue-one-option" => [
        error("issues.yaml", 28, 7, "issue `alliance-membership` needs at least two options"),
    ];
    scale_min_not_below_max: "scale-min-not-below-max" => [
        error("issues.yaml", 19, 7, "the scale of issue `border-troops` has min 10000 not below max 10000"),
    ];

    // --- Demands -------------------------------------------------------------
    unknown_issue: "unknown-issue" => [
        error("parties/gamma.yaml", 8, 12, "unknown issue `harbor-access`")
            .hint("did you mean `harbour-access`?"),
    ];
    unknown_option: "unknown-option" => [
        error("parties/beta.yaml", 11, 13, "unknown option `licenced` of issue `harbour-access`")
            .hint("did you mean `licensed`?"),
    ];
    list_on_scale_issue: "list-on-scale" => [
        error("parties/gamma.yaml", 24, 12, "`wants` is a list, but issue `border-troops` is a scale")
            .hint("{min: 0, max: 10000}"),
    ];
    range_on_options_issue: "range-on-options" => [
        error(
            "parties/beta.yaml", 36, 12,
            "`wants` is a range, but issue `alliance-membership` has options",
        )
        .hint("[member, neutral]"),
    ];
    range_outside_scale: "range-outside-scale" => [
        error(
            "parties/alpha.yaml", 26, 14,
            "`accepts` range 0..40000 lies outside the scale of `border-troops`",
        )
        .hint("0 to 10000 troops"),
    ];
    range_min_above_max: "range-min-above-max" => [
        error("parties/gamma.yaml", 24, 12, "`wants` has min 5000 above max 3000"),
    ];
    accepts_not_containing_wants: "accepts-missing-wants" => [
        error(
            "parties/alpha.yaml", 13, 14,
            "`accepts` of demand `al-open-harbour` does not contain all of `wants` (missing open)",
        )
        .hint("add the missing outcomes"),
    ];
    empty_wants: "empty-wants" => [
        error("parties/beta.yaml", 49, 12, "`wants` is empty"),
    ];
    no_sources: "no-sources" => [
        error("parties/gamma.yaml", 27, 14, "demand `ga-troops` has no sources")
            .hint("at least one"),
    ];
    invalid_date: "invalid-date" => [
        error("parties/beta.yaml", 38, 13, "`2024-02-30`: no such day: February 2024 has 29 days, not 30")
            .hint("YYYY-MM-DD"),
    ];
    until_not_after_stated: "until-not-after-stated" => [
        error(
            "parties/alpha.yaml", 53, 12,
            "`until` 2020-01-10 of demand `al-full-exchange` is not after `stated` 2020-01-10",
        ),
    ];

    // --- Relations -------------------------------------------------------------
    relation_unknown_demand: "relation-unknown-demand" => [
        error("relations.yaml", 2, 30, "unknown demand `be-trops`").hint("did you mean `be-troops`?"),
    ];
    relation_same_party: "relation-same-party" => [
        error("relations.yaml", 2, 14, "`al-membership` and `al-troop-cap` belong to the same party")
            .hint("different parties"),
    ];
    relation_same_issue: "relation-same-issue" => [
        error("relations.yaml", 2, 14, "`al-membership` and `be-neutrality` are on the same issue")
            .hint("derived"),
    ];
    relation_duplicate_pair: "relation-duplicate-pair" => [
        error("relations.yaml", 11, 14, "the pair `be-troops` / `al-membership` is related twice")
            .hint("first defined at {case}/relations.yaml:2:14"),
    ];

    // --- Plans (SPEC §1.4, §1.5) ----------------------------------------------
    plan_unknown_issue: "plan-unknown-issue" => [
        error("plans/harbour-deal.yaml", 12, 3, "unknown issue `harbor-access`")
            .hint("did you mean `harbour-access`?"),
    ];
    plan_unknown_option: "plan-unknown-option" => [
        error("plans/harbour-deal.yaml", 12, 19, "unknown option `licenced`")
            .hint("did you mean `licensed`?"),
    ];
    plan_number_outside_scale: "plan-outside-scale" => [
        error("plans/harbour-deal.yaml", 13, 18, "outside the scale"),
    ];

    // --- Everything is collected in one run ------------------------------------
    three_defects_in_three_files_are_all_reported: "three-defects" => [
        error("issues.yaml", 43, 13, "duplicate option id `phased` in issue `prisoner-release`"),
        error("parties/beta.yaml", 38, 5, "unknown field `prority`"),
        error("relations.yaml", 11, 14, "`al-open-harbour` and `ga-closed-harbour` are on the same issue"),
    ];

    // --- Hints for the common slips ---------------------------------------------
    hint_colon_in_a_plain_title: "hint-colon-in-title" => [
        error(
            "parties/alpha.yaml", 10, 19,
            "the text of `title` holds `: `, which YAML reads as the start of another key",
        )
        .hint("quote the text: title: \"Harbour: keep it open\""),
    ];
    hint_key_indented_too_far: "hint-key-indented-too-far" => [
        error("parties/alpha.yaml", 14, 7, "`priority` is indented further than the key before it")
            .hint("check the indentation of `priority`; it belongs with `accepts` on line 13: start it at column 5"),
    ];
    hint_key_indented_too_far_after_a_value: "hint-key-indented-after-a-value" => [
        error(
            "parties/alpha.yaml", 15, 7,
            "unknown value `high stated`, expected one of red-line, high, medium, low",
        )
        .hint("check the indentation of `stated`; it belongs with `priority` on line 14: start it at column 5"),
    ];
    hint_key_indented_too_little: "hint-key-indented-too-little" => [
        error("parties/alpha.yaml", 8, 5, "missing field `priority`").hint(
            "check the indentation of `priority` on line 14 (indented too little); it belongs with `id` on line 8",
        ),
    ];
    hint_mapping_where_a_list_belongs: "hint-mapping-for-a-list" => [
        error("parties/alpha.yaml", 17, 7, "`sources` holds a list, but here it is a mapping")
            .hint("start each entry of `sources` with `- `"),
    ];
    hint_scalar_where_a_list_belongs: "hint-scalar-for-a-list" => [
        error("parties/alpha.yaml", 5, 12, "`aliases` holds a list, but here it is a single value")
            .hint("write `aliases: [alf]`"),
    ];
    hint_scalar_for_wants: "hint-scalar-for-wants" => [
        error("parties/alpha.yaml", 12, 12, "`wants` is the single value `open`, but it holds a list")
            .hint("write `[open]`"),
    ];
    hint_unknown_value_did_you_mean: "hint-enum-did-you-mean" => [
        error("parties/alpha.yaml", 27, 15, "unknown value `redline`, expected one of red-line, high, medium, low")
            .hint("did you mean `red-line`?"),
        error("parties/alpha.yaml", 39, 15, "unknown value `redline`, expected one of red-line, high, medium, low")
            .hint("did you mean `red-line`?"),
    ];
    date_with_no_such_month: "date-no-such-month" => [
        error("parties/alpha.yaml", 15, 13, "`2020-13-10`: no such month: 13 (months run from 01 to 12)"),
    ];
    date_with_no_such_day: "date-no-such-day" => [
        error("parties/alpha.yaml", 15, 13, "`2020-02-30`: no such day: February 2020 has 29 days, not 30"),
    ];

    // --- Every problem of a file in one run ------------------------------------
    // The typed parse stops at the first; the lenient pass finds the others, and a
    // misspelt key is not also reported as its right spelling missing.
    every_problem_of_a_file_in_one_run: "four-typos-in-one-file" => [
        error("parties/alpha.yaml", 4, 9, "unknown value `stat`, expected one of state, alliance")
            .hint("did you mean `state`?"),
        error("parties/alpha.yaml", 11, 5, "unknown field `sumary`").hint("did you mean `summary`?"),
        error("parties/alpha.yaml", 14, 5, "unknown field `priorty`").hint("did you mean `priority`?"),
        error("parties/alpha.yaml", 27, 5, "unknown field `priorty`").hint("did you mean `priority`?"),
        error("parties/alpha.yaml", 39, 5, "unknown field `priorty`").hint("did you mean `priority`?"),
        error("parties/alpha.yaml", 51, 5, "unknown field `priorty`").hint("did you mean `priority`?"),
    ];
    at_most_fifty_problems_of_a_file: "too-many-problems" => [fifty_unknown_notes()];
    every_problem_of_the_issues_file: "every-problem-of-issues-file" => [
        error("issues.yaml", 5, 12, "`title` holds one text, but here it is a list")
            .hint("in quotes if it starts with `[`"),
        error("issues.yaml", 6, 5, "unknown field `categry`").hint("did you mean `category`?"),
        error("issues.yaml", 17, 5, "unknown field `categry`").hint("did you mean `category`?"),
        error("issues.yaml", 25, 5, "unknown field `categry`").hint("did you mean `category`?"),
        error("issues.yaml", 35, 5, "unknown field `categry`").hint("did you mean `category`?"),
    ];


    // --- No problem hidden behind another, and no follow-on ---------------------
    // beta.yaml cannot be parsed: relations are still checked against every demand that
    // could be read; ids and issues written in beta.yaml are not reported as unknown or
    // unused, ids that appear nowhere in it are.
    relations_are_checked_behind_a_broken_party_file: "hidden-behind-broken-party" => [
        error("parties/beta.yaml", 62, 5, "unknown field `prority`").hint("did you mean `priority`?"),
        error("relations.yaml", 11, 15, "unknown demand `al-membrship`").hint("did you mean `al-membership`?"),
        error("relations.yaml", 29, 15, "unknown demand `be-garrison`"),
        error("relations.yaml", 38, 14, "`al-membership` and `al-troop-cap` belong to the same party"),
        warning("issues.yaml", 53, 9, "no party has a demand on issue `water-rights`"),
    ];
    // gamma.yaml cannot be read at all: an id with the prefix of a party that was read is
    // still checked, any other (`ga-…`) is not; no issue is reported as unused.
    relations_are_checked_behind_an_unreadable_party_file: "unreadable-party-file" => [
        error("parties/gamma.yaml", 3, 16, "not valid UTF-8"),
        error("relations.yaml", 20, 15, "unknown demand `be-trops`").hint("did you mean `be-troops`?"),
    ];
    // gamma.yaml copies beta's header: one error, no duplicate id, no alias clash.
    party_id_copied_from_another_file_is_one_error: "party-id-copied" => [
        error("parties/gamma.yaml", 2, 7, "party id `beta` differs from its file name `gamma`"),
    ];
    // The only demand on `fishing-rights` has a bad date: the issue is not "unused".
    issue_of_a_demand_that_failed_is_not_unused: "failed-demand-issue-used" => [
        error("parties/alpha.yaml", 79, 13, "`2020-13-01`"),
    ];

    // --- Warnings: reported, exit 0 --------------------------------------------
    warning_source_without_url: "warn-source-without-url" => [
        warning("parties/gamma.yaml", 16, 16, "source `Gamma's council resolution` has no url")
            .hint("address"),
    ];
    warning_issue_without_demands: "warn-unused-issue" => [
        warning("issues.yaml", 44, 9, "no party has a demand on issue `fishing-rights`"),
    ];
    warning_future_dates: "warn-future-date" => [
        warning("parties/beta.yaml", 51, 13, "`stated` date 2999-01-01 is in the future"),
        warning("parties/beta.yaml", 55, 15, "source date 2999-01-01 is in the future"),
    ];
    warning_own_demands_exclude_each_other: "warn-self-exclusion" => [
        warning(
            "parties/alpha.yaml", 22, 9,
            "`al-open-harbour` and `al-closed-harbour` of party `alpha` exclude each other",
        )
        .hint("`until:`"),
    ];
}

// ---------------------------------------------------------------------------
// The fixtures themselves
// ---------------------------------------------------------------------------

#[test]
fn every_invalid_fixture_has_a_case_and_every_case_a_fixture() {
    let on_disk: BTreeSet<String> = fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/invalid"))
        .expect("read tests/fixtures/invalid")
        .map(|e| e.expect("directory entry").file_name().to_string_lossy().into_owned())
        .collect();
    let declared: BTreeSet<String> = all_cases().into_iter().map(|(c, _)| c.to_string()).collect();
    let untested: Vec<_> = on_disk.difference(&declared).collect();
    let missing: Vec<_> = declared.difference(&on_disk).collect();
    assert!(untested.is_empty(), "fixtures without a case: {untested:?}");
    assert!(missing.is_empty(), "cases without a fixture: {missing:?}");
}

#[test]
fn valid_corpus_has_no_errors_and_no_warnings() {
    let (run, diags) = check_json(VALID);
    let listed: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(run.code, Some(0), "exit code; diagnostics: {listed:#?}");
    assert!(diags.is_empty(), "the valid corpus reports diagnostics: {listed:#?}");

    let human = run_ok(&["--corpus", VALID, "check"]);
    assert_eq!(
        human.trim_end(),
        "ok: 3 parties, 4 issues, 11 demands, 1 relation, 0 plans; 0 warnings"
    );
}

fn run_ok(args: &[&str]) -> String {
    let run = run(args);
    assert_eq!(
        run.code,
        Some(0),
        "positions {args:?} failed\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    run.stdout
}

// ---------------------------------------------------------------------------
// Human output of `check`
// ---------------------------------------------------------------------------

#[test]
fn human_check_output_shows_location_source_line_and_caret() {
    let dir = case_dir("unknown-option");
    let run = run(&["--corpus", &dir, "check"]);
    assert_eq!(run.code, Some(1), "stderr: {}", run.stderr);
    let expected = format!(
        "error: unknown option `licenced` of issue `harbour-access`\n\
         \x20 --> {dir}/parties/beta.yaml:11:13\n\
         \x20  |\n\
         11 |     wants: [licenced]\n\
         \x20  |             ^\n\
         \x20 = hint: did you mean `licensed`?\n"
    );
    assert!(
        run.stdout.contains(&expected),
        "expected block:\n{expected}\nin stdout:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.trim_end().ends_with("1 error, 0 warnings"),
        "summary line missing:\n{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains('\x1b'),
        "colour codes in piped output:\n{}",
        run.stdout
    );
}

#[test]
fn human_check_output_for_warnings_exits_zero() {
    let dir = case_dir("warn-source-without-url");
    let out = run_ok(&["--corpus", &dir, "check"]);
    let expected = format!(
        "warning: source `Gamma's council resolution` has no url\n\
         \x20 --> {dir}/parties/gamma.yaml:16:16\n\
         \x20  |\n\
         16 |       - title: Gamma's council resolution\n\
         \x20  |                ^\n"
    );
    assert!(
        out.contains(&expected),
        "expected block:\n{expected}\nin stdout:\n{out}"
    );
    assert!(out.trim_end().ends_with("; 1 warning"), "summary line missing:\n{out}");
}

#[test]
fn human_check_output_counts_every_problem() {
    let dir = case_dir("three-defects");
    let run = run(&["--corpus", &dir, "check"]);
    assert_eq!(run.code, Some(1));
    for location in [
        format!("--> {dir}/issues.yaml:43:13"),
        format!("--> {dir}/parties/beta.yaml:38:5"),
        format!("--> {dir}/relations.yaml:11:14"),
    ] {
        assert!(
            run.stdout.contains(&location),
            "{location} missing from:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout.trim_end().ends_with("3 errors, 0 warnings"),
        "summary line:\n{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------
// Every other command refuses a broken corpus
// ---------------------------------------------------------------------------

/// The commands of SPEC §3 other than `check`, with arguments valid for the fixtures.
const COMMANDS: &[&[&str]] = &[
    &["parties"],
    &["issues"],
    &["demands"],
    &["demands", "alpha"],
    &["show", "al-open-harbour"],
    &["diff", "alpha", "beta"],
    &["matrix"],
    &["matrix", "--level", "demand"],
    &["pairs"],
    &["issue", "harbour-access"],
    &["explain", "al-open-harbour", "be-licensed-harbour"],
];

/// Assert that `positions --corpus DIR [--format F] ARGS…` refuses: exit 1, nothing on
/// stdout, and on stderr each of `needles`.
fn assert_refuses(dir: &str, format: Option<&str>, args: &[&str], needles: &[String]) -> Result<(), String> {
    let mut full = vec!["--corpus", dir];
    if let Some(format) = format {
        full.extend(["--format", format]);
    }
    full.extend_from_slice(args);
    let run = run(&full);
    let mut problems = Vec::new();
    if run.code != Some(1) {
        problems.push(format!("exit code {:?}, expected 1", run.code));
    }
    if !run.stdout.is_empty() {
        problems.push(format!("stdout is not empty:\n{}", run.stdout));
    }
    for needle in needles {
        if !run.stderr.contains(needle.as_str()) {
            problems.push(format!("stderr lacks {needle:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "positions {}:\n    {}\n    stderr was:\n{}",
            full.join(" "),
            problems.join("\n    "),
            run.stderr
        ))
    }
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_command_refuses_a_broken_corpus_with_diagnostics_on_stderr() {
    let dir = case_dir("unknown-option");
    let needles = [
        "error: unknown option `licenced` of issue `harbour-access`".to_string(),
        format!("--> {dir}/parties/beta.yaml:11:13"),
        "11 |     wants: [licenced]".to_string(),
        "did you mean `licensed`?".to_string(),
    ];
    let mut failures = Vec::new();
    for args in COMMANDS {
        for format in [None, Some("json"), Some("csv")] {
            if let Err(failure) = assert_refuses(&dir, format, args, &needles) {
                failures.push(failure);
            }
        }
    }
    report(failures);
}

#[test]
fn every_command_refuses_a_corpus_with_a_yaml_error() {
    let dir = case_dir("three-defects");
    let needles = [
        format!("{dir}/issues.yaml:43:13"),
        format!("{dir}/parties/beta.yaml:38:5"),
        format!("{dir}/relations.yaml:11:14"),
    ];
    let failures = COMMANDS
        .iter()
        .filter_map(|args| assert_refuses(&dir, None, args, &needles).err())
        .collect();
    report(failures);
}

/// `history` and `plan` are in SPEC §3; they must refuse a broken corpus like the rest.
#[test]
fn history_and_plan_refuse_a_broken_corpus() {
    let dir = case_dir("unknown-option");
    let needles = [format!("{dir}/parties/beta.yaml:11:13")];
    let failures = [&["history"][..], &["plan", "harbour-deal"][..]]
        .iter()
        .filter_map(|args| assert_refuses(&dir, None, args, &needles).err())
        .collect();
    report(failures);
}

/// Every error case, not just one: `pairs` refuses it and names the first expected error.
#[test]
fn pairs_refuses_every_error_case() {
    let mut failures = Vec::new();
    for (case, expected) in all_cases() {
        let Some(first) = expected.iter().find(|e| e.severity == Severity::Error) else {
            continue;
        };
        let dir = case_dir(case);
        let needles = [first.path(case), first.message.replace("{case}", &dir)];
        if let Err(failure) = assert_refuses(&dir, Some("csv"), &["pairs"], &needles) {
            failures.push(format!("case `{case}`: {failure}"));
        }
    }
    report(failures);
}

/// Warnings never block (SPEC §1.5): every warning-only case is analysed as usual.
#[test]
fn warnings_never_block_other_commands() {
    let mut failures = Vec::new();
    for (case, expected) in all_cases() {
        if expected.iter().any(|e| e.severity == Severity::Error) {
            continue;
        }
        let dir = case_dir(case);
        for args in COMMANDS {
            let mut full = vec!["--corpus", dir.as_str()];
            full.extend_from_slice(args);
            let run = run(&full);
            if run.code != Some(0) || run.stdout.is_empty() {
                failures.push(format!(
                    "case `{case}`: positions {} exited {:?} with {} bytes on stdout; stderr:\n{}",
                    full.join(" "),
                    run.code,
                    run.stdout.len(),
                    run.stderr
                ));
            }
        }
    }
    report(failures);
}
