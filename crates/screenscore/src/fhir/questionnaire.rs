//! `Questionnaire` (<https://hl7.org/fhir/R4/questionnaire.html>), and the parts of a contained
//! `ValueSet` and `CodeSystem` that give an answer's weight.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::datatypes::{Coding, Extension, Identifier, Meta, weight_in};
use super::resource::QuestionnaireType;
use super::value::AnswerOption;

/// A form: its items and their allowed answers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Questionnaire {
    /// Always `Questionnaire`.
    pub resource_type: QuestionnaireType,
    /// The logical id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Contained resources (ValueSets and CodeSystems of answers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contained: Vec<ContainedResource>,
    /// Extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The canonical URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Business identifiers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// The business version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A computer-friendly name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `draft`, `active`, `retired`, `unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Use and copyright restrictions (markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    /// Codes for the whole questionnaire (a LOINC panel).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<Coding>,
    /// The items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub item: Vec<QuestionnaireItem>,
}

/// An item of a questionnaire: a question, a group or a display text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct QuestionnaireItem {
    /// Extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The id responses name it by.
    pub link_id: String,
    /// The element it stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Codes of the question (a LOINC question code).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<Coding>,
    /// The number or label shown before the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The question.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `group`, `display`, `choice`, `integer`, `decimal`, `string`, ….
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// Whether an answer is required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Whether it may have several answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeats: Option<bool>,
    /// The allowed answers as a ValueSet's canonical (`#id` for a contained one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_value_set: Option<String>,
    /// The allowed answers, listed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answer_option: Vec<AnswerOption>,
    /// Nested items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub item: Vec<QuestionnaireItem>,
}

impl Questionnaire {
    /// Read a Questionnaire from the file `path`: a regular file of at most
    /// [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES), as definitions are; malformed JSON is said
    /// with its line and column, a resource that is not a Questionnaire with its JSON path.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Questionnaire, super::FhirError> {
        use super::{FhirError, InvalidResource};
        let bytes = crate::small_file::read(path.as_ref())?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| FhirError::Json {
            line: e.line() as u64,
            column: e.column() as u64,
            message: e.to_string(),
        })?;
        serde_path_to_error::deserialize(value).map_err(|e| FhirError::Invalid {
            line: 1,
            entry: None,
            invalid: InvalidResource::from_path(e),
        })
    }

    /// The item with `link_id`, at any depth.
    pub fn find_item(&self, link_id: &str) -> Option<&QuestionnaireItem> {
        let mut stack: Vec<&QuestionnaireItem> = self.item.iter().collect();
        while let Some(item) = stack.pop() {
            if item.link_id == link_id {
                return Some(item);
            }
            stack.extend(item.item.iter());
        }
        None
    }

    /// The weight of `coding` as an answer to the item `link_id`: from the item's answer option
    /// of that code ([`AnswerOption::weight`]); else, for an item whose `answerValueSet` is a
    /// contained ValueSet (`#id`), from that ValueSet's `compose.include.concept` of the code,
    /// and then from a contained CodeSystem of the coding's system (its `concept`'s extension, or
    /// a `property` coded `itemWeight`, `ordinalValue` or `weight`). The extensions looked for
    /// are [`ITEM_WEIGHT`](super::ITEM_WEIGHT) and [`ORDINAL_VALUE`](super::ORDINAL_VALUE),
    /// whose definitions list these contexts (`ValueSet.compose.include.concept`,
    /// `CodeSystem.concept`); the SDC IG's example
    /// `questionnaire-sdc-profile-example-item-weight` (HL7/sdc,
    /// `input/fsh/instances/`) has PHQ-9's items answer from a contained ValueSet `#LL358-3`.
    ///
    /// ```
    /// use screenscore::fhir::{Coding, Questionnaire};
    ///
    /// let q: Questionnaire = serde_json::from_str(r##"{
    ///   "resourceType": "Questionnaire",
    ///   "contained": [{"resourceType": "ValueSet", "id": "vs", "compose": {"include": [{
    ///     "system": "http://loinc.org",
    ///     "concept": [{"code": "LA6569-3", "extension": [
    ///       {"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 1}]}]
    ///   }]}}],
    ///   "item": [{"linkId": "1", "type": "choice", "answerValueSet": "#vs"}]
    /// }"##)?;
    /// let several_days = Coding::new("http://loinc.org", "LA6569-3");
    /// assert_eq!(q.weight_of("1", &several_days), Some(1.0));
    /// assert_eq!(q.weight_of("2", &several_days), None);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn weight_of(&self, link_id: &str, coding: &Coding) -> Option<f64> {
        let item = self.find_item(link_id)?;
        let from_option = item
            .answer_option
            .iter()
            .find(|o| o.value.as_coding().is_some_and(|c| c.same_code(coding)))
            .and_then(AnswerOption::weight);
        if from_option.is_some() {
            return from_option;
        }
        let id = item.answer_value_set.as_deref()?.strip_prefix('#')?;
        let value_set = self.contained.iter().find_map(|c| match c {
            ContainedResource::ValueSet(vs) if vs.id.as_deref() == Some(id) => Some(vs),
            _ => None,
        })?;
        let code = coding.code.as_deref()?;
        for include in &value_set.compose.include {
            let system_fits = match (&include.system, &coding.system) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            if !system_fits {
                continue;
            }
            if let Some(w) = include
                .concept
                .iter()
                .find(|c| c.code == code)
                .and_then(|c| weight_in(&c.extension))
            {
                return Some(w);
            }
            let system = include.system.as_deref().or(coding.system.as_deref());
            let from_code_system = self.contained.iter().find_map(|c| match c {
                ContainedResource::CodeSystem(cs)
                    if system.is_some() && cs.url.as_deref() == system =>
                {
                    cs.weight_of(code)
                }
                _ => None,
            });
            if from_code_system.is_some() {
                return from_code_system;
            }
        }
        None
    }
}

