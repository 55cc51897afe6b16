//! What the fuzz targets share: a small valid corpus to plant the fuzz input in, and a
//! driver that loads a corpus and, when it is valid, runs every command in every format
//! over it, checking the output contracts of SPEC §4 on the way (a broken contract
//! panics, so libFuzzer reports it as a crash like any other).

use clap::Parser;
use positions::cli::{Cli, Command};
use positions::cmd;
use positions::corpus::{self, CorpusFiles};
use positions::date::Date;
use positions::model::Corpus;
use positions::render::{self, Format, Style};
use positions::view::View;

/// The corpus of the snapshot tests: four issues (options and a scale), three parties,
/// asserted relations and a plan.
pub const BASE: &[(&str, &str)] = &[
    ("issues.yaml", include_str!("../../tests/fixtures/snapshot/issues.yaml")),
    (
        "parties/azure.yaml",
        include_str!("../../tests/fixtures/snapshot/parties/azure.yaml"),
    ),
    (
        "parties/crimson.yaml",
        include_str!("../../tests/fixtures/snapshot/parties/crimson.yaml"),
    ),
    (
        "parties/verdant.yaml",
        include_str!("../../tests/fixtures/snapshot/parties/verdant.yaml"),
    ),
    (
        "relations.yaml",
        include_str!("../../tests/fixtures/snapshot/relations.yaml"),
    ),
    (
        "plans/river-compact.yaml",
        include_str!("../../tests/fixtures/snapshot/plans/river-compact.yaml"),
    ),
];

/// The base corpus with the file at `path` replaced by the fuzz input.
pub fn one_file(path: &str, data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let entries = BASE.iter().map(|(p, t)| {
        let text = if *p == path { text.clone() } else { (*t).to_string() };
        (*p, text)
    });
    exercise(&CorpusFiles::from_memory("fuzz", entries));
}

/// A whole corpus from the fuzz input.
pub fn whole_corpus(data: &[u8]) {
    let files = split_corpus(data);
    let entries = files.iter().map(|(p, t)| (p.as_str(), t.clone()));
    exercise(&CorpusFiles::from_memory("fuzz", entries));
}

/// A whole corpus from the fuzz input, through the writers that stream rows as they are
/// computed (`pairs`, `matrix` at both levels: `Output::Listing` and `Output::Split`),
/// as the command line writes CSV and JSON (`render::write_to`), which `exercise`
/// collects into a table instead. Each streamed output must parse, keep the CSV
/// contract, and hold the same rows as the collected table rendered in one piece.
pub fn streamed(data: &[u8]) {
    let files = split_corpus(data);
    let entries = files.iter().map(|(p, t)| (p.as_str(), t.clone()));
    let files = CorpusFiles::from_memory("fuzz", entries);
    let loaded = corpus::load(&files);
    let Some(corpus) = &loaded.corpus else {
        return;
    };
    let parties: Vec<&str> = corpus.parties.iter().rev().map(|p| p.id.as_str()).collect();
    let reversed = parties.join(",");
    let lines: Vec<Vec<&str>> = vec![
        vec!["pairs"],
        vec!["pairs", "--relation", "conflict"],
        vec!["pairs", "--parties", &reversed],
        vec!["matrix"],
        vec!["matrix", "--parties", &reversed],
        vec!["matrix", "--level", "demand"],
    ];
    for date in dates(corpus) {
        let env = cmd::Env::with_corpus(corpus, date);
        for args in &lines {
            let argv = std::iter::once("positions").chain(args.iter().copied());
            let cli = Cli::try_parse_from(argv)
                .unwrap_or_else(|err| panic!("the driver built a bad command line {args:?}: {err}"));
            let what = args.join(" ");
            for format in [Format::Csv, Format::Json] {
                let settings = render::Settings {
                    format,
                    style: Style {
                        color: false,
                        width: None,
                    },
                    caption: None,
                    target: None,
                };
                let mut out = Vec::new();
                let written = cmd::run(&env, &cli.command)
                    .map_err(|err| err.to_string())
                    .and_then(|output| render::write_to(output, &settings, &mut out).map_err(|err| err.to_string()));
                if let Err(err) = written {
                    assert_terminal_safe(&render::escape::terminal(&err), "an error");
                    continue;
                }
                let text = String::from_utf8(out).unwrap_or_else(|_| panic!("{what}: streamed output is not UTF-8"));
                let collected = collected(&env, &cli.command, format);
                match format {
                    Format::Json => {
                        let value: serde_json::Value = serde_json::from_str(&text)
                            .unwrap_or_else(|err| panic!("{what}: invalid streamed JSON ({err}):\n{text}"));
                        if let Some(collected) = collected {
                            let expected: serde_json::Value = serde_json::from_str(&collected)
                                .unwrap_or_else(|err| panic!("{what}: invalid JSON ({err}):\n{collected}"));
                            assert_eq!(value, expected, "{what}: streamed and collected JSON differ");
                        }
                    }
                    _ => {
                        assert_csv_defused(&text, &what);
                        if let Some(collected) = collected {
                            assert_eq!(text, collected, "{what}: streamed and collected CSV differ");
                        }
                    }
                }
            }
        }
    }
}

