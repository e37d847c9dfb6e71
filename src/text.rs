//! Characters a reader cannot see: what reaches a terminal, an annotation
//! or a review must be what the file holds (the Trojan-source trick hides
//! code or prose behind bidirectional overrides and zero-width characters).

use std::borrow::Cow;

/// Whether `c` is invisible or reorders the text around it: bidirectional
/// embeddings, overrides, isolates and marks; zero-width spaces and joiners;
/// the byte-order mark; invisible operators, fillers and tag characters;
/// line and paragraph separators (which end a line for some readers only).
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                      // soft hyphen
        | '\u{034F}'                    // combining grapheme joiner
        | '\u{061C}'                    // Arabic letter mark
        | '\u{115F}' | '\u{1160}'       // Hangul fillers
        | '\u{17B4}' | '\u{17B5}'       // Khmer inherent vowels
        | '\u{180B}'..='\u{180F}'       // Mongolian selectors and vowel separator
        | '\u{200B}'..='\u{200F}'       // zero-width space, joiners, LRM, RLM
        | '\u{2028}'..='\u{202E}'       // separators, embeddings, overrides
        | '\u{2060}'..='\u{206F}'       // word joiner, invisible operators, isolates
        | '\u{3164}'                    // Hangul filler
        | '\u{FE00}'..='\u{FE0F}'       // variation selectors
        | '\u{FEFF}'                    // zero-width no-break space, BOM
        | '\u{FFA0}'                    // halfwidth Hangul filler
        | '\u{FFF9}'..='\u{FFFB}'       // interlinear annotations
        | '\u{E0000}'..='\u{E007F}'     // tags
    )
}

/// Whether `c` must be escaped before text reaches a person: a control
/// character (newlines and tabs too, unless `lines` keeps them) or a
/// hidden one.
fn unsafe_char(c: char, lines: bool) -> bool {
    (c.is_control() && !(lines && (c == '\n' || c == '\t'))) || is_hidden(c)
}

/// `s` with control and hidden characters escaped as `\u{…}` (and
/// `\n`, `\t`, …): one line of text from input, safe for a terminal or an
/// annotation.
pub fn shown(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// [`shown`], keeping newlines and tabs: text of several lines.
pub fn shown_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, lines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| unsafe_char(c, lines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c, lines) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Contributor text for a Markdown page or a review pasted into a pull
/// request, on one line, inert: no HTML (`<`, `>`, `&` as entities), no
/// links, images or code breaking out (`[`, `]`, backticks, backslashes,
/// table pipes escaped), and every word that a forge would turn into a
/// mention, an issue reference (and so a closing keyword such as "Fixes
/// #1") or a link (`@`, `#`, `://`, `www.`) set as code, which forges
/// leave alone. Hidden characters are shown as escapes.
pub fn markdown_inline(s: &str) -> String {
    // Paired backticks stay code spans (inert, and what the author meant);
    // the text between them is escaped word by word.
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() > 1 && parts.len() % 2 == 1 {
        return parts
            .iter()
            .enumerate()
            .map(|(i, part)| {
                if i % 2 == 1 {
                    code_span(&part.split_whitespace().collect::<Vec<_>>().join(" "))
                } else {
                    let lead = if part.starts_with(char::is_whitespace) {
                        " "
                    } else {
                        ""
                    };
                    let trail = if part.ends_with(char::is_whitespace) {
                        " "
                    } else {
                        ""
                    };
                    let words = markdown_words(part);
                    if words.is_empty() {
                        lead.to_string()
                    } else {
                        format!("{lead}{words}{trail}")
                    }
                }
            })
            .collect::<String>()
            .trim()
            .to_string();
    }
    markdown_words(s)
}

fn markdown_words(s: &str) -> String {
    let words: Vec<String> = s
        .split_whitespace()
        .map(|w| {
            let w = shown(w);
            // Where a mention, reference or link could start, the rest of
            // the word is set as code; what comes before it is escaped.
            let lower = w.to_ascii_lowercase();
            let link = lower.find("://").map(|i| {
                lower[..i]
                    .char_indices()
                    .rfind(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
                    .map_or(0, |(j, c)| j + c.len_utf8())
            });
            let live = [w.find(['@', '#']), link, lower.find("www.")]
                .into_iter()
                .flatten()
                .min();
            match live {
                Some(at) => escape_markdown(&w[..at]) + &code_span(&w[at..]),
                None => escape_markdown(&w),
            }
        })
        .collect();
    words.join(" ")
}

/// `s` with what Markdown or HTML would read as markup escaped.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous = ' ';
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // `(` only after `]`, where a link's target would start.
            '(' if previous != ']' => out.push(c),
            '\\' | '`' | '[' | ']' | '(' | '!' | '|' | '*' | '_' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        previous = c;
    }
    out
}

/// `s` as a Markdown code span (fenced with more backticks than it holds
/// in a row), pipes escaped for tables.
pub fn code_span(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}").replace('|', "\\|")
}

