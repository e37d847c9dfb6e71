//! `privet log NAME`: a metric's story, from its history.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Change, Commit, History};
use crate::fingerprint;

/// The story of `name` as JSON (the `--format json` form).
pub fn json(h: &History, name: &str, current: Option<(&str, &str)>) -> Value {
    let commit = |c: &Commit| json!({ "id": c.id, "author": &*c.author, "email": &*c.email, "date": c.date(), "subject": c.subject });
    let mut events = Vec::new();
    let mut previous: Option<&super::Event> = None;
    for e in h.events(name) {
        let diff = match (previous.and_then(|p| h.definition(p)), h.definition(e)) {
            (Some(old), Some(new)) if old != new => fingerprint::changes(old, new),
            _ => Vec::new(),
        };
        let approval_changed = e.approval.is_some()
            && previous.and_then(|p| p.approval.as_ref()) != e.approval.as_ref();
        events.push(json!({
            "commit": commit(h.commit(e.commit)),
            "authored_in": e.authored_in.map(|i| commit(h.commit(i))),
            "change": change_name(&e.change),
            "moved_from": match &e.change { Change::Moved { from } => Some(&**from), _ => None },
            "path": e.path,
            "fingerprint": e.fingerprint,
            "status": e.status,
            "diff": diff,
            "approval": if approval_changed { e.approval.as_ref().map(|a| json!({ "by": a.by, "fingerprint": a.fingerprint })) } else { None },
        }));
        previous = Some(e);
    }
    let head = h.events(name).last();
    let (committed, matches_head) = match (current, head) {
        (Some((fp, _)), Some(e)) => (
            h.present.contains_key(name),
            e.fingerprint.as_deref() == Some(fp),
        ),
        _ => (false, false),
    };
    json!({
        "metric": name,
        "introduced": h.introduced(name).map(|e| commit(h.commit(e.commit))),
        "authors": h.authors(name).iter().map(|c| commit(c)).collect::<Vec<_>>(),
        "events": events,
        "current": current.map(|(fp, _)| json!({
            "fingerprint": fp,
            "committed": committed,
            "matches_head": matches_head,
        })),
    })
}

fn change_name(c: &Change) -> &'static str {
    match c {
        Change::Added => "added",
        Change::Readded => "re-added",
        Change::Changed => "definition changed",
        Change::Edited => "edited (definition unchanged)",
        Change::Moved { .. } => "moved",
        Change::Deleted => "deleted",
    }
}

/// The story of `name` for people.
pub fn human(h: &History, name: &str, current: Option<(&str, &str)>) -> String {
    let story = json(h, name, current);
    let mut out = String::new();
    let line = |c: &Value| {
        format!(
            "{} \"{}\" by {} <{}> on {}",
            &c["id"].as_str().unwrap_or("")[..10.min(c["id"].as_str().unwrap_or("").len())],
            c["subject"].as_str().unwrap_or(""),
            c["author"].as_str().unwrap_or(""),
            c["email"].as_str().unwrap_or(""),
            c["date"].as_str().unwrap_or("")
        )
    };
    let _ = writeln!(out, "{name}");
    match story["introduced"].as_object() {
        Some(_) => {
            let _ = writeln!(out, "  introduced in {}", line(&story["introduced"]));
        }
        None => {
            let _ = writeln!(out, "  not in the history of HEAD");
        }
    }
    for e in story["events"].as_array().into_iter().flatten() {
        let change = e["change"].as_str().unwrap_or("");
        let _ = writeln!(out, "\n  {change}: {}", line(&e["commit"]));
        if !e["authored_in"].is_null() {
            let _ = writeln!(out, "    written in {}", line(&e["authored_in"]));
        }
        if let Some(from) = e["moved_from"].as_str() {
            let _ = writeln!(
                out,
                "    from {from} to {}",
                e["path"].as_str().unwrap_or("")
            );
        }
        for d in e["diff"].as_array().into_iter().flatten() {
            let _ = writeln!(out, "    {}", d.as_str().unwrap_or(""));
        }
        if let Some(a) = e["approval"].as_object() {
            let by: Vec<&str> = a["by"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let _ = writeln!(
                out,
                "    approval by {} (fingerprint {})",
                by.join(", "),
                a["fingerprint"].as_str().unwrap_or("none")
            );
        }
        if let Some(fp) = e["fingerprint"].as_str() {
            let _ = writeln!(out, "    fingerprint {fp}");
        }
    }
    if let Some(c) = story["current"].as_object() {
        let fp = c["fingerprint"].as_str().unwrap_or("");
        let state = if !c["committed"].as_bool().unwrap_or(false) {
            "not committed yet"
        } else if c["matches_head"].as_bool().unwrap_or(false) {
            "as committed"
        } else {
            "changed in the working tree"
        };
        let _ = writeln!(out, "\n  now: fingerprint {fp} ({state})");
    }
    out
}
