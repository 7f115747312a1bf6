//! The scores CSV: pass-through columns, then per instrument its scales, bands, status, flags,
//! errors and notes, then standard scores and change when they are on.

use std::fmt::Write as _;
use std::io;

use crate::Instrument;
use crate::batch::{Layout, RowSink, ScaleChange, ScoredRow};
use crate::change::Change;
use crate::date::Timestamp;

use super::line::LineWriter;
use super::number::push_score;
use super::safe::{is_formula, spreadsheet_safe};
use super::{error_text, stratum_label};

/// Writes scored rows as CSV.
///
/// Columns: every pass-through column in input order; then per instrument, per scale
/// `{instrument}_{scale}` (and `{instrument}_{scale}_band` when the scale has bands), then
/// `{instrument}_status`, `{instrument}_flags` (rule ids joined by `;`), `{instrument}_error`
/// and `{instrument}_notes` (both joined by `; `).
///
/// With standard scores on, per scale that has a reference group: `_z`, `_t`, `_percentile`
/// (normal), `_percentile_empirical` (local norms), `_sem`, `_ci95_low`, `_ci95_high` and
/// `_norm` (the group and stratum). With change on, per scale: `_first_date`, `_change_first`,
/// `_rci_first`, `_reliable_first`, `_previous_date`, `_change_previous`, `_rci_previous`,
/// `_reliable_previous`, `_csc` (clinically significant change since the first), and per
/// instrument `_change_method` and `_change_notes`.
#[derive(Debug)]
pub struct CsvWriter<W: io::Write> {
    csv: LineWriter<W>,
    /// Per instrument, per scale: (band column, standard columns).
    columns: Vec<Vec<(bool, bool)>>,
    history: bool,
    buf: Vec<u8>,
    text: String,
    raw: bool,
}

/// Standard-score columns per scale, after `{instrument}_{scale}`.
const STANDARD: [&str; 8] = [
    "z",
    "t",
    "percentile",
    "percentile_empirical",
    "sem",
    "ci95_low",
    "ci95_high",
    "norm",
];

/// Change columns per scale, after `{instrument}_{scale}`.
const CHANGE: [&str; 9] = [
    "first_date",
    "change_first",
    "rci_first",
    "reliable_first",
    "previous_date",
    "change_previous",
    "rci_previous",
    "reliable_previous",
    "csc",
];

impl<W: io::Write> CsvWriter<W> {
    /// Write to `out`.
    pub fn new(out: W) -> CsvWriter<W> {
        CsvWriter {
            csv: LineWriter::new(out),
            columns: Vec::new(),
            history: false,
            buf: Vec::with_capacity(256),
            text: String::new(),
            raw: false,
        }
    }

    /// Write pass-through cells exactly as read. By default a pass-through cell (or column
    /// name) that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab
    /// or a carriage return, and not a plain number) is written with a leading `'`.
    ///
    /// ```
    /// use screenscore::batch::Batch;
    /// use screenscore::output::CsvWriter;
    /// use screenscore::Instrument;
    ///
    /// let csv = "note,gad2_1,gad2_2\n=HYPERLINK(\"http://x\"),1,2\n";
    /// let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
    /// let mut safe = CsvWriter::new(Vec::new());
    /// batch.run(csv.as_bytes(), &mut [&mut safe])?;
    /// let safe = String::from_utf8(safe.into_inner()?)?;
    /// assert!(safe.lines().nth(1).unwrap().starts_with("\"'=HYPERLINK(\"\"http://x\"\")\",3,"));
    ///
    /// let mut raw = CsvWriter::new(Vec::new()).raw(true);
    /// batch.run(csv.as_bytes(), &mut [&mut raw])?;
    /// let raw = String::from_utf8(raw.into_inner()?)?;
    /// assert!(raw.lines().nth(1).unwrap().starts_with("\"=HYPERLINK(\"\"http://x\"\")\",3,"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn raw(mut self, raw: bool) -> CsvWriter<W> {
        self.raw = raw;
        self
    }

    /// A cell copied from the input.
    #[inline]
    fn input_field(&mut self, cell: &[u8]) -> io::Result<()> {
        if !self.raw && is_formula(cell) {
            self.csv.field(&spreadsheet_safe(cell));
        } else {
            self.csv.field(cell);
        }
        Ok(())
    }

    /// Flush and return the underlying writer.
    pub fn into_inner(self) -> io::Result<W> {
        self.csv.into_inner()
    }

    /// A number screenscore computed; never `inf` or `NaN` (an empty cell instead).
    fn number(&mut self, x: Option<f64>) -> io::Result<()> {
        let buf = self.csv.plain();
        if let Some(x) = x.filter(|x| x.is_finite()) {
            push_score(buf, x);
        }
        Ok(())
    }

    /// Text from a definition, a norms file or a message: made safe for spreadsheets.
    fn text_field(&mut self, text: &str) -> io::Result<()> {
        self.csv.text(text.as_bytes());
        Ok(())
    }

    fn change_fields(&mut self, side: Option<(Timestamp, Change)>) -> io::Result<()> {
        self.text.clear();
        if let Some((date, _)) = side {
            let _ = write!(self.text, "{date}");
        }
        self.csv.field(self.text.as_bytes());
        let change = side.map(|(_, c)| c);
        self.number(change.map(|c| c.delta))?;
        self.number(change.and_then(|c| c.rci))?;
        let reliable = change.and_then(|c| c.reliable).map_or("", |r| r.as_str());
        self.text_field(reliable)
    }
}

