//! Scoring on several threads gives what scoring on one gives, byte for byte, over inputs that
//! span many blocks of rows and hold everything the record loop treats differently: quoted
//! cells with commas and line breaks, formula-like cells, bad cells, short rows, a repeated
//! header, blank lines, Windows line endings; with standard scores and change over time on.

use std::io::{self, Cursor, Read};

use screenscore::Instrument;
use screenscore::batch::{Batch, HistorySettings, Summary};
use screenscore::change::CutoffKind;
use screenscore::date::DateFormat;
use screenscore::output::{CsvWriter, ErrorsWriter, JsonlWriter};

/// A seeded intake file of `rows` rows (SplitMix64, so the same on every machine).
fn intake(rows: u64, seed: u64) -> Vec<u8> {
    let mut state = seed;
    let mut next = move |n: u64| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    };
    let header = "client,date,sex,age,note,phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,\
                  phq9_8,phq9_9,phq9_10,k10_1,k10_2,k10_3,k10_4,k10_5,k10_6,k10_7,k10_8,k10_9,\
                  k10_10";
    let mut out = format!("{header}\n");
    for _ in 0..rows {
        let end = if next(10) == 0 { "\r\n" } else { "\n" };
        match next(200) {
            0 => {
                out.push_str(header);
                out.push_str(end);
                continue;
            }
            1 => {
                out.push_str("C1,2026-01-01,female,40,short row");
                out.push_str(end);
                continue;
            }
            2 => out.push('\n'),
            _ => {}
        }
        let note = match next(20) {
            0 => "\"a note, with a comma\"",
            1 => "\"two\nlines\"",
            2 => "=1+1",
            3 => "\"said \"\"no\"\"\"",
            _ => "",
        };
        let sex = ["female", "male", ""][next(3) as usize];
        out.push_str(&format!(
            "C{:04},2026-{:02}-{:02},{sex},{},{note}",
            next(300),
            1 + next(12),
            1 + next(28),
            18 + next(70)
        ));
        for item in 0..20 {
            let cell = match next(60) {
                0 => String::new(),
                1 => "9".to_string(),
                2 => " x ".to_string(),
                _ if item < 10 => next(4).to_string(),
                _ => (1 + next(5)).to_string(),
            };
            out.push(',');
            out.push_str(&cell);
        }
        out.push_str(end);
    }
    out.into_bytes()
}

/// Scores CSV, JSON Lines and bad cells, and the counts, on `threads` threads.
fn score(input: &[u8], threads: usize) -> (Vec<u8>, Vec<u8>, Vec<u8>, Summary) {
    let batch = Batch::builder()
        .instrument(Instrument::builtin("phq9").unwrap().clone())
        .instrument(Instrument::builtin("k10").unwrap().clone())
        .standard(true)
        .history(HistorySettings {
            client_column: "client".into(),
            date_column: "date".into(),
            date_format: DateFormat::Iso8601,
            cutoff: CutoffKind::C,
        })
        .threads(threads)
        .build()
        .unwrap();
    let (mut csv, mut jsonl, mut errors) = (
        CsvWriter::new(Vec::new()),
        JsonlWriter::new(Vec::new()),
        ErrorsWriter::new(Vec::new()),
    );
    let summary = batch
        .run_with_history(Cursor::new(input), &mut [&mut csv, &mut jsonl, &mut errors])
        .unwrap();
    (
        csv.into_inner().unwrap(),
        jsonl.into_inner().unwrap(),
        errors.into_inner().unwrap(),
        summary,
    )
}

#[test]
fn several_threads_write_what_one_writes() {
    let input = intake(6_000, 8);
    let one = score(&input, 1);
    // Every kind of row is there, and the file spans many blocks of rows.
    assert_eq!(one.3.rows, 6_000);
    assert!(one.3.invalid > 100 && one.3.ok > 1_000 && one.3.incomplete > 100);
    let text = String::from_utf8_lossy(&one.0);
    assert!(text.contains("two\nlines") && text.contains("'=1+1"));
    // Standard scores (PHQ-9 has a reference group) and change are in it.
    let header = text.lines().next().unwrap();
    assert!(header.contains("phq9_total_z,") && header.contains("phq9_total_change_first,"));
    assert!(text.contains("general_population"));
    for threads in [2, 3, 8] {
        let many = score(&input, threads);
        assert_eq!(many.3, one.3, "{threads} threads");
        assert!(many.0 == one.0, "scores CSV differs on {threads} threads");
        assert!(many.1 == one.1, "JSON Lines differ on {threads} threads");
        assert!(many.2 == one.2, "bad cells differ on {threads} threads");
    }
}

/// Gives `data`, then fails.
struct FailsAfter<'a>(&'a [u8]);

impl Read for FailsAfter<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0.is_empty() {
            return Err(io::Error::other("the disk went away"));
        }
        let n = buf.len().min(self.0.len()).min(4096);
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn a_read_error_stops_both_after_the_same_rows() {
    let input = intake(3_000, 9);
    let run = |threads| {
        let batch = Batch::builder()
            .instrument(Instrument::builtin("phq9").unwrap().clone())
            .threads(threads)
            .build()
            .unwrap();
        let mut csv = CsvWriter::new(Vec::new());
        let result = batch.run(FailsAfter(&input[..100_000]), &mut [&mut csv]);
        (result.is_err(), csv.into_inner().unwrap())
    };
    let (failed, one) = run(1);
    assert!(failed);
    // Every row wholly inside the first 100,000 bytes was written (the header too).
    let complete = input[..100_000].iter().filter(|&&b| b == b'\n').count();
    assert!(one.iter().filter(|&&b| b == b'\n').count() >= complete - 50);
    assert_eq!(run(2), (true, one.clone()));
    assert_eq!(run(4), (true, one));
}
