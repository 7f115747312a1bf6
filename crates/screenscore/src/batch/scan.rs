//! The record loop both passes share: read the header once, then each record into one reused
//! buffer, scored into one reused sheet per instrument.

use std::io;

use crate::engine::Input;
use crate::norms::Respondent;
use crate::sheet::ScoreSheet;

use super::reader::RecordReader;
use super::record::Record;
use super::{Batch, BatchError, Layout, RowProblem};

/// Reads and scores records one at a time.
pub(crate) struct Scanner<'b, R: io::Read> {
    batch: &'b Batch,
    reader: RecordReader<R>,
    pub(crate) record: Record,
    pub(crate) layout: Layout,
    pub(crate) sheets: Vec<ScoreSheet<'b>>,
    /// 1-based number of the current record.
    pub(crate) number: u64,
    /// Why the current record is left unscored as a whole, if it is.
    pub(crate) problem: Option<RowProblem>,
    /// The header as read, to recognise a repeated header.
    header: Record,
}

impl<'b, R: io::Read> Scanner<'b, R> {
    /// Read the header and plan the columns.
    pub(crate) fn new(batch: &'b Batch, input: R) -> Result<Scanner<'b, R>, BatchError> {
        let mut reader = RecordReader::new(input, batch.delimiter);
        let mut record = Record::default();
        if !reader.read(&mut record).map_err(csv_error)? {
            return Err(BatchError::EmptyInput);
        }
        let first = record.get(0).unwrap_or_default();
        if first.starts_with(b"\xFF\xFE") || first.starts_with(b"\xFE\xFF") {
            return Err(BatchError::Utf16);
        }
        if record.as_slice().contains(&0) {
            return Err(BatchError::NotText);
        }
        let layout = batch.layout(&record.to_byte_record())?;
        Ok(Scanner {
            batch,
            reader,
            header: record.clone(),
            record,
            layout,
            sheets: batch.instruments.iter().map(ScoreSheet::new).collect(),
            number: 0,
            problem: None,
        })
    }

    /// Read and score the next record; `false` at the end of the input.
    pub(crate) fn advance(&mut self) -> Result<bool, BatchError> {
        if !self.reader.read(&mut self.record).map_err(csv_error)? {
            return Ok(false);
        }
        self.number += 1;
        self.problem = self.row_problem();
        for ((instrument, cols), sheet) in self
            .batch
            .instruments
            .iter()
            .zip(&self.layout.instruments)
            .zip(&mut self.sheets)
        {
            if self.problem.is_some() {
                sheet.mark_invalid();
                continue;
            }
            let input = RecordInput {
                record: &self.record,
                items: &cols.items,
                attributes: &cols.attributes,
                missing_codes: &self.batch.missing_codes,
            };
            instrument.score_into(&input, sheet);
        }
        Ok(true)
    }

    /// A different number of cells than the header (and over how many lines the record runs),
    /// or a repetition of the header.
    fn row_problem(&self) -> Option<RowProblem> {
        let width = self.layout.width();
        if self.record.len() != width {
            return Some(RowProblem::Shape {
                found: self.record.len(),
                expected: width,
                lines: self.record.lines,
            });
        }
        let same = |(cell, name): (&[u8], &[u8])| {
            let name = name.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(name);
            cell.trim_ascii() == name.trim_ascii()
        };
        let repeats = self.record.get(0).zip(self.header.get(0)).is_some_and(same)
            && self.record.iter().zip(self.header.iter()).all(same);
        repeats.then_some(RowProblem::RepeatedHeader)
    }

    /// The 1-based line where the current record starts.
    pub(crate) fn line(&self) -> u64 {
        self.record.line
    }

    /// The cell of column `c` of the current record, if any.
    pub(crate) fn cell(&self, c: Option<usize>) -> Option<&[u8]> {
        c.and_then(|c| self.record.get(c))
    }

    /// The respondent of the current record (for norm strata).
    pub(crate) fn respondent(&self) -> Respondent {
        Respondent::from_cells(self.cell(self.layout.sex), self.cell(self.layout.age))
    }
}

/// A read error, as the csv crate reports it.
fn csv_error(e: io::Error) -> BatchError {
    BatchError::Csv { source: e.into() }
}

struct RecordInput<'a> {
    record: &'a Record,
    items: &'a [Option<usize>],
    attributes: &'a [Option<usize>],
    missing_codes: &'a [String],
}

impl Input for RecordInput<'_> {
    #[inline]
    fn item(&self, item: usize) -> Option<&[u8]> {
        self.items[item].and_then(|c| self.record.get(c))
    }

    #[inline]
    fn attribute(&self, attribute: usize) -> Option<&[u8]> {
        self.attributes[attribute].and_then(|c| self.record.get(c))
    }

    fn is_missing_code(&self, cell: &[u8]) -> bool {
        self.missing_codes
            .iter()
            .any(|m| m.as_bytes().eq_ignore_ascii_case(cell))
    }
}
