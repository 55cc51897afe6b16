//! The outputs made for other programs, checked by those programs: the HTML report in a
//! real browser (headless Chromium), the DOT graph by Graphviz, the Mermaid graph by
//! Mermaid's own parser (Node), and the JSON Schemas by an independent validator (the
//! `jsonschema` crate). Also `init`, completions and the man page.
//!
//! Chromium, Graphviz and the Mermaid parser are installed by `.ci/run`. Where one is
//! missing the test says so and passes, except under CI (`CI` set), where it fails.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::positions;
use serde_json::Value;

const SHIPPED_AS_OF: &str = "2026-01-15";
const HOSTILE: &str = "tests/fixtures/hostile-html";
const HOSTILE_AS_OF: &str = "2021-01-01";
const PAYLOAD: &str = "<img src=x onerror=\"document.title='pwned'\">";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary with a clean environment: a developer's shell cannot change the result.
fn run(args: &[&str]) -> String {
    crate::support::stdout_of(args)
}

/// A tool the test needs: its path. A test that needs a missing tool is ignored, with the
/// reason in the test summary (`build.rs` looks for the tools); under CI it runs and fails
/// here, so that a missing install step is found.
fn tool(name: &str, candidates: &[&str]) -> PathBuf {
    let found = candidates.iter().map(PathBuf::from).find(|p| p.is_file()).or_else(|| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
    });
    found.unwrap_or_else(|| panic!("{name} is not installed; .ci/run installs it"))
}

/// Run a command, killing it if it takes longer than `limit`. Its output goes to files
/// while it runs, so that a chatty tool cannot block on a full pipe.
fn run_with_limit(command: &mut Command, limit: Duration) -> Output {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (out_path, err_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let mut child = command
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).expect("stdout file"))
        .stderr(fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("the tool starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{command:?} took more than {limit:?}: {}",
                fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: fs::read(&out_path).expect("stdout"),
        stderr: fs::read(&err_path).expect("stderr"),
    }
}

// ---------------------------------------------------------------------------------------
// The report in a real browser

/// What headless Chromium made of a page: the DOM after loading, its console messages
/// and every network request the page started.
struct BrowserRun {
    dom: String,
    console: Vec<String>,
    page_requests: Vec<String>,
}

fn chromium() -> PathBuf {
    tool("chromium", &["/usr/bin/chromium", "/usr/bin/chromium-browser"])
}

/// Flags for a quiet, isolated headless browser that cannot reach the network: no
/// background services, and every host name resolves to nothing.
fn chromium_command(chromium: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().expect("the page exists").display())
}

fn load_in_browser(chromium: &Path, page: &Path) -> BrowserRun {
    let work = tempfile::tempdir().expect("a temporary directory");
    let net_log = work.path().join("net-log.json");
    let output = run_with_limit(
        chromium_command(chromium, &work.path().join("profile"))
            .args(["--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000"])
            .arg(format!("--log-net-log={}", net_log.display()))
            .arg("--dump-dom")
            .arg(file_url(page)),
        Duration::from_secs(120),
    );
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The page's console: CSP violations, failed loads and script errors all land here.
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    BrowserRun {
        dom: String::from_utf8(output.stdout).expect("UTF-8 DOM"),
        console,
        page_requests: page_requests(&net_log),
    }
}

/// URLs of the requests a `file://` page started, from Chromium's network log. The
/// browser's own background requests belong to no page and are left out.
fn page_requests(net_log: &Path) -> Vec<String> {
    let text = fs::read_to_string(net_log).expect("chromium wrote its network log");
    let log: Value = serde_json::from_str(&text).expect("the network log is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    assert!(start_job.is_number(), "the network log names its event types");
    log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["type"] == start_job)
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.starts_with("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .collect()
}

fn screenshot(chromium: &Path, page: &Path, width: u32, height: u32) -> Vec<u8> {
    let work = tempfile::tempdir().expect("a temporary directory");
    let png = work.path().join("shot.png");
    let output = run_with_limit(
        chromium_command(chromium, &work.path().join("profile"))
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--screenshot={}", png.display()))
            .arg(file_url(page)),
        Duration::from_secs(120),
    );
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    fs::read(&png).expect("chromium wrote the screenshot")
}

/// Width and height from a PNG's header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("four bytes"));
    (be(16), be(20))
}

