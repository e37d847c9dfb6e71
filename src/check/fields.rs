//! Field rules that need the whole declaration (declared in `rules/fields.rs`).
//! Edge and pattern syntax is checked while loading (`load::proposal`).

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Buckets, Proposal};
use crate::rules::fields::{NO_FIELDS, TOO_MANY_BUCKETS};

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
