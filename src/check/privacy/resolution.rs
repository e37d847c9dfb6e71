//! Resolution: a version that keeps its patch level, buckets so narrow
//! they report the exact value, and numbers spelled in names.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::Registry;
use crate::model::{Field, FieldType, Proposal, VersionResolution};
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
           `fleet_000` to `fleet_149`; `one` to `nine`), and a metric's yes/no fields (bools, \
           or enums of the two answers such as `[\"no\", \"yes\"]`) that are thresholds of one \
           quantity (`above_10`, `above_11`, `above_12`: a count in unary; a flag whose name \
           spells no number, such as `catalog_ample`, stands for the one number its summary \
           compares with: \"at least 10,000 songs\") are flagged when three consecutive \
           numbers above 2 appear, more numbers than `thresholds.max_buckets`, or, from \
           eight numbers up (a scale rather than a few codes such as ports), edges a count's \
           buckets could not have (`s7`, `s14`, `s21`, …); flags dealt over several metrics that \
           count one noun (\"at least 200 rooms\" in one, \"at least 220 rooms\" in the next) \
           are a scale from four. A number is read anywhere in a name (`more_than_ten_sessions`), in \
           digits, number words and ordinals (`twenty-one`, `thirtyfourth`), and as a Roman \
           numeral after a prefix (`tier_iv`), and as a position in a public sequence (the \
           spelling alphabet `alfa` to `zulu`, the Greek letters, the chemical elements by \
           name: `lithium` is 3); threshold flags count whatever their naming \
           (`over_11` beside `at_least_12`), and flags of one quantity spread over several \
           metrics an installation sends are read together (their names share a word \
           besides the comparison's: `ha_guests_over_10`, `pool_guests_over_11`, or they \
           are sent in one event, and all of a registry's flags together, whatever their \
           nouns and events: an installation's events are linked by its id). Two \
           bucketed fields that name the same thing (`pods_running`, `pods_admitted`) on \
           interleaved scales are read together: their edges, merged, are held to the same \
           rule, and bounded scales with different bounds (tiles of one count, each exact \
           near its own top) are judged from below. Three bucketed fields or more of one \
           kind whose scales are each shifted between the others' edges (1-2-5, 1-3-7 and \
           1-4-8 over the same range) are read together whatever their names: shared \
           presets meet at their edges, shifted copies only serve to read one quantity \
           finer. Two domains of a clock's or calendar's sizes in one metric (an enum of 24 \
           values next to one of 60, a version whose parts run 1-12 and 1-31) send a time \
           or a date whatever the values are called (in a version, any part followed by one \
           of 60 values: hours and minutes, or degrees and arc minutes; a version part alone \
           of 1,440, 144, 365 or 366 values: a day's minutes or ten-minute slots, a year's \
           days; parts of a latitude's and a longitude's degrees, 91 and 181 values: a \
           place), and two version \
           parts or more declared \
           with a byte's range (0-255, 1-254) send an address's octets, and a version whose \
           first part is declared to take more than 128 values (a degree of longitude, an \
           hour of a month, a counter: no project has that many major releases in one \
           range) counts something else. A number next to a \
           dot (`python3.11`) \
           is a version's part: a list of them is flagged only past 16 numbers, longer \
           than any list of releases (`gen3.0` … `gen48.0`).",
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
    clock_radices(p, out);
    byte_parts(p, out);
    major_parts(p, out);
}

/// Most values a version's first part may be declared to take: a project's
/// major releases within the range a metric collects (Chrome's from 100 to
/// 199 are 100; a calendar version's years to 2099 fewer).
const MAJORS: u64 = 128;

/// `fine-buckets`: a version whose first part is declared to take more
/// values than any project has major releases counts something else: a
/// degree of latitude or longitude (180, 360), an hour of a month (720), a
/// per-installation counter.
fn major_parts(p: &Proposal, out: &mut Vec<Diagnostic>) {
    for f in &p.fields {
        let Some(ty) = f.ty.as_ref().map(|t| &t.value) else {
            continue;
        };
        let version = match ty {
            FieldType::Map { value, .. } => value.as_ref(),
            other => other,
        };
        let Some(&major) = radices(version).first() else {
            continue;
        };
        if !matches!(version, FieldType::Version { .. }) || major <= MAJORS {
            continue;
        }
        out.push(range_finding(
            p,
            f,
            format!(
                "field `{}` declares {major} values for a version's first part, more than the {MAJORS} major releases any project ships in a metric's range: it holds a degree, a time or a counter (an exact place, time or count), whatever it is called",
                f.name.value
            ),
            "a first part of more values than releases",
        ));
    }
}

/// How many values a byte takes, give or take the reserved ends of an
/// address octet (1-254) or an "unknown".
const BYTE: std::ops::RangeInclusive<u64> = 250..=257;

/// `fine-buckets`: version parts declared to take a byte's values (0-255,
/// 1-254), two or more in one metric, hold an address's octets. A
/// project's real release ranges are round in decimal (9, 49, 99, 999), and
/// a version of each component of a map counts once per key.
fn byte_parts(p: &Proposal, out: &mut Vec<Diagnostic>) {
    let per_field: Vec<(&crate::model::Field, usize)> = p
        .fields
        .iter()
        .filter_map(|f| {
            let ty = &f.ty.as_ref()?.value;
            let (times, version) = match ty {
                FieldType::Map { keys, value } => (keys.len(), value.as_ref()),
                other => (1, other),
            };
            let FieldType::Version { .. } = version else {
                return None;
            };
            let bytes = radices(version).iter().filter(|r| BYTE.contains(r)).count();
            (bytes > 0).then_some((f, bytes * times))
        })
        .collect();
    let total: usize = per_field.iter().map(|f| f.1).sum();
    let Some((first, _)) = per_field.first() else {
        return;
    };
    if total < 2 {
        return;
    }
    let names: Vec<String> = per_field
        .iter()
        .map(|(f, _)| format!("`{}`", f.name.value))
        .collect();
    out.push(range_finding(
        p,
        first,
        format!(
            "{} declare{} {total} version parts of a byte's range (0-255): together they can send {total} octets of an address (an IP or MAC address), whatever the versions are called",
            crate::text::first_few(names.iter().cloned(), 5),
            if names.len() == 1 { "s" } else { "" },
        ),
        "a part with a byte's range",
    ));
}

