//! What a row's cells are read as: response sets, respondent attributes, items, and the codes
//! that mean "not answered".

use std::collections::HashMap;

use super::aliases::Accepted;
use super::ids::{Case, shown};
use super::plan::{AttributePlan, ItemPlan};
use super::{Compiler, Scope, limits};
use crate::condition::Program;
use crate::definition::{OtherCoding, ResponseSet};
use crate::matcher::{Matcher, trim};
use crate::numeric::format_value;

/// How many of an attribute's spellings the message about an unrecognised value lists.
const EXPECTED_LISTED: usize = 20;

impl<'d> Compiler<'d> {
    pub(super) fn response_sets(&mut self) -> Vec<Matcher> {
        let def = self.def;
        self.sets = self.index_ids(
            &def.response_sets,
            "response_sets",
            "response set",
            Case::Exact,
            |s| &s.id,
        );
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
            let mut accepted = Accepted::default();
            for (o, option) in set.options.iter().enumerate() {
                let opath = format!("{path}.options[{o}]");
                if let Some(v) = option.value {
                    if let Err(message) = limits::option_value(v) {
                        // Sums, reverse keys and ranges stay exact in doubles well past this.
                        self.problem(format!("{opath}.value"), message);
                    } else if let Some(first) = accepted.insert_value(format_value(v), o) {
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
                let mut texts = vec![("label", option.label.trim().to_lowercase())];
                if let Some(code) = &option.code {
                    texts.push(("code", code.trim().to_lowercase()));
                }
                for (field, text) in texts {
                    if let Some(first) = accepted.insert_text(&text, o) {
                        self.problem(
                            format!("{opath}.{field}"),
                            format!("\"{text}\" is already accepted for option {first}; input would be ambiguous"),
                        );
                    }
                    if let Some(owner) = accepted.value_owner(&text, o) {
                        self.problem(
                            format!("{opath}.{field}"),
                            format!("\"{text}\" is the value of option {owner}; input would be ambiguous"),
                        );
                    }
                }
            }
            // Aliases after every label and code, so that a conflict is reported at the alias.
            for (o, option) in set.options.iter().enumerate() {
                for (a, alias) in option.aliases.iter().enumerate() {
                    let apath = format!("{path}.options[{o}].aliases[{a}]");
                    // A missing code equal to an alias is refused where missing codes are
                    // checked, at the code.
                    let checked = accepted.check_alias(set, o, &alias.label, &[]);
                    if let Err(conflict) = checked {
                        self.problem(format!("{apath}.label"), conflict.to_string());
                    }
                    if alias.source.reference.trim().is_empty() {
                        self.problem(format!("{apath}.source.ref"), "must not be empty");
                    }
                }
            }
            if let Some(other) = &set.other_coding {
                self.other_coding(&path, set, other);
            }
            matchers.push(Matcher::new(set, s));
        }
        matchers
    }

    /// Another coding needs a non-zero, finite offset, a label, and a value on every option.
    fn other_coding(&mut self, path: &str, set: &ResponseSet, other: &OtherCoding) {
        let path = format!("{path}.other_coding");
        if let Err(message) = limits::option_value(other.offset) {
            self.problem(format!("{path}.offset"), message);
        } else if other.offset == 0.0 {
            self.problem(
                format!("{path}.offset"),
                "must not be 0 (the other coding would be this one)",
            );
        }
        if other.label.trim().is_empty() {
            self.problem(format!("{path}.label"), "must not be empty");
        }
        if set.options.iter().any(|o| o.value.is_none()) {
            self.problem(
                path,
                "every option needs a value for another coding to shift",
            );
        }
    }

    pub(super) fn attributes(&mut self) -> Vec<AttributePlan> {
        let def = self.def;
        self.attributes = self.index_ids(
            &def.attributes,
            "attributes",
            "attribute",
            Case::Insensitive,
            |a| &a.id,
        );
        let mut plans = Vec::new();
        for (a, attribute) in def.attributes.iter().enumerate() {
            let path = format!("attributes[{a}]");
            if attribute.values.is_empty() || attribute.values.len() > 64 {
                self.problem(
                    format!("{path}.values"),
                    "an attribute needs between 1 and 64 values",
                );
            }
            let mut accepted: HashMap<String, usize> = HashMap::new();
            let mut values = HashMap::new();
            for (v, value) in attribute.values.iter().enumerate() {
                values.entry(value.value.as_str()).or_insert(v);
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
                    } else if let std::collections::hash_map::Entry::Vacant(slot) =
                        accepted.entry(lower)
                    {
                        slot.insert(v);
                    } else {
                        self.problem(field, format!("\"{spelling}\" is accepted twice"));
                    }
                }
            }
            self.attribute_values.push(values);
            // Written into the error of every row with an unrecognised value: the first 20
            // spellings, not all of them.
            let spellings: Vec<&str> = attribute
                .values
                .iter()
                .flat_map(|v| std::iter::once(&v.value).chain(&v.accepted))
                .map(String::as_str)
                .collect();
            let mut expected = spellings[..spellings.len().min(EXPECTED_LISTED)].join(", ");
            if spellings.len() > EXPECTED_LISTED {
                expected.push_str(&format!(
                    " … and {} more",
                    spellings.len() - EXPECTED_LISTED
                ));
            }
            let mut accepted: Vec<(String, usize)> = accepted.into_iter().collect();
            accepted.sort_unstable();
            plans.push(AttributePlan { accepted, expected });
        }
        plans
    }

    pub(super) fn items(&mut self, sets: &[Matcher]) -> Vec<ItemPlan> {
        let def = self.def;
        self.items = self.index_ids(&def.items, "items", "item", Case::Insensitive, |i| &i.id);
        self.check_attribute_columns();
        let mut plans = Vec::with_capacity(def.items.len());
        for (i, item) in def.items.iter().enumerate() {
            let path = format!("items[{i}]");
            if item.label.trim().is_empty() {
                self.problem(format!("{path}.label"), "must not be empty");
            }
            let set = match self.sets.get(&item.response_set) {
                Some(s) => s,
                None => {
                    self.problem(
                        format!("{path}.response_set"),
                        format!(
                            "unknown response set `{}`{}",
                            item.response_set,
                            self.sets.known()
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

    /// An attribute is read from the column named after it, an item from `{instrument}_{id}`
    /// (both regardless of case): an attribute `demo_1` would read item `1`'s column.
    fn check_attribute_columns(&mut self) {
        let def = self.def;
        let prefix = format!("{}_", def.id.to_lowercase());
        for (a, attribute) in def.attributes.iter().enumerate() {
            let column = attribute.id.to_lowercase();
            let Some(item) = column
                .strip_prefix(&prefix)
                .and_then(|id| self.items.get_folded(id))
            else {
                continue;
            };
            self.problem(
                format!("attributes[{a}].id"),
                format!(
                    "`{}` is also the input column of item `{}`; the two would read one column",
                    attribute.id,
                    shown(&def.items[item].id)
                ),
            );
        }
    }

    pub(super) fn missing_codes(&mut self, sets: &[Matcher]) -> Vec<String> {
        // Only the sets that hold the code's text (case aside) or number can accept it: look
        // those up, then ask each whether it does.
        let mut holding: HashMap<String, Vec<usize>> = HashMap::new();
        for (s, set) in self.def.response_sets.iter().enumerate() {
            for option in &set.options {
                let texts = [
                    option.value.map(format_value),
                    Some(option.label.trim().to_lowercase()),
                    option.code.as_ref().map(|c| c.trim().to_lowercase()),
                ];
                let aliases = option.aliases.iter().map(|a| a.label.trim().to_lowercase());
                for text in texts.into_iter().flatten().chain(aliases) {
                    let sets = holding.entry(text).or_default();
                    if sets.last() != Some(&s) {
                        sets.push(s);
                    }
                }
            }
        }
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
            let cell = String::from_utf8_lossy(trim(code.as_bytes())).to_lowercase();
            let number = crate::matcher::plain_decimal(trim(code.as_bytes()));
            let mut candidates: Vec<usize> = [Some(cell), number]
                .into_iter()
                .flatten()
                .filter_map(|text| holding.get(&text))
                .flatten()
                .copied()
                .collect();
            candidates.sort_unstable();
            if let Some(s) = candidates.into_iter().find(|&s| sets[s].accepts(code)) {
                self.problem(
                    format!("missing_codes[{k}]"),
                    format!(
                        "\"{code}\" is also an answer in response set `{}`; it cannot mean missing",
                        shown(&self.def.response_sets[s].id)
                    ),
                );
            }
            codes.push(code.to_string());
        }
        codes
    }
}
