//! Standard codes of an instrument, its items and scales (LOINC, for FHIR), and the published
//! FHIR Questionnaires of the instrument, each with the source it was read in.

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use super::{Definition, Source};

/// The code system URI of LOINC, as FHIR writes it.
pub const LOINC_SYSTEM: &str = "http://loinc.org";

/// The notice that must accompany LOINC content when it is redistributed (every definition
/// that [`uses_loinc`](Definition::uses_loinc) carries LOINC codes).
///
/// The wording is the copyright statement HL7's Terminology Authority expects for
/// `http://loinc.org` in published FHIR artefacts ("Expected Copyright", the IG Publisher's
/// HTA licence conformance analysis, for example <https://hl7.org/fhir/uv/cpg/STU1/qa-hta.html>),
/// which is the statement LOINC's own FHIR CodeSystem resource carries in `copyright`
/// (fhir.loinc.org, CodeSystem `loinc-2.76`, with the years 1995-2023). The licence that
/// requires it is at <http://loinc.org/license>.
pub const LOINC_NOTICE: &str = "This material contains content from LOINC (http://loinc.org). \
LOINC is copyright © 1995-2020, Regenstrief Institute, Inc. and the Logical Observation \
Identifiers Names and Codes (LOINC) Committee and is available at no cost under the license at \
http://loinc.org/license. LOINC® is a registered United States trademark of Regenstrief \
Institute, Inc.";

/// A standard code for an instrument (a LOINC panel), an item (a LOINC question) or a scale (a
/// LOINC total score), with where it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Code {
    /// The code system, as a URI (`http://loinc.org`).
    pub system: String,
    /// The code in that system (`44250-9`).
    pub code: String,
    /// The code system's display name for the code, when the source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Where the code was read (the code system's own page, or the published FHIR resource).
    pub source: Source,
}

impl Code {
    /// Whether the code is a LOINC code (system `http://loinc.org`).
    pub fn is_loinc(&self) -> bool {
        self.system == LOINC_SYSTEM
    }
}

/// A published FHIR Questionnaire of the instrument, named by its canonical URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireRef {
    /// The Questionnaire's canonical `url`, exactly as published.
    pub url: String,
    /// Where it is published (the implementation guide and the resource's file).
    pub source: Source,
}

impl Definition {
    /// Whether the definition carries any LOINC code: the instrument's, an item's or a scale's
    /// `codes`, or a response option's `code` (LOINC answer codes start `LA`). A definition
    /// that does is shown with [`LOINC_NOTICE`].
    ///
    /// ```
    /// use screenscore::Instrument;
    ///
    /// assert!(Instrument::builtin("phq9")?.definition().uses_loinc());
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn uses_loinc(&self) -> bool {
        let loinc = |codes: &[Code]| codes.iter().any(Code::is_loinc);
        loinc(&self.codes)
            || self.items.iter().any(|i| loinc(&i.codes))
            || self.scales.iter().any(|s| loinc(&s.codes))
            || self
                .response_sets
                .iter()
                .flat_map(|s| &s.options)
                .filter_map(|o| o.code.as_deref())
                .any(is_loinc_answer)
    }
}

/// Whether a response option's code is a LOINC answer code: `LA`, digits, `-`, one check digit.
///
/// ```
/// use screenscore::definition::is_loinc_answer;
/// assert!(is_loinc_answer("LA6568-5"));
/// assert!(!is_loinc_answer("44250-9"));
/// ```
pub fn is_loinc_answer(code: &str) -> bool {
    let Some(rest) = code.strip_prefix("LA") else {
        return false;
    };
    let Some((number, check)) = rest.split_once('-') else {
        return false;
    };
    !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && check.len() == 1
        && check.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::is_loinc_answer;

    #[test]
    fn loinc_answer_codes_are_recognised_by_their_form() {
        assert!(is_loinc_answer("LA6568-5"));
        assert!(is_loinc_answer("LA33-6"));
        assert!(!is_loinc_answer("LA6568"));
        assert!(!is_loinc_answer("44250-9"));
        assert!(!is_loinc_answer("LA-5"));
        assert!(!is_loinc_answer("LAx-5"));
    }
}
