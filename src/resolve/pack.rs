//! A reader of git's pack files for the history walk, with git's delta
//! base cache.
//!
//! Most objects of a packed repository are deltas against another object,
//! in chains up to 50 deep. libgit2 rebuilds a deltified object from the
//! bottom of its chain on every read (it keeps only the bottom object), so
//! reading the successive versions of a tree costs a whole chain each: at
//! 100,000 commits that was half the walk, most of it allocation. git keeps
//! every object it rebuilt on the way, keyed by its place in the pack, and
//! reading the next version costs one delta. This reader does the same.
//!
//! It reads version-2 indexes of SHA-1 repositories. Anything else (another
//! index version, a pack it cannot open, a delta whose base lives in
//! another pack, an object larger than [`MAX_OBJECT_BYTES`]) is not its
//! business: [`Packs::read`] answers `None` and the caller asks libgit2,
//! which reads such objects by its own path. A pack whose bytes contradict
//! its index is reported as corrupt, never read past its end.

use std::collections::{HashMap, VecDeque};
use std::fs;
use std::path::Path;
use std::rc::Rc;

use git2::{ObjectType, Oid};

/// Largest object this reader rebuilds; larger ones are left to libgit2.
const MAX_OBJECT_BYTES: usize = 256 << 20;

/// Memory kept for rebuilt objects (git's `core.deltaBaseCacheLimit` is
/// 96 MiB); an object larger than an eighth of it is not kept.
const CACHE_BYTES: usize = 64 << 20;

/// Deepest delta chain followed (git writes at most 50 by default, 4095 at
/// most); a deeper one is a loop in a corrupt pack.
const MAX_CHAIN: usize = 4095;

/// Most bytes rebuilt for one object along its chain: a crafted chain of
/// large copies (each delta op may copy 64 KiB) cannot make one read cost
/// hours.
const MAX_REBUILT_BYTES: usize = 1 << 30;

/// Bytes of an object id (SHA-1).
pub const HASH: usize = 20;

/// An object read from a pack.
#[derive(Clone)]
pub struct Object {
    pub kind: ObjectType,
    pub data: Rc<Vec<u8>>,
}

/// The packs of one repository, and the objects rebuilt from them lately.
pub struct Packs {
    packs: Vec<Pack>,
    cache: Cache,
    inflater: Option<zlib::Inflater>,
    /// The delta being applied.
    delta: Vec<u8>,
    /// The pack the last object was found in, tried first.
    last: usize,
}

struct Pack {
    name: String,
    index: Bytes,
    data: Bytes,
    /// Objects in the pack.
    count: usize,
}

/// Where an entry of a pack begins and what it is.
enum Entry {
    Whole {
        kind: ObjectType,
        size: usize,
        at: usize,
    },
    Delta {
        base: u64,
        size: usize,
        at: usize,
    },
}

impl Packs {
    /// The packs under `objects/pack` of the git directory whose object
    /// directory is `objects`. A pack that cannot be opened or whose index
    /// is not one this reader knows is skipped (libgit2 reads its objects).
    pub fn open(objects: &Path) -> Packs {
        let mut packs = Vec::new();
        if let Ok(entries) = fs::read_dir(objects.join("pack")) {
            let mut names: Vec<_> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            names.sort();
            packs.extend(names.iter().filter_map(|idx| Pack::open(idx)));
        }
        Packs {
            packs,
            cache: Cache::default(),
            inflater: zlib::Inflater::new(),
            delta: Vec::new(),
            last: 0,
        }
    }

    /// The object `id`, when one of the packs holds it and this reader can
    /// rebuild it; `Err` names a pack whose contents are corrupt.
    pub fn read(&mut self, id: Oid) -> Result<Option<Object>, String> {
        if self.inflater.is_none() {
            return Ok(None);
        }
        let n = self.packs.len();
        for k in 0..n {
            let p = (self.last + k) % n;
            if let Some(offset) = self.packs[p].find(id.as_bytes())? {
                self.last = p;
                return self.read_at(p, offset);
            }
        }
        Ok(None)
    }

