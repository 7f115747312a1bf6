//! `screenscore fhir questionnaire` and `fhir import-questionnaire`: a definition out as a
//! Questionnaire and back as a skeleton that `instruments check` accepts; a published
//! Questionnaire in.

use crate::support::{data, read, screenscore, temp_dir};

#[test]
fn a_written_questionnaire_imports_as_a_skeleton_that_checks() {
    let dir = temp_dir("fhir-questionnaire");
    let q = dir.join("gad7.Questionnaire.json");
    let q = q.to_str().unwrap();
    let run = screenscore(&["fhir", "questionnaire", "gad7", "-o", q], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    let written: serde_json::Value =
        serde_json::from_str(&read(dir.join("gad7.Questionnaire.json").as_ref())).unwrap();
    assert_eq!(written["url"], "urn:screenscore:questionnaire:gad7");
    // Standard output when no -o.
    let run = screenscore(&["fhir", "questionnaire", "gad7"], b"");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap(),
        written
    );

    let skeleton = dir.join("gad7-skeleton.json");
    let skeleton = skeleton.to_str().unwrap();
    let run = screenscore(&["fhir", "import-questionnaire", q, "-o", skeleton], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        "7 items from gad7.Questionnaire.json; 0 items left out; status unvalidated: replace \
         scale `placeholder_sum` with the instrument's scoring\n"
    );
    let check = screenscore(&["instruments", "check", skeleton], b"");
    assert_eq!(check.code, 0, "{}", check.transcript());
}

#[test]
fn a_published_questionnaire_imports_its_weighted_items_and_names_the_rest() {
    let dir = temp_dir("fhir-import-us-core");
    let out = dir.join("phq9-us-core.json");
    let out = out.to_str().unwrap();
    let q = data("fhir/q-uscore-phq9.json");
    let run = screenscore(&["fhir", "import-questionnaire", &q, "-o", out], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stderr, @r"
    note: left out linkId `/44261-6` (decimal): a decimal item, not a choice
    note: left out linkId `/69722-7` (choice): its answers carry no weight (itemWeight or ordinalValue)
    9 items from q-uscore-phq9.json; 2 items left out; status unvalidated: replace scale `placeholder_sum` with the instrument's scoring
    ");
    let check = screenscore(&["instruments", "check", out], b"");
    assert_eq!(check.code, 0, "{}", check.transcript());

    // The PCO IG's GAD-7 weighs no answer: nothing to score, exit 2, every item named.
    let run = screenscore(
        &[
            "fhir",
            "import-questionnaire",
            &data("fhir/q-pco-gad7.json"),
        ],
        b"",
    );
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("no choice item has a weight"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("58628 (decimal: a decimal item, not a choice)"),
        "{}",
        run.stderr
    );
}
