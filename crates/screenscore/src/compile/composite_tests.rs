//! Composite scales and the keying of shared items: what loads, what is refused, and the
//! message a person reads.

use serde_json::{Value, json};

use crate::Instrument;

fn source() -> Value {
    json!({"ref": "test", "evidence": "policy"})
}

fn item_scale(id: &str, items: &[&str]) -> Value {
    json!({"id": id, "label": id, "items": items, "method": "sum",
           "missing": {"max_missing": 1, "prorate": true, "source": source()},
           "rounding": {"method": "half_up"}, "higher_is": "worse"})
}

fn composite(id: &str, scales: &[&str]) -> Value {
    json!({"id": id, "label": id, "scales": scales, "method": "sum",
           "missing": {"max_missing": 0, "source": source()}, "higher_is": "worse"})
}

/// Six 1–5 items, and the scales given.
fn definition(scales: Vec<Value>) -> Value {
    let items: Vec<Value> = (1..=6)
        .map(|i| json!({"id": i.to_string(), "label": format!("item {i}"), "response_set": "f"}))
        .collect();
    json!({
        "id": "comp", "name": "Composite test", "measures": "nothing", "version": "1",
        "status": "validated", "citation": "test",
        "license": {"name": "t", "terms": "t", "commercial_use": "allowed", "source": source()},
        "response_sets": [{"id": "f", "options": [
            {"value": 1, "label": "Never"}, {"value": 2, "label": "Rarely"},
            {"value": 3, "label": "Sometimes"}, {"value": 4, "label": "Often"},
            {"value": 5, "label": "Always"}]}],
        "items": items,
        "scales": scales,
    })
}

fn load(v: &Value) -> Result<Instrument, String> {
    Instrument::from_json_named(&serde_json::to_string_pretty(v).unwrap(), "comp.json")
        .map_err(|e| e.to_string())
}

fn err(v: &Value) -> String {
    load(v).err().unwrap_or_else(|| "ok".into())
}

#[test]
fn a_composite_sums_its_components_final_scores_and_takes_their_range() {
    let def = definition(vec![
        item_scale("a", &["1", "2", "3"]),
        item_scale("b", &["4", "5", "6"]),
        composite("total", &["a", "b"]),
    ]);
    let inst = load(&def).unwrap();
    assert_eq!(inst.scale_range("total"), Some((6.0, 30.0)));
    // a: 1 + 2 missing + 4 = 5 × 3/2 = 7.5 → 8 (half up); b: 5 + 5 + 5 = 15; total 8 + 15 = 23.
    let sheet = inst
        .score(&crate::Responses::in_order(["1", "", "4", "5", "5", "5"]))
        .unwrap();
    assert_eq!(sheet.scale("a").unwrap().score(), Some(8.0));
    assert_eq!(sheet.scale("total").unwrap().score(), Some(23.0));
    // a with two missing is unscored, so is the total (every component must be scored).
    let sheet = inst
        .score(&crate::Responses::in_order(["1", "", "", "5", "5", "5"]))
        .unwrap();
    assert_eq!(sheet.scale("a").unwrap().score(), None);
    assert_eq!(sheet.scale("total").unwrap().score(), None);
}

#[test]
fn components_may_come_after_the_composite_and_a_derived_scale_may_build_on_it() {
    let mut pct = json!({"id": "pct", "label": "percent", "higher_is": "worse",
        "derived": {"from": "total", "multiply": 2, "add": -12, "source": source()}});
    let def = definition(vec![
        composite("total", &["a", "b"]),
        item_scale("a", &["1", "2", "3"]),
        item_scale("b", &["4", "5", "6"]),
        pct.take(),
    ]);
    let inst = load(&def).unwrap();
    assert_eq!(inst.scale_range("pct"), Some((0.0, 48.0)));
    let sheet = inst
        .score(&crate::Responses::in_order(["5", "5", "5", "5", "5", "5"]))
        .unwrap();
    assert_eq!(sheet.scale("total").unwrap().score(), Some(30.0));
    assert_eq!(sheet.scale("pct").unwrap().score(), Some(48.0));
}

