//! The registry as privet understands it, after loading.
//!
//! Every value that a finding may point at keeps its byte span in the source.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::buckets::Preset;
use crate::date::Date;
use crate::diagnostic::FileId;

/// A value with the byte range it was read from.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Range<usize>) -> Self {
        Spanned { value, span }
    }
}

/// One checklist question: the key that answers it and the question itself.
pub struct ChecklistItem {
    pub key: &'static str,
    pub question: &'static str,
    /// A hint for authors, used by `privet new`.
    pub hint: &'static str,
}

/// The review checklist, in the order a proposal answers it. `example` is the
/// `[example]` table; every other item is a string at the top level.
pub const CHECKLIST: &[ChecklistItem] = &[
    ChecklistItem {
        key: "summary",
        question: "In one line, what does this metric measure?",
        hint: "Shown in listings and as the doc comment of the generated type.",
    },
    ChecklistItem {
        key: "question",
        question: "What question will this metric help us answer?",
        hint: "The decision it informs, e.g. \"Which PostgreSQL majors can we stop supporting?\"",
    },
    ChecklistItem {
        key: "example",
        question: "A specific example of the data.",
        hint: "One value per field, exactly as sent (bucket labels, truncated versions).",
    },
    ChecklistItem {
        key: "gathering",
        question: "How will it be gathered at runtime or stored?",
        hint: "Which code reads it, from where, and when.",
    },
    ChecklistItem {
        key: "burden",
        question: "Will gathering or storing it put unacceptable load on the software?",
        hint: "Queries, file reads, network calls, and how often they run.",
    },
    ChecklistItem {
        key: "pii",
        question: "Is this personally identifiable? Why or why not?",
        hint: "Consider small installations: can the value single one out?",
    },
    ChecklistItem {
        key: "sanitization",
        question: "How is the output sanitized?",
        hint: "Bucketing, allow-lists, truncation: what the generated types enforce.",
    },
    ChecklistItem {
        key: "since",
        question: "Which release will first collect it?",
        hint: "A release of your software, e.g. \"3.50\".",
    },
    ChecklistItem {
        key: "alternatives",
        question: "What alternatives were considered?",
        hint: "Other ways to answer the question, and why this one.",
    },
    ChecklistItem {
        key: "summarization",
        question: "How will it be summarized on the server?",
        hint: "E.g. X.Y versions, only installs that reported on 2+ days.",
    },
    ChecklistItem {
        key: "visualization",
        question: "How will it be shown?",
        hint: "The chart or table, and who can see it.",
    },
];

/// Where a metric is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    Proposed,
    Approved,
    Rejected,
    Retired,
}

impl Status {
    pub const NAMES: &'static [&'static str] = &["proposed", "approved", "rejected", "retired"];

    /// The status as written in a proposal.
    pub fn name(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "proposed" => Some(Status::Proposed),
            "approved" => Some(Status::Approved),
            "rejected" => Some(Status::Rejected),
            "retired" => Some(Status::Retired),
            _ => None,
        }
    }
}

/// When a metric stops being collected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Expiry {
    Never,
    On(Date),
}

impl std::fmt::Display for Expiry {
    /// As written in a proposal: a date, or `never`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expiry::Never => f.write_str("never"),
            Expiry::On(d) => write!(f, "{d}"),
        }
    }
}

/// Who approved a proposal, and when.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Approval {
    /// Span of the `[approval]` table header.
    pub span: Range<usize>,
    pub by: Vec<Spanned<String>>,
    pub date: Option<Spanned<Date>>,
    /// The moment of the approval (`time`, UTC, Unix seconds), which its
    /// reviewers sign: finer than `date`, so an approval given again the
    /// same day is told from an old one brought back. Absent in records
    /// from before it, which sign `date`.
    pub time: Option<Spanned<i64>>,
    /// Fingerprint of the definition that was approved (see the provenance stage).
    pub fingerprint: Option<Spanned<String>>,
    pub note: Option<Spanned<String>>,
    /// `[approval.signatures]`: reviewer handle, and their SSH signature
    /// over the metric at `fingerprint` (see [`crate::signature`]).
    pub signatures: Vec<(Spanned<String>, Spanned<String>)>,
    /// Each signature checked against its own key, on first use (a
    /// signature's verdict depends on the file alone; whose key it is, the
    /// configuration decides): see [`Approval::signers`]. Kept in the memo
    /// with the parsed file, so an unchanged file is not verified again.
    pub checked: SignaturesCell,
}

