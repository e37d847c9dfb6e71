//! Metric and field names: what makes one valid, and a suggestion when it
//! is not. The naming rules, the configuration, `privet new` and the
//! generated code all use these.

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

/// Whether `name` is a Rust keyword (and so needs `r#` as an identifier).
pub fn is_rust_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

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
    if is_rust_keyword(name) {
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

/// Keywords that cannot be raw identifiers (`r#self` is not Rust).
const NOT_RAW: &[&str] = &["self", "super", "crate"];

/// Why `name` is not a valid field name, if it is not: as for metrics,
/// except that a Rust keyword is fine (the generated code escapes it as
/// `r#type`) unless it cannot be escaped.
pub fn field_name_problem(name: &str) -> Option<String> {
    if NOT_RAW.contains(&name) {
        return Some(format!(
            "`{name}` is a Rust keyword that generated code cannot use as a field name"
        ));
    }
    name_problem(name).filter(|_| !is_rust_keyword(name))
}

/// `name` as a Rust identifier: raw (`r#type`) when it is a keyword, with
/// a trailing `_` for the keywords that cannot be raw.
pub fn rust_ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if is_rust_keyword(name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}
