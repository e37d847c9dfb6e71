//! Bad input never panics: arbitrary text and random mutations of real
//! proposals go through load, check and every renderer, and every finding
//! points inside its file.

use privet::date::Date;
use privet::load;
use privet::pipeline::{self, Options};
use privet::report::{self, Format};
use proptest::prelude::*;

const BUNDLED: &[&str] = &[
    include_str!("../proposals/pulp/pulp_components.toml"),
    include_str!("../proposals/mongooseim/mongooseim_modules.toml"),
    include_str!("../proposals/openwisp/installation_age.toml"),
    include_str!("fixtures/bad/example_mismatch.toml"),
    include_str!("fixtures/bad/everything_wrong.toml"),
];

fn run_everything(config: Option<&str>, text: &str) {
    let checked = pipeline::check_loaded(
        load::from_texts(config, &[("proposals/fuzzed.toml", text)]),
        &Options {
            today: Date::new(2026, 11, 23).unwrap(),
            history: privet::resolve::HistoryMode::Skip,
            samples: privet::check::Samples::Off,
            base: None,
        },
    );
    let registry = &checked.registry;
    for d in &checked.findings {
        let text = registry.sources.text(&d.file);
        assert!(
            d.span.start <= d.span.end,
            "inverted span {:?} for {}",
            d.span,
            d.rule.id
        );
        assert!(
            d.span.end <= text.len(),
            "span {:?} beyond {} bytes for {}",
            d.span,
            text.len(),
            d.rule.id
        );
    }
    for format in [Format::Human, Format::Json, Format::Github] {
        let out = report::render(&checked.findings, &registry.sources, format);
        assert_eq!(out.is_empty(), checked.findings.is_empty());
    }
}

/// An edit to apply to a text: replace `len` bytes at `at` (both scaled to the
/// text) with `insert`.
#[derive(Debug, Clone)]
struct Edit {
    at: f64,
    len: usize,
    insert: String,
}

fn edit() -> impl Strategy<Value = Edit> {
    let pieces = prop_oneof![
        Just(String::new()),
        Just("\"".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("=".to_string()),
        Just("\n".to_string()),
        Just("[fields.x]\n".to_string()),
        Just("type = \"map\"\n".to_string()),
        Just("value = { type = \"count\", preset = \"pow2\", max = 99999999999 }\n".to_string()),
        Just("buckets = [-1, 9223372036854775807]\n".to_string()),
        Just("pattern = '(?P<x>'\n".to_string()),
        Just("é".to_string()),
        Just("2026-02-30".to_string()),
        "[a-z_ =\"'\\[\\]{}.,0-9\n#-]{0,20}",
    ];
    (0.0..1.0f64, 0..40usize, pieces).prop_map(|(at, len, insert)| Edit { at, len, insert })
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut s = text.to_string();
    for e in edits {
        let mut at = ((s.len() as f64) * e.at) as usize;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + e.len).min(s.len());
        while !s.is_char_boundary(end) {
            end += 1;
        }
        s.replace_range(at..end, &e.insert);
    }
    s
}

