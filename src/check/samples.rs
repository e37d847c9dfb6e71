//! Sample payloads (rule `sample-pii`):
//! proptest generates a metric's payloads across its whole declared domain,
//! the PII engine scans them, and the first payload it reports is shrunk to a
//! minimal counterexample.
//!
//! Two sources of payloads share one search ([`find_pii`]):
//! - **through the generated types** (`cargo xtask audit`): the `metrics`
//!   crate's `samples` example feeds raw inputs through the generated
//!   constructors, serializes the values exactly as a client would, and
//!   prints one [`outcome_line`] per metric and event; [`Compiled::parse`]
//!   reads them back;
//! - **from the model** (`privet check --samples`, and for metrics the
//!   generated crate does not hold): the JSON the generated types would send,
//!   built from the proposal alone, for registries without a built crate.

use std::collections::BTreeMap;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{
    Config as RunnerConfig, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner,
};
use serde_json::{Map, Value};

use crate::date::Date;
use crate::diagnostic::{Diagnostic, FileRef};
use crate::load::Registry;
use crate::model::{FieldType, Proposal};
use crate::pii;

use crate::rules::{Rule, Severity};

pub const SAMPLE_PII: Rule = Rule {
    id: "sample-pii",
    family: "privacy",
    severity: Severity::Error,
    summary: "a payload the metric can send contains personal data",
    what: "In `cargo xtask audit`, the `metrics` crate's `samples` example generates payloads \
           through the generated types: raw inputs (listed and adversarial strings, numbers \
           around every bucket edge as well as extreme and negative ones, version strings, \
           strings generated from the pattern) go through \
           the generated constructors, which bucket, truncate, map to `other` and validate; the \
           JSON each value serializes to, byte for byte what a client sends, is scanned by the \
           PII engine. That covers every bucket label, enum value and `other`, set subsets \
           with their unknown-count bucket, versions, truncated dates, map subsets and pattern \
           strings (the `metrics` crate's generated coverage tests check that every bucket \
           label, enum value, set item and map key comes up). Every event payload (envelope \
           and shipped metrics) is sampled the same \
           way. A finding fails the metric with the shrunk counterexample. Sampling is \
           deterministic (a fixed seed) and takes `thresholds.sample_cases` payloads per \
           metric and event (default 256); nothing is enumerated exhaustively here, because \
           the finite parts already are: every enum value, set item and map key by \
           `pii-in-domain`, and every string a pattern admits, exactly, by \
           `pattern-admits-pii`. `privet check --samples`, metrics the build does not hold, \
           and an audit whose generated code is stale build the same payloads from the \
           proposal instead (the finding says which); from the proposal, only metrics with \
           a string pattern (also as a map's value) are sampled, since every other domain \
           is enumerated by `pii-in-domain` or is a fixed shape of digits and separators \
           the generated code writes (bucket labels, versions, dates, booleans), and the \
           report says how many were sampled.",
    why: "The rules above judge each value alone; a payload is what actually leaves the \
          installation. Sampling whole payloads checks them the way a collector sees them.",
    example: "[fields.site]\ntype = \"string\"\npattern = '(www|db)[0-9]\\.corp\\.example\\.com'\nmax_len = 40",
};

/// Where sample payloads come from, if they are checked at all.
#[derive(Clone, Debug, Default)]
pub enum Samples {
    /// No sample payloads (`sample-pii` does not run).
    #[default]
    Off,
    /// Payloads built from the proposals alone.
    Model,
    /// Outcomes of payloads built through the compiled generated types; a
    /// metric they do not cover falls back to the model.
    Compiled(Arc<Compiled>),
}

/// A payload the PII engine reports, shrunk: its JSON text and the first
/// finding in it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counterexample {
    pub payload: String,
    pub kind: String,
    pub pointer: String,
}

/// What was sampled: a metric's own JSON, or a whole event payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Metric,
    Event,
}

/// One line of the `samples` example's output.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeLine {
    target: Target,
    name: String,
    cases: u32,
    counterexample: Option<Counterexample>,
}

/// The outcomes of sampling through the generated types, by metric and by event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Compiled {
    /// Payloads tried per metric and event.
    pub cases: u32,
    pub metrics: BTreeMap<String, Option<Counterexample>>,
    pub events: BTreeMap<String, Option<Counterexample>>,
}

impl Compiled {
    /// Reads the JSON Lines the `samples` example prints ([`outcome_line`]).
    pub fn parse(text: &str) -> Result<Compiled, String> {
        let mut out = Compiled::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let o: OutcomeLine = serde_json::from_str(line)
                .map_err(|e| format!("line {}: not a sample outcome: {e}", i + 1))?;
            out.cases = out.cases.max(o.cases);
            let map = match o.target {
                Target::Metric => &mut out.metrics,
                Target::Event => &mut out.events,
            };
            map.insert(o.name, o.counterexample);
        }
        if out.metrics.is_empty() && out.events.is_empty() {
            return Err("no sample outcomes".into());
        }
        Ok(out)
    }
}

