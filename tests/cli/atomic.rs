//! Output files are written whole or not at all: a run that fails or is killed part-way leaves
//! an existing output file as it was.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{read, screenscore, temp_dir};

const OLD: &str = "the previous scores\n";

/// Temporary files screenscore left in `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn a_run_that_fails_part_way_leaves_the_output_file_as_it_was() {
    let dir = temp_dir("atomic-failure");
    let out = dir.join("scores.csv");
    std::fs::write(&out, OLD).unwrap();
    // Good rows, then a line too long to be a row: the run stops with exit 2.
    let mut input = b"gad2_1,gad2_2\n".to_vec();
    input.extend(b"1,2\n".repeat(1000));
    input.extend(vec![b'1'; 17 << 20]);
    let out_arg = out.display().to_string();
    let run = screenscore(&["score", "-i", "gad2", "-", "-o", &out_arg], &input);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(read(&out), OLD);
    assert_eq!(temporaries(&dir), Vec::<String>::new());
}

#[test]
fn a_killed_run_leaves_the_output_file_as_it_was() {
    let dir = temp_dir("atomic-kill");
    let out = dir.join("scores.csv");
    std::fs::write(&out, OLD).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_screenscore"))
        .args(["score", "-i", "gad2", "-", "-o"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"gad2_1,gad2_2\n").unwrap();
    // Rows until screenscore has written some of them (its temporary file grows), then kill
    // it mid-run with its input still open.
    let start = Instant::now();
    let mut written = false;
    while !written && start.elapsed() < Duration::from_secs(30) {
        stdin.write_all(&b"1,2\n".repeat(100_000)).unwrap();
        written = temporaries(&dir)
            .iter()
            .any(|t| std::fs::metadata(dir.join(t)).is_ok_and(|m| m.len() > 0));
    }
    assert!(written, "no output was being written");
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert_eq!(read(&out), OLD);
}
