//! REDCap exports scored as they are (`score --redcap`), over the hand-written clinic project
//! in tests/data/redcap/clinic: its `expected.json` states each row's results, with the
//! arithmetic.

use serde_json::Value;

use crate::support::{TempDir, data, read, records, rows, screenscore, temp_dir};

pub(crate) const CLINIC: &str = "redcap/clinic";

pub(crate) fn clinic(file: &str) -> String {
    data(&format!("{CLINIC}/{file}"))
}

pub(crate) fn expected() -> Value {
    serde_json::from_str(&read(std::path::Path::new(&clinic("expected.json")))).unwrap()
}

/// `redcap map` of the PHQ-9 and GAD-7 forms of `dictionary`, joined into one map file.
pub(crate) fn maps(dir: &TempDir, dictionary: &str, recode: bool) -> String {
    let mut joined = String::new();
    for (form, id) in [("phq9_form", "phq9"), ("gad7_form", "gad7")] {
        let mut args = vec!["redcap", "map", dictionary, "--form", form, "--to", id];
        if recode {
            args.push("--recode-by-label");
        }
        let run = screenscore(&args, b"");
        assert_eq!(run.code, 0, "{}", run.transcript());
        let body = run.stdout.split_once('\n').unwrap();
        if joined.is_empty() {
            joined.push_str(body.0);
            joined.push('\n');
        }
        joined.push_str(body.1);
    }
    let path = dir.join("clinic.map.csv");
    std::fs::write(&path, joined).unwrap();
    path.to_str().unwrap().to_string()
}

/// Score `export` of the clinic project with `extra` flags (`name`: the test's directory).
pub(crate) fn score(name: &str, export: &str, extra: &[&str]) -> crate::support::Run {
    let dir = temp_dir(name);
    let map = maps(&dir, &clinic("dictionary.csv"), false);
    let dictionary = clinic("dictionary.csv");
    let input = clinic(export);
    let mut args = vec![
        "score",
        "--redcap",
        &dictionary,
        "-i",
        "phq9",
        "-i",
        "gad7",
        "--map",
        &map,
        "--missing",
        "UNK",
        &input,
    ];
    args.extend(extra);
    screenscore(&args, b"")
}

