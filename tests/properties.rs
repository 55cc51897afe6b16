//! Properties of the comparison over random valid corpora (proptest; failures are kept
//! in `proptest-regressions/properties.txt`, committed):
//!
//! * a pair's relation does not depend on which party is named first;
//! * the `matrix` counts are the counts of `pairs`;
//! * `diff A B` lists exactly the pairs of A and B;
//! * the order in which party files are read changes nothing, in any command;
//! * `--as-of` before every `stated` date yields no pairs.
//!
//! The corpora are built in memory and run through the library, as the command line
//! does (`positions::command_view`); `party_file_order_on_disk_changes_nothing` checks
//! the binary reading real directories.

use std::collections::BTreeMap;

use clap::Parser;
use positions::cli::Cli;
use positions::cmd::Env;
use positions::corpus::{self, CorpusFiles};
use positions::date::Date;
use positions::render::{self, Format, Settings, Style};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::FileFailurePersistence;

const PARTY_IDS: &[&str] = &["alpha", "bravo", "charlie", "delta", "echo"];

#[derive(Debug, Clone)]
enum Kind {
    Options(usize),
    Scale,
}

#[derive(Debug, Clone)]
struct Demand {
    issue: usize,
    /// Option indices, or a (min, max) range on the 0..100 scale.
    wants: Outcome,
    accepts: Outcome,
    red_line: bool,
    stated: u32,
    until: Option<u32>,
}

#[derive(Debug, Clone)]
enum Outcome {
    Options(Vec<usize>),
    Range(u32, u32),
}

/// An asserted relation: two (party index, demand index) ends and a kind 0..3.
type Asserted = ((usize, usize), (usize, usize), usize);

#[derive(Debug, Clone)]
struct Model {
    issues: Vec<Kind>,
    /// (party id, its demands)
    parties: Vec<(&'static str, Vec<Demand>)>,
    relations: Vec<Asserted>,
}

/// Day `n` of 2020 (kept to the 28th of each month, so every n maps to a real date).
fn day(n: u32) -> String {
    format!("2020-{:02}-{:02}", n / 28 % 12 + 1, n % 28 + 1)
}

fn outcome_strategy(kind: &Kind) -> BoxedStrategy<(Outcome, Outcome)> {
    match kind {
        Kind::Options(n) => {
            let n = *n;
            (
                prop::sample::subsequence((0..n).collect::<Vec<_>>(), 1..=n),
                prop::sample::subsequence((0..n).collect::<Vec<_>>(), 0..=n),
            )
                .prop_map(|(wants, extra)| {
                    let mut accepts = wants.clone();
                    accepts.extend(extra);
                    accepts.sort_unstable();
                    accepts.dedup();
                    (Outcome::Options(wants), Outcome::Options(accepts))
                })
                .boxed()
        }
        Kind::Scale => (0u32..=100, 0u32..=100, 0u32..=20, 0u32..=20)
            .prop_map(|(a, b, below, above)| {
                let (lo, hi) = (a.min(b), a.max(b));
                (
                    Outcome::Range(lo, hi),
                    Outcome::Range(lo.saturating_sub(below), (hi + above).min(100)),
                )
            })
            .boxed(),
    }
}

fn model() -> impl Strategy<Value = Model> {
    let issues = prop::collection::vec(
        prop_oneof![(2usize..=4).prop_map(Kind::Options), Just(Kind::Scale)],
        1..=4,
    );
    (issues, prop::sample::subsequence(PARTY_IDS.to_vec(), 2..=4))
        .prop_flat_map(|(issues, ids)| {
            let demand = {
                let issues = issues.clone();
                (0..issues.len()).prop_flat_map(move |issue| {
                    (
                        outcome_strategy(&issues[issue]),
                        any::<bool>(),
                        0u32..300,
                        prop::option::of(1u32..120),
                    )
                        .prop_map(move |((wants, accepts), red_line, stated, span)| Demand {
                            issue,
                            wants,
                            accepts,
                            red_line,
                            stated,
                            until: span.map(|s| (stated + s).min(335)).filter(|&u| u > stated),
                        })
                })
            };
            let parties = ids
                .into_iter()
                .map(|id| prop::collection::vec(demand.clone(), 0..=4).prop_map(move |demands| (id, demands)))
                .collect::<Vec<_>>();
            let relation = (0usize..5, 0usize..5, 0usize..5, 0usize..5, 0usize..3);
            (Just(issues), parties, prop::collection::vec(relation, 0..4))
        })
        .prop_map(|(issues, parties, raw_relations)| {
            // Keep the relations that link demands of different parties on different
            // issues, each pair once.
            let mut relations = Vec::new();
            for (pa, da, pb, db, kind) in raw_relations {
                let (pa, pb) = (pa % parties.len(), pb % parties.len());
                if pa == pb || parties[pa].1.is_empty() || parties[pb].1.is_empty() {
                    continue;
                }
                let (da, db) = (da % parties[pa].1.len(), db % parties[pb].1.len());
                if parties[pa].1[da].issue == parties[pb].1[db].issue {
                    continue;
                }
                let key = |a: (usize, usize), b: (usize, usize)| if a < b { (a, b) } else { (b, a) };
                if relations.iter().any(|&(x, y, _)| key(x, y) == key((pa, da), (pb, db))) {
                    continue;
                }
                relations.push(((pa, da), (pb, db), kind));
            }
            Model {
                issues,
                parties,
                relations,
            }
        })
}

fn outcome_yaml(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Options(ids) => format!(
            "[{}]",
            ids.iter().map(|i| format!("o{i}")).collect::<Vec<_>>().join(", ")
        ),
        Outcome::Range(lo, hi) => format!("{{min: {lo}, max: {hi}}}"),
    }
}

