//! What stops a batch: [`BatchError`] (a bad cell never does: it is reported in its row).

use std::io;

/// Errors that stop a batch before or while it runs (a bad cell never does: it is reported
/// in its row).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The input has no header row.
    #[error("the input is empty: expected a header row naming the columns")]
    EmptyInput,
    /// The input starts with a UTF-16 byte-order mark.
    #[error(
        "the input is UTF-16 text, not UTF-8: save it as \"CSV UTF-8\" (in Excel: Save As, CSV UTF-8 (Comma delimited))"
    )]
    Utf16,
    /// The header holds NUL bytes.
    #[error(
        "the header contains NUL bytes: the input is not a UTF-8 CSV file (UTF-16 without a byte-order mark, or a binary file?)"
    )]
    NotText,
    /// No requested instrument has a single item column in the header.
    #[error(
        "no column of any requested instrument is in the header (expected columns such as {expected}); \
         use --map to rename columns{hint}"
    )]
    NoInstrumentColumns {
        /// Examples of expected column names.
        expected: String,
        /// A likely cause, when one is seen (a file separated by semicolons or tabs), with a
        /// leading separator; else empty.
        hint: String,
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
    /// The cell separator cannot separate cells.
    #[error(
        "{delimiter:?} cannot separate cells: use an ASCII character other than a quote or a line break"
    )]
    Delimiter {
        /// The separator given.
        delimiter: char,
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
    /// A file the batch needs (a column map) could not be read.
    #[error("cannot read the {what} {}: {source}", path.display())]
    Read {
        /// What the file was to hold.
        what: &'static str,
        /// The file.
        path: std::path::PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A line of the input is longer than 16 MiB: not an intake file, or one whose line
    /// breaks are missing (read no further, so memory stays bounded).
    #[error(
        "cannot read the input: line {line} (record {record}) is longer than 16 MiB: this is not a CSV intake file (or its line breaks are missing)"
    )]
    LineTooLong {
        /// The line.
        line: u64,
        /// The record it is in (1-based; 0 for the header).
        record: u64,
    },
    /// A column map file is not valid.
    #[error("column map, line {line}: {message}")]
    ColumnMap {
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A labels file (other wordings of answers for one run) cannot be used.
    #[error(transparent)]
    Labels(#[from] super::labels::LabelsError),
    /// A column that change over time or outcomes need (client, date, episode) is not in the
    /// header.
    #[error("the header has no `{column}` column (given as the {what} column)")]
    MissingColumn {
        /// The column name.
        column: String,
        /// What it was to hold.
        what: &'static str,
    },
    /// Local norms do not fit the batch.
    #[error("norms: {0}")]
    Norms(String),
    /// A form plan does not fit the batch's instruments.
    #[error("{instrument}: {message}")]
    FormPlan {
        /// The instrument the plan is for.
        instrument: String,
        /// What does not fit.
        message: String,
    },
    /// Change over time was asked for with an input that cannot be read twice.
    #[error(
        "change over time reads the input twice; use `run_with_history` with an input that can be rewound"
    )]
    NeedsRewind,
    /// The input changed between the two readings of change over time (an export still being
    /// written, a folder being synced): scores would be paired with other rows' change.
    #[error(
        "the input changed while it was read: record {record} (line {line}) differs between the two readings that change over time makes; score a complete copy of the file"
    )]
    InputChanged {
        /// The record that differs (0: the header).
        record: u64,
        /// The line it starts on in the second reading.
        line: u64,
    },
    /// The input had another number of rows on the second reading of change over time.
    #[error(
        "the input changed while it was read: {} on the first of the two readings that change over time makes, {second} on the second; score a complete copy of the file",
        crate::text::count(*first, "row", "rows")
    )]
    InputRows {
        /// Rows on the first reading.
        first: u64,
        /// Rows on the second.
        second: u64,
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
