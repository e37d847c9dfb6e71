//! Fields that spell one number together: a closed list or a pattern
//! repeated over several fields of one metric, as digits are.

use crate::bits::field_bits;
use crate::diagnostic::Diagnostic;
use crate::load::Registry;
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
           A finite pattern is compared by the strings it admits (`[A-Z]`, `[A-Z]{1}` and \
           `(?:[A-Z])` are one domain). Digits need not be written alike: three or more \
           fields of one base (the same number of values, at least 4, each list its own \
           words or alphabet) that together can send 2^16 combinations or more are flagged \
           too (five fields of ten different words each; two-letter codes in three \
           16-letter alphabets), and so are three or more enums whose lists are cut from \
           one list (each of the widest list's values, at least three quarters of them: \
           `a`-`z`, `a`-`y`, `a`-`x`) when together they can send 2^16 combinations, and \
           three or more counts whose every bucket is one value wide (`0, 1, 2, 3+`; 0 to 7 \
           under a bound of 7; a map of such counts holds one per key) when together they \
           reach 2^16, whatever their bases. The \
           same list or pattern of 8 values or more dealt over \
           fields of several metrics sent in one event is read the same way when together \
           they spell 2^16 combinations: they arrive in one payload. \
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

/// Most strings a finite pattern is listed as, to compare its domain with
/// another field's values.
const LISTED: usize = 4096;

/// What two fields must share to repeat one domain: the values they can
/// send, as a set (an enum's values, or every string a finite pattern
/// admits: `[A-Z]`, `[A-Z]{1}` and `(?:[A-Z])` are one domain), or, for a
/// pattern too large to list, the pattern as written.
fn domain_key(field: &Field) -> Option<String> {
    match &field.ty.as_ref()?.value {
        FieldType::Enum { values } => {
            let mut v: Vec<&str> = values.iter().map(|x| x.value.as_str()).collect();
            v.sort_unstable();
            v.dedup();
            Some(format!("values\u{0}{}", v.join("\u{0}")))
        }
        FieldType::String {
            pattern,
            automaton,
            max_len,
        } => Some(match automaton.strings(*max_len, LISTED) {
            Some(v) => format!("values\u{0}{}", v.join("\u{0}")),
            None => format!("pattern\u{0}{}", pattern.value),
        }),
        _ => None,
    }
}

/// Fewest bits fields of one base must carry together to be read as the
/// digits of one number when their values differ (`2^16`: one in 65,536).
const SAME_BASE_BITS: f64 = 16.0;

/// `items` grouped by their field's domain ([`domain_key`]), groups in
/// the order first seen; fields without one are left out. Looked up by
/// hash: a registry read whole has many domains.
fn by_domain<'a, T>(items: impl IntoIterator<Item = (T, &'a Field)>) -> Vec<Vec<T>> {
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut groups: Vec<Vec<T>> = Vec::new();
    for (item, f) in items {
        let Some(key) = domain_key(f) else { continue };
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(item);
    }
    groups
}

