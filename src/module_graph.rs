//! Guards the shape of `src/`: the modules (one node per file) must form no cycle.
//!
//! A cycle means no module of it can be understood, tested or moved without the others; the
//! review of issue 20 found one running through nine files (commands calling each other through
//! clap structs). The graph is read from the source text, so it needs no extra tool: each file is
//! a node, and an edge goes from a file to the module file that one of its paths names —
//! `crate::a::b`, `super::x`, `self::x`, or a child module by its name (`code::render` in
//! `generate/mod.rs`). A path names the deepest module file it reaches (`crate::migrate::lock::X`
//! is `migrate/lock.rs`, `crate::generate::sql_text` is `generate/mod.rs`). `mod x;` declarations
//! are the tree, not dependencies, and `#[cfg(test)]` code is left out: a test may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path from the crate root (`["generate", "code"]`); the root is `[]`.
type ModulePath = Vec<String>;

struct Module {
    file: PathBuf,
    /// The source without comments, literals and `#[cfg(test)]` items.
    code: String,
    children: BTreeSet<String>,
}

/// Every module of the library, read from `lib.rs` down through its `mod x;` declarations.
fn modules(src: &Path) -> BTreeMap<ModulePath, Module> {
    let mut found = BTreeMap::new();
    let mut pending = vec![(Vec::new(), src.join("lib.rs"))];
    while let Some((path, file)) = pending.pop() {
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let code = without_test_items(&strip_comments_and_literals(&text));
        // `lib.rs` and `mod.rs` hold their children beside them; `x.rs` in `x/`.
        let is_dir_owner = matches!(
            file.file_name().and_then(|n| n.to_str()),
            Some("lib.rs" | "mod.rs")
        );
        let child_dir = if is_dir_owner {
            file.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            file.with_extension("")
        };
        let mut children = BTreeSet::new();
        let placed = path_attributes(&text);
        for name in declared_modules(&code) {
            let flat = child_dir.join(format!("{name}.rs"));
            let child_file = if let Some(placed) = placed.get(&name) {
                // `#[path]` is relative to the declaring file's directory.
                file.parent().unwrap_or(Path::new("")).join(placed)
            } else if flat.is_file() {
                flat
            } else {
                child_dir.join(&name).join("mod.rs")
            };
            let mut child_path = path.clone();
            child_path.push(name.clone());
            pending.push((child_path, child_file));
            children.insert(name);
        }
        found.insert(
            path,
            Module {
                file,
                code,
                children,
            },
        );
    }
    found
}

/// The files `#[path = "…"]` gives `mod x;` declarations (a plugin's options, in its unit's
/// directory), by module name.
fn path_attributes(text: &str) -> BTreeMap<String, String> {
    const OPEN: &str = "#[path = \"";
    let mut placed = BTreeMap::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find("\"]") else {
            break;
        };
        let declaration = after[end + 2..]
            .trim_start()
            .lines()
            .next()
            .unwrap_or_default();
        let name = declaration
            .split_once("mod ")
            .and_then(|(_, name)| name.strip_suffix(';'));
        if let Some(name) = name {
            placed.insert(name.trim().to_owned(), after[..end].to_owned());
        }
        rest = &after[end..];
    }
    placed
}

/// The names of `mod x;` declarations (file modules, not inline ones).
fn declared_modules(code: &str) -> Vec<String> {
    let tokens = tokens(code);
    let mut names = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if token == "mod"
            && let (Some(name), Some(end)) = (tokens.get(i + 1), tokens.get(i + 2))
            && end == ";"
        {
            names.push(name.clone());
        }
    }
    names
}

/// `text` with comments, string, char and raw-string literals blanked out, so that neither a doc
/// comment nor a template's text reads as a path.
fn strip_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !chars.get(i.wrapping_sub(1)).is_some_and(|p| is_ident(*p))
        {
            // A raw string: r"…", r#"…"#, …
            let mut hashes = 0;
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) == Some(&'"') {
                j += 1;
                loop {
                    if j >= chars.len() {
                        break;
                    }
                    if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
            } else {
                out.push(c);
                i += 1;
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}'), else a lifetime ('a), kept.
            let end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            if let Some(end) = end {
                out.push_str("' '");
                i = end + 1;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `code` without the items under `#[cfg(test)]` (a `mod tests { … }`, a test-only `use` or fn).
fn without_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        // The item ends at its first `;` outside braces, or at the brace closing its body.
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Identifiers and single punctuation characters; `::` is one token.
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_ident(c) {
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".to_owned());
            i += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            i += 1;
        }
    }
    tokens
}

/// Every path in `tokens` that starts with `crate`, `super`, `self` or one of `children`, with
/// `use` trees (`crate::{a, b::c}`) expanded: each as its segments.
fn paths(tokens: &[String], children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        let starts_path =
            ["crate", "super", "self"].contains(&token.as_str()) || children.contains(token);
        let after_colons = i > 0 && tokens[i - 1] == "::";
        if starts_path && !after_colons && tokens.get(i + 1).is_some_and(|t| t == "::") {
            i = tree(tokens, i, &[], &mut found);
        } else {
            i += 1;
        }
    }
    found
}

