//! `privet validate`: payloads that arrived, checked against the registry.
//!
//! Each payload must be an event envelope as the generated types send it
//! (`installation_id`, `event`, `schema_version`, `sent`, `metrics`), each
//! metric one the registry ships in that event, each value of the declared
//! resolution. Values are checked against the registry model directly, the
//! same model the JSON Schemas are computed from ([`crate::generate`]), so a
//! problem names the field and what it expects; every string and number is
//! also scanned for PII ([`crate::pii`]).
//!
//! A collector written in Rust uses [`Validator`] on each payload it
//! receives; `privet validate FILE...` prints the same report.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::config::Config;
use crate::domain::{self, Leaf};
use crate::model::{DateResolution, DateSpan, FieldType, Proposal};
use crate::pii::{self, Kind};
use crate::shipping::{generated_proposals, shippable};

/// What is wrong with a payload, at one JSON pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line where the payload starts in its input.
    pub line: usize,
    /// JSON pointer of the value (`""` for the payload itself).
    pub pointer: String,
    pub kind: ProblemKind,
    /// What is wrong, in words.
    pub message: String,
    /// What the registry expects there, when it says.
    pub expected: Option<String>,
    /// For a `pii` problem, what judging its rarity needs (see
    /// [`crate::rarity`]).
    pub rarity: Option<RarityKey>,
}

/// What judging a `pii` problem's rarity needs: its value's key, the
/// installation that sent it (none when the payload names none), and
/// whether it is a credential never left out: a password, a provider's
/// token, a secret by its key that no machine made
/// ([`crate::rarity::Flagged::issued`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RarityKey {
    pub value: u64,
    pub installation: Option<u64>,
    pub credential: bool,
    /// The domain a drawn host name is under, or the pattern a numbered
    /// one is in ([`crate::rarity::Flagged::parent`]).
    pub parent: Option<u64>,
}

/// The kinds of [`Problem`], as named in `--format json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemKind {
    /// The input is not JSON.
    NotJson,
    /// The input holds no payload at all (empty, or only white space).
    NoPayload,
    /// A payload or a value that must be an object is not one.
    NotAnObject,
    /// A required key is absent.
    Missing,
    /// A key the registry does not declare there.
    UnknownField,
    /// An `event` the registry does not declare.
    UnknownEvent,
    /// A `schema_version` other than the registry's.
    SchemaVersion,
    /// A metric the registry does not have.
    UnknownMetric,
    /// A metric the registry has but does not ship (not approved, or
    /// approved for an earlier definition).
    UnapprovedMetric,
    /// A metric that ships, but not in this event.
    WrongEvent,
    /// A metric sent on or after its expiry date: it stopped shipping.
    ExpiredMetric,
    /// A value outside its field's declared resolution.
    InvalidValue,
    /// A value that looks like personal or identifying data.
    Pii(Kind),
}

impl ProblemKind {
    /// The kind's name in `--format json` and in human output.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::NotJson => "not-json",
            ProblemKind::NoPayload => "no-payload",
            ProblemKind::NotAnObject => "not-an-object",
            ProblemKind::Missing => "missing",
            ProblemKind::UnknownField => "unknown-field",
            ProblemKind::UnknownEvent => "undeclared-event",
            ProblemKind::SchemaVersion => "schema-version",
            ProblemKind::UnknownMetric => "unknown-metric",
            ProblemKind::UnapprovedMetric => "unapproved-metric",
            ProblemKind::WrongEvent => "wrong-event",
            ProblemKind::ExpiredMetric => "expired-metric",
            ProblemKind::InvalidValue => "bad-value",
            ProblemKind::Pii(_) => "pii",
        }
    }
}

/// What validating some input found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validation {
    /// Payloads read.
    pub payloads: usize,
    /// Payloads with no problem.
    pub valid: usize,
    pub problems: Vec<Problem>,
    /// Payloads per event name (as sent, known or not).
    pub events: BTreeMap<String, usize>,
    /// Payloads per schema version.
    pub versions: BTreeMap<u64, usize>,
    /// Per registry metric that ships, the payloads that carried it.
    pub seen: BTreeMap<String, usize>,
    /// Rarity, when judged: installations seen among the payloads with
    /// `pii` problems, and the problems left out as common values.
    pub rarity: Option<(usize, usize)>,
    /// What rarity saw: each flagged value's installations (for a
    /// [`crate::rarity::Sketch`] kept across runs).
    pub observed: Option<crate::rarity::Counter>,
}

