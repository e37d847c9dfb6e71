//! privet in another project, as its maintainers would use it: a scratch
//! repository outside this tree, `privet init`, a proposal, review by a
//! second identity, `privet generate`, `privet audit`, and the schemas
//! validating what a client sends.

use std::fs;
use std::path::Path;
use std::process::Command;

#[path = "common/project.rs"]
mod project;
use project::{PROPOSAL, commit, git as git_as, privet, reviewer_entry, reviewer_key};

#[test]
fn a_project_adopts_privet_without_writing_rust() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    git_as(dir, "alice", &["init", "-q", "-b", "main"]);

    // init: the files, and never twice.
    let (code, out, err) = privet(dir, &["init"]);
    assert_eq!(code, 0, "{out}{err}");
    for f in [
        "privet.toml",
        "proposals/installation_size.toml",
        "schemas/README.md",
        ".github/workflows/privet.yml",
        ".gitlab-ci.yml",
        ".pre-commit-config.yaml",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let before = fs::read_to_string(dir.join("privet.toml")).unwrap();
    let (code, _, err) = privet(dir, &["init"]);
    assert_eq!(code, 2);
    assert!(err.contains("never overwrites"), "{err}");
    assert_eq!(fs::read_to_string(dir.join("privet.toml")).unwrap(), before);

    // The scaffold lists what is open; the maintainers list a reviewer and
    // answer the checklist.
    let (code, out, _) = privet(dir, &["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("checklist-missing") || out.contains("checklist-"),
        "{out}"
    );
    let keys_dir = tempfile::tempdir().unwrap();
    let keys = keys_dir.path().to_path_buf();
    let (bob_key, bob_line) = reviewer_key(&keys, "bob", 2);
    let (alice_key, alice_line) = reviewer_key(&keys, "alice", 1);
    let config = before.replace(
        "[thresholds]\n",
        &format!("{}\n[thresholds]\n", reviewer_entry("bob", &bob_line)),
    );
    fs::write(dir.join("privet.toml"), config).unwrap();
    fs::write(dir.join("proposals/installation_size.toml"), PROPOSAL).unwrap();
    let (code, out, err) = privet(dir, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    commit(dir, "alice", "Propose installation_size");

    // The author cannot approve; bob can, and his commit makes it count.
    fs::write(
        dir.join("privet.toml"),
        fs::read_to_string(dir.join("privet.toml"))
            .unwrap()
            .replace(
                "[thresholds]\n",
                &format!("{}\n[thresholds]\n", reviewer_entry("alice", &alice_line)),
            ),
    )
    .unwrap();
    commit(dir, "alice", "alice reviews too");
    let alice_key = alice_key.to_str().unwrap();
    let (code, _, err) = privet(
        dir,
        &[
            "approve",
            "installation_size",
            "--by",
            "alice",
            "--key",
            alice_key,
        ],
    );
    assert_eq!(code, 2, "{err}");
    // Alice cannot sign as bob either: her key is not his.
    let (code, _, err) = privet(
        dir,
        &[
            "approve",
            "installation_size",
            "--by",
            "bob",
            "--key",
            alice_key,
        ],
    );
    assert!(code == 2 && err.contains("not one of bob's keys"), "{err}");
    let bob_key = bob_key.to_str().unwrap();
    let (code, out, err) = privet(
        dir,
        &[
            "approve",
            "installation_size",
            "--by",
            "bob",
            "--key",
            bob_key,
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    commit(dir, "bob", "Approve installation_size");

    // The audit wants the generated schemas; generate writes them.
    let (code, out, _) = privet(dir, &["audit"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("stale-output") && out.contains("privet generate"),
        "{out}"
    );
    assert!(
        out.contains("built from the proposals' declared domains"),
        "{out}"
    );
    let (code, out, err) = privet(dir, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("wrote schemas/installation_size.json"),
        "{out}"
    );
    assert!(out.contains("wrote schemas/events/heartbeat.json"), "{out}");
    let (code, out, err) = privet(dir, &["generate", "--check"]);
    assert_eq!(code, 0, "{out}{err}");
    commit(dir, "alice", "Generate schemas");
    let (code, out, err) = privet(dir, &["audit"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("installation_size"),
        "the shipping report names it: {out}"
    );

    // What a client sends validates against the event schema; an exact
    // count or an unknown metric does not.
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.join("schemas/events/heartbeat.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let payload = serde_json::json!({
        "installation_id": "3f2b8c1e-9a4d-4e7f-8b2a-1c3d5e7f9a0b",
        "event": "heartbeat",
        "schema_version": 1,
        "sent": "2026-12-01",
        "metrics": { "installation_size": { "workers": "2-4" } }
    });
    assert!(
        validator.is_valid(&payload),
        "{:?}",
        validator
            .iter_errors(&payload)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
    let mut exact = payload.clone();
    exact["metrics"]["installation_size"]["workers"] = "3".into();
    assert!(!validator.is_valid(&exact));
    let mut unknown = payload.clone();
    unknown["metrics"]["hostname"] = "db1".into();
    assert!(!validator.is_valid(&unknown));

    // A Rust client: the complete crate, built and tested offline with the
    // workspace's lock file (its own tests include schemars' schemas equal
    // to the generated files, and payloads validating against them).
    let (code, out, err) = privet(
        dir,
        &[
            "generate",
            "--crate",
            "clients/rust",
            "--crate-name",
            "acme-telemetry",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("wrote clients/rust/Cargo.toml"), "{out}");
    let krate = dir.join("clients/rust");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(repo.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let test = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--quiet", "--offline"])
        .current_dir(&krate)
        // Shares the dependency builds of the fixture crate test.
        .env("CARGO_TARGET_DIR", repo.join("target/codegen-fixture"))
        .env("PROPTEST_CASES", "32")
        .output()
        .unwrap();
    assert!(
        test.status.success(),
        "the generated crate does not build or pass its tests:\n{}{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
    // With the crate in privet.toml, generate --check covers it too.
    let config = fs::read_to_string(dir.join("privet.toml"))
        .unwrap()
        .replace(
            "# crate = \"clients/rust\"\n# crate_name = \"telemetry\"",
            "crate = \"clients/rust\"\ncrate_name = \"acme-telemetry\"",
        );
    fs::write(dir.join("privet.toml"), config).unwrap();
    fs::remove_file(krate.join("Cargo.lock")).unwrap();
    let (code, out, err) = privet(dir, &["generate", "--check"]);
    assert_eq!(code, 0, "{out}{err}");

    // A change to the proposal makes the schemas stale.
    fs::write(
        dir.join("proposals/installation_size.toml"),
        fs::read_to_string(dir.join("proposals/installation_size.toml"))
            .unwrap()
            .replace(
                "buckets = [0, 1, 2, 5, 10]",
                "buckets = [0, 1, 2, 5, 10, 50]",
            ),
    )
    .unwrap();
    let (code, out, err) = privet(dir, &["generate", "--check"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("schemas/installation_size.json (out of date)"),
        "{out}"
    );
    assert!(err.contains("privet generate"), "{err}");
    // Nothing privet wrote lies outside what it owns: no target/, no cache.
    assert!(!dir.join("target").exists());
}

#[test]
fn init_files_snapshot() {
    let files = privet::commands::init::files(
        &privet::commands::Identity {
            name: Some("Jane Doe".into()),
            email: Some("jane@example.org".into()),
            signing_key: None,
        },
        privet::date::Date::new(2026, 12, 1).unwrap(),
    );
    for (path, contents) in files {
        insta::assert_snapshot!(format!("init__{}", path.replace(['/', '.'], "_")), contents);
    }
}

#[test]
fn a_warm_audit_skips_generation_only_while_nothing_it_reads_changed() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    git_as(dir, "alice", &["init", "-q", "-b", "main"]);
    let (code, _, err) = privet(dir, &["init"]);
    assert_eq!(code, 0, "{err}");
    fs::write(dir.join("proposals/installation_size.toml"), PROPOSAL).unwrap();
    let (code, out, err) = privet(dir, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
    commit(dir, "alice", "Propose installation_size");
    const NOTE: &str = "not generated again";
    let audit = |expect_note: bool, why: &str| {
        let (_, out, err) = privet(dir, &["audit"]);
        assert_eq!(out.contains(NOTE), expect_note, "{why}:\n{out}{err}");
        out
    };
    // The first audit generates and records; the second is answered by the
    // record, with the same findings.
    let first = audit(false, "nothing recorded yet");
    let second = audit(true, "nothing changed");
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains(NOTE) && !l.contains("memo: ") && !l.starts_with("privet: "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&first), strip(&second));

    // A proposal edited: generated again (and found stale).
    let path = dir.join("proposals/installation_size.toml");
    fs::write(
        &path,
        PROPOSAL.replace("0, 1, 2, 5, 10", "0, 1, 2, 5, 10, 20"),
    )
    .unwrap();
    let out = audit(false, "a proposal changed");
    assert!(out.contains("stale-output"), "{out}");
    // Put back: the inputs are those of the record again.
    fs::write(&path, PROPOSAL).unwrap();
    audit(true, "the proposal is as recorded again");
    // privet.toml edited, even only a comment.
    let config = dir.join("privet.toml");
    let before = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{before}\n# a comment\n")).unwrap();
    audit(false, "privet.toml changed");
    audit(true, "recorded again");
    fs::write(&config, &before).unwrap();
    audit(false, "privet.toml changed back");
    // A generated file edited (or only touched): generated again.
    let schema = dir.join("schemas/installation_size.json");
    let text = fs::read_to_string(&schema).unwrap();
    fs::write(&schema, text.replace("\"title\"", "\"title\" ")).unwrap();
    let out = audit(false, "an output changed");
    assert!(out.contains("stale-output"), "{out}");
    fs::write(&schema, &text).unwrap();
    audit(true, "an output put back: its contents are as recorded");
    // Rewritten with the same bytes: contents, not times, decide.
    fs::write(&schema, &text).unwrap();
    audit(true, "an output rewritten as it was");
    // Edited in place with its size kept and its time reset: still found.
    let modified = fs::metadata(&schema).unwrap().modified().unwrap();
    let same_size = text.replacen("\"title\"", "\"TITLE\"", 1);
    assert_eq!(same_size.len(), text.len());
    fs::write(&schema, &same_size).unwrap();
    fs::File::options()
        .write(true)
        .open(&schema)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let out = audit(false, "an output edited with its size and time kept");
    assert!(out.contains("stale-output"), "{out}");
    fs::write(&schema, &text).unwrap();
    audit(true, "put back");
    // HEAD moved, no input changed: no generated file depends on a commit
    // (the page names none), so the record still answers.
    fs::write(dir.join("README.md"), "notes\n").unwrap();
    commit(dir, "alice", "Notes");
    audit(true, "HEAD changed, inputs did not");
    // Another version of privet does not trust this one's record.
    let registry = privet::load::load(dir).unwrap();
    let located = privet::resolve::locate(dir).ok();
    let run = |version: &str| {
        privet::generate::stale_remembered_as(
            dir,
            &registry,
            privet::catalog::ALL,
            located.as_ref(),
            version,
        )
        .remembered
    };
    let this = env!("CARGO_PKG_VERSION");
    run(this);
    assert!(run(this), "the same version reads its own record");
    assert!(!run("0.0.0-other"), "another version generates");
    assert!(!run(this), "and its record replaced this one's");
    // A forged record (edited in place) is not read.
    let record = dir.join(".git/privet/generated-fresh.bin");
    let mut bytes = fs::read(&record).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&record, &bytes).unwrap();
    audit(false, "the record does not verify");
}

/// The memo note of an audit's output: (files taken from the memo, files,
/// proposals whose own rules were reused, proposals), or none.
fn memo_note(out: &str) -> Option<(usize, usize, usize, usize)> {
    let line = out.lines().find(|l| l.contains("memo: "))?;
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [a, b, c, d, ..] => Some((a, b, c, d)),
        _ => panic!("unexpected memo note: {line}"),
    }
}

#[test]
fn a_warm_audit_reuses_each_proposal_only_while_it_and_what_its_rules_read_are_unchanged() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    git_as(dir, "alice", &["init", "-q", "-b", "main"]);
    let (code, _, err) = privet(dir, &["init"]);
    assert_eq!(code, 0, "{err}");
    let first = dir.join("proposals/installation_size.toml");
    fs::write(&first, PROPOSAL).unwrap();
    fs::write(
        dir.join("proposals/worker_count.toml"),
        PROPOSAL.replace("Worker processes", "Workers online"),
    )
    .unwrap();
    let (code, out, err) = privet(dir, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
    commit(dir, "alice", "Propose two metrics");
    let audit = || privet(dir, &["audit"]).1;
    let findings = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("memo: ") && !l.contains("not generated again"))
            .filter(|l| !l.starts_with("privet: "))
            .collect::<Vec<_>>()
            .join("\n")
    };

    let cold = audit();
    assert_eq!(memo_note(&cold), None, "no memo yet:\n{cold}");
    let warm = audit();
    assert_eq!(memo_note(&warm), Some((2, 2, 2, 2)), "{warm}");
    assert_eq!(
        findings(&cold),
        findings(&warm),
        "the memo changes no finding"
    );

    // One proposal edited: it alone is parsed and checked again, and what
    // its edit broke is found.
    fs::write(
        &first,
        PROPOSAL.replace(
            "question = \"How large are deployments, so that we test the sizes people run?\"\n",
            "",
        ),
    )
    .unwrap();
    let out = audit();
    assert_eq!(memo_note(&out), Some((1, 2, 1, 2)), "{out}");
    assert!(out.contains("checklist-missing"), "{out}");
    assert!(
        audit().contains("checklist-missing"),
        "found again from the memo"
    );
    fs::write(&first, PROPOSAL).unwrap();
    let out = audit();
    assert_eq!(memo_note(&out), Some((1, 2, 1, 2)), "{out}");
    assert!(!out.contains("checklist-missing"), "{out}");

    // privet.toml: a comment changes nothing the rules read; a setting
    // does: nothing to parse again, every proposal's rules run again.
    let config = dir.join("privet.toml");
    let before = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{before}\n# a comment\n")).unwrap();
    assert_eq!(memo_note(&audit()), Some((2, 2, 2, 2)));
    fs::write(
        &config,
        before.replace("max_bits_per_event = 160", "max_bits_per_event = 2"),
    )
    .unwrap();
    let out = audit();
    assert_eq!(memo_note(&out), Some((2, 2, 0, 2)), "{out}");
    assert!(out.contains("reidentification-budget"), "{out}");
    assert_eq!(memo_note(&audit()), Some((2, 2, 2, 2)));
    fs::write(&config, &before).unwrap();
    assert_eq!(memo_note(&audit()), Some((2, 2, 0, 2)));

    // HEAD moved: provenance is read again as always; the memo still holds.
    fs::write(dir.join("README.md"), "notes\n").unwrap();
    commit(dir, "alice", "Notes");
    assert_eq!(memo_note(&audit()), Some((2, 2, 2, 2)));

    // Another build of privet (here the test binary, through the library)
    // reuses nothing the privet binary wrote; another date re-runs the
    // rules (expiry is judged against it).
    let options = |today| privet::pipeline::Options {
        today,
        history: privet::resolve::HistoryMode::Required,
        samples: privet::check::Samples::Model,
        base: None,
    };
    let notes = |today| {
        let audited = privet::pipeline::audit(dir, &options(today), None).unwrap();
        let note = audited.summary.notes.join("\n");
        memo_note(&note)
    };
    let day = privet::date::Date::new(2026, 12, 1).unwrap();
    let next = privet::date::Date::new(2026, 12, 2).unwrap();
    assert_eq!(notes(day), None, "another build's memo is not read");
    assert_eq!(notes(day), Some((2, 2, 2, 2)));
    assert_eq!(notes(next), Some((2, 2, 0, 2)), "another date");
    let identity = privet::memo::build_identity();
    let git_dir = dir.join(".git");
    assert!(privet::memo::Memo::read(&git_dir, &identity, privet::catalog::ALL).is_some());
    assert!(privet::memo::Memo::read(&git_dir, "0.0.0-other", privet::catalog::ALL).is_none());

    // A forged memo (edited in place) is not read.
    let record = git_dir.join("privet").join(privet::memo::RECORD);
    let mut bytes = fs::read(&record).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&record, &bytes).unwrap();
    assert_eq!(notes(next), None, "the memo does not verify");
    assert_eq!(notes(next), Some((2, 2, 2, 2)), "written again");
}

/// Nothing generated depends on a commit: after the reviewer merges a pull
/// request with a merge commit, a squash or a rebase, `generate --check`
/// passes on the result as it did on the branch (the page names no commit
/// id, date or subject that rewriting history changes).
#[test]
fn generated_files_stay_fresh_across_every_kind_of_merge() {
    let scratch = tempfile::tempdir().unwrap();
    let origin = scratch.path().join("origin");
    fs::create_dir_all(&origin).unwrap();
    git_as(&origin, "alice", &["init", "-q", "-b", "main"]);
    let (code, _, err) = privet(&origin, &["init"]);
    assert_eq!(code, 0, "{err}");
    let config = fs::read_to_string(origin.join("privet.toml")).unwrap();
    let (bob_key, bob_line) = reviewer_key(&scratch.path().join("keys"), "bob", 2);
    let bob_key = bob_key.to_str().unwrap();
    let config = config
        .replace(
            "[thresholds]\n",
            &format!("{}\n[thresholds]\n", reviewer_entry("bob", &bob_line)),
        )
        .replace("# [page]\n# path", "[page]\npath")
        .replace("# project", "project")
        .replace("# opt_out", "opt_out");
    fs::write(origin.join("privet.toml"), config).unwrap();
    let (code, out, err) = privet(&origin, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
    commit(&origin, "alice", "Adopt privet");

    // Alice proposes on a branch; Bob approves there; main moves on.
    git_as(&origin, "alice", &["checkout", "-q", "-b", "feature"]);
    fs::write(origin.join("proposals/worker_count.toml"), PROPOSAL).unwrap();
    let (code, out, err) = privet(&origin, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
    commit(&origin, "alice", "Propose worker_count");
    let (code, out, err) = privet(
        &origin,
        &["approve", "worker_count", "--by", "bob", "--key", bob_key],
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = privet(&origin, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
    let page = fs::read_to_string(origin.join("docs/telemetry.md")).unwrap();
    assert!(
        page.contains("worker_count") && page.contains("approved by bob"),
        "{page}"
    );
    commit(&origin, "bob", "Approve worker_count");
    git_as(&origin, "alice", &["checkout", "-q", "main"]);
    fs::write(origin.join("NOTES.md"), "main moved on\n").unwrap();
    commit(&origin, "alice", "Notes");
    let fresh = |dir: &Path, how: &str| {
        let (code, out, err) = privet(dir, &["generate", "--check"]);
        assert_eq!(code, 0, "{how}: {out}{err}");
    };
    fresh(&origin, "main before the merge");

    let clone = |name: &str| {
        let dir = scratch.path().join(name);
        git_as(
            scratch.path(),
            "bob",
            &["clone", "-q", origin.to_str().unwrap(), name],
        );
        git_as(&dir, "bob", &["checkout", "-q", "main"]);
        git_as(&dir, "bob", &["branch", "-q", "feature", "origin/feature"]);
        dir
    };
    // A merge commit by the reviewer.
    let dir = clone("merge");
    git_as(
        &dir,
        "bob",
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge pull request #1",
            "feature",
        ],
    );
    fresh(&dir, "--no-ff merge");
    // A squash: one new commit by whoever squashes.
    let dir = clone("squash");
    git_as(&dir, "bob", &["merge", "-q", "--squash", "feature"]);
    git_as(
        &dir,
        "bob",
        &["commit", "-q", "-m", "Add worker_count (#1)"],
    );
    fresh(&dir, "squash merge");
    // The merge ref a CI checks out for a pull request (detached HEAD).
    let dir = clone("pull-ref");
    git_as(&dir, "bob", &["checkout", "-q", "--detach", "main"]);
    git_as(
        &dir,
        "bob",
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge feature into main",
            "feature",
        ],
    );
    git_as(&dir, "bob", &["update-ref", "refs/pull/1/merge", "HEAD"]);
    git_as(&dir, "bob", &["checkout", "-q", "main"]);
    git_as(
        &dir,
        "bob",
        &["checkout", "-q", "--detach", "refs/pull/1/merge"],
    );
    fresh(&dir, "refs/pull/1/merge");
    // A rebase: every commit of the branch rewritten onto main.
    let dir = clone("rebase");
    git_as(&dir, "bob", &["rebase", "-q", "main", "feature"]);
    git_as(&dir, "bob", &["checkout", "-q", "main"]);
    git_as(&dir, "bob", &["merge", "-q", "--ff-only", "feature"]);
    fresh(&dir, "rebase merge");
}

/// `privet init` in an existing project: the registry in a subdirectory,
/// the CI recipes at the repository root naming it, an existing
/// `.pre-commit-config.yaml` left alone with what to add printed, and
/// `--no-recipes` writing none.
#[test]
fn init_fits_into_an_existing_project() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    git_as(dir, "alice", &["init", "-q", "-b", "main"]);
    let theirs = "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks:\n      - id: black\n";
    fs::write(dir.join(".pre-commit-config.yaml"), theirs).unwrap();
    let (code, out, err) = privet(dir, &["init", "telemetry"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(dir.join("telemetry/privet.toml").is_file());
    assert_eq!(
        fs::read_to_string(dir.join(".pre-commit-config.yaml")).unwrap(),
        theirs
    );
    assert!(
        out.contains("skipped") && out.contains("entry: privet check --before-commit telemetry"),
        "{out}"
    );
    let workflow = fs::read_to_string(dir.join(".github/workflows/privet.yml")).unwrap();
    assert!(
        workflow.contains("run: privet audit telemetry --format github"),
        "{workflow}"
    );
    assert!(
        workflow.contains("run: privet generate --check telemetry"),
        "{workflow}"
    );
    assert!(!dir.join("telemetry/.github").exists());
    let gitlab = fs::read_to_string(dir.join(".gitlab-ci.yml")).unwrap();
    assert!(
        gitlab.contains("privet audit telemetry --base")
            && gitlab.contains("else privet audit telemetry; fi"),
        "{gitlab}"
    );

    let other = scratch.path().join("other");
    fs::create_dir_all(&other).unwrap();
    git_as(&other, "alice", &["init", "-q", "-b", "main"]);
    let (code, out, err) = privet(&other, &["init", "--no-recipes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("--no-recipes") && out.contains("privet check --before-commit"),
        "{out}"
    );
    assert!(!other.join(".pre-commit-config.yaml").exists());
    assert!(!other.join(".github").exists());
}

/// The pre-commit hook `init` writes runs `privet check --before-commit`:
/// a reviewer's approval and an author's later edit are committed without
/// it failing, while the audit still judges both from the commits.
#[test]
fn the_pre_commit_hook_never_blocks_an_approval_or_an_edit() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    git_as(dir, "alice", &["init", "-q", "-b", "main"]);
    let (code, _, err) = privet(dir, &["init"]);
    assert_eq!(code, 0, "{err}");
    let keys_dir = tempfile::tempdir().unwrap();
    let (bob_key, bob_line) = reviewer_key(keys_dir.path(), "bob", 2);
    let bob_key = bob_key.to_str().unwrap();
    let config = fs::read_to_string(dir.join("privet.toml"))
        .unwrap()
        .replace(
            "[thresholds]\n",
            &format!("{}\n[thresholds]\n", reviewer_entry("bob", &bob_line)),
        );
    fs::write(dir.join("privet.toml"), config).unwrap();
    fs::remove_file(dir.join("proposals/installation_size.toml")).unwrap();
    fs::write(dir.join("proposals/worker_count.toml"), PROPOSAL).unwrap();
    let (code, out, err) = privet(dir, &["generate"]);
    assert_eq!(code, 0, "{out}{err}");
    commit(dir, "alice", "Propose worker_count");
    let hook = fs::read_to_string(dir.join(".pre-commit-config.yaml")).unwrap();
    assert!(
        hook.contains("entry: privet check --before-commit"),
        "{hook}"
    );
    let hooks = |why: &str| {
        for args in [
            &["check", "--before-commit"][..],
            &["generate", "--check"][..],
        ] {
            let (code, out, err) = privet(dir, args);
            assert_eq!(code, 0, "{why}: privet {args:?}\n{out}{err}");
        }
    };
    // The reviewer's approval, before its commit exists: a signed approval
    // holds in the working tree already.
    let (code, out, err) = privet(
        dir,
        &["approve", "worker_count", "--by", "bob", "--key", bob_key],
    );
    assert_eq!(code, 0, "{out}{err}");
    privet(dir, &["generate"]);
    hooks("the reviewer's approval");
    commit(dir, "bob", "Approve worker_count");
    let (code, out, err) = privet(dir, &["audit"]);
    assert_eq!(code, 0, "{out}{err}");
    // The author edits the approved metric: the hook passes, the audit
    // says the approval is stale.
    let path = dir.join("proposals/worker_count.toml");
    let text = fs::read_to_string(&path).unwrap();
    let edited = text.replace(
        "buckets = [0, 1, 2, 5, 10]",
        "buckets = [0, 1, 2, 5, 10, 20]",
    );
    assert_ne!(edited, text);
    fs::write(&path, edited).unwrap();
    privet(dir, &["generate"]);
    hooks("the author's edit");
    let (code, out, _) = privet(dir, &["audit"]);
    assert!(code == 1 && out.contains("approval-stale"), "{out}");
}

/// One function decides what ships, from the files alone, and every output
/// follows it: an approval naming someone who is not a configured reviewer,
/// or fewer reviewers than the quorum, does not ship (no schema property,
/// not in the ships list, its payloads rejected by `validate`).
#[test]
fn an_approval_by_no_configured_reviewer_or_short_of_quorum_does_not_ship() {
    let path = "proposals/worker_count.toml";
    let keys = tempfile::tempdir().unwrap();
    let (_, bob) = reviewer_key(keys.path(), "bob", 2);
    let (_, carol) = reviewer_key(keys.path(), "carol", 3);
    let config = |quorum: usize| {
        format!(
            "events = [\"heartbeat\"]\n[review]\nquorum = {quorum}\n{}{}",
            reviewer_entry("bob", &bob),
            reviewer_entry("carol", &carol)
        )
    };
    let fp = {
        let registry = privet::load::from_texts(Some(&config(1)), &[(path, PROPOSAL)]);
        privet::fingerprint::fingerprint(&registry.proposals[0])
    };
    // Everyone named signs with their own key (mallory's is not configured).
    let approved_by = |by: &str| {
        let mut text = PROPOSAL.replace("status = \"proposed\"", "status = \"approved\"")
            + &format!(
                "\n[approval]\nby = [{by}]\ndate = 2026-12-01\nfingerprint = \"{fp}\"\n\n[approval.signatures]\n"
            );
        for (seed, name) in [(2, "bob"), (3, "carol"), (9, "mallory")] {
            if by.contains(&format!("\"{name}\"")) {
                let (key, _) = reviewer_key(keys.path(), name, seed);
                let signer =
                    privet::signature::Signer::from_spec(key.to_str().unwrap(), Path::new("/"))
                        .unwrap();
                let sig = privet::signature::to_record(
                    &signer.sign("worker_count", &fp, "2026-12-01").unwrap(),
                )
                .unwrap();
                text.push_str(&format!("{name} = \"\"\"\n{sig}\"\"\"\n"));
            }
        }
        text
    };
    let ships = |quorum: usize, by: &str| {
        let text = approved_by(by);
        let registry = privet::load::from_texts(Some(&config(quorum)), &[(path, text.as_str())]);
        let p = &registry.proposals[0];
        let decided = privet::shipping::shippable(p, &registry.config);
        let outputs = privet::generate::outputs(&registry, privet::catalog::ALL);
        let schema = outputs
            .files
            .iter()
            .find(|o| o.path.ends_with("events/heartbeat.json"))
            .map(|o| o.contents.contains("worker_count"))
            .unwrap_or(false);
        let summary = privet::report::shipping_summary(&registry);
        let validator = privet::validate::Validator::new(&registry.proposals, &registry.config);
        let validated = validator.shipped().any(|m| m == "worker_count");
        assert_eq!(decided, schema, "schema agrees ({by}, quorum {quorum})");
        assert_eq!(
            decided, validated,
            "validate agrees ({by}, quorum {quorum})"
        );
        assert_eq!(
            decided,
            summary.contains("ships in payloads (1)"),
            "the ships list agrees ({by}, quorum {quorum}): {summary}"
        );
        decided
    };
    assert!(ships(1, "\"bob\""));
    assert!(!ships(1, "\"mallory\""), "not a configured reviewer");
    assert!(!ships(1, "\"bob\", \"mallory\""), "one name is no reviewer");
    assert!(!ships(2, "\"bob\""), "short of the quorum");
    assert!(ships(2, "\"bob\", \"carol\""));
}
