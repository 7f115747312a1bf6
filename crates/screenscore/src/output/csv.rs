//! The scores CSV: pass-through columns, then per instrument the columns of
//! [`OutputColumns`](crate::columns::OutputColumns), each filled from the row model.

use std::fmt::Write as _;
use std::io;

use crate::Instrument;
use crate::batch::{InstrumentRow, Layout, RowSink, ScaleRow, ScoredRow};
use crate::change::Change;
use crate::columns::{ChangeColumn, Column, StandardColumn};
use crate::date::Timestamp;

use super::NormLabel;
use super::cache::Rendered;
use super::line::{LineWriter, push_field};
use super::number::{push_change, push_percentile, push_rounded};
use super::safe::{is_formula, spreadsheet_safe};
use super::style::CsvStyle;

/// Writes scored rows as CSV.
///
/// Columns: every pass-through column in input order; then per instrument, per scale
/// `{instrument}_{scale}` (and `{instrument}_{scale}_band` when the scale has bands), then
/// `{instrument}_status`, `{instrument}_flags` (rule ids joined by `;`), `{instrument}_error`
/// and `{instrument}_notes` (both joined by `; `).
///
/// With standard scores on, per scale that has a reference group: `_z`, `_t`, `_percentile`
/// (from the group's sample: local norms; empty for a group of a mean and an SD only),
/// `_percentile_normal` (the normal approximation), `_sem`, `_ci95_low`, `_ci95_high` (clipped
/// to the scale's range) and `_norm` (the group and stratum); z, T, SEM and the band's bounds are
/// written to 2 decimals and the percentiles to 1 (the JSON Lines writer keeps every digit).
/// With change on, per scale: `_first_date`, `_change_first`,
/// `_rci_first`, `_reliable_first`, `_previous_date`, `_change_previous`, `_rci_previous`,
/// `_reliable_previous`, `_csc` (clinically significant change since the first), and per
/// instrument `_change_method` and `_change_notes`. The names come from
/// [`crate::columns`].
#[derive(Debug)]
pub struct CsvWriter<W: io::Write> {
    csv: LineWriter<W>,
    /// Per instrument, its columns as written, a block of standard or change columns as one.
    plans: Vec<Vec<Piece>>,
    buf: Vec<u8>,
    text: String,
    raw: bool,
    /// Standard-score blocks already rendered.
    rendered: Rendered,
}

/// What a run of columns holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Score(usize),
    Band(usize),
    Status,
    Flags,
    Error,
    Notes,
    /// A scale's eight standard-score columns.
    Standard(usize),
    /// A scale's nine change columns.
    Change(usize),
    ChangeMethod,
    ChangeNotes,
}

impl Piece {
    /// The piece a column starts, if it starts one.
    fn of(column: Column) -> Option<Piece> {
        Some(match column {
            Column::Score { scale } => Piece::Score(scale),
            Column::Band { scale } => Piece::Band(scale),
            Column::Status => Piece::Status,
            Column::Flags => Piece::Flags,
            Column::Error => Piece::Error,
            Column::Notes => Piece::Notes,
            Column::Standard { scale, what } if what == StandardColumn::ALL[0] => {
                Piece::Standard(scale)
            }
            Column::Change { scale, what } if what == ChangeColumn::ALL[0] => Piece::Change(scale),
            Column::Standard { .. } | Column::Change { .. } => return None,
            Column::ChangeMethod => Piece::ChangeMethod,
            Column::ChangeNotes => Piece::ChangeNotes,
        })
    }
}

