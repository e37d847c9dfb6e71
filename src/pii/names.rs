//! People's names in a closed list: given names (`anna`, `markus`) and
//! logins or handles made of names (`jschmidt`, `anna.schmidt`,
//! `m_fischer`), recognised by what they are, from lists of given names and
//! surnames (`names/README.md` says where they come from).
//!
//! One value that is a name proves little: `max`, `grant`, `ruby` and `may`
//! are words too. A list is judged as a whole: it is a list of people when
//! at least [`MIN_NAMES`] of its values are names and they are at least two
//! thirds of it.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Words the name lists hold that stand for no one.
const PLACEHOLDERS: &[&str] = &["unknown", "none", "null", "other", "test", "user", "admin"];

/// Fewest name-shaped values that make a list a list of people.
pub const MIN_NAMES: usize = 3;

fn lists() -> &'static (HashSet<&'static str>, HashSet<&'static str>) {
    static LISTS: OnceLock<(HashSet<&'static str>, HashSet<&'static str>)> = OnceLock::new();
    LISTS.get_or_init(|| {
        (
            // The source lists placeholders as names (`unknown`): they
            // name no one.
            include_str!("names/given.txt")
                .lines()
                .filter(|n| !PLACEHOLDERS.contains(n))
                .collect(),
            include_str!("names/surnames.txt").lines().collect(),
        )
    })
}

