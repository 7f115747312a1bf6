//! Reading a source's records one at a time into slots: the header once (and the columns it
//! plans), then each record with what is wrong with its shape.

use std::hash::{DefaultHasher, Hasher};

use crate::matcher::trim;

use super::record::Record;
use super::slot::Slot;
use super::source::RowSource;
use super::{Batch, BatchError, Layout, RowNote, RowProblem};

/// Reads records one at a time: the header first, then each record into a [`Slot`], with
/// what is wrong with its shape.
pub(crate) struct Scanner<S> {
    source: S,
    /// Records read.
    number: u64,
    /// The header as read, to recognise a repeated header.
    header: Record,
    /// The client column, when change over time is on (a client id inside a quoted cell is a
    /// sign of a swallowed row).
    client: Option<usize>,
    /// Whether each record's text is hashed into its slot.
    hashing: bool,
}

impl<S: RowSource> Scanner<S> {
    /// Read the header and plan the columns.
    pub(crate) fn new(batch: &Batch, mut source: S) -> Result<(Scanner<S>, Layout), BatchError> {
        let mut header = Record::default();
        if !source.header(&mut header)? {
            return Err(BatchError::EmptyInput);
        }
        let first = header.get(0).unwrap_or_default();
        if first.starts_with(b"\xFF\xFE") || first.starts_with(b"\xFE\xFF") {
            return Err(BatchError::Utf16);
        }
        if header.as_slice().contains(&0) {
            return Err(BatchError::NotText);
        }
        let mut layout = batch.layout(&header.to_byte_record())?;
        layout.set_byte_order_mark(source.byte_order_mark());
        let scanner = Scanner {
            source,
            header,
            number: 0,
            client: layout.client,
            hashing: false,
        };
        Ok((scanner, layout))
    }

    /// Hash every record's text into its slot, from now on.
    pub(crate) fn hashing(mut self) -> Scanner<S> {
        self.hashing = true;
        self
    }

    /// A hash of the header's text.
    pub(crate) fn header_hash(&self) -> u64 {
        hash(&self.header)
    }

    /// The source, to read it again.
    pub(crate) fn into_source(self) -> S {
        self.source
    }

    /// Read the next record into `slot`; `false` at the end of the input.
    pub(crate) fn read(&mut self, slot: &mut Slot<'_>) -> Result<bool, BatchError> {
        let read = self.source.record(&mut slot.record).map_err(|e| match e {
            BatchError::LineTooLong { line, .. } => BatchError::LineTooLong {
                line,
                record: self.number + 1,
            },
            e => e,
        })?;
        if !read {
            return Ok(false);
        }
        self.number += 1;
        // A source serving records out of input order gives each its number in the input.
        slot.number = match slot.record.number {
            0 => self.number,
            n => n,
        };
        (slot.problem, slot.note) = self.shape(&slot.record);
        if self.hashing {
            slot.hash = hash(&slot.record);
        }
        Ok(true)
    }

    /// What is wrong with the record's shape, or how it differs from the header where that is
    /// resolved without guessing: a different number of cells than the header (and over how
    /// many lines the record runs), a quoted cell that swallowed rows, a repetition of the
    /// header.
    fn shape(&self, record: &Record) -> (Option<RowProblem>, Option<RowNote>) {
        // The header's cells are the layout's columns.
        let (found, expected) = (record.len(), self.header.len());
        if found != expected {
            // On one line, a row short of cells lacks only its last ones (their delimiters are
            // missing, not a cell in the middle); cells past the header's last that are empty
            // hold nothing to shift.
            if record.lines == 1 {
                if found < expected {
                    return (None, Some(RowNote::MissingTrailing { found, expected }));
                }
                let empty = |c| record.get(c).is_some_and(|cell| trim(cell).is_empty());
                if (expected..found).all(empty) {
                    return (None, Some(RowNote::ExtraEmpty { found, expected }));
                }
            }
            let problem = RowProblem::Shape {
                found,
                expected,
                lines: record.lines,
            };
            return (Some(problem), None);
        }
        if record.lines > 1
            && let Some(line) = self.swallowed(record)
        {
            let start = record.line;
            return (Some(RowProblem::SwallowedRow { start, line }), None);
        }
        (
            self.repeats_header(record)
                .then_some(RowProblem::RepeatedHeader),
            None,
        )
    }

    /// The line, inside a quoted cell, that looks like a row of its own: it holds as many
    /// delimiters as a row, or (when the client column is known) a client id where a row holds
    /// it (a word without spaces, before the delimiter that ends the client's cell).
    fn swallowed(&self, record: &Record) -> Option<u64> {
        let width = self.header.len();
        let delimiter = self.source.delimiter()?;
        if width < 2 {
            return None;
        }
        let looks_like_row = |text: &[u8]| {
            let delimiters = text.iter().filter(|&&b| b == delimiter).count();
            if delimiters >= width - 1 {
                return true;
            }
            let Some(c) = self.client else { return false };
            let mut fields = text.split(|&b| b == delimiter);
            let client = fields.nth(c).map(trim).unwrap_or_default();
            delimiters > c && !client.is_empty() && !client.iter().any(u8::is_ascii_whitespace)
        };
        let mut line = record.line;
        for cell in record.iter() {
            let mut rest = cell;
            while let Some(at) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
                let after = if rest[at..].starts_with(b"\r\n") {
                    at + 2
                } else {
                    at + 1
                };
                rest = &rest[after..];
                line += 1;
                let end = rest
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .unwrap_or(rest.len());
                if looks_like_row(&rest[..end]) {
                    return Some(line);
                }
            }
        }
        None
    }

    /// Whether the record repeats the header.
    fn repeats_header(&self, record: &Record) -> bool {
        let same = |(cell, name): (&[u8], &[u8])| {
            let name = name.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(name);
            cell.trim_ascii() == name.trim_ascii()
        };
        record.get(0).zip(self.header.get(0)).is_some_and(same)
            && record.iter().zip(self.header.iter()).all(same)
    }
}

/// The hash both readings of change over time compare a record by: its text as read, or, from
/// a source without text, its cells.
fn hash(record: &Record) -> u64 {
    let mut hasher = DefaultHasher::new();
    if record.raw.is_empty() {
        for cell in record.iter() {
            hasher.write_usize(cell.len());
            hasher.write(cell);
        }
    } else {
        hasher.write(record.text());
    }
    hasher.finish()
}