impl<W: io::Write> CsvWriter<W> {
    /// Write to `out`.
    pub fn new(out: W) -> CsvWriter<W> {
        CsvWriter {
            csv: LineWriter::new(out),
            plans: Vec::new(),
            buf: Vec::with_capacity(256),
            text: String::new(),
            raw: false,
            rendered: Rendered::default(),
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

    /// Write in `style`: its cell separator, byte-order mark (written before the header;
    /// [`Bom::AsInput`](super::Bom::AsInput): when the input began with one) and decimal mark.
    /// The default is commas, no byte-order mark and decimal points. See [`CsvStyle`].
    pub fn style(mut self, style: CsvStyle) -> CsvWriter<W> {
        self.csv.set_style(style);
        self
    }

    /// Flush and return the underlying writer.
    pub fn into_inner(self) -> io::Result<W> {
        self.csv.into_inner()
    }

    /// A cell copied from the input.
    #[inline]
    fn input_field(&mut self, cell: &[u8]) {
        if !self.raw && is_formula(cell) {
            self.csv.field(&spreadsheet_safe(cell));
        } else {
            self.csv.field(cell);
        }
    }

    /// A number screenscore computed; never `inf` or `NaN` (an empty cell instead).
    fn number(&mut self, x: Option<f64>) {
        self.csv.number(x.filter(|x| x.is_finite()));
    }

    /// The text in `self.text`, made safe for spreadsheets (text from a definition, a norms
    /// file or a message).
    fn text_field(&mut self) {
        self.csv.text(self.text.as_bytes());
    }

    fn piece(&mut self, k: usize, piece: Piece, inst: &InstrumentRow<'_>) {
        let scale = |s: usize| -> ScaleRow<'_> { inst.scales().nth(s).expect("a planned scale") };
        match piece {
            Piece::Score(s) => self.number(scale(s).score.score()),
            Piece::Band(s) => self
                .csv
                .text(scale(s).score.band().unwrap_or_default().as_bytes()),
            Piece::Status => self.csv.field(inst.status().as_str().as_bytes()),
            Piece::Flags => {
                self.buf.clear();
                for (n, rule) in inst.flags().enumerate() {
                    if n > 0 {
                        self.buf.push(b';');
                    }
                    self.buf.extend_from_slice(rule.id.as_bytes());
                }
                self.csv.text(&self.buf);
            }
            Piece::Error => {
                self.text.clear();
                for (n, error) in inst.errors().enumerate() {
                    if n > 0 {
                        self.text.push_str("; ");
                    }
                    match error.column() {
                        "" => write!(self.text, "{error}"),
                        column => write!(self.text, "{column}: {error}"),
                    }
                    .expect("writing to a String");
                }
                self.text_field();
            }
            Piece::Notes => {
                self.text.clear();
                for (n, note) in inst.notes().enumerate() {
                    if n > 0 {
                        self.text.push_str("; ");
                    }
                    let _ = write!(self.text, "{note}");
                }
                self.text_field();
            }
            Piece::Standard(s) => self.standard(k, &scale(s)),
            Piece::Change(s) => {
                let change = scale(s).change;
                self.change_fields(change.first);
                self.change_fields(change.previous);
                let class = change.first.and_then(|(_, c)| c.class);
                self.csv.field(class.map_or("", |c| c.as_str()).as_bytes());
            }
            Piece::ChangeMethod => {
                self.text.clear();
                let _ = write!(self.text, "{}", inst.change_method());
                self.text_field();
            }
            Piece::ChangeNotes => {
                self.text.clear();
                for (n, note) in inst.change_notes().enumerate() {
                    if n > 0 {
                        self.text.push_str("; ");
                    }
                    let _ = write!(self.text, "{note}");
                }
                self.text_field();
            }
        }
    }

    /// A scale's eight standard-score cells, rendered once per score and stratum.
    fn standard(&mut self, k: usize, scale: &ScaleRow<'_>) {
        let delimiter = self.csv.style().delimiter();
        let (Some(x), Some(score)) = (scale.standard, scale.score.score()) else {
            let buf = self.csv.plain();
            buf.extend(std::iter::repeat_n(delimiter, 7));
            return;
        };
        let key = (
            k as u32,
            scale.score.index() as u32,
            std::ptr::from_ref(x.stratum) as usize,
            score.to_bits(),
        );
        if let Some(text) = self.rendered.get(&key) {
            self.csv.plain().extend_from_slice(text);
            return;
        }
        self.buf.clear();
        // Rounded for reading (JSON Lines keeps every digit): z, T, SEM and the band's bounds
        // to 2 decimals, percentiles to 1 (never 0 or 100 unless they are).
        let style = *self.csv.style();
        for (n, (value, decimals)) in [
            (Some(x.z), 2),
            (Some(x.t), 2),
            (x.percentile, 1),
            (Some(x.percentile_normal), 1),
            (x.sem, 2),
            (x.band.map(|b| b.0), 2),
            (x.band.map(|b| b.1), 2),
        ]
        .into_iter()
        .enumerate()
        {
            if n > 0 {
                self.buf.push(delimiter);
            }
            match value.filter(|v| v.is_finite()) {
                // The two percentiles (cells 2 and 3).
                Some(value) if n == 2 || n == 3 => {
                    style.push_with(&mut self.buf, |buf| push_percentile(buf, value))
                }
                Some(value) => {
                    style.push_with(&mut self.buf, |buf| push_rounded(buf, value, decimals))
                }
                None => {}
            }
        }
        self.buf.push(delimiter);
        self.text.clear();
        let _ = write!(self.text, "{}", NormLabel(x));
        let safe = spreadsheet_safe(self.text.as_bytes());
        push_field(&mut self.buf, &safe, self.csv.special());
        self.rendered.insert(key, &self.buf);
        self.csv.plain().extend_from_slice(&self.buf);
    }

    fn change_fields(&mut self, side: Option<(Timestamp, Change)>) {
        let buf = self.csv.plain();
        if let Some((date, _)) = side {
            let _ = io::Write::write_fmt(buf, format_args!("{date}"));
        }
        let change = side.map(|(_, c)| c);
        // The change without subtraction noise, the RCI to 2 decimals (JSON keeps every digit).
        let style = *self.csv.style();
        let buf = self.csv.plain();
        if let Some(delta) = change.map(|c| c.delta).filter(|x| x.is_finite()) {
            style.push_with(buf, |buf| push_change(buf, delta));
        }
        let buf = self.csv.plain();
        if let Some(rci) = change.and_then(|c| c.rci).filter(|x| x.is_finite()) {
            style.push_with(buf, |buf| push_rounded(buf, rci, 2));
        }
        let reliable = change.and_then(|c| c.reliable).map_or("", |r| r.as_str());
        self.csv.field(reliable.as_bytes());
    }
}

impl<W: io::Write> RowSink for CsvWriter<W> {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        if self.csv.style().writes_bom(layout.byte_order_mark()) {
            self.csv.bom();
        }
        for name in layout.passthrough_names() {
            self.input_field(name.as_bytes());
        }
        self.plans.clear();
        for (k, instrument) in instruments.iter().enumerate() {
            let columns = layout.output_columns(k, instrument.definition());
            for name in columns.names() {
                self.text.clear();
                let _ = write!(self.text, "{name}");
                self.csv.field(self.text.as_bytes());
            }
            self.plans
                .push(columns.iter().filter_map(Piece::of).collect());
        }
        self.csv.end()
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        // Runs of raw text are comma-separated: copied only into comma-separated output.
        let runs = row
            .passthrough_raw(self.raw)
            .filter(|_| self.csv.style().delimiter() == b',');
        match runs {
            Some(runs) => {
                for run in runs {
                    self.csv.plain().extend_from_slice(run);
                }
            }
            None => {
                for cell in row.passthrough() {
                    self.input_field(cell);
                }
            }
        }
        for (k, inst) in row.instruments().enumerate() {
            for p in 0..self.plans[k].len() {
                let piece = self.plans[k][p];
                self.piece(k, piece, &inst);
            }
        }
        self.csv.end()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.csv.flush()
    }
}
