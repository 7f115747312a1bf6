//! REDCap exports, continued: columns the dictionary lacks, event order, and the other
//! commands that read an export (stats, norms, outcomes).

use crate::redcap_export::{clinic, maps, score};
use crate::support::{read, rows, screenscore, temp_dir};

#[test]
fn columns_the_dictionary_lacks_are_named_once() {
    // The clinic export with one more column, as an export of another project would have.
    let export = read(std::path::Path::new(&clinic("export-raw.csv")));
    let mut widened = String::new();
    for (n, line) in export.lines().enumerate() {
        let (id, rest) = line.split_once(',').unwrap();
        let extra = if n == 0 { "screening_site" } else { "north" };
        widened.push_str(&format!("{id},{extra},{rest}\n"));
    }
    let dir = temp_dir("redcap-unknown-column");
    let map = maps(&dir, &clinic("dictionary.csv"), false);
    let dictionary = clinic("dictionary.csv");
    let run = screenscore(
        &[
            "score",
            "--redcap",
            &dictionary,
            "-i",
            "phq9",
            "--map",
            &map,
            "--missing",
            "UNK",
        ],
        widened.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.stderr.matches("warning").count(), 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr.lines().next().unwrap(), @"warning: the input has a column that the REDCap data dictionary lacks: screening_site (was it exported from another project, or is the dictionary older than the export?); it is passed through");
    // The column passes through.
    assert_eq!(rows(&run.stdout)[0]["screening_site"], "north");
}

#[test]
fn event_order_orders_administrations_by_redcap_event_and_says_so() {
    let events = clinic("events.csv");
    let run = score(
        "redcap-clinic-7",
        "export-raw.csv",
        &["--event-order", &events],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let rows = rows(&run.stdout);
    // Record 101's GAD-7: 7 at baseline_arm_1 (event 1), 2 at followup_arm_1 (event 2).
    assert_eq!(rows[1]["gad7_total_change_first"], (2 - 7).to_string());
    assert_eq!(rows[1]["gad7_total_first_date"], "event 1");
    assert!(rows[1]["gad7_change_method"].ends_with("; ordered by REDCap event, not by date"));
    // Record 101's PHQ-9 repeats share one event: neither is compared, and the notes say so.
    assert!(
        rows[2]["phq9_change_notes"].contains("another administration on event 2"),
        "{:?}",
        rows[2]
    );

    let both = score(
        "redcap-clinic-8",
        "export-raw.csv",
        &[
            "--event-order",
            &events,
            "--date-col",
            "phq9_form_timestamp",
        ],
    );
    assert_eq!(both.code, 2);
    insta::assert_snapshot!(both.stderr.trim(), @"error: --event-order orders administrations by REDCap event, --date-col by a date: give one");
}

#[test]
fn stats_norms_and_outcomes_read_a_label_export_as_its_raw_export() {
    let dir = temp_dir("redcap-every-command");
    let map = maps(&dir, &clinic("dictionary.csv"), false);
    let dictionary = clinic("dictionary.csv");
    let redcap = [
        "--redcap",
        dictionary.as_str(),
        "--map",
        map.as_str(),
        "--missing",
        "UNK",
    ];
    let commands: [&[&str]; 3] = [
        &["stats", "-i", "phq9", "--format", "csv"],
        &["norms", "-i", "gad7", "--population", "clinic"],
        &["outcomes", "-i", "phq9", "-i", "gad7"],
    ];
    for command in commands {
        let run = |export: &str| {
            let input = clinic(export);
            let mut args: Vec<&str> = command.to_vec();
            args.extend(redcap);
            args.push(&input);
            screenscore(&args, b"")
        };
        let (raw, labels) = (run("export-raw.csv"), run("export-labels.csv"));
        assert!(raw.code <= 1, "{command:?}: {}", raw.transcript());
        assert!(!raw.stdout.is_empty(), "{command:?}");
        // The same, but that norms name the file they were built from.
        let labels = labels.stdout.replace("export-labels.csv", "export-raw.csv");
        assert_eq!(labels, raw.stdout, "{command:?}");
    }
}