/// A `fine-buckets` finding at a version whose declared part ranges have
/// the shape of something other than releases (a byte, a longitude).
fn range_finding(
    p: &Proposal,
    at: &crate::model::Field,
    message: String,
    label: &'static str,
) -> Diagnostic {
    Diagnostic::new(&FINE_BUCKETS, p.file, at.name.span.clone(), message)
        .label(label)
        .help("declare each part's real release range (`largest_parts` as far as the project's releases go)")
        .metric(&p.name)
}

/// Units of a clock or calendar, by how many values each takes, and the
/// unit each one counts in (hours of minutes, minutes of seconds, months of
/// days): two domains of those sizes side by side send a time or a date,
/// whatever their values are called.
const CLOCK_UNITS: &[(
    std::ops::RangeInclusive<u64>,
    std::ops::RangeInclusive<u64>,
    &str,
)] = &[
    (
        24..=24,
        60..=60,
        "a time of day to the minute (hours and minutes)",
    ),
    (
        60..=60,
        60..=60,
        "a time to the second (minutes and seconds)",
    ),
    (
        12..=12,
        28..=31,
        "a day of the year (months and days), a birthday's resolution",
    ),
];

/// How many values each of a field's parts takes, in order: an enum's
/// listed values, or a declared version's part ranges.
fn radices(ty: &FieldType) -> Vec<u64> {
    match ty {
        FieldType::Enum { values } => vec![values.len() as u64],
        FieldType::Version {
            parts: Some(parts), ..
        } => parts
            .0
            .iter()
            .map(|&(lo, hi)| u64::from(hi.saturating_sub(lo)) + 1)
            .collect(),
        _ => Vec::new(),
    }
}

/// `fine-buckets`: a clock's or calendar's radices (24 and 60, 12 and 31)
/// in one metric, as two fields or as consecutive parts of one version: the
/// values' names (Greek letters, the sexagenary cycle, version numbers)
/// hide nothing, the sizes say what they count.
fn clock_radices(p: &Proposal, out: &mut Vec<Diagnostic>) {
    let fields: Vec<(&crate::model::Field, Vec<u64>)> = p
        .fields
        .iter()
        .filter_map(|f| Some((f, radices(&f.ty.as_ref()?.value))))
        .filter(|(_, r)| !r.is_empty())
        .collect();
    let matches = |a: u64, b: u64| {
        CLOCK_UNITS
            .iter()
            .find(|(big, small, _)| big.contains(&a) && small.contains(&b))
            .map(|u| u.2)
    };
    // Consecutive parts of one version; in a version, any part followed by
    // one of 60 values counts in sixtieths (degrees and arc minutes too).
    let sixtieths = |a: u64, b: u64| {
        (a >= 2 && b == 60).then_some(
            "a sexagesimal pair (hours and minutes, or degrees and arc minutes: a place)",
        )
    };
    // A version part alone sized like a day's minutes (1,440), its
    // ten-minute slots (144), or a year's days (365, 366).
    let alone = |n: u64| match n {
        1440 | 144 => Some("a time of day (the minutes or ten-minute slots of a day)"),
        365 | 366 => Some("a day of the year"),
        _ => None,
    };
    let versions = |f: &crate::model::Field| {
        matches!(
            f.ty.as_ref().map(|t| &t.value),
            Some(FieldType::Version { .. })
        )
    };
    for (f, r) in &fields {
        if let Some(what) = r
            .windows(2)
            .find_map(|w| matches(w[0], w[1]).or_else(|| sixtieths(w[0], w[1])))
            .or_else(|| {
                versions(f)
                    .then(|| r.iter().find_map(|&n| alone(n)))
                    .flatten()
            })
        {
            out.push(clock_finding(
                p,
                f,
                &format!("the parts of `{}`", f.name.value),
                what,
            ));
        }
    }
    // A latitude's and a longitude's degrees (91 and 181 values, or 90
    // and 180, 360) as version parts of one metric: a position.
    let parts: Vec<(&crate::model::Field, u64)> = fields
        .iter()
        .filter(|(f, _)| versions(f))
        .flat_map(|(f, r)| r.iter().map(move |&n| (*f, n)))
        .collect();
    let latitude = parts
        .iter()
        .position(|(_, n)| matches!(n, 90 | 91 | 180 | 181));
    let longitude = parts
        .iter()
        .enumerate()
        .find(|(j, (_, n))| matches!(n, 180 | 181 | 360 | 361) && Some(*j) != latitude);
    if let (Some(_), Some((_, (f, _)))) = (latitude, longitude) {
        out.push(range_finding(
            p,
            f,
            "version parts of this metric take as many values as a latitude's and a longitude's degrees (91 and 181): together they can send a position to the degree or better (a place), whatever the versions are called".to_string(),
            "a longitude's range",
        ));
    }
    // Two fields, in either order: the one declared later is reported.
    for (j, (later, rj)) in fields.iter().enumerate() {
        let found = fields[..j].iter().find_map(|(earlier, ri)| {
            let (&a, &b) = (ri.last()?, rj.last()?);
            if ri.len() > 1 || rj.len() > 1 {
                return None;
            }
            matches(a, b)
                .or_else(|| matches(b, a))
                .map(|what| (earlier, what))
        });
        if let Some((earlier, what)) = found {
            let both = format!("`{}` and `{}`", earlier.name.value, later.name.value);
            out.push(clock_finding(p, later, &both, what));
        }
    }
}

