//! `privet scan`: PII findings in JSON payloads as collectors receive them.
//!
//! Input is JSON Lines (one payload per line), or JSON documents that span
//! lines: one pretty-printed document, or several in a row as `jq .` prints
//! them. A trailing comma is reported and read past; no error drops the
//! rest of the input. Each finding carries the 1-based line, the JSON
//! pointer of the value, the kind, and the byte offsets of the match within
//! that line.

use crate::pii::{self, Kind};

/// One PII finding in the scanned input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanFinding {
    /// 1-based line of the input.
    pub line: usize,
    /// JSON pointer of the value.
    pub pointer: String,
    pub kind: Kind,
    /// Byte offsets of the match within the line.
    pub start: usize,
    pub end: usize,
}

/// A line (or document) that is not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub line: usize,
    /// 1-based byte column.
    pub column: usize,
    pub message: String,
}

/// What a scan found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub findings: Vec<ScanFinding>,
    pub errors: Vec<InputError>,
    /// Payloads scanned (lines, or 1 for a document).
    pub payloads: usize,
    /// Whether the text was read as JSON documents spanning lines rather
    /// than as JSON Lines.
    pub documents: bool,
    /// Of each JSON line with findings, the value at the id pointer asked
    /// for (its installation id), by line.
    pub ids: std::collections::HashMap<usize, String>,
}

/// Scans `text` as JSON Lines, or, when that explains it worse (more
/// errors), as a stream of JSON documents. `id_pointer` names each JSON
/// line's installation id, read in the same pass ([`ScanReport::ids`]).
pub fn scan(text: &str, settings: &pii::Settings, id_pointer: Option<&str>) -> ScanReport {
    let lines: Vec<(usize, usize, &str)> = line_table(text);
    // JSON Lines, in parallel: each line is independent.
    let per_line = crate::parallel::par_chunks(&lines, |chunk| {
        chunk
            .iter()
            .map(|&(number, _, line)| {
                if line.trim().is_empty() {
                    return (Vec::new(), None, false, None);
                }
                let pii::ScannedLine {
                    findings,
                    error,
                    id,
                } = settings.scan_json_line(line, id_pointer);
                let id = id.filter(|_| !findings.is_empty()).map(|id| (number, id));
                let f = findings
                    .into_iter()
                    .map(|f| ScanFinding {
                        line: number,
                        pointer: f.pointer,
                        kind: f.kind,
                        start: f.range.start,
                        end: f.range.end,
                    })
                    .collect();
                let error = error.map(|e| InputError {
                    line: number,
                    column: e.offset + 1,
                    message: e.message,
                });
                (f, error, true, id)
            })
            .collect::<Vec<_>>()
    });
    let errors: Vec<InputError> = per_line
        .iter()
        .filter_map(|(_, e, _, _)| e.clone())
        .collect();
    if !errors.is_empty() {
        // Perhaps pretty-printed documents, one or several in a row: read
        // that way when it explains the input better.
        let documents = scan_documents(text, &lines, settings);
        if documents.errors.len() < errors.len() {
            return documents;
        }
    }
    let payloads = per_line
        .iter()
        .filter(|(_, _, counted, _)| *counted)
        .count();
    let mut ids = std::collections::HashMap::new();
    let mut findings = Vec::new();
    for (f, _, _, id) in per_line {
        findings.extend(f);
        ids.extend(id);
    }
    ScanReport {
        findings,
        errors,
        payloads,
        documents: false,
        ids,
    }
}

/// `text` read as a stream of JSON documents.
fn scan_documents(
    text: &str,
    lines: &[(usize, usize, &str)],
    settings: &pii::Settings,
) -> ScanReport {
    let (found, documents) = settings.scan_json_documents(text);
    let findings = found
        .into_iter()
        .map(|f| {
            let (number, line_start) = locate(lines, f.range.start);
            ScanFinding {
                line: number,
                pointer: f.pointer,
                kind: f.kind,
                start: f.range.start - line_start,
                end: f.range.end - line_start,
            }
        })
        .collect();
    let errors = documents
        .iter()
        .flat_map(|d| &d.errors)
        .map(|e| {
            let (line, line_start) = locate(lines, e.offset);
            InputError {
                line,
                column: e.offset - line_start + 1,
                message: e.message.clone(),
            }
        })
        .collect();
    ScanReport {
        findings,
        errors,
        payloads: documents.len(),
        documents: true,
        ids: Default::default(),
    }
}

/// `(line number, byte offset of its start, text)` for every line.
fn line_table(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        let l = line.strip_suffix('\r').unwrap_or(line);
        out.push((i + 1, start, l));
        start += line.len() + 1;
    }
    if text.ends_with('\n') {
        out.pop();
    }
    out
}

