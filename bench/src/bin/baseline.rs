//! The baseline of the end-to-end benchmark: what reading the intake file costs. It reads every
//! record with the csv crate into one reused buffer, sums the one-byte item cells (every column
//! after the first four: client, date, sex, age), and writes the totals as CSV. screenscore does this and everything
//! else (validation, statuses, bands, flags, pass-through columns); the benchmark reports its
//! speed as a share of this program's.
//!
//! ```text
//! baseline INPUT > totals.csv
//! ```

use std::io::{self, BufWriter};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: baseline INPUT")?;
    if path == "-h" || path == "--help" {
        println!(
            "usage: baseline INPUT > totals.csv\n\nSums the item cells of each row of INPUT (every column after the first four)."
        );
        return Ok(());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)?;
    let mut writer =
        csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, io::stdout().lock()));
    let mut record = csv::ByteRecord::new();
    reader.read_byte_record(&mut record)?;
    writer.write_record(["total"])?;
    let mut digits = [0u8; 10];
    while reader.read_byte_record(&mut record)? {
        let mut total = 0u32;
        for cell in record.iter().skip(4) {
            if let [digit @ b'0'..=b'9'] = cell {
                total += u32::from(digit - b'0');
            }
        }
        writer.write_record([format_total(total, &mut digits)])?;
    }
    writer.flush()?;
    Ok(())
}

/// The decimal digits of `n`, written into `buf` without allocating.
fn format_total(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}
