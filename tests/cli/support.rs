//! Running the binary and reading what it printed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What a run printed, and its exit status.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit status, stdout and stderr, for a snapshot.
    pub fn transcript(&self) -> String {
        let mut text = format!("exit: {}\n", self.code);
        if !self.stdout.is_empty() {
            text.push_str("--- stdout\n");
            text.push_str(&self.stdout);
        }
        if !self.stderr.is_empty() {
            text.push_str("--- stderr\n");
            text.push_str(&self.stderr);
        }
        text
    }
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Run `screenscore` with `args` in the repository root, feeding `stdin`.
pub fn screenscore(args: &[&str], stdin: &[u8]) -> Run {
    screenscore_in(&root(), args, stdin)
}

/// Run `screenscore` with `args` in `dir`, feeding `stdin` through a pipe.
pub fn screenscore_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_screenscore"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out.into()
}

/// Score `input` (given on stdin) with the instruments, and check that nothing was lost:
/// unless the run failed outright, every input record gives exactly one output record.
pub fn score(instruments: &[&str], extra: &[&str], input: &[u8]) -> Run {
    let mut args = vec!["score"];
    for i in instruments {
        args.extend(["-i", i]);
    }
    args.extend(extra);
    let run = screenscore(&args, input);
    if run.code != 2 && !extra.contains(&"-o") && !extra.contains(&"jsonl") {
        assert_eq!(
            records(run.stdout.as_bytes()).len(),
            records(input).len(),
            "rows in must equal rows out\n{}",
            run.transcript()
        );
    }
    run
}

/// The records of a CSV text, header included.
pub fn records(csv: &[u8]) -> Vec<csv::ByteRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv)
        .byte_records()
        .map(Result::unwrap)
        .collect()
}

/// The cell of `column` in data row `row` (0-based) of a CSV text.
pub fn cell(csv: &str, row: usize, column: &str) -> String {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let c = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column} in {header:?}"));
    let record = reader.records().nth(row).unwrap().unwrap();
    record[c].to_string()
}

/// The rows of a CSV text as maps column → cell.
pub fn rows(csv: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// The repository root (where the binary runs).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under tests/data.
pub fn data(path: &str) -> String {
    root().join("tests/data").join(path).display().to_string()
}

/// A fresh empty directory for one test, removed when the test ends well (kept, to look at,
/// when it fails): a run of the suite leaves nothing behind (the generated golden files alone
/// are hundreds of MB).
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A fresh empty directory for one test (see [`TempDir`]).
pub fn temp_dir(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("screenscore-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// `phq9_1,…,phq9_9` and so on.
pub fn columns(id: &str, items: impl IntoIterator<Item = u32>) -> String {
    items
        .into_iter()
        .map(|i| format!("{id}_{i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The names of the entries of `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}
