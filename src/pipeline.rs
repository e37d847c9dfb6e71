//! The pipeline as a library: the stages composed top to bottom (load →
//! resolve → check → generate → report), each stage's typed output passed
//! to the next. What `privet check` and the audit run, and what the
//! commands (`crate::commands`, one file each) and `cargo xtask` build on.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::check::{self, Samples};
use crate::date::Date;
use crate::diagnostic::{self, Diagnostic};
use crate::generate;
use crate::load::{self, FatalError, Registry};
use crate::model::Proposal;
use crate::report::{self, AuditSummary, Format};
use crate::resolve::{self, HistoryMode, Provenance, Resolved};

/// How a check or an audit runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The date expiry is judged against (fixed in tests).
    pub today: Date,
    /// Whether git history is read, and whether its absence is a finding.
    pub history: HistoryMode,
    /// Whether sample payloads are scanned, and where they come from.
    pub samples: Samples,
    /// The revision whose `privet.toml` holds the trust anchors (`privet
    /// audit --base REF`); `None`: this tree's own.
    pub base: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            today: Date::today(),
            history: HistoryMode::IfAvailable,
            samples: Samples::Off,
            base: None,
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

/// One run of privet over a registry, built once and passed down: the
/// directory it was pointed at, the repository holding it (discovered once,
/// for the memo, the history, the freshness record of generated files and
/// `--base`) and how it runs. The configuration, with the PII settings, is
/// loaded once by the load stage into [`Registry::config`] and travels with
/// the registry to every rule; nothing is kept in the process.
#[derive(Clone, Debug)]
pub struct Run {
    /// The directory the run was given (the registry root, or inside it).
    pub dir: PathBuf,
    /// The repository holding it; `None` outside git (history is then
    /// unavailable, and nothing is remembered between runs).
    pub repository: Option<resolve::Located>,
    pub options: Options,
}

impl Run {
    /// A run over the registry at `dir`: finds its repository, once.
    pub fn new(dir: &Path, options: Options) -> Run {
        Run {
            dir: dir.to_path_buf(),
            repository: resolve::locate(dir).ok(),
            options,
        }
    }

    /// Loads the registry and runs the resolve and check stages, reusing
    /// what the memo of the last run in the same clone holds for every
    /// proposal file unchanged since (see [`crate::memo`]).
    pub fn check(&self) -> Result<Checked, FatalError> {
        let memo = MemoRun::open(self.repository.as_ref());
        let registry = load::load_reusing(&self.dir, memo.as_ref().and_then(|m| m.memo.as_ref()))?;
        let resolved = resolve::run_in(&registry, self.options.history, self.repository.as_ref());
        let found = check_memoized(
            &registry,
            &resolved.provenance,
            &self.options.check(),
            memo.as_ref(),
        );
        Ok(Checked::new(registry, resolved, found.findings))
    }
}

