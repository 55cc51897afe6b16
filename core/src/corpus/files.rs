//! Reading a corpus's files from a directory or from the copy embedded in the binary.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::schema::FileKind;
use super::{Diagnostic, layout};
use crate::model::Span;

/// No corpus file is larger than this; a bigger one is refused before it is read.
pub(crate) const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Where a corpus came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    Dir(PathBuf),
}

/// One corpus file's text and the name it is reported under.
///
/// A party file of a corpus directory is read only when it is checked (`deferred`), and
/// its text dropped once checked, so that a large corpus is never held twice in memory;
/// it is read again only to show the line a diagnostic points at.
#[derive(Debug, Clone, Default)]
pub struct FileText {
    /// The path shown in diagnostics, e.g. `positions/parties/russia.yaml`.
    pub path: String,
    /// The file name without its extension (a party file's stem must equal its id).
    pub stem: String,
    /// The text, unless it is `deferred`.
    pub text: String,
    /// The file to read the text from when it is needed.
    pub deferred: Option<PathBuf>,
    /// The size of the text in bytes.
    pub bytes: usize,
    /// A draft plan named by its path on the command line, not a file of the corpus: its
    /// id need not match its file name.
    pub draft: bool,
    /// A deferred file's text, read again to show diagnostics.
    reread: std::sync::OnceLock<String>,
    /// Where each line starts, built the first time a diagnostic shows a line.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl FileText {
    pub fn new(path: String, stem: String, text: String) -> FileText {
        FileText {
            path,
            stem,
            bytes: text.len(),
            text,
            ..FileText::default()
        }
    }

    /// The text, read from disk now if it was deferred.
    pub fn contents(&self) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        match &self.deferred {
            Some(path) => read_text(path).map(std::borrow::Cow::Owned).map_err(|problem| {
                problem.at(Span {
                    file: self.path.clone(),
                    line: 0,
                    column: 0,
                })
            }),
            None => Ok(std::borrow::Cow::Borrowed(&self.text)),
        }
    }

    /// The text to show lines of: a deferred file is read again (once).
    pub fn shown_text(&self) -> &str {
        match &self.deferred {
            Some(path) => self.reread.get_or_init(|| read_text(path).unwrap_or_default()),
            None => &self.text,
        }
    }

    /// Line `number` (1-based) without its line ending.
    pub fn line(&self, number: u32) -> Option<&str> {
        let text = self.shown_text();
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let index = (number as usize).checked_sub(1)?;
        let start = *starts.get(index)?;
        let end = starts.get(index + 1).map_or(text.len(), |&next| next - 1);
        text.get(start..end).map(|l| l.trim_end_matches('\r'))
    }
}

/// The files of one corpus, read but not parsed, and any problem met while reading.
#[derive(Debug, Clone)]
pub struct CorpusFiles {
    pub origin: Origin,
    pub issues: Option<FileText>,
    pub parties: Vec<FileText>,
    pub relations: Option<FileText>,
    pub plans: Vec<FileText>,
    pub problems: Vec<Diagnostic>,
}

impl CorpusFiles {
    fn empty(origin: Origin) -> CorpusFiles {
        CorpusFiles {
            origin,
            issues: None,
            parties: Vec::new(),
            relations: None,
            plans: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The corpus embedded in a binary at build time from the repository's `positions/`:
    /// each file by its path relative to the corpus, and its text.
    pub fn embedded(entries: &[(&str, &str)]) -> CorpusFiles {
        let mut files = CorpusFiles::empty(Origin::Embedded);
        for (relative, text) in entries {
            let file = FileText::new(
                format!("positions/{relative}"),
                stem_of(Path::new(relative)),
                (*text).to_string(),
            );
            files.place(relative, file);
        }
        files.require_issues(&format!("positions/{}", layout::ISSUES));
        files
    }

    /// A corpus from files held in memory, each given by its path relative to the corpus
    /// (`issues.yaml`, `parties/<id>.yaml`, `relations.yaml`, `plans/<id>.yaml`) and its
    /// text; other paths are ignored, as a directory's other files are. Diagnostics name
    /// the files `<root>/<relative>`. For fuzzing and tests: no file system involved.
    pub fn from_memory<'a>(root: &str, entries: impl IntoIterator<Item = (&'a str, String)>) -> CorpusFiles {
        let mut files = CorpusFiles::empty(Origin::Dir(PathBuf::from(root)));
        for (relative, text) in entries {
            let file = FileText::new(format!("{root}/{relative}"), stem_of(Path::new(relative)), text);
            files.place(relative, file);
        }
        files.require_issues(&format!("{root}/{}", layout::ISSUES));
        files
    }

