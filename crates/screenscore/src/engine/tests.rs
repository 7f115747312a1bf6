use super::*;

// ---- Scoring semantics, on the bundled PHQ-9 and GAD-7 and on testdata/demo.json ----

use crate::sheet::{ItemState, Note, Status, Unscored};
use crate::{Instrument, Responses, ScoreSheet};

fn demo() -> Instrument {
    Instrument::from_json(include_str!("../../testdata/demo.json")).unwrap()
}

fn score<'i>(instrument: &'i Instrument, responses: &Responses) -> ScoreSheet<'i> {
    instrument.score(responses).unwrap()
}

fn flags<'i>(sheet: &ScoreSheet<'i>) -> Vec<&'i str> {
    sheet.flags().map(|r| r.id.as_str()).collect()
}

fn demo_items(values: [&str; 4]) -> Responses {
    Responses::new()
        .item("1", values[0])
        .item("2", values[1])
        .item("3", values[2])
        .item("4", values[3])
}

#[test]
fn phq9_hl7_us_core_example_scores_12_moderate_without_item9_flag() {
    // HL7 US Core Observation-PHQ9 examples: items 2,2,2,2,1,1,2,0,0, published total "12".
    let phq9 = Instrument::builtin("phq9").unwrap();
    let sheet = score(phq9, &Responses::in_order([2, 2, 2, 2, 1, 1, 2, 0, 0]));
    assert_eq!(sheet.status(), Status::Ok);
    assert_eq!(sheet.total(), Some((2 + 2 + 2 + 2 + 1 + 1 + 2) as f64));
    // 10 <= 12 < 15.
    assert_eq!(sheet.scale("total").unwrap().band(), Some("moderate"));
    assert!(!sheet.is_flagged("item9_positive"));
    // Items at 2 or more: 1, 2, 3, 4 and 7 (five symptoms, item 1 among them).
    assert_eq!(flags(&sheet), ["major_depressive_syndrome"]);
}

#[test]
fn phq9_awell_vector_scores_10_and_raises_the_item9_flag() {
    let phq9 = Instrument::builtin("phq9").unwrap();
    let sheet = score(phq9, &Responses::in_order([3, 0, 1, 2, 0, 0, 1, 0, 3]));
    assert_eq!(sheet.total(), Some((3 + 1 + 2 + 1 + 3) as f64));
    assert_eq!(sheet.scale("total").unwrap().band(), Some("moderate"));
    // Symptoms: item 1 (3), item 4 (2), item 9 (at 1 or more): three, with item 1 present.
    assert_eq!(
        flags(&sheet),
        ["item9_positive", "other_depressive_syndrome"]
    );
}

#[test]
fn gad7_vector_scores_7_mild() {
    let gad7 = Instrument::builtin("gad7").unwrap();
    let sheet = score(gad7, &Responses::in_order([3, 0, 1, 2, 0, 0, 1]));
    assert_eq!(sheet.total(), Some((3 + 1 + 2 + 1) as f64));
    assert_eq!(sheet.scale("total").unwrap().band(), Some("mild"));
    assert!(flags(&sheet).is_empty());
}

#[test]
fn phq9_item9_flag_is_never_cleared_by_missing_data() {
    let phq9 = Instrument::builtin("phq9").unwrap();
    // Item 9 answered 2, items 3 to 8 missing: the total cannot be scored, the flag stands.
    let sheet = score(
        phq9,
        &Responses::new().item("1", 0).item("2", 1).item("9", 2),
    );
    assert_eq!(sheet.status(), Status::Incomplete);
    assert_eq!(sheet.total(), None);
    assert!(sheet.is_flagged("item9_positive"));
    // A missing item 9 raises its own warning, and the algorithm still fires when the other
    // eight items already give five symptoms.
    let sheet = score(phq9, &Responses::in_order([3, 3, 3, 3, 3, 3, 3, 3]));
    assert_eq!(
        flags(&sheet),
        ["item9_missing", "major_depressive_syndrome"]
    );
    // An unreadable item 9 counts as unanswered too, and the row is invalid.
    let sheet = score(
        phq9,
        &Responses::in_order(["0", "0", "0", "0", "0", "0", "0", "0", "x"]),
    );
    assert_eq!(sheet.status(), Status::Invalid);
    assert_eq!(flags(&sheet), ["item9_missing"]);
}

#[test]
fn phq9_labels_and_loinc_codes_are_answers() {
    let phq9 = Instrument::builtin("phq9").unwrap();
    let by_label = score(
        phq9,
        &Responses::in_order([
            "more than half the days",
            "MORE THAN HALF THE DAYS",
            " More than half the days ",
            "LA6570-1",
            "Several days",
            "several days",
            "2",
            "not at all",
            "LA6568-5",
        ]),
    );
    assert_eq!(by_label.total(), Some(12.0));
}

