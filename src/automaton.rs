//! Compiling a `string` field's pattern to a small table-driven automaton:
//! the generated `metrics` crate checks values with it, without a regex
//! engine, and the `bad-pattern` rule rejects patterns that cannot be compiled.

use std::collections::{BTreeMap, VecDeque};

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, util::syntax};

/// Largest automaton accepted (in the DFA library's own accounting).
pub const SIZE_LIMIT: usize = 1 << 20;
/// Most states a generated automaton may have (state ids are `u16`).
pub const MAX_STATES: usize = 4096;

/// A full-match automaton over bytes: state 0 is dead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    /// Byte → equivalence class.
    #[serde(with = "byte_classes")]
    pub classes: [u8; 256],
    pub class_count: usize,
    /// `transitions[state * class_count + class]`.
    pub transitions: Vec<u16>,
    pub start: u16,
    /// The input matched if it ends in this state.
    pub accept: Vec<bool>,
}

impl Table {
    /// Runs the table (what the generated code does).
    pub fn matches(&self, s: &str) -> bool {
        let mut state = usize::from(self.start);
        for b in s.bytes() {
            state = usize::from(
                self.transitions
                    [state * self.class_count + usize::from(self.classes[usize::from(b)])],
            );
            if state == 0 {
                return false;
            }
        }
        self.accept[state]
    }

    /// Every string the table accepts, in byte order, when they are at
    /// most `limit` strings of printable ASCII no longer than `max_len`
    /// (`None` otherwise): a finite pattern is a closed list, judged as
    /// one.
    pub fn strings(&self, max_len: u32, limit: usize) -> Option<Vec<String>> {
        if self.alphabet().iter().any(|b| !(0x20..0x7F).contains(b)) {
            return None;
        }
        let mut out = Vec::new();
        let mut stack: Vec<(usize, Vec<u8>)> = vec![(usize::from(self.start), Vec::new())];
        let mut visits = 0usize;
        while let Some((state, text)) = stack.pop() {
            // Paths that end nowhere cost work too: bounded.
            visits += 1;
            if visits > limit.saturating_mul(256) {
                return None;
            }
            if self.accept[state] {
                out.push(String::from_utf8(text.clone()).ok()?);
                if out.len() > limit {
                    return None;
                }
            }
            if text.len() >= max_len as usize {
                continue;
            }
            for b in (0x20u8..0x7F).rev() {
                let to = usize::from(
                    self.transitions
                        [state * self.class_count + usize::from(self.classes[usize::from(b)])],
                );
                if to != 0 {
                    let mut t = text.clone();
                    t.push(b);
                    stack.push((to, t));
                }
            }
        }
        out.sort_unstable();
        Some(out)
    }

