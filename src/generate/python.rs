//! The Python client (`[generate] python = "DIR"`): one stdlib-only module
//! with a class per metric and per event payload, whose constructors take
//! raw inputs (an exact count, a full version string, a datetime) and keep
//! only the low-resolution value, and a generated `unittest` module that
//! builds payloads across every field's domain and validates them against
//! the generated JSON Schemas (with `jsonschema`, when it is installed).
//!
//! The value types are `runtime/python.py`, copied into the module as the
//! Rust crate copies `runtime/values.rs`; string patterns are the same
//! byte automata the Rust crate embeds, so both accept the same strings.
//! The conformance corpus (`tests/conformance.rs`) holds the Python module,
//! the Rust runtime, `validate` and the schemas to the same answers.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::Output;
use super::rust::{Shipped, camel, carried, metric_struct};
use crate::automaton;
use crate::config::Config;
use crate::model::{DateResolution, DurationUnit, FieldType, Proposal, VersionResolution};

const RUNTIME: &str = include_str!("../../runtime/python.py");

/// Whether the runtime defines `name` at the top of the module (a class,
/// an assignment, or a name it imports): a generated class never takes one.
/// Read from the runtime's text, so the two cannot drift apart.
fn runtime_defines(name: &str) -> bool {
    static NAMES: std::sync::OnceLock<BTreeSet<&'static str>> = std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            let mut names = BTreeSet::new();
            let mut importing = false;
            for line in RUNTIME.lines() {
                let ident = |s: &'static str| -> &'static str {
                    let end = s
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(s.len());
                    &s[..end]
                };
                if let Some(rest) = line.strip_prefix("class ") {
                    names.insert(ident(rest));
                } else if importing {
                    importing = !line.starts_with(')');
                    names.insert(ident(line.trim()));
                } else if line.starts_with("from typing import (") {
                    importing = true;
                } else if line.starts_with(|c: char| c.is_ascii_uppercase()) && line.contains(" = ")
                {
                    names.insert(ident(line));
                }
            }
            names.remove("");
            names
        })
        .contains(name)
}

const KEYWORDS: &[&str] = &[
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "match",
    "case",
    "to_dict",
    "to_json",
    "metrics",
    "sent",
    "installation_id",
    "self",
];

/// The module's file name under DIR: the crate name as a Python identifier.
pub fn module_name(config: &Config) -> String {
    let mut name: String = config
        .generate
        .crate_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "telemetry_");
    }
    name
}

/// The module and its tests, under `dir` (relative to the repository root).
pub fn outputs(
    dir: &str,
    proposals: &[&Proposal],
    config: &Config,
    shipped: &Shipped,
) -> Vec<Output> {
    let module = module_name(config);
    let dir = PathBuf::from(dir);
    // The classes are named once, for the module and its tests alike.
    let plan = plan(proposals, config);
    vec![
        Output {
            path: dir.join(format!("{module}.py")),
            contents: module_text(&plan, proposals, config, shipped),
        },
        Output {
            path: dir.join(format!("test_{module}.py")),
            contents: tests_text(&plan, &module, &dir, proposals, config, shipped),
        },
    ]
}

/// A Python string literal (JSON's escapes are Python's).
fn lit(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

fn tuple<T: AsRef<str>>(items: &[T], quote: bool) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|s| {
            if quote {
                lit(s.as_ref())
            } else {
                s.as_ref().to_string()
            }
        })
        .collect();
    match parts.len() {
        0 => "()".into(),
        1 => format!("({},)", parts[0]),
        _ => format!("({})", parts.join(", ")),
    }
}

/// A field's (or attribute's) Python name: itself unless a keyword or a
/// name the generated classes use.
fn attr(field: &str) -> String {
    if KEYWORDS.contains(&field) {
        format!("{field}_")
    } else {
        field.to_string()
    }
}

fn docstring(out: &mut String, indent: &str, text: &str) {
    let text = text
        .trim()
        .replace('\\', "\\\\")
        .replace("\"\"\"", "\\\"\\\"\\\"");
    let _ = writeln!(
        out,
        "{indent}\"\"\"{}\"\"\"",
        text.lines()
            .collect::<Vec<_>>()
            .join(&format!("\n{indent}"))
    );
}