/// See [`Approval::checked`]: per handle, the key that made a signature
/// holding over this metric at the approval's fingerprint, or why not. A
/// cache of what the file says: it takes no part in comparisons or in
/// debug output (which keys the memo).
#[derive(Clone, Default)]
pub struct SignaturesCell(pub std::sync::OnceLock<Vec<(String, crate::signature::Checked)>>);

impl PartialEq for SignaturesCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A verdict as the memo keeps it: the signing key's wire encoding.
type StoredVerdict = (String, Result<Vec<u8>, crate::signature::Problem>);

impl serde::Serialize for SignaturesCell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let stored: Option<Vec<StoredVerdict>> = self.0.get().map(|verdicts| {
            verdicts
                .iter()
                .map(|(who, checked)| {
                    let key = checked.as_ref().map_err(Clone::clone).map(|k| {
                        ssh_key::PublicKey::new(k.clone(), "")
                            .to_bytes()
                            .unwrap_or_default()
                    });
                    (who.clone(), key)
                })
                .collect()
        });
        stored.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for SignaturesCell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let stored: Option<Vec<StoredVerdict>> = serde::Deserialize::deserialize(d)?;
        let cell = std::sync::OnceLock::new();
        // A key that does not decode leaves the cell empty: verified again.
        if let Some(verdicts) = stored.and_then(|stored| {
            stored
                .into_iter()
                .map(|(who, key)| {
                    let checked = match key {
                        Ok(bytes) => Ok(ssh_key::PublicKey::from_bytes(&bytes)
                            .ok()?
                            .key_data()
                            .clone()),
                        Err(problem) => Err(problem),
                    };
                    Some((who, checked))
                })
                .collect::<Option<Vec<_>>>()
        }) {
            let _ = cell.set(verdicts);
        }
        Ok(SignaturesCell(cell))
    }
}

impl std::fmt::Debug for SignaturesCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignaturesCell")
    }
}

impl Approval {
    /// Every signature of this approval of metric `name`, checked once.
    pub fn signers(&self, name: &str) -> &[(String, crate::signature::Checked)] {
        self.checked.0.get_or_init(|| {
            let fp = self.fingerprint.as_ref().map_or("", |f| f.value.as_str());
            let date = self.signed_when();
            self.signatures
                .iter()
                .map(|(who, text)| {
                    (
                        who.value.clone(),
                        crate::signature::check(&text.value, name, fp, &date),
                    )
                })
                .collect()
        })
    }

    /// What the reviewers of this approval sign as its `date` line: its
    /// `time` when it has one, else its day.
    pub fn signed_when(&self) -> String {
        match (&self.time, &self.date) {
            (Some(t), _) => crate::date::Date::utc_timestamp(t.value),
            (None, Some(d)) => d.value.to_string(),
            (None, None) => String::new(),
        }
    }

    /// Whether reviewer `who` signed this approval of `name` with one of
    /// `keys`.
    pub fn signed_by(&self, name: &str, who: &str, keys: &[ssh_key::PublicKey]) -> bool {
        self.signers(name).iter().any(|(w, checked)| {
            w == who
                && checked
                    .as_ref()
                    .is_ok_and(|k| keys.iter().any(|key| key.key_data() == k))
        })
    }
}

/// A proposal's request for a larger information allowance of its own
/// (never past the registry's ceilings; it never raises an event's budget).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Budget {
    /// Span of the `[budget]` table.
    pub span: Range<usize>,
    /// Bits each of this metric's fields may carry (`field_bits`).
    pub field_bits: Option<Spanned<u32>>,
    /// Bits all of this metric's fields together may carry (`metric_bits`).
    pub metric_bits: Option<Spanned<u32>>,
    pub reason: Option<Spanned<String>>,
}

/// Version resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum VersionResolution {
    Major,
    Minor,
    Patch,
}

