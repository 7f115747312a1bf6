//! A definition skeleton from one form of a data dictionary.
//!
//! What becomes of each field type:
//!
//! - radio, dropdown, yesno, truefalse: an item, its choices a response set (REDCap stores
//!   yes/no and true/false as 1 and 0). Fields with the same choices (codes and labels) share
//!   one response set. Choices coded with numbers score their code; an item with any other
//!   code (`a`, `yes_1`) is shown but not scored, its codes accepted as answers.
//! - slider: an item answered 0 to 100, the values REDCap's slider saves (REDCap's guide to
//!   the data dictionary; the LinkML model of REDCap data dictionaries, field type `slider`:
//!   "Visual analogue scale (0-100)"); its labels go to the notes.
//! - calc: not an item (REDCap computes it); its calculation goes to the notes.
//! - text, notes, checkbox, file, descriptive, sql, and the record id: not items; each is
//!   listed in [`Skeleton::left_out`] and in the notes, with why.
//!
//! The skeleton invents no scoring: its one scale is the placeholder every skeleton has
//! ([`crate::skeleton`]: `placeholder_sum`, the sum of the scored items, scored only when every
//! one is answered). Its status is `unvalidated`. Every item's `source` names the dictionary
//! file and the line of its row.

use serde_json::{Value, json};

use super::choices::is_numeric_code;
use super::dictionary::{Choice, Dictionary, DictionaryError, Field, FieldType};
use super::text::plain_text;

pub use crate::skeleton::{PLACEHOLDER_SCALE, definition_id};

/// A skeleton definition, and the fields of the form it left out.
#[derive(Debug, Clone)]
pub struct Skeleton {
    /// The definition, as JSON (it passes the checks of `Instrument::from_json`).
    pub definition: Value,
    /// The fields of the form that are not items, in form order.
    pub left_out: Vec<LeftOut>,
}

/// A field of the form that is not an item of the skeleton, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The field name.
    pub field: String,
    /// Its type.
    pub field_type: FieldType,
    /// The line of its row.
    pub line: u64,
    /// Why it is not an item.
    pub reason: String,
}

impl Skeleton {
    /// The definition as a person reads it: two-space indents, keys in the order of the
    /// definition format (`id` first), an object of plain values on one line when it fits.
    ///
    /// ```
    /// use screenscore::redcap::{Dictionary, build_skeleton};
    ///
    /// let csv = "field_name,form_name,section_header,field_type,field_label,\
    ///            select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number\n\
    ///            record_id,f,,text,ID,,,\nok,f,,yesno,OK?,,,\n";
    /// let skeleton = build_skeleton(&Dictionary::from_csv(csv.as_bytes())?, "f", "f.csv")?;
    /// let text = skeleton.to_json_pretty();
    /// assert!(text.starts_with("{\n  \"id\": \"f\",\n  \"name\": "));
    /// assert!(text.contains("\n        { \"value\": 1, \"label\": \"Yes\" },\n"));
    /// assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), skeleton.definition);
    /// # Ok::<(), screenscore::redcap::DictionaryError>(())
    /// ```
    pub fn to_json_pretty(&self) -> String {
        crate::skeleton::to_json_pretty(&self.definition)
    }
}

impl std::fmt::Display for LeftOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "left out `{}` ({}, line {}): {}",
            self.field, self.field_type, self.line, self.reason
        )
    }
}

/// The skeleton of a definition for form `form` of `dictionary` (see [`build_skeleton`]);
/// `source` names the dictionary file in every `source` of the definition.
pub fn skeleton(
    dictionary: &Dictionary,
    form: &str,
    source: &str,
) -> Result<Value, DictionaryError> {
    build_skeleton(dictionary, form, source).map(|s| s.definition)
}