pub fn check(p: &Proposal, out: &mut Vec<Diagnostic>) {
    let groups = by_domain(p.fields.iter().map(|f| (f, f)));
    let mut reported: Vec<&str> = Vec::new();
    for fields in &groups {
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
        reported.extend(fields.iter().map(|f| f.name.value.as_str()));
        report(p, fields, values, SAME, out);
    }
    // Digits need not be written alike: fields of one base (the same
    // number of values, each list its own words or alphabet) are digits
    // too, when together they single out one in 2^16.
    let mut bases: Vec<(u64, Vec<&Field>)> = Vec::new();
    for fields in &groups {
        let f = fields[0];
        if reported.contains(&f.name.value.as_str()) {
            continue;
        }
        let Some(ty) = f.ty.as_ref() else { continue };
        let values = field_bits(&ty.value).exp2().round() as u64;
        for f in fields {
            match bases.iter_mut().find(|(v, _)| *v == values) {
                Some((_, fs)) => fs.push(f),
                None => bases.push((values, vec![f])),
            }
        }
    }
    for (values, fields) in bases {
        let digits = fields.len();
        if values >= 4 && digits >= 3 && (values as f64).log2() * digits as f64 >= SAME_BASE_BITS {
            reported.extend(fields.iter().map(|f| f.name.value.as_str()));
            report(p, &fields, values as f64, "each send one of", out);
        }
    }
    // Counts whose every bucket is one value wide (`0, 1, 2, 3+`, or 0 to
    // 7 under a bound of 7) are digits whatever their bases: three or more
    // side by side that together single out one in 2^16 spell a number in
    // mixed radix, as no count of distinct things needs to be exact at
    // every value.
    // A map whose values are such counts holds one digit per key.
    let exact_count = |ty: &FieldType| match ty {
        FieldType::Count { buckets } => {
            buckets.edges.len() >= 4 && buckets.edges.windows(2).all(|w| w[1] == w[0] + 1)
        }
        _ => false,
    };
    let exact: Vec<(&Field, usize)> = p
        .fields
        .iter()
        .filter(|f| !reported.contains(&f.name.value.as_str()))
        .filter_map(|f| match &f.ty.as_ref()?.value {
            FieldType::Map { keys, value } if exact_count(value) => Some((f, keys.len())),
            ty if exact_count(ty) => Some((f, 1)),
            _ => None,
        })
        .collect();
    let digits: usize = exact.iter().map(|e| e.1).sum();
    let fields: Vec<&Field> = exact.iter().map(|e| e.0).collect();
    if mixed_radix(p, &fields, digits, "are exact at every value, about", out) {
        reported.extend(fields.iter().map(|f| f.name.value.as_str()));
    }
    // Nor drawn whole: lists cut from one list (`a`-`z`, `a`-`y`, `a`-`x`:
    // each drops a value or two so that no two are alike or of one size)
    // are the digits of a mixed-radix number.
    let lists: Vec<(&Field, Vec<&str>)> = p
        .fields
        .iter()
        .filter(|f| !reported.contains(&f.name.value.as_str()))
        .filter_map(|f| match &f.ty.as_ref()?.value {
            FieldType::Enum { values } if values.len() >= 4 => {
                Some((f, values.iter().map(|v| v.value.as_str()).collect()))
            }
            _ => None,
        })
        .collect();
    if let Some(widest) = lists.iter().max_by_key(|(_, v)| v.len()) {
        let cut: Vec<&Field> = lists
            .iter()
            .filter(|(_, v)| {
                v.len() * 4 >= widest.1.len() * 3 && v.iter().all(|x| widest.1.contains(x))
            })
            .map(|(f, _)| *f)
            .collect();
        mixed_radix(
            p,
            &cut,
            cut.len(),
            "each send one of a list cut from one list, about",
            out,
        );
    }
}

/// Reports `fields`, holding `digits` digits of different bases, when
/// there are three or more and together they single out one in 2^16;
/// whether it did. The values shown are the bases' geometric mean, whose
/// power is the combinations together.
fn mixed_radix(
    p: &Proposal,
    fields: &[&Field],
    digits: usize,
    how: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let bits: f64 = fields
        .iter()
        .filter_map(|f| Some(field_bits(&f.ty.as_ref()?.value)))
        .sum();
    let spells = digits >= 3 && bits >= SAME_BASE_BITS;
    if spells {
        report_digits(p, fields, digits, (bits / digits as f64).exp2(), how, out);
    }
    spells
}

