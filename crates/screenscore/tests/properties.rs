//! Property tests (proptest) over every built-in instrument, and over two definitions written for
//! these tests (`mixed`, below, and `testdata/demo.json`) that reach what the built-ins do not:
//! response sets with different ranges in one scale, negative and fractional option values,
//! rounding that lands off the options' grid, missing codes, skips and `applies_if`.
//!
//! Answers are generated from each item's declared options (as value, padded value, `2.0`, `02`,
//! label in any case, or code), with missing cells (empty, blanks, missing codes) and invalid
//! cells. Every expected value is computed here from the definition (option values, reverse
//! keys, methods, missing rules, rounding, derived transforms) or by arithmetic on the generated
//! answers, never taken from the library's own range, key or output.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::subsequence;
use proptest::test_runner::TestCaseError;
use screenscore::batch::Batch;
use screenscore::definition::{
    Condition, Definition, Evidence, Method, MissingRule, ResponseSet, Rounding, RoundingMethod,
    Source,
};
use screenscore::output::CsvWriter;
use screenscore::{Instrument, Responses, ScoreSheet, Status, Unscored};

// ---- Instruments ----

/// Every built-in instrument. The registry leaves out a definition that fails to load, so the
/// list is checked against the files in `instruments/`: no instrument goes untested.
fn builtins() -> &'static [&'static Instrument] {
    static BUILTINS: OnceLock<Vec<&'static Instrument>> = OnceLock::new();
    BUILTINS.get_or_init(|| {
        let builtins: Vec<&'static Instrument> = Instrument::builtins().collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/instruments");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
            .filter(|stem| stem != "schema")
            .collect();
        files.sort();
        let mut ids: Vec<String> = builtins.iter().map(|i| i.id().to_string()).collect();
        ids.sort();
        assert_eq!(
            ids, files,
            "built-in instruments and instruments/*.json differ"
        );
        builtins
    })
}

/// A definition for these tests: items on five response sets with different ranges (one
/// descending, one negative, one of halves), reverse keys across them, a mean, a prorated sum of
/// negative values, rounding that lands off the options' grid, and a rounded derived scale.
const MIXED: &str = r#"{
  "id": "mixed",
  "name": "Mixed response sets (property tests)",
  "measures": "Nothing; it exercises scoring",
  "version": "1",
  "status": "unvalidated",
  "citation": "screenscore property tests",
  "license": {"name": "test", "terms": "test", "commercial_use": "allowed",
              "source": {"ref": "test", "evidence": "policy"}},
  "response_sets": [
    {"id": "one_five", "options": [
      {"value": 1, "label": "Never"}, {"value": 2, "label": "Rarely"},
      {"value": 3, "label": "Sometimes"}, {"value": 4, "label": "Often"},
      {"value": 5, "label": "Always", "code": "X-5"}]},
    {"id": "even", "options": [
      {"value": 0, "label": "No"}, {"value": 2, "label": "Once"}, {"value": 4, "label": "Yes"}]},
    {"id": "descending", "options": [
      {"value": 3, "label": "Strongly agree"}, {"value": 2, "label": "Agree"},
      {"value": 1, "label": "Disagree"}, {"value": 0, "label": "Strongly disagree"}]},
    {"id": "tens", "options": [
      {"value": 10, "label": "Ten"}, {"value": 20, "label": "Twenty"},
      {"value": 30, "label": "Thirty"}, {"value": 40, "label": "Forty"}]},
    {"id": "signed", "options": [
      {"value": -2, "label": "Much worse"}, {"value": -1, "label": "Worse"},
      {"value": 0, "label": "Same"}, {"value": 1, "label": "Better"},
      {"value": 2, "label": "Much better"}]},
    {"id": "halves", "options": [
      {"value": 0.5, "label": "Low"}, {"value": 1.5, "label": "Middle"},
      {"value": 2.5, "label": "High"}]}
  ],
  "items": [
    {"id": "1", "label": "one", "response_set": "one_five"},
    {"id": "2", "label": "two", "response_set": "even"},
    {"id": "3", "label": "three", "response_set": "descending"},
    {"id": "4", "label": "four", "response_set": "tens"},
    {"id": "5", "label": "five", "response_set": "signed"},
    {"id": "6", "label": "six", "response_set": "halves"},
    {"id": "7", "label": "seven", "response_set": "one_five"},
    {"id": "8", "label": "eight", "response_set": "signed"},
    {"id": "9", "label": "nine", "response_set": "signed"}
  ],
  "scales": [
    {"id": "total", "label": "all items",
     "items": ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
     "reverse": ["1", "3", "5"], "key_source": {"ref": "test", "evidence": "policy"},
     "method": "sum",
     "missing": {"max_missing": 0, "source": {"ref": "test", "evidence": "policy"}},
     "bands": [{"from": 10, "label": "low"}, {"from": 40, "label": "high"}],
     "band_source": {"ref": "test", "evidence": "policy"},
     "higher_is": "worse"},
    {"id": "average", "label": "mean of all items",
     "items": ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
     "reverse": ["2", "6", "4"], "key_source": {"ref": "test", "evidence": "policy"},
     "method": "mean",
     "missing": {"min_answered": 5, "source": {"ref": "test", "evidence": "policy"}},
     "rounding": {"method": "half_even", "decimals": 1},
     "higher_is": "worse"},
    {"id": "signed", "label": "signed items, prorated", "items": ["5", "8", "9"],
     "reverse": ["8"], "key_source": {"ref": "test", "evidence": "policy"},
     "method": "sum",
     "missing": {"max_missing": 1, "prorate": true,
                 "source": {"ref": "test", "evidence": "policy"}},
     "rounding": {"method": "half_up"},
     "higher_is": "better"},
    {"id": "halves", "label": "item 6 rounded", "items": ["6"],
     "method": "sum",
     "missing": {"max_missing": 0, "source": {"ref": "test", "evidence": "policy"}},
     "rounding": {"method": "half_up"},
     "higher_is": "worse"},
    {"id": "scaled", "label": "total x 2.5 - 1, rounded",
     "derived": {"from": "total", "multiply": 2.5, "add": -1,
                 "source": {"ref": "test", "evidence": "policy"}},
     "rounding": {"method": "half_up"},
     "higher_is": "worse"},
    {"id": "flipped", "label": "signed x -1",
     "derived": {"from": "signed", "multiply": -1,
                 "source": {"ref": "test", "evidence": "policy"}},
     "higher_is": "worse"}
  ],
  "rules": [
    {"id": "item5_low", "label": "item 5 much worse", "severity": "info",
     "when": {"item": {"id": "5", "op": "<=", "value": -2}},
     "source": {"ref": "test", "evidence": "policy"}},
    {"id": "total_high", "label": "total 40 or more", "severity": "warning",
     "when": {"scale": {"id": "total", "op": ">=", "value": 40}},
     "source": {"ref": "test", "evidence": "policy"}}
  ]
}"#;

