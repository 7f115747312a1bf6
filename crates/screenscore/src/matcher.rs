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

/// Which decimal marks a cell's number may use. A batch whose cells are separated by something
/// other than a comma (`;` from a spreadsheet in a German, French or Dutch locale) may hold
/// `2,0` for 2, as it may hold `2.0`; a comma-separated one cannot (`2,0` would be two cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Decimals {
    /// `2.0` only.
    #[default]
    Point,
    /// `2.0` and `2,0`.
    PointOrComma,
}

impl Decimals {
    /// The decimal marks a file separated by `delimiter` may hold in a cell.
    pub(crate) fn for_delimiter(delimiter: u8) -> Decimals {
        if delimiter == b',' {
            Decimals::Point
        } else {
            Decimals::PointOrComma
        }
    }
}

/// How many labels (and aliases) the message about an unrecognised answer lists.
const LABELS_LISTED: usize = 12;

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
    /// What the set accepts, for error messages: `0, 1, 2, 3, or a label: "Not at all", …`.
    pub(crate) expected: String,
    /// The position of the definition's response set this matcher was compiled from (an item
    /// given aliases for one run gets a matcher of its own, from the same set).
    pub(crate) set: usize,
}

#[derive(Debug, Clone)]
struct MatchOption {
    value: Option<f64>,
    value_text: Option<String>,
    /// The label, then the aliases: trimmed, and lowercased.
    texts: Vec<(String, String)>,
    code: Option<String>,
}

