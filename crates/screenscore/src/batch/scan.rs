//! The record loop both passes share: read the header once, then each record into a reused
//! [`Slot`], scored there by a [`Scorer`].

use std::hash::{DefaultHasher, Hasher};
use std::io;

use crate::definition::NormGroup;
use crate::engine::Input;
use crate::matcher::trim;
use crate::norms::{NormTable, Respondent};
use crate::sheet::{ScoreSheet, Status};

use super::history::Table;
use super::reader::RecordReader;
use super::record::Record;
use super::row::Extras;
use super::{Batch, BatchError, Layout, RowNote, RowProblem, ScoredRow, row_status};

/// One row's buffers, reused from row to row: the record as read and what was made of it.
pub(crate) struct Slot<'b> {
    /// 1-based number of the record.
    pub(crate) number: u64,
    pub(crate) record: Record,
    /// Why the record is left unscored as a whole, if it is.
    pub(crate) problem: Option<RowProblem>,
    /// How the record differs from the header where that is resolved.
    pub(crate) note: Option<RowNote>,
    /// A hash of the record's text, when the scanner keeps them (change over time compares
    /// the two passes' records).
    pub(crate) hash: u64,
    /// One sheet per instrument.
    pub(crate) sheets: Vec<ScoreSheet<'b>>,
    /// Standard scores and change, when on.
    pub(crate) extras: Extras<'b>,
    /// See [`ScoredRow::status`].
    status: Status,
    /// See [`ScoredRow::formula_free`].
    formula_free: bool,
}

impl<'b> Slot<'b> {
    pub(crate) fn new(batch: &'b Batch) -> Slot<'b> {
        let sizes: Vec<usize> = batch
            .instruments
            .iter()
            .map(|i| i.definition().scales.len())
            .collect();
        Slot {
            number: 0,
            record: Record::default(),
            problem: None,
            note: None,
            hash: 0,
            sheets: batch.instruments.iter().map(ScoreSheet::new).collect(),
            extras: Extras::sized(&sizes),
            status: Status::Absent,
            formula_free: false,
        }
    }

    /// The cell of column `c`, if any.
    pub(crate) fn cell(&self, c: Option<usize>) -> Option<&[u8]> {
        c.and_then(|c| self.record.get(c))
    }

    /// The row as sinks see it.
    pub(crate) fn row<'a>(&'a self, layout: &'a Layout) -> ScoredRow<'a> {
        ScoredRow {
            record: self.number,
            line: self.record.line,
            problem: self.problem,
            note: self.note,
            record_cells: &self.record,
            status: self.status,
            formula_free: self.formula_free,
            sheets: &self.sheets,
            layout,
            extras: &self.extras,
        }
    }
}

/// Reads records one at a time: the header first, then each record into a [`Slot`], with
/// what is wrong with its shape.
pub(crate) struct Scanner<R: io::Read> {
    reader: RecordReader<R>,
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

impl<R: io::Read> Scanner<R> {
    /// Read the header and plan the columns.
    pub(crate) fn new(batch: &Batch, input: R) -> Result<(Scanner<R>, Layout), BatchError> {
        let mut reader = RecordReader::new(input, batch.delimiter);
        let mut header = Record::default();
        if !reader.read(&mut header).map_err(csv_error)? {
            return Err(BatchError::EmptyInput);
        }
        let first = header.get(0).unwrap_or_default();
        if first.starts_with(b"\xFF\xFE") || first.starts_with(b"\xFE\xFF") {
            return Err(BatchError::Utf16);
        }
        if header.as_slice().contains(&0) {
            return Err(BatchError::NotText);
        }
        let layout = batch.layout(&header.to_byte_record())?;
        let scanner = Scanner {
            reader,
            header,
            number: 0,
            client: layout.client,
            hashing: false,
        };
        Ok((scanner, layout))
    }

    /// Hash every record's text into its slot, from now on.
    pub(crate) fn hashing(mut self) -> Scanner<R> {
        self.hashing = true;
        self
    }