/// The rows of a streaming command collected into a table first, then rendered whole.
fn collected(env: &cmd::Env, command: &Command, format: Format) -> Option<String> {
    let rows = match cmd::run(env, command).ok()? {
        cmd::Output::Listing(rows) | cmd::Output::Split { rows, .. } => rows,
        _ => return None,
    };
    let mut table = positions::view::Table::default();
    rows(&mut table).ok()?;
    Some(rendered(
        &View::rows(table),
        format,
        Style {
            color: false,
            width: None,
        },
    ))
}

/// Files separated by NUL bytes (which YAML text never holds), each its path relative to
/// the corpus, a newline, then its text. At most 16 files.
pub fn split_corpus(data: &[u8]) -> Vec<(String, String)> {
    data.split(|&b| b == 0)
        .filter_map(|part| {
            let text = String::from_utf8_lossy(part);
            let (path, body) = text.split_once('\n')?;
            Some((path.trim().to_string(), body.to_string()))
        })
        .take(16)
        .collect()
}

/// The inverse of `split_corpus`, to make seeds.
pub fn join_corpus(files: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (index, (path, text)) in files.iter().enumerate() {
        if index > 0 {
            out.push(0);
        }
        out.extend_from_slice(path.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(text.as_bytes());
    }
    out
}

/// Load, run `check`, and when the corpus is valid every command in every format.
pub fn exercise(files: &CorpusFiles) {
    let loaded = corpus::load(files);
    for diagnostic in &loaded.diagnostics.items {
        assert_terminal_safe(&render::diagnostic::with_source(files, diagnostic), "a diagnostic");
    }
    render_all(&cmd::check::view(files, &loaded), "check");
    let Some(corpus) = &loaded.corpus else {
        return;
    };
    let lines = command_lines(corpus);
    for date in dates(corpus) {
        let env = cmd::Env::with_corpus(corpus, date);
        for args in &lines {
            PARSED.with_borrow_mut(|parsed| {
                // clap takes longer to parse a command line than the command takes to
                // run: parse each once.
                let cli = parsed.entry(args.clone()).or_insert_with(|| {
                    let argv = std::iter::once("positions").chain(args.iter().map(String::as_str));
                    Cli::try_parse_from(argv)
                        .unwrap_or_else(|err| panic!("the driver built a bad command line {args:?}: {err}"))
                });
                let what = args.join(" ");
                match &cli.command {
                    Command::Report(args) => document(&what, |out| {
                        let report = cmd::report::build(&env.context()?, args, &env.origin())?;
                        Ok(render::html::render(&report, out)?)
                    }),
                    Command::Graph(args) => document(&what, |out| {
                        let graph = cmd::graph::build(&env.context()?, args)?;
                        render::graph::dot(&graph, &mut *out)?;
                        Ok(render::graph::mermaid(&graph, out)?)
                    }),
                    command => match cmd::run(&env, command) {
                        Ok(output) => render_all_output(output, command, &what),
                        // A user error (an unknown name): its message reaches the terminal.
                        Err(err) => assert_terminal_safe(&render::escape::terminal(&format!("{err:#}")), "an error"),
                    },
                }
            });
        }
    }
}

/// An output in every format it has: a view (or a listing, collected into one) as
/// `render_all` checks it.
fn render_all_output(output: cmd::Output, command: &Command, what: &str) {
    match output {
        cmd::Output::View(view) => render_all(&view, what),
        cmd::Output::Listing(listing) => {
            let mut table = positions::view::Table::default();
            match listing(&mut table) {
                Ok(()) => render_all(&View::rows(table), what),
                Err(err) => assert_terminal_safe(&render::escape::terminal(&format!("{err:#}")), "an error"),
            }
        }
        cmd::Output::Split { human, rows } => {
            match human() {
                Ok(view) => render_all(&view, what),
                Err(err) => assert_terminal_safe(&render::escape::terminal(&format!("{err:#}")), "an error"),
            }
            render_all_output(cmd::Output::Listing(rows), command, what);
        }
        _ => panic!("{what}: {command:?} made an output the driver does not expect"),
    }
}

thread_local! {
    static PARSED: std::cell::RefCell<std::collections::HashMap<Vec<String>, Cli>> = Default::default();
}

/// The median of the dates demands were stated: some demands are then active, some
/// withdrawn, some not yet stated. One date keeps the target fast.
fn dates(corpus: &Corpus) -> Vec<Date> {
    let mut stated: Vec<Date> = corpus.demands.iter().map(|d| d.stated).collect();
    stated.sort();
    let fixed: Date = "2021-06-01".parse().expect("a valid date");
    vec![stated.get(stated.len() / 2).copied().unwrap_or(fixed)]
}

fn command_lines(corpus: &Corpus) -> Vec<Vec<String>> {
    let parties: Vec<&str> = corpus.parties.iter().map(|p| p.id.as_str()).collect();
    let demands: Vec<&str> = corpus.demands.iter().map(|d| d.id.as_str()).collect();
    let issues: Vec<&str> = corpus.issues.iter().map(|i| i.id.as_str()).collect();
    let plans: Vec<&str> = corpus.plans.iter().map(|p| p.id.as_str()).collect();
    let first = |v: &[&str]| v.first().map_or("nothing".to_string(), |s| s.to_string());
    let last = |v: &[&str]| v.last().map_or("nothing".to_string(), |s| s.to_string());
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut lines: Vec<Vec<String>> = [
        &["parties"][..],
        &["issues"],
        &["demands"],
        &["demands", "--all"],
        &["demands", "--match", "(?i)the|line"],
        &["matrix"],
        &["matrix", "--level", "demand"],
        &["pairs"],
        &["pairs", "--relation", "overlap"],
        &["history"],
        &["align", "--at", "2020-01-01,2023-06-30"],
        &["changes", "--from", "2020-01-01"],
        &["report"],
        &["graph", "--level", "demand"],
        &["diff", "no-such-party", "nor-this-one"],
        &["show", "no-such-demand"],
    ]
    .iter()
    .map(|l| owned(l))
    .collect();
    let (p0, p1) = (first(&parties), last(&parties));
    let reversed: Vec<&str> = parties.iter().rev().copied().collect();
    lines.push(vec!["diff".into(), p0.clone(), p1.clone()]);
    lines.push(vec!["diff".into(), p1.clone(), p0.clone()]);
    lines.push(vec!["matrix".into(), "--parties".into(), reversed.join(",")]);
    lines.push(vec!["pairs".into(), "--parties".into(), reversed.join(",")]);
    lines.push(vec![
        "demands".into(),
        p0.clone(),
        "--issue".into(),
        first(&issues),
        "--priority".into(),
        "red-line".into(),
    ]);
    lines.push(vec!["history".into(), p1, "--issue".into(), last(&issues)]);
    for issue in issues.iter().take(4) {
        lines.push(vec!["issue".into(), issue.to_string()]);
    }
    for demand in demands.iter().take(4) {
        lines.push(vec!["show".into(), demand.to_string()]);
    }
    for (i, a) in demands.iter().enumerate().take(3) {
        for b in demands.iter().skip(i + 1).take(2) {
            lines.push(vec!["explain".into(), a.to_string(), b.to_string()]);
        }
    }
    for plan in plans.iter().take(3) {
        lines.push(vec!["plan".into(), plan.to_string()]);
        lines.push(vec!["plan".into(), plan.to_string(), "--plan-date".into()]);
    }
    lines
}

/// Render a view in every format and check what SPEC §4 promises of each.
pub fn render_all(view: &View, what: &str) {
    let plain = Style {
        color: false,
        width: None,
    };
    let table = rendered(view, Format::Table, plain);
    assert_terminal_safe(&table, what);
    let markdown = rendered(view, Format::Markdown, plain);
    assert_terminal_safe(&markdown, what);
    if what.starts_with("pairs") || what.starts_with("show") || what.starts_with("issue ") {
        // Coloured and wrapped: only that it renders.
        let _ = rendered(
            view,
            Format::Table,
            Style {
                color: true,
                width: Some(60),
            },
        );
    }
    let json = rendered(view, Format::Json, plain);
    if let Err(err) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("{what}: invalid JSON ({err}):\n{json}");
    }
    let csv = rendered(view, Format::Csv, plain);
    assert_csv_defused(&csv, what);
}

