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

#[cfg(test)]
mod tests {
    use super::push_score;

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