fn party_names(corpus_args: &[&str]) -> Vec<String> {
    let mut args = corpus_args.to_vec();
    args.extend(["parties", "--format", "json"]);
    let parties: Value = serde_json::from_str(&run(&args)).expect("JSON");
    parties
        .as_array()
        .expect("an array")
        .iter()
        .map(|p| p["name"].as_str().expect("a name").to_string())
        .collect()
}

/// Text as the browser serialises a text node in `--dump-dom`.
fn as_dom_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[test]
#[cfg_attr(
    missing_chromium,
    ignore = "needs Chromium, which is not installed (.ci/run installs it)"
)]
fn report_loads_in_a_browser_with_no_request_and_shows_every_party() {
    let chromium = chromium();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let page = dir.path().join("report.html");
    run(&[
        "--as-of",
        SHIPPED_AS_OF,
        "report",
        "-o",
        page.to_str().expect("UTF-8 path"),
    ]);

    let loaded = load_in_browser(&chromium, &page);
    assert!(
        loaded.page_requests.is_empty(),
        "the page made requests: {:?}",
        loaded.page_requests
    );
    assert!(loaded.console.is_empty(), "the page logged: {:#?}", loaded.console);
    assert!(
        loaded
            .dom
            .contains(&format!("<title>Positions as of {SHIPPED_AS_OF}</title>")),
        "the page loaded"
    );
    let matrix_start = loaded
        .dom
        .find("<table class=\"matrix\">")
        .expect("the matrix is there");
    let matrix = &loaded.dom[matrix_start..loaded.dom[matrix_start..].find("</table>").expect("closed") + matrix_start];
    let names = party_names(&[]);
    assert_eq!(names.len(), 7);
    for name in &names {
        assert!(matrix.contains(&as_dom_text(name)), "{name} is in the matrix");
    }
    // 7 parties: 7 rows of 6 counted cells and one diagonal cell.
    assert_eq!(matrix.matches("<td class=\"heat").count(), 42);
    assert_eq!(matrix.matches("<td class=\"self\"").count(), 7);
    for section in ["parties", "matrix", "settle", "pairs", "issues", "demands"] {
        assert!(loaded.dom.contains(&format!("<section id=\"{section}\">")), "{section}");
    }

    for (width, height) in [(1280, 900), (390, 844)] {
        let png = screenshot(&chromium, &page, width, height);
        assert_eq!(png_size(&png), (width, height));
        // A blank page compresses to a few hundred bytes; a drawn one does not.
        assert!(
            png.len() > 20_000,
            "the {width}px screenshot shows something ({} bytes)",
            png.len()
        );
    }
}

#[test]
#[cfg_attr(
    missing_chromium,
    ignore = "needs Chromium, which is not installed (.ci/run installs it)"
)]
fn markup_in_corpus_text_is_shown_as_text_and_never_run() {
    let chromium = chromium();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let page = dir.path().join("hostile.html");
    run(&[
        "--corpus",
        HOSTILE,
        "--as-of",
        HOSTILE_AS_OF,
        "report",
        "-o",
        page.to_str().expect("UTF-8 path"),
    ]);

    let loaded = load_in_browser(&chromium, &page);
    let dom = &loaded.dom;
    // No script ran: the title is the report's own.
    assert!(
        dom.contains(&format!("<title>Positions as of {HOSTILE_AS_OF}</title>")),
        "the title changed: {}",
        &dom[..dom.len().min(2000)]
    );
    assert!(!dom.contains("pwned</title>"));
    // No element was injected, and nothing tried to load or run (an injected handler or
    // frame would at least have logged a Content-Security-Policy violation).
    for element in ["<img", "<script", "<iframe", "<b>equally"] {
        assert!(!dom.contains(element), "{element} was injected");
    }
    assert_eq!(dom.matches("<style").count(), 1, "only the report's own style");
    assert!(loaded.console.is_empty(), "the page logged: {:#?}", loaded.console);
    assert!(
        loaded.page_requests.is_empty(),
        "the page made requests: {:?}",
        loaded.page_requests
    );
    // The text is there, as text.
    assert!(dom.contains(&as_dom_text(PAYLOAD)), "the title is shown as text");
    assert!(dom.contains(&as_dom_text("<script>document.title='pwned'</script>Water")));
    assert!(dom.contains(&as_dom_text("Mallory <img src=x")));
    // Only the http(s) address became a link; the others are shown, not followed.
    let elements = dom.replace(&as_dom_text("<a href=\"javascript:alert(1)\">"), "");
    assert!(!elements.to_lowercase().contains("href=\"javascript:"));
    assert!(!elements.contains("href=\"data:"));
    assert!(dom.contains("href=\"https://example.org/?q="));
    assert!(dom.contains("address not linked"));
}

