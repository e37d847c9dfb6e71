//! Field rules: payload fields declared in the low-resolution type system.

use super::{Rule, Severity};

pub const NO_FIELDS: Rule = Rule {
    id: "no-fields",
    family: "fields",
    severity: Severity::Error,
    summary: "a proposal declares no payload fields",
    what: "A proposal without any `[fields.NAME]` table.",
    why: "A metric carries data; with no fields there is nothing to generate, collect or \
          review.",
    example: "summary = \"Workers\"\n# ... checklist answers ...\n# but no [fields.*] table",
};

pub const BUCKET_EDGES: Rule = Rule {
    id: "bucket-edges",
    family: "fields",
    severity: Severity::Error,
    summary: "bucket edges are negative or not strictly increasing",
    what: "A count or duration `buckets` list whose edges are negative or not strictly \
           increasing, or a `preset` whose `max` is missing, zero or negative.",
    why: "Each edge is the lower bound of a bucket: values from one edge up to the next \
          edge minus one report as that bucket, values at or above the last edge report \
          as the overflow bucket `N+`, values below the first edge as `0` to first edge \
          minus one. Unordered edges would make buckets overlap or be empty, so a value \
          could not be reported unambiguously.",
    example: "[fields.nodes]\ntype = \"count\"\nbuckets = [0, 5, 2, 10]",
};

pub const TOO_MANY_BUCKETS: Rule = Rule {
    id: "too-many-buckets",
    family: "fields",
    severity: Severity::Error,
    summary: "a bucketed field has more buckets than the threshold",
    what: "A count or duration field with more buckets (including the overflow bucket) \
           than `thresholds.max_buckets` in `privet.toml` (default 64).",
    why: "Every bucket adds identifying resolution. Sixteen buckets (4 bits) are enough \
          for a power-of-two scale up to 16,384 or a 1-2-5 scale up to 50,000; more \
          usually means the field is meant to carry the exact value. Fine buckets at the \
          top end single out the few largest installations.",
    example: "[fields.users]\ntype = \"count\"\npreset = \"pow2\"\nmax = 1073741824   # 32 buckets",
};

pub const BAD_PATTERN: Rule = Rule {
    id: "bad-pattern",
    family: "fields",
    severity: Severity::Error,
    summary: "a string field's pattern is not a valid regular expression",
    what: "A `string` field whose `pattern` does not parse as a regular expression \
           (Rust `regex` syntax; the pattern must match the whole value), or that is too \
           large to compile: over 1 MiB as a regex, or over 4096 states as the automaton \
           the generated `metrics` crate checks values with (huge counted repetitions, \
           Unicode classes repeated many times, Unicode word boundaries).",
    why: "The pattern is what bounds a string field; one that does not parse bounds \
          nothing.",
    example: "[fields.arch]\ntype = \"string\"\npattern = '[a-z0-9_'\nmax_len = 16",
};
