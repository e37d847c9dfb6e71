//! `privet log NAME`: the commits that introduced and changed a proposal.

use std::path::Path;

use crate::fingerprint;
use crate::load;
use crate::report::Format;
use crate::resolve::{self, HistoryMode, Provenance};

use super::{CommandError, no_proposal, unloaded};

/// `privet log`: the story of `name` (human text, or one JSON object).
pub fn log(dir: &Path, name: &str, format: Format) -> Result<String, CommandError> {
    let registry = load::load(dir)?;
    let resolved = resolve::run(&registry, HistoryMode::IfAvailable);
    let history = match &resolved.provenance {
        Provenance::Available(h) => h,
        Provenance::Unavailable(why) => {
            return Err(CommandError::usage(why.describe()).help(why.fix()));
        }
        Provenance::Skipped => unreachable!("history was read"),
    };
    let current = registry
        .proposals
        .iter()
        .find(|p| p.name == name)
        .map(fingerprint::current);
    if current.is_none() && history.events(name).is_empty() {
        let why = unloaded(&registry, &registry.findings, name);
        if let Some(first) = why.first() {
            // There is a file, but it neither loads nor has a history yet.
            return Ok(format!(
                "{name}: {} is not committed yet, and it does not load ({}); run `privet check`\n",
                registry.sources.path(&first.file),
                first.rule.id
            ));
        }
        return Err(no_proposal(&registry, name));
    }
    let current = current.as_ref().map(|(f, d)| (f.as_str(), d.as_str()));
    Ok(match format {
        Format::Json => format!("{}\n", resolve::story::json(history, name, current)),
        _ => resolve::story::human(history, name, current),
    })
}
