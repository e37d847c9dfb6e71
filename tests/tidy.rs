//! Tidy checks: the shape of the house, kept by tests (in the spirit of
//! rust-analyzer's `tidy`).
//!
//! - the pipeline is one-way: no stage imports a later one, and the helpers
//!   below the stages import no stage at all;
//! - every rule constant is registered in `rules::ALL`, in its family, and
//!   the family table in `src/rules/mod.rs` names the stages that emit it;
//! - rule ids are written only in `src/rules/`: everything else names the
//!   rule constants;
//! - profiler output and editor artefacts are ignored and never committed;
//! - the README's layout section names every module of `src/`, and every
//!   path it names exists.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Where each top-level module of `src/` sits. Helpers (layer 0) are below
/// every stage and may import only other helpers; a stage may import
/// helpers and earlier stages; `pipeline` runs the stages; `commands` (one
/// file per command) run the pipeline; `cli` parses arguments and calls a
/// command; `main` calls `cli`. A new module must be placed here.
const LAYERS: &[(&str, u32)] = &[
    // helpers
    ("automaton", 0),
    ("bits", 0),
    ("buckets", 0),
    ("config", 0),
    ("date", 0),
    ("diagnostic", 0),
    ("docs", 0),
    ("domain", 0),
    ("files", 0),
    ("fingerprint", 0),
    ("import", 0),
    ("model", 0),
    ("names", 0),
    ("parallel", 0),
    ("pii", 0),
    ("rarity", 0),
    ("rules", 0),
    ("scaffold", 0),
    ("memo", 0),
    ("scan", 0),
    ("sealed", 0),
    ("shipping", 0),
    ("signature", 0),
    ("suggest", 0),
    ("text", 0),
    ("validate", 0),
    // the stages, in order
    ("load", 1),
    ("resolve", 2),
    ("check", 3),
    ("generate", 4),
    ("report", 5),
    ("review", 5),
    // what runs them
    ("pipeline", 6),
    ("commands", 7),
    ("cli", 8),
    ("main", 9),
    ("lib", 10),
];

const STAGES: &[&str] = &["load", "resolve", "check", "generate", "report"];

fn layer(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no Rust files under {}", dir.display());
    out
}

/// The top-level module of a file under `src/`: `src/check/naming.rs` is
/// in `check`, `src/report.rs` is `report`.
fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

/// The module path of a file under `src/`: `src/check/naming.rs` is
/// `check::naming`, `src/load/mod.rs` is `load`.
fn module_path(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != "mod")
        .collect();
    parts.join("::")
}

/// Rust source split into code (comments and literals blanked out) and
/// the string literals it contains.
struct Lexed {
    code: String,
    strings: Vec<String>,
}

/// A small lexer: enough of Rust's comment, string, raw-string and
/// character-literal syntax to tell code from text.
fn lex(text: &str) -> Lexed {
    let b: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut strings = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            code.push(' ');
            continue;
        }
        // Raw strings: r"..", r#".."#, br#".."#.
        let prev_ident = i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_');
        if !prev_ident && (c == 'r' || (c == 'b' && next == Some('r'))) {
            let mut j = if c == 'b' { i + 2 } else { i + 1 };
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) == Some(&'"') {
                j += 1;
                let start = j;
                loop {
                    assert!(j < b.len(), "unterminated raw string");
                    if b[j] == '"' && (1..=hashes).all(|k| b.get(j + k) == Some(&'#')) {
                        break;
                    }
                    j += 1;
                }
                strings.push(b[start..j].iter().collect());
                code.push_str("\"\"");
                i = j + 1 + hashes;
                continue;
            }
        }
        if c == '"' {
            let mut j = i + 1;
            let mut s = String::new();
            while j < b.len() && b[j] != '"' {
                if b[j] == '\\' {
                    s.push(b[j]);
                    j += 1;
                }
                if j < b.len() {
                    s.push(b[j]);
                }
                j += 1;
            }
            strings.push(s);
            code.push_str("\"\"");
            i = j + 1;
            continue;
        }
        if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'), or a lifetime.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                code.push_str("' '");
                i = j + 1;
                continue;
            }
            if b.get(i + 2) == Some(&'\'') {
                code.push_str("' '");
                i += 3;
                continue;
            }
        }
        code.push(c);
        i += 1;
    }
    Lexed { code, strings }
}

