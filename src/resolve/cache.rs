//! The history cache: one file per proposals directory inside the git
//! directory (`.git/privet/history-<prefix>.json`), so it never appears in
//! the work tree, is never committed and goes away with the clone.
//!
//! The file is authenticated: its first line is an HMAC of the rest under a
//! random key created once per repository (`.git/privet/key`, mode 0600).
//! A cache edited by hand, copied from another clone or restored from a CI
//! cache shared with other branches does not verify against this clone's key
//! and is ignored: history is walked again. Whoever can write the key can
//! also rewrite the repository's objects, so the key protects against
//! nothing git itself would not; that limit is in the README.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use git2::{ObjectType, Oid};

use super::History;

/// Block size of the hash underneath the HMAC (SHA-1).
const BLOCK: usize = 64;
const KEY_BYTES: usize = 32;
const MAGIC: &str = "privet-history";

pub struct Cache {
    dir: PathBuf,
    file: PathBuf,
}

impl Cache {
    /// The cache of the proposals directory `prefix` in git directory `git_dir`.
    pub fn new(git_dir: &Path, prefix: &str) -> Cache {
        let dir = git_dir.join("privet");
        let tag = Oid::hash_object(ObjectType::Blob, prefix.as_bytes())
            .map(|o| o.to_string()[..12].to_string())
            .unwrap_or_default();
        let file = dir.join(format!("history-{tag}.json"));
        Cache { dir, file }
    }

    /// The cached history, if the file exists and verifies under the key.
    pub fn read(&self) -> Option<History> {
        let key = fs::read(self.dir.join("key")).ok()?;
        let bytes = fs::read(&self.file).ok()?;
        let (header, body) = split_header(&bytes)?;
        let mac = header.strip_prefix(&format!("{MAGIC} "))?;
        if !constant_time_eq(mac.as_bytes(), hmac(&key, body).as_bytes()) {
            return None;
        }
        serde_json::from_slice(body).ok()
    }

    /// Writes `history`, creating the key on first use. Failures only cost
    /// a walk next time, so they are ignored.
    pub fn write(&self, history: &History) {
        let Ok(body) = serde_json::to_vec(history) else {
            return;
        };
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let Some(key) = self.key() else { return };
        let mut bytes = format!("{MAGIC} {}\n", hmac(&key, &body)).into_bytes();
        bytes.extend_from_slice(&body);
        let _ = crate::files::write_atomically(&self.file, &bytes);
    }

    /// The repository's key, created if missing.
    fn key(&self) -> Option<Vec<u8>> {
        let path = self.dir.join("key");
        if let Ok(key) = fs::read(&path)
            && key.len() == KEY_BYTES
        {
            return Some(key);
        }
        let key = random_key()?;
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
            Err(_) => fs::read(&path).ok().filter(|k| k.len() == KEY_BYTES),
        }
    }
}

fn split_header(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let nl = bytes.iter().position(|&b| b == b'\n')?;
    Some((std::str::from_utf8(&bytes[..nl]).ok()?, &bytes[nl + 1..]))
}

/// HMAC (RFC 2104) over git's SHA-1 object hash, in hex.
fn hmac(key: &[u8], message: &[u8]) -> String {
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..20].copy_from_slice(sha1(key).as_bytes());
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Vec::with_capacity(BLOCK + message.len());
    inner.extend(k.iter().map(|b| b ^ 0x36));
    inner.extend_from_slice(message);
    let inner = sha1(&inner);
    let mut outer = Vec::with_capacity(BLOCK + 20);
    outer.extend(k.iter().map(|b| b ^ 0x5c));
    outer.extend_from_slice(inner.as_bytes());
    sha1(&outer).to_string()
}

fn sha1(bytes: &[u8]) -> Oid {
    Oid::hash_object(ObjectType::Blob, bytes).unwrap_or(Oid::ZERO_SHA1)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 32 bytes from the operating system's random source.
fn random_key() -> Option<Vec<u8>> {
    let mut key = vec![0u8; KEY_BYTES];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut key))
        .ok()?;
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mac_depends_on_key_and_message() {
        let a = hmac(b"key one", b"message");
        assert_eq!(a.len(), 40);
        assert_eq!(a, hmac(b"key one", b"message"));
        assert_ne!(a, hmac(b"key two", b"message"));
        assert_ne!(a, hmac(b"key one", b"messagf"));
        assert_ne!(hmac(&[7; 100], b"m"), hmac(&[7; 99], b"m"));
    }

    #[test]
    fn a_tampered_or_foreign_cache_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), "proposals");
        assert!(cache.read().is_none(), "nothing cached yet");
        let h = History {
            format: super::super::CACHE_FORMAT,
            head: "abc".into(),
            prefix: "proposals".into(),
            commits: Vec::new(),
            metrics: Default::default(),
            present: Default::default(),
            tree: None,
            definitions: Default::default(),
            walked: 0,
            signatures: Default::default(),
        };
        cache.write(&h);
        assert_eq!(cache.read(), Some(h));
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
        // An edit to the body: the MAC no longer holds.
        let text = fs::read_to_string(&cache.file).unwrap();
        fs::write(&cache.file, text.replace("\"abc\"", "\"abd\"")).unwrap();
        assert!(cache.read().is_none());
        // A well-formed cache under another clone's key.
        fs::write(&cache.file, &text).unwrap();
        assert!(cache.read().is_some());
        fs::write(dir.path().join("privet/key"), [1u8; KEY_BYTES]).unwrap();
        assert!(cache.read().is_none());
    }
}
