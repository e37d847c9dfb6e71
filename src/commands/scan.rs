//! `privet scan FILE…`: PII findings in payloads as collectors receive them.

use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::files::display;
use crate::load;
use crate::report::{self, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format};
use crate::scan;

use super::input::{SCAN_BLOCK_BYTES, decode_utf8, open_input, read_lines};

/// How `privet scan` judges rarity (see [`crate::rarity`]).
#[derive(Clone, Debug)]
pub struct RarityOptions {
    /// Where a payload names its installation; `None`: every payload is an
    /// installation of its own.
    pub pointer: Option<String>,
    /// A value sent by at least this many installations is common.
    pub k: usize,
}

impl Default for RarityOptions {
    fn default() -> Self {
        RarityOptions {
            pointer: Some(crate::rarity::DEFAULT_POINTER.into()),
            k: crate::rarity::DEFAULT_K,
        }
    }
}

/// The findings of one block of input, held until every block is read
/// (whether a value is common is known only then).
struct Block {
    shown: String,
    /// The block's text, for the human format's quotes.
    text: String,
    first_line: usize,
    findings: Vec<crate::scan::ScanFinding>,
    /// Per finding: how rarity judges it.
    keys: Vec<Judged>,
}

/// A block as scanned, before rarity has seen its findings.
struct Scanned {
    shown: String,
    text: String,
    first_line: usize,
    report: crate::scan::ScanReport,
}

/// A finding as rarity judges it, once every payload is read.
#[derive(Clone, Copy, Debug)]
struct Judged {
    /// The value's key ([`crate::rarity::value_key`]).
    value: u64,
    /// Whether rarity may leave it out (not a credential recognised by
    /// what it is).
    may_hide: bool,
    /// Its place, when it is a whole id or time of a named installation
    /// (see [`crate::rarity::Places`]).
    place: Option<u64>,
    /// The place it shares with the values of the other keys of its map,
    /// when the object above it may be a map keyed by names
    /// ([`crate::rarity::Maps`]).
    family: Option<u64>,
    /// Whether it is a credential a collector may have issued
    /// ([`crate::rarity::Flagged::issued`]).
    issued: bool,
    /// The domain a drawn host name is under, or the pattern a numbered one
    /// is in ([`crate::rarity::Flagged::parent`]).
    parent: Option<u64>,
}

/// What rarity keeps track of over a whole scan.
#[derive(Debug)]
struct Rarity {
    counter: crate::rarity::Counter,
    places: crate::rarity::Places,
    maps: crate::rarity::Maps,
    /// Payloads with findings that name no installation.
    without_id: usize,
    /// Findings that repeat the payload's own installation id.
    echoes: usize,
}

