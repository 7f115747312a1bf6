//! FHIR R4 JSON (feature `fhir`): hand-written serde types for the resources a screening
//! workflow meets — [`QuestionnaireResponse`] (answers in), [`Questionnaire`] (items and answer
//! weights), [`Bundle`] and [`Observation`] (scores out) — [`ResponseReader`], which streams
//! QuestionnaireResponses out of a file of one resource, a Bundle or NDJSON (a Bulk Data
//! export), and [`ObservationWriter`], a row sink writing each scored scale as an Observation
//! (observations.rs; ids.rs: stable ids and UUIDs).
//!
//! The types follow the R4 JSON format (<https://hl7.org/fhir/R4/json.html>): element names in
//! camelCase, absent elements left out, `value[x]` choices as one `valueX` key ([`AnswerValue`]).
//! Reading ignores elements the types do not name and keeps every `extension` (as
//! [`Extension`]: its `url` and the rest as read), so a resource written back carries them.
//! Each resource struct has a `resource_type` field, a unit type that writes `resourceType`
//! first and refuses another type when read; [`Resource`] reads any resource by its type.
//!
//! ```
//! use screenscore::fhir::ResponseReader;
//!
//! let bundle = r#"{"resourceType": "Bundle", "type": "collection", "entry": [
//!   {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "QuestionnaireResponse",
//!     "item": [{"linkId": "1", "answer": [{"valueInteger": 2}]}]}},
//!   {"resource": {"resourceType": "Patient"}}
//! ]}"#;
//! let mut reader = ResponseReader::new(bundle.as_bytes(), None);
//! let first = reader.next().unwrap()?;
//! assert_eq!(first.origin.entry, Some(0));
//! assert_eq!(first.origin.full_url.as_deref(), Some("urn:uuid:1"));
//! assert!(reader.next().is_none());
//! assert_eq!(reader.skipped().get("Patient"), Some(&1));
//! # Ok::<(), screenscore::fhir::FhirError>(())
//! ```

mod answers;
mod bundle;
mod datatypes;
mod error;
mod flatten;
mod ids;
mod import;
mod link;
mod observation;
mod observations;
mod questionnaire;
mod read;
mod render;
mod resource;
mod response;
mod scan;
mod value;

pub use bundle::{Bundle, BundleEntry, BundleRequest};
pub use datatypes::{
    Annotation, CodeableConcept, Coding, Extension, ITEM_WEIGHT, Identifier, Meta, ORDINAL_VALUE,
    QUESTIONNAIRE_ORDINAL_VALUE, Quantity, Reference,
};
pub use error::{FhirError, InvalidResource};
pub use flatten::{
    AUTHOR, AUTHORED, ENCOUNTER, FIXED, FlattenSource, Flattener, QR_ID, QR_NOTES, QR_STATUS,
    QUESTIONNAIRE, SUBJECT,
};
pub use import::{ImportError, LeftOutItem, QuestionnaireSkeleton, skeleton_of};
pub use observation::{Observation, ObservationComponent};
pub use observations::{
    BundleKind, ObservationCounts, ObservationFormat, ObservationOptions, ObservationWriter,
    PROM_SCORE_PROFILE, SCREENING_ASSESSMENT_PROFILE,
};
pub use questionnaire::{
    CodeSystem, Compose, ComposeInclude, Concept, ConceptProperty, ContainedResource,
    IncludeConcept, Questionnaire, QuestionnaireItem, ValueSet,
};
pub use read::{Located, Origin, ResponseReader};
pub use render::{ITEM_CONTROL, answer_system, link_id, questionnaire_of, questionnaire_url};
pub use resource::{
    BundleType, ObservationType, QuestionnaireResponseType, QuestionnaireType, Resource,
};
pub use response::{QuestionnaireResponse, ResponseItem};
pub use value::{Answer, AnswerOption, AnswerValue};
