//! `redcap map`: a column map derived from a project's data dictionary for a validated
//! definition, checked item by item. The definition stays as it is; the map says which field
//! holds which item, and (only when asked, and only when every label agrees) how the form's
//! codes become the definition's values.

use crate::batch::ColumnMap;
use crate::columns::item_column;
use crate::definition::{Definition, ResponseOption};
use crate::instrument::Instrument;

use super::{Choice, Dictionary, Field, FieldType, RedcapError};

/// A column map derived from a dictionary, and what a person should know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedMap {
    /// The map: each item's field, and the calculated fields compared with the scores.
    pub map: ColumnMap,
    /// How many of the map's lines are items (the rest are calculated fields).
    pub items: usize,
    /// What was matched without a line of the map: fields of the form that are not items,
    /// calculated fields not matched to a scale, labels worded otherwise.
    pub notices: Vec<String>,
}

/// Derive the column map of `form` for `instrument`: the form's single-choice fields (radio,
/// dropdown, yes/no, true/false), in form order, are the instrument's items in definition
/// order (all of them, or only the scored ones when the form leaves out those shown but not
/// scored). Each field's choice codes must be the item's option values, and no choice label
/// may be the label of another option; with `recode_by_label`, codes that differ are recoded
/// when every label is an option's label or alias. A calculated field of the form is recorded
/// as the form's own score of a scale (compared when scoring).
///
/// ```
/// use screenscore::redcap::{Dictionary, derive_map};
/// use screenscore::Instrument;
///
/// let mut dictionary = String::from(
///     "field_name,form_name,section_header,field_type,field_label,\
///      select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,\
///      text_validation_min,text_validation_max,identifier,branching_logic,required_field,\
///      custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation\n\
///      record_id,intake,,text,Record ID,,,,,,,,,,,,,\n",
/// );
/// for q in 1..=2 {
///     dictionary.push_str(&format!(
///         "g{q},gad,,radio,Item {q},\"1, Not at all | 2, Several days | 3, More than half the days | 4, Nearly every day\",,,,,,,,,,,,\n"
///     ));
/// }
/// let dictionary = Dictionary::from_csv(dictionary.as_bytes())?;
/// let gad2 = Instrument::builtin("gad2")?;
/// let refused = derive_map(&dictionary, "gad", gad2, false).unwrap_err();
/// assert_eq!(refused.to_string(), "field g1: choices 1–4; gad2 expects 0–3 (give --recode-by-label to recode them by their labels)");
/// let derived = derive_map(&dictionary, "gad", gad2, true)?;
/// assert_eq!(derived.map.to_csv(), "from,to,recode\ng1,gad2_1,1=0|2=1|3=2|4=3\ng2,gad2_2,1=0|2=1|3=2|4=3\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn derive_map(
    dictionary: &Dictionary,
    form: &str,
    instrument: &Instrument,
    recode_by_label: bool,
) -> Result<DerivedMap, RedcapError> {
    let def = instrument.definition();
    let fields = dictionary.form(form)?;
    let mut notices = Vec::new();
    let mut choice_fields = Vec::new();
    for field in &fields {
        if field.is_single_choice() {
            choice_fields.push(*field);
        } else if field.field_type == FieldType::Checkbox {
            notices.push(format!(
                "field {} is a checkbox (several answers, exported as {}___CODE columns): not an item",
                field.name, field.name
            ));
        }
    }
    let all: Vec<usize> = (0..def.items.len()).collect();
    let scored: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| def.items[i].scored)
        .collect();
    let items = if choice_fields.len() == all.len() {
        all
    } else if choice_fields.len() == scored.len() {
        scored
    } else {
        return Err(RedcapError::FormItems {
            form: form.to_string(),
            fields: choice_fields.len(),
            instrument: def.id.clone(),
            items: def.items.len(),
            scored: scored.len(),
        });
    };
    let mut map = ColumnMap::new();
    for (field, &i) in choice_fields.iter().zip(&items) {
        let options = def.options(i);
        let recode = match_choices(def, field, options, recode_by_label, &mut notices)?;
        let to = item_column(def, i).to_string();
        map.insert_recoded(&field.name, &to, recode)
            .map_err(|message| RedcapError::Map { message })?;
    }
    let items = map.len();
    calculated(def, &fields, &mut map, &mut notices)?;
    Ok(DerivedMap {
        map,
        items,
        notices,
    })
}

/// An option's value as a cell writes it (`2`, `0.5`).
pub(crate) fn value_text(option: &ResponseOption) -> Option<String> {
    option.value.map(|v| format!("{v}"))
}

