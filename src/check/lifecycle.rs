//! Lifecycle rules: events, expiry, approval.

use std::collections::BTreeSet;

use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::load::toml::quoted_list;
use crate::model::{Expiry, Proposal, Status};

use crate::suggest;

use crate::rules::{Rule, Severity};

pub const UNKNOWN_EVENT: Rule = Rule {
    id: "unknown-event",
    family: "lifecycle",
    severity: Severity::Error,
    summary: "a proposal names an event the registry does not send",
    what: "An entry of `events` that is not one of the events in `privet.toml` \
           (default: `install`, `upgrade`, `heartbeat`).",
    why: "Each event is a payload the client sends; a metric assigned to an event that \
          does not exist would never be sent.",
    example: "events = [\"hearbeat\"]",
};

pub const EXPIRED: Rule = Rule {
    id: "expired",
    family: "lifecycle",
    severity: Severity::Warning,
    summary: "a metric is past its expiry date and has stopped shipping",
    what: "A proposal whose `expires` date is today or earlier, unless its status is \
           `retired` or `rejected`. From that day on the metric is not collected: `privet \
           validate` rejects it in any payload sent on or after the date \
           (`expired-metric`). The generated files do not change with the date, so the \
           audit warns instead of failing every unrelated pull request.",
    why: "Expiry makes every metric justify itself again. An expired metric must be \
          renewed (a new date, reviewed again) or retired; collecting it silently \
          forever is what expiry exists to prevent.",
    example: "expires = 2024-01-01",
};

pub const EXPIRES_SOON: Rule = Rule {
    id: "expires-soon",
    family: "lifecycle",
    severity: Severity::Warning,
    summary: "a metric expires within the warning period",
    what: "A live proposal whose `expires` date is after today but within \
           `[thresholds] expiry_warning_days` (default 30) of it.",
    why: "On its expiry date a metric fails the audit of every pull request until someone \
          renews or retires it. A warning ahead of time gives its owners the time to decide, \
          in a change of its own.",
    example: "expires = 2026-12-20   # checked on 2026-12-06",
};

pub const APPROVAL_MISSING: Rule = Rule {
    id: "approval-missing",
    family: "lifecycle",
    severity: Severity::Error,
    summary: "an approved metric has no approval record",
    what: "A proposal with `status = \"approved\"` but no `[approval]` table, or one whose \
           `by` list is empty.",
    why: "Approval is what lets a metric ship. It must say who approved it and when, so \
          the decision can be audited later.",
    example: "status = \"approved\"\n# no [approval] table",
};

pub const APPROVAL_REVIEWER: Rule = Rule {
    id: "approval-reviewer",
    family: "lifecycle",
    severity: Severity::Error,
    summary: "an approval is signed by someone who is not a configured reviewer",
    what: "A name in `[approval] by` that is not in `reviewers` in `privet.toml`. When no \
           reviewers are configured, this rule reports every approval.",
    why: "Only the people the project trusts with the privacy review may approve metrics.",
    example: "[approval]\nby = [\"random-contributor\"]\ndate = 2026-11-02",
};

pub const APPROVAL_QUORUM: Rule = Rule {
    id: "approval-quorum",
    family: "lifecycle",
    severity: Severity::Error,
    summary: "an approval has fewer reviewers than the quorum",
    what: "An `[approval]` signed by fewer distinct configured reviewers than `quorum` in \
           `privet.toml` (default 1).",
    why: "Projects that want two pairs of eyes on every metric say so once, in the \
          configuration, and privet holds every approval to it.",
    example: "# privet.toml: quorum = 2\n[approval]\nby = [\"alice\"]\ndate = 2026-11-02",
};

pub const IMPORT_UNDECIDED: Rule = Rule {
    id: "import-undecided",
    family: "lifecycle",
    severity: Severity::Error,
    summary: "an imported proposal still has a decision for its author to make",
    what: "An entry of `undecided` in a proposal's `[import]` table. `privet import` writes \
           one for each thing it could not carry over at low resolution: a free-text, URL, \
           UUID or timestamp value, labels that are not listed, an expiry given as a product \
           version. The field in question is left out of `[fields]` until the author decides.",
    why: "An importer that guessed (a pattern for free text, a made-up label list) would \
          weaken the definition without anyone deciding to; one that dropped the field would \
          lose it silently. The decision belongs to the author and the reviewer.",
    example: "[import]\nfrom = \"glean\"\nsource = \"search.engine.default\"\nundecided = [\"field `value`: Glean type `url` sends a full URL; keep a category (an enum) or drop it\"]",
};

