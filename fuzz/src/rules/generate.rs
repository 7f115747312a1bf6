//! The definitions the `rules` target generates from its input: response sets, attributes,
//! items with `applies_if`, item and derived scales, norms, skips and rules whose conditions
//! nest every kind of condition (mostly with known ids, sometimes not): mostly valid, sometimes
//! not.

use screenscore::definition::{
    Attribute, AttributeTest, AttributeValue, Band, CommercialUse, Comparison, Condition, Count,
    CountItems, Definition, Derived, Direction, Evidence, Frequency, Item, Keying, License, Method,
    MissingRule, NormGroup, NormRole, Op, Percentile, Reliability, ReliabilityKind, ResponseOption,
    ResponseSet, Rounding, RoundingMethod, Rule, Scale, Skip, Source, Stratum, Threshold,
};
use screenscore::{InstrumentStatus, Severity};

use crate::bytes::Bytes;
use crate::common;

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
            aliases: Vec::new(),
        })
        .collect();
    ResponseSet {
        id: format!("set{s}"),
        options,
        other_coding: None,
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
            codes: Vec::new(),
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
            // Scales keying shared items differently say so (most of the time: a scale of 1, 5,
            // … items does not, and the definition may then be refused for its keying).
            keying: (!reverse.is_empty() && members.len() % 4 != 1).then_some(Keying::AsListed),
            items: Some(members),
            scales: None,
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
            thresholds: None,
            codes: Vec::new(),
        });
    }
    if b.one_in(3) {
        scales.push(Scale {
            id: "pct".into(),
            label: "derived".into(),
            items: None,
            scales: None,
            keying: None,
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
            thresholds: None,
            codes: Vec::new(),
        });
    }
    if b.one_in(3) {
        // A composite of some of the scales so far (now and then of itself, which is refused).
        let mut parts: Vec<String> = subset(b, scales.len())
            .into_iter()
            .map(|k| scales[k].id.clone())
            .collect();
        if b.one_in(30) {
            parts.push("combined".into());
        }
        let n = parts.len();
        let (max_missing, min_answered) = if b.one_in(2) {
            (Some(b.below(n + 1) as u32), None)
        } else {
            (None, Some(b.below(n + 1) as u32))
        };
        scales.push(Scale {
            id: "combined".into(),
            label: "composite".into(),
            items: None,
            scales: Some(parts),
            keying: None,
            reverse: Vec::new(),
            key_source: None,
            method: Some(if b.one_in(3) {
                Method::Mean
            } else {
                Method::Sum
            }),
            missing: Some(MissingRule {
                max_missing,
                min_answered,
                prorate: b.one_in(3),
                source: source(),
            }),
            rounding: b.one_in(3).then(|| Rounding {
                method: RoundingMethod::HalfUp,
                decimals: b.below(3) as u8,
            }),
            derived: None,
            bands: Vec::new(),
            band_source: None,
            higher_is: Direction::Worse,
            construct: None,
            norms: if b.one_in(4) { norms(b) } else { Vec::new() },
            thresholds: None,
            codes: Vec::new(),
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
        codes: Vec::new(),
        questionnaires: Vec::new(),
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
