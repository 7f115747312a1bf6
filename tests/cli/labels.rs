//! Other wordings of the same answer: bundled aliases, a labels file for one run, and answers
//! that could not be read said to be unreadable, never "not answered".

use crate::support::{read, score, screenscore, temp_dir};

fn phq9_row(item9: &str) -> String {
    format!(
        "client,date,phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9\n\
         A,2026-01-06,1,1,1,1,1,1,1,1,{item9}\n"
    )
}

#[test]
fn a_labels_file_adds_wordings_for_one_run() {
    let dir = temp_dir("labels-file");
    let labels = dir.join("labels.csv");
    std::fs::write(
        &labels,
        "instrument,item,value,label\n\
         # a practice's own printing of the form (an example, not an official wording)\n\
         phq9,9,3,Nearly everyday\n\
         gad7,1,3,Nearly everyday\n",
    )
    .unwrap();
    let run = score(
        &["phq9"],
        &["--labels", labels.to_str().unwrap()],
        phq9_row("nearly everyday").as_bytes(),
    );
    let transcript = run
        .transcript()
        .replace(labels.to_str().unwrap(), "labels.csv");
    insta::assert_snapshot!(transcript, @"
    exit: 0
    --- stdout
    client,date,phq9_total,phq9_total_band,phq9_status,phq9_flags,phq9_error,phq9_notes
    A,2026-01-06,11,moderate,ok,item9_positive,,
    --- stderr
    notice: labels.csv: the labels for `gad7` are not used: it is not scored in this run
    1 row read: 1 scored, 0 incomplete, 0 invalid, 0 absent
    attention: phq9 item9_positive: Thoughts of death or self-harm (item 9 answered 1 or more): assess risk today — 1 row: record 1
    ");
    // Without the file, the answer is not read, and the message lists what is accepted.
    let run = score(&["phq9"], &[], phq9_row("nearly everyday").as_bytes());
    insta::assert_snapshot!(run.transcript(), @r#"
    exit: 1
    --- stdout
    client,date,phq9_total,phq9_total_band,phq9_status,phq9_flags,phq9_error,phq9_notes
    A,2026-01-06,,,invalid,item9_missing,"phq9_9: ""nearly everyday"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")",
    --- stderr
    1 row read: 0 scored, 0 incomplete, 1 invalid, 0 absent
    "#);
}

#[test]
fn a_labels_file_is_checked_as_definitions_are() {
    let dir = temp_dir("labels-bad");
    let labels = dir.join("labels.csv");
    let check = |text: &str| {
        std::fs::write(&labels, text).unwrap();
        screenscore(
            &["score", "-i", "phq9", "--labels", labels.to_str().unwrap()],
            phq9_row("1").as_bytes(),
        )
        .stderr
        .replace(labels.to_str().unwrap(), "labels.csv")
    };
    insta::assert_snapshot!(check("instrument,item,value,label\nphq9,9,3,Several days\n"), @r#"error: labels.csv, line 2, column `label`: "Several days" is already accepted for option 1 ("Several days"); input would be ambiguous"#);
    insta::assert_snapshot!(check("instrument,item,value,label\nphq9,99,3,x\n"), @"error: labels.csv, line 2, column `item`: `phq9` has no item `99`");
    insta::assert_snapshot!(check("instrument,item,value,label\nphq9,9,7,x\n"), @r#"error: labels.csv, line 2, column `value`: "7" is not an answer to this item (expected 0, 1, 2, 3, or a label: "Not at all", "Several days", "More than half the days", "Nearly every day", "Überhaupt nicht", "An einzelnen Tagen", "An mehr als der Hälfte der Tage", "Beinahe jeden Tag")"#);
    insta::assert_snapshot!(check("instrument;item;value;label\nphq9;9;7;x\n"), @"error: labels.csv, line 1: expected the header `instrument,item,value,label`, found `instrument;item;value;label`");
    insta::assert_snapshot!(check("instrument,item,label\n"), @"error: labels.csv, line 1: expected the header `instrument,item,value,label`, found `instrument,item,label`");
}

#[test]
fn an_answer_in_another_language_is_never_reported_as_not_answered() {
    let dir = temp_dir("wrong-language");
    let input = dir.join("intake.csv");
    std::fs::write(&input, phq9_row("Tous les jours")).unwrap();
    let out = dir.join("reports");
    let run = screenscore(
        &[
            "report",
            "-i",
            "phq9",
            input.to_str().unwrap(),
            "--client-col",
            "client",
            "--date-col",
            "date",
            "--out-dir",
            out.to_str().unwrap(),
            "--format",
            "md",
        ],
        b"",
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let report = read(&out.join("A.md"));
    // The rule's label ("Item 9 … was not answered: ask it") is not what a person reads.
    assert!(!report.contains("was not answered"), "{report}");
    let attention = report
        .split("## Needs attention")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap();
    insta::assert_snapshot!(attention, @r#"


    - **WARNING** Patient Health Questionnaire-9, 2026-01-06: Item 9 (Thoughts of death or self-harm): the answer "Tous les jours" could not be read, so the item counts as unanswered; ask what was meant
    - **WARNING** Patient Health Questionnaire-9, 2026-01-06: the latest administration could not be scored: phq9\_9: "Tous les jours" is not an answer to this item (expected 0, 1, 2, 3, or a label: "Not at all", "Several days", "More than half the days", "Nearly every day", "Überhaupt nicht", "An einzelnen Tagen", "An mehr als der Hälfte der Tage", "Beinahe jeden Tag")
    "#);
}

#[test]
fn the_german_labels_of_the_phq_d_are_bundled() {
    let run = score(&["phq9"], &[], phq9_row("Beinahe jeden Tag").as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.contains(",11,moderate,ok,item9_positive"),
        "{}",
        run.stdout
    );
}
