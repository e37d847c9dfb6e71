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
use crate::files::{display, write_output};
use crate::load::Registry;
use crate::resolve::Located;

use crate::load::IO_ERROR;
use crate::shipping::generated_proposals;

use crate::rules::{Rule, Severity};

pub const STALE_OUTPUT: Rule = Rule {
    id: "stale-output",
    family: "generate",
    severity: Severity::Error,
    summary: "a generated file is missing or out of date",
    what: "A file that `cargo xtask codegen` writes (the rules page, and the generated \
           `metrics` crate) whose checked-in content differs from what the current \
           sources generate.",
    why: "Client crates and collectors use the checked-in files. If they drift from the \
          registry, what ships is not what was reviewed.",
    example: "# a rule's docs changed where it is declared, docs/rules.md was not regenerated\n$ cargo xtask codegen",
};

mod code;
pub mod editor;
pub mod impls;
pub mod krate;
pub mod page;
pub mod properties;
pub mod python;
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
/// rules page, the Rust sources of the `metrics` crate, the JSON Schemas
/// and the transparency page. From the sources alone: no output depends
/// on git history or on a commit id, so a merge, a squash or a rebase
/// leaves every generated file as it was.
pub fn outputs(registry: &Registry, rules: &[&Rule]) -> Outputs {
    let g = &registry.config.generate;
    let mut files = Vec::new();
    let mut owns = Vec::new();
    if let Some(page) = &g.rules {
        files.push(Output {
            path: PathBuf::from(page),
            contents: crate::docs::rules_page(rules),
        });
    }
    let proposals = generated_proposals(&registry.proposals);
    let shipped = rust::shipped(&proposals, &registry.config);
    let dirs = g.modules_dir().zip(g.property_tests_dir());
    // The schemas and the crate's sources are independent: built side by side.
    let (schemas, sources) = crate::parallel::join(
        || schema::outputs(&proposals, &registry.config, &shipped),
        || {
            dirs.is_some().then(|| {
                let mut sources = rust::outputs(&proposals, registry, &shipped);
                sources.extend(properties::outputs(&proposals, &registry.config, &shipped));
                sources
            })
        },
    );
    files.extend(schemas);
    owns.push((PathBuf::from(&g.schemas), "json"));
    files.extend(editor::outputs(&registry.config));
    files.extend(page::outputs(registry, &proposals, &shipped));
    if let Some(dir) = &g.editor {
        owns.push((PathBuf::from(dir), "json"));
    }
    if let Some(dir) = &g.python {
        files.extend(python::outputs(dir, &proposals, &registry.config, &shipped));
        owns.push((PathBuf::from(dir), "py"));
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
        .filter(|o| read_file(&root.join(&o.path)).as_deref() != Some(o.contents.as_bytes()))
        .map(|o| Stale::Outdated(o.path.clone()))
        .collect();
    let generated: HashSet<&Path> = outputs.files.iter().map(|o| o.path.as_path()).collect();
    out.extend(leftovers(root, &outputs.owns, &generated));
    out.sort_by(|a, b| a.path().cmp(b.path()));
    out
}

/// The freshness record in `.git/privet/`: the key of the inputs of a check
/// that found every generated file fresh, and each file's size and
/// modification time then.
const FRESH_RECORD: &str = "generated-fresh.bin";

/// What [`stale_remembered`] found, and whether the record answered.
pub struct StaleCheck {
    pub stale: Vec<Stale>,
    /// Whether nothing was generated: the inputs were those of the last
    /// fresh check and every output was as that check left it.
    pub remembered: bool,
}

/// [`stale`] for a registry in a git repository, skipping the generation
/// when a record says it cannot have changed: the same build of privet, the
/// same `privet.toml` and proposals byte for byte, and every generated
/// file with the contents it had when a full check found them all fresh. Anything else generates and compares as
/// [`stale`] does (and records the result when it is fresh). The record is
/// authenticated like the history cache; a fresh clone (CI) has none, so
/// the gate there always generates.
pub fn stale_remembered(
    root: &Path,
    registry: &Registry,
    rules: &[&Rule],
    located: Option<&Located>,
) -> StaleCheck {
    let version = crate::memo::build_identity();
    stale_remembered_as(root, registry, rules, located, &version)
}

/// [`stale_remembered`] as privet `version` would run it (tests). The
/// record is kept in the git directory of `located`, the repository the
/// run found (none: nothing is remembered).
pub fn stale_remembered_as(
    root: &Path,
    registry: &Registry,
    rules: &[&Rule],
    located: Option<&Located>,
    version: &str,
) -> StaleCheck {
    let key = inputs_key(registry, version);
    if let Some(git_dir) = located.map(|l| &l.git_dir)
        && let Some(record) = crate::sealed::read(git_dir, FRESH_RECORD)
        && let Some((recorded, files, owns)) = parse_record(&record)
        && recorded == *key.as_bytes()
        && crate::parallel::par_map(&files, |(path, digest)| {
            file_digest(&root.join(path)) == Some(*digest)
        })
        .into_iter()
        .all(|same| same)
    {
        // Leftover files are still looked for: listing is cheap.
        let generated: HashSet<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
        let mut stale = leftovers(root, &owns, &generated);
        stale.sort_by(|a, b| a.path().cmp(b.path()));
        return StaleCheck {
            stale,
            remembered: true,
        };
    }
    let outputs = outputs(registry, rules);
    let stale = stale(root, &outputs);
    if stale.is_empty()
        && let Some(git_dir) = located.map(|l| &l.git_dir)
    {
        let mut record = key.as_bytes().to_vec();
        let push = |bytes: &[u8], record: &mut Vec<u8>| {
            record.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            record.extend_from_slice(bytes);
        };
        push(&(outputs.files.len() as u64).to_le_bytes(), &mut record);
        // Each file as [`stale`] just found it: its contents are the output's.
        for o in &outputs.files {
            push(o.path.to_string_lossy().as_bytes(), &mut record);
            push(blake3::hash(o.contents.as_bytes()).as_bytes(), &mut record);
        }
        for (dir, ext) in &outputs.owns {
            push(dir.to_string_lossy().as_bytes(), &mut record);
            push(ext.as_bytes(), &mut record);
        }
        crate::sealed::write(git_dir, FRESH_RECORD, &record);
    }
    StaleCheck {
        stale,
        remembered: false,
    }
}

/// Everything the generated files are computed from, hashed: privet's
/// build and the registry's files (nothing from git: see [`outputs`]).
fn inputs_key(registry: &Registry, version: &str) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    let mut part = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    part(b"privet generated outputs 3");
    part(version.as_bytes());
    for f in registry.sources.iter() {
        part(f.path.as_bytes());
        part(f.text.as_bytes());
    }
    // The trust anchors in effect decide what ships, and they need not be
    // the files' (`privet audit --base`).
    part(registry.config.anchors_text().as_bytes());
    h.finalize()
}

