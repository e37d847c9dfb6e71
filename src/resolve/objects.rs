//! A guard in front of libgit2's object reads.
//!
//! libgit2 loops for ever on a loose object whose zlib stream is cut off in
//! a particular way (a stored block that ends early: `git cat-file` reports
//! "unable to stream", libgit2 spins in `git_zstream_get_output`). A corrupt
//! repository must be a finding, never a hang, so every loose object is
//! inflated here first (with miniz_oxide, in safe Rust) and checked against
//! its header before libgit2 is asked for it. Packed objects are left to
//! libgit2, which reads them by a different path.

use std::fs;
use std::path::PathBuf;

use git2::{ObjectType, Oid, Repository};

use super::Unavailable;

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
        let inflated =
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
            Some((kind, n)) if n == inflated.len() - nul - 1 => Ok(Some(kind)),
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
