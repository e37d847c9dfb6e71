//! Example rules: the `[example]` table must
//! be a payload the declared fields can produce, value by value.

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::domain::{self, Leaf, Refusal};
use crate::load::toml::quoted_list;
use crate::model::{DateResolution, ExampleValue, FieldType, Proposal, Spanned};

use crate::suggest;

use crate::rules::{Rule, Severity};

pub const EXAMPLE_MISMATCH: Rule = Rule {
    id: "example-mismatch",
    family: "example",
    severity: Severity::Error,
    summary: "the example does not validate against the declared fields",
    what: "An `[example]` that names a field that is not declared, leaves a declared field \
           out, or gives a value outside the field's domain: an enum value not listed \
           (and not `other`), a set item not listed (a set may be written as the array \
           of its items, or as sent: `{ items = [...], unknown = \"0\" }`), a count that is not one of the \
           field's bucket labels, a version finer than its resolution, a date that is not \
           truncated to its resolution, a string that does not match its pattern.",
    why: "The example is what reviewers read to understand the data. It shows the payload \
          exactly as sent, after bucketing, so it must be something the generated types \
          can actually produce.",
    example: "[fields.workers]\ntype = \"count\"\nbuckets = [0, 1, 2, 5, 10]\n\n[example]\nworkers = 3   # send the bucket label: \"2-4\"",
};

/// A value that does not fit: where, what is wrong, and what would fit.
struct Mismatch {
    span: Range<usize>,
    message: String,
    help: String,
}

pub fn check(p: &Proposal, out: &mut Vec<Diagnostic>) {
    let Some(example) = &p.example else { return };
    if example.value.is_empty() {
        return; // reported by the checklist rules
    }
    let mut push = |span: Range<usize>, message: String, help: String| {
        out.push(
            Diagnostic::new(&EXAMPLE_MISMATCH, p.file, span, message)
                .help(help)
                .metric(&p.name),
        );
    };
    for (key, value) in &example.value {
        let Some(field) = p.field(&key.value) else {
            let names: Vec<&str> = p.fields.iter().map(|f| f.name.value.as_str()).collect();
            let help = match suggest::closest(&key.value, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("declared fields: {}", quoted_list(&names)),
            };
            push(
                key.span.clone(),
                format!(
                    "example has a value for `{}`, which is not a declared field",
                    key.value
                ),
                help,
            );
            continue;
        };
        let Some(ty) = &field.ty else { continue };
        if let Err(m) = validate(&key.value, &ty.value, value) {
            push(m.span, m.message, m.help);
        }
    }
    for f in &p.fields {
        if !example.value.iter().any(|(k, _)| k.value == f.name.value) {
            push(
                example.span.clone(),
                format!("example has no value for field `{}`", f.name.value),
                format!("add `{} = …` to [example]", f.name.value),
            );
        }
    }
}

