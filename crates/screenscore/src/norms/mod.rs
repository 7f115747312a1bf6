//! Norms and standard scores: where a score stands in a reference group.
//!
//! A scale's reference groups ([`NormGroup`]) come from its definition or from a local norms
//! file built from a practice's own sample ([`NormsBuilder`], `screenscore norms`). For a score
//! `x` in a group with mean `M`, standard deviation `SD` and reliability `r`:
//!
//! - `z = (x − M) / SD`, `T = 50 + 10·z`;
//! - the percentile from data: where the group carries score frequencies (a published table or
//!   local norms), the percentile rank `100·(below + ½·equal) / n`; none otherwise;
//! - the normal approximation `100·Φ(z)`, Φ the standard normal distribution function
//!   (statrs), which assumes the scores are normally distributed in the group: screening
//!   totals are right-skewed, so it overstates how rare high scores are, and it is named so;
//! - `SEM = SD·√(1 − r)` (standard error of measurement; Jacobson & Truax 1991), and the 95%
//!   band around the observed score `x ± 1.96·SEM`, clipped to the scale's range by a
//!   [`NormTable`] made for the scale.
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
//! assert!((s.percentile_normal - 97.725).abs() < 0.001);
//! assert_eq!(s.percentile, None); // a mean and an SD give no percentile from data
//! let sem = 5.0 * (1.0f64 - 0.84).sqrt(); // 2.0
//! assert!((s.sem.unwrap() - sem).abs() < 1e-12);
//! ```

use statrs::distribution::{ContinuousCDF, Normal};

pub use crate::definition::Sex;
use crate::definition::{Frequency, NormGroup, Scale, Stratum};

mod local;

pub use local::{LocalNorms, NormsBuilder, NormsFileError};

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
    /// Nothing is allocated: the batch reads every row's respondent this way.
    ///
    /// ```
    /// use screenscore::norms::{Respondent, Sex};
    ///
    /// let r = Respondent::from_cells(Some(b" F "), Some(b"41.5"));
    /// assert_eq!((r.sex, r.age), (Some(Sex::Female), Some(41.5)));
    /// let r = Respondent::from_cells(Some(b"unknown"), Some(b"inf"));
    /// assert_eq!(r, Respondent::default());
    /// ```
    pub fn from_cells(sex: Option<&[u8]>, age: Option<&[u8]>) -> Respondent {
        fn text(b: Option<&[u8]>) -> Option<&str> {
            b.and_then(|b| std::str::from_utf8(crate::matcher::trim(b)).ok())
        }
        Respondent {
            sex: text(sex).and_then(Sex::parse),
            age: text(age).and_then(age_of).filter(|a| a.is_finite()),
        }
    }
}

/// An age cell as a number: whole years (the usual cell, read without the float parser), or
/// any number `f64` reads.
fn age_of(text: &str) -> Option<f64> {
    match text.as_bytes() {
        digits @ [_, ..] if digits.len() <= 3 && digits.iter().all(u8::is_ascii_digit) => Some(
            digits
                .iter()
                .fold(0.0, |n, d| n * 10.0 + f64::from(d - b'0')),
        ),
        _ => text.parse().ok(),
    }
}

/// The stratum of `group` for `respondent`: of the strata whose sex and age conditions the
/// respondent meets, the one with the most conditions (the most specific). `None` when no
/// stratum applies (for example, strata by sex and the respondent's sex not given).
pub fn select_stratum<'g>(group: &'g NormGroup, respondent: &Respondent) -> Option<&'g Stratum> {
    select(
        &group.strata,
        |_, s| s.sex.as_deref().map(Sex::parse),
        respondent,
    )
}

