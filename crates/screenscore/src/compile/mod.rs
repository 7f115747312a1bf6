//! Checking a definition and compiling it into a [`Plan`] that scores without lookups by id.
//!
//! Checking and compiling are one pass: every reference is resolved once, and a reference that
//! cannot be resolved is a [`Problem`] at its JSON path. All problems are collected, so a person
//! fixing a definition sees every one of them at once.

use std::collections::{HashMap, HashSet};

use crate::condition::{Cond, Program};
use crate::definition::{
    Condition, Definition, Method, MissingRule, Rounding, RoundingMethod, Scale,
};
use crate::error::Problem;
use crate::matcher::{Matcher, format_value};

/// The largest option value, and derived-scale factor or constant, in magnitude, a definition
/// may declare: far above any questionnaire's, far below where sums and reverse keys in doubles
/// stop being exact.
const MAX_OPTION_VALUE: f64 = 1e9;

/// A definition compiled for scoring: every id resolved to an index.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) sets: Vec<Matcher>,
    pub(crate) items: Vec<ItemPlan>,
    pub(crate) attributes: Vec<AttributePlan>,
    pub(crate) scales: Vec<ScalePlan>,
    pub(crate) skips: Vec<SkipPlan>,
    /// Every rule's condition; root `r` is rule `r`.
    pub(crate) rules: Program,
    /// Instrument-wide missing codes, trimmed.
    pub(crate) missing_codes: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ItemPlan {
    pub(crate) set: usize,
    pub(crate) applies_if: Option<Program>,
}

#[derive(Debug, Clone)]
pub(crate) struct AttributePlan {
    /// Every accepted spelling, lowercased, with the index of the value it means.
    accepted: Vec<(String, usize)>,
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
        let lower = text.to_lowercase();
        self.accepted
            .iter()
            .find(|(a, _)| *a == lower)
            .map(|&(_, v)| Some(v))
            .ok_or(())
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

/// What a condition may look at where it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// `applies_if`: respondent attributes only.
    Attributes,
    /// Skips: items and attributes (scales are computed after skips).
    Responses,
    /// Rules: anything.
    Everything,
}

struct Compiler<'d> {
    def: &'d Definition,
    problems: Vec<Problem>,
    set_index: HashMap<&'d str, usize>,
    item_index: HashMap<&'d str, usize>,
    scale_index: HashMap<&'d str, usize>,
    attribute_index: HashMap<&'d str, usize>,
}

/// Check a definition and compile it, or return every problem found.
pub(crate) fn compile(def: &Definition) -> Result<Plan, Vec<Problem>> {
    let mut c = Compiler {
        def,
        problems: Vec::new(),
        set_index: HashMap::new(),
        item_index: HashMap::new(),
        scale_index: HashMap::new(),
        attribute_index: HashMap::new(),
    };
    c.check_identity();
    let sets = c.response_sets();
    let attributes = c.attributes();
    let items = c.items(&sets);
    let scales = c.scales(&sets);
    let skips = c.skips(&sets);
    let rules = c.rules();
    let missing_codes = c.missing_codes(&sets);
    if c.problems.is_empty() {
        Ok(Plan {
            sets,
            items,
            attributes,
            scales,
            skips,
            rules,
            missing_codes,
        })
    } else {
        Err(c.problems)
    }
}

fn is_instrument_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_part_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Output columns an instrument writes besides its scales.
pub(crate) const RESERVED_SUFFIXES: [&str; 4] = ["status", "flags", "error", "notes"];

impl<'d> Compiler<'d> {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    fn check_identity(&mut self) {
        let def = self.def;
        if !is_instrument_id(&def.id) {
            self.problem(
                "id",
                format!(
                    "`{}` is not a valid instrument id: use lowercase letters, digits and `_`, starting with a letter",
                    def.id
                ),
            );
        }
        for (field, value) in [
            ("name", &def.name),
            ("measures", &def.measures),
            ("version", &def.version),
            ("citation", &def.citation),
        ] {
            if value.trim().is_empty() {
                self.problem(field, "must not be empty");
            }
        }
        if def.items.is_empty() {
            self.problem("items", "an instrument needs at least one item");
        }
        if def.scales.is_empty() {
            self.problem("scales", "an instrument needs at least one scale");
        }
    }

