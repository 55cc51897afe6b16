//! Fitting a table to a width: which columns to show, how wide each is, and when a table
//! gives way to records (one block per row).
//!
//! Every column has a role, inferred from its name and cells:
//! - **id**: ids, dates, words; never broken, so a column is as wide as its longest word;
//! - **prose**: titles, rationales, quotes; wrapped at spaces, and given room first;
//! - **secondary**: sources, URLs, evidence, basis; shortened (URLs to their host) and
//!   then dropped, rightmost first, when the table does not fit;
//! - **number**: counts and tallies; never broken.
//!
//! A table that fits as it is, is drawn as it is. Otherwise URLs are shortened, prose
//! wraps, and secondary columns go until the rest fits with prose at least
//! `PROSE_MIN` wide (a table of at most `FULL_URLS_UP_TO` rows hides nothing: it
//! becomes records at once); when even that does not fit, or the wrapped table would be more than
//! `RECORDS_WHEN_TALLER` times as tall as records, every row becomes a record.

use crate::view::Cell;

/// Prose is not squeezed below this width (unless its whole text is shorter).
pub const PROSE_MIN: usize = 24;
/// Other columns with spaces in their cells (lists, labels) keep at least this width.
pub const WORDS_MIN: usize = 12;
/// A wrapped table more than this many times as tall as its records gives way to them.
pub const RECORDS_WHEN_TALLER: usize = 2;
/// What each column costs beyond its content: a space either side, and one between.
pub const COLUMN_OVERHEAD: usize = 3;

/// Tables of at most this many rows share their room by the lines it saves (each trial
/// wraps every cell); longer ones in equal shares.
pub const FEWEST_LINES_UP_TO: usize = 2_000;

/// Records of tables with at most this many rows show URLs in full.
pub const FULL_URLS_UP_TO: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placed {
    Along,
    OwnLines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Id,
    Prose,
    Secondary,
    Number,
}

const PROSE_COLUMNS: &[&str] = &[
    "title",
    "summary",
    "label",
    "rationale",
    "description",
    "name",
    "quote",
    "why",
    "message",
    "hint",
    "position",
    "words",
    "text",
    "common ground / why",
];

const SECONDARY_COLUMNS: &[&str] = &[
    "url", "source", "sources", "evidence", "basis", "by", "aliases", "file", "tags", "kind",
];

/// The role of a column, from its name (machine names with `_` read as spaces) and cells.
pub fn role(column: &str, cells: &[&Cell]) -> Role {
    let name = column.replace('_', " ");
    if SECONDARY_COLUMNS.contains(&name.as_str()) {
        return Role::Secondary;
    }
    if PROSE_COLUMNS.contains(&name.as_str()) {
        return Role::Prose;
    }
    // Outcomes shown by their labels, and notes, read as prose.
    if cells
        .iter()
        .any(|cell| matches!(cell, Cell::Outcomes { shown, .. } | Cell::Note(shown) if shown.contains(' ')))
    {
        return Role::Prose;
    }
    let numeric = |cell: &&Cell| match cell {
        Cell::Int(_) | Cell::Number(_) | Cell::Empty => true,
        Cell::Text(text) => text.chars().all(|c| c.is_ascii_digit() || " /%().,+-–·".contains(c)),
        _ => false,
    };
    if !cells.is_empty() && cells.iter().all(numeric) {
        Role::Number
    } else {
        Role::Id
    }
}

pub fn is_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://")) && !text.contains(char::is_whitespace)
}

/// A URL's host, without `www.`: what a table has room for.
pub fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host)
}

pub fn width_of(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

fn longest_word(text: &str) -> usize {
    text.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0)
}

/// Greedy word wrap to `room` characters. A word is never broken, unless `hard` and it is
/// longer than `room`: then it is cut into pieces of `room`.
pub fn wrap(text: &str, room: usize, hard: bool) -> Vec<String> {
    let room = room.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut len = 0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let mut word: Vec<char> = word.chars().collect();
            while hard && word.len() > room {
                if len > 0 {
                    lines.push(std::mem::take(&mut line));
                    len = 0;
                }
                let rest = word.split_off(room);
                lines.push(word.into_iter().collect());
                word = rest;
            }
            if word.is_empty() {
                continue;
            }
            if len > 0 && len + 1 + word.len() > room {
                lines.push(std::mem::take(&mut line));
                len = 0;
            }
            if len > 0 {
                line.push(' ');
                len += 1;
            }
            len += word.len();
            line.extend(word);
        }
        lines.push(line);
    }
    lines
}

