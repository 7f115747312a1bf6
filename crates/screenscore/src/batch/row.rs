//! What a [`RowSink`] sees of each row: its cells, its score sheets, and, when asked for,
//! standard scores and change since earlier administrations.

use std::io;

use crate::change::Change;
use crate::date::Timestamp;
use crate::instrument::Instrument;
use crate::norms::StandardScore;
use crate::sheet::{Note, ScoreSheet, Status};

use super::Layout;
use super::record::Record;

/// The status of a row across instruments: `invalid` if any is invalid, else `incomplete` if
/// any is incomplete, else `ok` if any is scored, else `absent`.
pub fn row_status(sheets: &[ScoreSheet<'_>]) -> Status {
    let statuses = || sheets.iter().map(ScoreSheet::status);
    if statuses().any(|s| s == Status::Invalid) {
        Status::Invalid
    } else if statuses().any(|s| s == Status::Incomplete) {
        Status::Incomplete
    } else if statuses().any(|s| s == Status::Ok) {
        Status::Ok
    } else {
        Status::Absent
    }
}

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

impl std::fmt::Display for RowNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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
            RowProblem::SwallowedRow { start, line } => write!(
                f,
                "a quoted cell of the row starting on line {start} runs on into line {line}, \
                 which looks like a row of its own: a closing quote is probably missing, so \
                 nothing in this row is scored (check lines {start} to {line})"
            ),
        }
    }
}

/// Change of one scale since the client's first and previous administrations.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScaleChange {
    /// The first administration's date and the change since it.
    pub first: Option<(Timestamp, Change)>,
    /// The previous administration's date and the change since it.
    pub previous: Option<(Timestamp, Change)>,
}

/// Standard scores and change of one row, per instrument and scale (buffers reused row to row).
#[derive(Debug, Default)]
pub(crate) struct Extras<'b> {
    /// `[instrument][scale]`.
    pub(crate) standard: Vec<Vec<Option<StandardScore<'b>>>>,
    /// `[instrument][scale]`.
    pub(crate) change: Vec<Vec<ScaleChange>>,
    /// `[instrument]`: how change is computed, per scale.
    pub(crate) methods: Vec<String>,
    /// `[instrument]`: why an administration is not compared, or what was skipped.
    pub(crate) notes: Vec<Vec<String>>,
    /// The row's date, when change is on and it is readable.
    pub(crate) date: Option<Timestamp>,
}

impl Extras<'_> {
    pub(crate) fn sized(scales: &[usize]) -> Self {
        Extras {
            standard: scales.iter().map(|&n| vec![None; n]).collect(),
            change: scales
                .iter()
                .map(|&n| vec![ScaleChange::default(); n])
                .collect(),
            methods: vec![String::new(); scales.len()],
            notes: vec![Vec::new(); scales.len()],
            date: None,
        }
    }
}

/// One scored row, as a [`RowSink`] sees it.
#[derive(Debug)]
pub struct ScoredRow<'a> {
    /// 1-based data record number (the header is record 0).
    pub record: u64,
    /// 1-based line where the record starts.
    pub line: u64,
    /// Why the whole row is left unscored, if it is (it is then `invalid` for every
    /// instrument).
    pub problem: Option<RowProblem>,
    /// How the row differs from the header where scoring resolved it (written in the notes).
    pub note: Option<RowNote>,
    pub(crate) record_cells: &'a Record,
    /// The row's status across instruments ([`row_status`] of `sheets`).
    pub(crate) status: Status,
    /// Whether no pass-through cell starts like a spreadsheet formula (decided only for a
    /// plain record as wide as the header; `false` otherwise).
    pub(crate) formula_free: bool,
    pub(crate) sheets: &'a [ScoreSheet<'a>],
    pub(crate) layout: &'a Layout,
    pub(crate) extras: &'a Extras<'a>,
}

impl<'a> ScoredRow<'a> {
    /// The cells passed through, in output order (empty for cells a short row lacks).
    pub fn passthrough(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let cells = self.record_cells;
        self.layout
            .passthrough
            .iter()
            .map(move |&c| cells.get(c).unwrap_or_default())
    }

