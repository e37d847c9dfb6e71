//! Reading a parsed TOML tree with spans, reporting every shape problem.
//!
//! Each accessor reports `wrong-type` when a key holds the wrong kind of value
//! and returns `None`, so the caller simply skips what cannot be understood and
//! keeps going: one run reports every problem in the file.

use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

use crate::diagnostic::{Diagnostic, FileId};
use crate::model::Spanned;

use crate::suggest;

use crate::rules::{Rule, Severity};

pub const UNKNOWN_KEY: Rule = Rule {
    id: "unknown-key",
    family: "structure",
    severity: Severity::Error,
    summary: "a key that privet does not know",
    what: "A key that is not part of the proposal format (or of `privet.toml`) at that \
           place. The finding suggests the closest known key.",
    why: "A misspelt key is an answer the reviewer never sees: `sanitisation` instead of \
          `sanitization` would otherwise silently leave the checklist question unanswered \
          and the typo unnoticed.",
    example: "sanitisation = \"Only the minor version is kept.\"",
};

pub const WRONG_TYPE: Rule = Rule {
    id: "wrong-type",
    family: "structure",
    severity: Severity::Error,
    summary: "a value of the wrong TOML type",
    what: "A value whose TOML type is not the one the format expects: a string where a \
           list is expected, a float as a bucket edge, a table where a string is expected.",
    why: "The definition would be ambiguous. privet never guesses what was meant.",
    example: "owners = \"pulp-team\"   # expected a list: [\"pulp-team\"]",
};

pub const MISSING_KEY: Rule = Rule {
    id: "missing-key",
    family: "structure",
    severity: Severity::Error,
    summary: "a required key is missing",
    what: "A required metadata key (`owners`, `events`, `expires`, `status`) or a key a \
           field type requires (`type`, `values`, `buckets` or `preset`, `resolution`, \
           `unit`, `keys`, `value`, `pattern`, `max_len`).",
    why: "Without it the metric cannot be reviewed, generated or collected.",
    example: "[fields.workers]\ntype = \"count\"   # no buckets and no preset",
};

pub const EMPTY_LIST: Rule = Rule {
    id: "empty-list",
    family: "structure",
    severity: Severity::Error,
    summary: "a list that must not be empty is empty",
    what: "An empty `owners` or `events` list, an enum or set with no `values`, a map \
           with no `keys`, a count with no bucket edges.",
    why: "An enum with no values can only ever report `other`; a metric with no owner has \
          nobody to answer for it; a metric in no event is never sent.",
    example: "[fields.backend]\ntype = \"enum\"\nvalues = []",
};

pub const DUPLICATE_VALUE: Rule = Rule {
    id: "duplicate-value",
    family: "structure",
    severity: Severity::Error,
    summary: "a closed list repeats a value or declares the reserved `other`",
    what: "A value listed twice in `values`, `keys`, `owners` or `events`, or an enum that \
           lists `other` itself.",
    why: "Repeats are always mistakes and would make generated code ambiguous. `other` is \
          added to every enum by privet: it is where unknown inputs go.",
    example: "[fields.backend]\ntype = \"enum\"\nvalues = [\"rdbms\", \"ldap\", \"rdbms\"]",
};

pub const BUCKET_EDGES: Rule = Rule {
    id: "bucket-edges",
    family: "fields",
    severity: Severity::Error,
    summary: "bucket edges are negative or not strictly increasing",
    what: "A count or duration `buckets` list whose edges are negative or not strictly \
           increasing, or a `preset` whose `max` is missing, zero or negative.",
    why: "Each edge is the lower bound of a bucket: values from one edge up to the next \
          edge minus one report as that bucket, values at or above the last edge report \
          as the overflow bucket `N+`, values below the first edge as `0` to first edge \
          minus one. Unordered edges would make buckets overlap or be empty, so a value \
          could not be reported unambiguously.",
    example: "[fields.nodes]\ntype = \"count\"\nbuckets = [0, 5, 2, 10]",
};

/// Where findings go while one file is read.
pub struct Cx<'a> {
    pub file: FileId,
    /// The file's text (for spans that need a look at the raw source).
    pub source: &'a str,
    pub metric: Option<String>,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    pub fn emit(
        &mut self,
        rule: &'static Rule,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let mut d = Diagnostic::new(rule, self.file, span, message);
        d.metric = self.metric.clone();
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }
}

