//! Norms and standard scores: where a score stands in a reference group.
//!
//! A scale's reference groups ([`NormGroup`]) come from its definition or from a local norms
//! file built from a practice's own sample ([`NormsBuilder`], `screenscore norms`). For a score
//! `x` in a group with mean `M`, standard deviation `SD` and reliability `r`:
//!
//! - `z = (x − M) / SD`, `T = 50 + 10·z`;
//! - percentile = `100·Φ(z)`, Φ the standard normal distribution function (statrs), which
//!   assumes the scores are normally distributed in the group;
//! - `SEM = SD·√(1 − r)` (standard error of measurement; Jacobson & Truax 1991), and the 95%
//!   band around the observed score `x ± 1.96·SEM`;
//! - where the group carries frequencies (local norms), the empirical percentile rank
//!   `100·(below + ½·equal) / n`.
//!
//! ```
//! use screenscore::definition::{NormGroup, Reliability, ReliabilityKind, Source, Evidence, Stratum};
//! use screenscore::norms::{standard_score, Respondent};
//!
//! let group = NormGroup {
//!     id: "example".into(),
//!     population: "an example group".into(),
//!     role: None,
//!     strata: vec![Stratum { sex: None, age: None, n: Some(100), mean: 10.0, sd: 5.0 }],
//!     reliability: Some(Reliability { value: 0.84, kind: ReliabilityKind::InternalConsistency }),
//!     percentiles: vec![],
//!     frequencies: vec![],
//!     source: Source { reference: "example".into(), evidence: Evidence::Policy },
//! };
//! let s = standard_score(20.0, &group, &Respondent::default()).unwrap();
//! assert_eq!(s.z, 2.0);
//! assert_eq!(s.t, 70.0);
//! assert!((s.percentile - 97.725).abs() < 0.001);
//! let sem = 5.0 * (1.0f64 - 0.84).sqrt(); // 2.0
//! assert!((s.sem.unwrap() - sem).abs() < 1e-12);
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::compile::ScaleKind;
use crate::compile::limits;
use crate::compile::norms::check_group;
use crate::definition::{
    Evidence, Frequency, NormGroup, Percentile, Reliability, ReliabilityKind, Scale, Source,
    Stratum,
};
use crate::instrument::Instrument;
use crate::sheet::{ItemState, ScoreSheet};
use crate::stats::CapacityError;
use crate::stats::alpha::cronbach;
use crate::stats::capacity::{check, pairs};
use crate::stats::moments::Moments;

/// A respondent's sex, as norm strata use it.
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

/// What norm strata are chosen by: the respondent's sex and age.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Respondent {
    /// Sex, if given and recognised.
    pub sex: Option<Sex>,
    /// Age in years, if given.
    pub age: Option<f64>,
}

impl Respondent {
    /// From the raw cells of the `sex` and `age` columns (missing or unreadable → not given).
    pub fn from_cells(sex: Option<&[u8]>, age: Option<&[u8]>) -> Respondent {
        fn text(b: Option<&[u8]>) -> Option<&str> {
            b.and_then(|b| std::str::from_utf8(b).ok()).map(str::trim)
        }
        Respondent {
            sex: text(sex).and_then(Sex::parse),
            age: text(age)
                .and_then(|a| a.parse::<f64>().ok())
                .filter(|a| a.is_finite()),
        }
    }
}

/// The stratum of `group` for `respondent`: of the strata whose sex and age conditions the
/// respondent meets, the one with the most conditions (the most specific). `None` when no
/// stratum applies (for example, strata by sex and the respondent's sex not given).
pub fn select_stratum<'g>(group: &'g NormGroup, respondent: &Respondent) -> Option<&'g Stratum> {
    group
        .strata
        .iter()
        .filter(|s| {
            let sex_ok = match &s.sex {
                None => true,
                Some(sex) => respondent.sex.is_some() && Sex::parse(sex) == respondent.sex,
            };
            let age_ok = match s.age {
                None => true,
                Some(range) => respondent
                    .age
                    .is_some_and(|a| a >= range.from && a <= range.to),
            };
            sex_ok && age_ok
        })
        .max_by_key(|s| usize::from(s.sex.is_some()) + usize::from(s.age.is_some()))
}

