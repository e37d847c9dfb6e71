//! Tidy checks: the shape of the house, kept by tests (in the spirit of
//! rust-analyzer's `tidy`).
//!
//! - the pipeline is one-way: no stage imports a later one, and the helpers
//!   below the stages import no stage at all;
//! - every rule constant is in `catalog::ALL`, and is declared in the file
//!   that emits it (the earliest stage, when several do);
//! - a rule id is written only in its declaration: everything else names
//!   the rule constant;
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
    ("vocabulary", 0),
    // the stages, in order
    ("load", 1),
    ("resolve", 2),
    ("check", 3),
    ("generate", 4),
    // every rule, as declared by the stages
    ("catalog", 5),
    ("report", 6),
    ("review", 6),
    // what runs them
    ("pipeline", 7),
    ("commands", 8),
    ("cli", 9),
    ("main", 10),
    ("lib", 11),
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

/// One rule constant as declared in the source.
struct Declared {
    file: PathBuf,
    name: String,
    id: String,
    family: String,
}

/// Every `pub const NAME: Rule = Rule { … }` under `src`.
fn declared_rules(src: &Path) -> Vec<Declared> {
    let mut out = Vec::new();
    for file in rust_files(src) {
        let text = fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("pub const ") {
            let rest = &text[at + "pub const ".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !rest[name.len()..].trim_start().starts_with(": Rule =") {
                continue;
            }
            let field = |key: &str| {
                rest.split_once(&format!("{key}: \""))
                    .and_then(|(_, r)| r.split_once('"'))
                    .map(|(v, _)| v.to_string())
                    .unwrap_or_else(|| panic!("{}: rule {name} has no {key}", file.display()))
            };
            out.push(Declared {
                file: file.clone(),
                id: field("id"),
                family: field("family"),
                name,
            });
        }
    }
    assert!(out.len() > 10, "found only {} rule declarations", out.len());
    out
}

#[test]
fn every_declared_rule_is_in_the_catalog() {
    let catalog: BTreeMap<&str, &str> = privet::catalog::ALL
        .iter()
        .map(|r| (r.id, r.family))
        .collect();
    assert_eq!(
        catalog.len(),
        privet::catalog::ALL.len(),
        "a rule id is listed twice"
    );
    let declared = declared_rules(&repo().join("src"));
    for d in &declared {
        match catalog.get(d.id.as_str()) {
            None => panic!(
                "rule {} (`{}`) in {} is not in catalog::ALL: add it there, with its family",
                d.name,
                d.id,
                d.file.display()
            ),
            Some(f) => assert_eq!(*f, d.family, "`{}`", d.id),
        }
    }
    for id in catalog.keys() {
        assert!(
            declared.iter().filter(|d| d.id == *id).count() == 1,
            "catalog::ALL holds `{id}`, which is not declared exactly once as a `pub const … : Rule`"
        );
    }
    // The catalog is in documentation order: a family's rules together.
    let mut seen: Vec<&str> = Vec::new();
    for r in privet::catalog::ALL {
        if seen.last() != Some(&r.family) {
            assert!(
                !seen.contains(&r.family),
                "the `{}` family is split in catalog::ALL (at `{}`): keep a family's rules together",
                r.family,
                r.id
            );
            seen.push(r.family);
        }
    }
}

/// Whether `code` names `name` as a whole word.
fn names_word(code: &str, name: &str) -> usize {
    code.match_indices(name)
        .filter(|(at, _)| {
            let before = code[..*at].chars().next_back();
            let after = code[at + name.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .count()
}

/// Rules declared away from their check. A rule's declaration and the
/// code that emits it sit in one file (as cargo keeps a lint's declaration
/// and check together); a rule that several stages emit is declared in the
/// earliest, which must emit it too. The catalog, the report and the
/// commands only name rules.
fn misplaced_rules(src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for d in declared_rules(src) {
        let module = top_module(src, &d.file);
        if !STAGES.contains(&module.as_str()) || module == "report" {
            problems.push(format!(
                "{}: rule {} is declared outside the stages (load, resolve, check, generate)",
                d.file.display(),
                d.name
            ));
            continue;
        }
        let code = lex(&fs::read_to_string(&d.file).unwrap()).code;
        // The declaration names it once; the check at least once more.
        if names_word(&code, &d.name) < 2 {
            problems.push(format!(
                "{}: declares {} but never emits it: move the declaration to the file that does",
                d.file.display(),
                d.name
            ));
        }
        // No stage earlier than the declaring one may emit it.
        let own = layer(&module).unwrap();
        for file in rust_files(src) {
            let theirs = top_module(src, &file);
            if !STAGES.contains(&theirs.as_str()) || layer(&theirs).unwrap() >= own {
                continue;
            }
            if names_word(&lex(&fs::read_to_string(&file).unwrap()).code, &d.name) > 0 {
                problems.push(format!(
                    "{} emits {}, declared in the later {}: declare it in the earliest stage that emits it",
                    file.display(),
                    d.name,
                    d.file.display()
                ));
            }
        }
    }
    problems
}

#[test]
fn a_rule_is_declared_where_it_is_checked() {
    let problems = misplaced_rules(&repo().join("src"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_placement_check_finds_a_rule_declared_away_from_its_check() {
    // A copy of src/ where `no-fields` is declared in check/naming.rs
    // (which never emits it) and emitted from check/fields.rs.
    let (_dir, src) = copy_of_src();
    assert!(misplaced_rules(&src).is_empty());
    let fields = fs::read_to_string(src.join("check/fields.rs")).unwrap();
    let start = fields.find("pub const NO_FIELDS").unwrap();
    let end = start + fields[start..].find("\n};\n").unwrap() + 4;
    let declaration = &fields[start..end];
    fs::write(
        src.join("check/fields.rs"),
        format!(
            "use crate::check::naming::NO_FIELDS;\n{}{}",
            &fields[..start],
            &fields[end..]
        ),
    )
    .unwrap();
    let naming = fs::read_to_string(src.join("check/naming.rs")).unwrap();
    fs::write(
        src.join("check/naming.rs"),
        format!("{naming}\n{declaration}"),
    )
    .unwrap();
    let found = misplaced_rules(&src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("naming.rs: declares NO_FIELDS but never emits it"),
        "{found:?}"
    );
}

#[test]
fn rule_ids_are_written_only_in_their_declaration() {
    let declared = declared_rules(&repo().join("src"));
    let mut found = Vec::new();
    for dir in ["src", "xtask/src"] {
        for file in rust_files(&repo().join(dir)) {
            let strings = lex(&fs::read_to_string(&file).unwrap()).strings;
            for d in &declared {
                // Words of other formats that happen to equal a rule id.
                let foreign = [("src/import/glean.rs", "expired")] // Glean's `expires: expired`
                    .iter()
                    .any(|(f, w)| file.ends_with(f) && d.id == *w);
                let times = strings.iter().filter(|s| **s == d.id).count();
                let allowed = usize::from(file == d.file);
                if times > allowed && !foreign {
                    found.push(format!("{}: \"{}\"", file.display(), d.id));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "rule ids written as strings (name the rule constant instead):\n{}",
        found.join("\n")
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
