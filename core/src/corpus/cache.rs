//! A content-keyed cache of validated corpora, so that a large corpus is parsed and checked
//! once, not on every query.
//!
//! The key is a BLAKE3 hash of everything the validated corpus depends on: every corpus
//! file's kind, path and bytes (never its size or mtime: an edit that keeps both is a new
//! key), today's date (validation warns of dates in the future), and this program's
//! version and executable (a rebuilt binary may encode differently). An entry is the
//! corpus in compiled form (`compiled.rs`, the same encoding as the built-in corpus's)
//! after a header with the payload's own hash, so that a torn, truncated or corrupt entry
//! is recognised and ignored. Entries are written to a temporary file and renamed into
//! place, so a reader sees a whole entry or none (a new entry's demands go into that file
//! while the rest of the corpus is still being checked: [`Cache::begin`]); the directory
//! keeps the [`KEEP`] most recently used entries. Any failure to read or write the cache
//! only costs speed: the corpus is then loaded from its files as if there were no cache.

use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use super::compiled::{self, Streamed};
use super::{CorpusFiles, FileText, Loaded};
use crate::date::Date;

/// Entries kept in the directory; older ones are removed when a new one is written.
pub const KEEP: usize = 4;

/// The first bytes of every entry; the last of them is the entry format's version.
const MAGIC: &[u8; 16] = b"positions-cache\x02";
const ENTRY_SUFFIX: &str = ".corpus";
const TEMP_PREFIX: &str = ".tmp-";

/// The bytes before an entry's payload: the magic, the payload's length and its hash.
const HEAD: usize = MAGIC.len() + 8 + blake3::OUT_LEN;

/// An entry being written (see [`Cache::begin`]): every byte written to it is the
/// payload's, and is hashed on the way. Dropped before it is finished, it is removed.
pub struct Pending {
    file: fs::File,
    temp: PathBuf,
    hasher: blake3::Hasher,
    length: u64,
    committed: bool,
}

