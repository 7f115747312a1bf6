//! The bad-cell report: one CSV line per cell that is not an answer, and per malformed row.

use std::io;

use crate::Instrument;
use crate::batch::{Layout, RowError, RowSink, ScoredRow};

use super::safe::spreadsheet_safe;
use super::style::CsvStyle;

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
    style: CsvStyle,
}

impl<W: io::Write> ErrorsWriter<W> {
    /// Write to `out`, comma-separated.
    pub fn new(out: W) -> ErrorsWriter<W> {
        ErrorsWriter::with_style(out, CsvStyle::default())
    }

    /// Write to `out` in `style`'s cell separator and byte-order mark (the report holds no
    /// decimal number), as [`CsvWriter::style`](super::CsvWriter::style).
    ///
    /// ```
    /// use screenscore::batch::Batch;
    /// use screenscore::output::{Bom, CsvStyle, DecimalMark, ErrorsWriter};
    /// use screenscore::Instrument;
    ///
    /// let batch = Batch::builder()
    ///     .instrument(Instrument::builtin("gad2")?.clone())
    ///     .delimiter(b';')
    ///     .build()?;
    /// let style = CsvStyle::new(b';', Bom::AsInput, DecimalMark::Comma)?;
    /// let mut errors = ErrorsWriter::with_style(Vec::new(), style);
    /// batch.run("\u{feff}gad2_1;gad2_2\n1;2,5\n".as_bytes(), &mut [&mut errors])?;
    /// let text = String::from_utf8(errors.into_inner()?)?;
    /// assert!(text.starts_with("\u{feff}record;line;column;value;reason\n1;2;gad2_2;2,5;"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_style(out: W, style: CsvStyle) -> ErrorsWriter<W> {
        ErrorsWriter {
            csv: csv::WriterBuilder::new()
                .delimiter(style.delimiter())
                .from_writer(out),
            count: 0,
            raw: false,
            style,
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
    fn begin(&mut self, layout: &Layout, _: &[Instrument]) -> io::Result<()> {
        // A byte-order mark is the first bytes of the first cell (it needs no quotes).
        let record = if self.style.writes_bom(layout.byte_order_mark()) {
            "\u{feff}record"
        } else {
            "record"
        };
        self.csv
            .write_record([record, "line", "column", "value", "reason"])?;
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
