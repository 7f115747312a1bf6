//! Whether a file looks like it is in another coding of a response set (the K10 coded 0-4
//! where the definition reads 1-5): a [`RowSink`] that tallies, over the whole file, which
//! values the numbers in the item cells take, and afterwards says so once per instrument and
//! response set with a [`FileWarning`].
//!
//! Only response sets that declare an [`OtherCoding`](crate::definition::OtherCoding) are
//! looked at, and only cells written as plain numbers (an answer given as a label is read by its
//! meaning and cannot be in the wrong coding). With `ours` this coding's values, `other` the
//! other coding's (each value plus the offset), a file is taken to be in the other coding when,
//! across at least [`CODING_ROWS`] rows with a number in some item cell of the set, no cell holds
//! a value only `ours` has, and either
//!
//! - some cells hold a value only `other` has (K10 read 1-5: cells holding 0, and no 5), or
//! - the lowest value of `ours` is one `other` lacks, and every other value of `ours` occurs
//!   (K6 read 0-4: no 0 although 1, 2, 3 and 4 all occur).
//!
//! The second test is about the lowest value only: where `other` lies below `ours` (the K10),
//! our lowest value is shared with `other`, and the value only `ours` has is the highest (the
//! K10's 5, `All of the time`), which a sample may simply not use; its absence says nothing
//! about the coding, while a file really in `other` holds `other`'s lowest value (0).

use std::io;

use crate::definition::Method;
use crate::instrument::Instrument;
use crate::matcher::{plain_decimal, trim};
use crate::sheet::ItemState;

use super::Layout;
use super::row::{RowSink, ScoredRow};
use super::warnings::FileWarning;

/// The fewest rows with a number in an item cell for which the absence of a value is taken to
/// say something about the file's coding (screenscore policy, from issue 14).
pub const CODING_ROWS: u64 = 50;

/// Tallies, per instrument and response set with another coding, the values of the numbers in
/// its item cells; [`CodingCheck::warnings`] gives the result after the last row.
#[derive(Debug, Default)]
pub struct CodingCheck {
    tallies: Vec<Tally>,
    /// Per instrument with such a response set, per item: the tally the item's cells go to.
    routes: Vec<Option<Vec<Option<usize>>>>,
}

#[derive(Debug)]
struct Tally {
    id: String,
    coding: String,
    offset: f64,
    /// This coding's values, ascending, and how many cells held each.
    ours: Vec<(f64, u64)>,
    /// The values only the other coding has, ascending, and how many cells held each.
    other_only: Vec<(f64, u64)>,
    /// Rows with a number of either coding in some item cell of the set.
    rows: u64,
    /// The row last counted, so a row counts once.
    last_row: u64,
    /// Per summed scale: its id and how far a row in the other coding is off.
    shifts: Vec<(String, f64)>,
}

impl CodingCheck {
    /// A check with nothing tallied.
    pub fn new() -> CodingCheck {
        CodingCheck::default()
    }

    /// What the file's values say, once every row has been seen.
    pub fn warnings(&self) -> Vec<FileWarning> {
        self.tallies.iter().filter_map(Tally::warning).collect()
    }
}

impl Tally {
    /// The warning, when the file looks like it is in the other coding (see the module's
    /// documentation).
    fn warning(&self) -> Option<FileWarning> {
        // A value of this coding that the other coding lacks.
        let only_ours = |v: f64| !self.ours.iter().any(|&(o, _)| o + self.offset == v);
        let never: Vec<f64> = self
            .ours
            .iter()
            .map(|&(v, _)| v)
            .filter(|&v| only_ours(v))
            .collect();
        let held = |v: f64| self.ours.iter().any(|&(o, n)| o == v && n > 0);
        if self.rows < CODING_ROWS || never.iter().any(|&v| held(v)) {
            return None;
        }
        let other_only: Vec<(f64, u64)> = self
            .other_only
            .iter()
            .copied()
            .filter(|&(_, n)| n > 0)
            .collect();
        let (lowest, _) = self.ours[0];
        let rest_held = self.ours[1..].iter().all(|&(_, n)| n > 0);
        if other_only.is_empty() && !(only_ours(lowest) && rest_held) {
            return None;
        }
        Some(FileWarning::OtherCoding {
            instrument: self.id.clone(),
            coding: self.coding.clone(),
            ours: self.ours.iter().map(|&(v, _)| v).collect(),
            rows: self.rows,
            never,
            other_only,
            offset: self.offset,
            shifts: self.shifts.clone(),
        })
    }
}

impl RowSink for CodingCheck {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        self.tallies.clear();
        self.routes.clear();
        for (k, instrument) in instruments.iter().enumerate() {
            let def = instrument.definition();
            let mut routes = vec![None; def.items.len()];
            for set in &def.response_sets {
                let Some(other) = &set.other_coding else {
                    continue;
                };
                let mut ours: Vec<(f64, u64)> = set
                    .options
                    .iter()
                    .filter_map(|o| o.value)
                    .map(|v| (v, 0))
                    .collect();
                ours.sort_by(|a, b| a.0.total_cmp(&b.0));
                if ours.is_empty() {
                    continue;
                }
                let other_only = ours
                    .iter()
                    .map(|&(v, _)| (v + other.offset, 0))
                    .filter(|&(w, _)| !ours.iter().any(|&(v, _)| v == w))
                    .collect();
                let in_set = |id: &String| {
                    def.items
                        .iter()
                        .any(|i| i.id == *id && i.response_set == set.id)
                };
                let shifts = def
                    .scales
                    .iter()
                    .filter(|s| s.method == Some(Method::Sum))
                    .filter_map(|s| {
                        let items = s.items.as_ref()?;
                        let shift: f64 = items
                            .iter()
                            .filter(|id| in_set(id))
                            .map(|id| match s.reverse.contains(id) {
                                true => -other.offset,
                                false => other.offset,
                            })
                            .sum();
                        (shift != 0.0).then(|| (s.id.clone(), shift))
                    })
                    .collect();
                let t = self.tallies.len();
                for (i, item) in def.items.iter().enumerate() {
                    if item.response_set == set.id && layout.instruments[k].items[i].is_some() {
                        routes[i] = Some(t);
                    }
                }
                self.tallies.push(Tally {
                    id: def.id.clone(),
                    coding: other.label.clone(),
                    offset: other.offset,
                    ours,
                    other_only,
                    rows: 0,
                    last_row: 0,
                    shifts,
                });
            }
            self.routes
                .push(routes.iter().any(Option::is_some).then_some(routes));
        }
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        if row.problem.is_some() {
            return Ok(());
        }
        for (k, routes) in self.routes.iter().enumerate() {
            let Some(routes) = routes else {
                continue;
            };
            let columns = &row.layout.instruments[k].items;
            for (i, (_, state)) in row.sheets[k].items().enumerate() {
                let (Some(t), Some(c)) = (routes[i], columns[i]) else {
                    continue;
                };
                if !matches!(state, ItemState::Answered { .. } | ItemState::Invalid) {
                    continue;
                }
                let Some(number) = row
                    .cells
                    .get(c)
                    .and_then(|cell| plain_decimal(trim(cell)))
                    .and_then(|text| text.parse::<f64>().ok())
                else {
                    continue;
                };
                let tally = &mut self.tallies[t];
                let slot = tally
                    .ours
                    .iter_mut()
                    .chain(tally.other_only.iter_mut())
                    .find(|(v, _)| *v == number);
                if let Some((_, n)) = slot {
                    *n += 1;
                    if tally.last_row != row.record {
                        tally.last_row = row.record;
                        tally.rows += 1;
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}