impl VersionResolution {
    pub const NAMES: &'static [&'static str] = &["major", "minor", "patch"];

    /// How many dot-separated parts a version cut to this resolution keeps.
    pub fn parts(self) -> usize {
        match self {
            VersionResolution::Major => 1,
            VersionResolution::Minor => 2,
            VersionResolution::Patch => 3,
        }
    }

    /// A `largest_parts` for this resolution, as help text shows it.
    pub fn example_largest_parts(self) -> &'static str {
        match self {
            VersionResolution::Major => "[99]",
            VersionResolution::Minor => "[9, 99]",
            VersionResolution::Patch => "[9, 99, 99]",
        }
    }

    /// What a version of this resolution is called in messages.
    pub fn shape(self) -> &'static str {
        match self {
            VersionResolution::Major => "major",
            VersionResolution::Minor => "major.minor",
            VersionResolution::Patch => "major.minor.patch",
        }
    }

    /// Whether `s` is a version as the generated types send it: `unknown`,
    /// or [`Self::parts`] numbers of at most [`VERSION_COMPONENT_DIGITS`]
    /// digits without leading zeros. The one definition `validate`, the JSON
    /// Schema ([`Self::pattern`]) and the samples follow; the runtime's
    /// `MAX_COMPONENT_DIGITS` is the same number (a test keeps them equal).
    pub fn admits(self, s: &str) -> bool {
        version_admits(s, self.parts())
    }

    /// [`Self::admits`] as a JSON Schema (ECMA-262) pattern.
    pub fn pattern(self) -> String {
        let num = format!("(0|[1-9][0-9]{{0,{}}})", VERSION_COMPONENT_DIGITS - 1);
        let mut p = format!("^(unknown|{num}");
        for _ in 1..self.parts() {
            p.push_str("\\.");
            p.push_str(&num);
        }
        p.push_str(")$");
        p
    }
}

/// Most digits a component of a sent version has. Longer numbers are build
/// ids, timestamps or packed versions (PostgreSQL's `130014`), which the
/// generated types send as `unknown`.
pub const VERSION_COMPONENT_DIGITS: usize = 4;

/// The largest number a version part holds when `largest_parts` does not
/// say: [`VERSION_COMPONENT_DIGITS`] nines.
pub const VERSION_PART_MAX: u32 = 9999;

/// The range each kept part of a version may take (`smallest_parts` and
/// `largest_parts`), one `(smallest, largest)` per part. A version with a
/// part outside its range is sent as `unknown`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartRanges(pub Vec<(u32, u32)>);

impl PartRanges {
    /// Every part from 0 to [`VERSION_PART_MAX`]: what an undeclared
    /// version may send.
    pub fn any(resolution: VersionResolution) -> Self {
        PartRanges(vec![(0, VERSION_PART_MAX); resolution.parts()])
    }

    /// The declared ranges, or [`Self::any`].
    pub fn of(resolution: VersionResolution, declared: Option<&PartRanges>) -> Self {
        declared.cloned().unwrap_or_else(|| Self::any(resolution))
    }

    /// How many versions the ranges admit (`unknown` aside).
    pub fn combinations(&self) -> f64 {
        self.0
            .iter()
            .map(|&(lo, hi)| f64::from(hi - lo) + 1.0)
            .product()
    }

    /// Whether `s` is `unknown` or a version of these parts, each within
    /// its range: what a version field with declared parts sends.
    pub fn admits(&self, s: &str) -> bool {
        version_admits(s, self.0.len())
            && (s == "unknown"
                || s.split('.')
                    .zip(&self.0)
                    .all(|(n, &(lo, hi))| n.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n))))
    }

    /// The JSON Schema (ECMA-262) pattern of [`Self::admits`]: each part
    /// as the decimal numbers of its range, without leading zeros.
    pub fn pattern(&self) -> String {
        let mut p = String::from("^(unknown|");
        for (i, &(lo, hi)) in self.0.iter().enumerate() {
            if i > 0 {
                p.push_str("\\.");
            }
            p.push_str(&number_range_pattern(lo, hi));
        }
        p.push_str(")$");
        p
    }

    /// The ranges in a fingerprint: `up to [9, 99]` when every part starts
    /// at 0 (as first written), otherwise `within [2020-2099, 1-12]`.
    pub fn describe(&self) -> String {
        if self.0.iter().all(|&(lo, _)| lo == 0) {
            let parts: Vec<String> = self.0.iter().map(|(_, hi)| hi.to_string()).collect();
            format!("up to [{}]", parts.join(", "))
        } else {
            let parts: Vec<String> = self.0.iter().map(|(lo, hi)| format!("{lo}-{hi}")).collect();
            format!("within [{}]", parts.join(", "))
        }
    }

    /// The ranges in words, part by part: `major at most 9, minor at most
    /// 99`, or `major from 2020 to 2099`.
    pub fn in_words(&self) -> String {
        let parts: Vec<String> = ["major", "minor", "patch"]
            .iter()
            .zip(&self.0)
            .map(|(part, &(lo, hi))| match lo {
                0 => format!("{part} at most {hi}"),
                _ => format!("{part} from {lo} to {hi}"),
            })
            .collect();
        parts.join(", ")
    }
}

