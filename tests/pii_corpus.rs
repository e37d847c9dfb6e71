//! Precision and recall of `privet scan` on a labelled corpus of realistic
//! telemetry payloads with look-alikes (`tests/fixtures/pii/`), and the
//! leaks the shared example payloads really carry.

use std::collections::BTreeSet;
use std::path::Path;

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pii"))
}

type Label = (usize, String, String);

fn measure() -> (BTreeSet<Label>, BTreeSet<Label>) {
    let corpus = std::fs::read_to_string(fixtures().join("corpus.jsonl")).unwrap();
    let labels: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("labels.json")).unwrap())
            .unwrap();
    let mut expected = BTreeSet::new();
    for (i, line) in labels["labels"].as_array().unwrap().iter().enumerate() {
        for l in line.as_array().unwrap() {
            expected.insert((
                i + 1,
                l[0].as_str().unwrap().to_string(),
                l[1].as_str().unwrap().to_string(),
            ));
        }
    }
    let report = privet::scan::scan(&corpus, &Default::default(), None);
    assert!(report.errors.is_empty());
    let found: BTreeSet<Label> = report
        .findings
        .iter()
        .map(|f| (f.line, f.pointer.clone(), f.kind.as_str().to_string()))
        .collect();
    (expected, found)
}

#[test]
fn precision_and_recall_on_the_labelled_corpus() {
    let (expected, found) = measure();
    let tp = expected.intersection(&found).count();
    let false_positives: Vec<_> = found.difference(&expected).collect();
    let false_negatives: Vec<_> = expected.difference(&found).collect();
    let precision = tp as f64 / found.len().max(1) as f64;
    let recall = tp as f64 / expected.len().max(1) as f64;
    println!(
        "labelled corpus: {} leaks, {} findings, {tp} true positives: precision {precision:.3}, recall {recall:.3}",
        expected.len(),
        found.len()
    );
    assert!(
        precision >= 0.97,
        "precision {precision:.3}; false positives: {false_positives:#?}"
    );
    assert!(
        recall >= 0.97,
        "recall {recall:.3}; missed: {false_negatives:#?}"
    );
}

#[test]
fn the_shared_examples_report_the_leaks_they_carry_and_nothing_else() {
    // Payloads shaped like what the seed systems send, copied into the
    // repository so that this test always runs.
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/examples"
    ));
    let expected: &[(&str, &[(&str, &str)])] = &[
        ("openwisp.metric_collection.json", &[]),
        ("pulp.analytics.json", &[("/systemId", "persistent-id")]),
        (
            "mongooseim.system_metrics.ga4.json",
            &[
                ("/client_id", "persistent-id"),
                ("/events/8/params/uptime", "timestamp"),
            ],
        ),
        (
            "openedx.survey_report.json",
            &[("/id", "persistent-id"), ("/created_at", "timestamp")],
        ),
        (
            "home-assistant.analytics.json",
            &[("/uuid", "persistent-id")],
        ),
        (
            "fuel-stats.installation_structure.json",
            &[
                ("/installation_structure/master_node_uid", "persistent-id"),
                (
                    "/installation_structure/clusters/0/attributes/fsid",
                    "persistent-id",
                ),
                (
                    "/installation_structure/clusters/0/attributes/mon_key",
                    "secret",
                ),
                (
                    "/installation_structure/clusters/0/attributes/admin_key",
                    "secret",
                ),
                (
                    "/installation_structure/clusters/0/attributes/repos/0/uri",
                    "hostname",
                ),
                (
                    "/installation_structure/clusters/0/attributes/security_networks",
                    "ipv4",
                ),
            ],
        ),
    ];
    for (file, leaks) in expected {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let report = privet::scan::scan(&text, &Default::default(), None);
        let got: Vec<(String, &str)> = report
            .findings
            .iter()
            .map(|f| (f.pointer.clone(), f.kind.as_str()))
            .collect();
        let want: Vec<(String, &str)> = leaks.iter().map(|(p, k)| (p.to_string(), *k)).collect();
        assert_eq!(got, want, "{file}");
    }
}

/// The held-out corpus (`tests/fixtures/pii/heldout.json`): payloads shaped
/// like eight other telemetry systems', labelled by hand before privet
/// scanned them. The measured precision, recall, misses and false alarms are
/// a snapshot: a detector change shows up as a reviewed diff here, and the
/// corpus must not be edited to fit the detectors. First measured at
/// precision 0.859, recall 0.663 (commit "Held-out PII corpus"); the
/// detector fixes that followed were informed by its misses, so the figures
/// since then are no longer held-out ones.
#[test]
fn held_out_corpus_results() {
    let report = corpus_report("heldout.json", false);
    println!("{report}");
    insta::assert_snapshot!("held_out_corpus", report);
}

