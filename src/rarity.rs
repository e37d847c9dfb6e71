//! Identifying means rare. A value that many installations send is what the
//! product ships (a public documentation host, a release's digest, a CPU
//! architecture, a module path), not what tells one installation from
//! another. So whenever privet sees payloads from more than one
//! installation, a detector's finding whose exact value at least `k`
//! distinct installations sent is not reported as identifying; it is only
//! counted as a common value. A credential recognised by what it is
//! ([`crate::pii::credential_by_what_it_is`]) stays a finding however
//! common: a default password is still a password.
//!
//! The installation of a payload is the value at a JSON pointer
//! (`/installation_id`, the envelope privet's generated clients send, by
//! default). A payload without one is no evidence of how many installations
//! send a value (one installation may have sent them all), so it counts
//! toward nothing, unless the user says every payload is an installation.
//! Values and installations are kept as 64-bit hashes, each value with at
//! most `k` installations: memory grows with the distinct flagged values,
//! never with the payloads.
//!
//! Ids and times only link, so they are also judged by where they sit
//! ([`Places`]): a place that installations fill with a new value in every
//! payload holds a property of the payload, not of who sent it.

use std::collections::{HashMap, HashSet};

use crate::pii::Kind;

/// How many distinct installations make a value common, by default.
pub const DEFAULT_K: usize = 5;

/// Where a payload names its installation, by default.
pub const DEFAULT_POINTER: &str = "/installation_id";

/// A value's key: its kind and text, hashed (the same in every build and
/// run, so that a [`Sketch`] recognises it later).
pub fn value_key(kind: Kind, value: &str) -> u64 {
    key_of(&["value", kind.as_str(), value])
}

/// A flagged value as rarity judges it: its key ([`value_key`]), and
/// whether it is a credential recognised by what it is, which is never
/// left out however common.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flagged {
    pub value: u64,
    pub credential: bool,
    /// A credential only by its key's name (`token`, `api_key`), neither a
    /// password's nor in a format that says what it is, and made by a
    /// machine: what a collector may have issued an installation, or the
    /// product, to send with its payloads. It is left out where each
    /// installation always sends its own ([`Judgement::issued`]) and when
    /// common (the product's key, shipped in every copy).
    pub issued: bool,
    /// For a host name a program drew under a domain
    /// ([`crate::pii::drawn_host_parent`]), that domain's key: when common,
    /// the domain is a service's and the name the product's. For a machine
    /// numbered in a series ([`crate::pii::numbered_pattern`]), the
    /// pattern's: when common, the names are a convention's.
    pub parent: Option<u64>,
}

/// The value `value` of `kind` that a detector flagged at the JSON pointer
/// `pointer` (whose last segment is the value's key), after `label` when
/// the value follows one in text (`?site_key=…`, `password=…`): the label
/// says what the value is as a key does.
pub fn flagged(kind: Kind, pointer: &str, label: Option<&str>, value: &str) -> Flagged {
    // Under a key that only says a value is held, the key above says what
    // it is, as the scanner reads it.
    let key = crate::pii::naming_key(pointer);
    let credential = |k: Option<&str>| crate::pii::credential_by_what_it_is(kind, k, value);
    let credential = credential(key.as_deref()) || label.is_some_and(|l| credential(Some(l)));
    let password = [key.as_deref(), label]
        .into_iter()
        .flatten()
        .any(crate::pii::password_key);
    Flagged {
        value: value_key(kind, value),
        credential,
        issued: credential
            && kind == Kind::Secret
            && !password
            && !crate::pii::credential_format(value)
            && machine_made(value),
        parent: (kind == Kind::Hostname)
            .then(|| {
                crate::pii::drawn_host_parent(value)
                    .map(|p| key_of(&["drawn under", &p.to_ascii_lowercase()]))
                    .or_else(|| {
                        crate::pii::numbered_pattern(value).map(|p| key_of(&["numbered", &p]))
                    })
            })
            .flatten(),
    }
}

