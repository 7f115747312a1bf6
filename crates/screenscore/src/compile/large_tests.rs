//! Checking stays linear in the size of a definition: large generated definitions check in
//! seconds (in the debug profile), and messages about them stay proportional to them.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{Instrument, Responses};

const N: usize = 100_000;

/// A generous bound: these definitions check in well under a second in release and a few
/// seconds in debug; a quadratic step takes minutes.
const QUICK: Duration = Duration::from_secs(10);

fn policy() -> Value {
    json!({ "ref": "test", "evidence": "policy" })
}

/// The demo's identity and response sets, with `items` items `i0`, `i1`, … on `agree` and one
/// scale summing them all.
fn large(items: usize) -> Value {
    let mut v: Value = serde_json::from_str(include_str!("../../testdata/demo.json")).unwrap();
    let ids: Vec<String> = (0..items).map(|k| format!("i{k}")).collect();
    v["items"] = ids
        .iter()
        .map(|id| json!({ "id": id, "label": "x", "response_set": "agree" }))
        .collect();
    v["scales"] = json!([{
        "id": "total", "label": "all", "items": ids, "method": "sum",
        "missing": { "max_missing": 0, "source": policy() }, "higher_is": "worse"
    }]);
    v["skips"] = json!([]);
    v["rules"] = json!([]);
    v
}

/// Load `v`, returning the outcome ("ok" or the message) and how long checking took.
fn timed(v: &Value) -> (String, Duration) {
    let definition = serde_json::from_value(v.clone()).unwrap();
    let start = Instant::now();
    let outcome = match Instrument::from_definition(definition) {
        Ok(_) => "ok".to_string(),
        Err(e) => e.to_string(),
    };
    let took = start.elapsed();
    eprintln!("checked in {took:?}");
    (outcome, took)
}

#[test]
fn a_hundred_thousand_reverse_keys_check_quickly() {
    let mut v = large(N);
    v["scales"][0]["reverse"] = v["scales"][0]["items"].clone();
    v["scales"][0]["key_source"] = policy();
    let (outcome, took) = timed(&v);
    assert_eq!(outcome, "ok");
    assert!(took < QUICK, "{took:?}");
}

#[test]
fn a_hundred_thousand_accepted_spellings_check_and_score_quickly() {
    let mut v = large(1);
    let spellings: Vec<String> = (0..N).map(|k| format!("f{k}")).collect();
    v["attributes"][0]["values"][0]["accepted"] = json!(spellings);
    let (outcome, took) = timed(&v);
    assert_eq!(outcome, "ok");
    assert!(took < QUICK, "{took:?}");
    // Each row's attribute is found by a lookup, not a scan of the spellings.
    let instrument = Instrument::from_definition(serde_json::from_value(v).unwrap()).unwrap();
    let start = Instant::now();
    for k in 0..10_000 {
        let responses = Responses::in_order([1]).attribute("sex", format!("F{}", N - 1 - k));
        instrument.score(&responses).unwrap();
    }
    assert!(start.elapsed() < QUICK, "{:?}", start.elapsed());
    // A value not accepted is reported with the first spellings, not all of them.
    let sheet = instrument
        .score(&Responses::in_order([1]).attribute("sex", "x"))
        .unwrap();
    let note = sheet
        .notes()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("; ");
    assert!(note.len() < 300, "{note}");
    insta::assert_snapshot!(note, @r#"sex "x" is not recognised (expected female, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18 … and 99983 more); treated as not given"#);
    // Twice the same spelling (case aside) is still refused.
    v = large(1);
    v["attributes"][0]["values"][1]["accepted"] = json!(["M", "F"]);
    insta::assert_snapshot!(timed(&v).0, @r#"<definition>: attributes[0].values[1].accepted[1]: "F" is accepted twice"#);
}

#[test]
fn a_hundred_thousand_rule_parts_check_quickly() {
    let mut v = large(10);
    let parts: Vec<Value> = (0..N)
        .map(|k| {
            json!({ "all": [
                { "item": { "id": format!("i{}", k % 10), "op": ">=", "value": k } },
                { "item": { "id": format!("i{}", (k + 1) % 10), "op": "<=", "value": k } }
            ] })
        })
        .collect();
    v["rules"] = json!([{
        "id": "many", "label": "many parts", "severity": "info",
        "when": { "any": parts }, "source": policy()
    }]);
    let (outcome, took) = timed(&v);
    assert_eq!(outcome, "ok");
    assert!(took < QUICK, "{took:?}");
}

#[test]
fn many_unknown_references_give_messages_of_bounded_size() {
    // Ten items with long ids, and a scale naming a hundred thousand items that do not exist.
    let mut v = large(0);
    let long: Vec<String> = (0..10)
        .map(|k| format!("{k}{}", "x".repeat(1000)))
        .collect();
    v["items"] = long
        .iter()
        .map(|id| json!({ "id": id, "label": "x", "response_set": "agree" }))
        .collect();
    let unknown: Vec<String> = (0..N).map(|k| format!("u{k}")).collect();
    v["scales"][0]["items"] = json!(unknown);
    let (outcome, took) = timed(&v);
    assert!(took < QUICK, "{took:?}");
    // Each message names its own reference, and a short, capped list of the known ids.
    // Before, each listed every known id in full: 10 kB a message, 1 GB in all.
    assert!(outcome.lines().all(|line| line.len() < 600), "a long line");
    assert!(outcome.len() < 600 * N, "{} bytes", outcome.len());
    let first = outcome.lines().nth(1).unwrap();
    let x40 = "x".repeat(39);
    assert_eq!(
        first.replace(&x40, "x…"),
        "  scales[0].items[0]: unknown item `u0` (known: 0x……, 1x……, 2x……, 3x……, 4x……, 5x……, 6x……, 7x……, 8x……, 9x……)"
    );
}
