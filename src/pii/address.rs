//! Street addresses in text: a house number next to a street's name, the
//! name marked as a street by its kind (`Street`, `Drive`, `rue`, `Via`,
//! `-straße`, `-gracht`), then a postcode or a town after a comma. The
//! kinds of street are a closed vocabulary of the languages' own words, as
//! month names are; the house number and the postcode or town around them
//! are what tell an address from a sentence that names a road.

use std::ops::Range;

/// Street kinds written after the street's name (`Lakeview Drive`,
/// `Station Road`, `Keizersgracht` as a suffix below).
const AFTER: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "drive",
    "dr",
    "lane",
    "ln",
    "boulevard",
    "blvd",
    "way",
    "court",
    "ct",
    "place",
    "pl",
    "terrace",
    "close",
    "crescent",
    "square",
    "sq",
    "highway",
    "hwy",
    "parkway",
    "pkwy",
    "circle",
    "row",
    "walk",
    "grove",
    "gardens",
    "hill",
    "str",
    "weg",
    "gasse",
    "platz",
    "allee",
    "ring",
    "damm",
    "ufer",
    "laan",
    "straat",
    "gracht",
    "plein",
    "kade",
    "singel",
    "vej",
    "gade",
    "gatan",
    "vägen",
    "gata",
    "veien",
    "gate",
    "katu",
    "tie",
    "utca",
];

/// Street kinds written before the street's name (`rue de la Paix`, `Via
/// Roma`, `Ulica Długa`, `Calle Mayor`).
const BEFORE: &[&str] = &[
    "rue",
    "cours",
    "chemin",
    "avenue",
    "boulevard",
    "allée",
    "place",
    "quai",
    "impasse",
    "route",
    "via",
    "viale",
    "piazza",
    "corso",
    "vicolo",
    "calle",
    "avenida",
    "paseo",
    "plaza",
    "carrer",
    "rua",
    "travessa",
    "largo",
    "ulica",
    "ul",
    "aleja",
    "ulice",
    "náměstí",
    "strada",
    "bulevardul",
];

/// Street kinds written as the end of one word (`Hauptstraße`,
/// `Keizersgracht`, `Storgatan`).
const SUFFIXES: &[&str] = &[
    "straße", "strasse", "weg", "gasse", "platz", "allee", "gracht", "straat", "laan", "vej",
    "gade", "gatan", "vägen", "veien", "katu", "utca",
];

/// A word of `text`: its range and whether a comma follows it before the
/// next word.
#[derive(Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    comma: bool,
}

