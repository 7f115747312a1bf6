//! The corpus of malformed and hostile inputs under tests/data/bad. `cases.json` there names,
//! for each file, the command run on it, what it is, and what must come of it: the exit status,
//! each row's status, and text the output and the messages must contain. Every run that reads
//! rows must account for each of them: the final line `N rows read: …` adds up, and there is
//! one output row per row read. No input makes the program panic.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use crate::support::{Run, root, screenscore};

#[derive(Debug, Deserialize)]
struct Case {
    file: String,
    what: String,
    args: Vec<String>,
    exit: i32,
    statuses: Option<Vec<String>>,
    #[serde(default)]
    stderr: Vec<String>,
    #[serde(default)]
    stdout: Vec<String>,
    /// The file is named in `args` (a definition), not given as the input.
    #[serde(default)]
    input_in_args: bool,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(root().join("tests/data/bad/cases.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The statuses of the output rows (CSV: the one instrument's `{id}_status` column; JSON
/// Lines: `status`).
fn statuses(run: &Run, args: &[String]) -> Vec<String> {
    if args.iter().any(|a| a == "jsonl") {
        return run
            .stdout
            .lines()
            .map(|l| {
                let row: serde_json::Value = serde_json::from_str(l).unwrap();
                row["status"].as_str().unwrap().to_string()
            })
            .collect();
    }
    // The output is written with the separator read, unless told otherwise.
    let separator = |flag: &str| {
        let at = args.iter().position(|a| a == flag)?;
        match args.get(at + 1)?.as_str() {
            "tab" | "\\t" => Some(b'\t'),
            other => other.bytes().next(),
        }
    };
    let delimiter = separator("--out-delimiter")
        .or_else(|| separator("--delimiter"))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(run.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = header
        .iter()
        .position(|h| h.ends_with("_status"))
        .unwrap_or_else(|| panic!("no status column in {header:?}"));
    reader
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .collect()
}

/// `N rows read: a scored, b incomplete, c invalid, d absent` (`1 row read` for one row),
/// checked against the output; the attention summary may follow it.
pub fn assert_reconciled(run: &Run, statuses: &[String]) {
    let last = run
        .stderr
        .lines()
        .rfind(|line| line.contains(" read: "))
        .unwrap_or_default();
    let numbers: Vec<usize> = last
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let [rows, ok, incomplete, invalid, absent] = numbers[..] else {
        panic!("no reconciliation line: {last:?}\n{}", run.transcript());
    };
    let noun = if rows == 1 { "row" } else { "rows" };
    assert_eq!(
        last,
        format!(
            "{rows} {noun} read: {ok} scored, {incomplete} incomplete, {invalid} invalid, {absent} absent"
        )
    );
    assert_eq!(rows, ok + incomplete + invalid + absent, "{last}");
    assert_eq!(rows, statuses.len(), "one output row per row read");
    let count = |s: &str| statuses.iter().filter(|x| *x == s).count();
    assert_eq!(
        (ok, incomplete, invalid, absent),
        (
            count("ok"),
            count("incomplete"),
            count("invalid"),
            count("absent")
        ),
        "{last}"
    );
}

fn check(case: &Case) -> Result<(), String> {
    let mut args: Vec<&str> = case.args.iter().map(String::as_str).collect();
    let path = format!("tests/data/bad/{}", case.file);
    if !case.input_in_args {
        args.push(&path);
    }
    let run = screenscore(&args, b"");
    let context = || {
        format!(
            "{} ({}): {:?}\n{}",
            case.file,
            case.what,
            case.args,
            run.transcript()
        )
    };
    if run.code != case.exit {
        return Err(format!("exit {} expected\n{}", case.exit, context()));
    }
    for text in &case.stderr {
        if !run.stderr.contains(text.as_str()) {
            return Err(format!("stderr lacks {text:?}\n{}", context()));
        }
    }
    for text in &case.stdout {
        if !run.stdout.contains(text.as_str()) {
            return Err(format!("stdout lacks {text:?}\n{}", context()));
        }
    }
    if run.code == 2 {
        if !run.stdout.is_empty() || !run.stderr.starts_with("error: ") {
            return Err(format!(
                "a refused input gives one error and no output\n{}",
                context()
            ));
        }
        return Ok(());
    }
    let found = statuses(&run, &case.args);
    if let Some(expected) = &case.statuses
        && &found != expected
    {
        return Err(format!(
            "statuses {found:?}, expected {expected:?}\n{}",
            context()
        ));
    }
    assert_reconciled(&run, &found);
    Ok(())
}

#[test]
fn every_corpus_case_has_its_expected_outcome() {
    let failures: Vec<String> = cases().iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_corpus_file_has_a_case_and_the_corpus_is_large() {
    let named: BTreeSet<String> = cases().into_iter().map(|c| c.file).collect();
    let mut files = BTreeSet::new();
    let dir = root().join("tests/data/bad");
    for entry in walk(&dir) {
        let name = entry
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if name != "cases.json" && name != "README.md" {
            files.insert(name);
        }
    }
    assert_eq!(files, named);
    assert!(files.len() >= 40, "{} files", files.len());
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A 1 MB cell: passed through whole, and as an answer refused with the value cut short in the
/// message (the bad-cell report keeps it whole).
#[test]
fn a_one_megabyte_cell() {
    let big = "x".repeat(1 << 20);
    let input = format!("note,gad2_1,gad2_2\n{big},1,2\n0,{big},1\n");
    let dir = crate::support::temp_dir("megabyte-cell");
    let errors = dir.join("errors.csv");
    let errors_arg = errors.display().to_string();
    let run = screenscore(
        &["score", "-i", "gad2", "--errors", &errors_arg],
        input.as_bytes(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains(&format!("\n{big},3,ok,")));
    let message = format!(
        "gad2_1: \"\"{}…\"\" (1048576 characters) is not an answer",
        "x".repeat(40)
    );
    assert!(run.stdout.contains(&message));
    assert_reconciled(&run, &["ok".to_string(), "invalid".to_string()]);
    assert!(crate::support::read(&errors).contains(&format!(",gad2_1,{big},")));
}

/// 100,000 columns: every one passes through, in order, and the row is scored.
#[test]
fn one_hundred_thousand_columns() {
    let names: Vec<String> = (0..100_000).map(|c| format!("c{c}")).collect();
    let cells: Vec<String> = (0..100_000).map(|c| c.to_string()).collect();
    let input = format!(
        "{},gad2_1,gad2_2\n{},1,2\n",
        names.join(","),
        cells.join(",")
    );
    let run = screenscore(&["score", "-i", "gad2"], input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut lines = run.stdout.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with(&format!("{},gad2_total,", names.join(",")))
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with(&format!("{},3,ok,", cells.join(",")))
    );
    assert_reconciled(&run, &["ok".to_string()]);
}

/// A 2 GB line without a line break, streamed in: refused once the line passes 16 MiB, in
/// bounded memory, without reading the rest.
#[test]
fn a_two_gigabyte_line_without_a_line_break() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_screenscore"))
        .args(["score", "-i", "gad2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let chunk = vec![b'1'; 1 << 20];
        let mut written: u64 = 0;
        stdin.write_all(b"gad2_1,gad2_2\n1,").unwrap();
        // Stops when screenscore closes its input (a broken pipe), or after 2 GB.
        while written < 2 << 30 && stdin.write_all(&chunk).is_ok() {
            written += chunk.len() as u64;
        }
        written
    });
    let out = child.wait_with_output().unwrap();
    let written = feeder.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // Where it is, as a person counts: line 2, the first record (was a byte offset).
    assert_eq!(
        stderr.trim(),
        "error: cannot read the input: line 2 (record 1) is longer than 16 MiB: this is not a CSV intake file (or its line breaks are missing)"
    );
    assert!(written < 1 << 30, "read {written} bytes before stopping");
}

/// The line of a line too long is counted as an editor counts it, in a file with CRLF line
/// breaks and a blank line (the second record, on line 4).
#[test]
fn a_line_too_long_is_named_by_its_line() {
    let mut input = b"gad2_1,gad2_2\r\n1,2\r\n\r\n".to_vec();
    input.extend(vec![b'1'; 17 << 20]);
    let run = screenscore(&["score", "-i", "gad2"], &input);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "error: cannot read the input: line 4 (record 2) is longer than 16 MiB: this is not a CSV intake file (or its line breaks are missing)"
    );
}
