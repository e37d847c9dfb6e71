//! Value types that can only hold low-resolution values.
//!
//! Every type here is built from a raw input by reducing it (bucketing,
//! truncating, allow-listing); no public constructor and no `Deserialize`
//! path accepts a value finer than the type's resolution. The generated
//! metric types are made of these.
//!
//! This file is written by hand; the per-metric types in `generated/` are
//! written by `cargo xtask codegen`.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------
// Buckets: counts and durations

/// Bucket edges of one count or duration field (generated per field).
///
/// `EDGES` are strictly increasing lower bounds; `LABELS` has one label per
/// bucket: when the first edge is above zero, a first bucket holds the values
/// below it; the last bucket (`"N+"`) holds everything from the last edge up.
pub trait Buckets: 'static {
    /// The edges and labels, as one constant (each constant is compiled on
    /// its own, and a crate has one set of buckets per count field).
    const TABLE: BucketTable;
    const EDGES: &'static [u64] = Self::TABLE.edges;
    const LABELS: &'static [&'static str] = Self::TABLE.labels;
}

/// The [`Buckets`] of one field.
pub struct BucketTable {
    pub edges: &'static [u64],
    pub labels: &'static [&'static str],
}

/// Index of the bucket holding `value`.
fn bucket_index(edges: &[u64], value: u64) -> usize {
    let offset = usize::from(edges.first().is_some_and(|&e| e > 0));
    edges
        .iter()
        .rposition(|&e| e <= value)
        .map_or(0, |i| i + offset)
}

/// A bucketed value's schema: its labels, and in `x-privet-buckets` the
/// lower bound of each label (aligned with `enum`) and a duration's unit,
/// so that a client in any language can bucket without the proposal.
fn label_schema(edges: &[u64], labels: &[&str], unit: Option<&str>) -> Schema {
    let mut lower_bounds = Vec::with_capacity(labels.len());
    if edges.first().is_some_and(|&e| e > 0) {
        lower_bounds.push(0);
    }
    lower_bounds.extend_from_slice(edges);
    let mut buckets = serde_json::json!({ "lower_bounds": lower_bounds });
    if let Some(unit) = unit {
        buckets["unit"] = serde_json::json!(unit);
    }
    json_schema!({ "type": "string", "enum": labels, "x-privet-buckets": buckets })
}

fn label_index<'de, D: Deserializer<'de>>(
    d: D,
    labels: &[&str],
    what: &str,
) -> Result<usize, D::Error> {
    let s = Cow::<str>::deserialize(d)?;
    labels.iter().position(|l| *l == s).ok_or_else(|| {
        de::Error::custom(format_args!(
            "`{s}` is not a {what} bucket; expected one of {}",
            labels.join(", ")
        ))
    })
}

/// A non-negative count, reported only as its bucket.
pub struct Count<B: Buckets> {
    index: usize,
    _buckets: PhantomData<B>,
}

impl<B: Buckets> Count<B> {
    /// Buckets a raw count.
    pub fn new(count: u64) -> Self {
        Count {
            index: bucket_index(B::EDGES, count),
            _buckets: PhantomData,
        }
    }

    /// Buckets a signed count; negative values (a broken counter) count as 0.
    pub fn from_signed(count: i64) -> Self {
        Self::new(u64::try_from(count).unwrap_or(0))
    }

    /// Buckets the length of a collection.
    pub fn of_len(len: usize) -> Self {
        Self::new(u64::try_from(len).unwrap_or(u64::MAX))
    }

    /// The bucket label, as sent.
    pub fn label(&self) -> &'static str {
        B::LABELS[self.index]
    }
}

/// A length of time, reported only as its bucket; edges count whole units.
pub struct Duration<B: Buckets, U: Unit> {
    index: usize,
    _spec: PhantomData<(B, U)>,
}

/// The unit a duration's bucket edges count.
pub trait Unit: 'static {
    /// Milliseconds in one unit.
    const MILLIS: u64;
    const NAME: &'static str;
}

macro_rules! units {
    ($($name:ident = $millis:expr, $label:literal;)*) => {$(
        #[doc = concat!("Duration unit: one ", $label, ".")]
        pub struct $name;
        impl Unit for $name {
            const MILLIS: u64 = $millis;
            const NAME: &'static str = $label;
        }
    )*};
}

units! {
    Milliseconds = 1, "millisecond";
    Seconds = 1_000, "second";
    Minutes = 60_000, "minute";
    Hours = 3_600_000, "hour";
    Days = 86_400_000, "day";
    Weeks = 604_800_000, "week";
    Months = 2_629_746_000, "month"; // 1/12 of a Gregorian year
}

impl<B: Buckets, U: Unit> Duration<B, U> {
    /// Buckets a length of time; partial units are dropped.
    pub fn new(elapsed: std::time::Duration) -> Self {
        let millis = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        Self::from_units(millis / U::MILLIS)
    }

    /// Buckets a number of whole units.
    pub fn from_units(units: u64) -> Self {
        Duration {
            index: bucket_index(B::EDGES, units),
            _spec: PhantomData,
        }
    }

    /// Buckets a number of seconds; negative values count as 0.
    pub fn from_seconds(seconds: i64) -> Self {
        Self::new(std::time::Duration::from_secs(
            u64::try_from(seconds).unwrap_or(0),
        ))
    }

    /// Buckets a number of milliseconds; negative values count as 0.
    pub fn from_millis(millis: i64) -> Self {
        Self::new(std::time::Duration::from_millis(
            u64::try_from(millis).unwrap_or(0),
        ))
    }

    /// The bucket label, as sent.
    pub fn label(&self) -> &'static str {
        B::LABELS[self.index]
    }
}

macro_rules! bucketed_impls {
    ($ty:ident < $($p:ident : $bound:ident),* >, $what:literal) => {
        impl<$($p: $bound),*> Clone for $ty<$($p),*> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<$($p: $bound),*> Copy for $ty<$($p),*> {}
        impl<$($p: $bound),*> PartialEq for $ty<$($p),*> {
            fn eq(&self, other: &Self) -> bool {
                self.index == other.index
            }
        }
        impl<$($p: $bound),*> Eq for $ty<$($p),*> {}
        impl<$($p: $bound),*> fmt::Debug for $ty<$($p),*> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($ty), self.label())
            }
        }
        impl<$($p: $bound),*> fmt::Display for $ty<$($p),*> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
        impl<$($p: $bound),*> Serialize for $ty<$($p),*> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }
        impl<'de, $($p: $bound),*> Deserialize<'de> for $ty<$($p),*> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let index = label_index(d, B::LABELS, $what)?;
                Ok($ty { index, ..Self::_first() })
            }
        }
        impl<$($p: $bound),*> JsonSchema for $ty<$($p),*> {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($what)
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                label_schema(B::EDGES, B::LABELS, Self::UNIT)
            }
        }
    };
}

