//! Writing a rendered view to stdout, or atomically to a file.
//!
//! What `--output` may replace, decided here once (README, "Decisions"):
//!
//! * a regular file, atomically (a temporary file beside it, then a rename), keeping its
//!   permissions (and, where allowed, its owner);
//! * through a symbolic link: the file the link leads to is replaced, the link stays;
//! * the file or pipe our own stdout or stderr is (`/dev/stdout`, `/proc/self/fd/1`, or
//!   its path): written into that stream, never renamed over;
//! * a character device (`/dev/null`, a terminal): written into directly;
//! * never a file of the corpus being read, a directory, a named pipe, a socket or a
//!   block device, nor a dangling link.
//!
//! Temporary files are named `.<name>.<pid>.positions.tmp` (the name cut to fit 255
//! bytes); one whose process is gone (a run killed by SIGKILL) is removed by the next run
//! that writes the same target.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, Metadata};
use std::io::{self, BufWriter, Write};
use std::os::fd::AsFd;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use anyhow::{Context, Result};

use crate::cmd::FileSet;

/// Write to stdout, or atomically to a file that is none of `protected` (the files of the
/// corpus read).
pub fn write_with(
    output: Option<&Path>,
    protected: &[PathBuf],
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match output {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            fill(&mut out)?;
            out.flush()?;
            Ok(())
        }
        Some(path) => write_file(path, protected, fill).with_context(|| format!("cannot write {}", path.display())),
    }
}

