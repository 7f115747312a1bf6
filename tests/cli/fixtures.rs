//! Scoring fixtures: `tests/data/fixtures/<instrument>.json`, each case stating the responses
//! and the results expected from the instrument's source (with the arithmetic in `why`).
//!
//! ```json
//! { "instrument": "phq9",
//!   "cases": [ { "name": "HL7 US Core example",
//!                "answers": [2, 2, 2, 2, 1, 1, 2, 0, 0],
//!                "expect": { "status": "ok", "scores": { "total": 12 },
//!                            "bands": { "total": "moderate" }, "flags": ["major_depressive_syndrome"] },
//!                "why": "2+2+2+2+1+1+2+0+0 = 12; moderate is 10-14" } ] }
//! ```
//!
//! `answers` gives values in item order; `items` gives them by item id (either or both, ids
//! winning); `attributes` gives respondent attributes. In `expect`, every key is optional;
//! `scores` and `bands` check only the scales listed (`null`: not scored, no band); `flags` is the
//! exact set of flags raised. `standard` checks, per scale, the standard score against the scale's
//! default reference group (`group`, `t`, `percentile` — `null` where the group gives no
//! distribution —, `percentile_normal`, `ci95`, `ci95_clipped`; numbers to ±0.005), the
//! respondent's `sex` and `age` taken from `attributes`.
//!
//! A fixture of a definition that is not built in names it: `"definition": "tests/data/…"`
//! (relative to the repository root). Its cases are also scored through the CLI.

use std::collections::BTreeMap;
use std::path::PathBuf;

use screenscore::norms::{NormTable, Respondent, default_group};
use screenscore::{Instrument, Responses};
use serde::Deserialize;
use serde_json::Value;

use crate::support::root;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    instrument: String,
    /// The definition file, for an instrument that is not built in.
    #[serde(default)]
    definition: Option<String>,
    cases: Vec<Case>,
}

