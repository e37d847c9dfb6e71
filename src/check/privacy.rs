//! Privacy rules (declared in `rules/privacy.rs`): personal data in examples
//! and field names, resolution, and the re-identification budget.

use crate::bits::{field_bits, metric_bits};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::Registry;
use crate::model::{ExampleValue, FieldType, Proposal, Spanned, VersionResolution};
use crate::pii;
use crate::rules::privacy::{
    ANALYSIS_LIMIT, BUDGET_CEILING, FIELD_INFORMATION, FINE_BUCKETS, METRIC_INFORMATION,
    PATCH_VERSION, PATTERN_ADMITS_PII, PII_FIELD_NAME, PII_IN_DOMAIN, PII_IN_EXAMPLE,
    REIDENTIFICATION_BUDGET, WEAK_REASON,
};
use crate::shipping::shippable;

/// Words in a field name that suggest personal or identifying data.
const PII_WORDS: &[&str] = &[
    "host",
    "hostname",
    "hostnames",
    "email",
    "emails",
    "mail",
    "ip",
    "ips",
    "mac",
    "serial",
    "path",
    "user",
    "users",
    "username",
    "login",
    "phone",
    "address",
    "addr",
    "token",
    "password",
    "secret",
    "uuid",
    "guid",
    "location",
    "lat",
    "lon",
];

/// Why `edges` report (nearly) exact values, if they do: a single-value
/// bucket above 2, or a step from 10 up short of `ratio` (whole-number
/// rounding forgiven, and 10% on the last edge).
pub fn fine_bucket(edges: &[u64], ratio: f64) -> Option<String> {
    let last = edges.len().saturating_sub(2);
    for (i, w) in edges.windows(2).enumerate() {
        if w[1] - w[0] == 1 && w[0] > 2 {
            return Some(format!(
                "has a bucket holding only {}: it reports the exact value",
                w[0]
            ));
        }
        let need = w[0] as f64 * ratio * if i == last { 0.9 } else { 1.0 };
        if w[0] >= 10 && (w[1] as f64) < need.floor() {
            return Some(format!(
                "has a bucket from {} to {}: too narrow that high up",
                w[0],
                w[1] - 1
            ));
        }
    }
    None
}

