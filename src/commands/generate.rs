//! `privet generate` (and `cargo xtask codegen`): the generated files.

use std::path::Path;

use crate::files::display;
use crate::generate;
use crate::load;
use crate::report::EXIT_FINDINGS;
use crate::rules::Severity;

use super::{CommandError, refuse_over_config};

/// Overrides of `[generate]` from the command line.
#[derive(Clone, Debug, Default)]
pub struct GenerateOverrides {
    pub schemas: Option<String>,
    pub crate_dir: Option<String>,
    pub crate_name: Option<String>,
    pub python: Option<String>,
}

/// `privet generate` (and `cargo xtask codegen`, whose `fix` command it
/// names): writes (or with `check`, compares) everything the registry at
/// `dir` generates. Returns the report; stale files under `check` are an
/// error with exit code 1.
pub fn generate_files(
    dir: &Path,
    overrides: &GenerateOverrides,
    check: bool,
    fix: &str,
) -> Result<String, CommandError> {
    let mut registry = load::load(dir)?;
    let g = &mut registry.config.generate;
    if let Some(s) = &overrides.schemas {
        g.schemas = s.clone();
    }
    if let Some(c) = &overrides.crate_dir {
        g.crate_dir = Some(c.clone());
    }
    if let Some(n) = &overrides.crate_name {
        g.crate_name = n.clone();
    }
    if let Some(p) = &overrides.python {
        g.python = Some(p.clone());
    }
    let errors = registry
        .findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    // A configuration privet cannot read (not TOML, not UTF-8, not a
    // readable file) says where everything goes: what would be generated
    // from the defaults in its place is not what the project asked for.
    refuse_over_config(
        &registry.findings,
        &registry.sources,
        |d| d.rule.family == "input",
        "nothing generated; fix them, then generate again",
    )?;
    let outputs = generate::outputs(&registry, crate::catalog::ALL);
    let root = registry.root.clone();
    let mut out = String::new();
    if errors > 0 {
        out.push_str(&format!(
            "note: {errors} proposal file(s) or the configuration have errors (`privet check`); what cannot be read is not generated\n"
        ));
    }
    if check {
        let stale = generate::stale(&root, &outputs);
        let blocked: Vec<String> = stale
            .iter()
            .filter_map(|s| {
                let why = generate::blocked(&root, s)?;
                Some(format!("{}: {why}", display(&root.join(s.path()))))
            })
            .collect();
        if !blocked.is_empty() {
            return Err(CommandError::usage(format!(
                "cannot generate {}",
                blocked.join("; ")
            )));
        }
        if stale.is_empty() {
            out.push_str(&format!(
                "privet generate --check: {} files up to date\n",
                outputs.files.len()
            ));
            return Ok(out);
        }
        let mut preface = out;
        // A terminal gets the first ones; the count says how many in all.
        const LISTED: usize = 200;
        for s in stale.iter().take(LISTED) {
            preface.push_str(&format!(
                "stale: {} ({})\n",
                display(&root.join(s.path())),
                s.what()
            ));
        }
        if stale.len() > LISTED {
            preface.push_str(&format!("stale: … and {} more\n", stale.len() - LISTED));
        }
        return Err(CommandError {
            code: EXIT_FINDINGS,
            preface,
            message: format!("{} generated file(s) are stale", stale.len()),
            help: vec![format!("run `{fix}` and commit the result")],
        });
    }
    let changes = generate::write(&root, &outputs)
        .map_err(|e| CommandError::usage(format!("cannot write the generated files: {e}")))?;
    for c in &changes {
        match c {
            generate::Stale::Outdated(p) => {
                out.push_str(&format!("wrote {}\n", display(&root.join(p))))
            }
            generate::Stale::Leftover(p) => {
                out.push_str(&format!("removed {}\n", display(&root.join(p))))
            }
        }
    }
    out.push_str(&format!(
        "privet generate: {} files, {} changed\n",
        outputs.files.len(),
        changes.len()
    ));
    Ok(out)
}
