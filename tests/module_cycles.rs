//! No two modules of a crate import each other, directly or through others.
//!
//! Reads every `.rs` file under each crate's `src/`, takes a file's top-level module from its
//! path (`src/log/writer.rs` belongs to `log`; `lib.rs` and `main.rs` are the root), collects the
//! `crate::…` names it uses (`use crate::{a, b::c}` as well as `crate::a::f()`), maps names the
//! root re-exports (`pub use error::AppError`) to the module that defines them, and reports each
//! strongly connected component of more than one module. Comments are ignored (doc links are no
//! dependency). Run with `--nocapture` to see the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Imports that still close a cycle, left out of the check until they are broken, each with
/// why. Keep this list short: a new entry needs a reason a reviewer accepts.
const KNOWN: &[(&str, &str, &str, &str)] = &[
    (
        "crates/eventday-store/src",
        "db",
        "live",
        "the `Store` handle owns the live hub, which it starts on first use with a `Store` clone",
    ),
    (
        "crates/eventday-store/src",
        "db",
        "log",
        "the `Store` handle owns the log writer, which it starts on first use with a `Store` clone",
    ),
    (
        "crates/eventday-store/src",
        "db",
        "auth_cache",
        "the `Store` handle owns the per-process lookup caches of accounts and venue scopes",
    ),
];

const CRATES: &[&str] = &[
    "src",
    "crates/eventday-domain/src",
    "crates/eventday-store/src",
    "crates/eventday-web/src",
    "crates/eventday-report/src",
    "migrations/src",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to, or `None` for the crate root.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_owned();
    (!matches!(name.as_str(), "lib" | "main")).then_some(name)
}

/// The text without `//` comments (a `//` inside a string ends that line early; harmless here)
/// and without `#[cfg(test)] mod … { … }` blocks: a test module may use any module of its crate.
fn strip_comments(text: &str) -> String {
    let text = text.lines().map(|l| l.find("//").map_or(l, |i| &l[..i])).collect::<Vec<_>>().join("\n");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "#[cfg(test)]".len()..];
        let is_mod = after.trim_start().starts_with("mod ");
        let Some(open) = after.find(['{', ';']).filter(|_| is_mod) else {
            rest = after;
            continue;
        };
        if after.as_bytes()[open] == b';' {
            rest = &after[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (j, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn ident_at(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The first path segments named after each `crate::` (inside `{…}` groups too).
fn crate_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue; // `$crate::`, `eventday_store::crate…`
        }
        let tail = rest.trim_start();
        if let Some(group) = tail.strip_prefix('{') {
            let mut depth = 1;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => start = true,
                    c if depth == 1 && start && (c.is_alphabetic() || c == '_') => {
                        names.insert(ident_at(&group[j..]).to_owned());
                        start = false;
                    }
                    c if !c.is_whitespace() => start = false,
                    _ => {}
                }
            }
        } else {
            let name = ident_at(tail);
            if !name.is_empty() {
                names.insert(name.to_owned());
            }
        }
    }
    names
}

/// Names the root re-exports with `pub use module::…`, mapped to their module.
fn root_reexports(root: &str, modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for stmt in root.split(';') {
        let Some(i) = stmt.find("pub use ") else { continue };
        let path = stmt[i + "pub use ".len()..].trim();
        let path = path.strip_prefix("crate::").unwrap_or(path);
        let module = ident_at(path);
        if !modules.contains(module) {
            continue;
        }
        let after = &path[module.len()..];
        let names: Vec<&str> = match after.find('{') {
            Some(b) => after[b + 1..].trim_end_matches('}').split(',').collect(),
            None => vec![after.rsplit("::").next().unwrap_or("")],
        };
        for n in names {
            let n = n.trim();
            let n = n.rsplit(" as ").next().unwrap_or(n).rsplit("::").next().unwrap_or(n).trim();
            if !n.is_empty() {
                map.insert(n.to_owned(), module.to_owned());
            }
        }
    }
    map
}

fn graph_of(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(src, f)).collect();
    let root: String = files
        .iter()
        .filter(|f| module_of(src, f).is_none())
        .filter_map(|f| fs::read_to_string(f).ok())
        .map(|t| strip_comments(&t))
        .collect();
    let reexports = root_reexports(&root, &modules);
    let mut graph: Graph = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    for file in &files {
        let Some(from) = module_of(src, file) else { continue };
        let Ok(text) = fs::read_to_string(file) else { continue };
        for name in crate_names(&strip_comments(&text)) {
            let to = if modules.contains(&name) { Some(&name) } else { reexports.get(&name) };
            if let Some(to) = to.filter(|to| **to != from) {
                graph.entry(from.clone()).or_default().insert(to.clone());
            }
        }
    }
    graph
}

/// Tarjan's strongly connected components with more than one member.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).map_or(lw, |l| {
                    *l = (*l).min(lw);
                    *l
                });
                let _ = lv;
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                if let Some(l) = s.low.get_mut(v) {
                    *l = (*l).min(iw);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}

#[test]
fn no_modules_of_a_crate_import_each_other_in_a_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for krate in CRATES {
        let mut graph = graph_of(&root.join(krate));
        assert!(!graph.is_empty(), "{krate}: no modules found");
        println!("{krate}:");
        for (_, from, to, why) in KNOWN.iter().filter(|k| k.0 == *krate) {
            if graph.get_mut(*from).is_some_and(|t| t.remove(*to)) {
                println!("  (known, left out: {from} -> {to}: {why})");
            }
        }
        for (from, to) in &graph {
            println!("  {from} -> {}", to.iter().cloned().collect::<Vec<_>>().join(", "));
        }
        for component in cycles(&graph) {
            problems.push(format!("{krate}: {}", component.join(" <-> ")));
        }
    }
    assert!(problems.is_empty(), "module cycles:\n{}", problems.join("\n"));
}

#[test]
fn the_scanner_sees_grouped_and_inline_paths_and_a_cycle() {
    let names = crate_names("use crate::{a, b::{c, d}, e as f};\nlet x = crate::g::h(); $crate::z;");
    assert_eq!(names.into_iter().collect::<Vec<_>>(), ["a", "b", "e", "g"]);
    let graph: Graph = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]
        .into_iter()
        .map(|(x, y)| (x.to_owned(), BTreeSet::from([y.to_owned()])))
        .collect();
    assert_eq!(cycles(&graph), vec![vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]]);
}
