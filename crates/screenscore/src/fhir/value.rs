//! The `value[x]` choice of an answer or an answer option, read from whichever `valueX` key is
//! present (<https://hl7.org/fhir/R4/formats.html#choice>), and the elements that carry one
//! ([`Answer`], [`AnswerOption`]).

use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

use super::datatypes::{Coding, Extension, Quantity, Reference, weight_in};
use super::response::ResponseItem;

/// The value of an answer (`QuestionnaireResponse.item.answer.value[x]`) or of an answer option
/// (`Questionnaire.item.answerOption.value[x]`): one variant per R4 choice, named by its key.
///
/// ```
/// use screenscore::fhir::{Answer, AnswerValue};
///
/// let answer: Answer = serde_json::from_str(r#"{"valueInteger": 3}"#)?;
/// assert_eq!(answer.value, Some(AnswerValue::Integer(3)));
/// assert_eq!(answer.value.as_ref().unwrap().key(), "valueInteger");
///
/// let two = serde_json::from_str::<Answer>(r#"{"valueInteger": 3, "valueString": "3"}"#);
/// assert!(two.unwrap_err().to_string().starts_with("an answer has both valueInteger and valueString"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerValue {
    /// `valueBoolean`.
    Boolean(bool),
    /// `valueDecimal`, as the JSON number (an integer stays an integer when written back).
    Decimal(Number),
    /// `valueInteger`.
    Integer(i64),
    /// `valueDate` (text as read).
    Date(String),
    /// `valueDateTime` (text as read).
    DateTime(String),
    /// `valueTime` (text as read).
    Time(String),
    /// `valueString`.
    String(String),
    /// `valueUri`.
    Uri(String),
    /// `valueAttachment`, kept as read.
    Attachment(Value),
    /// `valueCoding`.
    Coding(Coding),
    /// `valueQuantity`.
    Quantity(Quantity),
    /// `valueReference`.
    Reference(Reference),
    /// Any other `valueX` (not an R4 choice here: `valueCode` from R5, a typo), kept as read.
    Other {
        /// The key, `valueCode`.
        key: String,
        /// The value.
        value: Value,
    },
}

impl AnswerValue {
    /// The JSON key of the value: `valueCoding`, `valueInteger`, ….
    pub fn key(&self) -> &str {
        match self {
            AnswerValue::Boolean(_) => "valueBoolean",
            AnswerValue::Decimal(_) => "valueDecimal",
            AnswerValue::Integer(_) => "valueInteger",
            AnswerValue::Date(_) => "valueDate",
            AnswerValue::DateTime(_) => "valueDateTime",
            AnswerValue::Time(_) => "valueTime",
            AnswerValue::String(_) => "valueString",
            AnswerValue::Uri(_) => "valueUri",
            AnswerValue::Attachment(_) => "valueAttachment",
            AnswerValue::Coding(_) => "valueCoding",
            AnswerValue::Quantity(_) => "valueQuantity",
            AnswerValue::Reference(_) => "valueReference",
            AnswerValue::Other { key, .. } => key,
        }
    }

    /// The number of a decimal, an integer or a quantity.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            AnswerValue::Decimal(n) => n.as_f64(),
            AnswerValue::Integer(i) => Some(*i as f64),
            AnswerValue::Quantity(q) => q.value,
            _ => None,
        }
    }

    /// The coding of a `valueCoding`.
    pub fn as_coding(&self) -> Option<&Coding> {
        match self {
            AnswerValue::Coding(c) => Some(c),
            _ => None,
        }
    }

    /// The text of a string, date, date-time, time or URI.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            AnswerValue::Date(s)
            | AnswerValue::DateTime(s)
            | AnswerValue::Time(s)
            | AnswerValue::String(s)
            | AnswerValue::Uri(s) => Some(s),
            _ => None,
        }
    }

    /// Reads the value of `key` from `map`.
    fn read<'de, A: MapAccess<'de>>(key: &str, map: &mut A) -> Result<AnswerValue, A::Error> {
        Ok(match key {
            "valueBoolean" => AnswerValue::Boolean(map.next_value()?),
            "valueDecimal" => AnswerValue::Decimal(map.next_value()?),
            "valueInteger" => AnswerValue::Integer(map.next_value()?),
            "valueDate" => AnswerValue::Date(map.next_value()?),
            "valueDateTime" => AnswerValue::DateTime(map.next_value()?),
            "valueTime" => AnswerValue::Time(map.next_value()?),
            "valueString" => AnswerValue::String(map.next_value()?),
            "valueUri" => AnswerValue::Uri(map.next_value()?),
            "valueAttachment" => AnswerValue::Attachment(map.next_value()?),
            "valueCoding" => AnswerValue::Coding(map.next_value()?),
            "valueQuantity" => AnswerValue::Quantity(map.next_value()?),
            "valueReference" => AnswerValue::Reference(map.next_value()?),
            _ => AnswerValue::Other {
                key: key.to_owned(),
                value: map.next_value()?,
            },
        })
    }

    /// Writes the value under its key.
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let key = self.key();
        match self {
            AnswerValue::Boolean(v) => map.serialize_entry(key, v),
            AnswerValue::Decimal(v) => map.serialize_entry(key, v),
            AnswerValue::Integer(v) => map.serialize_entry(key, v),
            AnswerValue::Date(v)
            | AnswerValue::DateTime(v)
            | AnswerValue::Time(v)
            | AnswerValue::String(v)
            | AnswerValue::Uri(v) => map.serialize_entry(key, v),
            AnswerValue::Attachment(v) => map.serialize_entry(key, v),
            AnswerValue::Coding(v) => map.serialize_entry(key, v),
            AnswerValue::Quantity(v) => map.serialize_entry(key, v),
            AnswerValue::Reference(v) => map.serialize_entry(key, v),
            AnswerValue::Other { value, .. } => map.serialize_entry(key, value),
        }
    }
}

