//! Rust source text the generators share: string literals, and what a
//! doc comment they write becomes in a schema. A leaf: every generator of
//! Rust may use it, and it uses none of them.

/// `s` as a Rust string literal.
pub(super) fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// What schemars takes from a doc comment a generator wrote (`rust.rs`'s
/// `doc`): the lines joined by newlines (blank lines empty, trailing space
/// cut), trimmed; a first line starting with `#` is a title. Returns
/// `(title, description)`, either possibly empty.
pub fn doc_metadata(text: &str) -> (String, String) {
    let doc: Vec<&str> = text
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                ""
            } else {
                l.trim_end()
            }
        })
        .collect();
    let doc = doc.join("\n");
    let doc = doc.trim_matches(|c: char| c.is_ascii_whitespace());
    let (title, description) = match doc.strip_prefix('#') {
        Some(_) => {
            let end = doc.find('\n').unwrap_or(doc.len());
            (
                doc[..end]
                    .trim_start_matches('#')
                    .trim_matches(|c: char| c.is_ascii_whitespace()),
                doc[end..].trim_matches(|c: char| c.is_ascii_whitespace()),
            )
        }
        None => ("", doc),
    };
    (title.to_string(), description.to_string())
}
