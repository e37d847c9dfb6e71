//! Mozilla Glean definitions (`metrics.yaml`, `pings.yaml`, schema 2-0-0)
//! as privet proposals.
//!
//! Each metric becomes one proposal named `<category>_<name>` (dots to
//! underscores), in a directory per category. Pings become events,
//! `notification_emails` the owners, `expires` the expiry, the description
//! the summary (its first sentence) and `[import] description` (the rest,
//! for the author to turn into the checklist answers), `data_reviews` and
//! `bugs` the references. Types become the nearest low-resolution field
//! where one exists (see [`fields`]); where none does, the field is left
//! out and `[import] undecided` says what the author must decide, which
//! fails the audit (`import-undecided`) until they have.

use std::collections::BTreeMap;

use super::yaml::Node;
use super::{Imported, Problem, toml_list, toml_string};

/// Built-in Glean pings, with the event each becomes.
const BUILT_IN_PINGS: &[&str] = &["metrics", "events", "baseline", "deletion-request"];

/// Counts (counters, quantities, event occurrences) are bucketed on 1-2-5
/// steps up to this overflow edge.
const COUNT_MAX: u64 = 10_000;

/// What a Glean metric became.
struct Mapped {
    /// `[fields.NAME]` tables, as TOML.
    fields: Vec<(String, String)>,
    /// What the author must decide, as `(reason kind, text)`.
    undecided: Vec<(String, String)>,
    /// What changed on the way, for the record.
    notes: Vec<String>,
}

