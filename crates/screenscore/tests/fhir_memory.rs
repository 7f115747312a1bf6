//! The FHIR reader's memory does not grow with its input: the peak heap (dhat's allocator over
//! every allocation of the process) while reading a Bundle of 10,000 entries is that of 200
//! entries, and an NDJSON file with a 64 MiB line stays far below the line. The input is made as
//! it is read, so it takes no memory of its own. One test (dhat allows one profiler at a time).

use std::io::{self, Read};

use screenscore::fhir::ResponseReader;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Bytes: `head`, then `count` times `fill`, then `tail`, made as they are read.
struct Generated {
    pieces: [Vec<u8>; 3],
    count: u64,
    piece: u64,
    at: usize,
}

impl Generated {
    fn new(head: &str, fill: &str, count: u64, tail: &str) -> Generated {
        Generated {
            pieces: [head.into(), fill.into(), tail.into()],
            count,
            piece: 0,
            at: 0,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            let piece = match self.piece {
                0 => &self.pieces[0],
                p if p <= self.count => &self.pieces[1],
                p if p == self.count + 1 => &self.pieces[2],
                _ => return Ok(0),
            };
            if self.at < piece.len() {
                let n = (piece.len() - self.at).min(out.len());
                out[..n].copy_from_slice(&piece[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            self.piece += 1;
            self.at = 0;
        }
    }
}

/// Reads a Bundle of `entries` responses of nine answers; the peak heap in bytes while reading.
fn bundle_peak(entries: u64) -> usize {
    let entry = concat!(
        r#"{"fullUrl": "urn:uuid:x", "resource": {"resourceType": "QuestionnaireResponse", "#,
        r#""status": "completed", "subject": {"reference": "Patient/1"}, "item": ["#,
        r#"{"linkId": "1", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA6568-5"}}]},"#,
        r#"{"linkId": "2", "answer": [{"valueInteger": 1}]}, {"linkId": "3", "answer": [{"valueInteger": 2}]},"#,
        r#"{"linkId": "4", "answer": [{"valueInteger": 3}]}, {"linkId": "5", "answer": [{"valueInteger": 0}]},"#,
        r#"{"linkId": "6", "answer": [{"valueInteger": 1}]}, {"linkId": "7", "answer": [{"valueInteger": 2}]},"#,
        r#"{"linkId": "8", "answer": [{"valueInteger": 3}]}, {"linkId": "9", "answer": [{"valueInteger": 0}]}"#,
        "]}},\n"
    );
    let input = Generated::new(
        "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [\n",
        entry,
        entries,
        "{\"resource\": {\"resourceType\": \"Patient\"}}\n]}\n",
    );
    let before = dhat::HeapStats::get();
    let mut reader = ResponseReader::new(input, None);
    let mut read = 0u64;
    let mut peak = 0usize;
    for item in reader.by_ref() {
        let located = item.expect("a response");
        assert_eq!(located.response.item.len(), 9);
        read += 1;
        // max_bytes is the peak of the whole process so far; the test reads the largest input
        // last, so it is that run's peak.
        peak = peak.max(dhat::HeapStats::get().curr_bytes);
    }
    assert_eq!(read, entries);
    assert_eq!(reader.skipped().get("Patient"), Some(&1));
    peak.saturating_sub(before.curr_bytes)
}

#[test]
fn memory_does_not_grow_with_the_input() {
    let _profiler = dhat::Profiler::builder().testing().build();

    let small = bundle_peak(200);
    let large = bundle_peak(10_000);
    eprintln!("Bundle: peak heap {small} bytes at 200 entries, {large} bytes at 10,000");
    assert!(
        large <= small + 4096,
        "{large} bytes at 10,000 entries against {small} at 200"
    );
    assert!(large < 1 << 20, "{large} bytes");

    // NDJSON: a 64 MiB line between two responses; the line is skipped, not held.
    let input = Generated::new(
        "{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"a\"}\n{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"",
        &"x".repeat(1 << 20),
        64,
        "\"}\n{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"c\"}\n",
    );
    let before = dhat::HeapStats::get().curr_bytes;
    let mut peak = 0usize;
    let mut ok = 0;
    let mut errors = 0;
    for item in ResponseReader::new(input, None) {
        match item {
            Ok(_) => ok += 1,
            Err(_) => errors += 1,
        }
        peak = peak.max(dhat::HeapStats::get().curr_bytes);
    }
    assert_eq!((ok, errors), (2, 1));
    let grown = peak.saturating_sub(before);
    eprintln!("NDJSON: {grown} bytes held after a 64 MiB line");
    // The line buffer gives back what it grew to (up to the 16 MiB limit) once the line is too
    // long; what stays is the reader's buffers.
    assert!(grown < 1 << 20, "{grown} bytes");
    let max = dhat::HeapStats::get().max_bytes;
    eprintln!("NDJSON: peak heap of the process {max} bytes");
    assert!(max < 24 << 20, "peak {max} bytes: the 64 MiB line was held");
}