pub fn check(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) {
    // The string patterns' analyses (the costly part, bounded per pattern)
    // on all cores first; the loop below then reads them from the memo.
    let strings: Vec<_> = p
        .fields
        .iter()
        .filter_map(|f| match &f.ty.as_ref()?.value {
            FieldType::String {
                pattern,
                max_len,
                automaton,
            } => Some((pattern, *max_len, automaton, &f.name.value)),
            _ => None,
        })
        .collect();
    if strings.len() > 1 {
        crate::parallel::par_map(&strings, |(pattern, max_len, automaton, name)| {
            let bytes = (*max_len as usize).saturating_mul(4).min(256);
            pii::witness::analyse_pattern(&pattern.value, automaton, bytes, name)
        });
    }
    for f in &p.fields {
        let Some(ty) = &f.ty else { continue };
        if let Some(word) = f.name.value.split('_').find(|w| PII_WORDS.contains(w)) {
            let is_string = matches!(ty.value, FieldType::String { .. });
            if is_string || f.reason.is_none() {
                let help = if is_string {
                    "a free-form string cannot be made safe by a reason: use a bucketed type, an enum or a set".to_string()
                } else {
                    format!(
                        "if the type makes it safe, say why in `reason` (e.g. reason = \"a bucketed count, no {word} is named\"); otherwise rename or drop it"
                    )
                };
                out.push(
                    Diagnostic::new(
                        &PII_FIELD_NAME,
                        p.file,
                        f.name.span.clone(),
                        format!(
                            "field `{}` is named for personal data (`{word}`)",
                            f.name.value
                        ),
                    )
                    .help(help)
                    .metric(&p.name),
                );
            }
        }
        if let FieldType::String {
            pattern,
            max_len,
            automaton,
        } = &ty.value
        {
            let bytes = (*max_len as usize).saturating_mul(4).min(256);
            let analysis =
                pii::witness::analyse_pattern(&pattern.value, automaton, bytes, &f.name.value);
            if analysis.witnesses.is_empty() && !analysis.undecided.is_empty() {
                let kinds: Vec<&str> = analysis.undecided.iter().map(|k| k.as_str()).collect();
                out.push(
                    Diagnostic::new(
                        &ANALYSIS_LIMIT,
                        p.file,
                        pattern.span.clone(),
                        format!(
                            "the pattern of `{}` is too complex to prove it admits no {}",
                            f.name.value,
                            kinds.join(", ")
                        ),
                    )
                    .label("undecided")
                    .help("simplify the pattern (fewer alternatives, shorter repetitions) or lower max_len; or use an enum")
                    .metric(&p.name),
                );
            }
            if let Some(w) = analysis.witnesses.first() {
                out.push(
                        Diagnostic::new(
                            &PATTERN_ADMITS_PII,
                            p.file,
                            pattern.span.clone(),
                            format!(
                                "pattern `{}` admits `{}`, which is {}",
                                pattern.value,
                                w.text,
                                article(w.kind)
                            ),
                        )
                        .label(format!("admits {}", w.kind.as_str()))
                        .help("narrow the pattern (no dots, @, colons or long runs where none belong), or use an enum")
                        .metric(&p.name),
                    );
            }
        }
        if matches!(
            ty.value,
            FieldType::Version {
                resolution: VersionResolution::Patch
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
            && let Some(problem) = fine_bucket(&b.edges, config.thresholds.min_bucket_ratio)
        {
            out.push(
                Diagnostic::new(
                    &FINE_BUCKETS,
                    p.file,
                    b.span.clone(),
                    format!("field `{}` {problem}", f.name.value),
                )
                .help(format!(
                    "keep single-value buckets to 0, 1 and 2, and make each edge from 10 up at least {}× the one before, e.g. a 1-2-5 or pow2 preset",
                    config.thresholds.min_bucket_ratio
                ))
                .metric(&p.name),
            );
        }
    }
    spelled_numbers(p, config.thresholds.max_buckets, out);
    information(p, config, out);
    reasons(p, config, out);
    for f in &p.fields {
        if let Some(ty) = &f.ty {
            domain(p, &f.name.value, &ty.value, &config.pii, out);
        }
    }
    example(p, &config.pii, out);
}

/// The integers a list of names spells, when it spells one quantity: the
/// largest group of names that are one shared prefix and suffix around a
/// number (`slot_3`, `k12`, `above_10`, `7`), in order, when it has at least
/// four. A number next to a dot is a version's part (`python3.11`), not a
/// quantity, and is left alone.
pub fn numbers_spelled(names: &[&str]) -> Option<Vec<u64>> {
    let mut groups: std::collections::HashMap<(&str, &str), Vec<u64>> =
        std::collections::HashMap::new();
    for name in names {
        // A number written as an English word is a number too.
        if let Some(n) = number_word(name) {
            groups.entry(("", "")).or_default().push(n);
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
    let mut numbers = groups.into_values().max_by_key(Vec::len)?;
    numbers.sort_unstable();
    numbers.dedup();
    (numbers.len() >= 4).then_some(numbers)
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
    let w = name.to_ascii_lowercase();
    if w == "none" {
        return Some(0);
    }
    WORDS
        .iter()
        .position(|x| *x == w)
        .map(|i| i as u64)
        .or_else(|| {
            TENS.iter()
                .position(|x| *x == w)
                .map(|i| 30 + 10 * i as u64)
        })
}

/// Whether `numbers`, read as the edges of one count's buckets, report
/// exact values: three consecutive numbers above 2 (single-value buckets),
/// or more of them than a count may have buckets.
fn exact_by_spelling(numbers: &[u64], max_buckets: usize) -> Option<String> {
    let run = numbers
        .windows(3)
        .find(|w| w[0] > 2 && w[1] == w[0] + 1 && w[2] == w[1] + 1);
    if let Some(w) = run {
        return Some(format!(
            "{}, {} and {} are consecutive: each is a bucket of one value, which reports the exact number",
            w[0], w[1], w[2]
        ));
    }
    (numbers.len() > max_buckets).then(|| {
        format!(
            "that is {} numbers, more than the {max_buckets} buckets a count may have",
            numbers.len()
        )
    })
}

/// A number spelled in names is still a number: enum values, set items or
/// map keys that count (`slot_3`, `fleet_012`), or a metric's boolean
/// fields that are thresholds of one quantity (`above_10`, `above_11`: a
/// count in unary), are held to the rules of a count's buckets.
fn spelled_numbers(p: &Proposal, max: usize, out: &mut Vec<Diagnostic>) {
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
            && let Some(why) = exact_by_spelling(&numbers, max)
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
    if let Some(numbers) = numbers_spelled(&names)
        && let Some(why) = exact_by_spelling(&numbers, max)
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

/// This metric's allowances in bits: the registry's thresholds, or what
/// its `[budget]` asks for, never past the ceilings (`budget-ceiling`).
struct Allowance {
    field: f64,
    metric: f64,
}

fn allowance(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) -> Allowance {
    let (t, c) = (&config.thresholds, &config.ceilings);
    let mut granted = |asked: Option<&Spanned<u32>>, default: u32, ceiling: u32, what: &str| {
        let Some(asked) = asked else {
            return f64::from(default);
        };
        if asked.value > ceiling {
            out.push(
                Diagnostic::new(
                    &BUDGET_CEILING,
                    p.file,
                    asked.span.clone(),
                    format!(
                        "`{}` asks for {} bits {what}; the registry's ceiling is {ceiling}",
                        p.name, asked.value
                    ),
                )
                .label(format!("at most {ceiling}"))
                .help("coarsen the fields instead; only a change to privet.toml's [ceilings] can raise the ceiling")
                .metric(&p.name),
            );
        }
        f64::from(asked.value.min(ceiling))
    };
    // An override without a reason a reviewer can weigh grants nothing
    // (`weak-reason` or `missing-key` says why).
    let min = config.thresholds.min_reason_words;
    let budget = p.budget.as_ref().filter(|b| {
        b.reason
            .as_ref()
            .is_some_and(|r| thin(&r.value, min).is_none())
    });
    Allowance {
        field: granted(
            budget.and_then(|b| b.field_bits.as_ref()),
            t.max_bits_per_field,
            c.bits_per_field,
            "per field",
        ),
        metric: granted(
            budget.and_then(|b| b.metric_bits.as_ref()),
            t.max_bits_per_metric,
            c.bits_per_metric,
            "for the metric",
        ),
    }
}

/// Slack for floating-point sums: a bound is exceeded by more than this.
const EPSILON: f64 = 1e-9;

/// `field-information` and `metric-information`: each field's bits, and
/// their sum, against the metric's allowances.
fn information(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) {
    let allowed = allowance(p, config, out);
    let shares: Vec<(&crate::model::Field, f64)> = p
        .fields
        .iter()
        .filter_map(|f| f.ty.as_ref().map(|ty| (f, field_bits(&ty.value))))
        .collect();
    let mut over_field = false;
    for (f, bits) in &shares {
        let ty = &f.ty.as_ref().expect("typed").value;
        // A number sent as text or as a list of numbers is an exact value:
        // no [budget] raises its bound past the registry's own.
        let (bound, why) = if let Some(e) = encodes(ty) {
            let t = f64::from(config.thresholds.max_bits_per_field);
            (allowed.field.min(t), Some(e.to_string()))
        } else if let Some(n) = numeric_values(ty) {
            (
                allowed.field.min(NUMERIC_ENUM_BITS),
                Some(format!(
                    "its {n} values are numbers, an exact value under another name: use a count or duration with buckets"
                )),
            )
        } else {
            (allowed.field, None)
        };
        if *bits > bound + EPSILON {
            over_field = true;
            out.push(
                Diagnostic::new(
                    &FIELD_INFORMATION,
                    p.file,
                    f.name.span.clone(),
                    format!(
                        "field `{}` can take {} distinct values ({bits:.1} bits); the bound is {bound} bits{}",
                        f.name.value,
                        values_text(*bits),
                        why.as_ref().map(|e| format!(": {e}")).unwrap_or_default()
                    ),
                )
                .label(format!("{bits:.1} bits"))
                .help("coarsen it: an enum or set of the values that matter, buckets, a pattern with few values; or ask reviewers for more with [budget] field_bits and a reason")
                .metric(&p.name),
            );
        }
    }
    let total: f64 = shares.iter().map(|s| s.1).sum();
    // A field over its own bound is the finding to fix first.
    if over_field || total <= allowed.metric + EPSILON {
        return;
    }
    // The finding goes to the field that crosses the bound.
    let mut running = 0.0;
    let crossing = shares
        .iter()
        .find(|(_, bits)| {
            running += bits;
            running > allowed.metric + EPSILON
        })
        .map(|(f, _)| *f)
        .expect("the total is over the bound");
    let list: Vec<String> = shares
        .iter()
        .map(|(f, bits)| format!("{} {bits:.1}", f.name.value))
        .collect();
    out.push(
        Diagnostic::new(
            &METRIC_INFORMATION,
            p.file,
            crossing.name.span.clone(),
            format!(
                "`{}`'s fields together can carry {total:.1} bits; the bound is {} bits",
                p.name, allowed.metric
            ),
        )
        .label(format!("the total passes {} bits here", allowed.metric))
        .help(format!(
            "bits per field: {}; coarsen or drop fields, or ask reviewers for more with [budget] metric_bits and a reason",
            list.join(", ")
        ))
        .metric(&p.name),
    );
}

/// `2^bits` as a readable count: `1,024`, or `about 1.8e19`.
fn values_text(bits: f64) -> String {
    let n = bits.exp2();
    if !n.is_finite() || bits >= 1000.0 {
        "more than 2^1000".into()
    } else if n < 1e6 {
        format!("{}", n.round() as u64)
    } else {
        format!("about {n:.1e}")
    }
}

/// Most bits an enum, set or map key list of numbers may carry (16 values):
/// more numbers than that are a count or a time without its buckets.
const NUMERIC_ENUM_BITS: f64 = 4.0;

/// How many values of an enum, set or map's keys are numbers, when all are.
fn numeric_values(ty: &FieldType) -> Option<usize> {
    let values = match ty {
        FieldType::Enum { values } | FieldType::Set { values } => values,
        FieldType::Map { keys, .. } => keys,
        _ => return None,
    };
    let numeric = |v: &str| {
        let v = v.trim().trim_start_matches(['-', '+']);
        !v.is_empty()
            && v.bytes().any(|b| b.is_ascii_digit())
            && v.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && v.matches('.').count() <= 1
    };
    (!values.is_empty() && values.iter().all(|v| numeric(&v.value))).then_some(values.len())
}

/// What a large string domain encodes, when its alphabet says: digits are
/// a number sent as text, hex digits an id or a hash.
fn encodes(ty: &FieldType) -> Option<&'static str> {
    let FieldType::String { automaton, .. } = ty else {
        return None;
    };
    let bytes = automaton.alphabet();
    if bytes.is_empty() {
        return None;
    }
    if bytes.iter().all(u8::is_ascii_digit) {
        Some("it admits digit strings, an exact number or id sent as text")
    } else if bytes.iter().all(u8::is_ascii_hexdigit) {
        Some("it admits hex strings, an id or a hash sent as text")
    } else if bytes
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b':' | b'-' | b'T' | b'Z' | b' ' | b'+'))
    {
        Some("it admits strings of digits and separators: a time, an address or a number")
    } else {
        None
    }
}

/// `weak-reason`: every reason that unlocks something (a field's, the
/// budget's) must be one a reviewer can weigh.
fn reasons(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) {
    let min = config.thresholds.min_reason_words;
    let budget = p.budget.as_ref().and_then(|b| b.reason.as_ref());
    let fields = p.fields.iter().filter_map(|f| f.reason.as_ref());
    for reason in fields.chain(budget) {
        if let Some(why) = thin(&reason.value, min) {
            out.push(
                Diagnostic::new(
                    &WEAK_REASON,
                    p.file,
                    reason.span.clone(),
                    format!("the reason {why}"),
                )
                .help(format!(
                    "say in a full sentence (at least {min} words) why this is needed and why it stays safe: reviewers approve this text"
                ))
                .metric(&p.name),
            );
        }
    }
}

/// Why `reason` cannot be reviewed, if it cannot: a placeholder, or fewer
/// than `min_words` words that say something (not counting small words
/// such as "this is", nor ticket and link references).
fn thin(reason: &str, min_words: usize) -> Option<String> {
    const SMALL: &[&str] = &[
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "is",
        "are",
        "was",
        "be",
        "it",
        "its",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "as",
        "see",
        "per",
        "we",
        "our",
        "us",
        "you",
        "needed",
        "required",
        "necessary",
        "ticket",
        "issue",
        "jira",
        "bug",
        "pr",
        "link",
    ];
    let words = reason
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !w.chars().any(|c| c.is_ascii_digit())
                && !w.contains("://")
                && !SMALL.contains(&w.to_lowercase().as_str())
        })
        .count();
    let norm = super::checklist::normalize(reason);
    const PLACEHOLDERS: &[&str] = &[
        "needed",
        "required",
        "necessary",
        "see ticket",
        "see issue",
        "tbd",
        "todo",
        "n a",
        "none",
        "because",
        "ok",
        "safe",
        "trust me",
    ];
    if PLACEHOLDERS.contains(&norm.as_str()) {
        return Some(format!("\"{}\" is a placeholder", reason.trim()));
    }
    (words < min_words).then(|| {
        format!(
            "says too little ({words} word(s) that carry meaning; at least {min_words} are needed)"
        )
    })
}

