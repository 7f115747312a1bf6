//! Single administrations: what the properties of one scored administration check, and the
//! definitions they vary.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use screenscore::definition::{Definition, Method, MissingRule, Rounding, RoundingMethod};
use screenscore::{Instrument, ScoreSheet};

use crate::answers::{Cell, Edge, Pick, Profile, Row, answer_value, cell, score};
use crate::expected::{
    declared_ranges, half_unit, keyed, mirror, mirrorable, option_range, response_set, rounded,
    skip_items,
};
use crate::instruments::{instruments, policy};
use crate::sheet_view::{scales, view};

pub fn check_within(
    what: &str,
    scale: &str,
    x: f64,
    (lo, hi): (f64, f64),
) -> Result<(), TestCaseError> {
    prop_assert!(
        lo <= x && x <= hi,
        "{what} {x} of scale {scale} is outside [{lo}, {hi}]"
    );
    Ok(())
}

pub fn score_within_range(k: usize, row: &Row) -> Result<(), TestCaseError> {
    let instrument = instruments()[k];
    let sheet = score(instrument, row);
    let ranges = declared_ranges(instrument.definition());
    for (scale, &range) in sheet.scales().zip(&ranges) {
        let name = format!("{}.{}", instrument.id(), scale.id());
        prop_assert_eq!(scale.range(), range, "range of {}", name);
        if let Some(score) = scale.score() {
            check_within("score", &name, score, range)?;
        }
        let (a, b) = scale.bounds();
        if a.is_finite() && b.is_finite() {
            prop_assert!(a <= b, "bounds ({a}, {b}) of {name} are reversed");
            check_within("lower bound", &name, a, range)?;
            check_within("upper bound", &name, b, range)?;
        }
    }
    Ok(())
}

pub fn proration_within_range(
    k: usize,
    row: &Row,
    allowed: &[u8],
    roundings: &[Option<Rounding>],
) -> Result<(), TestCaseError> {
    let def = with_missing(
        instruments()[k].definition(),
        allowed,
        roundings,
        Sums::ProrateSharedRanges,
    );
    let instrument = Instrument::from_definition(def.clone()).unwrap();
    let sheet = score(&instrument, row);
    let ranges = declared_ranges(&def);
    // Without skips and `applies_if`, which items count is plain from the cells.
    let plain = def.skips.is_empty() && def.items.iter().all(|i| i.applies_if.is_none());
    for (s, scale) in sheet.scales().enumerate() {
        let Some(score) = scale.score() else { continue };
        let name = format!("{}.{}", def.id, scale.id());
        check_within("score", &name, score, ranges[s])?;
        let sdef = &def.scales[s];
        let Some(items) = &sdef.items else { continue };
        if !plain {
            continue;
        }
        let (mut known, mut least, mut most, mut answered) = (0.0, 0.0, 0.0, 0);
        for id in items {
            let i = def.items.iter().position(|item| item.id == *id).unwrap();
            match answer_value(&def, i, row.cells[i]) {
                Some(v) => {
                    known += keyed(&def, s, id, v);
                    answered += 1;
                }
                None => {
                    let (lo, hi) = option_range(&def, id);
                    least += lo;
                    most += hi;
                }
            }
        }
        prop_assert_eq!(scale.answered(), answered, "answered items of {}", name);
        let prorates = sdef.missing.as_ref().is_some_and(|m| m.prorate);
        prop_assert_eq!(
            scale.prorated(),
            prorates && answered < items.len() as u32,
            "{} prorated",
            name
        );
        let first = option_range(&def, &items[0]);
        let shared = items.iter().all(|id| option_range(&def, id) == first);
        if scale.prorated() && shared {
            let r = sdef.rounding.as_ref();
            let could = (rounded(known + least, r), rounded(known + most, r));
            check_within("prorated score", &name, score, could)?;
        }
    }
    Ok(())
}

pub fn toggled_keys_and_mirrored_answers_score_alike(
    k: usize,
    row: &Row,
    toggles: &[bool],
) -> Result<(), TestCaseError> {
    let instrument = instruments()[k];
    let def = instrument.definition();
    // An item a skip tests or sets changes what other items score when its answer changes.
    let skips = skip_items(def);
    let in_scale = |id: &str| {
        def.scales
            .iter()
            .any(|s| s.items.iter().flatten().any(|i| i == id))
    };
    let toggled: BTreeSet<String> = def
        .items
        .iter()
        .zip(toggles.iter().cycle())
        .filter(|&(item, &t)| {
            t && in_scale(&item.id) && !skips.contains(&item.id) && mirrorable(def, &item.id)
        })
        .map(|(item, _)| item.id.clone())
        .collect();
    let mut keyed_def = def.clone();
    for scale in &mut keyed_def.scales {
        for id in scale.items.iter().flatten() {
            if !toggled.contains(id) {
                continue;
            }
            match scale.reverse.iter().position(|r| r == id) {
                Some(p) => {
                    scale.reverse.remove(p);
                }
                None => scale.reverse.push(id.clone()),
            }
        }
        if !scale.reverse.is_empty() && scale.key_source.is_none() {
            scale.key_source = Some(policy());
        }
    }
    let keyed_instrument = Instrument::from_definition(keyed_def).unwrap();
    let mirrored = Row {
        cells: def
            .items
            .iter()
            .zip(&row.cells)
            .map(|(item, &cell)| match cell {
                Cell::Answer { option, spelling } if toggled.contains(&item.id) => Cell::Answer {
                    option: mirror(def, &item.id, option).unwrap(),
                    spelling,
                },
                other => other,
            })
            .collect(),
        attributes: row.attributes.clone(),
    };
    let original = score(instrument, row);
    let toggled_sheet = score(&keyed_instrument, &mirrored);
    prop_assert_eq!(original.status(), toggled_sheet.status());
    prop_assert_eq!(
        scales(&original),
        scales(&toggled_sheet),
        "toggled {:?}",
        toggled
    );
    Ok(())
}

