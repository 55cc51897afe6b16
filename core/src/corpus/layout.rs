//! The layout of a corpus directory, stated once: which files are corpus files and what
//! each holds. The loader, the build script that embeds the built-in corpus, `init` and
//! `schema` all go by it.
//!
//! ```text
//! issues.yaml            the issues and their outcomes (required)
//! relations.yaml         asserted relations (optional)
//! parties/<id>.yaml      one file per party (.yaml or .yml)
//! plans/<id>.yaml        proposed settlements (optional; .yaml or .yml)
//! schema/<kind>.json     JSON Schemas for editors (not read by the loader)
//! ```

use std::fs;
use std::io;
use std::path::Path;

use super::schema::FileKind;

/// The issues file, at the top of the corpus.
pub const ISSUES: &str = "issues.yaml";
/// The relations file, at the top of the corpus.
pub const RELATIONS: &str = "relations.yaml";
/// The folder of party files.
pub const PARTIES: &str = "parties";
/// The folder of plan files.
pub const PLANS: &str = "plans";
/// The folder of JSON Schemas, for editors.
pub const SCHEMAS: &str = "schema";
/// The extensions of party and plan files.
pub const EXTENSIONS: [&str; 2] = ["yaml", "yml"];

/// What a corpus file holds, by its path relative to the corpus (`/`-separated); `None`
/// for a path that is not a corpus file.
pub fn kind_of(relative: &str) -> Option<FileKind> {
    match relative {
        ISSUES => return Some(FileKind::Issues),
        RELATIONS => return Some(FileKind::Relations),
        _ => {}
    }
    let (folder, name) = relative.split_once('/')?;
    if name.contains('/') || !has_corpus_extension(Path::new(name)) {
        return None;
    }
    match folder {
        PARTIES => Some(FileKind::Party),
        PLANS => Some(FileKind::Plan),
        _ => None,
    }
}

/// Does a party or plan file have one of the corpus's extensions?
pub fn has_corpus_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e))
}

/// Does a name given on the command line look like the path of a plan file, rather than
/// a plan id?
pub fn looks_like_path(name: &str) -> bool {
    name.contains('/') || name.contains('\\') || has_corpus_extension(Path::new(name))
}

/// Every corpus file below `dir`, by its path relative to it, sorted. Folders that are
/// missing hold no files; anything else that cannot be read is an error.
pub fn list(dir: &Path) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    for name in [ISSUES, RELATIONS] {
        if dir.join(name).is_file() {
            files.push(name.to_string());
        }
    }
    for folder in [PARTIES, PLANS] {
        let entries = match fs::read_dir(dir.join(folder)) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err),
        };
        for entry in entries {
            let name = entry?.file_name().to_string_lossy().into_owned();
            let relative = format!("{folder}/{name}");
            if kind_of(&relative).is_some() {
                files.push(relative);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_paths() {
        assert_eq!(kind_of("issues.yaml"), Some(FileKind::Issues));
        assert_eq!(kind_of("relations.yaml"), Some(FileKind::Relations));
        assert_eq!(kind_of("parties/ru.yaml"), Some(FileKind::Party));
        assert_eq!(kind_of("parties/ru.yml"), Some(FileKind::Party));
        assert_eq!(kind_of("plans/p.yaml"), Some(FileKind::Plan));
        assert_eq!(kind_of("parties/notes.txt"), None);
        assert_eq!(kind_of("parties/sub/ru.yaml"), None);
        assert_eq!(kind_of("schema/party.json"), None);
    }
}
