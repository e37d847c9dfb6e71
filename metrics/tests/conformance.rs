//! The Rust runtime (`metrics::values`, copied from privet's
//! `runtime/values.rs` into every generated crate) against the conformance
//! corpus of the field types (`tests/fixtures/conformance/cases.json` in
//! privet): every raw input reduces to the value the corpus says is sent.
//! The types below declare the fixture proposal's fields by hand, with the
//! same edges and lists (the first test holds them to the proposal). String
//! fields are left out here: their automata are compiled by privet, and the
//! Python module, which embeds the same tables, is held to the corpus.

use metrics::values::*;
use serde_json::{Value, json};

fn cases() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/conformance/cases.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("cases.json")).unwrap()
}

macro_rules! buckets {
    ($name:ident, [$($e:expr),*], [$($l:expr),*]) => {
        struct $name;
        impl Buckets for $name {
            const TABLE: BucketTable = BucketTable { edges: &[$($e),*], labels: &[$($l),*] };
        }
    };
}

buckets!(Hosts, [0, 1, 2, 5, 10], ["0", "1", "2-4", "5-9", "10+"]);
buckets!(Shards, [3, 10, 100], ["0-2", "3-9", "10-99", "100+"]);
buckets!(
    Uptime,
    [0, 60, 3600, 86400],
    ["0-59", "60-3599", "3600-86399", "86400+"]
);
buckets!(Age, [0, 7, 30, 365], ["0-6", "7-29", "30-364", "365+"]);
buckets!(Roles, [0, 1, 5], ["0", "1-4", "5+"]);

struct Colors;
impl Names for Colors {
    const LIST: NameList = NameList {
        names: &["red", "green", "blue", "other"],
        type_name: "ColorValue",
        id: "conformance::ColorValue",
        doc: "",
    };
}

struct Features;
impl Names for Features {
    const LIST: NameList = NameList {
        names: &["alpha", "beta", "gamma"],
        type_name: "FeaturesItem",
        id: "conformance::FeaturesItem",
        doc: "",
    };
}

fn sent<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap()
}

fn date<R: Resolution>(raw: &Value) -> Value
where
    Date<R>: serde::Serialize,
{
    if let Some(day) = raw["date"].as_str() {
        let (y, m, d) = (&day[0..4], &day[5..7], &day[8..10]);
        let date = Date::<R>::from_ymd(y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap());
        return sent(date.expect("a real date"));
    }
    sent(Date::<R>::from_unix_seconds(raw["unix"].as_i64().unwrap()))
}

fn millis(raw: &Value) -> i64 {
    raw["millis"].as_i64().unwrap()
}

/// What the runtime sends for `raw` in `field`; None for a field left out.
fn reduce(field: &str, raw: &Value) -> Option<Value> {
    Some(match field {
        "flag" => raw.clone(),
        "color" => sent(Listed::<Colors>::from_raw(raw.as_str().unwrap())),
        "features" => sent(Set::<Member<Features>>::from_names(
            raw.as_array().unwrap().iter().map(|v| v.as_str().unwrap()),
        )),
        "hosts" => sent(Count::<Hosts>::from_signed(raw.as_i64().unwrap())),
        "shards" => sent(Count::<Shards>::from_signed(raw.as_i64().unwrap())),
        "uptime" => sent(Duration::<Uptime, Seconds>::from_millis(millis(raw))),
        "age" => sent(Duration::<Age, Days>::from_millis(millis(raw))),
        "v_major" => sent(MajorVersion::parse(raw.as_str().unwrap())),
        "v_minor" => sent(MinorVersion::parse(raw.as_str().unwrap())),
        "v_patch" => sent(PatchVersion::parse(raw.as_str().unwrap())),
        "d_day" => date::<Day>(raw),
        "d_week" => date::<Week>(raw),
        "d_month" => date::<Month>(raw),
        "plugins" => {
            let mut out = serde_json::Map::new();
            for key in ["core", "rpm"] {
                if let Some(v) = raw.get(key) {
                    out.insert(key.into(), sent(MinorVersion::parse(v.as_str().unwrap())));
                }
            }
            Value::Object(out)
        }
        "roles" => {
            let mut out = serde_json::Map::new();
            for key in ["db", "web"] {
                if let Some(v) = raw.get(key) {
                    out.insert(
                        key.into(),
                        sent(Count::<Roles>::from_signed(v.as_i64().unwrap())),
                    );
                }
            }
            Value::Object(out)
        }
        _ => return None,
    })
}

#[test]
fn the_declared_types_are_the_fixtures() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/conformance/proposals/conformance.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    for line in [
        "values = [\"red\", \"green\", \"blue\"]",
        "values = [\"alpha\", \"beta\", \"gamma\"]",
        "buckets = [0, 1, 2, 5, 10]",
        "buckets = [3, 10, 100]",
        "unit = \"second\"\nbuckets = [0, 60, 3600, 86400]",
        "unit = \"day\"\nbuckets = [0, 7, 30, 365]",
        "keys = [\"core\", \"rpm\"]\nvalue = { type = \"version\", resolution = \"minor\" }",
        "keys = [\"db\", \"web\"]\nvalue = { type = \"count\", buckets = [0, 1, 5] }",
    ] {
        assert!(text.contains(line), "the fixture no longer declares {line}");
    }
}

#[test]
fn the_rust_runtime_agrees_with_the_corpus() {
    let cases = cases();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for case in cases["reduce"].as_array().unwrap() {
        let field = case["field"].as_str().unwrap();
        let Some(got) = reduce(field, &case["raw"]) else {
            continue;
        };
        checked += 1;
        if got != case["sent"] {
            wrong.push(format!(
                "{field} {}: sent {got}, expected {}",
                case["raw"], case["sent"]
            ));
        }
    }
    assert!(checked > 700, "only {checked} cases checked");
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(sent(Count::<Hosts>::new(3)), json!("2-4"));
}
