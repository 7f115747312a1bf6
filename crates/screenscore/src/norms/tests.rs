//! Standard scores, stratum choice and local norms against values computed by hand.

use super::*;
use crate::definition::{AgeRange, Evidence, Percentile, Reliability, ReliabilityKind, Source};
use crate::{Instrument, Responses, ScoreSheet};

fn source() -> Source {
    Source {
        reference: "test".into(),
        evidence: Evidence::Policy,
    }
}

fn stratum(sex: Option<&str>, age: Option<(f64, f64)>, mean: f64, sd: f64) -> Stratum {
    Stratum {
        sex: sex.map(Into::into),
        age: age.map(|(from, to)| AgeRange { from, to }),
        n: None,
        mean,
        sd,
    }
}

fn group(strata: Vec<Stratum>, reliability: Option<(f64, ReliabilityKind)>) -> NormGroup {
    NormGroup {
        id: "g".into(),
        population: "test".into(),
        role: None,
        strata,
        reliability: reliability.map(|(value, kind)| Reliability { value, kind }),
        percentiles: vec![],
        frequencies: vec![],
        source: source(),
    }
}

#[test]
fn sem_from_internal_consistency_and_from_test_retest() {
    // SD 5, alpha .84: 5 x sqrt(1 - .84) = 5 x .4 = 2.
    assert!((sem(5.0, 0.84) - 2.0).abs() < 1e-12);
    // SD 6, test-retest .75: 6 x sqrt(.25) = 3.
    assert!((sem(6.0, 0.75) - 3.0).abs() < 1e-12);
    let alpha = group(
        vec![stratum(None, None, 20.0, 5.0)],
        Some((0.84, ReliabilityKind::InternalConsistency)),
    );
    let retest = group(
        vec![stratum(None, None, 20.0, 6.0)],
        Some((0.75, ReliabilityKind::TestRetest)),
    );
    let a = standard_score(24.0, &alpha, &Respondent::default()).unwrap();
    assert!((a.sem.unwrap() - 2.0).abs() < 1e-12);
    // 95% band: 24 +/- 1.96 x 2.
    let (lo, hi) = a.band.unwrap();
    assert!((lo - (24.0 - 3.92)).abs() < 1e-12 && (hi - (24.0 + 3.92)).abs() < 1e-12);
    let r = standard_score(24.0, &retest, &Respondent::default()).unwrap();
    assert!((r.sem.unwrap() - 3.0).abs() < 1e-12);
    // Without a reliability there is no SEM and no band.
    let none = group(vec![stratum(None, None, 20.0, 5.0)], None);
    let n = standard_score(24.0, &none, &Respondent::default()).unwrap();
    assert_eq!((n.sem, n.band), (None, None));
}

#[test]
fn t_scores_and_percentiles_at_z_minus_2_0_and_1_5() {
    let g = group(vec![stratum(None, None, 20.0, 4.0)], None);
    let at = |score| standard_score(score, &g, &Respondent::default()).unwrap();
    // z = (12 - 20) / 4 = -2: T = 50 - 20 = 30; Phi(-2) = 0.0227501319481792.
    let s = at(12.0);
    assert_eq!((s.z, s.t), (-2.0, 30.0));
    assert!((s.percentile_normal - 2.27501319481792).abs() < 1e-9);
    // z = 0: T = 50, Phi(0) = 0.5.
    let s = at(20.0);
    assert_eq!((s.z, s.t), (0.0, 50.0));
    assert!((s.percentile_normal - 50.0).abs() < 1e-12);
    // z = (26 - 20) / 4 = 1.5: T = 65; Phi(1.5) = 0.933192798731142.
    let s = at(26.0);
    assert_eq!((s.z, s.t), (1.5, 65.0));
    assert!((s.percentile_normal - 93.3192798731142).abs() < 1e-9);
    // A mean and an SD give no percentile from data.
    assert_eq!(s.percentile, None);
}

