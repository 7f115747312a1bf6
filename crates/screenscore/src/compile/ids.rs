//! Ids: their form, their index, and how messages name them.

use std::collections::HashMap;

/// How many known ids a message about an unknown id lists.
const KNOWN_LISTED: usize = 10;

/// How many characters of an id from elsewhere in the definition a message shows.
const SHOWN_CHARS: usize = 40;

/// Lowercase letters, digits and `_`, starting with a letter.
pub(crate) fn is_instrument_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Letters, digits, `_` and `-`: the ids of items, scales, rules, response sets, attributes
/// and norm groups.
pub(crate) fn is_part_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// An id as a message shows it when it comes from elsewhere (another part of the definition,
/// or a norms file): cut after [`SHOWN_CHARS`] characters, so that a message repeated for every
/// reference to a long id stays short, and with control characters escaped (`\u{1b}`), so
/// that none reaches a terminal.
pub(crate) fn shown(id: &str) -> std::borrow::Cow<'_, str> {
    let cut = id.char_indices().nth(SHOWN_CHARS).map(|(at, _)| at);
    let kept = &id[..cut.unwrap_or(id.len())];
    if cut.is_none() && !kept.chars().any(char::is_control) {
        return id.into();
    }
    let mut text = String::with_capacity(kept.len() + 3);
    for c in kept.chars() {
        if c.is_control() {
            text.extend(c.escape_default());
        } else {
            text.push(c);
        }
    }
    if cut.is_some() {
        text.push('…');
    }
    text.into()
}

/// Whether ids of a kind may differ only in case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    /// Ids that only the definition refers to (rules, response sets): compared exactly.
    Exact,
    /// Ids that name columns (items, scales, attributes), which are matched regardless of
    /// case: `a` and `A` would be one column.
    Insensitive,
}

/// The ids of one kind of part, in the order they are declared: the first use of each.
#[derive(Debug, Default)]
pub(super) struct Ids<'d> {
    index: HashMap<&'d str, usize>,
    /// Lowercased id → position, for ids that name columns.
    folded: HashMap<String, usize>,
    order: Vec<&'d str>,
    /// [`Ids::known`] as last made, and how many ids there were then.
    known: std::cell::RefCell<(usize, String)>,
}

impl<'d> Ids<'d> {
    /// The position of the part with this id.
    pub(super) fn get(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The position of the part whose id is this one regardless of case.
    pub(super) fn get_folded(&self, id: &str) -> Option<usize> {
        self.folded.get(&id.to_lowercase()).copied()
    }

    /// Add the part at `position`; `Err` with the position of an earlier part of the same id
    /// (exactly, or regardless of case when `case` says so), which keeps its place.
    pub(super) fn insert(&mut self, id: &'d str, position: usize, case: Case) -> Result<(), usize> {
        if let Some(&first) = self.index.get(id) {
            return Err(first);
        }
        let folded = id.to_lowercase();
        if case == Case::Insensitive
            && let Some(&first) = self.folded.get(&folded)
        {
            return Err(first);
        }
        self.index.insert(id, position);
        self.folded.entry(folded).or_insert(position);
        self.order.push(id);
        Ok(())
    }

    /// ` (known: a, b, c)` for a message about an unknown id: the first ten, each cut short
    /// when long, then how many more; empty when there are none.
    pub(super) fn known(&self) -> String {
        let mut cache = self.known.borrow_mut();
        if cache.0 != self.order.len() || self.order.is_empty() {
            *cache = (self.order.len(), self.list_known());
        }
        cache.1.clone()
    }

    fn list_known(&self) -> String {
        if self.order.is_empty() {
            return String::new();
        }
        let listed: Vec<_> = self
            .order
            .iter()
            .take(KNOWN_LISTED)
            .map(|id| shown(id))
            .collect();
        let more = self.order.len().saturating_sub(KNOWN_LISTED);
        let more = if more > 0 {
            format!(" … and {more} more")
        } else {
            String::new()
        };
        format!(" (known: {}{more})", listed.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ids_are_listed_briefly() {
        let ids: Vec<String> = (0..25).map(|k| format!("i{k}")).collect();
        let mut index = Ids::default();
        for (k, id) in ids.iter().enumerate() {
            index.insert(id, k, Case::Exact).unwrap();
        }
        insta::assert_snapshot!(index.known(), @" (known: i0, i1, i2, i3, i4, i5, i6, i7, i8, i9 … and 15 more)");
        let long = "x".repeat(100);
        let mut index = Ids::default();
        index.insert(&long, 0, Case::Exact).unwrap();
        insta::assert_snapshot!(index.known(), @" (known: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…)");
        assert_eq!(Ids::default().known(), "");
        assert_eq!(shown("a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb\\n");
    }

    #[test]
    fn ids_that_name_columns_may_not_differ_only_in_case() {
        let mut index = Ids::default();
        index.insert("a", 0, Case::Insensitive).unwrap();
        assert_eq!(index.insert("A", 1, Case::Insensitive), Err(0));
        assert_eq!(index.insert("a", 2, Case::Insensitive), Err(0));
        assert_eq!(index.get_folded("A"), Some(0));
        let mut index = Ids::default();
        index.insert("a", 0, Case::Exact).unwrap();
        assert_eq!(index.insert("A", 1, Case::Exact), Ok(()));
        assert_eq!(index.get("A"), Some(1));
    }
}