impl Matcher {
    /// The matcher of `set`, the response set at position `index` in its definition.
    pub(crate) fn new(set: &ResponseSet, index: usize) -> Matcher {
        let mut single_byte = [NONE; 256];
        let options: Vec<MatchOption> = set
            .options
            .iter()
            .map(|o| MatchOption {
                value: o.value,
                value_text: o.value.map(format_value),
                texts: std::iter::once(&o.label)
                    .chain(o.aliases.iter().map(|a| &a.label))
                    .map(|t| (t.trim().to_string(), t.trim().to_lowercase()))
                    .collect(),
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
            set: index,
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

    /// Match a raw cell: trimmed, then an option value (written with a decimal point), code,
    /// label or alias (case-insensitive).
    #[inline]
    pub(crate) fn find(&self, raw: &[u8]) -> Match {
        self.find_with(raw, Decimals::Point)
    }

    /// As [`Matcher::find`], a number's decimal mark being any of `decimals`.
    #[inline]
    pub(crate) fn find_with(&self, raw: &[u8], decimals: Decimals) -> Match {
        // The common cases first, inline: an empty cell, a one-byte value such as `2`.
        match raw {
            [] => Match::Empty,
            &[b] if self.single_byte[b as usize] != NONE => {
                Match::Option(u16::from(self.single_byte[b as usize]))
            }
            _ => self.find_slow(raw, decimals),
        }
    }

    fn find_slow(&self, raw: &[u8], decimals: Decimals) -> Match {
        let cell = trim(raw);
        if cell.is_empty() {
            return Match::Empty;
        }
        if cell.len() == 1 {
            let i = self.single_byte[cell[0] as usize];
            return if i == NONE {
                self.find_text(cell, decimals)
            } else {
                Match::Option(u16::from(i))
            };
        }
        self.find_text(cell, decimals)
    }

    fn find_text(&self, cell: &[u8], decimals: Decimals) -> Match {
        for (i, o) in self.options.iter().enumerate() {
            if o.value_text.as_deref().map(str::as_bytes) == Some(cell) {
                return Match::Option(i as u16);
            }
        }
        let number = match decimals {
            Decimals::PointOrComma if cell.contains(&b',') => decimal_with_mark(cell, b','),
            _ => plain_decimal(cell),
        };
        if let Some(number) = number
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
                if o.texts.iter().any(|(t, _)| t.eq_ignore_ascii_case(text))
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
                if o.texts.iter().any(|(_, l)| *l == lower)
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
    decimal_with_mark(cell, b'.')
}

/// As [`plain_decimal`], the decimal mark being `mark` (`2,5` with `,`).
fn decimal_with_mark(cell: &[u8], mark: u8) -> Option<String> {
    let (minus, body) = match cell.split_first() {
        Some((b'-', rest)) => ("-", rest),
        _ => ("", cell),
    };
    let (int, frac) = match body.iter().position(|&b| b == mark) {
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

/// `0, 1, 2, 3, or a label: "Not at all", "Several days", …`: every value, and every label, then
/// every alias, up to [`LABELS_LISTED`] (then how many more).
fn describe(options: &[MatchOption]) -> String {
    let values: Vec<&str> = options
        .iter()
        .filter_map(|o| o.value_text.as_deref())
        .collect();
    // Every option's label, then every option's aliases.
    let labels = options.iter().flat_map(|o| o.texts.first());
    let aliases = options.iter().flat_map(|o| o.texts.iter().skip(1));
    let texts: Vec<&str> = labels.chain(aliases).map(|(t, _)| t.as_str()).collect();
    let mut labels: Vec<String> = texts
        .iter()
        .take(LABELS_LISTED)
        .map(|t| format!("\"{t}\""))
        .collect();
    if texts.len() > LABELS_LISTED {
        labels.push(format!("… and {} more", texts.len() - LABELS_LISTED));
    }
    if values.is_empty() {
        return format!("one of {}", labels.join(", "));
    }
    format!("{}, or a label: {}", values.join(", "), labels.join(", "))
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
        Matcher::new(&response_set(options), 0)
    }

    fn response_set(options: &[(Option<f64>, &str, Option<&str>)]) -> ResponseSet {
        ResponseSet {
            id: "s".into(),
            options: options
                .iter()
                .map(|&(value, label, code)| ResponseOption {
                    value,
                    label: label.into(),
                    code: code.map(Into::into),
                    aliases: Vec::new(),
                })
                .collect(),
            other_coding: None,
        }
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
    fn expected_text_lists_values_and_every_label() {
        assert_eq!(
            phq().expected,
            "0, 1, 2, 3, or a label: \"Not at all\", \"Several days\", \"More than half the days\", \"Nearly every day\""
        );
        let unvalued = set(&[(None, "Yes", None), (None, "No", None)]);
        assert_eq!(unvalued.expected, "one of \"Yes\", \"No\"");
    }

    #[test]
    fn a_long_list_of_labels_is_cut_and_says_how_many_more() {
        let labels: Vec<String> = (0..15).map(|k| format!("L{k}")).collect();
        let options: Vec<(Option<f64>, &str, Option<&str>)> = labels
            .iter()
            .enumerate()
            .map(|(k, l)| (Some(k as f64), l.as_str(), None))
            .collect();
        assert_eq!(
            set(&options).expected,
            "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, or a label: \"L0\", \"L1\", \"L2\", \"L3\", \
             \"L4\", \"L5\", \"L6\", \"L7\", \"L8\", \"L9\", \"L10\", \"L11\", … and 3 more"
        );
    }

    #[test]
    fn aliases_are_accepted_and_listed_after_the_labels() {
        let mut set = response_set(&[
            (Some(0.0), "Not at all", None),
            (Some(3.0), "Nearly every day", None),
        ]);
        set.options[1].aliases.push(crate::definition::Alias {
            label: "Beinahe jeden Tag".into(),
            language: Some("de".into()),
            source: crate::definition::Source {
                reference: "a test".into(),
                evidence: crate::definition::Evidence::Secondary,
            },
        });
        let m = Matcher::new(&set, 0);
        assert_eq!(m.find(b"beinahe JEDEN tag"), Match::Option(1));
        assert_eq!(m.find("BEINAHE JEDEN TAG ".as_bytes()), Match::Option(1));
        assert_eq!(
            m.expected,
            "0, 3, or a label: \"Not at all\", \"Nearly every day\", \"Beinahe jeden Tag\""
        );
    }

    #[test]
    fn a_decimal_comma_is_read_only_when_the_batch_allows_it() {
        let m = phq();
        assert_eq!(Decimals::for_delimiter(b','), Decimals::Point);
        assert_eq!(Decimals::for_delimiter(b';'), Decimals::PointOrComma);
        assert_eq!(Decimals::for_delimiter(b'\t'), Decimals::PointOrComma);
        assert_eq!(m.find(b"2,0"), Match::Unrecognised);
        assert_eq!(m.find_with(b"2,0", Decimals::Point), Match::Unrecognised);
        assert_eq!(
            m.find_with(b"2,0", Decimals::PointOrComma),
            Match::Option(2)
        );
        assert_eq!(
            m.find_with(b" 03,00 ", Decimals::PointOrComma),
            Match::Option(3)
        );
        assert_eq!(
            m.find_with(b"2.0", Decimals::PointOrComma),
            Match::Option(2)
        );
        for bad in [&b"2,5"[..], b"2,", b",5", b"2,0,0", b"2.0,0"] {
            assert_eq!(
                m.find_with(bad, Decimals::PointOrComma),
                Match::Unrecognised,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
