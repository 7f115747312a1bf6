//! Jacobson–Truax formulas and classes against values computed by hand.

use super::*;
use crate::definition::{Evidence, NormGroup, Reliability, Source, Stratum};

#[test]
fn cutoffs_with_unequal_sds() {
    // Higher is worse. Functional M 5, SD 2; dysfunctional M 15, SD 6.
    // c = (2 x 15 + 6 x 5) / (2 + 6) = 60 / 8 = 7.5 (nearer the functional mean: its SD is smaller).
    assert_eq!(cutoff_c((5.0, 2.0), (15.0, 6.0)), 7.5);
    // a = 15 - 2 x 6 = 3; b = 5 + 2 x 2 = 9.
    assert_eq!(cutoff_a(15.0, 6.0, Direction::Worse), 3.0);
    assert_eq!(cutoff_b(5.0, 2.0, Direction::Worse), 9.0);
    // Higher is better. Functional M 70, SD 10; dysfunctional M 40, SD 15.
    // c = (10 x 40 + 15 x 70) / 25 = 1450 / 25 = 58; a = 40 + 30 = 70; b = 70 - 20 = 50.
    assert_eq!(cutoff_c((70.0, 10.0), (40.0, 15.0)), 58.0);
    assert_eq!(cutoff_a(40.0, 15.0, Direction::Better), 70.0);
    assert_eq!(cutoff_b(70.0, 10.0, Direction::Better), 50.0);
}

#[test]
fn four_classes_when_higher_is_worse() {
    // SEM 2: S_diff = sqrt(8) = 2.83; reliable when |change| > 1.96 x 2.83 = 5.54. Cut-off 7.5.
    let class = |before, after| classify(before, after, 2.0, 7.5, Direction::Worse);
    // 16 -> 6: -10, RCI -3.54, from 16 (>= 7.5) to 6 (< 7.5).
    assert_eq!(class(16.0, 6.0), ChangeClass::Recovered);
    // 20 -> 10: reliable, but 10 is still above the cut-off.
    assert_eq!(class(20.0, 10.0), ChangeClass::Improved);
    // 12 -> 8: -4, |RCI| 1.41, not reliable (even though 8 is nearer health).
    assert_eq!(class(12.0, 8.0), ChangeClass::Unchanged);
    // 12 -> 7: crosses the cut-off but -5 is not reliable (|RCI| 1.77).
    assert_eq!(class(12.0, 7.0), ChangeClass::Unchanged);
    // 6 -> 14: +8, RCI 2.83, worse.
    assert_eq!(class(6.0, 14.0), ChangeClass::Deteriorated);
    // Already functional, reliable improvement: improved, not recovered.
    assert_eq!(class(7.0, 0.0), ChangeClass::Improved);
    // A score equal to the cut-off counts as dysfunctional: 20 -> 7.5 is not recovered.
    assert_eq!(class(20.0, 7.5), ChangeClass::Improved);
    assert!((rci(16.0, 6.0, 2.0) - (-10.0 / 8f64.sqrt())).abs() < 1e-12);
}

#[test]
fn four_classes_when_higher_is_better() {
    // SEM 5: S_diff = sqrt(50) = 7.07; reliable when |change| > 13.86. Cut-off 58.
    let class = |before, after| classify(before, after, 5.0, 58.0, Direction::Better);
    assert_eq!(class(40.0, 66.0), ChangeClass::Recovered); // +26, RCI 3.68, 40 <= 58 < 66
    assert_eq!(class(20.0, 50.0), ChangeClass::Improved); // +30, 50 still <= 58
    assert_eq!(class(50.0, 60.0), ChangeClass::Unchanged); // +10, RCI 1.41
    assert_eq!(class(70.0, 40.0), ChangeClass::Deteriorated); // -30, RCI -4.24
    assert_eq!(
        reliable(70.0, 40.0, 5.0, Direction::Better),
        Reliable::Deteriorated
    );
    assert_eq!(
        reliable(40.0, 70.0, 5.0, Direction::Better),
        Reliable::Improved
    );
    assert_eq!(
        reliable(40.0, 70.0, 5.0, Direction::Worse),
        Reliable::Deteriorated
    );
}

