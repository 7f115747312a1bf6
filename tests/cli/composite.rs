//! A composite scale (the CODAT-shaped total of five subscales) through the commands that use
//! scales: `score` with local norms and standard scores, `stats` (which, as for a derived scale,
//! leaves it out: reliability is of item scales), `norms`, `outcomes` and `report`.

use crate::support::{cell, data, screenscore, temp_dir};

/// Two clients, two visits each, every item answered: each row's items all at one value, with
/// items 7 and 17 at the mirror so that every subscale is `5 × value` and the total `25 × value`.
fn visits() -> String {
    let header: Vec<String> = (1..=25).map(|i| format!("codat_shaped_{i}")).collect();
    let mut csv = format!("client_id,date,{}\n", header.join(","));
    for (client, date, v) in [
        ("a", "2026-01-05", 4),
        ("a", "2026-03-05", 2),
        ("b", "2026-01-05", 3),
        ("b", "2026-03-05", 3),
    ] {
        let cells: Vec<String> = (1..=25)
            .map(|i| if i == 7 || i == 17 { 6 - v } else { v }.to_string())
            .collect();
        csv.push_str(&format!("{client},{date},{}\n", cells.join(",")));
    }
    // Client c: items 1 and 2 unanswered, so other_focus and the total are not scored.
    csv.push_str(&format!("c,2026-01-05,,,{}\n", vec!["3"; 23].join(",")));
    csv
}

#[test]
fn a_composite_goes_through_norms_standard_scores_stats_and_outcomes() {
    let dir = temp_dir("composite");
    let input = dir.join("visits.csv");
    std::fs::write(&input, visits()).unwrap();
    let input = input.display().to_string();
    let def = data("definitions/codat_shaped.json");
    let norms = dir.join("norms.json").display().to_string();

    // Local norms: the total's mean over 100, 50, 75, 75 is 75.
    let run = screenscore(&["norms", "-i", &def, &input, "-o", &norms], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    let built: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&norms).unwrap()).unwrap();
    assert_eq!(built["scales"]["total"]["strata"][0]["mean"], 75.0);

    // Standard scores against them: the total of 75 is at the mean, T = 50.
    let run = screenscore(
        &["score", "-i", &def, "--norms", &norms, "--standard", &input],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(cell(&run.stdout, 0, "codat_shaped_total"), "100");
    assert_eq!(cell(&run.stdout, 2, "codat_shaped_total_t"), "50");

    // Stats: reliability is of item scales, so the subscales are there; the composite, like a
    // derived scale, has no items of its own and is not.
    let run = screenscore(&["stats", "-i", &def, &input], b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.contains("\nself_worth: 5 items, n 5"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("\ntotal:"), "{}", run.stdout);

    // Change over time: client a's total went from 100 to 50.
    let run = screenscore(
        &[
            "outcomes",
            "-i",
            &def,
            &input,
            "--client-col",
            "client_id",
            "--date-col",
            "date",
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(cell(&run.stdout, 0, "codat_shaped_first"), "100");
    assert_eq!(cell(&run.stdout, 0, "codat_shaped_change"), "-50");

    // Reports: the composite is a scale of the client's report like any other.
    let out = dir.join("reports").display().to_string();
    let run = screenscore(
        &[
            "report",
            "-i",
            &def,
            "--client-col",
            "client_id",
            "--date-col",
            "date",
            "--out-dir",
            &out,
            &input,
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let report = std::fs::read_to_string(dir.join("reports").join("a.html")).unwrap();
    assert!(report.contains("Total (sum of the five subscales)"));
    let report = std::fs::read_to_string(dir.join("reports").join("c.html")).unwrap();
    assert!(
        report.contains("not scored: 4 of 5 component scales scored, too few to score"),
        "{report}"
    );
}
