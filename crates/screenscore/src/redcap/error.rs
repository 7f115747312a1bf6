//! What can go wrong reading a dictionary or building a skeleton, in words a person can act on.

use std::path::PathBuf;

/// A dictionary that could not be read, or a form that could not become a skeleton. Each
/// message names the line (and field) where it applies.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DictionaryError {
    /// The file could not be read (or is not a regular file of at most 16 MiB).
    #[error("cannot read the data dictionary {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The CSV could not be read at `line`: not UTF-8, or a line too long.
    #[error("line {line}: {message}")]
    Csv {
        /// The line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The file has no header, or no field under it.
    #[error("the data dictionary is empty: expected REDCap's header and a row per field")]
    Empty,
    /// The header is not that of a REDCap data dictionary.
    #[error(
        "line 1: this is not a REDCap data dictionary{}: its header is {found}; expected \
         \"Variable / Field Name\",\"Form Name\",… (the Data Dictionary page's download) or \
         field_name,form_name,… (the API's metadata export), at least to the 8th column \
         (Text Validation Type OR Show Slider Number)",
        if *looks_like_export { " (this looks like a data export, not the data dictionary)" } else { "" }
    )]
    NotADictionary {
        /// The header as read (cut when long).
        found: String,
        /// Whether it looks like a REDCap data export (records, not fields).
        looks_like_export: bool,
    },
    /// A row has another number of cells than the header.
    #[error("line {line}: the row has {found} cells but the header has {expected}")]
    Cells {
        /// The line the row starts on.
        line: u64,
        /// Its cells.
        found: usize,
        /// The header's.
        expected: usize,
    },
    /// A field name that is empty or that REDCap would not allow.
    #[error("line {line}: field name {}: {reason}", quoted(field))]
    FieldName {
        /// The name as written.
        field: String,
        /// The line.
        line: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// A field with an empty form name.
    #[error("line {line}: field `{field}` has no form name")]
    NoForm {
        /// The field.
        field: String,
        /// The line.
        line: u64,
    },
    /// Two rows name the same field (regardless of case).
    #[error("line {line}: field `{field}` is defined twice, first on line {first}")]
    DuplicateField {
        /// The field.
        field: String,
        /// The line of its first row.
        first: u64,
        /// The line of the repeat.
        line: u64,
    },
    /// A choices cell that cannot be read.
    #[error(
        "line {line}: the choices of field `{field}` ({}): {reason}",
        quoted(text)
    )]
    Choices {
        /// The field.
        field: String,
        /// The line.
        line: u64,
        /// The choices cell (or the part of it at fault).
        text: String,
        /// What is wrong.
        reason: String,
    },
    /// A field type REDCap does not have.
    #[error(
        "line {line}: field `{field}` has field type {}; REDCap's are text, notes, dropdown, \
         radio, checkbox, yesno, truefalse, calc, file, slider, descriptive, sql",
        quoted(found)
    )]
    UnknownFieldType {
        /// The field.
        field: String,
        /// The line.
        line: u64,
        /// The type as written.
        found: String,
    },
    /// No form of that name.
    #[error("the dictionary has no form `{form}`; its forms: {}", forms.join(", "))]
    UnknownForm {
        /// The form asked for.
        form: String,
        /// The dictionary's forms, in order.
        forms: Vec<String>,
    },
    /// The form has no field a skeleton makes an item of.
    #[error(
        "form `{form}` has no radio, dropdown, yesno, truefalse or slider field: nothing to \
         make items of ({})",
        fields.join(", ")
    )]
    NoItems {
        /// The form.
        form: String,
        /// Its fields, each with its type (`bmi (calc)`).
        fields: Vec<String>,
    },
    /// The form's items have no numeric codes, so no scale could sum them.
    #[error(
        "form `{form}`: no item has numeric codes (a slider, yesno, truefalse, or choices coded \
         with numbers), so the skeleton could have no scale; a definition needs one"
    )]
    NoNumericItems {
        /// The form.
        form: String,
    },
    /// The definition built from the form did not pass the checks of a definition.
    #[error("form `{form}`: the skeleton built from it does not pass the checks: {message}")]
    Skeleton {
        /// The form.
        form: String,
        /// The checks' message.
        message: String,
    },
}

/// A value in a message: in backquotes, cut after 40 characters, control characters escaped.
fn quoted(text: &str) -> String {
    format!("`{}`", shown(text, 40))
}

/// `text` as a message shows it: cut after `max` characters, control characters escaped.
pub(super) fn shown(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
