//! `privet explain [RULE]`: a rule's documentation, or the list of rules.

use crate::catalog;
use crate::docs;

use super::CommandError;

/// `privet explain`: every rule, one per line, or one rule's documentation.
pub fn explain(rule: Option<&str>) -> Result<String, CommandError> {
    let Some(id) = rule else {
        return Ok(catalog::ALL
            .iter()
            .map(|r| format!("{:<24}{:<9}{}\n", r.id, r.severity.as_str(), r.summary))
            .collect());
    };
    match catalog::find(id) {
        Some(r) => Ok(docs::explain(r)),
        None => {
            let mut e = CommandError::usage(format!("no rule named `{id}`"));
            if let Some(best) = catalog::closest(id) {
                e = e.help(format!("did you mean `{best}`?"));
            }
            Err(e.help("`privet explain` lists every rule"))
        }
    }
}
