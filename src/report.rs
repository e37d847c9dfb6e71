//! Stage 5, report: findings rendered for people (rustc-style), for machines
//! (JSON Lines), for GitHub Actions (workflow-command annotations) and for
//! code-scanning services (SARIF). Registry findings and `privet scan`'s
//! payload findings go through the same renderers and the same escaping.
//! The summary of a check or an audit (budgets, what ships) is printed here
//! too, from the values the earlier stages returned.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::json;

use crate::diagnostic::{Diagnostic, Sources};
use crate::files::display;
use crate::load::Registry;
use crate::model::Status;
use crate::pii::{redact, shown_pointer};
use crate::resolve::{Provenance, Unavailable};
use crate::rules::Severity;
use crate::scan::ScanFinding;
use crate::shipping::{generated_proposals, shippable};

/// Exit code: no error-level findings.
pub const EXIT_OK: i32 = 0;
/// Exit code: at least one error-level finding.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_USAGE: i32 = 2;

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
        return crate::text::json_safe(&sarif(diags, sources).to_string()).into_owned() + "\n";
    }
    let mut out = String::new();
    for d in diags {
        match format {
            Format::Human => {
                out.push_str(&human(d, sources));
                out.push('\n');
            }
            Format::Json => {
                out.push_str(&crate::text::json_safe(&json(d, sources).to_string()));
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

/// The path and text of the file a finding points into.
struct Shown<'s> {
    path: &'s str,
    text: &'s str,
    file: &'s crate::diagnostic::FileRef,
    sources: &'s Sources,
}

impl<'s> Shown<'s> {
    fn of(d: &'s Diagnostic, sources: &'s Sources) -> Self {
        Shown {
            path: sources.path(&d.file),
            text: sources.text(&d.file),
            file: &d.file,
            sources,
        }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        self.sources.line_col(self.file, offset)
    }
}

/// One finding, rustc-style.
pub fn human(d: &Diagnostic, sources: &Sources) -> String {
    let src = Shown::of(d, sources);
    let (line, col) = src.line_col(d.span.start);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        d.severity,
        d.rule.id,
        // A message may quote a key or value of any length: a terminal
        // gets a sensible share of it (JSON and SARIF keep it whole).
        printable(&crate::diagnostic::clip(&d.message, MAX_MESSAGE_CHARS))
    );
    let line_text = src.sources.line_text(src.file, line);
    let width = line.to_string().len();
    let pad = " ".repeat(width);
    let _ = writeln!(out, "{pad}--> {}:{line}:{col}", printable(src.path));
    // An empty span at the very start is a finding about the whole file.
    let whole_file = d.span == (0..0);
    let label = d.label.as_deref().map(printable);
    if let Some(text) = line_text.filter(|_| !src.text.is_empty() && !whole_file) {
        let line_start = src.text[..src.text.floor_char_boundary(d.span.start)]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line_end = line_start + text.len();
        let end = d.span.end.clamp(d.span.start, line_end);
        let span_chars = src
            .text
            .get(d.span.start.min(line_end)..end)
            .map_or(0, |s| s.chars().count());
        // A long line is cut to a window around the span before its
        // characters are laid out (a line of thousands of findings is
        // not collected whole for each of them).
        let (text, start) = if text.len() > 8 * EXCERPT_WIDTH {
            let at = d.span.start.saturating_sub(line_start).min(text.len());
            let from = text.floor_char_boundary(at.saturating_sub(4 * EXCERPT_WIDTH));
            let to = text.ceil_char_boundary(at.saturating_add(8 * EXCERPT_WIDTH).min(text.len()));
            let start = text[from..text.floor_char_boundary(at)].chars().count();
            (&text[from..to], start)
        } else {
            (text, col - 1)
        };
        let (shown, before, under) = excerpt(text, start, span_chars);
        let carets = "^".repeat(under.max(1));
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{line} | {}", shown.trim_end());
        let label = label.map(|l| format!(" {l}")).unwrap_or_default();
        let _ = writeln!(out, "{pad} | {}{carets}{label}", " ".repeat(before));
        let _ = writeln!(out, "{pad} |");
    } else if let Some(label) = label {
        let _ = writeln!(out, "{pad} = note: {label}");
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} = help: {}", printable(help));
    }
    out
}

