//! What a rule is: an id that never changes, a default severity, a one-line
//! summary and its documentation (what it flags, why, an example that
//! triggers it).
//!
//! Each rule is declared as a constant next to the check that emits it,
//! as cargo declares its lints: the naming rules in `check/naming.rs`, the
//! rules about reading files in `load`, the history rules in
//! `check/provenance.rs`. A rule emitted by more than one stage is declared
//! in the earliest (`io-error` in `load`, used by `generate` too).
//! `catalog::ALL` lists them all, in documentation order; `docs/rules.md`
//! and `privet explain` are generated from it. `tests/tidy.rs` checks that
//! every declared rule is in the catalog and that the file declaring a rule
//! emits it.

use std::fmt;

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
