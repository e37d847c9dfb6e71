//! Personal data in a proposal: a field named for it, a string pattern
//! that admits it, a value of a finite domain that is it, or an example
//! that holds it.

use crate::diagnostic::Diagnostic;
use crate::model::{ExampleValue, FieldType, Proposal, Spanned};
use crate::pii;
use crate::rules::{Rule, Severity};

pub const PII_IN_EXAMPLE: Rule = Rule {
    id: "pii-in-example",
    family: "privacy",
    severity: Severity::Error,
    summary: "the example holds personal or identifying data",
    what: "A value in `[example]` that the PII detectors (the engine behind `privet scan`) \
           recognise: an email, IP address, host name, MAC address, path with a user name, \
           URL with credentials, phone, card or IBAN number, secret, coordinates, a time to \
           the second, or a persistent id. Each value is judged with its field name as \
           context.",
    why: "The example is copied into reviews, docs and tests. Personal data in it is a leak \
          of its own, and usually shows that the field was meant to carry such data.",
    example: "[example]\nhost = \"db01.corp.example.com\"",
};

pub const PII_FIELD_NAME: Rule = Rule {
    id: "pii-field-name",
    family: "privacy",
    severity: Severity::Error,
    summary: "a field name suggests personal data",
    what: "A field whose name has a word that suggests personal or identifying data \
           (`host`, `hostname`, `email`, `mail`, `ip`, `mac`, `serial`, `path`, `user`, \
           `username`, `login`, `phone`, `address`, `token`, `password`, `secret`, `uuid`, \
           `guid`, `location`, `lat`, `lon`), or an enum, set or map whose values or keys \
           are parties by its name: people by their role or the organisations an \
           installation serves (the last word of an enum's or a set's name, the word after \
           a map's `by` or `per`: `default_approver`, `escalation_owner`, \
           `promotions_by_approver`, `devices_per_tenant`, `pending_jobs_by_lab`). A \
           `string` field with such a name is always \
           reported; an enum, set, map, version or date is accepted once its `reason` says \
           why it is safe. A bool, a bucketed count and a bucketed duration are not \
           reported: they say whether or how many, never which (`active_users` counts \
           accounts, `ip_anonymised` is a setting), and what their buckets can tell apart \
           is bounded by `fine-buckets` and `field-information`.",
    why: "Names say what a field is for. `hostname = \"db01\"` is a host and an enum of \
          `user` values names people: such fields need a reviewer's explicit attention. A \
          magnitude cannot carry a name or an address, so its name alone is not a finding.",
    example: "[fields.hostname]\ntype = \"string\"\npattern = '[a-z0-9-]{1,63}'\nmax_len = 63",
};

pub const PII_IN_DOMAIN: Rule = Rule {
    id: "pii-in-domain",
    family: "privacy",
    severity: Severity::Error,
    summary: "a value the field can send is personal or identifying data",
    what: "A value of a field's declared domain that the PII engine reports under the field's \
           name: an enum value, set item or map key. These finite domains are enumerated \
           exhaustively, every value scanned as it would be sent. (Bucket labels are ranges of \
           numbers by construction and are not scanned; string patterns are decided by \
           `pattern-admits-pii`.) A bare registrable domain (`gmail.com`, `t-online.de`: a \
           name under a suffix the public-suffix list delegates, with no machine's label \
           below it) names a service or an organisation, not a host, and is not reported, \
           here or in the example. A list is also reported as a whole when it is a list \
           of organisations: three of its values or more are a name and the kind of \
           organisation it is (`initech_bank`, `stadtwerke_kiel`, `praxis_nowak`, \
           `acme_corp`, `aachen_university`: a legal form, a trade, an institution). A list \
           is also reported as a whole when it is a list \
           of people: at least three of its values, and two thirds of them, are given \
           names or logins made of names (`anna`, `jschmidt`, `anna.schmidt`; recognised \
           from lists of given names and surnames, so that `max` alone or a month named \
           `may` does not count), once a prefix or suffix every value shares is set \
           aside (`desk_anna`, `desk_jonas`); or, whatever their share, three logins of \
           an initial and a surname whose first two letters start no English word \
           (`mkowalski`, `tjansen`) or whose surname has six letters or more \
           (`akowalski`), or surnames written in another script (`Иванов`, \
           read romanised). A finite pattern (`(team|anna|jonas)`, up \
           to 256 strings) is such a list too, judged by the strings it admits. A list is \
           also reported when three in four of its values (four at least) are \
           machine-made codes: a word of five characters or more, letters and digits, \
           either hex in one case (`tpl-da5600`) or changing between letters and digits \
           at least twice (`u33dc0`, a geohash cell), where a product's name changes at \
           most once (`arm64`, `h264`, `1080p`); or, in a list of 16 values or more, \
           words of five letters or more made to one pattern of consonants and vowels \
           (`nuzon`, `pugev`: a code spelling out bits, where a language's words vary), \
           or values of three characters or more written to one shape of letters and \
           digits, both present (`8fcg`, `9c3x`: grid cells and hash prefixes keep one \
           length and shape, products' names vary). \
           Four numbers joined by `_`, `-`, a space or a comma (`75_75_75_75`) are read \
           as the IPv4 address they spell.",
    why: "An allow-list is only as safe as what is on it: a \"closed list\" of site host names \
          or admin emails sends exactly what it lists.",
    example: "[fields.mirror]\ntype = \"enum\"\nvalues = [\"mirror.corp.example.com\", \"cdn\"]",
};

