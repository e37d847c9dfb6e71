//! Lifecycle rules (declared in `rules/lifecycle.rs`): events, expiry, approval.

use std::collections::BTreeSet;

use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::load::toml::quoted_list;
use crate::model::{Expiry, Proposal, Status};
use crate::rules::lifecycle::{
    APPROVAL_MISSING, APPROVAL_QUORUM, APPROVAL_REVIEWER, EXPIRED, EXPIRES_SOON, IMPORT_UNDECIDED,
    UNKNOWN_EVENT,
};
use crate::suggest;

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