/// How `value` names a person, if it does: `a given name`, `an initial
/// and a surname` (`jschmidt`, `m_fischer`) or `a given name and a surname`
/// (`anna.schmidt`). A surname alone is not enough: many are words
/// (`brown`, `green`, `march`).
pub fn person(value: &str) -> Option<&'static str> {
    let (given, surnames) = lists();
    let v = latin_look_alikes(value.trim()).to_ascii_lowercase();
    // Look-alike letters hide a Latin name among Latin letters; a word
    // with none is written in its own script.
    let latin = value.chars().any(|c| c.is_ascii_alphabetic());
    if !v.is_ascii() || !latin && !value.is_ascii() {
        // Written in another script (`Иванов`, `Παπαδάκης`): read as it is
        // spelled in Latin letters. A surname there is no English word
        // (`brown`, `march`), so it names someone on its own.
        let words = transliterations(value.trim());
        return words.iter().find_map(|w| {
            if given.contains(w.as_str()) {
                Some("a given name")
            } else if w.len() >= 4 && surnames.contains(w.as_str()) {
                Some("a surname")
            } else {
                None
            }
        });
    }
    if v.len() > 40 {
        return None;
    }
    let words: Vec<&str> = v
        .split(['.', '_', '-', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let letters = |w: &str| w.bytes().all(|b| b.is_ascii_lowercase());
    match words.as_slice() {
        [one] if letters(one) => {
            if given.contains(one) {
                Some("a given name")
            } else if one.len() >= 5 && surnames.contains(&one[1..]) {
                Some("an initial and a surname")
            } else {
                None
            }
        }
        [first, last] if letters(first) && letters(last) => {
            if !surnames.contains(last) {
                None
            } else if first.len() == 1 {
                Some("an initial and a surname")
            } else {
                given
                    .contains(first)
                    .then_some("a given name and a surname")
            }
        }
        _ => None,
    }
}

/// Whether `login` is a given name and an initial (`hannahf`,
/// `sebastianf`), a login's other common form. Only where a login is
/// expected: in a closed list, a word and a letter are too often a name
/// and a letter by chance (`juliett`).
pub fn given_and_initial(login: &str) -> bool {
    let (given, _) = lists();
    let v = login.to_ascii_lowercase();
    v.len() >= 5 && v.bytes().all(|b| b.is_ascii_lowercase()) && given.contains(&v[..v.len() - 1])
}

/// Whether an English word can start with the letters `a`, `b`: a vowel
/// either, or a consonant cluster words begin with (`br`, `sm`, `th`).
fn word_onset(a: u8, b: u8) -> bool {
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    const CLUSTERS: &[[u8; 2]] = &[
        *b"bl", *b"br", *b"ch", *b"cl", *b"cr", *b"dr", *b"dw", *b"fl", *b"fr", *b"gh", *b"gl",
        *b"gn", *b"gr", *b"kl", *b"kn", *b"kr", *b"ph", *b"pl", *b"pn", *b"pr", *b"ps", *b"qu",
        *b"rh", *b"sc", *b"sh", *b"sk", *b"sl", *b"sm", *b"sn", *b"sp", *b"sq", *b"st", *b"sw",
        *b"th", *b"tr", *b"ts", *b"tw", *b"wh", *b"wr",
    ];
    vowel(a) || vowel(b) || CLUSTERS.contains(&[a, b])
}

/// Words that join a given name to a surname (`Noor Van der Meulen`,
/// `Ana da Silva`, `Ahmed bin Said`).
const PARTICLES: &[&str] = &[
    "van", "der", "den", "de", "del", "della", "da", "das", "do", "dos", "di", "du", "von", "zu",
    "le", "la", "ter", "ten", "bin", "ibn", "al", "el", "af",
];

/// Where text names a person: a capitalised given name, then, after one
/// space (or a `+`, a query's space), a capitalised surname, with particles
/// between them allowed (`Oskar Virtanen`, `Noor Van der Meulen`,
/// `Hugo+Rossi`). Both names must be known ([`lists`]), or particles must
/// join them: `Max Retries` and `Grant Access` are no one, as neither
/// word is a surname.
pub fn in_text(text: &str) -> Vec<std::ops::Range<usize>> {
    if !may_pair(text.as_bytes()) {
        return Vec::new();
    }
    let (given, surnames) = lists();
    // Words: runs of letters (an apostrophe inside, `O'Brien`), each with
    // the separator before it.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    let mut prev = '\0';
    for (i, c) in text.char_indices() {
        // An apostrophe or a hyphen inside a name (`O'Brien`,
        // `Vasquez-Ortiz`): a hyphen only before a capital.
        let joins = |c: char| {
            let next = text[i + c.len_utf8()..].chars().next();
            c == '\'' && next.is_some_and(char::is_alphabetic)
                || c == '-' && next.is_some_and(char::is_uppercase)
        };
        let inside = c.is_alphabetic() || start.is_some() && prev.is_alphabetic() && joins(c);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
        prev = c;
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    let capitalised = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase)
            && chars.clone().any(char::is_lowercase)
            && chars
                .filter(|c| c.is_alphabetic())
                .take(1)
                .all(char::is_lowercase)
    };
    let spaced = |a: (usize, usize), b: (usize, usize)| matches!(&text[a.1..b.0], " " | "+");
    let lower = |w: &str| w.trim_end_matches("'s").to_lowercase();
    // A double name is known when one of its parts is.
    let known = |list: &HashSet<&str>, w: &str| {
        let w = lower(w);
        // Spelled with or without its diacritics (`Ruairí`, listed
        // `ruairi`; `Lucía`, listed both ways).
        let found = |w: &str| list.contains(w) || w.split('-').any(|part| list.contains(part));
        found(&w) || !w.is_ascii() && found(&crate::vocabulary::fold_name(&w))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < words.len() {
        let first = &text[words[i].0..words[i].1];
        let alone = words[i].0 == 0
            || !text[..words[i].0]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '@'));
        if !(alone && first.chars().count() >= 3 && capitalised(first) && known(given, first)) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut particles = 0;
        while j + 1 < words.len()
            && particles < 2
            && spaced(words[j - 1], words[j])
            && PARTICLES.contains(&text[words[j].0..words[j].1].to_lowercase().as_str())
        {
            particles += 1;
            j += 1;
        }
        let last = &text[words[j].0..words[j].1];
        let ends = text[words[j].1..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '@' | '-')));
        // A surname no list holds is confirmed by the person's own login or
        // address right after the name, made from it (`Beatriz Kamiński
        // (beatriz.kaminski)`, `Oskar Whitfield <owhitfield@…>`).
        let confirmed = || {
            let after = &text[words[j].1..];
            let Some(inside) = after
                .strip_prefix(" (")
                .or_else(|| after.strip_prefix(" <"))
            else {
                return false;
            };
            let login =
                inside[..inside.find([')', '>', ' ']).unwrap_or(inside.len())].to_lowercase();
            let surname = crate::vocabulary::fold_name(&lower(last));
            surname.len() >= 3 && login.contains(&surname)
        };
        if spaced(words[j - 1], words[j])
            && ends
            && last.chars().count() >= 3
            && capitalised(last)
            && (particles > 0 || known(surnames, last) || confirmed())
        {
            out.push(words[i].0..words[j].1);
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// A person's name written in camel case at the start of a word
/// (`HugoHaddadWeekly`, `TiagoNielsen1on1`, a meeting room named after the
/// people in it): a known given name of four letters or more, then a known
/// surname of three or more, each capitalised (`WebServer` is no one's).
/// Only at a word's start, where a name begins what someone typed; after a
/// `.`, `_` or `-` (`state.ReadMarkState`) it is a part of a code's name.
/// Words in the lists (`Read`, `Mark`) still make a rare false finding.
pub fn camel_in_text(text: &str) -> Vec<std::ops::Range<usize>> {
    let (given, surnames) = lists();
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < b.len() {
        if !b[at].is_ascii_uppercase()
            || at > 0
                && (b[at - 1].is_ascii_alphanumeric() || matches!(b[at - 1], b'_' | b'.' | b'-'))
        {
            at += 1;
            continue;
        }
        // Two capitalised parts: an upper-case letter and lower-case ones.
        let part = |from: usize| {
            let lower = b[from + 1..]
                .iter()
                .take_while(|c| c.is_ascii_lowercase())
                .count();
            from + 1 + lower
        };
        let first_end = part(at);
        let second_end = if b.get(first_end).is_some_and(u8::is_ascii_uppercase) {
            part(first_end)
        } else {
            first_end
        };
        // Lowered on the stack, and only for parts long enough.
        let (mut first, mut second) = ([0u8; 24], [0u8; 24]);
        // A whole directory of a path (`/ShawnBruce/OctoPrint-themeify/…`)
        // is an account's, which the owner published; what a name begins
        // is the end of a path or a word of text.
        let word_end = b[second_end..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |i| second_end + i);
        if first_end - at >= 4
            && second_end - first_end >= 3
            && b.get(word_end) != Some(&b'/')
            && super::lowered_on_stack(&text[at..first_end], &mut first)
                .is_some_and(|w| given.contains(w))
            && super::lowered_on_stack(&text[first_end..second_end], &mut second)
                .is_some_and(|w| surnames.contains(w))
        {
            out.push(at..second_end);
        }
        at = second_end.max(at + 1);
    }
    out
}

/// Surnames and given names written in Chinese, Japanese or Korean
/// characters (`names/README.md`).
fn cjk_lists() -> &'static (HashSet<&'static str>, HashSet<&'static str>) {
    static LISTS: OnceLock<(HashSet<&'static str>, HashSet<&'static str>)> = OnceLock::new();
    LISTS.get_or_init(|| {
        (
            include_str!("names/cjk-surnames.txt").lines().collect(),
            include_str!("names/cjk-given.txt").lines().collect(),
        )
    })
}

