//! Scales: which items, how they are keyed, aggregated, rounded and banded.

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use super::{Code, NormGroup, Source};

/// A score computed from items, from other scales (a composite: `"scales": [ids]`), or, for a
/// derived scale, as a linear transform of another scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Identifier; the output column is `{instrument}_{id}`. Every instrument's main score is `total`.
    pub id: String,
    /// What the scale measures.
    pub label: String,
    /// The items summed or averaged. Omitted for a composite or a derived scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<String>>,
    /// For a composite scale, instead of `items`: the ids of the scales whose final scores
    /// (after their own proration and rounding) it sums or averages. Its `missing` rule counts
    /// component scales, not items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scales: Option<Vec<String>>,
    /// Items reverse-keyed in this scale: scored `(min + max) − x` over the item's declared options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reverse: Vec<String>,
    /// Source of the reverse keys; required when `reverse` is not empty or `keying` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_source: Option<Source>,
    /// `as_listed`: this scale keys its items exactly as listed here, even where another scale
    /// reverse-keys one of them (or lists it unreversed). Without it, an item keyed one way in
    /// one scale and the other way in another is refused. Needs a `key_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keying: Option<Keying>,
    /// `sum` or `mean` of the (keyed) item values. Required for item scales.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// How many items may be missing, and whether the score is then prorated. Required for item scales.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingRule>,
    /// Rounding of the score (a prorated sum, or a mean). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
    /// A linear transform of an earlier scale instead of items (for example WHO-5 percent = raw × 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<Derived>,
    /// Severity bands as ordered lower bounds: each band runs from its `from` up to the next band's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
    /// Source of the bands; required when `bands` is not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band_source: Option<Source>,
    /// Whether a higher score is `worse` (more symptoms) or `better` (more well-being).
    pub higher_is: Direction,
    /// The factor of the four-factor model of codependency this scale measures, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub construct: Option<Construct>,
    /// Reference groups for standard scores and change over time, each with its source. The
    /// first group without a `role` (or the first group) gives standard scores by default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub norms: Vec<NormGroup>,
    /// Published thresholds for reliable change and caseness (as services that report outcomes
    /// use them), each with its source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
    /// Standard codes of the score (LOINC: the PHQ-9 total is `44261-6`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<Code>,
}

/// Published thresholds of a scale: what change is reliable, and what score is a clinical case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// A change of at least this many points is reliable change (used where no reference
    /// group gives an SD and a reliability for the reliable change index).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliable_change: Option<ReliableChangeThreshold>,
    /// A score from which a respondent is a clinical case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caseness: Option<Caseness>,
}

/// A published reliable-change threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReliableChangeThreshold {
    /// The smallest change, in points, that is reliable (in either direction).
    pub points: f64,
    /// Where it is published.
    pub source: Source,
}

/// A published caseness cut-off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Caseness {
    /// The first score of the clinical range: a score at or above it is a case when higher is
    /// worse, at or below it when higher is better.
    pub from: f64,
    /// Where it is published.
    pub source: Source,
}

impl Caseness {
    /// Whether `score` is a case on a scale where `higher_is`.
    pub fn is_case(&self, score: f64, higher_is: Direction) -> bool {
        match higher_is {
            Direction::Worse => score >= self.from,
            Direction::Better => score <= self.from,
        }
    }
}

/// How a scale declares the keying of its items.
///
/// ```
/// use screenscore::definition::Keying;
/// let k: Keying = serde_json::from_str("\"as_listed\"").unwrap();
/// assert_eq!(k, Keying::AsListed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Keying {
    /// The items are keyed as this scale lists them, whatever other scales do; the source
    /// (`key_source`) says why.
    AsListed,
}

/// How a scale aggregates its items (or, for a composite, its component scales).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Sum of the keyed item values, or of the component scores (prorated when the missing
    /// rule says so).
    Sum,
    /// Mean of the keyed values of the answered items, or of the scored components.
    Mean,
}

