//! Scales: item scales and their keys, missing rules and ranges; derived scales; rounding;
//! bands. A scale's reference groups are checked by [`super::norms`].

use std::collections::{HashMap, HashSet};

use super::ids::{Case, Ids, shown};
use super::plan::{MissingPolicy, ScaleItem, ScaleKind, ScalePlan};
use super::{Compiler, limits};
use crate::definition::{Method, MissingRule, Rounding, RoundingMethod, Scale};
use crate::matcher::Matcher;
use crate::numeric::{format_value, round};

impl<'d> Compiler<'d> {
    /// Every scale's plan, by position in the definition, and the order to score them in.
    pub(super) fn scales(&mut self, sets: &[Matcher]) -> (Vec<ScalePlan>, Vec<usize>) {
        let def = self.def;
        self.scales = Ids::default();
        let scale_ids =
            self.index_ids(&def.scales, "scales", "scale", Case::Insensitive, |s| &s.id);
        let (order, in_cycle) = self.scale_order(&scale_ids);
        let mut plans: Vec<Option<ScalePlan>> = vec![None; def.scales.len()];
        for &s in &order {
            let scale = &def.scales[s];
            let path = format!("scales[{s}]");
            self.check_scale_id(scale, &path);
            let problems_before = self.problems.len();
            let plan = if in_cycle[s] {
                None
            } else if let Some(components) = &scale.scales {
                self.composite_scale(scale, components, &path, &scale_ids, &plans)
            } else if let Some(derived) = &scale.derived {
                for (field, set) in [
                    ("items", scale.items.is_some()),
                    ("reverse", !scale.reverse.is_empty()),
                    ("method", scale.method.is_some()),
                    ("missing", scale.missing.is_some()),
                ] {
                    if set {
                        self.problem(
                            format!("{path}.{field}"),
                            "a derived scale takes its score from `derived.from`; remove this key",
                        );
                    }
                }
                for (field, x) in [("multiply", derived.multiply), ("add", derived.add)] {
                    self.number(format!("{path}.derived.{field}"), limits::option_value(x));
                }
                let from = self.scales.get(&derived.from).filter(|&f| f < s);
                match from.and_then(|f| Some((f, plans[f].as_ref()?))) {
                    Some((f, plan)) if !matches!(plan.kind, ScaleKind::Derived { .. }) => {
                        let (lo, hi) = plan.range;
                        let (a, b) = (
                            lo * derived.multiply + derived.add,
                            hi * derived.multiply + derived.add,
                        );
                        Some(ScalePlan {
                            kind: ScaleKind::Derived {
                                from: f,
                                multiply: derived.multiply,
                                add: derived.add,
                            },
                            rounding: None,
                            bands: Vec::new(),
                            range: (a.min(b), a.max(b)),
                        })
                    }
                    _ => {
                        self.problem(
                            format!("{path}.derived.from"),
                            format!(
                                "`{}` is not an item or composite scale defined before this one{}",
                                derived.from,
                                self.scales.known()
                            ),
                        );
                        None
                    }
                }
            } else {
                self.item_scale(scale, &path, sets)
            };
            if let Some(mut plan) = plan {
                plan.rounding = scale
                    .rounding
                    .as_ref()
                    .and_then(|r| self.rounding(r, &path));
                // Scores are rounded, and rounding is monotone: the lowest and highest score
                // are the ends of the unrounded range, rounded (options 0.5 to 2.5 rounded to
                // whole numbers score 1 to 3).
                let (lo, hi) = plan.range;
                plan.range = (round(lo, 1, plan.rounding), round(hi, 1, plan.rounding));
                // A scale with broken items has an unreliable range: check bands against it
                // only when the scale itself is sound.
                let max = (self.problems.len() == problems_before).then_some(plan.range.1);
                plan.bands = self.bands(scale, &path, max);
                self.thresholds(scale, &path, plan.range);
                self.norm_groups(scale, &path);
                plans[s] = Some(plan);
            }
            if scale_ids.get(&scale.id) == Some(s) {
                // First uses only: a duplicate was reported by `index_ids`.
                let _ = self.scales.insert(&scale.id, s, Case::Exact);
            }
        }
        self.keying(&plans);
        self.output_columns();
        // Keep indices aligned with the definition even when a scale is broken (the plan is
        // then not used: the definition is refused).
        let plans = plans
            .into_iter()
            .map(|plan| {
                plan.unwrap_or(ScalePlan {
                    kind: ScaleKind::Derived {
                        from: 0,
                        multiply: 1.0,
                        add: 0.0,
                    },
                    rounding: None,
                    bands: Vec::new(),
                    range: (0.0, 0.0),
                })
            })
            .collect();
        (plans, order)
    }

