//! The definition fingerprint is stable under everything that does not
//! change what a proposal means (formatting, comments, key order, list
//! order, prose) and changes with every semantic change.

use privet::fingerprint::fingerprint;
use privet::load;
use proptest::prelude::*;
use toml_edit::{DocumentMut, Item, Value};

const PROPOSALS: &[(&str, &str)] = &[
    (
        "pulp_components",
        include_str!("../proposals/pulp/pulp_components.toml"),
    ),
    (
        "mongooseim_modules",
        include_str!("../proposals/mongooseim/mongooseim_modules.toml"),
    ),
    (
        "mongooseim_cluster",
        include_str!("../proposals/mongooseim/mongooseim_cluster.toml"),
    ),
    (
        "installation_age",
        include_str!("../proposals/openwisp/installation_age.toml"),
    ),
    (
        "openedx_language",
        include_str!("../proposals/openedx/openedx_language.toml"),
    ),
    (
        "fuel_nodes",
        include_str!("../proposals/fuel/fuel_nodes.toml"),
    ),
];

fn fp(name: &str, text: &str) -> String {
    let path = format!("proposals/{name}.toml");
    let registry = load::from_texts(None, &[(&path, text)]);
    let errors: Vec<_> = registry
        .findings
        .iter()
        .filter(|d| d.severity == privet::rules::Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "{name} no longer loads cleanly: {:?}\n{text}",
        errors.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    fingerprint(&registry.proposals[0])
}

/// A deterministic shuffle of `n` items from `seed`.
fn order(seed: u64, n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    let mut state = seed | 1;
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        idx.swap(i, (state % (i as u64 + 1)) as usize);
    }
    idx
}

/// Reformats `text` without changing its meaning: shuffled keys, tables and
/// list items, comments everywhere, reflowed white space.
fn reformat(text: &str, seed: u64, comments: bool, reflow: bool) -> String {
    let mut doc: DocumentMut = text.parse().unwrap();
    let root = doc.as_table_mut();
    // Top-level keys in another order (values before tables, as TOML requires).
    let keys: Vec<String> = root
        .iter()
        .filter(|(_, i)| i.is_value())
        .map(|(k, _)| k.to_string())
        .collect();
    let perm = order(seed, keys.len());
    let rank = |k: &str| {
        keys.iter()
            .position(|x| x == k)
            .map_or(usize::MAX, |i| perm[i])
    };
    root.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
    // Lists in another order.
    for key in ["events", "owners"] {
        if let Some(a) = root.get_mut(key).and_then(Item::as_array_mut) {
            shuffle_array(a, seed);
        }
    }
    if let Some(fields) = root.get_mut("fields").and_then(Item::as_table_mut) {
        let names: Vec<String> = fields.iter().map(|(k, _)| k.to_string()).collect();
        let perm = order(seed.rotate_left(7), names.len());
        for (i, name) in names.iter().enumerate() {
            if let Some(t) = fields.get_mut(name).and_then(Item::as_table_mut) {
                t.set_position(Some(100 + perm[i] as isize));
                for key in ["values", "keys", "buckets"] {
                    if key == "buckets" {
                        continue; // edges are ordered by definition
                    }
                    if let Some(a) = t.get_mut(key).and_then(Item::as_array_mut) {
                        shuffle_array(a, seed ^ i as u64);
                    }
                }
                if comments {
                    t.decor_mut()
                        .set_prefix(format!("\n# field {name}: reviewed\n"));
                    let ks: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
                    for k in ks {
                        if let Some(mut key) = t.key_mut(&k) {
                            key.leaf_decor_mut().set_prefix(format!("# about {k}\n"));
                        }
                    }
                }
            }
        }
    }
    if comments {
        doc.decor_mut()
            .set_prefix("# A comment at the top\n# and another\n\n");
    }
    let mut out = doc.to_string();
    if reflow {
        out = out
            .lines()
            .map(|l| {
                if let Some((k, v)) = l.split_once(" = ") {
                    format!("{k}   =\t{v}   ")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        out.push('\n');
    }
    out
}

fn shuffle_array(a: &mut toml_edit::Array, seed: u64) {
    let items: Vec<Value> = a.iter().cloned().collect();
    let perm = order(seed, items.len());
    a.clear();
    for &i in &perm {
        let mut v = items[i].clone();
        v.decor_mut().clear();
        a.push_formatted(v);
    }
    a.fmt();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(128),
        ..ProptestConfig::default()
    })]

    #[test]
    fn stable_under_reformatting(which in 0..PROPOSALS.len(), seed in any::<u64>(), comments in any::<bool>(), reflow in any::<bool>()) {
        let (name, text) = PROPOSALS[which];
        let again = reformat(text, seed, comments, reflow);
        prop_assert_eq!(fp(name, text), fp(name, &again), "{}", again);
    }
}

