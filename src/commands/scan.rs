//! `privet scan FILE…`: PII findings in payloads as collectors receive them.

use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::files::display;
use crate::load;
use crate::report::{self, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format};
use crate::scan;

use super::input::{SCAN_BLOCK_BYTES, decode_utf8, open_input, read_lines};

/// `privet scan`: scans each file (`-` is standard input) for personal
/// data and prints the findings; returns the exit code (0 nothing found,
/// 1 findings, 2 unreadable input or invalid JSON).
pub fn run_scan(
    files: &[PathBuf],
    registry: Option<&Path>,
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
            found += scanned.findings.len();
            if format == Format::Sarif {
                sarif_results.extend(
                    scanned
                        .findings
                        .iter()
                        .map(|f| report::scan_sarif_result(&shown, f).to_string()),
                );
            } else {
                let _ = out.write_all(
                    report::scan_lines(&shown, &text, first_line, &scanned.findings, format)
                        .as_bytes(),
                );
            }
            first_line += newlines;
        }
    }
    if format == Format::Sarif {
        let _ = writeln!(out, "{}", report::scan_sarif_text(&sarif_results));
    }
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
