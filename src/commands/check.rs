//! `privet check`: the registry's findings, without history-dependent gates.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use crate::diagnostic::{self};
use crate::report::{EXIT_USAGE, Format};

use super::is_config;
use crate::pipeline::{self, Options};

/// `privet check`: checks the registry at `dir` and prints the report.
pub fn run_check(
    dir: &Path,
    options: &Options,
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
    match pipeline::check(dir, options) {
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
            c.print(None, start, format, out, err)
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_USAGE
        }
    }
}
