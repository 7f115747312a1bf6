//! Other wordings of answers for one run: a small CSV `instrument,item,value,label` (the
//! `--labels` file), checked as a definition's `aliases` are.
//!
//! A practice whose forms print `Nearly everyday`, or whose form tool exports its own words,
//! gives them here instead of editing a validated definition. Each line makes `label` one more
//! way of writing the answer `value` of one item; the definition is not changed, and the item's
//! other answers and the other items are not touched.

use std::fmt;
use std::io;
use std::path::Path;

use crate::compile::{AliasConflict, RunAlias};
use crate::instrument::Instrument;

use super::BatchError;
use super::column_map::small_csv_delimiter;
use super::reader::RecordReader;
use super::record::Record;

/// The columns of a labels file, in order.
const HEADER: [&str; 4] = ["instrument", "item", "value", "label"];

/// Aliases for one run, read from a labels file.
///
/// ```
/// use screenscore::batch::{Batch, Labels};
/// use screenscore::output::CsvWriter;
/// use screenscore::Instrument;
///
/// let labels = Labels::from_csv(
///     b"instrument,item,value,label\ngad2,1,3,Nearly everyday\ngad2,2,3,Nearly everyday\n",
///     b',',
/// )?;
/// let batch = Batch::builder()
///     .instrument(Instrument::builtin("gad2")?.clone())
///     .labels(labels)
///     .build()?;
/// let mut out = CsvWriter::new(Vec::new());
/// batch.run("gad2_1,gad2_2\nNearly everyday,nearly EVERYDAY\n".as_bytes(), &mut [&mut out])?;
/// let text = String::from_utf8(out.into_inner()?)?;
/// assert_eq!(text.lines().nth(1), Some("6,ok,positive_screen,,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    entries: Vec<Entry>,
    origin: String,
}

/// One line of a labels file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    line: u64,
    instrument: String,
    item: String,
    value: String,
    label: String,
}

/// A column of a labels file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelColumn {
    /// `instrument`: the instrument's id.
    Instrument,
    /// `item`: the item's id (`9`) or its column (`phq9_9`).
    Item,
    /// `value`: the answer the label means (its value, or its label or code).
    Value,
    /// `label`: the other wording.
    Label,
}

impl LabelColumn {
    /// The column's name in the file.
    ///
    /// ```
    /// use screenscore::batch::{Batch, BatchError, LabelColumn, Labels};
    /// use screenscore::Instrument;
    ///
    /// let labels = Labels::from_csv(b"instrument,item,value,label\nphq9,99,3,x\n", b',')?;
    /// let phq9 = Instrument::builtin("phq9")?.clone();
    /// let Err(BatchError::Labels(err)) = Batch::builder().instrument(phq9).labels(labels).build()
    /// else {
    ///     panic!("item 99 of the PHQ-9 was accepted");
    /// };
    /// assert_eq!((err.line, err.column.map(LabelColumn::as_str)), (2, Some("item")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            LabelColumn::Instrument => "instrument",
            LabelColumn::Item => "item",
            LabelColumn::Value => "value",
            LabelColumn::Label => "label",
        }
    }
}

/// What is wrong with a line of a labels file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LabelProblem {
    /// The file has no header.
    Empty,
    /// The header is not `instrument,item,value,label`.
    Header {
        /// The header found, its cells joined by commas.
        found: String,
    },
    /// A line does not have four cells.
    Cells {
        /// The cells found.
        found: usize,
    },
    /// The instrument has no such item.
    UnknownItem {
        /// The item as given.
        item: String,
        /// The instrument.
        instrument: String,
    },
    /// The value names no answer of the item.
    UnknownAnswer {
        /// The value as given.
        value: String,
        /// What the item accepts.
        expected: String,
    },
    /// The label cannot be accepted for that answer.
    Alias(AliasConflict),
}

impl fmt::Display for LabelProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelProblem::Empty => {
                f.write_str("the file is empty: expected the header `instrument,item,value,label`")
            }
            LabelProblem::Header { found } => write!(
                f,
                "expected the header `instrument,item,value,label`, found `{found}`"
            ),
            LabelProblem::Cells { found } => write!(
                f,
                "expected 4 cells (instrument,item,value,label), found {found}"
            ),
            LabelProblem::UnknownItem { item, instrument } => {
                write!(f, "`{instrument}` has no item `{item}`")
            }
            LabelProblem::UnknownAnswer { value, expected } => write!(
                f,
                "\"{value}\" is not an answer to this item (expected {expected})"
            ),
            LabelProblem::Alias(conflict) => conflict.fmt(f),
        }
    }
}

/// A labels file that cannot be used, with the line and column of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct LabelsError {
    /// The file (its path, or `labels`).
    pub origin: String,
    /// The 1-based line.
    pub line: u64,
    /// The column, when the problem is in one cell.
    pub column: Option<LabelColumn>,
    /// What is wrong.
    pub problem: LabelProblem,
}

impl LabelsError {
    fn describe(&self) -> String {
        match self.column {
            Some(column) => format!(
                "{}, line {}, column `{}`: {}",
                self.origin,
                self.line,
                column.as_str(),
                self.problem
            ),
            None => format!("{}, line {}: {}", self.origin, self.line, self.problem),
        }
    }
}

impl Labels {
    /// Read a labels file from `path` (a regular file of at most
    /// [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES)), separated by commas or, when its header is
    /// one cell holding it, by the data's `delimiter` (`instrument;item;value;label`).
    pub fn from_path(path: impl AsRef<Path>, delimiter: u8) -> Result<Labels, BatchError> {
        let path = path.as_ref();
        let bytes = crate::small_file::read(path).map_err(|source| BatchError::Read {
            what: "labels file",
            path: path.to_path_buf(),
            source,
        })?;
        Labels::parse(&bytes, delimiter, path.display().to_string())
    }

