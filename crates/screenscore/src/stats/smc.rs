//! Squared multiple correlations (smc) of a scale's items, and of the scale without each item:
//! psych's lambda 6 calls `smc` on the correlation matrix `R` (`alpha.1`), and again on `R₋ₘ`,
//! `R` without row and column `m`, for every item `m` (`alpha.drop`). psych's `smc` is
//! `1 − 1/diag(Pinv(R))` clamped to 0…1, where `Pinv` treats eigenvalues at or below `√ε·λ_max`
//! in absolute value as zero (`λ_max` the largest in absolute value).
//!
//! One decomposition of `R` serves every `R₋ₘ`, by one of three routes (the first that applies):
//!
//! 1. [`Route::Cholesky`]: `R − (‖R‖_∞/10⁴)·I` has a Cholesky factor, so `R` is positive
//!    definite with `λ_min(R) > ‖R‖_∞/10⁴ ≥ λ_max(R)/10⁴` (a row-sum norm bounds every
//!    eigenvalue), far above psych's `√ε ≈ 1.5·10⁻⁸` relative tolerance; and by interlacing (Cauchy;
//!    Golub & Van Loan 2013, §8.1.2) every `R₋ₘ` has `λ_min(R₋ₘ) ≥ λ_min(R)` and
//!    `λ_max(R₋ₘ) ≤ λ_max(R)`: no eigenvalue is near the tolerance, `Pinv` is the inverse. With
//!    `P = R⁻¹` (from the Cholesky factor), the inverse of `R₋ₘ` is the rank-one downdate
//!    `P₋ₘ,₋ₘ − pₘpₘᵀ/Pₘₘ` (`pₘ` column `m` of `P` without entry `m`; the block inverse, or
//!    Sherman–Morrison), whose diagonal `Pⱼⱼ − Pⱼₘ²/Pₘₘ` is all smc needs: O(k) per item.
//! 2. [`Route::Eigen`]: one Jacobi decomposition `R = Σ λₗvₗvₗᵀ`, split into the kept
//!    eigenvalues `K` (above psych's tolerance in absolute value) and the null ones `Z` (at or
//!    below it). It applies when the smallest kept one in absolute value, `d₁`, is at least
//!    `2t` with `t = 10·√ε·λ_max` (ten times psych's tolerance, for `R` and every `R₋ₘ`), the
//!    largest null one is at most `10⁻¹¹·d₁` (rounding, not a direction psych could keep in some
//!    `R₋ₘ`), and `R` is not both indefinite and singular. `P = Σ_K vₗvₗᵀ/λₗ` is psych's
//!    `Pinv(R)`, `H = Σ_K vₗvₗᵀ` the projection onto its range, `δₘ = 1 − Hₘₘ = Σ_Z vₗₘ²`.
//!    Per item, `R₋ₘ` has eigenvalues interlacing `R`'s (so all but one are clearly kept or
//!    clearly null) and one more, `θ`, near zero, which decides:
//!    - `R` indefinite and invertible (pairwise deletion can give one): `θ` is the root of
//!      `f(μ) = Σₗ vₗₘ²/(λₗ − μ)` between `R`'s largest negative and smallest positive
//!      eigenvalue, where `f` increases. If `f(t) < 0` or `f(−t) > 0`, `|θ| > t`: `R₋ₘ` is
//!      invertible as psych sees it, and its inverse has the downdated diagonal of route 1;
//!    - `R` positive semidefinite and `δₘ` at rounding level: `eₘ` lies in the range of `R`
//!      (`Hₘⱼ = 0` for `j ≠ m`), deleting `m` drops the rank (every item when `R` is
//!      invertible; an item outside a pair of duplicates), and `Pinv(R₋ₘ)` has the downdated
//!      diagonal `Pⱼⱼ − Pⱼₘ²/Pₘₘ` (the same algebra on the range of `R`);
//!    - `R` positive semidefinite and `δₘ` clearly positive (deleting `m` keeps the rank: one
//!      of two duplicates, or any item when there are fewer rows than items): `θ` is the root
//!      of `δₘ = θ·Σ_K vₗₘ²/(λₗ − θ)` below `d₁`, in `[min(δₘ/(2Pₘₘ), d₁/2), δₘ/Pₘₘ]`. When
//!      that lower bound is at least `t` and `10¹¹·` the largest null eigenvalue, psych keeps
//!      `θ` and `Pinv(R₋ₘ)` is the inverse on the range, with diagonal
//!      `Pⱼⱼ + 2·Hₘⱼ·Pₘⱼ/δₘ + Hₘⱼ²·Pₘₘ/δₘ²` (Sherman–Morrison on `Λ_K − zzᵀ`, `z = Λ_K^½ V_Kᵀeₘ`,
//!      the Gram matrix of `R₋ₘ`'s factor);
//!    - otherwise (`θ` within a factor of ten of psych's tolerance, or not clearly kept nor at
//!      rounding level) item `m` alone takes route 3.
//! 3. [`Route::PerItem`]: `Pinv(R₋ₘ)` by its own Jacobi decomposition, as psych does: O(k³) per
//!    item, O(k⁴) in all. For a spectrum with an eigenvalue within a factor of twenty of psych's
//!    tolerance (where each `R₋ₘ` may have one too, and only its own decomposition tells on
//!    which side it falls: for example as many rows as items), a singular indefinite `R`, or
//!    values that are not finite (an item without variance).
//!
//! Every route gives psych's numbers to rounding: the unit tests compare routes 1 and 2 with
//! route 3 (as computed before these routes existed) on random, ill-conditioned, indefinite and
//! singular (duplicate items, fewer rows than items) matrices to 1e-10.

