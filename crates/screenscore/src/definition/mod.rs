//! The instrument definition format: the serde types behind every `instruments/*.json` file.
//!
//! These types are the file format and nothing more. They are parsed with unknown keys refused
//! (a misspelt key is an error, never silently ignored) and then checked and compiled into an
//! `Instrument` (`screenscore::Instrument`), which is what scores. `instruments/schema.json` is
//! generated from these types, so the schema and the parser cannot drift apart. [`Sex`] is here
//! too: the reading of a stratum's `sex` that checking a definition and choosing a stratum for
//! a respondent share.
//!
//! Every number that is not the instrument's own structure (a band edge, a reverse key, a
//! missing-data rule, a norm) carries a [`Source`] saying where it comes from and how well it is
//! established.
//!
//! The types are grouped by concern: the instrument, its items and answers (here), scales and
//! how they are computed (`scales`), reference groups (`norms`), skips, rules and their
//! conditions (`rules`), and standard codes with the LOINC notice (`codes`); all are re-exported here, so every path is `screenscore::definition::…`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

mod codes;
mod norms;
mod rules;
mod scales;

pub use codes::{Code, LOINC_NOTICE, LOINC_SYSTEM, QuestionnaireRef, is_loinc_answer};

pub use norms::{
    AgeRange, Frequency, NormGroup, NormRole, Percentile, Reliability, ReliabilityKind, Sex,
    Stratum,
};
pub use rules::{
    AttributeTest, Comparison, Condition, Count, CountItems, Op, Rule, Severity, Skip, Threshold,
};
pub use scales::{
    Band, Caseness, Construct, Derived, Direction, Keying, Method, MissingRule,
    ReliableChangeThreshold, Rounding, RoundingMethod, Scale, Thresholds,
};

/// One screening instrument: identity, provenance, response options, items, scales and rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// The JSON Schema this file follows, for editors (`"schema.json"` for bundled definitions).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Lowercase identifier, used as the CSV column prefix (`phq9` gives `phq9_1`, `phq9_total`).
    pub id: String,
    /// Full name of the instrument.
    pub name: String,
    /// What the instrument screens for, and its time frame, in a few words.
    pub measures: String,
    /// Version of this definition file (not of the instrument).
    pub version: String,
    /// How far the scoring is established: `validated`, `provisional` or `unvalidated`.
    pub status: InstrumentStatus,
    /// The reference to cite when the instrument is used.
    pub citation: String,
    /// Who may use the instrument, and how.
    pub license: License,
    /// Free-text notes on provenance: choices made, gaps in the sources, how they were resolved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Standard codes of the instrument as a whole (the LOINC panel: PHQ-9 is `44249-1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<Code>,
    /// Published FHIR Questionnaires of this instrument, by canonical URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questionnaires: Vec<QuestionnaireRef>,
    /// Cell values that mean "not answered" for every item (for example `-99` or `NA`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_codes: Vec<String>,
    /// Facts about the respondent that scoring depends on (for example `sex` for PHQ-15).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    /// Named lists of response options that items refer to.
    pub response_sets: Vec<ResponseSet>,
    /// The items, in the order of the published form.
    pub items: Vec<Item>,
    /// Scores computed from the items (`total` is every instrument's main score).
    pub scales: Vec<Scale>,
    /// Skip logic: items not asked when a condition holds, and the value they score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skips: Vec<Skip>,
    /// Declarative rules that raise flags (safety items, diagnostic algorithms, positive screens).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
}

/// How far an instrument's scoring is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InstrumentStatus {
    /// Scoring exactly as published and checked against primary sources.
    Validated,
    /// Scores, but some part of the key rests on a secondary source; every output says so.
    Provisional,
    /// Not a validated instrument (for example written by this project); every output says so.
    Unvalidated,
}

impl InstrumentStatus {
    /// The status as written in definitions: `validated`, `provisional` or `unvalidated`.
    pub fn as_str(self) -> &'static str {
        match self {
            InstrumentStatus::Validated => "validated",
            InstrumentStatus::Provisional => "provisional",
            InstrumentStatus::Unvalidated => "unvalidated",
        }
    }
}

/// Terms of use of an instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct License {
    /// Short name of the terms (for example `CC BY-NC-SA 3.0 IGO` or `Free to reproduce`).
    pub name: String,
    /// The terms, quoted or summarised from the source.
    pub terms: String,
    /// Whether commercial use is allowed.
    pub commercial_use: CommercialUse,
    /// Where the terms are stated.
    pub source: Source,
}

impl Definition {
    /// The response options of item `item` (by position): its response set's.
    ///
    /// ```
    /// let phq9 = screenscore::Instrument::builtin("phq9")?.definition();
    /// assert_eq!(phq9.options(0)[3].label, "Nearly every day");
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn options(&self, item: usize) -> &[ResponseOption] {
        let Some(item) = self.items.get(item) else {
            return &[];
        };
        self.response_sets
            .iter()
            .find(|r| r.id == item.response_set)
            .map_or(&[], |r| &r.options[..])
    }
}

