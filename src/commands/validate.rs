//! `privet validate FILE…`: payloads that arrived, against the registry.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::load;
use crate::report::{self, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format};
use crate::rules::Severity;

use super::input::{decode_utf8, read_input};

/// `privet validate`: payloads that arrived, checked against the registry
/// in `dir`. Exit codes as `scan`: 0 all valid, 1 problems, 2 unreadable
/// input or registry.
pub fn run_validate(
    dir: &Path,
    files: &[PathBuf],
    rarity_state: Option<&Path>,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let start = Instant::now();
    let registry = match load::load(dir) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_USAGE;
        }
    };
    let errors = registry
        .findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        let _ = writeln!(
            err,
            "note: the registry has {errors} error(s) (`privet check`); what cannot be read is checked as unknown"
        );
    }
    let mut sketch = match rarity_state.map(crate::rarity::Sketch::open).transpose() {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "error: --rarity-state: {e}");
            return EXIT_USAGE;
        }
    };
    let mut validator = crate::validate::Validator::new(&registry.proposals, &registry.config);
    if let Some(s) = &sketch {
        validator = validator.with_rarity_state(s);
    }
    let shipped: Vec<&str> = validator.shipped().collect();
    let mut unreadable = false;
    let mut total = crate::validate::Validation::default();
    let mut per_file = Vec::new();
    for path in files {
        let Some((shown, raw)) = read_input(path, err, &mut unreadable) else {
            continue;
        };
        let text = decode_utf8(&shown, raw, 0, "checked", err, &mut unreadable);
        let v = validator.validate_text(&text);
        if format == Format::Human {
            let _ = out
                .write_all(report::printable_text(&report::validate_lines(&shown, &v)).as_bytes());
        }
        total.merge(v.clone());
        per_file.push((shown, v));
    }
    match format {
        Format::Json => {
            let json = report::validate_json(&per_file, &total, &shipped).to_string();
            let _ = writeln!(out, "{}", crate::text::json_safe(&json));
        }
        _ => {
            let _ = out.write_all(
                report::printable_text(&report::validate_summary(&total, &shipped)).as_bytes(),
            );
        }
    }
    drop(validator);
    if let (Some(sketch), Some(path)) = (&mut sketch, rarity_state) {
        if let Some(observed) = &total.observed {
            sketch.add(observed);
        }
        if let Err(e) = sketch.save(path) {
            let _ = writeln!(
                err,
                "error: --rarity-state: cannot write {}: {e}",
                path.display()
            );
            return EXIT_USAGE;
        }
    }
    if let Some((installations, hidden)) = total.rarity {
        let _ = writeln!(
            err,
            "rarity: {installations} installations among the payloads with personal-data findings (their installation_id); a value at least {} installations sent is common, not identifying: {hidden} finding(s) not reported (passwords and providers' tokens always are)",
            crate::rarity::DEFAULT_K
        );
    }
    let problems = total.problems.len();
    let _ = writeln!(
        err,
        "privet validate: {problems} problem{} in {} of {} payload{} ({:.0} ms)",
        if problems == 1 { "" } else { "s" },
        total.payloads - total.valid,
        total.payloads,
        if total.payloads == 1 { "" } else { "s" },
        start.elapsed().as_secs_f64() * 1e3
    );
    if unreadable {
        EXIT_USAGE
    } else if problems > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
