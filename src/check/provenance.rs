//! Provenance rules: approvals bound to
//! the definition they approved, no self-approval, no silent breaking change.

use crate::config::{Approvals, Config};
use crate::diagnostic::{Diagnostic, head};
use crate::fingerprint;
use crate::model::{Approval, Proposal, Spanned, Status};
use crate::resolve::{ApprovalSource, Commit, History, Provenance};

use crate::signature;

use crate::rules::{Rule, Severity};

pub const UNCOMMITTED: Rule = Rule {
    id: "uncommitted",
    family: "provenance",
    severity: Severity::Warning,
    summary: "a proposal is not committed yet",
    what: "A proposal file in the working tree that HEAD does not have.",
    why: "Its introducing commit will be the commit that adds it; until then it has no \
          provenance and cannot be approved.",
    example: "$ privet new pulp_domains   # and not yet `git add`ed",
};

pub const APPROVAL_STALE: Rule = Rule {
    id: "approval-stale",
    family: "provenance",
    severity: Severity::Error,
    summary: "the definition changed after it was approved",
    what: "An `[approval]` whose `fingerprint` is missing or differs from the fingerprint of \
           the current definition (events, fields, types, buckets, values, patterns, the \
           `pii` and `sanitization` answers and the schema `version`; not formatting, \
           comments, key order or other prose). The finding names the commit that changed \
           the definition after the approval and what changed.",
    why: "An approval is for the definition the reviewer read. A field added or a bucket \
          made finer after the review must be reviewed again; Pulp's working group asked \
          exactly this: \"what if PII gets added later?\"",
    example: "[approval]\nby = [\"alice\"]\ndate = 2026-10-21\nfingerprint = \"3f9c…\"   # approved with count buckets\n\n[fields.uptime]\ntype = \"count\"   # since changed",
};

pub const SELF_APPROVAL: Rule = Rule {
    id: "self-approval",
    family: "provenance",
    severity: Severity::Error,
    summary: "a metric is approved by someone who wrote its definition",
    what: "An approver in `[approval] by` who authored the commit that introduced the \
           proposal (for a proposal that came in by a merge, also the commit on the merged \
           branch that added it) or any later commit that changed its definition. A \
           reviewer is an author when the commit's author email is one of the reviewer's \
           identities in `[review.reviewers]`; a reviewer listed without identities is \
           matched loosely (handle equal to the author's name, email or the part of the \
           email before `@`, ignoring case).",
    why: "Review means a second person. An author approving their own metric, or the \
          change they made to it, is no review.",
    example: "# introduced by alice <alice@example.org>\n[approval]\nby = [\"alice\"]",
};

pub const APPROVAL_FORGED: Rule = Rule {
    id: "approval-forged",
    family: "provenance",
    severity: Severity::Error,
    summary: "an approval was not made by the reviewer it names",
    what: "Signed approvals (the default): a reviewer in `[approval] by` without a signature \
           under `[approval.signatures]`, or whose signature was made with a key that is not \
           one of theirs in privet.toml, over another metric or another definition, or for \
           another purpose than a privet approval; also a reviewer with no keys configured. \
           Commits mode (`approvals = \"commits\"`): an approval of this fingerprint written \
           by a commit whose author email is not one of the reviewer's (for an approval that \
           came in by a merge, neither the branch commit that wrote it nor the merge's \
           committer is the reviewer); one only in the working tree; one by a reviewer with no \
           identities; and, with `signatures = \"required\"`, one whose commit has no good \
           signature by the reviewer.",
    why: "`by = [\"bob\"]` is text anyone can type. What makes it bob's approval is bob's \
          signature over exactly this metric and definition, which only his key can make. \
          Without this rule the author of a metric can approve it herself under a \
          reviewer's name.",
    example: "[approval]\nby = [\"bob\"]\nfingerprint = \"3f9c…\"\n\n[approval.signatures]\nbob = \"\"\"\n-----BEGIN SSH SIGNATURE-----\n…   # made with alice's key, or for another metric\n\"\"\"",
};

pub const APPROVAL_UNATTRIBUTED: Rule = Rule {
    id: "approval-unattributed",
    family: "provenance",
    severity: Severity::Error,
    summary: "one commit by a reviewer wrote a definition and their approval of it",
    what: "A commit authored by a reviewer that both wrote (or changed) a metric's \
           definition and brought that reviewer's approval of it, when no other commit of \
           theirs touched the definition. A reviewer approving their own metric in one \
           commit looks like that, and so does a squash merge committed by the reviewer as \
           its author: history cannot tell them apart. privet says so, instead of calling \
           it `self-approval`, and holds the metric back until another reviewer approves.",
    why: "A squash merge makes whoever commits it the author of everything in it. \
          Accusing the reviewer who merged would be wrong; passing it would let a reviewer \
          approve their own metric in one commit.",
    example: "# commit 9f8e7d by bob: \"Add worker_count (#12)\" (a squash: the definition and bob's approval)\n[approval]\nby = [\"bob\"]",
};

pub const BREAKING_CHANGE: Rule = Rule {
    id: "breaking-change",
    family: "provenance",
    severity: Severity::Error,
    summary: "a shipped definition changed incompatibly without a new schema version",
    what: "A metric whose current definition, compared with the last approved definition \
           in history, removes or retypes a field, moves a bucket edge, removes an enum \
           value, set item or map key, or changes a resolution or pattern, while its \
           `version` is not higher than the approved one. Additions are not breaking.",
    why: "Clients and collectors of the shipped schema still send and expect the old shape. \
          A new schema version lets collectors tell the two apart.",
    example: "# approved: buckets = [0, 1, 2, 5, 10]\nbuckets = [0, 1, 3, 10]   # moved edges, version still 1",
};

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