#[test]
fn report_honours_parties_and_date_and_writes_to_stdout() {
    let html = run(&["--as-of", "2022-03-31", "report", "--parties", "ukraine,ru"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>Positions as of 2022-03-31</title>"));
    assert!(html.contains("Content-Security-Policy"));
    let matrix = &html[html.find("<table class=\"matrix\">").expect("matrix")..];
    let matrix = &matrix[..matrix.find("</table>").expect("closed")];
    // The order asked for: Ukraine first.
    let (ua, ru) = (
        matrix.find("Ukraine").expect("ua"),
        matrix.find("Russian Federation").expect("ru"),
    );
    assert!(ua < ru);
    assert!(!matrix.contains("United States"));
    assert_eq!(matrix.matches("<td class=\"heat").count(), 2);
    // No outside reference of any kind.
    for outside in ["src=", "<link", "@import", "url(http", "<script"] {
        assert!(!html.contains(outside), "{outside}");
    }
}

// ---------------------------------------------------------------------------------------
// Graphs

fn graphviz_svg(dot_tool: &Path, dot: &str) -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = dir.path().join("graph.dot");
    fs::write(&input, dot).expect("written");
    let output = run_with_limit(Command::new(dot_tool).arg("-Tsvg").arg(&input), Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "dot refused the graph: {stderr}\n{dot}");
    assert!(!stderr.contains("Warning") && !stderr.contains("Error"), "{stderr}");
    String::from_utf8(output.stdout).expect("UTF-8 SVG")
}

#[test]
#[cfg_attr(
    missing_graphviz,
    ignore = "needs Graphviz, which is not installed (.ci/run installs it)"
)]
fn dot_is_accepted_by_graphviz() {
    let dot_tool = tool("dot", &["/usr/bin/dot"]);
    for level in ["party", "demand"] {
        let dot = run(&["--as-of", SHIPPED_AS_OF, "graph", "--level", level]);
        assert!(dot.starts_with("graph positions {"));
        let svg = graphviz_svg(&dot_tool, &dot);
        for name in party_names(&[]) {
            // Graphviz writes an apostrophe as a character reference.
            let text = as_dom_text(&name);
            assert!(
                svg.contains(&text) || svg.contains(&text.replace('\'', "&#39;")),
                "{name} at {level} level"
            );
        }
    }
    // Quotes, backslashes and markup in labels stay text.
    for level in ["party", "demand"] {
        let dot = run(&["--corpus", HOSTILE, "--as-of", HOSTILE_AS_OF, "graph", "--level", level]);
        let svg = graphviz_svg(&dot_tool, &dot);
        assert!(!svg.contains("<img") && !svg.contains("<script"), "{svg}");
        assert!(svg.contains("Mallory &lt;img src=x onerror="), "{svg}");
        assert!(svg.contains("Trent &quot;the \\ broker&quot; #lt; &amp; co"), "{svg}");
    }
}

fn mermaid_parser() -> PathBuf {
    let dir = root().join("tests/mermaid");
    assert!(
        dir.join("node_modules/mermaid").is_dir(),
        "the Mermaid parser is not installed; .ci/run runs npm ci in tests/mermaid"
    );
    tool("node", &["/usr/bin/node"]);
    dir.join("parse.mjs")
}

