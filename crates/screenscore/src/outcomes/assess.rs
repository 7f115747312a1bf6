//! The outcome of one episode: per instrument, first and last score, change, reliable change
//! and caseness; for the instruments that publish both a reliable-change threshold and a
//! caseness cut-off (PHQ-9 and GAD-7 today), the combined classes as NHS Talking Therapies
//! defines them.

use std::fmt;

use crate::batch::{PreparedMethod, ScaleMethods};
use crate::change::{ChangeMethod, CutoffKind, Reliable};
use crate::date::Timestamp;
use crate::definition::Definition;
use crate::instrument::Instrument;
use crate::norms::Respondent;

/// One scored administration of an instrument's outcome scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The administration's date.
    pub date: Timestamp,
    /// The score.
    pub score: f64,
}

/// What an episode holds of one instrument: how many of its administrations scored the
/// instrument's outcome scale, the first and the last of them (by date, then input order), and
/// the respondent at the first (whose sex and age choose the strata of a reliable change index).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Course {
    /// Administrations that scored the scale.
    pub scored: u32,
    /// The first of them.
    pub first: Option<Point>,
    /// The last of them (the same as `first` when `scored` is 1).
    pub last: Option<Point>,
    /// The respondent at the first.
    pub respondent: Respondent,
}

/// One instrument's outcome in an episode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstrumentOutcome<'a> {
    /// The course it was judged from.
    pub course: Course,
    /// `last − first`, when scored at two administrations or more.
    pub change: Option<f64>,
    /// Whether the change is reliable, and which way (when a method judges it).
    pub reliable: Option<Reliable>,
    /// Whether the first score is a case by the published caseness cut-off.
    pub case_first: Option<bool>,
    /// Whether the last score is a case.
    pub case_last: Option<bool>,
    /// How reliable change and caseness were judged.
    pub method: Option<&'a PreparedMethod>,
}

/// Whether a combined reliable change was an improvement, a deterioration or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CombinedChange {
    /// Reliable improvement on at least one measure and reliable deterioration on none.
    ReliableImprovement,
    /// Reliable deterioration on at least one measure.
    ReliableDeterioration,
    /// Neither.
    NoReliableChange,
}

impl CombinedChange {
    /// `reliable_improvement`, `reliable_deterioration` or `no_reliable_change`.
    pub fn as_str(self) -> &'static str {
        match self {
            CombinedChange::ReliableImprovement => "reliable_improvement",
            CombinedChange::ReliableDeterioration => "reliable_deterioration",
            CombinedChange::NoReliableChange => "no_reliable_change",
        }
    }
}

/// Recovery, or reliable recovery: only judged for an episode that was a case at first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recovery {
    /// Recovered.
    Yes,
    /// Not recovered.
    No,
    /// Not a case at first: there was nothing to recover from.
    NotApplicable,
}

impl Recovery {
    /// `yes`, `no` or `not_applicable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Recovery::Yes => "yes",
            Recovery::No => "no",
            Recovery::NotApplicable => "not_applicable",
        }
    }
}

/// The combined classes of an episode whose paired measures each have a first and a last score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classes {
    /// A case at first: the first score at or above the caseness cut-off on at least one
    /// measure.
    pub case_at_first: bool,
    /// Reliable improvement, reliable deterioration, or neither.
    pub change: CombinedChange,
    /// A case at first and below caseness on every measure at last.
    pub recovery: Recovery,
    /// Recovery with reliable improvement.
    pub reliable_recovery: Recovery,
}

/// Why an episode has no combined classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAssessed<'a> {
    /// No administration scored any measure of the pair.
    NoScore,
    /// One administration only: nothing to compare.
    OneAdministration,
    /// A measure of the pair lacks a first and a last score.
    ScoredOnce {
        /// The measure.
        instrument: &'a str,
        /// At how many administrations it was scored (0 or 1).
        scored: u32,
    },
}

impl NotAssessed<'_> {
    /// `no_score`, `one_administration` or `scored_once`.
    pub fn as_str(&self) -> &'static str {
        match self {
            NotAssessed::NoScore => "no_score",
            NotAssessed::OneAdministration => "one_administration",
            NotAssessed::ScoredOnce { .. } => "scored_once",
        }
    }
}

impl fmt::Display for NotAssessed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotAssessed::NoScore => f.write_str("no administration scored the paired measures"),
            NotAssessed::OneAdministration => {
                f.write_str("one scored administration: nothing to compare")
            }
            NotAssessed::ScoredOnce { instrument, scored } => write!(
                f,
                "{instrument} was scored at {scored} administration{}; each paired measure needs a first and a last score",
                if *scored == 1 { "" } else { "s" }
            ),
        }
    }
}

/// The combined outcome of an episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combined<'a> {
    /// Every paired measure has a first and a last score.
    Assessed(Classes),
    /// Why not.
    NotAssessed(NotAssessed<'a>),
}

/// How one instrument's outcome is judged.
#[derive(Debug)]
struct Judge<'b> {
    /// The outcome scale.
    scale: usize,
    /// The method by the scale's published thresholds, when it has them.
    published: Option<PreparedMethod>,
    /// Otherwise the Jacobson–Truax methods of its reference groups.
    rci: ScaleMethods<'b>,
}

