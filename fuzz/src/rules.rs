//! Target `rules`: the condition evaluator behind flags, skips and `applies_if`.
//!
//! The input bytes are a sequence of choices (see [`Bytes`]). The first chooses between
//! - a built-in instrument whose rules and skips matter (PHQ-9's item 9, AUDIT's skip logic,
//!   PHQ-15's item for women only, PCL-5, …), answered with rows chosen by the bytes; and
//! - a definition generated from the bytes: response sets, a respondent attribute (sometimes
//!   with more values than the 64 a condition can name), items with `applies_if`, item and
//!   derived scales with missing rules, rounding, bands and norms, skips, and rules whose
//!   conditions nest `item`, `scale`, `missing`, `attribute`, `not_given`, `all`, `any`,
//!   `not`, `count` and `count_items` (mostly with known ids, sometimes not), then loaded and
//!   answered the same way.
//!
//! Checks:
//! - compiling and evaluating never panic; each sheet keeps its promises
//!   ([`common::check_sheet`]);
//! - three-valued logic: a flag raised with items unanswered stays raised when they are
//!   answered, whatever the answers ("missing data never clears a flag", DESIGN.md). This is
//!   checked for rules built only of conditions that are monotone in what is known: no
//!   `missing` (which answering falsifies on purpose), scales only when their missing rule
//!   scores complete answers only (a prorated score may move when the rest is answered), skips
//!   likewise, and whole-number option values (so sums are exact and no rounding order can
//!   move a score across a threshold). Skipped items are left as they are: a skipped item keeps
//!   its skipped score, answering it would replace the score on purpose.

use screenscore::definition::{
    Attribute, AttributeTest, AttributeValue, Band, CommercialUse, Comparison, Condition, Count,
    CountItems, Definition, Derived, Direction, Evidence, Frequency, Item, License, Method,
    MissingRule, NormGroup, NormRole, Op, Percentile, Reliability, ReliabilityKind, ResponseOption,
    ResponseSet, Rounding, RoundingMethod, Rule, Scale, Skip, Source, Stratum, Threshold,
};
use screenscore::{DefinitionError, Instrument, InstrumentStatus, ItemState, Severity};

use crate::bytes::Bytes;
use crate::common;

/// What became of the input, for regression tests.
#[derive(Debug)]
pub enum Outcome {
    /// The generated definition was refused, with this error.
    Refused(DefinitionError),
    /// Rows scored with an instrument, and the flags raised over them.
    Scored {
        /// The instrument's id.
        instrument: String,
        /// Administrations scored.
        rows: usize,
        /// Flags raised, over all rows.
        flags: usize,
    },
}

/// Built-in instruments with rules, skips or `applies_if`.
const BUILTINS: [&str; 10] = [
    "phq9", "audit", "phq15", "pcl5", "auditc", "phq2", "gad2", "cffs", "dast10", "k10",
];

/// Run one input through the target.
pub fn run(data: &[u8]) -> Outcome {
    let mut b = Bytes::new(data);
    if b.below(4) == 0 {
        let id = *b.pick(&BUILTINS);
        let instrument = Instrument::builtin(id).expect("a built-in instrument");
        return answer(instrument, &mut b, false);
    }
    let def = definition(&mut b);
    if print_definitions() {
        eprintln!("{}", serde_json::to_string_pretty(&def).unwrap_or_default());
    }
    match Instrument::from_definition(def) {
        Ok(instrument) => answer(&instrument, &mut b, true),
        Err(error) => {
            assert!(!error.problems.is_empty(), "a refusal without a problem");
            let _ = error.to_string();
            Outcome::Refused(error)
        }
    }
}

/// Whether to print each generated definition (set `SCREENSCORE_FUZZ_PRINT` when replaying a
/// crash: `SCREENSCORE_FUZZ_PRINT=1 cargo +nightly fuzz run rules ARTIFACT`).
fn print_definitions() -> bool {
    static PRINT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *PRINT.get_or_init(|| std::env::var_os("SCREENSCORE_FUZZ_PRINT").is_some())
}

