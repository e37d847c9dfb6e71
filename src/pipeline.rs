//! The pipeline as a library: what `privet check`, the audit, the other
//! commands and `cargo xtask` run. Each function runs the stages top to
//! bottom (load → resolve → check → generate → report), passing each
//! stage's typed output to the next; `cli` only parses arguments and calls
//! these.
//!
//! Functions that print take `out` and `err` and return the exit code;
//! the others return what a command prints on success, or a
//! [`CommandError`] that says what went wrong and what to do.

use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::check::{self, Samples};
use crate::date::Date;
use crate::diagnostic::{self, Diagnostic};
use crate::files::display;
use crate::generate;
use crate::load::{self, FatalError, Registry};
use crate::model::Proposal;
use crate::names::{name_problem, snake_case};
use crate::report::{self, AuditSummary, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format};
use crate::resolve::{self, HistoryMode, Provenance, Resolved};
use crate::rules::{self, Severity, lifecycle, provenance};
use crate::{approve, docs, fingerprint, scaffold, scan, suggest};

/// How a check or an audit runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The date expiry is judged against (fixed in tests).
    pub today: Date,
    /// Whether git history is read, and whether its absence is a finding.
    pub history: HistoryMode,
    /// Whether sample payloads are scanned, and where they come from.
    pub samples: Samples,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            today: Date::today(),
            history: HistoryMode::IfAvailable,
            samples: Samples::Off,
        }
    }
}

impl Options {
    fn check(&self) -> check::Options {
        check::Options {
            today: self.today,
            samples: self.samples.clone(),
        }
    }
}

/// A checked registry: the outputs of load, resolve and check.
#[derive(Debug)]
pub struct Checked {
    pub registry: Registry,
    pub provenance: Provenance,
    /// Every stage's findings, sorted by file, position and rule.
    pub findings: Vec<Diagnostic>,
}

/// Loads the registry at `dir` and runs the resolve and check stages,
/// reusing what the memo of the last run in the same clone holds for every
/// proposal file unchanged since (see [`crate::memo`]).
pub fn check(dir: &Path, options: &Options) -> Result<Checked, FatalError> {
    let memo = MemoRun::open(dir);
    let registry = load::load_reusing(dir, memo.as_ref().and_then(|m| m.memo.as_ref()))?;
    let resolved = resolve::run(&registry, options.history);
    let found = check_memoized(
        &registry,
        &resolved.provenance,
        &options.check(),
        memo.as_ref(),
    );
    Ok(Checked::new(registry, resolved, found.findings))
}

/// The memo of the last run in the clone that holds a registry, and where
/// this run writes its own.
struct MemoRun {
    git_dir: PathBuf,
    identity: String,
    memo: Option<crate::memo::Memo>,
}

impl MemoRun {
    /// None outside a git repository (there is nowhere private to keep it).
    fn open(dir: &Path) -> Option<MemoRun> {
        let (git_dir, _) = resolve::repository_of(dir)?;
        let identity = crate::memo::build_identity();
        let memo = crate::memo::Memo::read(&git_dir, &identity);
        Some(MemoRun {
            git_dir,
            identity,
            memo,
        })
    }
}

/// The check context of the memo (see [`crate::memo`]): the configuration,
/// the date and how samples are built. None when samples come from a
/// compiled crate, whose results are not memoized.
fn check_context(registry: &Registry, options: &check::Options) -> Option<[u8; 32]> {
    let samples = match options.samples {
        Samples::Off => "off",
        Samples::Model => "model",
        Samples::Compiled(_) => return None,
    };
    let config = format!("{:?}", registry.config);
    let today = options.today.to_string();
    Some(crate::memo::check_context(&[
        config.as_bytes(),
        today.as_bytes(),
        samples.as_bytes(),
    ]))
}

/// The check stage, taking each unchanged proposal's per-proposal findings
/// from `memo`, then writing this run's memo when anything in it is new.
fn check_memoized(
    registry: &Registry,
    provenance: &Provenance,
    options: &check::Options,
    memo: Option<&MemoRun>,
) -> check::Found {
    let context = check_context(registry, options);
    let last = memo.and_then(|m| m.memo.as_ref());
    let reuse = |p: &Proposal| {
        let source = registry.sources.get(p.file);
        last?.checked(&source.path, &source.text, p.file, &context?)
    };
    let found = check::run_reusing(registry, provenance, options, &reuse);
    let Some(run) = memo else { return found };
    let unchanged = last.is_some_and(|m| m.len() == registry.proposals.len())
        && registry.parsed.iter().all(|p| p.reused)
        && (context.is_none() || found.reused == registry.proposals.len());
    if !unchanged {
        let records = memo_records(registry, context.map(|_| found.local.as_slice()));
        let context = context.unwrap_or_default();
        crate::memo::write(&run.git_dir, &run.identity, &context, &records);
    }
    found
}

