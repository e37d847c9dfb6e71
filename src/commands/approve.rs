//! `privet approve NAME --by REVIEWER`: writes the approval block in place.
//!
//! The edit preserves everything else in the file (comments, formatting, key
//! order): only `status` and the `[approval]` table change. The file is
//! written atomically.

use std::path::{Path, PathBuf};
use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::check::Samples;
use crate::check::{lifecycle, provenance};
use crate::config::Approvals;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::files::display;
use crate::fingerprint;
use crate::model::Status;
use crate::report::{self, EXIT_FINDINGS, Format};
use crate::resolve::{HistoryMode, Provenance};
use crate::rules::{self, Severity};
use crate::signature::{self, Signer};

use super::{CommandError, Identity, find_proposal, refuse_over_config, unloaded, unloaded_error};
use crate::pipeline::{self, Options};

/// The rules whose findings an approval itself resolves; any other
/// error-level finding blocks approving.
const APPROVAL_RULES: &[&rules::Rule] = &[
    &lifecycle::APPROVAL_MISSING,
    &lifecycle::APPROVAL_REVIEWER,
    &lifecycle::APPROVAL_QUORUM,
    &provenance::APPROVAL_STALE,
    &provenance::SELF_APPROVAL,
    &provenance::APPROVAL_FORGED,
];