/// A contained resource of a questionnaire.
#[derive(Clone, Debug, PartialEq)]
pub enum ContainedResource {
    /// A value set.
    ValueSet(Box<ValueSet>),
    /// A code system.
    CodeSystem(Box<CodeSystem>),
    /// Any other resource, as read.
    Other(Value),
}

impl<'de> Deserialize<'de> for ContainedResource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ContainedResource, D::Error> {
        use serde::de::Error;
        let value = Value::deserialize(deserializer)?;
        Ok(match value.get("resourceType").and_then(Value::as_str) {
            Some("ValueSet") => ContainedResource::ValueSet(
                serde_json::from_value(value).map_err(D::Error::custom)?,
            ),
            Some("CodeSystem") => ContainedResource::CodeSystem(
                serde_json::from_value(value).map_err(D::Error::custom)?,
            ),
            _ => ContainedResource::Other(value),
        })
    }
}

impl Serialize for ContainedResource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ContainedResource::ValueSet(v) => v.serialize(serializer),
            ContainedResource::CodeSystem(c) => c.serialize(serializer),
            ContainedResource::Other(v) => v.serialize(serializer),
        }
    }
}

/// A value set: its identity and `compose.include` (the rest is kept as read in `other`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ValueSet {
    /// `ValueSet`.
    pub resource_type: String,
    /// The id (`#id` in `answerValueSet`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The canonical URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The codes it includes.
    pub compose: Compose,
    /// Every other element, as read.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `ValueSet.compose`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Compose {
    /// The systems and codes included.
    pub include: Vec<ComposeInclude>,
}

/// `ValueSet.compose.include`: codes of one system.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComposeInclude {
    /// The code system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Its version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The codes listed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub concept: Vec<IncludeConcept>,
}

/// `ValueSet.compose.include.concept`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncludeConcept {
    /// Extensions (`itemWeight`, `ordinalValue`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The code.
    pub code: String,
    /// Its display.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// A code system: its identity and concepts (the rest is kept as read in `other`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CodeSystem {
    /// `CodeSystem`.
    pub resource_type: String,
    /// The id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The canonical URL (the `system` of its codings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The concepts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub concept: Vec<Concept>,
    /// Every other element, as read.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `CodeSystem.concept`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Concept {
    /// Extensions (`itemWeight`, `ordinalValue`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The code.
    pub code: String,
    /// Its display.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Properties: `{"code": "itemWeight", "valueDecimal": 2}`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub property: Vec<ConceptProperty>,
    /// Child concepts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub concept: Vec<Concept>,
}

/// `CodeSystem.concept.property`: a code and a `valueX`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConceptProperty {
    /// The property's code.
    pub code: String,
    /// The `valueX` element, as read.
    #[serde(flatten)]
    pub value: Map<String, Value>,
}

/// The property codes read as a weight (`itemWeight` is R5's standard concept property).
const WEIGHT_PROPERTIES: [&str; 3] = ["itemWeight", "ordinalValue", "weight"];

impl CodeSystem {
    /// The weight of `code`: its concept's `itemWeight`/`ordinalValue` extension, or a weight
    /// property, at any depth.
    pub fn weight_of(&self, code: &str) -> Option<f64> {
        let mut stack: Vec<&Concept> = self.concept.iter().collect();
        while let Some(concept) = stack.pop() {
            if concept.code == code {
                return weight_in(&concept.extension).or_else(|| {
                    WEIGHT_PROPERTIES.iter().find_map(|name| {
                        let property = concept.property.iter().find(|p| p.code == *name)?;
                        ["valueDecimal", "valueInteger"]
                            .iter()
                            .find_map(|k| property.value.get(*k)?.as_f64())
                    })
                });
            }
            stack.extend(concept.concept.iter());
        }
        None
    }
}
