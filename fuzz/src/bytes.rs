//! Reading fuzz input bytes as a stream of small choices.
//!
//! Every read succeeds: once the input is used up, reads give zero, so any input, however
//! short, decodes to something (usually the smallest choice). This is all the structure the
//! targets need, and it keeps the code path identical between the fuzz targets (nightly) and
//! the regression tests (`cargo test`, stable).

/// A cursor over fuzz input.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// Read `data` from the start.
    pub fn new(data: &'a [u8]) -> Bytes<'a> {
        Bytes { data }
    }

    /// The next byte, 0 when the input is used up.
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    /// A number in `0..n` (0 when `n` is 0 or the input is used up).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        if n <= 256 {
            usize::from(self.byte()) % n
        } else {
            (usize::from(self.byte()) << 8 | usize::from(self.byte())) % n
        }
    }

    /// True with probability about `1/n` (never once the input is used up).
    pub fn one_in(&mut self, n: u8) -> bool {
        n > 0 && self.byte() % n == n - 1
    }

    /// An element of a non-empty slice.
    pub fn pick<'s, T>(&mut self, items: &'s [T]) -> &'s T {
        &items[self.below(items.len())]
    }

    /// The bytes not read yet, all of them.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }

    /// Up to `max` raw bytes.
    pub fn take(&mut self, max: usize) -> &'a [u8] {
        let n = self.below(max + 1).min(self.data.len());
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        head
    }
}