proptest! {
    // 256 cases in CI; PROPTEST_CASES=100000 for a long local run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        run_everything(None, &text);
    }

    #[test]
    fn mutated_proposals_never_panic(which in 0..BUNDLED.len(), edits in proptest::collection::vec(edit(), 1..6)) {
        run_everything(None, &apply(BUNDLED[which], &edits));
    }

    #[test]
    fn mutated_configs_never_panic(edits in proptest::collection::vec(edit(), 1..6)) {
        let config = apply(include_str!("../privet.toml"), &edits);
        run_everything(Some(&config), BUNDLED[0]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    /// `privet scan` never panics, and every finding's offsets lie inside
    /// its line, on character boundaries.
    #[test]
    fn scanning_arbitrary_input_never_panics(text in "\\PC{0,300}", key in "\\PC{0,12}", value in "\\PC{0,60}") {
        let doc = serde_json::json!({ key.clone(): value, "n": { key.clone(): 1718236827 } }).to_string();
        // Rows of names and values (the name before a value is its context).
        let rows = serde_json::json!({ "rows": [[key.clone(), value.clone()], ["x", key, value, 7]] }).to_string();
        for input in [text.as_str(), doc.as_str(), rows.as_str()] {
            let report = privet::scan::scan(input, &Default::default(), None);
            for f in &report.findings {
                let line = input.split('\n').nth(f.line - 1).expect("line exists");
                prop_assert!(f.start <= f.end && f.end <= line.len());
                prop_assert!(line.is_char_boundary(f.start) && line.is_char_boundary(f.end));
            }
        }
    }
}

#[test]
fn configuration_values_are_range_checked_at_their_line() {
    let registry = load::from_texts(
        Some("[review]\nreviewers = []\n\n[thresholds]\nsample_cases = 1000000000\n"),
        &[],
    );
    let found: Vec<(String, usize)> = registry
        .findings
        .iter()
        .map(|d| {
            let (line, _) =
                privet::diagnostic::line_col(registry.sources.text(&d.file), d.span.start);
            (d.rule.id.to_string(), line)
        })
        .collect();
    assert!(found.contains(&("empty-list".to_string(), 2)), "{found:?}");
    assert!(
        found.contains(&("invalid-value".to_string(), 5)),
        "{found:?}"
    );
    assert_eq!(registry.config.thresholds.sample_cases, 100_000);
}

#[test]
fn a_huge_enum_loads_in_linear_time() {
    // 50,000 values (one listed twice): the duplicate check must not
    // compare each value with every earlier one (that took minutes).
    let mut values: Vec<String> = (0..50_000).map(|i| format!("\"v{i}\"")).collect();
    values.push("\"v7\"".into());
    let text = format!(
        "{}\n[fields.big]\ntype = \"enum\"\nvalues = [{}]\n",
        BUNDLED[0].split("\n[fields.").next().unwrap(),
        values.join(", ")
    );
    let registry = load::from_texts(None, &[("proposals/huge.toml", &text)]);
    let duplicates = registry
        .findings
        .iter()
        .filter(|d| d.rule.id == "duplicate-value")
        .count();
    assert_eq!(duplicates, 1);
}

/// A JSON value built from keys and values that the scanner judges by
/// context, nested a few levels.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let key = prop_oneof![
        Just("email".to_string()),
        Just("host".to_string()),
        Just("version".to_string()),
        Just("installation_id".to_string()),
        Just("started_at".to_string()),
        Just("count".to_string()),
        Just("_comment".to_string()),
        "[a-z_]{1,10}",
    ];
    let leaf = prop_oneof![
        Just(serde_json::json!("jane@example.org")),
        Just(serde_json::json!("db01.corp.example.com")),
        Just(serde_json::json!("203.0.113.9")),
        Just(serde_json::json!("3.2.1")),
        Just(serde_json::json!("/home/jane/app")),
        Just(serde_json::json!(1718236827)),
        Just(serde_json::json!(4111111111111111u64)),
        "\\PC{0,30}".prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(key.clone(), inner, 0..5)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// `(pointer, kind)` of every finding, sorted.
fn judged(text: &str) -> Vec<(String, String)> {
    let report = privet::scan::scan(text, &Default::default(), None);
    assert!(report.errors.is_empty(), "{:?} in {text}", report.errors);
    let mut v: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.pointer.clone(), f.kind.as_str().to_string()))
        .collect();
    v.sort();
    v
}