#[test]
fn stable_under_status_owners_and_approval_changes() {
    let (name, text) = PROPOSALS[0];
    let base = fp(name, text);
    for (from, to) in [
        ("status = \"approved\"", "status = \"proposed\""),
        ("by = [\"carol\"]", "by = [\"alice\", \"bob\"]"),
        (
            "owners = [\"pulp-analytics-wg\"]",
            "owners = [\"someone-else\"]",
        ),
        // white space inside the answers is folded
        ("pii = \"No. Only", "pii = \"No.   Only"),
        (
            "summary = \"Installed Pulp plugins",
            "summary = \"Installed   Pulp plugins",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        assert_eq!(fp(name, &text.replace(from, to)), base, "{from} -> {to}");
    }
}

/// What a reviewer decides on besides the payload (issue 24): the expiry,
/// the budget's reason and every checklist answer. A change to any of them
/// voids the approval, so the page never shows new words next to an old
/// "approved by".
#[test]
fn sensitive_to_expiry_reason_and_every_answer() {
    let (name, text) = PROPOSALS[0];
    let base = fp(name, text);
    let mut cases = vec![
        ("expires = 2028-12-31", "expires = \"never\"".to_string()),
        ("expires = 2028-12-31", "expires = 2029-01-01".to_string()),
        ("reason = \"", "reason = \"Also, ".to_string()),
    ];
    for item in privet::model::CHECKLIST {
        if item.key == "example" {
            continue;
        }
        cases.push((item.key, format!("{}_", item.key)));
    }
    // A field's summary and reason (the red team rewrote both after
    // approval: the summary is the schemas' description).
    cases.push((
        "summary = \"Version of each installed plugin",
        "summary = \"Each plugin's version".to_string(),
    ));
    for (from, to) in cases {
        let changed = if from.contains(' ') {
            assert!(text.contains(from), "{from}");
            text.replacen(from, &to, 1)
        } else {
            // An answer: reworded by one word at its start.
            let key = format!("{from} = \"");
            assert!(text.contains(&key), "{from}");
            text.replacen(&key, &format!("{key}Reworded: "), 1)
        };
        assert_ne!(fp(name, &changed), base, "{from} -> {to}");
    }
}

#[test]
fn sensitive_to_every_semantic_change() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "pulp_components",
            "resolution = \"minor\", largest_parts = [9, 99]",
            "resolution = \"major\", largest_parts = [9]",
        ),
        (
            "pulp_components",
            "largest_parts = [9, 99]",
            "largest_parts = [9, 98]",
        ),
        ("pulp_components", "\"gem\", ", ""),
        (
            "installation_age",
            "resolution = \"month\"",
            "resolution = \"month\"\nearliest = 2020-01-01",
        ),
        (
            "pulp_components",
            "events = [\"install\", \"upgrade\", \"heartbeat\"]",
            "events = [\"install\", \"heartbeat\"]",
        ),
        ("pulp_components", "pii = \"No.", "pii = \"Yes."),
        (
            "pulp_components",
            "sanitization = \"Map keys",
            "sanitization = \"Keys",
        ),
        (
            "mongooseim_modules",
            "buckets = [0, 1, 2, 5]",
            "buckets = [0, 1, 2, 6]",
        ),
        (
            "mongooseim_modules",
            "\"mod_ping\"]",
            "\"mod_ping\", \"mod_blocking\"]",
        ),
        (
            "mongooseim_modules",
            "\"redis\"] }",
            "\"redis\", \"riak\"] }",
        ),
        ("mongooseim_cluster", "unit = \"day\"", "unit = \"week\""),
        (
            "mongooseim_cluster",
            "type = \"enum\"\nvalues = [\"toml\", \"cfg\"]",
            "type = \"set\"\nvalues = [\"toml\", \"cfg\"]",
        ),
        (
            "installation_age",
            "resolution = \"month\"",
            "resolution = \"week\"",
        ),
        (
            "openedx_language",
            "vocabulary = \"language\"",
            "vocabulary = \"country\"",
        ),
        ("fuel_nodes", "max = 1000", "max = 2000"),
        (
            "fuel_nodes",
            "[fields.unallocated]\ntype = \"count\"\npreset = \"1-2-5\"\nmax = 1000\n",
            "",
        ),
        (
            "fuel_nodes",
            "status = \"approved\"",
            "status = \"approved\"\nversion = 2",
        ),
    ];
    for (name, from, to) in cases {
        let text = PROPOSALS.iter().find(|(n, _)| n == name).unwrap().1;
        assert!(text.contains(from), "{name}: {from}");
        let mut changed = text.replace(from, to);
        // Keep the example in step with removed or renamed things so the
        // proposal still loads cleanly.
        if *name == "fuel_nodes" && to.is_empty() {
            changed = changed.replace("unallocated = \"1\"\n", "");
        }
        if *name == "mongooseim_cluster" && to.contains("set") {
            changed = changed.replace("config_format = \"toml\"", "config_format = [\"toml\"]");
        }
        if *name == "installation_age" {
            changed = changed.replace("first_seen = 2026-05-01", "first_seen = 2026-04-27");
        }
        assert_ne!(fp(name, text), fp(name, &changed), "{name}: {from} -> {to}");
    }
}

