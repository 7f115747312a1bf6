//! Files are written only where asked, never over an input, never readable by more people than
//! before; interrupted runs leave no temporary file; standard output and error that cannot be
//! written are handled without losing data silently or panicking.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Run, names, read, screenscore_in, temp_dir};

const OLD: &str = "the previous scores\n";
const GAD2: &str = "client,gad2_1,gad2_2\nc1,1,2\nc2,3,3\n";

/// The binary, run in `dir`.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_screenscore"));
    command.args(args).current_dir(dir);
    command
}

/// Run a shell command line (`$0` is the binary), in `dir`.
fn shell(dir: &Path, script: &str) -> Run {
    let out = Command::new("sh")
        .args(["-c", script, env!("CARGO_BIN_EXE_screenscore")])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    out.into()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A process waiting on its standard input, whose id is known before it writes anything: the
/// temporary file it is about to create can be planted ahead of it.
fn waiting(dir: &Path, args: &[&str]) -> Child {
    command(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_link_planted_at_the_temporary_name_is_not_followed() {
    let dir = temp_dir("planted-link");
    let outside = temp_dir("planted-link-outside");
    let target = outside.join("precious.txt");
    std::fs::write(&target, "precious\n").unwrap();
    // `stats -o` and `report` create their files after reading all of standard input.
    let mut child = waiting(&dir, &["stats", "-i", "gad2", "-o", "stats.txt"]);
    let pid = child.id();
    std::os::unix::fs::symlink(&target, dir.join(format!(".stats.txt.{pid}.tmp"))).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(GAD2.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(read(&target), "precious\n");
    assert!(read(&dir.join("stats.txt")).contains("alpha"));

    let reports = dir.join("reports");
    std::fs::create_dir(&reports).unwrap();
    let mut child = waiting(
        &dir,
        &[
            "report",
            "-i",
            "gad2",
            "--client-col",
            "client",
            "--date-col",
            "date",
            "--out-dir",
            "reports",
        ],
    );
    let pid = child.id();
    std::os::unix::fs::symlink(&target, reports.join(format!(".c1.html.{pid}.tmp"))).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"client,date,gad2_1,gad2_2\nc1,2026-01-01,1,2\n")
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(read(&target), "precious\n");
    assert!(read(&reports.join("c1.html")).contains("<html"));
}

#[test]
fn one_file_named_twice_is_refused() {
    let dir = temp_dir("two-spellings");
    std::fs::write(dir.join("in.csv"), GAD2).unwrap();
    std::fs::write(dir.join("out.csv"), OLD).unwrap();
    let run = screenscore_in(
        &dir,
        &[
            "score",
            "-i",
            "gad2",
            "in.csv",
            "-o",
            "out.csv",
            "--errors",
            "./out.csv",
        ],
        b"",
    );
    insta::assert_snapshot!(run.transcript(), @r"
    exit: 2
    --- stderr
    error: --errors ./out.csv is the same file as -o out.csv; give each output a file of its own
    ");
    assert_eq!(read(&dir.join("out.csv")), OLD);
    // Not yet existing, in two spellings.
    let run = screenscore_in(
        &dir,
        &[
            "score",
            "-i",
            "gad2",
            "in.csv",
            "-o",
            "new.csv",
            "--errors",
            &dir.join("new.csv").display().to_string(),
        ],
        b"",
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!dir.join("new.csv").exists());
}

#[test]
fn no_output_may_be_an_input() {
    let dir = temp_dir("inputs");
    std::fs::write(dir.join("in.csv"), GAD2).unwrap();
    let definition = read(&crate::support::root().join("instruments/gad2.json"));
    std::fs::write(dir.join("gad2.json"), &definition).unwrap();
    std::fs::write(dir.join("map.csv"), "from,to\nfirst,gad2_1\n").unwrap();
    std::os::unix::fs::symlink("in.csv", dir.join("link.csv")).unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["score", "-i", "gad2.json", "in.csv", "-o", "./gad2.json"],
            "error: -o ./gad2.json is the definition gad2.json; screenscore never writes over what it reads",
        ),
        (
            &[
                "score", "-i", "gad2", "--map", "map.csv", "in.csv", "--errors", "map.csv",
            ],
            "error: --errors map.csv is the column map map.csv; screenscore never writes over what it reads",
        ),
        (
            &["score", "-i", "gad2", "in.csv", "-o", "link.csv"],
            "error: -o link.csv is the input file in.csv; screenscore never writes over what it reads",
        ),
        (
            &["stats", "-i", "gad2.json", "in.csv", "-o", "gad2.json"],
            "error: -o gad2.json is the definition gad2.json; screenscore never writes over what it reads",
        ),
        (
            &[
                "norms", "-i", "gad2", "--map", "map.csv", "in.csv", "-o", "map.csv",
            ],
            "error: -o map.csv is the column map map.csv; screenscore never writes over what it reads",
        ),
    ];
    for (args, message) in cases {
        let run = screenscore_in(&dir, args, b"");
        assert_eq!((run.code, run.stderr.trim()), (2, message), "{args:?}");
    }
    // Norms files are inputs too.
    let built = screenscore_in(
        &dir,
        &["norms", "-i", "gad2", "in.csv", "-o", "norms.json"],
        b"",
    );
    assert_eq!(built.code, 0, "{}", built.stderr);
    let norms = read(&dir.join("norms.json"));
    let run = screenscore_in(
        &dir,
        &[
            "score",
            "-i",
            "gad2",
            "--norms",
            "norms.json",
            "in.csv",
            "-o",
            "norms.json",
        ],
        b"",
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is the norms file norms.json"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&dir.join("map.csv")), "from,to\nfirst,gad2_1\n");
    assert_eq!(read(&dir.join("gad2.json")), definition);
    assert_eq!(read(&dir.join("norms.json")), norms);
    assert_eq!(read(&dir.join("in.csv")), GAD2);
}

#[test]
fn the_file_behind_standard_input_is_never_written() {
    let dir = temp_dir("stdin-file");
    std::fs::write(dir.join("in.csv"), GAD2).unwrap();
    let run: Run = command(&dir, &["score", "-i", "gad2", "-o", "in.csv"])
        .stdin(std::fs::File::open(dir.join("in.csv")).unwrap())
        .output()
        .unwrap()
        .into();
    insta::assert_snapshot!(run.transcript(), @r"
    exit: 2
    --- stderr
    error: -o in.csv is the file on standard input; screenscore never writes over what it reads
    ");
    assert_eq!(read(&dir.join("in.csv")), GAD2);
}

#[test]
fn a_replaced_output_keeps_its_mode_and_a_new_one_follows_the_umask() {
    let dir = temp_dir("modes");
    std::fs::write(dir.join("in.csv"), GAD2).unwrap();
    for file in ["scored.csv", "errors.csv"] {
        std::fs::write(dir.join(file), OLD).unwrap();
        std::fs::set_permissions(dir.join(file), PermissionsExt::from_mode(0o600)).unwrap();
    }
    let run = shell(
        &dir,
        "umask 022; exec \"$0\" score -i gad2 in.csv -o scored.csv --errors errors.csv",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(mode(&dir.join("scored.csv")), 0o600);
    assert_eq!(mode(&dir.join("errors.csv")), 0o600);
    assert!(read(&dir.join("scored.csv")).starts_with("client,gad2_total"));
    // A group-readable file stays group-readable under a stricter umask.
    std::fs::set_permissions(dir.join("scored.csv"), PermissionsExt::from_mode(0o640)).unwrap();
    let run = shell(
        &dir,
        "umask 077; exec \"$0\" score -i gad2 in.csv -o scored.csv",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(mode(&dir.join("scored.csv")), 0o640);
    // New files: as the umask says.
    let run = shell(
        &dir,
        "umask 027; exec \"$0\" score -i gad2 in.csv -o new.csv",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(mode(&dir.join("new.csv")), 0o640);
    // Reports replaced with --force.
    let intake = "client,date,gad2_1,gad2_2\nc1,2026-01-01,1,2\n";
    std::fs::write(dir.join("visits.csv"), intake).unwrap();
    let report = "umask 022; exec \"$0\" report -i gad2 --client-col client --date-col date --out-dir reports --force visits.csv";
    assert_eq!(shell(&dir, report).code, 0);
    let page = dir.join("reports/c1.html");
    assert_eq!(mode(&page), 0o644);
    std::fs::set_permissions(&page, PermissionsExt::from_mode(0o600)).unwrap();
    assert_eq!(shell(&dir, report).code, 0);
    assert_eq!(mode(&page), 0o600);
    assert_eq!(names(&dir.join("reports")), ["c1.html"]);
}

/// Feed rows until the run's temporary file holds some output, then send `signal`.
fn interrupted(signal: &str, threads: &str) -> (Option<i32>, crate::support::TempDir, String) {
    let dir = temp_dir(&format!("signal-{signal}-{threads}"));
    let out = dir.join("scores.csv");
    std::fs::write(&out, OLD).unwrap();
    let mut child = command(
        &dir,
        &[
            "score",
            "-i",
            "gad2",
            "--threads",
            threads,
            "-",
            "-o",
            "scores.csv",
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"gad2_1,gad2_2\n").unwrap();
    let start = Instant::now();
    let growing = || {
        names(&dir).iter().any(|n| {
            n.ends_with(".tmp") && std::fs::metadata(dir.join(n)).is_ok_and(|m| m.len() > 0)
        })
    };
    while !growing() && start.elapsed() < Duration::from_secs(30) {
        stdin.write_all(&b"1,2\n".repeat(50_000)).unwrap();
    }
    assert!(growing(), "no output was being written");
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let mut stderr = String::new();
    let status = child.wait().unwrap();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    drop(stdin);
    (status.code(), dir, stderr)
}

#[test]
fn a_signal_removes_the_temporary_files_and_exits_128_plus_its_number() {
    for (signal, code, name) in [
        ("INT", 130, "interrupted"),
        ("TERM", 143, "terminated"),
        ("HUP", 129, "hung up"),
    ] {
        for threads in ["1", "2"] {
            let (status, dir, stderr) = interrupted(signal, threads);
            assert_eq!(status, Some(code), "SIG{signal}: {stderr}");
            assert!(stderr.contains(&format!("error: {name}; ")), "{stderr}");
            assert_eq!(
                names(&dir),
                ["scores.csv"],
                "SIG{signal} left a temporary file"
            );
            assert_eq!(read(&dir.join("scores.csv")), OLD);
        }
    }
}

#[test]
fn a_closed_standard_output_is_an_error() {
    let dir = temp_dir("closed-stdout");
    std::fs::write(dir.join("in.csv"), GAD2).unwrap();
    let run = shell(&dir, "exec \"$0\" score -i gad2 in.csv >&-");
    insta::assert_snapshot!(run.transcript(), @r"
    exit: 2
    --- stderr
    error: standard output is closed (or is /dev/null opened for reading and writing), so the output would be lost; give -o FILE (or -o /dev/null to discard it)
    ");
    // Discarding it on purpose is fine, with a redirection or with -o.
    assert_eq!(
        shell(&dir, "exec \"$0\" score -i gad2 in.csv >/dev/null").code,
        0
    );
    assert_eq!(
        shell(&dir, "exec \"$0\" score -i gad2 in.csv -o /dev/null >&-").code,
        0
    );
    assert_eq!(shell(&dir, "exec \"$0\" instruments show gad2 >&-").code, 2);
}

#[test]
fn a_standard_error_that_cannot_be_written_does_not_stop_the_run() {
    let dir = temp_dir("closed-stderr");
    std::fs::write(dir.join("in.csv"), GAD2.replace("c2,3,3", "c2,3,9")).unwrap();
    // /dev/full fails every write; a closed descriptor is reopened on /dev/null.
    for redirect in ["2>/dev/full", "2>&-"] {
        let run = shell(
            &dir,
            &format!("exec \"$0\" score -i gad2 in.csv -o out.csv {redirect}"),
        );
        assert_eq!(run.code, 1, "{redirect}: {}", run.stderr);
        assert!(read(&dir.join("out.csv")).contains("c2,,invalid"));
        let run = shell(
            &dir,
            &format!("exec \"$0\" score -i nothing in.csv {redirect}"),
        );
        assert_eq!(run.code, 2, "{redirect}");
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_run_quietly() {
    let dir = temp_dir("broken-pipe");
    let mut rows = String::from("gad2_1,gad2_2\n");
    for i in 0..200_000 {
        rows.push_str(&format!("{},{}\n", i % 4, (i / 4) % 4));
    }
    std::fs::write(dir.join("in.csv"), rows).unwrap();
    for threads in ["1", "2"] {
        let mut child = command(
            &dir,
            &["score", "-i", "gad2", "--threads", threads, "in.csv"],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert_eq!(
            first,
            "gad2_total,gad2_status,gad2_flags,gad2_error,gad2_notes\n"
        );
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(!stderr.contains("error"), "{stderr}");
    }
}

#[test]
fn definitions_maps_and_norms_must_be_small_regular_files() {
    let dir = temp_dir("small-files");
    std::fs::write(dir.join("in.csv"), GAD2).unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &["score", "-i", "/dev/zero", "in.csv"],
            "error: cannot read instrument definition /dev/zero: it is not a regular file (a directory, device or pipe); give the path of a file",
        ),
        (
            &["score", "-i", "gad2", "--map", "/dev/zero", "in.csv"],
            "error: cannot read the column map /dev/zero: it is not a regular file (a directory, device or pipe); give the path of a file",
        ),
        (
            &["score", "-i", "gad2", "--norms", "/dev/zero", "in.csv"],
            "error: cannot read norms file /dev/zero: it is not a regular file (a directory, device or pipe); give the path of a file",
        ),
    ];
    for (args, message) in cases {
        let run = screenscore_in(&dir, args, b"");
        assert_eq!((run.code, run.stderr.trim()), (2, message));
    }
    let big = std::fs::File::create(dir.join("big.json")).unwrap();
    big.set_len(17 << 20).unwrap();
    let run = screenscore_in(&dir, &["instruments", "check", "big.json"], b"");
    assert_eq!(
        (run.code, run.stderr.trim()),
        (
            2,
            "error: cannot read instrument definition big.json: it is larger than 16 MiB, far larger than such a file is"
        )
    );
}

#[test]
fn change_over_time_reads_a_named_pipe_into_memory() {
    let dir = temp_dir("change-fifo");
    let fifo = dir.join("visits.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::fs::write(
                fifo,
                "client,date,gad2_1,gad2_2\nc1,2026-02-01,0,1\nc1,2026-01-01,3,3\n",
            )
            .unwrap();
        })
    };
    let run = screenscore_in(
        &dir,
        &[
            "score",
            "-i",
            "gad2",
            "--client-col",
            "client",
            "--date-col",
            "date",
            "visits.csv",
        ],
        b"",
    );
    writer.join().unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        crate::support::cell(&run.stdout, 0, "gad2_total_change_first"),
        "-5"
    );
}
