//! privet: the privacy gate for usage telemetry.
//!
//! The pipeline reads top to bottom, one module per stage; each stage takes
//! typed values from the ones before it and never imports a later one
//! (`tests/tidy.rs` keeps it so):
//!
//! 1. [`load`]: find the registry, read `privet.toml` and every proposal into
//!    the [`model`], reporting every shape problem with its span;
//! 2. [`resolve`]: provenance of every proposal from git history;
//! 3. [`check`]: the rule families over the loaded registry and its provenance;
//! 4. [`generate`]: derived files (the JSON Schemas, the Rust client crate,
//!    the rules page) and their freshness;
//! 5. [`report`]: findings rendered for terminals, JSON Lines, GitHub or SARIF.
//!
//! [`pipeline`] runs the stages for each command (the library API `cargo
//! xtask` and the tests use); [`cli`] parses arguments and calls it.
//!
//! Below all stages are helpers they share: rules declared as data in
//! [`rules`], findings as plain data in [`diagnostic`], the [`model`],
//! [`names`], [`files`] (atomic writes), [`fingerprint`]s, [`shipping`]
//! (what is generated and what ships), authenticated records in
//! `.git/privet` ([`sealed`]), the [`memo`] of a run's per-proposal
//! results, the PII engine [`pii`] and payload
//! [`scan`]ning, proposal edits ([`approve`], [`scaffold`]), a new registry's files
//! ([`init`]) and small
//! utilities.

pub mod automaton;
pub mod bits;
pub mod buckets;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod docs;
pub mod domain;
pub mod files;
pub mod fingerprint;
pub mod generate;
pub mod import;
pub mod load;
pub mod memo;
pub mod model;
pub mod names;
pub mod parallel;
pub mod pii;
pub mod pipeline;
pub mod rarity;
pub mod report;
pub mod resolve;
pub mod review;
pub mod rules;
pub mod scaffold;
pub mod scan;
pub mod sealed;
pub mod shipping;
pub mod signature;
pub mod suggest;
pub mod text;
pub mod validate;
pub mod vocabulary;