/// A score placed in a reference group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StandardScore<'g> {
    /// The group.
    pub group: &'g NormGroup,
    /// The stratum of the group used.
    pub stratum: &'g Stratum,
    /// `(x − M) / SD`.
    pub z: f64,
    /// `50 + 10·z`.
    pub t: f64,
    /// `100·Φ(z)`.
    pub percentile: f64,
    /// `SD·√(1 − r)`, when the group gives a reliability.
    pub sem: Option<f64>,
    /// `x ± 1.96·SEM`.
    pub band: Option<(f64, f64)>,
    /// `100·(below + ½·equal) / n` in the group's sample, when it gives frequencies.
    pub empirical_percentile: Option<f64>,
}

/// Why a score has no standard score in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoStandardScore {
    /// No stratum of the group matches the respondent (sex or age not given, or outside).
    NoStratum,
}

/// `z` at which the normal distribution leaves 2.5% in each tail: the 95% band is ±1.96 SEM.
pub const Z_95: f64 = 1.96;

/// The standard normal distribution function Φ.
pub fn normal_cdf(z: f64) -> f64 {
    // statrs's standard normal: mean 0, sd 1 (always valid parameters).
    Normal::standard().cdf(z)
}

/// `SD·√(1 − r)`: the standard error of measurement.
pub fn sem(sd: f64, reliability: f64) -> f64 {
    sd * (1.0 - reliability).sqrt()
}

/// Place `score` in `group`, in the stratum chosen for `respondent`. To place many scores in
/// one group, prepare it once with [`NormTable::new`].
pub fn standard_score<'g>(
    score: f64,
    group: &'g NormGroup,
    respondent: &Respondent,
) -> Result<StandardScore<'g>, NoStandardScore> {
    NormTable::new(group).place(score, respondent)
}

/// `100·(below + ½·equal) / n` over a frequency table; `None` for an empty table.
pub fn empirical_percentile(score: f64, frequencies: &[Frequency]) -> Option<f64> {
    Cumulative::new(frequencies).percentile(score)
}

/// A reference group prepared for placing many scores: its frequency table sorted and summed
/// once, so that a score's empirical percentile is found in logarithmic time however long the
/// table (a norms file may list many scores).
///
/// ```
/// use screenscore::Instrument;
/// use screenscore::norms::{NormTable, Respondent, default_group};
///
/// let gad7 = Instrument::builtin("gad7")?;
/// let group = default_group(&gad7.definition().scales[0]).unwrap();
/// let table = NormTable::new(group);
/// let placed = table.place(10.0, &Respondent::default()).unwrap();
/// assert!(placed.z > 2.0);
/// # Ok::<(), screenscore::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct NormTable<'g> {
    group: &'g NormGroup,
    frequencies: Cumulative,
}

impl<'g> NormTable<'g> {
    /// Prepare `group`.
    pub fn new(group: &'g NormGroup) -> NormTable<'g> {
        NormTable {
            group,
            frequencies: Cumulative::new(&group.frequencies),
        }
    }

    /// The group.
    pub fn group(&self) -> &'g NormGroup {
        self.group
    }

    /// Place `score` in the group, in the stratum chosen for `respondent`.
    pub fn place(
        &self,
        score: f64,
        respondent: &Respondent,
    ) -> Result<StandardScore<'g>, NoStandardScore> {
        let group = self.group;
        let stratum = select_stratum(group, respondent).ok_or(NoStandardScore::NoStratum)?;
        let z = (score - stratum.mean) / stratum.sd;
        let sem = group.reliability.as_ref().map(|r| sem(stratum.sd, r.value));
        Ok(StandardScore {
            group,
            stratum,
            z,
            t: 50.0 + 10.0 * z,
            percentile: 100.0 * normal_cdf(z),
            sem,
            band: sem.map(|e| (score - Z_95 * e, score + Z_95 * e)),
            empirical_percentile: self.frequencies.percentile(score),
        })
    }
}

/// A frequency table as distinct scores in ascending order, each with how many scored below it
/// and how many scored it.
#[derive(Debug, Clone, Default)]
struct Cumulative {
    scores: Vec<f64>,
    below: Vec<u64>,
    equal: Vec<u64>,
    n: u64,
}

impl Cumulative {
    fn new(frequencies: &[Frequency]) -> Cumulative {
        let mut sorted: Vec<(f64, u64)> = frequencies.iter().map(|f| (f.score, f.count)).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut table = Cumulative::default();
        for (score, count) in sorted {
            // Counts are whole numbers: the sums are exact whatever the order.
            if table.scores.last() == Some(&score) {
                *table.equal.last_mut().expect("a score has its count") += count;
            } else {
                table.scores.push(score);
                table.below.push(table.n);
                table.equal.push(count);
            }
            table.n += count;
        }
        table
    }

