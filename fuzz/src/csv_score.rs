//! Target `csv_score`: the CSV batch scorer.
//!
//! Input: the bytes of an intake CSV file (header and rows), scored with every built-in
//! instrument, twice:
//! - plainly, with the extra missing code `-99`, into the scores CSV, JSON Lines and bad-cell
//!   writers;
//! - with standard scores and change over time (client column `client_id`, date column
//!   `date`), which reads the input twice.
//!
//! Checks: no panic; a run either fails with an error (no header, no item column, duplicate
//! columns, …) or succeeds, and then the counts add up, every data record of the input gives
//! exactly one row of the scores CSV and one line of JSON Lines (valid JSON), and the bad-cell
//! report has one line per bad cell ([`common::run_batch`]); the file-level coding check
//! (`CodingCheck`) runs beside the writers and its warnings are rendered.

use std::sync::OnceLock;

use screenscore::Instrument;
use screenscore::batch::{Batch, Summary};

use crate::common;

fn batches() -> &'static (Batch, Batch) {
    static BATCHES: OnceLock<(Batch, Batch)> = OnceLock::new();
    BATCHES.get_or_init(|| {
        let all = || Instrument::builtins().fold(Batch::builder(), |b, i| b.instrument(i.clone()));
        let plain = all()
            .missing_code("-99")
            .build()
            .expect("the built-ins with missing code -99");
        let change = all()
            .standard(true)
            .history(common::history())
            .build()
            .expect("the built-ins with standard scores and change");
        (plain, change)
    })
}

/// Run one input through the target: the summaries of the plain and the change runs (`None`
/// for a run refused with an error).
pub fn run(data: &[u8]) -> (Option<Summary>, Option<Summary>) {
    let (plain, change) = batches();
    (
        common::run_batch(plain, data),
        common::run_batch(change, data),
    )
}