/// Scans every value a field's finite domain holds, as sent.
fn domain(
    p: &Proposal,
    field: &str,
    ty: &FieldType,
    settings: &pii::Settings,
    out: &mut Vec<Diagnostic>,
) {
    let mut report = |value: &str, span: std::ops::Range<usize>, what: &str| {
        if let Some(found) = settings.scan_value(value, field).first() {
            out.push(
                Diagnostic::new(
                    &PII_IN_DOMAIN,
                    p.file,
                    span,
                    format!("{what} \"{value}\" of `{field}` is {}", article(found.kind)),
                )
                .label(found.kind.as_str())
                .help(format!(
                    "{}: list a category instead of the value itself",
                    found.kind.why()
                ))
                .metric(&p.name),
            );
        }
    };
    match ty {
        FieldType::Enum { values } | FieldType::Set { values } => {
            for v in values {
                report(&v.value, v.span.clone(), "the value");
            }
        }
        FieldType::Map { keys, value } => {
            for k in keys {
                report(&k.value, k.span.clone(), "the key");
            }
            domain(p, field, value, settings, out);
        }
        _ => {}
    }
}

/// Scans the example's values with the PII engine.
fn example(p: &Proposal, settings: &pii::Settings, out: &mut Vec<Diagnostic>) {
    let Some(ex) = &p.example else { return };
    for (key, value) in &ex.value {
        scan_example(p, &key.value, value, settings, out);
    }
}