impl Fixture {
    /// The definition's path: the named file, or `instruments/<instrument>.json`.
    fn path(&self) -> PathBuf {
        match &self.definition {
            Some(path) => root().join(path),
            None => root()
                .join("instruments")
                .join(format!("{}.json", self.instrument)),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    answers: Vec<Value>,
    #[serde(default)]
    items: BTreeMap<String, Value>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    expect: Expect,
    #[serde(default)]
    source: Option<String>,
    why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    status: Option<String>,
    #[serde(default)]
    scores: BTreeMap<String, Option<f64>>,
    #[serde(default)]
    bands: BTreeMap<String, Option<String>>,
    flags: Option<Vec<String>>,
    /// Per scale: the standard score against the scale's default reference group.
    #[serde(default)]
    standard: BTreeMap<String, StandardExpect>,
}

/// A standard score as a fixture states it (numbers to the precision written, ±0.005).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardExpect {
    /// The reference group's id.
    group: String,
    t: Option<f64>,
    /// The percentile from data; `null`: none (the group gives no distribution).
    percentile: Option<f64>,
    percentile_normal: Option<f64>,
    ci95: Option<[f64; 2]>,
    ci95_clipped: Option<bool>,
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/data/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Run one case; return what differs from the expectation.
fn run(instrument: &Instrument, case: &Case) -> Vec<String> {
    let mut responses = Responses::in_order(case.answers.iter().map(text));
    for (id, value) in &case.items {
        responses.set_item(id.clone(), text(value));
    }
    for (id, value) in &case.attributes {
        responses = responses.attribute(id.clone(), value);
    }
    let sheet = match instrument.score(&responses) {
        Ok(sheet) => sheet,
        Err(e) => return vec![format!("cannot score: {e}")],
    };
    let mut wrong = Vec::new();
    if let Some(status) = &case.expect.status
        && sheet.status().as_str() != status
    {
        let errors: Vec<String> = sheet.errors().map(|e| e.to_string()).collect();
        wrong.push(format!(
            "status {} (expected {status}) {errors:?}",
            sheet.status()
        ));
    }
    for (scale, expected) in &case.expect.scores {
        match sheet.scale(scale) {
            None => wrong.push(format!("no scale {scale}")),
            Some(s) if s.score() != *expected => {
                wrong.push(format!("{scale} = {:?} (expected {expected:?})", s.score()))
            }
            Some(_) => {}
        }
    }
    for (scale, expected) in &case.expect.bands {
        match sheet.scale(scale) {
            None => wrong.push(format!("no scale {scale}")),
            Some(s) if s.band() != expected.as_deref() => wrong.push(format!(
                "{scale} band {:?} (expected {expected:?})",
                s.band()
            )),
            Some(_) => {}
        }
    }
    for (scale, expected) in &case.expect.standard {
        wrong.extend(standard(
            instrument,
            &sheet,
            scale,
            expected,
            &case.attributes,
        ));
    }
    if let Some(expected) = &case.expect.flags {
        let mut got: Vec<&str> = sheet.flags().map(|r| r.id.as_str()).collect();
        let mut expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        got.sort();
        expected.sort();
        if got != expected {
            wrong.push(format!("flags {got:?} (expected {expected:?})"));
        }
    }
    wrong
}

/// What differs between a scale's standard score and a fixture's expectation.
fn standard(
    instrument: &Instrument,
    sheet: &screenscore::ScoreSheet,
    scale: &str,
    expected: &StandardExpect,
    attributes: &BTreeMap<String, String>,
) -> Vec<String> {
    let def = instrument.definition();
    let Some(info) = def.scales.iter().find(|s| s.id == scale) else {
        return vec![format!("no scale {scale}")];
    };
    let Some(group) = default_group(info) else {
        return vec![format!("{scale} has no reference group")];
    };
    let Some(score) = sheet.scale(scale).and_then(|s| s.score()) else {
        return vec![format!("{scale} has no score")];
    };
    let respondent = Respondent::from_cells(
        attributes.get("sex").map(String::as_bytes),
        attributes.get("age").map(String::as_bytes),
    );
    let table = match instrument.scale_range(scale) {
        Some(range) => NormTable::for_scale(group, range),
        None => NormTable::new(group),
    };
    let Ok(got) = table.place(score, &respondent) else {
        return vec![format!("{scale}: no stratum fits")];
    };
    let mut wrong = Vec::new();
    let near = |a: f64, b: f64| (a - b).abs() <= 0.005;
    if group.id != expected.group {
        wrong.push(format!(
            "{scale} group {} (expected {})",
            group.id, expected.group
        ));
    }
    let mut check = |what: &str, got: Option<f64>, want: Option<f64>| {
        let same = match (got, want) {
            (Some(a), Some(b)) => near(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        if !same {
            wrong.push(format!("{scale} {what} {got:?} (expected {want:?})"));
        }
    };
    if let Some(t) = expected.t {
        check("t", Some(got.t), Some(t));
    }
    check("percentile", got.percentile, expected.percentile);
    if let Some(p) = expected.percentile_normal {
        check("percentile_normal", Some(got.percentile_normal), Some(p));
    }
    if let Some([lo, hi]) = expected.ci95 {
        check("ci95 low", got.band.map(|b| b.0), Some(lo));
        check("ci95 high", got.band.map(|b| b.1), Some(hi));
    }
    if let Some(clipped) = expected.ci95_clipped
        && got.band_clipped != clipped
    {
        wrong.push(format!(
            "{scale} ci95_clipped {} (expected {clipped})",
            got.band_clipped
        ));
    }
    wrong
}

#[test]
fn every_fixture_case_scores_as_its_source_says() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for file in fixture_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let fixture: Fixture =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            fixture.instrument,
            name,
            "{}: named after its instrument",
            file.display()
        );
        // Loaded by path, so a definition is testable before it is registered as a built-in.
        let instrument = Instrument::from_path(fixture.path()).unwrap_or_else(|e| panic!("{e}"));
        for case in &fixture.cases {
            cases += 1;
            assert!(
                !case.why.trim().is_empty(),
                "{name}: {}: say why",
                case.name
            );
            let _ = &case.source;
            for problem in run(&instrument, case) {
                failures.push(format!("{name}: {}: {problem}", case.name));
            }
        }
    }
    assert!(cases > 0);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_builtin_instrument_has_a_fixture() {
    let fixtures: Vec<String> = fixture_files()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for instrument in Instrument::builtins() {
        assert!(
            fixtures.iter().any(|f| f == instrument.id()),
            "tests/data/fixtures/{}.json is missing",
            instrument.id()
        );
    }
}

/// What the fixtures of one instrument cover must include: all-minimum and all-maximum answers,
/// both sides of every band edge, every rule raised and not raised, and a missing-data case.
#[test]
fn fixtures_cover_extremes_band_edges_rules_and_missing_data() {
    let mut gaps = Vec::new();
    for file in fixture_files() {
        let fixture: Fixture =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let name = fixture.instrument.clone();
        let instrument = Instrument::from_path(fixture.path()).unwrap();
        let def = instrument.definition();
        let extreme = |pick: fn(f64, f64) -> f64| {
            fixture.cases.iter().any(|case| {
                def.items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| item.scored)
                    .all(|(i, item)| {
                        let set = def
                            .response_sets
                            .iter()
                            .find(|s| s.id == item.response_set)
                            .unwrap();
                        let values: Vec<f64> = set.options.iter().filter_map(|o| o.value).collect();
                        let target = values.iter().copied().reduce(pick).unwrap();
                        let given = case.items.get(&item.id).or(case.answers.get(i)).map(text);
                        // An item that does not apply (PHQ-15 item 4 for a man) may be left blank.
                        given
                            .as_deref()
                            .is_some_and(|g| g.parse::<f64>() == Ok(target))
                            || (given.as_deref().unwrap_or("").is_empty()
                                && item.applies_if.is_some())
                    })
            })
        };
        if !extreme(f64::min) {
            gaps.push(format!("{name}: no all-minimum case"));
        }
        if !extreme(f64::max) {
            gaps.push(format!("{name}: no all-maximum case"));
        }
        let scores = |scale: &str| -> Vec<f64> {
            fixture
                .cases
                .iter()
                .filter_map(|c| c.expect.scores.get(scale).copied().flatten())
                .collect()
        };
        for scale in &def.scales {
            let seen = scores(&scale.id);
            for band in scale.bands.iter().skip(1) {
                for edge in [band.from - 1.0, band.from] {
                    if !seen.contains(&edge) {
                        gaps.push(format!(
                            "{name}: {} = {edge} (band edge {}) not covered",
                            scale.id, band.from
                        ));
                    }
                }
            }
        }
        for rule in &def.rules {
            let specified = fixture.cases.iter().filter_map(|c| c.expect.flags.as_ref());
            let (raised, not_raised) = specified.fold((false, false), |(r, n), flags| {
                let has = flags.contains(&rule.id);
                (r || has, n || !has)
            });
            if !raised || !not_raised {
                gaps.push(format!(
                    "{name}: rule {} raised: {raised}, not raised: {not_raised}",
                    rule.id
                ));
            }
        }
        if !fixture
            .cases
            .iter()
            .any(|c| c.expect.status.as_deref() == Some("incomplete"))
        {
            gaps.push(format!("{name}: no missing-data case"));
        }
    }
    assert!(
        gaps.is_empty(),
        "fixtures do not cover:\n{}",
        gaps.join("\n")
    );
}

/// The cases of a fixture of a user's definition file, as one CSV through `screenscore score -i
/// <file>`: each row's status and scores as the fixture states them.
#[test]
fn fixtures_of_definition_files_score_the_same_through_the_cli() {
    let mut failures = Vec::new();
    for file in fixture_files() {
        let fixture: Fixture =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        if fixture.definition.is_none() {
            continue;
        }
        let instrument = Instrument::from_path(fixture.path()).unwrap();
        let def = instrument.definition();
        let id = &def.id;
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(def.items.iter().map(|i| format!("{id}_{}", i.id)))
            .unwrap();
        for case in &fixture.cases {
            csv.write_record(def.items.iter().enumerate().map(|(k, item)| {
                text(
                    case.items
                        .get(&item.id)
                        .or(case.answers.get(k))
                        .unwrap_or(&Value::Null),
                )
            }))
            .unwrap();
        }
        let input = csv.into_inner().unwrap();
        let run = crate::support::score(&[&fixture.path().display().to_string()], &[], &input);
        assert!(run.code <= 1, "{}", run.transcript());
        for (row, case) in fixture.cases.iter().enumerate() {
            let cell =
                |column: &str| crate::support::cell(&run.stdout, row, &format!("{id}_{column}"));
            if let Some(status) = &case.expect.status
                && cell("status") != *status
            {
                failures.push(format!(
                    "{}: {}: status {}",
                    fixture.instrument,
                    case.name,
                    cell("status")
                ));
            }
            for (scale, expected) in &case.expect.scores {
                let got = cell(scale);
                let got = (!got.is_empty()).then(|| got.parse::<f64>().unwrap());
                if got != *expected {
                    failures.push(format!(
                        "{}: {}: {scale} = {got:?} (expected {expected:?})",
                        fixture.instrument, case.name
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