/// Longest source line shown whole; longer ones are cut around the span.
const EXCERPT_WIDTH: usize = 240;

/// The source line as shown under a finding: tabs as spaces, control
/// characters escaped (`\u{1b}`), and a long line cut to a window around
/// the span (marked with `…`). Returns the text, the display width before
/// the span and the display width of the span, in terminal columns.
fn excerpt(line: &str, start: usize, len: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    let (from, to) = if chars.len() <= EXCERPT_WIDTH {
        (0, chars.len())
    } else {
        let from = start.saturating_sub(EXCERPT_WIDTH / 4);
        (from, (from + EXCERPT_WIDTH).min(chars.len()))
    };
    let shown_char = |c: char| -> String {
        match c {
            '\t' => " ".into(),
            c if c.is_control() || crate::text::is_hidden(c) => c.escape_default().to_string(),
            c => c.to_string(),
        }
    };
    let mut text = String::new();
    let (mut before, mut under) = (0, 0);
    if from > 0 {
        text.push('…');
        before += 1;
    }
    for (i, &c) in chars.iter().enumerate().take(to).skip(from) {
        let s = shown_char(c);
        // Terminal columns, not characters: a wide character takes two, a
        // combining mark none (the carets stay under what they point at).
        let w = unicode_width::UnicodeWidthStr::width(s.as_str());
        if i < start {
            before += w;
        } else if i < start + len {
            under += w;
        }
        text.push_str(&s);
    }
    if to < chars.len() {
        text.push('…');
    }
    (text, before, under)
}

/// Text that came from input, with control characters escaped so that it
/// cannot move a terminal's cursor, clear a line or end one early.
/// Most characters of a message in human output.
const MAX_MESSAGE_CHARS: usize = 1000;

/// `s` with control characters other than newlines and tabs escaped: for
/// text of several lines written to a terminal (a command's output or
/// error, which may quote names, commit subjects or keys from input).
/// Hidden characters (bidirectional controls, zero-width characters) are
/// escaped too: what a person reads is what the input holds.
pub fn printable_text(s: &str) -> std::borrow::Cow<'_, str> {
    crate::text::shown_lines(s)
}

/// One line of text from input, with control and hidden characters escaped.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    crate::text::shown(s)
}

/// A relative path as a URI reference for SARIF: every byte other than
/// unreserved characters and `/` percent-encoded (a `?` or `#` in a file
/// name would otherwise start a query or a fragment).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One finding as a JSON object (the `--format json` contract).
pub fn json(d: &Diagnostic, sources: &Sources) -> serde_json::Value {
    let src = Shown::of(d, sources);
    let (line, column) = src.line_col(d.span.start);
    let (end_line, end_column) = src.line_col(d.span.end);
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
    let src = Shown::of(d, sources);
    let (line, col) = src.line_col(d.span.start);
    let (end_line, end_col) = src.line_col(d.span.end);
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    github_command(
        d.severity,
        src.path,
        &format!("line={line},col={col},endLine={end_line},endColumn={end_col}"),
        &format!("privet {}", d.rule.id),
        &message,
    )
}

/// A GitHub Actions workflow command: every value escaped, so that no text
/// a finding quotes can end the command or start another one.
fn github_command(
    severity: Severity,
    path: &str,
    position: &str,
    title: &str,
    message: &str,
) -> String {
    format!(
        "::{} file={},{position},title={}::{}",
        severity.as_str(),
        escape_property(path),
        escape_property(title),
        escape_data(message)
    )
}

fn escape_data(s: &str) -> String {
    let encoded = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    printable(&encoded).into_owned()
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// All findings as one SARIF 2.1.0 log, with every rule's documentation.
pub fn sarif(diags: &[Diagnostic], sources: &Sources) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = crate::catalog::ALL
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
            let src = Shown::of(d, sources);
            let (line, column) = src.line_col(d.span.start);
            let (end_line, end_column) = src.line_col(d.span.end);
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
                        "artifactLocation": { "uri": uri(src.path) },
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
    sarif_log("privet", rules, results)
}

