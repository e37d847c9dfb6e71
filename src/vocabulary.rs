//! Built-in vocabularies: closed lists everyone shares (ISO country,
//! language and currency codes, IANA time-zone regions, operating-system
//! families, CPU architectures). A field declares one instead of listing its values
//! (`type = "enum"`, `vocabulary = "country"`), and counts the list's true
//! size: no pattern that admits 676 two-letter strings where 249 countries
//! exist.
//!
//! The same knowledge recognises the installation's surroundings in any
//! closed list, declared or written out by hand: region and language codes,
//! locale tags, zone names, UTC offsets, screen sizes, systems and
//! architectures describe where and on what the product runs, not how it is
//! used. Such fields are quasi-identifiers: each is harmless alone, and
//! together they single out an installation, so the privacy rules count
//! them together per payload (`quasi-identifiers`).

/// One built-in vocabulary.
#[derive(Debug)]
pub struct Vocabulary {
    /// What a proposal writes: `vocabulary = "country"`.
    pub name: &'static str,
    /// What it is, for `--help`, the docs and error messages.
    pub summary: &'static str,
    pub values: &'static [&'static str],
}

/// Every vocabulary, in documentation order.
pub static ALL: &[&Vocabulary] = &[
    &COUNTRY,
    &LANGUAGE,
    &TIMEZONE_REGION,
    &OS_FAMILY,
    &CPU_ARCH,
    &CURRENCY,
];

/// Looks a vocabulary up by name.
pub fn find(name: &str) -> Option<&'static Vocabulary> {
    ALL.iter().copied().find(|v| v.name == name)
}

pub static CURRENCY: Vocabulary = Vocabulary {
    name: "currency",
    summary: "ISO 4217 codes of the currencies in use",
    values: &[
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
        "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
        "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
        "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
        "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
        "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
        "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
        "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
        "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
        "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
        "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
        "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
    ],
};

pub static COUNTRY: Vocabulary = Vocabulary {
    name: "country",
    summary: "ISO 3166-1 alpha-2 country and territory codes",
    values: &[
        "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
        "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ",
        "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK",
        "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
        "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR",
        "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
        "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN",
        "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
        "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV",
        "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ",
        "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI",
        "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
        "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC",
        "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
        "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR",
        "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
        "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
    ],
};

pub static LANGUAGE: Vocabulary = Vocabulary {
    name: "language",
    summary: "ISO 639-1 two-letter language codes",
    values: &[
        "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg",
        "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy",
        "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj",
        "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht",
        "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv",
        "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky",
        "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn",
        "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny",
        "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru",
        "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss",
        "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts",
        "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo",
        "za", "zh", "zu",
    ],
};

pub static TIMEZONE_REGION: Vocabulary = Vocabulary {
    name: "timezone-region",
    summary: "the regions of IANA time-zone names (the part before the first `/`)",
    values: &[
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
        "Etc",
    ],
};

pub static OS_FAMILY: Vocabulary = Vocabulary {
    name: "os-family",
    summary: "operating-system families",
    values: &[
        "linux",
        "windows",
        "macos",
        "freebsd",
        "openbsd",
        "netbsd",
        "dragonfly",
        "illumos",
        "solaris",
        "aix",
        "android",
        "ios",
    ],
};

pub static CPU_ARCH: Vocabulary = Vocabulary {
    name: "cpu-arch",
    summary: "CPU architectures, as toolchains name them",
    values: &[
        "x86_64",
        "x86",
        "aarch64",
        "arm",
        "riscv64",
        "powerpc64le",
        "powerpc64",
        "s390x",
        "mips64",
        "loongarch64",
        "wasm32",
    ],
};