/// A table's text, ready to lay out: labels, cells (escaped and cut), roles.
pub struct Grid {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub roles: Vec<Role>,
}

/// How a table is drawn at a width.
#[derive(Debug, PartialEq)]
pub enum Plan {
    /// The columns shown (by index), each with its width; URLs shortened when `hosts`.
    Table {
        columns: Vec<(usize, usize)>,
        hosts: bool,
        hidden: Vec<usize>,
    },
    Records,
}

impl Grid {
    fn text(&self, row: usize, column: usize, hosts: bool) -> &str {
        let text = &self.rows[row][column];
        if hosts && is_url(text) { host(text) } else { text }
    }

    fn natural(&self, column: usize, hosts: bool) -> usize {
        (0..self.rows.len())
            .map(|r| width_of(self.text(r, column, hosts)))
            .chain([width_of(&self.headers[column])])
            .max()
            .unwrap_or(0)
    }

    fn minimum(&self, column: usize, hosts: bool) -> usize {
        let natural = self.natural(column, hosts);
        let wraps = (0..self.rows.len()).any(|r| self.text(r, column, hosts).contains(' '));
        let words = (0..self.rows.len())
            .map(|r| longest_word(self.text(r, column, hosts)))
            .chain([longest_word(&self.headers[column])])
            .max()
            .unwrap_or(0);
        if !wraps {
            return natural.max(words);
        }
        let floor = if self.roles[column] == Role::Prose {
            PROSE_MIN
        } else {
            WORDS_MIN
        };
        words.max(natural.min(floor))
    }

    /// Lines the table takes with these columns (header and rule included).
    pub fn height(&self, columns: &[(usize, usize)], hosts: bool) -> usize {
        let lines = |text: &str, width: usize| wrap(text, width, false).len();
        let header = columns
            .iter()
            .map(|&(c, w)| lines(&self.headers[c], w))
            .max()
            .unwrap_or(1);
        let body: usize = (0..self.rows.len())
            .map(|r| {
                columns
                    .iter()
                    .map(|&(c, w)| lines(self.text(r, c, hosts), w))
                    .max()
                    .unwrap_or(1)
            })
            .sum();
        header + 1 + body
    }

    /// How to draw the table in `width` columns.
    pub fn plan(&self, width: usize) -> Plan {
        let all: Vec<usize> = (0..self.headers.len()).collect();
        let fits = |cols: &[usize], hosts: bool| {
            cols.iter()
                .map(|&c| self.natural(c, hosts) + COLUMN_OVERHEAD)
                .sum::<usize>()
                <= width + 1
        };
        if fits(&all, false) {
            let columns = all.iter().map(|&c| (c, self.natural(c, false))).collect();
            return Plan::Table {
                columns,
                hosts: false,
                hidden: Vec::new(),
            };
        }
        // A short table (a demand's sources) keeps its URLs whole.
        let hosts = !self.full_urls();
        let mut shown = all.clone();
        let mut hidden = Vec::new();
        loop {
            let room = (width + 1).saturating_sub(shown.len() * COLUMN_OVERHEAD);
            let minimum: Vec<usize> = shown.iter().map(|&c| self.minimum(c, hosts)).collect();
            if minimum.iter().sum::<usize>() <= room {
                let natural: Vec<usize> = shown.iter().map(|&c| self.natural(c, hosts)).collect();
                let widths = self.fewest_lines(&shown, minimum, &natural, room, hosts);
                let widths = share(&widths, &natural, room, shown.iter().map(|&c| self.roles[c]));
                let columns: Vec<(usize, usize)> = shown.iter().copied().zip(widths).collect();
                if self.height(&columns, hosts) > RECORDS_WHEN_TALLER * self.record_height(width) {
                    return Plan::Records;
                }
                hidden.sort_unstable();
                return Plan::Table { columns, hosts, hidden };
            }
            // A short table (a demand's sources) keeps every column, as records.
            match shown.iter().rposition(|&c| self.roles[c] == Role::Secondary) {
                Some(at) if !self.full_urls() => hidden.push(shown.remove(at)),
                _ => return Plan::Records,
            }
        }
    }

