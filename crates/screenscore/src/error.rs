//! Errors of the library, each saying what is wrong, where, and what was expected.

use std::fmt;
use std::path::PathBuf;

/// One problem found in a definition, at a JSON path such as `scales[2].bands[1].from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the definition the problem is.
    pub path: String,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// A definition that could not be loaded: it is not valid JSON of the definition format, or it
/// breaks one of the rules checked on loading (references, keys, bands, missing rules).
///
/// The message names the file (its origin) and the JSON path of every problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(origin, problems))]
pub struct DefinitionError {
    /// The file the definition came from (or `<json>` for a string).
    pub origin: String,
    /// Every problem found, in the order of the file.
    pub problems: Vec<Problem>,
}

fn render(origin: &str, problems: &[Problem]) -> String {
    match problems {
        [one] => format!("{origin}: {one}"),
        many => {
            let mut out = format!("{origin}: {} problems", many.len());
            for p in many {
                out.push_str("\n  ");
                out.push_str(&p.to_string());
            }
            out
        }
    }
}

/// Errors of loading instruments and of scoring through the library API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A definition file could not be read.
    #[error("cannot read instrument definition {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A definition is not valid.
    #[error(transparent)]
    Definition(#[from] DefinitionError),
    /// No built-in instrument has this id, even with case, `-` and `_` ignored.
    #[error("unknown instrument `{id}`{}", suggest(close, known))]
    UnknownInstrument {
        /// The id asked for.
        id: String,
        /// The built-in ids, comma-separated.
        known: String,
        /// The built-in ids close to the one asked for (by edit distance, case, `-` and `_`
        /// ignored), closest first; empty when none is close.
        close: Vec<String>,
    },
    /// Responses name an item the instrument does not have.
    #[error("{instrument} has no item `{item}`; its items are: {known}")]
    UnknownItem {
        /// The instrument id.
        instrument: String,
        /// The item id given.
        item: String,
        /// The instrument's item ids, comma-separated.
        known: String,
    },
    /// Responses name a respondent attribute the instrument does not use.
    #[error(
        "{instrument} uses no respondent attribute `{attribute}`{}",
        known_attributes(known)
    )]
    UnknownAttribute {
        /// The instrument id.
        instrument: String,
        /// The attribute id given.
        attribute: String,
        /// The attributes the instrument uses, comma-separated (may be empty).
        known: String,
    },
}

fn suggest(close: &[String], known: &str) -> String {
    match close {
        [] => format!("; the built-in instruments are: {known}"),
        [one] => format!("; did you mean `{one}`?"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|id| format!("`{id}`")).collect();
            format!("; did you mean {} or `{last}`?", init.join(", "))
        }
    }
}

fn known_attributes(known: &str) -> String {
    if known.is_empty() {
        "; it uses none".to_string()
    } else {
        format!("; it uses: {known}")
    }
}
