//! Feldt's confidence interval of alpha.

use statrs::distribution::{ContinuousCDF, FisherSnedecor};

/// Feldt's 95% interval of alpha (Feldt 1965; Feldt, Woodruff & Salih 1987), as psych's
/// `alpha.ci` computes it: `1 − (1 − α)·F(0.975)` to `1 − (1 − α)·F(0.025)`, with `F(p)` the
/// quantile of the F distribution with `n − 1` and `(n − 1)(k − 1)` degrees of freedom, `n` the
/// rows of the sample and `k` the items.
///
/// `None` when the interval is undefined: fewer than two rows or items, or alpha not finite.
///
/// ```
/// use screenscore::stats::feldt;
///
/// // R: psych::alpha.ci(0.8, 101, 10) gives 0.736395564017120 and 0.853447382482699.
/// let (low, high) = feldt(0.8, 101, 10).unwrap();
/// assert!((low - 0.736395564017120).abs() < 1e-9);
/// assert!((high - 0.853447382482699).abs() < 1e-9);
/// assert_eq!(feldt(0.8, 1, 10), None);
/// ```
pub fn feldt(alpha: f64, n: u64, k: usize) -> Option<(f64, f64)> {
    if !alpha.is_finite() || n < 2 || k < 2 {
        return None;
    }
    let d1 = (n - 1) as f64;
    let d2 = d1 * (k - 1) as f64;
    let f = FisherSnedecor::new(d1, d2).ok()?;
    Some((
        1.0 - (1.0 - alpha) * f.inverse_cdf(0.975),
        1.0 - (1.0 - alpha) * f.inverse_cdf(0.025),
    ))
}