    /// Check ids for form and uniqueness, and index them.
    fn index_ids<T>(
        &mut self,
        list: &'d [T],
        field: &str,
        what: &str,
        id: impl Fn(&'d T) -> &'d str,
    ) -> HashMap<&'d str, usize> {
        let mut index = HashMap::new();
        for (i, entry) in list.iter().enumerate() {
            let id = id(entry);
            if !is_part_id(id) {
                self.problem(
                    format!("{field}[{i}].id"),
                    format!("`{id}` is not a valid {what} id: use letters, digits, `_` and `-`"),
                );
            }
            if let Some(first) = index.insert(id, i) {
                index.insert(id, first);
                self.problem(
                    format!("{field}[{i}].id"),
                    format!("duplicate {what} id `{id}` (first used at {field}[{first}])"),
                );
            }
        }
        index
    }

    fn response_sets(&mut self) -> Vec<Matcher> {
        let def = self.def;
        self.set_index = self.index_ids(&def.response_sets, "response_sets", "response set", |s| {
            &s.id
        });
        let mut matchers = Vec::with_capacity(def.response_sets.len());
        for (s, set) in def.response_sets.iter().enumerate() {
            let path = format!("response_sets[{s}]");
            if set.options.is_empty() {
                self.problem(
                    format!("{path}.options"),
                    "a response set needs at least one option",
                );
            }
            if set.options.len() >= usize::from(u8::MAX) {
                self.problem(
                    format!("{path}.options"),
                    "a response set may have at most 254 options",
                );
            }
            let mut values: HashMap<String, usize> = HashMap::new();
            let mut texts: HashMap<String, usize> = HashMap::new();
            for (o, option) in set.options.iter().enumerate() {
                let opath = format!("{path}.options[{o}]");
                if let Some(v) = option.value {
                    if !v.is_finite() {
                        self.problem(format!("{opath}.value"), "must be a finite number");
                    } else if v.abs() > MAX_OPTION_VALUE {
                        // Sums, reverse keys and ranges stay exact in doubles well past this.
                        self.problem(
                            format!("{opath}.value"),
                            "must lie between -1000000000 and 1000000000",
                        );
                    } else if let Some(first) = values.insert(format_value(v), o) {
                        self.problem(
                            format!("{opath}.value"),
                            format!(
                                "value {} is already used by option {first}",
                                format_value(v)
                            ),
                        );
                    }
                }
                if option.label.trim().is_empty() {
                    self.problem(format!("{opath}.label"), "must not be empty");
                }
                let mut accepted = vec![("label", option.label.trim().to_lowercase())];
                if let Some(code) = &option.code {
                    accepted.push(("code", code.trim().to_lowercase()));
                }
                for (field, text) in accepted {
                    if let Some(first) = texts.insert(text.clone(), o) {
                        self.problem(
                            format!("{opath}.{field}"),
                            format!("\"{text}\" is already accepted for option {first}; input would be ambiguous"),
                        );
                    }
                    if let Some(&owner) = values.get(&text).filter(|&&owner| owner != o) {
                        self.problem(
                            format!("{opath}.{field}"),
                            format!("\"{text}\" is the value of option {owner}; input would be ambiguous"),
                        );
                    }
                }
            }
            matchers.push(Matcher::new(set));
        }
        matchers
    }

