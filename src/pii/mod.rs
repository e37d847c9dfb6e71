//! The PII detection engine: finds personal data and identifying values in
//! text and, structure-aware, in JSON payloads.
//!
//! All text patterns are alternatives of one regular expression, so a string
//! is scanned once for every kind; each candidate is then checked by a
//! validator (octet ranges, Luhn, IBAN mod 97, real IPv6 syntax, known
//! top-level domains, entropy) to cut false positives. On JSON, every value
//! is scanned with its key as context: a 16-digit `db_size_bytes` is not a
//! card number, a four-part `build_id` is not an IP address, a `*_key` or
//! `password` holds a secret whatever it looks like, a time-point key holding
//! an epoch number to the second is a timestamp.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex_automata::Input;
use regex_automata::meta::Regex as MetaRegex;

mod address;
pub mod json;
pub mod names;
pub mod public_hosts;
pub mod witness;

use public_hosts::public_host;

/// What kind of personal or identifying data a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Email,
    Ipv4,
    Ipv6,
    Mac,
    Hostname,
    UrlCredentials,
    HomePath,
    Phone,
    CardNumber,
    Iban,
    Secret,
    GeoCoordinate,
    Timestamp,
    PersistentId,
    PersonName,
    Username,
    StreetAddress,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Email,
        Kind::Ipv4,
        Kind::Ipv6,
        Kind::Mac,
        Kind::Hostname,
        Kind::UrlCredentials,
        Kind::HomePath,
        Kind::Phone,
        Kind::CardNumber,
        Kind::Iban,
        Kind::Secret,
        Kind::GeoCoordinate,
        Kind::Timestamp,
        Kind::PersistentId,
        Kind::PersonName,
        Kind::Username,
        Kind::StreetAddress,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Ipv4 => "ipv4",
            Kind::Ipv6 => "ipv6",
            Kind::Mac => "mac",
            Kind::Hostname => "hostname",
            Kind::UrlCredentials => "url-credentials",
            Kind::HomePath => "home-path",
            Kind::Phone => "phone",
            Kind::CardNumber => "card-number",
            Kind::Iban => "iban",
            Kind::Secret => "secret",
            Kind::GeoCoordinate => "geo-coordinate",
            Kind::Timestamp => "timestamp",
            Kind::PersistentId => "persistent-id",
            Kind::PersonName => "person-name",
            Kind::Username => "username",
            Kind::StreetAddress => "street-address",
        }
    }

    /// Why values of this kind are a problem, for reports.
    pub fn why(self) -> &'static str {
        match self {
            Kind::Email => "an email address names a person or a team",
            Kind::Ipv4 | Kind::Ipv6 => "an IP address or network range locates an installation",
            Kind::Mac => "a MAC address identifies a machine for life",
            Kind::Hostname => "a host name identifies an installation and often its owner",
            Kind::UrlCredentials => "a URL with a user name and password leaks credentials",
            Kind::HomePath => "a home directory path names a user account",
            Kind::Phone => "a phone number identifies a person",
            Kind::CardNumber => "a payment card number (Luhn-valid) is financial data",
            Kind::Iban => "a bank account number (IBAN, mod-97 valid) is financial data",
            Kind::Secret => "a secret or token gives access to a system",
            Kind::GeoCoordinate => "coordinates locate a site",
            Kind::Timestamp => "a time to the second or finer links reports to events",
            Kind::PersistentId => "a persistent identifier links reports over time",
            Kind::PersonName => "a person's name identifies them",
            Kind::Username => "a login names a person's account",
            Kind::StreetAddress => "a street address locates a person or a site",
        }
    }
}

/// One detected value: its kind and byte range in the scanned text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub range: Range<usize>,
}

/// What one registry adds to the PII engine (`[pii]` in `privet.toml`):
/// its project's own public service domains, whose hosts identify no
/// installation. A value passed down with the run (never a process-wide
/// list): two registries in one process each get their own, and a library
/// user gets what the command line gets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    public_hosts: Vec<String>,
}

impl Settings {
    /// Settings with `public_hosts` (domains; case and a trailing dot do
    /// not matter).
    pub fn new(public_hosts: &[String]) -> Self {
        let mut hosts: Vec<String> = public_hosts
            .iter()
            .map(|d| d.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        hosts.sort();
        hosts.dedup();
        Settings {
            public_hosts: hosts,
        }
    }

    /// Whether a finding of `kind` whose text is `matched` stands: a host
    /// under one of the registry's public domains does not.
    pub fn keeps(&self, kind: Kind, matched: &str) -> bool {
        kind != Kind::Hostname
            || !self
                .public_hosts
                .iter()
                .any(|d| public_hosts::under(matched, d))
    }

    /// [`scan_value`] under these settings.
    pub fn scan_value(&self, text: &str, key: &str) -> Vec<Finding> {
        let mut found = scan_value(text, key);
        found.retain(|f| self.keeps(f.kind, text.get(f.range.clone()).unwrap_or("")));
        found
    }

    /// Drops the findings of a JSON scan of `input` these settings do not
    /// keep.
    pub fn retain_json(&self, input: &str, found: &mut Vec<JsonFinding>) {
        if self.public_hosts.is_empty() {
            return;
        }
        found.retain(|f| self.keeps(f.kind, input.get(f.range.clone()).unwrap_or("")));
    }

    /// [`scan_json`] under these settings.
    pub fn scan_json(&self, input: &str) -> Result<Vec<JsonFinding>, json::Error> {
        let mut found = scan_json(input)?;
        self.retain_json(input, &mut found);
        Ok(found)
    }

    /// [`scan_json_partial`] under these settings.
    pub fn scan_json_partial(&self, input: &str) -> (Vec<JsonFinding>, Option<json::Error>) {
        let line = self.scan_json_line(input, None);
        (line.findings, line.error)
    }

    /// [`scan_json_line`] under these settings.
    pub fn scan_json_line(&self, input: &str, id_pointer: Option<&str>) -> ScannedLine {
        let mut line = scan_json_line(input, id_pointer);
        self.retain_json(input, &mut line.findings);
        line
    }

    /// [`scan_json_documents`] under these settings.
    pub fn scan_json_documents(&self, input: &str) -> (Vec<JsonFinding>, Vec<json::Document>) {
        let (mut found, documents) = scan_json_documents(input);
        self.retain_json(input, &mut found);
        (found, documents)
    }
}

/// A detector of the PII engine: one alternative of the one pattern, and
/// the validator that judges what it matched ([`classify`]). Declared once,
/// in [`DETECTORS`]; every `match` over detectors is exhaustive, so a new
/// one cannot be forgotten in a validator and no name falls back to
/// another kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Detector {
    PrivateKey,
    Jwt,
    Token,
    UrlCredentials,
    Email,
    Uuid,
    Mac,
    Timestamp,
    EpochAfterLabel,
    Geo,
    Ipv6,
    Ipv4,
    Iban,
    Card,
    Phone,
    Home,
    HexId,
    Host,
    HighEntropyToken,
}

impl Detector {
    /// Its short name (what a pattern analysis reports).
    pub fn name(self) -> &'static str {
        match self {
            Detector::PrivateKey => "privatekey",
            Detector::Jwt => "jwt",
            Detector::Token => "token",
            Detector::UrlCredentials => "urlcred",
            Detector::Email => "email",
            Detector::Uuid => "uuid",
            Detector::Mac => "mac",
            Detector::Timestamp => "ts",
            Detector::EpochAfterLabel => "epochkv",
            Detector::Geo => "geo",
            Detector::Ipv6 => "ipv6",
            Detector::Ipv4 => "ipv4",
            Detector::Iban => "iban",
            Detector::Card => "card",
            Detector::Phone => "phone",
            Detector::Home => "home",
            Detector::HexId => "hexid",
            Detector::Host => "host",
            Detector::HighEntropyToken => "hightoken",
        }
    }

    /// The kind it reports when its validator agrees.
    pub fn kind(self) -> Kind {
        DETECTORS
            .iter()
            .find(|(d, _, _)| *d == self)
            .map(|(_, kind, _)| *kind)
            .expect("every detector is declared in DETECTORS")
    }

    /// Every detector, in priority order.
    pub fn all() -> impl Iterator<Item = Detector> {
        DETECTORS.iter().map(|(d, _, _)| *d)
    }
}

/// The detectors, in priority order: each with the kind it reports and its
/// alternative of the one pattern.
const DETECTORS: &[(Detector, Kind, &str)] = &[
    (
        Detector::PrivateKey,
        Kind::Secret,
        r"-----BEGIN (?:[A-Z]{1,16} ){0,4}PRIVATE KEY-----",
    ),
    (
        Detector::Jwt,
        Kind::Secret,
        r"\beyJ[A-Za-z0-9_-]{5,2048}\.eyJ[A-Za-z0-9_-]{5,2048}\.[A-Za-z0-9_-]{0,1024}",
    ),
    (
        Detector::Token,
        Kind::Secret,
        r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,255}\b|\bxox[abprs]-[A-Za-z0-9-]{10,255}|\bAIza[0-9A-Za-z_-]{35}\b|\b[sr]k_live_[0-9A-Za-z]{20,255}\b|\bglpat-[0-9A-Za-z_-]{20}\b",
    ),
    (
        Detector::UrlCredentials,
        Kind::UrlCredentials,
        r"(?i)\b[a-z][a-z0-9+.-]{0,31}://[^\s/:@]{1,256}:[^\s/@]{1,256}@[^\s/?#]{1,253}",
    ),
    (
        Detector::Email,
        Kind::Email,
        r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?){0,16}",
    ),
    (
        Detector::Uuid,
        Kind::PersistentId,
        r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
    ),
    (
        Detector::Mac,
        Kind::Mac,
        r"(?i)\b[0-9a-f]{2}(?:[:-][0-9a-f]{2}){7}\b|\b[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}\b|\b[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}\b|[0-9a-f]{2}(?:_[0-9a-f]{2}){5}\b",
    ),
    (
        Detector::Timestamp,
        Kind::Timestamp,
        r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?|\b\d{2}[-/]\d{2}[-/]\d{4}[ T]\d{2}:\d{2}(?::\d{2})?|\b\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\b|\b\d{1,10}-\d{2}:\d{2}:\d{2}\b|\b\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?\b|\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?\b",
    ),
    // An epoch time written after a time label in text (`TIME:1706659201`,
    // logfmt's `ts=1706659201`).
    (
        Detector::EpochAfterLabel,
        Kind::Timestamp,
        r"(?i)\b(?:time|timestamp|ts|date|created|updated|seen|since)\s?[:=]\s?\d{10}(?:\d{3})?\b|^\[?\d{10}(?:\d{3})?(?:\.\d{1,9})?\]?:? ",
    ),
    (
        Detector::Geo,
        Kind::GeoCoordinate,
        r"[-+]?\b\d{1,2}\.\d{4,15}\s{0,8},\s{0,8}[-+]?\d{1,3}\.\d{4,15}\b|[-+]?\b\d{1,2}\.\d{4,15}\s{1,4}[-+]?\d{1,3}\.\d{4,15}\b|(?i:point)\s{0,4}\(\s{0,4}[-+]?\d{1,3}\.\d{4,15}\s{1,8}[-+]?\d{1,2}\.\d{4,15}\s{0,4}\)",
    ),
    (
        Detector::Ipv6,
        Kind::Ipv6,
        r"(?i)(?:\b[0-9a-f]{1,4})?(?::[0-9a-f]{0,4}){2,7}(?:%[0-9a-z]{1,32})?(?:/\d{1,3})?",
    ),
    (
        Detector::Ipv4,
        Kind::Ipv4,
        r"\b(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?\b",
    ),
    (
        Detector::Iban,
        Kind::Iban,
        r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b",
    ),
    (
        Detector::Card,
        Kind::CardNumber,
        r"\b\d(?:[ -]?\d){12,18}\b",
    ),
    (
        Detector::Phone,
        Kind::Phone,
        r"\+\d[\d ().-]{7,18}\d|\b\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b|(?:\(0\)|\b0)\d{1,4}[ /-]\d{2,8}(?:[ -]\d{2,5})?\b",
    ),
    (
        Detector::Home,
        Kind::HomePath,
        r#"(?:/home/|/Users/|/var/home/)[A-Za-z0-9._-]{1,64}|/run/media/[a-z_][a-z0-9._-]{0,31}/|(?i:[A-Z]:(?:\\{1,2}|/)(?:Users|Documents and Settings)(?:\\{1,2}|/))[^\\/\s'"]{1,64}|~[A-Za-z][A-Za-z0-9._-]{0,63}/"#,
    ),
    (
        Detector::HexId,
        Kind::PersistentId,
        r"(?i)\b(?:[0-9a-f]{64}|[0-9a-f]{32})\b",
    ),
    // `{TLD}` stands for the shape of a top-level domain ([`with_tlds`]);
    // the validator then asks the public-suffix list, so dotted names
    // without a real one (`django.contrib.auth`, `redwood.3`) are dropped.
    (
        Detector::Host,
        Kind::Hostname,
        r"(?i)\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,16}(?:{TLD})\b",
    ),
    (
        Detector::HighEntropyToken,
        Kind::Secret,
        r"[A-Za-z0-9+/_=-]{28,512}",
    ),
];

/// All detectors as one multi-pattern automaton: one search reports both
/// where the leftmost match is and which detector (pattern) it belongs to,
/// without running a capture engine.
///
/// Its long counted repetitions are unbounded ([`LOOSE_FROM`]): a lazy DFA
/// that counts a label's 63 bytes, a token's 512 and a JWT's 2,048 at once
/// builds a state for each combination of counts, and on varied traffic
/// building states was most of the search. It searches short texts only
/// ([`LOOSE_TEXT_BYTES`]), where most values are. Each match is then held to the
/// bounds ([`fits_exactly`]); one that breaks them (a label of 70 bytes) is
/// searched again with the exact patterns ([`exact_regex`]). The first
/// match of the loose patterns, when it fits the bounds, is the exact
/// patterns' first match too: they match a subset of what the loose ones
/// do, in the same order of preference.
fn regex() -> &'static MetaRegex {
    static RE: OnceLock<MetaRegex> = OnceLock::new();
    RE.get_or_init(|| detectors_automaton(|p| unbounded_from(&with_tlds(p), LOOSE_FROM)))
}

/// The detectors' patterns as written, for the matches that break the
/// bounds [`regex`] leaves out.
fn exact_regex() -> &'static MetaRegex {
    static RE: OnceLock<MetaRegex> = OnceLock::new();
    RE.get_or_init(|| detectors_automaton(with_tlds))
}

/// `pattern` with its word boundaries, digits and spaces read as ASCII's.
/// What the detectors look for is ASCII: a Unicode `\d` (hundreds of
/// digits of other scripts) or `\s` adds a multi-byte branch at every place
/// a digit or a space may come, and the lazy DFA builds those branches into
/// each state, which on varied traffic was most of a search's time. A
/// Unicode word boundary also cannot be decided by a lazy DFA past a byte
/// outside ASCII: it gives the whole search to a far slower engine there (a
/// seventh of the speed on text with names in other scripts). A letter of
/// another script beside a match ends a word, as punctuation does.
fn ascii_classes(pattern: &str) -> String {
    pattern
        .replace(r"\b", r"(?-u:\b)")
        .replace(r"\d", "[0-9]")
        .replace(r"\s", r"[\t\n\x0B\x0C\r ]")
}

/// The detectors' patterns, each as `pattern` writes it, as one automaton.
/// Its lazy DFA gets a large cache: a small one is cleared over and over
/// on long texts, and the search then gives up the DFA.
fn detectors_automaton(pattern: impl Fn(&str) -> String) -> MetaRegex {
    let patterns: Vec<String> = DETECTORS
        .iter()
        .map(|(_, _, p)| ascii_classes(&pattern(p)))
        .collect();
    MetaRegex::builder()
        .configure(MetaRegex::config().hybrid_cache_capacity(16 << 20))
        .build_many(&patterns)
        .expect("the PII patterns compile")
}

/// Counted repetitions whose upper bound is at least this are unbounded in
/// [`regex`].
const LOOSE_FROM: u32 = 30;

/// `pattern` with every counted repetition `{m,n}` where `n >= from`
/// written `{m,}`.
fn unbounded_from(pattern: &str, from: u32) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let counted = after.find('}').and_then(|close| {
            let (m, n) = after[..close].split_once(',')?;
            let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            (digits(m) && digits(n) && n.parse::<u32>().ok()? >= from).then_some((m, close))
        });
        // An escaped brace (`\{`) is a literal: left as it is.
        let escaped = out.ends_with('\\') && !out.ends_with("\\\\");
        match counted {
            Some((m, close)) if !escaped => {
                out.push('{');
                out.push_str(m);
                out.push_str(",}");
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `s`, matched by `detector`'s loose pattern ([`regex`]), is
/// within the bounds its exact pattern sets on what [`unbounded_from`]
/// unbounded. Where a bound is not read exactly, the test is stricter than
/// the pattern: a match in doubt is searched again exactly, never kept.
fn fits_exactly(detector: Detector, s: &str) -> bool {
    let labels_fit = |domain: &str| domain.split('.').all(|label| label.len() <= 63);
    match detector {
        Detector::Jwt => {
            let mut parts = s.split('.');
            parts.next().is_some_and(|p| p.len() <= 2048)
                && parts.next().is_some_and(|p| p.len() <= 2048)
                && parts.next().is_none_or(|p| p.len() <= 1024)
        }
        // Each token's run of at most 255 after a prefix.
        Detector::Token => s.len() <= 255,
        // The scheme's 32 bytes, then user, password and host of at most
        // 253 each.
        Detector::UrlCredentials => s.len() <= 253 && s.find("://").is_some_and(|i| i <= 32),
        Detector::Email => s
            .split_once('@')
            .is_some_and(|(local, domain)| local.len() <= 64 && labels_fit(domain)),
        Detector::Ipv6 => s
            .split_once('%')
            .is_none_or(|(_, zone)| zone.split('/').next().unwrap_or("").len() <= 32),
        Detector::Home => s.len() <= 64,
        Detector::Host => labels_fit(s),
        Detector::HighEntropyToken => s.len() <= 512,
        Detector::PrivateKey
        | Detector::Uuid
        | Detector::Mac
        | Detector::Timestamp
        | Detector::EpochAfterLabel
        | Detector::Geo
        | Detector::Ipv4
        | Detector::Iban
        | Detector::Card
        | Detector::Phone
        | Detector::HexId => true,
    }
}

/// Texts longer than this are searched with the exact patterns alone: an
/// unbounded repetition keeps a search going to the end of a run (1 MB of
/// `999.999.…` is all an e-mail's local part), so each match would cost
/// the rest of the text. Up to this length that is a few thousand steps at
/// worst; past it, the exact patterns' bounds keep every search short and
/// the whole scan linear.
const LOOSE_TEXT_BYTES: usize = 256;

/// The first match of the detectors in `input`: in a short text,
/// [`regex`]'s held to the exact patterns' bounds; otherwise, and when a
/// loose match breaks a bound, [`exact_regex`]'s.
fn first_match(input: &Input<'_>) -> Option<regex_automata::Match> {
    let text = input.haystack();
    if text.len() > LOOSE_TEXT_BYTES {
        return search(Automaton::Exact, input);
    }
    let m = search(Automaton::Loose, input)?;
    let matched = std::str::from_utf8(&text[m.range()]).unwrap_or("");
    if fits_exactly(DETECTORS[m.pattern().as_usize()].0, matched) {
        Some(m)
    } else {
        search(Automaton::Exact, input)
    }
}

/// `pattern` with `{TLD}` replaced by the shape of a top-level domain:
/// letters, or an internationalized one's ASCII form (`xn--…`). Whether it
/// is one is the public-suffix list's to say ([`known_tld`]).
fn with_tlds(pattern: &str) -> String {
    pattern.replace("{TLD}", "[a-z]{2,24}|xn--[a-z0-9-]{1,59}")
}

/// Special-use and private names that only networks use (RFC 6761, 6762,
/// 8375) and common private suffixes: `nas.home.arpa`,
/// `dc01.ad.example.intra`, `backup.fritz.box`, `registry.lan`. Every other
/// top-level domain is the public-suffix list's ([`icann_tld`]).
const PRIVATE_TLDS: &[&str] = &[
    "local",
    "lan",
    "internal",
    "intranet",
    "corp",
    "home",
    "localdomain",
    "example",
    "test",
    "invalid",
    "localhost",
    "private",
    "priv",
    "intra",
    "arpa",
    "box",
    "lab",
];

/// Whether `label` (lowercase) is a top-level domain the public-suffix
/// list's ICANN section delegates (`com`, `gg`, `shop`, `xn--p1ai`).
fn icann_tld(label: &str) -> bool {
    psl::suffix(label.as_bytes()).is_some_and(|s| {
        s.typ() == Some(psl::Type::Icann) && s.as_bytes().eq_ignore_ascii_case(label.as_bytes())
    })
}

/// Whether `name` is a registrable domain and nothing more (`gmail.com`,
/// `t-online.de`, `acme.co.uk`): an organisation's or a service's name
/// under a suffix the public-suffix list's ICANN section delegates, with
/// no label below it that names a machine (`mail.acme.co.uk`). A suffix
/// from the list's private section (`alice.github.io`) does not count: a
/// name under it is anyone's.
pub fn registrable_domain_only(name: &str) -> bool {
    let name = name.trim_end_matches('.');
    psl::domain(name.as_bytes()).is_some_and(|d| {
        d.suffix().typ() == Some(psl::Type::Icann)
            && d.as_bytes().eq_ignore_ascii_case(name.as_bytes())
    })
}

/// The domain a machine-made host name is drawn under, when its first
/// label is a program's draw (`3c3a92.pit-5.try.coder.app`,
/// `2le4qw-xenon-8081.exp.direct`: a part of six characters or more mixing
/// letters and digits, or of hex digits) and the rest is a domain the
/// public-suffix list knows (a registrable domain or below it, or a suffix
/// of its private section such as a hosting service's). Many installations
/// drawing names under one domain make it a service's, and its drawn names
/// the product's (a tunnel's, a preview's); one installation's drawn names
/// under its own domain stay its own.
pub fn drawn_host_parent(host: &str) -> Option<&str> {
    let host = host.trim_end_matches('.');
    let (first, parent) = host.split_once('.')?;
    let drawn = first.split(['-', '_']).any(|part| {
        part.len() >= 6
            && part.bytes().all(|b| b.is_ascii_alphanumeric())
            && part.bytes().any(|b| b.is_ascii_digit())
            && part.bytes().any(|b| b.is_ascii_alphabetic())
    });
    if !drawn || !parent.contains('.') {
        return None;
    }
    let known = psl::domain(parent.as_bytes()).is_some()
        || psl::suffix(parent.as_bytes()).is_some_and(|s| {
            s.typ() == Some(psl::Type::Private)
                && s.as_bytes().eq_ignore_ascii_case(parent.as_bytes())
        });
    known.then_some(parent)
}

/// The pattern of a machine numbered in a series (`cn150`, `gpu08`,
/// `compute-1-12`, `node07.hpc.local`): the name with each run of digits
/// written `#` (`cn#`, `compute-#-#`, `node#.hpc.local`), when it has one
/// to three runs of at most four digits and a word of two letters or more.
/// Sites name their machines so by role and position: many installations
/// numbering their machines in one pattern make the pattern a convention,
/// and its names no installation's own. A pattern one installation uses
/// (its domain in it, a person's name) stays its own. Hex strings and
/// random draws have no word, or a pattern of their own.
pub fn numbered_pattern(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.');
    let b = host.as_bytes();
    let mut out = String::with_capacity(host.len());
    let (mut runs, mut run, mut letters, mut word) = (0, 0, 0, false);
    for &c in b {
        if c.is_ascii_digit() {
            if run == 0 {
                runs += 1;
                out.push('#');
            }
            run += 1;
            if run > 4 {
                return None;
            }
            letters = 0;
            continue;
        }
        run = 0;
        if c.is_ascii_alphabetic() {
            letters += 1;
            word |= letters >= 2;
        } else if matches!(c, b'-' | b'_' | b'.') {
            letters = 0;
        } else {
            return None;
        }
        out.push(c.to_ascii_lowercase() as char);
    }
    ((1..=3).contains(&runs) && word).then_some(out)
}

/// Whether `s` is an id a cloud provider issued, in its own format: an
/// AWS resource's (`i-04aff1d6b64bc4255`, an instance; `vol-`, `eni-`,
/// `snap-`, `ami-`), a type, a dash and 8 or 17 hex digits. It names a
/// machine at the provider, and the account that runs it, wherever it is
/// sent: an id from outside the product, never the product's own draw.
pub fn cloud_resource_id(s: &str) -> bool {
    let Some((kind, hex)) = s.split_once('-') else {
        return false;
    };
    matches!(kind, "i" | "vol" | "eni" | "snap" | "ami")
        && matches!(hex.len(), 8 | 17)
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `s` is an account id another service issued, in its own
/// format: a Steam account's SteamID64 (17 digits from 76561197960265728),
/// a Stripe account's or customer's (`acct_1MM4ePJ1y2jJAiBV`, `cus_…`).
/// It names a person's or a company's account there wherever it is sent.
pub fn service_account_id(s: &str) -> bool {
    let steam = s.len() == 17
        && s.starts_with("7656119")
        && s.bytes().all(|b| b.is_ascii_digit())
        && s >= "76561197960265728";
    let stripe = ["acct_", "cus_"].iter().any(|p| {
        s.strip_prefix(p).is_some_and(|id| {
            (14..=24).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_alphanumeric())
                && id.bytes().any(|b| b.is_ascii_digit())
        })
    });
    steam || stripe
}

/// Where `text` holds a [`service_account_id`], as a word of its own.
fn service_account_ids(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for prefix in [&b"7656119"[..], b"acct_", b"cus_"] {
        for at in memchr::memmem::find_iter(b, prefix) {
            if at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_') {
                continue;
            }
            let end = at
                + b[at..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .unwrap_or(b.len() - at);
            if service_account_id(&text[at..end]) {
                out.push(at..end);
            }
        }
    }
    out
}

/// Whether `label` (lowercase) is a top-level domain at all: a delegated
/// one or a private one.
fn any_tld(label: &str) -> bool {
    PRIVATE_TLDS.contains(&label) || icann_tld(label)
}

/// Whether `label` ends a host name: a top-level domain ([`any_tld`]), and
/// not one that file names end in too ([`NOT_TLDS`]).
fn known_tld(label: &str) -> bool {
    let label = label.to_ascii_lowercase();
    !NOT_TLDS.contains(&label.as_str()) && any_tld(&label)
}

/// Last labels that are file extensions or package suffixes, not domains,
/// even where they collide with a country code or a generic domain
/// (`ProjectUnity.zip`, `clip.mov`).
const NOT_TLDS: &[&str] = &[
    "py", "rs", "md", "sh", "pl", "rb", "so", "js", "ts", "cs", "go", "ps", "am", "zip", "mov",
];

/// The words of a key: `db_size_bytes` → `db`, `size`, `bytes`;
/// `longVersion` → `long`, `Version`; `uniqueID` → `unique`, `ID`.
fn words(key: &str) -> impl Iterator<Item = &str> {
    let b = key.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        i += 1;
        while i < b.len()
            && b[i].is_ascii_alphanumeric()
            && !(b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase())
        {
            i += 1;
        }
        Some(&key[start..i])
    })
}

