//! The core scorer, one administration at a time: `Instrument::score` on PHQ-9 (10 items, bands,
//! the diagnostic-algorithm rules), PCL-5 (20 items, four clusters, DSM-5 rule) and a synthetic
//! 100-item instrument (five reverse-keyed subscales of 20, a total, bands, a count rule).
//!
//! ```text
//! cargo bench -p screenscore --bench score
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use screenscore::{Instrument, Responses};

/// 100 items answered 0–4; subscales `s1`…`s5` of 20 items (every fifth item reverse-keyed),
/// a total with three bands, and a rule counting items answered 4.
fn synthetic() -> Instrument {
    let policy = r#"{"ref": "benchmark", "evidence": "policy"}"#;
    let items: Vec<String> = (1..=100)
        .map(|i| format!(r#"{{"id": "{i}", "label": "item {i}", "response_set": "r"}}"#))
        .collect();
    let subscales: Vec<String> = (0..5)
        .map(|s| {
            let ids: Vec<String> = (1..=20).map(|k| format!(r#""{}""#, s * 20 + k)).collect();
            let reverse: Vec<String> = (1..=4)
                .map(|k| format!(r#""{}""#, s * 20 + k * 5))
                .collect();
            format!(
                r#"{{"id": "s{}", "label": "subscale {}", "items": [{}], "reverse": [{}],
                    "key_source": {policy}, "method": "mean",
                    "missing": {{"max_missing": 4, "source": {policy}}}, "higher_is": "worse"}}"#,
                s + 1,
                s + 1,
                ids.join(", "),
                reverse.join(", ")
            )
        })
        .collect();
    let all: Vec<String> = (1..=100).map(|i| format!(r#""{i}""#)).collect();
    let json = format!(
        r#"{{
        "id": "syn100", "name": "synthetic", "measures": "nothing", "version": "1",
        "status": "validated", "citation": "benchmark",
        "license": {{"name": "test", "terms": "test", "commercial_use": "allowed", "source": {policy}}},
        "response_sets": [{{"id": "r", "options": [
            {{"value": 0, "label": "never"}}, {{"value": 1, "label": "rarely"}},
            {{"value": 2, "label": "sometimes"}}, {{"value": 3, "label": "often"}},
            {{"value": 4, "label": "always"}}]}}],
        "items": [{items}],
        "scales": [{subscales}, {{"id": "total", "label": "total", "items": [{all}], "method": "sum",
            "missing": {{"max_missing": 10, "prorate": true, "source": {policy}}},
            "rounding": {{"method": "half_up"}}, "higher_is": "worse",
            "bands": [{{"from": 0, "label": "low"}}, {{"from": 150, "label": "middle"}},
                      {{"from": 300, "label": "high"}}],
            "band_source": {policy}}}],
        "rules": [{{"id": "many_always", "label": "20 or more items answered always",
            "severity": "info", "source": {policy},
            "when": {{"count_items": {{"items": [{all}], "meeting": {{"op": ">=", "value": 4}},
                "op": ">=", "value": 20}}}}}}]
        }}"#,
        items = items.join(", "),
        subscales = subscales.join(", "),
        all = all.join(", "),
    );
    Instrument::from_json(&json).expect("the synthetic definition loads")
}

fn bench(c: &mut Criterion) {
    let phq9 = Instrument::builtin("phq9").unwrap();
    let phq9_answers = Responses::in_order([2, 1, 3, 0, 1, 2, 1, 0, 1, 2]);
    c.bench_function("phq9 administration", |b| {
        b.iter(|| black_box(phq9.score(black_box(&phq9_answers)).unwrap().total()))
    });

    let pcl5 = Instrument::builtin("pcl5").unwrap();
    let pcl5_answers = Responses::in_order((0..20).map(|i| i % 5));
    c.bench_function("pcl5 administration", |b| {
        b.iter(|| black_box(pcl5.score(black_box(&pcl5_answers)).unwrap().total()))
    });

    let syn = synthetic();
    let syn_answers = Responses::in_order((0..100).map(|i| (i * 7) % 5));
    c.bench_function("synthetic 100-item administration", |b| {
        b.iter(|| black_box(syn.score(black_box(&syn_answers)).unwrap().total()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
