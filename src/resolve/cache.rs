//! The history cache: one file per proposals directory inside the git
//! directory (`.git/privet/history-<prefix>.bin`), so it never appears in
//! the work tree, is never committed and goes away with the clone.
//!
//! The file is binary and compact, so that a warm run with nothing new
//! reads it in milliseconds: a header, the history proper (commits, events,
//! what HEAD holds), then the canonical definitions, which only a diff
//! needs and which are decoded the first time one is asked for
//! ([`Definitions`]). Strings that repeat (names, emails, paths,
//! fingerprints) are written once.
//!
//! A run that walks new commits from a cached history does not rewrite
//! it: it appends what the walk added (new commits, new events, what
//! changed at HEAD, new definitions) as one segment to the tail,
//! `history-<prefix>.tail`. Each segment's keyed hash covers the previous
//! one's, starting from the base's, so a tail verifies only in order and
//! only on the base it was written for; one that does not is ignored (the
//! base alone is read) and the next write replaces both. Past an eighth of
//! the base (at least 256 KiB), the tail is folded into a new base.
//!
//! The file is authenticated: each of the two sections carries a keyed
//! BLAKE3 hash under a random key created once per repository
//! (`.git/privet/key`, mode 0600). A cache edited by hand, copied from
//! another clone or restored from a CI cache shared with other branches
//! does not verify against this clone's key and is ignored: history is
//! walked again. So is a cache written by another version of privet or
//! another cache format, and one whose definitions do not verify. Whoever
//! can write the key can also rewrite the repository's objects, so the key
//! protects against nothing git itself would not; that limit is in the
//! README.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use git2::{ObjectType, Oid};

use super::{ApprovalRecord, Change, Commit, Event, History, Present};

const KEY_BYTES: usize = 32;
const MAGIC: &[u8; 16] = b"privet-history\0\x04";
/// Magic, version length, then two sections of (length, hash).
const FIXED_HEADER: usize = 16 + 1 + 2 * (8 + 32);

pub struct Cache {
    dir: PathBuf,
    file: PathBuf,
    /// What runs since `file` was written added (see [`Cache::extend`]).
    tail: PathBuf,
    /// Whose caches this run accepts: privet's version.
    version: String,
}

impl Cache {
    /// The cache of the proposals directory `prefix` in git directory `git_dir`.
    pub fn new(git_dir: &Path, prefix: &str) -> Cache {
        // The layout's format is part of the version a cache must match.
        // So is the canonical form: fingerprints in the cache were computed
        // with it, and a cache of another form would date every approval.
        let version = format!(
            "{}+{}+{}",
            env!("CARGO_PKG_VERSION"),
            super::CACHE_FORMAT,
            crate::fingerprint::FORMAT
        );
        Cache::for_version(git_dir, prefix, &version)
    }

    /// Like [`Cache::new`], for caches of privet `version` (tests).
    pub fn for_version(git_dir: &Path, prefix: &str, version: &str) -> Cache {
        let dir = git_dir.join("privet");
        let tag = Oid::hash_object(ObjectType::Blob, prefix.as_bytes())
            .map(|o| o.to_string()[..12].to_string())
            .unwrap_or_default();
        let file = dir.join(format!("history-{tag}.bin"));
        let tail = dir.join(format!("history-{tag}.tail"));
        Cache {
            dir,
            file,
            tail,
            version: version.to_string(),
        }
    }

    /// The cached history, if the file exists, was written by this version
    /// of privet and verifies under the key. The definitions are read,
    /// verified and decoded only when first asked for.
    #[cfg(test)]
    pub fn read(&self) -> Option<History> {
        self.read_stamped().map(|(h, _)| h)
    }

    /// [`Cache::read`], with the tail applied, and what [`Cache::extend`]
    /// needs to add to it.
    pub fn read_stamped(&self) -> Option<(History, Stamp)> {
        let key = crate::sealed::existing_key(&self.dir)?;
        let mut file = fs::File::open(&self.file).ok()?;
        let size = usize::try_from(file.metadata().ok()?.len()).ok()?;
        let mut head = vec![0u8; (FIXED_HEADER + usize::from(u8::MAX)).min(size)];
        file.read_exact(&mut head).ok()?;
        let header = Header::parse(&head, &self.version, size)?;
        let mut main = vec![0u8; header.main.len()];
        file.seek(SeekFrom::Start(header.main.start as u64)).ok()?;
        file.read_exact(&mut main).ok()?;
        if blake3::keyed_hash(&key, &main) != header.main_mac {
            return None;
        }
        let mut history = decode(main)?;
        let section = Section {
            file,
            at: header.defs.start as u64,
            len: header.defs.len(),
            key,
            mac: header.defs_mac,
        };
        // The definitions are verified now (decoded later): a cache with
        // an edited definition is no cache at all, never one whose diffs
        // silently come out empty.
        section.verifies().then_some(())?;
        history.definitions = Definitions::cached(section);
        let mut stamp = Stamp {
            last: header.main_mac,
            tail: Some(TAIL_MAGIC.to_vec()),
            base: size,
        };
        if let Ok(tail) = fs::read(&self.tail) {
            match verify_tail(&key, &tail, header.main_mac) {
                // Verified, so written by this clone for this base: a
                // segment that does not apply is a broken cache.
                Some((segments, last)) => {
                    for segment in segments {
                        apply_segment(segment, &mut history)?;
                    }
                    stamp.last = last;
                    stamp.tail = Some(tail);
                }
                // A tail of an earlier base, or edited: the base alone
                // holds, and the next write replaces both.
                None => stamp.tail = None,
            }
        }
        Some((history, stamp))
    }

