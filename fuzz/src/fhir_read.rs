//! Target `fhir_read`: bytes as a FHIR JSON file (one QuestionnaireResponse, a Bundle or
//! NDJSON) through `screenscore::fhir::ResponseReader`.
//!
//! Checks:
//! - reading never panics, whatever the bytes, and ends: there are at most as many items as
//!   bytes, plus one;
//! - every response read is written back by its `Serialize` and reads back the same;
//! - every error has a message.

use screenscore::fhir::{QuestionnaireResponse, ResponseReader};

/// What became of the input, for regression tests.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Responses read.
    pub responses: usize,
    /// Errors (of lines, entries or the whole input).
    pub errors: usize,
    /// Resources of other types skipped.
    pub skipped: u64,
}

/// Reads `data` to the end.
pub fn run(data: &[u8]) -> Outcome {
    let mut outcome = Outcome::default();
    let mut reader = ResponseReader::new(data, Some("fuzz".into()));
    for item in reader.by_ref() {
        match item {
            Ok(located) => {
                outcome.responses += 1;
                let text = serde_json::to_string(&located.response).expect("a response writes");
                let back: QuestionnaireResponse =
                    serde_json::from_str(&text).expect("a response written reads back");
                assert_eq!(back, located.response, "{text}");
            }
            Err(e) => {
                outcome.errors += 1;
                assert!(!e.to_string().is_empty());
            }
        }
        assert!(
            outcome.responses + outcome.errors <= data.len() + 1,
            "more items than bytes"
        );
    }
    outcome.skipped = reader.skipped().values().sum();
    outcome
}
