//! JSON Lines: one object per row, for other systems.

use std::collections::{HashMap, HashSet};
use std::io;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::batch::{Layout, RowSink, ScoredRow};
use crate::change::Change;
use crate::date::Timestamp;
use crate::sheet::ScoreSheet;
use crate::{Instrument, ScaleScore};

use super::stratum_label;

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
    keys: Vec<String>,
    ids: Vec<String>,
}

impl<W: io::Write> JsonlWriter<W> {
    /// Write to `out`.
    pub fn new(out: W) -> JsonlWriter<W> {
        JsonlWriter {
            out: io::BufWriter::new(out),
            keys: Vec::new(),
            ids: Vec::new(),
        }
    }

    /// Flush and return the underlying writer.
    pub fn into_inner(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: io::Write> RowSink for JsonlWriter<W> {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        self.keys.clear();
        // Keys given so far, and per name the next number to try: linear in the columns.
        let mut taken: HashSet<String> = HashSet::new();
        let mut next: HashMap<&str, usize> = HashMap::new();
        for name in layout.passthrough_names() {
            let mut key = name.to_string();
            if taken.contains(&key) {
                let n = next.entry(name).or_insert(2);
                loop {
                    key = format!("{name}#{n}");
                    *n += 1;
                    if !taken.contains(&key) {
                        break;
                    }
                }
            }
            taken.insert(key.clone());
            self.keys.push(key);
        }
        self.ids = instruments.iter().map(|i| i.id().to_string()).collect();
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        let view = RowView {
            row,
            keys: &self.keys,
            ids: &self.ids,
        };
        serde_json::to_writer(&mut self.out, &view)?;
        io::Write::write_all(&mut self.out, b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        io::Write::flush(&mut self.out)
    }
}

struct RowView<'a> {
    row: &'a ScoredRow<'a>,
    keys: &'a [String],
    ids: &'a [String],
}

impl Serialize for RowView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(5))?;
        map.serialize_entry("record", &self.row.record)?;
        map.serialize_entry("line", &self.row.line)?;
        map.serialize_entry("status", self.row.status().as_str())?;
        map.serialize_entry("columns", &Columns(self))?;
        map.serialize_entry("instruments", &Instruments(self))?;
        map.end()
    }
}

struct Columns<'a>(&'a RowView<'a>);

impl Serialize for Columns<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.keys.len()))?;
        for (key, cell) in self.0.keys.iter().zip(self.0.row.passthrough()) {
            map.serialize_entry(key, &String::from_utf8_lossy(cell))?;
        }
        map.end()
    }
}

struct Instruments<'a>(&'a RowView<'a>);

impl Serialize for Instruments<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sheets = self.0.row.sheets();
        let mut map = s.serialize_map(Some(sheets.len()))?;
        for (k, (id, sheet)) in self.0.ids.iter().zip(sheets).enumerate() {
            map.serialize_entry(
                id,
                &SheetView {
                    row: self.0.row,
                    k,
                    sheet,
                },
            )?;
        }
        map.end()
    }
}

struct SheetView<'a> {
    row: &'a ScoredRow<'a>,
    k: usize,
    sheet: &'a ScoreSheet<'a>,
}

impl Serialize for SheetView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(5))?;
        map.serialize_entry("status", self.sheet.status().as_str())?;
        map.serialize_entry("scales", &Scales(self.sheet))?;
        let flags: Vec<&str> = self.sheet.flags().map(|r| r.id.as_str()).collect();
        map.serialize_entry("flags", &flags)?;
        map.serialize_entry("errors", &Errors(self))?;
        let notes: Vec<String> = self.row.notes(self.k).map(|n| n.to_string()).collect();
        map.serialize_entry("notes", &notes)?;
        let layout = self.row.layout();
        let scales = self.sheet.scales().len();
        if (0..scales).any(|s| layout.has_standard(self.k, s)) {
            map.serialize_entry("standard", &Standard(self))?;
        }
        if layout.has_history() {
            map.serialize_entry("change", &Changes(self))?;
            map.serialize_entry("change_method", self.row.change_method(self.k))?;
            map.serialize_entry("change_notes", self.row.change_notes(self.k))?;
        }
        map.end()
    }
}

