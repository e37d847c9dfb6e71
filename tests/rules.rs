//! Rules as data: every rule is documented, covered by a fixture, and the
//! generated rules page is fresh.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use privet::catalog::ALL;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_rule_is_documented() {
    let mut ids = BTreeSet::new();
    for r in ALL {
        assert!(ids.insert(r.id), "duplicate rule id {}", r.id);
        assert!(
            r.id.chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
            "rule id {} is not kebab-case",
            r.id
        );
        for (part, text) in [
            ("summary", r.summary),
            ("what", r.what),
            ("why", r.why),
            ("example", r.example),
        ] {
            assert!(
                text.trim().len() >= 10,
                "rule {} has no real `{part}` documentation",
                r.id
            );
        }
        assert!(privet::catalog::find(r.id).is_some());
        let page = privet::docs::rules_page(privet::catalog::ALL);
        assert!(
            page.contains(&format!("\n## {}\n", r.id)),
            "rule {} missing from the rules page",
            r.id
        );
    }
}

#[test]
fn rules_page_is_fresh() {
    let registry = privet::load::load(repo()).unwrap();
    let outputs = privet::generate::outputs(&registry, privet::catalog::ALL);
    let stale = privet::generate::stale(repo(), &outputs);
    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}; run `{}` and commit the result",
        privet::generate::FIX_COMMAND
    );
}

/// Rules tested by dedicated tests instead of a fixture file in tests/fixtures/bad/.
const COVERED_ELSEWHERE: &[(&str, &str)] = &[
    (
        "io-error",
        "tests/corpus.rs: unreadable_proposal_is_an_io_error_and_others_still_load",
    ),
    (
        "file-too-large",
        "tests/corpus.rs: huge_file_is_refused_without_parsing",
    ),
    (
        "invalid-utf8",
        "tests/corpus.rs: invalid_utf8_points_at_the_first_bad_byte",
    ),
    ("empty-file", "tests/corpus.rs: empty_file"),
    (
        "unread-file",
        "tests/corpus.rs: files_not_read_as_proposals_are_reported",
    ),
    ("duplicate-name", "tests/fixtures/registries/duplicate_name"),
    (
        "stale-output",
        "tests/rules.rs: audit_reports_stale_generated_files",
    ),
    ("history-unavailable", "tests/provenance.rs: degradation"),
    (
        "analysis-limit",
        "src/pii/witness.rs: a_search_cut_short_is_undecided_not_safe",
    ),
    (
        "uncommitted",
        "tests/provenance.rs: uncommitted_proposals_are_reported_as_such",
    ),
    (
        "self-approval",
        "tests/provenance.rs: approvals_are_bound_to_reviewers_and_definitions",
    ),
    (
        "breaking-change",
        "tests/provenance.rs: breaking_changes_need_a_new_version",
    ),
    (
        "approval-forged",
        "tests/provenance.rs: an_approval_counts_only_when_the_reviewer_committed_it",
    ),
    (
        "approval-unattributed",
        "tests/approval_flow.rs: a_signed_approval_holds_through_every_kind_of_merge",
    ),
    (
        "anchors-changed",
        "tests/approval_flow.rs: forged_approvals_never_ship",
    ),
];

#[test]
fn every_rule_has_a_fixture() {
    let mut covered: BTreeSet<String> = COVERED_ELSEWHERE
        .iter()
        .map(|(id, _)| id.to_string())
        .collect();
    for entry in fs::read_dir(repo().join("tests/fixtures/bad")).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        let first = text.lines().next().unwrap_or("");
        for e in first.trim_start_matches("# expect: ").split_whitespace() {
            covered.insert(e.split('@').next().unwrap().to_string());
        }
    }
    for r in ALL {
        assert!(covered.contains(r.id), "rule {} has no fixture", r.id);
    }
}

/// Runs the library audit (lint + freshness of what privet generates itself).
fn audit(root: &Path) -> (i32, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = privet::commands::audit::run_audit(
        root,
        &privet::pipeline::Options::default(),
        privet::report::Format::Json,
        None,
        &mut out,
        &mut err,
    );
    (code, String::from_utf8(out).unwrap())
}