/// The BLAKE3 hash of a file's contents. Size and modification time are
/// not enough: a file edited in place can keep both.
fn file_digest(path: &Path) -> Option<[u8; 32]> {
    Some(*blake3::hash(&read_file(path)?).as_bytes())
}

/// The bytes of `path` when it is a regular file (a FIFO where an output
/// belongs would block a read for ever; it is simply not as generated).
fn read_file(path: &Path) -> Option<Vec<u8>> {
    fs::metadata(path)
        .ok()?
        .is_file()
        .then(|| fs::read(path).ok())?
}

/// A record's key, files with their digests, and owned directories.
#[allow(clippy::type_complexity)]
fn parse_record(
    bytes: &[u8],
) -> Option<(
    [u8; 32],
    Vec<(PathBuf, [u8; 32])>,
    Vec<(PathBuf, &'static str)>,
)> {
    let key: [u8; 32] = bytes.get(..32)?.try_into().ok()?;
    let mut at = 32;
    let mut next = || -> Option<&[u8]> {
        let len = u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?) as usize;
        let out = bytes.get(at + 8..(at + 8).checked_add(len)?)?;
        at += 8 + len;
        Some(out)
    };
    let count = u64::from_le_bytes(next()?.try_into().ok()?) as usize;
    let mut files = Vec::with_capacity(count.min(1 << 20));
    for _ in 0..count {
        let path = PathBuf::from(std::str::from_utf8(next()?).ok()?);
        let digest: [u8; 32] = next()?.try_into().ok()?;
        files.push((path, digest));
    }
    let mut owns = Vec::new();
    while let Some(dir) = next() {
        let dir = PathBuf::from(std::str::from_utf8(dir).ok()?);
        // The extensions generated files have (see [`Outputs::owns`]).
        let ext: &'static str = match next()? {
            b"rs" => "rs",
            b"json" => "json",
            b"md" => "md",
            b"html" => "html",
            _ => return None,
        };
        owns.push((dir, ext));
    }
    Some((key, files, owns))
}

/// The words every generated file carries near its top (a `$comment` in
/// JSON, a `// @generated` line in Rust, an HTML comment in pages).
pub const MARK: &str = "generated by `privet generate`";