use super::linalg::{cholesky, cholesky_inverse, eigen, pinv, smc_from_inverse, tolerance};

/// Route 1 needs `λ_min(R)` above `‖R‖_∞` divided by this (a condition number `λ_max/λ_min`
/// below it): the Cholesky inverse's rounding error grows with the condition number, and below
/// `10⁴` it agrees with the pseudo-inverse from Jacobi to about 1e-12.
const CHOLESKY_CONDITION: f64 = 1e4;

/// How far from psych's tolerance an eigenvalue must be to be kept or dropped without doubt.
const MARGIN: f64 = 10.0;

/// The largest null eigenvalue relative to the smallest kept one, for route 2: null directions
/// then hold rounding only, and ignoring them moves the results by about this ratio.
const SEPARATION: f64 = 1e-11;

/// The work the per-item route may do for one scale, in units of `n³` (one decomposition of an
/// `n`-item matrix costs a few sweeps of about `n³` steps): every item of a 100-item scale
/// (about 1 s), some 24 items of a 300-item one. Items beyond it are not computed (NaN, and a
/// warning), so no matrix makes `stats` run for hours: 300 items over 300 rows took 127 s with
/// every item decomposed, and 1,000 items hours.
const PER_ITEM_BUDGET: f64 = 6.5e8;

/// Counts the per-item decompositions of one scale against [`PER_ITEM_BUDGET`].
struct Budget {
    cost: f64,
    left: f64,
    used: usize,
    refused: usize,
}

impl Budget {
    fn new(n: usize, budget: f64) -> Budget {
        Budget {
            cost: (n as f64).powi(3),
            left: budget,
            used: 0,
            refused: 0,
        }
    }

    /// Route 3 for item `m` while the budget lasts, else NaN.
    fn per_item(&mut self, r: &[f64], n: usize, m: usize) -> f64 {
        if self.left < self.cost {
            self.refused += 1;
            return f64::NAN;
        }
        self.left -= self.cost;
        self.used += 1;
        per_item(r, n, m)
    }
}

/// How the smc of `R₋ₘ` were computed (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// Downdates of the Cholesky inverse.
    Cholesky,
    /// From one eigendecomposition; the count of items that needed their own (route 3).
    Eigen { per_item: usize },
    /// One eigendecomposition per item.
    PerItem,
}

/// The smc of a scale's items, and per item the sum of the smc of the others without it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Smcs {
    /// `smcⱼ` of `R`, in item order.
    pub(crate) all: Vec<f64>,
    /// Per item `m`, `Σⱼ≠ₘ smcⱼ(R₋ₘ)`, summed in item order (lambda 6 if `m` is deleted).
    pub(crate) without: Vec<f64>,
    /// How `without` was computed.
    pub(crate) route: Route,
    /// Items whose `without` was not computed (NaN): their own decomposition was beyond
    /// [`PER_ITEM_BUDGET`].
    pub(crate) not_computed: usize,
}

/// `1 − 1/x` clamped to 0…1, summed over `j ≠ m` in order: the smc sum of `R₋ₘ` from the
/// diagonal of its pseudo-inverse.
fn smc_sum(n: usize, m: usize, diagonal: impl Fn(usize) -> f64) -> f64 {
    (0..n)
        .filter(|&j| j != m)
        .map(|j| (1.0 - 1.0 / diagonal(j)).clamp(0.0, 1.0))
        .sum()
}

/// The matrix (`n·n`, row-major) without row and column `m`.
pub(crate) fn drop_flat(a: &[f64], n: usize, m: usize) -> Vec<f64> {
    a.chunks_exact(n)
        .enumerate()
        .filter(|&(i, _)| i != m)
        .flat_map(|(_, row)| {
            row.iter()
                .enumerate()
                .filter(move |&(j, _)| j != m)
                .map(|(_, x)| *x)
        })
        .collect()
}

/// Route 3 for item `m`: `Σⱼ≠ₘ smcⱼ(R₋ₘ)` from `Pinv(R₋ₘ)`.
fn per_item(r: &[f64], n: usize, m: usize) -> f64 {
    let inverse = pinv(&drop_flat(r, n, m), n - 1);
    smc_from_inverse(&inverse, n - 1).iter().sum()
}

/// The diagonal of `Pinv(R₋ₘ)` by downdate: `Pⱼⱼ − Pⱼₘ²/Pₘₘ`.
fn downdated(p: &[f64], n: usize, m: usize) -> f64 {
    let pmm = p[m * n + m];
    smc_sum(n, m, |j| p[j * n + j] - p[j * n + m] * p[j * n + m] / pmm)
}

