//! The owned, plain data of a client's history (serde): what a report lays out.

use serde::{Deserialize, Serialize};

use crate::change::{ChangeClass, Reliable};
use crate::definition::{
    Construct, Direction, InstrumentStatus, License, ReliabilityKind, Severity, Source, Thresholds,
};
use crate::outcomes::EpisodeRecord;
use crate::sheet::Status;

/// Everything about one client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientHistory {
    /// The client's id, as in the input.
    pub client: String,
    /// The dates of the client's administrations, sorted, each once.
    pub dates: Vec<String>,
    /// One entry per instrument administered to the client, in the order given to the batch.
    pub instruments: Vec<InstrumentRecord>,
    /// The outcome of the course of treatment (every administration of the client), when
    /// judged ([`outcomes`](crate::outcomes)): reliable change, caseness and recovery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<EpisodeRecord>,
}

/// One instrument and its administrations to a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstrumentRecord {
    /// The instrument id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it measures.
    pub measures: String,
    /// The version of the definition.
    pub version: String,
    /// How far its scoring is established.
    pub status: InstrumentStatus,
    /// The reference to cite.
    pub citation: String,
    /// Its terms of use.
    pub license: License,
    /// Its scales, in definition order; [`InstrumentRecord::main_scale`] is the main one.
    pub scales: Vec<ScaleInfo>,
    /// Its items, in the order of the form.
    pub items: Vec<ItemInfo>,
    /// The administrations, in date order (those without a readable date last, in input order).
    pub administrations: Vec<AdministrationRecord>,
}

impl InstrumentRecord {
    /// The position of the main scale: `total` where there is one, else the first.
    pub fn main_scale(&self) -> usize {
        self.scales
            .iter()
            .position(|s| s.id == "total")
            .unwrap_or(0)
    }
}

/// What a report needs to know about a scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleInfo {
    /// The scale id.
    pub id: String,
    /// What it measures.
    pub label: String,
    /// Lowest and highest possible score.
    pub range: (f64, f64),
    /// Whether higher is worse or better.
    pub higher_is: Direction,
    /// The factor of the four-factor model it measures, if any.
    pub construct: Option<Construct>,
    /// Its bands, each from its lower bound to the next band's (the last to the maximum).
    pub bands: Vec<BandInfo>,
    /// Where its bands come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band_source: Option<Source>,
    /// Its reference groups in the definition, as a report cites them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupInfo>,
    /// Its published reliable-change threshold and caseness cut-off, with their sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
    /// For a composite scale, the scales it is made of (its record's `answered` and
    /// `applicable` then count these scales, not items).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
}

impl ScaleInfo {
    /// What a scale's `answered` and `applicable` count: `("item", "items")`, or for a
    /// composite `("component scale", "component scales")`.
    ///
    /// ```
    /// # use screenscore::clients::ScaleInfo;
    /// # use screenscore::definition::Direction;
    /// let mut info = ScaleInfo {
    ///     id: "total".into(), label: "Total".into(), range: (25.0, 125.0),
    ///     higher_is: Direction::Worse, construct: None, bands: Vec::new(), band_source: None,
    ///     groups: Vec::new(), thresholds: None, components: Vec::new(),
    /// };
    /// assert_eq!(info.parts(), ("item", "items"));
    /// info.components = vec!["a".into(), "b".into()];
    /// assert_eq!(info.parts(), ("component scale", "component scales"));
    /// ```
    pub fn parts(&self) -> (&'static str, &'static str) {
        if self.components.is_empty() {
            ("item", "items")
        } else {
            ("component scale", "component scales")
        }
    }
}

/// A reference group of a scale, as a report cites it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupInfo {
    /// The group's id.
    pub id: String,
    /// Who the group is.
    pub population: String,
    /// Where its numbers come from.
    pub source: Source,
}

/// One band of a scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandInfo {
    /// Lowest score in the band.
    pub from: f64,
    /// Where the next band starts (or the scale's maximum for the last band).
    pub to: f64,
    /// The band's name.
    pub label: String,
}

/// What a report needs to know about an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemInfo {
    /// The item id (its number on the form).
    pub id: String,
    /// A short summary.
    pub label: String,
    /// Whether it counts towards any scale.
    pub scored: bool,
    /// The scales in which it is reverse-keyed.
    pub reversed_in: Vec<String>,
}

/// One administration of one instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdministrationRecord {
    /// The date, as read (ISO 8601), or `None` when missing or unreadable.
    pub date: Option<String>,
    /// The row's 1-based record number in the input.
    pub record: u64,
    /// The administration's status.
    pub status: Status,
    /// Per scale, in definition order.
    pub scales: Vec<ScaleRecord>,
    /// The flags raised.
    pub flags: Vec<FlagRecord>,
    /// Per item, in the order of the form.
    pub items: Vec<ItemRecord>,
    /// Bad cells, as `column: message`.
    pub errors: Vec<String>,
    /// Notes on the scoring that the record does not hold otherwise (an answer to an item that
    /// does not apply, an unrecognised attribute, a row's shape); the instrument's status, a
    /// prorated scale and a scale left unscored are in [`InstrumentRecord::status`] and
    /// [`ScaleRecord`].
    pub notes: Vec<String>,
    /// How change is computed (per scale).
    pub change_method: String,
    /// Why this administration is not compared, or what was skipped.
    pub change_notes: Vec<String>,
}

