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
    summary: "an approval was not written by the reviewer it names",
    what: "A reviewer in `[approval] by` whose approval of this fingerprint was written by a \
           commit that is not theirs: its author email is not one of the reviewer's \
           identities in `[review.reviewers]` (for an approval that came in by a merge, \
           neither the branch commit that wrote it nor the merge's committer is the \
           reviewer). Also an approval that is only in the working tree, not in HEAD; one by \
           a reviewer with no identities configured; and, with `signatures = \"required\"`, \
           one whose commit has no good signature by the reviewer.",
    why: "`by = [\"bob\"]` is text anyone can type. What makes it bob's approval is that bob \
          committed it. Without this rule the author of a metric can approve it herself \
          under a reviewer's name.",
    example: "# commit 1a2b3c by alice <alice@example.org>: \"approve my metric\"\n[approval]\nby = [\"bob\"]   # bob = [\"bob@example.org\"]",
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
