//! Stage 1, load: find the registry, read `privet.toml` and every proposal.
//!
//! Loading never stops at the first problem: each file that cannot be read or
//! understood becomes findings, and every other file is still loaded.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::diagnostic::{Diagnostic, FileId, Sources};
use crate::files::display;
use crate::model::Proposal;

mod config_file;
pub mod proposal;
pub mod toml;

use self::toml::Cx;
use crate::memo::Memo;

use crate::rules::{Rule, Severity};

pub const IO_ERROR: Rule = Rule {
    id: "io-error",
    family: "input",
    severity: Severity::Error,
    summary: "a proposal or configuration file could not be read",
    what: "A file in the registry that exists but cannot be read: permissions, a dangling \
           symlink, a directory named like a proposal. The run reports every other finding \
           too, and exits with 2 (an I/O error), not 1.",
    why: "An unreadable proposal is a metric nobody can review. The audit must not pass \
          by silently skipping it.",
    example: "$ chmod 000 proposals/pulp_workers.toml",
};

pub const FILE_TOO_LARGE: Rule = Rule {
    id: "file-too-large",
    family: "input",
    severity: Severity::Error,
    summary: "a proposal is larger than the 1 MiB limit",
    what: "A proposal file over 1 MiB. privet stops reading at the limit and does not parse \
           the file.",
    why: "A metric definition is a page of prose and a handful of fields. A file this \
          large is a mistake (a pasted log, a generated dump) and parsing it would only \
          slow every audit down.",
    example: "$ ls -l proposals/openwisp_version.toml\n-rw-r--r-- 1 dev dev 5242880 openwisp_version.toml",
};

pub const INVALID_UTF8: Rule = Rule {
    id: "invalid-utf8",
    family: "input",
    severity: Severity::Error,
    summary: "a proposal is not valid UTF-8",
    what: "A proposal containing bytes that are not UTF-8. The finding points at the first \
           invalid byte.",
    why: "TOML is UTF-8 by definition. Such a file is usually saved in a legacy encoding \
          (Latin-1, UTF-16) or is not a text file at all.",
    example: "summary = \"caf\\xE9 count\"   # a Latin-1 byte",
};

pub const TOML_SYNTAX: Rule = Rule {
    id: "toml-syntax",
    family: "input",
    severity: Severity::Error,
    summary: "a file is not valid TOML",
    what: "Anything the TOML parser rejects: unclosed strings, missing `=`, a key defined \
           twice, a table header repeated.",
    why: "Nothing else in the file can be checked until it parses.",
    example: "summary = \"Number of workers\nowners = [\"pulp\"]",
};

pub const HIDDEN_TEXT: Rule = Rule {
    id: "hidden-text",
    family: "input",
    severity: Severity::Error,
    summary: "a file holds invisible characters or bidirectional controls",
    what: "A proposal or `privet.toml` holding characters a reader cannot see or that \
           reorder the text around them: right-to-left overrides and other bidirectional \
           controls (U+202A–U+202E, U+2066–U+2069), zero-width spaces and joiners, a \
           byte-order mark inside the text, tag characters. Every human output shows \
           them escaped (`\\u{202e}`).",
    why: "The Trojan-source trick: a reviewer reads one thing while the file says another, \
          for example a value list or a reason whose words appear in a different order \
          than they are stored. An approval must be of what is there.",
    example: "summary = \"Number of workers\u{202E}sresu fo liame\"",
};

pub const UNREAD_FILE: Rule = Rule {
    id: "unread-file",
    family: "input",
    severity: Severity::Error,
    summary: "a file named almost like a proposal is not read",
    what: "A file among the proposals whose name looks like a proposal's but that privet does \
           not read: a hidden file (`.name.toml`), another case of the extension \
           (`name.TOML`), white space around the name or extension (`name .toml`, \
           `name.toml `), or a backup of a proposal (`name.toml~`, `name.toml.orig`).",
    why: "A metric in such a file is never checked, never approved and never generated, \
          and nothing else says so: the author believes it is part of the registry.",
    example: "$ ls proposals/\ninstallation_size.toml  worker_count.TOML",
};

