//! Shared by the generated crate's tests: raw-input strategies (in
//! `raw.rs`), schema validation against the generated schema files, and an
//! independent check of the declared domain.

#![allow(dead_code, unused_imports)]

mod raw;
pub use raw::*;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// 64 cases per property in CI (every metric and payload has one);
/// `PROPTEST_CASES=5000` for a long local run.
pub fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64),
        ..Config::default()
    }
}

type Validators = Mutex<HashMap<String, Arc<jsonschema::Validator>>>;

/// The validator of a generated schema file (under [`SCHEMAS`]).
pub fn validator(file: &str) -> Arc<jsonschema::Validator> {
    static CACHE: OnceLock<Validators> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(file.to_string())
        .or_insert_with(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(SCHEMAS)
                .join(file);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
            Arc::new(jsonschema::validator_for(&schema).expect("schema compiles"))
        })
        .clone()
}

/// Errors of `instance` against the checked-in schema `file`.
pub fn schema_errors(file: &str, instance: &Value) -> Vec<String> {
    validator(file)
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn fail(msg: String) -> TestCaseError {
    TestCaseError::fail(msg)
}

/// The JSON of `value`, which must validate against the checked-in schema `schema`.
fn validated_json<T: Serialize>(value: &T, schema: &str) -> Result<Value, TestCaseError> {
    let json = serde_json::to_value(value).map_err(|e| fail(e.to_string()))?;
    let errors = schema_errors(schema, &json);
    if !errors.is_empty() {
        return Err(fail(format!(
            "{json} does not validate against {schema}: {errors:?}"
        )));
    }
    Ok(json)
}

/// (a) schema, (b) domain, (c) round trip, for one metric value.
pub fn check<T>(value: &T, schema: &str, domain: &str) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = validated_json(value, schema)?;
    let domain: Value = serde_json::from_str(domain).expect("domain is JSON");
    check_fields(&json, &domain).map_err(|e| fail(format!("{json}: {e}")))?;
    round_trip(value, &json)?;
    agrees_with_schema::<T>(&json, schema)
}

/// (a) and (c) for an event payload, and (b) for the envelope.
pub fn check_payload<T>(value: &T, schema: &str) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = validated_json(value, schema)?;
    let id = json["installation_id"].as_str().unwrap_or("");
    if !is_uuid_v4(id) {
        return Err(fail(format!("installation id `{id}` is not a UUIDv4")));
    }
    check_value(&json["sent"], &serde_json::json!({ "date": "day" }))
        .map_err(|e| fail(format!("sent: {e}")))?;
    round_trip(value, &json)?;
    agrees_with_schema::<T>(&json, schema)
}

/// The type's `Deserialize` accepts exactly what the schema accepts among
/// `json` changed at any of its objects: one key left out, or an unknown
/// key added. (The types' serde impls are written by privet, not derived;
/// this holds them to the schema where it says what may be left out and
/// that nothing else may be sent.)
fn agrees_with_schema<T: DeserializeOwned>(
    json: &Value,
    schema: &str,
) -> Result<(), TestCaseError> {
    fn objects(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    objects(
                        x,
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        out,
                    );
                }
                out.push(at);
            }
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    objects(x, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut pointers = Vec::new();
    objects(json, String::new(), &mut pointers);
    let validator = validator(schema);
    for at in pointers {
        let keys: Vec<String> = json
            .pointer(&at)
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let mut changes: Vec<(String, Value)> = Vec::new();
        for key in keys {
            let mut changed = json.clone();
            if let Some(obj) = changed.pointer_mut(&at).and_then(Value::as_object_mut) {
                obj.remove(&key);
            }
            changes.push((format!("without `{key}` at `{at}`"), changed));
        }
        let mut changed = json.clone();
        if let Some(obj) = changed.pointer_mut(&at).and_then(Value::as_object_mut) {
            obj.insert("privet_unknown_key".into(), Value::Bool(true));
        }
        changes.push((format!("with an unknown key at `{at}`"), changed));
        for (what, changed) in changes {
            let schema_accepts = validator.is_valid(&changed);
            let type_accepts = serde_json::from_value::<T>(changed).is_ok();
            if schema_accepts != type_accepts {
                let verdict = |ok: bool| if ok { "accepts" } else { "rejects" };
                return Err(fail(format!(
                    "{json} {what}: the schema {} it, the type {} it",
                    verdict(schema_accepts),
                    verdict(type_accepts)
                )));
            }
        }
    }
    Ok(())
}

fn round_trip<T>(value: &T, json: &Value) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let back: T = serde_json::from_value(json.clone())
        .map_err(|e| fail(format!("{json} does not deserialize: {e}")))?;
    if back != *value {
        return Err(fail(format!("{value:?} came back as {back:?}")));
    }
    let again = serde_json::to_value(&back).map_err(|e| fail(e.to_string()))?;
    if again != *json {
        return Err(fail(format!("{json} re-serialized as {again}")));
    }
    Ok(())
}