impl Validation {
    /// Adds `other`'s counts and problems to this one.
    pub fn merge(&mut self, other: Validation) {
        self.payloads += other.payloads;
        self.valid += other.valid;
        self.problems.extend(other.problems);
        for (k, n) in other.events {
            *self.events.entry(k).or_default() += n;
        }
        for (k, n) in other.versions {
            *self.versions.entry(k).or_default() += n;
        }
        for (k, n) in other.seen {
            *self.seen.entry(k).or_default() += n;
        }
        if let Some((installations, hidden)) = other.rarity {
            let (i, h) = self.rarity.get_or_insert((0, 0));
            *i += installations;
            *h += hidden;
        }
        if let Some(observed) = other.observed {
            match &mut self.observed {
                Some(mine) => mine.merge(&observed),
                None => self.observed = Some(observed),
            }
        }
    }
}

/// The envelope's keys, in the order the generated types send them.
pub const ENVELOPE: &[&str] = &[
    "installation_id",
    "event",
    "schema_version",
    "sent",
    "metrics",
];

/// The registry as payloads are checked against it: every generated metric
/// by name, and whether it ships.
pub struct Validator<'a> {
    config: &'a Config,
    metrics: BTreeMap<&'a str, (&'a Proposal, bool)>,
    /// What earlier runs saw ([`Validator::with_rarity_state`]).
    prior: Option<&'a crate::rarity::Sketch>,
}

impl<'a> Validator<'a> {
    pub fn new(proposals: &'a [Proposal], config: &'a Config) -> Self {
        let metrics = generated_proposals(proposals)
            .into_iter()
            .map(|p| (p.name.as_str(), (p, shippable(p, config))))
            .collect();
        Validator {
            config,
            metrics,
            prior: None,
        }
    }

    /// Judges rarity with what earlier runs saw as well (a collector that
    /// validates payloads as they come keeps a [`crate::rarity::Sketch`]).
    pub fn with_rarity_state(mut self, sketch: &'a crate::rarity::Sketch) -> Self {
        self.prior = Some(sketch);
        self
    }

    /// The metrics that ship (what [`Validation::seen`] counts).
    pub fn shipped(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.metrics
            .iter()
            .filter(|(_, (_, ships))| *ships)
            .map(|(name, _)| *name)
    }

    /// Validates `text`: JSON Lines (one payload per line), or a stream of
    /// JSON documents (one pretty-printed payload, or several in a row as
    /// `jq .` prints them), whichever reads with fewer errors.
    pub fn validate_text(&self, text: &str) -> Validation {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut out = Validation::default();
        // JSON Lines, when the first payload is one line: each line is read,
        // checked and dropped in turn (time and memory in proportion to one
        // payload, not to the input).
        let first = text.split('\n').find(|l| !l.trim().is_empty());
        if let Some(first) = first
            && strict(first).is_ok()
        {
            let lines: Vec<(usize, &str)> = text
                .split('\n')
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .collect();
            // Blocks of lines on all cores, tallied per block and merged in
            // order (problems stay in line order).
            let blocks =
                crate::parallel::par_map(&lines.chunks(512).collect::<Vec<_>>(), |block| {
                    let mut tally = Validation::default();
                    for &(i, line) in *block {
                        match strict(line) {
                            Ok(read) => self.validate_read(&read, line, i + 1, &mut tally),
                            Err(e) => {
                                tally.problems.push(not_json(i + 1, &e));
                                // What came before the error is still PII.
                                let mut v = PayloadCheck::new(i + 1);
                                v.pii(self.config.pii.scan_json_partial(line).0, line);
                                tally.problems.extend(v.problems);
                            }
                        }
                    }
                    tally
                });
            for tally in blocks {
                out.merge(tally);
            }
            judge_rarity(&mut out, crate::rarity::DEFAULT_K, self.prior);
            return out;
        }
        let lines = split_lines(text);
        let documents = split_documents(text);
        let errors = |parts: &[Part]| parts.iter().filter(|p| p.value.is_err()).count();
        let parts = if lines.len() > 1 && errors(&documents) < errors(&lines) {
            documents
        } else {
            lines
        };
        if parts.is_empty() {
            // An empty upload is a truncated one, not a clean one.
            out.problems.push(Problem {
                line: 1,
                pointer: String::new(),
                kind: ProblemKind::NoPayload,
                message: "no payload: the input is empty (a truncated upload, or the wrong file?)"
                    .into(),
                expected: Some("one JSON payload per line, or JSON documents".into()),
                rarity: None,
            });
        }
        for part in parts {
            match part.value {
                Ok(read) => {
                    let first = out.problems.len();
                    self.validate_read(&read, part.text, part.line, &mut out);
                    if part.text.contains('\n') {
                        place_in_document(part.text, part.line, &mut out.problems[first..]);
                    }
                }
                Err(e) => out.problems.push(not_json(part.line, &e)),
            }
        }
        out
    }

