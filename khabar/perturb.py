"""Orthographic perturbations of a corpus, carrying every gold span over exactly.

Each perturbation is a pure, seeded function `Document -> Document`: it rewrites the text
the way real Arabic news text varies (vowel marks on names, tatweel, Eastern Arabic
digits, dropped hamza, ي/ى swaps, invisible marks) and carries every span over through an
`EditMap` (see `khabar.edits`), so the perturbed gold is exact by construction. Ids,
types, TimeML values and references never change; only text, offsets and span texts do.

The invariant the tests check: for every span, the perturbed span text, normalized with
`khabar.normalize` (digits folded, `Rules(digits=True)`), equals the normalized original
span text. Digit folding is on for that comparison only because `eastern-digits` rewrites
digits, which the default normalization keeps as they are.

Randomness comes from `random.Random(f"{seed}:{name}:{document id}")`: the same seed gives
the same variant on every machine and every run, independent of document order.

Effect on the token view (`khabar.tokenize`): harakat, tatweel, ZWJ and ZWNJ are word
characters, so `diacritics`, `tatweel` and `zero-width` keep every token whole (token
texts change, token boundaries do not). Bidi marks are separators, so `bidi-marks` splits
a token where a mark lands between a digit or Latin run and a letter glued to it
(`2025م` becomes `2025` + `م`): that token-level change is part of what it tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from khabar.document import Document
from khabar.edits import EditMap, map_document

ARABIC_LETTERS = frozenset(chr(code) for code in range(0x0621, 0x064B) if code != 0x0640) | {"\u0671"}
# Letters that never join the letter after them (Unicode joining types R and U).
NON_JOINING_LEFT = frozenset("ءآأؤإاةدذرزوىٱ")
HARAKAT = ("\u064e", "\u064f", "\u0650", "\u0652")  # fatha, damma, kasra, sukun
SHADDA = "\u0651"
TATWEEL = "\u0640"
ZWNJ, ZWJ = "\u200c", "\u200d"
RLM, ALM = "\u200f", "\u061c"
EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩"
HAMZATED_ALEFS = frozenset("أإآ")
ALEF, YA, ALEF_MAQSURA = "ا", "ي", "ى"
DEFAULT_SEED = 7


def _is_mark(char: str) -> bool:
    code = ord(char)
    return 0x064B <= code <= 0x065F or code == 0x0670


def _is_ltr_run_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _random(name: str, document: Document, seed: int) -> random.Random:
    return random.Random(f"{seed}:{name}:{document.id}")


def _apply(document: Document, subs: list[str], inserts: list[str] | None = None) -> Document:
    return map_document(document, EditMap.build(document.text, subs, inserts))


def add_diacritics(document: Document, seed: int = DEFAULT_SEED) -> Document:
    """Harakat on the Arabic letters of every entity mention (vowelled names).

    Each letter without a mark of its own gets a fatha, damma, kasra or sukun (one in
    eight also a shadda before it); alef and alef maqsura, long-vowel carriers, get none.
    """
    rng = _random("diacritics", document, seed)
    text = document.text
    inside = [False] * len(text)
    for entity in document.entities:
        for position in range(entity.start, entity.end):
            inside[position] = True
    subs = list(text)
    for position, char in enumerate(text):
        if not inside[position] or char not in ARABIC_LETTERS or char in (ALEF, ALEF_MAQSURA, "ء"):
            continue
        if position + 1 < len(text) and _is_mark(text[position + 1]):
            continue
        mark = rng.choice(HARAKAT)
        if rng.random() < 0.125 and mark != "\u0652":
            mark = SHADDA + mark
        subs[position] = char + mark
    return _apply(document, subs)


def _joining_gaps(text: str) -> list[int]:
    """Gaps between two Arabic letters where the first joins the second."""
    return [
        gap
        for gap in range(1, len(text))
        if text[gap - 1] in ARABIC_LETTERS
        and text[gap - 1] not in NON_JOINING_LEFT
        and text[gap] in ARABIC_LETTERS
        and text[gap] != "ء"
    ]


def insert_tatweel(document: Document, seed: int = DEFAULT_SEED, rate: float = 0.3) -> Document:
    """Tatweel (ـ) between two joined letters, in a share `rate` of such gaps."""
    rng = _random("tatweel", document, seed)
    inserts = [""] * (len(document.text) + 1)
    for gap in _joining_gaps(document.text):
        if rng.random() < rate:
            inserts[gap] = TATWEEL * rng.choice((1, 1, 2))
    return _apply(document, list(document.text), inserts)


def eastern_digits(document: Document, seed: int = DEFAULT_SEED) -> Document:
    """Every ASCII digit written as an Eastern Arabic digit (0-9 → ٠-٩)."""
    subs = [EASTERN_DIGITS[int(char)] if "0" <= char <= "9" else char for char in document.text]
    return _apply(document, subs)


def drop_hamza(document: Document, seed: int = DEFAULT_SEED) -> Document:
    """Every hamzated alef (أ إ آ) written as bare alef (ا), as much web text does."""
    return _apply(document, [ALEF if char in HAMZATED_ALEFS else char for char in document.text])


def swap_alef_maqsura(document: Document, seed: int = DEFAULT_SEED) -> Document:
    """Word-final ي written ى and word-final ى written ي (Egyptian and web spelling)."""
    text = document.text
    subs = list(text)
    for position, char in enumerate(text):
        if char not in (YA, ALEF_MAQSURA) or position == 0 or text[position - 1] not in ARABIC_LETTERS:
            continue
        following = position + 1
        while following < len(text) and _is_mark(text[following]):
            following += 1
        if following < len(text) and (text[following] in ARABIC_LETTERS or text[following] == TATWEEL):
            continue
        subs[position] = ALEF_MAQSURA if char == YA else YA
    return _apply(document, subs)


def insert_zero_width(document: Document, seed: int = DEFAULT_SEED, rate: float = 0.2) -> Document:
    """Zero-width joiners inside words: ZWJ between joined letters, ZWNJ after a letter
    that does not join (both invisible in rendering), in a share `rate` of letter gaps."""
    rng = _random("zero-width", document, seed)
    text = document.text
    inserts = [""] * (len(text) + 1)
    for gap in range(1, len(text)):
        if text[gap - 1] in ARABIC_LETTERS and text[gap] in ARABIC_LETTERS and rng.random() < rate:
            inserts[gap] = ZWNJ if text[gap - 1] in NON_JOINING_LEFT else ZWJ
    return _apply(document, list(text), inserts)


def insert_bidi_marks(document: Document, seed: int = DEFAULT_SEED) -> Document:
    """A right-to-left mark (RLM, or the Arabic letter mark) after every run of digits or
    Latin letters, as editors insert to keep an RTL paragraph's direction."""
    rng = _random("bidi-marks", document, seed)
    text = document.text
    inserts = [""] * (len(text) + 1)
    for gap in range(1, len(text) + 1):
        if _is_ltr_run_char(text[gap - 1]) and (gap == len(text) or not _is_ltr_run_char(text[gap])):
            inserts[gap] = RLM if rng.random() < 0.75 else ALM
    return _apply(document, list(text), inserts)


