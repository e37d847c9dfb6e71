//! Authenticated records in `.git/privet/`: files that let a run skip work
//! (the history cache, the freshness of generated files, the memo of
//! parsed and checked proposals), which a forged or copied file must not
//! be able to skip.
//!
//! Every record is hashed with BLAKE3 under a random key created once per
//! repository (`.git/privet/key`, mode 0600). A record edited by hand,
//! copied from another clone or restored from a CI cache shared with other
//! branches does not verify against this clone's key and is ignored: the
//! work is done again. Whoever can write the key can also rewrite the
//! repository's objects, so the key protects against nothing git itself
//! would not; that limit is in the README.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

pub const KEY_BYTES: usize = 32;
const MAGIC: &[u8] = b"privet-sealed\0\x02";

/// The repository's key in `privet_dir` (`.git/privet`), created if missing.
pub fn key(privet_dir: &Path) -> Option<[u8; KEY_BYTES]> {
    let path = privet_dir.join("key");
    if let Ok(key) = fs::read(&path)
        && let Ok(key) = key.try_into()
    {
        return Some(key);
    }
    let key = random_key()?;
    fs::create_dir_all(privet_dir).ok()?;
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    // A key of the wrong length is replaced; a concurrent run that
    // created one first wins and this run uses it.
    if path.exists() {
        fs::remove_file(&path).ok()?;
    }
    match options.open(&path) {
        Ok(mut f) => {
            f.write_all(&key).ok()?;
            Some(key)
        }
        Err(_) => fs::read(&path).ok()?.try_into().ok(),
    }
}

/// The key if it exists (a reader never creates one).
pub fn existing_key(privet_dir: &Path) -> Option<[u8; KEY_BYTES]> {
    fs::read(privet_dir.join("key")).ok()?.try_into().ok()
}

fn random_key() -> Option<[u8; KEY_BYTES]> {
    let mut key = [0u8; KEY_BYTES];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut key))
        .ok()?;
    Some(key)
}

/// The hash that seals record `name`: the name is hashed with the body, so
/// one record's file cannot stand in for another's, nor for a section of
/// the history cache (hashed without a name).
fn seal(key: &[u8; KEY_BYTES], name: &str, body: &[u8]) -> blake3::Hash {
    let mut h = blake3::Hasher::new_keyed(key);
    h.update(b"privet sealed record\0");
    h.update(&(name.len() as u64).to_le_bytes());
    h.update(name.as_bytes());
    h.update(body);
    h.finalize()
}

/// The body of `.git/privet/NAME` if it verifies, or none.
pub fn read(git_dir: &Path, name: &str) -> Option<Vec<u8>> {
    let dir = git_dir.join("privet");
    let key = existing_key(&dir)?;
    let mut bytes = fs::read(dir.join(name)).ok()?;
    let body_at = MAGIC.len() + 32;
    if bytes.len() < body_at || !bytes.starts_with(MAGIC) {
        return None;
    }
    let mac: [u8; 32] = bytes[MAGIC.len()..body_at].try_into().ok()?;
    if seal(&key, name, &bytes[body_at..]) != blake3::Hash::from_bytes(mac) {
        return None;
    }
    bytes.drain(..body_at);
    Some(bytes)
}

/// Writes `body` as [`read`] reads it, atomically; failures are ignored
/// (a record only saves work).
pub fn write(git_dir: &Path, name: &str, body: &[u8]) {
    let dir = git_dir.join("privet");
    let Some(key) = key(&dir) else { return };
    let mut out = Vec::with_capacity(MAGIC.len() + 32 + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(seal(&key, name, body).as_bytes());
    out.extend_from_slice(body);
    let _ = crate::files::write_output(&dir.join(name), &out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_verifies_only_under_its_own_name_and_key() {
        let dir = std::env::temp_dir().join(format!("privet-sealed-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        write(&dir, "a.bin", b"body");
        assert_eq!(read(&dir, "a.bin").as_deref(), Some(&b"body"[..]));
        // Copied under another name: refused.
        fs::copy(dir.join("privet/a.bin"), dir.join("privet/b.bin")).unwrap();
        assert_eq!(read(&dir, "b.bin"), None);
        // Edited: refused.
        let mut bytes = fs::read(dir.join("privet/a.bin")).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        fs::write(dir.join("privet/a.bin"), &bytes).unwrap();
        assert_eq!(read(&dir, "a.bin"), None);
        // Another clone's key: refused.
        write(&dir, "a.bin", b"body");
        fs::write(dir.join("privet/key"), [7u8; KEY_BYTES]).unwrap();
        assert_eq!(read(&dir, "a.bin"), None);
        let _ = fs::remove_dir_all(&dir);
    }
}
