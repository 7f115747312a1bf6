//! Numbers as scoring rounds them and as outputs and messages write them: a leaf that every
//! part of scoring may use (compiling rounds a scale's range, the engine its scores; messages,
//! sheets and method statements write values).

use crate::definition::RoundingMethod;

/// `num / den`, rounded as declared. When `num` scaled to the kept decimals is a whole number
/// (sums of whole-number options always are), the rounding is done in exact integer arithmetic,
/// so a true half is recognised as a half and never lost to binary fractions.
pub(crate) fn round(num: f64, den: u32, rounding: Option<(RoundingMethod, u8)>) -> f64 {
    let Some((method, decimals)) = rounding else {
        return num / f64::from(den);
    };
    let scale = 10f64.powi(i32::from(decimals));
    let scaled = num * scale;
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if scaled.fract() == 0.0 && scaled.abs() < EXACT {
        let n = scaled as i64;
        let d = i64::from(den);
        let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
        let up = match (2 * r).cmp(&d) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => match method {
                // q + ½: away from zero is up for positive values, down for negative ones.
                RoundingMethod::HalfUp => q >= 0,
                RoundingMethod::HalfEven => q % 2 != 0,
            },
        };
        (q + i64::from(up)) as f64 / scale
    } else {
        let x = num / f64::from(den) * scale;
        let r = match method {
            RoundingMethod::HalfUp => x.round(),
            RoundingMethod::HalfEven => x.round_ties_even(),
        };
        r / scale
    }
}

/// A value as written in output and messages: `2`, `0.5`, `-1`.
pub(crate) fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A score as written in output: whole numbers without a decimal point, others in the shortest
/// form that reads back to the same number.
///
/// ```
/// use screenscore::format_score;
///
/// assert_eq!(format_score(12.0), "12");
/// assert_eq!(format_score(-0.0), "0");
/// assert_eq!(format_score(2.35), "2.35");
/// assert_eq!(format_score(47.0 / 19.0), "2.473684210526316");
/// ```
pub fn format_score(score: f64) -> String {
    format_value(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HALF_UP: Option<(RoundingMethod, u8)> = Some((RoundingMethod::HalfUp, 0));
    const HALF_EVEN: Option<(RoundingMethod, u8)> = Some((RoundingMethod::HalfEven, 0));

    #[test]
    fn rounding_is_exact_at_halves() {
        // 5/2 = 2.5 exactly: half up gives 3, half even gives 2; 7/2 = 3.5 gives 4 both ways.
        assert_eq!(round(5.0, 2, HALF_UP), 3.0);
        assert_eq!(round(5.0, 2, HALF_EVEN), 2.0);
        assert_eq!(round(7.0, 2, HALF_EVEN), 4.0);
        // -5/2 = -2.5: away from zero is -3.
        assert_eq!(round(-5.0, 2, HALF_UP), -3.0);
        // 2.675 is not representable in binary; as 2675/1000 it is an exact half at 2 decimals.
        assert_eq!(round(2675.0, 1000, Some((RoundingMethod::HalfUp, 2))), 2.68);
        // No rounding: a plain division.
        assert_eq!(round(7.0, 2, None), 3.5);
    }

    #[test]
    fn k10_proration_rounds_ten_ninths() {
        // K10, one item missing: total = round(sum / 9 × 10). Sum 22 → 24.44… → 24; sum 23 → 25.55… → 26.
        assert_eq!(round(22.0 * 10.0, 9, HALF_UP), 24.0);
        assert_eq!(round(23.0 * 10.0, 9, HALF_UP), 26.0);
    }

    #[test]
    fn values_are_written_whole_where_whole() {
        assert_eq!(format_value(2.0), "2");
        assert_eq!(format_value(-1.0), "-1");
        assert_eq!(format_value(0.5), "0.5");
        assert_eq!(format_value(1e15), "1000000000000000");
    }
}