impl Mapped {
    fn new() -> Mapped {
        Mapped {
            fields: Vec::new(),
            undecided: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn field(&mut self, name: &str, summary: &str, body: String) {
        self.fields.push((
            name.to_string(),
            format!("summary = {}\n{body}", toml_string(summary)),
        ));
    }

    fn undecided(&mut self, kind: &str, text: String) {
        self.undecided.push((kind.to_string(), text));
    }
}

/// A ping `pings.yaml` declares.
#[derive(Clone, Debug, PartialEq)]
pub struct Ping {
    /// The privet event it becomes.
    pub event: String,
    /// Whether Glean sends its client id in it.
    pub client_id: bool,
}

/// The pings `pings.yaml` declares, by ping name.
pub fn pings(root: &Node, problems: &mut Vec<Problem>) -> BTreeMap<String, Ping> {
    let mut out = BTreeMap::new();
    let Some(entries) = root.entries() else {
        problems.push(Problem {
            line: root.line,
            message: format!("the pings file is {}, not a mapping of pings", root.kind()),
        });
        return out;
    };
    for (k, v) in entries {
        let Some(name) = k.text() else { continue };
        if name.starts_with('$') || name == "no_lint" {
            continue;
        }
        if v.entries().is_none() {
            problems.push(Problem {
                line: k.line,
                message: format!("ping `{name}` is {}, not a mapping: skipped", v.kind()),
            });
            continue;
        }
        if BUILT_IN_PINGS.contains(&name) {
            problems.push(Problem {
                line: k.line,
                message: format!(
                    "ping `{name}` is one of Glean's built-in pings: a project does not declare it"
                ),
            });
        }
        out.insert(
            name.to_string(),
            Ping {
                event: event_name(name),
                client_id: v.get("include_client_id").and_then(Node::bool) == Some(true),
            },
        );
    }
    out
}

/// The privet event a ping becomes: `first-startup` → `first_startup`.
pub fn event_name(ping: &str) -> String {
    crate::names::snake_case(&ping.replace(['-', '.'], "_"))
}

/// Every metric of `root` (a parsed `metrics.yaml`).
pub fn metrics(
    root: &Node,
    pings: &BTreeMap<String, Ping>,
    problems: &mut Vec<Problem>,
) -> Vec<Imported> {
    let mut out = Vec::new();
    let Some(categories) = root.entries() else {
        problems.push(Problem {
            line: root.line,
            message: format!("the file is {}, not a mapping of categories", root.kind()),
        });
        return out;
    };
    for (k, v) in categories {
        let Some(category) = k.text() else { continue };
        if category.starts_with('$') || category == "no_lint" {
            continue;
        }
        let Some(metrics) = v.entries() else {
            problems.push(Problem {
                line: k.line,
                message: format!(
                    "category `{category}` is {}, not a mapping of metrics: skipped",
                    v.kind()
                ),
            });
            continue;
        };
        for (mk, mv) in metrics {
            let Some(name) = mk.text() else { continue };
            if name.starts_with('$') {
                continue;
            }
            if mv.entries().is_none() {
                problems.push(Problem {
                    line: mk.line,
                    message: format!(
                        "metric `{category}.{name}` is {}, not a mapping: skipped",
                        mv.kind()
                    ),
                });
                continue;
            }
            out.push(metric(category, name, mk.line, mv, pings));
        }
    }
    out
}

/// One metric as a proposal.
fn metric(
    category: &str,
    name: &str,
    line: usize,
    m: &Node,
    pings: &BTreeMap<String, Ping>,
) -> Imported {
    let source = format!("{category}.{name}");
    // Names and directories are made of letters, digits and `_` only: a
    // category is never a path.
    let dir = crate::names::snake_case(category);
    let metric_name = crate::names::snake_case(&format!("{dir}_{name}"));
    let ty = m.get("type").and_then(Node::text).unwrap_or("");
    let mut mapped = fields(ty, m);

    let description = m
        .get("description")
        .and_then(Node::text)
        .unwrap_or("")
        .trim()
        .to_string();
    let summary = first_sentence(&description);

    let owners = m
        .get("notification_emails")
        .map(Node::texts)
        .unwrap_or_default();

    let default_ping = if ty == "event" { "events" } else { "metrics" };
    let sent_in = m
        .get("send_in_pings")
        .map(Node::texts)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| vec![default_ping.to_string()]);
    let mut events = Vec::new();
    for ping in &sent_in {
        let ping = if ping == "default" {
            default_ping
        } else {
            ping
        };
        let event = pings
            .get(ping)
            .map(|p| p.event.clone())
            .unwrap_or_else(|| event_name(ping));
        if !BUILT_IN_PINGS.contains(&ping) && !pings.contains_key(ping) {
            mapped.notes.push(format!(
                "sent in ping `{ping}`, which pings.yaml does not declare"
            ));
        }
        if pings.get(ping).is_some_and(|p| p.client_id) {
            mapped.notes.push(format!(
                "Glean sends its client id in ping `{ping}`; a privet event carries only the envelope's installation_id"
            ));
        }
        if !events.contains(&event) {
            events.push(event);
        }
    }

    let expires = match m.get("expires") {
        None => {
            mapped.undecided(
                "expiry",
                "Glean gives no `expires`: set a date, or `never` with a reason".into(),
            );
            None
        }
        Some(e) => match e.text().unwrap_or("") {
            "never" => Some("\"never\"".to_string()),
            "expired" => {
                mapped.undecided(
                    "expiry",
                    "Glean marks it `expired`: retire it (status = \"retired\") or renew it with a new date".into(),
                );
                None
            }
            text if crate::date::Date::parse(text).is_some() => Some(text.to_string()),
            text if e.integer().is_some() => {
                mapped.undecided(
                    "expiry",
                    format!(
                        "Glean expires it at product version {text}; privet expires on a date: set `expires` to when that release ships"
                    ),
                );
                None
            }
            text => {
                mapped.undecided(
                    "expiry",
                    format!("Glean's `expires: {text}` is neither a date, `never` nor a version: set a date"),
                );
                None
            }
        },
    };

    if m.get("disabled").and_then(Node::bool) == Some(true) {
        mapped
            .notes
            .push("disabled in Glean: not collected there".into());
    }
    if let Some(l) = m.get("lifetime").and_then(Node::text) {
        mapped.notes.push(format!("Glean lifetime: {l}"));
    }
    let sensitivity = m
        .get("data_sensitivity")
        .map(Node::texts)
        .unwrap_or_default();
    if !sensitivity.is_empty() {
        mapped.notes.push(format!(
            "Glean data sensitivity: {} (a starting point for the `pii` answer)",
            sensitivity.join(", ")
        ));
    }
    if let Some(mirror) = m.get("telemetry_mirror").and_then(Node::text) {
        mapped
            .notes
            .push(format!("mirrored to Legacy Telemetry as {mirror}"));
    }
    let mut references = m.get("data_reviews").map(Node::texts).unwrap_or_default();
    references.extend(m.get("bugs").map(Node::texts).unwrap_or_default());
    dedup(&mut references);
    dedup(&mut mapped.notes);
    let mut seen_undecided = Vec::new();
    mapped.undecided.retain(|(_, t)| {
        !seen_undecided.contains(t) && {
            seen_undecided.push(t.clone());
            true
        }
    });

    let mut text = String::new();
    text.push_str(&format!(
        "# Imported from Glean: {source} ({ty}). Answer the checklist questions\n\
         # `privet check` lists, decide what `[import] undecided` asks, then remove it.\n"
    ));
    if let Some(summary) = &summary {
        text.push_str(&format!("summary = {}\n", toml_string(summary)));
    }
    text.push_str(&format!("owners = {}\n", toml_list(&owners)));
    text.push_str(&format!("events = {}\n", toml_list(&events)));
    if let Some(e) = expires {
        text.push_str(&format!("expires = {e}\n"));
    }
    text.push_str("status = \"proposed\"\n");
    text.push_str(
        "# question = \"…\"  (What question does this metric answer? See [import] description.)\n",
    );
    for (field, body) in &mapped.fields {
        text.push_str(&format!("\n[fields.{field}]\n{body}"));
    }
    text.push_str("\n[import]\nfrom = \"glean\"\n");
    text.push_str(&format!("source = {}\n", toml_string(&source)));
    if !description.is_empty() {
        text.push_str(&format!(
            "description = {}\n",
            super::toml_text(&description)
        ));
    }
    if !references.is_empty() {
        text.push_str(&format!(
            "references = {}\n",
            super::toml_block_list(&references)
        ));
    }
    if !mapped.notes.is_empty() {
        text.push_str(&format!(
            "notes = {}\n",
            super::toml_block_list(&mapped.notes)
        ));
    }
    let undecided: Vec<String> = mapped.undecided.iter().map(|(_, t)| t.clone()).collect();
    if !undecided.is_empty() {
        text.push_str(&format!(
            "undecided = {}\n",
            super::toml_block_list(&undecided)
        ));
    }
    Imported {
        name: metric_name.clone(),
        path: format!("{dir}/{metric_name}.toml"),
        source,
        line,
        glean_type: ty.to_string(),
        events,
        text,
        undecided: mapped.undecided.into_iter().map(|(k, _)| k).collect(),
    }
}

/// Removes repeated entries, keeping the first of each.
fn dedup(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.clone()));
}