impl<B: Buckets> Count<B> {
    const UNIT: Option<&'static str> = None;

    fn _first() -> Self {
        Self::new(0)
    }
}

impl<B: Buckets, U: Unit> Duration<B, U> {
    const UNIT: Option<&'static str> = Some(U::NAME);

    fn _first() -> Self {
        Self::from_units(0)
    }
}

bucketed_impls!(Count<B: Buckets>, "count");
bucketed_impls!(Duration<B: Buckets, U: Unit>, "duration");

// ---------------------------------------------------------------------------
// Versions

/// A version reduced to its first `PARTS` numeric components (1 = major,
/// 2 = major.minor, 3 = major.minor.patch), or `unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Version<const PARTS: usize> {
    parts: Option<[u32; PARTS]>,
}

/// `"3"`, from `"3.21.4-dev"`.
pub type MajorVersion = Version<1>;
/// `"3.21"`, from `"3.21.4-dev+g1a2b"`.
pub type MinorVersion = Version<2>;
/// `"3.21.4"`, from `"3.21.4-dev+g1a2b"`.
pub type PatchVersion = Version<3>;

/// Most digits a version component may have: longer numbers are build ids
/// or timestamps (`20261130.235959`), not versions; calendar versions
/// (`2024.11`) fit.
const MAX_COMPONENT_DIGITS: usize = 4;

impl<const PARTS: usize> Version<PARTS> {
    /// Reduces any version-like string: an optional `v`, then numeric
    /// components separated by dots; anything after the components kept is
    /// dropped. Input that does not start like a version, or has fewer
    /// components than kept, becomes `unknown`.
    pub fn parse(raw: &str) -> Self {
        let s = raw.trim();
        let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
        let mut parts = [0u32; PARTS];
        let mut rest = s;
        for (i, part) in parts.iter_mut().enumerate() {
            if i > 0 {
                match rest.strip_prefix('.') {
                    Some(r) => rest = r,
                    None => return Self::unknown(),
                }
            }
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > MAX_COMPONENT_DIGITS {
                return Self::unknown();
            }
            // A component must end at a separator, not run into letters
            // ("3a" is not a version), except after the last kept part.
            let (num, after) = rest.split_at(digits);
            if i + 1 < PARTS && !after.is_empty() && !after.starts_with('.') {
                return Self::unknown();
            }
            if after.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
                return Self::unknown();
            }
            *part = num.parse().unwrap_or(0);
            rest = after;
        }
        Version { parts: Some(parts) }
    }

    /// A version from numeric components (at least `PARTS` of them).
    pub fn from_numbers(numbers: &[u64]) -> Self {
        let mut parts = [0u32; PARTS];
        for (i, part) in parts.iter_mut().enumerate() {
            match numbers.get(i).and_then(|n| u32::try_from(*n).ok()) {
                Some(n) if n < 10_000 => *part = n,
                _ => return Self::unknown(),
            }
        }
        Version { parts: Some(parts) }
    }

    pub fn unknown() -> Self {
        Version { parts: None }
    }

    pub fn is_unknown(&self) -> bool {
        self.parts.is_none()
    }

    fn canonical(s: &str) -> Option<Self> {
        if s == "unknown" {
            return Some(Self::unknown());
        }
        let v = Self::parse(s);
        (v.to_string() == s).then_some(v)
    }

    /// The JSON Schema pattern of the sent form.
    fn pattern() -> String {
        let num = format!("(0|[1-9][0-9]{{0,{}}})", MAX_COMPONENT_DIGITS - 1);
        let num = num.as_str();
        let mut p = String::from("^(unknown|");
        p.push_str(num);
        for _ in 1..PARTS {
            p.push_str("\\.");
            p.push_str(num);
        }
        p.push_str(")$");
        p
    }
}

impl<const PARTS: usize> fmt::Display for Version<PARTS> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.parts {
            None => f.write_str("unknown"),
            Some(parts) => {
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    write!(f, "{p}")?;
                }
                Ok(())
            }
        }
    }
}

impl<const PARTS: usize> Serialize for Version<PARTS> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de, const PARTS: usize> Deserialize<'de> for Version<PARTS> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        Self::canonical(&s).ok_or_else(|| {
            de::Error::custom(format_args!(
                "`{s}` is not a version with exactly {PARTS} numeric part(s) or `unknown`"
            ))
        })
    }
}

impl<const PARTS: usize> JsonSchema for Version<PARTS> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Owned(format!("Version{PARTS}"))
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": Self::pattern() })
    }
}

/// The range each part of a [`Bounded`] version may take, and the JSON
/// Schema pattern of what it sends; privet writes one per field that
/// declares `smallest_parts` or `largest_parts`.
pub trait PartRanges: 'static {
    /// One `(smallest, largest)` per part kept.
    const RANGES: &'static [(u32, u32)];
    /// The sent form: `unknown`, or parts each within its range.
    const PATTERN: &'static str;
}

/// A version whose parts are bounded: any part outside its range in `L`
/// makes the whole version `unknown`, so that a part cannot carry a build
/// stamp, a counter or an address octet.
pub struct Bounded<const PARTS: usize, L: PartRanges> {
    version: Version<PARTS>,
    _largest: PhantomData<L>,
}

impl<const PARTS: usize, L: PartRanges> Bounded<PARTS, L> {
    fn within(version: Version<PARTS>) -> Self {
        let fits = match &version.parts {
            None => true,
            Some(parts) => parts
                .iter()
                .zip(L::RANGES)
                .all(|(part, (lo, hi))| (lo..=hi).contains(&part)),
        };
        Bounded {
            version: if fits { version } else { Version::unknown() },
            _largest: PhantomData,
        }
    }

    /// Reduces a version-like string as [`Version::parse`] does, then
    /// checks each part against its range.
    pub fn parse(raw: &str) -> Self {
        Self::within(Version::parse(raw))
    }

    /// A version from numeric components (at least `PARTS` of them).
    pub fn from_numbers(numbers: &[u64]) -> Self {
        Self::within(Version::from_numbers(numbers))
    }

    pub fn unknown() -> Self {
        Self::within(Version::unknown())
    }

    pub fn is_unknown(&self) -> bool {
        self.version.is_unknown()
    }
}

/// A version of the same shape, checked against the field's largest parts.
impl<const PARTS: usize, L: PartRanges> From<Version<PARTS>> for Bounded<PARTS, L> {
    fn from(version: Version<PARTS>) -> Self {
        Self::within(version)
    }
}

