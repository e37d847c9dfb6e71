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
