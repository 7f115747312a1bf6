//! Batch scoring of CSV intake files: one output row per input row, in order, with a status.
//!
//! The header is read once and turned into a [`Layout`] (which column holds which item); every
//! row is then read into one reused record buffer and scored into one reused [`ScoreSheet`] per
//! instrument, so memory stays flat however long the file. What becomes of each row goes to
//! [`RowSink`]s: the writers in [`crate::output`] (scores CSV, JSON Lines, bad-cell report).
//!
//! Column conventions: item columns are `{instrument}_{item}` (matched case-insensitively,
//! after trimming and renaming); respondent attributes are read from a column named after the
//! attribute (`sex`); every other column passes through.
//!
//! ```
//! use screenscore::batch::Batch;
//! use screenscore::output::CsvWriter;
//! use screenscore::Instrument;
//!
//! let csv = "client,gad7_1,gad7_2,gad7_3,gad7_4,gad7_5,gad7_6,gad7_7\n\
//!            c1,3,0,1,2,0,0,1\n\
//!            c2,3,0,9,2,0,0,1\n";
//! let batch = Batch::builder().instrument(Instrument::builtin("gad7")?.clone()).build()?;
//! let mut out = CsvWriter::new(Vec::new());
//! let summary = batch.run(csv.as_bytes(), &mut [&mut out])?;
//!
//! assert_eq!(summary.rows, 2);
//! assert_eq!(summary.invalid, 1);
//! let text = String::from_utf8(out.into_inner()?).unwrap();
//! assert!(text.starts_with("client,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes\n"));
//! assert!(text.contains("\nc1,7,mild,ok,,,\n"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod column_map;
mod layout;

use std::io;

pub use column_map::ColumnMap;
pub use layout::Layout;

use crate::engine::Input;
use crate::instrument::Instrument;
use crate::sheet::{ScoreSheet, Status};

/// Errors that stop a batch before or while it runs (a bad cell never does: it is reported
/// in its row).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The input has no header row.
    #[error("the input is empty: expected a header row naming the columns")]
    EmptyInput,
    /// No requested instrument has a single item column in the header.
    #[error(
        "no column of any requested instrument is in the header (expected columns such as {expected}); \
         use --map to rename columns"
    )]
    NoInstrumentColumns {
        /// Examples of expected column names.
        expected: String,
    },
    /// Two header columns name the same item or attribute.
    #[error(
        "column `{column}` appears twice in the header (columns {first} and {second}); which one holds the answers is unclear"
    )]
    DuplicateColumn {
        /// The column name.
        column: String,
        /// 1-based position of the first.
        first: usize,
        /// 1-based position of the second.
        second: usize,
    },
    /// The same instrument was requested twice.
    #[error("instrument `{id}` is requested twice")]
    DuplicateInstrument {
        /// The instrument id.
        id: String,
    },
    /// An extra missing code is also an answer of some item.
    #[error(
        "missing code \"{code}\" is also an answer in {instrument} (response set `{set}`); it cannot mean missing"
    )]
    MissingCodeIsAnswer {
        /// The code.
        code: String,
        /// The instrument.
        instrument: String,
        /// The response set that accepts it.
        set: String,
    },
    /// The CSV could not be read.
    #[error("cannot read the input{}: {source}", position(source))]
    Csv {
        /// The underlying error.
        #[source]
        source: csv::Error,
    },
    /// A column map file is not valid.
    #[error("column map, line {line}: {message}")]
    ColumnMap {
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// Writing output failed.
    #[error("cannot write the output: {0}")]
    Write(#[from] io::Error),
}

fn position(e: &csv::Error) -> String {
    match e.position() {
        Some(p) => format!(" at line {} (record {})", p.line(), p.record()),
        None => String::new(),
    }
}

/// A configured batch: instruments, column renames, extra missing codes.
#[derive(Debug, Clone)]
pub struct Batch {
    instruments: Vec<Instrument>,
    column_map: ColumnMap,
    missing_codes: Vec<String>,
}

/// Builds a [`Batch`].
#[derive(Debug, Clone, Default)]
pub struct BatchBuilder {
    instruments: Vec<Instrument>,
    column_map: ColumnMap,
    missing_codes: Vec<String>,
}

impl BatchBuilder {
    /// Score this instrument (its columns are `{id}_{item}`).
    pub fn instrument(mut self, instrument: Instrument) -> BatchBuilder {
        self.instruments.push(instrument);
        self
    }

    /// Rename input columns before planning (for example `PHQ9_Q1` → `phq9_1`).
    pub fn column_map(mut self, map: ColumnMap) -> BatchBuilder {
        self.column_map = map;
        self
    }

    /// Treat this cell value as missing for every item (in addition to each instrument's own
    /// missing codes), for example `-99` or `NA`.
    pub fn missing_code(mut self, code: impl Into<String>) -> BatchBuilder {
        self.missing_codes.push(code.into().trim().to_string());
        self
    }

    /// Check the configuration.
    pub fn build(self) -> Result<Batch, BatchError> {
        for (i, a) in self.instruments.iter().enumerate() {
            if self.instruments[..i].iter().any(|b| b.id() == a.id()) {
                return Err(BatchError::DuplicateInstrument {
                    id: a.id().to_string(),
                });
            }
            for code in &self.missing_codes {
                if let Some(set) = a.answer_set_accepting(code) {
                    return Err(BatchError::MissingCodeIsAnswer {
                        code: code.clone(),
                        instrument: a.id().to_string(),
                        set: set.to_string(),
                    });
                }
            }
        }
        Ok(Batch {
            instruments: self.instruments,
            column_map: self.column_map,
            missing_codes: self.missing_codes,
        })
    }
}

/// Counts of a finished batch. `rows = ok + incomplete + invalid + absent`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Data rows read (the header not counted).
    pub rows: u64,
    /// Rows where every instrument present was scored.
    pub ok: u64,
    /// Rows where some instrument could not be scored under its missing-data rule.
    pub incomplete: u64,
    /// Rows with a bad cell (or the wrong number of cells).
    pub invalid: u64,
    /// Rows where no requested instrument was administered.
    pub absent: u64,
}

