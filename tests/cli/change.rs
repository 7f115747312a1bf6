//! Standard scores, local norms and change over time through the command line.

use crate::support::{cell, columns, data, records, score, screenscore, temp_dir};

fn gad7_rows(rows: &[(&str, &str, [u8; 7])]) -> String {
    let mut text = format!("client,date,{}\n", columns("gad7", 1..=7));
    for (client, date, items) in rows {
        let items: Vec<String> = items.iter().map(|v| v.to_string()).collect();
        text.push_str(&format!("{client},{date},{}\n", items.join(",")));
    }
    text
}

const HISTORY: [&str; 4] = ["--client-col", "client", "--date-col", "date"];

/// GAD-7's reference group without sex: SD 3.4, alpha .89 (Löwe et al. 2008).
fn gad7_rci(delta: f64) -> f64 {
    let sem = 3.4 * (1.0f64 - 0.89).sqrt();
    delta / (2.0 * sem * sem).sqrt()
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("not a number: {text:?}"))
}

#[test]
fn a_history_out_of_date_order_is_compared_in_date_order_and_written_in_input_order() {
    let input = gad7_rows(&[
        ("A", "2026-03-01", [1, 1, 0, 0, 0, 0, 0]), // 2
        ("A", "2026-01-01", [2, 2, 2, 2, 2, 2, 2]), // 14
        ("B", "2026-01-15", [1, 1, 1, 1, 1, 1, 1]), // 7, one administration
        ("A", "2026-02-01", [2, 2, 1, 1, 1, 1, 0]), // 8
    ]);
    let run = score(&["gad7"], &HISTORY, input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    let get = |row, col: &str| cell(&run.stdout, row, &format!("gad7_total_{col}"));
    // Output rows keep input order.
    assert_eq!(cell(&run.stdout, 0, "date"), "2026-03-01");
    // 2026-03-01: first 2026-01-01 (14 -> 2 = -12), previous 2026-02-01 (8 -> 2 = -6). The CSV
    // writes the RCI to 2 decimals: within half a unit of the last decimal.
    assert_eq!(get(0, "first_date"), "2026-01-01");
    assert_eq!(get(0, "change_first"), "-12");
    assert!((number(&get(0, "rci_first")) - gad7_rci(-12.0)).abs() <= 0.005 + 1e-12);
    assert_eq!(get(0, "reliable_first"), "improved");
    assert_eq!(get(0, "previous_date"), "2026-02-01");
    assert_eq!(get(0, "change_previous"), "-6");
    assert!((number(&get(0, "rci_previous")) - gad7_rci(-6.0)).abs() <= 0.005 + 1e-12);
    // |RCI| for -6: 6 / (sqrt 2 x 3.4 x sqrt .11) = 3.76 > 1.96.
    assert_eq!(get(0, "reliable_previous"), "improved");
    // 2026-01-01 is the baseline.
    assert_eq!(get(1, "first_date"), "");
    assert_eq!(
        cell(&run.stdout, 1, "gad7_change_notes"),
        "first administration: the baseline for later change"
    );
    // B has one administration: nothing to compare.
    assert_eq!(get(2, "change_first"), "");
    // 2026-02-01: 14 -> 8 = -6 from both first and previous.
    assert_eq!(
        (get(3, "change_first"), get(3, "change_previous")),
        ("-6".into(), "-6".into())
    );
    // No Jacobson-Truax cut-off for GAD-7 (no clinical reference group), so its published
    // caseness (8 or more; NHS Talking Therapies) is the cut-off: 14 is a case, 2 is not, and
    // the change is reliable: recovered.
    assert_eq!(get(0, "csc"), "recovered");
    insta::assert_snapshot!(cell(&run.stdout, 0, "gad7_change_method"), @"total: RCI (Jacobson-Truax): SD 3.4, internal consistency 0.89 (german_general_population_2006); published caseness: 8 or more is a case");
}

#[test]
fn an_invalid_middle_administration_is_skipped_and_says_so() {
    let mut input = gad7_rows(&[
        ("C", "2026-01-01", [2, 2, 2, 2, 2, 2, 2]),
        ("C", "2026-03-01", [1, 0, 0, 0, 1, 0, 0]),
    ]);
    input.push_str("C,2026-02-01,9,1,1,1,1,1,1\n");
    let run = score(&["gad7"], &HISTORY, input.as_bytes());
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(cell(&run.stdout, 2, "gad7_status"), "invalid");
    assert_eq!(
        cell(&run.stdout, 2, "gad7_change_notes"),
        "invalid: not used for change"
    );
    // 2026-03-01 is compared with 2026-01-01 on both counts: 14 -> 2.
    assert_eq!(
        cell(&run.stdout, 1, "gad7_total_previous_date"),
        "2026-01-01"
    );
    assert_eq!(cell(&run.stdout, 1, "gad7_total_change_previous"), "-12");
    insta::assert_snapshot!(cell(&run.stdout, 1, "gad7_change_notes"), @"the administration on 2026-02-01 (record 3) is invalid and skipped");
}

#[test]
fn duplicate_client_dates_are_reported_not_merged() {
    let input = gad7_rows(&[
        ("D", "2026-01-01", [1, 1, 1, 1, 1, 1, 1]),
        ("D", "2026-01-01", [2, 2, 2, 2, 2, 2, 2]),
        ("D", "2026-02-01", [0, 0, 0, 0, 0, 0, 0]),
    ]);
    let run = score(&["gad7"], &HISTORY, input.as_bytes());
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(cell(&run.stdout, 0, "gad7_change_notes"), @"client D has another administration on 2026-01-01 (record 2): neither is compared with other administrations");
    insta::assert_snapshot!(cell(&run.stdout, 1, "gad7_change_notes"), @"client D has another administration on 2026-01-01 (record 1): neither is compared with other administrations");
    // Neither duplicate is a baseline for 2026-02-01.
    assert_eq!(cell(&run.stdout, 2, "gad7_total_change_first"), "");
    assert_eq!(
        cell(&run.stdout, 2, "gad7_change_notes"),
        "first administration: the baseline for later change"
    );
}

#[test]
fn declared_date_formats_and_unreadable_dates() {
    let input = gad7_rows(&[
        ("E", "06/01/2026", [2, 2, 2, 2, 2, 2, 2]),
        ("E", "03/02/2026", [1, 1, 1, 1, 1, 1, 1]),
        ("E", "2026-03-03", [0, 0, 0, 0, 0, 0, 0]),
    ]);
    let run = score(
        &["gad7"],
        &[&HISTORY[..], &["--date-format", "%d/%m/%Y"]].concat(),
        input.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(cell(&run.stdout, 1, "gad7_total_first_date"), "2026-01-06");
    assert_eq!(cell(&run.stdout, 1, "gad7_total_change_first"), "-7");
    insta::assert_snapshot!(cell(&run.stdout, 2, "gad7_change_notes"), @r#""2026-03-03" is not a date of the form %d/%m/%Y: not compared with other administrations"#);
    // Without --date-format, 06/01/2026 is not read as a date.
    let run = score(&["gad7"], &HISTORY, input.as_bytes());
    assert_eq!(cell(&run.stdout, 1, "gad7_total_change_first"), "");
}

#[test]
fn the_four_change_classes_and_the_three_cutoffs() {
    // Fixture: functional M 3, SD 2; dysfunctional M 9, SD 2.5, test-retest .8.
    // c = (2 x 9 + 2.5 x 3) / 4.5 = 5.667; a = 9 - 2 x 2.5 = 4; b = 3 + 2 x 2 = 7.
    // SEM = 2.5 x sqrt(.2) = 1.118; S_diff = 1.581; reliable when |change| > 3.10.
    let input = "client,date,ch_1,ch_2,ch_3,ch_4\n\
                 recovers,2026-01-01,3,3,3,1\nrecovers,2026-02-01,1,1,1,1\n\
                 improves,2026-01-01,3,3,3,3\nimproves,2026-02-01,2,2,2,1\n\
                 unchanged,2026-01-01,2,2,2,2\nunchanged,2026-02-01,2,2,1,1\n\
                 worsens,2026-01-01,1,1,1,1\nworsens,2026-02-01,3,2,2,2\n";
    let path = data("definitions/change.json");
    let classes = |cutoff: &str| {
        let run = score(
            &[&path],
            &[&HISTORY[..], &["--cutoff", cutoff]].concat(),
            input.as_bytes(),
        );
        assert_eq!(run.code, 0, "{}", run.transcript());
        (1..8)
            .step_by(2)
            .map(|r| cell(&run.stdout, r, "ch_total_csc"))
            .collect::<Vec<_>>()
    };
    // 10 -> 4 (-6, crosses 5.667); 12 -> 7 (-5, 7 still above); 8 -> 6 (-2, not reliable); 4 -> 9 (+5).
    assert_eq!(
        classes("c"),
        ["recovered", "improved", "unchanged", "deteriorated"]
    );
    // Cut-off a = 4: 4 is not below 4 (equal counts as dysfunctional), so 10 -> 4 only improves.
    assert_eq!(
        classes("a"),
        ["improved", "improved", "unchanged", "deteriorated"]
    );
    // Cut-off b = 7: 10 -> 4 recovers; 12 -> 7 does not (7 is not below 7).
    assert_eq!(
        classes("b"),
        ["recovered", "improved", "unchanged", "deteriorated"]
    );
    let run = score(&[&path], &HISTORY, input.as_bytes());
    insta::assert_snapshot!(cell(&run.stdout, 1, "ch_change_method"), @"total: RCI (Jacobson-Truax): SD 2.5, test-retest 0.8 (patients); cut-off c = 5.667 (functional well, dysfunctional patients)");
}

#[test]
fn standard_scores_use_the_stratum_of_the_respondent() {
    let input = format!(
        "id,sex,{}\nw,F,2,2,2,1,1,1,1\nm,male,2,2,2,1,1,1,1\nu,,2,2,2,1,1,1,1\n",
        columns("gad7", 1..=7)
    );
    let run = score(&["gad7"], &["--standard"], input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    // Total 10, written rounded (z, T, SEM and the band to 2 decimals, percentiles to 1).
    // Women: z = (10 - 3.2) / 3.5 = 1.942857…, T = 50 + 10z = 69.42857…;
    // men: (10 - 2.7) / 3.2 = 2.28125, T 72.8125; not given: (10 - 2.95) / 3.4 = 2.073529….
    let text = |row, column| cell(&run.stdout, row, &format!("gad7_total_{column}"));
    assert_eq!(
        (text(0, "z"), text(0, "t")),
        ("1.94".into(), "69.43".into())
    );
    assert_eq!(
        (text(1, "z"), text(1, "t")),
        ("2.28".into(), "72.81".into())
    );
    assert_eq!(
        (text(2, "z"), text(2, "t")),
        ("2.07".into(), "70.74".into())
    );
    // 100 Φ(1.942857…) = 97.398…
    assert_eq!(text(0, "percentile_normal"), "97.4");
    assert_eq!(
        cell(&run.stdout, 0, "gad7_total_norm"),
        "german_general_population_2006 (female)"
    );
    assert_eq!(
        cell(&run.stdout, 2, "gad7_total_norm"),
        "german_general_population_2006"
    );
    // SEM = 3.5 x sqrt(1 - .89) = 1.160818…; the band is 10 -/+ 1.96 SEM = 7.7247…, 12.2752….
    assert_eq!(text(0, "sem"), "1.16");
    assert_eq!(
        (text(0, "ci95_low"), text(0, "ci95_high")),
        ("7.72".into(), "12.28".into())
    );
    // JSON Lines keeps every digit.
    let run = score(
        &["gad7"],
        &["--standard", "--format", "jsonl"],
        input.as_bytes(),
    );
    let first: serde_json::Value =
        serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    let standard = &first["instruments"]["gad7"]["standard"]["total"];
    assert_eq!(
        standard["z"].as_f64(),
        Some((10.0 - 3.2) / 3.5),
        "{standard}"
    );
    // PHQ-15's norms are by sex only: with sex not given there is no standard score.
    let input = format!(
        "id,sex,{}\nu,,{}\n",
        columns("phq15", 1..=15),
        vec!["0"; 15].join(",")
    );
    let run = score(&["phq15"], &["--standard"], input.as_bytes());
    assert_eq!(cell(&run.stdout, 0, "phq15_total"), "0");
    assert_eq!(cell(&run.stdout, 0, "phq15_total_z"), "");
}

#[test]
fn local_norms_are_built_from_a_sample_and_used_for_standard_scores_and_change() {
    let dir = temp_dir("norms");
    let sample = dir.join("sample.csv");
    // Four clients, cffs answered 2, 3, 4, 5 throughout: reversed items (5, 10, 15, 20) score
    // 6 - x, so the total means are (16x + 4(6 - x)) / 20 = (12x + 24) / 20: 2.4, 3, 3.6, 4.2.
    let mut text = format!("client,date,{}\n", columns("cffs", 1..=20));
    for (client, x) in [("a", 2), ("b", 3), ("c", 4), ("d", 5)] {
        text.push_str(&format!(
            "{client},2026-01-01,{}\n",
            vec![x.to_string(); 20].join(",")
        ));
    }
    std::fs::write(&sample, &text).unwrap();
    let norms = dir.join("cffs-norms.json");
    let run = screenscore(
        &[
            "norms",
            "-i",
            "cffs",
            sample.to_str().unwrap(),
            "-o",
            norms.to_str().unwrap(),
            "--population",
            "test sample",
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&norms).unwrap()).unwrap();
    let total = &file["scales"]["total"];
    let means = [2.4, 3.0, 3.6, 4.2];
    let mean = means.iter().sum::<f64>() / 4.0;
    let sd = (means.iter().map(|m| (m - mean) * (m - mean)).sum::<f64>() / 3.0).sqrt();
    assert_eq!(total["strata"][0]["n"], 4);
    // Written to 12 significant digits: mean 13.2 / 4 = 3.3; SD √(1.8 / 3) = 0.77459666924148…
    // (in doubles 0.7745966692414835, one unit of noise in the last place), 0.774596669241.
    let written = std::fs::read_to_string(&norms).unwrap();
    assert!(
        written.contains("\"mean\": 3.3,\n") && written.contains("\"sd\": 0.774596669241\n"),
        "{written}"
    );
    assert!((total["strata"][0]["mean"].as_f64().unwrap() - mean).abs() < 1e-12);
    assert!((total["strata"][0]["sd"].as_f64().unwrap() - sd).abs() < 1e-12);
    assert_eq!(total["source"]["evidence"], "sample");
    assert_eq!(total["population"], "test sample");
    // Alpha: keyed, each person has 16 items at x and 4 at 6 - x, so the sum of raw items is
    // 12x + 24 (variance 144 var x) and the 20 item variances add to 20 var x:
    // alpha = 20/19 x (1 - 20/144).
    let alpha = 20.0 / 19.0 * (1.0 - 20.0 / 144.0);
    assert!((total["reliability"]["value"].as_f64().unwrap() - alpha).abs() < 1e-12);
    assert_eq!(total["reliability"]["kind"], "internal_consistency");
    assert!(run.stderr.contains("total: n 4"), "{}", run.stderr);
    // Scored against them: a client at 3.6 has z = (3.6 - 3.3) / sd.
    let input = format!(
        "client,{}\nx,{}\n",
        columns("cffs", 1..=20),
        vec!["4"; 20].join(",")
    );
    let run = score(
        &["cffs"],
        &["--standard", "--norms", norms.to_str().unwrap()],
        input.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    // Written to 2 decimals: (3.6 - 3.3) / 0.7745… = 0.387…
    let z = number(&cell(&run.stdout, 0, "cffs_total_z"));
    assert!((z - (3.6 - mean) / sd).abs() <= 0.005, "z {z}");
    assert_eq!(cell(&run.stdout, 0, "cffs_total_z"), "0.39");
    assert_eq!(cell(&run.stdout, 0, "cffs_total_norm"), "local");
    // Empirical percentile rank of 3.6 in the sample: 2 below, 1 equal, n 4: (2 + 0.5) / 4.
    assert_eq!(number(&cell(&run.stdout, 0, "cffs_total_percentile")), 62.5);
    // Norms for another instrument are refused.
    let run = score(
        &["gad7"],
        &["--norms", norms.to_str().unwrap()],
        b"gad7_1\n1\n",
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the norms are for `cffs`, which is not among the instruments scored"),
        "{}",
        run.stderr
    );
}

#[test]
fn change_reads_standard_input_too() {
    let input = gad7_rows(&[
        ("A", "2026-01-01", [2, 2, 2, 2, 2, 2, 2]),
        ("A", "2026-02-01", [1, 1, 1, 1, 1, 1, 1]),
    ]);
    let run = score(
        &["gad7"],
        &[&HISTORY[..], &["-"]].concat(),
        input.as_bytes(),
    );
    assert_eq!(cell(&run.stdout, 1, "gad7_total_change_first"), "-7");
    assert_eq!(records(run.stdout.as_bytes()).len(), 3);
}

#[test]
fn a_missing_client_column_is_a_usage_error() {
    let run = score(
        &["gad7"],
        &["--client-col", "who", "--date-col", "date"],
        gad7_rows(&[]).as_bytes(),
    );
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.stderr, @"error: the header has no `who` column (given as the client column)");
}

/// PHQ-9 has no reliability in its shipped reference group, so change uses the published
/// threshold (NHS Talking Therapies, as reported by Saunders et al. 2021, Table 1): a drop of 6
/// or more points is a reliable improvement, and 10 or more is a case.
#[test]
fn phq9_change_uses_the_published_threshold_where_no_reliability_is_given() {
    let header = format!("client,date,{}", columns("phq9", 1..=9));
    // A: 2+2+2+2+1+1+2+0+0 = 12, then 1+1+1+1+1+1+0+0+0 = 6: a change of -6, reliable;
    //    12 is a case (>= 10) and 6 is not: reliable improvement across the cut-off, recovered.
    // B: 12, then 1+1+1+1+1+1+1+0+0 = 7: a change of -5, not reliable: unchanged.
    let input = format!(
        "{header}\n\
         A,2026-01-01,2,2,2,2,1,1,2,0,0\nA,2026-03-01,1,1,1,1,1,1,0,0,0\n\
         B,2026-01-01,2,2,2,2,1,1,2,0,0\nB,2026-03-01,1,1,1,1,1,1,1,0,0\n\
         C,2026-01-01,1,1,1,1,1,0,0,0,0\nC,2026-03-01,2,2,2,2,1,1,1,0,0\n"
    );
    let run = score(&["phq9"], &HISTORY, input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let later = |row| {
        [
            "phq9_total",
            "phq9_total_change_first",
            "phq9_total_rci_first",
            "phq9_total_reliable_first",
            "phq9_total_csc",
        ]
        .map(|c| cell(&run.stdout, row, c))
    };
    assert_eq!(later(1), ["6", "-6", "", "improved", "recovered"]);
    assert_eq!(later(3), ["7", "-5", "", "no", "unchanged"]);
    // 5 -> 11: a rise of 6 or more is reliable deterioration; the value is `deteriorated`, the
    // word of the class of change and of NHS Talking Therapies (renamed from `worsened` on
    // purpose: a contract change of `_reliable_first` and `_reliable_previous`).
    assert_eq!(later(5), ["11", "6", "", "deteriorated", "deteriorated"]);
    insta::assert_snapshot!(cell(&run.stdout, 1, "phq9_change_method"), @"total: published threshold: a change of 6 points or more is reliable; published caseness: 10 or more is a case");
}
