//! The routes of `smcs` against the per-item pseudo-inverse exactly as it was computed before
//! them (`reference`: psych's `smc` on every `R₋ₘ`, by the previous Jacobi code, verbatim).

use super::*;

/// The previous implementation (Jacobi with an absolute stopping test, 100 sweeps at most),
/// kept as the reference the routes must reproduce.
mod reference {
    fn rotate(x: f64, y: f64, c: f64, s: f64) -> (f64, f64) {
        (c * x - s * y, s * x + c * y)
    }

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

    fn pinv(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
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

    pub(super) fn smc(r: &[Vec<f64>]) -> Vec<f64> {
        let inv = pinv(r);
        (0..r.len())
            .map(|i| (1.0 - 1.0 / inv[i][i]).clamp(0.0, 1.0))
            .collect()
    }

    /// What `alpha.1` and `alpha.drop` took: smc of `R`, and per item the smc sum of `R₋ₘ`.
    pub(super) fn smcs(r: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
        let without = (0..r.len())
            .map(|m| smc(&crate::stats::alpha::drop(r, m)).iter().sum())
            .collect();
        (smc(r), without)
    }
}

/// xorshift64*: a reproducible stream of uniform and normal numbers.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Box–Muller.
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// `rows` rows of `k` items sharing one factor of loading `loading`, as columns.
fn one_factor(rng: &mut Rng, k: usize, rows: usize, loading: f64) -> Vec<Vec<f64>> {
    let factor: Vec<f64> = (0..rows).map(|_| rng.normal()).collect();
    (0..k)
        .map(|_| factor.iter().map(|f| loading * f + rng.normal()).collect())
        .collect()
}

/// The correlation matrix of the columns.
fn correlations(columns: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let rows = columns[0].len() as f64;
    let centred: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| {
            let mean = c.iter().sum::<f64>() / rows;
            c.iter().map(|x| x - mean).collect()
        })
        .collect();
    let cov = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let c: Vec<Vec<f64>> = centred
        .iter()
        .map(|a| centred.iter().map(|b| cov(a, b)).collect())
        .collect();
    crate::stats::alpha::cov2cor(&c)
}

/// The routes against the reference, to 1e-10, and the route taken.
fn compare(r: &[Vec<f64>]) -> Route {
    compare_to(r, 1e-10)
}

/// The routes against the reference, to `tolerance` (NaN where the reference is NaN).
fn compare_to(r: &[Vec<f64>], tolerance: f64) -> Route {
    let n = r.len();
    let got = smcs(&crate::stats::linalg::flat(r), n);
    let (all, without) = reference::smcs(r);
    let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || (a - b).abs() <= tolerance;
    for (i, (a, b)) in got.all.iter().zip(&all).enumerate() {
        assert!(same(*a, *b), "smc {i}: {a} vs {b} ({:?})", got.route);
    }
    for (m, (a, b)) in got.without.iter().zip(&without).enumerate() {
        assert!(same(*a, *b), "without {m}: {a} vs {b} ({:?})", got.route);
    }
    got.route
}

#[test]
fn well_conditioned_matrices_take_the_cholesky_downdate() {
    let mut rng = Rng(1);
    for (k, loading) in [(2, 1.0), (3, 0.5), (5, 1.0), (12, 0.8), (24, 1.5)] {
        let r = correlations(&one_factor(&mut rng, k, 300, loading));
        assert_eq!(compare(&r), Route::Cholesky, "{k} items");
    }
}

#[test]
fn ill_conditioned_matrices_take_one_eigendecomposition() {
    // An item nearly equal to another (plus noise of SD 1e-2): invertible, condition about
    // 10⁵, beyond the Cholesky route.
    let mut rng = Rng(2);
    for k in [4, 9, 25] {
        let mut columns = one_factor(&mut rng, k, 200, 1.0);
        let near: Vec<f64> = columns[0].iter().map(|x| x + 1e-2 * rng.normal()).collect();
        columns.push(near);
        let r = correlations(&columns);
        assert_eq!(compare(&r), Route::Eigen { per_item: 0 }, "{k} items");
    }
}