fn starts_with_ci(hay: &str, prefix: &str) -> bool {
    hay.len() >= prefix.len()
        && hay.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Whether any word of `key` is one of `list` (one pass over the key).
fn has_any_word(key: &str, list: &[&str]) -> bool {
    words(key).any(|w| list.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

/// Case-insensitive substring test without allocating.
fn contains_ci(hay: &str, needle: &str) -> bool {
    contains_bytes_ci(hay.as_bytes(), needle.as_bytes())
}

/// Whether `hay` holds `needle`, ASCII case aside: the places its first
/// byte sits, in either case, found by `memchr`, then the rest compared.
fn contains_bytes_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    memchr::memchr2_iter(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        &hay[..=last_start],
    )
    .any(|i| hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest))
}

fn ends_with_ci(hay: &str, suffix: &str) -> bool {
    hay.len() >= suffix.len()
        && hay.as_bytes()[hay.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Nouns that name a property of a thing rather than the thing: the head
/// of `password_encryption`, `token_ttl`, `secret_name`, `password_min_length`.
/// A key is what its last word says (English compounds put the head last):
/// these say the value is a setting about a secret, not the secret.
const PROPERTY_HEADS: &[&str] = &[
    "encryption",
    "algorithm",
    "algo",
    "method",
    "scheme",
    "policy",
    "mode",
    "type",
    "kind",
    "backend",
    "provider",
    "store",
    "storage",
    "manager",
    "name",
    "names",
    "id",
    "ids",
    "path",
    "file",
    "dir",
    "url",
    "uri",
    "endpoint",
    "length",
    "len",
    "min",
    "max",
    "size",
    "count",
    "ttl",
    "expiry",
    "expires",
    "expiration",
    "lifetime",
    "age",
    "timeout",
    "rotation",
    "enabled",
    "disabled",
    "required",
    "set",
    "configured",
    "present",
    "exists",
    "strength",
    "complexity",
    "history",
    "reset",
    "changed",
    "version",
    "format",
    "source",
    "field",
];

/// Whether `key` names a property of a secret (see [`PROPERTY_HEADS`]).
fn about_a_secret(key: &str) -> bool {
    words(key)
        .last()
        .is_some_and(|head| PROPERTY_HEADS.iter().any(|p| head.eq_ignore_ascii_case(p)))
        && words(key).count() > 1
}

/// Keys whose string values are secrets whatever they look like.
fn secret_key(key: &str) -> bool {
    // What a key calls public is not a secret (`public_key`,
    // `PublicKeyToken`, `publishable_key`).
    if about_a_secret(key) || contains_ci(key, "public") || contains_ci(key, "publishable") {
        return false;
    }
    const WORDS: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "token",
        "apikey",
        "credential",
        "credentials",
        "passphrase",
    ];
    has_any_word(key, WORDS)
        || contains_ci(key, "secret")
        || contains_ci(key, "password")
        || contains_ci(key, "passwd")
        || key.eq_ignore_ascii_case("key")
        || ends_with_ci(key, "_key")
        || ends_with_ci(key, "-key")
        || ends_with_ci(key, "apikey")
}

/// Keys for a person's name: `full_name`, `FirstName`, `contactName`,
/// `surname`, `GIT_AUTHOR_NAME`, read without case or separators.
fn person_name_key(key: &str) -> bool {
    const NAMES: &[&str] = &[
        "fullname",
        "firstname",
        "lastname",
        "givenname",
        "familyname",
        "middlename",
        "surname",
        "contactname",
        "realname",
        "authorname",
        "customername",
        "ownername",
        "personname",
    ];
    ends_plainly_with(key, NAMES)
}

/// Keys for an identifier that comes from outside the product and follows a
/// device or a person everywhere: a hardware serial (`serial`,
/// `OEMSerialNumber`, `board_serial`), a phone's IMEI, IMSI or ICCID, an
/// advertising id (`adid`, `idfa`, `gaid`). Unlike the product's own random
/// ids, such an id links its holder to every other system that sees it, so
/// where it sits never excuses it (see `rarity::Places`).
pub fn world_id_key(key: &str) -> bool {
    // Long names as the key's end (`OEMSerialNumber`, `board_serial`);
    // the short codes as its last word only (`thread_id` is no `adid`).
    let long = ends_plainly_with(
        key,
        &[
            "serial",
            "serialnumber",
            "serialno",
            "advertisingid",
            "assettag",
        ],
    );
    let short = words(key).last().is_some_and(|w| {
        [
            "imei", "imsi", "iccid", "meid", "idfa", "gaid", "adid", "aaid", "vin",
        ]
        .iter()
        .any(|n| w.eq_ignore_ascii_case(n))
    });
    long || short
}

/// Keys for a login: `username`, `UserName`, `login_name`, `os_user`,
/// `db_user`, `user`, read without case or separators (`user_id`,
/// `user_agent` and `user_count` are not).
fn user_name_key(key: &str) -> bool {
    // A list of them is named in the plural (`usernames`, `owners`); not `users`,
    // which ends module names (`openwisp_users`) as often as lists. Those
    // who run the installation are people too: `superusers`, `admin_users`.
    let login = &[
        "username",
        "loginname",
        "accountname",
        "playername",
        "nickname",
        "screenname",
        "login",
        "user",
        "owner",
        "usernames",
        "logins",
        "owners",
        "superusers",
        "adminusers",
        "admins",
        "administrators",
    ];
    ends_plainly_with(key, login) && !ends_plainly_with(key, &["lastlogin"])
}

/// Services where a person is known by a handle: their name as a label in
/// text (`ping me on discord: owlkamiski10`) is a login's. (As keys and
/// in lists they name the services: `["github", "openidConnect"]`.)
const HANDLE_SERVICES: &[&str] = &[
    "discord", "telegram", "twitter", "skype", "xmpp", "jabber", "mastodon", "keybase",
];

/// Whether `key`, read without case or separators (`OEM_Serial-Number` is
/// `oemserialnumber`), ends with one of `names`. Keys past 48 bytes are
/// sentences, not names.
fn ends_plainly_with(key: &str, names: &[&str]) -> bool {
    if key.len() > 48 {
        return false;
    }
    let plain: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    names.iter().any(|n| plain.ends_with(n))
}

/// A login named as one (under a user key, after `User "` or `hostname:`
/// in text): any login's shape but a system's or a service's own account
/// ([`SYSTEM_ACCOUNTS`]) or a placeholder. Whether it identifies is then
/// rarity's to judge: a CI's `runner` is sent by every installation that
/// builds there, a person's `beckert` by one.
fn named_login(s: &str) -> bool {
    let shaped = (3..=32).contains(&s.len())
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && s.bytes().filter(u8::is_ascii_alphabetic).count() >= 3;
    personal_login(s) || shaped && !system_account(s) && !redacted(s)
}

/// The account a home path names: its last segment (`/home/ubuntu` is
/// `ubuntu`, `C:\\Users\\zdubois` is `zdubois`, `~alice/` is `alice`).
fn home_login(path: &str) -> &str {
    let path = path.trim_end_matches(['/', '\\']);
    path.rsplit(['/', '\\', '~']).next().unwrap_or(path)
}

/// Whether `login` is an account the system, a service or a CI made, or a
/// placeholder for one ([`SYSTEM_ACCOUNTS`]): a role, not a person.
fn system_account(login: &str) -> bool {
    let lower = login.to_ascii_lowercase();
    SYSTEM_ACCOUNTS.contains(&lower.as_str())
        || lower.ends_with("-data")
        || lower.ends_with("bot")
        || lower.starts_with("svc")
        || lower.starts_with("system")
}

/// Accounts an operating system, a service or a CI creates, and
/// placeholders for none: a role, not a person (`root`, `www-data`,
/// `jenkins`, `runner`, `anonymous`).
const SYSTEM_ACCOUNTS: &[&str] = &[
    "other",
    "unset",
    "nil",
    "empty",
    "changeme",
    "example",
    "sample",
    "root",
    "admin",
    "administrator",
    "daemon",
    "nobody",
    "nogroup",
    "guest",
    "user",
    "users",
    "test",
    "tester",
    "demo",
    "default",
    "unknown",
    "anonymous",
    "public",
    "anon",
    "none",
    "null",
    "owner",
    "operator",
    "sys",
    "bin",
    "adm",
    "mail",
    "news",
    "uucp",
    "proxy",
    "backup",
    "list",
    "irc",
    "gnats",
    "games",
    "man",
    "lp",
    "sync",
    "shutdown",
    "halt",
    "ftp",
    "sshd",
    "messagebus",
    "systemd",
    "polkitd",
    "avahi",
    "colord",
    "pulse",
    "rtkit",
    "dnsmasq",
    "chrony",
    "ntp",
    "postfix",
    "postgres",
    "mysql",
    "redis",
    "mongodb",
    "nginx",
    "apache",
    "httpd",
    "tomcat",
    "jenkins",
    "gitlab-runner",
    "runner",
    "builder",
    "build",
    "buildd",
    "deploy",
    "deployer",
    "ci",
    "git",
    "svn",
    "docker",
    "podman",
    "vagrant",
    "ubuntu",
    "debian",
    "centos",
    "fedora",
    "ec2-user",
    "azureuser",
    "cloud-user",
    "opc",
    "core",
    "pi",
    "alarm",
    "vsts",
    "vssadministrator",
    "runneradmin",
    "appveyor",
    "travis",
    "circleci",
    "codespace",
    "gitpod",
    "vscode",
    "buildkite",
    "node",
    "app",
    "service",
    "services",
    "worker",
    "www",
    "web",
    "nfsnobody",
    "localadmin",
    "superuser",
    "sa",
    "dba",
    "oracle",
    "elastic",
    "kibana",
    "grafana",
    "prometheus",
    "influxdb",
    "rabbitmq",
    "zabbix",
    "nagios",
    "icinga",
    "ansible",
    "puppet",
    "chef",
    "salt",
    "jellyfin",
    "plex",
    "kodi",
    "osmc",
    "libreelec",
    "homeassistant",
    "hass",
    "openhab",
    "frigate",
    "nextcloud",
    "mastodon",
];

/// A login that names someone: a person's name or an initial and a
/// surname ([`names::person`]: `kofi.ivanova`, `jschmidt`), or letters with
/// digits or a separator (`jdoe42`, `m_fischer`), 2 to 32 bytes; not a
/// role's account (`root`, `admin`, `www-data` have no digits and are no
/// one's name) and not a word alone; a given name and an initial
/// (`hannahf`).
fn personal_login(s: &str) -> bool {
    let login = (2..=32).contains(&s.len())
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if !login {
        return false;
    }
    let letters = s.bytes().filter(u8::is_ascii_alphabetic).count();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    // `first.last`, `m_fischer`: two runs of letters joined as a person's
    // login joins names.
    let joined = s.split(['.', '_']).filter(|p| p.len() >= 2).count() == 2
        && s.split(['.', '_'])
            .all(|p| p.bytes().all(|b| b.is_ascii_alphabetic()));
    names::person(s).is_some()
        || names::given_and_initial(s)
        || joined
        || letters >= 3 && digits > 0 && digits <= 4 && !s.contains('-')
}

/// Accounts on federated servers, written `@login:server` (Matrix user
/// ids: `@sabine.vogelsang:matrix.org`, `@neream:matrix.acme.tokyo:8448`):
/// a person's address as much as an e-mail address is. The login is
/// Matrix's (lower-case letters, digits, `._=-/+`), the server a host name
/// under a real top-level domain, a port after it at most.
fn federated_accounts(text: &str, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    for at in memchr::memchr_iter(b'@', b) {
        // A word of its own: not `user@host`'s at sign.
        if at > 0 && (b[at - 1].is_ascii_alphanumeric() || matches!(b[at - 1], b'.' | b'_' | b'-'))
        {
            continue;
        }
        let login_len = b[at + 1..]
            .iter()
            .take_while(|&&c| {
                c.is_ascii_lowercase()
                    || c.is_ascii_digit()
                    || matches!(c, b'.' | b'_' | b'=' | b'-' | b'/' | b'+')
            })
            .count();
        let colon = at + 1 + login_len;
        if login_len == 0 || login_len > 255 || b.get(colon) != Some(&b':') {
            continue;
        }
        let server_len = b[colon + 1..]
            .iter()
            .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-'))
            .count();
        let server = text[colon + 1..colon + 1 + server_len].trim_end_matches(['.', '-']);
        let Some((_, tld)) = server.rsplit_once('.') else {
            continue;
        };
        if !server.split('.').all(|l| !l.is_empty()) || !known_tld(tld) {
            continue;
        }
        let mut end = colon + 1 + server.len();
        // A port (`:8448`).
        if b.get(end) == Some(&b':') {
            let digits = b[end + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if (1..=5).contains(&digits) {
                end += 1 + digits;
            }
        }
        out.push(Finding {
            kind: Kind::Username,
            range: at..end,
        });
    }
}

/// A MySQL account in text, `'login'@'host'` (`Access denied for user
/// 'ragnhild.carvalho'@'localhost'`): the login names someone when
/// [`personal_login`] says so; and a login quoted after the word `user`.
fn quoted_accounts(text: &str, out: &mut Vec<Finding>) {
    // `User "jdoe42" cannot patch …` (Kubernetes' RBAC), `user 'jdoe42'`:
    // a login quoted after the word that says it is one.
    for (at, word) in text.match_indices(['U', 'u']) {
        let rest = &text[at + word.len()..];
        let Some(rest) = rest.strip_prefix("ser ") else {
            continue;
        };
        let word_start = at == 0 || !text.as_bytes()[at - 1].is_ascii_alphanumeric();
        let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        let body = &rest[1..];
        let Some(close) = body.find(quote) else {
            continue;
        };
        let quoted = &body[..close];
        // An identity provider's prefix (`oidc:jdoe42`, as a cluster's
        // `--oidc-username-prefix` writes it) says where the login comes
        // from; a service account (`system:serviceaccount:…`) is none.
        let (prefix, login) = quoted.rsplit_once(':').unwrap_or(("", quoted));
        let start = text.len() - body.len() + prefix.len() + usize::from(!prefix.is_empty());
        if word_start && !prefix.starts_with("system") && named_login(login) {
            out.push(Finding {
                kind: Kind::Username,
                range: start..start + login.len(),
            });
        }
    }
    for (at, _) in text.match_indices("'@'") {
        let Some(open) = text[..at].rfind('\'') else {
            continue;
        };
        let login = &text[open + 1..at];
        if personal_login(login) && !out.iter().any(|f| f.range == (open + 1..at)) {
            out.push(Finding {
                kind: Kind::Username,
                range: open + 1..at,
            });
        }
    }
}

/// Logins that a system's own messages name by their grammar: `logged in
/// as mariajose.hernandez`, `signed in as …`, `session opened for user …`
/// (PAM), `Accepted password for …` and `Failed password for …` (sshd),
/// `… is not in the sudoers file` (sudo), and an LDAP entry's `uid=` (a
/// distinguished name, `uid=zhangy,ou=people,dc=…`). The word is reported
/// when it reads as a person's login ([`personal_login`]); a role's
/// account (`root`, `admin`) names no one.
fn logins_in_messages(text: &str, out: &mut Vec<Finding>) {
    const BEFORE: &[&str] = &[
        "logged in as ",
        "signed in as ",
        "session opened for user ",
        "session closed for user ",
        "Accepted password for ",
        "Accepted publickey for ",
        "Failed password for invalid user ",
        "Failed password for ",
        "Invalid user ",
        "uid=",
    ];
    let login_at = |start: usize, out: &mut Vec<Finding>| {
        let len = text[start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            .count();
        let login = text[start..start + len].trim_end_matches('.');
        let range = start..start + login.len();
        if personal_login(login) && !overlaps(out, &range) {
            out.push(Finding {
                kind: Kind::Username,
                range,
            });
        }
    };
    for phrase in BEFORE {
        for (at, _) in text.match_indices(phrase) {
            // An LDAP entry's `uid=` only in a distinguished name.
            if *phrase == "uid=" && !(text[at..].contains(",ou=") || text[at..].contains(",dc=")) {
                continue;
            }
            login_at(at + phrase.len(), out);
        }
    }
    for (at, _) in text.match_indices(" is not in the sudoers file") {
        let start = text[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
            .map_or(0, |i| i + 1);
        login_at(start, out);
    }
}

/// Keys naming a point in time.
fn time_key(key: &str) -> bool {
    const POINT: &[&str] = &[
        "time",
        "timestamp",
        "ts",
        "at",
        "date",
        "created",
        "updated",
        "seen",
        "start",
        "end",
        "when",
        "since",
        "clock",
        "occurred",
        "ctime",
        "mtime",
        "nano",
        "run",
    ];
    const SPAN: &[&str] = &["duration", "elapsed", "uptime", "timeout", "interval"];
    let point = has_any_word(key, POINT)
        || ends_with_ci(key, "time")
        || ends_with_ci(key, "_at")
        || key.len() >= 6 && key.is_char_boundary(6) && key[..6].eq_ignore_ascii_case("period");
    point && !has_any_word(key, SPAN)
}

/// Keys whose values are versions or builds (four-part numbers are versions
/// there): a word of the key starts with one of the stems (`fuel_version`,
/// `buildId`, `kernel_params`, `tags`; not `subversion_url`).
fn version_key(key: &str) -> bool {
    const STEMS: &[&str] = &[
        "version", "build", "release", "revision", "kernel", "firmware", "semver", "tag",
    ];
    words(key).any(|w| STEMS.iter().any(|s| starts_with_ci(w, s)))
}

/// Keys named `key`, `*_key` or `*-key`, with no stronger secret word: what
/// they hold is a secret only if it looks like one.
fn key_like(key: &str) -> bool {
    // Words that say what the key guards or does: such a key is a secret
    // by what it is (`encryption_key`, `signing_key`, `ssh_key`).
    const STRONG: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "token",
        "secret",
        "credential",
        "crypt",
        "sign",
        "auth",
        "master",
        "ssh",
        "hmac",
    ];
    (key.eq_ignore_ascii_case("key") || ends_with_ci(key, "_key") || ends_with_ci(key, "-key"))
        && !STRONG.iter().any(|w| contains_ci(key, w))
        && !ends_with_ci(key, "api_key")
        && !ends_with_ci(key, "private_key")
}

/// Whether a value under a `key`-like key could be a key: long enough,
/// and not a plain name (`active_users`, `GENERATE`).
fn key_material(s: &str) -> bool {
    s.len() >= 12
        && !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || matches!(b, b'_' | b'-' | b'.' | b' '))
        && !s
            .bytes()
            .all(|b| b.is_ascii_uppercase() || matches!(b, b'_' | b'-' | b'.' | b' '))
}

/// Keys naming an identifier: the last word is `id`, `uuid`, `guid` or
/// `uid`, or a compound of them (`uniqueID`, `instanceid`, `machine_guid`),
/// unless the word before it names something that lives for one event
/// (`event_id`, `trace_id`, `kernel_id`, `job_id`): those ids link nothing
/// over time.
fn id_key(key: &str) -> bool {
    const EPHEMERAL: &[&str] = &[
        "event",
        "trace",
        "span",
        "request",
        "task",
        "job",
        "kernel",
        "session",
        "check",
        "in",
        "debug",
        "code",
        "build",
        "run",
        "message",
        "container",
        "endpoint",
        "exec",
        "image",
        "layer",
        "commit",
        "proguard",
        "transaction",
        "correlation",
        "celery",
    ];
    let all: Vec<&str> = words(key).collect();
    if all.len() >= 2
        && EPHEMERAL
            .iter()
            .any(|e| all[all.len() - 2].eq_ignore_ascii_case(e))
    {
        return false;
    }
    const LAST: &[&str] = &[
        "id",
        "uuid",
        "guid",
        "uid",
        "instanceid",
        "uniqueid",
        "machineid",
        "systemid",
        "clientid",
        "deviceid",
        "nodeid",
    ];
    words(key)
        .last()
        .is_some_and(|w| LAST.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

/// Whether `host` (lower case) is a Kubernetes service's name inside its
/// cluster (`minio.minio.svc.cluster.local`,
/// `yb-master-0.yb-masters.yb.svc`): the orchestrator makes it from the
/// product's service, its pods and a namespace, and it resolves nowhere
/// else. A service's name, as `smtp` is, not a host of the installation.
fn cluster_service(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    let labels: Vec<&str> = host.split('.').collect();
    let svc = labels.iter().rposition(|l| *l == "svc");
    // `<service>.<namespace>.svc`, then the cluster's domain (`cluster.local`
    // by default) or nothing.
    svc.is_some_and(|i| {
        i >= 2 && (i + 1 == labels.len() || labels[i + 1..] == ["cluster", "local"])
    })
}

/// What a label in text says the word after it is (`Local hostname:
/// gagnon-htpc`, `build user = beckert`, `hostname=nas01`): a machine's bare
/// name after a host's label, a login after a user's, judged as under those
/// keys ([`key_findings`]). Dotted names are the host detector's.
fn labelled_in_text(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    if memchr::memchr2(b':', b'=', b).is_none() {
        return out;
    }
    // The words a label may hold that the text holds at all: most texts
    // hold none, and are passed over at once.
    let present: Vec<&[u8]> = ["host", "user", "login", "name", "fqdn", "owner", "admin"]
        .iter()
        .chain(HANDLE_SERVICES)
        .map(|w| w.as_bytes())
        .filter(|w| contains_bytes_ci(b, w))
        .collect();
    if present.is_empty() {
        return out;
    }
    for i in memchr::memchr2_iter(b':', b'=', b) {
        // Only where a label's word is near: most separators are times'
        // and URLs'.
        let near = &b[i.saturating_sub(26)..i];
        if !present.iter().any(|w| contains_bytes_ci(near, w)) {
            continue;
        }
        // The label: up to two words of letters before the separator.
        let before = text[..i].trim_end();
        let start = before
            .char_indices()
            .rev()
            .take_while(|&(_, ch)| ch.is_ascii_alphabetic() || ch == '_' || ch == ' ' || ch == '-')
            .last()
            .map_or(before.len(), |(at, _)| at);
        let words: Vec<&str> = before[start..]
            .split([' ', '_', '-'])
            .filter(|w| !w.is_empty())
            .collect();
        let label = words[words.len().saturating_sub(2)..].join("_");
        if label.is_empty() || label.len() > 24 {
            continue;
        }
        let (host, user) = (
            host_key(&label),
            user_name_key(&label) || ends_plainly_with(&label, HANDLE_SERVICES),
        );
        if !host && !user {
            continue;
        }
        // The value: one word, quoted at most.
        let rest = &text[i + 1..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '"', '\'']).len();
        let from = i + 1 + skipped;
        let len = text[from..]
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-')))
            .unwrap_or(text.len() - from);
        let word = text[from..from + len].trim_end_matches('.');
        if word.is_empty() || word.contains('.') {
            continue;
        }
        // Judged as under a key of the label's kind (a host's three
        // characters at least).
        let context = KeyContext {
            host: host && word.len() >= 3,
            user_name: user,
            ..KeyContext::default()
        };
        out.extend(key_findings_at(word, context, from));
    }
    out
}

/// The account in each Amazon Resource Name (`arn:aws:eks:us-east-1:
/// 270842308923:cluster/sandbox`): the fifth field, twelve digits, is an
/// account at another service, the organisation's, wherever the ARN is
/// written. AWS's own (`aws`), an empty one (`arn:aws:s3:::bucket`) and
/// the documentation's `123456789012` name no one.
fn arn_accounts(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("arn:aws") {
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        // arn : partition : service : region : account : resource
        let mut start = at;
        let mut fields = 0;
        for (i, c) in text[at..].char_indices() {
            if c == ':' {
                fields += 1;
                if fields == 4 {
                    start = at + i + 1;
                    break;
                }
            } else if !(c.is_ascii_alphanumeric() || c == '-') {
                break;
            }
        }
        if fields < 4 {
            continue;
        }
        let account = &text[start..];
        let len = account.bytes().take_while(u8::is_ascii_digit).count();
        if len == 12
            && account.as_bytes().get(12) == Some(&b':')
            && &account[..12] != "123456789012"
        {
            out.push(Finding {
                kind: Kind::PersistentId,
                range: start..start + 12,
            });
        }
    }
    // A private container registry's host starts with the account too
    // (`112573296192.dkr.ecr.us-east-1.amazonaws.com`).
    for (at, _) in text.match_indices(".dkr.ecr.") {
        let start = at.saturating_sub(12);
        let account = &text[start..at];
        let alone = start == 0 || !text.as_bytes()[start - 1].is_ascii_alphanumeric();
        if alone
            && account.len() == 12
            && account.bytes().all(|b| b.is_ascii_digit())
            && account != "123456789012"
        {
            out.push(Finding {
                kind: Kind::PersistentId,
                range: start..at,
            });
        }
    }
    out
}

/// Code forges whose repository addresses start with the account that
/// owns the repository (`github.com/<owner>/<repository>`).
const FORGES: &[&str] = &[
    "github.com",
    "gitlab.com",
    "codeberg.org",
    "bitbucket.org",
    "gitee.com",
    "sr.ht",
];

/// Accounts named in a repository's address on a code forge
/// (`https://github.com/tobias84/openpilot.git`, `git@gitlab.com:
/// jschmidt/dotfiles`, `git.sr.ht/~mkowalski/…`): the owner of a fork or a
/// personal repository is a person's login at that forge, which follows
/// them everywhere. An owner is reported when it reads as a person's login
/// ([`personal_login`]: a name, an initial and a surname, letters with a
/// few digits); a project's organisation (`commaai`, `pulp`) is none, and
/// one every installation sends is judged common by rarity.
fn forge_accounts(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    for forge in FORGES {
        for at in memchr::memmem::find_iter(b, forge.as_bytes()) {
            // The forge's own name, not the end of a longer one
            // (`notgithub.com`; `api.github.com` is the API's, not a
            // repository's), or its `www.` or `git.` host (`git.sr.ht`).
            let head = &b[..at];
            let host_prefix = head.ends_with(b"www.") || head.ends_with(b"git.");
            let start = if host_prefix { at - 4 } else { at };
            let before = start.checked_sub(1).map(|i| b[i]);
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.') {
                continue;
            }
            let after = at + forge.len();
            let Some(&sep) = b.get(after) else { continue };
            if sep != b'/' && sep != b':' {
                continue;
            }
            let mut from = after + 1;
            if b.get(from) == Some(&b'~') {
                from += 1;
            }
            let len = b[from..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
                .count();
            // An owner, then its repository.
            if len == 0 || b.get(from + len) != Some(&b'/') {
                continue;
            }
            let owner = &text[from..from + len];
            if personal_login(owner) {
                out.push(Finding {
                    kind: Kind::Username,
                    range: from..from + len,
                });
            }
        }
    }
    // The merge of a pull request names the branch it came from by its
    // owner (`Merge pull request #298 from nicolas_mercier/patch-1`, as
    // GitHub writes the commit).
    const MERGE: &str = "Merge pull request #";
    for at in memchr::memmem::find_iter(b, MERGE.as_bytes()) {
        let rest = &text[at + MERGE.len()..];
        let number = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Some(from_owner) = rest[number..].strip_prefix(" from ") else {
            continue;
        };
        let len = from_owner
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_'))
            .count();
        let from = text.len() - from_owner.len();
        if number > 0
            && from_owner.as_bytes().get(len) == Some(&b'/')
            && personal_login(&from_owner[..len])
        {
            out.push(Finding {
                kind: Kind::Username,
                range: from..from + len,
            });
        }
    }
    out
}

/// Ids of people or accounts named in text by the word before them: a
/// number of eight digits or more right after `user`, `account`, `member`,
/// `player` or `customer`, or their plurals (`rejected for user
/// 937210769998174276`, a Discord account; `account 4001234567`;
/// `/user/48632065/` in a URL's path). Such a number is an account's
/// id at some service, which follows the person everywhere; a short one
/// (`user 1000`) is a local account's number.
fn numbered_party(text: &str) -> Vec<Finding> {
    const WORDS: &[&str] = &[
        "user",
        "account",
        "member",
        "player",
        "customer",
        "users",
        "accounts",
        "members",
        "players",
        "customers",
    ];
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    // Each run of eight digits or more, then the word before it.
    while at < b.len() {
        if !b[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        let from = at;
        while at < b.len() && b[at].is_ascii_digit() {
            at += 1;
        }
        let digits = at - from;
        if !(8..=24).contains(&digits) || b.get(at).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        let before = &text[..from];
        // After a space, `#`, `:`, `=`, or a `/` in a URL's path
        // (`musescore.com/user/48632065/scores`).
        let word_end = before.trim_end_matches([' ', '#', ':', '=', '/']).len();
        if word_end == before.len() || before.len() - word_end > 2 {
            continue;
        }
        let head = &before[..word_end];
        let named = WORDS.iter().any(|w| {
            head.len() >= w.len()
                && head.is_char_boundary(head.len() - w.len())
                && head[head.len() - w.len()..].eq_ignore_ascii_case(w)
                && !head[..head.len() - w.len()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        });
        if named {
            out.push(Finding {
                kind: Kind::PersistentId,
                range: from..at,
            });
        }
    }
    out
}

/// ORCID iDs in text (`0000-0003-2413-8293`): a researcher's id at
/// another service, sixteen digits in four groups whose last is the ISO
/// 7064 MOD 11-2 check digit (`X` for ten), so that a number of that shape
/// by chance is one in eleven.
fn orcid_ids(text: &str) -> Vec<Finding> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for dash in memchr::memchr_iter(b'-', b) {
        let Some(start) = dash.checked_sub(4) else {
            continue;
        };
        let end = start + 19;
        if end > b.len() || out.last().is_some_and(|f: &Finding| f.range.end > start) {
            continue;
        }
        let id = &b[start..end];
        let shape = id.iter().enumerate().all(|(i, &c)| match i {
            4 | 9 | 14 => c == b'-',
            18 => c.is_ascii_digit() || c == b'X',
            _ => c.is_ascii_digit(),
        });
        let alone = |c: Option<&u8>| c.is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'-');
        if !shape || !alone(start.checked_sub(1).map(|i| &b[i])) || !alone(b.get(end)) {
            continue;
        }
        let digits: Vec<u32> = id[..18]
            .iter()
            .filter(|c| c.is_ascii_digit())
            .map(|c| u32::from(c - b'0'))
            .collect();
        let total = digits.iter().fold(0, |t, d| (t + d) * 2);
        let check = (12 - total % 11) % 11;
        let expected = if check == 10 {
            b'X'
        } else {
            b'0' + check as u8
        };
        if id[18] == expected {
            out.push(Finding {
                kind: Kind::PersistentId,
                range: start..end,
            });
        }
    }
    out
}

/// Whether `s` is hex digits only, twelve or more, with digits and letters
/// both, in one case: what a machine makes (a container's id, a digest),
/// never what a person names a host.
fn machine_hex(s: &str) -> bool {
    hex_run(s, 12, 1)
}

/// Whether `s` is `len` hex digits or more, with digits and at least
/// `letters` letters, in one case.
fn hex_run(s: &str, len: usize, letters: usize) -> bool {
    s.len() >= len
        && s.bytes().all(|b| b.is_ascii_hexdigit())
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().filter(u8::is_ascii_alphabetic).count() >= letters
        && !(s.bytes().any(|b| b.is_ascii_lowercase()) && s.bytes().any(|b| b.is_ascii_uppercase()))
}

/// Whether `s`, a bare host name, is one a machine made: a part of eight
/// hex digits or more, digits and letters both, between its dashes
/// (`runner-487c22dd-project-49238-concurrent-0`, a CI runner's;
/// `web-7f9c8d6b5-x2x4z`, a Kubernetes pod's, which is its host name).
/// It names a job or a replica, not a machine someone named. In lower case
/// only, as those are DNS labels: Windows names a computer in capitals
/// (`DESKTOP-BA28FB1A`), and that name goes wherever the computer does.
fn machine_named(s: &str) -> bool {
    !s.contains('.')
        && s.split('-').any(|part| {
            part.len() >= 8
                && part
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                && part.bytes().any(|b| b.is_ascii_digit())
                && part.bytes().any(|b| b.is_ascii_alphabetic())
        })
}

/// Whether `s` is a digest written in hex: a hash algorithm's length
/// (MD5's 32 digits, SHA-1's 40, SHA-256's 64, SHA-512's 128) in one case,
/// as [`machine_hex`] reads it.
pub fn digest_hex(s: &str) -> bool {
    matches!(s.len(), 32 | 40 | 64 | 128) && machine_hex(s)
}

/// Whether `s` is a digest: in hex ([`digest_hex`]) or written with its
/// algorithm's name (`sha256-5suu…=`, `sha256:9f86…`).
pub fn digest(s: &str) -> bool {
    digest_hex(s) || content_digest(s, 0, s)
}

/// An opaque token under an identifier key: long enough to be unique, with
/// letters and digits, no spaces, not a version.
fn opaque_id(s: &str) -> bool {
    (8..=128).contains(&s.len())
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        && !version_like(s)
}

/// An identifier written as a string of ten digits or more, as the same
/// number written as a number is one ([`scan_number_in`]): an account's
/// (`"account_id": "755620791491"`), a system's. A time (`1706659201`) is a
/// time, and a build stamp that starts with its date (`20240315123456`,
/// Firefox's build id) names a build.
fn number_id(s: &str) -> bool {
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let dated = matches!(
        (num(0..4), num(4..6), num(6..8)),
        (Some(1990..=2099), Some(1..=12), Some(1..=31))
    );
    (10..=40).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_digit())
        && !dated
        && !epoch_time_of_day(s)
}

/// Keys whose values are quantities (sizes, counts): numbers there are not
/// card numbers, phone numbers or timestamps.
fn quantity_key(key: &str) -> bool {
    const WORDS: &[&str] = &[
        "size",
        "bytes",
        "count",
        "total",
        "num",
        "increment",
        "length",
        "len",
        "capacity",
        "used",
        "free",
        "ms",
        "duration",
        "elapsed",
        "memory",
        "disk",
    ];
    // Glued on (`filesize`, `bytecount`) only the longer words: a key that
    // ends in `ms`, `num` or `len` is more often a plural or a word of its
    // own (`items`, `platforms`, `maximum`, `album`) than a unit.
    has_any_word(key, WORDS) || WORDS.iter().any(|w| w.len() >= 4 && ends_with_ci(key, w))
}

/// Keys naming a host: the last word is `host`, `hostname` or `fqdn`
/// (`smtp_host`, `node_hostname`), or one of a few names for it.
fn host_key(key: &str) -> bool {
    words(key).last().is_some_and(|w| {
        ["host", "hostname", "fqdn"]
            .iter()
            .any(|x| w.eq_ignore_ascii_case(x))
    }) || [
        "host_name",
        "server_name",
        "node_name",
        "machine",
        "machine_name",
        "lms_base",
        "site_name",
    ]
    .iter()
    .any(|k| key.eq_ignore_ascii_case(k))
        // However the words are joined: `ServerName`, `ComputerName`.
        || ends_plainly_with(key, &["servername", "computername", "machinename", "hostname"])
            && key.len() <= 24
}

/// Keys holding one coordinate.
fn coordinate_key(key: &str) -> bool {
    // The last word names a coordinate (`location_lat`, `siteLongitude`),
    // or the key names a position (`location`, `coordinates`, `latlng`).
    const LAST: &[&str] = &[
        "lat",
        "latitude",
        "lon",
        "lng",
        "longitude",
        "latlng",
        "latlon",
    ];
    // A scale or a format may follow (`latitude_i`, `latE7`, `lon_deg`).
    const SCALES: &[&str] = &["i", "e6", "e7", "int", "deg", "degrees", "fixed", "udeg"];
    // The last coordinate word, and only scales after it.
    let mut named = false;
    for w in words(key) {
        if LAST.iter().any(|x| w.eq_ignore_ascii_case(x)) {
            named = true;
        } else if !SCALES.iter().any(|x| w.eq_ignore_ascii_case(x)) {
            named = false;
        }
    }
    named
        || [
            "long",
            "location",
            "coordinates",
            "coords",
            "position",
            "geo",
            "gps",
        ]
        .iter()
        .any(|k| key.eq_ignore_ascii_case(k))
}

/// What a key says about the values under it, computed once per distinct
/// key (payloads repeat their keys, and the word tests are most of the cost
/// of scanning short values).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct KeyContext {
    secret: bool,
    /// A key named `key` or `*_key`: a secret only when the value looks
    /// like one (`active_users` under `key` is a name).
    key_like: bool,
    /// Code and schema names (`module`, `logger`, `schema`): dotted names
    /// there are paths, not hosts.
    code_name: bool,
    /// A hash or digest (of a secret, say): an identifier, not the secret.
    hash: bool,
    time: bool,
    version: bool,
    quantity: bool,
    host: bool,
    id: bool,
    coordinate: bool,
    /// Commits, checksums, digests: hex there is a build's, not an install's.
    build_hash: bool,
    card: bool,
    /// A phone, fax or mobile number.
    phone: bool,
    /// An IP address (`client_ip`, `ip_address`).
    ip: bool,
    /// A hardware address (`mac`, `hwaddr`, `bssid`).
    mac: bool,
    /// A person's name (`full_name`, `contactName`, `surname`).
    person_name: bool,
    /// A login (`username`, `UserName`, `login`, `os_user`).
    user_name: bool,
    /// An identifier from outside the product ([`world_id_key`]).
    world_id: bool,
    /// A repository's name (`repo`, `overlay`): a project's, not a machine's.
    repository: bool,
}

impl KeyContext {
    /// Its flags as one word, one bit each.
    fn word(&self) -> u32 {
        u32::from(self.secret)
            | u32::from(self.key_like) << 1
            | u32::from(self.code_name) << 2
            | u32::from(self.hash) << 3
            | u32::from(self.time) << 4
            | u32::from(self.version) << 5
            | u32::from(self.quantity) << 6
            | u32::from(self.host) << 7
            | u32::from(self.id) << 8
            | u32::from(self.coordinate) << 9
            | u32::from(self.build_hash) << 10
            | u32::from(self.card) << 11
            | u32::from(self.phone) << 12
            | u32::from(self.ip) << 13
            | u32::from(self.mac) << 14
            | u32::from(self.person_name) << 15
            | u32::from(self.user_name) << 16
            | u32::from(self.world_id) << 17
            | u32::from(self.repository) << 18
    }

    fn compute(key: &str) -> KeyContext {
        // A key is read as a person reads it: `db_pass\u{200B}word` is a
        // password's key.
        if key.chars().any(crate::text::is_hidden) {
            let plain: String = key
                .chars()
                .filter(|&c| !crate::text::is_hidden(c))
                .collect();
            return KeyContext::compute(&plain);
        }
        KeyContext {
            secret: secret_key(key),
            key_like: key_like(key),
            code_name: has_any_word(
                key,
                &[
                    "module",
                    "modules",
                    "logger",
                    "category",
                    "package",
                    "packages",
                    "namespace",
                    "class",
                    "function",
                    "entrypoint",
                    "schema",
                    "crd",
                    "kind",
                    "identifier",
                    "renderer",
                    "plugin",
                    "component",
                ],
            ),
            repository: words(key).last().is_some_and(|w| {
                ["repo", "repository", "repos", "repositories", "overlay"]
                    .iter()
                    .any(|r| w.eq_ignore_ascii_case(r))
            }),
            hash: has_any_word(key, &["hash", "hashed", "digest", "md5", "sha1", "sha256"]),
            time: time_key(key),
            version: version_key(key),
            quantity: quantity_key(key),
            host: host_key(key),
            id: id_key(key),
            coordinate: coordinate_key(key),
            build_hash: ["commit", "sha", "checksum", "digest"]
                .iter()
                .any(|w| contains_ci(key, w)),
            card: contains_ci(key, "card")
                || key.eq_ignore_ascii_case("pan")
                || contains_ci(key, "ccnum"),
            phone: has_any_word(
                key,
                &[
                    "phone",
                    "telephone",
                    "tel",
                    "mobile",
                    "msisdn",
                    "fax",
                    "cellphone",
                ],
            ),
            ip: has_any_word(key, &["ip", "ipv4", "ipaddr", "ipaddress"]),
            mac: has_any_word(key, &["mac", "macaddr", "macaddress", "hwaddr", "bssid"]),
            person_name: person_name_key(key),
            user_name: user_name_key(key),
            world_id: world_id_key(key),
        }
    }

    /// The context of `key`, from this thread's caches: a direct-mapped
    /// one in front (a key of up to 32 bytes is compared as four words: no
    /// hashing of its bytes, no call), then a map.
    fn of(key: &str) -> KeyContext {
        thread_local! {
            static RECENT: std::cell::RefCell<[RecentKey; RECENT_KEYS]> =
                const { std::cell::RefCell::new([RecentKey::EMPTY; RECENT_KEYS]) };
        }
        if key.is_empty() {
            return KeyContext::default();
        }
        let Some(words) = KeyWords::of(key) else {
            return KeyContext::of_map(key);
        };
        RECENT.with(|recent| {
            let mut recent = recent.borrow_mut();
            let slot = &mut recent[words.slot()];
            if slot.words == words {
                return slot.context;
            }
            let context = KeyContext::of_map(key);
            *slot = RecentKey { words, context };
            context
        })
    }

    /// The context of `key`, from this thread's map of every key seen.
    fn of_map(key: &str) -> KeyContext {
        use std::collections::HashMap;
        use std::hash::BuildHasherDefault;
        thread_local! {
            static CACHE: std::cell::RefCell<HashMap<Box<str>, KeyContext, BuildHasherDefault<KeyHasher>>> =
                std::cell::RefCell::new(HashMap::default());
        }
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some(c) = cache.get(key) {
                return *c;
            }
            // Bounded: a hostile stream of distinct keys cannot grow it forever.
            if cache.len() >= 4096 {
                cache.clear();
            }
            let c = KeyContext::compute(key);
            cache.insert(key.into(), c);
            c
        })
    }
}