    /// A scale's id may not be an item's (their columns would clash); other clashes of output
    /// columns are found by [`Compiler::output_columns`].
    fn check_scale_id(&mut self, scale: &Scale, path: &str) {
        let id = scale.id.as_str();
        if let Some(item) = self.items.get_folded(id) {
            let item = &self.def.items[item].id;
            let case = if item == id {
                String::new()
            } else {
                format!(" (`{}`, regardless of case)", shown(item))
            };
            self.problem(
                format!("{path}.id"),
                format!("`{id}` is also an item id{case}; the CSV columns would clash"),
            );
        }
    }

    fn item_scale(&mut self, scale: &'d Scale, path: &str, sets: &[Matcher]) -> Option<ScalePlan> {
        let def = self.def;
        let Some(ids) = &scale.items else {
            self.problem(
                format!("{path}.items"),
                "a scale needs `items` (or `scales` for a composite of other scales, or `derived` for a scale computed from another scale)",
            );
            return None;
        };
        if ids.is_empty() {
            self.problem(format!("{path}.items"), "a scale needs at least one item");
        }
        let mut items = Vec::with_capacity(ids.len());
        let mut seen = HashSet::new();
        let mut ranges = Vec::with_capacity(ids.len());
        for (k, id) in ids.iter().enumerate() {
            let Some(i) = self.items.get(id) else {
                self.problem(
                    format!("{path}.items[{k}]"),
                    format!("unknown item `{id}`{}", self.items.known()),
                );
                continue;
            };
            if !seen.insert(id.as_str()) {
                self.problem(
                    format!("{path}.items[{k}]"),
                    format!("item `{id}` is listed twice"),
                );
            }
            if !def.items[i].scored {
                self.problem(
                    format!("{path}.items[{k}]"),
                    format!("item `{id}` is marked `scored: false` and cannot be part of a scale"),
                );
            }
            let set = self.sets.get(&def.items[i].response_set);
            if let Some(range) = set.and_then(|s| sets[s].range) {
                ranges.push(range);
            }
            items.push((i, false));
        }
        // Each of the scale's items by id (its first listing), for the reverse keys.
        let mut listed: HashMap<&str, usize> = HashMap::with_capacity(items.len());
        for (at, &(i, _)) in items.iter().enumerate() {
            listed.entry(def.items[i].id.as_str()).or_insert(at);
        }
        for (k, id) in scale.reverse.iter().enumerate() {
            let rpath = format!("{path}.reverse[{k}]");
            let Some(&at) = listed.get(id.as_str()) else {
                self.problem(rpath, format!("`{id}` is not one of this scale's items"));
                continue;
            };
            let (i, reversed) = items[at];
            let has_range = self
                .sets
                .get(&def.items[i].response_set)
                .is_some_and(|s| sets[s].range.is_some());
            if !has_range {
                self.problem(
                    rpath,
                    format!(
                        "item `{id}` cannot be reverse-keyed: its response set `{}` has no numeric range",
                        shown(&def.items[i].response_set)
                    ),
                );
            } else if reversed {
                self.problem(rpath, format!("item `{id}` is listed twice"));
            }
            items[at].1 = true;
        }
        if !scale.reverse.is_empty() && scale.key_source.is_none() {
            self.problem(
                format!("{path}.key_source"),
                "reverse-keyed items need a `key_source` saying where the key comes from",
            );
        }
        let (method, policy, prorate, range) =
            self.scoring(scale, path, Parts::Items, ids.len(), &ranges);
        let items = items
            .into_iter()
            .map(|(item, reversed)| {
                let range = self
                    .sets
                    .get(&def.items[item].response_set)
                    .and_then(|s| sets[s].range);
                ScaleItem {
                    item,
                    reverse: range.filter(|_| reversed).map(|(lo, hi)| lo + hi),
                    range: range.unwrap_or((f64::NAN, f64::NAN)),
                }
            })
            .collect();
        Some(ScalePlan {
            kind: ScaleKind::Items {
                items,
                method,
                missing: policy,
                prorate,
            },
            rounding: None,
            bands: Vec::new(),
            range,
        })
    }

