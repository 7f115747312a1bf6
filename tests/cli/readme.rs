//! The README's worked examples are what the command prints.

use crate::support::{root, screenscore};

/// The change example: the command in the block, and every cell of its table, match the output.
#[test]
fn readme_change_example_is_true() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- change-example:start")
        .expect("start marker");
    let end = readme
        .find("<!-- change-example:end -->")
        .expect("end marker");
    let block = &readme[start..end];
    let command = block
        .lines()
        .find_map(|l| l.strip_prefix("screenscore "))
        .expect("a command line");
    let args: Vec<&str> = command.split_whitespace().collect();
    let run = screenscore(&args, b"");
    assert!(run.code == 0 || run.code == 1, "{}", run.transcript());
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    let output: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();

    let table: Vec<Vec<&str>> = block
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let (names, rows) = table.split_first().expect("a table");
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    assert!(!rows.is_empty());
    for row in rows {
        let (client, date) = (row[0], row[1]);
        let found = output
            .iter()
            .find(|r| &r[column(names[0])] == client && &r[column(names[1])] == date)
            .unwrap_or_else(|| panic!("no output row for {client} {date}"));
        for (name, shown) in names.iter().zip(row) {
            let actual = &found[column(name)];
            // Numbers may be shown rounded: they must agree to the decimals shown.
            match (shown.parse::<f64>(), actual.parse::<f64>()) {
                (Ok(a), Ok(b)) => {
                    let decimals = shown.split('.').nth(1).map_or(0, str::len) as i32;
                    assert!(
                        (a - b).abs() <= 0.5 * 10f64.powi(-decimals),
                        "{client} {date} {name}: README {shown}, output {actual}"
                    );
                }
                _ => assert_eq!(*shown, actual, "{client} {date} {name}"),
            }
        }
    }
}

/// The attention example: the command in the block prints the text block on standard error.
#[test]
fn readme_attention_example_is_true() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- attention-example:start")
        .expect("start marker");
    let end = readme
        .find("<!-- attention-example:end -->")
        .expect("end marker");
    let block = &readme[start..end];
    let command = block
        .lines()
        .find_map(|l| l.strip_prefix("screenscore "))
        .expect("a command line");
    let args: Vec<&str> = command.split_whitespace().collect();
    let run = screenscore(&args, b"");
    assert_eq!(run.code, 1, "{}", run.transcript());
    let shown = block
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a text block");
    assert_eq!(run.stderr, shown);
}
