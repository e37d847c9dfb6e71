//! Fields that spell one number together: a closed list or a pattern
//! repeated over several fields of one metric, as digits are.

use crate::bits::field_bits;
use crate::diagnostic::Diagnostic;
use crate::model::{Field, FieldType, Proposal};
use crate::rules::{Rule, Severity};

pub const JOINT_ENCODING: Rule = Rule {
    id: "joint-encoding",
    family: "privacy",
    severity: Severity::Error,
    summary: "several fields of one metric repeat one domain, as the digits of a number",
    what: "A metric in which several enum or string fields can send exactly the same \
           values: the same closed list (in any order) or the same pattern, repeated over \
           two fields when it has at least 8 values, or over three when it has at least 4. \
           Each field alone is coarse; side by side they are positions of one number, and \
           together they spell any of the list's size to the power of the number of \
           fields (five fields of ten code words are a five-digit postal code, three \
           two-letter strings of 256 values a 24-bit hash). A map's keys share one value \
           type by design and are not counted here; `metric-information` bounds them.",
    why: "Positional encoding is how a number is smuggled past rules that look at one \
          field at a time: every digit looks like an innocent category, and the metric's \
          bit total stays under its bound. Honest metrics give each field the values of \
          what it measures; two fields that can send exactly the same long list of values \
          are a number written out.",
    example: "[fields.preset_a]\ntype = \"enum\"\nvalues = [\"alfa\", \"bravo\", \"charlie\", \"delta\", \"echo\", \"foxtrot\", \"golf\", \"hotel\", \"india\", \"juliett\"]\n\n[fields.preset_b]\ntype = \"enum\"\nvalues = [\"alfa\", \"bravo\", \"charlie\", \"delta\", \"echo\", \"foxtrot\", \"golf\", \"hotel\", \"india\", \"juliett\"]",
};

/// Values a domain must hold for two fields repeating it to be digits.
const PAIR_VALUES: f64 = 8.0;
/// Values a domain must hold for three fields repeating it to be digits.
const TRIPLE_VALUES: f64 = 4.0;

/// What two fields must share to repeat one domain: an enum's values as a
/// set, or a string's pattern as written.
fn domain_key(field: &Field) -> Option<String> {
    match &field.ty.as_ref()?.value {
        FieldType::Enum { values } => {
            let mut v: Vec<&str> = values.iter().map(|x| x.value.as_str()).collect();
            v.sort_unstable();
            Some(format!("enum\u{0}{}", v.join("\u{0}")))
        }
        FieldType::String { pattern, .. } => Some(format!("string\u{0}{}", pattern.value)),
        _ => None,
    }
}

pub fn check(p: &Proposal, out: &mut Vec<Diagnostic>) {
    let mut groups: Vec<(String, Vec<&Field>)> = Vec::new();
    for f in &p.fields {
        let Some(key) = domain_key(f) else { continue };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, fields)) => fields.push(f),
            None => groups.push((key, vec![f])),
        }
    }
    for (_, fields) in groups {
        let Some(ty) = fields[0].ty.as_ref() else {
            continue;
        };
        // Values one field can send (`other` and the empty string count).
        let values = field_bits(&ty.value).exp2();
        let digits = fields.len();
        let repeated = (digits >= 2 && values >= PAIR_VALUES - 1e-9)
            || (digits >= 3 && values >= TRIPLE_VALUES - 1e-9);
        if !repeated {
            continue;
        }
        let names: Vec<String> = fields
            .iter()
            .map(|f| format!("`{}`", f.name.value))
            .collect();
        let combined = values.powi(i32::try_from(digits).unwrap_or(i32::MAX));
        out.push(
            Diagnostic::new(
                &JOINT_ENCODING,
                p.file,
                fields[1].name.span.clone(),
                format!(
                    "{digits} fields send the same {} values ({}): side by side they are the digits of one number, any of {} combinations (an exact value: a code, a count, a place)",
                    values.round(),
                    names.join(", "),
                    if combined < 1e9 {
                        format!("{}", combined.round())
                    } else {
                        format!("about {combined:.1e}")
                    }
                ),
            )
            .label("repeats an earlier field's values")
            .help("give each field the values of what it measures; one quantity is one field, a count with buckets or an enum of the cases that matter")
            .metric(&p.name),
        );
    }
}