/// Whether a credential looks made by a machine, as an issued key is: 16
/// characters or more, letters and digits mixed, or letters of both cases
/// drawn at random (`phc_PEGoGrnEMrSQYo…`): a fifth of random letters are
/// vowels, against two in five of words, in CamelCase too. A default a
/// person typed (`changeme`, `admin123`) is none.
fn machine_made(value: &str) -> bool {
    let b = value.as_bytes();
    let has = |f: fn(&u8) -> bool| b.iter().any(f);
    let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let vowels = b
        .iter()
        .filter(|c| matches!(c.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u'))
        .count();
    value.len() >= 16
        && (has(u8::is_ascii_digit) && has(u8::is_ascii_alphabetic)
            || has(u8::is_ascii_uppercase)
                && has(u8::is_ascii_lowercase)
                && vowels * 100 < letters * 27)
}

/// An installation's key: its id, hashed.
pub fn installation_key(id: &str) -> u64 {
    key_of(&["installation", id])
}

fn key_of(parts: &[&str]) -> u64 {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    u64::from_le_bytes(h.finalize().as_bytes()[..8].try_into().expect("8 bytes"))
}

/// How many distinct installations sent each flagged value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    k: usize,
    seen: HashMap<u64, Vec<u64>>,
    installations: HashSet<u64>,
}

impl Counter {
    pub fn new(k: usize) -> Counter {
        Counter {
            k: k.max(1),
            seen: HashMap::new(),
            installations: HashSet::new(),
        }
    }

    pub fn k(&self) -> usize {
        self.k
    }

    /// Records that `installation` sent the flagged value `value`.
    pub fn see(&mut self, value: u64, installation: u64) {
        self.installations.insert(installation);
        let by = self.seen.entry(value).or_default();
        if by.len() < self.k && !by.contains(&installation) {
            by.push(installation);
        }
    }

    /// Whether at least `k` distinct installations sent `value`. One
    /// installation alone never makes a value common, whatever `k`.
    pub fn common(&self, value: u64) -> bool {
        self.installations.len() > 1 && self.seen.get(&value).is_some_and(|by| by.len() >= self.k)
    }

    /// Distinct installations among the payloads with flagged values.
    pub fn installations(&self) -> usize {
        self.installations.len()
    }

    /// The installations (at most `k`) seen sending `value`.
    pub fn installations_sending(&self, value: u64) -> &[u64] {
        self.seen.get(&value).map_or(&[], Vec::as_slice)
    }

    /// Adds what `other` saw.
    pub fn merge(&mut self, other: &Counter) {
        for (v, by) in other.entries() {
            for i in by {
                self.see(v, *i);
            }
        }
        self.installations.extend(&other.installations);
    }

    /// Every value seen, with the installations (at most `k`) that sent it.
    pub fn entries(&self) -> impl Iterator<Item = (u64, &[u64])> {
        self.seen.iter().map(|(v, by)| (*v, by.as_slice()))
    }
}

/// Whether a finding of `kind` only links, never names: an opaque id or a
/// time, which identify by tying payloads together or to events, unlike an
/// email, a host or a path, which say who or where.
pub fn links_only(kind: Kind) -> bool {
    matches!(kind, Kind::PersistentId | Kind::Timestamp)
}

/// A place in a payload: its JSON pointer with array indices dropped
/// (`/body/errors/3/time` is `/body/errors/*/time`), hashed.
pub fn place_key(pointer: &str) -> u64 {
    let shape: Vec<&str> = pointer
        .split('/')
        .map(|s| {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                s
            }
        })
        .collect();
    key_of(&["place", &shape.join("/")])
}

/// Objects that are maps keyed by names rather than records of fields:
/// `{"dependencies": {"body-parser": {…}, "react": {…}}}` is keyed by
/// packages, and its values (each package's `integrity`) are one place's,
/// whatever package they belong to. An object is a map when at least
/// [`Maps::KEYS`] different keys were seen under it over the scan, with a
/// value at the same place below each; a record's fields are few and fixed.
/// Only a vocabulary is read at a map's place ([`crate::commands`]'s scan):
/// a package's digest is the same for every installation that has its
/// release, while the ids of an installation's own things keep being judged
/// where they are. Memory: per place at most [`Maps::KEYS`] keys' hashes.
#[derive(Clone, Debug, Default)]
pub struct Maps {
    keys: HashMap<u64, HashSet<u64>>,
}

impl Maps {
    /// Fewest different keys that make an object a map.
    pub const KEYS: usize = 16;

    /// The place the values at `pointer` share with those under the other
    /// keys of the object two levels up (`/a/map/KEY/leaf` is
    /// `/a/map/{map}/leaf`), recording `KEY` as one of its keys; none when the
    /// pointer is too short or `KEY` is an array's index.
    pub fn family(&mut self, pointer: &str) -> Option<u64> {
        let (rest, leaf) = pointer.rsplit_once('/')?;
        let (parent, key) = rest.rsplit_once('/')?;
        if parent.is_empty() || key.is_empty() || key.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let family = place_key(&format!("{parent}/{{map}}/{leaf}"));
        let keys = self.keys.entry(family).or_default();
        if keys.len() < Self::KEYS {
            keys.insert(key_of(&["map key", key]));
        }
        Some(family)
    }

