//! Target `history`: change over time's two readings of one input.
//!
//! [`Batch::run_with_history`] reads its input twice (pass 1 collects every client's scores,
//! pass 2 scores and writes each row with its change), and the input may change in between
//! (an export still being written, a folder being synced). Both readings hash every record,
//! and a difference stops the run with `InputChanged` or `InputRows`.
//!
//! Input: an intake CSV file with `client_id` and `date` columns (the first reading),
//! optionally followed by a NUL byte and bytes read as choices (see [`Bytes`]):
//! - how much one read of the input returns at most (all that is asked, or 1, 2, 3, 5, 8, 64
//!   or 512 bytes), on both readings;
//! - the second reading: the first again, the rest of the bytes as they are, or the first
//!   changed by one to four edits: cut short, bytes appended or inserted, a range deleted, a
//!   byte replaced, a line appended again, line breaks or spaces appended at the end, line
//!   breaks written `\r\n`, two lines swapped.
//!
//! Without a NUL (a plain intake file, as the seeds are) both readings are the file. A first
//! reading cannot hold a NUL byte here (the `csv_score` target reads those); a second can.
//!
//! The batch scores PHQ-9, GAD-7, AUDIT-C, AUDIT and PHQ-15 with standard scores and change
//! over time ([`common::history`]), on 1 thread and on 2. Checks:
//! - never a panic;
//! - the same bytes read twice give what one reading gives (the first reading served from
//!   memory in one piece, [`common::run_batch`]'s checks): the same output bytes and counts,
//!   or the same error;
//! - readings that differ give an error (`InputChanged`, `InputRows` or another), or, when the
//!   difference leaves every record's text as it was (line breaks, blank lines, trailing
//!   bytes that make no record), success: the counts add up, one output row per record, and
//!   the output is exactly what one reading of the second reading gives;
//! - 1 and 2 threads give the same: the same output bytes and counts, or the same error
//!   (same kind, same message).

use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::mem::discriminant;
use std::sync::OnceLock;

use screenscore::Instrument;
use screenscore::batch::{Batch, BatchError, Summary};

use crate::bytes::Bytes;
use crate::common::{self, Written};

/// The built-ins scored: the instruments of `examples/intake.csv`, AUDIT's skip logic and
/// PHQ-15's item for women only.
const BUILTINS: [&str; 5] = ["phq9", "gad7", "auditc", "audit", "phq15"];

/// The batch, on 1 thread and on 2.
fn batches() -> &'static [Batch; 2] {
    static BATCHES: OnceLock<[Batch; 2]> = OnceLock::new();
    BATCHES.get_or_init(|| {
        [1, 2].map(|threads| {
            BUILTINS
                .iter()
                .fold(Batch::builder(), |b, id| {
                    b.instrument(Instrument::builtin(id).expect("a built-in").clone())
                })
                .standard(true)
                .history(common::history())
                .threads(threads)
                .build()
                .expect("the built-ins with standard scores and change")
        })
    })
}

/// The two readings, and how the input is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readings {
    pub first: Vec<u8>,
    pub second: Vec<u8>,
    /// The most one read returns.
    pub piece: usize,
}

/// The largest read, chosen by a byte.
const PIECES: [usize; 8] = [usize::MAX, 1, 2, 3, 5, 8, 64, 512];

/// Split the input into its two readings.
pub fn readings(data: &[u8]) -> Readings {
    let Some(nul) = data.iter().position(|&b| b == 0) else {
        return Readings {
            first: data.to_vec(),
            second: data.to_vec(),
            piece: usize::MAX,
        };
    };
    let first = data[..nul].to_vec();
    let mut b = Bytes::new(&data[nul + 1..]);
    let piece = *b.pick(&PIECES);
    let second = match b.below(4) {
        0 => first.clone(),
        1 => b.rest().to_vec(),
        _ => {
            let mut second = first.clone();
            for _ in 0..1 + b.below(4) {
                edit(&mut b, &first, &mut second);
            }
            second
        }
    };
    Readings {
        first,
        second,
        piece,
    }
}