pub const PATTERN_ADMITS_PII: Rule = Rule {
    id: "pattern-admits-pii",
    family: "privacy",
    severity: Severity::Error,
    summary: "a string field's pattern admits personal data",
    what: "A `string` field whose pattern (within `max_len`) admits a value the PII engine \
           reports under the field's name. Decided by intersecting the pattern's automaton \
           with each detector's automaton, breadth-first over printable ASCII, and judging \
           the candidates with the detectors' validators (the public-suffix list, IPv4 octets, MAC \
           shape, Luhn, IBAN mod 97). The finding shows the witness of the most specific \
           class the pattern admits (an email before the host in it, a card number before \
           a phone number), the shortest of that class. Where it is not exact: the search \
           keeps at most three strings per pair of automaton states (the validators tell \
           siblings apart; Luhn sums are part of the state, so checksum-valid card numbers \
           are found, but IBAN checksums are not, so a pattern that admits only rare \
           valid IBANs can be missed); detectors whose automaton is too large use a looser \
           one; personal names and detectors outside the automaton (machine names found \
           from `-`, numbered machines) are not searched. A search that hits its bound is \
           `analysis-limit`, never a pass.",
    why: "A pattern is the only bound on a string field. If it admits a host name or an \
          email, some client will eventually send one.",
    example: "[fields.server]\ntype = \"string\"\npattern = '[a-z0-9.]+'\nmax_len = 64",
};

pub const ANALYSIS_LIMIT: Rule = Rule {
    id: "analysis-limit",
    family: "privacy",
    severity: Severity::Error,
    summary: "a pattern is too complex to be proven free of personal data",
    what: "A `string` field whose pattern's search for personal data (see \
           `pattern-admits-pii`) hit its bound (200,000 product states or 5,000 judged \
           candidates per detector) before it could decide, for a detector that found \
           nothing up to there. The finding names the detectors left undecided.",
    why: "The analysis is bounded so that no proposal can make the audit hang; a pattern it \
          cannot decide is not known to be safe, so it does not pass. Simpler patterns \
          (fewer alternatives, shorter repetitions, a smaller `max_len`) are decided.",
    example: "[fields.code]\ntype = \"string\"\npattern = '([a-z0-9]{1,8}[.:@/-]){1,30}'\nmax_len = 255",
};

/// Nouns for the parties a list can name: people by their role, and the
/// organisations an installation serves or belongs to.
const PARTIES: &[&str] = &[
    "approver",
    "reviewer",
    "assignee",
    "author",
    "committer",
    "maintainer",
    "owner",
    "member",
    "admin",
    "administrator",
    "operator",
    "player",
    "student",
    "teacher",
    "employee",
    "staff",
    "contributor",
    "subscriber",
    "customer",
    "tenant",
    "organisation",
    "organization",
    "org",
    "company",
    "employer",
    "lab",
    "person",
    "requester",
    "submitter",
    "uploader",
    "sender",
    "recipient",
    "patient",
    "volunteer",
    "agent",
    "partner",
];

