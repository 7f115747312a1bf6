//! An episode's outcome as owned, plain data: what the JSON Lines writer writes and what a
//! per-client report shows under its at-a-glance table.

use serde::{Deserialize, Serialize};

use crate::change::Reliable;

use super::EpisodeOutcome;
use super::assess::{Assessor, Combined, CombinedChange, NotAssessed, Point, Recovery};

/// A score and its date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointRecord {
    /// The administration's date.
    pub date: String,
    /// The score.
    pub score: f64,
}

impl From<Point> for PointRecord {
    fn from(p: Point) -> PointRecord {
        PointRecord {
            date: p.date.to_string(),
            score: p.score,
        }
    }
}

/// One instrument's outcome in an episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstrumentOutcomeRecord {
    /// The instrument's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The label of the scale the outcome is judged on.
    pub scale: String,
    /// Administrations that scored the scale.
    pub scored: u32,
    /// The first score.
    pub first: Option<PointRecord>,
    /// The last score (the first when scored once).
    pub last: Option<PointRecord>,
    /// `last − first`, when scored twice or more.
    pub change: Option<f64>,
    /// Whether the change is reliable, and which way.
    pub reliable: Option<Reliable>,
    /// Whether the first score is a case.
    pub case_first: Option<bool>,
    /// Whether the last score is a case (when scored twice or more).
    pub case_last: Option<bool>,
    /// How reliable change and caseness were judged.
    pub method: Option<String>,
}

/// Why an episode has no combined classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotAssessedReason {
    /// No administration scored the paired measures.
    NoScore,
    /// One scored administration.
    OneAdministration,
    /// A paired measure was scored once.
    ScoredOnce,
}

/// The combined classes of an episode, or why there are none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CombinedRecord {
    /// The paired measures (instrument ids).
    pub instruments: Vec<String>,
    /// Whether every paired measure had a first and a last score.
    pub assessed: bool,
    /// Why not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_assessed: Option<NotAssessedReason>,
    /// Why not, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// A case at first on either measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_at_first: Option<bool>,
    /// Reliable improvement, reliable deterioration, or neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliable_change: Option<CombinedChange>,
    /// Recovery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<Recovery>,
    /// Reliable recovery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliable_recovery: Option<Recovery>,
}

/// One episode's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeRecord {
    /// The client's id.
    pub client: String,
    /// The episode's id, when an episode column told courses apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub episode: Option<String>,
    /// The first date.
    pub first_date: Option<String>,
    /// The last date.
    pub last_date: Option<String>,
    /// Dated administrations.
    pub administrations: u32,
    /// Rows whose date could not be read.
    pub undated: u32,
    /// Per instrument, in the batch's order.
    pub instruments: Vec<InstrumentOutcomeRecord>,
    /// The combined classes, when the batch has a pair of measures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combined: Option<CombinedRecord>,
}

impl EpisodeOutcome<'_, '_> {
    /// The outcome as owned data; `assessor` is the one that judged it.
    pub fn record(&self, assessor: &Assessor<'_>) -> EpisodeRecord {
        let e = self.episode;
        let instruments = assessor
            .instruments()
            .iter()
            .zip(&self.instruments)
            .enumerate()
            .map(|(k, (instrument, o))| InstrumentOutcomeRecord {
                id: instrument.id().to_string(),
                name: instrument.definition().name.clone(),
                scale: instrument.definition().scales[assessor.scale(k)]
                    .label
                    .clone(),
                scored: o.course.scored,
                first: o.course.first.map(PointRecord::from),
                last: o.course.last.map(PointRecord::from),
                change: o.change,
                reliable: o.reliable,
                case_first: o.case_first,
                case_last: o.case_last,
                method: o.method.map(ToString::to_string),
            })
            .collect();
        let paired: Vec<String> = assessor
            .paired()
            .iter()
            .map(|&k| assessor.instruments()[k].id().to_string())
            .collect();
        let combined = self.combined.map(|c| match c {
            Combined::Assessed(classes) => CombinedRecord {
                instruments: paired,
                assessed: true,
                not_assessed: None,
                why: None,
                case_at_first: Some(classes.case_at_first),
                reliable_change: Some(classes.change),
                recovery: Some(classes.recovery),
                reliable_recovery: Some(classes.reliable_recovery),
            },
            Combined::NotAssessed(why) => CombinedRecord {
                instruments: paired,
                assessed: false,
                not_assessed: Some(why.reason()),
                why: Some(why.to_string()),
                case_at_first: None,
                reliable_change: None,
                recovery: None,
                reliable_recovery: None,
            },
        });
        EpisodeRecord {
            client: e.client.clone(),
            episode: e.episode.clone(),
            first_date: e.first_date.map(|d| d.to_string()),
            last_date: e.last_date.map(|d| d.to_string()),
            administrations: e.administrations,
            undated: e.undated,
            instruments,
            combined,
        }
    }
}

impl NotAssessed<'_> {
    /// The reason, without the instrument.
    pub fn reason(&self) -> NotAssessedReason {
        match self {
            NotAssessed::NoScore => NotAssessedReason::NoScore,
            NotAssessed::OneAdministration => NotAssessedReason::OneAdministration,
            NotAssessed::ScoredOnce { .. } => NotAssessedReason::ScoredOnce,
        }
    }
}
