//! Deciding whether a `string` field's pattern can produce personal data:
//! the pattern's automaton is intersected with each detector's automaton,
//! breadth-first, so the first strings found are the shortest the pattern
//! admits that contain a detector's candidate. Each candidate is then judged
//! by the detector's validator with the field name as context; the first
//! one it confirms is the witness.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, OnceLock};

use regex_automata::Anchored;
use regex_automata::dfa::Automaton;
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;

use super::{Kind, candidate_dfas, scan_value};
use crate::automaton::Table;

/// How far one detector's search may go before it gives up undecided.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Most product states explored.
    pub states: usize,
    /// Most candidate strings judged.
    pub candidates: usize,
}

/// The bounds the audit uses (documented with `analysis-limit`).
pub const LIMITS: Limits = Limits {
    states: 200_000,
    candidates: 5_000,
};

/// A string the pattern admits that a detector reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    pub kind: Kind,
    pub text: String,
}

/// Rank of a kind when a pattern admits several: addresses and numbers
/// with a validator or a fixed shape first, the broad classes (host names,
/// phone numbers) that many strings happen to fit last.
fn specificity(kind: Kind) -> usize {
    const ORDER: &[Kind] = &[
        Kind::Email,
        Kind::UrlCredentials,
        Kind::Ipv4,
        Kind::Ipv6,
        Kind::Mac,
        Kind::CardNumber,
        Kind::Iban,
        Kind::PersistentId,
        Kind::Secret,
        Kind::Timestamp,
        Kind::GeoCoordinate,
        Kind::HomePath,
        Kind::Hostname,
        Kind::Phone,
    ];
    ORDER.iter().position(|k| *k == kind).unwrap_or(ORDER.len())
}

/// What the search over one pattern found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    /// Per detector, the shortest string the pattern admits that it
    /// reports; the shortest overall first.
    pub witnesses: Vec<Witness>,
    /// Detectors whose search hit its bound (states or candidates) before
    /// it could decide: the pattern may admit what they look for.
    pub undecided: Vec<Kind>,
}

/// The shortest string `table` accepts (within `max_len` bytes) that the PII
/// engine reports under `key`, per detector; the shortest overall first.
pub fn witnesses(table: &Table, max_len: usize, key: &str) -> Vec<Witness> {
    analyse(table, max_len, key).witnesses
}

/// [`witnesses`], and which detectors could not be decided within the
/// search bounds.
pub fn analyse(table: &Table, max_len: usize, key: &str) -> Analysis {
    analyse_within(table, max_len, key, LIMITS)
}

/// [`analyse`] of the automaton compiled from `pattern`, remembered for
/// the rest of the process: registries repeat patterns (versions, codes,
/// module names) across fields and metrics, and each search is costly.
pub fn analyse_pattern(pattern: &str, table: &Table, max_len: usize, key: &str) -> Analysis {
    type Memo = Mutex<HashMap<(String, usize, String), Analysis>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let memo = MEMO.get_or_init(Memo::default);
    let id = (pattern.to_string(), max_len, key.to_string());
    if let Some(a) = memo.lock().ok().and_then(|m| m.get(&id).cloned()) {
        return a;
    }
    let a = analyse(table, max_len, key);
    if let Ok(mut m) = memo.lock() {
        m.insert(id, a.clone());
    }
    a
}

/// [`analyse`] within `limits`.
pub fn analyse_within(table: &Table, max_len: usize, key: &str, limits: Limits) -> Analysis {
    let mut out: Vec<Witness> = Vec::new();
    let mut undecided = Vec::new();
    for (kind, _, dfa) in candidate_dfas() {
        let Some(dfa) = dfa else { continue };
        if out.iter().any(|w| w.kind == *kind) {
            continue;
        }
        // Once the pattern admits one kind, what else it admits only adds
        // to the finding (an undecided kind is reported only when nothing
        // was found): the other searches get a tenth of the states.
        let limits = if out.is_empty() {
            limits
        } else {
            Limits {
                states: limits.states / 10,
                ..limits
            }
        };
        let r = search(table, dfa, max_len, key, limits, *kind);
        match r {
            Search::Found(w) => out.push(w),
            Search::Cut => undecided.push(*kind),
            Search::None => {}
        }
    }
    // The most specific class first (an email rather than the host in it,
    // a card number rather than a phone number), then the shortest.
    out.sort_by(|a, b| {
        specificity(a.kind)
            .cmp(&specificity(b.kind))
            .then_with(|| a.text.len().cmp(&b.text.len()))
            .then_with(|| a.text.cmp(&b.text))
    });
    undecided.retain(|k| !out.iter().any(|w| w.kind == *k));
    Analysis {
        witnesses: out,
        undecided,
    }
}

/// The outcome of one detector's search.
enum Search {
    Found(Witness),
    /// Searched to the end: the pattern admits nothing this detector reports.
    None,
    /// A bound stopped the search first.
    Cut,
}

