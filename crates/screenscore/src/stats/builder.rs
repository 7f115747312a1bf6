//! The streaming pass: [`StatsBuilder`] accumulates moments row by row, then computes the
//! statistics from them.

use crate::instrument::Instrument;
use crate::sheet::{ItemState, ScoreSheet, Status};

use super::alpha::{Sums, alpha1, cov2cor, cronbach, if_deleted};
use super::capacity::{CapacityError, check, pairs};
use super::feldt::feldt;
use super::linalg::flat;
use super::moments::Moments;
use super::result::{InstrumentStats, Intercorrelations, ItemStats, Missing, ScaleStats};
use super::smc::smcs;

#[derive(Debug, Clone)]
struct Member {
    /// Position among the builder's items.
    pos: usize,
    /// `min + max` when reverse-keyed.
    reverse: Option<f64>,
}

impl Member {
    /// A value as it counts in the scale: `(min + max) − x` when reverse-keyed.
    fn keyed(&self, value: f64) -> f64 {
        self.reverse
            .map_or(value, |min_plus_max| min_plus_max - value)
    }
}

#[derive(Debug, Clone)]
struct ScaleAcc {
    scale: usize,
    members: Vec<Member>,
    /// Keyed values on rows complete on the scale (listwise).
    listwise: Moments,
    /// The person's mean of answered keyed items (pairwise).
    total: Moments,
    /// Per member: (person mean, keyed item) where the item is answered (pairwise).
    total_item: Vec<Moments>,
    scores: Moments,
    complete: u64,
    keyed: Vec<Option<f64>>,
    /// Per member, count of each option on complete rows (listwise frequencies).
    complete_counts: Vec<Vec<u64>>,
}

impl ScaleAcc {
    /// Each member's position among the builder's items, and −1 where it is reverse-keyed.
    fn signed(&self) -> Vec<(usize, f64)> {
        self.members
            .iter()
            .map(|m| (m.pos, if m.reverse.is_some() { -1.0 } else { 1.0 }))
            .collect()
    }
}

/// Accumulates one instrument's administrations, then computes [`InstrumentStats`].
#[derive(Debug, Clone)]
pub struct StatsBuilder<'i> {
    instrument: &'i Instrument,
    missing: Missing,
    /// Items of any item scale, in definition order.
    items: Vec<usize>,
    values: Vec<Option<f64>>,
    /// The option answered, per item of the current row.
    options: Vec<Option<usize>>,
    /// Raw values: pairwise, or rows complete on every item (listwise).
    all: Moments,
    scales: Vec<ScaleAcc>,
    /// Per item, count of each option, and of missing.
    counts: Vec<Vec<u64>>,
    missing_counts: Vec<u64>,
    rows: u64,
    invalid: u64,
}

