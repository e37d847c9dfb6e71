//! A YAML document as a tree whose every node knows its line, built from
//! `yaml-rust2`'s events, so that the importer can say where in the file a
//! definition it cannot read is. Anchors and aliases are resolved, `<<`
//! merge keys are applied, and every scalar stays text (`2027-06-30`,
//! `true` and `140` are read as the importer needs them, not guessed here).

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A node and the line (from 1) it starts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub line: usize,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar's text; `quoted` for single- or double-quoted and block
    /// scalars (never null, a boolean or a number).
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    /// Entries in file order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar text, if this is a scalar.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// Whether this is YAML's null: `~`, `null`, or nothing at all.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, quoted: false } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A plain `true` or `false` (YAML 1.2 core schema).
    pub fn bool(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar {
                text,
                quoted: false,
            } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// A plain whole number.
    pub fn integer(&self) -> Option<i64> {
        match &self.value {
            Value::Scalar {
                text,
                quoted: false,
            } => text.parse().ok(),
            _ => None,
        }
    }

    pub fn entries(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The value under scalar key `key`, if this is a mapping that has one.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.text() == Some(key))
            .map(|(_, v)| v)
    }

    pub fn items(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// A list of scalars: a sequence of them, or one scalar alone.
    pub fn texts(&self) -> Vec<String> {
        match &self.value {
            Value::Seq(s) => s
                .iter()
                .filter_map(|n| n.text().map(str::to_string))
                .collect(),
            Value::Scalar { text, .. } if !self.is_null() => vec![text.clone()],
            _ => Vec::new(),
        }
    }

    /// What this node is, for messages.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Scalar { .. } if self.is_null() => "nothing",
            Value::Scalar { .. } => "a scalar",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A YAML syntax error, with its place.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses `text`, which must hold one document (an empty file is an empty
/// mapping). A key given twice in one mapping is an error: YAML forbids it,
/// and readers disagree on which value wins.
pub fn parse(text: &str) -> Result<Node, Error> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    // Events are pulled one at a time (the parser's own `load` recurses once
    // per level of nesting, and a deep enough document overflows the stack).
    loop {
        let (event, mark) = parser.next_token().map_err(|e| Error {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
        })?;
        if event == Event::StreamEnd {
            break;
        }
        builder.on_event(event, mark);
        if builder.stack.len() > MAX_DEPTH && builder.error.is_none() {
            builder.error = Some(Error {
                line: mark.line(),
                column: mark.col() + 1,
                message: format!(
                    "collections nested more than {MAX_DEPTH} deep: a definitions file is a few levels deep"
                ),
            });
        }
        if builder.error.is_some() {
            break;
        }
    }
    if let Some(e) = builder.error {
        return Err(e);
    }
    if let Some(line) = builder.second_document {
        return Err(Error {
            line,
            column: 1,
            message: "a second YAML document: a definitions file holds one".into(),
        });
    }
    Ok(builder.root.unwrap_or(Node {
        line: 1,
        value: Value::Map(Vec::new()),
    }))
}

/// Collections being built, innermost last; each remembers its anchor and,
/// for a mapping, its keys so far (with their lines).
#[derive(Default)]
struct Builder {
    stack: Vec<(Node, usize, HashMap<String, usize>)>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    error: Option<Error>,
    /// Nodes built so far (aliases included): a bound against alias bombs.
    built: usize,
    /// Bytes of scalar text copied by aliases so far: the same bound for
    /// few nodes with long texts.
    built_bytes: usize,
    /// Where a second document starts, if there is one.
    second_document: Option<usize>,
}

/// Most nodes a document may expand to (aliases counted at their size):
/// Firefox for Android's 530 metrics are some 16,000.
const MAX_NODES: usize = 1_000_000;

/// Most bytes of text aliases may copy (the file itself is read whole).
const MAX_BYTES: usize = 64 << 20;

/// Deepest nesting of collections a document may have (Glean's files are
/// four deep); every reader of the tree may then recurse safely.
pub const MAX_DEPTH: usize = 64;

impl Builder {
    fn push_value(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some((parent, _, keys)) => match &mut parent.value {
                Value::Seq(items) => items.push(node),
                Value::Map(entries) => {
                    // A key waits as an entry with a placeholder value.
                    match entries.last_mut() {
                        Some((_, v)) if v.line == 0 => *v = node,
                        _ => {
                            let key = match &node.value {
                                Value::Scalar { text, .. } => Some(text.as_str()),
                                _ => None,
                            };
                            let Some(key) = key else {
                                self.error = Some(Error {
                                    line: node.line,
                                    column: 1,
                                    message: format!("a key that is {}, not a scalar", node.kind()),
                                });
                                return;
                            };
                            if key != "<<"
                                && let Some(first) = keys.insert(key.to_string(), node.line)
                            {
                                self.error = Some(Error {
                                    line: node.line,
                                    column: 1,
                                    message: format!(
                                        "key `{key}` is given twice in one mapping (first on line {first}); readers disagree on which one counts"
                                    ),
                                });
                                return;
                            }
                            entries.push((
                                node,
                                Node {
                                    line: 0,
                                    value: Value::Scalar {
                                        text: String::new(),
                                        quoted: false,
                                    },
                                },
                            ));
                        }
                    }
                }
                Value::Scalar { .. } => {}
            },
        }
    }
}

