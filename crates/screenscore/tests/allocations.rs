//! After the first rows, a batch allocates nothing per row: not in plain scoring, not with
//! standard scores, not in change mode's scoring pass (pass 1 keeps one score per row and
//! scale, by design). Counted with dhat's allocator over every allocation of the process.

use std::io;

use screenscore::Instrument;
use screenscore::batch::{Batch, HistorySettings, Layout, RowSink, ScoredRow};
use screenscore::change::CutoffKind;
use screenscore::date::DateFormat;
use screenscore::output::CsvWriter;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Writes the scores CSV to nowhere, and notes the allocations made so far at two rows.
struct Counting {
    csv: CsvWriter<io::Sink>,
    rows: u64,
    at_warm: u64,
    at_end: u64,
}

/// Rows read before allocations are counted: buffers reach their size, and the CSV writer has
/// rendered each score's standard-score block once, in the first rows.
const WARM: u64 = 1000;

impl RowSink for Counting {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        self.csv.begin(layout, instruments)
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        self.csv.row(row)?;
        self.rows += 1;
        let blocks = dhat::HeapStats::get().total_blocks;
        if self.rows == WARM {
            self.at_warm = blocks;
        }
        self.at_end = blocks;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.csv.finish()
    }
}

/// 3,000 rows of PHQ-9 and GAD-7 from 300 clients on ten dates, with sexes and ages, 3% of
/// answers blank: rows a practice sends, without bad cells (a bad cell keeps its text).
fn intake() -> String {
    let mut text = String::from("client_id,date,sex,age");
    for (id, items) in [("phq9", 10), ("gad7", 7)] {
        for i in 1..=items {
            text.push_str(&format!(",{id}_{i}"));
        }
    }
    text.push('\n');
    for row in 0..3000u32 {
        let (client, visit) = (row % 300, row / 300);
        let sex = ["F", "M", "female", ""][(row % 4) as usize];
        text.push_str(&format!(
            "C{client:04},2026-{:02}-{:02},{sex},{}",
            1 + visit,
            1 + client % 28,
            18 + client % 60
        ));
        for i in 0..17u32 {
            let answer = (row * 7 + i * 3 + visit) % 4;
            if (row + i) % 33 == 0 {
                text.push(',');
            } else {
                text.push_str(&format!(",{answer}"));
            }
        }
        text.push('\n');
    }
    text
}

fn batch(standard: bool, change: bool) -> Batch {
    let mut builder = Batch::builder()
        .instrument(Instrument::builtin("phq9").unwrap().clone())
        .instrument(Instrument::builtin("gad7").unwrap().clone())
        .standard(standard);
    if change {
        builder = builder.history(HistorySettings {
            client_column: "client_id".into(),
            date_column: "date".into(),
            date_format: DateFormat::Iso8601,
            cutoff: CutoffKind::C,
        });
    }
    builder.build().unwrap()
}

#[test]
fn no_allocation_per_row_after_the_first_rows() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let intake = intake();
    for (mode, standard, change) in [
        ("plain", false, false),
        ("standard", true, false),
        ("change", true, true),
    ] {
        let batch = batch(standard, change);
        let mut sink = Counting {
            csv: CsvWriter::new(io::sink()),
            rows: 0,
            at_warm: 0,
            at_end: 0,
        };
        let summary = if change {
            batch.run_with_history(io::Cursor::new(intake.as_bytes()), &mut [&mut sink])
        } else {
            batch.run(intake.as_bytes(), &mut [&mut sink])
        }
        .unwrap();
        assert_eq!(summary.rows, 3000);
        assert_eq!(summary.invalid, 0, "{mode}: the intake has no bad cell");
        let per_row = (sink.at_end - sink.at_warm) as f64 / (sink.rows - WARM) as f64;
        assert_eq!(
            sink.at_end - sink.at_warm,
            0,
            "{mode}: {} allocations over the last {} rows ({per_row:.2} a row)",
            sink.at_end - sink.at_warm,
            sink.rows - WARM
        );
    }
}
