//! The result of scoring one administration of one instrument.

use std::fmt;

use crate::condition::Truth;
use crate::definition::{InstrumentStatus, Rule, Scale};
use crate::instrument::Instrument;

mod flag;

pub use flag::Flag;

/// The status of one instrument in one administration.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every scale was scored.
    Ok,
    /// Some scale could not be scored under its missing-data rule.
    Incomplete,
    /// A cell holds a value that is not an answer to its item; nothing is scored.
    Invalid,
    /// No item of the instrument was answered: it was not administered.
    Absent,
}

impl Status {
    /// `ok`, `incomplete`, `invalid` or `absent`, as written in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Incomplete => "incomplete",
            Status::Invalid => "invalid",
            Status::Absent => "absent",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What became of one item.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum ItemState {
    /// Answered with the option at `option` (its index in the response set), scoring `value`
    /// before any reverse keying.
    Answered {
        /// The option's value.
        value: f64,
        /// The option's index in its response set.
        option: usize,
    },
    /// Not asked because of skip logic; it scores `value`.
    Skipped {
        /// The value a skipped item scores.
        value: f64,
    },
    /// Not answered.
    Missing,
    /// The cell holds something that is not an answer; see [`ScoreSheet::errors`].
    Invalid,
    /// The item does not apply to this respondent (for example PHQ-15 item 4 for a man).
    NotApplicable,
}

impl ItemState {
    /// The value the item contributes before reverse keying, if any (none for an answer whose
    /// option has no value, as in an unscored item).
    pub fn value(self) -> Option<f64> {
        match self {
            ItemState::Answered { value, .. } | ItemState::Skipped { value } => {
                Some(value).filter(|v| !v.is_nan())
            }
            _ => None,
        }
    }
}

/// Why a scale has no score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unscored {
    /// Too many items missing for the scale's rule.
    TooManyMissing {
        /// Items answered (or skipped by skip logic).
        answered: u32,
        /// Items that apply to this respondent.
        applicable: u32,
    },
    /// The administration has an invalid cell, so nothing is scored.
    Invalid,
    /// The instrument was not administered.
    Absent,
    /// The scale it derives from has no score.
    NoSource,
    /// A composite: too few of its component scales scored for its rule.
    ComponentsUnscored {
        /// Component scales scored.
        scored: u32,
        /// Component scales.
        components: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ScaleSlot {
    pub(crate) score: Option<f64>,
    /// The range the complete score lies in given what is known (`(score, score)` when scored).
    pub(crate) bounds: (f64, f64),
    pub(crate) band: Option<usize>,
    pub(crate) answered: u32,
    pub(crate) applicable: u32,
    pub(crate) prorated: bool,
    pub(crate) unscored: Option<Unscored>,
}

impl ScaleSlot {
    pub(crate) const fn unscored(reason: Unscored) -> ScaleSlot {
        ScaleSlot {
            score: None,
            bounds: (f64::NEG_INFINITY, f64::INFINITY),
            band: None,
            answered: 0,
            applicable: 0,
            prorated: false,
            unscored: Some(reason),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CellError {
    /// The item, by index in the definition's `items`.
    pub(crate) item: usize,
    /// The raw cell, as text (invalid UTF-8 replaced).
    pub(crate) value: String,
    pub(crate) utf8: bool,
}

/// The scores, bands, flags and problems of one administration of one instrument.
///
/// A sheet can be reused: batch scoring keeps one per instrument and scores every row into it,
/// so the hot path allocates nothing for rows without errors.
#[derive(Debug, Clone)]
pub struct ScoreSheet<'i> {
    pub(crate) instrument: &'i Instrument,
    pub(crate) status: Status,
    pub(crate) items: Vec<ItemState>,
    pub(crate) attributes: Vec<Option<usize>>,
    pub(crate) scales: Vec<ScaleSlot>,
    pub(crate) flags: Vec<usize>,
    pub(crate) errors: Vec<CellError>,
    /// Items answered although they do not apply.
    pub(crate) ignored: Vec<usize>,
    /// Respondent attributes whose value is not recognised: index and the value as found.
    pub(crate) unrecognised: Vec<(usize, String)>,
    /// Scratch space of the condition programs, kept to be reused.
    pub(crate) truths: Vec<Truth>,
}

impl<'i> ScoreSheet<'i> {
    /// An empty sheet for `instrument`, status `absent`.
    pub fn new(instrument: &'i Instrument) -> ScoreSheet<'i> {
        let plan = instrument.plan();
        ScoreSheet {
            instrument,
            status: Status::Absent,
            items: vec![ItemState::Missing; plan.items.len()],
            attributes: vec![None; plan.attributes.len()],
            scales: vec![ScaleSlot::unscored(Unscored::Absent); plan.scales.len()],
            flags: Vec::new(),
            errors: Vec::new(),
            ignored: Vec::new(),
            unrecognised: Vec::new(),
            truths: Vec::new(),
        }
    }

    /// The instrument scored.
    pub fn instrument(&self) -> &'i Instrument {
        self.instrument
    }

    /// The status of the administration.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The scale with this id, if the instrument has one.
    pub fn scale(&self, id: &str) -> Option<ScaleScore<'_>> {
        self.scales().find(|s| s.id() == id)
    }

    /// The score of the scale `total` (every bundled instrument's main score).
    pub fn total(&self) -> Option<f64> {
        self.scale("total").and_then(|s| s.score())
    }

    /// Every scale, in the order of the definition.
    pub fn scales(&self) -> impl ExactSizeIterator<Item = ScaleScore<'_>> + '_ {
        let def = self.instrument.definition();
        self.scales
            .iter()
            .zip(&def.scales)
            .enumerate()
            .map(|(index, (slot, scale))| ScaleScore {
                index,
                scale,
                slot,
                range: self.instrument.plan().scales[index].range,
            })
    }

    /// What became of each item, in the order of the definition.
    pub fn items(
        &self,
    ) -> impl ExactSizeIterator<Item = (&'i crate::definition::Item, ItemState)> + '_ {
        self.instrument
            .definition()
            .items
            .iter()
            .zip(self.items.iter().copied())
    }

    /// The rules whose condition holds, in the order of the definition.
    pub fn flags(&self) -> impl ExactSizeIterator<Item = &'i Rule> + '_ {
        let rules = &self.instrument.definition().rules;
        self.flags.iter().map(move |&r| &rules[r])
    }

    /// The flags raised, in the order of the definition, each with its words: the rule's
    /// label, or what could not be read when that is why it holds (see [`Flag`]).
    pub fn raised(&self) -> impl ExactSizeIterator<Item = Flag<'_>> + '_ {
        self.flags.iter().map(move |&r| Flag::new(self, r))
    }

    /// Whether the rule with this id holds.
    pub fn is_flagged(&self, rule: &str) -> bool {
        self.flags().any(|r| r.id == rule)
    }

    /// Every cell that holds something other than an answer, in the order of the definition.
    pub fn errors(&self) -> impl ExactSizeIterator<Item = DataError<'_>> + '_ {
        self.errors.iter().map(move |e| DataError {
            instrument: self.instrument,
            error: e,
        })
    }

    /// Notes a reader of the scores should see: the instrument's status when it is not
    /// validated, prorated scales, scales left unscored and why, answers to items that do not
    /// apply.
    pub fn notes(&self) -> impl Iterator<Item = Note<'_>> + '_ {
        let status = self.instrument.status();
        let status_note = (self.status != Status::Absent && status != InstrumentStatus::Validated)
            .then_some(Note::Status(status));
        // A derived scale shares its source's account; the source's note says it once.
        let item_scales = self.scales().filter(|s| s.definition().derived.is_none());
        let scale_notes = item_scales.filter_map(|s| {
            if s.prorated() && s.definition().scales.is_some() {
                Some(Note::ProratedFromScales {
                    scale: s.id(),
                    scored: s.answered(),
                    components: s.applicable(),
                })
            } else if s.prorated() {
                Some(Note::Prorated {
                    scale: s.id(),
                    answered: s.answered(),
                    applicable: s.applicable(),
                })
            } else {
                match s.slot.unscored {
                    Some(Unscored::TooManyMissing {
                        answered,
                        applicable,
                    }) => Some(Note::TooManyMissing {
                        scale: s.id(),
                        answered,
                        applicable,
                    }),
                    _ => None,
                }
            }
        });
        let def = self.instrument.definition();
        let plan = self.instrument.plan();
        let unrecognised = self
            .unrecognised
            .iter()
            .map(|(a, value)| Note::UnrecognisedAttribute {
                attribute: &def.attributes[*a].id,
                value,
                expected: &plan.attributes[*a].expected,
            });
        let ignored = self.ignored.iter().map(|&i| Note::NotApplicable {
            item: &def.items[i].id,
        });
        status_note
            .into_iter()
            .chain(unrecognised)
            .chain(scale_notes)
            .chain(ignored)
    }

    /// An administration that cannot be read at all (a row with the wrong number of cells).
    pub(crate) fn mark_invalid(&mut self) {
        self.clear();
        self.status = Status::Invalid;
        self.scales.fill(ScaleSlot::unscored(Unscored::Invalid));
    }

    /// Reset what scoring does not overwrite: the engine sets every item, and every scale of an
    /// administration (an absent one resets its scales itself).
    pub(crate) fn begin(&mut self) {
        self.status = Status::Absent;
        self.attributes.fill(None);
        self.flags.clear();
        self.errors.clear();
        self.ignored.clear();
        self.unrecognised.clear();
    }

    /// Reset to an empty sheet, keeping allocations.
    pub(crate) fn clear(&mut self) {
        self.status = Status::Absent;
        self.items.fill(ItemState::Missing);
        self.attributes.fill(None);
        self.scales.fill(ScaleSlot::unscored(Unscored::Absent));
        self.flags.clear();
        self.errors.clear();
        self.ignored.clear();
        self.unrecognised.clear();
    }
}

/// One scale's result.
#[derive(Debug, Clone, Copy)]
pub struct ScaleScore<'a> {
    index: usize,
    scale: &'a Scale,
    slot: &'a ScaleSlot,
    range: (f64, f64),
}

impl<'a> ScaleScore<'a> {
    /// The scale's id.
    pub fn id(&self) -> &'a str {
        &self.scale.id
    }

    /// Its position among the instrument's scales.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The scale's definition.
    pub fn definition(&self) -> &'a Scale {
        self.scale
    }

    /// The score, or `None` when the scale could not be scored.
    pub fn score(&self) -> Option<f64> {
        self.slot.score
    }

    /// The label of the band the score falls in, if the scale has bands.
    pub fn band(&self) -> Option<&'a str> {
        self.slot.band.map(|b| self.scale.bands[b].label.as_str())
    }