    /// `100·(below + ½·equal) / n`; `None` for an empty table.
    fn percentile(&self, score: f64) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        let at = self.scores.partition_point(|&s| s < score);
        let (below, equal) = match self.scores.get(at) {
            Some(&s) if s == score => (self.below[at], self.equal[at]),
            _ => (self.below.get(at).copied().unwrap_or(self.n), 0),
        };
        Some(100.0 * (below as f64 + 0.5 * equal as f64) / self.n as f64)
    }
}

/// The group a scale's standard scores use by default: the first without a role, else the
/// first.
pub fn default_group(scale: &Scale) -> Option<&NormGroup> {
    scale
        .norms
        .iter()
        .find(|g| g.role.is_none())
        .or(scale.norms.first())
}

/// Local norms for one instrument: a norm group per scale, built from a sample.
///
/// The file written by `screenscore norms` and read by `screenscore score --norms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalNorms {
    /// The instrument id.
    pub instrument: String,
    /// The version of the instrument definition the sample was scored with.
    pub instrument_version: String,
    /// Per scale id, the group.
    pub scales: BTreeMap<String, NormGroup>,
}

/// A norms file that could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NormsFileError {
    /// The file could not be read (or is not a regular file of at most
    /// [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES)).
    #[error("cannot read norms file {}: {source}", path.display())]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not local norms as `screenscore norms` writes them.
    #[error("{}: not a norms file: {source}", path.display())]
    Format {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong.
        source: serde_json::Error,
    },
}