#[test]
fn a_prorated_composite_is_the_mean_of_scored_components_times_their_count() {
    let mut total = composite("total", &["a", "b"]);
    total["missing"] = json!({"max_missing": 1, "prorate": true, "source": source()});
    let def = definition(vec![
        item_scale("a", &["1", "2", "3"]),
        item_scale("b", &["4", "5", "6"]),
        total,
    ]);
    let inst = load(&def).unwrap();
    // b: 4 + 5 + 6 answered as 4, 5, 3 = 12; a unscored (two missing); total 12 × 2/1 = 24.
    let sheet = inst
        .score(&crate::Responses::in_order(["1", "", "", "4", "5", "3"]))
        .unwrap();
    let total = sheet.scale("total").unwrap();
    assert_eq!(total.score(), Some(24.0));
    assert!(total.prorated());
    let notes: Vec<String> = sheet.notes().map(|n| n.to_string()).collect();
    assert!(
        notes.contains(&"total prorated from 1 of its 2 component scales".to_string()),
        "{notes:?}"
    );
}

#[test]
fn a_composite_including_itself_or_a_cycle_is_refused_with_the_cycle_named() {
    let def = definition(vec![
        item_scale("a", &["1", "2"]),
        composite("total", &["a", "total"]),
    ]);
    insta::assert_snapshot!(err(&def), @"comp.json: scales[1].scales: `total` includes itself");
    let def = definition(vec![
        item_scale("a", &["1", "2"]),
        composite("x", &["a", "y"]),
        composite("y", &["x"]),
    ]);
    insta::assert_snapshot!(err(&def), @"comp.json: scales[1].scales: scales that include each other cannot be scored: `x` → `y` → `x`");
}

#[test]
fn a_composite_may_not_mix_items_and_scales_nor_name_unknown_scales() {
    let mut mixed = composite("total", &["a", "zz"]);
    mixed["items"] = json!(["1"]);
    let def = definition(vec![item_scale("a", &["1", "2"]), mixed]);
    insta::assert_snapshot!(err(&def), @"
    comp.json: 2 problems
      scales[1].items: a composite scale takes its score from the scales listed in `scales`: list either `items` or `scales`, not both (make a separate item scale and list its id in `scales`)
      scales[1].scales[1]: unknown scale `zz` (known: a, total); a composite lists the ids of this file's scales
    ");
}

#[test]
fn an_item_keyed_differently_in_two_scales_is_refused_unless_one_says_as_listed() {
    let mut a = item_scale("a", &["1", "2", "3"]);
    a["reverse"] = json!(["2"]);
    a["key_source"] = source();
    let b = item_scale("b", &["2", "4", "5"]);
    let def = definition(vec![a.clone(), b.clone(), composite("total", &["a", "b"])]);
    insta::assert_snapshot!(err(&def), @r#"comp.json: scales[1].items[0]: item `2` is reverse-keyed in scale `a` but listed unreversed in scale `b`; key it the same way in both (add it to `b`'s `reverse`, or take it out of `a`'s), or, if the source keys it differently in the two, say `"keying": "as_listed"` with a `key_source` in the scale that differs"#);
    // The source keys item 2 as listed in `b`: say so, with the source.
    let mut said = b.clone();
    said["keying"] = json!("as_listed");
    said["key_source"] = source();
    assert!(load(&definition(vec![a.clone(), said.clone()])).is_ok());
    // `as_listed` needs its source.
    said.as_object_mut().unwrap().remove("key_source");
    insta::assert_snapshot!(err(&definition(vec![a, said])), @"comp.json: scales[1].key_source: `keying: as_listed` needs a `key_source` saying why the items are keyed as listed");
}

#[test]
fn derived_from_given_a_list_says_to_write_a_composite() {
    let pct = json!({"id": "pct", "label": "percent", "higher_is": "worse",
        "derived": {"from": ["a", "b"], "source": source()}});
    let def = definition(vec![
        item_scale("a", &["1", "2"]),
        item_scale("b", &["3", "4"]),
        pct,
    ]);
    insta::assert_snapshot!(err(&def), @r#"comp.json: scales[2].derived.from: `derived.from` names one scale; for a score made of several scales (a total of subscales), write a composite scale instead of `derived`: {"id": …, "scales": ["a", "b"], "method": "sum", "missing": {"max_missing": 0, "source": …}, …} at line 122 column 9"#);
}

#[test]
fn a_composite_takes_no_keying() {
    let mut total = composite("total", &["a"]);
    total["keying"] = json!("as_listed");
    total["key_source"] = source();
    let def = definition(vec![item_scale("a", &["1", "2"]), total]);
    insta::assert_snapshot!(err(&def), @"comp.json: scales[1].keying: a composite has no items of its own to key: its components are keyed in their own scales; remove this key");
}