    /// Rebuilds the object at `offset` of pack `p`: walks down its delta
    /// chain to a whole object or one rebuilt lately, then applies the
    /// deltas upwards, keeping each object it rebuilds.
    fn read_at(&mut self, p: usize, offset: u64) -> Result<Option<Object>, String> {
        let pack = &self.packs[p];
        let Some(inflater) = self.inflater.as_mut() else {
            return Ok(None);
        };
        let mut deltas: Vec<(u64, usize, usize)> = Vec::new();
        let mut at = offset;
        let mut base = loop {
            if let Some(hit) = self.cache.get(p, at) {
                break hit;
            }
            match pack.entry(at)? {
                None => return Ok(None),
                Some(Entry::Whole {
                    kind,
                    size,
                    at: from,
                }) => {
                    let mut data = Vec::new();
                    inflate(inflater, pack, from, size, &mut data)?;
                    let object = Object {
                        kind,
                        data: Rc::new(data),
                    };
                    self.cache.put(p, at, &object);
                    break object;
                }
                Some(Entry::Delta {
                    base,
                    size,
                    at: from,
                }) => {
                    if deltas.len() >= MAX_CHAIN {
                        return Err(pack.corrupt(at, "its delta chain does not end"));
                    }
                    deltas.push((at, size, from));
                    at = base;
                }
            }
        };
        let mut rebuilt = 0usize;
        while let Some((at, size, from)) = deltas.pop() {
            inflate(inflater, pack, from, size, &mut self.delta)?;
            rebuilt = rebuilt.saturating_add(target_size(&self.delta));
            if rebuilt > MAX_REBUILT_BYTES {
                return Err(pack.corrupt(at, "its delta chain rebuilds more than 1 GiB"));
            }
            let data = apply(&base.data, &self.delta).map_err(|why| pack.corrupt(at, why))?;
            base = Object {
                kind: base.kind,
                data: Rc::new(data),
            };
            self.cache.put(p, at, &base);
        }
        if self.delta.capacity() > 8 << 20 {
            // Do not keep a large delta's buffer for the rest of the walk.
            self.delta = Vec::new();
        }
        Ok(Some(base))
    }
}

impl Pack {
    fn open(idx: &Path) -> Option<Pack> {
        let index = Bytes::open(idx).ok()?;
        let data = Bytes::open(&idx.with_extension("pack")).ok()?;
        // Version 2: magic, version, 256 fan-out counts, then per object a
        // name, a CRC and a 4-byte offset; 8-byte offsets; two checksums.
        if index.get(..8)? != b"\xfftOc\x00\x00\x00\x02" {
            return None;
        }
        let count = usize::try_from(be32(&index, 8 + 255 * 4)?).ok()?;
        let fixed = 8usize
            .checked_add(1024)?
            .checked_add(count.checked_mul(HASH + 8)?)?
            .checked_add(2 * HASH)?;
        let rest = index.len().checked_sub(fixed)?;
        if rest % 8 != 0 {
            return None;
        }
        let mut previous = 0;
        for b in 0..256 {
            let n = be32(&index, 8 + b * 4)?;
            if n < previous {
                return None;
            }
            previous = n;
        }
        let header = data.get(..12)?;
        let version = be32(header, 4)?;
        if &header[..4] != b"PACK"
            || !(version == 2 || version == 3)
            || usize::try_from(be32(header, 8)?).ok()? != count
            || data.len() < 12 + HASH
        {
            return None;
        }
        Some(Pack {
            name: idx.with_extension("pack").display().to_string(),
            index,
            data,
            count,
        })
    }

