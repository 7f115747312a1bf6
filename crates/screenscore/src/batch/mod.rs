//! Batch scoring of CSV intake files: one output row per input row, in order, with a status.
//!
//! The header is read once and turned into a [`Layout`] (which column holds which item); every
//! row is then read into one reused record buffer and scored into one reused
//! [`ScoreSheet`](crate::ScoreSheet) per instrument, so memory stays flat however long the file.
//! What becomes of each row goes to [`RowSink`]s, which read it through the row model
//! ([`ScoredRow`], [`InstrumentRow`], [`ScaleRow`]): the writers of `screenscore::output`
//! (scores CSV, JSON Lines, bad-cell report) and `screenscore::clients`.
//!
//! Column conventions: item columns are `{instrument}_{item}` (matched case-insensitively,
//! after trimming and renaming); respondent attributes are read from a column named after the
//! attribute (`sex`); norm strata use the `sex` and `age` columns; every other column passes
//! through.
//!
//! Two optional stages follow scoring: standard scores ([`BatchBuilder::standard`], see
//! [`crate::norms`]) and change since each client's first and previous administrations
//! ([`BatchBuilder::history`], see [`crate::change`]). Change reads the input twice (pass 1
//! keeps one score per row and scale, pass 2 writes the rows in input order), so it needs an
//! input that can be rewound ([`Batch::run_with_history`]).
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

mod by_client;
mod change_stage;
mod coding;
mod column_map;
mod dates;
mod drive;
mod error;
mod forms;
mod history;
mod labels;
mod layout;
pub(crate) mod limit;
mod notes;
mod reader;
mod record;
mod row;
mod scan;
mod slot;
mod source;
mod standard;
mod warnings;

use std::collections::BTreeSet;
use std::io;

pub use crate::compile::AliasConflict;
pub use by_client::ByClient;
pub use change_stage::PreparedMethod;
pub(crate) use change_stage::ScaleMethods;
pub use coding::{CODING_ROWS, CodingCheck};
pub use column_map::ColumnMap;
pub use dates::{COMMON_LAYOUTS, DateTally, DateVerdict, Suggestion};
pub use error::BatchError;
pub use forms::{FormNote, FormPlan, FormStatus, FormTool, ItemAnswers, StatedScore};
pub use history::HistorySettings;
pub use labels::{LabelColumn, LabelProblem, Labels, LabelsError};
pub use layout::Layout;
pub use notes::{ChangeNote, INPUT_ERROR, InstrumentNote, Records, RowNote, RowProblem};
pub(crate) use reader::RecordReader;
pub use record::Record;
pub use row::{
    ChangeMethods, InstrumentRow, RowError, RowSink, ScaleChange, ScaleRow, ScoredRow, row_status,
};
pub use source::{CsvSource, Rewind, RowSource};
pub use warnings::{FileWarning, HeaderWarning};

use crate::definition::NormGroup;
use crate::instrument::Instrument;
use crate::norms::{LocalNorms, default_group};
use crate::sheet::Status;
use change_stage::ChangeStage;
use drive::drive;
use history::Table;
use scan::Scanner;
use slot::Stages;

/// The most threads a batch scores on: far more than scoring can use (it is bound by reading
/// the input), few enough that the blocks in flight stay within tens of megabytes.
pub const MAX_THREADS: usize = 64;

/// A configured batch: instruments, column renames, extra missing codes, and the optional
/// standard-score and change stages.
#[derive(Debug, Clone)]
pub struct Batch {
    instruments: Vec<Instrument>,
    delimiter: u8,
    column_map: ColumnMap,
    missing_codes: Vec<String>,
    standard: bool,
    /// `[instrument][scale]`: local norms, when given.
    local: Vec<Vec<Option<NormGroup>>>,
    norm_group: Option<String>,
    history: Option<HistorySettings>,
    threads: usize,
    /// A form tool's export: how it is read, per instrument.
    forms: Option<forms::Forms>,
}