/// Change `text` (the second reading, so far) by one edit; `first` is the first reading.
fn edit(b: &mut Bytes<'_>, first: &[u8], text: &mut Vec<u8>) {
    let at = |b: &mut Bytes<'_>, text: &Vec<u8>| b.below(text.len() + 1);
    match b.below(9) {
        // Cut short: the export is still being written.
        0 => {
            let end = at(b, text);
            text.truncate(end);
        }
        // Bytes appended: rows written since the first reading.
        1 => text.extend_from_slice(b.take(64)),
        2 => {
            let i = at(b, text);
            let bytes = b.take(16);
            text.splice(i..i, bytes.iter().copied());
        }
        3 => {
            let i = at(b, text);
            let end = (i + b.below(17)).min(text.len());
            text.drain(i..end);
        }
        4 => {
            if !text.is_empty() {
                let i = b.below(text.len());
                text[i] = b.byte();
            }
        }
        // A line of the first reading appended again: a row repeated.
        5 => {
            let lines: Vec<&[u8]> = first.split_inclusive(|&c| c == b'\n').collect();
            if !lines.is_empty() {
                let line = *b.pick(&lines);
                text.extend_from_slice(line);
            }
        }
        // What makes no record, at the end.
        6 => {
            let tail = *b.pick(&[
                &b"\n"[..],
                b"\r\n",
                b"\n\n",
                b"\r",
                b" ",
                b"\n \n",
                b"\xef\xbb\xbf",
            ]);
            text.extend_from_slice(tail);
        }
        // The same records with other line breaks.
        7 => {
            let mut crlf = Vec::with_capacity(text.len() + text.len() / 8);
            let mut last = 0;
            for &c in text.iter() {
                if c == b'\n' && last != b'\r' {
                    crlf.push(b'\r');
                }
                crlf.push(c);
                last = c;
            }
            *text = crlf;
        }
        // Two lines swapped: the same rows in another order.
        _ => {
            let mut lines: Vec<Vec<u8>> = text
                .split_inclusive(|&c| c == b'\n')
                .map(<[u8]>::to_vec)
                .collect();
            if lines.len() > 1 {
                let (i, j) = (b.below(lines.len()), b.below(lines.len()));
                lines.swap(i, j);
                *text = lines.concat();
            }
        }
    }
}

/// An input that serves one text until it is rewound, and another after, at most `piece`
/// bytes a read.
pub struct Changing<'a> {
    first: &'a [u8],
    second: Cursor<&'a [u8]>,
    rewound: bool,
    piece: usize,
}

impl<'a> Changing<'a> {
    pub fn new(readings: &'a Readings) -> Changing<'a> {
        Changing {
            first: &readings.first,
            second: Cursor::new(&readings.second),
            rewound: false,
            piece: readings.piece,
        }
    }
}

impl Read for Changing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.piece);
        if self.rewound {
            self.second.read(&mut buf[..n])
        } else {
            self.first.read(&mut buf[..n])
        }
    }
}

impl Seek for Changing<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.rewound = true;
        self.second.seek(to)
    }
}

/// What became of the input, for regression tests.
#[derive(Debug)]
pub struct Outcome {
    /// Whether the two readings were the same bytes.
    pub same: bool,
    /// The counts, or the error's message (the same on 1 and 2 threads).
    pub result: Result<Summary, String>,
}

/// One reading of `text` (served whole from memory), checked as the `csv_score` target checks
/// a run.
fn once(text: &[u8]) -> Result<Written, BatchError> {
    let written = common::write(|sinks| batches()[0].run_with_history(Cursor::new(text), sinks));
    if let Ok(written) = &written {
        common::check_written(written, text);
    }
    written
}

/// Whether two results are the same: the same output and counts, or errors of the same kind
/// and message.
fn same(a: &Result<Written, BatchError>, b: &Result<Written, BatchError>) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => a == b,
        (Err(a), Err(b)) => discriminant(a) == discriminant(b) && a.to_string() == b.to_string(),
        _ => false,
    }
}

fn show(result: &Result<Written, BatchError>) -> String {
    match result {
        Ok(w) => format!(
            "Ok({:?})\n--- scores\n{}--- jsonl\n{}--- errors\n{}",
            w.summary,
            String::from_utf8_lossy(&w.csv),
            String::from_utf8_lossy(&w.jsonl),
            String::from_utf8_lossy(&w.errors)
        ),
        Err(e) => format!("Err({e:?}): {e}"),
    }
}

/// Run one input through the target.
pub fn run(data: &[u8]) -> Outcome {
    let readings = readings(data);
    let unchanged = readings.first == readings.second;
    let results = batches().each_ref().map(|batch| {
        common::write(|sinks| batch.run_with_history(Changing::new(&readings), sinks))
    });
    let [one, two] = &results;
    assert!(
        same(one, two),
        "1 and 2 threads differ:\n{}\n=== 2 threads:\n{}",
        show(one),
        show(two)
    );
    if unchanged {
        let expected = once(&readings.first);
        assert!(
            same(one, &expected),
            "the same input read twice is not scored as it is read once:\n{}\n=== once:\n{}",
            show(one),
            show(&expected)
        );
    } else if let Ok(written) = one {
        // Every record's text was the same on both readings: the output is the second
        // reading's own.
        common::check_written(written, &readings.second);
        let expected = once(&readings.second);
        assert!(
            same(one, &expected),
            "readings that differ were scored, not as the second reading alone:\n{}\n=== the second reading once:\n{}",
            show(one),
            show(&expected)
        );
    }
    let [one, _] = results;
    Outcome {
        same: unchanged,
        result: one.map(|w| w.summary).map_err(|e| e.to_string()),
    }
}