    /// Read a corpus directory. A missing or unreadable directory is an error; problems
    /// with single files are collected as diagnostics.
    pub fn read_dir(dir: &Path) -> Result<CorpusFiles> {
        let meta = fs::metadata(dir).with_context(|| format!("cannot open corpus directory {}", dir.display()))?;
        if !meta.is_dir() {
            bail!("corpus path {} is not a directory", dir.display());
        }
        let mut files = CorpusFiles::empty(Origin::Dir(dir.to_path_buf()));
        let root = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        for name in [layout::ISSUES, layout::RELATIONS] {
            let path = dir.join(name);
            if fs::symlink_metadata(&path).is_ok()
                && files.inside(&root, &path)
                && let Some(file) = files.read_file(&path)
            {
                files.place(name, file);
            }
        }
        files.warn_unread_top(dir);
        files.require_issues(&dir.join(layout::ISSUES).display().to_string());
        for sub in [layout::PARTIES, layout::PLANS] {
            let sub_dir = dir.join(sub);
            let entries = match fs::read_dir(&sub_dir) {
                Ok(entries) => entries,
                Err(err) if err.kind() == io::ErrorKind::NotFound && sub == layout::PLANS => continue,
                Err(err) => {
                    let span = at_file(&sub_dir);
                    files.problems.push(
                        Diagnostic::error(&span, format!("cannot read the {sub}/ directory: {err}"))
                            .with_hint("a corpus keeps one YAML file per party in parties/"),
                    );
                    continue;
                }
            };
            for (path, name) in sorted_entries(entries) {
                if !layout::has_corpus_extension(&path) {
                    let lower = name.to_ascii_lowercase();
                    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
                        files.skipped(
                            &path,
                            "this file is not read: corpus files end in .yaml or .yml, in lowercase",
                            "rename it with a lowercase extension",
                        );
                    }
                    continue;
                }
                // Hidden files (an editor's `.#alpha.yaml` lock, often a dangling link) are
                // not the analyst's.
                if name.starts_with('.') {
                    files.skipped(
                        &path,
                        "this hidden file is not read",
                        "hidden files (editor locks and backups) are skipped; rename it if it is a corpus file",
                    );
                    continue;
                }
                if !files.inside(&root, &path) {
                    continue;
                }
                if sub == layout::PARTIES {
                    if let Some(file) = files.defer_file(&path) {
                        files.parties.push(file);
                    }
                } else if let Some(file) = files.read_file(&path) {
                    files.plans.push(file);
                }
            }
        }
        Ok(files)
    }

    /// Is `path` inside the corpus directory once links are followed? A link that leads
    /// out of it is an error (its target is never read, so nothing of it is shown); a
    /// dangling link is left to the read, which reports it.
    fn inside(&mut self, root: &Path, path: &Path) -> bool {
        match fs::canonicalize(path) {
            Ok(target) if !target.starts_with(root) => {
                let span = at_file(path);
                self.problems.push(
                    Diagnostic::error(&span, "this file links outside the corpus, and is not read")
                        .with_hint("links outside the corpus directory are refused: copy the file into the corpus"),
                );
                false
            }
            _ => true,
        }
    }

    /// A warning that a file in the corpus is not read.
    fn skipped(&mut self, path: &Path, message: &str, hint: &str) {
        self.problems
            .push(Diagnostic::warning(&at_file(path), message).with_hint(hint));
    }

    /// Files at the top of the corpus that look like its issues or relations but are not
    /// read (`issues.yml`, `Relations.YAML`).
    fn warn_unread_top(&mut self, dir: &Path) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for (path, name) in sorted_entries(entries) {
            let lower = name.to_ascii_lowercase();
            let looks = ["issues.yaml", "issues.yml", "relations.yaml", "relations.yml"].contains(&lower.as_str());
            if looks && name != layout::ISSUES && name != layout::RELATIONS {
                let hint = if lower.starts_with("issues") {
                    "the issues are read from issues.yaml"
                } else {
                    "the relations are read from relations.yaml"
                };
                self.skipped(&path, "this file is not read", hint);
            }
        }
    }

    fn place(&mut self, relative: &str, file: FileText) {
        match layout::kind_of(relative) {
            Some(FileKind::Issues) => self.issues = Some(file),
            Some(FileKind::Relations) => self.relations = Some(file),
            Some(FileKind::Party) => self.parties.push(file),
            Some(FileKind::Plan) => self.plans.push(file),
            None => {}
        }
    }

    fn require_issues(&mut self, path: &str) {
        if self.issues.is_none() && !self.problems.iter().any(|p| p.file == path) {
            let span = Span {
                file: path.to_string(),
                line: 0,
                column: 0,
            };
            self.problems.push(
                Diagnostic::error(&span, "the corpus has no issues.yaml")
                    .with_hint("every corpus lists its issues in issues.yaml at its top level"),
            );
        }
    }

    /// A file to be read when it is checked; what can be known of it now (a directory, a
    /// file too large) is recorded now.
    fn defer_file(&mut self, path: &Path) -> Option<FileText> {
        let span = at_file(path);
        match check_meta(path) {
            Ok(bytes) => Some(FileText {
                path: span.file,
                stem: stem_of(path),
                deferred: Some(path.to_path_buf()),
                bytes: usize::try_from(bytes).unwrap_or(usize::MAX),
                ..FileText::default()
            }),
            Err(problem) => {
                self.problems.push(problem.at(span));
                None
            }
        }
    }

    /// Read one file as UTF-8 text, or record why it cannot be.
    fn read_file(&mut self, path: &Path) -> Option<FileText> {
        let span = at_file(path);
        match read_text(path) {
            Ok(text) => Some(FileText::new(span.file, stem_of(path), text)),
            Err(problem) => {
                self.problems.push(problem.at(span));
                None
            }
        }
    }

    /// A plan named by its path on the command line joins the corpus's plans, to be
    /// validated with them. Names that are not paths of existing files are left alone
    /// (they are plan ids); a plan file already in the corpus is not read twice.
    pub fn add_plan_path(&mut self, name: &str) -> Result<()> {
        let path = Path::new(name);
        if !layout::looks_like_path(name) {
            return Ok(());
        }
        if !path.exists() {
            bail!("no plan file at {name}");
        }
        if let Origin::Dir(dir) = &self.origin {
            let inside = dir.join(layout::PLANS).join(path.file_name().unwrap_or_default());
            if let (Ok(a), Ok(b)) = (fs::canonicalize(&inside), fs::canonicalize(path))
                && a == b
            {
                return Ok(());
            }
        }
        if let Some(mut file) = self.read_file(path) {
            file.draft = true;
            self.plans.push(file);
        }
        Ok(())
    }

    /// The path of the draft plan named on the command line, if one joined the corpus.
    pub fn draft_plan(&self) -> Option<&str> {
        self.plans.iter().find(|f| f.draft).map(|f| f.path.as_str())
    }

    /// Line `number` of the file reported as `path`, to show where a diagnostic points.
    /// Files are indexed by line once, so that thousands of diagnostics cost no more than
    /// reading their lines.
    pub fn line_of(&self, path: &str, number: u32) -> Option<&str> {
        self.issues
            .iter()
            .chain(&self.relations)
            .chain(&self.parties)
            .chain(&self.plans)
            .find(|f| f.path == path)
            .and_then(|f| f.line(number))
    }
}

