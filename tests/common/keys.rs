//! Throw-away SSH keys for reviewers in tests: made from a seed, in-process,
//! so no test depends on `ssh-keygen` being installed.

#![allow(dead_code)]

use std::path::Path;

/// A throw-away Ed25519 key for reviewer `name`, made from `seed`: its
/// OpenSSH private key is written to `dir/NAME` (mode 600, as ssh-keygen
/// leaves it) and its public line to `dir/NAME.pub`. Returns the private
/// key's path and the public key line for `privet.toml`.
pub fn reviewer_key(dir: &Path, name: &str, seed: u8) -> (std::path::PathBuf, String) {
    use ssh_key::private::{Ed25519Keypair, KeypairData};
    let pair = Ed25519Keypair::from_seed(&[seed; 32]);
    let key = ssh_key::PrivateKey::new(KeypairData::Ed25519(pair), format!("{name}@test")).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    key.write_openssh_file(&path, ssh_key::LineEnding::LF)
        .unwrap();
    let line = key.public_key().to_openssh().unwrap();
    std::fs::write(dir.join(format!("{name}.pub")), format!("{line}\n")).unwrap();
    (path, line)
}

/// `[review.reviewers.NAME]` with the key line and email, for privet.toml.
pub fn reviewer_entry(name: &str, key_line: &str) -> String {
    format!(
        "[review.reviewers.{name}]\nkeys = [\"{key_line}\"]\nemails = [\"{name}@example.org\"]\n"
    )
}