/// Where `text` writes street addresses.
pub fn in_text(text: &str) -> Vec<Range<usize>> {
    if !may_hold(text.as_bytes()) {
        return Vec::new();
    }
    // Words: runs of letters, digits and `'.-`; a `+` is a space (a query).
    let mut words: Vec<Word> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        // `'`, `.` and `-` only inside a word (`d'Orsay`, `St.`), never
        // opening one (`'114 rue …'` quoted).
        let inside = c.is_alphanumeric() || start.is_some() && matches!(c, '\'' | '.' | '-');
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push(Word {
                    start: s,
                    end: i,
                    comma: false,
                });
                start = None;
            }
            _ => {}
        }
        if c == ','
            && let Some(last) = words.last_mut()
        {
            last.comma = true;
        }
    }
    if let Some(s) = start {
        words.push(Word {
            start: s,
            end: text.len(),
            comma: false,
        });
    }
    let word = |w: Word| text[w.start..w.end].trim_end_matches('.');
    let number = |w: Word| {
        let t = word(w);
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        (1..=5).contains(&digits) && t.len() <= digits + 1 && !t.starts_with('0')
    };
    // A name's word: capitalised, or an ordinal (`6th`, `42nd`: `350 E 6th
    // St`), or an abbreviated kind in lower case (`ul. Długa`, `av.`).
    let capital = |w: Word| {
        let t = word(w);
        capital_word(t)
            || ordinal(t)
            || text[w.start..w.end].ends_with('.')
                && BEFORE.iter().any(|k| k.eq_ignore_ascii_case(t))
    };
    // A house number as one is written: digits, a letter at most
    // (`138`, `89b`), not a year.
    let housed = |w: Word| {
        let t = word(w);
        number(w) && !(t.len() == 4 && (t.starts_with("19") || t.starts_with("20")))
    };
    let kind_of = |w: Word, list: &[&str]| {
        let w = word(w);
        list.iter().any(|k| k.eq_ignore_ascii_case(w))
    };
    let suffixed = |w: Word| {
        let w = word(w);
        capital_word(w)
            && SUFFIXES.iter().any(|s| {
                w.len() > s.len() + 2
                    && w.is_char_boundary(w.len() - s.len())
                    && w[w.len() - s.len()..].eq_ignore_ascii_case(s)
            })
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let found = street_at(&words, i, number, capital, kind_of, suffixed);
        let Some((first, last)) = found else {
            i += 1;
            continue;
        };
        // Then a postcode or a town: a number of 4 to 5 digits (`78704`),
        // a British postcode (`LS16 3DN`), or a capitalised word after a
        // comma, within the next four words.
        let mut end = None;
        let mut comma = words[last].comma;
        for j in last + 1..(last + 5).min(words.len()) {
            let w = word(words[j]);
            let digits = (w.len() == 4 || w.len() == 5) && w.bytes().all(|b| b.is_ascii_digit());
            if uk_postcode(w, words.get(j + 1).map(|n| word(*n))) {
                end = Some(words[j + 1].end);
                break;
            }
            if digits || comma && capital(words[j]) {
                end = Some(words[j].end);
                if digits {
                    break;
                }
            }
            comma |= words[j].comma;
        }
        // A name made a street by its own ending, then a house number
        // (`Lindenstraße 138`, `Keizersgracht 60`), is an address without
        // a town: no sentence names a road with a number after it.
        let end = end.or_else(|| {
            (last == first + 1 && suffixed(words[first]) && housed(words[last]))
                .then_some(words[last].end)
        });
        if let Some(end) = end {
            out.push(words[first].start..end);
            i = last + 1;
        } else {
            i += 1;
        }
    }
    // The European address line without a kind of street: a name, a house
    // number and a comma, then a postcode in one of the continent's forms
    // and a town (`Veveří 105, 602 00 Brno`, `Długa 5, 00-238 Warszawa`):
    // the postcode and the town after the number are what a sentence
    // never writes.
    for j in 1..words.len() {
        if !(housed(words[j]) && words[j].comma) {
            continue;
        }
        let Some(town) = postcode_then_town(&words, j + 1, word) else {
            continue;
        };
        let mut first = j;
        while first > 0
            && j - first < 3
            && capital_word(word(words[first - 1]))
            && !words[first - 1].comma
        {
            first -= 1;
        }
        let range = words[first].start..words[town].end;
        if first < j
            && word(words[first]).chars().count() >= 4
            && !out
                .iter()
                .any(|r: &Range<usize>| r.start < range.end && range.start < r.end)
        {
            out.push(range);
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// The town's word after a postcode that starts at word `at`, in one of
/// Europe's forms: five digits (`10115`), three and two (`602 00`), two, a
/// dash and three (`00-238`), four and two capitals (`1015 CJ`); then a
/// capitalised town.
fn postcode_then_town<'t>(
    words: &[Word],
    at: usize,
    word: impl Fn(Word) -> &'t str,
) -> Option<usize> {
    let digits = |w: &str, n: usize| w.len() == n && w.bytes().all(|b| b.is_ascii_digit());
    let first = word(*words.get(at)?);
    let second = words.get(at + 1).map(|w| word(*w));
    let town_at = if digits(first, 5)
        || first.len() == 6
            && first.as_bytes()[2] == b'-'
            && digits(&first[..2], 2)
            && digits(&first[3..], 3)
    {
        at + 1
    } else if digits(first, 3) && second.is_some_and(|w| digits(w, 2))
        || digits(first, 4)
            && second.is_some_and(|w| w.len() == 2 && w.bytes().all(|b| b.is_ascii_uppercase()))
    {
        at + 2
    } else {
        return None;
    };
    words
        .get(town_at)
        .filter(|w| capital_word(word(**w)))
        .map(|_| town_at)
}

/// The street that starts at word `i`, as `(first word, last word)`:
/// `774 Lakeview Drive`, `30 rue de la République`, `Rue des Tanneurs 73`,
/// `Keizersgracht 60`.
fn street_at(
    words: &[Word],
    i: usize,
    number: impl Fn(Word) -> bool,
    capital: impl Fn(Word) -> bool,
    kind_of: impl Fn(Word, &[&str]) -> bool,
    suffixed: impl Fn(Word) -> bool,
) -> Option<(usize, usize)> {
    let at = |j: usize| words.get(j).copied();
    let particle = |w: Word| !capital(w) && !number(w);
    if number(words[i]) {
        // A number, then one to four capitalised words ending with a kind
        // of street, or a kind written first and its name.
        let mut j = i + 1;
        let mut names = 0;
        while let Some(w) = at(j) {
            if kind_of(w, AFTER) && names > 0 || suffixed(w) {
                return Some((i, j));
            }
            if kind_of(w, BEFORE) && names == 0 {
                // `30 rue de la République`: particles, then a name.
                let mut k = j + 1;
                while at(k).is_some_and(&particle) && k < j + 4 {
                    k += 1;
                }
                return at(k).filter(|w| capital(*w)).map(|_| (i, k));
            }
            // A comma may follow the house number (`65, Ngong Road`, as
            // India, Nigeria and Kenya write it), not a name's word.
            if !capital(w) || names == 4 || words[j - 1].comma && j - 1 != i {
                return None;
            }
            names += 1;
            j += 1;
        }
        return None;
    }
    // A kind written first (`Rue des Tanneurs 73`, `Ulica Długa 63`) or a
    // suffixed name (`Keizersgracht 60`), then the number.
    if !capital(words[i]) {
        return None;
    }
    if suffixed(words[i]) {
        return at(i + 1).filter(|w| number(*w)).map(|_| (i, i + 1));
    }
    if !kind_of(words[i], BEFORE) {
        return None;
    }
    let mut j = i + 1;
    while let Some(w) = at(j) {
        if number(w) {
            return (j > i + 1 && capital(words[j - 1])).then_some((i, j));
        }
        if words[j - 1].comma || j > i + 5 || !(capital(w) || particle(w)) {
            return None;
        }
        j += 1;
    }
    None
}

/// A British postcode written as two words (`LS16 3DN`, `SW1A 1AA`).
fn uk_postcode(outward: &str, inward: Option<&str>) -> bool {
    let Some(inward) = inward else {
        return false;
    };
    let o = outward.as_bytes();
    let i = inward.as_bytes();
    (2..=4).contains(&o.len())
        && o[0].is_ascii_uppercase()
        && o.iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && o.iter().any(u8::is_ascii_digit)
        && i.len() == 3
        && i[0].is_ascii_digit()
        && i[1..].iter().all(u8::is_ascii_uppercase)
}

/// Whether `text` can hold an address: a house number, one to five digits
/// (a letter or a flat's number after them allowed) standing as a word of
/// its own, next to a space or a `+`.
fn may_hold(b: &[u8]) -> bool {
    if b.len() < 12 {
        return false;
    }
    let gap = |c: u8| matches!(c, b' ' | b'+');
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let mut end = i;
        if end < b.len() && b[end].is_ascii_alphabetic() {
            end += 1;
        }
        let before = if start == 0 { None } else { Some(b[start - 1]) };
        let after = b.get(end).copied();
        let word_before = before
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'/' | b'_')));
        // A flat's number may follow the house's (`161/45`).
        let flat = after == Some(b'/') && b.get(end + 1).is_some_and(u8::is_ascii_digit);
        let word_after = flat || after.is_none_or(|c| gap(c) || matches!(c, b',' | b'\'' | b'"'));
        if i - start <= 5
            && word_before
            && word_after
            && (before.is_some_and(gap) || after.is_some_and(gap))
        {
            return true;
        }
        i = end.max(i);
    }
    false
}