/// Every declared field present, nothing else, each value in its domain.
pub fn check_fields(json: &Value, domain: &Value) -> Result<(), String> {
    let (Some(obj), Some(dom)) = (json.as_object(), domain.as_object()) else {
        return Err("not an object".into());
    };
    for key in obj.keys() {
        if !dom.contains_key(key) {
            return Err(format!("undeclared field `{key}`"));
        }
    }
    for (key, d) in dom {
        let v = obj
            .get(key)
            .ok_or_else(|| format!("field `{key}` is missing"))?;
        check_value(v, d).map_err(|e| format!("field `{key}`: {e}"))?;
    }
    Ok(())
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// One value against its declared domain.
pub fn check_value(v: &Value, d: &Value) -> Result<(), String> {
    let s = v.as_str();
    if d.get("bool").is_some() {
        return v
            .is_boolean()
            .then_some(())
            .ok_or_else(|| format!("{v} is not a boolean"));
    }
    if let Some(labels) = d.get("labels") {
        return s
            .filter(|s| strings(labels).contains(s))
            .map(|_| ())
            .ok_or_else(|| format!("{v} is not a bucket label"));
    }
    if let Some(values) = d.get("enum") {
        return s
            .filter(|s| strings(values).contains(s))
            .map(|_| ())
            .ok_or_else(|| format!("{v} is not a listed value"));
    }
    if let Some(items) = d.get("set") {
        let listed = strings(items);
        let got = v["items"]
            .as_array()
            .ok_or_else(|| format!("{v} has no items"))?;
        let mut seen = Vec::new();
        for item in got {
            let name = item
                .as_str()
                .filter(|n| listed.contains(n))
                .ok_or_else(|| format!("{item} is not listed"))?;
            if seen.contains(&name) {
                return Err(format!("{item} is listed twice"));
            }
            seen.push(name);
        }
        return match v["unknown"].as_str() {
            Some("0" | "1" | "2-4" | "5+") if v.as_object().is_some_and(|o| o.len() == 2) => Ok(()),
            _ => Err(format!("{v} is not a set with a bucketed unknown count")),
        };
    }
    if let Some(parts) = d.get("version").and_then(Value::as_u64) {
        let s = s.ok_or_else(|| format!("{v} is not a string"))?;
        let ok = s == "unknown"
            || (s.split('.').count() == parts as usize
                && s.split('.').all(|p| {
                    !p.is_empty()
                        && p.len() <= 9
                        && p.bytes().all(|b| b.is_ascii_digit())
                        && (p == "0" || !p.starts_with('0'))
                }));
        let within = match d.get("ranges").and_then(Value::as_array) {
            None => true,
            Some(ranges) => {
                s == "unknown"
                    || s.split('.').zip(ranges).all(|(p, range)| {
                        let bound = |i: usize| range.get(i).and_then(Value::as_u64);
                        p.parse::<u64>().ok().is_some_and(|p| {
                            bound(0).is_some_and(|lo| lo <= p) && bound(1).is_some_and(|hi| p <= hi)
                        })
                    })
            }
        };
        return (ok && within).then_some(()).ok_or_else(|| {
            format!("`{s}` is not a version of {parts} part(s) within its largest")
        });
    }
    if let Some(res) = d.get("date").and_then(Value::as_str) {
        let s = s.ok_or_else(|| format!("{v} is not a string"))?;
        let (y, m, day) = parse_date(s).ok_or_else(|| format!("`{s}` is not a date"))?;
        return match res {
            "week" if weekday(y, m, day) != 1 => Err(format!("{s} is not a Monday")),
            "month" if day != 1 => Err(format!("{s} is not the first of a month")),
            _ => Ok(()),
        };
    }
    if let Some(keys) = d.get("map") {
        let obj = v
            .as_object()
            .ok_or_else(|| format!("{v} is not an object"))?;
        let keys = strings(keys);
        for (k, x) in obj {
            if !keys.contains(&k.as_str()) {
                return Err(format!("key `{k}` is not listed"));
            }
            check_value(x, &d["value"]).map_err(|e| format!("key `{k}`: {e}"))?;
        }
        return Ok(());
    }
    if let Some(max) = d.get("max_len").and_then(Value::as_u64) {
        let s = s.ok_or_else(|| format!("{v} is not a string"))?;
        return (s.chars().count() as u64 <= max)
            .then_some(())
            .ok_or_else(|| format!("`{s}` is longer than {max}"));
    }
    Err(format!("unknown domain {d}"))
}

fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    ((1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1]).then_some((y, m, d))
}

