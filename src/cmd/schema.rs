//! `positions schema`: the JSON Schema of a kind of corpus file, or all of them into a
//! directory.

use anyhow::Result;

use super::{Env, FileSet, Output};
use crate::cli::SchemaArgs;
use crate::corpus::schema::{FileKind, schema_text};

pub fn run<'a>(_env: &'a Env, args: &SchemaArgs) -> Result<Output<'a>> {
    Ok(match (&args.dir, args.kind) {
        (Some(dir), _) => Output::Files(FileSet {
            dir: dir.clone(),
            files: all(),
            replace: true,
            message: None,
        }),
        (None, Some(kind)) => Output::Text(schema_text(kind.into()).into_bytes()),
        // clap requires one of the two.
        (None, None) => anyhow::bail!("name a kind of corpus file, or --dir"),
    })
}

/// Every schema, by its file name in a corpus's `schema/` directory.
pub fn all() -> Vec<(String, Vec<u8>)> {
    FileKind::ALL
        .iter()
        .map(|&kind| (kind.file_name(), schema_text(kind).into_bytes()))
        .collect()
}
