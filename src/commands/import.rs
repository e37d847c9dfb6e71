//! `privet import glean FILE…`: proposals from Glean `metrics.yaml` files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::files::display;
use crate::load;
use crate::report::{EXIT_FINDINGS, EXIT_OK};

use super::CommandError;

/// What `privet import glean` is asked to do.
pub struct GleanImport<'a> {
    /// The registry root.
    pub dir: &'a Path,
    pub metrics: &'a Path,
    pub pings: Option<&'a Path>,
    /// Where the proposals go (default: `glean/` in the proposals directory).
    pub out: Option<&'a Path>,
    /// Overwrite proposals an earlier import wrote.
    pub force: bool,
}

/// `privet import glean`: writes a proposal per Glean metric, then reads
/// them back with the loader and prints a summary. Exit codes: 0 done, 1
/// done but some definitions could not be imported (listed with their
/// line), 2 nothing written (unreadable input, or proposals in the way).
pub fn run_import_glean(args: &GleanImport, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match import_glean(args) {
        Ok((text, code)) => {
            let _ = out.write_all(crate::report::printable_text(&text).as_bytes());
            code
        }
        Err(e) => {
            let _ = writeln!(err, "{}", crate::report::printable_text(&e.to_string()));
            e.code
        }
    }
}

fn import_glean(args: &GleanImport) -> Result<(String, i32), CommandError> {
    let start = Instant::now();
    if !args.dir.is_dir() {
        return Err(CommandError::usage(format!(
            "`{}` is not a directory: pass the registry root (--dir)",
            display(args.dir)
        )));
    }
    let import = crate::import::glean(args.metrics, args.pings).map_err(|e| {
        let place = if e.line > 0 {
            format!("{}:{}:{}", display(&e.path), e.line, e.column)
        } else {
            display(&e.path)
        };
        CommandError::usage(format!("{place}: {}", e.message))
            .help("privet import glean reads Glean's metrics.yaml (and pings.yaml) as YAML")
    })?;
    let config = load::load_config(args.dir, &mut Default::default(), &mut Vec::new());
    let proposals_dir = args.dir.join(&config.proposals);
    let out_dir = args
        .out
        .map_or_else(|| proposals_dir.join("glean"), Path::to_path_buf);
    // Nothing is written while anything is in the way: --force replaces
    // only what an earlier import wrote.
    let targets: Vec<PathBuf> = import
        .proposals
        .iter()
        .map(|p| out_dir.join(&p.path))
        .collect();
    let existing: Vec<&PathBuf> = targets.iter().filter(|t| t.exists()).collect();
    let foreign: Vec<&&PathBuf> = existing.iter().filter(|t| !written_by_import(t)).collect();
    if !foreign.is_empty() {
        return Err(CommandError::usage(format!(
            "{} proposal(s) that `privet import` did not write are in the way ({}): nothing written",
            foreign.len(),
            first_few(foreign.iter().map(|p| display(p)))
        ))
        .help("move them, or import with --out into another directory"));
    }
    if !existing.is_empty() && !args.force {
        return Err(CommandError::usage(format!(
            "{} of the proposals exist already ({}): nothing written",
            existing.len(),
            first_few(existing.iter().map(|p| display(p)))
        ))
        .help("pass --force to replace what an earlier import wrote (edits made to those files since are lost), or --out for another directory"));
    }
    let replaced = existing.len();
    let elsewhere = registry_names_outside(&proposals_dir, &out_dir);
    let clash: Vec<&str> = import
        .proposals
        .iter()
        .filter(|p| elsewhere.contains(&p.name))
        .map(|p| p.name.as_str())
        .collect();
    if !clash.is_empty() {
        return Err(CommandError::usage(format!(
            "the registry already has metrics named {}: nothing written",
            clash
                .iter()
                .take(5)
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .help(
            "a metric is its file name; import into a registry without them, or rename them first",
        ));
    }
    // The proposals land in the registry, not wherever a link leads.
    if let Some(t) = targets
        .iter()
        .find(|t| !crate::files::stays_inside(args.dir, t))
    {
        return Err(CommandError::usage(format!(
            "refusing to write {}: through a symlink it leads outside the registry; nothing written",
            display(t)
        ))
        .help("replace the link with a directory, or import with --out into one"));
    }
    crate::files::write_all(
        import
            .proposals
            .iter()
            .zip(&targets)
            .map(|(p, t)| (t.as_path(), p.text.as_bytes())),
    )
    .map_err(|e| {
        CommandError::usage(if e.written == 0 {
            format!(
                "cannot write {}: {}; nothing written",
                display(&e.path),
                e.error
            )
        } else {
            format!(
                "cannot write {}: {}; {} of {} proposals were written before it",
                display(&e.path),
                e.error,
                e.written,
                e.total
            )
        })
    })?;
    // Read back what was written, as `privet check` will.
    let registry = load::load(args.dir).map_err(|e| CommandError::usage(e.to_string()))?;
    let written: std::collections::HashSet<&str> =
        import.proposals.iter().map(|p| p.name.as_str()).collect();
    let loaded = registry
        .proposals
        .iter()
        .filter(|p| written.contains(p.name.as_str()))
        .count();
    let missing_events: Vec<String> = import
        .events
        .iter()
        .filter(|e| !registry.config.events.contains(e))
        .cloned()
        .collect();
    let pings_file = args.pings.map(display);
    let summary = crate::import::Summary {
        import: &import,
        metrics_file: &display(args.metrics),
        pings_file: pings_file.as_deref(),
        out_dir: &display(&out_dir),
        loaded,
        missing_events,
        seconds: start.elapsed().as_secs_f64(),
    };
    let mut text = summary.text();
    if replaced > 0 {
        text.push_str(&format!(
            "replaced {replaced} proposal(s) an earlier import wrote (--force)\n"
        ));
    }
    let outside = !out_dir.starts_with(&proposals_dir);
    if outside {
        text.push_str(&format!(
            "{} is outside the proposals directory ({}): `privet check` does not read it; move the proposals there\n",
            display(&out_dir),
            display(&proposals_dir)
        ));
    }
    let unloaded: Vec<String> = import
        .proposals
        .iter()
        .filter(|p| !registry.proposals.iter().any(|r| r.name == p.name))
        .map(|p| display(&out_dir.join(&p.path)))
        .collect();
    if !unloaded.is_empty() && !outside {
        text.push_str(&format!(
            "{} written proposal(s) do not load ({}): `privet check` says why\n",
            unloaded.len(),
            first_few(unloaded.iter().cloned())
        ));
    }
    let code = if import.problems.is_empty()
        && import.ping_problems.is_empty()
        && unloaded.is_empty()
        && !outside
    {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    };
    Ok((text, code))
}

/// The first three of `items`, joined, with `…` when there are more.
fn first_few(items: impl Iterator<Item = String>) -> String {
    let all: Vec<String> = items.collect();
    let mut out = all.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if all.len() > 3 {
        out.push_str(", …");
    }
    out
}

/// Whether the proposal at `path` is one `privet import` wrote (its
/// `[import]` table names where it came from).
fn written_by_import(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| {
        t.parse::<toml_edit::DocumentMut>()
            .ok()
            .and_then(|d| d.get("import")?.get("from")?.as_str().map(str::to_string))
            .is_some()
    })
}

/// Names of the proposals under `proposals_dir` that are not under `skip`.
fn registry_names_outside(proposals_dir: &Path, skip: &Path) -> std::collections::HashSet<String> {
    // Symlinks are not followed (two links to each other would loop for ever).
    walkdir::WalkDir::new(proposals_dir)
        .max_depth(load::MAX_DEPTH)
        .into_iter()
        .filter_entry(|e| e.path() != skip)
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "toml"))
        .filter_map(|e| Some(e.path().file_stem()?.to_string_lossy().into_owned()))
        .collect()
}
