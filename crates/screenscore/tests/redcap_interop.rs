//! The REDCap data dictionary reader over REDCapR's test projects (tests/data/redcap/interop,
//! MIT; each file's origin in the `.source.txt` beside it). Expected values are read from the
//! files with the csv crate, independently of the reader under test.

use std::path::PathBuf;

use screenscore::redcap::{Dictionary, DictionaryError, FieldType, HeaderKind};

fn interop() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/redcap/interop")
}

fn files(suffixes: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(interop())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            suffixes.iter().any(|s| name.ends_with(s))
        })
        .collect();
    files.sort();
    files
}

fn dictionaries() -> Vec<PathBuf> {
    files(&["-dictionary.csv", "-metadata-api.csv"])
}

/// The file's records, header first, as the csv crate reads them.
fn records(path: &PathBuf) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn every_dictionary_parses_with_its_fields_forms_and_types() {
    let all = dictionaries();
    assert_eq!(all.len(), 5, "{all:?}");
    for path in all {
        let d = Dictionary::from_path(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let rows = records(&path);
        let api = path.to_string_lossy().ends_with("-api.csv");
        assert_eq!(
            d.header_kind(),
            if api { HeaderKind::Api } else { HeaderKind::Ui }
        );
        assert_eq!(d.fields().len(), rows.len() - 1, "{path:?}");
        assert_eq!(d.record_id().name, rows[1][0]);
        let mut forms: Vec<&str> = Vec::new();
        for (i, row) in rows[1..].iter().enumerate() {
            let field = &d.fields()[i];
            assert_eq!(field.name, row[0]);
            assert_eq!(field.form, row[1]);
            assert_eq!(field.field_type.as_str(), row[3]);
            assert_eq!(field.label, row[4]);
            // No label in these files spans lines: row i is on line i + 2.
            assert_eq!(field.line, i as u64 + 2, "{path:?} {}", field.name);
            if !forms.contains(&row[1].as_str()) {
                forms.push(&row[1]);
            }
            if matches!(row[3].as_str(), "radio" | "dropdown" | "checkbox") {
                let codes: Vec<String> = row[5]
                    .split('|')
                    .map(|c| c.split(',').next().unwrap().trim().to_string())
                    .collect();
                let read: Vec<&str> = field.choices.iter().map(|c| c.code.as_str()).collect();
                assert_eq!(read, codes, "{path:?} {}", field.name);
            }
            assert_eq!(d.field(&row[0].to_uppercase()).unwrap().name, row[0]);
            assert_eq!(d.form_of(&row[0]), Some(row[1].as_str()));
        }
        assert_eq!(d.forms(), forms, "{path:?}");
    }
}

#[test]
fn the_longitudinal_dictionary_reads_as_written() {
    let d = Dictionary::from_path(interop().join("redcapr-longitudinal-dictionary.csv")).unwrap();
    let ethnicity = d.field("ethnicity").unwrap();
    let labels: Vec<&str> = ethnicity.choices.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Hispanic or Latino",
            "NOT Hispanic or Latino",
            "Unknown / Not Reported"
        ]
    );
    let given_birth = d.field("given_birth").unwrap();
    assert_eq!(given_birth.field_type, FieldType::Yesno);
    assert_eq!(
        given_birth.branching_logic.as_deref(),
        Some("[sex] = \"0\"")
    );
    let mood = d.field("specify_mood").unwrap();
    assert_eq!(
        mood.slider_labels.as_deref(),
        Some("Very sad | Indifferent | Very happy")
    );
    assert_eq!(
        d.field("bmi").unwrap().calculation.as_deref(),
        Some("round(([weight]*10000)/(([height])^(2)),1)")
    );
    let height = d.field("height").unwrap();
    assert_eq!(
        (
            height.validation.as_deref(),
            height.validation_min.as_deref(),
            height.validation_max.as_deref()
        ),
        (Some("number"), Some("130"), Some("215"))
    );
    assert!(d.field("first_name").unwrap().identifier);
    assert_eq!(d.field("date_enrolled").unwrap().note, "YYYY-MM-DD");
    assert_eq!(d.form("patient_morale_questionnaire").unwrap().len(), 4);
}

#[test]
fn r_na_cells_of_the_api_export_are_empty() {
    let d = Dictionary::from_path(interop().join("redcapr-simple-metadata-api.csv")).unwrap();
    let first = d.field("name_first").unwrap();
    assert_eq!(first.section_header, "Contact Information");
    assert!(first.identifier && !first.required);
    let record_id = d.record_id();
    assert_eq!(
        (record_id.section_header.as_str(), record_id.note.as_str()),
        ("", "")
    );
    assert_eq!(
        (
            record_id.validation.as_ref(),
            record_id.branching_logic.as_ref()
        ),
        (None, None)
    );
    assert_eq!(
        d.field("height").unwrap().validation_min.as_deref(),
        Some("130")
    );
    assert_eq!(d.field("sex").unwrap().choices.len(), 2);
}

#[test]
fn a_ui_dictionary_rewritten_with_the_api_header_gives_the_same_fields() {
    let api_header = "field_name,form_name,section_header,field_type,field_label,\
        select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,\
        text_validation_min,text_validation_max,identifier,branching_logic,required_field,\
        custom_alignment,question_number,matrix_group_name,matrix_ranking,field_annotation";
    for path in files(&["-dictionary.csv"]) {
        let text = std::fs::read_to_string(&path).unwrap();
        let (header, rest) = text.split_once('\n').unwrap();
        assert!(header.starts_with("\"Variable / Field Name\""), "{path:?}");
        let rewritten = format!("{api_header}\n{rest}");
        let ui = Dictionary::from_csv(text.as_bytes()).unwrap();
        let api = Dictionary::from_csv(rewritten.as_bytes()).unwrap();
        assert_eq!(
            (ui.header_kind(), api.header_kind()),
            (HeaderKind::Ui, HeaderKind::Api)
        );
        assert_eq!(ui.fields(), api.fields(), "{path:?}");
    }
}

#[test]
fn the_data_files_are_not_dictionaries() {
    let data = files(&["-data.csv"]);
    assert_eq!(data.len(), 4, "{data:?}");
    for path in data {
        match Dictionary::from_path(&path) {
            Err(DictionaryError::NotADictionary {
                looks_like_export: true,
                found,
            }) => {
                let first = &records(&path)[0][0];
                assert!(found.starts_with(first.as_str()), "{path:?}: {found}");
            }
            other => panic!("{path:?}: {other:?}"),
        }
    }
    // The arms and events of a longitudinal project are not dictionaries either.
    for path in files(&["-arm.csv", "-event.csv"]) {
        assert!(
            matches!(
                Dictionary::from_path(&path),
                Err(DictionaryError::NotADictionary { .. })
            ),
            "{path:?}"
        );
    }
}
