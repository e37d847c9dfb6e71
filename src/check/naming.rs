//! Naming rules.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Sources};
use crate::load::Registry;
use crate::model::Proposal;
use crate::names::{field_name_problem, name_problem, snake_case};

use crate::rules::{Rule, Severity};

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

pub fn check(p: &Proposal, sources: &Sources, out: &mut Vec<Diagnostic>) {
    if let Some(problem) = name_problem(&p.name) {
        let path = &sources.get(p.file).path;
        out.push(
            Diagnostic::new(
                &INVALID_NAME,
                p.file,
                0..0,
                format!("metric name `{}` is invalid: {problem}", p.name),
            )
            .help(format!(
                "rename the file: the stem is the metric name, e.g. `{}.toml` (from {path})",
                snake_case(&p.name)
            ))
            .metric(&p.name),
        );
    }
    if let Some(key) = &p.name_key
        && key.value != p.name
    {
        out.push(
            Diagnostic::new(
                &NAME_MISMATCH,
                p.file,
                key.span.clone(),
                format!(
                    "`name` is \"{}\" but the file defines metric `{}`",
                    key.value, p.name
                ),
            )
            .label("differs from the file name")
            .help("remove `name` (the file stem is the metric name) or rename the file")
            .metric(&p.name),
        );
    }
    for f in &p.fields {
        if let Some(problem) = field_name_problem(&f.name.value) {
            let suggestion = match snake_case(&f.name.value) {
                same if same == f.name.value => format!("{same}_value"),
                other => other,
            };
            out.push(
                Diagnostic::new(
                    &INVALID_NAME,
                    p.file,
                    f.name.span.clone(),
                    format!("field name `{}` is invalid: {problem}", f.name.value),
                )
                .help(format!("rename the field, e.g. `{suggestion}`"))
                .metric(&p.name),
            );
        }
    }
}

pub fn check_registry(registry: &Registry, out: &mut Vec<Diagnostic>) {
    let mut by_name: BTreeMap<&str, Vec<&Proposal>> = BTreeMap::new();
    for p in &registry.proposals {
        by_name.entry(p.name.as_str()).or_default().push(p);
    }
    for (name, defs) in by_name {
        let Some((first, rest)) = defs.split_first() else {
            continue;
        };
        for p in rest {
            out.push(
                Diagnostic::new(
                    &DUPLICATE_NAME,
                    p.file,
                    0..0,
                    format!(
                        "metric `{name}` is also defined in {}",
                        registry.sources.get(first.file).path
                    ),
                )
                .help("metric names are global: rename one of the files")
                .metric(name),
            );
        }
    }
}