/// Class names handed out so far: two metrics whose names run together
/// (`a_b` + `c`, `a` + `b_c`) get distinct classes.
#[derive(Default)]
struct Names(BTreeSet<String>);

impl Names {
    fn take(&mut self, wanted: String) -> String {
        let mut name = wanted.clone();
        let mut n = 2;
        while runtime_defines(&name) || !self.0.insert(name.clone()) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        name
    }
}

/// What a field's type is in Python: the class that reduces it (or
/// `bool`), the raw inputs its constructor parameter takes, and the
/// classes to declare before the metric.
struct PyType {
    class: String,
    raw: String,
    items: String,
}

fn field_type(names: &mut Names, base: &str, field: &str, ty: &FieldType) -> PyType {
    let mut items = String::new();
    let (class, raw) = match ty {
        FieldType::Bool => {
            return PyType {
                class: "bool".into(),
                raw: "bool".into(),
                items,
            };
        }
        FieldType::Enum { values } => {
            let name = names.take(format!("{base}Value"));
            let values: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
            let _ = writeln!(items, "\n\nclass {name}(Listed):");
            docstring(
                &mut items,
                "    ",
                &format!("Values of `{field}`; anything not listed is `other`."),
            );
            let _ = writeln!(
                items,
                "\n    __slots__ = ()\n    VALUES = {}",
                tuple(&values, true)
            );
            let raw = format!("Union[str, {name}]");
            (name, raw)
        }
        FieldType::Set { values } => {
            let name = names.take(format!("{base}Set"));
            let values: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
            let _ = writeln!(items, "\n\nclass {name}(Set):");
            docstring(
                &mut items,
                "    ",
                &format!("Items of `{field}`; unlisted ones are only counted."),
            );
            let _ = writeln!(
                items,
                "\n    __slots__ = ()\n    ITEMS = {}",
                tuple(&values, true)
            );
            let raw = format!("Union[Iterable[str], {name}]");
            (name, raw)
        }
        FieldType::Count { buckets } => {
            let name = names.take(format!("{base}Count"));
            bucket_class(&mut items, &name, "Count", field, &buckets.edges, None);
            let raw = format!("Union[int, {name}]");
            (name, raw)
        }
        FieldType::Duration { unit, buckets } => {
            let name = names.take(format!("{base}Duration"));
            bucket_class(
                &mut items,
                &name,
                "Duration",
                field,
                &buckets.edges,
                Some(*unit),
            );
            let raw = format!("Union[_dt.timedelta, {name}]");
            (name, raw)
        }
        FieldType::Version { resolution, parts } => {
            let base_class = match resolution {
                VersionResolution::Major => "MajorVersion",
                VersionResolution::Minor => "MinorVersion",
                VersionResolution::Patch => "PatchVersion",
            };
            let name = match parts {
                None => base_class.to_string(),
                Some(parts) => {
                    let name = names.take(format!("{base}Version"));
                    let ranges: Vec<String> = parts
                        .0
                        .iter()
                        .map(|(lo, hi)| format!("({lo}, {hi})"))
                        .collect();
                    let _ = writeln!(items, "\n\nclass {name}({base_class}):");
                    docstring(
                        &mut items,
                        "    ",
                        &format!(
                            "Versions of `{field}`: {}; any other is sent as `unknown`.",
                            parts.in_words()
                        ),
                    );
                    items.push_str("\n    __slots__ = ()\n");
                    let _ = writeln!(items, "    RANGES = {}", tuple(&ranges, false));
                    name
                }
            };
            let raw = format!("Union[str, {name}]");
            (name, raw)
        }
        FieldType::Date { resolution, .. } => {
            let name = match resolution {
                DateResolution::Day => "DayDate",
                DateResolution::Week => "WeekDate",
                DateResolution::Month => "MonthDate",
            };
            (name.to_string(), format!("Union[_dt.date, {name}]"))
        }
        FieldType::Map { keys, value } => {
            let inner = field_type(names, base, field, value);
            items.push_str(&inner.items);
            let name = names.take(format!("{base}Map"));
            let keys: Vec<&str> = keys.iter().map(|k| k.value.as_str()).collect();
            let _ = writeln!(items, "\n\nclass {name}(Map):");
            docstring(
                &mut items,
                "    ",
                &format!("Values of `{field}`, by key; only listed keys are sent."),
            );
            let _ = writeln!(
                items,
                "\n    __slots__ = ()\n    KEYS = {}\n    VALUE = {}",
                tuple(&keys, true),
                inner.class
            );
            let raw = format!("Union[Mapping[str, Any], {name}]");
            (name, raw)
        }
        FieldType::String {
            pattern,
            max_len,
            automaton,
        } => {
            let name = names.take(format!("{base}Text"));
            text_class(
                &mut items,
                &name,
                field,
                &pattern.value,
                *max_len,
                automaton,
            );
            let raw = format!("Union[str, {name}]");
            (name, raw)
        }
    };
    PyType { class, raw, items }
}

