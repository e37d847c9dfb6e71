//! Information: how many bits each field, and a metric's fields together,
//! can carry, against the registry's bounds and the metric's `[budget]`.

use crate::bits::field_bits;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{FieldType, Proposal, Spanned, VersionResolution};
use crate::rules::{Rule, Severity};

use super::reasons::thin;

pub const FIELD_INFORMATION: Rule = Rule {
    id: "field-information",
    family: "privacy",
    severity: Severity::Error,
    summary: "a field can take too many distinct values",
    what: "A field whose declared domain holds more than `thresholds.max_bits_per_field` \
           (default 12) bits of information: log2 of the number of distinct values it can \
           send, counted exactly from the declaration: a bool 1 bit, an enum of n values \
           log2(n + 1) (`other` is a value), a set of n items n bits plus 2 for its \
           unknown-count bucket, a count or duration log2(buckets), a version log2 of the \
           combinations its parts can hold (each up to 9,999, 13.3 bits a part, or up to \
           its `largest_parts` and from its `smallest_parts`: [9, 99] is 10 bits, a calendar \
           version from [2020, 1] to [2099, 12] 9.9), a date log2 of the days, weeks or \
           months in the span it may send: from its `earliest` (the Unix epoch, \
           1970-01-01, unless declared) to its `latest` (the metric's `expires` unless \
           declared; a century on when it never expires), so an undeclared day date \
           expiring in 2028 is 14.4 bits and one with `earliest = 2020-01-01` 11.7 (a date \
           of something that happened once, a creation or an oldest item, ranges over \
           decades; a date outside the span is refused where payloads are checked), a map the sum over its keys of log2(values + 1), \
           a string log2 of \
           the number of strings its pattern admits up to `max_len` (counted on the \
           pattern's automaton). A map is a group of fields, one per key, and a set a group \
           of flags: the bound applies to each key's value and each item (a set's count of \
           unlisted items is 2 bits), and `metric-information` counts them all. An enum of more \
           than 255 values is a directory (of customers, hosts or people) more than a \
           category, held at 8 bits unless the metric's `[budget]` asks for more. Whatever \
           the pattern and whatever a `[budget]` asks, a string that can take more than \
           256 values is refused: it is a name, a login, an id, a hash or a place under \
           another name, in any alphabet (a geohash, a grid locator, a code of words). So \
           is a version (or a map's version, per key) that can name more than 2,048 \
           releases: no project ships that many at one resolution, so the parts hold a \
           counter, a date, a time or an address. \
           An enum, set or map key list made of numbers is bounded at 4 bits (16 values) \
           whatever a `[budget]` asks. Otherwise a metric may raise its \
           own field allowance with `[budget] field_bits = N` and a reason, up to \
           `[ceilings] bits_per_field` (default 32). The escape for a field that needs more is a \
           coarser type: an `enum` or `set` of the values that matter, buckets, or a \
           pattern with few values.",
    why: "Identifiers hide in large domains: a free digit string is an exact count, an enum \
          of 500 tenant names names the tenant, a hex pattern is a hash of something. \
          Bounding each field's information bounds what it can smuggle, whatever its name \
          or pattern.",
    example: "[fields.build]\ntype = \"string\"\npattern = '[0-9]{1,10}'\nmax_len = 10",
};

pub const METRIC_INFORMATION: Rule = Rule {
    id: "metric-information",
    family: "privacy",
    severity: Severity::Error,
    summary: "a metric's fields together can take too many distinct values",
    what: "A metric whose fields together carry more than `thresholds.max_bits_per_metric` \
           (default 24) bits: the sum of its fields' bits (see `field-information`). The \
           finding points at every field that carries an eighth of the total or more, the \
           largest first, and lists every field's share. A metric may raise its own allowance with `[budget] metric_bits = N` and \
           a reason, up to `[ceilings] bits_per_metric` (default 128). Whatever a \
           `[budget]` asks, a metric may send at most 32 independent yes-or-no choices (a \
           set's items, a map of bools' keys, bool fields): which of 33 public plugins \
           or more an installation has is one of more combinations than there are people, \
           a fingerprint.",
    why: "An identifier split over several coarse fields is still an identifier: an IP \
          address as four enums of 0-255, a time as date, hour, minute and second, a \
          position as latitude and longitude. Counting a metric's fields together catches \
          the split.",
    example: "[fields.a]\ntype = \"version\"\nresolution = \"minor\"\n\n[fields.b]\ntype = \"version\"\nresolution = \"minor\"\n\n[fields.c]\ntype = \"bool\"",
};