/// Score rows chosen by the bytes, checking each flag against a completed copy of the row.
fn answer(instrument: &Instrument, b: &mut Bytes<'_>, sample: bool) -> Outcome {
    let def = instrument.definition();
    let checked: Vec<bool> =
        if exact_values(def) && def.skips.iter().all(|s| monotone(def, &s.when)) {
            def.rules.iter().map(|r| monotone(def, &r.when)).collect()
        } else {
            vec![false; def.rules.len()]
        };
    let mut rows = Vec::new();
    let mut flags = 0;
    for _ in 0..1 + b.below(4) {
        let row = common::row(b, def);
        let sheet = common::score(instrument, &row);
        flags += sheet.flags().len();
        if checked.iter().any(|&c| c) {
            // Answer every item left unanswered or unreadable (not those skipped or not
            // applying), then score again.
            let mut complete = row.clone();
            for (i, (item, state)) in sheet.items().enumerate() {
                if matches!(state, ItemState::Missing | ItemState::Invalid) {
                    let set = def.response_sets.iter().find(|s| s.id == item.response_set);
                    let options = set.map_or(&[][..], |s| &s.options[..]);
                    if let Some(o) = options.get(b.below(options.len())) {
                        complete.items[i] = o.value.map_or_else(|| o.label.clone(), common::number);
                    }
                }
            }
            let after = common::score(instrument, &complete);
            for (r, rule) in def.rules.iter().enumerate() {
                if checked[r] && sheet.is_flagged(&rule.id) && !after.is_flagged(&rule.id) {
                    panic!(
                        "rule `{}` was raised with items unanswered and cleared by answering them\n\
                         partial:  {:?}\ncomplete: {:?}\ndefinition: {}",
                        rule.id,
                        row,
                        complete,
                        serde_json::to_string(def).unwrap_or_default()
                    );
                }
            }
        }
        rows.push(row);
    }
    if sample && b.below(2) == 0 {
        common::sample(instrument, &rows);
    }
    Outcome::Scored {
        instrument: def.id.clone(),
        rows: rows.len(),
        flags,
    }
}

/// Every option value a whole number of moderate size (or no value at all).
fn exact_values(def: &Definition) -> bool {
    def.response_sets
        .iter()
        .flat_map(|s| &s.options)
        .filter_map(|o| o.value)
        .all(|v| v.fract() == 0.0 && v.abs() <= 1e6)
}

/// Whether a condition known to hold stays so when unanswered items are answered.
fn monotone(def: &Definition, cond: &Condition) -> bool {
    match cond {
        Condition::Item(_)
        | Condition::CountItems(_)
        | Condition::Attribute(_)
        | Condition::NotGiven(_) => true,
        Condition::Missing(_) => false,
        Condition::Scale(cmp) => complete_only(def, &cmp.id, 0),
        Condition::All(parts) | Condition::Any(parts) => parts.iter().all(|p| monotone(def, p)),
        Condition::Not(inner) => monotone(def, inner),
        Condition::Count(count) => count.of.iter().all(|p| monotone(def, p)),
    }
}

/// Whether a scale is scored only when every item that applies is answered (so its bounds
/// while items are missing contain its complete score).
fn complete_only(def: &Definition, id: &str, depth: u32) -> bool {
    let Some(scale) = def.scales.iter().find(|s| s.id == id) else {
        return false;
    };
    if let Some(derived) = &scale.derived {
        return depth < 4 && complete_only(def, &derived.from, depth + 1);
    }
    let (Some(items), Some(missing)) = (&scale.items, &scale.missing) else {
        return false;
    };
    !missing.prorate
        && match (missing.max_missing, missing.min_answered) {
            (Some(0), None) => true,
            (None, Some(n)) => n as usize == items.len(),
            _ => false,
        }
}

// ---- Generating a definition -------------------------------------------------------------

const NUMBERS: [f64; 16] = [
    0.0, 1.0, 2.0, 3.0, 4.0, 5.0, -1.0, 10.0, 0.5, 2.5, -3.0, 100.0, 0.1, 1e15, 1e300, -1e300,
];
const OPS: [Op; 6] = [Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge];
const LABELS: [&str; 6] = ["Never", "Sometimes", "Often", "Always", "No", "Yes"];
const SCALE_IDS: [&str; 3] = ["total", "a", "b"];

fn source() -> Source {
    Source {
        reference: "fuzz".into(),
        evidence: Evidence::Policy,
    }
}

fn number(b: &mut Bytes<'_>) -> f64 {
    *b.pick(&NUMBERS)
}

/// The indices `0..n` whose bit is set in a mask from the input (never empty when `n > 0`).
fn subset(b: &mut Bytes<'_>, n: usize) -> Vec<usize> {
    let mask = usize::from(b.byte()) | usize::from(b.byte()) << 8;
    let chosen: Vec<usize> = (0..n).filter(|&i| mask >> (i % 16) & 1 == 1).collect();
    if chosen.is_empty() && n > 0 {
        vec![b.below(n)]
    } else {
        chosen
    }
}

