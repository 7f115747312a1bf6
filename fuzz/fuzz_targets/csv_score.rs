//! Fuzz target `csv_score`: bytes as an intake CSV file, batch-scored with every built-in
//! instrument into every writer. What it checks is described in `fuzz/src/csv_score.rs`.

#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = screenscore_fuzz::csv_score::run(data);
});
