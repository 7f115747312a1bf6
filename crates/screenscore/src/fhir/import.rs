//! A definition skeleton from a Questionnaire whose answers carry weights (`screenscore fhir
//! import-questionnaire`).
//!
//! - Items: the `choice` (and `open-choice`) items, at any depth, whose every answer has a
//!   weight: an answer option's ([`AnswerOption::weight`](super::AnswerOption::weight): `itemWeight` or `ordinalValue`, on
//!   the option or its coding), or, for answers from a contained ValueSet (`answerValueSet:
//!   #id`), [`Questionnaire::weight_of`](super::Questionnaire::weight_of). Item ids are their numbers in form order (`1`, `2`,
//!   …), labels the item's text (or its linkId), `codes` the item's codes; each item's
//!   `source` names the file and the linkId.
//! - Answers: value the weight, label the coding's display (or its code, or the value as
//!   written), `code` the LOINC answer code (system `http://loinc.org`) where there is one.
//!   Items with the same answers (values, labels and codes) share one response set.
//! - Everything else is left out ([`LeftOutItem`]), with why: items of other types, choice
//!   items with an answer without a weight. Groups are entered, not listed.
//! - The Questionnaire's `code` becomes the definition's `codes`, its `url` one of its
//!   `questionnaires`, its `copyright` the licence's terms; each sourced to the file.
//! - Scoring is left to a person: one placeholder scale, as every skeleton has
//!   ([`crate::skeleton`]), and `status: unvalidated`.

use serde_json::{Value, json};

use crate::definition::{LOINC_SYSTEM, is_loinc_answer};
use crate::skeleton::{self, definition_id, number, placeholder_note, placeholder_scale};

use super::datatypes::Coding;
use super::questionnaire::{ContainedResource, Questionnaire, QuestionnaireItem};
use super::value::AnswerValue;

/// A skeleton definition made of a Questionnaire, and the items it left out.
#[derive(Debug, Clone)]
pub struct QuestionnaireSkeleton {
    /// The definition, as JSON (it passes the checks of `Instrument::from_json`).
    pub definition: Value,
    /// The items of the Questionnaire that are not items of the skeleton, in form order.
    pub left_out: Vec<LeftOutItem>,
}

impl QuestionnaireSkeleton {
    /// The definition as a person reads it ([`crate::skeleton::to_json_pretty`]).
    pub fn to_json_pretty(&self) -> String {
        skeleton::to_json_pretty(&self.definition)
    }
}

/// An item of the Questionnaire left out of the skeleton, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOutItem {
    /// Its linkId.
    pub link_id: String,
    /// Its type (`decimal`, `display`, `choice`, …; `(none)` when it has none).
    pub type_: String,
    /// Why it is not an item.
    pub reason: String,
}

impl std::fmt::Display for LeftOutItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "left out linkId `{}` ({}): {}",
            self.link_id, self.type_, self.reason
        )
    }
}

/// Why a Questionnaire makes no skeleton.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// No choice item has weights on all its answers.
    #[error(
        "no choice item has a weight (itemWeight or ordinalValue) on each of its answers, so \
         there is nothing to score; {}",
        left_out_list(.left_out)
    )]
    NoWeightedItems {
        /// Every item, and why it was left out.
        left_out: Vec<LeftOutItem>,
    },
    /// The skeleton failed the definition checks (a bug, or answers no definition can hold).
    #[error("the skeleton is not a valid definition: {0}")]
    Skeleton(String),
}

fn left_out_list(items: &[LeftOutItem]) -> String {
    if items.is_empty() {
        return "the Questionnaire has no items".to_string();
    }
    let list: Vec<String> = items
        .iter()
        .map(|i| format!("{} ({}: {})", i.link_id, i.type_, i.reason))
        .collect();
    format!("its items: {}", list.join("; "))
}

/// One answer of an imported item.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    weight: f64,
    label: String,
    code: Option<String>,
}

/// A response set of the skeleton, and the items answered on it.
struct Set {
    id: String,
    answers: Vec<Answer>,
    link_ids: Vec<String>,
}