fn clock_finding(p: &Proposal, at: &crate::model::Field, which: &str, what: &str) -> Diagnostic {
    Diagnostic::new(
        &FINE_BUCKETS,
        p.file,
        at.name.span.clone(),
        format!(
            "{which} take as many values as a clock's or calendar's units: together they can send {what}, whatever the values are called"
        ),
    )
    .label("a clock's or calendar's radix")
    .help("send the coarse quantity the question needs (a part of the day, a month), not both units of a time or date")
    .metric(&p.name)
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
    // (field, edges in a common unit, counts or durations, bound)
    let scales: Vec<(&crate::model::Field, Vec<u64>, bool, Option<u64>)> = p
        .fields
        .iter()
        .filter_map(|f| match &f.ty.as_ref()?.value {
            FieldType::Count { buckets } => Some((f, buckets.edges.clone(), false, buckets.bound)),
            FieldType::Duration { unit, buckets } => Some((
                f,
                buckets
                    .edges
                    .iter()
                    .map(|e| e.saturating_mul(unit.millis()))
                    .collect(),
                true,
                None,
            )),
            _ => None,
        })
        .filter(|(_, edges, _, bound)| fine_bucket(edges, ratio, *bound).is_none())
        .collect();
    let mut reported = vec![false; scales.len()];
    for (j, (later, edges_j, kind_j, bound_j)) in scales.iter().enumerate() {
        let partner = scales[..j]
            .iter()
            .find_map(|(earlier, edges_i, kind_i, bound_i)| {
                if kind_i != kind_j
                    || (edges_i == edges_j && bound_i == bound_j)
                    || !share_a_word(&earlier.name.value, &later.name.value)
                {
                    return None;
                }
                let mut union: Vec<u64> = edges_i.iter().chain(edges_j).copied().collect();
                union.sort_unstable();
                union.dedup();
                // Scales bounded at different tops (tiles of one count: bounds
                // 20, 24, 28, each exact near its top) are read from below.
                let bound = if bound_i == bound_j { *bound_i } else { None };
                fine_bucket(&union, ratio, bound).map(|why| (earlier, union, why))
            });
        let Some((earlier, union, why)) = partner else {
            continue;
        };
        reported[j] = true;
        out.push(
            Diagnostic::new(
                &FINE_BUCKETS,
                p.file,
                later.name.span.clone(),
                format!(
                    "fields `{}` and `{}` bucket on interleaved scales: read together, as one quantity, their edges ({}) give a scale that {why} (an exact count)",
                    earlier.name.value,
                    later.name.value,
                    crate::text::first_few(union.iter().map(u64::to_string), 8)
                ),
            )
            .label("interleaved with an earlier field's scale")
            .help("bucket related quantities on one scale (the same preset and max), so that together they tell no more than each alone")
            .metric(&p.name),
        );
    }
    // Whatever their names: three scales or more of one kind, each
    // shifted between the others' edges, are one quantity read finer. An
    // honest metric buckets its quantities on shared presets (pow2, 1-2-5),
    // which meet at their edges; no design shifts three scales against
    // each other but one that reads them together.
    for (j, (later, edges_j, kind_j, bound_j)) in scales.iter().enumerate() {
        if reported[j] {
            continue;
        }
        let shifted: Vec<usize> = (0..j)
            .filter(|&i| scales[i].2 == *kind_j && interleaved(&scales[i].1, edges_j))
            .collect();
        // The earlier scales, each shifted against every other.
        let Some(group) = shifted.iter().enumerate().find_map(|(n, &a)| {
            let mut group = vec![a];
            for &b in &shifted[n + 1..] {
                if group
                    .iter()
                    .all(|&g| interleaved(&scales[g].1, &scales[b].1))
                {
                    group.push(b);
                }
            }
            (group.len() >= 2).then_some(group)
        }) else {
            continue;
        };
        let mut union: Vec<u64> = group
            .iter()
            .flat_map(|&g| scales[g].1.iter())
            .chain(edges_j)
            .copied()
            .collect();
        union.sort_unstable();
        union.dedup();
        let bounds_agree = group.iter().all(|&g| scales[g].3 == *bound_j);
        let Some(why) = fine_bucket(&union, ratio, if bounds_agree { *bound_j } else { None })
        else {
            continue;
        };
        reported[j] = true;
        let names: Vec<String> = group
            .iter()
            .map(|&g| format!("`{}`", scales[g].0.name.value))
            .chain([format!("`{}`", later.name.value)])
            .collect();
        out.push(
            Diagnostic::new(
                &FINE_BUCKETS,
                p.file,
                later.name.span.clone(),
                format!(
                    "fields {} bucket on scales each shifted between the others' edges: read together, as one quantity, their edges ({}) give a scale that {why} (an exact count)",
                    crate::text::first_few(names.into_iter(), 6),
                    crate::text::first_few(union.iter().map(u64::to_string), 8)
                ),
            )
            .label("one of several shifted copies of a scale")
            .help("bucket each quantity on a shared preset (pow2, 1-2-5) with the same edges, so that together they tell no more than each alone")
            .metric(&p.name),
        );
    }
}

/// Whether two scales are shifted against each other: past the small
/// edges every scale has (below 3), over the range both cover, each has
/// an edge strictly inside three in four of the other's buckets, and they
/// share at most a quarter of their edges there.
fn interleaved(a: &[u64], b: &[u64]) -> bool {
    let top = a
        .last()
        .copied()
        .unwrap_or(0)
        .min(b.last().copied().unwrap_or(0));
    let within =
        |s: &[u64]| -> Vec<u64> { s.iter().copied().filter(|&e| e >= 3 && e <= top).collect() };
    let (a, b) = (within(a), within(b));
    let covers = |x: &[u64], y: &[u64]| {
        let gaps = x.len().saturating_sub(1);
        let split = x
            .windows(2)
            .filter(|w| y.iter().any(|&e| w[0] < e && e < w[1]))
            .count();
        gaps >= 3 && split * 4 >= gaps * 3
    };
    let shared = a.iter().filter(|e| b.contains(e)).count();
    covers(&a, &b) && covers(&b, &a) && shared * 4 <= a.len().min(b.len())
}

