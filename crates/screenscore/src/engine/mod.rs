//! The scoring engine: raw cells in, a [`ScoreSheet`] out.
//!
//! The order is fixed: respondent attributes, then each item's cell (trimmed; empty or a missing
//! code is missing; otherwise it must name an option), then skip logic, then scales in the order
//! of the definition, except that a scale computed from others (derived or composite) comes
//! after them, then bands, then rules.
//! The engine knows nothing of files: it reads cells through [`Input`].

use crate::compile::{MissingPolicy, Plan, ScaleItem, ScaleKind};
use crate::condition::{Facts, ItemFact, Truth};
use crate::definition::{Method, RoundingMethod};
use crate::instrument::Instrument;
use crate::matcher::{Decimals, Match, trim};
use crate::numeric::round;
use crate::sheet::{CellError, ItemState, ScaleSlot, ScoreSheet, Status, Unscored};

/// Where the engine reads an administration's cells from.
pub(crate) trait Input {
    /// The raw cell of item `item`, `None` when the input has no such cell.
    fn item(&self, item: usize) -> Option<&[u8]>;
    /// The raw cell of attribute `attribute`, `None` when the input has no such cell.
    fn attribute(&self, attribute: usize) -> Option<&[u8]>;
    /// Whether a trimmed, non-empty cell is one of the run's extra missing codes.
    fn is_missing_code(&self, _cell: &[u8]) -> bool {
        false
    }
    /// Which decimal marks a number in a cell may use (a point, unless the input's cells are
    /// separated by something other than a comma).
    fn decimals(&self) -> Decimals {
        Decimals::Point
    }
}

impl Instrument {
    /// Score cells read through `input` into a reused sheet (the batch path).
    pub(crate) fn score_into(&self, input: &impl Input, sheet: &mut ScoreSheet<'_>) {
        debug_assert!(std::ptr::eq(sheet.instrument, self));
        score(input, sheet);
    }
}

/// Score one administration into `sheet` (which is cleared first).
pub(crate) fn score(input: &impl Input, sheet: &mut ScoreSheet<'_>) {
    sheet.begin();
    let plan = sheet.instrument.plan();

    for (a, attribute) in plan.attributes.iter().enumerate() {
        let Some(raw) = input.attribute(a) else {
            continue;
        };
        match attribute.find(raw) {
            Ok(value) => sheet.attributes[a] = value,
            // An attribute qualifies scoring; it is not an answer. An unrecognised value is
            // treated as not given (so what depends on it stays undecided) and noted.
            Err(()) => sheet
                .unrecognised
                .push((a, String::from_utf8_lossy(trim(raw)).into_owned())),
        }
    }

    let mut truths = std::mem::take(&mut sheet.truths);
    let mut present = false;
    for (i, item) in plan.items.iter().enumerate() {
        let applies = match &item.applies_if {
            None => Truth::True,
            Some(cond) => cond.decide(&Attributes(&sheet.attributes), &mut truths),
        };
        let raw = input.item(i).unwrap_or_default();
        let matcher = &plan.sets[item.set];
        let state = match matcher.find_with(raw, input.decimals()) {
            Match::Option(option) => ItemState::Answered {
                value: matcher.value_or_nan(option),
                option: usize::from(option),
            },
            Match::Empty => ItemState::Missing,
            Match::Unrecognised if is_missing_code(plan, input, raw) => ItemState::Missing,
            // A cell is checked whether or not its item applies: `3` or `garbage` where a
            // man's PHQ-15 item 4 would be is an error in the form, not an answer to ignore.
            Match::Unrecognised => {
                sheet.errors.push(cell_error(i, raw));
                ItemState::Invalid
            }
        };
        present |= !matches!(state, ItemState::Missing);
        sheet.items[i] = if applies == Truth::False {
            if state != ItemState::Missing {
                sheet.ignored.push(i);
            }
            ItemState::NotApplicable
        } else {
            state
        };
    }

    if !present {
        // Not administered: an attribute alone (say, `sex`) is not an administration.
        sheet.errors.clear();
        sheet.unrecognised.clear();
        sheet.attributes.fill(None);
        sheet.scales.fill(ScaleSlot::unscored(Unscored::Absent));
        sheet.truths = truths;
        return;
    }

    apply_skips(plan, sheet, &mut truths);

    // Unreadable cells count as missing here, so that the scales' bounds stay known to rules.
    score_scales(plan, sheet);
    if sheet.errors.is_empty() {
        sheet.status = if sheet.scales.iter().all(|s| s.score.is_some()) {
            Status::Ok
        } else {
            Status::Incomplete
        };
    } else {
        // A bad cell: nothing is scored, whatever the rest of the row says.
        sheet.status = Status::Invalid;
        for slot in &mut sheet.scales {
            *slot = ScaleSlot {
                bounds: slot.bounds,
                ..ScaleSlot::unscored(Unscored::Invalid)
            };
        }
    }

    plan.rules.eval(&*sheet, &mut truths);
    for r in 0..plan.rules.len() {
        if plan.rules.value(&truths, r) == Truth::True {
            sheet.flags.push(r);
        }
    }
    sheet.truths = truths;
}

