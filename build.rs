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
    // A fingerprint of the embedded files: the compiled copy of the corpus
    // (src/corpus/compiled.json) is used only when it was made from these very files.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (relative, absolute) in &files {
        let text = fs::read(absolute).expect("a corpus file is readable");
        for byte in relative.bytes().chain([0]).chain(text).chain([0]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    out.push_str(&format!(
        "/// FNV-1a of the embedded files' paths and texts.\npub const HASH: u64 = {hash:#018x};\n"
    ));
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
