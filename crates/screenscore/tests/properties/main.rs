//! Property tests (proptest) over every built-in instrument, and over two definitions written for
//! these tests (`mixed`, in instruments.rs, and `testdata/demo.json`) that reach what the
//! built-ins do not: response sets with different ranges in one scale, negative and fractional
//! option values, rounding that lands off the options' grid, missing codes, skips and
//! `applies_if`.
//!
//! Answers are generated from each item's declared options (as value, padded value, `2.0`, `02`,
//! label in any case, or code), with missing cells (empty, blanks, missing codes) and invalid
//! cells. Every expected value is computed here from the definition (option values, reverse
//! keys, methods, missing rules, rounding, derived transforms) or by arithmetic on the generated
//! answers, never taken from the library's own range, key or output.

mod answers;
mod batches;
mod composite;
mod expected;
mod instruments;
mod sheet_view;
mod single;

use proptest::prelude::*;
use screenscore::Instrument;
use screenscore::definition::Method;
use serde_json::json;

use crate::answers::{any_row, complete_profile, mixed_profile, pick, score};
use crate::batches::{
    batch_agrees_with_the_library, batch_case, permuted_rows_give_permuted_output,
    repeated_row_gives_the_same_output,
};
use crate::expected::{declared_ranges, option_range};
use crate::instruments::{builtins, instruments};
use crate::single::{
    Sums, check_within, mirrored_answers_change_the_score_by_their_keyed_difference,
    proration_within_range, rounding, score_within_range, scored_twice_alike,
    toggled_keys_and_mirrored_answers_score_alike, with_missing,
};

// ---- Composite scales ----

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A composite scores the sum of its components' final scores (each subscale computed here:
    /// prorated × 5/4 and rounded half up with one item missing, unscored with two), only when
    /// every component is scored; its range is its components' (25–125); and a rule on it,
    /// unscored, is decided over the range its complete score could take: raised when even the
    /// lowest reaches the threshold, never when it may fall short.
    #[test]
    fn a_composite_is_its_components_final_scores_and_rules_decide_over_its_bounds(
        row in composite::codat_row(),
        at in 25u32..=125,
    ) {
        let instrument = composite::codat_with(
            json!({"max_missing": 0, "source": {"ref": "test", "evidence": "policy"}}),
            f64::from(at),
        );
        let subs = composite::subscales(&row);
        let total = subs.iter().map(|s| s.0).sum::<Option<f64>>();
        composite::check_composite(&instrument, &row, total, f64::from(at))?;
    }

    /// A prorated composite is the mean of its scored components times their count (rounded
    /// half up here), scored with at most two components unscored; unscored, rules on it are
    /// decided over the bounds of its complete (unprorated) score.
    #[test]
    fn a_prorated_composite_is_the_mean_of_its_scored_components_times_their_count(
        row in composite::codat_row(),
        at in 25u32..=125,
    ) {
        let instrument = composite::codat_with(
            json!({"max_missing": 2, "prorate": true,
                   "source": {"ref": "test", "evidence": "policy"}}),
            f64::from(at),
        );
        let mut def = serde_json::to_value(instrument.definition()).unwrap();
        def["scales"][5]["rounding"] = json!({"method": "half_up"});
        let instrument = Instrument::from_json(&def.to_string()).unwrap();
        let scored: Vec<f64> = composite::subscales(&row).iter().filter_map(|s| s.0).collect();
        let total = (scored.len() >= 3)
            .then(|| (scored.iter().sum::<f64>() * 5.0 / scored.len() as f64).round());
        composite::check_composite(&instrument, &row, total, f64::from(at))?;
    }
}

// ---- Single administrations ----

