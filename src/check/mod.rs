//! Stage 3, check: rules over the loaded registry.
//!
//! It runs after stage 2 (`resolve`), whose history the provenance rules use.
//! Each submodule is one rule family; see `rules` for the declarations.

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::load::Registry;

pub mod checklist;
pub mod example;
pub mod fields;
pub mod lifecycle;
pub mod naming;
pub mod privacy;
pub mod provenance;
pub mod samples;

pub use samples::Samples;

/// What the rules may depend on besides the registry.
#[derive(Clone, Debug)]
pub struct Options {
    /// The date expiry is judged against (fixed in tests).
    pub today: Date,
    /// Whether git history is read, and whether its absence is an error.
    pub history: HistoryMode,
    /// Whether sample payloads are scanned (`sample-pii`), and where they come from.
    pub samples: Samples,
}

/// How the resolve stage treats git history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryMode {
    /// Do not read history.
    Skip,
    /// Read it when the registry is in a repository with commits; a
    /// shallow or broken repository is still a finding.
    IfAvailable,
    /// History is required (`cargo xtask audit`): its absence is a finding.
    Required,
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

/// Runs every rule family over `registry`, appending to `registry.diagnostics`,
/// then sorts all findings by file, position and rule.
pub fn run(registry: &mut Registry, options: &Options) {
    let mut out: Vec<Diagnostic> = Vec::new();
    naming::check_registry(registry, &mut out);
    privacy::check_budget(registry, &mut out);
    samples::check_events(registry, &options.samples, &mut out);
    let per_proposal = crate::parallel::par_map(&registry.proposals, |p| {
        let mut out = Vec::new();
        naming::check(p, &registry.sources, &mut out);
        checklist::check(p, &registry.config, &mut out);
        fields::check(p, &registry.config, &mut out);
        example::check(p, &mut out);
        privacy::check(p, &registry.config, &mut out);
        lifecycle::check(p, &registry.config, options.today, &mut out);
        provenance::check(p, registry, &mut out);
        samples::check(
            p,
            registry.config.thresholds.sample_cases,
            &options.samples,
            &mut out,
        );
        out
    });
    registry.diagnostics.append(&mut out);
    registry
        .diagnostics
        .extend(per_proposal.into_iter().flatten());
    let sources = &registry.sources;
    registry.diagnostics.sort_by(|a, b| {
        (
            sources.get(a.file).path.as_str(),
            a.span.start,
            a.rule.id,
            &a.message,
        )
            .cmp(&(
                sources.get(b.file).path.as_str(),
                b.span.start,
                b.rule.id,
                &b.message,
            ))
    });
}