/// Digits dealt over several metrics of one payload: the same closed list
/// or finite pattern in fields of different metrics sent in one event
/// (one 16-value list in five metrics is five hex digits of one id). A
/// field about the installation's surroundings is the
/// `quasi-identifiers` rule's to count, and a metric whose own fields
/// already repeat a domain is reported on its own.
pub fn check_across(registry: &Registry, out: &mut Vec<Diagnostic>) {
    for event in &registry.config.events {
        let metrics: Vec<&Proposal> = registry
            .proposals
            .iter()
            .filter(|p| p.is_live() && p.events.iter().any(|e| e.value == *event))
            .collect();
        if metrics.len() < 2 {
            continue;
        }
        let groups = by_domain(metrics.iter().flat_map(|p| {
            p.fields
                .iter()
                .filter(|f| super::quasi::surroundings(f).is_none())
                .map(move |f| ((*p, f), f))
        }));
        for members in groups {
            if members.len() < 2 {
                continue;
            }
            let Some(ty) = members[0].1.ty.as_ref() else {
                continue;
            };
            let values = field_bits(&ty.value).exp2();
            let repeated = |digits: usize| {
                (digits >= 2 && values >= PAIR_VALUES - 1e-9)
                    || (digits >= 3 && values >= TRIPLE_VALUES - 1e-9)
            };
            // Over metrics, a short list repeated is often honest (each
            // component's `ok`/`degraded`/`failed`): digits need a long
            // list and 2^16 combinations together.
            let spells = values >= PAIR_VALUES - 1e-9
                && values.log2() * members.len() as f64 >= SAME_BASE_BITS;
            let mut names: Vec<&str> = members.iter().map(|(p, _)| p.name.as_str()).collect();
            names.sort_unstable();
            let alone = names
                .chunk_by(|a, b| a == b)
                .any(|same| repeated(same.len()));
            names.dedup();
            if names.len() < 2 || alone || !spells {
                continue;
            }
            let fields = crate::text::first_few(
                members
                    .iter()
                    .map(|(p, f)| format!("`{}.{}`", p.name, f.name.value)),
                6,
            );
            for name in &names {
                let (p, f) = members
                    .iter()
                    .find(|(p, _)| p.name == *name)
                    .expect("a metric of the group has a field in it");
                out.push(
                    Diagnostic::new(
                        &JOINT_ENCODING,
                        p.file,
                        f.name.span.clone(),
                        format!(
                            "{} fields of {} metrics sent in `{event}` send the same {} values ({}): side by side in one payload they are the digits of one number, any of {} combinations (an exact value: a code, a count, a place)",
                            members.len(),
                            names.len(),
                            values.round(),
                            fields,
                            combinations(values, members.len())
                        ),
                    )
                    .label("a digit dealt to this metric")
                    .help("give each field the values of what it measures; the metrics of one payload arrive together, so a list repeated over them spells a number")
                    .metric(&p.name),
                );
            }
        }
    }
}

const SAME: &str = "send the same";

/// How many numbers `digits` fields of `values` values each spell, for a
/// message.
fn combinations(values: f64, digits: usize) -> String {
    let combined = values.powi(i32::try_from(digits).unwrap_or(i32::MAX));
    if combined < 1e9 {
        format!("{}", combined.round())
    } else {
        format!("about {combined:.1e}")
    }
}

fn report(p: &Proposal, fields: &[&Field], values: f64, how: &str, out: &mut Vec<Diagnostic>) {
    report_digits(p, fields, fields.len(), values, how, out);
}

/// [`report`] for `digits` digits held by `fields` (a map holds one per
/// key).
fn report_digits(
    p: &Proposal,
    fields: &[&Field],
    digits: usize,
    values: f64,
    how: &str,
    out: &mut Vec<Diagnostic>,
) {
    let names: Vec<String> = fields
        .iter()
        .map(|f| format!("`{}`", f.name.value))
        .collect();
    out.push(
        Diagnostic::new(
            &JOINT_ENCODING,
            p.file,
            fields.get(1).unwrap_or(&fields[0]).name.span.clone(),
            format!(
                "{digits} {} {how} {} values ({}): side by side they are the digits of one number, any of {} combinations (an exact value: a code, a count, a place)",
                if digits == fields.len() { "fields" } else { "fields or map keys" },
                values.round(),
                names.join(", "),
                combinations(values, digits)
            ),
        )
        .label(if how == SAME {
            "repeats an earlier field's values"
        } else {
            "one digit of a number the fields spell together"
        })
        .help("give each field the values of what it measures; one quantity is one field, a count with buckets or an enum of the cases that matter")
        .metric(&p.name),
    );
}

#[cfg(test)]
mod tests {
    use crate::load::from_texts;