/// The party an enum's, a set's or a map's values name, by the field's
/// name: the noun its values or keys are, the last word of an enum's or a
/// set's name (`default_approver`, `escalation_owner`) or the word after a
/// map's `by` or `per` (`promotions_by_approver`, `devices_per_tenant`),
/// singular or plural. A map keyed by something else (`accounts_by_protocol`)
/// names no party.
fn party<'a>(name: &'a str, ty: &FieldType) -> Option<&'a str> {
    let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
    let noun = match ty {
        FieldType::Enum { .. } | FieldType::Set { .. } => *words.last()?,
        FieldType::Map { .. } => {
            let at = words
                .iter()
                .rposition(|w| matches!(*w, "by" | "per" | "each"))?;
            *words.get(at + 1)?
        }
        _ => return None,
    };
    let singular = noun
        .strip_suffix("ies")
        .map(|s| format!("{s}y"))
        .or_else(|| noun.strip_suffix('s').map(str::to_string))
        .unwrap_or_else(|| noun.to_string());
    (PARTIES.contains(&noun) || PARTIES.contains(&singular.as_str())).then_some(noun)
}

/// Words in a field name that suggest personal or identifying data.
const PII_WORDS: &[&str] = &[
    "host",
    "hostname",
    "hostnames",
    "email",
    "emails",
    "mail",
    "ip",
    "ips",
    "mac",
    "serial",
    "path",
    "user",
    "users",
    "username",
    "login",
    "phone",
    "address",
    "addr",
    "token",
    "password",
    "secret",
    "uuid",
    "guid",
    "location",
    "lat",
    "lon",
];

pub fn check(p: &Proposal, settings: &pii::Settings, out: &mut Vec<Diagnostic>) {
    // The string patterns' analyses (the costly part, bounded per pattern)
    // on all cores first; the loop below then reads them from the memo.
    let strings: Vec<_> = p
        .fields
        .iter()
        .filter_map(|f| match &f.ty.as_ref()?.value {
            FieldType::String {
                pattern,
                max_len,
                automaton,
            } => Some((pattern, *max_len, automaton, &f.name.value)),
            _ => None,
        })
        .collect();
    if strings.len() > 1 {
        crate::parallel::par_map(&strings, |(pattern, max_len, automaton, name)| {
            let bytes = (*max_len as usize).saturating_mul(4).min(256);
            pii::witness::analyse_pattern(&pattern.value, automaton, bytes, name)
        });
    }
    for f in &p.fields {
        let Some(ty) = &f.ty else { continue };
        // A magnitude says how many, never which: its resolution is judged
        // by `fine-buckets` and `field-information`, not by its name.
        let magnitude = matches!(
            ty.value,
            FieldType::Bool | FieldType::Count { .. } | FieldType::Duration { .. }
        );
        let named = f
            .name
            .value
            .split('_')
            .find(|w| PII_WORDS.contains(w))
            .map(|w| (w, false))
            .or_else(|| party(&f.name.value, &ty.value).map(|w| (w, true)));
        if let Some((word, is_party)) = named.filter(|_| !magnitude) {
            let is_string = matches!(ty.value, FieldType::String { .. });
            if is_string || f.reason.is_none() {
                let help = if is_string {
                    "a free-form string cannot be made safe by a reason: use a bucketed type, an enum or a set".to_string()
                } else {
                    format!(
                        "if the type makes it safe, say why in `reason` (e.g. reason = \"a bucketed count, no {word} is named\"); otherwise rename or drop it"
                    )
                };
                out.push(
                    Diagnostic::new(
                        &PII_FIELD_NAME,
                        p.file,
                        f.name.span.clone(),
                        if is_party {
                            format!(
                                "field `{}` lists parties by its name (`{word}`): each value it can send names one person or organisation, who uses or runs the installation",
                                f.name.value
                            )
                        } else {
                            format!(
                                "field `{}` is named for personal data (`{word}`)",
                                f.name.value
                            )
                        },
                    )
                    .help(help)
                    .metric(&p.name),
                );
            }
        }
        if let FieldType::String {
            pattern,
            max_len,
            automaton,
        } = &ty.value
        {
            let bytes = (*max_len as usize).saturating_mul(4).min(256);
            let analysis =
                pii::witness::analyse_pattern(&pattern.value, automaton, bytes, &f.name.value);
            if analysis.witnesses.is_empty() && !analysis.undecided.is_empty() {
                let kinds: Vec<&str> = analysis.undecided.iter().map(|k| k.as_str()).collect();
                out.push(
                    Diagnostic::new(
                        &ANALYSIS_LIMIT,
                        p.file,
                        pattern.span.clone(),
                        format!(
                            "the pattern of `{}` is too complex to prove it admits no {}",
                            f.name.value,
                            kinds.join(", ")
                        ),
                    )
                    .label("undecided")
                    .help("simplify the pattern (fewer alternatives, shorter repetitions) or lower max_len; or use an enum")
                    .metric(&p.name),
                );
            }
            if let Some(w) = analysis.witnesses.first() {
                out.push(
                        Diagnostic::new(
                            &PATTERN_ADMITS_PII,
                            p.file,
                            pattern.span.clone(),
                            format!(
                                "pattern `{}` admits `{}`, which is {}",
                                pattern.value,
                                w.text,
                                article(w.kind)
                            ),
                        )
                        .label(format!("admits {}", w.kind.as_str()))
                        .help("narrow the pattern (no dots, @, colons or long runs where none belong), or use an enum")
                        .metric(&p.name),
                    );
            }
        }
    }
    for f in &p.fields {
        if let Some(ty) = &f.ty {
            domain(p, &f.name.value, &ty.value, settings, out);
        }
    }
    example(p, settings, out);
}

