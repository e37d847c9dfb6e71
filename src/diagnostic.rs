//! Findings as plain data: a rule, a file, a byte span, a message.
//!
//! Nothing here renders; see `report` for the terminal and JSON forms.

use std::ops::Range;

use crate::rules::{Rule, Severity};

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// The file a finding points into: one whose text privet read (a
/// proposal, `privet.toml`), or one it only names (a generated file, the
/// proposals directory when history cannot be read). Stages after `load`
/// name files this way, so the loaded [`Sources`] never change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRef {
    Source(FileId),
    Path(String),
}

impl From<FileId> for FileRef {
    fn from(id: FileId) -> Self {
        FileRef::Source(id)
    }
}

/// A file that findings can point into.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user.
    pub path: String,
    /// The text (lossy for invalid UTF-8; empty when unreadable or too large).
    pub text: String,
    /// Where each line starts, built when a finding is first placed: a
    /// file with thousands of findings is not scanned from its start for
    /// each of them.
    lines: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset, as
    /// [`line_col`] gives them, in the time of a binary search and the
    /// length of one line.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = &self.text;
        let offset = text.floor_char_boundary(offset);
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let column = text[starts[line - 1]..offset].chars().count() + 1;
        (line, column)
    }

    /// The text of 1-based line `line`, without its line break (as
    /// `str::lines` gives it).
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let starts = self.line_starts();
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(self.text.len(), |&next| next - 1);
        if start == self.text.len() && (line > 1 || self.text.is_empty()) {
            return None; // the empty "line" after a final newline
        }
        let l = &self.text[start..end];
        Some(l.strip_suffix('\r').unwrap_or(l))
    }
}

/// All files findings can point into.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.files.push(SourceFile {
            path,
            text,
            lines: std::sync::OnceLock::new(),
        });
        self.files.len() - 1
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    /// Every file, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }

    /// The path of `file` as shown to the user.
    pub fn path<'s>(&'s self, file: &'s FileRef) -> &'s str {
        match file {
            FileRef::Source(id) => &self.files[*id].path,
            FileRef::Path(path) => path,
        }
    }

    /// [`SourceFile::line_col`] of `offset` in `file` ((1, 1) for a file
    /// privet only names).
    pub fn line_col(&self, file: &FileRef, offset: usize) -> (usize, usize) {
        match file {
            FileRef::Source(id) => self.files[*id].line_col(offset),
            FileRef::Path(_) => (1, 1),
        }
    }

    /// [`SourceFile::line_text`] of `file`.
    pub fn line_text(&self, file: &FileRef, line: usize) -> Option<&str> {
        match file {
            FileRef::Source(id) => self.files[*id].line_text(line),
            FileRef::Path(_) => None,
        }
    }

    /// The text of `file`: empty for a file privet only names.
    pub fn text<'s>(&'s self, file: &FileRef) -> &'s str {
        match file {
            FileRef::Source(id) => &self.files[*id].text,
            FileRef::Path(_) => "",
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = text.floor_char_boundary(offset);
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub file: FileRef,
    /// Byte range in the file's text; empty ranges point at a position.
    pub span: Range<usize>,
    pub message: String,
    /// Short text shown under the underlined span.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// The metric the finding is about, when there is one.
    pub metric: Option<String>,
}

impl Diagnostic {
    pub fn new(
        rule: &'static Rule,
        file: impl Into<FileRef>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            file: file.into(),
            span,
            message: message.into(),
            label: None,
            help: None,
            metric: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn metric(mut self, metric: impl Into<String>) -> Self {
        self.metric = Some(metric.into());
        self
    }
}

/// Sorts findings by file path, position, rule and message: the order
/// every report prints them in.
pub fn sort(findings: &mut [Diagnostic], sources: &Sources) {
    findings.sort_by(|a, b| {
        (sources.path(&a.file), a.span.start, a.rule.id, &a.message).cmp(&(
            sources.path(&b.file),
            b.span.start,
            b.rule.id,
            &b.message,
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn line_col_counts_chars() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // after "bé" (3 bytes) comes the space: column 3
        assert_eq!(line_col(text, 9), (2, 3));
        assert_eq!(line_col(text, 8), (2, 2)); // inside é: floored
        assert_eq!(line_col(text, 999), (3, 1));
        // The indexed form agrees at every offset, and so do the lines.
        for text in [text, "", "\n", "a\r\nb\n", "x\n\ny", "é\nü\n"] {
            let mut sources = super::Sources::default();
            let id = sources.add("f".into(), text.to_string());
            let file = super::FileRef::Source(id);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    sources.line_col(&file, offset),
                    line_col(text, offset),
                    "{text:?} at {offset}"
                );
            }
            for (i, l) in text.lines().enumerate() {
                assert_eq!(
                    sources.line_text(&file, i + 1),
                    Some(l),
                    "{text:?} line {}",
                    i + 1
                );
            }
            assert_eq!(
                sources.line_text(&file, text.lines().count() + 1),
                None,
                "{text:?}"
            );
        }
    }
}

/// `s` on one line: white space folded to single spaces, trimmed (prose
/// answers in a table cell or a sentence).
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` cut to its first `max` characters with `…` after, for quoting input
/// in a message (a pattern of 5,000 alternatives is not a message).
pub fn clip(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let kept = head(s, max);
    if kept.len() == s.len() {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(format!("{kept}…"))
    }
}

/// The first `max` characters of `s` (all of it when shorter): a commit id
/// or a fingerprint shortened for a message, on a character boundary even
/// when the text was typed by hand.
pub fn head(s: &str, max: usize) -> &str {
    s.char_indices().nth(max).map_or(s, |(i, _)| &s[..i])
}

#[cfg(test)]
mod clip_tests {
    #[test]
    fn clip_cuts_on_characters() {
        assert_eq!(super::clip("abc", 5), "abc");
        assert_eq!(super::clip("ééééé", 2), "éé…");
        // Found by `cargo xtask fuzz`: an `é` typed into a fingerprint.
        assert_eq!(super::head("1c95b847dé574d8198", 10), "1c95b847dé");
        assert_eq!(super::head("abc", 10), "abc");
    }
}