/// The range the library reports for every scale of every instrument is the one the definition
/// gives (computed here): what the property tests below rely on, checked for every scale at once.
#[test]
fn the_reported_range_is_the_declared_range() {
    for instrument in instruments() {
        let ranges = declared_ranges(instrument.definition());
        for (scale, range) in instrument.definition().scales.iter().zip(ranges) {
            let id = format!("{}.{}", instrument.id(), scale.id);
            assert_eq!(instrument.scale_range(&scale.id), Some(range), "{id}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A score lies within its scale's range: the lowest and highest score the definition allows
    /// (computed here from the option values, method, derived transform and rounding), which is
    /// also the range the library reports. Prorated and rounded scores included; for a scale left
    /// unscored, the range its complete score could still take lies within it too.
    #[test]
    fn a_score_lies_within_its_scales_range((k, row) in any_row(instruments(), mixed_profile)) {
        score_within_range(k, &row)?;
    }

    /// Proration stays within range: with every sum scale whose items share one range prorating
    /// (allowing a generated number of missing items, with generated rounding), a prorated score
    /// lies within the scale's range; and it lies within what the missing items could have added
    /// to the answered ones (answered keyed values plus the missing items' lowest, and highest,
    /// option values, rounded).
    #[test]
    fn proration_stays_within_range(
        (k, row) in any_row(instruments(), mixed_profile),
        allowed in proptest::collection::vec(any::<u8>(), 8),
        roundings in proptest::collection::vec(rounding(), 8),
    ) {
        proration_within_range(k, &row, &allowed, &roundings)?;
    }

    /// A sum that allows missing items without prorating them stays within its range (every
    /// instrument, every sum allowing missing items, none prorating): a missing item adds
    /// nothing, so a sum of items scored from 1 reaches below the sum of their lowest values
    /// (K10 with one item missing and the others answered 1 scores 9), and its range says so.
    #[test]
    fn a_sum_left_unprorated_with_missing_items_stays_within_range(
        (k, row) in any_row(instruments(), mixed_profile),
        allowed in proptest::collection::vec(any::<u8>(), 8),
    ) {
        let def = with_missing(instruments()[k].definition(), &allowed, &[None], Sums::Plain);
        let instrument = Instrument::from_definition(def.clone()).unwrap();
        let sheet = score(&instrument, &row);
        let ranges = declared_ranges(&def);
        for (scale, &range) in sheet.scales().zip(&ranges) {
            if let Some(score) = scale.score() {
                check_within("score", &format!("{}.{}", def.id, scale.id()), score, range)?;
            }
        }
    }

    /// Reverse keying is an involution: toggling the reverse key of any items (keying an item that
    /// was not, unkeying one that was) and answering those items with the mirror `min + max − x`
    /// of the original answer (over their declared options) leaves every scale's score, band,
    /// bounds and missing-data account unchanged. Keying with any other min or max fails this.
    #[test]
    fn reverse_keying_is_an_involution(
        (k, row) in any_row(instruments(), mixed_profile),
        toggles in proptest::collection::vec(any::<bool>(), 32),
    ) {
        toggled_keys_and_mirrored_answers_score_alike(k, &row, &toggles)?;
    }

    /// A reverse-keyed item scores the mirror of its answer: for a complete administration,
    /// mirroring the answers to a scale's reverse-keyed items changes its score by exactly
    /// Σ (min + max − 2x) over those items (min and max of each item's declared options), divided
    /// by the number of items for a mean, times `multiply` for a scale derived from it, to within
    /// the declared rounding.
    #[test]
    fn a_reversed_item_scores_the_mirror_of_its_answer(
        (k, row) in any_row(instruments(), complete_profile),
    ) {
        mirrored_answers_change_the_score_by_their_keyed_difference(k, &row)?;
    }

    /// The same responses scored twice give the same sheet (status, items, scores, bands, bounds,
    /// flags, errors and notes), also when another administration is scored in between.
    #[test]
    fn the_same_responses_scored_twice_give_the_same_sheet(
        (k, row) in any_row(instruments(), mixed_profile),
        other in proptest::collection::vec(pick(), 32),
    ) {
        scored_twice_alike(k, &row, &other)?;
    }
}

/// Prorating counts a missing item as scoring like the answered ones, which is defined only
/// when a scale's items share one range: a definition prorating a sum over items with different
/// ranges is refused, naming each such scale's rule.
#[test]
fn prorating_items_with_different_ranges_is_refused() {
    let mixed = instruments()[builtins().len()];
    assert_eq!(mixed.id(), "mixed");
    let def = with_missing(mixed.definition(), &[1], &[None], Sums::ProrateAll);
    let differing: Vec<String> = def
        .scales
        .iter()
        .enumerate()
        .filter(|(_, scale)| scale.method == Some(Method::Sum))
        .filter(|(_, scale)| {
            let ranges: Vec<(f64, f64)> = scale
                .items
                .iter()
                .flatten()
                .map(|id| option_range(&def, id))
                .collect();
            ranges.iter().any(|r| *r != ranges[0])
        })
        .map(|(s, _)| format!("scales[{s}].missing.prorate"))
        .collect();
    assert!(
        !differing.is_empty(),
        "mixed has a sum over items with different ranges"
    );
    let error = Instrument::from_definition(def).unwrap_err().to_string();
    for path in &differing {
        assert!(
            error.contains(&format!(
                "{path}: prorating needs items that share one range"
            )),
            "{error}"
        );
    }
    assert_eq!(
        error.matches(".missing.prorate:").count(),
        differing.len(),
        "{error}"
    );
}

// ---- Batches ----

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Permuting input rows permutes output rows and nothing else: scoring the rows in a
    /// generated order gives the same header, and as output row i exactly the output row (every
    /// cell, pass-through columns included) that input row perm[i] gave in input order.
    #[test]
    fn permuting_input_rows_permutes_output_rows_and_nothing_else(
        (case, perm) in batch_case(10).prop_flat_map(|case| {
            let order: Vec<usize> = (0..case.rows.len()).collect();
            (Just(case), Just(order).prop_shuffle())
        })
    ) {
        permuted_rows_give_permuted_output(&case, &perm)?;
    }

    /// The same row scored twice gives the same result: a row repeated later in a batch gives
    /// the same output cells both times, and the same as when it is scored in a batch alone.
    #[test]
    fn a_row_repeated_in_a_batch_gives_the_same_output_cells(
        (case, repeated, at) in batch_case(8).prop_flat_map(|case| {
            let n = case.rows.len();
            (Just(case), 0..n, 0..=n)
        })
    ) {
        repeated_row_gives_the_same_output(&case, repeated, at)?;
    }

    /// A row scored in a batch and the same answers scored one at a time with
    /// `Instrument::score` give the same result: each score column reads back as the sheet's
    /// score, and bands, status, flags, errors (`column: message`) and notes are the same.
    #[test]
    fn a_row_scored_in_a_batch_and_alone_gives_the_same_result(case in batch_case(4)) {
        batch_agrees_with_the_library(&case)?;
    }
}
