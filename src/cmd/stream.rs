//! The listings that can run to millions of rows (`pairs`, `matrix --level demand`) are
//! written as they are computed when the output is CSV or JSON, never held in memory.

use std::io;

use anyhow::Result;

use super::{Context, matrix, pairs};
use crate::cli::{Command, Level};
use crate::output;
use crate::render::Format;
use crate::render::stream::RowWriter;

/// Stream the command's output if it is one that streams; `None` otherwise.
pub fn run(ctx: &Context, command: &Command, format: Format, target: Option<&std::path::Path>) -> Option<Result<()>> {
    if !matches!(format, Format::Csv | Format::Json) {
        return None;
    }
    match command {
        Command::Pairs(args) => Some(ctx.parties(&args.parties.parties).and_then(|_| {
            output::write_with(target, |out| {
                let mut writer = RowWriter::new(out, format);
                pairs::rows(ctx, args, &mut writer).map_err(into_io)?;
                writer.finish()
            })
        })),
        Command::Matrix(args) if args.level == Level::Demand => Some(matrix::check_size(ctx, args).and_then(|_| {
            output::write_with(target, |out| {
                let mut writer = RowWriter::new(out, format);
                matrix::demand_rows(ctx, args, &mut writer).map_err(into_io)?;
                writer.finish()
            })
        })),
        _ => None,
    }
}

/// Keep an I/O error as it is (a broken pipe must stay recognisable as one).
fn into_io(err: anyhow::Error) -> io::Error {
    match err.downcast::<io::Error>() {
        Ok(err) => err,
        Err(other) => io::Error::other(format!("{other:#}")),
    }
}
