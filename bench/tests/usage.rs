//! The benchmark's programs answer `--help` with their usage (exit 0) and a wrong call with it
//! on standard error (exit 2 for the generator), never with a panic.

use std::process::Command;

fn run(program: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(program).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn generate_prints_its_usage_on_help() {
    for flag in ["--help", "-h"] {
        let (code, stdout, stderr) = run(env!("CARGO_BIN_EXE_generate"), &[flag]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.starts_with("usage: generate ROWS [SEED]"),
            "{stdout}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn generate_gives_its_usage_for_a_wrong_call() {
    for args in [&[][..], &["many"], &["10", "seed"], &["1", "2", "3"]] {
        let (code, stdout, stderr) = run(env!("CARGO_BIN_EXE_generate"), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty());
        assert!(
            stderr.starts_with("usage: generate ROWS [SEED]"),
            "{stderr}"
        );
    }
}

#[test]
fn generate_writes_the_rows_asked_for() {
    let (code, stdout, _) = run(env!("CARGO_BIN_EXE_generate"), &["3", "7"]);
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 4);
    assert!(stdout.starts_with("client_id,date,sex,age,phq9_1,"));
}

#[test]
fn baseline_prints_its_usage_on_help() {
    let (code, stdout, _) = run(env!("CARGO_BIN_EXE_baseline"), &["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("usage: baseline INPUT"), "{stdout}");
}