impl<const PARTS: usize, L: PartRanges> Clone for Bounded<PARTS, L> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<const PARTS: usize, L: PartRanges> Copy for Bounded<PARTS, L> {}
impl<const PARTS: usize, L: PartRanges> PartialEq for Bounded<PARTS, L> {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}
impl<const PARTS: usize, L: PartRanges> Eq for Bounded<PARTS, L> {}
impl<const PARTS: usize, L: PartRanges> std::hash::Hash for Bounded<PARTS, L> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.version.hash(state);
    }
}
impl<const PARTS: usize, L: PartRanges> fmt::Debug for Bounded<PARTS, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bounded({self})")
    }
}
impl<const PARTS: usize, L: PartRanges> fmt::Display for Bounded<PARTS, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.version.fmt(f)
    }
}
impl<const PARTS: usize, L: PartRanges> Serialize for Bounded<PARTS, L> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de, const PARTS: usize, L: PartRanges> Deserialize<'de> for Bounded<PARTS, L> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let version = Version::<PARTS>::deserialize(d)?;
        let bounded = Self::within(version);
        if bounded.version != version {
            return Err(de::Error::custom(format_args!(
                "`{version}` has a part outside its range ({:?})",
                L::RANGES
            )));
        }
        Ok(bounded)
    }
}
impl<const PARTS: usize, L: PartRanges> JsonSchema for Bounded<PARTS, L> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Owned(format!("BoundedVersion{PARTS}"))
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": L::PATTERN })
    }
}

// ---------------------------------------------------------------------------
// Dates

/// How finely a date is kept.
pub trait Resolution: 'static {
    const NAME: &'static str;
    /// Truncates days since 1970-01-01 to this resolution.
    fn truncate(days: i64) -> i64;
    /// The JSON Schema pattern of the sent form.
    const PATTERN: &'static str;
}

/// Dates kept to the day.
pub struct Day;
/// Dates kept to the week: sent as the week's Monday.
pub struct Week;
/// Dates kept to the month: sent as the month's first day.
pub struct Month;

/// A calendar date, years 0001 to 9999 (leap days included).
const DATE_PATTERN: &str = "^(?:(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29)$";

impl Resolution for Day {
    const NAME: &'static str = "day";
    const PATTERN: &'static str = DATE_PATTERN;
    fn truncate(days: i64) -> i64 {
        days
    }
}

impl Resolution for Week {
    const NAME: &'static str = "week";
    const PATTERN: &'static str = DATE_PATTERN;
    fn truncate(days: i64) -> i64 {
        // 1970-01-01 was a Thursday; Monday is 3 days earlier.
        days - (days + 3).rem_euclid(7)
    }
}

impl Resolution for Month {
    const NAME: &'static str = "month";
    const PATTERN: &'static str =
        "^(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)-(?:0[1-9]|1[0-2])-01$";
    fn truncate(days: i64) -> i64 {
        let (y, m, _) = civil_from_days(days);
        days_from_civil(y, m, 1)
    }
}

/// A calendar date truncated to the resolution `R` when it is built.
pub struct Date<R: Resolution> {
    days: i64,
    _resolution: PhantomData<R>,
}

impl<R: Resolution> Date<R> {
    /// The date of a Unix timestamp (UTC), truncated.
    pub fn from_unix_seconds(seconds: i64) -> Self {
        Self::from_days(seconds.div_euclid(86_400))
    }

    /// A date from year, month and day, truncated; `None` if it does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        let days = days_from_civil(i64::from(year), month, day);
        (civil_from_days(days) == (i64::from(year), month, day) && (1..=9999).contains(&year))
            .then(|| Self::from_days(days))
    }

    /// Whether this date is `year-month-day` or later (untruncated): a
    /// metric expired on that day is not sent from then on.
    pub fn on_or_after(&self, year: i32, month: u32, day: u32) -> bool {
        self.days >= days_from_civil(i64::from(year), month, day)
    }

    /// Today (UTC), truncated.
    pub fn today() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::from_unix_seconds(i64::try_from(secs).unwrap_or(0))
    }

    fn from_days(days: i64) -> Self {
        // Keep within years 0001..=9999 so the sent form is always YYYY-MM-DD.
        let days = days.clamp(-719_162, 2_932_896);
        Date {
            days: R::truncate(days),
            _resolution: PhantomData,
        }
    }

    fn parse_exact(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y: i32 = s[0..4].parse().ok()?;
        let m: u32 = s[5..7].parse().ok()?;
        let d: u32 = s[8..10].parse().ok()?;
        if !s
            .bytes()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        {
            return None;
        }
        let date = Self::from_ymd(y, m, d)?;
        (date.to_string() == s).then_some(date)
    }
}

impl<R: Resolution> Clone for Date<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R: Resolution> Copy for Date<R> {}
impl<R: Resolution> PartialEq for Date<R> {
    fn eq(&self, other: &Self) -> bool {
        self.days == other.days
    }
}
impl<R: Resolution> Eq for Date<R> {}

impl<R: Resolution> fmt::Display for Date<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.days);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl<R: Resolution> fmt::Debug for Date<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date<{}>({self})", R::NAME)
    }
}

impl<R: Resolution> Serialize for Date<R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de, R: Resolution> Deserialize<'de> for Date<R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        Self::parse_exact(&s).ok_or_else(|| {
            de::Error::custom(format_args!(
                "`{s}` is not a date (YYYY-MM-DD) truncated to the {}",
                R::NAME
            ))
        })
    }
}

impl<R: Resolution> JsonSchema for Date<R> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Owned(format!("Date_{}", R::NAME))
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": R::PATTERN,
            "description": format!("A date truncated to the {}{}.", R::NAME, match R::NAME {
                "week" => " (its Monday; receivers check that, the pattern cannot)",
                "month" => " (its first day)",
                _ => "",
            }),
        })
    }
}

/// Howard Hinnant's days_from_civil.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

// ---------------------------------------------------------------------------
// Sets

/// An item of a closed list: [`Member`] of a generated [`Names`] list.
pub trait SetItem: Sized + Copy + Ord + Serialize + JsonSchema + 'static {
    /// The item a raw name stands for, if it is on the list.
    fn from_name(name: &str) -> Option<Self>;
    /// Its position in the list.
    fn position(self) -> u16;
    /// The item at `position` in the list.
    fn at_position(position: u16) -> Self;
}

/// Buckets for the number of unlisted items in a set.
pub struct UnknownItems;

impl Buckets for UnknownItems {
    const TABLE: BucketTable = BucketTable {
        edges: &[0, 1, 2, 5],
        labels: &["0", "1", "2-4", "5+"],
    };
}