/// A regular expression matching the decimal numbers lo..=hi written
/// without leading zeros, as one group.
pub fn number_range_pattern(lo: u32, hi: u32) -> String {
    let mut alts = Vec::new();
    // Numbers of each digit count separately, then each of those ranges
    // split by its leading digits.
    let mut start = lo;
    while start <= hi {
        let digits = start.to_string().len() as u32;
        let end = hi.min(10u32.saturating_pow(digits).saturating_sub(1));
        same_length(
            &start.to_string(),
            &end.to_string(),
            &mut String::new(),
            &mut alts,
        );
        match end.checked_add(1) {
            Some(next) => start = next,
            None => break,
        }
    }
    format!("({})", alts.join("|"))
}

/// Patterns for the numbers from `a` to `b`, both of the same length,
/// after `prefix`: one alternative per run of leading digits.
fn same_length(a: &str, b: &str, prefix: &mut String, out: &mut Vec<String>) {
    let (a0, b0) = (a.as_bytes()[0], b.as_bytes()[0]);
    let rest = a.len() - 1;
    let tail = |k: usize| match k {
        0 => String::new(),
        1 => "[0-9]".into(),
        k => format!("[0-9]{{{k}}}"),
    };
    let class = |x: u8, y: u8| match y - x {
        0 => char::from(x).to_string(),
        _ => format!("[{}-{}]", char::from(x), char::from(y)),
    };
    if rest == 0 {
        out.push(format!("{prefix}{}", class(a0, b0)));
        return;
    }
    let (a_rest, b_rest) = (&a[1..], &b[1..]);
    if a0 == b0 {
        prefix.push(char::from(a0));
        same_length(a_rest, b_rest, prefix, out);
        prefix.pop();
        return;
    }
    let zeros = "0".repeat(rest);
    let nines = "9".repeat(rest);
    // The run of first digits whose every continuation is in the range.
    let first = if a_rest == zeros { a0 } else { a0 + 1 };
    let last = if b_rest == nines { b0 } else { b0 - 1 };
    if a_rest != zeros {
        prefix.push(char::from(a0));
        same_length(a_rest, &nines, prefix, out);
        prefix.pop();
    }
    if first <= last {
        out.push(format!("{prefix}{}{}", class(first, last), tail(rest)));
    }
    if b_rest != nines {
        prefix.push(char::from(b0));
        same_length(&zeros, b_rest, prefix, out);
        prefix.pop();
    }
}

/// Whether `s` is `unknown` or `parts` version components (see
/// [`VersionResolution::admits`]).
pub fn version_admits(s: &str, parts: usize) -> bool {
    s == "unknown"
        || (s.split('.').count() == parts
            && s.split('.').all(|n| {
                !n.is_empty()
                    && n.len() <= VERSION_COMPONENT_DIGITS
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && (n == "0" || !n.starts_with('0'))
            }))
}

/// Date resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DateResolution {
    Day,
    Week,
    Month,
}

impl DateResolution {
    pub const NAMES: &'static [&'static str] = &["day", "week", "month"];

    /// As a proposal writes it (`day`, `week`, `month`).
    pub fn name(self) -> &'static str {
        match self {
            DateResolution::Day => "day",
            DateResolution::Week => "week",
            DateResolution::Month => "month",
        }
    }

    /// How many dates of this resolution `days` consecutive days hold.
    pub fn units_in(self, days: f64) -> f64 {
        match self {
            DateResolution::Day => days,
            DateResolution::Week => days / 7.0,
            DateResolution::Month => days / (365.2425 / 12.0),
        }
    }
}

/// The dates a date field may send: from `earliest` (the Unix epoch when
/// the proposal gives none) to `latest` (the metric's expiry when it gives
/// none; a century after the first date when the metric never expires).
/// A date outside is refused where payloads are checked, and the field's
/// information is counted over the whole span: a date of something that
/// happened once (a library's oldest photo, a cluster's creation) ranges
/// over decades, not over the year a report is sent in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DateSpan {
    /// `earliest`, as written.
    pub earliest: Option<Date>,
    /// `latest`, as written.
    pub latest: Option<Date>,
    /// The metric's expiry (`None`: it never expires, or none is known).
    pub expires: Option<Date>,
}

impl DateSpan {
    /// The first date a field sends when its proposal names none: the Unix
    /// epoch, before which few clocks or file times say anything.
    pub const EPOCH: Date = Date {
        year: 1970,
        month: 1,
        day: 1,
    };
    /// Years the span runs past its first date when nothing ends it.
    pub const OPEN_YEARS: i64 = 100;

