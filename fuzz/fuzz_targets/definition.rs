//! Fuzz target `definition`: bytes as definition JSON (optionally followed by a NUL and
//! bytes choosing answers) through the loader, scoring, norms, statistics and the batch
//! writers. What it checks is described in `fuzz/src/definition.rs`.

#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = screenscore_fuzz::definition::run(data);
});
