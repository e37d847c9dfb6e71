//! Bucket edges and labels for counts and durations.
//!
//! Edges are lower bounds. With edges `e0 < e1 < … < en`, a value `v` reports
//! as the bucket `[ei, e(i+1) - 1]`, or as the overflow bucket `en+` when
//! `v >= en`. When `e0 > 0`, values below it form one more bucket `[0, e0 - 1]`.
//! A bucket holding one value is labelled by that value (`"1"`), a range by its
//! bounds (`"2-4"`), the overflow bucket by its edge and a plus (`"10+"`).

/// Named edge scales, each cut at a `max` (the overflow edge).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Preset {
    /// 0, 1, 2, 4, 8, 16, …
    Pow2,
    /// 0, 1, 2, 5, 10, 20, 50, …
    OneTwoFive,
    /// 0, 1, 10, 100, 1000, …
    Pow10,
}

impl Preset {
    pub const NAMES: &'static [&'static str] = &["pow2", "1-2-5", "pow10"];

    pub fn parse(s: &str) -> Option<Preset> {
        match s {
            "pow2" => Some(Preset::Pow2),
            "1-2-5" => Some(Preset::OneTwoFive),
            "pow10" => Some(Preset::Pow10),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Preset::Pow2 => "pow2",
            Preset::OneTwoFive => "1-2-5",
            Preset::Pow10 => "pow10",
        }
    }

    /// The edges of this scale up to and including the largest edge `<= max`.
    pub fn edges(self, max: u64) -> Vec<u64> {
        let (multipliers, base): (&[u64], u64) = match self {
            Preset::Pow2 => (&[1], 2),
            Preset::OneTwoFive => (&[1, 2, 5], 10),
            Preset::Pow10 => (&[1], 10),
        };
        let mut edges = vec![0];
        let mut step = Some(1u64);
        while let Some(s) = step {
            for &m in multipliers {
                match s.checked_mul(m) {
                    Some(e) if e <= max => edges.push(e),
                    _ => return edges,
                }
            }
            step = s.checked_mul(base);
        }
        edges
    }
}

/// Bucket edges of the count of unlisted items in a `set` (the `metrics`
/// crate's `UnknownItems` holds the same edges).
pub const SET_UNKNOWN_EDGES: &[u64] = &[0, 1, 2, 5];

/// Labels of the buckets defined by strictly increasing `edges`.
pub fn labels(edges: &[u64]) -> Vec<String> {
    let mut out = Vec::with_capacity(edges.len() + 1);
    if let Some(&first) = edges.first()
        && first > 0
    {
        out.push(range_label(0, first - 1));
    }
    for pair in edges.windows(2) {
        out.push(range_label(pair[0], pair[1] - 1));
    }
    if let Some(last) = edges.last() {
        out.push(format!("{last}+"));
    }
    out
}

/// The lower bound of each of [`labels`]`(edges)`, in the same order: the
/// smallest value that reports as that label (a value `v` reports as the
/// last bound `<= v`). What a client in any language needs to bucket.
pub fn lower_bounds(edges: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(edges.len() + 1);
    if edges.first().is_some_and(|&first| first > 0) {
        out.push(0);
    }
    out.extend_from_slice(edges);
    out
}

/// Whether `s` is one of [`labels`]`(edges)`, without building them (a
/// collector checks every count of every payload).
pub fn is_label(edges: &[u64], s: &str) -> bool {
    // A number as a label writes it: digits, no leading zero.
    let number = |t: &str| -> Option<u64> {
        let plain = !t.is_empty()
            && t.len() <= 20
            && t.bytes().all(|b| b.is_ascii_digit())
            && (t == "0" || !t.starts_with('0'));
        plain.then(|| t.parse().ok()).flatten()
    };
    if let Some(n) = s.strip_suffix('+') {
        return edges.last().is_some_and(|&last| number(n) == Some(last));
    }
    let (lo, hi) = match s.split_once('-') {
        Some((a, b)) => match (number(a), number(b)) {
            // `lo-hi` is written only for a range of more than one value.
            (Some(lo), Some(hi)) if lo < hi => (lo, hi),
            _ => return false,
        },
        None => match number(s) {
            Some(n) => (n, n),
            None => return false,
        },
    };
    // A range of [`labels`]: from 0 (or an edge) to just before the next edge.
    let Some(next) = hi.checked_add(1) else {
        return false;
    };
    let Ok(i) = edges.binary_search(&next) else {
        return false;
    };
    if i == 0 { lo == 0 } else { edges[i - 1] == lo }
}

fn range_label(lo: u64, hi: u64) -> String {
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}-{hi}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_label_agrees_with_labels() {
        let sets: [&[u64]; 6] = [
            &[0, 1, 2, 5, 10],
            &[1, 3],
            &[5],
            &[0],
            &[0, 1],
            &[2, 3, 100],
        ];
        let probes = [
            "0", "1", "2", "2-4", "5-9", "10+", "1-2", "3+", "0-4", "5+", "0+", "00", "01", "2-2",
            "4-2", "-1", "1-", "+", "10", "3-99", "100+", "0-1", "x", "",
        ];
        for edges in sets {
            let all = labels(edges);
            for p in probes.iter().copied().chain(all.iter().map(String::as_str)) {
                assert_eq!(
                    is_label(edges, p),
                    all.iter().any(|l| l == p),
                    "{edges:?} {p:?}"
                );
            }
        }
    }

    #[test]
    fn labels_cover_all_values() {
        assert_eq!(labels(&[0, 1, 2, 5, 10]), ["0", "1", "2-4", "5-9", "10+"]);
        assert_eq!(labels(&[1, 3]), ["0", "1-2", "3+"]);
        assert_eq!(labels(&[5]), ["0-4", "5+"]);
        assert_eq!(labels(&[0]), ["0+"]);
    }

    #[test]
    fn presets() {
        assert_eq!(Preset::Pow2.edges(20), [0, 1, 2, 4, 8, 16]);
        assert_eq!(Preset::OneTwoFive.edges(100), [0, 1, 2, 5, 10, 20, 50, 100]);
        assert_eq!(Preset::Pow10.edges(5000), [0, 1, 10, 100, 1000]);
        assert_eq!(Preset::Pow2.edges(0), [0]);
        // saturation never loops forever
        assert_eq!(Preset::Pow2.edges(u64::MAX).len(), 65);
        assert!(
            Preset::OneTwoFive
                .edges(u64::MAX)
                .windows(2)
                .all(|w| w[0] < w[1])
        );
    }
}
