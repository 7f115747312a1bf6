//! What a definition compiles into: every id resolved to an index.

use std::collections::HashMap;

use crate::condition::Program;
use crate::definition::{Method, RoundingMethod};
use crate::matcher::Matcher;

/// A definition compiled for scoring: every id resolved to an index.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) sets: Vec<Matcher>,
    pub(crate) items: Vec<ItemPlan>,
    pub(crate) attributes: Vec<AttributePlan>,
    pub(crate) scales: Vec<ScalePlan>,
    /// The order scales are scored in: each after the scales it is computed from.
    pub(crate) scale_order: Vec<usize>,
    pub(crate) skips: Vec<SkipPlan>,
    /// Every rule's condition; root `r` is rule `r`.
    pub(crate) rules: Program,
    /// Instrument-wide missing codes, trimmed.
    pub(crate) missing_codes: Vec<String>,
    /// Each item's position by id.
    pub(crate) item_ids: HashMap<String, usize>,
    /// Each scale's position by id.
    pub(crate) scale_ids: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct ItemPlan {
    pub(crate) set: usize,
    pub(crate) applies_if: Option<Program>,
}

#[derive(Debug, Clone)]
pub(crate) struct AttributePlan {
    /// Every accepted spelling, lowercased, and the index of the value it means, sorted by
    /// spelling (found by binary search: no hashing per row, and quick for long lists).
    pub(super) accepted: Vec<(String, usize)>,
    /// `female, f, male, m`, for error messages.
    pub(crate) expected: String,
}

impl AttributePlan {
    /// The value index a raw cell names; `Ok(None)` for an empty cell.
    pub(crate) fn find(&self, raw: &[u8]) -> Result<Option<usize>, ()> {
        let cell = crate::matcher::trim(raw);
        if cell.is_empty() {
            return Ok(None);
        }
        let text = std::str::from_utf8(cell).map_err(|_| ())?;
        // The usual cell (`F`, `male`) is short ASCII: lowercased on the stack, no allocation.
        let mut buf = [0u8; 64];
        let found = match buf.get_mut(..text.len()) {
            Some(lower) if text.is_ascii() => {
                lower.copy_from_slice(text.as_bytes());
                lower.make_ascii_lowercase();
                self.lookup(lower)
            }
            _ => self.lookup(text.to_lowercase().as_bytes()),
        };
        found.map(Some).ok_or(())
    }

    fn lookup(&self, lower: &[u8]) -> Option<usize> {
        let at = self
            .accepted
            .binary_search_by(|(a, _)| a.as_bytes().cmp(lower))
            .ok()?;
        Some(self.accepted[at].1)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ScalePlan {
    pub(crate) kind: ScaleKind,
    pub(crate) rounding: Option<(RoundingMethod, u8)>,
    /// Lower bounds of the bands, strictly increasing.
    pub(crate) bands: Vec<f64>,
    /// Lowest and highest possible score.
    pub(crate) range: (f64, f64),
}

#[derive(Debug, Clone)]
pub(crate) enum ScaleKind {
    Items {
        items: Vec<ScaleItem>,
        method: Method,
        missing: MissingPolicy,
        prorate: bool,
    },
    /// Computed from other scales' final scores.
    Composite {
        components: Vec<usize>,
        method: Method,
        missing: MissingPolicy,
        prorate: bool,
    },
    Derived {
        from: usize,
        multiply: f64,
        add: f64,
    },
}

/// One item of an item scale.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScaleItem {
    /// Index in the definition's `items`.
    pub(crate) item: usize,
    /// `min + max` of its options when it is reverse-keyed in this scale.
    pub(crate) reverse: Option<f64>,
    /// Lowest and highest value of its options (keyed or not, the same range).
    pub(crate) range: (f64, f64),
}

impl ScaleItem {
    /// An answer's value as it counts in the scale: `(min + max) − x` when reverse-keyed.
    pub(crate) fn keyed(&self, value: f64) -> f64 {
        self.reverse
            .map_or(value, |min_plus_max| min_plus_max - value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MissingPolicy {
    MaxMissing(u32),
    MinAnswered(u32),
}

impl MissingPolicy {
    pub(crate) fn allows(self, answered: u32, applicable: u32) -> bool {
        match self {
            MissingPolicy::MaxMissing(max) => applicable - answered <= max,
            MissingPolicy::MinAnswered(min) => answered >= min,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct SkipPlan {
    pub(crate) when: Program,
    /// Item index and the option the skipped item scores.
    pub(crate) items: Vec<(usize, u16)>,
}