/// Whether the file at `path` is one privet wrote: a regular file (not a
/// link) carrying [`MARK`] in its first kilobyte. Only such files are ever
/// deleted as left over; anything else in an output directory is the
/// user's, whatever its name.
fn written_by_privet(path: &Path) -> bool {
    use std::io::Read;
    if !fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(1024);
    let head = fs::File::open(path)
        .and_then(|f| f.take(1024).read_to_end(&mut head))
        .map(|_| String::from_utf8_lossy(&head).into_owned())
        .unwrap_or_default();
    // This repository's rules page says it is written by its codegen.
    head.contains(MARK) || head.contains(crate::docs::RULES_MARK)
}

/// Why privet may not write generated contents at `path` (relative to
/// `root`), if anything: a link (a generated file is a file of its own; a
/// link would have privet write wherever it points, `privet.toml` or a
/// proposal), something other than a regular file, or a file privet did
/// not write (a hand-written `README.md` where the page would go).
fn unwritable(root: &Path, path: &Path) -> Option<&'static str> {
    let abs = root.join(path);
    if !crate::files::stays_inside(root, &abs) {
        return Some("through a symlink it leads outside the registry");
    }
    let meta = fs::symlink_metadata(&abs).ok()?;
    if meta.file_type().is_symlink() {
        Some("it is a symlink, and a generated file is a regular file of its own")
    } else if !meta.is_file() {
        Some("it is not a regular file")
    } else if !written_by_privet(&abs) {
        Some(
            "it was not written by privet (it carries no generated mark); move it, or choose another path in privet.toml",
        )
    } else {
        None
    }
}

/// The files privet wrote in the owned directories `owns` that are not
/// among `generated`: left over from an earlier registry, to be deleted.
fn leftovers(
    root: &Path,
    owns: &[(PathBuf, &'static str)],
    generated: &HashSet<&Path>,
) -> Vec<Stale> {
    owns.iter()
        .flat_map(|(dir, ext)| list_files(root, dir, ext))
        .filter(|rel| !generated.contains(rel.as_path()) && written_by_privet(&root.join(rel)))
        .map(Stale::Leftover)
        .collect()
}

/// Regular files ending in `.ext` below `root/dir`, as paths starting with
/// `dir`. Symlinks are not followed and hidden directories (`.git`) are
/// not entered.
fn list_files(root: &Path, dir: &Path, ext: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root.join(dir))
        .max_depth(crate::load::MAX_DEPTH)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
        .filter_map(|e| Some(dir.join(e.path().strip_prefix(root.join(dir)).ok()?)))
        .collect()
}

/// `stale-output` findings for `stale` files (see [`stale`]).
pub fn findings(root: &Path, stale: Vec<Stale>, fix: &str) -> Vec<Diagnostic> {
    stale
        .into_iter()
        .map(|s| {
            let shown = display(s.path());
            let file = FileRef::Path(shown.clone());
            // What no run of generate could fix is not stale: it is a path
            // privet must not write (an I/O error, exit 2).
            if let Some(why) = blocked(root, &s) {
                let message = format!("{shown} cannot be generated: {why}");
                return Diagnostic::new(&IO_ERROR, file, 0..0, message)
                    .help("remove or move what is there, then run generate".to_string());
            }
            let message = format!("{shown} is {}", s.what());
            Diagnostic::new(&STALE_OUTPUT, file, 0..0, message)
                .help(format!("run `{fix}` and commit the result"))
        })
        .collect()
}

/// Why privet may not bring `change` about, if anything: a link that
/// leaves the tree, something other than a regular file (a FIFO, a
/// directory), or a file privet did not write where an output belongs.
pub fn blocked(root: &Path, change: &Stale) -> Option<&'static str> {
    match change {
        Stale::Outdated(path) => unwritable(root, path),
        Stale::Leftover(path) => (!crate::files::stays_inside(root, &root.join(path)))
            .then_some("through a symlink it leads outside the registry"),
    }
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
    // Nothing is written or deleted through a link that leaves the tree,
    // and no file privet did not write is replaced: all is checked before
    // anything is written.
    for change in &changes {
        if let Some(why) = blocked(root, change) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("refusing to write `{}`: {why}", display(change.path())),
            ));
        }
    }
    for change in &changes {
        match change {
            Stale::Outdated(path) => {
                let output = by_path[path.as_path()];
                write_output(&root.join(path), output.contents.as_bytes())?;
            }
            Stale::Leftover(path) => fs::remove_file(root.join(path))?,
        }
    }
    Ok(changes)
}