    /// The bytes that appear in some string the table accepts.
    pub fn alphabet(&self) -> Vec<u8> {
        let states = self.accept.len();
        // States from which an accepting state can be reached.
        let mut live = self.accept.clone();
        loop {
            let mut changed = false;
            for s in 1..states {
                if live[s] {
                    continue;
                }
                if (0..self.class_count).any(|c| {
                    let to = usize::from(self.transitions[s * self.class_count + c]);
                    to != 0 && live[to]
                }) {
                    live[s] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // States reachable from the start.
        let mut seen = vec![false; states];
        let mut stack = vec![usize::from(self.start)];
        let mut classes = vec![false; self.class_count];
        while let Some(s) = stack.pop() {
            if s == 0 || seen[s] {
                continue;
            }
            seen[s] = true;
            for (c, used) in classes.iter_mut().enumerate() {
                let to = usize::from(self.transitions[s * self.class_count + c]);
                if to != 0 && live[to] {
                    *used = true;
                    stack.push(to);
                }
            }
        }
        (0..=255u8)
            .filter(|&b| classes[usize::from(self.classes[usize::from(b)])])
            .collect()
    }
}

/// Compiles `pattern` (which must match the whole input) to a [`Table`].
pub fn compile(pattern: &str) -> Result<Table, String> {
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Anchored)
                .minimize(true)
                .dfa_size_limit(Some(SIZE_LIMIT))
                .determinize_size_limit(Some(SIZE_LIMIT)),
        )
        .syntax(syntax::Config::new().utf8(true))
        .build(&format!("^(?:{pattern})$"))
        .map_err(|e| format!("cannot compile to an automaton: {e}"))?;
    let start = dfa
        .start_state(&start::Config::new().anchored(Anchored::Yes))
        .map_err(|e| format!("cannot compile to an automaton: {e}"))?;

    // Number the reachable states breadth-first; 0 is the dead state.
    let mut ids: BTreeMap<StateID, u16> = BTreeMap::new();
    let mut order: Vec<StateID> = Vec::new();
    let mut queue = VecDeque::new();
    let number = |id: StateID,
                  ids: &mut BTreeMap<StateID, u16>,
                  order: &mut Vec<StateID>,
                  queue: &mut VecDeque<StateID>|
     -> Result<u16, String> {
        if dfa.is_dead_state(id) {
            return Ok(0);
        }
        if dfa.is_quit_state(id) {
            return Err("the pattern needs look-around the generated automaton cannot do (e.g. a Unicode word boundary)".into());
        }
        if let Some(&n) = ids.get(&id) {
            return Ok(n);
        }
        let n = u16::try_from(order.len() + 1)
            .ok()
            .filter(|&n| usize::from(n) < MAX_STATES);
        let n = n.ok_or_else(|| format!("the automaton has more than {MAX_STATES} states"))?;
        ids.insert(id, n);
        order.push(id);
        queue.push_back(id);
        Ok(n)
    };
    let start_n = number(start, &mut ids, &mut order, &mut queue)?;
    let mut rows: Vec<[u16; 256]> = vec![[0; 256]]; // the dead state
    let mut accept = vec![false];
    while let Some(id) = queue.pop_front() {
        let mut row = [0u16; 256];
        for (b, slot) in row.iter_mut().enumerate() {
            *slot = number(
                dfa.next_state(id, b as u8),
                &mut ids,
                &mut order,
                &mut queue,
            )?;
        }
        rows.push(row);
        accept.push(dfa.is_match_state(dfa.next_eoi_state(id)));
    }
    // Equivalence classes: bytes whose column is the same in every state.
    let mut classes = [0u8; 256];
    let mut columns: Vec<Vec<u16>> = Vec::new();
    for b in 0..256 {
        let column: Vec<u16> = rows.iter().map(|r| r[b]).collect();
        let class = match columns.iter().position(|c| *c == column) {
            Some(c) => c,
            None => {
                columns.push(column);
                columns.len() - 1
            }
        };
        classes[b] = u8::try_from(class).map_err(|_| "too many byte classes".to_string())?;
    }
    let class_count = columns.len();
    let mut transitions = vec![0u16; rows.len() * class_count];
    for (s, row) in rows.iter().enumerate() {
        for b in 0..256 {
            transitions[s * class_count + usize::from(classes[b])] = row[b];
        }
    }
    Ok(Table {
        classes,
        class_count,
        transitions,
        start: start_n,
        accept,
    })
}

#[cfg(test)]
mod tests {
    use super::compile;

    #[test]
    fn tables_match_like_the_regex() {
        let cases: &[(&str, &[&str])] = &[
            (
                "[a-z0-9_]{1,8}",
                &["", "a", "x86_64", "abcdefgh", "abcdefghi", "A", "a-b", "é"],
            ),
            (
                "v[0-9]+(\\.[0-9]+)?",
                &["v1", "v1.2", "v", "v1.", "1.2", "v12.34"],
            ),
            ("(ios|android)", &["ios", "android", "androi", "iosx", ""]),
            ("é+", &["é", "éé", "e", "\u{e9}x"]),
        ];
        for (pattern, inputs) in cases {
            let table = compile(pattern).unwrap();
            let re = regex::Regex::new(&format!("^(?:{pattern})$")).unwrap();
            for input in *inputs {
                assert_eq!(
                    table.matches(input),
                    re.is_match(input),
                    "{pattern} on {input:?}"
                );
            }
        }
    }

    #[test]
    fn the_alphabet_is_what_accepted_strings_use() {
        assert_eq!(
            compile("[0-9]{2}").unwrap().alphabet(),
            b"0123456789".to_vec()
        );
        assert_eq!(compile("a|b").unwrap().alphabet(), b"ab".to_vec());
    }