    pub fn first(&self) -> Date {
        self.earliest.unwrap_or(Self::EPOCH)
    }

    pub fn last(&self) -> Date {
        self.latest.or(self.expires).unwrap_or_else(|| {
            let first = self.first();
            Date::new(first.year + Self::OPEN_YEARS as i32, first.month, 1).unwrap_or(first)
        })
    }

    /// Days in the span, both ends included (at least one).
    pub fn days(&self) -> i64 {
        (self.last().to_days() - self.first().to_days() + 1).max(1)
    }

    /// Whether `d` is inside the span.
    pub fn admits(&self, d: Date) -> bool {
        self.first() <= d && d <= self.last()
    }

    /// The span as the proposal declares it, for descriptions and
    /// fingerprints (empty when it declares nothing, so that approvals
    /// signed before spans existed stay valid).
    pub fn declared(&self) -> String {
        match (self.earliest, self.latest) {
            (None, None) => String::new(),
            (Some(e), None) => format!(" from {e}"),
            (None, Some(l)) => format!(" until {l}"),
            (Some(e), Some(l)) => format!(" from {e} until {l}"),
        }
    }
}

/// Duration unit: bucket edges of a duration are counted in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DurationUnit {
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
}

impl DurationUnit {
    pub const ALL: &'static [DurationUnit] = &[
        DurationUnit::Millisecond,
        DurationUnit::Second,
        DurationUnit::Minute,
        DurationUnit::Hour,
        DurationUnit::Day,
        DurationUnit::Week,
        DurationUnit::Month,
    ];
    pub const NAMES: &'static [&'static str] = &[
        "millisecond",
        "second",
        "minute",
        "hour",
        "day",
        "week",
        "month",
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES[Self::ALL.iter().position(|u| *u == self).expect("listed")]
    }

    /// Milliseconds in one unit (a month is 1/12 of a Gregorian year), as
    /// the runtimes count them (`Unit::MILLIS` in `runtime/values.rs`).
    pub fn millis(self) -> u64 {
        match self {
            DurationUnit::Millisecond => 1,
            DurationUnit::Second => 1_000,
            DurationUnit::Minute => 60_000,
            DurationUnit::Hour => 3_600_000,
            DurationUnit::Day => 86_400_000,
            DurationUnit::Week => 604_800_000,
            DurationUnit::Month => 2_629_746_000,
        }
    }
}

/// How a count or duration is bucketed.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Buckets {
    /// Strictly increasing lower bounds.
    pub edges: Vec<u64>,
    /// The preset the edges came from, if any.
    pub preset: Option<(Preset, u64)>,
    /// Span of `buckets` or `preset`.
    pub span: Range<usize>,
    /// The largest value the quantity can take, when it has one (a
    /// percentage's 100): near it, buckets are judged by their distance to
    /// it (`fine-buckets`). What is sent does not change.
    #[serde(default)]
    pub bound: Option<u64>,
}

impl Buckets {
    pub fn labels(&self) -> Vec<String> {
        crate::buckets::labels(&self.edges)
    }
}

/// A field's type in the low-resolution type system.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum FieldType {
    Bool,
    /// A closed list; anything else reports as `other`.
    Enum {
        values: Vec<Spanned<String>>,
    },
    /// A subset of a closed list; unlisted items are only counted.
    Set {
        values: Vec<Spanned<String>>,
    },
    Count {
        buckets: Buckets,
    },
    Version {
        resolution: VersionResolution,
        /// The range each kept part may take (`smallest_parts`,
        /// `largest_parts`); `None` is 0 to [`VERSION_PART_MAX`] for each.
        /// A part outside its range is sent as `unknown`.
        parts: Option<PartRanges>,
    },
    Date {
        resolution: DateResolution,
        /// The dates the field may send ([`DateSpan`]).
        span: DateSpan,
    },
    Duration {
        unit: DurationUnit,
        buckets: Buckets,
    },
    /// Keys from a closed list, values of a bucketed scalar type.
    Map {
        keys: Vec<Spanned<String>>,
        value: Box<FieldType>,
    },
    /// Last resort: a string that must fully match `pattern`.
    String {
        pattern: Spanned<String>,
        max_len: u32,
        /// The pattern compiled once at load time (lint, witness search,
        /// budget, examples and codegen all use it).
        automaton: std::sync::Arc<crate::automaton::Table>,
    },
}