impl Write for Pending {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.file.write(bytes)?;
        let written_bytes = bytes.get(..written).unwrap_or(bytes);
        self.hasher.update(written_bytes);
        self.length += written_bytes.len() as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// A cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// What identifies one corpus's contents on one day for one build of the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key(blake3::Hash);

impl Key {
    fn file_name(&self) -> String {
        format!("{}{ENTRY_SUFFIX}", self.0.to_hex())
    }
}

/// The hash of one file's bytes. A file not yet read is hashed as it streams from disk,
/// never held whole in memory nor checked as UTF-8 (a file that is not UTF-8 never loads,
/// so its key is never found).
fn content_digest(file: &FileText) -> Option<blake3::Hash> {
    match &file.deferred {
        Some(path) => {
            let reader = fs::File::open(path).ok()?.take(super::files::MAX_FILE_BYTES + 1);
            Some(blake3::Hasher::new().update_reader(reader).ok()?.finalize())
        }
        None => Some(blake3::hash(file.text.as_bytes())),
    }
}

/// The digest of every file, in order, read and hashed on every core at once (files
/// taken in turn, so that each core gets a share of a run of files of one size).
fn digests(files: &[(u8, &FileText)]) -> Vec<Option<blake3::Hash>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len());
    if workers <= 1 {
        return files.iter().map(|(_, file)| content_digest(file)).collect();
    }
    let mut digests = vec![None; files.len()];
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    let mine = files.iter().enumerate().skip(w).step_by(workers);
                    mine.map(|(i, (_, file))| (i, content_digest(file))).collect::<Vec<_>>()
                })
            })
            .collect();
        for run in runs {
            // A thread that could not finish leaves its files without a digest: no key.
            for (i, digest) in run.join().unwrap_or_default() {
                digests[i] = digest;
            }
        }
    });
    digests
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of `files` as validated on `today`; `None` when a file cannot be read
    /// (the loader then reports it) or the corpus had problems before parsing.
    pub fn key(files: &CorpusFiles, today: Date) -> Option<Key> {
        if !files.problems.is_empty() {
            return None;
        }
        let mut hasher = blake3::Hasher::new();
        hasher.update(MAGIC);
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(&[0]);
        hasher.update(build_identity().as_bytes());
        hasher.update(&[0]);
        hasher.update(today.to_string().as_bytes());
        let kinds = [
            (b'i', files.issues.as_slice()),
            (b'p', &files.parties),
            (b'r', files.relations.as_slice()),
        ];
        let all: Vec<(u8, &FileText)> = kinds
            .into_iter()
            .chain([(b'l', files.plans.as_slice())])
            .flat_map(|(kind, files)| files.iter().map(move |file| (kind, file)))
            .collect();
        for ((kind, file), digest) in all.iter().zip(digests(&all)) {
            hasher.update(&[*kind]);
            hasher.update(&(file.path.len() as u64).to_le_bytes());
            hasher.update(file.path.as_bytes());
            hasher.update(&(file.stem.len() as u64).to_le_bytes());
            hasher.update(file.stem.as_bytes());
            hasher.update(digest?.as_bytes());
        }
        Some(Key(hasher.finalize()))
    }

    /// The entry for `key`, when there is a whole and readable one. A damaged entry is
    /// removed, so that the next `put` replaces it.
    pub fn get(&self, key: &Key) -> Option<Loaded> {
        let path = self.dir.join(key.file_name());
        let bytes = fs::read(&path).ok()?;
        match open(&bytes) {
            Some(loaded) => {
                // Mark it recently used (eviction keeps the most recent entries).
                if let Ok(file) = fs::File::options().write(true).open(&path) {
                    let _ = file.set_modified(SystemTime::now());
                }
                Some(loaded)
            }
            None => {
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// Store `loaded` (a valid corpus) under `key`: written whole to a temporary file,
    /// then renamed into place; then the oldest entries beyond [`KEEP`] are removed.
    /// Every failure is ignored: a cache that cannot be written is only slower.
    pub fn put(&self, key: &Key, loaded: &Loaded) {
        let Some(mut pending) = self.begin(key) else {
            return;
        };
        let Some(parts) = compiled::compile_parts(loaded) else {
            return;
        };
        if parts.iter().all(|part| pending.write_all(part).is_ok()) {
            let _ = self.commit(key, pending);
        }
    }

    /// A new entry for `key`: a temporary file in the cache directory, to which the
    /// demands are written as they are encoded (`corpus::load_encoding`), then finished
    /// by [`Cache::finish_if`]. `None` when the directory cannot be written.
    pub fn begin(&self, key: &Key) -> Option<Pending> {
        static WRITTEN: AtomicU64 = AtomicU64::new(0);
        fs::create_dir_all(&self.dir).ok()?;
        let temp = self.dir.join(format!(
            "{TEMP_PREFIX}{}-{}-{}",
            std::process::id(),
            WRITTEN.fetch_add(1, Ordering::Relaxed),
            key.0.to_hex().as_str().get(..16).unwrap_or("entry")
        ));
        let mut file = fs::File::create(&temp).ok()?;
        let pending = |file| Pending {
            file,
            temp: temp.clone(),
            hasher: blake3::Hasher::new(),
            length: 0,
            committed: false,
        };
        // The entry's head, filled in once the payload is whole.
        if file.write_all(&[0; HEAD]).is_err() {
            drop(pending(file));
            return None;
        }
        Some(pending(file))
    }

    /// Finish the entry `pending` for `loaded`, whose demands were streamed into it, and
    /// put it in place under `key`, if `unchanged` (run on a thread of its own meanwhile)
    /// says that the files still have `key`: a corpus that changed while it was being read
    /// is not cached under either key. Every failure leaves the cache as it was.
    pub fn finish_if(
        &self,
        key: &Key,
        mut pending: Pending,
        streamed: Streamed,
        loaded: &Loaded,
        unchanged: impl FnOnce() -> bool + Send,
    ) {
        let (still, header) = std::thread::scope(|scope| {
            let still = scope.spawn(unchanged);
            let header = streamed.header(loaded);
            (still.join().unwrap_or(false), header)
        });
        if let (true, Some(header)) = (still, header)
            && pending.write_all(&header).is_ok()
        {
            let _ = self.commit(key, pending);
        }
    }

    /// The head written at the entry's start, and the file renamed into place.
    fn commit(&self, key: &Key, mut pending: Pending) -> io::Result<()> {
        let mut head = Vec::with_capacity(HEAD);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&pending.length.to_le_bytes());
        head.extend_from_slice(pending.hasher.finalize().as_bytes());
        pending.file.seek(SeekFrom::Start(0))?;
        pending.file.write_all(&head)?;
        // Not synced to disk: an entry torn by a crash fails its hash and is replaced.
        fs::rename(&pending.temp, self.dir.join(key.file_name()))?;
        pending.committed = true;
        drop(pending);
        self.evict();
        Ok(())
    }

    /// Remove all but the [`KEEP`] most recently used entries, and temporary files that a
    /// killed process left behind (older than an hour, so never one being written).
    fn evict(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        let mut kept: Vec<(SystemTime, PathBuf)> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            if name.starts_with(TEMP_PREFIX) {
                if now.duration_since(modified).is_ok_and(|age| age.as_secs() > 3600) {
                    let _ = fs::remove_file(entry.path());
                }
            } else if name.ends_with(ENTRY_SUFFIX) {
                kept.push((modified, entry.path()));
            }
        }
        kept.sort_by_key(|entry| std::cmp::Reverse(entry.0));
        for (_, path) in kept.into_iter().skip(KEEP) {
            let _ = fs::remove_file(path);
        }
    }
}

