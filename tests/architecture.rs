//! The house as drawn: the library's stages, in the order `src/lib.rs`
//! declares them, each using only the stages before it, and no circle of
//! imports between modules anywhere. The graph is read from the code: every
//! `crate::…` path (in `use` lines and in expressions) and every `super::`
//! path, outside comments and unit tests, names the module it reaches into;
//! a parent and its child module that reach into each other are a circle too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path (`check::finance`) from its file.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (line and block), strings kept.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let (mut in_str, mut block) = (false, 0usize);
    while let Some(c) = chars.next() {
        if block > 0 {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                block -= 1;
            } else if c == '/' && chars.peek() == Some(&'*') {
                chars.next();
                block += 1;
            }
            continue;
        }
        if in_str {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '/' if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                block = 1;
            }
            _ => out.push(c),
        }
    }
    out
}

/// The longest known module that `path` (segments after `crate::`) names.
fn target(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|m| modules.contains(m))
}

/// Every module path a file's code reaches: `crate::a::b::…`, the names in
/// `use crate::a::{b, c::d}`, and `super::…` resolved from the file.
fn imports(code: &str, me: &[String], modules: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let text = code;
    for (start, root) in [("crate::", "crate"), ("super::", "super")] {
        let mut from = 0;
        while let Some(at) = text[from..].find(start) {
            let at = from + at;
            from = at + start.len();
            if at > 0 && text[..at].chars().next_back().is_some_and(|c| word(c) || c == ':') {
                continue;
            }
            let base: Vec<String> = if root == "crate" {
                Vec::new()
            } else {
                // `super` of `a/b.rs` is `a`; of `a/b/mod.rs` (module
                // `a::b`) it is `a` too.
                me[..me.len().saturating_sub(1)].to_vec()
            };
            // Read the path, with one level of `{…}` groups.
            let rest = &text[from..];
            let mut segs = base.clone();
            let mut chars = rest.char_indices().peekable();
            let mut seg = String::new();
            let mut group: Option<usize> = None;
            while let Some((i, c)) = chars.next() {
                if word(c) {
                    seg.push(c);
                } else if c == ':' && rest[i..].starts_with("::") {
                    chars.next();
                    if seg == "super" {
                        segs.pop();
                    } else if !seg.is_empty() {
                        segs.push(std::mem::take(&mut seg));
                    }
                    seg.clear();
                    if rest[i + 2..].starts_with('{') {
                        group = Some(i + 3);
                        break;
                    }
                } else {
                    break;
                }
            }
            if !seg.is_empty() {
                segs.push(seg);
            }
            match group {
                None => {
                    if let Some(t) = target(&segs, modules) {
                        out.insert(t);
                    }
                }
                Some(g) => {
                    let end = rest[g..].find('}').map_or(rest.len(), |e| g + e);
                    for item in rest[g..end].split(',') {
                        let mut full = segs.clone();
                        full.extend(item.trim().split("::").map(|s| s.trim().to_string()).filter(|s| !s.is_empty() && s != "self"));
                        if let Some(t) = target(&full, modules) {
                            out.insert(t);
                        }
                    }
                }
            }
        }
    }
    out
}

struct House {
    /// The stages in order, from `lib.rs`.
    stages: Vec<String>,
    /// module -> the modules it imports.
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn read_house(src: &Path) -> House {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let stages: Vec<String> = code_of(&lib)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ").and_then(|r| r.strip_suffix(';')).map(str::to_string))
        .collect();
    let mut files = Vec::new();
    rust_files(src, &mut files);
    // The binary's own modules (`src/cli`, `main.rs`) are not the library's.
    files.retain(|f| !f.starts_with(src.join("cli")) && f != &src.join("main.rs") && f != &src.join("lib.rs"));
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(src, f)).collect();
    let mut edges = BTreeMap::new();
    for f in &files {
        let me = module_of(src, f);
        let mut code = code_of(&std::fs::read_to_string(f).unwrap());
        // A file's unit tests (`#[cfg(test)] mod tests { use super::*; … }`,
        // at its end) are not part of the house; their `super` is the file.
        if let Some(at) = code.find("#[cfg(test)]\nmod tests") {
            code.truncate(at);
        }
        let mut to = imports(&code, &me, &modules);
        to.remove(&me);
        edges.insert(me, to);
    }
    House { stages, edges }
}