    /// The offset of object `id` in the pack, if the pack holds it.
    fn find(&self, id: &[u8]) -> Result<Option<u64>, String> {
        let first = usize::from(id[0]);
        let fan = |b: usize| be32(&self.index, 8 + b * 4).map_or(0, |n| n as usize);
        let (mut lo, mut hi) = (if first == 0 { 0 } else { fan(first - 1) }, fan(first));
        let names = 8 + 1024;
        let name = |i: usize| &self.index[names + i * HASH..names + (i + 1) * HASH];
        // The fan-out was checked to be sorted and to end at `count`.
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match name(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return self.offset(mid).map(Some),
            }
        }
        Ok(None)
    }

    fn offset(&self, i: usize) -> Result<u64, String> {
        let small = 8 + 1024 + self.count * (HASH + 4);
        let corrupt = || format!("the index of {} is corrupt", self.name);
        let o = be32(&self.index, small + i * 4).ok_or_else(corrupt)?;
        if o & 0x8000_0000 == 0 {
            return Ok(u64::from(o));
        }
        let large = usize::try_from(o & 0x7fff_ffff)
            .ok()
            .and_then(|k| k.checked_mul(8))
            .and_then(|k| k.checked_add(small + self.count * 4))
            .ok_or_else(corrupt)?;
        let hi = be32(&self.index, large).ok_or_else(corrupt)?;
        let lo = be32(&self.index, large + 4).ok_or_else(corrupt)?;
        // The last 40 bytes are checksums, not offsets.
        if large + 8 > self.index.len() - 2 * HASH {
            return Err(corrupt());
        }
        Ok(u64::from(hi) << 32 | u64::from(lo))
    }

    /// The entry at `offset`: its header parsed; `None` for one this reader
    /// leaves to libgit2.
    fn entry(&self, offset: u64) -> Result<Option<Entry>, String> {
        let end = self.data.len() - HASH;
        let start = usize::try_from(offset)
            .ok()
            .filter(|&o| o >= 12 && o < end)
            .ok_or_else(|| self.corrupt(offset, "it lies outside the pack"))?;
        let byte = |i: usize| {
            (i < end)
                .then(|| self.data[i])
                .ok_or_else(|| self.corrupt(offset, "it runs past the end of the pack"))
        };
        let mut i = start;
        let mut c = byte(i)?;
        let kind = (c >> 4) & 7;
        let mut size = u64::from(c & 15);
        let mut shift = 4;
        while c & 0x80 != 0 {
            i += 1;
            c = byte(i)?;
            if shift > 57 {
                return Err(self.corrupt(offset, "its size does not end"));
            }
            size |= u64::from(c & 0x7f) << shift;
            shift += 7;
        }
        i += 1;
        let Some(size) = usize::try_from(size)
            .ok()
            .filter(|&s| s <= MAX_OBJECT_BYTES)
        else {
            return Ok(None);
        };
        let whole = |kind| Entry::Whole { kind, size, at: i };
        Ok(Some(match kind {
            1 => whole(ObjectType::Commit),
            2 => whole(ObjectType::Tree),
            3 => whole(ObjectType::Blob),
            4 => whole(ObjectType::Tag),
            6 => {
                // The distance back to the base, in git's offset encoding.
                let mut c = byte(i)?;
                let mut back = u64::from(c & 0x7f);
                while c & 0x80 != 0 {
                    i += 1;
                    c = byte(i)?;
                    if back >= 1 << 56 {
                        return Err(self.corrupt(offset, "its base offset does not end"));
                    }
                    back = ((back + 1) << 7) | u64::from(c & 0x7f);
                }
                i += 1;
                if back == 0 || back > offset {
                    return Err(self.corrupt(offset, "its base lies outside the pack"));
                }
                Entry::Delta {
                    base: offset - back,
                    size,
                    at: i,
                }
            }
            7 => {
                let base = self
                    .data
                    .get(i..i + HASH)
                    .filter(|_| i + HASH <= end)
                    .ok_or_else(|| self.corrupt(offset, "it runs past the end of the pack"))?;
                match self.find(base)? {
                    Some(base) => Entry::Delta {
                        base,
                        size,
                        at: i + HASH,
                    },
                    // A base in another pack: libgit2's business.
                    None => return Ok(None),
                }
            }
            _ => return Err(self.corrupt(offset, "its type is unknown")),
        }))
    }

    fn corrupt(&self, offset: u64, why: &str) -> String {
        format!(
            "the object at offset {offset} of {} is corrupt: {why}",
            self.name
        )
    }
}

