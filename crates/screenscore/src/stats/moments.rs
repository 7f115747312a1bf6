//! Streaming sums for covariances: one pass, O(k²) memory, exact for whole-number values.
//!
//! Each variable is shifted by its first observed value before it is summed, so sums stay small
//! even when every value carries a large offset (10⁹ + 0…3), and a near-constant variable sums
//! to near zero instead of losing its variance to cancellation. With whole-number option values
//! (every bundled instrument) the shifted sums are integers below 2⁵³: exact.
//!
//! For each pair (i, j) the sums run over the rows where both are present, which is what R's
//! `cov(x, use = "pairwise")` does: each covariance uses its own pairwise-complete rows, and each
//! variance (i = i) the rows where the variable is present.

/// Sums over the rows where both members of a pair are present (values shifted).
#[derive(Debug, Clone, Copy, Default)]
struct Pair {
    n: f64,
    a: f64,
    b: f64,
    aa: f64,
    bb: f64,
    ab: f64,
}

/// Pairwise co-moments of `k` variables.
#[derive(Debug, Clone)]
pub(crate) struct Moments {
    k: usize,
    shift: Vec<Option<f64>>,
    /// Upper triangle, diagonal included, row by row.
    pairs: Vec<Pair>,
    shifted: Vec<Option<f64>>,
}

impl Moments {
    pub(crate) fn new(k: usize) -> Moments {
        Moments {
            k,
            shift: vec![None; k],
            pairs: vec![Pair::default(); k * (k + 1) / 2],
            shifted: vec![None; k],
        }
    }

    fn at(&self, i: usize, j: usize) -> usize {
        let (i, j) = if i <= j { (i, j) } else { (j, i) };
        i * self.k - i * (i + 1) / 2 + j
    }

    /// Add one row (`None` where a variable is missing).
    pub(crate) fn add(&mut self, row: &[Option<f64>]) {
        for (i, v) in row.iter().enumerate() {
            self.shifted[i] = v.map(|v| v - *self.shift[i].get_or_insert(v));
        }
        let mut p = 0;
        for i in 0..self.k {
            let Some(a) = self.shifted[i] else {
                p += self.k - i;
                continue;
            };
            for j in i..self.k {
                if let Some(b) = self.shifted[j] {
                    let pair = &mut self.pairs[p];
                    pair.n += 1.0;
                    pair.a += a;
                    pair.b += b;
                    pair.aa += a * a;
                    pair.bb += b * b;
                    pair.ab += a * b;
                }
                p += 1;
            }
        }
    }

    /// Rows where both are present.
    pub(crate) fn n(&self, i: usize, j: usize) -> f64 {
        self.pairs[self.at(i, j)].n
    }

    /// The sample covariance (n − 1) over the pairwise-complete rows; the variance for i = j.
    pub(crate) fn cov(&self, i: usize, j: usize) -> f64 {
        let p = &self.pairs[self.at(i, j)];
        (p.ab - p.a * p.b / p.n) / (p.n - 1.0)
    }

    /// The mean of variable `i` over the rows where it is present.
    pub(crate) fn mean(&self, i: usize) -> f64 {
        let p = &self.pairs[self.at(i, i)];
        self.shift[i].unwrap_or(f64::NAN) + p.a / p.n
    }

    /// R's `cor(x, y, use = "pairwise")`: means and SDs of the pairwise-complete rows.
    pub(crate) fn cor(&self, i: usize, j: usize) -> f64 {
        let p = &self.pairs[self.at(i, j)];
        let (sa, sb) = if i <= j {
            (p.aa - p.a * p.a / p.n, p.bb - p.b * p.b / p.n)
        } else {
            (p.bb - p.b * p.b / p.n, p.aa - p.a * p.a / p.n)
        };
        (p.ab - p.a * p.b / p.n) / (sa * sb).sqrt()
    }

    /// The number of variables.
    pub(crate) fn len(&self) -> usize {
        self.k
    }

    /// The covariance matrix of all the variables.
    pub(crate) fn covariances(&self) -> Vec<Vec<f64>> {
        (0..self.k)
            .map(|i| (0..self.k).map(|j| self.cov(i, j)).collect())
            .collect()
    }

    /// The covariance matrix of a subset of the variables, with signs (−1 flips a variable).
    pub(crate) fn matrix(&self, vars: &[(usize, f64)]) -> Vec<Vec<f64>> {
        vars.iter()
            .map(|&(i, si)| {
                vars.iter()
                    .map(|&(j, sj)| si * sj * self.cov(i, j))
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_covariances_use_pairwise_complete_rows() {
        // x: 1, 2, 3, 4; y: 2, -, 6, 8. cov(x, y) over rows 1, 3, 4: x (1, 3, 4) mean 8/3,
        // y (2, 6, 8) mean 16/3; sum of products of deviations
        // (-5/3)(-10/3) + (1/3)(2/3) + (4/3)(8/3) = (50 + 2 + 32) / 9 = 84/9; / 2 = 42/9.
        let mut m = Moments::new(2);
        for row in [
            [Some(1.0), Some(2.0)],
            [Some(2.0), None],
            [Some(3.0), Some(6.0)],
            [Some(4.0), Some(8.0)],
        ] {
            m.add(&row);
        }
        assert!((m.cov(0, 1) - 42.0 / 9.0).abs() < 1e-12);
        // var(x) over all four rows: mean 2.5, squares 2.25 + .25 + .25 + 2.25 = 5, / 3.
        assert!((m.cov(0, 0) - 5.0 / 3.0).abs() < 1e-12);
        assert_eq!((m.n(0, 1), m.n(0, 0), m.n(1, 1)), (3.0, 4.0, 3.0));
        assert_eq!(m.mean(0), 2.5);
    }

    #[test]
    fn large_offsets_and_near_constant_variables_keep_their_variance() {
        // 10^12 + (0, 1, 0, ... ): one 1 among 1000 values; variance = (1 - 1/1000) / 999.
        let mut m = Moments::new(1);
        for i in 0..1000 {
            m.add(&[Some(1e12 + if i == 500 { 1.0 } else { 0.0 })]);
        }
        let expected = (1.0 - 1.0 / 1000.0) / 999.0;
        assert!((m.cov(0, 0) - expected).abs() < 1e-15);
        assert_eq!(m.mean(0), 1e12 + 0.001);
    }
}