/// Whether a finding of `kind` on the whole of `value` is a bare
/// registrable domain (`gmail.com`, `t-online.de`), which names a service
/// or an organisation, not a machine.
fn names_a_service(kind: pii::Kind, value: &str) -> bool {
    kind == pii::Kind::Hostname && pii::registrable_domain_only(value.trim())
}

/// Scans every value a field's finite domain holds, as sent.
fn domain(
    p: &Proposal,
    field: &str,
    ty: &FieldType,
    settings: &pii::Settings,
    out: &mut Vec<Diagnostic>,
) {
    let mut report = |value: &str, span: std::ops::Range<usize>, what: &str| {
        // An address in another notation (`75_75_75_75`, an enum value's
        // spelling of 75.75.75.75) is read in its usual one.
        let dotted = dotted_quad(value);
        let found = settings
            .scan_value(dotted.as_deref().unwrap_or(value), field)
            .into_iter()
            .find(|f| !names_a_service(f.kind, value));
        if let Some(found) = found {
            out.push(
                Diagnostic::new(
                    &PII_IN_DOMAIN,
                    p.file,
                    span,
                    format!("{what} \"{value}\" of `{field}` is {}", article(found.kind)),
                )
                .label(found.kind.as_str())
                .help(format!(
                    "{}: list a category instead of the value itself",
                    found.kind.why()
                ))
                .metric(&p.name),
            );
        }
    };
    let list = match ty {
        FieldType::Enum { values } | FieldType::Set { values } => {
            for v in values {
                report(&v.value, v.span.clone(), "the value");
            }
            values
        }
        FieldType::Map { keys, value } => {
            for k in keys {
                report(&k.value, k.span.clone(), "the key");
            }
            domain(p, field, value, settings, out);
            keys
        }
        FieldType::String {
            pattern,
            automaton,
            max_len,
        } => {
            // A finite pattern is a closed list written short
            // (`(team|anna|jonas)`): its strings are judged as values.
            let Some(strings) = automaton.strings(*max_len, FINITE_PATTERN) else {
                return;
            };
            let values: Vec<&str> = strings.iter().map(String::as_str).collect();
            people(p, field, &values, |_| pattern.span.clone(), out);
            return;
        }
        _ => return,
    };
    let values: Vec<&str> = list.iter().map(|v| v.value.as_str()).collect();
    let span = |value: &str| {
        list.iter()
            .find(|v| v.value == value)
            .map_or(0..0, |v| v.span.clone())
    };
    people(p, field, &values, span, out);
    organisations(p, field, &values, span, out);
    if let Some(coded) = codes(&values) {
        out.push(
            Diagnostic::new(
                &PII_IN_DOMAIN,
                p.file,
                span(coded[0]),
                format!(
                    "{} of the {} values of `{field}` are machine-made codes ({}): a closed list of ids, hashes or grid cells names installations, customers or places, not categories",
                    coded.len(),
                    values.len(),
                    crate::text::first_few(coded.iter().map(|v| format!("\"{v}\"")), 4)
                ),
            )
            .label("machine-made codes")
            .help("list what the codes stand for, as categories a reviewer can read, or a count of them")
            .metric(&p.name),
        );
    }
}

