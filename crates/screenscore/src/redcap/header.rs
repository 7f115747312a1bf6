//! REDCap's two data dictionary headers, and what a header that is neither looks like.

use super::dictionary::HeaderKind;

/// The columns of the Data Dictionary page's download, in order (REDCap's guide to the data
/// dictionary, columns A to R).
pub(super) const UI: [&str; 18] = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
];

/// The columns of the API's `exportMetadata` in CSV, in order.
pub(super) const API: [&str; 18] = [
    "field_name",
    "form_name",
    "section_header",
    "field_type",
    "field_label",
    "select_choices_or_calculations",
    "field_note",
    "text_validation_type_or_show_slider_number",
    "text_validation_min",
    "text_validation_max",
    "identifier",
    "branching_logic",
    "required_field",
    "custom_alignment",
    "question_number",
    "matrix_group_name",
    "matrix_ranking",
    "field_annotation",
];

/// The fewest columns a header may have: up to `Text Validation Type OR Show Slider Number`.
pub(super) const MIN_COLUMNS: usize = 8;

/// Column positions.
pub(super) mod col {
    pub const NAME: usize = 0;
    pub const FORM: usize = 1;
    pub const SECTION: usize = 2;
    pub const TYPE: usize = 3;
    pub const LABEL: usize = 4;
    pub const CHOICES: usize = 5;
    pub const NOTE: usize = 6;
    pub const VALIDATION: usize = 7;
    pub const MIN: usize = 8;
    pub const MAX: usize = 9;
    pub const IDENTIFIER: usize = 10;
    pub const BRANCHING: usize = 11;
    pub const REQUIRED: usize = 12;
    pub const ANNOTATION: usize = 17;
}

/// The kind of `header` (cells trimmed, compared regardless of case): every cell the name of
/// its column in one of the two headers, at least [`MIN_COLUMNS`] and at most 18 of them.
pub(super) fn kind(header: &[String]) -> Option<HeaderKind> {
    if header.len() < MIN_COLUMNS || header.len() > UI.len() {
        return None;
    }
    let matches = |names: &[&str]| {
        header
            .iter()
            .zip(names)
            .all(|(cell, name)| cell.trim().eq_ignore_ascii_case(name))
    };
    if matches(&UI) {
        Some(HeaderKind::Ui)
    } else if matches(&API) {
        Some(HeaderKind::Api)
    } else {
        None
    }
}

/// Whether a header that is not a dictionary's looks like a REDCap data export: REDCap's own
/// columns (`redcap_event_name`, `redcap_repeat_instrument`, …), a form's `*_complete`
/// status column, or no form-name column at all.
pub(super) fn looks_like_export(header: &[String]) -> bool {
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let redcap_column = names.iter().any(|n| n.starts_with("redcap_"));
    let complete = names.iter().any(|n| n.ends_with("_complete"));
    let form_column = names.iter().any(|n| n == "form name" || n == "form_name");
    redcap_column || complete || !form_column
}
