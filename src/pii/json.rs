//! A small JSON reader that keeps what structure-aware scanning needs: for
//! every scalar, its JSON pointer, the key it sits under, and the byte range
//! of its text in the input (so findings carry exact offsets), with a map
//! from decoded string offsets back to input offsets when escapes are used.

use std::ops::Range;

/// Deepest nesting accepted (hostile input cannot exhaust the stack).
pub const MAX_DEPTH: usize = 128;

/// A scalar value of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar<'a, 'p> {
    /// JSON pointer (RFC 6901) of the value.
    pub pointer: &'p str,
    /// The object key the value is under (the nearest one, for array items),
    /// decoded.
    pub key: &'p str,
    /// For an array item: the item just before it, when that was a string
    /// without escapes (in `["ldap", "ldap_agent_password", "…"]` rows the
    /// name of the value before it). For an object's `value` (or another
    /// key that only says a value is held, [`super::holder_key`]): the
    /// `name` or `key` member before it (`{"name": "DB_PASSWORD", "value":
    /// …}`).
    pub sibling: Option<&'a str>,
    pub value: ScalarValue<'a>,
    /// Byte range of the value's text in the input (for strings, inside the quotes).
    pub span: Range<usize>,
    /// For strings with escapes: input offset of each decoded byte.
    pub offsets: Option<Vec<usize>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScalarValue<'a> {
    /// Borrowed from the input unless it had escapes.
    String(std::borrow::Cow<'a, str>),
    /// The number's text, as written.
    Number(&'a str),
    /// An object key, decoded (borrowed unless it had escapes). A key is
    /// data as much as a value is when a map is keyed by what it counts
    /// (`{"users": {"jane@example.org": …}}`). Its scalar's pointer is the
    /// member's, its `key` the enclosing object's key.
    Key(std::borrow::Cow<'a, str>),
    Bool(bool),
    Null,
}

impl Scalar<'_, '_> {
    /// The input byte range of decoded string bytes `range`.
    pub fn input_range(&self, range: Range<usize>) -> Range<usize> {
        match &self.offsets {
            None => self.span.start + range.start..self.span.start + range.end,
            Some(map) => {
                let start = map.get(range.start).copied().unwrap_or(self.span.end);
                let end = if range.end == 0 {
                    start
                } else {
                    map.get(range.end - 1).map_or(self.span.end, |&o| o + 1)
                };
                start..end.max(start)
            }
        }
    }
}

/// Where and why the input is not JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub offset: usize,
    pub message: String,
}

/// Reads one JSON value from `input` (surrounding white space allowed) and
/// calls `visit` for every scalar in document order. Object keys starting
/// with `_` are skipped with their values when `skip_underscore` is set
/// (the examples' `_comment`).
pub fn walk<'a, F: for<'p> FnMut(Scalar<'a, 'p>)>(
    input: &'a str,
    skip_underscore: bool,
    visit: &mut F,
) -> Result<(), Error> {
    let mut p = Parser {
        s: input,
        b: input.as_bytes(),
        i: 0,
        skip_underscore,
        trailing_commas: None,
    };
    p.ws();
    let mut pointer = String::new();
    p.value(&mut pointer, "", None, 0, Some(visit))?;
    p.ws();
    if p.i != p.b.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    Ok(())
}

/// One document of a stream read by [`walk_documents`].
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Byte offset of the document's first character.
    pub start: usize,
    /// Where it is not JSON: at most one error that ended it early, and
    /// every trailing comma (read past, as most producers mean them).
    pub errors: Vec<Error>,
}

/// Reads `input` as a stream of JSON documents separated by white space
/// (pretty-printed documents one after another, as `jq .` prints them) and
/// calls `visit` for every scalar. Nothing is dropped: a trailing comma is
/// reported and read past; after any other error the document ends there
/// (its scalars already visited stay), and reading resumes at the next line
/// that starts a document (`{` or `[` as its first character).
pub fn walk_documents<'a, F: for<'p> FnMut(Scalar<'a, 'p>)>(
    input: &'a str,
    skip_underscore: bool,
    visit: &mut F,
) -> Vec<Document> {
    let mut p = Parser {
        s: input,
        b: input.as_bytes(),
        i: 0,
        skip_underscore,
        trailing_commas: Some(Vec::new()),
    };
    let mut out = Vec::new();
    let mut pointer = String::new();
    loop {
        p.ws();
        if p.i >= p.b.len() {
            return out;
        }
        let start = p.i;
        pointer.clear();
        let result = p.value(&mut pointer, "", None, 0, Some(&mut *visit));
        let mut errors: Vec<Error> = p
            .trailing_commas
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
            .into_iter()
            .map(|offset| Error {
                offset,
                message: "trailing comma".into(),
            })
            .collect();
        if let Err(e) = result {
            errors.push(e.clone());
            // Resume at the next line that starts a document.
            let mut at = e.offset.max(start + 1);
            loop {
                match p.b[at.min(p.b.len())..].iter().position(|&b| b == b'\n') {
                    Some(nl) => at += nl + 1,
                    None => {
                        at = p.b.len();
                        break;
                    }
                }
                if matches!(p.b.get(at), Some(b'{' | b'[')) {
                    break;
                }
            }
            p.i = at;
        }
        out.push(Document { start, errors });
    }
}