/// What Mermaid's parser understood of each flowchart (one Node process for all: loading
/// Mermaid takes seconds).
fn parse_mermaid(parser: &Path, texts: &[String]) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut command = Command::new("node");
    command.arg(parser);
    for (i, text) in texts.iter().enumerate() {
        let input = dir.path().join(format!("graph-{i}.mmd"));
        fs::write(&input, text).expect("written");
        command.arg(input);
    }
    let output = run_with_limit(&mut command, Duration::from_secs(120));
    assert!(
        output.status.success(),
        "Mermaid refused a graph: {}\n{texts:#?}",
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: Value = serde_json::from_slice(&output.stdout).expect("the parser prints JSON");
    parsed.as_array().expect("one result per graph").clone()
}

fn labels(parsed: &Value, what: &str) -> Vec<String> {
    parsed[what]
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| {
            v[if what == "subgraphs" { "title" } else { "label" }]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[test]
#[cfg_attr(
    missing_mermaid,
    ignore = "needs Node and Mermaid (npm ci --prefix tests/mermaid, which .ci/run runs)"
)]
fn mermaid_is_accepted_by_mermaids_parser() {
    let parser = mermaid_parser();
    let names = party_names(&[]);

    let parsed = parse_mermaid(
        &parser,
        &[
            run(&["--as-of", SHIPPED_AS_OF, "graph", "--format", "mermaid"]),
            run(&[
                "--as-of",
                SHIPPED_AS_OF,
                "graph",
                "--format",
                "mermaid",
                "--level",
                "demand",
            ]),
            run(&[
                "--corpus",
                HOSTILE,
                "--as-of",
                HOSTILE_AS_OF,
                "graph",
                "--format",
                "mermaid",
                "--level",
                "demand",
            ]),
        ],
    );
    let [party, demand, hostile] = &parsed[..] else {
        panic!("three graphs")
    };
    assert_eq!(party["type"], "flowchart-v2");
    let nodes = labels(party, "nodes");
    assert_eq!(nodes.len(), names.len());
    for (label, name) in nodes.iter().zip(&names) {
        assert!(label.starts_with(&format!("<b>{name}</b>")), "{label}");
    }
    // One edge per pair and kind of relation it has, labelled with its count.
    let matrix = run(&["--as-of", SHIPPED_AS_OF, "matrix", "--format", "csv"]);
    let mut expected_labels: Vec<String> = Vec::new();
    for line in matrix.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        for (kind, n) in ["overlap", "conflict", "irreconcilable"].iter().zip(&cells[2..5]) {
            if *n != "0" {
                expected_labels.push(format!("{n} {kind}"));
            }
        }
    }
    let edges = party["edges"].as_array().expect("edges");
    let drawn: Vec<String> = edges
        .iter()
        .map(|e| e["label"].as_str().expect("a label").to_string())
        .collect();
    assert_eq!(drawn, expected_labels);
    for edge in edges {
        let label = edge["label"].as_str().expect("a label");
        let stroke = edge["stroke"].as_str().expect("a stroke");
        let expected = if label.ends_with(" irreconcilable") {
            "thick"
        } else if label.ends_with(" conflict") {
            "normal"
        } else {
            "dotted"
        };
        assert_eq!(stroke, expected, "{label}");
    }

    assert_eq!(labels(demand, "subgraphs"), names);
    let pairs = run(&["--as-of", SHIPPED_AS_OF, "pairs", "--format", "csv"]);
    assert_eq!(
        demand["edges"].as_array().expect("edges").len(),
        pairs.lines().count() - 1
    );

    // Hostile labels come back exactly as written, as text.
    let titles = labels(hostile, "subgraphs");
    assert_eq!(
        titles,
        [
            format!("Mallory {PAYLOAD}"),
            "Trent \"the \\ broker\" #lt; & co".to_string()
        ]
    );
    let nodes = labels(hostile, "nodes");
    assert!(nodes[0].ends_with(&format!("<br>{PAYLOAD}")), "{}", nodes[0]);
    assert!(
        nodes[1].ends_with("<br>Share \"the\" river; a -> b | c {d} `e` \\N #quot;"),
        "{}",
        nodes[1]
    );
    assert_eq!(hostile["edges"].as_array().expect("edges").len(), 1);
}

