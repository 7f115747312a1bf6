//! Skip logic, flag rules and the conditions they test.

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use super::Source;

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
