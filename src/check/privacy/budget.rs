//! The re-identification budget: what one event's payload can carry, over
//! every live metric that ships in it.

use crate::bits::{field_bits, metric_bits};
use crate::diagnostic::Diagnostic;
use crate::load::Registry;
use crate::model::Proposal;
use crate::rules::{Rule, Severity};
use crate::shipping::{blamed, shippable};

use super::information::{CHOICES, EPSILON, choice_fields};

/// Most independent yes-or-no choices the metrics of one event may send
/// together. One list of public items is read as uniform choices, and 32
/// of them are a fingerprint ([`CHOICES`]); the lists of a product's
/// several metrics (its modules, its transports, its backends) are
/// correlated and skewed (most installations keep most defaults), so a
/// payload's declared choices carry well under a bit each: twice the
/// bound of one list, 64, is the scale of the same 2^32. A list dealt over
/// metrics to pass the bound of one (80 plugins over four metrics) is
/// beyond it.
const EVENT_CHOICES: usize = 2 * CHOICES;

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
           every metric's share, largest first. Whatever the budget, an event's metrics \
           together may send at most 64 independent yes-or-no choices (a set's items, a \
           map of bools' keys, bool fields), twice the bound `metric-information` sets for \
           one list (a product's several lists are correlated and skewed, so their choices \
           carry less than a bit each): the plugins of one list dealt over several metrics \
           of one payload are one fingerprint. That finding goes to each metric of the \
           event that sends choices and is not approved, at its field with the most.",
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
        for &(_, p) in blamed(&b.shares, |s| s.1, &registry.config) {
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

/// A metric's part of an event's choices: the metric, its fields with
/// choices and how many each sends, and their sum.
type Share<'r> = (&'r Proposal, &'r [(&'r crate::model::Field, usize)], usize);

/// Checks that the metrics of each event together send at most
/// [`EVENT_CHOICES`] yes-or-no choices: one list of plugins dealt over several
/// metrics of one payload is one fingerprint. A metric over the bound
/// alone is `metric-information`'s finding; here, an event whose metrics
/// are each within it and together beyond.
pub fn check_choices(registry: &Registry, out: &mut Vec<Diagnostic>) {
    let live: Vec<_> = registry
        .proposals
        .iter()
        .filter(|p| p.is_live())
        .map(|p| {
            let fields = choice_fields(p);
            let n = fields.iter().map(|f| f.1).sum();
            (p, fields, n)
        })
        .filter(|&(_, _, n)| n > 0 && n <= CHOICES)
        .collect();
    for event in &registry.config.events {
        let mut shares: Vec<Share<'_>> = live
            .iter()
            .filter(|(p, _, _)| p.events.iter().any(|e| e.value == *event))
            .map(|(p, fields, n)| (*p, fields.as_slice(), *n))
            .collect();
        let total: usize = shares.iter().map(|s| s.2).sum();
        if shares.len() < 2 || total <= EVENT_CHOICES {
            continue;
        }
        shares.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.name.cmp(&b.0.name)));
        let list: Vec<String> = shares
            .iter()
            .take(BUDGET_SHARES_LISTED)
            .map(|(p, _, n)| format!("{} {n}", p.name))
            .collect();
        for (p, fields, n) in blamed(&shares, |s| s.0, &registry.config) {
            let (field, most) = fields
                .iter()
                .max_by_key(|f| f.1)
                .copied()
                .expect("a metric with choices has a field with them");
            out.push(
                Diagnostic::new(
                    &REIDENTIFICATION_BUDGET,
                    p.file,
                    field.name.span.clone(),
                    format!(
                        "the `{event}` payload sends {total} independent yes-or-no choices over its metrics ({n} from `{}`, {most} in `{}`): combinations of so many public items single out one installation (a fingerprint); the bound is {EVENT_CHOICES}",
                        p.name, field.name.value
                    ),
                )
                .label(format!("{most} choices"))
                .help(format!(
                    "every metric of `{event}` that sends choices, most first: {}; send the few items the question is about, count them instead of naming them, or send the lists in events nobody can link; no [budget] raises this bound",
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

#[cfg(test)]
mod tests {
    use crate::load::from_texts;

    fn plugins(name: &str, event: &str, first: usize, n: usize) -> (String, String) {
        let values: Vec<String> = (first..first + n).map(|i| format!("\"p{i}\"")).collect();
        (
            format!("proposals/{name}.toml"),
            format!(
                "summary = \"s\"\nowners = [\"o\"]\nevents = [\"{event}\"]\nexpires = 2030-01-01\nstatus = \"proposed\"\n[fields.enabled]\ntype = \"set\"\nvalues = [{}]\n",
                values.join(", ")
            ),
        )
    }

    fn findings(files: &[(String, String)]) -> Vec<String> {
        let texts: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let registry = from_texts(None, &texts);
        let mut out = Vec::new();
        super::check_choices(&registry, &mut out);
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn one_list_of_choices_dealt_over_metrics_of_a_payload_is_one_fingerprint() {
        // Four metrics of twenty plugins each, one payload: 80 choices.
        let dealt: Vec<_> = (0..4)
            .map(|i| plugins(&format!("modules_{i}"), "heartbeat", i * 20, 20))
            .collect();
        let found = findings(&dealt);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(
            found[0].contains("sends 80 independent yes-or-no choices"),
            "{}",
            found[0]
        );
        // The same lists in payloads nobody links by event are each within
        // the bound, and so is a payload of 32.
        let apart = [
            plugins("a", "install", 0, 20),
            plugins("b", "heartbeat", 20, 20),
        ];
        assert!(findings(&apart).is_empty());
        let within = [
            plugins("a", "heartbeat", 0, 30),
            plugins("b", "heartbeat", 30, 30),
        ];
        assert!(findings(&within).is_empty());
    }
}
