//! The standard-score stage, prepared once per batch: per instrument and scale, the reference
//! group that gives standard scores, its frequency table sorted and summed ([`NormTable`]);
//! per row, the stratum the respondent's sex and age select and the score placed in it.

use crate::definition::NormGroup;
use crate::instrument::Instrument;
use crate::norms::{NormTable, Respondent};
use crate::sheet::ScoreSheet;

use super::row::InstrumentExtras;

/// The prepared reference groups of a batch: `[instrument][scale]`.
#[derive(Debug)]
pub(crate) struct StandardStage<'b> {
    tables: Vec<Vec<Option<NormTable<'b>>>>,
}

impl<'b> StandardStage<'b> {
    /// Prepare the groups of `instruments`' scales (`[instrument][scale]`, `None` where a scale
    /// has none), every whole score of a scale's range placed ahead where it has few.
    pub(crate) fn new(
        instruments: &'b [Instrument],
        groups: Vec<Vec<Option<&'b NormGroup>>>,
    ) -> StandardStage<'b> {
        let tables = instruments
            .iter()
            .zip(groups)
            .map(|(instrument, scales)| {
                let def = instrument.definition();
                let range = |s: usize| instrument.scale_range(&def.scales[s].id);
                scales
                    .into_iter()
                    .enumerate()
                    .map(|(s, group)| {
                        let group = group?;
                        Some(match range(s) {
                            Some(range) => NormTable::for_scale(group, range),
                            None => NormTable::new(group),
                        })
                    })
                    .collect()
            })
            .collect();
        StandardStage { tables }
    }

    /// Place every scored scale of `sheets` in its group, for `respondent`, into each
    /// instrument's `extras` (reused from row to row).
    pub(crate) fn apply(
        &self,
        sheets: &[ScoreSheet<'_>],
        respondent: &Respondent,
        extras: &mut [InstrumentExtras<'b>],
    ) {
        for ((sheet, tables), extras) in sheets.iter().zip(&self.tables).zip(extras) {
            let out = &mut extras.standard;
            for ((scale, table), out) in sheet.scales.iter().zip(tables).zip(out) {
                *out = match (scale.score, table) {
                    (Some(score), Some(table)) => table.place(score, respondent).ok(),
                    _ => None,
                };
            }
        }
    }
}