impl Summary {
    fn count(&mut self, status: Status) {
        self.rows += 1;
        match status {
            Status::Ok => self.ok += 1,
            Status::Incomplete => self.incomplete += 1,
            Status::Invalid => self.invalid += 1,
            Status::Absent => self.absent += 1,
        }
    }
}

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

/// One scored row, as a [`RowSink`] sees it.
#[derive(Debug)]
pub struct ScoredRow<'a> {
    /// 1-based data record number (the header is record 0).
    pub record: u64,
    /// 1-based line where the record starts.
    pub line: u64,
    /// When the row has a different number of cells than the header: `(found, expected)`.
    /// Such a row is `invalid` for every instrument: its cells may be shifted.
    pub shape: Option<(usize, usize)>,
    record_cells: &'a csv::ByteRecord,
    sheets: &'a [ScoreSheet<'a>],
    layout: &'a Layout,
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

    /// One sheet per instrument, in the order the batch was given them.
    pub fn sheets(&self) -> &'a [ScoreSheet<'a>] {
        self.sheets
    }

    /// The status of the row across instruments.
    pub fn status(&self) -> Status {
        row_status(self.sheets)
    }

    /// The layout of the batch.
    pub fn layout(&self) -> &'a Layout {
        self.layout
    }

    /// The column name of item `item` of instrument `k` (for a bad cell).
    pub fn column_name(&self, k: usize, item: usize) -> &'a str {
        self.layout.column_name(k, item).unwrap_or("?")
    }

    /// The message for a row whose shape is wrong.
    pub fn shape_message(&self) -> Option<String> {
        self.shape.map(|(found, expected)| {
            format!(
                "row has {found} cells but the header has {expected}; its cells may be shifted, so nothing in it is scored"
            )
        })
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

struct RecordInput<'a> {
    record: &'a csv::ByteRecord,
    items: &'a [Option<usize>],
    attributes: &'a [Option<usize>],
    missing_codes: &'a [String],
}

impl Input for RecordInput<'_> {
    fn item(&self, item: usize) -> Option<&[u8]> {
        self.items[item].and_then(|c| self.record.get(c))
    }

    fn attribute(&self, attribute: usize) -> Option<&[u8]> {
        self.attributes[attribute].and_then(|c| self.record.get(c))
    }

    fn is_missing_code(&self, cell: &[u8]) -> bool {
        self.missing_codes
            .iter()
            .any(|m| m.as_bytes().eq_ignore_ascii_case(cell))
    }
}

impl Batch {
    /// Start configuring a batch.
    pub fn builder() -> BatchBuilder {
        BatchBuilder::default()
    }

    /// The instruments, in the order given.
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }

    /// Read CSV from `input`, score every row, and hand each to every sink, in order.
    ///
    /// Returns the counts; fails only when the input cannot be read at all (no header, a header
    /// naming no item column of any instrument, duplicate item columns) or output cannot be
    /// written. Rows already handed to the sinks stay written.
    pub fn run(
        &self,
        input: impl io::Read,
        sinks: &mut [&mut dyn RowSink],
    ) -> Result<Summary, BatchError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut record = csv::ByteRecord::new();
        if !reader
            .read_byte_record(&mut record)
            .map_err(|source| BatchError::Csv { source })?
        {
            return Err(BatchError::EmptyInput);
        }
        let layout = self.layout(&record)?;
        for sink in sinks.iter_mut() {
            sink.begin(&layout, &self.instruments)?;
        }
        let mut sheets: Vec<ScoreSheet<'_>> =
            self.instruments.iter().map(ScoreSheet::new).collect();
        let mut summary = Summary::default();
        let width = layout.width();
        let mut number = 0u64;
        while reader
            .read_byte_record(&mut record)
            .map_err(|source| BatchError::Csv { source })?
        {
            number += 1;
            let line = record.position().map_or(0, |p| p.line());
            let shape = (record.len() != width).then_some((record.len(), width));
            for ((instrument, cols), sheet) in self
                .instruments
                .iter()
                .zip(&layout.instruments)
                .zip(&mut sheets)
            {
                if shape.is_some() {
                    sheet.mark_invalid();
                    continue;
                }
                let input = RecordInput {
                    record: &record,
                    items: &cols.items,
                    attributes: &cols.attributes,
                    missing_codes: &self.missing_codes,
                };
                instrument.score_into(&input, sheet);
            }
            let row = ScoredRow {
                record: number,
                line,
                shape,
                record_cells: &record,
                sheets: &sheets,
                layout: &layout,
            };
            summary.count(row.status());
            for sink in sinks.iter_mut() {
                sink.row(&row)?;
            }
        }
        for sink in sinks.iter_mut() {
            sink.finish()?;
        }
        Ok(summary)
    }

    /// Plan the columns of a header record.
    pub fn layout(&self, header: &csv::ByteRecord) -> Result<Layout, BatchError> {
        let names = header
            .iter()
            .enumerate()
            .map(|(c, raw)| {
                let raw = if c == 0 {
                    raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
                } else {
                    raw
                };
                let name = String::from_utf8_lossy(raw).trim().to_string();
                self.column_map.rename(&name).unwrap_or(name)
            })
            .collect();
        Layout::new(names, &self.instruments)
    }
}