/// The first sentence of `description`, as a one-line summary (none for an
/// empty description: the checklist then asks for one). A sentence ends at
/// a period followed by a capital letter or the end, so `e.g.` and `1.2`
/// do not end it.
fn first_sentence(description: &str) -> Option<String> {
    let flat = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = flat
        .char_indices()
        .find(|&(i, c)| {
            let mut rest = flat[i + c.len_utf8()..].chars();
            c == '.'
                && match rest.next() {
                    None => true,
                    Some(' ') => rest.next().is_none_or(char::is_uppercase),
                    Some(_) => false,
                }
        })
        .map_or(flat.len(), |(i, _)| i);
    let sentence = flat[..end].trim();
    let mut out: String = sentence.chars().take(120).collect();
    if sentence.chars().count() > 120 {
        out.push('…');
    }
    (!out.is_empty()).then_some(out)
}

/// A bucketed count up to `max` on 1-2-5 steps.
fn count_body(max: u64) -> String {
    format!("type = \"count\"\npreset = \"1-2-5\"\nmax = {max}\n")
}

/// Glean's time units as privet duration units (finer ones reported in
/// milliseconds) and the overflow edge of their 1-2-5 buckets.
fn duration_body(time_unit: &str, notes: &mut Vec<String>, what: &str) -> String {
    let (unit, max) = match time_unit {
        "nanosecond" | "microsecond" => {
            notes.push(format!(
                "{what}: Glean records {time_unit}s; privet reports whole milliseconds"
            ));
            ("millisecond", 1_000_000)
        }
        "millisecond" => ("millisecond", 1_000_000),
        "second" => ("second", 100_000),
        "minute" => ("minute", 10_000),
        "hour" => ("hour", 1_000),
        "day" => ("day", 1_000),
        other => {
            notes.push(format!(
                "{what}: Glean time unit `{other}` is unknown; reported in milliseconds"
            ));
            ("millisecond", 1_000_000)
        }
    };
    format!("type = \"duration\"\nunit = \"{unit}\"\npreset = \"1-2-5\"\nmax = {max}\n")
}

