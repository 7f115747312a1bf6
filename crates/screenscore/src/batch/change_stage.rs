//! The change stage, prepared once per batch: per instrument and scale, its change methods
//! (Jacobson–Truax), one per class of respondents (the strata their sex and age select in the
//! scale's reference groups), each described once; per row, the client's earlier
//! administrations from pass 1's [`Table`] compared with this one.

use std::fmt;

use crate::change::{ChangeMethod, CutoffKind};
use crate::definition::{NormGroup, Scale};
use crate::instrument::Instrument;
use crate::norms::{Respondent, Sex, select_stratum};
use crate::timeline::Placement;

use super::history::{HistorySettings, Table};
use crate::date::DateFormat;

use super::notes::{ChangeNote, NoteSlot, Records};
use super::row::{InstrumentExtras, ScaleChange};

/// A change method with its description, made once per batch.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedMethod {
    method: ChangeMethod,
    text: String,
}

impl PreparedMethod {
    pub(crate) fn new(method: ChangeMethod) -> PreparedMethod {
        PreparedMethod {
            text: method.to_string(),
            method,
        }
    }

    /// The method, its administrations ordered by REDCap event rather than by date.
    fn by_event(mut self) -> PreparedMethod {
        self.text.push_str("; ordered by REDCap event, not by date");
        self
    }

    /// The method.
    pub fn method(&self) -> &ChangeMethod {
        &self.method
    }
}

impl fmt::Display for PreparedMethod {
    /// As [`ChangeMethod`]'s: `RCI (Jacobson-Truax): SD 3.5, internal consistency .89 (…)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A scale's change methods, one per selection of strata in its groups.
#[derive(Debug)]
pub(crate) struct ScaleMethods<'b> {
    scale: &'b Scale,
    /// The definition's groups, then the local norms' group.
    groups: Vec<&'b NormGroup>,
    /// The local norms' group, for [`ChangeMethod::new`].
    local: Option<&'b NormGroup>,
    cutoff: CutoffKind,
    /// Per selection (the stratum chosen in each group, by position), the method.
    methods: Vec<(Vec<Option<usize>>, PreparedMethod)>,
}

/// The position of the stratum `group` selects for `respondent`.
fn stratum_of(group: &NormGroup, respondent: &Respondent) -> Option<usize> {
    let chosen = select_stratum(group, respondent)?;
    group.strata.iter().position(|s| std::ptr::eq(s, chosen))
}

impl<'b> ScaleMethods<'b> {
    /// Every method a respondent can get: the selection of strata is constant between the ends
    /// of the strata's age ranges, so respondents of each sex (or none) at every end, between
    /// ends, beyond both and without an age meet every selection there is.
    pub(crate) fn new(scale: &'b Scale, local: Option<&'b NormGroup>, cutoff: CutoffKind) -> Self {
        let groups: Vec<&NormGroup> = scale.norms.iter().chain(local).collect();
        let mut ends: Vec<f64> = groups
            .iter()
            .flat_map(|g| &g.strata)
            .filter_map(|s| s.age)
            .flat_map(|a| [a.from, a.to])
            .collect();
        ends.sort_by(f64::total_cmp);
        ends.dedup();
        let mut ages: Vec<Option<f64>> = vec![None];
        if let (Some(&low), Some(&high)) = (ends.first(), ends.last()) {
            ages.extend([Some(low - 1.0), Some(high + 1.0)]);
        }
        ages.extend(ends.iter().map(|&a| Some(a)));
        ages.extend(ends.windows(2).map(|w| Some((w[0] + w[1]) / 2.0)));
        let mut methods = ScaleMethods {
            scale,
            groups,
            local,
            cutoff,
            methods: Vec::new(),
        };
        for sex in [None, Some(Sex::Female), Some(Sex::Male)] {
            for &age in &ages {
                let respondent = Respondent { sex, age };
                let key: Vec<Option<usize>> = methods
                    .groups
                    .iter()
                    .map(|g| stratum_of(g, &respondent))
                    .collect();
                if !methods.methods.iter().any(|(k, _)| *k == key) {
                    let method = methods.make(&respondent);
                    methods.methods.push((key, method));
                }
            }
        }
        methods
    }

    fn make(&self, respondent: &Respondent) -> PreparedMethod {
        let extra: Vec<&NormGroup> = self.local.into_iter().collect();
        PreparedMethod::new(ChangeMethod::new(
            self.scale,
            &extra,
            respondent,
            self.cutoff,
        ))
    }

    /// The method for `respondent`, among those made (every selection was made, so one is
    /// found), without allocating.
    pub(crate) fn find(&self, respondent: &Respondent) -> Option<&PreparedMethod> {
        let fits = |key: &[Option<usize>]| {
            key.iter()
                .zip(&self.groups)
                .all(|(k, g)| *k == stratum_of(g, respondent))
        };
        self.methods.iter().find(|(k, _)| fits(k)).map(|(_, m)| m)
    }
}