    /// Records give URLs in full when there are few of them (a demand's sources), else
    /// their host, as tables do.
    fn full_urls(&self) -> bool {
        self.rows.len() <= FULL_URLS_UP_TO
    }

    /// Where a cell goes in its record: along the first lines, on lines of its own (long
    /// prose), or nowhere (empty, or long secondary text, which would double the record).
    fn in_record(&self, row: usize, column: usize, width: usize) -> Option<Placed> {
        let text = &self.rows[row][column];
        // `·` marks a cell that does not apply (a party against itself).
        if text.is_empty() || (column > 0 && text == "·") {
            return None;
        }
        let chars = text.chars().count();
        let long = if is_url(text) {
            self.full_urls() && chars > width / 2
        } else {
            text.contains(' ') && chars > (width / 2).min(40)
        };
        match (column, long, self.roles[column]) {
            (0, _, _) | (_, false, _) => Some(Placed::Along),
            (_, true, Role::Secondary) if !self.full_urls() => None,
            (_, true, _) => Some(Placed::OwnLines),
        }
    }

    /// The columns some record leaves out.
    pub fn record_hidden(&self, width: usize) -> Vec<usize> {
        (0..self.headers.len())
            .filter(|&c| self.roles[c] == Role::Secondary)
            .filter(|&c| {
                (0..self.rows.len()).any(|r| !self.rows[r][c].is_empty() && self.in_record(r, c, width).is_none())
            })
            .collect()
    }

    /// Widths from `minimum` within `room`, a few characters at a time to the column
    /// that saves the most lines; what saves none is left for `share`.
    fn fewest_lines(
        &self,
        shown: &[usize],
        minimum: Vec<usize>,
        natural: &[usize],
        room: usize,
        hosts: bool,
    ) -> Vec<usize> {
        const STEP: usize = 4;
        let height = |widths: &[usize]| {
            let columns: Vec<(usize, usize)> = shown.iter().copied().zip(widths.iter().copied()).collect();
            self.height(&columns, hosts)
        };
        let mut widths = minimum;
        if self.rows.len() > FEWEST_LINES_UP_TO {
            return widths;
        }
        let mut left = room.saturating_sub(widths.iter().sum());
        let mut current = height(&widths);
        while left > 0 {
            let mut best: Option<(usize, usize, usize)> = None;
            for i in (0..widths.len()).filter(|&i| widths[i] < natural[i]) {
                let more = STEP.min(left).min(natural[i] - widths[i]);
                let mut trial = widths.clone();
                trial[i] += more;
                let lines = height(&trial);
                if lines < current && best.is_none_or(|(_, _, b)| lines < b) {
                    best = Some((i, more, lines));
                }
            }
            let Some((i, more, lines)) = best else {
                break;
            };
            widths[i] += more;
            left -= more;
            current = lines;
        }
        widths
    }

    /// Lines of every row as a record.
    pub fn record_height(&self, width: usize) -> usize {
        (0..self.rows.len()).map(|r| self.record(r, width).len()).sum()
    }

