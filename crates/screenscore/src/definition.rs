//! The instrument definition format: the serde types behind every `instruments/*.json` file.
//!
//! These types are the file format and nothing more. They are parsed with unknown keys refused
//! (a misspelt key is an error, never silently ignored) and then checked and compiled into an
//! [`Instrument`](crate::Instrument), which is what scores. `instruments/schema.json` is generated
//! from these types, so the schema and the parser cannot drift apart.
//!
//! Every number that is not the instrument's own structure (a band edge, a reverse key, a
//! missing-data rule, a norm) carries a [`Source`] saying where it comes from and how well it is
//! established.

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

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
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// A score computed from items (or, for a derived scale, from another scale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Identifier; the output column is `{instrument}_{id}`. Every instrument's main score is `total`.
    pub id: String,
    /// What the scale measures.
    pub label: String,
    /// The items summed or averaged. Omitted for a derived scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<String>>,
    /// Items reverse-keyed in this scale: scored `(min + max) − x` over the item's declared options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reverse: Vec<String>,
    /// Source of the reverse keys; required when `reverse` is not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_source: Option<Source>,
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
}

/// A reference group: the distribution of a scale's score in a named population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NormGroup {
    /// Identifier (for example `german_general_population_2006`).
    pub id: String,
    /// Who the group is: country, setting, year, how sampled.
    pub population: String,
    /// For Jacobson–Truax clinically significant change: `functional` (a non-clinical
    /// population) or `dysfunctional` (a clinical one). Omitted for a general reference group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<NormRole>,
    /// The group's statistics, whole or by sex and age; a row uses the most specific stratum
    /// that matches its respondent.
    pub strata: Vec<Stratum>,
    /// The scale's reliability in this group (needed for the SEM and the reliable change index).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    /// Empirical percentiles of the sample (local norms built by `screenscore norms`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub percentiles: Vec<Percentile>,
    /// How often each score occurred in the sample (local norms), for empirical percentile ranks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frequencies: Vec<Frequency>,
    /// Where the numbers come from.
    pub source: Source,
}

/// The role of a reference group in clinically significant change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NormRole {
    /// A non-clinical (well) population.
    Functional,
    /// A clinical population (for example patients before treatment).
    Dysfunctional,
}

/// The statistics of a reference group, or of one part of it (by sex, by age range).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Stratum {
    /// `female` or `male`; omitted for both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// Age range in years, both ends included; omitted for all ages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<AgeRange>,
    /// Number of people, when the source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    /// Mean score.
    pub mean: f64,
    /// Standard deviation of the score.
    pub sd: f64,
}

/// An age range in years, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AgeRange {
    /// Youngest age in the range.
    pub from: f64,
    /// Oldest age in the range.
    pub to: f64,
}

/// A reliability coefficient and its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Reliability {
    /// The coefficient (for example Cronbach's alpha 0.89).
    pub value: f64,
    /// `internal_consistency` (alpha) or `test_retest`.
    pub kind: ReliabilityKind,
}

/// The kind of a reliability coefficient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReliabilityKind {
    /// Internal consistency (Cronbach's alpha).
    InternalConsistency,
    /// Test–retest correlation.
    TestRetest,
}

impl ReliabilityKind {
    /// As written in definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            ReliabilityKind::InternalConsistency => "internal_consistency",
            ReliabilityKind::TestRetest => "test_retest",
        }
    }
}

/// An empirical percentile of a sample: `p` percent of the sample scored at or below `score`
/// (linear interpolation between order statistics, as R's default quantile type 7).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Percentile {
    /// The percentage (5, 10, 25, 50, 75, 90, 95).
    pub p: f64,
    /// The score at that percentile.
    pub score: f64,
}

/// How many people in a sample had a score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Frequency {
    /// The score.
    pub score: f64,
    /// How many had it.
    pub count: u64,
}

/// How a scale aggregates its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Sum of the keyed item values (prorated when the missing rule says so).
    Sum,
    /// Mean of the keyed values of the answered items.
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
    /// An item scale defined earlier in the file.
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