fn scan_example(
    p: &Proposal,
    key: &str,
    value: &Spanned<ExampleValue>,
    settings: &pii::Settings,
    out: &mut Vec<Diagnostic>,
) {
    let found = match &value.value {
        ExampleValue::String(s) => settings
            .scan_value(s, key)
            .into_iter()
            .map(|f| f.kind)
            .collect(),
        ExampleValue::Integer(i) => pii::scan_number(&i.to_string(), key).into_iter().collect(),
        ExampleValue::Float(x) => pii::scan_number(&x.to_string(), key).into_iter().collect(),
        ExampleValue::DateTime(_) => vec![pii::Kind::Timestamp],
        ExampleValue::Array(items) => {
            for item in items {
                scan_example(p, key, item, settings, out);
            }
            Vec::new()
        }
        ExampleValue::Table(entries) => {
            for (k, v) in entries {
                scan_example(p, &k.value, v, settings, out);
            }
            Vec::new()
        }
        ExampleValue::Bool(_) | ExampleValue::Date(_) => Vec::new(),
    };
    for kind in found {
        out.push(
            Diagnostic::new(
                &PII_IN_EXAMPLE,
                p.file,
                value.span.clone(),
                format!("example value of `{key}` looks like {}: {}", article(kind), kind.why()),
            )
            .label(kind.as_str())
            .help("use a value the generated types can produce (a bucket label, an allow-listed name), never real data")
            .metric(&p.name),
        );
    }
}

