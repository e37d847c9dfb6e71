//! `privet review NAME`: the review request for one metric as Markdown,
//! ready to paste into a pull request. A reviewer decides from this page
//! alone: the checklist answers, each field with what it is reported as and
//! its share of the metric's identifying bits, every audit finding about the
//! metric, who introduced it, and what changed since the last approved
//! definition.

use std::fmt::Write as _;

use crate::bits::field_bits;
use crate::diagnostic::{Diagnostic, line_col, one_line};
use crate::fingerprint;
use crate::load::Registry;
use crate::model::{CHECKLIST, Proposal};
use crate::resolve::{History, Provenance};
use crate::shipping::shippable;

/// The review request of `p`, with `findings` (every finding of the run;
/// those about `p` are listed).
/// A `[budget]` override, before anything else on the page: what it asks
/// for against the registry's defaults and ceilings, and why. Approving
/// the metric approves the allowance (it is part of the fingerprint).
fn budget_first(out: &mut String, registry: &Registry, p: &Proposal) {
    let Some(budget) = &p.budget else { return };
    let t = &registry.config.thresholds;
    let c = &registry.config.ceilings;
    let mut asks = Vec::new();
    if let Some(f) = &budget.field_bits {
        asks.push(format!(
            "**{} bits per field** (default {}, ceiling {})",
            f.value, t.max_bits_per_field, c.bits_per_field
        ));
    }
    if let Some(m) = &budget.metric_bits {
        asks.push(format!(
            "**{} bits for the metric** (default {}, ceiling {})",
            m.value, t.max_bits_per_metric, c.bits_per_metric
        ));
    }
    let _ = writeln!(
        out,
        "**Budget override.** This metric asks for more than the registry allows by default: {}. Approving the metric approves this allowance; it is part of the definition's fingerprint.\n",
        if asks.is_empty() {
            "nothing (the table is empty)".to_string()
        } else {
            asks.join(" and ")
        }
    );
    let _ = writeln!(
        out,
        "Reason given: {}\n",
        budget.reason.as_ref().map_or_else(
            || "**none** (an override without a reason grants nothing)".to_string(),
            |r| crate::text::markdown_inline(&r.value)
        )
    );
}

pub fn markdown(
    registry: &Registry,
    provenance: &Provenance,
    findings: &[Diagnostic],
    p: &Proposal,
) -> String {
    let mut out = String::new();
    let path = registry.relative_path(p.file);
    let _ = writeln!(out, "## Metric review: `{}`\n", p.name);
    if let Some(summary) = p.answer("summary") {
        let _ = writeln!(out, "> {}\n", crate::text::markdown_inline(summary));
    }
    budget_first(&mut out, registry, p);
    let status = p.status.as_ref().map_or("(none)", |s| s.value.name());
    let expires = p
        .expires
        .as_ref()
        .map_or("(not set)".to_string(), |e| e.value.to_string());
    let list = |v: &[crate::model::Spanned<String>]| {
        v.iter()
            .map(|s| crate::text::code_span(&s.value))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| File | `{path}` |");
    let _ = writeln!(out, "| Status | {status} |");
    let _ = writeln!(out, "| Owners | {} |", cell(&list(&p.owners)));
    let _ = writeln!(out, "| Events | {} |", cell(&list(&p.events)));
    let _ = writeln!(
        out,
        "| Collected since | {} |",
        crate::text::markdown_inline(p.answer("since").unwrap_or("(not answered)"))
    );
    let _ = writeln!(out, "| Expires | {expires} |");
    let (fingerprint, _) = fingerprint::current(p);
    let _ = writeln!(out, "| Definition fingerprint | `{fingerprint}` |");
    let _ = writeln!(
        out,
        "| Approval | {} |",
        cell(&approval_line(p, &fingerprint, &registry.config))
    );
    let history = provenance.history();
    let introduced = match (history, provenance) {
        (Some(h), _) => match h.introduced(&p.name) {
            Some(e) => crate::text::markdown_inline(&h.commit(e.commit).describe()),
            None => "not committed yet".into(),
        },
        (None, Provenance::Unavailable(why)) => cell(&format!("unknown: {}", why.describe())),
        (None, _) => "unknown (history not read)".into(),
    };
    let _ = writeln!(out, "| Introduced in | {introduced} |");

    out.push_str("\n### Checklist\n\n| Question | Answer |\n|---|---|\n");
    for item in CHECKLIST {
        let answer = if item.key == "example" {
            p.example
                .as_ref()
                .map(|e| crate::text::code_span(&example_json(&e.value).to_string()))
        } else {
            p.answer(item.key).map(crate::text::markdown_inline)
        };
        let _ = writeln!(
            out,
            "| {} | {} |",
            cell(item.question),
            answer.unwrap_or_else(|| "**not answered**".to_string())
        );
    }

    out.push_str("\n### Fields\n\n");
    let bits: Vec<(String, Option<&crate::model::FieldType>, f64)> = p
        .fields
        .iter()
        .map(|f| {
            let ty = f.ty.as_ref().map(|t| &t.value);
            (f.name.value.clone(), ty, ty.map_or(0.0, field_bits))
        })
        .collect();
    let total: f64 = bits.iter().map(|b| b.2).sum();
    let field_max = p
        .budget
        .as_ref()
        .and_then(|b| b.field_bits.as_ref())
        .map_or(registry.config.thresholds.max_bits_per_field, |b| b.value);
    let metric_max = p
        .budget
        .as_ref()
        .and_then(|b| b.metric_bits.as_ref())
        .map_or(registry.config.thresholds.max_bits_per_metric, |b| b.value);
    out.push_str("| Field | Type | What is sent | Bits | Share |\n|---|---|---|---|---|\n");
    for (name, ty, b) in &bits {
        let (kind, words) = match ty {
            Some(t) => (t.name(), t.in_words()),
            None => ("?", "(type not readable: see the findings)".into()),
        };
        let share = if total > 0.0 { b / total * 100.0 } else { 0.0 };
        let _ = writeln!(
            out,
            "| `{name}` | {kind} | {} | {b:.1} | {share:.0}% |",
            crate::text::markdown_inline(&words)
        );
    }
    let _ = writeln!(
        out,
        "\nAt most {total:.1} identifying bits per payload (limits: {field_max} per field, {metric_max} per metric{}).",
        if p.budget.is_some() {
            ", raised by the proposal's `[budget]`"
        } else {
            ""
        }
    );
    if let Some(reason) = p.budget.as_ref().and_then(|b| b.reason.as_ref()) {
        let _ = writeln!(
            out,
            "Budget reason: {}",
            crate::text::markdown_inline(&reason.value)
        );
    }

    out.push_str("\n### Audit findings\n\n");
    let mine: Vec<&Diagnostic> = findings
        .iter()
        .filter(|d| d.file == p.file.into() || d.metric.as_deref() == Some(p.name.as_str()))
        .collect();
    if mine.is_empty() {
        out.push_str("None.\n");
    }
    for d in mine {
        let text = registry.sources.text(&d.file);
        let (line, _) = line_col(text, d.span.start.min(text.len()));
        let at = if text.is_empty() {
            registry.sources.path(&d.file).to_string()
        } else {
            format!("{}:{line}", registry.sources.path(&d.file))
        };
        let _ = writeln!(
            out,
            "- **{}** `{}` ({at}): {}",
            d.severity.as_str(),
            d.rule.id,
            one_line(&d.message)
        );
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  - {}", one_line(help));
        }
    }

    out.push_str("\n### Definition since the last approval\n\n");
    out.push_str(&since_approval(history, p, &fingerprint));
    // Hidden characters shown as escapes: a reviewer reads what is there.
    crate::text::shown_lines(&out).into_owned()
}

