//! The corpus of broken proposals: every rule fires at the expected place,
//! nothing panics, and the rendered and JSON output is snapshotted.
//!
//! Each file in `tests/fixtures/bad/` starts with `# expect: RULE@LINE:COL …`
//! and is checked alone, as the only proposal of a registry configured by
//! `tests/fixtures/privet.toml`, through the real `privet` binary.

use std::fs;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-23";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

mod common;

use common::privet;

/// Runs `privet check` in human and JSON formats over the registry at `dir`,
/// returns the snapshot text and the parsed JSON findings.
fn check_both(dir: &Path) -> (String, Vec<serde_json::Value>) {
    let human = privet(
        dir,
        &["check", "--history", "skip", "--samples", "--today", TODAY],
    );
    let json = privet(
        dir,
        &[
            "check",
            "--history",
            "skip",
            "--samples",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
    );
    assert_eq!(human.code, json.code, "both formats agree on the exit code");
    assert!(!human.stderr.contains("panicked") && !json.stderr.contains("panicked"));
    let findings: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    for f in &findings {
        for key in ["rule", "severity", "file", "line", "column", "message"] {
            assert!(
                f.get(key).is_some_and(|v| !v.is_null()),
                "finding lacks `{key}`: {f}"
            );
        }
    }
    // The timing in the summary line varies; drop it from the snapshot.
    let human_text = strip_timing(&human.stdout);
    let snapshot = format!(
        "exit code: {}\n\n{human_text}\n--- json ---\n{}",
        human.code, json.stdout
    );
    (snapshot, findings)
}

fn strip_timing(s: &str) -> String {
    s.lines()
        .map(|l| match (l.starts_with("privet: "), l.rfind(" (")) {
            (true, Some(i)) => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A scratch registry holding the fixture config and the given proposals.
fn registry_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::copy(
        fixtures().join("privet.toml"),
        dir.path().join("privet.toml"),
    )
    .expect("copy config");
    fs::create_dir(dir.path().join("proposals")).expect("proposals dir");
    for (name, bytes) in files {
        fs::write(dir.path().join("proposals").join(name), bytes).expect("write proposal");
    }
    dir
}

/// `(rule, line, column)` expectations from the fixture's first line.
fn expectations(text: &str) -> Vec<(String, u64, u64)> {
    let first = text.lines().next().unwrap_or("");
    let spec = first
        .strip_prefix("# expect: ")
        .expect("fixture starts with `# expect: `");
    spec.split_whitespace()
        .map(|e| {
            let (rule, pos) = e
                .split_once('@')
                .unwrap_or_else(|| panic!("`{e}` is not RULE@LINE:COL"));
            let (line, col) = pos.split_once(':').expect("LINE:COL");
            (
                rule.to_string(),
                line.parse().expect("line"),
                col.parse().expect("column"),
            )
        })
        .collect()
}

#[test]
fn every_bad_fixture_reports_its_rule_at_its_place() {
    check_corpus("bad", 40, "bad");
}

/// Proposals modelled on leaks real telemetry shipped (`tests/fixtures/leaks/`):
/// each must fail by rule, at the field that leaks, not by its name.
#[test]
fn every_leak_is_caught_by_rule() {
    check_corpus("leaks", 20, "leak");
}

fn check_corpus(dir: &str, at_least: usize, prefix: &str) {
    let mut names: Vec<PathBuf> = fs::read_dir(fixtures().join(dir))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    assert!(names.len() >= at_least, "the {dir} corpus has shrunk");
    for path in names {
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).expect("fixture");
        let dir = registry_with(&[(&file_name, text.as_bytes())]);
        let (snapshot, findings) = check_both(dir.path());
        for (rule, line, col) in expectations(&text) {
            assert!(
                findings
                    .iter()
                    .any(|f| f["rule"] == rule.as_str() && f["line"] == line && f["column"] == col),
                "{file_name}: expected {rule} at {line}:{col}, got:\n{snapshot}"
            );
        }
        let errors = findings.iter().filter(|f| f["severity"] == "error").count();
        let expected_code = if errors > 0 { 1 } else { 0 };
        assert!(!findings.is_empty(), "{file_name} must have findings");
        assert!(
            snapshot.starts_with(&format!("exit code: {expected_code}\n")),
            "{file_name}: wrong exit code\n{snapshot}"
        );
        insta::assert_snapshot!(format!("{prefix}__{stem}"), snapshot);
    }
}

#[test]
fn registry_fixtures() {
    for case in ["duplicate_name", "bad_config"] {
        let (snapshot, _) = check_both(&fixtures().join("registries").join(case));
        insta::assert_snapshot!(format!("registry__{case}"), snapshot);
    }
}

#[test]
fn empty_file() {
    let dir = registry_with(&[
        ("empty.toml", b""),
        ("comments_only.toml", b"# nothing yet\n\n   \n"),
    ]);
    let (snapshot, findings) = check_both(dir.path());
    assert_eq!(findings.len(), 2);
    assert!(
        findings
            .iter()
            .all(|f| f["rule"] == "empty-file" && f["line"] == 1)
    );
    insta::assert_snapshot!(snapshot);
}

#[test]
fn invalid_utf8_points_at_the_first_bad_byte() {
    let mut bytes = b"summary = \"caf".to_vec();
    bytes.push(0xE9); // Latin-1 é
    bytes.extend_from_slice(b" workers\"\nowners = [\"team\"]\n");
    let dir = registry_with(&[("latin1.toml", &bytes)]);
    let (snapshot, findings) = check_both(dir.path());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["rule"], "invalid-utf8");
    assert_eq!(
        (findings[0]["line"].as_u64(), findings[0]["column"].as_u64()),
        (Some(1), Some(15))
    );
    insta::assert_snapshot!(snapshot);
}

#[test]
fn huge_file_is_refused_without_parsing() {
    // 5 MB: a valid start, then a pasted log.
    let mut bytes = b"summary = \"Workers\"\n".to_vec();
    let line = b"# 2026-11-23T09:41:27Z worker-1 heartbeat ok\n";
    while bytes.len() < 5 * 1024 * 1024 {
        bytes.extend_from_slice(line);
    }
    let dir = registry_with(&[("huge.toml", &bytes)]);
    let (snapshot, findings) = check_both(dir.path());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["rule"], "file-too-large");
    insta::assert_snapshot!(snapshot);
}

