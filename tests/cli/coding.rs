//! The per-file warning that an input looks like it is in another coding of a response set
//! (`other_coding`: the K10 read 1-5 beside the US 0-4, the K6 read 0-4 beside the Australian
//! 1-5), on generated files. The warning needs 50 rows with a number in an item cell
//! (`screenscore::batch::CODING_ROWS`).

use crate::support::{cell, columns, score};

/// A file of instrument `id` with `rows` rows, row `i` given by `row(i)`.
fn file(id: &str, items: u32, rows: usize, row: impl Fn(usize) -> String) -> String {
    let mut csv = format!("client,{}\n", columns(id, 1..=items));
    for i in 0..rows {
        csv.push_str(&format!("c{i},{}\n", row(i)));
    }
    csv
}

/// K6 rows in the Australian 1-5 coding that never use 5 (`All of the time`): values 1-4 only,
/// every one of them occurring.
fn k6_one_to_four(i: usize) -> String {
    let v = |k: usize| (i + k) % 4 + 1;
    format!("{},{},{},{},{},{}", v(0), v(1), v(2), v(3), v(0), v(1))
}

#[test]
fn a_k6_file_without_0_across_50_rows_warns_once() {
    let csv = file("k6", 6, 50, k6_one_to_four);
    let run = score(&["k6"], &[], csv.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stderr, @"
    warning: k6: across 50 rows with a number in its item cells, no cell holds 0, while 1, 2, 3 and 4 all occur: the file may be in the Australian 1-5 coding, not the 0-4 coding this definition reads. Read as 0-4, each answer of a row in the Australian 1-5 coding scores 1 too high (k6_total 6 too high), and a row holding a value this coding lacks is invalid; check how the file is coded, then recode it or give the answers as labels
    50 rows read: 50 scored, 0 incomplete, 0 invalid, 0 absent
    ");
    // Row 0 is 1,2,3,4,1,2: read as 0-4 it is 13 (serious distress); in the 1-5 coding each
    // answer is 1 lower, 0+1+2+3+0+1 = 7: 6 too high, as the warning says.
    assert_eq!(cell(&run.stdout, 0, "k6_total"), "13");
}

#[test]
fn a_k6_file_with_a_5_and_no_0_warns_and_counts_the_5s() {
    // 50 rows 1,1,1,1,1,1 and one 5,5,1,1,1,1: no 0, two cells hold 5 (that row is invalid).
    let csv = file("k6", 6, 51, |i| match i {
        50 => "5,5,1,1,1,1".to_string(),
        _ => "1,1,1,1,1,1".to_string(),
    });
    let run = score(&["k6"], &[], csv.as_bytes());
    assert_eq!(run.code, 1, "{}", run.transcript());
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with(
            "warning: k6: across 51 rows with a number in its item cells, no cell holds 0, \
             and 2 cells hold 5, a value only the Australian 1-5 coding has: the file may be in \
             the Australian 1-5 coding"
        ),
        "{}",
        warnings[0]
    );
}

#[test]
fn a_k6_file_of_49_rows_or_with_a_0_does_not_warn() {
    for csv in [
        file("k6", 6, 49, k6_one_to_four),
        file("k6", 6, 60, |i| match i {
            // One 0 in 60 rows: the 0-4 coding's own value occurs.
            59 => "0,1,2,3,4,1".to_string(),
            _ => k6_one_to_four(i),
        }),
    ] {
        let run = score(&["k6"], &[], csv.as_bytes());
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    }
}

#[test]
fn k6_answers_given_as_labels_are_not_counted() {
    // 60 rows of labels, none `None of the time`: labels are read by meaning, not by number.
    let labels = [
        "A little of the time",
        "Some of the time",
        "Most of the time",
        "All of the time",
    ];
    let csv = file("k6", 6, 60, |i| {
        (0..6)
            .map(|k| labels[(i + k) % 4])
            .collect::<Vec<_>>()
            .join(",")
    });
    let run = score(&["k6"], &[], csv.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

/// K10 rows in the US 0-4 coding: 0-4, every value occurring, never 5.
fn k10_zero_to_four(i: usize) -> String {
    (0..10)
        .map(|k| ((i + k) % 5).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn a_k10_file_with_0s_and_no_5_across_50_rows_warns_once() {
    let csv = file("k10", 10, 50, k10_zero_to_four);
    let run = score(&["k10"], &[], csv.as_bytes());
    // Every row holds a 0, which is not a K10 answer here: every row is invalid.
    assert_eq!(run.code, 1, "{}", run.transcript());
    // 50 rows x 10 cells, values cycling 0-4: 500 / 5 = 100 cells hold 0.
    insta::assert_snapshot!(run.stderr, @"
    warning: k10: across 50 rows with a number in its item cells, no cell holds 5, and 100 cells hold 0, a value only the US 0-4 coding has: the file may be in the US 0-4 coding, not the 1-5 coding this definition reads. Read as 1-5, each answer of a row in the US 0-4 coding scores 1 too low (k10_total 10 too low), and a row holding a value this coding lacks is invalid; check how the file is coded, then recode it or give the answers as labels
    50 rows read: 0 scored, 0 incomplete, 50 invalid, 0 absent
    ");
}

#[test]
fn a_k10_file_without_5_but_without_0_does_not_warn() {
    // A 1-5 file where no one answered 5 (`All of the time`) on any item: values 1-4 only.
    // No 5 is no sign of the 0-4 coding (a 0-4 file would hold 0s), and no 1 would not be
    // either (a 0-4 file holds 1s): nothing to warn about.
    let csv = file("k10", 10, 60, |i| {
        (0..10)
            .map(|k| ((i + k) % 4 + 1).to_string())
            .collect::<Vec<_>>()
            .join(",")
    });
    let run = score(&["k10"], &[], csv.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // Row 0 is 1,2,3,4,1,2,3,4,1,2: 23, read in the 1-5 coding as it is.
    assert_eq!(cell(&run.stdout, 0, "k10_total"), "23");
}

#[test]
fn a_k10_file_of_49_rows_or_with_a_5_does_not_warn() {
    for csv in [
        file("k10", 10, 49, k10_zero_to_four),
        file("k10", 10, 60, |i| match i {
            // A 5 occurs: the file holds a value only the 1-5 coding has.
            59 => "5,1,1,1,1,1,1,1,1,1".to_string(),
            _ => k10_zero_to_four(i),
        }),
    ] {
        let run = score(&["k10"], &[], csv.as_bytes());
        assert_eq!(run.code, 1, "{}", run.transcript());
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    }
}

#[test]
fn show_names_the_other_coding_and_its_source() {
    let run = crate::support::screenscore(&["instruments", "show", "k10"], b"");
    assert_eq!(run.code, 0);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("other coding"))
        .expect("an other-coding line");
    insta::assert_snapshot!(line, @r#"    other coding: the US 0-4 coding (each value -1), warned about when a file looks coded so; source: ABS 4817.0.55.001, K10 scoring: "In the US, the K10 is typically scored using a system where 0 is the minimum score for an answer (none of the time) and 4 is the maximum score (all of the time), with a possible total minimum score of 0 and maximum score of 40." [verified]"#);
}