/// A SARIF 2.1.0 log of one run of `tool`.
fn sarif_log(
    tool: &str,
    rules: Vec<serde_json::Value>,
    results: Vec<serde_json::Value>,
) -> serde_json::Value {
    json!({
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": tool, "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "results": results,
        }]
    })
}

/// `privet scan`'s findings in one input, rendered one per line (human,
/// JSON Lines or GitHub). `path` is the input as shown, `text` what was
/// scanned. SARIF collects [`scan_sarif_result`]s into [`scan_sarif`].
/// `text` holds the input from the line after `first_line` (findings carry
/// the input's line numbers).
pub fn scan_lines(
    path: &str,
    text: &str,
    first_line: usize,
    findings: &[ScanFinding],
    format: Format,
) -> String {
    let mut out = String::new();
    // The input's lines, split once: quoting a match is then a lookup.
    let lines: Vec<&str> = if format == Format::Human && !findings.is_empty() {
        text.split('\n').collect()
    } else {
        Vec::new()
    };
    // (line, byte offset, characters before it) of the last column counted.
    let mut counted_to = (0, 0, 0);
    for f in findings {
        match format {
            Format::Json => {
                let record = json!({
                    "file": path,
                    "line": f.line,
                    "pointer": shown_pointer(&f.pointer),
                    "kind": f.kind.as_str(),
                    "start": f.start,
                    "end": f.end,
                })
                .to_string();
                let _ = writeln!(out, "{}", crate::text::json_safe(&record));
            }
            Format::Github => {
                let _ = writeln!(
                    out,
                    "{}",
                    github_command(
                        Severity::Error,
                        path,
                        &format!("line={},col={}", f.line, f.start + 1),
                        &format!("privet scan {}", f.kind.as_str()),
                        &format!(
                            "{} at {} ({})",
                            f.kind.as_str(),
                            shown_pointer(&f.pointer),
                            f.kind.why()
                        ),
                    )
                );
            }
            Format::Human => {
                let text = lines
                    .get(f.line.saturating_sub(first_line + 1))
                    .copied()
                    .unwrap_or("");
                let matched = text.get(f.start..f.end).unwrap_or("");
                // People count columns in characters (JSON keeps bytes),
                // counted on from the previous finding of the same line (a
                // line of 150,000 findings is not counted from its start
                // for each).
                let (from, counted) = match counted_to {
                    (line, at, chars) if line == f.line && at <= f.start => (at, chars),
                    _ => (0, 0),
                };
                let column = match text.get(from..f.start) {
                    Some(s) => {
                        let chars = counted + s.chars().count();
                        counted_to = (f.line, f.start, chars);
                        chars + 1
                    }
                    None => f.start + 1,
                };
                let _ = writeln!(
                    out,
                    "{}:{}:{}: {} at {}: \"{}\" ({})",
                    printable(path),
                    f.line,
                    column,
                    f.kind.as_str(),
                    printable(&shown_pointer(&f.pointer)),
                    printable(&redact(matched)),
                    f.kind.why()
                );
            }
            Format::Sarif => {}
        }
    }
    out
}

/// One `privet scan` finding as a SARIF result.
pub fn scan_sarif_result(path: &str, f: &ScanFinding) -> serde_json::Value {
    json!({
        "ruleId": f.kind.as_str(),
        "level": "error",
        "message": { "text": format!("{} at {} ({})", f.kind.as_str(), shown_pointer(&f.pointer), f.kind.why()) },
        "locations": [{ "physicalLocation": {
            "artifactLocation": { "uri": uri(path) },
            "region": { "startLine": f.line, "startColumn": f.start + 1, "endLine": f.line, "endColumn": f.end + 1 },
        }}],
    })
}

/// `privet scan`'s SARIF log, with every kind of personal data as a rule.
pub fn scan_sarif(results: Vec<serde_json::Value>) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = crate::pii::Kind::ALL
        .iter()
        .map(|k| json!({ "id": k.as_str(), "shortDescription": { "text": k.why() } }))
        .collect();
    sarif_log("privet scan", rules, results)
}