/// What a memo keeps of a loaded registry: each proposal file that parsed,
/// with its load findings and, given `local` (the check's findings about
/// each proposal alone, in registry order), those.
pub fn memo_records<'r>(
    registry: &'r Registry,
    local: Option<&'r [Vec<Diagnostic>]>,
) -> Vec<crate::memo::Record<'r>> {
    let index: std::collections::HashMap<_, _> = registry
        .proposals
        .iter()
        .enumerate()
        .map(|(i, p)| (p.file, i))
        .collect();
    registry
        .parsed
        .iter()
        .filter_map(|parsed| {
            let i = *index.get(&parsed.file)?;
            let source = registry.sources.get(parsed.file);
            Some(crate::memo::Record {
                path: &source.path,
                text: &source.text,
                file: parsed.file,
                proposal: Some(&registry.proposals[i]),
                load: &registry.findings[parsed.findings.clone()],
                check: local.map(|l| l[i].as_slice()),
            })
        })
        .collect()
}

/// Runs the resolve and check stages on a loaded registry (one from
/// [`load::from_texts`], say).
pub fn check_loaded(registry: Registry, options: &Options) -> Checked {
    let resolved = resolve::run(&registry, options.history);
    let found = check::run(&registry, &resolved.provenance, &options.check());
    Checked::new(registry, resolved, found)
}

impl Checked {
    /// Gathers the findings of load, resolve and check, in report order.
    fn new(registry: Registry, resolved: Resolved, check_findings: Vec<Diagnostic>) -> Self {
        let mut findings = registry.findings.clone();
        findings.extend(resolved.findings);
        findings.extend(check_findings);
        diagnostic::sort(&mut findings, &registry.sources);
        Checked {
            registry,
            provenance: resolved.provenance,
            findings,
        }
    }

    /// Prints the report (with the audit's summary, for an audit); returns
    /// the exit code.
    fn print(
        &self,
        audit: Option<&AuditSummary>,
        start: Instant,
        format: Format,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> i32 {
        let run = report::Run {
            registry: &self.registry,
            provenance: &self.provenance,
            findings: &self.findings,
            audit,
            elapsed: start.elapsed(),
        };
        report::print(&run, format, out, err)
    }
}

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
    match check(dir, options) {
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

/// What only a build of the `metrics` crate can provide. `cargo xtask audit`
/// builds the crate and runs its examples; library callers without a build
/// pass `None` to [`audit`].
pub trait MetricsBuild {
    /// The command that regenerates the outputs (named in `stale-output`).
    fn fix_command(&self) -> &'static str;
    /// `cases` sample payloads per metric and per event payload, built from
    /// raw inputs through the generated constructors, serialized and scanned.
    fn samples(&self, cases: u32) -> Result<check::samples::Compiled, String>;
}

/// An audited registry: a checked one, with the freshness of every
/// generated file and the audit's summary.
#[derive(Debug)]
pub struct Audited {
    pub checked: Checked,
    pub summary: AuditSummary,
}

/// The audit: load, resolve, check, and the freshness of every generated
/// file. With a `build` of the generated crate, sample payloads go through
/// the generated types (when those are fresh); otherwise they are built from
/// the proposals' declared domains and a note says so. Errors are usage or
/// I/O errors (exit code 2).
pub fn audit(
    root: &Path,
    options: &Options,
    build: Option<&dyn MetricsBuild>,
) -> Result<Audited, String> {
    let memo = MemoRun::open(root);
    let registry = load::load_reusing(root, memo.as_ref().and_then(|m| m.memo.as_ref()))
        .map_err(|e| e.to_string())?;
    let resolved = resolve::run(&registry, options.history);
    let checked_outputs = generate::stale_remembered(root, &registry, Some(&resolved.provenance));
    let stale = checked_outputs.stale;
    let fix = build.map_or(generate::FIX_COMMAND, |b| b.fix_command());
    let mut options = options.clone();
    let mut notes = Vec::new();
    let sampling = !matches!(options.samples, Samples::Off);
    let cases = registry.config.thresholds.sample_cases;
    if let Some(build) = build {
        // Sampling a build of stale generated code would test old types.
        let crate_dir = registry
            .config
            .generate
            .crate_dir
            .clone()
            .unwrap_or_default();
        let types_fresh =
            !crate_dir.is_empty() && stale.iter().all(|s| !s.path().starts_with(&crate_dir));
        if sampling && types_fresh {
            let compiled = build.samples(cases)?;
            notes.push(format!(
                "samples: {} payloads each of {} metrics and {} event payloads, built through the generated types and scanned",
                compiled.cases,
                compiled.metrics.len(),
                compiled.events.len()
            ));
            options.samples = Samples::Compiled(Arc::new(compiled));
        } else if sampling {
            options.samples = Samples::Model;
            notes.push(format!(
                "samples: {cases} payloads per metric {}, built from the proposals (the generated types are stale; run `{fix}`)",
                sampled_share(&registry)
            ));
        }
    } else if sampling {
        notes.push(format!(
            "samples: {cases} payloads per metric {}, built from the proposals' declared domains (no compiled client crate)",
            sampled_share(&registry)
        ));
    }
    if checked_outputs.remembered {
        notes.push(
            "generated files: inputs and outputs unchanged since the last check found them fresh (not generated again)".into(),
        );
    }
    let found = check_memoized(
        &registry,
        &resolved.provenance,
        &options.check(),
        memo.as_ref(),
    );
    let parsed_again = registry.parsed.iter().filter(|p| !p.reused).count();
    if memo.as_ref().is_some_and(|m| m.memo.is_some()) {
        notes.push(format!(
            "memo: {} of {} proposal files unchanged since the last run of this build of privet (taken as they were parsed); the rules about one proposal alone reused for {} of {} proposals; history, cross-proposal rules and generated files checked as always",
            registry.parsed.len() - parsed_again,
            registry.parsed.len(),
            found.reused,
            registry.proposals.len()
        ));
    }
    let summary = AuditSummary {
        budgets: check::privacy::budget_summary(&registry),
        notes,
    };
    let mut checked = Checked::new(registry, resolved, found.findings);
    // Stale files come last, after the sorted findings about the sources.
    checked
        .findings
        .extend(generate::findings(root, stale, fix));
    Ok(Audited { checked, summary })
}

/// Which metrics sampling from the model reaches (see
/// [`check::samples::needs_sampling`]), as the audit report says it.
fn sampled_share(registry: &Registry) -> String {
    let all = registry.proposals.len();
    let open = registry
        .proposals
        .iter()
        .filter(|p| check::samples::needs_sampling(p))
        .count();
    format!(
        "for the {open} of {all} metrics whose values no rule decides exactly (the other {}: enum values and keys `pii-in-domain` lists, fixed shapes the generated code writes)",
        all - open
    )
}

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
    match audit(root, options, build) {
        Ok(a) => a.checked.print(Some(&a.summary), start, format, out, err),
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_USAGE
        }
    }
}

