//! Inputs kept from fuzzing (`tests/data/fuzz/<target>/`), replayed through the very code of
//! the fuzz targets in `fuzz/src/` (included here with `#[path]`, so no nightly Rust and no
//! libFuzzer are needed): every input must go through without a panic, and the crashes fuzzing
//! found have tests of their own saying what happens instead.

#[path = "../../../fuzz/src/bytes.rs"]
mod bytes;
#[path = "../../../fuzz/src/common.rs"]
mod common;
#[path = "../../../fuzz/src/csv_score.rs"]
mod csv_score;
#[path = "../../../fuzz/src/definition.rs"]
mod definition;
#[cfg(feature = "fhir")]
#[path = "../../../fuzz/src/fhir_read.rs"]
mod fhir_read;
#[path = "../../../fuzz/src/history.rs"]
mod history;
#[path = "../../../fuzz/src/rules.rs"]
mod rules;

use std::path::PathBuf;

fn dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/data/fuzz/{target}"))
}

/// Every file kept for a target, by name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir(target))
        .unwrap_or_else(|e| panic!("tests/data/fuzz/{target}: {e}"))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("a readable file"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in tests/data/fuzz/{target}");
    files
}

fn input(target: &str, name: &str) -> Vec<u8> {
    std::fs::read(dir(target).join(name)).unwrap_or_else(|e| panic!("{target}/{name}: {e}"))
}

#[test]
fn definition_inputs_go_through() {
    for (name, data) in inputs("definition") {
        eprintln!("definition/{name}");
        match definition::run(&data) {
            definition::Outcome::NotText => panic!("{name} is not UTF-8"),
            definition::Outcome::Refused(e) => eprintln!("  refused: {e}"),
            definition::Outcome::Scored(n) => assert!(n > 0, "{name}: nothing scored"),
        }
    }
}

#[test]
fn csv_score_inputs_go_through() {
    for (name, data) in inputs("csv_score") {
        eprintln!("csv_score/{name}");
        let (plain, change) = csv_score::run(&data);
        // The kept inputs are real intake files: both runs read them.
        let plain = plain.unwrap_or_else(|| panic!("{name}: the plain run failed"));
        let change = change.unwrap_or_else(|| panic!("{name}: the change run failed"));
        assert!(plain.rows > 0, "{name}: no rows");
        assert_eq!(plain.rows, change.rows, "{name}");
    }
}

#[test]
fn rules_inputs_go_through() {
    for (name, data) in inputs("rules") {
        eprintln!("rules/{name}");
        match rules::run(&data) {
            rules::Outcome::Refused(e) => eprintln!("  refused: {e}"),
            rules::Outcome::Scored {
                instrument,
                rows,
                flags,
            } => eprintln!("  {instrument}: {rows} rows, {flags} flags"),
        }
    }
}

#[test]
fn history_inputs_go_through() {
    for (name, data) in inputs("history") {
        eprintln!("history/{name}");
        let outcome = history::run(&data);
        match &outcome.result {
            Ok(summary) => eprintln!("  same: {}, {summary:?}", outcome.same),
            Err(e) => eprintln!("  same: {}, refused: {e}", outcome.same),
        }
    }
    // The seeds of the target, as scripts/fuzz.sh gives them: read the same twice.
    for seed in [
        "examples/intake.csv",
        "tests/data/fuzz/csv_score/all-builtins.csv",
    ] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(seed);
        let outcome = history::run(&std::fs::read(&path).expect("a seed"));
        assert!(outcome.same, "{seed}");
        let summary = outcome.result.unwrap_or_else(|e| panic!("{seed}: {e}"));
        assert!(summary.rows > 0, "{seed}");
    }
}

/// What each kept `history` input does: the second reading as the first, served in small
/// pieces or with other line breaks or blank lines, is scored; rows added, removed, changed,
/// repeated, swapped or cut short, and a changed header, stop the run, naming the record.
#[test]
fn history_inputs_are_scored_or_refused_as_expected() {
    let changed = |record: u64, line: u64| {
        format!(
            "the input changed while it was read: record {record} (line {line}) differs between the two readings that change over time makes; score a complete copy of the file"
        )
    };
    let expected: [(&str, bool, Result<u64, String>); 11] = [
        ("same-in-1-byte-reads", true, Ok(5)),
        ("same-in-5-byte-reads", true, Ok(5)),
        ("line-breaks-crlf", false, Ok(5)),
        ("blank-lines-appended", false, Ok(5)),
        ("row-appended", false, Err(changed(6, 7))),
        ("row-repeated", false, Err(changed(6, 7))),
        (
            "last-row-removed",
            false,
            Err("the input changed while it was read: 5 rows on the first of the two readings that change over time makes, 4 on the second; score a complete copy of the file".into()),
        ),
        ("answer-changed", false, Err(changed(2, 3))),
        ("rows-swapped", false, Err(changed(2, 3))),
        ("cut-short-mid-row", false, Err(changed(5, 6))),
        ("header-changed", false, Err(changed(0, 1))),
    ];
    for (name, same, result) in expected {
        let outcome = history::run(&input("history", name));
        assert_eq!(outcome.same, same, "{name}");
        assert_eq!(outcome.result.map(|s| s.rows), result, "{name}");
    }
}

