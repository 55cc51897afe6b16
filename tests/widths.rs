//! Tables fit the width they are given: no line wider, and not many times the lines
//! they take when there is room.

use crate::support::positions;

/// Every command that writes a table, on the built-in corpus.
const TABLE_COMMANDS: &[&[&str]] = &[
    &["parties"],
    &["issues"],
    &["demands"],
    &["demands", "--all"],
    &["show", "ru-ukraine-outside-nato"],
    &["diff", "russia", "ukraine"],
    &["matrix"],
    &["matrix", "--level", "demand", "--parties", "russia,ukraine,us"],
    &["pairs"],
    &["issue", "crimea-status"],
    &["issue", "ukraine-force-ceiling"],
    &["explain", "ru-crimea-recognised", "ua-crimea-no-legal-recognition"],
    &["plan", "us-28-point-plan-2025"],
    &["history"],
    &["changes", "--from", "2022-03-31", "--to", "2022-10-15"],
    &["align", "--at", "2022-03-31,2026-01-15"],
    &["settle", "--parties", "russia,ukraine", "--top", "2"],
    &["settle"],
    &["check"],
];

fn table(args: &[&str], width: &str) -> String {
    crate::support::stdout_of(&[&["--as-of", "2026-02-20", "--width", width], args].concat())
}

#[test]
fn every_table_fits_80_and_120_columns() {
    for args in TABLE_COMMANDS {
        let roomy = table(args, "250").lines().count();
        for width in [80, 120] {
            let text = table(args, &width.to_string());
            for line in text.lines() {
                let chars = line.chars().count();
                assert!(chars <= width, "{args:?} at {width}: a line of {chars}:\n{line}");
            }
            let lines = text.lines().count();
            assert!(
                lines <= 4 * roomy + 4,
                "{args:?} at {width}: {lines} lines, {roomy} at 250"
            );
        }
    }
}

#[test]
fn ids_are_never_broken() {
    // The scorecard of `settle` and the package table keep their ids whole.
    let text = table(&["settle", "--parties", "russia,ukraine"], "80");
    assert!(text.contains("ua-donbas-mirror-pullback") || text.contains("donbas-withdrawal"));
    let text = table(&["demands", "russia"], "80");
    for id in [
        "ru-ukraine-outside-nato",
        "ukraine-nato-membership",
        "ru-crimea-recognised",
    ] {
        assert!(text.contains(id), "{id} broken or missing:\n{text}");
    }
}

#[test]
fn columns_wraps_a_pipe_and_nothing_else_does() {
    let wide = |out: &[u8]| {
        String::from_utf8_lossy(out)
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    };
    let piped = positions()
        .args(["--as-of", "2026-02-20", "demands"])
        .output()
        .expect("run");
    assert!(wide(&piped.stdout) > 200, "a pipe is not wrapped");
    let columns = positions()
        .env("COLUMNS", "90")
        .args(["--as-of", "2026-02-20", "demands"])
        .output()
        .expect("run");
    assert!(wide(&columns.stdout) <= 90);
    // --width wins over COLUMNS.
    let both = positions()
        .env("COLUMNS", "200")
        .args(["--as-of", "2026-02-20", "--width", "100", "demands"])
        .output()
        .expect("run");
    assert!(wide(&both.stdout) <= 100);
    positions().args(["--width", "5", "parties"]).assert().code(2);
}

#[test]
fn urls_shorten_to_their_host_where_there_is_no_room() {
    let text = table(&["history"], "120");
    assert!(!text.contains("https://"), "{text}");
    // A demand's own sources keep their URLs whole (wrapped, at 80).
    let text = table(&["show", "ru-ukraine-outside-nato"], "250");
    assert!(text.contains("https://agenda.ge/en/news/2021/3902"), "{text}");
}

mod any_table {
    use positions::render::{Format, Style, render};
    use positions::view::{Cell, Table, View};
    use proptest::prelude::*;

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z]{1,12}",
            "[a-z]{2,8}(-[a-z]{2,8}){1,4}",
            "https://[a-z]{3,10}\\.org/[a-z/]{0,60}",
            "[0-9]{1,4}",
        ]
    }

    fn cell() -> impl Strategy<Value = String> {
        prop::collection::vec(word(), 0..12).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the cells, no line of a table is wider than the width it is given.
        #[test]
        fn no_line_is_wider_than_the_width(
            columns in prop::sample::subsequence(
                vec!["party", "demand", "title", "url", "source", "count", "common ground", "why"], 1..8),
            rows in prop::collection::vec(prop::collection::vec(cell(), 8), 1..30),
            width in 20usize..200,
        ) {
            let mut table = Table::new(&columns);
            for row in rows {
                table.push(row.into_iter().take(columns.len()).map(Cell::Text).collect());
            }
            let mut out = Vec::new();
            render(&View::rows(table), Format::Table, Style { color: false, width: Some(width) }, &mut out)
                .expect("render");
            let text = String::from_utf8(out).expect("UTF-8");
            for line in text.lines() {
                prop_assert!(line.chars().count() <= width, "{} > {width}: {line}", line.chars().count());
            }
        }
    }
}
