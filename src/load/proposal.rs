//! Parsing one proposal file into a [`Proposal`].
//!
//! The format (see README.md for a full example):
//!
//! ```toml
//! summary = "…"            # and every other checklist answer, as top-level strings
//! owners = ["…"]
//! events = ["heartbeat"]
//! expires = 2027-06-30     # or "never"
//! status = "proposed"      # proposed | approved | rejected | retired
//!
//! [fields.NAME]            # one table per payload field
//! type = "count"
//! buckets = [0, 1, 2, 5, 10]
//!
//! [example]                # one value per field, exactly as sent
//! NAME = "2-4"
//!
//! [approval]               # when approved
//! by = ["reviewer"]
//! date = 2026-11-02
//! fingerprint = "…"        # of the definition approved
//!
//! [approval.signatures]    # each reviewer's SSH signature of it
//! reviewer = """
//! -----BEGIN SSH SIGNATURE-----
//! …
//! -----END SSH SIGNATURE-----
//! """
//! ```

use std::collections::BTreeMap;
use std::ops::Range;

use toml_edit::{Document, Item, TableLike, Value};

use super::toml::{Cx, Node, item_span, quoted_list};
use crate::buckets::Preset;
use crate::date::Date;
use crate::load::toml::BUCKET_EDGES;
use crate::model::{
    Approval, Buckets, CHECKLIST, DateResolution, DateSpan, DurationUnit, ExampleValue, Expiry,
    Field, FieldType, PartRanges, Proposal, Spanned, Status, VersionResolution,
};

use crate::load::toml::{DUPLICATE_VALUE, WRONG_TYPE};
use crate::suggest;

use crate::rules::{Rule, Severity};

pub const EMPTY_FILE: Rule = Rule {
    id: "empty-file",
    family: "input",
    severity: Severity::Error,
    summary: "a proposal file is empty",
    what: "A proposal that is empty or holds only comments and white space.",
    why: "An empty file is a metric with no definition. Create proposals with \
          `privet new NAME`, which writes every checklist question as a prompt.",
    example: "# (empty file)",
};

pub const INVALID_VALUE: Rule = Rule {
    id: "invalid-value",
    family: "structure",
    severity: Severity::Error,
    summary: "a value outside the allowed set",
    what: "A value of the right TOML type that is not one of the allowed choices: an \
           unknown field `type`, `status`, `resolution`, `unit` or `preset`; an `expires` \
           that is neither a date nor `never`; a non-positive `max_len`.",
    why: "These values select behaviour; an unknown one has no meaning.",
    example: "[fields.version]\ntype = \"version\"\nresolution = \"full\"   # major, minor or patch",
};

pub const KEY_CONFLICT: Rule = Rule {
    id: "key-conflict",
    family: "structure",
    severity: Severity::Error,
    summary: "two keys that exclude each other",
    what: "A count or duration field that declares both explicit `buckets` and a `preset`.",
    why: "Only one bucketing can apply; privet does not pick one for you.",
    example: "[fields.nodes]\ntype = \"count\"\nbuckets = [0, 1, 2, 5]\npreset = \"pow2\"",
};

pub const BAD_PATTERN: Rule = Rule {
    id: "bad-pattern",
    family: "fields",
    severity: Severity::Error,
    summary: "a string field's pattern is not a valid regular expression",
    what: "A `string` field whose `pattern` does not parse as a regular expression \
           (Rust `regex` syntax; the pattern must match the whole value), or that is too \
           large to compile: over 1 MiB as a regex, or over 4096 states as the automaton \
           the generated `metrics` crate checks values with (huge counted repetitions, \
           Unicode classes repeated many times, Unicode word boundaries).",
    why: "The pattern is what bounds a string field; one that does not parse bounds \
          nothing.",
    example: "[fields.arch]\ntype = \"string\"\npattern = '[a-z0-9_'\nmax_len = 16",
};

/// Top-level keys that are not checklist answers.
const METADATA_KEYS: &[&str] = &[
    "name", "owners", "events", "expires", "status", "version", "fields", "approval", "budget",
    "import",
];

/// Keys of `[import]`.
pub const IMPORT_KEYS: &[&str] = &[
    "from",
    "source",
    "description",
    "references",
    "notes",
    "undecided",
];

const FIELD_COMMON_KEYS: &[&str] = &["type", "summary", "reason"];

/// Keys each field type accepts besides [`FIELD_COMMON_KEYS`].
fn type_keys(ty: &str) -> &'static [&'static str] {
    match ty {
        "enum" | "set" => &["values", "vocabulary"],
        "count" => &["buckets", "preset", "max", "bound"],
        "version" => &["resolution", "smallest_parts", "largest_parts"],
        "date" => &["resolution", "earliest", "latest"],
        "duration" => &["unit", "buckets", "preset", "max"],
        "map" => &["keys", "value"],
        "string" => &["pattern", "max_len"],
        _ => &[],
    }
}