/// Slots of the direct-mapped key cache (a power of two).
const RECENT_KEYS: usize = 1024;

/// A key of 1 to 32 bytes as its length and four little-endian words that
/// together hold every byte of it (overlapping when it is shorter than 32;
/// a key of fewer than 8 bytes in the first word alone, the rest zero):
/// equal words, equal keys.
#[derive(Clone, Copy, PartialEq, Eq)]
struct KeyWords {
    len: u64,
    words: [u64; 4],
}

impl KeyWords {
    fn of(key: &str) -> Option<KeyWords> {
        let b = key.as_bytes();
        let n = b.len();
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"));
        let words = match n {
            1..=7 => {
                let mut w = [0u8; 8];
                w[..n].copy_from_slice(b);
                [u64::from_le_bytes(w), 0, 0, 0]
            }
            8..=16 => [word(0), word(n - 8), 0, 0],
            17..=32 => [word(0), word(8), word(n - 16), word(n - 8)],
            _ => return None,
        };
        Some(KeyWords {
            len: n as u64,
            words,
        })
    }

    fn slot(self) -> usize {
        let [a, b, c, d] = self.words;
        let h = (a ^ b.rotate_left(17) ^ c.rotate_left(31) ^ d.rotate_left(47) ^ self.len)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> (64 - RECENT_KEYS.trailing_zeros())) as usize
    }
}

/// A slot of the direct-mapped key cache.
#[derive(Clone, Copy)]
struct RecentKey {
    words: KeyWords,
    context: KeyContext,
}

