//! The orchestrator: every measurement runs in a fresh child process (this same binary,
//! `parse` subcommand), reaped with wait4(2) so its peak RSS (ru_maxrss) is its own.
//! Children get a 20 s wall-clock timeout (SIGKILL) and an 8 GiB address-space limit so a
//! runaway parse cannot take the machine down; both outcomes are reported, not hidden.

use std::collections::BTreeMap;
use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const CRATES: [&str; 3] = ["serde_yaml_ng", "yaml_serde", "serde-saphyr"];
const ROUNDS: usize = 5;
const TIMEOUT: Duration = Duration::from_secs(20);
const AS_LIMIT: u64 = 8 << 30;

enum End {
    Exit(i32),
    Signal(i32),
    Timeout,
}

struct Outcome {
    end: End,
    wall: f64,
    maxrss_kib: i64,
    fields: BTreeMap<String, String>,
    sections: BTreeMap<String, String>,
    stderr: String,
}

impl Outcome {
    fn get(&self, k: &str) -> &str {
        self.fields.get(k).map(String::as_str).unwrap_or("")
    }
    fn secs(&self) -> Option<f64> {
        self.fields.get("secs").and_then(|s| s.parse().ok())
    }
    fn cpu(&self) -> Option<f64> {
        self.fields.get("cpu").and_then(|s| s.parse().ok())
    }
    fn rss_mib(&self) -> f64 {
        self.maxrss_kib as f64 / 1024.0
    }
    /// One-line verdict for tables.
    fn verdict(&self) -> String {
        match self.end {
            End::Timeout => format!("**killed after {} s timeout**", TIMEOUT.as_secs()),
            End::Signal(sig) => {
                let why = if self.stderr.contains("overflowed its stack") {
                    "stack overflow"
                } else if self.stderr.contains("memory allocation") {
                    "allocation failure"
                } else {
                    "crash"
                };
                format!("**{why} (signal {sig})**")
            }
            End::Exit(0) => match self.get("status") {
                "ok" => format!("accepted ({})", self.get("value")),
                _ => {
                    let first = self.sections.get("plain").or(self.sections.get("display")).map(String::as_str).unwrap_or("");
                    let first = first.lines().next().unwrap_or("");
                    let first = if first.chars().count() > 110 { format!("{}…", first.chars().take(110).collect::<String>()) } else { first.to_string() };
                    format!("error, loc {}: `{}`", self.get("loc"), first.replace('`', "'"))
                }
            },
            End::Exit(code) => format!("**exit {code}**: {}", self.stderr.lines().next().unwrap_or("")),
        }
    }
}

