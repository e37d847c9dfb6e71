//! Generate rules: checked-in generated files match their sources.

use super::{Rule, Severity};

pub const STALE_OUTPUT: Rule = Rule {
    id: "stale-output",
    family: "generate",
    severity: Severity::Error,
    summary: "a generated file is missing or out of date",
    what: "A file that `cargo xtask codegen` writes (the rules page, and the generated \
           `metrics` crate) whose checked-in content differs from what the current \
           sources generate.",
    why: "Client crates and collectors use the checked-in files. If they drift from the \
          registry, what ships is not what was reviewed.",
    example: "# a rule's docs changed in src/rules/, docs/rules.md was not regenerated\n$ cargo xtask codegen",
};