/// Mermaid's own renderer in a real browser, as a Markdown host draws a ```mermaid block,
/// with the loosest security level (labels as HTML) so that only our escaping stands
/// between a corpus title and the page.
#[test]
#[cfg_attr(
    missing_mermaid,
    ignore = "needs Node and Mermaid (npm ci --prefix tests/mermaid, which .ci/run runs)"
)]
#[cfg_attr(
    all(missing_chromium, not(missing_mermaid)),
    ignore = "needs Chromium, which is not installed (.ci/run installs it)"
)]
fn mermaid_draws_labels_as_text_in_a_browser() {
    mermaid_parser();
    let chromium = chromium();
    let mermaid_js = fs::read_to_string(root().join("tests/mermaid/node_modules/mermaid/dist/mermaid.min.js"))
        .expect("Mermaid's browser bundle");
    assert!(!mermaid_js.contains("</script"), "the bundle can be inlined");
    let graphs = [
        run(&["--as-of", SHIPPED_AS_OF, "graph", "--format", "mermaid"]),
        run(&[
            "--corpus",
            HOSTILE,
            "--as-of",
            HOSTILE_AS_OF,
            "graph",
            "--format",
            "mermaid",
            "--level",
            "demand",
        ]),
    ];
    let graphs_js = serde_json::to_string(&graphs).expect("JSON").replace("</", "<\\/");
    let page = format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>waiting</title></head><body><div id="out"></div>
<script>{mermaid_js}</script>
<script>
mermaid.initialize({{ startOnLoad: false, securityLevel: 'loose' }});
(async () => {{
  try {{
    let i = 0;
    for (const text of {graphs_js}) {{
      const {{ svg }} = await mermaid.render('graph' + i++, text);
      const div = document.createElement('div');
      div.innerHTML = svg;
      document.getElementById('out').appendChild(div);
    }}
    if (document.title === 'waiting') document.title = 'rendered';
  }} catch (error) {{
    document.title = 'error: ' + error.message;
  }}
}})();
</script></body></html>"#
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("mermaid.html");
    fs::write(&path, page).expect("written");
    let loaded = load_in_browser(&chromium, &path);
    let dom = &loaded.dom;
    let title = dom
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or("");
    assert_eq!(title, "rendered", "Mermaid drew both graphs");
    // What Mermaid drew: the output element, before the inline scripts.
    let start = dom.find("<div id=\"out\">").expect("the output element");
    let dom = &dom[start..start + dom[start..].find("<script>").expect("the scripts follow")];
    assert_eq!(dom.matches("<svg").count(), 2);
    assert!(loaded.page_requests.is_empty(), "{:?}", loaded.page_requests);
    for name in party_names(&[]) {
        assert!(dom.contains(&as_dom_text(&name)), "{name}");
    }
    assert!(dom.contains(" irreconcilable</"), "edge labels are drawn");
    // The hostile titles are drawn as text; nothing was injected or run.
    assert!(!dom.contains("<img"), "an element was injected");
    assert!(dom.contains(&as_dom_text(PAYLOAD)), "the payload is shown as text");
    assert!(dom.contains(&as_dom_text("Trent \"the \\ broker\" #lt; & co")));
    assert!(dom.contains(&as_dom_text("Share \"the\" river; a -> b | c {d} `e` \\N #quot;")));
}

#[test]
fn graph_formats_other_than_dot_and_mermaid_are_usage_errors() {
    for args in [
        &["graph", "--format", "csv"][..],
        &["--format", "dot", "parties"],
        &["--format", "mermaid", "diff", "ru", "ua"],
        &["report", "--format", "json"],
        &["--format", "csv", "completions", "bash"],
    ] {
        let output = positions().args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("error:"), "{args:?}");
    }
}

// ---------------------------------------------------------------------------------------
// JSON Schemas

const KINDS: [&str; 4] = ["issues", "party", "relations", "plan"];

fn schema(kind: &str) -> Value {
    serde_json::from_str(&run(&["schema", kind])).expect("a schema is JSON")
}

fn validator(kind: &str) -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema(kind))
        .expect("a valid draft-7 schema")
}