#[test]
fn a_preset_and_its_edges_are_the_same_definition() {
    let (name, text) = ("fuel_nodes", PROPOSALS[5].1);
    let explicit = text.replacen(
        "preset = \"1-2-5\"\nmax = 20",
        "buckets = [0, 1, 2, 5, 10, 20]",
        1,
    );
    assert_ne!(explicit, text);
    assert_eq!(fp(name, text), fp(name, &explicit));
}

#[test]
fn reformatting_really_reformats() {
    let (name, text) = PROPOSALS[1];
    let again = reformat(text, 0x9e37_79b9_7f4a_7c15, true, true);
    assert_ne!(again, text);
    assert!(
        again.contains("# about type") && again.contains("=\t"),
        "{again}"
    );
    let field_order = |t: &str| -> Vec<usize> {
        [
            "[fields.enabled]",
            "[fields.backends]",
            "[fields.custom_modules]",
        ]
        .iter()
        .map(|f| t.find(f).unwrap())
        .collect()
    };
    let (a, b) = (field_order(text), field_order(&again));
    let rank = |v: &Vec<usize>| {
        v.iter()
            .map(|x| {
                let mut s = v.clone();
                s.sort();
                s.iter().position(|y| y == x).unwrap()
            })
            .collect::<Vec<_>>()
    };
    assert_ne!(rank(&a), rank(&b), "fields were not reordered:\n{again}");
    assert_eq!(fp(name, text), fp(name, &again));
}

/// The canonical form is pinned: a change to it changes every stored
/// fingerprint, so it must come with a higher `fingerprint::FORMAT` (which the
/// history cache is keyed by) and this pin updated.
#[test]
fn the_canonical_form_is_pinned_to_its_format() {
    let text = "summary = \"s\"\nexpires = 2030-01-01\nevents = [\"heartbeat\"]\n\
                question = \"q\"\npii = \"No.\"\n[budget]\nfield_bits = 9\nreason = \"r\"\n\
                [fields.a]\ntype = \"count\"\nbuckets = [0, 1, 2]\nsummary = \"f\"\n";
    let registry = load::from_texts(None, &[("proposals/m.toml", text)]);
    let p = &registry.proposals[0];
    assert_eq!(
        (privet::fingerprint::FORMAT, fingerprint(p).as_str()),
        (3, "b2f2543ab3cedef04229edd7c6ed4ca0fa2ed872"),
        "the canonical form changed: raise fingerprint::FORMAT and update this pin\n{}",
        privet::fingerprint::canonical(p)
    );
}