    fn attributes(&mut self) -> Vec<AttributePlan> {
        let def = self.def;
        self.attribute_index =
            self.index_ids(&def.attributes, "attributes", "attribute", |a| &a.id);
        let mut plans = Vec::new();
        for (a, attribute) in def.attributes.iter().enumerate() {
            let path = format!("attributes[{a}]");
            if attribute.values.is_empty() || attribute.values.len() > 64 {
                self.problem(
                    format!("{path}.values"),
                    "an attribute needs between 1 and 64 values",
                );
            }
            let mut accepted: Vec<(String, usize)> = Vec::new();
            for (v, value) in attribute.values.iter().enumerate() {
                let spellings = std::iter::once(&value.value).chain(&value.accepted);
                for (k, spelling) in spellings.enumerate() {
                    let lower = spelling.trim().to_lowercase();
                    let field = if k == 0 {
                        format!("{path}.values[{v}].value")
                    } else {
                        format!("{path}.values[{v}].accepted[{}]", k - 1)
                    };
                    if lower.is_empty() {
                        self.problem(field, "must not be empty");
                    } else if accepted.iter().any(|(a, _)| *a == lower) {
                        self.problem(field, format!("\"{spelling}\" is accepted twice"));
                    } else {
                        accepted.push((lower, v));
                    }
                }
            }
            let expected = attribute
                .values
                .iter()
                .flat_map(|v| std::iter::once(&v.value).chain(&v.accepted))
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            plans.push(AttributePlan { accepted, expected });
        }
        plans
    }

    fn items(&mut self, sets: &[Matcher]) -> Vec<ItemPlan> {
        let def = self.def;
        self.item_index = self.index_ids(&def.items, "items", "item", |i| &i.id);
        let mut plans = Vec::with_capacity(def.items.len());
        for (i, item) in def.items.iter().enumerate() {
            let path = format!("items[{i}]");
            if item.label.trim().is_empty() {
                self.problem(format!("{path}.label"), "must not be empty");
            }
            let set = match self.set_index.get(item.response_set.as_str()) {
                Some(&s) => s,
                None => {
                    self.problem(
                        format!("{path}.response_set"),
                        format!(
                            "unknown response set `{}`{}",
                            item.response_set,
                            known(&self.set_index)
                        ),
                    );
                    0
                }
            };
            if item.scored
                && let Some(m) = sets.get(set)
                && m.range.is_none()
            {
                self.problem(
                    format!("{path}.response_set"),
                    format!(
                        "item `{}` is scored, so every option of `{}` needs a numeric value",
                        item.id, item.response_set
                    ),
                );
            }
            let applies_if = item
                .applies_if
                .as_ref()
                .map(|c| self.condition(c, &format!("{path}.applies_if"), Scope::Attributes))
                .map(|c| Program::new(&[c]));
            plans.push(ItemPlan { set, applies_if });
        }
        plans
    }

