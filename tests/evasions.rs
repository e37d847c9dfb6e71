//! The gate against a contributor who tries: every proposal in
//! `tests/fixtures/evasions/` smuggles an identifying value past the audit
//! in its own way (written without reading privet's source; see its
//! README.md), and each must fail by a privacy rule at the field that
//! carries the value. The good corpus (`tests/fixtures/good/`), real
//! metrics of other projects written the way a careful maintainer would,
//! must pass with no finding at all.

use std::fs;
use std::path::{Path, PathBuf};

use privet::date::Date;
use privet::diagnostic::line_col;
use privet::pipeline::{self, Options};
use privet::resolve::HistoryMode;
use privet::rules::Severity;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn options() -> Options {
    Options {
        today: Date::new(2026, 11, 23).unwrap(),
        history: HistoryMode::Skip,
        ..Options::default()
    }
}

/// Evasions the audit cannot see in the proposal because the generated
/// type already refuses the smuggled value, with the test that shows it.
/// (Empty since versions count what their parts can hold: `nightly_release`,
/// a YYYYMMDD.HHMMSS build stamp the types reduce to `unknown`, is now also
/// refused by `field-information`.)
const NEUTRALIZED_BY_TYPE: &[(&str, &str)] = &[];

/// The lines of each `[fields.NAME]` table that the header's
/// `# expect-privacy: LINE:COL …` names: from its header to the line
/// before the next table.
fn expected_blocks(text: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let header = lines[0]
        .strip_prefix("# expect-privacy:")
        .expect("the first line is `# expect-privacy: LINE:COL …`");
    let tables: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with('['))
        .map(|(i, _)| i + 1)
        .collect();
    header
        .split_whitespace()
        .map(|pos| {
            let line: usize = pos.split(':').next().unwrap().parse().unwrap();
            assert!(
                lines[line - 1].starts_with("[fields."),
                "{pos} is not a [fields.…] header"
            );
            let end = tables
                .iter()
                .find(|&&t| t > line)
                .map_or(lines.len(), |t| t - 1);
            (line, end)
        })
        .collect()
}

#[test]
fn every_evasion_fails_by_a_privacy_rule_at_the_leaking_field() {
    let config = fs::read_to_string(fixtures().join("privet.toml")).unwrap();
    let mut files: Vec<PathBuf> = fs::read_dir(fixtures().join("evasions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "the corpus holds {} files", files.len());
    let mut missed = Vec::new();
    let mut caught = 0;
    for path in &files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(path).unwrap();
        let blocks = expected_blocks(&text);
        let shown = format!("proposals/{name}.toml");
        let checked = pipeline::check_loaded(
            privet::load::from_texts(Some(&config), &[(&shown, &text)]),
            &options(),
        );
        let sources = &checked.registry.sources;
        let found: Vec<String> = checked
            .findings
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                let (line, col) = line_col(sources.text(&d.file), d.span.start);
                (d, line, col)
            })
            .filter(|(d, line, _)| {
                d.rule.family == "privacy" && blocks.iter().any(|(a, b)| (a..=b).contains(&line))
            })
            .map(|(d, line, col)| format!("{}@{line}:{col}", d.rule.id))
            .collect();
        let neutralized = NEUTRALIZED_BY_TYPE.iter().any(|(n, _)| *n == name);
        match (found.is_empty(), neutralized) {
            (false, false) => caught += 1,
            (true, true) => {}
            (true, false) => missed.push(name),
            (false, true) => panic!("{name} is caught now: remove it from NEUTRALIZED_BY_TYPE"),
        }
    }
    println!(
        "evasions caught at the leaking field: {caught} of {} ({} neutralized by the generated types)",
        files.len(),
        NEUTRALIZED_BY_TYPE.len()
    );
    assert!(missed.is_empty(), "evasions that pass the gate: {missed:?}");
}

#[test]
fn every_good_metric_passes_with_no_finding() {
    let root = fixtures().join("good");
    let checked = pipeline::check(&root, &options()).unwrap();
    assert!(
        checked.registry.proposals.len() >= 30,
        "the good corpus holds {} proposals",
        checked.registry.proposals.len()
    );
    let report = privet::report::render(
        &checked.findings,
        &checked.registry.sources,
        privet::report::Format::Human,
    );
    assert!(
        checked.findings.is_empty(),
        "{} findings on well-bucketed metrics:\n{report}",
        checked.findings.len()
    );
}
