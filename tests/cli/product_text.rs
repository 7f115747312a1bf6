//! Text that reaches a user (a definition's notes and sources, `instruments show`, the reports,
//! the READMEs) cites published sources and public repositories, never files that are not in
//! this repository: the working notes and the articles the team read while encoding the
//! definitions are not shipped, so a reader could not follow a reference to them.

use std::path::Path;

use crate::support::{root, screenscore};

/// Names of files that are not in the repository (compared in lower case): the team's working
/// note of scoring facts, the folder of articles given to the team (and its name for them), and
/// the machine's paths.
const NOT_SHIPPED: [&str; 7] = [
    "scoring-facts",
    "scoring facts",
    "scoring_facts",
    "seeds/",
    "seed article",
    "/work/",
    "shared/reference",
];

/// Top-level folders of this repository: a path under one of them, written as a path of this
/// repository (not inside another path or a URL), must exist here. (`docs/` is left out: the
/// definitions cite CamCOPS's `docs/source/tasks/…`, a public repository's path.)
const OWN_FOLDERS: [&str; 7] = [
    "bench/",
    "crates/",
    "examples/",
    "fuzz/",
    "instruments/",
    "scripts/",
    "tests/",
];

/// What is wrong with `text`: each reference to a file that is not in the repository.
fn problems(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut found: Vec<String> = NOT_SHIPPED
        .iter()
        .filter(|m| lower.contains(*m))
        .map(|m| format!("names `{m}`, which is not in the repository"))
        .collect();
    for folder in OWN_FOLDERS {
        for (at, _) in text.match_indices(folder) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || "/._-".contains(c)) {
                continue; // inside another path: a public repository's, or a URL
            }
            let path: String = text[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || "/._-*".contains(*c))
                .collect();
            let path = path.trim_end_matches(['.', '/']);
            if !path.contains('*') && !root().join(path).exists() {
                found.push(format!("names `{path}`, which is not in the repository"));
            }
        }
    }
    found
}

/// Every string of a JSON value, with its path.
fn strings<'v>(value: &'v serde_json::Value, path: String, out: &mut Vec<(String, &'v str)>) {
    match value {
        serde_json::Value::String(s) => out.push((path, s)),
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                strings(v, format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                strings(v, format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// The bundled definitions: file name and parsed JSON.
fn definitions() -> Vec<(String, serde_json::Value)> {
    let mut found: Vec<_> = std::fs::read_dir(root().join("instruments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| p.file_name().is_some_and(|n| n != "schema.json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn the_check_finds_references_to_files_not_in_the_repository() {
    assert_eq!(problems("screenscore policy (SCORING-FACTS 3.1)").len(), 1);
    assert_eq!(problems("see Scoring Facts section 8").len(), 1);
    assert_eq!(problems("seeds/002 J. Nguyen").len(), 1);
    assert_eq!(problems("signs from the seed articles").len(), 1);
    assert_eq!(problems("as tests/data/no-such-file.csv shows").len(), 1);
    assert!(problems("CamCOPS server/camcops_server/tasks/audit.py severity()").is_empty());
    assert!(problems("HL7 US Core input/examples/Questionnaire-phq-9-example.json").is_empty());
    assert!(
        problems("public repository haghish/openpsychometrics, path RSE/codebook.txt").is_empty()
    );
    assert!(problems("see instruments/README.md and examples/intake.csv.").is_empty());
}

/// Every string of every bundled definition, and what `instruments show` prints for it.
#[test]
fn bundled_definitions_and_instruments_show_cite_only_what_a_reader_can_find() {
    let mut bad = Vec::new();
    let definitions = definitions();
    assert!(definitions.len() >= 15, "{} definitions", definitions.len());
    for (file, json) in &definitions {
        let mut found = Vec::new();
        strings(json, String::new(), &mut found);
        for (path, text) in found {
            for problem in problems(text) {
                bad.push(format!("instruments/{file}: {path}: {problem}"));
            }
        }
        let id = json["id"].as_str().unwrap();
        let run = screenscore(&["instruments", "show", id], b"");
        assert_eq!(run.code, 0, "{}", run.transcript());
        for problem in problems(&run.stdout) {
            bad.push(format!("instruments show {id}: {problem}"));
        }
    }
    let list = screenscore(&["instruments", "list"], b"");
    for problem in problems(&list.stdout) {
        bad.push(format!("instruments list: {problem}"));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The READMEs, SECURITY.md, and the reports kept under tests/data/golden (which the golden
/// test holds to what `report` writes today).
#[test]
fn readmes_and_reports_cite_only_what_a_reader_can_find() {
    let mut files = vec![
        root().join("README.md"),
        root().join("SECURITY.md"),
        root().join("instruments/README.md"),
        root().join("crates/screenscore/README.md"),
    ];
    collect(
        &root().join("tests/data/golden/example/reports"),
        &mut files,
    );
    assert!(files.len() > 4, "no kept reports found");
    let mut bad = Vec::new();
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        for problem in problems(&text) {
            bad.push(format!("{}: {problem}", file.display()));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