/// Why a command did not do what it was asked: printed as `error:` and
/// `help:` lines after `preface` (findings that explain it), with `code` as
/// the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    pub code: i32,
    pub preface: String,
    pub message: String,
    pub help: Vec<String>,
}

impl CommandError {
    /// A usage or I/O error (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CommandError {
            code: EXIT_USAGE,
            preface: String::new(),
            message: message.into(),
            help: Vec::new(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}error: {}", self.preface, self.message)?;
        for h in &self.help {
            write!(f, "\nhelp: {h}")?;
        }
        Ok(())
    }
}

impl From<FatalError> for CommandError {
    fn from(e: FatalError) -> Self {
        CommandError::usage(e.0)
    }
}

/// The proposal named `name`, or a usage error with a suggestion.
fn find_proposal<'r>(registry: &'r Registry, name: &str) -> Result<&'r Proposal, CommandError> {
    registry
        .proposals
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| no_proposal(registry, name))
}

/// The findings of the file(s) named `NAME.toml` that did not load as a
/// proposal (a syntax error, an unreadable file): why `name` is not there.
fn unloaded<'f>(
    registry: &Registry,
    findings: &'f [Diagnostic],
    name: &str,
) -> Vec<&'f Diagnostic> {
    findings
        .iter()
        .filter(|d| {
            let path = registry.sources.path(&d.file);
            Path::new(path).file_stem().is_some_and(|s| s == name)
                && Path::new(path).extension().is_some_and(|e| e == "toml")
                && !is_config(path)
        })
        .collect()
}

/// Refuses a command while `privet.toml` has findings that `refuses`, and
/// shows them.
fn refuse_over_config(
    findings: &[Diagnostic],
    sources: &diagnostic::Sources,
    refuses: impl Fn(&Diagnostic) -> bool,
    what: &str,
) -> Result<(), CommandError> {
    let errors: Vec<Diagnostic> = findings
        .iter()
        .filter(|d| refuses(d) && is_config(sources.path(&d.file)))
        .cloned()
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    Err(CommandError {
        code: EXIT_FINDINGS,
        preface: report::render(&errors, sources, Format::Human),
        message: format!(
            "{} has {} error(s); {what}",
            crate::config::FILE_NAME,
            errors.len()
        ),
        help: Vec::new(),
    })
}

/// Whether a finding's path is the registry's `privet.toml`.
fn is_config(path: &str) -> bool {
    Path::new(path)
        .file_name()
        .is_some_and(|f| f == crate::config::FILE_NAME)
}

/// `name` exists as a file but did not load: its findings, as the error.
fn unloaded_error(registry: &Registry, findings: &[&Diagnostic], name: &str) -> CommandError {
    let owned: Vec<Diagnostic> = findings.iter().map(|d| (*d).clone()).collect();
    let io = owned.iter().any(|d| d.rule == &rules::input::IO_ERROR);
    CommandError {
        code: if io { EXIT_USAGE } else { EXIT_FINDINGS },
        preface: report::render(&owned, &registry.sources, Format::Human),
        message: format!(
            "`{name}` did not load: {}",
            registry.sources.path(&owned[0].file)
        ),
        help: vec!["fix the findings above first".into()],
    }
}

fn no_proposal(registry: &Registry, name: &str) -> CommandError {
    let mut e = CommandError::usage(format!(
        "no proposal named `{name}` in {}",
        display(&registry.proposals_dir)
    ));
    if let Some(best) = suggest::closest(name, registry.proposals.iter().map(|p| p.name.as_str())) {
        e = e.help(format!("did you mean `{best}`?"));
    }
    e
}

