//! The README's worked examples are what the command prints.

use crate::support::{root, screenscore};

/// The README's example `name`: the text between `<!-- NAME-example:start` and
/// `<!-- NAME-example:end -->`, and the words of its `screenscore …` command (a word in single
/// quotes, `';'`, without them).
pub fn example(name: &str) -> (String, Vec<String>) {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find(&format!("<!-- {name}-example:start"))
        .expect("start marker");
    let end = readme
        .find(&format!("<!-- {name}-example:end -->"))
        .expect("end marker");
    let block = readme[start..end].to_string();
    let words = block
        .lines()
        .find_map(|l| l.strip_prefix("screenscore "))
        .expect("a command line")
        .split_whitespace()
        .map(|a| a.trim_matches('\'').to_string())
        .collect();
    (block, words)
}

/// The change example: the command in the block, and every cell of its table, match the output.
#[test]
fn readme_change_example_is_true() {
    let (block, words) = crate::readme::example("change");
    let block = block.as_str();
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
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

/// Options whose value is a file or folder the command writes.
const OUTPUTS: [&str; 4] = ["-o", "--errors", "--out-dir", "--summary-html"];

/// The `screenscore …` commands of the README's `sh` blocks, as words: continued lines joined,
/// comments dropped, `a && b` taken apart, a redirection of standard output cut off.
fn readme_commands(readme: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut in_sh = false;
    let mut line = String::new();
    for raw in readme.lines() {
        if raw.starts_with("```") {
            in_sh = raw == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let text = raw.split(" #").next().unwrap_or_default();
        if let Some(continued) = text.trim_end().strip_suffix('\\') {
            line.push_str(continued);
            line.push(' ');
            continue;
        }
        line.push_str(text);
        for part in line.split("&&") {
            // An install line sends standard output to a file outside the repository
            // (`screenscore man > ~/.local/…`): the command before the redirection is run.
            let part = part.split('>').next().unwrap_or_default();
            // A word in single quotes (`';'`) is the word.
            let words: Vec<String> = part
                .split_whitespace()
                .map(|w| {
                    w.strip_prefix('\'')
                        .and_then(|w| w.strip_suffix('\''))
                        .unwrap_or(w)
                })
                .map(str::to_string)
                .collect();
            if words.first().is_some_and(|w| w == "screenscore") {
                assert!(
                    !words
                        .iter()
                        .any(|w| w.contains(['"', '\'', '$', '|', '>', '<', '`'])),
                    "a README command this test cannot run without a shell: {part}"
                );
                commands.push(words);
            }
        }
        line.clear();
    }
    commands
}

/// Every `screenscore …` line of the README runs as written from the repository root, in a
/// copy of the files it reads, and exits 0 (every row scored) or 1 (finished, some rows
/// invalid), as the README documents; what it writes is ignored by git.
#[test]
fn readme_commands_run_from_the_repository_root() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let commands = readme_commands(&readme);
    assert!(commands.len() >= 12, "{} commands found", commands.len());
    let ignored = std::fs::read_to_string(root().join(".gitignore")).unwrap();
    let dir = crate::support::temp_dir("readme-commands");
    for words in &commands {
        let line = words.join(" ");
        let mut output = false;
        for word in &words[1..] {
            if output {
                let path = word.trim_end_matches('/');
                assert!(
                    ignored.lines().any(|l| l.trim_matches('/') == path),
                    "`{line}` writes {word}, which .gitignore does not ignore"
                );
            } else if !word.starts_with('-') && root().join(word).exists() {
                copy(&root().join(word), &dir.join(word));
            }
            output = OUTPUTS.contains(&word.as_str());
        }
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let run = crate::support::screenscore_in(&dir, &args, b"");
        assert!(
            run.code == 0 || run.code == 1,
            "`{line}` from the repository root: {}",
            run.transcript()
        );
    }
    // "The command exits with status 1 because two rows are invalid."
    let prose = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(prose.contains("The command exits with status 1 because two rows are invalid"));
    let first = &commands[0];
    assert_eq!(first[..2], ["screenscore", "score"]);
    let args: Vec<&str> = first[1..].iter().map(String::as_str).collect();
    assert_eq!(crate::support::screenscore_in(&dir, &args, b"").code, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Copy a file, or a folder and everything in it.
fn copy(from: &std::path::Path, to: &std::path::Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// The attention example: the command in the block prints the text block on standard error.
#[test]
fn readme_attention_example_is_true() {
    let (block, words) = crate::readme::example("attention");
    let block = block.as_str();
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    let run = screenscore(&args, b"");
    assert_eq!(run.code, 1, "{}", run.transcript());
    let shown = block
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a text block");
    assert_eq!(run.stderr, shown);
}
