//! `fhir flatten` and `fhir score`.

use super::args::{FhirRead, FhirScore};
use crate::{Failure, Outcome};

/// `fhir flatten`: responses as an intake CSV.
pub fn flatten(_args: FhirRead) -> Outcome {
    Err(Failure::new("fhir flatten: not built yet"))
}

/// `fhir score`: responses scored, Observations written.
pub fn score(_args: FhirScore) -> Outcome {
    Err(Failure::new("fhir score: not built yet"))
}
