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

/// Fewest name-shaped values that make a list a list of people.
pub const MIN_NAMES: usize = 3;

fn lists() -> &'static (HashSet<&'static str>, HashSet<&'static str>) {
    static LISTS: OnceLock<(HashSet<&'static str>, HashSet<&'static str>)> = OnceLock::new();
    LISTS.get_or_init(|| {
        (
            include_str!("names/given.txt").lines().collect(),
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
    if !v.is_ascii() || v.len() > 40 {
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

/// The values of a closed list that name people, when they make it a list
/// of people (see the module docs): each with how it names one.
pub fn people<'a>(values: &[&'a str]) -> Option<Vec<(&'a str, &'static str)>> {
    let named: Vec<(&str, &str)> = values
        .iter()
        .filter_map(|v| person(v).map(|how| (*v, how)))
        .collect();
    (named.len() >= MIN_NAMES && named.len() * 3 >= values.len() * 2).then_some(named)
}

#[cfg(test)]
mod tests {
    use super::{people, person};

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
        assert_eq!(person("x86_64"), None);
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
