//! The row model: what a [`RowSink`] sees of each row, as typed views. A [`ScoredRow`] gives
//! its cells and, per instrument, an [`InstrumentRow`] (the score sheet, status, flags, errors
//! with their column names, notes, the change method and notes), which gives per scale a
//! [`ScaleRow`] (the score, its standard score, its change). Every writer reads these views; no
//! index into parallel vectors leaves this module.
//!
//! ```
//! use std::io;
//! use screenscore::batch::{Batch, Layout, RowSink, ScoredRow};
//! use screenscore::Instrument;
//!
//! /// Each row's GAD-2 total and whether it screens positive.
//! struct Totals(Vec<(Option<f64>, bool)>);
//!
//! impl RowSink for Totals {
//!     fn begin(&mut self, _: &Layout, _: &[Instrument]) -> io::Result<()> { Ok(()) }
//!     fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
//!         for gad2 in row.instruments() {
//!             let total = gad2.scales().next().and_then(|s| s.score.score());
//!             self.0.push((total, gad2.flags().any(|r| r.id == "positive_screen")));
//!         }
//!         Ok(())
//!     }
//!     fn finish(&mut self) -> io::Result<()> { Ok(()) }
//! }
//!
//! let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
//! let mut totals = Totals(Vec::new());
//! batch.run("gad2_1,gad2_2\n0,1\n3,3\n".as_bytes(), &mut [&mut totals])?;
//! assert_eq!(totals.0, [(Some(1.0), false), (Some(6.0), true)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io;

use crate::change::Change;
use crate::date::Timestamp;
use crate::definition::Rule;
use crate::instrument::Instrument;
use crate::norms::StandardScore;
use crate::sheet::{DataError, ScaleScore, ScoreSheet, Status};

use super::Layout;
use super::change_stage::PreparedMethod;
use super::forms::FormNote;
use super::notes::{ChangeNote, InstrumentNote, NoteSlot, RowNote, RowProblem};
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

/// Change of one scale since the client's first and previous administrations.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScaleChange<'a> {
    /// The first administration's date and the change since it.
    pub first: Option<(Timestamp, Change)>,
    /// The previous administration's date and the change since it.
    pub previous: Option<(Timestamp, Change)>,
    /// How change is computed for this scale and respondent (when the administration is
    /// compared at all).
    pub method: Option<&'a PreparedMethod>,
}

/// What the stages after scoring give one instrument in one row (buffers reused row to row).
#[derive(Debug, Default)]
pub(crate) struct InstrumentExtras<'a> {
    /// Per scale: the standard score, when standard scores are on.
    pub(crate) standard: Vec<Option<StandardScore<'a>>>,
    /// Per scale: the change, when change is on.
    pub(crate) change: Vec<ScaleChange<'a>>,
    /// Why the administration is not compared, or what was skipped.
    pub(crate) notes: Vec<NoteSlot<'a>>,
    /// What the form tool's export says of the administration.
    pub(crate) form: Vec<FormNote<'a>>,
}

impl InstrumentExtras<'_> {
    /// Buffers for an instrument of `scales` scales.
    pub(crate) fn sized(scales: usize) -> Self {
        InstrumentExtras {
            standard: vec![None; scales],
            change: vec![ScaleChange::default(); scales],
            notes: Vec::new(),
            form: Vec::new(),
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
    pub(crate) cells: &'a Record,
    /// The row's status across instruments ([`row_status`] of `sheets`).
    pub(crate) status: Status,
    /// Whether no pass-through cell starts like a spreadsheet formula (decided only for a
    /// plain record as wide as the header; `false` otherwise).
    pub(crate) formula_free: bool,
    pub(crate) sheets: &'a [ScoreSheet<'a>],
    pub(crate) layout: &'a Layout,
    pub(crate) extras: &'a [InstrumentExtras<'a>],
    /// The row's date, when change is on and it is readable.
    pub(crate) date: Option<Timestamp>,
}

