//! The dependency rule, checked on the source: no import cycle between the Worker's modules, and the pure modules
//! (the account's state and commands, codes, templates, request builders…) never import a shell (the Durable
//! Object, the handlers, the queue consumer, WebCrypto signing, KV and `fetch`). Test code may import freely. And the
//! map, `docs/architecture.md`, names every source file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Modules that do I/O, and everything under them. The crate root (`lib.rs`) is one too.
const SHELLS: &[&str] = &[
    "account::object",
    "account::ask",
    "campaign::object",
    "handlers",
    "mail::send",
    "oidc::sign",
    "fetch",
    "ip_limit",
    "store",
    "metrics",
    "failure",
];
/// Seams every layer may use: the clock, randomness and binding names.
const SEAMS: &[&str] = &["platform"];

type Module = Vec<String>;

fn modules(dir: &Path, prefix: &[String], found: &mut BTreeMap<Module, String>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        if path.is_dir() {
            modules(&path, &[prefix, &[name]].concat(), found);
        } else if path.extension().is_some_and(|e| e == "rs") && !name.ends_with("_tests") {
            let module =
                if ["mod", "lib"].contains(&name.as_str()) { prefix.to_vec() } else { [prefix, &[name]].concat() };
            found.insert(module, std::fs::read_to_string(&path).expect("a source file"));
        }
    }
}

/// The code without comments, string and char literals, and `#[cfg(test)]` modules.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let rest = |n: usize| chars.get(i + n).copied().unwrap_or(' ');
        match chars[i] {
            '/' if rest(1) == '/' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if rest(1) == '*' => {
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            'r' if rest(1) == '#' && rest(2) == '"' => {
                i += 3;
                while i + 1 < chars.len() && !(chars[i] == '"' && chars[i + 1] == '#') {
                    i += 1;
                }
                i += 2;
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            '\'' if rest(1) == '\\' => {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            '\'' if rest(2) == '\'' => i += 3,
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    // A `#[cfg(test)]` module is dropped to its closing brace; other `#[cfg(test)]` items import nothing.
    while let Some(at) = out.find("#[cfg(test)]") {
        let after = &out[at + "#[cfg(test)]".len()..];
        let item = after.trim_start();
        let end = if item.starts_with("mod ") || item.starts_with("pub(crate) mod ") || item.starts_with("#[path") {
            match (item.find('{'), item.find(';')) {
                (Some(open), semi) if semi.is_none_or(|s| open < s) => {
                    let mut depth = 0;
                    let mut close = open;
                    for (k, c) in item.char_indices().skip(open) {
                        depth += i32::from(c == '{') - i32::from(c == '}');
                        if depth == 0 {
                            close = k;
                            break;
                        }
                    }
                    out.len() - item.len() + close + 1
                }
                (_, Some(semi)) => out.len() - item.len() + semi + 1,
                _ => out.len(),
            }
        } else {
            at + "#[cfg(test)]".len()
        };
        out.replace_range(at..end, "");
    }
    out
}

/// Every path a module names from `crate::` or `super::`, with `use` trees expanded.
fn paths(code: &str, module: &[String]) -> Vec<Module> {
    fn expand(tree: &str, base: &str, out: &mut Vec<String>) {
        let tree = tree.trim();
        match tree.find('{') {
            Some(open) if tree.ends_with('}') => {
                let prefix = format!("{base}{}", &tree[..open]);
                let inner = &tree[open + 1..tree.len() - 1];
                let (mut depth, mut start) = (0, 0);
                for (k, c) in inner.char_indices() {
                    depth += i32::from(c == '{') - i32::from(c == '}');
                    if c == ',' && depth == 0 {
                        expand(&inner[start..k], &prefix, out);
                        start = k + 1;
                    }
                }
                expand(&inner[start..], &prefix, out);
            }
            _ if !tree.is_empty() => out.push(format!("{base}{}", tree.split(" as ").next().unwrap_or(tree).trim())),
            _ => {}
        }
    }
    let mut named = Vec::new();
    for statement in code.split(';') {
        if let Some(at) = statement.find("use ") {
            let tree = statement[at + 4..].split_whitespace().collect::<Vec<_>>().join(" ");
            expand(&tree, "", &mut named);
        }
    }
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
    for root in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(root) {
            let start = from + at;
            let preceded = code[..start].chars().next_back().is_some_and(ident);
            let path: String = code[start..].chars().take_while(|&c| ident(c)).collect();
            if !preceded {
                named.push(path.trim_end_matches(':').to_owned());
            }
            from = start + root.len();
        }
    }
    named
        .into_iter()
        .filter_map(|path| {
            let mut parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
            let mut base: Module = match parts.first() {
                Some(&"crate") => Vec::new(),
                Some(&"super") => module.to_vec(),
                _ => return None,
            };
            if parts[0] == "crate" {
                parts.remove(0);
            }
            while parts.first() == Some(&"super") {
                base.pop();
                parts.remove(0);
            }
            Some(base.into_iter().chain(parts.into_iter().map(str::to_owned)).collect())
        })
        .collect()
}

/// Which module each module imports (resolved to the longest module a path names, never itself or the root).
fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let mut sources = BTreeMap::new();
    modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &[], &mut sources);
    let known: BTreeSet<Module> = sources.keys().cloned().collect();
    sources
        .iter()
        .map(|(module, source)| {
            let imports = paths(&code_only(source), module)
                .into_iter()
                .filter_map(|mut path| {
                    while !path.is_empty() && !known.contains(&path) {
                        path.pop();
                    }
                    (!path.is_empty() && &path != module).then_some(path)
                })
                .collect();
            (module.clone(), imports)
        })
        .collect()
}

