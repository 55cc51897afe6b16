//! The README's examples are the binary's output: each ```text (or ```mermaid) block
//! after a paragraph that names a `positions …` command is that command's output, whole,
//! or (where the paragraph shows only part of it) a run of its lines.

use crate::support::{positions, root};

/// (the command's arguments, the block) for every example with a command.
fn examples() -> Vec<(Vec<String>, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i] == "```text" || lines[i] == "```mermaid" {
            let end = (i + 1..lines.len())
                .find(|&k| lines[k] == "```")
                .expect("a closed block");
            // The paragraph before the block, joined into one line.
            let mut start = i;
            while start > 0 && lines[start - 1].trim().is_empty() {
                start -= 1;
            }
            let below = start;
            while start > 0 && !lines[start - 1].trim().is_empty() {
                start -= 1;
            }
            let paragraph = lines[start..below].join(" ");
            let command = paragraph
                .split('`')
                .skip(1)
                .step_by(2)
                .filter(|code| code.starts_with("positions "))
                .last();
            if let Some(command) = command {
                let mut args: Vec<String> = command.split_whitespace().skip(1).map(String::from).collect();
                // "on a terminal 100 columns wide"
                let words: Vec<&str> = paragraph.split_whitespace().collect();
                if let Some(at) = words
                    .windows(2)
                    .position(|w| w[1] == "columns" && w[0].parse::<u16>().is_ok())
                {
                    args.splice(0..0, ["--width".to_string(), words[at].to_string()]);
                }
                out.push((args, lines[i + 1..end].join("\n") + "\n"));
            }
            i = end;
        }
        i += 1;
    }
    out
}

#[test]
fn every_readme_example_is_the_binarys_output() {
    let examples = examples();
    assert!(examples.len() >= 12, "{}", examples.len());
    let mut whole = 0;
    for (args, block) in &examples {
        let out = positions().args(args).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        if text == *block {
            whole += 1;
        } else {
            assert!(text.contains(block.as_str()), "`positions {}`:\n{text}", args.join(" "));
        }
    }
    // Most examples show the whole output, title line and all.
    assert!(whole >= 10, "{whole} of {}", examples.len());
}
