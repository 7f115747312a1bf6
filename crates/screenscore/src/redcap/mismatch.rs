//! What can go wrong matching a REDCap project to the definitions scored (and their map).

use super::DictionaryError;

/// A REDCap project that does not fit the definitions: every message names the field.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedcapError {
    /// The data dictionary cannot be read.
    #[error(transparent)]
    Dictionary(#[from] DictionaryError),
    /// A form's single-choice fields are not the instrument's items.
    #[error(
        "form {form} has {fields} single-choice fields (radio, dropdown, yes/no, true/false); \
         {instrument} has {items} items, {scored} of them scored: map them by hand with a \
         `from,to` file"
    )]
    FormItems {
        /// The form.
        form: String,
        /// Its single-choice fields.
        fields: usize,
        /// The instrument.
        instrument: String,
        /// Its items.
        items: usize,
        /// Its scored items.
        scored: usize,
    },
    /// A field's choice codes are not the item's option values.
    #[error(
        "field {field}: choices {found}; {instrument} expects {expected}{}",
        if *by_label { "" } else { " (give --recode-by-label to recode them by their labels)" }
    )]
    Choices {
        /// The field.
        field: String,
        /// Its codes.
        found: String,
        /// The instrument.
        instrument: String,
        /// The option values.
        expected: String,
        /// Whether recoding by label was asked for.
        by_label: bool,
    },
    /// A choice's label is the label of another option than the one its code is.
    #[error(
        "field {field}: choice {code} is labelled \"{label}\", which {instrument} scores as {value}: \
         the codes and labels disagree, so the form is not matched"
    )]
    LabelConflict {
        /// The field.
        field: String,
        /// The choice's code.
        code: String,
        /// Its label.
        label: String,
        /// The instrument.
        instrument: String,
        /// The value the label has in the definition.
        value: String,
    },
    /// Recoding by label: a choice's label is no option's label or alias.
    #[error(
        "field {field}: choice {code} \"{label}\" is not the label of one answer of {instrument}, \
         so the codes cannot be recoded by label"
    )]
    UnknownLabel {
        /// The field.
        field: String,
        /// The choice's code.
        code: String,
        /// Its label.
        label: String,
        /// The instrument.
        instrument: String,
    },
    /// An item's field is not a single-choice field.
    #[error(
        "field {field} is a {field_type} field{}; an item needs a radio, dropdown, yes/no or \
         true/false field, so it cannot be {item}",
        if *field_type == "checkbox" { " (several answers, in its ___CODE columns)" } else { "" }
    )]
    NotSingleChoice {
        /// The field.
        field: String,
        /// Its type.
        field_type: &'static str,
        /// The item column it would be.
        item: String,
    },
    /// The column map names a field the dictionary lacks.
    #[error(
        "the column map renames `{field}` (to `{to}`), which is not a field of the data \
         dictionary: was the map derived from another project's dictionary?"
    )]
    NotAField {
        /// The field named.
        field: String,
        /// What the map renames it to.
        to: String,
    },
    /// A score field of an import file does not fit.
    #[error("--score-fields {column}={field}: {reason}")]
    ScoreField {
        /// The score column.
        column: String,
        /// The field named.
        field: String,
        /// Why it does not fit.
        reason: String,
    },
    /// The event list cannot be read.
    #[error("event list: {message}")]
    Events {
        /// What is wrong.
        message: String,
    },
    /// The map cannot hold a line.
    #[error("column map: {message}")]
    Map {
        /// What is wrong.
        message: String,
    },
}