/// A scratch copy of the repository's registry and generated files.
fn scratch_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("proposals"), &dir.path().join("proposals"));
    // The whole generated crate (privet generate owns most of it).
    copy_tree(&repo().join("metrics"), &dir.path().join("metrics"));
    copy_tree(&repo().join("docs"), &dir.path().join("docs"));
    copy_tree(&repo().join("clients"), &dir.path().join("clients"));
    fs::copy(repo().join("privet.toml"), dir.path().join("privet.toml")).unwrap();
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn audit_reports_stale_generated_files() {
    let dir = scratch_repo();
    let root = dir.path();
    let (code, out) = audit(root);
    assert_eq!((code, out.as_str()), (0, ""), "a faithful copy is clean");

    // The rules page missing, then edited by hand: stale.
    let page = root.join("docs/rules.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::remove_file(&page).unwrap();
    let (code, out) = audit(root);
    assert_eq!(code, 1);
    assert!(
        out.contains("\"rule\":\"stale-output\"") && out.contains("docs/rules.md is out of date"),
        "{out}"
    );
    assert!(out.contains("privet generate"), "{out}");
    fs::write(&page, text + "\nhand edit\n").unwrap();
    assert_eq!(audit(root).0, 1);
}

#[test]
fn changing_a_proposal_without_codegen_fails_the_audit() {
    let dir = scratch_repo();
    let root = dir.path();
    // A proposed metric: its change needs no new approval, only codegen.
    let path = root.join("proposals/pulp/pulp_rbac_usage.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "buckets = [0, 1, 2, 5, 10]",
            "buckets = [0, 1, 2, 5, 10, 20]",
        ),
    )
    .unwrap();
    let (code, out) = audit(root);
    assert_eq!(code, 1, "{out}");
    let stale: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let files: Vec<&str> = stale.iter().map(|f| f["file"].as_str().unwrap()).collect();
    // The Python client and its tests, the metric's schema and module, and
    // the property tests that hold its declared domain.
    assert_eq!(
        files,
        [
            "clients/python/metrics.py",
            "clients/python/test_metrics.py",
            "metrics/schemas/pulp_rbac_usage.json",
            "metrics/src/generated/pulp_rbac_usage.rs",
            "metrics/tests/generated/mod.rs"
        ],
        "{out}"
    );
    for f in &stale {
        assert_eq!(f["rule"], "stale-output");
        assert_eq!(f["help"], "run `privet generate` and commit the result");
    }

    // Regenerating fixes it; removing a proposal leaves its module behind until then.
    let registry = privet::load::load(root).unwrap();
    privet::generate::write(
        root,
        &privet::generate::outputs(&registry, privet::catalog::ALL),
    )
    .unwrap();
    assert_eq!(audit(root).0, 0);
    fs::remove_file(&path).unwrap();
    let (code, out) = audit(root);
    assert_eq!(code, 1);
    assert!(
        out.contains("metrics/src/generated/pulp_rbac_usage.rs is no longer generated"),
        "{out}"
    );
}

#[test]
fn changing_an_approved_definition_voids_the_approval_and_its_shipping() {
    let dir = scratch_repo();
    let root = dir.path();
    let path = root.join("proposals/pulp/pulp_workers.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "buckets = [0, 1, 2, 5, 10, 20, 50]",
            "buckets = [0, 1, 2, 3, 4, 5, 10, 20, 50]",
        ),
    )
    .unwrap();
    let (code, out) = audit(root);
    assert_eq!(code, 1);
    let findings: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let stale = findings
        .iter()
        .find(|f| f["rule"] == "approval-stale")
        .expect("approval-stale");
    assert_eq!(stale["metric"], "pulp_workers");
    // The metric leaves the payloads until approved again.
    let registry = privet::load::load(root).unwrap();
    let outputs = privet::generate::outputs(&registry, privet::catalog::ALL);
    let events = outputs
        .files
        .iter()
        .find(|o| o.path.ends_with("events.rs"))
        .unwrap();
    assert!(
        !events.contents.contains("pulp_workers"),
        "an approval of another definition does not ship"
    );
    let summary = privet::report::shipping_summary(&registry);
    assert!(
        summary.contains("pulp_workers (approved for an earlier definition)"),
        "{summary}"
    );
    assert!(
        summary.contains("pulp_rbac_usage (not approved)"),
        "{summary}"
    );
    assert!(summary.starts_with("ships in payloads (15): "), "{summary}");
}

/// A stand-in for the built `metrics` crate: fixed sample outcomes, no schemas.
struct FakeBuild {
    outcomes: privet::check::samples::Compiled,
    asked: std::cell::Cell<Option<u32>>,
}

impl privet::pipeline::MetricsBuild for FakeBuild {
    fn fix_command(&self) -> &'static str {
        "cargo xtask codegen"
    }

    fn samples(&self, cases: u32) -> Result<privet::check::samples::Compiled, String> {
        self.asked.set(Some(cases));
        Ok(self.outcomes.clone())
    }
}