fn at_file(path: &Path) -> Span {
    Span {
        file: path.display().to_string(),
        line: 0,
        column: 0,
    }
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Why a file could not be read, located where that is possible.
struct ReadProblem {
    message: String,
    line: u32,
    column: u32,
    hint: Option<&'static str>,
}

impl ReadProblem {
    fn plain(message: String, hint: Option<&'static str>) -> ReadProblem {
        ReadProblem {
            message,
            line: 0,
            column: 0,
            hint,
        }
    }

    fn at(self, mut span: Span) -> Diagnostic {
        span.line = self.line;
        span.column = self.column;
        let diagnostic = Diagnostic::error(&span, self.message);
        match self.hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    }
}

/// What the file system says of a file before it is read: its size, or why it cannot be.
fn check_meta(path: &Path) -> Result<u64, ReadProblem> {
    let meta = fs::metadata(path).map_err(|e| ReadProblem::plain(format!("cannot read the file: {e}"), None))?;
    if meta.is_dir() {
        return Err(ReadProblem::plain(
            "this is a directory, not a YAML file".into(),
            Some("remove it or rename it so it does not end in .yaml"),
        ));
    }
    // A FIFO would block the read forever and a device such as /dev/zero never end it.
    if !meta.is_file() {
        return Err(ReadProblem::plain(
            "this is not a regular file (a pipe, socket or device)".into(),
            Some("a corpus file is a plain text file"),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadProblem::plain(
            format!(
                "the file is {} bytes, more than the limit of {MAX_FILE_BYTES}",
                meta.len()
            ),
            None,
        ));
    }
    Ok(meta.len())
}

/// A directory's entries in path order, each with its file name (lossily as text).
fn sorted_entries(entries: fs::ReadDir) -> Vec<(PathBuf, String)> {
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (path, name)
        })
        .collect()
}

fn read_text(path: &Path) -> Result<String, ReadProblem> {
    check_meta(path)?;
    // Read at most one byte past the limit: a file that grows, or a /proc file that says
    // it is empty, cannot make the read unbounded.
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| ReadProblem::plain(format!("cannot read the file: {e}"), None))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadProblem::plain(
            format!("the file is more than the limit of {MAX_FILE_BYTES} bytes"),
            None,
        ));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        // Safe: the prefix up to `valid_up_to` is valid UTF-8 by definition.
        let before = String::from_utf8_lossy(valid);
        let line = before.matches('\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        ReadProblem {
            message: format!(
                "the file is not valid UTF-8 (invalid byte at offset {})",
                err.utf8_error().valid_up_to()
            ),
            line,
            column,
            hint: Some("save the file as UTF-8"),
        }
    })
}