/// Whether an instrument's terms allow commercial use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CommercialUse {
    /// Commercial use is allowed.
    Allowed,
    /// The terms are non-commercial.
    NotAllowed,
    /// The terms do not say.
    NotStated,
}

/// Where a fact comes from, and how well it is established.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The reference: publication, manual, or reference implementation and the place in it.
    #[serde(rename = "ref")]
    pub reference: String,
    /// `verified`, `secondary`, `policy`, `authored` or `sample`.
    pub evidence: Evidence,
}

/// How well a fact is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Read in a primary or authoritative copy (manual, authors' page, reference implementation).
    Verified,
    /// From a secondary source only, or derived by arithmetic from verified facts.
    Secondary,
    /// A choice made by this project where no source gives a rule (for example a missing-data rule).
    Policy,
    /// Written by this project from the cited material (for example an item of an unvalidated
    /// screen paraphrasing a sign described in an article).
    Authored,
    /// Computed from a practice's own sample by `screenscore norms` (local norms).
    Sample,
}

impl Evidence {
    /// The evidence as written in definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Verified => "verified",
            Evidence::Secondary => "secondary",
            Evidence::Policy => "policy",
            Evidence::Authored => "authored",
            Evidence::Sample => "sample",
        }
    }
}

/// A fact about the respondent that scoring depends on, read from a column of the same name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    /// Identifier, and the name of the input column it is read from (for example `sex`).
    pub id: String,
    /// What the attribute is.
    pub label: String,
    /// The values it can take.
    pub values: Vec<AttributeValue>,
}

/// One value of a respondent attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AttributeValue {
    /// The value as rules refer to it (for example `female`); also accepted as input.
    pub value: String,
    /// Other spellings accepted as input, matched case-insensitively (for example `f`, `F`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<String>,
}

/// A named list of response options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ResponseSet {
    /// Identifier that items refer to.
    pub id: String,
    /// The options, in the order of the form.
    pub options: Vec<ResponseOption>,
    /// Another coding of the same answers in use elsewhere, each value shifted by `offset` (the
    /// K10's US 0-4 coding beside the Australian 1-5): batch scoring warns once per file when a
    /// file looks like it is in that coding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_coding: Option<OtherCoding>,
}

/// Another coding of a response set: every option's value plus `offset`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OtherCoding {
    /// What the other coding is called, for the warning (`the US 0-4 coding`).
    pub label: String,
    /// Added to each option's value to give its value in the other coding (`-1`: 1-5 is 0-4
    /// there; `1`: 0-4 is 1-5 there). Not 0.
    pub offset: f64,
    /// Where the other coding is described.
    pub source: Source,
}

/// One response option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ResponseOption {
    /// The value it scores. Required for items that are scored; input equal to it is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The option's label; accepted as input too (case-insensitive, trimmed).
    pub label: String,
    /// A standard code for the answer (for example the LOINC answer code `LA6568-5`); accepted as input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Other wordings of the same answer accepted as input (case-insensitive, trimmed): another
    /// language's official label, a form's other printing. Each says where it comes from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,
}

/// Another wording of a response option, accepted as input like its label.
///
/// An alias may not be empty, may not read as a number (numbers are option values), and may
/// not be accepted for another option of the same response set (its label, code, value or
/// alias): checking a definition refuses it at its JSON path.
///
/// ```
/// use screenscore::Instrument;
///
/// let phq9 = Instrument::builtin("phq9")?;
/// let options = &phq9.definition().response_sets[0].options;
/// let german = options[3].aliases.iter().find(|a| a.language.as_deref() == Some("de"));
/// assert_eq!(german.map(|a| a.label.as_str()), Some("Beinahe jeden Tag"));
/// # Ok::<(), screenscore::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The wording, as it is printed on the form or exported by a form tool.
    pub label: String,
    /// Its language, as a BCP 47 tag (`de`, `fr-CA`), when it is a translation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where the wording comes from (the translated form, the form tool's export).
    pub source: Source,
}

/// One item of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The item's number on the published form (`1`, `2`, …); the CSV column is `{instrument}_{id}`.
    pub id: String,
    /// A short summary in this project's own words (never the copyrighted item wording).
    pub label: String,
    /// The response set the item is answered on.
    pub response_set: String,
    /// `false` for an item that is shown but not scored (for example PHQ-9 item 10).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub scored: bool,
    /// The item applies only when this condition on respondent attributes holds
    /// (PHQ-15 item 4 applies to women only). Otherwise it is left out of every scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_if: Option<Condition>,
    /// Where the item comes from, when that is not simply the published form (for example the
    /// sign in an article that a project-written item paraphrases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Standard codes of the question (LOINC: PHQ-9 item 1 is `44250-9`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<Code>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}
