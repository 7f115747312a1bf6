//! The choices column of radio, dropdown and checkbox fields: `0, Not at all | 1, Several days`.
//!
//! Choices are separated by `|`; each is its code, a comma, and its label (which may hold
//! commas: only the first comma separates). Code and label are trimmed. A code is a whole
//! number (`0`, `-1`), a decimal (`1.5`), or letters, digits and `_` (`a`, `yes_1`): the codes
//! REDCap accepts for a choice. (REDCap's guide to the data dictionary, column F; the fixture
//! dictionaries of REDCapR use `0, Female | 1, Male` and `a, A|b, B`.)

use super::dictionary::Choice;

/// Why a choices cell could not be read: the part at fault, and the reason.
pub(super) struct Refusal {
    pub text: String,
    pub reason: String,
}

/// The choices of `text`; at least one.
pub(super) fn parse(text: &str) -> Result<Vec<Choice>, Refusal> {
    let refuse = |part: &str, reason: &str| Refusal {
        text: part.to_string(),
        reason: reason.to_string(),
    };
    if text.trim().is_empty() {
        return Err(refuse(
            text,
            "there are no choices; a radio, dropdown or checkbox field needs them, \
             written `1, First | 2, Second`",
        ));
    }
    let mut choices: Vec<Choice> = Vec::new();
    for part in text.split('|') {
        let trimmed = part.trim();
        if trimmed.is_empty() {
            return Err(refuse(
                text,
                "a choice is empty (two `|` with nothing between them, or one at an end)",
            ));
        }
        let Some((code, label)) = trimmed.split_once(',') else {
            return Err(refuse(
                trimmed,
                "a choice has no comma: write its code, a comma and its label (`1, Yes`)",
            ));
        };
        let (code, label) = (code.trim(), label.trim());
        if code.is_empty() {
            return Err(refuse(trimmed, "a choice has an empty code"));
        }
        if !is_code(code) {
            return Err(refuse(
                trimmed,
                "a code must be a number (`2`, `-1`) or letters, digits and `_` (`a_1`)",
            ));
        }
        if choices.iter().any(|c| c.code == code) {
            return Err(Refusal {
                text: trimmed.to_string(),
                reason: format!("code `{code}` is used by an earlier choice"),
            });
        }
        choices.push(Choice {
            code: code.to_string(),
            label: label.to_string(),
        });
    }
    Ok(choices)
}

/// Whether `code` is a number REDCap accepts as a code: `-`, digits, and at most one `.`
/// between digits (`-1`, `2.5`).
pub(super) fn is_numeric_code(code: &str) -> bool {
    let digits = code.strip_prefix('-').unwrap_or(code);
    let mut parts = digits.split('.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    parts.next().is_none() && all_digits(whole) && fraction.is_none_or(all_digits)
}

fn is_code(code: &str) -> bool {
    is_numeric_code(code) || code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}