/// One number a name spells: the name around it with the number cut out
/// (`more_than_#_sessions`), and whether it is next to a dot, as a
/// version's part is (`gen3.0`, `python3.11`).
struct Slot {
    template: String,
    number: u64,
    dotted: bool,
}

/// The pieces of a name: runs of digits, runs of letters (split where a
/// lower-case letter meets a capital, `moreThanTen`), and single other
/// characters, each with its byte range.
fn pieces(name: &str) -> Vec<(usize, usize, char)> {
    let class = |c: char| {
        if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            'o'
        }
    };
    let mut out: Vec<(usize, usize, char)> = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in name.char_indices() {
        let k = class(c);
        let end = i + c.len_utf8();
        match out.last_mut() {
            Some(last)
                if last.2 == k
                    && k != 'o'
                    && !(k == 'a' && c.is_uppercase() && prev.is_some_and(char::is_lowercase)) =>
            {
                last.1 = end;
            }
            _ => out.push((i, end, k)),
        }
        prev = Some(c);
    }
    out
}

/// The number a run of letters names: a number word or an ordinal, alone
/// or as a tens word and a unit written together (`twentyone`,
/// `thirtyfourth`).
fn word_number(w: &str) -> Option<u64> {
    number_word(w)
        .or_else(|| ordinal(w))
        .or_else(|| position_in_sequence(w))
        .or_else(|| {
            let w = w.to_ascii_lowercase();
            TENS_WORDS.iter().enumerate().find_map(|(i, tens)| {
                let unit = w.strip_prefix(tens)?;
                let n = number_word(unit).or_else(|| ordinal(unit))?;
                (1..=9).contains(&n).then_some(20 + 10 * i as u64 + n)
            })
        })
}

/// Public sequences whose words stand for their positions: the spelling
/// alphabets (NATO's, with its variants), the Greek letters and the
/// chemical elements by name (a word's atomic number). A list of them is
/// a list of numbers, whatever it is called (`alfa` to `zulu` are 1 to 26).
const SEQUENCES: &[&[&str]] = &[
    &[
        "alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
        "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu",
    ],
    &[
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi",
        "chi", "psi", "omega",
    ],
    &[
        "hydrogen",
        "helium",
        "lithium",
        "beryllium",
        "boron",
        "carbon",
        "nitrogen",
        "oxygen",
        "fluorine",
        "neon",
        "sodium",
        "magnesium",
        "aluminium",
        "silicon",
        "phosphorus",
        "sulfur",
        "chlorine",
        "argon",
        "potassium",
        "calcium",
        "scandium",
        "titanium",
        "vanadium",
        "chromium",
        "manganese",
        "iron",
        "cobalt",
        "nickel",
        "copper",
        "zinc",
        "gallium",
        "germanium",
        "arsenic",
        "selenium",
        "bromine",
        "krypton",
        "rubidium",
        "strontium",
        "yttrium",
        "zirconium",
        "niobium",
        "molybdenum",
        "technetium",
        "ruthenium",
        "rhodium",
        "palladium",
        "silver",
        "cadmium",
        "indium",
        "tin",
        "antimony",
        "tellurium",
        "iodine",
        "xenon",
        "caesium",
        "barium",
        "lanthanum",
        "cerium",
        "praseodymium",
        "neodymium",
        "promethium",
        "samarium",
        "europium",
        "gadolinium",
        "terbium",
        "dysprosium",
        "holmium",
        "erbium",
        "thulium",
        "ytterbium",
        "lutetium",
        "hafnium",
        "tantalum",
        "tungsten",
        "rhenium",
        "osmium",
        "iridium",
        "platinum",
        "gold",
        "mercury",
        "thallium",
        "lead",
        "bismuth",
        "polonium",
        "astatine",
        "radon",
        "francium",
        "radium",
        "actinium",
        "thorium",
        "protactinium",
        "uranium",
        "neptunium",
        "plutonium",
        "americium",
        "curium",
        "berkelium",
        "californium",
        "einsteinium",
        "fermium",
        "mendelevium",
        "nobelium",
        "lawrencium",
        "rutherfordium",
        "dubnium",
        "seaborgium",
        "bohrium",
        "hassium",
        "meitnerium",
        "darmstadtium",
        "roentgenium",
        "copernicium",
        "nihonium",
        "flerovium",
        "moscovium",
        "livermorium",
        "tennessine",
        "oganesson",
    ],
];

/// Other spellings of the sequences' words.
const SEQUENCE_SPELLINGS: &[(&str, &str)] = &[
    ("juliet", "juliett"),
    ("whisky", "whiskey"),
    ("aluminum", "aluminium"),
    ("sulphur", "sulfur"),
    ("cesium", "caesium"),
];

/// The position a word holds in a public sequence ([`SEQUENCES`]), from 1.
fn position_in_sequence(w: &str) -> Option<u64> {
    let w = w.to_ascii_lowercase();
    let w = SEQUENCE_SPELLINGS
        .iter()
        .find(|(other, _)| *other == w)
        .map_or(w.as_str(), |(_, usual)| usual);
    SEQUENCES
        .iter()
        .find_map(|seq| seq.iter().position(|x| *x == w))
        .map(|i| i as u64 + 1)
}

