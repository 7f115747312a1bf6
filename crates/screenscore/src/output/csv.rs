//! The scores CSV: pass-through columns, then per instrument its scales, bands, status, flags,
//! errors and notes.

use std::io;

use crate::Instrument;
use crate::batch::{Layout, RowSink, ScoredRow};

use super::error_text;
use super::number::push_score;

/// Writes scored rows as CSV.
///
/// Columns: every pass-through column in input order; then per instrument, per scale
/// `{instrument}_{scale}` (and `{instrument}_{scale}_band` when the scale has bands), then
/// `{instrument}_status`, `{instrument}_flags` (rule ids joined by `;`), `{instrument}_error`
/// and `{instrument}_notes` (both joined by `; `).
#[derive(Debug)]
pub struct CsvWriter<W: io::Write> {
    csv: csv::Writer<W>,
    /// Per instrument, per scale: whether it has a band column.
    banded: Vec<Vec<bool>>,
    buf: Vec<u8>,
    text: String,
}

impl<W: io::Write> CsvWriter<W> {
    /// Write to `out`.
    pub fn new(out: W) -> CsvWriter<W> {
        CsvWriter {
            csv: csv::WriterBuilder::new().flexible(true).from_writer(out),
            banded: Vec::new(),
            buf: Vec::with_capacity(256),
            text: String::new(),
        }
    }

    /// Flush and return the underlying writer.
    pub fn into_inner(self) -> io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: io::Write> RowSink for CsvWriter<W> {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        for name in layout.passthrough_names() {
            self.csv.write_field(name)?;
        }
        self.banded.clear();
        for instrument in instruments {
            let def = instrument.definition();
            let mut banded = Vec::with_capacity(def.scales.len());
            for scale in &def.scales {
                self.csv.write_field(format!("{}_{}", def.id, scale.id))?;
                if !scale.bands.is_empty() {
                    self.csv
                        .write_field(format!("{}_{}_band", def.id, scale.id))?;
                }
                banded.push(!scale.bands.is_empty());
            }
            for suffix in crate::compile::RESERVED_SUFFIXES {
                self.csv.write_field(format!("{}_{suffix}", def.id))?;
            }
            self.banded.push(banded);
        }
        self.csv.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        for cell in row.passthrough() {
            self.csv.write_field(cell)?;
        }
        for (k, sheet) in row.sheets().iter().enumerate() {
            for (scale, &banded) in sheet.scales().zip(&self.banded[k]) {
                self.buf.clear();
                if let Some(score) = scale.score() {
                    push_score(&mut self.buf, score);
                }
                self.csv.write_field(&self.buf)?;
                if banded {
                    self.csv.write_field(scale.band().unwrap_or_default())?;
                }
            }
            self.csv.write_field(sheet.status().as_str())?;
            self.buf.clear();
            for (n, rule) in sheet.flags().enumerate() {
                if n > 0 {
                    self.buf.push(b';');
                }
                self.buf.extend_from_slice(rule.id.as_bytes());
            }
            self.csv.write_field(&self.buf)?;
            error_text(row, k, &mut self.text);
            self.csv.write_field(&self.text)?;
            self.text.clear();
            for (n, note) in sheet.notes().enumerate() {
                use std::fmt::Write;
                if n > 0 {
                    self.text.push_str("; ");
                }
                let _ = write!(self.text, "{note}");
            }
            self.csv.write_field(&self.text)?;
        }
        self.csv.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.csv.flush()
    }
}
