//! The sources of the core crate: its files, their module paths, and the arrows they draw.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::parser::{FileFacts, facts, root_exports};

/// Every `.rs` file under `dir`, sorted.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// A file's module path (`src/a/b.rs` and `src/a/b/mod.rs`: `[a, b]`; `src/lib.rs`: `[]`).
pub fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// Every arrow the sources draw: (from, to) with the file and line of each mention.
pub fn arrows() -> BTreeMap<(String, String), Vec<String>> {
    let src = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let files = rust_files(&src);
    let text = |f: &Path| std::fs::read_to_string(f).unwrap();
    let exports = root_exports(&text(&src.join("lib.rs")));
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_path(&src, f))
        .filter_map(|p| p.first().cloned())
        .collect();
    // Module paths declared as files, and those compiled only for tests.
    let mut read: BTreeMap<Vec<String>, FileFacts> = BTreeMap::new();
    for file in &files {
        let path = module_path(&src, file);
        read.insert(path.clone(), facts(&text(file), path.len()));
    }
    let is_test = |path: &[String]| {
        (1..=path.len()).any(|n| {
            let declared_for_tests = read
                .get(&path[..n - 1])
                .is_some_and(|parent| parent.test_children.contains(&path[n - 1]));
            declared_for_tests || read.get(&path[..n]).is_some_and(|f| f.test_only)
        })
    };
    let mut arrows: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for file in &files {
        let path = module_path(&src, file);
        let Some(from) = path.first() else { continue };
        if is_test(&path) {
            continue;
        }
        let shown = file.strip_prefix(&src).unwrap().display();
        for (name, line) in &read[&path].roots {
            let to = if modules.contains(name) {
                name
            } else if let Some(module) = exports.get(name) {
                module
            } else {
                panic!(
                    "src/{shown}:{line}: `crate::{name}` is neither a module nor re-exported at the root"
                );
            };
            if to != from {
                arrows
                    .entry((from.clone(), to.clone()))
                    .or_default()
                    .push(format!("src/{shown}:{line}"));
            }
        }
    }
    arrows
}