#[test]
fn duplicate_items_take_one_eigendecomposition() {
    let mut rng = Rng(3);
    for (k, copies) in [(3, 1), (6, 2), (20, 3)] {
        let mut columns = one_factor(&mut rng, k, 150, 1.0);
        for c in 0..copies {
            columns.push(columns[c].clone());
        }
        let r = correlations(&columns);
        assert_eq!(compare(&r), Route::Eigen { per_item: 0 }, "{k} + {copies}");
    }
}

#[test]
fn fewer_rows_than_items_take_one_eigendecomposition() {
    let mut rng = Rng(4);
    for (k, rows) in [(8, 5), (16, 12), (20, 16)] {
        let r = correlations(&one_factor(&mut rng, k, rows, 1.0));
        assert_eq!(
            compare(&r),
            Route::Eigen { per_item: 0 },
            "{k} items, {rows} rows"
        );
    }
}

/// Correlations under pairwise deletion (`None` missing): each from the rows where both items
/// are present, each SD from the rows where its item is.
fn pairwise(columns: &[Vec<Option<f64>>]) -> Vec<Vec<f64>> {
    let mut m = crate::stats::moments::Moments::new(columns.len());
    for row in 0..columns[0].len() {
        let values: Vec<Option<f64>> = columns.iter().map(|c| c[row]).collect();
        m.add(&values);
    }
    crate::stats::alpha::cov2cor(&m.covariances())
}

#[test]
fn indefinite_matrices_take_one_eigendecomposition() {
    // Pairwise deletion can give a matrix that is not positive semidefinite.
    let r = vec![
        vec![1.0, 0.9, 0.9, 0.1],
        vec![0.9, 1.0, 0.1, 0.3],
        vec![0.9, 0.1, 1.0, 0.2],
        vec![0.1, 0.3, 0.2, 1.0],
    ];
    assert_eq!(compare(&r), Route::Eigen { per_item: 0 });
    // 40% of the answers missing, 24 rows: many of these are indefinite.
    let mut rng = Rng(7);
    let mut indefinite = 0;
    for k in [5, 8, 12, 20] {
        for _ in 0..5 {
            let columns: Vec<Vec<Option<f64>>> = one_factor(&mut rng, k, 24, 1.0)
                .into_iter()
                .map(|c| {
                    c.into_iter()
                        .map(|x| (rng.uniform() < 0.6).then_some(x))
                        .collect()
                })
                .collect();
            let r = pairwise(&columns);
            let values = crate::stats::linalg::eigen(&crate::stats::linalg::flat(&r), k).0;
            if values.iter().any(|v| *v < -1e-6) {
                indefinite += 1;
                assert!(matches!(compare(&r), Route::Eigen { .. }), "{r:?}");
            }
        }
    }
    assert!(indefinite >= 10, "{indefinite} indefinite");
}

#[test]
fn missing_values_and_singular_indefinite_matrices_take_the_per_item_route() {
    // An item without variance: NaN in its row and column.
    let mut rng = Rng(5);
    let mut r = correlations(&one_factor(&mut rng, 5, 50, 1.0));
    for row in &mut r {
        row[2] = f64::NAN;
    }
    r[2] = vec![f64::NAN; 5];
    assert_eq!(compare(&r), Route::PerItem);
    // Indefinite and singular: the 4×4 above with its first item repeated.
    let r = vec![
        vec![1.0, 0.9, 0.9, 0.1, 1.0],
        vec![0.9, 1.0, 0.1, 0.3, 0.9],
        vec![0.9, 0.1, 1.0, 0.2, 0.9],
        vec![0.1, 0.3, 0.2, 1.0, 0.1],
        vec![1.0, 0.9, 0.9, 0.1, 1.0],
    ];
    assert_eq!(compare(&r), Route::PerItem);
}