impl RecentKey {
    /// No key: `len` 0 never equals a key's words.
    const EMPTY: RecentKey = RecentKey {
        words: KeyWords {
            len: 0,
            words: [0; 4],
        },
        context: KeyContext {
            secret: false,
            key_like: false,
            code_name: false,
            hash: false,
            time: false,
            version: false,
            quantity: false,
            host: false,
            id: false,
            coordinate: false,
            build_hash: false,
            card: false,
            phone: false,
            ip: false,
            mac: false,
            person_name: false,
            user_name: false,
            world_id: false,
            repository: false,
        },
    };
}

/// FNV-1a: keys are short and not attacker-chosen in a way that matters
/// (the cache is bounded and only saves work).
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A coordinate written as a fixed-point integer, precise to a kilometre
/// or finer.
fn precise_fixed_point(s: &str) -> bool {
    let Ok(n) = s.parse::<i64>() else {
        return false;
    };
    let n = n.unsigned_abs();
    // Degrees times 10^6 or 10^7 (`latitude_i`, `latitudeE7`), to a
    // metre or so: a precise place unless its last digits or bits were
    // dropped to coarsen it (a multiple of 10^4, or of 2^14, is a grid of
    // a kilometre or more in E7).
    (10_000_000..=1_800_000_000).contains(&n) && n % 10_000 != 0 && n % (1 << 14) != 0
}

/// A decimal number with at least three decimals (about 100 m or finer).
fn precise_decimal(s: &str) -> bool {
    s.parse::<f64>().is_ok() && s.split('.').nth(1).is_some_and(|d| d.len() >= 3)
}

/// Whether `digits` (13 to 19 of them) start with a payment network's
/// issuer prefix and have one of the lengths that network issues.
fn card_issuer(digits: &[u8]) -> bool {
    // (lowest prefix, highest prefix, shortest, longest), the prefixes
    // compared on as many leading digits as they have.
    const NETWORKS: &[(u32, u32, usize, usize)] = &[
        (4, 4, 13, 13),       // Visa
        (4, 4, 16, 16),       // Visa
        (4, 4, 19, 19),       // Visa
        (51, 55, 16, 16),     // Mastercard
        (2221, 2720, 16, 16), // Mastercard, 2-series
        (2200, 2204, 16, 19), // Mir
        (34, 34, 15, 15),     // American Express
        (37, 37, 15, 15),     // American Express
        (300, 305, 14, 19),   // Diners Club
        (36, 36, 14, 19),     // Diners Club
        (38, 39, 16, 19),     // Diners Club
        (3528, 3589, 16, 19), // JCB
        (6011, 6011, 16, 19), // Discover
        (644, 649, 16, 19),   // Discover
        (65, 65, 16, 19),     // Discover, RuPay
        (62, 62, 16, 19),     // UnionPay
        (60, 60, 16, 16),     // RuPay
        (81, 82, 16, 16),     // RuPay
        (508, 508, 16, 16),   // RuPay
        (50, 50, 13, 19),     // Maestro
        (56, 69, 13, 19),     // Maestro
        (1, 1, 15, 15),       // UATP
    ];
    let prefix = |n: usize| {
        digits[..n.min(digits.len())]
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d))
    };
    NETWORKS.iter().any(|&(low, high, shortest, longest)| {
        let width = low.to_string().len();
        (low..=high).contains(&prefix(width)) && (shortest..=longest).contains(&digits.len())
    })
}

fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(*d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

fn iban_ok(s: &str) -> bool {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&s.len()) || !s.is_ascii() {
        return false;
    }
    let rearranged = format!("{}{}", &s[4..], &s[..4]);
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

fn hostname_ok(h: &str, in_url: bool) -> bool {
    let lower = h.to_ascii_lowercase();
    if cluster_service(&lower) {
        return false;
    }
    let labels: Vec<&str> = lower.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    let tld_ok = if in_url { any_tld(tld) } else { known_tld(tld) };
    if labels.len() < 2 || !tld_ok {
        return false;
    }
    // A name has a letter below its top-level domain: digits and dashes
    // alone (`3.5.0-135.0.dev`, a Dart SDK's version) number a release.
    labels[..labels.len() - 1]
        .iter()
        .any(|l| l.bytes().any(|b| b.is_ascii_alphabetic()))
}

/// Whether `name` is the host name a container runtime gives a container:
/// the first twelve hex digits of its id (`root@0370ebb27a37:/app#`), a
/// draw made anew for every container, which names no machine anyone set
/// up.
fn container_hostname(name: &str) -> bool {
    name.len() == 12
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && name.bytes().any(|b| b.is_ascii_digit())
}

/// Whether any detector can report something in `text`; `false` lets the
/// scan skip the automaton. Most values a payload carries are bucket
/// labels, versions, dates and enum names, and none of those can:
/// - with a byte other than ASCII letters, digits and `.+_-`, it may;
/// - without letters, a finding needs 10 digits (card, phone, ids, times)
///   or three dots (IPv4), so `5-9`, `3.21.4`, `2026-11-23` cannot;
/// - with letters and a dot, it may (host names);
/// - with letters and neither digits nor dots (`openwisp-firmware-upgrader`,
///   `mod_stream_management`: module and plugin names), only a long run
///   (28 characters), a MAC of hex letters (five dashes), an all-caps key
///   id (20 capitals) or a token (`xox…` of 15 characters, `glpat-…` of
///   26) can;
/// - with letters and no dot, it needs 13 characters (IBAN, tokens, MAC,
///   UUID) or 10 digits (phone), so `redwood`, `x86_64`, `mod_mam` cannot.
///
/// A property test checks this against the automaton itself.
pub fn may_match(text: &str) -> bool {
    Shape::of(text).may_match(text)
}

/// What one pass over a value's bytes tells: enough to skip the automaton
/// ([`may_match`]) and the name tests ([`device_names`],
/// [`numbered_machine`]) for values that cannot hold what they look for.
#[derive(Clone, Copy)]
struct Shape {
    len: usize,
    lower: usize,
    upper: usize,
    digits: usize,
    dots: usize,
    dashes: usize,
    /// A byte other than ASCII letters, digits and `.+_-`.
    other: bool,
    /// Bytes outside ASCII (letters of other scripts among them).
    non_ascii: usize,
    /// Bytes other than lowercase letters, digits and `-`.
    not_lower_name: bool,
}

impl Shape {
    fn of(text: &str) -> Shape {
        let mut s = Shape {
            len: text.len(),
            lower: 0,
            upper: 0,
            digits: 0,
            dots: 0,
            dashes: 0,
            other: false,
            non_ascii: 0,
            not_lower_name: false,
        };
        for b in text.bytes() {
            match b {
                b'a'..=b'z' => s.lower += 1,
                b'A'..=b'Z' => s.upper += 1,
                b'0'..=b'9' => s.digits += 1,
                b'-' => s.dashes += 1,
                b'.' => s.dots += 1,
                b'+' | b'_' => {}
                0x80.. => {
                    s.other = true;
                    s.non_ascii += 1;
                }
                _ => s.other = true,
            }
        }
        s.not_lower_name =
            s.other || s.upper + s.dots > 0 || s.lower + s.digits + s.dashes != s.len;
        s
    }

    /// See [`may_match`]; `text` is the value this is the shape of.
    fn may_match(&self, text: &str) -> bool {
        let letters = self.lower + self.upper;
        if self.other {
            true
        } else if letters == 0 {
            // A national phone number has 9 digits at least, after its
            // trunk prefix `0` (`030-1234567`).
            self.digits >= 10 || self.digits == 9 && text.contains('0') || self.dots >= 3
        } else if self.digits == 0 && self.dots == 0 {
            self.len >= 28
                || self.dashes >= 5
                || self.upper >= 20
                || (self.len >= 15 && text.contains("xox"))
                || (self.len >= 26 && text.contains("glpat-"))
        } else {
            self.dots > 0 || self.len >= 13 || self.digits >= 10
        }
    }

    /// Whether [`device_names`] can find anything: it looks at each `-`
    /// for a name before it that starts with a letter.
    fn may_name_a_device(&self) -> bool {
        self.dashes > 0 && self.lower + self.upper > 0
    }

    /// Whether [`names::in_text`] can find anything: two capitalised words
    /// (or letters outside ASCII) and a separator.
    fn may_name_a_person(&self) -> bool {
        self.len >= 7 && self.lower >= 4 && (self.upper >= 2 || self.other) || self.non_ascii >= 4
    }

    /// Whether [`numbered_machine`] can hold: 4 to 63 bytes of lowercase
    /// letters, digits and `-`, three letters or more, two digits or more.
    fn may_number_a_machine(&self) -> bool {
        (4..=63).contains(&self.len) && !self.not_lower_name && self.lower >= 3 && self.digits >= 2
    }
}

/// The two automata [`search`] keeps a cache of per thread.
#[derive(Clone, Copy)]
enum Automaton {
    /// [`regex`]: long counted repetitions unbounded.
    Loose = 0,
    /// [`exact_regex`]: the patterns as written.
    Exact = 1,
}

impl Automaton {
    fn regex(self) -> &'static MetaRegex {
        match self {
            Automaton::Loose => regex(),
            Automaton::Exact => exact_regex(),
        }
    }
}

/// Caches of threads that ended, warm, for the next thread's first
/// search (one list per [`Automaton`]): the workers of a parallel scan
/// live for one call, and each rebuilt the lazy DFA's states from nothing.
static SPARE_CACHES: [std::sync::Mutex<Vec<regex_automata::meta::Cache>>; 2] = [
    std::sync::Mutex::new(Vec::new()),
    std::sync::Mutex::new(Vec::new()),
];

/// A thread's caches, handed back to [`SPARE_CACHES`] when the thread ends.
struct HeldCaches([Option<regex_automata::meta::Cache>; 2]);

impl Drop for HeldCaches {
    fn drop(&mut self) {
        for (held, spare) in self.0.iter_mut().zip(&SPARE_CACHES) {
            if let (Some(cache), Ok(mut spare)) = (held.take(), spare.lock())
                && spare.len() < 64
            {
                spare.push(cache);
            }
        }
    }
}

/// One search of `automaton` with this thread's cache (the regex's own
/// pool costs more than the search on short values).
fn search(automaton: Automaton, input: &Input<'_>) -> Option<regex_automata::Match> {
    thread_local! {
        static CACHES: std::cell::RefCell<HeldCaches> =
            const { std::cell::RefCell::new(HeldCaches([None, None])) };
    }
    let re = automaton.regex();
    CACHES.with(|held| {
        let mut held = held.borrow_mut();
        let cache = held.0[automaton as usize].get_or_insert_with(|| {
            SPARE_CACHES[automaton as usize]
                .lock()
                .ok()
                .and_then(|mut spare| spare.pop())
                .unwrap_or_else(|| re.create_cache())
        });
        re.search_with(cache, input)
    })
}

/// Scans one string value found under `key`.
pub fn scan_value(text: &str, key: &str) -> Vec<Finding> {
    scan_value_in(text, KeyContext::of(key))
}

