//! Signed approvals: a reviewer's SSH signature over one metric's
//! fingerprint, in the `sshsig` format that `ssh-keygen -Y sign` writes and
//! git's SSH commit signing uses. Made and verified in-process (RustCrypto's
//! `ssh-key`); nothing is shelled out.
//!
//! What is signed is the text [`message`] builds from the metric's name,
//! the fingerprint of the definition approved and the day of the approval,
//! under the namespace [`NAMESPACE`]. A signature therefore holds whoever
//! commits it and however it is merged; it cannot be moved to another
//! metric or to a changed definition; and an approval given again later is
//! a new signature, told apart from an old one brought back. A signature
//! made by hand verifies too:
//!
//! ```sh
//! printf 'privet approval\nmetric NAME\nfingerprint FP\ndate 2026-12-06\n' |
//!     ssh-keygen -Y sign -n privet-approval -f ~/.ssh/id_ed25519
//! ```

use std::io::{Read, Write};
use std::path::Path;

use ssh_key::public::KeyData;
use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

/// The sshsig namespace of an approval: a signature made for anything
/// else (a git commit, a file) is not an approval.
pub const NAMESPACE: &str = "privet-approval";

/// What a reviewer names in place of a metric to sign the trust anchors of
/// `privet.toml` ([`crate::config::Config::anchors_text`]); no metric name
/// holds a dot.
pub const ANCHORS: &str = "privet.toml";

/// The text a reviewer signs to approve `metric` at `fingerprint` on `date`
/// (`YYYY-MM-DD`).
pub fn message(metric: &str, fingerprint: &str, date: &str) -> String {
    format!("privet approval\nmetric {metric}\nfingerprint {fingerprint}\ndate {date}\n")
}

/// Why a signature does not verify, in words a report prints.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Problem {
    /// Not an SSH signature at all.
    Unreadable(String),
    /// An SSH signature made for another purpose.
    Namespace(String),
    /// The signature does not hold over this metric and fingerprint.
    Mismatch,
}

impl Problem {
    pub fn describe(&self) -> String {
        match self {
            Problem::Unreadable(why) => format!("is not an SSH signature ({why})"),
            Problem::Namespace(ns) => {
                format!("was made for `{ns}`, not for a privet approval (namespace `{NAMESPACE}`)")
            }
            Problem::Mismatch => "does not hold over this metric and fingerprint: it was made \
                                  for another metric or another definition, or was altered"
                .to_string(),
        }
    }
}

/// A signature that holds over its message, and the key that made it
/// (whose key it is, the configuration decides).
pub type Checked = Result<KeyData, Problem>;

/// Parses a signature as stored: the PEM block `ssh-keygen -Y sign` writes,
/// or its base64 body on one line.
pub fn parse(text: &str) -> Result<SshSig, String> {
    let text = text.trim();
    let pem = if text.starts_with("-----BEGIN") {
        text.to_string()
    } else {
        let body: String = text.split_whitespace().collect();
        let mut pem = String::from("-----BEGIN SSH SIGNATURE-----\n");
        for chunk in body.as_bytes().chunks(70) {
            pem.push_str(&String::from_utf8_lossy(chunk));
            pem.push('\n');
        }
        pem.push_str("-----END SSH SIGNATURE-----\n");
        pem
    };
    SshSig::from_pem(pem.as_bytes()).map_err(|e| e.to_string())
}

/// Checks that `text` is an approval signature over `metric` at
/// `fingerprint` on `date`; on success, the key that made it.
pub fn check(text: &str, metric: &str, fingerprint: &str, date: &str) -> Checked {
    let sig = parse(text).map_err(Problem::Unreadable)?;
    if sig.namespace() != NAMESPACE {
        return Err(Problem::Namespace(sig.namespace().to_string()));
    }
    let key = PublicKey::new(sig.public_key().clone(), "");
    key.verify(
        NAMESPACE,
        message(metric, fingerprint, date).as_bytes(),
        &sig,
    )
    .map(|()| sig.public_key().clone())
    .map_err(|_| Problem::Mismatch)
}

/// The SHA-256 fingerprint of a key, as `ssh-keygen -l` prints it.
pub fn key_fingerprint(key: &KeyData) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Parses an OpenSSH public key line (`ssh-ed25519 AAAA… comment`).
pub fn public_key(line: &str) -> Result<PublicKey, String> {
    PublicKey::from_openssh(line.trim()).map_err(|e| e.to_string())
}

/// The stored form of a signature: the PEM block, LF line endings.
pub fn to_record(sig: &SshSig) -> Result<String, String> {
    sig.to_pem(LineEnding::LF).map_err(|e| e.to_string())
}