fn rendered(view: &View, format: Format, style: Style) -> String {
    let mut out = Vec::new();
    render::render(view, format, style, &mut out).expect("rendering into memory cannot fail");
    String::from_utf8(out).expect("output is UTF-8")
}

/// A document of its own (the HTML report, a graph as DOT and Mermaid): made without
/// error, or a clean error, and no control character but newline and tab in it.
fn document(what: &str, produce: impl FnOnce(&mut Vec<u8>) -> anyhow::Result<()>) {
    let mut out = Vec::new();
    match produce(&mut out) {
        Ok(()) => {
            let text = String::from_utf8(out).expect("a document is UTF-8");
            assert_terminal_safe(&text.replace('\t', " "), what);
        }
        Err(err) => assert_terminal_safe(&render::escape::terminal(&format!("{err:#}")), "an error"),
    }
}

/// No control character but the newline, and no bidirectional control, reaches a terminal.
pub fn assert_terminal_safe(text: &str, what: &str) {
    if let Some(c) = text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        panic!("{what}: control character {c:?} in output meant for a terminal:\n{text:?}");
    }
}

/// Every CSV cell that a spreadsheet would run as a formula is defused.
pub fn assert_csv_defused(text: &str, what: &str) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.unwrap_or_else(|err| panic!("{what}: unreadable CSV ({err}):\n{text}"));
        for cell in record.iter() {
            if let Some(c @ ('=' | '+' | '-' | '@' | '\t' | '\r')) = cell.chars().next() {
                panic!("{what}: CSV cell starts with {c:?}: {cell:?}");
            }
        }
    }
}