/// A subset of a closed list. Items outside the list are never named: they
/// are only counted, and the count is bucketed.
///
/// Items are kept by position, so every set has the same representation
/// (and the same compiled code to build, compare and drop it) whatever its
/// list.
pub struct Set<T: SetItem> {
    items: BTreeSet<u16>,
    unknown: Count<UnknownItems>,
    list: PhantomData<T>,
}

impl<T: SetItem> Set<T> {
    /// The set of the listed items among `names`; the others are counted.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut items = BTreeSet::new();
        let mut unknown = BTreeSet::new();
        for name in names {
            match T::from_name(name) {
                Some(item) => {
                    items.insert(item.position());
                }
                None => {
                    unknown.insert(name);
                }
            }
        }
        Set {
            items,
            unknown: Count::of_len(unknown.len()),
            list: PhantomData,
        }
    }

    /// A set of listed items only.
    pub fn of(items: impl IntoIterator<Item = T>) -> Self {
        Set {
            items: items.into_iter().map(T::position).collect(),
            unknown: Count::new(0),
            list: PhantomData,
        }
    }

    /// The listed items in the set, in list order.
    pub fn items(&self) -> impl Iterator<Item = T> + '_ {
        self.items.iter().map(|&p| T::at_position(p))
    }

    pub fn contains(&self, item: &T) -> bool {
        self.items.contains(&item.position())
    }

    /// How many unlisted items there were, as a bucket.
    pub fn unknown(&self) -> Count<UnknownItems> {
        self.unknown
    }
}

impl<T: SetItem> Clone for Set<T> {
    fn clone(&self) -> Self {
        Set {
            items: self.items.clone(),
            unknown: self.unknown,
            list: PhantomData,
        }
    }
}

impl<T: SetItem> PartialEq for Set<T> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items && self.unknown == other.unknown
    }
}

impl<T: SetItem + fmt::Debug> fmt::Debug for Set<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Set")
            .field("items", &self.items().collect::<Vec<T>>())
            .field("unknown", &self.unknown)
            .finish()
    }
}

impl<T: SetItem> Serialize for Set<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let items: Vec<T> = self.items().collect();
        serialize_record(s, "Set", SET_FIELDS, (&items, &self.unknown))
    }
}

/// The keys of a set's JSON object.
const SET_FIELDS: &[&str] = &["items", "unknown"];

impl<'de, T: SetItem + Deserialize<'de>> Deserialize<'de> for Set<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (listed, unknown): (Vec<T>, Count<UnknownItems>) =
            deserialize_record(d, "Set", SET_FIELDS)?;
        let n = listed.len();
        let items: BTreeSet<u16> = listed.into_iter().map(T::position).collect();
        if items.len() != n {
            return Err(de::Error::custom("a set lists an item twice"));
        }
        Ok(Set {
            items,
            unknown,
            list: PhantomData,
        })
    }
}

impl<T: SetItem> JsonSchema for Set<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Owned(format!("Set_{}", T::schema_name()))
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "properties": {
                "items": {
                    "type": "array",
                    "items": generator.subschema_for::<T>(),
                    "uniqueItems": true,
                    "description": "Listed items, in list order (`privet validate` refuses any other: the order could carry a number).",
                },
                "unknown": label_schema(UnknownItems::EDGES, UnknownItems::LABELS, None),
            },
            "required": ["items", "unknown"],
            "additionalProperties": false,
        })
    }
}

// ---------------------------------------------------------------------------
// What the generated types share
//
// The generated enums and structs implement `Serialize`, `Deserialize` and
// `JsonSchema` by hand, in a few lines each that call the functions below,
// instead of deriving them: a derive expands to a hundred lines or more per
// type, and a registry of thousands of metrics then takes minutes and
// gigabytes to compile. Serialized forms, errors and schemas are the ones
// the derives gave (`deny_unknown_fields` included); the crate's schema and
// property tests hold them to the generated JSON Schemas.

/// The names of one enum or set field (generated per field, with the type
/// name and doc comment its schema carries).
pub trait Names: 'static {
    /// Everything about the list, as one constant (each constant is
    /// compiled on its own, and a crate has a list per enum and set field).
    const LIST: NameList;
    /// Every name, as sent: for an enum field, its listed values and then
    /// `other`; for a set field, its items.
    const NAMES: &'static [&'static str] = Self::LIST.names;
    /// The schema's name: the field's value or item type name.
    const NAME: &'static str = Self::LIST.type_name;
    /// The schema's id: the path of that type name.
    const ID: &'static str = Self::LIST.id;
    /// The doc comment of that type.
    const DOC: &'static str = Self::LIST.doc;
}

/// The [`Names`] of one field.
pub struct NameList {
    pub names: &'static [&'static str],
    pub type_name: &'static str,
    pub id: &'static str,
    pub doc: &'static str,
}

/// The doc comment of an open list's catch-all value.
pub const OTHER_DOC: &str = "Any value that is not on the list.";

/// The value of an enum field: one of the listed names of `N`, or `other`
/// for anything not listed. Each field's type is an alias, `XValue =
/// Listed<XValues>`, with one constant per name (`XValue::Kvm`) and
/// [`Listed::Other`].
pub struct Listed<N: Names> {
    index: u16,
    names: PhantomData<N>,
}

/// An item of a set field: one of the names of `N`. Each field's item type
/// is an alias, `XItem = Member<XItems>`, with one constant per name.
pub struct Member<N: Names> {
    index: u16,
    names: PhantomData<N>,
}

/// The `index`th of `names`, or the last one past the end.
const fn clamp(index: usize, names: &[&str]) -> u16 {
    let last = names.len().saturating_sub(1);
    (if index > last { last } else { index }) as u16
}

#[allow(non_upper_case_globals)]
impl<N: Names> Listed<N> {
    /// Any value that is not on the list.
    pub const Other: Self = Self::at(usize::MAX);

    /// The listed values, as sent (`other` left out).
    pub const VALUES: &'static [&'static str] = match N::NAMES.split_last() {
        Some((_, listed)) => listed,
        None => &[],
    };

    /// The `index`th listed value, or `other` past the end of the list.
    pub const fn at(index: usize) -> Self {
        Listed {
            index: clamp(index, N::NAMES),
            names: PhantomData,
        }
    }

    /// The value `raw` stands for; anything not listed is `other`.
    pub fn from_raw(raw: &str) -> Self {
        Self::at(
            Self::VALUES
                .iter()
                .position(|n| *n == raw)
                .unwrap_or(usize::MAX),
        )
    }
}

