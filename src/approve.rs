//! `privet approve NAME --by REVIEWER`: writes the approval block in place.
//!
//! The edit preserves everything else in the file (comments, formatting, key
//! order): only `status` and the `[approval]` table change. The file is
//! written atomically.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::date::Date;

/// How an approval changes the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new approval of this definition: `by` is the reviewer alone.
    New,
    /// Another reviewer of the same definition: added to `by`.
    Joined { by: Vec<String> },
    /// The reviewer had already approved this definition.
    AlreadyApproved,
}

/// Rewrites `text` so that `reviewer` approves the definition with
/// `fingerprint` on `date`. Returns the new text and what happened.
pub fn apply(
    text: &str,
    reviewer: &str,
    fingerprint: &str,
    date: Date,
) -> Result<(String, Outcome), String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    set_keeping_decor(doc.as_table_mut(), "status", Value::from("approved"));

    let outcome;
    {
        let root = doc.as_table_mut();
        if !root.contains_key("approval") {
            let t = Table::new();
            root.insert("approval", Item::Table(t));
        }
        let approval = root
            .get_mut("approval")
            .and_then(Item::as_table_like_mut)
            .ok_or("`approval` is not a table")?;
        let same = approval
            .get("fingerprint")
            .and_then(Item::as_str)
            .is_some_and(|f| f == fingerprint);
        let mut by: Vec<String> = approval
            .get("by")
            .and_then(Item::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        outcome = if same && by.iter().any(|b| b == reviewer) {
            Outcome::AlreadyApproved
        } else if same {
            by.push(reviewer.to_string());
            Outcome::Joined { by: by.clone() }
        } else {
            by = vec![reviewer.to_string()];
            Outcome::New
        };
        if outcome != Outcome::AlreadyApproved {
            let list: Array = by.iter().map(String::as_str).collect();
            set_like(approval, "by", Value::Array(list));
            set_like(approval, "date", Value::from(toml_date(date)));
            set_like(approval, "fingerprint", Value::from(fingerprint));
        }
    }
    Ok((doc.to_string(), outcome))
}

/// Sets `key` to `value` in a table, keeping the old value's comments and
/// spacing when there was one.
fn set_keeping_decor(table: &mut Table, key: &str, value: Value) {
    set_like(table, key, value);
}

fn set_like(table: &mut dyn toml_edit::TableLike, key: &str, mut value: Value) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

fn toml_date(d: Date) -> toml_edit::Datetime {
    toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: u16::try_from(d.year).unwrap_or(0),
            month: d.month,
            day: d.day,
        }),
        time: None,
        offset: None,
    }
}

/// Reads, edits and atomically rewrites the proposal at `path`.
pub fn approve_file(
    path: &Path,
    reviewer: &str,
    fingerprint: &str,
    date: Date,
) -> Result<Outcome, String> {
    // Two reviewers approving at once must not lose one approval: the
    // read, edit and rewrite hold an exclusive lock on the proposal's
    // directory (the file itself is replaced by the rename, so a lock on it
    // would not be seen by the next reader). Where a directory cannot be
    // opened as a file, approvals are not serialised.
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let lock = std::fs::File::open(dir).ok();
    if let Some(lock) = &lock {
        let _ = lock.lock();
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let readonly = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
    // Windows line endings stay Windows line endings.
    let crlf = text.contains("\r\n");
    let (new, outcome) = apply(&text.replace("\r\n", "\n"), reviewer, fingerprint, date)?;
    let new = if crlf { new.replace('\n', "\r\n") } else { new };
    if outcome != Outcome::AlreadyApproved && readonly {
        return Err(format!(
            "{} is read-only: make it writable to record the approval",
            path.display()
        ));
    }
    if outcome != Outcome::AlreadyApproved {
        crate::files::write_atomically(path, new.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# keep me\nsummary = \"x\"  # and me\nstatus = \"proposed\"   # the status\n\n[fields.a]\ntype = \"bool\"\n";

    #[test]
    fn approving_a_file_keeps_its_line_endings_and_refuses_read_only_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.toml");
        std::fs::write(&path, TEXT.replace('\n', "\r\n")).unwrap();
        let d = Date::new(2026, 11, 23).unwrap();
        approve_file(&path, "alice", "abc", d).unwrap();
        let out = std::fs::read_to_string(&path).unwrap();
        assert!(
            out.contains("[approval]\r\nby = [\"alice\"]\r\n"),
            "{out:?}"
        );
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        let mut p = std::fs::metadata(&path).unwrap().permissions();
        p.set_readonly(true);
        std::fs::set_permissions(&path, p).unwrap();
        let err = approve_file(&path, "bob", "def", d).unwrap_err();
        assert!(err.contains("read-only"), "{err}");
        let mut p = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        p.set_readonly(false);
        std::fs::set_permissions(&path, p).unwrap();
    }

    #[test]
    fn adds_an_approval_preserving_the_rest() {
        let d = Date::new(2026, 11, 23).unwrap();
        let (out, outcome) = apply(TEXT, "alice", "abc", d).unwrap();
        assert_eq!(outcome, Outcome::New);
        assert!(
            out.starts_with(
                "# keep me\nsummary = \"x\"  # and me\nstatus = \"approved\"   # the status\n"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "[approval]\nby = [\"alice\"]\ndate = 2026-11-23\nfingerprint = \"abc\"\n"
            ),
            "{out}"
        );
        assert!(out.contains("[fields.a]\ntype = \"bool\"\n"));

        let (again, outcome) = apply(&out, "bob", "abc", d).unwrap();
        assert_eq!(
            outcome,
            Outcome::Joined {
                by: vec!["alice".into(), "bob".into()]
            }
        );
        assert!(again.contains("by = [\"alice\", \"bob\"]"), "{again}");
        assert_eq!(
            apply(&again, "bob", "abc", d).unwrap().1,
            Outcome::AlreadyApproved
        );

        let (changed, outcome) = apply(&again, "bob", "def", d).unwrap();
        assert_eq!(outcome, Outcome::New);
        assert!(
            changed.contains("by = [\"bob\"]") && changed.contains("fingerprint = \"def\""),
            "{changed}"
        );
    }
}
