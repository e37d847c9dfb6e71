//! `privet audit` (and `cargo xtask audit`): the CI gate.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use crate::report::{EXIT_USAGE, Format};

use crate::pipeline::{self, MetricsBuild, Options};

/// `cargo xtask audit`: audits the registry at `root` and prints the report.
pub fn run_audit(
    root: &Path,
    options: &Options,
    format: Format,
    build: Option<&dyn MetricsBuild>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let start = Instant::now();
    match pipeline::Run::new(root, options.clone()).audit(build) {
        Ok(a) => a.checked.print(Some(&a.summary), start, format, out, err),
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_USAGE
        }
    }
}