impl<N: Names> Member<N> {
    /// The listed items, as sent.
    pub const VALUES: &'static [&'static str] = N::NAMES;

    /// The `index`th listed item (the last one past the end of the list).
    pub const fn at(index: usize) -> Self {
        Member {
            index: clamp(index, N::NAMES),
            names: PhantomData,
        }
    }
}

impl<N: Names> SetItem for Member<N> {
    fn from_name(name: &str) -> Option<Self> {
        N::NAMES.iter().position(|n| *n == name).map(Self::at)
    }
    fn position(self) -> u16 {
        self.index
    }
    fn at_position(position: u16) -> Self {
        Self::at(usize::from(position))
    }
}

/// What `Listed` and `Member` have alike: an index into `N::NAMES`; `open`
/// says whether the last name is the documented catch-all.
macro_rules! name_index {
    ($t:ident, $open:expr) => {
        impl<N: Names> $t<N> {
            /// The value as sent.
            pub fn as_str(self) -> &'static str {
                N::NAMES[usize::from(self.index)]
            }
        }
        impl<N: Names> Clone for $t<N> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<N: Names> Copy for $t<N> {}
        impl<N: Names> PartialEq for $t<N> {
            fn eq(&self, other: &Self) -> bool {
                self.index == other.index
            }
        }
        impl<N: Names> Eq for $t<N> {}
        impl<N: Names> PartialOrd for $t<N> {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        impl<N: Names> Ord for $t<N> {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.index.cmp(&other.index)
            }
        }
        impl<N: Names> std::hash::Hash for $t<N> {
            fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
                self.index.hash(h)
            }
        }
        impl<N: Names> fmt::Debug for $t<N> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", N::NAME, self.as_str())
            }
        }
        impl<N: Names> fmt::Display for $t<N> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl<N: Names> Serialize for $t<N> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de, N: Names> Deserialize<'de> for $t<N> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(NameIndex(N::NAMES)).map(Self::at)
            }
        }
        impl<N: Names> JsonSchema for $t<N> {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(N::NAME)
            }
            fn schema_id() -> Cow<'static, str> {
                Cow::Borrowed(N::ID)
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                choice_schema(N::NAMES, $open.then_some(OTHER_DOC), N::DOC)
            }
        }
    };
}

name_index!(Listed, true);
name_index!(Member, false);

/// A list of names as a fieldless enum (generated per enum and set field,
/// and per event): `ALL[i]` is sent as `NAMES[i]`.
pub trait Choice: Sized + Copy + 'static {
    const ALL: &'static [Self];
    const NAMES: &'static [&'static str];
}

/// `Deserialize` of a [`Choice`]: one of its names, as a string.
pub fn choice_deserialize<'de, T: Choice, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_str(NameIndex(T::NAMES)).map(|i| T::ALL[i])
}

/// A string that must be one of a list of names: its index.
struct NameIndex(&'static [&'static str]);

impl<'de> de::Visitor<'de> for NameIndex {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("one of the listed names")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|n| *n == v)
            .ok_or_else(|| E::unknown_variant(v, self.0))
    }
}

/// The schema of a [`Choice`] described by `description`: its names; when
/// `other` is set, the last name is the documented catch-all.
pub fn choice_schema(names: &[&str], other: Option<&str>, description: &str) -> Schema {
    let mut schema = match (other, names.split_last()) {
        (Some(doc), Some((last, listed))) => json_schema!({
            "oneOf": [
                {"type": "string", "enum": listed},
                {"type": "string", "const": last, "description": doc},
            ],
        }),
        _ => json_schema!({"type": "string", "enum": names}),
    };
    describe(&mut schema, "", description);
    schema
}

/// Sets a schema's `title` and `description` where they are not empty.
pub fn describe(schema: &mut Schema, title: &str, description: &str) {
    if !title.is_empty() {
        schema.insert("title".into(), title.into());
    }
    if !description.is_empty() {
        schema.insert("description".into(), description.into());
    }
}

/// One property of a generated struct's schema: its key, its schema
/// (titled and described by its doc comment), and whether it may be left out.
pub fn property(
    key: &'static str,
    mut schema: Schema,
    title: &str,
    description: &str,
    optional: bool,
) -> (&'static str, Schema, bool) {
    describe(&mut schema, title, description);
    (key, schema, optional)
}

/// The schema of a generated struct: an object of `properties`, nothing else.
pub fn object_schema(
    title: &str,
    description: &str,
    properties: Vec<(&'static str, Schema, bool)>,
) -> Schema {
    let mut schema = json_schema!({"type": "object", "additionalProperties": false});
    let required: Vec<&str> = properties.iter().filter(|p| !p.2).map(|p| p.0).collect();
    if !properties.is_empty() {
        let properties: serde_json::Map<String, serde_json::Value> = properties
            .into_iter()
            .map(|(key, schema, _)| (key.to_string(), schema.into()))
            .collect();
        schema.insert("properties".into(), properties.into());
    }
    if !required.is_empty() {
        schema.insert("required".into(), required.into());
    }
    describe(&mut schema, title, description);
    schema
}

/// A generated struct's field names, read as map keys: the index of the
/// name, and an error naming the expected ones for any other key.
pub struct FieldIndex(pub &'static [&'static str]);

impl<'de> de::DeserializeSeed<'de> for FieldIndex {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> de::Visitor<'de> for FieldIndex {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|n| *n == v)
            .ok_or_else(|| E::unknown_field(v, self.0))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.visit_str(s),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
        }
    }
}

/// A generated struct's fields as a tuple, read from a map: the values of
/// `fields` by index, each exactly once, no other key. Implemented for
/// tuples of up to 16 fields; a larger struct reads its fields itself.
pub trait FieldTuple<'de>: Sized {
    fn read<A: de::MapAccess<'de>>(
        map: A,
        fields: &'static [&'static str],
    ) -> Result<Self, A::Error>;
}

/// References to a generated struct's fields as a tuple, written in order.
pub trait FieldRefs {
    fn write<S: SerializeStruct>(
        self,
        st: &mut S,
        fields: &'static [&'static str],
    ) -> Result<(), S::Error>;
}

