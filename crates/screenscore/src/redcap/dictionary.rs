//! A data dictionary as read: its fields in order, found by name and by form.

use std::collections::HashMap;
use std::path::Path;

pub use super::error::DictionaryError;
use super::text::plain_text;

/// Which of REDCap's two headers a dictionary was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderKind {
    /// The download of the *Data Dictionary* page: `"Variable / Field Name","Form Name",…`.
    Ui,
    /// The API's `exportMetadata` in CSV: `field_name,form_name,…`.
    Api,
}

/// A REDCap field type, as the *Field Type* column writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// `text`: a text box (numbers and dates too, by its validation).
    Text,
    /// `notes`: a text area.
    Notes,
    /// `dropdown`: one choice from a list.
    Dropdown,
    /// `radio`: one choice from buttons.
    Radio,
    /// `checkbox`: any number of choices (exported as one column per choice).
    Checkbox,
    /// `yesno`: Yes (1) or No (0).
    Yesno,
    /// `truefalse`: True (1) or False (0).
    Truefalse,
    /// `calc`: computed by REDCap from a calculation.
    Calc,
    /// `file`: an uploaded file.
    File,
    /// `slider`: a visual analogue scale.
    Slider,
    /// `descriptive`: text shown on the form, holding no data.
    Descriptive,
    /// `sql`: a dropdown filled by a database query.
    Sql,
}

impl FieldType {
    /// Every field type, in the order of REDCap's documentation.
    pub const ALL: [FieldType; 12] = [
        FieldType::Text,
        FieldType::Notes,
        FieldType::Dropdown,
        FieldType::Radio,
        FieldType::Checkbox,
        FieldType::Yesno,
        FieldType::Truefalse,
        FieldType::Calc,
        FieldType::File,
        FieldType::Slider,
        FieldType::Descriptive,
        FieldType::Sql,
    ];

    /// REDCap's word for the type.
    ///
    /// ```
    /// use screenscore::redcap::FieldType;
    /// assert_eq!(FieldType::Truefalse.as_str(), "truefalse");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Notes => "notes",
            FieldType::Dropdown => "dropdown",
            FieldType::Radio => "radio",
            FieldType::Checkbox => "checkbox",
            FieldType::Yesno => "yesno",
            FieldType::Truefalse => "truefalse",
            FieldType::Calc => "calc",
            FieldType::File => "file",
            FieldType::Slider => "slider",
            FieldType::Descriptive => "descriptive",
            FieldType::Sql => "sql",
        }
    }

    /// The type REDCap's word names, case and surrounding spaces ignored.
    ///
    /// ```
    /// use screenscore::redcap::FieldType;
    /// assert_eq!(FieldType::parse(" Radio "), Some(FieldType::Radio));
    /// assert_eq!(FieldType::parse("matrix"), None);
    /// ```
    pub fn parse(word: &str) -> Option<FieldType> {
        let word = word.trim();
        FieldType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(word))
    }

    /// Whether the field's choices come from the choices column (radio, dropdown, checkbox).
    pub fn has_choice_list(self) -> bool {
        matches!(
            self,
            FieldType::Radio | FieldType::Dropdown | FieldType::Checkbox
        )
    }
}

impl std::fmt::Display for FieldType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One choice of a radio, dropdown, checkbox, yes/no or true/false field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Choice {
    /// The code REDCap stores and exports (`0`, `-1`, `a_1`).
    pub code: String,
    /// The label shown, as written (may hold HTML and piping).
    pub label: String,
}

impl Choice {
    /// The label as plain text: [`plain_text`] of [`Choice::label`].
    ///
    /// ```
    /// use screenscore::redcap::Choice;
    /// let choice = Choice { code: "1".into(), label: "<i>Several</i>&nbsp;days".into() };
    /// assert_eq!(choice.plain_label(), "Several days");
    /// ```
    pub fn plain_label(&self) -> String {
        plain_text(&self.label)
    }
}

/// One field (row) of a data dictionary.
///
/// Optional cells that are empty (or a bare `NA`: see [`Dictionary::from_csv`]) are `None`,
/// `false` or empty strings.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The variable name (`Variable / Field Name`, `field_name`).
    pub name: String,
    /// The form (instrument) it is on.
    pub form: String,
    /// The section header shown above it, as written.
    pub section_header: String,
    /// Its type.
    pub field_type: FieldType,
    /// Its label as written (may hold HTML and piping).
    pub label: String,
    /// Radio, dropdown and checkbox: the choices column parsed; yes/no: `1 Yes, 0 No`;
    /// true/false: `1 True, 0 False`; otherwise empty.
    pub choices: Vec<Choice>,
    /// Calc fields: the calculation.
    pub calculation: Option<String>,
    /// Slider fields: the labels as written (`Low | Middle | High`).
    pub slider_labels: Option<String>,
    /// The field note.
    pub note: String,
    /// `Text Validation Type OR Show Slider Number`: `integer`, `number`, `date_ymd`, …
    pub validation: Option<String>,
    /// `Text Validation Min`.
    pub validation_min: Option<String>,
    /// `Text Validation Max`.
    pub validation_max: Option<String>,
    /// `Identifier?` is `y`: the field holds identifying data.
    pub identifier: bool,
    /// `Required Field?` is `y`.
    pub required: bool,
    /// `Branching Logic (Show field only if...)`.
    pub branching_logic: Option<String>,
    /// `Field Annotation` (action tags and notes).
    pub annotation: String,
    /// The 1-based line of the dictionary file where the field's row starts.
    pub line: u64,
}

impl Field {
    /// The label as plain text: [`plain_text`] of [`Field::label`].
    pub fn plain_label(&self) -> String {
        plain_text(&self.label)
    }

