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
    /// Whether the input began with a UTF-8 byte-order mark.
    bom: bool,
    /// Whether csv_core has read a record yet (until it has, it strips a byte-order mark
    /// itself, so every record goes to it).
    core_started: bool,
    /// Whether unquoted one-line records may skip csv_core: not when the delimiter is a quote
    /// or a line break (which a batch refuses anyway), and off in tests, to compare.
    unquoted_path: bool,
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
            bom: false,
            core_started: false,
            unquoted_path: !matches!(delimiter, b'"' | b'\n' | b'\r'),
        }
    }

    /// The line the text read so far for `record` has reached (the line of a line too long
    /// to be read).
    pub(crate) fn line_in(&self, record: &Record) -> u64 {
        let (mut breaks, mut after_cr) = (0, self.after_cr);
        for &b in &record.raw {
            match b {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => breaks += 1,
                _ => {}
            }
            after_cr = b == b'\r';
        }
        self.line + breaks
    }

    /// Whether the input began with a UTF-8 byte-order mark (known once a record was read).
    pub(crate) fn byte_order_mark(&self) -> bool {
        self.bom
    }

    /// Go back to the start of the input, as if new.
    pub(crate) fn rewind(&mut self) -> io::Result<()>
    where
        R: io::Seek,
    {
        self.inner.rewind()?;
        self.core = csv_core::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .build();
        (self.pos, self.len, self.eof, self.line) = (0, 0, false, 1);
        (self.after_cr, self.started, self.core_started) = (false, false, false);
        Ok(())
    }

    /// The input.
    pub(crate) fn input_mut(&mut self) -> &mut R {
        self.inner.get_mut()
    }

    /// Read the next record into `record`; `false` at the end of the input.
    pub(crate) fn read(&mut self, record: &mut Record) -> io::Result<bool> {
        record.raw.clear();
        record.cells = 0;
        if record.fields.is_empty() {
            record.fields.resize(256, 0);
        }
        if record.ends.is_empty() {
            record.ends.resize(32, 0);
        }
        if self.core_started && self.unquoted_path && self.read_unquoted(record).is_some() {
            return Ok(true);
        }
        self.core_started = true;
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

    /// The fast path: a record on one line of the buffer with no quote in it is its cells
    /// split at the delimiter, as csv_core would read it. `None` leaves everything as it was,
    /// for csv_core: a quote, a line that runs past the buffer, only line breaks left.
    ///
    /// csv_core may be left after a record's `\r` (ready to drop a `\n`); this path drops it
    /// too, so the two can take turns.
    #[inline]
    fn read_unquoted(&mut self, record: &mut Record) -> Option<()> {
        if self.pos == self.len {
            return None;
        }
        let input = &self.buf[self.pos..self.len];
        let skip = input.iter().position(|b| !matches!(b, b'\n' | b'\r'))?;
        let rest = &input[skip..];
        // One pass finds the line's end, or a quote before it.
        let (text, terminator) = match memchr::memchr3(b'\n', b'\r', b'"', rest) {
            Some(end) if rest[end] == b'"' => return None,
            Some(end) => (&rest[..end], 1),
            None if self.eof => (rest, 0),
            None => return None,
        };
        let need = text.len();
        if record.fields.len() < need {
            record.fields.resize(need, 0);
        }
        if record.ends.len() <= need {
            record.ends.resize(need + 1, 0);
        }
        // Without branches on the bytes: each is copied, and counted only when not a delimiter.
        let (fields, ends) = (&mut record.fields[..need], &mut record.ends[..=need]);
        let (mut out, mut cells) = (0, 0);
        for &b in text {
            let delimiter = b == self.delimiter;
            fields[out] = b;
            out += usize::from(!delimiter);
            ends[cells] = out;
            cells += usize::from(delimiter);
        }
        ends[cells] = out;
        record.cells = cells + 1;
        let read = skip + text.len() + terminator;
        record.raw.extend_from_slice(&input[..read]);
        self.pos += read;
        self.place(record, skip, skip + need, false);
        Some(())
    }

    /// Refill the buffer; strip a UTF-8 byte-order mark at the start of the input. Returns with
    /// unread bytes, or at the end of the input: csv_core takes an empty buffer for the end.
    fn fill(&mut self) -> io::Result<()> {
        loop {
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
                    self.bom = true;
                }
            }
            // A read that brought only the mark (a slow writer, a pipe) leaves nothing to
            // read yet: read on.
            if self.pos < self.len || self.eof {
                return Ok(());
            }
        }
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
        let quoted = memchr::memchr(b'"', &raw[start..end]).is_some();
        self.place(record, start, end, quoted);
    }

    /// Count the lines before, in and after the record whose own text is `start..end` of what
    /// was read for it. A line break inside a record is inside quotes: without a quote, there
    /// is none.
    fn place(&mut self, record: &mut Record, start: usize, end: usize, quoted: bool) {
        let raw = &record.raw;
        let before = self.count_breaks(&raw[..start]);
        let within = if quoted {
            self.count_breaks(&raw[start..end])
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
        // What was read for the record ends where reading stands.
        let read_to = self.inner.offset() - self.len as u64 + self.pos as u64;
        record.offset = read_to - raw.len() as u64 + start as u64;
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

    /// Each record's offset finds its own text in the input, read in pieces of any size, and a
    /// fresh reader reading from there (to the end of what was read for it) reads it again.
    #[test]
    fn offsets_find_each_record_again() {
        let input: &[u8] =
            b"\xEF\xBB\xBFh,x\r\n\r\na,1\r\n\"two\r\nlines\",2\nb,3\rc,\"4\"\n\n\nd,5";
        for chunk in [1, 2, 3, 5, 64, 1 << 16] {
            let mut reader = RecordReader::new(Trickle(input, chunk), b',');
            let mut record = Record::default();
            while reader.read(&mut record).unwrap() {
                let at = record.offset as usize;
                let text = record.text().to_vec();
                assert_eq!(&input[at..at + text.len()], &text[..], "chunk {chunk}");
                let length = record.raw.len() - record.text.0;
                let mut again = RecordReader::new(&input[at..at + length], b',');
                let mut copy = Record::default();
                assert!(again.read(&mut copy).unwrap());
                assert_eq!(copy.as_slice(), record.as_slice());
                assert_eq!((copy.len(), copy.lines), (record.len(), record.lines));
            }
        }
    }

    /// Gives its input a few bytes at a time, so records straddle the reader's refills.
    struct Trickle<'a>(&'a [u8], usize);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Everything a record says about itself, read with or without the unquoted path.
    fn records(input: &[u8], chunk: usize, unquoted_path: bool) -> Vec<String> {
        let mut reader = RecordReader::new(Trickle(input, chunk), b',');
        reader.unquoted_path = unquoted_path;
        let mut record = Record::default();
        let mut out = Vec::new();
        while reader.read(&mut record).unwrap() {
            let cells: Vec<_> = record.iter().collect();
            out.push(format!(
                "{cells:?} line {} lines {} plain {} text {:?}",
                record.line,
                record.lines,
                record.plain,
                record.text()
            ));
        }
        out
    }

    proptest::proptest! {
        /// The unquoted path reads what csv_core reads: the same cells, lines and text, over
        /// inputs full of quotes, delimiters and every kind of line break, in any chunking.
        #[test]
        fn the_unquoted_path_reads_as_csv_core_does(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"ab ,\"\n\r".to_vec()), 0..200),
            chunk in 1usize..70,
        ) {
            let core = records(&bytes, chunk, false);
            proptest::prop_assert_eq!(records(&bytes, chunk, true), core.clone());
            proptest::prop_assert_eq!(records(&bytes, 1 << 16, true), core);
        }
    }

    /// A byte-order mark that arrives on its own (three one-byte reads, as from a slow pipe)
    /// is stripped, and the rest read: the header was taken for an empty input.
    #[test]
    fn a_byte_order_mark_read_alone() {
        let input = b"\xEF\xBB\xBFa,b\n1,2\n";
        for chunk in [1, 2, 3, 4] {
            let mut reader = RecordReader::new(Trickle(input, chunk), b',');
            let mut record = Record::default();
            assert!(reader.read(&mut record).unwrap(), "chunk {chunk}");
            assert_eq!(record.get(0), Some(&b"a"[..]));
            assert!(reader.read(&mut record).unwrap());
            assert_eq!((record.get(1), record.line), (Some(&b"2"[..]), 2));
            assert!(!reader.read(&mut record).unwrap());
        }
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
