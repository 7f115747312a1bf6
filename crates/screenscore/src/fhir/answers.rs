//! An item's answers as the cell the engine reads: a LOINC answer code as its option's value,
//! a number as written, a string as written (labels and aliases are the engine's), a coding of
//! another system through the Questionnaire's weight; a data-absent reason as no answer.
//! Whatever cannot be one answer becomes a cell that names the problem, which the engine then
//! refuses, so the response is `invalid` with both sides named and nothing is overridden.

use crate::definition::{LOINC_SYSTEM, ResponseOption};

use super::{Answer, AnswerValue, Coding, Extension, Questionnaire};

/// The data-absent-reason extension (FHIR R4 core): an answer asked but not given.
const DATA_ABSENT_REASON: &str = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

/// What an item's answers come to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// No answer (none given, or a data-absent reason).
    Missing,
    /// The cell to score.
    Text(String),
}

/// Notes about an answer that was read (the answer stands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AnswerNote {
    /// A LOINC answer code without a system, read as LOINC's.
    NoSystem { link_id: String, code: String },
}

/// The cell of an item answered with `answers` (its options `options`; `link_id` and the
/// Questionnaires to find weights of other systems' codings).
pub(crate) fn cell(
    link_id: &str,
    answers: &[Answer],
    options: &[ResponseOption],
    questionnaires: &[Questionnaire],
    notes: &mut Vec<AnswerNote>,
) -> Cell {
    let absent = |e: &[Extension]| e.iter().any(|x| x.url == DATA_ABSENT_REASON);
    let given: Vec<&Answer> = answers.iter().filter(|a| !absent(&a.extension)).collect();
    match given.as_slice() {
        [] => Cell::Missing,
        [one] => match &one.value {
            None => Cell::Missing,
            Some(value) => value_cell(link_id, value, options, questionnaires, notes),
        },
        several => {
            let shown: Vec<String> = several
                .iter()
                .filter_map(|a| a.value.as_ref())
                .map(shown)
                .collect();
            Cell::Text(format!("several answers: {}", shown.join("; ")))
        }
    }
}

/// A value as a person reads it, in messages.
fn shown(value: &AnswerValue) -> String {
    match value.as_coding() {
        Some(c) => c.code.clone().unwrap_or_default(),
        None => value
            .as_f64()
            .map(|x| x.to_string())
            .or_else(|| value.as_str().map(str::to_string))
            .unwrap_or_else(|| value.key().to_string()),
    }
}

fn value_cell(
    link_id: &str,
    value: &AnswerValue,
    options: &[ResponseOption],
    questionnaires: &[Questionnaire],
    notes: &mut Vec<AnswerNote>,
) -> Cell {
    if let Some(coding) = value.as_coding() {
        return coding_cell(link_id, coding, options, questionnaires, notes);
    }
    if let Some(x) = value.as_f64() {
        return Cell::Text(x.to_string());
    }
    match value.as_str() {
        Some(text) => Cell::Text(text.to_string()),
        None => Cell::Text(format!("an answer of type {}", value.key())),
    }
}

fn coding_cell(
    link_id: &str,
    coding: &Coding,
    options: &[ResponseOption],
    questionnaires: &[Questionnaire],
    notes: &mut Vec<AnswerNote>,
) -> Cell {
    let code = coding.code.as_deref().unwrap_or_default().trim();
    let loinc = match coding.system.as_deref() {
        Some(LOINC_SYSTEM) => true,
        None => {
            // A code without a system is read as LOINC's when it is an option's LOINC code.
            let known = options.iter().any(|o| o.code.as_deref() == Some(code));
            if known {
                notes.push(AnswerNote::NoSystem {
                    link_id: link_id.to_string(),
                    code: code.to_string(),
                });
            }
            known
        }
        Some(_) => false,
    };
    let by_code = loinc
        .then(|| options.iter().find(|o| o.code.as_deref() == Some(code)))
        .flatten()
        .and_then(|o| o.value);
    let weight = questionnaires
        .iter()
        .find_map(|q| q.weight_of(link_id, coding))
        .or_else(|| coding.weight());
    match (by_code, weight) {
        (Some(value), Some(w)) if value != w => Cell::Text(format!(
            "LOINC {code} is {value}, but the Questionnaire weighs it {w}"
        )),
        (Some(value), _) => Cell::Text(value.to_string()),
        (None, Some(w)) if options.iter().any(|o| o.value == Some(w)) => Cell::Text(w.to_string()),
        (None, Some(w)) => Cell::Text(format!("{code} weighs {w}")),
        // A definition that gives its answers no codes reads a coding by its display, as it
        // reads a string: against the labels and aliases.
        (None, None) if !options.iter().any(|o| o.code.is_some()) && coding.display.is_some() => {
            Cell::Text(coding.display.clone().unwrap_or_default())
        }
        (None, None) if loinc || coding.system.is_none() => Cell::Text(code.to_string()),
        (None, None) => Cell::Text(format!("{code}: no weight")),
    }
}