/// One scale of one administration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleRecord {
    /// The scale id.
    pub id: String,
    /// The score, if scored.
    pub score: Option<f64>,
    /// The band's label.
    pub band: Option<String>,
    /// The band's position among the scale's bands.
    pub band_index: Option<usize>,
    /// Whether the score was prorated for missing items.
    pub prorated: bool,
    /// Items answered.
    pub answered: u32,
    /// Items that apply.
    pub applicable: u32,
    /// Standard scores, where a reference group fits.
    pub standard: Option<StandardRecord>,
    /// Change since the client's first administration.
    pub since_first: Option<ChangeRecord>,
    /// Change since the client's previous administration.
    pub since_previous: Option<ChangeRecord>,
    /// How change of this scale is judged for this respondent (when the administration is
    /// compared at all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<MethodRecord>,
}

/// How the change of a scale is judged, as data (the words are the report's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodRecord {
    /// What makes a change reliable.
    pub reliable_by: ReliableBy,
    /// The cut-off for the class of change, if any.
    pub cutoff: Option<CutoffRecord>,
}

/// What makes a change reliable: `{"by": "rci", …}`, `{"by": "threshold", "points": 6}` or
/// `{"by": "not_judged"}` in JSON.
///
/// ```
/// use screenscore::clients::{CutoffRecord, MethodRecord, ReliableBy};
///
/// // The PHQ-9 total: 6 points or more is reliable change, 10 or more is a case.
/// let method = MethodRecord {
///     reliable_by: ReliableBy::Threshold { points: 6.0 },
///     cutoff: Some(CutoffRecord::Caseness { value: 10.0 }),
/// };
/// assert_eq!(
///     serde_json::to_string(&method)?,
///     r#"{"reliable_by":{"by":"threshold","points":6.0},"cutoff":{"from":"caseness","value":10.0}}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReliableBy {
    /// The reliable change index (|RCI| > 1.96) from a reference group's SD and reliability.
    Rci {
        /// The SD.
        sd: f64,
        /// The reliability.
        reliability: f64,
        /// Its kind.
        kind: ReliabilityKind,
        /// The id of the group both come from ([`ScaleInfo::groups`]).
        group: String,
    },
    /// The scale's published threshold: a change of at least this many points.
    Threshold {
        /// The points.
        points: f64,
    },
    /// Neither: no reference group gives an SD and a reliability, and no threshold is
    /// published.
    NotJudged,
}

/// The cut-off behind the class of change: `{"from": "jacobson_truax", "value": 9.8}` or
/// `{"from": "caseness", "value": 10}` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CutoffRecord {
    /// Jacobson–Truax, between the scale's functional and dysfunctional reference groups.
    JacobsonTruax {
        /// The cut-off.
        value: f64,
    },
    /// The published caseness cut-off (a score at it is a case).
    Caseness {
        /// The cut-off.
        value: f64,
    },
}

/// A standard score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardRecord {
    /// z.
    pub z: f64,
    /// T (50 + 10z).
    pub t: f64,
    /// Percentile rank from data (the group's sample: local norms), where the group gives it.
    pub percentile: Option<f64>,
    /// Percentile by the normal approximation (which misstates the tails of skewed scores).
    pub percentile_normal: f64,
    /// Standard error of measurement.
    pub sem: Option<f64>,
    /// 95% band around the score, clipped to the scale's range.
    pub ci95: Option<(f64, f64)>,
    /// Whether the band was clipped to the scale's range.
    pub ci95_clipped: bool,
    /// The reference group and stratum.
    pub norm: String,
    /// The reference group's id ([`ScaleInfo::groups`]).
    pub group: String,
    /// The group's population.
    pub population: String,
    /// The stratum of the group, in words (`women`, `men aged 18-29`; empty for the whole group).
    pub stratum: String,
}

/// A change since an earlier administration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRecord {
    /// The earlier administration's date.
    pub date: String,
    /// Score now minus score then.
    pub change: f64,
    /// The reliable change index.
    pub rci: Option<f64>,
    /// Whether the change is reliable, and which way.
    pub reliable: Option<Reliable>,
    /// The clinically significant change class.
    pub class: Option<ChangeClass>,
}

/// A flag raised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagRecord {
    /// The rule id.
    pub id: String,
    /// What it means: the rule's label, or, when it holds because an answer could not be
    /// read, that answer and that it could not be read ([`Flag`](crate::Flag)).
    pub label: String,
    /// How urgent it is.
    pub severity: Severity,
}

/// One item of one administration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRecord {
    /// The item id.
    pub id: String,
    /// What became of the item.
    pub state: ItemStatus,
    /// The answer's label.
    pub answer: Option<String>,
    /// The answer's value (before reverse keying).
    pub value: Option<f64>,
}

/// What became of an item, without its value: `answered`, `skipped`, `missing`, `invalid` or
/// `not_applicable` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ItemStatus {
    /// Answered.
    Answered,
    /// Not asked because of skip logic.
    Skipped,
    /// Not answered.
    Missing,
    /// Holding something that is not an answer.
    Invalid,
    /// Not applying to this respondent.
    NotApplicable,
}
