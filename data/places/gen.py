#!/usr/bin/env python3
"""Writes data/places/places.txt: the names places and languages go by.

    python3 data/places/gen.py > data/places/places.txt

Run by hand on a Debian or Ubuntu machine with the `iso-codes`, `tzdata` and
`locales` packages; the output is committed, so nothing reads these files at
build or test time. Sources (facts about the world, not creative works):

- ISO 3166-1 country names (name, common and official name) and ISO 3166-2
  first-level subdivisions (states, provinces, regions, counties,
  prefectures ...), from Debian's iso-codes (LGPL-2.1-or-later);
- ISO 639-2 English language names, from the same package;
- the cities of the IANA time-zone database's zone.tab (public domain), and
  `cities.txt` here: large cities and capitals, written for privet, and
  `languages.txt`: languages' romanised own names, and `airports.txt`:
  IATA codes of large airports, as points of presence are named;
- each glibc locale's own name of its language and country (LC_IDENTIFICATION
  and LC_ADDRESS `lang_name`, `country_name`).

Each line is `kind<TAB>folded name`, then `fold<TAB>letter<TAB>ascii` for
the Latin letters with diacritics. A name is folded the way privet folds a
value before looking it up: diacritics dropped, lower case, and every run of
other characters one `_` (`Île-de-France` -> `ile_de_france`).
"""

import json
import os
import re
import sys
import unicodedata

ISO = "/usr/share/iso-codes/json"
# Subdivisions below the first level of government, or so many and so small
# that their names are ordinary words more often than places.
SMALL = {
    "Municipality", "District", "Parish", "Local council", "Rayon", "Commune",
    "Town council", "Island council", "Ward", "Quarter", "Council area",
    "Urban municipality", "Town", "Village", "Settlement", "Island",
    "Geographical region", "Administration", "Outlying area", "Zone",
}


# Names that are ordinary words (compass points and their kin, which privet
# reads as places on their own terms, and words software uses for other
# things: `unity`, `mono`, `delta`, `pool`) are left out.
ORDINARY = {
    "bay", "capital", "center", "central", "centre", "centro", "coast", "colon",
    "delta", "east", "eastern", "est", "gulf", "interior", "island", "islands",
    "lakes", "littoral", "lower", "male", "mary", "meta", "mon", "mono", "mus",
    "nan", "nip", "nord", "norte", "north", "northern", "occidental", "oriental",
    "para", "plateau", "plunge", "pool", "river", "rivers", "sid", "sides",
    "south", "southern", "sud", "sul", "tak", "unity", "upper", "van", "west",
    "western", "eua", "ica", "edo", "ibb", "tov", "vas", "oral", "davis",
    "casey", "palmer", "knox", "wake", "nelson", "stanley", "regina", "troll",
    "saga", "mie", "uri", "zug", "mila", "sila", "gao",
}


def fold(name):
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("ł", "l")
    s = s.replace("Ł", "l").replace("đ", "d").replace("Đ", "d").replace("æ", "ae")
    s = s.replace("œ", "oe").replace("ı", "i")
    s = re.sub(r"[^0-9A-Za-z]+", "_", s.lower()).strip("_")
    return s if s.isascii() else ""


def glibc(text):
    return re.sub(r"<U([0-9A-Fa-f]{4,6})>", lambda m: chr(int(m.group(1), 16)), text)


def main():
    out = set()

    def add(kind, name):
        f = fold(name)
        if len(f) >= 3 and not f.isdigit() and f not in ORDINARY:
            out.add((kind, f))

    for c in json.load(open(os.path.join(ISO, "iso_3166-1.json")))["3166-1"]:
        for k in ("name", "common_name", "official_name"):
            if k in c:
                add("country", c[k])
                # "Korea, Republic of", "Bolivia, Plurinational State of"
                add("country", c[k].split(",")[0])
                # "Bolivia (Plurinational State of)"
                add("country", c[k].split("(")[0])
    for s in json.load(open(os.path.join(ISO, "iso_3166-2.json")))["3166-2"]:
        if s.get("parent") or s["type"] in SMALL:
            continue
        add("region", s["name"])
        add("region", s["name"].split("(")[0])
    for l in json.load(open(os.path.join(ISO, "iso_639-2.json")))["639-2"]:
        if "alpha_2" not in l:
            continue
        for n in l["name"].split(";"):
            add("language", n.strip())
    for tab in ("zone1970.tab", "zone.tab"):
        for line in open(os.path.join("/usr/share/zoneinfo", tab)):
            if line.startswith("#"):
                continue
            zone = line.split("\t")[2].strip()
            add("city", zone.rsplit("/", 1)[-1].replace("_", " "))
    here = os.path.dirname(os.path.abspath(__file__))
    for line in open(os.path.join(here, "cities.txt"), encoding="utf-8"):
        if not line.startswith("#"):
            for name in line.split():
                add("city", name.replace("_", " "))
    for line in open(os.path.join(here, "airports.txt"), encoding="utf-8"):
        if not line.startswith("#"):
            for code in line.split():
                out.add(("airport", code))
    for line in open(os.path.join(here, "languages.txt"), encoding="utf-8"):
        if not line.startswith("#"):
            for name in line.split():
                add("language", name.replace("_", " "))
    locales = "/usr/share/i18n/locales"
    for f in sorted(os.listdir(locales)):
        if "_" not in f:
            continue
        text = glibc(open(os.path.join(locales, f), encoding="utf-8", errors="replace").read())
        for key, kind in (("lang_name", "language"), ("country_name", "country")):
            for m in re.finditer(r'^\s*%s\s+"([^"]+)"' % key, text, re.M):
                add(kind, m.group(1))
    # A name that is a country's is not also a region's (Georgia, Luxembourg).
    countries = {n for k, n in out if k == "country"}
    rows = sorted((k, n) for k, n in out if not (k == "region" and n in countries))
    sys.stdout.write("# generated by data/places/gen.py, do not edit; sources in its docstring\n")
    for k, n in rows:
        sys.stdout.write(f"{k}\t{n}\n")
    # How privet folds a letter with a diacritic, for the Latin letters.
    for code in range(0xC0, 0x250):
        c = chr(code)
        f = fold(c)
        if c.isalpha() and f and f != c:
            sys.stdout.write(f"fold\t{c}\t{f}\n")


main()
