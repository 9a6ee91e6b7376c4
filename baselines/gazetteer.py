"""Place and group names for the rule baseline, from general, installable sources only.

- ISO 3166-1 country names in Arabic: the `iso3166-1` gettext catalogue that pycountry
  ships (names, official names, common names; "X، Y" forms are split into both parts).
- CLDR (through Babel): Arabic territory names (countries, plus regions such as
  continents, which are LOC, and the UN and the EU, which are ORG) and the exemplar
  city names of the CLDR time zones (capitals and large cities), which are GPE.
- `resources/short_country_names.tsv`: a few usual short forms missing from both.
- NORP: nationality adjectives (nisba) derived from single-word country names by the
  regular rules of Arabic morphology (سوريا → سوري، سورية، سوريون، السوريين …).

Names are compared by their matching key (`khabar.baselines.arabic.key`) token by token.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from babel import Locale

from khabar.baselines.arabic import key, strip_article
from khabar.baselines.resources import read_list
from khabar.tokenize import tokenize

# CLDR territory codes that are not GPEs.
_CLDR_ORG_CODES = frozenset({"UN", "EU"})
_CLDR_LOC_CODES = frozenset({"QO", "EZ", "AQ"})


def name_key(name: str) -> tuple[str, ...]:
    """The key of a multi-word name: one key per token, punctuation dropped."""
    return tuple(key(token.text) for token in tokenize(name) if token.text.isalnum() or len(token.text) > 1)


def _pycountry_names() -> dict[str, str]:
    catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            english = getattr(country, attribute, None)
            if not english:
                continue
            arabic = catalogue.gettext(english)
            if arabic == english:
                continue
            for part in [arabic, *arabic.split("،")]:
                if part.strip():
                    names[part.strip()] = "GPE"
    return names


def _cldr_names() -> dict[str, str]:
    locale = Locale("ar")
    names: dict[str, str] = {}
    for code, name in locale.territories.items():
        if code in _CLDR_ORG_CODES:
            names[name] = "ORG"
        elif code.isdigit() or code in _CLDR_LOC_CODES:
            names[name] = "LOC"
        else:
            names[name] = "GPE"
    for zone in locale.time_zones.values():
        city = zone.get("city")
        if city and len(key(city)) >= 3:
            names.setdefault(city, "GPE")
    return names


@cache
def general_source_names() -> dict[str, str]:
    """Every name from the declared general sources (pycountry, CLDR) with its type."""
    return {**_cldr_names(), **_pycountry_names()}


def nisba_forms(country: str) -> set[str]:
    """Keys of the nationality adjectives of a single-word country name."""
    base = strip_article(key(country))
    if len(base) < 3 or " " in country:
        return set()
    if base.endswith("يا"):
        stem = base[:-1]
    elif base.endswith("ا"):
        stem = base[:-1] + "ي"
    else:
        stem = base + "ي"
    forms = {stem, stem + "ه", stem + "ون", stem + "ين"}
    return forms | {"ال" + form for form in forms}


@cache
def gazetteer() -> dict[tuple[str, ...], str]:
    """Name keys (one key per token) → entity type."""
    names = dict(general_source_names())
    for row in read_list("short_country_names.tsv").rows:
        names.setdefault(row[0], "GPE")
    entries: dict[tuple[str, ...], str] = {}
    for name, label in names.items():
        parts = name_key(name)
        if parts:
            entries.setdefault(parts, label)
    for name in _country_names():
        if len(name_key(name)) == 1:
            for form in nisba_forms(name):
                entries.setdefault((form,), "NORP")
    ambiguous = {key(word) for word in read_list("ambiguous_words.tsv").entries}
    return {parts: label for parts, label in entries.items() if not (len(parts) == 1 and parts[0] in ambiguous)}


def _country_names() -> set[str]:
    """Country names only (no cities, no regions): the bases of nationality adjectives."""
    territories = {
        name for code, name in Locale("ar").territories.items() if len(code) == 2 and code not in _CLDR_ORG_CODES
    }
    short = {row[0] for row in read_list("short_country_names.tsv").rows}
    return territories | short | set(_pycountry_names())


@cache
def gazetteer_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First token key → entries starting with it, longest first."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for parts, label in gazetteer().items():
        index.setdefault(parts[0], []).append((parts, label))
    for candidates in index.values():
        candidates.sort(key=lambda entry: -len(entry[0]))
    return index
