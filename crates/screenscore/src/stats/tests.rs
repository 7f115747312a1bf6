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

/// A definition with items `i0…` answered 0–4, and scales of the items `from..to` each (norms'
/// tests use it too).
pub(crate) fn definition(items: usize, scales: &[(&str, std::ops::Range<usize>)]) -> Instrument {
    let source = r#"{"ref": "test", "evidence": "policy"}"#;
    let items_json: Vec<String> = (0..items)
        .map(|i| format!(r#"{{"id": "i{i}", "label": "item {i}", "response_set": "r"}}"#))
        .collect();
    let scales_json: Vec<String> = scales
        .iter()
        .map(|(id, range)| {
            let ids: Vec<String> = range.clone().map(|i| format!(r#""i{i}""#)).collect();
            format!(
                r#"{{"id": "{id}", "label": "{id}", "items": [{}], "method": "sum",
                    "higher_is": "worse", "missing": {{"max_missing": 0, "source": {source}}}}}"#,
                ids.join(",")
            )
        })
        .collect();
    let options: Vec<String> = (0..5)
        .map(|v| format!(r#"{{"value": {v}, "label": "answer {v}"}}"#))
        .collect();
    let json = format!(
        r#"{{"id": "big", "name": "big", "measures": "a test", "version": "1",
            "status": "validated", "citation": "a test",
            "license": {{"name": "test", "terms": "test", "commercial_use": "allowed",
                         "source": {source}}},
            "response_sets": [{{"id": "r", "options": [{}]}}],
            "items": [{}], "scales": [{}]}}"#,
        options.join(","),
        items_json.join(","),
        scales_json.join(",")
    );
    Instrument::from_json(&json).unwrap()
}

/// A 300-item scale over 1,000 rows: the statistics come in seconds (lambda 6 if deleted from
/// one inverse, not one eigendecomposition per item), alpha is what simple arithmetic on the
/// answers gives, and lambda 6 without each item is finite. Before one inverse served every
/// item this took hours in the debug profile; the test fails after 120 s instead of waiting.
#[test]
fn a_300_item_scale_takes_seconds() {
    let (k, rows) = (300, 1000);
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let instrument = definition(k, &[("total", 0..k)]);
        // One factor plus noise, rounded to 0–4 (xorshift; the same answers every run).
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut uniform = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let data: Vec<Vec<u8>> = (0..rows)
            .map(|_| {
                let factor = uniform() * 4.0 - 2.0;
                (0..k)
                    .map(|_| {
                        (2.0 + 0.7 * factor + 2.0 * uniform() - 1.0)
                            .round()
                            .clamp(0.0, 4.0) as u8
                    })
                    .collect()
            })
            .collect();
        let mut stats = StatsBuilder::try_new(&instrument, Missing::Pairwise).unwrap();
        for row in &data {
            stats.add(&instrument.score(&Responses::in_order(row.clone())).unwrap());
        }
        sender.send((stats.finish(), data)).unwrap();
    });
    let (result, data) = receiver
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the statistics of 300 items over 1,000 rows within 120 s");
    // Alpha = k/(k−1)·(1 − Σ var(item)/var(total)), variances with n − 1.
    let variance = |xs: &[f64]| {
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
    };
    let items: f64 = (0..k)
        .map(|i| variance(&data.iter().map(|row| f64::from(row[i])).collect::<Vec<_>>()))
        .sum();
    let totals: Vec<f64> = data
        .iter()
        .map(|row| row.iter().map(|&x| f64::from(x)).sum())
        .collect();
    let alpha = k as f64 / (k - 1) as f64 * (1.0 - items / variance(&totals));
    let scale = &result.scales[0];
    assert!(
        (scale.alpha_raw - alpha).abs() < 1e-9,
        "{} vs {alpha}",
        scale.alpha_raw
    );
    assert!(scale.alpha_raw > 0.9 && scale.lambda6 > scale.alpha_raw);
    for item in &scale.item_stats {
        let l6 = item.if_deleted.lambda6;
        assert!(
            l6.is_finite() && l6 > 0.9,
            "item {}: lambda 6 if deleted {l6}",
            item.id
        );
    }
}

/// Scales too large for pairwise moments are refused before anything is allocated, with the
/// limit in the message (norms refuse them too: `norms::tests`).
#[test]
fn scales_beyond_the_limits_are_refused() {
    let big = definition(1001, &[("total", 0..1001)]);
    let error = StatsBuilder::try_new(&big, Missing::Pairwise).unwrap_err();
    insta::assert_snapshot!(error, @"scale `total` of `big` has 1001 items; sample statistics handle at most 1000 items per scale (they keep a cell of pairwise moments for each pair of items: 501,501 cells for 1001 items, 500,500 for 1000)");
    // Four scales of the same 800 items: 320,400 pairs across them, fine pairwise; listwise
    // each scale keeps its own (1,602,000 in all).
    let scales = [("a", 0..800), ("b", 0..800), ("c", 0..800), ("d", 0..800)];
    let overlapping = definition(800, &scales);
    assert!(StatsBuilder::try_new(&overlapping, Missing::Pairwise).is_ok());
    let error = StatsBuilder::try_new(&overlapping, Missing::Listwise).unwrap_err();
    insta::assert_snapshot!(error, @"the item scales of `big` need 1,602,000 cells of pairwise moments (one for each pair of items across the scales and, listwise or for norms, within each scale); sample statistics handle at most 1,001,000 (48 MB)");
    // At the limit: 1000 items listwise (1,001,000 cells).
    let at = definition(1000, &[("total", 0..1000)]);
    assert!(StatsBuilder::try_new(&at, Missing::Listwise).is_ok());
}
