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
    /// ```
    /// let err = screenscore::Instrument::builtin("phq8").unwrap_err();
    /// assert!(err.to_string().starts_with("unknown instrument `phq8`"));
    /// ```
    pub fn builtin(id: &str) -> Result<&'static Instrument, Error> {
        let Some(position) = FILES.iter().position(|(f, _)| *f == id) else {
            return Err(Error::UnknownInstrument {
                id: id.to_string(),
                known: FILES.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(", "),
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
