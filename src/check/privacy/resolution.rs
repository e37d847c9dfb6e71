//! Resolution: a version that keeps its patch level, buckets so narrow
//! they report the exact value, and numbers spelled in names.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{FieldType, Proposal, VersionResolution};
use crate::rules::{Rule, Severity};

pub const PATCH_VERSION: Rule = Rule {
    id: "patch-version",
    family: "privacy",
    severity: Severity::Error,
    summary: "a version keeps the patch level without a stated reason",
    what: "A `version` field with `resolution = \"patch\"` and no `reason` (a reason too thin \
           to review is `weak-reason`).",
    why: "Patch levels multiply the distinct values a field can take and single out \
          installations on unusual builds; major.minor answers almost every support question. \
          When a patch level is really needed (a security fix rollout), say so in `reason`.",
    example: "[fields.release]\ntype = \"version\"\nresolution = \"patch\"",
};

pub const FINE_BUCKETS: Rule = Rule {
    id: "fine-buckets",
    family: "privacy",
    severity: Severity::Error,
    summary: "a bucket is narrow enough to report an exact value",
    what: "A count or duration with consecutive edges `a < b`, `a` at least 3, that grow \
           by less than `thresholds.min_bucket_ratio` (default 1.5: `[…, 100, 110]`, or \
           `[…, 7, 8, …]`, which reports exactly 7). Edges are whole numbers, so a step short \
           of the ratio only by rounding passes (0, 1, 2 and 3 may each be a bucket of their \
           own, 4 may not), and the last edge before the overflow bucket may fall 10% short of \
           it. A count with a `bound` (the largest value it can take, a percentage's 100) is a \
           bounded scale: edges in its upper half are judged by their distance to the bound \
           (`75, 90, 100` is as coarse as `0, 10, 25`), and the bound may be a bucket of its \
           own. A number spelled as a name is \
           held to the same rule: enum values, set items or map keys that share a prefix and \
           suffix around a number, or are number words (`slot_3`, `slot_4`, `slot_5`; \
           `fleet_000` to `fleet_149`; `one` to `nine`), and a metric's boolean fields that are \
           thresholds of one quantity (`above_10`, `above_11`, `above_12`: a count in unary) \
           are flagged when three consecutive numbers above 2 appear, more numbers than \
           `thresholds.max_buckets`, or, from eight numbers up (a scale rather than a few \
           codes such as ports), edges a count's buckets could not have (`s7`, `s14`, \
           `s21`, …). Roman numerals after a prefix (`tier_iv`) are numbers too, and \
           threshold flags count whatever their naming (`over_11` beside `at_least_12`). \
           Two bucketed fields that name the same thing (`pods_running`, `pods_admitted`) \
           on interleaved scales are read together: their edges, merged, are held to the \
           same rule. A number next to a dot (`python3.11`) is a version's part and is left \
           alone.",
    why: "Few installations are large. Narrow buckets at the top hold only one or two of them, \
          so the bucket identifies the installation; one bucket per value is an exact count \
          under another name. Geometric edges (powers of two, 1-2-5 steps) keep every bucket \
          populated.",
    example: "[fields.workers]\ntype = \"count\"\nbuckets = [0, 1, 2, 3, 4, 5, 10]",
};