/// A proposal's text with layout a hand may give it: comments after
/// values, blank lines, Windows line endings.
fn laid_out(text: &str, comments: &[bool], crlf: bool) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        if comments
            .get(i % comments.len().max(1))
            .copied()
            .unwrap_or(false)
            && !line.trim().is_empty()
            && !line.trim_start().starts_with('#')
            && !line.ends_with('\\')
            && !line.contains("\"\"\"")
            && !line.contains("'''")
        {
            out.push_str(&format!("  # note {i}"));
        }
        out.push_str(if crlf { "\r\n" } else { "\n" });
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128),
        ..ProptestConfig::default()
    })]

    /// A payload reads the same whatever its layout: compact (JSON Lines),
    /// pretty-printed, or twice in a row as `jq .` prints a stream.
    #[test]
    fn layout_never_changes_what_a_payload_reveals(value in json_value().prop_map(|v| {
        // A payload is an object or an array; a bare scalar is wrapped.
        if v.is_object() || v.is_array() { v } else { serde_json::json!({ "value": v }) }
    })) {
        let compact = judged(&value.to_string());
        let pretty_text = serde_json::to_string_pretty(&value).unwrap();
        prop_assert_eq!(&judged(&pretty_text), &compact);
        let twice = judged(&format!("{pretty_text}\n{pretty_text}\n"));
        let mut doubled: Vec<(String, String)> = compact.iter().chain(&compact).cloned().collect();
        doubled.sort();
        prop_assert_eq!(twice, doubled);
    }

    /// Approving keeps every comment (but those among the signatures of the
    /// definition approved before) and the line endings, records the
    /// approval, and is idempotent; a file it cannot approve is left as it was.
    #[test]
    fn approve_keeps_the_file_and_is_idempotent(
        which in 0..BUNDLED.len(),
        edits in proptest::collection::vec(edit(), 0..3),
        comments in proptest::collection::vec(any::<bool>(), 1..6),
        crlf in any::<bool>(),
    ) {
        let text = laid_out(&apply(BUNDLED[which], &edits), &comments, crlf);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.toml");
        std::fs::write(&path, &text).unwrap();
        let date = Date::new(2026, 12, 1).unwrap();
        let fp = "0123456789abcdef0123456789abcdef01234567";
        match privet::commands::approve::approve_file(&path, "bob", fp, date, None) {
            Err(_) => prop_assert_eq!(std::fs::read_to_string(&path).unwrap(), text),
            Ok(_) => {
                let after = std::fs::read_to_string(&path).unwrap();
                // Signatures of another definition go, and their comments
                // with them, as does the time that approval was recorded at
                // (this call records none): every other comment stays. What
                // stays is the original as parsed without those (a
                // line-based reading cannot tell a header from a line inside
                // a multi-line signature string).
                let mut without: toml_edit::DocumentMut =
                    text.parse().expect("an approved file parsed before");
                if let Some(a) = without.get_mut("approval").and_then(|a| a.as_table_like_mut()) {
                    a.remove("signatures");
                    a.remove("time");
                }
                let kept = without.to_string();
                for line in kept.lines().filter(|l| l.contains("# note")) {
                    let note = &line[line.find("# note").unwrap()..];
                    prop_assert!(after.contains(note.trim_end()), "lost {:?}", note);
                }
                if crlf {
                    prop_assert!(!after.replace("\r\n", "").contains('\n'), "a bare LF in a CRLF file");
                }
                let doc: toml_edit::DocumentMut = after.parse().expect("approved text parses");
                prop_assert_eq!(doc["status"].as_str(), Some("approved"));
                prop_assert_eq!(doc["approval"]["fingerprint"].as_str(), Some(fp));
                prop_assert_eq!(
                    privet::commands::approve::approve_file(&path, "bob", fp, date, None),
                    Ok(privet::commands::approve::Outcome::AlreadyApproved)
                );
                prop_assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
            }
        }
    }
}

#[test]
fn an_over_budget_event_of_thousands_of_metrics_names_its_largest_shares() {
    // 300 pending metrics in one event: each is blamed, and each finding
    // once listed all 2,000 (quadratic: 10,000 took 15 GB and 24 s).
    let text = include_str!("fixtures/bad/pattern_admits_pii.toml");
    let files: Vec<(String, String)> = (0..300)
        .map(|i| (format!("proposals/m{i:04}.toml"), text.to_string()))
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let checked = pipeline::check_loaded(
        load::from_texts(None, &borrowed),
        &Options {
            today: Date::new(2026, 11, 23).unwrap(),
            history: privet::resolve::HistoryMode::Skip,
            samples: privet::check::Samples::Off,
            base: None,
        },
    );
    let budget: Vec<_> = checked
        .findings
        .iter()
        .filter(|d| d.rule.id == "reidentification-budget")
        .collect();
    assert_eq!(budget.len(), 300);
    for d in budget {
        let help = d.help.as_deref().unwrap_or("");
        assert!(help.len() < 2_000, "{} bytes of help", help.len());
        assert!(help.contains("and 288 more metrics with"), "{help}");
    }
}