/// `privet scan`: scans each file (`-` is standard input) for personal
/// data and prints the findings; returns the exit code (0 nothing found,
/// 1 findings, 2 unreadable input or invalid JSON).
pub fn run_scan(
    files: &[PathBuf],
    registry: Option<&Path>,
    rarity: &RarityOptions,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let start = Instant::now();
    let mut settings = crate::pii::Settings::default();
    if let Some(dir) = registry {
        if !dir.is_dir() {
            let _ = writeln!(
                err,
                "error: --registry {}: not a directory (pass the registry root, which holds privet.toml)",
                display(dir)
            );
            return EXIT_USAGE;
        }
        // Only the public hosts matter here; the configuration's other
        // problems are `privet check`'s business.
        let config = load::load_config(dir, &mut Default::default(), &mut Vec::new());
        settings = config.pii;
    }
    let (mut found, mut invalid, mut unreadable, mut payloads, mut bytes) =
        (0usize, 0usize, false, 0usize, 0usize);
    let mut sarif_results: Vec<String> = Vec::new();
    let mut judge = Rarity {
        counter: crate::rarity::Counter::new(rarity.k),
        places: crate::rarity::Places::default(),
        maps: crate::rarity::Maps::default(),
        without_id: 0,
        echoes: 0,
    };
    let mut blocks: Vec<Block> = Vec::new();
    let mut documents = false;
    // A block's rarity bookkeeping (serial: one judge over every payload)
    // runs beside the scan of the next block, which is spread over the
    // other cores: reading and judging do not leave them idle.
    let mut pending: Option<Scanned> = None;
    let finish = |p: Scanned, judge: &mut Rarity| -> Block {
        let Scanned {
            shown,
            text,
            first_line,
            mut report,
        } = p;
        let ids: std::collections::HashMap<usize, String> = report
            .ids
            .drain()
            .map(|(line, id)| (line + first_line, id))
            .collect();
        let keys = rarity_keys(
            &shown,
            &text,
            &mut report.findings,
            &ids,
            first_line,
            rarity,
            report.documents,
            judge,
        );
        Block {
            shown,
            text: if format == Format::Human {
                text
            } else {
                String::new()
            },
            first_line,
            findings: report.findings,
            keys,
        }
    };
    for path in files {
        let Some((shown, mut input)) = open_input(path, err, &mut unreadable) else {
            continue;
        };
        // JSON Lines are read and scanned a block of whole lines at a time,
        // so memory is bounded by the block (or the longest line), not by
        // the file. Documents that span lines are read whole.
        let mut first_line = 0usize;
        let mut first = true;
        loop {
            let raw = match read_lines(&mut input, SCAN_BLOCK_BYTES) {
                Ok(raw) => raw,
                Err(e) => {
                    let _ = writeln!(err, "error: cannot read {shown}: {e}");
                    unreadable = true;
                    break;
                }
            };
            if raw.is_empty() {
                break;
            }
            bytes += raw.len();
            let newlines = raw.iter().filter(|&&b| b == b'\n').count();
            let mut text = decode_utf8(&shown, raw, first_line, "scanned", err, &mut unreadable);
            if first && text.starts_with('\u{feff}') {
                // A byte-order mark (Windows tools write one) is not JSON, but
                // the JSON spec lets a reader ignore it; a space keeps every
                // character column where it was.
                text.replace_range(..'\u{feff}'.len_utf8(), " ");
            }
            let id_pointer = rarity.pointer.as_deref();
            let previous = pending.take();
            let (done, mut scanned) = crate::parallel::join(
                || previous.map(|p| finish(p, &mut judge)),
                || scan::scan(&text, &settings, id_pointer),
            );
            blocks.extend(done);
            if first && scanned.documents {
                // Pretty-printed documents: the rest of the file belongs
                // with this block.
                let mut rest = Vec::new();
                if let Err(e) = input.read_to_end(&mut rest) {
                    let _ = writeln!(err, "error: cannot read {shown}: {e}");
                    unreadable = true;
                }
                if !rest.is_empty() {
                    bytes += rest.len();
                    let rest = decode_utf8(
                        &shown,
                        rest,
                        first_line + newlines,
                        "scanned",
                        err,
                        &mut unreadable,
                    );
                    text.push_str(&rest);
                    scanned = scan::scan(&text, &settings, id_pointer);
                }
            }
            first = false;
            for f in &mut scanned.findings {
                f.line += first_line;
            }
            payloads += scanned.payloads;
            for e in &scanned.errors {
                let _ = writeln!(
                    err,
                    "error: {shown}:{}:{}: invalid JSON: {}",
                    e.line + first_line,
                    e.column,
                    e.message
                );
            }
            invalid += scanned.errors.len();
            documents |= scanned.documents;
            pending = Some(Scanned {
                shown: shown.clone(),
                text,
                first_line,
                report: scanned,
            });
            first_line += newlines;
        }
    }
    blocks.extend(pending.take().map(|p| finish(p, &mut judge)));
    // Every value's installations are known: print what is rare.
    let mut hidden = Hidden::default();
    let places = judge.places.judge(rarity.k);
    for block in blocks {
        let mut kept = Vec::with_capacity(block.findings.len());
        for (f, j) in block.findings.into_iter().zip(block.keys) {
            let issued = j
                .issued
                .then_some(j.place)
                .flatten()
                .and_then(|place| Some((place, places.issued(place)?)));
            if let Some((place, reason)) = issued {
                let (count, at) = &mut hidden.at_places[reason as usize];
                *count += 1;
                at.insert(place);
            } else if !(j.may_hide || j.issued) {
                kept.push(f);
            } else if judge.counter.common(j.value)
                || j.parent.is_some_and(|p| judge.counter.common(p))
            {
                hidden.common += 1;
                hidden.common_values.insert(j.value);
            } else if let Some(place) = j.place.filter(|_| j.may_hide)
                && let Some(reason) =
                    places.reason(place, judge.counter.installations_sending(j.value).len())
            {
                let (count, at) = &mut hidden.at_places[reason as usize];
                *count += 1;
                at.insert(place);
            } else if let Some(family) = j.family.filter(|f| j.may_hide && judge.maps.is_map(*f))
                && places.vocabulary.contains(&family)
            {
                let (count, at) =
                    &mut hidden.at_places[crate::rarity::PlaceReason::Vocabulary as usize];
                *count += 1;
                at.insert(family);
            } else {
                kept.push(f);
            }
        }
        found += kept.len();
        if format == Format::Sarif {
            sarif_results.extend(
                kept.iter()
                    .map(|f| report::scan_sarif_result(&block.shown, f).to_string()),
            );
        } else {
            let _ = out.write_all(
                report::scan_lines(&block.shown, &block.text, block.first_line, &kept, format)
                    .as_bytes(),
            );
        }
    }
    if format == Format::Sarif {
        let _ = writeln!(out, "{}", report::scan_sarif_text(&sarif_results));
    }
    let _ = writeln!(err, "{}", rarity_note(rarity, &judge, &hidden, documents));
    let secs = start.elapsed().as_secs_f64();
    let _ = writeln!(
        err,
        "privet scan: {found} finding{} in {payloads} payload{} ({:.1} MB in {:.0} ms)",
        if found == 1 { "" } else { "s" },
        if payloads == 1 { "" } else { "s" },
        bytes as f64 / 1e6,
        secs * 1e3
    );
    if unreadable || invalid > 0 {
        EXIT_USAGE
    } else if found > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Findings left out as not identifying, by reason.
#[derive(Debug, Default)]
struct Hidden {
    common: usize,
    common_values: std::collections::HashSet<u64>,
    /// Per [`crate::rarity::PlaceReason`]: findings left out, and their
    /// places.
    at_places: [(usize, std::collections::HashSet<u64>); 4],
}

/// Per finding of a block: how rarity judges it ([`Judged`]); records each
/// in `judge` under its payload's installation. A finding at the
/// installation pointer itself, or that repeats the installation's id
/// elsewhere in its payload, is dropped: that id is what the envelope is
/// for, and the same value again discloses nothing more. Documents spanning
/// lines are not judged by rarity (a finding's document is not known here).
#[allow(clippy::too_many_arguments)]
fn rarity_keys(
    shown: &str,
    text: &str,
    findings: &mut Vec<crate::scan::ScanFinding>,
    ids: &std::collections::HashMap<usize, String>,
    first_line: usize,
    rarity: &RarityOptions,
    documents: bool,
    judge: &mut Rarity,
) -> Vec<Judged> {
    use crate::rarity::{Flagged, flagged, installation_key, links_only, place_key};
    if let Some(pointer) = &rarity.pointer {
        findings.retain(|f| &f.pointer != pointer);
    }
    if findings.is_empty() {
        return Vec::new();
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let line_of = |n: usize| {
        lines
            .get(n.saturating_sub(first_line + 1))
            .copied()
            .unwrap_or("")
    };
    // The installation of the line in hand: its id (when named) and key.
    let mut current: Option<(usize, Option<String>, Option<u64>)> = None;
    let mut judged = Vec::with_capacity(findings.len());
    let mut keep = Vec::with_capacity(findings.len());
    for f in findings.iter() {
        let line = line_of(f.line);
        let text = line.get(f.start..f.end).unwrap_or("");
        // A value after a label in text (`?site_key=…`, `--user=…`) sits
        // at a place of its own, named by the label, which also says what
        // it is.
        let label = labelled_value(line, f.start, f.end);
        let Flagged {
            value,
            credential,
            issued,
            parent,
        } = flagged(f.kind, &f.pointer, label, text);
        if documents {
            judged.push(Judged {
                value,
                may_hide: false,
                place: None,
                family: None,
                issued: false,
                parent: None,
            });
            keep.push(true);
            continue;
        }
        if current.as_ref().is_none_or(|c| c.0 != f.line) {
            let (id, key) = match &rarity.pointer {
                // Asked for: every payload is an installation.
                None => (
                    None,
                    Some(installation_key(&format!(
                        "\u{0}payload {shown}:{}",
                        f.line
                    ))),
                ),
                Some(_) => {
                    let id = ids.get(&f.line).cloned();
                    let key = id.as_deref().map(installation_key);
                    (id, key)
                }
            };
            if key.is_none() {
                judge.without_id += 1;
            }
            current = Some((f.line, id, key));
        }
        let (_, id, installation) = current.as_ref().expect("set above");
        if !credential && id.as_deref().is_some_and(|id| id == text) {
            judge.echoes += 1;
            keep.push(false);
            continue;
        }
        keep.push(true);
        // A payload that names no installation is no evidence of how
        // many installations send a value (one may have sent them all):
        // it counts toward nothing, and its values are left out only
        // when named installations make them common.
        let mut place = None;
        let mut family = None;
        // A string that merely looks random is an opaque id too: it links,
        // and is judged where it sits as ids are.
        let looks_random = f.kind == crate::pii::Kind::Secret && !credential;
        if let Some(installation) = *installation {
            judge.counter.see(value, installation);
            if let Some(p) = parent {
                judge.counter.see(p, installation);
            }
            // An id from outside the product (a serial, an advertising id)
            // links its holder everywhere: where it sits never excuses it.
            let (parent, key) = f.pointer.rsplit_once('/').unwrap_or(("", &f.pointer));
            let key = crate::pii::unescape_segment(key);
            let world = f.kind == crate::pii::Kind::PersistentId
                && (crate::pii::world_id_key(&key) && !program_drawn(text)
                    || crate::pii::cloud_resource_id(text)
                    || crate::pii::service_account_id(text));
            if rarity.pointer.is_some() && !world && (links_only(f.kind) || looks_random || issued)
            {
                let whole = whole_value(line, f.start, f.end)
                    || f.kind == crate::pii::Kind::Timestamp && whole_date(line, f.start, f.end);
                // An object's key is a value of its map: the keys of one map
                // share a place (`…/tls_client_hello_ua/{key}`).
                let at = if key == text {
                    Some(place_key(&format!("{parent}/{{key}}")))
                } else if whole {
                    Some(place_key(&f.pointer))
                } else if let Some(l) = label {
                    Some(place_key(&format!("{}/={l}", f.pointer)))
                } else {
                    // Inside a longer text, with no label to name it: the
                    // times in a field's text share a place (a crash's
                    // time in its message, a log line's), and so do the
                    // digests in it (the builds in a list of packages).
                    // So do the random (version 4) UUIDs in it (a run's or
                    // a session's id in a title), which a program drew;
                    // another version is made from a machine (a GPU's, a
                    // board's, a MAC and a time). An id of another shape
                    // has no place: a serial in a message is nobody's
                    // vocabulary.
                    let shape = match f.kind {
                        crate::pii::Kind::Timestamp => Some("~time"),
                        crate::pii::Kind::PersistentId if crate::pii::digest(text) => {
                            Some("~digest")
                        }
                        crate::pii::Kind::PersistentId if random_uuid(text) => Some("~uuid"),
                        crate::pii::Kind::Secret if looks_random => Some("~random"),
                        _ => None,
                    };
                    shape.map(|s| place_key(&format!("{}/{s}", f.pointer)))
                };
                if let Some(p) = at {
                    judge.places.see(p, installation, f.line as u64, value);
                    if f.kind == crate::pii::Kind::Timestamp {
                        judge.places.mark_time(p);
                    }
                    place = Some(p);
                }
                // A whole value under an object's key that may be a map's
                // (`…/dependencies/body-parser/integrity`) is also seen at
                // the place every key of that map shares.
                if whole && key != text {
                    family = judge.maps.family(&f.pointer);
                    if let Some(p) = family {
                        judge.places.see(p, installation, f.line as u64, value);
                    }
                }
            }
        }
        judged.push(Judged {
            value,
            may_hide: !credential,
            place,
            family,
            issued,
            parent,
        });
    }
    let mut flags = keep.into_iter();
    findings.retain(|_| flags.next().unwrap_or(true));
    judged
}

/// Whether `text` is a program's draw rather than a maker's serial: lower-
/// case letters (some past `f`) and digits (`zd5o40ml96ji2a99`), whatever
/// the key calls it. Makers print serials in capitals, digits or hex.
fn program_drawn(text: &str) -> bool {
    text.len() >= 12
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && text.bytes().any(|b| (b'g'..=b'z').contains(&b))
        && text.bytes().any(|b| b.is_ascii_digit())
}

/// Whether `text` is a random UUID: canonical, version 4, RFC 4122's
/// variant (`7a1cd3aa-d5d2-48cb-b005-185567401b54`).
fn random_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    crate::pii::canonical_uuid(text)
        && b[14] == b'4'
        && matches!(b[19].to_ascii_lowercase(), b'8' | b'9' | b'a' | b'b')
}

/// Whether `start..end` of a JSON line is a whole string or number value,
/// not part of a longer text. An id keeps being the whole value inside a
/// short tag or brackets (`s:6A12…`, `{865A…}`, `52b6….dmp`): at most
/// [`DECORATION`] bytes around it, none of them a space.
fn whole_value(line: &str, start: usize, end: usize) -> bool {
    let bytes = line.as_bytes();
    // A number: JSON punctuation on both sides, white space aside.
    let before = bytes[..start]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace());
    let after = bytes[end..].iter().find(|b| !b.is_ascii_whitespace());
    if before.is_none_or(|b| matches!(b, b':' | b',' | b'['))
        && after.is_none_or(|b| matches!(b, b',' | b']' | b'}'))
    {
        return true;
    }
    // The string around the match: back to its opening quote, on to its
    // closing one (escaped, `\"`, in a JSON document inside a string).
    let Some((open, close)) = quotes_around(bytes, start, end) else {
        return false;
    };
    let close = if close > end && bytes[close - 1] == b'\\' {
        close - 1
    } else {
        close
    };
    let around = [&bytes[open + 1..start], &bytes[end..close]];
    let spaced = |s: &&[u8]| s.iter().any(|&b| b == b' ' || b == b'\\');
    let decoration = around.iter().map(|s| s.len()).sum::<usize>();
    // A short tag or file ending, or a number joined to the id without a
    // word (`…A9C00/20240111125829`, a sequence or a time): one token.
    let numbered = decoration <= NUMBERED
        && around
            .iter()
            .all(|s| !s.iter().any(u8::is_ascii_alphabetic));
    // One field of a short record (`5e6f…6463,UnknownParent,`): delimiters
    // on both sides, no spaces, no URL.
    let record = |b: Option<&u8>| b.is_none_or(|b| matches!(b, b',' | b';' | b'|'));
    let fielded = close - open <= 160
        && record(around[0].last())
        && record(around[1].first())
        && !bytes[open..close].windows(3).any(|w| w == b"://");
    (decoration <= DECORATION || numbered || fielded) && !around.iter().any(spaced)
}