/// The top-level modules a file's code names as `crate::MODULE`, including
/// each item of `use crate::{a, b::c}` groups.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item_start = 0;
            for (k, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if (ch == ',' && depth == 1) || depth == 0 {
                    let name = ident(&group[item_start..k]);
                    if !name.is_empty() && name != "self" {
                        out.insert(name);
                    }
                    item_start = k + 1;
                }
                if depth == 0 {
                    break;
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// `(module, imported module)` pairs that break the layering.
fn back_edges(src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for file in rust_files(src) {
        let module = top_module(src, &file);
        let Some(own) = layer(&module) else {
            problems.push(format!(
                "{}: module `{module}` is not placed in tests/tidy.rs LAYERS (a helper below the stages, or a stage?)",
                file.display()
            ));
            continue;
        };
        let code = lex(&fs::read_to_string(&file).unwrap()).code;
        for used in crate_references(&code) {
            if used == module {
                continue;
            }
            let Some(theirs) = layer(&used) else {
                problems.push(format!(
                    "{}: uses `crate::{used}`, which is not a module",
                    file.display()
                ));
                continue;
            };
            let allowed = if own == 0 { theirs == 0 } else { theirs < own };
            if !allowed {
                let what = if own == 0 {
                    "a helper must not import a stage or what runs them".to_string()
                } else {
                    format!("`{module}` comes before `{used}` in the pipeline")
                };
                problems.push(format!(
                    "{}: imports `crate::{used}`: {what}",
                    file.display()
                ));
            }
        }
    }
    problems
}

#[test]
fn no_stage_imports_a_later_stage() {
    let problems = back_edges(&repo().join("src"));
    assert!(
        problems.is_empty(),
        "the pipeline must be one-way (load → resolve → check → generate → report; helpers below all):\n{}\n\
         move the type or helper to the stage that owns it, or to a helper module below the stages",
        problems.join("\n")
    );
}

/// A scratch copy of `src/` (the directory is removed when dropped).
fn copy_of_src() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    for file in rust_files(&repo().join("src")) {
        let rel = file.strip_prefix(repo().join("src")).unwrap();
        let to = src.join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(&file, &to).unwrap();
    }
    (dir, src)
}

#[test]
fn the_layering_check_finds_a_back_edge() {
    // A copy of src/ with one deliberate back-edge: load importing check.
    let (_dir, src) = copy_of_src();
    let clean = back_edges(&src);
    assert!(clean.is_empty(), "{clean:?}");
    let prepend = |file: &str, code: &str| {
        let path = src.join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{code}\n{text}")).unwrap();
    };
    prepend("load/mod.rs", "use crate::{config, check::Options};");
    let found = back_edges(&src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("imports `crate::check`: `load` comes before `check`"),
        "{found:?}"
    );
    // A helper reaching a stage is caught too; a comment or a string is not code.
    prepend(
        "names.rs",
        "// crate::report\nconst _S: &str = \"crate::pipeline\";\nfn _f() { let _ = crate::load::MAX_FILE_BYTES; }",
    );
    let found = back_edges(&src);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[1].contains("names.rs: imports `crate::load`: a helper"));
}

/// The modules `file`'s code names among `siblings` (the other files of
/// its directory): `super::x`, `crate::<dir path>::x`, or, from a
/// `mod.rs`, `self::x` and a bare `x::` path.
fn sibling_references(code: &str, dir_path: &str, siblings: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut prefixes = vec!["super::".to_string()];
    if !dir_path.is_empty() {
        prefixes.push(format!("crate::{dir_path}::"));
    }
    for prefix in &prefixes {
        for (at, _) in code.match_indices(prefix.as_str()) {
            // `crate::generate::` must not match inside `xcrate::…`.
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let mut names = Vec::new();
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                names.extend(group[..end].split(',').map(|n| ident(n.trim())));
            } else {
                names.push(ident(rest));
            }
            out.extend(names.into_iter().filter(|n| siblings.contains(n)));
        }
    }
    out
}