#[test]
fn the_most_specific_matching_stratum_is_used() {
    let g = group(
        vec![
            stratum(None, None, 10.0, 1.0),
            stratum(Some("female"), None, 11.0, 1.0),
            stratum(Some("female"), Some((18.0, 29.0)), 12.0, 1.0),
        ],
        None,
    );
    let mean_for = |sex, age| select_stratum(&g, &Respondent { sex, age }).map(|s| s.mean);
    assert_eq!(mean_for(Some(Sex::Female), Some(25.0)), Some(12.0));
    assert_eq!(mean_for(Some(Sex::Female), Some(40.0)), Some(11.0));
    assert_eq!(mean_for(Some(Sex::Female), None), Some(11.0));
    assert_eq!(mean_for(Some(Sex::Male), Some(25.0)), Some(10.0));
    assert_eq!(mean_for(None, None), Some(10.0));
    // Strata by sex only: with sex not given, no stratum applies.
    let by_sex = group(
        vec![
            stratum(Some("female"), None, 3.1, 3.5),
            stratum(Some("male"), None, 2.7, 3.5),
        ],
        None,
    );
    assert_eq!(
        standard_score(5.0, &by_sex, &Respondent::default()),
        Err(NoStandardScore::NoStratum)
    );
    let r = Respondent::from_cells(Some(b" M "), Some(b"41"));
    assert_eq!(
        r,
        Respondent {
            sex: Some(Sex::Male),
            age: Some(41.0)
        }
    );
    assert_eq!(standard_score(5.0, &by_sex, &r).unwrap().stratum.mean, 2.7);
}

#[test]
fn empirical_percentile_ranks_count_half_the_ties() {
    let f = |score, count| Frequency { score, count };
    let table = [f(1.0, 2), f(2.0, 3), f(3.0, 5)];
    // Score 2: 2 below, 3 equal, n = 10: (2 + 1.5) / 10 = 35%.
    assert_eq!(empirical_percentile(2.0, &table), Some(35.0));
    // Score 2.5 (not in the sample): 5 below: 50%.
    assert_eq!(empirical_percentile(2.5, &table), Some(50.0));
    assert_eq!(empirical_percentile(0.0, &table), Some(0.0));
    assert_eq!(empirical_percentile(1.0, &[]), None);
    // In any order, with a score listed twice, and above every score.
    let shuffled = [f(3.0, 4), f(1.0, 2), f(2.0, 3), f(3.0, 1)];
    assert_eq!(empirical_percentile(2.0, &shuffled), Some(35.0));
    assert_eq!(empirical_percentile(3.0, &shuffled), Some(75.0));
    assert_eq!(empirical_percentile(4.0, &shuffled), Some(100.0));
}