/// A table (standard or inline) and how to name it in messages.
#[derive(Clone)]
pub struct Node<'a> {
    pub table: &'a dyn TableLike,
    /// Span of the header (`[fields.x]`), of the inline table, or `0..0` for the root.
    pub span: Range<usize>,
    /// E.g. "the proposal", "field `uptime`", "`[approval]`".
    pub what: &'a str,
}

/// The span of an item's value, if it has one.
pub fn item_span(item: &Item) -> Option<Range<usize>> {
    match item {
        Item::Value(v) => v.span(),
        Item::Table(t) => t.span(),
        Item::ArrayOfTables(a) => a.span(),
        Item::None => None,
    }
}

/// "a string", "an array", … for messages.
pub fn kind(item: &Item) -> &'static str {
    match item {
        Item::Value(Value::String(_)) => "a string",
        Item::Value(Value::Integer(_)) => "an integer",
        Item::Value(Value::Float(_)) => "a float",
        Item::Value(Value::Boolean(_)) => "a boolean",
        Item::Value(Value::Datetime(_)) => "a date-time",
        Item::Value(Value::Array(_)) => "an array",
        Item::Value(Value::InlineTable(_)) | Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
        Item::None => "nothing",
    }
}

fn value_kind(v: &Value) -> &'static str {
    kind(&Item::Value(v.clone()))
}

impl<'a> Node<'a> {
    pub fn new(table: &'a dyn TableLike, span: Range<usize>, what: &'a str) -> Self {
        Node { table, span, what }
    }

    /// Span to point at for `key`: the key itself when present, else the table.
    pub fn key_span(&self, key: &str) -> Range<usize> {
        self.table
            .get_key_value(key)
            .and_then(|(k, _)| k.span())
            .unwrap_or_else(|| self.span.clone())
    }

    /// Span of `key`'s value, falling back to the key, then the table.
    pub fn value_span(&self, key: &str) -> Range<usize> {
        self.table
            .get(key)
            .and_then(item_span)
            .unwrap_or_else(|| self.key_span(key))
    }