/// A memory size in `memory_unit`, as a count of that unit on powers of two.
fn memory_body(memory_unit: &str) -> (String, &'static str) {
    let (unit, max) = match memory_unit {
        "kilobyte" => ("kilobytes", 1u64 << 24),
        "megabyte" => ("megabytes", 1 << 16),
        "gigabyte" => ("gigabytes", 1 << 10),
        _ => ("bytes", 1 << 30),
    };
    (
        format!("type = \"count\"\npreset = \"pow2\"\nmax = {max}\n"),
        unit,
    )
}

/// Whether flattening dual labels to `key__category` gives distinct keys.
fn distinct_pairs(keys: &[String], categories: &[String]) -> bool {
    let mut all: Vec<String> = keys
        .iter()
        .flat_map(|k| categories.iter().map(move |c| format!("{k}__{c}")))
        .collect();
    all.sort();
    all.windows(2).all(|w| w[0] != w[1])
}

/// A custom distribution's range as bucket edges, or why it has none: at
/// most 12 buckets over `[range_min, range_max]`, linear or exponential as
/// Glean had them. Glean requires the range; where it is missing the
/// assumption is noted.
fn custom_range(m: &Node, notes: &mut Vec<String>) -> Result<String, String> {
    let min = match m.get("range_min").map(Node::integer) {
        None => 0,
        Some(Some(v)) if v >= 0 => v as u64,
        Some(_) => return Err("Glean's `range_min` is not a whole number of 0 or more".into()),
    };
    let max = match m.get("range_max").map(Node::integer) {
        None => {
            notes.push(format!(
                "Glean gives no `range_max`: buckets assumed up to {COUNT_MAX}"
            ));
            COUNT_MAX
        }
        Some(Some(v)) if v > 0 => v as u64,
        Some(_) => return Err("Glean's `range_max` is not a whole number above 0".into()),
    };
    if max <= min {
        return Err(format!(
            "Glean's range {min}..{max} is empty: give the bucket edges"
        ));
    }
    let linear = match m.get("histogram_type").and_then(Node::text) {
        Some("linear") => true,
        Some("exponential") => false,
        other => {
            notes.push(format!(
                "Glean's histogram_type {}: exponential buckets assumed",
                other.map_or("is missing".to_string(), |t| format!("`{t}` is unknown"))
            ));
            false
        }
    };
    Ok(custom_body(min, max, linear))
}

fn custom_body(min: u64, max: u64, linear: bool) -> String {
    let mut edges = vec![0u64];
    if linear {
        let steps = 10u64.min(max - min).max(1);
        for i in 0..=steps {
            edges.push(min + (max - min) * i / steps);
        }
    } else {
        let lo = min.max(1) as f64;
        let ratio = (max as f64 / lo).powf(1.0 / 10.0);
        for i in 0..=10 {
            edges.push((lo * ratio.powi(i)).round() as u64);
        }
    }
    edges.sort_unstable();
    edges.dedup();
    let list: Vec<String> = edges.iter().map(u64::to_string).collect();
    format!("type = \"count\"\nbuckets = [{}]\n", list.join(", "))
}