/// Types a map's `value` may have: scalar and bucketed.
const MAP_VALUE_TYPES: &[&str] = &["bool", "enum", "count", "version", "date", "duration"];

/// Parses `text` as the proposal for metric `name`. Returns `None` only when
/// the file is not TOML at all or is empty; every other problem is reported
/// and the rest of the proposal is still read.
pub fn parse(name: &str, text: &str, cx: &mut Cx) -> Option<Proposal> {
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            super::syntax_error(&e, cx);
            return None;
        }
    };
    let root_table = doc.as_table();
    if root_table.is_empty() {
        cx.emit(&EMPTY_FILE, 0..0, format!("proposal `{name}` is empty"))
            .help = Some(format!(
            "start from a scaffold: `privet new {name}` writes every checklist question"
        ));
        return None;
    }
    let root = Node::new(root_table, 0..0, "the proposal");
    let mut allowed: Vec<&str> = METADATA_KEYS.to_vec();
    allowed.extend(CHECKLIST.iter().map(|c| c.key));
    root.check_keys(&allowed, cx);
    // A misspelt checklist key (`sanitisation`) is reported as `unknown-key`
    // with the right spelling; do not report the answer as missing too.
    let misspelt: Vec<&'static str> = root_table
        .iter()
        .filter(|(k, _)| !allowed.contains(k))
        .filter_map(|(k, _)| suggest::closest(k, CHECKLIST.iter().map(|c| c.key)))
        .collect();

    let mut answers = BTreeMap::new();
    let mut unreadable = misspelt;
    for item in CHECKLIST.iter().filter(|c| c.key != "example") {
        match root.string(item.key, cx) {
            Some(s) => {
                answers.insert(item.key, s);
            }
            None if root.get(item.key).is_some() => unreadable.push(item.key),
            None => {}
        }
    }

    let name_key = root.string("name", cx);
    let owners = required_list(
        &root,
        "owners",
        "list who answers for this metric, e.g. owners = [\"pulp-team\"]",
        cx,
    );
    let events = required_list(
        &root,
        "events",
        "list the events that carry this metric, e.g. events = [\"heartbeat\"]",
        cx,
    );
    let expires = parse_expires(&root, cx);
    let status = parse_status(&root, cx);
    let version = root
        .integer("version", cx)
        .and_then(|v| match u32::try_from(v.value) {
            Ok(n) if n >= 1 => Some(Spanned::new(n, v.span)),
            _ => {
                cx.emit(
                    &INVALID_VALUE,
                    v.span,
                    format!("`version` must be a whole number from 1, found {}", v.value),
                )
                .help = Some(
                    "the metric's schema version starts at 1 and is raised for breaking changes"
                        .into(),
                );
                None
            }
        });
    let approval = root
        .table("approval", cx)
        .map(|(t, span)| parse_approval(Node::new(t, span, "`[approval]`"), cx));
    let budget = root.table("budget", cx).map(|(t, span)| {
        let node = Node::new(t, span.clone(), "`[budget]`");
        node.check_keys(&["field_bits", "metric_bits", "reason"], cx);
        if node.get("field_bits").is_none() && node.get("metric_bits").is_none() {
            node.missing(
                "metric_bits",
                "say which allowance the metric needs: field_bits = N (each field) and/or metric_bits = N (all fields together)",
                cx,
            );
        }
        let mut bits = |key: &str| {
            node.integer(key, cx)
                .and_then(|b| match u32::try_from(b.value) {
                    Ok(v) => Some(Spanned::new(v, b.span)),
                    Err(_) => {
                        cx.emit(
                            &INVALID_VALUE,
                            b.span,
                            format!("`{key}` must be zero or more, found {}", b.value),
                        );
                        None
                    }
                })
        };
        let field_bits = bits("field_bits");
        let metric_bits = bits("metric_bits");
        let reason = node.string("reason", cx);
        if reason.is_none() {
            node.missing(
                "reason",
                "a metric raises its allowance only with a written justification: reason = \"…\"",
                cx,
            );
        }
        crate::model::Budget {
            span,
            field_bits,
            metric_bits,
            reason,
        }
    });
    let example = root
        .table("example", cx)
        .map(|(t, span)| Spanned::new(table_entries(t), span));
    let mut fields = parse_fields(&root, cx);
    if let Some(Spanned {
        value: Expiry::On(until),
        ..
    }) = expires
    {
        for f in &mut fields {
            if let Some(ty) = &mut f.ty {
                ty.value.set_expiry(until);
            }
        }
    }
    let import = root.table("import", cx).map(|(t, span)| {
        let node = Node::new(t, span, "`[import]`");
        node.check_keys(IMPORT_KEYS, cx);
        let mut list = |key: &str| node.string_list(key, false, cx).unwrap_or_default();
        let references = list("references");
        let notes = list("notes");
        let undecided = list("undecided");
        crate::model::Import {
            from: node.string("from", cx),
            source: node.string("source", cx),
            description: node.string("description", cx),
            references,
            notes,
            undecided,
        }
    });

    Some(Proposal {
        file: cx.file,
        name: name.to_string(),
        name_key,
        answers,
        unreadable,
        owners,
        events,
        expires,
        status,
        version,
        approval,
        budget,
        example,
        fields,
        import,
        definition: Default::default(),
    })
}

