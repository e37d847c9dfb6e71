//! `privet import glean`: a realistic Glean metrics.yaml and pings.yaml
//! (tests/fixtures/glean/, 583 metrics of every Glean type, written for
//! these tests) become proposals that load, map cleanly where a
//! low-resolution type exists, and fail the audit with a note where the
//! author must decide; bad input writes nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/glean")
        .join(name);
    assert!(p.is_file(), "missing fixture {}", p.display());
    p
}

fn privet(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A new registry (`privet init`) with the fixture corpus imported.
fn imported() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = privet(dir.path(), &["init"]);
    assert_eq!(code, 0, "{err}");
    let metrics = fixture("metrics.yaml");
    let pings = fixture("pings.yaml");
    let (code, out, err) = privet(
        dir.path(),
        &[
            "import",
            "glean",
            metrics.to_str().unwrap(),
            pings.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    (dir, out)
}

fn proposal(dir: &Path, category: &str, name: &str) -> toml_edit::DocumentMut {
    let path = dir
        .join("proposals/glean")
        .join(category)
        .join(format!("{category}_{name}.toml"));
    fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .parse()
        .unwrap()
}

/// Every metric of the fixture, as `category.name` and its type, read
/// without the importer: the lines at the fixture's indentation.
fn fixture_metrics() -> Vec<(String, String)> {
    let text = fs::read_to_string(fixture("metrics.yaml")).unwrap();
    let mut out = Vec::new();
    let (mut category, mut metric) = (String::new(), String::new());
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if indent == 0 && trimmed.ends_with(':') {
            category = trimmed.trim_end_matches(':').to_string();
        } else if indent == 2 && trimmed.ends_with(':') {
            metric = trimmed.trim_end_matches(':').to_string();
        } else if indent == 4
            && let Some(ty) = trimmed.strip_prefix("type: ")
        {
            out.push((format!("{category}.{metric}"), ty.trim().to_string()));
        }
    }
    out
}

#[test]
fn every_glean_metric_becomes_a_proposal_that_loads() {
    let expected = fixture_metrics();
    assert!(expected.len() >= 400, "{}", expected.len());
    let (dir, out) = imported();
    let fixtures = fixture("metrics.yaml")
        .parent()
        .unwrap()
        .display()
        .to_string();
    let seconds = out
        .find(" s\n")
        .and_then(|end| out[..end].rfind(" in ").map(|i| (i, end)));
    let (i, end) = seconds.expect("the time is on the first line");
    let shown =
        format!("{} in [time]{}", &out[..i], &out[end + 2..]).replace(&fixtures, "[fixtures]");
    insta::assert_snapshot!("glean_import_summary", shown);
    assert!(
        out.contains(&format!(
            "wrote {n} proposals under proposals/glean ({n} of them load)",
            n = expected.len()
        )),
        "{out}"
    );
    // Nothing dropped: one file per metric, each naming its source.
    let mut sources: Vec<String> = walk(&dir.path().join("proposals/glean"))
        .iter()
        .map(|path| {
            let doc: toml_edit::DocumentMut = fs::read_to_string(path).unwrap().parse().unwrap();
            doc["import"]["source"].as_str().unwrap().to_string()
        })
        .collect();
    sources.sort();
    let mut names: Vec<String> = expected.iter().map(|(n, _)| n.clone()).collect();
    names.sort();
    assert_eq!(sources, names);

    // The audit's view: every metric that needs a decision fails with
    // `import-undecided`; the ones that mapped cleanly do not.
    let (code, json, _) = privet(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, 1);
    let undecided: std::collections::BTreeSet<String> = json
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|d| d["rule"] == "import-undecided")
        .map(|d| d["metric"].as_str().unwrap().to_string())
        .collect();
    let clean: usize = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("mapped cleanly:"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(undecided.len(), expected.len() - clean, "{out}");
    // Every type free text or an identifier is sent in needs a decision.
    for (source, ty) in &expected {
        let name = source.replace('.', "_");
        if [
            "string",
            "text",
            "url",
            "uuid",
            "datetime",
            "string_list",
            "object",
            "labeled_string",
        ]
        .contains(&ty.as_str())
        {
            assert!(undecided.contains(&name), "{source} ({ty}) passed as clean");
        }
    }
}

#[test]
fn types_map_to_their_low_resolution_fields() {
    let (dir, out) = imported();
    let d = dir.path();
    // counter: a bucketed count; owners, events, expiry and references kept.
    let p = proposal(d, "browser_engagement", "uri_count");
    assert_eq!(p["fields"]["value"]["type"].as_str(), Some("count"));
    assert_eq!(p["fields"]["value"]["preset"].as_str(), Some("1-2-5"));
    assert_eq!(p["events"].as_array().unwrap().len(), 2);
    assert_eq!(p["expires"].as_str(), Some("never"));
    assert!(
        p["owners"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o.as_str() == Some("product-analytics@mozilla.com"))
    );
    assert!(p["import"]["references"].as_array().unwrap().len() >= 2);
    assert!(
        p["summary"]
            .as_str()
            .unwrap()
            .starts_with("The count of the total non-unique")
    );
    assert!(
        p.get("question").is_none(),
        "the question is the author's to answer"
    );
    // string: no field, one decision, and the audit fails on it.
    let p = proposal(d, "search_engine_default", "display_name");
    assert!(p.get("fields").is_none());
    let undecided = p["import"]["undecided"].as_array().unwrap();
    assert!(undecided.iter().any(|u| {
        u.as_str()
            .unwrap()
            .contains("Glean type `string` sends free text")
    }));
    // The summary counts each kind of decision.
    for kind in ["free text", "identifying", "free labels", "expiry"] {
        assert!(out.contains(&format!("  {kind}: ")), "{kind}: {out}");
    }
    // Labeled counters: listed labels become a map's keys; free ones a decision.
    let labeled = fs::read_to_string(fixture("metrics.yaml")).unwrap();
    assert!(labeled.contains("type: labeled_counter"));
    let mut listed = 0;
    let mut free = 0;
    for entry in walk(&d.join("proposals/glean")) {
        let doc: toml_edit::DocumentMut = fs::read_to_string(&entry).unwrap().parse().unwrap();
        let header = fs::read_to_string(&entry).unwrap();
        if header.contains("(labeled_counter)") {
            match doc.get("fields") {
                Some(f) => {
                    assert_eq!(f["value"]["type"].as_str(), Some("map"));
                    assert!(!f["value"]["keys"].as_array().unwrap().is_empty());
                    listed += 1;
                }
                None => {
                    let u = doc["import"]["undecided"].as_array().unwrap();
                    assert!(
                        u.iter()
                            .any(|u| u.as_str().unwrap().contains("takes any label"))
                    );
                    free += 1;
                }
            }
        }
        if header.contains("(event)") {
            // Events: occurrences, and each boolean or quantity extra as a field.
            let f = doc["fields"].as_table().unwrap();
            assert_eq!(f["occurrences"]["type"].as_str(), Some("count"));
            for (_, field) in f.iter() {
                let ty = field["type"].as_str().unwrap();
                assert!(ty == "count" || ty == "bool", "{}: {ty}", entry.display());
            }
        }
        if header.contains("(timing_distribution)") {
            assert_eq!(doc["fields"]["value"]["type"].as_str(), Some("duration"));
        }
    }
    assert!(listed > 0 && free > 0, "{listed} listed, {free} free");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn bad_input_writes_nothing_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _) = privet(dir.path(), &["init"]);
    assert_eq!(code, 0);
    let before = walk(dir.path());
    // Broken YAML: file, line and column, exit 2.
    fs::write(
        dir.path().join("bad.yaml"),
        "cat:\n  m:\n    type: counter\n    bugs: [1, 2\n",
    )
    .unwrap();
    let (code, _, err) = privet(dir.path(), &["import", "glean", "bad.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error: bad.yaml:"), "{err}");
    // A missing file.
    let (code, _, err) = privet(dir.path(), &["import", "glean", "nowhere.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("nowhere.yaml: cannot read it"), "{err}");
    // Not UTF-8.
    fs::write(
        dir.path().join("latin1.yaml"),
        b"cat:\n  m:\n    description: caf\xe9\n",
    )
    .unwrap();
    let (code, _, err) = privet(dir.path(), &["import", "glean", "latin1.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("not UTF-8"), "{err}");
    let mut after = walk(dir.path());
    after.retain(|p| !p.ends_with("bad.yaml") && !p.ends_with("latin1.yaml"));
    assert_eq!(after, before, "nothing written");

    // A definition that is not a mapping is listed with its line (exit 1);
    // the rest is imported.
    fs::write(
        dir.path().join("odd.yaml"),
        "cat:\n  good:\n    type: boolean\n    description: Fine.\n    expires: never\n  odd: just text\nlone: 3\n",
    )
    .unwrap();
    let (code, out, err) = privet(dir.path(), &["import", "glean", "odd.yaml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("odd.yaml:6: metric `cat.odd` is a scalar, not a mapping: skipped"),
        "{out}"
    );
    assert!(
        out.contains("odd.yaml:7: category `lone` is a scalar"),
        "{out}"
    );
    assert!(
        dir.path()
            .join("proposals/glean/cat/cat_good.toml")
            .is_file()
    );

    // Proposals in the way: nothing written without --force, and --force
    // replaces only what an earlier import wrote.
    let good = dir.path().join("proposals/glean/cat/cat_good.toml");
    let edited = format!("{}# an edit\n", fs::read_to_string(&good).unwrap());
    fs::write(&good, &edited).unwrap();
    let (code, _, err) = privet(dir.path(), &["import", "glean", "odd.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("1 of the proposals exist already") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&good).unwrap(), edited);
    let (code, out, _) = privet(dir.path(), &["import", "glean", "odd.yaml", "--force"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("replaced 1 proposal(s) an earlier import wrote"),
        "{out}"
    );
    assert!(!fs::read_to_string(&good).unwrap().contains("# an edit"));
    fs::write(&good, "# mine\n").unwrap();
    let (code, _, err) = privet(dir.path(), &["import", "glean", "odd.yaml", "--force"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did not write are in the way"), "{err}");
    assert_eq!(fs::read_to_string(&good).unwrap(), "# mine\n");
}

#[test]
fn hostile_definitions_are_refused_or_contained() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _) = privet(dir.path(), &["init"]);
    assert_eq!(code, 0);
    let write = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap();
    // A key given twice: which one counts is not guessed.
    write(
        "twice.yaml",
        "ui:\n  search_term:\n    type: counter\n    expires: never\n    type: string\n",
    );
    let (code, _, err) = privet(dir.path(), &["import", "glean", "twice.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("twice.yaml:5:") && err.contains("`type` is given twice"),
        "{err}"
    );
    // Files swapped: the $schema says which is which.
    write(
        "pings.yaml",
        "$schema: moz://mozilla.org/schemas/glean/pings/2-0-0\ncustom:\n  description: x\n  include_client_id: true\n",
    );
    let (code, _, err) = privet(dir.path(), &["import", "glean", "pings.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("Glean's pings schema"), "{err}");
    write("list.yaml", "- a\n- b\n");
    let (code, _, err) = privet(dir.path(), &["import", "glean", "list.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("list.yaml:1:1: it is a list, not a mapping"),
        "{err}"
    );
    // Categories are never paths; a too-long name is reported with its
    // line; a ping with Glean's client id is noted on its metrics.
    let long = "x".repeat(70);
    write(
        "paths.yaml",
        &format!(
            "\"\":\n  probe: {{type: boolean, expires: never}}\n\"../../escape\":\n  m: {{type: boolean, expires: never, send_in_pings: [custom]}}\ncat:\n  {long}: {{type: boolean, expires: never}}\n"
        ),
    );
    let (code, out, err) = privet(dir.path(), &["import", "glean", "paths.yaml", "pings.yaml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(&format!(
            "paths.yaml:6: `cat.{long}` becomes the privet name"
        )),
        "{out}"
    );
    let written = walk(dir.path());
    assert!(
        written
            .iter()
            .all(|p| p.starts_with(dir.path().join("proposals"))
                || !p.to_string_lossy().contains("probe")),
        "{written:?}"
    );
    let escape = dir.path().join("proposals/glean/escape/escape_m.toml");
    let text = fs::read_to_string(&escape).unwrap();
    assert!(
        text.contains("Glean sends its client id in ping `custom`"),
        "{text}"
    );
    assert!(
        dir.path()
            .join("proposals/glean/metric/metric_probe.toml")
            .is_file()
    );
}

/// Real, public Glean files (tests/fixtures/real/glean/, MPL-2.0, sources in
/// tests/fixtures/real/SOURCES.md) import whole: one proposal per metric
/// (counts taken with an independent YAML reader when the files were
/// added), every written proposal loads, and text outside ASCII survives.
/// Firefox for Android's file crashed the importer (a byte offset inside a
/// curly quote).
#[test]
fn real_glean_files_import_whole_and_load() {
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real/glean");
    let cases = [
        ("fenix-metrics.yaml", 530),
        ("glean-core-metrics.yaml", 69),
        ("application-services-sync-manager-metrics.yaml", 49),
        ("mozphab-metrics.yaml", 15),
        ("fx-private-relay-metrics.yaml", 9),
    ];
    for (file, metrics) in cases {
        let path = real.join(file);
        assert!(path.is_file(), "missing fixture {}", path.display());
        let dir = tempfile::tempdir().unwrap();
        let (code, _, err) = privet(dir.path(), &["init"]);
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = privet(dir.path(), &["import", "glean", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{file}: {out}{err}");
        assert!(!err.contains("panicked"), "{file}: {err}");
        let written = walk(&dir.path().join("proposals/glean"));
        assert_eq!(written.len(), metrics, "{file}: {out}");
        let (code, out, err) = privet(
            dir.path(),
            &["check", "--history", "skip", "--format", "json"],
        );
        // Imported proposals still lack the checklist answers: findings, not a crash.
        assert_eq!(code, 1, "{file}: {err}");
        assert!(!err.contains("panicked"), "{file}: {err}");
        for line in out.lines() {
            let f: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(
                !matches!(
                    f["rule"].as_str(),
                    Some("toml-syntax" | "invalid-utf8" | "io-error")
                ),
                "{file}: the importer wrote a proposal that does not load: {line}"
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    privet(dir.path(), &["init"]);
    let fenix = real.join("fenix-metrics.yaml");
    privet(dir.path(), &["import", "glean", fenix.to_str().unwrap()]);
    let text = fs::read_to_string(
        dir.path()
            .join("proposals/glean/top_sites/top_sites_contile_reporting_url.toml"),
    )
    .unwrap();
    assert!(
        text.contains("(impression_url for “impression” event, click_url for “click” event)"),
        "{text}"
    );
}
