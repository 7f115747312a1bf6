//! The types read the examples, keep their extensions, and write them back.

use screenscore::fhir::{
    AnswerValue, Bundle, CodeableConcept, Coding, Extension, Observation, Questionnaire,
    QuestionnaireResponse, Reference, Resource,
};
use serde_json::{Value, json};

use crate::data;

#[test]
fn us_core_phq9_response_reads() {
    let response: QuestionnaireResponse =
        serde_json::from_str(&data("qr-uscore-phq9.json")).unwrap();
    assert_eq!(response.id.as_deref(), Some("phq-9-example"));
    assert_eq!(response.status.as_deref(), Some("completed"));
    assert_eq!(
        response.questionnaire.as_deref(),
        Some("http://hl7.org/fhir/us/core/Questionnaire/phq-9-example")
    );
    assert_eq!(
        response.subject.as_ref().unwrap().reference.as_deref(),
        Some("Patient/example")
    );
    assert_eq!(
        response.authored.as_deref(),
        Some("2022-11-29T20:50:32.718Z")
    );
    let profile = &response.meta.as_ref().unwrap().profile;
    assert_eq!(profile.len(), 1);
    let first = &response.item[0];
    assert_eq!(first.link_id, "/44250-9");
    let coding = first.answer[0].value.as_ref().unwrap().as_coding().unwrap();
    assert_eq!(coding.code.as_deref(), Some("LA6570-1"));
    let items = response.items();
    assert!(items.len() >= 9, "{} items", items.len());
}

