use crate::stats::{Missing, StatsBuilder};
use crate::{Instrument, Responses};

/// AUDIT: item 1 answered 0 means items 2–8 are not asked and score 0 (its skip rule); item 2's
/// answers then count as 0, not as missing.
#[test]
fn skipped_items_count_as_the_answer_they_score() {
    let audit = Instrument::builtin("audit").unwrap();
    let mut stats = StatsBuilder::new(audit, Missing::Pairwise);
    let skipped = Responses::new().item("1", 0).item("9", 0).item("10", 0);
    stats.add(&audit.score(&skipped).unwrap());
    let answered = Responses::in_order([2, 1, 1, 1, 1, 1, 1, 1, 2, 2]);
    stats.add(&audit.score(&answered).unwrap());
    let result = stats.finish();
    let total = result.scales.iter().find(|s| s.id == "total").unwrap();
    let item2 = total.item_stats.iter().find(|i| i.id == "2").unwrap();
    assert_eq!(item2.frequencies, vec![(0.0, 0.5), (1.0, 0.5)]);
    assert_eq!((item2.missing, item2.n), (0.0, 2));
}

/// Absent administrations are not part of the sample; invalid ones are counted and left out.
#[test]
fn absent_and_invalid_administrations_are_left_out() {
    let gad2 = Instrument::builtin("gad2").unwrap();
    let mut stats = StatsBuilder::new(gad2, Missing::Pairwise);
    for responses in [
        Responses::in_order([0, 1]),
        Responses::new(),
        Responses::in_order(["7", "1"]),
        Responses::in_order([3, 2]),
    ] {
        stats.add(&gad2.score(&responses).unwrap());
    }
    let result = stats.finish();
    assert_eq!((result.rows, result.invalid_rows), (2, 1));
    // Two rows (0, 1) and (3, 2): item variances 4.5 and 0.5, covariance 1.5;
    // alpha = 2·(1 − 5/(5 + 3)).
    let alpha = 2.0 * (1.0 - 5.0 / 8.0);
    assert!((result.scales[0].alpha_raw - alpha).abs() < 1e-12);
}

/// Listwise, a scale's statistics come from the rows where every item of the scale is answered.
#[test]
fn listwise_uses_complete_rows_only() {
    let gad2 = Instrument::builtin("gad2").unwrap();
    let mut pairwise = StatsBuilder::new(gad2, Missing::Pairwise);
    let mut listwise = StatsBuilder::new(gad2, Missing::Listwise);
    for responses in [
        Responses::in_order([0, 1]),
        Responses::new().item("1", 3),
        Responses::in_order([3, 2]),
        Responses::in_order([1, 1]),
    ] {
        let sheet = gad2.score(&responses).unwrap();
        pairwise.add(&sheet);
        listwise.add(&sheet);
    }
    let (p, l) = (pairwise.finish(), listwise.finish());
    // Item 1 pairwise: 0, 3, 3, 1 (mean 7/4); listwise: 0, 3, 1 (mean 4/3).
    assert_eq!(p.scales[0].item_stats[0].mean, 7.0 / 4.0);
    assert!((l.scales[0].item_stats[0].mean - 4.0 / 3.0).abs() < 1e-15);
    assert_eq!(
        (l.scales[0].n, l.scales[0].complete, p.scales[0].n),
        (3, 3, 4)
    );
}
