//! Outputs held byte for byte: what `score`, `--errors` and `report` write for the example
//! intake, in every mode, is kept under tests/data/golden (written by the code as it stood
//! before the row model was rebuilt), and what they write for a generated 100,000-row file is
//! kept as a digest. A change to any output shows here first; a deliberate one is re-recorded
//! with `SCREENSCORE_BLESS=1 cargo test --test cli golden`, and says why in its commit.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{names, root, temp_dir};

/// Where the kept outputs are.
fn golden(name: &str) -> PathBuf {
    root().join("tests/data/golden").join(name)
}

fn blessing() -> bool {
    std::env::var_os("SCREENSCORE_BLESS").is_some()
}

/// Run the binary in the repository root with a fixed report date; its exit status.
fn run(args: &[&str]) -> i32 {
    let out = Command::new(env!("CARGO_BIN_EXE_screenscore"))
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1780000000")
        .output()
        .expect("the binary runs");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code < 2,
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    code
}

/// Compare `file` with the kept output `name` (or keep it, when blessing).
fn check(file: &Path, name: &str) -> Option<String> {
    let got = std::fs::read(file).unwrap();
    let path = golden(name);
    if blessing() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
        return None;
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (got != want).then(|| format!("{name} differs from tests/data/golden/{name}"))
}

const INSTRUMENTS: [&str; 8] = ["-i", "phq9", "-i", "gad7", "-i", "auditc", "-i", "cffs"];
const CHANGE: [&str; 4] = ["--client-col", "client_id", "--date-col", "date"];

/// The modes of `score` kept: name, extra arguments.
fn modes() -> Vec<(&'static str, Vec<&'static str>)> {
    let standard = vec!["--standard"];
    let change: Vec<&str> = [&["--standard"][..], &CHANGE].concat();
    vec![
        ("plain", vec![]),
        ("standard", standard),
        ("change", change),
    ]
}

#[test]
fn the_example_scores_and_reports_are_as_kept() {
    let dir = temp_dir("golden-example");
    let mut differ = Vec::new();
    for (mode, extra) in modes() {
        for format in ["csv", "jsonl"] {
            let out = dir.join(format!("{mode}.{format}"));
            let errors = dir.join(format!("{mode}-{format}-errors.csv"));
            let (out_arg, errors_arg) = (out.display().to_string(), errors.display().to_string());
            let mut args = vec!["score"];
            args.extend(INSTRUMENTS);
            args.extend(extra.iter().copied());
            args.extend(["--format", format, "-o", &out_arg, "--errors", &errors_arg]);
            args.push("examples/intake.csv");
            run(&args);
            differ.extend(check(&out, &format!("example/{mode}.{format}")));
            differ.extend(check(&errors, &format!("example/{mode}-errors.csv")));
        }
    }
    for format in ["md", "json"] {
        let out = dir.join(format!("reports-{format}"));
        let out_arg = out.display().to_string();
        let mut args = vec!["report"];
        args.extend(INSTRUMENTS);
        args.extend(CHANGE);
        args.extend([
            "--format",
            format,
            "--out-dir",
            &out_arg,
            "examples/intake.csv",
        ]);
        run(&args);
        for name in names(&out) {
            differ.extend(check(&out.join(&name), &format!("example/reports/{name}")));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// SplitMix64 (Steele, Lea & Flood 2014): the same numbers on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

/// 100,000 rows of PHQ-9, GAD-7 and AUDIT-C from 20,000 clients, in no particular order: 2% of
/// answers blank, some bad cells, notes with commas and quotes, sexes and ages for the norm
/// strata, a few rows without a client or a readable date and a few repeated dates.
fn generated() -> String {
    let mut rng = Rng(20261203);
    let mut text = String::from("client_id,date,sex,age,note");
    for (id, items) in [("phq9", 10), ("gad7", 7), ("auditc", 3)] {
        for i in 1..=items {
            let _ = write!(text, ",{id}_{i}");
        }
    }
    text.push('\n');
    for _ in 0..100_000 {
        let client = rng.below(20_000);
        match rng.below(200) {
            0 => text.push(','),
            _ => {
                let _ = write!(text, "C{client:05},");
            }
        }
        match rng.below(300) {
            0 => text.push_str("not a date,"),
            _ => {
                let day = rng.below(365);
                let (month, day) = (1 + day / 31, 1 + day % 28);
                let _ = write!(text, "2026-{month:02}-{day:02},");
            }
        }
        let sex = ["F", "M", "", "female", "x"][rng.below(5) as usize];
        let _ = write!(text, "{sex},{},", 18 + rng.below(70));
        match rng.below(20) {
            0 => text.push_str("\"said \"\"fine\"\", slept badly\""),
            1 => text.push_str("first visit"),
            _ => {}
        }
        let severity = rng.below(4);
        for (_, items, top) in [("phq9", 10, 4), ("gad7", 7, 4), ("auditc", 3, 5)] {
            for _ in 0..items {
                text.push(',');
                match rng.below(100) {
                    0 | 1 => {}
                    2 if rng.below(10) == 0 => text.push('9'),
                    _ => {
                        let value = (severity + rng.below(3)).saturating_sub(1).min(top - 1);
                        let _ = write!(text, "{value}");
                    }
                }
            }
        }
        text.push('\n');
    }
    text
}

/// FNV-1a (64 bits) of a file and its length: enough to notice any change in a file kept as a
/// digest.
fn digest(file: &Path) -> String {
    use std::io::Read;
    let mut reader = std::fs::File::open(file).unwrap();
    let (mut hash, mut length) = (0xcbf2_9ce4_8422_2325_u64, 0);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        for &b in &buf[..n] {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
        }
        length += n;
    }
    format!("{hash:016x} {length}")
}

#[test]
fn a_generated_hundred_thousand_rows_score_as_kept() {
    let dir = temp_dir("golden-generated");
    let input = dir.join("intake.csv");
    std::fs::write(&input, generated()).unwrap();
    let input_arg = input.display().to_string();
    let mut digests = String::new();
    // Every mode as CSV, change over time also as JSON Lines (the example covers the others).
    for (mode, extra) in modes() {
        let formats: &[&str] = if mode == "change" {
            &["csv", "jsonl"]
        } else {
            &["csv"]
        };
        for &format in formats {
            let out = dir.join(format!("{mode}.{format}"));
            let errors = dir.join(format!("{mode}-errors.csv"));
            let (out_arg, errors_arg) = (out.display().to_string(), errors.display().to_string());
            let mut args = vec!["score", "-i", "phq9", "-i", "gad7", "-i", "auditc"];
            args.extend(extra.iter().copied());
            args.extend(["--format", format, "-o", &out_arg, "--errors", &errors_arg]);
            args.push(&input_arg);
            run(&args);
            let _ = writeln!(digests, "{mode}.{format} {}", digest(&out));
            if format == "csv" {
                let _ = writeln!(digests, "{mode}-errors.csv {}", digest(&errors));
            }
        }
    }
    let path = golden("generated-digests.txt");
    if blessing() {
        std::fs::write(&path, &digests).unwrap();
        return;
    }
    assert_eq!(digests, std::fs::read_to_string(&path).unwrap());
}