    /// The cells passed through, as runs of the input's raw text (commas included), when that
    /// text is how they are written: a comma-separated record without quotes and as wide as the
    /// header, none of whose pass-through cells starts like a spreadsheet formula (unless
    /// `formulas` are fine). `None` otherwise: write [`ScoredRow::passthrough`] cell by cell.
    pub(crate) fn passthrough_raw(&self, formulas: bool) -> Option<impl Iterator<Item = &'a [u8]>> {
        let record = self.record_cells;
        if !record.plain || record.len() != self.layout.width() {
            return None;
        }
        if !formulas && !self.formula_free {
            return None;
        }
        Some(
            self.layout
                .passthrough_runs
                .iter()
                .map(|&(from, to)| record.raw_cells(from, to).unwrap_or_default()),
        )
    }

    /// Whether no pass-through cell of a plain `record` as wide as the header starts like a
    /// spreadsheet formula (read from the raw text: no cell is looked up).
    pub(crate) fn formula_free(record: &Record, layout: &Layout) -> bool {
        let formula = |c: &usize| {
            matches!(
                record.first_byte(*c),
                Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
            )
        };
        record.plain && record.len() == layout.width() && !layout.passthrough.iter().any(formula)
    }

    /// One sheet per instrument, in the order the batch was given them.
    pub fn sheets(&self) -> &'a [ScoreSheet<'a>] {
        self.sheets
    }

    /// The status of the row across instruments.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The layout of the batch.
    pub fn layout(&self) -> &'a Layout {
        self.layout
    }

    /// The column name of item `item` of instrument `k` (for a bad cell).
    pub fn column_name(&self, k: usize, item: usize) -> &'a str {
        self.layout.column_name(k, item).unwrap_or("?")
    }

    /// The notes of instrument `k` in this row: how the row differs from the header (when
    /// scoring resolved it), then the sheet's own [`Note`]s.
    pub fn notes(&self, k: usize) -> impl Iterator<Item = InstrumentNote<'a>> + 'a {
        let row = self.note.map(InstrumentNote::Row);
        let sheet = self.sheets[k].notes().map(InstrumentNote::Sheet);
        row.into_iter().chain(sheet)
    }

    /// The message for a row left unscored as a whole.
    pub fn problem_message(&self) -> Option<String> {
        self.problem.map(|p| p.to_string())
    }

    /// The client's id (the client column, trimmed), when change over time is on: bytes, as
    /// ids are compared (an id need not be UTF-8; show it with `String::from_utf8_lossy`).
    pub fn client(&self) -> Option<&'a [u8]> {
        let cell = self.record_cells.get(self.layout.client?)?;
        Some(crate::matcher::trim(cell))
    }

    /// The administration's date, when change over time is on and the date is readable.
    pub fn date(&self) -> Option<Timestamp> {
        self.extras.date
    }

    /// The standard score of scale `s` of instrument `k`, when standard scores are on and the
    /// scale has a score and a reference group that fits the respondent.
    pub fn standard(&self, k: usize, s: usize) -> Option<&StandardScore<'a>> {
        self.extras.standard.get(k)?.get(s)?.as_ref()
    }

    /// The change of scale `s` of instrument `k` since the client's first and previous
    /// administrations, when change is on.
    pub fn change(&self, k: usize, s: usize) -> Option<&ScaleChange> {
        self.extras.change.get(k)?.get(s)
    }

    /// How change is computed for instrument `k` (per scale), when change is on.
    pub fn change_method(&self, k: usize) -> &str {
        self.extras.methods.get(k).map_or("", String::as_str)
    }

    /// Why this administration of instrument `k` is not compared, or what was skipped.
    pub fn change_notes(&self, k: usize) -> &[String] {
        self.extras.notes.get(k).map_or(&[], Vec::as_slice)
    }
}

/// A note on one instrument's administration in a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InstrumentNote<'a> {
    /// How the row differs from the header.
    Row(RowNote),
    /// A note of the score sheet.
    Sheet(Note<'a>),
}

impl std::fmt::Display for InstrumentNote<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstrumentNote::Row(note) => note.fmt(f),
            InstrumentNote::Sheet(note) => note.fmt(f),
        }
    }
}

/// Receives the header and then every scored row, in input order.
pub trait RowSink {
    /// Called once, before the first row.
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()>;
    /// Called for every row.
    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()>;
    /// Called once after the last row.
    fn finish(&mut self) -> io::Result<()>;
}
