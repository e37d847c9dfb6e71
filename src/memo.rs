//! The memo of a run: what loading and checking found for each proposal
//! file, kept in `.git/privet/proposals.memo` so that the next run reuses
//! it for every file that has not changed byte for byte.
//!
//! An entry is keyed by the file's path and the BLAKE3 hash of its text,
//! and holds two parts:
//!
//! - what loading made of it: the parsed proposal and the findings of
//!   loading it. They depend on the text alone (and on privet's build);
//! - what the rules about that one proposal found (naming, checklist,
//!   fields, example, privacy, lifecycle and sample payloads). They depend
//!   also on `privet.toml`, the date and how samples are built, which make
//!   the memo's check context: a different context reuses the parsed
//!   proposal but checks it again.
//!
//! Rules that read history (provenance) or compare proposals with each
//! other (duplicate names, event budgets, event samples) are never
//! memoized: they run every time, on the reused proposals.
//!
//! The whole memo belongs to one build of privet ([`build_identity`]): a
//! new version, or the same version rebuilt, starts from nothing. The
//! record is sealed ([`crate::sealed`]): an edited or copied memo is
//! ignored, never trusted.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Diagnostic, FileId, FileRef};
use crate::model::Proposal;
use crate::rules::{Rule, Severity};

/// The record's name in `.git/privet/`.
pub const RECORD: &str = "proposals.memo";
const MAGIC: &[u8] = b"privet memo\0\x01";

/// Which build of privet is running: its version, and the size and time of
/// its executable, so that a rebuild (a changed rule, a new detector)
/// never reuses what an older build found.
pub fn build_identity() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let time = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{time}", m.len())
        })
        .unwrap_or_default();
    format!("{} {exe}", env!("CARGO_PKG_VERSION"))
}

/// The check context: everything besides a proposal's own text that the
/// memoized rules read, hashed.
pub fn check_context(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    for part in parts {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    *h.finalize().as_bytes()
}

/// A memo read back: entries by path, decoded only when asked for.
#[derive(Default)]
pub struct Memo {
    /// The rules a stored finding may name (the catalog), looked up by id.
    rules: &'static [&'static Rule],
    body: Vec<u8>,
    context: [u8; 32],
    entries: HashMap<String, Entry>,
}

struct Entry {
    text_hash: [u8; 32],
    parsed: Range<usize>,
    checked: Option<Range<usize>>,
}

/// What loading found, as stored.
#[derive(serde::Serialize, serde::Deserialize)]
struct Parsed {
    proposal: Option<Proposal>,
    findings: Vec<Finding>,
}

/// A finding about the file it is stored with, as stored.
#[derive(serde::Serialize, serde::Deserialize)]
struct Finding {
    rule: String,
    severity: Severity,
    span: Range<usize>,
    message: String,
    label: Option<String>,
    help: Option<String>,
    metric: Option<String>,
}

impl Finding {
    /// `d` as stored, if it is about `file` (a finding about another file
    /// is not this entry's to keep).
    fn of(d: &Diagnostic, file: FileId) -> Option<Finding> {
        (d.file == FileRef::Source(file)).then(|| Finding {
            rule: d.rule.id.to_string(),
            severity: d.severity,
            span: d.span.clone(),
            message: d.message.clone(),
            label: d.label.clone(),
            help: d.help.clone(),
            metric: d.metric.clone(),
        })
    }

    fn into_diagnostic(self, file: FileId, rules: &[&'static Rule]) -> Option<Diagnostic> {
        Some(Diagnostic {
            rule: rules.iter().copied().find(|r| r.id == self.rule)?,
            severity: self.severity,
            file: FileRef::Source(file),
            span: self.span,
            message: self.message,
            label: self.label,
            help: self.help,
            metric: self.metric,
        })
    }
}

fn text_hash(path: &str, text: &str) -> [u8; 32] {
    check_context(&[path.as_bytes(), text.as_bytes()])
}

impl Memo {
    /// The memo in `git_dir` if it verifies and was written by `identity`.
    /// A stored finding names its rule by id, found among `rules` (the
    /// catalog); a finding whose rule is gone voids its entry.
    pub fn read(git_dir: &Path, identity: &str, rules: &'static [&'static Rule]) -> Option<Memo> {
        let body = crate::sealed::read(git_dir, RECORD)?;
        Memo::decode(body, identity, rules)
    }

