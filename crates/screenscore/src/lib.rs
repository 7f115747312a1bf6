//! Score clinical screening questionnaires defined as data.
//!
//! An instrument (PHQ-9, GAD-7, AUDIT, …) is a JSON [`Definition`]: items, response options,
//! reverse keys, scales, missing-data rules, bands and flag rules, each with its source. The
//! library checks a definition once, compiles it into an [`Instrument`], and scores
//! administrations with it into a [`ScoreSheet`]: a score, band and missing-data account per
//! scale, the flags raised, and every bad cell with what was expected.
//!
//! Scoring one administration:
//!
//! ```
//! use screenscore::{Instrument, Responses, Status};
//!
//! let phq9 = Instrument::builtin("phq9")?;
//! let responses = Responses::new()
//!     .item("1", 3).item("2", 0).item("3", 1).item("4", 2).item("5", 0)
//!     .item("6", 0).item("7", 1).item("8", 0).item("9", "Nearly every day");
//! let sheet = phq9.score(&responses)?;
//!
//! assert_eq!(sheet.status(), Status::Ok);
//! assert_eq!(sheet.total(), Some(10.0));
//! assert_eq!(sheet.scale("total").unwrap().band(), Some("moderate"));
//! assert!(sheet.is_flagged("item9_positive"));
//! # Ok::<(), screenscore::Error>(())
//! ```
//!
//! Batch scoring of CSV files, with the column conventions of the `screenscore` command line,
//! is in [`batch`].

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod attention;
pub mod batch;
pub mod change;
pub mod clients;
pub mod columns;
mod compile;
mod condition;
pub mod date;
pub mod definition;
mod engine;
mod error;
#[cfg(feature = "fhir")]
pub mod fhir;
mod instrument;
mod matcher;
pub mod norms;
mod numeric;
pub mod outcomes;
pub mod output;
pub mod redcap;
mod registry;
mod responses;
#[cfg(feature = "schema")]
pub mod schema;
mod sheet;
pub mod skeleton;
mod small_file;
pub mod stats;
pub mod text;
pub mod timeline;

/// The README's example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The repository's README (its library snippet, as written), run as a doctest. Its `sh`
/// blocks are run by the CLI's test `readme_commands_run_from_the_repository_root`.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct RepositoryReadmeDoctests;

pub use definition::{Construct, Definition, InstrumentStatus, Severity};
pub use error::{DefinitionError, Error, Problem};
pub use instrument::Instrument;
pub use numeric::format_score;
pub use registry::normalise_id;
pub use responses::Responses;
pub use sheet::{DataError, Flag, ItemState, Note, ScaleScore, ScoreSheet, Status, Unscored};
pub use small_file::MAX_FILE_BYTES;
