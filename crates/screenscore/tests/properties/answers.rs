//! Generated answers: the strategies that draw a row's cells, and how a cell is written.

use std::collections::BTreeSet;

use proptest::prelude::*;
use screenscore::definition::{Definition, ResponseSet};
use screenscore::{Instrument, Responses, ScoreSheet};

use crate::expected::response_set;

/// Cells that are missing: empty, blanks, and the instrument's missing codes.
pub const BLANKS: [&str; 4] = ["", " ", "\t", "\u{a0}"];
/// Cells that answer no item of any instrument here.
pub const INVALID: [&str; 6] = ["+1", "1e0", "x", "??", "\u{663}", "0x1"];

/// One generated cell, before it is matched to an item.
#[derive(Debug, Clone, Copy)]
pub struct Pick {
    pub roll: u8,
    pub option: u8,
    pub spelling: u8,
}

/// How often a row's cells are missing or invalid, in percent, and which options its answers
/// take.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    pub missing: u8,
    pub invalid: u8,
    pub edge: Edge,
}

/// Which options the answers of a row take: any, or each item's lowest- or highest-valued
/// option (the ends of a scale's range are where out-of-range scores would show).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Edge {
    Any,
    Lowest,
    Highest,
}

/// A cell: an answer (the option and how it is written), missing, or invalid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Answer { option: usize, spelling: u8 },
    Missing(u8),
    Invalid(u8),
}

/// One administration of one instrument: a cell per item, and a value per attribute.
#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub attributes: Vec<(String, String)>,
}

pub fn pick() -> impl Strategy<Value = Pick> {
    (0..100u8, any::<u8>(), any::<u8>()).prop_map(|(roll, option, spelling)| Pick {
        roll,
        option,
        spelling,
    })
}

pub fn edge() -> impl Strategy<Value = Edge> {
    prop_oneof![4 => Just(Edge::Any), 1 => Just(Edge::Lowest), 1 => Just(Edge::Highest)]
}

/// Mostly complete rows, some with a few missing cells, some mostly missing; invalid cells rarely.
pub fn profile() -> impl Strategy<Value = Profile> {
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

pub fn complete() -> impl Strategy<Value = Profile> {
    edge().prop_map(|edge| Profile {
        missing: 0,
        invalid: 0,
        edge,
    })
}

/// The cell `pick` gives for an item answered on `set`.
pub fn cell(pick: Pick, profile: Profile, set: &ResponseSet) -> Cell {
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
pub fn attribute_spellings(instruments: &[&Instrument], id: &str) -> Vec<String> {
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
pub fn attribute_cell(spellings: &[String], roll: u8, which: u8) -> String {
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
pub fn attribute_ids(instruments: &[&Instrument]) -> Vec<String> {
    let ids: BTreeSet<String> = instruments
        .iter()
        .flat_map(|i| &i.definition().attributes)
        .map(|a| a.id.clone())
        .collect();
    ids.into_iter().collect()
}

/// A row for one instrument, its cells drawn with `profile`.
pub fn row(
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
pub fn any_row(
    list: &'static [&'static Instrument],
    profile: fn() -> BoxedStrategy<Profile>,
) -> impl Strategy<Value = (usize, Row)> {
    (0..list.len()).prop_flat_map(move |k| (Just(k), row(list[k], profile())))
}

pub fn mixed_profile() -> BoxedStrategy<Profile> {
    profile().boxed()
}

pub fn complete_profile() -> BoxedStrategy<Profile> {
    complete().boxed()
}

/// A value as the definitions write it: `2`, `0.5`, `-1`.
pub fn value_text(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// How an option is written in a cell: its value (plain, padded, `2.0`, `02`), its label (as
/// written, upper or lower case, padded) or its code.
pub fn spell(set: &ResponseSet, option: usize, spelling: u8) -> String {
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
pub fn text(def: &Definition, item: usize, cell: Cell) -> String {
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

pub fn responses(instrument: &Instrument, row: &Row) -> Responses {
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

pub fn score<'i>(instrument: &'i Instrument, row: &Row) -> ScoreSheet<'i> {
    instrument.score(&responses(instrument, row)).unwrap()
}

/// The answer value of a cell, before keying.
pub fn answer_value(def: &Definition, item: usize, cell: Cell) -> Option<f64> {
    match cell {
        Cell::Answer { option, .. } => response_set(def, &def.items[item].id).options[option].value,
        _ => None,
    }
}