/// [`Run::check`] of a new run over the registry at `dir`.
pub fn check(dir: &Path, options: &Options) -> Result<Checked, FatalError> {
    Run::new(dir, options.clone()).check()
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
    fn open(located: Option<&resolve::Located>) -> Option<MemoRun> {
        let git_dir = located?.git_dir.clone();
        let identity = crate::memo::build_identity();
        let memo = crate::memo::Memo::read(&git_dir, &identity, crate::catalog::ALL);
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
    pub fn print(
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

/// [`Run::audit`] of a new run over the registry at `root`.
pub fn audit(
    root: &Path,
    options: &Options,
    build: Option<&dyn MetricsBuild>,
) -> Result<Audited, String> {
    Run::new(root, options.clone()).audit(build)
}

impl Run {
    /// The audit: load, resolve, check, and the freshness of every
    /// generated file. With a `build` of the generated crate, sample
    /// payloads go through the generated types (when those are fresh);
    /// otherwise they are built from the proposals' declared domains and a
    /// note says so. Errors are usage or I/O errors (exit code 2).
    pub fn audit(&self, build: Option<&dyn MetricsBuild>) -> Result<Audited, String> {
        let root = self.dir.as_path();
        let located = self.repository.as_ref();
        let options = &self.options;
        let memo = MemoRun::open(located);
        let mut registry = load::load_reusing(root, memo.as_ref().and_then(|m| m.memo.as_ref()))
            .map_err(|e| e.to_string())?;
        let (anchors_note, anchor_findings) =
            trust_anchors(&mut registry, located, options.base.as_deref())?;
        let resolved = resolve::run_in(&registry, options.history, located);
        let checked_outputs =
            generate::stale_remembered(root, &registry, crate::catalog::ALL, located);
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
        notes.push(anchors_note);
        let expired: Vec<String> = crate::shipping::generated_proposals(&registry.proposals)
            .into_iter()
            .filter(|p| crate::shipping::shippable(p, &registry.config))
            .filter_map(|p| match p.expires.as_ref().map(|e| e.value) {
                Some(crate::model::Expiry::On(d)) if d <= options.today => {
                    Some(format!("{} (on {d})", p.name))
                }
                _ => None,
            })
            .collect();
        if !expired.is_empty() {
            notes.push(format!(
            "expired, stopped shipping: {} (validate rejects them in payloads sent from that day on)",
            expired.join(", ")
        ));
        }
        let summary = AuditSummary {
            budgets: check::privacy::budget_summary(&registry),
            notes,
        };
        let mut findings = found.findings;
        findings.extend(anchor_findings);
        let mut checked = Checked::new(registry, resolved, findings);
        // Stale files come last, after the sorted findings about the sources.
        checked
            .findings
            .extend(generate::findings(root, stale, fix));
        Ok(Audited { checked, summary })
    }
}

/// Where the trust anchors (reviewers, keys, quorum, thresholds, ceilings)
/// come from. With `base`, from that revision's `privet.toml`: `registry`'s
/// configuration takes them, and a change to them is `anchors-changed`
/// unless the base's reviewers signed it. Returns the report's note and
/// the findings; an unreadable base is a usage error.
fn trust_anchors(
    registry: &mut Registry,
    located: Option<&resolve::Located>,
    base: Option<&str>,
) -> Result<(String, Vec<Diagnostic>), String> {
    let Some(rev) = base else {
        return Ok((
            "trust anchors: this tree's privet.toml (no --base: reviewers, keys, quorum and limits are taken as this change writes them)".into(),
            Vec::new(),
        ));
    };
    let located =
        located.ok_or_else(|| format!("--base {rev}: the registry is not in a git repository"))?;
    let Some(text) = resolve::config_at(located, &registry.root, rev)
        .map_err(|e| format!("--base {rev}: {e}"))?
    else {
        // Nobody is trusted yet: no approval in this change counts.
        let none = crate::config::Config {
            anchors_source: format!("`{rev}`, which has no privet.toml"),
            ..crate::config::Config::default()
        };
        registry.config = registry.config.with_anchors_of(&none);
        return Ok((
            format!(
                "trust anchors: none (`{rev}` has no privet.toml here: this change adds the registry, and no approval in it counts until it is merged)"
            ),
            Vec::new(),
        ));
    };
    let (mut base, _) = load::config_from_text(&format!("privet.toml@{rev}"), &text);
    base.anchors_source = format!("privet.toml at `{rev}`");
    let head = registry.config.clone();
    registry.config = head.with_anchors_of(&base);
    let file = crate::diagnostic::FileRef::Path(crate::files::display(
        &registry.root.join(crate::config::FILE_NAME),
    ));
    let mut findings = Vec::new();
    check::anchors::check(&head, &base, rev, file, &mut findings);
    let how = if findings.is_empty() && check::anchors::changes(&head, &base).is_empty() {
        "unchanged here"
    } else if findings.is_empty() {
        "changed here, and the change is signed by its reviewers"
    } else {
        "changed here without its reviewers' signatures: anchors-changed"
    };
    Ok((
        format!("trust anchors: privet.toml at `{rev}` (--base; {how})"),
        findings,
    ))
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