/// A norms file may list many scores: placing a score takes a binary search, not a pass over
/// the table (200,000 scores × 20,000 placements would be 4·10⁹ steps).
#[test]
fn a_long_frequency_table_is_searched_not_scanned() {
    let frequencies: Vec<Frequency> = (0..200_000)
        .map(|i| Frequency {
            score: f64::from(i) / 10.0,
            count: 1,
        })
        .collect();
    let group: NormGroup = serde_json::from_value(serde_json::json!({
        "id": "long", "population": "test", "source": {"ref": "test", "evidence": "sample"},
        "strata": [{"n": 200000, "mean": 10000.0, "sd": 5000.0}],
    }))
    .unwrap();
    let group = NormGroup {
        frequencies,
        ..group
    };
    let table = NormTable::new(&group);
    let start = std::time::Instant::now();
    for i in 0..20_000 {
        let score = f64::from(i) / 10.0;
        let placed = table.place(score, &Respondent::default()).unwrap();
        // i scores below, one equal, of 200,000.
        let expected = 100.0 * (f64::from(i) + 0.5) / 200_000.0;
        assert_eq!(placed.percentile, Some(expected));
    }
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn local_norms_give_n_mean_sd_alpha_and_percentiles() {
    let json = r#"{
      "id": "three", "name": "three items", "measures": "test", "version": "1", "status": "validated",
      "citation": "test",
      "license": {"name": "t", "terms": "t", "commercial_use": "allowed", "source": {"ref": "t", "evidence": "policy"}},
      "response_sets": [{"id": "f", "options": [{"value": 0, "label": "a"}, {"value": 1, "label": "b"}, {"value": 2, "label": "c"}, {"value": 3, "label": "d"}]}],
      "items": [{"id": "1", "label": "x", "response_set": "f"}, {"id": "2", "label": "y", "response_set": "f"}, {"id": "3", "label": "z", "response_set": "f"}],
      "scales": [{"id": "total", "label": "t", "items": ["1", "2", "3"], "method": "sum",
                  "missing": {"max_missing": 1, "prorate": true, "source": {"ref": "t", "evidence": "policy"}},
                  "higher_is": "worse"}]
    }"#;
    let three = Instrument::from_json(json).unwrap();
    let mut builder = NormsBuilder::new(&three);
    for row in [[1, 2, 3], [2, 2, 2], [3, 3, 3], [0, 1, 1]] {
        builder.add(&three.score(&Responses::in_order(row)).unwrap());
    }
    // A prorated row counts for n, mean and SD, not for alpha (complete cases only): (2 + 2) / 2 x 3 = 6.
    builder.add(&three.score(&Responses::in_order(["2", "", "2"])).unwrap());
    let norms = builder.finish("test sample", "test");
    let total = &norms.scales["total"];
    let s = &total.strata[0];
    // Totals 6, 6, 9, 2, 6: n 5, mean 29 / 5 = 5.8;
    // squared deviations .04, .04, 10.24, 14.44, .04 = 24.8; SD = sqrt(24.8 / 4) = 2.4899799195977…,
    // kept to 12 significant digits.
    assert_eq!(s.n, Some(5));
    assert_eq!(s.mean, 5.8);
    assert_eq!(s.sd, 2.489_979_919_60);
    assert!((s.sd - (24.8f64 / 4.0).sqrt()).abs() < 5e-12);
    // Alpha on the 4 complete cases. Item variances (n - 1 = 3): item 1 (1, 2, 3, 0): 5/3;
    // item 2 (2, 2, 3, 1): 2/3; item 3 (3, 2, 3, 1): 2.75/3; totals (6, 6, 9, 2): 24.75/3.
    let alpha = 3.0 / 2.0 * (1.0 - (5.0 + 2.0 + 2.75) / 24.75);
    let r = total.reliability.as_ref().unwrap();
    assert!((r.value - alpha).abs() < 1e-12);
    assert_eq!(r.kind, ReliabilityKind::InternalConsistency);
    // Sorted totals 2, 6, 6, 6, 9. Type 7: p25 at position 4 x .25 = 1 -> 6; p10 at .4 -> 2 + .4 x 4.
    let p = |q: f64| total.percentiles.iter().find(|x| x.p == q).unwrap().score;
    assert_eq!(p(25.0), 6.0);
    assert!((p(10.0) - (2.0 + 0.4 * 4.0)).abs() < 1e-12);
    assert!((p(95.0) - (6.0 + 0.8 * 3.0)).abs() < 1e-12);
    assert_eq!(
        total.frequencies,
        [
            Frequency {
                score: 2.0,
                count: 1
            },
            Frequency {
                score: 6.0,
                count: 3
            },
            Frequency {
                score: 9.0,
                count: 1
            }
        ]
    );
    assert_eq!(total.source.evidence, Evidence::Sample);
    norms.check(&three).unwrap();
}

/// gad2's local norms with one group, as `screenscore norms` would write it.
fn local(group: NormGroup) -> LocalNorms {
    LocalNorms {
        instrument: "gad2".into(),
        instrument_version: "1".into(),
        scales: [("total".to_string(), group)].into(),
    }
}

