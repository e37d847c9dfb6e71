//! Naming rules (declared in `rules/naming.rs`).

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Sources};
use crate::load::Registry;
use crate::model::Proposal;
use crate::names::{field_name_problem, name_problem, snake_case};
use crate::rules::naming::{DUPLICATE_NAME, INVALID_NAME, NAME_MISMATCH};

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
