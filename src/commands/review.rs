//! `privet review NAME`: what a reviewer reads before approving.

use std::path::Path;

use crate::check::Samples;

use super::{CommandError, find_proposal};
use crate::pipeline::{self, Options};

/// `privet review NAME`: the review request of one metric as Markdown,
/// from a check of the whole registry (history when there is one, sample
/// payloads built from the proposals' declared domains).
pub fn review(dir: &Path, name: &str) -> Result<String, CommandError> {
    let checked = pipeline::Run::new(
        dir,
        Options {
            samples: Samples::Model,
            ..Options::default()
        },
    )
    .check()?;
    let p = find_proposal(&checked.registry, name)?;
    Ok(crate::review::markdown(
        &checked.registry,
        &checked.provenance,
        &checked.findings,
        p,
    ))
}