/// The rules whose findings an approval itself resolves; any other
/// error-level finding blocks approving.
const APPROVAL_RULES: &[&rules::Rule] = &[
    &lifecycle::APPROVAL_MISSING,
    &lifecycle::APPROVAL_REVIEWER,
    &lifecycle::APPROVAL_QUORUM,
    &provenance::APPROVAL_STALE,
    &provenance::SELF_APPROVAL,
    &provenance::APPROVAL_FORGED,
];

/// `privet approve`: approves the current definition of `name` as
/// `reviewer` on `today`; returns what to print.
pub fn approve(
    dir: &Path,
    name: &str,
    reviewer: &str,
    today: Date,
) -> Result<String, CommandError> {
    let options = Options {
        today,
        history: HistoryMode::IfAvailable,
        samples: Samples::Off,
    };
    let checked = check(dir, &options)?;
    let registry = &checked.registry;
    let p = match find_proposal(registry, name) {
        Ok(p) => p,
        Err(e) => {
            let why = unloaded(registry, &checked.findings, name);
            return Err(if why.is_empty() {
                e
            } else {
                unloaded_error(registry, &why, name)
            });
        }
    };
    // Who may approve is the configuration's to say: a broken one first.
    refuse_over_config(
        &checked.findings,
        &registry.sources,
        |d| d.severity == Severity::Error,
        "fix them before approving",
    )?;
    if !registry.config.reviewers.iter().any(|r| r == reviewer) {
        let list = registry.config.reviewers.join(", ");
        return Err(
            CommandError::usage(format!("`{reviewer}` is not a configured reviewer")).help(
                if list.is_empty() {
                    "list reviewers under [review] in privet.toml".to_string()
                } else {
                    format!("reviewers are {list}")
                },
            ),
        );
    }
    let history = match &checked.provenance {
        Provenance::Available(h) => h,
        Provenance::Unavailable(why) => {
            return Err(CommandError::usage(format!(
                "cannot approve without history: {}",
                why.describe()
            ))
            .help(why.fix()));
        }
        Provenance::Skipped => unreachable!("history was read"),
    };
    if !history.present.contains_key(name) {
        return Err(
            CommandError::usage(format!("`{name}` is not committed yet"))
                .help("commit it first: approval is tied to the commit that introduced it"),
        );
    }
    let identities = registry.config.identities_of(reviewer);
    if let Some(author) = history
        .definition_authors(name)
        .into_iter()
        .find(|c| c.authored_by(reviewer, identities))
    {
        return Err(CommandError::usage(format!(
            "`{reviewer}` wrote the definition of `{name}` ({}) and cannot approve it",
            author.describe()
        ))
        .help("another configured reviewer must approve it"));
    }
    // Approval is for a sound definition: everything but the approval itself must pass.
    let blocking: Vec<Diagnostic> = checked
        .findings
        .iter()
        .filter(|d| {
            (d.file == p.file.into() || d.metric.as_deref() == Some(name))
                && d.severity == Severity::Error
                && !APPROVAL_RULES.contains(&d.rule)
        })
        .cloned()
        .collect();
    if !blocking.is_empty() {
        return Err(CommandError {
            code: EXIT_FINDINGS,
            preface: report::render(&blocking, &registry.sources, Format::Human),
            message: format!(
                "`{name}` has {} error(s); fix them before approving",
                blocking.len()
            ),
            help: Vec::new(),
        });
    }
    let (fingerprint, _) = fingerprint::current(p);
    let path = PathBuf::from(&registry.sources.get(p.file).path);
    let outcome =
        approve::approve_file(&path, reviewer, &fingerprint, today).map_err(CommandError::usage)?;
    let shown = display(&path);
    let quorum = registry.config.quorum;
    let note = commit_note(dir, reviewer, identities);
    let done = match outcome {
        approve::Outcome::New => format!(
            "approved {name} as {reviewer} (fingerprint {fingerprint}) in {shown}; 1 of {quorum} reviewer(s)\n"
        ),
        approve::Outcome::Joined { by } => format!(
            "added {reviewer} to the approval of {name} in {shown}; {} of {quorum} reviewer(s)\n",
            by.len()
        ),
        approve::Outcome::AlreadyApproved => {
            format!("{reviewer} already approved this definition of {name}; nothing changed\n")
        }
    };
    Ok(format!("{done}{note}\n"))
}

/// What the reviewer does next: the approval counts once they commit it.
fn commit_note(dir: &Path, reviewer: &str, identities: &[String]) -> String {
    if identities.is_empty() {
        return format!(
            "note: `{reviewer}` has no identities in privet.toml ([review.reviewers]); until they are listed, \
             this approval is reported as approval-forged"
        );
    }
    let email = git2::Repository::discover(dir)
        .and_then(|r| r.config())
        .and_then(|c| c.get_string("user.email"))
        .ok();
    match email {
        Some(e) if identities.contains(&e.to_lowercase()) => format!(
            "commit it as {reviewer} ({e}): the commit that writes an approval is what makes it {reviewer}'s"
        ),
        Some(e) => format!(
            "warning: git's user.email here is {e}, not one of {reviewer}'s identities ({}): \
             only a commit by {reviewer} makes this approval count; committed by anyone else it is approval-forged",
            identities.join(", ")
        ),
        None => format!(
            "commit it as {reviewer} ({}): only a commit by {reviewer} makes this approval count",
            identities.join(", ")
        ),
    }
}