/// Largest proposal or configuration file privet reads.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Deepest directory nesting followed under `proposals/`.
pub const MAX_DEPTH: usize = 16;

/// The loaded registry: configuration, proposals and what went wrong reading them.
#[derive(Debug)]
pub struct Registry {
    /// The registry root (holds `privet.toml` and the proposals directory).
    pub root: PathBuf,
    pub sources: Sources,
    pub config: Config,
    /// Proposals that parsed, sorted by file path.
    pub proposals: Vec<Proposal>,
    /// Number of proposal files found (including those that did not parse).
    pub files: usize,
    /// The directory the proposals were read from.
    pub proposals_dir: PathBuf,
    /// What went wrong reading and parsing the files: this stage's findings.
    pub findings: Vec<Diagnostic>,
    /// Each proposal file that was parsed (or taken from a memo), with the
    /// range of `findings` parsing it produced, in file order.
    pub parsed: Vec<Parsed>,
}

/// A proposal file that was parsed: see [`Registry::parsed`].
#[derive(Debug, Clone)]
pub struct Parsed {
    pub file: FileId,
    /// Its findings: a range of [`Registry::findings`].
    pub findings: std::ops::Range<usize>,
    /// Whether it was taken from a memo instead of parsed again.
    pub reused: bool,
}

impl Registry {
    /// The path of `file` relative to the registry root, whatever path the
    /// registry was loaded through (for output that must not depend on it).
    pub fn relative_path(&self, file: FileId) -> String {
        let shown = &self.sources.get(file).path;
        let root = display(&self.root);
        if root.is_empty() || root == "." {
            return shown.clone();
        }
        shown
            .strip_prefix(&root)
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(shown)
            .to_string()
    }
}

/// A problem that stops loading altogether (exit code 2).
#[derive(Debug)]
pub struct FatalError(pub String);

impl std::fmt::Display for FatalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FatalError {}

/// Where the registry lives, from a path given on the command line: a
/// directory holding `privet.toml` or a `proposals/` directory is the root.
/// Any other directory is taken to be a directory of proposals (or part of
/// one); the root is then the nearest ancestor holding `privet.toml` or
/// whose `proposals/` contains the directory (so that `check DIR/proposals`
/// reads the same configuration as `check DIR`), or the directory's parent
/// when there is none. Returns the root and, in the second case, the
/// directory of proposals to read.
pub fn locate(dir: &Path) -> Result<(PathBuf, Option<PathBuf>), FatalError> {
    if !dir.is_dir() {
        return Err(FatalError(format!(
            "`{}` is not a directory: pass the registry root (the directory holding privet.toml and proposals/)",
            dir.display()
        )));
    }
    if dir.join(config::FILE_NAME).is_file() || dir.join("proposals").is_dir() {
        return Ok((dir.to_path_buf(), None));
    }
    let parent = |p: &Path| match p.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // Walk up through `..` so relative paths stay relative (and short in findings).
    let inside = |root: &Path| {
        let (Ok(d), Ok(p)) = (dir.canonicalize(), root.join("proposals").canonicalize()) else {
            return false;
        };
        d.starts_with(p)
    };
    let mut candidate = dir.join("..");
    for _ in 0..MAX_DEPTH {
        // A directory among the proposals is read as (part of) them; any
        // other directory below a registry (`src/`, `docs/`) stands for
        // the registry, as git, ruff and pytest search upwards.
        if inside(&candidate) {
            return Ok((candidate, Some(dir.to_path_buf())));
        }
        if candidate.join(config::FILE_NAME).is_file() {
            return Ok((candidate, None));
        }
        // A registry does not reach past its repository's work tree.
        if !candidate.is_dir()
            || candidate.join(".git").exists()
            || candidate.canonicalize().ok().as_deref() == Some(Path::new("/"))
        {
            break;
        }
        candidate = candidate.join("..");
    }
    Ok((parent(dir), Some(dir.to_path_buf())))
}

