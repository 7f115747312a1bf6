//! The bad-cell report: one CSV line per cell that is not an answer, and per malformed row.

use std::io;

use crate::Instrument;
use crate::batch::{Layout, RowError, RowSink, ScoredRow};

use super::safe::spreadsheet_safe;

/// Writes one CSV line per bad cell: `record,line,column,value,reason`.
///
/// `record` is the 1-based data row (the header is record 0), `line` the 1-based line of the
/// file where the row starts, `column` the header name. A row with the wrong number of cells
/// gives one line with `column` and `value` empty.
#[derive(Debug)]
pub struct ErrorsWriter<W: io::Write> {
    csv: csv::Writer<W>,
    /// Bad cells written.
    count: u64,
    raw: bool,
}

impl<W: io::Write> ErrorsWriter<W> {
    /// Write to `out`.
    pub fn new(out: W) -> ErrorsWriter<W> {
        ErrorsWriter {
            csv: csv::Writer::from_writer(out),
            count: 0,
            raw: false,
        }
    }

    /// Write the values exactly as read; by default a value that a spreadsheet would run as a
    /// formula gets a leading `'`, as in [`CsvWriter::raw`](super::CsvWriter::raw).
    pub fn raw(mut self, raw: bool) -> ErrorsWriter<W> {
        self.raw = raw;
        self
    }

    /// Number of lines written (bad cells and malformed rows).
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Flush and return the underlying writer.
    pub fn into_inner(self) -> io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: io::Write> RowSink for ErrorsWriter<W> {
    fn begin(&mut self, _: &Layout, _: &[Instrument]) -> io::Result<()> {
        self.csv
            .write_record(["record", "line", "column", "value", "reason"])?;
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        // Formatted only for rows that have something to report.
        let position = || (row.record.to_string(), row.line.to_string());
        if let Some(problem) = row.problem {
            let (record, line) = position();
            self.count += 1;
            let message = problem.to_string();
            self.csv
                .write_record([record.as_str(), line.as_str(), "", "", message.as_str()])?;
            return Ok(());
        }
        for inst in row.instruments() {
            for error in inst.errors() {
                let RowError::Cell { column, error } = error else {
                    continue;
                };
                self.count += 1;
                let (record, line) = position();
                let value = error.value().as_bytes();
                let value = if self.raw {
                    value.into()
                } else {
                    spreadsheet_safe(value)
                };
                self.csv.write_record([
                    record.as_bytes(),
                    line.as_bytes(),
                    &spreadsheet_safe(column.as_bytes()),
                    &value,
                    &spreadsheet_safe(error.reason().as_bytes()),
                ])?;
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.csv.flush()
    }
}
