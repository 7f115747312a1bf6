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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A token of Rust source, as much as the graph needs.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
}

/// Tokens and the line each starts on; comments, strings, characters, lifetimes and numbers are
/// left out.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        let start = line;
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            loop {
                if i >= chars.len() {
                    break;
                } else if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, i) {
            // r"…", r#"…"#, br"…": up to the quote followed by as many hashes.
            i = chars[i..]
                .iter()
                .position(|&c| c == '"')
                .map_or(chars.len(), |p| i + p + 1);
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|h| at(i + h) == '#') {
                    i += 1 + hashes;
                    break;
                }
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
        } else if c == '"' || ((c == 'b' || c == 'c') && at(i + 1) == '"') {
            i += if c == '"' { 1 } else { 2 };
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                line += usize::from(at(i) == '\n');
                i += 1;
            }
            i += 1;
        } else if c == '\'' || (c == 'b' && at(i + 1) == '\'') {
            // A character literal ('x', '\n', '\u{1F600}', b'x') or a lifetime ('a).
            let j = if c == 'b' { i + 2 } else { i + 1 };
            if at(j) == '\\' {
                // The escaped character, then up to the closing quote (`'\u{1F600}'`).
                i = j + 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(j + 1) == '\'' {
                i = j + 2;
            } else {
                i = j;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() {
            while at(i).is_alphanumeric()
                || at(i) == '_'
                || (at(i) == '.' && at(i + 1).is_ascii_digit())
            {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            if c == 'r' && at(i + 1) == '#' {
                i += 2; // a raw identifier
            }
            let begin = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            out.push((Token::Ident(chars[begin..i].iter().collect()), start));
        } else if c == ':' && at(i + 1) == ':' {
            out.push((Token::Path, start));
            i += 2;
        } else {
            out.push((Token::Punct(c), start));
            i += 1;
        }
    }
    out
}

/// At a raw string literal (`r"`, `r#"`, `br"`, `cr#"`…): how many hashes it has.
fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if matches!(chars.get(j), Some('b' | 'c')) {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    (chars.get(j + hashes) == Some(&'"')).then_some(hashes)
}

/// What one file says: the root items it names (with their lines), and what of it is compiled
/// only for tests.
#[derive(Debug, Default)]
struct FileFacts {
    /// Root item named (a module or an item re-exported at the root) and the line.
    roots: Vec<(String, usize)>,
    /// Child modules declared as files for tests only (`#[cfg(test)] mod tests;`).
    test_children: Vec<String>,
    /// The whole file is compiled for tests only (`#![cfg(test)]`).
    test_only: bool,
}

/// Whether the attribute tokens (inside `#[…]`) are a `cfg` that needs `test`: `cfg(test)` or
/// `cfg(all(test, …))`.
fn is_test_cfg(attribute: &[Token]) -> bool {
    let ident = |k: usize| match attribute.get(k) {
        Some(Token::Ident(s)) => Some(s.as_str()),
        _ => None,
    };
    let idents: Vec<&str> = (0..attribute.len()).filter_map(ident).collect();
    match idents.as_slice() {
        ["cfg", "test"] => true,
        ["cfg", "all", rest @ ..] => {
            rest.contains(&"test") && !rest.contains(&"not") && !rest.contains(&"any")
        }
        _ => false,
    }
}

/// The index of the bracket closing the one at `open` (`(`, `[` or `{`).
fn matching(tokens: &[(Token, usize)], open: usize) -> usize {
    let mut depth = 0i32;
    for (k, (token, _)) in tokens.iter().enumerate().skip(open) {
        match token {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// The end (exclusive) of the item starting at `k`: after its `;` or its closing brace.
fn item_end(tokens: &[(Token, usize)], mut k: usize) -> usize {
    let mut depth = 0i32;
    while k < tokens.len() {
        match tokens[k].0 {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']') => depth -= 1,
            Token::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            Token::Punct(';') if depth == 0 => return k + 1,
            _ => {}
        }
        k += 1;
    }
    k
}

/// The first identifier of each entry of the `{…}` group opening at `k`, and where it ends.
fn group_heads(tokens: &[(Token, usize)], k: usize) -> (Vec<(String, usize)>, usize) {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut expecting = true;
    let mut j = k;
    while j < tokens.len() {
        match &tokens[j].0 {
            Token::Punct('{') => {
                depth += 1;
                expecting = depth == 1;
            }
            Token::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return (heads, j + 1);
                }
            }
            Token::Punct(',') if depth == 1 => expecting = true,
            Token::Ident(name) if depth == 1 && expecting => {
                heads.push((name.clone(), tokens[j].1));
                expecting = false;
            }
            _ => {}
        }
        j += 1;
    }
    (heads, j)
}

/// Read one file at module depth `depth` (1 for `src/a.rs` and `src/a/mod.rs`).
fn facts(text: &str, depth: usize) -> FileFacts {
    let tokens = tokens(text);
    let mut facts = FileFacts::default();
    let ident = |k: usize| match tokens.get(k) {
        Some((Token::Ident(s), _)) => Some(s.as_str()),
        _ => None,
    };
    let is = |k: usize, t: Token| tokens.get(k).is_some_and(|(x, _)| *x == t);
    // Open inline modules: the brace depth each opened at.
    let mut inline: Vec<i32> = Vec::new();
    let mut braces = 0i32;
    let mut test_next = false;
    let mut k = 0;
    while k < tokens.len() {
        let line = tokens[k].1;
        if is(k, Token::Punct('#')) {
            let inner = is(k + 1, Token::Punct('!'));
            let open = if inner { k + 2 } else { k + 1 };
            if is(open, Token::Punct('[')) {
                let close = matching(&tokens, open);
                let attribute: Vec<Token> = tokens[open + 1..close.min(tokens.len())]
                    .iter()
                    .map(|(t, _)| t.clone())
                    .collect();
                if is_test_cfg(&attribute) {
                    if inner && braces == 0 {
                        return FileFacts {
                            test_only: true,
                            ..FileFacts::default()
                        };
                    }
                    test_next = true;
                }
                k = close + 1;
                continue;
            }
        }
        if test_next {
            // The item is compiled for tests only: skip it, noting a module declared as a file.
            test_next = false;
            let mut j = k;
            if ident(j) == Some("pub") {
                j += 1;
                if is(j, Token::Punct('(')) {
                    j = matching(&tokens, j) + 1;
                }
            }
            if ident(j) == Some("mod")
                && let Some(name) = ident(j + 1)
                && is(j + 2, Token::Punct(';'))
            {
                facts.test_children.push(name.to_string());
            }
            k = item_end(&tokens, k);
            continue;
        }
        match &tokens[k].0 {
            Token::Punct('{') => braces += 1,
            Token::Punct('}') => {
                braces -= 1;
                if inline.last() == Some(&braces) {
                    inline.pop();
                }
            }
            Token::Ident(word)
                if word == "mod" && ident(k + 1).is_some() && is(k + 2, Token::Punct('{')) =>
            {
                inline.push(braces);
            }
            Token::Ident(word)
                if word == "crate"
                    && is(k + 1, Token::Path)
                    && !is(k.wrapping_sub(1), Token::Path) =>
            {
                if is(k + 2, Token::Punct('{')) {
                    let (heads, end) = group_heads(&tokens, k + 2);
                    facts.roots.extend(heads);
                    k = end;
                    continue;
                } else if let Some(name) = ident(k + 2) {
                    facts.roots.push((name.to_string(), line));
                }
            }
            Token::Ident(word) if word == "super" && !is(k.wrapping_sub(1), Token::Path) => {
                let mut climbs = 0;
                let mut j = k;
                while ident(j) == Some("super") && is(j + 1, Token::Path) {
                    climbs += 1;
                    j += 2;
                }
                if climbs >= depth + inline.len() {
                    if is(j, Token::Punct('{')) {
                        let (heads, end) = group_heads(&tokens, j);
                        facts.roots.extend(heads);
                        k = end;
                        continue;
                    } else if let Some(name) = ident(j) {
                        facts.roots.push((name.to_string(), line));
                    }
                }
                // `pub(super)` climbs nowhere.
                k = j.max(k + 1);
                continue;
            }
            _ => {}
        }
        k += 1;
    }
    facts
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
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
fn module_path(src: &Path, file: &Path) -> Vec<String> {
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

/// The items re-exported at the crate root by `pub use` lines: item name to module.
fn root_exports(lib: &str) -> BTreeMap<String, String> {
    let tokens = tokens(lib);
    let mut exports = BTreeMap::new();
    let ident = |k: usize| match tokens.get(k) {
        Some((Token::Ident(s), _)) => Some(s.clone()),
        _ => None,
    };
    let mut k = 0;
    while k < tokens.len() {
        if ident(k).as_deref() == Some("pub") && ident(k + 1).as_deref() == Some("use") {
            let end = item_end(&tokens, k);
            let module = ident(k + 2).expect("a module after `pub use`");
            // Leaves: an identifier followed by `,`, `}` or `;`, or the name after `as`.
            for j in k + 3..end {
                let next = tokens.get(j + 1).map(|(t, _)| t.clone());
                if let Some(name) = ident(j)
                    && name != "as"
                    && matches!(next, Some(Token::Punct(',' | '}' | ';')))
                {
                    exports.insert(name, module.clone());
                }
            }
            k = end;
        } else {
            k += 1;
        }
    }
    exports
}

/// The graph declared in DESIGN.md: the first fenced block after "## Module graph", one line
/// per module (`module: allowed, allowed`).
fn declared() -> BTreeMap<String, BTreeSet<String>> {
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
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
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

/// Every arrow the sources draw: (from, to) with the file and line of each mention.
fn arrows() -> BTreeMap<(String, String), Vec<String>> {
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