/// Which kind of surroundings `value` names, if it names one: a country,
/// region or language code, a locale tag (`pt_BR`, `en-US`), a time-zone
/// name or region, a UTC offset, a screen size (`1920x1080`), a setting
/// the locale decides (an ISO 4217 currency, the measurement system, the
/// paper size), a place or a language by its name ([`named_place`]: a
/// country, a city, a region, in English or its own language), hardware
/// by its maker or product line, a display resolution by its name, an
/// operating-system family or a CPU architecture; a person's sex or gender.
pub fn surroundings(value: &str) -> Option<&'static str> {
    let v = value.trim();
    let two_letters = v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic());
    if two_letters {
        let upper = v.to_ascii_uppercase();
        let lower = v.to_ascii_lowercase();
        if COUNTRY.values.contains(&upper.as_str()) || LANGUAGE.values.contains(&lower.as_str()) {
            return Some("a country or language code");
        }
    }
    if locale_tag(v) {
        return Some("a locale");
    }
    let region = v.split('/').next().unwrap_or(v);
    if TIMEZONE_REGION.values.contains(&region) || matches!(v, "UTC" | "GMT") {
        return Some("a time zone");
    }
    if utc_offset(v) {
        return Some("a UTC offset");
    }
    if screen_size(v) {
        return Some("a screen size");
    }
    // Settings a locale decides (CLDR's regional preferences): the
    // currency, the measurement system, the paper size.
    if v.len() == 3 && v.bytes().all(|b| b.is_ascii_uppercase()) && CURRENCY.values.contains(&v) {
        return Some("a currency");
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "metric"
            | "imperial"
            | "us_customary"
            | "uk_imperial"
            | "a3"
            | "a4"
            | "a5"
            | "letter"
            | "legal"
            | "tabloid"
    ) || regional_format(&lower)
    {
        return Some("a regional setting");
    }
    if network_setting(&lower) {
        return Some("a network setting");
    }
    // Who the person is, as a census asks: with a birth date and a postal
    // region, the classic quasi-identifier (Sweeney's ZIP, birth date, sex).
    if matches!(
        lower.replace(['-', '_', ' '], "").as_str(),
        "male" | "female" | "nonbinary" | "man" | "woman" | "diverse" | "intersex" | "agender"
    ) {
        return Some("a person's sex or gender");
    }
    if let Some(what) = named_place(v) {
        return Some(what);
    }
    if let Some(what) = names_hardware(&lower) {
        return Some(what);
    }
    platform(&lower)
}

/// Whether `lower` (in lower case) names an operating-system family or a
/// CPU architecture: what a machine is, never what it is called
/// (`platform.machine()` answers `arm64` under a `machine` key).
pub fn platform(lower: &str) -> Option<&'static str> {
    if OS_FAMILY.values.contains(&lower) {
        return Some("an operating system");
    }
    if CPU_ARCH.values.contains(&lower) || matches!(lower, "amd64" | "arm64" | "i386" | "i686") {
        return Some("a CPU architecture");
    }
    None
}

/// The names places and languages go by, folded (`data/places/places.txt`,
/// written by `data/places/gen.py` from ISO 3166, ISO 639, the IANA
/// time-zone database and glibc's locales).
struct Names {
    /// Folded name to the first of [`KINDS`] that it is.
    names: std::collections::HashMap<&'static str, usize>,
    /// A Latin letter with a diacritic to the ASCII it folds to.
    fold: std::collections::HashMap<char, &'static str>,
}

/// What `places.txt`'s kinds name, in the order a name that is several
/// (`suomi`, `new_york`) is called by.
const KINDS: [(&str, &str); 5] = [
    ("country", "a country"),
    ("city", "a city"),
    ("region", "a region"),
    ("airport", "a city (its airport code)"),
    ("language", "a language"),
];

fn names() -> &'static Names {
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = std::collections::HashMap::new();
        let mut fold = std::collections::HashMap::new();
        for line in include_str!("../data/places/places.txt").lines() {
            let mut cols = line.split('\t');
            match (cols.next(), cols.next(), cols.next()) {
                (Some("fold"), Some(letter), Some(ascii)) => {
                    if let Some(c) = letter.chars().next() {
                        fold.insert(c, ascii);
                    }
                }
                (Some(kind), Some(name), None) => {
                    if let Some(rank) = KINDS.iter().position(|(k, _)| *k == kind) {
                        let held = names.entry(name).or_insert(rank);
                        *held = (*held).min(rank);
                    }
                }
                _ => {}
            }
        }
        Names { names, fold }
    })
}

