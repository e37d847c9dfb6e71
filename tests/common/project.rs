//! A scratch project for tests that use privet as a project would: a
//! proposal, the `privet` binary, git as a named person, and throw-away SSH
//! keys for reviewers, made from a seed in-process so that no test depends
//! on `ssh-keygen` being installed.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// A complete proposal, `status = "proposed"`.
pub const PROPOSAL: &str = r#"summary = "How many worker processes an installation runs, bucketed"
owners = ["Alice Author <alice@example.org>"]
events = ["heartbeat"]
expires = 2030-12-31
status = "proposed"
question = "How large are deployments, so that we test the sizes people run?"
gathering = "Counted from the process table once a day."
burden = "One count per day, no disk or network cost."
pii = "No: a coarse bucket of a count says nothing about anybody."
sanitization = "Bucketed at 0, 1, 2-4, 5-9 and 10 or more."
since = "2.4"
alternatives = "Exact counts, rejected as identifying for large sites."
summarization = "Share of installations per bucket, per release."
visualization = "A bar chart on the public statistics page."

[fields.workers]
type = "count"
buckets = [0, 1, 2, 5, 10]
summary = "Worker processes"

[example]
workers = "2-4"
"#;

/// Runs `privet ARGS` in `dir`, without the user's git configuration or
/// ssh-agent: (exit code, stdout, stderr).
pub fn privet(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_privet"))
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("SSH_AUTH_SOCK")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// git as `who` (author and committer `who@example.org`), or with the
/// author and committer given apart.
pub fn git_by(dir: &Path, author: &str, committer: &str, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", format!("{author}@example.org"))
        .env("GIT_COMMITTER_NAME", committer)
        .env("GIT_COMMITTER_EMAIL", format!("{committer}@example.org"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// git as `who` (author and committer).
pub fn git(dir: &Path, who: &str, args: &[&str]) -> String {
    git_by(dir, who, who, args)
}

/// Stages everything and commits it as `who`.
pub fn commit(dir: &Path, who: &str, message: &str) {
    git(dir, who, &["add", "-A"]);
    git(dir, who, &["commit", "-q", "-m", message]);
}

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