/// The change stage of a batch: pass 1's table and every scale's methods.
#[derive(Debug)]
pub(crate) struct ChangeStage<'b> {
    table: &'b Table,
    settings: &'b HistorySettings,
    /// `[instrument][scale]`.
    methods: Vec<Vec<ScaleMethods<'b>>>,
}

impl<'b> ChangeStage<'b> {
    /// Prepare every scale's methods (`local[k][s]`: the local norms of scale `s` of
    /// instrument `k`).
    pub(crate) fn new(
        instruments: &'b [Instrument],
        local: &'b [Vec<Option<NormGroup>>],
        settings: &'b HistorySettings,
        table: &'b Table,
    ) -> ChangeStage<'b> {
        let methods = instruments
            .iter()
            .zip(local)
            .map(|(instrument, local)| {
                let scales = &instrument.definition().scales;
                scales
                    .iter()
                    .zip(local)
                    .map(|(scale, local)| {
                        let mut methods = ScaleMethods::new(scale, local.as_ref(), settings.cutoff);
                        if matches!(settings.date_format, DateFormat::Events(_)) {
                            for (_, method) in &mut methods.methods {
                                *method = method.clone().by_event();
                            }
                        }
                        methods
                    })
                    .collect()
            })
            .collect();
        ChangeStage {
            table,
            settings,
            methods,
        }
    }

    /// Pass 1's table.
    pub(crate) fn table(&self) -> &'b Table {
        self.table
    }

    /// The change of row `row` (0-based) into `extras`; the row's date.
    pub(crate) fn fill(
        &'b self,
        row: usize,
        date_cell: &str,
        respondent: &Respondent,
        extras: &mut [InstrumentExtras<'b>],
    ) -> Option<crate::date::Timestamp> {
        let table = self.table;
        // A row pass 1 did not read (the input changed) is stopped by `Table::check_row`.
        if row >= table.rows() {
            return None;
        }
        for (k, extras) in extras.iter_mut().enumerate() {
            extras.change.fill(ScaleChange::default());
            extras.notes.clear();
            let Some(e) = table.entry(k, row) else {
                continue;
            };
            let history = table.history(k);
            let notes = &mut extras.notes;
            match history.placement(e) {
                Placement::NoClient => notes.push(NoteSlot::Note(ChangeNote::NoClient)),
                Placement::NoDate if date_cell.is_empty() => {
                    notes.push(NoteSlot::Note(ChangeNote::NoDate));
                }
                Placement::NoDate => {
                    notes.push(NoteSlot::UnreadableDate(&self.settings.date_format));
                }
                Placement::Duplicate { .. } => notes.push(NoteSlot::Note(ChangeNote::Duplicate {
                    client: table.client_of(row),
                    date: table.date(row),
                    others: Records(table.duplicates(k, e)),
                })),
                Placement::Unusable => notes.push(NoteSlot::Note(ChangeNote::Unusable)),
                Placement::Placed => self.compare(k, row, e, respondent, extras),
            }
        }
        table.date(row)
    }

    /// Compare a placed administration with the client's earlier ones, scale by scale.
    fn compare(
        &'b self,
        k: usize,
        row: usize,
        e: usize,
        respondent: &Respondent,
        extras: &mut InstrumentExtras<'b>,
    ) {
        let (table, history) = (self.table, self.table.history(k));
        let mut has_earlier = false;
        for (s, methods) in self.methods[k].iter().enumerate() {
            let Some(method) = methods.find(respondent) else {
                debug_assert!(false, "every selection of strata has its method");
                continue;
            };
            let links = history.links(e, s);
            has_earlier |= links.first.is_some();
            if let Some(skipped) = links.skipped {
                let r = table.row_of(k, skipped);
                let note = NoteSlot::Note(ChangeNote::Skipped {
                    date: table.date(r),
                    record: r as u64 + 1,
                });
                if !extras.notes.contains(&note) {
                    extras.notes.push(note);
                }
            }
            let change = &mut extras.change[s];
            change.method = Some(method);
            let now = table.score(row, k, s);
            if !now.is_finite() {
                continue;
            }
            let compare = |entry: Option<usize>| {
                let r = table.row_of(k, entry?);
                Some((
                    table.date(r)?,
                    method.method.compare(table.score(r, k, s), now),
                ))
            };
            change.first = compare(links.first);
            change.previous = compare(links.previous);
        }
        if !has_earlier {
            extras.notes.push(NoteSlot::Note(ChangeNote::Baseline));
        }
    }
}