/// Found by the `history` target in CI: a file starting with a byte-order mark, read one byte at
/// a time. The read that brought the mark's last byte left the buffer empty once the mark was
/// stripped, and csv_core takes an empty buffer for the end of the input: the run said "the
/// input is empty". Now the reader reads on; the header is read, and found to lack the client
/// column.
#[test]
fn a_byte_order_mark_read_alone_is_not_the_end_of_the_input() {
    let outcome = history::run(&input("history", "bom-read-alone"));
    assert!(outcome.same);
    let err = outcome.result.unwrap_err();
    assert_eq!(
        err,
        "the header has no `client_id` column (given as the client column)"
    );
}

/// Found by the `rules` target: an attribute with more than 64 values, and a condition naming
/// a value past the 64th. Compiling the condition shifted a 64-bit set left by 64 (a panic
/// with overflow checks on); now the definition is refused, saying why.
#[test]
fn attribute_past_64_values_is_refused() {
    let rules::Outcome::Refused(e) = rules::run(&input("rules", "attribute-past-64-values")) else {
        panic!("the generated definition was accepted");
    };
    assert!(
        e.problems.iter().any(|p| p.path == "attributes[1].values"
            && p.message == "an attribute needs between 1 and 64 values"),
        "{e}"
    );

    let definition::Outcome::Refused(e) =
        definition::run(&input("definition", "attribute-past-64-values.json"))
    else {
        panic!("the definition was accepted");
    };
    assert_eq!(
        e.to_string(),
        "fuzz.json: attributes[0].values: an attribute needs between 1 and 64 values"
    );
}

/// Found by the `definition` target: numbers with more digits than a double holds (or just 17
/// significant digits) were not read as the nearest double, because serde_json parses floats
/// approximately unless its `float_roundtrip` feature is on. A definition written back by the
/// library then read as a different definition, and an option value written with 17 digits
/// (`0.9555555555555555`) became another number (`…556`), so the cell holding the very number
/// of the definition was refused. Now every number is read exactly.
#[test]
fn numbers_in_definitions_are_read_exactly() {
    // The round trip of the target: read, write, read again, same definition.
    let outcome = definition::run(&input("definition", "float-round-trip.json"));
    assert!(
        matches!(outcome, definition::Outcome::Scored(_)),
        "{outcome:?}"
    );

    let json = String::from_utf8(input("definition", "float-round-trip.json"))
        .unwrap()
        .replace("0.955555555555555555555555555", "0.9555555555555555");
    let instrument = screenscore::Instrument::from_json(&json).unwrap();
    let exact: f64 = "0.9555555555555555".parse().unwrap();
    let option = &instrument.definition().response_sets[0].options[1];
    assert_eq!(option.value.map(f64::to_bits), Some(exact.to_bits()));
    let group = &instrument.definition().scales[0].norms[0];
    assert_eq!(group.reliability.as_ref().unwrap().value, exact);

    let sheet = instrument
        .score(&screenscore::Responses::new().item("1", "0.9555555555555555"))
        .unwrap();
    assert_eq!(sheet.status(), screenscore::Status::Ok);
    assert_eq!(sheet.total(), Some(exact));
}

/// Found by the `rules` target: with options of 1e15 and 1e300, reverse keying in doubles gives
/// (1e300 + 1e15) − 1e300 = 0, outside the scale's range, and a derived factor of 1e300 makes
/// the range infinite. Such numbers are now refused when the definition is loaded, naming each.
#[test]
fn far_apart_option_values_are_refused() {
    let outcome = rules::run(&input("rules", "range-far-apart-values"));
    let rules::Outcome::Refused(error) = outcome else {
        panic!("{outcome:?}");
    };
    let message = error.to_string();
    assert!(
        message.contains(".value: must lie between -1000000000 and 1000000000"),
        "{message}"
    );
}

/// The `rules` target's generator makes composite scales: over inputs made here (a simple
/// linear congruential sequence, the same every run), some generated definitions with a
/// composite load and score through the whole target, and none panics.
#[test]
fn the_rules_generator_makes_composites_that_load_and_score() {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let (mut composites, mut loaded) = (0, 0);
    for _ in 0..400 {
        let data: Vec<u8> = (0..512)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 56) as u8
            })
            .collect();
        let mut b = bytes::Bytes::new(&data[1..]);
        let def = rules::definition(&mut b);
        if def.scales.iter().any(|s| s.scales.is_some()) {
            composites += 1;
            if screenscore::Instrument::from_definition(def).is_ok() {
                loaded += 1;
            }
        }
        let _ = rules::run(&data);
    }
    assert!(
        composites > 0 && loaded > 0,
        "{composites} composites, {loaded} loaded"
    );
}

#[cfg(feature = "fhir")]
#[test]
fn fhir_read_inputs_go_through() {
    for (name, data) in inputs("fhir_read") {
        eprintln!("fhir_read/{name}");
        let outcome = fhir_read::run(&data);
        eprintln!("  {outcome:?}");
        assert!(outcome.responses > 0, "{name}: no response read");
    }
}