/// Judges episodes: prepared once for a batch's instruments.
#[derive(Debug)]
pub struct Assessor<'b> {
    instruments: &'b [Instrument],
    judges: Vec<Judge<'b>>,
    /// The instruments whose outcome scale publishes a reliable-change threshold and a caseness
    /// cut-off: the pair the combined classes are judged on (when there are two or more).
    paired: Vec<usize>,
}

/// The scale an instrument's outcome is judged on: the one with published thresholds, else
/// `total`, else the first.
pub fn outcome_scale(definition: &Definition) -> usize {
    let scales = &definition.scales;
    scales
        .iter()
        .position(|s| s.thresholds.is_some())
        .or_else(|| scales.iter().position(|s| s.id == "total"))
        .unwrap_or(0)
}

impl<'b> Assessor<'b> {
    /// Prepare the judgement of `instruments`' outcomes.
    pub fn new(instruments: &'b [Instrument]) -> Assessor<'b> {
        let judges: Vec<Judge<'b>> = instruments
            .iter()
            .map(|instrument| {
                let s = outcome_scale(instrument.definition());
                let scale = &instrument.definition().scales[s];
                Judge {
                    scale: s,
                    published: ChangeMethod::published(scale).map(PreparedMethod::new),
                    rci: ScaleMethods::new(scale, None, CutoffKind::C),
                }
            })
            .collect();
        let paired = judges
            .iter()
            .enumerate()
            .filter(|(_, j)| {
                j.published
                    .as_ref()
                    .is_some_and(|m| m.method().caseness.is_some())
            })
            .map(|(k, _)| k)
            .collect();
        Assessor {
            instruments,
            judges,
            paired,
        }
    }

    /// The instruments judged, in the batch's order.
    pub fn instruments(&self) -> &'b [Instrument] {
        self.instruments
    }

    /// The position of instrument `k`'s outcome scale.
    pub fn scale(&self, k: usize) -> usize {
        self.judges[k].scale
    }

    /// The instruments the combined classes are judged on (positions among the batch's), or
    /// none when fewer than two publish both thresholds.
    pub fn paired(&self) -> &[usize] {
        if self.paired.len() >= 2 {
            &self.paired
        } else {
            &[]
        }
    }

    /// Instrument `k`'s outcome from its course.
    pub fn instrument(&self, k: usize, course: &Course) -> InstrumentOutcome<'_> {
        let judge = &self.judges[k];
        let method = judge
            .published
            .as_ref()
            .or_else(|| judge.rci.find(&course.respondent));
        let compared = match (course.first, course.last) {
            (Some(first), Some(last)) if course.scored >= 2 => Some((first.score, last.score)),
            _ => None,
        };
        let change = compared.and_then(|(a, b)| method.map(|m| m.method().compare(a, b)));
        let case = |p: Option<Point>| method.and_then(|m| m.method().is_case(p?.score));
        InstrumentOutcome {
            course: *course,
            change: compared.map(|(a, b)| b - a),
            reliable: change.and_then(|c| c.reliable),
            case_first: case(course.first),
            case_last: case(course.last).filter(|_| compared.is_some()),
            method,
        }
    }

    /// The combined classes of an episode whose instruments' outcomes are `outcomes` (one per
    /// instrument, in the batch's order), `scored` administrations of which scored any of them.
    ///
    /// The rules are those of NHS Talking Therapies' published measure definitions: a case at
    /// first is at caseness on either measure; reliable improvement is improvement beyond the
    /// threshold on at least one measure and reliable deterioration on neither; reliable
    /// deterioration is deterioration on either; recovery is a case at first and below
    /// caseness on both measures at last, and is not applicable to an episode that was not a
    /// case at first; reliable recovery is recovery with reliable improvement.
    pub fn combine<'s>(
        &'s self,
        outcomes: &[InstrumentOutcome<'_>],
        scored: u32,
    ) -> Option<Combined<'s>> {
        let paired = self.paired();
        if paired.is_empty() {
            return None;
        }
        if paired.iter().all(|&k| outcomes[k].course.scored == 0) {
            return Some(Combined::NotAssessed(NotAssessed::NoScore));
        }
        if scored <= 1 {
            return Some(Combined::NotAssessed(NotAssessed::OneAdministration));
        }
        if let Some(&k) = paired.iter().find(|&&k| outcomes[k].course.scored < 2) {
            return Some(Combined::NotAssessed(NotAssessed::ScoredOnce {
                instrument: self.instruments[k].id(),
                scored: outcomes[k].course.scored,
            }));
        }
        let each = || paired.iter().map(|&k| &outcomes[k]);
        let case_at_first = each().any(|o| o.case_first == Some(true));
        let improved = each().any(|o| o.reliable == Some(Reliable::Improved));
        let deteriorated = each().any(|o| o.reliable == Some(Reliable::Deteriorated));
        let change = if deteriorated {
            CombinedChange::ReliableDeterioration
        } else if improved {
            CombinedChange::ReliableImprovement
        } else {
            CombinedChange::NoReliableChange
        };
        let (recovery, reliable_recovery) = if !case_at_first {
            (Recovery::NotApplicable, Recovery::NotApplicable)
        } else if each().all(|o| o.case_last == Some(false)) {
            let reliably = change == CombinedChange::ReliableImprovement;
            (
                Recovery::Yes,
                if reliably {
                    Recovery::Yes
                } else {
                    Recovery::No
                },
            )
        } else {
            (Recovery::No, Recovery::No)
        };
        Some(Combined::Assessed(Classes {
            case_at_first,
            change,
            recovery,
            reliable_recovery,
        }))
    }
}
