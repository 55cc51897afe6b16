//! `positions completions SHELL` and `positions man`: generated from the clap definition,
//! so they never fall behind the command line.

use anyhow::Result;
use clap::CommandFactory;

use super::{Env, FileSet, Output};
use crate::cli::{Cli, CompletionsArgs, ManArgs};

pub fn run<'a>(_env: &'a Env, args: &CompletionsArgs) -> Result<Output<'a>> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "positions", &mut script);
    Ok(Output::Text(script))
}

/// The main page (synopsis, every option, the list of commands), or with `--dir` a page
/// for the program and one for each command.
pub fn man<'a>(_env: &'a Env, args: &ManArgs) -> Result<Output<'a>> {
    match &args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            Ok(Output::Text(page))
        }
        Some(dir) => {
            let mut files = Vec::new();
            pages(Cli::command(), &mut files)?;
            Ok(Output::Files(FileSet {
                dir: dir.clone(),
                files,
                replace: true,
                message: None,
            }))
        }
    }
}

/// The page of `command` and of each of its visible subcommands, named as `man` looks
/// them up (`positions.1`, `positions-diff.1`, …), as `clap_mangen::generate_to` names
/// them, but written by `output` like every other file.
fn pages(command: clap::Command, files: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    fn add(command: clap::Command, files: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            add(sub, files)?;
        }
        let man = clap_mangen::Man::new(command);
        let mut page = Vec::new();
        man.render(&mut page)?;
        files.push((man.get_filename(), page));
        Ok(())
    }
    let mut command = command.disable_help_subcommand(true);
    command.build();
    add(command, files)
}