fn demand_id(party: &str, index: usize) -> String {
    format!("{party}-d{index}")
}

/// The corpus files: (relative path, text), party files in model order.
fn files(model: &Model) -> Vec<(String, String)> {
    let mut issues = String::from("issues:\n");
    for (i, kind) in model.issues.iter().enumerate() {
        issues.push_str(&format!(
            "  - id: issue-{i}\n    title: Issue {i}\n    category: other\n"
        ));
        match kind {
            Kind::Options(n) => {
                issues.push_str("    options:\n");
                for o in 0..*n {
                    issues.push_str(&format!("      - id: o{o}\n        label: Option {o}\n"));
                }
            }
            Kind::Scale => issues.push_str("    scale: {unit: troops, min: 0, max: 100}\n"),
        }
    }
    let mut out = vec![("issues.yaml".to_string(), issues)];
    for (id, demands) in &model.parties {
        let mut text = format!("party:\n  id: {id}\n  name: Party {id}\n  kind: state\ndemands:\n");
        if demands.is_empty() {
            text = format!("party:\n  id: {id}\n  name: Party {id}\n  kind: state\ndemands: []\n");
        }
        for (k, d) in demands.iter().enumerate() {
            text.push_str(&format!(
                "  - id: {}\n    issue: issue-{}\n    title: Demand {k}\n    wants: {}\n    accepts: {}\n    priority: {}\n    stated: {}\n",
                demand_id(id, k),
                d.issue,
                outcome_yaml(&d.wants),
                outcome_yaml(&d.accepts),
                if d.red_line { "red-line" } else { "high" },
                day(d.stated),
            ));
            if let Some(until) = d.until {
                text.push_str(&format!("    until: {}\n", day(until)));
            }
            text.push_str(&format!(
                "    sources:\n      - {{title: Statement, by: Someone, date: {}, url: https://example.org}}\n",
                day(d.stated)
            ));
        }
        out.push((format!("parties/{id}.yaml"), text));
    }
    let mut relations = String::from("relations:\n");
    for ((pa, da), (pb, db), kind) in &model.relations {
        relations.push_str(&format!(
            "  - between: [{}, {}]\n    kind: {}\n    rationale: Linked.\n",
            demand_id(model.parties[*pa].0, *da),
            demand_id(model.parties[*pb].0, *db),
            ["overlap", "conflict", "irreconcilable"][*kind]
        ));
    }
    if model.relations.is_empty() {
        relations = "relations: []\n".into();
    }
    out.push(("relations.yaml".to_string(), relations));
    out
}

struct Loaded {
    corpus: positions::model::Corpus,
}

fn load(files: &[(String, String)]) -> Loaded {
    let entries = files.iter().map(|(p, t)| (p.as_str(), t.clone()));
    let loaded = corpus::load(&CorpusFiles::from_memory("corpus", entries));
    let errors: Vec<String> = loaded
        .diagnostics
        .items
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect();
    assert!(
        errors.is_empty(),
        "the generated corpus is invalid: {errors:?}\n{files:#?}"
    );
    Loaded {
        corpus: loaded.corpus.expect("valid"),
    }
}