/// Nodes of `node` and bytes of its scalars: what a copy of it costs.
fn count(node: &Node) -> (usize, usize) {
    let add = |(a, b): (usize, usize), (c, d): (usize, usize)| (a + c, b + d);
    match &node.value {
        Value::Scalar { text, .. } => (1, text.len()),
        Value::Seq(items) => items.iter().map(count).fold((1, 0), add),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| add(count(k), count(v)))
            .fold((1, 0), add),
    }
}

/// Applies `<<` merge keys: the merged mappings' entries that the mapping
/// does not set itself, after its own.
fn merge(node: &mut Node) {
    let Value::Map(entries) = &mut node.value else {
        return;
    };
    if !entries.iter().any(|(k, _)| k.text() == Some("<<")) {
        return;
    }
    let (merged, own): (Vec<_>, Vec<_>) = std::mem::take(entries)
        .into_iter()
        .partition(|(k, _)| k.text() == Some("<<"));
    *entries = own;
    for (_, source) in merged {
        let sources = match source.value {
            Value::Seq(items) => items,
            _ => vec![source],
        };
        for s in sources {
            if let Value::Map(add) = s.value {
                for (k, v) in add {
                    if !entries.iter().any(|(mine, _)| mine.text() == k.text()) {
                        entries.push((k, v));
                    }
                }
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let line = mark.line();
        match ev {
            Event::Scalar(text, style, anchor, _) => {
                self.built += 1;
                let quoted = !matches!(style, TScalarStyle::Plain);
                self.push_value(
                    Node {
                        line,
                        value: Value::Scalar { text, quoted },
                    },
                    anchor,
                );
            }
            Event::SequenceStart(anchor, _) => self.stack.push((
                Node {
                    line,
                    value: Value::Seq(Vec::new()),
                },
                anchor,
                HashMap::new(),
            )),
            Event::MappingStart(anchor, _) => self.stack.push((
                Node {
                    line,
                    value: Value::Map(Vec::new()),
                },
                anchor,
                HashMap::new(),
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((mut node, anchor, _)) = self.stack.pop() {
                    merge(&mut node);
                    self.built += 1;
                    self.push_value(node, anchor);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(mut node) => {
                    let (nodes, bytes) = count(&node);
                    self.built += nodes;
                    self.built_bytes += bytes;
                    if self.built > MAX_NODES || self.built_bytes > MAX_BYTES {
                        self.error = Some(Error {
                            line,
                            column: mark.col() + 1,
                            message: format!(
                                "aliases expand the document past {MAX_NODES} nodes or {} MiB of text",
                                MAX_BYTES >> 20
                            ),
                        });
                        return;
                    }
                    node.line = line;
                    self.push_value(node, 0);
                }
                None => {
                    self.error = Some(Error {
                        line,
                        column: mark.col() + 1,
                        message: "an alias to an anchor that is not defined before it".into(),
                    });
                }
            },
            Event::DocumentStart => {
                if self.root.is_some() && self.second_document.is_none() {
                    self.second_document = Some(line);
                }
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_anchors_merges_and_scalars() {
        let text = "\
# comment
---
a:
  emails: &e
    - x@example.org
  list: [one, 'two']
b:
  emails: *e
  when: 2027-06-30
  flag: true
  quoted: \"true\"
  text: |
    line one
    line two
base: &base
  k: 1
  j: 2
derived:
  <<: *base
  k: 3
";
        let root = parse(text).unwrap();
        let a = root.get("a").unwrap();
        assert_eq!(a.line, 4);
        assert_eq!(a.get("emails").unwrap().texts(), ["x@example.org"]);
        assert_eq!(a.get("list").unwrap().texts(), ["one", "two"]);
        let b = root.get("b").unwrap();
        assert_eq!(b.get("emails").unwrap().texts(), ["x@example.org"]);
        assert_eq!(b.get("when").unwrap().text(), Some("2027-06-30"));
        assert_eq!(b.get("flag").unwrap().bool(), Some(true));
        assert_eq!(b.get("quoted").unwrap().bool(), None);
        assert_eq!(b.get("text").unwrap().text(), Some("line one\nline two\n"));
        let d = root.get("derived").unwrap();
        assert_eq!(d.get("k").unwrap().integer(), Some(3));
        assert_eq!(d.get("j").unwrap().integer(), Some(2));
        assert!(d.get("<<").is_none());
        assert!(parse("").unwrap().entries().unwrap().is_empty());
    }

    #[test]
    fn errors_have_a_place_and_alias_bombs_stop() {
        let e = parse("a:\n  b: [1, 2\nc: 3\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
        let e = parse("a: *nowhere\n").unwrap_err();
        assert!(e.message.contains("anchor"), "{e:?}");
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            bomb.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                [prev.as_str(); 10].join(", ")
            ));
        }
        let e = parse(&bomb).unwrap_err();
        assert!(e.message.contains("past"), "{e:?}");
        let e = parse("m:\n  type: counter\n  expires: never\n  type: string\n").unwrap_err();
        assert_eq!(e.line, 4, "{e:?}");
        assert!(
            e.message.contains("`type` is given twice") && e.message.contains("line 2"),
            "{e:?}"
        );
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.message.contains("second YAML document"), "{e:?}");
        assert!(parse("---\na: 1\n").is_ok());
        let e = parse("? [a, b]\n: 1\n").unwrap_err();
        assert!(e.message.contains("not a scalar"), "{e:?}");
    }
}
