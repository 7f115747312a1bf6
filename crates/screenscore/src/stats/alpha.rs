//! The reliability statistics of one scale from its (keyed) item covariance matrix, as psych's
//! `alpha.1` (psych 2.2.9, `alpha()`; Revelle 2024) computes them.

use super::result::IfDeleted;
use super::smc::Smcs;

/// `cov2cor`: correlations from covariances, `R_ij = C_ij / √(C_ii·C_jj)`. Under pairwise
/// deletion the variances come from every row where an item is present, as in psych.
pub(crate) fn cov2cor(c: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let sd: Vec<f64> = (0..c.len()).map(|i| c[i][i].sqrt()).collect();
    c.iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(j, x)| x / (sd[i] * sd[j]))
                .collect()
        })
        .collect()
}

fn sum(m: &[Vec<f64>]) -> f64 {
    m.iter().flatten().sum()
}

fn trace(m: &[Vec<f64>]) -> f64 {
    (0..m.len()).map(|i| m[i][i]).sum()
}

/// Cronbach's alpha from a covariance matrix: `k/(k−1)·(1 − tr(C)/ΣC)` (Cronbach 1951), the
/// sum of the item variances against the variance of the total.
pub(crate) fn cronbach(c: &[Vec<f64>]) -> f64 {
    let k = c.len() as f64;
    (1.0 - trace(c) / sum(c)) * (k / (k - 1.0))
}

/// psych's `alpha.1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Alpha1 {
    /// Cronbach's alpha from covariances: `k/(k−1)·(1 − tr(C)/ΣC)` (Cronbach 1951).
    pub(crate) raw: f64,
    /// Standardised alpha from correlations: `k/(k−1)·(1 − k/ΣR)`.
    pub(crate) std: f64,
    /// Guttman's lambda 6: `1 − (k − Σ smcᵢ)/ΣR`, smc the squared multiple correlation of each
    /// item with the others (Guttman 1945).
    pub(crate) g6: f64,
    /// Average inter-item correlation: `(ΣR − k)/(k(k−1))`.
    pub(crate) average_r: f64,
    /// Signal/noise: `k·r̄/(1 − r̄)` (Cronbach & Gleser 1964).
    pub(crate) signal_noise: f64,
    /// Duhachek & Iacobucci (2004)'s Q; the standard error of alpha is `√(Q/n)`.
    pub(crate) q: f64,
    /// Median inter-item correlation.
    pub(crate) median_r: f64,
}

/// The sums `alpha.1` takes from a scale's covariances `C` and correlations `R`, over every
/// item or every item but one, each in row-major order of the (reduced) matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sums {
    /// Items summed over.
    k: usize,
    /// `ΣC`: the variance of the total.
    pub(crate) sum_c: f64,
    /// `tr C`: the sum of the item variances.
    tr_c: f64,
    /// `ΣR`.
    sum_r: f64,
    /// `tr(C·C) = Σ Cᵢⱼ²` (`C` symmetric).
    tr_cc: f64,
    /// `sum(C·C) = Σⱼ (Σᵢ Cᵢⱼ)²`.
    sum_cc: f64,
}

impl Sums {
    /// The sums over every item but `without` (or every item): one pass over the matrices,
    /// O(k²), without copying them.
    pub(crate) fn of(c: &[Vec<f64>], r: &[Vec<f64>], without: Option<usize>) -> Sums {
        let keep = |i: &usize| Some(*i) != without;
        let mut columns = vec![0.0; c.len()];
        let (mut sum_c, mut tr_c, mut sum_r, mut tr_cc) = (0.0, 0.0, 0.0, 0.0);
        for i in (0..c.len()).filter(keep) {
            for j in (0..c.len()).filter(keep) {
                let x = c[i][j];
                sum_c += x;
                tr_cc += x * x;
                columns[j] += x;
                sum_r += r[i][j];
            }
            tr_c += c[i][i];
        }
        let sum_cc = (0..c.len())
            .filter(keep)
            .map(|j| columns[j] * columns[j])
            .sum();
        Sums {
            k: c.len() - usize::from(without.is_some()),
            sum_c,
            tr_c,
            sum_r,
            tr_cc,
            sum_cc,
        }
    }