    /// One row as a record: the first cell, then `label value` pairs flowing along
    /// (`·` between), and each long piece of prose on lines of its own, indented.
    /// Each line is the text shown and the index of the column it comes from where it is
    /// one value only (for colour).
    pub fn record(&self, row: usize, width: usize) -> Vec<Vec<(String, Option<usize>)>> {
        const INDENT: &str = "  ";
        let mut lines: Vec<Vec<(String, Option<usize>)>> = Vec::new();
        let mut line: Vec<(String, Option<usize>)> = Vec::new();
        let mut len = 0;
        let mut prose = Vec::new();
        for (column, text) in self.rows[row].iter().enumerate() {
            let Some(kind) = self.in_record(row, column, width) else {
                continue;
            };
            let label = &self.headers[column];
            let text = if is_url(text) && !self.full_urls() {
                host(text)
            } else {
                text
            };
            if kind == Placed::OwnLines {
                prose.push((column, text));
                continue;
            }
            let mut pieces: Vec<(String, Option<usize>)> = Vec::new();
            if column > 0 {
                pieces.push((format!("{label} "), None));
            }
            pieces.push((text.to_string(), Some(column)));
            let token_len: usize = pieces.iter().map(|(t, _)| t.chars().count()).sum();
            let sep = if len == 0 { 0 } else { 3 };
            if len > 0 && len + sep + token_len > width {
                lines.push(std::mem::take(&mut line));
                len = 0;
            }
            if len == 0 && !lines.is_empty() {
                line.push((INDENT.into(), None));
                len = INDENT.len();
            } else if len > 0 {
                line.push((" · ".into(), None));
                len += 3;
            }
            if len + token_len > width {
                // A value too long for any line (a URL) is cut where the line ends.
                let joined: String = pieces.into_iter().map(|(t, _)| t).collect();
                let room = width.saturating_sub(len.max(INDENT.len())).max(1);
                for (i, piece) in wrap(&joined, room, true).into_iter().enumerate() {
                    if i > 0 {
                        lines.push(std::mem::take(&mut line));
                        line.push((INDENT.into(), None));
                        len = INDENT.len();
                    }
                    len += piece.chars().count();
                    line.push((piece, None));
                }
                continue;
            }
            len += token_len;
            line.extend(pieces);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        for (column, text) in prose {
            let label = &self.headers[column];
            let text = format!("{label}: {text}");
            let room = width.saturating_sub(2 * INDENT.len()).max(1);
            for (i, piece) in wrap(&text, room, true).into_iter().enumerate() {
                let indent = if i == 0 { INDENT } else { "    " };
                lines.push(vec![(format!("{indent}{piece}"), None)]);
            }
        }
        lines
    }
}

/// Widths from `minimum` towards `natural` within `room`: prose first, then every other
/// column, each time in equal shares.
fn share(minimum: &[usize], natural: &[usize], room: usize, roles: impl Iterator<Item = Role>) -> Vec<usize> {
    let roles: Vec<Role> = roles.collect();
    let mut widths = minimum.to_vec();
    let mut left = room.saturating_sub(widths.iter().sum());
    for prose_first in [true, false] {
        loop {
            let open: Vec<usize> = (0..widths.len())
                .filter(|&i| widths[i] < natural[i] && (!prose_first || roles[i] == Role::Prose))
                .collect();
            if open.is_empty() || left == 0 {
                break;
            }
            let each = (left / open.len()).max(1);
            for i in open {
                let more = each.min(natural[i] - widths[i]).min(left);
                widths[i] += more;
                left -= more;
            }
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(headers: &[&str], rows: &[&[&str]], roles: &[Role]) -> Grid {
        Grid {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect(),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("a bb ccc dddd", 6, false), ["a bb", "ccc", "dddd"]);
        assert_eq!(
            wrap("averyveryverylongword x", 5, false),
            ["averyveryverylongword", "x"]
        );
        assert_eq!(wrap("abcdefgh x", 3, true), ["abc", "def", "gh", "x"]);
        assert_eq!(wrap("", 10, false), [""]);
    }

    #[test]
    fn urls_shorten_to_their_host() {
        assert_eq!(host("https://www.example.org/a/b?c"), "example.org");
        assert!(is_url("http://x.y/z"));
        assert!(!is_url("see http://x.y/z"));
    }

    #[test]
    fn a_table_that_fits_is_left_alone() {
        let g = grid(&["a", "b"], &[&["x", "y y"]], &[Role::Id, Role::Prose]);
        assert_eq!(
            g.plan(80),
            Plan::Table {
                columns: vec![(0, 1), (1, 3)],
                hosts: false,
                hidden: vec![]
            }
        );
    }

    #[test]
    fn secondary_columns_go_before_ids_break_and_then_rows_become_records() {
        let id = "an-identifier-of-thirty-chars-";
        let prose = "words ".repeat(20);
        let row: &[&str] = &[id, &prose, "https://example.org/a-long-path/to-a-document"];
        let rows = vec![row; FULL_URLS_UP_TO + 1];
        let g = grid(
            &["id", "title", "source"],
            &rows,
            &[Role::Id, Role::Prose, Role::Secondary],
        );
        match g.plan(60) {
            Plan::Table { columns, hidden, .. } => {
                assert_eq!(columns[0], (0, 30));
                assert_eq!(hidden, [2]);
            }
            Plan::Records => panic!("the table fits without its source"),
        }
        assert_eq!(g.plan(40), Plan::Records);
        assert_eq!(g.record_hidden(40), Vec::<usize>::new());
        for line in g.record(0, 40) {
            let text: String = line.iter().map(|(t, _)| t.as_str()).collect();
            assert!(text.chars().count() <= 40, "{text}");
        }
    }
}