/// Whether `key` is a `value[x]` key: `value` and a capital letter.
fn is_choice(key: &str) -> bool {
    key.len() > 5 && key.starts_with("value") && key.as_bytes()[5].is_ascii_uppercase()
}

/// An answer (`QuestionnaireResponse.item.answer`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    /// Extensions.
    pub extension: Vec<Extension>,
    /// The value (absent in a malformed or an extension-only answer).
    pub value: Option<AnswerValue>,
    /// Items nested under this answer.
    pub item: Vec<ResponseItem>,
}

/// An allowed answer (`Questionnaire.item.answerOption`).
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerOption {
    /// Extensions (`itemWeight`, `ordinalValue`, `questionnaire-optionPrefix`, …).
    pub extension: Vec<Extension>,
    /// The value offered.
    pub value: AnswerValue,
    /// Whether it is selected at first.
    pub initial_selected: Option<bool>,
}

impl AnswerOption {
    /// The option's weight: the `itemWeight` extension
    /// (<http://hl7.org/fhir/StructureDefinition/itemWeight>, FHIR Extensions Pack), or the
    /// older `ordinalValue` (<http://hl7.org/fhir/StructureDefinition/ordinalValue>, R4 core;
    /// `questionnaire-ordinalValue` in STU3), on the option itself or on its `valueCoding`: both
    /// extensions list `Questionnaire.item.answerOption` and `Coding` as their contexts.
    /// The SDC IG's examples put `ordinalValue` on the answer option (US Core's PHQ-9,
    /// `tests/data/fhir/q-uscore-phq9.json`) or on the Coding (SDC's "Form Behavior and
    /// Calculation" page, <https://hl7.org/fhir/uv/sdc/behavior.html>).
    ///
    /// ```
    /// use screenscore::fhir::AnswerOption;
    ///
    /// let option: AnswerOption = serde_json::from_str(r#"{
    ///   "valueCoding": {"system": "http://loinc.org", "code": "LA6569-3"},
    ///   "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 1}]
    /// }"#)?;
    /// assert_eq!(option.weight(), Some(1.0));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn weight(&self) -> Option<f64> {
        weight_in(&self.extension).or_else(|| self.value.as_coding()?.weight())
    }
}

/// What an element with a `value[x]` holds, as read.
#[derive(Default)]
struct Parts {
    extension: Vec<Extension>,
    value: Option<AnswerValue>,
    item: Vec<ResponseItem>,
    initial_selected: Option<bool>,
}

/// Reads [`Parts`]; `what` names the element in messages.
struct PartsVisitor {
    what: &'static str,
}

impl<'de> Visitor<'de> for PartsVisitor {
    type Value = Parts;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object ({})", self.what)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts, A::Error> {
        let mut parts = Parts::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match &*key {
                "extension" => parts.extension = map.next_value()?,
                "item" => parts.item = map.next_value()?,
                "initialSelected" => parts.initial_selected = map.next_value()?,
                k if is_choice(k) => {
                    if let Some(first) = &parts.value {
                        return Err(de::Error::custom(format_args!(
                            "{} has both {} and {k}",
                            article(self.what),
                            first.key()
                        )));
                    }
                    parts.value = Some(AnswerValue::read(k, &mut map)?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(parts)
    }
}

fn article(what: &str) -> String {
    format!("an {what}")
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Answer, D::Error> {
        let parts = deserializer.deserialize_map(PartsVisitor { what: "answer" })?;
        Ok(Answer {
            extension: parts.extension,
            value: parts.value,
            item: parts.item,
        })
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if !self.extension.is_empty() {
            map.serialize_entry("extension", &self.extension)?;
        }
        if let Some(value) = &self.value {
            value.write(&mut map)?;
        }
        if !self.item.is_empty() {
            map.serialize_entry("item", &self.item)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for AnswerOption {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AnswerOption, D::Error> {
        let parts = deserializer.deserialize_map(PartsVisitor {
            what: "answerOption",
        })?;
        let value = parts
            .value
            .ok_or_else(|| de::Error::custom("an answerOption has no value[x]"))?;
        Ok(AnswerOption {
            extension: parts.extension,
            value,
            initial_selected: parts.initial_selected,
        })
    }
}

impl Serialize for AnswerOption {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if !self.extension.is_empty() {
            map.serialize_entry("extension", &self.extension)?;
        }
        self.value.write(&mut map)?;
        if let Some(selected) = self.initial_selected {
            map.serialize_entry("initialSelected", &selected)?;
        }
        map.end()
    }
}