/// Import circles: among the top-level modules of `src/`, and among the
/// files of each directory (`generate/rust.rs` naming `super::schema` while
/// `schema.rs` names `super::rust`). A `mod.rs` is its directory's parent,
/// not a sibling: it declares the others, and they may use what it holds.
fn circles(src: &Path) -> Vec<String> {
    let mut groups: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for file in rust_files(src) {
        if file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs")
        {
            continue;
        }
        groups
            .entry(file.parent().unwrap().to_path_buf())
            .or_default()
            .push(file);
    }
    // Top-level modules as one more group: `src/x.rs` and `src/x/`.
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(src) {
        let module = top_module(src, &file);
        if matches!(module.as_str(), "lib" | "main") {
            continue;
        }
        let code = lex(&fs::read_to_string(&file).unwrap()).code;
        let used = top.entry(module.clone()).or_default();
        used.extend(crate_references(&code).into_iter().filter(|u| *u != module));
    }
    let mut problems = Vec::new();
    let mut graphs: Vec<(String, BTreeMap<String, BTreeSet<String>>)> = vec![("src".into(), top)];
    for (dir, files) in groups {
        if dir == src {
            continue;
        }
        let dir_path = module_path(src, &dir.join("mod.rs"));
        let names: BTreeSet<String> = files
            .iter()
            .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        let mut graph = BTreeMap::new();
        for f in &files {
            let code = lex(&fs::read_to_string(f).unwrap()).code;
            let me = f.file_stem().unwrap().to_string_lossy().into_owned();
            let mut used = sibling_references(&code, &dir_path, &names);
            used.remove(&me);
            graph.insert(me, used);
        }
        graphs.push((format!("src/{}", dir_path.replace("::", "/")), graph));
    }
    for (place, graph) in graphs {
        // Depth-first search; a grey node reached again closes a circle.
        fn visit(
            n: &str,
            graph: &BTreeMap<String, BTreeSet<String>>,
            state: &mut BTreeMap<String, u8>,
            stack: &mut Vec<String>,
            found: &mut Vec<Vec<String>>,
        ) {
            state.insert(n.to_string(), 1);
            stack.push(n.to_string());
            for m in graph.get(n).into_iter().flatten() {
                match state.get(m.as_str()).copied().unwrap_or(0) {
                    0 => visit(m, graph, state, stack, found),
                    1 => {
                        let from = stack.iter().position(|s| s == m).unwrap();
                        let mut circle = stack[from..].to_vec();
                        circle.push(m.clone());
                        found.push(circle);
                    }
                    _ => {}
                }
            }
            stack.pop();
            state.insert(n.to_string(), 2);
        }
        let mut state = BTreeMap::new();
        let mut found = Vec::new();
        for n in graph.keys() {
            if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
                visit(n, &graph, &mut state, &mut Vec::new(), &mut found);
            }
        }
        for circle in found {
            problems.push(format!("{place}: import circle {}", circle.join(" → ")));
        }
    }
    problems
}

#[test]
fn no_import_circles() {
    let found = circles(&repo().join("src"));
    assert!(
        found.is_empty(),
        "modules that import each other cannot be read one after the other; move what both need into one of them, or into a third:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_circle_check_finds_a_circle() {
    let (_dir, src) = copy_of_src();
    assert!(circles(&src).is_empty());
    let path = src.join("generate/rust.rs");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("use super::schema::outputs as _o;\n{text}")).unwrap();
    let found = circles(&src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("src/generate: import circle"),
        "{found:?}"
    );
}

#[test]
fn lexer_tells_code_from_text() {
    let l = lex(
        "let a = \"x // y\"; // crate::z\nlet b = r#\"q\"#; let c = '\"'; fn f<'a>(x: &'a str) {} /* crate::w */ crate::v",
    );
    assert_eq!(l.strings, ["x // y", "q"]);
    assert!(!l.code.contains("crate::z") && !l.code.contains("crate::w"));
    assert!(l.code.contains("crate::v") && l.code.contains("&'a str"));
    let refs = crate_references("use crate::{a, b::{c, d}, self}; crate::e::f; crate::{g}");
    assert_eq!(refs.into_iter().collect::<Vec<_>>(), ["a", "b", "e", "g"]);
}