/// Why `edges` report (nearly) exact values, if they do: a bucket whose
/// upper edge is short of `ratio` times its lower one, from 3 up (whole
/// numbers: a step short only by rounding passes, so 3 alone is a bucket
/// but 4 alone is not; 10% is forgiven on the last edge). On a bounded
/// scale (`bound`, a percentage's 100), edges in its upper half are judged
/// by their distance to the bound instead, where the busy end is: `75, 90,
/// 100` is as coarse as `0, 10, 25`, and the bound itself, like 0, may be
/// a bucket of its own.
pub fn fine_bucket(edges: &[u64], ratio: f64, bound: Option<u64>) -> Option<String> {
    let last = edges.len().saturating_sub(2);
    for (i, w) in edges.windows(2).enumerate() {
        // Distances to the bound, for a bucket in the scale's upper half.
        let upper = bound.filter(|&b| 2 * w[0] >= b);
        let (from, to) = match upper {
            Some(b) => (b.saturating_sub(w[1]), b.saturating_sub(w[0])),
            None => (w[0], w[1]),
        };
        let slack = if i == last && bound.is_none() {
            0.9
        } else {
            1.0
        };
        let need = from as f64 * ratio * slack;
        if from >= 3 && (to as f64) < need.floor() {
            return Some(if w[1] - w[0] == 1 {
                format!(
                    "has a bucket holding only {}: it reports the exact value",
                    w[0]
                )
            } else if let Some(b) = upper {
                format!(
                    "has a bucket from {} to {}: too narrow that close to the bound {b}",
                    w[0],
                    w[1] - 1
                )
            } else {
                format!(
                    "has a bucket from {} to {}: too narrow that high up",
                    w[0],
                    w[1] - 1
                )
            });
        }
    }
    None
}

pub fn check(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) {
    for f in &p.fields {
        let Some(ty) = &f.ty else { continue };
        if matches!(
            ty.value,
            FieldType::Version {
                resolution: VersionResolution::Patch,
                ..
            }
        ) && f.reason.is_none()
        {
            out.push(
                Diagnostic::new(
                    &PATCH_VERSION,
                    p.file,
                    ty.span.clone(),
                    format!("field `{}` keeps the patch level", f.name.value),
                )
                .help(
                    "use resolution = \"minor\", or say in `reason` why the patch level is needed",
                )
                .metric(&p.name),
            );
        }
        if let Some(b) = ty.value.buckets()
            && let Some(problem) =
                fine_bucket(&b.edges, config.thresholds.min_bucket_ratio, b.bound)
        {
            out.push(
                Diagnostic::new(
                    &FINE_BUCKETS,
                    p.file,
                    b.span.clone(),
                    format!("field `{}` {problem}", f.name.value),
                )
                .help(format!(
                    "make each edge from 3 up at least {}× the one before (0, 1, 2 and 3 may be buckets of their own), e.g. a 1-2-5 or pow2 preset; a percentage or another bounded scale declares its top with `bound = 100`",
                    config.thresholds.min_bucket_ratio
                ))
                .metric(&p.name),
            );
        }
    }
    spelled_numbers(
        p,
        config.thresholds.max_buckets,
        config.thresholds.min_bucket_ratio,
        out,
    );
    interleaved_scales(p, config.thresholds.min_bucket_ratio, out);
}

/// Two bucketed fields of one metric that name the same thing (a word of
/// three letters or more in common: `pods_running`, `pods_admitted`), on
/// different scales of the same kind (counts, or durations compared in
/// milliseconds), whose edges together are fine while each alone is
/// coarse: read as one quantity, the pair reports it to the finer union of
/// their edges (`[0, 2, 4, 8]` and `[0, 1, 3, 6]` pin every value below
/// 8). Counts of different things (`cpus` on a power-of-two scale, `hash_mibps`
/// on 1-2-5) say nothing more together. Reported once per field, at the
/// later of the two.
fn interleaved_scales(p: &Proposal, ratio: f64, out: &mut Vec<Diagnostic>) {
    // (field, edges in a common unit, counts or durations)
    let scales: Vec<(&crate::model::Field, Vec<u64>, bool)> = p
        .fields
        .iter()
        .filter_map(|f| match &f.ty.as_ref()?.value {
            FieldType::Count { buckets } if buckets.bound.is_none() => {
                Some((f, buckets.edges.clone(), false))
            }
            FieldType::Duration { unit, buckets } => Some((
                f,
                buckets
                    .edges
                    .iter()
                    .map(|e| e.saturating_mul(unit.millis()))
                    .collect(),
                true,
            )),
            _ => None,
        })
        .filter(|(_, edges, _)| fine_bucket(edges, ratio, None).is_none())
        .collect();
    for (j, (later, edges_j, kind_j)) in scales.iter().enumerate() {
        let partner = scales[..j].iter().find_map(|(earlier, edges_i, kind_i)| {
            if kind_i != kind_j
                || edges_i == edges_j
                || !share_a_word(&earlier.name.value, &later.name.value)
            {
                return None;
            }
            let mut union: Vec<u64> = edges_i.iter().chain(edges_j).copied().collect();
            union.sort_unstable();
            union.dedup();
            fine_bucket(&union, ratio, None).map(|why| (earlier, union, why))
        });
        let Some((earlier, union, why)) = partner else {
            continue;
        };
        let shown: Vec<String> = union.iter().take(8).map(u64::to_string).collect();
        out.push(
            Diagnostic::new(
                &FINE_BUCKETS,
                p.file,
                later.name.span.clone(),
                format!(
                    "fields `{}` and `{}` bucket on interleaved scales: read together, as one quantity, their edges ({}{}) give a scale that {why} (an exact count)",
                    earlier.name.value,
                    later.name.value,
                    shown.join(", "),
                    if union.len() > 8 { ", …" } else { "" }
                ),
            )
            .label("interleaved with an earlier field's scale")
            .help("bucket related quantities on one scale (the same preset and max), so that together they tell no more than each alone")
            .metric(&p.name),
        );
    }
}

