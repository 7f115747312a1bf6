//! `questionnaire_of` (a definition as a Questionnaire) against the definitions and US Core's
//! PHQ-9 Questionnaire, and `skeleton_of` (a Questionnaire as a skeleton) on the published
//! Questionnaires and on those `questionnaire_of` writes.

use screenscore::Instrument;
use screenscore::fhir::{
    AnswerOption, ITEM_WEIGHT, ImportError, ORDINAL_VALUE, Questionnaire, QuestionnaireItem,
    questionnaire_of, skeleton_of,
};

use crate::data;

fn published(name: &str) -> Questionnaire {
    serde_json::from_str(&data(name)).unwrap()
}

/// An option's extension of `url`, as a number.
fn extension(option: &AnswerOption, url: &str) -> Option<f64> {
    option
        .extension
        .iter()
        .find(|e| e.url == url)
        .and_then(|e| e.decimal())
}

fn code(option: &AnswerOption) -> (String, String) {
    let coding = option.value.as_coding().unwrap();
    (coding.system.clone().unwrap(), coding.code.clone().unwrap())
}

/// Each item against its definition: linkId, codes, required, weights (both extensions) equal
/// to the option values, LOINC answer codes.
fn check_against_definition(id: &str) -> Questionnaire {
    let instrument = Instrument::builtin(id).unwrap();
    let definition = instrument.definition();
    let q = questionnaire_of(instrument);
    assert_eq!(q.status.as_deref(), Some("active"));
    assert_eq!(q.version.as_deref(), Some(definition.version.as_str()));
    assert_eq!(q.title.as_deref(), Some(definition.name.as_str()));
    let panel: Vec<&str> = q.code.iter().filter_map(|c| c.code.as_deref()).collect();
    let codes: Vec<&str> = definition.codes.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(panel, codes);
    assert_eq!(q.item.len(), definition.items.len());
    for (item, defined) in q.item.iter().zip(&definition.items) {
        let loinc = &defined.codes[0];
        assert_eq!(
            item.link_id,
            format!("/{}", loinc.code),
            "item {}",
            defined.id
        );
        assert_eq!(item.code[0].code.as_deref(), Some(loinc.code.as_str()));
        assert_eq!(item.text.as_deref(), Some(defined.label.as_str()));
        assert_eq!(item.type_.as_deref(), Some("choice"));
        assert_eq!(item.required, defined.scored.then_some(true));
        let set = definition
            .response_sets
            .iter()
            .find(|s| s.id == defined.response_set)
            .unwrap();
        assert_eq!(item.answer_option.len(), set.options.len());
        for (answer, option) in item.answer_option.iter().zip(&set.options) {
            assert_eq!(answer.weight(), option.value);
            assert_eq!(extension(answer, ITEM_WEIGHT), option.value);
            assert_eq!(extension(answer, ORDINAL_VALUE), option.value);
            // The LOINC answer code where the definition has one (PHQ-9), else the value in the
            // response set's screenscore system (GAD-7's definition has no answer codes).
            let expected = match &option.code {
                Some(loinc) => ("http://loinc.org".to_string(), loinc.clone()),
                None => (
                    format!("urn:screenscore:answers:{id}:{}", set.id),
                    screenscore::format_score(option.value.unwrap()),
                ),
            };
            assert_eq!(code(answer), expected);
        }
    }
    q
}

#[test]
fn phq9_has_us_core_link_ids_and_answer_codes() {
    let q = check_against_definition("phq9");
    assert_eq!(q.url.as_deref(), Some("urn:screenscore:questionnaire:phq9"));
    let copyright = q.copyright.as_deref().unwrap();
    assert!(copyright.contains("Pfizer"), "{copyright}");
    assert!(copyright.ends_with(screenscore::definition::LOINC_NOTICE));
    // The same linkIds, question codes and LOINC answer codes as US Core's PHQ-9 for the same
    // items (US Core's tenth item is the total score, its eleventh the difficulty item).
    let us_core = published("q-uscore-phq9.json");
    for item in &q.item {
        let theirs: &QuestionnaireItem = us_core.find_item(&item.link_id).unwrap();
        assert_eq!(theirs.code[0].code, item.code[0].code);
        let their_codes: Vec<(String, String)> = theirs.answer_option.iter().map(code).collect();
        let our_codes: Vec<(String, String)> = item.answer_option.iter().map(code).collect();
        assert_eq!(our_codes, their_codes, "{}", item.link_id);
        for (ours, theirs) in item.answer_option.iter().zip(&theirs.answer_option) {
            // Where US Core weighs an answer, the weight is the same.
            if let Some(w) = theirs.weight() {
                assert_eq!(ours.weight(), Some(w), "{}", item.link_id);
            }
        }
    }
    // Item 10 (difficulty) is there, not required; the total score is not an item.
    let last = q.item.last().unwrap();
    assert_eq!(last.link_id, "/69722-7");
    assert_eq!(last.required, None);
    assert_eq!(q.item.len(), 10);
}