    /// Whether one answer is one of its choices: radio, dropdown, yes/no, true/false.
    ///
    /// ```
    /// use screenscore::redcap::Dictionary;
    /// let csv = "field_name,form_name,section_header,field_type,field_label,\
    ///            select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number\n\
    ///            id,f,,text,ID,,,\nok,f,,yesno,OK?,,,\n";
    /// let dictionary = Dictionary::from_csv(csv.as_bytes())?;
    /// let ok = dictionary.field("ok").unwrap();
    /// assert!(ok.is_single_choice());
    /// assert_eq!((ok.choices[0].code.as_str(), ok.choices[0].label.as_str()), ("1", "Yes"));
    /// # Ok::<(), screenscore::redcap::DictionaryError>(())
    /// ```
    pub fn is_single_choice(&self) -> bool {
        matches!(
            self.field_type,
            FieldType::Radio | FieldType::Dropdown | FieldType::Yesno | FieldType::Truefalse
        )
    }
}

/// A REDCap data dictionary: its fields in order, by name (regardless of ASCII case) and by
/// form.
#[derive(Debug, Clone)]
pub struct Dictionary {
    kind: HeaderKind,
    fields: Vec<Field>,
    /// Lowercase name → index in `fields`.
    by_name: HashMap<String, usize>,
}

impl Dictionary {
    /// Read a dictionary from the bytes of its CSV file.
    ///
    /// The header is REDCap's, either kind, its names matched after trimming and regardless
    /// of case. A header may stop after the 8th column (`Text Validation Type OR Show Slider
    /// Number`), or any column after it: dictionaries of older REDCap versions lack the last
    /// columns (Field Annotation came later than the others), and everything this module reads
    /// for a skeleton is in the first 8. Columns it lacks read as empty. A header with another
    /// name anywhere, or a column past the 18th, is refused: it is not a dictionary, or not one
    /// this reader knows.
    ///
    /// Every row must have as many cells as the header (REDCap writes them all); a row whose
    /// cells are all empty is skipped. A cell that is exactly `NA` counts as empty in the
    /// optional columns (all but the field name, form, type and label): R's `write.csv`, which
    /// REDCapR users save metadata with, writes `NA` for a missing value, and REDCap itself
    /// never writes a bare `NA` in those columns for an empty one.
    ///
    /// Field names must be as REDCap allows them: lowercase letters, digits and `_`, starting
    /// with a letter.
    pub fn from_csv(bytes: &[u8]) -> Result<Dictionary, DictionaryError> {
        let (kind, fields) = super::read::fields(bytes)?;
        let mut by_name = HashMap::with_capacity(fields.len());
        for (i, field) in fields.iter().enumerate() {
            if let Some(&first) = by_name.get(&field.name.to_ascii_lowercase()) {
                let first: &Field = &fields[first];
                return Err(DictionaryError::DuplicateField {
                    field: field.name.clone(),
                    first: first.line,
                    line: field.line,
                });
            }
            by_name.insert(field.name.to_ascii_lowercase(), i);
        }
        Ok(Dictionary {
            kind,
            fields,
            by_name,
        })
    }

    /// Read the dictionary file `path`: a regular file of at most
    /// [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Dictionary, DictionaryError> {
        let path = path.as_ref();
        let bytes = crate::small_file::read(path).map_err(|source| DictionaryError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Dictionary::from_csv(&bytes)
    }

    /// Which header the file was written with.
    pub fn header_kind(&self) -> HeaderKind {
        self.kind
    }

    /// The fields, in dictionary order.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The first field: REDCap's record id.
    pub fn record_id(&self) -> &Field {
        // Reading refuses a dictionary without fields.
        &self.fields[0]
    }

    /// The field named `name`, regardless of ASCII case.
    pub fn field(&self, name: &str) -> Option<&Field> {
        let i = self.by_name.get(&name.to_ascii_lowercase())?;
        Some(&self.fields[*i])
    }

    /// The form names, in order of first appearance.
    pub fn forms(&self) -> Vec<&str> {
        let mut forms: Vec<&str> = Vec::new();
        for field in &self.fields {
            if !forms.contains(&field.form.as_str()) {
                forms.push(&field.form);
            }
        }
        forms
    }

    /// The fields of form `form` (its name regardless of ASCII case and surrounding spaces), in
    /// order; an unknown form is an error that lists the forms.
    ///
    /// ```
    /// use screenscore::redcap::Dictionary;
    /// let csv = "field_name,form_name,section_header,field_type,field_label,\
    ///            select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number\n\
    ///            id,start,,text,ID,,,\nok,end,,yesno,OK?,,,\n";
    /// let dictionary = Dictionary::from_csv(csv.as_bytes())?;
    /// assert_eq!(dictionary.form("end")?[0].name, "ok");
    /// let err = dictionary.form("middle").unwrap_err();
    /// assert_eq!(err.to_string(), "the dictionary has no form `middle`; its forms: start, end");
    /// # Ok::<(), screenscore::redcap::DictionaryError>(())
    /// ```
    pub fn form(&self, form: &str) -> Result<Vec<&Field>, DictionaryError> {
        let fields: Vec<&Field> = self
            .fields
            .iter()
            .filter(|f| f.form.eq_ignore_ascii_case(form.trim()))
            .collect();
        if fields.is_empty() {
            return Err(DictionaryError::UnknownForm {
                form: form.to_string(),
                forms: self.forms().into_iter().map(str::to_string).collect(),
            });
        }
        Ok(fields)
    }

    /// The form field `field` is on (the field found regardless of ASCII case).
    pub fn form_of(&self, field: &str) -> Option<&str> {
        self.field(field).map(|f| f.form.as_str())
    }
}