/// Orthonormal columns (modified Gram–Schmidt) of `columns`, each orthogonalised also against
/// `against`.
fn orthonormal(mut columns: Vec<Vec<f64>>, against: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> = Vec::new();
    for c in &mut columns {
        for _ in 0..2 {
            for b in against.iter().chain(&out) {
                let dot: f64 = c.iter().zip(b).map(|(x, y)| x * y).sum();
                for (x, y) in c.iter_mut().zip(b) {
                    *x -= dot * y;
                }
            }
        }
        let norm = c.iter().map(|x| x * x).sum::<f64>().sqrt();
        out.push(c.iter().map(|x| x / norm).collect());
    }
    out
}

/// Singular correlation matrices (rank 6 of 10) where deleting item 0 almost drops the rank:
/// the null space's component on item 0 is about `scale` (so `δ₀` is about `scale²`), from
/// clearly positive through psych's tolerance to rounding, with kept eigenvalues from 0.5, 10⁻²
/// or 10⁻⁴ to 3. Every route an item takes must agree with the reference. Near the tolerance
/// `R₋₀` has an eigenvalue of 10⁻⁶ to 10⁻⁴ and its pseudo-inverse is ill-conditioned: there two
/// Jacobi codes (the reference, and route 3 on the same matrix) already differ by up to 1e-10,
/// so these compare to 1e-9.
#[test]
fn items_that_almost_carry_a_dimension_of_their_own() {
    let (k, rank) = (10, 6);
    let mut routes = Vec::new();
    for (seed, low) in (0..24).zip([0.5, 1e-2, 1e-4].into_iter().cycle()) {
        let mut rng = Rng(100 + seed);
        for scale in [
            1e-1, 1e-2, 3e-3, 2e-3, 1e-3, 1e-5, 1e-8, 1e-10, 1e-12, 1e-14,
        ] {
            let null: Vec<Vec<f64>> = (0..k - rank)
                .map(|_| {
                    let mut v: Vec<f64> = (0..k).map(|_| rng.normal()).collect();
                    v[0] *= scale;
                    v
                })
                .collect();
            let null = orthonormal(null, &[]);
            let random = (0..rank)
                .map(|_| (0..k).map(|_| rng.normal()).collect())
                .collect();
            let kept = orthonormal(random, &null);
            let values: Vec<f64> = (0..rank)
                .map(|_| low + (3.0 - low) * rng.uniform())
                .collect();
            let c: Vec<Vec<f64>> = (0..k)
                .map(|i| {
                    (0..k)
                        .map(|j| (0..rank).map(|l| kept[l][i] * values[l] * kept[l][j]).sum())
                        .collect()
                })
                .collect();
            routes.push(compare_to(&crate::stats::alpha::cov2cor(&c), 1e-9));
        }
    }
    // Both kinds of item occur: all from one decomposition, and some on their own.
    assert!(routes.contains(&Route::Eigen { per_item: 0 }));
    assert!(routes.contains(&Route::Eigen { per_item: 1 }));
}

/// The per-item route has a budget: items past it are left NaN (and counted), the others are
/// computed as ever.
#[test]
fn items_past_the_per_item_budget_are_not_computed() {
    let r = vec![
        vec![1.0, 0.9, 0.9, 0.1, 1.0],
        vec![0.9, 1.0, 0.1, 0.3, 0.9],
        vec![0.9, 0.1, 1.0, 0.2, 0.9],
        vec![0.1, 0.3, 0.2, 1.0, 0.1],
        vec![1.0, 0.9, 0.9, 0.1, 1.0],
    ];
    let (_, reference) = reference::smcs(&r);
    // Each decomposition of a 4×4 costs 4³ = 64: room for two.
    let got = smcs_within(&crate::stats::linalg::flat(&r), 5, 2.0 * 64.0);
    assert_eq!(got.route, Route::PerItem);
    assert_eq!(got.not_computed, 3);
    for (got, reference) in got.without[..2].iter().zip(&reference) {
        assert!((got - reference).abs() <= 1e-10);
    }
    assert!(got.without[2..].iter().all(|x| x.is_nan()));
    assert_eq!(smcs(&crate::stats::linalg::flat(&r), 5).not_computed, 0);
}
