//! The definition fingerprint: a stable hash of what a reviewer approves.
//!
//! The fingerprint covers the metric's schema version, its events, every
//! field (name, type, bucket edges as resolved, values, keys, resolution,
//! pattern and length bound), any extra re-identification budget it asks
//! for and the reason given, its expiry, every checklist answer and each
//! field's summary and reason (white space folded): everything a reviewer
//! decides on, so that no word of it
//! changes after approval without voiding the approval. It ignores
//! formatting, comments, key order, the order of fields, enum values, set
//! items, map keys and events, and the rest of the file (owners, status,
//! the example, which the rules hold to the definition, and the approval
//! itself). A preset and the explicit edges it stands for are the same
//! definition.
//!
//! The canonical form is line-oriented text, so two definitions can be
//! diffed for people; the fingerprint is the git blob hash (SHA-1, as
//! computed by libgit2) of that text. Releases before signed approvals
//! fingerprinted only the first part (the payload and the answers on
//! personal data): [`definition_only`] recognises an approval of that kind.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{FieldType, Proposal, VersionResolution};

/// The version of the canonical form. Caches that store fingerprints (the
/// history cache) are keyed by it; a test pins the form, so a change to it
/// that forgets to raise this fails.
pub const FORMAT: u32 = 3;

/// The payload part of the canonical text: schema version, events,
/// fields, budget and the answers on personal data. Alone, it was the
/// whole fingerprint of releases before signed approvals.
pub fn definition_only(p: &Proposal) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "version {}", p.version.as_ref().map_or(1, |v| v.value));
    let mut events: Vec<&str> = p.events.iter().map(|e| e.value.as_str()).collect();
    events.sort_unstable();
    events.dedup();
    let _ = writeln!(out, "events {}", list(&events));
    let mut fields: BTreeMap<&str, String> = BTreeMap::new();
    for f in &p.fields {
        let ty =
            f.ty.as_ref()
                .map_or_else(|| "invalid".to_string(), |t| describe(&t.value));
        fields.insert(&f.name.value, ty);
    }
    for (name, ty) in fields {
        let _ = writeln!(out, "field {name}: {ty}");
    }
    if let Some(b) = &p.budget {
        let bits = |b: &Option<crate::model::Spanned<u32>>| {
            b.as_ref()
                .map_or("default".to_string(), |b| b.value.to_string())
        };
        let _ = writeln!(
            out,
            "budget field {} metric {}",
            bits(&b.field_bits),
            bits(&b.metric_bits)
        );
    }
    for key in ["pii", "sanitization"] {
        let text = p.answer(key).map(fold).unwrap_or_default();
        let _ = writeln!(out, "{key}: {text}");
    }
    out
}

/// The canonical definition text of `p`: the payload ([`definition_only`])
/// and what else a reviewer decides on (expiry, the budget's reason, every
/// checklist answer).
pub fn canonical(p: &Proposal) -> String {
    let mut out = definition_only(p);
    let expires = p
        .expires
        .as_ref()
        .map_or_else(|| "none".to_string(), |e| e.value.to_string());
    let _ = writeln!(out, "expires {expires}");
    if let Some(reason) = p.budget.as_ref().and_then(|b| b.reason.as_ref()) {
        let _ = writeln!(out, "budget_reason: {}", fold(&reason.value));
    }
    for item in crate::model::CHECKLIST {
        if matches!(item.key, "pii" | "sanitization" | "example") {
            continue;
        }
        let text = p.answer(item.key).map(fold).unwrap_or_default();
        let _ = writeln!(out, "{}: {text}", item.key);
    }
    // Each field's own words: its summary (the schemas' and the page's
    // description) and the reason it gives for its resolution.
    let mut fields: Vec<&crate::model::Field> = p.fields.iter().collect();
    fields.sort_by(|a, b| a.name.value.cmp(&b.name.value));
    for f in fields {
        for (what, text) in [("summary", &f.summary), ("reason", &f.reason)] {
            if let Some(text) = text {
                let _ = writeln!(out, "field_{what} {}: {}", f.name.value, fold(&text.value));
            }
        }
    }
    out
}

/// The fingerprint of `p`: 40 hex digits.
pub fn fingerprint(p: &Proposal) -> String {
    current(p).0
}

/// Fingerprint and canonical definition of a loaded proposal (computed
/// once per proposal: see [`Proposal::definition`]).
pub fn current(p: &Proposal) -> (String, String) {
    p.definition
        .0
        .get_or_init(|| {
            let definition = canonical(p);
            (of_text(&definition), definition)
        })
        .clone()
}

/// The fingerprint of a canonical text.
pub fn of_text(canonical: &str) -> String {
    git2::Oid::hash_object(git2::ObjectType::Blob, canonical.as_bytes())
        .map(|oid| oid.to_string())
        .unwrap_or_default()
}

