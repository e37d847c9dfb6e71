//! The generated property tests of the `metrics` crate: for every metric and
//! every event payload, arbitrary raw inputs (adversarial strings, huge and
//! negative numbers) go through the generated constructors, and the JSON that
//! comes out must (a) validate against the checked-in schema, (b) hold only
//! values of the domain declared in the proposal, and (c) round-trip through
//! `Deserialize`. The checks live in `metrics/tests/support/`.
//!
//! Two files: `strategies.rs` (a raw-input strategy per metric and event
//! payload, shared with the `samples` example that the audit runs) and
//! `mod.rs` (the properties).
//!
//! The domain (b) is written from the proposal here, independently of the
//! value types, so a bug in bucketing or truncation cannot hide behind a
//! schema derived from the same types.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::Output;
use super::code::lit;
use super::rust::{camel, event_name, metric_struct, preamble};
use crate::config::Config;
use crate::model::{FieldType, Proposal, VersionResolution};

/// Most strategies combined in one tuple (proptest implements up to 12).
const TUPLE: usize = 8;

/// The strategies module: a raw-input strategy per metric and per event
/// payload (`arb_NAME`), and the tables [`metrics()`/`events()`] of their
/// serialized JSON that the `samples` example scans for personal data.
pub fn strategies_module(
    proposals: &[&Proposal],
    config: &Config,
    shipped: &super::rust::Shipped,
) -> String {
    let mut out = preamble("privet.toml and proposals/");
    out.push_str(
        "\n//! A strategy per generated metric and event payload: raw inputs\n\
         //! (adversarial strings, extreme numbers, generated pattern strings) go\n\
         //! through the generated constructors. Used by the property tests next to\n\
         //! this file and by the `samples` example, which scans the serialized JSON.\n\n\
         #![allow(clippy::all, unused_imports, dead_code)]\n\n\
         use metrics::values::*;\n\
         use proptest::prelude::*;\n\
         use proptest::strategy::BoxedStrategy;\n\
         use crate::support::*;\n",
    );
    let per_metric = crate::parallel::par_map(proposals, |p| {
        let mut strategy = String::new();
        metric_strategy(&mut strategy, p);
        strategy
    });
    for strategy in &per_metric {
        out.push_str(strategy);
    }
    for event in &config.events {
        event_strategy(&mut out, event, proposals, shipped);
    }
    out.push_str(
        "\n/// Every generated metric, as the JSON text its type sends.\npub fn metrics() -> Vec<(&'static str, BoxedStrategy<String>)> {\n    vec![\n",
    );
    for p in proposals {
        let _ = writeln!(out, "        ({}, wire(arb_{}())),", lit(&p.name), p.name);
    }
    out.push_str(
        "    ]\n}\n\n/// Every event payload (envelope and shipped metrics), as the JSON text its type sends.\npub fn events() -> Vec<(&'static str, BoxedStrategy<String>)> {\n    vec![\n",
    );
    for event in &config.events {
        let _ = writeln!(
            out,
            "        ({}, wire(arb_{event}_payload())),",
            lit(event)
        );
    }
    out.push_str("    ]\n}\n");
    with_crate(out, &config.generate.crate_ident())
}

/// `text` with the crate path `metrics::` naming the configured crate.
///
/// ```text
/// metrics::events::X, metrics: metrics::a::metrics::Y  →  t::events::X, metrics: t::a::metrics::Y
/// ```
pub(super) fn with_crate(text: String, ident: &str) -> String {
    if ident == "metrics" {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("metrics::") {
        out.push_str(&rest[..i]);
        // Only a path's first segment names the crate (`crate_a::metrics::`
        // or a module `pulp_metrics::` stay as they are).
        let before = out.chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            out.push_str("metrics::");
        } else {
            out.push_str(ident);
            out.push_str("::");
        }
        rest = &rest[i + "metrics::".len()..];
    }
    out.push_str(rest);
    out
}

/// The generated crate's property tests for `proposals`: `mod.rs` and
/// `strategies.rs` in the tests directory, when the crate has one.
pub fn outputs(
    proposals: &[&Proposal],
    config: &Config,
    shipped: &super::rust::Shipped,
) -> Vec<Output> {
    let Some(tests) = config.generate.property_tests_dir() else {
        return Vec::new();
    };
    let tests = std::path::PathBuf::from(tests);
    vec![
        Output {
            path: tests.join("mod.rs"),
            contents: tests_module(proposals, config),
        },
        Output {
            path: tests.join("strategies.rs"),
            contents: strategies_module(proposals, config, shipped),
        },
    ]
}

