//! The YAML crate's own parse of a corpus's files into a generic value (serde-saphyr has
//! no value type of its own, so `serde_json::Value`), with the loader's budget: the
//! baseline that `positions check` is measured against in `bench/bench.py`.
//!
//! ```sh
//! cargo run --release --example parse-generic -- /tmp/corpus-100k
//! ```

use std::fs;
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse-generic CORPUS-DIR");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    yaml_files(Path::new(&dir), &mut files);
    files.sort();
    let mut nodes = 0usize;
    for path in &files {
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut budget = serde_saphyr::Budget::default();
        budget.max_events = 200_000_000;
        budget.max_nodes = 100_000_000;
        let mut options = serde_saphyr::Options::default();
        options.budget = Some(budget);
        let value: serde_json::Value =
            serde_saphyr::from_str_with_options(&text, options).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        nodes += count(&value);
    }
    println!("{} files, {nodes} values", files.len());
}

fn count(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Array(items) => 1 + items.iter().map(count).sum::<usize>(),
        serde_json::Value::Object(map) => 1 + map.values().map(count).sum::<usize>(),
        _ => 1,
    }
}
