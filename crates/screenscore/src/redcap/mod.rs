//! REDCap data dictionaries: reading one, and a definition skeleton from one of its forms.
//!
//! A REDCap project is described by its data dictionary, a CSV file with one row per field
//! (variable): its name, form (instrument), type, label, choices and validation. REDCap writes
//! it with one of two headers: the one of the *Data Dictionary* page's download
//! ([`HeaderKind::Ui`]: `"Variable / Field Name","Form Name",…`) and the one of the API's
//! `exportMetadata` call in CSV ([`HeaderKind::Api`]: `field_name,form_name,…`). Both hold the
//! same 18 columns in the same order (REDCap's *Data Dictionary* guide, columns A to R; the
//! API column names as REDCapR's `redcap_metadata_read` and REDCapCAST's `redcapcast_meta`
//! document them). [`Dictionary`] reads either, as REDCap writes it: UTF-8 with or without a
//! byte-order mark, CRLF or LF line ends, quoted labels that span lines and hold HTML.
//!
//! Sources for the format: Vanderbilt's REDCap guide *Data Dictionary* (2015; columns A to R,
//! field names, choices `code, label` separated by `|`), as copied at
//! <https://online.documentine.com/examples-of-data-repository/1/pdf-data-dictionary-center-for-research-informatics.html>;
//! the LinkML model of REDCap data dictionaries (<https://linkml.io/linkml-redcap/reference/data_dictionary/>:
//! field names `^[a-z][a-z0-9_]*$`, yesno and truefalse stored as 1/0, slider a visual
//! analogue scale 0-100); REDCapR's and REDCapCAST's documentation of the API metadata
//! columns; REDCapR's test projects (tests/data/redcap/interop).
//!
//! [`skeleton()`] turns one form into the start of a local instrument definition: its single-
//! choice and slider fields become items, their choices response sets, and every value names
//! the dictionary line it was read from. It invents no scoring: see its documentation.
//!
//! ```
//! use screenscore::redcap::{Dictionary, FieldType, HeaderKind};
//!
//! let csv = "field_name,form_name,section_header,field_type,field_label,\
//!            select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number\n\
//!            record_id,intake,,text,Record ID,,,\n\
//!            mood,intake,,radio,<b>Mood</b> today,\"0, Low | 1, Fair, or so | 2, Good\",,\n";
//! let dictionary = Dictionary::from_csv(csv.as_bytes())?;
//! assert_eq!(dictionary.header_kind(), HeaderKind::Api);
//! assert_eq!(dictionary.record_id().name, "record_id");
//! let mood = dictionary.field("MOOD").unwrap();
//! assert_eq!(mood.field_type, FieldType::Radio);
//! assert_eq!(mood.plain_label(), "Mood today");
//! assert_eq!(mood.choices[1].label, "Fair, or so");
//! assert_eq!(mood.line, 3);
//! # Ok::<(), screenscore::redcap::DictionaryError>(())
//! ```

mod choices;
mod derive;
pub mod dictionary;
mod error;
mod header;
mod import;
mod mismatch;
mod plan;
mod read;
pub mod skeleton;
pub mod text;

#[cfg(test)]
mod tests;

pub use derive::{DerivedMap, derive_map};
pub use dictionary::{Choice, Dictionary, DictionaryError, Field, FieldType, HeaderKind};
pub use import::{ImportWriter, Refused, ScoreFields};
pub use mismatch::RedcapError;
pub use plan::{event_order, export_columns, form_plans, read_event_order};
pub use skeleton::{LeftOut, Skeleton, build_skeleton, skeleton};
pub use text::plain_text;
