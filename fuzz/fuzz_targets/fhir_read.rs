//! Fuzz target `fhir_read`: bytes as a FHIR JSON file (a QuestionnaireResponse, a Bundle or
//! NDJSON) through the streaming response reader. What it checks is described in
//! `fuzz/src/fhir_read.rs`.

#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = screenscore_fuzz::fhir_read::run(data);
});