fn under(module: &[String], prefixes: &[&str]) -> bool {
    let name = module.join("::");
    name.is_empty() || prefixes.iter().any(|p| name == *p || name.starts_with(&format!("{p}::")))
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = graph();
    assert!(graph.len() > 40, "the source was found: {} modules", graph.len());
    let cycles = on_cycles(&graph);
    assert!(cycles.is_empty(), "modules on an import cycle: {cycles:?}");
}

/// Cycles in `graph` (each module that reaches itself).
fn on_cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> BTreeSet<String> {
    let mut cycles = BTreeSet::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&Module> = graph[start].iter().collect();
        while let Some(next) = stack.pop() {
            if next == start {
                cycles.insert(start.join("::"));
                break;
            }
            if seen.insert(next) {
                stack.extend(graph.get(next).into_iter().flatten());
            }
        }
    }
    cycles
}

/// Between the house's floors, too, arrows point one way: seen as folders (`account`, `mail`, `oidc`, …) and the
/// files beside them (`config`, `store`, …), nothing a folder's module imports imports that folder back.
#[test]
fn no_folder_imports_one_that_imports_it_back() {
    let mut folders: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, imports) in graph() {
        let Some(top) = module.first().cloned() else { continue };
        let entry = folders.entry(vec![top.clone()]).or_default();
        entry.extend(imports.iter().filter_map(|i| i.first()).filter(|i| **i != top).map(|i| vec![i.clone()]));
    }
    let cycles = on_cycles(&folders);
    eprintln!("DEBUG {folders:?}");
    assert!(cycles.is_empty(), "folders on an import cycle: {cycles:?}");
}