/// The line the `samples` example prints for one metric or event.
pub fn outcome_line(
    target: Target,
    name: &str,
    cases: u32,
    counterexample: Option<Counterexample>,
) -> String {
    serde_json::to_string(&OutcomeLine {
        target,
        name: name.to_string(),
        cases,
        counterexample,
    })
    .expect("an outcome serializes")
}

/// Generates `cases` payloads from `strategy` (a fixed seed) and scans each;
/// returns the first one with a finding, shrunk, or `None` if all are clean.
/// Text that is not JSON counts as a finding (kind `invalid-json`).
pub fn find_pii(strategy: &impl Strategy<Value = String>, cases: u32) -> Option<Counterexample> {
    find_pii_with(strategy, cases, &pii::Settings::default())
}

/// [`find_pii`] under a registry's PII settings (its public hosts).
pub fn find_pii_with(
    strategy: &impl Strategy<Value = String>,
    cases: u32,
    settings: &pii::Settings,
) -> Option<Counterexample> {
    let config = RunnerConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 1024,
        ..RunnerConfig::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let result = runner.run(strategy, |payload| {
        match first_finding(&payload, settings) {
            Some((kind, pointer)) => Err(TestCaseError::fail(format!("{kind} at {pointer}"))),
            None => Ok(()),
        }
    });
    match result {
        Err(TestError::Fail(_, payload)) => {
            let (kind, pointer) = first_finding(&payload, settings).unwrap_or_default();
            Some(Counterexample {
                payload,
                kind,
                pointer,
            })
        }
        // Too many rejects (a pattern proptest rarely satisfies within max_len): nothing found.
        Err(TestError::Abort(_)) | Ok(()) => None,
    }
}

/// The kind and pointer of the first finding in `payload`.
fn first_finding(payload: &str, settings: &pii::Settings) -> Option<(String, String)> {
    match settings.scan_json(payload) {
        Ok(found) => found
            .first()
            .map(|f| (f.kind.as_str().to_string(), f.pointer.clone())),
        Err(e) => Some(("invalid-json".into(), format!("byte {}", e.offset))),
    }
}

/// A strategy for the JSON the generated type of `ty` sends.
fn field_strategy(ty: &FieldType) -> BoxedStrategy<Value> {
    let names =
        |v: &[crate::model::Spanned<String>]| v.iter().map(|x| x.value.clone()).collect::<Vec<_>>();
    match ty {
        FieldType::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        FieldType::Enum { values } => {
            let mut all = names(values);
            all.push(crate::domain::ENUM_OTHER.into());
            proptest::sample::select(all)
                .prop_map(Value::String)
                .boxed()
        }
        FieldType::Set { values } => {
            let items = names(values);
            let n = items.len();
            let unknown = crate::domain::set_unknown_labels();
            (
                proptest::sample::subsequence(items, 0..=n),
                proptest::sample::select(unknown),
            )
                .prop_map(
                    |(items, unknown)| serde_json::json!({ "items": items, "unknown": unknown }),
                )
                .boxed()
        }
        FieldType::Count { buckets } | FieldType::Duration { buckets, .. } => {
            proptest::sample::select(buckets.labels())
                .prop_map(Value::String)
                .boxed()
        }
        FieldType::Version { resolution, parts } => {
            let ranges = crate::model::PartRanges::of(*resolution, parts.as_ref());
            let parts: Vec<_> = ranges
                .0
                .iter()
                .map(|&(lo, hi)| lo..=hi.min(lo + 999))
                .collect();
            prop_oneof![
                9 => parts.prop_map(|p| {
                    Value::String(p.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
                }),
                1 => Just(Value::String("unknown".into())),
            ]
            .boxed()
        }
        FieldType::Date { resolution, span } => {
            let resolution = *resolution;
            (span.first().to_days()..=span.last().to_days())
                .prop_map(move |days| {
                    let d = crate::domain::truncate(Date::from_days(days), resolution);
                    Value::String(d.to_string())
                })
                .boxed()
        }
        FieldType::Map { keys, value } => {
            let inner = field_strategy(value);
            let n = keys.len();
            proptest::sample::subsequence(names(keys), 0..=n)
                .prop_flat_map(move |ks| {
                    ks.into_iter()
                        .map(|k| inner.clone().prop_map(move |v| (k.clone(), v)))
                        .collect::<Vec<_>>()
                })
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<String, Value>>()))
                .boxed()
        }
        FieldType::String {
            pattern,
            max_len,
            automaton,
        } => {
            let max = *max_len as usize;
            let automaton = automaton.clone();
            let generated = crate::automaton::generation_pattern(&pattern.value)
                .unwrap_or_else(|| pattern.value.clone());
            match proptest::string::string_regex(&format!("(?:{generated})")) {
                Ok(s) => s
                    .prop_filter("not accepted by the field", move |v| {
                        v.chars().count() <= max && automaton.matches(v)
                    })
                    .prop_map(Value::String)
                    .boxed(),
                // Patterns proptest cannot generate from are decided by `pattern-admits-pii`.
                Err(_) => Just(Value::String(String::new())).boxed(),
            }
        }
    }
}