/// The length of the leading run of `b` that needs no decoding: no quote,
/// backslash or control byte. Eight bytes at a time (SWAR).
fn plain_run(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let special = |c: u8| c == b'"' || c == b'\\' || c < 0x20;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
        // A byte is flagged when it is `"`, `\` or below 0x20 (exact for
        // ASCII bytes; bytes >= 0x80 never are).
        let flagged = zero_in(w ^ (ONES * u64::from(b'"')))
            | zero_in(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS);
        if flagged != 0 {
            break;
        }
        i += 8;
    }
    while i < b.len() && !special(b[i]) {
        i += 1;
    }
    i
}

/// Appends `index` in decimal to `pointer` (no formatting machinery, no
/// allocation: it runs for every array item).
fn push_index(pointer: &mut String, index: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = index;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        pointer.push(char::from(d));
    }
}

/// A string's decoded text, its span inside the quotes, and the offset map
/// when it had escapes.
type RawString<'a> = (std::borrow::Cow<'a, str>, Range<usize>, Option<Vec<usize>>);

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    skip_underscore: bool,
    /// When reading leniently: the offsets of trailing commas read past.
    trailing_commas: Option<Vec<usize>>,
}

impl<'a> Parser<'a> {
    fn err(&self, message: &str) -> Error {
        Error {
            offset: self.i.min(self.b.len()),
            message: message.to_string(),
        }
    }

    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    /// Reads the value at `self.i`, visiting its scalars; returns the
    /// value's text when it is a string without escapes (the next array
    /// item's `sibling`).
    fn value<F: for<'p> FnMut(Scalar<'a, 'p>)>(
        &mut self,
        pointer: &mut String,
        key: &str,
        sibling: Option<&'a str>,
        depth: usize,
        visit: Option<&mut F>,
    ) -> Result<Option<&'a str>, Error> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        match self.b.get(self.i) {
            Some(b'{') => self.object(pointer, key, depth, visit).map(|()| None),
            Some(b'[') => self.array(pointer, key, depth, visit).map(|()| None),
            Some(b'"') => {
                let (text, span, offsets) = self.string()?;
                let plain = match &text {
                    std::borrow::Cow::Borrowed(t) => Some(*t),
                    std::borrow::Cow::Owned(_) => None,
                };
                if let Some(v) = visit {
                    v(Scalar {
                        pointer,
                        key,
                        sibling,
                        value: ScalarValue::String(text),
                        span,
                        offsets,
                    });
                }
                Ok(plain)
            }
            Some(b't') => self
                .literal("true", ScalarValue::Bool(true), pointer, key, visit)
                .map(|()| None),
            Some(b'f') => self
                .literal("false", ScalarValue::Bool(false), pointer, key, visit)
                .map(|()| None),
            Some(b'n') => self
                .literal("null", ScalarValue::Null, pointer, key, visit)
                .map(|()| None),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                self.number()?;
                if let Some(v) = visit {
                    v(Scalar {
                        pointer,
                        key,
                        sibling,
                        value: ScalarValue::Number(&self.s[start..self.i]),
                        span: start..self.i,
                        offsets: None,
                    });
                }
                Ok(None)
            }
            Some(_) => Err(self.err("expected a JSON value")),
            None => Err(self.err("unexpected end of input")),
        }
    }

    fn literal<F: for<'p> FnMut(Scalar<'a, 'p>)>(
        &mut self,
        word: &str,
        value: ScalarValue<'a>,
        pointer: &str,
        key: &str,
        visit: Option<&mut F>,
    ) -> Result<(), Error> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            let start = self.i;
            self.i += word.len();
            if let Some(v) = visit {
                v(Scalar {
                    pointer,
                    key,
                    sibling: None,
                    value,
                    span: start..self.i,
                    offsets: None,
                });
            }
            Ok(())
        } else {
            Err(self.err("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<(), Error> {
        let start = self.i;
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Parser| {
            let s = p.i;
            while p.i < p.b.len() && p.b[p.i].is_ascii_digit() {
                p.i += 1;
            }
            p.i - s
        };
        if digits(self) == 0 {
            return Err(self.err("invalid number"));
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(self.err("invalid number"));
            }
        }
        debug_assert!(self.i > start);
        Ok(())
    }

    /// A string at `self.i` (on the opening quote): decoded text, the span
    /// inside the quotes, and the offset map when escapes were used.
    fn string(&mut self) -> Result<RawString<'a>, Error> {
        self.i += 1;
        let start = self.i;
        // Fast path: no escapes.
        let j = self.i + plain_run(&self.b[self.i..]);
        if j < self.b.len() && self.b[j] == b'"' {
            self.i = j + 1;
            return Ok((
                std::borrow::Cow::Borrowed(&self.s[start..j]),
                start..j,
                None,
            ));
        }
        let mut out = Vec::new();
        let mut map = Vec::new();
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return Err(self.err("unterminated string"));
            };
            match c {
                b'"' => {
                    let end = self.i;
                    self.i += 1;
                    let text =
                        String::from_utf8(out).map_err(|_| self.err("invalid UTF-8 in string"))?;
                    return Ok((std::borrow::Cow::Owned(text), start..end, Some(map)));
                }
                b'\\' => {
                    let at = self.i;
                    self.i += 1;
                    let decoded: char = match self.b.get(self.i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hex = |p: &Parser, at: usize| -> Option<u32> {
                                p.s.get(at..at + 4)
                                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                            };
                            let hi = hex(self, self.i + 1)
                                .ok_or_else(|| self.err("invalid \\u escape"))?;
                            self.i += 4;
                            let code = if (0xD800..0xDC00).contains(&hi)
                                && self.b.get(self.i + 1) == Some(&b'\\')
                                && self.b.get(self.i + 2) == Some(&b'u')
                            {
                                let lo = hex(self, self.i + 3)
                                    .ok_or_else(|| self.err("invalid \\u escape"))?;
                                self.i += 6;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        }
                        _ => return Err(self.err("invalid escape")),
                    };
                    self.i += 1;
                    let mut buf = [0u8; 4];
                    for &byte in decoded.encode_utf8(&mut buf).as_bytes() {
                        out.push(byte);
                        map.push(at);
                    }
                }
                0..=0x1F => return Err(self.err("control character in string")),
                _ => {
                    out.push(c);
                    map.push(self.i);
                    self.i += 1;
                }
            }
        }
    }

    /// On a `,`: steps past it. When reading leniently and `close` follows,
    /// records the trailing comma, steps past `close` too and returns true.
    fn trailing_comma(&mut self, close: u8) -> bool {
        let comma = self.i;
        self.i += 1;
        let Some(commas) = self.trailing_commas.as_mut() else {
            return false;
        };
        let mut j = self.i;
        while j < self.b.len() && matches!(self.b[j], b' ' | b'\t' | b'\n' | b'\r') {
            j += 1;
        }
        if self.b.get(j) == Some(&close) {
            commas.push(comma);
            self.i = j + 1;
            return true;
        }
        false
    }

    fn object<F: for<'p> FnMut(Scalar<'a, 'p>)>(
        &mut self,
        pointer: &mut String,
        outer: &str,
        depth: usize,
        mut visit: Option<&mut F>,
    ) -> Result<(), Error> {
        self.i += 1;
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(());
        }
        // The value of a `name` or `key` member, for a `value` after it
        // (`{"name": "DB_PASSWORD", "value": …}`): what it names.
        let mut named: Option<&'a str> = None;
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return Err(self.err("expected an object key"));
            }
            let (key, key_span, key_offsets) = self.string()?;
            self.ws();
            if self.b.get(self.i) != Some(&b':') {
                return Err(self.err("expected `:` after the key"));
            }
            self.i += 1;
            self.ws();
            let len = pointer.len();
            pointer.push('/');
            if key.bytes().any(|b| b == b'~' || b == b'/') {
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            } else {
                pointer.push_str(&key);
            }
            let skip = self.skip_underscore && key.starts_with('_');
            let mut v = if skip { None } else { visit.as_deref_mut() };
            if let Some(v) = v.as_deref_mut() {
                v(Scalar {
                    pointer,
                    key: outer,
                    sibling: None,
                    value: ScalarValue::Key(key.clone()),
                    span: key_span,
                    offsets: key_offsets,
                });
            }
            let sibling = named.filter(|_| super::holder_key(&key));
            let text = self.value(pointer, &key, sibling, depth + 1, v)?;
            if key.eq_ignore_ascii_case("name") || key.eq_ignore_ascii_case("key") {
                named = text;
            }
            pointer.truncate(len);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => {
                    if self.trailing_comma(b'}') {
                        return Ok(());
                    }
                }
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected `,` or `}`")),
            }
        }
    }

    fn array<F: for<'p> FnMut(Scalar<'a, 'p>)>(
        &mut self,
        pointer: &mut String,
        key: &str,
        depth: usize,
        mut visit: Option<&mut F>,
    ) -> Result<(), Error> {
        self.i += 1;
        self.ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(());
        }
        let mut index = 0usize;
        let mut previous = None;
        loop {
            self.ws();
            let len = pointer.len();
            pointer.push('/');
            push_index(pointer, index);
            previous = self.value(pointer, key, previous, depth + 1, visit.as_deref_mut())?;
            pointer.truncate(len);
            index += 1;
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => {
                    if self.trailing_comma(b']') {
                        return Ok(());
                    }
                }
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected `,` or `]`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalars(input: &str) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        walk(input, true, &mut |s: Scalar| {
            let text = match &s.value {
                ScalarValue::String(t) => t.to_string(),
                ScalarValue::Number(n) => n.to_string(),
                ScalarValue::Bool(b) => b.to_string(),
                ScalarValue::Null => "null".into(),
                ScalarValue::Key(_) => return,
            };
            out.push((s.pointer.to_string(), s.key.to_string(), text));
        })
        .unwrap();
        out
    }

    #[test]
    fn keys_are_visited_with_their_member_pointer_and_outer_key() {
        let mut keys = Vec::new();
        walk(
            r#"{"_c":{"x":1},"users":{"j\u0040e.org":{"n":1}}}"#,
            true,
            &mut |s: Scalar| {
                if let ScalarValue::Key(k) = &s.value {
                    keys.push((s.pointer.to_string(), s.key.to_string(), k.to_string()));
                }
            },
        )
        .unwrap();
        assert_eq!(
            keys,
            [
                ("/users".into(), "".into(), "users".into()),
                ("/users/j@e.org".into(), "users".into(), "j@e.org".into()),
                ("/users/j@e.org/n".into(), "j@e.org".into(), "n".into()),
            ]
        );
    }

    #[test]
    fn pointers_keys_and_values() {
        let got =
            scalars(r#"{"_comment":"x","a":{"b/c":[1,"two",{"d":null}]},"e":-1.5e3,"f":true}"#);
        assert_eq!(
            got,
            [
                ("/a/b~1c/0".into(), "b/c".into(), "1".into()),
                ("/a/b~1c/1".into(), "b/c".into(), "two".into()),
                ("/a/b~1c/2/d".into(), "d".into(), "null".into()),
                ("/e".into(), "e".into(), "-1.5e3".into()),
                ("/f".into(), "f".into(), "true".into()),
            ]
        );
    }

    #[test]
    fn escaped_keys_keep_their_context() {
        // `pass\u0077ord` is `password`: its value is a secret, like any other.
        let got = scalars(r#"{"pass\u0077ord":"hunter2","a\"b":["x"]}"#);
        assert_eq!(got[0].1, "password");
        assert_eq!(got[1], ("/a\"b/0".into(), "a\"b".into(), "x".into()));
        let found = crate::pii::scan_json(r#"{"pass\u0077ord":"hunter2"}"#).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, crate::pii::Kind::Secret);
    }

    #[test]
    fn long_strings_with_late_escapes_and_control_bytes() {
        // The eight-bytes-at-a-time fast path stops exactly at the first
        // byte needing care, wherever it falls in a word.
        for n in 0..24 {
            let plain = "é".repeat(n / 2) + &"a".repeat(n % 2);
            let input = format!(r#"{{"k":"{plain}\n{plain}"}}"#);
            let got = scalars(&input);
            assert_eq!(got[0].2, format!("{plain}\n{plain}"), "{input}");
            let raw = format!("{{\"k\":\"{plain}\u{1}\"}}");
            assert!(
                walk(&raw, false, &mut |_| {}).is_err(),
                "control byte after {n}"
            );
        }
    }

    #[test]
    fn escaped_strings_map_back_to_input_offsets() {
        let input = r#"{"k":"a\"b\u00e9c@d"}"#;
        let mut found = None;
        walk(input, false, &mut |s: Scalar| {
            let ScalarValue::String(text) = &s.value else {
                assert_eq!(s.value, ScalarValue::Key("k".into()));
                return;
            };
            assert_eq!(text, "a\"béc@d");
            let at = text.find('c').unwrap();
            found = Some(s.input_range(at..text.len()));
        })
        .unwrap();
        assert_eq!(&input[found.unwrap()], "c@d");
    }

    #[test]
    fn errors_point_at_the_problem() {
        for (bad, at) in [
            ("{\"a\":}", 5),
            ("[1,2", 4),
            ("{\"a\" 1}", 5),
            ("\"abc", 4),
            ("1 2", 2),
            ("{\"a\":tru}", 5),
        ] {
            let e = walk(bad, false, &mut |_| {}).unwrap_err();
            assert_eq!(e.offset, at, "{bad}: {e:?}");
        }
        let deep = "[".repeat(1000) + &"]".repeat(1000);
        assert_eq!(
            walk(&deep, false, &mut |_| {}).unwrap_err().message,
            "nested too deeply"
        );
    }
}