fn validate(name: &str, ty: &FieldType, v: &Spanned<ExampleValue>) -> Result<(), Mismatch> {
    let wrong = |expected: &str, help: String| Mismatch {
        span: v.span.clone(),
        message: format!(
            "example value of `{name}` must be {expected}, found {}",
            v.value.kind()
        ),
        help,
    };
    let outside = |what: &str, help: String| Mismatch {
        span: v.span.clone(),
        message: format!("example value of `{name}` {what}"),
        help,
    };
    // Containers are walked here; every leaf is judged by `domain`.
    match (ty, &v.value) {
        (FieldType::Set { values }, ExampleValue::Array(items)) => {
            let mut seen: Vec<&str> = Vec::new();
            for item in items {
                match &item.value {
                    ExampleValue::String(s) if values.iter().any(|x| x.value == *s) => {
                        if seen.contains(&s.as_str()) {
                            return Err(Mismatch {
                                span: item.span.clone(),
                                message: format!("example value of `{name}` lists \"{s}\" twice"),
                                help: "a set holds each item once".into(),
                            });
                        }
                        seen.push(s);
                    }
                    ExampleValue::String(s) => {
                        return Err(Mismatch {
                            span: item.span.clone(),
                            message: format!(
                                "example value of `{name}` contains \"{s}\", which is not in its list"
                            ),
                            help: format!(
                                "{} (items outside the list are only counted, never sent by name)",
                                allowed(values, None)
                            ),
                        });
                    }
                    other => {
                        return Err(Mismatch {
                            span: item.span.clone(),
                            message: format!(
                                "example value of `{name}` must hold strings, found {}",
                                other.kind()
                            ),
                            help: allowed(values, None),
                        });
                    }
                }
            }
            Ok(())
        }
        (FieldType::Set { .. }, ExampleValue::Table(entries)) => {
            // The full form, as sent: { items = [...], unknown = "0" }.
            for (k, v) in entries {
                match k.value.as_str() {
                    "items" => validate(name, ty, v)?,
                    "unknown" => {
                        let labels = domain::set_unknown_labels();
                        if !matches!(&v.value, ExampleValue::String(s) if labels.contains(s)) {
                            return Err(Mismatch {
                                span: v.span.clone(),
                                message: format!(
                                    "example value of `{name}.unknown` is not a bucket of unlisted items"
                                ),
                                help: format!("one of {}", quoted_strings(&labels)),
                            });
                        }
                    }
                    other => {
                        return Err(Mismatch {
                            span: k.span.clone(),
                            message: format!("example value of `{name}` has key `{other}`"),
                            help: "a set is sent as { items = [...], unknown = \"0\" }, or written as just the array of items".into(),
                        });
                    }
                }
            }
            Ok(())
        }
        (FieldType::Set { values }, _) => Err(wrong("an array of strings", allowed(values, None))),
        (FieldType::Map { keys, value }, ExampleValue::Table(entries)) => {
            for (k, v) in entries {
                if !keys.iter().any(|x| x.value == k.value) {
                    return Err(Mismatch {
                        span: k.span.clone(),
                        message: format!(
                            "example value of `{name}` has key \"{}\", which is not in its `keys`",
                            k.value
                        ),
                        help: allowed(keys, None),
                    });
                }
                validate(&format!("{name}.{}", k.value), value, v)?;
            }
            Ok(())
        }
        (FieldType::Map { keys, .. }, _) => Err(wrong(
            "a table",
            format!(
                "write a table whose keys are among: {}",
                allowed(keys, None)
            ),
        )),
        (ty, value) => {
            let leaf = match value {
                ExampleValue::Bool(b) => Leaf::Bool(*b),
                ExampleValue::Integer(i) => Leaf::Int(*i),
                ExampleValue::String(s) | ExampleValue::Date(s) => Leaf::Str(s),
                ExampleValue::DateTime(s) => Leaf::DateTime(s),
                _ => Leaf::Other,
            };
            domain::judge(ty, leaf)
                .map_err(|refusal| leaf_mismatch(ty, value, refusal, &wrong, &outside))
        }
    }
}

