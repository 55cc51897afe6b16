//! "Did you mean …?" for mistyped ids.

/// Inputs longer than this get no suggestion: no id is longer than 64 characters, so an
/// input of twice that is no typo of one, and comparing it with every id would cost its
/// length times theirs for each.
pub const MAX_INPUT_CHARS: usize = 128;

/// Lists of known ids in a hint show at most this many, then how many more there are.
pub const MAX_LISTED: usize = 12;

/// The candidate closest to `input` by edit distance, if it is close enough to be a typo.
/// Candidates whose length alone puts them too far are not compared.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = input.chars().count();
    if length > MAX_INPUT_CHARS {
        return None;
    }
    let input: Vec<char> = input.to_lowercase().chars().collect();
    let limit = (length / 3).max(2);
    candidates
        .into_iter()
        .filter(|c| c.len() <= 4 * (length + limit) && c.chars().count().abs_diff(length) <= limit)
        .filter_map(|c| bounded_distance(&input, c, limit).map(|d| (d, c)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The edit distance of `a` and `b` if it is at most `limit`: the computation stops as
/// soon as every prefix distance exceeds it.
fn bounded_distance(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let mut row: Vec<usize> = (0..=a.len()).collect();
    for (i, cb) in b.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut best = row[0];
        for (j, ca) in a.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == &cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
            best = best.min(row[j + 1]);
        }
        if best > limit {
            return None;
        }
    }
    Some(row[a.len()]).filter(|&d| d <= limit)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// A prefix lists at most this many of the ids it begins.
pub const MAX_PREFIXED: usize = 5;

/// A hint naming the closest candidate; else, when the input begins some candidates
/// (`ru-crimea` for `ru-crimea-recognised`), those.
pub fn hint<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> Option<String> {
    if let Some(close) = closest(input, candidates.clone()) {
        return Some(format!("did you mean `{close}`?"));
    }
    let prefix = input.to_lowercase();
    if prefix.is_empty() || prefix.chars().count() > MAX_INPUT_CHARS {
        return None;
    }
    let begun: Vec<&str> = candidates
        .into_iter()
        .filter(|c| c.to_lowercase().starts_with(&prefix))
        .collect();
    match begun[..] {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        _ => {
            let shown: Vec<String> = begun.iter().take(MAX_PREFIXED).map(|c| format!("`{c}`")).collect();
            let more = begun.len().saturating_sub(MAX_PREFIXED);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            Some(format!("did you mean one of {}{more}?", shown.join(", ")))
        }
    }
}

/// Known ids for a hint, comma-separated: the first `MAX_LISTED`, then how many more, so
/// that a hint never grows with the corpus.
pub fn list<'a>(items: impl ExactSizeIterator<Item = &'a str>) -> String {
    let total = items.len();
    let shown: Vec<&str> = items.take(MAX_LISTED).collect();
    let more = total - shown.len();
    let mut text = shown.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("russia", "russia"), 0);
    }

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["russia", "ukraine", "us"];
        assert_eq!(closest("rusia", ids), Some("russia"));
        assert_eq!(closest("UKRAINE", ids), Some("ukraine"));
        assert_eq!(closest("china", ids), None);
    }

    #[test]
    fn far_longer_inputs_get_no_suggestion() {
        let long = "r".repeat(MAX_INPUT_CHARS + 1);
        assert_eq!(closest(&long, [long.as_str()]), None);
        assert_eq!(closest("russiaa", ["russia", &"x".repeat(60_000)]), Some("russia"));
    }

    #[test]
    fn a_prefix_suggests_what_it_begins() {
        let ids = ["ru-crimea-recognised", "ru-crimea-deferred", "ua-crimea-returned"];
        assert_eq!(
            hint("ru-crimea", ids).as_deref(),
            Some("did you mean one of `ru-crimea-recognised`, `ru-crimea-deferred`?")
        );
        assert_eq!(
            hint("ua-cri", ids).as_deref(),
            Some("did you mean `ua-crimea-returned`?")
        );
        assert_eq!(hint("zz", ids), None);
    }

    #[test]
    fn lists_are_capped() {
        assert_eq!(list(["a", "b"].into_iter()), "a, b");
        let many: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        assert_eq!(
            list(many.iter().map(String::as_str)),
            "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 8 more"
        );
    }
}
