//! What a value of each field type is: the one definition of the
//! low-resolution type system's domains. The example check
//! (`check/example.rs`) and `privet validate` judge every leaf value here
//! and only word the verdict their own way; the schema generator and the
//! Rust runtime take the same facts from the same places
//! ([`crate::buckets`] for labels, [`crate::model::VersionResolution`] for
//! versions, [`truncate`] for dates). Sets and maps are containers: their
//! items and values are judged here one by one.

use crate::date::Date;
use crate::model::{DateResolution, DateSpan, FieldType};

/// The enum value every enum admits besides its listed ones.
pub const ENUM_OTHER: &str = "other";

/// A leaf value as a reader has it (a JSON or TOML scalar).
#[derive(Clone, Copy, Debug)]
pub enum Leaf<'a> {
    Bool(bool),
    Str(&'a str),
    Int(i64),
    /// A TOML date-time with a time of day: never a value.
    DateTime(&'a str),
    /// Anything else: a float, an array, a table, null.
    Other,
}

/// Why a leaf is not a value of its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not the kind of value the type holds (a number for a boolean, a
    /// table for a leaf type, a leaf for a set or map).
    Kind,
    /// A string that is not a listed value of an enum.
    Unlisted,
    /// An exact number where a bucket label is sent, with the label of the
    /// bucket it falls into (none when it falls into none).
    RawNumber(Option<String>),
    /// A string that is not a bucket label.
    NotALabel,
    /// A string that is not a version at the field's resolution.
    NotAVersion,
    /// A string that is not a date written `YYYY-MM-DD`.
    NotADate,
    /// A date finer than its resolution, and what it truncates to.
    NotTruncated(Date),
    /// A date-time: dates are never finer than a day.
    HasTime,
    /// A date outside the span its field may send.
    OutsideSpan(DateSpan),
    /// A string longer than `max_len`: its length in characters.
    TooLong(usize),
    /// A string the pattern does not match whole.
    NoMatch,
}

/// Judges a leaf value of type `ty`.
pub fn judge(ty: &FieldType, leaf: Leaf) -> Result<(), Refusal> {
    match (ty, leaf) {
        (FieldType::Bool, Leaf::Bool(_)) => Ok(()),
        (FieldType::Enum { values }, Leaf::Str(s)) => {
            if s == ENUM_OTHER || values.iter().any(|v| v.value == s) {
                Ok(())
            } else {
                Err(Refusal::Unlisted)
            }
        }
        (FieldType::Count { buckets } | FieldType::Duration { buckets, .. }, Leaf::Str(s)) => {
            if crate::buckets::is_label(&buckets.edges, s) {
                Ok(())
            } else {
                Err(Refusal::NotALabel)
            }
        }
        (FieldType::Count { buckets } | FieldType::Duration { buckets, .. }, Leaf::Int(i)) => {
            Err(Refusal::RawNumber(label_of(&buckets.edges, i)))
        }
        (FieldType::Version { resolution, parts }, Leaf::Str(s)) => {
            let admitted = match parts {
                None => resolution.admits(s),
                Some(parts) => parts.admits(s),
            };
            if admitted {
                Ok(())
            } else {
                Err(Refusal::NotAVersion)
            }
        }
        (FieldType::Date { resolution, span }, Leaf::Str(s)) => {
            let d = parse_date(s).ok_or(Refusal::NotADate)?;
            let t = truncate(d, *resolution);
            if t != d {
                Err(Refusal::NotTruncated(t))
            } else if !span.admits(d) {
                Err(Refusal::OutsideSpan(*span))
            } else {
                Ok(())
            }
        }
        (FieldType::Date { .. }, Leaf::DateTime(_)) => Err(Refusal::HasTime),
        (
            FieldType::String {
                max_len, automaton, ..
            },
            Leaf::Str(s),
        ) => {
            let len = s.chars().count();
            if len > *max_len as usize {
                Err(Refusal::TooLong(len))
            } else if automaton.matches(s) {
                Ok(())
            } else {
                Err(Refusal::NoMatch)
            }
        }
        _ => Err(Refusal::Kind),
    }
}

