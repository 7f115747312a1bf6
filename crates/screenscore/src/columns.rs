//! Column names, in one place: the input columns an instrument reads (`{instrument}_{item}`,
//! and a column per respondent attribute) and the output columns it writes, in order, under the
//! options of a run (standard scores, change over time). The scores CSV, the batch's layout,
//! `instruments show` and `instruments template` all take their names from here, and checking a
//! definition refuses ids whose columns would clash.
//!
//! ```
//! use screenscore::Instrument;
//! use screenscore::columns::OutputColumns;
//!
//! let gad7 = Instrument::builtin("gad7")?.definition();
//! let names: Vec<String> = OutputColumns::new(gad7).names().map(|n| n.to_string()).collect();
//! assert_eq!(
//!     names,
//!     ["gad7_total", "gad7_total_band", "gad7_status", "gad7_flags", "gad7_error", "gad7_notes"]
//! );
//! let with_change = OutputColumns::new(gad7).change(true);
//! assert_eq!(with_change.names().last().unwrap().to_string(), "gad7_change_notes");
//! # Ok::<(), screenscore::Error>(())
//! ```

use std::fmt;

use crate::definition::Definition;

/// A standard-score column of a scale, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StandardColumn {
    /// `_z`: `(x − M) / SD`.
    Z,
    /// `_t`: `50 + 10z`.
    T,
    /// `_percentile`: the percentile rank from data (the group's sample), empty where the
    /// group gives only a mean and an SD.
    Percentile,
    /// `_percentile_normal`: `100·Φ(z)`, the normal approximation.
    PercentileNormal,
    /// `_sem`: the standard error of measurement.
    Sem,
    /// `_ci95_low`: the 95% band's lower end.
    Ci95Low,
    /// `_ci95_high`: the 95% band's upper end.
    Ci95High,
    /// `_norm`: the reference group and stratum.
    Norm,
}

impl StandardColumn {
    /// Every standard-score column, in output order.
    pub const ALL: [StandardColumn; 8] = [
        StandardColumn::Z,
        StandardColumn::T,
        StandardColumn::Percentile,
        StandardColumn::PercentileNormal,
        StandardColumn::Sem,
        StandardColumn::Ci95Low,
        StandardColumn::Ci95High,
        StandardColumn::Norm,
    ];

    /// The suffix after `{instrument}_{scale}_`.
    pub fn suffix(self) -> &'static str {
        match self {
            StandardColumn::Z => "z",
            StandardColumn::T => "t",
            StandardColumn::Percentile => "percentile",
            StandardColumn::PercentileNormal => "percentile_normal",
            StandardColumn::Sem => "sem",
            StandardColumn::Ci95Low => "ci95_low",
            StandardColumn::Ci95High => "ci95_high",
            StandardColumn::Norm => "norm",
        }
    }
}

/// A change-over-time column of a scale, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeColumn {
    /// `_first_date`: the client's first administration.
    FirstDate,
    /// `_change_first`: the change since it.
    ChangeFirst,
    /// `_rci_first`: its reliable change index.
    RciFirst,
    /// `_reliable_first`: whether it is reliable.
    ReliableFirst,
    /// `_previous_date`: the client's previous administration.
    PreviousDate,
    /// `_change_previous`: the change since it.
    ChangePrevious,
    /// `_rci_previous`: its reliable change index.
    RciPrevious,
    /// `_reliable_previous`: whether it is reliable.
    ReliablePrevious,
    /// `_csc`: the clinically significant change class since the first.
    Csc,
}

impl ChangeColumn {
    /// Every change column, in output order.
    pub const ALL: [ChangeColumn; 9] = [
        ChangeColumn::FirstDate,
        ChangeColumn::ChangeFirst,
        ChangeColumn::RciFirst,
        ChangeColumn::ReliableFirst,
        ChangeColumn::PreviousDate,
        ChangeColumn::ChangePrevious,
        ChangeColumn::RciPrevious,
        ChangeColumn::ReliablePrevious,
        ChangeColumn::Csc,
    ];