    /// Read a labels file from CSV text: the header `instrument,item,value,label`, then one
    /// alias a line (a line whose first cell starts with `#` is a comment). Cells are
    /// separated by commas or, when the header is one cell holding it, by the data's
    /// `delimiter`. Messages name it `labels`.
    ///
    /// ```
    /// use screenscore::batch::{LabelColumn, Labels, LabelProblem};
    ///
    /// let labels = Labels::from_csv(b"instrument;item;value;label\nphq9;9;3;Nearly everyday\n", b';')?;
    /// assert_eq!(labels.len(), 1);
    ///
    /// let err = Labels::from_csv(b"instrument,item,value,label\nphq9,9\n", b',').unwrap_err();
    /// assert_eq!(err.to_string(), "labels, line 2: expected 4 cells (instrument,item,value,label), found 2");
    /// # Ok::<(), screenscore::batch::BatchError>(())
    /// ```
    pub fn from_csv(input: &[u8], delimiter: u8) -> Result<Labels, BatchError> {
        Labels::parse(input, delimiter, "labels".to_string())
    }

    fn parse(input: &[u8], delimiter: u8, origin: String) -> Result<Labels, BatchError> {
        let csv_error = |e: io::Error| BatchError::Csv { source: e.into() };
        let fail = |line, problem| {
            BatchError::Labels(LabelsError {
                origin: origin.clone(),
                line,
                column: None,
                problem,
            })
        };
        let mut reader = RecordReader::new(input, small_csv_delimiter(input, delimiter));
        let mut record = Record::default();
        if !reader.read(&mut record).map_err(csv_error)? {
            return Err(fail(1, LabelProblem::Empty));
        }
        let header: Vec<String> = record
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_lowercase())
            .collect();
        if header != HEADER {
            let found: Vec<String> = record
                .iter()
                .map(|h| String::from_utf8_lossy(h).into_owned())
                .collect();
            let found = found.join(",");
            return Err(fail(record.line, LabelProblem::Header { found }));
        }
        let mut entries = Vec::new();
        while reader.read(&mut record).map_err(csv_error)? {
            let comment = record
                .get(0)
                .is_some_and(|c| c.trim_ascii().starts_with(b"#"));
            if comment || record.iter().all(|cell| cell.trim_ascii().is_empty()) {
                continue;
            }
            if record.len() != HEADER.len() {
                let found = record.len();
                return Err(fail(record.line, LabelProblem::Cells { found }));
            }
            let cell = |i| {
                let text = String::from_utf8_lossy(record.get(i).unwrap_or_default());
                text.trim().to_string()
            };
            entries.push(Entry {
                line: record.line,
                instrument: cell(0),
                item: cell(1),
                value: cell(2),
                label: cell(3),
            });
        }
        Ok(Labels { entries, origin })
    }

    /// Number of aliases given.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the file gives none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The instrument ids the file names, in the order first named, each once (as written:
    /// they are matched to instruments regardless of case).
    ///
    /// ```
    /// use screenscore::batch::Labels;
    ///
    /// let csv = b"instrument,item,value,label\nphq9,9,3,a\ngad7,1,3,a\nPHQ9,1,3,a\n";
    /// assert_eq!(Labels::from_csv(csv, b',')?.instruments(), ["phq9", "gad7"]);
    /// # Ok::<(), screenscore::batch::BatchError>(())
    /// ```
    pub fn instruments(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for entry in &self.entries {
            if !ids
                .iter()
                .any(|id| id.eq_ignore_ascii_case(&entry.instrument))
            {
                ids.push(&entry.instrument);
            }
        }
        ids
    }

    /// `instrument` with the aliases this file gives it (the lines naming another instrument
    /// are not looked at).
    pub(crate) fn apply(&self, instrument: &Instrument) -> Result<Instrument, LabelsError> {
        let def = instrument.definition();
        let error = |entry: &Entry, column, problem| LabelsError {
            origin: self.origin.clone(),
            line: entry.line,
            column: Some(column),
            problem,
        };
        let mine: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.instrument.eq_ignore_ascii_case(&def.id))
            .collect();
        if mine.is_empty() {
            return Ok(instrument.clone());
        }
        let mut aliases = Vec::with_capacity(mine.len());
        for entry in &mine {
            let column_prefix = format!("{}_", def.id);
            let item = def.items.iter().position(|i| {
                i.id.eq_ignore_ascii_case(&entry.item)
                    || entry
                        .item
                        .to_lowercase()
                        .strip_prefix(&column_prefix)
                        .is_some_and(|id| i.id.eq_ignore_ascii_case(id))
            });
            let Some(item) = item else {
                let problem = LabelProblem::UnknownItem {
                    item: entry.item.clone(),
                    instrument: def.id.clone(),
                };
                return Err(error(entry, LabelColumn::Item, problem));
            };
            let Some(option) = instrument.option_named(item, &entry.value) else {
                let problem = LabelProblem::UnknownAnswer {
                    value: entry.value.clone(),
                    expected: instrument.expected(item).to_string(),
                };
                return Err(error(entry, LabelColumn::Value, problem));
            };
            aliases.push(RunAlias {
                item,
                option,
                label: entry.label.clone(),
                origin: format!("{}, line {}", self.origin, entry.line),
            });
        }
        instrument
            .with_run_aliases(&aliases)
            .map_err(|(k, conflict)| {
                error(mine[k], LabelColumn::Label, LabelProblem::Alias(conflict))
            })
    }
}

#[cfg(test)]
mod tests;