fn sound() -> NormGroup {
    let mut g = group(
        vec![stratum(None, None, 2.5, 1.5)],
        Some((0.8, ReliabilityKind::InternalConsistency)),
    );
    g.id = "local".into();
    g.percentiles = vec![Percentile {
        p: 50.0,
        score: 2.0,
    }];
    g.frequencies = vec![Frequency {
        score: 2.0,
        count: 40,
    }];
    g
}

#[test]
fn local_norms_refuse_non_finite_and_absurd_numbers() {
    let gad2 = Instrument::builtin("gad2").unwrap();
    local(sound()).check(gad2).unwrap();
    let mut g = sound();
    g.strata = vec![
        stratum(None, None, f64::NAN, 1e-300),
        stratum(Some("female"), Some((f64::NAN, 30.0)), 1e13, f64::INFINITY),
        stratum(Some("woman"), Some((40.0, 1e300)), 1e-300, 1.0),
        Stratum {
            n: Some(u64::MAX),
            ..stratum(Some("x"), Some((30.0, 20.0)), 1.0, 0.0)
        },
    ];
    g.reliability = Some(Reliability {
        value: f64::NAN,
        kind: ReliabilityKind::TestRetest,
    });
    g.percentiles = vec![
        Percentile {
            p: f64::NAN,
            score: 1.0,
        },
        Percentile {
            p: 60.0,
            score: f64::INFINITY,
        },
    ];
    g.frequencies = vec![
        Frequency {
            score: f64::NAN,
            count: u64::MAX,
        },
        Frequency {
            score: 1.0,
            count: 1,
        },
    ];
    insta::assert_snapshot!(local(g).check(gad2).unwrap_err(), @"
    17 problems in the norms for `gad2`:
      scales.total.strata[0].mean: must be a finite number
      scales.total.strata[0].sd: must lie between 0.000001 and 1000000000000
      scales.total.strata[1].mean: must lie between -1000000000000 and 1000000000000
      scales.total.strata[1].sd: must be a finite number
      scales.total.strata[1].age.from: must be a finite number
      scales.total.strata[2].mean: must be 0 or at least 1e-30 in size
      scales.total.strata[2].age.to: must be 0, or between 0.000001 and 150 (years)
      scales.total.strata[3].sd: must lie between 0.000001 and 1000000000000
      scales.total.strata[3].n: must be at most 1000000000000
      scales.total.strata[3].sex: `x` is not `female` or `male`
      scales.total.strata[3].age: `from` must not be above `to`
      scales.total.reliability.value: a reliability must lie strictly between 0 and 1
      scales.total.percentiles[0].p: percentiles must rise strictly between 0 and 100
      scales.total.percentiles[1].p: percentiles must rise strictly between 0 and 100
      scales.total.percentiles[1].score: must be a finite number
      scales.total.frequencies[0].score: must be a finite number
      scales.total.frequencies: the counts must add up to at most 1000000000000 people
    ");
}

#[test]
fn local_norms_text_that_reaches_the_output_is_checked() {
    let gad2 = Instrument::builtin("gad2").unwrap();
    let mut g = sound();
    g.id = "=HYPERLINK(\"http://example.com\")".into();
    g.population = "clinic\n=1+1".into();
    g.source.reference = " ".into();
    insta::assert_snapshot!(local(g).check(gad2).unwrap_err(), @r#"
    3 problems in the norms for `gad2`:
      scales.total.id: `=HYPERLINK("http://example.com")` is not a valid norm group id: use letters, digits, `_` and `-`
      scales.total.population: must not contain control characters (line breaks, tabs, escapes)
      scales.total.source.ref: must not be empty
    "#);
    let mut norms = local(sound());
    norms.instrument = "x".repeat(1000);
    insta::assert_snapshot!(norms.check(gad2).unwrap_err(), @"the norms are for `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…`, not `gad2`");
}

#[test]
fn a_sample_without_spread_gives_no_norms_rather_than_a_file_that_is_refused() {
    let gad2 = Instrument::builtin("gad2").unwrap();
    let mut builder = NormsBuilder::new(gad2);
    for _ in 0..5 {
        builder.add(&gad2.score(&Responses::in_order([1, 2])).unwrap());
    }
    let norms = builder.finish("same answers", "test");
    assert!(norms.scales.is_empty());
    norms.check(gad2).unwrap();
}

/// Norms keep a cell of pairwise moments per pair of items in each item scale (for alpha), so
/// they refuse what `stats` refuses listwise, with the same error.
#[test]
fn norms_refuse_scales_beyond_the_limits_of_stats() {
    use crate::stats::tests::definition;
    use crate::stats::{CapacityError, Missing, StatsBuilder};

    let big = definition(1001, &[("total", 0..1001)]);
    assert_eq!(
        NormsBuilder::try_new(&big).unwrap_err(),
        StatsBuilder::try_new(&big, Missing::Pairwise).unwrap_err()
    );
    // Four scales of the same 800 items: 4 x 320,400 = 1,281,600 cells within the scales.
    let scales = [("a", 0..800), ("b", 0..800), ("c", 0..800), ("d", 0..800)];
    let overlapping = definition(800, &scales);
    assert!(matches!(
        NormsBuilder::try_new(&overlapping).unwrap_err(),
        CapacityError::Cells {
            cells: 1_281_600,
            ..
        }
    ));
    // At the limit: 1000 items (500,500 cells).
    assert!(NormsBuilder::try_new(&definition(1000, &[("total", 0..1000)])).is_ok());
}

/// One item answered `base`, `base + 1`, `base + 2` in turn (so many times each), scored as a
/// one-item sum.
fn one_item(base: f64) -> Instrument {
    let options: Vec<String> = (0..3)
        .map(|k| {
            format!(
                r#"{{"value": {}, "label": "answer {k}"}}"#,
                base + f64::from(k)
            )
        })
        .collect();
    let json = format!(
        r#"{{"id": "one", "name": "one", "measures": "a test", "version": "1",
            "status": "validated", "citation": "a test",
            "license": {{"name": "test", "terms": "test", "commercial_use": "allowed",
                         "source": {{"ref": "test", "evidence": "policy"}}}},
            "response_sets": [{{"id": "r", "options": [{}]}}],
            "items": [{{"id": "1", "label": "x", "response_set": "r"}}],
            "scales": [{{"id": "total", "label": "total", "items": ["1"], "method": "sum",
                         "higher_is": "worse", "missing": {{"max_missing": 0,
                         "source": {{"ref": "test", "evidence": "policy"}}}}}}]}}"#,
        options.join(",")
    );
    Instrument::from_json(&json).unwrap()
}

