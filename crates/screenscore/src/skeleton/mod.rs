//! What every definition skeleton shares (`screenscore redcap skeleton`, `screenscore fhir
//! import-questionnaire`): the placeholder scale, the definition id made of a name, numbers
//! written as the bundled definitions write them, the JSON laid out as a person reads it, and
//! the check that the skeleton is a definition.
//!
//! A skeleton invents no scoring: no bands, no rules, no published numbers. A definition needs
//! at least one scale, so a skeleton has one placeholder, [`PLACEHOLDER_SCALE`]: the sum of the
//! scored items, scored only when every one is answered (no missing-data rule was read, so none
//! is prorated), `higher_is: worse` because a scale must state a direction, with a note
//! (`placeholder_note`) that says so.

mod pretty;

use serde_json::{Value, json};

/// The placeholder scale's id.
pub const PLACEHOLDER_SCALE: &str = "placeholder_sum";

/// The placeholder scale: the sum of `scored`, only when every one is answered. `tool` names
/// the command that wrote it and `no_rule` says why no missing-data rule was read (`the data
/// dictionary holds no missing-data rule`).
pub(crate) fn placeholder_scale(scored: &[String], tool: &str, no_rule: &str) -> Value {
    json!({
        "id": PLACEHOLDER_SCALE,
        "label": "Sum of the scored items (placeholder, not a validated score)",
        "items": scored,
        "method": "sum",
        "missing": {
            "max_missing": 0,
            "source": {
                "ref": format!("{tool}: placeholder, scored only when every item is answered; {no_rule}"),
                "evidence": "policy",
            },
        },
        "higher_is": "worse",
    })
}

/// The note on the placeholder scale: `why` says why there is one (`a data dictionary holds no
/// scoring`).
pub(crate) fn placeholder_note(scored: usize, why: &str) -> String {
    format!(
        "Scale `{PLACEHOLDER_SCALE}` is a placeholder: a definition needs a scale and {why}. It \
         sums the {}, only when every one is answered (no missing-data rule was read); it has no \
         bands, and its direction (higher_is: worse) was not read from anywhere. Replace it with \
         the instrument's published scoring.",
        crate::text::count(scored as u64, "scored item", "scored items")
    )
}

/// A left-out part as a note of the definition: its text with a capital first letter.
pub(crate) fn as_note(left_out: &impl std::fmt::Display) -> String {
    let mut text = left_out.to_string();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// A number as the bundled definitions write it: whole numbers without a fraction (`1`, not
/// `1.0`).
pub(crate) fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

/// A name as a definition id: lowercase letters, digits and `_`, starting with a letter
/// (`form_` is put before a name that does not).
///
/// ```
/// use screenscore::redcap::skeleton::definition_id;
/// assert_eq!(definition_id("PHQ-9 Form"), "phq_9_form");
/// assert_eq!(definition_id("2nd_visit"), "form_2nd_visit");
/// ```
pub fn definition_id(name: &str) -> String {
    let mut id: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id.insert_str(0, "form_");
    }
    id
}

/// A skeleton's JSON as a person reads it: two-space indents, keys in the order of the
/// definition format (`id` first), an object of plain values on one line when it fits.
pub fn to_json_pretty(definition: &Value) -> String {
    pretty::pretty(definition)
}

/// Whether `definition` is a definition: the checks of `Instrument::from_json`, as
/// `instruments check` runs them; the error's text when it is not.
pub(crate) fn check(definition: &Value) -> Result<(), String> {
    crate::Instrument::from_json(&definition.to_string())
        .map(|_| ())
        .map_err(|e| e.to_string())
}
