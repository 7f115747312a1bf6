//! Weights of answers: from answer options (US Core's PHQ-9 uses `ordinalValue` on each
//! option), and from a contained ValueSet or CodeSystem.
//!
//! The contained-resource questionnaire below is written for this test, after the SDC IG's
//! example `questionnaire-sdc-profile-example-item-weight` (HL7/sdc,
//! input/fsh/instances/questionnaire-sdc-profile-example-item-weight.fsh: PHQ-9 items answering
//! from a contained ValueSet `#LL358-3` of LOINC answers), with weights put where the
//! extensions' definitions allow them: `itemWeight`
//! (http://hl7.org/fhir/StructureDefinition/itemWeight, FHIR Extensions Pack) and
//! `ordinalValue` (http://hl7.org/fhir/StructureDefinition/ordinalValue, R4) both list
//! `ValueSet.compose.include.concept` and `CodeSystem.concept` among their contexts.

use screenscore::fhir::{Coding, Questionnaire};
use serde_json::json;

use crate::data;

const LOINC: &str = "http://loinc.org";

#[test]
fn weights_from_answer_options() {
    let phq9: Questionnaire = serde_json::from_str(&data("q-uscore-phq9.json")).unwrap();
    let nearly_every_day = Coding::new(LOINC, "LA6571-9");
    assert_eq!(phq9.weight_of("/44250-9", &nearly_every_day), Some(3.0));
    assert_eq!(
        phq9.weight_of("/44250-9", &Coding::new(LOINC, "LA0000-0")),
        None
    );
    assert_eq!(
        phq9.weight_of("/44250-9", &Coding::new("http://other", "LA6571-9")),
        None
    );
    assert_eq!(phq9.weight_of("no-such-item", &nearly_every_day), None);
}

fn contained() -> Questionnaire {
    serde_json::from_value(json!({
        "resourceType": "Questionnaire",
        "id": "weights-contained",
        "status": "draft",
        "contained": [
            {"resourceType": "ValueSet", "id": "LL358-3", "status": "active",
             "compose": {"include": [{"system": LOINC, "concept": [
                {"code": "LA6568-5", "display": "Not at all",
                 "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 0}]},
                {"code": "LA6569-3", "display": "Several days",
                 "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 1}]},
                {"code": "LA6570-1", "display": "More than half the days",
                 "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 2}]},
                {"code": "LA6571-9", "display": "Nearly every day"}
             ]}]}},
            {"resourceType": "ValueSet", "id": "freq", "status": "active",
             "compose": {"include": [{"system": "http://example.org/freq"}]}},
            {"resourceType": "CodeSystem", "id": "freq-cs", "url": "http://example.org/freq",
             "status": "active", "content": "complete", "concept": [
                {"code": "never", "property": [{"code": "itemWeight", "valueDecimal": 0}]},
                {"code": "often", "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueInteger": 2}],
                 "concept": [{"code": "always", "property": [{"code": "weight", "valueInteger": 3}]}]}
             ]},
            {"resourceType": "Patient", "id": "unrelated"}
        ],
        "item": [{"linkId": "1.0", "type": "group", "item": [
            {"linkId": "1.1", "type": "choice", "answerValueSet": "#LL358-3"},
            {"linkId": "1.2", "type": "choice", "answerValueSet": "#freq"},
            {"linkId": "1.3", "type": "choice", "answerValueSet": "http://example.org/ValueSet/elsewhere"}
        ]}]
    }))
    .unwrap()
}

#[test]
fn weights_from_a_contained_value_set() {
    let q = contained();
    assert_eq!(
        q.weight_of("1.1", &Coding::new(LOINC, "LA6568-5")),
        Some(0.0)
    );
    assert_eq!(
        q.weight_of("1.1", &Coding::new(LOINC, "LA6569-3")),
        Some(1.0)
    );
    assert_eq!(
        q.weight_of("1.1", &Coding::new(LOINC, "LA6570-1")),
        Some(2.0)
    );
    // Listed without a weight, and no CodeSystem of LOINC is contained.
    assert_eq!(q.weight_of("1.1", &Coding::new(LOINC, "LA6571-9")), None);
    // Not a contained ValueSet.
    assert_eq!(q.weight_of("1.3", &Coding::new(LOINC, "LA6569-3")), None);
}

#[test]
fn weights_from_a_contained_code_system() {
    let q = contained();
    let freq = "http://example.org/freq";
    assert_eq!(q.weight_of("1.2", &Coding::new(freq, "never")), Some(0.0));
    assert_eq!(q.weight_of("1.2", &Coding::new(freq, "often")), Some(2.0));
    assert_eq!(q.weight_of("1.2", &Coding::new(freq, "always")), Some(3.0));
    assert_eq!(q.weight_of("1.2", &Coding::new(freq, "sometimes")), None);
    // Contained resources are written back as read.
    let written = serde_json::to_value(&q).unwrap();
    let again: Questionnaire = serde_json::from_value(written).unwrap();
    assert_eq!(again, q);
}