/// Whether `c` is a Han, kana or Hangul character (the scripts that write
/// names without spaces between their letters).
fn cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}')
}

/// Where text names a person in Chinese, Japanese or Korean characters: a
/// run of them, with none of them right before or after, that is a known
/// surname followed by a known given name (`李娜`, `杨涛`, `김민준`), or a
/// known surname and a known given name as two runs one space apart
/// (`山口 太一`). A run inside a longer one is a word of a sentence, not a
/// name; whether a name identifies is then rarity's to judge.
pub fn cjk_in_text(text: &str) -> Vec<std::ops::Range<usize>> {
    let (surnames, given) = cjk_lists();
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (cjk(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(s..text.len());
    }
    let split = |run: &str| {
        run.char_indices()
            .skip(1)
            .any(|(at, _)| at <= 12 && surnames.contains(&run[..at]) && given.contains(&run[at..]))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        let run = &text[runs[i].clone()];
        let chars = run.chars().count();
        if (2..=8).contains(&chars) && split(run) {
            out.push(runs[i].clone());
        } else if let Some(next) = runs.get(i + 1)
            && matches!(&text[runs[i].end..next.start], " " | "\u{3000}")
            && surnames.contains(run)
            && given.contains(&text[next.clone()])
        {
            out.push(runs[i].start..next.end);
            i += 1;
        }
        i += 1;
    }
    out
}

/// Whether `text` has what [`in_text`] looks for, from each space or `+`
/// (found by `memchr`): before it, a word of three letters or more that
/// starts with a capital (or a letter outside ASCII); after it, a capital,
/// a letter outside ASCII or a particle's first letter.
fn may_pair(b: &[u8]) -> bool {
    let letter = |c: u8| c.is_ascii_alphabetic() || c >= 0x80;
    memchr::memchr2_iter(b' ', b'+', b).any(|j| {
        let next = b.get(j + 1).copied().unwrap_or(0);
        let starts = next.is_ascii_uppercase()
            || next >= 0xC0
            || matches!(
                next,
                b'v' | b'd' | b'l' | b't' | b'b' | b'i' | b'a' | b'e' | b'z'
            );
        if !starts {
            return false;
        }
        let mut i = j;
        while i > 0 && letter(b[i - 1]) {
            i -= 1;
        }
        j - i >= 3 && (b[i].is_ascii_uppercase() || b[i] >= 0xC0)
    })
}

/// Whether `value` is shaped like a person's name: one to four capitalised
/// words of letters (an apostrophe or a hyphen inside), particles between
/// them (`Noor Van der Meulen`), at most 64 bytes, one of them a known
/// given name or surname.
pub fn name_shaped(value: &str) -> bool {
    let words: Vec<&str> = value.split(' ').collect();
    let mut capitals = 0;
    value.len() <= 64
        && words.len() <= 6
        && words.iter().all(|w| {
            let mut chars = w.chars();
            let Some(first) = chars.next() else {
                return false;
            };
            if PARTICLES.contains(&w.to_lowercase().as_str()) {
                return true;
            }
            capitals += 1;
            first.is_uppercase()
                && w.chars().skip(1).any(char::is_lowercase)
                && chars.all(|c| c.is_alphabetic() || c == '\'' || c == '-')
        })
        && (1..=4).contains(&capitals)
        && words.iter().any(|w| {
            let w = w.to_lowercase();
            let (given, surnames) = lists();
            given.contains(w.as_str()) || surnames.contains(w.as_str())
        })
}

/// `s` with the Cyrillic and Greek letters that look like Latin ones
/// written as those (`аnna` with a Cyrillic а reads `anna`): a name in
/// look-alike letters is still a name.
fn latin_look_alikes(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'а' | 'α' => 'a',
            'в' | 'β' => 'b',
            'с' | 'ϲ' => 'c',
            'е' | 'ε' => 'e',
            'н' | 'η' => 'h',
            'і' | 'ι' => 'i',
            'ј' => 'j',
            'к' | 'κ' => 'k',
            'м' => 'm',
            'п' => 'n',
            'о' | 'ο' => 'o',
            'р' | 'ρ' => 'p',
            'ѕ' => 's',
            'т' | 'τ' => 't',
            'у' | 'υ' => 'y',
            'х' | 'χ' => 'x',
            'А' | 'Α' => 'A',
            'В' | 'Β' => 'B',
            'С' => 'C',
            'Е' | 'Ε' => 'E',
            'Н' | 'Η' => 'H',
            'І' | 'Ι' => 'I',
            'Ј' => 'J',
            'К' | 'Κ' => 'K',
            'М' | 'Μ' => 'M',
            'О' | 'Ο' => 'O',
            'Р' | 'Ρ' => 'P',
            'Ѕ' => 'S',
            'Т' | 'Τ' => 'T',
            'Х' | 'Χ' => 'X',
            'У' | 'Υ' => 'Y',
            c => c,
        })
        .collect()
}