    /// `alpha.1` from the sums and `Σ smcᵢ`; the median r is not a sum and is left NaN.
    fn alpha1(&self, smc_sum: f64) -> Alpha1 {
        let Sums {
            sum_c,
            tr_c,
            sum_r,
            tr_cc,
            sum_cc,
            ..
        } = *self;
        let k = self.k as f64;
        let average_r = (sum_r - k) / (k * (k - 1.0));
        Alpha1 {
            raw: (1.0 - tr_c / sum_c) * (k / (k - 1.0)),
            std: (1.0 - k / sum_r) * (k / (k - 1.0)),
            g6: 1.0 - (k - smc_sum) / sum_r,
            average_r,
            signal_noise: k * average_r / (1.0 - average_r),
            q: (2.0 * k * k / ((k - 1.0).powi(2) * sum_c.powi(3)))
                * (sum_c * (tr_cc + tr_c * tr_c) - 2.0 * (tr_c * sum_cc)),
            median_r: f64::NAN,
        }
    }
}

/// psych's `alpha.1` from the covariances, their correlations and `Σ smcᵢ` of `R`.
pub(crate) fn alpha1(c: &[Vec<f64>], r: &[Vec<f64>], smc_sum: f64) -> Alpha1 {
    let mut lower: Vec<f64> = (0..c.len())
        .flat_map(|i| (0..i).map(move |j| (i, j)))
        .map(|(i, j)| r[i][j])
        .collect();
    lower.sort_by(f64::total_cmp);
    let median_r = match lower.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => lower[n / 2],
        n => (lower[n / 2 - 1] + lower[n / 2]) / 2.0,
    };
    Alpha1 {
        median_r,
        ..Sums::of(c, r, None).alpha1(smc_sum)
    }
}

/// The matrix without row and column `i`.
#[cfg(test)]
pub(crate) fn drop(m: &[Vec<f64>], i: usize) -> Vec<Vec<f64>> {
    m.iter()
        .enumerate()
        .filter(|&(r, _)| r != i)
        .map(|(_, row)| {
            row.iter()
                .enumerate()
                .filter(|&(c, _)| c != i)
                .map(|(_, x)| *x)
                .collect()
        })
        .collect()
}

/// psych's `alpha.drop` row for item `m`: the scale's statistics without it, from the keyed
/// covariances `c`, their correlations `r`, the smc (of `R`, and of `R` without each item, see
/// the `smc` module) and `rest`, the sums without `m`. psych computes a two-item scale's row
/// from the pair itself (`C₀₁/C_oo` with `o` the other item, `r₀₁`, `smc₀`) and gives it no
/// standard error; the standard error needs more rows than items.
pub(crate) fn if_deleted(
    c: &[Vec<f64>],
    r: &[Vec<f64>],
    smcs: &Smcs,
    rest: &Sums,
    m: usize,
    n: u64,
) -> IfDeleted {
    let k = c.len();
    if k > 2 {
        let d = rest.alpha1(smcs.without[m]);
        IfDeleted {
            alpha_raw: d.raw,
            alpha_std: d.std,
            lambda6: d.g6,
            average_r: d.average_r,
            signal_noise: d.signal_noise,
            alpha_se: (n > k as u64).then(|| (d.q / n as f64).sqrt()),
        }
    } else {
        let other = 1 - m;
        IfDeleted {
            alpha_raw: c[0][1] / c[other][other],
            alpha_std: r[0][1],
            lambda6: smcs.all[0],
            average_r: r[0][1],
            signal_noise: r[0][1] / (1.0 - r[0][1]),
            alpha_se: None,
        }
    }
}