pub const BUDGET_CEILING: Rule = Rule {
    id: "budget-ceiling",
    family: "privacy",
    severity: Severity::Error,
    summary: "a metric asks for more information than the registry's ceiling",
    what: "A `[budget]` whose `field_bits` or `metric_bits` is above the registry's \
           `[ceilings]` (`bits_per_field`, default 32; `bits_per_metric`, default 128). The \
           allowance is capped at the ceiling.",
    why: "An override is a reviewer's decision about one metric; the ceiling is the \
          registry's promise to the people it collects from. No proposal can raise it: a \
          change to `privet.toml` is reviewed as such.",
    example: "[budget]\nmetric_bits = 200\nreason = \"the dashboard needs every combination of these flags\"",
};

pub const BUDGET_UNNEEDED: Rule = Rule {
    id: "budget-unneeded",
    family: "privacy",
    severity: Severity::Warning,
    summary: "a metric's budget raises a bound its fields stay within",
    what: "A `[budget]` whose `field_bits` is set although every field (each map key, each \
           set item) stays within the registry's `thresholds.max_bits_per_field`, or whose \
           `metric_bits` is set although the fields together stay within \
           `thresholds.max_bits_per_metric`.",
    why: "An override is a reviewer's decision, shown first in `privet review` and signed \
          with the metric. One that grants nothing teaches reviewers to wave overrides \
          through, and stays in place to cover whatever the metric grows into later.",
    example: "[budget]\nfield_bits = 11\nreason = \"Nine published module names, each on or off, answer which modules to maintain.\"\n\n[fields.modules]\ntype = \"set\"\nvalues = [\"a\", \"b\", \"c\"]",
};

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
pub(super) const EPSILON: f64 = 1e-9;