/// White space folded to single spaces.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn sorted(values: &[crate::model::Spanned<String>]) -> String {
    let mut v: Vec<&str> = values.iter().map(|x| x.value.as_str()).collect();
    v.sort_unstable();
    list(&v)
}

/// Items joined with `, `, each as it is when it cannot be mistaken for
/// part of the list around it, else as a JSON string. So the text is
/// injective: `[a, b]` (two items) and `["a, b"]` (one) differ, as do
/// `[]` and `[""]`, while the usual identifiers keep the form (and the
/// fingerprints) they always had.
fn list(items: &[&str]) -> String {
    items.iter().map(|i| item(i)).collect::<Vec<_>>().join(", ")
}

fn item(s: &str) -> std::borrow::Cow<'_, str> {
    let plain = !s.is_empty()
        && s.trim() == s
        && !s
            .chars()
            .any(|c| matches!(c, ',' | '[' | ']' | '"' | '\\' | '/') || c.is_control());
    if plain {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(serde_json::to_string(s).unwrap_or_default())
    }
}

/// The items of a list written by [`list`] (for comparing definitions).
fn items(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        if rest.starts_with('"') {
            let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<String>();
            out.push(stream.next()?.ok()?);
            rest = &rest[stream.byte_offset()..];
        } else {
            let end = rest.find(", ").unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
        rest = match rest.strip_prefix(", ") {
            Some(r) => r,
            None if rest.is_empty() => rest,
            None => return None,
        };
    }
    Some(out)
}

fn edges(e: &[u64]) -> String {
    e.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
}

/// A field type in one line, e.g. `duration day [0, 1, 7, 30]`.
pub fn describe(ty: &FieldType) -> String {
    match ty {
        FieldType::Bool => "bool".into(),
        FieldType::Enum { values } => format!("enum [{}]", sorted(values)),
        FieldType::Set { values } => format!("set [{}]", sorted(values)),
        FieldType::Count { buckets } => format!("count [{}]", edges(&buckets.edges)),
        FieldType::Version { resolution, parts } => {
            let mut text = format!(
                "version {}",
                match resolution {
                    VersionResolution::Major => "major",
                    VersionResolution::Minor => "minor",
                    VersionResolution::Patch => "patch",
                }
            );
            // Absent ranges leave the description (and every approval
            // signed before `largest_parts` existed) as it was.
            if let Some(parts) = parts {
                text.push(' ');
                text.push_str(&parts.describe());
            }
            text
        }
        // An undeclared span leaves the description (and every approval
        // signed before spans existed) as it was.
        FieldType::Date { resolution, span } => {
            format!("date {}{}", resolution.name(), span.declared())
        }
        FieldType::Duration { unit, buckets } => {
            format!("duration {} [{}]", unit.name(), edges(&buckets.edges))
        }
        FieldType::Map { keys, value } => format!("map [{}] of {}", sorted(keys), describe(value)),
        FieldType::String {
            pattern, max_len, ..
        } => {
            // A pattern is written between slashes unless it holds a
            // line break or another control character (then as JSON), so
            // it cannot add a line to the definition.
            if pattern.value.chars().any(char::is_control) {
                format!("string {} max {max_len}", item(&pattern.value))
            } else {
                format!("string /{}/ max {max_len}", pattern.value)
            }
        }
    }
}

/// The short kind of a described type (`duration`, `count`, …).
fn kind(described: &str) -> &str {
    described.split(' ').next().unwrap_or(described)
}

/// One line per difference between two canonical definitions, for people:
/// "field `uptime` changed from duration day [0, 1, 7] to count [0, 1, 2]".
pub fn changes(old: &str, new: &str) -> Vec<String> {
    let parse = |text: &str| -> BTreeMap<String, String> {
        text.lines()
            .filter_map(|l| {
                if let Some(rest) = l.strip_prefix("field ") {
                    let (name, ty) = rest.split_once(": ")?;
                    Some((format!("field `{name}`"), ty.to_string()))
                } else {
                    let (key, value) = l.split_once(' ')?;
                    Some((
                        format!("`{}`", key.trim_end_matches(':')),
                        value.to_string(),
                    ))
                }
            })
            .collect()
    };
    let (a, b) = (parse(old), parse(new));
    let mut out = Vec::new();
    for (key, before) in &a {
        match b.get(key) {
            None => out.push(format!("{key} was removed (it was {before})")),
            Some(after) if after != before => {
                out.push(format!("{key} changed from {before} to {after}"))
            }
            _ => {}
        }
    }
    for (key, after) in &b {
        if !a.contains_key(key) {
            out.push(format!("{key} was added ({after})"));
        }
    }
    out
}

