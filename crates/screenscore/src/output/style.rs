//! How a CSV output is written for the spreadsheet that will open it: the cell separator, a
//! UTF-8 byte-order mark, and the decimal mark of numbers.
//!
//! Excel set to a German, French or Dutch locale saves CSV with `;` between cells, often with a
//! byte-order mark, and reads `2.5` as text or a date: it expects `2,5`. A file read that way
//! is best written back that way, so that the spreadsheet that made it opens the scores as
//! numbers in columns.

use std::fmt;

/// The UTF-8 byte-order mark.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether a CSV output begins with a UTF-8 byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bom {
    /// Never.
    #[default]
    Never,
    /// When the input began with one (known to writers that see the batch's
    /// [`Layout`](crate::batch::Layout); others write none, see [`CsvStyle::for_input`]).
    AsInput,
    /// Always.
    Always,
}

/// The decimal mark of numbers written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecimalMark {
    /// `2.5`.
    #[default]
    Point,
    /// `2,5`, as spreadsheets in many European locales read numbers. Whole numbers are written
    /// as they are (`12`).
    Comma,
}

/// A style that cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StyleError {
    /// The separator cannot separate cells.
    #[error(
        "{0:?} cannot separate cells: use an ASCII character other than a quote or a line break"
    )]
    Delimiter(char),
    /// Decimal commas in cells separated by commas: every number would be quoted, and a
    /// spreadsheet in a locale that reads decimal commas expects `;` between cells.
    #[error(
        "decimal commas need another cell separator than the comma (for example ';', as spreadsheets that read decimal commas save CSV)"
    )]
    DecimalCommaWithCommas,
}

/// How a CSV output is written: its cell separator, byte-order mark and decimal mark.
///
/// ```
/// use screenscore::batch::Batch;
/// use screenscore::output::{Bom, CsvStyle, CsvWriter, DecimalMark, StyleError};
/// use screenscore::Instrument;
///
/// // A file from Excel in a German locale: `;`, a byte-order mark.
/// let csv = "\u{feff}id;gad7_1;gad7_2;gad7_3;gad7_4;gad7_5;gad7_6;gad7_7\nA;1;1;1;1;1;1;1\n";
/// let batch = Batch::builder()
///     .instrument(Instrument::builtin("gad7")?.clone())
///     .delimiter(b';')
///     .standard(true)
///     .build()?;
/// let style = CsvStyle::new(b';', Bom::AsInput, DecimalMark::Comma)?;
/// let mut out = CsvWriter::new(Vec::new()).style(style);
/// batch.run(csv.as_bytes(), &mut [&mut out])?;
/// let text = String::from_utf8(out.into_inner()?)?;
/// assert!(text.starts_with("\u{feff}id;gad7_total;gad7_total_band;gad7_status;"));
/// let header: Vec<&str> = text.lines().next().unwrap().split(';').collect();
/// let row: Vec<&str> = text.lines().nth(1).unwrap().split(';').collect();
/// assert_eq!(row[..3], ["A", "7", "mild"]); // a whole score as it is
/// assert_eq!(header[7], "gad7_total_z");
/// assert!(row[7].contains(',') && !row[7].contains('.')); // z with a decimal comma
///
/// assert_eq!(
///     CsvStyle::new(b',', Bom::Never, DecimalMark::Comma),
///     Err(StyleError::DecimalCommaWithCommas)
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    delimiter: u8,
    bom: Bom,
    decimal: DecimalMark,
}

impl Default for CsvStyle {
    /// Commas, no byte-order mark, decimal points.
    fn default() -> CsvStyle {
        CsvStyle {
            delimiter: b',',
            bom: Bom::Never,
            decimal: DecimalMark::Point,
        }
    }
}

impl CsvStyle {
    /// A style; decimal commas need a separator other than the comma.
    pub fn new(delimiter: u8, bom: Bom, decimal: DecimalMark) -> Result<CsvStyle, StyleError> {
        if matches!(delimiter, b'"' | b'\n' | b'\r') || !delimiter.is_ascii() {
            return Err(StyleError::Delimiter(char::from(delimiter)));
        }
        if delimiter == b',' && decimal == DecimalMark::Comma {
            return Err(StyleError::DecimalCommaWithCommas);
        }
        Ok(CsvStyle {
            delimiter,
            bom,
            decimal,
        })
    }

