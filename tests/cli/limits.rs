//! Memory and time are bounded by the input's size, on any input: wide rows on several threads,
//! thousands of columns in JSON Lines, tens of thousands of column renames.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{screenscore, temp_dir};

/// The peak resident memory of a running process, in KiB (Linux), read while it runs.
#[cfg(target_os = "linux")]
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Rows of a 128 KiB free-text cell, scored on two threads: memory stays a few blocks of about
/// a megabyte each, not 512 rows per block (64 MiB a block, several blocks in flight).
#[cfg(target_os = "linux")]
#[test]
fn wide_rows_on_several_threads_keep_memory_flat() {
    let note = "x".repeat(128 << 10);
    let mut child = Command::new(env!("CARGO_BIN_EXE_screenscore"))
        .args([
            "score",
            "-i",
            "gad2",
            "--threads",
            "2",
            "-",
            "-o",
            "/dev/null",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"note,gad2_1,gad2_2\n").unwrap();
    let mut peak = 0;
    for i in 0..1200 {
        stdin
            .write_all(format!("{note},{},{}\n", i % 4, (i / 4) % 4).as_bytes())
            .unwrap();
        if i % 50 == 0 {
            peak = peak.max(peak_kib(pid).unwrap_or(0));
        }
    }
    // Written into the pipe means nearly all read: the peak so far is the run's.
    peak = peak.max(peak_kib(pid).unwrap_or(0));
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1200 rows read: 1200 scored"), "{stderr}");
    assert!(peak > 0, "no memory figure read");
    assert!(
        peak < 48 << 10,
        "peak {peak} KiB for 150 MiB of 128 KiB rows"
    );
}

/// Score `input` as JSON Lines, in less than 20 s: its one row's pass-through columns.
fn columns_in_json_lines(input: &str) -> serde_json::Map<String, serde_json::Value> {
    let start = Instant::now();
    let run = screenscore(
        &["score", "-i", "gad2", "--format", "jsonl"],
        input.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    let row: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    row["columns"].as_object().unwrap().clone()
}

#[test]
fn thousands_of_columns_named_alike_in_json_lines() {
    // 4,000 columns named `note` (a 28 kB file): keys note, note#2, … note#4000.
    let mut input = vec!["note"; 4000].join(",");
    input.push_str(",gad2_1,gad2_2\n");
    input.push_str(&",".repeat(3999));
    input.push_str(",1,2\n");
    let columns = columns_in_json_lines(&input);
    assert_eq!(columns.len(), 4000);
    assert!(columns.contains_key("note") && columns.contains_key("note#4000"));

    // 100,000 distinct columns.
    let names: Vec<String> = (0..100_000).map(|c| format!("c{c}")).collect();
    let input = format!(
        "{},gad2_1,gad2_2\n{},1,2\n",
        names.join(","),
        ",".repeat(99_999)
    );
    assert_eq!(columns_in_json_lines(&input).len(), 100_000);
}

#[test]
fn a_column_map_of_forty_thousand_renames() {
    let dir = temp_dir("big-map");
    let mut map = String::from("from,to\n");
    let mut header = Vec::new();
    for c in 0..40_000 {
        map.push_str(&format!("Export_{c},col_{c}\n"));
        header.push(format!("Export_{c}"));
    }
    map.push_str("Q1,gad2_1\nQ2,gad2_2\n");
    let path = dir.join("map.csv");
    std::fs::write(&path, map).unwrap();
    let input = format!("{},Q1,Q2\n{},1,2\n", header.join(","), ",".repeat(39_999));
    let start = Instant::now();
    let run = screenscore(
        &["score", "-i", "gad2", "--map", path.to_str().unwrap()],
        input.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(run.stdout.starts_with("col_0,col_1,"));
    assert!(run.stdout.contains(",col_39999,gad2_total,"));
}

/// Each thread keeps a block in flight: `--threads` is bounded (5,000 threads took 31 s and
/// 111 MB to score 14 rows).
#[test]
fn threads_are_bounded() {
    let run = screenscore(
        &["score", "-i", "gad2", "--threads", "5000"],
        b"gad2_1,gad2_2\n1,2\n",
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("invalid value '5000' for '--threads <N>': 5000 is not in 1..=64"),
        "{}",
        run.stderr
    );
    let run = screenscore(
        &["score", "-i", "gad2", "--threads", "64"],
        b"gad2_1,gad2_2\n1,2\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}