fn response_set(b: &mut Bytes<'_>, s: usize) -> ResponseSet {
    let n = if b.one_in(40) {
        250 + b.below(10)
    } else {
        1 + b.below(6)
    };
    let kind = b.below(8);
    let (base, step) = (
        *b.pick(&[0.0, 1.0, -1.0, 2.0]),
        *b.pick(&[1.0, 1.0, 2.0, -1.0, 0.5, 3.0]),
    );
    let options = (0..n)
        .map(|k| ResponseOption {
            value: match kind {
                0 => None,
                1 => Some(number(b)),
                _ => Some(base + k as f64 * step),
            },
            label: if b.one_in(50) {
                common::number(k as f64)
            } else if k < LABELS.len() {
                LABELS[k].to_string()
            } else {
                format!("{} {k}", LABELS[k % LABELS.len()])
            },
            code: b.one_in(3).then(|| format!("LA{k}-{s}")),
        })
        .collect();
    ResponseSet {
        id: format!("set{s}"),
        options,
    }
}

fn attribute(b: &mut Bytes<'_>, a: usize) -> Attribute {
    if a == 0 && !b.one_in(8) {
        return Attribute {
            id: "sex".into(),
            label: "Sex".into(),
            values: vec![
                AttributeValue {
                    value: "female".into(),
                    accepted: vec!["f".into(), "w".into()],
                },
                AttributeValue {
                    value: "male".into(),
                    accepted: vec!["m".into()],
                },
            ],
        };
    }
    // Sometimes more values than a condition can name (64).
    let n = if b.one_in(6) {
        60 + b.below(10)
    } else {
        1 + b.below(4)
    };
    Attribute {
        id: format!("group{a}"),
        label: "Group".into(),
        values: (0..n)
            .map(|k| AttributeValue {
                value: format!("g{k}"),
                accepted: if k % 3 == 0 {
                    vec![format!("group {k}")]
                } else {
                    vec![]
                },
            })
            .collect(),
    }
}

/// Where a condition is used, which decides what it may test.
#[derive(Clone, Copy, PartialEq)]
enum Scope {
    Attributes,
    Responses,
    Everything,
}

/// What conditions can refer to.
struct Names<'d> {
    items: Vec<String>,
    scales: Vec<String>,
    attributes: &'d [Attribute],
    sets: &'d [ResponseSet],
    item_sets: Vec<usize>,
}

impl Names<'_> {
    /// An item id: usually one of the definition's.
    fn item(&self, b: &mut Bytes<'_>) -> String {
        if self.items.is_empty() || b.one_in(40) {
            "zz".into()
        } else {
            b.pick(&self.items).clone()
        }
    }

    /// A number to compare an item with: often one of its option values.
    fn item_value(&self, b: &mut Bytes<'_>, item: &str) -> f64 {
        let set = self
            .items
            .iter()
            .position(|i| i == item)
            .and_then(|i| self.sets.get(self.item_sets[i]));
        match set {
            Some(set) if b.below(2) == 0 => {
                set.options[b.below(set.options.len())].value.unwrap_or(0.0)
            }
            _ => number(b),
        }
    }
}

fn condition(b: &mut Bytes<'_>, names: &Names<'_>, scope: Scope, depth: u32) -> Condition {
    let mut kind = if depth == 0 { b.below(5) } else { b.below(10) };
    // Mostly what the scope allows; sometimes not, to reach the checks.
    if !b.one_in(16) {
        kind = match (scope, kind) {
            (Scope::Attributes, 0 | 1 | 2 | 9) => 3,
            (Scope::Responses, 1) => 0,
            _ => kind,
        };
    }
    match kind {
        0 => {
            let id = names.item(b);
            let value = names.item_value(b, &id);
            Condition::Item(Comparison {
                id,
                op: *b.pick(&OPS),
                value,
            })
        }
        1 => Condition::Scale(Comparison {
            id: if b.one_in(40) || names.scales.is_empty() {
                "zz".into()
            } else {
                b.pick(&names.scales).clone()
            },
            op: *b.pick(&OPS),
            value: number(b),
        }),
        2 => Condition::Missing(names.item(b)),
        3 | 4 if names.attributes.is_empty() || b.one_in(40) => Condition::NotGiven("zz".into()),
        3 => {
            let attribute = b.pick(names.attributes);
            let n = attribute.values.len();
            let any_of = (0..b.below(4))
                .map(|_| {
                    if b.one_in(40) {
                        "zz".into()
                    } else {
                        attribute.values[b.below(n)].value.clone()
                    }
                })
                .collect();
            Condition::Attribute(AttributeTest {
                id: attribute.id.clone(),
                any_of,
            })
        }
        4 => Condition::NotGiven(b.pick(names.attributes).id.clone()),
        5 | 6 => {
            let parts = (0..b.below(4))
                .map(|_| condition(b, names, scope, depth - 1))
                .collect();
            if kind == 5 {
                Condition::All(parts)
            } else {
                Condition::Any(parts)
            }
        }
        7 => Condition::Not(Box::new(condition(b, names, scope, depth - 1))),
        8 => Condition::Count(Count {
            of: (0..b.below(4))
                .map(|_| condition(b, names, scope, depth - 1))
                .collect(),
            op: *b.pick(&OPS),
            value: *b.pick(&[0.0, 1.0, 2.0, 3.0, 0.5, -1.0]),
        }),
        _ => Condition::CountItems(CountItems {
            items: (0..b.below(5)).map(|_| names.item(b)).collect(),
            meeting: Threshold {
                op: *b.pick(&OPS),
                value: number(b),
            },
            op: *b.pick(&OPS),
            value: *b.pick(&[0.0, 1.0, 2.0, 3.0, 0.5, -1.0]),
        }),
    }
}

