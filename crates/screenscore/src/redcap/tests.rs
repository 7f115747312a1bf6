//! Unit tests of the dictionary reader, choices, plain text and the skeleton.

use super::header::{API, UI};
use super::*;

/// The UI header as REDCap writes it: names quoted, but `Identifier?` bare.
fn ui_header() -> String {
    UI.iter()
        .map(|name| {
            if *name == "Identifier?" {
                name.to_string()
            } else {
                format!("\"{name}\"")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A row of 18 cells: the first five given, then choices, then the rest empty.
fn row(name: &str, form: &str, field_type: &str, label: &str, choices: &str) -> String {
    let mut cells = vec![
        name.to_string(),
        form.to_string(),
        String::new(),
        field_type.to_string(),
        label.to_string(),
        choices.to_string(),
    ];
    cells.resize(18, String::new());
    cells.join(",")
}

fn api(rows: &[String]) -> String {
    let mut text = API.join(",");
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    text
}

fn err(csv: &str) -> String {
    Dictionary::from_csv(csv.as_bytes())
        .unwrap_err()
        .to_string()
}

#[test]
fn both_header_kinds_are_recognised() {
    let rows = [row("record_id", "f", "text", "ID", "")];
    let ui = format!("{}\n{}\n", ui_header(), rows[0]);
    assert_eq!(
        Dictionary::from_csv(ui.as_bytes()).unwrap().header_kind(),
        HeaderKind::Ui
    );
    let d = Dictionary::from_csv(api(&rows).as_bytes()).unwrap();
    assert_eq!(d.header_kind(), HeaderKind::Api);
    // Names matched after trimming, regardless of case.
    let shouting = api(&rows).replacen("field_name,form_name", " FIELD_NAME , Form_Name", 1);
    assert_eq!(
        Dictionary::from_csv(shouting.as_bytes())
            .unwrap()
            .header_kind(),
        HeaderKind::Api
    );
}

#[test]
fn a_header_may_stop_after_the_eighth_column_but_not_before() {
    let eight = format!("{}\nrecord_id,f,,text,ID,,,\n", API[..8].join(","));
    let d = Dictionary::from_csv(eight.as_bytes()).unwrap();
    assert_eq!(d.record_id().annotation, "");
    assert!(!d.record_id().required);
    let seven = format!("{}\nrecord_id,f,,text,ID,,\n", API[..7].join(","));
    assert!(err(&seven).starts_with(
        "line 1: this is not a REDCap data dictionary: its header is field_name,form_name,"
    ));
    let nineteen = format!(
        "{},extra\n{},\n",
        API.join(","),
        row("a", "f", "text", "A", "")
    );
    assert!(matches!(
        Dictionary::from_csv(nineteen.as_bytes()),
        Err(DictionaryError::NotADictionary { .. })
    ));
    // UI and API names mixed are neither.
    let mixed = format!("{},{}\n", UI[0], API[1..].join(","));
    assert!(matches!(
        Dictionary::from_csv(mixed.as_bytes()),
        Err(DictionaryError::NotADictionary {
            looks_like_export: false,
            ..
        })
    ));
}

#[test]
fn bom_crlf_and_a_label_over_three_lines_keep_lines_as_an_editor_counts_them() {
    let text = format!(
        "\u{feff}{}\r\n{}\r\n{}\r\n{}\r\n",
        ui_header(),
        row("record_id", "intake", "text", "Record ID", ""),
        row(
            "mood",
            "intake",
            "radio",
            "\"<p>How is your mood,\r\nall things\r\nconsidered?</p>\"",
            "\"0, Low | 1, Good\""
        ),
        row("sleep", "intake", "yesno", "Sleep OK?", ""),
    );
    let d = Dictionary::from_csv(text.as_bytes()).unwrap();
    assert_eq!(d.header_kind(), HeaderKind::Ui);
    let lines: Vec<u64> = d.fields().iter().map(|f| f.line).collect();
    // Header on 1, record_id on 2, mood on 3 to 5, sleep on 6.
    assert_eq!(lines, [2, 3, 6]);
    let mood = d.field("mood").unwrap();
    assert_eq!(
        mood.label,
        "<p>How is your mood,\r\nall things\r\nconsidered?</p>"
    );
    assert_eq!(
        mood.plain_label(),
        "How is your mood, all things considered?"
    );
    assert_eq!(d.field("SLEEP").unwrap().choices.len(), 2);
    assert_eq!(d.form_of("Sleep"), Some("intake"));
    assert_eq!(d.forms(), ["intake"]);
}

#[test]
fn fields_are_read_column_by_column() {
    let mut cells: Vec<String> = [
        "weight",
        "body",
        "Measures",
        "text",
        "Weight (kg)",
        "",
        "Scale at clinic",
        "number",
        "30",
        "250",
        "y",
        "[age] > 17",
        "y",
        "RH",
        "4",
        "",
        "",
        "@HIDDEN",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let first = row("record_id", "body", "text", "ID", "");
    let text = api(&[first.clone(), cells.join(",")]);
    let w = Dictionary::from_csv(text.as_bytes()).unwrap();
    let w = w.field("weight").unwrap();
    assert_eq!(
        (
            w.section_header.as_str(),
            w.note.as_str(),
            w.annotation.as_str()
        ),
        ("Measures", "Scale at clinic", "@HIDDEN")
    );
    assert_eq!(
        (
            w.validation.as_deref(),
            w.validation_min.as_deref(),
            w.validation_max.as_deref()
        ),
        (Some("number"), Some("30"), Some("250"))
    );
    assert!(w.identifier && w.required);
    assert_eq!(w.branching_logic.as_deref(), Some("[age] > 17"));

    // R's NA is empty in optional columns, but not in the label.
    for i in [2, 5, 6, 7, 8, 9, 10, 11, 12, 17] {
        cells[i] = "NA".to_string();
    }
    cells[4] = "NA".to_string();
    let text = api(&[first, cells.join(",")]);
    let d = Dictionary::from_csv(text.as_bytes()).unwrap();
    let w = d.field("weight").unwrap();
    assert_eq!((w.section_header.as_str(), w.note.as_str()), ("", ""));
    assert_eq!(
        (w.validation.as_ref(), w.branching_logic.as_ref()),
        (None, None)
    );
    assert!(!w.identifier && !w.required);
    assert_eq!(w.label, "NA");
}

#[test]
fn calc_and_slider_keep_their_text() {
    let text = api(&[
        row("record_id", "f", "text", "ID", ""),
        row("bmi", "f", "calc", "BMI", "\"round([w]/([h]^2),1)\""),
        row("pain", "f", "slider", "Pain", "None | Some | Worst"),
        row("ok", "f", "truefalse", "OK", ""),
    ]);
    let d = Dictionary::from_csv(text.as_bytes()).unwrap();
    let bmi = d.field("bmi").unwrap();
    assert_eq!(bmi.calculation.as_deref(), Some("round([w]/([h]^2),1)"));
    assert!(bmi.choices.is_empty() && !bmi.is_single_choice());
    assert_eq!(
        d.field("pain").unwrap().slider_labels.as_deref(),
        Some("None | Some | Worst")
    );
    let ok = d.field("ok").unwrap();
    let pairs: Vec<(&str, &str)> = ok
        .choices
        .iter()
        .map(|c| (c.code.as_str(), c.label.as_str()))
        .collect();
    assert_eq!(pairs, [("1", "True"), ("0", "False")]);
}

#[test]
fn choices_split_on_bars_then_the_first_comma() {
    let text = api(&[
        row("record_id", "f", "text", "ID", ""),
        row(
            "q",
            "f",
            "dropdown",
            "Q",
            "\" -1 , Refused|0, No, never | 1,Yes, <b>often</b>|x_2, Other\"",
        ),
    ]);
    let d = Dictionary::from_csv(text.as_bytes()).unwrap();
    let got: Vec<(&str, &str)> = d
        .field("q")
        .unwrap()
        .choices
        .iter()
        .map(|c| (c.code.as_str(), c.label.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("-1", "Refused"),
            ("0", "No, never"),
            ("1", "Yes, <b>often</b>"),
            ("x_2", "Other")
        ]
    );
    assert_eq!(d.field("q").unwrap().choices[2].plain_label(), "Yes, often");
}

#[test]
fn choices_that_cannot_be_read_are_refused_with_field_and_line() {
    let refuse = |choices: &str| {
        let text = api(&[
            row("record_id", "f", "text", "ID", ""),
            row("q", "f", "radio", "Q", choices),
        ]);
        err(&text)
    };
    insta::assert_snapshot!(refuse("\"0, No | 1 Yes\""), @"line 3: the choices of field `q` (`1 Yes`): a choice has no comma: write its code, a comma and its label (`1, Yes`)");
    insta::assert_snapshot!(refuse("\"0, No | , Yes\""), @"line 3: the choices of field `q` (`, Yes`): a choice has an empty code");
    insta::assert_snapshot!(refuse("\"0, No | 0, Yes\""), @"line 3: the choices of field `q` (`0, Yes`): code `0` is used by an earlier choice");
    insta::assert_snapshot!(refuse(""), @"line 3: the choices of field `q` (``): there are no choices; a radio, dropdown or checkbox field needs them, written `1, First | 2, Second`");
    insta::assert_snapshot!(refuse("\"0, No || 1, Yes\""), @"line 3: the choices of field `q` (`0, No || 1, Yes`): a choice is empty (two `|` with nothing between them, or one at an end)");
    insta::assert_snapshot!(refuse("\"0, No | y es, Yes\""), @"line 3: the choices of field `q` (`y es, Yes`): a code must be a number (`2`, `-1`) or letters, digits and `_` (`a_1`)");
}

#[test]
fn plain_text_removes_html_entities_and_piping() {
    let cases = [
        (
            "<div class=\"rich-text-field-label\"><p style=\"text-align: center;\">Hello</p></div>",
            "Hello",
        ),
        ("Line one<br>line two", "Line one line two"),
        ("<b>Bold</b>face", "Boldface"),
        (
            "Tom &amp; Jerry &quot;quoted&quot; &#39;single&#39; &lt;tag&gt;",
            "Tom & Jerry \"quoted\" 'single' <tag>",
        ),
        ("&#65;&#x42;&nbsp;&nbsp;C", "AB C"),
        ("&unknown; & alone", "&unknown; & alone"),
        (
            "Hello [name_first], seen at [event_1_arm_1][visit_date]",
            "Hello , seen at",
        ),
        (
            "[sex:label] and [gym(2)] by [record-name] on [survey-date-completed:intake]",
            "and by on",
        ),
        ("Rate [0-10]; [See note]", "Rate [0-10]; [See note]"),
        ("x < 5 and y > 2", "x < 5 and y > 2"),
        ("  spaced \t\n out  ", "spaced out"),
        ("<unclosed", "<unclosed"),
    ];
    for (label, plain) in cases {
        assert_eq!(plain_text(label), plain, "{label}");
    }
}

#[test]
fn a_field_defined_twice_names_both_lines() {
    let text = api(&[
        row("record_id", "f", "text", "ID", ""),
        row("mood", "f", "yesno", "Mood", ""),
        row("sleep", "f", "yesno", "Sleep", ""),
        row("Mood", "g", "yesno", "Mood again", ""),
    ]);
    // `Mood` is not a REDCap name; the duplicate of a valid name is.
    assert!(err(&text).contains("field name `Mood`"));
    let text = text.replace("Mood,g", "mood,g");
    insta::assert_snapshot!(err(&text), @"line 5: field `mood` is defined twice, first on line 3");
    match Dictionary::from_csv(text.as_bytes()).unwrap_err() {
        DictionaryError::DuplicateField { field, first, line } => {
            assert_eq!((field.as_str(), first, line), ("mood", 3, 5));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unknown_form_lists_the_forms() {
    let text = api(&[
        row("record_id", "demographics", "text", "ID", ""),
        row("q1", "phq", "yesno", "Q1", ""),
        row("q2", "gad", "yesno", "Q2", ""),
        row("q3", "phq", "yesno", "Q3", ""),
    ]);
    let d = Dictionary::from_csv(text.as_bytes()).unwrap();
    assert_eq!(d.forms(), ["demographics", "phq", "gad"]);
    let names: Vec<&str> = d
        .form("PHQ")
        .unwrap()
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["q1", "q3"]);
    insta::assert_snapshot!(d.form("phq9").unwrap_err(), @"the dictionary has no form `phq9`; its forms: demographics, phq, gad");
}

#[test]
fn a_data_export_given_as_the_dictionary_says_so() {
    let export = "record_id,redcap_event_name,mood,intake_complete\n1,baseline_arm_1,2,2\n";
    insta::assert_snapshot!(err(export), @"line 1: this is not a REDCap data dictionary (this looks like a data export, not the data dictionary): its header is record_id,redcap_event_name,mood,intake_complete; expected \"Variable / Field Name\",\"Form Name\",… (the Data Dictionary page's download) or field_name,form_name,… (the API's metadata export), at least to the 8th column (Text Validation Type OR Show Slider Number)");
    let complete_only = "record_id,mood,intake_complete\n1,2,2\n";
    assert!(err(complete_only).contains("this looks like a data export"));
}

#[test]
fn rows_and_names_that_cannot_be_fields_are_refused() {
    let short = format!("{}\nrecord_id,f,,text,ID\n", API.join(","));
    insta::assert_snapshot!(err(&short), @"line 2: the row has 5 cells but the header has 18");
    let cases = [
        (
            row("", "f", "text", "ID", ""),
            "line 2: field name ``: it is empty; every row needs a field name",
        ),
        (
            row("1st", "f", "text", "ID", ""),
            "line 2: field name `1st`: REDCap field names start with a lowercase letter",
        ),
        (
            row("my-id", "f", "text", "ID", ""),
            "line 2: field name `my-id`: REDCap field names hold only lowercase letters, digits and `_`",
        ),
        (
            row("record_id", "", "text", "ID", ""),
            "line 2: field `record_id` has no form name",
        ),
        (
            row("record_id", "f", "matrix", "ID", ""),
            "line 2: field `record_id` has field type `matrix`; REDCap's are text, notes, dropdown, radio, checkbox, yesno, truefalse, calc, file, slider, descriptive, sql",
        ),
    ];
    for (r, message) in cases {
        assert_eq!(err(&api(&[r])), message);
    }
    // Blank rows (a spreadsheet's) are skipped; a file with no field is empty.
    let blank = api(&[",".repeat(17), row("record_id", "f", "text", "ID", "")]);
    assert_eq!(
        Dictionary::from_csv(blank.as_bytes()).unwrap().fields()[0].line,
        3
    );
    insta::assert_snapshot!(err(&api(&[])), @"the data dictionary is empty: expected REDCap's header and a row per field");
    assert!(matches!(
        Dictionary::from_csv(b""),
        Err(DictionaryError::Empty)
    ));
    let utf16 = b"\xFF\xFEf\0";
    insta::assert_snapshot!(Dictionary::from_csv(utf16).unwrap_err(), @"line 1: the file is UTF-16; save the data dictionary as CSV in UTF-8 (REDCap downloads it so)");
}

#[cfg(unix)]
#[test]
fn from_path_refuses_what_is_not_a_regular_file() {
    let err = Dictionary::from_path("/").unwrap_err();
    assert!(matches!(err, DictionaryError::Read { .. }));
    assert!(
        err.to_string()
            .starts_with("cannot read the data dictionary /: "),
        "{err}"
    );
}

fn skeleton_of(rows: &[String], form: &str) -> Result<Skeleton, DictionaryError> {
    let d = Dictionary::from_csv(api(rows).as_bytes()).unwrap();
    build_skeleton(&d, form, "dd.csv")
}

#[test]
fn a_skeleton_makes_items_of_single_choice_and_slider_fields_only() {
    let rows = [
        row("record_id", "intake", "text", "ID", ""),
        row(
            "q1",
            "phq",
            "radio",
            "<b>Little</b> interest [name]",
            "\"0, Not at all | 1, Several days\"",
        ),
        row(
            "q2",
            "phq",
            "dropdown",
            "Feeling down",
            "\"0, Not at all | 1, Several days\"",
        ),
        row("q3", "phq", "yesno", "Asked?", ""),
        row("q4", "phq", "truefalse", "True?", ""),
        row("q5", "phq", "slider", "Pain", "None | Worst"),
        row("note", "phq", "notes", "Notes", ""),
        row("tot", "phq", "calc", "Total", "\"[q1]+[q2]\""),
        row("cb", "phq", "checkbox", "Which", "\"1, A | 2, B\""),
        row("info", "phq", "descriptive", "Read this", ""),
        row("up", "phq", "file", "Upload", ""),
        row("q6", "phq", "radio", "Lettered", "\"a, Yes | b, No\""),
    ];
    let s = skeleton_of(&rows, "phq").unwrap();
    let d = &s.definition;
    let ids: Vec<&str> = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["q1", "q2", "q3", "q4", "q5", "q6"]);
    let left: Vec<(&str, u64)> = s
        .left_out
        .iter()
        .map(|l| (l.field.as_str(), l.line))
        .collect();
    assert_eq!(
        left,
        [
            ("note", 8),
            ("tot", 9),
            ("cb", 10),
            ("info", 11),
            ("up", 12)
        ]
    );
    assert_eq!(d["id"], "phq");
    assert_eq!(d["status"], "unvalidated");
    assert_eq!(d["items"][0]["label"], "Little interest");
    assert_eq!(
        d["items"][0]["source"]["ref"],
        "dd.csv, line 3 (field q1, radio)"
    );
    // q1 and q2 share one response set; yes/no, true/false, slider and letters have their own.
    let sets: Vec<&str> = d["response_sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        sets,
        [
            "choices_q1",
            "redcap_yesno",
            "redcap_truefalse",
            "redcap_slider",
            "choices_q6"
        ]
    );
    assert_eq!(d["items"][1]["response_set"], "choices_q1");
    // The slider: 0 to 100, 101 options.
    let slider = &d["response_sets"][3]["options"];
    assert_eq!(slider.as_array().unwrap().len(), 101);
    assert_eq!(
        (slider[0]["value"].as_f64(), slider[100]["value"].as_f64()),
        (Some(0.0), Some(100.0))
    );
    // Letters: shown, not scored; codes kept.
    assert_eq!(d["items"][5]["scored"], false);
    assert_eq!(
        d["response_sets"][4]["options"][0],
        serde_json::json!({"label": "Yes", "code": "a"})
    );
    // The placeholder scale: the five numeric items; 0-1 + 0-1 + 0-1 + 0-1 + 0-100.
    assert_eq!(d["scales"].as_array().unwrap().len(), 1);
    assert_eq!(
        d["scales"][0]["items"],
        serde_json::json!(["q1", "q2", "q3", "q4", "q5"])
    );
    assert!(d["scales"][0].get("bands").is_none());
    let instrument = crate::Instrument::from_json(&d.to_string()).unwrap();
    assert_eq!(
        instrument.scale_range(skeleton::PLACEHOLDER_SCALE),
        Some((0.0, 1.0 + 1.0 + 1.0 + 1.0 + 100.0))
    );
    let notes: Vec<&str> = d["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(notes.iter().any(|n| n.starts_with("Calc field `tot` (dd.csv, line 9 (field tot, calc)), not an item: REDCap computes it as [q1]+[q2]")), "{notes:#?}");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("labels, left to right: None | Worst")),
        "{notes:#?}"
    );
    assert!(notes.contains(&"Left out `cb` (checkbox, line 10): a checkbox field: any number of answers at once (REDCap exports one column per choice, field___code), which one item cannot hold"), "{notes:#?}");
    assert!(notes.iter().any(|n| n.starts_with("Response set `choices_q1` (line 3) is shared by fields q1, q2")), "{notes:#?}");
}

#[test]
fn labels_that_would_read_as_another_answer_are_told_apart() {
    let rows = [
        row("record_id", "f", "text", "ID", ""),
        row(
            "kids",
            "f",
            "radio",
            "Children",
            "\"1, 0 | 2, 1 | 3, 2 or more\"",
        ),
        row("same", "f", "radio", "Same", "\"0, No | 1, no\""),
    ];
    let d = skeleton_of(&rows, "f").unwrap().definition;
    let labels = |set: usize| -> Vec<String> {
        d["response_sets"][set]["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["label"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(labels(0), ["0 (code 1)", "1 (code 2)", "2 or more"]);
    assert_eq!(labels(1), ["No (code 0)", "no (code 1)"]);
}

#[test]
fn a_form_without_items_or_numbers_is_an_error() {
    let rows = [
        row("record_id", "f", "text", "ID", ""),
        row("bmi", "f", "calc", "BMI", "1"),
        row("l", "g", "radio", "L", "\"a, A | b, B\""),
    ];
    insta::assert_snapshot!(skeleton_of(&rows, "f").unwrap_err(), @"form `f` has no radio, dropdown, yesno, truefalse or slider field: nothing to make items of (record_id (text), bmi (calc))");
    insta::assert_snapshot!(skeleton_of(&rows, "g").unwrap_err(), @"form `g`: no item has numeric codes (a slider, yesno, truefalse, or choices coded with numbers), so the skeleton could have no scale; a definition needs one");
    insta::assert_snapshot!(skeleton_of(&rows, "h").unwrap_err(), @"the dictionary has no form `h`; its forms: f, g");
}
