//! Spreadsheets in other locales: what was read is written back the same way (separator,
//! byte-order mark, decimal mark), decimal commas in answers, column maps and labels files in
//! the data's separator, and dates that are not understood said to be not understood.

use crate::support::{read, root, score, screenscore, temp_dir};

const BOM: char = '\u{feff}';

/// A file as Excel in a German locale saves it: a byte-order mark, `;` between cells,
/// `06.01.2026` dates, `2,0` and the German answer labels of the PHQ-D.
fn german() -> String {
    format!(
        "{BOM}client;date;gad7_1;gad7_2;gad7_3;gad7_4;gad7_5;gad7_6;gad7_7\n\
         A;06.01.2026;2;2;2;2;2;2;2\n\
         A;03.02.2026;1;1;0;0;0;0;0\n\
         B;13.01.2026;2,0;Beinahe jeden Tag;An einzelnen Tagen;1;1;1;1\n\
         B;20.01.2026;1;1;1;1;1;1;zwei\n"
    )
}

/// The text after a leading byte-order mark, which must be there.
fn after_bom(text: &str) -> &str {
    text.strip_prefix(BOM)
        .unwrap_or_else(|| panic!("no byte-order mark at the start of {text:?}"))
}

#[test]
fn a_german_excel_file_comes_back_as_it_came_with_change_computed() {
    let dir = temp_dir("german-round-trip");
    let errors = dir.join("bad-cells.csv");
    let run = score(
        &["gad7"],
        &[
            "--delimiter",
            ";",
            "--client-col",
            "client",
            "--date-col",
            "date",
            "--date-format",
            "%d.%m.%Y",
            "--decimal-comma",
            "--errors",
            errors.to_str().unwrap(),
        ],
        german().as_bytes(),
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    // A: 14 on 06.01.2026, then 2: a change of -12, RCI -12 / (√2 · 3.4 · √0.11) = -7.52, with a
    // decimal comma; B: 2,0 + 3 (Beinahe jeden Tag) + 1 (An einzelnen Tagen) + 4 × 1 = 10.
    insta::assert_snapshot!(after_bom(&run.stdout), @r#"
    client;date;gad7_total;gad7_total_band;gad7_status;gad7_flags;gad7_error;gad7_notes;gad7_total_first_date;gad7_total_change_first;gad7_total_rci_first;gad7_total_reliable_first;gad7_total_previous_date;gad7_total_change_previous;gad7_total_rci_previous;gad7_total_reliable_previous;gad7_total_csc;gad7_change_method;gad7_change_notes
    A;06.01.2026;14;moderate;ok;positive_screen;;;;;;;;;;;;"total: RCI (Jacobson-Truax): SD 3.4, internal consistency 0.89 (german_general_population_2006); published caseness: 8 or more is a case";first administration: the baseline for later change
    A;03.02.2026;2;minimal;ok;;;;2026-01-06;-12;-7,52;improved;2026-01-06;-12;-7,52;improved;recovered;"total: RCI (Jacobson-Truax): SD 3.4, internal consistency 0.89 (german_general_population_2006); published caseness: 8 or more is a case";
    B;13.01.2026;10;moderate;ok;positive_screen;;;;;;;;;;;;"total: RCI (Jacobson-Truax): SD 3.4, internal consistency 0.89 (german_general_population_2006); published caseness: 8 or more is a case";first administration: the baseline for later change
    B;20.01.2026;;;invalid;;"gad7_7: ""zwei"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")";;;;;;;;;;;;invalid: not used for change
    "#);
    insta::assert_snapshot!(after_bom(&read(&errors)), @r#"
    record;line;column;value;reason
    4;5;gad7_7;zwei;"not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")"
    "#);
    insta::assert_snapshot!(run.stderr, @"4 rows read: 3 scored, 0 incomplete, 1 invalid, 0 absent");
}

#[test]
fn the_output_separator_and_the_byte_order_mark_can_be_chosen() {
    let run = score(
        &["gad7"],
        &["--delimiter", ";", "--out-delimiter", ",", "--no-bom"],
        german().as_bytes(),
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    insta::assert_snapshot!(run.stdout, @r#"
    client,date,gad7_total,gad7_total_band,gad7_status,gad7_flags,gad7_error,gad7_notes
    A,06.01.2026,14,moderate,ok,positive_screen,,
    A,03.02.2026,2,minimal,ok,,,
    B,13.01.2026,10,moderate,ok,positive_screen,,
    B,20.01.2026,,,invalid,,"gad7_7: ""zwei"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")",
    "#);
    // A comma-separated input without a mark is written as before: commas, no mark.
    let plain = german()
        .replace(BOM, "")
        .replace(';', ",")
        .replace("2,0", "2");
    let run = score(&["gad7"], &[], plain.as_bytes());
    assert!(
        run.stdout.starts_with("client,date,gad7_total,"),
        "{}",
        run.transcript()
    );
    // A mark is kept with commas too.
    let marked = format!("{BOM}{plain}");
    let run = score(&["gad7"], &[], marked.as_bytes());
    assert!(after_bom(&run.stdout).starts_with("client,date,gad7_total,"));
}

#[test]
fn decimal_commas_need_another_separator() {
    let input = "client,gad2_1,gad2_2\nA,1,1\n";
    let run = screenscore(
        &["score", "-i", "gad2", "--decimal-comma"],
        input.as_bytes(),
    );
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: --decimal-comma writes 2,5 for 2.5, which needs cells separated by something other than commas; give --out-delimiter ';' (or read a ';'-separated file with --delimiter ';'), or leave out --decimal-comma
    ");
    let run = screenscore(
        &[
            "score",
            "-i",
            "gad2",
            "--delimiter",
            ";",
            "--out-delimiter",
            ",",
            "--decimal-comma",
        ],
        input.as_bytes(),
    );
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: --decimal-comma writes 2,5 for 2.5, which needs cells separated by something other than commas; give --out-delimiter ';' (or read a ';'-separated file with --delimiter ';')
    ");
}

#[test]
fn an_answer_with_a_decimal_comma_is_read_only_when_cells_are_not_separated_by_commas() {
    let run = score(&["gad2"], &[], b"client,gad2_1,gad2_2\nA,\"2,0\",1\n");
    insta::assert_snapshot!(run.stdout, @r#"
    client,gad2_total,gad2_status,gad2_flags,gad2_error,gad2_notes
    A,,invalid,,"gad2_1: ""2,0"" is not an answer to this item (expected 0, 1, 2, 3, or a label: ""Not at all"", ""Several days"", ""More than half the days"", ""Nearly every day"", ""Überhaupt nicht"", ""An einzelnen Tagen"", ""An mehr als der Hälfte der Tage"", ""Beinahe jeden Tag"")",
    "#);
    let run = score(
        &["gad2"],
        &["--delimiter", "tab"],
        b"client\tgad2_1\tgad2_2\nA\t2,0\t1\n",
    );
    insta::assert_snapshot!(run.stdout, @"
    client	gad2_total	gad2_status	gad2_flags	gad2_error	gad2_notes
    A	3	ok	positive_screen
    ");
}

/// GAD-2 rows of two clients, dated `dates`.
fn dated(dates: &[&str]) -> String {
    let mut text = String::from("client,date,gad2_1,gad2_2\n");
    for (k, date) in dates.iter().enumerate() {
        text.push_str(&format!("{},{date},{},1\n", ["A", "B"][k % 2], k % 4));
    }
    text
}

const HISTORY: [&str; 4] = ["--client-col", "client", "--date-col", "date"];

#[test]
fn dates_that_are_not_understood_are_said_to_be_not_understood() {
    let german = dated(&["06.01.2026", "13.01.2026", "03.02.2026", "10.02.2026"]);
    let run = score(&["gad2"], &HISTORY, german.as_bytes());
    insta::assert_snapshot!(run.stderr, @r#"
    warning: none of the 4 dates in `date` could be read as YYYY-MM-DD (ISO 8601), for example "06.01.2026", so no administration is placed in time (no change over time, no course of treatment); --date-format %d.%m.%Y reads them
    4 rows read: 4 scored, 0 incomplete, 0 invalid, 0 absent
    "#);
    // Day first or month first: both read every date; neither is chosen.
    let slashed = dated(&["06/01/2026", "12/01/2026", "03/02/2026", "10/02/2026"]);
    let run = score(&["gad2"], &HISTORY, slashed.as_bytes());
    insta::assert_snapshot!(run.stderr, @r#"
    warning: none of the 4 dates in `date` could be read as YYYY-MM-DD (ISO 8601), for example "06/01/2026", so no administration is placed in time (no change over time, no course of treatment); both --date-format %d/%m/%Y (day first) and --date-format %m/%d/%Y (month first) read every one of them, and the dates do not say which is meant: give the layout the file was written in
    4 rows read: 4 scored, 0 incomplete, 0 invalid, 0 absent
    "#);
    // One date of thirteen months decides it, and is said.
    let day_first = dated(&["06/01/2026", "13/01/2026", "03/02/2026", "10/02/2026"]);
    let run = score(&["gad2"], &HISTORY, day_first.as_bytes());
    insta::assert_snapshot!(run.stderr, @r#"
    warning: none of the 4 dates in `date` could be read as YYYY-MM-DD (ISO 8601), for example "06/01/2026", so no administration is placed in time (no change over time, no course of treatment); --date-format %d/%m/%Y reads them
    4 rows read: 4 scored, 0 incomplete, 0 invalid, 0 absent
    "#);
    // Read as told, nothing is said.
    let run = score(
        &["gad2"],
        &[&HISTORY[..], &["--date-format", "%d/%m/%Y"]].concat(),
        day_first.as_bytes(),
    );
    insta::assert_snapshot!(run.stderr, @"4 rows read: 4 scored, 0 incomplete, 0 invalid, 0 absent");
    // A few unreadable dates among readable ones are each row's note, not this warning.
    let few = dated(&["2026-01-06", "2026-01-13", "2026-02-03", "10.02.2026"]);
    let run = score(&["gad2"], &HISTORY, few.as_bytes());
    insta::assert_snapshot!(run.stderr, @"4 rows read: 4 scored, 0 incomplete, 0 invalid, 0 absent");
}

#[test]
fn report_and_outcomes_say_so_too() {
    let dir = temp_dir("dates-report");
    let input = dir.join("intake.csv");
    std::fs::write(
        &input,
        dated(&["06.01.2026", "13.01.2026", "03.02.2026", "10.02.2026"]),
    )
    .unwrap();
    let out = dir.join("reports");
    let run = screenscore(
        &[
            "report",
            "-i",
            "gad2",
            input.to_str().unwrap(),
            "--client-col",
            "client",
            "--date-col",
            "date",
            "--out-dir",
            out.to_str().unwrap(),
            "--format",
            "md",
        ],
        b"",
    );
    let stderr = run.stderr.replace(out.to_str().unwrap(), "reports");
    insta::assert_snapshot!(stderr, @r#"
    warning: none of the 4 dates in `date` could be read as YYYY-MM-DD (ISO 8601), for example "06.01.2026", so no administration is placed in time (no change over time, no course of treatment); --date-format %d.%m.%Y reads them
    4 rows read: 4 scored, 0 incomplete, 0 invalid, 0 absent
    wrote 2 md reports to reports
    "#);
    let run = screenscore(
        &[
            "outcomes",
            "-i",
            "gad2",
            input.to_str().unwrap(),
            "--client-col",
            "client",
            "--date-col",
            "date",
        ],
        b"",
    );
    insta::assert_snapshot!(run.stderr, @r#"
    warning: none of the 4 dates in `date` could be read as YYYY-MM-DD (ISO 8601), for example "06.01.2026", so no administration is placed in time (no change over time, no course of treatment); --date-format %d.%m.%Y reads them
    warning: 4 rows have no readable date in `date`: counted as `undated` in the episode, not in its administrations, first or last scores
    4 rows read: 4 scored, 0 incomplete, 0 invalid, 0 absent
    2 episodes of 2 clients
    "#);
}

#[test]
fn outcomes_are_written_as_the_input_was_read() {
    let run = screenscore(
        &[
            "outcomes",
            "-i",
            "gad7",
            "--client-col",
            "client",
            "--date-col",
            "date",
            "--delimiter",
            ";",
            "--date-format",
            "%d.%m.%Y",
            "--decimal-comma",
            "--summary",
        ],
        german().as_bytes(),
    );
    insta::assert_snapshot!(after_bom(&run.stdout), @"
    scope;measure;count;of;rate;ci95_low;ci95_high
    all;episodes;2;;;;
    all;single_administration;1;2;0,5;0,0945;0,9055
    gad7;scored_twice;1;2;0,5;0,0945;0,9055
    gad7;reliable_improvement;1;1;1;0,2065;1
    gad7;reliable_deterioration;0;1;0;0;0,7935
    gad7;no_reliable_change;0;1;0;0;0,7935
    gad7;case_at_first;1;1;1;0,2065;1
    gad7;recovery;1;1;1;0,2065;1
    ");
}

#[test]
fn a_column_map_may_use_the_datas_separator() {
    let dir = temp_dir("map-semicolon");
    let map = dir.join("map.csv");
    std::fs::write(&map, "from;to\nPHQ_A;gad2_1\nPHQ_B;gad2_2\n").unwrap();
    let run = score(
        &["gad2"],
        &["--delimiter", ";", "--map", map.to_str().unwrap()],
        b"client;PHQ_A;PHQ_B\nA;1;2\n",
    );
    insta::assert_snapshot!(run.transcript(), @"
    exit: 0
    --- stdout
    client;gad2_total;gad2_status;gad2_flags;gad2_error;gad2_notes
    A;3;ok;positive_screen;;
    --- stderr
    1 row read: 1 scored, 0 incomplete, 0 invalid, 0 absent
    ");
    // A comma-separated map beside a `;`-separated file is read with commas.
    std::fs::write(&map, "from,to\nPHQ_A,gad2_1\nPHQ_B,gad2_2\n").unwrap();
    let run = score(
        &["gad2"],
        &["--delimiter", ";", "--map", map.to_str().unwrap()],
        b"client;PHQ_A;PHQ_B\nA;1;2\n",
    );
    assert_eq!(
        run.stdout,
        "client;gad2_total;gad2_status;gad2_flags;gad2_error;gad2_notes\nA;3;ok;positive_screen;;\n"
    );
}

/// The README's German example: its command, and every cell of its table, match the output
/// (which keeps the byte-order mark, the `;` and the decimal commas of what was read).
#[test]
fn readme_german_example_is_true() {
    let (block, words) = crate::readme::example("german");
    let block = block.as_str();
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    let run = screenscore(&args, b"");
    assert_eq!(run.code, 0, "{}", run.transcript());
    let input = std::fs::read(root().join("examples/intake-de.csv")).unwrap();
    assert!(input.starts_with("\u{feff}".as_bytes()));
    let output = after_bom(&run.stdout);
    let lines: Vec<Vec<&str>> = output.lines().map(|l| l.split(';').collect()).collect();
    let (header, rows) = lines.split_first().unwrap();
    let table: Vec<Vec<&str>> = block
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let (names, shown_rows) = table.split_first().expect("a table");
    assert_eq!(shown_rows.len(), rows.len());
    for (shown, row) in shown_rows.iter().zip(rows) {
        for (name, shown) in names.iter().zip(shown) {
            let c = header.iter().position(|h| h == name).unwrap();
            let actual = row[c];
            // Numbers may be shown rounded, to the decimals shown (after the comma).
            let number = |t: &str| t.replace(',', ".").parse::<f64>();
            match (number(shown), number(actual)) {
                (Ok(a), Ok(b)) if shown.contains(',') => {
                    let decimals = shown.split(',').nth(1).map_or(0, str::len) as i32;
                    assert!(
                        (a - b).abs() <= 0.5 * 10f64.powi(-decimals),
                        "{name}: {shown} vs {actual}"
                    );
                    assert!(
                        !actual.contains('.'),
                        "{name}: {actual} has a decimal point"
                    );
                }
                _ => assert_eq!(*shown, actual, "{name}"),
            }
        }
    }
}
