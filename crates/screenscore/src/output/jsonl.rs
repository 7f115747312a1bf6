//! JSON Lines: one object per row, for other systems (the row model's `Serialize`, in
//! [`super::json`]).

use std::io;

use crate::Instrument;
use crate::batch::{Layout, RowSink, ScoredRow};

/// Writes one JSON object per row:
///
/// ```json
/// {"record":1,"line":2,"status":"ok","columns":{"client":"c1"},
///  "instruments":{"gad7":{"status":"ok",
///    "scales":{"total":{"score":7,"band":"mild","answered":7,"applicable":7,"prorated":false}},
///    "flags":[],"errors":[],"notes":[]}}}
/// ```
///
/// A pass-through column whose name repeats an earlier one is keyed `name#2`, `name#3`, ….
#[derive(Debug)]
pub struct JsonlWriter<W: io::Write> {
    out: io::BufWriter<W>,
}

impl<W: io::Write> JsonlWriter<W> {
    /// Write to `out`.
    pub fn new(out: W) -> JsonlWriter<W> {
        JsonlWriter {
            out: io::BufWriter::new(out),
        }
    }

    /// Flush and return the underlying writer.
    pub fn into_inner(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: io::Write> RowSink for JsonlWriter<W> {
    fn begin(&mut self, _: &Layout, _: &[Instrument]) -> io::Result<()> {
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, row)?;
        io::Write::write_all(&mut self.out, b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        io::Write::flush(&mut self.out)
    }
}