/// A word in Cyrillic or Greek letters spelled in lower-case Latin ones,
/// as names are romanised (`Иванов` is `ivanov`, `Παπαδόπουλος`
/// `papadopoulos`): once with Russian's `и` as `i`, once with Ukrainian's
/// as `y` (`Мельник`, `melnyk`). Nothing when a character is neither a
/// letter of those scripts nor a Latin one, or the word is longer than 40.
fn transliterations(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    let mut out = Vec::new();
    for ukrainian in [false, true] {
        let mut latin = String::with_capacity(lower.len());
        let mut chars = lower.chars().peekable();
        while let Some(c) = chars.next() {
            let piece = match c {
                'a'..='z' => {
                    latin.push(c);
                    continue;
                }
                'а' | 'α' | 'ά' => "a",
                'б' => "b",
                'в' | 'β' => "v",
                'г' | 'ґ' | 'γ' => "g",
                'д' | 'δ' => "d",
                'е' | 'ё' | 'э' | 'ε' | 'έ' => "e",
                'є' => "ye",
                'ж' => "zh",
                'з' | 'ζ' => "z",
                'и' if ukrainian => "y",
                'и' | 'і' | 'η' | 'ή' | 'ι' | 'ί' | 'ϊ' | 'ΐ' => "i",
                'ї' => "yi",
                'й' | 'ы' => "y",
                'к' | 'κ' => "k",
                'л' | 'λ' => "l",
                'м' | 'μ' => "m",
                'н' | 'ν' => "n",
                'о' | 'ο' | 'ό' | 'ω' | 'ώ' => {
                    // Greek `ου` is `ou`.
                    if matches!(c, 'ο' | 'ό') && chars.next_if(|n| matches!(n, 'υ' | 'ύ')).is_some()
                    {
                        "ou"
                    } else {
                        "o"
                    }
                }
                'п' | 'π' => "p",
                'р' | 'ρ' => "r",
                'с' | 'σ' | 'ς' => "s",
                'т' | 'τ' => "t",
                'у' | 'ў' => "u",
                'υ' | 'ύ' | 'ϋ' | 'ΰ' => "y",
                'ф' | 'φ' => "f",
                'х' => "kh",
                'χ' => "ch",
                'ц' => "ts",
                'ч' => "ch",
                'ш' => "sh",
                'щ' => "shch",
                'ъ' | 'ь' => "",
                'ю' => "yu",
                'я' => "ya",
                'θ' => "th",
                'ξ' => "x",
                'ψ' => "ps",
                'ј' => "j",
                _ => return out,
            };
            latin.push_str(piece);
        }
        if latin.len() <= 40 && !out.contains(&latin) {
            out.push(latin);
        }
    }
    out
}