fn group(id: &str, role: Option<NormRole>, mean: f64, sd: f64, r: Option<f64>) -> NormGroup {
    NormGroup {
        id: id.into(),
        population: id.into(),
        role,
        strata: vec![Stratum {
            sex: None,
            age: None,
            n: Some(100),
            mean,
            sd,
        }],
        reliability: r.map(|value| Reliability {
            value,
            kind: ReliabilityKind::TestRetest,
        }),
        percentiles: vec![],
        frequencies: vec![],
        source: Source {
            reference: "test".into(),
            evidence: Evidence::Policy,
        },
    }
}

fn scale(norms: Vec<NormGroup>) -> Scale {
    serde_json::from_value(serde_json::json!({
        "id": "total", "label": "t", "items": ["1"], "method": "sum",
        "missing": {"max_missing": 0, "source": {"ref": "t", "evidence": "policy"}},
        "higher_is": "worse"
    }))
    .map(|mut s: Scale| {
        s.norms = norms;
        s
    })
    .unwrap()
}

#[test]
fn the_method_takes_sd_and_reliability_from_the_clinical_group_and_states_them() {
    let s = scale(vec![
        group("general", None, 4.0, 3.0, Some(0.9)),
        group("well", Some(NormRole::Functional), 5.0, 2.0, Some(0.8)),
        group(
            "patients",
            Some(NormRole::Dysfunctional),
            15.0,
            6.0,
            Some(0.75),
        ),
    ]);
    let method = ChangeMethod::new(&s, &[], &Respondent::default(), CutoffKind::C);
    // SD 6, r .75: SEM = 6 x sqrt(.25) = 3.
    assert_eq!(method.sem(), Some(3.0));
    assert_eq!(method.cutoff.as_ref().map(|c| c.0), Some(7.5));
    assert_eq!(
        method.describe(),
        "RCI (Jacobson-Truax): SD 6, test-retest 0.75 (patients); cut-off c = 7.5 (functional well, dysfunctional patients)"
    );
    // 20 -> 6: -14, S_diff = sqrt(18) = 4.24, RCI -3.30; crosses 7.5.
    let change = method.compare(20.0, 6.0);
    assert_eq!(change.delta, -14.0);
    assert!((change.rci.unwrap() - (-14.0 / 18f64.sqrt())).abs() < 1e-12);
    assert_eq!(change.reliable, Some(Reliable::Improved));
    assert_eq!(change.class, Some(ChangeClass::Recovered));
    let a = ChangeMethod::new(&s, &[], &Respondent::default(), CutoffKind::A);
    assert_eq!(a.cutoff.as_ref().map(|c| c.0), Some(15.0 - 12.0));
    let b = ChangeMethod::new(&s, &[], &Respondent::default(), CutoffKind::B);
    assert_eq!(b.cutoff.as_ref().map(|c| c.0), Some(5.0 + 4.0));
}

#[test]
fn without_cutoffs_there_is_no_class_and_without_reliability_no_rci() {
    let general = scale(vec![group("general", None, 4.0, 3.0, Some(0.84))]);
    let method = ChangeMethod::new(&general, &[], &Respondent::default(), CutoffKind::C);
    let change = method.compare(10.0, 2.0);
    assert!(change.rci.is_some());
    assert_eq!(change.class, None);
    let bare = scale(vec![]);
    let method = ChangeMethod::new(&bare, &[], &Respondent::default(), CutoffKind::C);
    let change = method.compare(10.0, 2.0);
    assert_eq!(
        (change.delta, change.rci, change.reliable, change.class),
        (-8.0, None, None, None)
    );
    assert_eq!(
        method.describe(),
        "no RCI: no reference group gives an SD and a reliability"
    );
    // Local norms count as a group.
    let local = group("local", None, 3.0, 2.0, Some(0.91));
    let method = ChangeMethod::new(&bare, &[&local], &Respondent::default(), CutoffKind::C);
    assert!(method.sem().is_some());
}
