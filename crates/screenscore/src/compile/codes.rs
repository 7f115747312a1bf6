//! Standard codes and Questionnaire URLs: each system and URL an absolute URI, each code
//! non-empty, no (system, code) twice in one list.

use std::collections::HashMap;

use super::Compiler;
use crate::definition::Code;

impl Compiler<'_> {
    /// Check the instrument's, every item's and every scale's codes, and the Questionnaire URLs.
    pub(super) fn codes(&mut self) {
        let def = self.def;
        self.code_list("codes", &def.codes);
        for (q, questionnaire) in def.questionnaires.iter().enumerate() {
            if !is_uri(&questionnaire.url) {
                self.problem(
                    format!("questionnaires[{q}].url"),
                    not_a_uri(
                        &questionnaire.url,
                        "a Questionnaire's canonical URL is absolute, such as `http://hl7.org/fhir/us/core/Questionnaire/phq-9-example`",
                    ),
                );
            }
        }
        for (i, item) in def.items.iter().enumerate() {
            self.code_list(&format!("items[{i}].codes"), &item.codes);
        }
        for (s, scale) in def.scales.iter().enumerate() {
            self.code_list(&format!("scales[{s}].codes"), &scale.codes);
        }
    }

    fn code_list(&mut self, path: &str, codes: &[Code]) {
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for (k, code) in codes.iter().enumerate() {
            if !is_uri(&code.system) {
                self.problem(
                    format!("{path}[{k}].system"),
                    not_a_uri(
                        &code.system,
                        "a code system is named by an absolute URI, such as `http://loinc.org`",
                    ),
                );
            }
            if code.code.trim().is_empty() {
                self.problem(format!("{path}[{k}].code"), "must not be empty");
            } else if let Some(first) = seen.insert((&code.system, &code.code), k) {
                self.problem(
                    format!("{path}[{k}].code"),
                    format!(
                        "code `{}` of `{}` is already listed at {path}[{first}]",
                        code.code, code.system
                    ),
                );
            }
        }
    }
}

fn not_a_uri(text: &str, expected: &str) -> String {
    format!("`{text}` is not a URI: {expected}")
}

/// An absolute URI as RFC 3986 begins one: a scheme (a letter, then letters, digits, `+`, `-`,
/// `.`), a colon and something after it, with no whitespace or control characters.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_uri;

    #[test]
    fn uris_need_a_scheme_and_no_spaces() {
        assert!(is_uri("http://loinc.org"));
        assert!(is_uri("urn:oid:2.16.840.1.113883.6.1"));
        assert!(is_uri(
            "http://hl7.org/fhir/us/core/Questionnaire/phq-9-example"
        ));
        assert!(!is_uri("loinc"));
        assert!(!is_uri("http:"));
        assert!(!is_uri("1http://x"));
        assert!(!is_uri("http://loinc .org"));
        assert!(!is_uri(":x"));
    }
}
