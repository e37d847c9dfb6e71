//! Which metrics are generated and which ship in the event payloads. The
//! generated code, the audit's summary and the reports all decide it here.

use crate::model::{Proposal, Status};
use crate::names::{field_name_problem, name_problem};

/// A metric that can be generated: structurally sound, not rejected or retired.
pub fn generatable(p: &Proposal) -> bool {
    p.is_live()
        && name_problem(&p.name).is_none()
        && !p.fields.is_empty()
        && p.fields
            .iter()
            .all(|f| f.ty.is_some() && field_name_problem(&f.name.value).is_none())
}

/// Whether a generated metric is part of the event payloads: approved, and
/// the approval is of the current definition (its fingerprint matches).
/// Expiry is not considered here, so generated code does not change with the
/// date; the `expired` rule fails the audit instead.
pub fn shippable(p: &Proposal) -> bool {
    let approved = matches!(p.status.as_ref().map(|s| s.value), Some(Status::Approved));
    approved
        && p.approval
            .as_ref()
            .and_then(|a| a.fingerprint.as_ref())
            .is_some_and(|f| f.value == crate::fingerprint::fingerprint(p))
}

/// The proposals that are generated: structurally sound, not rejected or
/// retired, one per name, sorted by name.
pub fn generated_proposals(proposals: &[Proposal]) -> Vec<&Proposal> {
    let mut ps: Vec<&Proposal> = proposals.iter().filter(|p| generatable(p)).collect();
    ps.sort_by(|a, b| a.name.cmp(&b.name));
    ps.dedup_by(|a, b| a.name == b.name);
    ps
}