    /// The cell separator.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Whether a byte-order mark is written.
    pub fn bom(&self) -> Bom {
        self.bom
    }

    /// The decimal mark of numbers.
    pub fn decimal(&self) -> DecimalMark {
        self.decimal
    }

    /// This style for an input that did or did not begin with a byte-order mark: `AsInput`
    /// becomes `Always` or `Never` (for writers that do not see the batch's layout).
    ///
    /// ```
    /// use screenscore::output::{Bom, CsvStyle, DecimalMark};
    ///
    /// let style = CsvStyle::new(b';', Bom::AsInput, DecimalMark::Comma)?;
    /// assert_eq!(style.for_input(true).bom(), Bom::Always);
    /// assert_eq!(style.for_input(false).bom(), Bom::Never);
    /// # Ok::<(), screenscore::output::StyleError>(())
    /// ```
    pub fn for_input(self, input_bom: bool) -> CsvStyle {
        CsvStyle {
            bom: match self.bom {
                Bom::AsInput if input_bom => Bom::Always,
                Bom::AsInput => Bom::Never,
                other => other,
            },
            ..self
        }
    }

    /// Whether a byte-order mark is written before the header, given the input's.
    pub(crate) fn writes_bom(&self, input_bom: bool) -> bool {
        match self.bom {
            Bom::Never => false,
            Bom::AsInput => input_bom,
            Bom::Always => true,
        }
    }

    /// Bytes that make a field need quotes: the separator, a quote, a line break.
    pub(crate) fn special(&self) -> [bool; 256] {
        let mut table = [false; 256];
        for b in [self.delimiter, b'"', b'\n', b'\r'] {
            table[usize::from(b)] = true;
        }
        table
    }

    /// Append the number `x` as a score is written (see `push_score`), with this style's
    /// decimal mark.
    pub(crate) fn push_number(&self, buf: &mut Vec<u8>, x: f64) {
        self.push_with(buf, |buf| super::number::push_score(buf, x));
    }

    /// Append a number written by `write` (with a decimal point: `push_rounded`,
    /// `push_percentile`, `push_change`) in this style's decimal mark.
    pub(crate) fn push_with(&self, buf: &mut Vec<u8>, write: impl FnOnce(&mut Vec<u8>)) {
        let start = buf.len();
        write(buf);
        if self.decimal == DecimalMark::Comma
            && let Some(point) = buf[start..].iter().position(|&b| b == b'.')
        {
            buf[start + point] = b',';
        }
    }

    /// A number's text as written in this style (`2.5` or `2,5`).
    pub(crate) fn number_text(&self, text: String) -> String {
        match self.decimal {
            DecimalMark::Point => text,
            DecimalMark::Comma => text.replacen('.', ",", 1),
        }
    }
}

impl fmt::Display for DecimalMark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DecimalMark::Point => "point",
            DecimalMark::Comma => "comma",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(style: CsvStyle, x: f64) -> String {
        let mut buf = Vec::new();
        style.push_number(&mut buf, x);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn numbers_take_the_decimal_mark_and_whole_ones_have_none() {
        let comma = CsvStyle::new(b';', Bom::Never, DecimalMark::Comma).unwrap();
        let point = CsvStyle::default();
        assert_eq!(written(comma, 12.0), "12");
        assert_eq!(written(comma, -3.0), "-3");
        assert_eq!(written(comma, 3.6), "3,6");
        assert_eq!(written(comma, -0.25), "-0,25");
        assert_eq!(written(comma, 61.57), "61,57");
        assert_eq!(written(point, 3.6), "3.6");
        assert_eq!(comma.number_text("0.3333".into()), "0,3333");
        assert_eq!(point.number_text("0.3333".into()), "0.3333");
    }

    #[test]
    fn the_separator_and_quotes_need_quoting() {
        let semicolon = CsvStyle::new(b';', Bom::Never, DecimalMark::Comma).unwrap();
        let special = semicolon.special();
        assert!(special[usize::from(b';')] && special[usize::from(b'"')]);
        assert!(!special[usize::from(b',')]);
        assert!(CsvStyle::default().special()[usize::from(b',')]);
        assert_eq!(
            CsvStyle::new(b'"', Bom::Never, DecimalMark::Point),
            Err(StyleError::Delimiter('"'))
        );
    }
}