/// The changes from `old` to `new` that break clients or collectors of the
/// shipped schema: a field removed or retyped, bucket edges moved, a value,
/// item or key removed, a resolution or pattern changed, events dropped.
/// Adding a field, a value or an event is not breaking.
pub fn breaking(old: &str, new: &str) -> Vec<String> {
    let fields = |text: &str| -> BTreeMap<String, String> {
        text.lines()
            .filter_map(|l| l.strip_prefix("field "))
            .filter_map(|l| l.split_once(": "))
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    };
    let (a, b) = (fields(old), fields(new));
    let mut out = Vec::new();
    for (name, before) in &a {
        let Some(after) = b.get(name) else {
            out.push(format!("field `{name}` was removed"));
            continue;
        };
        if before == after {
            continue;
        }
        if kind(before) != kind(after) {
            out.push(format!(
                "field `{name}` was retyped from {} to {}",
                kind(before),
                kind(after)
            ));
        } else if !only_additions(before, after) {
            out.push(format!("field `{name}` changed from {before} to {after}"));
        }
    }
    out
}

/// Whether `after` only adds values to the list(s) of `before` (enum, set,
/// map keys) and changes nothing else.
fn only_additions(before: &str, after: &str) -> bool {
    let k = kind(before);
    if !matches!(k, "enum" | "set" | "map") {
        return false;
    }
    // `enum [a, "b, c"]` or `map [x] of …`: the list runs to the `]`
    // that is not inside a quoted item.
    let list = |s: &str| -> Option<(Vec<String>, String)> {
        let open = s.find('[')?;
        let mut quoted = false;
        let mut escaped = false;
        let close = s[open..].char_indices().find_map(|(i, c)| {
            match (quoted, escaped, c) {
                (true, true, _) => escaped = false,
                (true, false, '\\') => escaped = true,
                (_, _, '"') => quoted = !quoted,
                (false, _, ']') => return Some(open + i),
                _ => {}
            }
            None
        })?;
        Some((items(&s[open + 1..close])?, s[close + 1..].to_string()))
    };
    match (list(before), list(after)) {
        (Some((a, rest_a)), Some((b, rest_b))) => {
            rest_a == rest_b && a.iter().all(|x| b.contains(x))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_changes_for_people() {
        let old = "version 1\nevents heartbeat\nfield uptime: duration day [0, 1, 7]\nfield n: count [0, 1]\npii: No.\n";
        let new = "version 1\nevents heartbeat, install\nfield uptime: count [0, 1, 2]\npii: No.\n";
        assert_eq!(
            changes(old, new),
            [
                "`events` changed from heartbeat to heartbeat, install",
                "field `n` was removed (it was count [0, 1])",
                "field `uptime` changed from duration day [0, 1, 7] to count [0, 1, 2]",
            ]
        );
        assert_eq!(
            breaking(old, new),
            [
                "field `n` was removed",
                "field `uptime` was retyped from duration to count"
            ]
        );
    }

    /// Distinct lists never share a text: the canonical form is injective,
    /// whatever the items hold (separators, quotes, brackets, escapes,
    /// line breaks, nothing at all).
    #[test]
    fn list_texts_are_injective() {
        use proptest::prelude::*;
        let lists = || {
            let item = proptest::string::string_regex("[a ,\\[\\]\"\\\\/\\n]{0,6}").unwrap();
            proptest::collection::vec(item, 0..4)
        };
        proptest::proptest!(ProptestConfig::with_cases(4096), |(a in lists(), b in lists())| {
            let (ra, rb): (Vec<&str>, Vec<&str>) =
                (a.iter().map(String::as_str).collect(), b.iter().map(String::as_str).collect());
            let (ta, tb) = (list(&ra), list(&rb));
            prop_assert_eq!(ta == tb, a == b, "{:?} / {:?}: {} / {}", a, b, ta, tb);
            prop_assert!(!ta.contains('\n'));
            prop_assert_eq!(items(&ta), Some(a.clone()));
        });
        assert_eq!(list(&["a", "b"]), "a, b");
        assert_eq!(list(&["a, b"]), "\"a, b\"");
        assert_ne!(list(&[]), list(&[""]));
    }

    #[test]
    fn additions_are_not_breaking() {
        let old = "field b: enum [a, b]\nfield m: map [x] of count [0, 1]\n";
        let new = "field b: enum [a, b, c]\nfield m: map [x, y] of count [0, 1]\nfield z: bool\n";
        assert!(breaking(old, new).is_empty());
        let moved = "field b: enum [a, c]\nfield m: map [x] of count [0, 2]\n";
        assert_eq!(breaking(old, moved).len(), 2);
    }
}