    /// The index of the band the score falls in.
    pub fn band_index(&self) -> Option<usize> {
        self.slot.band
    }

    /// Items answered (or scored by skip logic).
    pub fn answered(&self) -> u32 {
        self.slot.answered
    }

    /// Items that apply to this respondent.
    pub fn applicable(&self) -> u32 {
        self.slot.applicable
    }

    /// Whether the score was prorated for missing items.
    pub fn prorated(&self) -> bool {
        self.slot.prorated
    }

    /// Why there is no score.
    pub fn unscored(&self) -> Option<Unscored> {
        self.slot.unscored
    }

    /// The lowest and highest score the scale can have given what was answered: `(score,
    /// score)` when it is scored; for a scale left unscored by missing or unreadable items, the
    /// range its complete score would lie in (rules are decided over this range, so a result
    /// that missing answers could not change is never lost).
    pub fn bounds(&self) -> (f64, f64) {
        self.slot.bounds
    }

    /// Lowest and highest possible score (with every item applying).
    pub fn range(&self) -> (f64, f64) {
        self.range
    }
}

/// A cell that holds something other than an answer.
#[derive(Debug, Clone, Copy)]
pub struct DataError<'a> {
    instrument: &'a Instrument,
    error: &'a CellError,
}

impl<'a> DataError<'a> {
    /// The item's position in the definition's `items`.
    pub fn item_index(&self) -> usize {
        self.error.item
    }