/// A scale's missing-data rule: give exactly one of `max_missing` and `min_answered`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MissingRule {
    /// The scale is scored when at most this many of its items are missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_missing: Option<u32>,
    /// The scale is scored when at least this many of its items are answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_answered: Option<u32>,
    /// For sums: when items are missing, score `mean(answered) × n_items` instead of the plain sum.
    #[serde(default, skip_serializing_if = "is_false")]
    pub prorate: bool,
    /// Where the rule comes from (`policy` when no developer rule exists).
    pub source: Source,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Rounding of a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// `half_up` (halves away from zero) or `half_even` (halves to the even neighbour).
    pub method: RoundingMethod,
    /// Number of decimals kept (0 for a whole number).
    #[serde(default)]
    pub decimals: u8,
}

/// How halves are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundingMethod {
    /// Halves away from zero (2.5 → 3).
    HalfUp,
    /// Halves to the even neighbour (2.5 → 2, 3.5 → 4).
    HalfEven,
}

/// A scale computed as `from × multiply + add`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// An item or composite scale defined earlier in the file (one id: a score made of several
    /// scales is a composite, `"scales": [ids]`).
    #[serde(deserialize_with = "one_scale")]
    pub from: String,
    /// Factor applied to the source score (default 1).
    #[serde(default = "one")]
    pub multiply: f64,
    /// Constant added after multiplying (default 0).
    #[serde(default)]
    pub add: f64,
    /// Where the transform comes from.
    pub source: Source,
}

fn one() -> f64 {
    1.0
}

/// `derived.from`: one scale id. A list gets a message saying what to write instead.
fn one_scale<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    use serde::de::{Error, IgnoredAny, SeqAccess, Visitor};
    struct OneScale;
    impl<'de> Visitor<'de> for OneScale {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("the id of one scale")
        }
        fn visit_str<E: Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Err(A::Error::custom(
                "`derived.from` names one scale; for a score made of several scales (a total of subscales), write a composite scale instead of `derived`: {\"id\": …, \"scales\": [\"a\", \"b\"], \"method\": \"sum\", \"missing\": {\"max_missing\": 0, \"source\": …}, …}",
            ))
        }
    }
    deserializer.deserialize_any(OneScale)
}

/// One severity band: it starts at `from` and runs up to the next band's `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lowest score in the band (inclusive).
    pub from: f64,
    /// The band's name as the source gives it (for example `moderate`).
    pub label: String,
}

/// Whether higher scores are worse or better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher means more symptoms or risk.
    Worse,
    /// Higher means more well-being.
    Better,
}

/// The four factors of codependency (Dear, Roberts & Lange 2004), or codependency as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Construct {
    /// Taking one's opinions, expectations and behaviour from outside oneself.
    ExternalFocusing,
    /// Setting aside one's own needs to meet those of others.
    SelfSacrifice,
    /// Avoiding, hiding or not knowing one's own feelings.
    EmotionalSuppression,
    /// Attempting to control other people.
    InterpersonalControl,
    /// Codependency as a whole.
    Codependency,
}

impl Construct {
    /// All constructs, the four factors first.
    pub const ALL: [Construct; 5] = [
        Construct::ExternalFocusing,
        Construct::SelfSacrifice,
        Construct::EmotionalSuppression,
        Construct::InterpersonalControl,
        Construct::Codependency,
    ];

    /// The identifier as written in definitions (for example `self_sacrifice`).
    pub fn as_str(self) -> &'static str {
        match self {
            Construct::ExternalFocusing => "external_focusing",
            Construct::SelfSacrifice => "self_sacrifice",
            Construct::EmotionalSuppression => "emotional_suppression",
            Construct::InterpersonalControl => "interpersonal_control",
            Construct::Codependency => "codependency",
        }
    }

    /// A human-readable name (for example `Self-sacrifice`).
    pub fn label(self) -> &'static str {
        match self {
            Construct::ExternalFocusing => "External focusing",
            Construct::SelfSacrifice => "Self-sacrifice",
            Construct::EmotionalSuppression => "Emotional suppression",
            Construct::InterpersonalControl => "Interpersonal control",
            Construct::Codependency => "Codependency (overall)",
        }
    }
}