/// Where a signing key comes from.
pub enum Signer {
    /// An unencrypted OpenSSH private key.
    Private(Box<PrivateKey>),
    /// A public key whose private half `ssh-agent` holds (an encrypted key
    /// file's public half counts: it is stored in the clear).
    Agent(PublicKey),
}

impl Signer {
    /// The key a signature by this signer verifies with.
    pub fn public_key(&self) -> &KeyData {
        match self {
            Signer::Private(k) => k.public_key().key_data(),
            Signer::Agent(k) => k.key_data(),
        }
    }

    /// Reads a signer from `spec`: a private key file, a public key file
    /// (`.pub`, signed through the agent), or a public key line itself, as
    /// git's `user.signingkey` allows (`key::ssh-ed25519 …` or
    /// `ssh-ed25519 …`).
    pub fn from_spec(spec: &str, base: &Path) -> Result<Signer, String> {
        let line = spec.strip_prefix("key::").unwrap_or(spec).trim();
        if line.starts_with("ssh-") || line.starts_with("ecdsa-") {
            return public_key(line).map(Signer::Agent);
        }
        let path = expand_home(line, base);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read the key {}: {e}", path.display()))?;
        if text
            .trim_start()
            .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----")
        {
            let key = PrivateKey::from_openssh(text.as_bytes()).map_err(|e| {
                format!(
                    "{} is not a usable OpenSSH private key: {e}",
                    path.display()
                )
            })?;
            if key.is_encrypted() {
                return Ok(Signer::Agent(key.public_key().clone()));
            }
            return Ok(Signer::Private(Box::new(key)));
        }
        if text.trim_start().starts_with("-----BEGIN") {
            return Err(format!(
                "{} is a private key in an older format; convert it with `ssh-keygen -p -f {}` \
                 (which writes the OpenSSH format), or use ssh-agent and pass the public key",
                path.display(),
                path.display()
            ));
        }
        public_key(&text).map(Signer::Agent).map_err(|e| {
            format!(
                "{} is neither an OpenSSH private nor public key: {e}",
                path.display()
            )
        })
    }

    /// Signs the approval of `metric` at `fingerprint` on `date`.
    pub fn sign(&self, metric: &str, fingerprint: &str, date: &str) -> Result<SshSig, String> {
        let msg = message(metric, fingerprint, date);
        match self {
            Signer::Private(k) => k
                .sign(NAMESPACE, HashAlg::Sha512, msg.as_bytes())
                .map_err(|e| format!("signing failed: {e}")),
            Signer::Agent(k) => agent_sign(k, msg.as_bytes()),
        }
    }
}

/// `~/` at the start of a path is the home directory; a relative path is
/// taken from `base`.
fn expand_home(path: &str, base: &Path) -> std::path::PathBuf {
    if let Some(rest) = path.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return Path::new(&home).join(rest);
    }
    base.join(path)
}

/// Asks `ssh-agent` (at `SSH_AUTH_SOCK`) to sign the sshsig data of `msg`
/// with `key`: the agent protocol's sign request, nothing else.
#[cfg(unix)]
fn agent_sign(key: &PublicKey, msg: &[u8]) -> Result<SshSig, String> {
    const SIGN_REQUEST: u8 = 13;
    const SIGN_RESPONSE: u8 = 14;
    const RSA_SHA2_512: u32 = 4;
    let no_agent = |why: String| {
        format!(
            "the private half of {} is not available: {why}; add the key to ssh-agent \
             (`ssh-add KEYFILE`: privet asks for no passphrase), or pass an unencrypted \
             private key file with --key",
            key_fingerprint(key.key_data())
        )
    };
    let sock = std::env::var_os("SSH_AUTH_SOCK")
        .ok_or_else(|| no_agent("SSH_AUTH_SOCK is not set (no ssh-agent)".into()))?;
    let mut stream = std::os::unix::net::UnixStream::connect(&sock)
        .map_err(|e| no_agent(format!("cannot reach ssh-agent: {e}")))?;
    let data = SshSig::signed_data(NAMESPACE, HashAlg::Sha512, msg).map_err(|e| e.to_string())?;
    let blob = key.to_bytes().map_err(|e| e.to_string())?;
    let flags = if key.algorithm().is_rsa() {
        RSA_SHA2_512
    } else {
        0
    };
    let mut body = vec![SIGN_REQUEST];
    put_string(&mut body, &blob);
    put_string(&mut body, &data);
    body.extend(flags.to_be_bytes());
    let mut frame = (body.len() as u32).to_be_bytes().to_vec();
    frame.extend(body);
    stream
        .write_all(&frame)
        .map_err(|e| no_agent(format!("ssh-agent: {e}")))?;
    let mut len = [0u8; 4];
    stream
        .read_exact(&mut len)
        .map_err(|e| no_agent(format!("ssh-agent: {e}")))?;
    let len = u32::from_be_bytes(len) as usize;
    if len > 1 << 20 {
        return Err(no_agent("ssh-agent sent an oversized answer".into()));
    }
    let mut reply = vec![0u8; len];
    stream
        .read_exact(&mut reply)
        .map_err(|e| no_agent(format!("ssh-agent: {e}")))?;
    let mut rest = match reply.split_first() {
        Some((&SIGN_RESPONSE, rest)) => rest,
        _ => {
            return Err(no_agent(
                "ssh-agent does not hold it, or refused to sign".into(),
            ));
        }
    };
    let signature = get_string(&mut rest).ok_or_else(|| no_agent("a malformed answer".into()))?;
    let mut sig = signature;
    let algorithm = get_string(&mut sig).ok_or_else(|| no_agent("a malformed answer".into()))?;
    let bytes = get_string(&mut sig).ok_or_else(|| no_agent("a malformed answer".into()))?;
    let algorithm: ssh_key::Algorithm = std::str::from_utf8(algorithm)
        .ok()
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| no_agent("an unknown signature algorithm".into()))?;
    let signature =
        ssh_key::Signature::new(algorithm, bytes.to_vec()).map_err(|e| e.to_string())?;
    SshSig::new(
        key.key_data().clone(),
        NAMESPACE,
        HashAlg::Sha512,
        signature,
    )
    .map_err(|e| e.to_string())
}

