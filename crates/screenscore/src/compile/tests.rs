//! Every check made when a definition is loaded, with the message a person reads.

use serde_json::{Value, json};

use crate::Instrument;

const DEMO: &str = include_str!("../../testdata/demo.json");

fn demo() -> Value {
    serde_json::from_str(DEMO).unwrap()
}

/// Load `v` and return the error message, or "ok".
fn load(v: &Value) -> String {
    match Instrument::from_json_named(&serde_json::to_string_pretty(v).unwrap(), "demo.json") {
        Ok(_) => "ok".to_string(),
        Err(e) => e.to_string(),
    }
}

/// Set the value at a JSON pointer; the last key may be new.
fn set(v: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = v
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"));
    match parent {
        Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        Value::Array(list) => list[key.parse::<usize>().unwrap()] = value,
        _ => panic!("{pointer} is not in an object or array"),
    }
}

#[test]
fn the_demo_definition_is_valid() {
    assert_eq!(load(&demo()), "ok");
}

#[test]
fn a_misspelt_key_is_an_error_never_ignored() {
    let mut v = demo();
    let scale = v.pointer_mut("/scales/0").unwrap().as_object_mut().unwrap();
    let reverse = scale.remove("reverse").unwrap();
    scale.insert("revrse".into(), reverse);
    insta::assert_snapshot!(load(&v), @"demo.json: scales[0].revrse: unknown field `revrse`, expected one of `id`, `label`, `items`, `scales`, `reverse`, `key_source`, `keying`, `method`, `missing`, `rounding`, `derived`, `bands`, `band_source`, `higher_is`, `construct`, `norms`, `thresholds`, `codes` at line 196 column 14");
}

#[test]
fn a_misspelt_top_level_key_is_an_error() {
    let mut v = demo();
    v.as_object_mut()
        .unwrap()
        .insert("licence".into(), json!("x"));
    insta::assert_snapshot!(load(&v), @"demo.json: licence: unknown field `licence`, expected one of `$schema`, `id`, `name`, `measures`, `version`, `status`, `citation`, `license`, `notes`, `codes`, `questionnaires`, `missing_codes`, `attributes`, `response_sets`, `items`, `scales`, `skips`, `rules` at line 60 column 11");
}

#[test]
fn a_misspelt_condition_is_an_error() {
    let mut v = demo();
    set(
        &mut v,
        "/rules/0/when",
        json!({ "scael": { "id": "total", "op": ">=", "value": 6 } }),
    );
    insta::assert_snapshot!(load(&v), @"demo.json: rules[0].when: unknown variant `scael`, expected one of `item`, `scale`, `missing`, `attribute`, `not_given`, `all`, `any`, `not`, `count`, `count_items` at line 114 column 15");
}

#[test]
fn a_wrong_type_names_its_path() {
    let mut v = demo();
    set(&mut v, "/scales/0/bands/1/from", json!("six"));
    insta::assert_snapshot!(load(&v), @r#"demo.json: scales[0].bands[1].from: invalid type: string "six", expected f64 at line 171 column 23"#);
}

#[test]
fn trailing_text_after_the_definition_is_an_error() {
    let text = format!("{DEMO} {{}}");
    let err = Instrument::from_json_named(&text, "demo.json").unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"demo.json: trailing characters at line 99 column 2");
}

#[test]
fn duplicate_ids_are_errors() {
    let mut v = demo();
    set(&mut v, "/items/1/id", json!("1"));
    set(&mut v, "/scales/1/id", json!("total"));
    set(&mut v, "/rules/1/id", json!("high"));
    set(&mut v, "/response_sets/1/id", json!("agree"));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 9 problems
      response_sets[1].id: duplicate response set id `agree` (first used at response_sets[0])
      items[1].id: duplicate item id `1` (first used at items[0])
      items[4].response_set: unknown response set `yesno` (known: agree)
      scales[1].id: duplicate scale id `total` (first used at scales[0])
      scales[0].items[1]: unknown item `2` (known: 1, 3, 4, note)
      scales[1].items[1]: unknown item `2` (known: 1, 3, 4, note)
      skips[0].items[0]: unknown item `2` (known: 1, 3, 4, note)
      rules[1].id: duplicate rule id `high` (first used at rules[0])
      rules[1].when.count_items.items[1]: unknown item `2` (known: 1, 3, 4, note)
    ");
}

