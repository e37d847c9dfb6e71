//! Payload types generated from the metric registry in `proposals/`.
//!
//! Client crates depend on this crate to build telemetry payloads that can
//! only carry low-resolution values: raw inputs go in, bucketed, truncated
//! and allow-listed values come out (see [`values`]).
//!
//! - one module per metric (e.g. [`pulp_workers`]), with a struct for its
//!   fields;
//! - [`events`]: one payload type per event, carrying the envelope and the
//!   approved metrics of that event;
//! - [`schemas`]: the JSON Schema of each, as checked in under `schemas/`.
//!
//! Everything but [`values`] is written by `cargo xtask codegen` from the
//! registry; do not edit it by hand.

pub mod values;

#[rustfmt::skip]
mod generated;

pub use generated::*;