/// `value` written with dots when it is four numbers of one to three
/// digits joined by one other separator (`_`, `-`, a space or a comma):
/// an IPv4 address spelled so that a list of values may hold it.
fn dotted_quad(value: &str) -> Option<String> {
    let sep = value.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, '_' | '-' | ' ' | ',') {
        return None;
    }
    let parts: Vec<&str> = value.split(sep).collect();
    (parts.len() == 4
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())))
    .then(|| parts.join("."))
}

/// The values of a closed list that are machine-made codes, when most of
/// it is (at least four values, three in four): values with a word that
/// is a code, not a word (see [`machine_code`]).
fn codes<'a>(values: &[&'a str]) -> Option<Vec<&'a str>> {
    let coded: Vec<&str> = values
        .iter()
        .copied()
        .filter(|v| {
            // A screen size (`1920x1080`) is the surroundings' to count.
            crate::vocabulary::surroundings(v).is_none()
                && v.split(['_', '-', '.', ' ', ':', '/']).any(machine_code)
        })
        .collect();
    if coded.len() >= 4 && coded.len() * 4 >= values.len() * 3 {
        return Some(coded);
    }
    pronounceable(values).or_else(|| one_shape(values))
}

/// The values of a closed list written to one shape of letters and digits,
/// when most of it is (at least 16 values, three in four): the same length
/// and a letter or a digit at the same places, both kinds present (`8fcg`,
/// `9c3x`: grid cells, hash prefixes, serials). A code space keeps one
/// shape; products' names (`amd64`, `h264`, `vp9`) vary in length and
/// shape.
fn one_shape<'a>(values: &[&'a str]) -> Option<Vec<&'a str>> {
    let shape = |v: &str| -> Option<String> {
        let s: String = v
            .chars()
            .map(|c| match c {
                c if c.is_ascii_digit() => 'd',
                c if c.is_ascii_alphabetic() => 'l',
                c => c,
            })
            .collect();
        (v.len() >= 3 && s.contains('d') && s.contains('l')).then_some(s)
    };
    most_to_one_skeleton(values, shape)
}

/// The values of a closed list that share one skeleton (`skeleton` of
/// each), when most of it does: 16 values at least, three in four.
fn most_to_one_skeleton<'a>(
    values: &[&'a str],
    skeleton: impl Fn(&str) -> Option<String>,
) -> Option<Vec<&'a str>> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for v in values {
        if let Some(s) = skeleton(v) {
            *counts.entry(s).or_default() += 1;
        }
    }
    let (top, n) = counts.into_iter().max_by_key(|(s, n)| (*n, s.clone()))?;
    (n >= 16 && n * 4 >= values.len() * 3).then(|| {
        values
            .iter()
            .copied()
            .filter(|v| skeleton(v).as_deref() == Some(top.as_str()))
            .collect()
    })
}

/// The values of a closed list made to one pattern of consonants and
/// vowels, when most of it is (at least 16 values, three in four): words
/// of five letters or more that spell out bits (`nuzon`, `pugev`,
/// `kisese`: proquints and word codes). Words of a language vary in their
/// pattern; a code keeps one.
fn pronounceable<'a>(values: &[&'a str]) -> Option<Vec<&'a str>> {
    let skeleton = |v: &str| -> Option<String> {
        (v.len() >= 5 && v.bytes().all(|b| b.is_ascii_lowercase())).then(|| {
            v.bytes()
                .map(|b| if b"aeiou".contains(&b) { 'v' } else { 'c' })
                .collect()
        })
    };
    most_to_one_skeleton(values, skeleton)
}

/// A word that is a code rather than a word or a name: five characters or
/// more, letters and digits only, both, and either hex digits in one case
/// (`da5600`, `b9f08b`: a truncated hash or id) or letters and digits
/// alternating at least twice (`u33dc0`, `9q8yyk`: a geohash cell, a
/// base-32 id), where a product's name has at most one change (`arm64`,
/// `h264`, `1080p`).
fn machine_code(w: &str) -> bool {
    let b = w.as_bytes();
    if b.len() < 5 || !b.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let letters = b.iter().any(u8::is_ascii_alphabetic);
    let digits = b.iter().any(u8::is_ascii_digit);
    let one_case = !(b.iter().any(u8::is_ascii_lowercase) && b.iter().any(u8::is_ascii_uppercase));
    let hex = b.iter().all(u8::is_ascii_hexdigit) && one_case;
    let changes = b
        .windows(2)
        .filter(|p| p[0].is_ascii_digit() != p[1].is_ascii_digit())
        .count();
    letters && digits && (hex || changes >= 2)
}

