//! Payload types generated from the metric registry in `proposals/`.
//!
//! Client crates depend on this crate to build telemetry payloads that can
//! only carry low-resolution values. The generator (`cargo xtask codegen`)
//! does not write payload types yet: until it does, this crate is empty on
//! purpose, and nothing here is generated.