/// The quotes around `start..end` of a JSON line: the last `"` before it
/// and the first after it.
fn quotes_around(bytes: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let open = bytes[..start].iter().rposition(|&b| b == b'"')?;
    let close = end + bytes[end..].iter().position(|&b| b == b'"')?;
    Some((open, close))
}

/// The JSON string around `start..end` of a line, without its quotes, when
/// the match lies inside one.
fn enclosing_string(line: &str, start: usize, end: usize) -> Option<&str> {
    let (open, close) = quotes_around(line.as_bytes(), start, end)?;
    line.get(open + 1..close)
}

/// Whether the time at `start..end` is the whole of a string that writes a
/// date and time, whatever the notation: an HTTP date (`Mon, 04 Mar 2024
/// 00:51:14 GMT`), a zone after the time (`… 02:01:22.444959 UTC`). Such
/// a string holds digits, month and day names, a zone and punctuation,
/// and no other words.
fn whole_date(line: &str, start: usize, end: usize) -> bool {
    let Some(s) = enclosing_string(line, start, end) else {
        return false;
    };
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // A zone or a designator is written in capitals (`UTC`, `CEST`, `T`,
    // `PM`); a month or a day by its name, whole or cut (`Mar`, `Sept`).
    let date_word = |w: &str| {
        let lower = w.to_ascii_lowercase();
        w.len() <= 5 && w.bytes().all(|b| b.is_ascii_uppercase())
            || w.len() >= 3
                && MONTHS
                    .iter()
                    .chain(&crate::vocabulary::WEEKDAY_NAMES)
                    .any(|name| name.starts_with(&lower))
    };
    s.len() <= 48
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" ,:+-./".contains(&b))
        && s.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .all(date_word)
}