const TENS_WORDS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Every number a name spells, anywhere in it: digits, number words and
/// ordinals (a tens word and a unit may be joined by a hyphen, an
/// underscore or a space: `twenty_first`), and a Roman numeral as the last
/// word after a prefix (`tier_iv`). A word that reads as a Roman numeral
/// alone (`vi`, `cd`, `mix`) is not one.
fn slots(name: &str) -> Vec<Slot> {
    let p = pieces(name);
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize, number: u64, dotted: bool| {
        out.push(Slot {
            template: format!("{}#{}", &name[..start], &name[end..]),
            number,
            dotted,
        });
    };
    for (i, &(s, e, k)) in p.iter().enumerate() {
        match k {
            'd' => {
                if e - s > 12 {
                    continue;
                }
                let dotted = name[..s].ends_with('.') || name[e..].starts_with('.');
                if let Ok(n) = name[s..e].parse::<u64>() {
                    push(s, e, n, dotted);
                }
            }
            'a' => {
                let w = &name[s..e];
                // A tens word, a joiner and a unit: `twenty-one`.
                if let (Some(tens), Some(joiner), Some(unit)) = (
                    TENS_WORDS.iter().position(|t| w.eq_ignore_ascii_case(t)),
                    p.get(i + 1),
                    p.get(i + 2),
                ) && matches!(&name[joiner.0..joiner.1], "-" | "_" | " ")
                    && unit.2 == 'a'
                    && let Some(n) = number_word(&name[unit.0..unit.1])
                        .or_else(|| ordinal(&name[unit.0..unit.1]))
                        .filter(|n| (1..=9).contains(n))
                {
                    push(s, unit.1, 20 + 10 * tens as u64 + n, false);
                    continue;
                }
                if let Some(n) = word_number(w) {
                    push(s, e, n, false);
                } else if i + 1 == p.len()
                    && i >= 2
                    && matches!(&name[p[i - 1].0..p[i - 1].1], "_" | "-" | " ")
                    && let Some(n) = roman(w)
                {
                    push(s, e, n, false);
                }
            }
            _ => {}
        }
    }
    out
}

/// The numbers names spell, grouped by the template around them; a group
/// is dotted when any of its numbers sits next to a dot.
fn spelled_groups(names: &[&str]) -> Vec<(String, Vec<u64>, bool)> {
    let mut groups: Vec<(String, Vec<u64>, bool)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for name in names {
        for slot in slots(name) {
            let at = *index.entry(slot.template).or_insert_with_key(|t| {
                groups.push((t.clone(), Vec::new(), false));
                groups.len() - 1
            });
            groups[at].1.push(slot.number);
            groups[at].2 |= slot.dotted;
        }
    }
    for g in &mut groups {
        g.1.sort_unstable();
        g.1.dedup();
    }
    groups
}