/// One command's output in one format, as the command line would print it.
fn output(loaded: &Loaded, date: Date, args: &[&str], format: Format) -> String {
    let cli = Cli::try_parse_from(std::iter::once("positions").chain(args.iter().copied())).expect("arguments");
    let env = Env::with_corpus(&loaded.corpus, date);
    let output = match positions::cmd::run(&env, &cli.command) {
        Ok(output) => output,
        Err(err) => return format!("error: {err:#}"),
    };
    let mut out = Vec::new();
    let settings = Settings {
        format,
        style: Style {
            color: false,
            width: None,
        },
        target: None,
        caption: None,
    };
    render::write_to(output, &settings, &mut out).expect("render");
    String::from_utf8(out).expect("UTF-8")
}

/// CSV rows without the header, as field vectors.
fn rows(csv: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    reader
        .records()
        .map(|r| r.expect("CSV").iter().map(str::to_string).collect())
        .collect()
}

fn date(n: u32) -> Date {
    day(n).parse().expect("date")
}

/// A pair of `pairs` CSV as order-free facts: the two demands (sorted), relation, basis,
/// common ground.
fn pair_facts(rows: &[Vec<String>]) -> Vec<(String, String, String, String, String)> {
    let mut facts: Vec<_> = rows
        .iter()
        .map(|r| {
            let (a, b) = if r[1] < r[4] { (&r[1], &r[4]) } else { (&r[4], &r[1]) };
            (a.clone(), b.clone(), r[6].clone(), r[7].clone(), r[8].clone())
        })
        .collect();
    facts.sort();
    facts
}

fn party_ids(model: &Model) -> Vec<&'static str> {
    let mut ids: Vec<&str> = model.parties.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        // Failures are kept, and committed, in proptest-regressions/ at the crate root.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/properties.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn relation_does_not_depend_on_party_order(model in model(), on in 0u32..336) {
        let loaded = load(&files(&model));
        let ids = party_ids(&model);
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                let ab = rows(&output(&loaded, date(on), &["pairs", "--parties", &format!("{a},{b}")], Format::Csv));
                let ba = rows(&output(&loaded, date(on), &["pairs", "--parties", &format!("{b},{a}")], Format::Csv));
                prop_assert_eq!(pair_facts(&ab), pair_facts(&ba));
                // And per pair of demands, `explain` both ways.
                for row in ab.iter().take(3) {
                    let there = output(&loaded, date(on), &["explain", &row[1], &row[4]], Format::Csv);
                    let back = output(&loaded, date(on), &["explain", &row[4], &row[1]], Format::Csv);
                    let (there, back) = (rows(&there), rows(&back));
                    prop_assert_eq!(&there[0][2..5], &back[0][2..5]);
                    prop_assert_eq!(&there[0][2], &row[6]);
                }
            }
        }
    }

    #[test]
    fn matrix_counts_are_the_counts_of_pairs(model in model(), on in 0u32..336) {
        let loaded = load(&files(&model));
        let pairs = rows(&output(&loaded, date(on), &["pairs"], Format::Csv));
        let mut counted: BTreeMap<(String, String), [usize; 3]> = BTreeMap::new();
        for row in &pairs {
            let kind = ["overlap", "conflict", "irreconcilable"].iter().position(|k| *k == row[6]).expect("relation");
            counted.entry((row[0].clone(), row[3].clone())).or_default()[kind] += 1;
        }
        let matrix = rows(&output(&loaded, date(on), &["matrix"], Format::Csv));
        let ids = party_ids(&model);
        prop_assert_eq!(matrix.len(), ids.len() * (ids.len() - 1) / 2);
        for row in &matrix {
            let counts = counted.remove(&(row[0].clone(), row[1].clone())).unwrap_or_default();
            let shown: Vec<usize> = row[2..5].iter().map(|n| n.parse().expect("count")).collect();
            prop_assert_eq!(shown, counts.to_vec(), "{} / {}", &row[0], &row[1]);
        }
        prop_assert!(counted.is_empty(), "pairs of parties missing from the matrix: {:?}", counted);
    }

    #[test]
    fn diff_lists_exactly_the_pairs_of_a_and_b(model in model(), on in 0u32..336) {
        let loaded = load(&files(&model));
        let ids = party_ids(&model);
        for a in &ids {
            for b in &ids {
                if a == b {
                    continue;
                }
                let diff = rows(&output(&loaded, date(on), &["diff", a, b], Format::Csv));
                // diff: issue,party_a,demand_a,party_b,demand_b,relation,basis,common_ground,shared_goal
                let mut listed: Vec<_> = diff
                    .iter()
                    .filter(|r| r[5] != "unmatched")
                    .map(|r| {
                        let (x, y) = if r[2] < r[4] { (&r[2], &r[4]) } else { (&r[4], &r[2]) };
                        (x.clone(), y.clone(), r[5].clone(), r[6].clone(), r[7].clone())
                    })
                    .collect();
                listed.sort();
                let pairs = rows(&output(&loaded, date(on), &["pairs", "--parties", &format!("{a},{b}")], Format::Csv));
                prop_assert_eq!(listed, pair_facts(&pairs), "diff {} {}", a, b);
            }
        }
    }

    #[test]
    fn party_file_order_changes_nothing(model in model(), on in 0u32..336, seed in any::<u64>()) {
        let files = files(&model);
        let mut shuffled = files.clone();
        // A Fisher–Yates shuffle of the party files only (issues first, relations last).
        let parties = &mut shuffled[1..files.len() - 1];
        let mut state = seed;
        for i in (1..parties.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            parties.swap(i, (state >> 33) as usize % (i + 1));
        }
        let (one, two) = (load(&files), load(&shuffled));
        let ids = party_ids(&model);
        let first_demand = demand_id(model.parties[0].0, 0);
        let commands: Vec<Vec<&str>> = vec![
            vec!["parties"],
            vec!["issues"],
            vec!["demands", "--all"],
            vec!["pairs"],
            vec!["matrix"],
            vec!["matrix", "--level", "demand"],
            vec!["diff", ids[0], ids[1]],
            vec!["issue", "issue-0"],
            vec!["history"],
            vec!["show", &first_demand],
        ];
        for args in &commands {
            for format in [Format::Table, Format::Csv, Format::Json, Format::Markdown] {
                prop_assert_eq!(
                    output(&one, date(on), args, format),
                    output(&two, date(on), args, format),
                    "{:?} {:?}", args, format
                );
            }
        }
    }

    #[test]
    fn as_of_before_every_stated_date_yields_no_pairs(model in model()) {
        let loaded = load(&files(&model));
        let before: Date = "2019-12-31".parse().expect("date");
        prop_assert!(rows(&output(&loaded, before, &["pairs"], Format::Csv)).is_empty());
        for row in rows(&output(&loaded, before, &["matrix"], Format::Csv)) {
            prop_assert_eq!(&row[2..5], &["0", "0", "0"]);
        }
        prop_assert!(rows(&output(&loaded, before, &["demands"], Format::Csv)).is_empty());
    }
}