    fn findings(fields: &str) -> Vec<String> {
        let text = format!(
            "summary = \"s\"\nowners = [\"o\"]\nevents = [\"heartbeat\"]\nexpires = 2030-01-01\nstatus = \"proposed\"\n{fields}"
        );
        let registry = from_texts(None, &[("proposals/m.toml", &text)]);
        let mut out = Vec::new();
        for p in &registry.proposals {
            super::check(p, &mut out);
        }
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn patterns_are_compared_by_what_they_admit() {
        let found = findings(
            "[fields.a]\ntype = \"string\"\npattern = \"[A-Z]\"\nmax_len = 1\n[fields.b]\ntype = \"string\"\npattern = \"[A-Z]{1}\"\nmax_len = 1\n[fields.c]\ntype = \"string\"\npattern = \"(?:[A-Z])\"\nmax_len = 1\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("3 fields send the same 26 values"));
    }

    #[test]
    fn counts_exact_at_every_value_are_digits() {
        let counts: String = [
            ("a", 4),
            ("b", 5),
            ("c", 6),
            ("d", 7),
            ("e", 8),
            ("f", 8),
            ("g", 8),
        ]
        .iter()
        .map(|(w, n)| {
            let edges: Vec<String> = (0..*n).map(|i: u32| i.to_string()).collect();
            format!(
                "[fields.{w}]\ntype = \"count\"\nbuckets = [{}]\n",
                edges.join(", ")
            )
        })
        .collect();
        let found = findings(&counts);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("7 fields are exact at every value"));
        // A map of such counts holds one per key.
        let keys: Vec<String> = (0..10).map(|i| format!("\"page{i}\"")).collect();
        let map = format!(
            "[fields.pages]\ntype = \"map\"\nkeys = [{}]\nvalue = {{ type = \"count\", buckets = [0, 1, 2, 3] }}\n",
            keys.join(", ")
        );
        let found = findings(&map);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("10 fields or map keys are exact"));
        // Two replica counts of 1, 2, 3 or more are no number.
        let two = "[fields.web]\ntype = \"count\"\nbuckets = [0, 1, 2, 3]\n[fields.db]\ntype = \"count\"\nbuckets = [0, 1, 2, 3]\n";
        assert!(findings(two).is_empty());
    }

    #[test]
    fn lists_cut_from_one_list_are_digits_of_mixed_radix() {
        let letters = |n: u8| {
            (0..n)
                .map(|i| format!("\"{}\"", (b'a' + i) as char))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let fields: String = [("p", 26), ("q", 25), ("r", 24), ("s", 23)]
            .iter()
            .map(|(w, n)| {
                format!(
                    "[fields.{w}]\ntype = \"enum\"\nvalues = [{}]\n",
                    letters(*n)
                )
            })
            .collect();
        let found = findings(&fields);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("4 fields each send one of a list cut from one list"));
        // A default among the supported formats is no digit.
        let formats = "[fields.input]\ntype = \"enum\"\nvalues = [\"png\", \"jpg\", \"webp\", \"gif\", \"tiff\"]\n[fields.output]\ntype = \"enum\"\nvalues = [\"png\", \"jpg\", \"webp\", \"gif\"]\n";
        assert!(findings(formats).is_empty());
    }

    #[test]
    fn digits_of_one_base_need_not_share_their_words() {
        let list = |w: &str| {
            (0..10)
                .map(|i| format!("\"{w}{}\"", (b'a' + i) as char))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let fields: String = ["x", "y", "z", "w", "v"]
            .iter()
            .map(|w| format!("[fields.{w}]\ntype = \"enum\"\nvalues = [{}]\n", list(w)))
            .collect();
        let found = findings(&fields);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("5 fields each send one of 11 values"));
        // Three lists of four words are not 2^16 combinations.
        let few: String = ["x", "y", "z"]
            .iter()
            .map(|w| {
                format!("[fields.{w}]\ntype = \"enum\"\nvalues = [\"{w}1\", \"{w}2\", \"{w}3\"]\n")
            })
            .collect();
        assert!(findings(&few).is_empty());
    }
}
