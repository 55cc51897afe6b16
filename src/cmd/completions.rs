//! `positions completions SHELL` and `positions man`: generated from the clap definition,
//! so they never fall behind the command line.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

pub fn completions(shell: Shell, out: &mut dyn Write) -> io::Result<()> {
    // The generator panics on a write error; write to memory, then to `out`, so that a
    // closed pipe is an error like any other.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "positions", &mut script);
    out.write_all(&script)
}

/// The main page: synopsis, every option and the list of commands.
pub fn man(out: &mut dyn Write) -> io::Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    out.write_all(&page)
}

/// A page for the program and one for each command, into `dir`.
pub fn man_pages(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .with_context(|| format!("cannot write the pages into {}", dir.display()))
}