impl FieldType {
    pub const NAMES: &'static [&'static str] = &[
        "bool", "enum", "set", "count", "version", "date", "duration", "map", "string",
    ];

    /// Tells a date field, or a map's date values, when its metric expires
    /// (where its [`DateSpan`] ends unless it says otherwise).
    pub fn set_expiry(&mut self, until: Date) {
        match self {
            FieldType::Date { span, .. } => span.expires = Some(until),
            FieldType::Map { value, .. } => value.set_expiry(until),
            _ => {}
        }
    }

    /// The bucketing of a count or duration, or of a map's count or duration values.
    pub fn buckets(&self) -> Option<&Buckets> {
        match self {
            FieldType::Count { buckets } | FieldType::Duration { buckets, .. } => Some(buckets),
            FieldType::Map { value, .. } => value.buckets(),
            _ => None,
        }
    }

    /// What a value of this type is reported as, in plain words: "reported
    /// as 0, 1, 2–4, 5–9, 10 or more" (for people reviewing or reading what
    /// is collected).
    pub fn in_words(&self) -> String {
        fn list(items: &[String]) -> String {
            match items {
                [] => String::new(),
                [one] => one.clone(),
                [init @ .., last] => format!("{}, or {last}", init.join(", ")),
            }
        }
        let names = |v: &[Spanned<String>]| -> Vec<String> {
            v.iter().map(|s| format!("\"{}\"", s.value)).collect()
        };
        // "2-4" is a range, "10+" an open end: written out for people,
        // with large numbers in groups of three digits (1,000,000).
        fn grouped(n: &str) -> String {
            if n.len() < 5 || !n.bytes().all(|b| b.is_ascii_digit()) {
                return n.to_string();
            }
            let mut out = String::with_capacity(n.len() + n.len() / 3);
            for (i, c) in n.chars().enumerate() {
                if i > 0 && (n.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            out
        }
        let ranges = |b: &Buckets| -> Vec<String> {
            b.labels()
                .iter()
                .map(|l| match l.strip_suffix('+') {
                    Some(n) => format!("{} or more", grouped(n)),
                    None => l
                        .split('-')
                        .map(grouped)
                        .collect::<Vec<_>>()
                        .join("\u{2013}"),
                })
                .collect()
        };
        match self {
            FieldType::Bool => "reported as yes or no".into(),
            FieldType::Enum { values } => {
                let mut v = names(values);
                v.push("\"other\" for anything else".into());
                format!("reported as one of {}", list(&v))
            }
            FieldType::Set { values } => format!(
                "reported as which of {} are present; any others are only counted, as 0, 1, 2\u{2013}4 or 5 or more",
                list(&names(values)).replace(", or ", " and ")
            ),
            FieldType::Count { buckets } => format!("reported as {}", list(&ranges(buckets))),
            FieldType::Duration { unit, buckets } => {
                format!("reported in {}s as {}", unit.name(), list(&ranges(buckets)))
            }
            FieldType::Version { resolution, parts } => {
                let shape: String = match resolution {
                    VersionResolution::Major => {
                        "reported as the major version only (e.g. 3)".into()
                    }
                    VersionResolution::Minor => {
                        "reported as major.minor only (e.g. 3.21), never the patch level".into()
                    }
                    VersionResolution::Patch => {
                        "reported as major.minor.patch (e.g. 3.21.4)".into()
                    }
                };
                match parts {
                    None => shape,
                    Some(parts) => format!(
                        "{shape}, {} (any other is sent as \"unknown\")",
                        parts.in_words()
                    ),
                }
            }
            FieldType::Date { resolution, span } => format!(
                "{}, from {} to {}",
                match resolution {
                    DateResolution::Day => "reported as the day, never the time",
                    DateResolution::Week => "reported as the Monday of its week",
                    DateResolution::Month => "reported as the first day of its month",
                },
                span.first(),
                span.last()
            ),
            FieldType::Map { keys, value } => format!(
                "for each of {}: {}; other keys are not reported",
                list(&names(keys)).replace(", or ", " and "),
                value.in_words()
            ),
            FieldType::String {
                pattern, max_len, ..
            } => format!(
                "reported as text matching `{}`, at most {max_len} characters",
                pattern.value
            ),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            FieldType::Bool => "bool",
            FieldType::Enum { .. } => "enum",
            FieldType::Set { .. } => "set",
            FieldType::Count { .. } => "count",
            FieldType::Version { .. } => "version",
            FieldType::Date { .. } => "date",
            FieldType::Duration { .. } => "duration",
            FieldType::Map { .. } => "map",
            FieldType::String { .. } => "string",
        }
    }
}

/// One payload field.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Field {
    pub name: Spanned<String>,
    /// Span of the field's table (header or inline table).
    pub span: Range<usize>,
    pub summary: Option<Spanned<String>>,
    /// Why a field needs more resolution than usual, or why its name is safe.
    pub reason: Option<Spanned<String>>,
    /// `None` when the declaration had errors (already reported).
    pub ty: Option<Spanned<FieldType>>,
}