#[cfg(not(unix))]
fn agent_sign(key: &PublicKey, _msg: &[u8]) -> Result<SshSig, String> {
    Err(format!(
        "signing through ssh-agent is not supported on this platform; pass the private key \
         file of {} with --key",
        key_fingerprint(key.key_data())
    ))
}

fn put_string(out: &mut Vec<u8>, s: &[u8]) {
    out.extend((s.len() as u32).to_be_bytes());
    out.extend(s);
}

fn get_string<'a>(input: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, rest) = input.split_first_chunk::<4>()?;
    let len = u32::from_be_bytes(*len) as usize;
    if rest.len() < len {
        return None;
    }
    let (s, rest) = rest.split_at(len);
    *input = rest;
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "2026-12-06";

    fn key(seed: u8) -> PrivateKey {
        let pair = ssh_key::private::Ed25519Keypair::from_seed(&[seed; 32]);
        PrivateKey::new(ssh_key::private::KeypairData::Ed25519(pair), "test").unwrap()
    }

    #[test]
    fn a_signature_holds_for_its_metric_and_fingerprint_only() {
        let k = key(1);
        let signer = Signer::Private(Box::new(k.clone()));
        let sig = to_record(&signer.sign("m", "abc", D).unwrap()).unwrap();
        assert_eq!(
            check(&sig, "m", "abc", D),
            Ok(k.public_key().key_data().clone())
        );
        assert_eq!(check(&sig, "other", "abc", D), Err(Problem::Mismatch));
        assert_eq!(check(&sig, "m", "abd", D), Err(Problem::Mismatch));
        assert_eq!(
            check(&sig, "m", "abc", "2026-12-07"),
            Err(Problem::Mismatch)
        );
        // The base64 body on one line is the same signature.
        let body: String = sig.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(check(&body, "m", "abc", D).is_ok());
        assert!(matches!(
            check("hello", "m", "abc", D),
            Err(Problem::Unreadable(_))
        ));
    }

    /// What OpenSSH's `ssh-keygen -Y sign` makes, privet verifies: RSA,
    /// ECDSA P-256 and Ed25519 (tests/fixtures/sshsig/README.md).
    #[test]
    fn signatures_made_by_ssh_keygen_verify() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sshsig");
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
        for kind in ["rsa", "ec", "ed25519"] {
            let key = public_key(&read(&format!("{kind}.pub"))).unwrap();
            let sig = read(&format!("{kind}.sig"));
            assert_eq!(
                check(&sig, "m", "abc", D),
                Ok(key.key_data().clone()),
                "{kind}"
            );
            assert_eq!(check(&sig, "m", "abd", D), Err(Problem::Mismatch), "{kind}");
        }
        assert_eq!(
            check(&read("git-namespace.sig"), "m", "abc", D),
            Err(Problem::Namespace("git".into()))
        );
    }

    #[test]
    fn a_signature_for_another_purpose_is_not_an_approval() {
        let k = key(2);
        let sig = k
            .sign("git", HashAlg::Sha512, message("m", "abc", D).as_bytes())
            .unwrap();
        let text = to_record(&sig).unwrap();
        assert_eq!(
            check(&text, "m", "abc", D),
            Err(Problem::Namespace("git".into()))
        );
    }
}