    fn scales(&mut self, sets: &[Matcher]) -> Vec<ScalePlan> {
        let def = self.def;
        self.scale_index = HashMap::new();
        let scale_ids = self.index_ids(&def.scales, "scales", "scale", |s| &s.id);
        let mut plans: Vec<ScalePlan> = Vec::with_capacity(def.scales.len());
        for (s, scale) in def.scales.iter().enumerate() {
            let path = format!("scales[{s}]");
            self.check_scale_id(scale, &path);
            let problems_before = self.problems.len();
            let plan = if let Some(derived) = &scale.derived {
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
                    if x.is_nan() || x.abs() > MAX_OPTION_VALUE {
                        self.problem(
                            format!("{path}.derived.{field}"),
                            "must lie between -1000000000 and 1000000000",
                        );
                    }
                }
                let from = self.scale_index.get(derived.from.as_str()).copied();
                match from.map(|f| (f, &plans[f].kind)) {
                    Some((f, ScaleKind::Items { .. })) => {
                        let (lo, hi) = plans[f].range;
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
                                "`{}` is not an item scale defined before this one{}",
                                derived.from,
                                known(&self.scale_index)
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
                plan.range = (
                    crate::engine::round(lo, 1, plan.rounding),
                    crate::engine::round(hi, 1, plan.rounding),
                );
                // A scale with broken items has an unreliable range: check bands against it
                // only when the scale itself is sound.
                let max = (self.problems.len() == problems_before).then_some(plan.range.1);
                plan.bands = self.bands(scale, &path, max);
                self.norms(scale, &path);
                plans.push(plan);
            } else {
                // Keep indices aligned with the definition even when a scale is broken.
                plans.push(ScalePlan {
                    kind: ScaleKind::Derived {
                        from: 0,
                        multiply: 1.0,
                        add: 0.0,
                    },
                    rounding: None,
                    bands: Vec::new(),
                    range: (0.0, 0.0),
                });
            }
            if scale_ids.get(scale.id.as_str()) == Some(&s) {
                self.scale_index.insert(&scale.id, s);
            }
        }
        plans
    }

    fn check_scale_id(&mut self, scale: &Scale, path: &str) {
        let id = scale.id.as_str();
        if RESERVED_SUFFIXES.contains(&id) || id.ends_with("_band") {
            self.problem(
                format!("{path}.id"),
                format!(
                    "`{id}` would clash with an output column: scale ids may not be {} or end in `_band`",
                    RESERVED_SUFFIXES.join(", ")
                ),
            );
        }
        if self.item_index.contains_key(id) {
            self.problem(
                format!("{path}.id"),
                format!("`{id}` is also an item id; the CSV columns would clash"),
            );
        }
    }

    fn item_scale(&mut self, scale: &'d Scale, path: &str, sets: &[Matcher]) -> Option<ScalePlan> {
        let def = self.def;
        let Some(ids) = &scale.items else {
            self.problem(
                format!("{path}.items"),
                "a scale needs `items` (or `derived` for a scale computed from another scale)",
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
            let Some(&i) = self.item_index.get(id.as_str()) else {
                self.problem(
                    format!("{path}.items[{k}]"),
                    format!("unknown item `{id}`{}", known(&self.item_index)),
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
            let set = self
                .set_index
                .get(def.items[i].response_set.as_str())
                .copied();
            if let Some(range) = set.and_then(|s| sets[s].range) {
                ranges.push(range);
            }
            items.push((i, false));
        }
        for (k, id) in scale.reverse.iter().enumerate() {
            let rpath = format!("{path}.reverse[{k}]");
            match items.iter_mut().find(|(i, _)| def.items[*i].id == *id) {
                Some((i, reversed)) => {
                    let has_range = self
                        .set_index
                        .get(def.items[*i].response_set.as_str())
                        .is_some_and(|&s| sets[s].range.is_some());
                    if !has_range {
                        self.problems.push(Problem::new(
                            rpath,
                            format!(
                                "item `{id}` cannot be reverse-keyed: its response set `{}` has no numeric range",
                                def.items[*i].response_set
                            ),
                        ));
                    } else if *reversed {
                        self.problems
                            .push(Problem::new(rpath, format!("item `{id}` is listed twice")));
                    }
                    *reversed = true;
                }
                None => self.problem(rpath, format!("`{id}` is not one of this scale's items")),
            }
        }
        if !scale.reverse.is_empty() && scale.key_source.is_none() {
            self.problem(
                format!("{path}.key_source"),
                "reverse-keyed items need a `key_source` saying where the key comes from",
            );
        }
        let method = scale.method.unwrap_or_else(|| {
            self.problem(
                format!("{path}.method"),
                "an item scale needs `method`: `sum` or `mean`",
            );
            Method::Sum
        });
        // A broken rule is reported, and the scale still compiled, so that scales and rules
        // referring to it are not reported as broken too.
        let (policy, prorate) = match &scale.missing {
            Some(missing) => (
                self.missing_rule(missing, method, ids.len(), &format!("{path}.missing")),
                missing.prorate,
            ),
            None => {
                self.problem(
                    format!("{path}.missing"),
                    "an item scale needs a `missing` rule (for example {\"max_missing\": 0, \"source\": …})",
                );
                (MissingPolicy::MaxMissing(0), false)
            }
        };
        // Prorating takes a missing item to score like the answered ones: defined only when the
        // items share one range of values.
        if prorate && ranges.windows(2).any(|w| w[0] != w[1]) {
            self.problem(
                format!("{path}.missing.prorate"),
                "prorating needs items that share one range of values, and these items' ranges differ",
            );
        }
        let may_miss = match policy {
            MissingPolicy::MaxMissing(max) => max as usize,
            MissingPolicy::MinAnswered(min) => ids.len().saturating_sub(min as usize),
        };
        let range = match method {
            Method::Sum if !prorate && may_miss > 0 => sum_range_with_missing(&ranges, may_miss),
            Method::Sum => ranges
                .iter()
                .fold((0.0, 0.0), |(a, b), (lo, hi)| (a + lo, b + hi)),
            Method::Mean => ranges
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (lo, hi)| {
                    (f64::min(a, *lo), f64::max(b, *hi))
                }),
        };
        let items = items
            .into_iter()
            .map(|(item, reversed)| {
                let range = self
                    .set_index
                    .get(def.items[item].response_set.as_str())
                    .and_then(|&s| sets[s].range);
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

    fn missing_rule(
        &mut self,
        rule: &MissingRule,
        method: Method,
        n_items: usize,
        path: &str,
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
                format!("{max} would allow a score with no item answered: the scale has {n} items"),
            ),
            (None, Some(min)) => self.problem(
                format!("{path}.min_answered"),
                format!("must be between 1 and the scale's {n} items, not {min}"),
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

    fn bands(&mut self, scale: &Scale, path: &str, max: Option<f64>) -> Vec<f64> {
        let mut froms = Vec::with_capacity(scale.bands.len());
        for (b, band) in scale.bands.iter().enumerate() {
            let bpath = format!("{path}.bands[{b}]");
            if band.label.trim().is_empty() {
                self.problem(format!("{bpath}.label"), "must not be empty");
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

    fn norms(&mut self, scale: &Scale, path: &str) {
        let mut ids = HashSet::new();
        let mut roles = HashMap::new();
        for (g, group) in scale.norms.iter().enumerate() {
            let gpath = format!("{path}.norms[{g}]");
            if !is_part_id(&group.id) || !ids.insert(group.id.as_str()) {
                self.problem(
                    format!("{gpath}.id"),
                    format!(
                        "`{}` is not a valid norm group id, or is used twice in this scale",
                        group.id
                    ),
                );
            }
            if let Some(role) = group.role
                && let Some(first) = roles.insert(role, g)
            {
                self.problem(
                    format!("{gpath}.role"),
                    format!("norms[{first}] already has this role; a scale has at most one functional and one dysfunctional group"),
                );
            }
            if group.strata.is_empty() {
                self.problem(
                    format!("{gpath}.strata"),
                    "a norm group needs at least one stratum",
                );
            }
            for (k, stratum) in group.strata.iter().enumerate() {
                let spath = format!("{gpath}.strata[{k}]");
                if !(stratum.sd.is_finite() && stratum.sd > 0.0) {
                    self.problem(format!("{spath}.sd"), "must be a positive number");
                }
                if !stratum.mean.is_finite() {
                    self.problem(format!("{spath}.mean"), "must be a finite number");
                }
                if stratum.n.is_some_and(|n| n < 2) {
                    self.problem(
                        format!("{spath}.n"),
                        "a reference group needs at least 2 people",
                    );
                }
                if let Some(sex) = &stratum.sex
                    && crate::norms::Sex::parse(sex).is_none()
                {
                    self.problem(
                        format!("{spath}.sex"),
                        format!("`{sex}` is not `female` or `male`"),
                    );
                }
                if let Some(age) = stratum.age
                    && age.from.partial_cmp(&age.to).is_none_or(|o| o.is_gt())
                {
                    self.problem(format!("{spath}.age"), "`from` must not be above `to`");
                }
            }
            if let Some(r) = &group.reliability
                && !(r.value > 0.0 && r.value < 1.0)
            {
                self.problem(
                    format!("{gpath}.reliability.value"),
                    "a reliability must lie strictly between 0 and 1",
                );
            }
            let mut last = f64::NEG_INFINITY;
            for (k, p) in group.percentiles.iter().enumerate() {
                if !(p.p > 0.0 && p.p < 100.0 && p.p > last) {
                    self.problem(
                        format!("{gpath}.percentiles[{k}].p"),
                        "percentiles must rise strictly between 0 and 100",
                    );
                }
                last = p.p;
            }
        }
    }

    fn skips(&mut self, sets: &[Matcher]) -> Vec<SkipPlan> {
        let def = self.def;
        let mut plans = Vec::new();
        for (k, skip) in def.skips.iter().enumerate() {
            let path = format!("skips[{k}]");
            let when = self.condition(&skip.when, &format!("{path}.when"), Scope::Responses);
            let mut items = Vec::new();
            for (j, id) in skip.items.iter().enumerate() {
                let ipath = format!("{path}.items[{j}]");
                let Some(i) = self.item(id, &ipath) else {
                    continue;
                };
                let set = self
                    .set_index
                    .get(def.items[i].response_set.as_str())
                    .copied();
                match set.and_then(|s| sets[s].option_with_value(skip.value)) {
                    Some(option) => items.push((i, option)),
                    None => self.problem(
                        format!("{path}.value"),
                        format!(
                            "{} is not a value of item `{id}`, so it cannot be its skipped score",
                            format_value(skip.value)
                        ),
                    ),
                }
            }
            plans.push(SkipPlan {
                when: Program::new(&[when]),
                items,
            });
        }
        plans
    }

    fn rules(&mut self) -> Program {
        let def = self.def;
        self.index_ids(&def.rules, "rules", "rule", |r| &r.id);
        let conds: Vec<Cond> = def
            .rules
            .iter()
            .enumerate()
            .map(|(r, rule)| {
                if rule.label.trim().is_empty() {
                    self.problem(format!("rules[{r}].label"), "must not be empty");
                }
                self.condition(&rule.when, &format!("rules[{r}].when"), Scope::Everything)
            })
            .collect();
        Program::new(&conds)
    }

    fn missing_codes(&mut self, sets: &[Matcher]) -> Vec<String> {
        let mut codes = Vec::new();
        for (k, code) in self.def.missing_codes.iter().enumerate() {
            let code = code.trim();
            if code.is_empty() {
                self.problem(
                    format!("missing_codes[{k}]"),
                    "must not be empty (empty cells are always missing)",
                );
                continue;
            }
            if let Some(s) = sets.iter().position(|m| m.accepts(code)) {
                self.problem(
                    format!("missing_codes[{k}]"),
                    format!(
                        "\"{code}\" is also an answer in response set `{}`; it cannot mean missing",
                        self.def.response_sets[s].id
                    ),
                );
            }
            codes.push(code.to_string());
        }
        codes
    }

    fn item(&mut self, id: &str, path: &str) -> Option<usize> {
        let found = self.item_index.get(id).copied();
        if found.is_none() {
            self.problem(
                path,
                format!("unknown item `{id}`{}", known(&self.item_index)),
            );
        }
        found
    }

    fn condition(&mut self, cond: &Condition, path: &str, scope: Scope) -> Cond {
        let outside = |what: &str| match scope {
            Scope::Attributes => Some(format!(
                "`applies_if` may only test respondent attributes, not {what}"
            )),
            Scope::Responses if what == "scales" => Some(
                "skip conditions may not test scales: scales are scored after skips".to_string(),
            ),
            _ => None,
        };
        match cond {
            Condition::Item(cmp) => {
                let path = format!("{path}.item");
                if let Some(m) = outside("items") {
                    self.problem(&path, m);
                }
                let item = self.item(&cmp.id, &format!("{path}.id")).unwrap_or(0);
                Cond::Item {
                    item,
                    op: cmp.op,
                    value: cmp.value,
                }
            }
            Condition::Scale(cmp) => {
                let path = format!("{path}.scale");
                if let Some(m) = outside("scales") {
                    self.problem(&path, m);
                }
                let scale = match self.scale_index.get(cmp.id.as_str()) {
                    Some(&s) => s,
                    None => {
                        self.problem(
                            format!("{path}.id"),
                            format!("unknown scale `{}`{}", cmp.id, known(&self.scale_index)),
                        );
                        0
                    }
                };
                Cond::Scale {
                    scale,
                    op: cmp.op,
                    value: cmp.value,
                }
            }
            Condition::Missing(id) => {
                let path = format!("{path}.missing");
                if let Some(m) = outside("items") {
                    self.problem(&path, m);
                }
                Cond::Missing(self.item(id, &path).unwrap_or(0))
            }
            Condition::Attribute(test) => {
                let path = format!("{path}.attribute");
                let Some(&a) = self.attribute_index.get(test.id.as_str()) else {
                    self.problem(
                        format!("{path}.id"),
                        format!(
                            "unknown attribute `{}`{}",
                            test.id,
                            known(&self.attribute_index)
                        ),
                    );
                    return Cond::Attribute {
                        attribute: 0,
                        values: 0,
                    };
                };
                let declared = &self.def.attributes[a].values;
                let mut values = 0u64;
                for (k, v) in test.any_of.iter().enumerate() {
                    match declared.iter().position(|d| d.value == *v) {
                        Some(i) if i < 64 => values |= 1 << i,
                        // Past the 64th value there is no bit; the attribute is refused for
                        // having that many values (`attributes[a].values`).
                        Some(_) => {}
                        None => self.problem(
                            format!("{path}.in[{k}]"),
                            format!(
                                "`{v}` is not a value of attribute `{}` ({})",
                                test.id,
                                declared
                                    .iter()
                                    .map(|d| d.value.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ),
                    }
                }
                Cond::Attribute {
                    attribute: a,
                    values,
                }
            }
            Condition::NotGiven(id) => {
                let path = format!("{path}.not_given");
                match self.attribute_index.get(id.as_str()) {
                    Some(&a) => Cond::NotGiven(a),
                    None => {
                        self.problem(
                            path,
                            format!("unknown attribute `{id}`{}", known(&self.attribute_index)),
                        );
                        Cond::NotGiven(0)
                    }
                }
            }
            Condition::All(parts) => {
                Cond::All(self.conditions(parts, &format!("{path}.all"), scope))
            }
            Condition::Any(parts) => {
                Cond::Any(self.conditions(parts, &format!("{path}.any"), scope))
            }
            Condition::Not(inner) => Cond::Not(Box::new(self.condition(
                inner,
                &format!("{path}.not"),
                scope,
            ))),
            Condition::Count(count) => {
                let path = format!("{path}.count");
                Cond::Count {
                    of: self.conditions(&count.of, &format!("{path}.of"), scope),
                    op: count.op,
                    value: count.value,
                }
            }
            Condition::CountItems(count) => {
                let path = format!("{path}.count_items");
                if let Some(m) = outside("items") {
                    self.problem(&path, m);
                }
                let items = count
                    .items
                    .iter()
                    .enumerate()
                    .filter_map(|(k, id)| self.item(id, &format!("{path}.items[{k}]")))
                    .collect();
                Cond::CountItems {
                    items,
                    meet_op: count.meeting.op,
                    meet_value: count.meeting.value,
                    op: count.op,
                    value: count.value,
                }
            }
        }
    }

    fn conditions(&mut self, parts: &[Condition], path: &str, scope: Scope) -> Vec<Cond> {
        parts
            .iter()
            .enumerate()
            .map(|(k, c)| self.condition(c, &format!("{path}[{k}]"), scope))
            .collect()
    }
}

/// `; known: a, b, c` for messages about unknown ids.
fn known(index: &HashMap<&str, usize>) -> String {
    let mut ids: Vec<(&str, usize)> = index.iter().map(|(k, v)| (*k, *v)).collect();
    if ids.is_empty() {
        return String::new();
    }
    ids.sort_by_key(|&(_, i)| i);
    let names: Vec<&str> = ids.into_iter().map(|(k, _)| k).collect();
    format!(" (known: {})", names.join(", "))
}

#[cfg(test)]
mod tests;

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