/// Builds a [`Batch`].
#[derive(Debug, Clone, Default)]
pub struct BatchBuilder {
    instruments: Vec<Instrument>,
    delimiter: Option<u8>,
    column_map: ColumnMap,
    missing_codes: Vec<String>,
    standard: bool,
    local: Vec<LocalNorms>,
    norm_group: Option<String>,
    history: Option<HistorySettings>,
    threads: usize,
    labels: Labels,
    forms: Option<(FormTool, Vec<FormPlan>)>,
    require_complete: bool,
    export_columns: Option<BTreeSet<String>>,
}

impl BatchBuilder {
    /// Score this instrument (its columns are `{id}_{item}`).
    pub fn instrument(mut self, instrument: Instrument) -> BatchBuilder {
        self.instruments.push(instrument);
        self
    }

    /// The byte that separates cells (default `,`), for example `;` for files from a spreadsheet
    /// set to a European locale, or `\t`.
    pub fn delimiter(mut self, delimiter: u8) -> BatchBuilder {
        self.delimiter = Some(delimiter);
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

    /// Give every scored scale that has a reference group its standard scores.
    pub fn standard(mut self, on: bool) -> BatchBuilder {
        self.standard = on;
        self
    }

    /// Use local norms (built by `screenscore norms`) as a reference group; they give the
    /// standard scores of their instrument unless [`BatchBuilder::norm_group`] says otherwise.
    pub fn local_norms(mut self, norms: LocalNorms) -> BatchBuilder {
        self.local.push(norms);
        self
    }

    /// Give standard scores in the reference group with this id (`local` for local norms),
    /// where a scale has one.
    pub fn norm_group(mut self, id: impl Into<String>) -> BatchBuilder {
        self.norm_group = Some(id.into());
        self
    }

    /// Compute change since each client's first and previous administrations.
    ///
    /// ```
    /// use std::io::Cursor;
    /// use screenscore::batch::{Batch, HistorySettings};
    /// use screenscore::change::CutoffKind;
    /// use screenscore::date::DateFormat;
    /// use screenscore::output::CsvWriter;
    /// use screenscore::Instrument;
    ///
    /// let csv = "client,date,gad2_1,gad2_2\nA,2026-02-01,0,1\nA,2026-01-01,3,3\n";
    /// let batch = Batch::builder()
    ///     .instrument(Instrument::builtin("gad2")?.clone())
    ///     .history(HistorySettings {
    ///         client_column: "client".into(),
    ///         date_column: "date".into(),
    ///         date_format: DateFormat::Iso8601,
    ///         cutoff: CutoffKind::C,
    ///     })
    ///     .build()?;
    /// let mut out = CsvWriter::new(Vec::new());
    /// batch.run_with_history(Cursor::new(csv), &mut [&mut out])?;
    /// let text = String::from_utf8(out.into_inner()?).unwrap();
    /// // The first row (2026-02-01, total 1) is compared with 2026-01-01 (total 6): -5.
    /// assert!(text.lines().nth(1).unwrap().contains(",2026-01-01,-5,"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn history(mut self, settings: HistorySettings) -> BatchBuilder {
        self.history = Some(settings);
        self
    }

