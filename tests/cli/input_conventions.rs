//! Columns an input may carry from the tool that made it: `input_error` (the row could not be
//! read) and `{id}_{scale}_stated` (a score computed elsewhere, compared).

use crate::support::{columns, score};

#[test]
fn a_row_marked_in_input_error_is_invalid_and_counted() {
    let csv = format!(
        "id,input_error,{}\nA,,1,1\nB,\"line 3: not JSON\",,\n",
        columns("gad2", 1..=2)
    );
    let run = score(&["gad2"], &[], csv.as_bytes());
    // One row invalid: exit 1, and the reconciliation counts it.
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("2 rows read: 1 scored, 0 incomplete, 1 invalid, 0 absent")
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[2].starts_with("B,line 3: not JSON,,invalid,"),
        "{}",
        lines[2]
    );
    insta::assert_snapshot!(crate::support::cell(&run.stdout, 1, "gad2_error"), @"the input says this row could not be read (its input_error column says why), so nothing in it is scored");
}

#[test]
fn a_stated_score_is_compared_and_the_computed_one_stands() {
    // Data rows (0-based): 2 + 2 = 4, the input states 5: the note says both; 1 + 1 = 2 as stated: no note.
    let csv = format!(
        "id,gad2_total_stated,{}\nA,5,2,2\nB,2,1,1\n",
        columns("gad2", 1..=2)
    );
    let run = score(&["gad2"], &[], csv.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(crate::support::cell(&run.stdout, 0, "gad2_total"), "4");
    assert_eq!(
        crate::support::cell(&run.stdout, 0, "gad2_notes"),
        "stated total 5, computed 4"
    );
    assert_eq!(crate::support::cell(&run.stdout, 1, "gad2_notes"), "");
    // The stated column is read, not passed through.
    assert!(!run.stdout.lines().next().unwrap().contains("stated"));
}