    fn decode(body: Vec<u8>, identity: &str, rules: &'static [&'static Rule]) -> Option<Memo> {
        let mut r = Reader {
            bytes: &body,
            at: 0,
        };
        if r.take(MAGIC.len())? != MAGIC || r.chunk()? != identity.as_bytes() {
            return None;
        }
        let context: [u8; 32] = r.take(32)?.try_into().ok()?;
        let count = usize::try_from(r.u64()?).ok()?;
        let mut entries = HashMap::with_capacity(count.min(1 << 20));
        for _ in 0..count {
            let path = std::str::from_utf8(r.chunk()?).ok()?.to_string();
            let text_hash: [u8; 32] = r.take(32)?.try_into().ok()?;
            let parsed = r.range()?;
            let checked = match r.take(1)?[0] {
                0 => None,
                _ => Some(r.range()?),
            };
            entries.insert(
                path,
                Entry {
                    text_hash,
                    parsed,
                    checked,
                },
            );
        }
        // Blob ranges are relative to the area after the index.
        let base = r.at;
        let shift = |r: &mut Range<usize>| -> Option<()> {
            *r = r.start.checked_add(base)?..r.end.checked_add(base)?;
            Some(())
        };
        for e in entries.values_mut() {
            shift(&mut e.parsed)?;
            if let Some(c) = &mut e.checked {
                shift(c)?;
            }
        }
        Some(Memo {
            rules,
            body,
            context,
            entries,
        })
    }

    /// How many files it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn entry(&self, path: &str, text: &str) -> Option<&Entry> {
        self.entries
            .get(path)
            .filter(|e| e.text_hash == text_hash(path, text))
    }

    /// What loading found in `text` at `path` last time (now file `file`):
    /// the proposal (none when it could not be read) and the findings.
    pub fn parsed(
        &self,
        path: &str,
        text: &str,
        file: FileId,
    ) -> Option<(Option<Proposal>, Vec<Diagnostic>)> {
        let entry = self.entry(path, text)?;
        let parsed: Parsed = postcard::from_bytes(self.body.get(entry.parsed.clone())?).ok()?;
        let findings = parsed
            .findings
            .into_iter()
            .map(|f| f.into_diagnostic(file, self.rules))
            .collect::<Option<Vec<_>>>()?;
        let proposal = parsed.proposal.map(|mut p| {
            p.file = file;
            p
        });
        Some((proposal, findings))
    }

    /// What the memoized rules found about the proposal in `text` at
    /// `path` (now file `file`), if the check context is `context`.
    pub fn checked(
        &self,
        path: &str,
        text: &str,
        file: FileId,
        context: &[u8; 32],
    ) -> Option<Vec<Diagnostic>> {
        if self.context != *context {
            return None;
        }
        let range = self.entry(path, text)?.checked.clone()?;
        let findings: Vec<Finding> = postcard::from_bytes(self.body.get(range)?).ok()?;
        findings
            .into_iter()
            .map(|f| f.into_diagnostic(file, self.rules))
            .collect()
    }
}

/// One file's entry for [`write`].
pub struct Record<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub file: FileId,
    pub proposal: Option<&'a Proposal>,
    /// The findings of loading it (others are skipped).
    pub load: &'a [Diagnostic],
    /// The memoized rules' findings, when they ran in `context`.
    pub check: Option<&'a [Diagnostic]>,
}

/// Writes the memo of this run into `git_dir`. An entry whose findings
/// cannot all be stored is left out (it is simply not reused); failures
/// are ignored (the memo only saves work).
pub fn write(git_dir: &Path, identity: &str, context: &[u8; 32], records: &[Record]) {
    let encoded = crate::parallel::par_map(records, |r| encode(r));
    let mut body = MAGIC.to_vec();
    chunk(&mut body, identity.as_bytes());
    body.extend_from_slice(context);
    let kept: Vec<_> = records
        .iter()
        .zip(&encoded)
        .filter(|(_, e)| e.is_some())
        .collect();
    body.extend_from_slice(&(kept.len() as u64).to_le_bytes());
    // Entries point into a blob area after the index.
    let mut blobs = Vec::new();
    for (record, encoded) in kept {
        let (parsed, checked) = encoded.as_ref().expect("kept");
        chunk(&mut body, record.path.as_bytes());
        body.extend_from_slice(&text_hash(record.path, record.text));
        range(&mut body, &mut blobs, parsed);
        match checked {
            None => body.push(0),
            Some(c) => {
                body.push(1);
                range(&mut body, &mut blobs, c);
            }
        }
    }
    // Ranges are relative to the blob area, which follows the index.
    body.extend_from_slice(&blobs);
    crate::sealed::write(git_dir, RECORD, &body);
}

/// A record's two blobs, or none when a finding cannot be stored.
fn encode(r: &Record) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let findings = |ds: &[Diagnostic]| -> Option<Vec<Finding>> {
        ds.iter().map(|d| Finding::of(d, r.file)).collect()
    };
    let parsed = Parsed {
        proposal: r.proposal.cloned(),
        findings: findings(r.load)?,
    };
    let parsed = postcard::to_allocvec(&parsed).ok()?;
    let checked = match r.check {
        None => None,
        Some(ds) => Some(postcard::to_allocvec(&findings(ds)?).ok()?),
    };
    Some((parsed, checked))
}

fn chunk(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn range(index: &mut Vec<u8>, blobs: &mut Vec<u8>, blob: &[u8]) {
    let start = blobs.len() as u64;
    blobs.extend_from_slice(blob);
    index.extend_from_slice(&start.to_le_bytes());
    index.extend_from_slice(&(blobs.len() as u64).to_le_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn chunk(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u64()?).ok()?;
        self.take(n)
    }

    fn range(&mut self) -> Option<Range<usize>> {
        let start = usize::try_from(self.u64()?).ok()?;
        let end = usize::try_from(self.u64()?).ok()?;
        (start <= end).then_some(start..end)
    }
}
