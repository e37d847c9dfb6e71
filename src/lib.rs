//! privet: the privacy gate for usage telemetry.
//!
//! The pipeline reads top to bottom, one module per stage:
//!
//! 1. [`load`]: find the registry, read `privet.toml` and every proposal into
//!    the [`model`], reporting every shape problem with its span;
//! 2. [`resolve`]: provenance of every proposal from git history;
//! 3. [`check`]: the rule families over the loaded registry;
//! 4. [`generate`]: derived files (the rules page, the `metrics` crate) and
//!    their freshness;
//! 5. [`report`]: findings rendered for terminals, JSON Lines or GitHub.
//!
//! Rules are declared as data in [`rules`]; findings are plain data in
//! [`diagnostic`].

pub mod approve;
pub mod automaton;
pub mod buckets;
pub mod check;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod docs;
pub mod fingerprint;
pub mod generate;
pub mod load;
pub mod model;
pub mod parallel;
pub mod pii;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod scaffold;
pub mod scan;
pub mod suggest;