/// Write a set of files into their directory (created if missing, with the folders of
/// each file): replacing each atomically, or with `replace` off refusing any that exists.
/// A link already in the directory (a file or a folder of the set) is refused, never
/// followed.
pub fn write_files(set: &FileSet) -> Result<()> {
    let dir = &set.dir;
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (relative, bytes) in &set.files {
        let path = dir.join(relative);
        let written = no_link_below(dir, Path::new(relative)).and_then(|()| {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            if set.replace {
                write_file(&path, &[], |out| out.write_all(bytes))
            } else {
                write_new(&path, bytes)
            }
        });
        written.with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// No component of `relative` below `dir` is a symbolic link.
fn no_link_below(dir: &Path, relative: &Path) -> io::Result<()> {
    let mut path = dir.to_path_buf();
    for component in relative.components() {
        path.push(component);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(io::Error::other(format!(
                    "{} is a symbolic link, and links are never written through: remove it first",
                    path.display()
                )));
            }
            Ok(_) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// A file that must not exist yet: `create_new` refuses one that appeared meanwhile.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::options().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// `write_file` with nothing protected.
pub fn write_atomically(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    write_file(path, &[], fill)
}

/// Where the bytes for a path go.
enum Destination {
    /// Our own stdout or stderr.
    Stream(Stream),
    /// A character device, written into.
    Device(PathBuf),
    /// A regular file (or none yet) at this path, replaced atomically; its metadata when
    /// it exists.
    File(PathBuf, Option<Metadata>),
}

#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// Write `path` as the module's rules say: atomically for a regular file (a reader
/// never sees a half-written file, and a failed or interrupted run leaves the old file,
/// or none, in place, and no temporary file).
pub fn write_file(
    path: &Path,
    protected: &[PathBuf],
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    match destination(path, protected)? {
        Destination::Stream(stream) => {
            let mut out: Box<dyn Write> = match stream {
                Stream::Stdout => Box::new(BufWriter::new(io::stdout().lock())),
                Stream::Stderr => Box::new(BufWriter::new(io::stderr().lock())),
            };
            fill(&mut out)?;
            out.flush()
        }
        Destination::Device(device) => {
            let mut out = BufWriter::new(File::options().write(true).open(device)?);
            fill(&mut out)?;
            out.flush()
        }
        Destination::File(file, meta) => replace(&file, meta.as_ref(), fill),
    }
}

/// What writing `path` means, or why it is refused.
fn destination(path: &Path, protected: &[PathBuf]) -> io::Result<Destination> {
    let own = fs::symlink_metadata(path);
    let followed = match &own {
        Ok(meta) if meta.file_type().is_symlink() => match fs::metadata(path) {
            Ok(meta) => Some(meta),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Err(refused("it is a symbolic link to nothing"));
            }
            Err(err) => return Err(err),
        },
        Ok(meta) => Some(meta.clone()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err(io::Error::new(err.kind(), err.to_string())),
    };
    let Some(meta) = followed else {
        return Ok(Destination::File(path.to_path_buf(), None));
    };
    if let Some(stream) = own_stream(&meta) {
        return Ok(Destination::Stream(stream));
    }
    if protected
        .iter()
        .any(|p| fs::metadata(p).is_ok_and(|m| same_file(&m, &meta)))
    {
        return Err(refused(
            "it is a file of the corpus being read; write the output elsewhere",
        ));
    }
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(io::Error::new(io::ErrorKind::IsADirectory, "it is a directory"));
    }
    if kind.is_char_device() {
        return Ok(Destination::Device(path.to_path_buf()));
    }
    if !kind.is_file() {
        return Err(refused(
            "it is not a regular file (a named pipe, socket or block device is never written)",
        ));
    }
    // Through a link: the file it leads to is replaced, beside itself.
    let file = if own.is_ok_and(|m| m.file_type().is_symlink()) {
        fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    Ok(Destination::File(file, Some(meta)))
}

fn refused(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, why)
}

fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Is `meta` the file, pipe or terminal of our own stdout or stderr?
fn own_stream(meta: &Metadata) -> Option<Stream> {
    let is = |fd: std::os::fd::BorrowedFd<'_>| {
        fd.try_clone_to_owned()
            .ok()
            .and_then(|owned| File::from(owned).metadata().ok())
            .is_some_and(|m| same_file(&m, meta))
    };
    if is(io::stdout().as_fd()) {
        Some(Stream::Stdout)
    } else if is(io::stderr().as_fd()) {
        Some(Stream::Stderr)
    } else {
        None
    }
}

/// Write to a temporary file beside `path`, then rename it over `path`, with the
/// permissions (and owner, where allowed) of the file it replaces.
fn replace(path: &Path, old: Option<&Metadata>, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    remove_on_signal();
    remove_stale(path);
    let temp = temp_path(path, std::process::id());
    let result = (|| {
        // Created under the lock, so that an interrupting signal finds it to remove.
        let file = {
            let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
            let file = File::options().write(true).create_new(true).open(&temp)?;
            *pending = Some(temp.clone());
            file
        };
        if let Some(old) = old {
            file.set_permissions(old.permissions())?;
            // Only root may give a file away; anyone else keeps their own.
            let _ = std::os::unix::fs::fchown(&file, Some(old.uid()), Some(old.gid()));
        }
        let mut out = BufWriter::new(file);
        fill(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    if pending.take().is_some() && result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// The temporary file being written, if any.
static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// On SIGINT, SIGTERM or SIGHUP while a temporary file is being written, remove it, then
/// die of the signal as if there were no handler (a shell reports 130, 143 or 129).
fn remove_on_signal() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            for signal in signals.forever() {
                if let Some(temp) = PENDING.lock().unwrap_or_else(|e| e.into_inner()).take() {
                    let _ = fs::remove_file(temp);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
            }
        });
    });
}

/// The suffix of every temporary file, after the process id.
const TEMP_SUFFIX: &str = ".positions.tmp";

/// The most bytes of the target's name a temporary name keeps: with the dot, the process
/// id and the suffix it stays under the 255 bytes a file name may have.
const TEMP_NAME_BYTES: usize = 200;

/// The start of the temporary names for `path`: `.` and its name, cut to fit.
fn temp_prefix(path: &Path) -> OsString {
    let name = path.file_name().map_or(&[][..], OsStr::as_bytes);
    let mut bytes = vec![b'.'];
    bytes.extend_from_slice(&name[..name.len().min(TEMP_NAME_BYTES)]);
    bytes.push(b'.');
    OsString::from_vec(bytes)
}

fn temp_path(path: &Path, pid: u32) -> PathBuf {
    let mut name = temp_prefix(path);
    name.push(format!("{pid}{TEMP_SUFFIX}"));
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join(name),
        _ => PathBuf::from(name),
    }
}

/// Remove the temporary files for `path` left by runs that are gone (killed by
/// SIGKILL, or by a power cut): ours by their name, stale when no process has their id.
/// Where `/proc` does not list processes nothing is removed.
fn remove_stale(path: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(pid) = name
            .as_bytes()
            .strip_prefix(prefix.as_bytes())
            .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX.as_bytes()))
            .and_then(|pid| std::str::from_utf8(pid).ok())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new("/proc").join(pid.to_string()).exists();
        if !alive && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}
