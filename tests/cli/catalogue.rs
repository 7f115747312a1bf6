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