    /// Whether the place `family` ([`Maps::family`]) is a map's.
    pub fn is_map(&self, family: u64) -> bool {
        self.keys
            .get(&family)
            .is_some_and(|k| k.len() >= Self::KEYS)
    }
}

/// Places in payloads, judged by how their ids and times vary.
///
/// An id or a time that changes from one payload to the next of the same
/// installation is a property of the payload (when it was sent or
/// recorded, a message or request id), not of the installation or of a
/// person: it ties the payload to nothing a collector does not learn by
/// receiving it. A value that comes back in a later payload is what links
/// reports over time (a device id, a user's id, a birth date), and one such
/// repeat anywhere keeps the whole place judged value by value.
///
/// An id that each installation always sends the same of, and no other
/// installation sends, stands for the installation: the product's own
/// pseudonymous installation or client id under another name. It links the
/// installation's reports exactly as the envelope's installation id does,
/// and nothing more within them. So do the ids of an installation's own
/// few things that come back from payload to payload (its projects' or
/// build targets' hashes, a session that spans payloads), as long as no
/// other installation ever sends one of them, and the one instant an
/// installation always sends (when it was installed, its database
/// created): a time of day, never a birthday, that dates the installation
/// and names no one.
///
/// Either needs the evidence of at least `k` installations that each filled
/// the place in two or more payloads. Only findings that are the whole
/// value (`"2026-12-06T10:00:00Z"`, not a time inside an error message) of
/// a kind that [`links_only`] count. Memory: per place and installation at
/// most [`Places::KEPT`] values.
#[derive(Clone, Debug, Default)]
pub struct Places {
    places: HashMap<u64, Place>,
}

#[derive(Clone, Debug, Default)]
struct Place {
    /// A value came back in a later payload of its installation.
    repeated: bool,
    /// The place holds times ([`Places::mark_time`]).
    time: bool,
    /// Per installation: `(payload, value)` of the first values seen.
    by: HashMap<u64, Vec<(u64, u64)>>,
}

/// How a place's values vary ([`Places::judge`]).
#[derive(Clone, Debug, Default)]
pub struct Judgement {
    /// Places with a new value in every payload.
    pub per_payload: HashSet<u64>,
    /// Places whose value stands for the installation.
    pub per_installation: HashSet<u64>,
    /// Places whose ids installations share: a vocabulary (hashed names,
    /// trial groups, released artefacts), not identifiers.
    pub vocabulary: HashSet<u64>,
    /// Places where each installation always sends its one own value and
    /// no other installation sends it: where an issued credential is the
    /// installation's key to its collector ([`Judgement::issued`]).
    pub own_constant: HashSet<u64>,
    /// Places that hold times ([`Places::mark_time`]).
    pub timed: HashSet<u64>,
}

/// How many values per value two installations send a place may hold and
/// still stand for each installation: a time coincides by chance now and
/// then (one in a hundred); an id only when a person or a machine is
/// behind two installations (one in ten, each of those still reported).
fn own_share(time: bool) -> usize {
    if time { 100 } else { 10 }
}

/// Why a finding's place leaves it out ([`Judgement::reason`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceReason {
    PerPayload = 0,
    PerInstallation = 1,
    Vocabulary = 2,
    Issued = 3,
}

impl Judgement {
    /// Why a finding at `place` is left out, if it is: an id or a time at
    /// a place with a new value in every payload, that stands for the
    /// installation (when `senders`, the installations that sent the
    /// value, are one: a time two sent fell on the same second by chance),
    /// or that holds a vocabulary. Every time a detector
    /// reports has a time of day: an instant (when the installation was
    /// set up, when a payload was made), never a birthday.
    pub fn reason(&self, place: u64, senders: usize) -> Option<PlaceReason> {
        if self.per_payload.contains(&place) {
            Some(PlaceReason::PerPayload)
        } else if self.per_installation.contains(&place)
            && (senders <= 1 || self.timed.contains(&place))
        {
            Some(PlaceReason::PerInstallation)
        } else if self.vocabulary.contains(&place) {
            Some(PlaceReason::Vocabulary)
        } else {
            None
        }
    }

    /// Why an issued credential ([`Flagged::issued`]) at `place` is left
    /// out, if it is: at least `k` installations each always send their own
    /// one there, which no other installation sends. That is how a client
    /// authenticates to the collector that receives its payloads (a
    /// project's write key, a site's ingestion token): the collector issued
    /// it and learns nothing new from it. A shared one (a default) or one
    /// that changes is reported, as is every password and every credential
    /// in a provider's format.
    pub fn issued(&self, place: u64) -> Option<PlaceReason> {
        self.own_constant
            .contains(&place)
            .then_some(PlaceReason::Issued)
    }
}

