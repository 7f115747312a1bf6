//! Rows grouped by client: change mode's first pass also notes where each row is in the input,
//! and the second reads the rows again one client after another, so that a sink can finish a
//! client (a per-client report) as soon as its last row has passed and keep nothing of it.
//!
//! Memory is what change mode's first pass keeps (one score per row and scale, the client ids
//! and dates) and, per row, where it is (24 bytes) and its place in client order (4 bytes);
//! a sink sees one client at a time. Each row keeps its record number and line, so every
//! message (change notes naming other records, bad cells) reads as in input order.

use std::collections::HashMap;
use std::io::{self, Read, Seek, SeekFrom};

use super::change_stage::ChangeStage;
use super::history::{NONE, Table};
use super::reader::RecordReader;
use super::record::Record;
use super::source::RowSource;
use super::{Batch, BatchError, Layout, RowSink, Summary};

/// Where a record is in the input: its own text from `offset`, `length` bytes with the line
/// breaks read after it, starting on `line`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    pub(crate) offset: u64,
    pub(crate) length: u64,
    pub(crate) line: u64,
}

/// Every row's place, and the rows in client order.
#[derive(Debug)]
pub(crate) struct ClientIndex {
    places: Vec<Place>,
    /// Rows (0-based), grouped by client: clients by the bytes of their ids, each client's rows
    /// in input order, then the rows without a client in input order.
    order: Vec<u32>,
    /// The client ids, by their bytes.
    clients: Vec<Box<[u8]>>,
    /// Rows without a client id.
    without_client: u64,
}

impl ClientIndex {
    /// The index of rows at `places` whose clients (interned by `ids`) are `row_client`.
    pub(crate) fn new(
        places: Vec<Place>,
        ids: &HashMap<Vec<u8>, u32>,
        row_client: &[u32],
    ) -> ClientIndex {
        let mut clients: Vec<(&[u8], u32)> = ids.iter().map(|(k, &v)| (k.as_slice(), v)).collect();
        clients.sort_unstable();
        let mut rank = vec![0u32; clients.len()];
        for (r, &(_, id)) in clients.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        let key = |row: u32| match row_client[row as usize] {
            NONE => u32::MAX,
            c => rank[c as usize],
        };
        let mut order: Vec<u32> = (0..row_client.len() as u32).collect();
        // Stable: each client's rows stay in input order.
        order.sort_by_key(|&row| key(row));
        ClientIndex {
            places,
            order,
            clients: clients.into_iter().map(|(k, _)| k.into()).collect(),
            without_client: row_client.iter().filter(|&&c| c == NONE).count() as u64,
        }
    }
}

/// A batch with change over time whose first pass has been read, ready to hand its rows to
/// sinks grouped by client ([`Batch::by_client`]).
pub struct ByClient<'b, R> {
    batch: &'b Batch,
    table: Table,
    index: ClientIndex,
    layout: Layout,
    input: R,
}

impl Batch {
    /// Change mode's first pass over `input`, which also notes where each client's rows are:
    /// [`ByClient::run`] then hands the rows to the sinks grouped by client. The counts, the
    /// scores, the change and every message are those of [`Batch::run_with_history`]; only the
    /// order differs: clients in the order of their ids' bytes, each client's rows in input
    /// order, then the rows without a client id. Rows keep their record numbers and lines.
    ///
    /// ```
    /// use std::io::Cursor;
    /// use screenscore::batch::{Batch, HistorySettings, Layout, RowSink, ScoredRow};
    /// use screenscore::change::CutoffKind;
    /// use screenscore::date::DateFormat;
    /// use screenscore::Instrument;
    ///
    /// /// Each row's client and record number.
    /// struct Seen(Vec<(String, u64)>);
    /// impl RowSink for Seen {
    ///     fn begin(&mut self, _: &Layout, _: &[Instrument]) -> std::io::Result<()> { Ok(()) }
    ///     fn row(&mut self, row: &ScoredRow<'_>) -> std::io::Result<()> {
    ///         let client = String::from_utf8_lossy(row.client().unwrap_or_default());
    ///         self.0.push((client.into_owned(), row.record));
    ///         Ok(())
    ///     }
    ///     fn finish(&mut self) -> std::io::Result<()> { Ok(()) }
    /// }
    ///
    /// let csv = "client,date,gad2_1,gad2_2\nB,2026-01-01,1,1\nA,2026-02-01,0,1\n,2026-01-01,1,1\nA,2026-01-01,3,3\n";
    /// let batch = Batch::builder()
    ///     .instrument(Instrument::builtin("gad2")?.clone())
    ///     .history(HistorySettings {
    ///         client_column: "client".into(),
    ///         date_column: "date".into(),
    ///         date_format: DateFormat::Iso8601,
    ///         cutoff: CutoffKind::C,
    ///     })
    ///     .build()?;
    /// let pass = batch.by_client(Cursor::new(csv))?;
    /// assert_eq!(pass.clients().collect::<Vec<_>>(), ["A", "B"]);
    /// assert_eq!(pass.without_client(), 1);
    /// let mut seen = Seen(Vec::new());
    /// let summary = pass.run(&mut [&mut seen])?;
    /// assert_eq!(summary.rows, 4);
    /// let order: Vec<(&str, u64)> = seen.0.iter().map(|(c, r)| (c.as_str(), *r)).collect();
    /// assert_eq!(order, [("A", 2), ("A", 4), ("B", 1), ("", 3)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn by_client<R: Read + Seek>(&self, mut input: R) -> Result<ByClient<'_, R>, BatchError> {
        let source = super::CsvSource::new(&mut input, self.delimiter);
        let (table, index, layout, _) = Table::collect_indexed(self, source, true)?;
        let index = index.ok_or(BatchError::NeedsRewind)?;
        Ok(ByClient {
            batch: self,
            table,
            index,
            layout,
            input,
        })
    }
}

