//! Text rendered once and copied after: a scale's standard scores depend only on its score and
//! the stratum it is placed in, and scores take few values, so the CSV writer renders each
//! block of standard-score cells once and copies it for every row with the same score and
//! stratum (formatting seven numbers per row cost more than reading and scoring the row).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The most blocks kept: far more than a scale's scores and strata (PHQ-9: 28 scores), few
/// enough to stay small (a block is about 120 bytes). Past it, blocks are rendered each time.
const MAX_ENTRIES: usize = 1 << 16;

/// What a block is known by.
pub(crate) type Key = (u32, u32, usize, u64);

/// Blocks of rendered text by key.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    index: HashMap<Key, (u32, u32), BuildHasherDefault<Fx>>,
    text: Vec<u8>,
}

impl Rendered {
    /// The text kept for `key`.
    #[inline]
    pub(crate) fn get(&self, key: &Key) -> Option<&[u8]> {
        let &(start, end) = self.index.get(key)?;
        Some(&self.text[start as usize..end as usize])
    }

    /// Keep `text` for `key`, unless the cache is full.
    pub(crate) fn insert(&mut self, key: Key, text: &[u8]) {
        if self.index.len() >= MAX_ENTRIES {
            return;
        }
        let start = self.text.len();
        self.text.extend_from_slice(text);
        self.index
            .insert(key, (start as u32, self.text.len() as u32));
    }
}

/// The hash of rustc's own tables (FxHash): a multiply and a rotate per word. The keys are
/// made by the writer, not by the input, so a hash that resists crafted keys is not needed.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    #[inline]
    fn write_u32(&mut self, word: u32) {
        self.write_u64(u64::from(word));
    }

    #[inline]
    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Rendered;

    #[test]
    fn kept_text_comes_back() {
        let mut cache = Rendered::default();
        cache.insert((0, 1, 42, 7.0f64.to_bits()), b"1.5,65");
        cache.insert((0, 1, 42, 8.0f64.to_bits()), b"2,70");
        assert_eq!(
            cache.get(&(0, 1, 42, 7.0f64.to_bits())),
            Some(&b"1.5,65"[..])
        );
        assert_eq!(cache.get(&(0, 1, 42, 8.0f64.to_bits())), Some(&b"2,70"[..]));
        assert_eq!(cache.get(&(0, 1, 43, 8.0f64.to_bits())), None);
    }
}