    /// A hash of the header's text.
    pub(crate) fn header_hash(&self) -> u64 {
        hash(self.header.text())
    }

    /// Read the next record into `slot`; `false` at the end of the input.
    pub(crate) fn read(&mut self, slot: &mut Slot<'_>) -> Result<bool, BatchError> {
        if !self.reader.read(&mut slot.record).map_err(csv_error)? {
            return Ok(false);
        }
        self.number += 1;
        slot.number = self.number;
        (slot.problem, slot.note) = self.shape(&slot.record);
        if self.hashing {
            slot.hash = hash(slot.record.text());
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
        let (width, delimiter) = (self.header.len(), self.reader.delimiter());
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

/// Scores a record read into a [`Slot`]: each instrument, then standard scores and change when
/// they are on. Shared by the threads that score.
pub(crate) struct Scorer<'b, 't> {
    batch: &'b Batch,
    layout: &'t Layout,
    /// The reference group of each instrument's scales, when standard scores are on.
    groups: Option<Vec<Vec<Option<NormTable<'b>>>>>,
    /// Pass 1's histories, when change is on and this is pass 2.
    table: Option<&'t Table>,
}

impl<'b, 't> Scorer<'b, 't> {
    /// Scores only (pass 1 of change over time).
    pub(crate) fn scores(batch: &'b Batch, layout: &'t Layout) -> Scorer<'b, 't> {
        Scorer {
            batch,
            layout,
            groups: None,
            table: None,
        }
    }

    /// Scores, standard scores when on, and change from `table` when given.
    pub(crate) fn full(
        batch: &'b Batch,
        layout: &'t Layout,
        table: Option<&'t Table>,
    ) -> Scorer<'b, 't> {
        Scorer {
            batch,
            layout,
            groups: batch.standard.then(|| {
                let groups = batch.standard_groups();
                let prepare = |scales: Vec<Option<&'b NormGroup>>| {
                    scales.into_iter().map(|g| g.map(NormTable::new)).collect()
                };
                groups.into_iter().map(prepare).collect()
            }),
            table,
        }
    }

    /// The batch scored.
    pub(crate) fn batch(&self) -> &'b Batch {
        self.batch
    }

    pub(crate) fn score(&self, slot: &mut Slot<'b>) {
        for ((instrument, cols), sheet) in self
            .batch
            .instruments
            .iter()
            .zip(&self.layout.instruments)
            .zip(&mut slot.sheets)
        {
            if slot.problem.is_some() {
                sheet.mark_invalid();
                continue;
            }
            let input = RecordInput {
                record: &slot.record,
                items: &cols.items,
                attributes: &cols.attributes,
                missing_codes: &self.batch.missing_codes,
            };
            instrument.score_into(&input, sheet);
        }
        slot.status = row_status(&slot.sheets);
        slot.formula_free = ScoredRow::formula_free(&slot.record, self.layout);
        if self.groups.is_none() && self.table.is_none() {
            return;
        }
        let respondent =
            Respondent::from_cells(slot.cell(self.layout.sex), slot.cell(self.layout.age));
        if let Some(groups) = &self.groups {
            for (k, sheet) in slot.sheets.iter().enumerate() {
                for (s, scale) in sheet.scales.iter().enumerate() {
                    slot.extras.standard[k][s] = match (scale.score, &groups[k][s]) {
                        (Some(score), Some(table)) => table.place(score, &respondent).ok(),
                        _ => None,
                    };
                }
            }
        }
        if let Some(table) = self.table {
            let cell = self.layout.date.and_then(|c| slot.record.get(c));
            let date = std::str::from_utf8(cell.unwrap_or_default())
                .unwrap_or_default()
                .trim();
            table.fill(
                slot.number as usize - 1,
                self.batch,
                &respondent,
                date,
                &mut slot.extras,
            );
        }
    }
}

/// The hash both passes of change over time compare a record by.
fn hash(text: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write(text);
    hasher.finish()
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
