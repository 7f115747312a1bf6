//! Change over time reads its input twice. An input that changes between the two readings (an
//! export still being written, a folder being synced) stops the run with an error: it never
//! panics, and never pairs a row's scores with the change of other answers.

use std::io::{self, Cursor, Read, Seek, SeekFrom};

use screenscore::Instrument;
use screenscore::batch::{Batch, BatchError, HistorySettings};
use screenscore::change::CutoffKind;
use screenscore::date::DateFormat;
use screenscore::output::CsvWriter;

/// Reads `first`, and after being rewound, `second`.
struct Changing {
    first: Cursor<Vec<u8>>,
    second: Cursor<Vec<u8>>,
    rewound: bool,
}

impl Changing {
    fn new(first: &str, second: &str) -> Changing {
        Changing {
            first: Cursor::new(first.as_bytes().to_vec()),
            second: Cursor::new(second.as_bytes().to_vec()),
            rewound: false,
        }
    }
}

impl Read for Changing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.rewound {
            self.second.read(buf)
        } else {
            self.first.read(buf)
        }
    }
}

impl Seek for Changing {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.rewound = true;
        self.second.seek(to)
    }
}

fn batch(threads: usize) -> Batch {
    Batch::builder()
        .instrument(Instrument::builtin("gad2").unwrap().clone())
        .history(HistorySettings {
            client_column: "client".into(),
            date_column: "date".into(),
            date_format: DateFormat::Iso8601,
            cutoff: CutoffKind::C,
        })
        .threads(threads)
        .build()
        .unwrap()
}

fn run(first: &str, second: &str, threads: usize) -> Result<String, BatchError> {
    let mut out = CsvWriter::new(Vec::new());
    batch(threads).run_with_history(Changing::new(first, second), &mut [&mut out])?;
    Ok(String::from_utf8(out.into_inner().unwrap()).unwrap())
}

const FIRST: &str = "client,date,gad2_1,gad2_2\nA,2026-01-01,3,3\nA,2026-02-01,0,1\n";

#[test]
fn the_same_input_twice_is_scored() {
    for threads in [1, 2] {
        let text = run(FIRST, FIRST, threads).unwrap();
        // 6 → 1: a change of -5.
        assert!(
            text.lines().nth(2).unwrap().contains(",2026-01-01,-5,"),
            "{text}"
        );
    }
}

#[test]
fn a_row_added_between_the_readings_is_an_error_not_a_panic() {
    let grown = format!("{FIRST}B,2026-01-01,1,1\n");
    for threads in [1, 2] {
        let err = run(FIRST, &grown, threads).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the input changed while it was read: record 3 (line 4) differs between the two readings that change over time makes; score a complete copy of the file"
        );
    }
}

#[test]
fn a_row_removed_between_the_readings_is_an_error() {
    let shrunk = "client,date,gad2_1,gad2_2\nA,2026-01-01,3,3\n";
    for threads in [1, 2] {
        let err = run(FIRST, shrunk, threads).unwrap_err();
        assert!(
            matches!(
                err,
                BatchError::InputRows {
                    first: 2,
                    second: 1
                }
            ),
            "{err}"
        );
    }
}

#[test]
fn a_row_changed_between_the_readings_is_an_error() {
    // Same number of rows, other answers: the change computed from the first reading's scores
    // would be written beside the second reading's.
    let changed = FIRST.replace("A,2026-02-01,0,1", "A,2026-02-01,3,3");
    let err = run(FIRST, &changed, 1).unwrap_err();
    assert!(
        matches!(err, BatchError::InputChanged { record: 2, line: 3 }),
        "{err}"
    );
    let header = FIRST.replace("client,date", "Client,Date");
    let err = run(FIRST, &header, 1).unwrap_err();
    assert!(
        matches!(err, BatchError::InputChanged { record: 0, .. }),
        "{err}"
    );
}

#[test]
fn many_rows_changed_on_several_threads() {
    let mut first = String::from("client,date,gad2_1,gad2_2\n");
    for i in 0..5000 {
        first.push_str(&format!(
            "c{},2026-01-{:02},{},{}\n",
            i % 50,
            i % 28 + 1,
            i % 4,
            i % 3
        ));
    }
    let mut second = first.clone();
    second.push_str(&first[first.find('\n').unwrap() + 1..]);
    for threads in [1, 2, 3] {
        assert!(matches!(
            run(&first, &second, threads),
            Err(BatchError::InputChanged { record: 5001, .. })
        ));
    }
}