@dataclass(frozen=True)
class Perturbation:
    name: str
    description: str
    function: Callable[[Document, int], Document]

    def __call__(self, document: Document, seed: int = DEFAULT_SEED) -> Document:
        perturbed = self.function(document, seed)
        return replace(perturbed, source={**document.source, "perturbation": f"{self.name} seed {seed}"})


_SINGLE = (
    Perturbation("diacritics", "harakat on the letters of entity mentions", add_diacritics),
    Perturbation("tatweel", "tatweel between joined letters (30% of gaps)", insert_tatweel),
    Perturbation("eastern-digits", "ASCII digits as Eastern Arabic digits", eastern_digits),
    Perturbation("hamza", "hamzated alef (أ إ آ) as bare alef", drop_hamza),
    Perturbation("alef-maqsura", "word-final ي and ى swapped", swap_alef_maqsura),
    Perturbation("zero-width", "ZWJ/ZWNJ inside words (20% of letter gaps)", insert_zero_width),
    Perturbation("bidi-marks", "RLM/ALM after every digit or Latin run", insert_bidi_marks),
)
# `all` applies every perturbation in this order: the character rewrites first, then
# insertions, and harakat last so that they do not hide letter gaps from tatweel.
_ALL_ORDER = ("hamza", "alef-maqsura", "eastern-digits", "bidi-marks", "tatweel", "zero-width", "diacritics")


def _all(document: Document, seed: int) -> Document:
    for name in _ALL_ORDER:
        document = _BY_NAME[name].function(document, seed)
    return document


_BY_NAME = {perturbation.name: perturbation for perturbation in _SINGLE}
PERTURBATIONS: dict[str, Perturbation] = {
    **_BY_NAME,
    "all": Perturbation("all", "every perturbation above, applied in turn", _all),
}


def perturb(document: Document, name: str, seed: int = DEFAULT_SEED) -> Document:
    """The `name` variant of `document` (the input is not modified)."""
    if name not in PERTURBATIONS:
        raise ValueError(f"unknown perturbation {name!r}; known: {', '.join(PERTURBATIONS)}")
    return PERTURBATIONS[name](document, seed)


def perturb_corpus(documents: list[Document], name: str, seed: int = DEFAULT_SEED) -> list[Document]:
    return [perturb(document, name, seed) for document in documents]