/// `text` with its percent-encoded bytes decoded (twice over at most, for
/// a URL encoded inside an encoded URL), and for each decoded byte, and
/// the end, the offset in `text` it came from. `None` when nothing is
/// encoded, or the decoded bytes are not UTF-8.
fn percent_decoded(text: &str) -> Option<(String, Vec<usize>)> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    if !text.contains('%') {
        return None;
    }
    let mut current = text.to_string();
    let mut map: Vec<usize> = (0..=text.len()).collect();
    let mut changed = false;
    for _ in 0..2 {
        let bytes = current.as_bytes();
        if !bytes
            .windows(3)
            .any(|w| w[0] == b'%' && hex(w[1]).is_some() && hex(w[2]).is_some())
        {
            break;
        }
        let mut out = Vec::with_capacity(bytes.len());
        let mut next_map = Vec::with_capacity(bytes.len() + 1);
        let mut i = 0;
        while i < bytes.len() {
            next_map.push(map[i]);
            match (
                bytes[i],
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                (b'%', Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                (b, _, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        next_map.push(map[bytes.len()]);
        current = String::from_utf8(out).ok()?;
        map = next_map;
        changed = true;
    }
    changed.then_some((current, map))
}

/// Values of at least [`MEMO_MIN_BYTES`] and at most this many bytes are
/// remembered ([`scan_value_in`]).
const MEMO_VALUE_BYTES: usize = 160;

/// Shorter values are scanned each time: a bucket label or a short name is
/// read faster than it is looked up.
const MEMO_MIN_BYTES: usize = 10;

/// Values a thread remembers at most before it starts afresh: some 5 MB
/// of memory per thread at the worst.
const MEMO_VALUES: usize = 1 << 15;

/// What a thread found in the values it scanned ([`scan_value_in`]),
/// keyed by the key context's flags ([`KeyContext::word`]) and the
/// value's bytes, hashed with a random seed: whoever writes the payloads
/// cannot aim at collisions.
#[derive(Default)]
struct ValueMemo {
    found: HashMap<Box<[u8]>, Box<[Finding]>, foldhash::fast::RandomState>,
    /// The key being looked up, built here to spare an allocation.
    scratch: Vec<u8>,
}

thread_local! {
    static MEMO: std::cell::RefCell<ValueMemo> = std::cell::RefCell::new(ValueMemo::default());
}

/// [`scan_value`] under a key's context.
///
/// Values recur: what a product ships (its versions, module and driver
/// names, the hosts of its services) comes back in every payload of every
/// installation, and the same key's context reads it the same way each
/// time. So each thread remembers what it found in the values it scanned,
/// and scans each (context, value) once. The memory is bounded
/// ([`MEMO_VALUES`]): a stream of values that never repeat costs a lookup
/// each and a fresh start now and then, nothing more.
fn scan_value_in(text: &str, key: KeyContext) -> Vec<Finding> {
    if !(MEMO_MIN_BYTES..=MEMO_VALUE_BYTES).contains(&text.len()) {
        return scan_value_afresh(text, key);
    }
    let known = MEMO.with(|memo| {
        let memo = &mut *memo.borrow_mut();
        memo_key(&mut memo.scratch, key, text);
        memo.found.get(memo.scratch.as_slice()).map(|f| f.to_vec())
    });
    if let Some(found) = known {
        return found;
    }
    // Scanned outside the borrow: a value can hold another to scan (base64
    // of text).
    let found = scan_value_afresh(text, key);
    MEMO.with(|memo| {
        let memo = &mut *memo.borrow_mut();
        if memo.found.len() >= MEMO_VALUES {
            memo.found.clear();
        }
        let mut entry = Vec::with_capacity(4 + text.len());
        memo_key(&mut entry, key, text);
        memo.found
            .insert(entry.into_boxed_slice(), found.clone().into_boxed_slice());
    });
    found
}

/// `buf` made the memory's key of `text` under `key`: the context's flags,
/// then the value's bytes.
fn memo_key(buf: &mut Vec<u8>, key: KeyContext, text: &str) {
    buf.clear();
    buf.extend_from_slice(&key.word().to_le_bytes());
    buf.extend_from_slice(text.as_bytes());
}

/// [`scan_value_in`] without its memory.
fn scan_value_afresh(text: &str, key: KeyContext) -> Vec<Finding> {
    let mut out = scan_plain_value_in(text, key);
    // An object written into a text (a row in an error message, a request
    // body in a log line) is read as the document it is: its values are
    // judged under their keys, as the payload's are.
    if memchr::memmem::find(text.as_bytes(), b"{\"").is_some() {
        let read = embedded_findings(text);
        if !read.is_empty() {
            out.retain(|o| !overlaps(&read, &o.range));
            out.extend(read);
            out.sort_by_key(|f| f.range.start);
        }
    }
    // Percent-encoded text (a URL in a query string, a tracker's request,
    // encoded twice at times) is read decoded too, each finding mapped
    // back to the encoded bytes it came from; the decoded reading is the
    // true one where the two overlap (`%2Fwiki.…` read raw starts `2F`).
    if let Some((decoded, map)) = percent_decoded(text) {
        let read: Vec<Finding> = scan_plain_value_in(&decoded, key)
            .into_iter()
            .map(|f| Finding {
                kind: f.kind,
                range: map[f.range.start]..map[f.range.end],
            })
            .collect();
        out.retain(|o| !overlaps(&read, &o.range));
        out.extend(read);
        out.sort_by_key(|f| f.range.start);
    }
    if !out.is_empty() || text.is_ascii() && !text.bytes().any(|b| b.is_ascii_control()) {
        return out;
    }
    // A value is read as a collector or a person would read it: without
    // the invisible characters and control bytes that split it for a
    // matcher (`alice\u{200B}@example.org`, `alice\0@…`), with the other
    // scripts' full stops and at signs as `.` and `@` (IDNA maps them).
    // What is found there covers the whole value.
    let Some(plain) = plain_form(text) else {
        return out;
    };
    let mut kinds: Vec<Kind> = scan_plain_value_in(&plain, key)
        .into_iter()
        .map(|f| f.kind)
        .collect();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| Finding {
            kind,
            range: 0..text.len(),
        })
        .collect()
}

/// `text` without hidden characters and control bytes, with ideographic
/// and full-width full stops and at signs as ASCII; `None` when that
/// changes nothing.
fn plain_form(text: &str) -> Option<String> {
    let mut changed = false;
    let plain: String = text
        .chars()
        .filter_map(|c| {
            let mapped = match c {
                '\u{3002}' | '\u{FF0E}' | '\u{FF61}' => Some('.'),
                '\u{FF20}' | '\u{FE6B}' => Some('@'),
                // Full-width forms of ASCII (NFKC maps them back).
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
                c if crate::text::is_hidden(c) || c.is_control() => None,
                c => Some(c),
            };
            changed |= mapped != Some(c);
            mapped
        })
        .collect();
    changed.then_some(plain)
}

fn scan_plain_value_in(text: &str, key: KeyContext) -> Vec<Finding> {
    let shape = Shape::of(text);
    let mut out = if shape.may_match(text) {
        automaton_findings(text, key)
    } else {
        Vec::new()
    };
    key_findings(text, key, &mut out);
    if shape.may_name_a_device() {
        // A machine's default name beside another host (`https://LAPTOP-…/`
        // next to a public mirror): each is judged, neither hides the other.
        let mut devices = Vec::new();
        device_names(text, key, &mut devices);
        devices.retain(|d| !overlaps(&out, &d.range));
        out.extend(devices);
    }
    if shape.other {
        let mut owned = owned_devices(text);
        owned.retain(|d| !overlaps(&out, &d.range));
        out.extend(owned);
    }
    if shape.dashes >= 1
        && shape.other
        && (memchr::memmem::find(text.as_bytes(), b"--").is_some()
            || memchr::memmem::find(text.as_bytes(), b" -p").is_some())
    {
        option_values(text, &mut out);
    }
    if shape.other
        && (memchr::memmem::find(text.as_bytes(), b"://").is_some()
            || memchr::memmem::find(text.as_bytes(), b"\\\\").is_some())
    {
        for range in share_hosts(text) {
            if !overlaps(&out, &range) {
                out.push(Finding {
                    kind: Kind::Hostname,
                    range,
                });
            }
        }
    }
    if shape.other && memchr::memchr(b'=', text.as_bytes()).is_some() {
        labelled_pairs(text, &mut out);
    }
    if shape.other && shape.digits > 0 && shape.len >= 16 {
        named_in_prose(text, &mut out);
    }
    if shape.other && memchr::memchr_iter(b'\n', text.as_bytes()).nth(1).is_some() {
        config_lines(text, &mut out);
    }
    if shape.non_ascii > 0 {
        if memchr::memmem::find(text.as_bytes(), "°".as_bytes()).is_some() {
            sexagesimal_coordinates(text, &mut out);
        }
        if memchr::memmem::find(text.as_bytes(), "〒".as_bytes()).is_some() {
            postal_marked_addresses(text, &mut out);
        }
    }
    if shape.dots > 0
        && shape.len >= 12
        && (contains_bytes_ci(text.as_bytes(), b"lat")
            || contains_bytes_ci(text.as_bytes(), b"lon")
            || contains_bytes_ci(text.as_bytes(), b"lng"))
    {
        labelled_coordinates(text, &mut out);
    }
    if shape.other
        && (memchr::memmem::find(text.as_bytes(), b" as ").is_some()
            || memchr::memmem::find(text.as_bytes(), b" user ").is_some()
            || memchr::memmem::find(text.as_bytes(), b"ssword for ").is_some()
            || memchr::memmem::find(text.as_bytes(), b"uid=").is_some()
            || memchr::memmem::find(text.as_bytes(), b"sudoers").is_some())
    {
        logins_in_messages(text, &mut out);
    }
    if shape.other
        && (memchr::memmem::find(text.as_bytes(), b"'@'").is_some()
            || memchr::memmem::find(text.as_bytes(), b"ser \"").is_some()
            || memchr::memmem::find(text.as_bytes(), b"ser '").is_some())
    {
        quoted_accounts(text, &mut out);
    }
    if shape.other && shape.dots > 0 && memchr::memchr(b'@', text.as_bytes()).is_some() {
        let mut accounts = Vec::new();
        federated_accounts(text, &mut accounts);
        // The account is the finding; its server is part of it.
        out.retain(|f| {
            !accounts
                .iter()
                .any(|a| a.range.start <= f.range.start && f.range.end <= a.range.end)
        });
        accounts.retain(|a| !overlaps(&out, &a.range));
        out.extend(accounts);
    }
    if shape.digits > 0 && shape.other {
        for range in address::in_text(text) {
            if !overlaps(&out, &range) {
                out.push(Finding {
                    kind: Kind::StreetAddress,
                    range,
                });
            }
        }
    }
    if shape.digits >= 17 || shape.digits > 0 && memchr::memchr(b'_', text.as_bytes()).is_some() {
        for range in service_account_ids(text) {
            out.retain(|f| {
                !(f.range.start <= range.start
                    && range.end <= f.range.end
                    && f.kind == Kind::Secret)
            });
            if !overlaps(&out, &range) {
                out.push(Finding {
                    kind: Kind::PersistentId,
                    range,
                });
            }
        }
    }
    if shape.dots + shape.other as usize > 0 && memchr::memchr(b'/', text.as_bytes()).is_some() {
        for range in per_user_directories(text) {
            if !overlaps(&out, &range) {
                out.push(Finding {
                    kind: Kind::Username,
                    range,
                });
            }
        }
    }
    if shape.may_name_a_person() {
        let mut named = names::in_text(text);
        if shape.upper >= 2 {
            named.extend(names::camel_in_text(text));
        }
        if shape.non_ascii >= 4 {
            named.extend(names::cjk_in_text(text));
        }
        for range in named {
            if !overlaps(&out, &range) {
                out.push(Finding {
                    kind: Kind::PersonName,
                    range,
                });
            }
        }
    }
    if shape.other {
        // Account numbers and ORCID iDs are named in prose, account
        // numbers also in a URL's path: a text without a space or a `/`
        // (an id, a version, a host) holds none.
        let prose = memchr::memchr(b' ', text.as_bytes()).is_some();
        let mut named = Vec::new();
        if prose || memchr::memchr(b'/', text.as_bytes()).is_some() {
            named.extend(numbered_party(text));
        }
        if prose {
            named.extend(orcid_ids(text));
        }
        if shape.digits >= 12
            && (memchr::memmem::find(text.as_bytes(), b"arn:aws").is_some()
                || memchr::memmem::find(text.as_bytes(), b".dkr.ecr.").is_some())
        {
            named.extend(arn_accounts(text));
        }
        if FORGES
            .iter()
            .chain(&["Merge pull request"])
            .any(|f| memchr::memmem::find(text.as_bytes(), f.as_bytes()).is_some())
        {
            named.extend(forge_accounts(text));
        }
        for f in labelled_in_text(text).into_iter().chain(named) {
            if !overlaps(&out, &f.range) {
                out.push(f);
            }
        }
    }
    // The side passes append: findings are in text order whichever ran.
    out.sort_by_key(|f| f.range.start);
    if out.is_empty() && shape.may_number_a_machine() && numbered_machine(text) {
        out.push(Finding {
            kind: Kind::Hostname,
            range: 0..text.len(),
        });
    }
    out
}

/// Whether `range` overlaps a finding of `found`: a later pass over a value
/// adds only what the earlier ones left.
fn overlaps(found: &[Finding], range: &Range<usize>) -> bool {
    found
        .iter()
        .any(|f| f.range.start < range.end && range.start < f.range.end)
}

/// The label a `=` at `eq` in `text` ends (`user` in `?user=…`, `ssh-password`
/// in `--ssh-password=…`): where its name starts, and the name without its
/// leading dashes, when that is a label's name ([`label_name`]). Whether a
/// separator stands before it is the caller's to judge, in its own text.
pub fn label_before(text: &str, eq: usize) -> Option<(usize, &str)> {
    let start = text.as_bytes()[..eq]
        .iter()
        .rposition(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')))
        .map_or(0, |i| i + 1);
    let name = text[start..eq].trim_start_matches('-');
    label_name(name).then_some((start, name))
}

/// The values of `label=value` pairs in text (a query string, logfmt,
/// `--switch=value`), judged under their label as a key's value is under
/// the key: `?lat=30.3149&lon=-97.7448`, `user=jdoe42`, `--ssh-password=…`.
fn labelled_pairs(text: &str, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    for eq in memchr::memchr_iter(b'=', b) {
        let Some((name_start, name)) = label_before(text, eq) else {
            continue;
        };
        let separated = name_start == 0
            || matches!(
                b[name_start - 1],
                b'?' | b'&' | b';' | b' ' | b',' | b'"' | b'(' | b'{' | b'|' | b'\t' | b'\n'
            );
        let end = b[eq + 1..]
            .iter()
            .position(|&c| {
                c.is_ascii_whitespace()
                    || matches!(
                        c,
                        b'&' | b';' | b',' | b'"' | b'\'' | b')' | b'#' | b'|' | b'}'
                    )
            })
            .map_or(b.len(), |i| eq + 1 + i);
        let range = eq + 1..end;
        if !separated || range.is_empty() || overlaps(out, &range) {
            continue;
        }
        let context = KeyContext::of(name);
        if context == KeyContext::default() {
            continue;
        }
        let mut found = Vec::new();
        key_findings(&text[range.clone()], context, &mut found);
        out.extend(found.into_iter().map(|f| Finding {
            kind: f.kind,
            range: range.start + f.range.start..range.start + f.range.end,
        }));
    }
}

/// A position written in degrees, minutes and seconds
/// (`6°34'55.7"N 3°27'01.3"E`, `52°31.2'N 13°24.6'E`): a latitude (`N`,
/// `S`) and a longitude (`E`, `W`) close together, as maps and GPS
/// receivers print them. One finding from the first to the last.
fn sexagesimal_coordinates(text: &str, out: &mut Vec<Finding>) {
    static PART: OnceLock<MetaRegex> = OnceLock::new();
    let part = PART.get_or_init(|| {
        MetaRegex::new(
            r#"[0-9]{1,3}° ?[0-9]{1,2}(?:[.,][0-9]+)?['′](?: ?[0-9]{1,2}(?:[.,][0-9]+)?(?:"|″|''))? ?[NSEW]"#,
        )
        .expect("the pattern compiles")
    });
    let parts: Vec<(usize, usize, u8)> = part
        .find_iter(text)
        .map(|m| (m.start(), m.end(), text.as_bytes()[m.end() - 1]))
        .collect();
    for pair in parts.windows(2) {
        let ((start, _, a), (next, end, b)) = (pair[0], pair[1]);
        let latitude = |c: u8| matches!(c, b'N' | b'S');
        if latitude(a) != latitude(b) && next - start <= 48 && !overlaps(out, &(start..end)) {
            out.push(Finding {
                kind: Kind::GeoCoordinate,
                range: start..end,
            });
        }
    }
}

/// A Japanese address after its postal mark (`〒154-0010 東京都世田谷区…`):
/// the mark, the seven-digit code, and the address up to the end of its
/// line, a quote or 48 characters.
fn postal_marked_addresses(text: &str, out: &mut Vec<Finding>) {
    for (at, mark) in text.match_indices('〒') {
        let rest = &text[at + mark.len()..];
        let code = rest.trim_start_matches(' ');
        let b = code.as_bytes();
        let coded = b.len() >= 8
            && b[..3].iter().all(u8::is_ascii_digit)
            && b[3] == b'-'
            && b[4..8].iter().all(u8::is_ascii_digit);
        if !coded {
            continue;
        }
        let tail: usize = code
            .char_indices()
            .take(48)
            .take_while(|&(_, c)| !matches!(c, '\n' | '\r' | '"' | '\'' | '\\'))
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(8);
        let end = text.len() - code.len() + tail;
        let range = at..end;
        if !overlaps(out, &range) {
            out.push(Finding {
                kind: Kind::StreetAddress,
                range,
            });
        }
    }
}

/// A coordinate that the word before it names, in code or a log line
/// (`#define HOME_LAT 41.879869`, `lon: -2.610237`): a decimal of four
/// places or more after a word that names a latitude or a longitude (as a
/// key does, [`coordinate_key`]), a space, `:` or `=` between.
fn labelled_coordinates(text: &str, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    for dot in memchr::memchr_iter(b'.', b) {
        let int_start = b[..dot]
            .iter()
            .rposition(|c| !c.is_ascii_digit())
            .map_or(0, |i| i + 1);
        let frac_end = b[dot + 1..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(b.len(), |i| dot + 1 + i);
        if !(1..=3).contains(&(dot - int_start))
            || frac_end - dot - 1 < 4
            || b.get(frac_end)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.')
        {
            continue;
        }
        let start = if int_start > 0 && matches!(b[int_start - 1], b'-' | b'+') {
            int_start - 1
        } else {
            int_start
        };
        // The separator: spaces, a `:` or `=`, a quote, four bytes at most.
        let mut word_end = start;
        while word_end > 0
            && start - word_end < 4
            && matches!(b[word_end - 1], b' ' | b'\t' | b':' | b'=' | b'"' | b'\'')
        {
            word_end -= 1;
        }
        if word_end == start {
            continue;
        }
        let word_start = b[..word_end]
            .iter()
            .rposition(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
            .map_or(0, |i| i + 1);
        let word = &text[word_start..word_end];
        let degrees = text[start..frac_end].parse::<f64>().unwrap_or(f64::MAX);
        if !word.is_empty()
            && coordinate_key(word)
            && degrees.abs() <= 180.0
            && !overlaps(out, &(start..frac_end))
        {
            out.push(Finding {
                kind: Kind::GeoCoordinate,
                range: start..frac_end,
            });
        }
    }
}

/// A configuration file held in a string (an INI or `.env` file attached
/// to a crash report, YAML in a message) is read as its lines say: each
/// `key = value` or `key: value` line's value is judged under its key, as
/// a JSON member's is (`player_name = "InvertedQueen76"`, `smtp_host:
/// mail.corp.acme.io`). Only a text of three such lines or more is read
/// so; a sentence with a colon is not a file.
fn config_lines(text: &str, out: &mut Vec<Finding>) {
    let mut lines: Vec<(usize, &str, &str)> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        let Some(sep) = body.find(['=', ':']) else {
            continue;
        };
        let key = body[indent..sep].trim_end();
        if key.is_empty()
            || key.len() > 64
            || !key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        {
            continue;
        }
        let raw = &body[sep + 1..];
        let value = raw.trim_start();
        let quoted = value.len() >= 2
            && (value.starts_with('"') && value.ends_with('"')
                || value.starts_with('\'') && value.ends_with('\''));
        let value_at = start + sep + 1 + (raw.len() - value.len()) + usize::from(quoted);
        let value = if quoted {
            &value[1..value.len() - 1]
        } else {
            value.trim_end()
        };
        lines.push((value_at, key, value));
    }
    if lines.len() < 3 {
        return;
    }
    for (value_at, key, value) in lines {
        if value.is_empty() || value.len() > MEMO_VALUE_BYTES {
            continue;
        }
        let context = KeyContext::of(key);
        if context == KeyContext::default() {
            continue;
        }
        for f in key_findings_at(value, context, value_at) {
            if !overlaps(out, &f.range) {
                out.push(f);
            }
        }
    }
}

/// A machine-made value that a word before it names, in prose or in a
/// key's notation inside text (JSON in a command line, a line of code or
/// configuration): `for token 9T2xWhApcI9dIH5MLrjfueCw`, `WITH PASSWORD
/// 'Tr0ub4dor#49770rb'`, `board serial 1000000021cee78f`,
/// `{"password":"s3cr3t-Pa55"}`, `password = "Butterfly774!"`. The word says what the value is, as a key
/// does: a secret's (not a `key`'s alone) or a hardware serial's.
fn named_in_prose(text: &str, out: &mut Vec<Finding>) {
    // What a naming word holds, one of: the stems of the secret and
    // outside-id keys (the key's reading then decides).
    const STEMS: &[&str] = &[
        "pass", "pwd", "token", "secret", "key", "cred", "serial", "imei", "imsi", "iccid", "meid",
        "idfa", "gaid", "adid", "aaid", "assettag",
    ];
    let b = text.as_bytes();
    for gap in memchr::memchr3_iter(b' ', b':', b'=', b) {
        // The word right before the gap (a closing quote, a `:` or `=` and
        // a space between at most: `"password":`, `password =`), 3 to 32
        // bytes: a bounded look back, never the whole text.
        let mut word_end = gap;
        while word_end > 0
            && word_end + 3 > gap
            && matches!(b[word_end - 1], b' ' | b':' | b'=' | b'"' | b'\'')
        {
            word_end -= 1;
        }
        // A qualifier in brackets after the label (`Serial Number
        // (system): …`, as macOS's `system_profiler` prints it).
        if word_end > 0
            && b[word_end - 1] == b')'
            && let Some(open) = memchr::memrchr(b'(', &b[word_end.saturating_sub(24)..word_end])
        {
            word_end = word_end.saturating_sub(24) + open;
            while word_end > 0 && b[word_end - 1] == b' ' {
                word_end -= 1;
            }
        }
        let word_back = |end: usize| {
            let mut start = end;
            while start > 0
                && end - start <= 32
                && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_')
            {
                start -= 1;
            }
            start
        };
        let mut word_start = word_back(word_end);
        // A label of two words whose second only says it is a number
        // (`Serial Number`, `IMEI No`): the first says of what.
        if ["number", "no", "nr", "id", "code"]
            .iter()
            .any(|w| text[word_start..word_end].eq_ignore_ascii_case(w))
            && word_start >= 2
            && b[word_start - 1] == b' '
        {
            word_end = word_start - 1;
            word_start = word_back(word_end);
        }
        let word = &text[word_start..word_end];
        if !(3..=32).contains(&word.len()) || !STEMS.iter().any(|stem| contains_ci(word, stem)) {
            continue;
        }
        // The value: after spaces, the rest of a `:`, `=` or `=>` and an
        // opening quote, 8 to 128 bytes of no space or quote, letters and
        // digits mixed.
        let mut start = gap + 1;
        while start < b.len()
            && start <= gap + 4
            && matches!(b[start], b' ' | b'\'' | b'"' | b'=' | b':' | b'>')
        {
            start += 1;
        }
        if start >= b.len() || start > gap + 4 || !b[start].is_ascii_alphanumeric() {
            continue;
        }
        let end = b[start..]
            .iter()
            .take(129)
            .position(|&c| {
                c.is_ascii_whitespace()
                    || matches!(c, b'\'' | b'"' | b',' | b';' | b')' | b'(' | b'\\')
            })
            .map_or((start + 129).min(b.len()), |i| start + i);
        let end = if end > start && b[end - 1] == b'.' {
            end - 1
        } else {
            end
        };
        let Some(value) = text.get(start..end) else {
            continue;
        };
        let digits = value.bytes().filter(u8::is_ascii_digit).count();
        let letters = value.bytes().filter(u8::is_ascii_alphabetic).count();
        if !(8..=128).contains(&value.len()) || digits == 0 || letters == 0 || value.contains('/') {
            continue;
        }
        let context = KeyContext::of(word);
        let kind = if context.secret && !context.key_like && !redacted(value) {
            Kind::Secret
        } else if context.world_id && !version_like(value) {
            Kind::PersistentId
        } else {
            continue;
        };
        if overlaps(out, &(start..end)) {
            continue;
        }
        out.push(Finding {
            kind,
            range: start..end,
        });
    }
}

/// The value of a command-line option written after a space (`--admin-password
/// PNXwufgd78$`, `--lat 39.462862`, `--host build7`, `--user ldubois`): the
/// option names it as a key does, and it is judged as under that key
/// ([`key_findings`]: a secret, a coordinate, a machine, a login, a
/// serial). (`--password=…` is a label, read by the detectors.) Also the
/// MySQL clients' password glued to its switch (`mysqldump -u backup
/// -pQuartz_94387`), which their manuals document.
fn option_values(text: &str, out: &mut Vec<Finding>) {
    for (i, _) in text.match_indices("--") {
        let rest = &text[i + 2..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let Some(value) = rest[name_len..].strip_prefix(' ') else {
            continue;
        };
        let value_len = value
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\\'))
            .unwrap_or(value.len());
        let start = i + 2 + name_len + 1;
        if name.is_empty()
            || value_len < 4
            || value.starts_with('-') && !value[1..].starts_with(|c: char| c.is_ascii_digit())
            || redacted(&value[..value_len])
            || overlaps(out, &(start..start + value_len))
        {
            continue;
        }
        let named = KeyContext::of(name);
        // What the option's name says of its value; an id's option (a run's,
        // a job's) names what each run draws anew.
        let context = KeyContext {
            secret: named.secret && !named.key_like && !named.hash,
            coordinate: named.coordinate,
            host: named.host,
            user_name: named.user_name,
            world_id: named.world_id,
            phone: named.phone,
            quantity: named.quantity,
            ..KeyContext::default()
        };
        if context == KeyContext::default() {
            continue;
        }
        out.extend(key_findings_at(&value[..value_len], context, start));
    }
    let mysql = memchr::memmem::find(text.as_bytes(), b" -p").is_some()
        && ["mysql", "mariadb"]
            .iter()
            .any(|c| memchr::memmem::find(text.as_bytes(), c.as_bytes()).is_some());
    if mysql {
        for (i, _) in text.match_indices(" -p") {
            let start = i + 3;
            let len = text[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\''))
                .unwrap_or(text.len() - start);
            let client = text[..i].split_whitespace().any(|w| {
                let w = w.rsplit('/').next().unwrap_or(w);
                w.starts_with("mysql") || w.starts_with("mariadb")
            });
            if len >= 4
                && client
                && !placeholder_secret(&text[start..start + len])
                && !redacted(&text[start..start + len])
                && !overlaps(out, &(start..start + len))
            {
                out.push(Finding {
                    kind: Kind::Secret,
                    range: start..start + len,
                });
            }
        }
    }
}

/// The machines that serve files on a local network, named by the URLs
/// and paths that reach them: `smb://`, `cifs://`, `nfs://` and `afp://`
/// URLs and Windows' UNC paths (`\\nas-office\scans`). Nobody
/// mounts a share from the public internet, so their host is a private
/// machine even as one bare label (`cifs://nexus-par12/longhorn`), which
/// elsewhere is most often a service's name. Windows' own names there
/// (`\\?\`, `\\.\pipe`, `wsl$`, `wsl.localhost`, `tsclient`) are
/// no machine's; an address is the address detectors' to judge.
fn share_hosts(text: &str) -> Vec<Range<usize>> {
    const SCHEMES: &[&str] = &["smb", "cifs", "nfs", "afp"];
    const SYSTEM: &[&str] = &["?", ".", "wsl$", "wsl.localhost", "tsclient", "localhost"];
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut host_at = |start: usize, stops: &[u8]| {
        let len = b[start..]
            .iter()
            .position(|c| {
                stops.contains(c) || c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b')')
            })
            .unwrap_or(b.len() - start);
        let host = &text[start..start + len];
        let named = host.bytes().any(|c| c.is_ascii_alphabetic())
            && host
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'$' | b'.'))
            && !host.ends_with('.')
            && !SYSTEM.iter().any(|s| host.eq_ignore_ascii_case(s));
        if named {
            out.push(start..start + len);
        }
    };
    for (at, _) in text.match_indices("://") {
        let scheme_start = text[..at]
            .char_indices()
            .rfind(|&(_, c)| !c.is_ascii_alphanumeric())
            .map_or(0, |(i, c)| i + c.len_utf8());
        if !SCHEMES
            .iter()
            .any(|s| text[scheme_start..at].eq_ignore_ascii_case(s))
        {
            continue;
        }
        // Past a user's name and password, if any.
        let mut start = at + 3;
        let authority_end = text[start..]
            .find(['/', ' '])
            .map_or(text.len(), |i| start + i);
        if let Some(i) = text[start..authority_end].rfind('@') {
            // Credentials that name what belongs there
            // (`USERNAME:PASSWORD@DISKSTATION`) make the URL a
            // documentation's sample.
            let placeholder = text[start..start + i].split(':').all(|w| {
                w.bytes().all(|c| c.is_ascii_uppercase() || c == b'_')
                    || w.starts_with(['<', '{', '*', '$'])
            });
            if placeholder {
                continue;
            }
            start += i + 1;
        }
        host_at(start, b"/:@");
    }
    for (at, _) in text.match_indices("\\\\") {
        // A UNC path starts a value or a word, not inside an escaped text.
        let starts = at == 0 || matches!(b[at - 1], b' ' | b'"' | b'\'' | b'(' | b'=' | b':');
        if starts && at + 2 < b.len() {
            host_at(at + 2, b"\\/");
        }
    }
    out
}

/// Personal devices by the names their systems give them from the
/// owner's name: `Begoña's iPhone`, `Matthew M.'s Galaxy A54`, `Ірина's
/// Pixel 8`. A possessive of a capitalised word (or of a word in a script
/// without case) right before a kind of personal device names its owner;
/// a determiner or a household role before it (`My iPhone`, `Dad's
/// laptop`) names nobody.
fn owned_devices(text: &str) -> Vec<Finding> {
    const DEVICES: &[&str] = &[
        "iphone",
        "ipad",
        "ipod",
        "airpods",
        "macbook",
        "imac",
        "mac",
        "apple",
        "watch",
        "galaxy",
        "pixel",
        "phone",
        "laptop",
        "pc",
        "tablet",
        "kindle",
        "chromebook",
        "surface",
        "thinkpad",
        "desktop",
        "computer",
        "notebook",
        "echo",
        "homepod",
        "nas",
        "xbox",
        "playstation",
        "switch",
        "android",
        "oneplus",
        "xiaomi",
        "redmi",
        "moto",
        "nokia",
        "fire",
    ];
    const NOBODY: &[&str] = &[
        "my", "your", "our", "his", "her", "their", "its", "the", "this", "that", "one", "someone",
        "everyone", "today", "work", "office", "guest", "family", "kids", "dad", "mom", "mum",
        "user", "admin", "owner", "team", "company",
    ];
    let mut out = Vec::new();
    for (at, mark) in text
        .match_indices("'s ")
        .chain(text.match_indices("\u{2019}s "))
    {
        let rest = &text[at + mark.len()..];
        let device = &rest[..rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len())];
        if !DEVICES.iter().any(|d| device.eq_ignore_ascii_case(d)) {
            continue;
        }
        // The owner: the word before the mark (letters, an initial's dot),
        // and one more before it when both are capitalised (`Matthew M.`).
        let word_start = |end: usize| {
            text[..end]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_alphabetic() || c == '.' || c == '-')
                .last()
                .map(|(i, _)| i)
        };
        let Some(mut start) = word_start(at) else {
            continue;
        };
        let owner = &text[start..at];
        let capitalised = |w: &str| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()))
        };
        if !capitalised(owner)
            || owner.chars().filter(|c| c.is_alphabetic()).count() < 2 && !owner.ends_with('.')
            || NOBODY.contains(&owner.trim_end_matches('.').to_lowercase().as_str())
        {
            continue;
        }
        if owner.ends_with('.')
            && start >= 2
            && text[..start].ends_with(' ')
            && let Some(before) = word_start(start - 1)
            && capitalised(&text[before..start - 1])
        {
            start = before;
        }
        let end = at + mark.len() + device.len();
        out.push(Finding {
            kind: Kind::PersonName,
            range: start..end,
        });
    }
    out
}

/// Personal machines by their default names, anywhere in a value:
/// `jane-macbook-pro`, `user-ThinkPad-T14`, `jens-nuc`, Windows'
/// `DESKTOP-7QH2M9K`. Installers name a machine after its owner: Ubuntu's
/// `bjorn-desktop` and `fatima_szabo-laptop` (a login, then the kind of
/// machine), macOS's `MacBook-Pro-de-Juan` in the languages that put the
/// owner last. A kind of machine that any word may precede (`desktop`,
/// `pc`) counts after a person's name only (`remote-desktop` is no one's);
/// a model counts after any name. Found from each `-` (a byte search,
/// cheaper than a pattern in the automaton that would start at every
/// word).
fn device_names(text: &str, key: KeyContext, out: &mut Vec<Finding>) {
    const MODELS: &[&str] = &[
        "macbook", "mbp", "imac", "mac-mini", "thinkpad", "xps", "nuc", "surface",
    ];
    const KINDS: &[&str] = &[
        "desktop",
        "laptop",
        "pc",
        "notebook",
        "workstation",
        "virtualbox",
        "virtual-machine",
    ];
    // `de`, `di`, `von`, `van` and a given name after a model: the owner.
    const OF: &[&str] = &["de", "di", "da", "do", "von", "van"];
    let b = text.as_bytes();
    let word_at = |rest: &str, words: &'static [&'static str]| {
        words.iter().copied().find(|m| {
            rest.len() >= m.len()
                && rest.as_bytes()[..m.len()].eq_ignore_ascii_case(m.as_bytes())
                && rest
                    .as_bytes()
                    .get(m.len())
                    .is_none_or(|&c| !c.is_ascii_alphabetic())
        })
    };
    let token = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    for (i, _) in text.match_indices('-') {
        let rest = &text[i + 1..];
        let start = text[..i]
            .char_indices()
            .rfind(|&(_, c)| !token(c))
            .map_or(0, |(s, c)| s + c.len_utf8());
        let end = i
            + 1
            + rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(rest.len());
        let model = word_at(rest, MODELS).is_some();
        // A person's name, or its possessive (`ANNAS-PC`), before a kind
        // of machine; under a key naming code or a repository (`REPO`:
        // `wayland-desktop`) the name is a project's.
        let owned = || {
            let owner = &text[start..i];
            // A given name, alone or with a surname: an initial and a
            // surname is too often a word by chance (`docker` is `d` and
            // `ocker`).
            let person = |w: &str| {
                matches!(
                    names::person(w),
                    Some("a given name" | "a given name and a surname")
                )
            };
            !key.code_name
                && !key.repository
                && word_at(rest, KINDS).is_some()
                && (person(owner)
                    || owner
                        .strip_suffix(['s', 'S'])
                        .is_some_and(|w| w.len() >= 3 && person(w)))
        };
        let windows = i >= 6
            && (b[i - 6..i].eq_ignore_ascii_case(b"laptop")
                || i >= 7 && b[i - 7..i].eq_ignore_ascii_case(b"desktop"))
            && rest.len() >= 7
            && rest.as_bytes()[..7]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        // `MacBook-Pro-de-Juan`: a model, a word of belonging, a name
        // ending the token.
        let owner_last = || {
            let of = word_at(rest, OF)?;
            let name_at = i + 1 + of.len() + 1;
            let name = text.get(name_at..end)?;
            (rest.as_bytes().get(of.len()) == Some(&b'-')
                && !name.contains('-')
                && names::person(name) == Some("a given name")
                && text[start..i].split('-').any(|w| {
                    MODELS
                        .iter()
                        .chain(&["iphone", "ipad"])
                        .any(|m| w.eq_ignore_ascii_case(m))
                }))
            .then_some(())
        };
        if !(model || windows || owned() || owner_last().is_some()) {
            continue;
        }
        // The token (letters, digits, `-` and `_` around the model) starts
        // with a name (`jane-`), not a bare `-nuc`, and is not a word in a
        // path or URL.
        if start == i || !b[start].is_ascii_alphabetic() {
            continue;
        }
        // A URL's authority (`https://LAPTOP-REMBPWP/…`) is a host.
        let authority = start >= 2 && &b[start - 2..start] == b"//";
        if start > 0 && matches!(b[start - 1], b'/' | b'.') && !authority {
            continue;
        }
        out.push(Finding {
            kind: Kind::Hostname,
            range: start..end,
        });
        return;
    }
}