    pub(super) fn missing_rule(
        &mut self,
        rule: &MissingRule,
        method: Method,
        n_items: usize,
        path: &str,
        (one, many): (&str, &str),
    ) -> MissingPolicy {
        let n = n_items as u32;
        if rule.prorate && method == Method::Mean {
            self.problem(
                format!("{path}.prorate"),
                "a mean is already the mean of the answered items; `prorate` applies to sums only",
            );
        }
        match (rule.max_missing, rule.min_answered) {
            (Some(max), None) if max < n => return MissingPolicy::MaxMissing(max),
            (None, Some(min)) if min >= 1 && min <= n => return MissingPolicy::MinAnswered(min),
            (Some(max), None) => self.problem(
                format!("{path}.max_missing"),
                format!(
                    "{max} would allow a score with no {one} {}: the scale has {}",
                    if one == "item" { "answered" } else { "scored" },
                    crate::text::count(u64::from(n), one, many)
                ),
            ),
            (None, Some(min)) => self.problem(
                format!("{path}.min_answered"),
                format!("must be between 1 and the scale's {n} {many}, not {min}"),
            ),
            _ => self.problem(path, "give exactly one of `max_missing` and `min_answered`"),
        }
        MissingPolicy::MaxMissing(0)
    }

    fn rounding(&mut self, rounding: &Rounding, path: &str) -> Option<(RoundingMethod, u8)> {
        if rounding.decimals > 6 {
            self.problem(format!("{path}.rounding.decimals"), "at most 6 decimals");
            return None;
        }
        Some((rounding.method, rounding.decimals))
    }

    /// A reliable-change threshold is a positive number of points no wider than the scale; a
    /// caseness cut-off lies within the scale's range.
    fn thresholds(&mut self, scale: &Scale, path: &str, range: (f64, f64)) {
        let Some(thresholds) = &scale.thresholds else {
            return;
        };
        let (lo, hi) = range;
        if let Some(reliable) = &thresholds.reliable_change {
            let points = reliable.points;
            if !(points.is_finite() && points > 0.0 && points <= hi - lo) {
                self.problem(
                    format!("{path}.thresholds.reliable_change.points"),
                    format!(
                        "must be a positive number of points no more than the scale's width ({})",
                        format_value(hi - lo)
                    ),
                );
            }
        }
        if let Some(caseness) = &thresholds.caseness {
            let from = caseness.from;
            if !(from.is_finite() && from >= lo && from <= hi) {
                self.problem(
                    format!("{path}.thresholds.caseness.from"),
                    format!(
                        "must lie within the scale's range, {} to {}",
                        format_value(lo),
                        format_value(hi)
                    ),
                );
            }
        }
    }

    fn bands(&mut self, scale: &Scale, path: &str, max: Option<f64>) -> Vec<f64> {
        let mut froms = Vec::with_capacity(scale.bands.len());
        for (b, band) in scale.bands.iter().enumerate() {
            let bpath = format!("{path}.bands[{b}]");
            if band.label.trim().is_empty() {
                self.problem(format!("{bpath}.label"), "must not be empty");
            }
            if let Err(message) = limits::finite(band.from) {
                self.problem(format!("{bpath}.from"), message);
                continue;
            }
            if let Some(&prev) = froms.last()
                && band.from <= prev
            {
                self.problem(
                    format!("{bpath}.from"),
                    format!(
                        "bands must be strictly increasing: {} does not come after {}",
                        format_value(band.from),
                        format_value(prev)
                    ),
                );
            }
            if let Some(max) = max
                && band.from > max
            {
                self.problem(
                    format!("{bpath}.from"),
                    format!(
                        "band starts at {}, above the scale's maximum of {}",
                        format_value(band.from),
                        format_value(max)
                    ),
                );
            }
            froms.push(band.from);
        }
        if !scale.bands.is_empty() && scale.band_source.is_none() {
            self.problem(format!("{path}.band_source"), "bands need a `band_source`");
        }
        froms
    }
}

/// What a scale is made of: items, or the component scales of a composite (the words of its
/// messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Parts {
    Items,
    Components,
}

impl Parts {
    /// The part, singular and plural.
    fn nouns(self) -> (&'static str, &'static str) {
        match self {
            Parts::Items => ("item", "items"),
            Parts::Components => ("component scale", "component scales"),
        }
    }

