//! Privacy rules (declared in `rules/privacy.rs`): personal data in examples
//! and field names, resolution, and the re-identification budget.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::Registry;
use crate::model::{DateResolution, ExampleValue, FieldType, Proposal, Spanned, VersionResolution};
use crate::pii;
use crate::rules::privacy::{
    FINE_BUCKETS, PATCH_VERSION, PATTERN_ADMITS_PII, PII_FIELD_NAME, PII_IN_DOMAIN, PII_IN_EXAMPLE,
    REIDENTIFICATION_BUDGET,
};

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

pub fn check(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) {
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
            if let Some(w) = pii::witness::witnesses(automaton, bytes, &f.name.value).first() {
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
        let buckets = ty.value.buckets();
        if let Some(b) = buckets {
            let ratio = config.thresholds.min_bucket_ratio;
            if let Some(w) = b
                .edges
                .windows(2)
                .find(|w| w[0] >= 10 && (w[1] as f64) < w[0] as f64 * ratio)
            {
                out.push(
                    Diagnostic::new(
                        &FINE_BUCKETS,
                        p.file,
                        b.span.clone(),
                        format!("field `{}` has a bucket from {} to {}: too narrow that high up", f.name.value, w[0], w[1] - 1),
                    )
                    .help(format!("make each edge from 10 up at least {ratio}× the one before, e.g. a 1-2-5 or pow2 preset"))
                    .metric(&p.name),
                );
            }
        }
    }
    for f in &p.fields {
        if let Some(ty) = &f.ty {
            domain(p, &f.name.value, &ty.value, out);
        }
    }
    example(p, out);
}

/// Scans every value a field's finite domain holds, as sent.
fn domain(p: &Proposal, field: &str, ty: &FieldType, out: &mut Vec<Diagnostic>) {
    let mut report = |value: &str, span: std::ops::Range<usize>, what: &str| {
        if let Some(found) = pii::scan_value(value, field).first() {
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
            domain(p, field, value, out);
        }
        _ => {}
    }
}

/// Scans the example's values with the PII engine.
fn example(p: &Proposal, out: &mut Vec<Diagnostic>) {
    let Some(ex) = &p.example else { return };
    for (key, value) in &ex.value {
        scan_example(p, &key.value, value, out);
    }
}