#[test]
fn references_to_unknown_items_scales_and_attributes_are_errors() {
    let mut v = demo();
    set(&mut v, "/scales/0/items/2", json!("33"));
    set(&mut v, "/rules/0/when/scale/id", json!("totl"));
    set(&mut v, "/rules/1/when/count_items/items/0", json!("0"));
    set(&mut v, "/items/3/applies_if/attribute/id", json!("gender"));
    set(&mut v, "/items/0/response_set", json!("agreement"));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 6 problems
      items[0].response_set: unknown response set `agreement` (known: agree, yesno)
      items[3].applies_if.attribute.id: unknown attribute `gender` (known: sex)
      scales[0].items[2]: unknown item `33` (known: 1, 2, 3, 4, note)
      scales[0].reverse[0]: `3` is not one of this scale's items
      rules[0].when.scale.id: unknown scale `totl` (known: total, mean, doubled)
      rules[1].when.count_items.items[0]: unknown item `0` (known: 1, 2, 3, 4, note)
    ");
}

#[test]
fn a_reverse_key_needs_a_numeric_range() {
    let mut v = demo();
    set(&mut v, "/items/2/response_set", json!("yesno"));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 2 problems
      items[2].response_set: item `3` is scored, so every option of `yesno` needs a numeric value
      scales[0].reverse[0]: item `3` cannot be reverse-keyed: its response set `yesno` has no numeric range
    ");
}