/// The second held-out corpus (`tests/fixtures/pii/heldout2.json`): 118
/// payloads shaped like ten more kinds of systems (chat, forums, CMS update
/// checks, error trackers, notebooks, container engines, automation,
/// fediverse, monitoring), full of the look-alikes and misses found when
/// the gate was tried (special-use domains, dotted MACs, bare machine
/// names, epoch strings, times in text, national phone formats, coordinate
/// pairs; module paths, public service hosts, digests, redaction
/// placeholders), labelled by a helper session that never saw the
/// detectors, before any scan. First measured (before any detector change
/// for it): precision 0.576, recall 0.757 over 371 labelled leaks; by
/// payload, precision 0.670, recall 1.000. Per-kind figures are in the
/// snapshot.
#[test]
fn second_held_out_corpus_results() {
    let report = corpus_report("heldout2.json", true);
    println!("{report}");
    insta::assert_snapshot!("held_out_corpus_2", report);
}

/// Precision and recall of `privet scan` over a labelled corpus file, with
/// every miss and false alarm (and, with `per_kind`, figures per kind).
fn corpus_report(file: &str, per_kind: bool) -> String {
    let text = std::fs::read_to_string(fixtures().join(file)).unwrap();
    let corpus: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut expected = BTreeSet::new();
    let mut found = BTreeSet::new();
    let entries = corpus["entries"].as_array().unwrap();
    for (i, entry) in entries.iter().enumerate() {
        let system = entry["system"].as_str().unwrap();
        let tag = format!("{:02} {system}", i + 1);
        for l in entry["leaks"].as_array().unwrap() {
            expected.insert((
                tag.clone(),
                l[0].as_str().unwrap().to_string(),
                l[1].as_str().unwrap().to_string(),
            ));
        }
        let line = serde_json::to_string(&entry["payload"]).unwrap();
        for f in privet::pii::scan_json(&line).unwrap() {
            let pointer = in_payload(&entry["payload"], &f.pointer);
            found.insert((tag.clone(), pointer, f.kind.as_str().to_string()));
        }
    }
    let tp = expected.intersection(&found).count();
    let precision = tp as f64 / found.len().max(1) as f64;
    let recall = tp as f64 / expected.len().max(1) as f64;
    let mut report = format!(
        "{} payloads, {} labelled leaks, {} findings, {tp} true positives\nprecision {precision:.3}, recall {recall:.3}\n",
        entries.len(),
        expected.len(),
        found.len()
    );
    if per_kind {
        report.push_str("\nper kind (labelled, found, true positives, precision, recall):\n");
        for kind in privet::pii::Kind::ALL {
            let k = kind.as_str();
            let e: BTreeSet<_> = expected.iter().filter(|x| x.2 == k).collect();
            let f: BTreeSet<_> = found.iter().filter(|x| x.2 == k).collect();
            let t = e.intersection(&f).count();
            report.push_str(&format!(
                "  {k:<16} {:>4} {:>4} {t:>4}  {:.2}  {:.2}\n",
                e.len(),
                f.len(),
                t as f64 / f.len().max(1) as f64,
                t as f64 / e.len().max(1) as f64
            ));
        }
        let leaky: BTreeSet<&String> = expected.iter().map(|x| &x.0).collect();
        let flagged: BTreeSet<&String> = found.iter().map(|x| &x.0).collect();
        let both = leaky.intersection(&flagged).count();
        report.push_str(&format!(
            "by payload: precision {:.3}, recall {:.3}\n",
            both as f64 / flagged.len().max(1) as f64,
            both as f64 / leaky.len().max(1) as f64
        ));
    }
    report.push_str("\nmissed:\n");
    for (tag, pointer, kind) in expected.difference(&found) {
        report.push_str(&format!("  {tag} {pointer} {kind}\n"));
    }
    report.push_str("\nfalse alarms:\n");
    for (tag, pointer, kind) in found.difference(&expected) {
        report.push_str(&format!("  {tag} {pointer} {kind}\n"));
    }
    report
}

/// The pointer of the payload's value a finding at `pointer` is in: itself,
/// or, for a finding inside a string that holds a JSON document, that
/// string (labels name the payload's own values).
fn in_payload(payload: &serde_json::Value, pointer: &str) -> String {
    let mut at = payload;
    let mut prefix = String::new();
    for segment in pointer.split('/').skip(1) {
        if at.is_string() {
            break;
        }
        let key = segment.replace("~1", "/").replace("~0", "~");
        let next = match at {
            serde_json::Value::Object(m) => m.get(&key),
            serde_json::Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        let Some(next) = next else {
            return pointer.to_string();
        };
        at = next;
        prefix.push('/');
        prefix.push_str(segment);
    }
    prefix
}

/// Whether the finding that ends at `end` of `line` lies in an object key:
/// the string it is in closes with `"` and is followed by `:`.
fn in_key(line: &str, end: usize) -> bool {
    let b = line.as_bytes();
    let mut i = end;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => break,
            _ => i += 1,
        }
    }
    let rest = line.get(i + 1..).unwrap_or("");
    i < b.len() && rest.trim_start().starts_with(':')
}