pub fn mirrored_answers_change_the_score_by_their_keyed_difference(
    k: usize,
    row: &Row,
) -> Result<(), TestCaseError> {
    let instrument = instruments()[k];
    let def = instrument.definition();
    let sheet = score(instrument, row);
    let score_of =
        |sheet: &ScoreSheet<'_>, s: usize| sheet.scales().nth(s).unwrap().score().unwrap();
    for (s, scale) in def.scales.iter().enumerate() {
        let Some(items) = &scale.items else { continue };
        let all_apply = items.iter().all(|id| {
            def.items
                .iter()
                .any(|i| i.id == *id && i.applies_if.is_none())
        });
        let mirrorable = scale.reverse.iter().all(|id| mirrorable(def, id));
        if scale.reverse.is_empty() || !all_apply || !mirrorable {
            continue;
        }
        let mut mirrored = row.clone();
        let mut change = 0.0;
        for id in &scale.reverse {
            let i = def.items.iter().position(|item| item.id == *id).unwrap();
            let Cell::Answer { option, spelling } = row.cells[i] else {
                unreachable!("a complete row")
            };
            let x = answer_value(def, i, row.cells[i]).unwrap();
            let (lo, hi) = option_range(def, id);
            change += lo + hi - 2.0 * x;
            let option = mirror(def, id, option).unwrap();
            mirrored.cells[i] = Cell::Answer { option, spelling };
        }
        if scale.method == Some(Method::Mean) {
            change /= items.len() as f64;
        }
        let other = score(instrument, &mirrored);
        let slack = 2.0 * half_unit(scale.rounding.as_ref()) + 1e-9;
        let delta = score_of(&sheet, s) - score_of(&other, s);
        prop_assert!(
            (delta - change).abs() <= slack,
            "{}.{}: score changed by {delta}, expected {change}",
            def.id,
            scale.id
        );
        for (d, derived) in def.scales.iter().enumerate() {
            let Some(t) = derived.derived.as_ref().filter(|t| t.from == scale.id) else {
                continue;
            };
            let delta = score_of(&sheet, d) - score_of(&other, d);
            let expected = t.multiply * change;
            let slack =
                t.multiply.abs() * slack + 2.0 * half_unit(derived.rounding.as_ref()) + 1e-9;
            prop_assert!(
                (delta - expected).abs() <= slack,
                "{}.{}: score changed by {delta}, expected {expected}",
                def.id,
                derived.id
            );
        }
    }
    Ok(())
}

pub fn scored_twice_alike(k: usize, row: &Row, other: &[Pick]) -> Result<(), TestCaseError> {
    let instrument = instruments()[k];
    let def = instrument.definition();
    let first = view(&score(instrument, row));
    let noisy = Profile {
        missing: 20,
        invalid: 5,
        edge: Edge::Any,
    };
    let between = Row {
        cells: def
            .items
            .iter()
            .zip(other.iter().cycle())
            .map(|(item, &p)| cell(p, noisy, response_set(def, &item.id)))
            .collect(),
        attributes: Vec::new(),
    };
    let _ = score(instrument, &between);
    let second = view(&score(instrument, row));
    prop_assert_eq!(first, second);
    Ok(())
}

pub fn rounding() -> impl Strategy<Value = Option<Rounding>> {
    let r = |method, decimals| Just(Some(Rounding { method, decimals }));
    prop_oneof![
        Just(None),
        r(RoundingMethod::HalfUp, 0),
        r(RoundingMethod::HalfEven, 0),
        r(RoundingMethod::HalfUp, 1),
        r(RoundingMethod::HalfEven, 2),
    ]
}

/// Which sums may miss items, and how they are then scored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sums {
    /// Sums whose items share one range prorate; the others allow no missing item.
    ProrateSharedRanges,
    /// Every sum prorates (see `prorating_items_with_different_ranges_is_refused`).
    ProrateAll,
    /// No sum prorates (see `a_sum_left_unprorated_with_missing_items_stays_within_range`).
    Plain,
}

/// `def` with every item scale rounded with `roundings[s]` and allowing `allowed[s] % n` of its
/// `n` items missing (a sum only as `sums` says).
pub fn with_missing(
    def: &Definition,
    allowed: &[u8],
    roundings: &[Option<Rounding>],
    sums: Sums,
) -> Definition {
    let mut def = def.clone();
    let ranges: Vec<Vec<(f64, f64)>> = def
        .scales
        .iter()
        .map(|s| {
            s.items
                .iter()
                .flatten()
                .map(|id| option_range(&def, id))
                .collect()
        })
        .collect();
    for (s, scale) in def.scales.iter_mut().enumerate() {
        let Some(items) = &scale.items else { continue };
        let n = items.len() as u32;
        let shared = ranges[s].iter().all(|r| *r == ranges[s][0]);
        let sum = scale.method == Some(Method::Sum);
        let prorate =
            sum && (sums == Sums::ProrateAll || sums == Sums::ProrateSharedRanges && shared);
        let may_miss = !sum || prorate || sums == Sums::Plain;
        scale.missing = Some(MissingRule {
            max_missing: Some(if may_miss {
                u32::from(allowed[s % allowed.len()]) % n
            } else {
                0
            }),
            min_answered: None,
            prorate,
            source: policy(),
        });
        scale.rounding = roundings[s % roundings.len()].clone();
    }
    def
}