/// The numbers one quantity's names spell, when they spell one: the
/// largest group of names that are one template around a number (`slot_3`,
/// `k12`, `more_than_ten_sessions`, `7`), in order, when it has at least
/// four, and whether they are next to a dot (a version's parts).
pub fn numbers_spelled(names: &[&str]) -> Option<(Vec<u64>, bool)> {
    let (_, numbers, dotted) = spelled_groups(names)
        .into_iter()
        .max_by_key(|g| g.1.len())?;
    (numbers.len() >= 4).then_some((numbers, dotted))
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

/// [`exact_by_spelling`] for thresholds known to be of one quantity (flags
/// that count the same noun): four of them are a scale already, as a
/// count's four edges are (a few unrelated codes are no concern here).
fn exact_thresholds(numbers: &[u64], max_buckets: usize, ratio: f64) -> Option<String> {
    exact_by_spelling(numbers, max_buckets, ratio).or_else(|| {
        (numbers.len() >= 4)
            .then(|| fine_bucket(numbers, ratio, None))
            .flatten()
            .map(|why| format!("read as a count's buckets, the scale {why}"))
    })
}

/// A number spelled in names is still a number: enum values, set items or
/// map keys that count (`slot_3`, `fleet_012`), or a metric's boolean
/// fields that are thresholds of one quantity (`above_10`, `above_11`: a
/// count in unary), are held to the rules of a count's buckets.
fn spelled_numbers(p: &Proposal, max: usize, ratio: f64, out: &mut Vec<Diagnostic>) {
    for f in &p.fields {
        let Some(ty) = &f.ty else { continue };
        let names: Vec<&str> = match &ty.value {
            FieldType::Enum { values } | FieldType::Set { values } => {
                values.iter().map(|v| v.value.as_str()).collect()
            }
            FieldType::Map { keys, .. } => keys.iter().map(|k| k.value.as_str()).collect(),
            _ => continue,
        };
        let judged = numbers_spelled(&names).and_then(|(numbers, dotted)| {
            let why = if dotted {
                // Versions' parts: a list of releases, unless it is longer
                // than any list of releases a metric needs.
                (numbers.len() > DOTTED_NUMBERS).then(|| {
                    format!(
                        "that is {} numbers next to a dot, more than the {DOTTED_NUMBERS} releases a list of versions needs",
                        numbers.len()
                    )
                })
            } else {
                exact_by_spelling(&numbers, max, ratio)
            };
            why.map(|why| (numbers, why))
        });
        if let Some((numbers, why)) = judged {
            out.push(
                Diagnostic::new(
                    &FINE_BUCKETS,
                    p.file,
                    f.name.span.clone(),
                    format!(
                        "field `{}` lists the numbers {} under names: {why} (an exact count)",
                        f.name.value,
                        shown_numbers(&numbers)
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
        .filter(|f| f.ty.as_ref().is_some_and(|t| is_flag(&t.value)))
        .collect();
    // Thresholds of one quantity may be named in several ways (`over_11`,
    // `at_least_12`), or only said in a summary: every number counts.
    let thresholds = flag_thresholds(&flags)
        .into_iter()
        .flatten()
        .map(|(n, _)| n);
    if let Some((numbers, why)) = exact_flags(thresholds, max, ratio)
        && let Some(first) = flags.first()
    {
        out.push(
            Diagnostic::new(
                &FINE_BUCKETS,
                p.file,
                first.name.span.clone(),
                format!(
                    "{} yes/no fields are thresholds of one number ({}): {why} (an exact count, in unary)",
                    numbers.len(),
                    shown_numbers(&numbers)
                ),
            )
            .label("threshold flags")
            .help("one count field with coarse buckets says the same without the exact value")
            .metric(&p.name),
        );
    }
}

/// Whether one metric's threshold flags send an exact number, all their
/// numbers together held to [`exact_by_spelling`]: the numbers judged, and
/// why. (Flags dealt over metrics that count one noun are a scale from
/// four, in [`check_across`]; within one metric, four thresholds of a
/// bounded scale such as `disk_over_90_percent`, `disk_over_95_percent`
/// are common.)
fn exact_flags(
    thresholds: impl IntoIterator<Item = u64>,
    max: usize,
    ratio: f64,
) -> Option<(Vec<u64>, String)> {
    let mut all: Vec<u64> = thresholds.into_iter().collect();
    all.sort_unstable();
    all.dedup();
    if all.len() < 4 {
        return None;
    }
    exact_by_spelling(&all, max, ratio).map(|why| (all, why))
}

/// Most numbers next to a dot a list may spell before it is a count
/// rather than a list of releases (`gen3.0` to `gen48.0`).
const DOTTED_NUMBERS: usize = 16;

/// The number each flag's name spells, if any: of the numbers in a name,
/// the one whose template the most names share (`over_11` beside
/// `at_least_12` each count once).
fn flag_numbers(names: &[&str]) -> Vec<Option<(u64, String)>> {
    let groups = spelled_groups(names);
    let size = |t: &str| groups.iter().find(|g| g.0 == t).map_or(0, |g| g.1.len());
    names
        .iter()
        .map(|n| {
            slots(n)
                .into_iter()
                .max_by_key(|s| size(&s.template))
                .map(|s| (s.number, s.template))
        })
        .collect()
}

/// Whether a field says yes or no: a bool, or an enum of the two answers
/// under other names (`["no", "yes"]`, `["off", "on"]`), which sends the
/// same bit.
fn is_flag(ty: &FieldType) -> bool {
    const PAIRS: &[[&str; 2]] = &[
        ["no", "yes"],
        ["false", "true"],
        ["off", "on"],
        ["disabled", "enabled"],
        ["n", "y"],
        ["0", "1"],
    ];
    match ty {
        FieldType::Bool => true,
        FieldType::Enum { values } if values.len() == 2 => {
            let mut v: Vec<String> = values.iter().map(|x| x.value.to_lowercase()).collect();
            v.sort();
            PAIRS.iter().any(|p| v[0] == p[0] && v[1] == p[1])
        }
        _ => false,
    }
}

/// The threshold each flag stands for, with its template: the number its
/// name spells ([`flag_numbers`]), or, where the name spells none
/// (`catalog_ample`, `busy`), the one its summary compares with ("at least
/// 10,000 songs"). A flag is what its summary says it is, whatever it is
/// called.
fn flag_thresholds(flags: &[&Field]) -> Vec<Option<(u64, String)>> {
    let names: Vec<&str> = flags.iter().map(|f| f.name.value.as_str()).collect();
    flag_numbers(&names)
        .into_iter()
        .zip(flags)
        .map(|(named, f)| {
            named.or_else(|| {
                let summary = f.summary.as_ref()?.value.to_lowercase();
                summary_threshold(&summary)
            })
        })
        .collect()
}

/// The one number a summary compares with (`at least 10,000 songs`,
/// `more than 200 rooms`, `past 45%`), and the summary with it written
/// `#` and the word it counts; `None` when it compares with none or with
/// several (a range says what a bucket does).
fn summary_threshold(summary: &str) -> Option<(u64, String)> {
    const COMPARISONS: &[&str] = &[
        "at least ",
        "more than ",
        "over ",
        "above ",
        "exceeds ",
        "exceeding ",
        "reaches ",
        "reached ",
        "past ",
        "greater than ",
        "beyond ",
        "fewer than ",
        "less than ",
        "under ",
        "below ",
        "at most ",
        "up to ",
        ">= ",
        "> ",
        "≥ ",
    ];
    let mut found: Option<(u64, std::ops::Range<usize>)> = None;
    for c in COMPARISONS {
        for (at, _) in summary.match_indices(c) {
            if at > 0 && summary.as_bytes()[at - 1].is_ascii_alphanumeric() {
                continue;
            }
            let start = at + c.len();
            let rest = &summary[start..];
            // Digits, thousands written with `,`, `_`, `'` or a space
            // between groups of three.
            let mut end = 0;
            let mut digits = String::new();
            let b = rest.as_bytes();
            while end < b.len() {
                if b[end].is_ascii_digit() {
                    digits.push(b[end] as char);
                    end += 1;
                } else if matches!(b[end], b',' | b'_' | b'\'' | b' ')
                    && !digits.is_empty()
                    && b.len() >= end + 4
                    && b[end + 1..end + 4].iter().all(u8::is_ascii_digit)
                    && b.get(end + 4).is_none_or(|c| !c.is_ascii_digit())
                {
                    end += 1;
                } else {
                    break;
                }
            }
            let Ok(n) = digits.parse::<u64>() else {
                continue;
            };
            let range = start..start + end;
            match &found {
                Some((m, r)) if *m == n && *r == range => {}
                Some(_) => return None,
                None => found = Some((n, range)),
            }
        }
    }
    let (n, range) = found?;
    // What it counts is the word after the number (`# songs`, `# rooms`):
    // the rest of a sentence shares words with any other.
    let unit = summary[range.end..]
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    Some((n, format!("# {unit}")))
}

/// Words of a flag's template that say what it counts: three letters or
/// more, a plural `s` ignored, without the words of the comparison
/// (`guests_over_#` counts guests).
fn counted_words(template: &str) -> Vec<String> {
    // Compared after a plural `s` is stripped: `les` is `less`, `exceed`
    // also `exceeds`.
    const COMPARISON: &[&str] = &[
        "over", "under", "above", "below", "more", "les", "than", "least", "most", "exceed",
        "greater", "fewer", "upto", "min", "max", "have", "with",
    ];
    template
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(|w| {
            let w = w.to_lowercase();
            w.strip_suffix('s').map(str::to_string).unwrap_or(w)
        })
        .filter(|w| !COMPARISON.contains(&w.as_str()))
        .collect()
}

/// Threshold flags of one quantity spread over several metrics an
/// installation sends (its installation id links every payload, so they
/// are read together): `ha_guests_over_10`, `backup_guests_over_11` and
/// `pool_guests_over_12` in three metrics are one count in unary, though no
/// metric alone has three consecutive thresholds. Flags are one quantity
/// when their names share a word besides the comparison's, when they are
/// sent in one event, and, all of them together, because every event an
/// installation sends is linked by its installation id.
pub fn check_across(registry: &Registry, out: &mut Vec<Diagnostic>) {
    let t = &registry.config.thresholds;
    let (max, ratio) = (t.max_buckets, t.min_bucket_ratio);
    // (metric, flag, number, words)
    let mut flags: Vec<(&Proposal, &Field, u64, Vec<String>)> = Vec::new();
    for p in registry.proposals.iter().filter(|p| {
        p.is_live()
            && p.events
                .iter()
                .any(|e| registry.config.events.contains(&e.value))
    }) {
        let bools: Vec<&Field> = p
            .fields
            .iter()
            .filter(|f| f.ty.as_ref().is_some_and(|t| is_flag(&t.value)))
            .collect();
        let thresholds = flag_thresholds(&bools);
        for (f, n) in bools.into_iter().zip(thresholds) {
            if let Some((number, template)) = n {
                flags.push((p, f, number, counted_words(&template)));
            }
        }
    }
    // One quantity: flags linked by a shared word, transitively.
    let mut cluster: Vec<usize> = (0..flags.len()).collect();
    fn root(c: &mut [usize], mut i: usize) -> usize {
        while c[i] != i {
            c[i] = c[c[i]];
            i = c[i];
        }
        i
    }
    // Each word links its flags to the first flag that had it.
    let mut first_with: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, flag) in flags.iter().enumerate() {
        for w in &flag.3 {
            let j = *first_with.entry(w.as_str()).or_insert(i);
            let (a, b) = (root(&mut cluster, i), root(&mut cluster, j));
            cluster[a] = b;
        }
    }
    let mut roots: Vec<usize> = (0..flags.len()).map(|i| root(&mut cluster, i)).collect();
    let members = roots.clone();
    roots.sort_unstable();
    roots.dedup();
    let mut clusters: Vec<Vec<usize>> = roots
        .into_iter()
        .map(|r| (0..flags.len()).filter(|&i| members[i] == r).collect())
        .collect();
    // The clusters so far count one noun each.
    let by_words = clusters.len();
    // The flags of one payload are read together whatever they are named
    // (`over_10000_subscriptions` beside `above_10100_cursors`): a number
    // dealt over metrics under different nouns arrives in one payload.
    for event in &registry.config.events {
        let of: Vec<usize> = (0..flags.len())
            .filter(|&i| flags[i].0.events.iter().any(|e| e.value == *event))
            .collect();
        if !of.is_empty() && !clusters.contains(&of) {
            clusters.push(of);
        }
    }
    // And every event an installation sends is linked by its installation
    // id: flags dealt over metrics of different events, under nouns that
    // share no word, are one payload stream's.
    let all: Vec<usize> = (0..flags.len()).collect();
    if !all.is_empty() && !clusters.contains(&all) {
        clusters.push(all);
    }
    // Metrics whose own flags send an exact number, as the metric's own
    // check judges them.
    let mut of_metric: std::collections::BTreeMap<&str, Vec<u64>> =
        std::collections::BTreeMap::new();
    for (p, _, n, _) in &flags {
        of_metric.entry(p.name.as_str()).or_default().push(*n);
    }
    let exact_alone: std::collections::HashSet<&str> = of_metric
        .into_iter()
        .filter(|(_, numbers)| exact_flags(numbers.iter().copied(), max, ratio).is_some())
        .map(|(m, _)| m)
        .collect();
    let mut reported: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (index, cluster) in clusters.into_iter().enumerate() {
        let judge = if index < by_words {
            exact_thresholds
        } else {
            exact_by_spelling
        };
        // Each metric of the cluster, in name order: its first flag and the
        // numbers its flags name.
        let mut metrics: std::collections::BTreeMap<&str, (&Proposal, &Field, Vec<u64>)> =
            std::collections::BTreeMap::new();
        for &i in &cluster {
            let (p, f, n, _) = &flags[i];
            metrics
                .entry(p.name.as_str())
                .or_insert_with(|| (*p, *f, Vec::new()))
                .2
                .push(*n);
        }
        if metrics.len() < 2 {
            continue;
        }
        let mut numbers: Vec<u64> = Vec::new();
        // A metric whose flags alone are exact is reported on its own.
        let alone = metrics.keys().any(|m| exact_alone.contains(m));
        for (_, _, n) in metrics.values_mut() {
            n.sort_unstable();
            n.dedup();
            numbers.extend_from_slice(n);
        }
        numbers.sort_unstable();
        numbers.dedup();
        if alone || numbers.len() < 4 {
            continue;
        }
        let Some(why) = judge(&numbers, max, ratio) else {
            continue;
        };
        if metrics.keys().all(|m| reported.contains(m)) {
            continue;
        }
        reported.extend(metrics.keys().copied());
        let names = crate::text::first_few(metrics.keys().map(|m| format!("`{m}`")), 6);
        for (p, first, _) in metrics.values() {
            out.push(
                Diagnostic::new(
                    &FINE_BUCKETS,
                    p.file,
                    first.name.span.clone(),
                    format!(
                        "yes/no fields of {} metrics an installation sends ({}) are thresholds of one number ({}): {why} (an exact count, in unary, spread over metrics)",
                        metrics.len(),
                        names,
                        shown_numbers(&numbers)
                    ),
                )
                .label("threshold flags, read with other metrics' flags")
                .help("one count field with coarse buckets says the same without the exact value; the installation id joins what its payloads send")
                .metric(&p.name),
            );
        }
    }
}

/// Up to five numbers and the last, for a message.
fn shown_numbers(numbers: &[u64]) -> String {
    let mut v: Vec<String> = numbers.iter().take(5).map(u64::to_string).collect();
    if numbers.len() > 5 {
        v.push(format!("… {}", numbers[numbers.len() - 1]));
    }
    v.join(", ")
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
mod scale_tests {
    use super::{interleaved, radices};
    use crate::model::{FieldType, PartRanges, VersionResolution};

    #[test]
    fn a_clock_is_known_by_its_radices() {
        let version = |parts: Vec<(u32, u32)>| FieldType::Version {
            resolution: VersionResolution::Minor,
            parts: Some(PartRanges(parts)),
        };
        assert_eq!(radices(&version(vec![(0, 23), (0, 59)])), vec![24, 60]);
        assert_eq!(radices(&version(vec![(1, 12), (1, 31)])), vec![12, 31]);
        assert!(radices(&FieldType::Bool).is_empty());
        assert!(super::BYTE.contains(&radices(&version(vec![(1, 254)]))[0]));
        // A day's minutes; a latitude's and a longitude's degrees.
        assert_eq!(radices(&version(vec![(0, 1439)])), vec![1440]);
        assert_eq!(radices(&version(vec![(0, 90), (0, 180)])), vec![91, 181]);
        // Degrees and arc minutes of a latitude.
        assert_eq!(radices(&version(vec![(45, 56), (0, 59)])), vec![12, 60]);
        assert!(!super::BYTE.contains(&radices(&version(vec![(0, 99)]))[0]));
    }

    #[test]
    fn shifted_copies_of_a_scale_interleave_and_shared_presets_do_not() {
        let one_two_five = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
        let shifted = [0, 1, 3, 7, 13, 27, 67, 133, 267, 667, 1333];
        let pow2 = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
        let pow10 = [0, 1, 10, 100, 1000, 10000];
        assert!(interleaved(&one_two_five, &shifted));
        // The same preset, or a coarser one that meets it at its edges.
        assert!(!interleaved(&pow2, &pow2));
        assert!(!interleaved(&one_two_five, &pow10));
        assert!(!interleaved(&pow2, &pow10));
        // Too few buckets in common to say.
        assert!(!interleaved(&[0, 1, 5, 50], &[0, 1, 7, 70]));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_of_public_sequences_are_their_positions() {
        use super::{numbers_spelled, position_in_sequence};
        assert_eq!(position_in_sequence("Foxtrot"), Some(6));
        assert_eq!(position_in_sequence("juliet"), Some(10));
        assert_eq!(position_in_sequence("epsilon"), Some(5));
        assert_eq!(position_in_sequence("lithium"), Some(3));
        assert_eq!(position_in_sequence("aluminum"), Some(13));
        assert_eq!(position_in_sequence("postgres"), None);
        let spelled = numbers_spelled(&["echo", "foxtrot", "golf", "hotel"]);
        assert_eq!(spelled, Some((vec![5, 6, 7, 8], false)));
    }

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
            Some((vec![3, 4, 5, 9], false))
        );
        assert_eq!(
            numbers_spelled(&["none", "one", "two", "three", "four"]),
            Some((vec![0, 1, 2, 3, 4], false))
        );
        // Version parts are read as such; short lists are not quantities.
        assert_eq!(
            numbers_spelled(&["python3.9", "python3.10", "python3.11", "python3.12"]),
            Some((vec![9, 10, 11, 12], true))
        );
        // A number anywhere in a name, in words too (`twenty-one`).
        assert_eq!(
            numbers_spelled(&[
                "more_than_ten_sessions",
                "more_than_eleven_sessions",
                "more_than_twenty-one_sessions",
                "moreThanTwelveSessions",
                "more_than_thirtyfourth_sessions",
            ]),
            Some((vec![10, 11, 21, 34], false))
        );
        assert_eq!(numbers_spelled(&["ipv4", "ipv6", "dual"]), None);
        assert_eq!(numbers_spelled(&["red", "green", "blue", "grey"]), None);
        // Names in any script: the prefix ends where the digits start.
        assert_eq!(
            numbers_spelled(&["é3", "é4", "é5", "é6"]),
            Some((vec![3, 4, 5, 6], false))
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
            Some((vec![1, 2, 3, 4, 5], false))
        );
        assert_eq!(
            numbers_spelled(&["wave_first", "wave_second", "wave_third", "wave_fourth"]),
            Some((vec![1, 2, 3, 4], false))
        );
        assert_eq!(
            numbers_spelled(&["over_nine", "over_ten", "over_eleven", "over_twelve"]),
            Some((vec![9, 10, 11, 12], false))
        );
        // A bare word that reads as a numeral (`vi`, `cd`, `mix`) is not one.
        assert_eq!(numbers_spelled(&["vi", "cd", "mix", "ci"]), None);
    }
}
