//! Target `definition`: the definition loader, and everything a loaded definition drives.
//!
//! Input: definition JSON, optionally followed by a NUL byte and bytes that choose answers.
//! Checks:
//! - loading never panics, whatever the bytes; a refused definition lists at least one
//!   problem, and its message names the origin;
//! - a loaded definition survives the round trip through its own serialisation (what
//!   `Definition` writes, `from_json` reads back, and it compiles the same way);
//! - scoring any answers never panics, and each sheet keeps its promises
//!   ([`common::check_sheet`]);
//! - the same answers, as an intake CSV, go through local norms, sample statistics and a batch
//!   (plain, then with standard scores and change over time) into every writer, and each
//!   successful run gives one output row per input row ([`common::run_batch`]).

use screenscore::{DefinitionError, Instrument};

use crate::bytes::Bytes;
use crate::common::{self, Row};

/// What became of the input, for regression tests.
#[derive(Debug)]
pub enum Outcome {
    /// Not UTF-8: not a definition at all.
    NotText,
    /// Refused by the loader, with this error.
    Refused(DefinitionError),
    /// Loaded and scored; the number of administrations scored.
    Scored(usize),
}

/// Run one input through the target.
pub fn run(data: &[u8]) -> Outcome {
    let (json, answers) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (&data[..nul], &data[nul + 1..]),
        None => (data, &[][..]),
    };
    let Ok(json) = std::str::from_utf8(json) else {
        return Outcome::NotText;
    };
    let instrument = match Instrument::from_json_named(json, "fuzz.json") {
        Ok(instrument) => instrument,
        Err(error) => {
            assert!(!error.problems.is_empty(), "a refusal without a problem");
            assert!(error.to_string().starts_with("fuzz.json: "), "{error}");
            return Outcome::Refused(error);
        }
    };
    let def = instrument.definition();

    // The loaded definition as the library writes it loads again, to the same definition.
    let written = serde_json::to_string(def).expect("a definition serialises");
    match Instrument::from_json(&written) {
        Ok(again) => assert!(
            again.definition() == def,
            "the definition changed in a round trip through {written}"
        ),
        Err(e) => panic!("the definition as written does not load again: {e}\n{written}"),
    }
    let _ = (
        instrument.id(),
        instrument.name(),
        instrument.status().as_str(),
    );
    for scale in &def.scales {
        let (lo, hi) = instrument
            .scale_range(&scale.id)
            .expect("a scale of the definition");
        assert!(
            lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Greater),
            "scale {} has range {lo}..{hi}",
            scale.id
        );
    }

    // Answers: nothing; every item at its set's k-th option (k = 0..3), by value; then rows
    // chosen by the bytes after the NUL.
    let mut rows: Vec<Row> = vec![Row {
        items: vec![String::new(); def.items.len()],
        attributes: vec![None; def.attributes.len()],
    }];
    for k in 0..4 {
        let items = def
            .items
            .iter()
            .map(|item| {
                let set = def.response_sets.iter().find(|s| s.id == item.response_set);
                let options = set.map_or(&[][..], |s| &s.options[..]);
                options
                    .get(k % options.len().max(1))
                    .map_or_else(String::new, |o| {
                        o.value.map_or_else(|| o.label.clone(), common::number)
                    })
            })
            .collect();
        let attributes = def
            .attributes
            .iter()
            .map(|a| {
                a.values
                    .get(k % a.values.len().max(1))
                    .map(|v| v.value.clone())
            })
            .collect();
        rows.push(Row { items, attributes });
    }
    let mut b = Bytes::new(answers);
    for _ in 0..b.below(9) {
        rows.push(common::row(&mut b, def));
    }
    common::sample(&instrument, &rows);
    Outcome::Scored(rows.len())
}
