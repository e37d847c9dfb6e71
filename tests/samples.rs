//! The sample-payload search (`sample-pii`) and the outcomes the `metrics`
//! crate's `samples` example reports to the audit.

use privet::check::samples::{Compiled, Counterexample, Samples, Target, find_pii, outcome_line};
use privet::pipeline::Options;
use privet::resolve::HistoryMode;
use proptest::prelude::*;
use std::sync::Arc;

fn leak(kind: &str, pointer: &str, payload: &str) -> Option<Counterexample> {
    Some(Counterexample {
        payload: payload.into(),
        kind: kind.into(),
        pointer: pointer.into(),
    })
}

#[test]
fn the_search_shrinks_to_the_smallest_payload_with_a_finding() {
    // Hosts `db0` to `db99999` under one domain: clean until the host part
    // appears, and the smallest leaking input is the first listed host.
    let strategy = (0u32..100_000, any::<bool>()).prop_map(|(n, with_host)| {
        if with_host && n > 10 {
            format!(r#"{{"site":"db{n}.corp.example.com","n":"{n}"}}"#)
        } else {
            format!(r#"{{"n":"{}"}}"#, n % 10)
        }
    });
    let found = find_pii(&strategy, 256).expect("a host is generated");
    assert_eq!(found.kind, "hostname");
    assert_eq!(found.pointer, "/site");
    assert_eq!(
        found.payload,
        r#"{"site":"db11.corp.example.com","n":"11"}"#
    );
    // Deterministic: the same seed, the same counterexample.
    assert_eq!(find_pii(&strategy, 256), Some(found));
    // Clean strategies find nothing; text that is not JSON is a finding.
    assert_eq!(find_pii(&Just(r#"{"n":"2-4"}"#.to_string()), 64), None);
    let broken = find_pii(&Just("{\"n\":".to_string()), 8).unwrap();
    assert_eq!(broken.kind, "invalid-json");
}

#[test]
fn outcome_lines_round_trip_and_bad_output_is_an_error() {
    let text = [
        outcome_line(Target::Metric, "a", 64, None),
        outcome_line(
            Target::Metric,
            "b",
            64,
            leak("email", "/to", r#"{"to":"x@y.lan"}"#),
        ),
        outcome_line(Target::Event, "heartbeat", 64, None),
    ]
    .join("\n");
    let c = Compiled::parse(&text).unwrap();
    assert_eq!(c.cases, 64);
    assert_eq!(c.metrics.len(), 2);
    assert_eq!(c.metrics["b"].as_ref().unwrap().kind, "email");
    assert_eq!(c.events["heartbeat"], None);

    let err = Compiled::parse(&format!("{text}\nwarning: something\n")).unwrap_err();
    assert!(err.starts_with("line 4: not a sample outcome"), "{err}");
    assert_eq!(Compiled::parse("\n").unwrap_err(), "no sample outcomes");
    let unknown = r#"{"target":"metric","name":"a","cases":1,"counterexample":null,"extra":1}"#;
    assert!(Compiled::parse(unknown).is_err());
}

const SITE: &str = r#"summary = "Which site tier an installation runs in"
owners = ["ops"]
events = ["heartbeat"]
expires = "never"
status = "proposed"
question = "How are installations spread over site tiers?"
gathering = "Read from the deployment's configuration file at start-up."
burden = "One string comparison at start-up; nothing measurable."
pii = "No: a closed list of tiers."
sanitization = "Only listed tiers are sent; anything else is other."
since = "1.0"
alternatives = "Asking on the mailing list, which reaches few operators."
summarization = "Installations per tier, per week."
visualization = "A stacked bar chart of tiers over time."

[fields.tier]
type = "enum"
values = ["small", "large"]

[example]
tier = "small"
"#;

fn check(samples: Samples) -> Vec<(String, String, String)> {
    let other = SITE.replace("site tier", "other tier");
    check_texts(
        &[
            ("proposals/site.toml", SITE),
            ("proposals/other.toml", &other),
        ],
        samples,
    )
}

/// The `sample-pii` findings as (file, metric, message).
fn check_texts(files: &[(&str, &str)], samples: Samples) -> Vec<(String, String, String)> {
    let options = Options {
        history: HistoryMode::Skip,
        samples,
        ..Options::default()
    };
    let checked = privet::pipeline::check_loaded(
        privet::load::from_texts(Some("[generate]\ncrate = \"metrics\"\n"), files),
        &options,
    );
    let registry = &checked.registry;
    checked
        .findings
        .iter()
        .filter(|d| d.rule.id == "sample-pii")
        .map(|d| {
            (
                registry.sources.path(&d.file).to_string(),
                d.metric.clone().unwrap_or_default(),
                d.message.clone(),
            )
        })
        .collect()
}

#[test]
fn compiled_outcomes_become_findings_on_their_proposal() {
    let mut c = Compiled {
        cases: 256,
        ..Compiled::default()
    };
    c.metrics.insert(
        "site".into(),
        leak("hostname", "/tier", r#"{"tier":"db0.lan"}"#),
    );
    c.metrics.insert("other".into(), None);
    let found = check(Samples::Compiled(Arc::new(c.clone())));
    assert_eq!(
        found,
        [(
            "proposals/site.toml".to_string(),
            "site".to_string(),
            "a payload `site` can send holds personal data: hostname at /tier (sample built through the generated types)".to_string()
        )]
    );

    // An event payload: inside a metric's object it is that metric's (once);
    // in the envelope it is the generated envelope's.
    c.metrics.insert("site".into(), None);
    c.events.insert(
        "heartbeat".into(),
        leak("email", "/metrics/other/tier", "{}"),
    );
    c.events
        .insert("install".into(), leak("timestamp", "/sent", "{}"));
    let found = check(Samples::Compiled(Arc::new(c)));
    let files: Vec<(&str, &str)> = found
        .iter()
        .map(|(f, m, _)| (f.as_str(), m.as_str()))
        .collect();
    assert_eq!(
        files,
        [
            ("metrics/src/generated/events.rs", ""),
            ("proposals/other.toml", "other"),
        ]
    );
    assert!(
        found[0]
            .2
            .contains("an event payload (`install`) holds personal data: timestamp at /sent")
    );
}

#[test]
fn metrics_the_build_does_not_cover_fall_back_to_the_model() {
    // `other` (here with a leaky pattern) is not in the compiled outcomes:
    // its payloads are built from the proposal, and the model finds the host.
    let leaky = SITE.replace("site tier", "other tier").replace(
        "type = \"enum\"\nvalues = [\"small\", \"large\"]",
        "type = \"string\"\npattern = '(www|db)[0-9]\\.corp\\.example\\.com'\nmax_len = 40",
    );
    assert!(leaky.contains("pattern"));
    let mut c = Compiled::default();
    c.metrics.insert("site".into(), None);
    let run = |samples| {
        check_texts(
            &[
                ("proposals/site.toml", SITE),
                ("proposals/other.toml", &leaky),
            ],
            samples,
        )
    };
    let found = run(Samples::Compiled(Arc::new(c)));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "other");
    assert!(
        found[0]
            .2
            .ends_with("hostname at /tier (sample built from the proposal)"),
        "{found:?}"
    );
    assert_eq!(run(Samples::Model), found);
    assert_eq!(run(Samples::Off), []);
}

#[test]
fn anchored_patterns_are_sampled_too() {
    // `^…$` is redundant (a pattern matches the whole value) but common;
    // proptest cannot generate from anchors, so they are dropped first.
    let leaky = SITE.replace(
        "type = \"enum\"\nvalues = [\"small\", \"large\"]",
        "type = \"string\"\npattern = '^(www|db)[0-9]\\.corp\\.example\\.com$'\nmax_len = 40",
    );
    assert!(leaky.contains("pattern = '^"));
    let found = check_texts(&[("proposals/site.toml", &leaky)], Samples::Model);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].2.contains("hostname at /tier"), "{found:?}");
}

/// A proposal with one field `name` of the TOML type declaration `ty`.
fn one_field(name: &str, ty: &str) -> String {
    SITE.replace(
        "[fields.tier]\ntype = \"enum\"\nvalues = [\"small\", \"large\"]",
        &format!("[fields.{name}]\n{ty}"),
    )
    .replace("[example]\ntier = \"small\"\n", "")
}

#[test]
fn the_fixed_shapes_hold_nothing() {
    // Sampling skips metrics whose fields are all enumerated by
    // `pii-in-domain` or written by the generated code in a fixed shape
    // (bucket labels, versions, dates, booleans): that is sound only while
    // the PII engine finds nothing in those shapes, even under the field
    // names most likely to make it look. Checked here with many payloads.
    let shapes = [
        "type = \"version\"\nresolution = \"major\"",
        "type = \"version\"\nresolution = \"minor\"",
        "type = \"version\"\nresolution = \"patch\"\nreason = \"the patch level decides which fix is deployed\"",
        "type = \"date\"\nresolution = \"day\"",
        "type = \"date\"\nresolution = \"week\"",
        "type = \"date\"\nresolution = \"month\"",
        "type = \"count\"\npreset = \"pow2\"\nmax = 1048576",
        "type = \"count\"\nbuckets = [0, 1, 2, 5, 10, 100, 1000, 10000, 100000]",
        "type = \"duration\"\nunit = \"second\"\nbuckets = [0, 1, 60, 3600, 86400]",
        "type = \"bool\"",
    ];
    let names = [
        "ip",
        "phone",
        "email",
        "birth_date",
        "dob",
        "mac",
        "serial",
        "address",
        "zip",
        "postcode",
        "host",
        "latitude",
        "longitude",
        "ssn",
        "iban",
        "card",
        "uuid",
        "user_id",
        "installation_id",
        "timestamp",
        "sent_at",
        "port",
        "version",
        "imei",
    ];
    let mut registry = Vec::new();
    for (i, shape) in shapes.iter().enumerate() {
        for name in names {
            let text = one_field(name, shape);
            registry.push((format!("proposals/m{i}_{name}.toml"), text));
        }
    }
    let loaded = privet::load::from_texts(
        Some("[generate]\ncrate = \"metrics\"\n"),
        &registry
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect::<Vec<_>>(),
    );
    assert!(
        loaded.proposals.len() == registry.len(),
        "every proposal loads"
    );
    let mut sampled = Vec::new();
    for p in &loaded.proposals {
        let strategy = privet::check::samples::model_strategy(p).expect("one field");
        if privet::check::samples::needs_sampling(p) {
            sampled.push(p.name.as_str());
        } else {
            assert_eq!(find_pii(&strategy, 600), None, "{}", p.name);
        }
    }
    // The shapes the engine does report under some name are sampled, and
    // the audit then finds them: a version 0.100 under `latitude` reads as
    // a coordinate.
    assert!(sampled.contains(&"m1_latitude"), "{sampled:?}");
    assert!(
        sampled.len() < 10,
        "only a few shapes and names: {sampled:?}"
    );
}

#[test]
fn only_metrics_with_an_open_domain_are_sampled() {
    // A leaky enum is `pii-in-domain`'s, decided exactly; sampling it again
    // would cost time and say nothing new. A pattern is sampled.
    let leaky_enum = SITE.replace(
        "\"small\", \"large\"",
        "\"db0.corp.example.com\", \"large\"",
    );
    let pattern = one_field(
        "tier",
        "type = \"string\"\npattern = '(www|db)[0-9]\\.corp\\.example\\.com'\nmax_len = 40",
    );
    let found = check_texts(
        &[
            ("proposals/site.toml", &leaky_enum),
            ("proposals/other.toml", &pattern),
        ],
        Samples::Model,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "other", "{found:?}");
    let loaded = privet::load::from_texts(
        None,
        &[
            ("proposals/site.toml", &leaky_enum),
            ("proposals/other.toml", &pattern),
        ],
    );
    let sampled: Vec<bool> = loaded
        .proposals
        .iter()
        .map(privet::check::samples::needs_sampling)
        .collect();
    assert_eq!(sampled, [false, true], "site (an enum), other (a pattern)");
}
