//! Embeds the repository's `positions/` corpus in the binary, so that `positions diff
//! russia ukraine` works from any directory with no set-up: its files (for `check` and
//! `init`), and its validated form, compiled here by the core crate, which every other
//! command loads. An invalid built-in corpus fails the build with its diagnostics.

use std::path::{Path, PathBuf};
use std::process::exit;
use std::{env, fs};

use positions_core::corpus::{self, CorpusFiles, compiled, layout};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let dir = root.join("positions");
    // A directory is watched whole: any file added, changed or removed below it.
    println!("cargo:rerun-if-changed={}", dir.display());

    let relative = layout::list(&dir).unwrap_or_else(|err| fail(&format!("cannot read {}: {err}", dir.display())));
    let mut entries = Vec::new();
    for path in &relative {
        let text = fs::read_to_string(dir.join(path))
            .unwrap_or_else(|err| fail(&format!("cannot read positions/{path}: {err}")));
        entries.push((path.as_str(), text));
    }
    let borrowed: Vec<(&str, &str)> = entries.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let files = CorpusFiles::embedded(&borrowed);
    let loaded = corpus::load(&files);
    if loaded.diagnostics.has_errors() {
        for d in &loaded.diagnostics.items {
            eprintln!(
                "{}: {}\n  --> {}",
                if d.is_error() { "error" } else { "warning" },
                d.message,
                d.location()
            );
            if let Some(hint) = &d.hint {
                eprintln!("  = hint: {hint}");
            }
        }
        fail("the built-in corpus (positions/) has errors: `cargo run -- --corpus positions check` shows them");
    }
    let Some(bytes) = compiled::compile(&loaded) else {
        fail("the built-in corpus could not be compiled");
    };
    write(&out.join("corpus.bin"), &bytes);

    let mut list = String::from(
        "/// Corpus files embedded at build time: (path relative to positions/, text).\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for path in &relative {
        let absolute = dir.join(path);
        list.push_str(&format!(
            "    ({path:?}, include_str!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    list.push_str("];\n");
    write(&out.join("embedded_corpus.rs"), &list);
    find_test_tools(&root);
}

/// The integration tests that need Chromium, Graphviz or Node (with Mermaid) are ignored,
/// with the reason in the test summary, where the tool is missing. Under CI they always
/// run, and fail if it is missing, so that a missing install step in `.ci/run` is found.
fn find_test_tools(root: &Path) {
    println!("cargo::rustc-check-cfg=cfg(missing_chromium, missing_graphviz, missing_mermaid)");
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-env-changed=CI");
    if env::var_os("CI").is_some() {
        return;
    }
    let on_path = |name: &str| {
        env::var_os("PATH").is_some_and(|paths| env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
    };
    if !on_path("chromium") && !on_path("chromium-browser") {
        println!("cargo:rustc-cfg=missing_chromium");
    }
    if !on_path("dot") {
        println!("cargo:rustc-cfg=missing_graphviz");
    }
    let mermaid = root.join("tests/mermaid/node_modules/mermaid");
    if !on_path("node") || !mermaid.is_dir() {
        println!("cargo:rustc-cfg=missing_mermaid");
    }
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    if let Err(err) = fs::write(path, text) {
        fail(&format!("cannot write {}: {err}", path.display()));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    exit(1);
}
