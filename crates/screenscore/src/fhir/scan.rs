//! The input as the reader sees it: a buffered reader that counts lines and columns, lets
//! serde_json read one value at a time from where the scanner stopped, and stops a value that
//! grows past a budget.
//!
//! serde_json's reader takes one byte at a time from its `Read` and looks one byte ahead only
//! inside numbers, so after an object, an array or a string it stops right after the last
//! byte; the scanner reads numbers and the structure of the top-level object itself.

use std::io::{self, BufRead, BufReader, Read};

use serde::Deserialize;
use serde_json::Value;

/// A position: line and column (1-based; columns count bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pos {
    pub(crate) line: u64,
    pub(crate) column: u64,
}

/// What went wrong reading one value.
#[derive(Debug)]
pub(crate) enum ValueError {
    /// serde_json's error, its position made absolute.
    Json {
        line: u64,
        column: u64,
        message: String,
        utf8: bool,
    },
    /// The value is larger than the budget.
    TooLarge,
    /// Reading failed.
    Io(io::Error),
}

/// The buffered input, its position, and the budget of the value being read.
pub(crate) struct Scan<R> {
    inner: BufReader<R>,
    pos: Pos,
    /// Bytes serde_json may still read before the value is too large (`u64::MAX`: no limit).
    budget: u64,
    /// Set when the budget ran out.
    over: bool,
}

impl<R: Read> Scan<R> {
    pub(crate) fn new(inner: R) -> Scan<R> {
        Scan {
            inner: BufReader::with_capacity(64 << 10, inner),
            pos: Pos { line: 1, column: 1 },
            budget: u64::MAX,
            over: false,
        }
    }

    /// The position of the next byte.
    pub(crate) fn pos(&self) -> Pos {
        self.pos
    }

    /// Consumes `n` buffered bytes, counting lines.
    pub(crate) fn consume(&mut self, n: usize) {
        let buf = &self.inner.buffer()[..n];
        let lines = memchr::memchr_iter(b'\n', buf).count() as u64;
        if lines > 0 {
            self.pos.line += lines;
            let last = memchr::memrchr(b'\n', buf).unwrap_or(0);
            self.pos.column = (n - last) as u64;
        } else {
            self.pos.column += n as u64;
        }
        self.inner.consume(n);
    }

    /// Skips whitespace (and a UTF-8 byte-order mark at the very start); the next byte.
    pub(crate) fn skip_ws(&mut self) -> io::Result<Option<u8>> {
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            let n = buf
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(buf.len());
            let next = buf.get(n).copied();
            self.consume(n);
            if let Some(b) = next {
                return Ok(Some(b));
            }
        }
    }

    /// Skips a UTF-8 byte-order mark at the start.
    pub(crate) fn skip_bom(&mut self) -> io::Result<()> {
        if self.inner.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
            self.inner.consume(3);
        }
        Ok(())
    }

    /// Skips to the start of the next line, or to the end; the bytes skipped are not kept.
    pub(crate) fn skip_line(&mut self) -> io::Result<()> {
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    self.consume(i + 1);
                    return Ok(());
                }
                None => {
                    let n = buf.len();
                    self.consume(n);
                }
            }
        }
    }

    /// Reads one line into `line` (without its `\n`), keeping at most `limit` bytes: the rest
    /// of a longer line is skipped. `Ok(None)` at the end of the input, `Ok(Some(true))` when the
    /// line fitted.
    pub(crate) fn read_line(
        &mut self,
        line: &mut Vec<u8>,
        limit: usize,
    ) -> io::Result<Option<bool>> {
        line.clear();
        let mut fits = true;
        let mut any = false;
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(any.then_some(fits));
            }
            any = true;
            let (end, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i, true),
                None => (buf.len(), false),
            };
            if fits {
                if line.len() + end > limit {
                    fits = false;
                    line.clear();
                    line.shrink_to(64 << 10);
                } else {
                    line.extend_from_slice(&buf[..end]);
                }
            }
            self.consume(end + usize::from(done));
            if done {
                return Ok(Some(fits));
            }
        }
    }

    /// Reads one JSON value with serde_json from the next byte (an object, an array, a string
    /// or a literal; numbers are read by [`Scan::number`]), allowing it `budget` bytes.
    pub(crate) fn value<T: for<'de> Deserialize<'de>>(
        &mut self,
        budget: u64,
    ) -> Result<T, ValueError> {
        let start = self.pos;
        self.budget = budget;
        self.over = false;
        let mut de = serde_json::Deserializer::from_reader(&mut *self);
        let result = T::deserialize(&mut de);
        self.budget = u64::MAX;
        result.map_err(|e| {
            if self.over {
                return ValueError::TooLarge;
            }
            if e.is_io() {
                return ValueError::Io(e.into());
            }
            let (line, column) = if e.line() <= 1 {
                (
                    start.line,
                    start.column + (e.column() as u64).saturating_sub(1),
                )
            } else {
                (start.line + e.line() as u64 - 1, e.column() as u64)
            };
            let message = strip_position(&e.to_string());
            ValueError::Json {
                line,
                column,
                utf8: message.contains("unicode") || message.contains("UTF-8"),
                message,
            }
        })
    }

    /// Reads a number (or any run of bytes up to a delimiter) and parses it as JSON.
    pub(crate) fn number(&mut self) -> Result<Value, ValueError> {
        let start = self.pos;
        let mut token = Vec::new();
        loop {
            let buf = self.inner.fill_buf().map_err(ValueError::Io)?;
            let n = buf
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(buf.len());
            if token.len() + n > 64 {
                return Err(ValueError::Json {
                    line: start.line,
                    column: start.column,
                    message: "a number longer than 64 characters".into(),
                    utf8: false,
                });
            }
            token.extend_from_slice(&buf[..n]);
            let end = n < buf.len() || buf.is_empty();
            self.consume(n);
            if end {
                break;
            }
        }
        serde_json::from_slice(&token).map_err(|e| ValueError::Json {
            line: start.line,
            column: start.column + e.column().saturating_sub(1) as u64,
            message: strip_position(&e.to_string()),
            utf8: false,
        })
    }
}

/// serde_json's message without its ` at line L column C`.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

impl<R: Read> Read for Scan<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.inner.fill_buf()?;
        let mut n = buf.len().min(out.len());
        if n as u64 > self.budget {
            n = self.budget as usize;
            if n == 0 {
                self.over = true;
                return Err(io::Error::other("over budget"));
            }
        }
        out[..n].copy_from_slice(&buf[..n]);
        if self.budget != u64::MAX {
            self.budget -= n as u64;
        }
        self.consume(n);
        Ok(n)
    }
}