/// Inflates the `size` bytes of the zlib stream at `at` of `pack` into
/// `out`.
fn inflate(
    inflater: &mut zlib::Inflater,
    pack: &Pack,
    at: usize,
    size: usize,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    out.clear();
    out.resize(size, 0);
    let input = &pack.data[at..pack.data.len() - HASH];
    match inflater.inflate(input, out) {
        Ok(written) if written == size => Ok(()),
        Ok(written) => Err(pack.corrupt(
            at as u64,
            &format!("it inflates to {written} bytes, its header says {size}"),
        )),
        Err(why) => Err(pack.corrupt(at as u64, why)),
    }
}

/// Applies a git delta to `base`.
fn apply(base: &[u8], delta: &[u8]) -> Result<Vec<u8>, &'static str> {
    let mut d = delta;
    let source = delta_size(&mut d)?;
    let target = delta_size(&mut d)?;
    if source != base.len() {
        return Err("its delta is for a base of another size");
    }
    if target > MAX_OBJECT_BYTES {
        return Err("its delta makes an object too large");
    }
    let mut out = Vec::with_capacity(target);
    while let Some((&op, rest)) = d.split_first() {
        d = rest;
        if op & 0x80 != 0 {
            // Copy from the base: offset and size in the bytes the op's
            // low bits select, little-endian.
            let mut field = |bits: u8, first: u32| -> Result<usize, &'static str> {
                let mut n = 0usize;
                for k in 0..bits {
                    if op & (1 << (first + u32::from(k))) != 0 {
                        let (&b, rest) = d.split_first().ok_or("its delta is cut short")?;
                        d = rest;
                        n |= usize::from(b) << (8 * k);
                    }
                }
                Ok(n)
            };
            let offset = field(4, 0)?;
            let size = match field(3, 4)? {
                0 => 0x10000,
                n => n,
            };
            let piece = offset
                .checked_add(size)
                .and_then(|end| base.get(offset..end))
                .ok_or("its delta copies from outside its base")?;
            out.extend_from_slice(piece);
        } else if op != 0 {
            let n = usize::from(op);
            let piece = d.get(..n).ok_or("its delta is cut short")?;
            out.extend_from_slice(piece);
            d = &d[n..];
        } else {
            return Err("its delta holds a reserved instruction");
        }
        if out.len() > target {
            return Err("its delta makes more than the size it states");
        }
    }
    if out.len() != target {
        return Err("its delta makes less than the size it states");
    }
    Ok(out)
}

/// A size at the front of a delta (little-endian groups of seven bits),
/// taken off it.
fn delta_size(d: &mut &[u8]) -> Result<usize, &'static str> {
    let mut n = 0u64;
    let mut shift = 0;
    loop {
        let (&c, rest) = d.split_first().ok_or("its delta is cut short")?;
        *d = rest;
        if shift > 56 {
            return Err("its delta's sizes do not end");
        }
        n |= u64::from(c & 0x7f) << shift;
        shift += 7;
        if c & 0x80 == 0 {
            return usize::try_from(n).map_err(|_| "its delta makes an object too large");
        }
    }
}

