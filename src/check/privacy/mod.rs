//! Privacy rules: personal data in names, patterns, domains and examples
//! (`personal`), resolution (`resolution`), how much a metric can carry
//! (`information`), fields that spell one number together (`joint`), the
//! reasons that unlock more (`reasons`), and the
//! re-identification budget of an event's payload (`budget`), and its
//! fields about the installation's surroundings together (`quasi`). Sample
//! payloads are scanned by `check::samples`. Each file declares the rules
//! it checks.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Proposal;

pub mod budget;
pub mod information;
pub mod joint;
pub mod personal;
pub mod places;
pub mod quasi;
pub mod reasons;
pub mod resolution;

pub use budget::{budget_summary, check_budget, check_choices};
pub use quasi::check_quasi_identifiers;

/// Lower-case words of names and summaries, split at anything but a letter
/// or digit.
pub(super) fn words_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    texts
        .into_iter()
        .flat_map(|t| t.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// What a field's name and summary say, as [`words_of`].
pub(super) fn said_of(field: &crate::model::Field) -> Vec<String> {
    words_of(
        std::iter::once(field.name.value.as_str())
            .chain(field.summary.as_ref().map(|s| s.value.as_str())),
    )
}

/// The privacy rules about one proposal alone.
pub fn check(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) {
    personal::check(p, &config.pii, out);
    resolution::check(p, config, out);
    information::check(p, config, out);
    joint::check(p, out);
    places::check(p, out);
    reasons::check(p, config, out);
}