/// Product state: the field automaton's state and the detector's state, or
/// `None` once the detector has matched (the rest of the string only has to
/// satisfy the field's pattern); and, for the card detector, the Luhn sums
/// of the digits so far (see [`luhn_step`]), so that the search tells
/// checksum-valid numbers from invalid ones instead of giving up on
/// siblings the automata cannot distinguish. The hundreds of the third
/// part are the first digit plus one, 0 before any (see [`card_digit`]).
type State = (u16, Option<StateID>, u16);

/// The card part of a product state after `digit`: the Luhn sums, and
/// the first digit (plus one), which says whose card a number can be, so
/// that numbers no network issues (a time in milliseconds, a Mastercard
/// prefix at 19 digits) never crowd real candidates out of the search.
fn card_digit(state: u16, digit: u8) -> u16 {
    let (first, sums) = (state / 100, (state % 100) as u8);
    let first = if first == 0 {
        u16::from(digit) + 1
    } else {
        first
    };
    first * 100 + u16::from(luhn_step(sums, digit))
}

/// Luhn sums of a digit string, packed as `10 * A + B`: `A` is the sum mod
/// 10 if the string ended here (last digit not doubled), `B` if one more
/// digit followed. The string is Luhn-valid when `A` is 0.
fn luhn_step(packed: u8, digit: u8) -> u8 {
    let (a, b) = (packed / 10, packed % 10);
    let doubled = if digit * 2 > 9 {
        digit * 2 - 9
    } else {
        digit * 2
    };
    let a2 = (b + digit) % 10;
    let b2 = (a + doubled) % 10;
    a2 * 10 + b2
}

/// How many different strings may reach the same product state: the
/// automata cannot tell `a.aa` from `a.ae`, but the validators can (one has a
/// real top-level domain), so a few siblings of each prefix are kept.
const VISITS_PER_STATE: u8 = 3;

fn search(
    table: &Table,
    dfa: &regex_automata::dfa::dense::DFA<Vec<u32>>,
    max_len: usize,
    key: &str,
    limits: Limits,
    target: Kind,
) -> Search {
    let luhn = target == Kind::CardNumber;
    // A candidate another detector reports (`a@b`, a host, found while
    // looking for emails) is kept in case none of the target kind comes.
    let mut fallback: Option<Witness> = None;
    let Ok(start_dfa) = dfa.start_state(&start::Config::new().anchored(Anchored::No)) else {
        return Search::Cut;
    };
    let start: State = (table.start, Some(start_dfa), 0);
    // The search tree: (state, parent node, byte, depth).
    let mut nodes: Vec<(State, usize, u8, usize)> = vec![(start, usize::MAX, 0, 0)];
    // Keyed by the packed state under a multiplicative hash: SipHash of
    // the tuple was four fifths of the search.
    let mut visits: HashMap<u64, u8, BuildHasherDefault<PackedHasher>> = HashMap::default();
    visits.insert(pack(start), 1);
    let mut queue: VecDeque<usize> = VecDeque::from([0]);
    // Bytes that both automata (and, for cards, the Luhn sums) treat alike
    // lead from a state to the same product state, which takes at most
    // VISITS_PER_STATE visits: the first that many bytes of each such class
    // are all the search could ever keep, so they are all it tries. Same
    // result as trying all 95 printable bytes, a fraction of the steps.
    let alphabet: Vec<u8> = {
        let mut taken: HashMap<(u8, u8, u8), u8> = HashMap::new();
        // Letters and digits taken in turns (`a`, `0`, `b`, `1`, …): the
        // few bytes kept of a class holding both are then both, as the
        // validators tell them apart (a host's name has a letter below its
        // top-level domain, an address has digits alone).
        let turns = (0..26u8).flat_map(|i| {
            let digit = (i < 10).then_some(b'0' + i);
            std::iter::once(b'a' + i).chain(digit)
        });
        let rest = (0x20u8..=0x7E).filter(|b| !b.is_ascii_lowercase() && !b.is_ascii_digit());
        turns
            .chain(rest)
            .filter(|&b| {
                let digit = if luhn && b.is_ascii_digit() { b } else { 0 };
                let key = (
                    table.classes[usize::from(b)],
                    dfa.byte_classes().get(b),
                    digit,
                );
                let n = taken.entry(key).or_insert(0);
                *n += 1;
                *n <= VISITS_PER_STATE
            })
            .collect()
    };
    let mut candidates = 0;
    let mut cut = false;
    while let Some(node) = queue.pop_front() {
        let (state, _, _, depth) = nodes[node];
        let (f, d, sums) = state;
        let matched = match d {
            None => true,
            Some(d) => dfa.is_match_state(dfa.next_eoi_state(d)),
        };
        if table.accept[usize::from(f)] && matched && depth > 0 {
            candidates += 1;
            let text = rebuild(&nodes, node);
            let found = scan_value(&text, key);
            if found.iter().any(|f| f.kind == target) {
                return Search::Found(Witness { kind: target, text });
            }
            if let (None, Some(f)) = (&fallback, found.first()) {
                fallback = Some(Witness { kind: f.kind, text });
            }
            if candidates >= limits.candidates {
                return fallback.map_or(Search::Cut, Search::Found);
            }
        }
        if depth >= max_len {
            continue;
        }
        if nodes.len() >= limits.states {
            cut = true;
            continue;
        }
        // Printable ASCII: the alphabet of the formats detectors look for.
        for &b in &alphabet {
            let nf = table.transitions
                [usize::from(f) * table.class_count + usize::from(table.classes[usize::from(b)])];
            if nf == 0 {
                continue;
            }
            let nd = match d {
                None => None,
                Some(d) => {
                    let n = dfa.next_state(d, b);
                    if dfa.is_dead_state(n) {
                        continue;
                    }
                    if dfa.is_match_state(n) { None } else { Some(n) }
                }
            };
            let sums = if luhn && b.is_ascii_digit() {
                card_digit(sums, b - b'0')
            } else {
                sums
            };
            let next = (nf, nd, sums);
            let seen = visits.entry(pack(next)).or_insert(0);
            if *seen < VISITS_PER_STATE {
                *seen += 1;
                nodes.push((next, node, b, depth + 1));
                queue.push_back(nodes.len() - 1);
            }
        }
    }
    match (fallback, cut) {
        (Some(w), _) => Search::Found(w),
        (None, true) => Search::Cut,
        (None, false) => Search::None,
    }
}