/// The built-ins, then `mixed` and `testdata/demo.json` (a missing code, a skip, an item that
/// applies to women only, an unscored item whose options have no values).
fn instruments() -> &'static [&'static Instrument] {
    static EXTRA: OnceLock<Vec<Instrument>> = OnceLock::new();
    static ALL: OnceLock<Vec<&'static Instrument>> = OnceLock::new();
    ALL.get_or_init(|| {
        let extra = EXTRA.get_or_init(|| {
            let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/demo.json");
            vec![
                Instrument::from_json(MIXED).unwrap(),
                Instrument::from_path(demo).unwrap(),
            ]
        });
        builtins().iter().copied().chain(extra).collect()
    })
}

fn policy() -> Source {
    Source {
        reference: "property test".into(),
        evidence: Evidence::Policy,
    }
}

// ---- What the definition says, computed here ----

fn response_set<'d>(def: &'d Definition, item: &str) -> &'d ResponseSet {
    let item = def.items.iter().find(|i| i.id == item).unwrap();
    def.response_sets
        .iter()
        .find(|s| s.id == item.response_set)
        .unwrap()
}

/// Lowest and highest value among an item's declared options.
fn option_range(def: &Definition, item: &str) -> (f64, f64) {
    let values = response_set(def, item)
        .options
        .iter()
        .map(|o| o.value.unwrap());
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// `x` rounded as declared: half up is half away from zero (`f64::round`).
fn rounded(x: f64, rounding: Option<&Rounding>) -> f64 {
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
fn half_unit(rounding: Option<&Rounding>) -> f64 {
    rounding.map_or(0.0, |r| 0.5 / 10f64.powi(i32::from(r.decimals)))
}

/// The lowest and highest possible score of every scale, from the definition alone: a sum runs
/// from the sum of its items' lowest option values to the sum of their highest, a mean from the
/// lowest to the highest option value of any of its items (reverse keying maps an item's range
/// onto itself), a derived scale is its source's range transformed; rounding, being monotone,
/// maps the lowest and highest unrounded scores to the lowest and highest rounded ones. (A sum
/// that may miss items stays within this range only when it prorates items of one range: see the
/// two ignored tests.)
fn declared_ranges(def: &Definition) -> Vec<(f64, f64)> {
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
            match scale.method.unwrap() {
                Method::Sum if may_miss > 0 => {
                    let ranges: Vec<(f64, f64)> = item_ranges.collect();
                    let mut lows: Vec<f64> = ranges.iter().map(|r| r.0).collect();
                    let mut highs: Vec<f64> = ranges.iter().map(|r| r.1).collect();
                    lows.sort_by(|a, b| b.total_cmp(a));
                    highs.sort_by(f64::total_cmp);
                    let dropped_lows: f64 = lows.iter().take(may_miss).filter(|&&x| x > 0.0).sum();
                    let dropped_highs: f64 =
                        highs.iter().take(may_miss).filter(|&&x| x < 0.0).sum();
                    (
                        ranges.iter().map(|r| r.0).sum::<f64>() - dropped_lows,
                        ranges.iter().map(|r| r.1).sum::<f64>() - dropped_highs,
                    )
                }
                Method::Sum => item_ranges.fold((0.0, 0.0), |(a, b), (lo, hi)| (a + lo, b + hi)),
                Method::Mean => item_ranges
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (lo, hi)| {
                        (a.min(lo), b.max(hi))
                    }),
            }
        };
        let rounding = scale.rounding.as_ref();
        ranges.push((rounded(lo, rounding), rounded(hi, rounding)));
    }
    ranges
}