/// The binary reading real directories: the same corpus written with its party files
/// created in opposite orders (directory order differs on most file systems) gives
/// byte-identical output; so does a run on one CPU (`taskset`), where the party files are
/// parsed by one thread instead of several.
#[test]
fn party_file_order_on_disk_changes_nothing() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let model = std::iter::repeat_with(|| model().new_tree(&mut runner).expect("a model").current())
        .find(|m| m.parties.len() >= 4 && m.parties.iter().all(|(_, d)| !d.is_empty()))
        .expect("a model with four parties");
    let files = files(&model);
    let write = |order: &mut dyn Iterator<Item = &(String, String)>| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("parties")).expect("mkdir");
        for (path, text) in order {
            std::fs::write(dir.path().join(path), text).expect("write");
        }
        dir
    };
    let (forward, backward) = (write(&mut files.iter()), write(&mut files.iter().rev()));
    let one_cpu = std::process::Command::new("taskset")
        .args(["-c", "0", "true"])
        .status()
        .is_ok_and(|s| s.success());
    for args in [
        &["pairs"][..],
        &["matrix"],
        &["demands", "--all"],
        &["issues"],
        &["check"],
    ] {
        let run = |dir: &tempfile::TempDir, pinned: bool| {
            let mut cmd = if pinned {
                let mut cmd = std::process::Command::new("taskset");
                cmd.args(["-c", "0"]).arg(env!("CARGO_BIN_EXE_positions"));
                cmd
            } else {
                std::process::Command::new(env!("CARGO_BIN_EXE_positions"))
            };
            let output = crate::support::scrub(&mut cmd)
                .arg("--corpus")
                .arg(dir.path())
                .args(["--as-of", "2020-06-30", "--format", "csv"])
                .args(args)
                .output()
                .expect("runs");
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            // `check` names the corpus directory, which differs.
            String::from_utf8(output.stdout)
                .expect("UTF-8")
                .replace(&dir.path().display().to_string(), "CORPUS")
        };
        let expected = run(&forward, false);
        assert_eq!(expected, run(&backward, false), "{args:?}");
        if one_cpu {
            assert_eq!(expected, run(&backward, true), "{args:?} on one CPU");
        }
    }
}