#[test]
fn a_reverse_key_must_name_an_item_of_the_scale_and_have_a_source() {
    let mut v = demo();
    set(&mut v, "/scales/0/reverse", json!(["3", "4"]));
    v.pointer_mut("/scales/0")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("key_source");
    insta::assert_snapshot!(load(&v), @"
    demo.json: 2 problems
      scales[0].reverse[1]: `4` is not one of this scale's items
      scales[0].key_source: reverse-keyed items need a `key_source` saying where the key comes from
    ");
}

#[test]
fn bands_must_increase_strictly_and_start_within_the_range() {
    let mut v = demo();
    set(
        &mut v,
        "/scales/0/bands",
        json!([{ "from": 3, "label": "low" }, { "from": 3, "label": "same" }, { "from": 10, "label": "too high" }]),
    );
    insta::assert_snapshot!(load(&v), @"
    demo.json: 2 problems
      scales[0].bands[1].from: bands must be strictly increasing: 3 does not come after 3
      scales[0].bands[2].from: band starts at 10, above the scale's maximum of 9
    ");
}

#[test]
fn bands_need_a_source() {
    let mut v = demo();
    v.pointer_mut("/scales/0")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("band_source");
    insta::assert_snapshot!(load(&v), @"demo.json: scales[0].band_source: bands need a `band_source`");
}

#[test]
fn missing_rules_are_checked() {
    let mut v = demo();
    set(&mut v, "/scales/0/missing/max_missing", json!(3));
    set(
        &mut v,
        "/scales/1/missing",
        json!({ "min_answered": 2, "max_missing": 1, "source": { "ref": "x", "evidence": "policy" } }),
    );
    insta::assert_snapshot!(load(&v), @"
    demo.json: 2 problems
      scales[0].missing.max_missing: 3 would allow a score with no item answered: the scale has 3 items
      scales[1].missing: give exactly one of `max_missing` and `min_answered`
    ");
}

#[test]
fn mean_scales_do_not_prorate() {
    let mut v = demo();
    set(&mut v, "/scales/1/missing/prorate", json!(true));
    insta::assert_snapshot!(load(&v), @"demo.json: scales[1].missing.prorate: a mean is already the mean of the answered items; `prorate` applies to sums only");
}

#[test]
fn unscored_items_cannot_be_in_scales() {
    let mut v = demo();
    set(&mut v, "/scales/0/items/1", json!("note"));
    insta::assert_snapshot!(load(&v), @"demo.json: scales[0].items[1]: item `note` is marked `scored: false` and cannot be part of a scale");
}

#[test]
fn derived_scales_take_no_items_and_need_an_earlier_source() {
    let mut v = demo();
    set(&mut v, "/scales/2/derived/from", json!("later"));
    v.pointer_mut("/scales/2")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .insert("method".into(), json!("sum"));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 2 problems
      scales[2].method: a derived scale takes its score from `derived.from`; remove this key
      scales[2].derived.from: `later` is not an item or composite scale defined before this one (known: total, mean)
    ");
}

#[test]
fn scale_ids_cannot_clash_with_output_columns() {
    let mut v = demo();
    set(&mut v, "/scales/1/id", json!("status"));
    set(&mut v, "/scales/2/id", json!("total_band"));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 2 problems
      scales[1].id: `status` would clash with an output column: `demo_status` is also one of the instrument's own columns
      scales[2].id: `total_band` would clash with an output column: `demo_total_band` is also a column of scale `total`
    ");
    // A standard-score or change column of one scale named like another scale.
    let mut v = demo();
    set(&mut v, "/scales/1/id", json!("total_z"));
    set(&mut v, "/scales/2/id", json!("total_change_first"));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 2 problems
      scales[1].id: `total_z` would clash with an output column: `demo_total_z` is also a column of scale `total`
      scales[2].id: `total_change_first` would clash with an output column: `demo_total_change_first` is also a column of scale `total`
    ");
}

#[test]
fn applies_if_may_only_test_attributes() {
    let mut v = demo();
    set(
        &mut v,
        "/items/3/applies_if",
        json!({ "item": { "id": "1", "op": ">=", "value": 2 } }),
    );
    insta::assert_snapshot!(load(&v), @"demo.json: items[3].applies_if.item: `applies_if` may only test respondent attributes, not items");
}

#[test]
fn skips_may_not_test_scales_and_must_score_an_option_value() {
    let mut v = demo();
    set(
        &mut v,
        "/skips/0/when",
        json!({ "scale": { "id": "total", "op": "==", "value": 0 } }),
    );
    set(&mut v, "/skips/0/value", json!(0));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 2 problems
      skips[0].when.scale: skip conditions may not test scales: scales are scored after skips
      skips[0].value: 0 is not a value of item `2`, so it cannot be its skipped score
    ");
}

#[test]
fn ambiguous_options_are_errors() {
    let mut v = demo();
    set(
        &mut v,
        "/response_sets/0/options/1/label",
        json!("disagree"),
    );
    set(&mut v, "/response_sets/0/options/2/label", json!("1"));
    set(&mut v, "/response_sets/0/options/2/value", json!(2));
    insta::assert_snapshot!(load(&v), @r#"
    demo.json: 3 problems
      response_sets[0].options[1].label: "disagree" is already accepted for option 0; input would be ambiguous
      response_sets[0].options[2].value: value 2 is already used by option 1
      response_sets[0].options[2].label: "1" is the value of option 0; input would be ambiguous
    "#);
}

#[test]
fn another_coding_needs_an_offset_a_label_and_values() {
    let mut v = demo();
    let source = json!({ "ref": "test", "evidence": "secondary" });
    let coding =
        |offset: f64, label: &str| json!({ "label": label, "offset": offset, "source": source });
    set(
        &mut v,
        "/response_sets/0/other_coding",
        coding(-1.0, "the 0-2 coding"),
    );
    assert_eq!(load(&v), "ok");
    set(&mut v, "/response_sets/0/other_coding", coding(0.0, " "));
    set(&mut v, "/response_sets/1/other_coding", coding(1.0, "x"));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 3 problems
      response_sets[0].other_coding.offset: must not be 0 (the other coding would be this one)
      response_sets[0].other_coding.label: must not be empty
      response_sets[1].other_coding: every option needs a value for another coding to shift
    ");
}

#[test]
fn a_missing_code_cannot_be_an_answer() {
    let mut v = demo();
    set(&mut v, "/missing_codes", json!(["3", "neutral"]));
    insta::assert_snapshot!(load(&v), @r#"
    demo.json: 2 problems
      missing_codes[0]: "3" is also an answer in response set `agree`; it cannot mean missing
      missing_codes[1]: "neutral" is also an answer in response set `agree`; it cannot mean missing
    "#);
}

#[test]
fn an_attribute_test_must_name_a_declared_value() {
    let mut v = demo();
    set(&mut v, "/items/3/applies_if/attribute/in", json!(["woman"]));
    insta::assert_snapshot!(load(&v), @"demo.json: items[3].applies_if.attribute.in[0]: `woman` is not a value of attribute `sex` (female, male)");
}

#[test]
fn identity_fields_are_checked() {
    let mut v = demo();
    set(&mut v, "/id", json!("Demo 1"));
    set(&mut v, "/name", json!(" "));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 2 problems
      id: `Demo 1` is not a valid instrument id: use lowercase letters, digits and `_`, starting with a letter
      name: must not be empty
    ");
}

#[test]
fn ids_that_name_columns_may_not_differ_only_in_case() {
    // Items `1` and `A`/`a` would read one column `demo_a` (matched regardless of case), and
    // count one answer twice.
    let mut v = demo();
    set(&mut v, "/items/0/id", json!("a"));
    set(&mut v, "/items/1/id", json!("A"));
    set(&mut v, "/scales/0/items", json!(["a", "A", "3"]));
    set(&mut v, "/scales/1/items", json!(["a", "3", "4"]));
    set(&mut v, "/skips/0/when/item/id", json!("a"));
    set(&mut v, "/skips/0/items/0", json!("A"));
    set(&mut v, "/rules/1/when/count_items/items", json!(["a", "3"]));
    set(&mut v, "/rules/2/when/missing", json!("a"));
    set(&mut v, "/scales/1/id", json!("TOTAL"));
    v["attributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "Sex", "label": "again", "values": [{ "value": "x" }] }));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 5 problems
      attributes[1].id: attribute id `Sex` differs from `sex` (first used at attributes[0]) only in case; columns are matched regardless of case, so the two would share one
      items[1].id: item id `A` differs from `a` (first used at items[0]) only in case; columns are matched regardless of case, so the two would share one
      scales[1].id: scale id `TOTAL` differs from `total` (first used at scales[0]) only in case; columns are matched regardless of case, so the two would share one
      scales[0].items[1]: unknown item `A` (known: a, 3, 4, note)
      skips[0].items[0]: unknown item `A` (known: a, 3, 4, note)
    ");
}

#[test]
fn a_scale_id_may_not_be_an_item_id_regardless_of_case() {
    let mut v = demo();
    set(&mut v, "/items/4/id", json!("Total"));
    insta::assert_snapshot!(load(&v), @"demo.json: scales[0].id: `total` is also an item id (`Total`, regardless of case); the CSV columns would clash");
    let mut v = demo();
    set(&mut v, "/scales/1/id", json!("Status"));
    set(&mut v, "/scales/2/id", json!("total_BAND"));
    insta::assert_snapshot!(load(&v), @"
    demo.json: 2 problems
      scales[1].id: `Status` would clash with an output column: `demo_status` is also one of the instrument's own columns
      scales[2].id: `total_BAND` would clash with an output column: `demo_total_BAND` is also a column of scale `total`
    ");
}

#[test]
fn an_attribute_may_not_read_an_items_column() {
    let mut v = demo();
    set(&mut v, "/attributes/0/id", json!("Demo_Note"));
    set(
        &mut v,
        "/items/3/applies_if/attribute/id",
        json!("Demo_Note"),
    );
    insta::assert_snapshot!(load(&v), @"demo.json: attributes[0].id: `Demo_Note` is also the input column of item `note`; the two would read one column");
}

/// Load a definition built in code (where nothing stops a NaN), returning the message or "ok".
fn load_definition(def: crate::definition::Definition) -> String {
    match Instrument::from_definition(def) {
        Ok(_) => "ok".to_string(),
        Err(e) => e.to_string(),
    }
}

fn demo_definition() -> crate::definition::Definition {
    serde_json::from_value(demo()).unwrap()
}

#[test]
fn numbers_must_be_finite_in_definitions_built_in_code() {
    use crate::definition::{Condition, Count, Threshold};
    let mut def = demo_definition();
    // A rule `total != NaN` holds for every respondent; `>= NaN` for none.
    let Condition::Scale(cmp) = &mut def.rules[0].when else {
        panic!("rules[0] compares a scale")
    };
    cmp.value = f64::NAN;
    let Condition::CountItems(count) = &mut def.rules[1].when else {
        panic!("rules[1] counts items")
    };
    count.value = f64::INFINITY;
    count.meeting = Threshold {
        op: count.meeting.op,
        value: f64::NAN,
    };
    def.rules[2].when = Condition::All(vec![
        Condition::Count(Count {
            of: vec![def.rules[2].when.clone()],
            op: crate::definition::Op::Ge,
            value: f64::NEG_INFINITY,
        }),
        Condition::Not(Box::new(def.skips[0].when.clone())),
    ]);
    let Condition::Item(cmp) = &mut def.skips[0].when else {
        panic!("skips[0] compares an item")
    };
    cmp.value = f64::NAN;
    def.skips[0].value = f64::INFINITY;
    def.scales[0].bands[0].from = f64::NAN;
    let derived = def.scales[2].derived.as_mut().unwrap();
    derived.multiply = f64::NAN;
    derived.add = f64::NEG_INFINITY;
    def.response_sets[0].options[0].value = Some(f64::NAN);
    insta::assert_snapshot!(load_definition(def), @"
    <definition>: 10 problems
      response_sets[0].options[0].value: must be a finite number
      scales[0].bands[0].from: must be a finite number
      scales[2].derived.multiply: must be a finite number
      scales[2].derived.add: must be a finite number
      skips[0].when.item.value: must be a finite number
      skips[0].value: must be a finite number
      rules[0].when.scale.value: must be a finite number
      rules[1].when.count_items.meeting.value: must be a finite number
      rules[1].when.count_items.value: must be a finite number
      rules[2].when.all[0].count.value: must be a finite number
    ");
}

#[test]
fn norms_in_definitions_are_bounded() {
    use crate::definition::{AgeRange, Evidence, Frequency, NormGroup, Source, Stratum};
    let mut def = demo_definition();
    let stratum = |mean, sd| Stratum {
        sex: None,
        age: None,
        n: Some(100),
        mean,
        sd,
    };
    def.scales[0].norms = vec![NormGroup {
        id: "-".into(),
        population: "a\u{1b}[31mclinic".into(),
        role: None,
        strata: vec![
            stratum(f64::NAN, 1e-300),
            Stratum {
                age: Some(AgeRange {
                    from: 18.0,
                    to: f64::INFINITY,
                }),
                n: Some(2_000_000_000_000),
                ..stratum(1e300, 1e300)
            },
        ],
        reliability: None,
        percentiles: vec![],
        frequencies: vec![Frequency {
            score: f64::NAN,
            count: 3,
        }],
        source: Source {
            reference: "test".into(),
            evidence: Evidence::Policy,
        },
    }];
    insta::assert_snapshot!(load_definition(def), @"
    <definition>: 8 problems
      scales[0].norms[0].population: must not contain control characters (line breaks, tabs, escapes)
      scales[0].norms[0].strata[0].mean: must be a finite number
      scales[0].norms[0].strata[0].sd: must lie between 0.000001 and 1000000000000
      scales[0].norms[0].strata[1].mean: must lie between -1000000000000 and 1000000000000
      scales[0].norms[0].strata[1].sd: must lie between 0.000001 and 1000000000000
      scales[0].norms[0].strata[1].n: must be at most 1000000000000
      scales[0].norms[0].strata[1].age.to: must be a finite number
      scales[0].norms[0].frequencies[0].score: must be a finite number
    ");
}

#[test]
fn aliases_are_checked_at_their_json_path() {
    let source = json!({"ref": "the practice's form, page 1", "evidence": "authored"});
    let alias = |label: &str| json!([{"label": label, "language": "de", "source": source}]);
    let mut v = demo();
    set(
        &mut v,
        "/response_sets/0/options/2/aliases",
        alias("Stimme zu"),
    );
    assert_eq!(load(&v), "ok");
    // Another option's label or alias, a number, a repetition; then empty, a missing code.
    set(&mut v, "/response_sets/0/options/0/aliases", alias("agree"));
    set(
        &mut v,
        "/response_sets/0/options/1/aliases",
        alias(" STIMME zu "),
    );
    set(&mut v, "/response_sets/1/options/0/aliases", alias("2.0"));
    set(&mut v, "/response_sets/1/options/1/aliases", alias("no"));
    insta::assert_snapshot!(load(&v), @r#"
    demo.json: 4 problems
      response_sets[0].options[0].aliases[0].label: "agree" is already accepted for option 2 ("Agree"); input would be ambiguous
      response_sets[0].options[2].aliases[0].label: "Stimme zu" is already accepted for option 1 ("Neutral"); input would be ambiguous
      response_sets[1].options[0].aliases[0].label: "2.0" reads as a number; numbers are read as option values, not as labels
      response_sets[1].options[1].aliases[0].label: "no" is already accepted for this option
    "#);
    let mut v = demo();
    set(&mut v, "/response_sets/0/options/0/aliases", alias(" "));
    set(&mut v, "/missing_codes", json!(["-99", "Weiß nicht"]));
    set(
        &mut v,
        "/response_sets/0/options/1/aliases",
        alias("weiß NICHT"),
    );
    insta::assert_snapshot!(load(&v), @r#"
    demo.json: 2 problems
      response_sets[0].options[0].aliases[0].label: must not be empty
      missing_codes[1]: "Weiß nicht" is also an answer in response set `agree`; it cannot mean missing
    "#);
}