/// Reads `privet.toml` under `root`, or the defaults when there is none.
/// Problems in the file become findings, and the defaults stand in for what
/// could not be read.
pub fn load_config(
    root: &Path,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Config {
    let path = root.join(config::FILE_NAME);
    // A dangling symlink or a loop is not "no configuration": it is read,
    // and fails as an I/O error.
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return Config::default();
    };
    // A link out of the registry is not read (its text would be quoted in
    // findings), nor a FIFO or device (the read would block for ever).
    let refused = if meta.file_type().is_symlink()
        && fs::canonicalize(&path).is_ok()
        && !crate::files::stays_inside(root, &path)
    {
        Some("a symlink that leads outside the registry: it is not read")
    } else if fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
        Some("not a regular file (a directory, pipe, socket or device): it is not read")
    } else {
        None
    };
    if let Some(why) = refused {
        let file = sources.add(display(&path), String::new());
        diagnostics.push(
            Diagnostic::new(&IO_ERROR, file, 0..0, why)
                .help("privet.toml is a regular file of the repository"),
        );
        return Config::default();
    }
    let Some(file) = read_text(&path, sources, diagnostics) else {
        return Config::default();
    };
    let text = &sources.get(file).text;
    let mut cx = Cx {
        file,
        source: text,
        metric: None,
        diags: diagnostics,
    };
    config_file::parse(text, &mut cx)
}

/// A configuration from its text alone (another revision's `privet.toml`):
/// what parses, with its findings.
pub fn config_from_text(path: &str, text: &str) -> (Config, Vec<Diagnostic>) {
    let mut sources = Sources::default();
    let file = sources.add(path.to_string(), text.to_string());
    let mut diags = Vec::new();
    let mut cx = Cx {
        file,
        source: text,
        metric: None,
        diags: &mut diags,
    };
    let config = config_file::parse(text, &mut cx);
    (config, diags)
}

/// Loads the registry at `dir` (see [`locate`]).
pub fn load(dir: &Path) -> Result<Registry, FatalError> {
    load_reusing(dir, None)
}

/// [`load`], taking each proposal file unchanged since the run that wrote
/// `memo` from it instead of parsing it again.
pub fn load_reusing(dir: &Path, memo: Option<&Memo>) -> Result<Registry, FatalError> {
    let (root, proposals_override) = locate(dir)?;
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let config = load_config(&root, &mut sources, &mut diagnostics);

    let proposals_dir = proposals_override
        .clone()
        .unwrap_or_else(|| root.join(&config.proposals));
    if proposals_dir.exists() && !proposals_dir.is_dir() {
        return Err(FatalError(format!(
            "`{}` is a file, not a directory of proposals: move it aside, or set `proposals` in {} to the directory that holds them",
            display(&proposals_dir),
            config::FILE_NAME
        )));
    }
    // With no proposals to read, the findings so far are the answer: a
    // `proposals` setting privet.toml may not have (reported there), or a
    // directory that leads out of the registry.
    let empty = |root: PathBuf, sources, config, diagnostics, proposals_dir| Registry {
        root,
        sources,
        config,
        proposals: Vec::new(),
        files: 0,
        proposals_dir,
        findings: diagnostics,
        parsed: Vec::new(),
    };
    if !proposals_dir.is_dir() {
        if diagnostics
            .iter()
            .any(|d| d.rule == &crate::load::proposal::INVALID_VALUE)
        {
            return Ok(empty(root, sources, config, diagnostics, proposals_dir));
        }
        return Err(FatalError(format!(
            "no proposals directory at `{}`: create it, or set `proposals` in {}",
            display(&proposals_dir),
            config::FILE_NAME
        )));
    }
    if !crate::files::stays_inside(&root, &proposals_dir) {
        let file = sources.add(display(&proposals_dir), String::new());
        diagnostics.push(
            Diagnostic::new(
                &IO_ERROR,
                file,
                0..0,
                "the proposals directory leads outside the registry through a symlink: its proposals are not the repository's, and are not read",
            )
            .help("replace the link with the directory of proposals"),
        );
        return Ok(empty(root, sources, config, diagnostics, proposals_dir));
    }
    let mut paths = Vec::new();
    let mut walk = Walk {
        root: &root,
        out: &mut paths,
        sources: &mut sources,
        diags: &mut diagnostics,
    };
    walk.collect(&proposals_dir, 0)
        .map_err(|e| FatalError(format!("cannot list `{}`: {e}", display(&proposals_dir))))?;
    paths.sort();
    // With `proposals = "."` the configuration sits among the proposals.
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(&proposals_dir, &root) {
        let config_path = proposals_dir.join(config::FILE_NAME);
        paths.retain(|p| *p != config_path);
    }
    if proposals_override.is_some() && paths.is_empty() {
        return Err(FatalError(format!(
            "no registry at `{}`: expected {} or a proposals/ directory there, or proposal files in it",
            display(dir),
            config::FILE_NAME
        )));
    }

    // Read on all cores (ten thousand small files take a while on one),
    // then added in path order.
    let contents = crate::parallel::par_map(&paths, |path| read_bytes(path));
    let files: Vec<FileId> = paths
        .iter()
        .zip(contents)
        .filter_map(|(path, read)| add_text(path, read, &mut sources, &mut diagnostics))
        .collect();
    let (proposals, parsed) = parse_files(&files, &sources, memo, &mut diagnostics);
    Ok(Registry {
        root,
        sources,
        config,
        proposals,
        files: paths.len(),
        proposals_dir,
        findings: diagnostics,
        parsed,
    })
}