    /// Writes what a walk from the cached `stamp` (history then as in
    /// `mark`) added to reach `history`: one segment appended to the tail,
    /// so that one new commit costs about one commit's work, not a rewrite
    /// of the whole history. When the tail has grown past an eighth of the
    /// base (or cannot be extended), everything is written afresh.
    pub fn extend(&self, stamp: &Stamp, mark: &Mark, history: &History) {
        let Some(tail) = &stamp.tail else {
            return self.write(history);
        };
        let segment = encode_segment(mark, history);
        let limit = (stamp.base / 8).max(TAIL_MIN_BYTES);
        if tail.len() + SEGMENT_HEADER + segment.len() > limit {
            return self.write(history);
        }
        let Some(key) = crate::sealed::existing_key(&self.dir) else {
            return self.write(history);
        };
        let mut bytes = Vec::with_capacity(tail.len() + SEGMENT_HEADER + segment.len());
        bytes.extend_from_slice(tail);
        bytes.extend_from_slice(&(segment.len() as u64).to_le_bytes());
        bytes.extend_from_slice(segment_mac(&key, &stamp.last, &segment).as_bytes());
        bytes.extend_from_slice(&segment);
        let _ = crate::files::write_output(&self.tail, &bytes);
    }

    /// Writes `history`, creating the key on first use. Failures only cost
    /// a walk next time, so they are ignored.
    pub fn write(&self, history: &History) {
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let Some(key) = crate::sealed::key(&self.dir) else {
            return;
        };
        let main = encode(history);
        let defs = history.definitions.encoded();
        let version = self.version.as_bytes();
        let Ok(version_len) = u8::try_from(version.len()) else {
            return;
        };
        let mut bytes = Vec::with_capacity(FIXED_HEADER + version.len() + main.len() + defs.len());
        bytes.extend_from_slice(MAGIC);
        bytes.push(version_len);
        bytes.extend_from_slice(version);
        bytes.extend_from_slice(&(main.len() as u64).to_le_bytes());
        bytes.extend_from_slice(blake3::keyed_hash(&key, &main).as_bytes());
        bytes.extend_from_slice(&(defs.len() as u64).to_le_bytes());
        bytes.extend_from_slice(blake3::keyed_hash(&key, &defs).as_bytes());
        bytes.extend_from_slice(&main);
        bytes.extend_from_slice(&defs);
        if crate::files::write_output(&self.file, &bytes).is_ok() {
            // The new base holds everything; a tail left behind would not
            // verify against it anyway.
            let _ = fs::remove_file(&self.tail);
        }
    }
}

/// Where the two sections are, and their hashes.
struct Header {
    main: std::ops::Range<usize>,
    main_mac: blake3::Hash,
    defs: std::ops::Range<usize>,
    defs_mac: blake3::Hash,
}

impl Header {
    /// The header at the start of `bytes`, of a file of `size` bytes.
    fn parse(bytes: &[u8], version: &str, size: usize) -> Option<Header> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let n = usize::from(r.byte()?);
        if r.take(n)? != version.as_bytes() {
            return None;
        }
        let main_len = usize::try_from(r.u64_le()?).ok()?;
        let main_mac = blake3::Hash::from_bytes(r.take(32)?.try_into().ok()?);
        let defs_len = usize::try_from(r.u64_le()?).ok()?;
        let defs_mac = blake3::Hash::from_bytes(r.take(32)?.try_into().ok()?);
        let main = r.at..r.at.checked_add(main_len)?;
        let defs = main.end..main.end.checked_add(defs_len)?;
        (defs.end == size).then_some(Header {
            main,
            main_mac,
            defs,
            defs_mac,
        })
    }
}

/// 32 bytes from the operating system's random source.
/// The canonical definitions of a history, by fingerprint: those read from
/// the cache (read, verified and decoded on first use) and those this run's
/// walk found.
#[derive(Clone, Default)]
pub struct Definitions {
    cached: Option<Arc<Cached>>,
    added: BTreeMap<String, String>,
}

/// The definitions section of a cache file, still open: a cache rewritten
/// meanwhile (by rename) does not change what this run reads.
struct Section {
    file: fs::File,
    at: u64,
    len: usize,
    key: [u8; KEY_BYTES],
    mac: blake3::Hash,
}

impl Section {
    /// Whether the section can be read and verifies, read in small pieces
    /// (the bytes themselves are only needed when a diff asks for them).
    fn verifies(&self) -> bool {
        let mut f = &self.file;
        if f.seek(SeekFrom::Start(self.at)).is_err() {
            return false;
        }
        let mut hasher = blake3::Hasher::new_keyed(&self.key);
        let mut buf = vec![0u8; 1 << 16];
        let mut left = self.len;
        while left > 0 {
            let n = left.min(buf.len());
            if f.read_exact(&mut buf[..n]).is_err() {
                return false;
            }
            hasher.update(&buf[..n]);
            left -= n;
        }
        hasher.finalize() == self.mac
    }

