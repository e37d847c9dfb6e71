//! Quasi-identifiers: the fields of an event payload that describe where
//! and on what an installation runs, counted together.

use crate::bits::field_bits;
use crate::diagnostic::Diagnostic;
use crate::load::Registry;
use crate::model::{Field, FieldType, Proposal};
use crate::rules::{Rule, Severity};
use crate::shipping::blamed;

use super::information::EPSILON;

pub const QUASI_IDENTIFIERS: Rule = Rule {
    id: "quasi-identifiers",
    family: "privacy",
    severity: Severity::Error,
    summary: "an event payload's fields about the installation's surroundings together carry too many bits",
    what: "Live metrics with fields that describe the installation's surroundings rather \
           than the product's use, whose bits together exceed \
           `thresholds.max_quasi_identifier_bits` (default 20), counted over all the events \
           an installation sends (its installation id links them: a country at install \
           and a time zone in the heartbeat are one combination). A field describes the \
           surroundings when three in four of its values (an enum's or set's values, a \
           map's keys), or more than half of them and eight at least, are country, region or language codes, locale tags, time-zone names \
           or regions, UTC offsets, screen sizes, settings a locale or country decides \
           (ISO 4217 currencies, the measurement system, the paper size, the first day of \
           the week, date, number and clock formats, keyboard layouts, the mains \
           frequency and voltage), countries, cities, regions or languages by their names \
           in English or their own language (`germany`, `frankfurt`, `bayern`, `deutsch`) \
           and cities by their airport codes (`fra`, `iad`), network settings (NAT type, \
           path MTU, delegated prefix, public resolver), hardware by its maker or product \
           line (`nvidia_rtx`, `tp_link`), displays by resolution name, refresh rate or \
           scale (`fhd`, `144hz`, `125%`), counts of the machine's capacity (its \
           display's pixels or refresh rate, its memory, its processors, as the count's \
           name or summary says; a share, use or limit of them, or a total beside a \
           count of nodes or hosts, is the product's use), \
           operating-system families or CPU architectures, a person's sex or gender \
           (with a birth date's day counted over a lifetime, 100 years): declared with a built-in `vocabulary` or written out by \
           hand, past a prefix or suffix every value shares (`hunspell_de_ch`). The \
           finding goes to every metric with such a field that is not approved for its \
           current definition, else to the one with the most such bits.",
    why: "Each of these is shared by many installations alone, and they are independent \
          of each other, so their combinations multiply: a country, a language, a time \
          zone and a screen size together can single out one installation among millions, \
          whatever the metric or proposal each comes from. The general budget \
          (`reidentification-budget`, 160 bits) never binds on that scale; 20 bits are \
          about a million combinations, more than the installations most projects have.",
    example: "[fields.country]\ntype = \"enum\"\nvocabulary = \"country\"\n\n[fields.language]\ntype = \"enum\"\nvocabulary = \"language\"\n\n[fields.zone]\ntype = \"enum\"\nvalues = [\"Europe/Berlin\", \"America/New_York\", \"Asia/Tokyo\", \"UTC\"]\n\n[fields.screen]\ntype = \"enum\"\nvalues = [\"1920x1080\", \"2560x1440\", \"1366x768\", \"3840x2160\"]",
};

/// What a field says of the installation's surroundings, if anything: its
/// closed list's values (or keys) describe them.
pub fn surroundings(field: &Field) -> Option<&'static str> {
    let ty = &field.ty.as_ref()?.value;
    let values = match ty {
        FieldType::Enum { values } | FieldType::Set { values } => values,
        // A map keyed by weekdays measures the week's rhythm of use; only
        // a choice among them (the first day of the week) is a setting.
        FieldType::Map { keys, .. }
            if keys.iter().all(|k| crate::vocabulary::weekday(&k.value)) =>
        {
            return None;
        }
        FieldType::Map { keys, .. } => keys,
        FieldType::Count { .. } => return measures_the_machine(field).then_some(MACHINE),
        _ => return None,
    };
    crate::vocabulary::describes_surroundings(values.iter().map(|v| v.value.as_str()))
}

/// Whether a field counts the machines of a deployment (`nodes`,
/// `hosts`, `worker_machines`).
fn counts_machines(field: &Field) -> bool {
    matches!(
        field.ty.as_ref().map(|t| &t.value),
        Some(FieldType::Count { .. })
    ) && field.name.value.split(['_', '-']).any(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "node"
                | "nodes"
                | "host"
                | "hosts"
                | "machine"
                | "machines"
                | "server"
                | "servers"
                | "instance"
                | "instances"
                | "workers"
                | "replicas"
                | "members"
        )
    })
}

/// What a count of the machine's capacity describes.
const MACHINE: &str = "the machine's capacity";

/// Whether a count measures the machine it runs on (its display's pixels
/// or refresh rate, its memory, its processors), by its name or summary:
/// the machine's capacity, however bucketed, is part of the same
/// fingerprint as its maker's name or its screen size. A share or use of
/// that capacity (`memory_used_percent`, `cpu_average_percent`), a
/// limit the product sets (`memory_limit_mib`) or the product's own
/// workers (`cron_threads`) measure the product's use, not the machine.
fn measures_the_machine(field: &Field) -> bool {
    let said = super::said_of(field);
    let has = |list: &[&str]| said.iter().any(|w| list.contains(&w.as_str()));
    const USE: &[&str] = &[
        "percent",
        "pct",
        "share",
        "ratio",
        "used",
        "usage",
        "use",
        "rss",
        "average",
        "avg",
        "mean",
        "peak",
        "limit",
        "limits",
        "utilisation",
        "utilization",
        "load",
        "free",
        "available",
        "requested",
        "request",
        "allocated",
        "heap",
        "cache",
        "buffer",
        "per",
        "node",
        "nodes",
        "worker",
        "workers",
        "pool",
        "jobs",
        "queue",
        "time",
        "seconds",
        "ms",
    ];
    if has(USE) {
        return false;
    }
    const DISPLAY: &[&str] = &[
        "resolution",
        "pixels",
        "pixel",
        "px",
        "refresh",
        "hz",
        "hertz",
        "dpi",
        "ppi",
        "monitors",
        "monitor",
        "displays",
        "display",
        "screens",
        "screen",
    ];
    const MEMORY: &[&str] = &["ram", "vram", "memory", "mem"];
    const PROCESSOR: &[&str] = &["cpu", "cpus", "gpu", "gpus", "processors", "processor"];
    has(DISPLAY) || has(MEMORY) || has(PROCESSOR)
}