#[test]
fn gad7_follows_its_definition_and_the_pco_link_codes() {
    let q = check_against_definition("gad7");
    assert_eq!(q.url.as_deref(), Some("urn:screenscore:questionnaire:gad7"));
    let pco = published("q-pco-gad7.json");
    let their_codes: Vec<Option<String>> = pco.item[..7]
        .iter()
        .map(|i| i.code[0].code.clone())
        .collect();
    let our_codes: Vec<Option<String>> = q.item.iter().map(|i| i.code[0].code.clone()).collect();
    assert_eq!(our_codes, their_codes);
}

#[test]
fn a_definition_without_codes_uses_its_ids_and_screenscore_answer_systems() {
    let mut definition = Instrument::builtin("gad7").unwrap().definition().clone();
    definition.codes.clear();
    definition.questionnaires.clear();
    for item in &mut definition.items {
        item.codes.clear();
    }
    for scale in &mut definition.scales {
        scale.codes.clear();
    }
    for set in &mut definition.response_sets {
        for option in &mut set.options {
            option.code = None;
        }
    }
    let set = definition.response_sets[0].id.clone();
    let q = questionnaire_of(&Instrument::from_definition(definition).unwrap());
    assert_eq!(q.item[0].link_id, "1");
    assert!(q.item[0].code.is_empty());
    let (system, code) = code(&q.item[0].answer_option[2]);
    assert_eq!(system, format!("urn:screenscore:answers:gad7:{set}"));
    assert_eq!(code, "2");
    assert!(!q.copyright.unwrap().contains("LOINC"));
}

/// The skeleton's items, response sets and weights against the Questionnaire's.
fn check_skeleton(q: &Questionnaire, name: &str, expect_items: usize) -> serde_json::Value {
    let skeleton = skeleton_of(q, name).unwrap();
    let definition = &skeleton.definition;
    Instrument::from_json(&skeleton.to_json_pretty()).unwrap();
    assert_eq!(definition["status"], "unvalidated");
    assert_eq!(definition["scales"][0]["id"], "placeholder_sum");
    let items = definition["items"].as_array().unwrap();
    assert_eq!(items.len(), expect_items);
    let sets = definition["response_sets"].as_array().unwrap();
    for item in items {
        let source = item["source"]["ref"].as_str().unwrap();
        let link_id = source
            .strip_prefix(&format!("{name}, item linkId "))
            .unwrap();
        let theirs = q.find_item(link_id).unwrap();
        let their_code = theirs.code.first().and_then(|c| c.code.as_deref());
        assert_eq!(item["codes"][0]["code"].as_str(), their_code);
        let set = sets
            .iter()
            .find(|s| s["id"] == item["response_set"])
            .unwrap();
        let options = set["options"].as_array().unwrap();
        assert_eq!(options.len(), theirs.answer_option.len());
        for (option, answer) in options.iter().zip(&theirs.answer_option) {
            assert_eq!(option["value"].as_f64(), answer.weight(), "{link_id}");
            let coding = answer.value.as_coding().unwrap();
            if coding.system.as_deref() == Some("http://loinc.org") {
                assert_eq!(option["code"].as_str(), coding.code.as_deref());
            }
        }
    }
    skeleton.definition
}

#[test]
fn us_core_phq9_becomes_a_skeleton_of_its_weighted_items() {
    let q = published("q-uscore-phq9.json");
    let definition = check_skeleton(&q, "q-uscore-phq9.json", 9);
    // One response set for the nine items with the same answers.
    assert_eq!(definition["response_sets"].as_array().unwrap().len(), 1);
    assert_eq!(definition["codes"][0]["code"], "44249-1");
    assert_eq!(
        definition["questionnaires"][0]["url"],
        "http://hl7.org/fhir/us/core/Questionnaire/phq-9-example"
    );
    let skeleton = skeleton_of(&q, "q-uscore-phq9.json").unwrap();
    let left: Vec<String> = skeleton.left_out.iter().map(ToString::to_string).collect();
    assert_eq!(
        left,
        [
            "left out linkId `/44261-6` (decimal): a decimal item, not a choice",
            "left out linkId `/69722-7` (choice): its answers carry no weight (itemWeight or ordinalValue)",
        ]
    );
}

#[test]
fn the_pco_gad7_has_no_weights_so_no_skeleton() {
    // The PCO IG's GAD-7 gives its answers LOINC codes but no weights: nothing to score.
    let q = published("q-pco-gad7.json");
    let Err(ImportError::NoWeightedItems { left_out }) = skeleton_of(&q, "q-pco-gad7.json") else {
        panic!("a skeleton of an unweighted Questionnaire");
    };
    assert_eq!(left_out.len(), 8);
    assert!(
        left_out[..7]
            .iter()
            .all(|l| l.reason.contains("carry no weight"))
    );
}

#[test]
fn a_written_questionnaire_comes_back_as_a_skeleton_with_its_weights() {
    for instrument in Instrument::builtins() {
        let id = instrument.id();
        let q = questionnaire_of(instrument);
        let scored = instrument
            .definition()
            .items
            .iter()
            .filter(|i| i.scored)
            .count();
        let all = instrument.definition().items.len();
        let definition = check_skeleton(&q, &format!("{id}.json"), all);
        // Items with weights on every answer come back scored (PHQ-9's item 10 has weights
        // too, the CamCOPS coding), so the placeholder sums them all.
        let summed = definition["scales"][0]["items"].as_array().unwrap().len();
        assert!(summed >= scored, "{id}");
    }
}