/// The values of a closed list that name people, when they make it a list
/// of people (see the module docs): each with how it names one.
pub fn people<'a>(values: &[&'a str]) -> Option<Vec<(&'a str, &'static str)>> {
    // A template every value shares (`desk_anna`, `desk_jonas`) is not
    // part of the name.
    let (head, tail) = crate::text::common_affixes(values);
    let named: Vec<(&str, &str)> = values
        .iter()
        .filter_map(|v| {
            let core = v.get(head..v.len().saturating_sub(tail)).unwrap_or(v);
            person(core).map(|how| (*v, how))
        })
        .collect();
    // Most of the list: many words are also someone's name (`sid`,
    // `trixie` among Debian's codenames, `delta`, `echo` among the
    // spelling alphabet's), so a few among others are not a roster.
    // Logins that join an initial to a surname where the two letters
    // start no English word (`mfischer`, `tjansen`), or to a surname of six
    // letters or more (`akowalski`), are not words by chance: three of
    // them are a roster among any others. `smile` and
    // `plane` start as words do, and two words (`amber_heron`,
    // `ursa_minor`) can be a name and a surname by chance: they prove
    // nothing alone.
    let strong = named
        .iter()
        .filter(|(v, how)| match *how {
            // Romanised from another script: no English word.
            "a surname" => true,
            "an initial and a surname" => {
                let core = v.get(head..v.len().saturating_sub(tail)).unwrap_or(v);
                let b = core.to_ascii_lowercase().into_bytes();
                // Or a surname of six letters or more after the initial:
                // an English word is seldom a letter and a long surname
                // (`across` is a short one's).
                let surname = core
                    .get(1..)
                    .unwrap_or("")
                    .trim_start_matches(['.', '_', '-']);
                b.len() >= 2 && (!word_onset(b[0], b[1]) || surname.chars().count() >= 6)
            }
            _ => false,
        })
        .count();
    (named.len() >= MIN_NAMES && (named.len() * 3 >= values.len() * 2 || strong >= MIN_NAMES))
        .then_some(named)
}

#[cfg(test)]
mod tests {
    use super::{people, person, transliterations};

    #[test]
    fn names_and_logins_are_recognised() {
        assert_eq!(person("anna"), Some("a given name"));
        // A surname alone is often a word too (`brown`, `green`, `march`).
        assert_eq!(person("garcia"), None);
        assert_eq!(person("jschmidt"), Some("an initial and a surname"));
        assert_eq!(person("anna.schmidt"), Some("a given name and a surname"));
        assert_eq!(person("m_fischer"), Some("an initial and a surname"));
        // Look-alike letters (a Cyrillic а, о, е) do not hide a name.
        assert_eq!(person("\u{430}nna"), Some("a given name"));
        assert_eq!(person("j\u{43e}nas"), person("jonas"));
        assert_eq!(person("postgresql"), None);
        // Written in another script, a name is still one, a surname too.
        assert_eq!(person("Иванов"), Some("a surname"));
        assert_eq!(person("Фёдоров"), Some("a surname"));
        assert_eq!(person("Νίκος"), Some("a given name"));
        assert_eq!(person("Анна"), Some("a given name"));
        assert_eq!(transliterations("Мельник"), ["melnik", "melnyk"]);
        assert_eq!(transliterations("Παπαδόπουλος"), ["papadopoulos"]);
        assert_eq!(person("Москва"), None);
        assert_eq!(person("ошибка"), None);
        assert_eq!(person("x86_64"), None);
    }

