//! The instruments under test: every built-in, and two definitions written for these tests.

use std::sync::OnceLock;

use screenscore::Instrument;
use screenscore::definition::{Evidence, Source};

/// Every built-in instrument. The registry leaves out a definition that fails to load, so the
/// list is checked against the files in `instruments/`: no instrument goes untested.
pub fn builtins() -> &'static [&'static Instrument] {
    static BUILTINS: OnceLock<Vec<&'static Instrument>> = OnceLock::new();
    BUILTINS.get_or_init(|| {
        let builtins: Vec<&'static Instrument> = Instrument::builtins().collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/instruments");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
            .filter(|stem| stem != "schema")
            .collect();
        files.sort();
        let mut ids: Vec<String> = builtins.iter().map(|i| i.id().to_string()).collect();
        ids.sort();
        assert_eq!(
            ids, files,
            "built-in instruments and instruments/*.json differ"
        );
        builtins
    })
}

/// A definition for these tests: items on five response sets with different ranges (one
/// descending, one negative, one of halves), reverse keys across them, a mean, a prorated sum of
/// negative values, rounding that lands off the options' grid, and a rounded derived scale. The
/// scales key shared items differently on purpose, so they say `keying: as_listed`.
pub const MIXED: &str = r#"{
  "id": "mixed",
  "name": "Mixed response sets (property tests)",
  "measures": "Nothing; it exercises scoring",
  "version": "1",
  "status": "unvalidated",
  "citation": "screenscore property tests",
  "license": {"name": "test", "terms": "test", "commercial_use": "allowed",
              "source": {"ref": "test", "evidence": "policy"}},
  "response_sets": [
    {"id": "one_five", "options": [
      {"value": 1, "label": "Never"}, {"value": 2, "label": "Rarely"},
      {"value": 3, "label": "Sometimes"}, {"value": 4, "label": "Often"},
      {"value": 5, "label": "Always", "code": "X-5"}]},
    {"id": "even", "options": [
      {"value": 0, "label": "No"}, {"value": 2, "label": "Once"}, {"value": 4, "label": "Yes"}]},
    {"id": "descending", "options": [
      {"value": 3, "label": "Strongly agree"}, {"value": 2, "label": "Agree"},
      {"value": 1, "label": "Disagree"}, {"value": 0, "label": "Strongly disagree"}]},
    {"id": "tens", "options": [
      {"value": 10, "label": "Ten"}, {"value": 20, "label": "Twenty"},
      {"value": 30, "label": "Thirty"}, {"value": 40, "label": "Forty"}]},
    {"id": "signed", "options": [
      {"value": -2, "label": "Much worse"}, {"value": -1, "label": "Worse"},
      {"value": 0, "label": "Same"}, {"value": 1, "label": "Better"},
      {"value": 2, "label": "Much better"}]},
    {"id": "halves", "options": [
      {"value": 0.5, "label": "Low"}, {"value": 1.5, "label": "Middle"},
      {"value": 2.5, "label": "High"}]}
  ],
  "items": [
    {"id": "1", "label": "one", "response_set": "one_five"},
    {"id": "2", "label": "two", "response_set": "even"},
    {"id": "3", "label": "three", "response_set": "descending"},
    {"id": "4", "label": "four", "response_set": "tens"},
    {"id": "5", "label": "five", "response_set": "signed"},
    {"id": "6", "label": "six", "response_set": "halves"},
    {"id": "7", "label": "seven", "response_set": "one_five"},
    {"id": "8", "label": "eight", "response_set": "signed"},
    {"id": "9", "label": "nine", "response_set": "signed"}
  ],
  "scales": [
    {"id": "total", "label": "all items",
     "items": ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
     "reverse": ["1", "3", "5"], "key_source": {"ref": "test", "evidence": "policy"},
     "method": "sum",
     "missing": {"max_missing": 0, "source": {"ref": "test", "evidence": "policy"}},
     "bands": [{"from": 10, "label": "low"}, {"from": 40, "label": "high"}],
     "band_source": {"ref": "test", "evidence": "policy"},
     "higher_is": "worse"},
    {"id": "average", "label": "mean of all items",
     "items": ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
     "reverse": ["2", "6", "4"], "keying": "as_listed",
     "key_source": {"ref": "test: keyed unlike total on purpose", "evidence": "policy"},
     "method": "mean",
     "missing": {"min_answered": 5, "source": {"ref": "test", "evidence": "policy"}},
     "rounding": {"method": "half_even", "decimals": 1},
     "higher_is": "worse"},
    {"id": "signed", "label": "signed items, prorated", "items": ["5", "8", "9"],
     "reverse": ["8"], "keying": "as_listed",
     "key_source": {"ref": "test: keyed unlike total on purpose", "evidence": "policy"},
     "method": "sum",
     "missing": {"max_missing": 1, "prorate": true,
                 "source": {"ref": "test", "evidence": "policy"}},
     "rounding": {"method": "half_up"},
     "higher_is": "better"},
    {"id": "halves", "label": "item 6 rounded", "items": ["6"],
     "method": "sum",
     "missing": {"max_missing": 0, "source": {"ref": "test", "evidence": "policy"}},
     "rounding": {"method": "half_up"},
     "higher_is": "worse"},
    {"id": "scaled", "label": "total x 2.5 - 1, rounded",
     "derived": {"from": "total", "multiply": 2.5, "add": -1,
                 "source": {"ref": "test", "evidence": "policy"}},
     "rounding": {"method": "half_up"},
     "higher_is": "worse"},
    {"id": "flipped", "label": "signed x -1",
     "derived": {"from": "signed", "multiply": -1,
                 "source": {"ref": "test", "evidence": "policy"}},
     "higher_is": "worse"},
    {"id": "combined", "label": "signed + halves, one may be unscored",
     "scales": ["signed", "halves"], "method": "sum",
     "missing": {"max_missing": 1, "source": {"ref": "test", "evidence": "policy"}},
     "higher_is": "worse"},
    {"id": "combined_mean", "label": "mean of average and halves, rounded",
     "scales": ["average", "halves"], "method": "mean",
     "missing": {"min_answered": 1, "source": {"ref": "test", "evidence": "policy"}},
     "rounding": {"method": "half_even", "decimals": 1},
     "higher_is": "worse"}
  ],
  "rules": [
    {"id": "item5_low", "label": "item 5 much worse", "severity": "info",
     "when": {"item": {"id": "5", "op": "<=", "value": -2}},
     "source": {"ref": "test", "evidence": "policy"}},
    {"id": "total_high", "label": "total 40 or more", "severity": "warning",
     "when": {"scale": {"id": "total", "op": ">=", "value": 40}},
     "source": {"ref": "test", "evidence": "policy"}}
  ]
}"#;

/// The CODAT-shaped definition: five prorated, rounded subscales and their composite total.
pub const CODAT_SHAPED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/definitions/codat_shaped.json"
);

/// The built-ins, then `mixed`, `testdata/demo.json` (a missing code, a skip, an item that
/// applies to women only, an unscored item whose options have no values) and the CODAT-shaped
/// definition (composite scales).
pub fn instruments() -> &'static [&'static Instrument] {
    static EXTRA: OnceLock<Vec<Instrument>> = OnceLock::new();
    static ALL: OnceLock<Vec<&'static Instrument>> = OnceLock::new();
    ALL.get_or_init(|| {
        let extra = EXTRA.get_or_init(|| {
            let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/demo.json");
            vec![
                Instrument::from_json(MIXED).unwrap(),
                Instrument::from_path(demo).unwrap(),
                Instrument::from_path(CODAT_SHAPED).unwrap(),
            ]
        });
        builtins().iter().copied().chain(extra).collect()
    })
}

pub fn policy() -> Source {
    Source {
        reference: "property test".into(),
        evidence: Evidence::Policy,
    }
}
