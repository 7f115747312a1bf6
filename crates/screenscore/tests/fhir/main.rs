//! The FHIR types against the CC0 examples in tests/data/fhir (US Core's PHQ-9 Questionnaire
//! and QuestionnaireResponse, the PCO IG's GAD-7; each with its `.source.txt`), and the
//! ResponseReader over single resources, Bundles and NDJSON, its errors and its limits.

mod observations;
mod questionnaires;
mod read;
mod types;
mod weights;

use std::path::PathBuf;

/// The text of `tests/data/fhir/{name}`.
pub fn data(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/fhir")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