/// `privet log`: the story of `name` (human text, or one JSON object).
pub fn log(dir: &Path, name: &str, format: Format) -> Result<String, CommandError> {
    let registry = load::load(dir)?;
    let resolved = resolve::run(&registry, HistoryMode::IfAvailable);
    let history = match &resolved.provenance {
        Provenance::Available(h) => h,
        Provenance::Unavailable(why) => {
            return Err(CommandError::usage(why.describe()).help(why.fix()));
        }
        Provenance::Skipped => unreachable!("history was read"),
    };
    let current = registry
        .proposals
        .iter()
        .find(|p| p.name == name)
        .map(fingerprint::current);
    if current.is_none() && history.events(name).is_empty() {
        let why = unloaded(&registry, &registry.findings, name);
        if let Some(first) = why.first() {
            // There is a file, but it neither loads nor has a history yet.
            return Ok(format!(
                "{name}: {} is not committed yet, and it does not load ({}); run `privet check`\n",
                registry.sources.path(&first.file),
                first.rule.id
            ));
        }
        return Err(no_proposal(&registry, name));
    }
    let current = current.as_ref().map(|(f, d)| (f.as_str(), d.as_str()));
    Ok(match format {
        Format::Json => format!("{}\n", resolve::story::json(history, name, current)),
        _ => resolve::story::human(history, name, current),
    })
}

/// `privet review NAME`: the review request of one metric as Markdown,
/// from a check of the whole registry (history when there is one, sample
/// payloads built from the proposals' declared domains).
pub fn review(dir: &Path, name: &str) -> Result<String, CommandError> {
    let checked = check(
        dir,
        &Options {
            samples: Samples::Model,
            ..Options::default()
        },
    )?;
    let p = find_proposal(&checked.registry, name)?;
    Ok(crate::review::markdown(
        &checked.registry,
        &checked.provenance,
        &checked.findings,
        p,
    ))
}

/// `privet new`: scaffolds `proposals/NAME.toml` under the registry root
/// `dir`; owners default to `$USER`, the event to `heartbeat` or the first
/// configured one. Returns what to print.
pub fn new_proposal(
    dir: &Path,
    name: &str,
    mut owners: Vec<String>,
    mut events: Vec<String>,
) -> Result<String, CommandError> {
    if let Some(problem) = name_problem(name) {
        return Err(
            CommandError::usage(format!("`{name}` is not a valid metric name: {problem}"))
                .help(format!("try `privet new {}`", snake_case(name))),
        );
    }
    if !dir.is_dir() {
        return Err(CommandError::usage(format!(
            "`{}` is not a directory: pass the registry root (--dir), where privet.toml and proposals/ are",
            display(dir)
        )));
    }
    // Read the configuration for the proposals directory and events; its
    // problems are `privet check`'s business.
    // `--dir` may name the registry root or its proposals directory (as
    // `check` takes either): the proposal goes where the registry keeps
    // them, never into `proposals/proposals/`.
    let located = load::locate(dir)
        .ok()
        .filter(|(root, inside)| inside.is_some() && root.join(crate::config::FILE_NAME).is_file());
    let (dir, inside) = match &located {
        Some((root, inside)) => (root.as_path(), inside.clone()),
        None => (dir, None),
    };
    let config = load::load_config(dir, &mut Default::default(), &mut Vec::new());
    let proposals_dir = inside.unwrap_or_else(|| dir.join(&config.proposals));
    if let Some(existing) = find_file(&proposals_dir, &format!("{name}.toml"), 0) {
        return Err(CommandError::usage(format!(
            "`{name}` already exists: {}",
            display(&existing)
        ))
        .help("a metric is its file name, wherever it is under the proposals directory: edit that one, or choose another name"));
    }
    if owners.is_empty() {
        // Who is writing it: git's user.name (user.email), else the login name.
        let git = git2::Repository::discover(dir)
            .and_then(|r| r.config())
            .ok()
            .and_then(|c| {
                let name = c.get_string("user.name").ok()?;
                Some(match c.get_string("user.email") {
                    Ok(email) => format!("{name} <{email}>"),
                    Err(_) => name,
                })
            });
        owners.extend(git.or_else(|| {
            ["USER", "USERNAME"]
                .iter()
                .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        }));
    }
    let no_owner = if owners.is_empty() {
        "note: no owner given (--owner), and neither git's user.name nor $USER is set: fill in `owners`\n"
    } else {
        ""
    };
    if events.is_empty() {
        let default = config
            .events
            .iter()
            .find(|e| *e == "heartbeat")
            .or(config.events.first())
            .cloned()
            .unwrap_or_else(|| "heartbeat".into());
        events.push(default);
    }
    let text = scaffold::render(&scaffold::Scaffold {
        name,
        owners: &owners,
        events: &events,
        expires: Date::today().add_days(365),
        schema: generate::editor::schema_directive(
            &config,
            &Path::new(&config.proposals).join(format!("{name}.toml")),
        ),
    });
    let path = proposals_dir.join(format!("{name}.toml"));
    if !crate::files::stays_inside(dir, &path) {
        return Err(CommandError::usage(format!(
            "refusing to create {}: the proposals directory leads outside the registry through a symlink",
            display(&path)
        ))
        .help("replace the link with the directory of proposals"));
    }
    match crate::files::create_new(&path, &text) {
        Ok(()) => Ok(format!(
            "created {}\n{no_owner}answer its checklist questions, then run `privet check` to see what is still open\n",
            display(&path)
        )),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(CommandError::usage(format!(
                "{} already exists; privet new never overwrites a proposal",
                display(&path)
            ))
            .help("edit it, or choose another name"))
        }
        Err(e) => Err(CommandError::usage(format!(
            "cannot write {}: {e}",
            display(&path)
        ))),
    }
}

