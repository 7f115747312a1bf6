//! `screenscore score`: outputs, formats, files and exit codes.

use crate::support::{cell, columns, data, read, records, score, screenscore, temp_dir};

fn phq9_header() -> String {
    format!("client,{}", columns("phq9", 1..=9))
}

#[test]
fn the_published_examples_score_as_published() {
    let input = format!(
        "{},{}\nhl7,2,2,2,2,1,1,2,0,0,,,,,,,\nawell,3,0,1,2,0,0,1,0,3,3,0,1,2,0,0,1\n",
        phq9_header(),
        columns("gad7", 1..=7)
    );
    let run = score(&["phq9", "gad7"], &[], input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    // HL7 US Core: 2+2+2+2+1+1+2+0+0 = 12, moderate (10-14), item 9 = 0: no flag.
    assert_eq!(
        cell(&run.stdout, 0, "phq9_total"),
        (2 + 2 + 2 + 2 + 1 + 1 + 2).to_string()
    );
    assert_eq!(cell(&run.stdout, 0, "phq9_total_band"), "moderate");
    assert!(!cell(&run.stdout, 0, "phq9_flags").contains("item9_positive"));
    assert_eq!(cell(&run.stdout, 0, "gad7_status"), "absent");
    // awell: 3+0+1+2+0+0+1+0+3 = 10 with item 9 = 3: flagged. GAD-7 3+0+1+2+0+0+1 = 7, mild (5-9).
    assert_eq!(
        cell(&run.stdout, 1, "phq9_total"),
        (3 + 1 + 2 + 1 + 3).to_string()
    );
    assert!(
        cell(&run.stdout, 1, "phq9_flags")
            .split(';')
            .any(|f| f == "item9_positive")
    );
    assert_eq!(
        cell(&run.stdout, 1, "gad7_total"),
        (3 + 1 + 2 + 1).to_string()
    );
    assert_eq!(cell(&run.stdout, 1, "gad7_total_band"), "mild");
    insta::assert_snapshot!(run.transcript(), @"
    exit: 0
    --- stdout
    client,phq9_total,phq9_total_band,phq9_status,phq9_flags,phq9_error,phq9_notes,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    hl7,12,moderate,ok,major_depressive_syndrome,,,,,absent,,,
    awell,10,moderate,ok,item9_positive;other_depressive_syndrome,,,7,mild,ok,,,
    --- stderr
    2 rows read: 2 scored, 0 incomplete, 0 invalid, 0 absent
    attention: phq9 item9_positive: Thoughts of death or self-harm (item 9 answered 1 or more): assess risk today — 1 row: record 2
    ");
}

#[test]
fn the_bundled_example_scores_with_its_problem_rows_reported() {
    let run = screenscore(
        &[
            "score",
            "-i",
            "phq9",
            "-i",
            "gad7",
            "-i",
            "auditc",
            "-i",
            "cffs",
            "examples/intake.csv",
        ],
        b"",
    );
    let input = std::fs::read("examples/intake.csv").unwrap();
    assert_eq!(records(run.stdout.as_bytes()).len(), records(&input).len());
    insta::assert_snapshot!(run.transcript(), @r#"
    exit: 1
    --- stdout
    client_id,date,clinician,sex,notes,phq9_total,phq9_total_band,phq9_status,phq9_flags,phq9_error,phq9_notes,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes,auditc_total,auditc_status,auditc_flags,auditc_error,auditc_notes,cffs_external_focusing,cffs_self_sacrifice,cffs_emotional_suppression,cffs_interpersonal_control,cffs_total,cffs_status,cffs_flags,cffs_error,cffs_notes
    C001,2026-01-06,RK,F,first visit,12,moderate,ok,major_depressive_syndrome,,,7,mild,ok,,,,4,ok,positive_screen,,,4.2,4.4,3.8,3.6,4,ok,,,UNVALIDATED instrument: not for clinical decisions
    C002,2026-01-06,RK,M,,10,moderate,ok,item9_positive;other_depressive_syndrome,,,11,moderate,ok,positive_screen,,,6,ok,positive_screen,,,,,,,,absent,,,
    C003,2026-01-07,JT,F,,0,none/minimal,ok,,,,0,minimal,ok,,,,0,ok,,,,,,,,,absent,,,
    C004,2026-01-07,JT,M,paper form; GAD-7 not given,5,mild,ok,,,,,,absent,,,,,absent,,,,,,,,,absent,,,
    C005,2026-01-08,RK,F,typed in from paper,,,invalid,,"phq9_3: ""9"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")",,4,minimal,ok,,,,2,ok,,,,,,,,,absent,,,
    C006,2026-01-08,JT,F,left item 9 blank,,,incomplete,item9_missing;major_depressive_syndrome,,total not scored: 1 of 9 items missing,,,invalid,,"gad7_3: ""sevral days"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")",,,absent,,,,,,,,,absent,,,
    C001,2026-02-03,RK,F,,6,mild,ok,,,,3,minimal,ok,,,,,absent,,,,3.4,3.6,3.2,3,3.3,ok,,,UNVALIDATED instrument: not for clinical decisions
    C002,2026-02-03,RK,M,"called after session, ""felt worse""",20,severe,ok,item9_positive;major_depressive_syndrome,,,17,severe,ok,positive_screen,,,,absent,,,,,,,,,absent,,,
    C003,2026-02-04,JT,F,,2,none/minimal,ok,,,,,,absent,,,,,absent,,,,,,,,,absent,,,
    C007,2026-02-05,AM,M,"referred by GP, urgent",17,moderately severe,ok,major_depressive_syndrome,,,17,severe,ok,positive_screen,,,9,ok,positive_screen,,,2.2,4.2,3.2,2.2,2.95,ok,,,UNVALIDATED instrument: not for clinical decisions
    C001,2026-03-03,RK,F,,2,none/minimal,ok,,,,1,minimal,ok,,,,1,ok,,,,2.6,2.8,2.6,2.2,2.55,ok,,,UNVALIDATED instrument: not for clinical decisions
    C002,2026-03-03,RK,M,,14,moderate,ok,item9_positive;major_depressive_syndrome,,,10,moderate,ok,positive_screen,,,4,ok,positive_screen,,,,,,,,absent,,,
    C005,2026-03-04,RK,F,,3,none/minimal,ok,,,,2,minimal,ok,,,,,absent,,,,2,2.6,2,2,2.15,ok,,,UNVALIDATED instrument: not for clinical decisions
    C008,2026-03-05,AM,F,stopped after page 1,,,incomplete,item9_missing,,total not scored: 5 of 9 items missing,,,absent,,,,,absent,,,,,,,,,absent,,,
    --- stderr
    notice: cffs is UNVALIDATED: it is not a validated instrument and its scores are not for clinical decisions; its rows say so in cffs_notes
    14 rows read: 11 scored, 1 incomplete, 2 invalid, 0 absent
    attention: phq9 item9_positive: Thoughts of death or self-harm (item 9 answered 1 or more): assess risk today — 3 rows: records 2, 8, 12
    attention: phq9 critical item 9 left unanswered (column phq9_9): Thoughts of death or self-harm — 2 rows: records 6, 14
    "#);
}

#[test]
fn rows_keep_their_order_and_pass_through_columns_come_first() {
    let input = format!(
        "z_last,{},a_first\nr1,0,0,0,0,0,0,0,0,0,x\nr2,1,1,1,1,1,1,1,1,1,y\nr3,,,,,,,,,,z\n",
        columns("phq9", 1..=9)
    );
    let run = score(&["phq9"], &[], input.as_bytes());
    insta::assert_snapshot!(run.stdout, @"
    z_last,a_first,phq9_total,phq9_total_band,phq9_status,phq9_flags,phq9_error,phq9_notes
    r1,x,0,none/minimal,ok,,,
    r2,y,9,mild,ok,item9_positive,,
    r3,z,,,absent,,,
    ");
}

#[test]
fn stdin_is_read_when_input_is_dash_or_absent() {
    let input = format!("{}\nc,0,0,0,0,0,0,0,0,1\n", phq9_header());
    let absent = score(&["phq9"], &[], input.as_bytes());
    let dash = score(&["phq9"], &["-"], input.as_bytes());
    assert_eq!(absent.stdout, dash.stdout);
    assert_eq!(cell(&dash.stdout, 0, "phq9_total"), "1");
}

#[test]
fn output_and_errors_files_are_written() {
    let dir = temp_dir("files");
    let input = dir.join("intake.csv");
    std::fs::write(
        &input,
        format!(
            "{}\nok,0,0,0,0,0,0,0,0,0\nbad,0,7,0,0,0,0,x,0,0\n",
            phq9_header()
        ),
    )
    .unwrap();
    let out = dir.join("scored.csv");
    let errors = dir.join("bad-cells.csv");
    let run = screenscore(
        &[
            "score",
            "-i",
            "phq9",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--errors",
            errors.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.is_empty());
    assert_eq!(records(read(&out).as_bytes()).len(), 3);
    insta::assert_snapshot!(read(&errors), @r#"
    record,line,column,value,reason
    2,3,phq9_2,7,"not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")"
    2,3,phq9_7,x,"not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")"
    "#);
    // No temporary file is left beside the outputs.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["bad-cells.csv", "intake.csv", "scored.csv"]);
}

#[test]
fn output_naming_the_input_is_refused() {
    let dir = temp_dir("same");
    let input = dir.join("intake.csv");
    let text = format!("{}\nok,0,0,0,0,0,0,0,0,0\n", phq9_header());
    std::fs::write(&input, &text).unwrap();
    let path = input.to_str().unwrap();
    let run = screenscore(&["score", "-i", "phq9", path, "-o", path], b"");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "-o {path} is the input file {path}; screenscore never writes over what it reads"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(read(&input), text);
}

#[test]
fn jsonl_gives_one_object_per_row() {
    let input = format!(
        "{},gad7_1\nc1,2,2,2,2,1,1,2,0,0,\nc2,3,0,9,2,0,0,1,0,3,\n",
        phq9_header()
    );
    let run = score(&["phq9", "gad7"], &["--format", "jsonl"], input.as_bytes());
    assert_eq!(run.stdout.lines().count(), 2);
    for line in run.stdout.lines() {
        let _: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
    }
    insta::assert_snapshot!(run.transcript(), @r#"
    exit: 1
    --- stdout
    {"record":1,"line":2,"status":"ok","columns":{"client":"c1"},"instruments":{"phq9":{"status":"ok","scales":{"total":{"score":12,"band":"moderate","answered":9,"applicable":9,"prorated":false}},"flags":["major_depressive_syndrome"],"errors":[],"notes":[]},"gad7":{"status":"absent","scales":{"total":{"score":null,"band":null,"answered":0,"applicable":0,"prorated":false}},"flags":[],"errors":[],"notes":[]}}}
    {"record":2,"line":3,"status":"invalid","columns":{"client":"c2"},"instruments":{"phq9":{"status":"invalid","scales":{"total":{"score":null,"band":null,"answered":0,"applicable":0,"prorated":false}},"flags":["item9_positive","other_depressive_syndrome"],"errors":[{"column":"phq9_3","value":"9","message":"\"9\" is not an answer to this item (expected 0, 1, 2, 3, or a label: \"Not at all\", \"Several days\", \"More than half the days\", \"Nearly every day\", \"Überhaupt nicht\", \"An einzelnen Tagen\", \"An mehr als der Hälfte der Tage\", \"Beinahe jeden Tag\")"}],"notes":[]},"gad7":{"status":"absent","scales":{"total":{"score":null,"band":null,"answered":0,"applicable":0,"prorated":false}},"flags":[],"errors":[],"notes":[]}}}
    --- stderr
    warning: gad7: the input has no columns gad7_2, gad7_3, gad7_4, gad7_5, gad7_6 and gad7_7; those items are counted as missing in every row
    2 rows read: 1 scored, 0 incomplete, 1 invalid, 0 absent
    attention: phq9 item9_positive: Thoughts of death or self-harm (item 9 answered 1 or more): assess risk today — 1 row: record 2
    "#);
}

#[test]
fn a_column_map_renames_export_columns() {
    let dir = temp_dir("map");
    let map = dir.join("map.csv");
    let mut text = String::from("from,to\n");
    for i in 1..=9 {
        text.push_str(&format!("PHQ9_Q{i},phq9_{i}\n"));
    }
    std::fs::write(&map, text).unwrap();
    let header: Vec<String> = (1..=9).map(|i| format!("PHQ9_Q{i}")).collect();
    let input = format!("id,{}\nc1,1,1,1,1,1,1,1,1,1\n", header.join(","));
    let run = score(
        &["phq9"],
        &["--map", map.to_str().unwrap()],
        input.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(cell(&run.stdout, 0, "phq9_total"), "9");
}

#[test]
fn a_bad_column_map_is_reported_with_its_line() {
    let dir = temp_dir("badmap");
    let map = dir.join("map.csv");
    std::fs::write(&map, "from,to\nA,phq9_1\nB,phq9_1\n").unwrap();
    let run = score(&["phq9"], &["--map", map.to_str().unwrap()], b"A\n1\n");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("column map, line 3: `B` and `A` are both renamed to `phq9_1`"),
        "{}",
        run.stderr
    );
}

/// Lines of a column map are counted as an editor counts them, in CRLF files with blank lines
/// too (the csv crate put these errors on lines 3 and 2).
#[test]
fn column_map_errors_name_the_right_line() {
    let dir = temp_dir("crlf-map");
    for (text, message) in [
        (
            "from,to\r\n\r\nA,phq9_1\r\nB,phq9_1\r\n",
            "column map, line 4: `B` and `A` are both renamed to `phq9_1`",
        ),
        (
            "\u{feff}from,to\r\nA,phq9_1\r\nB,c,d\r\n",
            "column map, line 3: expected 2 cells (from,to), found 3",
        ),
    ] {
        let map = dir.join("map.csv");
        std::fs::write(&map, text).unwrap();
        let run = score(&["phq9"], &["--map", map.to_str().unwrap()], b"A\n1\n");
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains(message), "{}", run.stderr);
    }
}

#[test]
fn extra_missing_codes_count_as_missing() {
    let input = format!("{}\nc1,1,1,1,1,1,1,1,1,NA\n", phq9_header());
    let run = score(&["phq9"], &["--missing", "NA"], input.as_bytes());
    assert_eq!(run.code, 0);
    assert_eq!(cell(&run.stdout, 0, "phq9_status"), "incomplete");
    assert_eq!(cell(&run.stdout, 0, "phq9_flags"), "item9_missing");
    // Without --missing, NA is not an answer: the row is invalid.
    let run = score(&["phq9"], &[], input.as_bytes());
    assert_eq!(run.code, 1);
    // A missing code that is an answer is refused.
    let run = score(&["phq9"], &["--missing", "0"], input.as_bytes());
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.stderr, @r#"error: missing code "0" is also an answer in phq9 (response set `frequency`); it cannot mean missing"#);
}

#[test]
fn an_instrument_can_be_a_definition_file() {
    let input = "mr_1,mr_2,mr_3,mr_4\n1,2,3,0\n";
    let run = score(
        &[&data("definitions/missing-rules.json")],
        &[],
        input.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(cell(&run.stdout, 0, "mr_strict"), (1 + 2 + 3).to_string());
}

#[test]
fn an_unknown_instrument_is_a_usage_error() {
    let run = score(&["phq8"], &[], b"x\n");
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: unknown instrument `phq8`; did you mean `phq9` or `phq2`? (or give the path of a definition file)
    ");
    let run = score(&["phq9", "phq9"], &[], b"x\n");
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: instrument `phq9` is requested twice
    ");
}

#[test]
fn help_explains_the_columns_and_exit_codes() {
    let run = screenscore(&["score", "--help"], b"");
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout, @"
    Score a CSV intake file: one output row per input row, in order, with a status.

    Item columns are named `{instrument}_{item}` (for example phq9_1 … phq9_9); every other column passes through. Output columns per instrument: `{id}_{scale}`, `{id}_{scale}_band`, `{id}_status` (ok, incomplete, invalid, absent), `{id}_flags`, `{id}_error`, `{id}_notes`.

    On standard error: header warnings, the counts of the rows, and what needs attention (each critical flag raised and each critical item left unanswered, with the first record numbers, and the clients with --client-col).

    Usage: screenscore score [OPTIONS] --instrument <ID|FILE> [INPUT]

    Arguments:
      [INPUT]
              The intake CSV; `-` or nothing reads standard input

    Options:
      -i, --instrument <ID|FILE>
              Instrument to score: a built-in id (phq9, gad7, …) or a path to a definition file. Repeat for several instruments

      -q, --quiet
              Print only warnings, errors and each run's counts: no notices about instruments, no attention summary, no progress. The exit status still tells what happened

      -o, --output <FILE>
              Write the scores here instead of standard output (written to a temporary file first, then renamed, so a failed run never leaves a half-written file)

          --format <FORMAT>
              Output format

              Possible values:
              - csv:           Comma-separated values, one row per input row
              - jsonl:         JSON Lines, one object per input row
              - redcap-import: With --redcap and --score-fields: a CSV for REDCap's Data Import Tool
              
              [default: csv]
              [alias: --out-format]

          --errors <FILE>
              Also write one CSV line per bad cell: record, line, column, value, reason

          --raw
              Copy input cells into CSV output exactly as read. By default a copied cell that a spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a carriage return that is not a plain number) gets a leading ' so it shows as text

          --delimiter <CHAR>
              The character between cells: `,`, `;` as spreadsheets in many European locales save CSV, or `tab`
              
              [default: ,]

          --map <FILE>
              Rename input columns first, from a CSV file with the header `from,to` (or `from;to` in the --delimiter of the data)

          --labels <FILE>
              Accept other wordings of answers in this run, from a CSV file with the header `instrument,item,value,label` (or in the --delimiter of the data): each line makes `label` one more way of writing answer `value` of that item

          --threads <N>
              Threads to score on, 1 to 64 [default: one per core]. With more than one, this thread reads and writes while the others score; the output is the same, in input order

          --missing <CODE>
              Treat this cell value as missing for every item (for example -99 or NA). Repeatable
              
              [alias: --missing-code]

      -h, --help
              Print help (see a summary with '-h')

    REDCap:
          --score-fields <SCORE=FIELD>
              With --format redcap-import: the fields the scores go into, `SCORE=FIELD` (for example phq9_total=phq9_score), comma-separated or repeated. Each must be a text field on the instrument's form whose validation accepts the score

          --redcap <DICT.csv>
              Read the input as an export of the REDCap project with this data dictionary (the Data Dictionary page's download or the API's metadata export): answers exported as labels are read through it, `{form}_complete` goes into the notes, a calculated field holding a score is compared with the score computed, the record id is the client and the form's survey timestamp the date

          --require-complete
              With --redcap: score only forms marked Complete (`{form}_complete` = 2); others are `absent`, with a note

          --event-order <EVENTS.csv>
              With --redcap, for a longitudinal project whose forms hold no date: order each client's administrations by their event (`redcap_event_name`) in this event list (REDCap's event export, with a `unique_event_name` column), not by a date column. Repeats of a form within one event are not told apart: neither is compared

    Spreadsheets:
          --out-delimiter <CHAR>
              The character between cells of the CSV written [default: the --delimiter read]

          --no-bom
              Write no UTF-8 byte-order mark, even when the input began with one

          --decimal-comma
              Write decimals with a comma (2,5), so that a spreadsheet in a locale that reads decimal commas (German, French, Dutch, …) reads numbers, not dates or text; whole scores are written as they are. Needs a separator other than the comma (--delimiter ';')

    Standard scores:
          --standard
              Add standard scores for every scale with a reference group: z, T (50 + 10z), percentile from the group's data (local norms; empty for a group of a mean and an SD), percentile by the normal approximation, SEM and 95% band (clipped to the scale's range), and the group used. Norm strata use the `sex` and `age` columns

          --norms <FILE>
              Local norms built by `screenscore norms`; they give the standard scores of their instrument and the SD and reliability for change. Repeatable

          --norm-group <ID>
              The reference group for standard scores (`local` for local norms; default: local norms, else the definition's first general group)

    Change over time:
          --client-col <COLUMN>
              The column with each client's id: adds change since the client's first and previous administrations (needs --date-col). Rows may come in any order; output keeps input order

          --date-col <COLUMN>
              The column with each administration's date (ISO 8601, e.g. 2026-01-31, unless --date-format)

          --date-format <FORMAT>
              How dates are written, when not ISO 8601: %Y year, %m month, %d day, %H %M %S (e.g. %d/%m/%Y)

          --cutoff <CUTOFF>
              The Jacobson-Truax cut-off for clinically significant change, where a scale has functional and dysfunctional reference groups

              Possible values:
              - a: 2 SD beyond the dysfunctional mean, towards health
              - b: 2 SD beyond the functional mean, towards illness
              - c: Between the two means, weighted by their SDs
              
              [default: c]

    Example:
      screenscore score -i phq9 -i gad7 intake.csv -o scored.csv --errors bad-cells.csv

    Exit status: 0 when everything asked was done; 1 when the run finished but some rows are invalid or item columns of a requested instrument are missing from the header (the output is complete; its rows and the warnings say what is wrong); 2 when nothing could be done (a wrong argument, an unreadable input or definition, an empty input).
    ");
}

#[test]
fn an_unvalidated_instrument_says_so_on_stderr_and_in_its_rows() {
    let mut input = format!("id,{}\n", columns("cffs", 1..=20));
    input.push_str(&format!("a,{}\n", vec!["3"; 20].join(",")));
    input.push_str(&format!("b,{}\n", vec![""; 20].join(",")));
    let run = score(&["cffs"], &[], input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.transcript());
    let notices: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("notice:"))
        .collect();
    assert_eq!(notices.len(), 1, "{}", run.stderr);
    insta::assert_snapshot!(notices[0], @"notice: cffs is UNVALIDATED: it is not a validated instrument and its scores are not for clinical decisions; its rows say so in cffs_notes");
    // Every administered row is marked; a row where it was not administered has nothing to mark.
    assert!(cell(&run.stdout, 0, "cffs_notes").starts_with("UNVALIDATED"));
    assert_eq!(cell(&run.stdout, 1, "cffs_status"), "absent");
    assert_eq!(cell(&run.stdout, 1, "cffs_notes"), "");
    // Means of 3s: reversed items score 6 - 3 = 3, so every scale is 3.
    assert_eq!(cell(&run.stdout, 0, "cffs_total"), "3");
}

/// A file large enough for many blocks of rows and of output, scored on one thread and on
/// several: the same bytes on stdout and in `-o`, the same bad-cell report and summary.
#[test]
fn threads_change_nothing_in_the_output() {
    let mut input = columns("phq9", 1..=9);
    input.insert_str(0, "client,note,");
    input.push('\n');
    for row in 0..20_000u32 {
        let note = ["", "\"a, b\"", "=cmd", "\"x\ny\""][(row % 4) as usize];
        input.push_str(&format!("c{row},{note}"));
        for item in 0..9 {
            let cell = match (row * 7 + item * 3) % 41 {
                0 => "".to_string(),
                1 => "7".to_string(),
                n => (n % 4).to_string(),
            };
            input.push(',');
            input.push_str(&cell);
        }
        input.push('\n');
    }
    let dir = temp_dir("threads");
    let run = |threads: &str| {
        let (out, errors) = (
            dir.join(format!("out{threads}.csv")),
            dir.join(format!("err{threads}.csv")),
        );
        let (o, e) = (out.display().to_string(), errors.display().to_string());
        let to_file = screenscore(
            &[
                "score",
                "-i",
                "phq9",
                "--threads",
                threads,
                "-o",
                &o,
                "--errors",
                &e,
            ],
            input.as_bytes(),
        );
        let to_stdout = screenscore(
            &["score", "-i", "phq9", "--threads", threads],
            input.as_bytes(),
        );
        assert_eq!(to_file.code, 1, "{}", to_file.stderr);
        assert_eq!(read(&out), to_stdout.stdout);
        (to_stdout.stdout, read(&errors), to_file.stderr)
    };
    let one = run("1");
    assert_eq!(records(one.0.as_bytes()).len(), 20_001);
    assert!(one.1.lines().count() > 1_000);
    for threads in ["2", "3"] {
        let many = run(threads);
        assert!(many.0 == one.0, "scores differ on {threads} threads");
        assert_eq!((&many.1, &many.2), (&one.1, &one.2), "{threads} threads");
    }
}

/// A write that fails on the writing thread (a full disk) is reported, exit 2, as on one.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_reported_on_any_number_of_threads() {
    let mut input = columns("gad2", 1..=2);
    input.push('\n');
    input.push_str(&"1,2\n".repeat(200_000));
    for threads in ["1", "2"] {
        let run = screenscore(
            &[
                "score",
                "-i",
                "gad2",
                "--threads",
                threads,
                "-o",
                "/dev/full",
            ],
            input.as_bytes(),
        );
        assert_eq!(run.code, 2, "{threads} threads: {}", run.stderr);
        assert!(
            run.stderr.contains("No space left on device"),
            "{}",
            run.stderr
        );
    }
}
