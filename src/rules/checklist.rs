//! Checklist rules: every review question is answered, in the author's own words.

use super::{Rule, Severity};

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