/// The property tests module: one property per metric and event payload.
pub fn tests_module(proposals: &[&Proposal], config: &Config) -> String {
    let mut out = preamble("privet.toml and proposals/");
    out.push_str(
        "\n//! Property tests of every generated metric and event payload: raw inputs go\n\
         //! through the generated constructors; the JSON must validate against the\n\
         //! checked-in schema, hold only declared values and round-trip.\n\n\
         #![allow(clippy::all, unused_imports)]\n\n\
         pub mod strategies;\n\n\
         use proptest::prelude::*;\n\
         use super::support::*;\n\
         use strategies::*;\n",
    );
    let per_metric = crate::parallel::par_map(proposals, |p| {
        let domain = lit(&domain(p).to_string());
        let property = format!(
            "\n    #[test]\n    fn {name}(value in arb_{name}()) {{\n        check(&value, {}, {domain})?;\n    }}\n",
            lit(&format!("{}.json", p.name)),
            name = p.name
        );
        let coverage = format!(
            "\n    #[test]\n    fn {name}() {{\n        covers(arb_{name}(), {domain});\n    }}\n",
            name = p.name
        );
        (property, coverage)
    });
    out.push_str("\nproptest! {\n    #![proptest_config(config())]\n");
    for (test, _) in &per_metric {
        out.push_str(test);
    }
    for event in &config.events {
        let _ = writeln!(
            out,
            "\n    #[test]\n    fn {event}_payload(value in arb_{event}_payload()) {{\n        check_payload(&value, {})?;\n    }}",
            lit(&format!("events/{event}.json")),
        );
    }
    out.push_str("}\n");
    out.push_str(
        "\n/// The raw inputs reach every bucket label, enum value, set item and map key.\nmod coverage {\n    use super::*;\n",
    );
    for (_, coverage) in &per_metric {
        out.push_str(coverage);
    }
    out.push_str("}\n");
    out
}

/// A strategy expression and the expression building the value from its
/// output, bound to `v`.
struct Gen {
    strategy: String,
    build: String,
}

fn field_gen(module: &str, base: &str, ty: &FieldType, var: &str) -> Gen {
    let path = |item: &str| format!("metrics::{module}::{item}");
    match ty {
        FieldType::Bool => Gen {
            strategy: "any::<bool>()".into(),
            build: var.into(),
        },
        FieldType::Enum { .. } => Gen {
            strategy: format!("raw_text({}::VALUES)", path(&format!("{base}Value"))),
            build: format!("{}::from_raw(&{var})", path(&format!("{base}Value"))),
        },
        FieldType::Set { .. } => Gen {
            strategy: format!(
                "proptest::collection::vec(raw_text({}::VALUES), 0..12)",
                path(&format!("{base}Item"))
            ),
            build: format!("Set::from_names({var}.iter().map(String::as_str))"),
        },
        FieldType::Count { .. } => Gen {
            strategy: format!(
                "raw_count_near({}::EDGES, 1)",
                path(&format!("{base}Buckets"))
            ),
            build: format!("Count::from_signed({var})"),
        },
        FieldType::Duration { unit, .. } => Gen {
            strategy: format!(
                "raw_count_near({}::EDGES, {}::MILLIS)",
                path(&format!("{base}Buckets")),
                super::rust::unit_type(*unit)
            ),
            build: format!("Duration::from_millis({var})"),
        },
        FieldType::Version { resolution, parts } => Gen {
            strategy: "raw_version()".into(),
            build: format!(
                "{}::parse(&{var})",
                match (resolution, parts) {
                    (_, Some(_)) => path(&super::rust::bounded_version_type(base)),
                    (VersionResolution::Major, None) => "MajorVersion".into(),
                    (VersionResolution::Minor, None) => "MinorVersion".into(),
                    (VersionResolution::Patch, None) => "PatchVersion".into(),
                }
            ),
        },
        FieldType::Date { .. } => Gen {
            strategy: "raw_count()".into(),
            build: format!("Date::from_unix_seconds({var})"),
        },
        FieldType::Map { value, .. } => {
            let map = path(&format!("{base}Map"));
            let inner = field_gen(module, base, value, "x");
            Gen {
                strategy: format!(
                    "proptest::collection::vec((raw_text({map}::KEYS), {}), 0..12)",
                    inner.strategy
                ),
                build: format!(
                    "{{ let mut m = {map}::default(); for (k, x) in {var} {{ m.insert(&k, {}); }} m }}",
                    inner.build
                ),
            }
        }
        FieldType::String { pattern, .. } => Gen {
            strategy: format!(
                "pattern_text::<{}>({})",
                path(&format!("{base}Pattern")),
                lit(&crate::automaton::generation_pattern(&pattern.value)
                    .unwrap_or_else(|| pattern.value.clone()))
            ),
            build: var.into(),
        },
    }
}