impl<'a> ScoredRow<'a> {
    /// The row's status across instruments.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The layout of the batch.
    pub fn layout(&self) -> &'a Layout {
        self.layout
    }

    /// Every instrument's view of the row, in the order the batch was given them.
    pub fn instruments(&self) -> impl ExactSizeIterator<Item = InstrumentRow<'a>> + '_ {
        (0..self.sheets.len()).map(|k| self.instrument(k))
    }

    /// Instrument `k`'s view of the row.
    pub fn instrument(&self, k: usize) -> InstrumentRow<'a> {
        InstrumentRow {
            index: k,
            sheet: &self.sheets[k],
            extras: &self.extras[k],
            problem: self.problem,
            note: self.note,
            layout: self.layout,
            date_cell: self
                .layout
                .date_text(self.layout.date.and_then(|c| self.cells.get(c))),
        }
    }

    /// One sheet per instrument, in the order the batch was given them.
    pub fn sheets(&self) -> &'a [ScoreSheet<'a>] {
        self.sheets
    }

    /// The cell of column `column` (an index into [`Layout::names`]) as read, before
    /// trimming; `None` when the row is shorter.
    ///
    /// ```
    /// use std::io;
    /// use screenscore::batch::{Batch, Layout, RowSink, ScoredRow};
    /// use screenscore::Instrument;
    ///
    /// /// The `note` column of every row.
    /// struct Notes(Option<usize>, Vec<String>);
    ///
    /// impl RowSink for Notes {
    ///     fn begin(&mut self, layout: &Layout, _: &[Instrument]) -> io::Result<()> {
    ///         self.0 = layout.names().iter().position(|n| n == "note");
    ///         Ok(())
    ///     }
    ///     fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
    ///         let cell = self.0.and_then(|c| row.get(c)).unwrap_or_default();
    ///         self.1.push(String::from_utf8_lossy(cell).into_owned());
    ///         Ok(())
    ///     }
    ///     fn finish(&mut self) -> io::Result<()> { Ok(()) }
    /// }
    ///
    /// let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
    /// let mut notes = Notes(None, Vec::new());
    /// batch.run("gad2_1,gad2_2,note\n0,1, late \n2,2\n".as_bytes(), &mut [&mut notes])?;
    /// assert_eq!(notes.1, [" late ", ""]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self, column: usize) -> Option<&'a [u8]> {
        self.cells.get(column)
    }

    /// The cells passed through, in output order (empty for cells a short row lacks).
    pub fn passthrough(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let cells = self.cells;
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
        let record = self.cells;
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

    /// The client's id (the client column, trimmed), when change over time is on: bytes, as
    /// ids are compared (an id need not be UTF-8; show it with `String::from_utf8_lossy`).
    pub fn client(&self) -> Option<&'a [u8]> {
        let cell = self.cells.get(self.layout.client?)?;
        Some(crate::matcher::trim(cell))
    }

    /// The respondent's sex and age, from the `sex` and `age` columns.
    pub(crate) fn respondent(&self) -> crate::norms::Respondent {
        crate::norms::Respondent::from_cells(
            self.layout.sex.and_then(|c| self.cells.get(c)),
            self.layout.age.and_then(|c| self.cells.get(c)),
        )
    }

    /// The administration's date, when change over time is on and the date is readable.
    pub fn date(&self) -> Option<Timestamp> {
        self.date
    }
}

/// One instrument's administration in a row.
#[derive(Debug, Clone, Copy)]
pub struct InstrumentRow<'a> {
    index: usize,
    sheet: &'a ScoreSheet<'a>,
    extras: &'a InstrumentExtras<'a>,
    problem: Option<RowProblem>,
    note: Option<RowNote>,
    layout: &'a Layout,
    date_cell: &'a str,
}

