//! Provenance rules (declared in `rules/provenance.rs`): approvals bound to
//! the definition they approved, no self-approval, no silent breaking change.

use crate::config::{Approvals, Config};
use crate::diagnostic::{Diagnostic, head};
use crate::fingerprint;
use crate::model::{Approval, Proposal, Spanned, Status};
use crate::resolve::{ApprovalSource, Commit, History, Provenance};
use crate::rules::provenance::{
    APPROVAL_FORGED, APPROVAL_STALE, APPROVAL_UNATTRIBUTED, BREAKING_CHANGE, SELF_APPROVAL,
    UNCOMMITTED,
};
use crate::signature;

pub fn check(p: &Proposal, config: &Config, provenance: &Provenance, out: &mut Vec<Diagnostic>) {
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
        Some(fp) if fp.value == fingerprint::of_text(&fingerprint::definition_only(p)) => out.push(
            Diagnostic::new(
                &APPROVAL_STALE,
                p.file,
                fp.span.clone(),
                "approved under an earlier fingerprint, which covered the payload but not the \
                 expiry, the budget's reason or the checklist answers",
            )
            .label(format!("earlier fingerprint, now {}", head(&current, 10)))
            .help(format!(
                "a reviewer reads the proposal whole and approves it again: `privet approve {} --by REVIEWER`",
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
                    head(&fp.value, 10),
                    head(&current, 10)
                ))
                .help(help)
                .metric(&p.name),
            );
        }
        Some(_) => {}
    }

    if config.approvals == Approvals::Signed && approval.fingerprint.is_some() {
        for who in &approval.by {
            if config.reviewers.contains(&who.value) {
                unsigned(p, approval, config, who, out);
            }
        }
    }
    let Some(h) = history else { return };
    let authors = h.definition_authors(&p.name);
    for who in &approval.by {
        let identities = config.identities_of(&who.value);
        if config.approvals == Approvals::Commits
            && let Some(fp) = &approval.fingerprint
            && config.reviewers.contains(&who.value)
            && h.present.contains_key(&p.name)
        {
            forged(p, config, h, who, &fp.value, out);
        }
        let by_who: Vec<&&Commit> = authors
            .iter()
            .filter(|c| c.authored_by(&who.value, identities))
            .collect();
        // The commit that wrote `who`'s approval. When it is also the only
        // one of theirs that wrote the definition, history cannot tell a
        // squash merge (which makes whoever commits it the author of
        // everything in it) from a reviewer approving what they wrote.
        let wrote_approval = approval.fingerprint.as_ref().and_then(|fp| {
            match h.approval_source(&p.name, &who.value, &fp.value) {
                ApprovalSource::Committed { commit, .. } => Some(commit.id.clone()),
                ApprovalSource::NotCommitted => None,
            }
        });
        if !by_who.is_empty()
            && by_who
                .iter()
                .all(|c| Some(&c.id) == wrote_approval.as_ref())
        {
            out.push(
                Diagnostic::new(
                    &APPROVAL_UNATTRIBUTED,
                    p.file,
                    who.span.clone(),
                    format!(
                        "possible self-approval: {} wrote the definition and `{}`'s approval at once (a squash merge looks the same), so history cannot tell whether {} wrote the definition",
                        by_who[0].describe(),
                        who.value,
                        who.value
                    ),
                )
                .help(
                    "another reviewer approves it too (or instead); to avoid this, merge pull requests so that the author's commits keep their author (a merge commit, a rebase, or a squash with the pull request's author as its author, as forges do)",
                )
                .metric(&p.name),
            );
        } else if let Some(author) = by_who.first() {
            out.push(
                Diagnostic::new(
                    &SELF_APPROVAL,
                    p.file,
                    who.span.clone(),
                    format!(
                        "`{}` approved a metric whose definition they wrote ({})",
                        who.value,
                        author.describe()
                    ),
                )
                .help("another configured reviewer must approve it")
                .metric(&p.name),
            );
        }
    }
    for who in &approval.by {
        withdrawn(p, approval, h, who, out);
    }
    breaking_change(p, h, &current, &definition, out);
}

/// `approval-stale` for an approval brought back after it was withdrawn: a
/// commit since the day it was given set the metric's status to something
/// else, removed the reviewer from it, approved another definition or
/// deleted the file. The day is signed with the approval, so a reviewer
/// approving again signs a later day; an old record restored keeps its
/// own.
fn withdrawn(
    p: &Proposal,
    approval: &Approval,
    h: &History,
    who: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let (Some(fp), Some(date)) = (&approval.fingerprint, &approval.date) else {
        return;
    };
    let holds = |e: &crate::resolve::Event| {
        e.status.as_deref() == Some("approved") && e.holds_approval(&who.value, &fp.value)
    };
    let mut held = false;
    let mut last = None;
    for e in h.events(&p.name) {
        let now = holds(e);
        if held && !now {
            last = Some(e);
        }
        held = now;
    }
    let Some(e) = last else { return };
    let c = h.commit(e.commit);
    // The signed moment of the approval: its `time`; a record from before
    // `time` has only its day, within which history cannot tell.
    let before = match &approval.time {
        Some(t) => t.value <= c.time,
        None => date.value < crate::date::Date::from_days(c.time.div_euclid(86_400)),
    };
    if !before {
        return;
    }
    let how = if e.change == crate::resolve::Change::Deleted {
        "deleted the metric".to_string()
    } else if e.status.as_deref() != Some("approved") {
        format!(
            "set its status to {}",
            e.status.as_deref().unwrap_or("nothing")
        )
    } else if e
        .approval
        .as_ref()
        .is_some_and(|a| a.fingerprint.as_deref() != Some(fp.value.as_str()))
    {
        "approved another definition".to_string()
    } else {
        format!("removed `{}` from the approval", who.value)
    };
    out.push(
        Diagnostic::new(
            &APPROVAL_STALE,
            p.file,
            date.span.clone(),
            format!(
                "`{}`'s approval of {} was withdrawn: {} {how}; brought back, it does not count",
                who.value,
                date.value,
                c.describe()
            ),
        )
        .help(format!(
            "{} approves again (`privet approve {} --by {}`), which signs the moment it is given",
            who.value, p.name, who.value
        ))
        .metric(&p.name),
    );
}