/// The size of the object a delta makes (0 when its header is broken:
/// [`apply`] then says how).
fn target_size(delta: &[u8]) -> usize {
    let mut d = delta;
    delta_size(&mut d)
        .and_then(|_| delta_size(&mut d))
        .unwrap_or(0)
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Objects rebuilt lately, by pack and offset, dropped oldest first past
/// [`CACHE_BYTES`]. The walk reads versions in history order, so the base
/// of the next read is almost always among the last few kept.
#[derive(Default)]
struct Cache {
    kept: HashMap<(usize, u64), Object>,
    order: VecDeque<(usize, u64)>,
    bytes: usize,
}

impl Cache {
    fn get(&self, pack: usize, offset: u64) -> Option<Object> {
        self.kept.get(&(pack, offset)).cloned()
    }

    fn put(&mut self, pack: usize, offset: u64, object: &Object) {
        let n = object.data.len();
        if n > CACHE_BYTES / 8 || self.kept.contains_key(&(pack, offset)) {
            return;
        }
        while self.bytes + n > CACHE_BYTES {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(o) = self.kept.remove(&old) {
                self.bytes -= o.data.len();
            }
        }
        self.kept.insert((pack, offset), object.clone());
        self.order.push_back((pack, offset));
        self.bytes += n;
    }
}

/// A file's bytes: mapped into memory where the platform allows (packs can
/// be gigabytes; git never rewrites one in place, it writes a new one), read
/// whole elsewhere.
struct Bytes {
    #[cfg(unix)]
    map: map::Map,
    #[cfg(not(unix))]
    bytes: Vec<u8>,
}

impl Bytes {
    fn open(path: &Path) -> std::io::Result<Bytes> {
        #[cfg(unix)]
        {
            map::Map::open(path).map(|map| Bytes { map })
        }
        #[cfg(not(unix))]
        {
            fs::read(path).map(|bytes| Bytes { bytes })
        }
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        #[cfg(unix)]
        {
            &self.map
        }
        #[cfg(not(unix))]
        {
            &self.bytes
        }
    }
}

/// zlib's inflate, through the same library libgit2 links (for the small
/// streams of trees and commits it is several times faster than a pure-Rust
/// inflater, whose table set-up dominated the walk).
mod zlib {
    use libz_sys as z;
    use std::os::raw::{c_int, c_uint, c_void};

    /// A zlib inflate stream, reset for each object. Boxed: zlib keeps a
    /// pointer to it.
    pub struct Inflater {
        stream: Box<z::z_stream>,
    }

    unsafe extern "C" fn alloc(_: *mut c_void, items: c_uint, size: c_uint) -> *mut c_void {
        // SAFETY: calloc checks the product for overflow.
        unsafe { libc::calloc(items as usize, size as usize) }
    }

    unsafe extern "C" fn free(_: *mut c_void, p: *mut c_void) {
        // SAFETY: `p` came from `alloc`.
        unsafe { libc::free(p) }
    }

    impl Inflater {
        /// A new stream; `None` if zlib cannot make one (out of memory).
        pub fn new() -> Option<Inflater> {
            let mut stream = Box::new(z::z_stream {
                next_in: std::ptr::null_mut(),
                avail_in: 0,
                total_in: 0,
                next_out: std::ptr::null_mut(),
                avail_out: 0,
                total_out: 0,
                msg: std::ptr::null_mut(),
                state: std::ptr::null_mut(),
                zalloc: alloc,
                zfree: free,
                opaque: std::ptr::null_mut(),
                data_type: 0,
                adler: 0,
                reserved: 0,
            });
            // SAFETY: a fully initialised stream whose size is passed as
            // zlib's ABI check asks.
            let ret = unsafe {
                z::inflateInit_(
                    &mut *stream,
                    z::zlibVersion(),
                    std::mem::size_of::<z::z_stream>() as c_int,
                )
            };
            (ret == z::Z_OK).then_some(Inflater { stream })
        }

        /// Inflates the zlib stream at the start of `input` into `out`, which
        /// it must fill exactly; returns the bytes written.
        pub fn inflate(&mut self, input: &[u8], out: &mut [u8]) -> Result<usize, &'static str> {
            let s = &mut *self.stream;
            // SAFETY: the stream was initialised by `new`; zlib reads at most
            // `avail_in` bytes of `input`, writes at most `avail_out` bytes
            // of `out`, and keeps neither pointer past this call (the next
            // call resets the stream first).
            unsafe {
                if z::inflateReset(s) != z::Z_OK {
                    return Err("zlib could not reset its stream");
                }
                s.next_in = input.as_ptr().cast_mut();
                s.avail_in = c_uint::try_from(input.len()).unwrap_or(c_uint::MAX);
                s.next_out = out.as_mut_ptr();
                s.avail_out = c_uint::try_from(out.len()).map_err(|_| "it is too large")?;
                let ret = z::inflate(s, z::Z_FINISH);
                let written = out.len() - s.avail_out as usize;
                s.next_in = std::ptr::null_mut();
                s.next_out = std::ptr::null_mut();
                match ret {
                    z::Z_STREAM_END => Ok(written),
                    z::Z_OK | z::Z_BUF_ERROR if s.avail_out == 0 => {
                        Err("it inflates to more than its header says")
                    }
                    z::Z_OK | z::Z_BUF_ERROR => Err("its zlib stream is cut short"),
                    _ => Err("its zlib stream is broken"),
                }
            }
        }
    }

    impl Drop for Inflater {
        fn drop(&mut self) {
            // SAFETY: the stream was initialised by `new`.
            unsafe { z::inflateEnd(&mut *self.stream) };
        }
    }
}