impl<R: Read + Seek> ByClient<'_, R> {
    /// The client ids, in the order their rows will come (by their bytes; ids that are not
    /// UTF-8 shown lossily).
    pub fn clients(&self) -> impl Iterator<Item = String> + '_ {
        self.index
            .clients
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
    }

    /// How many rows have no client id (they come last).
    pub fn without_client(&self) -> u64 {
        self.index.without_client
    }

    /// The header's plan: its columns and warnings.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The second pass: score every row again, with its change, and hand it to every sink,
    /// grouped by client. A row that reads differently than in the first pass stops the run
    /// ([`BatchError::InputChanged`]), as in [`Batch::run_with_history`].
    pub fn run(self, sinks: &mut [&mut dyn RowSink]) -> Result<Summary, BatchError> {
        let ByClient {
            batch,
            table,
            index,
            input,
            ..
        } = self;
        let settings = batch.history.as_ref().ok_or(BatchError::NeedsRewind)?;
        let stage = ChangeStage::new(&batch.instruments, &batch.local, settings, &table);
        let source = InClientOrder {
            input,
            at: 0,
            index: &index,
            next: 0,
            delimiter: batch.delimiter,
            reader: RecordReader::new(Piece::default(), batch.delimiter),
        };
        batch.write(source, Some(&stage), sinks)
    }
}

/// One record's bytes, read through a [`RecordReader`] that is used again for the next.
#[derive(Debug, Default)]
struct Piece {
    bytes: Vec<u8>,
    at: usize,
}

impl Read for Piece {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (&self.bytes[self.at..]).read(buf)?;
        self.at += n;
        Ok(n)
    }
}

impl Seek for Piece {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        match to {
            SeekFrom::Start(0) => {
                self.at = 0;
                Ok(0)
            }
            _ => Err(io::Error::other("a piece is only read from its start")),
        }
    }
}

/// The input's records in client order, each read from its place.
struct InClientOrder<'i, R> {
    input: R,
    /// Where `input` stands.
    at: u64,
    index: &'i ClientIndex,
    /// The next position in `index.order`.
    next: usize,
    delimiter: u8,
    reader: RecordReader<Piece>,
}

impl<R: Read + Seek> InClientOrder<'_, R> {
    /// Read the record at `place` into `record` (empty when the input ended before it: the
    /// check against the first pass then names the record).
    fn read_at(&mut self, place: Place, record: &mut Record) -> io::Result<()> {
        if self.at != place.offset {
            self.input.seek(SeekFrom::Start(place.offset))?;
        }
        // A line break first: a record whose first cell starts with a byte-order mark keeps
        // it (only the input's start may have one), and the break is not part of the record.
        let piece = self.reader.input_mut();
        piece.bytes.clear();
        piece.bytes.push(b'\n');
        piece.bytes.resize(place.length as usize + 1, 0);
        self.input.read_exact(&mut piece.bytes[1..])?;
        self.at = place.offset + place.length;
        self.reader.rewind()?;
        if !self.reader.read(record)? {
            record.clear();
        }
        Ok(())
    }
}