/// The first file named `file` under `dir` (not in hidden directories).
fn find_file(dir: &Path, file: &str, depth: usize) -> Option<PathBuf> {
    if depth > load::MAX_DEPTH {
        return None;
    }
    let direct = dir.join(file);
    if direct.is_file() {
        return Some(direct);
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    subdirs.iter().find_map(|d| find_file(d, file, depth + 1))
}

/// `privet explain`: every rule, one per line, or one rule's documentation.
pub fn explain(rule: Option<&str>) -> Result<String, CommandError> {
    let Some(id) = rule else {
        return Ok(rules::ALL
            .iter()
            .map(|r| format!("{:<24}{:<9}{}\n", r.id, r.severity.as_str(), r.summary))
            .collect());
    };
    match rules::find(id) {
        Some(r) => Ok(docs::explain(r)),
        None => {
            let mut e = CommandError::usage(format!("no rule named `{id}`"));
            if let Some(best) = rules::closest(id) {
                e = e.help(format!("did you mean `{best}`?"));
            }
            Err(e.help("`privet explain` lists every rule"))
        }
    }
}

/// `privet scan`: scans each file (`-` is standard input) for personal
/// data and prints the findings; returns the exit code (0 nothing found,
/// 1 findings, 2 unreadable input or invalid JSON).
pub fn run_scan(
    files: &[PathBuf],
    registry: Option<&Path>,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let start = Instant::now();
    let mut settings = crate::pii::Settings::default();
    if let Some(dir) = registry {
        if !dir.is_dir() {
            let _ = writeln!(
                err,
                "error: --registry {}: not a directory (pass the registry root, which holds privet.toml)",
                display(dir)
            );
            return EXIT_USAGE;
        }
        // Only the public hosts matter here; the configuration's other
        // problems are `privet check`'s business.
        let config = load::load_config(dir, &mut Default::default(), &mut Vec::new());
        settings = config.pii;
    }
    let (mut found, mut invalid, mut unreadable, mut payloads, mut bytes) =
        (0usize, 0usize, false, 0usize, 0usize);
    let mut sarif_results: Vec<String> = Vec::new();
    for path in files {
        let Some((shown, mut input)) = open_input(path, err, &mut unreadable) else {
            continue;
        };
        // JSON Lines are read and scanned a block of whole lines at a time,
        // so memory is bounded by the block (or the longest line), not by
        // the file. Documents that span lines are read whole.
        let mut first_line = 0usize;
        let mut first = true;
        loop {
            let raw = match read_lines(&mut input, SCAN_BLOCK_BYTES) {
                Ok(raw) => raw,
                Err(e) => {
                    let _ = writeln!(err, "error: cannot read {shown}: {e}");
                    unreadable = true;
                    break;
                }
            };
            if raw.is_empty() {
                break;
            }
            bytes += raw.len();
            let newlines = raw.iter().filter(|&&b| b == b'\n').count();
            let mut text = decode_utf8(&shown, raw, first_line, "scanned", err, &mut unreadable);
            if first && text.starts_with('\u{feff}') {
                // A byte-order mark (Windows tools write one) is not JSON, but
                // the JSON spec lets a reader ignore it; a space keeps every
                // character column where it was.
                text.replace_range(..'\u{feff}'.len_utf8(), " ");
            }
            let mut scanned = scan::scan(&text, &settings);
            if first && scanned.documents {
                // Pretty-printed documents: the rest of the file belongs
                // with this block.
                let mut rest = Vec::new();
                if let Err(e) = input.read_to_end(&mut rest) {
                    let _ = writeln!(err, "error: cannot read {shown}: {e}");
                    unreadable = true;
                }
                if !rest.is_empty() {
                    bytes += rest.len();
                    let rest = decode_utf8(
                        &shown,
                        rest,
                        first_line + newlines,
                        "scanned",
                        err,
                        &mut unreadable,
                    );
                    text.push_str(&rest);
                    scanned = scan::scan(&text, &settings);
                }
            }
            first = false;
            for f in &mut scanned.findings {
                f.line += first_line;
            }
            payloads += scanned.payloads;
            for e in &scanned.errors {
                let _ = writeln!(
                    err,
                    "error: {shown}:{}:{}: invalid JSON: {}",
                    e.line + first_line,
                    e.column,
                    e.message
                );
            }
            invalid += scanned.errors.len();
            found += scanned.findings.len();
            if format == Format::Sarif {
                sarif_results.extend(
                    scanned
                        .findings
                        .iter()
                        .map(|f| report::scan_sarif_result(&shown, f).to_string()),
                );
            } else {
                let _ = out.write_all(
                    report::scan_lines(&shown, &text, first_line, &scanned.findings, format)
                        .as_bytes(),
                );
            }
            first_line += newlines;
        }
    }
    if format == Format::Sarif {
        let _ = writeln!(out, "{}", report::scan_sarif_text(&sarif_results));
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = writeln!(
        err,
        "privet scan: {found} finding{} in {payloads} payload{} ({:.1} MB in {:.0} ms)",
        if found == 1 { "" } else { "s" },
        if payloads == 1 { "" } else { "s" },
        bytes as f64 / 1e6,
        secs * 1e3
    );
    if unreadable || invalid > 0 {
        EXIT_USAGE
    } else if found > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

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
    write_all_or_nothing(
        import
            .proposals
            .iter()
            .zip(&targets)
            .map(|(p, t)| (t.as_path(), p.text.as_bytes())),
    )?;
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

/// Writes every `(path, bytes)` or none: each goes to a temporary file
/// beside its target first, and only when all are written are they renamed
/// into place. On failure the temporary files (and directories this call
/// created) are removed.
fn write_all_or_nothing<'a>(
    files: impl Iterator<Item = (&'a Path, &'a [u8])>,
) -> Result<(), CommandError> {
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let undo = |staged: &[(PathBuf, &Path)], created: &[PathBuf]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
        for d in created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    };
    for (target, bytes) in files {
        if let Some(parent) = target.parent() {
            let mut missing: Vec<PathBuf> = parent
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
                .map(Path::to_path_buf)
                .collect();
            missing.reverse();
            if let Err(e) = std::fs::create_dir_all(parent) {
                undo(&staged, &created_dirs);
                return Err(CommandError::usage(format!(
                    "cannot create {}: {e}; nothing written",
                    display(parent)
                )));
            }
            created_dirs.extend(missing);
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = target.with_file_name(format!(".{name}.{}.import", std::process::id()));
        if let Err(e) = std::fs::write(&tmp, bytes) {
            let _ = std::fs::remove_file(&tmp);
            undo(&staged, &created_dirs);
            return Err(CommandError::usage(format!(
                "cannot write {}: {e}; nothing written",
                display(target)
            )));
        }
        staged.push((tmp, target));
    }
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            undo(&staged[i..], &[]);
            return Err(CommandError::usage(format!(
                "cannot write {}: {e}; {i} of {} proposals were written before it",
                display(target),
                staged.len()
            )));
        }
    }
    Ok(())
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

/// `privet validate`: payloads that arrived, checked against the registry
/// in `dir`. Exit codes as `scan`: 0 all valid, 1 problems, 2 unreadable
/// input or registry.
pub fn run_validate(
    dir: &Path,
    files: &[PathBuf],
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
    let validator = crate::validate::Validator::new(&registry.proposals, &registry.config);
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

/// The bytes of an input file (`-` is standard input) and its name as
/// shown; a file that cannot be read is reported and sets `unreadable`.
fn read_input(
    path: &Path,
    err: &mut dyn Write,
    unreadable: &mut bool,
) -> Option<(String, Vec<u8>)> {
    let stdin = path.as_os_str() == "-";
    let shown = if stdin {
        "<stdin>".to_string()
    } else {
        display(path)
    };
    let mut raw = Vec::new();
    let read = if stdin {
        std::io::stdin().read_to_end(&mut raw).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut raw).map(|_| ()))
    };
    match read {
        Ok(()) => Some((shown, raw)),
        Err(e) => {
            let _ = writeln!(err, "error: cannot read {shown}: {e}");
            *unreadable = true;
            None
        }
    }
}