/// The model's payloads of `p`: its fields' JSON, as the generated type sends it.
pub fn model_strategy(p: &Proposal) -> Option<BoxedStrategy<String>> {
    let fields: Vec<(String, BoxedStrategy<Value>)> = p
        .fields
        .iter()
        .filter_map(|f| {
            f.ty.as_ref()
                .map(|t| (f.name.value.clone(), field_strategy(&t.value)))
        })
        .collect();
    if fields.is_empty() {
        return None;
    }
    Some(
        fields
            .into_iter()
            .map(|(name, s)| s.prop_map(move |v| (name.clone(), v)))
            .collect::<Vec<_>>()
            .prop_map(|pairs| {
                Value::Object(pairs.into_iter().collect::<Map<String, Value>>()).to_string()
            })
            .boxed(),
    )
}

/// Whether sampling `p` can find something no other rule decides. The PII
/// engine judges each value under the key it is sent with, so a domain it
/// can list is decided here, value by value, and only the rest is sampled.
/// Sampled: a field whose text a contributor's pattern bounds. Not sampled: enum values and map keys, which `pii-in-domain`
/// enumerates exactly under the name they are sent with; a set whose items
/// (sent under `items`) and unknown-count labels all scan clean here; and
/// the fixed shapes the generated code writes (bucket labels, versions,
/// dates, booleans), unless [`fixed_shape_reports`] finds that the engine
/// reports one of them under the name it is sent with (a version `0.100`
/// under `latitude` reads as a coordinate).
pub fn needs_sampling(p: &Proposal) -> bool {
    fn open(name: &str, ty: &FieldType) -> bool {
        match ty {
            FieldType::String { .. } => true,
            FieldType::Set { .. } => fixed_shape_reports(name, ty),
            FieldType::Enum { .. } => false,
            FieldType::Map { keys, value } => keys.iter().any(|k| open(&k.value, value)),
            _ => fixed_shape_reports(name, ty),
        }
    }
    p.fields
        .iter()
        .any(|f| f.ty.as_ref().is_some_and(|t| open(&f.name.value, &t.value)))
}

/// Payloads tried per fixed shape and name whose values are not few
/// enough to list (versions and dates).
const FIXED_SHAPE_CASES: u32 = 512;

/// Whether the PII engine reports any value of the fixed-shape type `ty`
/// sent under the name `name`: bucket labels, booleans and a set's items
/// and unknown-count labels are listed exactly, versions and dates sampled. Each (name, shape) is decided once
/// per process: a registry repeats a few names and shapes many times.
pub fn fixed_shape_reports(name: &str, ty: &FieldType) -> bool {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static DECIDED: OnceLock<Mutex<HashMap<(String, String), bool>>> = OnceLock::new();
    let shape = match ty {
        FieldType::Set { values } => {
            let items: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
            format!("set {items:?}")
        }
        FieldType::Bool => "bool".to_string(),
        FieldType::Count { buckets } | FieldType::Duration { buckets, .. } => {
            format!("labels {:?}", buckets.edges)
        }
        FieldType::Version { resolution, parts } => format!("version {resolution:?} {parts:?}"),
        FieldType::Date { resolution, span } => {
            format!("date {resolution:?} {}..{}", span.first(), span.last())
        }
        _ => return true,
    };
    let key = (name.to_string(), shape);
    let decided = DECIDED.get_or_init(Default::default);
    if let Some(&known) = decided
        .lock()
        .ok()
        .and_then(|m| m.get(&key).copied())
        .as_ref()
    {
        return known;
    }
    let object = |v: Value| Value::Object(Map::from_iter([(name.to_string(), v)])).to_string();
    let listed: Option<Vec<Value>> = match ty {
        FieldType::Bool => Some(vec![Value::Bool(false), Value::Bool(true)]),
        FieldType::Count { buckets } | FieldType::Duration { buckets, .. } => {
            Some(buckets.labels().into_iter().map(Value::String).collect())
        }
        _ => None,
    };
    if let FieldType::Set { values } = ty {
        // Items are sent under `items`, the unknown count under `unknown`.
        let unknown = crate::domain::set_unknown_labels();
        let reports = values.iter().any(|v| {
            first_finding(
                &serde_json::json!({ name: { "items": [v.value] } }).to_string(),
                &pii::Settings::default(),
            )
            .is_some()
        }) || unknown.into_iter().any(|u| {
            first_finding(
                &serde_json::json!({ name: { "unknown": u } }).to_string(),
                &pii::Settings::default(),
            )
            .is_some()
        });
        if let Ok(mut m) = decided.lock() {
            m.insert(key, reports);
        }
        return reports;
    }
    let reports = match listed {
        Some(values) => values
            .into_iter()
            .any(|v| first_finding(&object(v), &pii::Settings::default()).is_some()),
        None => {
            let name = name.to_string();
            let strategy = field_strategy(ty)
                .prop_map(move |v| Value::Object(Map::from_iter([(name.clone(), v)])).to_string());
            find_pii(&strategy, FIXED_SHAPE_CASES).is_some()
        }
    };
    if let Ok(mut m) = decided.lock() {
        m.insert(key, reports);
    }
    reports
}

