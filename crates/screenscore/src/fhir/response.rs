//! `QuestionnaireResponse` (<https://hl7.org/fhir/R4/questionnaireresponse.html>).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::datatypes::{Extension, Identifier, Meta, Reference};
use super::resource::QuestionnaireResponseType;
use super::value::Answer;

/// A completed (or partly completed) questionnaire.
///
/// ```
/// use screenscore::fhir::{AnswerValue, QuestionnaireResponse};
///
/// let response: QuestionnaireResponse = serde_json::from_str(r#"{
///   "resourceType": "QuestionnaireResponse",
///   "status": "completed",
///   "item": [{"linkId": "1", "answer": [{"valueInteger": 2}]}]
/// }"#)?;
/// assert_eq!(response.item[0].answer[0].value, Some(AnswerValue::Integer(2)));
/// assert!(serde_json::to_string(&response)?.starts_with(r#"{"resourceType":"QuestionnaireResponse""#));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct QuestionnaireResponse {
    /// Always `QuestionnaireResponse` (read: another type is an error).
    pub resource_type: QuestionnaireResponseType,
    /// The logical id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Contained resources, as read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contained: Vec<Value>,
    /// Extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The business identifier (one in R4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    /// The canonical URL of the questionnaire answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub questionnaire: Option<String>,
    /// `in-progress`, `completed`, `amended`, `entered-in-error`, `stopped`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Whom the answers are about (the patient).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    /// The encounter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encounter: Option<Reference>,
    /// When the answers were given (dateTime, as read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authored: Option<String>,
    /// Who recorded the answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Reference>,
    /// Who gave the answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Reference>,
    /// The answered items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub item: Vec<ResponseItem>,
}

/// An item of a response (`QuestionnaireResponse.item`): a question's answers, or a group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResponseItem {
    /// Extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The questionnaire item answered.
    pub link_id: String,
    /// The element the item stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// The question's text as shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The answers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answer: Vec<Answer>,
    /// Nested items (of a group).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub item: Vec<ResponseItem>,
}

impl QuestionnaireResponse {
    /// Every item, depth first, including those nested in groups and under answers.
    pub fn items(&self) -> Vec<&ResponseItem> {
        let mut out = Vec::new();
        let mut stack: Vec<&ResponseItem> = self.item.iter().rev().collect();
        while let Some(item) = stack.pop() {
            out.push(item);
            let nested = item.answer.iter().flat_map(|a| a.item.iter());
            let children: Vec<&ResponseItem> = item.item.iter().chain(nested).collect();
            stack.extend(children.into_iter().rev());
        }
        out
    }
}
