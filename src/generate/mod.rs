//! Stage 4, generate: files derived from the sources, checked in, kept fresh.
//!
//! - `docs/rules.md`, from the rule declarations;
//! - `metrics/src/generated/`, the payload types, from the registry ([`rust`]);
//! - `metrics/schemas/`, the JSON Schemas, from the registry model
//!   ([`schema`]); the crate's schema test requires schemars to derive the
//!   same from the compiled types.
//!
//! `cargo xtask codegen` writes them; `cargo xtask codegen --check`, the audit
//! and tests compare them with what the current sources generate.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, FileRef};
use crate::files::{display, write_atomically};
use crate::load::Registry;
use crate::resolve::Provenance;
use crate::rules::generate::STALE_OUTPUT;
use crate::shipping::generated_proposals;

pub mod editor;
pub mod impls;
pub mod krate;
pub mod page;
pub mod properties;
pub mod rust;
pub mod schema;

/// The command that regenerates everything.
pub const FIX_COMMAND: &str = "privet generate";

/// One generated file: its path relative to the repository root and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    pub contents: String,
}

/// A set of generated files and the directory they own: any other file with
/// the same extension in that directory is left over and must go.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    pub files: Vec<Output>,
    /// `(directory, extension)` pairs owned by these outputs.
    pub owns: Vec<(PathBuf, &'static str)>,
}

impl Outputs {
    pub fn extend(&mut self, other: Outputs) {
        self.files.extend(other.files);
        self.owns.extend(other.owns);
    }
}

/// Everything generated from the sources, without compiling anything: the
/// rules page, the Rust sources of the `metrics` crate and the JSON Schemas.
pub fn outputs(registry: &Registry) -> Outputs {
    outputs_with(registry, None)
}

/// [`outputs`], with the provenance a caller has already resolved (the
/// audit), which the transparency page then reads instead of resolving it
/// again.
pub fn outputs_with(registry: &Registry, provenance: Option<&Provenance>) -> Outputs {
    let g = &registry.config.generate;
    let mut files = Vec::new();
    let mut owns = Vec::new();
    if let Some(page) = &g.rules {
        files.push(Output {
            path: PathBuf::from(page),
            contents: crate::docs::rules_page(),
        });
    }
    let proposals = generated_proposals(&registry.proposals);
    let shipped = rust::shipped(&proposals);
    let dirs = g.modules_dir().zip(g.property_tests_dir());
    // The schemas and the crate's sources are independent: built side by side.
    let (schemas, sources) = std::thread::scope(|scope| {
        let sources = scope.spawn(|| {
            dirs.is_some()
                .then(|| rust::outputs(&proposals, registry, &shipped))
        });
        let schemas = schema::outputs(&proposals, &registry.config, &shipped);
        (
            schemas,
            sources.join().expect("generating sources does not panic"),
        )
    });
    files.extend(schemas);
    owns.push((PathBuf::from(&g.schemas), "json"));
    files.extend(editor::outputs(&registry.config));
    files.extend(page::outputs(registry, &proposals, &shipped, provenance));
    if let Some(dir) = &g.editor {
        owns.push((PathBuf::from(dir), "json"));
    }
    if let (Some((modules, tests)), Some(sources)) = (dirs, sources) {
        files.extend(sources);
        files.extend(krate::outputs(g));
        owns.push((PathBuf::from(modules), "rs"));
        owns.push((PathBuf::from(tests), "rs"));
    }
    Outputs { files, owns }
}

/// A schema file's text as written under `metrics/schemas/`: object keys
/// sorted (whatever features serde_json was built with), pretty-printed,
/// with a final newline. `cargo xtask codegen` writes it; the `metrics`
/// crate's schema test compares against it.
pub fn schema_text(schema: serde_json::Value) -> String {
    fn sorted(value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::Object(map) => {
                let mut entries: Vec<(String, Value)> = map.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
            }
            Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
            other => other,
        }
    }
    // serde_json's maps keep keys sorted unless its `preserve_order`
    // feature is on somewhere in the build; sorting is then a rebuild of
    // every schema (two of 30 MB each at 10,000 metrics), done only if needed.
    static MAPS_SORT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let maps_sort = *MAPS_SORT.get_or_init(|| {
        let map: serde_json::Map<String, serde_json::Value> =
            [("b".to_string(), 0.into()), ("a".to_string(), 0.into())]
                .into_iter()
                .collect();
        map.keys().next().is_some_and(|k| k == "a")
    });
    let schema = if maps_sort { schema } else { sorted(schema) };
    serde_json::to_string_pretty(&schema).expect("a JSON value serializes") + "\n"
}

/// A generated file that is not as generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// Missing or different: write it.
    Outdated(PathBuf),
    /// In an owned directory but no longer generated: delete it.
    Leftover(PathBuf),
}

impl Stale {
    pub fn path(&self) -> &Path {
        match self {
            Stale::Outdated(p) | Stale::Leftover(p) => p,
        }
    }

    /// What is wrong with the file, in words.
    pub fn what(&self) -> &'static str {
        match self {
            Stale::Outdated(_) => "out of date",
            Stale::Leftover(_) => "no longer generated",
        }
    }
}

/// What under `root` differs from `outputs`.
pub fn stale(root: &Path, outputs: &Outputs) -> Vec<Stale> {
    let mut out: Vec<Stale> = outputs
        .files
        .iter()
        .filter(|o| {
            fs::read_to_string(root.join(&o.path)).ok().as_deref() != Some(o.contents.as_str())
        })
        .map(|o| Stale::Outdated(o.path.clone()))
        .collect();
    let generated: HashSet<&Path> = outputs.files.iter().map(|o| o.path.as_path()).collect();
    for (dir, ext) in &outputs.owns {
        let mut found = Vec::new();
        list_files(&root.join(dir), dir, ext, &mut found);
        for rel in found {
            if !generated.contains(rel.as_path()) {
                out.push(Stale::Leftover(rel));
            }
        }
    }
    out.sort_by(|a, b| a.path().cmp(b.path()));
    out
}

/// Files ending in `.ext` below `abs`, as paths starting with `rel`.
fn list_files(abs: &Path, rel: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(abs) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let (abs, rel) = (abs.join(&name), rel.join(&name));
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            list_files(&abs, &rel, ext, out);
        } else if rel.extension().is_some_and(|e| e == ext) {
            out.push(rel);
        }
    }
}

/// `stale-output` findings for `stale` files (see [`stale`]).
pub fn findings(stale: Vec<Stale>, fix: &str) -> Vec<Diagnostic> {
    stale
        .into_iter()
        .map(|s| {
            let shown = display(s.path());
            let file = FileRef::Path(shown.clone());
            let message = format!("{shown} is {}", s.what());
            Diagnostic::new(&STALE_OUTPUT, file, 0..0, message)
                .help(format!("run `{fix}` and commit the result"))
        })
        .collect()
}

/// Brings everything under `root` up to date: writes outdated files
/// atomically (temporary file, then rename) and deletes leftovers. Returns
/// what changed.
pub fn write(root: &Path, outputs: &Outputs) -> std::io::Result<Vec<Stale>> {
    let changes = stale(root, outputs);
    let by_path: HashMap<&Path, &Output> = outputs
        .files
        .iter()
        .map(|o| (o.path.as_path(), o))
        .collect();
    for change in &changes {
        match change {
            Stale::Outdated(path) => {
                let output = by_path[path.as_path()];
                write_atomically(&root.join(path), output.contents.as_bytes())?;
            }
            Stale::Leftover(path) => fs::remove_file(root.join(path))?,
        }
    }
    Ok(changes)
}
