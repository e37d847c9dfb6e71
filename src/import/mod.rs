//! `privet import`: another telemetry system's metric definitions as
//! privet proposals (today Mozilla Glean's, [`glean`]), read from YAML
//! ([`yaml`]). The importer writes what maps at low resolution as fields and
//! records in `[import] undecided` what it cannot carry over, so that the
//! audit fails (`import-undecided`) until the author decides: nothing is
//! dropped or weakened silently.

pub mod glean;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One metric as a proposal, not written yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The privet metric name (the file stem).
    pub name: String,
    /// Where it goes, relative to the output directory.
    pub path: String,
    /// Its identifier in the source system.
    pub source: String,
    /// The line of its definition in the source file.
    pub line: usize,
    pub glean_type: String,
    /// The events it is sent in.
    pub events: Vec<String>,
    /// The proposal's TOML.
    pub text: String,
    /// The kind of each decision left to the author (`free text`,
    /// `free labels`, `identifying`, `expiry`, `unknown type`).
    pub undecided: Vec<String>,
}

/// A definition the importer could not read, with its line.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// What an import found, before anything is written.
#[derive(Debug, Default)]
pub struct Import {
    pub proposals: Vec<Imported>,
    /// Problems in the metrics file, and in the pings file.
    pub problems: Vec<Problem>,
    pub ping_problems: Vec<Problem>,
    /// The events the proposals name, each once.
    pub events: Vec<String>,
}