fn norms(b: &mut Bytes<'_>) -> Vec<NormGroup> {
    let roles = [
        None,
        Some(NormRole::Functional),
        Some(NormRole::Dysfunctional),
    ];
    (0..b.below(3))
        .map(|g| NormGroup {
            id: format!("group{g}"),
            population: "fuzz".into(),
            role: *b.pick(&roles),
            strata: (0..1 + b.below(3))
                .map(|k| Stratum {
                    sex: [None, Some("female".to_string()), Some("male".to_string())][k % 3]
                        .clone(),
                    age: b.one_in(2).then(|| screenscore::definition::AgeRange {
                        from: *b.pick(&[0.0, 18.0, 30.0, 65.0]),
                        to: *b.pick(&[17.0, 29.0, 64.0, 120.0]),
                    }),
                    n: b.one_in(2).then(|| *b.pick(&[1, 2, 100])),
                    mean: number(b),
                    sd: number(b).abs(),
                })
                .collect(),
            reliability: b.one_in(2).then(|| Reliability {
                value: *b.pick(&[0.8, 0.5, 0.99, 1.0, 0.0]),
                kind: ReliabilityKind::InternalConsistency,
            }),
            percentiles: (0..b.below(3))
                .map(|k| Percentile {
                    p: [25.0, 50.0, 75.0][k],
                    score: number(b),
                })
                .collect(),
            frequencies: (0..b.below(4))
                .map(|_| Frequency {
                    score: number(b),
                    count: *b.pick(&[0, 1, 5]),
                })
                .collect(),
            source: source(),
        })
        .collect()
}

