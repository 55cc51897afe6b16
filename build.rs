//! Embeds the repository's `positions/` corpus in the binary, so that `positions diff
//! russia ukraine` works from any directory with no set-up.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let corpus = root.join("positions");
    println!("cargo:rerun-if-changed=positions");
    let mut files = Vec::new();
    collect(&corpus, &corpus, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Corpus files embedded at build time: (path relative to positions/, text).\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for (relative, absolute) in &files {
        println!("cargo:rerun-if-changed={}", absolute.display());
        out.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_corpus.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}

/// Every `.yaml` file of the corpus layout: the top level, `parties/` and `plans/`.
fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let relative = path
            .strip_prefix(base)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if path.is_dir() {
            if dir == base && (relative == "parties" || relative == "plans") {
                println!("cargo:rerun-if-changed={}", path.display());
                collect(base, &path, files);
            }
        } else if relative.ends_with(".yaml") {
            files.push((relative, path));
        }
    }
}