/// Which schema a corpus file is checked against, by its place in the corpus.
fn kind_of(corpus: &Path, file: &Path) -> &'static str {
    let relative = file.strip_prefix(corpus).expect("inside the corpus");
    match relative.to_str().expect("UTF-8 path") {
        "issues.yaml" => "issues",
        "relations.yaml" => "relations",
        p if p.starts_with("parties/") => "party",
        _ => "plan",
    }
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for name in ["issues.yaml", "relations.yaml"] {
        if dir.join(name).is_file() {
            files.push(dir.join(name));
        }
    }
    for sub in ["parties", "plans"] {
        if let Ok(entries) = fs::read_dir(dir.join(sub)) {
            let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
            paths.sort();
            files.extend(paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "yaml")));
        }
    }
    files
}

/// The schema errors of every file of a corpus, or `None` for a file that is not YAML a
/// schema can judge (invalid UTF-8, broken syntax, several documents).
fn schema_errors(corpus: &Path) -> Vec<(PathBuf, Option<Vec<String>>)> {
    let validators: Vec<(&str, jsonschema::Validator)> = KINDS.iter().map(|k| (*k, validator(k))).collect();
    corpus_files(corpus)
        .into_iter()
        .map(|file| {
            let Ok(text) = fs::read_to_string(&file) else {
                return (file, None);
            };
            let Ok(value) = serde_saphyr::from_str::<Value>(&text) else {
                return (file, None);
            };
            let kind = kind_of(corpus, &file);
            let (_, validator) = validators.iter().find(|(k, _)| *k == kind).expect("a validator");
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            (file, Some(errors))
        })
        .collect()
}

#[test]
fn shipped_schemas_are_the_commands_output() {
    for kind in KINDS {
        let shipped = fs::read_to_string(root().join(format!("positions/schema/{kind}.json")))
            .expect("positions/schema/ holds every schema");
        assert_eq!(
            shipped,
            run(&["schema", kind]),
            "positions/schema/{kind}.json is stale: run `cargo run -- schema --dir positions/schema`"
        );
    }
}

#[test]
fn schemas_accept_every_valid_corpus() {
    let mut corpora = vec![root().join("positions")];
    for name in [
        "valid",
        "snapshot",
        "oracle-negotiation",
        "hostile-text",
        "hostile-html",
    ] {
        corpora.push(root().join("tests/fixtures").join(name));
    }
    // Corpora with warnings only are valid too.
    for entry in fs::read_dir(root().join("tests/fixtures/invalid")).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("warn-"))
        {
            corpora.push(path);
        }
    }
    for corpus in corpora {
        for (file, errors) in schema_errors(&corpus) {
            let errors = errors.unwrap_or_else(|| panic!("{} is YAML", file.display()));
            assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
        }
    }
}

#[test]
fn schemas_reject_what_the_loader_rejects_for_its_shape() {
    // Each broken fixture whose defect is the shape of a file: a key, a type, a value.
    let shape_defects = [
        "unknown-key",
        "missing-key",
        "wrong-enum",
        "wrong-type-list",
        "wrong-type-number",
        "bad-id-underscore",
        "bad-id-uppercase",
        "empty-wants",
        "no-sources",
        "issue-one-option",
        "issue-options-and-scale",
        "issue-no-outcomes",
        "invalid-date",
        "empty-file",
    ];
    let invalid = root().join("tests/fixtures/invalid");
    for name in shape_defects {
        let corpus = invalid.join(name);
        assert!(corpus.is_dir(), "{name} is a fixture");
        let loader = positions()
            .args(["--corpus", corpus.to_str().expect("UTF-8"), "check"])
            .output()
            .expect("runs");
        assert_eq!(loader.status.code(), Some(1), "the loader rejects {name}");
        let rejected: Vec<String> = schema_errors(&corpus)
            .into_iter()
            .filter(|(_, errors)| errors.as_ref().is_some_and(|e| !e.is_empty()))
            .map(|(file, errors)| format!("{}: {:?}", file.display(), errors))
            .collect();
        assert!(!rejected.is_empty(), "the schema accepts every file of {name}");
    }
}