fn bucket_class(
    out: &mut String,
    name: &str,
    base: &str,
    field: &str,
    edges: &[u64],
    unit: Option<DurationUnit>,
) {
    let bounds: Vec<String> = crate::buckets::lower_bounds(edges)
        .iter()
        .map(u64::to_string)
        .collect();
    let labels = crate::buckets::labels(edges);
    let _ = writeln!(out, "\n\nclass {name}({base}):");
    let what = match unit {
        Some(u) => format!("Buckets of `{field}`, in whole {}s.", u.name()),
        None => format!("Buckets of `{field}`."),
    };
    docstring(out, "    ", &what);
    out.push_str("\n    __slots__ = ()\n");
    if let Some(u) = unit {
        let _ = writeln!(
            out,
            "    UNIT = {}\n    UNIT_MILLIS = {}",
            lit(u.name()),
            u.millis()
        );
    }
    let _ = writeln!(out, "    LOWER_BOUNDS = {}", tuple(&bounds, false));
    let _ = writeln!(out, "    LABELS = {}", tuple(&labels, true));
}

fn text_class(
    out: &mut String,
    name: &str,
    field: &str,
    pattern: &str,
    max_len: u32,
    t: &automaton::Table,
) {
    let _ = writeln!(out, "\n\nclass {name}(Text):");
    docstring(
        out,
        "    ",
        &format!("Values of `{field}`: `{pattern}`, at most {max_len} characters."),
    );
    out.push_str("\n    __slots__ = ()\n");
    let _ = writeln!(out, "    PATTERN = {}", lit(pattern));
    let _ = writeln!(out, "    MAX_LEN = {max_len}");
    let classes: String = t.classes.iter().map(|b| format!("\\x{b:02x}")).collect();
    let _ = writeln!(out, "    CLASSES = b\"{classes}\"");
    let _ = writeln!(out, "    CLASS_COUNT = {}", t.class_count);
    out.push_str("    TRANSITIONS = (\n");
    for row in t.transitions.chunks(t.class_count.max(1)) {
        let row: Vec<String> = row.iter().map(u16::to_string).collect();
        let _ = writeln!(out, "        {},", row.join(", "));
    }
    out.push_str("    )\n");
    let _ = writeln!(out, "    START = {}", t.start);
    let accept: Vec<&str> = t
        .accept
        .iter()
        .map(|a| if *a { "True" } else { "False" })
        .collect();
    let _ = writeln!(out, "    ACCEPT = {}", tuple(&accept, false));
}

/// The class of every metric, field and payload, named once for the module
/// and its tests.
struct Plan {
    metrics: Vec<String>,
    /// Per metric, per field with a type: (field name, its Python type).
    fields: Vec<Vec<(String, PyType, FieldType)>>,
    payloads: Vec<String>,
}

fn plan(proposals: &[&Proposal], config: &Config) -> Plan {
    let mut names = Names::default();
    // Metric classes first, so that their names win over helpers'.
    let metrics: Vec<String> = proposals
        .iter()
        .map(|p| names.take(metric_struct(p)))
        .collect();
    let fields = proposals
        .iter()
        .map(|p| {
            let base = camel(&p.name);
            p.fields
                .iter()
                .filter_map(|f| {
                    let ty = &f.ty.as_ref()?.value;
                    let name = f.name.value.clone();
                    let py = field_type(&mut names, &format!("{base}{}", camel(&name)), &name, ty);
                    Some((name, py, ty.clone()))
                })
                .collect()
        })
        .collect();
    let payloads = config
        .events
        .iter()
        .map(|e| names.take(format!("{}Payload", camel(e))))
        .collect();
    Plan {
        metrics,
        fields,
        payloads,
    }
}