/// The corpus in an entry's bytes, if the entry is whole: magic, payload length, payload
/// hash, payload.
fn open(bytes: &[u8]) -> Option<Loaded> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (length, rest) = rest.split_first_chunk::<8>()?;
    let (hash, payload) = rest.split_first_chunk::<32>()?;
    if u64::try_from(payload.len()).ok()? != u64::from_le_bytes(*length) {
        return None;
    }
    if blake3::hash(payload) != blake3::Hash::from_bytes(*hash) {
        return None;
    }
    compiled::decode(payload).ok()
}

/// What tells this build of the program from another of the same version: the
/// executable's size and modification time (a rebuilt binary may encode a corpus
/// differently). Empty when it cannot be found, which leaves the version to tell.
fn build_identity() -> String {
    std::env::current_exe()
        .and_then(fs::metadata)
        .map(|meta| {
            let modified = meta
                .modified()
                .ok()
                .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{modified}", meta.len())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> CorpusFiles {
        CorpusFiles::from_memory(
            "c",
            [
                (
                    "issues.yaml",
                    "issues:\n  - id: port\n    title: Port\n    category: economy\n    options:\n      - id: open\n        label: Open\n      - id: shut\n        label: Shut\n".to_string(),
                ),
                (
                    "parties/north.yaml",
                    "party:\n  id: north\n  name: North\n  kind: state\ndemands:\n  - id: n-open\n    issue: port\n    title: Open\n    wants: [open]\n    priority: high\n    stated: 2020-01-10\n    sources:\n      - title: Note\n        by: Ministry\n        date: 2020-01-10\n        url: https://example.org/n\n".to_string(),
                ),
            ],
        )
    }

    fn today() -> Date {
        "2026-01-01".parse().expect("a date")
    }

    #[test]
    fn an_entry_round_trips_and_a_damaged_one_is_ignored_and_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(dir.path().join("cache"));
        let files = corpus();
        let loaded = super::super::load(&files);
        assert!(loaded.corpus.is_some(), "{:?}", loaded.diagnostics.items);
        let key = Cache::key(&files, today()).expect("a key");
        assert!(cache.get(&key).is_none(), "an empty cache has nothing");
        cache.put(&key, &loaded);
        let hit = cache.get(&key).expect("a hit");
        assert_eq!(hit.corpus.map(|c| c.demands.len()), Some(1));
        assert_eq!(hit.diagnostics.items, loaded.diagnostics.items);

        let path = cache.dir().join(key.file_name());
        let bytes = fs::read(&path).expect("entry");
        // Truncated, then one payload byte flipped: neither is used, and each is removed.
        for damaged in [bytes[..bytes.len() - 1].to_vec(), {
            let mut b = bytes.clone();
            let last = b.len() - 1;
            b[last] ^= 1;
            b
        }] {
            fs::write(&path, &damaged).expect("write");
            assert!(cache.get(&key).is_none());
            assert!(!path.exists(), "a damaged entry is removed");
        }
    }

    /// The files of a generated corpus of `demands` demands on three parties.
    fn generated(demands: usize) -> CorpusFiles {
        let params = crate::generate::Params {
            demands,
            parties: 3,
            per_issue: 12,
            ..crate::generate::Params::default()
        };
        let files = crate::generate::generate(&params);
        CorpusFiles::from_memory("g", files.iter().map(|(path, text)| (path.as_str(), text.clone())))
    }

    /// The names of the files in `dir`.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn an_entry_streamed_while_loading_holds_the_compiled_form() {
        // One block and several; the blocks of the second cross a party's demands.
        for demands in [40, compiled::BLOCK + 700] {
            let dir = tempfile::tempdir().expect("temp dir");
            let cache = Cache::new(dir.path());
            let files = generated(demands);
            let key = Cache::key(&files, today()).expect("a key");
            let mut pending = cache.begin(&key).expect("a writable cache");
            let (loaded, streamed) =
                super::super::load_encoding(&files, &super::super::Silent, false, Some(&mut pending));
            assert!(loaded.corpus.is_some(), "{:?}", loaded.diagnostics.items);
            let streamed = streamed.expect("the demands were written");
            cache.finish_if(&key, pending, streamed, &loaded, || true);
            assert_eq!(names(dir.path()), [key.file_name()], "the entry, and no temporary file");

            // The payload is what `compile` encodes on every core by the other road.
            let bytes = fs::read(dir.path().join(key.file_name())).expect("the entry");
            let compiled = compiled::compile(&loaded).expect("compiles");
            assert_eq!(bytes.len(), HEAD + compiled.len());
            assert!(bytes[HEAD..] == compiled[..], "{demands} demands");
            let hit = cache.get(&key).expect("a hit");
            assert_eq!(hit.corpus.map(|c| c.demands), loaded.corpus.map(|c| c.demands));
        }
    }

    #[test]
    fn a_streamed_entry_is_dropped_for_a_corpus_with_errors_or_other_demands() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(dir.path());

        // An error: nothing comes back to finish, and the temporary file goes.
        let mut files = generated(40);
        files.parties[0].text = files.parties[0].text.replacen("priority: ", "priority: pressing-", 1);
        let key = Cache::key(&files, today()).expect("a key");
        let mut pending = cache.begin(&key).expect("a writable cache");
        let (loaded, streamed) = super::super::load_encoding(&files, &super::super::Silent, false, Some(&mut pending));
        assert!(loaded.corpus.is_none() && streamed.is_none());
        drop(pending);
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));

        // Blocks of one corpus never finish another's entry.
        let (files, other) = (generated(40), generated(41));
        let key = Cache::key(&files, today()).expect("a key");
        let mut pending = cache.begin(&key).expect("a writable cache");
        let (_, streamed) = super::super::load_encoding(&files, &super::super::Silent, false, Some(&mut pending));
        let other = super::super::load(&other);
        cache.finish_if(&key, pending, streamed.expect("written"), &other, || true);
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));

        // Nor is an entry finished when the files changed while they were read.
        let mut pending = cache.begin(&key).expect("a writable cache");
        let (loaded, streamed) = super::super::load_encoding(&files, &super::super::Silent, false, Some(&mut pending));
        cache.finish_if(&key, pending, streamed.expect("written"), &loaded, || false);
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }

    #[test]
    fn the_key_follows_the_bytes_and_the_day_not_the_size() {
        let files = corpus();
        let key = Cache::key(&files, today());
        assert_eq!(key, Cache::key(&corpus(), today()));
        // One byte changed, the size kept.
        let mut changed = corpus();
        changed.parties[0].text = changed.parties[0].text.replace("n-open", "n-opem");
        assert_ne!(key, Cache::key(&changed, today()));
        assert_ne!(key, Cache::key(&files, "2026-01-02".parse().expect("a date")));
    }

    #[test]
    fn only_the_most_recent_entries_are_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(dir.path());
        let files = corpus();
        let loaded = super::super::load(&files);
        let mut keys = Vec::new();
        for day in 1..=KEEP + 2 {
            let key = Cache::key(&files, format!("2026-01-{day:02}").parse().expect("a date")).expect("a key");
            cache.put(&key, &loaded);
            // Distinct modification times, oldest first.
            let path = cache.dir().join(key.file_name());
            let when = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + day as u64);
            fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(when))
                .expect("set mtime");
            keys.push(key);
        }
        cache.evict();
        let present: Vec<bool> = keys.iter().map(|k| cache.dir().join(k.file_name()).exists()).collect();
        assert_eq!(present.iter().filter(|&&p| p).count(), KEEP);
        assert!(!present[0] && !present[1], "the oldest went: {present:?}");
    }
}