/// `field-information` and `metric-information`: each field's bits, and
/// their sum, against the metric's allowances.
pub fn check(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) {
    let allowed = allowance(p, config, out);
    let shares: Vec<(&crate::model::Field, f64)> = p
        .fields
        .iter()
        .filter_map(|f| f.ty.as_ref().map(|ty| (f, field_bits(&ty.value))))
        .collect();
    let mut over_field = false;
    // The most any one field (a map key, a set item) carries, as judged.
    let mut largest_element: f64 = 0.0;
    for (f, total_bits) in &shares {
        let ty = &f.ty.as_ref().expect("typed").value;
        // A number sent as text or as a list of numbers is an exact value:
        // no [budget] raises its bound past the registry's own.
        let numbers = numeric_values(ty);
        let (bound, why) = if let Some(e) = encodes(ty) {
            let t = f64::from(config.thresholds.max_bits_per_field);
            (allowed.field.min(t).min(STRING_BITS), Some(e.to_string()))
        } else if sent_version(ty).is_some() {
            (
                allowed.field.min(VERSION_BITS),
                Some("a version that can name more than 2,048 releases holds a counter, a date, a time or an address in version form: declare each part's real range with largest_parts and smallest_parts; no [budget] raises it".to_string()),
            )
        } else if matches!(ty, FieldType::String { .. }) {
            (
                allowed.field.min(STRING_BITS),
                Some("a string of more than 256 values is a name, a login, an id, a hash or a place under another name, whatever its alphabet (a geohash, a grid locator, a word code): no [budget] raises it; use an enum of the values that matter".to_string()),
            )
        } else if let FieldType::Date { span, .. } = ty
            && span.earliest.is_none()
        {
            (
                allowed.field,
                Some(format!(
                    "a date of something that happened once (a creation, an oldest item) may be any of the {} years from {}, not only the year of the report",
                    (span.days() as f64 / 365.2425).round(),
                    span.first()
                )),
            )
        } else if let Some(n) = numbers {
            (
                allowed.field.min(NUMERIC_ENUM_BITS),
                Some(format!(
                    "its {n} values are numbers, an exact value under another name: use a count or duration with buckets"
                )),
            )
        } else {
            (allowed.field, None)
        };
        // A closed list longer than a byte's worth is a directory (of
        // customers, hosts, people) more than a category: held at 8 bits
        // unless the metric's own budget says why it needs more.
        let asked = p.budget.as_ref().is_some_and(|b| b.field_bits.is_some());
        let (bound, why) = match ty {
            FieldType::Enum { values } if why.is_none() && !asked && values.len() > DIRECTORY => (
                bound.min(DIRECTORY_BITS),
                Some(format!(
                    "a closed list of {} values is a directory (of customers, hosts or people) more than a category; a public catalogue asks reviewers with [budget] field_bits and a reason",
                    values.len()
                )),
            ),
            _ => (bound, why),
        };
        // Numbers are judged as a whole; otherwise a map's keys and a set's
        // items are judged one by one, as the fields and flags they stand
        // for (a list of people in a set is `pii-in-domain`'s to find).
        let (bits, each) = match ty {
            FieldType::Map { .. } | FieldType::Set { .. } if numbers.is_none() => {
                (crate::bits::element_bits(ty), true)
            }
            _ => (*total_bits, false),
        };
        largest_element = largest_element.max(bits);
        if bits > bound + EPSILON {
            over_field = true;
            out.push(
                Diagnostic::new(
                    &FIELD_INFORMATION,
                    p.file,
                    f.name.span.clone(),
                    format!(
                        "field `{}` can take {} distinct values{} ({bits:.1} bits); the bound is {bound} bits{}",
                        f.name.value,
                        values_text(bits),
                        if each { " at each key" } else { "" },
                        why.as_ref().map(|e| format!(": {e}")).unwrap_or_default()
                    ),
                )
                .label(format!("{bits:.1} bits"))
                .help(coarsen_help(ty))
                .metric(&p.name),
            );
        }
    }
    let total: f64 = shares.iter().map(|s| s.1).sum();
    unneeded_budget(p, config, largest_element, total, out);
    if fingerprint(p, out) {
        return;
    }
    // A field over its own bound is the finding to fix first.
    if over_field || total <= allowed.metric + EPSILON {
        return;
    }
    // The finding goes to every field that carries a real share of the
    // total (an eighth or more), the largest first: the information sits
    // in all of them together, and a witness at one field lets the others,
    // declared before or after it, look innocent.
    let mut carriers: Vec<&(&crate::model::Field, f64)> = shares
        .iter()
        .filter(|(_, bits)| *bits * 8.0 >= total - EPSILON)
        .collect();
    carriers.sort_by(|a, b| b.1.total_cmp(&a.1));
    let list: Vec<String> = shares
        .iter()
        .map(|(f, bits)| format!("{} {bits:.1}", f.name.value))
        .collect();
    for (f, bits) in carriers {
        out.push(
            Diagnostic::new(
                &METRIC_INFORMATION,
                p.file,
                f.name.span.clone(),
                format!(
                    "`{}`'s fields together can carry {total:.1} bits; the bound is {} bits",
                    p.name, allowed.metric
                ),
            )
            .label(format!("{bits:.1} bits of the total"))
            .help(format!(
                "bits per field: {}; coarsen or drop fields, or ask reviewers for more with [budget] metric_bits and a reason",
                list.join(", ")
            ))
            .metric(&p.name),
        );
    }
}

/// Most independent yes-or-no choices a metric may send, whatever a
/// `[budget]` asks: 2^32 combinations are more than half the people on
/// Earth, so which of more items an installation has singles it out.
pub(super) const CHOICES: usize = 32;

/// The yes-or-no choices a field sends: a set's items, a map of bools'
/// keys, a bool.
fn choices(ty: &FieldType) -> usize {
    match ty {
        FieldType::Bool => 1,
        FieldType::Set { values } => values.len(),
        FieldType::Map { keys, value } if matches!(**value, FieldType::Bool) => keys.len(),
        _ => 0,
    }
}