impl<'i> StatsBuilder<'i> {
    /// An empty builder for the item scales of `instrument` with two or more items (a derived
    /// scale or a single item has no internal consistency).
    ///
    /// # Panics
    ///
    /// When the instrument is too large for sample statistics (see [`StatsBuilder::try_new`]).
    pub fn new(instrument: &'i Instrument, missing: Missing) -> StatsBuilder<'i> {
        StatsBuilder::try_new(instrument, missing).unwrap_or_else(|e| panic!("{e}"))
    }

    /// An empty builder for the item scales of `instrument` with two or more items (a derived
    /// scale or a single item has no internal consistency), or a [`CapacityError`] before
    /// anything is allocated when a scale has more than [`MAX_ITEMS`](super::MAX_ITEMS) items
    /// or the pairwise moments would need more than [`MAX_CELLS`](super::MAX_CELLS) cells: one
    /// per pair of items across the item scales, and listwise one per pair within each scale.
    ///
    /// ```
    /// use screenscore::Instrument;
    /// use screenscore::stats::{CapacityError, Missing, StatsBuilder};
    ///
    /// let phq9 = Instrument::builtin("phq9")?;
    /// assert!(StatsBuilder::try_new(phq9, Missing::Listwise).is_ok());
    ///
    /// // A scale of 1001 items is refused.
    /// let items: Vec<String> = (0..1001).map(|i| format!("i{i}")).collect();
    /// let json = format!(
    ///     r#"{{"id": "big", "name": "big", "measures": "a test", "version": "1",
    ///         "status": "validated", "citation": "a test",
    ///         "license": {{"name": "test", "terms": "test", "commercial_use": "allowed",
    ///                      "source": {{"ref": "test", "evidence": "policy"}}}},
    ///         "response_sets": [{{"id": "r", "options": [{{"value": 0, "label": "no"}},
    ///                                                   {{"value": 1, "label": "yes"}}]}}],
    ///         "items": [{}],
    ///         "scales": [{{"id": "total", "label": "total", "items": [{}],
    ///                      "method": "sum", "higher_is": "worse",
    ///                      "missing": {{"max_missing": 0,
    ///                                   "source": {{"ref": "test", "evidence": "policy"}}}}}}]}}"#,
    ///     items
    ///         .iter()
    ///         .map(|i| format!(r#"{{"id": "{i}", "label": "{i}", "response_set": "r"}}"#))
    ///         .collect::<Vec<_>>()
    ///         .join(","),
    ///     items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(","),
    /// );
    /// let big = Instrument::from_json(&json)?;
    /// let error = StatsBuilder::try_new(&big, Missing::Pairwise).unwrap_err();
    /// assert!(matches!(error, CapacityError::Scale { items: 1001, .. }));
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn try_new(
        instrument: &'i Instrument,
        missing: Missing,
    ) -> Result<StatsBuilder<'i>, CapacityError> {
        let def = instrument.definition();
        let scale_items = || (0..def.scales.len()).filter_map(|s| instrument.scale_items(s));
        let mut items: Vec<usize> = scale_items().flatten().map(|i| i.item).collect();
        items.sort_unstable();
        items.dedup();
        let sizes = || {
            def.scales.iter().enumerate().filter_map(|(s, d)| {
                let k = instrument.scale_items(s)?.len();
                (k >= 2).then_some((d.id.as_str(), k))
            })
        };
        let within: usize = match missing {
            Missing::Pairwise => 0,
            Missing::Listwise => sizes()
                .map(|(_, k)| pairs(k))
                .fold(0, usize::saturating_add),
        };
        check(&def.id, sizes(), pairs(items.len()).saturating_add(within))?;
        let scales = (0..def.scales.len())
            .filter_map(|s| match instrument.scale_items(s) {
                Some(members) if members.len() >= 2 => {
                    let members: Vec<Member> = members
                        .iter()
                        .map(|m| Member {
                            pos: items.binary_search(&m.item).unwrap_or(0),
                            reverse: m.reverse,
                        })
                        .collect();
                    let k = members.len();
                    let complete_counts = members
                        .iter()
                        .map(|m| vec![0; instrument.option_count(items[m.pos])])
                        .collect();
                    Some(ScaleAcc {
                        complete_counts,
                        scale: s,
                        // Listwise only: pairwise, the scale's moments are the builder's.
                        listwise: Moments::new(match missing {
                            Missing::Pairwise => 0,
                            Missing::Listwise => k,
                        }),
                        total: Moments::new(1),
                        total_item: vec![Moments::new(2); k],
                        scores: Moments::new(1),
                        complete: 0,
                        keyed: vec![None; k],
                        members,
                    })
                }
                _ => None,
            })
            .collect();
        let counts = items
            .iter()
            .map(|&i| vec![0; instrument.option_count(i)])
            .collect();
        Ok(StatsBuilder {
            instrument,
            missing,
            values: vec![None; items.len()],
            options: vec![None; items.len()],
            all: Moments::new(items.len()),
            counts,
            missing_counts: vec![0; items.len()],
            items,
            scales,
            rows: 0,
            invalid: 0,
        })
    }

    /// Add one scored administration: its answers and scale scores. An absent administration
    /// (no answer to any item) is not part of the sample; an invalid one (a cell that is not an
    /// answer) is counted in [`InstrumentStats::invalid_rows`] and left out.
    pub fn add(&mut self, sheet: &ScoreSheet<'_>) {
        match sheet.status() {
            Status::Absent => return,
            Status::Invalid => {
                self.invalid += 1;
                return;
            }
            _ => {}
        }
        self.rows += 1;
        for (p, &item) in self.items.iter().enumerate() {
            let state = sheet.items[item];
            self.values[p] = state.value();
            // A skipped item counts as the option that scores its value.
            let option = match state {
                ItemState::Answered { option, .. } => Some(option),
                ItemState::Skipped { value } => self.instrument.option_with_value(item, value),
                _ => None,
            };
            match option {
                Some(option) => self.counts[p][option] += 1,
                None if state.value().is_none() => self.missing_counts[p] += 1,
                None => {}
            }
            self.options[p] = option;
        }
        match self.missing {
            Missing::Pairwise => self.all.add(&self.values),
            Missing::Listwise if self.values.iter().all(Option::is_some) => {
                self.all.add(&self.values)
            }
            Missing::Listwise => {}
        }
        for acc in &mut self.scales {
            let (mut sum, mut answered) = (0.0, 0u32);
            for (m, member) in acc.members.iter().enumerate() {
                acc.keyed[m] = self.values[member.pos].map(|v| member.keyed(v));
                if let Some(v) = acc.keyed[m] {
                    sum += v;
                    answered += 1;
                }
            }
            let complete = answered as usize == acc.members.len();
            if complete {
                acc.complete += 1;
                if self.missing == Missing::Listwise {
                    acc.listwise.add(&acc.keyed);
                    for (m, member) in acc.members.iter().enumerate() {
                        if let Some(option) = self.options[member.pos] {
                            acc.complete_counts[m][option] += 1;
                        }
                    }
                }
            }
            if self.missing == Missing::Pairwise && answered > 0 {
                let mean = sum / f64::from(answered);
                acc.total.add(&[Some(mean)]);
                for (m, keyed) in acc.keyed.iter().enumerate() {
                    if keyed.is_some() {
                        acc.total_item[m].add(&[Some(mean), *keyed]);
                    }
                }
            }
            if let Some(score) = sheet.scales[acc.scale].score {
                acc.scores.add(&[Some(score)]);
            }
        }
    }