/// A sequence-numbered machine name, whatever the key: a name of three or
/// more letters, then a zero-padded number other than zero (`web01`,
/// `fra-ci-01`, `node007`). Fleets are named this way; products, versions
/// and locales are not (`x86_64`, `python-3`, `v01`, `en-001` stay clean),
/// nor ids (`node-b5ea…cb05`).
pub fn numbered_machine(text: &str) -> bool {
    let t = text.as_bytes();
    if t.len() < 4
        || t.len() > 63
        || !t
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
    {
        return false;
    }
    let digits = t.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let number = &t[t.len() - digits..];
    if !(2..=3).contains(&digits) || number[0] != b'0' || number.iter().all(|&b| b == b'0') {
        return false;
    }
    let name = text[..t.len() - digits].trim_end_matches('-');
    let first = name.split('-').next().unwrap_or("");
    // The number follows letters (`node007`) or stands alone (`ci-01`):
    // after a run of hex digits (`node-b5ea…bb5cb05`) it ends an id.
    let numbered = text[..t.len() - digits].rsplit('-').next().unwrap_or("");
    first.len() >= 3
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && numbered.bytes().all(|b| b.is_ascii_lowercase())
}

/// What the detectors' automaton and validators find in `text` under `key`.
fn automaton_findings(text: &str, key: KeyContext) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let Some(m) = first_match(&Input::new(text).range(at..)) else {
            break;
        };
        let name = DETECTORS[m.pattern().as_usize()].0;
        let (start, end) = (m.start(), m.end());
        let s = &text[start..end];
        // `site_key=…`, `--launch-time-ticks=…`: a label and its `=` are
        // not part of a token; what follows is searched on its own.
        if name == Detector::HighEntropyToken
            && let Some((label, value)) = label_prefix(s)
        {
            // After a secret's label (`password=…`), the value is a secret
            // by what it is, whatever it looks like.
            let named = KeyContext::of(label);
            if named.secret
                && !named.key_like
                && !named.hash
                && end - start - value >= 8
                && !placeholder_secret(&s[value..])
            {
                out.push(Finding {
                    kind: Kind::Secret,
                    range: start + value..end,
                });
                at = end;
            } else {
                at = start + value;
            }
            continue;
        }
        // `session_id/9fcc…` in a User-Agent: a product token's name and
        // its value; the value is searched alone, after its label, so that
        // it sits at the label's place.
        if name == Detector::HighEntropyToken
            && let Some(slash) = s.find('/')
            && slash >= 2
            && !s[slash + 1..].contains('/')
            && s.len() - slash > 16
            && s[..slash]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || matches!(b, b'_' | b'-' | b'.'))
            && !content_digest(text, start, s)
        {
            at = start + slash + 1;
            continue;
        }
        if let Some(kind) = classify(name, s, key, text, start) {
            let range = match (name, kind) {
                // `pid@host`: the host part is the finding.
                (Detector::Email, Kind::Hostname | Kind::Ipv4) => {
                    start + s.find('@').map_or(0, |i| i + 1)..end
                }
                _ => start..end,
            };
            out.push(Finding { kind, range });
        } else if name == Detector::UrlCredentials
            && let Some(at_sign) = s.rfind('@')
        {
            // Placeholder credentials: the host after them is searched.
            at = start + at_sign + 1;
            continue;
        } else if name == Detector::HighEntropyToken
            && let Some(dash) = s.find('-')
            && dash >= 2
            && s[..dash].bytes().all(|b| b.is_ascii_alphabetic())
            && s.get(dash + 1..dash + 37).is_some_and(canonical_uuid)
        {
            // A UUID after the tag of its kind (NVIDIA's `GPU-20ac57e1-…`,
            // `MIG-…`): the UUID is judged alone, as it would be written
            // without the tag.
            at = start + dash + 1;
            continue;
        } else if name == Detector::HighEntropyToken
            && let Some(slash) = s.rfind('/').filter(|&i| i > 0)
        {
            // A path of words, no token: a home directory may start inside
            // it (`dataset_name//home/yuki.gallo/…`), and its last segment
            // may begin what goes on past the run (`/live/www-04.acme.io/`).
            let home = ["/home/", "/Users/"]
                .iter()
                .filter_map(|h| s[1..].find(h).map(|i| i + 1))
                .min();
            at = start + home.unwrap_or(slash + 1);
            continue;
        }
        at = if end > start {
            end
        } else {
            end + text[end..].chars().next().map_or(1, char::len_utf8)
        };
    }
    out
}

/// Whether `name` can name a value in text that writes `name=value`: at
/// most 64 letters, digits, `_`, `.` or `-`, starting with a letter or `_`.
pub fn label_name(name: &str) -> bool {
    name.bytes()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == b'_')
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// A `label=` (or `--label=`) that starts `s` and is followed by a value:
/// the label's name ([`label_name`]) and where the value starts. Base64's
/// trailing `=` is no label.
pub fn label_prefix(s: &str) -> Option<(&str, usize)> {
    let eq = s.find('=')?;
    let name = s[..eq].trim_start_matches('-');
    let ok = label_name(name)
        && eq - name.len() <= 2
        && s[eq + 1..].bytes().next().is_some_and(|b| b != b'=');
    ok.then_some((name, eq + 1))
}

/// Whether `s` is written like a phone number: 7 to 15 digits, with at
/// most a leading `+` and spaces, dots, dashes or parentheses between.
fn phone_digits(s: &str) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && s.trim_start_matches('+')
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'.' | b'-' | b'(' | b')'))
}

/// [`key_findings`] of `value` under `context`, where `value` starts at
/// `at` of the text it was cut from: a value a label, an option or a
/// configuration line names, judged as under a key.
fn key_findings_at(value: &str, context: KeyContext, at: usize) -> Vec<Finding> {
    let mut found = Vec::new();
    key_findings(value, context, &mut found);
    for f in &mut found {
        f.range = at + f.range.start..at + f.range.end;
    }
    found
}

/// What the key alone makes of a value nothing else flagged: anything under
/// a secret key, a precise number under a coordinate key, a bare machine
/// name under a host key.
fn key_findings(text: &str, key: KeyContext, out: &mut Vec<Finding>) {
    let secret = key.secret;
    if secret && !key.hash {
        // An identifier-looking value under a secret key is the secret (a
        // hash of one stays an identifier).
        for f in out.iter_mut().filter(|f| f.kind == Kind::PersistentId) {
            f.kind = Kind::Secret;
        }
    }
    if out.is_empty()
        && secret
        && !text.trim().is_empty()
        && !placeholder_secret(text.trim())
        && (!key.key_like || key_material(text.trim()))
    {
        out.push(Finding {
            kind: Kind::Secret,
            range: 0..text.len(),
        });
    }
    // Digits under a phone key are the number, punctuated or not.
    if out.is_empty() && key.phone && !key.quantity && phone_digits(text.trim()) {
        out.push(Finding {
            kind: Kind::Phone,
            range: 0..text.len(),
        });
    }
    if out.is_empty() && key.coordinate && precise_decimal(text.trim()) {
        out.push(Finding {
            kind: Kind::GeoCoordinate,
            range: 0..text.len(),
        });
    }
    if out.is_empty() && key.host && hostname_like(text) {
        // A host name of hex digits alone names no one: a machine made it
        // (a container's id, which Docker makes its host name; a pod's or a
        // CI job's name with its hash) or hashed it (`sha1(hostname)`). It
        // is an id, and links as ids do. A Kubernetes service's name in its
        // cluster is a service's name.
        let kind = if cluster_service(&text.trim().to_ascii_lowercase()) {
            None
        } else if machine_hex(text.trim()) || machine_named(text.trim()) {
            Some(Kind::PersistentId)
        } else {
            Some(Kind::Hostname)
        };
        if let Some(kind) = kind {
            out.push(Finding {
                kind,
                range: 0..text.len(),
            });
        }
    }
    // A serial or an advertising id: letters and digits, six or more
    // (`PFXTDJ8N`, `WD-WCC7KGJH9NRH`), or a long number.
    if out.is_empty() && key.world_id && !key.quantity && !documentation_sample(text) {
        let t = text.trim();
        let digits = t.bytes().filter(u8::is_ascii_digit).count();
        // Digits alone only unbroken and long (an IMEI's 15, an ICCID's
        // 19): `2024-03-01` and `10000-99999` are a date and a range.
        let letters = t.bytes().any(|b| b.is_ascii_alphabetic());
        let shaped = (6..=64).contains(&t.len())
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':'))
            && (letters && digits > 0 || !letters && digits >= 10 && digits == t.len())
            && !t.bytes().all(|b| b == b'0' || b == b'-')
            && !version_like(t);
        if shaped {
            out.push(Finding {
                kind: Kind::PersistentId,
                range: 0..text.len(),
            });
        }
    }
    if out.is_empty()
        && key.id
        && (opaque_id(text) || number_id(text.trim()))
        && !documentation_sample(text)
    {
        out.push(Finding {
            kind: Kind::PersistentId,
            range: 0..text.len(),
        });
    }
    // Under a key for a login (`UserName`, `os_user`, `login`), a login
    // that names someone (`kofi.ivanova`, `jdoe42`); a role's account
    // (`root`, `admin`) names no one.
    // An owner's account names an organisation or a person; rarity tells
    // a public one (`aws-samples`, sent by many) from the installation's.
    if out.is_empty() && key.user_name && named_login(text.trim()) {
        // Hex digits alone, eight or more with digits and letters both, in
        // one case, are a hash of the login a program made to pseudonymise
        // it (`cb0c4ff7`), not a login a person picked: an id, which links
        // and is judged where it sits as ids are.
        let hashed = hex_run(text.trim(), 8, 2);
        out.push(Finding {
            kind: if hashed {
                Kind::PersistentId
            } else {
                Kind::Username
            },
            range: 0..text.len(),
        });
    }
    // Under a key for a person's name (`full_name`, `contactName`,
    // `first_name`), capitalised words one of which is a known name are
    // the name (`Sanne Marchetti`; not `Support Team`). So they are under
    // a login's key, where systems put the display name as often
    // (`UserName: Mark Hargrove`).
    if out.is_empty() && (key.person_name || key.user_name) && names::name_shaped(text.trim()) {
        out.push(Finding {
            kind: Kind::PersonName,
            range: 0..text.len(),
        });
    }
}

/// Whether a credential's text says it is a documentation's sample
/// (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`).
fn documentation_sample(s: &str) -> bool {
    ["example", "sample", "dummy", "placeholder"]
        .iter()
        .any(|w| contains_ci(s, w))
}

/// Whether `s` stands in a credential's place without being one: masked
/// ([`redacted`]), or a placeholder that names what belongs there
/// (`PASSWORD`, `<password>`, `${DB_PASS}`, `your_password`).
fn placeholder_secret(s: &str) -> bool {
    // A name between brackets, braces or percent signs: a template's slot.
    let slot = [("<", ">"), ("${", "}"), ("{", "}"), ("%", "%"), ("[", "]")]
        .iter()
        .find_map(|(open, close)| s.strip_prefix(open)?.strip_suffix(close))
        .is_some_and(|name| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
    let full = s.to_ascii_lowercase();
    let lower = full
        .strip_prefix("your_")
        .or_else(|| full.strip_prefix("your-"))
        .unwrap_or(&full);
    // Words alone that say it is a sample (`DEMO_KEY`, `your-api-token`);
    // a default (`changeme`) is still a password.
    let sample = s
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'-')
        && full.split(['_', '-']).any(|w| {
            matches!(
                w,
                "demo" | "example" | "sample" | "dummy" | "placeholder" | "your"
            )
        });
    redacted(s)
        || slot
        || sample
        || matches!(
            lower,
            "password" | "pass" | "passwd" | "pwd" | "secret" | "token"
        )
}

/// A value that stands in for a secret without being one: empty-ish words,
/// masks (`********`, `xxxx`), redaction markers (`[FILTERED]`,
/// `<redacted>`, `$encrypted$`).
fn redacted(s: &str) -> bool {
    if matches!(s, "none" | "null" | "false" | "true" | "0" | "-" | "n/a") {
        return true;
    }
    if s.chars()
        .all(|c| matches!(c, '*' | '•' | '●' | 'x' | 'X' | '#' | '-' | '.'))
    {
        return true;
    }
    // The marker's word, whatever wraps and pads it (`< hidden >`, `[ REDACTED ]`).
    let inner = s
        .trim_matches(|c: char| {
            matches!(c, '[' | ']' | '<' | '>' | '(' | ')' | '$' | '{' | '}' | '*')
                || c.is_whitespace()
        })
        .to_ascii_lowercase();
    s.len() <= 24
        && matches!(
            inner.as_str(),
            "filtered"
                | "redacted"
                | "secret"
                | "hidden"
                | "masked"
                | "encrypted"
                | "removed"
                | "sensitive"
                | "password"
                | "not set"
                | "unset"
                | "omitted"
                | "private"
        )
}

/// `v2`, `3.1`, `V10`: a version, not a machine.
fn version_like(s: &str) -> bool {
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A bare machine name under a host key: one label, letters and digits.
fn hostname_like(s: &str) -> bool {
    if s.is_empty()
        || s.len() > 253
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        || !s.chars().any(|c| c.is_ascii_alphabetic())
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "localhost" | "none" | "default" | "unknown" | "other" | "true" | "false"
    )
        // What the machine is (`ARM64`, `Linux`), not what it is called.
        && crate::vocabulary::platform(&lower).is_none()
}