#[test]
fn every_shipped_corpus_file_points_at_its_schema() {
    let corpus = root().join("positions");
    for file in corpus_files(&corpus) {
        let text = fs::read_to_string(&file).expect("readable");
        let first = text.lines().next().unwrap_or("");
        let kind = kind_of(&corpus, &file);
        let up = if matches!(kind, "party" | "plan") { "../" } else { "" };
        assert_eq!(
            first,
            format!("# yaml-language-server: $schema={up}schema/{kind}.json"),
            "{}",
            file.display()
        );
        let target = file.parent().expect("a folder").join(format!("{up}schema/{kind}.json"));
        assert!(target.is_file(), "{} exists", target.display());
    }
}

// ---------------------------------------------------------------------------------------
// init, completions, man

#[test]
fn init_copies_the_built_in_corpus_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let new = dir.path().join("my-corpus");
    let new_arg = new.to_str().expect("UTF-8");
    let message = run(&["init", new_arg]);
    assert!(message.contains("check"), "{message}");
    let check = run(&["--corpus", new_arg, "check"]);
    assert!(check.starts_with("ok: 7 parties"), "{check}");
    for kind in KINDS {
        assert!(new.join(format!("schema/{kind}.json")).is_file());
    }
    // The copy analyses like the original.
    assert_eq!(
        run(&[
            "--corpus",
            new_arg,
            "--as-of",
            SHIPPED_AS_OF,
            "matrix",
            "--format",
            "csv"
        ]),
        run(&["--as-of", SHIPPED_AS_OF, "matrix", "--format", "csv"])
    );
    // The copy's files validate against the schemas they point at.
    for (file, errors) in schema_errors(&new) {
        assert_eq!(errors, Some(Vec::new()), "{}", file.display());
    }

    let before = fs::read_to_string(new.join("issues.yaml")).expect("written");
    let again = positions().args(["init", new_arg]).output().expect("runs");
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("exists and is not empty"), "{stderr}");
    assert_eq!(fs::read_to_string(new.join("issues.yaml")).expect("kept"), before);

    let file = dir.path().join("a-file");
    fs::write(&file, "x").expect("written");
    let onto_file = positions()
        .args(["init", file.to_str().expect("UTF-8")])
        .output()
        .expect("runs");
    assert_eq!(onto_file.status.code(), Some(1));
    assert_eq!(fs::read_to_string(&file).expect("kept"), "x");
}

#[test]
fn init_empty_is_a_minimal_valid_corpus() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // An existing empty directory is fine.
    let arg = dir.path().to_str().expect("UTF-8");
    run(&["init", "--empty", arg]);
    let check = run(&["--corpus", arg, "check"]);
    assert!(
        check.starts_with("ok: 1 party, 1 issue, 1 demand, 0 relations"),
        "{check}"
    );
    assert!(check.contains("0 warnings"), "{check}");
    for (file, errors) in schema_errors(dir.path()) {
        assert_eq!(errors, Some(Vec::new()), "{}", file.display());
    }
}

#[test]
fn completions_for_every_shell_and_the_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = run(&["completions", shell]);
        for command in ["report", "graph", "schema", "init", "diff"] {
            assert!(script.contains(command), "{shell} completes {command}");
        }
    }
    let bash = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let script = dir.path().join("positions.bash");
    fs::write(&script, &bash).expect("written");
    let syntax = Command::new("bash").arg("-n").arg(&script).output().expect("bash runs");
    assert!(syntax.status.success(), "{}", String::from_utf8_lossy(&syntax.stderr));

    let man = run(&["man"]);
    assert!(man.contains(".TH positions 1"), "{}", &man[..man.len().min(300)]);
    for command in ["report", "graph", "schema", "init", "completions"] {
        assert!(man.contains(command), "the man page lists {command}");
    }
    let pages = dir.path().join("man1");
    run(&["man", "--dir", pages.to_str().expect("UTF-8")]);
    for page in [
        "positions.1",
        "positions-report.1",
        "positions-graph.1",
        "positions-diff.1",
    ] {
        assert!(pages.join(page).is_file(), "{page}");
    }
}
