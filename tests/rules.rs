//! Rules as data: every rule is documented, covered by a fixture, and the
//! generated rules page is fresh.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use privet::rules::ALL;

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
        assert!(privet::rules::find(r.id).is_some());
        let page = privet::docs::rules_page();
        assert!(
            page.contains(&format!("\n## {}\n", r.id)),
            "rule {} missing from the rules page",
            r.id
        );
    }
}

#[test]
fn rules_page_is_fresh() {
    let outputs = privet::generate::outputs();
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
    ("duplicate-name", "tests/fixtures/registries/duplicate_name"),
    (
        "stale-output",
        "tests/rules.rs: audit_reports_stale_generated_files",
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

#[test]
fn audit_reports_stale_generated_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("proposals")).unwrap();
    fs::copy(
        repo().join("proposals/pulp/postgresql_version.toml"),
        root.join("proposals/postgresql_version.toml"),
    )
    .unwrap();
    fs::copy(repo().join("privet.toml"), root.join("privet.toml")).unwrap();
    let options = privet::check::Options::default();
    let run = |root: &Path| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = privet::cli::audit(
            root,
            &options,
            privet::report::Format::Json,
            &mut out,
            &mut err,
        );
        (code, String::from_utf8(out).unwrap())
    };

    // No docs/rules.md at all: stale.
    let (code, out) = run(root);
    assert_eq!(code, 1);
    assert!(
        out.contains("\"rule\":\"stale-output\"") && out.contains("docs/rules.md"),
        "{out}"
    );
    assert!(out.contains("cargo xtask codegen"), "{out}");

    // Written fresh: clean.
    privet::generate::write(root, &privet::generate::outputs()).unwrap();
    let (code, out) = run(root);
    assert_eq!((code, out.as_str()), (0, ""));

    // Edited by hand: stale again.
    let page = root.join("docs/rules.md");
    fs::write(&page, fs::read_to_string(&page).unwrap() + "\nhand edit\n").unwrap();
    let (code, _) = run(root);
    assert_eq!(code, 1);
}
