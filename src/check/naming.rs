//! Naming rules (declared in `rules/naming.rs`).

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Sources};
use crate::load::Registry;
use crate::model::Proposal;
use crate::rules::naming::{DUPLICATE_NAME, INVALID_NAME, NAME_MISMATCH};

/// Longest metric or field name.
pub const MAX_NAME_LEN: usize = 64;

/// Rust keywords (strict and reserved): names become identifiers in generated code.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Why `name` is not a valid metric or field name, if it is not.
pub fn name_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Some("it is empty".into()),
        Some(c) if !c.is_ascii_lowercase() => {
            return Some(format!("it starts with `{c}`, not a lowercase letter"));
        }
        _ => {}
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
    {
        return Some(format!(
            "it contains `{c}`; use lowercase letters, digits and `_`"
        ));
    }
    if name.ends_with('_') || name.contains("__") {
        return Some("underscores must separate words (no trailing `_`, no `__`)".into());
    }
    if name.len() > MAX_NAME_LEN {
        return Some(format!(
            "it is {} characters long; the limit is {MAX_NAME_LEN}",
            name.len()
        ));
    }
    if KEYWORDS.contains(&name) {
        return Some(format!("`{name}` is a Rust keyword"));
    }
    None
}

/// A snake_case rendering of `name`, as a suggestion.
pub fn snake_case(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
            prev_lower = false;
        }
    }
    let trimmed = out.trim_matches('_');
    match trimmed.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("m_{trimmed}"),
        None => "metric".into(),
        _ => trimmed.to_string(),
    }
}

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
        if let Some(problem) = name_problem(&f.name.value) {
            out.push(
                Diagnostic::new(
                    &INVALID_NAME,
                    p.file,
                    f.name.span.clone(),
                    format!("field name `{}` is invalid: {problem}", f.name.value),
                )
                .help(format!(
                    "rename the field, e.g. `{}`",
                    snake_case(&f.name.value)
                ))
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
