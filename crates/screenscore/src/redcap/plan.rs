//! A REDCap export scored as it is: for each instrument, the form its items are on, how the
//! export writes their answers (codes, or labels in a label export), REDCap's own scores of its
//! scales, and the form's completion and timestamp columns, as [`FormPlan`]s for the batch.

use std::collections::BTreeSet;

use crate::batch::{ColumnMap, FormPlan, ItemAnswers, StatedScore};
use crate::columns::item_column;
use crate::instrument::Instrument;

use super::{Dictionary, FieldType, RedcapError};

/// Columns REDCap adds to every export of a project of that kind.
const SYSTEM_COLUMNS: [&str; 5] = [
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
    "redcap_survey_identifier",
    "redcap_data_access_group",
];

/// The form plans of `instruments` in an export of the project whose dictionary is
/// `dictionary`, its columns renamed by `map`.
///
/// An item's column is the field the map renames to it, or the field named as the column.
/// Every field the map names must be in the dictionary (a map derived from another project's
/// dictionary is refused), and no item may be a checkbox field (its `field___code` columns
/// hold several answers, not one).
///
/// ```
/// use screenscore::batch::ColumnMap;
/// use screenscore::redcap::{Dictionary, form_plans};
/// use screenscore::Instrument;
///
/// let dictionary = Dictionary::from_csv(
///     b"field_name,form_name,section_header,field_type,field_label,\
///       select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,\
///       text_validation_min,text_validation_max,identifier,branching_logic,required_field,\
///       custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation\n\
///       record_id,gad,,text,Record ID,,,,,,,,,,,,,\n\
///       g1,gad,,radio,One,\"0, Not at all | 1, Several days\",,,,,,,,,,,,\n\
///       g2,gad,,radio,Two,\"0, Not at all | 1, Several days\",,,,,,,,,,,,\n\
///       gad2_total,gad,,calc,Total,\"sum([g1],[g2])\",,,,,,,,,,,,\n",
/// )?;
/// let map = ColumnMap::from_csv("from,to\ng1,gad2_1\ng2,gad2_2\n".as_bytes())?;
/// let plans = form_plans(&dictionary, &map, &[Instrument::builtin("gad2")?.clone()])?;
/// assert_eq!(plans[0].form, "gad");
/// assert_eq!(plans[0].status_column.as_deref(), Some("gad_complete"));
/// assert_eq!(plans[0].stated[0].column, "gad2_total");
/// assert_eq!(plans[0].answers[0].labels[1], ("Several days".to_string(), "1".to_string()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn form_plans(
    dictionary: &Dictionary,
    map: &ColumnMap,
    instruments: &[Instrument],
) -> Result<Vec<FormPlan>, RedcapError> {
    let columns = export_columns(dictionary);
    for (from, to) in map.entries() {
        // A field (a checkbox field is refused below, with its reason) or a column of an export.
        if dictionary.field(from.trim()).is_none() && !columns.contains(&from.trim().to_lowercase())
        {
            return Err(RedcapError::NotAField {
                field: from.to_string(),
                to: to.to_string(),
            });
        }
    }
    let mut plans = Vec::new();
    for instrument in instruments {
        let def = instrument.definition();
        let mut plan = FormPlan {
            instrument: def.id.clone(),
            ..FormPlan::default()
        };
        for i in 0..def.items.len() {
            let column = item_column(def, i).to_string();
            let name = map.source_of(&column).unwrap_or(&column);
            let Some(field) = dictionary.field(name) else {
                continue;
            };
            if field.field_type == FieldType::Checkbox || !field.is_single_choice() {
                return Err(RedcapError::NotSingleChoice {
                    field: field.name.clone(),
                    field_type: field.field_type.as_str(),
                    item: column,
                });
            }
            if plan.form.is_empty() {
                plan.form = field.form.clone();
            }
            let recode = map.recode(&column).unwrap_or_default();
            let value_of = |code: &str| -> Option<String> {
                match recode.iter().find(|(c, _)| c == code) {
                    Some((_, value)) => Some(value.clone()),
                    None if recode.is_empty() => Some(code.to_string()),
                    None => None,
                }
            };
            let mut answers = ItemAnswers {
                item: def.items[i].id.clone(),
                ..ItemAnswers::default()
            };
            for choice in &field.choices {
                let Some(value) = value_of(&choice.code) else {
                    continue;
                };
                for label in [choice.plain_label(), choice.label.trim().to_string()] {
                    if !answers.labels.iter().any(|(l, _)| *l == label) {
                        answers.labels.push((label, value.clone()));
                    }
                }
            }
            answers.codes = recode.to_vec();
            plan.answers.push(answers);
        }
        if plan.form.is_empty() {
            continue;
        }
        for scale in &def.scales {
            let column = format!("{}_{}", def.id, scale.id);
            let stated = map.source_of(&column).map(str::to_string).or_else(|| {
                dictionary
                    .field(&column)
                    .filter(|f| f.field_type == FieldType::Calc && f.form == plan.form)
                    .map(|f| f.name.clone())
            });
            if let Some(column) = stated {
                plan.stated.push(StatedScore {
                    scale: scale.id.clone(),
                    column,
                });
            }
        }
        plan.status_column = Some(format!("{}_complete", plan.form));
        plan.timestamp_column = Some(format!("{}_timestamp", plan.form));
        plans.push(plan);
    }
    Ok(plans)
}