/// Serialized JSON with every hidden character, C1 control and line or
/// paragraph separator (U+0085, U+2028, U+2029) written as a `\\uXXXX`
/// escape: the same JSON value, but a line-splitting reader cannot cut a
/// record in two, and a viewer of the raw text sees what is there. Such
/// characters only occur inside strings, where the escape is valid.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| is_hidden(c) || ('\u{80}'..='\u{9F}').contains(&c);
    if !json.chars().any(unsafe_char) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_char(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Byte ranges of the hidden characters in `s`.
/// A byte-order mark that opens the text is not counted: editors on
/// Windows write one, and it hides nothing.
pub fn hidden_ranges(s: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    s.char_indices()
        .filter(|&(i, c)| is_hidden(c) && !(i == 0 && c == '\u{FEFF}'))
        .map(|(i, c)| i..i + c.len_utf8())
}

/// The first `n` of `items` joined by commas, and `…` after them when
/// there were more: a list in a message stays one line however long.
pub fn first_few(items: impl IntoIterator<Item = String>, n: usize) -> String {
    let mut items = items.into_iter();
    let shown: Vec<String> = items.by_ref().take(n).collect();
    let more = if items.next().is_some() { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

/// The byte lengths of the prefix and the suffix all `values` share, each
/// ending (or starting) at a separator (`_`, `-`, `.`, a space), so that
/// words are never cut.
pub fn common_affixes(values: &[&str]) -> (usize, usize) {
    let sep = |b: u8| matches!(b, b'_' | b'-' | b'.' | b' ');
    let (Some(first), true) = (values.first(), values.len() >= 2) else {
        return (0, 0);
    };
    let shortest = values.iter().map(|v| v.len()).min().unwrap_or(0);
    let mut head = 0;
    for (i, b) in first.bytes().enumerate().take(shortest) {
        if values.iter().any(|v| v.as_bytes()[i] != b) {
            break;
        }
        if sep(b) {
            head = i + 1;
        }
    }
    let mut tail = 0;
    for i in 0..shortest.saturating_sub(head) {
        let b = first.as_bytes()[first.len() - 1 - i];
        if values.iter().any(|v| v.as_bytes()[v.len() - 1 - i] != b) {
            break;
        }
        if sep(b) {
            tail = i + 1;
        }
    }
    (head, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_is_cut_after_its_first_few() {
        let items = |n: usize| (1..=n).map(|i| i.to_string());
        assert_eq!(super::first_few(items(3), 4), "1, 2, 3");
        assert_eq!(super::first_few(items(4), 4), "1, 2, 3, 4");
        assert_eq!(super::first_few(items(5), 4), "1, 2, 3, 4, …");
        assert_eq!(super::first_few(items(0), 4), "");
    }

    #[test]
    fn json_keeps_its_value_and_loses_its_hidden_characters() {
        let value = serde_json::json!({"k\u{202E}": "a\u{2028}b\u{85}c\u{E0041}d"});
        let text = value.to_string();
        let safe = json_safe(&text);
        assert!(safe.is_ascii(), "{safe}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
            value
        );
        assert!(matches!(json_safe("{\"a\":\"é\"}"), Cow::Borrowed(_)));
    }

    #[test]
    fn contributor_text_is_inert_in_markdown() {
        let md = markdown_inline(
            "<script>alert(1)</script> ![t](http://evil.example/p.png) [login](https://evil.example) <!-- x --> @octocat Fixes #1 www.evil.example `code` a|b \u{202E}",
        );
        for bad in ["<script", "<!--", " @octocat", " #1", "\u{202E}"] {
            assert!(!md.contains(bad), "{bad} in {md}");
        }
        // Link and image syntax escaped, the address itself as code.
        for bad in ["![t](http", "](https", "](javascript:"] {
            assert!(!md.contains(bad), "{bad} in {md}");
        }
        assert!(
            md.contains("\\!\\[t\\]\\(`http://evil.example/p.png)`"),
            "{md}"
        );
        // A scheme after a character of several bytes (found by fuzzing).
        assert_eq!(markdown_inline("é://x"), "é`://x`");
        let js = markdown_inline("[x](javascript:alert(1))");
        assert!(!js.contains("](javascript:"), "{js}");
        assert!(md.contains("`@octocat`"), "{md}");
        assert!(md.contains("`#1`"), "{md}");
        assert!(md.contains("`www.evil.example`"), "{md}");
        assert!(md.contains("a\\|b"), "{md}");
        assert_eq!(
            markdown_inline("Plain words, in commas."),
            "Plain words, in commas."
        );
        assert_eq!(
            markdown_inline("Set `telemetry = false` or `X=0`."),
            "Set `telemetry = false` or `X=0`."
        );
        assert_eq!(markdown_inline("a `b` c"), "a `b` c");
        assert_eq!(markdown_inline("odd ` tick"), "odd \\` tick");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a"), "`` `a ``");
    }

    #[test]
    fn hidden_characters_are_escaped_and_plain_text_is_borrowed() {
        assert_eq!(shown("abc\u{202E}def"), "abc\\u{202e}def");
        assert_eq!(shown("a\u{200B}b\u{2066}c"), "a\\u{200b}b\\u{2066}c");
        assert_eq!(shown("line\nnext"), "line\\nnext");
        assert_eq!(shown_lines("line\nnext\u{1b}[2J"), "line\nnext\\u{1b}[2J");
        assert!(matches!(shown("café “quoted” 日本"), Cow::Borrowed(_)));
        assert_eq!(
            hidden_ranges("\u{FEFF}a\u{202E}b\u{FEFF}").collect::<Vec<_>>(),
            vec![4..7, 8..11]
        );
    }
}