impl<W: io::Write> RowSink for CsvWriter<W> {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        for name in layout.passthrough_names() {
            self.input_field(name.as_bytes())?;
        }
        self.columns.clear();
        self.history = layout.has_history();
        for (k, instrument) in instruments.iter().enumerate() {
            let def = instrument.definition();
            let mut columns = Vec::with_capacity(def.scales.len());
            for (s, scale) in def.scales.iter().enumerate() {
                self.csv
                    .field(format!("{}_{}", def.id, scale.id).as_bytes());
                if !scale.bands.is_empty() {
                    self.csv
                        .field(format!("{}_{}_band", def.id, scale.id).as_bytes());
                }
                columns.push((!scale.bands.is_empty(), layout.has_standard(k, s)));
            }
            for suffix in crate::compile::RESERVED_SUFFIXES {
                self.csv.field(format!("{}_{suffix}", def.id).as_bytes());
            }
            for (scale, &(_, standard)) in def.scales.iter().zip(&columns) {
                if standard {
                    for suffix in STANDARD {
                        self.csv
                            .field(format!("{}_{}_{suffix}", def.id, scale.id).as_bytes());
                    }
                }
            }
            if self.history {
                for scale in &def.scales {
                    for suffix in CHANGE {
                        self.csv
                            .field(format!("{}_{}_{suffix}", def.id, scale.id).as_bytes());
                    }
                }
                self.csv
                    .field(format!("{}_change_method", def.id).as_bytes());
                self.csv
                    .field(format!("{}_change_notes", def.id).as_bytes());
            }
            self.columns.push(columns);
        }
        self.csv.end()
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        match row.passthrough_raw(self.raw) {
            Some(runs) => {
                for run in runs {
                    self.csv.plain().extend_from_slice(run);
                }
            }
            None => {
                for cell in row.passthrough() {
                    self.input_field(cell)?;
                }
            }
        }
        for (k, sheet) in row.sheets().iter().enumerate() {
            for (s, scale) in sheet.scales().enumerate() {
                self.number(scale.score())?;
                if self.columns[k][s].0 {
                    self.csv.text(scale.band().unwrap_or_default().as_bytes());
                }
            }
            self.csv.field(sheet.status().as_str().as_bytes());
            self.buf.clear();
            for (n, rule) in sheet.flags().enumerate() {
                if n > 0 {
                    self.buf.push(b';');
                }
                self.buf.extend_from_slice(rule.id.as_bytes());
            }
            self.csv.text(&self.buf);
            error_text(row, k, &mut self.text);
            self.csv.text(self.text.as_bytes());
            // The row's note, then the sheet's (as `ScoredRow::notes`, without its chain on the
            // hot path).
            self.text.clear();
            if let Some(note) = row.note {
                let _ = write!(self.text, "{note}");
            }
            for note in sheet.notes() {
                if !self.text.is_empty() {
                    self.text.push_str("; ");
                }
                let _ = write!(self.text, "{note}");
            }
            self.csv.text(self.text.as_bytes());
            for s in 0..self.columns[k].len() {
                if !self.columns[k][s].1 {
                    continue;
                }
                let standard = row.standard(k, s).copied();
                self.number(standard.map(|x| x.z))?;
                self.number(standard.map(|x| x.t))?;
                self.number(standard.map(|x| x.percentile))?;
                self.number(standard.and_then(|x| x.empirical_percentile))?;
                self.number(standard.and_then(|x| x.sem))?;
                self.number(standard.and_then(|x| x.band).map(|b| b.0))?;
                self.number(standard.and_then(|x| x.band).map(|b| b.1))?;
                let label = standard.map(|x| stratum_label(&x)).unwrap_or_default();
                self.text_field(&label)?;
            }
            if self.history {
                for s in 0..self.columns[k].len() {
                    let change = row.change(k, s).copied().unwrap_or_default();
                    let ScaleChange { first, previous } = change;
                    self.change_fields(first)?;
                    self.change_fields(previous)?;
                    let class = first.and_then(|(_, c)| c.class).map_or("", |c| c.as_str());
                    self.text_field(class)?;
                }
                self.text_field(row.change_method(k))?;
                let notes = row.change_notes(k).join("; ");
                self.text_field(&notes)?;
            }
        }
        self.csv.end()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.csv.flush()
    }
}
