//! Real, public telemetry files (tests/fixtures/real/, MPL-2.0, sources in
//! SOURCES.md) through the readers that take JSON: Glean pings from
//! mozilla-pipeline-schemas' validation set, and three of its JSON Schemas.
//! The Glean metrics files go through `privet import` in tests/import.rs.

use std::path::Path;

mod common;

use common::privet;

fn real(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real")
        .join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{}: {files:?}", dir.display());
    files
}

/// Every finding of `privet scan --format json` on `file`, checked against
/// the contract: a line of the file, offsets inside it.
fn scan(file: &Path) -> Vec<serde_json::Value> {
    let dir = file.parent().unwrap();
    let run = privet(dir, &["scan", "--format", "json", file.to_str().unwrap()]);
    assert!(
        run.code == 0 || run.code == 1,
        "{}: {}",
        file.display(),
        run.stderr
    );
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    run.stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .inspect(|f| {
            let line = lines[f["line"].as_u64().unwrap() as usize - 1];
            let (start, end) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            assert!(start < end && end <= line.len(), "{}: {f}", file.display());
        })
        .collect()
}

/// A Glean ping carries the client's persistent id and its start and end
/// times to the minute or finer: exactly what privet exists to keep out of
/// a payload, found in each real ping.
#[test]
fn real_glean_pings_are_scanned_and_their_identifiers_found() {
    for file in real("payloads") {
        let found = scan(&file);
        let has = |pointer: &str, kind: &str| {
            found
                .iter()
                .any(|f| f["pointer"] == pointer && f["kind"] == kind)
        };
        assert!(
            has("/client_info/client_id", "persistent-id"),
            "{}: {found:?}",
            file.display()
        );
        assert!(
            has("/ping_info/start_time", "timestamp"),
            "{}: {found:?}",
            file.display()
        );
    }
}

/// Real JSON Schemas read as JSON documents: no panic, every finding inside
/// the file. (What is found there is not judged here: `json-schema.org` as
/// a host name is the false-positive class of the rarity issue.)
#[test]
fn real_json_schemas_are_read_whole() {
    for file in real("schemas") {
        scan(&file);
    }
}
