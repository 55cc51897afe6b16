//! Writing a rendered view to stdout, or atomically to a file.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::render::{self, Format, Style};
use crate::view::View;

pub fn write(view: &View, format: Format, style: Style, output: Option<&Path>) -> Result<()> {
    match output {
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            render::render(view, format, style, &mut out)?;
            out.flush()?;
            Ok(())
        }
        Some(path) => write_atomically(path, |out| render::render(view, format, style, out))
            .with_context(|| format!("cannot write {}", path.display())),
    }
}

/// Write a document of its own (HTML, DOT, a schema…) to stdout, or atomically to a file.
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

/// Write to a temporary file beside `path`, then rename it over `path`: a reader never
/// sees a half-written file, and a failed run leaves the old file (or none) in place.
pub fn write_atomically(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let temp = temp_path(path);
    let result = (|| {
        let file = File::options().write(true).create_new(true).open(&temp)?;
        let mut out = BufWriter::new(file);
        fill(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
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
