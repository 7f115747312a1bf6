//! The row model as JSON: one `Serialize` implementation, which the JSON Lines writer writes
//! one row per line.
//!
//! ```json
//! {"record":1,"line":2,"status":"ok","columns":{"client":"c1"},
//!  "instruments":{"gad7":{"status":"ok",
//!    "scales":{"total":{"score":7,"band":"mild","answered":7,"applicable":7,"prorated":false}},
//!    "flags":[],"errors":[],"notes":[]}}}
//! ```
//!
//! With standard scores on, an instrument also has `standard` (`{scale: {ci95, ci95_clipped,
//! norm, percentile, percentile_normal, sem, t, z}}`, `null` where no stratum fits); with change
//! on, `change` (`{scale: {csc, first: {change, date, rci, reliable}, previous}}`),
//! `change_method` and `change_notes`.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::batch::{InstrumentRow, ScoredRow};
use crate::change::Change;
use crate::date::Timestamp;
use crate::sheet::ScaleScore;

use super::NormLabel;

impl Serialize for ScoredRow<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(5))?;
        map.serialize_entry("record", &self.record)?;
        map.serialize_entry("line", &self.line)?;
        map.serialize_entry("status", self.status().as_str())?;
        map.serialize_entry("columns", &Columns(self))?;
        map.serialize_entry("instruments", &Instruments(self))?;
        map.end()
    }
}

/// The pass-through cells, keyed by column name (a repeated name as `name#2`, …).
struct Columns<'a>(&'a ScoredRow<'a>);

impl Serialize for Columns<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let keys = self.0.layout().passthrough_keys();
        let mut map = s.serialize_map(Some(keys.len()))?;
        for (key, cell) in keys.iter().zip(self.0.passthrough()) {
            map.serialize_entry(key, &Lossy(cell))?;
        }
        map.end()
    }
}

/// Bytes as text, invalid UTF-8 replaced.
struct Lossy<'a>(&'a [u8]);

impl Serialize for Lossy<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(self.0) {
            Ok(text) => s.serialize_str(text),
            Err(_) => s.serialize_str(&String::from_utf8_lossy(self.0)),
        }
    }
}

struct Instruments<'a>(&'a ScoredRow<'a>);

impl Serialize for Instruments<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.sheets().len()))?;
        for inst in self.0.instruments() {
            map.serialize_entry(inst.instrument().id(), &Administration(self.0, inst))?;
        }
        map.end()
    }
}

struct Administration<'a>(&'a ScoredRow<'a>, InstrumentRow<'a>);

impl Serialize for Administration<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (row, inst) = (self.0, self.1);
        let layout = row.layout();
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("status", inst.status().as_str())?;
        map.serialize_entry("scales", &Scales(inst))?;
        map.serialize_entry("flags", &Each(|| inst.flags().map(|r| r.id.as_str())))?;
        map.serialize_entry("errors", &Errors(inst))?;
        map.serialize_entry("notes", &Texts(|| inst.notes()))?;
        let k = inst.index();
        let scales = inst.sheet().scales().len();
        if (0..scales).any(|s| layout.has_standard(k, s)) {
            map.serialize_entry("standard", &Standard(row, inst))?;
        }
        if layout.has_history() {
            map.serialize_entry("change", &Changes(inst))?;
            map.serialize_entry("change_method", &Text(inst.change_method()))?;
            map.serialize_entry("change_notes", &Texts(|| inst.change_notes()))?;
        }
        map.end()
    }
}

/// Items of an iterator made afresh, as a sequence.
struct Each<F>(F);

impl<F, I> Serialize for Each<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// A `Display` value as a string, written as it is formatted.
struct Text<T>(T);

impl<T: std::fmt::Display> Serialize for Text<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// `Display` values of an iterator made afresh, as a sequence of strings.
struct Texts<F>(F);

impl<F, I> Serialize for Texts<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: std::fmt::Display,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for item in (self.0)() {
            seq.serialize_element(&Text(item))?;
        }
        seq.end()
    }
}

struct Scales<'a>(InstrumentRow<'a>);