/// `value` folded as place names are: diacritics dropped, lower case, each
/// run of other characters one `_` (`Île-de-France` -> `ile_de_france`).
pub fn fold_name(value: &str) -> String {
    let table = &names().fold;
    let mut out = String::with_capacity(value.len());
    let mut gap = false;
    let push = |out: &mut String, piece: &str, gap: &mut bool| {
        if *gap && !out.is_empty() {
            out.push('_');
        }
        *gap = false;
        out.push_str(piece);
    };
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            push(
                &mut out,
                c.to_ascii_lowercase().encode_utf8(&mut [0; 4]),
                &mut gap,
            );
        } else if let Some(ascii) = table.get(&c) {
            push(&mut out, ascii, &mut gap);
        } else {
            gap = true;
        }
    }
    out
}

/// Words that say a name is an organisation's when they follow it: legal
/// forms, and trades and institutions customers and members are named
/// for (`initech_bank`, `acme_corp`, `aachen_university`).
const ORGANISATION_AFTER: &[&str] = &[
    "gmbh",
    "inc",
    "ltd",
    "llc",
    "llp",
    "plc",
    "corp",
    "corporation",
    "company",
    "sarl",
    "srl",
    "pty",
    "bank",
    "insurance",
    "pharma",
    "logistics",
    "foods",
    "airlines",
    "industries",
    "robotics",
    "labs",
    "solutions",
    "retail",
    "energy",
    "dental",
    "clinic",
    "bakery",
    "university",
    "hospital",
    "council",
    "institute",
    "foundation",
    "stadtwerke",
    "netz",
    "consulting",
    "holdings",
    "partner",
    "partners",
];

/// Words that say a name is an organisation's when they precede it, as
/// German and other languages name businesses and institutions
/// (`stadtwerke_kiel`, `praxis_nowak`, `stadtbibliothek_achim`).
const ORGANISATION_BEFORE: &[&str] = &[
    "stadtwerke",
    "praxis",
    "kanzlei",
    "tischlerei",
    "baeckerei",
    "apotheke",
    "bibliothek",
    "stadtbibliothek",
    "stadtbuecherei",
    "mediathek",
    "autohaus",
    "hotel",
    "restaurant",
    "cafe",
    "bakery",
    "university",
    "universitaet",
    "hochschule",
    "klinikum",
    "bank",
];

/// Whether a value names an organisation: a name and the kind of
/// organisation it is, the kind's word before or after it, the name itself
/// not a word of that vocabulary (`my_company` and `demo_company` are
/// still names; `bank_bank` is none).
pub fn names_an_organisation(value: &str) -> bool {
    let words: Vec<String> = value
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < 2 {
        return false;
    }
    let kind = |w: &str| ORGANISATION_AFTER.contains(&w) || ORGANISATION_BEFORE.contains(&w);
    let named = |rest: &[String]| {
        rest.iter()
            .any(|w| !kind(w) && w.chars().any(char::is_alphabetic))
    };
    let (first, last) = (words[0].as_str(), words[words.len() - 1].as_str());
    (ORGANISATION_AFTER.contains(&last) && named(&words[..words.len() - 1]))
        || (ORGANISATION_BEFORE.contains(&first) && named(&words[1..]))
}

/// What a name names, when it is a place's or a language's in a common
/// spelling: a country (`germany`, `Deutschland`), a city (`frankfurt`,
/// `sao_paulo`), a first-level region (`bayern`, `california`) or a
/// language (`deutsch`, `english`).
pub fn named_place(value: &str) -> Option<&'static str> {
    if value.len() < 3 || value.len() > 64 {
        return None;
    }
    let rank = names().names.get(fold_name(value).as_str())?;
    Some(KINDS[*rank].1)
}

/// The words of a value, lower case, split at `_`, `-`, space, `.`, `/`.
fn value_words(lower: &str) -> Vec<&str> {
    lower
        .split(['_', '-', ' ', '.', '/'])
        .filter(|w| !w.is_empty())
        .collect()
}

/// The days of the week, by their English names.
pub const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A day of the week, by its English name or its three-letter
/// abbreviation (`mon`, `tue`).
pub fn weekday(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    WEEKDAY_NAMES
        .iter()
        .any(|d| *d == lower || lower.len() == 3 && d.starts_with(&lower))
}

