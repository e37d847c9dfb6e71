//! The third hostile corpus (`tests/fixtures/hostile3/`), written by a
//! fresh helper without reading the code: approvals and trust, output
//! injection, parser smuggling, the file system and resource use. Its cases
//! run like those of `tests/hostile.rs`. The cases that still fail are
//! listed in `tests/fixtures/hostile3/KNOWN-FAILURES` (one `family/case` a
//! line, with why): a case failing that is not listed fails this test, and
//! so does a listed case that now passes (take it off the list), so the
//! ledger is always the truth. `FIRST-RUN.md` beside it is the measurement
//! before any fix.

#[path = "common/hostile.rs"]
mod hostile;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

#[test]
fn round_three_cases_hold_or_are_known_failures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile3");
    let cases = hostile::load_all(&root).expect("the corpus loads");
    assert!(cases.len() >= 100, "the corpus has {} cases", cases.len());
    let ledger = std::fs::read_to_string(root.join("KNOWN-FAILURES")).expect("the ledger");
    let known: BTreeSet<&str> = ledger
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    let binary = Path::new(env!("CARGO_BIN_EXE_privet"));
    let mut per_family: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut regressions, mut fixed) = (Vec::new(), Vec::new());
    for case in &cases {
        let problems = match hostile::run(case, binary, Duration::from_secs(20)) {
            Ok(outcome) => hostile::problems(case, &outcome),
            Err(e) => vec![format!("setup failed: {e}")],
        };
        let id = case.id();
        let entry = per_family.entry(case.family.clone()).or_default();
        entry.1 += 1;
        if problems.is_empty() {
            entry.0 += 1;
            if known.contains(id.as_str()) {
                fixed.push(id);
            }
        } else if !known.contains(id.as_str()) {
            regressions.push(format!(
                "{id} ({}):\n  {}",
                case.about,
                problems.join("\n  ")
            ));
        }
    }
    for (family, (pass, all)) in &per_family {
        eprintln!("hostile round 3: {family}: {pass} of {all} pass");
    }
    assert!(
        regressions.is_empty(),
        "{} cases fail that KNOWN-FAILURES does not list:\n\n{}",
        regressions.len(),
        regressions.join("\n\n")
    );
    assert!(
        fixed.is_empty(),
        "these cases pass now: take them off tests/fixtures/hostile3/KNOWN-FAILURES: {fixed:?}"
    );
}