    /// The section's bytes, if they can be read and verify.
    fn bytes(&self) -> Option<Vec<u8>> {
        let mut f = &self.file;
        f.seek(SeekFrom::Start(self.at)).ok()?;
        let mut out = vec![0u8; self.len];
        f.read_exact(&mut out).ok()?;
        (blake3::keyed_hash(&self.key, &out) == self.mac).then_some(out)
    }
}

struct Cached {
    section: Section,
    decoded: OnceLock<HashMap<String, String>>,
}

impl Cached {
    /// The entries, or none if the section cannot be read or does not verify.
    fn map(&self) -> &HashMap<String, String> {
        self.decoded.get_or_init(|| {
            self.section
                .bytes()
                .and_then(|b| decode_definitions(&b))
                .unwrap_or_default()
        })
    }
}

impl Definitions {
    fn cached(section: Section) -> Definitions {
        Definitions {
            cached: Some(Arc::new(Cached {
                section,
                decoded: OnceLock::new(),
            })),
            added: BTreeMap::new(),
        }
    }

    /// The canonical definition with fingerprint `fingerprint`.
    pub fn get(&self, fingerprint: &str) -> Option<&str> {
        self.added
            .get(fingerprint)
            .or_else(|| self.cached.as_ref()?.map().get(fingerprint))
            .map(String::as_str)
    }

    /// Records a definition the walk found. Known ones are kept once; one
    /// the cache may already hold is checked only if the cache was decoded
    /// anyway (a duplicate costs a few bytes, never a wrong answer).
    pub fn insert(&mut self, fingerprint: &str, definition: &str) {
        let in_cache = self
            .cached
            .as_ref()
            .and_then(|c| c.decoded.get())
            .is_some_and(|m| m.contains_key(fingerprint));
        if !in_cache && !self.added.contains_key(fingerprint) {
            self.added
                .insert(fingerprint.to_string(), definition.to_string());
        }
    }

    /// Every entry, in no particular order (tests and comparisons).
    fn all(&self) -> BTreeMap<&str, &str> {
        let mut out: BTreeMap<&str, &str> = BTreeMap::new();
        if let Some(c) = &self.cached {
            out.extend(c.map().iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        out.extend(self.added.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        out
    }

    /// The section as written: the cached entries' bytes as read (only if
    /// they verify), then the added ones.
    fn encoded(&self) -> Vec<u8> {
        let mut w = Writer::default();
        if let Some(bytes) = self.cached.as_ref().and_then(|c| c.section.bytes()) {
            w.body.extend_from_slice(&bytes);
        }
        for (k, v) in &self.added {
            w.str(k);
            w.str(v);
        }
        w.body
    }
}

impl PartialEq for Definitions {
    fn eq(&self, other: &Definitions) -> bool {
        self.all() == other.all()
    }
}

impl std::fmt::Debug for Definitions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.all()).finish()
    }
}

/// The commits of a history, in history order. Those read from the cache
/// are decoded one by one when first asked for: a run needs the few that
/// introduced, changed or approved a metric, not every commit of the walk.
#[derive(Clone, Default)]
pub struct Commits {
    slots: Vec<OnceLock<Commit>>,
    raw: Option<Arc<RawCommits>>,
}

/// The history section as read, and where each commit starts in it.
struct RawCommits {
    main: Vec<u8>,
    table: Vec<Arc<str>>,
    starts: Vec<usize>,
}

impl RawCommits {
    /// The commit at byte `at`, which [`skip_commit`] checked when the
    /// section was read.
    fn decode(&self, at: usize) -> Option<Commit> {
        let mut r = Reader {
            bytes: &self.main,
            at,
        };
        get_commit(&mut r, &self.table)
    }
}

/// Checks the commit at the reader's position and moves past it, without
/// building it.
fn skip_commit(r: &mut Reader<'_>, table: usize) -> Option<()> {
    match r.byte()? {
        1 => {
            r.take(20)?;
        }
        0 => {
            r.str()?;
        }
        _ => return None,
    }
    for _ in 0..3 {
        (r.usize()? < table).then_some(())?;
    }
    r.byte()?;
    r.varint()?;
    r.str()?;
    Some(())
}

impl Commits {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn push(&mut self, commit: Commit) {
        self.slots.push(OnceLock::from(commit));
    }

