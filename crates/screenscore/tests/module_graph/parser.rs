//! The reader of Rust source: tokens, and what one file says (the root items it names, what of
//! it is compiled only for tests, the items `lib.rs` re-exports at the root).

use std::collections::BTreeMap;

/// A token of Rust source, as much as the graph needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
}

/// Tokens and the line each starts on; comments, strings, characters, lifetimes and numbers are
/// left out.
pub fn tokens(text: &str) -> Vec<(Token, usize)> {
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
pub fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
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
pub struct FileFacts {
    /// Root item named (a module or an item re-exported at the root) and the line.
    pub roots: Vec<(String, usize)>,
    /// Child modules declared as files for tests only (`#[cfg(test)] mod tests;`).
    pub test_children: Vec<String>,
    /// The whole file is compiled for tests only (`#![cfg(test)]`).
    pub test_only: bool,
}

/// Whether the attribute tokens (inside `#[…]`) are a `cfg` that needs `test`: `cfg(test)` or
/// `cfg(all(test, …))`.
pub fn is_test_cfg(attribute: &[Token]) -> bool {
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
pub fn matching(tokens: &[(Token, usize)], open: usize) -> usize {
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
pub fn item_end(tokens: &[(Token, usize)], mut k: usize) -> usize {
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
pub fn group_heads(tokens: &[(Token, usize)], k: usize) -> (Vec<(String, usize)>, usize) {
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
pub fn facts(text: &str, depth: usize) -> FileFacts {
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

/// The items re-exported at the crate root by `pub use` lines: item name to module.
pub fn root_exports(lib: &str) -> BTreeMap<String, String> {
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
