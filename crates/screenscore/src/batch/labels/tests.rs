use super::*;
use crate::batch::Batch;
use crate::output::CsvWriter;

fn phq9() -> Instrument {
    Instrument::builtin("phq9").unwrap().clone()
}

/// The message of applying `csv` to PHQ-9.
fn refused(csv: &str) -> String {
    let labels = Labels::from_csv(csv.as_bytes(), b',').unwrap();
    labels.apply(&phq9()).unwrap_err().to_string()
}

/// Each data row's `phq9_9` error and flags, scored with `labels`.
fn item9(labels: &str, cells: &[&str]) -> Vec<String> {
    let labels = Labels::from_csv(labels.as_bytes(), b',').unwrap();
    let batch = Batch::builder()
        .instrument(phq9())
        .labels(labels)
        .build()
        .unwrap();
    let mut csv = String::from("phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9\n");
    for cell in cells {
        csv.push_str(&format!("0,0,0,0,0,0,0,0,{cell}\n"));
    }
    let mut out = CsvWriter::new(Vec::new());
    batch.run(csv.as_bytes(), &mut [&mut out]).unwrap();
    let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            line.split(',')
                .skip(2)
                .take(3)
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

#[test]
fn a_label_for_one_item_is_accepted_for_that_item_only() {
    let rows = item9(
        "instrument,item,value,label\nphq9,9,3,Nearly everyday\n",
        &["Nearly everyday", "NEARLY EVERYDAY", "Nearly every day"],
    );
    assert_eq!(
        rows,
        [
            "ok,item9_positive,",
            "ok,item9_positive,",
            "ok,item9_positive,"
        ]
    );
    // Item 1 shares the response set and does not take it.
    let labels = Labels::from_csv(
        b"instrument,item,value,label\nphq9,phq9_9,Nearly every day,Nearly everyday\n",
        b',',
    )
    .unwrap();
    let scored = labels.apply(&phq9()).unwrap();
    assert_eq!(scored.option_named(8, "nearly everyday"), Some(3));
    assert_eq!(scored.option_named(0, "nearly everyday"), None);
    assert_eq!(
        scored.expected(8),
        "0, 1, 2, 3, or a label: \"Not at all\", \"Several days\", \"More than half the days\", \
         \"Nearly every day\", \"Überhaupt nicht\", \"An einzelnen Tagen\", \
         \"An mehr als der Hälfte der Tage\", \"Beinahe jeden Tag\", \"Nearly everyday\""
    );
    // The definition is the bundled one.
    assert_eq!(scored.definition(), phq9().definition());
}

#[test]
fn a_file_in_the_datas_separator_is_read_with_it() {
    let labels = Labels::from_csv(
        "\u{feff}instrument;item;value;label\r\nphq9;9;3,0;Nearly everyday\r\n".as_bytes(),
        b';',
    )
    .unwrap();
    assert_eq!(labels.len(), 1);
    assert_eq!(labels.instruments(), ["phq9"]);
    assert_eq!(
        labels
            .apply(&phq9())
            .unwrap()
            .option_named(8, "Nearly everyday"),
        Some(3)
    );
}

#[test]
fn problems_name_the_line_and_the_column() {
    assert_eq!(
        refused("instrument,item,value,label\n\nphq9,10b,3,x\n"),
        "labels, line 3, column `item`: `phq9` has no item `10b`"
    );
    assert_eq!(
        refused("instrument,item,value,label\nphq9,9,4,x\n"),
        "labels, line 2, column `value`: \"4\" is not an answer to this item (expected 0, 1, 2, 3, \
         or a label: \"Not at all\", \"Several days\", \"More than half the days\", \"Nearly every day\", \
         \"Überhaupt nicht\", \"An einzelnen Tagen\", \"An mehr als der Hälfte der Tage\", \"Beinahe jeden Tag\")"
    );
    assert_eq!(
        refused("instrument,item,value,label\nphq9,9,3,Several days\n"),
        "labels, line 2, column `label`: \"Several days\" is already accepted for option 1 \
         (\"Several days\"); input would be ambiguous"
    );
    assert_eq!(
        refused("instrument,item,value,label\nphq9,9,3,Often\nphq9,9,2,often\n"),
        "labels, line 3, column `label`: \"often\" is already accepted for option 3 \
         (\"Nearly every day\"); input would be ambiguous"
    );
    assert_eq!(
        refused("instrument,item,value,label\nphq9,9,3,3.0\n"),
        "labels, line 2, column `label`: \"3.0\" reads as a number; numbers are read as option \
         values, not as labels"
    );
    assert_eq!(
        refused("instrument,item,value,label\nphq9,9,3,  \n"),
        "labels, line 2, column `label`: must not be empty"
    );
    let err = |csv: &str| {
        Labels::from_csv(csv.as_bytes(), b',')
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("item,value,label\n"),
        "labels, line 1: expected the header `instrument,item,value,label`, found `item,value,label`"
    );
    assert_eq!(
        err(""),
        "labels, line 1: the file is empty: expected the header `instrument,item,value,label`"
    );
}

#[test]
fn a_label_repeating_what_its_answer_accepts_is_fine_and_lines_for_others_are_not_used() {
    let labels = Labels::from_csv(
        b"instrument,item,value,label\nPHQ9,9,3,nearly every day\ngad7,1,3,Nearly everyday\n",
        b',',
    )
    .unwrap();
    assert_eq!(labels.instruments(), ["PHQ9", "gad7"]);
    let phq9 = labels.apply(&phq9()).unwrap();
    assert_eq!(phq9.option_named(8, "Nearly everyday"), None);
}

#[test]
fn a_label_equal_to_a_missing_code_is_refused() {
    let labels = Labels::from_csv(b"instrument,item,value,label\nphq9,9,0,-99x\n", b',').unwrap();
    let mut def = phq9().definition().clone();
    def.missing_codes = vec!["-99X".into()];
    let instrument = Instrument::from_definition(def).unwrap();
    assert_eq!(
        labels.apply(&instrument).unwrap_err().to_string(),
        "labels, line 2, column `label`: \"-99x\" is one of the instrument's missing codes, which \
         mean not answered"
    );
}
