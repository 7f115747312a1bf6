//! `fhir score` on bad input: every response is a row, the counts add up, and what a person
//! reads says what went wrong.

use serde_json::{Value, json};

use crate::support::{Run, cell, screenscore_in, temp_dir};

const LOINC: &str = "http://loinc.org";
const PHQ9: [&str; 9] = [
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
    "44260-8",
];

/// A PHQ-9 response `id` answering every item "Several days" (1), by LOINC linkIds.
fn response(id: &str) -> Value {
    json!({
        "resourceType": "QuestionnaireResponse",
        "id": id,
        "status": "completed",
        "item": PHQ9.iter().map(|c| json!({
            "linkId": format!("/{c}"),
            "answer": [{"valueCoding": {"system": LOINC, "code": "LA6569-3"}}],
        })).collect::<Vec<_>>(),
    })
}

/// `fhir score -i phq9 FILE --out-format csv` in a fresh directory holding `file` = `bytes`.
fn score(name: &str, file: &str, bytes: &[u8], extra: &[&str]) -> Run {
    let dir = temp_dir(name);
    std::fs::write(dir.join(file), bytes).unwrap();
    let mut args = vec!["fhir", "score", "-i", "phq9", "--out-format", "csv"];
    args.extend(extra);
    args.push(file);
    screenscore_in(&dir, &args, b"")
}

fn json_bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(v).unwrap()
}

#[test]
fn fhir_malformed_json_is_a_row_with_line_and_column_and_the_counts_add_up() {
    let ndjson = format!(
        "{}\n{}\n{}\n",
        serde_json::to_string(&response("a")).unwrap(),
        r#"{"resourceType": "QuestionnaireResponse", "id": "b", "item": [}"#,
        serde_json::to_string(&response("c")).unwrap()
    );
    let run = score("fhir-malformed", "in.ndjson", ndjson.as_bytes(), &[]);
    assert_eq!(run.code, 1);
    assert_eq!(cell(&run.stdout, 1, "qr_id"), "in.ndjson:2");
    insta::assert_snapshot!(cell(&run.stdout, 1, "input_error"), @"line 2, column 63: malformed JSON: expected value");
    assert_eq!(cell(&run.stdout, 1, "phq9_status"), "invalid");
    assert_eq!(cell(&run.stdout, 2, "phq9_total"), "9");
    insta::assert_snapshot!(run.stderr, @"3 rows read: 2 scored, 0 incomplete, 1 invalid, 0 absent");
}

#[test]
fn fhir_a_patient_alone_is_an_error_and_in_a_bundle_or_ndjson_is_skipped() {
    let patient = json!({"resourceType": "Patient", "id": "p"});
    let run = score("fhir-patient", "patient.json", &json_bytes(&patient), &[]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(cell(&run.stdout, 0, "input_error"), @"line 1: a Patient, not a QuestionnaireResponse or a Bundle");
    insta::assert_snapshot!(run.stderr, @"1 row read: 0 scored, 0 incomplete, 1 invalid, 0 absent");

    let ndjson = format!(
        "{}\n{}\n",
        serde_json::to_string(&response("a")).unwrap(),
        serde_json::to_string(&patient).unwrap()
    );
    let run = score("fhir-patient-ndjson", "in.ndjson", ndjson.as_bytes(), &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stderr, @r"
    note: 1 Patient skipped
    1 row read: 1 scored, 0 incomplete, 0 invalid, 0 absent
    ");

    let bundle = json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": response("a")}, {"resource": patient}, {"resource": patient},
    ]});
    let run = score(
        "fhir-patient-bundle",
        "bundle.json",
        &json_bytes(&bundle),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stderr, @r"
    note: 2 Patient skipped
    1 row read: 1 scored, 0 incomplete, 0 invalid, 0 absent
    ");
}

#[test]
fn fhir_a_bundle_in_a_bundle_is_a_row_saying_so() {
    let inner = json!({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": response("a")}]});
    let bundle = json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": inner}, {"resource": response("d")},
    ]});
    let run = score("fhir-nested", "nested.json", &json_bytes(&bundle), &[]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(cell(&run.stdout, 0, "input_error"), @"line 3: entry 0 of the Bundle is a Bundle; nested Bundles are not read");
    assert_eq!(cell(&run.stdout, 1, "qr_id"), "d");
    insta::assert_snapshot!(run.stderr, @"2 rows read: 1 scored, 0 incomplete, 1 invalid, 0 absent");
}