/// Most strings of a pattern listed to judge them as a closed list's values.
const FINITE_PATTERN: usize = 256;

/// A list of people: most of its values are given names or logins.
fn people(
    p: &Proposal,
    field: &str,
    values: &[&str],
    span_of: impl Fn(&str) -> std::ops::Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(named) = pii::names::people(values) {
        out.push(
            Diagnostic::new(
                &PII_IN_DOMAIN,
                p.file,
                span_of(named[0].0),
                format!(
                    "{} of the {} values of `{field}` name people: {}",
                    named.len(),
                    values.len(),
                    crate::text::first_few(
                        named.iter().map(|(v, how)| format!("\"{v}\" ({how})")),
                        4
                    )
                ),
            )
            .label("people's names")
            .help("a closed list of people names whoever the installation belongs to: send a role or a count instead")
            .metric(&p.name),
        );
    }
}

/// Fewest values named for an organisation that make a list a directory of
/// organisations, whatever else it holds.
const ORGANISATIONS: usize = 3;

/// A list that names organisations: three of its values or more are a name
/// and the kind of organisation it is (`initech_bank`, `stadtwerke_kiel`,
/// `praxis_nowak`, `acme_corp`), which is what customers, tenants and
/// members are called; a product's categories are not named for a kind of
/// organisation.
fn organisations(
    p: &Proposal,
    field: &str,
    values: &[&str],
    span_of: impl Fn(&str) -> std::ops::Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let named: Vec<&str> = values
        .iter()
        .copied()
        .filter(|v| crate::vocabulary::names_an_organisation(v))
        .collect();
    if named.len() < ORGANISATIONS {
        return;
    }
    out.push(
        Diagnostic::new(
            &PII_IN_DOMAIN,
            p.file,
            span_of(named[0]),
            format!(
                "{} of the {} values of `{field}` name organisations by their kind ({}): a closed list of customers, tenants or members says who runs the installation",
                named.len(),
                values.len(),
                crate::text::first_few(named.iter().map(|v| format!("\"{v}\"")), 4)
            ),
        )
        .label("organisations' names")
        .help("send the kind of organisation or a count instead; a list of who uses the product names each installation's owner")
        .metric(&p.name),
    );
}

/// Scans the example's values with the PII engine.
fn example(p: &Proposal, settings: &pii::Settings, out: &mut Vec<Diagnostic>) {
    let Some(ex) = &p.example else { return };
    for (key, value) in &ex.value {
        scan_example(p, &key.value, value, settings, out);
    }
}

fn scan_example(
    p: &Proposal,
    key: &str,
    value: &Spanned<ExampleValue>,
    settings: &pii::Settings,
    out: &mut Vec<Diagnostic>,
) {
    let found = match &value.value {
        ExampleValue::String(s) => settings
            .scan_value(s, key)
            .into_iter()
            .map(|f| f.kind)
            .filter(|&k| !names_a_service(k, s))
            .collect(),
        ExampleValue::Integer(i) => pii::scan_number(&i.to_string(), key).into_iter().collect(),
        ExampleValue::Float(x) => pii::scan_number(&x.to_string(), key).into_iter().collect(),
        ExampleValue::DateTime(_) => vec![pii::Kind::Timestamp],
        ExampleValue::Array(items) => {
            for item in items {
                scan_example(p, key, item, settings, out);
            }
            Vec::new()
        }
        ExampleValue::Table(entries) => {
            for (k, v) in entries {
                scan_example(p, &k.value, v, settings, out);
            }
            Vec::new()
        }
        ExampleValue::Bool(_) | ExampleValue::Date(_) => Vec::new(),
    };
    for kind in found {
        out.push(
            Diagnostic::new(
                &PII_IN_EXAMPLE,
                p.file,
                value.span.clone(),
                format!("example value of `{key}` looks like {}: {}", article(kind), kind.why()),
            )
            .label(kind.as_str())
            .help("use a value the generated types can produce (a bucket label, an allow-listed name), never real data")
            .metric(&p.name),
        );
    }
}