/// The label of a value that `start..end` of a JSON line is, in text
/// that writes `label=value` (a query string, command-line switches,
/// logfmt) or `label/value` (a user agent's product tokens,
/// `python/3.11.8; session_id/d2686f…`): the name right before a `=` or a
/// `/`, after a separator, and the value running to the next separator or
/// the end of the string.
fn labelled_value(line: &str, start: usize, end: usize) -> Option<&str> {
    let bytes = line.as_bytes();
    // `Invocation ID: 4d9d…`: a label, a colon and a space.
    let colon = start >= 3 && bytes[start - 1] == b' ' && bytes[start - 2] == b':';
    if start < 2 || !(colon || matches!(bytes[start - 1], b'=' | b'/')) {
        return None;
    }
    let sep = if colon { start - 2 } else { start - 1 };
    let (name_start, name) = crate::pii::label_before(line, sep)?;
    let separated = name_start > 0
        && matches!(
            bytes[name_start - 1],
            b'?' | b'&' | b';' | b' ' | b'"' | b',' | b'(' | b'{' | b'|' | b'\\' | b'\t'
        )
        // A path's segment names the next (`…/invocation/4d9d…`).
        || name_start > 0 && bytes[name_start - 1] == b'/' && bytes[start - 1] == b'/';
    let ends = bytes.get(end).is_none_or(|b| {
        matches!(
            b,
            b'&' | b'"' | b' ' | b';' | b'#' | b',' | b')' | b'}' | b'|' | b'\\'
        )
    });
    (separated && ends).then_some(name)
}

