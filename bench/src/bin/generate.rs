//! Writes a seeded intake file for the end-to-end benchmark: `client_id,date,phq9_1,…,phq9_10`,
//! answers 0–3 drawn from one latent severity per row so totals spread over every band, each
//! cell empty with probability 2%.
//!
//! ```text
//! generate ROWS [SEED] > intake.csv
//! ```

use std::io::{self, BufWriter, Write};

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, and the same numbers on every machine.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: generate ROWS [SEED]";
    let rows: u64 = args.next().and_then(|a| a.parse().ok()).expect(usage);
    let seed: u64 = args.next().map_or(20_261_121, |a| a.parse().expect(usage));
    let mut rng = SplitMix64(seed);
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    out.write_all(b"client_id,date,")?;
    let items: Vec<String> = (1..=10).map(|i| format!("phq9_{i}")).collect();
    out.write_all(items.join(",").as_bytes())?;
    out.write_all(b"\n")?;
    for row in 0..rows {
        // A client seen about five times, on a date in 2026.
        let client = rng.below(rows / 5 + 1);
        let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
        write!(out, "C{client:07},2026-{month:02}-{day:02}")?;
        // Severity 0–3 for the row; each answer is it, or one step either side.
        let severity = rng.below(4) as i64;
        for _ in 0..10 {
            out.write_all(b",")?;
            if rng.below(50) == 0 {
                continue; // 2% missing
            }
            let answer = (severity + rng.below(3) as i64 - 1).clamp(0, 3);
            out.write_all(&[b'0' + answer as u8])?;
        }
        out.write_all(b"\n")?;
        if row % 100_000 == 0 {
            out.flush()?;
        }
    }
    out.flush()
}