fn required_list(root: &Node, key: &str, help: &str, cx: &mut Cx) -> Vec<Spanned<String>> {
    if root.get(key).is_none() {
        root.missing(key, help, cx);
        return Vec::new();
    }
    root.string_list(key, true, cx).unwrap_or_default()
}

fn parse_expires(root: &Node, cx: &mut Cx) -> Option<Spanned<Expiry>> {
    let Some(item) = root.get("expires") else {
        root.missing(
            "expires",
            "set an expiry date (expires = 2027-12-31) or `expires = \"never\"` with a reason in `summarization`",
            cx,
        );
        return None;
    };
    let span = item_span(item).unwrap_or_default();
    let bad = |cx: &mut Cx, found: &str| {
        cx.emit(
            &INVALID_VALUE,
            span.clone(),
            format!("`expires` must be a date or \"never\", found {found}"),
        )
        .help = Some(
            "write a date without quotes (expires = 2027-12-31) or expires = \"never\"".into(),
        );
    };
    match item.as_value() {
        Some(Value::String(s)) if s.value() == "never" => Some(Spanned::new(Expiry::Never, span)),
        Some(Value::String(s)) => match Date::parse(s.value()) {
            Some(d) => Some(Spanned::new(Expiry::On(d), span)),
            None => {
                bad(cx, &format!("\"{}\"", s.value()));
                None
            }
        },
        Some(Value::Datetime(dt)) => match date_only(dt.value()) {
            Some(d) => Some(Spanned::new(Expiry::On(d), span)),
            None => {
                bad(cx, "a date-time with a time of day");
                None
            }
        },
        _ => {
            bad(cx, super::toml::kind(item));
            None
        }
    }
}

/// A date field's `earliest` and `latest` ([`DateSpan`]); the metric's
/// expiry is filled in once the whole proposal is read.
fn date_span(node: &Node, cx: &mut Cx) -> Option<DateSpan> {
    let mut ok = true;
    let mut date = |key: &str, cx: &mut Cx| {
        let item = node.get(key)?;
        let span = item_span(item).unwrap_or_default();
        let date = match item.as_value() {
            Some(Value::Datetime(dt)) => date_only(dt.value()),
            _ => None,
        };
        if date.is_none() {
            ok = false;
            cx.emit(
                &INVALID_VALUE,
                span,
                format!(
                    "`{key}` must be a date like 2015-06-01, found {}",
                    super::toml::kind(item)
                ),
            )
            .help = Some(format!(
                "write the {} date the field may send, without quotes",
                if key == "earliest" { "first" } else { "last" }
            ));
        }
        date.map(|d| (d, node.value_span(key)))
    };
    let earliest = date("earliest", cx);
    let latest = date("latest", cx);
    if let (Some((e, _)), Some((l, span))) = (earliest.clone(), latest.clone())
        && l < e
    {
        cx.emit(
            &INVALID_VALUE,
            span,
            format!("`latest` ({l}) is before `earliest` ({e})"),
        )
        .help = Some("the field sends dates from `earliest` to `latest`".into());
        ok = false;
    }
    ok.then_some(DateSpan {
        earliest: earliest.map(|(d, _)| d),
        latest: latest.map(|(d, _)| d),
        expires: None,
    })
}

/// The date of a TOML date-time that has only a date part.
/// Unix seconds of a TOML offset date-time (`2026-12-06T12:51:37Z`).
fn utc_seconds(dt: &toml_edit::Datetime) -> Option<i64> {
    let (Some(d), Some(t), Some(offset)) = (dt.date, dt.time, dt.offset) else {
        return None;
    };
    let day = Date::new(i32::from(d.year), d.month, d.day)?.to_days();
    let minutes = match offset {
        toml_edit::Offset::Z => 0,
        toml_edit::Offset::Custom { minutes } => i64::from(minutes),
    };
    Some(
        day * 86_400
            + i64::from(t.hour) * 3600
            + i64::from(t.minute) * 60
            + i64::from(t.second.unwrap_or(0))
            - minutes * 60,
    )
}

fn date_only(dt: &toml_edit::Datetime) -> Option<Date> {
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => Date::new(i32::from(d.year), d.month, d.day),
        _ => None,
    }
}

