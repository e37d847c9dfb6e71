//! `privet check`: the registry's findings, without history-dependent gates.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use crate::check::{lifecycle, provenance};
use crate::config::Approvals;
use crate::diagnostic;
use crate::report::{EXIT_USAGE, Format};
use crate::rules::Rule;

use super::is_config;
use crate::pipeline::{self, Options};

/// Rules a pre-commit hook does not judge: they depend on commits that do
/// not exist yet (the approval being committed, the reviewer's identity,
/// the definition the approval covered) or on approvals still to come. A
/// signed approval's signature is judged all the same.
const JUDGED_AFTER_COMMIT: &[&Rule] = &[
    &provenance::UNCOMMITTED,
    &provenance::APPROVAL_STALE,
    &provenance::SELF_APPROVAL,
    &provenance::APPROVAL_FORGED,
    &lifecycle::APPROVAL_QUORUM,
];

/// `privet check`: checks the registry at `dir` and prints the report.
/// `before_commit` (the pre-commit hook) leaves out what the audit judges
/// from commits ([`JUDGED_AFTER_COMMIT`]), and says how much it left out.
pub fn run_check(
    dir: &Path,
    options: &Options,
    before_commit: bool,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let start = Instant::now();
    // One proposal file: its registry is checked from the file's directory
    // (the configuration found upwards), and its findings reported, with
    // those of privet.toml, which it depends on.
    let file = dir.is_file().then(|| dir.canonicalize().ok()).flatten();
    let dir = match &file {
        Some(_) => dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
        None => dir,
    };
    match pipeline::Run::new(dir, options.clone()).check() {
        Ok(mut c) => {
            if let Some(file) = &file {
                let sources = &c.registry.sources;
                c.findings.retain(|d| match &d.file {
                    diagnostic::FileRef::Source(id) => {
                        let path = &sources.get(*id).path;
                        is_config(path)
                            || Path::new(path).canonicalize().ok().as_ref() == Some(file)
                    }
                    diagnostic::FileRef::Path(_) => false,
                });
            }
            let before = c.findings.len();
            if before_commit {
                // A signature is judged from the file alone, before a commit as after.
                let signed = c.registry.config.approvals == Approvals::Signed;
                c.findings.retain(|d| {
                    !JUDGED_AFTER_COMMIT.iter().any(|r| r.id == d.rule.id)
                        || signed && d.rule.id == provenance::APPROVAL_FORGED.id
                });
            }
            let code = c.print(None, start, format, out, err);
            let left_out = before - c.findings.len();
            if left_out > 0 {
                let _ = writeln!(
                    err,
                    "note: {left_out} approval finding(s) not judged before the commit (`privet audit` judges approvals from what is committed)"
                );
            }
            code
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_USAGE
        }
    }
}