impl LocalNorms {
    /// Read local norms from a file written by `screenscore norms`: a regular file of at most
    /// [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES). [`LocalNorms::check`] them against the
    /// instrument before use.
    ///
    /// ```
    /// let err = screenscore::norms::LocalNorms::from_path("/dev/zero").unwrap_err();
    /// # #[cfg(unix)]
    /// assert!(err.to_string().contains("is not a regular file"));
    /// ```
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<LocalNorms, NormsFileError> {
        let path = path.as_ref();
        let bytes = crate::small_file::read(path).map_err(|source| NormsFileError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_slice(&bytes).map_err(|source| NormsFileError::Format {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Check that the norms fit `instrument`: same id, known scales, and every group as sound
    /// as a definition's own reference groups must be (the same checks, and the same bounds on
    /// its numbers: finite, means within ±1e12, SDs between 1e-6 and 1e12, …). A norms file
    /// is read from disk, so its text is checked too: group ids are ids, and what reaches the
    /// output holds no control characters. The error lists every problem, at its JSON path.
    ///
    /// ```
    /// use screenscore::Instrument;
    /// use screenscore::norms::LocalNorms;
    ///
    /// let gad2 = Instrument::builtin("gad2")?;
    /// let text = r#"{"instrument": "gad2", "instrument_version": "1", "scales": {"total": {
    ///     "id": "=cmd|' /C calc'!A0", "population": "clinic", "source": {"ref": "x", "evidence": "sample"},
    ///     "strata": [{"n": 40, "mean": 2.5, "sd": 1e-300}]}}}"#;
    /// let norms: LocalNorms = serde_json::from_str(text).unwrap();
    /// assert_eq!(
    ///     norms.check(gad2).unwrap_err(),
    ///     "2 problems in the norms for `gad2`:\n  \
    ///      scales.total.id: `=cmd|' /C calc'!A0` is not a valid norm group id: use letters, digits, `_` and `-`\n  \
    ///      scales.total.strata[0].sd: must lie between 0.000001 and 1000000000000"
    /// );
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn check(&self, instrument: &Instrument) -> Result<(), String> {
        if self.instrument != instrument.id() {
            return Err(format!(
                "the norms are for `{}`, not `{}`",
                crate::compile::shown(&self.instrument),
                instrument.id()
            ));
        }
        let mut problems = Vec::new();
        for (scale, group) in &self.scales {
            if instrument.scale_index(scale).is_none() {
                return Err(format!(
                    "`{}` has no scale `{}`",
                    instrument.id(),
                    crate::compile::shown(scale)
                ));
            }
            check_group(group, &format!("scales.{scale}"), &mut problems);
        }
        match problems.as_slice() {
            [] => Ok(()),
            [one] => Err(format!("the norms for `{}`: {one}", instrument.id())),
            many => Err(many.iter().fold(
                format!(
                    "{} problems in the norms for `{}`:",
                    many.len(),
                    instrument.id()
                ),
                |text, p| format!("{text}\n  {p}"),
            )),
        }
    }
}

/// Builds [`LocalNorms`] from scored administrations, in one pass and constant memory per
/// scale (sums, sums of squares, and a frequency table of the distinct scores).
///
/// For each scale: n, mean and SD (n − 1) of the scores; Cronbach's alpha on the complete
/// cases (`k/(k−1)·(1 − Σσ²ᵢ/σ²ₜ)` over the keyed item values; a derived scale takes its
/// source's alpha); the 5th … 95th percentiles (R type 7); the frequency table.
///
/// ```
/// use screenscore::{Instrument, Responses};
/// use screenscore::norms::NormsBuilder;
///
/// let gad2 = Instrument::builtin("gad2")?;
/// let mut builder = NormsBuilder::new(gad2);
/// for (a, b) in [(0, 1), (1, 1), (2, 3), (3, 2)] {
///     builder.add(&gad2.score(&Responses::in_order([a, b]))?);
/// }
/// let norms = builder.finish("four example clients", "example");
/// let total = &norms.scales["total"];
/// assert_eq!(total.strata[0].n, Some(4));
/// assert_eq!(total.strata[0].mean, (1.0 + 2.0 + 5.0 + 5.0) / 4.0);
/// # Ok::<(), screenscore::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct NormsBuilder<'i> {
    instrument: &'i Instrument,
    scales: Vec<Accumulator>,
}

#[derive(Debug, Clone)]
struct Accumulator {
    n: u64,
    sum: f64,
    sum_sq: f64,
    /// The keyed item values of the complete cases.
    complete: Moments,
    frequencies: HashMap<u64, u64>,
    scratch: Vec<Option<f64>>,
}

impl<'i> NormsBuilder<'i> {
    /// An empty builder for `instrument`.
    ///
    /// # Panics
    ///
    /// When the instrument is too large for alpha (see [`NormsBuilder::try_new`]).
    pub fn new(instrument: &'i Instrument) -> NormsBuilder<'i> {
        NormsBuilder::try_new(instrument).unwrap_or_else(|e| panic!("{e}"))
    }

    /// An empty builder for `instrument`, or a [`CapacityError`] before anything is allocated
    /// when an item scale has more than [`MAX_ITEMS`](crate::stats::MAX_ITEMS) items or the
    /// scales together more than [`MAX_CELLS`](crate::stats::MAX_CELLS) pairs of items: alpha
    /// on the complete cases keeps a cell of pairwise moments per pair of items in each scale.
    ///
    /// ```
    /// use screenscore::Instrument;
    /// use screenscore::norms::NormsBuilder;
    ///
    /// let phq9 = Instrument::builtin("phq9")?;
    /// assert!(NormsBuilder::try_new(phq9).is_ok());
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn try_new(instrument: &'i Instrument) -> Result<NormsBuilder<'i>, CapacityError> {
        let def = instrument.definition();
        let sizes = || {
            instrument
                .plan()
                .scales
                .iter()
                .zip(&def.scales)
                .filter_map(|(s, d)| match &s.kind {
                    ScaleKind::Items { items, .. } => Some((d.id.as_str(), items.len())),
                    ScaleKind::Derived { .. } => None,
                })
        };
        let cells = sizes()
            .map(|(_, k)| pairs(k))
            .fold(0, usize::saturating_add);
        check(&def.id, sizes(), cells)?;
        let scales = instrument
            .plan()
            .scales
            .iter()
            .map(|s| {
                let k = match &s.kind {
                    ScaleKind::Items { items, .. } => items.len(),
                    ScaleKind::Derived { .. } => 0,
                };
                Accumulator {
                    complete: Moments::new(k),
                    n: 0,
                    sum: 0.0,
                    sum_sq: 0.0,
                    frequencies: HashMap::new(),
                    scratch: Vec::with_capacity(k),
                }
            })
            .collect();
        Ok(NormsBuilder { instrument, scales })
    }

    /// Add one scored administration (its scored scales; unscored ones are skipped).
    pub fn add(&mut self, sheet: &ScoreSheet<'_>) {
        let plan = self.instrument.plan();
        for ((acc, scale), slot) in self
            .scales
            .iter_mut()
            .zip(&plan.scales)
            .zip(sheet.scales.iter())
        {
            let Some(score) = slot.score else { continue };
            acc.n += 1;
            acc.sum += score;
            acc.sum_sq += score * score;
            *acc.frequencies.entry(score.to_bits()).or_insert(0) += 1;
            if let ScaleKind::Items { items, .. } = &scale.kind {
                acc.scratch.clear();
                for item in items {
                    match sheet.items[item.item] {
                        ItemState::Answered { value, .. } | ItemState::Skipped { value } => {
                            acc.scratch
                                .push(Some(item.reverse.map_or(value, |m| m - value)));
                        }
                        _ => break,
                    }
                }
                if acc.scratch.len() == items.len() {
                    acc.complete.add(&acc.scratch);
                }
            }
        }
    }

    /// The norms, one group per scale with at least 2 scores.
    pub fn finish(self, population: &str, source: &str) -> LocalNorms {
        let def = self.instrument.definition();
        let plan = self.instrument.plan();
        let alphas: Vec<Option<f64>> = self.scales.iter().map(alpha).collect();
        let mut scales = BTreeMap::new();
        for (s, acc) in self.scales.iter().enumerate() {
            if acc.n < 2 {
                continue;
            }
            let n = acc.n as f64;
            let mean = acc.sum / n;
            let variance = (acc.sum_sq - acc.sum * acc.sum / n) / (n - 1.0);
            let sd = variance.max(0.0).sqrt();
            let alpha = match &plan.scales[s].kind {
                ScaleKind::Derived { from, .. } => alphas[*from],
                ScaleKind::Items { .. } => alphas[s],
            };
            let mut frequencies: Vec<Frequency> = acc
                .frequencies
                .iter()
                .map(|(&bits, &count)| Frequency {
                    score: f64::from_bits(bits),
                    count,
                })
                .collect();
            frequencies.sort_by(|a, b| a.score.total_cmp(&b.score));
            let percentiles = [5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0]
                .into_iter()
                .map(|p| Percentile {
                    p,
                    score: quantile(&frequencies, acc.n, p / 100.0),
                })
                .collect();
            let group = NormGroup {
                id: "local".to_string(),
                population: population.to_string(),
                role: None,
                strata: vec![Stratum {
                    sex: None,
                    age: None,
                    n: Some(acc.n),
                    mean,
                    sd,
                }],
                reliability: alpha
                    .filter(|a| *a > 0.0 && *a < 1.0)
                    .map(|value| Reliability {
                        value,
                        kind: ReliabilityKind::InternalConsistency,
                    }),
                percentiles,
                frequencies,
                source: Source {
                    reference: source.to_string(),
                    evidence: Evidence::Sample,
                },
            };
            // Scores that all agree (to within float rounding) give no SD to standardise by:
            // no norms, as for fewer than 2 scores, rather than a file that
            // `LocalNorms::check` refuses.
            if limits::sd(sd).is_ok() && limits::mean(mean).is_ok() {
                scales.insert(def.scales[s].id.clone(), group);
            }
        }
        LocalNorms {
            instrument: def.id.clone(),
            instrument_version: def.version.clone(),
            scales,
        }
    }
}

/// Cronbach's alpha of the complete cases: `k/(k−1)·(1 − Σσ²ᵢ/σ²ₜ)`; `None` for fewer than 2
/// items or 2 cases, or no variance in the total.
fn alpha(acc: &Accumulator) -> Option<f64> {
    let k = acc.complete.len();
    if k < 2 || acc.complete.n(0, 0) < 2.0 {
        return None;
    }
    let c = acc.complete.covariances();
    let total: f64 = c.iter().flatten().sum();
    (total > 0.0).then(|| cronbach(&c))
}

/// The `q` quantile (0–1) of a sample given as a sorted frequency table, by R's type 7: the
/// order statistics `x₍ⱼ₎` (1-based), `h = (n − 1)·q + 1`, `x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)`.
fn quantile(sorted: &[Frequency], n: u64, q: f64) -> f64 {
    let h = (n - 1) as f64 * q; // 0-based position
    let lo = h.floor() as u64;
    let frac = h - h.floor();
    let at = |index: u64| {
        let mut seen = 0;
        for f in sorted {
            seen += f.count;
            if index < seen {
                return f.score;
            }
        }
        sorted.last().map_or(f64::NAN, |f| f.score)
    };
    let a = at(lo);
    if frac == 0.0 {
        a
    } else {
        a + frac * (at(lo + 1) - a)
    }
}

#[cfg(test)]
mod tests;
