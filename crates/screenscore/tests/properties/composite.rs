//! Composite scales, on the CODAT-shaped definition (`tests/data/definitions/codat_shaped.json`:
//! 25 items on 1–5 in five subscales of five, items 7 and 17 reversed, each subscale allowing one
//! missing item, prorated and rounded half up, and a total of the five subscales): every
//! expected value is computed here from the answers, never taken from the library's output.

use proptest::prelude::*;
use screenscore::{Instrument, Responses};
use serde_json::{Value, json};

use crate::instruments::CODAT_SHAPED;

/// One answer per item, 1–5, or missing.
pub fn codat_row() -> impl Strategy<Value = Vec<Option<u8>>> {
    proptest::collection::vec(proptest::option::weighted(0.85, 1u8..=5), 25)
}

/// The CODAT-shaped definition with its total's missing rule replaced by `missing`, and a rule
/// raised when the total is at least `at`.
pub fn codat_with(missing: Value, at: f64) -> Instrument {
    let text = std::fs::read_to_string(CODAT_SHAPED).unwrap();
    let mut def: Value = serde_json::from_str(&text).unwrap();
    def["scales"][5]["missing"] = missing;
    def["rules"] = json!([{"id": "high", "label": "total high", "severity": "info",
        "when": {"scale": {"id": "total", "op": ">=", "value": at}},
        "source": {"ref": "test", "evidence": "policy"}}]);
    Instrument::from_json(&def.to_string()).unwrap()
}

/// Each subscale computed here: `(score, lowest, highest)`, the score when at most one item is
/// missing (prorated × 5/4 and rounded half up), and the range its complete score could take.
pub fn subscales(row: &[Option<u8>]) -> Vec<(Option<f64>, f64, f64)> {
    (0..5)
        .map(|s| {
            let keyed: Vec<Option<f64>> = (0..5)
                .map(|k| {
                    let item = s * 5 + k + 1;
                    row[item - 1].map(|v| {
                        let v = f64::from(v);
                        if item == 7 || item == 17 { 6.0 - v } else { v }
                    })
                })
                .collect();
            let sum: f64 = keyed.iter().flatten().sum();
            let missing = keyed.iter().filter(|v| v.is_none()).count();
            let score = match missing {
                0 => Some(sum),
                // Half up: every prorated sum is positive.
                1 => Some((sum * 5.0 / 4.0).round()),
                _ => None,
            };
            let n = missing as f64;
            match score {
                Some(x) => (Some(x), x, x),
                None => (None, sum + n, sum + 5.0 * n),
            }
        })
        .collect()
}

/// Score a row of the CODAT-shaped instrument.
pub fn check_composite(
    instrument: &Instrument,
    row: &[Option<u8>],
    expected_total: Option<f64>,
    at: f64,
) -> Result<(), TestCaseError> {
    let cells = row
        .iter()
        .map(|v| v.map_or(String::new(), |v| v.to_string()));
    let sheet = instrument.score(&Responses::in_order(cells)).unwrap();
    let subs = subscales(row);
    if row.iter().all(Option::is_none) {
        return Ok(());
    }
    for (s, (score, _, _)) in subs.iter().enumerate() {
        prop_assert_eq!(sheet.scales().nth(s).unwrap().score(), *score);
    }
    let total = sheet.scale("total").unwrap();
    prop_assert_eq!(total.score(), expected_total);
    let (lo, hi) = instrument.scale_range("total").unwrap();
    prop_assert_eq!((lo, hi), (25.0, 125.0));
    if let Some(t) = expected_total {
        prop_assert!((lo..=hi).contains(&t));
    }
    // The rule decides over what is known: raised when the total is (or, unscored, would be
    // whatever the missing answers) at least `at`; not raised when it cannot reach it.
    let lowest: f64 = expected_total.unwrap_or_else(|| subs.iter().map(|s| s.1).sum());
    let highest: f64 = expected_total.unwrap_or_else(|| subs.iter().map(|s| s.2).sum());
    let raised = sheet.flags().any(|r| r.id == "high");
    if lowest >= at {
        prop_assert!(raised, "total at least {lowest}, rule at {at}");
    } else {
        prop_assert!(
            !raised,
            "total may be {lowest} (up to {highest}), rule at {at}"
        );
    }
    Ok(())
}