/// The issue's figures: one item with options 1,000,000 to 1,000,002, answered uniformly over
/// 100,000 rows, has SD 0.816… (summed unshifted, the sums of squares near 10¹⁷ cancelled to
/// nothing: no norms at all); options near 10⁸ and 10⁹ gave SDs from 82 to 603, or none. Now
/// every base gives the true mean and SD, and the norms written are read back and accepted.
#[test]
fn answers_near_a_billion_keep_their_spread() {
    const ROWS: u32 = 100_000;
    // Answers 0, 1, 2 in turn above the base: 33,334 zeros, 33,333 ones and twos.
    let (sum, squares, n) = (99_999.0, 166_665.0, f64::from(ROWS));
    let sd = ((n * squares - sum * sum) / (n * (n - 1.0))).sqrt();
    assert!((sd - 0.816_503).abs() < 1e-6, "{sd}");
    for base in [
        1_000_000.0,
        100_000_000.0,
        99_999_999.0,
        123_456_789.0,
        999_999_998.0,
        -1_000_000_000.0,
    ] {
        let one = one_item(base);
        let sheets: Vec<ScoreSheet<'_>> = (0..3)
            .map(|k| {
                one.score(&Responses::in_order([base + f64::from(k)]))
                    .unwrap()
            })
            .collect();
        let mut builder = NormsBuilder::new(&one);
        for row in 0..ROWS {
            builder.add(&sheets[row as usize % 3]);
        }
        let norms = builder.finish("a large sample", "test");
        let Some(total) = norms.scales.get("total") else {
            panic!("base {base}: no norms");
        };
        let s = &total.strata[0];
        assert_eq!(s.n, Some(u64::from(ROWS)));
        let mean = base + sum / n;
        assert!(
            (s.mean - mean).abs() <= 1e-15 * mean.abs(),
            "base {base}: mean {}",
            s.mean
        );
        assert!(
            (s.sd - sd).abs() <= 1e-12 * sd,
            "base {base}: SD {} (true {sd})",
            s.sd
        );
        // Written and read back, the file is accepted as it is by `score --norms`.
        let text = serde_json::to_string_pretty(&norms).unwrap();
        let read: LocalNorms = serde_json::from_str(&text).unwrap();
        assert_eq!(read, norms);
        read.check(&one).unwrap();
    }
}

