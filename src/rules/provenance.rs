//! Provenance rules: every metric tied to the commits that made it, and every
//! approval to the exact definition it approved.

use super::{Rule, Severity};

pub const HISTORY_UNAVAILABLE: Rule = Rule {
    id: "history-unavailable",
    family: "provenance",
    severity: Severity::Error,
    summary: "git history cannot be read, so provenance cannot be checked",
    what: "A registry whose git history privet cannot walk: a shallow clone, a corrupt or \
           missing object, a bare repository; and, in `cargo xtask audit`, a registry outside \
           any git repository or a repository without commits. (`privet check` only notes \
           the last two in its summary line.) The other stages still run.",
    why: "Without history nobody can say which commit introduced a metric or whether its \
          approver wrote it. A CI job that checks out one commit (`fetch-depth: 1`) would \
          otherwise pass approvals it cannot verify.",
    example: "# .github/workflows/audit.yml\n- uses: actions/checkout@v4   # fetch-depth defaults to 1: shallow",
};

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

pub const ANCHORS_CHANGED: Rule = Rule {
    id: "anchors-changed",
    family: "provenance",
    severity: Severity::Error,
    summary: "a change under review sets its own trust anchors",
    what: "With `privet audit --base REF`, a privet.toml whose trust anchors differ from \
           REF's: reviewers, their keys or emails, the approval mode, the quorum, the \
           thresholds or the ceilings, unless `[review.approval]` carries the signatures of \
           as many of REF's reviewers as REF's quorum, with REF's keys, over the new \
           anchors' fingerprint (`privet approve privet.toml --by REVIEWER`). The audit \
           judges every approval with REF's anchors either way.",
    why: "A pull request that adds its author's key to a reviewer, adds a reviewer, lowers \
          the quorum or raises a ceiling would otherwise approve itself: the anchors it \
          brings would judge its own approvals.",
    example: "# main: bob's keys = [\"ssh-ed25519 AAAA…bob\"]\n[review.reviewers.bob]\nkeys = [\"ssh-ed25519 AAAA…bob\", \"ssh-ed25519 AAAA…alice\"]   # added in the pull request",
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