#[test]
fn reverse_keying_uses_the_declared_options() {
    let demo = demo();
    // Item 3 is reversed over its declared options 1..3: (1 + 3) - x.
    let sheet = score(&demo, &demo_items(["3", "3", "3", ""]));
    assert_eq!(sheet.total(), Some(3.0 + 3.0 + (1.0 + 3.0 - 3.0)));
    let sheet = score(&demo, &demo_items(["2", "2", "2", ""]));
    assert_eq!(sheet.total(), Some(2.0 + 2.0 + (1.0 + 3.0 - 2.0)));
    let sheet = score(&demo, &demo_items(["3", "3", "1", ""]));
    assert_eq!(sheet.total(), Some(3.0 + 3.0 + (1.0 + 3.0 - 1.0)));
    assert_eq!(sheet.scale("total").unwrap().band(), Some("high"));
    assert!(sheet.is_flagged("high"));
}

#[test]
fn bands_are_lower_bounds() {
    let demo = demo();
    // Bands: low from 3, high from 6. Total = x1 + x2 + (4 - x3).
    for (items, total, band) in [
        (["1", "1", "3", ""], 1 + 1 + 1, "low"), // at the lower edge of `low`
        (["1", "2", "2", ""], 1 + 2 + 2, "low"), // just below `high`
        (["2", "2", "2", ""], 2 + 2 + 2, "high"), // at the lower edge of `high`
    ] {
        let sheet = score(&demo, &demo_items(items));
        assert_eq!(sheet.total(), Some(f64::from(total)), "{items:?}");
        assert_eq!(
            sheet.scale("total").unwrap().band(),
            Some(band),
            "{items:?}"
        );
    }
}

#[test]
fn one_missing_item_is_prorated_and_rounded_exactly() {
    let demo = demo();
    // Item 2 missing: (3 + (4 - 3)) / 2 answered x 3 items = 6.
    let sheet = score(&demo, &demo_items(["3", "", "3", "1"]));
    let total = sheet.scale("total").unwrap();
    assert_eq!(total.score(), Some((3.0 + 1.0) / 2.0 * 3.0));
    assert!(total.prorated());
    assert_eq!((total.answered(), total.applicable()), (2, 3));
    assert_eq!(sheet.status(), Status::Ok);
    let notes: Vec<String> = sheet.notes().map(|n| n.to_string()).collect();
    assert_eq!(notes, ["total prorated from 2 of 3 items"]);
    // (3 + (4 - 2)) / 2 x 3 = 7.5, an exact half: half up gives 8.
    let sheet = score(&demo, &demo_items(["3", "", "2", "1"]));
    assert_eq!(sheet.total(), Some(8.0));
}

#[test]
fn too_many_missing_items_leave_the_scale_unscored() {
    let demo = demo();
    let sheet = score(&demo, &demo_items(["3", "", "", ""]));
    assert_eq!(sheet.status(), Status::Incomplete);
    let total = sheet.scale("total").unwrap();
    assert_eq!(total.score(), None);
    assert_eq!(
        total.unscored(),
        Some(Unscored::TooManyMissing {
            answered: 1,
            applicable: 3
        })
    );
    // The derived scale has no source score.
    assert_eq!(
        sheet.scale("doubled").unwrap().unscored(),
        Some(Unscored::NoSource)
    );
    assert!(sheet.notes().any(|n| n
        == Note::TooManyMissing {
            scale: "total",
            answered: 1,
            applicable: 3
        }));
}

#[test]
fn mean_scales_follow_min_answered_and_round_to_decimals() {
    let demo = demo();
    // Scale `mean`: items 1, 2, 4; at least 2 answered; 2 decimals.
    let female = |values: [&str; 4]| demo_items(values).attribute("sex", "female");
    let sheet = score(&demo, &female(["1", "2", "", "2"]));
    // (1 + 2 + 2) / 3 = 1.666… → 1.67.
    assert_eq!(sheet.scale("mean").unwrap().score(), Some(1.67));
    let sheet = score(&demo, &female(["2", "3", "", ""]));
    assert_eq!(
        sheet.scale("mean").unwrap().score(),
        Some((2.0 + 3.0) / 2.0)
    );
    let sheet = score(&demo, &female(["2", "", "", ""]));
    assert_eq!(sheet.scale("mean").unwrap().score(), None);
}

