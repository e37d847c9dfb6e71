//! Stage 4, generate: files derived from the sources, checked in, kept fresh.
//!
//! `cargo xtask codegen` writes them; `cargo xtask codegen --check`, the audit
//! and a test compare them with what the current sources generate.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Sources};
use crate::rules::generate::STALE_OUTPUT;

/// The command that regenerates everything.
pub const FIX_COMMAND: &str = "cargo xtask codegen";

/// One generated file: its path relative to the repository root and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    pub contents: String,
}

/// Everything generated from the sources. (The registry's payload types join
/// this list with the codegen stage.)
pub fn outputs() -> Vec<Output> {
    vec![Output {
        path: PathBuf::from(crate::docs::RULES_PAGE),
        contents: crate::docs::rules_page(),
    }]
}

/// Outputs whose file under `root` is missing or differs.
pub fn stale(root: &Path, outputs: &[Output]) -> Vec<PathBuf> {
    outputs
        .iter()
        .filter(|o| {
            fs::read_to_string(root.join(&o.path)).ok().as_deref() != Some(o.contents.as_str())
        })
        .map(|o| o.path.clone())
        .collect()
}

/// `stale-output` findings for every stale output.
pub fn check(root: &Path, outputs: &[Output], sources: &mut Sources) -> Vec<Diagnostic> {
    stale(root, outputs)
        .into_iter()
        .map(|path| {
            let shown = crate::load::display(&path);
            let file = sources.add(shown.clone(), String::new());
            Diagnostic::new(&STALE_OUTPUT, file, 0..0, format!("{shown} is out of date"))
                .help(format!("run `{FIX_COMMAND}` and commit the result"))
        })
        .collect()
}

/// Writes every stale output under `root`, atomically (temporary file, then
/// rename). Returns the paths written.
pub fn write(root: &Path, outputs: &[Output]) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for path in stale(root, outputs) {
        let output = outputs
            .iter()
            .find(|o| o.path == path)
            .expect("stale output exists");
        write_atomically(&root.join(&path), output.contents.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// so readers never see a partial file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
