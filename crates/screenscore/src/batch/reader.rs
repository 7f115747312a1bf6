//! Reading CSV records with csv_core, counting lines as a person does.
//!
//! A line ends at `\n`, `\r\n` or a lone `\r`; blank lines count; a quoted cell holding line
//! breaks spans several lines. (The csv crate's record positions count only `\n` and skip blank
//! lines, so a row of a Windows file is reported one line early.) Each record also keeps the
//! text it was read from, so that unchanged cells can be copied out whole.

use std::io::{self, Read};

use super::limit::LineLimit;
use super::record::Record;

/// Reads records from `R`, one at a time, into a reused [`Record`].
pub(crate) struct RecordReader<R> {
    inner: LineLimit<R>,
    core: csv_core::Reader,
    delimiter: u8,
    buf: Vec<u8>,
    /// The unread part of `buf` is `pos..len`.
    pos: usize,
    len: usize,
    eof: bool,
    /// The line the next unread byte is on.
    line: u64,
    /// The last byte read was a `\r` (so a `\n` right after it ends no further line).
    after_cr: bool,
    /// Whether the start of the input (and a byte-order mark there) was dealt with.
    started: bool,
}

impl<R: io::Read> RecordReader<R> {
    pub(crate) fn new(inner: R, delimiter: u8) -> RecordReader<R> {
        RecordReader {
            inner: LineLimit::new(inner),
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            buf: vec![0; 1 << 16],
            pos: 0,
            len: 0,
            eof: false,
            line: 1,
            after_cr: false,
            started: false,
        }
    }

    /// Read the next record into `record`; `false` at the end of the input.
    pub(crate) fn read(&mut self, record: &mut Record) -> io::Result<bool> {
        record.raw.clear();
        record.cells = 0;
        if record.fields.is_empty() {
            record.fields.resize(1024, 0);
        }
        if record.ends.is_empty() {
            record.ends.resize(64, 0);
        }
        let (mut out, mut ends) = (0, 0);
        loop {
            if self.pos == self.len && !self.eof {
                self.fill()?;
            }
            let input = &self.buf[self.pos..self.len];
            let (result, read, wrote, ended) =
                self.core
                    .read_record(input, &mut record.fields[out..], &mut record.ends[ends..]);
            record.raw.extend_from_slice(&input[..read]);
            self.pos += read;
            out += wrote;
            ends += ended;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let grown = record.fields.len() * 2;
                    record.fields.resize(grown, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let grown = record.ends.len() * 2;
                    record.ends.resize(grown, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    record.cells = ends;
                    self.finish(record);
                    return Ok(true);
                }
                csv_core::ReadRecordResult::End => return Ok(false),
            }
        }
    }

    /// Refill the buffer; strip a UTF-8 byte-order mark at the start of the input.
    fn fill(&mut self) -> io::Result<()> {
        self.len = self.inner.read(&mut self.buf)?;
        self.pos = 0;
        self.eof = self.len == 0;
        if !self.started {
            self.started = true;
            // The mark may arrive over several reads; wait until three bytes are in.
            while self.len < 3 && !self.eof {
                let more = self.inner.read(&mut self.buf[self.len..])?;
                self.len += more;
                self.eof = more == 0;
            }
            if self.buf[..self.len].starts_with(b"\xEF\xBB\xBF") {
                self.pos = 3;
            }
        }
        Ok(())
    }

    /// Work out the record's lines and where its own text is in what was read for it.
    fn finish(&mut self, record: &mut Record) {
        let raw = &record.raw;
        let is_break = |b: &u8| *b == b'\n' || *b == b'\r';
        let start = raw.iter().position(|b| !is_break(b)).unwrap_or(raw.len());
        // Line breaks after the record end it (one outside quotes cannot be its last byte).
        let end = raw
            .iter()
            .rposition(|b| !is_break(b))
            .map_or(start, |last| last + 1);
        let text = &raw[start..end];
        let before = self.count_breaks(&raw[..start]);
        // A line break inside a record is inside quotes: without a quote, there is none.
        let quoted = memchr::memchr(b'"', text).is_some();
        let within = if quoted {
            self.count_breaks(text)
        } else {
            self.after_cr = false;
            0
        };
        let after = self.count_breaks(&raw[end..]);
        record.line = self.line + before;
        record.lines = within + 1;
        self.line = record.line + within + after;
        record.plain = self.delimiter == b',' && !quoted;
        record.text = (start, end);
    }

