//! Writing scores as text without allocating.

/// Append a score: whole numbers without a decimal point (`12`), others in the shortest form
/// that reads back to the same number (`2.35`).
pub(crate) fn push_score(buf: &mut Vec<u8>, x: f64) {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        let mut n = x as i64;
        if n < 0 {
            buf.push(b'-');
            n = -n;
        }
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        buf.extend_from_slice(&digits[i..]);
    } else {
        use std::io::Write;
        let _ = write!(buf, "{x}");
    }
}

/// Append `x` rounded to `decimals` places, without trailing zeros (`60.86`, `65`, `-0.5`;
/// never `-0`): how the scores CSV writes derived statistics (standard scores, percentiles) that
/// have no precision of their own. Rounding is to the nearest, from the exact binary value; a
/// true tie (`x·10^decimals` exactly halfway, as for 62.125 at 2 decimals) goes away from zero,
/// as a reader rounds by hand (formatting alone would round it to even: 62.12).
pub(crate) fn push_rounded(buf: &mut Vec<u8>, x: f64, decimals: usize) {
    use std::io::Write;
    let scale = 10f64.powi(decimals as i32);
    let y = x * scale;
    // The product is exact when `mul_add` finds no remainder; then a fraction of ½ is a tie.
    let tie = x.mul_add(scale, -y) == 0.0 && (y - y.trunc()).abs() == 0.5;
    let x = if tie { y.round() / scale } else { x };
    let start = buf.len();
    let _ = write!(buf, "{x:.decimals$}");
    if buf[start..].contains(&b'.') {
        while buf.last() == Some(&b'0') {
            buf.pop();
        }
        if buf.last() == Some(&b'.') {
            buf.pop();
        }
    }
    if &buf[start..] == b"-0" {
        buf.remove(start);
    }
}

/// Append a percentile (0 to 100) to one decimal, as [`push_rounded`], except that a value
/// strictly between 0 and 100 is never written as `0` or `100` (the lowest or the highest score
/// of all): it gets as many more decimals as it takes, up to 6 (`99.97`, not `100`).
pub(crate) fn push_percentile(buf: &mut Vec<u8>, x: f64) {
    let start = buf.len();
    for decimals in 1..=6 {
        buf.truncate(start);
        push_rounded(buf, x, decimals);
        let inside = x > 0.0 && x < 100.0;
        if !inside || (&buf[start..] != b"0" && &buf[start..] != b"100") {
            return;
        }
    }
}

/// Append a change between two scores: the difference without the noise of binary
/// subtraction (`4 - 3.2` is `0.7999999999999998`; written `0.8`), to 10 decimals, more than
/// any score keeps.
pub(crate) fn push_change(buf: &mut Vec<u8>, x: f64) {
    push_score(buf, (x * 1e10).round() / 1e10);
}

#[cfg(test)]
mod tests {
    use super::{push_change, push_percentile, push_rounded, push_score};

    fn rounded(x: f64, decimals: usize) -> String {
        let mut buf = b"x,".to_vec();
        push_rounded(&mut buf, x, decimals);
        String::from_utf8(buf[2..].to_vec()).unwrap()
    }

    #[test]
    fn derived_statistics_are_rounded_without_trailing_zeros() {
        // GAD-7 7 against women's mean 3.2, SD 3.5: z = 3.8 / 3.5 = 1.0857142…, T = 60.857142…
        assert_eq!(rounded(3.8 / 3.5, 2), "1.09");
        assert_eq!(rounded(50.0 + 10.0 * (3.8 / 3.5), 2), "60.86");
        assert_eq!(rounded(86.11972908113444, 1), "86.1");
        assert_eq!(rounded(65.0, 2), "65");
        assert_eq!(rounded(64.999, 2), "65");
        assert_eq!(rounded(-0.5, 2), "-0.5");
        assert_eq!(rounded(0.10000000000000009, 2), "0.1");
        // Rounded to zero from either side: `0`, never `-0`.
        assert_eq!(rounded(-0.001, 2), "0");
        assert_eq!(rounded(0.004, 2), "0");
        assert_eq!(rounded(-0.0, 2), "0");
        assert_eq!(rounded(99.97, 1), "100");
    }

    fn percentile(x: f64) -> String {
        let mut buf = Vec::new();
        push_percentile(&mut buf, x);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn a_percentile_inside_the_range_is_never_written_0_or_100() {
        assert_eq!(percentile(86.11972908113444), "86.1");
        // 99.97 is not the top: two decimals say so; 99.99996 needs five.
        assert_eq!(percentile(99.97), "99.97");
        assert_eq!(percentile(99.99996150705132), "99.99996");
        assert_eq!(percentile(0.03), "0.03");
        // Beyond 6 decimals it is written as rounded.
        assert_eq!(percentile(99.999_999_9), "100");
        // The ends themselves stay whole.
        assert_eq!(percentile(100.0), "100");
        assert_eq!(percentile(0.0), "0");
    }

    #[test]
    fn a_change_is_written_without_subtraction_noise() {
        let text = |x: f64| {
            let mut buf = Vec::new();
            push_change(&mut buf, x);
            String::from_utf8(buf).unwrap()
        };
        assert_eq!(text(4.0 - 3.2), "0.8");
        assert_eq!(text(3.2 - 4.0), "-0.8");
        assert_eq!(text(-6.0), "-6");
        // 47/19 − 2 keeps its first ten decimals: 0.4736842105.
        assert_eq!(text(47.0 / 19.0 - 2.0), "0.4736842105");
    }

    #[test]
    fn true_ties_round_away_from_zero() {
        // 62.125 and 0.375 are exact in binary: halfway at 2 decimals.
        assert_eq!(rounded(62.125, 2), "62.13");
        assert_eq!(rounded(0.375, 2), "0.38");
        assert_eq!(rounded(-62.125, 2), "-62.13");
        assert_eq!(rounded(0.25, 1), "0.3");
        // 1.005 is 1.00499999999999989… in binary: below the tie, so down.
        assert_eq!(rounded(1.005, 2), "1");
        assert_eq!(rounded(2.675, 2), "2.67");
    }

    fn text(x: f64) -> String {
        let mut buf = Vec::new();
        push_score(&mut buf, x);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn whole_numbers_have_no_point() {
        assert_eq!(text(0.0), "0");
        assert_eq!(text(-0.0), "0");
        assert_eq!(text(12.0), "12");
        assert_eq!(text(-10.0), "-10");
        assert_eq!(text(100.0), "100");
    }

    #[test]
    fn fractions_are_shortest_round_trip() {
        assert_eq!(text(2.35), "2.35");
        assert_eq!(text(47.0 / 19.0), "2.473684210526316");
        assert_eq!(text(-0.5), "-0.5");
    }
}
