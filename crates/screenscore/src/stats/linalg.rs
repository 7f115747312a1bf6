//! Small symmetric matrices: the pseudo-inverse psych uses for squared multiple correlations.

/// The plane rotation by cosine `c` and sine `s` of the pair `(x, y)`.
fn rotate(x: f64, y: f64, c: f64, s: f64) -> (f64, f64) {
    (c * x - s * y, s * x + c * y)
}

/// Eigenvalues and eigenvectors (columns) of a symmetric matrix, by cyclic Jacobi rotations.
fn eigen(a: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = a.len();
    let mut a: Vec<Vec<f64>> = a.to_vec();
    let mut v: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for _ in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut().chain(v.iter_mut()) {
                    let (x, y) = (row[p], row[q]);
                    (row[p], row[q]) = rotate(x, y, c, s);
                }
                let (head, tail) = a.split_at_mut(q);
                for (x, y) in head[p].iter_mut().zip(tail[0].iter_mut()) {
                    (*x, *y) = rotate(*x, *y, c, s);
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}

/// The Moore–Penrose pseudo-inverse of a symmetric matrix, as psych's `Pinv`: eigenvalues below
/// `√ε · λ_max` in absolute value are treated as zero. For an invertible matrix, the inverse.
pub(crate) fn pinv(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = a.len();
    let (values, vectors) = eigen(a);
    let max = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let tol = f64::EPSILON.sqrt() * max;
    let mut out = vec![vec![0.0; n]; n];
    for (k, &lambda) in values.iter().enumerate() {
        if lambda.abs() <= tol {
            continue;
        }
        for i in 0..n {
            for j in 0..n {
                out[i][j] += vectors[i][k] * vectors[j][k] / lambda;
            }
        }
    }
    out
}

/// psych's `smc`: squared multiple correlations `1 − 1/diag(R⁻¹)`, clamped to 0…1.
pub(crate) fn smc(r: &[Vec<f64>]) -> Vec<f64> {
    let inv = pinv(r);
    (0..r.len())
        .map(|i| (1.0 - 1.0 / inv[i][i]).clamp(0.0, 1.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_a_correlation_matrix() {
        // [[1, .5], [.5, 1]]⁻¹ = 1/.75 · [[1, -.5], [-.5, 1]].
        let inv = pinv(&[vec![1.0, 0.5], vec![0.5, 1.0]]);
        assert!((inv[0][0] - 1.0 / 0.75).abs() < 1e-12);
        assert!((inv[0][1] + 0.5 / 0.75).abs() < 1e-12);
        // SMC of each with the other: r² = .25.
        let s = smc(&[vec![1.0, 0.5], vec![0.5, 1.0]]);
        assert!((s[0] - 0.25).abs() < 1e-12 && (s[1] - 0.25).abs() < 1e-12);
    }

    #[test]
    fn a_singular_matrix_gets_a_pseudo_inverse() {
        // All ones (rank 1): eigenvalues 3, 0, 0; pinv = J / 9.
        let j = vec![vec![1.0; 3]; 3];
        let inv = pinv(&j);
        for row in &inv {
            for x in row {
                assert!((x - 1.0 / 9.0).abs() < 1e-12);
            }
        }
    }
}
