//! The code of the fuzz targets, as a library: each target's binary in `fuzz_targets/` calls
//! one `run` function here, and `crates/screenscore/tests/fuzz_regressions.rs` includes these
//! same files (with `#[path]`) to replay every input kept under `tests/data/fuzz/` with stable
//! Rust.

#![forbid(unsafe_code)]

pub mod bytes;
pub mod common;
pub mod csv_score;
pub mod definition;
pub mod fhir_read;
pub mod history;
pub mod rules;
