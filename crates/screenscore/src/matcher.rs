//! Matching a raw cell against a response set: option values, labels and codes.
//!
//! This is the hot path of batch scoring, so a response set is compiled once into a
//! [`Matcher`]: one-byte values (the usual `0`…`9`) are found with a table lookup, everything
//! else by a short scan. Nothing here allocates unless the cell holds non-ASCII text.

use crate::definition::ResponseSet;
use crate::numeric::format_value;

/// What a cell holds, as far as one response set is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// The cell is empty (after trimming).
    Empty,
    /// The cell names the option at this index, by value, label or code.
    Option(u16),
    /// The cell names no option.
    Unrecognised,
}

const NONE: u8 = u8::MAX;

/// A response set compiled for matching.
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    options: Vec<MatchOption>,
    /// Each option's value (NaN for an option without one), packed for the hot path.
    values: Vec<f64>,
    /// Option index for each one-byte cell that is an option value, `NONE` otherwise.
    single_byte: [u8; 256],
    /// Lowest and highest option value, when every option has one.
    pub(crate) range: Option<(f64, f64)>,
    /// What the set accepts, for error messages: `0, 1, 2, 3 or a label such as "Not at all"`.
    pub(crate) expected: String,
}

#[derive(Debug, Clone)]
struct MatchOption {
    value: Option<f64>,
    value_text: Option<String>,
    label: String,
    label_lower: String,
    code: Option<String>,
}

impl Matcher {
    pub(crate) fn new(set: &ResponseSet) -> Matcher {
        let mut single_byte = [NONE; 256];
        let options: Vec<MatchOption> = set
            .options
            .iter()
            .map(|o| MatchOption {
                value: o.value,
                value_text: o.value.map(format_value),
                label: o.label.trim().to_string(),
                label_lower: o.label.trim().to_lowercase(),
                code: o.code.as_ref().map(|c| c.trim().to_string()),
            })
            .collect();
        for (i, o) in options.iter().enumerate() {
            if let Some(text) = &o.value_text
                && text.len() == 1
                && i < NONE as usize
            {
                single_byte[text.as_bytes()[0] as usize] = i as u8;
            }
        }
        let values: Option<Vec<f64>> = options.iter().map(|o| o.value).collect();
        let range = values.filter(|v| !v.is_empty()).map(|v| {
            let min = v.iter().copied().fold(f64::INFINITY, f64::min);
            let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (min, max)
        });
        let expected = describe(&options);
        Matcher {
            values: options
                .iter()
                .map(|o| o.value.unwrap_or(f64::NAN))
                .collect(),
            options,
            single_byte,
            range,
            expected,
        }
    }

    /// Number of options.
    pub(crate) fn options(&self) -> usize {
        self.options.len()
    }

    /// The value of option `i`.
    pub(crate) fn value(&self, i: u16) -> Option<f64> {
        Some(self.values[usize::from(i)]).filter(|v| !v.is_nan())
    }

    /// The value of option `i`, NaN when it has none.
    pub(crate) fn value_or_nan(&self, i: u16) -> f64 {
        self.values[usize::from(i)]
    }

    /// The index of the option with this value.
    pub(crate) fn option_with_value(&self, value: f64) -> Option<u16> {
        self.options
            .iter()
            .position(|o| o.value == Some(value))
            .map(|i| i as u16)
    }

    /// Match a raw cell: trimmed, then an option value, code or label (case-insensitive).
    #[inline]
    pub(crate) fn find(&self, raw: &[u8]) -> Match {
        // The common cases first, inline: an empty cell, a one-byte value such as `2`.
        match raw {
            [] => Match::Empty,
            &[b] if self.single_byte[b as usize] != NONE => {
                Match::Option(u16::from(self.single_byte[b as usize]))
            }
            _ => self.find_slow(raw),
        }
    }

    fn find_slow(&self, raw: &[u8]) -> Match {
        let cell = trim(raw);
        if cell.is_empty() {
            return Match::Empty;
        }
        if cell.len() == 1 {
            let i = self.single_byte[cell[0] as usize];
            return if i == NONE {
                self.find_text(cell)
            } else {
                Match::Option(u16::from(i))
            };
        }
        self.find_text(cell)
    }