/// `1st`, `22nd`, `3rd`, `42th`: a number that names a street.
fn ordinal(w: &str) -> bool {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits)
        && ["st", "nd", "rd", "th"]
            .iter()
            .any(|s| w[digits..].eq_ignore_ascii_case(s))
}

fn capital_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::in_text;

    fn found(t: &str) -> Vec<&str> {
        in_text(t).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn a_name_a_number_a_postcode_and_a_town_are_an_address() {
        assert_eq!(
            found("Rowan Energie East, Veveří 105, 602 00 Brno"),
            ["Veveří 105, 602 00 Brno"]
        );
        assert_eq!(
            found("Kwiatowa 7, 00-238 Warszawa"),
            ["Kwiatowa 7, 00-238 Warszawa"]
        );
        assert_eq!(
            found("Rokin 75, 1012 KL Amsterdam"),
            ["Rokin 75, 1012 KL Amsterdam"]
        );
        // A number and a comma with no postcode and town after them.
        assert!(found("Windows 10, 22H2 Update").is_empty());
        assert!(found("Chapter 5, 12 pages").is_empty());
    }

    #[test]
    fn a_comma_may_follow_the_house_number() {
        assert_eq!(
            found("crash when I search for my address 65, Ngong Road, Nairobi 00076"),
            ["65, Ngong Road, Nairobi 00076"]
        );
        assert_eq!(
            found("delivered to 105 cours Gambetta, 69006 Lyon"),
            ["105 cours Gambetta, 69006"]
        );
        // Not after a name's word: `3, Main, Road` is a list.
        assert!(found("steps 3, Main, Road and more").is_empty());
    }

    #[test]
    fn addresses_in_the_languages_own_ways() {
        // A street named by its own ending and a house number need no town;
        // lower-case abbreviated kinds and ordinal names are names too.
        assert_eq!(found("Lindenstraße 138 Einfahrt"), ["Lindenstraße 138"]);
        assert_eq!(
            found("LAN party at Uhlandstraße 89b, bring snacks"),
            ["Uhlandstraße 89b"]
        );
        assert!(found("Hauptstraße 2024 renovations").is_empty());
        assert_eq!(
            found("Geocoding failed for ul. Długa 161/45, 96-269 Gdańsk"),
            ["ul. Długa 161/45, 96-269 Gdańsk"]
        );
        assert_eq!(
            found("350 E 6th St, Suite 604, San Francisco, CA 93197"),
            ["350 E 6th St, Suite 604, San Francisco"]
        );
        assert_eq!(
            found("774 Lakeview Drive, Austin, TX 78704"),
            ["774 Lakeview Drive, Austin, TX 78704"]
        );
        assert_eq!(
            found("send a replacement disc to 30 rue de la République, 75011 Paris"),
            ["30 rue de la République, 75011"]
        );
        assert_eq!(
            found("Rue des Tanneurs 73, 97201 Portland, OR, USA"),
            ["Rue des Tanneurs 73, 97201"]
        );
        assert_eq!(
            found("Ulica Długa 63, 1016 DR Amsterdam"),
            ["Ulica Długa 63, 1016"]
        );
        assert_eq!(
            found("Blue Works B.V.\n125 Station Road, Manchester LS16 3DN"),
            ["125 Station Road, Manchester LS16 3DN"]
        );
        assert_eq!(
            found("?address=3+Kingsley+Road,+Bristol+LS7+4JX"),
            ["3+Kingsley+Road,+Bristol+LS7+4JX"]
        );
        assert_eq!(
            found("Keizersgracht 60, 1015 CS Amsterdam"),
            ["Keizersgracht 60, 1015"]
        );
        assert_eq!(
            found("String '114 rue de la Paix, 13690 Nantes' is too long"),
            ["114 rue de la Paix, 13690"]
        );
    }

    #[test]
    fn a_road_without_a_number_or_a_town_is_no_address() {
        for t in [
            "Upgrade to 3 Main Street releases",
            "retry 5 times on the road",
            "route 53 records updated",
            "Way 2 of 3 failed, 12345 bytes",
            "version 12 Drive sync",
        ] {
            assert_eq!(found(t), Vec::<&str>::new(), "{t}");
        }
    }
}