/// The integers a list of names spells, when it spells one quantity: the
/// largest group of names that are one shared prefix and suffix around a
/// number (`slot_3`, `k12`, `above_10`, `7`), in order, when it has at least
/// four. A number next to a dot is a version's part (`python3.11`), not a
/// quantity, and is left alone.
pub fn numbers_spelled(names: &[&str]) -> Option<Vec<u64>> {
    let mut numbers = spelled_groups(names).into_values().max_by_key(Vec::len)?;
    numbers.sort_unstable();
    numbers.dedup();
    (numbers.len() >= 4).then_some(numbers)
}

/// The numbers names spell, grouped by the prefix and suffix around them.
fn spelled_groups<'a>(
    names: &[&'a str],
) -> std::collections::HashMap<(&'a str, &'a str), Vec<u64>> {
    let mut groups: std::collections::HashMap<(&str, &str), Vec<u64>> =
        std::collections::HashMap::new();
    for name in names {
        // A number written as an English word is a number too.
        if let Some(n) = number_word(name).or_else(|| ordinal(name)) {
            groups.entry(("", "")).or_default().push(n);
            continue;
        }
        // So is a Roman numeral, a number word or an ordinal after a
        // prefix (`tier_iv`, `over_eleven`, `wave_third`).
        if let Some(cut) = name.rfind(['_', '-', ' '])
            && let Some(n) = roman(&name[cut + 1..])
                .or_else(|| number_word(&name[cut + 1..]))
                .or_else(|| ordinal(&name[cut + 1..]))
        {
            groups.entry((&name[..=cut], "")).or_default().push(n);
            continue;
        }
        let Some(end) = name.rfind(|c: char| c.is_ascii_digit()).map(|i| i + 1) else {
            continue;
        };
        // The digits' start: just past the last character that is not one
        // (which may be several bytes long).
        let start = name[..end]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_ascii_digit())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let (prefix, suffix) = (&name[..start], &name[end..]);
        if prefix.ends_with('.') || suffix.starts_with('.') || end - start > 12 {
            continue;
        }
        if let Ok(n) = name[start..end].parse::<u64>() {
            groups.entry((prefix, suffix)).or_default().push(n);
        }
    }
    groups
}

/// The number an English ordinal names (`first` to `twentieth`, the tens'
/// ordinals to `ninetieth`), alone or after a prefix (`wave_third`).
fn ordinal(name: &str) -> Option<u64> {
    const WORDS: &[&str] = &[
        "zeroth",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ];
    const TENS: &[&str] = &[
        "thirtieth",
        "fortieth",
        "fiftieth",
        "sixtieth",
        "seventieth",
        "eightieth",
        "ninetieth",
    ];
    counted(name, WORDS, TENS)
}

