//! Naming rules: metric and field names.

use super::{Rule, Severity};

pub const INVALID_NAME: Rule = Rule {
    id: "invalid-name",
    family: "naming",
    severity: Severity::Error,
    summary: "a metric or field name is not snake_case",
    what: "A metric name (the file stem) or a field name that is not lowercase snake_case \
           ASCII starting with a letter (`[a-z][a-z0-9_]*`), ends with `_`, contains `__`, \
           is longer than 64 characters, or is a Rust keyword.",
    why: "Names become Rust modules, struct fields and JSON keys in the generated `metrics` \
          crate and in every collector. They must be valid identifiers everywhere and \
          must never change once shipped, so they are checked up front.",
    example: "$ ls proposals/\nPulp-Workers.toml",
};

pub const NAME_MISMATCH: Rule = Rule {
    id: "name-mismatch",
    family: "naming",
    severity: Severity::Error,
    summary: "the `name` key differs from the file name",
    what: "A proposal whose optional `name` key is not the file stem.",
    why: "The file name is the metric name. A second, different name inside the file \
          makes reviews and history lookups ambiguous.",
    example: "# proposals/pulp_workers.toml\nname = \"pulp_worker_count\"",
};

pub const DUPLICATE_NAME: Rule = Rule {
    id: "duplicate-name",
    family: "naming",
    severity: Severity::Error,
    summary: "two proposals define the same metric name",
    what: "Two proposal files, in different subdirectories of `proposals/`, with the same \
           file stem (the metric name).",
    why: "Metric names are global: they name generated modules and the data on the \
          collector. Two definitions of one name cannot both ship.",
    example: "proposals/pulp/workers.toml\nproposals/fuel/workers.toml",
};
