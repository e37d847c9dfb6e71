//! `anchors-changed`: with `privet
//! audit --base REF`, a change under review does not set the trust anchors
//! it is judged by. The pipeline judges every approval with REF's anchors;
//! this check says what the change would alter, unless REF's reviewers
//! signed the new anchors.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileRef};
use crate::model::Approval;

use crate::signature;

use crate::rules::{Rule, Severity};

pub const ANCHORS_CHANGED: Rule = Rule {
    id: "anchors-changed",
    family: "provenance",
    severity: Severity::Error,
    summary: "a change under review sets its own trust anchors",
    what: "With `privet audit --base REF`, a privet.toml whose trust anchors differ from \
           REF's: reviewers, their keys or emails, the approval mode, the quorum, the \
           thresholds or the ceilings, unless `[review.approval]` carries the signatures of \
           as many of REF's reviewers as REF's quorum, with REF's keys, over the new \
           anchors' fingerprint (`privet approve privet.toml --by REVIEWER`). The audit \
           judges every approval with REF's anchors either way.",
    why: "A pull request that adds its author's key to a reviewer, adds a reviewer, lowers \
          the quorum or raises a ceiling would otherwise approve itself: the anchors it \
          brings would judge its own approvals.",
    example: "# main: bob's keys = [\"ssh-ed25519 AAAA…bob\"]\n[review.reviewers.bob]\nkeys = [\"ssh-ed25519 AAAA…bob\", \"ssh-ed25519 AAAA…alice\"]   # added in the pull request",
};

/// What `head` changes in `base`'s trust anchors, one phrase each.
pub fn changes(head: &Config, base: &Config) -> Vec<String> {
    let keyed = |text: String| -> BTreeMap<String, String> {
        text.lines()
            .skip(1)
            .map(|l| {
                let (key, value) = match l.strip_prefix("reviewer ") {
                    Some(rest) => {
                        let (name, v) = rest.split_once(' ').unwrap_or((rest, ""));
                        (format!("reviewer `{name}`"), v.to_string())
                    }
                    None => {
                        let (k, v) = l.rsplit_once(' ').unwrap_or((l, ""));
                        (format!("`{k}`"), v.to_string())
                    }
                };
                (key, value)
            })
            .collect()
    };
    let (was, now) = (keyed(base.anchors_text()), keyed(head.anchors_text()));
    let mut out = Vec::new();
    for (key, before) in &was {
        match now.get(key) {
            None => out.push(format!("{key} removed")),
            Some(after) if after != before => out.push(format!("{key}: {before} → {after}")),
            Some(_) => {}
        }
    }
    for key in now.keys().filter(|k| !was.contains_key(*k)) {
        out.push(format!("{key} added ({})", now[key]));
    }
    out
}

/// `head`'s `[review.approval]` when it approves the change from `base`'s
/// anchors to `head`'s: of `head`'s anchors, and replacing `base`'s (so an
/// approval of an earlier change cannot bring back the anchors it
/// replaced).
pub fn current_approval<'a>(head: &'a Config, base: &Config) -> Option<&'a Approval> {
    let a = head.anchors_approval.as_ref()?;
    let of_head = a
        .fingerprint
        .as_ref()
        .is_some_and(|f| f.value == head.anchors_fingerprint());
    let replaces_base =
        head.anchors_replaces.as_deref() == Some(base.anchors_fingerprint().as_str());
    (of_head && replaces_base).then_some(a)
}

/// Whether `who` signed the change from `base`'s anchors to `head`'s with
/// one of `base`'s keys for `who`.
pub fn signed_by(head: &Config, base: &Config, who: &str) -> bool {
    let Some(a) = current_approval(head, base) else {
        return false;
    };
    let change = head.anchors_change(&base.anchors_fingerprint());
    // An anchors approval signs its day (`privet approve privet.toml`).
    let when = a
        .date
        .as_ref()
        .map(|d| d.value.to_string())
        .unwrap_or_default();
    a.signatures.iter().any(|(w, text)| {
        w.value == who
            && signature::check(&text.value, signature::ANCHORS, &change, &when)
                .is_ok_and(|k| base.keys_of(who).iter().any(|key| key.key_data() == &k))
    })
}

/// Whether `base`'s reviewers, as many as its quorum, signed the change
/// from `base`'s anchors to `head`'s with `base`'s keys.
pub fn approved(head: &Config, base: &Config) -> bool {
    let Some(a) = current_approval(head, base) else {
        return false;
    };
    let mut signed: Vec<&str> =
        a.by.iter()
            .map(|b| b.value.as_str())
            .filter(|b| base.reviewers.iter().any(|r| r == b) && signed_by(head, base, b))
            .collect();
    signed.sort_unstable();
    signed.dedup();
    !signed.is_empty() && signed.len() >= base.quorum
}

/// `anchors-changed` for a `head` configuration judged against `base`
/// (revision `rev`), reported at `file` (privet.toml).
pub fn check(head: &Config, base: &Config, rev: &str, file: FileRef, out: &mut Vec<Diagnostic>) {
    let changed = changes(head, base);
    if changed.is_empty() || approved(head, base) {
        return;
    }
    let span = head
        .anchors_approval
        .as_ref()
        .map_or(0..0, |a| a.span.clone());
    out.push(
        Diagnostic::new(
            &ANCHORS_CHANGED,
            file,
            span,
            format!(
                "this change alters the trust anchors of `{rev}`: {}; approvals are judged with `{rev}`'s",
                changed.join("; ")
            ),
        )
        .help(format!(
            "{} of `{rev}`'s reviewers ({}) sign the new anchors: `privet approve privet.toml --by REVIEWER --base {rev}`",
            base.quorum,
            base.reviewers.join(", ")
        )),
    );
}