/// [`select_stratum`] over `strata`, the sex condition of stratum `i` given by `sex_of` (`None`:
/// none; `Some(None)`: a sex that is not recognised, which no respondent meets).
fn select<'g>(
    strata: &'g [Stratum],
    sex_of: impl Fn(usize, &Stratum) -> Option<Option<Sex>>,
    respondent: &Respondent,
) -> Option<&'g Stratum> {
    strata
        .iter()
        .enumerate()
        .filter(|&(i, s)| {
            let sex_ok = match sex_of(i, s) {
                None => true,
                Some(sex) => respondent.sex.is_some() && sex == respondent.sex,
            };
            let age_ok = match s.age {
                None => true,
                Some(range) => respondent
                    .age
                    .is_some_and(|a| a >= range.from && a <= range.to),
            };
            sex_ok && age_ok
        })
        .max_by_key(|(_, s)| usize::from(s.sex.is_some()) + usize::from(s.age.is_some()))
        .map(|(_, s)| s)
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
    /// The percentile rank from data: `100·(below + ½·equal) / n` over the scores of the
    /// group's sample, when it gives them (local norms); `None` when it gives only a mean and
    /// an SD. Screening scores are skewed, so no percentile is read off a normal curve here.
    pub percentile: Option<f64>,
    /// `100·Φ(z)`: the normal approximation, named as such. Screening scores are strongly
    /// right-skewed, so it overstates how rare high scores are (GAD-7 15 against Löwe et al.
    /// 2008 comes out above the 99.9th; the paper reports about 1% at 15 or more).
    pub percentile_normal: f64,
    /// `SD·√(1 − r)`, when the group gives a reliability.
    pub sem: Option<f64>,
    /// `x ± 1.96·SEM`, clipped to the scale's range when the table knows it.
    pub band: Option<(f64, f64)>,
    /// Whether `band` was clipped to the scale's range.
    pub band_clipped: bool,
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
    /// Each stratum's sex condition, read once.
    sexes: Vec<Option<Option<Sex>>>,
    frequencies: Cumulative,
    /// Per stratum, every whole score from `whole.0` to `whole.1` placed (empty when not
    /// prepared for a scale).
    placed: Vec<Vec<StandardScore<'g>>>,
    whole: (f64, f64),
    /// The scale's range, to clip the 95% band to (unknown for a table not made for a scale).
    range: Option<(f64, f64)>,
}

impl<'g> NormTable<'g> {
    /// Prepare `group`.
    pub fn new(group: &'g NormGroup) -> NormTable<'g> {
        NormTable {
            group,
            sexes: group
                .strata
                .iter()
                .map(|s| s.sex.as_deref().map(Sex::parse))
                .collect(),
            frequencies: Cumulative::new(&group.frequencies),
            placed: Vec::new(),
            whole: (0.0, -1.0),
            range: None,
        }
    }

    /// Prepare `group` for a scale whose scores lie in `range`: the 95% band is clipped to the
    /// range; when the scores are whole numbers over at most [`PLACED_SCORES`] values, every
    /// whole score is placed in every stratum now, and [`NormTable::place`] then looks them up.
    pub fn for_scale(group: &'g NormGroup, range: (f64, f64)) -> NormTable<'g> {
        let mut table = NormTable::new(group);
        table.range = Some(range);
        let (lo, hi) = range;
        let whole = lo.fract() == 0.0 && hi.fract() == 0.0 && lo <= hi;
        if whole && hi - lo < PLACED_SCORES as f64 {
            table.placed = group
                .strata
                .iter()
                .map(|stratum| {
                    let n = (hi - lo) as usize + 1;
                    (0..n)
                        .map(|x| table.compute(lo + x as f64, stratum))
                        .collect()
                })
                .collect();
            table.whole = (lo, hi);
        }
        table
    }

    /// The stratum chosen for `respondent`, as [`select_stratum`] chooses it.
    pub fn stratum(&self, respondent: &Respondent) -> Option<&'g Stratum> {
        select(&self.group.strata, |i, _| self.sexes[i], respondent)
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
        let stratum = self.stratum(respondent).ok_or(NoStandardScore::NoStratum)?;
        let (lo, hi) = self.whole;
        if score.fract() == 0.0 && score >= lo && score <= hi {
            let s = self
                .group
                .strata
                .iter()
                .position(|s| std::ptr::eq(s, stratum));
            if let Some(placed) = s.and_then(|s| self.placed.get(s)) {
                return Ok(placed[(score - lo) as usize]);
            }
        }
        Ok(self.compute(score, stratum))
    }

    /// `score` placed in `stratum`.
    fn compute(&self, score: f64, stratum: &'g Stratum) -> StandardScore<'g> {
        let group = self.group;
        let z = (score - stratum.mean) / stratum.sd;
        let sem = group.reliability.as_ref().map(|r| sem(stratum.sd, r.value));
        let band = sem.map(|e| (score - Z_95 * e, score + Z_95 * e));
        let clipped = band.map(|(lo, hi)| match self.range {
            Some((min, max)) => (lo.max(min), hi.min(max)),
            None => (lo, hi),
        });
        StandardScore {
            group,
            stratum,
            z,
            t: 50.0 + 10.0 * z,
            percentile: self.frequencies.percentile(score),
            percentile_normal: 100.0 * normal_cdf(z),
            sem,
            band_clipped: clipped != band,
            band: clipped,
        }
    }
}

/// The most whole scores a [`NormTable`] places ahead, per stratum.
pub const PLACED_SCORES: usize = 1024;

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

#[cfg(test)]
mod tests;