#[test]
fn pure_modules_never_import_a_shell() {
    let mut wrong = Vec::new();
    for (module, imports) in graph() {
        if under(&module, SHELLS) || under(&module, SEAMS) {
            continue;
        }
        for import in imports.iter().filter(|i| under(i, SHELLS)) {
            wrong.push(format!("{} imports {}", module.join("::"), import.join("::")));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_check_sees_an_import_and_ignores_comments_strings_and_tests() {
    let source = "use crate::a::{b, c::{d as e}};\n// use crate::x;\nconst S: &str = \"crate::y\";\n\
                  fn f() { super::g::h(); }\n#[cfg(test)]\nmod tests { use crate::z; }\n";
    let found = paths(&code_only(source), &["m".to_owned(), "n".to_owned()]);
    let found: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert!(found.contains(&"a::b".to_owned()) && found.contains(&"a::c::d".to_owned()), "{found:?}");
    assert!(found.contains(&"m::g::h".to_owned()), "{found:?}");
    assert!(!found.iter().any(|p| p.starts_with('x') || p.starts_with('y') || p.starts_with('z')), "{found:?}");
}

#[test]
fn the_map_names_every_source_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let map = std::fs::read_to_string(root.join("../docs/architecture.md")).expect("docs/architecture.md");
    let (named, folders) = named_in_map(&map);
    let mut files = Vec::new();
    source_files(&root.join("src"), "", &mut files);
    assert!(files.len() > 40, "the source was found: {} files", files.len());
    // A folder's `mod.rs` is named by the folder.
    let unnamed: Vec<&String> = files
        .iter()
        .filter(|file| match file.strip_suffix("/mod.rs") {
            Some(folder) => !folders.contains(folder),
            None => !named.contains(file.as_str()),
        })
        .collect();
    assert!(unnamed.is_empty(), "docs/architecture.md's layout does not name {unnamed:?}");
    let gone: Vec<&String> = named.iter().filter(|n| !files.contains(n)).collect();
    assert!(gone.is_empty(), "docs/architecture.md's layout names files that are not there: {gone:?}");
}

/// The files (`account/state.rs`) and folders the layout's `edge/src/` block names. A line whose first word is a
/// folder (`oidc/`, `account/commands/`) names files in it, as do the more indented lines that follow it.
fn named_in_map(map: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    const HEAD: &str = "edge/src/";
    let mut lines = map.lines().skip_while(|l| !l.starts_with(HEAD));
    let first = lines.next().expect("the layout has an edge/src/ block");
    let base = first.len() - first[HEAD.len()..].trim_start().len();
    let block = std::iter::once(first).chain(lines.take_while(|l| l.starts_with(' ')));
    let (mut named, mut folders) = (BTreeSet::new(), BTreeSet::new());
    let mut folder = String::new();
    for line in block {
        let content = line.get(base..).unwrap_or_default();
        let at_base = !content.starts_with(' ');
        let mut words = content.split_whitespace().peekable();
        if at_base {
            folder = match words.peek() {
                Some(word) if word.ends_with('/') => words.next().unwrap_or_default().trim_end_matches('/').to_owned(),
                _ => String::new(),
            };
            if !folder.is_empty() {
                folders.insert(folder.clone());
            }
        }
        for word in words {
            let word = word.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'));
            if word.ends_with(".rs") && word.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.') {
                named.insert(if folder.is_empty() { word.to_owned() } else { format!("{folder}/{word}") });
            }
        }
    }
    (named, folders)
}

fn source_files(dir: &Path, prefix: &str, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        if entry.path().is_dir() {
            source_files(&entry.path(), &path, found);
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
}

#[test]
fn the_map_is_read_by_folder() {
    let map =
        "x\n```\nedge/src/     lib.rs  a.rs (not b.rs)\n              one/      c.rs\n                        d.rs\n\
               \x20             e.rs\n              one/two/  f.rs\nedge/other\n              g.rs\n";
    let (named, folders) = named_in_map(map);
    let named: Vec<&str> = named.iter().map(String::as_str).collect();
    assert_eq!(named, ["a.rs", "b.rs", "e.rs", "lib.rs", "one/c.rs", "one/d.rs", "one/two/f.rs"]);
    assert_eq!(folders.into_iter().collect::<Vec<_>>(), ["one", "one/two"]);
}

/// A file a reader can hold in mind: past this, it holds more than one concern (tests beside it in `*_tests.rs`).
const MAX_LINES: usize = 450;

#[test]
fn no_source_file_is_longer_than_a_reader_can_hold() {
    let mut files = Vec::new();
    source_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), "", &mut files);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let long: Vec<(String, usize)> = files
        .into_iter()
        .map(|f| {
            let lines = std::fs::read_to_string(src.join(&f)).expect("a source file").lines().count();
            (f, lines)
        })
        .filter(|(_, lines)| *lines > MAX_LINES)
        .collect();
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:?}");
}
