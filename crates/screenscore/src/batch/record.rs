//! One CSV record as read: its cells, the line it starts on, and the bytes it was read from.

/// A record: its cells (unquoted, unescaped), where it starts, and, read from text, the raw
/// text it was read from. A [`RowSource`](super::RowSource) fills one record buffer after
/// another with [`Record::clear`] and [`Record::push`]; the buffers are reused from row to row.
#[derive(Debug, Clone)]
pub struct Record {
    /// The cells, one after another (the buffer may be longer).
    pub(crate) fields: Vec<u8>,
    /// Where each cell ends in `fields` (the first `cells` entries count).
    pub(crate) ends: Vec<usize>,
    /// Number of cells.
    pub(crate) cells: usize,
    /// The text read for the record: line breaks before it, the record, line breaks after.
    pub(crate) raw: Vec<u8>,
    /// Where the record's own text is in `raw`, from its first byte to its last.
    pub(crate) text: (usize, usize),
    /// The 1-based line the record starts on.
    pub(crate) line: u64,
    /// How many lines it spans (more than 1 when a quoted cell holds line breaks).
    pub(crate) lines: u64,
    /// Whether the raw text is the cells joined by commas, unquoted: no quote in it, and a
    /// comma the separator. Then runs of cells can be copied out as they came in.
    pub(crate) plain: bool,
    /// Where the record's own text starts in the input (bytes, a byte-order mark counted), for
    /// a source read from text: where to read it again ([`Batch::by_client`](super::Batch::by_client)).
    pub(crate) offset: u64,
    /// The record's 1-based number in its input when its source serves records out of input
    /// order; 0 (set by [`Record::clear`]): numbered as read.
    pub(crate) number: u64,
}

impl Default for Record {
    fn default() -> Record {
        Record {
            fields: Vec::new(),
            ends: Vec::new(),
            cells: 0,
            raw: Vec::new(),
            text: (0, 0),
            line: 0,
            lines: 1,
            plain: false,
            offset: 0,
            number: 0,
        }
    }
}

impl Record {
    /// Empty the record for the next row (keeping its buffers).
    pub fn clear(&mut self) {
        self.cells = 0;
        self.raw.clear();
        self.text = (0, 0);
        self.line = 0;
        self.lines = 1;
        self.plain = false;
        self.offset = 0;
        self.number = 0;
    }

    /// Add a cell after the last.
    pub fn push(&mut self, cell: &[u8]) {
        let start = self.cells.checked_sub(1).map_or(0, |last| self.ends[last]);
        let end = start + cell.len();
        if self.fields.len() < end {
            self.fields.resize(end, 0);
        }
        self.fields[start..end].copy_from_slice(cell);
        if self.ends.len() <= self.cells {
            self.ends.resize(self.cells + 1, 0);
        }
        self.ends[self.cells] = end;
        self.cells += 1;
    }

    /// Where the record comes from, in messages: a line of a file, or any 1-based position
    /// (`0`, the default, when a source has none).
    pub fn set_line(&mut self, line: u64) {
        self.line = line;
    }

    /// A record of these cells.
    #[cfg(test)]
    pub(crate) fn from_cells<'a>(cells: impl IntoIterator<Item = &'a [u8]>) -> Record {
        let mut record = Record::default();
        for cell in cells {
            record.fields.extend_from_slice(cell);
            record.ends.push(record.fields.len());
        }
        record.cells = record.ends.len();
        record
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.cells
    }

    /// Whether the record has no cell.
    pub fn is_empty(&self) -> bool {
        self.cells == 0
    }

    /// Cell `i`, if the record has it.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        if i >= self.cells {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.fields.get(start..self.ends[i])
    }

    /// The cells in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Every cell's bytes, one after another.
    pub(crate) fn as_slice(&self) -> &[u8] {
        let end = self.cells.checked_sub(1).map_or(0, |last| self.ends[last]);
        &self.fields[..end]
    }

    /// Cells `from..to` as they stood in the input, commas included, when that text is also
    /// how they are written out: the record is [`plain`](Record::plain) and has the cells.
    #[inline]
    pub(crate) fn raw_cells(&self, from: usize, to: usize) -> Option<&[u8]> {
        if !self.plain || to > self.len() || from >= to {
            return None;
        }
        // Without quotes, cell i starts i separators after its start among the cells.
        let start = if from == 0 {
            0
        } else {
            self.ends[from - 1] + from
        };
        let end = self.ends[to - 1] + (to - 1);
        self.text().get(start..end)
    }

    /// The first byte of cell `i`, read from the raw text of a [`plain`](Record::plain) record
    /// (as cheap as it gets: no cell is looked up).
    #[inline]
    pub(crate) fn first_byte(&self, i: usize) -> Option<u8> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        if i >= self.cells || self.ends[i] == start {
            return None;
        }
        self.text().get(start + i).copied()
    }

    /// The record's own text, as it stood in the input.
    #[inline]
    pub(crate) fn text(&self) -> &[u8] {
        &self.raw[self.text.0..self.text.1]
    }

    /// Give back buffer capacity above `bytes` per buffer. The record read is lost: call it
    /// between records.
    pub(crate) fn shrink(&mut self, bytes: usize) {
        let ends = bytes / std::mem::size_of::<usize>();
        if self.fields.len() > bytes {
            self.fields.truncate(bytes);
            self.fields.shrink_to_fit();
        }
        if self.ends.len() > ends {
            self.ends.truncate(ends);
            self.ends.shrink_to_fit();
        }
        if self.raw.capacity() > bytes {
            self.raw.clear();
            self.raw.shrink_to(bytes);
        }
        self.cells = 0;
    }

    pub(crate) fn to_byte_record(&self) -> csv::ByteRecord {
        self.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Record;

    #[test]
    fn cells_and_raw_text() {
        let mut record = Record::from_cells([&b"C01"[..], b"2026-01-01", b"", b"3"]);
        record.raw = b"\nC01,2026-01-01,,3\n".to_vec();
        record.text = (1, 18);
        record.plain = true;
        assert_eq!(record.len(), 4);
        assert_eq!(record.get(1), Some(&b"2026-01-01"[..]));
        assert_eq!(record.get(2), Some(&b""[..]));
        assert_eq!(record.get(4), None);
        assert_eq!(record.raw_cells(0, 2), Some(&b"C01,2026-01-01"[..]));
        assert_eq!(record.raw_cells(2, 4), Some(&b",3"[..]));
        assert_eq!(record.raw_cells(3, 5), None);
        assert_eq!(record.first_byte(1), Some(b'2'));
        assert_eq!(record.first_byte(2), None);
        assert_eq!(record.first_byte(3), Some(b'3'));
        record.plain = false;
        assert_eq!(record.raw_cells(0, 1), None);
    }
}