/// A field about the surroundings: the field, its bits, what it describes.
type Quasi<'r> = (&'r Field, f64, &'static str);

/// One metric's fields about the surroundings. A metric with one such
/// field is about the surroundings, and so are its other fields: the
/// display's pixel ratio and colour depth next to its size, the first day
/// of the week next to the time zone, a keyboard layout next to the locale.
fn quasi_fields(p: &Proposal) -> Vec<Quasi<'_>> {
    // Capacity counted beside how many nodes hold it is a cluster's total,
    // the deployment's size: the product's use, not one machine's.
    let cluster = p.fields.iter().any(counts_machines);
    let described: Vec<(&Field, Option<&'static str>)> = p
        .fields
        .iter()
        .map(|f| (f, surroundings(f).filter(|w| !(cluster && *w == MACHINE))))
        .collect();
    let Some(what) = described.iter().find_map(|d| d.1) else {
        return Vec::new();
    };
    described
        .into_iter()
        .filter_map(|(f, own)| {
            let (bits, birth) = quasi_bits(f)?;
            let label = match (own, birth) {
                (Some(own), _) => own,
                (None, true) => "a birth date",
                (None, false) => beside(what),
            };
            Some((f, bits, label))
        })
        .collect()
}

/// The label of a field counted for the company it keeps: in a metric
/// about `what`.
fn beside(what: &'static str) -> &'static str {
    if what == "a person's sex or gender" {
        "about the person, beside a sex or gender"
    } else {
        "about the surroundings, beside them"
    }
}

/// What a field about the surroundings tells, in bits: its domain's, but
/// a birth date's day is one of a lifetime's, not of a year's
/// (`information` counts a date's day in one year, as the dates a product
/// sends, of its own events, are recent).
fn quasi_bits(f: &Field) -> Option<(f64, bool)> {
    let ty = &f.ty.as_ref()?.value;
    let birth = f
        .name
        .value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "birth" | "born" | "birthday" | "birthdate" | "dob"
            )
        });
    Some(match ty {
        FieldType::Date {
            resolution: crate::model::DateResolution::Day,
            ..
        } if birth => ((365.25f64 * LIFETIME_YEARS).log2(), true),
        ty => (field_bits(ty), birth),
    })
}

/// The years a birth date's day is counted over.
const LIFETIME_YEARS: f64 = 100.0;

/// Checks the fields about the surroundings of every live metric, over all
/// the events an installation sends: its installation id links them, so a
/// country sent at install and a time zone in the heartbeat are one
/// combination.
pub fn check_quasi_identifiers(registry: &Registry, out: &mut Vec<Diagnostic>) {
    let bound = f64::from(registry.config.thresholds.max_quasi_identifier_bits);
    let mut carried: Vec<(&Proposal, Vec<Quasi>)> = registry
        .proposals
        .iter()
        .filter(|p| p.is_live())
        .filter(|p| {
            p.events
                .iter()
                .any(|e| registry.config.events.contains(&e.value))
        })
        .map(|p| (p, quasi_fields(p)))
        .filter(|(_, q)| !q.is_empty())
        .collect();
    let total: f64 = carried
        .iter()
        .flat_map(|(_, q)| q.iter().map(|f| f.1))
        .sum();
    if total <= bound + EPSILON {
        return;
    }
    let mut events: Vec<&str> = carried
        .iter()
        .flat_map(|(p, _)| p.events.iter().map(|e| e.value.as_str()))
        .filter(|e| registry.config.events.iter().any(|c| c == e))
        .collect();
    events.sort_unstable();
    events.dedup();
    let sent_in = events
        .iter()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let bits_of = |q: &[Quasi]| q.iter().map(|f| f.1).sum::<f64>();
    carried.sort_by(|a, b| {
        bits_of(&b.1)
            .total_cmp(&bits_of(&a.1))
            .then(a.0.name.cmp(&b.0.name))
    });
    let list: Vec<String> = carried
        .iter()
        .flat_map(|(p, q)| {
            q.iter().map(move |(f, bits, what)| {
                format!("{}.{} {bits:.1} ({what})", p.name, f.name.value)
            })
        })
        .collect();
    for (p, q) in blamed(&carried, |c| c.0, &registry.config) {
        let largest = q
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("a metric with fields about the surroundings");
        out.push(
            Diagnostic::new(
                &QUASI_IDENTIFIERS,
                p.file,
                largest.0.name.span.clone(),
                format!(
                    "the payloads an installation sends ({sent_in}), linked by its installation id, can carry {total:.1} bits about where and on what it runs together with `{}`'s {:.1}; the bound is {bound}",
                    p.name,
                    bits_of(q)
                ),
            )
            .label(largest.2)
            .help(format!(
                "together they single out one installation in 2^{total:.0}: {}; coarsen them (a region instead of a country, a language without its region) or drop one; another event does not help, the installation id links them (only privet.toml's max_quasi_identifier_bits raises the bound)",
                list.join(", ")
            ))
            .metric(&p.name),
        );
    }
}
