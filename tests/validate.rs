//! `privet validate`: payloads that arrived, against the bundled registry.
//!
//! - every payload built from the registry model validates, and the
//!   generated JSON Schema agrees with `validate` on it and on each of its
//!   mutations (a value replaced by an exact number, a field left out, an
//!   unknown field added);
//! - the report on payloads with every kind of problem, and on payloads
//!   shaped like what real telemetry systems send, is snapshotted.

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

use privet::validate::{ProblemKind, Validator};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema(event: &str) -> jsonschema::Validator {
    let path = root().join(format!("metrics/schemas/events/{event}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[test]
fn model_payloads_validate_and_the_schema_agrees_on_every_mutation() {
    let registry = privet::load::load(&root()).unwrap();
    let validator = Validator::new(&registry.proposals, &registry.config);
    let shipped: Vec<&str> = validator.shipped().collect();
    assert!(shipped.len() >= 10, "the bundled registry ships metrics");
    let mut runner = TestRunner::deterministic();
    let mut checked = 0;
    for event in &registry.config.events {
        let schema = schema(event);
        let carried: Vec<_> = registry
            .proposals
            .iter()
            .filter(|p| shipped.contains(&p.name.as_str()))
            .filter(|p| p.events.iter().any(|e| e.value == *event))
            .collect();
        for _ in 0..32 {
            let mut metrics = serde_json::Map::new();
            for p in &carried {
                let s = privet::check::samples::model_strategy(p).unwrap();
                let text = s.new_tree(&mut runner).unwrap().current();
                metrics.insert(p.name.clone(), serde_json::from_str(&text).unwrap());
            }
            let payload = json!({
                "installation_id": "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
                "event": event,
                "schema_version": registry.config.schema_version,
                "sent": "2026-11-30",
                "metrics": metrics,
            });
            let text = payload.to_string();
            let v = validator.validate_payload(&payload, &text, 1);
            let structural: Vec<_> = v
                .problems
                .iter()
                .filter(|p| !matches!(p.kind, ProblemKind::Pii(_)))
                .collect();
            assert!(structural.is_empty(), "{text}: {structural:#?}");
            assert!(schema.is_valid(&payload), "the schema refuses {text}");
            for (mutated, what) in mutations(&payload) {
                let v = validator.validate_payload(&mutated, &mutated.to_string(), 1);
                let refused = v
                    .problems
                    .iter()
                    .any(|p| !matches!(p.kind, ProblemKind::Pii(_)));
                assert_eq!(
                    refused,
                    !schema.is_valid(&mutated),
                    "validate and the {event} schema disagree on the payload {what}: {mutated}\n{:#?}",
                    v.problems
                );
                assert!(refused, "{what} must be refused: {mutated}");
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked} mutations checked");
}

/// Each metric field of `payload` replaced by an exact number, left out,
/// and an unknown field added beside it.
fn mutations(payload: &Value) -> Vec<(Value, String)> {
    let mut out = Vec::new();
    let metrics = payload["metrics"].as_object().unwrap();
    for (name, fields) in metrics {
        for key in fields.as_object().unwrap().keys() {
            let mut m = payload.clone();
            m["metrics"][name][key] = json!(7);
            out.push((m, format!("with /metrics/{name}/{key} = 7")));
            let mut m = payload.clone();
            m["metrics"][name].as_object_mut().unwrap().remove(key);
            out.push((m, format!("without /metrics/{name}/{key}")));
        }
        let mut m = payload.clone();
        m["metrics"][name]["hostname"] = json!("db01");
        out.push((m, format!("with an unknown field in {name}")));
    }
    let mut m = payload.clone();
    m["metrics"]["acme_private"] = json!({});
    out.push((m, "with an unknown metric".into()));
    out
}

fn run_validate(args: &[&str], files: &[&Path]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .arg("validate")
        .args(args)
        .args(files)
        .current_dir(root())
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// What two readers could read differently is a problem, and so is
/// nothing at all: a key given twice (serde_json keeps the last value,
/// other readers the first) and an empty upload.
#[test]
fn duplicate_keys_and_empty_inputs_are_problems() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(root().join("tests/fixtures/payloads/bundled.jsonl"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let doubled = good.replacen("{", "{\"event\":\"install\",", 1);
    assert_ne!(doubled, good);
    let dup = dir.path().join("dup.jsonl");
    std::fs::write(&dup, format!("{good}\n{doubled}\n")).unwrap();
    let (human, stderr, code) = run_validate(&[], &[&dup]);
    assert_eq!(code, 1, "{human}{stderr}");
    assert!(
        human.contains("dup.jsonl:2: (payload): not-json"),
        "{human}"
    );
    assert!(human.contains("`event` is given twice"), "{human}");
    assert!(!human.contains("dup.jsonl:1:"), "{human}");
    for empty in ["", "\n  \n"] {
        let file = dir.path().join("empty.jsonl");
        std::fs::write(&file, empty).unwrap();
        let (human, stderr, code) = run_validate(&[], &[&file]);
        assert_eq!(code, 1, "{human}{stderr}");
        assert!(human.contains("no-payload"), "{human}");
    }
}

/// In a pretty-printed document, each problem is reported at the line of
/// its value, not at the line the document starts on.
#[test]
fn problems_of_a_pretty_printed_document_are_at_their_lines() {
    let line = std::fs::read_to_string(root().join("tests/fixtures/payloads/bundled.jsonl"))
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    let value: Value = serde_json::from_str(&line).unwrap();
    let pretty = serde_json::to_string_pretty(&value).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pretty.json");
    std::fs::write(&file, format!("{pretty}\n")).unwrap();
    let (human, stderr, code) = run_validate(&[], &[&file]);
    assert_eq!(code, 1, "{human}{stderr}");
    let workers = 1 + pretty
        .lines()
        .position(|l| l.trim_start().starts_with("\"workers\""))
        .unwrap();
    assert!(
        human.contains(&format!(
            "pretty.json:{workers}: /metrics/pulp_workers/workers: bad-value"
        )),
        "line {workers}:\n{human}"
    );
}

#[test]
fn every_kind_of_problem_is_reported_at_its_pointer() {
    let file = Path::new("tests/fixtures/payloads/bundled.jsonl");
    let (human, stderr, code) = run_validate(&[], &[file]);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("bundled_human", human);
    for expected in [
        "bundled.jsonl:2: /metrics/pulp_workers/workers: bad-value: `8` is an exact number, not a bucket of `workers`",
        "bundled.jsonl:2: /metrics/pulp_workers/host_names: unknown-field",
        "bundled.jsonl:3: /installation_id: bad-value",
        "bundled.jsonl:3: /schema_version: schema-version",
        "bundled.jsonl:3: /sent: bad-value",
        "bundled.jsonl:3: /metrics/mongooseim_traffic: unapproved-metric",
        "bundled.jsonl:3: /metrics/acme_private: unknown-metric",
        "bundled.jsonl:4: /metrics/pulp_workers: wrong-event",
        "bundled.jsonl:5: /event: undeclared-event",
        "bundled.jsonl:6: (payload): not-json",
    ] {
        assert!(human.contains(expected), "missing `{expected}` in\n{human}");
    }
    assert!(
        !human.contains("bundled.jsonl:1:"),
        "line 1 is valid:\n{human}"
    );
    let (json, _, code) = run_validate(&["--format", "json"], &[file]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        report["payloads"], 5,
        "the line that is not JSON is no payload"
    );
    assert_eq!(report["valid"], 1);
    assert_eq!(report["metrics_seen"]["pulp_workers"], 3);
    insta::assert_snapshot!(
        "bundled_json",
        serde_json::to_string_pretty(&report).unwrap()
    );
}

#[test]
fn payloads_of_real_systems_report_what_they_really_carry() {
    let dir = root().join("tests/fixtures/payloads/foreign");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 6, "the six example payloads are there");
    let rel: Vec<PathBuf> = files
        .iter()
        .map(|f| f.strip_prefix(root()).unwrap().to_path_buf())
        .collect();
    let refs: Vec<&Path> = rel.iter().map(PathBuf::as_path).collect();
    let (human, stderr, code) = run_validate(&[], &refs);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("foreign_human", human);
    for expected in [
        // Each at the line of its value in the pretty-printed document.
        // Pulp: a UUIDv7 system id, exact process counts, a raw version number
        "pulp.analytics.json:2: /systemId: pii: persistent-id",
        "pulp.analytics.json:8: /onlineWorkers/processes: bad-value: `8` is an exact number",
        "pulp.analytics.json:14: /components/0/version: bad-value: \"3.49.1\" is a full version",
        // Fuel: secrets in the cluster attributes, a host name in a URI
        "/installation_structure/clusters/0/attributes/admin_key: pii: secret",
        "fuel-stats.installation_structure.json:3: /installation_structure/master_node_uid: pii: persistent-id",
        // Home Assistant: the installation's uuid, full versions
        "home-assistant.analytics.json:2: /uuid: pii: persistent-id",
        // every one of them lacks the envelope
        "openwisp.metric_collection.json:1: (payload): missing: not a privet payload",
        "openedx.survey_report.json:1: (payload): missing: not a privet payload",
        "mongooseim.system_metrics.ga4.json:2: /client_id: pii: persistent-id",
    ] {
        assert!(human.contains(expected), "missing `{expected}` in\n{human}");
    }
}

/// A registry's `[pii] public_hosts` travel with its configuration: the
/// library's `Validator` applies them as the command does, and two
/// registries in one process each keep their own.
#[test]
fn each_registrys_public_hosts_apply_to_its_own_validator_only() {
    let payload = json!({"status_page": "https://status.example-project.org/"});
    let text = payload.to_string();
    let ours = privet::config::Config {
        pii: privet::pii::Settings::new(&["Example-Project.org.".to_string()]),
        ..Default::default()
    };
    let theirs = privet::config::Config::default();
    let hosts = |config: &privet::config::Config| {
        Validator::new(&[], config)
            .validate_payload(&payload, &text, 1)
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Pii(privet::pii::Kind::Hostname))
            .count()
    };
    assert_eq!(hosts(&ours), 0, "our own public host is not personal data");
    assert_eq!(
        hosts(&theirs),
        1,
        "another registry in the same process still finds it"
    );
    assert_eq!(hosts(&ours), 0);
}

/// A metric stops shipping on its expiry date: a payload sent that day or
/// later that carries it is rejected (`expired-metric`), one sent the day
/// before is not. The generated files do not change with the date; the day
/// the payload was sent decides.
#[test]
fn a_metric_is_rejected_in_payloads_sent_from_its_expiry_on() {
    let registry = privet::load::load(&root()).unwrap();
    let validator = Validator::new(&registry.proposals, &registry.config);
    assert!(validator.shipped().any(|m| m == "fuel_nodes"));
    let payload = |sent: &str| {
        json!({
            "installation_id": "6f1c2a52-3c1e-4d7e-9a43-0d8f6f0b6a11",
            "event": "heartbeat",
            "schema_version": 1,
            "sent": sent,
            "metrics": {"fuel_nodes": {"environments": "1", "allocated": "5-9", "unallocated": "1"}}
        })
        .to_string()
    };
    let kinds = |sent: &str| -> Vec<ProblemKind> {
        validator
            .validate_text(&payload(sent))
            .problems
            .iter()
            .map(|p| p.kind)
            .collect()
    };
    assert_eq!(kinds("2028-12-30"), []);
    assert_eq!(kinds("2028-12-31"), [ProblemKind::ExpiredMetric]);
    assert_eq!(kinds("2029-03-01"), [ProblemKind::ExpiredMetric]);
}

#[test]
fn a_date_outside_the_span_its_field_may_send_is_refused() {
    let registry = privet::load::load(&root()).unwrap();
    let validator = Validator::new(&registry.proposals, &registry.config);
    assert!(validator.shipped().any(|m| m == "installation_age"));
    let problems = |first_seen: &str| -> Vec<(ProblemKind, String)> {
        let payload = json!({
            "installation_id": "6f1c2a52-3c1e-4d7e-9a43-0d8f6f0b6a11",
            "event": "heartbeat",
            "schema_version": 1,
            "sent": "2026-12-01",
            "metrics": {"installation_age": {"age": "6-11", "first_seen": first_seen}}
        });
        validator
            .validate_text(&payload.to_string())
            .problems
            .iter()
            .map(|p| (p.kind, p.message.clone()))
            .collect()
    };
    assert_eq!(problems("2026-05-01"), []);
    assert_eq!(problems("1970-01-01"), []);
    // Before the Unix epoch (the field declares no `earliest`), and after
    // the metric expires (it declares no `latest`).
    for date in ["1969-12-01", "2029-01-01"] {
        let found = problems(date);
        assert_eq!(found.len(), 1, "{date}: {found:?}");
        assert_eq!(found[0].0, ProblemKind::InvalidValue);
        assert!(
            found[0]
                .1
                .contains("outside the dates the field may send, 1970-01-01 to 2028-12-31"),
            "{}",
            found[0].1
        );
    }
}

#[test]
fn validate_leaves_out_what_many_installations_send_but_never_a_credential() {
    let registry = privet::load::load(&root()).unwrap();
    let validator = Validator::new(&registry.proposals, &registry.config);
    // Each payload carries a key the registry does not declare (a problem
    // of its own) holding a host and a password; six installations send
    // the same public host, one its own.
    let payload = |i: usize, host: &str| {
        json!({
            "installation_id": format!("9f1c2d3e-4b5a-4c6d-8e7f-{i:012x}"),
            "event": "heartbeat",
            "schema_version": registry.config.schema_version,
            "sent": "2026-11-30",
            "metrics": {},
            "debug": {"tile_server": host, "smtp_password": "changeme-default"},
        })
        .to_string()
    };
    let mut text: Vec<String> = (0..6).map(|i| payload(i, "tiles.mapservice.org")).collect();
    text.push(payload(99, "build01.acme-widgets.com"));
    let v = validator.validate_text(&(text.join("\n") + "\n"));
    let pii: Vec<(usize, &str)> = v
        .problems
        .iter()
        .filter(|p| matches!(p.kind, ProblemKind::Pii(_)))
        .map(|p| (p.line, p.pointer.as_str()))
        .collect();
    let hosts: Vec<usize> = pii
        .iter()
        .filter(|(_, at)| *at == "/debug/tile_server")
        .map(|(l, _)| *l)
        .collect();
    assert_eq!(hosts, [7], "{:#?}", v.problems);
    let passwords = pii
        .iter()
        .filter(|(_, at)| *at == "/debug/smtp_password")
        .count();
    assert_eq!(passwords, 7, "a default password is still a password");
    assert_eq!(v.rarity, Some((7, 6)));
}

#[test]
fn a_collector_keeps_rarity_across_runs_in_a_sketch_of_keyed_hashes() {
    let registry = privet::load::load(&root()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("rarity.bin");
    let batch = |from: usize, name: &str| -> std::path::PathBuf {
        let text: String = (from..from + 3)
            .map(|i| {
                json!({
                    "installation_id": format!("9f1c2d3e-4b5a-4c6d-8e7f-{i:012x}"),
                    "event": "heartbeat",
                    "schema_version": registry.config.schema_version,
                    "sent": "2026-11-30",
                    "metrics": {},
                    "debug": {"tile_server": "tiles.mapservice.org"},
                })
                .to_string()
                    + "\n"
            })
            .collect();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let hosts = |stdout: &str| stdout.matches("/debug/tile_server").count();
    let state_arg = state.to_str().unwrap();
    // Three installations: rare so far, reported.
    let first = batch(0, "first.jsonl");
    let (out, err, _) = run_validate(&["--rarity-state", state_arg], &[&first]);
    assert_eq!(hosts(&out), 3, "{out}{err}");
    // Three more, in a later run: six in all, common.
    let second = batch(3, "second.jsonl");
    let (out, err, _) = run_validate(&["--rarity-state", state_arg], &[&second]);
    assert_eq!(hosts(&out), 0, "{out}{err}");
    assert!(err.contains("3 finding(s) not reported"), "{err}");
    // Without the state, the second batch alone is rare.
    let (out, _, _) = run_validate(&[], &[&second]);
    assert_eq!(hosts(&out), 3);
    // The state holds no value, and its key is its owner's alone.
    let bytes = std::fs::read(&state).unwrap();
    assert!(!bytes.windows(5).any(|w| w == b"tiles"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = privet::rarity::key_path(&state);
        let mode = std::fs::metadata(key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
}

/// A set's items come in list order, as the generated types send them: in
/// any order, n items could carry log2(n!) bits the type does not declare
/// (nine modules: 18 bits, enough for a number per installation).
#[test]
fn a_sets_items_come_in_list_order() {
    let registry = privet::load::load(&root()).unwrap();
    let validator = Validator::new(&registry.proposals, &registry.config);
    let payload = |items: &[&str]| {
        json!({
            "installation_id": "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
            "event": "heartbeat",
            "schema_version": registry.config.schema_version,
            "sent": "2026-11-30",
            "metrics": {"openwisp_modules": {"enabled": {"items": items, "unknown": "0"}}},
        })
    };
    let problems = |items: &[&str]| {
        let p = payload(items);
        validator
            .validate_payload(&p, &p.to_string(), 1)
            .problems
            .into_iter()
            .filter(|p| !matches!(p.kind, ProblemKind::Pii(_)))
            .map(|p| (p.pointer, p.message, p.expected))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        problems(&["openwisp-controller", "openwisp-radius", "openwisp-utils"]),
        []
    );
    let out_of_order = problems(&["openwisp-utils", "openwisp-controller", "openwisp-radius"]);
    assert_eq!(out_of_order.len(), 1, "{out_of_order:#?}");
    let (at, message, expected) = &out_of_order[0];
    assert_eq!(at, "/metrics/openwisp_modules/enabled/items/1");
    assert!(
        message.contains("`openwisp-controller` is sent after `openwisp-utils`")
            && message.contains("list order"),
        "{message}"
    );
    assert_eq!(
        expected.as_deref(),
        Some("`openwisp-controller`, `openwisp-radius`, `openwisp-utils`")
    );
}