/// Whether a choice's label names `option` (its label or an alias, ignoring case and spaces).
fn names(choice: &Choice, option: &ResponseOption) -> bool {
    let label = choice.plain_label();
    let same = |text: &str| text.trim().eq_ignore_ascii_case(label.trim());
    same(&option.label) || option.aliases.iter().any(|a| same(&a.label))
}

/// Check a field's choices against an item's options; the recode (empty when the codes are
/// the values).
fn match_choices(
    def: &Definition,
    field: &Field,
    options: &[ResponseOption],
    recode_by_label: bool,
    notices: &mut Vec<String>,
) -> Result<Vec<(String, String)>, RedcapError> {
    let choices = &field.choices;
    let values: Vec<String> = options.iter().filter_map(value_text).collect();
    let same_codes = choices.len() == values.len()
        && choices
            .iter()
            .all(|c| values.iter().any(|v| numeric_eq(&c.code, v)));
    if same_codes {
        for choice in choices {
            let own = options
                .iter()
                .find(|o| value_text(o).is_some_and(|v| numeric_eq(&choice.code, &v)));
            if own.is_some_and(|o| names(choice, o)) {
                continue;
            }
            if let Some(other) = options.iter().find(|o| names(choice, o)) {
                return Err(RedcapError::LabelConflict {
                    field: field.name.clone(),
                    code: choice.code.clone(),
                    label: choice.plain_label(),
                    instrument: def.id.clone(),
                    value: value_text(other).unwrap_or_default(),
                });
            }
            notices.push(format!(
                "field {}: choice {} is labelled \"{}\", which is not how {} words that answer",
                field.name,
                choice.code,
                choice.plain_label(),
                def.id
            ));
        }
        return Ok(Vec::new());
    }
    let refusal = || RedcapError::Choices {
        field: field.name.clone(),
        found: span(choices.iter().map(|c| c.code.as_str())),
        instrument: def.id.clone(),
        expected: span(values.iter().map(String::as_str)),
        by_label: recode_by_label,
    };
    if !recode_by_label {
        return Err(refusal());
    }
    let mut recode = Vec::new();
    for choice in choices {
        let matched: Vec<&ResponseOption> = options.iter().filter(|o| names(choice, o)).collect();
        match matched.as_slice() {
            [option] => match value_text(option) {
                Some(value) => recode.push((choice.code.clone(), value)),
                None => return Err(refusal()),
            },
            _ => {
                return Err(RedcapError::UnknownLabel {
                    field: field.name.clone(),
                    code: choice.code.clone(),
                    label: choice.plain_label(),
                    instrument: def.id.clone(),
                });
            }
        }
    }
    Ok(recode)
}

/// Record the form's calculated fields: one named as a score column, or the only one on the
/// form of an instrument with one scale, is that scale's score as REDCap computes it.
fn calculated(
    def: &Definition,
    fields: &[&Field],
    map: &mut ColumnMap,
    notices: &mut Vec<String>,
) -> Result<(), RedcapError> {
    let calcs: Vec<&Field> = fields
        .iter()
        .copied()
        .filter(|f| f.field_type == FieldType::Calc)
        .collect();
    for calc in &calcs {
        let named = def.scales.iter().find(|s| {
            let column = format!("{}_{}", def.id, s.id);
            calc.name.eq_ignore_ascii_case(&column)
                || calc
                    .name
                    .to_lowercase()
                    .ends_with(&format!("_{}", s.id.to_lowercase()))
        });
        let scale = named.or((calcs.len() == 1 && def.scales.len() == 1).then(|| &def.scales[0]));
        match scale {
            Some(scale) => {
                let to = format!("{}_{}", def.id, scale.id);
                map.insert(&calc.name, &to)
                    .map_err(|message| RedcapError::Map { message })?;
            }
            None => notices.push(format!(
                "calculated field {} is not matched to a scale of {}: add a line `{},{}_SCALE` to compare it",
                calc.name, def.id, calc.name, def.id
            )),
        }
    }
    Ok(())
}

/// Whether two codes are the same number (`1` and `1.0`), or the same text.
fn numeric_eq(a: &str, b: &str) -> bool {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

/// Codes as a person reads them: `0–3` for a run of whole numbers, else `a, b, c`.
fn span<'a>(codes: impl Iterator<Item = &'a str>) -> String {
    let codes: Vec<&str> = codes.collect();
    let numbers: Option<Vec<i64>> = codes.iter().map(|c| c.trim().parse().ok()).collect();
    if let Some(mut n) = numbers
        && n.len() > 2
    {
        n.sort_unstable();
        if n.windows(2).all(|w| w[1] == w[0] + 1) {
            return format!("{}–{}", n[0], n[n.len() - 1]);
        }
    }
    codes.join(", ")
}