/// Why an import could not be read at all.
#[derive(Debug, PartialEq)]
pub struct Unreadable {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Most bytes of a definitions file: real ones are a few megabytes.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

fn read(path: &Path) -> Result<yaml::Node, Unreadable> {
    let fail = |line, column, message: String| Unreadable {
        path: path.to_path_buf(),
        line,
        column,
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| fail(0, 0, format!("cannot read it: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(fail(
            0,
            0,
            format!(
                "it is {size} bytes, more than the {MAX_FILE_BYTES} a definitions file may have"
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(0, 0, format!("cannot read it: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(
            0,
            0,
            format!("it is not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
    })?;
    parse(path, &text)
}

fn parse(path: &Path, text: &str) -> Result<yaml::Node, Unreadable> {
    yaml::parse(text).map_err(|e| Unreadable {
        path: path.to_path_buf(),
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// Refuses a file whose `$schema` names the other kind of Glean file, or
/// that is not a mapping at all.
fn expect_kind(root: &yaml::Node, path: &Path, kind: &str, other: &str) -> Result<(), Unreadable> {
    let fail = |line, message: String| Unreadable {
        path: path.to_path_buf(),
        line,
        column: 1,
        message,
    };
    if root.entries().is_none() {
        return Err(fail(
            root.line,
            format!(
                "it is {}, not a mapping: not a Glean {kind} file",
                root.kind()
            ),
        ));
    }
    if let Some(schema) = root.get("$schema")
        && let Some(text) = schema.text()
        && text.contains(&format!("/{other}/"))
    {
        return Err(fail(
            schema.line,
            format!("its $schema `{text}` is Glean's {other} schema: pass it as the {other} file"),
        ));
    }
    Ok(())
}

/// Reads Glean's `metrics` file (and `pings`, when given) as proposals.
pub fn glean(metrics: &Path, pings: Option<&Path>) -> Result<Import, Unreadable> {
    let pings = match pings {
        Some(p) => Some((p, read(p)?)),
        None => None,
    };
    glean_parsed((metrics, read(metrics)?), pings)
}

/// [`glean`] from texts in memory (named `metrics.yaml` and `pings.yaml`
/// in what it reports). For tests.
pub fn glean_texts(metrics: &str, pings: Option<&str>) -> Result<Import, Unreadable> {
    let pings_path = Path::new("pings.yaml");
    let pings = match pings {
        Some(text) => Some((pings_path, parse(pings_path, text)?)),
        None => None,
    };
    let metrics_path = Path::new("metrics.yaml");
    glean_parsed((metrics_path, parse(metrics_path, metrics)?), pings)
}

fn glean_parsed(
    (metrics, root): (&Path, yaml::Node),
    pings: Option<(&Path, yaml::Node)>,
) -> Result<Import, Unreadable> {
    let mut out = Import::default();
    let declared = match pings {
        Some((p, root)) => {
            expect_kind(&root, p, "pings", "metrics")?;
            glean::pings(&root, &mut out.ping_problems)
        }
        None => BTreeMap::new(),
    };
    expect_kind(&root, metrics, "metrics", "pings")?;
    let mut proposals = glean::metrics(&root, &declared, &mut out.problems);
    if proposals.is_empty() && out.problems.is_empty() {
        out.problems.push(Problem {
            line: root.line,
            message: "no metrics in the file".into(),
        });
    }
    // A name privet cannot take is reported, not shortened into a clash.
    proposals.retain(|p| match crate::names::name_problem(&p.name) {
        Some(why) => {
            out.problems.push(Problem {
                line: p.line,
                message: format!(
                    "`{}` becomes the privet name `{}`, which {why}: not imported; shorten it",
                    p.source, p.name
                ),
            });
            false
        }
        None => true,
    });
    // Two definitions that become one name: the later one is reported.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    proposals.retain(|p| match seen.get(&p.name) {
        Some(first) => {
            out.problems.push(Problem {
                line: p.line,
                message: format!(
                    "`{}` becomes the privet name `{}`, like `{first}` before it: not imported; rename one",
                    p.source, p.name
                ),
            });
            false
        }
        None => {
            seen.insert(p.name.clone(), p.source.clone());
            true
        }
    });
    for p in &proposals {
        for e in &p.events {
            if !out.events.contains(e) {
                out.events.push(e.clone());
            }
        }
    }
    out.proposals = proposals;
    Ok(out)
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text of several lines: a multi-line literal string when it can be one,
/// else a basic string.
pub fn toml_text(s: &str) -> String {
    let literal_ok = !s.contains("'''")
        && !s.ends_with('\'')
        && s.chars().all(|c| c == '\n' || c == '\t' || !c.is_control());
    if s.contains('\n') && literal_ok {
        format!("'''\n{s}'''")
    } else {
        toml_string(s)
    }
}

/// `["a", "b"]` on one line.
pub fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A list with one item per line.
pub fn toml_block_list(items: &[String]) -> String {
    let mut out = String::from("[\n");
    for i in items {
        out.push_str("    ");
        out.push_str(&toml_string(i));
        out.push_str(",\n");
    }
    out.push(']');
    out
}

/// What `privet import` says when it is done.
pub struct Summary<'a> {
    pub import: &'a Import,
    pub metrics_file: &'a str,
    pub pings_file: Option<&'a str>,
    /// Where the proposals went, as shown.
    pub out_dir: &'a str,
    /// How many of the written proposals the loader read back.
    pub loaded: usize,
    /// Events the proposals name that privet.toml does not declare.
    pub missing_events: Vec<String>,
    pub seconds: f64,
}

/// Why a decision is needed, in words, by kind.
fn kind_words(kind: &str) -> &'static str {
    match kind {
        "free text" => "strings, text, string lists, objects, string event extras",
        "identifying" => "URLs, UUIDs, exact times",
        "free labels" => "labeled metrics whose labels Glean does not list",
        "expiry" => "a product version, `expired`, or none",
        _ => "types the importer does not know",
    }
}

impl Summary<'_> {
    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let ps = &self.import.proposals;
        let clean = ps.iter().filter(|p| p.undecided.is_empty()).count();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "privet import glean: {} metrics from {}{} in {:.2} s",
            ps.len(),
            self.metrics_file,
            self.pings_file
                .map(|p| format!(" and pings from {p}"))
                .unwrap_or_default(),
            self.seconds
        );
        let _ = writeln!(
            s,
            "wrote {} proposals under {} ({} of them load)",
            ps.len(),
            self.out_dir,
            self.loaded
        );
        let _ = writeln!(
            s,
            "  mapped cleanly:  {clean:>5}  every field has a low-resolution type, the expiry is a date or never"
        );
        let _ = writeln!(s, "  need a decision: {:>5}", ps.len() - clean);
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for p in ps {
            let mut own: Vec<&str> = p.undecided.iter().map(String::as_str).collect();
            own.sort_unstable();
            own.dedup();
            for k in own {
                *kinds.entry(k).or_default() += 1;
            }
        }
        for (k, n) in &kinds {
            let _ = writeln!(s, "    {n:>5}  {k}: {}", kind_words(k));
        }
        if kinds.len() > 1 {
            let _ = writeln!(s, "    (a metric can need more than one decision)");
        }
        let mut types: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for p in ps {
            let t = types.entry(p.glean_type.as_str()).or_default();
            t.0 += 1;
            t.1 += usize::from(p.undecided.is_empty());
        }
        let list: Vec<String> = types
            .iter()
            .map(|(t, (n, c))| {
                let t = if t.is_empty() { "(no type)" } else { t };
                if n == c {
                    format!("{t} {n}")
                } else {
                    format!("{t} {n} ({c} clean)")
                }
            })
            .collect();
        let _ = writeln!(s, "by Glean type: {}", list.join(", "));
        let _ = writeln!(
            s,
            "every proposal still needs the checklist answers Glean does not record (the question, how it is gathered, its load, pii, sanitization, since, alternatives, summarization, visualization, an example): `privet check` lists them"
        );
        if !self.missing_events.is_empty() {
            let _ = writeln!(
                s,
                "events that privet.toml does not declare yet (add them to `events`): {}",
                toml_list(&self.missing_events)
            );
        }
        for (file, problems) in [
            (self.metrics_file, &self.import.problems),
            (self.pings_file.unwrap_or(""), &self.import.ping_problems),
        ] {
            for p in problems {
                let _ = writeln!(s, "{file}:{}: {}", p.line, p.message);
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_round_trip() {
        for s in [
            "plain",
            "quote \" and \\ back",
            "two\nlines\n",
            "tab\tand \u{7} bell",
            "ends with '",
            "has ''' inside\nand more",
            "ünïcødé\n",
        ] {
            for written in [toml_string(s), toml_text(s)] {
                let doc: toml_edit::DocumentMut = format!("k = {written}\n").parse().unwrap();
                assert_eq!(doc["k"].as_str(), Some(s), "{written}");
            }
        }
        let list = toml_block_list(&["a\"b".into(), "c".into()]);
        let doc: toml_edit::DocumentMut = format!("k = {list}\n").parse().unwrap();
        assert_eq!(doc["k"].as_array().unwrap().len(), 2);
    }
}