/// The line number and line start of byte `offset`.
fn locate(lines: &[(usize, usize, &str)], offset: usize) -> (usize, usize) {
    let i = lines
        .partition_point(|&(_, start, _)| start <= offset)
        .saturating_sub(1);
    lines.get(i).map_or((1, 0), |&(n, s, _)| (n, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the line holding `f`, from the scanned input.
    fn matched<'t>(text: &'t str, f: &ScanFinding) -> &'t str {
        text.split('\n')
            .nth(f.line - 1)
            .and_then(|l| l.get(f.start..f.end))
            .unwrap_or("")
    }

    #[test]
    fn json_lines_report_line_pointer_and_offsets() {
        let text = "{\"a\":\"ok\"}\n\n{\"host\":\"db01.corp.example.com\",\"n\":1}\n";
        let r = scan(text, &pii::Settings::default(), None);
        assert_eq!(r.payloads, 2);
        assert_eq!(r.errors, []);
        assert_eq!(
            r.findings,
            [ScanFinding {
                line: 3,
                pointer: "/host".into(),
                kind: Kind::Hostname,
                start: 9,
                end: 30
            }]
        );
        assert_eq!(matched(text, &r.findings[0]), "db01.corp.example.com");
    }

    #[test]
    fn the_installation_id_is_read_wherever_the_pointer_says() {
        let id = |line: &str, pointer: &str| {
            // An e-mail address gives the line a finding; only lines with
            // findings need their id.
            let line = format!("{}\"mail\":\"a@example.org\"}}", &line[..line.len() - 1]);
            let line = line.replacen('{', "{\"mail\":\"a@example.org\",", 1);
            scan(&line, &pii::Settings::default(), Some(pointer))
                .ids
                .get(&1)
                .cloned()
        };
        let line = r#"{"a":[1,{"x":"y"}],"installation_id":"i-1","b":{"c/d":{"id":42}}}"#;
        assert_eq!(id(line, "/installation_id"), Some("i-1".into()));
        assert_eq!(id(line, "/b/c~1d/id"), Some("42".into()));
        assert_eq!(id(line, "/a/1/x"), Some("y".into()));
        // Escaped keys, the last of duplicate keys (as a map would read it).
        let escaped = r#"{"inst\u0061llation":"e","k":"1","k":"2"}"#;
        assert_eq!(id(escaped, "/installation"), Some("e".into()));
        assert_eq!(id(escaped, "/k"), Some("2".into()));
        assert_eq!(id(r#"{"k":"1","k":{"a":"b"}}"#, "/k"), None);
        // Missing, empty, not a string or number: no id.
        assert_eq!(id(line, "/missing"), None);
        assert_eq!(id(r#"{"id":""}"#, "/id"), None);
        assert_eq!(id(r#"{"id":{"a":1}}"#, "/id"), None);
        assert_eq!(id(r#"{"id":[1]}"#, "/id"), None);
        // A line without findings needs no id.
        let quiet = scan(r#"{"id":"x"}"#, &pii::Settings::default(), Some("/id"));
        assert!(quiet.ids.is_empty());
    }

    #[test]
    fn a_pretty_printed_document_is_one_payload() {
        let text = "{\n  \"contact\": {\n    \"email\": \"jane@example.org\"\n  }\n}\n";
        let r = scan(text, &pii::Settings::default(), None);
        assert_eq!(r.payloads, 1);
        assert_eq!(r.findings.len(), 1);
        assert_eq!((r.findings[0].line, r.findings[0].start), (3, 14));
        assert_eq!(matched(text, &r.findings[0]), "jane@example.org");
    }

    #[test]
    fn invalid_lines_are_errors_with_columns_and_the_rest_is_scanned() {
        let r = scan(
            "{\"a\":1}\n{\"a\":\n{\"email\":\"a@example.org\"}\n",
            &pii::Settings::default(),
            None,
        );
        assert_eq!(
            r.errors,
            [InputError {
                line: 2,
                column: 6,
                message: "unexpected end of input".into()
            }]
        );
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].line, 3);
    }

    #[test]
    fn concatenated_documents_and_trailing_commas_lose_nothing() {
        // What `jq .` prints for two payloads, the second with a trailing comma.
        let text = "{\n  \"email\": \"jane@example.org\"\n}\n{\n  \"ip\": \"203.0.113.9\",\n  \"n\": [1, 2,],\n}\n";
        let r = scan(text, &pii::Settings::default(), None);
        assert_eq!(r.payloads, 2);
        let lines: Vec<(usize, &str)> = r
            .findings
            .iter()
            .map(|f| (f.line, matched(text, f)))
            .collect();
        assert_eq!(lines, [(2, "jane@example.org"), (5, "203.0.113.9")]);
        let errors: Vec<(usize, usize, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.column, e.message.as_str()))
            .collect();
        assert_eq!(
            errors,
            [(6, 13, "trailing comma"), (6, 15, "trailing comma")]
        );
    }

    #[test]
    fn a_broken_document_keeps_what_came_before_and_the_next_documents() {
        let text = "{\n  \"email\": \"jane@example.org\",\n  \"x\": tru\n}\n{\n  \"ip\": \"203.0.113.9\"\n}\n";
        let r = scan(text, &pii::Settings::default(), None);
        assert_eq!(r.payloads, 2);
        assert_eq!(r.findings.len(), 2, "{:?}", r.findings);
        assert_eq!((r.errors.len(), r.errors[0].line), (1, 3));
    }
}