/// A setting the locale or the country decides (CLDR's regional
/// preferences and the power grid's standard): the first day of the week,
/// the date, number and clock formats, the keyboard layout, the mains
/// frequency and voltage.
fn regional_format(lower: &str) -> bool {
    const LAYOUTS: &[&str] = &[
        "qwerty", "azerty", "qwertz", "dvorak", "colemak", "bepo", "jcuken", "workman",
    ];
    // `dd/mm/yyyy`, `mm-dd-yy`, `ymd`: the order of a date's fields.
    let letters: String = lower.chars().filter(|c| !"/-._ ".contains(*c)).collect();
    let date_order = {
        let mut order: Vec<char> = letters.chars().collect();
        order.dedup();
        let order: String = order.into_iter().collect();
        (order.len() == 3
            && ["dmy", "mdy", "ymd", "ydm"].contains(&order.as_str())
            && letters.len() <= 10)
            || ["iso", "iso8601"].contains(&letters.as_str()) && lower.contains("date")
    };
    // `1,234.56`, `1.234,56`, `1 234,56`, `1'234.56`: a number written with
    // a group and a decimal separator.
    let number_format = lower.starts_with(|c: char| c.is_ascii_digit())
        && lower.len() <= 12
        && lower
            .chars()
            .all(|c| c.is_ascii_digit() || ",. '\u{a0}_".contains(c))
        && lower.chars().filter(|c| !c.is_ascii_digit()).count() >= 2
        && (lower.contains(',') || lower.contains('\''));
    let words = value_words(lower);
    let clock = words
        .iter()
        .any(|w| matches!(*w, "12h" | "24h" | "h12" | "h23" | "h24" | "ampm"))
        || words.windows(2).any(|w| {
            let hour = |x: &str| matches!(x, "h" | "hour" | "hours");
            let day = |x: &str| matches!(x, "12" | "24");
            day(w[0]) && hour(w[1]) || hour(w[0]) && day(w[1])
        });
    // Mains power: 50 or 60 Hz, 100 to 240 V.
    let grid = words.iter().any(|w| {
        matches!(
            *w,
            "50hz" | "60hz" | "100v" | "110v" | "115v" | "120v" | "127v" | "220v" | "230v" | "240v"
        )
    });
    date_order
        || number_format
        || clock
        || grid
        || words.len() <= 3 && words.iter().any(|w| weekday(w) || LAYOUTS.contains(w))
}

/// How the installation reaches the network: the kind of NAT, a path MTU
/// that says which access line (PPPoE, DS-Lite, a tunnel), the prefix the
/// provider delegates, a public resolver.
fn network_setting(lower: &str) -> bool {
    const NAT: &[&str] = &[
        "full_cone",
        "fullcone",
        "restricted_cone",
        "port_restricted",
        "port_restricted_cone",
        "symmetric",
        "symmetric_nat",
        "cgnat",
        "cg_nat",
        "double_nat",
        "no_nat",
    ];
    const RESOLVERS: &[&str] = &[
        "cloudflare",
        "quad9",
        "opendns",
        "adguard",
        "nextdns",
        "cleanbrowsing",
        "controld",
        "google_dns",
        "googledns",
        "1.1.1.1",
        "8.8.8.8",
        "9.9.9.9",
        "pihole",
        "unbound",
    ];
    const MTUS: &[&str] = &[
        "1500", "1492", "1480", "1472", "1460", "1454", "1452", "1440", "1420", "1400", "1380",
        "1360", "1280", "9000",
    ];
    let words = value_words(lower);
    let number = |w: &str| {
        w.trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .to_string()
    };
    NAT.contains(&lower)
        || RESOLVERS.contains(&lower)
        || words.iter().any(|w| RESOLVERS.contains(w))
        // `mtu_1492`, `1492`: an MTU with its word, or bare among others.
        || (words.contains(&"mtu") || words.len() == 1)
            && words.iter().any(|w| MTUS.contains(&number(w).as_str()))
        // `/56`, `prefix_56`, `pd_48`: a delegated IPv6 prefix.
        || (lower.starts_with('/') || words.iter().any(|w| matches!(*w, "prefix" | "pd" | "delegation")))
            && words.iter().any(|w| matches!(number(w).as_str(), "48" | "52" | "56" | "60" | "62" | "64"))
}

