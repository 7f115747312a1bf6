//! The standard codes of the bundled definitions: each list valid and without repeats, no code
//! on two items of one instrument, every code sourced, and PHQ-9's and GAD-7's question codes
//! equal to those of the published FHIR Questionnaires kept under `tests/data/fhir/`.

use std::collections::HashMap;
use std::path::PathBuf;

use screenscore::Instrument;
use screenscore::definition::{Code, LOINC_SYSTEM};
use serde_json::Value;

/// A published Questionnaire kept under `tests/data/fhir/` (see its `.source.txt`).
fn questionnaire(file: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/fhir")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The LOINC code of each top-level item of a Questionnaire that has one, in item order, with
/// the item's linkId.
fn item_codes(q: &Value) -> Vec<(String, Option<String>)> {
    q["item"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let code = item["code"].as_array().and_then(|codes| {
                codes
                    .iter()
                    .find(|c| c["system"] == LOINC_SYSTEM)
                    .map(|c| c["code"].as_str().unwrap().to_string())
            });
            (item["linkId"].as_str().unwrap().to_string(), code)
        })
        .collect()
}

/// The LOINC codes of an instrument's items, in item order (an item without one gives `None`).
fn our_item_codes(instrument: &Instrument) -> Vec<Option<String>> {
    instrument
        .definition()
        .items
        .iter()
        .map(|item| loinc(&item.codes))
        .collect()
}

fn loinc(codes: &[Code]) -> Option<String> {
    codes.iter().find(|c| c.is_loinc()).map(|c| c.code.clone())
}

fn panel(q: &Value) -> String {
    q["code"][0]["code"].as_str().unwrap().to_string()
}

#[test]
fn every_bundled_definition_has_valid_unique_sourced_codes() {
    let mut checked = 0;
    for instrument in Instrument::builtins() {
        let def = instrument.definition();
        // Loading checked each list (URIs, non-empty codes, no repeats); a code also names
        // one question only, so no two items of an instrument share one.
        let mut items: HashMap<(&str, &str), &str> = HashMap::new();
        for item in &def.items {
            for code in &item.codes {
                let key = (code.system.as_str(), code.code.as_str());
                if let Some(first) = items.insert(key, &item.id) {
                    panic!(
                        "{}: items {first} and {} both have code {}",
                        def.id, item.id, code.code
                    );
                }
            }
        }
        let all = def
            .codes
            .iter()
            .chain(def.items.iter().flat_map(|i| &i.codes))
            .chain(def.scales.iter().flat_map(|s| &s.codes));
        for code in all {
            checked += 1;
            assert!(
                !code.source.reference.trim().is_empty(),
                "{}: code {} has no source",
                def.id,
                code.code
            );
        }
        for q in &def.questionnaires {
            assert!(
                !q.source.reference.trim().is_empty(),
                "{}: {}",
                def.id,
                q.url
            );
        }
    }
    assert!(
        checked >= 25,
        "only {checked} codes in the bundled definitions"
    );
}

#[test]
fn phq9_codes_are_those_of_the_us_core_phq9_questionnaire() {
    let q = questionnaire("q-uscore-phq9.json");
    let phq9 = Instrument::builtin("phq9").unwrap();
    let def = phq9.definition();
    assert_eq!(loinc(&def.codes), Some(panel(&q)));
    assert!(def.questionnaires.iter().any(|r| r.url == q["url"]));
    // US Core lists items 1-9, the total score, then the difficulty question (item 10).
    let mut theirs = item_codes(&q);
    let (link, total) = theirs.remove(9);
    assert_eq!(link, "/44261-6");
    let theirs: Vec<Option<String>> = theirs.into_iter().map(|(_, c)| c).collect();
    assert_eq!(our_item_codes(phq9), theirs);
    assert_eq!(loinc(&def.scales[0].codes), total);
}

#[test]
fn gad7_codes_are_those_of_the_pco_gad7_questionnaire() {
    let q = questionnaire("q-pco-gad7.json");
    let gad7 = Instrument::builtin("gad7").unwrap();
    let def = gad7.definition();
    assert_eq!(loinc(&def.codes), Some(panel(&q)));
    assert!(def.questionnaires.iter().any(|r| r.url == q["url"]));
    // PCO lists the seven questions, then the total score (which carries no code there).
    let mut theirs = item_codes(&q);
    let (_, total) = theirs.pop().unwrap();
    assert_eq!(total, None);
    let theirs: Vec<Option<String>> = theirs.into_iter().map(|(_, c)| c).collect();
    assert_eq!(theirs.len(), 7);
    assert!(theirs.iter().all(Option::is_some));
    assert_eq!(our_item_codes(gad7), theirs);
}

#[test]
fn definitions_with_loinc_codes_say_so() {
    let uses: Vec<String> = Instrument::builtins()
        .filter(|i| i.definition().uses_loinc())
        .map(|i| i.definition().id.clone())
        .collect();
    // K6 carries LOINC answer codes only (response options), PHQ-2 the PHQ-9's.
    for id in ["phq9", "gad7", "auditc", "k6", "phq2"] {
        assert!(uses.iter().any(|u| u == id), "{id} not in {uses:?}");
    }
    let cffs = Instrument::builtin("cffs").unwrap();
    assert!(!cffs.definition().uses_loinc());
}
