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

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::pii::Kind;

/// How many distinct installations make a value common, by default.
pub const DEFAULT_K: usize = 5;

/// Where a payload names its installation, by default.
pub const DEFAULT_POINTER: &str = "/installation_id";

/// A value's key: its kind and text, hashed.
pub fn value_key(kind: Kind, value: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    kind.as_str().hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

/// An installation's key: its id, hashed.
pub fn installation_key(id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    "installation".hash(&mut h);
    id.hash(&mut h);
    h.finish()
}

/// How many distinct installations sent each flagged value.
#[derive(Debug)]
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

    /// Whether at least `k` distinct installations sent `value`.
    pub fn common(&self, value: u64) -> bool {
        self.seen.get(&value).is_some_and(|by| by.len() >= self.k)
    }

    /// Distinct installations among the payloads with flagged values.
    pub fn installations(&self) -> usize {
        self.installations.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