#[test]
fn fhir_a_response_of_100000_items_is_one_row() {
    let mut r = response("big");
    let items = r["item"].as_array_mut().unwrap();
    items.extend((items.len()..100_000).map(|k| json!({"linkId": format!("extra-{k}")})));
    assert_eq!(r["item"].as_array().unwrap().len(), 100_000);
    let run = score(
        "fhir-big",
        "big.json",
        &serde_json::to_vec(&r).unwrap(),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(crate::support::records(run.stdout.as_bytes()).len(), 2);
    assert_eq!(cell(&run.stdout, 0, "phq9_total"), "9");
    insta::assert_snapshot!(run.stderr, @"1 row read: 1 scored, 0 incomplete, 0 invalid, 0 absent");
}

#[test]
fn fhir_ten_codings_or_two_answers_to_one_item_are_invalid() {
    let mut r = response("ten");
    r["item"][0]["answer"] = json!(vec![
        json!({"valueCoding": {"system": LOINC, "code": "LA6569-3"}});
        10
    ]);
    let run = score("fhir-ten", "ten.json", &json_bytes(&r), &[]);
    assert_eq!(run.code, 1);
    assert_eq!(cell(&run.stdout, 0, "phq9_status"), "invalid");
    assert_eq!(cell(&run.stdout, 0, "phq9_total"), "");
    let error = cell(&run.stdout, 0, "phq9_error");
    assert!(
        error.starts_with("phq9_1: \"several answers: LA6569-3; LA6569-3;"),
        "{error}"
    );

    let mut r = response("two");
    r["item"][0]["answer"] = json!([
        {"valueCoding": {"system": LOINC, "code": "LA6569-3"}},
        {"valueCoding": {"system": LOINC, "code": "LA6570-1"}},
    ]);
    let run = score("fhir-two", "two.json", &json_bytes(&r), &[]);
    assert_eq!(run.code, 1);
    assert_eq!(cell(&run.stdout, 0, "phq9_status"), "invalid");
    let error = cell(&run.stdout, 0, "phq9_error");
    assert!(
        error.starts_with(
            "phq9_1: \"several answers: LA6569-3; LA6570-1\" is not an answer to this item"
        ),
        "{error}"
    );
}

#[test]
fn fhir_non_utf8_bytes_are_a_row_saying_so() {
    let bytes = serde_json::to_vec(&response("x"))
        .unwrap()
        .iter()
        .flat_map(|&b| if b == b'x' { vec![b'x', 0xff] } else { vec![b] })
        .collect::<Vec<u8>>();
    let run = score("fhir-utf8", "bad.json", &bytes, &[]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(cell(&run.stdout, 0, "input_error"), @"line 1: not UTF-8 text");
    insta::assert_snapshot!(run.stderr, @"1 row read: 0 scored, 0 incomplete, 1 invalid, 0 absent");
}

#[test]
fn fhir_a_map_naming_unknown_items_stops_the_run() {
    let dir = temp_dir("fhir-bad-map");
    std::fs::write(dir.join("map.csv"), "from,to\nq1,phq9_99\n").unwrap();
    std::fs::write(dir.join("r.json"), json_bytes(&response("a"))).unwrap();
    let run = screenscore_in(
        &dir,
        &[
            "fhir",
            "score",
            "-i",
            "phq9",
            "--map",
            "map.csv",
            "--out-format",
            "csv",
            "r.json",
        ],
        b"",
    );
    insta::assert_snapshot!(run.transcript(), @r"
    exit: 2
    --- stderr
    error: the map names `phq9_99` for linkId `q1`, which is no item column of the instruments given
    ");
}

#[test]
fn fhir_an_unknown_link_id_is_one_warning_and_its_answer_is_not_used() {
    let with_unknown = |id: &str| {
        let mut r = response(id);
        r["item"].as_array_mut().unwrap().push(json!({
            "linkId": "favourite-colour", "answer": [{"valueInteger": 3}],
        }));
        serde_json::to_string(&r).unwrap()
    };
    let ndjson = format!("{}\n{}\n", with_unknown("u1"), with_unknown("u2"));
    let run = score("fhir-unknown", "in.ndjson", ndjson.as_bytes(), &[]);
    assert_eq!(run.code, 0);
    assert_eq!(cell(&run.stdout, 0, "phq9_total"), "9");
    assert_eq!(cell(&run.stdout, 1, "phq9_total"), "9");
    insta::assert_snapshot!(run.stderr, @r"
    warning: 1 linkId matched no item of the instruments given, and its answers were not used: favourite-colour
    2 rows read: 2 scored, 0 incomplete, 0 invalid, 0 absent
    ");
}

#[test]
fn fhir_a_data_absent_reason_is_a_missing_answer() {
    let mut r = response("dar");
    r["item"][2]["answer"] = json!([{"extension": [{
        "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
        "valueCode": "asked-declined",
    }]}]);
    let run = score("fhir-dar", "dar.json", &json_bytes(&r), &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(cell(&run.stdout, 0, "phq9_status"), "incomplete");
    assert_eq!(cell(&run.stdout, 0, "phq9_total"), "");
    insta::assert_snapshot!(cell(&run.stdout, 0, "phq9_notes"), @"total not scored: 1 of 9 items missing");
}