impl<R: Read + Seek> RowSource for InClientOrder<'_, R> {
    fn header(&mut self, header: &mut Record) -> Result<bool, BatchError> {
        self.input.seek(SeekFrom::Start(0))?;
        let mut reader = RecordReader::new(&mut self.input, self.delimiter);
        let read = reader
            .read(header)
            .map_err(|e| BatchError::Csv { source: e.into() })?;
        // The reader read ahead: where the input stands is unknown until the next seek.
        self.at = u64::MAX;
        Ok(read)
    }

    fn record(&mut self, record: &mut Record) -> Result<bool, BatchError> {
        let Some(&row) = self.index.order.get(self.next) else {
            return Ok(false);
        };
        self.next += 1;
        let place = self.index.places[row as usize];
        self.read_at(place, record)
            .map_err(|e| BatchError::Csv { source: e.into() })?;
        record.set_line(place.line);
        record.number = u64::from(row) + 1;
        Ok(true)
    }

    fn delimiter(&self) -> Option<u8> {
        Some(self.delimiter)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use crate::Instrument;
    use crate::batch::{Batch, HistorySettings};
    use crate::change::CutoffKind;
    use crate::date::DateFormat;
    use crate::output::JsonlWriter;

    fn batch(threads: usize) -> Batch {
        Batch::builder()
            .instrument(Instrument::builtin("gad2").unwrap().clone())
            .standard(true)
            .threads(threads)
            .history(HistorySettings {
                client_column: "client".into(),
                date_column: "date".into(),
                date_format: DateFormat::Iso8601,
                cutoff: CutoffKind::C,
            })
            .build()
            .unwrap()
    }

    /// Rows by client are the rows of change mode, every one with its record, line, change and
    /// notes (a duplicate date names the other record; a skipped invalid one is named), only
    /// in client order: with a byte-order mark, CRLF and lone CR line breaks, blank lines, a
    /// quoted cell over two lines, a cell starting with a byte-order mark, a row without a
    /// client, on one thread and two.
    #[test]
    fn rows_by_client_are_the_rows_of_change_mode_in_client_order() {
        let csv = "\u{feff}client,date,note,gad2_1,gad2_2\r\n\
                   B,2026-01-01,,1,1\r\n\
                   A,2026-02-01,\"two\r\nlines\",0,1\r\n\r\n\
                   ,2026-01-01,,1,1\r\
                   C,2026-03-01,,x,1\n\
                   A,2026-01-01,,3,3\n\
                   B,2026-01-01,,2,2\n\
                   C,2026-04-01,\u{feff}hi,1,1\n\
                   A,2026-03-01,,0,0";
        for threads in [1, 2] {
            let batch = batch(threads);
            let mut plain = JsonlWriter::new(Vec::new());
            batch
                .run_with_history(Cursor::new(csv), &mut [&mut plain])
                .unwrap();
            let plain = String::from_utf8(plain.into_inner().unwrap()).unwrap();
            let pass = batch.by_client(Cursor::new(csv)).unwrap();
            assert_eq!(pass.clients().collect::<Vec<_>>(), ["A", "B", "C"]);
            assert_eq!(pass.without_client(), 1);
            let mut grouped = JsonlWriter::new(Vec::new());
            let summary = pass.run(&mut [&mut grouped]).unwrap();
            assert_eq!(summary.rows, 8);
            let grouped = String::from_utf8(grouped.into_inner().unwrap()).unwrap();
            let record = |line: &str| {
                let row: serde_json::Value = serde_json::from_str(line).unwrap();
                row["record"].as_u64().unwrap()
            };
            let order: Vec<u64> = grouped.lines().map(record).collect();
            assert_eq!(order, [2, 5, 8, 1, 6, 4, 7, 3]);
            let mut sorted: Vec<&str> = grouped.lines().collect();
            sorted.sort_by_key(|l| record(l));
            assert_eq!(sorted, plain.lines().collect::<Vec<_>>());
            // B's two rows of 2026-01-01 name each other; C's invalid row is named as skipped.
            for note in [
                "(record 6)",
                "(record 1)",
                "(record 4) is invalid and skipped",
            ] {
                assert!(plain.contains(note), "{note} not in {plain}");
            }
        }
    }

    /// A file that changes between the passes stops the run, as change mode does.
    #[test]
    fn an_input_changed_between_the_passes_stops_the_run() {
        let csv = "client,date,gad2_1,gad2_2\nB,2026-01-01,1,1\nA,2026-01-01,3,3\n";
        let batch = batch(1);
        let mut pass = batch
            .by_client(Cursor::new(csv.as_bytes().to_vec()))
            .unwrap();
        pass.input.get_mut()[39] = b'2';
        let err = pass.run(&mut []).unwrap_err();
        assert!(
            matches!(
                err,
                crate::batch::BatchError::InputChanged { record: 1, .. }
            ),
            "{err}"
        );
    }
}