    /// The statistics of the administrations added so far (the builder can go on).
    pub fn finish(&self) -> InstrumentStats {
        let def = self.instrument.definition();
        let mut warnings = Vec::new();
        let scales = self
            .scales
            .iter()
            .map(|acc| self.scale(acc, &mut warnings))
            .collect();
        InstrumentStats {
            instrument: def.id.clone(),
            missing: self.missing,
            rows: self.rows,
            invalid_rows: self.invalid,
            scales,
            intercorrelations: self.intercorrelations(),
            warnings,
        }
    }

    /// psych's `scoreItems(impute = "none")`: the scales' covariances `kₐᵀ C k_b` from the
    /// keyed item covariances (pairwise, or the rows complete on every item), their correlations,
    /// and those divided by `√(αa·αb)` with each alpha from the same covariances.
    fn intercorrelations(&self) -> Option<Intercorrelations> {
        if self.scales.len() < 2 {
            return None;
        }
        let signed: Vec<Vec<(usize, f64)>> = self.scales.iter().map(ScaleAcc::signed).collect();
        let cov = |a: &[(usize, f64)], b: &[(usize, f64)]| -> f64 {
            a.iter()
                .flat_map(|&(i, si)| b.iter().map(move |&(j, sj)| si * sj * self.all.cov(i, j)))
                .sum()
        };
        let var: Vec<f64> = signed.iter().map(|a| cov(a, a)).collect();
        let alpha: Vec<f64> = signed
            .iter()
            .map(|a| cronbach(&self.all.matrix(a)))
            .collect();
        let n = signed.len();
        let raw: Vec<Vec<f64>> = (0..n)
            .map(|a| {
                (0..n)
                    .map(|b| cov(&signed[a], &signed[b]) / (var[a] * var[b]).sqrt())
                    .collect()
            })
            .collect();
        let corrected = (0..n)
            .map(|a| {
                (0..n)
                    .map(|b| {
                        if a == b {
                            1.0
                        } else {
                            raw[a][b] / (alpha[a] * alpha[b]).sqrt()
                        }
                    })
                    .collect()
            })
            .collect();
        let def = self.instrument.definition();
        Some(Intercorrelations {
            scales: self
                .scales
                .iter()
                .map(|acc| def.scales[acc.scale].id.clone())
                .collect(),
            raw,
            corrected,
        })
    }

    /// The share of each answer given among the rows where the item is answered, and the share
    /// of rows where it is not (psych's `response.frequencies`, on the answers before reverse
    /// keying); listwise, among the complete cases.
    fn frequencies(&self, acc: &ScaleAcc, m: usize) -> (Vec<(f64, f64)>, f64) {
        let pos = acc.members[m].pos;
        let item = self.items[pos];
        let (counts, missing) = match self.missing {
            Missing::Pairwise => (
                &self.counts[pos],
                self.missing_counts[pos] as f64 / self.rows as f64,
            ),
            Missing::Listwise => (&acc.complete_counts[m], 0.0),
        };
        let answered: u64 = counts.iter().sum();
        let shares = counts
            .iter()
            .enumerate()
            .filter(|&(_, &count)| count > 0)
            .map(|(o, &count)| {
                let value = self.instrument.option_value(item, o);
                (value.unwrap_or(f64::NAN), count as f64 / answered as f64)
            })
            .collect();
        (shares, missing)
    }

