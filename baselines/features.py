"""Token features for the CRF baseline (one feature dict per token of a sentence).

Standard NER features over the token view: the word's matching key, prefixes and
suffixes (1–3 letters), its clitic-stripped stem, character trigrams, shape, digit
class, hits in the general gazetteer and in the rule lexicons (titles, organisation
heads, month names, time units, speech verbs, event triggers), and the same summary of
the neighbours at distance 1. Features never look at gold labels.

Version 2 dropped the neighbours at distance 2 (version 1 had them): 24 attributes per
token instead of 32 on the published corpus, so training costs about a quarter less; the
k-fold scores on the published corpus moved within their bootstrap intervals (see the
CHANGELOG for the figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from khabar.baselines.arabic import key, stems
from khabar.baselines.gazetteer import gazetteer
from khabar.baselines.rules.timex import hijri_numbers, month_numbers, number_words, time_units
from khabar.baselines.rules.tokens import vocabulary
from khabar.tokenize import Token

FEATURES_VERSION = "2"
EASTERN_DIGITS = frozenset("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")


@lru_cache(maxsize=1)
def _lexicons() -> dict[str, frozenset[str]]:
    single = {}
    for parts, label in gazetteer().items():
        single.setdefault(parts[0], label if len(parts) == 1 else label + "-start")
    by_label: dict[str, set[str]] = {}
    for word, label in single.items():
        by_label.setdefault(f"gaz:{label}", set()).add(word)
    by_label["title"] = set(vocabulary("titles.tsv"))
    by_label["orghead"] = set(vocabulary("org_heads.tsv"))
    by_label["month"] = {part for name in month_numbers() for part in name.split()}
    by_label["hijri"] = {part for name in hijri_numbers() for part in name.split()}
    by_label["unit"] = set(time_units())
    by_label["number"] = set(number_words())
    by_label["speech"] = set(vocabulary("speech_verbs.tsv"))
    by_label["trigger"] = set(vocabulary("event_triggers.tsv"))
    by_label["function"] = set(vocabulary("function_words.tsv"))
    return {label: frozenset(words) for label, words in by_label.items()}


def _shape(text: str) -> str:
    if text.isdigit():
        return "eastern-digits" if any(char in EASTERN_DIGITS for char in text) else "digits"
    if any("\u0600" <= char <= "\u06ff" for char in text):
        return "arabic"
    if text.isalpha():
        return "latin-cap" if text[:1].isupper() else "latin"
    return "punct" if len(text) == 1 else "mixed"


@lru_cache(maxsize=200_000)
def word_features(text: str) -> tuple[tuple[str, str], ...]:
    """The features of one word on its own (cached: words repeat)."""
    word = key(text)
    readings = stems(word) if word else ((word, 0),)
    stem = readings[-1][0]
    bare = stem[2:] if stem.startswith("ال") and len(stem) > 3 else stem
    features = [
        ("w", word),
        ("stem", bare),
        ("p1", word[:1]),
        ("p2", word[:2]),
        ("p3", word[:3]),
        ("s1", word[-1:]),
        ("s2", word[-2:]),
        ("s3", word[-3:]),
        ("shape", _shape(text)),
        ("len", str(min(len(word), 8))),
        ("al", str(any(reading.startswith("ال") for reading, _ in readings))),
    ]
    features += [("tri:" + word[i : i + 3], "1") for i in range(max(len(word) - 2, 0))]
    for label, words in _lexicons().items():
        if any(reading in words or reading[2:] in words for reading, _ in readings):
            features.append(("lex:" + label, "1"))
    return tuple(features)


_NEIGHBOUR_KEYS = frozenset({"w", "stem", "shape", "al"})
DISTANCES = (-1, 1)


@lru_cache(maxsize=200_000)
def _prepared(text: str) -> tuple[dict[str, str], tuple[tuple[tuple[str, str], ...], ...]]:
    """A word's own feature dict and, per distance, its features as seen by a neighbour."""
    own = word_features(text)
    shared = [(name, value) for name, value in own if name in _NEIGHBOUR_KEYS or name.startswith("lex:")]
    as_neighbour = tuple(tuple((f"{distance}:{name}", value) for name, value in shared) for distance in DISTANCES)
    return {**dict(own), "bias": "1"}, as_neighbour


_EDGES = tuple(((f"{distance}:edge", "1"),) for distance in DISTANCES)


def sentence_features(tokens: tuple[Token, ...] | list[Token]) -> list[dict[str, str]]:
    """One feature dict per token: its own features and its neighbours' at ±1."""
    return word_sequence_features([token.text for token in tokens])


def word_sequence_features(words: Sequence[str]) -> list[dict[str, str]]:
    """`sentence_features` of a sentence given as its words (what a worker process receives)."""
    prepared = [_prepared(word) for word in words]
    count = len(words)
    rows: list[dict[str, str]] = []
    for index in range(count):
        row = dict(prepared[index][0])
        for slot, distance in enumerate(DISTANCES):
            position = index + distance
            row.update(prepared[position][1][slot] if 0 <= position < count else _EDGES[slot])
        rows.append(row)
    return rows