/// The skeleton of a definition for `q`; `source_name` names the Questionnaire's file in every
/// `source` (`Q.json, item linkId /44250-9`).
///
/// ```
/// use screenscore::Instrument;
/// use screenscore::fhir::{Questionnaire, skeleton_of};
///
/// let q: Questionnaire = serde_json::from_str(r#"{"resourceType": "Questionnaire",
///   "title": "Mood check", "item": [
///   {"linkId": "low", "text": "Low?", "type": "choice", "answerOption": [
///     {"valueCoding": {"code": "n", "display": "No"}, "extension": [
///       {"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 0}]},
///     {"valueCoding": {"code": "y", "display": "Yes"}, "extension": [
///       {"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 1}]}]},
///   {"linkId": "note", "text": "Anything else?", "type": "string"}]}"#)?;
/// let skeleton = skeleton_of(&q, "mood.json")?;
/// assert_eq!(skeleton.left_out[0].to_string(), "left out linkId `note` (string): a string item, not a choice");
/// let definition = &skeleton.definition;
/// assert_eq!(definition["id"], "mood_check");
/// assert_eq!(definition["items"][0]["source"]["ref"], "mood.json, item linkId low");
/// let instrument = Instrument::from_json(&definition.to_string()).unwrap();
/// assert_eq!(instrument.scale_range("placeholder_sum"), Some((0.0, 1.0)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn skeleton_of(
    q: &Questionnaire,
    source_name: &str,
) -> Result<QuestionnaireSkeleton, ImportError> {
    let mut sets: Vec<Set> = Vec::new();
    let mut items = Vec::new();
    let mut left_out = Vec::new();
    let mut stack: Vec<&QuestionnaireItem> = q.item.iter().rev().collect();
    while let Some(item) = stack.pop() {
        stack.extend(item.item.iter().rev());
        let type_ = item.type_.as_deref().unwrap_or("(none)");
        if type_ == "group" {
            continue;
        }
        let answers = match answers(q, item) {
            Ok(answers) => answers,
            Err(reason) => {
                left_out.push(LeftOutItem {
                    link_id: item.link_id.clone(),
                    type_: type_.to_string(),
                    reason,
                });
                continue;
            }
        };
        let id = (items.len() + 1).to_string();
        let set = match sets.iter_mut().find(|s| s.answers == answers) {
            Some(set) => {
                set.link_ids.push(item.link_id.clone());
                set.id.clone()
            }
            None => {
                let set_id = format!("answers_{id}");
                sets.push(Set {
                    id: set_id.clone(),
                    answers,
                    link_ids: vec![item.link_id.clone()],
                });
                set_id
            }
        };
        let place = format!("{source_name}, item linkId {}", item.link_id);
        let label = item
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(&item.link_id);
        let mut entry = json!({
            "id": id,
            "label": label,
            "response_set": set,
            "source": {"ref": place, "evidence": "secondary"},
        });
        let codes = codes(&item.code, &format!("{place}: code"));
        if !codes.is_empty() {
            entry["codes"] = Value::Array(codes);
        }
        items.push(entry);
    }
    if items.is_empty() {
        return Err(ImportError::NoWeightedItems { left_out });
    }
    let definition = definition(q, source_name, &sets, items, &left_out);
    skeleton::check(&definition).map_err(ImportError::Skeleton)?;
    Ok(QuestionnaireSkeleton {
        definition,
        left_out,
    })
}