fn is_missing_code(plan: &Plan, input: &impl Input, raw: &[u8]) -> bool {
    let cell = trim(raw);
    input.is_missing_code(cell)
        || plan
            .missing_codes
            .iter()
            .any(|code| code.as_bytes().eq_ignore_ascii_case(cell))
}

fn cell_error(item: usize, raw: &[u8]) -> CellError {
    CellError {
        item,
        value: String::from_utf8_lossy(trim(raw)).into_owned(),
        utf8: std::str::from_utf8(raw).is_ok(),
    }
}

fn apply_skips(plan: &Plan, sheet: &mut ScoreSheet<'_>, truths: &mut Vec<Truth>) {
    for skip in &plan.skips {
        if skip.when.decide(&*sheet, truths) != Truth::True {
            continue;
        }
        for &(i, option) in &skip.items {
            if sheet.items[i] == ItemState::Missing {
                let value = plan.sets[plan.items[i].set]
                    .value(option)
                    .unwrap_or(f64::NAN);
                sheet.items[i] = ItemState::Skipped { value };
            }
        }
    }
}

fn score_scales(plan: &Plan, sheet: &mut ScoreSheet<'_>) {
    for &s in &plan.scale_order {
        let scale = &plan.scales[s];
        let mut slot = match &scale.kind {
            ScaleKind::Items {
                items,
                method,
                missing,
                prorate,
            } => item_scale(
                items,
                *method,
                *missing,
                *prorate,
                scale.rounding,
                &sheet.items,
            ),
            ScaleKind::Composite {
                components,
                method,
                missing,
                prorate,
            } => composite(
                components,
                *method,
                *missing,
                *prorate,
                scale.rounding,
                &sheet.scales,
            ),
            ScaleKind::Derived {
                from,
                multiply,
                add,
            } => {
                let source = sheet.scales[*from];
                let transform = |x: f64| round(x * multiply + add, 1, scale.rounding);
                let (a, b) = (transform(source.bounds.0), transform(source.bounds.1));
                ScaleSlot {
                    score: source.score.map(transform),
                    bounds: (a.min(b), a.max(b)),
                    band: None,
                    unscored: source.unscored.map(|_| Unscored::NoSource),
                    ..source
                }
            }
        };
        slot.band = slot
            .score
            .and_then(|score| scale.bands.iter().rposition(|&from| score >= from));
        sheet.scales[s] = slot;
    }
}