struct Scales<'a>(&'a ScoreSheet<'a>);

impl Serialize for Scales<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.scales().len()))?;
        for scale in self.0.scales() {
            map.serialize_entry(scale.id(), &ScaleView(scale))?;
        }
        map.end()
    }
}

struct ScaleView<'a>(ScaleScore<'a>);

impl Serialize for ScaleView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let scale = &self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("score", &scale.score().map(Number))?;
        if !scale.definition().bands.is_empty() {
            map.serialize_entry("band", &scale.band())?;
        }
        map.serialize_entry("answered", &scale.answered())?;
        map.serialize_entry("applicable", &scale.applicable())?;
        map.serialize_entry("prorated", &scale.prorated())?;
        map.end()
    }
}

/// A score: whole numbers as JSON integers.
struct Number(f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 1e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

struct Errors<'a>(&'a SheetView<'a>);

impl Serialize for Errors<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        let mut seq = s.serialize_seq(None)?;
        if let Some(message) = view.row.problem_message() {
            seq.serialize_element(&ErrorEntry {
                column: "",
                value: "",
                message: &message,
            })?;
            return seq.end();
        }
        for e in view.sheet.errors() {
            let message = e.to_string();
            seq.serialize_element(&ErrorEntry {
                column: view.row.column_name(view.k, e.item_index()),
                value: e.value(),
                message: &message,
            })?;
        }
        seq.end()
    }
}

struct ErrorEntry<'a> {
    column: &'a str,
    value: &'a str,
    message: &'a str,
}

impl Serialize for ErrorEntry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("column", self.column)?;
        map.serialize_entry("value", self.value)?;
        map.serialize_entry("message", self.message)?;
        map.end()
    }
}

/// `{scale: {z, t, percentile, percentile_empirical, sem, ci95: [low, high], norm}}` for the
/// scales with a reference group (`null` where the scale has no score or no stratum fits).
struct Standard<'a>(&'a SheetView<'a>);

impl Serialize for Standard<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        let mut map = s.serialize_map(None)?;
        for scale in view.sheet.scales() {
            let index = scale.index();
            if !view.row.layout().has_standard(view.k, index) {
                continue;
            }
            match view.row.standard(view.k, index) {
                None => map.serialize_entry(scale.id(), &())?,
                Some(x) => map.serialize_entry(
                    scale.id(),
                    &serde_json::json!({
                        "z": x.z,
                        "t": x.t,
                        "percentile": x.percentile,
                        "percentile_empirical": x.empirical_percentile,
                        "sem": x.sem,
                        "ci95": x.band.map(|(lo, hi)| [lo, hi]),
                        "norm": stratum_label(x),
                    }),
                )?,
            }
        }
        map.end()
    }
}

/// `{scale: {first: {date, change, rci, reliable}, previous: {…}, csc}}`.
struct Changes<'a>(&'a SheetView<'a>);

fn side(side: Option<(Timestamp, Change)>) -> serde_json::Value {
    match side {
        None => serde_json::Value::Null,
        Some((date, c)) => serde_json::json!({
            "date": date.to_string(),
            "change": c.delta,
            "rci": c.rci,
            "reliable": c.reliable.map(|r| r.as_str()),
        }),
    }
}

impl Serialize for Changes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        let mut map = s.serialize_map(None)?;
        for scale in view.sheet.scales() {
            let change = view
                .row
                .change(view.k, scale.index())
                .copied()
                .unwrap_or_default();
            map.serialize_entry(
                scale.id(),
                &serde_json::json!({
                    "first": side(change.first),
                    "previous": side(change.previous),
                    "csc": change.first.and_then(|(_, c)| c.class).map(|c| c.as_str()),
                }),
            )?;
        }
        map.end()
    }
}