impl Places {
    pub const KEPT: usize = 16;

    /// Records that `installation`'s payload `payload` holds `value` at
    /// `place`.
    pub fn see(&mut self, place: u64, installation: u64, payload: u64, value: u64) {
        let p = self.places.entry(place).or_default();
        let seen = p.by.entry(installation).or_default();
        if seen.iter().any(|&(l, v)| v == value && l != payload) {
            p.repeated = true;
        }
        if seen.len() < Self::KEPT {
            seen.push((payload, value));
        }
    }

    /// Records that `place` holds times: a payload that lists several
    /// distinct ones there (when each of its items was last seen, began,
    /// ended) dates its items, not its sender.
    pub fn mark_time(&mut self, place: u64) {
        self.places.entry(place).or_default().time = true;
    }

    /// Every place's judgement, by the evidence of at least `k`
    /// installations (made once, when every payload is read).
    pub fn judge(&self, k: usize) -> Judgement {
        let mut out = Judgement::default();
        for (&place, p) in &self.places {
            // Installations that filled the place in two payloads or more,
            // and how many distinct values each sent there.
            let mut varying = 0usize;
            let mut constant = 0usize;
            let mut changed = false;
            for seen in p.by.values() {
                let mut payloads: Vec<u64> = seen.iter().map(|s| s.0).collect();
                payloads.sort_unstable();
                payloads.dedup();
                if payloads.len() < 2 {
                    continue;
                }
                let mut values: Vec<u64> = seen.iter().map(|s| s.1).collect();
                values.sort_unstable();
                values.dedup();
                if values.len() == 1 {
                    constant += 1;
                } else {
                    changed = true;
                    varying += 1;
                }
            }
            let k = k.max(2);
            let (distinct, shared, common) = p.sharing(k);
            // Installations that listed two distinct times or more in one
            // payload (one payload each is evidence enough).
            let itemised = if p.time {
                p.by.values()
                    .filter(|seen| {
                        seen.iter()
                            .enumerate()
                            .any(|(i, a)| seen[i + 1..].iter().any(|b| b.0 == a.0 && b.1 != a.1))
                    })
                    .count()
            } else {
                0
            };
            if !p.repeated && (varying >= k || itemised >= k && shared == 0) {
                out.per_payload.insert(place);
            } else if (shared == 0 || shared * own_share(p.time) <= distinct)
                && constant + varying >= k
                && (!changed || p.repeated)
            {
                // Each installation's own values, one or a few that come
                // back (its projects', targets' or sessions' ids), that no
                // other installation sends: they link its payloads as its
                // installation id does, and nothing more. A few values two
                // installations send (one person's two installations, two
                // that fell on the same second) are not either's own: each
                // is judged as a value ([`Judgement::reason`] asks for one
                // sender).
                out.per_installation.insert(place);
            }
            if shared == 0 && constant >= k && !changed {
                out.own_constant.insert(place);
            }
            if p.time {
                out.timed.insert(place);
            }
            // An identifier belongs to one holder: a place where at least
            // `k` values, and half of all its values, came from two
            // installations or more holds the product's vocabulary (hashed
            // names of trials or histograms, digests of what it ships),
            // whose rarer entries are its tail, not someone's id.
            //
            // So does a place where at least `k` distinct values are each
            // sent by `k` installations or more: a vocabulary whose long
            // tail (digests of builds few installations made) is rarer than
            // its head. Nobody's own id is sent by `k` installations, let
            // alone `k` such ids at one place.
            if shared >= k && shared * 2 >= distinct || common >= k {
                out.vocabulary.insert(place);
            }
        }
        out
    }
}

impl Place {
    /// How many distinct values were kept here, how many of them two
    /// installations or more sent, and how many `k` installations or more
    /// sent. The values kept are enough to tell wherever it matters: an
    /// installation with more than [`Places::KEPT`] values here sent
    /// several, and such a place never stands for the installation anyway.
    fn sharing(&self, k: usize) -> (usize, usize, usize) {
        // Per value: its installations, up to `k` of them.
        let mut senders: HashMap<u64, Vec<u64>> = HashMap::new();
        for (&installation, seen) in &self.by {
            for &(_, value) in seen {
                let s = senders.entry(value).or_default();
                if s.len() < k && !s.contains(&installation) {
                    s.push(installation);
                }
            }
        }
        let shared = senders.values().filter(|s| s.len() >= 2).count();
        let common = senders.values().filter(|s| s.len() >= k).count();
        (senders.len(), shared, common)
    }
}

