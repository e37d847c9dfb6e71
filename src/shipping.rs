//! Which metrics are generated and which ship in the event payloads. The
//! generated code, the audit's summary and the reports all decide it here.

use std::collections::BTreeSet;

use crate::config::{Approvals, Config};
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

/// Where a finding about several metrics together goes: to each of them
/// not approved for its current definition (the ones a reviewer can still
/// send back), or, when all are, to the first (`items` come in the order
/// the finding lists them).
pub fn blamed<'a, T>(
    items: &'a [T],
    proposal: impl Fn(&T) -> &Proposal,
    config: &Config,
) -> Vec<&'a T> {
    let pending: Vec<&T> = items
        .iter()
        .filter(|item| !shippable(proposal(item), config))
        .collect();
    if pending.is_empty() {
        items.first().into_iter().collect()
    } else {
        pending
    }
}

/// Whether a generated metric is part of the event payloads: approved; the
/// approval is of the current definition (its fingerprint matches); every
/// name it gives is a configured reviewer; as many distinct reviewers as
/// the quorum signed it off; and, with signed approvals (the default),
/// each of them holds a valid signature of this metric at this fingerprint
/// by one of that reviewer's keys. Decided from the files alone, so the
/// generated outputs are the same however the history was merged; what
/// only history can judge (who committed the approval) fails the audit.
/// Expiry is not considered here either, so generated code does not change
/// with the date; `expires-soon` warns ahead and `expired` fails the audit.
pub fn shippable(p: &Proposal, config: &Config) -> bool {
    let approved = matches!(p.status.as_ref().map(|s| s.value), Some(Status::Approved));
    let Some(approval) = p.approval.as_ref().filter(|_| approved) else {
        return false;
    };
    let current = approval
        .fingerprint
        .as_ref()
        .is_some_and(|f| f.value == crate::fingerprint::fingerprint(p));
    let by: BTreeSet<&str> = approval.by.iter().map(|b| b.value.as_str()).collect();
    current
        && !by.is_empty()
        && by.iter().all(|b| config.reviewers.iter().any(|r| r == b))
        && by.len() >= config.quorum
        && (config.approvals == Approvals::Commits
            || by
                .iter()
                .all(|b| approval.signed_by(&p.name, b, config.keys_of(b))))
}

/// The proposals that are generated: structurally sound, not rejected or
/// retired, one per name, sorted by name.
pub fn generated_proposals(proposals: &[Proposal]) -> Vec<&Proposal> {
    let mut ps: Vec<&Proposal> = proposals.iter().filter(|p| generatable(p)).collect();
    ps.sort_by(|a, b| a.name.cmp(&b.name));
    ps.dedup_by(|a, b| a.name == b.name);
    ps
}