/// A Glean metrics file whose every string (category, metric name,
/// description, labels, extra keys, ping names, emails) is `s[i]`.
fn glean_file(s: &[String]) -> String {
    // YAML double-quoted strings: JSON's escaping is valid YAML.
    let q = |i: usize| serde_json::to_string(&s[i % s.len()]).unwrap();
    format!(
        "$schema: moz://mozilla.org/schemas/glean/metrics/2-0-0\n\
         {c}:\n  {m}:\n    type: counter\n    description: {d}\n    notification_emails: [{e}]\n    \
         bugs: [{b}]\n    data_reviews: [{b}]\n    expires: never\n    send_in_pings: [{p}]\n  \
         {m2}:\n    type: labeled_counter\n    description: {d2}\n    labels: [{l}, {l2}]\n    \
         notification_emails: [{e}]\n    bugs: [{b}]\n    data_reviews: [{b}]\n    expires: {x}\n  \
         {m3}:\n    type: event\n    description: {d}\n    extra_keys:\n      {k}:\n        description: {d2}\n        type: string\n    \
         notification_emails: [{e}]\n    bugs: [{b}]\n    data_reviews: [{b}]\n    expires: never\n",
        c = q(0),
        m = q(1),
        d = q(2),
        e = q(3),
        b = q(4),
        p = q(5),
        m2 = q(6),
        d2 = q(7),
        l = q(8),
        l2 = q(9),
        x = q(10),
        m3 = q(11),
        k = q(12),
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    /// `privet import glean` with arbitrary Unicode in every string: no
    /// panic, and every proposal it would write loads.
    #[test]
    fn importing_arbitrary_unicode_never_panics(strings in proptest::collection::vec("\\PC{0,40}", 13)) {
        let text = glean_file(&strings);
        if let Ok(import) = privet::import::glean_texts(&text, None) {
            let _ = privet::import::Summary {
                import: &import,
                metrics_file: "metrics.yaml",
                pings_file: None,
                out_dir: "proposals/glean",
                loaded: import.proposals.len(),
                missing_events: import.events.clone(),
                seconds: 0.0,
            }
            .text();
            let files: Vec<(String, String)> = import
                .proposals
                .iter()
                .map(|p| (format!("proposals/{}", p.path), p.text.clone()))
                .collect();
            let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            let registry = load::from_texts(None, &refs);
            for d in &registry.findings {
                prop_assert!(
                    !matches!(d.rule.id, "toml-syntax" | "invalid-utf8"),
                    "an imported proposal does not parse: {} ({})", d.message, d.rule.id
                );
            }
        }
    }

    /// Every renderer (terminal, JSON, GitHub, the review) with arbitrary
    /// Unicode in every prose field and a value: no panic, and no hidden
    /// character reaches the review.
    #[test]
    fn rendering_arbitrary_unicode_never_panics(strings in proptest::collection::vec("\\PC{0,40}", 6)) {
        let q = |i: usize| privet::import::toml_string(&strings[i]);
        let text = format!(
            "summary = {}\nowners = [{}]\nevents = [\"heartbeat\"]\nexpires = \"never\"\nstatus = \"proposed\"\n\
             question = {}\ngathering = {}\nburden = {}\npii = {}\nsanitization = {}\nsince = \"1.0\"\n\
             alternatives = {}\nsummarization = {}\nvisualization = {}\n\n[fields.kind]\ntype = \"enum\"\nvalues = [{}]\n",
            q(0), q(1), q(2), q(3), q(4), q(5), q(0), q(1), q(2), q(3), q(5)
        );
        run_everything(None, &text);
        let registry = load::from_texts(None, &[("proposals/fuzzed.toml", &text)]);
        for p in &registry.proposals {
            let review = privet::review::markdown(&registry, &privet::resolve::Provenance::Skipped, &registry.findings, p);
            prop_assert!(!review.chars().any(privet::text::is_hidden), "hidden character in the review:\n{}", review);
        }
    }
}
