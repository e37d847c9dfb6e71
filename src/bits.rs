//! What a field or a metric can carry, in identifying bits: the measure
//! the privacy rules bound (`field-information`, `metric-information`,
//! `reidentification-budget`) and the page and the review show. A helper
//! below the stages, so that what reports it does not reach into a rule.

use crate::model::{FieldType, Proposal};

/// Identifying bits a field can carry (see the `reidentification-budget` docs).
pub fn field_bits(ty: &FieldType) -> f64 {
    match ty {
        FieldType::Bool => 1.0,
        FieldType::Enum { values } => ((values.len() + 1) as f64).log2(),
        FieldType::Set { values } => values.len() as f64 + 2.0,
        FieldType::Count { buckets } | FieldType::Duration { buckets, .. } => {
            (buckets.labels().len() as f64).log2()
        }
        FieldType::Version { resolution, parts } => {
            // Every combination of parts within their ranges, and `unknown`.
            let parts = crate::model::PartRanges::of(*resolution, parts.as_ref());
            (parts.combinations() + 1.0).log2()
        }
        // Every date of its resolution in the span it may send, and none.
        FieldType::Date { resolution, span } => {
            (resolution.units_in(span.days() as f64).max(1.0) + 1.0).log2()
        }
        FieldType::Map { keys, value } => {
            let per_key = (field_bits(value).exp2() + 1.0).log2();
            per_key * keys.len() as f64
        }
        FieldType::String {
            max_len, automaton, ..
        } => string_bits(automaton, *max_len),
    }
}

/// Bits one element of a field can carry, what `field-information` bounds:
/// a map is a group of fields (one per key) and a set a group of flags (one
/// per item, and its bucketed count of unlisted items), each judged alone
/// as separate fields would be, while the metric's bound counts them all
/// ([`field_bits`]). A set of people is `pii-in-domain`'s to find. Any
/// other field is one element.
pub fn element_bits(ty: &FieldType) -> f64 {
    match ty {
        FieldType::Map { value, .. } => (field_bits(value).exp2() + 1.0).log2(),
        FieldType::Set { .. } => 2.0,
        _ => field_bits(ty),
    }
}

/// log2 of the number of strings of at most `max_len` characters the
/// pattern admits, counted exactly on its automaton (capped where f64
/// overflows). The automaton reads bytes; the count steps by whole UTF-8
/// characters: a lead byte starts a character (and says how many
/// continuation bytes follow), continuation bytes finish it.
fn string_bits(t: &crate::automaton::Table, max_len: u32) -> f64 {
    // Bytes of each class in each UTF-8 role: ASCII, continuation, and the
    // leads of 2-, 3- and 4-byte characters.
    const ROLES: [(u8, u8, usize); 5] = [
        (0x00, 0x7F, 0),
        (0xC2, 0xDF, 1),
        (0xE0, 0xEF, 2),
        (0xF0, 0xF4, 3),
        (0x80, 0xBF, usize::MAX),
    ];
    let mut in_role = vec![[0f64; 5]; t.class_count];
    for (r, &(lo, hi, _)) in ROLES.iter().enumerate() {
        for b in lo..=hi {
            in_role[usize::from(t.classes[usize::from(b)])][r] += 1.0;
        }
    }
    let states = t.accept.len();
    let step = |s: usize, c: usize| usize::from(t.transitions[s * t.class_count + c]);
    let mut cur = vec![0f64; states];
    cur[usize::from(t.start)] = 1.0;
    let mut total = if t.accept[usize::from(t.start)] {
        1.0
    } else {
        0.0
    };
    for _ in 0..max_len.min(4096) {
        // pending[k][state]: paths in the middle of a character with k
        // continuation bytes still to read.
        let mut next = vec![0f64; states];
        let mut pending = vec![vec![0f64; states]; 4];
        for (s, &count) in cur.iter().enumerate().skip(1) {
            if count == 0.0 {
                continue;
            }
            for (c, sizes) in in_role.iter().enumerate() {
                let to = step(s, c);
                if to == 0 {
                    continue;
                }
                next[to] += count * sizes[0];
                for k in 1..=3 {
                    pending[k][to] += count * sizes[k];
                }
            }
        }
        for k in (1..=3).rev() {
            let here = std::mem::take(&mut pending[k]);
            for (s, &count) in here.iter().enumerate().skip(1) {
                if count == 0.0 {
                    continue;
                }
                for (c, sizes) in in_role.iter().enumerate() {
                    let to = step(s, c);
                    let n = sizes[4];
                    if to == 0 || n == 0.0 {
                        continue;
                    }
                    if k == 1 {
                        next[to] += count * n;
                    } else {
                        pending[k - 1][to] += count * n;
                    }
                }
            }
        }
        total += next
            .iter()
            .enumerate()
            .filter(|(s, _)| t.accept[*s])
            .map(|(_, c)| c)
            .sum::<f64>();
        if next.iter().all(|&c| c == 0.0) || !total.is_finite() {
            break;
        }
        cur = next;
    }
    if total.is_finite() {
        total.max(1.0).log2()
    } else {
        1024.0
    }
}

/// Bits all typed fields of `p` can carry together.
pub fn metric_bits(p: &Proposal) -> f64 {
    p.fields
        .iter()
        .filter_map(|f| f.ty.as_ref())
        .map(|ty| field_bits(&ty.value))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::string_bits;

    #[test]
    fn a_date_counts_the_span_it_may_send() {
        use crate::date::Date;
        use crate::model::{DateResolution, DateSpan, FieldType};
        let date = |s: &str| Date::parse(s).unwrap();
        let bits = |resolution, earliest: Option<&str>| {
            super::field_bits(&FieldType::Date {
                resolution,
                span: DateSpan {
                    earliest: earliest.map(date),
                    latest: None,
                    expires: Some(date("2028-12-31")),
                },
            })
        };
        // 21,550 days from the Unix epoch, and none.
        assert!((bits(DateResolution::Day, None) - 14.395).abs() < 0.01);
        // 3,288 days from 2020.
        assert!((bits(DateResolution::Day, Some("2020-01-01")) - 11.683).abs() < 0.01);
        // 708 months from the epoch.
        assert!((bits(DateResolution::Month, None) - 9.47).abs() < 0.01);
    }

    #[test]
    fn string_bits_count_the_admitted_strings() {
        // "a" or "b": 2 strings, 1 bit
        let bits = |p: &str, n| string_bits(&crate::automaton::compile(p).unwrap(), n);
        assert!((bits("a|b", 4) - 1.0).abs() < 1e-9);
        // [a-z]{2}: 676 strings
        assert!((bits("[a-z]{2}", 2) - 676f64.log2()).abs() < 1e-9);
        // [0-9]{1,3}: 10 + 100 + 1000
        assert!((bits("[0-9]{1,3}", 3) - 1110f64.log2()).abs() < 1e-6);
        // An unbounded repetition is bounded by max_len in characters:
        // [xy]*z up to 6 characters is 1 + 2 + … + 32 = 63 strings, the
        // same language as [xy]{0,5}z.
        assert!((bits("[xy]*z", 6) - 63f64.log2()).abs() < 1e-9);
        assert!((bits("[xy]{0,5}z", 6) - 63f64.log2()).abs() < 1e-9);
        // Characters, not bytes: é is two bytes, one character.
        assert!((bits("é{1,2}", 2) - 2f64.log2()).abs() < 1e-9);
        assert!((bits("[aé]{1,2}", 2) - 6f64.log2()).abs() < 1e-9);
        assert!((bits("é+", 1) - 0.0).abs() < 1e-9);
    }
}