fn item_scale(
    items: &[ScaleItem],
    method: Method,
    missing: MissingPolicy,
    prorate: bool,
    rounding: Option<(RoundingMethod, u8)>,
    states: &[ItemState],
) -> ScaleSlot {
    let (mut sum, mut answered, mut applicable) = (0.0, 0u32, 0u32);
    // What the unanswered items could add: the least and the most.
    let (mut least, mut most) = (0.0, 0.0);
    for item in items {
        let value = match states[item.item] {
            ItemState::NotApplicable => continue,
            ItemState::Answered { value, .. } | ItemState::Skipped { value } => value,
            ItemState::Missing | ItemState::Invalid => {
                applicable += 1;
                least += item.range.0;
                most += item.range.1;
                continue;
            }
        };
        applicable += 1;
        answered += 1;
        // Reverse keying over the declared options: (min + max) − x.
        sum += item.keyed(value);
    }
    if answered == 0 || !missing.allows(answered, applicable) {
        // The complete score would lie between these.
        let complete = |extra: f64| match method {
            Method::Sum => round(sum + extra, 1, rounding),
            Method::Mean => round(sum + extra, applicable.max(1), rounding),
        };
        let bounds = if applicable == 0 {
            (f64::NEG_INFINITY, f64::INFINITY)
        } else {
            (complete(least), complete(most))
        };
        return ScaleSlot {
            bounds,
            answered,
            applicable,
            ..ScaleSlot::unscored(Unscored::TooManyMissing {
                answered,
                applicable,
            })
        };
    }
    let prorated = method == Method::Sum && prorate && answered < applicable;
    let score = match method {
        Method::Sum if prorated => round(sum * f64::from(applicable), answered, rounding),
        Method::Sum => round(sum, 1, rounding),
        Method::Mean => round(sum, answered, rounding),
    };
    ScaleSlot {
        score: Some(score),
        bounds: (score, score),
        band: None,
        answered,
        applicable,
        prorated,
        unscored: None,
    }
}

/// A composite from its components' final scores: unscored, it keeps the bounds of the score it
/// would have with every component scored (each unscored component within its own bounds).
fn composite(
    components: &[usize],
    method: Method,
    missing: MissingPolicy,
    prorate: bool,
    rounding: Option<(RoundingMethod, u8)>,
    slots: &[ScaleSlot],
) -> ScaleSlot {
    let (mut sum, mut scored) = (0.0, 0u32);
    let (mut least, mut most) = (0.0, 0.0);
    for &c in components {
        match slots[c].score {
            Some(score) => {
                sum += score;
                scored += 1;
            }
            None => {
                least += slots[c].bounds.0;
                most += slots[c].bounds.1;
            }
        }
    }
    let n = components.len() as u32;
    let divisor = match method {
        Method::Sum => 1,
        Method::Mean => n,
    };
    if scored == 0 || !missing.allows(scored, n) {
        let (a, b) = (
            round(sum + least, divisor, rounding),
            round(sum + most, divisor, rounding),
        );
        return ScaleSlot {
            // NaN (infinities of both signs) is no bound at all.
            bounds: (
                if a.is_nan() { f64::NEG_INFINITY } else { a },
                if b.is_nan() { f64::INFINITY } else { b },
            ),
            answered: scored,
            applicable: n,
            ..ScaleSlot::unscored(Unscored::ComponentsUnscored {
                scored,
                components: n,
            })
        };
    }
    let prorated = method == Method::Sum && prorate && scored < n;
    let score = match method {
        Method::Sum if prorated => round(sum * f64::from(n), scored, rounding),
        Method::Sum => round(sum, 1, rounding),
        Method::Mean => round(sum, scored, rounding),
    };
    ScaleSlot {
        score: Some(score),
        bounds: (score, score),
        band: None,
        answered: scored,
        applicable: n,
        prorated,
        unscored: None,
    }
}

/// Attributes alone, for `applies_if` (which may only test attributes).
struct Attributes<'a>(&'a [Option<usize>]);

impl Facts for Attributes<'_> {
    fn item(&self, _: usize) -> ItemFact {
        ItemFact::Unanswered
    }
    fn scale(&self, _: usize) -> (f64, f64) {
        (f64::NEG_INFINITY, f64::INFINITY)
    }
    fn attribute(&self, attribute: usize) -> Option<usize> {
        self.0[attribute]
    }
}

impl Facts for ScoreSheet<'_> {
    fn item(&self, item: usize) -> ItemFact {
        match self.items[item] {
            ItemState::Answered { value, .. } | ItemState::Skipped { value } => {
                ItemFact::Value(value)
            }
            ItemState::NotApplicable => ItemFact::NotApplicable,
            ItemState::Missing | ItemState::Invalid => ItemFact::Unanswered,
        }
    }
    fn scale(&self, scale: usize) -> (f64, f64) {
        self.scales[scale].bounds
    }
    fn attribute(&self, attribute: usize) -> Option<usize> {
        self.attributes[attribute]
    }
}

#[cfg(test)]
mod tests;