    pub fn get(&self, key: &str) -> Option<&'a Item> {
        self.table.get(key).filter(|i| !i.is_none())
    }

    /// Reports every key not in `allowed`, suggesting the closest allowed one.
    pub fn check_keys(&self, allowed: &[&str], cx: &mut Cx) {
        for (key, _) in self.table.iter() {
            if allowed.contains(&key) {
                continue;
            }
            let span = self.key_span(key);
            let d = cx.emit(
                &UNKNOWN_KEY,
                span,
                format!("unknown key `{key}` in {}", self.what),
            );
            match suggest::closest(key, allowed.iter().copied()) {
                Some(best) => {
                    d.label = Some(format!("did you mean `{best}`?"));
                    d.help = Some(format!("rename it to `{best}`"));
                }
                None => {
                    d.label = Some("not part of the format".into());
                    d.help = Some(format!("known keys here: {}", quoted_list(allowed)));
                }
            }
        }
    }

    fn wrong_type(&self, key: &str, item: &Item, expected: &str, cx: &mut Cx) {
        let span = item_span(item).unwrap_or_else(|| self.key_span(key));
        let help = match (expected, item.as_str()) {
            ("an array of strings", Some(s)) => format!("make it a list: {key} = [{s:?}]"),
            _ => format!("change the value of `{key}` to {expected}"),
        };
        let d = cx.emit(
            &WRONG_TYPE,
            span,
            format!(
                "`{key}` in {} must be {expected}, found {}",
                self.what,
                kind(item)
            ),
        );
        d.label = Some(format!("expected {expected}"));
        d.help = Some(help);
    }

    /// Reports `missing-key` for `key`.
    pub fn missing(&self, key: &str, help: &str, cx: &mut Cx) {
        let d = cx.emit(
            &MISSING_KEY,
            self.span.clone(),
            format!("{} has no `{key}`", self.what),
        );
        d.help = Some(help.to_string());
    }

    pub fn string(&self, key: &str, cx: &mut Cx) -> Option<Spanned<String>> {
        let item = self.get(key)?;
        match item.as_str() {
            Some(s) => Some(Spanned::new(
                s.to_string(),
                item_span(item).unwrap_or_default(),
            )),
            None => {
                self.wrong_type(key, item, "a string", cx);
                None
            }
        }
    }

    pub fn integer(&self, key: &str, cx: &mut Cx) -> Option<Spanned<i64>> {
        let item = self.get(key)?;
        match item.as_integer() {
            Some(i) => Some(Spanned::new(i, item_span(item).unwrap_or_default())),
            None => {
                self.wrong_type(key, item, "an integer", cx);
                None
            }
        }
    }

    pub fn array(&self, key: &str, expected: &str, cx: &mut Cx) -> Option<&'a toml_edit::Array> {
        let item = self.get(key)?;
        match item.as_array() {
            Some(a) => Some(a),
            None => {
                self.wrong_type(key, item, expected, cx);
                None
            }
        }
    }

    /// A list of strings. Wrong elements are reported and skipped; repeats are
    /// reported as `duplicate-value`; an empty list as `empty-list` when
    /// `non_empty`.
    pub fn string_list(
        &self,
        key: &str,
        non_empty: bool,
        cx: &mut Cx,
    ) -> Option<Vec<Spanned<String>>> {
        let array = self.array(key, "an array of strings", cx)?;
        let mut out: Vec<Spanned<String>> = Vec::new();
        // Seen entries, for a linear duplicate check (lists may be long).
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for v in array.iter() {
            let span = v.span().unwrap_or_default();
            match v.as_str() {
                Some(s) => {
                    if !seen.insert(s) {
                        cx.emit(
                            &DUPLICATE_VALUE,
                            span.clone(),
                            format!("`{s}` is listed twice in `{key}`"),
                        )
                        .help = Some("remove the repeated entry".into());
                    } else {
                        out.push(Spanned::new(s.to_string(), span));
                    }
                }
                None => {
                    cx.emit(
                        &WRONG_TYPE,
                        span,
                        format!(
                            "`{key}` in {} must hold only strings, found {}",
                            self.what,
                            value_kind(v)
                        ),
                    )
                    .help = Some(format!("quote each entry of `{key}` as a string"));
                }
            }
        }
        if non_empty && array.is_empty() {
            let span = self.value_span(key);
            cx.emit(
                &EMPTY_LIST,
                span,
                format!("`{key}` in {} is empty", self.what),
            )
            .help = Some(format!("list at least one entry in `{key}`"));
        }
        Some(out)
    }

    /// Bucket edges: non-negative, strictly increasing integers.
    pub fn edges(&self, key: &str, cx: &mut Cx) -> Option<Vec<u64>> {
        let array = self.array(key, "an array of integers", cx)?;
        let mut out: Vec<u64> = Vec::new();
        let mut ok = true;
        for v in array.iter() {
            let span = v.span().unwrap_or_default();
            let Some(i) = v.as_integer() else {
                cx.emit(
                    &WRONG_TYPE,
                    span,
                    format!("bucket edges must be integers, found {}", value_kind(v)),
                )
                .help = Some("bucket edges are whole numbers, e.g. [0, 1, 2, 5, 10]".into());
                ok = false;
                continue;
            };
            if i < 0 {
                cx.emit(&BUCKET_EDGES, span, format!("bucket edge {i} is negative"))
                    .help =
                    Some("counts and durations are never negative; start the edges at 0".into());
                ok = false;
                continue;
            }
            let e = i as u64;
            if let Some(&prev) = out.last()
                && e <= prev
            {
                cx.emit(
                    &BUCKET_EDGES,
                    span,
                    format!("bucket edge {e} does not increase (it follows {prev})"),
                )
                .help = Some("list edges in strictly increasing order, without repeats".into());
                ok = false;
                continue;
            }
            out.push(e);
        }
        if array.is_empty() {
            cx.emit(
                &EMPTY_LIST,
                self.value_span(key),
                format!("`{key}` in {} is empty", self.what),
            )
            .help = Some("list the lower bound of each bucket, e.g. [0, 1, 2, 5, 10]".into());
            ok = false;
        }
        ok.then_some(out)
    }

    /// A sub-table (standard or inline) at `key`.
    pub fn table(&self, key: &str, cx: &mut Cx) -> Option<(&'a dyn TableLike, Range<usize>)> {
        let item = self.get(key)?;
        match item.as_table_like() {
            Some(t) => Some((t, item_span(item).unwrap_or_else(|| self.key_span(key)))),
            None => {
                self.wrong_type(key, item, "a table", cx);
                None
            }
        }
    }
}

/// `a`, `b` and `c`.
pub fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}
