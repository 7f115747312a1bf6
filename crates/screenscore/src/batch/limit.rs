//! A bound on the length of a line, so that an input with no line breaks (a binary file, a
//! 2 GB export cut short) fails with a message instead of being read whole into memory.

use std::io;

/// The longest line read: far above any intake row, far below what would strain memory.
pub(crate) const MAX_LINE: usize = 16 << 20;

/// The error of a line longer than [`MAX_LINE`]: the reader says which line it is.
#[derive(Debug)]
pub(crate) struct LineTooLong;

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a line is longer than {} MiB", MAX_LINE >> 20)
    }
}

impl std::error::Error for LineTooLong {}

/// Reads through to `inner`, failing once a line grows longer than [`MAX_LINE`] bytes.
pub(crate) struct LineLimit<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Where the current line starts.
    line_start: u64,
}

impl<R> LineLimit<R> {
    pub(crate) fn new(inner: R) -> LineLimit<R> {
        LineLimit {
            inner,
            offset: 0,
            line_start: 0,
        }
    }
}

impl<R> LineLimit<R> {
    /// Bytes read so far.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// The input.
    pub(crate) fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

impl<R: io::Seek> LineLimit<R> {
    /// Go back to the start of the input.
    pub(crate) fn rewind(&mut self) -> io::Result<()> {
        self.inner.seek(io::SeekFrom::Start(0))?;
        self.offset = 0;
        self.line_start = 0;
        Ok(())
    }
}

impl<R: io::Read> io::Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        // The last line break of the chunk is usually within its last row: a short search.
        if let Some(last) = buf[..n].iter().rposition(|&b| b == b'\n' || b == b'\r') {
            self.line_start = self.offset + last as u64 + 1;
        }
        self.offset += n as u64;
        if self.offset - self.line_start > MAX_LINE as u64 {
            return Err(io::Error::new(io::ErrorKind::InvalidData, LineTooLong));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::{LineLimit, MAX_LINE};

    #[test]
    fn long_lines_fail_and_long_files_do_not() {
        let line = vec![b'x'; MAX_LINE + 1];
        let mut out = Vec::new();
        let err = LineLimit::new(&line[..]).read_to_end(&mut out).unwrap_err();
        assert_eq!(err.to_string(), "a line is longer than 16 MiB");

        let mut many = Vec::new();
        while many.len() <= MAX_LINE * 2 {
            many.extend_from_slice(b"1,2,3\r\n");
        }
        let mut out = Vec::new();
        LineLimit::new(&many[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, many);
    }
}