/// [`scan_sarif`] as text, from results already serialized one by one
/// ([`scan_sarif_result`] then `to_string`): a scan of many findings holds
/// a few hundred bytes per result, not a tree of values for each.
pub fn scan_sarif_text(results: &[String]) -> String {
    let empty = crate::text::json_safe(&scan_sarif(Vec::new()).to_string()).into_owned();
    const SLOT: &str = "\"results\":[]";
    let Some(at) = empty.find(SLOT) else {
        unreachable!("a SARIF log has one run with its results")
    };
    let size = results.iter().map(|r| r.len() + 1).sum::<usize>();
    let mut out = String::with_capacity(empty.len() + size);
    out.push_str(&empty[..at]);
    out.push_str("\"results\":[");
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&crate::text::json_safe(r));
    }
    out.push(']');
    out.push_str(&empty[at + SLOT.len()..]);
    out
}

/// What an audit adds to a report: each event's budget and notes on how
/// the audit ran.
#[derive(Clone, Debug, Default)]
pub struct AuditSummary {
    /// `(event, bits the payload can carry, budget)`.
    pub budgets: Vec<(String, f64, f64)>,
    /// How sample payloads were built, and the like.
    pub notes: Vec<String>,
}

/// A finished check or audit, as the earlier stages returned it.
pub struct Run<'a> {
    pub registry: &'a Registry,
    pub provenance: &'a Provenance,
    /// Every finding, in report order.
    pub findings: &'a [Diagnostic],
    /// Present for an audit.
    pub audit: Option<&'a AuditSummary>,
    pub elapsed: Duration,
}

