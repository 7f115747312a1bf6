//! Standard scores, stratum choice and local norms against values computed by hand.

use super::*;
use crate::definition::{AgeRange, Evidence};
use crate::{Instrument, Responses};

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
    assert!((s.percentile - 2.27501319481792).abs() < 1e-9);
    // z = 0: T = 50, Phi(0) = 0.5.
    let s = at(20.0);
    assert_eq!((s.z, s.t), (0.0, 50.0));
    assert!((s.percentile - 50.0).abs() < 1e-12);
    // z = (26 - 20) / 4 = 1.5: T = 65; Phi(1.5) = 0.933192798731142.
    let s = at(26.0);
    assert_eq!((s.z, s.t), (1.5, 65.0));
    assert!((s.percentile - 93.3192798731142).abs() < 1e-9);
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
    // squared deviations .04, .04, 10.24, 14.44, .04 = 24.8; SD = sqrt(24.8 / 4).
    assert_eq!(s.n, Some(5));
    assert!((s.mean - 5.8).abs() < 1e-12);
    assert!((s.sd - (24.8f64 / 4.0).sqrt()).abs() < 1e-12);
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
