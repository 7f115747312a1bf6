//! Fuzz target `rules`: bytes as choices of a definition with generated rules, skips and
//! `applies_if` conditions (or a built-in with rules), and of answers to it. What it checks
//! is described in `fuzz/src/rules.rs`.

#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = screenscore_fuzz::rules::run(data);
});