/// Skip logic: when `when` holds, the listed items were not asked and missing ones score `value`.
///
/// An item that was answered anyway keeps its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Skip {
    /// When the items are skipped.
    pub when: Condition,
    /// The items skipped.
    pub items: Vec<String>,
    /// The value a skipped, unanswered item scores (must be one of its option values).
    pub value: f64,
    /// Where the skip rule comes from.
    pub source: Source,
}

/// A rule: when its condition holds, the row is flagged with the rule's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Identifier, written to the `{instrument}_flags` column when the rule holds.
    pub id: String,
    /// What the flag means, for a clinician.
    pub label: String,
    /// `critical` (needs attention today), `warning` or `info`.
    pub severity: Severity,
    /// The condition.
    pub when: Condition,
    /// Where the rule comes from.
    pub source: Source,
}

/// How urgent a flag is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Information, such as a positive screen or a diagnostic algorithm met.
    Info,
    /// Something to check, such as a critical item left unanswered.
    Warning,
    /// Needs attention today, such as thoughts of self-harm.
    Critical,
}

impl Severity {
    /// The severity as written in definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// A condition on responses, scales and respondent attributes.
///
/// Written as an object with exactly one key, for example
/// `{"item": {"id": "9", "op": ">=", "value": 1}}` or `{"all": [ ... ]}`.
/// Conditions use three-valued logic: a comparison on a missing item is *unknown*, and a rule
/// raises its flag only when its condition is known to hold. A comparison on a scale that could
/// not be scored is decided when it comes out the same for every score the missing items could
/// give (PHQ-2 answered 3 and blank is at least 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Compare an item's response value (as answered, before reverse keying).
    Item(Comparison),
    /// Compare a scale's score.
    Scale(Comparison),
    /// The item is unanswered (missing or unreadable) although it applies.
    Missing(String),
    /// The respondent attribute has one of the given values.
    Attribute(AttributeTest),
    /// The respondent attribute is not given (empty, no column, or a value not recognised).
    NotGiven(String),
    /// Every condition holds.
    All(Vec<Condition>),
    /// At least one condition holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
    /// The number of conditions that hold compares to `value`.
    Count(Count),
    /// The number of items whose response meets `meeting` compares to `value`.
    CountItems(CountItems),
}

/// A comparison of an item or scale with a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    /// The item or scale id.
    pub id: String,
    /// The operator.
    pub op: Op,
    /// The number compared with.
    pub value: f64,
}

/// A test of a respondent attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AttributeTest {
    /// The attribute id.
    pub id: String,
    /// The values for which the test holds.
    #[serde(rename = "in")]
    pub any_of: Vec<String>,
}

/// Count the conditions that hold and compare the count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Count {
    /// The conditions counted.
    pub of: Vec<Condition>,
    /// The operator applied to the count.
    pub op: Op,
    /// The number the count is compared with.
    pub value: f64,
}

/// Count the items whose response meets a threshold and compare the count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CountItems {
    /// The items counted.
    pub items: Vec<String>,
    /// What an item's response must meet to be counted.
    pub meeting: Threshold,
    /// The operator applied to the count.
    pub op: Op,
    /// The number the count is compared with.
    pub value: f64,
}

/// An operator and a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The operator.
    pub op: Op,
    /// The number compared with.
    pub value: f64,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub enum Op {
    /// Equal.
    #[serde(rename = "==")]
    Eq,
    /// Not equal.
    #[serde(rename = "!=")]
    Ne,
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// Less than or equal.
    #[serde(rename = "<=")]
    Le,
    /// Greater than.
    #[serde(rename = ">")]
    Gt,
    /// Greater than or equal.
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    /// Whether `left op right` holds.
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Op::Eq => left == right,
            Op::Ne => left != right,
            Op::Lt => left < right,
            Op::Le => left <= right,
            Op::Gt => left > right,
            Op::Ge => left >= right,
        }
    }

    /// The operator as written in definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}