    /// The commit at `index` (panics when out of range, like a slice).
    pub fn get(&self, index: usize) -> &Commit {
        self.slots[index].get_or_init(|| {
            let raw = self
                .raw
                .as_ref()
                .expect("a slot without a commit was read from the cache");
            raw.decode(raw.starts[index])
                .expect("the cache's commits were checked when it was read")
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Commit> {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl PartialEq for Commits {
    fn eq(&self, other: &Commits) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Commits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

fn decode_definitions(bytes: &[u8]) -> Option<HashMap<String, String>> {
    let mut r = Reader { bytes, at: 0 };
    let mut out = HashMap::new();
    while r.at < bytes.len() {
        let k = r.string()?;
        let v = r.string()?;
        out.insert(k, v);
    }
    Some(out)
}

#[derive(Default)]
struct Writer<'a> {
    body: Vec<u8>,
    table: Vec<&'a str>,
    index: HashMap<&'a str, u64>,
}

impl<'a> Writer<'a> {
    /// The string table, then the body.
    fn with_table(self) -> Vec<u8> {
        let mut out = Writer::default();
        out.usize(self.table.len());
        for s in &self.table {
            out.str(s);
        }
        out.body.extend_from_slice(&self.body);
        out.body
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.body.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.body.push(v as u8);
    }

    fn usize(&mut self, v: usize) {
        self.varint(v as u64);
    }

    fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.body.extend_from_slice(s.as_bytes());
    }

    /// The index of `s` in the string table, added when new.
    fn index_of(&mut self, s: &'a str) -> u64 {
        let next = self.table.len() as u64;
        let i = *self.index.entry(s).or_insert(next);
        if i == next {
            self.table.push(s);
        }
        i
    }

    /// A string that repeats: its index in the table.
    fn interned(&mut self, s: &'a str) {
        let i = self.index_of(s);
        self.varint(i);
    }

    /// An optional repeated string: 0 for none, else index + 1.
    fn opt_interned(&mut self, s: Option<&'a str>) {
        let i = s.map_or(0, |s| self.index_of(s) + 1);
        self.varint(i);
    }

    fn opt_usize(&mut self, v: Option<usize>) {
        self.varint(v.map_or(0, |v| v as u64 + 1));
    }

    /// An optional object id: 0 for none, else 1 and the id.
    fn opt_oid(&mut self, hex: Option<&str>) {
        match hex {
            None => self.body.push(0),
            Some(hex) => {
                self.body.push(1);
                self.oid(hex);
            }
        }
    }

    /// A 40-digit hex object id as its 20 bytes; anything else is written
    /// as a string after a zero byte (never produced by git, kept exact).
    fn oid(&mut self, hex: &str) {
        match Oid::from_str(hex) {
            Ok(id) if hex.len() == 40 => {
                self.body.push(1);
                self.body.extend_from_slice(id.as_bytes());
            }
            _ => {
                self.body.push(0);
                self.str(hex);
            }
        }
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(out)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u64_le(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    fn str(&mut self) -> Option<&'b str> {
        let n = self.usize()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }

    fn interned(&mut self, table: &[Arc<str>]) -> Option<Arc<str>> {
        table.get(self.usize()?).cloned()
    }

    fn opt_interned(&mut self, table: &[Arc<str>]) -> Option<Option<Arc<str>>> {
        match self.usize()? {
            0 => Some(None),
            i => table.get(i - 1).map(|s| Some(s.clone())),
        }
    }

    fn opt_usize(&mut self) -> Option<Option<usize>> {
        Some(self.usize()?.checked_sub(1))
    }

    /// What [`Writer::opt_oid`] wrote.
    fn opt_oid(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            1 => self.oid().map(Some),
            _ => None,
        }
    }

    fn oid(&mut self) -> Option<String> {
        match self.byte()? {
            1 => Some(Oid::from_bytes(self.take(20)?).ok()?.to_string()),
            0 => self.string(),
            _ => None,
        }
    }

    /// A count of items each at least `min` bytes long, refused when the
    /// rest of the input cannot hold them (no huge allocation from a bad
    /// length).
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.usize()?;
        (n.checked_mul(min)? <= self.bytes.len() - self.at).then_some(n)
    }
}

/// The history proper: the string table, then the body.
fn encode(h: &History) -> Vec<u8> {
    let mut w = Writer::default();
    w.oid(&h.head);
    w.str(&h.prefix);
    w.opt_oid(h.tree.as_deref());
    w.usize(h.commits.len());
    for c in h.commits.iter() {
        put_commit(&mut w, c);
    }
    w.usize(h.metrics.len());
    for (name, events) in &h.metrics {
        w.str(name);
        w.usize(events.len());
        for e in events {
            put_event(&mut w, e);
        }
    }
    w.usize(h.present.len());
    for (name, p) in &h.present {
        w.str(name);
        put_present(&mut w, p);
    }
    w.with_table()
}

fn put_commit<'a>(w: &mut Writer<'a>, c: &'a Commit) {
    w.oid(&c.id);
    w.interned(&c.author);
    w.interned(&c.email);
    w.interned(&c.committer_email);
    w.body.push(u8::from(c.merge));
    w.varint(((c.time << 1) ^ (c.time >> 63)) as u64);
    w.str(&c.subject);
}

fn put_event<'a>(w: &mut Writer<'a>, e: &'a Event) {
    w.usize(e.commit);
    match &e.change {
        Change::Added => w.body.push(0),
        Change::Readded => w.body.push(1),
        Change::Changed => w.body.push(2),
        Change::Edited => w.body.push(3),
        Change::Moved { from } => {
            w.body.push(4);
            w.interned(from);
        }
        Change::Deleted => w.body.push(5),
    }
    w.interned(&e.path);
    w.opt_interned(e.fingerprint.as_deref());
    w.opt_interned(e.status.as_deref());
    match &e.approval {
        None => w.body.push(0),
        Some(a) => {
            w.body.push(1);
            w.usize(a.by.len());
            for b in a.by.iter() {
                w.interned(b);
            }
            w.opt_interned(a.fingerprint.as_deref());
        }
    }
    w.opt_usize(e.authored_in);
    w.usize(e.approved_in.len());
    for (who, &i) in &e.approved_in {
        w.interned(who);
        w.usize(i);
    }
}

fn put_present<'a>(w: &mut Writer<'a>, p: &'a Present) {
    w.interned(&p.path);
    w.oid(&p.blob);
    w.opt_interned(p.fingerprint.as_deref());
}