/// A definition generated from the input: mostly valid, sometimes not.
pub fn definition(b: &mut Bytes<'_>) -> Definition {
    let response_sets: Vec<ResponseSet> = (0..1 + b.below(3)).map(|s| response_set(b, s)).collect();
    let attributes: Vec<Attribute> = (0..b.below(3)).map(|a| attribute(b, a)).collect();
    let n_items = 1 + b.below(8);
    let item_sets: Vec<usize> = (0..n_items).map(|_| b.below(response_sets.len())).collect();
    let mut names = Names {
        items: (1..=n_items).map(|i| i.to_string()).collect(),
        scales: Vec::new(),
        attributes: &attributes,
        sets: &response_sets,
        item_sets: item_sets.clone(),
    };
    let items: Vec<Item> = (0..n_items)
        .map(|i| Item {
            id: names.items[i].clone(),
            label: format!("item {}", i + 1),
            response_set: if b.one_in(60) {
                "zz".into()
            } else {
                response_sets[item_sets[i]].id.clone()
            },
            scored: !b.one_in(10),
            applies_if: (!attributes.is_empty() && b.one_in(3))
                .then(|| condition(b, &names, Scope::Attributes, 2)),
            source: None,
        })
        .collect();
    let scored: Vec<usize> = (0..n_items).filter(|&i| items[i].scored).collect();

    let mut scales = Vec::new();
    let n_scales = 1 + b.below(SCALE_IDS.len());
    for &id in &SCALE_IDS[..n_scales] {
        let members: Vec<String> = if scored.is_empty() || b.one_in(40) {
            vec![names.items[0].clone()]
        } else {
            subset(b, scored.len())
                .into_iter()
                .map(|k| names.items[scored[k]].clone())
                .collect()
        };
        // Half the time, only items sharing the first one's response set (prorating needs
        // items with one range of values).
        let set_of = |id: &String| item_sets[names.items.iter().position(|i| i == id).unwrap_or(0)];
        let members: Vec<String> = if b.below(2) == 0 {
            let first = set_of(&members[0]);
            members
                .iter()
                .filter(|m| set_of(m) == first)
                .cloned()
                .collect()
        } else {
            members
        };
        let reverse: Vec<String> = if b.one_in(3) {
            subset(b, members.len())
                .into_iter()
                .map(|k| members[k].clone())
                .collect()
        } else {
            Vec::new()
        };
        let method = if b.one_in(4) {
            Method::Mean
        } else {
            Method::Sum
        };
        let n = members.len() as u32;
        let (max_missing, min_answered, prorate) = match b.below(6) {
            0 | 1 => (Some(0), None, false),
            2 => (
                Some(1.min(n.saturating_sub(1))),
                None,
                method == Method::Sum,
            ),
            3 => (None, Some(1), false),
            4 => (None, Some(n), false),
            _ => (Some(b.below(4) as u32), None, b.one_in(2)),
        };
        let bands: Vec<Band> = (0..b.below(4))
            .map(|k| Band {
                from: if b.one_in(8) {
                    number(b)
                } else {
                    [0.0, 3.0, 5.0, 10.0][k]
                },
                label: format!("band {k}"),
            })
            .collect();
        scales.push(Scale {
            id: id.into(),
            label: "scale".into(),
            items: Some(members),
            key_source: (!reverse.is_empty() && !b.one_in(20)).then(source),
            reverse,
            method: Some(method),
            missing: Some(MissingRule {
                max_missing,
                min_answered,
                prorate,
                source: source(),
            }),
            rounding: b.one_in(3).then(|| Rounding {
                method: if b.one_in(2) {
                    RoundingMethod::HalfUp
                } else {
                    RoundingMethod::HalfEven
                },
                decimals: if b.one_in(20) { 7 } else { b.below(4) as u8 },
            }),
            derived: None,
            band_source: (!bands.is_empty()).then(source),
            bands,
            higher_is: if b.one_in(3) {
                Direction::Better
            } else {
                Direction::Worse
            },
            construct: None,
            norms: if b.one_in(4) { norms(b) } else { Vec::new() },
        });
    }
    if b.one_in(3) {
        scales.push(Scale {
            id: "pct".into(),
            label: "derived".into(),
            items: None,
            reverse: Vec::new(),
            key_source: None,
            method: None,
            missing: None,
            rounding: None,
            derived: Some(Derived {
                from: if b.one_in(30) {
                    "pct".into()
                } else {
                    "total".into()
                },
                multiply: number(b),
                add: number(b),
                source: source(),
            }),
            bands: Vec::new(),
            band_source: None,
            higher_is: Direction::Worse,
            construct: None,
            norms: if b.one_in(4) { norms(b) } else { Vec::new() },
        });
    }
    names.scales = scales.iter().map(|s| s.id.clone()).collect();

    let skips = (0..b.below(3))
        .map(|_| {
            let skipped: Vec<usize> = subset(b, n_items);
            let set = &response_sets[item_sets[skipped[0]]];
            Skip {
                when: condition(b, &names, Scope::Responses, 2),
                items: skipped.iter().map(|&i| names.items[i].clone()).collect(),
                value: if b.one_in(10) {
                    number(b)
                } else {
                    set.options[0].value.unwrap_or(0.0)
                },
                source: source(),
            }
        })
        .collect();
    let severities = [Severity::Info, Severity::Warning, Severity::Critical];
    let rules = (0..1 + b.below(5))
        .map(|r| Rule {
            id: format!("r{r}"),
            label: "rule".into(),
            severity: *b.pick(&severities),
            when: condition(b, &names, Scope::Everything, 4),
            source: source(),
        })
        .collect();
    Definition {
        schema: None,
        id: "fz".into(),
        name: "Fuzz".into(),
        measures: "nothing".into(),
        version: "1".into(),
        status: InstrumentStatus::Unvalidated,
        citation: "fuzz".into(),
        license: License {
            name: "test".into(),
            terms: "test".into(),
            commercial_use: CommercialUse::Allowed,
            source: source(),
        },
        notes: Vec::new(),
        missing_codes: match b.below(8) {
            0 | 1 => vec!["-99".into()],
            2 if b.one_in(4) => vec!["1".into()],
            _ => Vec::new(),
        },
        attributes,
        response_sets,
        items,
        scales,
        skips,
        rules,
    }
}