macro_rules! field_tuples {
    ($($T:ident $i:tt),+) => {
        impl<'de, $($T: Deserialize<'de>),+> FieldTuple<'de> for ($($T,)+) {
            fn read<Map: de::MapAccess<'de>>(
                mut map: Map,
                fields: &'static [&'static str],
            ) -> Result<Self, Map::Error> {
                let mut slots = ($(None::<$T>,)+);
                while let Some(i) = map.next_key_seed(FieldIndex(fields))? {
                    match i {
                        $($i => field_value(&mut slots.$i, &mut map, fields[$i])?,)+
                        _ => return Err(de::Error::custom("a field index out of range")),
                    }
                }
                Ok(($(field_required(slots.$i, fields[$i])?,)+))
            }
        }
        impl<$($T: Serialize),+> FieldRefs for ($(&$T,)+) {
            fn write<St: SerializeStruct>(
                self,
                st: &mut St,
                fields: &'static [&'static str],
            ) -> Result<(), St::Error> {
                $(st.serialize_field(fields[$i], self.$i)?;)+
                Ok(())
            }
        }
    };
}

field_tuples!(A 0);
field_tuples!(A 0, B 1);
field_tuples!(A 0, B 1, C 2);
field_tuples!(A 0, B 1, C 2, D 3);
field_tuples!(A 0, B 1, C 2, D 3, E 4);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14);
field_tuples!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15);

/// The most fields a struct reads and writes through [`FieldTuple`] and
/// [`FieldRefs`].
pub const MAX_TUPLE_FIELDS: usize = 16;

/// `Deserialize` of a generated struct named `name` whose required `fields`
/// are read as the tuple `T`.
pub fn deserialize_record<'de, D: Deserializer<'de>, T: FieldTuple<'de>>(
    d: D,
    name: &'static str,
    fields: &'static [&'static str],
) -> Result<T, D::Error> {
    struct Fields<T> {
        name: &'static str,
        fields: &'static [&'static str],
        tuple: PhantomData<T>,
    }
    impl<'de, T: FieldTuple<'de>> de::Visitor<'de> for Fields<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "struct {}", self.name)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::read(map, self.fields)
        }
    }
    d.deserialize_struct(
        name,
        fields,
        Fields {
            name,
            fields,
            tuple: PhantomData,
        },
    )
}

/// `Serialize` of a generated struct named `name`: its `fields`, with the
/// values `refs`, in order.
pub fn serialize_record<S: Serializer, R: FieldRefs>(
    s: S,
    name: &'static str,
    fields: &'static [&'static str],
    refs: R,
) -> Result<S::Ok, S::Error> {
    let mut st = s.serialize_struct(name, fields.len())?;
    refs.write(&mut st, fields)?;
    st.end()
}

/// A generated struct whose fields are all optional (an event's metrics, a
/// map's keys), read and written field by field: its impls are a line per
/// field, and the loop around them is [`deserialize_optional`] and
/// [`serialize_optional`], shared.
pub trait OptionalFields: Default {
    const NAME: &'static str;
    const FIELDS: &'static [&'static str];
    /// Reads the value of field `i` (`null` is `None`).
    fn read<'de, A: de::MapAccess<'de>>(&mut self, i: usize, map: &mut A) -> Result<(), A::Error>;
    /// Writes the fields that are set.
    fn write<S: SerializeStruct>(&self, st: &mut S) -> Result<(), S::Error>;
    /// How many fields are set.
    fn present(&self) -> usize;
}

/// `Deserialize` of an [`OptionalFields`] struct: any of its fields, each
/// at most once, no other key.
pub fn deserialize_optional<'de, D: Deserializer<'de>, T: OptionalFields>(
    d: D,
) -> Result<T, D::Error> {
    struct Fields<T>(PhantomData<T>);
    impl<'de, T: OptionalFields> de::Visitor<'de> for Fields<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "struct {}", T::NAME)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut value = T::default();
            let mut seen = vec![false; T::FIELDS.len()];
            while let Some(i) = map.next_key_seed(FieldIndex(T::FIELDS))? {
                if std::mem::replace(&mut seen[i], true) {
                    return Err(de::Error::duplicate_field(T::FIELDS[i]));
                }
                value.read(i, &mut map)?;
            }
            Ok(value)
        }
    }
    d.deserialize_struct(T::NAME, T::FIELDS, Fields(PhantomData))
}

/// `Serialize` of an [`OptionalFields`] struct: the fields that are set.
pub fn serialize_optional<S: Serializer, T: OptionalFields>(
    value: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut st = s.serialize_struct(T::NAME, value.present())?;
    value.write(&mut st)?;
    st.end()
}

/// Reads the value of field `name` into its slot; a second one is an error.
pub fn field_value<'de, T: Deserialize<'de>, A: de::MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of the required field `name`, which must have been read.
pub fn field_required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

// ---------------------------------------------------------------------------
// Pattern-bounded strings

/// A string pattern compiled to a byte-level automaton at codegen time
/// (generated per string field), so no regex engine is needed here.
pub trait Pattern: 'static {
    /// The pattern, as declared (it must match the whole value).
    const PATTERN: &'static str;
    /// Longest value, in characters.
    const MAX_LEN: usize;
    /// Byte → equivalence class.
    const CLASSES: &'static [u8; 256];
    /// Transition table: `TRANSITIONS[state * CLASS_COUNT + class]`; state 0 is dead.
    const TRANSITIONS: &'static [u16];
    const CLASS_COUNT: usize;
    /// The start state.
    const START: u16;
    /// `ACCEPT[state]`: the input matched if it ends in this state.
    const ACCEPT: &'static [bool];

    /// Whether `s` matches the whole pattern.
    fn matches(s: &str) -> bool {
        let mut state = usize::from(Self::START);
        for b in s.bytes() {
            let class = usize::from(Self::CLASSES[usize::from(b)]);
            state = usize::from(Self::TRANSITIONS[state * Self::CLASS_COUNT + class]);
            if state == 0 {
                return false;
            }
        }
        Self::ACCEPT[state]
    }
}

/// A string that matches its field's pattern and length bound.
pub struct Text<P: Pattern> {
    value: String,
    _pattern: PhantomData<P>,
}

/// A raw string that does not fit a [`Text`] field (it is not kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rejected;

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value does not match the field's pattern or length bound")
    }
}

impl std::error::Error for Rejected {}

impl<P: Pattern> Text<P> {
    pub fn new(raw: &str) -> Result<Self, Rejected> {
        if raw.chars().count() <= P::MAX_LEN && P::matches(raw) {
            Ok(Text {
                value: raw.to_string(),
                _pattern: PhantomData,
            })
        } else {
            Err(Rejected)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl<P: Pattern> Clone for Text<P> {
    fn clone(&self) -> Self {
        Text {
            value: self.value.clone(),
            _pattern: PhantomData,
        }
    }
}

impl<P: Pattern> PartialEq for Text<P> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<P: Pattern> fmt::Debug for Text<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({:?})", self.value)
    }
}

impl<P: Pattern> Serialize for Text<P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.value)
    }
}

