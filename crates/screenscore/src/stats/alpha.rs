//! The reliability statistics of one scale from its (keyed) item covariance matrix, as psych's
//! `alpha.1` (psych 2.2.9, `alpha()`; Revelle 2024) computes them.

use super::linalg::smc;
use super::result::IfDeleted;

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

pub(crate) fn alpha1(c: &[Vec<f64>], r: &[Vec<f64>]) -> Alpha1 {
    let k = c.len() as f64;
    let (sum_c, tr_c, sum_r) = (sum(c), trace(c), sum(r));
    let raw = cronbach(c);
    let std = (1.0 - k / sum_r) * (k / (k - 1.0));
    let g6 = 1.0 - (k - smc(r).iter().sum::<f64>()) / sum_r;
    let average_r = (sum_r - k) / (k * (k - 1.0));
    let signal_noise = k * average_r / (1.0 - average_r);
    // tr(C·C) = Σ C_ij² (C symmetric); sum(C·C) = Σ_k (column sum k)².
    let tr_cc: f64 = c.iter().flatten().map(|x| x * x).sum();
    let sum_cc: f64 = (0..c.len())
        .map(|j| c.iter().map(|row| row[j]).sum::<f64>().powi(2))
        .sum();
    let q = (2.0 * k * k / ((k - 1.0).powi(2) * sum_c.powi(3)))
        * (sum_c * (tr_cc + tr_c * tr_c) - 2.0 * (tr_c * sum_cc));
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
        raw,
        std,
        g6,
        average_r,
        signal_noise,
        q,
        median_r,
    }
}

/// The matrix without row and column `i`.
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
/// covariances `c`, their correlations `r` and the items' `smc`. psych computes a two-item
/// scale's row from the pair itself (`C₀₁/C_oo` with `o` the other item, `r₀₁`, `smc₀`) and
/// gives it no standard error; the standard error needs more rows than items.
pub(crate) fn if_deleted(
    c: &[Vec<f64>],
    r: &[Vec<f64>],
    smcs: &[f64],
    m: usize,
    n: u64,
) -> IfDeleted {
    let k = c.len();
    if k > 2 {
        let d = alpha1(&drop(c, m), &drop(r, m));
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
            lambda6: smcs[0],
            average_r: r[0][1],
            signal_noise: r[0][1] / (1.0 - r[0][1]),
            alpha_se: None,
        }
    }
}