/// The weighted answers of a choice item, or why it is left out.
fn answers(q: &Questionnaire, item: &QuestionnaireItem) -> Result<Vec<Answer>, String> {
    let type_ = item.type_.as_deref().unwrap_or("(none)");
    if !matches!(type_, "choice" | "open-choice") {
        return Err(format!("a {type_} item, not a choice"));
    }
    let listed: Vec<(Option<f64>, &AnswerValue)> = if !item.answer_option.is_empty() {
        item.answer_option
            .iter()
            .map(|o| {
                let weight = o.weight().or_else(|| {
                    o.value
                        .as_coding()
                        .and_then(|c| q.weight_of(&item.link_id, c))
                });
                (weight, &o.value)
            })
            .collect()
    } else {
        Vec::new()
    };
    let from_value_set;
    let listed = if listed.is_empty() {
        from_value_set = value_set_answers(q, item)?;
        from_value_set
            .iter()
            .map(|(w, v)| (*w, v))
            .collect::<Vec<_>>()
    } else {
        listed
    };
    let unweighted: Vec<String> = listed
        .iter()
        .filter(|(w, _)| w.is_none())
        .map(|(_, v)| label_of(v))
        .collect();
    if unweighted.len() == listed.len() {
        return Err("its answers carry no weight (itemWeight or ordinalValue)".to_string());
    }
    if !unweighted.is_empty() {
        return Err(format!(
            "answers {} carry no weight (itemWeight or ordinalValue)",
            unweighted.join(", ")
        ));
    }
    let mut answers: Vec<Answer> = listed
        .iter()
        .map(|(w, v)| Answer {
            weight: w.unwrap_or_default(),
            label: label_of(v),
            code: v
                .as_coding()
                .filter(|c| c.system.as_deref() == Some(LOINC_SYSTEM))
                .and_then(|c| c.code.clone())
                .filter(|c| is_loinc_answer(c)),
        })
        .collect();
    // Two answers written alike, or an answer labelled as another's weight, would make input
    // ambiguous: say which weight each is.
    let labels: Vec<String> = answers.iter().map(|a| a.label.clone()).collect();
    for (i, answer) in answers.iter_mut().enumerate() {
        let as_number = answer.label.parse::<f64>().ok();
        let clashes = as_number.is_some_and(|n| n != answer.weight)
            || labels
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && other.eq_ignore_ascii_case(&answer.label));
        if clashes {
            answer.label = format!(
                "{} (weight {})",
                answer.label,
                crate::format_score(answer.weight)
            );
        }
    }
    Ok(answers)
}

/// The answers of an item from a contained ValueSet (`answerValueSet: #id`), with their
/// weights.
fn value_set_answers(
    q: &Questionnaire,
    item: &QuestionnaireItem,
) -> Result<Vec<(Option<f64>, AnswerValue)>, String> {
    let Some(reference) = item.answer_value_set.as_deref() else {
        return Err("a choice item with no answers listed".to_string());
    };
    let id = reference.strip_prefix('#').ok_or_else(|| {
        format!("its answers are the ValueSet {reference}, which is not in the file")
    })?;
    let value_set = q
        .contained
        .iter()
        .find_map(|c| match c {
            ContainedResource::ValueSet(vs) if vs.id.as_deref() == Some(id) => Some(vs),
            _ => None,
        })
        .ok_or_else(|| {
            format!("its answers are the ValueSet {reference}, which is not contained")
        })?;
    let mut answers = Vec::new();
    for include in &value_set.compose.include {
        for concept in &include.concept {
            let mut coding = Coding::new(include.system.clone().unwrap_or_default(), &concept.code);
            if include.system.is_none() {
                coding.system = None;
            }
            coding.display = concept.display.clone();
            let weight = q.weight_of(&item.link_id, &coding);
            answers.push((weight, AnswerValue::Coding(coding)));
        }
    }
    if answers.is_empty() {
        return Err(format!(
            "its answers are the ValueSet {reference}, which lists no codes"
        ));
    }
    Ok(answers)
}

/// What an answer is called: a coding's display or code, a string, a number as written.
fn label_of(value: &AnswerValue) -> String {
    match value {
        AnswerValue::Coding(c) => c
            .display
            .clone()
            .or_else(|| c.code.clone())
            .unwrap_or_default(),
        AnswerValue::String(s) => s.clone(),
        AnswerValue::Integer(i) => i.to_string(),
        AnswerValue::Decimal(n) => n.to_string(),
        AnswerValue::Boolean(b) => b.to_string(),
        AnswerValue::Date(s)
        | AnswerValue::DateTime(s)
        | AnswerValue::Time(s)
        | AnswerValue::Uri(s) => s.clone(),
        _ => "(an answer of another type)".to_string(),
    }
}

/// Codings as definition `codes`, each sourced to `place`; codings without a system or code
/// are dropped.
fn codes(codings: &[Coding], place: &str) -> Vec<Value> {
    codings
        .iter()
        .filter_map(|c| {
            let (system, code) = (c.system.as_ref()?, c.code.as_ref()?);
            let mut code = json!({
                "system": system,
                "code": code,
                "source": {"ref": place, "evidence": "secondary"},
            });
            if let Some(display) = &c.display {
                code["display"] = json!(display);
            }
            Some(code)
        })
        .collect()
}