impl<'de, P: Pattern> Deserialize<'de> for Text<P> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        Text::new(&s).map_err(|_| {
            de::Error::custom(format_args!(
                "`{s}` does not match the pattern `{}`",
                P::PATTERN
            ))
        })
    }
}

impl<P: Pattern> JsonSchema for Text<P> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Text")
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": format!("^(?:{})$", P::PATTERN),
            "maxLength": P::MAX_LEN,
        })
    }
}

// ---------------------------------------------------------------------------
// The envelope

/// A random installation id (UUID version 4), generated on the client and
/// never derived from host data. Store it; delete it to reset.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct InstallationId([u8; 16]);

impl InstallationId {
    /// A fresh random id.
    ///
    /// The randomness comes from the standard library's per-process random
    /// hash keys (seeded from the operating system), mixed with the clock, so
    /// this crate needs no random-number dependency.
    pub fn generate() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut bytes = [0u8; 16];
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
                h.write_u128(t.as_nanos());
            }
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
        bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
        bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
        InstallationId(bytes)
    }

    /// Parses a stored id; only a lowercase hyphenated UUIDv4 is accepted, so
    /// nothing else (a hostname, a MAC address) can end up in its place.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 36 {
            return None;
        }
        let mut bytes = [0u8; 16];
        let mut n = 0;
        let mut i = 0;
        while i < 36 {
            if matches!(i, 8 | 13 | 18 | 23) {
                if b[i] != b'-' {
                    return None;
                }
                i += 1;
                continue;
            }
            let hi = hex(b[i])?;
            let lo = hex(b[i + 1])?;
            bytes[n] = hi << 4 | lo;
            n += 1;
            i += 2;
        }
        (bytes[6] >> 4 == 4 && bytes[8] >> 6 == 0b10).then_some(InstallationId(bytes))
    }

    const PATTERN: &'static str =
        "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

impl fmt::Display for InstallationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for InstallationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InstallationId({self})")
    }
}

impl Serialize for InstallationId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for InstallationId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        InstallationId::parse(&s)
            .ok_or_else(|| de::Error::custom(format_args!("`{s}` is not a lowercase UUIDv4")))
    }
}

impl JsonSchema for InstallationId {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("InstallationId")
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": Self::PATTERN,
            "description": "A random UUIDv4 generated by the client, never derived from host data; reset by deleting it.",
        })
    }
}

/// The payload schema version `N`: serialized as the number, and only `N` is
/// accepted back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SchemaVersion<const N: u32>;

impl<const N: u32> Serialize for SchemaVersion<N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(N)
    }
}

impl<'de, const N: u32> Deserialize<'de> for SchemaVersion<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u32::deserialize(d)?;
        if v == N {
            Ok(SchemaVersion)
        } else {
            Err(de::Error::custom(format_args!(
                "schema version {v} is not {N}"
            )))
        }
    }
}