pub fn check(p: &Proposal, config: &Config, today: Date, out: &mut Vec<Diagnostic>) {
    if let Some(import) = &p.import {
        let from = import
            .from
            .as_ref()
            .map_or("another system", |f| f.value.as_str());
        for u in &import.undecided {
            out.push(
                Diagnostic::new(
                    &IMPORT_UNDECIDED,
                    p.file,
                    u.span.clone(),
                    format!("imported from {from}, still to decide: {}", u.value),
                )
                .help("make the decision in the proposal, then remove this entry from `[import] undecided`")
                .metric(&p.name),
            );
        }
    }
    let known: Vec<&str> = config.events.iter().map(String::as_str).collect();
    for e in &p.events {
        if !known.contains(&e.value.as_str()) {
            let mut d = Diagnostic::new(
                &UNKNOWN_EVENT,
                p.file,
                e.span.clone(),
                format!(
                    "event `{}` is not one of the registry's events ({})",
                    e.value,
                    quoted_list(&known)
                ),
            )
            .help("use a configured event, or add it to `events` in privet.toml")
            .metric(&p.name);
            if let Some(best) = suggest::closest(&e.value, known.iter().copied()) {
                d = d.label(format!("did you mean `{best}`?"));
            }
            out.push(d);
        }
    }

    let status = p.status.as_ref().map(|s| s.value);
    let live = p.is_live();
    if let Some(expires) = &p.expires
        && let Expiry::On(date) = expires.value
        && live
        && date <= today
    {
        out.push(
            Diagnostic::new(
                &EXPIRED,
                p.file,
                expires.span.clone(),
                format!(
                    "metric expired on {date}: it has stopped shipping (payloads sent from that day on are rejected)"
                ),
            )
            .label(format!("today is {today}"))
            .help("renew it with a later date (and a fresh review) or set status = \"retired\"")
            .metric(&p.name),
        );
    } else if let Some(expires) = &p.expires
        && let Expiry::On(date) = expires.value
        && live
    {
        let left = date.to_days() - today.to_days();
        let warn = i64::try_from(config.thresholds.expiry_warning_days).unwrap_or(i64::MAX);
        if left > 0 && left <= warn {
            out.push(
                Diagnostic::new(
                    &EXPIRES_SOON,
                    p.file,
                    expires.span.clone(),
                    format!(
                        "metric expires on {date}, in {left} day{}",
                        if left == 1 { "" } else { "s" }
                    ),
                )
                .label(format!("today is {today}"))
                .help("renew it with a later date (and a fresh review) or retire it, in a change of its own, before that day")
                .metric(&p.name),
            );
        }
    }

    if status != Some(Status::Approved) {
        return;
    }
    let status_span = p
        .status
        .as_ref()
        .map(|s| s.span.clone())
        .unwrap_or_default();
    let Some(approval) = p.approval.as_ref().filter(|a| !a.by.is_empty()) else {
        out.push(
            Diagnostic::new(
                &APPROVAL_MISSING,
                p.file,
                status_span,
                "status is \"approved\" but no reviewer signed it",
            )
            .help("a reviewer runs `privet approve`, or adds [approval] with `by` and `date`")
            .metric(&p.name),
        );
        return;
    };
    let mut valid = BTreeSet::new();
    for who in &approval.by {
        if config.reviewers.contains(&who.value) {
            valid.insert(who.value.as_str());
        } else {
            let help = if config.reviewers.is_empty() {
                "no reviewers are configured: list them under [review] in privet.toml".to_string()
            } else {
                format!(
                    "reviewers are {}",
                    quoted_list(
                        &config
                            .reviewers
                            .iter()
                            .map(String::as_str)
                            .collect::<Vec<_>>()
                    )
                )
            };
            out.push(
                Diagnostic::new(
                    &APPROVAL_REVIEWER,
                    p.file,
                    who.span.clone(),
                    format!("`{}` is not a configured reviewer", who.value),
                )
                .help(help)
                .metric(&p.name),
            );
        }
    }
    if valid.len() < config.quorum {
        out.push(
            Diagnostic::new(
                &APPROVAL_QUORUM,
                p.file,
                approval.span.clone(),
                format!(
                    "approval has {} valid reviewer{}; the quorum is {}",
                    valid.len(),
                    if valid.len() == 1 { "" } else { "s" },
                    config.quorum
                ),
            )
            .help("more configured reviewers must approve before the metric can ship")
            .metric(&p.name),
        );
    }
}