/// A registry from texts in memory: `config` is the text of `privet.toml`,
/// `files` are `(path, text)` pairs of proposals. For tests and benchmarks.
pub fn from_texts(config: Option<&str>, files: &[(&str, &str)]) -> Registry {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let config = match config {
        Some(text) => {
            let file = sources.add(config::FILE_NAME.into(), text.into());
            let mut cx = Cx {
                file,
                source: text,
                metric: None,
                diags: &mut diagnostics,
            };
            config_file::parse(text, &mut cx)
        }
        None => Config::default(),
    };
    let ids: Vec<FileId> = files
        .iter()
        .map(|(path, text)| sources.add(path.to_string(), text.to_string()))
        .collect();
    let (proposals, parsed) = parse_files(&ids, &sources, None, &mut diagnostics);
    let proposals_dir = PathBuf::from(&config.proposals);
    Registry {
        root: PathBuf::from("."),
        sources,
        config,
        proposals,
        files: files.len(),
        proposals_dir,
        findings: diagnostics,
        parsed,
    }
}

/// Parses the proposals in `files` (on all cores: each file is independent),
/// keeping their order and the order of their findings. A file `memo`
/// holds unchanged is taken from it.
fn parse_files(
    files: &[FileId],
    sources: &Sources,
    memo: Option<&Memo>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Proposal>, Vec<Parsed>) {
    let results = crate::parallel::par_map(files, |&file| {
        let source = sources.get(file);
        if let Some((proposal, diags)) =
            memo.and_then(|m| m.parsed(&source.path, &source.text, file))
        {
            return (proposal, diags, true);
        }
        let mut diags = Vec::new();
        let proposal = parse_file(file, sources, &mut diags);
        (proposal, diags, false)
    });
    let mut proposals = Vec::with_capacity(results.len());
    let mut parsed = Vec::with_capacity(results.len());
    for (&file, (proposal, mut diags, reused)) in files.iter().zip(results) {
        proposals.extend(proposal);
        let start = diagnostics.len();
        diagnostics.append(&mut diags);
        parsed.push(Parsed {
            file,
            findings: start..diagnostics.len(),
            reused,
        });
    }
    (proposals, parsed)
}