/// The value an option scores in a scale: `(min + max) − x` over the item's declared options
/// when the item is reverse-keyed in that scale.
fn keyed(def: &Definition, scale: usize, item: &str, value: f64) -> f64 {
    if def.scales[scale].reverse.iter().any(|r| r == item) {
        let (lo, hi) = option_range(def, item);
        lo + hi - value
    } else {
        value
    }
}

/// The option whose value is the mirror `(min + max) − x` of option `option`, if the set has one.
fn mirror(def: &Definition, item: &str, option: usize) -> Option<usize> {
    let set = response_set(def, item);
    let (lo, hi) = option_range(def, item);
    let value = set.options[option].value?;
    set.options
        .iter()
        .position(|o| o.value == Some(lo + hi - value))
}

/// Whether every option of the item has a mirror (so answers can be mirrored).
fn mirrorable(def: &Definition, item: &str) -> bool {
    let set = response_set(def, item);
    set.options.iter().all(|o| o.value.is_some())
        && (0..set.options.len()).all(|o| mirror(def, item, o).is_some())
}

/// Items a skip tests or sets: their answers change what other items score.
fn skip_items(def: &Definition) -> BTreeSet<String> {
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

// ---- Generated answers ----

/// Cells that are missing: empty, blanks, and the instrument's missing codes.
const BLANKS: [&str; 4] = ["", " ", "\t", "\u{a0}"];
/// Cells that answer no item of any instrument here.
const INVALID: [&str; 6] = ["+1", "1e0", "x", "??", "\u{663}", "0x1"];

/// One generated cell, before it is matched to an item.
#[derive(Debug, Clone, Copy)]
struct Pick {
    roll: u8,
    option: u8,
    spelling: u8,
}

/// How often a row's cells are missing or invalid, in percent, and which options its answers
/// take.
#[derive(Debug, Clone, Copy)]
struct Profile {
    missing: u8,
    invalid: u8,
    edge: Edge,
}

/// Which options the answers of a row take: any, or each item's lowest- or highest-valued
/// option (the ends of a scale's range are where out-of-range scores would show).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edge {
    Any,
    Lowest,
    Highest,
}

/// A cell: an answer (the option and how it is written), missing, or invalid.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell {
    Answer { option: usize, spelling: u8 },
    Missing(u8),
    Invalid(u8),
}

/// One administration of one instrument: a cell per item, and a value per attribute.
#[derive(Debug, Clone)]
struct Row {
    cells: Vec<Cell>,
    attributes: Vec<(String, String)>,
}

fn pick() -> impl Strategy<Value = Pick> {
    (0..100u8, any::<u8>(), any::<u8>()).prop_map(|(roll, option, spelling)| Pick {
        roll,
        option,
        spelling,
    })
}

fn edge() -> impl Strategy<Value = Edge> {
    prop_oneof![4 => Just(Edge::Any), 1 => Just(Edge::Lowest), 1 => Just(Edge::Highest)]
}

/// Mostly complete rows, some with a few missing cells, some mostly missing; invalid cells rarely.
fn profile() -> impl Strategy<Value = Profile> {
    (
        prop_oneof![3 => Just(0u8), 2 => 1..=20u8, 1 => 21..=100u8],
        prop_oneof![6 => Just(0u8), 1 => 1..=10u8],
        edge(),
    )
        .prop_map(|(missing, invalid, edge)| Profile {
            missing,
            invalid,
            edge,
        })
}

fn complete() -> impl Strategy<Value = Profile> {
    edge().prop_map(|edge| Profile {
        missing: 0,
        invalid: 0,
        edge,
    })
}