fn decode(main: Vec<u8>) -> Option<History> {
    let mut r = Reader {
        bytes: &main,
        at: 0,
    };
    let table = get_table(&mut r)?;
    let head = r.oid()?;
    let prefix = r.string()?;
    let tree = r.opt_oid()?;
    let n = r.count(6)?;
    let mut starts = Vec::with_capacity(n);
    for _ in 0..n {
        starts.push(r.at);
        skip_commit(&mut r, table.len())?;
    }
    let commit_count = n;
    let n = r.count(2)?;
    // Written in key order: collected into maps in one bulk build.
    let mut metrics = Vec::with_capacity(n);
    let mut lists = Lists::default();
    for _ in 0..n {
        let name = r.string()?;
        let count = r.count(8)?;
        let mut events = Vec::with_capacity(count);
        for _ in 0..count {
            events.push(get_event(&mut r, &table, &mut lists, commit_count)?);
        }
        metrics.push((name, events));
    }
    let n = r.count(4)?;
    let mut present = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.string()?;
        present.push((name, get_present(&mut r, &table)?));
    }
    if r.at != main.len() {
        return None;
    }
    let commits = Commits {
        slots: (0..commit_count).map(|_| OnceLock::new()).collect(),
        raw: Some(Arc::new(RawCommits {
            main,
            table,
            starts,
        })),
    };
    Some(History {
        format: super::CACHE_FORMAT,
        head,
        prefix,
        commits,
        metrics: metrics.into_iter().collect(),
        present: present.into_iter().collect(),
        tree,
        definitions: Definitions::default(),
        walked: 0,
        signatures: BTreeMap::new(),
    })
}

const TAIL_MAGIC: &[u8; 16] = b"privet-hist-tail";
/// Length and keyed hash before each segment of the tail.
const SEGMENT_HEADER: usize = 8 + 32;
/// A tail may always grow to this size before the history is rewritten.
const TAIL_MIN_BYTES: usize = 256 << 10;

/// What a run read from the cache, for [`Cache::extend`].
pub struct Stamp {
    /// The keyed hash the next segment chains from: the base's history
    /// section's, or the last segment's.
    last: blake3::Hash,
    /// The tail as read (or just its magic when there was none); `None`
    /// when a tail did not verify, so the next write replaces everything.
    tail: Option<Vec<u8>>,
    /// Size of the base file.
    base: usize,
}

/// A history as it was before a walk extended it: what a segment of the
/// tail must hold is the difference.
pub struct Mark {
    head: String,
    commits: usize,
    events: HashMap<String, usize>,
    present: BTreeMap<String, Present>,
    definitions: BTreeSet<String>,
}

impl Mark {
    pub fn of(h: &History) -> Mark {
        Mark {
            head: h.head.clone(),
            commits: h.commits.len(),
            events: h
                .metrics
                .iter()
                .map(|(k, v)| (k.clone(), v.len()))
                .collect(),
            present: h.present.clone(),
            definitions: h.definitions.added.keys().cloned().collect(),
        }
    }
}

/// Each segment's hash covers the one before it, so segments verify only
/// in order and only after the base they were written for.
fn segment_mac(key: &[u8; KEY_BYTES], previous: &blake3::Hash, segment: &[u8]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new_keyed(key);
    hasher.update(previous.as_bytes());
    hasher.update(segment);
    hasher.finalize()
}

/// The segments of `tail`, if every one verifies in a chain from `base`,
/// and the last hash.
fn verify_tail<'t>(
    key: &[u8; KEY_BYTES],
    tail: &'t [u8],
    base: blake3::Hash,
) -> Option<(Vec<&'t [u8]>, blake3::Hash)> {
    let mut r = Reader { bytes: tail, at: 0 };
    if r.take(TAIL_MAGIC.len())? != TAIL_MAGIC {
        return None;
    }
    let mut last = base;
    let mut segments = Vec::new();
    while r.at < tail.len() {
        let len = usize::try_from(r.u64_le()?).ok()?;
        let mac = blake3::Hash::from_bytes(r.take(32)?.try_into().ok()?);
        let segment = r.take(len)?;
        if segment_mac(key, &last, segment) != mac {
            return None;
        }
        last = mac;
        segments.push(segment);
    }
    Some((segments, last))
}