/// The fields of `p` that send yes-or-no choices, with how many each sends.
pub(super) fn choice_fields(p: &Proposal) -> Vec<(&crate::model::Field, usize)> {
    p.fields
        .iter()
        .filter_map(|f| Some((f, choices(&f.ty.as_ref()?.value))))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// `metric-information`: a metric that sends more than [`CHOICES`]
/// independent choices (which plugins are installed, which decks are
/// studied) is a fingerprint, whatever its `[budget]`: each item is public
/// and harmless, and together they single out the installation. Reported
/// at the field with the most of them; true when reported.
fn fingerprint(p: &Proposal, out: &mut Vec<Diagnostic>) -> bool {
    let per_field = choice_fields(p);
    let total: usize = per_field.iter().map(|f| f.1).sum();
    if total <= CHOICES {
        return false;
    }
    let (largest, n) = per_field
        .iter()
        .max_by_key(|f| f.1)
        .copied()
        .expect("a metric over the bound has a field with choices");
    out.push(
        Diagnostic::new(
            &METRIC_INFORMATION,
            p.file,
            largest.name.span.clone(),
            format!(
                "`{}` sends {total} independent yes-or-no choices ({n} in `{}`): 2^{total} combinations of public items single out one installation (a fingerprint), whatever a [budget] allows; the bound is {CHOICES}",
                p.name, largest.name.value
            ),
        )
        .label(format!("{n} choices"))
        .help("send the few items the question is about, or split the list over metrics nobody can link, or count the items instead of naming them; no [budget] raises this bound")
        .metric(&p.name),
    );
    true
}

/// How to bring a field under its bound, for its type.
fn coarsen_help(ty: &FieldType) -> String {
    if let FieldType::Date { resolution, span } = ty {
        return format!(
            "the field may send any {} from {} to {}: declare the dates it really takes with `earliest` (and `latest`), e.g. earliest = 2020-01-01 (a date outside is refused where payloads are checked), coarsen it to the {}, or send the time since it as a duration with buckets; or ask reviewers for more with [budget] field_bits and a reason",
            resolution.name(),
            span.first(),
            span.last(),
            match resolution {
                crate::model::DateResolution::Day => "week or month",
                _ => "month or year as an enum",
            },
        );
    }
    match sent_version(ty) {
        Some(resolution) => format!(
            "each part of a version may hold up to 9,999: say how far each really goes, e.g. largest_parts = {} (a larger part is sent as \"unknown\"), or for a calendar version smallest_parts = [2020, 1] with largest_parts = [2099, 12]; or ask reviewers for more with [budget] field_bits and a reason",
            resolution.example_largest_parts()
        ),
        None => "coarsen it: an enum or set of the values that matter, buckets, a pattern with few values; or ask reviewers for more with [budget] field_bits and a reason".into(),
    }
}

/// `budget-unneeded`: a `[budget]` key that raises a bound the fields stay
/// within at the registry's own thresholds.
fn unneeded_budget(
    p: &Proposal,
    config: &Config,
    largest_element: f64,
    total: f64,
    out: &mut Vec<Diagnostic>,
) {
    let Some(budget) = &p.budget else { return };
    let t = &config.thresholds;
    let unneeded = [
        (
            budget.field_bits.as_ref(),
            largest_element <= f64::from(t.max_bits_per_field) + EPSILON,
            "field_bits",
            format!(
                "every field stays within the registry's {} bits per field (the largest carries {largest_element:.1})",
                t.max_bits_per_field
            ),
        ),
        (
            budget.metric_bits.as_ref(),
            total <= f64::from(t.max_bits_per_metric) + EPSILON,
            "metric_bits",
            format!(
                "the fields together carry {total:.1} bits, within the registry's {} per metric",
                t.max_bits_per_metric
            ),
        ),
    ];
    for (asked, within, key, why) in unneeded {
        if let Some(asked) = asked
            && within
        {
            out.push(
                Diagnostic::new(
                    &BUDGET_UNNEEDED,
                    p.file,
                    asked.span.clone(),
                    format!("`{key} = {}` raises nothing: {why}", asked.value),
                )
                .label("not needed")
                .help(format!(
                    "remove `{key}` (and `[budget]` if nothing is left), so that the overrides a reviewer signs are the ones that matter"
                ))
                .metric(&p.name),
            );
        }
    }
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

/// Most bits a version (or a map's version value, per key) may carry
/// whatever a `[budget]` asks: 2,048 releases, more than any project ships
/// at one resolution (major.minor up to 9.99 is 1,000; year.month for 80
/// years 960; .NET's 19.1.40 1,640).
const VERSION_BITS: f64 = 11.0;

/// The resolution of the versions a field sends: a version's, or a map of
/// versions' value's.
fn sent_version(ty: &FieldType) -> Option<VersionResolution> {
    match ty {
        FieldType::Version { resolution, .. } => Some(*resolution),
        FieldType::Map { value, .. } => sent_version(value),
        _ => None,
    }
}

/// Most bits a string field may carry whatever a `[budget]` asks: 256
/// values. A pattern is the last resort, for a few shapes; more than that
/// is free text under a pattern.
const STRING_BITS: f64 = 8.0;

/// Most values an enum may list before it is judged as a directory.
const DIRECTORY: usize = 255;
/// The bound of such an enum without a `[budget]`: 256 values with `other`.
const DIRECTORY_BITS: f64 = 8.0;

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
