//! Writing a rendered view to stdout, or atomically to a file.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use anyhow::{Context, Result};

use crate::cmd::FileSet;

/// Write to stdout, or atomically to a file.
pub fn write_with(output: Option<&Path>, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    match output {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            fill(&mut out)?;
            out.flush()?;
            Ok(())
        }
        Some(path) => write_atomically(path, fill).with_context(|| format!("cannot write {}", path.display())),
    }
}

/// Write a set of files into their directory (created if missing, with the folders of
/// each file): replacing each atomically, or with `replace` off refusing any that exists.
pub fn write_files(set: &FileSet) -> Result<()> {
    let dir = &set.dir;
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (relative, bytes) in &set.files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let written = if set.replace {
            write_atomically(&path, |out| out.write_all(bytes))
        } else {
            write_new(&path, bytes)
        };
        written.with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// A file that must not exist yet: `create_new` refuses one that appeared meanwhile.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::options().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Write to a temporary file beside `path`, then rename it over `path`: a reader never
/// sees a half-written file, and a failed or interrupted run leaves the old file (or
/// none) in place, and no temporary file.
///
/// A device or a pipe (`/dev/stdout`, `/dev/full`) is written directly: there is no
/// file to replace, and renaming over it would replace the device.
pub fn write_atomically(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(io::Error::new(io::ErrorKind::IsADirectory, "it is a directory"));
        }
        Ok(meta) if !meta.is_file() => {
            let mut out = BufWriter::new(File::options().write(true).open(path)?);
            fill(&mut out)?;
            return out.flush();
        }
        _ => {}
    }
    remove_on_signal();
    let temp = temp_path(path);
    let result = (|| {
        // Created under the lock, so that an interrupting signal finds it to remove.
        let file = {
            let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
            let file = File::options().write(true).create_new(true).open(&temp)?;
            *pending = Some(temp.clone());
            file
        };
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

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let hidden = format!(".{name}.{}.tmp", std::process::id());
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join(hidden),
        _ => PathBuf::from(hidden),
    }
}
