//! The built-in instruments: every definition in `instruments/`, embedded in the library and
//! parsed and checked once per process, on first use ([`Instrument::builtin`],
//! [`Instrument::builtins`]).

use std::sync::OnceLock;

use crate::error::{DefinitionError, Error};
use crate::instrument::Instrument;

/// The bundled definition files, in catalogue order. A test checks that this list and the
/// `instruments/` directory hold the same files.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("phq9", include_str!("../instruments/phq9.json")),
    ("phq2", include_str!("../instruments/phq2.json")),
    ("gad7", include_str!("../instruments/gad7.json")),
    ("gad2", include_str!("../instruments/gad2.json")),
    ("phq15", include_str!("../instruments/phq15.json")),
    ("audit", include_str!("../instruments/audit.json")),
    ("auditc", include_str!("../instruments/auditc.json")),
    ("dast10", include_str!("../instruments/dast10.json")),
    ("k10", include_str!("../instruments/k10.json")),
    ("k6", include_str!("../instruments/k6.json")),
    ("who5", include_str!("../instruments/who5.json")),
    ("pcl5", include_str!("../instruments/pcl5.json")),
    ("rses", include_str!("../instruments/rses.json")),
    ("sfcs", include_str!("../instruments/sfcs.json")),
    ("cffs", include_str!("../instruments/cffs.json")),
];

fn loaded() -> &'static [Result<Instrument, DefinitionError>] {
    static LOADED: OnceLock<Vec<Result<Instrument, DefinitionError>>> = OnceLock::new();
    LOADED.get_or_init(|| {
        FILES
            .iter()
            .map(|(id, json)| {
                Instrument::from_json_named(json, &format!("instruments/{id}.json (built in)"))
            })
            .collect()
    })
}

impl Instrument {
    /// A built-in instrument by id (`phq9`, `gad7`, …): parsed and checked once per process.
    ///
    /// Ids are matched with case, `-` and `_` ignored ([`normalise_id`]), so `PHQ9`, `phq-9`
    /// and `phq_9` are `phq9`. An unknown id is an [`Error::UnknownInstrument`] naming the
    /// built-in ids close to it, or every id when none is.
    ///
    /// ```
    /// use screenscore::Instrument;
    ///
    /// assert_eq!(Instrument::builtin("PHQ-9")?.id(), "phq9");
    /// let err = Instrument::builtin("phq8").unwrap_err();
    /// assert_eq!(err.to_string(), "unknown instrument `phq8`; did you mean `phq9` or `phq2`?");
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn builtin(id: &str) -> Result<&'static Instrument, Error> {
        let wanted = normalise_id(id);
        let Some(position) = FILES.iter().position(|(f, _)| normalise_id(f) == wanted) else {
            return Err(Error::UnknownInstrument {
                id: id.to_string(),
                known: FILES.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(", "),
                close: close_ids(&wanted),
            });
        };
        match &loaded()[position] {
            Ok(instrument) => Ok(instrument),
            Err(e) => Err(Error::Definition(e.clone())),
        }
    }

    /// Every built-in instrument, in catalogue order.
    ///
    /// ```
    /// let ids: Vec<&str> = screenscore::Instrument::builtins().map(|i| i.id()).collect();
    /// assert_eq!(&ids[..3], ["phq9", "phq2", "gad7"]);
    /// ```
    pub fn builtins() -> impl Iterator<Item = &'static Instrument> {
        loaded().iter().filter_map(|r| r.as_ref().ok())
    }
}

/// An instrument id as it is matched: lowercase, without `-` and `_` (`PHQ-9` → `phq9`).
///
/// ```
/// use screenscore::normalise_id;
///
/// for id in ["PHQ9", "phq-9", "phq_9", "Phq9"] {
///     assert_eq!(normalise_id(id), "phq9");
/// }
/// ```
pub fn normalise_id(id: &str) -> String {
    id.chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The built-in ids within a small edit distance of `wanted` (normalised): at most a third of
/// its length, and at least 1; closest first, then in catalogue order.
fn close_ids(wanted: &str) -> Vec<String> {
    let limit = (wanted.chars().count() / 3).max(1);
    let mut close: Vec<(usize, usize, &str)> = FILES
        .iter()
        .enumerate()
        .filter_map(|(k, (id, _))| {
            let distance = edit_distance(wanted, &normalise_id(id));
            (distance <= limit).then_some((distance, k, *id))
        })
        .collect();
    close.sort_unstable();
    close.into_iter().map(|(_, _, id)| id.to_string()).collect()
}

/// Levenshtein distance in characters (insertions, deletions and substitutions cost 1).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_builtin_ids_are_distinct_and_their_own_normal_form() {
        let ids: Vec<String> = FILES.iter().map(|(id, _)| normalise_id(id)).collect();
        for (k, (id, _)) in FILES.iter().enumerate() {
            assert_eq!(ids[k], *id, "a built-in id is written in its normal form");
            assert!(!ids[..k].contains(&ids[k]), "{id} twice");
        }
    }

    #[test]
    fn ids_are_matched_regardless_of_case_hyphens_and_underscores() {
        for id in ["phq9", "PHQ9", "phq-9", "phq_9", "P-H_Q-9", "Phq9"] {
            assert_eq!(Instrument::builtin(id).unwrap().id(), "phq9", "{id}");
        }
        assert_eq!(Instrument::builtin("AUDIT-C").unwrap().id(), "auditc");
        assert_eq!(Instrument::builtin("who_5").unwrap().id(), "who5");
    }

    #[test]
    fn an_unknown_id_names_the_close_ones_or_else_every_one() {
        let message = |id| Instrument::builtin(id).unwrap_err().to_string();
        assert_eq!(
            message("gad8"),
            "unknown instrument `gad8`; did you mean `gad7` or `gad2`?"
        );
        assert_eq!(
            message("PCL"),
            "unknown instrument `PCL`; did you mean `pcl5`?"
        );
        assert_eq!(
            message("audt"),
            "unknown instrument `audt`; did you mean `audit`?"
        );
        assert_eq!(
            message("beck"),
            "unknown instrument `beck`; the built-in instruments are: phq9, phq2, gad7, gad2, \
             phq15, audit, auditc, dast10, k10, k6, who5, pcl5, rses, sfcs, cffs"
        );
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("phq9", "phq9"), 0);
        assert_eq!(edit_distance("phq8", "phq9"), 1);
        assert_eq!(edit_distance("phq", "phq15"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
