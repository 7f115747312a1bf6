//! CSV lines written straight into one buffer: the scores CSV's hot path.
//!
//! A field is quoted only when it must be, as the csv crate writes it by default: when it holds
//! the separator (a comma unless the style says otherwise), a double quote or a line break
//! (quotes inside are doubled). Lines end with `\n`. The buffer goes to the writer in large
//! blocks, so a row costs no system call and no second copy.

use std::io;

use super::style::{BOM, CsvStyle};

/// Size at which the buffer is handed to the writer.
const BLOCK: usize = 1 << 16;

/// Append `bytes` to `buf` as one field, quoted (quotes inside doubled) when it holds a byte
/// that `special` marks: the separator, a quote or a line break.
#[inline]
pub(crate) fn push_field(buf: &mut Vec<u8>, bytes: &[u8], special: &[bool; 256]) {
    if !bytes.iter().any(|&b| special[b as usize]) {
        buf.extend_from_slice(bytes);
        return;
    }
    buf.push(b'"');
    for part in bytes.split_inclusive(|&b| b == b'"') {
        buf.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            buf.push(b'"');
        }
    }
    buf.push(b'"');
}

/// Writes CSV lines field by field.
#[derive(Debug)]
pub(crate) struct LineWriter<W: io::Write> {
    out: W,
    buf: Vec<u8>,
    /// Whether the current line has a field yet.
    started: bool,
    style: CsvStyle,
    /// Bytes that make a field need quotes, in this style.
    special: [bool; 256],
}

impl<W: io::Write> LineWriter<W> {
    pub(crate) fn new(out: W) -> LineWriter<W> {
        let style = CsvStyle::default();
        LineWriter {
            out,
            buf: Vec::with_capacity(BLOCK + 4096),
            started: false,
            special: style.special(),
            style,
        }
    }

    /// Write in `style` from now on.
    pub(crate) fn set_style(&mut self, style: CsvStyle) {
        self.special = style.special();
        self.style = style;
    }

    /// The style written in.
    pub(crate) fn style(&self) -> &CsvStyle {
        &self.style
    }

    /// The bytes that make a field need quotes.
    pub(crate) fn special(&self) -> &[bool; 256] {
        &self.special
    }

    /// A UTF-8 byte-order mark, before anything else.
    pub(crate) fn bom(&mut self) {
        debug_assert!(self.buf.is_empty() && !self.started);
        self.buf.extend_from_slice(BOM);
    }

    /// The buffer, after the separator of a new field: for text the caller knows needs no
    /// quotes (numbers).
    #[inline]
    pub(crate) fn plain(&mut self) -> &mut Vec<u8> {
        if self.started {
            self.buf.push(self.style.delimiter());
        }
        self.started = true;
        &mut self.buf
    }

    /// A number, in the style's decimal mark (nothing when `None`).
    #[inline]
    pub(crate) fn number(&mut self, x: Option<f64>) {
        let style = self.style;
        let buf = self.plain();
        if let Some(x) = x {
            style.push_number(buf, x);
        }
    }

    /// A field, quoted if it must be.
    #[inline]
    pub(crate) fn field(&mut self, bytes: &[u8]) {
        let special = self.special;
        push_field(self.plain(), bytes, &special);
    }

    /// A field of text that is not a number screenscore wrote (a band, a flag, a note, a
    /// group's name): quoted if it must be, and with a leading `'` when a spreadsheet would take
    /// it for a formula (see [`super::safe`]).
    #[inline]
    pub(crate) fn text(&mut self, bytes: &[u8]) {
        self.field(&super::safe::spreadsheet_safe(bytes));
    }

    /// End the line; hand a full buffer to the writer.
    pub(crate) fn end(&mut self) -> io::Result<()> {
        self.buf.push(b'\n');
        self.started = false;
        if self.buf.len() >= BLOCK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Hand everything to the writer and flush it.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }

    /// Flush and return the writer.
    pub(crate) fn into_inner(mut self) -> io::Result<W> {
        self.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::LineWriter;
    use crate::output::{Bom, CsvStyle, DecimalMark};

    #[test]
    fn fields_are_quoted_as_the_csv_crate_quotes_them() {
        for delimiter in [b',', b';', b'\t'] {
            fields_are_quoted_as_the_csv_crate_quotes_them_with(delimiter);
        }
    }

    fn fields_are_quoted_as_the_csv_crate_quotes_them_with(delimiter: u8) {
        let fields: [&[u8]; 10] = [
            b"plain",
            b"",
            b"a,b",
            b"say \"hi\"",
            b"two\nlines",
            b"cr\r",
            b" spaced ",
            b"\"",
            b"a;b",
            b"tab\there",
        ];
        let mut ours = LineWriter::new(Vec::new());
        let decimal = if delimiter == b',' {
            DecimalMark::Point
        } else {
            DecimalMark::Comma
        };
        ours.set_style(CsvStyle::new(delimiter, Bom::Never, decimal).unwrap());
        let mut theirs = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(Vec::new());
        for _ in 0..2 {
            for field in fields {
                ours.field(field);
                theirs.write_field(field).unwrap();
            }
            ours.number(Some(12.5));
            theirs
                .write_field(if delimiter == b',' { "12.5" } else { "12,5" })
                .unwrap();
            ours.end().unwrap();
            theirs.write_record(None::<&[u8]>).unwrap();
        }
        assert_eq!(
            String::from_utf8(ours.into_inner().unwrap()).unwrap(),
            String::from_utf8(theirs.into_inner().unwrap()).unwrap()
        );
    }
}