    /// [`Self::validate_into`] for a payload as read: a number out of a
    /// double's range is one problem where it stands, instead of what its
    /// stand-in `null` would have made of it.
    fn validate_read(&self, read: &Read, text: &str, line: usize, out: &mut Validation) {
        let first = out.problems.len();
        self.validate_into(&read.value, text, line, out);
        if read.huge.is_empty() {
            return;
        }
        if out.problems.len() == first {
            out.valid -= 1; // counted valid, but for its out-of-range numbers
        }
        let tail = out.problems.split_off(first);
        out.problems.extend(
            tail.into_iter()
                .filter(|p| !read.huge.iter().any(|(at, _)| *at == p.pointer)),
        );
        for (at, n) in &read.huge {
            out.problems.push(Problem {
                line,
                pointer: at.clone(),
                kind: ProblemKind::InvalidValue,
                message: format!(
                    "`{}` is out of a double's range: one reader refuses the payload, another reads infinity",
                    crate::diagnostic::clip(n, 40)
                ),
                expected: None,
                rarity: None,
            });
        }
    }

    /// Validates one payload, whose JSON text is `text` (scanned for PII)
    /// and which starts on `line` of its input.
    pub fn validate_payload(&self, payload: &Value, text: &str, line: usize) -> Validation {
        let mut out = Validation::default();
        self.validate_into(payload, text, line, &mut out);
        out
    }

    /// [`Validator::validate_payload`], adding to `out` (no tally built and
    /// merged per payload).
    fn validate_into(&self, payload: &Value, text: &str, line: usize, out: &mut Validation) {
        let mut v = PayloadCheck::new(line);
        v.installation = payload
            .pointer(crate::rarity::DEFAULT_POINTER)
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .map(crate::rarity::installation_key);
        out.payloads += 1;
        if let Some(obj) = payload.as_object() {
            self.envelope(obj, &mut v, out);
        } else {
            v.problem(
                "",
                ProblemKind::NotAnObject,
                format!("a payload is a JSON object, not {}", describe(payload)),
                Some(format!("an object with {}", keys_list(ENVELOPE))),
            );
        }
        if let Ok(findings) = self.config.pii.scan_json(text) {
            v.pii(findings, text);
        }
        v.problems.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        out.valid += usize::from(v.problems.is_empty());
        out.problems.extend(v.problems);
    }

    fn envelope(&self, obj: &Map<String, Value>, v: &mut PayloadCheck, out: &mut Validation) {
        let missing: Vec<&str> = ENVELOPE
            .iter()
            .copied()
            .filter(|k| !obj.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            v.problem(
                "",
                ProblemKind::Missing,
                format!(
                    "not a privet payload: the envelope has no {}",
                    keys_list(&missing)
                ),
                Some(format!("an object with {}", keys_list(ENVELOPE))),
            );
        }
        for (key, value) in obj.iter().filter(|(k, _)| !ENVELOPE.contains(&k.as_str())) {
            let at = pointer("", key);
            v.problem(
                &at,
                ProblemKind::UnknownField,
                format!("{} is not part of the payload envelope", quoted(key)),
                None,
            );
            unbucketed(value, &at, v);
        }
        if let Some(id) = obj.get("installation_id")
            && !id.as_str().is_some_and(is_uuid_v4)
        {
            v.problem(
                "/installation_id",
                ProblemKind::InvalidValue,
                format!("{} is not a random installation id", describe(id)),
                Some("a lower-case UUIDv4, generated by the client".into()),
            );
        }
        let event = obj.get("event").and_then(Value::as_str);
        match (obj.get("event"), event) {
            (None, _) => {}
            (Some(e), None) => v.problem(
                "/event",
                ProblemKind::InvalidValue,
                format!("the event is {}, not a name", describe(e)),
                Some(names_list(&self.config.events)),
            ),
            (Some(_), Some(name)) => {
                *out.events.entry(name.to_string()).or_default() += 1;
                if !self.config.events.iter().any(|e| e == name) {
                    v.problem(
                        "/event",
                        ProblemKind::UnknownEvent,
                        format!("{} is not an event of this registry", quoted(name)),
                        Some(names_list(&self.config.events)),
                    );
                }
            }
        }
        if let Some(version) = obj.get("schema_version") {
            match version.as_u64() {
                Some(n) => {
                    *out.versions.entry(n).or_default() += 1;
                    if n != u64::from(self.config.schema_version) {
                        v.problem(
                            "/schema_version",
                            ProblemKind::SchemaVersion,
                            format!(
                                "schema version {n}; the registry is at version {}",
                                self.config.schema_version
                            ),
                            Some(self.config.schema_version.to_string()),
                        );
                    }
                }
                None => v.problem(
                    "/schema_version",
                    ProblemKind::InvalidValue,
                    format!("{} is not a schema version", describe(version)),
                    Some(self.config.schema_version.to_string()),
                ),
            }
        }
        if let Some(sent) = obj.get("sent") {
            check_date(sent, DateResolution::Day, &DateSpan::default(), "/sent", v);
        }
        // The day it was sent decides whether a metric had expired.
        let sent = obj
            .get("sent")
            .and_then(Value::as_str)
            .and_then(crate::date::Date::parse);
        match obj.get("metrics") {
            None => {}
            Some(Value::Object(metrics)) => {
                let event = event.filter(|e| self.config.events.iter().any(|x| x == e));
                for (name, value) in metrics {
                    self.metric(name, value, event, sent, v, out);
                }
            }
            Some(other) => v.problem(
                "/metrics",
                ProblemKind::NotAnObject,
                format!("`metrics` is {}, not an object", describe(other)),
                Some("an object of metrics by name".into()),
            ),
        }
    }