/// The cell `pick` gives for an item answered on `set`.
fn cell(pick: Pick, profile: Profile, set: &ResponseSet) -> Cell {
    let answered = 100u8.saturating_sub(profile.missing.saturating_add(profile.invalid));
    let missing = 100u8.saturating_sub(profile.invalid);
    let options = set.options.len();
    let values = || {
        set.options
            .iter()
            .enumerate()
            .filter_map(|(o, x)| Some((o, x.value?)))
    };
    let option = match profile.edge {
        Edge::Lowest => values().min_by(|a, b| a.1.total_cmp(&b.1)).map(|(o, _)| o),
        Edge::Highest => values().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(o, _)| o),
        Edge::Any => None,
    };
    if pick.roll < answered && options > 0 {
        Cell::Answer {
            option: option.unwrap_or(usize::from(pick.option) % options),
            spelling: pick.spelling,
        }
    } else if pick.roll < missing || pick.roll < answered {
        Cell::Missing(pick.spelling)
    } else {
        Cell::Invalid(pick.spelling)
    }
}

/// Every way the attributes of these instruments are written, for the attribute `id`.
fn attribute_spellings(instruments: &[&Instrument], id: &str) -> Vec<String> {
    let mut spellings: Vec<String> = Vec::new();
    for attribute in instruments
        .iter()
        .flat_map(|i| &i.definition().attributes)
        .filter(|a| a.id == id)
    {
        for value in &attribute.values {
            for s in std::iter::once(&value.value).chain(&value.accepted) {
                if !spellings.contains(s) {
                    spellings.push(s.clone());
                }
            }
        }
    }
    spellings
}

/// An attribute cell: mostly one of its spellings (in any case), sometimes empty or unknown.
fn attribute_cell(spellings: &[String], roll: u8, which: u8) -> String {
    match roll % 10 {
        0 => String::new(),
        1 => "unknown".to_string(),
        2 => format!(
            " {} ",
            spellings[usize::from(which) % spellings.len()].to_uppercase()
        ),
        _ => spellings[usize::from(which) % spellings.len()].clone(),
    }
}

/// The attribute ids of these instruments, sorted.
fn attribute_ids(instruments: &[&Instrument]) -> Vec<String> {
    let ids: BTreeSet<String> = instruments
        .iter()
        .flat_map(|i| &i.definition().attributes)
        .map(|a| a.id.clone())
        .collect();
    ids.into_iter().collect()
}

/// A row for one instrument, its cells drawn with `profile`.
fn row(
    instrument: &'static Instrument,
    profile: impl Strategy<Value = Profile>,
) -> impl Strategy<Value = Row> {
    let def = instrument.definition();
    let ids = attribute_ids(&[instrument]);
    (
        profile,
        proptest::collection::vec(pick(), def.items.len()),
        proptest::collection::vec(any::<(u8, u8)>(), ids.len()),
    )
        .prop_map(move |(profile, picks, attributes)| {
            let def = instrument.definition();
            let cells = def
                .items
                .iter()
                .zip(picks)
                .map(|(item, p)| cell(p, profile, response_set(def, &item.id)))
                .collect();
            let attributes = ids
                .iter()
                .zip(attributes)
                .map(|(id, (roll, which))| {
                    let spellings = attribute_spellings(&[instrument], id);
                    (id.clone(), attribute_cell(&spellings, roll, which))
                })
                .collect();
            Row { cells, attributes }
        })
}

/// An instrument (by index in `list`) and a row for it.
fn any_row(
    list: &'static [&'static Instrument],
    profile: fn() -> BoxedStrategy<Profile>,
) -> impl Strategy<Value = (usize, Row)> {
    (0..list.len()).prop_flat_map(move |k| (Just(k), row(list[k], profile())))
}

fn mixed_profile() -> BoxedStrategy<Profile> {
    profile().boxed()
}

fn complete_profile() -> BoxedStrategy<Profile> {
    complete().boxed()
}

/// A value as the definitions write it: `2`, `0.5`, `-1`.
fn value_text(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// How an option is written in a cell: its value (plain, padded, `2.0`, `02`), its label (as
/// written, upper or lower case, padded) or its code.
fn spell(set: &ResponseSet, option: usize, spelling: u8) -> String {
    let o = &set.options[option];
    let value = o.value.map(value_text);
    match (spelling % 7, value) {
        (0, Some(v)) => v,
        (1, Some(v)) => format!(" {v}\t"),
        (2, Some(v)) if !v.starts_with('-') && !v.contains('.') => format!("{v}.0"),
        (3, Some(v)) if !v.starts_with('-') => format!("0{v}"),
        (4, _) => o.label.to_ascii_uppercase(),
        (5, _) => format!("  {}  ", o.label.to_ascii_lowercase()),
        (6, _) if o.code.is_some() => o.code.clone().unwrap(),
        _ => o.label.clone(),
    }
}

/// The text of a cell of item `item` (by index) of `def`.
fn text(def: &Definition, item: usize, cell: Cell) -> String {
    match cell {
        Cell::Answer { option, spelling } => {
            spell(response_set(def, &def.items[item].id), option, spelling)
        }
        Cell::Missing(k) => {
            let tokens: Vec<&str> = BLANKS
                .iter()
                .copied()
                .chain(def.missing_codes.iter().map(String::as_str))
                .collect();
            tokens[usize::from(k) % tokens.len()].to_string()
        }
        Cell::Invalid(k) => INVALID[usize::from(k) % INVALID.len()].to_string(),
    }
}

fn responses(instrument: &Instrument, row: &Row) -> Responses {
    let def = instrument.definition();
    let mut responses = Responses::new();
    for (i, (item, &cell)) in def.items.iter().zip(&row.cells).enumerate() {
        responses.set_item(&item.id, text(def, i, cell));
    }
    for (id, value) in &row.attributes {
        if def.attributes.iter().any(|a| a.id == *id) {
            responses = responses.attribute(id, value);
        }
    }
    responses
}

fn score<'i>(instrument: &'i Instrument, row: &Row) -> ScoreSheet<'i> {
    instrument.score(&responses(instrument, row)).unwrap()
}

