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
    // On several threads the output is written on a thread of its own, stopped on failure.
    for threads in ["1", "2"] {
        let run = screenscore(
            &[
                "score",
                "-i",
                "gad2",
                "--threads",
                threads,
                "-",
                "-o",
                &out_arg,
            ],
            &input,
        );
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(read(&out), OLD);
        assert_eq!(temporaries(&dir), Vec::<String>::new());
    }
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

/// `-o` naming something that is not a regular file (a named pipe here; `/dev/null` alike) is
/// written to directly: renaming a file over it would replace the pipe or device with a file.
#[cfg(unix)]
#[test]
fn output_to_a_named_pipe_keeps_the_pipe() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;

    let dir = temp_dir("atomic-fifo");
    let fifo = dir.join("scores");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let fifo_arg = fifo.display().to_string();
    let run = screenscore(
        &["score", "-i", "gad2", "-", "-o", &fifo_arg],
        b"gad2_1,gad2_2\n1,2\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Checked before waiting for the reader, which would wait forever on a replaced pipe.
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(temporaries(&dir), Vec::<String>::new());
    assert_eq!(
        reader.join().unwrap(),
        "gad2_total,gad2_status,gad2_flags,gad2_error,gad2_notes\n3,ok,positive_screen,,\n"
    );
}
