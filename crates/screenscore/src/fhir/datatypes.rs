//! FHIR R4 data types used by the resources here: Extension, Coding, CodeableConcept, Reference,
//! Identifier, Quantity, Meta, Annotation (<https://hl7.org/fhir/R4/datatypes.html>).
//!
//! Every type reads JSON with unknown elements ignored, and writes its elements in FHIR's order,
//! leaving out those that are absent.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The extension `http://hl7.org/fhir/StructureDefinition/itemWeight` (R5 name; FHIR
/// Extensions Pack, "Item Weight": a decimal, context Coding, Questionnaire.item.answerOption,
/// CodeSystem.concept, ValueSet.compose.include.concept;
/// <https://build.fhir.org/ig/HL7/fhir-extensions/StructureDefinition-itemWeight.html>).
pub const ITEM_WEIGHT: &str = "http://hl7.org/fhir/StructureDefinition/itemWeight";

/// The extension `http://hl7.org/fhir/StructureDefinition/ordinalValue` (R4 core, "Ordinal
/// Value": a decimal, the same contexts as [`ITEM_WEIGHT`], which replaced it; see the R4
/// StructureDefinition, e.g.
/// <https://simplifier.net/simplifier.core.r4.extensions/ordinalvalue>).
pub const ORDINAL_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";

/// The STU3 name of [`ORDINAL_VALUE`], on `Questionnaire.item.option.valueCoding`
/// (<https://hl7.org/fhir/STU3/extension-questionnaire-ordinalvalue.html>); still met in forms
/// converted from STU3.
pub const QUESTIONNAIRE_ORDINAL_VALUE: &str =
    "http://hl7.org/fhir/StructureDefinition/questionnaire-ordinalValue";

/// The weight URLs, in the order they are looked for.
pub(crate) const WEIGHT_URLS: [&str; 3] = [ITEM_WEIGHT, ORDINAL_VALUE, QUESTIONNAIRE_ORDINAL_VALUE];

/// An extension: its `url` and everything else as read (`valueX`, nested `extension`), kept so
/// that a resource written back carries it unchanged.
///
/// ```
/// use screenscore::fhir::Extension;
///
/// let text = r#"{"url":"http://hl7.org/fhir/StructureDefinition/ordinalValue","valueDecimal":2}"#;
/// let extension: Extension = serde_json::from_str(text)?;
/// assert_eq!(extension.decimal(), Some(2.0));
/// assert_eq!(serde_json::to_string(&extension)?, text);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    /// What the extension means.
    pub url: String,
    /// The other elements: usually one `valueX`, or a nested `extension` list.
    #[serde(flatten)]
    pub value: Map<String, Value>,
}

impl Extension {
    /// An extension with one `valueDecimal` (or any other `valueX` named by `key`).
    pub fn new(url: impl Into<String>, key: &str, value: impl Into<Value>) -> Extension {
        let mut map = Map::new();
        map.insert(key.to_owned(), value.into());
        Extension {
            url: url.into(),
            value: map,
        }
    }

    /// The number in `valueDecimal` or `valueInteger`.
    pub fn decimal(&self) -> Option<f64> {
        ["valueDecimal", "valueInteger"]
            .iter()
            .find_map(|key| self.value.get(*key)?.as_f64())
    }
}

/// The weight of a list of extensions: the first of [`ITEM_WEIGHT`], [`ORDINAL_VALUE`] and
/// [`QUESTIONNAIRE_ORDINAL_VALUE`] present with a number.
pub(crate) fn weight_in(extensions: &[Extension]) -> Option<f64> {
    WEIGHT_URLS.iter().find_map(|url| {
        extensions
            .iter()
            .find(|e| e.url == *url)
            .and_then(Extension::decimal)
    })
}

/// A code from a code system (`Coding`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Coding {
    /// Extensions (an `ordinalValue` or `itemWeight` may sit here).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The code system's URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The code system's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Its text for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Whether the user chose this coding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_selected: Option<bool>,
}

impl Coding {
    /// A coding of `code` in `system`.
    pub fn new(system: impl Into<String>, code: impl Into<String>) -> Coding {
        Coding {
            system: Some(system.into()),
            code: Some(code.into()),
            ..Coding::default()
        }
    }

    /// The same coding with a display text.
    pub fn with_display(mut self, display: impl Into<String>) -> Coding {
        self.display = Some(display.into());
        self
    }

    /// The weight carried by the coding itself (`itemWeight` or `ordinalValue` extension).
    pub fn weight(&self) -> Option<f64> {
        weight_in(&self.extension)
    }

    /// Whether `other` names the same code: equal codes, and equal systems where both have one.
    pub fn same_code(&self, other: &Coding) -> bool {
        match (&self.code, &other.code) {
            (Some(a), Some(b)) if a == b => match (&self.system, &other.system) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            },
            _ => false,
        }
    }
}

/// Codings and a text (`CodeableConcept`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodeableConcept {
    /// Extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The codings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<Coding>,
    /// Plain text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl CodeableConcept {
    /// A concept of one coding.
    pub fn coding(coding: Coding) -> CodeableConcept {
        CodeableConcept {
            coding: vec![coding],
            ..CodeableConcept::default()
        }
    }
}

/// An identifier (`Identifier`): a value in a namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Identifier {
    /// Extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `usual`, `official`, `temp`, `secondary`, `old`.
    #[serde(rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    /// The kind of identifier.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<CodeableConcept>,
    /// The namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A reference to another resource (`Reference`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reference {
    /// Extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// A literal reference: `Patient/123`, a full URL, `urn:uuid:…`, `#contained`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The type of the resource referred to.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// A logical reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Box<Identifier>>,
    /// Text for the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

impl Reference {
    /// A literal reference.
    pub fn to(reference: impl Into<String>) -> Reference {
        Reference {
            reference: Some(reference.into()),
            ..Reference::default()
        }
    }
}

/// A measured amount (`Quantity`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Quantity {
    /// Extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The value (written without a decimal point when it is a whole number: `12`, not
    /// `12.0`, as FHIR's examples write scores; a decimal's written digits carry its
    /// precision).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_or_decimal"
    )]
    pub value: Option<f64>,
    /// `<`, `<=`, `>=`, `>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparator: Option<String>,
    /// The unit for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The unit's system (UCUM: `http://unitsofmeasure.org`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The unit's code in that system (`{score}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// Writes a whole number within ±2^53 as an integer, any other number as a decimal.
fn whole_or_decimal<S: serde::Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match *value {
        #[allow(clippy::cast_possible_truncation)]
        Some(v) if v.fract() == 0.0 && v.abs() <= EXACT => s.serialize_i64(v as i64),
        Some(v) => s.serialize_f64(v),
        None => s.serialize_none(),
    }
}

/// Metadata of a resource (`Meta`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Meta {
    /// The version of the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// When it last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// Where it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The profiles it claims to conform to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<Coding>,
}

/// A note (`Annotation`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Annotation {
    /// Who wrote it, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_string: Option<String>,
    /// When it was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The note (markdown).
    pub text: String,
}