impl<'a> InstrumentRow<'a> {
    /// The instrument's position among the batch's instruments.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The instrument.
    pub fn instrument(&self) -> &'a Instrument {
        self.sheet.instrument()
    }

    /// The score sheet.
    pub fn sheet(&self) -> &'a ScoreSheet<'a> {
        self.sheet
    }

    /// The administration's status.
    pub fn status(&self) -> Status {
        self.sheet.status()
    }

    /// The rules raised, in the order of the definition.
    pub fn flags(&self) -> impl ExactSizeIterator<Item = &'a Rule> + 'a {
        self.sheet.flags()
    }

    /// The flags raised, each with its words (see [`Flag`](crate::Flag)): what a person
    /// reads about a flag, where [`InstrumentRow::flags`] gives the rules.
    pub fn raised(&self) -> impl ExactSizeIterator<Item = crate::Flag<'a>> + 'a {
        self.sheet.raised()
    }

    /// What is wrong with the administration: the row's problem when the whole row is left
    /// unscored, else every bad cell, with its column.
    pub fn errors(&self) -> impl Iterator<Item = RowError<'a>> + 'a {
        let (sheet, layout, k, problem) = (self.sheet, self.layout, self.index, self.problem);
        let cells = sheet
            .errors()
            .filter(move |_| problem.is_none())
            .map(move |error| RowError::Cell {
                column: layout.column_name(k, error.item_index()).unwrap_or("?"),
                error,
            });
        problem.map(RowError::Row).into_iter().chain(cells)
    }

    /// The notes: how the row differs from the header (when scoring resolved it), then the
    /// sheet's own [`Note`](crate::Note)s, then what a form tool's export says of the
    /// administration.
    pub fn notes(&self) -> impl Iterator<Item = InstrumentNote<'a>> + 'a {
        let row = self.note.map(InstrumentNote::Row);
        row.into_iter()
            .chain(self.sheet.notes().map(InstrumentNote::Sheet))
            .chain(self.extras.form.iter().map(|&n| InstrumentNote::Form(n)))
    }

    /// Every scale, in the order of the definition.
    pub fn scales(&self) -> impl ExactSizeIterator<Item = ScaleRow<'a>> + 'a {
        let extras = self.extras;
        self.sheet.scales().map(move |score| {
            let s = score.index();
            ScaleRow {
                score,
                standard: extras.standard.get(s).and_then(Option::as_ref),
                change: extras.change.get(s).unwrap_or(&NO_CHANGE),
            }
        })
    }

    /// How change is computed, per scale (`scale: method | …`), when the administration is
    /// compared with others.
    pub fn change_method(&self) -> ChangeMethods<'a> {
        ChangeMethods(self.sheet, self.extras)
    }

    /// Why the administration is not compared with others, or what was skipped.
    pub fn change_notes(&self) -> impl ExactSizeIterator<Item = ChangeNote<'a>> + 'a {
        let cell = self.date_cell;
        self.extras.notes.iter().map(move |note| note.note(cell))
    }
}

static NO_CHANGE: ScaleChange<'static> = ScaleChange {
    first: None,
    previous: None,
    method: None,
};

/// One scale of one administration.
#[derive(Debug, Clone, Copy)]
pub struct ScaleRow<'a> {
    /// The score, band and missing-data account.
    pub score: ScaleScore<'a>,
    /// The standard score, when standard scores are on and a reference group fits.
    pub standard: Option<&'a StandardScore<'a>>,
    /// The change since the client's first and previous administrations (empty when change is
    /// off or the administration is not compared).
    pub change: &'a ScaleChange<'a>,
}

/// A problem of an administration: the row's, or a bad cell's.
#[derive(Debug, Clone, Copy)]
pub enum RowError<'a> {
    /// The whole row is left unscored.
    Row(RowProblem),
    /// A cell holds something that is not an answer.
    Cell {
        /// Its column, as named in the input.
        column: &'a str,
        /// What is wrong with it.
        error: DataError<'a>,
    },
}

impl<'a> RowError<'a> {
    /// The column (empty for a row's problem).
    pub fn column(&self) -> &'a str {
        match self {
            RowError::Row(_) => "",
            RowError::Cell { column, .. } => column,
        }
    }

    /// The cell as found (empty for a row's problem).
    pub fn value(&self) -> &'a str {
        match self {
            RowError::Row(_) => "",
            RowError::Cell { error, .. } => error.value(),
        }
    }
}

impl fmt::Display for RowError<'_> {
    /// The message: the row's problem, or the cell's (`"9" is not an answer …`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowError::Row(problem) => problem.fmt(f),
            RowError::Cell { error, .. } => error.fmt(f),
        }
    }
}

/// How change is computed for an instrument: `scale: method`, joined by ` | `, for the scales
/// whose change was computed (empty when the administration is not compared).
#[derive(Debug, Clone, Copy)]
pub struct ChangeMethods<'a>(&'a ScoreSheet<'a>, &'a InstrumentExtras<'a>);

impl fmt::Display for ChangeMethods<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (scale, change) in self.0.scales().zip(&self.1.change) {
            if let Some(method) = change.method {
                if !first {
                    f.write_str(" | ")?;
                }
                first = false;
                write!(f, "{}: {method}", scale.id())?;
            }
        }
        Ok(())
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
