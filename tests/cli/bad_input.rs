//! Bad input gets a clear error, and nothing is lost: every case the core issue lists.

use crate::support::{cell, columns, data, score, screenscore};

fn gad7(rows: &[&str]) -> String {
    let mut text = format!("id,{}\n", columns("gad7", 1..=7));
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

#[test]
fn a_value_out_of_range_is_invalid() {
    let run = score(&["gad7"], &[], gad7(&["a,9,0,0,0,0,0,0"]).as_bytes());
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript(), @r#"
    exit: 1
    --- stdout
    id,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    a,,,invalid,,"gad7_1: ""9"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")",
    --- stderr
    1 row read: 0 scored, 0 incomplete, 1 invalid, 0 absent
    "#);
}

#[test]
fn a_non_numeric_value_is_invalid() {
    let run = score(
        &["gad7"],
        &[],
        gad7(&["a,two,0,0,0,0,0,0", "b,1.5,0,0,0,0,0,0"]).as_bytes(),
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript(), @r#"
    exit: 1
    --- stdout
    id,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    a,,,invalid,,"gad7_1: ""two"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")",
    b,,,invalid,,"gad7_1: ""1.5"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")",
    --- stderr
    2 rows read: 0 scored, 0 incomplete, 2 invalid, 0 absent
    "#);
}

#[test]
fn an_unknown_label_is_invalid() {
    // "Not at all sure" is the misprinted GAD-7 anchor; it is not an answer.
    let run = score(
        &["gad7"],
        &[],
        gad7(&["a,Sometimes,Not at all sure,0,0,0,0,0"]).as_bytes(),
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript(), @r#"
    exit: 1
    --- stdout
    id,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    a,,,invalid,,"gad7_1: ""Sometimes"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag""); gad7_2: ""Not at all sure"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")",
    --- stderr
    1 row read: 0 scored, 0 incomplete, 1 invalid, 0 absent
    "#);
}

#[test]
fn missing_items_under_each_missing_rule() {
    // Four 0-3 items; scales: strict (none missing), prorated_sum (one missing, mean x 4, half
    // up), answered_sum (sum of answered, up to two missing), mean (at least two answered).
    let input = "case,mr_1,mr_2,mr_3,mr_4\n\
                 none missing,1,2,3,3\n\
                 one missing,1,2,,3\n\
                 one missing half,1,2,,2\n\
                 two missing,1,,,3\n\
                 three missing,-99,,,3\n\
                 all missing,,,,\n";
    let run = score(
        &[&data("definitions/missing-rules.json")],
        &[],
        input.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let get = |row, col| cell(&run.stdout, row, col);
    // none missing: 1+2+3+3 = 9 everywhere; mean 9/4.
    assert_eq!(
        [
            get(0, "mr_strict"),
            get(0, "mr_prorated_sum"),
            get(0, "mr_answered_sum")
        ],
        ["9", "9", "9"]
    );
    assert_eq!(get(0, "mr_mean"), (9.0f64 / 4.0).to_string());
    // one missing: strict unscored; prorated (1+2+3)/3 x 4 = 8; partial 6; mean 2.
    assert_eq!(get(1, "mr_strict"), "");
    assert_eq!(get(1, "mr_prorated_sum"), ((1 + 2 + 3) * 4 / 3).to_string());
    assert_eq!(get(1, "mr_answered_sum"), (1 + 2 + 3).to_string());
    assert_eq!(get(1, "mr_mean"), "2");
    assert_eq!(get(1, "mr_status"), "incomplete");
    // (1+2+2)/3 x 4 = 6.67 → 7.
    assert_eq!(get(2, "mr_prorated_sum"), "7");
    // two missing: only answered_sum (1+3) and mean (2) are scored.
    assert_eq!(
        [
            get(3, "mr_prorated_sum"),
            get(3, "mr_answered_sum"),
            get(3, "mr_mean")
        ],
        ["", "4", "2"]
    );
    // three missing (-99 is a missing code): nothing scored, incomplete.
    assert_eq!(
        [
            get(4, "mr_answered_sum"),
            get(4, "mr_mean"),
            get(4, "mr_status")
        ],
        ["", "", "incomplete"]
    );
    // all missing: not administered.
    assert_eq!(get(5, "mr_status"), "absent");
    insta::assert_snapshot!(run.transcript(), @"
    exit: 0
    --- stdout
    case,mr_strict,mr_prorated_sum,mr_answered_sum,mr_mean,mr_status,mr_flags,mr_error,mr_notes
    none missing,9,9,9,2.25,ok,,,
    one missing,,8,6,2,incomplete,,,strict not scored: 1 of 4 items missing; prorated_sum prorated from 3 of 4 items
    one missing half,,7,5,1.6666666666666667,incomplete,,,strict not scored: 1 of 4 items missing; prorated_sum prorated from 3 of 4 items
    two missing,,,4,2,incomplete,,,strict not scored: 2 of 4 items missing; prorated_sum not scored: 2 of 4 items missing
    three missing,,,,,incomplete,,,strict not scored: 3 of 4 items missing; prorated_sum not scored: 3 of 4 items missing; answered_sum not scored: 3 of 4 items missing; mean not scored: 3 of 4 items missing
    all missing,,,,,absent,,,
    --- stderr
    6 rows read: 1 scored, 4 incomplete, 0 invalid, 1 absent
    ");
}

#[test]
fn rows_with_more_cells_than_the_header_are_invalid_and_short_ones_are_scored() {
    let run = score(
        &["gad7"],
        &[],
        gad7(&[
            "short,1,1,1",
            "long,1,1,1,1,1,1,1,extra",
            "fine,1,1,1,1,1,1,1",
        ])
        .as_bytes(),
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript(), @r#"
    exit: 1
    --- stdout
    id,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    short,,,incomplete,,,row has 4 cells but the header has 8; the missing last 4 cells are taken as empty; total not scored: 4 of 7 items missing
    long,,,invalid,,"row has 9 cells but the header has 8; its cells may be shifted, so nothing in it is scored",
    fine,7,mild,ok,,,
    --- stderr
    3 rows read: 1 scored, 1 incomplete, 1 invalid, 0 absent
    "#);
}

#[test]
fn a_header_lacking_some_item_columns_warns_once_and_exits_1() {
    // Nothing could be scored as asked: a script must notice (exit 1, as for invalid rows).
    let input = "id,gad7_1,gad7_2,gad7_3,gad7_4,gad7_5\na,1,1,1,1,1\nb,0,0,0,0,0\n";
    let run = score(&["gad7"], &[], input.as_bytes());
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.matches("warning").count(), 1);
    insta::assert_snapshot!(run.transcript(), @"
    exit: 1
    --- stdout
    id,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    a,,,incomplete,,,total not scored: 2 of 7 items missing
    b,,,incomplete,,,total not scored: 2 of 7 items missing
    --- stderr
    warning: gad7: the input has no columns gad7_6 and gad7_7; those items are counted as missing in every row
    2 rows read: 0 scored, 2 incomplete, 0 invalid, 0 absent
    ");
}

#[test]
fn an_instrument_without_columns_is_absent_in_every_row() {
    let run = score(
        &["phq9", "gad7"],
        &[],
        gad7(&["a,1,1,1,1,1,1,1"]).as_bytes(),
    );
    // PHQ-9 was asked for and its columns are missing from the header: exit 1.
    assert_eq!(run.code, 1);
    assert_eq!(cell(&run.stdout, 0, "phq9_status"), "absent");
    insta::assert_snapshot!(run.transcript(), @"
    exit: 1
    --- stdout
    id,phq9_total,phq9_total_band,phq9_status,phq9_flags,phq9_error,phq9_notes,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    a,,,absent,,,,7,mild,ok,,,
    --- stderr
    warning: phq9: the input has no column for any of its items (phq9_1 … phq9_10); it is `absent` in every row
    1 row read: 1 scored, 0 incomplete, 0 invalid, 0 absent
    ");
}

#[test]
fn no_column_of_any_requested_instrument_is_fatal() {
    let run = score(&["phq9"], &[], gad7(&["a,1,1,1,1,1,1,1"]).as_bytes());
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: no column of any requested instrument is in the header (expected columns such as phq9_1); use --map to rename columns
    ");
}

#[test]
fn duplicate_item_columns_are_fatal_but_duplicate_other_columns_pass_through() {
    let input = "id,gad7_1,gad7_2,GAD7_1\na,1,1,1\n";
    let run = score(&["gad7"], &[], input.as_bytes());
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: column `gad7_1` appears twice in the header (columns 2 and 4); which one holds the answers is unclear
    ");
    let input = format!("note,{},note\nx,1,1,1,1,1,1,1,y\n", columns("gad7", 1..=7));
    let run = score(&["gad7"], &[], input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stdout, @"
    note,note,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    x,y,7,mild,ok,,,
    ");
}

#[test]
fn a_utf8_bom_is_ignored_in_reading_and_kept_in_writing() {
    let input = format!("\u{feff}{}", gad7(&["a,1,1,1,1,1,1,1"]));
    let run = score(&["gad7"], &[], input.as_bytes());
    assert_eq!(run.code, 0);
    assert_eq!(cell(&run.stdout, 0, "gad7_total"), "7");
    // The spreadsheet that wrote the mark gets it back (`--no-bom` leaves it out).
    assert!(run.stdout.starts_with("\u{feff}id,"));
    let run = score(&["gad7"], &["--no-bom"], input.as_bytes());
    assert!(run.stdout.starts_with("id,"));
}

#[test]
fn crlf_line_endings_are_read() {
    let input = gad7(&["a,1,1,1,1,1,1,1", "b,2,2,2,2,2,2,2"]).replace('\n', "\r\n");
    let run = score(&["gad7"], &[], input.as_bytes());
    assert_eq!(run.code, 0);
    assert_eq!(cell(&run.stdout, 1, "gad7_total"), (2 * 7).to_string());
}

#[test]
fn quoted_fields_with_commas_and_newlines_are_read() {
    let input = format!(
        "note,{}\n\"called, then\nwrote back\",\" 1 \",\"Several days\",1,1,1,1,1\nsecond,0,0,0,0,0,0,0\n",
        columns("gad7", 1..=7)
    );
    let run = score(&["gad7"], &[], input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(cell(&run.stdout, 0, "note"), "called, then\nwrote back");
    assert_eq!(cell(&run.stdout, 0, "gad7_total"), "7");
    insta::assert_snapshot!(run.stdout, @r#"
    note,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    "called, then
    wrote back",7,mild,ok,,,
    second,0,minimal,ok,,,
    "#);
}

#[test]
fn an_empty_file_is_fatal() {
    let run = score(&["gad7"], &[], b"");
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: the input is empty: expected a header row naming the columns
    ");
}

#[test]
fn a_header_only_file_gives_a_header_only_output() {
    let run = score(&["gad7"], &[], gad7(&[]).as_bytes());
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.transcript(), @"
    exit: 0
    --- stdout
    id,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    --- stderr
    0 rows read: 0 scored, 0 incomplete, 0 invalid, 0 absent
    ");
}

#[test]
fn a_definition_with_a_misspelt_key_is_refused() {
    let path = data("definitions/misspelt-key.json");
    let run = score(&[&path], &[], b"typo_1\n1\n");
    assert_eq!(run.code, 2);
    let stderr = run.stderr.replace(&path, "misspelt-key.json");
    insta::assert_snapshot!(stderr, @"error: misspelt-key.json: scales[0].higher_si: unknown field `higher_si`, expected one of `id`, `label`, `items`, `scales`, `reverse`, `key_source`, `keying`, `method`, `missing`, `rounding`, `derived`, `bands`, `band_source`, `higher_is`, `construct`, `norms`, `thresholds`, `codes` at line 84 column 17");
    let run = screenscore(&["instruments", "check", &path], b"");
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.replace(&path, "misspelt-key.json"), stderr);
}
