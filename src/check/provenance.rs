//! Provenance rules (declared in `rules/provenance.rs`): approvals bound to
//! the definition they approved, no self-approval, no silent breaking change.

use crate::diagnostic::Diagnostic;
use crate::fingerprint;
use crate::model::{Proposal, Status};
use crate::resolve::{History, Provenance};
use crate::rules::provenance::{APPROVAL_STALE, BREAKING_CHANGE, SELF_APPROVAL, UNCOMMITTED};

pub fn check(p: &Proposal, provenance: &Provenance, out: &mut Vec<Diagnostic>) {
    let history = provenance.history();
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

    let (current, definition) = fingerprint::current(p);
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
            .find(|c| c.is_author(&who.value))
        {
            out.push(
                Diagnostic::new(
                    &SELF_APPROVAL,
                    p.file,
                    who.span.clone(),
                    format!(
                        "`{}` approved a metric they introduced ({})",
                        who.value,
                        author.describe()
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
            format!("changed in {}", h.commit(e.commit).describe()),
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
                h.commit(shipped.commit).describe(),
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

fn short(fp: &str) -> &str {
    &fp[..fp.len().min(10)]
}