/// `privet approve`: approves the current definition of `name` as
/// `reviewer` on `today`; returns what to print.
pub fn approve(
    dir: &Path,
    name: &str,
    reviewer: &str,
    key: Option<&Path>,
    base: Option<&str>,
    today: Date,
) -> Result<String, CommandError> {
    if name == signature::ANCHORS {
        return approve_anchors(dir, reviewer, key, base, today);
    }
    let options = Options {
        today,
        history: HistoryMode::IfAvailable,
        samples: Samples::Off,
        base: None,
    };
    let checked = pipeline::Run::new(dir, options).check()?;
    let registry = &checked.registry;
    let p = match find_proposal(registry, name) {
        Ok(p) => p,
        Err(e) => {
            let why = unloaded(registry, &checked.findings, name);
            return Err(if why.is_empty() {
                e
            } else {
                unloaded_error(registry, &why, name)
            });
        }
    };
    // Who may approve is the configuration's to say: a broken one first.
    refuse_over_config(
        &checked.findings,
        &registry.sources,
        |d| d.severity == Severity::Error,
        "fix them before approving",
    )?;
    if !registry.config.reviewers.iter().any(|r| r == reviewer) {
        let list = registry.config.reviewers.join(", ");
        return Err(
            CommandError::usage(format!("`{reviewer}` is not a configured reviewer")).help(
                if list.is_empty() {
                    "list reviewers under [review] in privet.toml".to_string()
                } else {
                    format!("reviewers are {list}")
                },
            ),
        );
    }
    let history = match &checked.provenance {
        Provenance::Available(h) => h,
        Provenance::Unavailable(why) => {
            return Err(CommandError::usage(format!(
                "cannot approve without history: {}",
                why.describe()
            ))
            .help(why.fix()));
        }
        Provenance::Skipped => unreachable!("history was read"),
    };
    if !history.present.contains_key(name) {
        return Err(
            CommandError::usage(format!("`{name}` is not committed yet"))
                .help("commit it first: approval is tied to the commit that introduced it"),
        );
    }
    let identities = registry.config.identities_of(reviewer);
    if let Some(author) = history
        .definition_authors(name)
        .into_iter()
        .find(|c| c.authored_by(reviewer, identities))
    {
        return Err(CommandError::usage(format!(
            "`{reviewer}` wrote the definition of `{name}` ({}) and cannot approve it",
            author.describe()
        ))
        .help("another configured reviewer must approve it"));
    }
    // Approval is for a sound definition: everything but the approval itself must pass.
    let blocking: Vec<Diagnostic> = checked
        .findings
        .iter()
        .filter(|d| {
            (d.file == p.file.into() || d.metric.as_deref() == Some(name))
                && d.severity == Severity::Error
                && !APPROVAL_RULES.contains(&d.rule)
        })
        .cloned()
        .collect();
    if !blocking.is_empty() {
        return Err(CommandError {
            code: EXIT_FINDINGS,
            preface: report::render(&blocking, &registry.sources, Format::Human),
            message: format!(
                "`{name}` has {} error(s); fix them before approving",
                blocking.len()
            ),
            help: Vec::new(),
        });
    }
    let (fingerprint, _) = fingerprint::current(p);
    let path = PathBuf::from(&registry.sources.get(p.file).path);
    // The moment a new approval records: now (noon of `today` when a test
    // fixes the day).
    let moment = if today == Date::today() {
        Date::now_seconds()
    } else {
        today.to_days() * 86_400 + 12 * 3600
    };
    // An approval the history shows withdrawn is not joined: this one is new.
    let withdrawn = checked
        .findings
        .iter()
        .any(|d| d.rule.id == provenance::APPROVAL_STALE.id && d.metric.as_deref() == Some(name));
    let config = &registry.config;
    let signature = match config.approvals {
        Approvals::Commits => None,
        Approvals::Signed => {
            let keys = config.keys_of(reviewer);
            let approved = p
                .status
                .as_ref()
                .is_some_and(|s| s.value == Status::Approved);
            // The approval this one joins: of this definition, still given.
            let joined = p.approval.as_ref().filter(|a| {
                approved
                    && !withdrawn
                    && a.fingerprint
                        .as_ref()
                        .is_some_and(|f| f.value == fingerprint)
            });
            let held = joined.is_some_and(|a| {
                a.by.iter().any(|b| b.value == reviewer) && a.signed_by(name, reviewer, keys)
            });
            // Every reviewer of one approval signs its moment.
            let when = joined.map_or_else(|| Date::utc_timestamp(moment), |a| a.signed_when());
            if held {
                None
            } else {
                Some(sign(dir, name, reviewer, keys, key, &fingerprint, &when)?)
            }
        }
    };
    let outcome = write_approval(
        Target::Proposal {
            fresh: withdrawn,
            time: Some(moment),
        },
        &path,
        reviewer,
        &fingerprint,
        today,
        signature.as_deref(),
    )
    .map_err(CommandError::usage)?;
    let shown = display(&path);
    let quorum = config.quorum;
    let note = match config.approvals {
        Approvals::Commits => commit_note(dir, reviewer, identities),
        Approvals::Signed => format!(
            "signed by {reviewer}: the approval holds whoever commits it and however it is merged"
        ),
    };
    let done = match outcome {
        Outcome::New => format!(
            "approved {name} as {reviewer} (fingerprint {fingerprint}) in {shown}; 1 of {quorum} reviewer(s)\n"
        ),
        Outcome::Joined { by } => format!(
            "added {reviewer} to the approval of {name} in {shown}; {} of {quorum} reviewer(s)\n",
            by.len()
        ),
        Outcome::Signed => {
            format!("signed {reviewer}'s approval of {name} in {shown}\n")
        }
        Outcome::AlreadyApproved => {
            format!("{reviewer} already approved this definition of {name}; nothing changed\n")
        }
    };
    Ok(format!("{done}{note}\n"))
}

