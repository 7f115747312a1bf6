//! `fhir questionnaire` and `fhir import-questionnaire`.

use std::path::Path;

use crate::{Failure, Outcome};

/// `fhir questionnaire ID`: the definition as an R4 Questionnaire.
pub fn write(_instrument: &str, _output: Option<&Path>) -> Outcome {
    Err(Failure::new("fhir questionnaire: not built yet"))
}

/// `fhir import-questionnaire Q.json`: a definition skeleton.
pub fn import(_questionnaire: &Path, _output: Option<&Path>) -> Outcome {
    Err(Failure::new("fhir import-questionnaire: not built yet"))
}