#[cfg(unix)]
#[test]
fn unreadable_proposal_is_an_io_error_and_others_still_load() {
    let good = fs::read_to_string(
        fixtures().join("registries/duplicate_name/proposals/pulp/workers.toml"),
    )
    .unwrap();
    let dir = registry_with(&[("workers.toml", good.as_bytes())]);
    std::os::unix::fs::symlink(
        "/nonexistent/target.toml",
        dir.path().join("proposals/dangling.toml"),
    )
    .unwrap();
    let (snapshot, findings) = check_both(dir.path());
    assert_eq!(findings.len(), 1, "{snapshot}");
    assert_eq!(findings[0]["rule"], "io-error");
    assert_eq!(findings[0]["file"], "proposals/dangling.toml");
    assert!(snapshot.contains("checked 2 proposals"));
}

/// What the loader does not read is said, never skipped in silence: names
/// almost like a proposal's, symlinks that leave the registry, and special
/// files (a FIFO would block the read for ever).
#[cfg(unix)]
#[test]
fn files_not_read_as_proposals_are_reported() {
    let good = fs::read_to_string(
        fixtures().join("registries/duplicate_name/proposals/pulp/workers.toml"),
    )
    .unwrap();
    let dir = registry_with(&[("workers.toml", good.as_bytes())]);
    let proposals = dir.path().join("proposals");
    for name in [
        "Workers.TOML",
        ".hidden.toml",
        "workers .toml",
        "workers.toml~",
    ] {
        fs::write(proposals.join(name), &good).unwrap();
    }
    // Outside the registry: a secret the proposal must not echo.
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.toml"),
        "token = \"s3cr3t-value\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.toml"),
        proposals.join("leak.toml"),
    )
    .unwrap();
    let fifo = proposals.join("pipe.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let (snapshot, findings) = check_both(dir.path());
    assert!(!snapshot.contains("s3cr3t"), "{snapshot}");
    let rules_at = |file: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["file"] == format!("proposals/{file}"))
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    for name in [
        "Workers.TOML",
        ".hidden.toml",
        "workers .toml",
        "workers.toml~",
    ] {
        assert_eq!(rules_at(name), ["unread-file"], "{name}:\n{snapshot}");
    }
    assert_eq!(rules_at("leak.toml"), ["io-error"], "{snapshot}");
    assert!(
        snapshot.contains("leads outside the registry"),
        "{snapshot}"
    );
    if made.is_ok_and(|s| s.success()) {
        assert_eq!(rules_at("pipe.toml"), ["io-error"], "{snapshot}");
        assert!(snapshot.contains("not a regular file"), "{snapshot}");
    }
}

#[test]
fn a_missing_registry_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = privet(dir.path(), &["check", "no/such/dir"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no/such/dir"), "{}", run.stderr);
    let run = privet(dir.path(), &["check"]);
    assert_eq!(run.code, 2, "an empty directory has no proposals/");
    assert!(run.stderr.contains("no registry at"), "{}", run.stderr);
}