/// `privet approve privet.toml --by REVIEWER`: signs the trust anchors of
/// the registry's configuration as they are in the working tree, for a
/// change to them under review (`anchors-changed`).
fn approve_anchors(
    dir: &Path,
    reviewer: &str,
    key: Option<&Path>,
    base: Option<&str>,
    today: Date,
) -> Result<String, CommandError> {
    let Some(rev) = base else {
        return Err(CommandError::usage(
            "approving privet.toml needs --base REF: a change to the trust anchors is approved against the branch it replaces",
        )
        .help("e.g. `privet approve privet.toml --by REVIEWER --base origin/main`"));
    };
    let registry = crate::load::load(dir).map_err(|e| CommandError::usage(e.to_string()))?;
    refuse_over_config(
        &registry.findings,
        &registry.sources,
        |d| d.severity == Severity::Error,
        "fix them before approving",
    )?;
    let located = crate::resolve::locate(dir).map_err(|e| {
        CommandError::usage(format!("--base {rev}: {}", e.describe())).help(e.fix())
    })?;
    let text = crate::resolve::config_at(&located, &registry.root, rev)
        .map_err(|e| CommandError::usage(format!("--base {rev}: {e}")))?
        .ok_or_else(|| {
            CommandError::usage(format!(
                "`{rev}` has no privet.toml here: there are no trust anchors to replace"
            ))
            .help(
                "the first privet.toml of a registry is reviewed as the pull request that adds it",
            )
        })?;
    let (base_config, _) = crate::load::config_from_text(&format!("privet.toml@{rev}"), &text);
    // Who may sign, and with which keys, is the base's to say: a reviewer
    // rotating a key signs with the old one.
    if !base_config.reviewers.iter().any(|r| r == reviewer) {
        return Err(
            CommandError::usage(format!("`{reviewer}` is not a reviewer of `{rev}`")).help(
                format!(
                    "reviewers of `{rev}` are {}",
                    base_config.reviewers.join(", ")
                ),
            ),
        );
    }
    let config = &registry.config;
    let fingerprint = config.anchors_fingerprint();
    let base_fp = base_config.anchors_fingerprint();
    let keys = base_config.keys_of(reviewer);
    let change = config.anchors_change(&base_fp);
    let joined = crate::check::anchors::current_approval(config, &base_config);
    let held = crate::check::anchors::signed_by(config, &base_config, reviewer);
    // Reviewers joining an approval of the same change sign its day.
    let day = joined
        .and_then(|a| a.date.as_ref())
        .map_or(today, |d| d.value);
    let sig = if held {
        None
    } else {
        Some(sign(
            dir,
            signature::ANCHORS,
            reviewer,
            keys,
            key,
            &change,
            &day.to_string(),
        )?)
    };
    let path = registry.root.join(crate::config::FILE_NAME);
    let outcome = write_approval(
        Target::Anchors(&base_fp),
        &path,
        reviewer,
        &fingerprint,
        today,
        sig.as_deref(),
    )
    .map_err(CommandError::usage)?;
    let shown = display(&path);
    Ok(match outcome {
        Outcome::AlreadyApproved => {
            format!("{reviewer} already signed these trust anchors; nothing changed\n")
        }
        _ => format!(
            "signed the trust anchors of {shown} as {reviewer} (fingerprint {fingerprint}) in [review.approval]; \
             `privet audit --base REF` accepts the change once as many of REF's reviewers as its quorum signed it\n"
        ),
    })
}

