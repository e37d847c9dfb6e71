//! Sample payloads (rule `sample-pii`, declared in `rules/privacy.rs`):
//! proptest generates a metric's payloads across its whole declared domain,
//! in the JSON shape the generated types send, and the PII engine scans
//! them; the first payload it reports is shrunk to a minimal counterexample.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{
    Config as RunnerConfig, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner,
};
use serde_json::{Map, Value};

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::model::{DateResolution, FieldType, Proposal, VersionResolution};
use crate::pii;
use crate::rules::privacy::SAMPLE_PII;

/// A strategy for the JSON the generated type of `ty` sends.
fn field_strategy(ty: &FieldType) -> BoxedStrategy<Value> {
    let names =
        |v: &[crate::model::Spanned<String>]| v.iter().map(|x| x.value.clone()).collect::<Vec<_>>();
    match ty {
        FieldType::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        FieldType::Enum { values } => {
            let mut all = names(values);
            all.push("other".into());
            proptest::sample::select(all)
                .prop_map(Value::String)
                .boxed()
        }
        FieldType::Set { values } => {
            let items = names(values);
            let n = items.len();
            let unknown = crate::buckets::labels(crate::buckets::SET_UNKNOWN_EDGES);
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
        FieldType::Version { resolution } => {
            let parts = match resolution {
                VersionResolution::Major => 1,
                VersionResolution::Minor => 2,
                VersionResolution::Patch => 3,
            };
            prop_oneof![
                9 => proptest::collection::vec(0u32..1_000, parts).prop_map(|p| {
                    Value::String(p.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
                }),
                1 => Just(Value::String("unknown".into())),
            ]
            .boxed()
        }
        FieldType::Date { resolution } => {
            let resolution = *resolution;
            (-719_162i64..2_932_896)
                .prop_map(move |days| {
                    let d = Date::from_days(days);
                    let d = match resolution {
                        DateResolution::Day => d,
                        DateResolution::Week => d.add_days(1 - i64::from(d.weekday())),
                        DateResolution::Month => Date::new(d.year, d.month, 1).unwrap_or(d),
                    };
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
            pattern, max_len, ..
        } => {
            let max = *max_len as usize;
            match proptest::string::string_regex(&format!("(?:{})", pattern.value)) {
                Ok(s) => s
                    .prop_filter("longer than max_len", move |v| v.chars().count() <= max)
                    .prop_map(Value::String)
                    .boxed(),
                // Patterns proptest cannot generate from are decided by `pattern-admits-pii`.
                Err(_) => Just(Value::String(String::new())).boxed(),
            }
        }
    }
}

/// Checks `cases` sample payloads of `p`.
pub fn check(p: &Proposal, cases: u32, out: &mut Vec<Diagnostic>) {
    let fields: Vec<(String, BoxedStrategy<Value>)> = p
        .fields
        .iter()
        .filter_map(|f| {
            f.ty.as_ref()
                .map(|t| (f.name.value.clone(), field_strategy(&t.value)))
        })
        .collect();
    if fields.is_empty() {
        return;
    }
    let strategy = fields
        .into_iter()
        .map(|(name, s)| s.prop_map(move |v| (name.clone(), v)))
        .collect::<Vec<_>>()
        .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<String, Value>>()));
    let config = RunnerConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..RunnerConfig::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let result = runner.run(&strategy, |payload| {
        let text = payload.to_string();
        match pii::scan_json(&text) {
            Ok(found) if !found.is_empty() => {
                let f = &found[0];
                Err(TestCaseError::fail(format!(
                    "{} at {}",
                    f.kind.as_str(),
                    f.pointer
                )))
            }
            _ => Ok(()),
        }
    });
    if let Err(TestError::Fail(reason, payload)) = result {
        out.push(
            Diagnostic::new(
                &SAMPLE_PII,
                p.file,
                0..0,
                format!("a payload `{}` can send holds personal data: {reason}", p.name),
            )
            .label(payload.to_string())
            .help(format!(
                "smallest payload found: {payload}; narrow the field (a coarser type, an allow-list, a tighter pattern)"
            ))
            .metric(&p.name),
        );
    }
}