/// The labels a labeled metric lists, if it lists them.
fn labels(node: Option<&Node>) -> Option<Vec<String>> {
    node.map(Node::texts).filter(|l| !l.is_empty())
}

/// A map over `labels` with values of `value` (an inline table).
fn map_body(labels: &[String], value: &str) -> String {
    format!(
        "type = \"map\"\nkeys = {}\nvalue = {{ {value} }}\n",
        toml_list(labels)
    )
}

/// The fields a Glean metric of type `ty` becomes.
fn fields(ty: &str, m: &Node) -> Mapped {
    let mut out = Mapped::new();
    if matches!(
        ty,
        "counter"
            | "quantity"
            | "rate"
            | "event"
            | "labeled_counter"
            | "labeled_quantity"
            | "dual_labeled_counter"
    ) {
        out.notes.push(format!(
            "counts are bucketed on 1-2-5 steps up to {COUNT_MAX} (an importer's default: set the edges the question needs)"
        ));
    }
    let unit = m.get("unit").and_then(Node::text).unwrap_or("");
    let with_unit = |s: &str| {
        if unit.is_empty() {
            s.to_string()
        } else {
            format!("{s}, in {unit}")
        }
    };
    let time_unit = m
        .get("time_unit")
        .and_then(Node::text)
        .unwrap_or(if ty == "timespan" {
            "millisecond"
        } else {
            "nanosecond"
        });
    let memory_unit = m.get("memory_unit").and_then(Node::text).unwrap_or("byte");
    let free_labels = |out: &mut Mapped, what: &str| {
        out.undecided(
            "free labels",
            format!(
                "field `value`: Glean's {what} takes any label at run time; privet needs the list of keys (`keys = [...]` of a map), or drop the labels"
            ),
        );
    };
    match ty {
        "boolean" => out.field("value", "Whether it is true", "type = \"bool\"\n".into()),
        "counter" => out.field(
            "value",
            "How many times it happened, bucketed",
            count_body(COUNT_MAX),
        ),
        "quantity" => out.field(
            "value",
            &with_unit("The quantity, bucketed"),
            count_body(COUNT_MAX),
        ),
        "rate" => {
            out.field(
                "numerator",
                "How many times it happened, bucketed",
                count_body(COUNT_MAX),
            );
            match m.get("denominator_metric").and_then(Node::text) {
                Some(d) => out.notes.push(format!(
                    "the rate's denominator is Glean's metric `{d}` (a proposal of its own when it is in the same file)"
                )),
                None => out.field(
                    "denominator",
                    "Out of how many, bucketed",
                    count_body(COUNT_MAX),
                ),
            }
        }
        "timespan" => {
            let body = duration_body(time_unit, &mut out.notes, "field `value`");
            out.field("value", "How long it took, bucketed", body);
        }
        "timing_distribution" => {
            let body = duration_body(time_unit, &mut out.notes, "field `value`");
            out.notes.push(
                "Glean sent the whole distribution of samples; privet sends one bucketed sample per payload".into(),
            );
            out.field("value", "How long one sample took, bucketed", body);
        }
        "memory_distribution" => {
            let (body, unit) = memory_body(memory_unit);
            out.notes.push(
                "Glean sent the whole distribution of samples; privet sends one bucketed sample per payload".into(),
            );
            out.field("value", &format!("One memory sample, in {unit}, bucketed"), body);
        }
        "custom_distribution" => {
            out.notes.push(
                "Glean sent the whole distribution of samples; privet sends one bucketed sample per payload".into(),
            );
            match custom_range(m, &mut out.notes) {
                Ok(body) => out.field("value", &with_unit("One sample, bucketed"), body),
                Err(why) => out.undecided("invalid", format!("field `value`: {why}")),
            }
        }
        "labeled_counter" | "labeled_boolean" | "labeled_quantity" | "labeled_timing_distribution"
        | "labeled_memory_distribution" | "labeled_custom_distribution" => {
            let value = match ty {
                "labeled_boolean" => "type = \"bool\"".to_string(),
                "labeled_timing_distribution" => {
                    let body = duration_body(time_unit, &mut out.notes, "map values");
                    inline(&body)
                }
                "labeled_memory_distribution" => inline(&memory_body(memory_unit).0),
                "labeled_custom_distribution" => match custom_range(m, &mut out.notes) {
                    Ok(body) => inline(&body),
                    Err(why) => {
                        out.undecided("invalid", format!("field `value`: {why}"));
                        return out;
                    }
                },
                _ => inline(&count_body(COUNT_MAX)),
            };
            match labels(m.get("labels")) {
                Some(l) => out.field("value", "Per label", map_body(&l, &value)),
                None => free_labels(&mut out, &format!("`{ty}`")),
            }
        }
        "dual_labeled_counter" => {
            let dual = m.get("dual_labels");
            let keys = labels(dual.and_then(|d| d.get("key")).and_then(|k| k.get("labels")));
            let categories =
                labels(dual.and_then(|d| d.get("category")).and_then(|c| c.get("labels")));
            match (keys, categories) {
                (Some(k), Some(c)) if k.len() * c.len() <= 64 && distinct_pairs(&k, &c) => {
                    let pairs: Vec<String> = k
                        .iter()
                        .flat_map(|k| c.iter().map(move |c| format!("{k}__{c}")))
                        .collect();
                    out.notes.push(
                        "dual labels flattened to `key__category` map keys".into(),
                    );
                    out.field(
                        "value",
                        "Per key and category",
                        map_body(&pairs, &inline(&count_body(COUNT_MAX))),
                    );
                }
                (Some(k), Some(c)) => out.undecided(
                    "free labels",
                    format!(
                        "field `value`: {} keys × {} categories do not flatten to distinct map keys of a size to review; choose the pairs that answer the question",
                        k.len(),
                        c.len()
                    ),
                ),
                _ => free_labels(&mut out, "`dual_labeled_counter` (key or category)"),
            }
        }
        "event" => {
            out.field(
                "occurrences",
                "How many times the event happened, bucketed",
                count_body(COUNT_MAX),
            );
            out.notes.push(
                "Glean records each occurrence with its time; privet sends how many there were (bucketed) and one occurrence's extras".into(),
            );
            for (k, v) in m.get("extra_keys").and_then(Node::entries).unwrap_or_default() {
                let Some(extra) = k.text() else { continue };
                let mut field = crate::names::snake_case(extra);
                if out.fields.iter().any(|(f, _)| *f == field) {
                    field = format!("extra_{field}");
                }
                if out.fields.iter().any(|(f, _)| *f == field) {
                    out.undecided(
                        "free text",
                        format!("event extra `{extra}` has the same field name as another extra: name it"),
                    );
                    continue;
                }
                let summary = v
                    .get("description")
                    .and_then(Node::text)
                    .and_then(first_sentence)
                    .unwrap_or_else(|| format!("Extra `{extra}`"));
                match v.get("type").and_then(Node::text).unwrap_or("string") {
                    "boolean" => out.field(&field, &summary, "type = \"bool\"\n".into()),
                    "quantity" => out.field(&field, &summary, count_body(COUNT_MAX)),
                    other => out.undecided(
                        "free text",
                        format!(
                            "field `{field}`: event extra `{extra}` is a Glean {other}, free text; list its values (an enum) or drop it"
                        ),
                    ),
                }
            }
        }
        "string" => out.undecided(
            "free text",
            "field `value`: Glean type `string` sends free text; list the values (an enum), or a string with a tight pattern and max_len".into(),
        ),
        "text" => out.undecided(
            "free text",
            "field `value`: Glean type `text` sends long free text; privet has no low-resolution equivalent: split what is needed into enums and counts, or drop it".into(),
        ),
        "string_list" => out.undecided(
            "free text",
            "field `value`: Glean type `string_list` sends free strings; list the possible values (a set), or drop it".into(),
        ),
        "labeled_string" => out.undecided(
            "free text",
            "field `value`: Glean type `labeled_string` sends free text per label; a map with listed keys and enum values, or drop it".into(),
        ),
        "url" => out.undecided(
            "identifying",
            "field `value`: Glean type `url` sends a full address; keep a category (an enum) or drop it".into(),
        ),
        "uuid" => out.undecided(
            "identifying",
            "field `value`: Glean type `uuid` sends a unique identifier, which singles out an installation; privet sends none besides the envelope's: drop it or say what it is for".into(),
        ),
        "datetime" => out.undecided(
            "identifying",
            "field `value`: Glean type `datetime` sends an exact time; use a date with resolution day, week or month".into(),
        ),
        "object" => out.undecided(
            "free text",
            "field `value`: Glean type `object` sends free structured data; split it into typed fields".into(),
        ),
        "" => out.undecided(
            "unknown type",
            "the Glean definition has no `type`: declare the fields".into(),
        ),
        other => out.undecided(
            "unknown type",
            format!("Glean type `{other}` is unknown to privet's importer: declare the fields"),
        ),
    }
    out
}