fn parse_status(root: &Node, cx: &mut Cx) -> Option<Spanned<Status>> {
    if root.get("status").is_none() {
        root.missing(
            "status",
            "new proposals start with status = \"proposed\"",
            cx,
        );
        return None;
    }
    let s = root.string("status", cx)?;
    match Status::parse(&s.value) {
        Some(status) => Some(Spanned::new(status, s.span)),
        None => {
            invalid_choice("status", &s, Status::NAMES, cx);
            None
        }
    }
}

/// Reports `invalid-value` for a string that is not one of `choices`.
fn invalid_choice(key: &str, s: &Spanned<String>, choices: &[&str], cx: &mut Cx) {
    let d = cx.emit(
        &INVALID_VALUE,
        s.span.clone(),
        format!(
            "`{key}` must be one of {}, found \"{}\"",
            quoted_list(choices),
            s.value
        ),
    );
    if let Some(best) = suggest::closest(&s.value, choices.iter().copied()) {
        d.label = Some(format!("did you mean \"{best}\"?"));
    }
}

pub(super) fn parse_approval(node: Node, cx: &mut Cx) -> Approval {
    parse_approval_with(node, &[], cx)
}

/// [`parse_approval`], allowing `extra` keys (read by the caller).
pub(super) fn parse_approval_with(node: Node, extra: &[&str], cx: &mut Cx) -> Approval {
    let mut keys = vec!["by", "date", "time", "fingerprint", "note", "signatures"];
    keys.extend_from_slice(extra);
    node.check_keys(&keys, cx);
    let by = node.string_list("by", false, cx).unwrap_or_default();
    let date = node.get("date").and_then(|item| {
        let span = item_span(item).unwrap_or_default();
        let date = match item.as_value() {
            Some(Value::Datetime(dt)) => date_only(dt.value()),
            Some(Value::String(s)) => Date::parse(s.value()),
            _ => None,
        };
        if date.is_none() {
            cx.emit(
                &INVALID_VALUE,
                span.clone(),
                "`date` in `[approval]` must be a date like 2026-11-02",
            )
            .help = Some("write the day the approval was given, without quotes".into());
        }
        date.map(|d| Spanned::new(d, span))
    });
    let mut signatures = Vec::new();
    if let Some((table, span)) = node.table("signatures", cx) {
        let what = "`[approval.signatures]`";
        let t = Node::new(table, span, what);
        for (handle, _) in table.iter() {
            if let Some(text) = t.string(handle, cx) {
                signatures.push((Spanned::new(handle.to_string(), t.key_span(handle)), text));
            }
        }
    }
    Approval {
        span: node.span.clone(),
        by,
        date,
        time: node.get("time").and_then(|item| {
            let span = item_span(item).unwrap_or_default();
            let seconds = match item.as_value() {
                Some(Value::Datetime(dt)) => utc_seconds(dt.value()),
                _ => None,
            };
            if seconds.is_none() {
                cx.emit(
                    &INVALID_VALUE,
                    span.clone(),
                    "`time` in an approval must be a date-time with its offset, like 2026-12-06T12:51:37Z",
                )
                .help = Some("`privet approve` writes it; the reviewers sign it".into());
            }
            seconds.map(|s| Spanned::new(s, span))
        }),
        fingerprint: node.string("fingerprint", cx),
        note: node.string("note", cx),
        signatures,
        checked: Default::default(),
    }
}

fn parse_fields(root: &Node, cx: &mut Cx) -> Vec<Field> {
    let Some((table, _)) = root.table("fields", cx) else {
        return Vec::new();
    };
    let mut fields = Vec::new();
    for (name, item) in table.iter() {
        let name_span = table
            .get_key_value(name)
            .and_then(|(k, _)| k.span())
            .unwrap_or_default();
        let Some(field_table) = item.as_table_like() else {
            cx.emit(
                &WRONG_TYPE,
                item_span(item).unwrap_or(name_span.clone()),
                format!(
                    "field `{name}` must be a table, found {}",
                    super::toml::kind(item)
                ),
            )
            .help = Some(format!(
                "declare it as a table: [fields.{name}] with a `type` key"
            ));
            // Keep the name, so the example's value for it is not reported again.
            fields.push(Field {
                name: Spanned::new(name.to_string(), name_span.clone()),
                span: name_span,
                summary: None,
                reason: None,
                ty: None,
            });
            continue;
        };
        let span = item_span(item).unwrap_or(name_span.clone());
        let what = format!("field `{name}`");
        let node = Node::new(field_table, span.clone(), &what);
        let ty = parse_type(&node, FIELD_COMMON_KEYS, None, cx);
        fields.push(Field {
            name: Spanned::new(name.to_string(), name_span),
            span,
            summary: node.string("summary", cx),
            reason: node.string("reason", cx),
            ty,
        });
    }
    fields
}