    #[test]
    fn a_template_all_values_share_is_not_part_of_the_name() {
        let desks = [
            "desk_shared",
            "desk_ops",
            "desk_maria",
            "desk_tomasz",
            "desk_ingrid",
            "desk_kwame",
        ];
        assert_eq!(people(&desks).map(|n| n.len()), Some(4));
        assert_eq!(crate::text::common_affixes(&desks), (5, 0));
        assert_eq!(crate::text::common_affixes(&["a.x-1", "b.x-1"]), (0, 4));
        // Words are never cut: `anna`, `annabel` share no separator.
        assert_eq!(crate::text::common_affixes(&["anna", "annabel"]), (0, 0));
        // A few names among words are not a roster.
        assert_eq!(
            people(&["buster", "bullseye", "bookworm", "trixie", "forky", "sid"]),
            None
        );
        // Three logins of an initial and a surname whose first two letters
        // start no English word are one, among any number of others.
        let mut kits = vec!["mkowalski", "tjansen", "rfernandes"];
        kits.extend([
            "prelude",
            "doom",
            "spacemacs",
            "scimax",
            "centaur",
            "purcell",
        ]);
        kits.extend([
            "witchmacs",
            "nano",
            "crafted",
            "minimal",
            "bedrock",
            "lambda",
        ]);
        assert_eq!(people(&kits).map(|n| n.len()).map(|n| n >= 3), Some(true));
        // Words that start as words do, and word pairs, are not.
        let words = [
            "smile",
            "plane",
            "granite",
            "amber_heron",
            "ursa_minor",
            "x",
            "y",
            "z",
            "w",
        ];
        assert_eq!(people(&words), None);
        assert!(!super::word_onset(b'm', b'k') && super::word_onset(b's', b'm'));
    }

    #[test]
    fn people_are_found_in_text_by_a_given_name_and_a_surname() {
        let found = |t: &str| {
            super::in_text(t)
                .into_iter()
                .map(|r| t[r].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            found("Invalid IBAN for contact Oskar Virtanen"),
            ["Oskar Virtanen"]
        );
        assert_eq!(found("$set: Noor Van der Meulen"), ["Noor Van der Meulen"]);
        assert_eq!(
            found("Mirela Ferreira's thesis demo"),
            ["Mirela Ferreira's"]
        );
        assert_eq!(found("?patient=Hugo+Rossi&x=1"), ["Hugo+Rossi"]);
        // A surname no list holds, confirmed by the login made from it.
        assert_eq!(
            found("project owner Beatriz Kamiński (beatriz.kaminski)"),
            ["Beatriz Kamiński"]
        );
        assert_eq!(
            found("Author: Oskar Whitfield <owhitfield@example.org>"),
            ["Oskar Whitfield"]
        );
        assert!(found("Grant Access (admin)").is_empty());
        assert_eq!(
            found("Numeric value 'Tomasz Vasquez-Ortiz' is not recognized"),
            ["Tomasz Vasquez-Ortiz"]
        );
        // Words, code and names that are no one's.
        for t in [
            "Max Retries exceeded",
            "Grant Access to the Admin Panel",
            "Will Update on restart",
            "JOHN SMITH",
            "john smith",
            "Maria.Rossi",
            "user_Hugo Rossi",
        ] {
            assert_eq!(found(t), Vec::<String>::new(), "{t}");
        }
    }

    #[test]
    fn a_value_under_a_name_key_is_a_name_when_shaped_as_one() {
        assert!(super::name_shaped("Sanne Marchetti"));
        assert!(super::name_shaped("Noor Van der Meulen"));
        assert!(super::name_shaped("Solveig"));
        assert!(!super::name_shaped("Support Desk"));
        assert!(!super::name_shaped("sanne marchetti"));
        assert!(!super::name_shaped("Sanne Marchetti 2"));
    }

    #[test]
    fn a_list_is_of_people_when_most_of_it_is_names() {
        let staff = ["anna", "jschmidt", "markus", "ohansen", "support"];
        assert_eq!(people(&staff).map(|n| n.len()), Some(4));
        // A word that is also a name does not make a list of people.
        assert!(people(&["min", "max", "auto"]).is_none());
        let months = [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ];
        assert!(people(&months).is_none());
        assert!(people(&["postgres", "mysql", "sqlite", "oracle"]).is_none());
    }
}