fn article(kind: pii::Kind) -> String {
    let name = kind.as_str().replace('-', " ");
    let vowel = name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {name}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    #[test]
    fn parties_are_read_from_the_noun_a_list_is_of() {
        use super::party;
        use crate::model::FieldType;
        let list = FieldType::Enum { values: Vec::new() };
        assert_eq!(party("default_approver", &list), Some("approver"));
        assert_eq!(party("escalation_owners", &list), Some("owners"));
        assert_eq!(party("owner_kind", &list), None);
        let map = FieldType::Map {
            keys: Vec::new(),
            value: Box::new(FieldType::Bool),
        };
        assert_eq!(party("promotions_by_approver", &map), Some("approver"));
        assert_eq!(party("devices_per_tenant", &map), Some("tenant"));
        assert_eq!(party("accounts_by_protocol", &map), None);
        assert_eq!(party("pending_jobs_by_lab", &map), Some("lab"));
        // A count says how many, never who.
        assert_eq!(party("default_approver", &FieldType::Bool), None);
    }

    #[test]
    fn words_made_to_one_pattern_and_addresses_in_other_notations() {
        // A proquint-like code: one consonant-vowel pattern throughout.
        let code: Vec<String> = (0..20u32)
            .map(|i| {
                let c = b"bdfgklmnprstvz";
                let v = b"aeiou";
                let at = |n: u32, s: &[u8]| s[(n as usize) % s.len()] as char;
                [
                    at(i, c),
                    at(i / 3, v),
                    at(i * 7, c),
                    at(i / 2 + 1, v),
                    at(i * 5 + 3, c),
                ]
                .iter()
                .collect()
            })
            .collect();
        let code: Vec<&str> = code.iter().map(String::as_str).collect();
        assert_eq!(super::codes(&code).map(|c| c.len()), Some(20));
        // Words of a language vary in their pattern.
        let themes = [
            "boost",
            "classic",
            "moove",
            "adaptable",
            "fordson",
            "snap",
            "academi",
            "lambda",
            "trema",
            "klass",
            "eguru",
            "edumy",
            "remui",
            "almond",
            "enlightlite",
            "pioneer",
            "roshni",
            "degrade",
            "universe",
            "alpha",
        ];
        assert_eq!(super::codes(&themes), None);
        assert_eq!(
            super::dotted_quad("75_75_75_75").as_deref(),
            Some("75.75.75.75")
        );
        assert_eq!(super::dotted_quad("10-0-0-1").as_deref(), Some("10.0.0.1"));
        assert_eq!(super::dotted_quad("1_2_3"), None);
        assert_eq!(super::dotted_quad("2024-03-01"), None);
        assert_eq!(super::dotted_quad("1_2_3_4a"), None);
    }

    #[test]
    fn codes_are_machine_made_and_product_names_are_not() {
        for code in ["da5600", "26584B", "u33dc0", "9q8yyk", "b9f08b"] {
            assert!(super::machine_code(code), "{code}");
        }
        for word in [
            "arm64", "h264", "1080p", "ppc64", "python", "12345", "abcdef",
        ] {
            assert!(!super::machine_code(word), "{word}");
        }
        let cells: Vec<String> = (0..20)
            .map(|i| format!("8{}c{}", (b'c' + i % 7) as char, (b'f' + i / 7) as char))
            .collect();
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        assert_eq!(super::codes(&cells).map(|c| c.len()), Some(20));
        let codecs = [
            "h264", "h265", "vp8", "vp9", "av1", "mp3", "aac", "ac3", "eac3", "flac", "opus",
            "x264", "x265", "mpeg2", "mpeg4", "theora", "vorbis", "pcm", "dts", "truehd",
        ];
        assert_eq!(super::codes(&codecs), None);
        let arches = ["amd64", "arm64", "ppc64le", "s390x", "i386", "riscv64"];
        assert_eq!(super::codes(&arches), None);
        let tenants = [
            "default",
            "tpl-da5600",
            "tpl-a94772",
            "tpl-b9f08b",
            "tpl-cbe662",
        ];
        assert_eq!(super::codes(&tenants).map(|c| c.len()), Some(4));
        // Screen sizes are surroundings, not codes.
        assert_eq!(
            super::codes(&["1366x768", "1920x1080", "2560x1440", "3840x2160"]),
            None
        );
    }
}