fn module_text(plan: &Plan, proposals: &[&Proposal], config: &Config, shipped: &Shipped) -> String {
    let mut out = String::from(
        "# @generated by `privet generate` from privet.toml and proposals/; do not edit.\n",
    );
    out.push_str(
        "\"\"\"Telemetry payloads generated from the metric registry (privet).\n\n\
         One class per metric and per event payload. Constructors take raw inputs (an\n\
         exact count, a full version string, a datetime) and keep only the value at the\n\
         resolution the metric's proposal approved; `to_json()` writes exactly what the\n\
         JSON Schemas accept. Standard library only.\n\"\"\"\n\nfrom __future__ import annotations\n",
    );
    out.push_str(RUNTIME);
    out.push_str("\n\n# ---------------------------------------------------------------------------\n# The metrics\n");
    let classes = &plan.metrics;
    for ((p, class), typed) in proposals.iter().zip(classes).zip(&plan.fields) {
        let mut params = Vec::new();
        let mut body = String::new();
        let mut attrs = String::new();
        let mut fields = Vec::new();
        for (name, py, _) in typed {
            out.push_str(&py.items);
            let a = attr(name);
            params.push(format!("{a}: {}", py.raw));
            let _ = writeln!(attrs, "    {a}: {}", py.class);
            let _ = writeln!(
                body,
                "        self.{a} = _reduce({}, {a}, {})",
                py.class,
                lit(&format!("{}.{name}", p.name))
            );
            fields.push(format!("({}, {})", lit(name), lit(&a)));
        }
        let _ = writeln!(out, "\n\nclass {class}(Metric):");
        let summary = p.answer("summary").unwrap_or(p.name.as_str());
        docstring(&mut out, "    ", summary);
        let _ = writeln!(out, "\n    NAME = {}", lit(&p.name));
        let _ = writeln!(out, "    FIELDS = {}", tuple(&fields, false));
        out.push_str(&attrs);
        if params.is_empty() {
            out.push_str("\n    def __init__(self) -> None:\n        pass\n");
        } else {
            let _ = writeln!(
                out,
                "\n    def __init__(self, *, {}) -> None:",
                params.join(", ")
            );
            out.push_str("        \"\"\"Reduces each raw input to the field's resolution.\"\"\"\n");
            out.push_str(&body);
        }
    }
    out.push_str("\n\n# ---------------------------------------------------------------------------\n# The event payloads\n");
    let by_name: std::collections::HashMap<&str, &str> = proposals
        .iter()
        .zip(classes)
        .map(|(p, c)| (p.name.as_str(), c.as_str()))
        .collect();
    for (event, class) in config.events.iter().zip(&plan.payloads) {
        let carried = carried(event, proposals, shipped);
        let _ = writeln!(out, "\n\nclass {class}(Payload):");
        docstring(
            &mut out,
            "    ",
            &format!("The `{event}` payload: the envelope and the metrics it carries."),
        );
        let _ = writeln!(out, "\n    EVENT = {}", lit(event));
        let _ = writeln!(out, "    SCHEMA_VERSION = {}", config.schema_version);
        let metric_names: Vec<&str> = carried.iter().map(|p| p.name.as_str()).collect();
        let _ = writeln!(out, "    METRICS = {}", tuple(&metric_names, true));
        let expiring: Vec<String> = carried
            .iter()
            .filter_map(|p| match p.expires.as_ref().map(|e| e.value) {
                Some(crate::model::Expiry::On(d)) => Some(format!(
                    "{}: _dt.date({}, {}, {})",
                    lit(&p.name),
                    d.year,
                    d.month,
                    d.day
                )),
                _ => None,
            })
            .collect();
        let _ = writeln!(out, "    EXPIRES = {{{}}}", expiring.join(", "));
        let mut params = vec!["installation_id: Union[InstallationId, str]".to_string()];
        let mut given = Vec::new();
        let mut keyword = Vec::new();
        for p in &carried {
            let a = attr(&p.name);
            keyword.push(format!(
                "{a}: Optional[{}] = None",
                by_name[p.name.as_str()]
            ));
            given.push(format!("{}: {a}", lit(&p.name)));
        }
        keyword.push("sent: Optional[_dt.date] = None".into());
        params.push(format!("*, {}", keyword.join(", ")));
        let _ = writeln!(
            out,
            "\n    def __init__(self, {}) -> None:",
            params.join(", ")
        );
        out.push_str(
            "        \"\"\"A payload sent on `sent` (default: today, UTC). A metric past its\n        expiry date is left out: it stops shipping on that day.\"\"\"\n",
        );
        let _ = writeln!(
            out,
            "        self._init(installation_id, sent, {{{}}})",
            given.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\n\n#: Every metric class, by metric name.\nMETRICS: Dict[str, Type[Metric]] = {{{}}}",
        proposals
            .iter()
            .zip(classes)
            .map(|(p, c)| format!("{}: {c}", lit(&p.name)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "\n#: Every payload class, by event name.\nPAYLOADS: Dict[str, Type[Payload]] = {{{}}}",
        config
            .events
            .iter()
            .zip(&plan.payloads)
            .map(|(e, c)| format!("{}: {c}", lit(e)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out
}

// ---------------------------------------------------------------------------
// The generated tests

/// Raw inputs across a field's domain, as Python expressions: every bucket
/// edge and its neighbours, versions of every length, dates at the turn of
/// a day in several zones, unlisted values, empty and full sets.
fn raw_cases(ty: &FieldType, class: &str) -> Vec<String> {
    match ty {
        FieldType::Bool => vec!["True".into(), "False".into()],
        FieldType::Enum { values } => {
            let mut v: Vec<String> = values.iter().map(|v| lit(&v.value)).collect();
            v.push(lit("not-on-the-list"));
            v
        }
        FieldType::Set { values } => {
            let all: Vec<String> = values.iter().map(|v| lit(&v.value)).collect();
            let first = all.first().cloned().unwrap_or_default();
            vec![
                "[]".into(),
                format!("[{}]", all.join(", ")),
                format!("[{first}, \"unlisted-a\", \"unlisted-b\", \"unlisted-a\"]"),
                "[\"u1\", \"u2\", \"u3\", \"u4\", \"u5\", \"u6\"]".into(),
            ]
        }
        FieldType::Count { buckets } => numbers(&buckets.edges)
            .into_iter()
            .map(|n| n.to_string())
            .collect(),
        FieldType::Duration { unit, buckets } => {
            let ms = unit.millis();
            // Beyond what a timedelta holds (about 2.7 million years), whole
            // units are given instead.
            let mut v: Vec<String> = numbers(&buckets.edges)
                .into_iter()
                .map(|n| match n.checked_mul(i128::from(ms)) {
                    Some(total) if total.abs() < 10_i128.pow(16) => {
                        format!("_dt.timedelta(milliseconds={total})")
                    }
                    _ if !class.is_empty() => format!("{class}.from_units({n})"),
                    _ => "_dt.timedelta(0)".into(),
                })
                .collect();
            if !class.is_empty() {
                v.push(format!("{class}.from_units(3)"));
            }
            v
        }
        FieldType::Version { .. } => [
            "3.21.4-dev+g1a2b",
            "v10.0",
            "130014",
            "99999.1",
            "1.2.3.4.5",
            "",
            "abc",
            "2024.11.05",
            "0.0.0",
            " 7 ",
            "3a.1",
            "9999.9999.9999",
        ]
        .iter()
        .map(|s| lit(s))
        .collect(),
        FieldType::Date { .. } => {
            let mut v: Vec<String> = vec![
                "_dt.date(2026, 12, 6)".into(),
                "_dt.date(2024, 2, 29)".into(),
                "_dt.datetime(2026, 12, 31, 23, 30, tzinfo=_dt.timezone(_dt.timedelta(hours=-5)))"
                    .into(),
                "_dt.datetime(2027, 1, 1, 0, 30, tzinfo=_dt.timezone(_dt.timedelta(hours=9)))"
                    .into(),
                "_dt.datetime(2026, 3, 1, 0, 0, tzinfo=_dt.timezone.utc)".into(),
            ];
            if !class.is_empty() {
                v.push(format!("{class}.from_unix_seconds(1_798_761_599)"));
            }
            v
        }
        FieldType::Map { keys, value } => {
            let values = raw_cases(value, "");
            let pick = |i: usize| {
                values
                    .get(i % values.len().max(1))
                    .cloned()
                    .unwrap_or_default()
            };
            let all: Vec<String> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{}: {}", lit(&k.value), pick(i)))
                .collect();
            vec![
                "{}".into(),
                format!("{{{}}}", all.join(", ")),
                format!("{{\"not-a-listed-key\": {}}}", pick(0)),
            ]
        }
        FieldType::String {
            max_len, automaton, ..
        } => shortest_accepted(automaton, *max_len as usize)
            .map(|s| vec![lit(&s)])
            .unwrap_or_default(),
    }
}

/// Every edge, one below and one above, a negative count and a huge one.
fn numbers(edges: &[u64]) -> Vec<i128> {
    let mut v: BTreeSet<i128> = BTreeSet::new();
    v.insert(-1);
    v.insert(1_000_000_000_000);
    for &e in edges {
        let e = i128::from(e);
        v.extend([e - 1, e, e + 1]);
    }
    v.into_iter().collect()
}

/// The shortest printable ASCII string the automaton accepts, if any.
fn shortest_accepted(t: &automaton::Table, max_len: usize) -> Option<String> {
    let states = t.accept.len();
    let mut seen = vec![false; states];
    let mut queue = std::collections::VecDeque::from([(usize::from(t.start), String::new())]);
    seen[usize::from(t.start)] = true;
    while let Some((state, s)) = queue.pop_front() {
        if t.accept[state] {
            return Some(s);
        }
        if s.len() >= max_len {
            continue;
        }
        for b in 0x20u8..0x7f {
            let next = usize::from(
                t.transitions[state * t.class_count + usize::from(t.classes[usize::from(b)])],
            );
            if next != 0 && !seen[next] {
                seen[next] = true;
                let mut n = s.clone();
                n.push(char::from(b));
                queue.push_back((next, n));
            }
        }
    }
    None
}

/// `path` relative to `from` (both relative to the repository root).
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

fn tests_text(
    plan: &Plan,
    module: &str,
    dir: &Path,
    proposals: &[&Proposal],
    config: &Config,
    shipped: &Shipped,
) -> String {
    let schemas = relative(dir, Path::new(&config.generate.schemas));
    let mut out = String::from(
        "# @generated by `privet generate` from privet.toml and proposals/; do not edit.\n",
    );
    let _ = write!(
        out,
        "\"\"\"Payloads built from raw inputs across every field's domain, checked against\n\
         the generated JSON Schemas (with `jsonschema`, when it is installed) and for\n\
         the resolution each field keeps. Run: python -m unittest test_{module}\n\"\"\"\n\n\
         from __future__ import annotations\n\n\
         import datetime as _dt\nimport functools\nimport importlib\nimport json\nimport os\nimport unittest\nfrom typing import Any, Dict, List\n\n\
         import {module} as m\n\n\
         try:\n    jsonschema: Any = importlib.import_module(\"jsonschema\")\nexcept ImportError:  # pragma: no cover\n    jsonschema = None\n\n\
         SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), {})\n\n\n\
         @functools.lru_cache(maxsize=None)\n\
         def validator(name: str) -> Any:\n\
         \x20   with open(os.path.join(SCHEMAS, name), encoding=\"utf-8\") as f:\n\
         \x20       schema = json.load(f)\n\
         \x20   cls = jsonschema.validators.validator_for(schema)\n\
         \x20   cls.check_schema(schema)\n\
         \x20   return cls(schema)\n\n\n\
         def check(test: unittest.TestCase, value: Dict[str, Any], schema_file: str) -> None:\n\
         \x20   # What is sent survives JSON unchanged.\n\
         \x20   test.assertEqual(json.loads(json.dumps(value)), value)\n\
         \x20   if jsonschema is not None:\n\
         \x20       validator(schema_file).validate(value)\n\n\n\
         class RawInputs(unittest.TestCase):\n",
        lit(&schemas)
    );
    // Which metrics each event carries, found once (not per metric).
    let carried_by_event: Vec<BTreeSet<&str>> = config
        .events
        .iter()
        .map(|e| {
            carried(e, proposals, shipped)
                .iter()
                .map(|p| p.name.as_str())
                .collect()
        })
        .collect();
    let mut any = false;
    for ((p, class), typed) in proposals.iter().zip(&plan.metrics).zip(&plan.fields) {
        let columns: Vec<(String, Vec<String>)> = typed
            .iter()
            .map(|(name, py, ty)| (attr(name), raw_cases(ty, &format!("m.{}", py.class))))
            .collect();
        if columns.iter().any(|(_, c)| c.is_empty()) {
            let _ = writeln!(
                out,
                "\n    def test_{}(self) -> None:\n        self.skipTest(\"a string field's pattern has no printable ASCII value to build from\")",
                p.name
            );
            continue;
        }
        any = true;
        let rows = columns
            .iter()
            .map(|(_, c)| c.len())
            .max()
            .unwrap_or(1)
            .max(1);
        let _ = writeln!(out, "\n    def test_{}(self) -> None:", p.name);
        let _ = writeln!(out, "        built: List[m.{class}] = [");
        for i in 0..rows {
            let args: Vec<String> = columns
                .iter()
                .map(|(a, c)| format!("{a}={}", c[i % c.len()]))
                .collect();
            let _ = writeln!(out, "            m.{class}({}),", args.join(", "));
        }
        out.push_str("        ]\n        for metric in built:\n");
        let _ = writeln!(
            out,
            "            check(self, metric.to_dict(), {})\n            self.assertEqual(json.loads(metric.to_json()), metric.to_dict())",
            lit(&format!("{}.json", p.name))
        );
        for ((event, payload), carried) in config
            .events
            .iter()
            .zip(&plan.payloads)
            .zip(&carried_by_event)
        {
            if carried.contains(p.name.as_str()) {
                let _ = writeln!(
                    out,
                    "            check(self, m.{payload}(m.InstallationId.generate(), {}=metric, sent=_dt.date(2026, 1, 5)).to_dict(), {})",
                    attr(&p.name),
                    lit(&format!("events/{event}.json"))
                );
            }
        }
    }
    if !any {
        out.push_str("\n    def test_no_metrics(self) -> None:\n        self.assertEqual(len(m.METRICS), 0)\n");
    }
    out.push_str(
        "\n    def test_values_keep_only_their_resolution(self) -> None:\n\
         \x20       self.assertEqual(m.MinorVersion(\"3.21.4-dev\").to_json_value(), \"3.21\")\n\
         \x20       self.assertEqual(m.MajorVersion(\"130014\").to_json_value(), \"unknown\")\n\
         \x20       self.assertEqual(m.MinorVersion(\"99999.1\").to_json_value(), \"unknown\")\n\
         \x20       class Calendar(m.MinorVersion):\n\
         \x20           RANGES = ((2020, 2099), (1, 12))\n\
         \x20       self.assertEqual(Calendar(\"2024.11.2\").to_json_value(), \"2024.11\")\n\
         \x20       self.assertEqual(Calendar(\"2024.13\").to_json_value(), \"unknown\")\n\
         \x20       self.assertEqual(Calendar.from_numbers([2019, 5]).to_json_value(), \"unknown\")\n\
         \x20       self.assertEqual(m.WeekDate(_dt.date(2026, 12, 6)).to_json_value(), \"2026-11-30\")\n\
         \x20       self.assertEqual(m.MonthDate(_dt.date(2026, 12, 6)).to_json_value(), \"2026-12-01\")\n\
         \x20       with self.assertRaises(m.Rejected):\n\
         \x20           m.DayDate(_dt.datetime(2026, 12, 6, 12, 0))\n\
         \x20       with self.assertRaises(m.Rejected):\n\
         \x20           m.InstallationId(\"db01.example.org\")\n\
         \x20       with self.assertRaises(AttributeError):\n\
         \x20           m.MinorVersion(\"1.2\")._sent = \"130014.1\"\n\n\n\
         if __name__ == \"__main__\":\n    unittest.main()\n",
    );
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_runtimes_names_are_read_from_its_text() {
        for name in [
            "Count",
            "Set",
            "Map",
            "Metric",
            "Payload",
            "InstallationId",
            "RawValue",
            "Union",
            "Mapping",
        ] {
            assert!(super::runtime_defines(name), "{name}");
        }
        assert!(!super::runtime_defines("PulpWorkers"));
    }
}