    fn metric(
        &self,
        name: &str,
        value: &Value,
        event: Option<&str>,
        sent: Option<crate::date::Date>,
        v: &mut PayloadCheck,
        out: &mut Validation,
    ) {
        let at = pointer("/metrics", name);
        let Some((p, ships)) = self.metrics.get(name) else {
            v.problem(
                &at,
                ProblemKind::UnknownMetric,
                format!("{} is not a metric of this registry", quoted(name)),
                None,
            );
            unbucketed(value, &at, v);
            return;
        };
        if !ships {
            v.problem(
                &at,
                ProblemKind::UnapprovedMetric,
                format!(
                    "`{name}` is not approved (or was approved for an earlier definition): no client may send it"
                ),
                None,
            );
        } else if let Some(crate::model::Expiry::On(expiry)) = p.expires.as_ref().map(|e| e.value)
            && sent.is_some_and(|s| s >= expiry)
        {
            v.problem(
                &at,
                ProblemKind::ExpiredMetric,
                format!(
                    "`{name}` expired on {expiry}: it stopped shipping that day, and this payload was sent on {}",
                    sent.map(|s| s.to_string()).unwrap_or_default()
                ),
                Some(format!("no `{name}` in payloads sent from {expiry} on")),
            );
        } else {
            *out.seen.entry(name.to_string()).or_default() += 1;
            if let Some(event) = event
                && !p.events.iter().any(|e| e.value == event)
            {
                let events: Vec<String> = p.events.iter().map(|e| e.value.clone()).collect();
                v.problem(
                    &at,
                    ProblemKind::WrongEvent,
                    format!("`{name}` is not sent in `{event}` payloads"),
                    Some(format!("only in {}", names_list(&events))),
                );
            }
        }
        if value.is_null() {
            return; // the generated types read `null` as an absent metric
        }
        let Some(obj) = value.as_object() else {
            v.problem(
                &at,
                ProblemKind::NotAnObject,
                format!("metric `{name}` is {}, not an object", describe(value)),
                Some(format!("an object with {}", field_list(p))),
            );
            return;
        };
        for (key, x) in obj {
            if !p.fields.iter().any(|f| f.name.value == *key) {
                let here = pointer(&at, key);
                v.problem(
                    &here,
                    ProblemKind::UnknownField,
                    format!("{} is not a field of `{name}`", quoted(key)),
                    Some(field_list(p)),
                );
                unbucketed(x, &here, v);
            }
        }
        for f in &p.fields {
            let Some(ty) = &f.ty else { continue };
            let here = pointer(&at, &f.name.value);
            match obj.get(&f.name.value) {
                Some(x) => check_value(x, &ty.value, &f.name.value, &here, v),
                None => v.problem(
                    &at,
                    ProblemKind::Missing,
                    format!("`{name}` has no `{}`", f.name.value),
                    Some(expected(&ty.value)),
                ),
            }
        }
    }
}

/// The problems of one payload as they are found.
struct PayloadCheck {
    line: usize,
    problems: Vec<Problem>,
    /// The installation the payload names (`installation_id`), hashed.
    installation: Option<u64>,
}

impl PayloadCheck {
    fn new(line: usize) -> PayloadCheck {
        PayloadCheck {
            line,
            problems: Vec::new(),
            installation: None,
        }
    }

    /// A `pii` problem for each finding of the PII scan of `text`.
    fn pii(&mut self, findings: Vec<pii::JsonFinding>, text: &str) {
        for f in findings {
            let value = text.get(f.range.clone()).unwrap_or("");
            let flagged = crate::rarity::flagged(f.kind, &f.pointer, None, value);
            let rarity = RarityKey {
                value: flagged.value,
                installation: self.installation,
                // A machine-made key under a token key that many
                // installations send is the product's, shipped in every copy.
                credential: flagged.credential && !flagged.issued,
                parent: flagged.parent,
            };
            self.problem(
                &f.pointer,
                ProblemKind::Pii(f.kind),
                format!("{}: {}", f.kind.as_str(), f.kind.why()),
                None,
            );
            if let Some(p) = self.problems.last_mut() {
                p.rarity = Some(rarity);
            }
        }
    }