/// The number a word names in `words` (0 to 20, in order) or `tens` (30
/// to 90), in any case.
fn counted(name: &str, words: &[&str], tens: &[&str]) -> Option<u64> {
    let w = name.to_ascii_lowercase();
    words
        .iter()
        .position(|x| *x == w)
        .map(|i| i as u64)
        .or_else(|| {
            tens.iter()
                .position(|x| *x == w)
                .map(|i| 30 + 10 * i as u64)
        })
}

/// The value of a Roman numeral written in canonical form (`iv`, `XII`,
/// `mmxxiv`), in one case, up to 3999.
fn roman(token: &str) -> Option<u64> {
    if token.is_empty()
        || !(token.bytes().all(|b| b.is_ascii_lowercase())
            || token.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return None;
    }
    let digit = |c: u8| match c.to_ascii_lowercase() {
        b'i' => Some(1u64),
        b'v' => Some(5),
        b'x' => Some(10),
        b'l' => Some(50),
        b'c' => Some(100),
        b'd' => Some(500),
        b'm' => Some(1000),
        _ => None,
    };
    let values: Vec<i64> = token
        .bytes()
        .map(|c| digit(c).map(|v| v as i64))
        .collect::<Option<_>>()?;
    let total: i64 = values
        .iter()
        .enumerate()
        .map(|(i, &v)| match values.get(i + 1) {
            Some(&next) if next > v => -v,
            _ => v,
        })
        .sum();
    // Only the canonical spelling of its value counts (`iiii` and `ic` do not).
    let total = u64::try_from(total)
        .ok()
        .filter(|t| (1..4000).contains(t))?;
    (to_roman(total) == token.to_ascii_lowercase()).then_some(total)
}