/// `reviewer`'s signature of `name` at `fingerprint`: with the key at
/// `key`, else git's `user.signingkey`; refused unless the key is one of
/// the reviewer's configured keys.
fn sign(
    dir: &Path,
    name: &str,
    reviewer: &str,
    keys: &[ssh_key::PublicKey],
    key: Option<&Path>,
    fingerprint: &str,
    when: &str,
) -> Result<String, CommandError> {
    if keys.is_empty() {
        return Err(CommandError::usage(format!(
            "`{reviewer}` has no keys in privet.toml: a signed approval needs one"
        ))
        .help(format!(
            "add the public key {reviewer} signs with: [review.reviewers.{reviewer}] keys = [\"ssh-ed25519 AAAA…\"] (the line of its .pub file)"
        )));
    }
    let (spec, base) = match key {
        Some(k) => (
            k.to_string_lossy().into_owned(),
            std::env::current_dir().unwrap_or_default(),
        ),
        None => match Identity::of_git(dir).signing_key {
            Some(k) => (k, std::env::current_dir().unwrap_or_default()),
            None => {
                return Err(CommandError::usage(format!(
                    "no key to sign {reviewer}'s approval with"
                ))
                .help(
                    "pass the private key with --key ~/.ssh/id_ed25519, or set git's signing key once: \
                     git config user.signingkey ~/.ssh/id_ed25519.pub (signed through ssh-agent)",
                ));
            }
        },
    };
    let signer = Signer::from_spec(&spec, &base).map_err(CommandError::usage)?;
    if !keys.iter().any(|k| k.key_data() == signer.public_key()) {
        return Err(CommandError::usage(format!(
            "the key {} ({spec}) is not one of {reviewer}'s keys in privet.toml",
            signature::key_fingerprint(signer.public_key())
        ))
        .help(format!(
            "sign with a key listed under [review.reviewers.{reviewer}] keys; {reviewer}'s are {}",
            keys.iter()
                .map(|k| signature::key_fingerprint(k.key_data()))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let sig = signer
        .sign(name, fingerprint, when)
        .map_err(CommandError::usage)?;
    signature::to_record(&sig).map_err(CommandError::usage)
}

/// What the reviewer does next: the approval counts once they commit it.
fn commit_note(dir: &Path, reviewer: &str, identities: &[String]) -> String {
    if identities.is_empty() {
        return format!(
            "note: `{reviewer}` has no identities in privet.toml ([review.reviewers]); until they are listed, \
             this approval is reported as approval-forged"
        );
    }
    let email = Identity::of_git(dir).email;
    match email {
        Some(e) if identities.contains(&e.to_lowercase()) => format!(
            "commit it as {reviewer} ({e}): the commit that writes an approval is what makes it {reviewer}'s"
        ),
        Some(e) => format!(
            "warning: git's user.email here is {e}, not one of {reviewer}'s identities ({}): \
             only a commit by {reviewer} makes this approval count; committed by anyone else it is approval-forged",
            identities.join(", ")
        ),
        None => format!(
            "commit it as {reviewer} ({}): only a commit by {reviewer} makes this approval count",
            identities.join(", ")
        ),
    }
}

/// How an approval changes the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new approval of this definition: `by` is the reviewer alone.
    New,
    /// Another reviewer of the same definition: added to `by`.
    Joined { by: Vec<String> },
    /// The reviewer had approved this definition; their signature is new
    /// (it was missing, or not valid).
    Signed,
    /// The reviewer had already approved this definition.
    AlreadyApproved,
}

/// Rewrites `text` so that `reviewer` approves the definition with
/// `fingerprint` on `date`. Returns the new text and what happened.
pub fn apply(
    text: &str,
    reviewer: &str,
    fingerprint: &str,
    date: Date,
    signature: Option<&str>,
) -> Result<(String, Outcome), String> {
    apply_to(
        Target::Proposal {
            fresh: false,
            time: None,
        },
        text,
        reviewer,
        fingerprint,
        date,
        signature,
    )
}

/// Where an approval is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target<'a> {
    /// A proposal: `status` and `[approval]`; `fresh`: a new approval even
    /// of the approved definition (the one there was withdrawn); `time`: the
    /// moment a new approval records (and its reviewers sign).
    Proposal { fresh: bool, time: Option<i64> },
    /// `privet.toml`'s trust anchors: `[review.approval]`, replacing the
    /// base's anchors with this fingerprint.
    Anchors(&'a str),
}

fn apply_to(
    target: Target<'_>,
    text: &str,
    reviewer: &str,
    fingerprint: &str,
    date: Date,
    signature: Option<&str>,
) -> Result<(String, Outcome), String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    // An approval of a retired or rejected metric is a new one, even of
    // the same definition.
    let withdrawn = matches!(
        doc.get("status").and_then(Item::as_str),
        Some("retired" | "rejected")
    );
    if matches!(target, Target::Proposal { .. }) {
        set_keeping_decor(doc.as_table_mut(), "status", Value::from("approved"));
    }

    let outcome;
    {
        let mut root: &mut dyn toml_edit::TableLike = doc.as_table_mut();
        if matches!(target, Target::Anchors(_)) {
            if !root.contains_key("review") {
                root.insert("review", Item::Table(Table::new()));
            }
            root = root
                .get_mut("review")
                .and_then(Item::as_table_like_mut)
                .ok_or("`review` is not a table")?;
        }
        if !root.contains_key("approval") {
            let t = Table::new();
            root.insert("approval", Item::Table(t));
        }
        let approval = root
            .get_mut("approval")
            .and_then(Item::as_table_like_mut)
            .ok_or("`approval` is not a table")?;
        let replaces = match target {
            Target::Anchors(base) => Some(base),
            Target::Proposal { .. } => None,
        };
        let same = approval
            .get("fingerprint")
            .and_then(Item::as_str)
            .is_some_and(|f| f == fingerprint)
            && approval.get("replaces").and_then(Item::as_str) == replaces
            && match target {
                Target::Proposal { fresh, .. } => !withdrawn && !fresh,
                Target::Anchors(_) => true,
            };
        let mut by: Vec<String> = approval
            .get("by")
            .and_then(Item::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let stored = approval
            .get("signatures")
            .and_then(Item::as_table_like)
            .and_then(|t| t.get(reviewer))
            .and_then(Item::as_str)
            .map(str::trim);
        outcome = if same && by.iter().any(|b| b == reviewer) {
            match signature {
                Some(sig) if stored != Some(sig.trim()) => Outcome::Signed,
                _ => Outcome::AlreadyApproved,
            }
        } else if same {
            by.push(reviewer.to_string());
            Outcome::Joined { by: by.clone() }
        } else {
            by = vec![reviewer.to_string()];
            Outcome::New
        };
        if outcome != Outcome::AlreadyApproved && outcome != Outcome::Signed {
            let list: Array = by.iter().map(String::as_str).collect();
            set_like(approval, "by", Value::Array(list));
            // The day of the approval, which every reviewer of it signs:
            // one who joins keeps it.
            if outcome == Outcome::New || approval.get("date").is_none() {
                set_like(approval, "date", Value::from(toml_date(date)));
            }
            if let Target::Proposal { time, .. } = target
                && outcome == Outcome::New
            {
                match time {
                    Some(t) => {
                        let value: Value = crate::date::Date::utc_timestamp(t)
                            .parse()
                            .map_err(|e: toml_edit::TomlError| e.to_string())?;
                        set_like(approval, "time", value);
                    }
                    None => {
                        approval.remove("time");
                    }
                }
            }
            set_like(approval, "fingerprint", Value::from(fingerprint));
            if let Some(base) = replaces {
                set_like(approval, "replaces", Value::from(base));
            }
        }
        if outcome == Outcome::New {
            // Signatures of another definition sign nothing that is here.
            approval.remove("signatures");
        }
        if let Some(sig) = signature.filter(|_| outcome != Outcome::AlreadyApproved) {
            if approval
                .get("signatures")
                .and_then(Item::as_table_like)
                .is_none()
            {
                approval.remove("signatures");
                approval.insert("signatures", Item::Table(Table::new()));
            }
            let table = approval
                .get_mut("signatures")
                .and_then(Item::as_table_like_mut)
                .ok_or("`signatures` in `[approval]` is not a table")?;
            // A multi-line literal string: the PEM block as ssh-keygen
            // writes it, readable and verifiable by hand.
            let literal = format!("'''\n{}\n'''", sig.trim());
            let value: Value = literal
                .parse()
                .map_err(|e: toml_edit::TomlError| format!("cannot store the signature: {e}"))?;
            table.insert(reviewer, Item::Value(value));
        }
    }
    Ok((doc.to_string(), outcome))
}

/// Sets `key` to `value` in a table, keeping the old value's comments and
/// spacing when there was one.
fn set_keeping_decor(table: &mut Table, key: &str, value: Value) {
    set_like(table, key, value);
}

fn set_like(table: &mut dyn toml_edit::TableLike, key: &str, mut value: Value) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

fn toml_date(d: Date) -> toml_edit::Datetime {
    toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: u16::try_from(d.year).unwrap_or(0),
            month: d.month,
            day: d.day,
        }),
        time: None,
        offset: None,
    }
}

