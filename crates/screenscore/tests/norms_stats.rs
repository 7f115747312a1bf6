//! Local norms and sample statistics agree on a scale's mean and SD for answers anywhere in the
//! range a definition accepts (option values within ±10⁹), and both are what exact arithmetic
//! gives: `NormsBuilder` and `StatsBuilder` sum the scores shifted by the first one, so scores
//! near 10⁹ that differ by a quarter keep their spread.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use screenscore::norms::NormsBuilder;
use screenscore::stats::{Missing, StatsBuilder};
use screenscore::{Instrument, Responses};

/// The largest option value a definition accepts, in magnitude, in quarters.
const MAX_QUARTERS: i64 = 4_000_000_000;

/// An option value in quarters: anywhere within ±10⁹, or within ten of either end (where sums
/// of squares that are not shifted lose the spread).
fn quarters() -> impl Strategy<Value = i64> {
    prop_oneof![
        -MAX_QUARTERS..=MAX_QUARTERS,
        (0..40i64).prop_map(|q| MAX_QUARTERS - q),
        (0..40i64).prop_map(|q| q - MAX_QUARTERS),
    ]
}

/// Per item its option values (2 to 4 distinct ones, in quarters), and rows of answers (the
/// option chosen for each item).
fn sample() -> impl Strategy<Value = (Vec<Vec<i64>>, Vec<Vec<usize>>)> {
    let options = prop::collection::btree_set(quarters(), 2..=4)
        .prop_map(|set| set.into_iter().collect::<Vec<i64>>());
    prop::collection::vec(options, 2..=3).prop_flat_map(|items| {
        let row: Vec<std::ops::Range<usize>> = items.iter().map(|o| 0..o.len()).collect();
        (Just(items), prop::collection::vec(row, 2..=60))
    })
}

/// A definition whose items `i0`, `i1`, … have these option values (in quarters), labelled
/// `answer 0`, `answer 1`, …, and one scale summing them all.
fn instrument(items: &[Vec<i64>]) -> Instrument {
    let source = r#"{"ref": "test", "evidence": "policy"}"#;
    let sets: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, values)| {
            let options: Vec<String> = values
                .iter()
                .enumerate()
                .map(|(j, &q)| format!(r#"{{"value": {}, "label": "answer {j}"}}"#, q as f64 / 4.0))
                .collect();
            format!(r#"{{"id": "r{i}", "options": [{}]}}"#, options.join(","))
        })
        .collect();
    let ids: Vec<String> = (0..items.len()).map(|i| format!("\"i{i}\"")).collect();
    let item_json: Vec<String> = (0..items.len())
        .map(|i| format!(r#"{{"id": "i{i}", "label": "item {i}", "response_set": "r{i}"}}"#))
        .collect();
    let json = format!(
        r#"{{"id": "wide", "name": "wide", "measures": "a test", "version": "1",
            "status": "validated", "citation": "a test",
            "license": {{"name": "test", "terms": "test", "commercial_use": "allowed",
                         "source": {source}}},
            "response_sets": [{}], "items": [{}],
            "scales": [{{"id": "total", "label": "total", "items": [{}], "method": "sum",
                         "higher_is": "worse",
                         "missing": {{"max_missing": 0, "source": {source}}}}}]}}"#,
        sets.join(","),
        item_json.join(","),
        ids.join(",")
    );
    Instrument::from_json(&json).unwrap()
}

/// Whether `a` and `b` differ by at most `relative` of the larger in size, plus `floor`.
fn close(a: f64, b: f64, relative: f64, floor: f64) -> bool {
    (a - b).abs() <= relative * a.abs().max(b.abs()) + floor
}

fn agree(items: &[Vec<i64>], rows: &[Vec<usize>]) -> Result<(), TestCaseError> {
    let instrument = instrument(items);
    let mut norms = NormsBuilder::new(&instrument);
    let mut stats = StatsBuilder::new(&instrument, Missing::Pairwise);
    for row in rows {
        let answers = row.iter().map(|j| format!("answer {j}"));
        let sheet = instrument.score(&Responses::in_order(answers)).unwrap();
        norms.add(&sheet);
        stats.add(&sheet);
    }
    let norms = norms.finish("a sample", "test");
    let stats = stats.finish();
    let stats = &stats.scales[0];
    let (stats_mean, stats_sd) = (stats.score_mean.unwrap(), stats.score_sd.unwrap());

    // Exact figures, in quarters and integers: n·Σx² − (Σx)² is n(n − 1) times the variance.
    let scores: Vec<i128> = rows
        .iter()
        .map(|row| row.iter().zip(items).map(|(&j, o)| i128::from(o[j])).sum())
        .collect();
    let n = scores.len() as i128;
    let sum: i128 = scores.iter().sum();
    let squares: i128 = scores.iter().map(|x| x * x).sum();
    let spread = n * squares - sum * sum;
    let mean = sum as f64 / n as f64 / 4.0;
    let sd = (spread as f64 / (n * (n - 1)) as f64).sqrt() / 4.0;
    let largest = scores.iter().map(|x| x.unsigned_abs()).max().unwrap_or(0) as f64 / 4.0;

    // The mean to a few units in the last place of the largest score.
    let floor = 4.0 * f64::EPSILON * largest;
    prop_assert!(
        close(stats_mean, mean, 1e-9, floor),
        "stats mean {stats_mean}, exact {mean}"
    );
    prop_assert!(
        close(stats_sd, sd, 1e-9, 0.0),
        "stats SD {stats_sd}, exact {sd}"
    );
    match norms.scales.get("total") {
        None => prop_assert_eq!(spread, 0, "norms left out a scale with spread"),
        Some(group) => {
            let stratum = &group.strata[0];
            prop_assert_eq!(stratum.n, Some(rows.len() as u64));
            prop_assert!(
                close(stratum.mean, stats_mean, 1e-9, 0.0),
                "norms mean {}, stats mean {stats_mean}",
                stratum.mean
            );
            prop_assert!(
                close(stratum.sd, stats_sd, 1e-9, 0.0),
                "norms SD {}, stats SD {stats_sd}",
                stratum.sd
            );
            norms.check(&instrument).map_err(TestCaseError::fail)?;
        }
    }
    if spread == 0 {
        prop_assert!(norms.scales.is_empty() && stats_sd == 0.0);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// `norms` and `stats` give the same mean and SD (to a relative 1e-9), both exact to that
    /// precision, for option values anywhere within ±10⁹.
    #[test]
    fn norms_and_stats_agree_on_mean_and_sd((items, rows) in sample()) {
        agree(&items, &rows)?;
    }
}

/// The issue's case in small: answers a quarter apart at the very end of the range.
#[test]
fn answers_at_the_end_of_the_range_agree() {
    let items = vec![vec![MAX_QUARTERS - 2, MAX_QUARTERS - 1, MAX_QUARTERS]; 2];
    let rows: Vec<Vec<usize>> = (0..300).map(|r| vec![r % 3, (r / 3) % 3]).collect();
    agree(&items, &rows).unwrap();
}
