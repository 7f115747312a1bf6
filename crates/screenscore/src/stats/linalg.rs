//! Symmetric matrices: the pseudo-inverse psych uses for squared multiple correlations, and a
//! Cholesky inverse for the positive definite matrices where the two agree.
//!
//! Matrices here are small (a scale's items, at most [`MAX_ITEMS`](super::MAX_ITEMS)) and held
//! row-major in one `Vec<f64>` of `n·n` values.

/// Cyclic Jacobi sweeps before giving up on convergence. A sweep rotates every off-diagonal pair
/// once; convergence is quadratic once the off-diagonal mass is small (Golub & Van Loan 2013,
/// §8.5.5), so well under 20 sweeps suffice in practice, whatever the size.
const MAX_SWEEPS: usize = 60;

/// Jacobi stops when the off-diagonal mass `Σᵢ≠ⱼ aᵢⱼ²` is at most `(ε·‖A‖_F)²` (`‖A‖_F` is
/// unchanged by rotations), or when a sweep no longer shrinks it fourfold once it is at most
/// `(JACOBI_FLOOR·n·ε·‖A‖_F)²`: rounding in the rotations keeps it at about `n·ε·‖A‖_F`, which
/// the first test may never see for large `n`.
const JACOBI_FLOOR: f64 = 100.0;

/// The plane rotation by cosine `c` and sine `s` of the pair `(x, y)`.
fn rotate(x: f64, y: f64, c: f64, s: f64) -> (f64, f64) {
    (c * x - s * y, s * x + c * y)
}

/// A symmetric matrix as `n·n` values, row-major.
pub(crate) fn flat(a: &[Vec<f64>]) -> Vec<f64> {
    a.iter().flatten().copied().collect()
}

/// Eigenvalues and eigenvectors of a symmetric matrix (`n·n`, row-major), by cyclic Jacobi
/// rotations: `(values, vectors)` with eigenvector `k` in `vectors[k·n..(k+1)·n]`. A matrix
/// with a value that is not finite gives NaN throughout (rotations would spread it anyway).
pub(crate) fn eigen(m: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    if m.iter().any(|x| !x.is_finite()) {
        return (vec![f64::NAN; n], vec![f64::NAN; n * n]);
    }
    let mut a = m.to_vec();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let norm: f64 = a.iter().map(|x| x * x).sum();
    let floor = (JACOBI_FLOOR * n as f64 * f64::EPSILON).powi(2) * norm;
    let mut previous = f64::INFINITY;
    for _ in 0..MAX_SWEEPS {
        let off: f64 = a
            .chunks_exact(n)
            .enumerate()
            .flat_map(|(i, row)| row[..i].iter().chain(&row[i + 1..]))
            .map(|x| x * x)
            .sum();
        if off <= f64::EPSILON * f64::EPSILON * norm || (off <= floor && off >= previous / 4.0) {
            break;
        }
        previous = off;
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.chunks_exact_mut(n) {
                    (row[p], row[q]) = rotate(row[p], row[q], c, s);
                }
                for (x, y) in pair(&mut a, n, p, q) {
                    (*x, *y) = rotate(*x, *y, c, s);
                }
                for (x, y) in pair(&mut v, n, p, q) {
                    (*x, *y) = rotate(*x, *y, c, s);
                }
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), v)
}

/// Rows `p < q` of an `n`-column matrix, side by side.
fn pair(m: &mut [f64], n: usize, p: usize, q: usize) -> impl Iterator<Item = (&mut f64, &mut f64)> {
    let (head, tail) = m.split_at_mut(q * n);
    head[p * n..(p + 1) * n].iter_mut().zip(&mut tail[..n])
}

/// psych's `Pinv` tolerance for a matrix whose largest eigenvalue in absolute value is `max`:
/// eigenvalues at or below `√ε·max` in absolute value count as zero.
pub(crate) fn tolerance(values: &[f64]) -> f64 {
    f64::EPSILON.sqrt() * values.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

/// The Moore–Penrose pseudo-inverse of a symmetric matrix (`n·n`, row-major), as psych's `Pinv`:
/// eigenvalues below `√ε · λ_max` in absolute value are treated as zero. For an invertible
/// matrix, the inverse.
pub(crate) fn pinv(a: &[f64], n: usize) -> Vec<f64> {
    let (values, vectors) = eigen(a, n);
    let tol = tolerance(&values);
    let mut out = vec![0.0; n * n];
    for (k, &lambda) in values.iter().enumerate() {
        if lambda.abs() <= tol {
            continue;
        }
        let v = &vectors[k * n..(k + 1) * n];
        for (i, row) in out.chunks_exact_mut(n).enumerate() {
            let vi = v[i] / lambda;
            for (x, vj) in row.iter_mut().zip(v) {
                *x += vi * vj;
            }
        }
    }
    out
}

/// psych's `smc`: squared multiple correlations `1 − 1/diag(R⁻¹)`, clamped to 0…1.
pub(crate) fn smc_from_inverse(inverse: &[f64], n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| (1.0 - 1.0 / inverse[i * n + i]).clamp(0.0, 1.0))
        .collect()
}

