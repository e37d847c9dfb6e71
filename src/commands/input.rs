//! Reading what `scan` and `validate` are given: files or stdin, in
//! blocks of whole lines, decoded as UTF-8 with the place of any bad byte.

use std::io::{Read as _, Write};
use std::path::Path;

use crate::diagnostic;
use crate::files::display;

/// The bytes of an input file (`-` is standard input) and its name as
/// shown; a file that cannot be read is reported and sets `unreadable`.
pub(super) fn read_input(
    path: &Path,
    err: &mut dyn Write,
    unreadable: &mut bool,
) -> Option<(String, Vec<u8>)> {
    let stdin = path.as_os_str() == "-";
    let shown = if stdin {
        "<stdin>".to_string()
    } else {
        display(path)
    };
    let mut raw = Vec::new();
    let read = if stdin {
        std::io::stdin().read_to_end(&mut raw).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut raw).map(|_| ()))
    };
    match read {
        Ok(()) => Some((shown, raw)),
        Err(e) => {
            let _ = writeln!(err, "error: cannot read {shown}: {e}");
            *unreadable = true;
            None
        }
    }
}

/// Bytes of JSON Lines `privet scan` reads and scans at a time.
pub(super) const SCAN_BLOCK_BYTES: usize = 8 << 20;

/// A file (or `-`, standard input) opened for reading, and its name as
/// shown; a file that cannot be opened is reported and sets `unreadable`.
pub(super) fn open_input(
    path: &Path,
    err: &mut dyn Write,
    unreadable: &mut bool,
) -> Option<(String, Box<dyn std::io::BufRead>)> {
    if path.as_os_str() == "-" {
        return Some((
            "<stdin>".to_string(),
            Box::new(std::io::BufReader::new(std::io::stdin())),
        ));
    }
    let shown = display(path);
    match std::fs::File::open(path) {
        Ok(f) => Some((shown, Box::new(std::io::BufReader::new(f)))),
        Err(e) => {
            let _ = writeln!(err, "error: cannot read {shown}: {e}");
            *unreadable = true;
            None
        }
    }
}

/// Whole lines from `input`: at least `block` bytes unless the input ends
/// first, and then on to the end of the line (empty at the end of input).
pub(super) fn read_lines(
    input: &mut dyn std::io::BufRead,
    block: usize,
) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(block.min(1 << 20));
    while out.len() < block {
        if input.read_until(b'\n', &mut out)? == 0 {
            break;
        }
    }
    Ok(out)
}

/// `raw` as text. Every invalid UTF-8 run is reported at its line and
/// column (the first ten) and replaced, so one bad byte does not hide what
/// is around it; it sets `unreadable`. `done` says what happens to the rest
/// ("scanned", "checked").
pub(super) fn decode_utf8(
    shown: &str,
    raw: Vec<u8>,
    first_line: usize,
    done: &str,
    err: &mut dyn Write,
    unreadable: &mut bool,
) -> String {
    match String::from_utf8(raw) {
        Ok(t) => t,
        Err(e) => {
            let raw = e.into_bytes();
            let mut text = String::with_capacity(raw.len());
            let mut bad = Vec::new();
            for chunk in raw.utf8_chunks() {
                text.push_str(chunk.valid());
                if !chunk.invalid().is_empty() {
                    bad.push(text.len());
                    text.push(char::REPLACEMENT_CHARACTER);
                }
            }
            for &at in bad.iter().take(10) {
                let (line, column) = diagnostic::line_col(&text, at);
                let line = line + first_line;
                let _ = writeln!(
                    err,
                    "error: {shown}:{line}:{column}: not valid UTF-8 ({done} with the bytes replaced)"
                );
            }
            if bad.len() > 10 {
                let _ = writeln!(
                    err,
                    "error: {shown}: {} more invalid UTF-8 sequences",
                    bad.len() - 10
                );
            }
            *unreadable = true;
            text
        }
    }
}
