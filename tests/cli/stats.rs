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

/// `screenscore stats -i tests/data/psych/{case}/definition.json - --format csv --deletion …`
/// with `input` on stdin.
fn stats_csv(case: &str, input: &[u8], missing: &str) -> crate::support::Run {
    let definition = data(&format!("psych/{case}/definition.json"));
    screenscore(
        &[
            "stats",
            "-i",
            &definition,
            "-",
            "--format",
            "csv",
            "--deletion",
            missing,
        ],
        input,
    )
}

fn case_data(case: &str) -> Vec<u8> {
    std::fs::read(data(&format!("psych/{case}/data.csv"))).unwrap()
}

/// Every number of `stdout` (screenscore's CSV) against psych's for the case.
fn assert_matches_psych(stdout: &str, case: &str, missing: &str) {
    let ours = numbers(stdout, 1);
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

fn compare_with_psych(case: &str, missing: &str) {
    let run = stats_csv(case, &case_data(case), missing);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_matches_psych(&run.stdout, case, missing);
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
/// and not redistributed here). The tests that read it are `#[ignore]`d, so that `cargo test`
/// lists them as ignored; run with `--include-ignored` (as .ci/run does, after fetching), a
/// missing file fails them.
fn pingouin_data() -> String {
    let path = data("external/pingouin/cronbach_wide_missing.csv");
    assert!(
        std::path::Path::new(&path).exists(),
        "{path} is missing: run scripts/fetch-test-data.py"
    );
    path
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
            "--deletion",
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
#[ignore = "needs pingouin's data: run scripts/fetch-test-data.py, then --include-ignored (as .ci/run does)"]
fn pingouin_reliability_example_pairwise() {
    let path = pingouin_data();
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
#[ignore = "needs pingouin's data: run scripts/fetch-test-data.py, then --include-ignored (as .ci/run does)"]
fn pingouin_reliability_example_listwise() {
    let path = pingouin_data();
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

/// A row with an unreadable answer and a row with no answers at all change nothing: the first
/// is left out and counted (exit status 1), the second is not an administration.
#[test]
fn unreadable_and_empty_rows_are_left_out() {
    let mut input = case_data("pair");
    input.extend_from_slice(b"9,1,1,1,1\n,,,,\n");
    for missing in ["pairwise", "listwise"] {
        let run = stats_csv("pair", &input, missing);
        assert_eq!(run.code, 1, "{}", run.transcript());
        assert_matches_psych(&run.stdout, "pair", missing);
        // Every scale takes no missing answer: a data row with an empty cell is incomplete.
        let rows = crate::support::records(&case_data("pair"));
        let incomplete = rows[1..]
            .iter()
            .filter(|r| r.iter().any(<[u8]>::is_empty))
            .count();
        let line = format!(
            "{} rows read: {} scored, {incomplete} incomplete, 1 invalid, 1 absent\n",
            rows.len() - 1 + 2,
            rows.len() - 1 - incomplete
        );
        assert!(run.stderr.ends_with(&line), "{}", run.transcript());
    }
}

/// The warnings a researcher acts on. Item p2 is reverse-keyed in the definition but answered
/// exactly like p1 (not reversed), so the keyed p2 is 6 − p1 and the corrected item-total r of
/// each (in a two-item scale, the r between the two) is −1; t3 is 3 in every row; six rows
/// are fewer than 30 complete cases.
#[test]
fn warnings_name_mis_keyed_and_constant_items_and_small_samples() {
    let input = b"pair_p1,pair_p2,pair_t1,pair_t2,pair_t3
1,1,1,2,3
2,2,2,2,3
3,3,2,3,3
4,4,4,4,3
5,5,5,4,3
3,3,3,3,3
";
    let run = stats_csv("pair", input, "pairwise");
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stderr, @"
    warning: pair pair: item p1 has a corrected item-total correlation of -1.000 (below 0): is it keyed the right way?
    warning: pair pair: item p2 has a corrected item-total correlation of -1.000 (below 0): is it keyed the right way?
    warning: pair pair: only 6 complete cases (fewer than 30): these statistics are unstable
    warning: pair trio: item t3 has no variance in this sample (every answer is 3)
    warning: pair trio: only 6 complete cases (fewer than 30): these statistics are unstable
    6 rows read: 6 scored, 0 incomplete, 0 invalid, 0 absent
    ");
}

/// Fewer than two administrations: nothing can be computed, and the run says so (exit 2).
#[test]
fn one_administration_is_not_a_sample() {
    let run = stats_csv(
        "pair",
        b"pair_p1,pair_p2,pair_t1,pair_t2,pair_t3\n1,2,3,4,5\n",
        "pairwise",
    );
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: pair: only 1 administration with answers in the input; sample statistics need at least 2
    ");
}

/// The table a person reads (the numbers are psych's, as the tests above check).
#[test]
fn the_table() {
    let definition = data("psych/pair/definition.json");
    let run = screenscore(&["stats", "-i", &definition, "-"], &case_data("pair"));
    insta::assert_snapshot!(run.transcript(), @"
    exit: 0
    --- stdout
    pair: 150 administrations (pairwise deletion)

    pair: 2 items, n 150, 121 complete
      alpha 0.599 (95% CI 0.446 to 0.709, Feldt), SE 0.066, standardised 0.599, lambda 6 0.427
      average r 0.427, median r 0.427, signal/noise 1.492
      mean item 3.131 (SD 1.072); scale score mean 6.388 (SD 2.099, 121 scored)
      item  reversed    n   mean     sd  r_raw  r_std  r_cor  r_drop  alpha if deleted
      p1              136  3.162  1.249  0.863  0.845  0.552   0.427             0.435
      p2         yes  134  3.157  1.225  0.855  0.845  0.552   0.427             0.419
      answers given (share of those answering), and share missing
      item      1      2      3      4      5  missing
      p1    0.118  0.176  0.309  0.221  0.176    0.093
      p2    0.179  0.194  0.336  0.187  0.104    0.107

    trio: 3 items, n 150, 116 complete
      alpha 0.659 (95% CI 0.552 to 0.743, Feldt), SE 0.048, standardised 0.658, lambda 6 0.564
      average r 0.391, median r 0.374, signal/noise 1.928
      mean item 3.002 (SD 0.916); scale score mean 8.905 (SD 2.794, 116 scored)
      item  reversed    n   mean     sd  r_raw  r_std  r_cor  r_drop  alpha if deleted
      t1              134  3.015  1.182  0.783  0.784  0.609   0.493             0.531
      t2              139  2.863  1.211  0.783  0.778  0.597   0.482             0.545
      t3              142  3.099  1.175  0.761  0.751  0.532   0.434             0.609
      answers given (share of those answering), and share missing
      item      1      2      3      4      5  missing
      t1    0.097  0.254  0.328  0.179  0.142    0.107
      t2    0.151  0.237  0.324  0.173  0.115    0.073
      t3    0.099  0.225  0.275  0.282  0.120    0.053

    scale intercorrelations: below the diagonal r, above it corrected for attenuation, on it alpha
                  1      2
      1 pair  0.599  0.414
      2 trio  0.260  0.659
    --- stderr
    150 rows read: 97 scored, 53 incomplete, 0 invalid, 0 absent
    ");
}

/// Missing answers written as a code (`--missing-code NA`) are missing answers.
#[test]
fn missing_codes_are_missing_answers() {
    let text = String::from_utf8(case_data("keyed")).unwrap();
    let coded: String = text
        .lines()
        .map(|line| {
            let cells: Vec<&str> = line
                .split(',')
                .map(|c| if c.is_empty() { "NA" } else { c })
                .collect();
            cells.join(",") + "\n"
        })
        .collect();
    assert!(coded.contains("NA"));
    let definition = data("psych/keyed/definition.json");
    let run = screenscore(
        &[
            "stats",
            "-i",
            &definition,
            "--missing-code",
            "NA",
            "--format",
            "csv",
        ],
        coded.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_matches_psych(&run.stdout, "keyed", "pairwise");
}