/// Reading and writing gives the same JSON, element for element (the types name every element
/// of the examples that matters here; the comparison is over those of the response).
#[test]
fn us_core_phq9_response_round_trips() {
    let text = data("qr-uscore-phq9.json");
    let response: QuestionnaireResponse = serde_json::from_str(&text).unwrap();
    let written = serde_json::to_value(&response).unwrap();
    let original: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(written, original);
    // resourceType first, as FHIR orders elements.
    assert!(
        serde_json::to_string(&response)
            .unwrap()
            .starts_with(r#"{"resourceType":"QuestionnaireResponse","id":"#)
    );
}

#[test]
fn questionnaires_read_with_extensions_kept() {
    let phq9: Questionnaire = serde_json::from_str(&data("q-uscore-phq9.json")).unwrap();
    assert_eq!(
        phq9.url.as_deref(),
        Some("http://hl7.org/fhir/us/core/Questionnaire/phq-9-example")
    );
    assert!(!phq9.extension.is_empty());
    let item = phq9.find_item("/44250-9").unwrap();
    assert_eq!(item.type_.as_deref(), Some("choice"));
    assert_eq!(item.required, Some(true));
    assert_eq!(item.answer_option.len(), 4);
    let weights: Vec<_> = item.answer_option.iter().map(|o| o.weight()).collect();
    assert_eq!(weights, [Some(0.0), Some(1.0), Some(2.0), Some(3.0)]);
    // Every extension is kept: written back, each is as it was.
    let original: Value = serde_json::from_str(&data("q-uscore-phq9.json")).unwrap();
    let written = serde_json::to_value(&phq9).unwrap();
    assert_eq!(written["extension"], original["extension"]);
    assert_eq!(
        written["item"][0]["answerOption"],
        original["item"][0]["answerOption"]
    );

    let gad7: Questionnaire = serde_json::from_str(&data("q-pco-gad7.json")).unwrap();
    assert_eq!(gad7.code.len(), 1);
    let first = &gad7.item[0];
    assert_eq!(first.repeats, Some(false));
    // The PCO IG's GAD-7 states no weights.
    assert!(first.answer_option.iter().all(|o| o.weight().is_none()));
}

#[test]
fn extensions_round_trip_everywhere() {
    let text = json!({
        "resourceType": "QuestionnaireResponse",
        "extension": [{"url": "http://example.org/a", "extension": [{"url": "x", "valueString": "y"}]}],
        "item": [{
            "extension": [{"url": "http://example.org/b", "valueBoolean": true}],
            "linkId": "1",
            "answer": [{
                "extension": [{"url": "http://example.org/c", "valueCodeableConcept": {"text": "z"}}],
                "valueCoding": {
                    "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 2.5}],
                    "system": "s", "code": "c"
                }
            }]
        }]
    });
    let response: QuestionnaireResponse = serde_json::from_value(text.clone()).unwrap();
    let coding = response.item[0].answer[0]
        .value
        .as_ref()
        .unwrap()
        .as_coding()
        .unwrap();
    assert_eq!(coding.weight(), Some(2.5));
    assert_eq!(serde_json::to_value(&response).unwrap(), text);
}

#[test]
fn every_value_choice_reads_and_writes() {
    let answers = json!([
        {"valueBoolean": true}, {"valueDecimal": 1.5}, {"valueDecimal": 2}, {"valueInteger": -3},
        {"valueDate": "2024-01-02"}, {"valueDateTime": "2024-01-02T03:04:05Z"}, {"valueTime": "10:00:00"},
        {"valueString": "x"}, {"valueUri": "urn:a"}, {"valueAttachment": {"contentType": "text/plain"}},
        {"valueCoding": {"code": "c"}}, {"valueQuantity": {"value": 4, "unit": "kg"}},
        {"valueReference": {"reference": "Patient/1"}}, {"valueCode": "R5"}
    ]);
    let text = json!({"resourceType": "QuestionnaireResponse", "item": [{"linkId": "1", "answer": answers}]});
    let response: QuestionnaireResponse = serde_json::from_value(text.clone()).unwrap();
    let keys: Vec<&str> = response.item[0]
        .answer
        .iter()
        .map(|a| a.value.as_ref().unwrap().key())
        .collect();
    assert_eq!(
        keys,
        [
            "valueBoolean",
            "valueDecimal",
            "valueDecimal",
            "valueInteger",
            "valueDate",
            "valueDateTime",
            "valueTime",
            "valueString",
            "valueUri",
            "valueAttachment",
            "valueCoding",
            "valueQuantity",
            "valueReference",
            "valueCode"
        ]
    );
    let numbers: Vec<Option<f64>> = response.item[0]
        .answer
        .iter()
        .map(|a| a.value.as_ref().unwrap().as_f64())
        .collect();
    assert_eq!(&numbers[1..4], [Some(1.5), Some(2.0), Some(-3.0)]);
    assert_eq!(numbers[11], Some(4.0));
    assert!(
        matches!(&response.item[0].answer[13].value, Some(AnswerValue::Other { key, .. }) if key == "valueCode")
    );
    // `valueDecimal: 2` is written back as 2, not 2.0.
    assert_eq!(serde_json::to_value(&response).unwrap(), text);
}

#[test]
fn two_value_choices_are_an_error_naming_both() {
    let e = serde_json::from_str::<QuestionnaireResponse>(
        r#"{"item": [{"linkId": "1", "answer": [{"valueString": "a", "valueCoding": {"code": "b"}}]}]}"#,
    )
    .unwrap_err();
    insta::assert_snapshot!(e, @"an answer has both valueString and valueCoding at line 1 column 71");
}

#[test]
fn an_answer_with_ten_codings_and_nested_items_reads() {
    let codings: Vec<Value> = (0..10)
        .map(|i| json!({"valueCoding": {"system": "s", "code": i.to_string()}}))
        .collect();
    let text = json!({"resourceType": "QuestionnaireResponse", "item": [{"linkId": "1", "answer": codings}]});
    let response: QuestionnaireResponse = serde_json::from_value(text).unwrap();
    assert_eq!(response.item[0].answer.len(), 10);
    let nested = json!({"resourceType": "QuestionnaireResponse", "item": [{"linkId": "g", "item": [
        {"linkId": "1", "answer": [{"valueBoolean": true, "item": [{"linkId": "1.1", "answer": [{"valueInteger": 1}]}]}]}
    ]}]});
    let response: QuestionnaireResponse = serde_json::from_value(nested).unwrap();
    let ids: Vec<&str> = response
        .items()
        .iter()
        .map(|i| i.link_id.as_str())
        .collect();
    assert_eq!(ids, ["g", "1", "1.1"]);
}

#[test]
fn the_wrong_resource_type_is_refused_by_a_typed_resource() {
    let e = serde_json::from_str::<QuestionnaireResponse>(r#"{"resourceType": "Patient"}"#)
        .unwrap_err();
    insta::assert_snapshot!(e, @"resourceType is Patient, expected QuestionnaireResponse at line 1 column 26");
}

#[test]
fn resources_read_by_type() {
    let bundle: Resource = serde_json::from_value(json!({
        "resourceType": "Bundle", "type": "searchset",
        "entry": [{"resource": {"resourceType": "Patient", "id": "p"}}, {"resource": {"resourceType": "Observation", "status": "final", "code": {}}}]
    })).unwrap();
    let Resource::Bundle(bundle) = bundle else {
        panic!("not a bundle")
    };
    let types: Vec<&str> = bundle
        .entry
        .iter()
        .map(|e| e.resource.as_ref().unwrap().resource_type())
        .collect();
    assert_eq!(types, ["Patient", "Observation"]);
    let e = serde_json::from_value::<Resource>(json!({"id": "x"})).unwrap_err();
    insta::assert_snapshot!(e, @"no resourceType");
    let e = serde_json::from_value::<Resource>(
        json!({"resourceType": "QuestionnaireResponse", "item": [{"linkId": 3}]}),
    )
    .unwrap_err();
    insta::assert_snapshot!(e, @"item[0].linkId: invalid type: integer `3`, expected a string");
}

#[test]
fn an_observation_in_a_transaction_is_written_in_fhir_order() {
    let observation = Observation {
        id: Some("o1".into()),
        meta: Some(screenscore::fhir::Meta {
            profile: vec!["http://example.org/p".into()],
            ..Default::default()
        }),
        extension: vec![Extension::new("http://example.org/e", "valueString", "x")],
        status: "final".into(),
        category: vec![CodeableConcept::coding(Coding::new(
            "http://terminology.hl7.org/CodeSystem/observation-category",
            "survey",
        ))],
        code: CodeableConcept::coding(
            Coding::new("http://loinc.org", "44261-6").with_display("PHQ-9 total"),
        ),
        subject: Some(Reference::to("Patient/example")),
        effective_date_time: Some("2022-11-29T20:50:32.718Z".into()),
        value_quantity: Some(screenscore::fhir::Quantity {
            value: Some(10.0),
            ..Default::default()
        }),
        interpretation: vec![CodeableConcept {
            text: Some("moderate".into()),
            ..Default::default()
        }],
        note: vec![screenscore::fhir::Annotation {
            text: "n".into(),
            ..Default::default()
        }],
        derived_from: vec![Reference::to("QuestionnaireResponse/phq-9-example")],
        ..Observation::default()
    };
    let mut bundle = Bundle::transaction();
    bundle.push_request(observation.clone(), "urn:uuid:o1", "POST", "Observation");
    let text = serde_json::to_string(&bundle).unwrap();
    insta::assert_snapshot!(text, @r#"{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:o1","resource":{"resourceType":"Observation","id":"o1","meta":{"profile":["http://example.org/p"]},"extension":[{"url":"http://example.org/e","valueString":"x"}],"status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"survey"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"44261-6","display":"PHQ-9 total"}]},"subject":{"reference":"Patient/example"},"effectiveDateTime":"2022-11-29T20:50:32.718Z","valueQuantity":{"value":10},"interpretation":[{"text":"moderate"}],"note":[{"text":"n"}],"derivedFrom":[{"reference":"QuestionnaireResponse/phq-9-example"}]},"request":{"method":"POST","url":"Observation"}}]}"#);
    let back: Bundle = serde_json::from_str(&text).unwrap();
    assert_eq!(
        back.entry[0].resource,
        Some(Resource::Observation(Box::new(observation)))
    );
    let mut collection = Bundle::collection();
    collection.push(Observation::default(), "urn:uuid:2");
    assert!(
        serde_json::to_string(&collection)
            .unwrap()
            .contains(r#""type":"collection""#)
    );
}
