//! `screenscore redcap skeleton` over REDCapR's test projects (tests/data/redcap/interop): each
//! radio/dropdown form becomes a definition that `instruments check` accepts.

use crate::support::{data, screenscore, temp_dir};

const DICTIONARIES: [&str; 5] = [
    "redcapr-checkboxes-1-dictionary.csv",
    "redcapr-longitudinal-dictionary.csv",
    "redcapr-repeating-instruments-dictionary.csv",
    "redcapr-simple-metadata-api.csv",
    "redcapr-survey-dictionary.csv",
];

/// Per form, in order of first appearance: the fields a skeleton makes items of (radio,
/// dropdown, yesno, truefalse, slider), read with the csv crate.
fn forms(file: &str) -> Vec<(String, Vec<String>, bool)> {
    let mut reader = csv::Reader::from_path(data(&format!("redcap/interop/{file}"))).unwrap();
    let mut forms: Vec<(String, Vec<String>, bool)> = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let (name, form, kind) = (&record[0], &record[1], &record[3]);
        if !forms.iter().any(|f| f.0 == form) {
            forms.push((form.to_string(), Vec::new(), false));
        }
        let entry = forms.iter_mut().find(|f| f.0 == form).unwrap();
        if matches!(
            kind,
            "radio" | "dropdown" | "yesno" | "truefalse" | "slider"
        ) {
            entry.1.push(name.to_string());
        }
        entry.2 |= matches!(kind, "radio" | "dropdown");
    }
    forms
}

#[test]
fn every_radio_or_dropdown_form_becomes_a_definition_that_checks() {
    let dir = temp_dir("redcap-skeleton-forms");
    let mut built = 0;
    for file in DICTIONARIES {
        let dictionary = data(&format!("redcap/interop/{file}"));
        for (form, items, choice) in forms(file) {
            let out = dir.join(format!("{form}.json"));
            let out = out.to_str().unwrap();
            let run = screenscore(
                &[
                    "redcap",
                    "skeleton",
                    &dictionary,
                    "--form",
                    &form,
                    "-o",
                    out,
                ],
                b"",
            );
            if !choice && items.is_empty() {
                assert_eq!(run.code, 2, "{file} {form}: {}", run.transcript());
                assert!(
                    run.stderr.contains("nothing to make items of"),
                    "{}",
                    run.stderr
                );
                continue;
            }
            if !choice {
                continue;
            }
            assert_eq!(run.code, 0, "{file} {form}: {}", run.transcript());
            assert_eq!(run.stdout, "");
            let definition: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
            let ids: Vec<&str> = definition["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap())
                .collect();
            assert_eq!(ids, items, "{file} {form}");
            assert_eq!(definition["id"], form.as_str());
            assert_eq!(definition["status"], "unvalidated");
            let check = screenscore(&["instruments", "check", out], b"");
            assert_eq!(check.code, 0, "{file} {form}: {}", check.transcript());
            assert!(check.stdout.starts_with("ok: "), "{}", check.stdout);
            built += 1;
        }
    }
    // demographics (longitudinal), contact_info, patient_morale_questionnaire,
    // visit_blood_workup, visit_observed_behavior, completion_data,
    // completion_project_questionnaire; demographics (repeating); demographics and
    // race_and_ethnicity (simple); participant_info_survey, participant_morale_questionnaire,
    // completion_data (survey).
    assert_eq!(built, 7 + 1 + 2 + 3);
}

#[test]
fn left_out_fields_are_named_on_standard_error_one_line_each() {
    let dictionary = data("redcap/interop/redcapr-simple-metadata-api.csv");
    let run = screenscore(
        &[
            "redcap",
            "skeleton",
            &dictionary,
            "--form",
            "race_and_ethnicity",
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stderr, @"
    note: left out `race` (checkbox, line 16): a checkbox field: any number of answers at once (REDCap exports one column per choice, field___code), which one item cannot hold
    1 item from form `race_and_ethnicity`; 1 field left out; status unvalidated: replace scale `placeholder_sum` with the instrument's scoring
    ");
    let definition: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        definition["items"][0]["source"]["ref"],
        "redcapr-simple-metadata-api.csv, line 17 (field ethnicity, radio)"
    );
    // --quiet keeps the count line only.
    let quiet = screenscore(
        &[
            "-q",
            "redcap",
            "skeleton",
            &dictionary,
            "--form",
            "race_and_ethnicity",
        ],
        b"",
    );
    assert_eq!(quiet.stderr.lines().count(), 1, "{}", quiet.stderr);
}

#[test]
fn errors_name_the_file_and_what_to_do() {
    let dictionary = data("redcap/interop/redcapr-survey-dictionary.csv");
    let run = screenscore(&["redcap", "skeleton", &dictionary, "--form", "phq9"], b"");
    assert_eq!(run.code, 2);
    let message = run.stderr.replace(&dictionary, "DICT");
    insta::assert_snapshot!(message, @"error: DICT: the dictionary has no form `phq9`; its forms: prescreening_survey, participant_info_survey, participant_morale_questionnaire, completion_data");

    let export = data("redcap/interop/redcapr-survey-data.csv");
    let run = screenscore(
        &["redcap", "skeleton", &export, "--form", "completion_data"],
        b"",
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("(this looks like a data export, not the data dictionary)"),
        "{}",
        run.stderr
    );

    let run = screenscore(
        &["redcap", "skeleton", "no-such-file.csv", "--form", "f"],
        b"",
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: cannot read the data dictionary no-such-file.csv: "),
        "{}",
        run.stderr
    );
}

#[test]
fn the_output_is_never_written_over_the_dictionary() {
    let dir = temp_dir("redcap-skeleton-over-input");
    let source = std::fs::read(data("redcap/interop/redcapr-survey-dictionary.csv")).unwrap();
    let dictionary = dir.join("dictionary.csv");
    std::fs::write(&dictionary, &source).unwrap();
    let path = dictionary.to_str().unwrap();
    let run = screenscore(
        &[
            "redcap",
            "skeleton",
            path,
            "--form",
            "completion_data",
            "-o",
            path,
        ],
        b"",
    );
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("the data dictionary"), "{}", run.stderr);
    assert_eq!(std::fs::read(&dictionary).unwrap(), source);
}
