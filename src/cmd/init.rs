//! `positions init DIR`: a new corpus, copied from the one built into the binary or a
//! minimal skeleton, with the JSON Schemas its files point their editor at. Nothing that
//! exists is ever overwritten.

use std::fs;
use std::io;
use std::path::Path;

use anyhow::{Context as _, Result};

use super::{Env, FileSet, Output};
use crate::cli::InitArgs;
use crate::corpus::layout;
use crate::corpus::schema::{FileKind, schema_text};
use crate::user_error;

const SKELETON_ISSUES: &str = "\
# The negotiable issues and their possible outcomes. `positions --corpus DIR check` after every edit.
issues:
  - id: example-issue
    title: An example issue
    category: other              # territory | security | military | justice | economy | humanitarian | governance | other
    description: Replace this with the first issue of your negotiation.
    options:                     # two or more mutually exclusive outcomes, or instead a `scale: {unit: troops, min: 0, max: 100000}`
      - id: option-a
        label: The first possible outcome
      - id: option-b
        label: The second possible outcome
";

const SKELETON_PARTY: &str = "\
# One file per party, named after its id: the party and its demands.
party:
  id: example-party              # equals the file name
  name: Example Party
  kind: state                    # state | alliance | union | organization | other
  aliases: [example]             # other names the command line accepts
demands:
  - id: example-demand
    issue: example-issue
    title: What the party asks for
    summary: In your own words; optional.
    wants: [option-a]            # option ids, or a range such as {min: 50000} on a scale issue
    accepts: [option-a, option-b]  # optional: what it could live with; defaults to wants
    priority: medium             # red-line | high | medium | low
    stated: 2025-01-01           # when the party first stated it; `until:` when it stopped
    evidence: official           # official | reported | inferred
    sources:                     # at least one
      - title: The document that states it
        by: Who issued or said it
        date: 2025-01-01
        url: https://example.org/
";

const SKELETON_RELATIONS: &str = "\
# Optional: links the analyst asserts between demands of different parties on different issues.
#   - between: [one-demand, another-demand]
#     kind: conflict             # overlap | conflict | irreconcilable
#     rationale: Why the two clash although they are on different issues.
relations: []
";

const SKELETON_PLAN: &str = "\
# Optional, one file per plan, named after its id: a proposed settlement, scored with
# `positions plan example-plan`. A draft elsewhere is scored by its path: `positions plan draft.yaml`.
plan:
  id: example-plan               # equals the file name
  title: An example plan
  date: 2025-06-01               # when it was proposed
  evidence: inferred             # official | reported | inferred
  sources:                       # the document the plan comes from
    - title: The document that sets out the plan
      by: Who proposed it
      date: 2025-06-01
      url: https://example.org/
outcomes:                        # issue id: option id (or a number on a scale issue); issues left out stay open
  example-issue: option-b
";

pub fn run<'a>(_env: &'a Env, args: &InitArgs) -> Result<Output<'a>> {
    let dir = &args.dir;
    check_empty(dir)?;
    let mut files: Vec<(String, String)> = if args.empty {
        vec![
            (layout::ISSUES.into(), with_modeline(FileKind::Issues, SKELETON_ISSUES)),
            (
                format!("{}/example-party.yaml", layout::PARTIES),
                with_modeline(FileKind::Party, SKELETON_PARTY),
            ),
            (
                layout::RELATIONS.into(),
                with_modeline(FileKind::Relations, SKELETON_RELATIONS),
            ),
            (
                format!("{}/example-plan.yaml", layout::PLANS),
                with_modeline(FileKind::Plan, SKELETON_PLAN),
            ),
        ]
    } else {
        embedded_files()
    };
    for kind in FileKind::ALL {
        files.push((format!("{}/{}", layout::SCHEMAS, kind.file_name()), schema_text(kind)));
    }
    let message = format!(
        "Created a corpus of {} files in {}.\nNext: positions --corpus {} check\n",
        files.len(),
        dir.display(),
        dir.display()
    );
    Ok(Output::Files(FileSet {
        dir: dir.clone(),
        files: files
            .into_iter()
            .map(|(path, text)| (path, text.into_bytes()))
            .collect(),
        replace: false,
        message: Some(message),
    }))
}

/// DIR may be missing or an empty directory; anything else is refused before a file is written.
fn check_empty(dir: &Path) -> Result<()> {
    match fs::symlink_metadata(dir) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err).with_context(|| format!("cannot open {}", dir.display())),
        Ok(meta) if !meta.is_dir() => Err(user_error(
            format!("{} exists and is not a directory", dir.display()),
            Some("init creates a new corpus directory; name one that does not exist".into()),
        )),
        Ok(_) => {
            let mut entries = fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
            if entries.next().is_some() {
                return Err(user_error(
                    format!("{} exists and is not empty", dir.display()),
                    Some("init never overwrites anything: name a new or empty directory".into()),
                ));
            }
            Ok(())
        }
    }
}

/// The built-in corpus, each file pointing at its schema.
fn embedded_files() -> Vec<(String, String)> {
    let corpus = crate::compiled::embedded_files();
    let kinds = [
        (FileKind::Issues, &corpus.issues),
        (FileKind::Relations, &corpus.relations),
    ];
    let mut files = Vec::new();
    for (kind, file) in kinds {
        if let Some(file) = file {
            files.push((kind, file));
        }
    }
    files.extend(corpus.parties.iter().map(|f| (FileKind::Party, f)));
    files.extend(corpus.plans.iter().map(|f| (FileKind::Plan, f)));
    files
        .into_iter()
        .map(|(kind, file)| {
            let relative = file.path.strip_prefix("positions/").unwrap_or(&file.path).to_string();
            (relative, with_modeline(kind, &file.text))
        })
        .collect()
}

/// The text with the comment that points an editor at its schema, unless it has one.
fn with_modeline(kind: FileKind, text: &str) -> String {
    if text.starts_with("# yaml-language-server:") {
        text.to_string()
    } else {
        format!("{}\n{text}", kind.modeline())
    }
}
