//! A guard in front of libgit2's object reads.
//!
//! libgit2 loops for ever on a loose object whose zlib stream is cut off in
//! a particular way (a stored block that ends early: `git cat-file` reports
//! "unable to stream", libgit2 spins in `git_zstream_get_output`). A corrupt
//! repository must be a finding, never a hang, so every loose object is
//! inflated here first (with miniz_oxide, in safe Rust) and checked against
//! its header before libgit2 is asked for it. libgit2 reads packed objects
//! by a different path.
//!
//! The history walk reads its trees, commits and blobs through [`Objects`]:
//! packed ones with its own pack reader (see `pack.rs`), loose ones as the
//! guard inflated them, and parses them in place.

use std::fs;
use std::path::PathBuf;
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository};

use super::Unavailable;
use super::pack::{HASH, Packs};

/// Largest loose object inflated for the check. Proposals are capped far
/// below this; commits and trees of real repositories are much smaller.
const MAX_OBJECT_BYTES: usize = 256 << 20;

#[derive(Clone)]
pub struct Guard {
    objects: PathBuf,
    /// Which `objects/xx/` fan-out directories exist, by first byte: in a
    /// fresh clone or after `git gc` there are none, and no object costs a
    /// file-system call.
    fanout: [bool; 256],
}

impl Guard {
    pub fn new(repo: &Repository) -> Guard {
        let objects = repo.commondir().join("objects");
        let mut fanout = [false; 256];
        if let Ok(entries) = fs::read_dir(&objects) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                if let Some(byte) = name
                    .to_str()
                    .filter(|n| n.len() == 2)
                    .and_then(|n| u8::from_str_radix(n, 16).ok())
                {
                    fanout[usize::from(byte)] = true;
                }
            }
        }
        Guard { objects, fanout }
    }

    /// Checks the loose object `id`, if there is one, and returns its type;
    /// a packed or missing object passes unread (`None`: libgit2 reads it,
    /// and reports a missing one itself).
    pub fn check(&self, id: Oid) -> Result<Option<ObjectType>, Unavailable> {
        Ok(self.read(id)?.map(|(kind, _)| kind))
    }

    /// The loose object `id`, checked, if there is one: its type and
    /// contents.
    pub fn read(&self, id: Oid) -> Result<Option<(ObjectType, Vec<u8>)>, Unavailable> {
        if !self.fanout[usize::from(id.as_bytes()[0])] {
            return Ok(None);
        }
        let hex = id.to_string();
        let path = self.objects.join(&hex[..2]).join(&hex[2..]);
        let data = match fs::read(&path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(corrupt(&hex, &e.to_string())),
        };
        let mut inflated =
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&data, MAX_OBJECT_BYTES)
                .map_err(|e| {
                    corrupt(&hex, &format!("its zlib stream is broken ({:?})", e.status))
                })?;
        let nul = inflated
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| corrupt(&hex, "it has no header"))?;
        let header = std::str::from_utf8(&inflated[..nul]).unwrap_or("");
        let kind_and_size = header.split_once(' ').and_then(|(kind, size)| {
            let kind = match kind {
                "blob" => ObjectType::Blob,
                "tree" => ObjectType::Tree,
                "commit" => ObjectType::Commit,
                "tag" => ObjectType::Tag,
                _ => return None,
            };
            Some((kind, size.parse::<usize>().ok()?))
        });
        match kind_and_size {
            Some((kind, n)) if n == inflated.len() - nul - 1 => {
                inflated.drain(..=nul);
                Ok(Some((kind, inflated)))
            }
            Some((_, n)) => Err(corrupt(
                &hex,
                &format!(
                    "it holds {} bytes, its header says {n}",
                    inflated.len() - nul - 1
                ),
            )),
            None => Err(corrupt(&hex, "its header is not `TYPE SIZE`")),
        }
    }
}

fn corrupt(hex: &str, why: &str) -> Unavailable {
    Unavailable::Broken(format!("object {hex} is corrupt: {why}"))
}

/// The object reads of the history walk: packed objects through
/// [`Packs`] (which keeps what it rebuilt, as git does), loose ones through
/// the [`Guard`] (which has inflated them anyway), anything else (an
/// alternate object store, a pack [`Packs`] leaves alone) through libgit2.
pub struct Objects<'r> {
    repo: &'r Repository,
    guard: Guard,
    packs: Packs,
}

