//! The bundled definitions: every file in instruments/ is registered, loads, and follows the
//! committed schema, and the committed schema is the one the types generate.

use std::path::PathBuf;

use screenscore::Instrument;

use crate::support::root;

fn definition_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("instruments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("schema.json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_committed_schema_is_not_stale() {
    let generated = screenscore::schema::definition_schema();
    let path = root().join("instruments/schema.json");
    if std::env::var_os("SCREENSCORE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == generated,
        "instruments/schema.json is stale: run `SCREENSCORE_BLESS=1 cargo test` \
         (or `cargo run -- instruments schema > instruments/schema.json`) and commit it"
    );
}

#[test]
fn every_definition_file_is_built_in_and_loads() {
    let files = definition_files();
    let mut ids: Vec<String> = files
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    let mut builtin: Vec<String> = Instrument::builtins().map(|i| i.id().to_string()).collect();
    builtin.sort();
    assert_eq!(
        ids, builtin,
        "instruments/ and the built-in registry must hold the same files"
    );
    for file in &files {
        let loaded = Instrument::from_path(file).unwrap_or_else(|e| panic!("{e}"));
        let stem = file.file_stem().unwrap().to_string_lossy();
        assert_eq!(
            loaded.id(),
            stem,
            "{}: the file is named after the id",
            file.display()
        );
        assert_eq!(
            loaded.definition().schema.as_deref(),
            Some("schema.json"),
            "{}: names the schema for editors",
            file.display()
        );
        assert_eq!(
            Instrument::builtin(&stem).unwrap().definition(),
            loaded.definition()
        );
    }
}

#[test]
fn every_definition_file_follows_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("instruments/schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    for file in definition_files() {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            file.display(),
            errors.join("\n")
        );
    }
    // And the schema refuses what the loader refuses: a misspelt key.
    let typo: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::data("definitions/misspelt-key.json")).unwrap(),
    )
    .unwrap();
    assert!(!validator.is_valid(&typo));
}

#[test]
fn the_core_crate_package_contains_every_definition() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = std::process::Command::new(cargo)
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "-p",
            "screenscore",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    for file in definition_files()
        .iter()
        .chain([&root().join("instruments/schema.json")])
    {
        let name = format!(
            "instruments/{}",
            file.file_name().unwrap().to_string_lossy()
        );
        assert!(
            listed.lines().any(|l| l == name),
            "{name} is not packaged:\n{listed}"
        );
    }
}

/// The catalogue table of instruments/README.md, generated from the built-in definitions.
fn catalogue_table() -> String {
    use screenscore::definition::CommercialUse;
    let cell = |s: &str| s.replace('|', "\\|");
    let mut table = String::from(
        "| ID | Name | Items | Scales | Status | Licence | Source |\n|---|---|---|---|---|---|---|\n",
    );
    for instrument in Instrument::builtins() {
        let def = instrument.definition();
        let scored = def.items.iter().filter(|i| i.scored).count();
        let unscored = def.items.len() - scored;
        let items = if unscored == 0 {
            scored.to_string()
        } else {
            format!("{scored} (+{unscored} not scored)")
        };
        let scales: Vec<String> = def.scales.iter().map(|s| format!("`{}`", s.id)).collect();
        let licence = match def.license.commercial_use {
            CommercialUse::Allowed => def.license.name.clone(),
            CommercialUse::NotAllowed => format!("{} (**non-commercial**)", def.license.name),
            CommercialUse::NotStated => format!("{} (commercial use not stated)", def.license.name),
        };
        table.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            def.id,
            cell(&def.name),
            items,
            scales.join(", "),
            def.status.as_str(),
            cell(&licence),
            cell(&def.citation),
        ));
    }
    table
}

#[test]
fn catalogue_readme_is_current() {
    let path = root().join("instruments/README.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("<!-- catalogue:start").expect("start marker");
    let start = start + text[start..].find("-->").unwrap() + 3;
    let end = text.find("<!-- catalogue:end -->").expect("end marker");
    let generated = format!("\n{}", catalogue_table());
    if std::env::var_os("SCREENSCORE_BLESS").is_some() {
        let updated = format!("{}{}{}", &text[..start], generated, &text[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        text[start..end] == generated,
        "instruments/README.md's catalogue table is stale: run `SCREENSCORE_BLESS=1 cargo test` and commit it"
    );
}

#[test]
fn every_definition_scores_random_valid_administrations_within_range() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    use screenscore::{Responses, Status};

    for file in definition_files() {
        let instrument = Instrument::from_path(&file).unwrap();
        let def = instrument.definition();
        let n = def.items.len();
        // Per item: missing (about 1 in 8), or an option chosen by index; per attribute: a value
        // or nothing.
        let answers = proptest::collection::vec((proptest::bool::weighted(0.125), any::<u16>()), n);
        let attributes = proptest::collection::vec(any::<Option<u16>>(), def.attributes.len());
        let mut runner = TestRunner::new(Config {
            cases: 300,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&(answers, attributes), |(answers, attributes)| {
            let mut responses = Responses::new();
            let mut all_answered = true;
            for (item, (missing, pick)) in def.items.iter().zip(&answers) {
                let set = def
                    .response_sets
                    .iter()
                    .find(|s| s.id == item.response_set)
                    .unwrap();
                if *missing {
                    all_answered = false;
                    continue;
                }
                let option = &set.options[usize::from(*pick) % set.options.len()];
                // Half of the time by label, else by value.
                let text = match option.value {
                    Some(v) if pick % 2 == 0 => screenscore::format_score(v),
                    _ => option.label.clone(),
                };
                responses.set_item(item.id.clone(), text);
            }
            for (attribute, pick) in def.attributes.iter().zip(&attributes) {
                if let Some(pick) = pick {
                    let value = &attribute.values[usize::from(*pick) % attribute.values.len()];
                    responses = responses.attribute(attribute.id.clone(), &value.value);
                }
            }
            let sheet = instrument
                .score(&responses)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_ne!(sheet.status(), Status::Invalid, "{:?}", responses);
            for scale in sheet.scales() {
                if let Some(score) = scale.score() {
                    let (lo, hi) = scale.range();
                    prop_assert!(
                        score >= lo && score <= hi,
                        "{}: {} = {score} outside {lo}..={hi}",
                        def.id,
                        scale.id()
                    );
                }
            }
            if all_answered {
                prop_assert_eq!(
                    sheet.status(),
                    Status::Ok,
                    "{}: every item answered",
                    def.id
                );
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{}: {e}", file.display());
        }
    }
}