/// Prints the findings of `run` and a summary line; returns the exit code.
/// The summary goes to stdout for human output and to stderr otherwise, so
/// that machine-readable output holds only findings.
pub fn print(
    run: &Run,
    format: Format,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> i32 {
    let registry = run.registry;
    let _ = out.write_all(render(run.findings, &registry.sources, format).as_bytes());
    if let Provenance::Unavailable(why @ (Unavailable::NoRepository | Unavailable::NoCommits)) =
        run.provenance
    {
        let _ = writeln!(err, "note: provenance not checked: {}", why.describe());
    }
    let tally = Tally::of(run.findings);
    let n = registry.files;
    let summary = format!(
        "privet: {} {n} proposal{} in {}: {tally} ({} ms)",
        if run.audit.is_some() {
            "audited"
        } else {
            "checked"
        },
        if n == 1 { "" } else { "s" },
        display(&registry.root),
        run.elapsed.as_millis()
    );
    if format == Format::Human {
        // The audit shows every event's budget and what ships; any report
        // shows the reasons given for raising a budget.
        if let Some(audit) = run.audit {
            for (event, bits, budget) in &audit.budgets {
                // `+ 0.0` turns an empty sum's -0.0 into 0.0.
                let bits = bits + 0.0;
                let _ = writeln!(
                    out,
                    "budget: the `{event}` payload can carry {bits:.1} of {budget:.0} identifying bits"
                );
            }
            let _ = write!(out, "{}", shipping_summary(registry));
            // What the files let ship but the audit's findings hold back
            // (what only history or the base can judge).
            let blocked: Vec<&str> = crate::shipping::generated_proposals(&registry.proposals)
                .into_iter()
                .filter(|p| crate::shipping::shippable(p, &registry.config))
                .filter(|p| {
                    run.findings.iter().any(|d| {
                        d.severity == crate::rules::Severity::Error
                            && d.metric.as_deref() == Some(p.name.as_str())
                    })
                })
                .map(|p| p.name.as_str())
                .collect();
            if !blocked.is_empty() {
                let _ = writeln!(
                    out,
                    "held by findings ({}): {} (the files let them ship; this audit fails until their findings are resolved)",
                    blocked.len(),
                    blocked.join(", ")
                );
            }
            for note in &audit.notes {
                let _ = writeln!(out, "{note}");
            }
        }
        for line in reasons(registry) {
            let _ = writeln!(out, "{line}");
        }
    }
    let _ = if format == Format::Human {
        writeln!(out, "{summary}")
    } else {
        writeln!(err, "{summary}")
    };
    // A file that could not be read is an I/O error (exit 2), reported
    // with every other finding rather than instead of them.
    if run
        .findings
        .iter()
        .any(|d| d.rule == &crate::load::IO_ERROR)
    {
        EXIT_USAGE
    } else if tally.errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Every reason a proposal gives for relaxing a rule, with its metric: a
/// budget's (what it asks for), a field's (patch versions, names).
pub fn reasons(registry: &Registry) -> Vec<String> {
    let mut out = Vec::new();
    for p in &registry.proposals {
        if let Some(b) = &p.budget {
            let asked: Vec<String> = [
                ("field_bits", &b.field_bits),
                ("metric_bits", &b.metric_bits),
            ]
            .into_iter()
            .filter_map(|(key, bits)| bits.as_ref().map(|v| format!("{key} = {}", v.value)))
            .collect();
            let why = b
                .reason
                .as_ref()
                .map_or("(no reason)", |r| r.value.as_str());
            out.push(format!(
                "budget: {} asks for {}: {why}",
                p.name,
                asked.join(", ")
            ));
        }
        for f in &p.fields {
            if let Some(r) = &f.reason {
                out.push(format!("reason: {}.{}: {}", p.name, f.name.value, r.value));
            }
        }
    }
    out
}

/// Which metrics the generated payloads carry, and why the others do not.
pub fn shipping_summary(registry: &Registry) -> String {
    let generated = generated_proposals(&registry.proposals);
    let mut ships = Vec::new();
    let mut held = Vec::new();
    for p in &generated {
        if shippable(p, &registry.config) {
            ships.push(p.name.clone());
        } else {
            let current = p
                .approval
                .as_ref()
                .and_then(|a| a.fingerprint.as_ref())
                .is_some_and(|f| f.value == crate::fingerprint::fingerprint(p));
            let why = match p.status.as_ref().map(|s| s.value) {
                Some(Status::Approved) if !current => "approved for an earlier definition",
                Some(Status::Approved) => "its approval does not hold: see the approval findings",
                _ => "not approved",
            };
            held.push(format!("{} ({why})", p.name));
        }
    }
    let generated_names: std::collections::HashSet<&str> =
        generated.iter().map(|g| g.name.as_str()).collect();
    for p in &registry.proposals {
        if !generated_names.contains(p.name.as_str()) {
            let why = match p.status.as_ref().map(|s| s.value) {
                Some(Status::Rejected) => "rejected",
                Some(Status::Retired) => "retired",
                _ => "has errors in its definition",
            };
            held.push(format!("{} ({why}, not generated)", p.name));
        }
    }
    let mut out = format!(
        "ships in payloads ({}): {}\n",
        ships.len(),
        if ships.is_empty() {
            "none".into()
        } else {
            ships.join(", ")
        }
    );
    if !held.is_empty() {
        out.push_str(&format!(
            "not shipped ({}): {}\n",
            held.len(),
            held.join(", ")
        ));
    }
    out.push_str(&format!(
        "approvals: {}\n",
        registry.config.approvals.describe()
    ));
    out
}

// ---------------------------------------------------------------------------
// privet validate

/// `privet validate`'s report of one input file, as text: a line per
/// problem (`file:line: pointer: kind: message`, then what is expected).
pub fn validate_lines(file: &str, v: &crate::validate::Validation) -> String {
    let mut out = String::new();
    for p in &v.problems {
        let at = if p.pointer.is_empty() {
            "(payload)".into()
        } else {
            shown_pointer(&p.pointer)
        };
        // Each problem on its own line: a key or value holding a line
        // break (a `::error::` workflow command after it) stays on it.
        let _ = writeln!(
            out,
            "{}:{}: {}: {}: {}",
            printable(file),
            p.line,
            printable(&at),
            p.kind.as_str(),
            printable(&p.message)
        );
        if let Some(e) = &p.expected {
            let _ = writeln!(out, "    expected: {}", printable(e));
        }
    }
    out
}

/// The summary after every file: payloads, events and schema versions
/// seen, and which of the registry's shipped metrics came up.
pub fn validate_summary(v: &crate::validate::Validation, shipped: &[&str]) -> String {
    let mut out = String::new();
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, n)| format!("{} {n}", crate::pii::shown(k)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "payloads: {} read, {} valid", v.payloads, v.valid);
    if !v.events.is_empty() {
        let _ = writeln!(out, "events: {}", counts(&v.events));
    }
    if !v.versions.is_empty() {
        let versions: Vec<String> = v
            .versions
            .iter()
            .map(|(k, n)| format!("{k} ({n})"))
            .collect();
        let _ = writeln!(out, "schema versions: {}", versions.join(", "));
    }
    let seen: Vec<String> = shipped
        .iter()
        .filter_map(|m| v.seen.get(*m).map(|n| format!("{m} {n}")))
        .collect();
    let unseen: Vec<&str> = shipped
        .iter()
        .copied()
        .filter(|m| !v.seen.contains_key(*m))
        .collect();
    let _ = writeln!(
        out,
        "registry metrics seen: {} of {}{}",
        seen.len(),
        shipped.len(),
        if seen.is_empty() {
            String::new()
        } else {
            format!(" ({})", seen.join(", "))
        }
    );
    if !unseen.is_empty() {
        let _ = writeln!(out, "never seen: {}", unseen.join(", "));
    }
    out
}

/// `privet validate --format json`: one document for all files.
pub fn validate_json(
    files: &[(String, crate::validate::Validation)],
    total: &crate::validate::Validation,
    shipped: &[&str],
) -> serde_json::Value {
    let problem = |file: &str, p: &crate::validate::Problem| {
        let mut o = json!({
            "file": file,
            "line": p.line,
            "pointer": shown_pointer(&p.pointer),
            "kind": p.kind.as_str(),
            "message": p.message,
        });
        if let crate::validate::ProblemKind::Pii(k) = p.kind {
            o["pii"] = k.as_str().into();
        }
        if let Some(e) = &p.expected {
            o["expected"] = e.as_str().into();
        }
        o
    };
    json!({
        "payloads": total.payloads,
        "valid": total.valid,
        "files": files.iter().map(|(f, v)| json!({
            "file": f,
            "payloads": v.payloads,
            "valid": v.valid,
            "problems": v.problems.iter().map(|p| problem(f, p)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "events": total
            .events
            .iter()
            .map(|(k, n)| (crate::pii::shown(k).into_owned(), *n))
            .collect::<std::collections::BTreeMap<_, _>>(),
        "schema_versions": total.versions.iter().map(|(k, n)| (k.to_string(), *n)).collect::<std::collections::BTreeMap<_, _>>(),
        "metrics_seen": total.seen,
        "metrics_not_seen": shipped.iter().filter(|m| !total.seen.contains_key(**m)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_long_lines_cut_around_the_span() {
        assert_eq!(
            printable("x\n::error file=evil.rs::y"),
            "x\\n::error file=evil.rs::y"
        );
        assert_eq!(printable("a\u{1b}[2Jb\0"), "a\\u{1b}[2Jb\\u{0}");
        assert_eq!(printable("plain"), "plain");
        // A control character before the span widens the caret offset.
        let (text, before, under) = excerpt("a\u{1b}bc", 2, 2);
        assert_eq!((text.as_str(), before, under), ("a\\u{1b}bc", 7, 2));
        // Wide characters take two columns, a combining mark none.
        let (_, before, under) = excerpt("名前 = \"x\"", 5, 3);
        assert_eq!((before, under), (7, 3));
        let (_, before, under) = excerpt("e\u{301}x", 2, 1);
        assert_eq!((before, under), (1, 1));
        let long = format!("{}XY{}", "a".repeat(1000), "b".repeat(1000));
        let (text, before, under) = excerpt(&long, 1000, 2);
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert!(text.chars().count() <= EXCERPT_WIDTH + 2);
        assert_eq!(
            &text.chars().skip(before).take(under).collect::<String>(),
            "XY"
        );
    }
}