/// Whether the run at `start` of `text` is a digest written with its
/// algorithm's name, as content addresses and fingerprints are: OCI and
/// Docker (`sha256:9f86…`), Subresource Integrity and npm (`sha512-z4Pm…`),
/// Go and Terraform module hashes (`h1:6GNQ…`), SSH key fingerprints
/// (`SHA256:uJ8m…`).
fn content_digest(text: &str, start: usize, run: &str) -> bool {
    const ALGORITHMS: &[&str] = &[
        "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3-256", "sha3-512", "blake2b",
        "blake2s", "blake3", "h1",
    ];
    // `label` ends with an algorithm's name, which starts a word.
    let named = |label: &str| {
        ALGORITHMS.iter().any(|a| {
            label.len() >= a.len()
                && label.is_char_boundary(label.len() - a.len())
                && label[label.len() - a.len()..].eq_ignore_ascii_case(a)
                && !label[..label.len() - a.len()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        })
    };
    // The match may hold the label itself (`sha512-z4Ph…`).
    if let Some((label, digest)) = run.split_once([':', '-'])
        && digest.len() >= 16
        && ALGORITHMS.iter().any(|a| label.eq_ignore_ascii_case(a))
    {
        return true;
    }
    // Or follow it; a base64 digest's `/` and `+` may have split the run.
    let before = text[..start]
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
    before.strip_suffix([':', '-']).is_some_and(named)
}

fn classify(name: Detector, s: &str, key: KeyContext, text: &str, start: usize) -> Option<Kind> {
    let before = text[..start].chars().next_back();
    let after = text[start + s.len()..].chars().next();
    // A digest is an identifier of what it digests: rare, it can name a
    // machine (an SSH host key's `SHA256:…` fingerprint); common, it names
    // a release. Rarity decides; it is never a secret by its looks.
    if name == Detector::HighEntropyToken && content_digest(text, start, s) {
        return Some(Kind::PersistentId);
    }
    // `image@sha256:…`: a reference pinned by digest, not a user at a host.
    if after == Some(':') && s.contains('@') && content_digest(text, start + s.len() + 1, "") {
        return None;
    }
    match name {
        // A documentation's sample (AWS's `AKIAIOSFODNN7EXAMPLE`) says so.
        Detector::PrivateKey | Detector::Jwt | Detector::Token => {
            (!documentation_sample(s)).then_some(Kind::Secret)
        }
        // A password masked (`rtsp://*:*@cam:554`) or standing for itself
        // (`smb://USERNAME:PASSWORD@nas`, `<password>`) is no credential:
        // the URL's host is judged on its own.
        Detector::UrlCredentials => {
            let userinfo = s
                .split_once("://")
                .and_then(|(_, rest)| rest.rsplit_once('@'))
                .map_or("", |(u, _)| u);
            let pass = userinfo.split_once(':').map_or("", |(_, p)| p);
            (!placeholder_secret(pass)).then_some(Kind::UrlCredentials)
        }
        Detector::Email => {
            let (local, domain) = s.rsplit_once('@')?;
            if local.is_empty() {
                return None;
            }
            // A mailbox hashed before sending, its provider kept
            // (`476a…1d00@icloud.com`): the digest names no one and links
            // as any id does.
            if digest_hex(local) {
                return Some(Kind::PersistentId);
            }
            // `git@github.com:org/repo`: an SSH remote in scp's form, a
            // login at a host, not a mailbox; the host is judged as one (a
            // port after the colon, `user:pass@redis:6379`, is no path).
            let rest = &text[start + s.len()..];
            let path = rest.strip_prefix(':').is_some_and(|p| {
                let first = p.split(['/', '"', ' ']).next().unwrap_or("");
                p.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '/' || c == '~')
                    && !first.bytes().all(|b| b.is_ascii_digit())
            });
            if path && !text[..start].contains("://") {
                return (!public_host(domain) && hostname_ok(domain, true))
                    .then_some(Kind::Hostname);
            }
            // `git+ssh://git@github.com/org/repo`: a URL's user at its host,
            // not a mailbox. A system or service account (`git`, `root`)
            // names no one, and the host is judged as one; another login
            // is a person's.
            if text[..start].ends_with("://") {
                if SYSTEM_ACCOUNTS.contains(&local.to_ascii_lowercase().as_str()) {
                    return (!public_host(domain) && hostname_ok(domain, true))
                        .then_some(Kind::Hostname);
                }
                return Some(Kind::Username);
            }
            // `admin@172.31.98.228`: a login at an address, not a mailbox;
            // the address is judged as one.
            if domain.parse::<std::net::Ipv4Addr>().is_ok() {
                let at = start + s.len() - domain.len();
                return classify(Detector::Ipv4, domain, key, text, at);
            }
            if domain.contains('.') {
                // File extensions are no excuse after an `@`: `x@y.pl` is mail.
                let tld = domain.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                any_tld(&tld).then_some(Kind::Email)
            } else if domain.chars().any(|c| c.is_ascii_alphabetic())
                && !version_like(domain)
                && !container_hostname(domain)
            {
                // `pid@host`, `worker@machine`: a bare machine name.
                Some(Kind::Hostname)
            } else {
                None
            }
        }
        Detector::Uuid => Some(Kind::PersistentId),
        Detector::Mac => {
            // Not part of a longer hex run (an IPv6 address, a hash), nor a
            // dotted run of digits only (`2024.0531.1402`).
            let dotted = s.contains('.');
            // The underscored form ends a name's part as often as not
            // (PulseAudio's `bluez_sink.3C_A6_2F_54_13_D6.a2dp_sink`): only
            // more octets after it make it part of a longer run.
            let separated = if s.contains('_') {
                matches!(after, Some('_'))
            } else {
                matches!(after, Some(':' | '-' | '.')) || matches!(before, Some(':' | '-' | '.'))
            };
            // BlueZ writes a device's address with `_` in its D-Bus paths
            // (`/org/bluez/hci0/dev_00_1A_7D_DA_71_13`): after a word's `_`,
            // not inside a longer run of such octets or a word.
            let underscored = s.contains('_') && {
                let head = &text[..start];
                let mut back = head.chars().rev();
                match (back.next(), back.next()) {
                    (None, _) => false,
                    (Some('_'), Some(c)) => !c.is_ascii_alphabetic() || c.is_ascii_hexdigit(),
                    (Some(c), _) => c.is_ascii_alphanumeric() || c == '_',
                }
            };
            let separated = separated || underscored;
            let all_digits = s.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            // Cisco's dotted form has digits somewhere (`a1b2.c3d4.e5f6`);
            // `aaaa.bbbb.cccc` is a name.
            let no_digit = !s.bytes().any(|b| b.is_ascii_digit());
            let nil = s.bytes().all(|b| matches!(b, b'0' | b':' | b'-' | b'.'));
            // Under a hardware-address key, the dotted form is what it says.
            let named = key.mac;
            // A group address (the first octet's lowest bit: multicast and
            // broadcast, `01:00:5e:…`, `ff:ff:…`) names no device.
            let group = u8::from_str_radix(s.get(..2).unwrap_or(""), 16).is_ok_and(|o| o & 1 == 1);
            (!(separated || nil || group || dotted && !named && (all_digits || no_digit)))
                .then_some(Kind::Mac)
        }

        Detector::Timestamp => {
            // A build time is the release's, the same on every installation.
            if key.version {
                return None;
            }
            // Midnight on the dot is a day written as a time
            // (`2023-04-13T00:00:00Z`, an account's acquisition date): no
            // finer than a day. A real instant falls there once in 86,400.
            let clock = s
                .find(['T', ' ', '_'])
                .map(|i| s[i + 1..].split(['Z', '+', '-']).next().unwrap_or(""));
            if clock.is_some_and(|c| {
                c.bytes().any(|b| b == b'0')
                    && c.bytes().all(|b| matches!(b, b'0' | b':' | b'.' | b','))
            }) {
                return None;
            }
            // A bare `HH:MM:SS` counts only under a time-point key.
            let bare_time = s.len() <= 15 && s.as_bytes().get(2) == Some(&b':') && !s.contains('-');
            (!bare_time || key.time).then_some(Kind::Timestamp)
        }
        Detector::EpochAfterLabel => {
            let digits = s.trim_start_matches(|c: char| !c.is_ascii_digit());
            let end = digits
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(digits.len());
            (!key.version && epoch_time_of_day(&digits[..end])).then_some(Kind::Timestamp)
        }
        Detector::Geo => {
            // `lat, lon`, or a WKT point, `POINT(lon lat)` (ISO 19125).
            let (lat, lon): (f64, f64) = match s.split_once('(') {
                Some((_, point)) => {
                    let mut parts = point.trim_end_matches(')').split_whitespace();
                    let lon = parts.next()?.parse().ok()?;
                    (parts.next()?.parse().ok()?, lon)
                }
                None => {
                    let (a, b) = s
                        .split_once(',')
                        .or_else(|| s.trim().split_once(char::is_whitespace))?;
                    (a.trim().parse().ok()?, b.trim().parse().ok()?)
                }
            };
            (lat.abs() <= 90.0 && lon.abs() <= 180.0).then_some(Kind::GeoCoordinate)
        }
        Detector::Ipv6 => {
            let addr = s.split(['/', '%']).next().unwrap_or(s);
            let colons = addr.matches(':').count();
            let parsed = addr.parse::<std::net::Ipv6Addr>().ok();
            // A multicast group (`ff02::fb`) is the same on every network.
            let multicast = parsed.is_some_and(|a| a.is_multicast());
            (colons >= 2
                && parsed.is_some()
                && !multicast
                && addr.chars().filter(char::is_ascii_hexdigit).count() >= 5
                && !(s.len() <= 8 && s.chars().all(|c| c.is_ascii_digit() || c == ':')))
            .then_some(Kind::Ipv6)
        }
        Detector::Ipv4 => {
            // After a label (`ray_address=…` in a `tags` string), the label
            // says what the value is, not the key around the text.
            let labelled = text[..start]
                .strip_suffix('=')
                .map(|t| {
                    let from = t
                        .rfind(|c: char| {
                            !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                        })
                        .map_or(0, |i| i + 1);
                    &t[from..]
                })
                .filter(|name| label_name(name));
            // `version=2.8.4.9`: the label says it is a version.
            if labelled.is_some_and(version_key) {
                return None;
            }
            let version = key.version && labelled.is_none();
            if version || matches!(before, Some('v' | 'V' | '.')) || matches!(after, Some('.')) {
                return None;
            }
            // A release's suffix (`5.15.146.1-microsoft-standard-WSL2`,
            // `4.19.0.1-generic`): an address is not written with a word
            // joined to it by a hyphen.
            let rest = &text[start + s.len()..];
            if rest
                .strip_prefix('-')
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_alphabetic()))
            {
                return None;
            }
            // A product token's version (`Chrome/122.0.0.0`,
            // `LibreOffice/7.2.7.2`): after a name and a `/`, the name a
            // word of its own (a path's `/hosts/10.2.3.4` is an address).
            if before == Some('/') {
                let name_end = start - 1;
                let name_start = text[..name_end]
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
                    .map_or(0, |i| i + 1);
                let name = &text[name_start..name_end];
                let word = text[..name_start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| matches!(c, ' ' | '(' | ';' | ','));
                if word && name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) {
                    return None;
                }
            }
            let addr = s.split('/').next().unwrap_or(s);
            let ok = addr.split('.').all(|o| {
                o.parse::<u16>().is_ok_and(|v| v <= 255) && (o == "0" || !o.starts_with('0'))
            });
            // The unspecified address (`0.0.0.0`, a wildcard bind) and
            // loopback (`127.0.0.1`) are the same on every machine, and so
            // are multicast groups and the broadcast address.
            let anywhere = addr == "0.0.0.0" || addr.starts_with("127.");
            let parsed = addr.parse::<std::net::Ipv4Addr>().ok();
            let group = parsed.is_some_and(|a| a.is_multicast() || a.is_broadcast());
            (ok && !anywhere && !group).then_some(Kind::Ipv4)
        }
        Detector::Iban => iban_ok(s).then_some(Kind::Iban),
        Detector::Card => {
            if key.quantity {
                return None;
            }
            // Card numbers are written whole or in the groups printed on
            // cards, which all start with four digits (4-4-4-4, 4-6-5,
            // 4-6-4, 4-4-4-4-3); `2097152-4194303` is a range, and
            // `584 12765 12441` a log line's process and thread ids.
            let groups: Vec<&str> = s.split([' ', '-']).collect();
            if groups.len() > 1
                && (groups.len() < 3
                    || groups[0].len() != 4
                    || groups.iter().any(|g| !(3..=6).contains(&g.len())))
            {
                return None;
            }
            let digits: Vec<u8> = s
                .bytes()
                .filter(u8::is_ascii_digit)
                .map(|b| b - b'0')
                .collect();
            // A card number starts with its issuer's prefix, and each
            // network issues numbers of set lengths (ISO/IEC 7812). A
            // number that passes the Luhn check, as one in ten does (a Unix
            // time in milliseconds, a 64-bit id), is a card only when its
            // prefix and length are a network's.
            let card = (13..=19).contains(&digits.len())
                && card_issuer(&digits)
                && luhn(&digits)
                && !digits.iter().all(|&d| d == digits[0]);
            // Unbroken digits under an id or hash key (`source_id`,
            // `name_hash`) that happen to pass as a card are what the key
            // says: an id, judged as ids are.
            let unbroken = s.bytes().all(|b| b.is_ascii_digit());
            // So are seventeen to nineteen unbroken digits outside a card's
            // key: what a program's 64-bit id prints as (a snowflake id, a
            // random `int64`), one in ten passing as a card; the networks
            // that issue such lengths issue mostly sixteen.
            if card && unbroken && (key.id || key.hash || digits.len() >= 17 && !key.card) {
                return Some(Kind::PersistentId);
            }
            // Fifteen unbroken digits ending in a Luhn check digit, that no
            // card network issues, are a phone's IMEI (3GPP TS 23.003).
            if !card && unbroken && digits.len() == 15 && !key.quantity && luhn(&digits) {
                return Some(Kind::PersistentId);
            }
            card.then_some(Kind::CardNumber)
        }
        Detector::Phone => {
            if key.quantity {
                return None;
            }
            let digits = s.bytes().filter(u8::is_ascii_digit).count();
            // A national number: a trunk prefix `0` (or `(0)`), an area
            // code, the subscriber number (`030 1234567`, `0151 23456789`).
            if s.starts_with('0') || s.starts_with("(0)") {
                let groups = s.split([' ', '/', '-']).filter(|g| !g.is_empty()).count();
                return ((9..=12).contains(&digits) && groups >= 2 && !s.contains('.'))
                    .then_some(Kind::Phone);
            }
            ((10..=15).contains(&digits) && !s.contains('.')
                || s.starts_with('+') && (10..=15).contains(&digits))
            .then_some(Kind::Phone)
        }
        // The home of an account the system, a service or a CI made
        // (`/home/ubuntu`, `/home/runner/work/…`, `C:\Users\Public`) names a
        // role, as the account does under a login's key ([`named_login`]).
        Detector::Home => (!system_account(home_login(s))).then_some(Kind::HomePath),
        Detector::HexId => {
            // 32 or 64 hex digits: a UUID without dashes, an MD5 or SHA-256
            // of something. Under version or commit keys it is a build id.
            let build = key.version || key.build_hash;
            // After the name of its algorithm (`@sha256:…`, `md5=…`), the
            // digest of a content, its address: it names the content, not
            // who has it.
            (!build
                && !named_digest(&text[..start], s.len())
                && s.bytes().any(|b| b.is_ascii_digit())
                && s.bytes().any(|b| b.is_ascii_alphabetic()))
            .then_some(Kind::PersistentId)
        }
        Detector::Host => {
            let url_authority = text[..start].ends_with("://");
            // The host of `scheme://user:password@host`: the credentials
            // are one finding, the host another.
            let after_userinfo = before == Some('@')
                && text[..start - 1]
                    .rfind("://")
                    .is_some_and(|i| !text[i + 3..start - 1].contains(['/', ' ', '"']));
            // A public service identifies no one; under a code-name key a
            // dotted name is a module or schema path (`pulpcore.app`).
            if public_host(s) || key.code_name && !url_authority && !after_userinfo {
                return None;
            }
            // A directory named after a host, as certificate stores and
            // web roots name theirs (`/etc/letsencrypt/live/www.acme.io/`,
            // `/var/www/shop.acme.de/`): a whole segment of a path, three
            // labels or more, not reverse-DNS (`/com.apple.foo/`). A file
            // (`archive.tar.zip`) is no directory.
            let host_directory = before == Some('/')
                && after == Some('/')
                && s.matches('.').count() >= 2
                && !delegated_tld(&s[..s.find('.').unwrap_or(0)].to_ascii_lowercase());
            // A machine's name under a name only networks use (three
            // labels or more: `app18.deepwell.lan`, not `rc.local`) is a
            // host wherever it sits, a REST path's last segment too.
            let private_machine = || {
                s.matches('.').count() >= 2
                    && s.rsplit('.').next().is_some_and(|tld| {
                        PRIVATE_TLDS.contains(&tld.to_ascii_lowercase().as_str())
                    })
            };
            // `foo.com-bar`: the name goes on past the top-level domain.
            if matches!(before, Some('@') if !after_userinfo)
                || matches!(before, Some('_' | '.'))
                || before == Some('/') && !url_authority && !host_directory && !private_machine()
                || matches!(after, Some('_' | '(' | '-'))
            {
                return None;
            }
            // In a URL's authority a file-name ending is no excuse:
            // `https://git.example.pl/` is a host.
            hostname_ok(s, url_authority || after_userinfo).then_some(Kind::Hostname)
        }
        Detector::HighEntropyToken => {
            let classes = [
                s.bytes().any(|b| b.is_ascii_lowercase()),
                s.bytes().any(|b| b.is_ascii_uppercase()),
                s.bytes().any(|b| b.is_ascii_digit()),
            ];
            let mixed = classes.iter().filter(|&&c| c).count() >= 2;
            if !(mixed && (entropy(s) >= 4.2 || key.secret && entropy(s) >= 3.0)) {
                return None;
            }
            // A path of words (`/ShawnBruce/OctoPrint-themeify/archive/1`)
            // is no token, nor a Nix or Guix store path's hash, the address
            // of what was built (`/nix/store/5lsky…lxhf-python3-3.11`).
            let store = |p: &str| s.starts_with(p) || text[..start].ends_with(p);
            if path_of_words(s)
                || name_of_words(s)
                || store("/nix/store/")
                || store("/gnu/store/")
                || build_hash_after_version(&text[..start], s)
            {
                return None;
            }
            // Base64 of text (`eyJnbG9iYWwi…`, a JSON document) is the
            // text, encoded: what it says is judged, not how it looks.
            if let Some(decoded) = base64_text(s) {
                return scan_value_in(&decoded, key).first().map(|f| f.kind);
            }
            if documentation_sample(s) {
                return None;
            }
            // Under a hash's or a digest's key, a random run is the hash
            // the key says it is: an identifier of what was hashed (a
            // build's configuration, a pseudonymised name), not a secret.
            Some(if key.hash && !key.secret {
                Kind::PersistentId
            } else {
                Kind::Secret
            })
        }
    }
}

/// Shared directories where programs make one directory per user, named
/// by the login (Spack's `$TMPDIR/$USER/spack-stage`, a cluster's scratch).
const PER_USER_ROOTS: &[&str] = &["/tmp/", "/var/tmp/", "/scratch/", "/work/", "/data/"];

/// Logins that name a person as the directory of their own under a shared
/// root (`/tmp/cbrown/spack-stage`, `/scratch/olefevre/run`): an initial
/// and a surname, or a given name and a surname ([`names::person`]). A
/// given name alone there is too often a word (`/data/grant/`).
fn per_user_directories(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for root in PER_USER_ROOTS {
        for at in memchr::memmem::find_iter(text.as_bytes(), root.as_bytes()) {
            // A root of its own, not a longer path's tail (`/var/tmp/` is
            // read once, as itself).
            if text[..at].ends_with("/var") && *root == "/tmp/" {
                continue;
            }
            let start = at + root.len();
            let rest = &text[start..];
            let Some(end) = rest.find('/') else { continue };
            let login = &rest[..end];
            if (3..=32).contains(&login.len())
                && login.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
                })
                && matches!(
                    names::person(login),
                    Some("an initial and a surname" | "a given name and a surname")
                )
            {
                out.push(start..start + end);
            }
        }
    }
    out
}

/// Whether `s`, read after `before`, is the hash a package manager joins to
/// a build's name and version to address it (Spack's
/// `fftw-3.3.10-i5gkoi6aywajchcvsa7a6yrkpkkidqzj`, as Nix and Guix put
/// theirs before the name): 32 lower-case letters and digits after
/// `name-version-`. It names what was built, not who built it.
fn build_hash_after_version(before: &str, s: &str) -> bool {
    let (head, hash) = s.rsplit_once('-').unwrap_or(("", s));
    if hash.len() != 32
        || !hash
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return false;
    }
    // What precedes the hash: `…name-1.2.3-` (the version's last part may
    // be in `head`, the rest of it before the match).
    let lead = if head.is_empty() {
        match before.strip_suffix('-') {
            Some(lead) => lead.to_string(),
            None => return false,
        }
    } else {
        format!("{before}{head}")
    };
    let version = lead.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let digits = lead.len() - version.len();
    digits > 0
        && version.ends_with('-')
        && version[..version.len() - 1]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Whether `s` is a path of two or more words (`/owner/repo-name/archive/1`,
/// `/registry/<uuid>/<sha1>`): every segment letters and hyphens, digits
/// alone, a UUID, or hex digits in one case (a commit's or a tree's hash,
/// the address of what the path names). A token's alphabet mixes cases
/// and digits in every segment.
fn path_of_words(s: &str) -> bool {
    // A hash's hex digits, or a fan-out directory's two (`objects/4c/…`),
    // or a volume's serial in groups (`/storage/1A2B-3C4D/`).
    let hex = |p: &str| {
        let digits = p.bytes().filter(u8::is_ascii_hexdigit).count();
        (digits >= 7 || p.len() == 2)
            && p.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
            && !p.starts_with('-')
            && !p.ends_with('-')
            && !(p.bytes().any(|b| b.is_ascii_lowercase())
                && p.bytes().any(|b| b.is_ascii_uppercase()))
    };
    // A name, with a version number in it at most (`junit5`, `log4j`),
    // hidden or internal at most (`.cache`, `_bazel_root`); a number may
    // be a part of its own (`Pro_Evolution_Soccer_2013`) or end a word as a
    // year or an edition does (`cyberpunk2077`, `office2019`).
    let word = |p: &str| {
        let p = p.trim_start_matches(['.', '_']);
        p.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && p.split(['-', '_']).all(|part| {
                let letters = part.trim_end_matches(|c: char| c.is_ascii_digit());
                part.bytes().all(|b| b.is_ascii_digit()) && part.len() <= 4
                    || part.bytes().filter(u8::is_ascii_digit).count() <= 2
                    || part.len() - letters.len() <= 4
                        && letters.len() >= 3
                        && letters.bytes().all(|b| b.is_ascii_alphabetic())
            })
    };
    // Numbers joined as a date or a version are (`2024-09-11`, `1.2.3`).
    let numbers = |p: &str| {
        p.bytes().next().is_some_and(|b| b.is_ascii_digit())
            && p.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_'))
    };
    // A compiler's or a linker's option before it (`-I/opt/…`, `-L/usr/…`)
    // says what the path is for.
    let s = match s.find('/') {
        Some(at)
            if s.starts_with('-')
                && s[..at]
                    .bytes()
                    .all(|b| b == b'-' || b.is_ascii_alphabetic()) =>
        {
            &s[at..]
        }
        _ => s,
    };
    s.matches('/').count() >= 2
        && s.split('/')
            .filter(|p| !p.is_empty())
            .all(|p| numbers(p) || canonical_uuid(p) || hex(p) || word(p))
}

/// Whether `s` is a name made of words joined by `_`, `-` or `.`, with an
/// offset or a number after a `+` at most
/// (`gs_plugin_loader_job_process_finish+296`, `org-gnome-shell-extensions`,
/// a platform's `Linux-6.6.19-1-MANJARO-x86_64-with-glibc2.39`): three
/// parts or more, two of them words of two letters or more. A word starts
/// with a letter and is written in one case or capitalised, with a version
/// number's two digits at most (`x86`, `glibc2`), none in capitals; a part
/// may be a number. A token's alphabet mixes cases and digits throughout,
/// so its parts are neither.
fn name_of_words(s: &str) -> bool {
    let name = s.split_once('+').map_or(s, |(name, offset)| {
        if offset.bytes().all(|b| b.is_ascii_digit()) && offset.len() <= 8 {
            name
        } else {
            s
        }
    });
    let word = |w: &str| {
        let letters: Vec<u8> = w.bytes().filter(u8::is_ascii_alphabetic).collect();
        // Capitals alone only as a word (`MANJARO`): with digits among
        // them they read as a licence key's group (`HQ2K7`).
        let digits = w.len() - letters.len();
        let one_case = |letters: &[u8]| {
            letters[1..].iter().all(u8::is_ascii_lowercase)
                || letters.iter().all(u8::is_ascii_uppercase) && digits == 0
        };
        w.bytes().all(|b| b.is_ascii_alphanumeric())
            && w.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && one_case(&letters)
            && digits <= 2
    };
    let number = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = name.split(['_', '-', '.']).collect();
    parts.len() >= 3
        && parts
            .iter()
            .filter(|w| word(w) && w.bytes().filter(u8::is_ascii_alphabetic).count() >= 2)
            .count()
            >= 2
        && parts.iter().all(|w| word(w) || number(w))
}

/// The text that `s` encodes in base64 (standard or URL-safe alphabet,
/// padded or not), when it decodes to 16 bytes or more of printable UTF-8:
/// random bytes, a key's, almost never do.
fn base64_text(s: &str) -> Option<String> {
    let value = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let body = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            n |= value(b)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    let text = String::from_utf8(out).ok()?;
    let printable = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .count();
    (text.len() >= 16 && printable * 100 >= text.chars().count() * 98).then_some(text)
}

/// Scans a JSON number found under `key`: epoch timestamps finer than a day
/// under time-point keys, card numbers under card keys, coordinates under
/// latitude/longitude keys.
pub fn scan_number(text: &str, key: &str) -> Option<Kind> {
    scan_number_in(text, KeyContext::of(key))
}

/// Whether `before` ends with the name of the hash algorithm whose digest
/// is `hex_len` hex digits long, and a `:`, `=` or `-` (`sha256:`, OCI and
/// Docker; `md5=`, a query; `sha1-`).
fn named_digest(before: &str, hex_len: usize) -> bool {
    const ALGORITHMS: &[(&str, usize)] = &[
        ("md5", 32),
        ("sha1", 40),
        ("sha224", 56),
        ("sha256", 64),
        ("sha384", 96),
        ("sha512", 128),
        ("blake2b", 128),
        ("blake3", 64),
    ];
    let Some(rest) = before.strip_suffix([':', '=', '-']) else {
        return false;
    };
    let rest = rest.to_ascii_lowercase();
    let rest = rest.trim_end_matches(['_', '-']);
    ALGORITHMS.iter().any(|&(name, len)| {
        // `sha256` or `sha-256`.
        let dashed = name
            .strip_prefix("sha")
            .and_then(|bits| rest.strip_suffix(bits))
            .is_some_and(|r| r.ends_with("sha-"));
        len == hex_len && (rest.ends_with(name) || dashed)
    })
}

/// [`scan_number`] under a key's context.
fn scan_number_in(text: &str, key: KeyContext) -> Option<Kind> {
    // Only these keys make a number anything but a quantity.
    if !(key.card || key.phone || key.ip || key.time || key.coordinate || key.id) {
        return None;
    }
    // A number is judged by its value, not by how it is written: an
    // integer written with a fraction or an exponent (`4.111e15`) is the
    // same number as its digits.
    let integer = integer_digits(text);
    let whole = integer.as_deref().unwrap_or(text);
    if key.card {
        let digits: Vec<u8> = whole
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        if (13..=19).contains(&digits.len()) && luhn(&digits) {
            return Some(Kind::CardNumber);
        }
    }
    if let Some(digits) = &integer
        && !key.quantity
    {
        // A phone number stored as an integer (its leading zero or `+`
        // lost), and an IPv4 address as its 32-bit value.
        if key.phone && (7..=15).contains(&digits.len()) {
            return Some(Kind::Phone);
        }
        if key.ip
            && digits
                .parse::<u64>()
                .is_ok_and(|n| (1 << 24..1 << 32).contains(&n))
        {
            return Some(Kind::Ipv4);
        }
        if key.time && epoch_time_of_day(digits) {
            return Some(Kind::Timestamp);
        }
    }
    if key.coordinate && (precise_decimal(text) || precise_fixed_point(text)) {
        return Some(Kind::GeoCoordinate);
    }
    // A ten-digit or longer integer under an identifier key (`pg_system_id`).
    if key.id && text.len() >= 10 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Kind::PersistentId);
    }
    if key.time && !key.quantity && epoch_time_of_day(text) {
        return Some(Kind::Timestamp);
    }
    None
}

/// The digits of a JSON number that is a non-negative integer, however it
/// is written (`1706659201`, `1.706659201e9`, `17066592010E-1`), without
/// leading zeros; `None` for a fraction, a negative number or one of more
/// than 24 digits.
fn integer_digits(text: &str) -> Option<String> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    if mantissa.starts_with('-') {
        return None;
    }
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) || int.is_empty() {
        return None;
    }
    let digits = format!("{int}{frac}");
    // The decimal point moves right by `exponent` from after `int`.
    let point = int.len() as i32 + exponent;
    if !(0..=24).contains(&point) {
        return None;
    }
    let point = point as usize;
    let (whole, rest) = if point >= digits.len() {
        (format!("{digits}{}", "0".repeat(point - digits.len())), "")
    } else {
        (digits[..point].to_string(), &digits[point..])
    };
    if rest.bytes().any(|b| b != b'0') {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    Some(if whole.is_empty() {
        "0".into()
    } else {
        whole.into()
    })
}

/// Whether `digits` is a Unix time (seconds or milliseconds, 2000 to 2100)
/// finer than a day: midnight UTC is a date, not a time of day.
fn epoch_time_of_day(digits: &str) -> bool {
    // `1651234567.123456`: the fraction only makes it finer.
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(n) = whole.parse::<i64>() else {
        return false;
    };
    let fine = fraction.bytes().any(|b| b != b'0');
    let of_day = |n: i64, per_day: i64| n % per_day != 0 || fine;
    match n {
        946_684_800..=4_102_444_800 => of_day(n, 86_400),
        946_684_800_000..=4_102_444_800_000 => of_day(n, 86_400_000),
        // Microseconds and nanoseconds.
        946_684_800_000_000..=4_102_444_800_000_000 => of_day(n, 86_400_000_000),
        946_684_800_000_000_000..=4_102_444_800_000_000_000 => of_day(n, 86_400_000_000_000),
        _ => false,
    }
}

/// A finding in a JSON document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonFinding {
    pub kind: Kind,
    /// JSON pointer of the value.
    pub pointer: String,
    /// Byte range of the match in the scanned input.
    pub range: Range<usize>,
}

/// Whether a finding of `kind`, whose value is `value` under the object
/// key `key`, is a credential recognised by what it is: a value under a
/// password, token or secret key, a provider's token format, a private key,
/// a JWT, or a URL that carries a password. Such a finding stays one however
/// many installations send the value (a default password is still a
/// password); anything else, a string that merely looks random included, is
/// judged by how rare it is (see `privet scan`).
pub fn credential_by_what_it_is(kind: Kind, key: Option<&str>, value: &str) -> bool {
    match kind {
        Kind::UrlCredentials => true,
        Kind::Secret => {
            // A key named `key` or `*_key` (`site_key`, `license_key`) says
            // only that the value may be a secret; its looks decided, and a
            // string that merely looks random is judged by rarity.
            let under_secret_key = key.is_some_and(|k| {
                let c = KeyContext::of(k);
                c.secret && !c.hash && !c.key_like
            });
            under_secret_key || credential_format(value)
        }
        _ => false,
    }
}

/// Whether `value` holds a credential in a format that says what it is: a
/// private key, a JSON web token, a provider's token (`AKIA…`, `ghp_…`).
pub fn credential_format(value: &str) -> bool {
    static FORMATS: OnceLock<MetaRegex> = OnceLock::new();
    let formats = FORMATS.get_or_init(|| {
        let alternatives: Vec<&str> = DETECTORS
            .iter()
            .filter(|(d, _, _)| matches!(d, Detector::PrivateKey | Detector::Jwt | Detector::Token))
            .map(|(_, _, p)| *p)
            .collect();
        MetaRegex::new(&alternatives.join("|")).expect("the detectors' patterns compile")
    });
    formats.is_match(value)
}