/// Norms are written without binary noise: the mean of 3.6 and 3.76 computes as
/// 3.6 + (3.76 − 3.6)/2 = 3.6799999999999997 in doubles and is kept as 3.68; its SD,
/// √((0.08² + 0.08²)/1) = 0.1131370849898476…, to 12 significant digits.
#[test]
fn local_norms_are_kept_without_binary_noise() {
    assert_eq!(3.6 + (3.76 - 3.6) / 2.0, 3.679_999_999_999_999_7);
    let json = r#"{"id": "one", "name": "one", "measures": "a test", "version": "1",
        "status": "validated", "citation": "a test",
        "license": {"name": "test", "terms": "test", "commercial_use": "allowed",
                    "source": {"ref": "test", "evidence": "policy"}},
        "response_sets": [{"id": "r", "options": [{"value": 3.6, "label": "low"},
                                                   {"value": 3.76, "label": "high"}]}],
        "items": [{"id": "1", "label": "x", "response_set": "r"}],
        "scales": [{"id": "total", "label": "total", "items": ["1"], "method": "sum",
                    "higher_is": "worse", "missing": {"max_missing": 0,
                    "source": {"ref": "test", "evidence": "policy"}}}]}"#;
    let one = Instrument::from_json(json).unwrap();
    let mut builder = NormsBuilder::new(&one);
    for answer in ["low", "high"] {
        builder.add(&one.score(&Responses::in_order([answer])).unwrap());
    }
    let norms = builder.finish("two", "test");
    let s = &norms.scales["total"].strata[0];
    assert_eq!(s.mean, 3.68);
    assert_eq!(s.sd, 0.113_137_084_990);
    let text = serde_json::to_string(&norms).unwrap();
    assert!(
        text.contains(r#""mean":3.68,"sd":0.11313708499}"#),
        "{text}"
    );
    // Type 7 percentiles of (3.6, 3.76): p10 = 3.6 + 0.1 × 0.16 = 3.616, not 3.6160000000000001.
    let p10 = norms.scales["total"]
        .percentiles
        .iter()
        .find(|p| p.p == 10.0);
    assert_eq!(p10.map(|p| p.score), Some(3.616));
}

/// The rounding keeps what a z-score needs: twelve significant digits, and for a mean, the
/// decimals of the SD's twelfth digit when they are finer.
#[test]
fn tidy_keeps_twelve_digits_and_the_decimals_the_sd_needs() {
    use super::local::tidy;
    assert_eq!(tidy(3.679_999_999_999_999_7, None), 3.68);
    assert_eq!(tidy(6.982_999_999_999_999, None), 6.983);
    assert_eq!(tidy(0.816_503_298_980_3, None), 0.816_503_298_98);
    assert_eq!(tidy(-2.5, None), -2.5);
    assert_eq!(tidy(0.0, None), 0.0);
    // A mean near 10⁹ with an SD of 0.8 keeps its decimals (alone, 12 digits would keep 3).
    assert_eq!(
        tidy(1_000_000_000.123_456, Some(0.8)),
        1_000_000_000.123_456
    );
    assert_eq!(tidy(1_000_000_000.123_456, None), 1_000_000_000.12);
}
