//! The memo of a run (src/memo.rs): what comes back out of it is exactly
//! what loading and checking produced, for the bundled registry and for
//! every rule fixture (proposals with findings of every kind).

use std::fs;
use std::path::Path;

use privet::memo::Memo;

/// Every `.toml` below `dir`, as (path under `proposals/`, text), sorted.
fn texts(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy();
                out.push((
                    format!("proposals/{rel}"),
                    fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn what_the_memo_gives_back_is_what_loading_and_checking_found() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = texts(&root.join("proposals"));
    files.extend(texts(&root.join("tests/fixtures/bad")));
    assert!(files.len() > 60, "fixtures missing: {}", files.len());
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let registry = privet::load::from_texts(None, &borrowed);
    let options = privet::check::Options {
        today: privet::date::Date::new(2026, 12, 1).unwrap(),
        samples: privet::check::Samples::Model,
    };
    let found = privet::check::run_reusing(
        &registry,
        &privet::resolve::Provenance::Skipped,
        &options,
        &|_| None,
    );
    let records = privet::pipeline::memo_records(&registry, Some(&found.local));
    assert!(records.len() > 40, "{} proposals parsed", records.len());

    let scratch = tempfile::tempdir().unwrap();
    let context = privet::memo::check_context(&[b"context"]);
    privet::memo::write(scratch.path(), "this build", &context, &records);
    let memo = Memo::read(scratch.path(), "this build", privet::catalog::ALL)
        .expect("the memo reads back");
    assert_eq!(memo.len(), records.len());
    let mut findings_seen = 0;
    for r in &records {
        // Given back under another file id, as a new run numbers files.
        let file = r.file + 1000;
        let (proposal, load) = memo.parsed(r.path, r.text, file).expect(r.path);
        let mut expected = r.proposal.unwrap().clone();
        expected.file = file;
        assert_eq!(
            format!("{:?}", proposal.unwrap()),
            format!("{expected:?}"),
            "{}",
            r.path
        );
        let shift = |ds: &[privet::diagnostic::Diagnostic]| {
            ds.iter()
                .map(|d| {
                    let mut d = d.clone();
                    d.file = file.into();
                    format!("{d:?}")
                })
                .collect::<Vec<_>>()
        };
        let back = |ds: Vec<privet::diagnostic::Diagnostic>| {
            ds.iter().map(|d| format!("{d:?}")).collect::<Vec<_>>()
        };
        assert_eq!(back(load), shift(r.load), "{}", r.path);
        let checked = memo.checked(r.path, r.text, file, &context).expect(r.path);
        findings_seen += checked.len() + r.load.len();
        assert_eq!(back(checked), shift(r.check.unwrap()), "{}", r.path);
        // Another text at the same path, or another context: nothing.
        let edited = format!("{} ", r.text);
        assert!(memo.parsed(r.path, &edited, file).is_none());
        let other = privet::memo::check_context(&[b"other"]);
        assert!(memo.checked(r.path, r.text, file, &other).is_none());
    }
    assert!(
        findings_seen > 40,
        "the fixtures have findings: {findings_seen}"
    );
    // Another build reads nothing.
    assert!(Memo::read(scratch.path(), "another build", privet::catalog::ALL).is_none());
}
