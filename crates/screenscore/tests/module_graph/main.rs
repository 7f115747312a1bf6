//! The modules of the core crate import each other in one direction only: every `crate::…` path
//! in `crates/screenscore/src` (in `use` lines and in code) must follow an arrow of the module
//! graph declared in DESIGN.md ("## Module graph"), and that graph must have no cycle.
//!
//! How the sources are read:
//! - a file belongs to the top-level module its path names (`src/compile/scales.rs` to
//!   `compile`); `lib.rs` is the crate root, whose `pub use` lines say which module an item named
//!   at the root comes from (`crate::Instrument` is `instrument`'s);
//! - paths are taken from code only: comments (doc comments too) and string literals are
//!   skipped, and so is code compiled only for tests (`#[cfg(test)]` modules, files and items),
//!   since a module's tests may drive it through the API above it;
//! - `crate::a`, `crate::{a, b::c}`, `$crate::a` and `super::…` climbing to the root count.

mod graph;
mod parser;
mod sources;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::graph::{cycle, declared};
use crate::parser::{facts, root_exports};
use crate::sources::{arrows, module_path, rust_files};

#[test]
fn the_declared_module_graph_has_no_cycle() {
    let graph = declared();
    if let Some(cycle) = cycle(&graph) {
        panic!(
            "the module graph in DESIGN.md has a cycle: {}",
            cycle.join(" -> ")
        );
    }
    for (module, allowed) in &graph {
        for to in allowed {
            assert!(
                graph.contains_key(to),
                "DESIGN.md module graph: `{module}` may use `{to}`, which has no line of its own"
            );
        }
    }
}

#[test]
fn every_import_between_modules_follows_the_declared_graph() {
    let graph = declared();
    let src = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let modules: BTreeSet<String> = rust_files(&src)
        .iter()
        .filter_map(|f| module_path(&src, f).first().cloned())
        .collect();
    let mut problems = Vec::new();
    for module in &modules {
        if !graph.contains_key(module) {
            problems.push(format!(
                "module `{module}` has no line in DESIGN.md's module graph"
            ));
        }
    }
    for module in graph.keys() {
        if !modules.contains(module) {
            problems.push(format!(
                "DESIGN.md's module graph names `{module}`, which src/ does not have"
            ));
        }
    }
    for ((from, to), places) in arrows() {
        if !graph
            .get(&from)
            .is_some_and(|allowed| allowed.contains(&to))
        {
            problems.push(format!(
                "{from} -> {to} is not in DESIGN.md's module graph: {}",
                places.join(", ")
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The reader itself, on the forms the sources use.
#[test]
fn paths_are_read_from_code_only() {
    let text = r##"
        //! [`Instrument`](crate::Instrument) in a doc comment
        use crate::{definition::Scale, error::Error};
        use crate::matcher::trim; // crate::norms in a comment
        /* crate::stats /* nested */ crate::batch */
        fn f() -> &'static str { let _ = crate::sheet::Status::Ok; let _c = '"'; "crate::output" }
        fn g() -> &'static str { r#"crate::clients "# }
        pub(crate) fn h() { super::super::timeline::x(); super::change::y(); }
        pub(super) fn i() {}
        #[cfg(test)]
        mod tests { use crate::responses::Responses; }
        #[cfg(test)]
        mod more;
        #[cfg(all(test, unix))]
        fn only_in_tests() { crate::registry::x(); }
        mod inline { fn f() { super::super::super::date::x(); super::super::local(); } }
    "##;
    let facts = facts(text, 2);
    let roots: Vec<&str> = facts.roots.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        roots,
        [
            "definition",
            "error",
            "matcher",
            "sheet",
            "timeline",
            "date"
        ]
    );
    assert_eq!(facts.test_children, ["more"]);
    assert_eq!(
        root_exports("pub use a::{B, C as D};\npub use e::F;\nmod g;"),
        BTreeMap::from([
            ("B".to_string(), "a".to_string()),
            ("D".to_string(), "a".to_string()),
            ("F".to_string(), "e".to_string()),
        ])
    );
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(cycle(&graph).unwrap(), ["a", "b", "a"]);
}
