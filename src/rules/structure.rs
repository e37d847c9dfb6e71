//! Structure rules: the shape of a proposal or of `privet.toml`.

use super::{Rule, Severity};

pub const UNKNOWN_KEY: Rule = Rule {
    id: "unknown-key",
    family: "structure",
    severity: Severity::Error,
    summary: "a key that privet does not know",
    what: "A key that is not part of the proposal format (or of `privet.toml`) at that \
           place. The finding suggests the closest known key.",
    why: "A misspelt key is an answer the reviewer never sees: `sanitisation` instead of \
          `sanitization` would otherwise silently leave the checklist question unanswered \
          and the typo unnoticed.",
    example: "sanitisation = \"Only the minor version is kept.\"",
};

pub const WRONG_TYPE: Rule = Rule {
    id: "wrong-type",
    family: "structure",
    severity: Severity::Error,
    summary: "a value of the wrong TOML type",
    what: "A value whose TOML type is not the one the format expects: a string where a \
           list is expected, a float as a bucket edge, a table where a string is expected.",
    why: "The definition would be ambiguous. privet never guesses what was meant.",
    example: "owners = \"pulp-team\"   # expected a list: [\"pulp-team\"]",
};

pub const MISSING_KEY: Rule = Rule {
    id: "missing-key",
    family: "structure",
    severity: Severity::Error,
    summary: "a required key is missing",
    what: "A required metadata key (`owners`, `events`, `expires`, `status`) or a key a \
           field type requires (`type`, `values`, `buckets` or `preset`, `resolution`, \
           `unit`, `keys`, `value`, `pattern`, `max_len`).",
    why: "Without it the metric cannot be reviewed, generated or collected.",
    example: "[fields.workers]\ntype = \"count\"   # no buckets and no preset",
};

pub const INVALID_VALUE: Rule = Rule {
    id: "invalid-value",
    family: "structure",
    severity: Severity::Error,
    summary: "a value outside the allowed set",
    what: "A value of the right TOML type that is not one of the allowed choices: an \
           unknown field `type`, `status`, `resolution`, `unit` or `preset`; an `expires` \
           that is neither a date nor `never`; a non-positive `max_len`.",
    why: "These values select behaviour; an unknown one has no meaning.",
    example: "[fields.version]\ntype = \"version\"\nresolution = \"full\"   # major, minor or patch",
};

pub const KEY_CONFLICT: Rule = Rule {
    id: "key-conflict",
    family: "structure",
    severity: Severity::Error,
    summary: "two keys that exclude each other",
    what: "A count or duration field that declares both explicit `buckets` and a `preset`.",
    why: "Only one bucketing can apply; privet does not pick one for you.",
    example: "[fields.nodes]\ntype = \"count\"\nbuckets = [0, 1, 2, 5]\npreset = \"pow2\"",
};

pub const EMPTY_LIST: Rule = Rule {
    id: "empty-list",
    family: "structure",
    severity: Severity::Error,
    summary: "a list that must not be empty is empty",
    what: "An empty `owners` or `events` list, an enum or set with no `values`, a map \
           with no `keys`, a count with no bucket edges.",
    why: "An enum with no values can only ever report `other`; a metric with no owner has \
          nobody to answer for it; a metric in no event is never sent.",
    example: "[fields.backend]\ntype = \"enum\"\nvalues = []",
};

pub const DUPLICATE_VALUE: Rule = Rule {
    id: "duplicate-value",
    family: "structure",
    severity: Severity::Error,
    summary: "a closed list repeats a value or declares the reserved `other`",
    what: "A value listed twice in `values`, `keys`, `owners` or `events`, or an enum that \
           lists `other` itself.",
    why: "Repeats are always mistakes and would make generated code ambiguous. `other` is \
          added to every enum by privet: it is where unknown inputs go.",
    example: "[fields.backend]\ntype = \"enum\"\nvalues = [\"rdbms\", \"ldap\", \"rdbms\"]",
};