/// Most bytes of tag, brackets or file ending around an id that is still
/// the whole value.
const DECORATION: usize = 6;

/// Most bytes of digits and punctuation joined to an id that is still the
/// whole value.
const NUMBERED: usize = 24;

/// What the report says about rarity: installations seen, k, and what was
/// not reported as identifying.
fn rarity_note(rarity: &RarityOptions, judge: &Rarity, hidden: &Hidden, documents: bool) -> String {
    let k = judge.counter.k();
    if documents {
        return format!(
            "rarity: not judged (JSON documents spanning lines: each finding is reported; JSON Lines are judged across installations, k = {k})"
        );
    }
    let without_id = judge.without_id;
    let source = match &rarity.pointer {
        Some(p) if without_id == 0 => format!("named at {p}"),
        Some(p) => format!(
            "named at {p}; {without_id} payload(s) with findings name none, and count toward no value's commonness (--installation none counts each payload as an installation)"
        ),
        None => "each payload its own (--installation none)".into(),
    };
    let mut note = format!(
        "rarity: {} installations among the payloads with findings ({source}); a value at least {k} installations sent is common, not identifying: {} finding(s) of {} such value(s) not reported (passwords and providers' tokens always are)",
        judge.counter.installations(),
        hidden.common,
        hidden.common_values.len()
    );
    use crate::rarity::PlaceReason;
    for reason in [
        PlaceReason::PerPayload,
        PlaceReason::Vocabulary,
        PlaceReason::PerInstallation,
        PlaceReason::Issued,
    ] {
        let (count, at) = &hidden.at_places[reason as usize];
        if *count == 0 {
            continue;
        }
        let places = at.len();
        let what = match reason {
            PlaceReason::PerPayload => format!(
                "id(s) or time(s) at {places} place(s) that at least {k} installations fill with a new value in every payload (when it was sent, a message id)"
            ),
            PlaceReason::Vocabulary => format!(
                "id(s) at {places} place(s) whose values installations share (at least {k} values, and half of all, came from two installations or more: the product's vocabulary, not identifiers)"
            ),
            PlaceReason::PerInstallation => format!(
                "id(s) at {places} place(s) that stand for the installation (at least {k} installations each always send their own one there, as they do their installation id)"
            ),
            PlaceReason::Issued => format!(
                "credential(s) at {places} place(s) where at least {k} installations each always send their own one, as a client sends the key its collector issued it (a write key, an ingestion token; passwords and providers' token formats are always reported)"
            ),
        };
        note.push_str(&format!("; {count} {what} not reported"));
    }
    if judge.echoes > 0 {
        note.push_str(&format!(
            "; {} repeat(s) of the payload's own installation id not reported",
            judge.echoes
        ));
    }
    note
}