    /// The suffix after `{instrument}_{scale}_`.
    pub fn suffix(self) -> &'static str {
        match self {
            ChangeColumn::FirstDate => "first_date",
            ChangeColumn::ChangeFirst => "change_first",
            ChangeColumn::RciFirst => "rci_first",
            ChangeColumn::ReliableFirst => "reliable_first",
            ChangeColumn::PreviousDate => "previous_date",
            ChangeColumn::ChangePrevious => "change_previous",
            ChangeColumn::RciPrevious => "rci_previous",
            ChangeColumn::ReliablePrevious => "reliable_previous",
            ChangeColumn::Csc => "csc",
        }
    }
}

/// One output column of an instrument; scales by their position in the definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// `{instrument}_{scale}`: the score.
    Score {
        /// The scale.
        scale: usize,
    },
    /// `{instrument}_{scale}_band`, for a scale with bands.
    Band {
        /// The scale.
        scale: usize,
    },
    /// `{instrument}_status`.
    Status,
    /// `{instrument}_flags`: the rules raised.
    Flags,
    /// `{instrument}_error`: the bad cells.
    Error,
    /// `{instrument}_notes`.
    Notes,
    /// A standard-score column of a scale with a reference group.
    Standard {
        /// The scale.
        scale: usize,
        /// Which.
        what: StandardColumn,
    },
    /// A change column of a scale.
    Change {
        /// The scale.
        scale: usize,
        /// Which.
        what: ChangeColumn,
    },
    /// `{instrument}_change_method`.
    ChangeMethod,
    /// `{instrument}_change_notes`.
    ChangeNotes,
}

/// The suffixes of an instrument's own columns (after `{instrument}_`), which no scale id may
/// take.
pub const INSTRUMENT_SUFFIXES: [&str; 6] = [
    "status",
    "flags",
    "error",
    "notes",
    "change_method",
    "change_notes",
];

/// The output columns of one instrument under a run's options, in output order: per scale its
/// score and band; the status, flags, error and notes; standard scores per scale that has them;
/// with change over time, the change columns per scale and the method and notes.
#[derive(Debug, Clone)]
pub struct OutputColumns<'d> {
    def: &'d Definition,
    /// Per scale, whether its standard-score columns are written.
    standard: Vec<bool>,
    change: bool,
}

impl<'d> OutputColumns<'d> {
    /// The columns of `def` with no standard scores and no change.
    pub fn new(def: &'d Definition) -> OutputColumns<'d> {
        OutputColumns {
            def,
            standard: vec![false; def.scales.len()],
            change: false,
        }
    }

    /// Standard-score columns for the scales where `has` says so.
    pub fn standard(mut self, has: impl Fn(usize) -> bool) -> OutputColumns<'d> {
        for (s, on) in self.standard.iter_mut().enumerate() {
            *on = has(s);
        }
        self
    }