/// Reads a field's `type` and the keys that type needs. `only` restricts the
/// allowed types (for a map's `value`).
fn parse_type(
    node: &Node,
    common: &[&str],
    only: Option<&[&str]>,
    cx: &mut Cx,
) -> Option<Spanned<FieldType>> {
    let all_keys = || {
        let mut keys: Vec<&str> = common.to_vec();
        for t in FieldType::NAMES {
            for k in type_keys(t) {
                if !keys.contains(k) {
                    keys.push(k);
                }
            }
        }
        keys
    };
    let allowed_types = only.unwrap_or(FieldType::NAMES);
    let Some(ty) = node.string("type", cx) else {
        if node.get("type").is_none() {
            node.missing(
                "type",
                &format!(
                    "give the field a type: one of {}",
                    quoted_list(allowed_types)
                ),
                cx,
            );
        }
        node.check_keys(&all_keys(), cx);
        return None;
    };
    if !allowed_types.contains(&ty.value.as_str()) {
        let known = FieldType::NAMES.contains(&ty.value.as_str());
        let d = cx.emit(
            &INVALID_VALUE,
            ty.span.clone(),
            if known {
                format!("a map value cannot be of type \"{}\"", ty.value)
            } else {
                format!("unknown field type \"{}\"", ty.value)
            },
        );
        d.help = Some(format!("use one of {}", quoted_list(allowed_types)));
        if let Some(best) = suggest::closest(&ty.value, allowed_types.iter().copied()) {
            d.label = Some(format!("did you mean \"{best}\"?"));
        }
        node.check_keys(&all_keys(), cx);
        return None;
    }
    let mut allowed = common.to_vec();
    allowed.extend_from_slice(type_keys(&ty.value));
    node.check_keys(&allowed, cx);

    let what = node.what;
    let parsed = match ty.value.as_str() {
        "bool" => Some(FieldType::Bool),
        "enum" => closed_list(node, "values", cx).map(|values| {
            for v in &values {
                if v.value == crate::domain::ENUM_OTHER {
                    cx.emit(
                        &DUPLICATE_VALUE,
                        v.span.clone(),
                        format!("{what} lists `other`, which every enum already has"),
                    )
                    .help = Some(
                        "remove it: unknown inputs are reported as `other` automatically".into(),
                    );
                }
            }
            FieldType::Enum {
                values: values
                    .into_iter()
                    .filter(|v| v.value != crate::domain::ENUM_OTHER)
                    .collect(),
            }
        }),
        "set" => closed_list(node, "values", cx).map(|values| FieldType::Set { values }),
        "count" => parse_buckets(node, cx).map(|buckets| FieldType::Count { buckets }),
        "version" => {
            let resolution = choice(node, "resolution", VersionResolution::NAMES, cx).map(|i| {
                [
                    VersionResolution::Major,
                    VersionResolution::Minor,
                    VersionResolution::Patch,
                ][i]
            });
            let parts = part_ranges(node, resolution, cx);
            match (resolution, parts) {
                (Some(resolution), Some(parts)) => Some(FieldType::Version { resolution, parts }),
                _ => None,
            }
        }
        "date" => {
            let resolution = choice(node, "resolution", DateResolution::NAMES, cx);
            let span = date_span(node, cx);
            match (resolution, span) {
                (Some(i), Some(span)) => Some(FieldType::Date {
                    resolution: [
                        DateResolution::Day,
                        DateResolution::Week,
                        DateResolution::Month,
                    ][i],
                    span,
                }),
                _ => None,
            }
        }
        "duration" => {
            let unit = choice(node, "unit", DurationUnit::NAMES, cx);
            let buckets = parse_buckets(node, cx);
            match (unit, buckets) {
                (Some(u), Some(buckets)) => Some(FieldType::Duration {
                    unit: DurationUnit::ALL[u],
                    buckets,
                }),
                _ => None,
            }
        }
        "map" => {
            let keys = closed_list(node, "keys", cx);
            let value = match node.get("value") {
                None => {
                    node.missing(
                        "value",
                        "declare the type of the map's values, e.g. value = { type = \"count\", preset = \"pow2\", max = 1024 }",
                        cx,
                    );
                    None
                }
                Some(_) => node.table("value", cx).and_then(|(t, span)| {
                    let what = format!("the `value` of {what}");
                    let inner = Node::new(t, span, &what);
                    parse_type(&inner, &["type"], Some(MAP_VALUE_TYPES), cx)
                }),
            };
            match (keys, value) {
                (Some(keys), Some(value)) => Some(FieldType::Map {
                    keys,
                    value: Box::new(value.value),
                }),
                _ => None,
            }
        }
        "string" => parse_string(node, cx),
        _ => unreachable!("type names are checked above"),
    };
    parsed.map(|t| Spanned::new(t, ty.span))
}