/// A value of the `[example]` table, with spans.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ExampleValue {
    Bool(bool),
    Integer(i64),
    Float(f64),
    String(String),
    Date(String),
    /// Any other TOML date-time form (time, offset date-time): never valid.
    DateTime(String),
    Array(Vec<Spanned<ExampleValue>>),
    Table(Entries),
}

/// Key-value pairs of a table in `[example]`, in source order.
pub type Entries = Vec<(Spanned<String>, Spanned<ExampleValue>)>;

impl ExampleValue {
    pub fn kind(&self) -> &'static str {
        match self {
            ExampleValue::Bool(_) => "a boolean",
            ExampleValue::Integer(_) => "an integer",
            ExampleValue::Float(_) => "a float",
            ExampleValue::String(_) => "a string",
            ExampleValue::Date(_) => "a date",
            ExampleValue::DateTime(_) => "a date-time",
            ExampleValue::Array(_) => "an array",
            ExampleValue::Table(_) => "a table",
        }
    }
}

/// One metric proposal.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Proposal {
    /// Not stored in the memo of a run: set from the file it was read from.
    #[serde(skip)]
    pub file: FileId,
    /// The metric name: the file stem.
    pub name: String,
    /// The optional `name` key.
    pub name_key: Option<Spanned<String>>,
    /// Prose checklist answers present in the file, by key (see [`CHECKLIST`]).
    #[serde(deserialize_with = "checklist_answers")]
    pub answers: BTreeMap<&'static str, Spanned<String>>,
    /// Checklist keys whose answer is there but cannot be read: a value of the
    /// wrong type, or a misspelt key (both already reported while loading).
    #[serde(deserialize_with = "checklist_keys")]
    pub unreadable: Vec<&'static str>,
    pub owners: Vec<Spanned<String>>,
    pub events: Vec<Spanned<String>>,
    pub expires: Option<Spanned<Expiry>>,
    pub status: Option<Spanned<Status>>,
    /// The metric's schema version (`version`, default 1): raised for a
    /// breaking change to a shipped definition.
    pub version: Option<Spanned<u32>>,
    pub approval: Option<Approval>,
    /// `[budget]`: extra identifying bits this metric may add to its events.
    pub budget: Option<Budget>,
    /// The `[example]` table, if present.
    pub example: Option<Spanned<Entries>>,
    pub fields: Vec<Field>,
    /// `[import]`: where a proposal written by `privet import` came from,
    /// and what its author still has to decide.
    pub import: Option<Import>,
    /// Its canonical definition and fingerprint, computed on first use
    /// ([`crate::fingerprint::current`]) from the fields as loaded (a
    /// proposal is not edited after loading), and kept in the memo.
    pub definition: DefinitionCell,
}

/// See [`Proposal::definition`]: (fingerprint, canonical definition).
#[derive(Clone, Debug, Default)]
pub struct DefinitionCell(pub std::sync::OnceLock<(String, String)>);

impl serde::Serialize for DefinitionCell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.get().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for DefinitionCell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let known: Option<(String, String)> = serde::Deserialize::deserialize(d)?;
        let cell = std::sync::OnceLock::new();
        if let Some(known) = known {
            let _ = cell.set(known);
        }
        Ok(DefinitionCell(cell))
    }
}

/// `[import]` of a proposal `privet import` wrote.
#[derive(Clone, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Import {
    /// The system it came from (`glean`).
    pub from: Option<Spanned<String>>,
    /// Its identifier there (`browser.engagement.uri_count`).
    pub source: Option<Spanned<String>>,
    /// The definition's own description there, kept for the author.
    pub description: Option<Spanned<String>>,
    /// Data reviews, bugs and other links it carried.
    pub references: Vec<Spanned<String>>,
    /// What the import could not carry over as it was (for the record).
    pub notes: Vec<Spanned<String>>,
    /// Decisions the author must make; each is an error until removed.
    pub undecided: Vec<Spanned<String>>,
}

