//! The bundled registry's JSON Schemas reject what must never be sent
//! (that they equal what schemars derives is the generated
//! `schema_contract.rs`).

mod support;

use serde_json::{Value, json};
use support::schema_errors;

#[test]
fn every_schema_is_closed_and_draft_2020_12() {
    for (file, schema) in metrics::schemas() {
        let v = schema.to_value();
        assert_eq!(
            v["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{file}"
        );
        assert_eq!(v["additionalProperties"], false, "{file}");
        assert!(
            v["description"].is_string() || file.starts_with("events/"),
            "{file} has a description"
        );
    }
}

fn valid_workers() -> Value {
    json!({ "workers": "5-9", "hosts": "2-4" })
}

#[test]
fn a_valid_payload_passes() {
    assert_eq!(
        schema_errors("pulp_workers.json", &valid_workers()),
        Vec::<String>::new()
    );
}

#[test]
fn rejects_a_raw_count() {
    let mut v = valid_workers();
    v["workers"] = json!(7);
    assert!(!schema_errors("pulp_workers.json", &v).is_empty());
    v["workers"] = json!("7");
    assert!(!schema_errors("pulp_workers.json", &v).is_empty());
    assert!(serde_json::from_value::<metrics::pulp_workers::PulpWorkers>(v).is_err());
}

#[test]
fn rejects_a_patch_level_version_where_minor_was_declared() {
    let v = json!({ "release": "24.11.0" });
    assert!(!schema_errors("openwisp_version.json", &v).is_empty());
    assert!(serde_json::from_value::<metrics::openwisp_version::OpenwispVersion>(v).is_err());
    assert!(schema_errors("openwisp_version.json", &json!({ "release": "24.11" })).is_empty());
}

#[test]
fn rejects_an_unknown_enum_value_that_is_not_other() {
    let v = json!({ "method": "my-own-installer" });
    assert!(!schema_errors("openwisp_install_method.json", &v).is_empty());
    assert!(
        serde_json::from_value::<metrics::openwisp_install_method::OpenwispInstallMethod>(v)
            .is_err()
    );
    assert!(
        schema_errors(
            "openwisp_install_method.json",
            &json!({ "method": "other" })
        )
        .is_empty()
    );
}

#[test]
fn rejects_an_extra_field() {
    let mut v = valid_workers();
    v["hostname"] = json!("db01.example.org");
    assert!(!schema_errors("pulp_workers.json", &v).is_empty());
    assert!(serde_json::from_value::<metrics::pulp_workers::PulpWorkers>(v).is_err());
}

#[test]
fn rejects_a_sub_day_timestamp() {
    let payload = json!({
        "installation_id": "7d1e4b2a-93c0-4f6e-b5a8-1c2d3e4f5a6b",
        "event": "heartbeat",
        "schema_version": 1,
        "sent": "2026-11-23T09:41:27Z",
        "metrics": {}
    });
    assert!(!schema_errors("events/heartbeat.json", &payload).is_empty());
    assert!(serde_json::from_value::<metrics::events::HeartbeatPayload>(payload.clone()).is_err());
    let mut ok = payload;
    ok["sent"] = json!("2026-11-23");
    assert_eq!(
        schema_errors("events/heartbeat.json", &ok),
        Vec::<String>::new()
    );
    let month = json!({ "age": "6-11", "first_seen": "2026-05-14" });
    assert!(
        !schema_errors("installation_age.json", &month).is_empty(),
        "a month field takes the 1st only"
    );
}

#[test]
fn rejects_names_outside_a_set_and_a_host_as_installation_id() {
    let v = json!({ "enabled": { "items": ["openwisp-controller", "acme-private-module"], "unknown": "0" } });
    assert!(!schema_errors("openwisp_modules.json", &v).is_empty());
    let payload = json!({
        "installation_id": "db01.example.org",
        "event": "install",
        "schema_version": 1,
        "sent": "2026-11-23",
        "metrics": {}
    });
    assert!(!schema_errors("events/install.json", &payload).is_empty());
}

#[test]
fn rejects_a_payload_of_another_event_or_schema_version() {
    let payload = json!({
        "installation_id": "7d1e4b2a-93c0-4f6e-b5a8-1c2d3e4f5a6b",
        "event": "install",
        "schema_version": 1,
        "sent": "2026-11-23",
        "metrics": {}
    });
    assert!(!schema_errors("events/heartbeat.json", &payload).is_empty());
    let mut v2 = payload;
    v2["schema_version"] = json!(2);
    assert!(!schema_errors("events/install.json", &v2).is_empty());
}
