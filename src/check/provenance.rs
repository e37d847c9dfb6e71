//! Provenance rules (declared in `rules/provenance.rs`): approvals bound to
//! the definition they approved, no self-approval, no silent breaking change.

use crate::diagnostic::Diagnostic;
use crate::fingerprint;
use crate::load::{Provenance, Registry};
use crate::model::{Proposal, Status};
use crate::resolve::{Commit, History};
use crate::rules::provenance::{APPROVAL_STALE, BREAKING_CHANGE, SELF_APPROVAL, UNCOMMITTED};

pub fn check(p: &Proposal, registry: &Registry, out: &mut Vec<Diagnostic>) {
    let history = match &registry.provenance {
        Provenance::Available(h) => Some(h),
        _ => None,
    };
    if let Some(h) = history
        && !h.present.contains_key(&p.name)
    {
        out.push(
            Diagnostic::new(
                &UNCOMMITTED,
                p.file,
                0..0,
                format!("`{}` is not committed yet", p.name),
            )
            .help("commit it: the commit that adds it becomes its introducing commit")
            .metric(&p.name),
        );
    }
    let approved = p
        .status
        .as_ref()
        .is_some_and(|s| s.value == Status::Approved);
    let Some(approval) = p.approval.as_ref().filter(|a| approved && !a.by.is_empty()) else {
        return; // `approval-missing` covers an approved metric without approvers
    };

    let (current, definition) = crate::resolve::current(p);
    match &approval.fingerprint {
        None => out.push(
            Diagnostic::new(
                &APPROVAL_STALE,
                p.file,
                approval.span.clone(),
                "the approval records no fingerprint",
            )
            .label("approved what?")
            .help(format!(
                "a reviewer approves the current definition with `privet approve {} --by REVIEWER`",
                p.name
            ))
            .metric(&p.name),
        ),
        Some(fp) if fp.value != current => {
            let (when, what) = stale_detail(p, history, &fp.value, &definition);
            let mut help = format!(
                "review the change, then a reviewer approves it again: `privet approve {} --by REVIEWER`",
                p.name
            );
            if !what.is_empty() {
                help = format!("{}; {help}", what.join("; "));
            }
            out.push(
                Diagnostic::new(
                    &APPROVAL_STALE,
                    p.file,
                    fp.span.clone(),
                    format!("the definition changed after it was approved ({when})"),
                )
                .label(format!(
                    "approved {}, now {}",
                    short(&fp.value),
                    short(&current)
                ))
                .help(help)
                .metric(&p.name),
            );
        }
        Some(_) => {}
    }

    let Some(h) = history else { return };
    for who in &approval.by {
        if let Some(author) = h
            .authors(&p.name)
            .into_iter()
            .find(|c| same_person(&who.value, c))
        {
            out.push(
                Diagnostic::new(
                    &SELF_APPROVAL,
                    p.file,
                    who.span.clone(),
                    format!(
                        "`{}` approved a metric they introduced ({})",
                        who.value,
                        describe(author)
                    ),
                )
                .help("another configured reviewer must approve it")
                .metric(&p.name),
            );
        }
    }
    breaking_change(p, h, &current, &definition, out);
}

/// When and how the definition moved away from the approved fingerprint.
fn stale_detail(
    p: &Proposal,
    history: Option<&History>,
    approved: &str,
    now: &str,
) -> (String, Vec<String>) {
    let Some(h) = history else {
        return ("no git history to say when".into(), Vec::new());
    };
    let events = h.events(&p.name);
    let Some(at) = events
        .iter()
        .rposition(|e| e.fingerprint.as_deref() == Some(approved))
    else {
        return (
            "the approved definition is not in the history".into(),
            Vec::new(),
        );
    };
    let old = h.definition(&events[at]).unwrap_or("");
    let changes = fingerprint::changes(old, now);
    match events[at + 1..]
        .iter()
        .find(|e| e.fingerprint.as_deref() != Some(approved))
    {
        Some(e) => (
            format!("changed in {}", describe(h.commit(e.commit))),
            changes,
        ),
        None => (
            "changed in the working tree, not committed yet".into(),
            changes,
        ),
    }
}

fn breaking_change(
    p: &Proposal,
    h: &History,
    current: &str,
    definition: &str,
    out: &mut Vec<Diagnostic>,
) {
    let events = h.events(&p.name);
    // The last definition that shipped (approved, approval matching) other
    // than the current one: re-approving a changed definition does not make
    // a breaking change compatible.
    let shipped = events.iter().rev().find(|e| {
        e.status.as_deref() == Some("approved")
            && e.fingerprint.is_some()
            && e.fingerprint.as_deref() != Some(current)
            && e.approval.as_ref().and_then(|a| a.fingerprint.as_deref())
                == e.fingerprint.as_deref()
    });
    let Some(shipped) = shipped else { return };
    let old = h.definition(shipped).unwrap_or("");
    let broken = fingerprint::breaking(old, definition);
    let version_of = |def: &str| -> u32 {
        def.lines()
            .find_map(|l| l.strip_prefix("version "))
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    };
    let (was, now) = (version_of(old), version_of(definition));
    if broken.is_empty() || now > was {
        return;
    }
    let span = p
        .version
        .as_ref()
        .map(|v| v.span.clone())
        .or_else(|| p.status.as_ref().map(|s| s.span.clone()))
        .unwrap_or(0..0);
    out.push(
        Diagnostic::new(
            &BREAKING_CHANGE,
            p.file,
            span,
            format!(
                "breaking change to the definition approved in {}: {}",
                describe(h.commit(shipped.commit)),
                broken.join("; ")
            ),
        )
        .help(format!(
            "set `version = {}` (a new schema version), or undo the change",
            was + 1
        ))
        .metric(&p.name),
    );
}

/// `abc1234567 "subject" by Name on 2026-11-02`.
pub fn describe(c: &Commit) -> String {
    format!(
        "commit {} \"{}\" by {} on {}",
        c.short(),
        c.subject,
        c.author,
        c.date()
    )
}

fn short(fp: &str) -> &str {
    &fp[..fp.len().min(10)]
}

/// Whether reviewer handle `who` is the author of `c`: equal to the name,
/// the email or the email's local part, ignoring case.
pub fn same_person(who: &str, c: &Commit) -> bool {
    let who = who.trim().to_lowercase();
    let local = c.email.split('@').next().unwrap_or("");
    !who.is_empty()
        && [c.author.as_str(), c.email.as_str(), local]
            .iter()
            .any(|s| !s.is_empty() && s.to_lowercase() == who)
}
