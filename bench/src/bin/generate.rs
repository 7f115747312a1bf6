//! Writes a seeded intake file for the end-to-end benchmark, the screening trio of many
//! practices: `client_id,date,sex,age`, then PHQ-9 (`phq9_1`…`phq9_10`), GAD-7 (`gad7_1`…`gad7_7`)
//! and AUDIT-C (`auditc_1`…`auditc_3`): 20 one-byte answers per row, drawn around one latent
//! severity per row so totals spread over every band, each cell empty with probability 2%.
//!
//! ```text
//! generate ROWS [SEED] > intake.csv
//! ```

use std::io::{self, BufWriter, Write};

/// The instruments of the file and their item counts.
const INSTRUMENTS: [(&str, u32); 3] = [("phq9", 10), ("gad7", 7), ("auditc", 3)];

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

const USAGE: &str = "usage: generate ROWS [SEED] > intake.csv

Writes a seeded intake file of ROWS rows (PHQ-9, GAD-7, AUDIT-C) to standard output.
SEED defaults to 20261121; the same ROWS and SEED give the same bytes on every machine.";

/// What the command line asks for.
enum Args {
    Help,
    Generate { rows: u64, seed: u64 },
}

/// `ROWS [SEED]`, or `-h`/`--help`; `None` for anything else.
fn parse(args: &[String]) -> Option<Args> {
    match args {
        [flag] if flag == "-h" || flag == "--help" => Some(Args::Help),
        [rows] => Some(Args::Generate {
            rows: rows.parse().ok()?,
            seed: 20_261_121,
        }),
        [rows, seed] => Some(Args::Generate {
            rows: rows.parse().ok()?,
            seed: seed.parse().ok()?,
        }),
        _ => None,
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (rows, seed) = match parse(&args) {
        Some(Args::Help) => {
            println!("{USAGE}");
            return Ok(());
        }
        Some(Args::Generate { rows, seed }) => (rows, seed),
        None => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    let mut rng = SplitMix64(seed);
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    out.write_all(b"client_id,date,sex,age")?;
    for (id, items) in INSTRUMENTS {
        for i in 1..=items {
            write!(out, ",{id}_{i}")?;
        }
    }
    out.write_all(b"\n")?;
    for row in 0..rows {
        // A client seen about five times, on a date in 2026.
        let client = rng.below(rows / 5 + 1);
        let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
        let sex = ["female", "male"][rng.below(2) as usize];
        let age = 18 + rng.below(70);
        write!(out, "C{client:07},2026-{month:02}-{day:02},{sex},{age}")?;
        // Severity 0–3 for the row; each answer is it, or one step either side, within the
        // item's answers (AUDIT-C items are 0–4).
        let severity = rng.below(4) as i64;
        for (_, items) in INSTRUMENTS {
            for _ in 0..items {
                out.write_all(b",")?;
                if rng.below(50) == 0 {
                    continue; // 2% missing
                }
                let answer = (severity + rng.below(3) as i64 - 1).clamp(0, 3);
                out.write_all(&[b'0' + answer as u8])?;
            }
        }
        out.write_all(b"\n")?;
        if row % 100_000 == 0 {
            out.flush()?;
        }
    }
    out.flush()
}
