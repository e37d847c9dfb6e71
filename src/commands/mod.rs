//! The commands, one file each (as ruff's `commands/*.rs`): each holds
//! what its command does and nothing another command needs. A command
//! runs the stages through [`crate::pipeline`] and prints through
//! [`crate::report`]; `cli` parses arguments and calls one of these.
//!
//! Functions that print take `out` and `err` and return the exit code;
//! the others return what a command prints on success, or a
//! [`CommandError`] that says what went wrong and what to do.

pub mod approve;
pub mod audit;
pub mod check;
pub mod explain;
pub mod generate;
pub mod import;
pub mod init;
pub mod input;
pub mod log;
pub mod new;
pub mod review;
pub mod scan;
pub mod validate;

use std::path::Path;

use crate::diagnostic::{self, Diagnostic};
use crate::files::display;
use crate::load::{FatalError, Registry};
use crate::model::Proposal;
use crate::report::{self, EXIT_FINDINGS, EXIT_USAGE, Format};
use crate::suggest;

/// Why a command did not do what it was asked: printed as `error:` and
/// `help:` lines after `preface` (findings that explain it), with `code` as
/// the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    pub code: i32,
    pub preface: String,
    pub message: String,
    pub help: Vec<String>,
}

impl CommandError {
    /// A usage or I/O error (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CommandError {
            code: EXIT_USAGE,
            preface: String::new(),
            message: message.into(),
            help: Vec::new(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}error: {}", self.preface, self.message)?;
        for h in &self.help {
            write!(f, "\nhelp: {h}")?;
        }
        Ok(())
    }
}

impl From<FatalError> for CommandError {
    fn from(e: FatalError) -> Self {
        CommandError::usage(e.0)
    }
}

/// The proposal named `name`, or a usage error with a suggestion.
fn find_proposal<'r>(registry: &'r Registry, name: &str) -> Result<&'r Proposal, CommandError> {
    registry
        .proposals
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| no_proposal(registry, name))
}

/// The findings of the file(s) named `NAME.toml` that did not load as a
/// proposal (a syntax error, an unreadable file): why `name` is not there.
fn unloaded<'f>(
    registry: &Registry,
    findings: &'f [Diagnostic],
    name: &str,
) -> Vec<&'f Diagnostic> {
    findings
        .iter()
        .filter(|d| {
            let path = registry.sources.path(&d.file);
            Path::new(path).file_stem().is_some_and(|s| s == name)
                && Path::new(path).extension().is_some_and(|e| e == "toml")
                && !is_config(path)
        })
        .collect()
}

/// Refuses a command while `privet.toml` has findings that `refuses`, and
/// shows them.
fn refuse_over_config(
    findings: &[Diagnostic],
    sources: &diagnostic::Sources,
    refuses: impl Fn(&Diagnostic) -> bool,
    what: &str,
) -> Result<(), CommandError> {
    let errors: Vec<Diagnostic> = findings
        .iter()
        .filter(|d| refuses(d) && is_config(sources.path(&d.file)))
        .cloned()
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    Err(CommandError {
        code: EXIT_FINDINGS,
        preface: report::render(&errors, sources, Format::Human),
        message: format!(
            "{} has {} error(s); {what}",
            crate::config::FILE_NAME,
            errors.len()
        ),
        help: Vec::new(),
    })
}

/// Whether a finding's path is the registry's `privet.toml`.
fn is_config(path: &str) -> bool {
    Path::new(path)
        .file_name()
        .is_some_and(|f| f == crate::config::FILE_NAME)
}

/// `name` exists as a file but did not load: its findings, as the error.
fn unloaded_error(registry: &Registry, findings: &[&Diagnostic], name: &str) -> CommandError {
    let owned: Vec<Diagnostic> = findings.iter().map(|d| (*d).clone()).collect();
    let io = owned.iter().any(|d| d.rule == &crate::load::IO_ERROR);
    CommandError {
        code: if io { EXIT_USAGE } else { EXIT_FINDINGS },
        preface: report::render(&owned, &registry.sources, Format::Human),
        message: format!(
            "`{name}` did not load: {}",
            registry.sources.path(&owned[0].file)
        ),
        help: vec!["fix the findings above first".into()],
    }
}

fn no_proposal(registry: &Registry, name: &str) -> CommandError {
    let mut e = CommandError::usage(format!(
        "no proposal named `{name}` in {}",
        display(&registry.proposals_dir)
    ));
    if let Some(best) = suggest::closest(name, registry.proposals.iter().map(|p| p.name.as_str())) {
        e = e.help(format!("did you mean `{best}`?"));
    }
    e
}

/// Who runs a command, as git knows them: `user.name` and `user.email` of
/// the repository around `dir`, else of the user's and system's git
/// configuration; empty values count as unset. (The one git-configuration
/// lookup that `init`, `new` and `approve` share.)
#[derive(Clone, Debug, Default)]
pub struct Identity {
    pub name: Option<String>,
    pub email: Option<String>,
    /// git's `user.signingkey`: a key file, or a public key line.
    pub signing_key: Option<String>,
}

impl Identity {
    pub fn of_git(dir: &Path) -> Identity {
        let config = git2::Repository::discover(dir)
            .and_then(|r| r.config())
            .or_else(|_| git2::Config::open_default());
        let get = |key: &str| {
            config
                .as_ref()
                .ok()
                .and_then(|c| c.get_string(key).ok())
                .filter(|v| !v.trim().is_empty())
        };
        Identity {
            name: get("user.name"),
            email: get("user.email"),
            signing_key: get("user.signingkey"),
        }
    }

    /// `Name <email>`, `Name`, or `None` without a name.
    pub fn owner(&self) -> Option<String> {
        let name = self.name.clone()?;
        Some(match &self.email {
            Some(email) => format!("{name} <{email}>"),
            None => name,
        })
    }
}
