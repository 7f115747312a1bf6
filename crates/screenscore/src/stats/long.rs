//! The statistics in long form: one `(scale, item, statistic, value)` row per number, the shape
//! of `screenscore stats --format csv` and of the R reference fixtures.

use std::borrow::Cow;

use super::result::{InstrumentStats, ItemStats, ScaleStats};

/// One number of [`InstrumentStats`], named.
///
/// Scale rows have no item. Names: `n`, `complete`, `mean`, `sd`, `score_n`, `score_mean`,
/// `score_sd`, `alpha_raw`, `alpha_std`, `lambda6`, `average_r`, `median_r`, `signal_noise`,
/// `alpha_se`, `alpha_ci_low`, `alpha_ci_high`; item rows: `reversed` (1 or 0), `n`, `mean`,
/// `sd`, `r_raw`, `r_std`, `r_cor`, `r_drop`, the scale's statistics without the item
/// (`alpha_raw_if_deleted`, `alpha_std_if_deleted`, `lambda6_if_deleted`,
/// `average_r_if_deleted`, `signal_noise_if_deleted`, `alpha_se_if_deleted`), `freq:{value}`
/// per answer given and `missing`; between scales, on the row of scale `a`: `r:{b}` and
/// `r_corrected:{b}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Statistic<'a> {
    /// The scale.
    pub scale: &'a str,
    /// The item, for item statistics.
    pub item: Option<&'a str>,
    /// What the number is.
    pub name: Cow<'static, str>,
    /// The number (NaN where it is undefined, e.g. a correlation of an item without variance).
    pub value: f64,
}

impl InstrumentStats {
    /// Every number, scale by scale (scale statistics, then each item's), then the
    /// intercorrelations.
    ///
    /// ```
    /// use screenscore::{Instrument, Responses};
    /// use screenscore::stats::{Missing, StatsBuilder};
    ///
    /// let gad2 = Instrument::builtin("gad2")?;
    /// let mut stats = StatsBuilder::new(gad2, Missing::Pairwise);
    /// for (a, b) in [(0, 1), (2, 3), (3, 2)] {
    ///     stats.add(&gad2.score(&Responses::in_order([a, b]))?);
    /// }
    /// let stats = stats.finish();
    /// let long = stats.long();
    /// let n = long.iter().find(|s| s.item.is_none() && s.name == "n").unwrap();
    /// assert_eq!((n.scale, n.value), ("total", 3.0));
    /// // Item 1 answered 0, 2 and 3 once each.
    /// let freq = long.iter().find(|s| s.item == Some("1") && s.name == "freq:2").unwrap();
    /// assert_eq!(freq.value, 1.0 / 3.0);
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn long(&self) -> Vec<Statistic<'_>> {
        let mut out = Vec::new();
        for scale in &self.scales {
            scale_rows(scale, &mut out);
            for item in &scale.item_stats {
                item_rows(&scale.id, item, &mut out);
            }
        }
        if let Some(inter) = &self.intercorrelations {
            for (a, scale) in inter.scales.iter().enumerate() {
                for (b, other) in inter.scales.iter().enumerate() {
                    if a != b {
                        for (name, matrix) in [("r", &inter.raw), ("r_corrected", &inter.corrected)]
                        {
                            out.push(Statistic {
                                scale,
                                item: None,
                                name: Cow::Owned(format!("{name}:{other}")),
                                value: matrix[a][b],
                            });
                        }
                    }
                }
            }
        }
        out
    }
}

fn scale_rows<'a>(s: &'a ScaleStats, out: &mut Vec<Statistic<'a>>) {
    let (low, high) = s.alpha_ci95.unwrap_or((f64::NAN, f64::NAN));
    let rows = [
        ("n", s.n as f64),
        ("complete", s.complete as f64),
        ("mean", s.mean),
        ("sd", s.sd),
        ("score_n", s.scored as f64),
        ("score_mean", s.score_mean.unwrap_or(f64::NAN)),
        ("score_sd", s.score_sd.unwrap_or(f64::NAN)),
        ("alpha_raw", s.alpha_raw),
        ("alpha_std", s.alpha_std),
        ("lambda6", s.lambda6),
        ("average_r", s.average_r),
        ("median_r", s.median_r),
        ("signal_noise", s.signal_noise),
        ("alpha_se", s.alpha_se),
        ("alpha_ci_low", low),
        ("alpha_ci_high", high),
    ];
    out.extend(rows.into_iter().map(|(name, value)| Statistic {
        scale: &s.id,
        item: None,
        name: Cow::Borrowed(name),
        value,
    }));
}

fn item_rows<'a>(scale: &'a str, i: &'a ItemStats, out: &mut Vec<Statistic<'a>>) {
    let d = &i.if_deleted;
    let rows = [
        ("reversed", if i.reversed { 1.0 } else { 0.0 }),
        ("n", i.n as f64),
        ("mean", i.mean),
        ("sd", i.sd),
        ("r_raw", i.r_raw),
        ("r_std", i.r_std),
        ("r_cor", i.r_cor),
        ("r_drop", i.r_drop),
        ("alpha_raw_if_deleted", d.alpha_raw),
        ("alpha_std_if_deleted", d.alpha_std),
        ("lambda6_if_deleted", d.lambda6),
        ("average_r_if_deleted", d.average_r),
        ("signal_noise_if_deleted", d.signal_noise),
        ("alpha_se_if_deleted", d.alpha_se.unwrap_or(f64::NAN)),
    ];
    let item = Some(i.id.as_str());
    out.extend(rows.into_iter().map(|(name, value)| Statistic {
        scale,
        item,
        name: Cow::Borrowed(name),
        value,
    }));
    out.extend(i.frequencies.iter().map(|&(answer, share)| Statistic {
        scale,
        item,
        name: Cow::Owned(format!("freq:{answer}")),
        value: share,
    }));
    out.push(Statistic {
        scale,
        item,
        name: Cow::Borrowed("missing"),
        value: i.missing,
    });
}
