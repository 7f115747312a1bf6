//! Reference groups: the distribution of a scale's score in a population, by sex and age.

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use super::Source;

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

/// A respondent's sex, as norm strata use it (a stratum's `sex`, and the `sex` column when
/// standard scores choose a stratum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// Female (`female`, `f`, `woman`, `w`; case-insensitive).
    Female,
    /// Male (`male`, `m`, `man`; case-insensitive).
    Male,
}

impl Sex {
    /// Read a cell: `female`/`f`/`woman`/`w` or `male`/`m`/`man`, case-insensitive, trimmed.
    pub fn parse(text: &str) -> Option<Sex> {
        match text.trim().to_lowercase().as_str() {
            "female" | "f" | "woman" | "w" => Some(Sex::Female),
            "male" | "m" | "man" => Some(Sex::Male),
            _ => None,
        }
    }
}