    /// Change columns, or not.
    pub fn change(mut self, on: bool) -> OutputColumns<'d> {
        self.change = on;
        self
    }

    /// Every column, as wide as a definition's columns can get: standard scores for every
    /// scale and change (for checking that no two columns share a name).
    pub fn widest(def: &'d Definition) -> OutputColumns<'d> {
        OutputColumns::new(def).standard(|_| true).change(true)
    }

    /// Whether scale `s` has standard-score columns.
    pub fn has_standard(&self, s: usize) -> bool {
        self.standard.get(s).copied().unwrap_or(false)
    }

    /// Whether change columns are written.
    pub fn has_change(&self) -> bool {
        self.change
    }

    /// The definition.
    pub fn definition(&self) -> &'d Definition {
        self.def
    }

    /// The columns, in output order.
    pub fn iter(&self) -> impl Iterator<Item = Column> + '_ {
        let scales = 0..self.def.scales.len();
        let scores = scales.clone().flat_map(move |s| {
            let band = (!self.def.scales[s].bands.is_empty()).then_some(Column::Band { scale: s });
            std::iter::once(Column::Score { scale: s }).chain(band)
        });
        let own = [Column::Status, Column::Flags, Column::Error, Column::Notes];
        let standard = scales
            .clone()
            .filter(|&s| self.has_standard(s))
            .flat_map(|s| {
                StandardColumn::ALL
                    .into_iter()
                    .map(move |what| Column::Standard { scale: s, what })
            });
        let change = scales
            .filter(|_| self.change)
            .flat_map(|s| {
                ChangeColumn::ALL
                    .into_iter()
                    .map(move |what| Column::Change { scale: s, what })
            })
            .chain(
                [Column::ChangeMethod, Column::ChangeNotes]
                    .into_iter()
                    .filter(|_| self.change),
            );
        scores.chain(own).chain(standard).chain(change)
    }

    /// The name of `column`.
    pub fn name(&self, column: Column) -> ColumnName<'d> {
        let scale = |s: usize| Some(self.def.scales[s].id.as_str());
        let (scale, suffix) = match column {
            Column::Score { scale: s } => (scale(s), None),
            Column::Band { scale: s } => (scale(s), Some("band")),
            Column::Status => (None, Some("status")),
            Column::Flags => (None, Some("flags")),
            Column::Error => (None, Some("error")),
            Column::Notes => (None, Some("notes")),
            Column::Standard { scale: s, what } => (scale(s), Some(what.suffix())),
            Column::Change { scale: s, what } => (scale(s), Some(what.suffix())),
            Column::ChangeMethod => (None, Some("change_method")),
            Column::ChangeNotes => (None, Some("change_notes")),
        };
        ColumnName {
            instrument: &self.def.id,
            scale,
            suffix,
        }
    }

    /// The names of the columns, in output order.
    pub fn names(&self) -> impl Iterator<Item = ColumnName<'d>> + '_ {
        self.iter().map(|c| self.name(c))
    }
}

/// A column's name: `{instrument}[_{scale}][_{suffix}]`, written without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnName<'d> {
    instrument: &'d str,
    scale: Option<&'d str>,
    suffix: Option<&'d str>,
}

impl fmt::Display for ColumnName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.instrument)?;
        for part in [self.scale, self.suffix].into_iter().flatten() {
            write!(f, "_{part}")?;
        }
        Ok(())
    }
}

/// The input column of item `item` of `def`: `{instrument}_{item}`.
///
/// ```
/// use screenscore::Instrument;
/// use screenscore::columns::item_column;
///
/// let phq9 = Instrument::builtin("phq9")?.definition();
/// assert_eq!(item_column(phq9, 8).to_string(), "phq9_9");
/// # Ok::<(), screenscore::Error>(())
/// ```
pub fn item_column(def: &Definition, item: usize) -> ColumnName<'_> {
    ColumnName {
        instrument: &def.id,
        scale: Some(&def.items[item].id),
        suffix: None,
    }
}

/// The input columns of `def`: its items' columns, then one per respondent attribute (named
/// after it).
pub fn input_columns(def: &Definition) -> impl Iterator<Item = String> + '_ {
    let items = (0..def.items.len()).map(|i| item_column(def, i).to_string());
    items.chain(def.attributes.iter().map(|a| a.id.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Instrument;

    #[test]
    fn every_column_in_output_order() {
        let def = Instrument::builtin("cffs").unwrap().definition();
        let widest = OutputColumns::widest(def);
        let names: Vec<String> = widest.names().map(|n| n.to_string()).collect();
        let scales = def.scales.len();
        let bands = def.scales.iter().filter(|s| !s.bands.is_empty()).count();
        assert_eq!(
            names.len(),
            scales + bands + 4 + scales * 8 + scales * 9 + 2
        );
        assert_eq!(names[0], format!("cffs_{}", def.scales[0].id));
        assert_eq!(names.last().unwrap(), "cffs_change_notes");
        let first_standard = scales + bands + 4;
        assert_eq!(
            names[first_standard],
            format!("cffs_{}_z", def.scales[0].id)
        );
    }
}
