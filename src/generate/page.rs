//! The transparency page (`[page]` in privet.toml): what is collected,
//! shown to the people it is collected from, as Markdown and as one
//! self-contained HTML file (no external resources, no script).
//!
//! Every metric that ships, grouped by event: the question it answers;
//! each field with what it is reported as, in plain words; since which
//! release; when it expires; who approved it and when; the commit that
//! introduced it; each event's identifying bits against its limit; and how
//! to turn collection off, in the project's words.
//!
//! The introducing commits come from the history (read through its cache):
//! without history the page is neither written nor checked. Only metrics
//! that ship are listed, and a metric ships only once an
//! approval of its committed definition is in the tree, so the page does
//! not change when the commit that carries it lands.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::Output;
use super::rust::Shipped;
use crate::bits::metric_bits;
use crate::config::Page;
use crate::diagnostic::one_line;
use crate::load::Registry;
use crate::model::Proposal;
use crate::resolve::{History, HistoryMode, Provenance};

/// One metric as the page shows it.
struct Metric<'a> {
    p: &'a Proposal,
    bits: f64,
    introduced: String,
}

/// The page's files, when `[page]` is configured.
/// `provenance` is the one the caller resolved, if any; else (or when the
/// caller skipped history) it is read here.
pub fn outputs(
    registry: &Registry,
    proposals: &[&Proposal],
    shipped: &Shipped,
    provenance: Option<&Provenance>,
) -> Vec<Output> {
    let Some(page) = &registry.config.page else {
        return Vec::new();
    };
    // The page names each metric's introducing commit: without history it
    // cannot be written, nor checked (`privet generate` says so).
    let resolved;
    let provenance = match provenance {
        Some(p @ (Provenance::Available(_) | Provenance::Unavailable(_))) => p,
        Some(Provenance::Skipped) | None => {
            resolved = crate::resolve::run(registry, HistoryMode::IfAvailable);
            &resolved.provenance
        }
    };
    let Some(history) = provenance.history() else {
        return Vec::new();
    };
    let history = Some(history);
    let events: Vec<(&str, Vec<Metric>)> = registry
        .config
        .events
        .iter()
        .map(|event| {
            let metrics = proposals
                .iter()
                .filter(|p| shipped.contains(&p.name) && p.events.iter().any(|e| e.value == *event))
                .map(|p| Metric {
                    p,
                    bits: metric_bits(p),
                    introduced: introduced(history, &p.name),
                })
                .collect();
            (event.as_str(), metrics)
        })
        .collect();
    let limit = registry.config.thresholds.max_bits_per_event;
    vec![
        Output {
            path: PathBuf::from(format!("{}.md", page.path)),
            // Hidden characters shown as escapes: readers see what is there.
            contents: crate::text::shown_lines(&markdown(page, &events, limit)).into_owned(),
        },
        Output {
            path: PathBuf::from(format!("{}.html", page.path)),
            contents: crate::text::shown_lines(&html(page, &events, limit)).into_owned(),
        },
    ]
}

fn introduced(history: Option<&History>, name: &str) -> String {
    match history.and_then(|h| h.introduced(name).map(|e| h.commit(e.commit))) {
        Some(c) => format!(
            "{} on {} (\"{}\")",
            crate::diagnostic::head(&c.id, 10),
            c.date(),
            c.subject
        ),
        None => "not known (no history)".into(),
    }
}

fn expires(p: &Proposal) -> String {
    p.expires
        .as_ref()
        .map_or("not set".into(), |e| e.value.to_string())
}

fn approved(p: &Proposal) -> String {
    let Some(a) = &p.approval else {
        return "not approved".into();
    };
    let by: Vec<&str> = a.by.iter().map(|b| b.value.as_str()).collect();
    match &a.date {
        Some(d) => format!("{} on {}", by.join(", "), d.value),
        None => by.join(", "),
    }
}

const INTRO: &str = "Every value below is reduced before it leaves your installation: counts \
to ranges, versions to their major and minor parts, dates to the day or coarser, names to a \
published list. Nothing else is sent. Each metric was proposed in public, answered a privacy \
checklist and was approved by the project's reviewers before any release could collect it.";

const ENVELOPE: &str = "Each payload also carries a random installation id (generated on your \
machine, reset by deleting it, never derived from your hardware or network), the payload's \
schema version and the day it is sent.";

/// What "identifying bits" means, for the people the page is written for.
const BITS: &str = "Identifying bits measure how much a payload could tell installations \
apart: a field with two possible values carries 1 bit, one with 1,024 values 10 bits. About 33 \
bits single out one person among everyone on Earth, so the lower the number, the less a payload \
can say about who sent it.";

