//! The transparency page (`[page]`): its Markdown snapshotted, and its HTML
//! rendered in a real headless browser (Debian's `chromium`): it loads with
//! no console message, its headings and a metric's row are in the DOM, it
//! references nothing outside itself, and a screenshot is written to
//! `target/tmp/telemetry-page.png`. Without a browser the test is skipped
//! with a loud message on a developer's machine and fails in CI (`CI` set;
//! `.ci/run` installs chromium when it is missing).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn page(ext: &str) -> (PathBuf, String) {
    let registry = privet::load::load(&root()).unwrap();
    let outputs = privet::generate::outputs(&registry, privet::catalog::ALL);
    let path = PathBuf::from(format!("docs/telemetry.{ext}"));
    let out = outputs
        .files
        .iter()
        .find(|o| o.path == path)
        .unwrap_or_else(|| panic!("{} is generated", path.display()));
    (root().join(&path), out.contents.clone())
}

#[test]
fn the_markdown_page_lists_what_ships_in_plain_words() {
    let (_, md) = page("md");
    assert!(md.contains("## How to turn it on or off"));
    assert!(md.contains("### `pulp_workers`: "), "a shipped metric");
    assert!(
        !md.contains("pulp_rbac_usage"),
        "a proposed metric is not listed"
    );
    assert!(
        md.contains("| `workers` (Online worker processes) | reported as 0, 1, 2–4, 5–9, 10–19, 20–49, or 50 or more |"),
        "{md}"
    );
    insta::assert_snapshot!("telemetry_md", md);
}

fn browser() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

fn chromium(binary: &str, page: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_html_page_renders_in_a_headless_browser() {
    let (path, html) = page("html");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        html,
        "docs/telemetry.html is stale; run `cargo xtask codegen`"
    );
    for external in ["src=", "http://", "https://", "<script", "<link"] {
        assert!(
            !html.contains(external),
            "the page is self-contained: {external}"
        );
    }
    let Some(binary) = browser() else {
        let msg = "chromium is not installed: the headless-browser test of the transparency page \
                   did NOT run (install it with `apt-get install chromium`)";
        if std::env::var_os("CI").is_some() {
            panic!("{msg}; CI must run it");
        }
        eprintln!("\n\n!!!!!!!!!! SKIPPED: {msg} !!!!!!!!!!\n");
        return;
    };
    let (dom, log) = chromium(binary, &path, &["--dump-dom"]);
    let console: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("CONSOLE") || l.contains("Uncaught") || l.contains("Failed to load resource")
        })
        .collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert!(
        dom.contains("<h1>What the privet example registry collects</h1>"),
        "{dom}"
    );
    assert!(dom.contains("<h2 id=\"opt-out\">How to turn it on or off</h2>"));
    assert!(dom.contains("<h2 id=\"event-heartbeat\">"));
    assert!(dom.contains("<h3 id=\"heartbeat-pulp_workers\">"));
    assert!(
        dom.contains("<td><code>workers</code> (Online worker processes)</td>"),
        "{dom}"
    );
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("telemetry-page.png");
    let _ = std::fs::remove_file(&shot);
    let arg = format!("--screenshot={}", shot.display());
    chromium(binary, &path, &["--window-size=1280,2400", &arg]);
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "a screenshot of the page ({size} bytes at {})",
        shot.display()
    );
    eprintln!("screenshot: {}", shot.display());
}
