//! `privet new NAME`: a proposal with every checklist question as a prompt.

use std::fmt::Write as _;

use crate::date::Date;
use crate::model::CHECKLIST;

/// What the scaffold is filled in with.
pub struct Scaffold<'a> {
    pub name: &'a str,
    pub owners: &'a [String],
    pub events: &'a [String],
    /// Expiry date written into the scaffold.
    pub expires: Date,
    /// The `#:schema` line that points editors at the proposal schema.
    pub schema: Option<String>,
}

/// The text of a new proposal. It parses, and `privet check` reports exactly
/// its unanswered checklist questions.
pub fn render(s: &Scaffold) -> String {
    let list = |items: &[String]| {
        items
            .iter()
            .map(|i| format!("{i:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::new();
    if let Some(line) = &s.schema {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "# Metric proposal: {}", s.name);
    out.push_str(
        "#\n\
         # Every question below is part of the privacy review: answer each in your own\n\
         # words (\"TBD\" or \"n/a\" do not count). `privet check` lists the ones still\n\
         # open; `privet explain RULE` explains any finding. Format: README.md.\n\n",
    );
    for item in CHECKLIST.iter().filter(|c| c.key == "summary") {
        let _ = writeln!(
            out,
            "# {}\n# {}\n{} = \"\"\n",
            item.question, item.hint, item.key
        );
    }
    let _ = writeln!(
        out,
        "# Who answers for this metric.\nowners = [{}]",
        list(s.owners)
    );
    let _ = writeln!(
        out,
        "# Which payloads carry it (see `events` in privet.toml).\nevents = [{}]",
        list(s.events)
    );
    let _ = writeln!(
        out,
        "# When collection stops unless renewed: a date, or \"never\".\nexpires = {}",
        s.expires
    );
    out.push_str("# proposed | approved | rejected | retired. Reviewers approve with `privet approve`.\nstatus = \"proposed\"\n\n");
    for item in CHECKLIST
        .iter()
        .filter(|c| c.key != "summary" && c.key != "example")
    {
        let _ = writeln!(
            out,
            "# {}\n# {}\n{} = \"\"\n",
            item.question, item.hint, item.key
        );
    }
    out.push_str(
        "# Payload fields, in the low-resolution type system. Replace this one.\n\
         # bool; enum (values); set (values); count (buckets, or preset + max);\n\
         # version (resolution: major | minor); date (resolution: day | week | month);\n\
         # duration (unit + buckets); map (keys + value); string (pattern + max_len,\n\
         # a last resort).\n\
         [fields.enabled]\n\
         type = \"bool\"\n\n",
    );
    let ex = CHECKLIST
        .iter()
        .find(|c| c.key == "example")
        .expect("example is a checklist item");
    let _ = writeln!(out, "# {}\n# {}\n[example]", ex.question, ex.hint);
    out
}
