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

/// Evasions that work only together: each directory of
/// `tests/fixtures/evasions/spread/` is one, several metrics of one payload
/// (the installation id links them), each harmless alone. Every metric of
/// a group must fail by a privacy rule at a field that carries its part.
#[test]
fn every_evasion_spread_over_metrics_fails_in_each_of_its_metrics() {
    let config = fs::read_to_string(fixtures().join("privet.toml")).unwrap();
    let mut groups: Vec<PathBuf> = fs::read_dir(fixtures().join("evasions/spread"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    groups.sort();
    assert!(!groups.is_empty(), "no group in evasions/spread");
    let mut missed = Vec::new();
    for group in &groups {
        let mut files: Vec<(String, String)> = fs::read_dir(group)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .map(|p| {
                (
                    format!("proposals/{}", p.file_name().unwrap().to_string_lossy()),
                    fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        assert!(files.len() >= 2, "{group:?} is not a group");
        // Each metric alone passes: the leak is in the combination.
        for (name, text) in &files {
            let alone = pipeline::check_loaded(
                privet::load::from_texts(Some(&config), &[(name.as_str(), text.as_str())]),
                &options(),
            );
            assert!(
                !alone
                    .findings
                    .iter()
                    .any(|d| d.severity == Severity::Error && d.rule.family == "privacy"),
                "{name} fails alone: the group tests nothing"
            );
        }
        let texts: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let checked =
            pipeline::check_loaded(privet::load::from_texts(Some(&config), &texts), &options());
        let sources = &checked.registry.sources;
        for (name, text) in &files {
            let blocks = expected_blocks(text);
            let hit = checked.findings.iter().any(|d| {
                let line = line_col(sources.text(&d.file), d.span.start).0;
                d.severity == Severity::Error
                    && d.rule.family == "privacy"
                    && sources.path(&d.file) == name
                    && blocks.iter().any(|(a, b)| (*a..=*b).contains(&line))
            });
            if !hit {
                missed.push(name.clone());
            }
        }
    }
    assert!(
        missed.is_empty(),
        "metrics of a spread evasion that pass: {missed:?}"
    );
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