fn name(m: &[String]) -> String {
    m.join("::")
}

/// Imports that run from a stage to one declared after it.
fn upward(house: &House) -> Vec<String> {
    let rank = |m: &[String]| m.first().and_then(|s| house.stages.iter().position(|x| x == s));
    let mut bad = Vec::new();
    for (from, tos) in &house.edges {
        for to in tos {
            if let (Some(a), Some(b)) = (rank(from), rank(to))
                && b > a
            {
                bad.push(format!("{} -> {} (stage {} imports the later stage {})", name(from), name(to), from[0], to[0]));
            }
        }
    }
    bad
}

/// Every circle of imports between modules, each as one of its edges' chain.
fn circles(house: &House) -> Vec<String> {
    // Tarjan's strongly connected components.
    struct T<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on: BTreeSet<&'a Vec<String>>,
        out: Vec<Vec<&'a Vec<String>>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a Vec<String>) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        t.on.insert(v);
        if let Some(tos) = t.edges.get(v) {
            for w in tos {
                let Some((w, _)) = t.edges.get_key_value(w) else { continue };
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let lw = t.low[w];
                    let lv = t.low[v];
                    t.low.insert(v, lv.min(lw));
                } else if t.on.contains(w) {
                    let iw = t.index[w];
                    let lv = t.low[v];
                    t.low.insert(v, lv.min(iw));
                }
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w);
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t = T { edges: &house.edges, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), on: BTreeSet::new(), out: Vec::new() };
    for v in house.edges.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
        .iter()
        .map(|comp| {
            let set: BTreeSet<&Vec<String>> = comp.iter().copied().collect();
            let ties: Vec<String> = comp
                .iter()
                .flat_map(|a| house.edges[*a].iter().filter(|b| set.contains(b)).map(move |b| format!("{} -> {}", name(a), name(b))))
                .collect();
            format!("circle of {} modules: {}", comp.len(), ties.join(", "))
        })
        .collect()
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_stage_imports_a_later_stage() {
    let house = read_house(&src());
    assert!(house.stages.len() >= 5, "the stages from src/lib.rs: {:?}", house.stages);
    let bad = upward(&house);
    assert!(bad.is_empty(), "imports that run back up:\n{}", bad.join("\n"));
}

#[test]
fn no_circle_of_imports() {
    let house = read_house(&src());
    let bad = circles(&house);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The reader itself: an upward import and a circle put into a copy of the
/// tree are found and named.
#[test]
fn an_upward_import_or_a_circle_added_on_purpose_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("src");
    copy_tree(&src(), &copy);
    let money = copy.join("derive/money_tree.rs");
    let text = std::fs::read_to_string(&money).unwrap();
    std::fs::write(&money, format!("use crate::layout::tables::TableData;\n{text}")).unwrap();
    let house = read_house(&copy);
    let bad = upward(&house);
    assert!(bad.iter().any(|b| b.starts_with("derive::money_tree -> layout::tables")), "{bad:?}");
    assert!(circles(&house).is_empty() || circles(&house).iter().any(|c| c.contains("derive::money_tree")));

    let copy2 = dir.path().join("src2");
    copy_tree(&src(), &copy2);
    let fmt = copy2.join("base/format.rs");
    let text = std::fs::read_to_string(&fmt).unwrap();
    std::fs::write(&fmt, format!("fn _back() {{ let _ = crate::base::diagnostic::shown(\"\"); }}\n{text}")).unwrap();
    let diag = copy2.join("base/diagnostic.rs");
    let text = std::fs::read_to_string(&diag).unwrap();
    std::fs::write(&diag, format!("fn _forth() {{ let _ = crate::base::format::number; }}\n{text}")).unwrap();
    let found = circles(&read_house(&copy2));
    assert!(found.iter().any(|c| c.contains("base::format -> base::diagnostic") && c.contains("base::diagnostic -> base::format")), "{found:?}");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}
