//! Local norms: a norm group per scale built from a practice's own sample ([`NormsBuilder`],
//! `screenscore norms`), and the file that holds them ([`LocalNorms`]).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::compile::limits;
use crate::compile::norms::check_group;
use crate::definition::{
    Evidence, Frequency, NormGroup, Percentile, Reliability, ReliabilityKind, Source, Stratum,
};
use crate::instrument::Instrument;
use crate::sheet::{ItemState, ScoreSheet};
use crate::stats::CapacityError;
use crate::stats::alpha::cronbach;
use crate::stats::capacity::{check, pairs};
use crate::stats::moments::Moments;

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
/// scale (sums and sums of squares, and a frequency table of the distinct scores).
///
/// For each scale: n, mean and SD (n − 1) of the scores, from sums of the scores shifted by
/// the first one, exactly as [`StatsBuilder`](crate::stats::StatsBuilder) computes a scale's
/// `score_mean` and `score_sd` (so scores that all lie near 10⁸ or 10⁹ keep their spread);
/// Cronbach's alpha on the complete cases (`k/(k−1)·(1 − Σσ²ᵢ/σ²ₜ)` over the keyed item values;
/// a derived scale takes its source's alpha); the 5th … 95th percentiles (R type 7); the
/// frequency table. Means, SDs, alphas and percentiles are rounded to 12 significant digits
/// (a mean or percentile to the decimal place of the SD's twelfth digit when that is finer), so
/// a norms file reads `3.68`, not `3.6799999999999997`; z-scores move by less than 10⁻¹¹.
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
    /// The scale's scores: their sums and sums of squares shifted by the first score, as
    /// `stats` keeps them (scores near 10⁹ that differ by 1 keep their spread).
    scores: Moments,
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
            def.scales
                .iter()
                .enumerate()
                .filter_map(|(s, d)| Some((d.id.as_str(), instrument.scale_items(s)?.len())))
        };
        let cells = sizes()
            .map(|(_, k)| pairs(k))
            .fold(0, usize::saturating_add);
        check(&def.id, sizes(), cells)?;
        let scales = (0..def.scales.len())
            .map(|s| {
                let k = instrument.scale_items(s).map_or(0, <[_]>::len);
                Accumulator {
                    complete: Moments::new(k),
                    n: 0,
                    scores: Moments::new(1),
                    frequencies: HashMap::new(),
                    scratch: Vec::with_capacity(k),
                }
            })
            .collect();
        Ok(NormsBuilder { instrument, scales })
    }

    /// Add one scored administration (its scored scales; unscored ones are skipped).
    pub fn add(&mut self, sheet: &ScoreSheet<'_>) {
        let instrument = self.instrument;
        for (s, (acc, slot)) in self.scales.iter_mut().zip(sheet.scales.iter()).enumerate() {
            let Some(score) = slot.score else { continue };
            acc.n += 1;
            acc.scores.add(&[Some(score)]);
            *acc.frequencies.entry(score.to_bits()).or_insert(0) += 1;
            if let Some(items) = instrument.scale_items(s) {
                acc.scratch.clear();
                for item in items {
                    match sheet.items[item.item] {
                        ItemState::Answered { value, .. } | ItemState::Skipped { value } => {
                            acc.scratch.push(Some(item.keyed(value)));
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
        let alphas: Vec<Option<f64>> = self.scales.iter().map(alpha).collect();
        let mut scales = BTreeMap::new();
        for (s, acc) in self.scales.iter().enumerate() {
            if acc.n < 2 {
                continue;
            }
            // The same figures as `stats` gives for a scale's scores (`score_mean`,
            // `score_sd`): shifted by the first score, the sums keep the spread of scores far
            // from zero, which unshifted sums of squares lose to cancellation.
            // Written without binary noise (`3.68`, not `3.6799999999999997`): see `tidy`.
            let sd = tidy(acc.scores.cov(0, 0).max(0.0).sqrt(), None);
            let mean = tidy(acc.scores.mean(0), Some(sd));
            let alpha = alphas[self.instrument.derived_from(s).unwrap_or(s)].map(|a| tidy(a, None));
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
                    score: tidy(quantile(&frequencies, acc.n, p / 100.0), Some(sd)),
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

/// The significant digits kept of a figure of local norms.
const DIGITS: i32 = 12;

/// `x` rounded to [`DIGITS`] significant digits, or, for a figure on the scale of the scores
/// (a mean, a percentile) given the SD, to the decimal place of the SD's last kept digit when
/// that is finer (a mean near 10⁹ with an SD of 0.8 keeps its decimals). The digits dropped
/// are binary noise (`3.6799999999999997` is written `3.68`), and nothing meaningful is lost:
/// the rounding moves a z-score by less than 10⁻¹¹ × (1 + |z|). The result is the double
/// nearest the rounded decimal, so the norms file holds the same numbers as the builder.
pub(super) fn tidy(x: f64, sd: Option<f64>) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let exponent = |v: f64| -> i32 {
        let text = format!("{v:e}");
        text[text.find('e').map_or(0, |e| e + 1)..]
            .parse()
            .unwrap_or(0)
    };
    let finer = sd
        .filter(|sd| *sd > 0.0 && sd.is_finite())
        .map_or(0, |sd| (exponent(x) - exponent(sd)).max(0));
    // 17 significant digits read back as the same double: no rounding beyond that.
    let digits = (DIGITS + finer).min(17) as usize;
    format!("{x:.*e}", digits - 1).parse().unwrap_or(x)
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
