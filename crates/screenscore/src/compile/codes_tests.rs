//! The checks of standard codes and Questionnaire URLs, with the messages a person reads.

use serde_json::{Value, json};

use crate::Instrument;

const DEMO: &str = include_str!("../../testdata/demo.json");

/// Load the demo definition with `edit` applied, and return the error message, or "ok".
fn load(edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(DEMO).unwrap();
    edit(&mut v);
    match Instrument::from_json_named(&serde_json::to_string_pretty(&v).unwrap(), "demo.json") {
        Ok(_) => "ok".to_string(),
        Err(e) => e.to_string(),
    }
}

fn code(system: &str, code: &str) -> Value {
    json!({"system": system, "code": code, "source": {"ref": "a test", "evidence": "secondary"}})
}

#[test]
fn codes_are_optional_and_accepted_where_valid() {
    assert_eq!(load(|_| {}), "ok");
    let ok = load(|v| {
        v["codes"] = json!([code("http://loinc.org", "44249-1")]);
        v["questionnaires"] = json!([{"url": "http://hl7.org/fhir/us/core/Questionnaire/phq-9-example", "source": {"ref": "a test", "evidence": "secondary"}}]);
        v["items"][0]["codes"] = json!([
            code("http://loinc.org", "44250-9"),
            code("urn:oid:2.16.840.1.113883.6.1", "44250-9")
        ]);
        v["scales"][0]["codes"] = json!([code("http://loinc.org", "44261-6")]);
    });
    assert_eq!(ok, "ok");
}

#[test]
fn a_code_system_must_be_a_uri() {
    let message = load(|v| v["codes"] = json!([code("LOINC", "44249-1")]));
    insta::assert_snapshot!(message, @"demo.json: codes[0].system: `LOINC` is not a URI: a code system is named by an absolute URI, such as `http://loinc.org`");
}

#[test]
fn a_code_must_not_be_empty() {
    let message = load(|v| v["items"][1]["codes"] = json!([code("http://loinc.org", " ")]));
    insta::assert_snapshot!(message, @"demo.json: items[1].codes[0].code: must not be empty");
}

#[test]
fn a_code_may_not_be_listed_twice() {
    let message = load(|v| {
        v["scales"][0]["codes"] = json!([
            code("http://loinc.org", "44261-6"),
            code("http://loinc.org", "70274-6"),
            code("http://loinc.org", "44261-6")
        ])
    });
    insta::assert_snapshot!(message, @"demo.json: scales[0].codes[2].code: code `44261-6` of `http://loinc.org` is already listed at scales[0].codes[0]");
}

#[test]
fn a_questionnaire_url_must_be_a_uri() {
    let message = load(|v| {
        v["questionnaires"] =
            json!([{"url": "phq-9 example", "source": {"ref": "a test", "evidence": "secondary"}}])
    });
    insta::assert_snapshot!(message, @"demo.json: questionnaires[0].url: `phq-9 example` is not a URI: a Questionnaire's canonical URL is absolute, such as `http://hl7.org/fhir/us/core/Questionnaire/phq-9-example`");
}

#[test]
fn a_code_needs_a_source() {
    let message = load(|v| v["codes"] = json!([{"system": "http://loinc.org", "code": "44249-1"}]));
    insta::assert_snapshot!(message, @"demo.json: codes[0]: missing field `source` at line 27 column 5");
}