fn definition(
    q: &Questionnaire,
    source: &str,
    sets: &[Set],
    items: Vec<Value>,
    left_out: &[LeftOutItem],
) -> Value {
    let scored: Vec<String> = items
        .iter()
        .filter_map(|i| i["id"].as_str().map(str::to_string))
        .collect();
    let title = q
        .title
        .clone()
        .or_else(|| q.name.clone())
        .unwrap_or_else(|| format!("FHIR Questionnaire {source}"));
    let id_from = q
        .name
        .clone()
        .or_else(|| q.title.clone())
        .or_else(|| q.id.clone())
        .unwrap_or_else(|| source.trim_end_matches(".json").to_string());
    let canonical = match (&q.url, &q.version) {
        (Some(url), Some(version)) => format!("{url}|{version}"),
        (Some(url), None) => url.clone(),
        _ => source.to_string(),
    };
    let mut notes = vec![
        format!(
            "Skeleton written by screenscore {} (`screenscore fhir import-questionnaire`) from \
             the FHIR Questionnaire {source} ({canonical}): {} and {} left out. Nothing in it \
             is validated; check every item, answer and the scale before use.",
            env!("CARGO_PKG_VERSION"),
            crate::text::count(items.len() as u64, "item", "items"),
            crate::text::count(left_out.len() as u64, "item", "items"),
        ),
        "Item ids are the items' numbers in form order; each item's source names its linkId. \
         Item and answer labels are the Questionnaire's text as written. If the instrument's \
         wording is copyrighted, replace them with short summaries in your own words before \
         sharing this file."
            .to_string(),
        "Answer values are the weights the Questionnaire gives its answers (itemWeight or \
         ordinalValue); LOINC answer codes are kept as each answer's code."
            .to_string(),
        placeholder_note(
            scored.len(),
            "a Questionnaire's answer weights are not its scoring",
        ),
    ];
    for set in sets.iter().filter(|s| s.link_ids.len() > 1) {
        notes.push(format!(
            "Response set `{}` is shared by the items of linkIds {}: their answers are the same.",
            set.id,
            set.link_ids.join(", ")
        ));
    }
    notes.extend(left_out.iter().map(crate::skeleton::as_note));
    let response_sets: Vec<Value> = sets
        .iter()
        .map(|set| {
            let options: Vec<Value> = set
                .answers
                .iter()
                .map(|a| {
                    let mut option = json!({"value": number(a.weight), "label": a.label});
                    if let Some(code) = &a.code {
                        option["code"] = json!(code);
                    }
                    option
                })
                .collect();
            json!({"id": set.id, "options": options})
        })
        .collect();
    let terms = match &q.copyright {
        Some(text) => format!("The Questionnaire's copyright statement: {}", text.trim()),
        None => "The Questionnaire states no copyright; find the instrument's terms before \
                 sharing this definition."
            .to_string(),
    };
    let mut definition = json!({
        "id": definition_id(&id_from),
        "name": title,
        "measures": "Not stated in the Questionnaire: say what the instrument measures",
        "version": "0.1.0",
        "status": "unvalidated",
        "citation": format!("FHIR Questionnaire {canonical}, file {source}"),
        "license": {
            "name": "Not stated",
            "terms": terms,
            "commercial_use": "not_stated",
            "source": {"ref": format!("{source}: Questionnaire.copyright"), "evidence": "secondary"},
        },
        "notes": notes,
        "response_sets": response_sets,
        "items": items,
        "scales": [placeholder_scale(
            &scored,
            "screenscore fhir import-questionnaire",
            "the Questionnaire holds no missing-data rule",
        )],
    });
    let panel = codes(&q.code, &format!("{source}: Questionnaire.code"));
    if !panel.is_empty() {
        definition["codes"] = Value::Array(panel);
    }
    if let Some(url) = &q.url {
        definition["questionnaires"] = json!([{
            "url": url,
            "source": {"ref": format!("{source}: Questionnaire.url"), "evidence": "secondary"},
        }]);
    }
    definition
}