#[test]
fn items_that_do_not_apply_leave_the_scale() {
    let demo = demo();
    // Item 4 applies to women only. For a man it is not applicable: not counted, not missing.
    let man = score(
        &demo,
        &demo_items(["2", "3", "3", ""]).attribute("sex", "M"),
    );
    let mean = man.scale("mean").unwrap();
    assert_eq!((mean.answered(), mean.applicable()), (2, 2));
    assert_eq!(mean.score(), Some(2.5));
    // A man's answer to item 4 is not scored, and a note says so.
    let man = score(
        &demo,
        &demo_items(["2", "3", "3", "1"]).attribute("sex", "male"),
    );
    assert_eq!(man.scale("mean").unwrap().score(), Some(2.5));
    assert_eq!(man.items().nth(3).unwrap().1, ItemState::NotApplicable);
    assert!(man.notes().any(|n| n == Note::NotApplicable { item: "4" }));
    // Its cell is still read: something that is no answer there makes the row invalid.
    for bad in ["9", "1.5", "garbage"] {
        let man = score(
            &demo,
            &demo_items(["2", "3", "3", bad]).attribute("sex", "M"),
        );
        assert_eq!(man.status(), Status::Invalid, "{bad}");
        assert_eq!(
            man.errors().map(|e| e.id()).collect::<Vec<_>>(),
            ["4"],
            "{bad}"
        );
    }
    // Sex not given: an answered item 4 counts; an unanswered one counts as missing.
    let unknown = score(&demo, &demo_items(["2", "3", "3", "1"]));
    assert_eq!(unknown.scale("mean").unwrap().score(), Some(2.0));
    let unknown = score(&demo, &demo_items(["2", "3", "3", ""]));
    let mean = unknown.scale("mean").unwrap();
    assert_eq!((mean.answered(), mean.applicable()), (2, 3));
}

#[test]
fn derived_scales_transform_their_source() {
    let demo = demo();
    let sheet = score(&demo, &demo_items(["3", "3", "3", ""]));
    // total = 7; doubled = 7 x 2 + 1.
    assert_eq!(
        sheet.scale("doubled").unwrap().score(),
        Some(7.0 * 2.0 + 1.0)
    );
}

#[test]
fn skipped_items_score_their_value_and_are_not_missing() {
    let demo = demo();
    // Item 1 = 1 skips item 2, which then scores 1.
    let sheet = score(&demo, &demo_items(["1", "", "1", ""]));
    let total = sheet.scale("total").unwrap();
    assert_eq!(total.score(), Some(1.0 + 1.0 + (4.0 - 1.0)));
    assert!(!total.prorated());
    assert_eq!(
        sheet.items().nth(1).unwrap().1,
        ItemState::Skipped { value: 1.0 }
    );
    // Answered anyway, the answer stands.
    let sheet = score(&demo, &demo_items(["1", "3", "1", ""]));
    assert_eq!(sheet.total(), Some(1.0 + 3.0 + 3.0));
    // Item 1 = 2: no skip, item 2 is missing, so the total is prorated.
    let sheet = score(&demo, &demo_items(["2", "", "1", ""]));
    assert!(sheet.scale("total").unwrap().prorated());
}

#[test]
fn missing_codes_and_whitespace_are_missing() {
    let demo = demo();
    let sheet = score(&demo, &demo_items(["3", " -99 ", "  ", "\t"]));
    let states: Vec<ItemState> = sheet.items().map(|(_, s)| s).take(4).collect();
    assert_eq!(states[1..], [ItemState::Missing; 3]);
    assert_eq!(sheet.status(), Status::Incomplete);
}