    /// The item's id.
    pub fn id(&self) -> &'a str {
        &self.instrument.definition().items[self.error.item].id
    }

    /// The cell as found (invalid UTF-8 replaced by U+FFFD).
    pub fn value(&self) -> &'a str {
        &self.error.value
    }

    /// What the cell may hold.
    pub fn expected(&self) -> &'a str {
        let plan = self.instrument.plan();
        &plan.sets[plan.items[self.error.item].set].expected
    }

    /// What is wrong with the cell, without the value: `not an answer to this item (expected …)`.
    pub fn reason(&self) -> String {
        let utf8 = if self.error.utf8 {
            ""
        } else {
            "valid UTF-8 text, so not "
        };
        format!(
            "not {utf8}an answer to this item (expected {})",
            self.expected()
        )
    }
}

impl fmt::Display for DataError<'_> {
    /// `"9" is not an answer to this item (expected 0, 1, 2, 3, or a label such as "Not at all")`.
    ///
    /// Control characters in the value are shown escaped (`\0`, `\u{1b}`, `\n`), and a value
    /// longer than 40 characters is cut, with its length: `"xxx…" (300 characters)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_value(f)?;
        write!(f, " is {}", self.reason())
    }
}

impl DataError<'_> {
    /// The value in quotes, control characters escaped and cut at 40 characters (with its
    /// length when cut).
    pub(crate) fn write_value(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 40;
        let value = self.value();
        f.write_str("\"")?;
        for c in value.chars().take(SHOWN) {
            if c.is_control() {
                write!(f, "{}", c.escape_debug())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        let length = value.chars().count();
        if length > SHOWN {
            write!(f, "…\" ({length} characters)")
        } else {
            f.write_str("\"")
        }
    }
}

/// Something a reader of the scores should know about one administration.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Note<'a> {
    /// The instrument is provisional or unvalidated.
    Status(InstrumentStatus),
    /// The scale was prorated from `answered` of `applicable` items.
    Prorated {
        /// The scale id.
        scale: &'a str,
        /// Items answered.
        answered: u32,
        /// Items that apply.
        applicable: u32,
    },
    /// A composite scale was prorated from `scored` of its `components` scales.
    ProratedFromScales {
        /// The scale id.
        scale: &'a str,
        /// Component scales scored.
        scored: u32,
        /// Component scales.
        components: u32,
    },
    /// The scale was not scored: too many items missing.
    TooManyMissing {
        /// The scale id.
        scale: &'a str,
        /// Items answered.
        answered: u32,
        /// Items that apply.
        applicable: u32,
    },
    /// An item that does not apply to this respondent was answered; the answer is not scored.
    NotApplicable {
        /// The item id.
        item: &'a str,
    },
    /// A respondent attribute holds a value the definition does not recognise; it is treated
    /// as not given.
    UnrecognisedAttribute {
        /// The attribute id.
        attribute: &'a str,
        /// The value found.
        value: &'a str,
        /// The accepted values.
        expected: &'a str,
    },
}

impl fmt::Display for Note<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Note::Status(InstrumentStatus::Unvalidated) => {
                f.write_str("UNVALIDATED instrument: not for clinical decisions")
            }
            Note::Status(InstrumentStatus::Provisional) => {
                f.write_str("PROVISIONAL scoring: part of the key rests on a secondary source")
            }
            Note::Status(InstrumentStatus::Validated) => Ok(()),
            Note::Prorated {
                scale,
                answered,
                applicable,
            } => write!(f, "{scale} prorated from {answered} of {applicable} items"),
            Note::ProratedFromScales {
                scale,
                scored,
                components,
            } => write!(
                f,
                "{scale} prorated from {scored} of its {components} component scales"
            ),
            Note::TooManyMissing {
                scale,
                answered,
                applicable,
            } => write!(
                f,
                "{scale} not scored: {} of {applicable} items missing",
                applicable - answered
            ),
            Note::NotApplicable { item } => {
                write!(
                    f,
                    "item {item} does not apply to this respondent; its answer is not scored"
                )
            }
            Note::UnrecognisedAttribute {
                attribute,
                value,
                expected,
            } => write!(
                f,
                "{attribute} \"{value}\" is not recognised (expected {expected}); treated as not given"
            ),
        }
    }
}