/// The answer value of a cell, before keying.
fn answer_value(def: &Definition, item: usize, cell: Cell) -> Option<f64> {
    match cell {
        Cell::Answer { option, .. } => response_set(def, &def.items[item].id).options[option].value,
        _ => None,
    }
}

// ---- Everything a sheet says, comparable ----

#[derive(Debug, PartialEq)]
struct ScaleView {
    id: String,
    score: Option<f64>,
    band: Option<String>,
    bounds: (f64, f64),
    answered: u32,
    applicable: u32,
    prorated: bool,
    unscored: Option<Unscored>,
}

#[derive(Debug, PartialEq)]
struct SheetView {
    status: Status,
    /// Debug text: an answer to an unscored item whose options have no value reads as `NaN`,
    /// which would never compare equal to itself.
    items: Vec<String>,
    scales: Vec<ScaleView>,
    flags: Vec<String>,
    errors: Vec<String>,
    notes: Vec<String>,
}

fn scales(sheet: &ScoreSheet<'_>) -> Vec<ScaleView> {
    sheet
        .scales()
        .map(|s| ScaleView {
            id: s.id().to_string(),
            score: s.score(),
            band: s.band().map(str::to_string),
            bounds: s.bounds(),
            answered: s.answered(),
            applicable: s.applicable(),
            prorated: s.prorated(),
            unscored: s.unscored(),
        })
        .collect()
}

fn view(sheet: &ScoreSheet<'_>) -> SheetView {
    SheetView {
        status: sheet.status(),
        items: sheet
            .items()
            .map(|(_, state)| format!("{state:?}"))
            .collect(),
        scales: scales(sheet),
        flags: sheet.flags().map(|r| r.id.clone()).collect(),
        errors: sheet.errors().map(|e| format!("{}: {e}", e.id())).collect(),
        notes: sheet.notes().map(|n| n.to_string()).collect(),
    }
}

// ---- Single administrations ----

