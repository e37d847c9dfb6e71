//! Example rules (declared in `rules/example.rs`): the `[example]` table must
//! be a payload the declared fields can produce, value by value.

use std::ops::Range;

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::load::toml::quoted_list;
use crate::model::{DateResolution, ExampleValue, FieldType, Proposal, Spanned};
use crate::rules::example::EXAMPLE_MISMATCH;
use crate::suggest;

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
    match (ty, &v.value) {
        (FieldType::Bool, ExampleValue::Bool(_)) => Ok(()),
        (FieldType::Bool, _) => Err(wrong("a boolean", "write true or false".into())),
        (FieldType::Enum { values }, ExampleValue::String(s)) => {
            if s == "other" || values.iter().any(|x| x.value == *s) {
                Ok(())
            } else {
                Err(outside(
                    &format!("\"{s}\" is not one of its values"),
                    allowed(values, Some("other")),
                ))
            }
        }
        (FieldType::Enum { values }, _) => Err(wrong("a string", allowed(values, Some("other")))),
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
                        let labels = crate::buckets::labels(crate::buckets::SET_UNKNOWN_EDGES);
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
        (FieldType::Count { buckets } | FieldType::Duration { buckets, .. }, value) => {
            let labels = buckets.labels();
            let help = format!("send the bucket label: one of {}", quoted_strings(&labels));
            match value {
                ExampleValue::String(s) if labels.contains(s) => Ok(()),
                ExampleValue::String(s) => Err(outside(
                    &format!("\"{s}\" is not one of its bucket labels"),
                    help,
                )),
                ExampleValue::Integer(i) => {
                    let label = label_of(&buckets.edges, *i);
                    Err(outside(
                        &format!("is the raw number {i}; the payload carries its bucket label"),
                        match label {
                            Some(l) => format!("write \"{l}\", the bucket {i} falls into"),
                            None => help,
                        },
                    ))
                }
                _ => Err(wrong("a bucket label string", help)),
            }
        }
        (FieldType::Version { resolution }, ExampleValue::String(s)) => {
            let parts = resolution.parts();
            // Exactly as sent: what `validate` and the schema accept.
            if resolution.admits(s) {
                Ok(())
            } else {
                let truncated: Vec<&str> = s.split(['.', '-', '+']).take(parts).collect();
                Err(outside(
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
                ))
            }
        }
        (FieldType::Version { .. }, _) => Err(wrong(
            "a version string",
            "write the version as a string, e.g. \"3.49\"".into(),
        )),
        (FieldType::Date { resolution }, ExampleValue::Date(s) | ExampleValue::String(s)) => {
            let Some(d) = Date::parse(s) else {
                return Err(outside(
                    &format!("\"{s}\" is not a date"),
                    "write a date like 2026-11-23".into(),
                ));
            };
            match resolution {
                DateResolution::Day => Ok(()),
                DateResolution::Week if d.weekday() == 1 => Ok(()),
                DateResolution::Week => Err(outside(
                    &format!("{d} is not truncated to the week"),
                    format!(
                        "weeks are sent as their Monday: {}",
                        d.add_days(1 - i64::from(d.weekday()))
                    ),
                )),
                DateResolution::Month if d.day == 1 => Ok(()),
                DateResolution::Month => Err(outside(
                    &format!("{d} is not truncated to the month"),
                    format!(
                        "months are sent as their first day: {:04}-{:02}-01",
                        d.year, d.month
                    ),
                )),
            }
        }
        (FieldType::Date { .. }, ExampleValue::DateTime(s)) => Err(outside(
            &format!("{s} has a time of day"),
            "dates are never finer than a day: write only the date".into(),
        )),
        (FieldType::Date { .. }, _) => Err(wrong("a date", "write a date like 2026-11-23".into())),
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
        (
            FieldType::String {
                pattern,
                max_len,
                automaton,
            },
            ExampleValue::String(s),
        ) => {
            let len = s.chars().count();
            if len > *max_len as usize {
                return Err(outside(
                    &format!("is {len} characters long; `max_len` is {max_len}"),
                    "shorten the example".into(),
                ));
            }
            // The automaton the generated code checks values with.
            if automaton.matches(s) {
                Ok(())
            } else {
                Err(outside(
                    &format!(
                        "\"{}\" does not match its pattern `{}`",
                        crate::diagnostic::clip(s, 80),
                        crate::diagnostic::clip(&pattern.value, 120)
                    ),
                    "the pattern must match the whole value".into(),
                ))
            }
        }
        (FieldType::String { .. }, _) => {
            Err(wrong("a string", "write the value as a string".into()))
        }
    }
}

fn label_of(edges: &[u64], value: i64) -> Option<String> {
    let v = u64::try_from(value).ok()?;
    let labels = crate::buckets::labels(edges);
    let offset = usize::from(edges.first().is_some_and(|&e| e > 0));
    let idx = edges
        .iter()
        .rposition(|&e| e <= v)
        .map_or(0, |i| i + offset);
    labels.get(idx).cloned()
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

#[cfg(test)]
mod tests {
    use super::label_of;

    #[test]
    fn raw_numbers_map_to_their_bucket() {
        let edges = [0, 1, 2, 5, 10];
        assert_eq!(label_of(&edges, 0).as_deref(), Some("0"));
        assert_eq!(label_of(&edges, 3).as_deref(), Some("2-4"));
        assert_eq!(label_of(&edges, 999).as_deref(), Some("10+"));
        assert_eq!(label_of(&edges, -1), None);
        let edges = [5, 10];
        assert_eq!(label_of(&edges, 2).as_deref(), Some("0-4"));
        assert_eq!(label_of(&edges, 7).as_deref(), Some("5-9"));
        assert_eq!(label_of(&edges, 70).as_deref(), Some("10+"));
    }
}