    fn find_text(&self, cell: &[u8]) -> Match {
        for (i, o) in self.options.iter().enumerate() {
            if o.value_text.as_deref().map(str::as_bytes) == Some(cell) {
                return Match::Option(i as u16);
            }
        }
        if let Some(number) = plain_decimal(cell)
            && let Some(i) = self
                .options
                .iter()
                .position(|o| o.value_text.as_deref() == Some(number.as_str()))
        {
            return Match::Option(i as u16);
        }
        let Ok(text) = std::str::from_utf8(cell) else {
            return Match::Unrecognised;
        };
        let text = text.trim();
        if text.is_ascii() {
            for (i, o) in self.options.iter().enumerate() {
                if o.label.eq_ignore_ascii_case(text)
                    || o.code
                        .as_deref()
                        .is_some_and(|c| c.eq_ignore_ascii_case(text))
                {
                    return Match::Option(i as u16);
                }
            }
        } else {
            let lower = text.to_lowercase();
            for (i, o) in self.options.iter().enumerate() {
                if o.label_lower == lower
                    || o.code.as_deref().is_some_and(|c| c.to_lowercase() == lower)
                {
                    return Match::Option(i as u16);
                }
            }
        }
        Match::Unrecognised
    }

    /// Whether `text` would be taken as one of this set's options.
    pub(crate) fn accepts(&self, text: &str) -> bool {
        matches!(self.find(text.as_bytes()), Match::Option(_))
    }
}

/// Trim ASCII whitespace, and Unicode whitespace (such as a no-break space) when there is any.
pub(crate) fn trim(raw: &[u8]) -> &[u8] {
    let cell = raw.trim_ascii();
    match (cell.first(), cell.last()) {
        (Some(a), Some(b)) if !a.is_ascii() || !b.is_ascii() => match std::str::from_utf8(cell) {
            Ok(s) => s.trim().as_bytes(),
            Err(_) => cell,
        },
        _ => cell,
    }
}

/// A cell written as a plain decimal number (`2`, `02`, `2.0`, `-1.50`), rewritten in the form
/// [`format_value`] gives the same number (`2`, `2`, `2`, `-1.5`): ASCII digits, an optional
/// leading minus, an optional point followed by digits. Plus signs, exponents, a bare point and
/// other digit systems are not numbers here. Options are then compared as text, so the match is
/// exact: `0.9999999999999999999` is not 1 (as a float it would round to 1), and `-0` is not 0.
pub(crate) fn plain_decimal(cell: &[u8]) -> Option<String> {
    let (minus, body) = match cell.split_first() {
        Some((b'-', rest)) => ("-", rest),
        _ => ("", cell),
    };
    let (int, frac) = match body.iter().position(|&b| b == b'.') {
        Some(dot) if dot + 1 < body.len() => (&body[..dot], &body[dot + 1..]),
        Some(_) => return None,
        None => (body, &body[..0]),
    };
    if int.is_empty() || !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    let int = match int.iter().position(|&b| b != b'0') {
        Some(first) => &int[first..],
        None => b"0",
    };
    let frac = &frac[..frac
        .iter()
        .rposition(|&b| b != b'0')
        .map_or(0, |last| last + 1)];
    // ASCII digits only, so these are valid UTF-8.
    let int = std::str::from_utf8(int).ok()?;
    let frac = std::str::from_utf8(frac).ok()?;
    Some(match frac {
        "" => format!("{minus}{int}"),
        _ => format!("{minus}{int}.{frac}"),
    })
}

fn describe(options: &[MatchOption]) -> String {
    let values: Vec<&str> = options
        .iter()
        .filter_map(|o| o.value_text.as_deref())
        .collect();
    let first_label = options.first().map(|o| o.label.as_str()).unwrap_or("");
    if values.is_empty() {
        let labels: Vec<String> = options.iter().map(|o| format!("\"{}\"", o.label)).collect();
        return format!("one of {}", labels.join(", "));
    }
    format!(
        "{}, or a label such as \"{first_label}\"",
        values.join(", ")
    )
}

