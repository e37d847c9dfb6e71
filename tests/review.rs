//! `privet review NAME` on the bundled registry: the page a reviewer decides
//! from, snapshotted for an approved metric and for one still proposed.
//! (The diff against the last approved definition is tested in a scratch
//! repository, in `tests/provenance.rs`.)

use std::process::Command;

fn review(name: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .args(["review", name])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn review_request_of_an_approved_metric() {
    let page = review("pulp_workers");
    assert!(page.contains("of this definition; ships"), "{page}");
    assert!(
        page.contains("Unchanged: the current definition is the one approved in"),
        "{page}"
    );
    insta::assert_snapshot!("pulp_workers", page);
}

/// A `[budget]` override is the first thing a reviewer reads.
#[test]
fn a_budget_override_comes_first() {
    let page = review("pulp_components");
    let override_at = page
        .find("**Budget override.**")
        .expect("the override is shown");
    let table_at = page.find("| File |").unwrap();
    assert!(override_at < table_at, "{page}");
    assert!(
        page.contains("**120 bits for the metric** (default 24, ceiling 128)"),
        "{page}"
    );
    assert!(
        page.contains("Reason given: Plugin versions are the core question"),
        "{page}"
    );
}

#[test]
fn review_request_of_a_proposed_metric() {
    let page = review("pulp_rbac_usage");
    assert!(page.contains("| Approval | none |"), "{page}");
    insta::assert_snapshot!("pulp_rbac_usage", page);
}

#[test]
fn an_unknown_metric_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .args(["review", "pulp_worker"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pulp_workers"),
        "suggests the close name: {err}"
    );
}