/// The Cholesky factor `L` (lower triangle, row-major) of a symmetric positive definite matrix
/// (`n·n`, row-major): `A = L·Lᵀ` (Golub & Van Loan 2013, §4.2). `None` when a pivot is not
/// positive (the matrix is not positive definite, or not finite). In floating point a factor
/// is found only if `A + E` is positive definite for some `‖E‖` of about `n·ε·max Aᵢᵢ`.
pub(crate) fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let d = a[j * n + j] - l[j * n..j * n + j].iter().map(|x| x * x).sum::<f64>();
        if !(d > 0.0 && d.is_finite()) {
            return None;
        }
        let d = d.sqrt();
        l[j * n + j] = d;
        for i in j + 1..n {
            let dot: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            l[i * n + j] = (a[i * n + j] - dot) / d;
        }
    }
    Some(l)
}

/// The inverse of a symmetric positive definite matrix (`n·n`, row-major) from its Cholesky
/// factor: `A⁻¹ = L⁻ᵀ·L⁻¹`. `None` when [`cholesky`] finds no factor.
pub(crate) fn cholesky_inverse(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let l = cholesky(a, n)?;
    // W = L⁻¹ (lower triangular), by forward substitution column by column of the identity;
    // row-major, so W[i][j] for j ≤ i.
    let mut w = vec![0.0; n * n];
    for i in 0..n {
        w[i * n + i] = 1.0 / l[i * n + i];
        for j in 0..i {
            let dot: f64 = (j..i).map(|k| l[i * n + k] * w[k * n + j]).sum();
            w[i * n + j] = -dot / l[i * n + i];
        }
    }
    // A⁻¹ = Wᵀ·W: (A⁻¹)ᵢⱼ = Σₖ≥max(i,j) Wₖᵢ·Wₖⱼ.
    let mut out = vec![0.0; n * n];
    for k in 0..n {
        let row = &w[k * n..k * n + k + 1];
        for (i, wi) in row.iter().enumerate() {
            for (j, wj) in row.iter().enumerate().take(i + 1) {
                out[i * n + j] += wi * wj;
            }
        }
    }
    for i in 0..n {
        for j in 0..i {
            out[j * n + i] = out[i * n + j];
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_a_correlation_matrix() {
        // [[1, .5], [.5, 1]]⁻¹ = 1/.75 · [[1, -.5], [-.5, 1]].
        let r = [1.0, 0.5, 0.5, 1.0];
        for inv in [pinv(&r, 2), cholesky_inverse(&r, 2).unwrap()] {
            assert!((inv[0] - 1.0 / 0.75).abs() < 1e-12);
            assert!((inv[1] + 0.5 / 0.75).abs() < 1e-12);
            // SMC of each with the other: r² = .25.
            let s = smc_from_inverse(&inv, 2);
            assert!((s[0] - 0.25).abs() < 1e-12 && (s[1] - 0.25).abs() < 1e-12);
        }
    }

    #[test]
    fn a_singular_matrix_gets_a_pseudo_inverse() {
        // All ones (rank 1): eigenvalues 3, 0, 0; pinv = J / 9. Cholesky refuses it.
        let j = vec![1.0; 9];
        for x in pinv(&j, 3) {
            assert!((x - 1.0 / 9.0).abs() < 1e-12);
        }
        assert_eq!(cholesky_inverse(&j, 3), None);
    }

    #[test]
    fn a_value_that_is_not_finite_gives_nan_throughout() {
        let r = [1.0, f64::NAN, 0.2, f64::NAN, 1.0, 0.3, 0.2, 0.3, 1.0];
        assert!(pinv(&r, 3).iter().all(|x| x.is_nan()));
        assert_eq!(cholesky_inverse(&r, 3), None);
    }
}
