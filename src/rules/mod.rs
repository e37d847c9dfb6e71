//! Every rule privet enforces, declared once as data.
//!
//! A rule is an id that never changes, a default severity, a one-line summary
//! and its documentation (what it flags, why, an example that triggers it).
//! `docs/rules.md` and `privet explain` are generated from these declarations.
//!
//! Rules are grouped by family, one file per family. A family's file declares
//! its rules; the code that emits them lives in the pipeline stage that can
//! see the problem (`tests/tidy.rs` checks this table against the code):
//!
//! | family | declared in | emitted by |
//! |---|---|---|
//! | input | `rules/input.rs` | `load` (reading and parsing files), `generate` (an output path it must not write) |
//! | structure | `rules/structure.rs` | `load` (shape of proposals and privet.toml) |
//! | fields | `rules/fields.rs` | `load` (type declarations) and `check::fields` |
//! | naming | `rules/naming.rs` | `check::naming` |
//! | checklist | `rules/checklist.rs` | `check::checklist` |
//! | example | `rules/example.rs` | `check::example` |
//! | privacy | `rules/privacy.rs` | `check::privacy` (PII engine in src/pii), `check::samples` (sample payloads) |
//! | lifecycle | `rules/lifecycle.rs` | `check::lifecycle` |
//! | provenance | `rules/provenance.rs` | `resolve` (history-unavailable), `check::provenance` (history from resolve), `check::anchors` (the base's trust anchors) |
//! | generate | `rules/generate.rs` | `generate` (freshness of checked-in output) |

use std::fmt;

pub mod checklist;
pub mod example;
pub mod fields;
pub mod generate;
pub mod input;
pub mod lifecycle;
pub mod naming;
pub mod privacy;
pub mod provenance;
pub mod structure;

/// How bad a finding is. `Error` fails the audit (exit code 1).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule, as data.
#[derive(Debug)]
pub struct Rule {
    /// Stable identifier, kebab-case. Never reused or renamed.
    pub id: &'static str,
    /// Family the rule belongs to (the file it is declared in).
    pub family: &'static str,
    pub severity: Severity,
    /// One line, shown in listings.
    pub summary: &'static str,
    /// What the rule flags.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A proposal fragment (TOML) that triggers the rule.
    pub example: &'static str,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// All rules, in documentation order.
pub static ALL: &[&Rule] = &[
    &input::IO_ERROR,
    &input::FILE_TOO_LARGE,
    &input::INVALID_UTF8,
    &input::TOML_SYNTAX,
    &input::EMPTY_FILE,
    &input::HIDDEN_TEXT,
    &input::UNREAD_FILE,
    &structure::UNKNOWN_KEY,
    &structure::WRONG_TYPE,
    &structure::MISSING_KEY,
    &structure::INVALID_VALUE,
    &structure::KEY_CONFLICT,
    &structure::EMPTY_LIST,
    &structure::DUPLICATE_VALUE,
    &naming::INVALID_NAME,
    &naming::NAME_MISMATCH,
    &naming::DUPLICATE_NAME,
    &checklist::CHECKLIST_MISSING,
    &checklist::CHECKLIST_PLACEHOLDER,
    &checklist::CHECKLIST_TERSE,
    &fields::NO_FIELDS,
    &fields::BUCKET_EDGES,
    &fields::TOO_MANY_BUCKETS,
    &fields::BAD_PATTERN,
    &example::EXAMPLE_MISMATCH,
    &privacy::PII_IN_EXAMPLE,
    &privacy::PII_FIELD_NAME,
    &privacy::PII_IN_DOMAIN,
    &privacy::PATTERN_ADMITS_PII,
    &privacy::SAMPLE_PII,
    &privacy::PATCH_VERSION,
    &privacy::FINE_BUCKETS,
    &privacy::FIELD_INFORMATION,
    &privacy::METRIC_INFORMATION,
    &privacy::BUDGET_CEILING,
    &privacy::WEAK_REASON,
    &privacy::ANALYSIS_LIMIT,
    &privacy::REIDENTIFICATION_BUDGET,
    &lifecycle::UNKNOWN_EVENT,
    &lifecycle::EXPIRED,
    &lifecycle::EXPIRES_SOON,
    &lifecycle::APPROVAL_MISSING,
    &lifecycle::APPROVAL_REVIEWER,
    &lifecycle::APPROVAL_QUORUM,
    &lifecycle::IMPORT_UNDECIDED,
    &provenance::HISTORY_UNAVAILABLE,
    &provenance::UNCOMMITTED,
    &provenance::APPROVAL_STALE,
    &provenance::SELF_APPROVAL,
    &provenance::APPROVAL_FORGED,
    &provenance::APPROVAL_UNATTRIBUTED,
    &provenance::ANCHORS_CHANGED,
    &provenance::BREAKING_CHANGE,
    &generate::STALE_OUTPUT,
];

/// Looks a rule up by id.
pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

/// The ids closest to `id` (for "did you mean").
pub fn closest(id: &str) -> Option<&'static str> {
    crate::suggest::closest(id, ALL.iter().map(|r| r.id))
}