/// ISO weekday (Monday = 1) by Zeller's congruence.
fn weekday(y: i64, m: u32, d: u32) -> u32 {
    let (y, m) = if m < 3 {
        (y - 1, i64::from(m) + 12)
    } else {
        (y, i64::from(m))
    };
    let h = (i64::from(d) + 13 * (m + 1) / 5 + y + y / 4 - y / 100 + y / 400).rem_euclid(7);
    // h: 0 = Saturday … 6 = Friday
    ((h + 5).rem_euclid(7) + 1) as u32
}

pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            14 => *c == b'4',
            19 => matches!(c, b'8' | b'9' | b'a' | b'b'),
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

#[test]
fn weekday_is_right() {
    assert_eq!(weekday(2026, 11, 23), 1);
    assert_eq!(weekday(2024, 2, 29), 4);
    assert_eq!(weekday(2000, 1, 1), 6);
}

/// Every bucket label, enum value (with `other`), boolean, set item, set
/// unknown-count label and map key of `domain` comes up among the values of
/// `strategy` (fixed seed; 1024 of them, or 32 per atom of the largest
/// domain, such as a vocabulary of 250 countries): the raw inputs reach the
/// whole declared domain, not only its easy part. Panics with what never
/// came up.
pub fn covers<T, S>(strategy: S, domain: &str)
where
    T: Serialize + std::fmt::Debug,
    S: Strategy<Value = T>,
{
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let domain: Value = serde_json::from_str(domain).expect("domain is JSON");
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let mut per_path: BTreeMap<String, usize> = BTreeMap::new();
    for (key, d) in domain.as_object().expect("domain is an object") {
        for (path, _) in expected_atoms(d, key) {
            *per_path.entry(path).or_default() += 1;
        }
    }
    let draws = per_path.values().max().map_or(1024, |n| (n * 32).max(1024));
    let mut seen = BTreeMap::new();
    for _ in 0..draws {
        let value = strategy
            .new_tree(&mut runner)
            .expect("a value is generated")
            .current();
        let json = serde_json::to_value(&value).expect("a generated value serializes");
        for (key, d) in domain.as_object().expect("domain is an object") {
            seen_atoms(&json[key], d, key, &mut seen);
        }
    }
    let mut missing = Vec::new();
    for (key, d) in domain.as_object().expect("domain is an object") {
        for (path, atom) in expected_atoms(d, key) {
            if !seen
                .get(&path)
                .is_some_and(|s: &BTreeSet<String>| s.contains(&atom))
            {
                missing.push(format!("{path}: {atom}"));
            }
        }
    }
    assert!(missing.is_empty(), "never generated: {missing:?}");
}

fn seen_atoms(v: &Value, d: &Value, path: &str, seen: &mut BTreeMap<String, BTreeSet<String>>) {
    let add = |seen: &mut BTreeMap<String, BTreeSet<String>>, atom: String| {
        seen.entry(path.to_string()).or_default().insert(atom);
    };
    if d.get("labels").is_some() || d.get("enum").is_some() {
        if let Some(s) = v.as_str() {
            add(seen, s.to_string());
        }
    } else if d.get("bool").is_some() {
        if let Some(b) = v.as_bool() {
            add(seen, b.to_string());
        }
    } else if d.get("set").is_some() {
        for item in v["items"].as_array().into_iter().flatten() {
            add(seen, item.as_str().unwrap_or_default().to_string());
        }
        add(
            seen,
            format!("unknown:{}", v["unknown"].as_str().unwrap_or_default()),
        );
    } else if d.get("map").is_some() {
        for (k, x) in v.as_object().into_iter().flatten() {
            add(seen, format!("key:{k}"));
            seen_atoms(x, &d["value"], &format!("{path}/*"), seen);
        }
    }
}

fn expected_atoms(d: &Value, path: &str) -> Vec<(String, String)> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    };
    let here = |atoms: Vec<String>| atoms.into_iter().map(|a| (path.to_string(), a)).collect();
    if let Some(l) = d.get("labels").or_else(|| d.get("enum")) {
        here(strings(l))
    } else if d.get("bool").is_some() {
        here(vec!["true".into(), "false".into()])
    } else if let Some(items) = d.get("set") {
        let mut atoms = strings(items);
        atoms.extend(["0", "1", "2-4", "5+"].map(|u| format!("unknown:{u}")));
        here(atoms)
    } else if let Some(keys) = d.get("map") {
        let mut out: Vec<(String, String)> = here(
            strings(keys)
                .into_iter()
                .map(|k| format!("key:{k}"))
                .collect(),
        );
        out.extend(expected_atoms(&d["value"], &format!("{path}/*")));
        out
    } else {
        Vec::new()
    }
}