/// A date as sent: `YYYY-MM-DD`, exactly.
pub fn parse_date(s: &str) -> Option<Date> {
    // Years 0001 to 9999: what the runtimes can build and the schemas admit.
    Date::parse(s).filter(|d| s.len() == 10 && d.year >= 1 && d.to_string() == s)
}

/// `d` truncated to `resolution`: weeks are sent as their Monday, months
/// as their first day.
pub fn truncate(d: Date, resolution: DateResolution) -> Date {
    match resolution {
        DateResolution::Day => d,
        DateResolution::Week => d.add_days(1 - i64::from(d.weekday())),
        DateResolution::Month => Date { day: 1, ..d },
    }
}

/// The labels of a set's count of unlisted items.
pub fn set_unknown_labels() -> Vec<String> {
    crate::buckets::labels(crate::buckets::SET_UNKNOWN_EDGES)
}

/// The label of the bucket `value` falls into, if any (below a first edge
/// above 0 is the implicit bucket from 0).
pub fn label_of(edges: &[u64], value: i64) -> Option<String> {
    let v = u64::try_from(value).ok()?;
    let labels = crate::buckets::labels(edges);
    let offset = usize::from(edges.first().is_some_and(|&e| e > 0));
    let idx = edges
        .iter()
        .rposition(|&e| e <= v)
        .map_or(0, |i| i + offset);
    labels.get(idx).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Buckets;

    #[test]
    fn dates_are_judged_at_their_resolution() {
        let ty = |resolution| FieldType::Date {
            resolution,
            span: DateSpan::default(),
        };
        let d = |s| judge(&ty(DateResolution::Week), Leaf::Str(s));
        assert_eq!(d("2026-11-23"), Ok(())); // a Monday
        assert_eq!(
            d("2026-11-25"),
            Err(Refusal::NotTruncated(Date::parse("2026-11-23").unwrap()))
        );
        assert_eq!(d("2026-11-5"), Err(Refusal::NotADate));
        assert_eq!(
            judge(&ty(DateResolution::Month), Leaf::Str("2026-11-01")),
            Ok(())
        );
        assert_eq!(
            judge(
                &ty(DateResolution::Day),
                Leaf::DateTime("2026-11-01T10:00:00")
            ),
            Err(Refusal::HasTime)
        );
    }

    #[test]
    fn dates_are_refused_outside_their_span() {
        let date = |s| Date::parse(s).unwrap();
        let span = DateSpan {
            earliest: Some(date("2020-01-01")),
            latest: None,
            expires: Some(date("2028-12-31")),
        };
        let ty = FieldType::Date {
            resolution: DateResolution::Day,
            span,
        };
        assert_eq!(judge(&ty, Leaf::Str("2020-01-01")), Ok(()));
        assert_eq!(judge(&ty, Leaf::Str("2028-12-31")), Ok(()));
        assert_eq!(
            judge(&ty, Leaf::Str("2019-12-31")),
            Err(Refusal::OutsideSpan(span))
        );
        assert_eq!(
            judge(&ty, Leaf::Str("2029-01-01")),
            Err(Refusal::OutsideSpan(span))
        );
        // Undeclared: from the Unix epoch, a century on when nothing ends it.
        let open = DateSpan::default();
        assert_eq!(open.first(), date("1970-01-01"));
        assert_eq!(open.last(), date("2070-01-01"));
        assert!(!open.admits(date("1969-12-31")));
    }

    #[test]
    fn counts_are_labels_and_a_raw_number_names_its_bucket() {
        let ty = FieldType::Count {
            buckets: Buckets {
                edges: vec![0, 1, 2, 5, 10],
                preset: None,
                span: 0..0,
                bound: None,
            },
        };
        assert_eq!(judge(&ty, Leaf::Str("2-4")), Ok(()));
        assert_eq!(judge(&ty, Leaf::Str("3")), Err(Refusal::NotALabel));
        assert_eq!(
            judge(&ty, Leaf::Int(3)),
            Err(Refusal::RawNumber(Some("2-4".into())))
        );
        assert_eq!(judge(&ty, Leaf::Bool(true)), Err(Refusal::Kind));
    }

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
