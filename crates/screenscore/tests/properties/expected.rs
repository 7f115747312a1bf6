//! What the definition says, computed here: option ranges, keying, rounding and the range of
//! every scale, from the definition alone.

use std::collections::BTreeSet;

use screenscore::definition::{
    Condition, Definition, Method, ResponseSet, Rounding, RoundingMethod,
};

pub fn response_set<'d>(def: &'d Definition, item: &str) -> &'d ResponseSet {
    let item = def.items.iter().find(|i| i.id == item).unwrap();
    def.response_sets
        .iter()
        .find(|s| s.id == item.response_set)
        .unwrap()
}

/// Lowest and highest value among an item's declared options.
pub fn option_range(def: &Definition, item: &str) -> (f64, f64) {
    let values = response_set(def, item)
        .options
        .iter()
        .map(|o| o.value.unwrap());
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// `x` rounded as declared: half up is half away from zero (`f64::round`).
pub fn rounded(x: f64, rounding: Option<&Rounding>) -> f64 {
    let Some(r) = rounding else { return x };
    let scale = 10f64.powi(i32::from(r.decimals));
    let y = x * scale;
    let y = match r.method {
        RoundingMethod::HalfUp => y.round(),
        RoundingMethod::HalfEven => y.round_ties_even(),
    };
    y / scale
}

/// The largest rounding error of a score: half a unit of its last kept decimal.
pub fn half_unit(rounding: Option<&Rounding>) -> f64 {
    rounding.map_or(0.0, |r| 0.5 / 10f64.powi(i32::from(r.decimals)))
}

/// The lowest and highest possible score of every scale, from the definition alone: a sum runs
/// from the sum of its items' lowest option values to the sum of their highest, a mean from the
/// lowest to the highest option value of any of its items (reverse keying maps an item's range
/// onto itself), a derived scale is its source's range transformed; rounding, being monotone,
/// maps the lowest and highest unrounded scores to the lowest and highest rounded ones. (A sum
/// that may miss items stays within this range only when it prorates items of one range.)
pub fn declared_ranges(def: &Definition) -> Vec<(f64, f64)> {
    let mut ranges: Vec<(f64, f64)> = Vec::new();
    for scale in &def.scales {
        let (lo, hi) = if let Some(derived) = &scale.derived {
            let from = def
                .scales
                .iter()
                .position(|s| s.id == derived.from)
                .unwrap();
            let (lo, hi) = ranges[from];
            let (a, b) = (
                lo * derived.multiply + derived.add,
                hi * derived.multiply + derived.add,
            );
            (a.min(b), a.max(b))
        } else if let Some(components) = &scale.scales {
            // A composite: its components' ranges (components come first in these definitions),
            // combined as a scale combines its items' ranges.
            let component_ranges: Vec<(f64, f64)> = components
                .iter()
                .map(|id| ranges[def.scales.iter().position(|s| s.id == *id).unwrap()])
                .collect();
            let missing = scale.missing.as_ref().unwrap();
            let may_miss = match (missing.max_missing, missing.min_answered) {
                _ if missing.prorate => 0,
                (Some(max), _) => max as usize,
                (None, Some(min)) => components.len() - min as usize,
                (None, None) => 0,
            };
            combined(&component_ranges, scale.method.unwrap(), may_miss)
        } else {
            let items = scale.items.as_ref().unwrap();
            let item_ranges = items.iter().map(|id| option_range(def, id));
            let missing = scale.missing.as_ref().unwrap();
            // Items that may be missing from a sum that is not prorated add nothing: leaving out
            // the highest lowest values (above 0) gives the lowest sum, leaving out the lowest
            // highest values (below 0) the highest.
            let may_miss = match (missing.max_missing, missing.min_answered) {
                _ if missing.prorate => 0,
                (Some(max), _) => max as usize,
                (None, Some(min)) => items.len() - min as usize,
                (None, None) => 0,
            };
            let item_ranges: Vec<(f64, f64)> = item_ranges.collect();
            combined(&item_ranges, scale.method.unwrap(), may_miss)
        };
        let rounding = scale.rounding.as_ref();
        ranges.push((rounded(lo, rounding), rounded(hi, rounding)));
    }
    ranges
}

/// The range of a sum or mean of parts with these ranges, `may_miss` of which may be missing
/// from an unprorated sum.
fn combined(ranges: &[(f64, f64)], method: Method, may_miss: usize) -> (f64, f64) {
    let item_ranges = ranges.iter().copied();
    match method {
        Method::Sum if may_miss > 0 => {
            let mut lows: Vec<f64> = ranges.iter().map(|r| r.0).collect();
            let mut highs: Vec<f64> = ranges.iter().map(|r| r.1).collect();
            lows.sort_by(|a, b| b.total_cmp(a));
            highs.sort_by(f64::total_cmp);
            let dropped_lows: f64 = lows.iter().take(may_miss).filter(|&&x| x > 0.0).sum();
            let dropped_highs: f64 = highs.iter().take(may_miss).filter(|&&x| x < 0.0).sum();
            (
                ranges.iter().map(|r| r.0).sum::<f64>() - dropped_lows,
                ranges.iter().map(|r| r.1).sum::<f64>() - dropped_highs,
            )
        }
        Method::Sum => item_ranges.fold((0.0, 0.0), |(a, b), (lo, hi)| (a + lo, b + hi)),
        Method::Mean => item_ranges.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (lo, hi)| {
            (a.min(lo), b.max(hi))
        }),
    }
}

/// The value an option scores in a scale: `(min + max) − x` over the item's declared options
/// when the item is reverse-keyed in that scale.
pub fn keyed(def: &Definition, scale: usize, item: &str, value: f64) -> f64 {
    if def.scales[scale].reverse.iter().any(|r| r == item) {
        let (lo, hi) = option_range(def, item);
        lo + hi - value
    } else {
        value
    }
}

/// The option whose value is the mirror `(min + max) − x` of option `option`, if the set has one.
pub fn mirror(def: &Definition, item: &str, option: usize) -> Option<usize> {
    let set = response_set(def, item);
    let (lo, hi) = option_range(def, item);
    let value = set.options[option].value?;
    set.options
        .iter()
        .position(|o| o.value == Some(lo + hi - value))
}

/// Whether every option of the item has a mirror (so answers can be mirrored).
pub fn mirrorable(def: &Definition, item: &str) -> bool {
    let set = response_set(def, item);
    set.options.iter().all(|o| o.value.is_some())
        && (0..set.options.len()).all(|o| mirror(def, item, o).is_some())
}

/// Items a skip tests or sets: their answers change what other items score.
pub fn skip_items(def: &Definition) -> BTreeSet<String> {
    fn walk(c: &Condition, out: &mut BTreeSet<String>) {
        match c {
            Condition::Item(cmp) => {
                out.insert(cmp.id.clone());
            }
            Condition::Missing(id) => {
                out.insert(id.clone());
            }
            Condition::CountItems(count) => out.extend(count.items.iter().cloned()),
            Condition::All(parts) | Condition::Any(parts) => {
                parts.iter().for_each(|p| walk(p, out));
            }
            Condition::Count(count) => count.of.iter().for_each(|p| walk(p, out)),
            Condition::Not(inner) => walk(inner, out),
            Condition::Scale(_) | Condition::Attribute(_) | Condition::NotGiven(_) => {}
        }
    }
    let mut out = BTreeSet::new();
    for skip in &def.skips {
        walk(&skip.when, &mut out);
        out.extend(skip.items.iter().cloned());
    }
    out
}