/// `type = "count"\npreset = …\n` as the inside of an inline table.
fn inline(body: &str) -> String {
    body.lines().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_first_sentences() {
        let first = |s: &str| first_sentence(s).unwrap_or_default();
        assert_eq!(first("The count of URIs. More text."), "The count of URIs");
        assert_eq!(
            first("Version 1.2 of it\nand more"),
            "Version 1.2 of it and more"
        );
        assert_eq!(first("Counts e.g. clicks. Then"), "Counts e.g. clicks");
        assert_eq!(first_sentence("  "), None);
    }

    #[test]
    fn custom_distributions_become_bounded_buckets() {
        let parse = |s: &str| super::super::yaml::parse(s).unwrap();
        let mut notes = Vec::new();
        let m = parse(
            "range_min: 1\nrange_max: 60000\nbucket_count: 50\nhistogram_type: exponential\n",
        );
        let body = custom_range(&m, &mut notes).unwrap();
        assert!(
            body.starts_with("type = \"count\"\nbuckets = [0, 1, 3,"),
            "{body}"
        );
        assert!(body.trim_end().ends_with("60000]"), "{body}");
        assert!(notes.is_empty());
        let m = parse("range_min: 0\nrange_max: 100\nhistogram_type: linear\n");
        assert_eq!(
            custom_range(&m, &mut notes).unwrap(),
            "type = \"count\"\nbuckets = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]\n"
        );
        let m = parse("range_min: 100\nrange_max: 1\n");
        assert!(custom_range(&m, &mut notes).unwrap_err().contains("empty"));
        let m = parse("histogram_type: logarithmic\n");
        custom_range(&m, &mut notes).unwrap();
        assert!(
            notes.iter().any(|n| n.contains("no `range_max`")),
            "{notes:?}"
        );
        assert!(
            notes.iter().any(|n| n.contains("`logarithmic` is unknown")),
            "{notes:?}"
        );
    }

    #[test]
    fn categories_are_never_paths_and_fields_never_clash() {
        let root = super::super::yaml::parse(
            "\"../evil/x\":\n  m:\n    type: event\n    expires: never\n    extra_keys:\n      occurrences: {type: quantity}\n      Occurrences: {type: boolean}\n",
        )
        .unwrap();
        let mut problems = Vec::new();
        let got = metrics(&root, &BTreeMap::new(), &mut problems);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].path, "evil_x/evil_x_m.toml");
        let doc: toml_edit::DocumentMut = got[0].text.parse().unwrap();
        let fields: Vec<&str> = doc["fields"]
            .as_table()
            .unwrap()
            .iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(fields, ["occurrences", "extra_occurrences"]);
        assert_eq!(got[0].undecided, ["free text"], "the third name clashes");
    }
}