    fn problem(&mut self, at: &str, kind: ProblemKind, message: String, expected: Option<String>) {
        self.problems.push(Problem {
            line: self.line,
            pointer: at.to_string(),
            kind,
            message,
            expected,
            rarity: None,
        });
    }
}

/// Values under a key the registry does not declare that none of privet's
/// types would send: exact numbers (privet sends counts and durations as
/// bucket labels; the only number in a payload is its schema version) and
/// versions with three or more parts. Personal data there is the PII
/// scan's to report.
fn unbucketed(x: &Value, at: &str, v: &mut PayloadCheck) {
    match x {
        Value::Number(n) => v.problem(
            at,
            ProblemKind::InvalidValue,
            format!(
                "`{n}` is an exact number: privet sends none (counts and durations go as bucket labels, versions as strings cut to their parts)"
            ),
            None,
        ),
        Value::String(s) if s.split('.').count() >= 3 && crate::model::version_admits(s, s.split('.').count()) => v
            .problem(
                at,
                ProblemKind::InvalidValue,
                format!(
                    "\"{}\" is a full version: privet cuts versions to their declared parts",
                    crate::diagnostic::clip(s, 40)
                ),
                None,
            ),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                unbucketed(item, &pointer(at, &i.to_string()), v);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                unbucketed(item, &pointer(at, k), v);
            }
        }
        _ => {}
    }
}

/// Checks one field value of type `ty` at `at`.
fn check_value(x: &Value, ty: &FieldType, field: &str, at: &str, v: &mut PayloadCheck) {
    let bad = |v: &mut PayloadCheck, what: String| {
        v.problem(at, ProblemKind::InvalidValue, what, Some(expected(ty)));
    };
    // Containers are walked here; every leaf is judged by `domain`.
    match ty {
        FieldType::Bool
        | FieldType::Enum { .. }
        | FieldType::Count { .. }
        | FieldType::Duration { .. }
        | FieldType::Version { .. }
        | FieldType::String { .. } => {
            if domain::judge(ty, leaf(x)).is_ok() {
                return;
            }
            let what = match ty {
                FieldType::Bool => format!("{} is not true or false", describe(x)),
                FieldType::Enum { .. } => {
                    format!("{} is not a listed value of `{field}`", describe(x))
                }
                FieldType::Version {
                    resolution,
                    parts: None,
                } => format!(
                    "{} is not a version cut to {}",
                    describe(x),
                    resolution.shape()
                ),
                FieldType::Version {
                    resolution,
                    parts: Some(parts),
                } => format!(
                    "{} is not a version cut to {} with {}",
                    describe(x),
                    resolution.shape(),
                    parts.in_words()
                ),
                FieldType::String { .. } => {
                    format!("{} does not match the pattern of `{field}`", describe(x))
                }
                _ if x.is_number() => format!(
                    "{} is an exact number, not a bucket of `{field}`",
                    describe(x)
                ),
                _ => format!("{} is not a bucket of `{field}`", describe(x)),
            };
            bad(v, what);
        }
        FieldType::Date { resolution, span } => check_date(x, *resolution, span, at, v),
        FieldType::Set { values } => {
            let Some(obj) = x.as_object() else {
                bad(v, format!("{} is not a set", describe(x)));
                return;
            };
            for key in obj.keys().filter(|k| *k != "items" && *k != "unknown") {
                v.problem(
                    &pointer(at, key),
                    ProblemKind::UnknownField,
                    format!("a set has `items` and `unknown`, not {}", quoted(key)),
                    Some(expected(ty)),
                );
            }
            match obj.get("items") {
                Some(Value::Array(items)) => {
                    let mut seen = BTreeSet::new();
                    // Each listed item's place in the list, as sent.
                    let mut sent: Vec<(usize, usize)> = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        let here = pointer(&pointer(at, "items"), &i.to_string());
                        let name = item
                            .as_str()
                            .filter(|s| values.iter().any(|l| l.value == *s));
                        match name {
                            Some(n) if !seen.insert(n) => v.problem(
                                &here,
                                ProblemKind::InvalidValue,
                                format!("`{n}` is listed twice"),
                                None,
                            ),
                            Some(n) => {
                                if let Some(place) = values.iter().position(|l| l.value == n) {
                                    sent.push((i, place));
                                }
                            }
                            None => v.problem(
                                &here,
                                ProblemKind::InvalidValue,
                                format!(
                                    "{} is not a listed item of `{field}`: unlisted items are only counted",
                                    describe(item)
                                ),
                                Some(names_list(
                                    &values.iter().map(|l| l.value.clone()).collect::<Vec<_>>(),
                                )),
                            ),
                        }
                    }
                    // Items come in list order, as the generated types send
                    // them: in any order, n items could carry log2(n!) bits
                    // (a number, an id) the type does not declare.
                    if let Some(w) = sent.windows(2).find(|w| w[1].1 < w[0].1) {
                        let name = |place: usize| values[place].value.as_str();
                        let mut in_order: Vec<usize> = sent.iter().map(|&(_, p)| p).collect();
                        in_order.sort_unstable();
                        v.problem(
                            &pointer(&pointer(at, "items"), &w[1].0.to_string()),
                            ProblemKind::InvalidValue,
                            format!(
                                "`{}` is sent after `{}`: a set's items come in list order (in any order they could carry a number the type does not declare)",
                                name(w[1].1),
                                name(w[0].1)
                            ),
                            Some(names_list(
                                &in_order
                                    .into_iter()
                                    .map(|p| name(p).to_string())
                                    .collect::<Vec<_>>(),
                            )),
                        );
                    }
                }
                Some(other) => v.problem(
                    &pointer(at, "items"),
                    ProblemKind::InvalidValue,
                    format!("{} is not a list of items", describe(other)),
                    None,
                ),
                None => v.problem(
                    at,
                    ProblemKind::Missing,
                    "a set has no `items`".into(),
                    Some(expected(ty)),
                ),
            }
            match obj.get("unknown") {
                Some(u)
                    if u.as_str()
                        .is_some_and(|s| domain::set_unknown_labels().iter().any(|l| l == s)) => {}
                Some(u) => v.problem(
                    &pointer(at, "unknown"),
                    ProblemKind::InvalidValue,
                    format!("{} is not a bucket of unlisted items", describe(u)),
                    Some(quoted_list(
                        domain::set_unknown_labels().iter().map(String::as_str),
                    )),
                ),
                None => v.problem(
                    at,
                    ProblemKind::Missing,
                    "a set has no `unknown` count".into(),
                    Some(expected(ty)),
                ),
            }
        }
        FieldType::Map { keys, value } => {
            let Some(obj) = x.as_object() else {
                bad(v, format!("{} is not a map", describe(x)));
                return;
            };
            for (k, item) in obj {
                let here = pointer(at, k);
                if !keys.iter().any(|l| l.value == *k) {
                    let listed: Vec<String> = keys.iter().map(|l| l.value.clone()).collect();
                    v.problem(
                        &here,
                        ProblemKind::UnknownField,
                        format!("{} is not a listed key of `{field}`", quoted(k)),
                        Some(names_list(&listed)),
                    );
                } else if !item.is_null() {
                    check_value(item, value, field, &here, v);
                }
            }
        }
    }
}