/// What a walk added to the history marked `mark` to reach `h`: the head
/// it went from and to, HEAD's proposals tree, the new commits, each
/// metric's new events, the metrics present at HEAD that changed or went,
/// and the new definitions.
fn encode_segment(mark: &Mark, h: &History) -> Vec<u8> {
    let mut w = Writer::default();
    w.oid(&mark.head);
    w.oid(&h.head);
    w.opt_oid(h.tree.as_deref());
    w.usize(h.commits.len() - mark.commits);
    for i in mark.commits..h.commits.len() {
        put_commit(&mut w, h.commits.get(i));
    }
    let grown: Vec<(&String, usize, &[Event])> = h
        .metrics
        .iter()
        .filter_map(|(name, events)| {
            let from = mark.events.get(name).copied().unwrap_or(0);
            (events.len() > from).then(|| (name, from, &events[from..]))
        })
        .collect();
    w.usize(grown.len());
    for (name, from, events) in grown {
        w.str(name);
        w.usize(from);
        w.usize(events.len());
        for e in events {
            put_event(&mut w, e);
        }
    }
    let mut changed: Vec<(&String, Option<&Present>)> = h
        .present
        .iter()
        .filter(|(name, p)| mark.present.get(*name) != Some(*p))
        .map(|(name, p)| (name, Some(p)))
        .collect();
    changed.extend(
        mark.present
            .keys()
            .filter(|name| !h.present.contains_key(*name))
            .map(|name| (name, None)),
    );
    w.usize(changed.len());
    for (name, p) in changed {
        w.str(name);
        match p {
            None => w.body.push(0),
            Some(p) => {
                w.body.push(1);
                put_present(&mut w, p);
            }
        }
    }
    let added: Vec<(&String, &String)> = h
        .definitions
        .added
        .iter()
        .filter(|(k, _)| !mark.definitions.contains(*k))
        .collect();
    w.usize(added.len());
    for (k, v) in added {
        w.str(k);
        w.str(v);
    }
    w.with_table()
}

/// Applies one segment of the tail to `h`, which must be where the
/// segment starts.
fn apply_segment(bytes: &[u8], h: &mut History) -> Option<()> {
    let mut r = Reader { bytes, at: 0 };
    let table = get_table(&mut r)?;
    if r.oid()? != h.head {
        return None;
    }
    let head = r.oid()?;
    let tree = r.opt_oid()?;
    let n = r.count(6)?;
    for _ in 0..n {
        h.commits.push(get_commit(&mut r, &table)?);
    }
    let commits = h.commits.len();
    let mut lists = Lists::default();
    let n = r.count(3)?;
    for _ in 0..n {
        let name = r.string()?;
        let from = r.usize()?;
        let count = r.count(8)?;
        let events = h.metrics.entry(name).or_default();
        if events.len() != from || count == 0 {
            return None;
        }
        for _ in 0..count {
            events.push(get_event(&mut r, &table, &mut lists, commits)?);
        }
    }
    let n = r.count(2)?;
    for _ in 0..n {
        let name = r.string()?;
        match r.byte()? {
            0 => {
                h.present.remove(&name)?;
            }
            1 => {
                let p = get_present(&mut r, &table)?;
                h.present.insert(name, p);
            }
            _ => return None,
        }
    }
    let n = r.count(2)?;
    for _ in 0..n {
        let k = r.str()?;
        let v = r.str()?;
        h.definitions.insert(k, v);
    }
    if r.at != bytes.len() {
        return None;
    }
    h.head = head;
    h.tree = tree;
    Some(())
}

/// Reviewer lists as decoded: lists repeat, and each distinct one is built
/// once.
#[derive(Default)]
struct Lists {
    built: HashMap<Vec<usize>, Arc<[Arc<str>]>>,
    key: Vec<usize>,
}

/// One event, whose commit indices must be below `commits`.
fn get_event(
    r: &mut Reader<'_>,
    table: &[Arc<str>],
    lists: &mut Lists,
    commits: usize,
) -> Option<Event> {
    let in_range = |i: usize| (i < commits).then_some(i);
    let commit = in_range(r.usize()?)?;
    let change = match r.byte()? {
        0 => Change::Added,
        1 => Change::Readded,
        2 => Change::Changed,
        3 => Change::Edited,
        4 => Change::Moved {
            from: r.interned(table)?,
        },
        5 => Change::Deleted,
        _ => return None,
    };
    let path = r.interned(table)?;
    let fingerprint = r.opt_interned(table)?;
    let status = r.opt_interned(table)?;
    let approval = match r.byte()? {
        0 => None,
        1 => {
            let k = r.count(1)?;
            lists.key.clear();
            for _ in 0..k {
                lists.key.push(r.usize()?);
            }
            let by = match lists.built.get(lists.key.as_slice()) {
                Some(by) => Arc::clone(by),
                None => {
                    let by: Arc<[Arc<str>]> = lists
                        .key
                        .iter()
                        .map(|&i| table.get(i).cloned())
                        .collect::<Option<_>>()?;
                    lists.built.insert(lists.key.clone(), Arc::clone(&by));
                    by
                }
            };
            Some(ApprovalRecord {
                by,
                fingerprint: r.opt_interned(table)?,
            })
        }
        _ => return None,
    };
    let authored_in = match r.opt_usize()? {
        None => None,
        Some(i) => Some(in_range(i)?),
    };
    let k = r.count(2)?;
    let mut approved_in = BTreeMap::new();
    for _ in 0..k {
        let who = r.interned(table)?;
        approved_in.insert(who, in_range(r.usize()?)?);
    }
    Some(Event {
        commit,
        change,
        path,
        fingerprint,
        status,
        approval,
        authored_in,
        approved_in,
    })
}

fn get_present(r: &mut Reader<'_>, table: &[Arc<str>]) -> Option<Present> {
    Some(Present {
        path: r.interned(table)?,
        blob: r.oid()?,
        fingerprint: r.opt_interned(table)?,
    })
}