impl<const N: u32> JsonSchema for SchemaVersion<N> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Owned(format!("SchemaVersion{N}"))
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "const": N })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Hypervisors;
    impl Names for Hypervisors {
        const LIST: NameList = NameList {
            names: &["kvm", "qemu", "other"],
            type_name: "HypervisorValue",
            id: "tests::HypervisorValue",
            doc: "Values of `hypervisor`.",
        };
    }
    type Hypervisor = Listed<Hypervisors>;

    #[test]
    fn listed_values_keep_to_their_list() {
        assert_eq!(Hypervisor::VALUES, ["kvm", "qemu"]);
        assert_eq!(Hypervisor::from_raw("qemu"), Hypervisor::at(1));
        assert_eq!(Hypervisor::from_raw("xen"), Hypervisor::Other);
        assert_eq!(Hypervisor::from_raw("other").as_str(), "other");
        assert_eq!(Hypervisor::at(99), Hypervisor::Other);
        assert!(Hypervisor::at(0) < Hypervisor::Other);
        assert_eq!(
            format!("{:?}", Hypervisor::at(0)),
            "HypervisorValue(\"kvm\")"
        );
        assert_eq!(
            serde_json::to_string(&Hypervisor::Other).unwrap(),
            "\"other\""
        );
        assert_eq!(
            serde_json::from_str::<Hypervisor>("\"other\"").unwrap(),
            Hypervisor::Other
        );
        let err = serde_json::from_str::<Hypervisor>("\"xen\"").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown variant `xen`, expected one of `kvm`, `qemu`, `other` at line 1 column 5"
        );
        assert!(serde_json::from_str::<Hypervisor>("1").is_err());
        assert!(serde_json::from_str::<Hypervisor>("{\"kvm\": null}").is_err());
    }

    #[test]
    fn set_members_are_only_listed_names() {
        struct Roles;
        impl Names for Roles {
            const LIST: NameList = NameList {
                names: &["compute", "controller"],
                type_name: "RolesItem",
                id: "tests::RolesItem",
                doc: "Items of `roles`.",
            };
        }
        type Role = Member<Roles>;
        assert_eq!(Role::from_name("controller"), Some(Role::at(1)));
        assert_eq!(Role::from_name("other"), None);
        let set = Set::<Role>::from_names(["controller", "compute", "gpu", "controller"]);
        assert_eq!(
            serde_json::to_string(&set).unwrap(),
            r#"{"items":["compute","controller"],"unknown":"1"}"#
        );
        assert!(serde_json::from_str::<Role>("\"other\"").is_err());
    }

    /// A struct as privet writes it (see `generate/impls.rs`), to hold the
    /// shared field functions to serde's `deny_unknown_fields` behavior.
    #[derive(Debug, PartialEq)]
    struct Pair {
        a: bool,
        b: Option<bool>,
    }

    impl<'de> Deserialize<'de> for Pair {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            const FIELDS: &[&str] = &["a", "b"];
            struct Fields;
            impl<'de> de::Visitor<'de> for Fields {
                type Value = Pair;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("struct Pair")
                }
                fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Pair, A::Error> {
                    let mut f0 = None;
                    let mut f1 = None;
                    while let Some(i) = map.next_key_seed(FieldIndex(FIELDS))? {
                        match i {
                            0 => field_value(&mut f0, &mut map, FIELDS[0])?,
                            _ => field_value(&mut f1, &mut map, FIELDS[1])?,
                        }
                    }
                    Ok(Pair {
                        a: field_required(f0, FIELDS[0])?,
                        b: f1.flatten(),
                    })
                }
            }
            d.deserialize_struct("Pair", FIELDS, Fields)
        }
    }

    #[test]
    fn generated_structs_refuse_what_serde_derive_refused() {
        let parse = |s: &str| serde_json::from_str::<Pair>(s).map_err(|e| e.to_string());
        assert_eq!(parse(r#"{"a": true}"#), Ok(Pair { a: true, b: None }));
        assert_eq!(
            parse(r#"{"b": false, "a": true}"#),
            Ok(Pair {
                a: true,
                b: Some(false)
            })
        );
        assert_eq!(
            parse(r#"{"a": true, "b": null}"#),
            Ok(Pair { a: true, b: None })
        );
        assert_eq!(
            parse(r#"{"a": true, "c": 1}"#),
            Err("unknown field `c`, expected `a` or `b` at line 1 column 15".into())
        );
        assert_eq!(
            parse(r#"{"a": true, "a": false}"#),
            Err("duplicate field `a` at line 1 column 15".into())
        );
        assert_eq!(
            parse(r#"{"b": true}"#),
            Err("missing field `a` at line 1 column 11".into())
        );
        assert!(
            parse(r#"[true, null]"#).is_err(),
            "an array is not an object"
        );
    }

    struct Edges;
    impl Buckets for Edges {
        const TABLE: BucketTable = BucketTable {
            edges: &[1, 3, 10],
            labels: &["0", "1-2", "3-9", "10+"],
        };
    }

    #[test]
    fn counts_bucket() {
        let label = |n| Count::<Edges>::new(n).label();
        assert_eq!(
            [
                label(0),
                label(1),
                label(2),
                label(3),
                label(9),
                label(10),
                label(u64::MAX)
            ],
            ["0", "1-2", "1-2", "3-9", "3-9", "10+", "10+"]
        );
        assert_eq!(Count::<Edges>::from_signed(-5).label(), "0");
    }

    #[test]
    fn durations_drop_partial_units() {
        let d = Duration::<Edges, Days>::new(std::time::Duration::from_secs(86_400 * 3 - 1));
        assert_eq!(d.label(), "1-2");
        assert_eq!(Duration::<Edges, Days>::from_seconds(-1).label(), "0");
        let latency = Duration::<Edges, Milliseconds>::new(std::time::Duration::from_micros(2_999));
        assert_eq!(latency.label(), "1-2");
        assert_eq!(
            Duration::<Edges, Seconds>::from_millis(9_999).label(),
            "3-9"
        );
        assert_eq!(Duration::<Edges, Minutes>::from_seconds(179).label(), "1-2");
    }

    #[test]
    fn bounded_versions_send_only_their_ranges() {
        struct Calendar;
        impl PartRanges for Calendar {
            const RANGES: &'static [(u32, u32)] = &[(2020, 2099), (1, 12)];
            const PATTERN: &'static str = "";
        }
        type Release = Bounded<2, Calendar>;
        assert_eq!(Release::parse("2024.11.2").to_string(), "2024.11");
        assert_eq!(Release::parse("2024.13").to_string(), "unknown");
        assert_eq!(Release::parse("2019.5").to_string(), "unknown");
        assert_eq!(Release::from_numbers(&[2024, 0]).to_string(), "unknown");
        assert_eq!(
            Release::from(MinorVersion::parse("2025.1")).to_string(),
            "2025.1"
        );
        // Two address octets do not fit.
        assert!(Release::parse("192.168").is_unknown());
        let sent: Release = serde_json::from_str("\"2024.11\"").unwrap();
        assert_eq!(sent, Release::parse("2024.11"));
        assert!(serde_json::from_str::<Release>("\"2024.13\"").is_err());
    }

    #[test]
    fn versions_reduce() {
        assert_eq!(MinorVersion::parse("3.21.4-dev+g1a2b").to_string(), "3.21");
        assert_eq!(MinorVersion::parse("v24.11.0").to_string(), "24.11");
        assert_eq!(MajorVersion::parse("6.1.0-13-amd64").to_string(), "6");
        assert_eq!(MinorVersion::parse("13").to_string(), "unknown");
        // A build stamp in version clothes is not a version.
        assert_eq!(
            MinorVersion::parse("20261130.235959").to_string(),
            "unknown"
        );
        assert_eq!(MinorVersion::parse("2024.11.3").to_string(), "2024.11");
        assert_eq!(
            MinorVersion::parse("admin@db01.example.org").to_string(),
            "unknown"
        );
        assert_eq!(MinorVersion::parse("10.0.0.1").to_string(), "10.0");
        assert_eq!(MajorVersion::parse("1718236800123").to_string(), "unknown");
        assert_eq!(MinorVersion::parse("3a.1").to_string(), "unknown");
        assert_eq!(MajorVersion::from_numbers(&[13]).to_string(), "13");
        assert_eq!(MinorVersion::from_numbers(&[13]).to_string(), "unknown");
        assert!(serde_json::from_str::<MinorVersion>("\"3.21.4\"").is_err());
        assert!(serde_json::from_str::<MinorVersion>("\"03.21\"").is_err());
        assert!(serde_json::from_str::<MinorVersion>("\"3.21\"").is_ok());
    }

    #[test]
    fn dates_truncate() {
        let d = Date::<Week>::from_ymd(2026, 11, 26).unwrap();
        assert_eq!(d.to_string(), "2026-11-23");
        assert_eq!(
            Date::<Month>::from_ymd(2026, 11, 26).unwrap().to_string(),
            "2026-11-01"
        );
        assert_eq!(
            Date::<Day>::from_unix_seconds(1_718_236_800 + 3_599).to_string(),
            "2024-06-13"
        );
        assert!(Date::<Day>::from_ymd(2026, 2, 30).is_none());
        assert!(serde_json::from_str::<Date<Week>>("\"2026-11-26\"").is_err());
        assert!(serde_json::from_str::<Date<Day>>("\"2026-11-26T10:00:00Z\"").is_err());
        assert!(serde_json::from_str::<Date<Week>>("\"2026-11-23\"").is_ok());
        assert_eq!(
            Date::<Day>::from_unix_seconds(i64::MIN).to_string(),
            "0001-01-01"
        );
        assert_eq!(
            Date::<Day>::from_unix_seconds(i64::MAX).to_string(),
            "9999-12-31"
        );
    }

    #[test]
    fn installation_ids_are_v4_and_strict() {
        let a = InstallationId::generate();
        let b = InstallationId::generate();
        assert_ne!(a, b);
        let s = a.to_string();
        assert_eq!(InstallationId::parse(&s), Some(a));
        assert_eq!(&s[14..15], "4");
        assert!(InstallationId::parse("db01.example.org").is_none());
        assert!(InstallationId::parse(&s.to_uppercase()).is_none());
        // a UUIDv7 (Pulp's systemId) is not a v4
        assert!(InstallationId::parse("018f2b6e-4c1a-7d3e-9b5f-2a6c8e0d4f17").is_none());
    }
}
