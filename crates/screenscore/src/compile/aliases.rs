//! Aliases: other wordings of a response option, from a definition (`aliases`) or, for one
//! run, from a labels file. Both are checked by the same rules: an alias is not empty, does
//! not read as a number (numbers are option values), is not a missing code, and is not
//! accepted for another option of the same response set (its label, code, value or alias), so
//! that no cell could mean two answers.

use std::collections::HashMap;
use std::fmt;

use super::ids::shown;
use super::plan::Plan;
use crate::definition::{Alias, Definition, Evidence, ResponseSet, Source};
use crate::matcher::{Decimals, Match, Matcher, plain_decimal, trim};
use crate::numeric::format_value;

/// Why an alias cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AliasConflict {
    /// The alias is empty (after trimming).
    Empty,
    /// The alias reads as a number; numbers are read as option values.
    Number {
        /// The alias.
        alias: String,
    },
    /// Another option of the same response set already accepts the text, as its label, code,
    /// value or an alias.
    Taken {
        /// The alias.
        alias: String,
        /// The option (its position in the response set) that accepts it.
        option: usize,
        /// That option's label.
        label: String,
    },
    /// The option accepts the text already (a definition repeats it).
    Repeated {
        /// The alias.
        alias: String,
    },
    /// The text is one of the instrument's missing codes, which mean "not answered".
    MissingCode {
        /// The alias.
        alias: String,
    },
}

impl fmt::Display for AliasConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AliasConflict::Empty => f.write_str("must not be empty"),
            AliasConflict::Number { alias } => write!(
                f,
                "\"{}\" reads as a number; numbers are read as option values, not as labels",
                shown(alias)
            ),
            AliasConflict::Taken {
                alias,
                option,
                label,
            } => write!(
                f,
                "\"{}\" is already accepted for option {option} (\"{}\"); input would be ambiguous",
                shown(alias),
                shown(label)
            ),
            AliasConflict::Repeated { alias } => {
                write!(
                    f,
                    "\"{}\" is already accepted for this option",
                    shown(alias)
                )
            }
            AliasConflict::MissingCode { alias } => write!(
                f,
                "\"{}\" is one of the instrument's missing codes, which mean not answered",
                shown(alias)
            ),
        }
    }
}

/// What a response set accepts as text: each label, code and alias (trimmed, lowercased) and
/// each value (as [`format_value`] writes it), with the option that accepts it.
#[derive(Debug, Default)]
pub(super) struct Accepted {
    texts: HashMap<String, usize>,
    values: HashMap<String, usize>,
}

impl Accepted {
    /// Everything `set` accepts (first owner kept; a definition that compiled has one).
    pub(super) fn of(set: &ResponseSet) -> Accepted {
        let mut accepted = Accepted::default();
        for (o, option) in set.options.iter().enumerate() {
            if let Some(v) = option.value {
                accepted.values.entry(format_value(v)).or_insert(o);
            }
            let texts = std::iter::once(&option.label)
                .chain(option.code.as_ref())
                .chain(option.aliases.iter().map(|a| &a.label));
            for text in texts {
                accepted.texts.entry(lower(text)).or_insert(o);
            }
        }
        accepted
    }

    /// Record that option `o` accepts `text`; the option that accepted it before, if any.
    pub(super) fn insert_text(&mut self, text: &str, o: usize) -> Option<usize> {
        self.texts.insert(lower(text), o)
    }

    /// Record that option `o` has the value written `text`; the option that had it before.
    pub(super) fn insert_value(&mut self, text: String, o: usize) -> Option<usize> {
        self.values.insert(text, o)
    }

    /// The option other than `o` whose value is written `text`.
    pub(super) fn value_owner(&self, text: &str, o: usize) -> Option<usize> {
        self.values.get(text).copied().filter(|&owner| owner != o)
    }

    /// Whether `alias` may be accepted for option `o` of `set`, and record it if so.
    pub(super) fn check_alias(
        &mut self,
        set: &ResponseSet,
        o: usize,
        alias: &str,
        missing_codes: &[String],
    ) -> Result<(), AliasConflict> {
        let text = alias.trim();
        let key = lower(text);
        let owned = || text.to_string();
        if key.is_empty() {
            return Err(AliasConflict::Empty);
        }
        if plain_decimal(trim(text.as_bytes())).is_some() {
            return Err(AliasConflict::Number { alias: owned() });
        }
        if missing_codes.iter().any(|code| lower(code) == key) {
            return Err(AliasConflict::MissingCode { alias: owned() });
        }
        match self.texts.get(&key).copied() {
            Some(owner) if owner == o => Err(AliasConflict::Repeated { alias: owned() }),
            Some(owner) => Err(AliasConflict::Taken {
                alias: owned(),
                option: owner,
                label: set.options[owner].label.trim().to_string(),
            }),
            None => {
                self.texts.insert(key, o);
                Ok(())
            }
        }
    }
}

/// A text as it is compared: trimmed, lowercased.
fn lower(text: &str) -> String {
    text.trim().to_lowercase()
}

/// One alias given for one run: option `option` of item `item` also accepts `label`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RunAlias {
    /// The item's position in the definition's `items`.
    pub(crate) item: usize,
    /// The option's position in the item's response set.
    pub(crate) option: usize,
    /// The wording.
    pub(crate) label: String,
    /// Where it was given (`labels.csv line 3`), kept as the alias's source.
    pub(crate) origin: String,
}

/// Give items of a compiled definition aliases for one run: each item named gets a matcher of
/// its own (its response set's, with the aliases added), so that the other items of the same
/// set are not changed. An alias that repeats what its option accepts is dropped. On a
/// conflict, the position of the alias in `aliases` and why.
pub(crate) fn add_run_aliases(
    def: &Definition,
    plan: &mut Plan,
    aliases: &[RunAlias],
) -> Result<(), (usize, AliasConflict)> {
    let mut items: Vec<usize> = aliases.iter().map(|a| a.item).collect();
    items.sort_unstable();
    items.dedup();
    for item in items {
        let set_index = plan.sets[plan.items[item].set].set;
        let mut set = def.response_sets[set_index].clone();
        let mut accepted = Accepted::of(&set);
        for (k, alias) in aliases.iter().enumerate().filter(|(_, a)| a.item == item) {
            match accepted.check_alias(&set, alias.option, &alias.label, &plan.missing_codes) {
                Ok(()) => set.options[alias.option].aliases.push(Alias {
                    label: alias.label.trim().to_string(),
                    language: None,
                    source: Source {
                        reference: alias.origin.clone(),
                        evidence: Evidence::Policy,
                    },
                }),
                Err(AliasConflict::Repeated { .. }) => {}
                Err(conflict) => return Err((k, conflict)),
            }
        }
        plan.items[item].set = plan.sets.len();
        plan.sets.push(Matcher::new(&set, set_index));
    }
    Ok(())
}

/// The option of item `item` that `text` names: a value (with a point or a comma as its
/// decimal mark), a label, a code or an alias.
pub(crate) fn option_named(plan: &Plan, item: usize, text: &str) -> Option<usize> {
    let matcher = &plan.sets[plan.items[item].set];
    match matcher.find_with(text.as_bytes(), Decimals::PointOrComma) {
        Match::Option(o) => Some(usize::from(o)),
        Match::Empty | Match::Unrecognised => None,
    }
}
