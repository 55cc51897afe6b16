//! The commonest slips in writing YAML by hand, recognised from the parser's error and the
//! text around it, and said in the writer's terms: a colon inside a plain text, a key
//! indented too far or too little, a mapping or a single value where a list belongs, a
//! misspelt value of a fixed set.

/// What to say instead of (or besides) the parser's message.
pub(super) struct Slip {
    /// A clearer message, or None to keep the parser's.
    pub(super) message: Option<String>,
    pub(super) line: u32,
    pub(super) column: u32,
    pub(super) hint: String,
}

/// Keys whose value is a list of entries, each a mapping.
const LISTS_OF_ENTRIES: [&str; 5] = ["issues", "options", "demands", "sources", "relations"];
/// Keys whose value is a list of words.
const LISTS_OF_WORDS: [&str; 3] = ["aliases", "tags", "between"];

/// How many lines after a mapping's first key are searched for one of its keys.
const SEARCH_LINES: u32 = 200;

/// The slip behind a parser error at `line`, `column` (1-based), if it is a common one.
pub(super) fn find(text: &str, message: &str, line: u32, column: u32) -> Option<Slip> {
    let lines: Vec<&str> = text.lines().collect();
    if line == 0 || line as usize > lines.len() {
        return None;
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return unknown_value(&lines, rest, line, column);
    }
    if message.starts_with("mapping values are not allowed") {
        return indented_too_far(&lines, line).or_else(|| colon_in_text(&lines, line, column));
    }
    if message.contains("did not find expected key") {
        return indented_too_far(&lines, line);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next()?;
        return misplaced_key(&lines, field, line, column);
    }
    if message.starts_with("expected string scalar") {
        return not_a_text(&lines, line, column);
    }
    if message.starts_with("expected sequence start") {
        return not_a_list(&lines, line, column);
    }
    if let Some(rest) = message.strip_prefix("invalid type: string \"")
        && message.contains("expected a list")
    {
        let value = rest.split('"').next()?;
        let (_, key, _) = key_of(lines[line as usize - 1])?;
        let expected = message.split_once(", expected ").map_or("a list", |(_, e)| e);
        return Some(Slip {
            message: Some(format!(
                "`{key}` is the single value `{value}`, but it holds {expected}"
            )),
            line,
            column,
            hint: format!("a list is written in brackets, even of one item: write `[{value}]`"),
        });
    }
    None
}

/// A line as `key: rest`: the 0-based column of the key (after a `- ` that opens a list
/// entry), the key, and what follows the colon, trimmed.
fn key_of(line: &str) -> Option<(usize, &str, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut at = indent;
    let mut body = &line[indent..];
    while let Some(after) = body.strip_prefix('-') {
        let spaces = after.len() - after.trim_start_matches(' ').len();
        if spaces == 0 {
            break;
        }
        at += 1 + spaces;
        body = &after[spaces..];
    }
    let (key, rest) = body.split_once(':')?;
    let plain_key = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    (plain_key && (rest.is_empty() || rest.starts_with(' '))).then(|| (at, key, rest.trim()))
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn significant(line: &str) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty() && !trimmed.starts_with('#')
}

/// The last significant line before `line` (1-based), with its number.
fn previous<'a>(lines: &[&'a str], line: u32) -> Option<(u32, &'a str)> {
    (1..line)
        .rev()
        .map(|l| (l, lines[l as usize - 1]))
        .find(|(_, t)| significant(t))
}

fn column_of(at: usize) -> u32 {
    u32::try_from(at + 1).unwrap_or(u32::MAX)
}

fn indentation_hint(key: &str, sibling: &str, sibling_line: u32, at: usize) -> String {
    format!(
        "check the indentation of `{key}`; it belongs with `{sibling}` on line {sibling_line}: start it at column {}",
        column_of(at)
    )
}

/// A key indented further than the key before it, which has a value of its own on its
/// line: the parser reads it as going on with that value.
fn indented_too_far(lines: &[&str], line: u32) -> Option<Slip> {
    let (at, key, _) = key_of(lines[line as usize - 1])?;
    let (before, text) = previous(lines, line)?;
    let (sibling_at, sibling, value) = key_of(text)?;
    if sibling_at >= at || value.is_empty() || value.starts_with('#') {
        return None;
    }
    Some(Slip {
        message: Some(format!("`{key}` is indented further than the key before it")),
        line,
        column: column_of(at),
        hint: indentation_hint(key, sibling, before, sibling_at),
    })
}

/// `title: Harbour: keep it open`: a plain text may not hold `: `.
fn colon_in_text(lines: &[&str], line: u32, column: u32) -> Option<Slip> {
    let (_, key, value) = key_of(lines[line as usize - 1])?;
    if !value.contains(": ") || value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(Slip {
        message: Some(format!(
            "the text of `{key}` holds `: `, which YAML reads as the start of another key"
        )),
        line,
        column,
        hint: format!("quote the text: {key}: \"{quoted}\""),
    })
}