/// Checks sample payloads of `p`: the compiled outcome when there is one,
/// otherwise `cases` payloads of the model, for a metric that
/// [`needs_sampling`].
pub fn check(
    p: &Proposal,
    cases: u32,
    samples: &Samples,
    settings: &pii::Settings,
    out: &mut Vec<Diagnostic>,
) {
    let (found, source) = match samples {
        Samples::Off => return,
        Samples::Compiled(c) if c.metrics.contains_key(&p.name) => (
            // The build scanned without this registry's settings: what it
            // found must still be found under them.
            c.metrics[&p.name]
                .clone()
                .filter(|c| first_finding(&c.payload, settings).is_some()),
            "built through the generated types",
        ),
        Samples::Compiled(_) | Samples::Model if !needs_sampling(p) => return,
        Samples::Compiled(_) | Samples::Model => match model_strategy(p) {
            Some(s) => (
                find_pii_with(&s, cases, settings),
                "built from the proposal",
            ),
            None => return,
        },
    };
    if let Some(c) = found {
        out.push(
            Diagnostic::new(
                &SAMPLE_PII,
                p.file,
                field_span(p, &c.pointer),
                format!(
                    "a payload `{}` can send holds personal data: {} at {} (sample {source})",
                    p.name, c.kind, c.pointer
                ),
            )
            .label(c.payload.clone())
            .help(format!(
                "smallest payload found: {}; narrow the field (a coarser type, an allow-list, a tighter pattern)",
                c.payload
            ))
            .metric(&p.name),
        );
    }
}

/// The span of the field a JSON pointer into `p`'s object starts with
/// (`/site/0` → field `site`), or the whole file when there is none.
fn field_span(p: &Proposal, pointer: &str) -> std::ops::Range<usize> {
    let first = pointer
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    let name = first.replace("~1", "/").replace("~0", "~");
    p.field(&name).map_or(0..0, |f| f.name.span.clone())
}

/// Findings in whole event payloads built through the generated types. One
/// inside a metric's object is that metric's (unless its own samples already
/// failed); one in the envelope is a fault of the generated envelope.
pub fn check_events(registry: &Registry, samples: &Samples, out: &mut Vec<Diagnostic>) {
    let Samples::Compiled(c) = samples else {
        return;
    };
    for (event, found) in &c.events {
        let Some(found) = found else { continue };
        let metric = found
            .pointer
            .strip_prefix("/metrics/")
            .map(|rest| rest.split('/').next().unwrap_or(rest));
        let proposal = metric.and_then(|m| registry.proposals.iter().find(|p| p.name == m));
        let message = format!(
            "an event payload (`{event}`) holds personal data: {} at {} (sample built through the generated types)",
            found.kind, found.pointer
        );
        let help = format!("smallest payload found: {}", found.payload);
        let d = match proposal {
            Some(p) if c.metrics.get(&p.name).is_some_and(Option::is_some) => continue,
            Some(p) => {
                let within = found
                    .pointer
                    .strip_prefix("/metrics/")
                    .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
                    .unwrap_or("");
                Diagnostic::new(&SAMPLE_PII, p.file, field_span(p, within), message)
                    .help(help)
                    .metric(&p.name)
            }
            None => {
                let modules = registry
                    .config
                    .generate
                    .modules_dir()
                    .unwrap_or_else(|| "src/generated".into());
                let file = FileRef::Path(format!("{modules}/events.rs"));
                Diagnostic::new(&SAMPLE_PII, file, 0..0, message).help(format!(
                    "{help}; the envelope is generated by privet: please report this as a bug"
                ))
            }
        };
        out.push(d);
    }
}