/// Bytes of JSON Lines `privet scan` reads and scans at a time.
const SCAN_BLOCK_BYTES: usize = 8 << 20;

/// A file (or `-`, standard input) opened for reading, and its name as
/// shown; a file that cannot be opened is reported and sets `unreadable`.
fn open_input(
    path: &Path,
    err: &mut dyn Write,
    unreadable: &mut bool,
) -> Option<(String, Box<dyn std::io::BufRead>)> {
    if path.as_os_str() == "-" {
        return Some((
            "<stdin>".to_string(),
            Box::new(std::io::BufReader::new(std::io::stdin())),
        ));
    }
    let shown = display(path);
    match std::fs::File::open(path) {
        Ok(f) => Some((shown, Box::new(std::io::BufReader::new(f)))),
        Err(e) => {
            let _ = writeln!(err, "error: cannot read {shown}: {e}");
            *unreadable = true;
            None
        }
    }
}

/// Whole lines from `input`: at least `block` bytes unless the input ends
/// first, and then on to the end of the line (empty at the end of input).
fn read_lines(input: &mut dyn std::io::BufRead, block: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(block.min(1 << 20));
    while out.len() < block {
        if input.read_until(b'\n', &mut out)? == 0 {
            break;
        }
    }
    Ok(out)
}