fn run_child(args: &[&str], scratch: &Path) -> Outcome {
    let exe = std::env::current_exe().expect("current_exe");
    let out_path = scratch.join("child.out");
    let err_path = scratch.join("child.err");
    let mut cmd = Command::new(exe);
    cmd.args(args).stdout(File::create(&out_path).unwrap()).stderr(File::create(&err_path).unwrap());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit { rlim_cur: AS_LIMIT, rlim_max: AS_LIMIT };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn child");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    loop {
        // SAFETY: plain syscall on our own child; `child` is never waited on by std.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut ru) };
        if r == pid {
            break;
        }
        if r < 0 {
            panic!("wait4: {}", std::io::Error::last_os_error());
        }
        if !timed_out && start.elapsed() > TIMEOUT {
            timed_out = true;
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let wall = start.elapsed().as_secs_f64();
    drop(child);
    let end = if timed_out {
        End::Timeout
    } else if libc::WIFEXITED(status) {
        End::Exit(libc::WEXITSTATUS(status))
    } else {
        End::Signal(libc::WTERMSIG(status))
    };
    let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    let (fields, sections) = parse_stdout(&stdout);
    Outcome { end, wall, maxrss_kib: ru.ru_maxrss, fields, sections, stderr }
}

fn parse_stdout(s: &str) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut fields = BTreeMap::new();
    let mut sections: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in s.lines() {
        if let Some(name) = line.strip_prefix("---") {
            current = Some(name.to_string());
            sections.insert(name.to_string(), String::new());
            continue;
        }
        match &current {
            Some(name) => {
                let sec = sections.get_mut(name).unwrap();
                if !sec.is_empty() {
                    sec.push('\n');
                }
                sec.push_str(line);
            }
            None => {
                if let Some((k, v)) = line.split_once('=') {
                    fields.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
    (fields, sections)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn file_mb(p: &Path) -> f64 {
    std::fs::metadata(p).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0)
}

pub fn run(dir: &Path) {
    let scratch: PathBuf = dir.join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();

    println!("# YAML crates side by side — positions corpus loader\n");
    println!(
        "serde_yaml_ng 0.10.0 · yaml_serde 0.10.7 · serde-saphyr 2.2.0 (default-features off, `deserialize`, \
         loader options: `max_events`/`max_nodes` 50 M, `max_depth` 64, `max_total_scalar_bytes` and alias limits at their defaults). \
         Release build; every measurement in a fresh child process (peak RSS = its `ru_maxrss` from wait4), \
         20 s timeout, 8 GiB address-space limit. Parse time = the `from_str` call only (file already in memory), as thread CPU time and as wall time; CPU time is the steadier of the two when other work shares the machine.\n"
    );

    // ---- 1. typed parse time -------------------------------------------------------------
    println!("## 1. Typed parse (`PartyFile`, `deny_unknown_fields`), median of {ROUNDS}, crates alternated\n");
    println!("| file | crate | CPU median | × serde_yaml_ng | wall median | × serde_yaml_ng | wall min–max | MB/s (CPU) | peak RSS | result |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut fps: Vec<String> = Vec::new();
    for file in ["party-1k.yaml", "party-10k.yaml"] {
        let path = p(file);
        let mb = file_mb(Path::new(&path));
        let mut times: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut cpus: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut rss: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut res: BTreeMap<&str, String> = BTreeMap::new();
        for round in 0..ROUNDS {
            for k in 0..CRATES.len() {
                let krate = CRATES[(k + round) % CRATES.len()];
                let o = run_child(&["parse", krate, &path], &scratch);
                match (o.secs(), o.cpu(), o.get("status")) {
                    (Some(s), Some(c), "ok") => {
                        times.entry(krate).or_default().push(s);
                        cpus.entry(krate).or_default().push(c);
                        rss.entry(krate).or_default().push(o.rss_mib());
                        res.insert(krate, format!("{} fp {}", o.get("value"), o.get("fp")));
                    }
                    _ => {
                        res.insert(krate, o.verdict());
                    }
                }
            }
        }
        let base = times.get("serde_yaml_ng").map(|v| median(v.clone()));
        let cbase = cpus.get("serde_yaml_ng").map(|v| median(v.clone()));
        for krate in CRATES {
            match times.get(krate) {
                Some(v) if v.len() == ROUNDS => {
                    let m = median(v.clone());
                    let c = median(cpus[krate].clone());
                    let lo = v.iter().cloned().fold(f64::MAX, f64::min);
                    let hi = v.iter().cloned().fold(0.0, f64::max);
                    let ratio = |x: f64, b: Option<f64>| b.map(|b| format!("{:.2}×", x / b)).unwrap_or("–".into());
                    println!(
                        "| {file} ({mb:.1} MB) | {krate} | {c:.3} s | {} | {m:.3} s | {} | {lo:.3}–{hi:.3} | {:.0} | {:.0} MiB | {} |",
                        ratio(c, cbase),
                        ratio(m, base),
                        mb / c,
                        median(rss[krate].clone()),
                        res[krate]
                    );
                    fps.push(res[krate].clone());
                }
                _ => println!("| {file} ({mb:.1} MB) | {krate} | – | – | – | – | – | – | – | {} |", res.get(krate).cloned().unwrap_or_default()),
            }
        }
    }
    let mut uniq = fps.clone();
    uniq.sort();
    uniq.dedup();
    println!(
        "\nAll crates produced identical values per file (hash of the parsed structs): **{}**.\n",
        if uniq.len() == 2 { "yes" } else { "NO — see the result column" }
    );

    let o = run_child(&["parse", "serde-saphyr-default", &p("party-10k.yaml")], &scratch);
    println!("serde-saphyr with its **default** budget on party-10k.yaml: {}\n", o.verdict());
    let o1 = run_child(&["parse", "serde-saphyr-default", &p("party-1k.yaml")], &scratch);
    println!("serde-saphyr with its **default** budget on party-1k.yaml: {}\n", o1.verdict());
    for file in ["party-1k.yaml", "party-10k.yaml"] {
        let o = run_child(&["parse", "serde-saphyr", &p(file), "budget-report"], &scratch);
        let d: f64 = o.get("demands").parse().unwrap_or(1.0);
        let per = |k: &str| o.get(k).parse::<f64>().unwrap_or(0.0) / d;
        println!(
            "Budget report, {file}: {} nodes, {} events, {} scalar bytes, depth {} — per demand ≈ {:.0} nodes, {:.0} events, {:.0} scalar bytes.\n",
            o.get("nodes"), o.get("events"), o.get("scalar_bytes"), o.get("max_depth"), per("nodes"), per("events"), per("scalar_bytes")
        );
    }

    // ---- 2. hostile input ----------------------------------------------------------------
    println!("## 2. Hostile input (one child each)\n");
    println!("| input | crate | outcome | wall | peak RSS |");
    println!("|---|---|---|---|---|");
    let fam_and_saphyr: &[&str] = &CRATES;
    let with_1g: &[&str] = &["serde_yaml_ng", "yaml_serde", "serde-saphyr", "serde-saphyr-scalar1g"];
    let hostile: [(&str, &str, &str, &[&str]); 7] = [
        ("alias-bomb.yaml", "typed", "alias bomb, 100 B string ×1,000 ×29k, typed", fam_and_saphyr),
        ("alias-bomb-big.yaml", "typed", "alias bomb, 60 KB string ×1,000 ×15k, typed", with_1g),
        ("deep-nesting-10k.yaml", "typed", "10,000 nested `[` in a `String` field", fam_and_saphyr),
        ("deep-nesting.yaml", "typed", "100,000 nested `[` in a `String` field", fam_and_saphyr),
        ("deep-toplevel.yaml", "ignored", "100,000 nested `[` as the document, into `IgnoredAny`", fam_and_saphyr),
        ("deep-block.yaml", "ignored", "1,000 nested block mappings, into `IgnoredAny`", fam_and_saphyr),
        ("dup-generic.yaml", "generic", "duplicate key, `BTreeMap<String,String>` target", fam_and_saphyr),
    ];
    for (file, mode, what, crates) in hostile {
        let path = p(file);
        let kb = file_mb(Path::new(&path)) * 1000.0;
        for krate in crates {
            let o = run_child(&["parse", krate, &path, mode], &scratch);
            let label = if *krate == "serde-saphyr-scalar1g" { "serde-saphyr, `max_total_scalar_bytes` 1 GiB" } else { krate };
            println!("| {what} ({kb:.0} KB) | {label} | {} | {:.3} s | {:.0} MiB |", o.verdict(), o.wall, o.rss_mib());
        }
    }

    // ---- 3. error messages ---------------------------------------------------------------
    println!("\n## 3. Error messages, verbatim (typed target)\n");
    println!("The inputs edit the second demand of a 34-line file (`{}`).\n", p("typo.yaml").replace("typo.yaml", "*.yaml"));
    for (file, what, _) in crate::inputs::error_cases() {
        println!("### {file}: {what}\n");
        for krate in CRATES {
            let o = run_child(&["parse", krate, &p(file)], &scratch);
            if o.get("status") != "err" {
                println!("- **{krate}**: {}\n", o.verdict());
                continue;
            }
            println!("- **{krate}** — `location()` = {}", match o.get("loc") { "none" => "None".to_string(), l => format!("line:col {l}") });
            let show = |label: &str, key: &str| {
                if let Some(t) = o.sections.get(key) {
                    println!("\n  {label}:\n\n```text\n{t}\n```\n");
                }
            };
            if krate == "serde-saphyr" {
                show("`Display` (default `with_snippet: true`)", "display");
                show("`err.without_snippet()` Display", "plain");
                show("`render_with_options(render_options!{ source_name: Some(\"parties/russia.yaml\") })`", "named");
            } else {
                show("`Display`", "display");
            }
        }
    }
}