fn get_commit(r: &mut Reader<'_>, table: &[Arc<str>]) -> Option<Commit> {
    let id = r.oid()?;
    let author = r.interned(table)?;
    let email = r.interned(table)?;
    let committer_email = r.interned(table)?;
    let merge = r.byte()? != 0;
    let z = r.varint()?;
    let time = ((z >> 1) as i64) ^ -((z & 1) as i64);
    let subject = r.string()?;
    Some(Commit {
        id,
        author,
        email,
        committer_email,
        merge,
        time,
        subject,
    })
}

/// A string table as written by [`Writer::with_table`].
fn get_table(r: &mut Reader<'_>) -> Option<Vec<Arc<str>>> {
    let n = r.count(1)?;
    let mut table: Vec<Arc<str>> = Vec::with_capacity(n);
    for _ in 0..n {
        table.push(r.str()?.into());
    }
    Some(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> History {
        let commit = |i: i64, merge| Commit {
            id: format!("{:040x}", i + 1),
            author: "Alice Émile".into(),
            email: "alice@example.org".into(),
            committer_email: if merge {
                "bot@example.org"
            } else {
                "alice@example.org"
            }
            .into(),
            merge,
            time: 1_700_000_000 + i * 86_400 - 2_000_000_000 * i64::from(i == 2),
            subject: format!("Change {i}: ünïcode"),
        };
        let event = |commit, change, fp: Option<&str>| Event {
            commit,
            change,
            path: "team/workers.toml".into(),
            fingerprint: fp.map(Arc::from),
            status: Some("approved".into()),
            approval: Some(ApprovalRecord {
                by: ["bob", "carol"].map(Arc::from).into(),
                fingerprint: fp.map(Arc::from),
            }),
            authored_in: (commit == 1).then_some(0),
            approved_in: BTreeMap::from([(Arc::from("bob"), 0)]),
        };
        let mut definitions = Definitions::default();
        definitions.insert("fp1", "field workers count 0 1 2 5\n");
        definitions.insert("fp2", "field workers count 0 1 2 10\n");
        History {
            format: super::super::CACHE_FORMAT,
            head: format!("{:040x}", 3),
            prefix: "proposals".into(),
            commits: {
                let mut c = Commits::default();
                for (i, merge) in [(0, false), (1, true), (2, false)] {
                    c.push(commit(i, merge));
                }
                c
            },
            metrics: BTreeMap::from([(
                "workers".to_string(),
                vec![
                    event(0, Change::Added, Some("fp1")),
                    event(
                        1,
                        Change::Moved {
                            from: "old/workers.toml".into(),
                        },
                        Some("fp2"),
                    ),
                    Event {
                        approval: None,
                        status: None,
                        ..event(2, Change::Deleted, None)
                    },
                ],
            )]),
            present: BTreeMap::from([(
                "workers".to_string(),
                Present {
                    path: "team/workers.toml".into(),
                    blob: format!("{:040x}", 9),
                    fingerprint: Some("fp2".into()),
                },
            )]),
            tree: Some(format!("{:040x}", 7)),
            definitions,
            walked: 0,
            signatures: BTreeMap::new(),
        }
    }

    #[test]
    fn a_history_round_trips_and_definitions_wait_until_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), "proposals");
        assert!(cache.read().is_none(), "nothing cached yet");
        let h = sample();
        cache.write(&h);
        let read = cache.read().unwrap();
        let cached = read.definitions.cached.as_ref().unwrap();
        assert!(cached.decoded.get().is_none(), "not decoded by reading");
        assert_eq!(read, h);
        assert_eq!(
            read.definitions.get("fp2"),
            Some("field workers count 0 1 2 10\n")
        );

        // An incremental run adds a definition without decoding the cached
        // ones; the file written then holds all of them.
        let mut more = cache.read().unwrap();
        more.definitions.insert("fp3", "new\n");
        assert!(
            more.definitions
                .cached
                .as_ref()
                .unwrap()
                .decoded
                .get()
                .is_none()
        );
        cache.write(&more);
        let again = cache.read().unwrap();
        assert_eq!(again.definitions.get("fp1"), h.definitions.get("fp1"));
        assert_eq!(again.definitions.get("fp3"), Some("new\n"));
    }

    /// `h` after a walk of one more commit: a new event for `workers`, a
    /// new metric `queues`, `workers` gone from HEAD, one new definition.
    fn one_more_commit(h: &mut History, n: usize) {
        one_more_commit_saying(h, n, "More");
    }

    fn one_more_commit_saying(h: &mut History, n: usize, subject: &str) {
        let index = h.commits.len();
        let mut c = h.commit(0).clone();
        c.id = format!("{:040x}", 100 + n);
        c.subject = format!("{subject} {n}");
        h.commits.push(c);
        h.head = format!("{:040x}", 100 + n);
        h.tree = Some(format!("{:040x}", 200 + n));
        let mut e = h.events("workers")[0].clone();
        e.commit = index;
        e.change = Change::Edited;
        h.metrics.get_mut("workers").unwrap().push(e.clone());
        e.change = Change::Added;
        e.path = format!("team/queues_{n}.toml").into();
        h.metrics.insert(format!("queues_{n}"), vec![e]);
        h.present.remove("workers");
        h.present.insert(
            format!("queues_{n}"),
            Present {
                path: format!("team/queues_{n}.toml").into(),
                blob: format!("{:040x}", 300 + n),
                fingerprint: Some(format!("fq{n}").into()),
            },
        );
        h.definitions
            .insert(&format!("fq{n}"), "field queues count\n");
    }

    #[test]
    fn a_walk_from_the_cache_appends_a_segment_that_reads_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), "proposals");
        cache.write(&sample());
        let base = fs::read(&cache.file).unwrap();
        let mut expected = sample();
        for n in 0..3 {
            let (mut h, stamp) = cache.read_stamped().unwrap();
            let mark = Mark::of(&h);
            one_more_commit(&mut h, n);
            one_more_commit(&mut expected, n);
            cache.extend(&stamp, &mark, &h);
            assert_eq!(
                fs::read(&cache.file).unwrap(),
                base,
                "the base is not rewritten"
            );
            assert_eq!(cache.read().unwrap(), expected, "after {} segments", n + 1);
        }
        let tail = fs::read(&cache.tail).unwrap();

        // Any edit of the tail: the base alone is read, and the next
        // extension rewrites everything instead.
        for at in (0..tail.len()).step_by(7) {
            let mut bad = tail.clone();
            bad[at] ^= 0x20;
            fs::write(&cache.tail, &bad).unwrap();
            assert_eq!(cache.read().unwrap(), sample(), "byte {at} edited");
        }
        let (mut h, stamp) = cache.read_stamped().unwrap();
        let mark = Mark::of(&h);
        one_more_commit(&mut h, 9);
        cache.extend(&stamp, &mark, &h);
        assert!(!cache.tail.exists(), "rewritten whole");
        assert_eq!(cache.read().unwrap(), h);

        // A tail written for another base (left behind, or restored from
        // elsewhere) does not apply to this one.
        fs::write(&cache.tail, &tail).unwrap();
        assert_eq!(cache.read().unwrap(), h);

        // Dropped, the segments verify no more: the chain starts at the base.
        fs::write(&cache.file, &base).unwrap();
        assert_eq!(cache.read().unwrap(), expected);
        let cut = verify_tail(
            &crate::sealed::existing_key(&cache.dir).unwrap(),
            &tail,
            Header::parse(&base, &cache.version, base.len())
                .unwrap()
                .main_mac,
        )
        .unwrap()
        .0;
        assert_eq!(cut.len(), 3);
        let mut without_first = TAIL_MAGIC.to_vec();
        without_first.extend_from_slice(&tail[TAIL_MAGIC.len() + SEGMENT_HEADER + cut[0].len()..]);
        fs::write(&cache.tail, &without_first).unwrap();
        assert_eq!(cache.read().unwrap(), sample());
    }

    #[test]
    fn a_tail_past_its_limit_is_folded_into_a_new_base() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), "proposals");
        cache.write(&sample());
        let mut rewrites = 0;
        let mut expected = sample();
        // Long subjects: the limit is reached in a few dozen commits.
        let subject = "a long commit message ".repeat(500);
        for n in 0..60 {
            let (mut h, stamp) = cache.read_stamped().unwrap();
            let mark = Mark::of(&h);
            one_more_commit_saying(&mut h, n, &subject);
            one_more_commit_saying(&mut expected, n, &subject);
            cache.extend(&stamp, &mark, &h);
            rewrites += usize::from(!cache.tail.exists());
            let size = fs::metadata(&cache.tail).map_or(0, |m| m.len() as usize);
            assert!(size <= TAIL_MIN_BYTES.max(stamp.base / 8), "{size}");
        }
        assert!(rewrites >= 1, "the tail was folded in");
        assert_eq!(cache.read().unwrap(), expected);
    }

    #[test]
    fn a_tampered_foreign_truncated_or_other_version_cache_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), "proposals");
        cache.write(&sample());
        let key = fs::read(dir.path().join("privet/key")).unwrap();
        assert_eq!(key.len(), KEY_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("privet/key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let good = fs::read(&cache.file).unwrap();
        // Every single-byte edit of the history proper is refused.
        let header = Header::parse(&good, &cache.version, good.len()).unwrap();
        for at in header.main.clone() {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            fs::write(&cache.file, &bad).unwrap();
            assert!(cache.read().is_none(), "byte {at} edited");
        }
        // An edited definition: the whole cache is refused.
        let mut bad = good.clone();
        bad[header.defs.start + 3] ^= 0x20;
        fs::write(&cache.file, &bad).unwrap();
        assert!(cache.read().is_none());
        // Cut short, or with bytes after the end.
        for bad in [
            &good[..good.len() - 1],
            &[good.as_slice(), b"x"].concat()[..],
        ] {
            fs::write(&cache.file, bad).unwrap();
            assert!(cache.read().is_none());
        }
        // Written by another version of privet.
        fs::write(&cache.file, &good).unwrap();
        assert!(cache.read().is_some());
        let other = Cache::for_version(dir.path(), "proposals", "0.0.0-other");
        assert!(other.read().is_none());
        // Under another clone's key.
        fs::write(dir.path().join("privet/key"), [1u8; KEY_BYTES]).unwrap();
        assert!(cache.read().is_none());
    }
}