fn check_date(
    x: &Value,
    resolution: DateResolution,
    span: &DateSpan,
    at: &str,
    v: &mut PayloadCheck,
) {
    let ty = FieldType::Date {
        resolution,
        span: *span,
    };
    let judged = domain::judge(&ty, leaf(x));
    if let Err(domain::Refusal::OutsideSpan(span)) = judged {
        v.problem(
            at,
            ProblemKind::InvalidValue,
            format!(
                "{} is outside the dates the field may send, {} to {}",
                describe(x),
                span.first(),
                span.last()
            ),
            Some(format!("a date from {} to {}", span.first(), span.last())),
        );
    } else if judged.is_err() {
        v.problem(
            at,
            ProblemKind::InvalidValue,
            format!(
                "{} is not a date truncated to the {}",
                describe(x),
                resolution.name()
            ),
            Some(date_expected(resolution).into()),
        );
    }
}

/// A JSON value as `domain` judges leaves.
fn leaf(x: &Value) -> Leaf<'_> {
    match x {
        Value::Bool(b) => Leaf::Bool(*b),
        Value::String(s) => Leaf::Str(s),
        Value::Number(n) => n.as_i64().map_or(Leaf::Other, Leaf::Int),
        _ => Leaf::Other,
    }
}

fn date_expected(r: DateResolution) -> &'static str {
    match r {
        DateResolution::Day => "a date, YYYY-MM-DD",
        DateResolution::Week => "the Monday of a week, YYYY-MM-DD",
        DateResolution::Month => "the first day of a month, YYYY-MM-01",
    }
}

/// A lower-case UUIDv4 (what `values::InstallationId` sends).
pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            14 => c == b'4',
            19 => matches!(c, b'8' | b'9' | b'a' | b'b'),
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
}

