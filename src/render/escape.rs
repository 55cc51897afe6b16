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
    c.is_control() || is_invisible(c)
}

/// Characters that reorder text or do not show: the bidirectional controls (U+061C,
/// U+200E/F, U+202A–E, U+2066–9), zero-width characters and joiners, the soft hyphen,
/// invisible operators, the byte-order mark, the line and paragraph separators, TAG
/// characters and interlinear annotation marks. An id or a title holding one would look
/// like another; each is shown as an escape.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{180b}'..='\u{180f}'
        | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}' | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e0fff}')
}

/// Serialised JSON with every control character (C0, DEL, C1) and invisible character
/// written as a `\uXXXX` escape: `serde_json` writes DEL, C1 CSI and the bidi controls
/// raw. Such characters can only stand inside JSON strings, where the escape means the
/// same character, so the value read back is unchanged.
pub fn json(text: String) -> String {
    if !text
        .chars()
        .any(|c| c == '\u{7f}' || c.is_control() && c > '\u{7f}' || is_invisible(c))
    {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c == '\u{7f}' || c.is_control() && c > '\u{7f}' || is_invisible(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
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
///
/// Where a spreadsheet splits on `;` (its separator in many locales), every `;`-separated
/// part is a cell of its own, so a part that would run is defused the same way:
/// `Plain;=1+1` becomes `Plain;'=1+1`. Control characters other than tab and line ends
/// (ESC, BEL, C1) and invisible characters are shown as `\u{..}` escapes, as on a
/// terminal, so that a CSV file shown in a terminal cannot act on it.
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    // The common case, decided on bytes: printable ASCII that starts no formula, before
    // or after a `;`.
    let formula = |b: u8| matches!(b, b'=' | b'+' | b'-' | b'@');
    let bytes = cell.as_bytes();
    // Without an early exit, so that the compiler checks many bytes at a time.
    let printable = bytes.iter().fold(true, |ok, &b| ok & (b.wrapping_sub(0x20) < 0x5f));
    if printable
        && !bytes.first().is_some_and(|&b| formula(b))
        && (!bytes.contains(&b';') || !bytes.windows(2).any(|w| w[0] == b';' && formula(w[1])))
    {
        return cell.into();
    }
    let runs = |part: &str| matches!(part.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    let unsafe_char = |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_invisible(c);
    if !runs(cell) && !cell.split(';').skip(1).any(runs) && !cell.chars().any(unsafe_char) {
        return cell.into();
    }
    let mut out = String::with_capacity(cell.len() + 4);
    for (i, part) in cell.split(';').enumerate() {
        if i > 0 {
            out.push(';');
        }
        if runs(part) {
            out.push('\'');
        }
        for c in part.chars() {
            if unsafe_char(c) {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            } else {
                out.push(c);
            }
        }
    }
    out.into()
}

/// A DOT double-quoted string's content: one line, `"` and `\` escaped, and `&` as
/// `&amp;` (Graphviz decodes entities such as `&#8238;` or `&#27;` into its output).
pub fn dot(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in terminal(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
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
    fn invisible_characters_are_shown() {
        assert_eq!(terminal("alpha\u{200b}-d"), "alpha\\u{200b}-d");
        for c in [
            '\u{61c}',
            '\u{ad}',
            '\u{2028}',
            '\u{2029}',
            '\u{e0041}',
            '\u{feff}',
            '\u{2066}',
        ] {
            assert!(!terminal(&format!("a{c}b")).contains(c), "{:x}", c as u32);
            assert!(!html(&format!("a{c}b")).contains(c));
            assert!(!markdown(&format!("a{c}b")).contains(c));
            assert!(!dot(&format!("a{c}b")).contains(c));
        }
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw() {
        let text = serde_json::to_string(&"a\u{1b}[31m\u{7}\u{7f}\u{9b}2J\u{202e}\u{e0041}").unwrap();
        let escaped = json(text);
        assert_eq!(escaped, r#""a\u001b[31m\u0007\u007f\u009b2J\u202e\udb40\udc41""#);
        let back: String = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, "a\u{1b}[31m\u{7}\u{7f}\u{9b}2J\u{202e}\u{e0041}");
    }

    #[test]
    fn csv_cells_hold_no_controls_and_no_formula_after_a_semicolon() {
        assert_eq!(csv_cell("Plain;=1+1"), "Plain;'=1+1");
        assert_eq!(csv_cell("a;b"), "a;b");
        assert_eq!(csv_cell("x\u{1b}]0;t\u{7}y"), "x\\u{1b}]0;t\\u{7}y");
        assert_eq!(csv_cell("two\nlines"), "two\nlines");
    }

    #[test]
    fn dot_labels_decode_no_entities() {
        assert_eq!(dot("a &#8238; b"), "a &amp;#8238; b");
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
