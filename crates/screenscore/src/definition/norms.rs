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
    /// How often each score occurred in the sample (a published frequency table, or local
    /// norms), for percentile ranks from data.
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
    const FEMALE: [&'static str; 4] = ["female", "f", "woman", "w"];
    const MALE: [&'static str; 3] = ["male", "m", "man"];

    /// Read a cell: `female`/`f`/`woman`/`w` or `male`/`m`/`man`, case-insensitive, trimmed
    /// (Unicode whitespace too). Nothing is allocated: this runs for every row of a batch.
    ///
    /// ```
    /// use screenscore::definition::Sex;
    ///
    /// assert_eq!(Sex::parse(" Female "), Some(Sex::Female));
    /// assert_eq!(Sex::parse("M"), Some(Sex::Male));
    /// assert_eq!(Sex::parse("\u{a0}w\u{a0}"), Some(Sex::Female));
    /// assert_eq!(Sex::parse("x"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Sex> {
        // Only ASCII letters can match: no other character lowercases to ASCII letters alone
        // but the Kelvin sign (to `k`, in neither list), so comparing ASCII letters
        // regardless of case accepts exactly what lowercasing the text would.
        let text = text.trim();
        let any = |words: &[&str]| words.iter().any(|w| text.eq_ignore_ascii_case(w));
        if any(&Sex::FEMALE) {
            Some(Sex::Female)
        } else if any(&Sex::MALE) {
            Some(Sex::Male)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Sex;

    /// The reading before it stopped allocating: lowercase the trimmed text, then compare.
    fn by_lowercase(text: &str) -> Option<Sex> {
        match text.trim().to_lowercase().as_str() {
            "female" | "f" | "woman" | "w" => Some(Sex::Female),
            "male" | "m" | "man" => Some(Sex::Male),
            _ => None,
        }
    }

    #[test]
    fn no_character_but_ascii_lowercases_to_ascii_alone_except_the_kelvin_sign() {
        let to_ascii: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().all(|l| l.is_ascii()))
            .collect();
        assert_eq!(to_ascii, ['\u{212a}']);
        assert_eq!('\u{212a}'.to_lowercase().to_string(), "k");
    }

    #[test]
    fn parse_accepts_what_lowercasing_accepted() {
        let words = [
            "female", "f", "woman", "w", "male", "m", "man", "fem", "mann", "", "k",
        ];
        let mut texts = Vec::new();
        for word in words {
            texts.push(word.to_string());
            texts.push(word.to_uppercase());
            texts.push(format!(" \t{}\u{a0}", word.to_uppercase()));
            // Every spelling with one letter upper case, and with each letter replaced by a
            // character that lowercases to it (`K` by the Kelvin sign).
            for (i, c) in word.char_indices() {
                let (before, after) = (&word[..i], &word[i + c.len_utf8()..]);
                texts.push(format!("{before}{}{after}", c.to_ascii_uppercase()));
                texts.push(format!("{before}\u{212a}{after}"));
                texts.push(format!("{before}{c}\u{307}{after}"));
            }
        }
        texts.extend(["ＭＡＬＥ", "ｆ", "Male\u{0}", "\u{130}"].map(String::from));
        for text in &texts {
            assert_eq!(Sex::parse(text), by_lowercase(text), "{text:?}");
        }
    }
}