/// Rarity across runs, for a collector that validates payloads as they
/// come (`privet validate --rarity-state FILE`): for each flagged value, the
/// installations that sent it (at most `k`), kept on disk between runs.
///
/// The file holds keyed hashes only, never a value or an id: a value is 8
/// bytes and an installation 4 bytes of a BLAKE3 hash keyed with a secret
/// kept in a second file, `FILE.key` (created on first use, readable by its
/// owner only). Without the key, the state file tells nothing about what was
/// sent, not even whether a guessed value was (a guess cannot be hashed).
/// Deleting the key forgets everything.
///
/// Size: at most [`Sketch::MAX_VALUES`] values of `8 + 1 + 4k` bytes (29 MB
/// at k = 5); past that, the values fewest installations sent are dropped
/// first (they are the rare ones, so dropping them only makes privet report
/// more). Error: two installations share a 4-byte hash with probability
/// about k²/2³³ per value (a value then counts one installation short,
/// reported when it need not be); two values share an 8-byte hash with
/// probability about n²/2⁶⁵ for n values.
#[derive(Debug)]
pub struct Sketch {
    key: [u8; 32],
    values: HashMap<u64, Vec<u32>>,
}

impl Sketch {
    pub const MAX_VALUES: usize = 1_000_000;
    const MAGIC: &'static [u8] = b"privet rarity sketch 1\n";