/// Reads the path or use tree starting at `tokens[i]` under `prefix`, pushing each full path;
/// returns the index after it.
fn tree(tokens: &[String], mut i: usize, prefix: &[String], found: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix.to_vec();
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                while tokens.get(i).is_some_and(|t| t != "}") {
                    if tokens[i] == "," {
                        i += 1;
                    } else {
                        i = tree(tokens, i, &path, found);
                    }
                }
                return i + 1;
            }
            Some(word) if word.chars().all(is_ident) => {
                path.push(word.to_owned());
                i += 1;
                match tokens.get(i).map(String::as_str) {
                    Some("::") => i += 1,
                    // A call names a function, not a module of the same name
                    // (`generate::code(…)` is in `generate/mod.rs`, not `generate/code.rs`).
                    Some("(" | "!") => {
                        path.pop();
                        found.push(path);
                        return i;
                    }
                    _ => {
                        found.push(path);
                        return i;
                    }
                }
            }
            _ => {
                found.push(path);
                return i;
            }
        }
    }
}

/// The module file that `path`, written in module `from`, names: the deepest module it reaches.
fn resolve(
    path: &[String],
    from: &ModulePath,
    known: &BTreeMap<ModulePath, Module>,
) -> Option<ModulePath> {
    // Where the path starts, and how many of its leading segments say so.
    let ups = path.iter().take_while(|s| *s == "super").count();
    let (mut absolute, skip) = match path.first().map(String::as_str) {
        Some("crate") => (Vec::new(), 1),
        Some("super") => (from[..from.len().checked_sub(ups)?].to_vec(), ups),
        Some("self") => (from.clone(), 1),
        _ => (from.clone(), 0),
    };
    let mut deepest = known.contains_key(&absolute).then(|| absolute.clone());
    for segment in &path[skip..] {
        absolute.push(segment.clone());
        if known.contains_key(&absolute) {
            deepest = Some(absolute.clone());
        } else {
            break;
        }
    }
    deepest
}

/// The dependency graph: for each module, the modules its code names.
fn graph(modules: &BTreeMap<ModulePath, Module>) -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    modules
        .iter()
        .map(|(from, module)| {
            let targets = paths(&tokens(&module.code), &module.children)
                .iter()
                .filter_map(|path| resolve(path, from, modules))
                .filter(|to| to != from)
                .collect();
            (from.clone(), targets)
        })
        .collect()
}

/// The strongly connected components with more than one module (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<ModulePath>> {
    struct State<'a> {
        graph: &'a BTreeMap<ModulePath, BTreeSet<ModulePath>>,
        index: BTreeMap<&'a ModulePath, usize>,
        low: BTreeMap<&'a ModulePath, usize>,
        stack: Vec<&'a ModulePath>,
        on_stack: BTreeSet<&'a ModulePath>,
        found: Vec<Vec<ModulePath>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a ModulePath) {
        let next = state.index.len();
        state.index.insert(node, next);
        state.low.insert(node, next);
        state.stack.push(node);
        state.on_stack.insert(node);
        for target in state.graph.get(node).into_iter().flatten() {
            if !state.index.contains_key(target) {
                visit(state, target);
                let low = state.low[node].min(state.low[target]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(target) {
                let low = state.low[node].min(state.index[target]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                component.push(member.clone());
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.found
}

/// One cycle through `component`, as `a.rs -> b.rs -> a.rs`: the path to fix.
fn describe(
    component: &[ModulePath],
    graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>,
    modules: &BTreeMap<ModulePath, Module>,
    src: &Path,
) -> String {
    let members: BTreeSet<&ModulePath> = component.iter().collect();
    let start = &component[0];
    // Breadth-first from `start` inside the component, back to `start`.
    let mut came_from: BTreeMap<&ModulePath, &ModulePath> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut last = None;
    'search: while let Some(node) = queue.pop_front() {
        for target in &graph[node] {
            if target == start {
                last = Some(node);
                break 'search;
            }
            if members.contains(target) && !came_from.contains_key(target) {
                came_from.insert(target, node);
                queue.push_back(target);
            }
        }
    }
    let mut cycle = vec![start];
    let mut node = last.unwrap_or(start);
    while node != start {
        cycle.push(node);
        node = came_from[node];
    }
    cycle.push(start);
    let inner = cycle.len() - 1;
    cycle[1..inner].reverse();
    let name = |path: &ModulePath| {
        let file = &modules[path].file;
        file.strip_prefix(src).unwrap_or(file).display().to_string()
    };
    let all: Vec<String> = component.iter().map(name).collect();
    let chain: Vec<String> = cycle.iter().map(|p| name(p)).collect();
    format!(
        "{} modules in a cycle: {}\n  for example {}",
        component.len(),
        all.join(", "),
        chain.join(" -> ")
    )
}

#[test]
fn src_has_no_module_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    assert!(
        modules.len() > 20,
        "the module tree was not read from lib.rs"
    );
    let graph = graph(&modules);
    let found: Vec<String> = cycles(&graph)
        .iter()
        .map(|component| describe(component, &graph, &modules, &src))
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_reader_sees_paths_use_trees_and_children_but_not_comments_or_tests() {
    let code = without_test_items(&strip_comments_and_literals(
        "use crate::{a::b, c};\n// crate::d\nlet s = \"crate::e\";\nlet c = '{';\nx::f();\n\
         #[cfg(test)]\nmod tests { use crate::g; }\nsuper::h::I;\nx::code(1);\n",
    ));
    let children = BTreeSet::from(["x".to_owned()]);
    let found = paths(&tokens(&code), &children);
    let text: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        text,
        ["crate::a::b", "crate::c", "x", "super::h::I", "x"],
        "a call's last segment is its function"
    );
}