#[cfg(unix)]
mod map {
    use std::fs::File;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    /// A read-only private mapping of a whole file.
    pub struct Map {
        ptr: *mut libc::c_void,
        len: usize,
    }

    impl Map {
        pub fn open(path: &Path) -> std::io::Result<Map> {
            let file = File::open(path)?;
            let len = usize::try_from(file.metadata()?.len())
                .map_err(|_| std::io::Error::other("file too large to map"))?;
            if len == 0 {
                return Ok(Map {
                    ptr: std::ptr::null_mut(),
                    len,
                });
            }
            // SAFETY: a fresh read-only private mapping of an open file; the
            // mapping outlives the descriptor, and is unmapped on drop. A
            // file truncated while mapped would fault on access: git never
            // rewrites a pack or index in place (it writes a new one and
            // renames it; a removed file stays mapped).
            let ptr = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE,
                    file.as_raw_fd(),
                    0,
                )
            };
            if ptr == libc::MAP_FAILED {
                return Err(std::io::Error::last_os_error());
            }
            Ok(Map { ptr, len })
        }
    }

    impl std::ops::Deref for Map {
        type Target = [u8];
        fn deref(&self) -> &[u8] {
            if self.len == 0 {
                return &[];
            }
            // SAFETY: `ptr` maps `len` readable bytes until drop.
            unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) }
        }
    }

    impl Drop for Map {
        fn drop(&mut self) {
            if self.len != 0 {
                // SAFETY: `ptr` and `len` are the mapping made in `open`.
                unsafe { libc::munmap(self.ptr, self.len) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::apply;

    /// A delta's size header: little-endian groups of seven bits.
    fn varint(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(low);
                return;
            }
            out.push(low | 0x80);
        }
    }

    fn delta(base: usize, target: usize, ops: &[u8]) -> Vec<u8> {
        let mut d = Vec::new();
        varint(base, &mut d);
        varint(target, &mut d);
        d.extend_from_slice(ops);
        d
    }

    #[test]
    fn a_delta_copies_and_inserts() {
        let base = b"hello, world";
        // Copy 5 bytes from offset 7 ("world"), insert "! ", copy 5 from 0.
        let ops = [0x91, 7, 5, 2, b'!', b' ', 0x90, 5];
        assert_eq!(apply(base, &delta(12, 12, &ops)).unwrap(), b"world! hello");
        // A copy whose size bytes are all absent copies 0x10000 bytes.
        let big = vec![7u8; 0x10000 + 3];
        let out = apply(&big, &delta(big.len(), 0x10000, &[0x80])).unwrap();
        assert_eq!(out.len(), 0x10000);
        // Offsets and sizes take the bytes their bits select, low first.
        let base: Vec<u8> = (0..=255u8).cycle().take(80_000).collect();
        let ops = [
            0x80 | 0x01 | 0x02 | 0x04 | 0x10 | 0x20,
            0x10,
            0x27,
            0x01,
            0x02,
            0x01,
        ];
        let out = apply(&base, &delta(base.len(), 0x0102, &ops)).unwrap();
        assert_eq!(out, base[0x012710..0x012710 + 0x0102]);
    }

    #[test]
    fn a_broken_delta_is_an_error() {
        let base = b"hello, world";
        let cases: [(&str, Vec<u8>); 6] = [
            ("another size", delta(11, 5, &[0x90, 5])),
            ("outside its base", delta(12, 5, &[0x91, 10, 5])),
            ("reserved", delta(12, 1, &[0])),
            ("cut short", delta(12, 3, &[3, b'a'])),
            ("more than", delta(12, 2, &[3, b'a', b'b', b'c'])),
            ("less than", delta(12, 9, &[0x90, 5])),
        ];
        for (why, d) in cases {
            let err = apply(base, &d).unwrap_err();
            assert!(err.contains(why), "{why}: {err}");
        }
        assert!(apply(base, &[0x80]).unwrap_err().contains("cut short"));
    }
}