impl Proposal {
    pub fn answer(&self, key: &str) -> Option<&str> {
        self.answers.get(key).map(|s| s.value.as_str())
    }

    /// Neither rejected nor retired: the metric is (or may be) collected.
    pub fn is_live(&self) -> bool {
        !matches!(
            self.status.as_ref().map(|s| s.value),
            Some(Status::Rejected | Status::Retired)
        )
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name.value == name)
    }
}

/// The checklist key `key` names, as the `&'static str` the model holds.
fn checklist_key<E: serde::de::Error>(key: &str) -> Result<&'static str, E> {
    CHECKLIST
        .iter()
        .map(|item| item.key)
        .find(|k| *k == key)
        .ok_or_else(|| E::custom(format!("`{key}` is not a checklist key")))
}

/// Reads [`Proposal::answers`] back (from the memo of a run).
fn checklist_answers<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<&'static str, Spanned<String>>, D::Error> {
    let read: BTreeMap<String, Spanned<String>> = serde::Deserialize::deserialize(d)?;
    read.into_iter()
        .map(|(k, v)| Ok((checklist_key(&k)?, v)))
        .collect()
}

/// Reads [`Proposal::unreadable`] back (from the memo of a run).
fn checklist_keys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
    let read: Vec<String> = serde::Deserialize::deserialize(d)?;
    read.iter().map(|k| checklist_key(k)).collect()
}

#[cfg(test)]
mod words_tests {
    use super::*;

    #[test]
    fn large_bucket_edges_are_grouped_in_words() {
        let count = FieldType::Count {
            buckets: Buckets {
                edges: vec![0, 1000, 1_000_000, 2_000_000],
                preset: None,
                span: 0..0,
                bound: None,
            },
        };
        assert_eq!(
            count.in_words(),
            "reported as 0\u{2013}999, 1000\u{2013}999,999, 1,000,000\u{2013}1,999,999, or 2,000,000 or more"
        );
    }
}

#[cfg(test)]
mod version_bound_tests {
    use super::*;

    /// The range pattern matches exactly the numbers lo..=hi, written
    /// without leading zeros, for ranges that change its shape (all nines,
    /// round numbers, a zero inside, several digit counts, a single value).
    #[test]
    fn a_range_pattern_matches_exactly_the_numbers_of_its_range() {
        let ranges = [
            (0, 0),
            (0, 1),
            (0, 9),
            (0, 10),
            (0, 19),
            (0, 99),
            (0, 100),
            (0, 101),
            (0, 255),
            (0, 909),
            (0, 1231),
            (0, 9999),
            (1, 12),
            (5, 5),
            (7, 13),
            (19, 21),
            (2020, 2099),
            (2000, 2359),
            (99, 1000),
            (123, 4567),
            (10, 99),
            (9, 10),
        ];
        for (lo, hi) in ranges {
            let re = regex::Regex::new(&format!("^{}$", number_range_pattern(lo, hi))).unwrap();
            for n in 0..=10_000u32 {
                assert_eq!(
                    re.is_match(&n.to_string()),
                    (lo..=hi).contains(&n),
                    "{lo}..={hi}: {n}"
                );
            }
            assert!(
                !re.is_match("00") && !re.is_match("01") && !re.is_match(""),
                "{lo}..={hi}"
            );
        }
    }

    #[test]
    fn declared_parts_admit_only_their_ranges() {
        let parts = PartRanges(vec![(0, 9), (0, 99)]);
        assert!(parts.admits("3.21") && parts.admits("unknown"));
        assert!(!parts.admits("3.210") && !parts.admits("10.0") && !parts.admits("3"));
        let re = regex::Regex::new(&parts.pattern()).unwrap();
        assert!(re.is_match("3.21") && re.is_match("unknown"));
        assert!(!re.is_match("3.210") && !re.is_match("10.1") && !re.is_match("3.05"));
        assert_eq!(parts.describe(), "up to [9, 99]");
        let calendar = PartRanges(vec![(2020, 2099), (1, 12)]);
        assert!(
            calendar.admits("2024.11") && !calendar.admits("2024.0") && !calendar.admits("1999.5")
        );
        assert_eq!(calendar.combinations(), 960.0);
        assert_eq!(calendar.describe(), "within [2020-2099, 1-12]");
        assert_eq!(
            calendar.in_words(),
            "major from 2020 to 2099, minor from 1 to 12"
        );
        assert_eq!(
            PartRanges::any(VersionResolution::Minor).combinations(),
            1e8
        );
    }
}