/// The held-out corpus of personal data in object keys
/// (`tests/fixtures/pii/keys-heldout/`): 150 payloads, 75 with maps keyed
/// by addresses, hosts, ids, times or paths (181 labelled keys) and 75
/// honest ones whose keys only look alike (module paths, reverse-DNS and
/// Kubernetes label keys, public hosts, OIDs, versions, listen addresses),
/// written by a helper session that never saw the scanner, after keys
/// became scanned. Key findings are scored against the labels by line and
/// pointer; any finding in an honest payload is a false alarm.
#[test]
fn keys_held_out_corpus_results() {
    let out = keys_corpus_report("keys-heldout");
    println!("{out}");
    insta::assert_snapshot!("keys_held_out_corpus", out);
}

/// A second held-out corpus of personal data in keys
/// (`tests/fixtures/pii/keys-heldout2/`): 120 payloads from some sixty
/// other systems (60 leaking, 133 labelled keys; 60 honest), written by a
/// fresh helper session after the key rules were tuned on the first one,
/// without reading the scanner: a measure of how those rules generalize.
#[test]
fn second_keys_held_out_corpus_results() {
    let out = keys_corpus_report("keys-heldout2");
    println!("{out}");
    insta::assert_snapshot!("keys_held_out_corpus_2", out);
}

/// Key findings of `privet scan` over a labelled keys corpus, scored by
/// line and pointer, with every miss and false alarm.
fn keys_corpus_report(name: &str) -> String {
    let dir = fixtures().join(name);
    let text = std::fs::read_to_string(dir.join("payloads.jsonl")).unwrap();
    let labels: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("labels.json")).unwrap()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let expected: BTreeSet<(usize, String, String)> = labels
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["line"].as_u64().unwrap() as usize,
                l["pointer"].as_str().unwrap().to_string(),
                l["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let leaking: BTreeSet<usize> = expected.iter().map(|(l, _, _)| *l).collect();
    let report = privet::scan::scan(&text, &Default::default(), None);
    let mut keys_found = BTreeSet::new();
    let mut honest_alarms = Vec::new();
    for f in &report.findings {
        let line = lines[f.line - 1];
        if !leaking.contains(&f.line) {
            honest_alarms.push(format!("  {} {} {}", f.line, f.pointer, f.kind.as_str()));
        }
        if in_key(line, f.end) {
            keys_found.insert((f.line, f.pointer.clone(), f.kind.as_str().to_string()));
        }
    }
    let at = |s: &BTreeSet<(usize, String, String)>| -> BTreeSet<(usize, String)> {
        s.iter().map(|(l, p, _)| (*l, p.clone())).collect()
    };
    let (want, got) = (at(&expected), at(&keys_found));
    let hits = want.intersection(&got).count();
    let kind_hits = expected.intersection(&keys_found).count();
    let flagged: BTreeSet<usize> = report.findings.iter().map(|f| f.line).collect();
    let honest = lines.len() - leaking.len();
    let honest_flagged = flagged.iter().filter(|l| !leaking.contains(l)).count();
    let mut out = format!(
        "{} payloads ({} leaking, {honest} honest), {} labelled keys\n\
         keys: {} found, {hits} labelled ones (precision {:.3}, recall {:.3}); right kind: {kind_hits}\n\
         payloads: {} of {} leaking flagged, {honest_flagged} of {honest} honest flagged\n",
        lines.len(),
        leaking.len(),
        want.len(),
        got.len(),
        hits as f64 / got.len().max(1) as f64,
        hits as f64 / want.len().max(1) as f64,
        leaking.iter().filter(|l| flagged.contains(l)).count(),
        leaking.len(),
    );
    out.push_str("missed keys:\n");
    for (l, p, k) in &expected {
        if !got.contains(&(*l, p.clone())) {
            out.push_str(&format!("  {l} {p} {k}\n"));
        }
    }
    out.push_str("keys found that are not labelled:\n");
    for (l, p, k) in &keys_found {
        if !want.contains(&(*l, p.clone())) {
            out.push_str(&format!("  {l} {p} {k}\n"));
        }
    }
    out.push_str("findings in honest payloads:\n");
    out.push_str(&honest_alarms.join("\n"));
    out.push('\n');
    out
}
