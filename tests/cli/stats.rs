//! `screenscore stats` against R's psych: the fixtures under tests/data/psych were written by
//! scripts/psych-reference.R (definition, data, and psych's statistics, pairwise and listwise);
//! every number must agree to 1e-6, and every number either side must have its counterpart.

use std::collections::BTreeMap;

use crate::support::{data, screenscore};

type Numbers = BTreeMap<(String, String, String), Option<f64>>;

/// `scale,item,statistic,value` rows (after any `#` comment line), keyed by the first three.
fn numbers(csv: &str, skip: usize) -> Numbers {
    let body: String = csv
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let value = (!r[skip + 3].is_empty()).then(|| r[skip + 3].parse::<f64>().unwrap());
            (
                (
                    r[skip].to_string(),
                    r[skip + 1].to_string(),
                    r[skip + 2].to_string(),
                ),
                value,
            )
        })
        .collect()
}

fn compare_with_psych(case: &str, missing: &str) {
    let definition = data(&format!("psych/{case}/definition.json"));
    let input = data(&format!("psych/{case}/data.csv"));
    let run = screenscore(
        &[
            "stats",
            "-i",
            &definition,
            &input,
            "--format",
            "csv",
            "--missing",
            missing,
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let ours = numbers(&run.stdout, 1);
    let expected_file = data(&format!("psych/{case}/expected-{missing}.csv"));
    let psych = numbers(&std::fs::read_to_string(expected_file).unwrap(), 0);
    let only_ours: Vec<_> = ours.keys().filter(|k| !psych.contains_key(*k)).collect();
    let only_psych: Vec<_> = psych.keys().filter(|k| !ours.contains_key(*k)).collect();
    assert!(
        only_ours.is_empty() && only_psych.is_empty(),
        "{case} {missing}: only in ours {only_ours:?}; only in psych {only_psych:?}"
    );
    for (key, expected) in &psych {
        let got = ours[key];
        match (got, *expected) {
            (Some(got), Some(expected)) => assert!(
                (got - expected).abs() <= 1e-6,
                "{case} {missing} {key:?}: ours {got}, psych {expected}"
            ),
            (got, expected) => assert_eq!(got, expected, "{case} {missing} {key:?}"),
        }
    }
}

#[test]
fn two_scales_with_reverse_keys_and_missing_answers_match_psych_pairwise() {
    compare_with_psych("keyed", "pairwise");
}

#[test]
fn two_scales_with_reverse_keys_and_missing_answers_match_psych_listwise() {
    compare_with_psych("keyed", "listwise");
}

#[test]
fn a_two_item_scale_matches_psych_pairwise() {
    compare_with_psych("pair", "pairwise");
}

#[test]
fn a_two_item_scale_matches_psych_listwise() {
    compare_with_psych("pair", "listwise");
}

#[test]
fn answers_near_a_million_and_a_near_constant_item_match_psych_pairwise() {
    compare_with_psych("offset", "pairwise");
}

#[test]
fn answers_near_a_million_and_a_near_constant_item_match_psych_listwise() {
    compare_with_psych("offset", "listwise");
}

/// pingouin's `cronbach_wide_missing.csv`, fetched by scripts/fetch-test-data.py (it is GPL-3.0
/// and not redistributed here). Without it the pingouin tests say so and pass, unless
/// `SCREENSCORE_REQUIRE_DATA` is set (as .ci/run sets it).
fn pingouin_data() -> Option<String> {
    let path = data("external/pingouin/cronbach_wide_missing.csv");
    if std::path::Path::new(&path).exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("SCREENSCORE_REQUIRE_DATA").is_none(),
        "SCREENSCORE_REQUIRE_DATA is set but {path} is missing: run scripts/fetch-test-data.py"
    );
    eprintln!("skipped: {path} is missing; run scripts/fetch-test-data.py");
    None
}

/// `screenscore stats --format json` on the pingouin data (its columns Q1…Q11 renamed by a map).
fn pingouin_total(path: &str, missing: &str) -> serde_json::Value {
    let run = screenscore(
        &[
            "stats",
            "-i",
            &data("pingouin/definition.json"),
            "--map",
            &data("pingouin/map.csv"),
            path,
            "--format",
            "json",
            "--missing",
            missing,
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let stats: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    stats["scales"][0].clone()
}

fn round3(x: &serde_json::Value) -> f64 {
    (x.as_f64().unwrap() * 1000.0).round() / 1000.0
}

/// pingouin's documentation (`cronbach_alpha`, pingouin 0.7.0): `(0.732660835214447,
/// array([0.435, 0.909]))` with pairwise deletion, as psych's `alpha(data, use = "pairwise")`.
#[test]
fn pingouin_reliability_example_pairwise() {
    let Some(path) = pingouin_data() else { return };
    let total = pingouin_total(&path, "pairwise");
    let alpha = total["alpha_raw"].as_f64().unwrap();
    assert!((alpha - 0.732660835214447).abs() < 1e-9, "alpha {alpha}");
    assert_eq!(total["n"], 12);
    let ci = &total["alpha_ci95"];
    assert_eq!((round3(&ci[0]), round3(&ci[1])), (0.435, 0.909));
}

/// pingouin's documentation: `(0.8016949152542373, array([0.581, 0.933]))` after listwise
/// deletion (9 complete rows of 12). pingouin (like psych's `alpha(use = "complete.obs")`)
/// takes the interval's n from all 12 rows; screenscore takes it from the 9 rows the alpha
/// comes from (as psych does on `na.omit(data)`), so the intervals differ by that n alone.
#[test]
fn pingouin_reliability_example_listwise() {
    let Some(path) = pingouin_data() else { return };
    let total = pingouin_total(&path, "listwise");
    let alpha = total["alpha_raw"].as_f64().unwrap();
    assert!((alpha - 0.8016949152542373).abs() < 1e-9, "alpha {alpha}");
    assert_eq!((&total["n"], &total["complete"]), (&9.into(), &9.into()));
    let (low, high) = screenscore::stats::feldt(alpha, 12, 11).unwrap();
    assert_eq!((round3(&low.into()), round3(&high.into())), (0.581, 0.933));
    let (low, high) = screenscore::stats::feldt(alpha, 9, 11).unwrap();
    let ci = &total["alpha_ci95"];
    assert_eq!((ci[0].as_f64(), ci[1].as_f64()), (Some(low), Some(high)));
}