#[test]
fn a_bad_cell_makes_the_administration_invalid_and_says_what_was_expected() {
    let demo = demo();
    let sheet = score(&demo, &demo_items(["", "9", "Agree", ""]));
    assert_eq!(sheet.status(), Status::Invalid);
    assert!(
        sheet
            .scales()
            .all(|s| s.score().is_none() && s.unscored() == Some(Unscored::Invalid))
    );
    let errors: Vec<String> = sheet
        .errors()
        .map(|e| format!("item {}: {e}", e.id()))
        .collect();
    insta::assert_snapshot!(errors.join("\n"), @r#"item 2: "9" is not an answer to this item (expected 1, 2, 3, or a label: "Disagree", "Neutral", "Agree")"#);
    // Rules still see the readable cells: item 1 is unanswered.
    assert_eq!(flags(&sheet), ["item1_missing"]);
}

#[test]
fn an_unrecognised_attribute_is_treated_as_not_given_and_noted() {
    let demo = demo();
    // Item 4 applies to women only. With sex "x" it is as if sex were not given: an answered
    // item 4 counts, and the value is named in a note.
    let sheet = score(
        &demo,
        &demo_items(["1", "2", "3", "3"]).attribute("sex", "x"),
    );
    assert_eq!(sheet.status(), Status::Ok);
    assert_eq!(sheet.errors().len(), 0);
    assert_eq!(
        sheet.scale("mean").unwrap().score(),
        Some((1.0 + 2.0 + 3.0) / 3.0)
    );
    let notes: Vec<String> = sheet.notes().map(|n| n.to_string()).collect();
    insta::assert_snapshot!(notes.join("\n"), @r#"sex "x" is not recognised (expected female, f, male, m); treated as not given"#);
}

#[test]
fn rules_on_an_unscored_scale_are_decided_when_missing_answers_cannot_change_them() {
    let demo = demo();
    // Rule `high`: total >= 6. Items 2 and 3 missing (too many to prorate): the total would lie
    // between 3 + 1 + 1 = 5 and 3 + 3 + 3 = 9 (item 3 reversed: 4 - x, also 1..3): undecided.
    let sheet = score(&demo, &demo_items(["3", "", "", ""]));
    assert_eq!(sheet.total(), None);
    assert_eq!(
        sheet.scale("total").unwrap().bounds(),
        (3.0 + 1.0 + 1.0, 3.0 + 3.0 + 3.0)
    );
    assert!(!sheet.is_flagged("high"));
    // PHQ-2 style: a sum that has already reached the cut-off is flagged whatever is missing.
    let phq2 = Instrument::builtin("phq2").unwrap();
    let sheet = score(phq2, &Responses::new().item("1", 3));
    assert_eq!(sheet.status(), Status::Incomplete);
    assert_eq!(
        sheet.scale("total").unwrap().bounds(),
        (3.0 + 0.0, 3.0 + 3.0)
    );
    assert!(sheet.is_flagged("positive_screen"));
    // … and one that cannot reach it is known not to be positive.
    let sheet = score(phq2, &Responses::new().item("1", 0));
    assert!(!sheet.is_flagged("positive_screen"));
    // A derived scale's bounds follow its source: WHO-5 percent = raw x 4.
    let who5 = Instrument::builtin("who5").unwrap();
    let sheet = score(who5, &Responses::in_order([1, 1, 1, 1]));
    assert_eq!(
        sheet.scale("percent").unwrap().bounds(),
        (4.0 * 4.0, 9.0 * 4.0)
    );
}

#[test]
fn an_administration_with_no_answer_is_absent() {
    let demo = demo();
    // Only an (invalid) attribute and blank items: not administered, nothing flagged.
    let sheet = score(&demo, &demo_items(["", "", "", ""]).attribute("sex", "x"));
    assert_eq!(sheet.status(), Status::Absent);
    assert_eq!(sheet.errors().len(), 0);
    assert_eq!(sheet.flags().len(), 0);
    assert!(
        sheet
            .scales()
            .all(|s| s.unscored() == Some(Unscored::Absent))
    );
}

#[test]
fn a_non_utf8_cell_is_reported_as_such() {
    struct Raw;
    impl Input for Raw {
        fn item(&self, item: usize) -> Option<&[u8]> {
            Some(if item == 0 { b"\xe9" } else { b"1" })
        }
        fn attribute(&self, _: usize) -> Option<&[u8]> {
            None
        }
    }
    let demo = demo();
    let mut sheet = ScoreSheet::new(&demo);
    demo.score_into(&Raw, &mut sheet);
    assert_eq!(sheet.status(), Status::Invalid);
    let error = sheet.errors().next().unwrap();
    insta::assert_snapshot!(error.to_string(), @r#""�" is not valid UTF-8 text, so not an answer to this item (expected 1, 2, 3, or a label: "Disagree", "Neutral", "Agree")"#);
}

#[test]
fn a_sheet_reused_for_another_row_keeps_nothing_of_the_last() {
    let demo = demo();
    let mut sheet = ScoreSheet::new(&demo);
    let bad = demo_items(["9", "1", "1", "1"]).attribute("sex", "m");
    demo.score_into(&bad.resolve(&demo).unwrap(), &mut sheet);
    assert_eq!(sheet.status(), Status::Invalid);
    let good = demo_items(["3", "3", "3", ""]);
    demo.score_into(&good.resolve(&demo).unwrap(), &mut sheet);
    let fresh = score(&demo, &good);
    assert_eq!(sheet.status(), fresh.status());
    assert_eq!(sheet.errors().len(), 0);
    assert_eq!(flags(&sheet), flags(&fresh));
    assert_eq!(sheet.scales, fresh.scales);
    assert_eq!(sheet.items, fresh.items);
    assert_eq!(sheet.notes().count(), fresh.notes().count());
}
