//! Escaping, in one place: what keeps corpus text (which someone else may have written)
//! from acting on the reader's terminal, spreadsheet, Markdown viewer, browser or graph
//! tool. Every renderer escapes through these functions and no others.

/// Text safe to print on a terminal: control characters (C0, DEL, C1) and the Unicode
/// controls that reorder text are shown as `\u{..}` escapes, never passed through.
/// Newlines and tabs become spaces, so one value stays on one line.
pub fn terminal(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            '\r' => {}
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text as HTML: `& < > " '` as entities (safe in content and in quoted attributes), and
/// control characters shown as escapes, as in every other output.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in terminal(text).chars() {
        match (entity(c), c) {
            (Some(entity), _) => out.push_str(entity),
            (None, '"') => out.push_str("&quot;"),
            (None, '\'') => out.push_str("&#39;"),
            (None, c) => out.push(c),
        }
    }
    out
}

/// The entity of a character markup would read as a tag or an entity: `& < >`.
fn entity(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        _ => None,
    }
}

/// Text as Markdown: what Markdown or HTML would interpret (pipes, emphasis and link
/// syntax, tags and entities) escaped, and control characters, as everywhere.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in terminal(text).chars() {
        match (entity(c), c) {
            (Some(entity), _) => out.push_str(entity),
            (None, '|' | '\\' | '*' | '_' | '`' | '[' | ']') => {
                out.push('\\');
                out.push(c);
            }
            (None, c) => out.push(c),
        }
    }
    out
}

/// A CSV cell a spreadsheet will not run: `=SUM(…)`, `+1`, `-1`, `@x`, or a leading tab
/// or CR would be evaluated as a formula, so such a cell is prefixed with `'`.
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A DOT double-quoted string's content: one line, `"` and `\` escaped.
pub fn dot(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in terminal(text).chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Mermaid quoted label's content. Letters, digits and plain punctuation stay; every
/// other character becomes a `#code;` entity, which Mermaid turns back into that
/// character as text (never markup).
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in terminal(text).chars() {
        if c.is_alphanumeric() || " ,.-_()/:'?!".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("#{};", c as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(terminal("plain"), "plain");
        assert_eq!(terminal("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(terminal("two\nlines\r"), "two lines");
        assert_eq!(terminal("x\u{9b}y\u{202e}z"), "x\\u{9b}y\\u{202e}z");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(markdown("a|b <script>"), "a\\|b &lt;script&gt;");
        assert_eq!(markdown("x_y *z*"), "x\\_y \\*z\\*");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("-5..3"), "'-5..3");
        assert_eq!(csv_cell("plain"), "plain");
    }

    #[test]
    fn dot_labels_cannot_end_their_string() {
        assert_eq!(dot(r#"a "quoted" \N name"#), r#"a \"quoted\" \\N name"#);
        assert_eq!(dot("two\nlines"), "two lines");
    }

    #[test]
    fn mermaid_labels_are_entities_outside_plain_text() {
        assert_eq!(mermaid("Café (EU)"), "Café (EU)");
        assert_eq!(
            mermaid("<b>\"x\"</b> #1; a|b"),
            "#60;b#62;#34;x#34;#60;/b#62; #35;1#59; a#124;b"
        );
    }
}
