//! The numbers a definition or a local norms file may hold.
//!
//! Every number must be finite: a NaN compares false with everything (a rule `>= NaN` would
//! decide on nothing, `!= NaN` would flag every respondent) and an infinity propagates into
//! every figure derived from it. Sizes are bounded far beyond any questionnaire's, but so that
//! every figure derived from them stays finite and is written in a few dozen characters at
//! most (scores are written in full, not in exponent form, so `1e-300` would be a cell of 300
//! characters):
//!
//! - option values, and derived-scale factors and constants: within ±1e9 (sums and reverse
//!   keys of such values stay exact in doubles);
//! - a norm group's mean: within ±1e12, and 0 or at least 1e-30 in size;
//! - its SD: between 1e-6 and 1e12. With scores within ±1e23 (1e9 per item, times 1e5
//!   items, times a derived factor of 1e9), z is within ±1e30, T likewise, and the SEM
//!   (`SD·√(1 − r)`, r below 1 by at least 1e-16) at least 1e-14: figures of at most about 60
//!   characters, where an SD of 1e-300 gave z = −inf and a SEM of 330 characters;
//! - ages: between 0 and 150 years, and 0 or at least 1e-6 (about 30 seconds) in size;
//! - people: a stratum's n and a frequency table's total count at most 1e12 (more than the
//!   world's population, and exact in a double; counts summed in a u64 cannot overflow).
//!
//! Standard deviations of published norms lie between about 0.1 and 100, means between 0
//! and a few hundred: no real questionnaire comes near these bounds.

/// The largest option value, and derived-scale factor or constant, in magnitude.
pub(crate) const MAX_OPTION_VALUE: f64 = 1e9;

/// The largest norm-group mean in magnitude.
pub(crate) const MAX_MEAN: f64 = 1e12;

/// The smallest non-zero norm-group mean in magnitude.
pub(crate) const MIN_MEAN: f64 = 1e-30;

/// The smallest norm-group standard deviation.
pub(crate) const MIN_SD: f64 = 1e-6;

/// The largest norm-group standard deviation.
pub(crate) const MAX_SD: f64 = 1e12;

/// The oldest age a norm stratum may name, in years.
pub(crate) const MAX_AGE: f64 = 150.0;

/// The smallest non-zero age a norm stratum may name, in years.
pub(crate) const MIN_AGE: f64 = 1e-6;

/// The most people a norm group may count.
pub(crate) const MAX_PEOPLE: u64 = 1_000_000_000_000;

/// `Err` with the message when `x` is not finite.
pub(crate) fn finite(x: f64) -> Result<(), &'static str> {
    if x.is_finite() {
        Ok(())
    } else {
        Err("must be a finite number")
    }
}

/// `Err` with the message when `x` is not finite or lies outside `-max..=max`; `range` is that
/// range in words for the message.
pub(crate) fn within(x: f64, max: f64, range: &'static str) -> Result<(), &'static str> {
    finite(x)?;
    if x.abs() > max { Err(range) } else { Ok(()) }
}

/// An option value, or a derived-scale factor or constant.
pub(crate) fn option_value(x: f64) -> Result<(), &'static str> {
    within(
        x,
        MAX_OPTION_VALUE,
        "must lie between -1000000000 and 1000000000",
    )
}

/// A norm group's mean.
pub(crate) fn mean(x: f64) -> Result<(), &'static str> {
    within(
        x,
        MAX_MEAN,
        "must lie between -1000000000000 and 1000000000000",
    )?;
    if x != 0.0 && x.abs() < MIN_MEAN {
        return Err("must be 0 or at least 1e-30 in size");
    }
    Ok(())
}

/// A norm group's standard deviation.
pub(crate) fn sd(x: f64) -> Result<(), &'static str> {
    finite(x)?;
    if (MIN_SD..=MAX_SD).contains(&x) {
        Ok(())
    } else {
        Err("must lie between 0.000001 and 1000000000000")
    }
}

/// An age in years.
pub(crate) fn age(x: f64) -> Result<(), &'static str> {
    finite(x)?;
    if (x == 0.0 || x >= MIN_AGE) && x <= MAX_AGE {
        Ok(())
    } else {
        Err("must be 0, or between 0.000001 and 150 (years)")
    }
}

/// A number of people.
pub(crate) fn people(n: u64) -> Result<(), &'static str> {
    if n <= MAX_PEOPLE {
        Ok(())
    } else {
        Err("must be at most 1000000000000")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_admit_real_figures_and_refuse_absurd_ones() {
        for x in [0.0, 2.41, -3.5, 1e12, -1e12, 1e-30] {
            assert_eq!(mean(x), Ok(()), "{x}");
        }
        for x in [f64::NAN, f64::INFINITY, 1.1e12, 1e-31, -1e-300] {
            assert!(mean(x).is_err(), "{x}");
        }
        for x in [1e-6, 0.62, 1e12] {
            assert_eq!(sd(x), Ok(()), "{x}");
        }
        for x in [0.0, -1.0, 1e-300, 9e-7, 1.1e12, f64::NAN, f64::INFINITY] {
            assert!(sd(x).is_err(), "{x}");
        }
        for x in [0.0, 1e-6, 18.0, 150.0] {
            assert_eq!(age(x), Ok(()), "{x}");
        }
        for x in [-1.0, 1e-300, 151.0, f64::NAN] {
            assert!(age(x).is_err(), "{x}");
        }
        assert!(people(MAX_PEOPLE).is_ok() && people(MAX_PEOPLE + 1).is_err());
        assert!(option_value(1e9).is_ok() && option_value(-1e9 - 1.0).is_err());
        assert!(option_value(f64::NEG_INFINITY).is_err());
    }

    #[test]
    fn figures_at_the_bounds_are_finite_and_short() {
        let score = 1e23; // 1e9 per item, 1e5 items, a derived factor of 1e9.
        let text = |x: f64| crate::numeric::format_score(x);
        for (x, mean, sd) in [
            (score, -MAX_MEAN, MIN_SD),
            (-score, MAX_MEAN, MIN_SD),
            (0.0, MIN_MEAN, MAX_SD),
            (1.0, 1.0 + f64::EPSILON, MAX_SD),
        ] {
            let z = (x - mean) / sd;
            let sem = sd * (1.0 - (1.0 - f64::EPSILON / 2.0)).sqrt();
            for figure in [z, 50.0 + 10.0 * z, sem, x + 1.96 * sem] {
                assert!(figure.is_finite(), "{figure}");
                assert!(text(figure).len() <= 64, "{}", text(figure));
            }
        }
    }
}