/// Makers of hardware and their product lines that name a device class
/// (`nvidia`, `radeon`, `ryzen`, `tplink`): a value that names one
/// describes the machine or network the product runs on.
const HARDWARE_MAKERS: &[&str] = &[
    "acer",
    "adreno",
    "allwinner",
    "amd",
    "ampere",
    "apple",
    "arista",
    "arris",
    "asrock",
    "asus",
    "avm",
    "broadcom",
    "cisco",
    "corsair",
    "crucial",
    "dell",
    "dlink",
    "eero",
    "elan",
    "epyc",
    "ericsson",
    "exynos",
    "fritzbox",
    "fujitsu",
    "geforce",
    "gigabyte",
    "hisilicon",
    "hp",
    "hpe",
    "huawei",
    "hynix",
    "intel",
    "juniper",
    "kingston",
    "kioxia",
    "lenovo",
    "lg",
    "linksys",
    "logitech",
    "mali",
    "marvell",
    "mediatek",
    "micron",
    "mikrotik",
    "msi",
    "netgear",
    "nokia",
    "nvidia",
    "nxp",
    "oneplus",
    "oppo",
    "qnap",
    "qualcomm",
    "quadro",
    "radeon",
    "razer",
    "realtek",
    "rockchip",
    "ryzen",
    "sagemcom",
    "samsung",
    "sandisk",
    "seagate",
    "snapdragon",
    "sony",
    "supermicro",
    "synaptics",
    "synology",
    "system76",
    "tegra",
    "thinkpad",
    "toshiba",
    "tplink",
    "ubiquiti",
    "unifi",
    "wacom",
    "xeon",
    "xiaomi",
    "zte",
    "zyxel",
];

/// The names display resolutions go by (`fhd`, `wqhd`, `1080p`).
const DISPLAY_NAMES: &[&str] = &[
    "vga", "svga", "xga", "wxga", "sxga", "wsxga", "uxga", "wuxga", "hd", "fhd", "qhd", "wqhd",
    "uwqhd", "uhd", "4k", "5k", "8k", "480p", "720p", "1080p", "1440p", "2160p", "4320p", "retina",
];

/// What a value (in lower case) says of the hardware, when one of its words (or two
/// joined: `tp_link`, `risc_v`) is a hardware maker, a CPU architecture or
/// a display resolution's name.
fn names_hardware(lower: &str) -> Option<&'static str> {
    let words = value_words(lower);
    let pairs = words.windows(2).map(|w| format!("{}{}", w[0], w[1]));
    if words.iter().map(|w| w.to_string()).chain(pairs).any(|w| {
        HARDWARE_MAKERS.contains(&w.as_str())
            || CPU_ARCH.values.contains(&w.as_str())
            || matches!(w.as_str(), "riscv" | "amd64" | "arm64")
    }) {
        return Some("hardware");
    }
    // A refresh rate (`144hz`, `hz_144`) or a scale factor (`125%`,
    // `scale_125`) describes the display too.
    let rate = |w: &str| {
        w.strip_suffix("hz")
            .is_some_and(|n| matches!(n.parse::<u32>(), Ok(24..=500)))
    };
    let hz = words.iter().any(|w| rate(w))
        || words.windows(2).any(|w| {
            (w[0] == "hz" || w[0] == "scale")
                && w[1].parse::<u32>().is_ok_and(|n| (24..=400).contains(&n))
        });
    let percent = lower
        .strip_suffix('%')
        .is_some_and(|n| matches!(n.parse::<u32>(), Ok(75..=400)));
    (words.iter().any(|w| DISPLAY_NAMES.contains(w)) || hz || percent).then_some("a screen size")
}