/// A product state as one integer: field state, detector state (0 once
/// matched, its id plus one before) and Luhn sums.
fn pack((f, d, sums): State) -> u64 {
    let d = d.map_or(0, |d| d.as_u64() + 1);
    (u64::from(f) << 48) ^ (d << 16) ^ u64::from(sums)
}

/// Hashes the one `u64` a packed state is: a folded 128-bit multiply, so
/// that every input bit reaches the low bits the table indexes by.
#[derive(Default)]
struct PackedHasher(u64);

impl Hasher for PackedHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let m = u128::from(self.0 ^ n) * 0x9E37_79B9_7F4A_7C15;
        self.0 = (m as u64) ^ ((m >> 64) as u64);
    }
}

fn rebuild(nodes: &[(State, usize, u8, usize)], mut node: usize) -> String {
    let mut bytes = Vec::new();
    while node != 0 {
        let (_, parent, b, _) = nodes[node];
        bytes.push(b);
        node = parent;
    }
    bytes.reverse();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::automaton::compile;

    fn first(pattern: &str, max_len: usize, key: &str) -> Option<Witness> {
        witnesses(&compile(pattern).unwrap(), max_len, key)
            .into_iter()
            .next()
    }

    #[test]
    fn finds_the_shortest_pii_a_pattern_admits() {
        let w = first("[a-z.]+", 64, "name").unwrap();
        assert_eq!(w.kind, Kind::Hostname, "{w:?}");
        assert!(w.text.len() <= 5, "{w:?}");
        let all = witnesses(&compile("[a-z0-9.@]{1,40}").unwrap(), 40, "contact");
        assert!(
            all.iter()
                .any(|w| matches!(w.kind, Kind::Email | Kind::Hostname)),
            "{all:?}"
        );
        let w = first("[0-9.]{7,15}", 15, "addr").unwrap();
        assert_eq!(w.kind, Kind::Ipv4, "{w:?}");
    }

    #[test]
    fn luhn_sums_follow_the_checksum() {
        let sums = |s: &str| s.bytes().fold(0, |acc, b| luhn_step(acc, b - b'0'));
        assert_eq!(sums("4539578763621486") / 10, 0, "a valid number");
        assert_ne!(sums("4539578763621487") / 10, 0, "an invalid one");
        assert_eq!(sums("79927398713") / 10, 0);
    }

    #[test]
    fn a_digit_pattern_admits_a_card_number() {
        let w = first("[0-9]{16}", 16, "code").unwrap();
        assert_eq!(w.kind, Kind::CardNumber, "{w:?}");
    }

    #[test]
    fn a_search_cut_short_is_undecided_not_safe() {
        let table = compile("[a-z_]{1,32}").unwrap();
        let full = analyse(&table, 32, "module");
        assert!(
            full.witnesses.is_empty() && full.undecided.is_empty(),
            "{full:?}"
        );
        let tiny = Limits {
            states: 50,
            candidates: 5,
        };
        let cut = analyse_within(&table, 32, "module", tiny);
        assert!(cut.witnesses.is_empty(), "{cut:?}");
        assert!(!cut.undecided.is_empty(), "{cut:?}");
    }

    #[test]
    fn safe_patterns_have_no_witness() {
        assert_eq!(
            first("[a-z]{2,3}(-([a-z]{2}|[0-9]{3}))?", 6, "language"),
            None
        );
        assert_eq!(first("(x86_64|aarch64|armv7l)", 7, "arch"), None);
        assert_eq!(first("[a-z_]{1,32}", 32, "module"), None);
        // A network range fits in 18 characters of digits, dots and slashes.
        assert_eq!(
            first("[0-9./]{9,18}", 18, "security_networks").map(|w| w.kind),
            Some(Kind::Ipv4)
        );
        // Four-part numbers under a version key are versions.
        assert_eq!(
            first("[0-9]{1,3}(\\.[0-9]{1,3}){3}", 15, "build_version"),
            None
        );
    }
}