/// The ∞-norm (largest absolute row sum).
fn norm_inf(a: &[f64], n: usize) -> f64 {
    a.chunks_exact(n)
        .map(|row| row.iter().map(|x| x.abs()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// The smc of the correlation matrix `r` (`n·n`, row-major, `n ≥ 2`) and of `r` without each
/// item, by the first route that applies.
pub(crate) fn smcs(r: &[f64], n: usize) -> Smcs {
    smcs_within(r, n, PER_ITEM_BUDGET)
}

/// [`smcs`], with `budget` for the per-item route (in units of `n³`).
fn smcs_within(r: &[f64], n: usize, budget: f64) -> Smcs {
    let mut shifted = r.to_vec();
    let shift = norm_inf(r, n) / CHOLESKY_CONDITION;
    for i in 0..n {
        shifted[i * n + i] -= shift;
    }
    if cholesky(&shifted, n).is_some()
        && let Some(p) = cholesky_inverse(r, n)
    {
        return Smcs {
            all: smc_from_inverse(&p, n),
            without: (0..n).map(|m| downdated(&p, n, m)).collect(),
            route: Route::Cholesky,
            not_computed: 0,
        };
    }
    from_eigen(r, n, budget).unwrap_or_else(|| {
        let mut budget = Budget::new(n - 1, budget);
        let without = (0..n).map(|m| budget.per_item(r, n, m)).collect();
        Smcs {
            all: smc_from_inverse(&pinv(r, n), n),
            without,
            route: Route::PerItem,
            not_computed: budget.refused,
        }
    })
}

/// Route 2, or `None` when the spectrum of `r` does not allow it.
fn from_eigen(r: &[f64], n: usize, budget: f64) -> Option<Smcs> {
    let (values, vectors) = eigen(r, n);
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let tol = tolerance(&values);
    let max = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (kept, null): (Vec<usize>, Vec<usize>) = (0..n).partition(|&l| values[l].abs() > tol);
    let negative = kept.iter().any(|&l| values[l] < 0.0);
    let d1 = kept
        .iter()
        .map(|&l| values[l].abs())
        .fold(f64::INFINITY, f64::min);
    let noise = null.iter().map(|&l| values[l].abs()).fold(0.0, f64::max);
    // `t`: at least MARGIN times psych's tolerance for R and for every R₋ₘ.
    let t = MARGIN * f64::EPSILON.sqrt() * max;
    if kept.len() < 2 || d1 < 2.0 * t || noise > SEPARATION * d1 || (negative && !null.is_empty()) {
        return None;
    }
    let v = |l: usize, i: usize| vectors[l * n + i];
    // P = Σ_K vₗvₗᵀ/λₗ, as pinv.
    let mut p = vec![0.0; n * n];
    for &l in &kept {
        for i in 0..n {
            let vi = v(l, i) / values[l];
            for j in 0..n {
                p[i * n + j] += vi * v(l, j);
            }
        }
    }
    // Eigenvectors at rounding level (about n·ε·λ_max/d₁ each) make δ at most about their square.
    let rounding = n as f64 * f64::EPSILON * max / d1;
    let delta_noise = (1e3 * rounding).powi(2);
    let mut budget = Budget::new(n - 1, budget);
    let mut own = |m: usize| budget.per_item(r, n, m);
    let without = (0..n)
        .map(|m| {
            let pmm = p[m * n + m];
            if negative {
                // The eigenvalue of R₋ₘ between R's largest negative and smallest positive one
                // is the root of f(μ) = Σₗ vₗₘ²/(λₗ − μ), increasing there: beyond ±t when
                // f(t) < 0 or f(−t) > 0 (then R₋ₘ is invertible as psych sees it).
                let f = |mu: f64| {
                    (0..n)
                        .map(|l| v(l, m) * v(l, m) / (values[l] - mu))
                        .sum::<f64>()
                };
                return if f(t) < 0.0 || f(-t) > 0.0 {
                    downdated(&p, n, m)
                } else {
                    own(m)
                };
            }
            let delta: f64 = null.iter().map(|&l| v(l, m) * v(l, m)).sum();
            if delta <= delta_noise {
                return downdated(&p, n, m);
            }
            let theta_low = (delta / pmm / 2.0).min(d1 / 2.0);
            if !(pmm > 0.0 && theta_low >= t && noise <= SEPARATION * theta_low) {
                return own(m);
            }
            // Hₘⱼ = −Σ_Z vₗₘvₗⱼ for j ≠ m.
            smc_sum(n, m, |j| {
                let h: f64 = -null.iter().map(|&l| v(l, m) * v(l, j)).sum::<f64>();
                let pjm = p[j * n + m];
                p[j * n + j] + 2.0 * h * pjm / delta + h * h * pmm / (delta * delta)
            })
        })
        .collect();
    Some(Smcs {
        all: smc_from_inverse(&p, n),
        without,
        route: Route::Eigen {
            per_item: budget.used,
        },
        not_computed: budget.refused,
    })
}

#[cfg(test)]
mod tests;
