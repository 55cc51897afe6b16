//! Side-by-side measurement of serde YAML crates for the positions corpus loader.
//!
//!   yaml-crates-bench gen DIR                      write the inputs
//!   yaml-crates-bench parse CRATE FILE [MODE]      one parse in this process (the child)
//!   yaml-crates-bench report DIR                   run every case in child processes and
//!                                                  print a Markdown report on stdout
//!
//! CRATE: serde_yaml_ng | yaml_serde | serde-saphyr | serde-saphyr-default | serde-saphyr-scalar1g
//! MODE:  typed (default) | generic (BTreeMap<String, String>) | ignored (IgnoredAny) | budget-report

mod inputs;
mod model;
mod report;

use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Instant;

use model::PartyFile;

/// The serde-saphyr options the corpus loader would use: the node/event budget raised for a
/// large corpus, depth kept small, every alias protection left at its default.
pub fn saphyr_loader_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: 50_000_000,
            max_nodes: 50_000_000,
            // max_total_scalar_bytes stays at its 64 MiB default: it also counts scalars
            // replayed through aliases, so it is what caps an alias bomb's memory.
            max_depth: 64,
            // max_aliases, max_anchors, alias/anchor ratio, max_recorded_anchor_*: defaults
        },
        // alias_limits (max_total_replayed_events 1M, replay stack 64): defaults
        // duplicate_keys: DuplicateKeyPolicy::Error (default)
    }
}

struct ErrInfo {
    display: String,
    /// serde-saphyr only: the error without its snippet wrapper.
    plain: Option<String>,
    /// serde-saphyr only: rendered with `source_name`, as the loader would.
    named: Option<String>,
    loc: Option<(u64, u64)>,
}

/// CPU time of this thread: less disturbed than wall time when other work shares the cores.
fn thread_cpu() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: valid pointer to a timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn fingerprint<T: Hash>(v: &T) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn describe<T: std::fmt::Debug>(v: &T) -> String {
    let s = format!("{v:?}");
    if s.len() > 80 { format!("{}…", &s[..80]) } else { s }
}

fn saphyr_err(e: serde_saphyr::Error) -> ErrInfo {
    let named = e.render_with_options(serde_saphyr::render_options! {
        source_name: Some("parties/russia.yaml"),
    });
    ErrInfo {
        display: e.to_string(),
        plain: Some(e.without_snippet().to_string()),
        named: Some(named),
        loc: e.location().map(|l| (l.line(), l.column())),
    }
}

fn ng_err(e: serde_yaml_ng::Error) -> ErrInfo {
    ErrInfo { display: e.to_string(), plain: None, named: None, loc: e.location().map(|l| (l.line() as u64, l.column() as u64)) }
}

fn ys_err(e: yaml_serde::Error) -> ErrInfo {
    ErrInfo { display: e.to_string(), plain: None, named: None, loc: e.location().map(|l| (l.line() as u64, l.column() as u64)) }
}

fn parse_child(krate: &str, file: &str, mode: &str) {
    let text = std::fs::read_to_string(file).expect("read input");
    if mode == "budget-report" {
        let cell = std::rc::Rc::new(std::cell::RefCell::new(None));
        let c2 = cell.clone();
        let opts = saphyr_loader_options().with_budget_report(move |r| *c2.borrow_mut() = Some(r));
        let res: Result<PartyFile, _> = serde_saphyr::from_str_with_options(&text, opts);
        let r = cell.borrow_mut().take().expect("report");
        println!(
            "status={}\nnodes={}\nevents={}\nscalar_bytes={}\nmax_depth={}\ndemands={}",
            if res.is_ok() { "ok" } else { "err" },
            r.nodes,
            r.events,
            r.total_scalar_bytes,
            r.max_depth,
            res.map(|p| p.demands.len()).unwrap_or(0)
        );
        return;
    }
    macro_rules! run {
        ($ty:ty, $call:expr, $conv:expr) => {{
            let (t0, c0) = (Instant::now(), thread_cpu());
            let res: Result<$ty, _> = $call;
            let secs = (t0.elapsed().as_secs_f64(), thread_cpu() - c0);
            (secs, res.map(|v| summary(&v)).map_err($conv))
        }};
    }
    let loader = saphyr_loader_options;
    let (secs, res) = match (krate, mode) {
        ("serde_yaml_ng", "typed") => run!(PartyFile, serde_yaml_ng::from_str(&text), ng_err),
        ("yaml_serde", "typed") => run!(PartyFile, yaml_serde::from_str(&text), ys_err),
        ("serde-saphyr", "typed") => run!(PartyFile, serde_saphyr::from_str_with_options(&text, loader()), saphyr_err),
        ("serde-saphyr-default", "typed") => run!(PartyFile, serde_saphyr::from_str(&text), saphyr_err),
        ("serde-saphyr-scalar1g", "typed") => {
            let mut o = loader();
            o.budget.as_mut().unwrap().max_total_scalar_bytes = 1 << 30;
            run!(PartyFile, serde_saphyr::from_str_with_options(&text, o), saphyr_err)
        }
        ("serde_yaml_ng", "generic") => run!(BTreeMap<String, String>, serde_yaml_ng::from_str(&text), ng_err),
        ("yaml_serde", "generic") => run!(BTreeMap<String, String>, yaml_serde::from_str(&text), ys_err),
        ("serde-saphyr", "generic") => {
            run!(BTreeMap<String, String>, serde_saphyr::from_str_with_options(&text, loader()), saphyr_err)
        }
        ("serde_yaml_ng", "ignored") => run!(IgnoredAny, serde_yaml_ng::from_str(&text), ng_err),
        ("yaml_serde", "ignored") => run!(IgnoredAny, yaml_serde::from_str(&text), ys_err),
        ("serde-saphyr", "ignored") => run!(IgnoredAny, serde_saphyr::from_str_with_options(&text, loader()), saphyr_err),
        _ => panic!("unknown crate/mode {krate} {mode}"),
    };
    println!("secs={:.6}\ncpu={:.6}", secs.0, secs.1);
    match res {
        Ok((fp, what)) => println!("status=ok\nfp={fp:016x}\nvalue={what}"),
        Err(e) => {
            println!("status=err");
            match e.loc {
                Some((l, c)) => println!("loc={l}:{c}"),
                None => println!("loc=none"),
            }
            println!("---display\n{}", e.display);
            if let Some(p) = e.plain {
                println!("---plain\n{p}");
            }
            if let Some(n) = e.named {
                println!("---named\n{n}");
            }
        }
    }
}

/// (fingerprint, short description) of a parsed value.
trait Summary {
    fn summary(&self) -> (u64, String);
}
impl Summary for PartyFile {
    fn summary(&self) -> (u64, String) {
        (fingerprint(self), format!("{} demands", self.demands.len()))
    }
}
impl Summary for BTreeMap<String, String> {
    fn summary(&self) -> (u64, String) {
        (fingerprint(self), describe(self))
    }
}
impl Summary for IgnoredAny {
    fn summary(&self) -> (u64, String) {
        (0, "value ignored".into())
    }
}
fn summary<T: Summary>(v: &T) -> (u64, String) {
    v.summary()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("gen") => inputs::write_all(std::path::Path::new(&args[2])).expect("write inputs"),
        Some("parse") => parse_child(&args[2], &args[3], args.get(4).map(String::as_str).unwrap_or("typed")),
        Some("report") => report::run(std::path::Path::new(&args[2])),
        _ => {
            eprintln!("usage: yaml-crates-bench gen DIR | parse CRATE FILE [typed|generic|ignored|budget-report] | report DIR");
            std::process::exit(2);
        }
    }
}