fn article(kind: pii::Kind) -> String {
    let name = kind.as_str().replace('-', " ");
    let vowel = name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {name}", if vowel { "an" } else { "a" })
}

/// What one event's payload can carry: each live metric's share.
struct EventBudget<'r> {
    event: &'r str,
    /// `(bits, proposal)`, one per metric in the event.
    shares: Vec<(f64, &'r Proposal)>,
    budget: f64,
}

impl EventBudget<'_> {
    fn total(&self) -> f64 {
        self.shares.iter().map(|s| s.0).sum()
    }
}

/// The budget of every configured event, over the live proposals it carries.
fn event_budgets(registry: &Registry) -> Vec<EventBudget<'_>> {
    let budget = f64::from(registry.config.thresholds.max_bits_per_event);
    // Each live metric's bits once (a pattern's are counted on its
    // automaton), however many events carry it.
    let live: Vec<(f64, &Proposal)> = registry
        .proposals
        .iter()
        .filter(|p| p.is_live())
        .map(|p| (metric_bits(p), p))
        .collect();
    registry
        .config
        .events
        .iter()
        .map(|event| EventBudget {
            event,
            shares: live
                .iter()
                .filter(|(_, p)| p.events.iter().any(|e| e.value == *event))
                .copied()
                .collect(),
            budget,
        })
        .collect()
}