fn scan_example(p: &Proposal, key: &str, value: &Spanned<ExampleValue>, out: &mut Vec<Diagnostic>) {
    let found = match &value.value {
        ExampleValue::String(s) => pii::scan_value(s, key)
            .into_iter()
            .map(|f| f.kind)
            .collect(),
        ExampleValue::Integer(i) => pii::scan_number(&i.to_string(), key).into_iter().collect(),
        ExampleValue::Float(x) => pii::scan_number(&x.to_string(), key).into_iter().collect(),
        ExampleValue::DateTime(_) => vec![pii::Kind::Timestamp],
        ExampleValue::Array(items) => {
            for item in items {
                scan_example(p, key, item, out);
            }
            Vec::new()
        }
        ExampleValue::Table(entries) => {
            for (k, v) in entries {
                scan_example(p, &k.value, v, out);
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

/// Identifying bits a field can carry (see the `reidentification-budget` docs).
pub fn field_bits(ty: &FieldType) -> f64 {
    match ty {
        FieldType::Bool => 1.0,
        FieldType::Enum { values } => ((values.len() + 1) as f64).log2(),
        FieldType::Set { values } => values.len() as f64 + 2.0,
        FieldType::Count { buckets } | FieldType::Duration { buckets, .. } => {
            (buckets.labels().len() as f64).log2()
        }
        FieldType::Version { resolution } => match resolution {
            VersionResolution::Major => 5.0,
            VersionResolution::Minor => 8.0,
            VersionResolution::Patch => 11.0,
        },
        FieldType::Date { resolution } => match resolution {
            DateResolution::Day => 365f64.log2(),
            DateResolution::Week => 52f64.log2(),
            DateResolution::Month => 12f64.log2(),
        },
        FieldType::Map { keys, value } => {
            let per_key = (field_bits(value).exp2() + 1.0).log2();
            per_key * keys.len() as f64
        }
        FieldType::String {
            max_len, automaton, ..
        } => string_bits(automaton, *max_len),
    }
}

/// log2 of the number of strings of at most `max_len` bytes the pattern
/// admits, counted on its automaton (capped where f64 overflows).
fn string_bits(t: &crate::automaton::Table, max_len: u32) -> f64 {
    let mut class_size = vec![0f64; t.class_count];
    for &c in t.classes.iter() {
        class_size[usize::from(c)] += 1.0;
    }
    let states = t.accept.len();
    let mut cur = vec![0f64; states];
    cur[usize::from(t.start)] = 1.0;
    let mut total = if t.accept[usize::from(t.start)] {
        1.0
    } else {
        0.0
    };
    // Lengths are in characters; bytes bound them from above (UTF-8).
    for _ in 0..max_len.saturating_mul(4).min(4096) {
        let mut next = vec![0f64; states];
        for (s, &count) in cur.iter().enumerate().skip(1) {
            if count == 0.0 {
                continue;
            }
            for (c, &size) in class_size.iter().enumerate() {
                let to = usize::from(t.transitions[s * t.class_count + c]);
                if to != 0 {
                    next[to] += count * size;
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

/// What one event's payload can carry: each field's share, and what the
/// proposals in it add to the budget (with their reasons).
struct EventBudget<'r> {
    event: &'r str,
    /// `(bits, metric.field, proposal)`.
    shares: Vec<(f64, String, &'r Proposal)>,
    budget: f64,
    reasons: Vec<String>,
}

impl EventBudget<'_> {
    fn total(&self) -> f64 {
        self.shares.iter().map(|s| s.0).sum()
    }
}

/// The budget of every configured event, over the live proposals it carries.
fn event_budgets(registry: &Registry) -> Vec<EventBudget<'_>> {
    let base = f64::from(registry.config.thresholds.max_bits_per_event);
    registry
        .config
        .events
        .iter()
        .map(|event| {
            let mut b = EventBudget {
                event,
                shares: Vec::new(),
                budget: base,
                reasons: Vec::new(),
            };
            for p in registry
                .proposals
                .iter()
                .filter(|p| p.is_live() && p.events.iter().any(|e| e.value == *event))
            {
                for f in &p.fields {
                    if let Some(ty) = &f.ty {
                        b.shares.push((
                            field_bits(&ty.value),
                            format!("{}.{}", p.name, f.name.value),
                            p,
                        ));
                    }
                }
                if let Some(extra) = &p.budget {
                    b.budget += f64::from(extra.bits.value);
                    let why = extra
                        .reason
                        .as_ref()
                        .map_or("no reason given", |r| r.value.as_str());
                    b.reasons
                        .push(format!("{} adds {} bits: {why}", p.name, extra.bits.value));
                }
            }
            b
        })
        .collect()
}

/// Checks every event's payload against the budget.
pub fn check_budget(registry: &Registry, out: &mut Vec<Diagnostic>) {
    for mut b in event_budgets(registry) {
        let total = b.total();
        if total <= b.budget {
            continue;
        }
        b.shares
            .sort_by(|a, c| c.0.total_cmp(&a.0).then_with(|| a.1.cmp(&c.1)));
        let Some(largest) = b.shares.first().map(|s| s.2) else {
            continue;
        };
        let list: Vec<String> = b
            .shares
            .iter()
            .take(12)
            .map(|(bits, name, _)| format!("{name} {bits:.1} ({:.0}%)", bits / total * 100.0))
            .collect();
        let mut help = format!("largest shares first: {}", list.join(", "));
        if b.shares.len() > 12 {
            help.push_str(&format!(", and {} more", b.shares.len() - 12));
        }
        if !b.reasons.is_empty() {
            help.push_str(&format!("; raised by: {}", b.reasons.join("; ")));
        }
        help.push_str(
            "; coarsen or drop the largest, or raise the budget with [budget] bits and a reason",
        );
        out.push(
            Diagnostic::new(
                &REIDENTIFICATION_BUDGET,
                largest.file,
                0..0,
                format!(
                    "the `{}` payload can carry {total:.1} identifying bits; the budget is {}",
                    b.event, b.budget
                ),
            )
            .help(help)
            .metric(&largest.name),
        );
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
mod tests {
    use super::string_bits;

    #[test]
    fn string_bits_count_the_admitted_strings() {
        // "a" or "b": 2 strings, 1 bit
        let bits = |p: &str, n| string_bits(&crate::automaton::compile(p).unwrap(), n);
        assert!((bits("a|b", 4) - 1.0).abs() < 1e-9);
        // [a-z]{2}: 676 strings
        assert!((bits("[a-z]{2}", 2) - 676f64.log2()).abs() < 1e-9);
        // [0-9]{1,3}: 10 + 100 + 1000
        assert!((bits("[0-9]{1,3}", 3) - 1110f64.log2()).abs() < 1e-6);
    }
}