/// `approval-forged`, signed mode: reviewer `who`'s approval must carry
/// their signature of this metric at `fp`, by one of their keys. Decided
/// from the file alone: who committed or merged it does not matter.
fn unsigned(
    p: &Proposal,
    approval: &Approval,
    config: &Config,
    who: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let keys = config.keys_of(&who.value);
    let name = &who.value;
    let sign_it = format!(
        "{name} signs it: `privet approve {} --by {name}` with one of their keys",
        p.name
    );
    let signed: Vec<_> = approval
        .signers(&p.name)
        .iter()
        .zip(&approval.signatures)
        .filter(|((w, _), _)| w == name)
        .collect();
    let (span, message, help) = if keys.is_empty() {
        (
            who.span.clone(),
            format!(
                "`{name}` has no keys in {}, so no signature can be shown to be theirs",
                config.anchors_source
            ),
            format!(
                "list the SSH public keys {name} signs with: [review.reviewers.{name}] keys = [\"ssh-ed25519 AAAA…\"]"
            ),
        )
    } else if signed.is_empty() {
        (
            who.span.clone(),
            format!("`{name}` is named in `by`, but the approval carries no signature by {name}"),
            sign_it,
        )
    } else {
        let mut problems = Vec::new();
        let mut span = who.span.clone();
        for ((_, checked), (_, text)) in &signed {
            span = text.span.clone();
            match checked {
                Ok(k) if keys.iter().any(|key| key.key_data() == k) => return,
                Ok(k) => problems.push(format!(
                    "the signature of `{name}` was made with key {}, which is not one of {name}'s keys in {}",
                    signature::key_fingerprint(k),
                    config.anchors_source
                )),
                Err(problem) => {
                    problems.push(format!("the signature of `{name}` {}", problem.describe()))
                }
            }
        }
        (span, problems.join("; "), sign_it)
    };
    out.push(
        Diagnostic::new(&APPROVAL_FORGED, p.file, span, message)
            .help(help)
            .metric(&p.name),
    );
}

/// `approval-forged`, commits mode: reviewer `who`'s approval of `fp` must have been
/// committed by `who` (and signed, where signatures are required).
fn forged(
    p: &Proposal,
    config: &Config,
    h: &History,
    who: &Spanned<String>,
    fp: &str,
    out: &mut Vec<Diagnostic>,
) {
    let ids = config.identities_of(&who.value);
    let finding = |message: String, help: String| {
        Diagnostic::new(&APPROVAL_FORGED, p.file, who.span.clone(), message)
            .help(help)
            .metric(&p.name)
    };
    let commit_it = format!(
        "{} commits the approval (`privet approve {} --by {}`) as one of their identities",
        who.value, p.name, who.value
    );
    if ids.is_empty() {
        out.push(finding(
            format!(
                "`{}` has no identities in privet.toml, so no commit can be shown to be theirs",
                who.value
            ),
            format!(
                "list the emails of their commits: [review.reviewers] {} = [\"…@…\"]",
                who.value
            ),
        ));
        return;
    }
    let (commit, merge) = match h.approval_source(&p.name, &who.value, fp) {
        ApprovalSource::NotCommitted => {
            out.push(finding(
                format!(
                    "the approval by `{}` is only in the working tree, not in HEAD",
                    who.value
                ),
                commit_it,
            ));
            return;
        }
        ApprovalSource::Committed { commit, merge } => (commit, merge),
    };
    let signed = |c: &Commit| {
        !config.require_signatures || h.signatures.get(&c.id).is_some_and(|s| s.by(ids))
    };
    // Who vouches for the approval: the commit that wrote it, by its author;
    // or a merge that brought it, by its committer.
    let by_writer = !commit.merge && commit.authored_by(&who.value, ids);
    let by_merger =
        merge.is_some_and(|m| m.committed_by(ids)) || (commit.merge && commit.committed_by(ids));
    let merger = merge.unwrap_or(commit);
    if by_writer && signed(commit) || by_merger && signed(merger) {
        return;
    }
    let identities = ids.join(", ");
    let (message, help) = if by_writer || by_merger {
        let c = if by_writer { commit } else { merger };
        (
            format!(
                "the approval by `{}` was written in {}, which has no good signature by them",
                who.value,
                c.describe()
            ),
            format!(
                "signatures are required: {} signs the approval commit (`git commit -S`) with a key that git verifies{}",
                who.value,
                config
                    .allowed_signers
                    .as_deref()
                    .map(|f| format!(" (listed in {f})"))
                    .unwrap_or_default()
            ),
        )
    } else {
        let via = merge
            .map(|m| {
                format!(
                    ", merged in {} (committed by {})",
                    m.describe(),
                    m.committer_email
                )
            })
            .unwrap_or_default();
        (
            format!(
                "the approval by `{}` was written in {}{via}, not by {}",
                who.value,
                commit.describe_with_email(),
                who.value
            ),
            format!(
                "only {} ({identities}) can approve as {}: remove `{}` from `by`, and {commit_it}",
                who.value, who.value, who.value
            ),
        )
    };
    out.push(finding(message, help));
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
