//! The module graph declared in DESIGN.md, and its cycles.

use std::collections::{BTreeMap, BTreeSet};

/// The graph declared in DESIGN.md: the first fenced block after "## Module graph", one line
/// per module (`module: allowed, allowed`).
pub fn declared() -> BTreeMap<String, BTreeSet<String>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../DESIGN.md");
    let design = std::fs::read_to_string(path).unwrap();
    let section = design
        .split("\n## Module graph")
        .nth(1)
        .expect("DESIGN.md has a section \"## Module graph\"");
    let section = section.split("\n## ").next().unwrap_or_default();
    let block = section
        .split("```")
        .nth(1)
        .expect("the section \"## Module graph\" holds the graph in a fenced block");
    let mut graph = BTreeMap::new();
    for line in block.lines().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (module, allowed) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("DESIGN.md module graph: `{line}` is not `module: a, b`"));
        let allowed: BTreeSet<String> = allowed
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(String::from)
            .collect();
        let previous = graph.insert(module.trim().to_string(), allowed);
        assert!(
            previous.is_none(),
            "DESIGN.md module graph: `{module}` twice"
        );
    }
    graph
}

/// A cycle of the graph, if it has one, as the modules along it.
pub fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        graph: &BTreeMap<String, BTreeSet<String>>,
        module: &str,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|m| m == module) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(module.to_string());
            return Some(cycle);
        }
        if !done.insert(module.to_string()) {
            return None;
        }
        stack.push(module.to_string());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(graph, next, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(graph, m, &mut Vec::new(), &mut done))
}