    /// The instruments given so far, in order.
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }

    /// Accept these other wordings of answers in this batch (a labels file): each instrument
    /// the file names gets them, checked as a definition's aliases are; lines naming an
    /// instrument that is not scored are not used (see [`Labels::instruments`]).
    pub fn labels(mut self, labels: Labels) -> BatchBuilder {
        self.labels = labels;
        self
    }

    /// Score on this many threads (default 1: all on the calling thread; at most
    /// [`MAX_THREADS`], as each thread keeps a block of rows in flight). With more, the
    /// calling thread reads the input and hands rows to the sinks, in input order, while the
    /// others score; the output is the same.
    ///
    /// ```
    /// use screenscore::batch::Batch;
    /// use screenscore::output::CsvWriter;
    /// use screenscore::Instrument;
    ///
    /// let mut csv = String::from("client,gad2_1,gad2_2\n");
    /// for i in 0..2000 {
    ///     csv.push_str(&format!("c{i},{},{}\n", i % 4, (i / 4) % 4));
    /// }
    /// let score = |threads| -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    ///     let gad2 = Instrument::builtin("gad2")?.clone();
    ///     let batch = Batch::builder().instrument(gad2).threads(threads).build()?;
    ///     let mut out = CsvWriter::new(Vec::new());
    ///     batch.run(csv.as_bytes(), &mut [&mut out])?;
    ///     Ok(out.into_inner()?)
    /// };
    /// assert_eq!(score(2)?, score(1)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn threads(mut self, threads: usize) -> BatchBuilder {
        self.threads = threads;
        self
    }

    /// Read the input as a form tool's export: per instrument, its answers coded the tool's
    /// way, the tool's own scores (compared with those computed) and each form's completion
    /// status and survey timestamp (see [`FormPlan`]).
    pub fn forms(mut self, tool: FormTool, plans: Vec<FormPlan>) -> BatchBuilder {
        self.forms = Some((tool, plans));
        self
    }

    /// The columns the form tool's export may have (lowercased): others are named in one
    /// warning (an export of another project, or a dictionary older than the export).
    pub fn export_columns(mut self, columns: BTreeSet<String>) -> BatchBuilder {
        self.export_columns = Some(columns);
        self
    }

    /// Score only forms marked complete (with [`BatchBuilder::forms`]): others are `absent`,
    /// with a note.
    pub fn require_complete(mut self, on: bool) -> BatchBuilder {
        self.require_complete = on;
        self
    }

    /// Check the configuration.
    pub fn build(mut self) -> Result<Batch, BatchError> {
        if !self.labels.is_empty() {
            for instrument in &mut self.instruments {
                *instrument = self.labels.apply(instrument)?;
            }
        }
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
        let mut local: Vec<Vec<Option<NormGroup>>> = self
            .instruments
            .iter()
            .map(|i| vec![None; i.definition().scales.len()])
            .collect();
        for norms in self.local {
            let Some(k) = self
                .instruments
                .iter()
                .position(|i| i.id() == norms.instrument)
            else {
                return Err(BatchError::Norms(format!(
                    "the norms are for `{}`, which is not among the instruments scored",
                    crate::compile::shown(&norms.instrument)
                )));
            };
            norms
                .check(&self.instruments[k])
                .map_err(BatchError::Norms)?;
            for (scale, group) in norms.scales {
                if let Some(s) = self.instruments[k].scale_index(&scale) {
                    local[k][s] = Some(group);
                }
            }
        }
        if let Some(id) = &self.norm_group {
            let known = self.instruments.iter().zip(&local).any(|(i, local)| {
                i.definition()
                    .scales
                    .iter()
                    .zip(local)
                    .any(|(scale, local)| scale.norms.iter().chain(local).any(|g| g.id == *id))
            });
            if !known {
                return Err(BatchError::Norms(format!(
                    "no scale of the instruments scored has a reference group `{id}`"
                )));
            }
        }
        let delimiter = self.delimiter.unwrap_or(b',');
        if matches!(delimiter, b'"' | b'\n' | b'\r') || !delimiter.is_ascii() {
            return Err(BatchError::Delimiter {
                delimiter: char::from(delimiter),
            });
        }
        let forms = self
            .forms
            .map(|(tool, plans)| {
                forms::Forms::new(tool, self.require_complete, plans, &self.instruments)
            })
            .transpose()?
            .map(|mut forms: forms::Forms| {
                forms.columns = self.export_columns.take();
                forms
            });
        Ok(Batch {
            forms,
            instruments: self.instruments,
            delimiter,
            column_map: self.column_map,
            missing_codes: self.missing_codes,
            standard: self.standard,
            local,
            norm_group: self.norm_group,
            history: self.history,
            threads: self.threads.clamp(1, MAX_THREADS),
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

impl Batch {
    /// Start configuring a batch.
    pub fn builder() -> BatchBuilder {
        BatchBuilder::default()
    }

    /// The instruments, in the order given.
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }

    /// Whether change over time is on (then use [`Batch::run_with_history`]).
    pub fn has_history(&self) -> bool {
        self.history.is_some()
    }

    /// Read CSV from `input`, score every row, and hand each to every sink, in order.
    ///
    /// Returns the counts; fails only when the input cannot be read at all (no header, a header
    /// naming no item column of any instrument, duplicate item columns) or output cannot be
    /// written. Rows already handed to the sinks stay written. With change over time on, use
    /// [`Batch::run_with_history`].
    pub fn run(
        &self,
        input: impl io::Read,
        sinks: &mut [&mut dyn RowSink],
    ) -> Result<Summary, BatchError> {
        self.run_source(CsvSource::new(input, self.delimiter), sinks)
    }

    /// As [`Batch::run`], the rows read from `source`.
    pub fn run_source(
        &self,
        source: impl RowSource,
        sinks: &mut [&mut dyn RowSink],
    ) -> Result<Summary, BatchError> {
        if self.history.is_some() {
            return Err(BatchError::NeedsRewind);
        }
        self.write(source, None, sinks)
    }

    /// As [`Batch::run`], with change since each client's first and previous administrations:
    /// the input is read twice.
    pub fn run_with_history<R: io::Read + io::Seek>(
        &self,
        input: R,
        sinks: &mut [&mut dyn RowSink],
    ) -> Result<Summary, BatchError> {
        self.run_source_with_history(CsvSource::new(input, self.delimiter), sinks)
    }

    /// As [`Batch::run_with_history`], the rows read from `source`, twice.
    pub fn run_source_with_history(
        &self,
        source: impl Rewind,
        sinks: &mut [&mut dyn RowSink],
    ) -> Result<Summary, BatchError> {
        let Some(settings) = &self.history else {
            return self.write(source, None, sinks);
        };
        let (table, mut source) = Table::collect(self, source)?;
        source.rewind()?;
        let stage = ChangeStage::new(&self.instruments, &self.local, settings, &table);
        self.write(source, Some(&stage), sinks)
    }

    /// The reference group giving standard scores, per instrument and scale.
    fn standard_groups(&self) -> Vec<Vec<Option<&NormGroup>>> {
        self.instruments
            .iter()
            .zip(&self.local)
            .map(|(instrument, local)| {
                instrument
                    .definition()
                    .scales
                    .iter()
                    .zip(local)
                    .map(|(scale, local)| match &self.norm_group {
                        Some(id) => scale.norms.iter().chain(local).find(|g| g.id == *id),
                        None => local.as_ref().or_else(|| default_group(scale)),
                    })
                    .collect()
            })
            .collect()
    }

    /// Score and write every row (pass 2 when change is on).
    fn write(
        &self,
        source: impl RowSource,
        change: Option<&ChangeStage<'_>>,
        sinks: &mut [&mut dyn RowSink],
    ) -> Result<Summary, BatchError> {
        let (mut scan, layout) = Scanner::new(self, source)?;
        let table = change.map(ChangeStage::table);
        if let Some(table) = table {
            scan = scan.hashing();
            table.check_header(scan.header_hash())?;
        }
        for sink in sinks.iter_mut() {
            sink.begin(&layout, &self.instruments)?;
        }
        let stages = Stages::full(self, &layout, change);
        let mut summary = Summary::default();
        drive(&mut scan, &stages, self.threads, |slot| {
            if let Some(table) = table {
                table.check_row(slot.number, slot.record.line, slot.hash)?;
            }
            let row = slot.row(&layout);
            summary.count(row.status());
            for sink in sinks.iter_mut() {
                sink.row(&row)?;
            }
            Ok(())
        })?;
        if let Some(table) = table {
            table.check_rows(summary.rows)?;
        }
        for sink in sinks.iter_mut() {
            sink.finish()?;
        }
        Ok(summary)
    }
}