    /// Line breaks in `bytes`, read next: `\n`, `\r` and `\r\n` end one line each.
    fn count_breaks(&mut self, bytes: &[u8]) -> u64 {
        let mut count = 0;
        for &b in bytes {
            match b {
                b'\n' if self.after_cr => {}
                b'\n' | b'\r' => count += 1,
                _ => {}
            }
            self.after_cr = b == b'\r';
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::{Record, RecordReader};

    /// Each record's first cell and line.
    fn lines(input: &[u8]) -> Vec<(String, u64)> {
        let mut reader = RecordReader::new(input, b',');
        let mut record = Record::default();
        let mut out = Vec::new();
        while reader.read(&mut record).unwrap() {
            let first = String::from_utf8_lossy(record.get(0).unwrap()).into_owned();
            out.push((first, record.line));
        }
        out
    }

    #[test]
    fn lines_are_counted_as_an_editor_shows_them() {
        let expected = |names: &[(&str, u64)]| -> Vec<(String, u64)> {
            names.iter().map(|&(n, l)| (n.to_string(), l)).collect()
        };
        let abc = expected(&[("h", 1), ("a", 2), ("b", 3), ("c", 4)]);
        assert_eq!(lines(b"h\na\nb\nc\n"), abc);
        assert_eq!(lines(b"h\r\na\r\nb\r\nc\r\n"), abc);
        assert_eq!(lines(b"h\ra\rb\rc\r"), abc);
        assert_eq!(lines(b"h\ra\nb\r\nc"), abc);
        // Blank lines count; a quoted cell over two lines makes the next record a line later.
        assert_eq!(
            lines(b"h\n\na\n\n\nb\n\"two\nlines\",x\nc\n"),
            expected(&[("h", 1), ("a", 3), ("b", 6), ("two\nlines", 7), ("c", 9)])
        );
        assert_eq!(
            lines(b"h\r\n\r\n\"x\r\ny\",1\r\nz\r\n"),
            expected(&[("h", 1), ("x\r\ny", 3), ("z", 5)])
        );
    }

    #[test]
    fn raw_text_and_a_byte_order_mark() {
        let mut reader = RecordReader::new(&b"\xEF\xBB\xBFa,b\r\n\"c,d\",e\r\n"[..], b',');
        let mut record = Record::default();
        assert!(reader.read(&mut record).unwrap());
        assert_eq!(
            (record.get(0), record.text()),
            (Some(&b"a"[..]), &b"a,b"[..])
        );
        assert!(record.plain);
        assert!(reader.read(&mut record).unwrap());
        assert_eq!(record.get(0), Some(&b"c,d"[..]));
        assert_eq!(record.text(), b"\"c,d\",e");
        assert!(!record.plain);
        assert!(!reader.read(&mut record).unwrap());
    }

    #[test]
    fn long_records_grow_the_buffers() {
        let cell = "x".repeat(5000);
        let row = vec![cell.as_str(); 300].join(",");
        let input = format!("{row}\n{row}\n");
        let mut reader = RecordReader::new(input.as_bytes(), b',');
        let mut record = Record::default();
        for line in [1, 2] {
            assert!(reader.read(&mut record).unwrap());
            assert_eq!((record.len(), record.line), (300, line));
            assert!(record.iter().all(|c| c == cell.as_bytes()));
            assert_eq!(record.text(), row.as_bytes());
        }
        assert!(!reader.read(&mut record).unwrap());
    }
}