/// Nested tuples of at most [`TUPLE`] strategies, and the matching pattern
/// binding `names`.
fn tuple(strategies: &[String], names: &[String]) -> (String, String) {
    if strategies.len() <= TUPLE {
        return (
            format!("({},)", strategies.join(", ")),
            format!("({},)", names.join(", ")),
        );
    }
    let mut s = Vec::new();
    let mut n = Vec::new();
    for (cs, cn) in strategies.chunks(TUPLE).zip(names.chunks(TUPLE)) {
        let (a, b) = tuple(cs, cn);
        s.push(a);
        n.push(b);
    }
    tuple(&s, &n)
}

fn metric_strategy(out: &mut String, p: &Proposal) {
    let name = &p.name;
    let ty = format!("metrics::{name}::{}", metric_struct(p));
    let mut strategies = Vec::new();
    let mut names = Vec::new();
    let mut builds = Vec::new();
    for f in &p.fields {
        let Some(t) = &f.ty else { continue };
        let var = format!("f_{}", f.name.value);
        let g = field_gen(name, &camel(&f.name.value), &t.value, &var);
        strategies.push(g.strategy);
        builds.push(format!(
            "            {}: {},",
            crate::names::rust_ident(&f.name.value),
            g.build
        ));
        names.push(var);
    }
    let (strategy, pattern) = tuple(&strategies, &names);
    let _ = writeln!(
        out,
        "\npub fn arb_{name}() -> impl Strategy<Value = {ty}> {{\n    {strategy}.prop_map(|{pattern}| {{\n        {ty} {{\n{}\n        }}\n    }})\n}}",
        builds.join("\n")
    );
}

fn event_strategy(
    out: &mut String,
    event: &str,
    proposals: &[&Proposal],
    shipped: &super::rust::Shipped,
) {
    let name = event_name(event);
    let carried = super::rust::carried(event, proposals, shipped);
    let mut strategies = vec!["raw_count()".to_string()];
    let mut names = vec!["sent".to_string()];
    let mut builds = Vec::new();
    for p in &carried {
        strategies.push(format!("proptest::option::of(arb_{}())", p.name));
        names.push(format!("m_{}", p.name));
        builds.push(format!("                {}: m_{},", p.name, p.name));
    }
    let (strategy, pattern) = tuple(&strategies, &names);
    let _ = writeln!(
        out,
        "\npub fn arb_{event}_payload() -> impl Strategy<Value = metrics::events::{name}Payload> {{\n    {strategy}.prop_map(|{pattern}| {{\n        metrics::events::{name}Payload {{\n            installation_id: InstallationId::generate(),\n            event: Default::default(),\n            schema_version: SchemaVersion,\n            sent: Date::from_unix_seconds(sent),\n            metrics: metrics::events::{name}Metrics {{\n{}\n            }},\n        }}\n    }})\n}}",
        builds.join("\n")
    );
}

/// The declared domain of a metric's JSON, from the proposal (see the module docs).
pub fn domain(p: &Proposal) -> Value {
    let mut fields = serde_json::Map::new();
    for f in &p.fields {
        if let Some(t) = &f.ty {
            fields.insert(f.name.value.clone(), field_domain(&t.value));
        }
    }
    Value::Object(fields)
}

fn field_domain(ty: &FieldType) -> Value {
    let names =
        |v: &[crate::model::Spanned<String>]| v.iter().map(|x| x.value.clone()).collect::<Vec<_>>();
    match ty {
        FieldType::Bool => json!({ "bool": true }),
        FieldType::Enum { values } => {
            let mut v = names(values);
            v.push(crate::domain::ENUM_OTHER.into());
            json!({ "enum": v })
        }
        FieldType::Set { values } => json!({ "set": names(values) }),
        FieldType::Count { buckets } | FieldType::Duration { buckets, .. } => {
            json!({ "labels": buckets.labels() })
        }
        FieldType::Version {
            resolution,
            parts: None,
        } => json!({ "version": resolution.parts() }),
        FieldType::Version {
            resolution,
            parts: Some(parts),
        } => json!({ "version": resolution.parts(), "ranges": parts.0 }),
        FieldType::Date { resolution, .. } => json!({ "date": resolution.name() }),
        FieldType::Map { keys, value } => {
            json!({ "map": names(keys), "value": field_domain(value) })
        }
        FieldType::String {
            pattern, max_len, ..
        } => {
            json!({ "pattern": pattern.value, "max_len": max_len })
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_crate_path_is_renamed_only_where_it_starts_a_path() {
        assert_eq!(
            super::with_crate(
                "use metrics::values::*; metrics: metrics::a::metrics::Y, pulp_metrics::Z".into(),
                "t"
            ),
            "use t::values::*; metrics: t::a::metrics::Y, pulp_metrics::Z"
        );
    }
}
