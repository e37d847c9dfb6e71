//! Raw-input strategies shared by the generated strategies: what a careless
//! or hostile client could feed the generated constructors (adversarial
//! strings, extreme numbers, pattern strings). Included by the property
//! tests (through `support`) and by the `samples` example, so it depends on
//! nothing but `metrics`, `proptest` and `serde_json`.

#![allow(dead_code)]

use metrics::values::{Pattern, Text};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

/// Strings a careless client could feed into any field: personal data,
/// identifiers, paths, secrets, look-alikes, garbage.
pub const ADVERSARIAL: &[&str] = &[
    "",
    "admin@example.org",
    "ops@db01.lan",
    "db01.corp.example.com",
    "pulp-worker-7@build-host",
    "192.168.1.10",
    "10.0.0.0/8",
    "fe80::1ff:fe23:4567:890a",
    "00:1a:2b:3c:4d:5e",
    "/home/alice/.ssh/id_rsa",
    "C:\\Users\\bob\\AppData",
    "https://user:hunter2@mirror.example.org/repo",
    "4111 1111 1111 1111",
    "+1 202 555 0143",
    "DE89370400440532013000",
    "AKIAIOSFODNN7EXAMPLE",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    "-----BEGIN RSA PRIVATE KEY-----",
    "48.8584,2.2945",
    "2024-06-13T09:41:27Z",
    "06-13-2024 09:41:27",
    "0012-07:41:09",
    "7d1e4b2a-93c0-4f6e-b5a8-1c2d3e4f5a6b",
    "3.21.4-dev+g1a2b",
    "6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1",
    "fuel-nailgun-9.0.0-1.mos8460.noarch",
    "mod_acme_internal",
    "Other",
    "other",
    "\u{0}\u{7f}\u{202e}",
    "ünïcödé ✓ 日本語",
];

/// A raw string: one of `listed`, an adversarial one, or anything at all.
pub fn raw_text(listed: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(listed).prop_map(str::to_string),
        2 => proptest::sample::select(ADVERSARIAL).prop_map(str::to_string),
        1 => "\\PC{0,40}",
        1 => proptest::collection::vec(any::<char>(), 0..20).prop_map(|v| v.into_iter().collect()),
    ]
}

/// A raw version string: version-like, adversarial, or anything.
pub fn raw_version() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "v?[0-9]{1,4}(\\.[0-9]{1,4}){0,4}([-+][a-z0-9.]{0,12})?",
        1 => "[0-9]{10,20}(\\.[0-9]{1,3})?",
        2 => proptest::sample::select(ADVERSARIAL).prop_map(str::to_string),
        1 => "\\PC{0,30}",
    ]
}

/// A raw number: small, large, negative, extreme.
pub fn raw_count() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => 0i64..100,
        2 => 0i64..10_000_000,
        2 => any::<i64>(),
        1 => Just(i64::MIN),
        1 => Just(i64::MAX),
        1 => -1000i64..0,
    ]
}

/// A raw number of milliseconds or items around a field's bucket edges
/// (each edge in `unit`s, a millisecond or item below and above it), or any number
/// [`raw_count`] gives: every bucket label comes up, not only the small ones.
pub fn raw_count_near(edges: &'static [u64], unit: u64) -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => (proptest::sample::select(edges), -1i64..=1).prop_map(move |(edge, d)| {
            i64::try_from(edge.saturating_mul(unit))
                .unwrap_or(i64::MAX)
                .saturating_add(d)
        }),
        2 => raw_count(),
    ]
}

/// A value of a pattern-bounded field, generated from `pattern` (the
/// field's pattern without look-around, which the generator cannot do; the
/// type's own automaton then keeps only what the field accepts).
pub fn pattern_text<P: Pattern>(pattern: &str) -> impl Strategy<Value = Text<P>> {
    // Generated strings match the whole regex by construction (no anchors needed).
    proptest::string::string_regex(&format!("(?:{pattern})"))
        .expect("the generation pattern has no look-around")
        .prop_filter_map("not accepted by the field's automaton", |s| {
            Text::<P>::new(&s).ok()
        })
}

/// The JSON text a generated value serializes to, exactly as a client sends it.
pub fn wire<T, S>(strategy: S) -> BoxedStrategy<String>
where
    T: serde::Serialize + std::fmt::Debug,
    S: Strategy<Value = T> + 'static,
{
    strategy
        .prop_map(|v| serde_json::to_string(&v).expect("a generated value serializes"))
        .boxed()
}
