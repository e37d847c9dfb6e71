//! The `privet` command line, end to end through the real binary.

use std::fs;
use std::path::Path;

mod common;

use common::{Run, privet};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

#[test]
fn bundled_registry_is_clean() {
    let run = privet(repo(), &["check", "--history", "skip"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("0 errors, 0 warnings"),
        "{}",
        run.stdout
    );
    let count = walk_toml(&repo().join("proposals"));
    assert!(
        count >= 15,
        "the bundled registry holds at least 15 proposals, found {count}"
    );
    assert!(
        run.stdout.contains(&format!("checked {count} proposals")),
        "{}",
        run.stdout
    );
}

fn walk_toml(dir: &Path) -> usize {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            if p.is_dir() {
                walk_toml(&p)
            } else {
                usize::from(p.extension().is_some_and(|e| e == "toml"))
            }
        })
        .sum()
}

#[test]
fn new_then_check_reports_exactly_the_unanswered_checklist() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("proposals")).unwrap();
    let run = privet(dir.path(), &["new", "x"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("created proposals/x.toml"),
        "{}",
        run.stdout
    );

    let run = privet(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let findings = json_lines(&run.stdout);
    let mut keys: Vec<String> = findings
        .iter()
        .map(|f| {
            assert!(
                f["rule"].as_str().unwrap().starts_with("checklist-"),
                "only checklist findings expected, got {f}"
            );
            assert_eq!(f["metric"], "x");
            assert_eq!(f["file"], "proposals/x.toml");
            let msg = f["message"].as_str().unwrap();
            let key = msg.split('`').nth(1).map(str::to_string);
            key.unwrap_or_else(|| "example".to_string())
        })
        .collect();
    keys.sort();
    let mut expected: Vec<String> = privet::model::CHECKLIST
        .iter()
        .map(|c| c.key.to_string())
        .collect();
    expected.sort();
    assert_eq!(
        keys, expected,
        "one finding per checklist question, none else"
    );

    // Each finding points at the prompt's own line.
    let text = fs::read_to_string(dir.path().join("proposals/x.toml")).unwrap();
    for f in &findings {
        let line = text
            .lines()
            .nth(f["line"].as_u64().unwrap() as usize - 1)
            .unwrap();
        assert!(line.ends_with("= \"\"") || line == "[example]", "{line}");
    }
}

#[test]
fn new_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("proposals")).unwrap();
    fs::write(dir.path().join("proposals/x.toml"), "# my work\n").unwrap();
    let run = privet(dir.path(), &["new", "x"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join("proposals/x.toml")).unwrap(),
        "# my work\n"
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("proposals"))
        .unwrap()
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn new_rejects_bad_names_and_suggests_one() {
    let dir = tempfile::tempdir().unwrap();
    let run = privet(dir.path(), &["new", "Pulp-Workers"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("privet new pulp_workers"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("proposals").exists());
}

#[test]
fn new_uses_configured_events_and_options() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("privet.toml"),
        "proposals = \"metrics\"\nevents = [\"daily\", \"weekly\"]\n",
    )
    .unwrap();
    let run = privet(
        dir.path(),
        &["new", "y", "--owner", "team-a", "--owner", "team-b"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fs::read_to_string(dir.path().join("metrics/y.toml")).unwrap();
    assert!(text.contains("owners = [\"team-a\", \"team-b\"]"), "{text}");
    assert!(text.contains("events = [\"daily\"]"), "{text}");
}

/// A registry whose one proposal, `z`, has `owners` as a string (line 2,
/// column 10): a `wrong-type` finding to render in every format.
fn wrong_type_registry() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("proposals")).unwrap();
    fs::write(
        dir.path().join("proposals/z.toml"),
        "summary = \"x\"\nowners = \"me\"\n",
    )
    .unwrap();
    dir
}