/// `en-US`, `pt_BR`, `zh-Hant-TW`, `de_DE.UTF-8`: a language, then a
/// script or a region.
fn locale_tag(v: &str) -> bool {
    let v = v.split('.').next().unwrap_or(v);
    let mut parts = v.split(['-', '_']);
    let Some(language) = parts.next() else {
        return false;
    };
    let rest: Vec<&str> = parts.collect();
    LANGUAGE
        .values
        .contains(&language.to_ascii_lowercase().as_str())
        && !rest.is_empty()
        && rest.iter().all(|p| {
            (p.len() == 2 && COUNTRY.values.contains(&p.to_ascii_uppercase().as_str()))
                || (p.len() == 4
                    && p.starts_with(|c: char| c.is_ascii_uppercase())
                    && p[1..].bytes().all(|b| b.is_ascii_lowercase()))
                || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// `+02:00`, `-0530`, `UTC+1`, `GMT-03`.
fn utc_offset(v: &str) -> bool {
    let v = v
        .strip_prefix("UTC")
        .or_else(|| v.strip_prefix("GMT"))
        .unwrap_or(v);
    let Some(rest) = v.strip_prefix(['+', '-', '−']) else {
        return false;
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    (1..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `1920x1080`, `2560×1440`.
fn screen_size(v: &str) -> bool {
    let Some((w, h)) = v.split_once(['x', '×']) else {
        return false;
    };
    let n = |s: &str| (3..=5).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    n(w) && n(h)
}

/// What the values of a closed list describe, when they describe the
/// installation's surroundings: at least two values, and three in four of
/// them recognised by [`surroundings`] (a list may add `other` or
/// `unknown`), once a prefix or suffix all of them share is set aside.
/// The most frequent kind is named.
pub fn describes_surroundings<'a>(
    values: impl IntoIterator<Item = &'a str>,
) -> Option<&'static str> {
    let values: Vec<&str> = values.into_iter().collect();
    // A template every value shares (`hunspell_de_ch`, `hunspell_pt_br`)
    // is not part of what they name.
    let (head, tail) = crate::text::common_affixes(&values);
    let mut total = 0usize;
    let mut kinds: Vec<(&'static str, usize)> = Vec::new();
    for v in values {
        total += 1;
        let core = v.get(head..v.len().saturating_sub(tail)).unwrap_or(v);
        if let Some(k) = surroundings(core) {
            match kinds.iter_mut().find(|(n, _)| *n == k) {
                Some(e) => e.1 += 1,
                None => kinds.push((k, 1)),
            }
        }
    }
    let named: usize = kinds.iter().map(|k| k.1).sum();
    // Three in four describe the surroundings; or, in a longer list, most
    // of it (a catalogue per country with a few regions' and a world
    // entry): a word that is also a place's name is one or two among many,
    // never eight and half the list.
    (total >= 2 && named * 4 >= total * 3 || named >= 8 && named * 2 > total)
        .then(|| kinds.iter().max_by_key(|k| k.1).map(|k| k.0))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_what_the_standards_say() {
        assert_eq!(COUNTRY.values.len(), 249);
        assert_eq!(LANGUAGE.values.len(), 183);
        assert_eq!(CURRENCY.values.len(), 156);
        for v in ALL {
            let mut sorted: Vec<&str> = v.values.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), v.values.len(), "{} repeats a value", v.name);
        }
    }

    #[test]
    fn places_and_languages_are_known_by_their_names() {
        assert_eq!(fold_name("Île-de-France"), "ile_de_france");
        assert_eq!(fold_name("São Paulo"), "sao_paulo");
        assert_eq!(fold_name("  Kraków "), "krakow");
        assert_eq!(named_place("Germany"), Some("a country"));
        assert_eq!(named_place("deutschland"), Some("a country"));
        assert_eq!(named_place("united_states"), Some("a country"));
        assert_eq!(named_place("frankfurt"), Some("a city"));
        assert_eq!(named_place("New-York"), Some("a city"));
        assert_eq!(named_place("Bayern"), Some("a region"));
        assert_eq!(named_place("california"), Some("a region"));
        assert_eq!(named_place("deutsch"), Some("a language"));
        assert_eq!(named_place("français"), Some("a language"));
        assert_eq!(named_place("english"), Some("a language"));
        // Words software uses for other things, and compass points, which
        // the place rules read on their own terms.
        for word in [
            "unity", "mono", "delta", "pool", "central", "north", "linux", "python", "docker",
            "postgres", "redis", "nginx", "default", "enabled", "manual", "auto", "high", "low",
        ] {
            assert_eq!(named_place(word), None, "{word}");
        }
        assert_eq!(
            describes_surroundings(["brazil", "germany", "france", "japan"]),
            Some("a country")
        );
        assert_eq!(
            describes_surroundings(["portugues", "deutsch", "francais", "english"]),
            Some("a language")
        );
    }

    #[test]
    fn regional_and_network_settings_are_known_by_their_forms() {
        for v in [
            "dd/mm/yyyy",
            "mm-dd-yyyy",
            "ymd",
            "1.234,56",
            "1,234.56",
            "1 234,56",
            "hours_24",
            "12h",
            "monday",
            "azerty",
            "50hz",
            "230v",
        ] {
            assert_eq!(surroundings(v), Some("a regional setting"), "{v}");
        }
        for v in [
            "full_cone",
            "cgnat",
            "mtu_1492",
            "1492",
            "/56",
            "prefix_48",
            "quad9",
        ] {
            assert_eq!(surroundings(v), Some("a network setting"), "{v}");
        }
        assert_eq!(named_place("FRA"), Some("a city (its airport code)"));
        assert_eq!(surroundings("144hz"), Some("a screen size"));
        assert_eq!(surroundings("125%"), Some("a screen size"));
        // Product words stay product words.
        for v in [
            "daily", "weekly", "dummy", "1.2.3", "v2", "per", "str", "6h", "7d", "1000",
        ] {
            assert_eq!(surroundings(v), None, "{v}");
        }
    }

    #[test]
    fn hardware_is_known_by_its_makers_and_display_names() {
        assert_eq!(
            describes_surroundings(["intel_uhd", "amd_vega", "nvidia_rtx", "apple_m2"]),
            Some("hardware")
        );
        assert_eq!(
            describes_surroundings(["tp_link", "netgear", "mikrotik", "other"]),
            Some("hardware")
        );
        assert_eq!(
            describes_surroundings(["hd", "fhd", "qhd", "uhd_4k"]),
            Some("a screen size")
        );
        // Software and services are not hardware.
        assert_eq!(
            describes_surroundings(["postgres", "mysql", "sqlite", "other"]),
            None
        );
        assert_eq!(
            describes_surroundings(["cuda", "rocm", "metal", "cpu"]),
            None
        );
    }

    #[test]
    fn organisations_are_names_with_their_kind() {
        for v in [
            "initech_bank",
            "acme_corp",
            "stadtwerke_kiel",
            "praxis_nowak",
            "aachen_university",
            "kowalski-bakery",
            "my_company",
        ] {
            assert!(names_an_organisation(v), "{v}");
        }
        for v in [
            "bank",
            "company",
            "bank_bank",
            "postgres",
            "primary_school",
            "media_server",
        ] {
            assert!(!names_an_organisation(v), "{v}");
        }
    }

    #[test]
    fn surroundings_are_recognised_by_what_they_are() {
        assert_eq!(surroundings("EUR"), Some("a currency"));
        // A language's name in lower case is not its currency (PHP).
        assert_eq!(surroundings("php"), None);
        assert_eq!(surroundings("imperial"), Some("a regional setting"));
        assert_eq!(
            describes_surroundings(["hunspell_de_ch", "hunspell_pt_br", "hunspell_fr_fr"]),
            Some("a locale")
        );
        for v in [
            "DE",
            "fr",
            "pt_BR",
            "en-US",
            "de_DE.UTF-8",
            "zh-Hant-TW",
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "UTC",
            "+05:30",
            "UTC-3",
            "1920x1080",
            "Linux",
            "amd64",
            "aarch64",
        ] {
            assert!(surroundings(v).is_some(), "{v}");
        }
        for v in [
            "ok", "postgres", "x11", "1.2", "v2", "eu-west", "admin", "10x", "zz", "QQ",
        ] {
            assert_eq!(surroundings(v), None, "{v}");
        }
        assert_eq!(
            describes_surroundings(["de", "fr", "it", "other"]),
            Some("a country or language code")
        );
        // A longer list, most of it places: a catalogue per country.
        let mut catalogues = vec![
            "france", "germany", "spain", "italy", "belgium", "ireland", "austria", "poland",
        ];
        catalogues.extend(["world", "organic", "vegan", "halal", "kosher", "fair_trade"]);
        assert!(describes_surroundings(catalogues.iter().copied()).is_some());
        // A few places' names among product words are not.
        assert_eq!(
            describes_surroundings(["paris", "london", "classic", "dark", "light", "boost"]),
            None
        );
        assert_eq!(
            describes_surroundings(["sqlite", "postgres", "mysql"]),
            None
        );
        assert_eq!(describes_surroundings(["de"]), None);
    }
}