fn check_within(
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

/// The range the library reports for every scale of every instrument is the one the definition
/// gives (computed here): what the property tests below rely on, checked for every scale at once.
#[test]
fn the_reported_range_is_the_declared_range() {
    for instrument in instruments() {
        let ranges = declared_ranges(instrument.definition());
        for (scale, range) in instrument.definition().scales.iter().zip(ranges) {
            let id = format!("{}.{}", instrument.id(), scale.id);
            assert_eq!(instrument.scale_range(&scale.id), Some(range), "{id}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A score lies within its scale's range: the lowest and highest score the definition allows
    /// (computed here from the option values, method, derived transform and rounding), which is
    /// also the range the library reports. Prorated and rounded scores included; for a scale left
    /// unscored, the range its complete score could still take lies within it too.
    #[test]
    fn a_score_lies_within_its_scales_range((k, row) in any_row(instruments(), mixed_profile)) {
        score_within_range(k, &row)?;
    }

    /// Proration stays within range: with every sum scale whose items share one range prorating
    /// (allowing a generated number of missing items, with generated rounding), a prorated score
    /// lies within the scale's range; and it lies within what the missing items could have added
    /// to the answered ones (answered keyed values plus the missing items' lowest, and highest,
    /// option values, rounded).
    #[test]
    fn proration_stays_within_range(
        (k, row) in any_row(instruments(), mixed_profile),
        allowed in proptest::collection::vec(any::<u8>(), 8),
        roundings in proptest::collection::vec(rounding(), 8),
    ) {
        proration_within_range(k, &row, &allowed, &roundings)?;
    }

    /// A sum that allows missing items without prorating them stays within its range (every
    /// instrument, every sum allowing missing items, none prorating): a missing item adds
    /// nothing, so a sum of items scored from 1 reaches below the sum of their lowest values
    /// (K10 with one item missing and the others answered 1 scores 9), and its range says so.
    #[test]
    fn a_sum_left_unprorated_with_missing_items_stays_within_range(
        (k, row) in any_row(instruments(), mixed_profile),
        allowed in proptest::collection::vec(any::<u8>(), 8),
    ) {
        let def = with_missing(instruments()[k].definition(), &allowed, &[None], Sums::Plain);
        let instrument = Instrument::from_definition(def.clone()).unwrap();
        let sheet = score(&instrument, &row);
        let ranges = declared_ranges(&def);
        for (scale, &range) in sheet.scales().zip(&ranges) {
            if let Some(score) = scale.score() {
                check_within("score", &format!("{}.{}", def.id, scale.id()), score, range)?;
            }
        }
    }

    /// Reverse keying is an involution: toggling the reverse key of any items (keying an item that
    /// was not, unkeying one that was) and answering those items with the mirror `min + max − x`
    /// of the original answer (over their declared options) leaves every scale's score, band,
    /// bounds and missing-data account unchanged. Keying with any other min or max fails this.
    #[test]
    fn reverse_keying_is_an_involution(
        (k, row) in any_row(instruments(), mixed_profile),
        toggles in proptest::collection::vec(any::<bool>(), 32),
    ) {
        toggled_keys_and_mirrored_answers_score_alike(k, &row, &toggles)?;
    }

    /// A reverse-keyed item scores the mirror of its answer: for a complete administration,
    /// mirroring the answers to a scale's reverse-keyed items changes its score by exactly
    /// Σ (min + max − 2x) over those items (min and max of each item's declared options), divided
    /// by the number of items for a mean, times `multiply` for a scale derived from it, to within
    /// the declared rounding.
    #[test]
    fn a_reversed_item_scores_the_mirror_of_its_answer(
        (k, row) in any_row(instruments(), complete_profile),
    ) {
        mirrored_answers_change_the_score_by_their_keyed_difference(k, &row)?;
    }

    /// The same responses scored twice give the same sheet (status, items, scores, bands, bounds,
    /// flags, errors and notes), also when another administration is scored in between.
    #[test]
    fn the_same_responses_scored_twice_give_the_same_sheet(
        (k, row) in any_row(instruments(), mixed_profile),
        other in proptest::collection::vec(pick(), 32),
    ) {
        scored_twice_alike(k, &row, &other)?;
    }
}

fn score_within_range(k: usize, row: &Row) -> Result<(), TestCaseError> {
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

fn proration_within_range(
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

/// Prorating counts a missing item as scoring like the answered ones, which is defined only
/// when a scale's items share one range: a definition prorating a sum over items with different
/// ranges is refused, naming each such scale's rule.
#[test]
fn prorating_items_with_different_ranges_is_refused() {
    let mixed = instruments()[builtins().len()];
    assert_eq!(mixed.id(), "mixed");
    let def = with_missing(mixed.definition(), &[1], &[None], Sums::ProrateAll);
    let differing: Vec<String> = def
        .scales
        .iter()
        .enumerate()
        .filter(|(_, scale)| scale.method == Some(Method::Sum))
        .filter(|(_, scale)| {
            let ranges: Vec<(f64, f64)> = scale
                .items
                .iter()
                .flatten()
                .map(|id| option_range(&def, id))
                .collect();
            ranges.iter().any(|r| *r != ranges[0])
        })
        .map(|(s, _)| format!("scales[{s}].missing.prorate"))
        .collect();
    assert!(
        !differing.is_empty(),
        "mixed has a sum over items with different ranges"
    );
    let error = Instrument::from_definition(def).unwrap_err().to_string();
    for path in &differing {
        assert!(
            error.contains(&format!(
                "{path}: prorating needs items that share one range"
            )),
            "{error}"
        );
    }
    assert_eq!(
        error.matches(".missing.prorate:").count(),
        differing.len(),
        "{error}"
    );
}

fn toggled_keys_and_mirrored_answers_score_alike(
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

fn mirrored_answers_change_the_score_by_their_keyed_difference(
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

fn scored_twice_alike(k: usize, row: &Row, other: &[Pick]) -> Result<(), TestCaseError> {
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

fn rounding() -> impl Strategy<Value = Option<Rounding>> {
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
enum Sums {
    /// Sums whose items share one range prorate; the others allow no missing item.
    ProrateSharedRanges,
    /// Every sum prorates (see `prorating_items_with_different_ranges_is_refused`).
    ProrateAll,
    /// No sum prorates (see `a_sum_left_unprorated_with_missing_items_stays_within_range`).
    Plain,
}

/// `def` with every item scale rounded with `roundings[s]` and allowing `allowed[s] % n` of its
/// `n` items missing (a sum only as `sums` says).
fn with_missing(
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

// ---- Batches ----

/// One input row of a batch: a pass-through note, one cell per attribute column, one cell per
/// item of each instrument, and its shape (0: as wide as the header; otherwise cells dropped or
/// added at the end).
#[derive(Debug, Clone)]
struct BatchRow {
    note: String,
    attributes: Vec<(u8, u8)>,
    picks: Vec<Pick>,
    profile: Profile,
    shape: i8,
}

#[derive(Debug, Clone)]
struct BatchCase {
    instruments: Vec<usize>,
    rows: Vec<BatchRow>,
}

impl BatchCase {
    fn instruments(&self) -> Vec<&'static Instrument> {
        self.instruments.iter().map(|&k| instruments()[k]).collect()
    }

    fn header(&self) -> Vec<String> {
        let mut header = vec!["id".to_string(), "note".to_string()];
        header.extend(attribute_ids(&self.instruments()));
        for instrument in self.instruments() {
            let def = instrument.definition();
            header.extend(def.items.iter().map(|i| format!("{}_{}", def.id, i.id)));
        }
        header
    }

    /// Each instrument's rows: a cell per item and the attribute values.
    fn rows_of(&self, row: &BatchRow) -> Vec<Row> {
        let list = self.instruments();
        let ids = attribute_ids(&list);
        let attributes: Vec<(String, String)> = ids
            .iter()
            .zip(&row.attributes)
            .map(|(id, &(roll, which))| {
                let spellings = attribute_spellings(&list, id);
                (id.clone(), attribute_cell(&spellings, roll, which))
            })
            .collect();
        let mut picks = row.picks.iter();
        list.iter()
            .map(|instrument| {
                let def = instrument.definition();
                let cells = def
                    .items
                    .iter()
                    .map(|item| {
                        cell(
                            *picks.next().unwrap(),
                            row.profile,
                            response_set(def, &item.id),
                        )
                    })
                    .collect();
                Row {
                    cells,
                    attributes: attributes.clone(),
                }
            })
            .collect()
    }

    /// The CSV cells of a row, `id` first.
    fn record(&self, id: &str, row: &BatchRow) -> Vec<String> {
        let rows = self.rows_of(row);
        let mut record = vec![id.to_string(), row.note.clone()];
        record.extend(rows[0].attributes.iter().map(|(_, v)| v.clone()));
        for (instrument, r) in self.instruments().iter().zip(&rows) {
            let def = instrument.definition();
            record.extend(r.cells.iter().enumerate().map(|(i, &c)| text(def, i, c)));
        }
        match row.shape {
            0 => {}
            n if n < 0 => {
                let keep = record.len().saturating_sub(n.unsigned_abs().into()).max(1);
                record.truncate(keep);
            }
            n => record.extend((0..n).map(|e| format!("extra{e}"))),
        }
        record
    }

    /// The input CSV with the rows in this order; row `i` has id `r{ids[i]}`.
    fn csv(&self, order: &[usize]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        w.write_record(self.header()).unwrap();
        for &i in order {
            w.write_record(self.record(&format!("r{i}"), &self.rows[i]))
                .unwrap();
        }
        w.into_inner().unwrap()
    }

    fn batch(&self) -> Batch {
        let mut builder = Batch::builder();
        for instrument in self.instruments() {
            builder = builder.instrument(instrument.clone());
        }
        builder.build().unwrap()
    }
}

fn batch_row(items: usize, attributes: usize) -> impl Strategy<Value = BatchRow> {
    (
        "[a-z ,\"\n=+@-]{0,6}",
        proptest::collection::vec(any::<(u8, u8)>(), attributes),
        proptest::collection::vec(pick(), items),
        profile(),
        prop_oneof![20 => Just(0i8), 1 => -3..=-1i8, 1 => 1..=2i8],
    )
        .prop_map(|(note, attributes, picks, profile, shape)| BatchRow {
            note,
            attributes,
            picks,
            profile,
            shape,
        })
}

/// One to three instruments (any of them) and one to `max_rows` rows.
fn batch_case(max_rows: usize) -> impl Strategy<Value = BatchCase> {
    let all: Vec<usize> = (0..instruments().len()).collect();
    subsequence(all, 1..=3).prop_flat_map(move |selected| {
        let list: Vec<&Instrument> = selected.iter().map(|&k| instruments()[k]).collect();
        let items = list.iter().map(|i| i.definition().items.len()).sum();
        let attributes = attribute_ids(&list).len();
        proptest::collection::vec(batch_row(items, attributes), 1..=max_rows).prop_map(
            move |rows| BatchCase {
                instruments: selected.clone(),
                rows,
            },
        )
    })
}

type Record = Vec<Vec<u8>>;

/// Score CSV `input` into the scores CSV; its header and rows, parsed.
fn run(batch: &Batch, input: &[u8]) -> (Record, Vec<Record>) {
    let mut out = CsvWriter::new(Vec::new());
    batch.run(input, &mut [&mut out]).unwrap();
    let bytes = out.into_inner().unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let mut records: Vec<Record> = reader
        .byte_records()
        .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
        .collect();
    let rows = records.split_off(1);
    (records.pop().unwrap(), rows)
}

fn shown(record: &Record) -> Vec<String> {
    record
        .iter()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Permuting input rows permutes output rows and nothing else: scoring the rows in a
    /// generated order gives the same header, and as output row i exactly the output row (every
    /// cell, pass-through columns included) that input row perm[i] gave in input order.
    #[test]
    fn permuting_input_rows_permutes_output_rows_and_nothing_else(
        (case, perm) in batch_case(10).prop_flat_map(|case| {
            let order: Vec<usize> = (0..case.rows.len()).collect();
            (Just(case), Just(order).prop_shuffle())
        })
    ) {
        permuted_rows_give_permuted_output(&case, &perm)?;
    }

    /// The same row scored twice gives the same result: a row repeated later in a batch gives
    /// the same output cells both times, and the same as when it is scored in a batch alone.
    #[test]
    fn a_row_repeated_in_a_batch_gives_the_same_output_cells(
        (case, repeated, at) in batch_case(8).prop_flat_map(|case| {
            let n = case.rows.len();
            (Just(case), 0..n, 0..=n)
        })
    ) {
        repeated_row_gives_the_same_output(&case, repeated, at)?;
    }

    /// A row scored in a batch and the same answers scored one at a time with
    /// `Instrument::score` give the same result: each score column reads back as the sheet's
    /// score, and bands, status, flags, errors (`column: message`) and notes are the same.
    #[test]
    fn a_row_scored_in_a_batch_and_alone_gives_the_same_result(case in batch_case(4)) {
        batch_agrees_with_the_library(&case)?;
    }
}

fn permuted_rows_give_permuted_output(
    case: &BatchCase,
    perm: &[usize],
) -> Result<(), TestCaseError> {
    let batch = case.batch();
    let order: Vec<usize> = (0..case.rows.len()).collect();
    let (header, rows) = run(&batch, &case.csv(&order));
    let (shuffled_header, shuffled) = run(&batch, &case.csv(perm));
    prop_assert_eq!(shown(&header), shown(&shuffled_header));
    prop_assert_eq!(rows.len(), case.rows.len());
    prop_assert_eq!(shuffled.len(), case.rows.len());
    for (i, &p) in perm.iter().enumerate() {
        prop_assert_eq!(
            shown(&shuffled[i]),
            shown(&rows[p]),
            "output row {} (input row {})",
            i,
            p
        );
    }
    Ok(())
}

fn repeated_row_gives_the_same_output(
    case: &BatchCase,
    repeated: usize,
    at: usize,
) -> Result<(), TestCaseError> {
    let batch = case.batch();
    let mut order: Vec<usize> = (0..case.rows.len()).collect();
    order.insert(at, repeated);
    let (_, rows) = run(&batch, &case.csv(&order));
    let (_, alone) = run(&batch, &case.csv(&[repeated]));
    let positions: Vec<usize> = (0..order.len()).filter(|&i| order[i] == repeated).collect();
    prop_assert_eq!(positions.len(), 2);
    prop_assert_eq!(shown(&rows[positions[0]]), shown(&rows[positions[1]]));
    prop_assert_eq!(shown(&rows[positions[0]]), shown(&alone[0]));
    Ok(())
}

fn batch_agrees_with_the_library(case: &BatchCase) -> Result<(), TestCaseError> {
    let batch = case.batch();
    let order: Vec<usize> = (0..case.rows.len()).collect();
    let (header, rows) = run(&batch, &case.csv(&order));
    let header = shown(&header);
    let column = |name: String| header.iter().position(|h| *h == name).unwrap();
    for (row, out) in case.rows.iter().zip(&rows) {
        if row.shape != 0 {
            continue;
        }
        let out = shown(out);
        for (instrument, r) in case.instruments().into_iter().zip(case.rows_of(row)) {
            let id = instrument.id();
            let sheet = score(instrument, &r);
            for scale in sheet.scales() {
                let cell = &out[column(format!("{id}_{}", scale.id()))];
                let read = (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap());
                prop_assert_eq!(read, scale.score(), "{}_{}", id, scale.id());
                if !scale.definition().bands.is_empty() {
                    let band = &out[column(format!("{id}_{}_band", scale.id()))];
                    prop_assert_eq!(band.as_str(), scale.band().unwrap_or(""));
                }
            }
            let status = &out[column(format!("{id}_status"))];
            prop_assert_eq!(status, sheet.status().as_str());
            let flags: Vec<&str> = sheet.flags().map(|r| r.id.as_str()).collect();
            prop_assert_eq!(&out[column(format!("{id}_flags"))], &flags.join(";"));
            let errors: Vec<String> = sheet
                .errors()
                .map(|e| format!("{id}_{}: {e}", e.id()))
                .collect();
            prop_assert_eq!(&out[column(format!("{id}_error"))], &errors.join("; "));
            let notes: Vec<String> = sheet.notes().map(|n| n.to_string()).collect();
            prop_assert_eq!(&out[column(format!("{id}_notes"))], &notes.join("; "));
        }
    }
    Ok(())
}