/// Parses the proposal in `file`; its name is the file stem.
fn parse_file(
    file: FileId,
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Proposal> {
    let source = sources.get(file);
    let name = Path::new(&source.path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut cx = Cx {
        file,
        source: &source.text,
        metric: Some(name.clone()),
        diags: diagnostics,
    };
    proposal::parse(&name, &source.text, &mut cx)
}

/// Whether a file name that is not read as a proposal looks like one
/// (hidden, another case of `.toml`, white space, a backup copy): such a
/// file is reported, never skipped silently.
fn looks_like_proposal(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    let lower = lower.trim_start_matches('.');
    lower.ends_with(".toml")
        || lower.ends_with(".toml~")
        || lower.ends_with(".toml.orig")
        || lower.ends_with(".toml.bak")
        || lower.contains(".toml ")
}

/// The walk of a directory of proposals: `*.toml` files below it, not
/// following symlinked directories (so a link loop cannot trap the walk),
/// reading a symlinked file only when it resolves inside the registry and
/// only regular files (a FIFO or a device would block or never end).
struct Walk<'a> {
    root: &'a Path,
    out: &'a mut Vec<PathBuf>,
    sources: &'a mut Sources,
    diags: &'a mut Vec<Diagnostic>,
}

impl Walk<'_> {
    fn finding(
        &mut self,
        path: &Path,
        rule: &'static crate::rules::Rule,
        message: String,
        help: &str,
    ) {
        let file = self.sources.add(display(path), String::new());
        self.diags
            .push(Diagnostic::new(rule, file, 0..0, message).help(help.to_string()));
    }

    fn collect(&mut self, dir: &Path, depth: usize) -> std::io::Result<()> {
        let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            // `name.toml`, lower-case extension, no white space around the
            // name or before the extension, not hidden.
            let proposal_name = !name.starts_with('.')
                && name.trim() == name
                && name
                    .strip_suffix(".toml")
                    .is_some_and(|stem| !stem.is_empty() && stem.trim() == stem);
            let file_type = entry.file_type()?;
            if name.starts_with('.') && !looks_like_proposal(&name) {
                continue;
            }
            if file_type.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                self.finding(
                    &path,
                    &IO_ERROR,
                    "a symlinked directory: not followed (a link can loop, or lead out of the registry)".into(),
                    "move the proposals into the directory, or list them where they are",
                );
                continue;
            }
            if file_type.is_dir() {
                if proposal_name {
                    self.finding(
                        &path,
                        &IO_ERROR,
                        "a directory named like a proposal: it is not read as one".into(),
                        "a proposal is a file; rename the directory (without .toml) or move its contents",
                    );
                } else if depth < MAX_DEPTH
                    && !name.starts_with('.')
                    && let Err(e) = self.collect(&path, depth + 1)
                {
                    self.finding(
                        &path,
                        &IO_ERROR,
                        format!("cannot list directory: {e}"),
                        "check the directory's permissions",
                    );
                }
                continue;
            }
            if !proposal_name {
                if looks_like_proposal(&name) {
                    self.finding(
                        &path,
                        &UNREAD_FILE,
                        format!("`{}` is named almost like a proposal and is not read", name),
                        "a proposal's file name is its metric name and `.toml`, in lower case, with no white space and no leading dot: rename it, or move it out of the proposals directory",
                    );
                }
                continue;
            }
            // A dangling link is read below, and reported as unreadable.
            if file_type.is_symlink()
                && fs::canonicalize(&path).is_ok()
                && !crate::files::stays_inside(self.root, &path)
            {
                self.finding(
                    &path,
                    &IO_ERROR,
                    "a symlink that leads outside the registry: it is not read".into(),
                    "a proposal lives in the repository; copy the file in instead of linking to it",
                );
                continue;
            }
            // A FIFO, socket or device named like a proposal would block
            // the read or never end: only regular files are opened.
            match fs::metadata(&path) {
                Ok(m) if !m.is_file() => {
                    self.finding(
                        &path,
                        &IO_ERROR,
                        "not a regular file (a pipe, socket or device): it is not read".into(),
                        "a proposal is a regular file; remove this one",
                    );
                }
                // Unreadable or dangling: reading it reports why.
                _ => self.out.push(path),
            }
        }
        Ok(())
    }
}