/// `a`, `a and b`, `a, b and c` (with `conjunction` = `and`).
pub(crate) fn join_list(words: &[&str], conjunction: &str) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::ResponseOption;

    fn set(options: &[(Option<f64>, &str, Option<&str>)]) -> Matcher {
        Matcher::new(&ResponseSet {
            id: "s".into(),
            options: options
                .iter()
                .map(|&(value, label, code)| ResponseOption {
                    value,
                    label: label.into(),
                    code: code.map(Into::into),
                })
                .collect(),
            other_coding: None,
        })
    }

    fn phq() -> Matcher {
        set(&[
            (Some(0.0), "Not at all", Some("LA6568-5")),
            (Some(1.0), "Several days", Some("LA6569-3")),
            (Some(2.0), "More than half the days", Some("LA6570-1")),
            (Some(3.0), "Nearly every day", Some("LA6571-9")),
        ])
    }

    #[test]
    fn values_labels_and_codes_are_accepted() {
        let m = phq();
        assert_eq!(m.find(b"2"), Match::Option(2));
        assert_eq!(m.find(b" 2 "), Match::Option(2));
        assert_eq!(m.find(b"2.0"), Match::Option(2));
        assert_eq!(m.find(b"02"), Match::Option(2));
        assert_eq!(m.find(b"nearly EVERY day"), Match::Option(3));
        assert_eq!(m.find(b"  Several days\t"), Match::Option(1));
        assert_eq!(m.find(b"la6568-5"), Match::Option(0));
        assert_eq!(m.find("\u{a0}1\u{a0}".as_bytes()), Match::Option(1));
        assert_eq!(m.find(b"0002.000"), Match::Option(2));
        assert_eq!(m.find(b"0.0"), Match::Option(0));
    }

    #[test]
    fn decimal_and_negative_option_values_match_exactly() {
        let m = set(&[
            (Some(-1.0), "Less", None),
            (Some(0.5), "Half", None),
            (Some(1.25), "More", None),
        ]);
        assert_eq!(m.find(b"-1"), Match::Option(0));
        assert_eq!(m.find(b"-1.00"), Match::Option(0));
        assert_eq!(m.find(b"0.50"), Match::Option(1));
        assert_eq!(m.find(b"00.5"), Match::Option(1));
        assert_eq!(m.find(b"1.250"), Match::Option(2));
        assert_eq!(m.find(b"0.5000000000000000001"), Match::Unrecognised);
        assert_eq!(m.find(b"1"), Match::Unrecognised);
    }

    #[test]
    fn empty_and_whitespace_cells_are_empty() {
        let m = phq();
        assert_eq!(m.find(b""), Match::Empty);
        assert_eq!(m.find(b"   "), Match::Empty);
        assert_eq!(m.find("\u{a0}".as_bytes()), Match::Empty);
    }

    #[test]
    fn anything_else_is_no_match() {
        let m = phq();
        for bad in [
            &b"9"[..],
            b"4",
            b"-1",
            b"+1",
            b"1e0",
            b"1.",
            b".5",
            b"1.5",
            b"-0",
            b"0.9999999999999999999",
            b"1.0000000000000000001",
            b"2..0",
            b"1.2.0",
            b"Not at all sure",
            b"\xff",
            "\u{0661}".as_bytes(), // Arabic-Indic digit one
        ] {
            assert_eq!(
                m.find(bad),
                Match::Unrecognised,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn range_comes_from_declared_values() {
        assert_eq!(phq().range, Some((0.0, 3.0)));
        let audit9 = set(&[
            (Some(0.0), "No", None),
            (Some(2.0), "Yes, but not in the last year", None),
            (Some(4.0), "Yes, during the last year", None),
        ]);
        assert_eq!(audit9.range, Some((0.0, 4.0)));
        assert_eq!(audit9.find(b"1"), Match::Unrecognised);
        assert_eq!(audit9.find(b"4"), Match::Option(2));
        let unvalued = set(&[(None, "Yes", None), (None, "No", None)]);
        assert_eq!(unvalued.range, None);
    }

    #[test]
    fn expected_text_lists_values() {
        assert_eq!(
            phq().expected,
            "0, 1, 2, 3, or a label such as \"Not at all\""
        );
    }
}
