//! What a person meets at the terminal (issue 15, "The terminal"): the attention summary,
//! `--quiet`, progress only on a terminal, completions and the manual page, forgiving
//! instrument ids, one meaning per flag, one exit-status rule, and the grammar of counts.

use std::path::Path;
use std::process::Command;

use crate::support::{root, screenscore, temp_dir};

const EXAMPLE: [&str; 6] = ["score", "-i", "phq9", "-i", "gad7", "examples/intake.csv"];

#[test]
fn score_says_what_needs_attention_after_its_counts() {
    let run = screenscore(&EXAMPLE, b"");
    assert_eq!(run.code, 1);
    // Records 2, 8 and 12 (client C002) answer PHQ-9 item 9 with 3, 2 and 1; records 6 and 14
    // (C006, C008) leave it blank.
    insta::assert_snapshot!(run.stderr, @"
    14 rows read: 11 scored, 1 incomplete, 2 invalid, 0 absent
    attention: phq9 item9_positive: Thoughts of death or self-harm (item 9 answered 1 or more): assess risk today — 3 rows: records 2, 8, 12
    attention: phq9 critical item 9 left unanswered (column phq9_9): Thoughts of death or self-harm — 2 rows: records 6, 14
    ");
}

#[test]
fn with_a_client_column_the_summary_names_the_clients() {
    let mut args = EXAMPLE.to_vec();
    args.extend(["--client-col", "client_id", "--date-col", "date"]);
    let run = screenscore(&args, b"");
    insta::assert_snapshot!(run.stderr, @"
    14 rows read: 11 scored, 1 incomplete, 2 invalid, 0 absent
    attention: phq9 item9_positive: Thoughts of death or self-harm (item 9 answered 1 or more): assess risk today — 3 rows: records 2, 8, 12 (client C002)
    attention: phq9 critical item 9 left unanswered (column phq9_9): Thoughts of death or self-harm — 2 rows: records 6, 14 (clients C006, C008)
    ");
}

#[test]
fn a_long_list_of_records_is_cut_and_says_how_many_more() {
    let mut input =
        String::from("id,phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9\n");
    for n in 1..=12 {
        input.push_str(&format!("c{n},0,0,0,0,0,0,0,0,1\n"));
    }
    let run = screenscore(&["score", "-i", "phq9", "-"], input.as_bytes());
    insta::assert_snapshot!(run.stderr, @"
    12 rows read: 12 scored, 0 incomplete, 0 invalid, 0 absent
    attention: phq9 item9_positive: Thoughts of death or self-harm (item 9 answered 1 or more): assess risk today — 12 rows: records 1, 2, 3, 4, 5 and 7 more
    ");
}

#[test]
fn quiet_silences_notices_and_the_summary_but_not_warnings_or_counts() {
    let args = [
        "-i",
        "phq9",
        "-i",
        "cffs",
        "-i",
        "gad2",
        "examples/intake.csv",
    ];
    let loud = screenscore(&[&["score"][..], &args].concat(), b"");
    let global = screenscore(&[&["--quiet", "score"][..], &args].concat(), b"");
    let local = screenscore(&[&["score", "-q"][..], &args].concat(), b"");
    insta::assert_snapshot!(loud.stderr, @"
    notice: cffs is UNVALIDATED: it is not a validated instrument and its scores are not for clinical decisions; its rows say so in cffs_notes
    warning: gad2: the input has no column for any of its items (gad2_1 … gad2_2); it is `absent` in every row
    14 rows read: 11 scored, 2 incomplete, 1 invalid, 0 absent
    attention: phq9 item9_positive: Thoughts of death or self-harm (item 9 answered 1 or more): assess risk today — 3 rows: records 2, 8, 12
    attention: phq9 critical item 9 left unanswered (column phq9_9): Thoughts of death or self-harm — 2 rows: records 6, 14
    ");
    insta::assert_snapshot!(global.stderr, @"
    warning: gad2: the input has no column for any of its items (gad2_1 … gad2_2); it is `absent` in every row
    14 rows read: 11 scored, 2 incomplete, 1 invalid, 0 absent
    ");
    assert_eq!(local.stderr, global.stderr);
    assert_eq!((loud.code, global.code, local.code), (1, 1, 1));
    assert_eq!(loud.stdout, global.stdout);
    // Errors are never silenced.
    let error = screenscore(&["score", "-q", "-i", "phq8", "-"], b"");
    assert_eq!(error.code, 2);
    assert!(error.stderr.starts_with("error: unknown instrument `phq8`"));
}

#[test]
fn report_says_what_needs_attention_and_which_rows_were_invalid() {
    let out = temp_dir("terminal-report");
    let run = crate::report::report(&crate::report::EXAMPLE, &out);
    assert_eq!(run.code, 1);
    let stderr = run.stderr.replace(out.to_str().unwrap(), "OUT");
    insta::assert_snapshot!(stderr, @"
    14 rows read: 11 scored, 1 incomplete, 2 invalid, 0 absent
    attention: phq9 item9_positive: Thoughts of death or self-harm (item 9 answered 1 or more): assess risk today — 3 rows: records 2, 8, 12 (client C002)
    attention: phq9 critical item 9 left unanswered (column phq9_9): Thoughts of death or self-harm — 2 rows: records 6, 14 (clients C006, C008)
    warning: 2 rows are invalid: records 5, 6 (clients C005, C006); they are in the reports as not scored, and every report was still written (`screenscore score --errors FILE` lists each bad cell)
    wrote 8 html reports to OUT
    ");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 8);
}

/// The scores file and standard error of one run of `score` over a file of `rows` rows; with
/// `terminal`, standard error (and output) is a terminal, made by `script`.
fn score_large(dir: &Path, rows: usize, terminal: bool) -> Option<(Vec<u8>, String)> {
    let input = dir.join("large.csv");
    if !input.exists() {
        let mut text =
            String::from("client,date,gad7_1,gad7_2,gad7_3,gad7_4,gad7_5,gad7_6,gad7_7\n");
        for n in 0..rows {
            let a = n % 4;
            text.push_str(&format!(
                "c{},2026-01-{:02},{a},1,2,{a},0,1,3\n",
                n % 97,
                1 + n % 28
            ));
        }
        std::fs::write(&input, text).unwrap();
    }
    let name = if terminal { "tty.csv" } else { "pipe.csv" };
    let output = dir.join(name);
    let bin = env!("CARGO_BIN_EXE_screenscore");
    let args = [
        "score",
        "-i",
        "gad7",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ];
    let stderr = if terminal {
        let line = std::iter::once(bin)
            .chain(args)
            .map(|a| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(" ");
        let out = Command::new("script")
            .args(["-q", "-e", "-c", &line, "/dev/null"])
            .env("TERM", "xterm")
            .output()
            .ok()?;
        if !out.status.success() && !output.exists() {
            return None;
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    } else {
        let out = Command::new(bin).args(args).output().unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    Some((std::fs::read(&output).unwrap(), stderr))
}

#[test]
fn progress_is_drawn_only_on_a_terminal_and_changes_no_output() {
    let dir = temp_dir("terminal-progress");
    let (piped, stderr) = score_large(&dir, 60_000, false).unwrap();
    // Standard error is a pipe here: the messages alone, no progress line, no escape codes.
    assert_eq!(
        stderr,
        "60000 rows read: 60000 scored, 0 incomplete, 0 invalid, 0 absent\n"
    );
    let Some((on_terminal, transcript)) = score_large(&dir, 60_000, true) else {
        eprintln!("`script` is not available: progress on a terminal not checked");
        return;
    };
    assert!(on_terminal == piped, "the scores differ with a terminal");
    assert!(transcript.contains("60000 rows read"), "{transcript}");
    assert!(
        transcript.contains(" rows, ") && transcript.contains(" MB read"),
        "no progress line on a terminal: {transcript:?}"
    );
}

#[test]
fn completions_are_written_for_each_shell_and_know_the_subcommands() {
    let subcommands = [
        "score",
        "report",
        "outcomes",
        "norms",
        "stats",
        "instruments",
        "completions",
        "man",
    ];
    let marks = [
        ("bash", "complete -F"),
        ("zsh", "#compdef screenscore"),
        ("fish", "complete -c screenscore"),
        ("powershell", "Register-ArgumentCompleter"),
    ];
    for (shell, mark) in marks {
        let run = screenscore(&["completions", shell], b"");
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(mark), "{shell}: no {mark:?}");
        for sub in subcommands {
            assert!(run.stdout.contains(sub), "{shell}: no {sub}");
        }
        assert!(run.stdout.contains("client-col"), "{shell}: no options");
    }
    // The bash script is bash.
    let bash = screenscore(&["completions", "bash"], b"");
    let dir = temp_dir("terminal-completions");
    let script = dir.join("screenscore.bash");
    std::fs::write(&script, &bash.stdout).unwrap();
    if let Ok(out) = Command::new("bash").arg("-n").arg(&script).output() {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let unknown = screenscore(&["completions", "tcsh"], b"");
    assert_eq!(unknown.code, 2);
}

#[test]
fn the_manual_is_roff_with_a_page_per_subcommand() {
    let run = screenscore(&["man"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq\n"));
    let titles: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix(".TH "))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    insta::assert_snapshot!(titles.join("\n"), @"
    screenscore
    screenscore-score
    screenscore-instruments
    screenscore-instruments-list
    screenscore-instruments-show
    screenscore-instruments-template
    screenscore-instruments-check
    screenscore-instruments-schema
    screenscore-report
    screenscore-outcomes
    screenscore-norms
    screenscore-stats
    screenscore-redcap
    screenscore-redcap-map
    screenscore-redcap-skeleton
    screenscore-fhir
    screenscore-fhir-flatten
    screenscore-fhir-score
    screenscore-fhir-questionnaire
    screenscore-fhir-import-questionnaire
    screenscore-completions
    screenscore-man
    ");
    assert!(run.stdout.contains(".SH SUBCOMMANDS"));
    assert!(
        run.stdout
            .contains("Exit status: 0 when everything asked was done")
    );
}

#[test]
fn instrument_ids_are_matched_regardless_of_case_hyphens_and_underscores() {
    let exact = screenscore(&EXAMPLE, b"");
    let loose = screenscore(
        &["score", "-i", "PHQ-9", "-i", "gad_7", "examples/intake.csv"],
        b"",
    );
    assert_eq!(loose.stdout, exact.stdout);
    assert_eq!(loose.stderr, exact.stderr);
    let show = screenscore(&["instruments", "show", "Phq_9"], b"");
    assert_eq!(
        show.stdout,
        screenscore(&["instruments", "show", "phq9"], b"").stdout
    );
    let template = screenscore(&["instruments", "template", "GAD-2", "phq2"], b"");
    insta::assert_snapshot!(template.stdout, @"gad2_1,gad2_2,phq2_1,phq2_2");
    let stats = screenscore(&["stats", "-i", "CFFS", "examples/intake.csv"], b"");
    assert_eq!(stats.code, 0, "{}", stats.stderr);
}

#[test]
fn an_unknown_id_gets_the_close_ones_or_every_one() {
    let run = screenscore(&["instruments", "show", "gad-8"], b"");
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: unknown instrument `gad-8`; did you mean `gad7` or `gad2`? (or give the path of a definition file)
    ");
    let run = screenscore(&["score", "-i", "beck", "-"], b"");
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: unknown instrument `beck`; the built-in instruments are: phq9, phq2, gad7, gad2, phq15, audit, auditc, dast10, k10, k6, who5, pcl5, rses, sfcs, cffs (or give the path of a definition file)
    ");
}

#[test]
fn stats_takes_a_missing_code_with_missing_and_the_deletion_with_deletion() {
    let input = "id,gad2_1,gad2_2\na,-99,1\nb,2,3\nc,1,1\nd,0,1\n";
    let coded = screenscore(
        &["stats", "-i", "gad2", "--missing", "-99", "--format", "csv"],
        input.as_bytes(),
    );
    assert_eq!(coded.code, 0, "{}", coded.stderr);
    let blank = input.replace("-99", "");
    let plain = screenscore(
        &["stats", "-i", "gad2", "--format", "csv"],
        blank.as_bytes(),
    );
    assert_eq!(coded.stdout, plain.stdout);
    let listwise = screenscore(
        &[
            "stats",
            "-i",
            "gad2",
            "--deletion",
            "listwise",
            "--missing",
            "-99",
            "--format",
            "csv",
        ],
        input.as_bytes(),
    );
    assert_eq!(listwise.code, 0, "{}", listwise.stderr);
    assert_ne!(listwise.stdout, coded.stdout);
    // The old meaning of --missing is refused, never taken as a code.
    let old = screenscore(
        &["stats", "-i", "gad2", "--missing", "listwise"],
        input.as_bytes(),
    );
    insta::assert_snapshot!(old.transcript(), @"
    exit: 2
    --- stderr
    error: --missing takes a cell value that means missing (such as -99); for listwise deletion give --deletion listwise
    ");
}

#[test]
fn every_subcommand_states_the_exit_status_rule_in_its_help() {
    let top = screenscore(&["--help"], b"");
    assert!(top.stdout.contains("Every subcommand has one exit-status rule: 0 when everything asked was done; 1 when the run finished but some rows are invalid or item columns of a requested instrument are missing from the header"), "{}", top.stdout);
    let reading = ["score", "report", "outcomes", "norms", "stats"];
    for sub in reading {
        let help = screenscore(&[sub, "--help"], b"");
        assert!(help.stdout.contains("Exit status: 0 when everything asked was done; 1 when the run finished but some rows are invalid or item columns"), "{sub}");
    }
    let others: [&[&str]; 8] = [
        &["instruments"],
        &["instruments", "list"],
        &["instruments", "show"],
        &["instruments", "template"],
        &["instruments", "check"],
        &["instruments", "schema"],
        &["completions"],
        &["man"],
    ];
    for sub in others {
        let help = screenscore(&[sub, &["--help"]].concat(), b"");
        assert!(
            help.stdout
                .contains("Exit status: 0 when done; 2 when nothing could be done"),
            "{sub:?}"
        );
    }
}

#[test]
fn instruments_subcommands_show_examples_in_their_help() {
    for sub in ["list", "show", "template", "check", "schema"] {
        let help = screenscore(&["instruments", sub, "--help"], b"");
        assert!(
            help.stdout.contains("Example")
                && help
                    .stdout
                    .contains(&format!("\n  screenscore instruments {sub}")),
            "{sub}: {}",
            help.stdout
        );
    }
}

#[test]
fn norms_follows_the_exit_status_rule_and_gives_its_counts() {
    let run = screenscore(&["norms", "-i", "phq9", "examples/intake.csv"], b"");
    // Record 5 is invalid (phq9_3 = 9): left out of the norms, and the run says so.
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr, @"
    local norms for phq9:
      total: n 11, mean 8.273, SD 6.739, alpha 0.936
    14 rows read: 11 scored, 2 incomplete, 1 invalid, 0 absent
    ");
}

#[test]
fn a_column_map_line_that_renames_nothing_is_warned_of() {
    let dir = temp_dir("terminal-map");
    let map = dir.join("map.csv");
    std::fs::write(&map, "from,to\nQ1,gad2_1\nQ2,gad2_2\nQ3,gad2_3\nAge,age\n").unwrap();
    let run = screenscore(
        &["score", "-i", "gad2", "--map", map.to_str().unwrap(), "-"],
        b"id,q1,Q2\na,1,2\n",
    );
    insta::assert_snapshot!(run.transcript(), @"
    exit: 0
    --- stdout
    id,gad2_total,gad2_status,gad2_flags,gad2_error,gad2_notes
    a,3,ok,positive_screen,,
    --- stderr
    warning: the column map renames `Q3` to `gad2_3`, but the input has no column `Q3`: that rename did nothing
    warning: the column map renames `Age` to `age`, but the input has no column `Age`: that rename did nothing
    1 row read: 1 scored, 0 incomplete, 0 invalid, 0 absent
    ");
}

#[test]
fn counts_agree_with_their_nouns() {
    let run = screenscore(
        &[
            "instruments",
            "check",
            &root().join("instruments/gad2.json").display().to_string(),
        ],
        b"",
    );
    assert!(
        run.stdout
            .contains(": 2 items (2 scored), 1 scale, 1 rule; status validated"),
        "{}",
        run.stdout
    );
    let one = screenscore(&["score", "-i", "gad2", "-"], b"gad2_1,gad2_2\n1,1\n");
    assert_eq!(
        one.stderr,
        "1 row read: 1 scored, 0 incomplete, 0 invalid, 0 absent\n"
    );
    // stats writes no rows: its notice says nothing of rows.
    let stats = screenscore(&["stats", "-i", "cffs", "examples/intake.csv"], b"");
    insta::assert_snapshot!(stats.stderr, @"
    notice: cffs is UNVALIDATED: it is not a validated instrument and its scores are not for clinical decisions
    14 rows read: 5 scored, 0 incomplete, 0 invalid, 9 absent
    ");
}
