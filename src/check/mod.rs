//! Stage 3, check: rules over the loaded registry.
//!
//! It takes the loaded registry (stage 1) and the provenance resolved from
//! git (stage 2, used by the provenance rules) and returns findings.
//! Each submodule is one rule family; see `rules` for the declarations.

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::load::Registry;
use crate::model::Proposal;
use crate::resolve::Provenance;

pub mod anchors;
pub mod checklist;
pub mod example;
pub mod fields;
pub mod lifecycle;
pub mod naming;
pub mod privacy;
pub mod provenance;
pub mod samples;

pub use samples::Samples;

/// What the rules may depend on besides the registry and its provenance.
#[derive(Clone, Debug)]
pub struct Options {
    /// The date expiry is judged against (fixed in tests).
    pub today: Date,
    /// Whether sample payloads are scanned (`sample-pii`), and where they come from.
    pub samples: Samples,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            today: Date::today(),
            samples: Samples::Off,
        }
    }
}

/// Runs every rule family over `registry`, with the history `provenance`
/// holds; returns the findings, registry-wide ones first, then each
/// proposal's in registry order.
pub fn run(registry: &Registry, provenance: &Provenance, options: &Options) -> Vec<Diagnostic> {
    run_reusing(registry, provenance, options, &|_| None).findings
}

/// What [`run_reusing`] found.
pub struct Found {
    /// Every finding, as [`run`] returns them.
    pub findings: Vec<Diagnostic>,
    /// For each proposal, in registry order, the findings of the rules
    /// about it alone ([`proposal_rules`]): what a memo keeps.
    pub local: Vec<Vec<Diagnostic>>,
    /// How many proposals' local findings were reused.
    pub reused: usize,
}

/// [`run`], taking the findings of the rules about one proposal alone from
/// `reuse` when it has them (the memo of an earlier run, for a proposal
/// whose text and check context are unchanged). Rules that read history or
/// compare proposals with each other always run.
pub fn run_reusing(
    registry: &Registry,
    provenance: &Provenance,
    options: &Options,
    reuse: &(dyn Fn(&Proposal) -> Option<Vec<Diagnostic>> + Sync),
) -> Found {
    let mut findings: Vec<Diagnostic> = Vec::new();
    naming::check_registry(registry, &mut findings);
    privacy::check_budget(registry, &mut findings);
    privacy::check_choices(registry, &mut findings);
    privacy::check_quasi_identifiers(registry, &mut findings);
    privacy::resolution::check_across(registry, &mut findings);
    privacy::joint::check_across(registry, &mut findings);
    privacy::places::check_across(registry, &mut findings);
    samples::check_events(registry, &options.samples, &mut findings);
    let per_proposal = crate::parallel::par_map(&registry.proposals, |p| {
        let (local, reused) = match reuse(p) {
            Some(local) => (local, true),
            None => (proposal_rules(registry, p, options), false),
        };
        let mut history = Vec::new();
        provenance::check(p, &registry.config, provenance, &mut history);
        (local, history, reused)
    });
    let mut local = Vec::with_capacity(per_proposal.len());
    let mut reused = 0;
    for (mine, history, was_reused) in per_proposal {
        findings.extend(mine.iter().cloned());
        findings.extend(history);
        local.push(mine);
        reused += usize::from(was_reused);
    }
    Found {
        findings,
        local,
        reused,
    }
}

/// The rules about proposal `p` alone: what they find depends only on its
/// text, `privet.toml`, the date and how samples are built.
pub fn proposal_rules(registry: &Registry, p: &Proposal, options: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    naming::check(p, &registry.sources, &mut out);
    checklist::check(p, &registry.config, &mut out);
    fields::check(p, &registry.config, &mut out);
    example::check(p, &mut out);
    privacy::check(p, &registry.config, &mut out);
    lifecycle::check(p, &registry.config, options.today, &mut out);
    samples::check(
        p,
        registry.config.thresholds.sample_cases,
        &options.samples,
        &registry.config.pii,
        &mut out,
    );
    out
}
