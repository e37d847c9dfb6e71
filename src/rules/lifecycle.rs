//! Lifecycle rules: events, expiry, status and approval.

use super::{Rule, Severity};

pub const UNKNOWN_EVENT: Rule = Rule {
    id: "unknown-event",
    family: "lifecycle",
    severity: Severity::Error,
    summary: "a proposal names an event the registry does not send",
    what: "An entry of `events` that is not one of the events in `privet.toml` \
           (default: `install`, `upgrade`, `heartbeat`).",
    why: "Each event is a payload the client sends; a metric assigned to an event that \
          does not exist would never be sent.",
    example: "events = [\"hearbeat\"]",
};

pub const EXPIRED: Rule = Rule {
    id: "expired",
    family: "lifecycle",
    severity: Severity::Warning,
    summary: "a metric is past its expiry date and has stopped shipping",
    what: "A proposal whose `expires` date is today or earlier, unless its status is \
           `retired` or `rejected`. From that day on the metric is not collected: `privet \
           validate` rejects it in any payload sent on or after the date \
           (`expired-metric`). The generated files do not change with the date, so the \
           audit warns instead of failing every unrelated pull request.",
    why: "Expiry makes every metric justify itself again. An expired metric must be \
          renewed (a new date, reviewed again) or retired; collecting it silently \
          forever is what expiry exists to prevent.",
    example: "expires = 2024-01-01",
};

pub const EXPIRES_SOON: Rule = Rule {
    id: "expires-soon",
    family: "lifecycle",
    severity: Severity::Warning,
    summary: "a metric expires within the warning period",
    what: "A live proposal whose `expires` date is after today but within \
           `[thresholds] expiry_warning_days` (default 30) of it.",
    why: "On its expiry date a metric fails the audit of every pull request until someone \
          renews or retires it. A warning ahead of time gives its owners the time to decide, \
          in a change of its own.",
    example: "expires = 2026-12-20   # checked on 2026-12-06",
};

pub const APPROVAL_MISSING: Rule = Rule {
    id: "approval-missing",
    family: "lifecycle",
    severity: Severity::Error,
    summary: "an approved metric has no approval record",
    what: "A proposal with `status = \"approved\"` but no `[approval]` table, or one whose \
           `by` list is empty.",
    why: "Approval is what lets a metric ship. It must say who approved it and when, so \
          the decision can be audited later.",
    example: "status = \"approved\"\n# no [approval] table",
};

pub const APPROVAL_REVIEWER: Rule = Rule {
    id: "approval-reviewer",
    family: "lifecycle",
    severity: Severity::Error,
    summary: "an approval is signed by someone who is not a configured reviewer",
    what: "A name in `[approval] by` that is not in `reviewers` in `privet.toml`. When no \
           reviewers are configured, this rule reports every approval.",
    why: "Only the people the project trusts with the privacy review may approve metrics.",
    example: "[approval]\nby = [\"random-contributor\"]\ndate = 2026-11-02",
};

pub const APPROVAL_QUORUM: Rule = Rule {
    id: "approval-quorum",
    family: "lifecycle",
    severity: Severity::Error,
    summary: "an approval has fewer reviewers than the quorum",
    what: "An `[approval]` signed by fewer distinct configured reviewers than `quorum` in \
           `privet.toml` (default 1).",
    why: "Projects that want two pairs of eyes on every metric say so once, in the \
          configuration, and privet holds every approval to it.",
    example: "# privet.toml: quorum = 2\n[approval]\nby = [\"alice\"]\ndate = 2026-11-02",
};

pub const IMPORT_UNDECIDED: Rule = Rule {
    id: "import-undecided",
    family: "lifecycle",
    severity: Severity::Error,
    summary: "an imported proposal still has a decision for its author to make",
    what: "An entry of `undecided` in a proposal's `[import]` table. `privet import` writes \
           one for each thing it could not carry over at low resolution: a free-text, URL, \
           UUID or timestamp value, labels that are not listed, an expiry given as a product \
           version. The field in question is left out of `[fields]` until the author decides.",
    why: "An importer that guessed (a pattern for free text, a made-up label list) would \
          weaken the definition without anyone deciding to; one that dropped the field would \
          lose it silently. The decision belongs to the author and the reviewer.",
    example: "[import]\nfrom = \"glean\"\nsource = \"search.engine.default\"\nundecided = [\"field `value`: Glean type `url` sends a full URL; keep a category (an enum) or drop it\"]",
};