/// A required key that is missing from the mapping starting at `line`, `column`, but is
/// written below it at another indentation.
fn misplaced_key(lines: &[&str], field: &str, line: u32, column_at: u32) -> Option<Slip> {
    let at = column_at.checked_sub(1)? as usize;
    let last = (line + SEARCH_LINES).min(lines.len() as u32);
    // The mapping's last key opened a block (`sources:`): deeper keys are that block's.
    let mut opened = key_of(lines[line as usize - 1]).is_some_and(|(_, _, value)| value.is_empty());
    for l in line + 1..=last {
        let text = lines[l as usize - 1];
        if !significant(text) {
            continue;
        }
        let indent = indent_of(text);
        // The next entry of the same list, or of a list further out: the mapping ended.
        if text.trim_start().starts_with("- ") && indent < at {
            return None;
        }
        let Some((key_at, key, value)) = key_of(text) else {
            continue;
        };
        if key_at == at {
            opened = value.is_empty();
        }
        if key == field && key_at != at && !(opened && key_at > at) {
            let (_, first, _) = key_of(lines[line as usize - 1])?;
            return Some(Slip {
                message: None,
                line,
                column: column_at,
                hint: format!(
                    "check the indentation of `{field}` on line {l} (indented too {}); it belongs with `{first}` \
                     on line {line}: start it at column {column_at}",
                    if key_at > at { "far" } else { "little" }
                ),
            });
        }
        if indent == 0 && key_at == 0 {
            return None;
        }
    }
    None
}

/// A mapping or a single value where a list belongs. The parser points at the first
/// value it found instead of the list.
fn not_a_list(lines: &[&str], line: u32, column: u32) -> Option<Slip> {
    let (at, key, value) = key_of(lines[line as usize - 1])?;
    if LISTS_OF_ENTRIES.contains(&key) || LISTS_OF_WORDS.contains(&key) {
        let hint = if LISTS_OF_WORDS.contains(&key) {
            format!("a list is written in brackets, even of one item: write `{key}: [{value}]`")
        } else {
            format!("each entry of `{key}` is a mapping that starts with `- ` on a line of its own")
        };
        return Some(Slip {
            message: Some(format!("`{key}` holds a list, but here it is a single value")),
            line,
            column,
            hint,
        });
    }
    // `sources:` followed by `title: …` without `- `: the parent key holds the list.
    let (_, text) = previous(lines, line)?;
    let (parent_at, parent, parent_value) = key_of(text)?;
    if parent_at >= at || !parent_value.is_empty() {
        return None;
    }
    Some(Slip {
        message: Some(format!("`{parent}` holds a list, but here it is a mapping")),
        line,
        column: column_of(at),
        hint: format!("start each entry of `{parent}` with `- `, as in `- {key}: …`"),
    })
}

/// `title: [Access to the harbour]`: a list or mapping where one text belongs.
fn not_a_text(lines: &[&str], line: u32, column: u32) -> Option<Slip> {
    let (_, key, value) = key_of(lines[line as usize - 1])?;
    let shape = if value.starts_with('[') {
        "a list"
    } else if value.starts_with('{') {
        "a mapping"
    } else {
        "a list or a mapping"
    };
    Some(Slip {
        message: Some(format!("`{key}` holds one text, but here it is {shape}")),
        line,
        column,
        hint: format!("write the text after `{key}:`, in quotes if it starts with `[` or `{{` or holds `: `"),
    })
}

/// `priority: redline`: the allowed values, and the closest of them.
fn unknown_value(lines: &[&str], rest: &str, line: u32, column: u32) -> Option<Slip> {
    let (value, expected) = rest.strip_prefix('`')?.split_once('`')?;
    let allowed = expected.trim_start_matches(',').trim().strip_prefix("expected ")?;
    let allowed = allowed.strip_prefix("one of ").unwrap_or(allowed);
    let choices: Vec<&str> = allowed
        .split(", ")
        .flat_map(|c| c.split(" or "))
        .map(|c| c.trim().trim_matches('`'))
        .filter(|c| !c.is_empty())
        .collect();
    let message = Some(format!(
        "unknown value `{value}`, expected one of {}",
        choices.join(", ")
    ));
    // `priority: high` followed by a key indented too far reads as the value `high stated`.
    if let Some((word, next_key)) = value.split_once(' ')
        && choices.contains(&word)
        && let Some(next) = (line + 1..=lines.len() as u32).find(|&l| significant(lines[l as usize - 1]))
        && let Some((at, key, _)) = key_of(lines[next as usize - 1])
        && next_key.starts_with(key)
        && let Some((sibling_at, sibling, _)) = key_of(lines[line as usize - 1])
        && sibling_at < at
    {
        return Some(Slip {
            message,
            line: next,
            column: column_of(at),
            hint: indentation_hint(key, sibling, line, sibling_at),
        });
    }
    let hint = match crate::suggest::closest(value, choices.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("write one of {}", choices.join(", ")),
    };
    Some(Slip {
        message,
        line,
        column,
        hint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_after_list_dashes() {
        assert_eq!(key_of("  - id: x"), Some((4, "id", "x")));
        assert_eq!(key_of("    sources:"), Some((4, "sources", "")));
        assert_eq!(key_of("    - - a: b"), Some((8, "a", "b")));
        assert_eq!(key_of("    title: a:b"), Some((4, "title", "a:b")));
        assert_eq!(key_of("  just text"), None);
    }

    #[test]
    fn two_choices_are_split_on_or() {
        let slip = find(
            "kind: conflct\n",
            "unknown variant `conflct`, expected `conflict` or `overlap`",
            1,
            7,
        );
        let slip = slip.map(|s| (s.message, s.hint));
        assert_eq!(
            slip,
            Some((
                Some("unknown value `conflct`, expected one of conflict, overlap".to_string()),
                "did you mean `conflict`?".to_string()
            ))
        );
    }
}
