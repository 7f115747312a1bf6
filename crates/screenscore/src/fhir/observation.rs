//! `Observation` (<https://hl7.org/fhir/R4/observation.html>), as a score is written: elements
//! in FHIR's order.

use serde::{Deserialize, Serialize};

use super::datatypes::{
    Annotation, CodeableConcept, Extension, Identifier, Meta, Quantity, Reference,
};
use super::resource::ObservationType;

/// An observation: a score, with its interpretation and what it was derived from.
///
/// ```
/// use screenscore::fhir::{CodeableConcept, Coding, Observation, Quantity};
///
/// let observation = Observation {
///     status: "final".into(),
///     code: CodeableConcept::coding(Coding::new("http://loinc.org", "44261-6")),
///     value_quantity: Some(Quantity { value: Some(12.0), ..Quantity::default() }),
///     ..Observation::default()
/// };
/// assert_eq!(
///     serde_json::to_string(&observation)?,
///     r#"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44261-6"}]},"valueQuantity":{"value":12}}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Observation {
    /// Always `Observation`.
    pub resource_type: ObservationType,
    /// The logical id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Metadata (profiles).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// Business identifiers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// `registered`, `preliminary`, `final`, `amended`, ….
    pub status: String,
    /// Categories (`survey`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// What was observed (the score's code).
    pub code: CodeableConcept,
    /// The patient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    /// The encounter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encounter: Option<Reference>,
    /// When it holds (dateTime).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_date_time: Option<String>,
    /// When it was made available (instant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    /// Who is responsible.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub performer: Vec<Reference>,
    /// The value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    /// The value as a code (an answer: a LOINC answer code and its text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_codeable_concept: Option<CodeableConcept>,
    /// Why there is no value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_absent_reason: Option<CodeableConcept>,
    /// High, low, a severity band.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interpretation: Vec<CodeableConcept>,
    /// Comments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    /// Observations grouped under this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub has_member: Vec<Reference>,
    /// What the value was derived from (the QuestionnaireResponse).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derived_from: Vec<Reference>,
    /// Component results (subscales).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub component: Vec<ObservationComponent>,
}

/// `Observation.component`: one more result under the same observation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObservationComponent {
    /// Extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// What was observed.
    pub code: CodeableConcept,
    /// The value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    /// Why there is no value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_absent_reason: Option<CodeableConcept>,
    /// Its interpretation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interpretation: Vec<CodeableConcept>,
}