fn audit_with(root: &Path, build: &FakeBuild) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let options = privet::pipeline::Options {
        history: privet::resolve::HistoryMode::Skip,
        samples: privet::check::Samples::Model,
        ..Default::default()
    };
    let code = privet::commands::audit::run_audit(
        root,
        &options,
        privet::report::Format::Human,
        Some(build),
        &mut out,
        &mut err,
    );
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn the_audit_samples_through_the_build_only_when_generated_code_is_fresh() {
    use privet::check::samples::{Compiled, Counterexample};
    let dir = scratch_repo();
    let root = dir.path();
    let mut outcomes = Compiled {
        cases: 256,
        ..Compiled::default()
    };
    outcomes.metrics.insert(
        "pulp_workers".into(),
        Some(Counterexample {
            payload: r#"{"hosts":"db1.lan","workers":"0"}"#.into(),
            kind: "hostname".into(),
            pointer: "/hosts".into(),
        }),
    );
    outcomes.events.insert("heartbeat".into(), None);
    let build = FakeBuild {
        outcomes,
        asked: Default::default(),
    };
    let (code, out, _) = audit_with(root, &build);
    assert_eq!(build.asked.get(), Some(256), "privet.toml's sample_cases");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[sample-pii]: a payload `pulp_workers` can send holds personal data: hostname at /hosts (sample built through the generated types)"),
        "{out}"
    );
    assert!(
        out.contains("samples: 256 payloads each of 1 metrics and 1 event payloads, built through the generated types and scanned"),
        "{out}"
    );

    // Stale generated code: the build would sample old types, so the
    // proposals are sampled instead, and the report says why.
    // (Edited by hand, but still marked as generated: a file without the
    // mark is one generate refuses to replace, an I/O error.)
    let rules_md = root.join("docs/rules.md");
    let edited = fs::read_to_string(&rules_md).unwrap() + "stale\n";
    fs::write(&rules_md, edited).unwrap();
    let (_, out, _) = audit_with(root, &build);
    assert!(out.contains("built through the generated types"), "{out}");
    let path = root.join("proposals/pulp/pulp_rbac_usage.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace("[0, 1, 2, 5, 10]", "[0, 1, 2, 5, 10, 20]"),
    )
    .unwrap();
    build.asked.set(None);
    let (code, out, _) = audit_with(root, &build);
    assert_eq!(build.asked.get(), None);
    assert_eq!(code, 1);
    assert!(!out.contains("sample-pii"), "{out}");
    assert!(
        out.contains("samples: 256 payloads per metric for the 0 of 20 metrics whose values no rule decides exactly")
            && out.contains("built from the proposals (the generated types are stale; run `cargo xtask codegen`)"),
        "{out}"
    );
}

/// `expires-soon` warns `[thresholds] expiry_warning_days` ahead (30 by
/// default), up to the day before `expired` takes over.
#[test]
fn expiry_is_announced_ahead_of_the_day() {
    let proposal =
        std::fs::read_to_string(repo().join("tests/fixtures/bad/expires_soon.toml")).unwrap();
    let rules_on = |config: &str, today: &str| -> Vec<&'static str> {
        let options = privet::pipeline::Options {
            today: privet::date::Date::parse(today).unwrap(),
            history: privet::resolve::HistoryMode::Skip,
            ..privet::pipeline::Options::default()
        };
        let registry = privet::load::from_texts(
            Some(config),
            &[("proposals/expires_soon.toml", proposal.as_str())],
        );
        privet::pipeline::check_loaded(registry, &options)
            .findings
            .iter()
            .map(|d| d.rule.id)
            .filter(|id| id.starts_with("expire"))
            .collect()
    };
    // expires = 2026-12-10
    assert_eq!(
        rules_on("", "2026-11-09"),
        Vec::<&str>::new(),
        "31 days ahead"
    );
    assert_eq!(
        rules_on("", "2026-11-10"),
        ["expires-soon"],
        "30 days ahead"
    );
    assert_eq!(
        rules_on("", "2026-12-09"),
        ["expires-soon"],
        "the day before"
    );
    assert_eq!(rules_on("", "2026-12-10"), ["expired"], "on the day");
    let week = "[thresholds]\nexpiry_warning_days = 7\n";
    assert_eq!(rules_on(week, "2026-12-02"), Vec::<&str>::new());
    assert_eq!(rules_on(week, "2026-12-03"), ["expires-soon"]);
}