    fn scale(&self, acc: &ScaleAcc, warnings: &mut Vec<String>) -> ScaleStats {
        let def = self.instrument.definition();
        let scale = &def.scales[acc.scale];
        let k = acc.members.len();
        // Covariances of the keyed items, their means and counts.
        let (c, means, ns, n): (Vec<Vec<f64>>, Vec<f64>, Vec<u64>, u64) = match self.missing {
            Missing::Pairwise => {
                let vars = acc.signed();
                let means = acc
                    .members
                    .iter()
                    .map(|m| m.keyed(self.all.mean(m.pos)))
                    .collect();
                let ns = acc
                    .members
                    .iter()
                    .map(|m| self.all.n(m.pos, m.pos) as u64)
                    .collect();
                (self.all.matrix(&vars), means, ns, self.rows)
            }
            Missing::Listwise => {
                let means = (0..k).map(|m| acc.listwise.mean(m)).collect();
                (
                    acc.listwise.covariances(),
                    means,
                    vec![acc.complete; k],
                    acc.complete,
                )
            }
        };
        let r = cov2cor(&c);
        let smcs = smcs(&flat(&r), k);
        if smcs.not_computed > 0 {
            warnings.push(format!(
                "{} {}: lambda 6 with the item deleted is not computed for {} of its {k} items: \
                 the correlations are too close to singular (about as many complete rows as items, \
                 or items that repeat others) for it to be computed in reasonable time",
                def.id, scale.id, smcs.not_computed
            ));
        }
        let total = alpha1(&c, &r, smcs.all.iter().sum());
        let nf = n as f64;
        let sum_c: f64 = c.iter().flatten().sum();
        let sum_r: f64 = r.iter().flatten().sum();
        let mut rc = r.clone();
        for (i, row) in rc.iter_mut().enumerate() {
            row[i] = smcs.all[i];
        }
        let sum_rc: f64 = rc.iter().flatten().sum();
        let (mean, sd) = match self.missing {
            Missing::Pairwise => (acc.total.mean(0), acc.total.cov(0, 0).sqrt()),
            Missing::Listwise => (
                means.iter().sum::<f64>() / k as f64,
                sum_c.sqrt() / k as f64,
            ),
        };
        let item_stats = acc
            .members
            .iter()
            .enumerate()
            .map(|(m, member)| {
                let item = &def.items[self.items[member.pos]];
                let col_c: f64 = c[m].iter().sum();
                let r_raw = match self.missing {
                    Missing::Pairwise => acc.total_item[m].cor(0, 1),
                    Missing::Listwise => col_c / (c[m][m] * sum_c).sqrt(),
                };
                let rest = Sums::of(&c, &r, Some(m));
                let if_deleted = if_deleted(&c, &r, &smcs, &rest, m, n);
                let (frequencies, missing) = self.frequencies(acc, m);
                let stats = ItemStats {
                    id: item.id.clone(),
                    reversed: member.reverse.is_some(),
                    n: ns[m],
                    mean: means[m],
                    sd: c[m][m].sqrt(),
                    r_raw,
                    r_std: r[m].iter().sum::<f64>() / sum_r.sqrt(),
                    r_cor: rc[m].iter().sum::<f64>() / sum_rc.sqrt(),
                    r_drop: (col_c - c[m][m]) / (c[m][m] * rest.sum_c).sqrt(),
                    if_deleted,
                    frequencies,
                    missing,
                };
                warnings.extend(item_warning(&def.id, &scale.id, &stats));
                stats
            })
            .collect();
        if acc.complete < 30 {
            warnings.push(format!(
                "{} {}: only {} complete cases (fewer than 30): these statistics are unstable",
                def.id, scale.id, acc.complete
            ));
        }
        ScaleStats {
            id: scale.id.clone(),
            items: k,
            n,
            complete: acc.complete,
            mean,
            sd,
            scored: acc.scores.n(0, 0) as u64,
            score_mean: (acc.scores.n(0, 0) > 0.0).then(|| acc.scores.mean(0)),
            score_sd: (acc.scores.n(0, 0) > 1.0).then(|| acc.scores.cov(0, 0).sqrt()),
            alpha_raw: total.raw,
            alpha_std: total.std,
            lambda6: total.g6,
            average_r: total.average_r,
            median_r: total.median_r,
            signal_noise: total.signal_noise,
            alpha_se: (total.q / nf).sqrt(),
            alpha_ci95: feldt(total.raw, n, k),
            item_stats,
        }
    }
}

/// Why an item needs a look: too few answers, no variance, or a negative corrected item-total
/// correlation (the classic sign of an item left unreversed).
fn item_warning(instrument: &str, scale: &str, item: &ItemStats) -> Option<String> {
    let id = &item.id;
    if item.n < 2 {
        Some(format!(
            "{instrument} {scale}: item {id} is answered in {}; its statistics need at least 2",
            crate::text::count(item.n, "row", "rows")
        ))
    } else if item.sd == 0.0 {
        Some(format!(
            "{instrument} {scale}: item {id} has no variance in this sample (every answer is {})",
            item.mean
        ))
    } else if item.r_drop < 0.0 {
        Some(format!(
            "{instrument} {scale}: item {id} has a corrected item-total correlation of {:.3} \
             (below 0): is it keyed the right way?",
            item.r_drop
        ))
    } else {
        None
    }
}