/// A required non-empty list of distinct strings.
fn closed_list(node: &Node, key: &str, cx: &mut Cx) -> Option<Vec<Spanned<String>>> {
    // A built-in vocabulary instead of a list written out: its values, each
    // pointing at the vocabulary's name.
    if key == "values" && node.get("vocabulary").is_some() {
        if node.get(key).is_some() {
            cx.emit(
                &KEY_CONFLICT,
                node.key_span("vocabulary"),
                format!("{} declares both `{key}` and `vocabulary`", node.what),
            )
            .help = Some(format!(
                "keep one: the `{key}` written out, or a built-in `vocabulary`"
            ));
            return None;
        }
        let name = node.string("vocabulary", cx)?;
        let names: Vec<&str> = crate::vocabulary::ALL.iter().map(|v| v.name).collect();
        let Some(vocabulary) = crate::vocabulary::find(&name.value) else {
            invalid_choice("vocabulary", &name, &names, cx);
            return None;
        };
        return Some(
            vocabulary
                .values
                .iter()
                .map(|v| Spanned {
                    value: v.to_string(),
                    span: name.span.clone(),
                })
                .collect(),
        );
    }
    if node.get(key).is_none() {
        node.missing(
            key,
            &format!(
                "list the allowed values, e.g. {key} = [\"a\", \"b\"], or name a built-in vocabulary ({})",
                crate::vocabulary::ALL
                    .iter()
                    .map(|v| format!("vocabulary = \"{}\"", v.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            cx,
        );
        return None;
    }
    let list = node.string_list(key, true, cx)?;
    (!list.is_empty()).then_some(list)
}

/// A required string from `choices`; returns its index.
fn choice(node: &Node, key: &str, choices: &[&str], cx: &mut Cx) -> Option<usize> {
    if node.get(key).is_none() {
        node.missing(
            key,
            &format!("set `{key}` to one of {}", quoted_list(choices)),
            cx,
        );
        return None;
    }
    let s = node.string(key, cx)?;
    let found = choices.iter().position(|c| *c == s.value);
    if found.is_none() {
        invalid_choice(key, &s, choices, cx);
    }
    found
}

/// A count's `bound`, when it has one: at least 1, and not below the last
/// edge (the overflow bucket starts at or before it). `Some(None)` without
/// one; `None` when it is invalid (reported).
/// A version's `smallest_parts` and `largest_parts`: one number per kept
/// part each, from 0 to [`crate::model::VERSION_PART_MAX`], the smallest
/// at most the largest. `Some(None)` when neither is given, `None` when
/// one is wrong (reported).
fn part_ranges(
    node: &Node,
    resolution: Option<VersionResolution>,
    cx: &mut Cx,
) -> Option<Option<PartRanges>> {
    let smallest = part_list(node, "smallest_parts", resolution, cx)?;
    let largest = part_list(node, "largest_parts", resolution, cx)?;
    let Some(resolution) = resolution else {
        return Some(None);
    };
    if smallest.is_none() && largest.is_none() {
        return Some(None);
    }
    let n = resolution.parts();
    let smallest = smallest.unwrap_or_else(|| vec![0; n]);
    let largest = largest.unwrap_or_else(|| vec![crate::model::VERSION_PART_MAX; n]);
    let mut ok = true;
    for (i, (lo, hi)) in smallest.iter().zip(&largest).enumerate() {
        if lo > hi {
            cx.emit(
                &INVALID_VALUE,
                node.value_span("smallest_parts"),
                format!("part {} may not be from {lo} to {hi}: its smallest is above its largest", i + 1),
            )
            .help = Some("write each part's smallest value in `smallest_parts` and its largest in `largest_parts`".into());
            ok = false;
        }
    }
    ok.then(|| Some(PartRanges(smallest.into_iter().zip(largest).collect())))
}

/// One of a version's part lists: `Some(None)` when absent.
fn part_list(
    node: &Node,
    key: &str,
    resolution: Option<VersionResolution>,
    cx: &mut Cx,
) -> Option<Option<Vec<u32>>> {
    if node.get(key).is_none() {
        return Some(None);
    }
    let array = node.array(key, "an array of integers", cx)?;
    let max = crate::model::VERSION_PART_MAX;
    let mut out = Vec::new();
    let mut ok = true;
    for v in array.iter() {
        let span = v.span().unwrap_or_default();
        match v.as_integer() {
            Some(i) if (0..=i64::from(max)).contains(&i) => out.push(i as u32),
            _ => {
                cx.emit(
                    &INVALID_VALUE,
                    span,
                    format!("each number in `{key}` must be a whole number from 0 to {max}"),
                )
                .help = Some(format!(
                    "a version part holds at most {} digits; e.g. largest_parts = [9, 99], or for calendar versions smallest_parts = [2020, 1] and largest_parts = [2099, 12]",
                    crate::model::VERSION_COMPONENT_DIGITS
                ));
                ok = false;
            }
        }
    }
    if let Some(resolution) = resolution
        && ok
        && out.len() != resolution.parts()
    {
        cx.emit(
            &INVALID_VALUE,
            node.value_span(key),
            format!(
                "`{key}` has {} number(s), but a {} version keeps {} part(s)",
                out.len(),
                resolution.shape(),
                resolution.parts()
            ),
        )
        .help = Some(format!(
            "give one number per part kept, e.g. largest_parts = {}",
            resolution.example_largest_parts()
        ));
        ok = false;
    }
    ok.then_some(Some(out))
}

fn scale_bound(node: &Node, edges: &[u64], cx: &mut Cx) -> Option<Option<u64>> {
    if node.get("bound").is_none() {
        return Some(None);
    }
    let bound = node.integer("bound", cx)?;
    let last = edges.last().copied().unwrap_or(0);
    if bound.value < 1 || (bound.value as u64) < last {
        cx.emit(
            &BUCKET_EDGES,
            bound.span,
            format!(
                "`bound` must be at least 1 and at least the last edge ({last}), found {}",
                bound.value
            ),
        )
        .help = Some(
            "set `bound` to the largest value the quantity can take, e.g. bound = 100 for a percentage"
                .into(),
        );
        return None;
    }
    Some(Some(bound.value as u64))
}

fn parse_buckets(node: &Node, cx: &mut Cx) -> Option<Buckets> {
    let has_buckets = node.get("buckets").is_some();
    let has_preset = node.get("preset").is_some();
    let has_max = node.get("max").is_some();
    match (has_buckets, has_preset) {
        (true, true) => {
            cx.emit(
                &KEY_CONFLICT,
                node.key_span("preset"),
                format!("{} declares both `buckets` and `preset`", node.what),
            )
            .help = Some("keep one: explicit `buckets`, or a `preset` with its `max`".into());
            None
        }
        (false, false) => {
            node.missing(
                "buckets",
                "bucket the value: buckets = [0, 1, 2, 5, 10] (lower bounds), or preset = \"pow2\" with max = 1024",
                cx,
            );
            None
        }
        (true, false) => {
            if has_max {
                cx.emit(
                    &KEY_CONFLICT,
                    node.key_span("max"),
                    "`max` only applies to a `preset`",
                )
                .help = Some(
                    "the last edge of `buckets` is already the overflow bucket; remove `max`"
                        .into(),
                );
            }
            let edges = node.edges("buckets", cx)?;
            let bound = scale_bound(node, &edges, cx)?;
            Some(Buckets {
                edges,
                preset: None,
                span: node.value_span("buckets"),
                bound,
            })
        }
        (false, true) => {
            let name = node.string("preset", cx)?;
            let Some(preset) = Preset::parse(&name.value) else {
                invalid_choice("preset", &name, Preset::NAMES, cx);
                return None;
            };
            if !has_max {
                cx.emit(
                    &BUCKET_EDGES,
                    node.key_span("preset"),
                    format!("preset \"{}\" has no `max`", name.value),
                )
                .help = Some(
                    "add `max`: the edge where the overflow bucket starts, e.g. max = 1024".into(),
                );
                return None;
            }
            let max = node.integer("max", cx)?;
            if max.value < 1 {
                cx.emit(
                    &BUCKET_EDGES,
                    max.span,
                    format!("`max` must be at least 1, found {}", max.value),
                )
                .help = Some("set `max` to where the overflow bucket starts".into());
                return None;
            }
            let max = max.value as u64;
            let edges = preset.edges(max);
            let bound = scale_bound(node, &edges, cx)?;
            Some(Buckets {
                edges,
                preset: Some((preset, max)),
                span: name.span,
                bound,
            })
        }
    }
}

fn parse_string(node: &Node, cx: &mut Cx) -> Option<FieldType> {
    if node.get("pattern").is_none() {
        node.missing(
            "pattern",
            "bound the string with a regular expression, e.g. pattern = '[a-z0-9_]{1,32}'",
            cx,
        );
    }
    if node.get("max_len").is_none() {
        node.missing(
            "max_len",
            "bound the string's length, e.g. max_len = 32",
            cx,
        );
    }
    let pattern = node.string("pattern", cx);
    let max_len = node.integer("max_len", cx);
    let pattern = pattern.and_then(|p| pattern_automaton(&p, cx).map(|table| (p, table)));
    let max_len = max_len.and_then(|m| {
        if (1..=u32::MAX as i64).contains(&m.value) {
            Some(m.value as u32)
        } else if m.value > u32::MAX as i64 {
            // Judged as the longest length privet represents: the field is
            // still checked (and far over its information bound).
            cx.emit(
                &INVALID_VALUE,
                m.span,
                format!(
                    "`max_len` is {}, beyond the longest length privet accepts ({})",
                    m.value,
                    u32::MAX
                ),
            )
            .help = Some(
                "set the longest length a value may have, in characters: a few dozen for a label"
                    .into(),
            );
            Some(u32::MAX)
        } else {
            cx.emit(
                &INVALID_VALUE,
                m.span,
                format!("`max_len` must be at least 1, found {}", m.value),
            )
            .help = Some("set the longest length a value may have, in characters".into());
            None
        }
    });
    let (pattern, automaton) = pattern?;
    Some(FieldType::String {
        pattern,
        max_len: max_len?,
        automaton: std::sync::Arc::new(automaton),
    })
}

/// The largest compiled program a pattern may produce (hostile patterns such
/// as `(a{100}){100}{100}` are rejected instead of eating memory).
pub const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// Checks that a pattern parses and compiles within limits, reporting
/// `bad-pattern`; returns its automaton (compiled once, used by every stage).
fn pattern_automaton(p: &Spanned<String>, cx: &mut Cx) -> Option<crate::automaton::Table> {
    // For a literal string ('…') the pattern's offsets map 1:1 into the source.
    let raw = cx.source.get(p.span.clone()).unwrap_or("");
    let literal = raw.starts_with('\'') && !raw.starts_with("'''");
    let at = |offset: usize| -> Range<usize> {
        if literal {
            let start = p.span.start + 1 + offset;
            start..start + 1
        } else {
            p.span.clone()
        }
    };
    if let Err(e) = regex_syntax::Parser::new().parse(&p.value) {
        let (offset, message) = match &e {
            regex_syntax::Error::Parse(e) => (e.span().start.offset, e.kind().to_string()),
            regex_syntax::Error::Translate(e) => (e.span().start.offset, e.kind().to_string()),
            _ => (0, e.to_string()),
        };
        cx.emit(
            &BAD_PATTERN,
            at(offset),
            format!("pattern does not parse: {message}"),
        )
        .help = Some(
            "fix the regular expression (Rust `regex` syntax; it must match the whole value)"
                .into(),
        );
        return None;
    }
    if let Err(e) = regex::RegexBuilder::new(&p.value)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
    {
        let message = match e {
            regex::Error::CompiledTooBig(limit) => {
                format!("pattern compiles to more than {limit} bytes")
            }
            other => other.to_string(),
        };
        cx.emit(
            &BAD_PATTERN,
            p.span.clone(),
            format!("pattern is too large: {message}"),
        )
        .help = Some("simplify the pattern: large counted repetitions multiply its size".into());
        return None;
    }
    match crate::automaton::compile(&p.value) {
        Ok(table) => Some(table),
        Err(e) => {
            cx.emit(&BAD_PATTERN, p.span.clone(), format!("pattern {e}")).help = Some(
                "simplify the pattern: the generated code checks values with an automaton of at most 4096 states, without look-around"
                    .into(),
            );
            None
        }
    }
}

/// Converts a table's entries into example values, keeping spans.
fn table_entries(t: &dyn TableLike) -> Vec<(Spanned<String>, Spanned<ExampleValue>)> {
    t.iter()
        .map(|(k, item)| {
            let key_span = t
                .get_key_value(k)
                .and_then(|(k, _)| k.span())
                .unwrap_or_default();
            (
                Spanned::new(k.to_string(), key_span.clone()),
                example_item(item, key_span),
            )
        })
        .collect()
}

fn example_item(item: &Item, fallback: Range<usize>) -> Spanned<ExampleValue> {
    let span = item_span(item).unwrap_or(fallback.clone());
    let value = match item {
        Item::Value(v) => return example_value(v, fallback),
        Item::Table(t) => ExampleValue::Table(table_entries(t)),
        Item::ArrayOfTables(a) => ExampleValue::Array(
            a.iter()
                .map(|t| {
                    Spanned::new(
                        ExampleValue::Table(table_entries(t)),
                        t.span().unwrap_or(fallback.clone()),
                    )
                })
                .collect(),
        ),
        Item::None => ExampleValue::Table(Vec::new()),
    };
    Spanned::new(value, span)
}

fn example_value(v: &Value, fallback: Range<usize>) -> Spanned<ExampleValue> {
    let span = v.span().unwrap_or(fallback.clone());
    let value = match v {
        Value::String(s) => ExampleValue::String(s.value().clone()),
        Value::Integer(i) => ExampleValue::Integer(*i.value()),
        Value::Float(f) => ExampleValue::Float(*f.value()),
        Value::Boolean(b) => ExampleValue::Bool(*b.value()),
        Value::Datetime(dt) => match date_only(dt.value()) {
            Some(d) => ExampleValue::Date(d.to_string()),
            None => ExampleValue::DateTime(dt.value().to_string()),
        },
        Value::Array(a) => {
            ExampleValue::Array(a.iter().map(|v| example_value(v, span.clone())).collect())
        }
        Value::InlineTable(t) => ExampleValue::Table(table_entries(t)),
    };
    Spanned::new(value, span)
}
