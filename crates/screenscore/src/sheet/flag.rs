//! A flag raised, in words: a rule that holds because an answer could not be read says so,
//! rather than saying the item was not answered.

use std::fmt;

use crate::definition::{Condition, Rule};

use super::{DataError, ScoreSheet};

/// A flag raised in one administration: its rule, and the answers that could not be read
/// behind it.
///
/// A rule testing that an item is unanswered (`{"missing": "9"}`) holds for an item whose
/// answer could not be read as well as for one left blank: a safety question is never taken
/// as answered when it cannot be read. Its words are then not the rule's label (`Item 9 …
/// was not answered: ask it`) but what happened: the answer, and that it could not be read.
///
/// ```
/// use screenscore::{Instrument, Responses};
///
/// let phq9 = Instrument::builtin("phq9")?;
/// let answers = Responses::new()
///     .item("1", 0).item("2", 0).item("3", 0).item("4", 0).item("5", 0)
///     .item("6", 0).item("7", 0).item("8", 0).item("9", "Tous les jours");
/// let sheet = phq9.score(&answers)?;
/// let flag = sheet.raised().find(|f| f.rule().id == "item9_missing").unwrap();
/// assert_eq!(flag.unreadable().count(), 1);
/// assert_eq!(
///     flag.to_string(),
///     "Item 9 (Thoughts of death or self-harm): the answer \"Tous les jours\" could not be read, \
///      so the item counts as unanswered; ask what was meant"
/// );
/// # Ok::<(), screenscore::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Flag<'a> {
    sheet: &'a ScoreSheet<'a>,
    rule: usize,
}

impl<'a> Flag<'a> {
    pub(super) fn new(sheet: &'a ScoreSheet<'a>, rule: usize) -> Flag<'a> {
        Flag { sheet, rule }
    }

    /// The rule that holds.
    pub fn rule(&self) -> &'a Rule {
        &self.sheet.instrument.definition().rules[self.rule]
    }

    /// The answers that could not be read of the items the rule tests for being unanswered:
    /// the rule holds because of them, not because they were left blank.
    pub fn unreadable(&self) -> impl Iterator<Item = DataError<'a>> + 'a {
        let sheet = self.sheet;
        let tested = if sheet.errors.is_empty() {
            Vec::new()
        } else {
            let mut ids = Vec::new();
            tested_for_missing(&self.rule().when, &mut ids);
            ids
        };
        sheet
            .errors()
            .filter(move |e| tested.iter().any(|&id| id == e.id()))
    }
}

impl fmt::Display for Flag<'_> {
    /// The rule's label; or, when it holds because answers could not be read, each item with
    /// its answer: `Item 9 (…): the answer "…" could not be read, so the item counts as
    /// unanswered; ask what was meant`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut unreadable = self.unreadable().peekable();
        if unreadable.peek().is_none() {
            return f.write_str(&self.rule().label);
        }
        let items = &self.sheet.instrument.definition().items;
        for (n, error) in unreadable.enumerate() {
            if n > 0 {
                f.write_str("; ")?;
            }
            let item = &items[error.item_index()];
            write!(f, "Item {} ({}): the answer ", item.id, item.label)?;
            error.write_value(f)?;
            f.write_str(
                " could not be read, so the item counts as unanswered; ask what was meant",
            )?;
        }
        Ok(())
    }
}

/// The ids of the items `cond` tests for being unanswered, anywhere in it.
fn tested_for_missing<'c>(cond: &'c Condition, ids: &mut Vec<&'c str>) {
    match cond {
        Condition::Missing(id) => ids.push(id),
        Condition::All(parts) | Condition::Any(parts) => {
            for part in parts {
                tested_for_missing(part, ids);
            }
        }
        // An unreadable answer makes `missing` hold, so it never makes a `not` of it hold.
        Condition::Not(_) => {}
        Condition::Count(count) => {
            for part in &count.of {
                tested_for_missing(part, ids);
            }
        }
        Condition::Item(_)
        | Condition::Scale(_)
        | Condition::Attribute(_)
        | Condition::NotGiven(_)
        | Condition::CountItems(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::{Instrument, Responses};

    /// The words of every flag raised when PHQ-9 item 9 holds `item9`.
    fn words(item9: &str) -> Vec<(String, String)> {
        let phq9 = Instrument::builtin("phq9").unwrap();
        let mut answers = Responses::new();
        for item in 1..=8 {
            answers = answers.item(item.to_string(), 0);
        }
        if !item9.is_empty() {
            answers = answers.item("9", item9);
        }
        let sheet = phq9.score(&answers).unwrap();
        sheet
            .raised()
            .map(|f| (f.rule().id.clone(), f.to_string()))
            .collect()
    }

    #[test]
    fn a_blank_item_is_said_to_be_unanswered_and_an_unreadable_one_to_be_unreadable() {
        let phq9 = Instrument::builtin("phq9").unwrap();
        let label = |id: &str| {
            let rules = &phq9.definition().rules;
            rules.iter().find(|r| r.id == id).unwrap().label.clone()
        };
        // Blank: the rule's own label.
        assert_eq!(
            words(""),
            [("item9_missing".to_string(), label("item9_missing"))]
        );
        assert!(label("item9_missing").contains("not answered"));
        // Unreadable: what was found, and that it could not be read.
        assert_eq!(
            words("Jeden Tag"),
            [(
                "item9_missing".to_string(),
                "Item 9 (Thoughts of death or self-harm): the answer \"Jeden Tag\" could not be \
                 read, so the item counts as unanswered; ask what was meant"
                    .to_string()
            )]
        );
        // Read (the PHQ-D's wording of 3), the answer raises the safety flag, in its label.
        assert_eq!(
            words("Beinahe jeden Tag"),
            [("item9_positive".to_string(), label("item9_positive"))]
        );
    }
}
