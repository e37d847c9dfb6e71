//! The conformance corpus of the field types (`tests/fixtures/conformance`):
//! one field of every type and resolution, and `cases.json`, the answer for
//! values at and beyond every edge. Every consumer of the definitions must
//! agree with it: the generated JSON Schema (through the `jsonschema`
//! crate), `privet validate`, and the generated Python module (through
//! python3). The Rust runtime is held to the same file by
//! `metrics/tests/conformance.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conformance")
}

fn cases() -> Value {
    let text = std::fs::read_to_string(fixture().join("cases.json")).expect("cases.json");
    serde_json::from_str(&text).expect("cases.json is JSON")
}

/// The fixture registry, generated into a temporary directory.
fn generated() -> (tempfile::TempDir, privet::load::Registry) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture().join("privet.toml"),
        dir.path().join("privet.toml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("proposals")).unwrap();
    std::fs::copy(
        fixture().join("proposals/conformance.toml"),
        dir.path().join("proposals/conformance.toml"),
    )
    .unwrap();
    let registry = privet::load::load(dir.path()).unwrap();
    let outputs = privet::generate::outputs(&registry, privet::catalog::ALL);
    assert!(!outputs.files.is_empty());
    privet::generate::write(dir.path(), &outputs).unwrap();
    (dir, registry)
}

/// The baseline metric with `field` set to `sent`.
fn metric_with(cases: &Value, field: &str, sent: &Value) -> Value {
    let mut metric = cases["baseline"].clone();
    metric[field] = sent.clone();
    metric
}

fn admit_cases(cases: &Value) -> &Vec<Value> {
    cases["admit"].as_array().unwrap()
}

#[test]
fn the_corpus_covers_every_type_and_resolution() {
    let cases = cases();
    let (_dir, registry) = generated();
    let p = &registry.proposals[0];
    for f in &p.fields {
        let name = &f.name.value;
        for kind in ["reduce", "admit"] {
            let n = cases[kind]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["field"] == json!(name))
                .count();
            assert!(n >= 2, "{kind}: only {n} cases for `{name}`");
        }
    }
    // The baseline is what every receiver accepts.
    let problems = validate(&registry, &cases["baseline"]);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn the_schema_agrees_with_the_corpus() {
    let cases = cases();
    let (dir, _) = generated();
    let text = std::fs::read_to_string(dir.path().join("schemas/conformance.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let beyond = admit_cases(&cases)
        .iter()
        .filter(|c| c["beyond_schema"] == json!(true))
        .count();
    agree(&cases, "schema", |case, metric| {
        // What a pattern cannot say is left to the other receivers.
        (case["beyond_schema"] != json!(true)).then(|| (validator.is_valid(metric), String::new()))
    });
    assert!(beyond <= 4, "{beyond} cases beyond the schema");
}

/// Asserts that `judge` (whether a consumer admits the baseline metric
/// with one case's value, and why not; `None` to pass a case over) agrees
/// with every admit case.
fn agree(cases: &Value, consumer: &str, judge: impl Fn(&Value, &Value) -> Option<(bool, String)>) {
    let mut wrong = Vec::new();
    for case in admit_cases(cases) {
        let field = case["field"].as_str().unwrap();
        let metric = metric_with(cases, field, &case["sent"]);
        let Some((admitted, why)) = judge(case, &metric) else {
            continue;
        };
        if admitted != case["admitted"].as_bool().unwrap() {
            wrong.push(format!(
                "{field} = {}: {consumer} says {admitted} {why}",
                case["sent"]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// `privet validate`'s problems about the metric's fields in one payload.
fn validate(registry: &privet::load::Registry, metric: &Value) -> Vec<String> {
    let validator = privet::validate::Validator::new(&registry.proposals, &registry.config);
    let payload = json!({
        "installation_id": "3b9e2f4c-1d7a-4e8b-9c6f-0a5d2e8b7c41",
        "event": "report",
        "schema_version": 1,
        "sent": "2026-12-06",
        "metrics": {"conformance": metric},
    });
    let text = payload.to_string();
    validator
        .validate_payload(&payload, &text, 1)
        .problems
        .into_iter()
        // The fixture is not approved: that problem is about the metric.
        .filter(|p| p.pointer.starts_with("/metrics/conformance/"))
        .map(|p| format!("{}: {}", p.pointer, p.message))
        .collect()
}

#[test]
fn validate_agrees_with_the_corpus() {
    let cases = cases();
    let (_dir, registry) = generated();
    agree(&cases, "validate", |_, metric| {
        let problems = validate(&registry, metric);
        Some((problems.is_empty(), format!("{problems:?}")))
    });
}

/// Python's interpreter: `PRIVET_PYTHON`, else python3. In CI a missing
/// one fails the test; elsewhere it is skipped with a message.
pub fn python() -> Option<String> {
    let python = std::env::var("PRIVET_PYTHON").unwrap_or_else(|_| "python3".into());
    let found = Command::new(&python)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{python} is not installed: the Python module cannot be checked (CI must have it)"
    );
    eprintln!("NOTE: {python} not found; the Python module's conformance is NOT checked");
    None
}

/// Feeds every case to the generated module's value classes.
const PYTHON_CONFORMANCE: &str = r#"
import datetime as dt, json, sys
sys.path.insert(0, sys.argv[1])
import telemetry as m

cases = json.load(open(sys.argv[2], encoding="utf-8"))
fields = {a: cls for (key, a), cls in zip(m.Conformance.FIELDS, [
    bool, m.ConformanceColorValue, m.ConformanceFeaturesSet, m.ConformanceHostsCount,
    m.ConformanceShardsCount, m.ConformanceUptimeDuration, m.ConformanceAgeDuration,
    m.MajorVersion, m.MinorVersion, m.PatchVersion, m.DayDate, m.WeekDate, m.MonthDate,
    m.ConformancePluginsMap, m.ConformanceRolesMap, m.ConformanceLangText])}

def raw_value(raw):
    if isinstance(raw, dict) and set(raw) == {"millis"}:
        return dt.timedelta(milliseconds=raw["millis"])
    if isinstance(raw, dict) and set(raw) == {"date"}:
        return dt.date.fromisoformat(raw["date"])
    if isinstance(raw, dict) and "datetime" in raw:
        when = dt.datetime.fromisoformat(raw["datetime"])
        assert int(when.timestamp()) == raw["unix"], raw
        return when
    return raw

wrong = []
for case in cases["reduce"]:
    cls = fields[case["field"]]
    try:
        value = m._reduce(cls, raw_value(case["raw"]), case["field"])
        sent = m._sent(value)
    except m.Rejected:
        sent = None
    if sent != case["sent"]:
        wrong.append(f"{case['field']} {case['raw']!r}: sent {sent!r}, expected {case['sent']!r}")
print(json.dumps(wrong))
"#;

#[test]
fn the_python_module_agrees_with_the_corpus() {
    let Some(python) = python() else { return };
    let (dir, _) = generated();
    let module_dir = dir.path().join("python");
    assert!(module_dir.join("telemetry.py").is_file());
    let script = dir.path().join("conformance.py");
    std::fs::write(&script, PYTHON_CONFORMANCE).unwrap();
    let out = Command::new(&python)
        .arg(&script)
        .arg(&module_dir)
        .arg(fixture().join("cases.json"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wrong: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_generated_python_tests_pass() {
    let Some(python) = python() else { return };
    let (dir, _) = generated();
    let out = Command::new(&python)
        .args(["-m", "unittest", "-q", "test_telemetry"])
        .current_dir(dir.path().join("python"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