/// `(constant, id)` of every rule declared in `src/rules/FAMILY.rs`, by family.
fn declared_rules() -> BTreeMap<String, Vec<(String, String)>> {
    let mut out = BTreeMap::new();
    for file in rust_files(&repo().join("src/rules")) {
        let family = file.file_stem().unwrap().to_string_lossy().into_owned();
        if family == "mod" {
            continue;
        }
        let code = fs::read_to_string(&file).unwrap();
        let mut rules = Vec::new();
        for (at, _) in code.match_indices("pub const ") {
            let rest = &code[at + "pub const ".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !rest[name.len()..].trim_start().starts_with(": Rule") {
                continue;
            }
            let id = rest
                .split_once("id: \"")
                .and_then(|(_, r)| r.split_once('"'))
                .map(|(id, _)| id.to_string())
                .unwrap_or_else(|| panic!("{}: rule {name} has no id", file.display()));
            rules.push((name, id));
        }
        assert!(!rules.is_empty(), "{} declares no rule", file.display());
        out.insert(family, rules);
    }
    out
}

#[test]
fn every_rule_constant_is_registered_in_its_family() {
    let registered: BTreeMap<&str, &str> = privet::rules::ALL
        .iter()
        .map(|r| (r.id, r.family))
        .collect();
    let mut declared = BTreeSet::new();
    for (family, rules) in declared_rules() {
        for (name, id) in rules {
            match registered.get(id.as_str()) {
                None => panic!(
                    "rule {name} (`{id}`) in src/rules/{family}.rs is not in rules::ALL: add `&{family}::{name}` there"
                ),
                Some(f) => assert_eq!(
                    *f, family,
                    "rule `{id}` is declared in src/rules/{family}.rs but says its family is `{f}`"
                ),
            }
            declared.insert(id);
        }
    }
    for id in registered.keys() {
        assert!(
            declared.contains(*id),
            "rules::ALL holds `{id}`, which no src/rules/ file declares as a `pub const`"
        );
    }
}

#[test]
fn rule_ids_are_written_only_in_src_rules() {
    let ids: BTreeSet<&str> = privet::rules::ALL.iter().map(|r| r.id).collect();
    let mut found = Vec::new();
    for dir in ["src", "xtask/src"] {
        for file in rust_files(&repo().join(dir)) {
            if file.starts_with(repo().join("src/rules")) {
                continue;
            }
            for s in lex(&fs::read_to_string(&file).unwrap()).strings {
                // Words of other formats that happen to equal a rule id.
                let foreign = [("src/import/glean.rs", "expired")] // Glean's `expires: expired`
                    .iter()
                    .any(|(f, w)| file.ends_with(f) && s == *w);
                if ids.contains(s.as_str()) && !foreign {
                    found.push(format!("{}: \"{s}\"", file.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "rule ids written as strings (name the rule constant from privet::rules instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn family_table_names_the_stages_that_emit_each_family() {
    let src = repo().join("src");
    let declared = declared_rules();
    // Which modules name each family's constants (the pipeline and the
    // report only consume findings; they do not emit them).
    let mut emitters: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&src) {
        if file.starts_with(src.join("rules")) {
            continue;
        }
        let module = module_path(&src, &file);
        if !STAGES.contains(&top_module(&src, &file).as_str()) || module == "report" {
            continue;
        }
        let code = lex(&fs::read_to_string(&file).unwrap()).code;
        for (family, rules) in &declared {
            let named = rules.iter().any(|(name, _)| {
                code.match_indices(name.as_str()).any(|(at, _)| {
                    let before = code[..at].chars().next_back();
                    let after = code[at + name.len()..].chars().next();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                        && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
            });
            if named {
                emitters
                    .entry(family.clone())
                    .or_default()
                    .insert(module.clone());
            }
        }
    }
    // The table: `| family | declared in | emitted by |`.
    let table = fs::read_to_string(src.join("rules/mod.rs")).unwrap();
    let mut listed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in table.lines().filter_map(|l| l.strip_prefix("//! |")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 3 || cells[0] == "family" || cells[0].starts_with("---") {
            continue;
        }
        // Module paths in backticks; notes in parentheses are ignored.
        let mut emitted = String::new();
        let mut depth = 0;
        for c in cells[2].chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ if depth == 0 => emitted.push(c),
                _ => {}
            }
        }
        let modules = emitted
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        listed.insert(cells[0].to_string(), modules);
    }
    let mut problems = Vec::new();
    for family in declared.keys() {
        let Some(entries) = listed.get(family) else {
            problems.push(format!("family `{family}` has no row in the table"));
            continue;
        };
        let used = emitters.get(family).cloned().unwrap_or_default();
        let covers = |entry: &str, m: &str| m == entry || m.starts_with(&format!("{entry}::"));
        for m in &used {
            if !entries.iter().any(|e| covers(e, m)) {
                problems.push(format!(
                    "`{m}` emits `{family}` rules, but the table says only {entries:?}"
                ));
            }
        }
        for e in entries {
            if !used.iter().any(|m| covers(e, m)) {
                problems.push(format!(
                    "the table says `{e}` emits `{family}` rules, but it names none of them (emitted by {used:?})"
                ));
            }
        }
    }
    for family in listed.keys() {
        if !declared.contains_key(family) {
            problems.push(format!("the table lists `{family}`, which is not a family"));
        }
    }
    assert!(
        problems.is_empty(),
        "the family table at the top of src/rules/mod.rs has drifted:\n{}",
        problems.join("\n")
    );
}

/// Whether a `.gitignore` pattern (the subset this repository uses: `*`
/// wildcards, a trailing `/` for directories, no negation) matches the
/// file or directory name `name`.
fn ignored_by(pattern: &str, name: &str, is_dir: bool) -> bool {
    let (pattern, dir_only) = match pattern.strip_suffix('/') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    if dir_only && !is_dir {
        return false;
    }
    fn glob(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && glob(p, &s[1..])),
            (Some(a), Some(b)) if a == b => glob(&p[1..], &s[1..]),
            _ => false,
        }
    }
    glob(pattern.as_bytes(), name.as_bytes())
}

/// Names profilers and editors leave behind.
const ARTEFACTS: &[(&str, bool)] = &[
    ("cachegrind.out.15639", false),
    ("callgrind.out.4242", false),
    ("massif.out.77", false),
    ("perf.data", false),
    ("perf.data.old", false),
    ("default_1234.profraw", false),
    ("merged.profdata", false),
    ("flamegraph.svg", false),
    ("heaptrack.privet.1234.zst", false),
    (".idea", true),
    (".vscode", true),
    ("cli.rs.swp", false),
    ("cli.rs.swo", false),
    ("cli.rs~", false),
    (".DS_Store", false),
];

#[test]
fn profiler_and_editor_artefacts_are_ignored_and_not_committed() {
    let gitignore = fs::read_to_string(repo().join(".gitignore")).expect(".gitignore");
    let patterns: Vec<&str> = gitignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for (name, is_dir) in ARTEFACTS {
        assert!(
            patterns.iter().any(|p| ignored_by(p, name, *is_dir)),
            "`{name}` is not ignored: add a pattern for it to .gitignore"
        );
    }
    // Nothing committed matches either (a tracked file is not ignored).
    let out = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(repo())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "`git ls-files` failed: the tidy check needs the repository's git checkout: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tracked = String::from_utf8(out.stdout).unwrap();
    assert!(!tracked.is_empty(), "git lists no tracked files");
    let mut committed = Vec::new();
    for path in tracked.split('\0').filter(|p| !p.is_empty()) {
        let parts: Vec<&str> = path.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            let is_dir = i + 1 < parts.len();
            if patterns.iter().any(|p| ignored_by(p, part, is_dir)) {
                committed.push(path.to_string());
            }
        }
    }
    assert!(
        committed.is_empty(),
        "committed files that .gitignore excludes (profiler output, editor files?): {committed:?}; `git rm` them"
    );
}

#[test]
fn readme_layout_matches_the_tree() {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find("\n## Layout\n")
        .expect("README.md has a `## Layout` section");
    let section = &readme[start + 1..];
    let end = section[3..].find("\n## ").map_or(section.len(), |e| e + 3);
    let section = &section[..end];
    // Every path it names exists.
    let named: Vec<&str> = section
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            [
                "src/",
                "tests/",
                "xtask/",
                "metrics/",
                "docs/",
                "proposals/",
                ".ci/",
            ]
            .iter()
            .any(|p| s.starts_with(p))
        })
        .collect();
    assert!(
        named.len() > 10,
        "the layout section names few paths: {named:?}"
    );
    for path in &named {
        assert!(
            repo().join(path).exists(),
            "README.md's layout names `{path}`, which does not exist"
        );
    }
    // Every module of src/ is named.
    for entry in fs::read_dir(repo().join("src")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let shown = if entry.path().is_dir() {
            format!("src/{name}/")
        } else {
            format!("src/{name}")
        };
        assert!(
            named.contains(&shown.as_str()),
            "README.md's layout section does not mention `{shown}`"
        );
    }
}
