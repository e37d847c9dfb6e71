//! Example rules: the proposal's `[example]` is a real payload of its fields.

use super::{Rule, Severity};

pub const EXAMPLE_MISMATCH: Rule = Rule {
    id: "example-mismatch",
    family: "example",
    severity: Severity::Error,
    summary: "the example does not validate against the declared fields",
    what: "An `[example]` that names a field that is not declared, leaves a declared field \
           out, or gives a value outside the field's domain: an enum value not listed \
           (and not `other`), a set item not listed (a set may be written as the array \
           of its items, or as sent: `{ items = [...], unknown = \"0\" }`), a count that is not one of the \
           field's bucket labels, a version finer than its resolution, a date that is not \
           truncated to its resolution, a string that does not match its pattern.",
    why: "The example is what reviewers read to understand the data. It shows the payload \
          exactly as sent, after bucketing, so it must be something the generated types \
          can actually produce.",
    example: "[fields.workers]\ntype = \"count\"\nbuckets = [0, 1, 2, 5, 10]\n\n[example]\nworkers = 3   # send the bucket label: \"2-4\"",
};