/// Reads, edits and atomically rewrites the proposal at `path`.
pub fn approve_file(
    path: &Path,
    reviewer: &str,
    fingerprint: &str,
    date: Date,
    signature: Option<&str>,
) -> Result<Outcome, String> {
    write_approval(
        Target::Proposal {
            fresh: false,
            time: None,
        },
        path,
        reviewer,
        fingerprint,
        date,
        signature,
    )
}

fn write_approval(
    target: Target<'_>,
    path: &Path,
    reviewer: &str,
    fingerprint: &str,
    date: Date,
    signature: Option<&str>,
) -> Result<Outcome, String> {
    // Two reviewers approving at once must not lose one approval: the
    // read, edit and rewrite hold an exclusive lock on the proposal's
    // directory (the file itself is replaced by the rename, so a lock on it
    // would not be seen by the next reader). Where a directory cannot be
    // opened as a file, approvals are not serialised.
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let lock = std::fs::File::open(dir).ok();
    if let Some(lock) = &lock {
        let _ = lock.lock();
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let readonly = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
    // Windows line endings stay Windows line endings.
    let crlf = text.contains("\r\n");
    let (new, outcome) = apply_to(
        target,
        &text.replace("\r\n", "\n"),
        reviewer,
        fingerprint,
        date,
        signature,
    )?;
    let new = if crlf { new.replace('\n', "\r\n") } else { new };
    if outcome != Outcome::AlreadyApproved && readonly {
        return Err(format!(
            "{} is read-only: make it writable to record the approval",
            path.display()
        ));
    }
    if outcome != Outcome::AlreadyApproved {
        crate::files::write_atomically(path, new.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# keep me\nsummary = \"x\"  # and me\nstatus = \"proposed\"   # the status\n\n[fields.a]\ntype = \"bool\"\n";

    #[test]
    fn approving_a_file_keeps_its_line_endings_and_refuses_read_only_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.toml");
        std::fs::write(&path, TEXT.replace('\n', "\r\n")).unwrap();
        let d = Date::new(2026, 11, 23).unwrap();
        approve_file(&path, "alice", "abc", d, None).unwrap();
        let out = std::fs::read_to_string(&path).unwrap();
        assert!(
            out.contains("[approval]\r\nby = [\"alice\"]\r\n"),
            "{out:?}"
        );
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        let mut p = std::fs::metadata(&path).unwrap().permissions();
        p.set_readonly(true);
        std::fs::set_permissions(&path, p).unwrap();
        let err = approve_file(&path, "bob", "def", d, None).unwrap_err();
        assert!(err.contains("read-only"), "{err}");
        let mut p = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        p.set_readonly(false);
        std::fs::set_permissions(&path, p).unwrap();
    }

    #[test]
    fn adds_an_approval_preserving_the_rest() {
        let d = Date::new(2026, 11, 23).unwrap();
        let (out, outcome) = apply(TEXT, "alice", "abc", d, None).unwrap();
        assert_eq!(outcome, Outcome::New);
        assert!(
            out.starts_with(
                "# keep me\nsummary = \"x\"  # and me\nstatus = \"approved\"   # the status\n"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "[approval]\nby = [\"alice\"]\ndate = 2026-11-23\nfingerprint = \"abc\"\n"
            ),
            "{out}"
        );
        assert!(out.contains("[fields.a]\ntype = \"bool\"\n"));

        let (again, outcome) = apply(&out, "bob", "abc", d, None).unwrap();
        assert_eq!(
            outcome,
            Outcome::Joined {
                by: vec!["alice".into(), "bob".into()]
            }
        );
        assert!(again.contains("by = [\"alice\", \"bob\"]"), "{again}");
        assert_eq!(
            apply(&again, "bob", "abc", d, None).unwrap().1,
            Outcome::AlreadyApproved
        );

        let (changed, outcome) = apply(&again, "bob", "def", d, None).unwrap();
        assert_eq!(outcome, Outcome::New);
        assert!(
            changed.contains("by = [\"bob\"]") && changed.contains("fingerprint = \"def\""),
            "{changed}"
        );
    }
}