fn to_roman(mut n: u64) -> String {
    const TABLE: &[(u64, &str)] = &[
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for &(v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// The number an English number word names (`zero` to `twenty`, the tens
/// to `ninety`; `none` is zero).
fn number_word(name: &str) -> Option<u64> {
    const WORDS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    const TENS: &[&str] = &[
        "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if name.eq_ignore_ascii_case("none") {
        return Some(0);
    }
    counted(name, WORDS, TENS)
}

/// Whether `numbers`, read as the edges of one count's buckets, report
/// exact values: three consecutive numbers above 2 (single-value buckets),
/// more of them than a count may have buckets, or, from
/// [`SPELLED_SCALE`] numbers up (a scale, not a few codes such as ports or
/// status codes), edges that `fine-buckets` refuses on a count.
fn exact_by_spelling(numbers: &[u64], max_buckets: usize, ratio: f64) -> Option<String> {
    let run = numbers
        .windows(3)
        .find(|w| w[0] > 2 && w[1] == w[0] + 1 && w[2] == w[1] + 1);
    if let Some(w) = run {
        return Some(format!(
            "{}, {} and {} are consecutive: each is a bucket of one value, which reports the exact number",
            w[0], w[1], w[2]
        ));
    }
    if numbers.len() > max_buckets {
        return Some(format!(
            "that is {} numbers, more than the {max_buckets} buckets a count may have",
            numbers.len()
        ));
    }
    if numbers.len() >= SPELLED_SCALE {
        return fine_bucket(numbers, ratio, None)
            .map(|why| format!("read as a count's buckets, the scale {why}"));
    }
    None
}

/// Fewest spelled numbers judged as a scale by the bucket ratio.
const SPELLED_SCALE: usize = 8;

/// A number spelled in names is still a number: enum values, set items or
/// map keys that count (`slot_3`, `fleet_012`), or a metric's boolean
/// fields that are thresholds of one quantity (`above_10`, `above_11`: a
/// count in unary), are held to the rules of a count's buckets.
fn spelled_numbers(p: &Proposal, max: usize, ratio: f64, out: &mut Vec<Diagnostic>) {
    let shown = |numbers: &[u64]| -> String {
        let mut v: Vec<String> = numbers.iter().take(5).map(u64::to_string).collect();
        if numbers.len() > 5 {
            v.push(format!("… {}", numbers[numbers.len() - 1]));
        }
        v.join(", ")
    };
    for f in &p.fields {
        let Some(ty) = &f.ty else { continue };
        let names: Vec<&str> = match &ty.value {
            FieldType::Enum { values } | FieldType::Set { values } => {
                values.iter().map(|v| v.value.as_str()).collect()
            }
            FieldType::Map { keys, .. } => keys.iter().map(|k| k.value.as_str()).collect(),
            _ => continue,
        };
        if let Some(numbers) = numbers_spelled(&names)
            && let Some(why) = exact_by_spelling(&numbers, max, ratio)
        {
            out.push(
                Diagnostic::new(
                    &FINE_BUCKETS,
                    p.file,
                    f.name.span.clone(),
                    format!(
                        "field `{}` lists the numbers {} under names: {why} (an exact count)",
                        f.name.value,
                        shown(&numbers)
                    ),
                )
                .label("numbers spelled as names")
                .help("a number is a count however it is spelled: declare a count with a 1-2-5 or pow2 preset, or list a few coarse ranges")
                .metric(&p.name),
            );
        }
    }
    let flags: Vec<&crate::model::Field> = p
        .fields
        .iter()
        .filter(|f| matches!(f.ty.as_ref().map(|t| &t.value), Some(FieldType::Bool)))
        .collect();
    let names: Vec<&str> = flags.iter().map(|f| f.name.value.as_str()).collect();
    // Thresholds of one quantity may be named in several ways (`over_11`,
    // `at_least_12`): every number the flags name counts.
    let mut numbers: Vec<u64> = spelled_groups(&names).into_values().flatten().collect();
    numbers.sort_unstable();
    numbers.dedup();
    if numbers.len() >= 4
        && let Some(why) = exact_by_spelling(&numbers, max, ratio)
        && let Some(first) = flags.first()
    {
        out.push(
            Diagnostic::new(
                &FINE_BUCKETS,
                p.file,
                first.name.span.clone(),
                format!(
                    "{} boolean fields are thresholds of one number ({}): {why} (an exact count, in unary)",
                    numbers.len(),
                    shown(&numbers)
                ),
            )
            .label("threshold flags")
            .help("one count field with coarse buckets says the same without the exact value")
            .metric(&p.name),
        );
    }
}

/// Whether two field names have a word of three letters or more in common
/// (words split at `_` and digits; a plural `s` ignored). What follows
/// `per` is a rate's denominator, not what is measured: `vcpus_per_node`
/// counts vCPUs, not nodes.
fn share_a_word(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| c == '_' || c.is_ascii_digit())
            .take_while(|w| !w.eq_ignore_ascii_case("per"))
            .filter(|w| w.len() >= 3)
            .map(|w| w.strip_suffix('s').unwrap_or(w).to_ascii_lowercase())
            .collect()
    };
    let (a, b) = (words(a), words(b));
    a.iter().any(|w| b.contains(w))
}

#[cfg(test)]
mod tests {
    use super::{exact_by_spelling, fine_bucket, numbers_spelled, share_a_word};

    #[test]
    fn related_names_share_a_word() {
        assert!(share_a_word("pods_running", "pods_admitted"));
        assert!(share_a_word("topics", "listed_topics"));
        assert!(share_a_word("capacity_band", "licence_band"));
        assert!(!share_a_word("cpus", "hash_mibps"));
        assert!(!share_a_word("on_request", "build_errors"));
        assert!(!share_a_word("pipelines_7d", "online_runners"));
        assert!(!share_a_word("nodes", "vcpus_per_node"));
    }

    #[test]
    fn buckets_grow_by_the_ratio_from_3_up_and_toward_a_bound() {
        // Replica counts: 1, 2, 3 each alone; 4 alone is an exact value.
        assert_eq!(fine_bucket(&[1, 2, 3, 4, 8], 1.5, None), None);
        assert!(fine_bucket(&[1, 2, 3, 4, 5, 8], 1.5, None).is_some());
        assert!(fine_bucket(&[0, 5, 6, 10], 1.5, None).is_some());
        // A percentage's busy end is its top: judged by the distance to it.
        let percent = [0, 10, 25, 50, 75, 90, 100];
        assert!(fine_bucket(&percent, 1.5, None).is_some());
        assert_eq!(fine_bucket(&percent, 1.5, Some(100)), None);
        assert_eq!(
            fine_bucket(&[0, 50, 75, 90, 95, 99, 100], 1.5, Some(100)),
            None
        );
        // Narrow near the bound is as exact as narrow near 0.
        assert!(fine_bucket(&[0, 50, 80, 86, 100], 1.5, Some(100)).is_some());
        // An infinite ratio neither overflows nor hangs.
        assert!(fine_bucket(&[0, 1, 2, 5, 10], f64::INFINITY, None).is_some());
    }

    #[test]
    fn numbers_are_read_under_any_shared_prefix_or_as_words() {
        assert_eq!(
            numbers_spelled(&["slot_3", "slot_4", "slot_5", "slot_9", "other"]),
            Some(vec![3, 4, 5, 9])
        );
        assert_eq!(
            numbers_spelled(&["none", "one", "two", "three", "four"]),
            Some(vec![0, 1, 2, 3, 4])
        );
        // Version parts and short lists are not quantities.
        assert_eq!(
            numbers_spelled(&["python3.9", "python3.10", "python3.11", "python3.12"]),
            None
        );
        assert_eq!(numbers_spelled(&["ipv4", "ipv6", "dual"]), None);
        assert_eq!(numbers_spelled(&["red", "green", "blue", "grey"]), None);
        // Names in any script: the prefix ends where the digits start.
        assert_eq!(
            numbers_spelled(&["é3", "é4", "é5", "é6"]),
            Some(vec![3, 4, 5, 6])
        );
    }

    #[test]
    fn consecutive_numbers_or_too_many_are_exact() {
        assert!(exact_by_spelling(&[3, 4, 5, 9], 16, 1.5).is_some());
        assert!(exact_by_spelling(&(0..40).step_by(2).collect::<Vec<_>>(), 16, 1.5).is_some());
        // HTTP status codes, replica counts and a 1-2-5 scale are not.
        assert_eq!(exact_by_spelling(&[200, 301, 404, 500], 16, 1.5), None);
        assert_eq!(exact_by_spelling(&[0, 1, 2, 3], 16, 1.5), None);
        assert_eq!(exact_by_spelling(&[1, 2, 5, 10, 20, 50], 16, 1.5), None);
        // Eight or more numbers are a scale: multiples of seven are too fine.
        let sevens: Vec<u64> = (1..=12).map(|n| n * 7).collect();
        assert!(exact_by_spelling(&sevens, 16, 1.5).is_some());
        assert_eq!(
            exact_by_spelling(&[1, 2, 4, 8, 16, 32, 64, 128], 16, 1.5),
            None
        );
    }

    #[test]
    fn roman_numerals_after_a_prefix_are_numbers() {
        assert_eq!(super::roman("xiv"), Some(14));
        assert_eq!(super::roman("MMXXIV"), Some(2024));
        assert_eq!(super::roman("iiii"), None);
        assert_eq!(super::roman("ic"), None);
        assert_eq!(super::roman("Xi"), None);
        assert_eq!(
            numbers_spelled(&["tier_i", "tier_ii", "tier_iii", "tier_iv", "tier_v"]),
            Some(vec![1, 2, 3, 4, 5])
        );
        assert_eq!(
            numbers_spelled(&["wave_first", "wave_second", "wave_third", "wave_fourth"]),
            Some(vec![1, 2, 3, 4])
        );
        assert_eq!(
            numbers_spelled(&["over_nine", "over_ten", "over_eleven", "over_twelve"]),
            Some(vec![9, 10, 11, 12])
        );
        // A bare word that reads as a numeral (`vi`, `cd`, `mix`) is not one.
        assert_eq!(numbers_spelled(&["vi", "cd", "mix", "ci"]), None);
    }
}
