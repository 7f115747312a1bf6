//! Fuzz target `history`: bytes as an intake CSV file read twice by change over time
//! (optionally followed by a NUL and bytes choosing how the second reading differs), on 1 and
//! 2 threads. What it checks is described in `fuzz/src/history.rs`.

#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = screenscore_fuzz::history::run(data);
});