impl<'r> Objects<'r> {
    pub fn new(repo: &'r Repository, guard: Guard) -> Objects<'r> {
        let packs = Packs::open(&guard.objects);
        Objects { repo, guard, packs }
    }

    /// The type and contents of object `id`.
    pub fn read(&mut self, id: Oid) -> Result<(ObjectType, Rc<Vec<u8>>), Unavailable> {
        if let Some(o) = self.packs.read(id).map_err(Unavailable::Broken)? {
            return Ok((o.kind, o.data));
        }
        if let Some((kind, data)) = self.guard.read(id)? {
            return Ok((kind, Rc::new(data)));
        }
        let odb = self.repo.odb().map_err(super::broken)?;
        let o = odb.read(id).map_err(super::broken)?;
        Ok((o.kind(), Rc::new(o.data().to_vec())))
    }

    /// The guard that checks loose objects before anything reads them.
    pub fn guard(&self) -> &Guard {
        &self.guard
    }

    /// The entry at `path` (`/`-separated, relative) under tree `root`,
    /// with its kind; `None` when there is none. An empty path is `root`
    /// itself.
    pub fn entry_at(
        &mut self,
        root: Oid,
        path: &str,
    ) -> Result<Option<(Oid, ObjectType)>, Unavailable> {
        let mut at = (root, ObjectType::Tree);
        for part in path.split('/').filter(|p| !p.is_empty()) {
            if at.1 != ObjectType::Tree {
                return Ok(None);
            }
            let tree = self.tree(at.0)?;
            let mut entries = TreeEntries::new(at.0, &tree);
            at = loop {
                match entries.next_entry()? {
                    None => return Ok(None),
                    Some(e) if e.name == part.as_bytes() => break (e.id, e.kind),
                    Some(_) => {}
                }
            };
        }
        Ok(Some(at))
    }

    /// The contents of tree `id`, to be read with [`TreeEntries`].
    pub fn tree(&mut self, id: Oid) -> Result<Rc<Vec<u8>>, Unavailable> {
        self.of_kind(id, ObjectType::Tree)
    }

    /// The contents of blob `id`.
    pub fn blob(&mut self, id: Oid) -> Result<Rc<Vec<u8>>, Unavailable> {
        self.of_kind(id, ObjectType::Blob)
    }

    /// The root tree of commit `id` and its first parent, if any.
    pub fn commit(&mut self, id: Oid) -> Result<(Oid, Option<Oid>), Unavailable> {
        let data = self.of_kind(id, ObjectType::Commit)?;
        let malformed = || corrupt(&id.to_string(), "its header is malformed");
        let mut lines = data.split(|&b| b == b'\n');
        let hex = |line: &[u8], field: &str| -> Option<Oid> {
            let rest = line.strip_prefix(field.as_bytes())?;
            Oid::from_str(std::str::from_utf8(rest).ok().filter(|h| h.len() == 40)?).ok()
        };
        let tree = lines
            .next()
            .and_then(|l| hex(l, "tree "))
            .ok_or_else(malformed)?;
        // A `parent` line that does not parse is a broken commit, not a
        // root (which would cut the history short).
        let parent = match lines.next() {
            Some(l) if l.starts_with(b"parent ") => Some(hex(l, "parent ").ok_or_else(malformed)?),
            _ => None,
        };
        Ok((tree, parent))
    }

    fn of_kind(&mut self, id: Oid, kind: ObjectType) -> Result<Rc<Vec<u8>>, Unavailable> {
        match self.read(id)? {
            (k, data) if k == kind => Ok(data),
            (k, _) => Err(corrupt(
                &id.to_string(),
                &format!("it is a {k}, where a {kind} was expected"),
            )),
        }
    }
}

/// One entry of a tree.
pub struct TreeEntry<'a> {
    pub name: &'a [u8],
    pub id: Oid,
    /// A tree, a commit (a submodule) or a blob (any other mode, as
    /// libgit2 has it).
    pub kind: ObjectType,
}

/// How many bytes `a` and `b` have in common at their start.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 16 <= n && a[i..i + 16] == b[i..i + 16] {
        i += 16;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// The entries of a tree's contents, in git's order, read in place.
pub struct TreeEntries<'a> {
    rest: &'a [u8],
    tree: Oid,
}

impl<'a> TreeEntries<'a> {
    pub fn new(tree: Oid, data: &'a [u8]) -> TreeEntries<'a> {
        TreeEntries { rest: data, tree }
    }

    /// Skips the entries at the front of `a` and `b` that are the same
    /// bytes in both (same name, mode and id): between two versions of a
    /// directory that is nearly all of them, passed over without parsing.
    pub fn skip_common(a: &mut TreeEntries<'a>, b: &mut TreeEntries<'_>) {
        let common = common_prefix(a.rest, b.rest);
        let mut n = 0;
        // An entry is `MODE NAME\0ID`: its first NUL ends its name.
        while let Some(nul) = a.rest[n..common].iter().position(|&c| c == 0) {
            let end = n + nul + 1 + HASH;
            if end > common {
                break;
            }
            n = end;
        }
        a.rest = &a.rest[n..];
        b.rest = &b.rest[n..];
    }

    /// The next entry; an error for contents that are not a tree's.
    pub fn next_entry(&mut self) -> Result<Option<TreeEntry<'a>>, Unavailable> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let malformed = || corrupt(&self.tree.to_string(), "it is not a well-formed tree");
        let space = self
            .rest
            .iter()
            .position(|&b| b == b' ')
            .ok_or_else(malformed)?;
        let mut mode = 0u32;
        for &d in &self.rest[..space] {
            if !(b'0'..=b'7').contains(&d) || mode > 0o7777777 {
                return Err(malformed());
            }
            mode = mode * 8 + u32::from(d - b'0');
        }
        let after = &self.rest[space + 1..];
        let nul = after.iter().position(|&b| b == 0).ok_or_else(malformed)?;
        let id = after
            .get(nul + 1..nul + 1 + HASH)
            .and_then(|b| Oid::from_bytes(b).ok())
            .ok_or_else(malformed)?;
        let name = &after[..nul];
        self.rest = &after[nul + 1 + HASH..];
        let kind = match mode & 0o170000 {
            0o040000 => ObjectType::Tree,
            0o160000 => ObjectType::Commit,
            _ => ObjectType::Blob,
        };
        Ok(Some(TreeEntry { name, id, kind }))
    }
}
