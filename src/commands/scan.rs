//! `privet scan FILE…`: PII findings in payloads as collectors receive them.

use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::files::display;
use crate::load;
use crate::report::{self, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format};
use crate::scan;

use super::input::{SCAN_BLOCK_BYTES, decode_utf8, open_input, read_lines};

/// How `privet scan` judges rarity (see [`crate::rarity`]).
#[derive(Clone, Debug)]
pub struct RarityOptions {
    /// Where a payload names its installation; `None`: every payload is an
    /// installation of its own.
    pub pointer: Option<String>,
    /// A value sent by at least this many installations is common.
    pub k: usize,
}

impl Default for RarityOptions {
    fn default() -> Self {
        RarityOptions {
            pointer: Some(crate::rarity::DEFAULT_POINTER.into()),
            k: crate::rarity::DEFAULT_K,
        }
    }
}

/// The findings of one block of input, held until every block is read
/// (whether a value is common is known only then).
struct Block {
    shown: String,
    /// The block's text, for the human format's quotes.
    text: String,
    first_line: usize,
    findings: Vec<crate::scan::ScanFinding>,
    /// Per finding: its value's key, and whether rarity may hide it.
    keys: Vec<(u64, bool)>,
}

/// `privet scan`: scans each file (`-` is standard input) for personal
/// data and prints the findings; returns the exit code (0 nothing found,
/// 1 findings, 2 unreadable input or invalid JSON).
pub fn run_scan(
    files: &[PathBuf],
    registry: Option<&Path>,
    rarity: &RarityOptions,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let start = Instant::now();
    let mut settings = crate::pii::Settings::default();
    if let Some(dir) = registry {
        if !dir.is_dir() {
            let _ = writeln!(
                err,
                "error: --registry {}: not a directory (pass the registry root, which holds privet.toml)",
                display(dir)
            );
            return EXIT_USAGE;
        }
        // Only the public hosts matter here; the configuration's other
        // problems are `privet check`'s business.
        let config = load::load_config(dir, &mut Default::default(), &mut Vec::new());
        settings = config.pii;
    }
    let (mut found, mut invalid, mut unreadable, mut payloads, mut bytes) =
        (0usize, 0usize, false, 0usize, 0usize);
    let mut sarif_results: Vec<String> = Vec::new();
    let mut counter = crate::rarity::Counter::new(rarity.k);
    let mut blocks: Vec<Block> = Vec::new();
    let (mut without_id, mut documents) = (0usize, false);
    for path in files {
        let Some((shown, mut input)) = open_input(path, err, &mut unreadable) else {
            continue;
        };
        // JSON Lines are read and scanned a block of whole lines at a time,
        // so memory is bounded by the block (or the longest line), not by
        // the file. Documents that span lines are read whole.
        let mut first_line = 0usize;
        let mut first = true;
        loop {
            let raw = match read_lines(&mut input, SCAN_BLOCK_BYTES) {
                Ok(raw) => raw,
                Err(e) => {
                    let _ = writeln!(err, "error: cannot read {shown}: {e}");
                    unreadable = true;
                    break;
                }
            };
            if raw.is_empty() {
                break;
            }
            bytes += raw.len();
            let newlines = raw.iter().filter(|&&b| b == b'\n').count();
            let mut text = decode_utf8(&shown, raw, first_line, "scanned", err, &mut unreadable);
            if first && text.starts_with('\u{feff}') {
                // A byte-order mark (Windows tools write one) is not JSON, but
                // the JSON spec lets a reader ignore it; a space keeps every
                // character column where it was.
                text.replace_range(..'\u{feff}'.len_utf8(), " ");
            }
            let mut scanned = scan::scan(&text, &settings);
            if first && scanned.documents {
                // Pretty-printed documents: the rest of the file belongs
                // with this block.
                let mut rest = Vec::new();
                if let Err(e) = input.read_to_end(&mut rest) {
                    let _ = writeln!(err, "error: cannot read {shown}: {e}");
                    unreadable = true;
                }
                if !rest.is_empty() {
                    bytes += rest.len();
                    let rest = decode_utf8(
                        &shown,
                        rest,
                        first_line + newlines,
                        "scanned",
                        err,
                        &mut unreadable,
                    );
                    text.push_str(&rest);
                    scanned = scan::scan(&text, &settings);
                }
            }
            first = false;
            for f in &mut scanned.findings {
                f.line += first_line;
            }
            payloads += scanned.payloads;
            for e in &scanned.errors {
                let _ = writeln!(
                    err,
                    "error: {shown}:{}:{}: invalid JSON: {}",
                    e.line + first_line,
                    e.column,
                    e.message
                );
            }
            invalid += scanned.errors.len();
            documents |= scanned.documents;
            let keys = rarity_keys(
                &shown,
                &text,
                &mut scanned.findings,
                first_line,
                rarity,
                scanned.documents,
                &mut counter,
                &mut without_id,
            );
            blocks.push(Block {
                shown: shown.clone(),
                text: if format == Format::Human {
                    text
                } else {
                    String::new()
                },
                first_line,
                findings: scanned.findings,
                keys,
            });
            first_line += newlines;
        }
    }
    // Every value's installations are known: print what is rare.
    let mut hidden = 0usize;
    let mut hidden_values = std::collections::HashSet::new();
    for block in blocks {
        let mut kept = Vec::with_capacity(block.findings.len());
        for (f, (key, may_hide)) in block.findings.into_iter().zip(block.keys) {
            if may_hide && counter.common(key) {
                hidden += 1;
                hidden_values.insert(key);
            } else {
                kept.push(f);
            }
        }
        found += kept.len();
        if format == Format::Sarif {
            sarif_results.extend(
                kept.iter()
                    .map(|f| report::scan_sarif_result(&block.shown, f).to_string()),
            );
        } else {
            let _ = out.write_all(
                report::scan_lines(&block.shown, &block.text, block.first_line, &kept, format)
                    .as_bytes(),
            );
        }
    }
    if format == Format::Sarif {
        let _ = writeln!(out, "{}", report::scan_sarif_text(&sarif_results));
    }
    let _ = writeln!(
        err,
        "{}",
        rarity_note(
            rarity,
            &counter,
            (hidden, hidden_values.len()),
            without_id,
            documents
        )
    );
    let secs = start.elapsed().as_secs_f64();
    let _ = writeln!(
        err,
        "privet scan: {found} finding{} in {payloads} payload{} ({:.1} MB in {:.0} ms)",
        if found == 1 { "" } else { "s" },
        if payloads == 1 { "" } else { "s" },
        bytes as f64 / 1e6,
        secs * 1e3
    );
    if unreadable || invalid > 0 {
        EXIT_USAGE
    } else if found > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Per finding of a block: the key of its value, and whether rarity may
/// hide it (not a credential recognised by what it is); records each in
/// `counter` under its payload's installation. A finding at the
/// installation pointer itself is dropped: that id is what the envelope is
/// for. Documents spanning lines are not judged by rarity (a finding's
/// document is not known here).
#[allow(clippy::too_many_arguments)]
fn rarity_keys(
    shown: &str,
    text: &str,
    findings: &mut Vec<crate::scan::ScanFinding>,
    first_line: usize,
    rarity: &RarityOptions,
    documents: bool,
    counter: &mut crate::rarity::Counter,
    without_id: &mut usize,
) -> Vec<(u64, bool)> {
    use crate::rarity::installation_key;
    if let Some(pointer) = &rarity.pointer {
        findings.retain(|f| &f.pointer != pointer);
    }
    if findings.is_empty() {
        return Vec::new();
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let mut installation_of_line: Option<(usize, Option<u64>)> = None;
    findings
        .iter()
        .map(|f| {
            let line = lines
                .get(f.line.saturating_sub(first_line + 1))
                .copied()
                .unwrap_or("");
            let crate::rarity::Flagged { value, credential } =
                crate::rarity::flagged(f.kind, &f.pointer, line.get(f.start..f.end).unwrap_or(""));
            if documents {
                return (value, false);
            }
            let installation = match installation_of_line {
                Some((n, i)) if n == f.line => i,
                _ => {
                    let i = match &rarity.pointer {
                        // Asked for: every payload is an installation.
                        None => Some(installation_key(&format!(
                            "\u{0}payload {shown}:{}",
                            f.line
                        ))),
                        Some(p) => installation_id(line, p).map(|id| installation_key(&id)),
                    };
                    if i.is_none() {
                        *without_id += 1;
                    }
                    installation_of_line = Some((f.line, i));
                    i
                }
            };
            // A payload that names no installation is no evidence of how
            // many installations send a value (one may have sent them all):
            // it counts toward nothing, and its values are left out only
            // when named installations make them common.
            if let Some(installation) = installation {
                counter.see(value, installation);
            }
            (value, !credential)
        })
        .collect()
}

/// The installation a JSON Lines payload names at `pointer`: a string or a
/// number there.
fn installation_id(line: &str, pointer: &str) -> Option<String> {
    let payload: serde_json::Value = serde_json::from_str(line).ok()?;
    match payload.pointer(pointer)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What the report says about rarity: installations seen, k, and what was
/// not reported as identifying.
fn rarity_note(
    rarity: &RarityOptions,
    counter: &crate::rarity::Counter,
    (hidden, values): (usize, usize),
    without_id: usize,
    documents: bool,
) -> String {
    let k = counter.k();
    if documents {
        return format!(
            "rarity: not judged (JSON documents spanning lines: each finding is reported; JSON Lines are judged across installations, k = {k})"
        );
    }
    let source = match &rarity.pointer {
        Some(p) if without_id == 0 => format!("named at {p}"),
        Some(p) => format!(
            "named at {p}; {without_id} payload(s) with findings name none, and count toward no value's commonness (--installation none counts each payload as an installation)"
        ),
        None => "each payload its own (--installation none)".into(),
    };
    format!(
        "rarity: {} installations among the payloads with findings ({source}); a value at least {k} installations sent is common, not identifying: {hidden} finding(s) of {} such value(s) not reported (credentials always are)",
        counter.installations(),
        values
    )
}