    fn needs_method(self) -> &'static str {
        match self {
            Parts::Items => "an item scale needs `method`: `sum` or `mean`",
            Parts::Components => {
                "a composite scale needs `method`: `sum` or `mean` of its component scales"
            }
        }
    }

    fn needs_missing(self) -> &'static str {
        match self {
            Parts::Items => {
                "an item scale needs a `missing` rule (for example {\"max_missing\": 0, \"source\": …})"
            }
            Parts::Components => {
                "a composite scale needs a `missing` rule counted in component scales (for example {\"max_missing\": 0, \"source\": …} to score it only when every component is scored)"
            }
        }
    }

    fn ranges_differ(self) -> &'static str {
        match self {
            Parts::Items => {
                "prorating needs items that share one range of values, and these items' ranges differ"
            }
            Parts::Components => {
                "prorating needs component scales that share one range of scores, and these ranges differ"
            }
        }
    }
}

impl Compiler<'_> {
    /// How a scale of `count` parts whose ranges are `ranges` is scored: its method, its
    /// missing rule and whether it prorates, and its range. Each problem is reported at its path;
    /// a broken rule is reported and a stand-in returned, so that scales and rules referring to
    /// the scale are not reported as broken too.
    pub(super) fn scoring(
        &mut self,
        scale: &Scale,
        path: &str,
        parts: Parts,
        count: usize,
        ranges: &[(f64, f64)],
    ) -> (Method, MissingPolicy, bool, (f64, f64)) {
        let method = scale.method.unwrap_or_else(|| {
            self.problem(format!("{path}.method"), parts.needs_method());
            Method::Sum
        });
        let (policy, prorate) = match &scale.missing {
            Some(missing) => (
                self.missing_rule(
                    missing,
                    method,
                    count,
                    &format!("{path}.missing"),
                    parts.nouns(),
                ),
                missing.prorate,
            ),
            None => {
                self.problem(format!("{path}.missing"), parts.needs_missing());
                (MissingPolicy::MaxMissing(0), false)
            }
        };
        // Prorating takes a missing part to score like the scored ones: defined only when the
        // parts share one range.
        if prorate && ranges.windows(2).any(|w| w[0] != w[1]) {
            self.problem(format!("{path}.missing.prorate"), parts.ranges_differ());
        }
        let range = parts_range(method, policy, prorate, count, ranges);
        (method, policy, prorate, range)
    }
}

/// The lowest and highest score of a scale of `count` parts (items, or the component scales of
/// a composite) whose ranges are `ranges`, scored by `method` under the missing rule `policy`,
/// prorated or not.
pub(super) fn parts_range(
    method: Method,
    policy: MissingPolicy,
    prorate: bool,
    count: usize,
    ranges: &[(f64, f64)],
) -> (f64, f64) {
    let may_miss = match policy {
        MissingPolicy::MaxMissing(max) => max as usize,
        MissingPolicy::MinAnswered(min) => count.saturating_sub(min as usize),
    };
    match method {
        Method::Sum if !prorate && may_miss > 0 => sum_range_with_missing(ranges, may_miss),
        Method::Sum => ranges
            .iter()
            .fold((0.0, 0.0), |(a, b), (lo, hi)| (a + lo, b + hi)),
        Method::Mean => ranges
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (lo, hi)| {
                (f64::min(a, *lo), f64::max(b, *hi))
            }),
    }
}

/// The lowest and highest sum of the answered items when up to `may_miss` items may be missing
/// and the sum is not prorated: the lowest leaves out the items with the highest positive
/// minimums, the highest the items with the lowest negative maximums (items scoring 1–5 with
/// one item allowed missing sum to at least n − 1, not n).
fn sum_range_with_missing(ranges: &[(f64, f64)], may_miss: usize) -> (f64, f64) {
    let mut lows: Vec<f64> = ranges.iter().map(|r| r.0).filter(|&lo| lo > 0.0).collect();
    let mut highs: Vec<f64> = ranges.iter().map(|r| r.1).filter(|&hi| hi < 0.0).collect();
    lows.sort_by(|a, b| b.total_cmp(a));
    highs.sort_by(f64::total_cmp);
    let lo: f64 = ranges.iter().map(|r| r.0).sum::<f64>() - lows.iter().take(may_miss).sum::<f64>();
    let hi: f64 =
        ranges.iter().map(|r| r.1).sum::<f64>() - highs.iter().take(may_miss).sum::<f64>();
    (lo, hi)
}
