//! Stage 3, check: rules over the loaded registry.
//!
//! It takes the loaded registry (stage 1) and the provenance resolved from
//! git (stage 2, used by the provenance rules) and returns findings.
//! Each submodule is one rule family; see `rules` for the declarations.

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::load::Registry;
use crate::resolve::Provenance;

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
        provenance::check(p, &registry.config, provenance, &mut out);
        samples::check(
            p,
            registry.config.thresholds.sample_cases,
            &options.samples,
            &mut out,
        );
        out
    });
    out.extend(per_proposal.into_iter().flatten());
    out
}
