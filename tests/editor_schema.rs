//! The editor schemas of proposals and `privet.toml` (`[generate] editor`):
//! what a TOML language server checks while a contributor types must agree
//! with what `privet check` accepts. Every proposal of the bundled registry
//! and of the good corpus validates; a proposal with an unknown key, a
//! misspelt checklist key, a field key of another type or an unlisted
//! choice does not.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A TOML document as JSON, as a TOML language server sees it (dates as
/// strings).
fn toml_to_json(text: &str) -> Value {
    fn value(v: &toml_edit::Value) -> Value {
        match v {
            toml_edit::Value::String(s) => json!(s.value()),
            toml_edit::Value::Integer(i) => json!(i.value()),
            toml_edit::Value::Float(f) => json!(f.value()),
            toml_edit::Value::Boolean(b) => json!(b.value()),
            toml_edit::Value::Datetime(d) => json!(d.value().to_string()),
            toml_edit::Value::Array(a) => Value::Array(a.iter().map(value).collect()),
            toml_edit::Value::InlineTable(t) => {
                Value::Object(t.iter().map(|(k, v)| (k.to_string(), value(v))).collect())
            }
        }
    }
    fn item(i: &toml_edit::Item) -> Value {
        match i {
            toml_edit::Item::Value(v) => value(v),
            toml_edit::Item::Table(t) => {
                Value::Object(t.iter().map(|(k, v)| (k.to_string(), item(v))).collect())
            }
            toml_edit::Item::ArrayOfTables(a) => Value::Array(
                a.iter()
                    .map(|t| {
                        Value::Object(t.iter().map(|(k, v)| (k.to_string(), item(v))).collect())
                    })
                    .collect(),
            ),
            toml_edit::Item::None => Value::Null,
        }
    }
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    item(doc.as_item())
}

fn validator(schema: Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the editor schema compiles")
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn every_bundled_and_good_proposal_validates() {
    let registry = privet::load::load(&root()).unwrap();
    let bundled = validator(privet::generate::editor::proposal_schema(&registry.config));
    let mut files = Vec::new();
    toml_files(&root().join("proposals"), &mut files);
    assert!(files.len() >= 20);
    for f in &files {
        let doc = toml_to_json(&std::fs::read_to_string(f).unwrap());
        let e = errors(&bundled, &doc);
        assert!(e.is_empty(), "{}: {e:#?}", f.display());
    }
    // The good corpus is other projects' registry: its own events and reviewers.
    let good = root().join("tests/fixtures/good");
    let registry = privet::load::load(&good).unwrap();
    let schema = validator(privet::generate::editor::proposal_schema(&registry.config));
    let mut files = Vec::new();
    toml_files(&good.join("proposals"), &mut files);
    assert!(files.len() >= 40, "{}", files.len());
    for f in &files {
        let doc = toml_to_json(&std::fs::read_to_string(f).unwrap());
        let e = errors(&schema, &doc);
        assert!(e.is_empty(), "{}: {e:#?}", f.display());
    }
    let config = validator(privet::generate::editor::config_schema());
    for dir in [root(), good] {
        let doc = toml_to_json(&std::fs::read_to_string(dir.join("privet.toml")).unwrap());
        let e = errors(&config, &doc);
        assert!(e.is_empty(), "{}/privet.toml: {e:#?}", dir.display());
    }
}

#[test]
fn what_privet_check_refuses_the_editor_flags() {
    let registry = privet::load::load(&root()).unwrap();
    let schema = validator(privet::generate::editor::proposal_schema(&registry.config));
    let text = std::fs::read_to_string(root().join("proposals/pulp/pulp_workers.toml")).unwrap();
    let base = toml_to_json(&text);
    assert!(schema.is_valid(&base));
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Change)> = vec![
        ("an unknown key", Box::new(|d| d["colour"] = json!("blue"))),
        (
            "a misspelt checklist key",
            Box::new(|d| {
                let v = d.as_object_mut().unwrap().remove("sanitization").unwrap();
                d["sanitisation"] = v;
            }),
        ),
        (
            "a missing answer",
            Box::new(|d| {
                d.as_object_mut().unwrap().remove("burden");
            }),
        ),
        (
            "an enum key on a count",
            Box::new(|d| d["fields"]["workers"]["values"] = json!(["a"])),
        ),
        (
            "an unknown field type",
            Box::new(|d| d["fields"]["workers"]["type"] = json!("integer")),
        ),
        (
            "an unlisted status",
            Box::new(|d| d["status"] = json!("accepted")),
        ),
        (
            "an undeclared event",
            Box::new(|d| d["events"] = json!(["crash"])),
        ),
        (
            "a reviewer not in privet.toml",
            Box::new(|d| d["approval"]["by"] = json!(["mallory"])),
        ),
        (
            "an expiry that is not a date",
            Box::new(|d| d["expires"] = json!("soon")),
        ),
        ("no owners", Box::new(|d| d["owners"] = json!([]))),
    ];
    for (what, change) in cases {
        let mut doc = base.clone();
        change(&mut doc);
        assert!(!schema.is_valid(&doc), "{what} must be flagged: {doc}");
    }
}

#[test]
fn privet_new_points_the_proposal_at_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("privet.toml"),
        "events = [\"heartbeat\"]\n[generate]\neditor = \"schemas/editor\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("proposals")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_privet"))
        .args(["new", "workers", "--owner", "ops", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("proposals/workers.toml")).unwrap();
    assert_eq!(
        text.lines().next(),
        Some("#:schema ../schemas/editor/proposal.schema.json")
    );
    // The schema is where the line says once generated.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_privet"))
        .arg("generate")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dir.path()
            .join("proposals/../schemas/editor/proposal.schema.json")
            .is_file()
    );
}
