//! Reasons: every reason that unlocks something (a field's, the budget's)
//! must be one a reviewer can weigh.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Proposal;
use crate::rules::{Rule, Severity};

pub const WEAK_REASON: Rule = Rule {
    id: "weak-reason",
    family: "privacy",
    severity: Severity::Error,
    summary: "a reason that unlocks something is too thin to review",
    what: "A `reason` (of a field, or of `[budget]`) with fewer than \
           `thresholds.min_reason_words` words (default 6), or a placeholder (\"needed\", \
           \"TBD\", \"see ticket\"). A field's reason accepts a patch-level version or a \
           field name that suggests personal data; a budget's reason raises the metric's \
           allowance.",
    why: "A reason is what a reviewer approves in place of the rule it relaxes, and what \
          every report shows next to the metric. \"needed\" cannot be reviewed.",
    example: "[fields.release]\ntype = \"version\"\nresolution = \"patch\"\nreason = \"needed\"",
};

/// `weak-reason`: every reason that unlocks something (a field's, the
/// budget's) must be one a reviewer can weigh.
pub fn check(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) {
    let min = config.thresholds.min_reason_words;
    let budget = p.budget.as_ref().and_then(|b| b.reason.as_ref());
    let fields = p.fields.iter().filter_map(|f| f.reason.as_ref());
    for reason in fields.chain(budget) {
        if let Some(why) = thin(&reason.value, min) {
            out.push(
                Diagnostic::new(
                    &WEAK_REASON,
                    p.file,
                    reason.span.clone(),
                    format!("the reason {why}"),
                )
                .help(format!(
                    "say in a full sentence (at least {min} words) why this is needed and why it stays safe: reviewers approve this text"
                ))
                .metric(&p.name),
            );
        }
    }
}

/// Why `reason` cannot be reviewed, if it cannot: a placeholder, or fewer
/// than `min_words` words that say something (not counting small words
/// such as "this is", nor ticket and link references).
pub(super) fn thin(reason: &str, min_words: usize) -> Option<String> {
    const SMALL: &[&str] = &[
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "is",
        "are",
        "was",
        "be",
        "it",
        "its",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "as",
        "see",
        "per",
        "we",
        "our",
        "us",
        "you",
        "needed",
        "required",
        "necessary",
        "ticket",
        "issue",
        "jira",
        "bug",
        "pr",
        "link",
    ];
    let words = reason
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !w.chars().any(|c| c.is_ascii_digit())
                && !w.contains("://")
                && !SMALL.contains(&w.to_lowercase().as_str())
        })
        .count();
    let norm = crate::check::checklist::normalize(reason);
    const PLACEHOLDERS: &[&str] = &[
        "needed",
        "required",
        "necessary",
        "see ticket",
        "see issue",
        "tbd",
        "todo",
        "n a",
        "none",
        "because",
        "ok",
        "safe",
        "trust me",
    ];
    if PLACEHOLDERS.contains(&norm.as_str()) {
        return Some(format!("\"{}\" is a placeholder", reason.trim()));
    }
    (words < min_words).then(|| {
        format!(
            "says too little ({words} word(s) that carry meaning; at least {min_words} are needed)"
        )
    })
}
