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

/// The largest number each of a version's kept parts may hold.
pub fn version_largest(resolution: VersionResolution, largest: Option<&[u32]>) -> Vec<u32> {
    largest.map_or_else(
        || vec![VERSION_PART_MAX; resolution.parts()],
        <[u32]>::to_vec,
    )
}

/// Whether `s` is a version of `largest.len()` parts, each at most its
/// largest (or `unknown`): what a version field with `largest_parts` sends.
pub fn version_within(s: &str, largest: &[u32]) -> bool {
    version_admits(s, largest.len())
        && (s == "unknown"
            || s.split('.')
                .zip(largest)
                .all(|(n, &max)| n.parse::<u32>().is_ok_and(|n| n <= max)))
}

/// The JSON Schema (ECMA-262) pattern of a version whose parts are at most
/// `largest`: [`VersionResolution::pattern`] when every part may hold
/// [`VERSION_PART_MAX`], otherwise each part as the decimal numbers from 0
/// up to its largest, without leading zeros.
pub fn version_pattern(largest: &[u32]) -> String {
    let mut p = String::from("^(unknown|");
    for (i, &max) in largest.iter().enumerate() {
        if i > 0 {
            p.push_str("\\.");
        }
        p.push_str(&number_range_pattern(max));
    }
    p.push_str(")$");
    p
}

/// A regular expression matching the decimal numbers 0..=max written
/// without leading zeros, as one group.
pub fn number_range_pattern(max: u32) -> String {
    let digits: Vec<u8> = max.to_string().bytes().map(|b| b - b'0').collect();
    let n = digits.len();
    let mut alts = vec!["0".to_string()];
    // Every number with fewer digits than max (none but 0 when max < 10).
    match n {
        0 | 1 => {}
        2 => alts.push("[1-9]".into()),
        _ => alts.push(format!("[1-9][0-9]{{0,{}}}", n - 2)),
    }
    // Numbers with exactly n digits, at most max: the first i digits equal
    // max's, the next one smaller, any digits after it; then max itself.
    let digit_class = |lo: u8, hi: u8| match hi - lo {
        0 => lo.to_string(),
        _ => format!("[{lo}-{hi}]"),
    };
    let rest = |k: usize| match k {
        0 => String::new(),
        1 => "[0-9]".into(),
        k => format!("[0-9]{{{k}}}"),
    };
    for i in 0..n {
        let lo = u8::from(i == 0);
        if digits[i] > lo {
            let prefix: String = digits[..i].iter().map(|d| char::from(b'0' + d)).collect();
            alts.push(format!(
                "{prefix}{}{}",
                digit_class(lo, digits[i] - 1),
                rest(n - i - 1)
            ));
        }
    }
    if max > 0 {
        alts.push(max.to_string());
    }
    format!("({})", alts.join("|"))
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
        /// The largest number each kept part may hold (`largest_parts`),
        /// one per part; `None` is [`VERSION_PART_MAX`] for each. A part
        /// above its largest is sent as `unknown`.
        largest: Option<Vec<u32>>,
    },
    Date {
        resolution: DateResolution,
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
            FieldType::Version {
                resolution,
                largest,
            } => {
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
                match largest {
                    None => shape,
                    Some(largest) => {
                        let parts: Vec<String> = ["major", "minor", "patch"]
                            .iter()
                            .zip(largest)
                            .map(|(part, max)| format!("{part} at most {max}"))
                            .collect();
                        format!(
                            "{shape}, {} (a larger one is sent as \"unknown\")",
                            parts.join(", ")
                        )
                    }
                }
            }
            FieldType::Date { resolution } => match resolution {
                DateResolution::Day => "reported as the day, never the time".into(),
                DateResolution::Week => "reported as the Monday of its week".into(),
                DateResolution::Month => "reported as the first day of its month".into(),
            },
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

    /// The range pattern matches exactly the numbers 0..=max, written
    /// without leading zeros, for every max of up to four digits that
    /// changes its shape (all nines, round numbers, a zero inside).
    #[test]
    fn a_range_pattern_matches_exactly_the_numbers_up_to_its_largest() {
        for max in [
            0, 1, 5, 9, 10, 11, 19, 20, 99, 100, 101, 199, 255, 909, 1000, 1231, 2099, 2359, 9999,
        ] {
            let re = regex::Regex::new(&format!("^{}$", number_range_pattern(max))).unwrap();
            for n in 0..=10_000u32 {
                assert_eq!(re.is_match(&n.to_string()), n <= max, "max {max}, n {n}");
            }
            assert!(!re.is_match("00") && !re.is_match("01"), "max {max}");
        }
    }

    #[test]
    fn a_bounded_version_admits_only_parts_up_to_their_largest() {
        assert!(version_within("3.21", &[9, 99]));
        assert!(version_within("unknown", &[9, 99]));
        assert!(!version_within("3.210", &[9, 99]));
        assert!(!version_within("10.0", &[9, 99]));
        assert!(!version_within("3", &[9, 99]));
        let re = regex::Regex::new(&version_pattern(&[9, 99])).unwrap();
        assert!(re.is_match("3.21") && re.is_match("unknown"));
        assert!(!re.is_match("3.210") && !re.is_match("10.1") && !re.is_match("3.05"));
        assert_eq!(
            version_largest(VersionResolution::Minor, None),
            vec![9999, 9999]
        );
    }
}