/// What a field of type `ty` holds, in words.
pub fn expected(ty: &FieldType) -> String {
    match ty {
        FieldType::Bool => "true or false".into(),
        FieldType::Enum { values } => {
            let mut names: Vec<String> = values.iter().map(|v| v.value.clone()).collect();
            names.push(domain::ENUM_OTHER.into());
            format!("one of {}", names_list(&names))
        }
        FieldType::Set { values } => format!(
            "{{\"items\": [listed items], \"unknown\": a count bucket}} with items from {}",
            names_list(&values.iter().map(|v| v.value.clone()).collect::<Vec<_>>())
        ),
        FieldType::Count { buckets } | FieldType::Duration { buckets, .. } => format!(
            "one of {}",
            quoted_list(
                crate::buckets::labels(&buckets.edges)
                    .iter()
                    .map(String::as_str)
            )
        ),
        FieldType::Version {
            resolution,
            parts: None,
        } => {
            format!("a {} version or \"unknown\"", resolution.shape())
        }
        FieldType::Version {
            resolution,
            parts: Some(parts),
        } => format!(
            "a {} version with {}, or \"unknown\"",
            resolution.shape(),
            parts.in_words()
        ),
        FieldType::Date { resolution, .. } => date_expected(*resolution).into(),
        FieldType::Map { keys, value } => format!(
            "an object with keys from {}, each {}",
            names_list(&keys.iter().map(|k| k.value.clone()).collect::<Vec<_>>()),
            expected(value)
        ),
        FieldType::String {
            pattern, max_len, ..
        } => format!(
            "a string matching `{}`, at most {max_len} characters",
            crate::diagnostic::clip(&pattern.value, 80)
        ),
    }
}

fn field_list(p: &Proposal) -> String {
    names_list(
        &p.fields
            .iter()
            .map(|f| f.name.value.clone())
            .collect::<Vec<_>>(),
    )
}