#[test]
fn the_clinic_export_scores_as_its_fixture_states() {
    let run = score("redcap-clinic-1", "export-raw.csv", &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let expected = expected();
    let rows = rows(&run.stdout);
    let cases = expected["rows"].as_array().unwrap();
    assert_eq!(rows.len(), cases.len());
    for (row, case) in rows.iter().zip(cases) {
        let at = format!("row {} ({})", case["row"], case["why"]);
        assert_eq!(
            row["record_id"],
            case["record_id"].as_str().unwrap(),
            "{at}"
        );
        for id in ["phq9", "gad7"] {
            let want = &case[id];
            let col = |suffix: &str| row[&format!("{id}_{suffix}")].clone();
            assert_eq!(col("status"), want["status"].as_str().unwrap(), "{id} {at}");
            if want["status"] == "absent" {
                assert_eq!(col("total"), "", "{id} {at}");
                assert_eq!(col("notes"), "", "{id} {at}");
                continue;
            }
            let total = want["total"]
                .as_f64()
                .map(|t| t.to_string())
                .unwrap_or_default();
            assert_eq!(col("total"), total, "{id} {at}");
            let band = want["band"].as_str().unwrap_or_default();
            assert_eq!(col("total_band"), band, "{id} {at}");
            let flags: Vec<&str> = want["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect();
            let mut got: Vec<String> = col("flags")
                .split(';')
                .filter(|f| !f.is_empty())
                .map(String::from)
                .collect();
            got.sort();
            let mut flags: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
            flags.sort();
            assert_eq!(got, flags, "{id} {at}");
            // REDCap's calculated total is compared: a note exactly where it differs.
            let notes = col("notes");
            let redcap = want["redcap_total"].as_f64().unwrap();
            let differs = want["total"].as_f64() != Some(redcap);
            assert_eq!(
                notes.contains(&format!("REDCap's {id}_total is {redcap}")),
                differs,
                "{id} {at}: {notes}"
            );
            // The form's completion status, when it is not Complete.
            let status = match want["complete"].as_str().unwrap() {
                "0" => Some("Incomplete"),
                "1" => Some("Unverified"),
                _ => None,
            };
            for word in ["Incomplete", "Unverified"] {
                let said = notes.contains(&format!("form {id}_form is marked {word}"));
                assert_eq!(said, status == Some(word), "{id} {at}: {notes}");
            }
            let timestamp = row[&format!("{id}_form_timestamp")].clone();
            assert_eq!(
                notes.contains("[not completed]: no date"),
                timestamp == "[not completed]",
                "{id} {at}: {notes}"
            );
        }
    }
    // `{form}_complete` and `{form}_timestamp` are REDCap's, not misnamed items.
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

/// The score columns of a scored export: every column from the first instrument's on.
fn score_columns(csv: &str) -> Vec<Vec<Vec<u8>>> {
    let records = records(csv.as_bytes());
    let first = records[0].iter().position(|h| h == b"phq9_total").unwrap();
    records
        .iter()
        .map(|r| r.iter().skip(first).map(<[u8]>::to_vec).collect())
        .collect()
}

#[test]
fn a_label_export_gives_the_score_columns_of_the_raw_export() {
    let raw = score("redcap-clinic-2", "export-raw.csv", &[]);
    let labels = score("redcap-clinic-3", "export-labels.csv", &[]);
    assert_eq!(labels.code, 0, "{}", labels.transcript());
    // Byte for byte, but for the notes' completion status, which a label export words as
    // REDCap shows it (the same words).
    assert_eq!(score_columns(&labels.stdout), score_columns(&raw.stdout));
}

#[test]
fn a_project_coded_1_to_4_is_refused_without_and_recoded_with_recode_by_label() {
    let dictionary = clinic("dictionary-1to4.csv");
    let run = screenscore(
        &[
            "redcap",
            "map",
            &dictionary,
            "--form",
            "phq9_form",
            "--to",
            "phq9",
        ],
        b"",
    );
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.stderr.replace(&dictionary, "DICT"), @"error: DICT: field phq9_q1: choices 1–4; phq9 expects 0–3 (give --recode-by-label to recode them by their labels)");

    let dir = temp_dir("redcap-1to4");
    let map = dir.join("phq9.map.csv");
    let map = map.to_str().unwrap();
    let args = [
        "redcap",
        "map",
        &dictionary,
        "--form",
        "phq9_form",
        "--to",
        "phq9",
        "--recode-by-label",
        "-o",
        map,
    ];
    let run = screenscore(&args, b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    let input = clinic("export-raw-1to4.csv");
    let args = [
        "score",
        "--redcap",
        &dictionary,
        "-i",
        "phq9",
        "--map",
        map,
        &input,
    ];
    let run = screenscore(&args, b"");
    let rows = rows(&run.stdout);
    let cases = expected()["rows_1to4"].as_array().unwrap().clone();
    assert_eq!(rows.len(), cases.len());
    for (row, case) in rows.iter().zip(&cases) {
        let want = &case["phq9"];
        let total = want["total"]
            .as_f64()
            .map(|t| t.to_string())
            .unwrap_or_default();
        assert_eq!(row["phq9_total"], total, "{}", case["why"]);
        assert_eq!(row["phq9_status"], want["status"].as_str().unwrap());
        assert!(
            row["phq9_notes"]
                .contains("answers recoded by label from REDCap's codes (1→0, 2→1, 3→2, 4→3)"),
            "{}",
            row["phq9_notes"]
        );
    }
}

#[test]
fn require_complete_leaves_forms_not_marked_complete_unscored() {
    let run = score("redcap-clinic-4", "export-raw.csv", &["--require-complete"]);
    let rows = rows(&run.stdout);
    let expected = expected();
    for (row, case) in rows.iter().zip(expected["rows"].as_array().unwrap()) {
        for id in ["phq9", "gad7"] {
            let want = &case[id];
            let marked = want["complete"].as_str();
            let status = &row[&format!("{id}_status")];
            if want["status"] == "absent" {
                assert_eq!(status, "absent");
            } else if marked == Some("2") {
                assert_eq!(status, want["status"].as_str().unwrap());
            } else {
                assert_eq!(status, "absent", "{}", case["why"]);
                assert!(
                    row[&format!("{id}_notes")]
                        .contains(": not scored (only forms marked Complete are)")
                );
            }
        }
    }
}

#[test]
fn change_over_time_takes_the_record_id_and_the_survey_timestamp() {
    // Record 101's PHQ-9: 12 at baseline (2026-01-05), then 6 and 3 in the repeats.
    let run = score(
        "redcap-clinic-5",
        "export-raw.csv",
        &["--client-col", "record_id"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let rows = rows(&run.stdout);
    assert_eq!(rows[3]["phq9_total_change_first"], (3 - 12).to_string());
    assert_eq!(rows[3]["phq9_total_change_previous"], (3 - 6).to_string());
    // Record 102's repeat has answers and a `[not completed]` timestamp: no date.
    assert!(
        rows[6]["phq9_change_notes"].starts_with("no date"),
        "{:?}",
        rows[6]
    );
}

#[test]
fn scores_written_back_read_as_the_dictionary_says() {
    let dir = temp_dir("redcap-import");
    let out = dir.join("import.csv");
    let out = out.to_str().unwrap();
    let run = score(
        "redcap-clinic-6",
        "export-raw.csv",
        &[
            "--format",
            "redcap-import",
            "--score-fields",
            "phq9_total=phq9_score,gad7_total=gad7_score",
            "-o",
            out,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let written = read(std::path::Path::new(out));
    // The dictionary, read with the csv crate: each field's type, validation and range.
    let mut dictionary = csv::Reader::from_path(clinic("dictionary.csv")).unwrap();
    let fields: Vec<csv::StringRecord> = dictionary.records().map(Result::unwrap).collect();
    let field = |name: &str| {
        fields
            .iter()
            .find(|f| f[0].trim_start_matches('\u{feff}') == name)
    };
    let mut reader = csv::Reader::from_reader(written.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "record_id",
            "redcap_event_name",
            "redcap_repeat_instrument",
            "redcap_repeat_instance",
            "phq9_score",
            "gad7_score"
        ]
    );
    let events: Vec<String> = csv::Reader::from_path(clinic("events.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap()[2].to_string())
        .collect();
    let expected = expected();
    let administered: Vec<&Value> = expected["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["phq9"]["status"] != "absent" || r["gad7"]["status"] != "absent")
        .collect();
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(lines.len(), administered.len());
    for (line, case) in lines.iter().zip(administered) {
        assert_eq!(&line[0], case["record_id"].as_str().unwrap());
        assert!(events.iter().any(|e| *e == line[1]), "{line:?}");
        assert_eq!(&line[2], case["repeat_instrument"].as_str().unwrap());
        for (c, name, id) in [(4, "phq9_score", "phq9"), (5, "gad7_score", "gad7")] {
            let f = field(name).unwrap();
            assert_eq!(&f[3], "text");
            let cell = &line[c];
            match case[id]["total"].as_f64() {
                None => assert_eq!(cell, "", "{name} {line:?}"),
                Some(total) => {
                    let value: f64 = cell.parse().unwrap();
                    assert_eq!(value, total);
                    let (min, max): (f64, f64) = (f[8].parse().unwrap(), f[9].parse().unwrap());
                    assert!((min..=max).contains(&value));
                    match &f[7] {
                        "integer" => assert!(!cell.contains('.'), "{cell}"),
                        "number_1dp" => assert_eq!(cell.split_once('.').unwrap().1.len(), 1),
                        other => panic!("validation {other}"),
                    }
                }
            }
        }
    }
}

#[test]
fn what_does_not_fit_is_refused_with_its_field() {
    let dictionary = clinic("dictionary.csv");
    let export = clinic("export-raw.csv");
    let labels = clinic("export-labels.csv");
    let dir = temp_dir("redcap-refusals");
    let map = maps(&dir, &dictionary, false);
    let other_map = dir.join("other.map.csv");
    std::fs::write(&other_map, "from,to\nq1_phq,phq9_1\n").unwrap();
    let checkbox_map = dir.join("checkbox.map.csv");
    std::fs::write(&checkbox_map, "from,to\ncontact_pref,phq9_1\n").unwrap();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "unknown form",
            vec![
                "redcap",
                "map",
                &dictionary,
                "--form",
                "phq9",
                "--to",
                "phq9",
            ],
        ),
        (
            "export given as the dictionary",
            vec![
                "redcap",
                "map",
                &export,
                "--form",
                "phq9_form",
                "--to",
                "phq9",
            ],
        ),
        (
            "map from another project",
            vec![
                "score",
                "--redcap",
                &dictionary,
                "-i",
                "phq9",
                "--map",
                other_map.to_str().unwrap(),
                &export,
            ],
        ),
        (
            "checkbox field as an item",
            vec![
                "score",
                "--redcap",
                &dictionary,
                "-i",
                "phq9",
                "--map",
                checkbox_map.to_str().unwrap(),
                &export,
            ],
        ),
        (
            "calculated field to import into",
            vec![
                "score",
                "--redcap",
                &dictionary,
                "-i",
                "phq9",
                "--map",
                &map,
                &export,
                "--format",
                "redcap-import",
                "--score-fields",
                "phq9_total=phq9_total",
            ],
        ),
        (
            "score field on another form",
            vec![
                "score",
                "--redcap",
                &dictionary,
                "-i",
                "phq9",
                "--map",
                &map,
                &export,
                "--format",
                "redcap-import",
                "--score-fields",
                "phq9_total=gad7_score",
            ],
        ),
        (
            "import from a label export",
            vec![
                "score",
                "--redcap",
                &dictionary,
                "-i",
                "phq9",
                "--map",
                &map,
                &labels,
                "--format",
                "redcap-import",
                "--score-fields",
                "phq9_total=phq9_score",
            ],
        ),
    ];
    let mut said = String::new();
    for (what, args) in cases {
        let run = screenscore(&args, b"");
        assert_eq!(run.code, 2, "{what}: {}", run.transcript());
        let error = run
            .stderr
            .lines()
            .find(|l| l.starts_with("error:"))
            .unwrap_or_default();
        said.push_str(&format!(
            "{what}: {}\n",
            error
                .replace(&dictionary, "DICT")
                .replace(&export, "EXPORT")
        ));
    }
    insta::assert_snapshot!(said, @r#"
    unknown form: error: DICT: the dictionary has no form `phq9`; its forms: intake, phq9_form, gad7_form, contact
    export given as the dictionary: error: EXPORT: line 1: this is not a REDCap data dictionary (this looks like a data export, not the data dictionary): its header is record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,intake_date,sex,intake_complete,phq9_form_timestamp,phq9_q1,phq9_q2,phq9_q3,phq9_q4,phq9_q5,phq9_q6,phq9_q7,phq9_q8,phq9_q9,…; expected "Variable / Field Name","Form Name",… (the Data Dictionary page's download) or field_name,form_name,… (the API's metadata export), at least to the 8th column (Text Validation Type OR Show Slider Number)
    map from another project: error: DICT: the column map renames `q1_phq` (to `phq9_1`), which is not a field of the data dictionary: was the map derived from another project's dictionary?
    checkbox field as an item: error: DICT: field contact_pref is a checkbox field (several answers, in its ___CODE columns); an item needs a radio, dropdown, yes/no or true/false field, so it cannot be phq9_1
    calculated field to import into: error: --score-fields phq9_total=phq9_total: it is a calc field; a score is imported into a text field (REDCap computes calculated fields itself)
    score field on another form: error: --score-fields phq9_total=gad7_score: it is on form gad7_form, not on phq9_form where the phq9 items are: a value is imported only into a form of the row's event (and repeat), so put the score field on phq9_form
    import from a label export: error: cannot write the output: record 1: redcap_event_name is `Baseline (Arm 1: Arm 1)`, a label, not REDCap's name: an import file is made from an export of raw data (codes), not of labels
    "#);
}

#[test]
fn a_column_named_as_a_score_column_is_passed_through_renamed() {
    // Without --redcap, REDCap's calculated phq9_total is another column: it is kept, under
    // another name, and the score column is screenscore's.
    let mut csv = String::from("id,phq9_total");
    for i in 1..=9 {
        csv.push_str(&format!(",phq9_{i}"));
    }
    csv.push_str("\nA,99,1,1,1,1,1,1,1,1,1\n");
    let run = screenscore(&["score", "-i", "phq9"], csv.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    let rows = rows(&run.stdout);
    assert_eq!(rows[0]["phq9_total_input"], "99");
    // Nine items answered 1: 9.
    assert_eq!(rows[0]["phq9_total"], "9");
    let header = run.stdout.lines().next().unwrap();
    assert_eq!(header.matches("phq9_total,").count(), 1, "{header}");
    assert_eq!(run.stderr.matches("warning").count(), 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr.lines().next().unwrap(), @"warning: the input's column `phq9_total` has the name of a score column screenscore writes: it is passed through as `phq9_total_input`");
}

#[test]
fn report_reads_a_redcap_export_with_no_client_or_date_flags() {
    let dir = temp_dir("redcap-report");
    let map = maps(&dir, &clinic("dictionary.csv"), false);
    let out = dir.join("reports");
    let dictionary = clinic("dictionary.csv");
    let export = clinic("export-raw.csv");
    let args = [
        "report",
        "--redcap",
        &dictionary,
        "-i",
        "phq9",
        "--map",
        &map,
        &export,
        "--out-dir",
        out.to_str().unwrap(),
        "--format",
        "json",
    ];
    let run = screenscore(&args, b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    // One report per record id of the export.
    assert_eq!(
        crate::support::names(&out),
        ["101.json", "102.json", "103.json", "104.json"]
    );
}