#[test]
fn json_lines_carry_the_contract_fields() {
    let dir = wrong_type_registry();
    let run = privet(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("privet: checked 1 proposal")),
        "summary goes to stderr: {}",
        run.stderr
    );
    let findings = json_lines(&run.stdout);
    assert!(!findings.is_empty());
    for f in &findings {
        for key in ["rule", "severity", "file", "line", "column", "message"] {
            assert!(!f[key].is_null(), "{key} missing in {f}");
        }
        assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1);
        assert_eq!(f["metric"], "z");
    }
    let wrong = findings
        .iter()
        .find(|f| f["rule"] == "wrong-type")
        .expect("owners is a string");
    assert_eq!(
        (wrong["line"].as_u64(), wrong["column"].as_u64()),
        (Some(2), Some(10))
    );
}

#[test]
fn github_format_annotates_file_and_line() {
    let dir = wrong_type_registry();
    let run = privet(dir.path(), &["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.lines().any(
            |l| l.starts_with("::error file=proposals/z.toml,line=2,col=10,")
                && l.contains("title=privet wrong-type::")
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn explain_documents_rules_and_suggests_on_typos() {
    let dir = tempfile::tempdir().unwrap();
    let run = privet(dir.path(), &["explain", "unknown-key"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .starts_with("unknown-key (error, structure family)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("What it flags:")
            && run.stdout.contains("Why:")
            && run.stdout.contains("Example:")
    );

    let run = privet(dir.path(), &["explain", "unknown-kye"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `unknown-key`?"),
        "{}",
        run.stderr
    );

    let run = privet(dir.path(), &["explain"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.lines().count(), privet::catalog::ALL.len());
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let run = privet(dir.path(), &["frobnicate"]);
    assert_eq!(run.code, 2);
    let run = privet(dir.path(), &["check", "--format", "xml"]);
    assert_eq!(run.code, 2);
    let run = privet(dir.path(), &["--help"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("check")
            && run.stdout.contains("new")
            && run.stdout.contains("explain")
    );
    let run = privet(dir.path(), &["check", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("registry root"), "{}", run.stdout);
}

#[test]
fn check_accepts_the_proposals_directory_itself() {
    let run = privet(repo(), &["check", "--history", "skip", "proposals"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let run = privet(repo(), &["check", "--history", "skip", "proposals/pulp"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("checked 5 proposals"), "{}", run.stdout);
}

#[test]
fn scan_reports_line_pointer_kind_and_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payloads.jsonl");
    let line2 = r#"{"installation_id":"3b9e2f4c-1d7a-4e8b-9c6f-0a5d2e8b7c41","meta":{"host":"db01.corp.example.com"},"size_bytes":4111111111111111}"#;
    fs::write(&file, format!("{{\"ok\":true}}\n{line2}\n")).unwrap();
    let run = privet(dir.path(), &["scan", "payloads.jsonl", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = json_lines(&run.stdout);
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    let f = &findings[0];
    assert_eq!(
        (
            f["line"].as_u64(),
            f["pointer"].as_str(),
            f["kind"].as_str()
        ),
        (Some(2), Some("/meta/host"), Some("hostname"))
    );
    let (start, end) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&line2[start..end], "db01.corp.example.com");

    // Human output redacts what it found.
    let run = privet(dir.path(), &["scan", "payloads.jsonl"]);
    assert!(
        run.stdout.contains("payloads.jsonl:2:") && run.stdout.contains("\"db…om\""),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("db01.corp"),
        "the report must not repeat the leak"
    );
}

#[test]
fn scan_streams_long_json_lines_with_the_input_line_numbers() {
    // About 20 MB: the scan reads it a block of lines at a time (8 MB), and
    // every finding, invalid line and invalid UTF-8 byte keeps the line
    // number it has in the input, whichever block it fell in.
    let dir = tempfile::tempdir().unwrap();
    let clean = r#"{"installation_id":"3b9e2f4c-1d7a-4e8b-9c6f-0a5d2e8b7c41","event":"heartbeat","metrics":{"workers":"2-4","backend":"postgresql","padding":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}"#;
    let leak = r#"{"installation_id":"3b9e2f4c-1d7a-4e8b-9c6f-0a5d2e8b7c41","meta":{"host":"db01.corp.example.com"}}"#;
    let lines = 20_000_000 / (clean.len() + 1);
    let leaks = [1usize, lines / 3, lines / 2, lines - 1, lines];
    let broken = lines * 2 / 3;
    let mut text = Vec::with_capacity(21_000_000);
    for n in 1..=lines {
        if leaks.contains(&n) {
            text.extend_from_slice(leak.as_bytes());
        } else if n == broken {
            text.extend_from_slice(b"{\"cut\":");
        } else if n == broken + 1 {
            text.extend_from_slice(b"{\"bad\":\"caf\xe9\"}");
        } else {
            text.extend_from_slice(clean.as_bytes());
        }
        text.push(b'\n');
    }
    fs::write(dir.path().join("big.jsonl"), &text).unwrap();
    let run = privet(dir.path(), &["scan", "big.jsonl", "--format", "json"]);
    assert_eq!(
        run.code, 2,
        "an invalid line is an input error: {}",
        run.stderr
    );
    let found: Vec<u64> = json_lines(&run.stdout)
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(found, leaks.map(|n| n as u64), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("big.jsonl:{broken}:")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("big.jsonl:{}:", broken + 1))
            && run.stderr.contains("not valid UTF-8"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("in {lines} payloads")),
        "{}",
        run.stderr
    );
    // Human output quotes (redacted) the line of the last block's finding.
    let run = privet(dir.path(), &["scan", "big.jsonl"]);
    assert!(
        run.stdout.contains(&format!("big.jsonl:{lines}:")) && run.stdout.contains("\"db…om\""),
        "{}",
        run.stdout
    );
}

#[test]
fn scan_reads_the_registrys_public_hosts_and_escapes_github_output() {
    let dir = tempfile::tempdir().unwrap();
    let line = r#"{"update_url":"https://updates.example-project.org/check","mirror":"mirror.acme-intern.intra","x\n::error file=evil.rs::owned":"db01.corp.example.com"}"#;
    fs::write(dir.path().join("p.jsonl"), format!("{line}\n")).unwrap();
    let kinds = |run: &Run| -> Vec<String> {
        json_lines(&run.stdout)
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f["pointer"].as_str().unwrap(),
                    f["kind"].as_str().unwrap()
                )
            })
            .collect()
    };
    let plain = privet(dir.path(), &["scan", "p.jsonl", "--format", "json"]);
    assert!(
        kinds(&plain).contains(&"/update_url hostname".to_string()),
        "{}",
        plain.stdout
    );
    // The project's own update host is declared public in its privet.toml.
    fs::write(
        dir.path().join("privet.toml"),
        "[pii]\npublic_hosts = [\"example-project.org\"]\n",
    )
    .unwrap();
    let with = privet(
        dir.path(),
        &["scan", "p.jsonl", "--format", "json", "--registry", "."],
    );
    let found = kinds(&with);
    assert!(
        !found.contains(&"/update_url hostname".to_string()),
        "{found:?}"
    );
    assert!(found.contains(&"/mirror hostname".to_string()), "{found:?}");
    // A key cannot start a workflow command of its own in GitHub output.
    let gh = privet(dir.path(), &["scan", "p.jsonl", "--format", "github"]);
    assert!(
        gh.stdout
            .lines()
            .all(|l| l.starts_with("::error file=p.jsonl,")),
        "{}",
        gh.stdout
    );
}

#[test]
fn scan_exit_codes_and_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("clean.jsonl"),
        "{\"a\":\"b\"}\n{\"version\":\"10.0.0.1\"}\n",
    )
    .unwrap();
    assert_eq!(privet(dir.path(), &["scan", "clean.jsonl"]).code, 0);
    fs::write(dir.path().join("broken.jsonl"), "{\"a\":\n").unwrap();
    let run = privet(dir.path(), &["scan", "broken.jsonl"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("broken.jsonl:1:6: invalid JSON"),
        "{}",
        run.stderr
    );
    let run = privet(dir.path(), &["scan", "missing.jsonl"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read missing.jsonl"),
        "{}",
        run.stderr
    );
    fs::write(dir.path().join("latin1.jsonl"), b"{\"a\":\"caf\xe9\"}\n").unwrap();
    let run = privet(dir.path(), &["scan", "latin1.jsonl"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
    // One bad byte on line 2 hides neither the email on line 1 nor the
    // address on line 3.
    fs::write(
        dir.path().join("mixed.jsonl"),
        b"{\"to\":\"jane@example.org\"}\n{\"a\":\"caf\xe9\"}\n{\"peer\":\"203.0.113.9\"}\n",
    )
    .unwrap();
    let run = privet(dir.path(), &["scan", "mixed.jsonl", "--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("mixed.jsonl:2:10: not valid UTF-8"),
        "{}",
        run.stderr
    );
    let lines: Vec<u64> = json_lines(&run.stdout)
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 3], "{}", run.stdout);
}

#[test]
fn sarif_output_is_one_document_with_rules_and_locations() {
    let dir = wrong_type_registry();
    let run = privet(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(
        run0["tool"]["driver"]["rules"].as_array().unwrap().len(),
        privet::catalog::ALL.len()
    );
    let results = run0["results"].as_array().unwrap();
    let wrong = results
        .iter()
        .find(|r| r["ruleId"] == "wrong-type")
        .expect("wrong-type result");
    let region = &wrong["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(2), Some(10))
    );
    assert_eq!(
        wrong["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "proposals/z.toml"
    );
}

/// From any directory below a registry, `check` finds it by searching
/// upwards (as git, ruff and pytest do); a directory among the proposals
/// is still read as part of them.
#[test]
fn check_from_a_subdirectory_finds_the_registry_above() {
    let dir = tempfile::tempdir().unwrap();
    let run = privet(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let deep = dir.path().join("src/deep");
    fs::create_dir_all(&deep).unwrap();
    let from_root = privet(dir.path(), &["check", "--history", "skip"]);
    let from_below = privet(&deep, &["check", "--history", "skip"]);
    assert_eq!(
        from_below.code, from_root.code,
        "{}{}",
        from_below.stdout, from_below.stderr
    );
    assert!(
        from_below.stdout.contains("checked 1 proposal in ../.."),
        "{}",
        from_below.stdout
    );
    let sub = dir.path().join("proposals/team");
    fs::create_dir_all(&sub).unwrap();
    let run = privet(&sub, &["check", "--history", "skip"]);
    assert_eq!(
        run.code, 2,
        "an empty directory of proposals: {}{}",
        run.stdout, run.stderr
    );
}

/// `privet check FILE` checks one proposal: the registry's configuration
/// applies, and only that file's findings (and privet.toml's) are reported.
#[test]
fn check_of_one_file_reports_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = privet(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = privet(dir.path(), &["new", "second_metric"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = privet(
        dir.path(),
        &[
            "check",
            "--history",
            "skip",
            "--format",
            "json",
            "proposals/second_metric.toml",
        ],
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let findings = json_lines(&run.stdout);
    assert!(!findings.is_empty());
    for f in &findings {
        let file = f["file"].as_str().unwrap();
        assert!(
            file.ends_with("second_metric.toml") || file.ends_with("privet.toml"),
            "{f}"
        );
    }
}

/// How many of a JSON scan's findings are at `pointer`.
fn findings_at(stdout: &str, pointer: &str) -> usize {
    json_lines(stdout)
        .iter()
        .filter(|f| f["pointer"] == pointer)
        .count()
}

#[test]
fn machines_numbered_in_a_pattern_many_installations_use_are_a_convention() {
    let dir = tempfile::tempdir().unwrap();
    // Five sites name their compute nodes `cnNNN`, each its own numbers;
    // one names its machine after its owner.
    let mut text = String::new();
    for i in 0..5u32 {
        text.push_str(&format!(
            "{{\"installation_id\":\"3b9e2f4c-1d7a-4e8b-9c6f-{i:012x}\",\"trace\":{{\"hostname\":\"cn{}\"}}}}\n",
            100 + 7 * i
        ));
    }
    text.push_str(
        "{\"installation_id\":\"3b9e2f4c-1d7a-4e8b-9c6f-00000000000f\",\"trace\":{\"hostname\":\"bjorn-desktop-82\"}}\n",
    );
    fs::write(dir.path().join("p.jsonl"), &text).unwrap();
    let run = privet(dir.path(), &["scan", "p.jsonl", "--format", "json"]);
    let findings = json_lines(&run.stdout);
    assert_eq!(findings.len(), 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(findings[0]["line"], 6);
    // Four sites are not evidence enough at k = 5.
    let four: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    fs::write(dir.path().join("four.jsonl"), four).unwrap();
    let run = privet(dir.path(), &["scan", "four.jsonl", "--format", "json"]);
    assert_eq!(json_lines(&run.stdout).len(), 5, "{}", run.stdout);
}

#[test]
fn scan_leaves_out_ids_and_times_new_in_every_payload_and_the_installation_id_repeated() {
    let dir = tempfile::tempdir().unwrap();
    // Five installations, three payloads each: a new send time and message
    // id in every payload, the installation id repeated in the body, a
    // device id and an install time each installation always sends, and a
    // time two installations share.
    let mut text = String::new();
    for i in 0..5u32 {
        for p in 0..3u32 {
            let n = i * 3 + p;
            text.push_str(&format!(
                "{{\"installation_id\":\"3b9e2f4c-1d7a-4e8b-9c6f-{i:012x}\",\"body\":{{\"sentAt\":\"2026-11-{:02}T10:{:02}:17Z\",\"messageId\":\"9f2c0a51-7d3e-4b8a-a1c4-{n:012x}\",\"anonymousId\":\"3b9e2f4c-1d7a-4e8b-9c6f-{i:012x}\",\"device\":\"5d41402a-bc4b-42a7-9c11-{i:012x}\",\"installedAt\":\"2023-03-{:02}T08:15:00Z\",\"seenAt\":\"2026-10-0{}T09:00:00Z\"}}}}\n",
                p + 1,
                n,
                i + 1,
                i.min(1) + 1
            ));
        }
    }
    fs::write(dir.path().join("p.jsonl"), &text).unwrap();
    let run = privet(dir.path(), &["scan", "p.jsonl", "--format", "json"]);
    let findings = json_lines(&run.stdout);
    let pointers: std::collections::BTreeSet<&str> = findings
        .iter()
        .map(|f| f["pointer"].as_str().unwrap())
        .collect();
    // The device id and the install time stand for the installation, as
    // its installation id does. A time two installations share is no
    // installation's own: it stays.
    assert_eq!(
        pointers,
        ["/body/seenAt"].into_iter().collect(),
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(findings.len(), 15);
    assert!(
        run.stderr.contains(
            "30 id(s) or time(s) at 2 place(s) that at least 5 installations fill with a new value in every payload"
        ) && run
            .stderr
            .contains("15 repeat(s) of the payload's own installation id not reported")
            && run.stderr.contains("30 id(s) at 2 place(s) that stand for the installation"),
        "{}",
        run.stderr
    );
    // Four installations are not evidence enough at k = 5: each is judged.
    let four: String = text.lines().take(12).map(|l| format!("{l}\n")).collect();
    fs::write(dir.path().join("four.jsonl"), four).unwrap();
    let run = privet(dir.path(), &["scan", "four.jsonl", "--format", "json"]);
    let times = findings_at(&run.stdout, "/body/sentAt");
    assert_eq!(times, 12, "{}", run.stdout);
    // Without installations there is no telling a clock from a birth date.
    let run = privet(
        dir.path(),
        &[
            "scan",
            "p.jsonl",
            "--format",
            "json",
            "--installation",
            "none",
        ],
    );
    let times = findings_at(&run.stdout, "/body/sentAt");
    assert_eq!(times, 15, "{}", run.stdout);
}

#[test]
fn scan_summarises_keys_a_collector_issued_and_reports_every_other_credential() {
    let dir = tempfile::tempdir().unwrap();
    // Five installations, three payloads each: each always sends its own
    // write key, the product's key is the same in every copy, a session
    // token is new in every payload, and each sends a password and a
    // provider's token of its own.
    let mut text = String::new();
    let key = |i: u32, p: u32| format!("phc_{i:04}{p:04}Qx7vLm2pZr9TkWb3Nd8Yh");
    for i in 0..5u32 {
        for p in 0..3u32 {
            let (write_key, session) = (key(i, 0), key(i, p + 1));
            text.push_str(&format!(
                "{{\"installation_id\":\"3b9e2f4c-1d7a-4e8b-9c6f-{i:012x}\",\"api_key\":\"{write_key}\",\"session_token\":\"{session}\",\"product\":{{\"token\":\"9f3b2c7d1e0a4b6c8d2e5f7a1b3c5d7e\"}},\"db_password\":\"Zq8{i:04}mW2rT6yP1sK4vN7\",\"gh\":{{\"token\":\"ghp_{i:04}abcdefghijABCDEFGHIJ0123456789ab\"}}}}\n"
            ));
        }
    }
    fs::write(dir.path().join("p.jsonl"), &text).unwrap();
    let run = privet(dir.path(), &["scan", "p.jsonl", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Passwords, providers' tokens and a changing token: every one.
    for at in ["/db_password", "/gh/token", "/session_token"] {
        assert_eq!(findings_at(&run.stdout, at), 15, "{at}: {}", run.stdout);
    }
    assert_eq!(findings_at(&run.stdout, "/api_key"), 0, "{}", run.stdout);
    assert_eq!(
        findings_at(&run.stdout, "/product/token"),
        0,
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(
            "15 credential(s) at 1 place(s) where at least 5 installations each always send their own one"
        ) && run
            .stderr
            .contains("15 finding(s) of 1 such value(s) not reported"),
        "{}",
        run.stderr
    );
}

#[test]
fn scan_judges_the_keys_of_a_map_as_the_values_of_one_place() {
    let dir = tempfile::tempdir().unwrap();
    // Five installations, two payloads each, count clients by their
    // fingerprint: five fingerprints every installation sees, and one
    // each of its own.
    let mut text = String::new();
    for i in 0..5u32 {
        for _ in 0..2 {
            let mut keys: Vec<String> = (0..5u32)
                .map(|k| {
                    format!(
                        "\"{:016x}\":{}",
                        0x58db_174b_0d20_f298u64 + u64::from(k),
                        k + 1
                    )
                })
                .collect();
            keys.push(format!(
                "\"{:016x}\":1",
                0x9e10_7d9d_372b_b682u64 + u64::from(i)
            ));
            text.push_str(&format!(
                "{{\"installation_id\":\"3b9e2f4c-1d7a-4e8b-9c6f-{i:012x}\",\"clients\":{{{}}}}}\n",
                keys.join(",")
            ));
        }
    }
    fs::write(dir.path().join("p.jsonl"), &text).unwrap();
    let run = privet(dir.path(), &["scan", "p.jsonl", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("10 id(s) at 1 place(s) whose values installations share"),
        "{}",
        run.stderr
    );
}

#[test]
fn scan_judges_the_values_of_a_map_keyed_by_names_at_one_place() {
    let dir = tempfile::tempdir().unwrap();
    // Twenty installations send their lock file's digests: sixteen
    // packages every one of them has at one release, and a package two of
    // them have at a release of its own. Per package, that release's digest
    // is rare; over the map keyed by packages, digests are a vocabulary.
    let digest = |n: u32| format!("sha512-{}", format!("{n:08x}").repeat(11));
    let mut text = String::new();
    for i in 0..20u32 {
        let mut deps: Vec<String> = (0..16u32)
            .map(|p| format!("\"pkg{p}\":{{\"integrity\":\"{}\"}}", digest(p + 1)))
            .collect();
        let odd = if i < 2 { 99 } else { 17 };
        deps.push(format!(
            "\"left-pad\":{{\"integrity\":\"{}\"}}",
            digest(odd)
        ));
        text.push_str(&format!(
            "{{\"installation_id\":\"3b9e2f4c-1d7a-4e8b-9c6f-{i:012x}\",\"dependencies\":{{{}}}}}\n",
            deps.join(",")
        ));
    }
    fs::write(dir.path().join("p.jsonl"), &text).unwrap();
    let run = privet(dir.path(), &["scan", "p.jsonl", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("whose values installations share"),
        "{}",
        run.stderr
    );
}

#[test]
fn scan_judges_times_and_digests_inside_a_text_at_the_fields_place() {
    let dir = tempfile::tempdir().unwrap();
    // Twelve installations, two payloads each. A crash message carries the
    // crash's own time, new in every payload, and so does a crash report's
    // address its encoded trace; a package list carries each
    // package's build digest: six builds many installations made, and one
    // of each installation's own. A person's address in a message stays.
    let digest = |n: u64| {
        format!(
            "{:016x}{:016x}{:016x}{:016x}",
            n,
            n ^ 0xabcdef,
            n * 7,
            n + 3
        )
    };
    let mut text = String::new();
    for i in 0..12u64 {
        for p in 0..2u64 {
            let common = digest(0x1000_0000 + (i + p) % 6);
            let own = digest(0x2000_0000 + i);
            let serial = if i == 3 {
                " by jan.kowalski@acme-widgets.de"
            } else {
                ""
            };
            // A build's invocation id after its label, new in every payload.
            let invocation = format!(
                "{:08x}-7e1d-4c2a-9b3f-{:012x}",
                0x4d9d_361d + i,
                p * 7919 + i
            );
            // A crash report's address encodes the trace, new in every
            // payload: a random-looking run inside a text.
            let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            let mut seed = (i * 2 + p + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let trace: String = (0..40)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    alphabet[(seed >> 33) as usize % alphabet.len()] as char
                })
                .collect();
            text.push_str(&format!(
                "{{\"installation_id\":\"3b9e2f4c-1d7a-4e8b-9c6f-{i:012x}\",\"crash_url\":\"https://crash.example.org/1.1.8/w{trace}\",\"stderr\":\"INFO: Invocation ID: {invocation}\\nINFO: Streaming build results to: https://builds.example.org/invocation/{invocation}\",\"assert_msg\":\"abort at 2024-03-{:02}T{:02}:{:02}:17.{:06}Z{serial}\",\"installplan\":\"zlib:x64-linux:{common},fmt:x64-linux:{own}\"}}\n",
                1 + p * 10 + i % 9,
                i % 24,
                (i * 7 + p) % 60,
                i * 1000 + p
            ));
        }
    }
    fs::write(dir.path().join("p.jsonl"), &text).unwrap();
    let run = privet(dir.path(), &["scan", "p.jsonl", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        findings_at(&run.stdout, "/installplan"),
        0,
        "{}",
        run.stdout
    );
    assert_eq!(findings_at(&run.stdout, "/stderr"), 0, "{}", run.stdout);
    assert_eq!(findings_at(&run.stdout, "/crash_url"), 0, "{}", run.stdout);
    let at_message: Vec<serde_json::Value> = json_lines(&run.stdout)
        .into_iter()
        .filter(|f| f["pointer"] == "/assert_msg")
        .collect();
    // Only the address, in both of its installation's payloads.
    assert_eq!(at_message.len(), 2, "{}", run.stdout);
    assert!(
        at_message.iter().all(|f| f["kind"] == "email"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("not reported"), "{}", run.stderr);
}

/// `n` payloads, one per installation, each with the host `host` and a
/// password; installation ids are UUIDv4s built from the index.
fn installations_sending(n: usize, host: &str) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"installation_id\":\"3b9e2f4c-1d7a-4e8b-9c6f-{i:012x}\",\"tile_server\":\"{host}\",\"smtp_password\":\"changeme-default\"}}\n"
            )
        })
        .collect()
}

#[test]
fn scan_leaves_out_values_many_installations_send_but_never_a_credential() {
    let dir = tempfile::tempdir().unwrap();
    // Six installations send the same public host; one sends its own.
    let mut text = installations_sending(6, "tiles.mapservice.org");
    text.push_str(
        "{\"installation_id\":\"3b9e2f4c-1d7a-4e8b-9c6f-0000000000ff\",\"tile_server\":\"build01.acme-widgets.com\"}\n",
    );
    fs::write(dir.path().join("p.jsonl"), &text).unwrap();
    let run = privet(dir.path(), &["scan", "p.jsonl", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = json_lines(&run.stdout);
    let kinds: Vec<(u64, &str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["pointer"].as_str().unwrap(),
                f["kind"].as_str().unwrap(),
            )
        })
        .collect();
    // The shared host is common; the rare one and every password are not.
    let hosts: Vec<u64> = kinds
        .iter()
        .filter(|(_, p, _)| *p == "/tile_server")
        .map(|(l, _, _)| *l)
        .collect();
    assert_eq!(hosts, [7], "{}", run.stdout);
    let passwords = kinds
        .iter()
        .filter(|(_, p, _)| *p == "/smtp_password")
        .count();
    assert_eq!(
        passwords, 6,
        "a default password is still a password: {}",
        run.stdout
    );
    // The installation id is what the envelope is for.
    assert!(kinds.iter().all(|(_, p, _)| *p != "/installation_id"));
    assert!(
        run.stderr.contains("rarity: 7 installations")
            && run.stderr.contains("at least 5 installations")
            && run
                .stderr
                .contains("6 finding(s) of 1 such value(s) not reported"),
        "{}",
        run.stderr
    );

    // With a higher bar, six installations are not enough.
    let run = privet(
        dir.path(),
        &[
            "scan",
            "p.jsonl",
            "--format",
            "json",
            "--min-installations",
            "10",
        ],
    );
    let hosts = findings_at(&run.stdout, "/tile_server");
    assert_eq!(hosts, 7, "{}", run.stdout);

    // All from one installation: nothing is common.
    let one: String = (0..6)
        .map(|_| "{\"installation_id\":\"3b9e2f4c-1d7a-4e8b-9c6f-000000000001\",\"tile_server\":\"tiles.mapservice.org\"}\n")
        .collect();
    fs::write(dir.path().join("one.jsonl"), one).unwrap();
    let run = privet(dir.path(), &["scan", "one.jsonl", "--format", "json"]);
    assert_eq!(json_lines(&run.stdout).len(), 6, "{}", run.stdout);
    assert!(
        run.stderr.contains("rarity: 1 installations"),
        "{}",
        run.stderr
    );

    // Payloads that name no installation each count as their own.
    let run = privet(
        dir.path(),
        &[
            "scan",
            "one.jsonl",
            "--format",
            "json",
            "--installation",
            "none",
        ],
    );
    assert_eq!(json_lines(&run.stdout).len(), 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("each payload its own"),
        "{}",
        run.stderr
    );
}
