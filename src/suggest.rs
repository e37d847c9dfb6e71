//! "Did you mean" suggestions by edit distance.

/// Levenshtein distance over chars (strsim's).
pub fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo
/// (at most a third of the word's length, and at least one edit allowed).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (distance(&lower, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("sanitisation", "sanitization"), 1);
    }

    #[test]
    fn closest_respects_limit() {
        let keys = ["question", "gathering", "pii"];
        assert_eq!(closest("questoin", keys), Some("question"));
        assert_eq!(closest("PII", keys), Some("pii"));
        assert_eq!(closest("colour", keys), None);
    }
}
