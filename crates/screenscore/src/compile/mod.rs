//! Checking a definition and compiling it into a [`Plan`] that scores without lookups by id.
//!
//! Checking and compiling are one pass: every reference is resolved once, and a reference that
//! cannot be resolved is a [`Problem`] at its JSON path. All problems are collected, so a person
//! fixing a definition sees every one of them at once. Every step is linear (or `n log n`) in
//! the size of the definition: ids, spellings and runs of condition parts are found in maps.
//!
//! The submodules, each an `impl` of the one [`Compiler`] or a leaf they share:
//! - [`ids`], [`limits`], [`plan`]: id rules and the index of ids, the bounds on numbers, and
//!   what compiling produces (leaves: they import nothing from their siblings);
//! - [`answers`]: response sets, attributes, items and missing codes;
//! - [`norms`]: the checks of a reference group, shared with local norms files;
//! - [`scales`]: item and derived scales, missing rules, rounding and bands (uses [`norms`]);
//! - [`composite`]: scales made of scales, the order scales are scored in (cycles refused),
//!   and the keying of an item shared by scales;
//! - [`conditions`]: conditions, skips and rules;
//! - [`codes`]: standard codes (LOINC) and Questionnaire URLs.

mod aliases;
mod answers;
mod codes;
mod columns;
mod composite;
mod conditions;
mod ids;
pub(crate) mod limits;
pub(crate) mod norms;
mod plan;
mod scales;

pub use aliases::AliasConflict;
pub(crate) use aliases::{RunAlias, add_run_aliases, option_named};
pub(crate) use ids::shown;
pub(crate) use plan::{MissingPolicy, Plan, ScaleItem, ScaleKind};

use std::collections::HashMap;

use crate::definition::Definition;
use crate::error::Problem;
use ids::{Case, Ids, is_instrument_id, is_part_id};

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

/// One pass over a definition: the problems found so far, and the ids indexed so far.
struct Compiler<'d> {
    def: &'d Definition,
    problems: Vec<Problem>,
    sets: Ids<'d>,
    items: Ids<'d>,
    /// Scales defined so far (a derived scale may only use an earlier one).
    scales: Ids<'d>,
    attributes: Ids<'d>,
    /// Per attribute, each value's position.
    attribute_values: Vec<HashMap<&'d str, usize>>,
}

/// Check a definition and compile it, or return every problem found.
pub(crate) fn compile(def: &Definition) -> Result<Plan, Vec<Problem>> {
    let mut c = Compiler {
        def,
        problems: Vec::new(),
        sets: Ids::default(),
        items: Ids::default(),
        scales: Ids::default(),
        attributes: Ids::default(),
        attribute_values: Vec::new(),
    };
    c.check_identity();
    let sets = c.response_sets();
    let attributes = c.attributes();
    let items = c.items(&sets);
    let (scales, scale_order) = c.scales(&sets);
    let skips = c.skips(&sets);
    let rules = c.rules();
    let missing_codes = c.missing_codes(&sets);
    c.codes();
    if c.problems.is_empty() {
        Ok(Plan {
            sets,
            items,
            attributes,
            scales,
            scale_order,
            skips,
            rules,
            missing_codes,
            item_ids: positions(def.items.iter().map(|i| &i.id)),
            scale_ids: positions(def.scales.iter().map(|s| &s.id)),
        })
    } else {
        Err(c.problems)
    }
}

/// Each id's position (ids are unique once a definition compiles).
fn positions<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    ids.enumerate().map(|(k, id)| (id.clone(), k)).collect()
}

impl<'d> Compiler<'d> {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    /// A problem with a number at `path`, when `check` finds one.
    fn number(&mut self, path: impl Into<String>, check: Result<(), &'static str>) {
        if let Err(message) = check {
            self.problem(path, message);
        }
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

    /// Check ids for form and uniqueness (regardless of case for ids that name columns), and
    /// index them.
    fn index_ids<T>(
        &mut self,
        list: &'d [T],
        field: &str,
        what: &str,
        case: Case,
        id_of: impl Fn(&'d T) -> &'d str,
    ) -> Ids<'d> {
        let mut index = Ids::default();
        for (i, entry) in list.iter().enumerate() {
            let id = id_of(entry);
            if !is_part_id(id) {
                self.problem(
                    format!("{field}[{i}].id"),
                    format!("`{id}` is not a valid {what} id: use letters, digits, `_` and `-`"),
                );
            }
            if let Err(first) = index.insert(id, i, case) {
                let other = id_of(&list[first]);
                let message = if other == id {
                    format!("duplicate {what} id `{id}` (first used at {field}[{first}])")
                } else {
                    format!(
                        "{what} id `{id}` differs from `{}` (first used at {field}[{first}]) only in case; columns are matched regardless of case, so the two would share one",
                        ids::shown(other)
                    )
                };
                self.problem(format!("{field}[{i}].id"), message);
            }
        }
        index
    }
}

#[cfg(test)]
mod codes_tests;
#[cfg(test)]
mod composite_tests;
#[cfg(test)]
mod large_tests;
#[cfg(test)]
mod tests;
