//! Checklist rules.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{CHECKLIST, ChecklistItem, Proposal};

use crate::rules::{Rule, Severity};

pub const CHECKLIST_MISSING: Rule = Rule {
    id: "checklist-missing",
    family: "checklist",
    severity: Severity::Error,
    summary: "a review checklist question is not answered",
    what: "A proposal without one of the checklist answers: `summary`, `question`, \
           `gathering`, `burden`, `pii`, `sanitization`, `since`, `alternatives`, \
           `summarization`, `visualization`, or the `[example]` table.",
    why: "The checklist is the review. A metric that cannot say what question it answers, \
          why it is not personal data or how it will be shown should not be collected.",
    example: "summary = \"Number of Pulp workers\"\n# no `pii` answer anywhere in the file",
};

pub const CHECKLIST_PLACEHOLDER: Rule = Rule {
    id: "checklist-placeholder",
    family: "checklist",
    severity: Severity::Error,
    summary: "a checklist answer is empty or a placeholder",
    what: "An answer that is empty, white space, a placeholder (`TBD`, `TODO`, `n/a`, \
           `none`, `-`, `?`, `...`, `FIXME`) or a copy of the question itself; an empty \
           `[example]` table.",
    why: "A placeholder looks like an answer in a diff but tells the reviewer nothing.",
    example: "pii = \"TBD\"",
};

pub const CHECKLIST_TERSE: Rule = Rule {
    id: "checklist-terse",
    family: "checklist",
    severity: Severity::Warning,
    summary: "a checklist answer is too short to be an answer",
    what: "An answer with fewer words than `thresholds.min_answer_words` in `privet.toml` \
           (default 3), for example a bare `No` to \"Is this personally identifiable? Why \
           or why not?\". `since` is exempt: a release number is a full answer.",
    why: "Most checklist questions ask *why* or *how*. One word cannot say why a value \
          is not personal data; a reviewer has to ask again.",
    example: "pii = \"No\"",
};

/// Answers that say nothing, compared after [`normalize`].
const PLACEHOLDERS: &[&str] = &[
    "",
    "tbd",
    "t b d",
    "t b a",
    "t b c",
    "tba",
    "todo",
    "to do",
    "fixme",
    "xxx",
    "n a",
    "na",
    "none",
    "nothing",
    "unknown",
    "later",
    "wip",
    "tbc",
    "to be determined",
    "to be decided",
    "to be done",
    "same as above",
    "see above",
    "see below",
    "ditto",
    "answer",
    "your answer here",
    "fill me in",
    "fill in",
    "placeholder",
    "lorem ipsum",
];

/// Prefixes that mark an unfinished answer ("TODO: ask ops").
const PLACEHOLDER_PREFIXES: &[&str] = &["todo", "tbd", "fixme", "xxx"];

/// Lowercase words of `s`, joined by single spaces; punctuation dropped.
pub(super) fn normalize(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why `answer` is not an answer to `item`, if it is not.
pub fn placeholder(answer: &str, item: &ChecklistItem) -> Option<String> {
    if answer.trim().is_empty() {
        return Some("is empty".into());
    }
    let norm = normalize(answer);
    if PLACEHOLDERS.contains(&norm.as_str()) {
        return Some(format!("is a placeholder (\"{}\")", answer.trim()));
    }
    let first = norm.split(' ').next().unwrap_or("");
    let raw_first = answer
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if PLACEHOLDER_PREFIXES.contains(&first) && raw_first.chars().all(|c| c.is_uppercase()) {
        return Some(format!("starts with the placeholder `{raw_first}`"));
    }
    let question = normalize(item.question);
    if norm == question {
        return Some("repeats the question instead of answering it".into());
    }
    if let Some(rest) = norm.strip_prefix(question.as_str())
        && rest.split_whitespace().count() <= 2
    {
        return Some("repeats the question instead of answering it".into());
    }
    None
}

pub fn check(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) {
    for item in CHECKLIST {
        if item.key == "example" {
            check_example_present(p, item, out);
            continue;
        }
        if p.unreadable.contains(&item.key) {
            continue; // reported as `wrong-type` or `unknown-key` while loading
        }
        let Some(answer) = p.answers.get(item.key) else {
            out.push(
                Diagnostic::new(
                    &CHECKLIST_MISSING,
                    p.file,
                    0..0,
                    format!(
                        "checklist question `{}` is not answered: {}",
                        item.key, item.question
                    ),
                )
                .help(format!(
                    "add `{} = \"…\"` at the top of the file. {}",
                    item.key, item.hint
                ))
                .metric(&p.name),
            );
            continue;
        };
        if let Some(why) = placeholder(&answer.value, item) {
            out.push(
                Diagnostic::new(
                    &CHECKLIST_PLACEHOLDER,
                    p.file,
                    answer.span.clone(),
                    format!("answer to `{}` {why}", item.key),
                )
                .label(item.question)
                .help(format!("answer in your own words. {}", item.hint))
                .metric(&p.name),
            );
            continue;
        }
        let words = answer.value.split_whitespace().count();
        let min = config.thresholds.min_answer_words;
        if item.key != "since" && words < min {
            out.push(
                Diagnostic::new(
                    &CHECKLIST_TERSE,
                    p.file,
                    answer.span.clone(),
                    format!(
                        "answer to `{}` has {words} word{}; at least {min} expected",
                        item.key,
                        plural(words)
                    ),
                )
                .label(item.question)
                .help(format!("say why or how, not only yes or no. {}", item.hint))
                .metric(&p.name),
            );
        }
    }
}

fn check_example_present(p: &Proposal, item: &ChecklistItem, out: &mut Vec<Diagnostic>) {
    match &p.example {
        None => out.push(
            Diagnostic::new(
                &CHECKLIST_MISSING,
                p.file,
                0..0,
                format!(
                    "checklist question `example` is not answered: {}",
                    item.question
                ),
            )
            .help("add an [example] table with one value per field, exactly as sent")
            .metric(&p.name),
        ),
        Some(ex) if ex.value.is_empty() => out.push(
            Diagnostic::new(
                &CHECKLIST_PLACEHOLDER,
                p.file,
                ex.span.clone(),
                "the [example] table is empty",
            )
            .label(item.question)
            .help("give one value per field, exactly as sent (bucket labels, truncated versions)")
            .metric(&p.name),
        ),
        Some(_) => {}
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str) -> &'static ChecklistItem {
        CHECKLIST.iter().find(|c| c.key == key).unwrap()
    }

    #[test]
    fn placeholders_are_caught() {
        let pii = item("pii");
        for bad in [
            "",
            "  ",
            "TBD",
            "t.b.d.",
            "N/A",
            "n/a",
            "TODO",
            "-",
            "?",
            "...",
            "None",
            "FIXME: later",
        ] {
            assert!(
                placeholder(bad, pii).is_some(),
                "{bad:?} should be a placeholder"
            );
        }
        assert!(placeholder("Is this personally identifiable? Why or why not?", pii).is_some());
        assert!(placeholder("is this personally identifiable why or why not", pii).is_some());
    }

    #[test]
    fn real_answers_pass() {
        let pii = item("pii");
        for good in [
            "No: the value is a bucket label out of eight.",
            "Todo lists are not collected; only their count, bucketed.",
            "None of the values identify a person: enum of three backends.",
        ] {
            assert_eq!(placeholder(good, pii), None, "{good:?}");
        }
    }
}