/// The field of `p` that carries the most bits (where a budget finding points).
fn largest_field(p: &Proposal) -> Option<&crate::model::Field> {
    p.fields
        .iter()
        .filter_map(|f| f.ty.as_ref().map(|ty| (f, field_bits(&ty.value))))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(f, _)| f)
}

/// How many metrics a `reidentification-budget` finding names, largest
/// share first.
const BUDGET_SHARES_LISTED: usize = 12;

/// Checks every event's payload against the budget. The finding goes to
/// each metric of the event not approved for its current definition, or,
/// when all are, to the largest.
pub fn check_budget(registry: &Registry, out: &mut Vec<Diagnostic>) {
    for mut b in event_budgets(registry) {
        let total = b.total();
        if total <= b.budget + EPSILON {
            continue;
        }
        b.shares
            .sort_by(|a, c| c.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&c.1.name)));
        // The largest shares name the metrics worth coarsening; an event
        // of thousands of metrics must not put all of them in each of its
        // findings (that is quadratic in the registry).
        let mut list: Vec<String> = b
            .shares
            .iter()
            .take(BUDGET_SHARES_LISTED)
            .map(|(bits, p)| {
                let state = if shippable(p, &registry.config) {
                    "approved"
                } else {
                    "not approved"
                };
                format!(
                    "{} {bits:.1} ({:.0}%, {state})",
                    p.name,
                    bits / total * 100.0
                )
            })
            .collect();
        if b.shares.len() > BUDGET_SHARES_LISTED {
            let rest = &b.shares[BUDGET_SHARES_LISTED..];
            let rest_bits: f64 = rest.iter().map(|s| s.0).sum();
            list.push(format!(
                "and {} more metrics with {rest_bits:.1} bits together",
                rest.len()
            ));
        }
        let pending: Vec<&Proposal> = b
            .shares
            .iter()
            .map(|s| s.1)
            .filter(|p| !shippable(p, &registry.config))
            .collect();
        let blamed = if pending.is_empty() {
            b.shares.first().map(|s| s.1).into_iter().collect()
        } else {
            pending
        };
        for p in blamed {
            let span = largest_field(p).map_or(0..0, |f| f.name.span.clone());
            let mine = metric_bits(p);
            out.push(
                Diagnostic::new(
                    &REIDENTIFICATION_BUDGET,
                    p.file,
                    span,
                    format!(
                        "the `{}` payload can carry {total:.1} identifying bits with `{}`'s {mine:.1}; the budget is {}",
                        b.event, p.name, b.budget
                    ),
                )
                .help(format!(
                    "every metric in `{}`, largest share first: {}; coarsen or drop fields, or move the metric to another event (only privet.toml's max_bits_per_event raises the budget)",
                    b.event,
                    list.join(", ")
                ))
                .metric(&p.name),
            );
        }
    }
}

/// The budget picture of every event, for reports: `(event, total bits, budget)`.
pub fn budget_summary(registry: &Registry) -> Vec<(String, f64, f64)> {
    event_budgets(registry)
        .into_iter()
        .map(|b| (b.event.to_string(), b.total(), b.budget))
        .collect()
}

#[cfg(test)]
mod spelled_number_tests {
    use super::{exact_by_spelling, numbers_spelled};

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
        assert!(exact_by_spelling(&[3, 4, 5, 9], 16).is_some());
        assert!(exact_by_spelling(&(0..40).step_by(2).collect::<Vec<_>>(), 16).is_some());
        // HTTP status codes, replica counts and a 1-2-5 scale are not.
        assert_eq!(exact_by_spelling(&[200, 301, 404, 500], 16), None);
        assert_eq!(exact_by_spelling(&[0, 1, 2, 3], 16), None);
        assert_eq!(exact_by_spelling(&[1, 2, 5, 10, 20, 50], 16), None);
    }
}
