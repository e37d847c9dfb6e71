//! Stage 5, report: findings rendered for people (rustc-style), for machines
//! (JSON Lines) and for GitHub Actions (workflow-command annotations).

use std::fmt::Write as _;

use serde_json::json;

use crate::diagnostic::{Diagnostic, Sources, line_col};
use crate::rules::Severity;

/// Output format of commands that report findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style, with the source line and the span underlined
    Human,
    /// JSON Lines: one object per finding
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request)
    Github,
    /// SARIF 2.1.0, one document (for code-scanning services)
    Sarif,
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(diags: &[Diagnostic]) -> Tally {
        let errors = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Tally {
            errors,
            warnings: diags.len() - errors,
        }
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} error{}, {} warning{}",
            self.errors,
            s(self.errors),
            self.warnings,
            s(self.warnings)
        )
    }
}

/// Renders all findings in `format`.
pub fn render(diags: &[Diagnostic], sources: &Sources, format: Format) -> String {
    if format == Format::Sarif {
        return sarif(diags, sources).to_string() + "\n";
    }
    let mut out = String::new();
    for d in diags {
        match format {
            Format::Human => {
                out.push_str(&human(d, sources));
                out.push('\n');
            }
            Format::Json => {
                out.push_str(&json(d, sources).to_string());
                out.push('\n');
            }
            Format::Github => {
                out.push_str(&github(d, sources));
                out.push('\n');
            }
            Format::Sarif => unreachable!("rendered as one document above"),
        }
    }
    out
}

/// One finding, rustc-style.
pub fn human(d: &Diagnostic, sources: &Sources) -> String {
    let src = sources.get(d.file);
    let (line, col) = line_col(&src.text, d.span.start);
    let mut out = String::new();
    let _ = writeln!(out, "{}[{}]: {}", d.severity, d.rule.id, d.message);
    let line_text = src.text.lines().nth(line - 1);
    let width = line.to_string().len();
    let pad = " ".repeat(width);
    let _ = writeln!(out, "{pad}--> {}:{line}:{col}", src.path);
    // An empty span at the very start is a finding about the whole file.
    let whole_file = d.span == (0..0);
    if let Some(text) = line_text.filter(|_| !src.text.is_empty() && !whole_file) {
        let shown: String = text
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let line_start = src.text[..d.span.start.min(src.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line_end = line_start + text.len();
        let end = d.span.end.clamp(d.span.start, line_end);
        let span_chars = src
            .text
            .get(d.span.start.min(line_end)..end)
            .map_or(0, |s| s.chars().count());
        let carets = "^".repeat(span_chars.max(1));
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{line} | {}", shown.trim_end());
        let label = d
            .label
            .as_deref()
            .map(|l| format!(" {l}"))
            .unwrap_or_default();
        let _ = writeln!(out, "{pad} | {}{carets}{label}", " ".repeat(col - 1));
        let _ = writeln!(out, "{pad} |");
    } else if let Some(label) = &d.label {
        let _ = writeln!(out, "{pad} = note: {label}");
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
    out
}

/// One finding as a JSON object (the `--format json` contract).
pub fn json(d: &Diagnostic, sources: &Sources) -> serde_json::Value {
    let src = sources.get(d.file);
    let (line, column) = line_col(&src.text, d.span.start);
    let (end_line, end_column) = line_col(&src.text, d.span.end);
    json!({
        "rule": d.rule.id,
        "severity": d.severity.as_str(),
        "file": src.path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "start": d.span.start,
        "end": d.span.end,
        "message": d.message,
        "label": d.label,
        "help": d.help,
        "metric": d.metric,
    })
}

/// One finding as a GitHub Actions workflow command.
pub fn github(d: &Diagnostic, sources: &Sources) -> String {
    let src = sources.get(d.file);
    let (line, col) = line_col(&src.text, d.span.start);
    let (end_line, end_col) = line_col(&src.text, d.span.end);
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
        escape_property(&src.path),
        escape_property(&format!("privet {}", d.rule.id)),
        escape_data(&message)
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// All findings as one SARIF 2.1.0 log, with every rule's documentation.
pub fn sarif(diags: &[Diagnostic], sources: &Sources) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = crate::rules::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.what },
                "help": { "text": format!("{}\n\nWhy: {}", r.what, r.why) },
                "defaultConfiguration": { "level": r.severity.as_str() },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let src = sources.get(d.file);
            let (line, column) = line_col(&src.text, d.span.start);
            let (end_line, end_column) = line_col(&src.text, d.span.end);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            json!({
                "ruleId": d.rule.id,
                "level": d.severity.as_str(),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": src.path },
                        "region": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column.max(if end_line == line { column + 1 } else { 1 }),
                        }
                    }
                }],
                "properties": { "metric": d.metric },
            })
        })
        .collect();
    json!({
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "privet", "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "results": results,
        }]
    })
}
