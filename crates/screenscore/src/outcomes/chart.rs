//! What a chart of first against last scores shows: per instrument, the episodes' (first, last)
//! pairs counted (so a caseload of any size draws at most one mark per pair of scores), the
//! scale's range and bands, the caseness cut-off and the reliable-change threshold.

use std::collections::HashMap;

use crate::definition::Direction;

use super::Assessor;
use super::collect::Episode;

/// One band of a scale: `from` to `to`, and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartBand {
    /// The band's lowest score.
    pub from: f64,
    /// Where the next band starts (or the scale's maximum).
    pub to: f64,
    /// Its label.
    pub label: String,
}

/// Episodes that went from `first` to `last`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartPoint {
    /// The first score.
    pub first: f64,
    /// The last score.
    pub last: f64,
    /// How many episodes.
    pub episodes: u32,
}

/// First against last scores of one instrument over a caseload.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The instrument's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The outcome scale's label.
    pub scale: String,
    /// The scale's range.
    pub range: (f64, f64),
    /// Which way is better.
    pub higher_is: Direction,
    /// Its bands.
    pub bands: Vec<ChartBand>,
    /// The published caseness cut-off.
    pub caseness: Option<f64>,
    /// The published reliable-change threshold, in points.
    pub threshold: Option<f64>,
    /// Where the threshold and the cut-off are published (each source's reference).
    pub sources: Vec<String>,
    /// Every (first, last) pair of the episodes scored twice, sorted.
    pub points: Vec<ChartPoint>,
}

impl Assessor<'_> {
    /// One chart per instrument, of the episodes scored at two administrations or more.
    pub fn charts(&self, episodes: &[Episode]) -> Vec<Chart> {
        self.instruments()
            .iter()
            .enumerate()
            .map(|(k, instrument)| {
                let def = instrument.definition();
                let scale = &def.scales[self.scale(k)];
                let range = instrument.scale_range(&scale.id).unwrap_or((0.0, 0.0));
                let bands = scale
                    .bands
                    .iter()
                    .enumerate()
                    .map(|(b, band)| ChartBand {
                        from: band.from,
                        to: scale.bands.get(b + 1).map_or(range.1, |next| next.from),
                        label: band.label.clone(),
                    })
                    .collect();
                let mut counts: HashMap<(u64, u64), u32> = HashMap::new();
                for course in episodes.iter().map(|e| &e.courses[k]) {
                    if let (Some(first), Some(last), true) =
                        (course.first, course.last, course.scored >= 2)
                    {
                        *counts
                            .entry((first.score.to_bits(), last.score.to_bits()))
                            .or_default() += 1;
                    }
                }
                let mut points: Vec<ChartPoint> = counts
                    .into_iter()
                    .map(|((a, b), episodes)| ChartPoint {
                        first: f64::from_bits(a),
                        last: f64::from_bits(b),
                        episodes,
                    })
                    .collect();
                points.sort_by(|a, b| a.first.total_cmp(&b.first).then(a.last.total_cmp(&b.last)));
                let thresholds = scale.thresholds.as_ref();
                Chart {
                    id: def.id.clone(),
                    name: def.name.clone(),
                    scale: scale.label.clone(),
                    range,
                    higher_is: scale.higher_is,
                    bands,
                    caseness: thresholds.and_then(|t| t.caseness.as_ref()).map(|c| c.from),
                    threshold: thresholds
                        .and_then(|t| t.reliable_change.as_ref())
                        .map(|r| r.points),
                    sources: thresholds
                        .into_iter()
                        .flat_map(|t| {
                            let change = t.reliable_change.as_ref().map(|r| &r.source.reference);
                            let case = t.caseness.as_ref().map(|c| &c.source.reference);
                            change.into_iter().chain(case)
                        })
                        .fold(Vec::new(), |mut refs, r| {
                            if !refs.contains(r) {
                                refs.push(r.clone());
                            }
                            refs
                        }),
                    points,
                }
            })
            .collect()
    }
}