/// What an example says about a leaf `value` that `domain` refused.
fn leaf_mismatch(
    ty: &FieldType,
    value: &ExampleValue,
    refusal: Refusal,
    wrong: &dyn Fn(&str, String) -> Mismatch,
    outside: &dyn Fn(&str, String) -> Mismatch,
) -> Mismatch {
    let s = match value {
        ExampleValue::String(s) | ExampleValue::Date(s) | ExampleValue::DateTime(s) => s.as_str(),
        _ => "",
    };
    match (ty, refusal) {
        (FieldType::Bool, _) => wrong("a boolean", "write true or false".into()),
        (FieldType::Enum { values }, Refusal::Unlisted) => outside(
            &format!("\"{s}\" is not one of its values"),
            allowed(values, Some(domain::ENUM_OTHER)),
        ),
        (FieldType::Enum { values }, _) => {
            wrong("a string", allowed(values, Some(domain::ENUM_OTHER)))
        }
        (FieldType::Count { buckets } | FieldType::Duration { buckets, .. }, refusal) => {
            let help = format!(
                "send the bucket label: one of {}",
                quoted_strings(&crate::buckets::labels(&buckets.edges))
            );
            match (refusal, value) {
                (Refusal::NotALabel, _) => {
                    outside(&format!("\"{s}\" is not one of its bucket labels"), help)
                }
                (Refusal::RawNumber(label), ExampleValue::Integer(i)) => outside(
                    &format!("is the raw number {i}; the payload carries its bucket label"),
                    match label {
                        Some(l) => format!("write \"{l}\", the bucket {i} falls into"),
                        None => help,
                    },
                ),
                _ => wrong("a bucket label string", help),
            }
        }
        (
            FieldType::Version {
                parts: Some(parts), ..
            },
            Refusal::NotAVersion,
        ) if crate::model::version_admits(s, parts.0.len()) => outside(
            &format!("\"{s}\" has a part outside its range (`smallest_parts`, `largest_parts`)"),
            format!(
                "the generated types send such a version as \"unknown\"; use a version with {}",
                parts.in_words()
            ),
        ),
        (FieldType::Version { resolution, .. }, Refusal::NotAVersion) => {
            let parts = resolution.parts();
            let truncated: Vec<&str> = s.split(['.', '-', '+']).take(parts).collect();
            outside(
                &format!(
                    "\"{s}\" is not a version at {} resolution",
                    ["major", "minor", "patch"][parts - 1]
                ),
                format!(
                    "write {parts} numeric part{} of at most {} digits, without leading zeros, such as \"{}\" (longer numbers are sent as \"unknown\")",
                    if parts == 1 { "" } else { "s" },
                    crate::model::VERSION_COMPONENT_DIGITS,
                    truncated.join(".")
                ),
            )
        }
        (FieldType::Version { .. }, _) => wrong(
            "a version string",
            "write the version as a string, e.g. \"3.49\"".into(),
        ),
        (FieldType::Date { .. }, Refusal::NotADate) => outside(
            &format!("\"{s}\" is not a date"),
            "write a date like 2026-11-23".into(),
        ),
        (FieldType::Date { .. }, Refusal::OutsideSpan(span)) => outside(
            &format!(
                "{s} is outside the dates the field may send ({} to {})",
                span.first(),
                span.last()
            ),
            "write a date inside the span, or move the field's `earliest` or `latest`".into(),
        ),
        (FieldType::Date { resolution, .. }, Refusal::NotTruncated(to)) => {
            let d = domain::parse_date(s).unwrap_or(to);
            match resolution {
                DateResolution::Week => outside(
                    &format!("{d} is not truncated to the week"),
                    format!("weeks are sent as their Monday: {to}"),
                ),
                _ => outside(
                    &format!("{d} is not truncated to the month"),
                    format!("months are sent as their first day: {to}"),
                ),
            }
        }
        (FieldType::Date { .. }, Refusal::HasTime) => outside(
            &format!("{s} has a time of day"),
            "dates are never finer than a day: write only the date".into(),
        ),
        (FieldType::Date { .. }, _) => wrong("a date", "write a date like 2026-11-23".into()),
        (FieldType::String { max_len, .. }, Refusal::TooLong(len)) => outside(
            &format!("is {len} characters long; `max_len` is {max_len}"),
            "shorten the example".into(),
        ),
        (FieldType::String { pattern, .. }, Refusal::NoMatch) => outside(
            &format!(
                "\"{}\" does not match its pattern `{}`",
                crate::diagnostic::clip(s, 80),
                crate::diagnostic::clip(&pattern.value, 120)
            ),
            "the pattern must match the whole value".into(),
        ),
        (FieldType::String { .. }, _) => wrong("a string", "write the value as a string".into()),
        // Containers are walked by `validate`, never judged as a leaf.
        (FieldType::Set { values }, _) => wrong("an array of strings", allowed(values, None)),
        (FieldType::Map { keys, .. }, _) => wrong(
            "a table",
            format!(
                "write a table whose keys are among: {}",
                allowed(keys, None)
            ),
        ),
    }
}

fn allowed(values: &[Spanned<String>], extra: Option<&str>) -> String {
    let mut names: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    names.extend(extra);
    format!("allowed: {}", quoted_strings(&names))
}

fn quoted_strings<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("\"{}\"", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}