    /// The sketch at `path` (and its key at `path.key`), or a new one.
    pub fn open(path: &std::path::Path) -> std::io::Result<Sketch> {
        let key_path = key_path(path);
        let key = match std::fs::read(&key_path) {
            Ok(k) if k.len() == 32 => k.try_into().expect("32 bytes"),
            Ok(_) => {
                return Err(std::io::Error::other(format!(
                    "{} is not a rarity key (32 bytes)",
                    key_path.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                getrandom_key(&mut key)?;
                write_private(&key_path, &key)?;
                key
            }
            Err(e) => return Err(e),
        };
        let mut sketch = Sketch {
            key,
            values: HashMap::new(),
        };
        match std::fs::read(path) {
            Ok(bytes) => sketch
                .decode(&bytes)
                .map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        Ok(sketch)
    }

    fn keyed(&self, tag: &[u8], x: u64) -> [u8; 8] {
        let mut h = blake3::Hasher::new_keyed(&self.key);
        h.update(tag);
        h.update(&x.to_le_bytes());
        h.finalize().as_bytes()[..8].try_into().expect("8 bytes")
    }

    /// What the file keeps of a value's key.
    fn value_fp(&self, value: u64) -> u64 {
        u64::from_le_bytes(self.keyed(b"v", value))
    }

    /// What the file keeps of an installation's key.
    fn installation_fp(&self, installation: u64) -> u32 {
        u32::from_le_bytes(
            self.keyed(b"i", installation)[..4]
                .try_into()
                .expect("4 bytes"),
        )
    }

    /// Adds what `counter` saw this run.
    pub fn add(&mut self, counter: &Counter) {
        let k = counter.k();
        for (value, by) in counter.entries() {
            let v = self.value_fp(value);
            let installations: Vec<u32> = by.iter().map(|i| self.installation_fp(*i)).collect();
            let known = self.values.entry(v).or_default();
            for i in installations {
                if known.len() < k && !known.contains(&i) {
                    known.push(i);
                }
            }
        }
    }

    /// Distinct installations that sent `value`: those known from earlier
    /// runs and `now` (this run's, as [`installation_key`]s), together.
    pub fn installations_with(&self, value: u64, now: &[u64]) -> usize {
        let mut all: Vec<u32> = self
            .values
            .get(&self.value_fp(value))
            .cloned()
            .unwrap_or_default();
        for i in now {
            let i = self.installation_fp(*i);
            if !all.contains(&i) {
                all.push(i);
            }
        }
        all.len()
    }

    /// Distinct installations known to have sent `value` (a [`value_key`]).
    pub fn installations_of(&self, value: u64) -> usize {
        self.values.get(&self.value_fp(value)).map_or(0, Vec::len)
    }

    /// Writes the sketch to `path`, atomically.
    pub fn save(&mut self, path: &std::path::Path) -> std::io::Result<()> {
        if self.values.len() > Self::MAX_VALUES {
            let mut by_count: Vec<(usize, u64)> =
                self.values.iter().map(|(v, by)| (by.len(), *v)).collect();
            by_count.sort_unstable();
            let drop = self.values.len() - Self::MAX_VALUES;
            for (_, v) in &by_count[..drop] {
                self.values.remove(v);
            }
        }
        let mut entries: Vec<(&u64, &Vec<u32>)> = self.values.iter().collect();
        entries.sort_unstable();
        let mut out = Self::MAGIC.to_vec();
        for (v, by) in entries {
            out.extend_from_slice(&v.to_le_bytes());
            out.push(by.len() as u8);
            for i in by {
                out.extend_from_slice(&i.to_le_bytes());
            }
        }
        crate::files::write_atomically(path, &out)
    }

    fn decode(&mut self, bytes: &[u8]) -> Result<(), &'static str> {
        let mut rest = bytes
            .strip_prefix(Self::MAGIC)
            .ok_or("not a privet rarity sketch")?;
        while !rest.is_empty() {
            if rest.len() < 9 {
                return Err("truncated");
            }
            let v = u64::from_le_bytes(rest[..8].try_into().expect("8"));
            let n = usize::from(rest[8]);
            rest = &rest[9..];
            if rest.len() < 4 * n || n > 255 {
                return Err("truncated");
            }
            let by = rest[..4 * n]
                .chunks(4)
                .map(|c| u32::from_le_bytes(c.try_into().expect("4")))
                .collect();
            rest = &rest[4 * n..];
            self.values.insert(v, by);
        }
        Ok(())
    }
}

/// Where the key of the sketch at `path` is kept.
pub fn key_path(path: &std::path::Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".key");
    std::path::PathBuf::from(name)
}

/// 32 random bytes from the operating system.
fn getrandom_key(key: &mut [u8; 32]) -> std::io::Result<()> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")?.read_exact(key)
}

/// Creates `path` with `bytes`, readable and writable by its owner only.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_object_with_many_keys_is_a_map_whose_values_share_a_place() {
        use super::Maps;
        let mut maps = Maps::default();
        let family = maps.family("/body/dependencies/react/integrity");
        assert_eq!(
            family,
            maps.family("/body/dependencies/body-parser/integrity")
        );
        let family = family.expect("a key two levels up");
        assert!(!maps.is_map(family));
        for i in 0..Maps::KEYS {
            maps.family(&format!("/body/dependencies/package{i}/integrity"));
        }
        assert!(maps.is_map(family));
        // An array's index is no map key, and a short pointer has none.
        assert_eq!(maps.family("/body/items/3/id"), None);
        assert_eq!(maps.family("/id"), None);
    }

    #[test]
    fn a_place_with_a_new_value_in_every_payload_is_per_payload() {
        use super::{Places, place_key};
        let clock = place_key("/body/events/0/time");
        assert_eq!(clock, place_key("/body/events/7/time"));
        let device = place_key("/body/device");
        let mut places = Places::default();
        for installation in 0..5u64 {
            for payload in 0..3u64 {
                let line = installation * 10 + payload;
                // A new time in every payload; the device id comes back.
                places.see(clock, installation, line, 1000 + line);
                places.see(device, installation, line, 7 + installation);
            }
        }
        assert!(places.judge(5).per_payload.contains(&clock));
        assert!(!places.judge(5).per_payload.contains(&device));
        // Fewer than k installations of evidence: judged value by value.
        assert!(!places.judge(6).per_payload.contains(&clock));
        // One installation repeating a value keeps the place judged value
        // by value, whatever the others did.
        places.see(clock, 9, 90, 1);
        places.see(clock, 9, 91, 1);
        assert!(!places.judge(5).per_payload.contains(&clock));
        // An id each installation always sends, and no other does, stands
        // for the installation; shared by two, it does not.
        let client = place_key("/body/client_id");
        let mut ids = Places::default();
        for installation in 0..5u64 {
            for payload in 0..3u64 {
                ids.see(
                    client,
                    installation,
                    installation * 10 + payload,
                    500 + installation,
                );
            }
        }
        let judged = ids.judge(5);
        assert!(judged.per_installation.contains(&client));
        assert!(!judged.per_payload.contains(&client));
        ids.see(client, 7, 70, 500);
        ids.see(client, 7, 71, 500);
        assert!(!ids.judge(5).per_installation.contains(&client));
        // A few ids of its own that come back (its projects' hashes), that
        // no other installation sends, stand for it as well; one changing
        // for good in every payload does not.
        let project = place_key("/body/targets/0/uuid");
        let mut own = Places::default();
        for installation in 0..5u64 {
            for payload in 0..4u64 {
                let line = installation * 10 + payload;
                own.see(
                    project,
                    installation,
                    line,
                    100 * installation + payload % 2,
                );
            }
        }
        let judged = own.judge(5);
        assert!(judged.per_installation.contains(&project));
        assert!(!judged.per_payload.contains(&project));
        // Ids installations share are a vocabulary (hashed trial names),
        // its rare entries included; ids nobody shares are not.
        let trial = place_key("/body/field_trial/3/name_id");
        let mut shared = Places::default();
        for installation in 0..10u64 {
            for payload in 0..2u64 {
                let line = installation * 10 + payload;
                // Values 0..5 are popular; each installation also sends a
                // rare one of its own.
                shared.see(trial, installation, line, installation % 5);
                shared.see(trial, installation, line, 1000 + installation);
            }
        }
        // 5 shared values of 15: not half.
        assert!(!shared.judge(5).vocabulary.contains(&trial));
        for installation in 0..10u64 {
            shared.see(trial, installation, 500, 50 + installation % 5);
            shared.see(trial, installation, 500, 60 + installation % 5);
        }
        // 15 shared of 25: a vocabulary, rare entries and all.
        assert!(shared.judge(5).vocabulary.contains(&trial));
        assert!(!shared.judge(5).per_installation.contains(&trial));
        assert!(!judged.vocabulary.contains(&project));
        // Times listed per item, one payload per installation: each item's
        // own, a property of the payload.
        let seen_at = place_key("/body/apps/0/last_seen");
        let mut listed = Places::default();
        listed.mark_time(seen_at);
        for installation in 0..5u64 {
            for item in 0..3u64 {
                listed.see(
                    seen_at,
                    installation,
                    installation,
                    10 * installation + item,
                );
            }
        }
        assert!(listed.judge(5).per_payload.contains(&seen_at));
        let mut untimed = listed.clone();
        untimed.places.get_mut(&seen_at).unwrap().time = false;
        assert!(!untimed.judge(5).per_payload.contains(&seen_at));
        // One installation's payloads alone are never evidence enough.
        let mut one = Places::default();
        for line in 0..50u64 {
            one.see(clock, 1, line, line);
        }
        assert!(!one.judge(1).per_payload.contains(&clock));
    }

    use super::*;

    #[test]
    fn a_vocabulary_with_a_long_tail_and_times_that_coincide_by_chance() {
        use super::{PlaceReason, Places, place_key};
        // Digests of builds: k values each sent by k installations or more
        // (the head), and a long tail of values one installation sent.
        let builds = place_key("/body/installplan/~digest");
        let mut places = Places::default();
        for installation in 0..40u64 {
            let line = installation * 10;
            places.see(builds, installation, line, installation % 5);
            places.see(builds, installation, line, 1000 + installation);
            places.see(builds, installation, line, 2000 + installation);
        }
        // 5 values of 85 are common, far from half shared: still the
        // product's vocabulary, its tail included.
        assert!(places.judge(5).vocabulary.contains(&builds));
        // With one common value fewer than k, it is not: a default or two
        // sent everywhere excuse no one's own id.
        let users = place_key("/body/user_id");
        let mut ids = Places::default();
        for installation in 0..40u64 {
            ids.see(users, installation, installation, installation % 4);
            ids.see(users, installation, installation + 1, 1000 + installation);
        }
        assert!(!ids.judge(5).vocabulary.contains(&users));
        // Each installation's own times, coming back in its payloads: one
        // value in a hundred shared by chance keeps them its own, the
        // shared one too (the same second, by chance); an id two
        // installations send is reported, the others' own ones are not.
        let refreshed = place_key("/body/snaps/0/refreshed");
        let mut times = Places::default();
        times.mark_time(refreshed);
        for installation in 0..150u64 {
            for payload in 0..2u64 {
                times.see(
                    refreshed,
                    installation,
                    installation * 10 + payload,
                    installation,
                );
            }
        }
        // Installation 150 sends installation 0's time.
        for payload in 0..2u64 {
            times.see(refreshed, 150, 1500 + payload, 0);
        }
        let judged = times.judge(5);
        assert!(judged.per_installation.contains(&refreshed));
        assert!(judged.reason(refreshed, 2).is_some());
        let mut untimed = times.clone();
        untimed.places.get_mut(&refreshed).unwrap().time = false;
        let judged = untimed.judge(5);
        assert_eq!(
            judged.reason(refreshed, 1),
            Some(PlaceReason::PerInstallation)
        );
        assert_eq!(judged.reason(refreshed, 2), None);
        // Ids shared more often (two values in ten) stand for no one.
        for i in 0..20u64 {
            for payload in 0..2u64 {
                untimed.see(refreshed, 200 + i, 2000 + i * 10 + payload, i);
            }
        }
        assert!(!untimed.judge(5).per_installation.contains(&refreshed));
    }

    #[test]
    fn a_value_is_common_from_k_installations_on() {
        let mut c = Counter::new(3);
        let v = value_key(Kind::Hostname, "docs.example-project.org");
        let other = value_key(Kind::Hostname, "db01.corp.acme.example");
        for i in ["a", "b", "b", "a"] {
            c.see(v, installation_key(i));
        }
        c.see(other, installation_key("a"));
        assert!(!c.common(v), "two installations are not three");
        c.see(v, installation_key("c"));
        assert!(c.common(v));
        assert!(!c.common(other));
        assert_eq!(c.installations(), 3);
        // The same text of another kind is another value.
        assert_ne!(v, value_key(Kind::Email, "docs.example-project.org"));
    }

    #[test]
    fn a_machine_made_key_under_a_token_name_may_be_issued_a_password_never() {
        let write_key = "phc_pvhWqriLG2RRG4GUVluCed0jf4JaoSXbBnuM";
        let issued = |pointer: &str, label: Option<&str>, value: &str| {
            let f = flagged(Kind::Secret, pointer, label, value);
            assert!(f.credential, "{pointer} {value}");
            f.issued
        };
        assert!(issued("/body/batch/0/properties/token", None, write_key));
        assert!(issued(
            "/body/api_key",
            None,
            "53fe2991a2c63171b809d475a3939ff7"
        ));
        // A password, a provider's token format, a default a person typed.
        assert!(!issued("/body/smtp_password", None, write_key));
        assert!(!issued("/body/q", Some("pwd"), write_key));
        assert!(!issued(
            "/body/token",
            None,
            "ghp_0123456789abcdefghijABCDEFGHIJ012345"
        ));
        assert!(!issued("/body/token", None, "changeme-now-please"));
        // Letters alone, their case drawn at random, are a machine's too;
        // words in CamelCase are a person's.
        assert!(issued(
            "/body/api_key",
            None,
            "phc_PEGoGrnEMrSQYoSNJWhZDBnlPTtTPQeoSHAWqfJKelG"
        ));
        assert!(!issued("/body/token", None, "WebRtcTokenExchangeService"));
        // A default password under a key that only holds it.
        assert!(!issued("/config/vpc:adminPassword/string", None, write_key));
        assert!(!flagged(Kind::Secret, "/config/mode/string", None, write_key).credential);
        // Each installation always sending its own one: issued; shared by
        // two installations or changing: reported.
        let place = place_key("/body/api_key");
        let mut own = Places::default();
        for installation in 0..5u64 {
            for payload in 0..3u64 {
                own.see(
                    place,
                    installation,
                    installation * 10 + payload,
                    900 + installation,
                );
            }
        }
        assert_eq!(own.judge(5).issued(place), Some(PlaceReason::Issued));
        let mut changing = own.clone();
        changing.see(place, 0, 5, 1);
        assert_eq!(changing.judge(5).issued(place), None);
        own.see(place, 8, 80, 900);
        own.see(place, 8, 81, 900);
        assert_eq!(own.judge(5).issued(place), None);
    }
}

#[cfg(test)]
mod sketch_tests {
    use super::*;

    #[test]
    fn the_sketch_counts_installations_across_runs_and_holds_no_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rarity.bin");
        let host = value_key(Kind::Hostname, "tiles.mapservice.org");
        for run in 0..3 {
            let mut counter = Counter::new(5);
            for i in 0..2 {
                counter.see(host, installation_key(&format!("install-{run}-{i}")));
            }
            let mut sketch = Sketch::open(&path).unwrap();
            sketch.add(&counter);
            assert_eq!(sketch.installations_of(host), (2 * (run + 1)).min(5));
            sketch.save(&path).unwrap();
        }
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(8).any(|w| w == b"mapservi"));
        assert!(!bytes.windows(8).any(|w| w == host.to_le_bytes()));
        // Another key: nothing is recognised.
        std::fs::remove_file(key_path(&path)).unwrap();
        let sketch = Sketch::open(&path).unwrap();
        assert_eq!(sketch.installations_of(host), 0);
        // A damaged file is an error, not a panic.
        std::fs::write(&path, b"privet rarity sketch 1\n\x01\x02").unwrap();
        assert!(Sketch::open(&path).is_err());
    }
}