fn markdown(page: &Page, events: &[(&str, Vec<Metric>)], limit: u32) -> String {
    let mut out = String::from(
        "<!-- generated by `privet generate` from privet.toml and proposals/; do not edit -->\n\n",
    );
    let _ = writeln!(
        out,
        "# What {} collects\n",
        crate::text::markdown_inline(&page.project)
    );
    let _ = writeln!(out, "{INTRO}\n");
    // privet.toml's words, inert like a proposal's: a change to them
    // arrives in a pull request too.
    let opt_out: Vec<String> = page
        .opt_out
        .split("\n\n")
        .map(crate::text::markdown_inline)
        .filter(|p| !p.is_empty())
        .collect();
    let _ = writeln!(
        out,
        "## How to turn it on or off\n\n{}\n",
        opt_out.join("\n\n")
    );
    for (event, metrics) in events {
        let _ = writeln!(out, "## The `{event}` payload\n");
        if metrics.is_empty() {
            out.push_str("Carries no metric.\n\n");
            continue;
        }
        let total: f64 = metrics.iter().map(|m| m.bits).sum();
        let _ = writeln!(
            out,
            "{ENVELOPE} Its metrics carry at most {total:.1} identifying bits together (the project's limit is {limit}). {BITS}\n"
        );
        for m in metrics {
            let p = m.p;
            let md = crate::text::markdown_inline;
            let _ = writeln!(
                out,
                "### `{}`: {}\n",
                p.name,
                md(p.answer("summary").unwrap_or(""))
            );
            if let Some(q) = p.answer("question") {
                let _ = writeln!(out, "Why: {}\n", md(q));
            }
            out.push_str("| Field | What is sent |\n|---|---|\n");
            for f in &p.fields {
                let Some(ty) = &f.ty else { continue };
                let name = match &f.summary {
                    Some(s) => format!("`{}` ({})", f.name.value, md(&s.value)),
                    None => format!("`{}`", f.name.value),
                };
                let _ = writeln!(
                    out,
                    "| {} | {} |",
                    name.replace('|', "\\|"),
                    ty.value.in_words().replace('|', "\\|")
                );
            }
            let _ = writeln!(
                out,
                "\nCollected since release {} · expires {} · approved by {} · introduced in {} · at most {:.1} identifying bits\n",
                md(p.answer("since").unwrap_or("?")),
                expires(p),
                approved(p),
                md(&m.introduced),
                m.bits
            );
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `s` escaped, with Markdown's `code` spans as `<code>` (as the Markdown
/// page shows them).
fn esc_code(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return esc(s); // an unpaired backtick: text as written
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part)
            }
        })
        .collect()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5;color:#1a1a1a}h1{font-size:1.8rem}h2{margin-top:2.5rem;\
border-bottom:1px solid #ccc}h3{margin-top:1.8rem}table{border-collapse:collapse;width:100%}\
th,td{border:1px solid #ccc;padding:.35rem .6rem;text-align:left;vertical-align:top}\
th{background:#f2f2f2}code{background:#f4f4f4;padding:0 .2rem}.meta{color:#555;font-size:.92rem}\
.optout{background:#eef6ee;border-left:4px solid #3a7d3a;padding:.6rem 1rem}";

fn html(page: &Page, events: &[(&str, Vec<Metric>)], limit: u32) -> String {
    let title = format!("What {} collects", one_line(&page.project));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<!-- generated by `privet generate` from privet.toml and proposals/; do not edit -->\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p>{}</p>",
        esc(&title),
        esc(&title),
        esc(INTRO)
    );
    let _ = writeln!(
        out,
        "<h2 id=\"opt-out\">How to turn it on or off</h2>\n<div class=\"optout\"><p>{}</p></div>",
        esc_code(page.opt_out.trim())
    );
    for (event, metrics) in events {
        let _ = writeln!(
            out,
            "<h2 id=\"event-{0}\">The <code>{0}</code> payload</h2>",
            esc(event)
        );
        if metrics.is_empty() {
            out.push_str("<p>Carries no metric.</p>\n");
            continue;
        }
        let total: f64 = metrics.iter().map(|m| m.bits).sum();
        let _ = writeln!(
            out,
            "<p>{} Its metrics carry at most {total:.1} identifying bits together (the project's limit is {limit}). {}</p>",
            esc(ENVELOPE),
            esc(BITS)
        );
        for m in metrics {
            let p = m.p;
            let _ = writeln!(
                out,
                "<h3 id=\"{event}-{name}\"><code>{name}</code>: {}</h3>",
                esc(&one_line(p.answer("summary").unwrap_or(""))),
                event = esc(event),
                name = esc(&p.name)
            );
            if let Some(q) = p.answer("question") {
                let _ = writeln!(out, "<p>Why: {}</p>", esc(&one_line(q)));
            }
            out.push_str(
                "<table>\n<thead><tr><th>Field</th><th>What is sent</th></tr></thead>\n<tbody>\n",
            );
            for f in &p.fields {
                let Some(ty) = &f.ty else { continue };
                let summary = f.summary.as_ref().map_or(String::new(), |s| {
                    format!(" ({})", esc(&one_line(&s.value)))
                });
                let _ = writeln!(
                    out,
                    "<tr><td><code>{}</code>{summary}</td><td>{}</td></tr>",
                    esc(&f.name.value),
                    esc(&ty.value.in_words())
                );
            }
            out.push_str("</tbody>\n</table>\n");
            let _ = writeln!(
                out,
                "<p class=\"meta\">Collected since release {} · expires {} · approved by {} · introduced in {} · at most {:.1} identifying bits</p>",
                esc(&one_line(p.answer("since").unwrap_or("?"))),
                esc(&expires(p)),
                esc(&approved(p)),
                esc(&m.introduced),
                m.bits
            );
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