/// The columns an export of the project may have, lowercased: the record id and every
/// field (a checkbox field as its `field___code` columns), each form's `_complete` and
/// `_timestamp`, and those REDCap adds to exports of longitudinal, repeating and survey projects.
///
/// ```
/// use screenscore::redcap::{Dictionary, export_columns};
///
/// let dictionary = Dictionary::from_csv(
///     b"field_name,form_name,section_header,field_type,field_label,\
///       select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number\n\
///       record_id,intake,,text,Record ID,,,\n\
///       contact,intake,,checkbox,Contact,\"1, Phone | 2, Email\",,\n",
/// )?;
/// let columns = export_columns(&dictionary);
/// assert!(columns.contains("contact___2"));
/// assert!(columns.contains("intake_complete"));
/// assert!(!columns.contains("contact"));
/// # Ok::<(), screenscore::redcap::DictionaryError>(())
/// ```
pub fn export_columns(dictionary: &Dictionary) -> BTreeSet<String> {
    let mut columns: BTreeSet<String> = SYSTEM_COLUMNS.iter().map(|c| c.to_string()).collect();
    for field in dictionary.fields() {
        let name = field.name.to_lowercase();
        if field.field_type == FieldType::Checkbox {
            for choice in &field.choices {
                columns.insert(format!("{name}___{}", choice.code.to_lowercase()));
            }
        } else {
            columns.insert(name);
        }
    }
    for form in dictionary.forms() {
        let form = form.to_lowercase();
        columns.insert(format!("{form}_complete"));
        columns.insert(format!("{form}_timestamp"));
    }
    columns
}

/// The unique event names of REDCap's event export (its `unique_event_name` column), in the
/// file's order: the project's events, arm by arm, in the order they happen.
///
/// ```
/// let events = screenscore::redcap::read_event_order(
///     b"event_name,arm_num,unique_event_name,custom_event_label,event_id\n\
///       Baseline,1,baseline_arm_1,,10\nWeek 4,1,week_4_arm_1,,11\n",
/// )?;
/// assert_eq!(events, ["baseline_arm_1", "week_4_arm_1"]);
/// # Ok::<(), screenscore::redcap::RedcapError>(())
/// ```
pub fn read_event_order(bytes: &[u8]) -> Result<Vec<String>, RedcapError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let problem = |message: String| RedcapError::Events { message };
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| problem(e.to_string()))?
        .clone();
    let Some(column) = header.iter().position(|h| h.trim() == "unique_event_name") else {
        return Err(problem(format!(
            "no `unique_event_name` column (found {}): give REDCap's event export",
            header.iter().collect::<Vec<_>>().join(",")
        )));
    };
    let mut events: Vec<String> = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = record.map_err(|e| problem(e.to_string()))?;
        let name = record.get(column).unwrap_or_default().trim().to_string();
        if name.is_empty() {
            return Err(problem(format!("line {line}: no unique event name")));
        }
        if events.contains(&name) {
            return Err(problem(format!(
                "line {line}: event {name} is listed twice"
            )));
        }
        events.push(name);
    }
    if events.is_empty() {
        return Err(problem("no events".to_string()));
    }
    Ok(events)
}

/// [`read_event_order`] of the file `path` (a regular file of at most 16 MiB).
pub fn event_order(path: &std::path::Path) -> Result<Vec<String>, RedcapError> {
    let bytes = crate::small_file::read(path).map_err(|e| RedcapError::Events {
        message: format!("cannot read it: {e}"),
    })?;
    read_event_order(&bytes)
}