    #[test]
    fn hostile_patterns_are_refused() {
        assert!(compile("\\w{1,1000}").is_err());
    }
}

/// The pattern to generate sample strings from (proptest's generator has no
/// anchors or word boundaries). A pattern always matches the whole value,
/// so `^[a-z]{2}$` generates like `[a-z]{2}`: every look-around assertion
/// is dropped. For anchors at the ends that is exact; for a word boundary
/// inside, the generated strings are a superset, and the generated
/// constructors (the pattern's own automaton) filter them. `None` when the
/// pattern does not parse.
pub fn generation_pattern(pattern: &str) -> Option<String> {
    use regex_syntax::hir::{self, Hir, HirKind};
    fn drop_looks(h: &Hir) -> Hir {
        match h.kind() {
            HirKind::Look(_) => Hir::empty(),
            HirKind::Concat(xs) => Hir::concat(xs.iter().map(drop_looks).collect()),
            HirKind::Alternation(xs) => Hir::alternation(xs.iter().map(drop_looks).collect()),
            HirKind::Repetition(r) => Hir::repetition(hir::Repetition {
                sub: Box::new(drop_looks(&r.sub)),
                ..r.clone()
            }),
            HirKind::Capture(c) => Hir::capture(hir::Capture {
                sub: Box::new(drop_looks(&c.sub)),
                ..c.clone()
            }),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => h.clone(),
        }
    }
    let parsed = regex_syntax::Parser::new().parse(pattern).ok()?;
    if parsed.properties().look_set().is_empty() {
        return Some(pattern.to_string());
    }
    let mut out = String::new();
    hir::print::Printer::new()
        .print(&drop_looks(&parsed), &mut out)
        .ok()?;
    Some(out)
}

#[cfg(test)]
mod generation_tests {
    use super::*;

    #[test]
    fn finite_patterns_are_listed_and_large_ones_are_not() {
        let t = compile("(team|anna|jo)").unwrap();
        assert_eq!(
            t.strings(8, 10),
            Some(vec!["anna".to_string(), "jo".into(), "team".into()])
        );
        // Past the limit, or past max_len, nothing is listed or admitted.
        assert_eq!(compile("[a-z]{3}").unwrap().strings(3, 100), None);
        assert_eq!(t.strings(2, 10), Some(vec!["jo".to_string()]));
        // A language longer than max_len costs bounded work.
        assert_eq!(compile("[a-z]{7}X").unwrap().strings(7, 256), None);
        assert_eq!(compile("[a-z]*").unwrap().strings(4096, 256), None);
        // Bytes outside printable ASCII are not listed.
        assert_eq!(compile("\u{e9}").unwrap().strings(4, 10), None);
    }

    #[test]
    fn generation_patterns_have_no_look_around_and_keep_the_language() {
        assert_eq!(generation_pattern("[a-z]{2}").as_deref(), Some("[a-z]{2}"));
        for (pattern, member) in [
            ("^[a-z]{2}$", "ab"),
            (r"\A(?:v[0-9]+)\z", "v12"),
            (r"(?-u:\b)[a-z]+(?-u:\b)", "abc"),
            (r"^(?i)en|de$", "DE"),
        ] {
            let generated = generation_pattern(pattern).unwrap();
            let parsed = regex_syntax::Parser::new().parse(&generated).unwrap();
            assert!(parsed.properties().look_set().is_empty(), "{generated}");
            assert!(
                proptest::string::string_regex(&generated).is_ok(),
                "{generated}"
            );
            // The same strings match, as whole values.
            let table = compile(pattern).unwrap();
            assert!(table.matches(member), "{pattern} {member}");
            assert!(compile(&generated).unwrap().matches(member), "{generated}");
        }
        assert_eq!(generation_pattern("(unclosed"), None);
    }
}

/// [`Table::classes`] as a byte string (serde has no arrays of 256).
mod byte_classes {
    pub fn serialize<S: serde::Serializer>(classes: &[u8; 256], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(classes)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[u8; 256], D::Error> {
        let bytes: Vec<u8> = serde::Deserialize::deserialize(d)?;
        bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("an automaton has 256 byte classes"))
    }
}