fn keys_list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn names_list(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(20).map(|n| format!("`{n}`")).collect();
    let more = names.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn quoted_list<'s>(items: impl Iterator<Item = &'s str>) -> String {
    items
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A key or name from the payload in a message, in backquotes; hidden
/// ([`pii::shown`]) when it is personal data: a report must not spread it.
fn quoted(name: &str) -> String {
    format!("`{}`", pii::shown(name))
}

/// A JSON value in a message: short values as written, others by kind,
/// personal data hidden ([`pii::shown`]).
fn describe(x: &Value) -> String {
    match x {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            let n = n.to_string();
            match pii::scan_number(&n, "") {
                Some(_) => format!("`{}`", pii::redact(&n)),
                None => format!("`{n}`"),
            }
        }
        Value::String(s) => format!("\"{}\"", crate::diagnostic::clip(&pii::shown(s), 60)),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// `base` + `/key`, escaped as RFC 6901 says.
fn pointer(base: &str, key: &str) -> String {
    let mut out = String::with_capacity(base.len() + key.len() + 1);
    out.push_str(base);
    out.push('/');
    if key.contains(['~', '/']) {
        out.push_str(&key.replace('~', "~0").replace('/', "~1"));
    } else {
        out.push_str(key);
    }
    out
}

/// One payload of the input: its text, the line it starts on, its value.
struct Part<'t> {
    text: &'t str,
    line: usize,
    value: Result<Read, serde_json::Error>,
}

/// A JSON value read as `Value` is, except that an object naming a key
/// twice is an error: readers disagree on which value counts (serde_json
/// keeps the last, others the first), so a payload could show a validator
/// one value and a collector another.
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "the key `{}` is given twice in one object; readers disagree on which value counts",
                    key.escape_debug()
                )));
            }
            let Strict(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// Gives each problem of a document that spans lines (pretty-printed) the
/// line of its value, instead of the line the document starts on: the
/// first scalar at or below the problem's pointer.
fn place_in_document(text: &str, first_line: usize, problems: &mut [Problem]) {
    if problems.iter().all(|p| p.pointer.is_empty()) {
        return;
    }
    let mut at: Vec<(String, usize)> = Vec::new();
    let _ = pii::json::walk(text, false, &mut |s: pii::json::Scalar| {
        at.push((s.pointer.to_string(), s.span.start));
    });
    let breaks: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    for p in problems.iter_mut().filter(|p| !p.pointer.is_empty()) {
        let below = |q: &str| {
            q == p.pointer
                || q.strip_prefix(p.pointer.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        if let Some((_, offset)) = at.iter().find(|(q, _)| below(q)) {
            p.line = first_line + breaks.partition_point(|&b| b < *offset);
        }
    }
}

/// The problem of a part starting on `line` that is not JSON.
/// Identifying means rare (see [`crate::rarity`]): across the JSON Lines of
/// one input, a `pii` problem whose value at least `k` installations sent
/// is left out, unless it is a credential recognised by what it is; a
/// payload that names no installation counts toward nothing. Payloads left
/// with no problem count as valid.
fn judge_rarity(out: &mut Validation, k: usize, prior: Option<&crate::rarity::Sketch>) {
    let mut counter = crate::rarity::Counter::new(k);
    for r in out.problems.iter().filter_map(|p| p.rarity) {
        if let Some(i) = r.installation {
            counter.see(r.value, i);
            if let Some(p) = r.parent {
                counter.see(p, i);
            }
        }
    }
    let lines = |problems: &[Problem]| -> std::collections::HashSet<usize> {
        problems.iter().map(|p| p.line).collect()
    };
    let before = lines(&out.problems);
    let kept_before = out.problems.len();
    let common = |value: u64| match prior {
        Some(sketch) => sketch.installations_with(value, counter.installations_sending(value)) >= k,
        None => counter.common(value),
    };
    out.problems.retain(|p| {
        !p.rarity
            .is_some_and(|r| !r.credential && (common(r.value) || r.parent.is_some_and(common)))
    });
    let after = lines(&out.problems);
    out.valid += before.len() - after.len();
    out.rarity = Some((counter.installations(), kept_before - out.problems.len()));
    out.observed = Some(counter);
}

fn not_json(line: usize, e: &serde_json::Error) -> Problem {
    Problem {
        line: line + e.line().saturating_sub(1),
        pointer: String::new(),
        kind: ProblemKind::NotJson,
        message: format!("not JSON: {e}"),
        expected: None,
        rarity: None,
    }
}

/// A payload as read: its value, and the numbers in it that are out of a
/// double's range (pointer and text as written), read as `null`.
struct Read {
    value: Value,
    huge: Vec<(String, String)>,
}

fn strict(text: &str) -> Result<Read, serde_json::Error> {
    match serde_json::from_str::<Strict>(text) {
        Ok(s) => Ok(Read {
            value: s.0,
            huge: Vec::new(),
        }),
        // `1e400`: one reader refuses the payload, another reads infinity.
        // It is read as `null` and reported where it stands, so the rest
        // of the payload is still checked.
        Err(e) if e.to_string().starts_with("number out of range") => {
            let mut huge = Vec::new();
            let mut spans = Vec::new();
            let _ = pii::json::walk(text, false, &mut |s: pii::json::Scalar| {
                if let pii::json::ScalarValue::Number(n) = s.value
                    && n.parse::<f64>().is_ok_and(f64::is_infinite)
                {
                    huge.push((s.pointer.to_string(), n.to_string()));
                    spans.push(s.span);
                }
            });
            if huge.is_empty() {
                return Err(e);
            }
            let mut nulled = String::with_capacity(text.len());
            let mut from = 0;
            for span in spans {
                nulled.push_str(&text[from..span.start]);
                nulled.push_str("null");
                from = span.end;
            }
            nulled.push_str(&text[from..]);
            let value = serde_json::from_str::<Strict>(&nulled).map_err(|_| e)?.0;
            Ok(Read { value, huge })
        }
        Err(e) => Err(e),
    }
}

fn split_lines(text: &str) -> Vec<Part<'_>> {
    text.split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Part {
            text: l,
            line: i + 1,
            value: strict(l),
        })
        .collect()
}

fn split_documents(text: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Strict>();
    let mut start = 0;
    // Lines are counted as the stream goes (from the start each time would
    // be quadratic in the number of documents).
    let (mut line, mut counted_to) = (1, 0);
    loop {
        let next = stream.next().map(|r| {
            r.map(|s| Read {
                value: s.0,
                huge: Vec::new(),
            })
        });
        // After an error the offset may stand inside a character.
        let end = text.floor_char_boundary(stream.byte_offset()).max(start);
        let Some(value) = next else { break };
        let skipped = text[start..end].len() - text[start..end].trim_start().len();
        let begin = start + skipped;
        line += text[counted_to..begin].matches('\n').count();
        counted_to = begin;
        let failed = value.is_err();
        out.push(Part {
            text: &text[begin..end],
            line,
            value,
        });
        if failed {
            break; // the stream cannot resume after an error
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_ids_are_what_the_value_types_send() {
        use crate::model::VersionResolution;
        let minor = VersionResolution::Minor;
        assert!(minor.admits("3.25"));
        assert!(minor.admits("unknown"));
        assert!(!minor.admits("3.25.2"));
        assert!(!minor.admits("03.25"));
        assert!(!minor.admits("3."));
        // PostgreSQL's server_version_num, uncut: the types send `unknown`.
        assert!(!VersionResolution::Major.admits("130014"));
        assert!(!minor.admits("99999.1"));
        assert!(minor.admits("9999.0"));
        assert!(is_uuid_v4("9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"));
        assert!(!is_uuid_v4("018f2b6e-4c1a-7d3e-9b5f-2a6c8e0d4f17"));
        assert!(!is_uuid_v4("9F1C2D3E-4B5A-4C6D-8E7F-0A1B2C3D4E5F"));
    }

    #[test]
    fn pointers_escape_as_rfc_6901_says() {
        assert_eq!(pointer("/metrics", "a/b~c"), "/metrics/a~1b~0c");
    }
}