/// `raw` as text. Every invalid UTF-8 run is reported at its line and
/// column (the first ten) and replaced, so one bad byte does not hide what
/// is around it; it sets `unreadable`. `done` says what happens to the rest
/// ("scanned", "checked").
fn decode_utf8(
    shown: &str,
    raw: Vec<u8>,
    first_line: usize,
    done: &str,
    err: &mut dyn Write,
    unreadable: &mut bool,
) -> String {
    match String::from_utf8(raw) {
        Ok(t) => t,
        Err(e) => {
            let raw = e.into_bytes();
            let mut text = String::with_capacity(raw.len());
            let mut bad = Vec::new();
            for chunk in raw.utf8_chunks() {
                text.push_str(chunk.valid());
                if !chunk.invalid().is_empty() {
                    bad.push(text.len());
                    text.push(char::REPLACEMENT_CHARACTER);
                }
            }
            for &at in bad.iter().take(10) {
                let (line, column) = diagnostic::line_col(&text, at);
                let line = line + first_line;
                let _ = writeln!(
                    err,
                    "error: {shown}:{line}:{column}: not valid UTF-8 ({done} with the bytes replaced)"
                );
            }
            if bad.len() > 10 {
                let _ = writeln!(
                    err,
                    "error: {shown}: {} more invalid UTF-8 sequences",
                    bad.len() - 10
                );
            }
            *unreadable = true;
            text
        }
    }
}

/// `privet init`: a new registry in `dir` (created if missing): a commented
/// `privet.toml`, a first proposal, the schemas directory and CI recipes
/// (GitHub Actions, GitLab CI, pre-commit). Refuses, writing nothing, when
/// any of those files exists.
pub fn init(dir: &Path) -> Result<String, CommandError> {
    if dir.exists() && !dir.is_dir() {
        return Err(CommandError::usage(format!(
            "`{}` is a file, not a directory",
            display(dir)
        )));
    }
    let who = {
        let config = git2::Repository::discover(dir)
            .and_then(|r| r.config())
            .or_else(|_| git2::Config::open_default());
        let get = |key: &str| {
            config
                .as_ref()
                .ok()
                .and_then(|c| c.get_string(key).ok())
                .filter(|v| !v.trim().is_empty())
        };
        crate::init::Identity {
            name: get("user.name"),
            email: get("user.email"),
        }
    };
    let files = crate::init::files(&who, Date::today());
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| std::fs::symlink_metadata(dir.join(path)).is_ok())
        .map(|(path, _)| path.clone())
        .collect();
    // A committed link (`schemas/` to elsewhere) would have init write
    // outside the directory it was given.
    if let Some((path, _)) = files
        .iter()
        .find(|(path, _)| !crate::files::stays_inside(dir, &dir.join(path)))
    {
        return Err(CommandError::usage(format!(
            "refusing to write {}: through a symlink it leads outside {}",
            display(&dir.join(path)),
            display(dir)
        ))
        .help("replace the link with a directory"));
    }
    if !existing.is_empty() {
        return Err(CommandError::usage(format!(
            "{} already exist{} in {}; privet init never overwrites a file",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            display(dir)
        ))
        .help("move them aside, or init another directory"));
    }
    let mut written = Vec::new();
    for (path, contents) in &files {
        let target = dir.join(path);
        if let Err(e) = crate::files::create_new(&target, contents) {
            // Take back what this run wrote: init happens whole or not at all.
            for done in &written {
                let _ = std::fs::remove_file(dir.join(done));
            }
            return Err(CommandError::usage(format!(
                "cannot write {}: {e}",
                display(&target)
            )));
        }
        written.push(path.clone());
    }
    let mut out = format!("initialized a privet registry in {}:\n", display(dir));
    for path in &written {
        out.push_str(&format!("  created {path}\n"));
    }
    out.push_str(
        "next:\n  1. list your reviewers and their commit emails under [review.reviewers] in privet.toml\n  \
         2. answer the checklist in proposals/installation_size.toml (`privet check` lists what is open)\n  \
         3. commit; a reviewer approves with `privet approve installation_size --by HANDLE` and commits that\n  \
         4. `privet generate` writes the JSON Schemas; CI runs `privet audit` and `privet generate --check`\n",
    );
    Ok(out)
}

/// Overrides of `[generate]` from the command line.
#[derive(Clone, Debug, Default)]
pub struct GenerateOverrides {
    pub schemas: Option<String>,
    pub crate_dir: Option<String>,
    pub crate_name: Option<String>,
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
    let outputs = generate::outputs(&registry);
    let root = registry.root.clone();
    let mut out = String::new();
    if let Some(page) = &registry.config.page
        && !outputs
            .files
            .iter()
            .any(|o| o.path == Path::new(&format!("{}.md", page.path)))
    {
        out.push_str(&format!(
            "note: the transparency page ({}.md, .html) names the commit that introduced each metric: without git history it is neither written nor checked\n",
            page.path
        ));
    }
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