/// The skeleton of a definition for form `form` of `dictionary`, and the fields it left out.
///
/// `source` names the dictionary file in the definition's sources (`dictionary.csv, line 4
/// (field mood, radio)`). The definition id is the form name (lowercase letters, digits and
/// `_`, starting with a letter: anything else becomes `_`); item ids are the field names.
///
/// ```
/// use screenscore::Instrument;
/// use screenscore::redcap::{Dictionary, build_skeleton};
///
/// let csv = "field_name,form_name,section_header,field_type,field_label,\
///            select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number\n\
///            record_id,mood,,text,Record ID,,,\n\
///            low,mood,,radio,Feeling low?,\"0, Not at all | 1, Several days\",,\n\
///            tired,mood,,radio,Tired?,\"0, Not at all | 1, Several days\",,\n";
/// let dictionary = Dictionary::from_csv(csv.as_bytes())?;
/// let skeleton = build_skeleton(&dictionary, "mood", "mood.csv")?;
/// assert_eq!(skeleton.left_out[0].to_string(), "left out `record_id` (text, line 2): the record id");
///
/// let definition = &skeleton.definition;
/// assert_eq!(definition["status"], "unvalidated");
/// assert_eq!(definition["response_sets"].as_array().unwrap().len(), 1);
/// assert_eq!(definition["items"][1]["source"]["ref"], "mood.csv, line 4 (field tired, radio)");
/// let instrument = Instrument::from_json(&definition.to_string()).unwrap();
/// assert_eq!(instrument.scale_range("placeholder_sum"), Some((0.0, 2.0)));
/// # Ok::<(), screenscore::redcap::DictionaryError>(())
/// ```
pub fn build_skeleton(
    dictionary: &Dictionary,
    form: &str,
    source: &str,
) -> Result<Skeleton, DictionaryError> {
    let fields = dictionary.form(form)?;
    let form_name = fields[0].form.clone();
    let record_id = &dictionary.record_id().name;
    let mut sets: Vec<ResponseSet> = Vec::new();
    let mut items = Vec::new();
    let mut scored = Vec::new();
    let mut notes = Vec::new();
    let mut left_out = Vec::new();
    let where_ = |field: &Field| {
        format!(
            "{source}, line {} (field {}, {})",
            field.line, field.name, field.field_type
        )
    };
    for &field in &fields {
        let item = field.is_single_choice() || field.field_type == FieldType::Slider;
        if !item || &field.name == record_id {
            let reason = if &field.name == record_id {
                "the record id".to_string()
            } else {
                left_out_reason(field.field_type).to_string()
            };
            if let Some(calculation) = &field.calculation {
                notes.push(format!(
                    "Calc field `{}` ({}), not an item: REDCap computes it as {calculation}",
                    field.name,
                    where_(field)
                ));
            }
            left_out.push(LeftOut {
                field: field.name.clone(),
                field_type: field.field_type,
                line: field.line,
                reason,
            });
            continue;
        }
        let options = if field.field_type == FieldType::Slider {
            notes.push(slider_note(field, &where_(field)));
            SetKey::Slider
        } else {
            SetKey::Choices(field.choices.clone())
        };
        let numeric = match &options {
            SetKey::Slider => true,
            SetKey::Choices(choices) => choices.iter().all(|c| is_numeric_code(&c.code)),
        };
        let set = match sets.iter_mut().find(|s| s.key == options) {
            Some(set) => {
                set.fields.push(field.name.clone());
                set.id.clone()
            }
            None => {
                let id = set_id(&options, field);
                sets.push(ResponseSet {
                    id: id.clone(),
                    key: options,
                    numeric,
                    fields: vec![field.name.clone()],
                    line: field.line,
                });
                id
            }
        };
        let mut label = field.plain_label();
        if label.is_empty() {
            notes.push(format!(
                "Field `{}` has no label as plain text; its name is its label here",
                field.name
            ));
            label = field.name.clone();
        }
        let mut item = json!({
            "id": field.name,
            "label": label,
            "response_set": set,
            "source": {"ref": where_(field), "evidence": "verified"},
        });
        if numeric {
            scored.push(field.name.clone());
        } else {
            item["scored"] = json!(false);
        }
        if let Some(logic) = &field.branching_logic {
            notes.push(format!(
                "Item `{}` is shown only if {logic} (REDCap branching logic, not carried over: \
                 unanswered when hidden)",
                field.name
            ));
        }
        items.push(item);
    }
    if items.is_empty() {
        return Err(DictionaryError::NoItems {
            form: form_name,
            fields: fields
                .iter()
                .map(|f| format!("{} ({})", f.name, f.field_type))
                .collect(),
        });
    }
    if scored.is_empty() {
        return Err(DictionaryError::NoNumericItems { form: form_name });
    }
    let definition = definition(&form_name, source, &sets, items, scored, notes, &left_out);
    crate::skeleton::check(&definition).map_err(|message| DictionaryError::Skeleton {
        form: form_name.clone(),
        message,
    })?;
    Ok(Skeleton {
        definition,
        left_out,
    })
}

/// What a response set is made of: a slider's 0 to 100, or choices.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SetKey {
    Slider,
    Choices(Vec<Choice>),
}

/// A response set of the skeleton, and the fields answered on it.
struct ResponseSet {
    id: String,
    key: SetKey,
    numeric: bool,
    fields: Vec<String>,
    line: u64,
}

fn set_id(key: &SetKey, first: &Field) -> String {
    match (key, first.field_type) {
        (SetKey::Slider, _) => "redcap_slider".to_string(),
        (_, FieldType::Yesno) => "redcap_yesno".to_string(),
        (_, FieldType::Truefalse) => "redcap_truefalse".to_string(),
        _ => format!("choices_{}", first.name),
    }
}

fn left_out_reason(field_type: FieldType) -> &'static str {
    match field_type {
        FieldType::Text => "a text box: free text or a number, not one of a set of answers",
        FieldType::Notes => "a notes box: free text",
        FieldType::Checkbox => {
            "a checkbox field: any number of answers at once (REDCap exports one column per \
             choice, field___code), which one item cannot hold"
        }
        FieldType::Calc => "REDCap computes it; its calculation is in the notes",
        FieldType::File => "a file upload",
        FieldType::Descriptive => "text shown on the form; it holds no answer",
        FieldType::Sql => "its choices come from a database query, not the dictionary",
        _ => "not an item",
    }
}

