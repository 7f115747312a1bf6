//! What is said about a row besides its scores, as typed values with `Display`: why a row is
//! left unscored as a whole ([`RowProblem`]), how it differs from the header where that was
//! resolved ([`RowNote`]), every note of an instrument's administration ([`InstrumentNote`]),
//! and why an administration is not compared over time ([`ChangeNote`]).

use std::fmt;

use crate::date::{DateFormat, Timestamp};
use crate::sheet::Note;

use super::forms::FormNote;

/// The column in which an input says that a row could not be read (a resource `fhir flatten`
/// could not read or match): a row with text in it is `invalid` for every instrument.
pub const INPUT_ERROR: &str = "input_error";

/// Why a whole row is left unscored: `invalid` for every instrument, with one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowProblem {
    /// The row has a different number of cells than the header, so its cells may be shifted.
    Shape {
        /// Cells in the row.
        found: usize,
        /// Cells in the header.
        expected: usize,
        /// Lines the row spans: more than 1 when a quoted cell runs over several lines, as
        /// when a closing quote is missing and the rows after it were read into one cell.
        lines: u64,
    },
    /// The row repeats the header, as when two files were joined.
    RepeatedHeader,
    /// The input's own `input_error` column says the row could not be read (as `fhir flatten`
    /// writes for a resource that could not be read or matched).
    Marked,
    /// A quoted cell runs over a line break into text that looks like a row of its own: a
    /// closing quote is probably missing, and the rows after it were read into this one (whose
    /// cells may then line up with the header, holding another client's answers).
    SwallowedRow {
        /// The line the row starts on.
        start: u64,
        /// The line, inside the quoted cell, that looks like a row.
        line: u64,
    },
}

/// A difference between a row and the header that scoring resolves without guessing: cells
/// missing at the end of the row are empty, and empty cells past the header's last column are
/// ignored. Written in each instrument's notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowNote {
    /// The row lacks its last cells (as some exporters drop empty trailing cells); they are
    /// taken as empty.
    MissingTrailing {
        /// Cells in the row.
        found: usize,
        /// Cells in the header.
        expected: usize,
    },
    /// The row has empty cells past the header's last column (a trailing delimiter); they are
    /// ignored.
    ExtraEmpty {
        /// Cells in the row.
        found: usize,
        /// Cells in the header.
        expected: usize,
    },
}

impl fmt::Display for RowNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (found, expected, what) = match *self {
            RowNote::MissingTrailing { found, expected } => (found, expected, "missing"),
            RowNote::ExtraEmpty { found, expected } => (found, expected, "extra"),
        };
        let n = found.abs_diff(expected);
        let (cells, is) = if n == 1 {
            ("cell".to_string(), "is")
        } else {
            (format!("{n} cells"), "are")
        };
        let found_cells = if found == 1 { "cell" } else { "cells" };
        write!(
            f,
            "row has {found} {found_cells} but the header has {expected}; the {what} last {cells} "
        )?;
        match self {
            RowNote::MissingTrailing { .. } => write!(f, "{is} taken as empty"),
            RowNote::ExtraEmpty { .. } => write!(f, "{is} empty and ignored"),
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            RowProblem::Shape {
                found,
                expected,
                lines,
            } => {
                let cells = if found == 1 { "cell" } else { "cells" };
                write!(f, "row has {found} {cells} but the header has {expected}")?;
                if lines > 1 {
                    write!(
                        f,
                        ", and a quoted cell in it spans {lines} lines (is a closing quote missing?)"
                    )?;
                } else {
                    write!(f, "; its cells may be shifted")?;
                }
                write!(f, ", so nothing in it is scored")
            }
            RowProblem::RepeatedHeader => write!(
                f,
                "row repeats the header (were two files joined?), so nothing in it is scored"
            ),
            RowProblem::Marked => write!(
                f,
                "the input says this row could not be read (its {INPUT_ERROR} column says why), so nothing in it is scored"
            ),
            RowProblem::SwallowedRow { start, line } => write!(
                f,
                "a quoted cell of the row starting on line {start} runs on into line {line}, \
                 which looks like a row of its own: a closing quote is probably missing, so \
                 nothing in this row is scored (check lines {start} to {line})"
            ),
        }
    }
}

/// A note on one instrument's administration in a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InstrumentNote<'a> {
    /// How the row differs from the header.
    Row(RowNote),
    /// A note of the score sheet.
    Sheet(Note<'a>),
    /// What a form tool's export says of the administration.
    Form(FormNote<'a>),
}

impl fmt::Display for InstrumentNote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstrumentNote::Row(note) => note.fmt(f),
            InstrumentNote::Sheet(note) => note.fmt(f),
            InstrumentNote::Form(note) => note.fmt(f),
        }
    }
}

/// Why an administration is not compared with the client's others, or what was passed over.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum ChangeNote<'a> {
    /// The row has no client id.
    NoClient,
    /// The row has no date.
    NoDate,
    /// The row's date cannot be read in the run's date format.
    UnreadableDate {
        /// The cell, trimmed.
        cell: &'a str,
        /// The date format of the run.
        format: &'a DateFormat,
    },
    /// The client has another administration on the same date: neither is compared.
    Duplicate {
        /// The client's id, as shown.
        client: &'a str,
        /// The date they share.
        date: Option<Timestamp>,
        /// The other administrations' record numbers.
        others: Records<'a>,
    },
    /// The administration is invalid: it is not used for change.
    Unusable,
    /// An invalid earlier administration was passed over.
    Skipped {
        /// Its date.
        date: Option<Timestamp>,
        /// Its 1-based record number.
        record: u64,
    },
    /// The client's first administration: the baseline for later change.
    Baseline,
}

/// Record numbers (0-based rows, shown 1-based), joined by `, `.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Records<'a>(pub(crate) &'a [u32]);

impl fmt::Display for Records<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, row) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}", u64::from(*row) + 1)?;
        }
        Ok(())
    }
}

impl fmt::Display for ChangeNote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = |d: Option<Timestamp>| d.map_or(String::new(), |d| d.to_string());
        match *self {
            ChangeNote::NoClient => {
                f.write_str("no client id: not compared with other administrations")
            }
            ChangeNote::NoDate => f.write_str("no date: not compared with other administrations"),
            ChangeNote::UnreadableDate { cell, format } => write!(
                f,
                "\"{cell}\" is not a date of the form {}: not compared with other administrations",
                format.describe()
            ),
            ChangeNote::Duplicate {
                client,
                date: on,
                others,
            } => write!(
                f,
                "client {client} has another administration on {} (record {others}): neither is compared with other administrations",
                date(on)
            ),
            ChangeNote::Unusable => f.write_str("invalid: not used for change"),
            ChangeNote::Skipped { date: on, record } => write!(
                f,
                "the administration on {} (record {record}) is invalid and skipped",
                date(on)
            ),
            ChangeNote::Baseline => {
                f.write_str("first administration: the baseline for later change")
            }
        }
    }
}

/// A change note as a row's buffers keep it: the note, or an unreadable date, whose cell is
/// read from the row when the note is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NoteSlot<'a> {
    /// The note.
    Note(ChangeNote<'a>),
    /// The date cell could not be read in this format.
    UnreadableDate(&'a DateFormat),
}

impl<'a> NoteSlot<'a> {
    /// The note, `cell` being the row's date cell (trimmed).
    pub(crate) fn note(self, cell: &'a str) -> ChangeNote<'a> {
        match self {
            NoteSlot::Note(note) => note,
            NoteSlot::UnreadableDate(format) => ChangeNote::UnreadableDate { cell, format },
        }
    }
}
