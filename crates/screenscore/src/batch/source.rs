//! Where a batch's rows come from: a [`RowSource`] gives the header once, then one record at a
//! time into a reused [`Record`]. A CSV file is the first source ([`CsvSource`]); any other
//! (an export of another format, a table in memory) is scored by the same engine through this
//! trait.

use std::io;

use super::BatchError;
use super::limit::LineTooLong;
use super::reader::RecordReader;
use super::record::Record;

/// A source of rows: the header's cells (the column names), then each record's cells.
///
/// ```
/// use screenscore::batch::{Batch, BatchError, Record, RowSource};
/// use screenscore::output::CsvWriter;
/// use screenscore::Instrument;
///
/// /// GAD-2 answers held in memory.
/// struct Answers(Vec<[u8; 2]>, usize);
///
/// impl RowSource for Answers {
///     fn header(&mut self, header: &mut Record) -> Result<bool, BatchError> {
///         header.clear();
///         header.push(b"gad2_1");
///         header.push(b"gad2_2");
///         Ok(true)
///     }
///     fn record(&mut self, record: &mut Record) -> Result<bool, BatchError> {
///         let Some(answers) = self.0.get(self.1) else { return Ok(false) };
///         self.1 += 1;
///         record.clear();
///         for a in answers {
///             record.push(&[b'0' + a]);
///         }
///         Ok(true)
///     }
/// }
///
/// let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
/// let mut out = CsvWriter::new(Vec::new());
/// batch.run_source(Answers(vec![[0, 1], [3, 3]], 0), &mut [&mut out])?;
/// let text = String::from_utf8(out.into_inner()?)?;
/// assert_eq!(text.lines().nth(2), Some("6,ok,positive_screen,,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait RowSource {
    /// Read the header into `header`; `false` when the input is empty.
    fn header(&mut self, header: &mut Record) -> Result<bool, BatchError>;

    /// Read the next record into `record`; `false` at the end of the input.
    fn record(&mut self, record: &mut Record) -> Result<bool, BatchError>;

    /// The byte between cells, for a text source: a record whose quoted cell runs over lines
    /// is checked for rows it swallowed. `None` (the default) for sources without lines.
    fn delimiter(&self) -> Option<u8> {
        None
    }

    /// Whether the input began with a UTF-8 byte-order mark (asked once the header is read),
    /// so that writers can keep one ([`Bom::AsInput`](crate::output::Bom::AsInput)). `false`
    /// (the default) for sources without text.
    fn byte_order_mark(&self) -> bool {
        false
    }
}

/// A source lent to a batch, to be asked afterwards what it saw.
impl<S: RowSource + ?Sized> RowSource for &mut S {
    fn header(&mut self, header: &mut Record) -> Result<bool, BatchError> {
        (**self).header(header)
    }

    fn record(&mut self, record: &mut Record) -> Result<bool, BatchError> {
        (**self).record(record)
    }

    fn delimiter(&self) -> Option<u8> {
        (**self).delimiter()
    }

    fn byte_order_mark(&self) -> bool {
        (**self).byte_order_mark()
    }
}

/// A source that can start again from its first row (change over time reads its input twice).
pub trait Rewind: RowSource {
    /// Go back to the start of the input.
    fn rewind(&mut self) -> Result<(), BatchError>;
}

/// A CSV file: records read with csv_core, lines counted as a person counts them.
pub struct CsvSource<R> {
    reader: RecordReader<R>,
    delimiter: u8,
}

impl<R: io::Read> CsvSource<R> {
    /// Read `input`, cells separated by `delimiter`.
    pub fn new(input: R, delimiter: u8) -> CsvSource<R> {
        CsvSource {
            reader: RecordReader::new(input, delimiter),
            delimiter,
        }
    }

    fn read(&mut self, record: &mut Record) -> Result<bool, BatchError> {
        self.reader.read(record).map_err(|e| {
            match e.get_ref().and_then(|e| e.downcast_ref::<LineTooLong>()) {
                Some(_) => BatchError::LineTooLong {
                    line: self.reader.line_in(record),
                    record: 0,
                },
                None => BatchError::Csv { source: e.into() },
            }
        })
    }
}

impl<R: io::Read> RowSource for CsvSource<R> {
    fn header(&mut self, header: &mut Record) -> Result<bool, BatchError> {
        self.read(header)
    }

    fn record(&mut self, record: &mut Record) -> Result<bool, BatchError> {
        self.read(record)
    }

    fn delimiter(&self) -> Option<u8> {
        Some(self.delimiter)
    }

    fn byte_order_mark(&self) -> bool {
        self.reader.byte_order_mark()
    }
}

impl<R: io::Read + io::Seek> Rewind for CsvSource<R> {
    fn rewind(&mut self) -> Result<(), BatchError> {
        self.reader.rewind()?;
        Ok(())
    }
}
