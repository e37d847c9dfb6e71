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

/// Byte ranges of the hidden characters in `s`.
/// A byte-order mark that opens the text is not counted: editors on
/// Windows write one, and it hides nothing.
pub fn hidden_ranges(s: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    s.char_indices()
        .filter(|&(i, c)| is_hidden(c) && !(i == 0 && c == '\u{FEFF}'))
        .map(|(i, c)| i..i + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

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
