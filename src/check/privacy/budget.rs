//! The re-identification budget: what one event's payload can carry, over
//! every live metric that ships in it.

use crate::bits::{field_bits, metric_bits};
use crate::diagnostic::Diagnostic;
use crate::load::Registry;
use crate::model::Proposal;
use crate::rules::{Rule, Severity};
use crate::shipping::shippable;

use super::information::EPSILON;

pub const REIDENTIFICATION_BUDGET: Rule = Rule {
    id: "reidentification-budget",
    family: "privacy",
    severity: Severity::Error,
    summary: "an event payload can carry more identifying bits than the budget",
    what: "An event whose live metrics together carry more bits (the sum over their \
           fields, see `field-information`) than `thresholds.max_bits_per_event` (default \
           160). No proposal can raise an event's budget: a `[budget]` raises only its own \
           metric's allowance. The finding goes to every metric in the event that is not \
           approved for its current definition (the ones a reviewer can still send back), \
           at its largest field; when all are approved, to the largest. Its help lists \
           every metric's share, largest first.",
    why: "Each field alone may be coarse, but together they can make one installation's \
          payload unique (33 bits are enough to single out anyone on Earth). The budget \
          makes the total visible and forces a decision on what to coarsen.",
    example: "# privet.toml\n[thresholds]\nmax_bits_per_event = 64",
};

/// What one event's payload can carry: each live metric's share.
struct EventBudget<'r> {
    event: &'r str,
    /// `(bits, proposal)`, one per metric in the event.
    shares: Vec<(f64, &'r Proposal)>,
    budget: f64,
}

impl EventBudget<'_> {
    fn total(&self) -> f64 {
        self.shares.iter().map(|s| s.0).sum()
    }
}

/// The budget of every configured event, over the live proposals it carries.
fn event_budgets(registry: &Registry) -> Vec<EventBudget<'_>> {
    let budget = f64::from(registry.config.thresholds.max_bits_per_event);
    // Each live metric's bits once (a pattern's are counted on its
    // automaton), however many events carry it.
    let live: Vec<(f64, &Proposal)> = registry
        .proposals
        .iter()
        .filter(|p| p.is_live())
        .map(|p| (metric_bits(p), p))
        .collect();
    registry
        .config
        .events
        .iter()
        .map(|event| EventBudget {
            event,
            shares: live
                .iter()
                .filter(|(_, p)| p.events.iter().any(|e| e.value == *event))
                .copied()
                .collect(),
            budget,
        })
        .collect()
}

/// The field of `p` that carries the most bits (where a budget finding points).
fn largest_field(p: &Proposal) -> Option<&crate::model::Field> {
    p.fields
        .iter()
        .filter_map(|f| f.ty.as_ref().map(|ty| (f, field_bits(&ty.value))))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(f, _)| f)
}

/// How many metrics a `reidentification-budget` finding names, largest
/// share first.
const BUDGET_SHARES_LISTED: usize = 12;

/// Checks every event's payload against the budget. The finding goes to
/// each metric of the event not approved for its current definition, or,
/// when all are, to the largest.
pub fn check_budget(registry: &Registry, out: &mut Vec<Diagnostic>) {
    for mut b in event_budgets(registry) {
        let total = b.total();
        if total <= b.budget + EPSILON {
            continue;
        }
        b.shares
            .sort_by(|a, c| c.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&c.1.name)));
        // The largest shares name the metrics worth coarsening; an event
        // of thousands of metrics must not put all of them in each of its
        // findings (that is quadratic in the registry).
        let mut list: Vec<String> = b
            .shares
            .iter()
            .take(BUDGET_SHARES_LISTED)
            .map(|(bits, p)| {
                let state = if shippable(p, &registry.config) {
                    "approved"
                } else {
                    "not approved"
                };
                format!(
                    "{} {bits:.1} ({:.0}%, {state})",
                    p.name,
                    bits / total * 100.0
                )
            })
            .collect();
        if b.shares.len() > BUDGET_SHARES_LISTED {
            let rest = &b.shares[BUDGET_SHARES_LISTED..];
            let rest_bits: f64 = rest.iter().map(|s| s.0).sum();
            list.push(format!(
                "and {} more metrics with {rest_bits:.1} bits together",
                rest.len()
            ));
        }
        let pending: Vec<&Proposal> = b
            .shares
            .iter()
            .map(|s| s.1)
            .filter(|p| !shippable(p, &registry.config))
            .collect();
        let blamed = if pending.is_empty() {
            b.shares.first().map(|s| s.1).into_iter().collect()
        } else {
            pending
        };
        for p in blamed {
            let span = largest_field(p).map_or(0..0, |f| f.name.span.clone());
            let mine = metric_bits(p);
            out.push(
                Diagnostic::new(
                    &REIDENTIFICATION_BUDGET,
                    p.file,
                    span,
                    format!(
                        "the `{}` payload can carry {total:.1} identifying bits with `{}`'s {mine:.1}; the budget is {}",
                        b.event, p.name, b.budget
                    ),
                )
                .help(format!(
                    "every metric in `{}`, largest share first: {}; coarsen or drop fields, or move the metric to another event (only privet.toml's max_bits_per_event raises the budget)",
                    b.event,
                    list.join(", ")
                ))
                .metric(&p.name),
            );
        }
    }
}

/// The budget picture of every event, for reports: `(event, total bits, budget)`.
pub fn budget_summary(registry: &Registry) -> Vec<(String, f64, f64)> {
    event_budgets(registry)
        .into_iter()
        .map(|b| (b.event.to_string(), b.total(), b.budget))
        .collect()
}