#[cfg(test)]
mod tests {
    use super::{labelled_value, whole_date, whole_value};

    #[test]
    fn a_value_after_a_label_in_text_is_named_by_the_label() {
        let at = |line: &str, value: &str| {
            let start = line.find(value).unwrap();
            labelled_value(line, start, start + value.len()).map(str::to_string)
        };
        let url = r#"{"url":"https://u.example/p/current?site_key=VUI8gyha&version=10.2"}"#;
        assert_eq!(at(url, "VUI8gyha"), Some("site_key".into()));
        let switch = r#"{"switch-8":"--launch-time-ticks=34487037912"}"#;
        assert_eq!(at(switch, "34487037912"), Some("launch-time-ticks".into()));
        let agent = r#"{"user-agent":"hf_hub/0.20.2; python/3.11.8; session_id/d2686f56d34b8cb6"}"#;
        assert_eq!(at(agent, "d2686f56d34b8cb6"), Some("session_id".into()));
        // Part of a longer value, or no separator before the name: no label.
        assert_eq!(at(url, "VUI8"), None);
        assert_eq!(at(r#"{"p":"/a/b=c1d2e3"}"#, "c1d2e3"), None);
        assert_eq!(at(r#"{"v":"abcdef"}"#, "abcdef"), None);
        // A label, a colon and a space; a path's segment naming the next.
        let log = r#"{"stderr":"INFO: Invocation ID: 4d9d361d-5b11\nINFO: to https://b.example/invocation/4d9d361d-5b11"}"#;
        assert_eq!(at(log, "4d9d361d-5b11"), Some("ID".into()));
        let start = log.rfind("4d9d361d-5b11").unwrap();
        assert_eq!(
            labelled_value(log, start, start + 13).map(str::to_string),
            Some("invocation".into())
        );
    }

    #[test]
    fn an_id_is_the_whole_value_in_a_short_tag_but_not_in_text() {
        let at = |line: &str, id: &str| {
            let start = line.find(id).unwrap();
            whole_value(line, start, start + id.len())
        };
        let id = "6A12F5B5-6EE9-4420-89B4-88813921A0FA";
        assert!(at(&format!(r#"{{"localId":"{id}"}}"#), id));
        assert!(at(&format!(r#"{{"localId":"s:{id}"}}"#), id));
        assert!(at(&format!(r#"{{"e":"{{{id}}}"}}"#), id));
        assert!(at(&format!(r#"{{"f":"{id}.dmp"}}"#), id));
        assert!(at(r#"{"n":1710360618790}"#, "1710360618790"));
        // Inside a JSON document inside a string.
        assert!(at(&format!(r#"{{"co":"{{\"id\":\"{id}\"}}"}}"#), id));
        // Words around it make it part of a text.
        assert!(!at(&format!(r#"{{"m":"session {id} closed"}}"#), id));
        assert!(!at(&format!(r#"{{"m":"device-{id}-backup"}}"#), id));
        // A number joined to it is no word: still one token.
        assert!(at(&format!(r#"{{"id":"{id}/20240111125829"}}"#), id));
        // One field of a short record.
        assert!(at(&format!(r#"{{"c":"{id},UnknownParent,"}}"#), id));
        assert!(!at(&format!(r#"{{"c":"parent {id},UnknownParent"}}"#), id));
        assert!(!at(&format!(r#"{{"m":"{id} 20240111125829"}}"#), id));
    }

    #[test]
    fn a_time_is_the_whole_value_of_a_date_in_any_notation() {
        let at = |line: &str, time: &str| {
            let start = line.find(time).unwrap();
            whole_date(line, start, start + time.len())
        };
        let http = r#"{"If-Modified-Since":"Mon, 04 Mar 2024 00:51:14 GMT"}"#;
        assert!(at(http, "00:51:14"));
        let zoned = r#"{"timestamp":"2024-03-04 02:01:22.444959 UTC"}"#;
        assert!(at(zoned, "2024-03-04 02:01:22.444959"));
        // A time inside a message is part of a text.
        let text = r#"{"m":"backup failed at 2024-03-04 02:01:22"}"#;
        assert!(!at(text, "2024-03-04 02:01:22"));
    }
}
