//! [`Responses`]: one administration's answers, as an embedding application holds them, and
//! [`Instrument::score`], which scores them.

use crate::engine::{self, Input};
use crate::error::Error;
use crate::instrument::Instrument;
use crate::sheet::ScoreSheet;

/// The answers of one administration: item responses by item id, and respondent attributes.
///
/// Values are the text a form would hold: an option value (`"2"`), label (`"Several days"`) or
/// code; empty means not answered.
///
/// ```
/// use screenscore::{Instrument, Responses, Status};
///
/// let phq9 = Instrument::builtin("phq9")?;
/// let responses = Responses::new()
///     .item("1", "2")
///     .item("2", "several days")
///     .item("3", "LA6568-5"); // a LOINC answer code
/// let sheet = phq9.score(&responses)?;
/// assert_eq!(sheet.status(), Status::Incomplete); // items 4 to 9 unanswered
///
/// let err = phq9.score(&Responses::new().item("11", 0)).unwrap_err();
/// assert!(err.to_string().starts_with("phq9 has no item `11`"));
/// # Ok::<(), screenscore::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Responses {
    items: Vec<(Key, String)>,
    attributes: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Id(String),
    Position(usize),
}

impl Responses {
    /// No answers yet.
    pub fn new() -> Responses {
        Responses::default()
    }

    /// Answers to the items in the order of the definition: the first value answers the first
    /// item, and so on. Items after the last value are unanswered.
    ///
    /// ```
    /// use screenscore::{Instrument, Responses};
    ///
    /// let phq9 = Instrument::builtin("phq9")?;
    /// let sheet = phq9.score(&Responses::in_order([2, 2, 2, 2, 1, 1, 2, 0, 0]))?;
    /// assert_eq!(sheet.total(), Some(12.0));
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn in_order<T: ToString>(values: impl IntoIterator<Item = T>) -> Responses {
        Responses {
            items: values
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Key::Position(i), v.to_string()))
                .collect(),
            attributes: Vec::new(),
        }
    }

    /// Set the answer to item `id` (replacing an earlier one).
    pub fn item(mut self, id: impl Into<String>, value: impl ToString) -> Responses {
        self.set_item(id, value);
        self
    }

    /// Set the answer to item `id` in place (replacing an earlier one).
    pub fn set_item(&mut self, id: impl Into<String>, value: impl ToString) {
        let key = Key::Id(id.into());
        let value = value.to_string();
        match self.items.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.items.push((key, value)),
        }
    }

    /// Set a respondent attribute (for example `sex`), replacing an earlier value.
    pub fn attribute(mut self, id: impl Into<String>, value: impl ToString) -> Responses {
        let id = id.into();
        let value = value.to_string();
        match self.attributes.iter_mut().find(|(k, _)| *k == id) {
            Some(slot) => slot.1 = value,
            None => self.attributes.push((id, value)),
        }
        self
    }

    /// Map the answers onto the instrument's item and attribute positions.
    pub(crate) fn resolve<'r>(&'r self, instrument: &Instrument) -> Result<Resolved<'r>, Error> {
        let def = instrument.definition();
        let mut items = vec![None; def.items.len()];
        for (key, value) in &self.items {
            let index = match key {
                Key::Id(id) => instrument.item_index(id),
                Key::Position(p) => Some(*p).filter(|&p| p < def.items.len()),
            };
            let Some(index) = index else {
                return Err(Error::UnknownItem {
                    instrument: def.id.clone(),
                    item: match key {
                        Key::Id(id) => id.clone(),
                        Key::Position(p) => {
                            format!(
                                "#{} (the form has {})",
                                p + 1,
                                crate::text::count(def.items.len() as u64, "item", "items")
                            )
                        }
                    },
                    known: def
                        .items
                        .iter()
                        .map(|i| i.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            };
            items[index] = Some(value.as_bytes());
        }
        let mut attributes = vec![None; def.attributes.len()];
        for (id, value) in &self.attributes {
            let Some(index) = def.attributes.iter().position(|a| a.id == *id) else {
                return Err(Error::UnknownAttribute {
                    instrument: def.id.clone(),
                    attribute: id.clone(),
                    known: def
                        .attributes
                        .iter()
                        .map(|a| a.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            };
            attributes[index] = Some(value.as_bytes());
        }
        Ok(Resolved { items, attributes })
    }
}

impl Instrument {
    /// Score one administration.
    ///
    /// Bad cells are not errors of this call: they make the sheet's status `invalid` and are
    /// listed in [`ScoreSheet::errors`]. The call fails only when `responses` names an item or
    /// attribute the instrument does not have.
    ///
    /// ```
    /// use screenscore::{Instrument, Responses, Status};
    ///
    /// let gad7 = Instrument::builtin("gad7")?;
    /// let sheet = gad7.score(&Responses::in_order(["3", "0", "1", "2", "0", "0", "1"]))?;
    /// assert_eq!(sheet.total(), Some(7.0));
    /// assert_eq!(sheet.scale("total").unwrap().band(), Some("mild"));
    ///
    /// let sheet = gad7.score(&Responses::in_order(["3", "0", "9", "2", "0", "0", "1"]))?;
    /// assert_eq!(sheet.status(), Status::Invalid);
    /// let error = sheet.errors().next().unwrap();
    /// assert_eq!(error.id(), "3");
    /// assert!(error.to_string().starts_with("\"9\" is not an answer to this item"));
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn score(&self, responses: &Responses) -> Result<ScoreSheet<'_>, Error> {
        let resolved = responses.resolve(self)?;
        let mut sheet = ScoreSheet::new(self);
        engine::score(&resolved, &mut sheet);
        Ok(sheet)
    }
}

/// Responses mapped onto an instrument's positions.
pub(crate) struct Resolved<'r> {
    items: Vec<Option<&'r [u8]>>,
    attributes: Vec<Option<&'r [u8]>>,
}

impl Input for Resolved<'_> {
    fn item(&self, item: usize) -> Option<&[u8]> {
        self.items[item]
    }

    fn attribute(&self, attribute: usize) -> Option<&[u8]> {
        self.attributes[attribute]
    }
}

impl<K: Into<String>, V: ToString> FromIterator<(K, V)> for Responses {
    /// Collect `(item id, value)` pairs.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Responses {
        let mut responses = Responses::new();
        for (k, v) in iter {
            responses.set_item(k, v);
        }
        responses
    }
}
