//! Target `rules`: the condition evaluator behind flags, skips and `applies_if`.
//!
//! The input bytes are a sequence of choices (see [`Bytes`]). The first chooses between
//! - a built-in instrument whose rules and skips matter (PHQ-9's item 9, AUDIT's skip logic,
//!   PHQ-15's item for women only, PCL-5, …), answered with rows chosen by the bytes; and
//! - a definition generated from the bytes: response sets, a respondent attribute (sometimes
//!   with more values than the 64 a condition can name), items with `applies_if`, item and
//!   derived scales with missing rules, rounding, bands and norms, skips, and rules whose
//!   conditions nest `item`, `scale`, `missing`, `attribute`, `not_given`, `all`, `any`,
//!   `not`, `count` and `count_items` (mostly with known ids, sometimes not), then loaded and
//!   answered the same way.
//!
//! Checks:
//! - compiling and evaluating never panic; each sheet keeps its promises
//!   ([`common::check_sheet`]);
//! - three-valued logic: a flag raised with items unanswered stays raised when they are
//!   answered, whatever the answers ("missing data never clears a flag", DESIGN.md). This is
//!   checked for rules built only of conditions that are monotone in what is known: no
//!   `missing` (which answering falsifies on purpose), scales only when their missing rule
//!   scores complete answers only (a prorated score may move when the rest is answered), skips
//!   likewise, and whole-number option values (so sums are exact and no rounding order can
//!   move a score across a threshold). Skipped items are left as they are: a skipped item keeps
//!   its skipped score, answering it would replace the score on purpose.

use screenscore::definition::{Condition, Definition};
use screenscore::{DefinitionError, Instrument, ItemState};

use crate::bytes::Bytes;
use crate::common;

// The generator, in a file of its own. The path is spelt out so that the file is found both
// when this crate builds `rules.rs` and when `crates/screenscore/tests/fuzz_regressions.rs`
// includes `rules.rs` with `#[path]`.
#[path = "rules/generate.rs"]
mod generate;

pub use generate::definition;

/// What became of the input, for regression tests.
#[derive(Debug)]
pub enum Outcome {
    /// The generated definition was refused, with this error.
    Refused(DefinitionError),
    /// Rows scored with an instrument, and the flags raised over them.
    Scored {
        /// The instrument's id.
        instrument: String,
        /// Administrations scored.
        rows: usize,
        /// Flags raised, over all rows.
        flags: usize,
    },
}

/// Built-in instruments with rules, skips or `applies_if`.
const BUILTINS: [&str; 10] = [
    "phq9", "audit", "phq15", "pcl5", "auditc", "phq2", "gad2", "cffs", "dast10", "k10",
];

/// Run one input through the target.
pub fn run(data: &[u8]) -> Outcome {
    let mut b = Bytes::new(data);
    if b.below(4) == 0 {
        let id = *b.pick(&BUILTINS);
        let instrument = Instrument::builtin(id).expect("a built-in instrument");
        return answer(instrument, &mut b, false);
    }
    let def = definition(&mut b);
    if print_definitions() {
        eprintln!("{}", serde_json::to_string_pretty(&def).unwrap_or_default());
    }
    match Instrument::from_definition(def) {
        Ok(instrument) => answer(&instrument, &mut b, true),
        Err(error) => {
            assert!(!error.problems.is_empty(), "a refusal without a problem");
            let _ = error.to_string();
            Outcome::Refused(error)
        }
    }
}

/// Whether to print each generated definition (set `SCREENSCORE_FUZZ_PRINT` when replaying a
/// crash: `SCREENSCORE_FUZZ_PRINT=1 cargo +nightly fuzz run rules ARTIFACT`).
fn print_definitions() -> bool {
    static PRINT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *PRINT.get_or_init(|| std::env::var_os("SCREENSCORE_FUZZ_PRINT").is_some())
}

/// Score rows chosen by the bytes, checking each flag against a completed copy of the row.
fn answer(instrument: &Instrument, b: &mut Bytes<'_>, sample: bool) -> Outcome {
    let def = instrument.definition();
    let checked: Vec<bool> =
        if exact_values(def) && def.skips.iter().all(|s| monotone(def, &s.when)) {
            def.rules.iter().map(|r| monotone(def, &r.when)).collect()
        } else {
            vec![false; def.rules.len()]
        };
    let mut rows = Vec::new();
    let mut flags = 0;
    for _ in 0..1 + b.below(4) {
        let row = common::row(b, def);
        let sheet = common::score(instrument, &row);
        flags += sheet.flags().len();
        if checked.iter().any(|&c| c) {
            // Answer every item left unanswered or unreadable (not those skipped or not
            // applying), then score again.
            let mut complete = row.clone();
            for (i, (item, state)) in sheet.items().enumerate() {
                if matches!(state, ItemState::Missing | ItemState::Invalid) {
                    let set = def.response_sets.iter().find(|s| s.id == item.response_set);
                    let options = set.map_or(&[][..], |s| &s.options[..]);
                    if let Some(o) = options.get(b.below(options.len())) {
                        complete.items[i] = o.value.map_or_else(|| o.label.clone(), common::number);
                    }
                }
            }
            let after = common::score(instrument, &complete);
            for (r, rule) in def.rules.iter().enumerate() {
                if checked[r] && sheet.is_flagged(&rule.id) && !after.is_flagged(&rule.id) {
                    panic!(
                        "rule `{}` was raised with items unanswered and cleared by answering them\n\
                         partial:  {:?}\ncomplete: {:?}\ndefinition: {}",
                        rule.id,
                        row,
                        complete,
                        serde_json::to_string(def).unwrap_or_default()
                    );
                }
            }
        }
        rows.push(row);
    }
    if sample && b.below(2) == 0 {
        common::sample(instrument, &rows);
    }
    Outcome::Scored {
        instrument: def.id.clone(),
        rows: rows.len(),
        flags,
    }
}

/// Every option value a whole number of moderate size (or no value at all).
fn exact_values(def: &Definition) -> bool {
    def.response_sets
        .iter()
        .flat_map(|s| &s.options)
        .filter_map(|o| o.value)
        .all(|v| v.fract() == 0.0 && v.abs() <= 1e6)
}

/// Whether a condition known to hold stays so when unanswered items are answered.
fn monotone(def: &Definition, cond: &Condition) -> bool {
    match cond {
        Condition::Item(_)
        | Condition::CountItems(_)
        | Condition::Attribute(_)
        | Condition::NotGiven(_) => true,
        Condition::Missing(_) => false,
        Condition::Scale(cmp) => complete_only(def, &cmp.id, 0),
        Condition::All(parts) | Condition::Any(parts) => parts.iter().all(|p| monotone(def, p)),
        Condition::Not(inner) => monotone(def, inner),
        Condition::Count(count) => count.of.iter().all(|p| monotone(def, p)),
    }
}

/// Whether a scale is scored only when every item that applies is answered (so its bounds
/// while items are missing contain its complete score).
fn complete_only(def: &Definition, id: &str, depth: u32) -> bool {
    let Some(scale) = def.scales.iter().find(|s| s.id == id) else {
        return false;
    };
    if let Some(derived) = &scale.derived {
        return depth < 4 && complete_only(def, &derived.from, depth + 1);
    }
    let (Some(items), Some(missing)) = (&scale.items, &scale.missing) else {
        return false;
    };
    !missing.prorate
        && match (missing.max_missing, missing.min_answered) {
            (Some(0), None) => true,
            (None, Some(n)) => n as usize == items.len(),
            _ => false,
        }
}
