//! Field rules that need the whole declaration.
//! Edge and pattern syntax is checked while loading (`load::proposal`).

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Buckets, Proposal};

use crate::rules::{Rule, Severity};

pub const NO_FIELDS: Rule = Rule {
    id: "no-fields",
    family: "fields",
    severity: Severity::Error,
    summary: "a proposal declares no payload fields",
    what: "A proposal without any `[fields.NAME]` table.",
    why: "A metric carries data; with no fields there is nothing to generate, collect or \
          review.",
    example: "summary = \"Workers\"\n# ... checklist answers ...\n# but no [fields.*] table",
};

pub const TOO_MANY_BUCKETS: Rule = Rule {
    id: "too-many-buckets",
    family: "fields",
    severity: Severity::Error,
    summary: "a bucketed field has more buckets than the threshold",
    what: "A count or duration field with more buckets (including the overflow bucket) \
           than `thresholds.max_buckets` in `privet.toml` (default 64).",
    why: "Every bucket adds identifying resolution. Sixteen buckets (4 bits) are enough \
          for a power-of-two scale up to 16,384 or a 1-2-5 scale up to 50,000; more \
          usually means the field is meant to carry the exact value. Fine buckets at the \
          top end single out the few largest installations.",
    example: "[fields.users]\ntype = \"count\"\npreset = \"pow2\"\nmax = 1073741824   # 32 buckets",
};

pub fn check(p: &Proposal, config: &Config, out: &mut Vec<Diagnostic>) {
    if p.fields.is_empty() {
        out.push(
            Diagnostic::new(
                &NO_FIELDS,
                p.file,
                0..0,
                format!("metric `{}` declares no payload fields", p.name),
            )
            .help("declare each value the metric sends as a [fields.NAME] table with a `type`")
            .metric(&p.name),
        );
    }
    for f in &p.fields {
        let Some(ty) = &f.ty else { continue };
        let buckets = ty.value.buckets();
        if let Some(b) = buckets {
            too_many(p, &f.name.value, b, config.thresholds.max_buckets, out);
        }
    }
}

fn too_many(p: &Proposal, field: &str, b: &Buckets, max: usize, out: &mut Vec<Diagnostic>) {
    let n = b.labels().len();
    if n > max {
        out.push(
            Diagnostic::new(
                &TOO_MANY_BUCKETS,
                p.file,
                b.span.clone(),
                format!("field `{field}` has {n} buckets; the limit is {max}"),
            )
            .label(format!("{n} buckets"))
            .help("use fewer, wider buckets (e.g. a lower `max`, or a coarser preset such as \"pow10\")")
            .metric(&p.name),
        );
    }
}