fn slider_note(field: &Field, place: &str) -> String {
    let mut note = format!(
        "Slider `{}` ({place}): answered 0 to 100, the values REDCap's slider saves",
        field.name
    );
    if let Some(labels) = &field.slider_labels {
        note.push_str(&format!(
            "; its labels, left to right: {}",
            plain_text(labels)
        ));
    }
    if field.validation_min.is_some() || field.validation_max.is_some() {
        note.push_str(&format!(
            "; the dictionary gives it a minimum {} and maximum {}: check the response set's \
             range against them",
            field.validation_min.as_deref().unwrap_or("(none)"),
            field.validation_max.as_deref().unwrap_or("(none)")
        ));
    }
    note
}

/// The options of a response set: numbers score their code; labels made plain, and told
/// apart where two would read alike.
fn options(set: &ResponseSet) -> Vec<Value> {
    let choices = match &set.key {
        SetKey::Slider => {
            return (0..=100)
                .map(|v| json!({"value": v, "label": v.to_string()}))
                .collect();
        }
        SetKey::Choices(choices) => choices,
    };
    let labels: Vec<String> = choices
        .iter()
        .map(|c| {
            let label = c.plain_label();
            if label.is_empty() {
                c.code.clone()
            } else {
                label
            }
        })
        .collect();
    let value = |code: &str| code.parse::<f64>().ok().filter(|_| set.numeric);
    let number = crate::skeleton::number;
    choices
        .iter()
        .enumerate()
        .map(|(i, choice)| {
            let own = value(&choice.code);
            let label = &labels[i];
            // A label read as another choice's number, or written as another's label, would
            // make input ambiguous: say which code it is.
            let as_number = label.parse::<f64>().ok();
            let clashes = (set.numeric && as_number.is_some() && as_number != own)
                || labels
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && other.eq_ignore_ascii_case(label));
            let label = if clashes {
                format!("{label} (code {})", choice.code)
            } else {
                label.clone()
            };
            match own {
                Some(v) => json!({"value": number(v), "label": label}),
                None => json!({"label": label, "code": choice.code}),
            }
        })
        .collect()
}

fn definition(
    form: &str,
    source: &str,
    sets: &[ResponseSet],
    items: Vec<Value>,
    scored: Vec<String>,
    mut notes: Vec<String>,
    left_out: &[LeftOut],
) -> Value {
    let mut head = vec![
        format!(
            "Skeleton written by screenscore {} (`screenscore redcap skeleton`) from form `{form}` \
             of the REDCap data dictionary {source}: {} and {} left out. Nothing in it is \
             validated; check every item, answer and the scale before use.",
            env!("CARGO_PKG_VERSION"),
            crate::text::count(items.len() as u64, "item", "items"),
            crate::text::count(left_out.len() as u64, "field", "fields"),
        ),
        "Item ids are the REDCap field names; item and answer labels are REDCap's as written, \
         with HTML and piping removed. If the instrument's wording is copyrighted, replace them \
         with short summaries in your own words before sharing this file."
            .to_string(),
        crate::skeleton::placeholder_note(scored.len(), "a data dictionary holds no scoring"),
    ];
    if items.len() > scored.len() {
        head.push(
            "Items whose choices are not all coded with numbers are shown but not scored; their \
             codes are accepted as answers."
                .to_string(),
        );
    }
    for set in sets.iter().filter(|s| s.fields.len() > 1) {
        head.push(format!(
            "Response set `{}` (line {}) is shared by fields {}: their choices are the same.",
            set.id,
            set.line,
            set.fields.join(", ")
        ));
    }
    notes.splice(0..0, head);
    notes.extend(left_out.iter().map(crate::skeleton::as_note));
    let response_sets: Vec<Value> = sets
        .iter()
        .map(|set| json!({"id": set.id, "options": options(set)}))
        .collect();
    json!({
        "id": definition_id(form),
        "name": format!("REDCap form {form}"),
        "measures": "Not stated in the REDCap data dictionary: say what the form measures",
        "version": "0.1.0",
        "status": "unvalidated",
        "citation": format!("REDCap data dictionary {source}, form {form}"),
        "license": {
            "name": "Not stated",
            "terms": "A REDCap data dictionary states no licence; find the instrument's terms before sharing this definition.",
            "commercial_use": "not_stated",
            "source": {"ref": format!("{source} (a REDCap data dictionary carries no licence)"), "evidence": "policy"},
        },
        "notes": notes,
        "response_sets": response_sets,
        "items": items,
        "scales": [crate::skeleton::placeholder_scale(
            &scored,
            "screenscore redcap skeleton",
            "the data dictionary holds no missing-data rule",
        )],
    })
}