impl Serialize for Scales<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let scales = self.0.scales();
        let mut map = s.serialize_map(Some(scales.len()))?;
        for scale in scales {
            map.serialize_entry(scale.score.id(), &ScaleView(scale.score))?;
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

/// `[{column, value, message}]`: the row's problem (column and value empty), or every bad cell.
struct Errors<'a>(InstrumentRow<'a>);

impl Serialize for Errors<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for error in self.0.errors() {
            seq.serialize_element(&Entries([
                ("column", Value::Str(error.column())),
                ("value", Value::Str(error.value())),
                ("message", Value::Text(&error)),
            ]))?;
        }
        seq.end()
    }
}

/// `{scale: {ci95, ci95_clipped, norm, percentile, percentile_normal, sem, t, z}}` for the scales with a
/// reference group (`null` where the scale has no score or no stratum fits); keys in
/// alphabetical order.
struct Standard<'a>(&'a ScoredRow<'a>, InstrumentRow<'a>);

impl Serialize for Standard<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (layout, inst) = (self.0.layout(), self.1);
        let mut map = s.serialize_map(None)?;
        for scale in inst.scales() {
            if !layout.has_standard(inst.index(), scale.score.index()) {
                continue;
            }
            let id = scale.score.id();
            match scale.standard {
                None => map.serialize_entry(id, &())?,
                Some(x) => map.serialize_entry(
                    id,
                    &Entries([
                        ("ci95", Value::Pair(x.band)),
                        ("ci95_clipped", Value::Bool(x.band_clipped)),
                        ("norm", Value::Text(&NormLabel(x))),
                        ("percentile", Value::Float(x.percentile)),
                        ("percentile_normal", Value::Float(Some(x.percentile_normal))),
                        ("sem", Value::Float(x.sem)),
                        ("t", Value::Float(Some(x.t))),
                        ("z", Value::Float(Some(x.z))),
                    ]),
                )?,
            }
        }
        map.end()
    }
}

/// `{scale: {csc, first: {change, date, rci, reliable}, previous}}`; keys in alphabetical order.
struct Changes<'a>(InstrumentRow<'a>);

impl Serialize for Changes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for scale in self.0.scales() {
            let change = scale.change;
            let class = change.first.and_then(|(_, c)| c.class).map(|c| c.as_str());
            map.serialize_entry(
                scale.score.id(),
                &Entries([
                    ("csc", Value::Str(class.unwrap_or_default())),
                    ("first", Value::Side(change.first)),
                    ("previous", Value::Side(change.previous)),
                ])
                .null_if("csc", class.is_none()),
            )?;
        }
        map.end()
    }
}

/// A JSON value of the few kinds these objects hold, written without building a tree.
enum Value<'a> {
    Bool(bool),
    Str(&'a str),
    Text(&'a dyn std::fmt::Display),
    Float(Option<f64>),
    Pair(Option<(f64, f64)>),
    Side(Option<(Timestamp, Change)>),
    Null,
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Str(text) => s.serialize_str(text),
            Value::Text(text) => s.collect_str(text),
            Value::Float(x) => x.serialize(s),
            Value::Pair(pair) => pair.map(|(lo, hi)| [lo, hi]).serialize(s),
            Value::Side(None) | Value::Null => s.serialize_unit(),
            Value::Side(Some((date, c))) => Entries([
                ("change", Value::Float(Some(c.delta))),
                ("date", Value::Text(date)),
                ("rci", Value::Float(c.rci)),
                (
                    "reliable",
                    Value::Str(c.reliable.map_or("", |r| r.as_str())),
                ),
            ])
            .null_if("reliable", c.reliable.is_none())
            .serialize(s),
        }
    }
}

/// An object of fixed keys, in the order given.
struct Entries<'a, const N: usize>([(&'static str, Value<'a>); N]);

impl<'a, const N: usize> Entries<'a, N> {
    /// The same, with the value of `key` null when `null`.
    fn null_if(mut self, key: &str, null: bool) -> Self {
        if null {
            for (k, v) in &mut self.0 {
                if *k == key {
                    *v = Value::Null;
                }
            }
        }
        self
    }
}

impl<const N: usize> Serialize for Entries<'_, N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(N))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}
