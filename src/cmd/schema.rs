//! `positions schema`: the JSON Schema of a kind of corpus file, or all of them into a
//! directory.

use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::cli::SchemaArgs;
use crate::corpus::schema::{FileKind, schema_text};
use crate::output;

pub fn run(args: &SchemaArgs, output: Option<&Path>) -> Result<()> {
    match (&args.dir, args.kind) {
        (Some(dir), _) => write_all(dir),
        (None, Some(kind)) => output::write_with(output, |out| out.write_all(schema_text(kind.into()).as_bytes())),
        // clap requires one of the two.
        (None, None) => Ok(()),
    }
}

/// Every schema into `dir` (created if missing), each file replaced atomically.
pub fn write_all(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for kind in FileKind::ALL {
        let path = dir.join(kind.file_name());
        output::write_atomically(&path, |out| out.write_all(schema_text(kind).as_bytes()))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