/// Reads a file as UTF-8 text within [`MAX_FILE_BYTES`], registering it in
/// `sources`. Problems become findings and `None`.
fn read_text(path: &Path, sources: &mut Sources, diags: &mut Vec<Diagnostic>) -> Option<FileId> {
    add_text(path, read_bytes(path), sources, diags)
}

/// The bytes of `path`, up to one more than the size limit.
fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = fs::File::open(path)?;
    // Sized once from the file's length (a growing buffer costs more than
    // the read); the limit still holds if the file grows meanwhile.
    let size = file
        .metadata()
        .map_or(0, |m| m.len().min(MAX_FILE_BYTES + 1));
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Adds what was read from `path` to `sources`; returns its file when it
/// is a text to parse, or reports why it is not.
fn add_text(
    path: &Path,
    read: std::io::Result<Vec<u8>>,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<FileId> {
    let shown = display(path);
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) => {
            let file = sources.add(shown, String::new());
            diags.push(
                Diagnostic::new(&IO_ERROR, file, 0..0, format!("cannot read file: {e}"))
                    .help("check that the file exists, is a regular file and is readable"),
            );
            return None;
        }
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let file = sources.add(shown, String::new());
        diags.push(
            Diagnostic::new(
                &FILE_TOO_LARGE,
                file,
                0..0,
                format!(
                    "file is larger than {} bytes; it was not parsed",
                    MAX_FILE_BYTES
                ),
            )
            .help("a proposal is a page of text: remove whatever was pasted into it"),
        );
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let hidden: Vec<_> = crate::text::hidden_ranges(&text).collect();
            let file = sources.add(shown, text);
            // One finding per line at most: a pasted run of them is one problem.
            let (mut line, mut counted_to, mut last_line) = (0, 0, None);
            for range in hidden {
                let text = &sources.get(file).text;
                line += text[counted_to..range.start].matches('\n').count();
                counted_to = range.start;
                if last_line == Some(line) {
                    continue;
                }
                last_line = Some(line);
                let c = text[range.clone()].chars().next().unwrap_or(' ');
                diags.push(
                    Diagnostic::new(
                        &HIDDEN_TEXT,
                        file,
                        range,
                        format!(
                            "an invisible character U+{:04X}: what a reader sees is not what the file holds",
                            c as u32
                        ),
                    )
                    .label("hidden")
                    .help("delete it (a leading byte-order mark too); if the text needs right-to-left script, write the script itself, without control characters"),
                );
            }
            Some(file)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let byte = e.as_bytes()[at];
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = sources.add(shown, text);
            diags.push(
                Diagnostic::new(
                    &INVALID_UTF8,
                    file,
                    at..at + 1,
                    format!("file is not valid UTF-8: byte 0x{byte:02X} at offset {at}"),
                )
                .label("not UTF-8")
                .help("save the file as UTF-8"),
            );
            None
        }
    }
}

/// Reports a TOML parse error.
fn syntax_error(e: &toml_edit::TomlError, cx: &mut Cx) {
    // The parser gives no place for some errors (a recursion limit met in
    // a dotted key or table header): point at the most deeply nested line.
    let span = e.span().unwrap_or_else(|| deepest_line(cx.source));
    let message = e.message().trim().to_string();
    let first = message.lines().next().unwrap_or("invalid TOML").to_string();
    let d = cx.emit(&TOML_SYNTAX, span, format!("invalid TOML: {first}"));
    d.help =
        Some("fix the syntax; nothing else in this file can be checked until it parses".into());
}

/// The span of the line with the most nesting (dots, brackets and braces),
/// where a depth limit was most likely met; the start of the text when it
/// has no nesting at all.
fn deepest_line(text: &str) -> std::ops::Range<usize> {
    let mut best = (0, 0..0);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let depth = line
            .bytes()
            .filter(|b| matches!(b, b'.' | b'[' | b'{'))
            .count();
        if depth > best.0 {
            let end = start + line.trim_end().len();
            best = (depth, start..end.min(start + 1).max(start));
        }
        start += line.len();
    }
    best.1
}