/// What changed in the definition since the last approved one.
fn since_approval(history: Option<&History>, p: &Proposal, current: &str) -> String {
    let Some(h) = history else {
        return "Unknown: history was not read.\n".into();
    };
    let approved = h.events(&p.name).iter().rev().find(|e| {
        e.approval.as_ref().is_some_and(|a| {
            !a.by.is_empty() && a.fingerprint.is_some() && a.fingerprint == e.fingerprint
        })
    });
    let Some(e) = approved else {
        return "No definition of this metric was ever approved: the whole definition is new.\n"
            .into();
    };
    let commit = h.commit(e.commit);
    if e.fingerprint.as_deref() == Some(current) {
        return format!(
            "Unchanged: the current definition is the one approved in {}.\n",
            commit.describe()
        );
    }
    let (_, new) = fingerprint::current(p);
    let Some(old) = h.definition(e) else {
        return format!(
            "Changed since the approval in {}, whose definition is not in the history cache.\n",
            commit.describe()
        );
    };
    let mut out = format!(
        "Changed since the approval in {}:\n\n```diff\n",
        commit.describe()
    );
    for line in fingerprint::changes(old, &new) {
        let _ = writeln!(out, "{line}");
    }
    out.push_str("```\n");
    out
}

fn approval_line(p: &Proposal, current: &str, config: &crate::config::Config) -> String {
    let Some(a) = &p.approval else {
        return "none".into();
    };
    let by: Vec<&str> = a.by.iter().map(|b| b.value.as_str()).collect();
    let date = a
        .date
        .as_ref()
        .map_or(String::new(), |d| format!(" on {}", d.value));
    let of = match a.fingerprint.as_ref().map(|f| f.value.as_str()) {
        Some(f) if f == current => "of this definition".to_string(),
        Some(f) => format!(
            "of an earlier definition (`{}`): this one is not approved",
            crate::diagnostic::head(f, 10)
        ),
        None => "of no recorded fingerprint".into(),
    };
    let ships = if shippable(p, config) {
        "; ships"
    } else {
        "; does not ship"
    };
    format!("by {}{date}, {of}{ships}", by.join(", "))
}

/// `s` safe in a Markdown table cell: one line, `|` escaped.
/// Text privet wrote (Markdown already) in a table cell: one line.
fn cell(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}

/// The `[example]` of a proposal as JSON, the way the reviewer should
/// read it: on one line, each value as the file gives it.
fn example_json(entries: &crate::model::Entries) -> serde_json::Value {
    use crate::model::ExampleValue as E;
    fn value(v: &E) -> serde_json::Value {
        match v {
            E::Bool(b) => (*b).into(),
            E::Integer(i) => (*i).into(),
            E::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
            }
            E::String(s) | E::Date(s) | E::DateTime(s) => s.clone().into(),
            E::Array(items) => items.iter().map(|i| value(&i.value)).collect(),
            E::Table(entries) => example_json(entries),
        }
    }
    entries
        .iter()
        .map(|(k, v)| (k.value.clone(), value(&v.value)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}
