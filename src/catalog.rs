//! The catalog: every rule privet enforces, in documentation order.
//!
//! Rules are declared next to the checks that emit them, in the stage that
//! can see the problem (see `rules`); this list, above every stage, is the
//! one place that names them all. `docs/rules.md`, `privet explain`, SARIF
//! output and the memo's stored findings read it.

use crate::check::{
    anchors, checklist, example, fields, lifecycle, naming, privacy, provenance, samples,
};
use crate::rules::Rule;
use crate::{generate, load, resolve};

/// All rules, in documentation order.
pub static ALL: &[&Rule] = &[
    &load::IO_ERROR,
    &load::FILE_TOO_LARGE,
    &load::INVALID_UTF8,
    &load::TOML_SYNTAX,
    &load::proposal::EMPTY_FILE,
    &load::HIDDEN_TEXT,
    &load::UNREAD_FILE,
    &load::toml::UNKNOWN_KEY,
    &load::toml::WRONG_TYPE,
    &load::toml::MISSING_KEY,
    &load::proposal::INVALID_VALUE,
    &load::proposal::KEY_CONFLICT,
    &load::toml::EMPTY_LIST,
    &load::toml::DUPLICATE_VALUE,
    &naming::INVALID_NAME,
    &naming::NAME_MISMATCH,
    &naming::DUPLICATE_NAME,
    &checklist::CHECKLIST_MISSING,
    &checklist::CHECKLIST_PLACEHOLDER,
    &checklist::CHECKLIST_TERSE,
    &fields::NO_FIELDS,
    &load::toml::BUCKET_EDGES,
    &fields::TOO_MANY_BUCKETS,
    &load::proposal::BAD_PATTERN,
    &example::EXAMPLE_MISMATCH,
    &privacy::personal::PII_IN_EXAMPLE,
    &privacy::personal::PII_FIELD_NAME,
    &privacy::personal::PII_IN_DOMAIN,
    &privacy::personal::PATTERN_ADMITS_PII,
    &samples::SAMPLE_PII,
    &privacy::resolution::PATCH_VERSION,
    &privacy::resolution::FINE_BUCKETS,
    &privacy::information::FIELD_INFORMATION,
    &privacy::information::METRIC_INFORMATION,
    &privacy::joint::JOINT_ENCODING,
    &privacy::places::PLACE_MEASUREMENTS,
    &privacy::information::BUDGET_CEILING,
    &privacy::information::BUDGET_UNNEEDED,
    &privacy::reasons::WEAK_REASON,
    &privacy::personal::ANALYSIS_LIMIT,
    &privacy::budget::REIDENTIFICATION_BUDGET,
    &privacy::quasi::QUASI_IDENTIFIERS,
    &lifecycle::UNKNOWN_EVENT,
    &lifecycle::EXPIRED,
    &lifecycle::EXPIRES_SOON,
    &lifecycle::APPROVAL_MISSING,
    &lifecycle::APPROVAL_REVIEWER,
    &lifecycle::APPROVAL_QUORUM,
    &lifecycle::IMPORT_UNDECIDED,
    &resolve::HISTORY_UNAVAILABLE,
    &provenance::UNCOMMITTED,
    &provenance::APPROVAL_STALE,
    &provenance::SELF_APPROVAL,
    &provenance::APPROVAL_FORGED,
    &provenance::APPROVAL_UNATTRIBUTED,
    &anchors::ANCHORS_CHANGED,
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