/// Whether a key names a password (`password`, `db_passwd`, `pwd`,
/// `passphrase`): something a person chose, never issued by a collector.
pub fn password_key(key: &str) -> bool {
    has_any_word(key, &["pwd", "passphrase", "pass"])
        || contains_ci(key, "password")
        || contains_ci(key, "passwd")
}

/// The context a value is judged under: its object key's, or, for an array
/// item right after a name that says something about it (`["php", "version",
/// "8.2.15"]`, `["system", "mail_smtppassword", "…"]`: rows of names and
/// values, as Nextcloud's survey sends), that name's. A row is short: an
/// item past the third (`pointer` ends with its index) is one of a list of
/// like things (packages, plugins), each named for itself, whatever the one
/// before it says. A value under a key that only says a value is held
/// ([`holder_key`]) is judged under the `name` or `key` member before it
/// (`{"name": "DB_PASSWORD", "value": …}`, as Kubernetes and AWS write
/// them), or else under the key above it (`{"adminPassword": {"string":
/// …}}`).
fn context_of(key: &str, sibling: Option<&str>, pointer: &str) -> KeyContext {
    let holder = holder_key(key);
    // The pointer's last segment: an array's index when the value is an
    // item of one.
    let last = segments_rev(pointer).next().unwrap_or("");
    let in_row = || holder || last.parse::<usize>().is_ok_and(|i| i <= 2);
    if let Some(name) = sibling
        && (1..=64).contains(&name.len())
        && name.bytes().any(|b| b.is_ascii_alphabetic())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        // In an argument vector an option names the item after it,
        // wherever it sits (`[…, "--lat", "59.24684"]`, `"--password",
        // "…"`); another word only in a short row (`["php", "version",
        // "8.2.15"]`).
        let option = name.strip_prefix("--").or_else(|| name.strip_prefix('-'));
        let telling = KeyContext::of(option.unwrap_or(name));
        if telling != KeyContext::default() && (option.is_some() || in_row()) {
            return telling;
        }
    }
    // A name in a list of people (`{"players": [{"name": …}]}`, a
    // server's `clients`) is a person's handle: a login. So is an item of
    // such a list itself (`{"clients_list": ["ElineBlocks67", …]}`).
    let item = !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit());
    // (Peers are machines, whatever a handle's list holds.)
    let peers = || key.to_ascii_lowercase().starts_with("peer");
    if (handle_key(key) || item && key.parse::<usize>().is_err() && !peers())
        && people_above(pointer)
    {
        return KeyContext::of("username");
    }
    // `{"vpc:adminPassword": {"string": …}}`: the key above names it.
    if holder && let Some(parent) = key_above(pointer) {
        let telling = KeyContext::of(&parent);
        if telling != KeyContext::default() {
            return telling;
        }
    }
    KeyContext::of(key)
}

/// `word` in lower case, written into `buf` on the stack (no allocation on
/// the scanner's hot paths), or `None` when it is longer than `buf`.
fn lowered_on_stack<'a>(word: &str, buf: &'a mut [u8; 24]) -> Option<&'a str> {
    let dst = buf.get_mut(..word.len())?;
    dst.copy_from_slice(word.as_bytes());
    dst.make_ascii_lowercase();
    std::str::from_utf8(dst).ok()
}

/// The segments of a JSON pointer from the last, as `rsplit('/')` gives
/// them, found by `memrchr`.
fn segments_rev(pointer: &str) -> impl Iterator<Item = &str> {
    let mut end = Some(pointer.len());
    std::iter::from_fn(move || {
        let e = end?;
        match memchr::memrchr(b'/', &pointer.as_bytes()[..e]) {
            Some(i) => {
                end = Some(i);
                Some(&pointer[i + 1..e])
            }
            None => {
                end = None;
                Some(&pointer[..e])
            }
        }
    })
}

/// Whether `key` names a thing's name or handle (`name`, `nick`,
/// `displayName`).
fn handle_key(key: &str) -> bool {
    const HANDLES: &[&str] = &[
        "name",
        "nick",
        "nickname",
        "handle",
        "displayname",
        "screenname",
        "playername",
    ];
    // Compared letter by letter, `_` and `-` skipped: no allocation, as
    // every key of every payload comes here.
    key.len() <= 12
        && HANDLES.iter().any(|h| {
            key.bytes()
                .filter(|b| !matches!(b, b'_' | b'-'))
                .map(|b| b.to_ascii_lowercase())
                .eq(h.bytes())
        })
}

/// Whether the value at `pointer` belongs to a list or map of people: the
/// nearest key above it, past array indices and its own key, names people
/// connected or taking part (`players`, `clients`, `members`).
fn people_above(pointer: &str) -> bool {
    const PEOPLE: &[&str] = &[
        "players",
        "clients",
        "users",
        "members",
        "participants",
        "attendees",
        "people",
        "persons",
        "friends",
        "contributors",
        "authors",
        "speakers",
        "listeners",
        "viewers",
        "spectators",
        "guests",
        "customers",
        "employees",
        "students",
        "peers",
    ];
    segments_rev(pointer)
        .skip(1)
        .find(|s| s.parse::<usize>().is_err())
        .is_some_and(|s| {
            // Lowered on the stack: every item of every array comes here.
            // The longest name of people, with `_list`, is 17 bytes.
            let mut buf = [0u8; 24];
            let Some(s) = lowered_on_stack(s, &mut buf) else {
                return false;
            };
            // Or a list of them, named in the singular or plural
            // (`client_list`, `playerslist`).
            let listed = s.strip_suffix("list").map(|b| b.trim_end_matches('_'));
            PEOPLE.iter().any(|p| {
                *p == s
                    || listed.is_some_and(|b| p.trim_end_matches('s') == b.trim_end_matches('s'))
            })
        })
}

/// Whether `key` only says that a value is held, not what it is (`value`,
/// `string`, `text`): the name beside it (`{"name": …, "value": …}`) or
/// above it (`{"adminPassword": {"string": …}}`) says what it is.
pub fn holder_key(key: &str) -> bool {
    ["value", "val", "string", "str", "text"]
        .iter()
        .any(|h| key.eq_ignore_ascii_case(h))
}

/// The key of the object above the value at `pointer` (decoded), when
/// there is one: not an array's index, not the document's root.
fn key_above(pointer: &str) -> Option<String> {
    let parent = pointer.rsplit('/').nth(1)?;
    parent
        .parse::<usize>()
        .is_err()
        .then(|| unescape_segment(parent))
}

/// The key that names the value at `pointer`: its own, or, under a key
/// that only holds it ([`holder_key`]), the key above (`{"adminPassword":
/// {"string": …}}`).
pub fn naming_key(pointer: &str) -> Option<String> {
    let own = pointer.rsplit('/').next().map(unescape_segment)?;
    if holder_key(&own) {
        return key_above(pointer).or(Some(own));
    }
    Some(own)
}

/// `8-4-4-4-12` hex digits, nothing else.
pub fn canonical_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Scans a JSON document structure-aware. Keys starting with `_` (comments)
/// are skipped; `installation_id` at the top level is the envelope's random
/// id and not a persistent-identifier finding; an array item right after a
/// telling name is judged under that name ([`context_of`]).
pub fn scan_json(input: &str) -> Result<Vec<JsonFinding>, json::Error> {
    let mut out = Vec::new();
    json::walk(input, true, &mut |s: json::Scalar| {
        judge_scalar(&s, &mut out)
    })?;
    Ok(out)
}

/// Like [`scan_json`], keeping what was found before an error: PII that
/// came before a syntax error in the same line is still PII (a collector
/// that reads leniently, or stores the raw line, keeps it).
pub fn scan_json_partial(input: &str) -> (Vec<JsonFinding>, Option<json::Error>) {
    let line = scan_json_line(input, None);
    (line.findings, line.error)
}

/// What [`scan_json_line`] read in one JSON line.
#[derive(Debug, Default)]
pub struct ScannedLine {
    pub findings: Vec<JsonFinding>,
    pub error: Option<json::Error>,
    /// The string or number at the pointer asked for (the payload's
    /// installation id), when there is one and it is not empty.
    pub id: Option<String>,
}

/// [`scan_json_partial`] that also reads the value at `id_pointer` (a JSON
/// pointer, RFC 6901), in the same pass: the payload's installation id,
/// for rarity. Of duplicate keys the last counts, as a map reads them.
pub fn scan_json_line(input: &str, id_pointer: Option<&str>) -> ScannedLine {
    let mut findings = Vec::new();
    let mut id = None;
    let result = json::walk(input, true, &mut |s: json::Scalar| {
        if id_pointer == Some(s.pointer) {
            id = match &s.value {
                json::ScalarValue::String(t) if !t.is_empty() => Some(t.to_string()),
                json::ScalarValue::Number(n) => Some(n.to_string()),
                _ => None,
            };
        }
        judge_scalar(&s, &mut findings)
    });
    ScannedLine {
        findings,
        error: result.err(),
        id,
    }
}

/// Like [`scan_json`] over a stream of documents (see
/// [`json::walk_documents`]): every finding, and each document with its
/// errors.
pub fn scan_json_documents(input: &str) -> (Vec<JsonFinding>, Vec<json::Document>) {
    let mut out = Vec::new();
    let docs = json::walk_documents(input, true, &mut |s: json::Scalar| {
        judge_scalar(&s, &mut out)
    });
    (out, docs)
}

/// The findings of one scalar of a JSON document.
fn judge_scalar(s: &json::Scalar, out: &mut Vec<JsonFinding>) {
    match &s.value {
        json::ScalarValue::String(text) => {
            let envelope_id = s.pointer == "/installation_id";
            // The envelope's id in its canonical form holds nothing else to find.
            if envelope_id && canonical_uuid(text) {
                return;
            }
            // A string that is itself a JSON document (Snowplow contexts,
            // properties sent as text) is read as one: its keys are
            // context too, and its values are values.
            let trimmed = text.trim();
            if (trimmed.starts_with('{') && trimmed.ends_with('}'))
                || (trimmed.starts_with('[') && trimmed.ends_with(']'))
            {
                let mut inner = Vec::new();
                if json::walk(text, true, &mut |i: json::Scalar| {
                    judge_scalar(&i, &mut inner)
                })
                .is_ok()
                {
                    out.extend(inner.into_iter().map(|f| JsonFinding {
                        kind: f.kind,
                        pointer: format!("{}{}", s.pointer, f.pointer),
                        range: s.input_range(f.range),
                    }));
                    return;
                }
            }
            for f in scan_value_in(text, context_of(s.key, s.sibling, s.pointer)) {
                if f.kind == Kind::PersistentId && envelope_id {
                    continue;
                }
                out.push(JsonFinding {
                    kind: f.kind,
                    pointer: s.pointer.to_string(),
                    range: s.input_range(f.range),
                });
            }
        }
        json::ScalarValue::Number(n) => {
            if let Some(kind) = scan_number_in(n, context_of(s.key, s.sibling, s.pointer)) {
                out.push(JsonFinding {
                    kind,
                    pointer: s.pointer.to_string(),
                    range: s.span.clone(),
                });
            }
        }
        json::ScalarValue::Key(text) => {
            for f in key_findings_of(text, s.key) {
                out.push(JsonFinding {
                    kind: f.kind,
                    pointer: s.pointer.to_string(),
                    range: s.input_range(f.range),
                });
            }
        }
        _ => {}
    }
}

/// Most objects [`embedded_findings`] reads in one text, and the longest.
const EMBEDDED_OBJECTS: usize = 16;
const EMBEDDED_OBJECT_BYTES: usize = 64 * 1024;

/// The findings of the JSON objects written into `text` (`… in row:
/// {"device":"courier-63","lat":41.790897,"lon":-87.6238}`), each read as a
/// document (see [`judge_scalar`]), with ranges in `text`. An object is
/// text from `{"` to its balanced `}` (braces inside strings do not count)
/// that parses; the outermost one is read, whatever it holds.
fn embedded_findings(text: &str) -> Vec<Finding> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    let mut objects = 0;
    while objects < EMBEDDED_OBJECTS
        && let Some(at) = memchr::memmem::find(&b[from..], b"{\"")
    {
        let start = from + at;
        let Some(end) = balanced_object_end(&b[start..]) else {
            break;
        };
        let end = start + end;
        objects += 1;
        from = end;
        let mut inner = Vec::new();
        if json::walk(&text[start..end], true, &mut |i: json::Scalar| {
            judge_scalar(&i, &mut inner)
        })
        .is_ok()
        {
            out.extend(inner.into_iter().map(|f| Finding {
                kind: f.kind,
                range: start + f.range.start..start + f.range.end,
            }));
        }
    }
    out
}

/// The length of the object `b` starts with (`{` … its matching `}`),
/// reading strings and their escapes; `None` when it does not end within
/// [`EMBEDDED_OBJECT_BYTES`].
fn balanced_object_end(b: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &c) in b.iter().enumerate().take(EMBEDDED_OBJECT_BYTES) {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (c == b'}').then_some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// What an object key holds, when it holds data: a map keyed by what it
/// counts (`{"users": {"jane@example.org": …}}`, nodes by host name,
/// containers by id, events by the second). Keys are names a program chose
/// far more often than data, so a key is judged by its own text with only
/// what the enclosing key says about its whole map (a map under `versions`
/// is keyed by versions, under `modules` by module paths), and with the
/// stricter readings of [`key_is_host`] and [`key_is_token`].
fn key_findings_of(text: &str, outer: &str) -> Vec<Finding> {
    // A key can hold an address, a host or a time only with one of these
    // bytes, at some length, or outside ASCII; an id only with digits.
    // A time to the second has at least ten digits, however it is written.
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let may_scan = text.len() >= 28
        || digits >= 10
        || !text.is_ascii()
        || text
            .bytes()
            .any(|b| matches!(b, b'@' | b'.' | b':' | b'-' | b'/' | b'+' | b' ' | b'\\'));
    let may_be_id = text.len() >= 10 && digits > 0;
    if !may_scan && !may_be_id {
        return Vec::new();
    }
    let of_map = KeyContext::of(outer);
    let context = KeyContext {
        version: of_map.version,
        code_name: of_map.code_name,
        build_hash: of_map.build_hash,
        ..KeyContext::default()
    };
    let found = if may_scan {
        scan_value_in(text, context)
    } else {
        Vec::new()
    };
    let mut out: Vec<Finding> = found
        .into_iter()
        .filter_map(|f| match f.kind {
            Kind::Hostname => key_is_host(text, &f.range).then_some(f),
            // Nobody keys a map by a password: a random run in a key is an
            // identifier (a device id, a host key's fingerprint).
            Kind::Secret => random_run(&text[f.range.clone()]).then_some(Finding {
                kind: Kind::PersistentId,
                ..f
            }),
            // Nor by a card's number, unless the map says it holds cards:
            // sixteen digits that pass Luhn's check (one number in ten
            // does) are a node's or a peer's id.
            Kind::CardNumber if !of_map.card => Some(Finding {
                kind: Kind::PersistentId,
                ..f
            }),
            _ => Some(f),
        })
        .collect();
    if out.is_empty()
        && may_be_id
        && let Some(kind) = identifier_key(text, context)
    {
        out.push(Finding {
            kind,
            range: 0..text.len(),
        });
    }
    out
}

/// A key that is an identifier or a time by its form alone: a run of hex
/// digits (after an optional `0x` or a short type prefix such as AWS's
/// `i-`), 12 or more with both digits and letters (container, node, member
/// and instance ids, hashes of something, EUI-64 addresses); or a Unix time
/// finer than a day. Not in a map of versions or build hashes.
fn identifier_key(text: &str, context: KeyContext) -> Option<Kind> {
    if context.version || context.build_hash {
        return None;
    }
    if text.len() >= 10 && text.bytes().all(|b| b.is_ascii_digit()) {
        return epoch_time_of_day(text).then_some(Kind::Timestamp);
    }
    let body = text
        .strip_prefix("0x")
        .or_else(|| {
            let (prefix, rest) = text.split_once(['-', '_'])?;
            ((1..=3).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_alphabetic()))
                .then_some(rest)
        })
        .unwrap_or(text);
    let hex = body.len() >= 12
        && body.bytes().all(|b| b.is_ascii_hexdigit())
        && body.bytes().any(|b| b.is_ascii_digit())
        && body.bytes().any(|b| b.is_ascii_alphabetic());
    hex.then_some(Kind::PersistentId)
}

/// Whether a run a secret detector matched reads as random rather than as
/// words run together: no four lower-case letters in a row, which CamelCase
/// and dashed words always have (`WebRTC-H264WithOpenH264FFmpeg`,
/// `token-exchange`, `dist-packages`) and base32 and base64 ids rarely do.
fn random_run(run: &str) -> bool {
    let mut lower = 0;
    for b in run.bytes() {
        lower = if b.is_ascii_lowercase() { lower + 1 } else { 0 };
        if lower >= 4 {
            return false;
        }
    }
    true
}

/// Whether `label` leads reverse-DNS names (`com.docker.compose`,
/// `io.k8s.api`, `de.example.tool`): a country code or one of the original
/// generic domains, the ones registrants reverse. The newer generic ones
/// (`chat`, `wiki`, `cloud`) are a host's first label far more often
/// (`chat.example.org`), and private ones lead host names (`corp.example.io`).
fn delegated_tld(label: &str) -> bool {
    !PRIVATE_TLDS.contains(&label)
        && (matches!(label, "com" | "net" | "org" | "edu" | "gov" | "mil" | "int")
            || label.len() == 2 && icann_tld(label))
}

/// Whether a key whose `range` a host detector matched is a host name
/// rather than a dotted name a program chose. A key is read as a host only
/// when the host is all of it (a trailing dot and a port allowed:
/// `node2.corp.example.`, `registry.local:5000`) or the authority of a URL
/// (`https://wiki.example.org:8443/`); not a namespace prefix
/// (`app.kubernetes.io/name`), not reverse-DNS (`com.docker.compose.network`,
/// led by a generic top-level domain; a country code leads hosts too:
/// `de.example.org`). With only two labels, a dotted name (`system.site`,
/// `pulpcore.app`) is told from a host by its suffix: a country code, one
/// of the original generic domains or a private one that only machines
/// have (`registry.lan`), or a first label with a digit or a dash as
/// machine names have (`build-mac-mini.local`).
fn key_is_host(key: &str, range: &Range<usize>) -> bool {
    let host = &key[range.clone()];
    let before = &key[..range.start];
    let rest = key[range.end..]
        .strip_prefix('.')
        .unwrap_or(&key[range.end..]);
    let port = |r: &str| {
        r.strip_prefix(':').is_some_and(|p| {
            let digits = p.split('/').next().unwrap_or("");
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        })
    };
    let url = before.strip_suffix("://").is_some_and(|scheme| {
        !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
    });
    let whole = match (before.is_empty(), url) {
        (true, _) => rest.is_empty() || port(rest) && !rest.contains('/'),
        // After a scheme the authority ends at its port, whatever follows
        // (ZAP keys its statistics `https://host:8443|stats.code.302`).
        (false, true) => {
            rest.is_empty()
                || rest.starts_with(['/', '?', '#', '|', ' '])
                || rest
                    .strip_prefix(':')
                    .is_some_and(|p| p.bytes().next().is_some_and(|b| b.is_ascii_digit()))
        }
        (false, false) => false,
    };
    let labels: Vec<&str> = host.split('.').collect();
    let first = labels[0].to_ascii_lowercase();
    let last = labels[labels.len() - 1].to_ascii_lowercase();
    let machine_like = first.bytes().any(|b| b.is_ascii_digit() || b == b'-');
    whole
        && !(labels.len() > 2 && first.len() > 2 && delegated_tld(&first))
        && (labels.len() > 2
            || last.len() == 2
            || matches!(
                last.as_str(),
                "com" | "net" | "org" | "edu" | "gov" | "mil" | "int"
            )
            || PRIVATE_TLDS.contains(&last.as_str())
            || machine_like)
}

/// A JSON pointer as a report may print it: each segment that holds
/// personal data a detector recognises on its own (a map keyed by email
/// address or host name) [`redact`]ed. A report must not spread what it
/// found, and a pointer is printed with every finding under that key.
pub fn shown_pointer(pointer: &str) -> std::borrow::Cow<'_, str> {
    let hidden =
        |seg: &str| !seg.is_empty() && !key_findings_of(&unescape_segment(seg), "").is_empty();
    // Each segment judged once; most pointers hide nothing and are lent back.
    let segments: Vec<(&str, bool)> = pointer.split('/').map(|seg| (seg, hidden(seg))).collect();
    if !segments.iter().any(|&(_, h)| h) {
        return std::borrow::Cow::Borrowed(pointer);
    }
    std::borrow::Cow::Owned(
        segments
            .iter()
            .map(|&(seg, h)| if h { redact(seg) } else { seg.to_string() })
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// One JSON pointer segment, decoded (`~1` is `/`, `~0` is `~`).
pub fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// What was found, with its middle hidden: a report must not spread it.
/// Up to six characters become stars; longer text keeps two characters at
/// each end (`ja…om`).
pub fn redact(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 6 {
        return "*".repeat(chars.len().max(3));
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}…{tail}")
}

/// `text` as a report may quote it: itself, or [`redact`]ed when it holds
/// personal data a detector recognises on its own.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if scan_value_in(text, KeyContext::default()).is_empty() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(redact(text))
    }
}

#[cfg(test)]
mod tests;

/// A detector's kind, name and candidate automaton (if it could be built).
pub type CandidateDfa = (
    Kind,
    &'static str,
    Option<regex_automata::dfa::dense::DFA<Vec<u32>>>,
);

/// One DFA per detector that reaches a match state once its input contains
/// a candidate of that detector (ASCII semantics), for deciding which
/// strings a pattern can produce. Built once, on first use; a detector whose
/// automaton would be too large is `None` (its candidates are then found by
/// sampling instead).
pub fn candidate_dfas() -> &'static [CandidateDfa] {
    use regex_automata::dfa::dense;
    static DFAS: OnceLock<Vec<CandidateDfa>> = OnceLock::new();
    DFAS.get_or_init(|| {
        DETECTORS
            .iter()
            .map(|&(detector, kind, p)| {
                let p = &dfa_pattern(detector, p);
                let dfa = dense::Builder::new()
                    .configure(
                        dense::DFA::config()
                            .start_kind(regex_automata::dfa::StartKind::Unanchored)
                            .dfa_size_limit(Some(8 << 20))
                            .determinize_size_limit(Some(8 << 20)),
                    )
                    .syntax(
                        regex_automata::util::syntax::Config::new()
                            .unicode(false)
                            .utf8(false),
                    )
                    .build(p)
                    .ok();
                (kind, detector.name(), dfa)
            })
            .collect()
    })
}

/// The pattern used for a detector's automaton: the detector's own, or a
/// simpler over-approximation where the exact one would not determinize in
/// reasonable space (the validators then judge each candidate string).
fn dfa_pattern(detector: Detector, pattern: &str) -> String {
    const OCTET: &str = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    match detector {
        // The validators' rules, where they are regular, are part of the
        // automaton: the first candidate found is then usually confirmed.
        Detector::Host => with_tlds(r"(?i)\b(?:[a-z0-9-]+\.)+(?:{TLD})\b"),
        Detector::Ipv4 => format!(r"(?:^|[^0-9.vV]){OCTET}\.{OCTET}\.{OCTET}\.{OCTET}(?:/[0-9]{{1,2}})?(?:$|[^0-9.])"),
        Detector::Token => r"AKIA[A-Z0-9]{16}|ASIA[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{30}|xox[abprs]-[A-Za-z0-9-]{10}|AIza[0-9A-Za-z_-]{35}|[sr]k_live_[0-9A-Za-z]{20}|glpat-[0-9A-Za-z_-]{20}".to_string(),
        Detector::Card => r"[0-9](?:[ -]?[0-9]){12}".to_string(),
        _ => pattern.to_string(),
    }
}
