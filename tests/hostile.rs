//! The hostile-input corpus: every case in `tests/fixtures/hostile/` runs
//! against the `privet` binary in a scratch copy of its tree and must give
//! its expected exit code and messages, without a panic, a hang, a stray
//! temporary file or a raw control character in the output. The worst time
//! of each family, in a release build, is `cargo xtask bench --hostile`.

#[path = "common/hostile.rs"]
mod hostile;

use std::path::Path;
use std::time::Duration;

#[test]
fn every_hostile_case_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let cases = hostile::load_all(&root).expect("the corpus loads");
    assert!(
        cases.len() >= 100,
        "the corpus has {} cases, fewer than 100",
        cases.len()
    );
    let binary = Path::new(env!("CARGO_BIN_EXE_privet"));
    let mut failures = Vec::new();
    for case in &cases {
        // Generous for a debug build on a loaded 2-core machine; the
        // benchmark holds the real bound (a second, release build).
        match hostile::run(case, binary, Duration::from_secs(60)) {
            Ok(outcome) => {
                let problems = hostile::problems(case, &outcome);
                if !problems.is_empty() {
                    failures.push(format!(
                        "{} ({}):\n  {}",
                        case.id(),
                        case.about,
                        problems.join("\n  ")
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: setup failed: {e}", case.id())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile cases fail:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
