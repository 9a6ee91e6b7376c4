"""Arabic orthography helpers for the baselines: a matching key and clitic-stripped stems.

The key is for *matching only*: diacritics, tatweel and invisible marks are dropped and alef, alef
maqsura and ta marbuta are folded, so that `أميركا`, `اميركا` and `أَمِيرْكَا` meet.
Document text is never changed: every key keeps, per character, the offset of the raw
character it came from, so a match maps back to exact code-point offsets.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks; tatweel; invisible
# format marks (zero-width space/joiners, bidi marks, BOM), which web text carries inside
# words and which would otherwise split a name's key.
_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff"]
_IGNORED = frozenset(
    [chr(code) for code in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(code) for code in range(0x06D6, 0x06EE)]
    + _INVISIBLE
)
_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}

# Proclitic sequences that attach to a noun or verb, longest first: conjunction (و ف),
# preposition (ب ل ك), future/aorist markers are left alone (they change the verb).
_PROCLITICS: tuple[str, ...] = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")


_TABLE = str.maketrans({**_FOLD, **dict.fromkeys(_IGNORED)})
_IGNORED_PATTERN = re.compile("[" + "".join(sorted(_IGNORED)) + "]")


def key(text: str) -> str:
    """The matching key of `text` (see the module docstring)."""
    return text.translate(_TABLE)


class KeyMap:
    """The key of a long text and the raw offset of any key position, without a per-character list.

    Only ignored characters are removed (folds are one to one), so the raw offset of key
    position k is k plus the number of removed characters before it: `q_i = p_i - i` (p_i the
    i-th removed position) is non-decreasing, and that number is `bisect_right(q, k)`.
    """

    def __init__(self, text: str):
        self.key = key(text)
        removed = [match.start() for match in _IGNORED_PATTERN.finditer(text)]
        self._shifted = [position - index for index, position in enumerate(removed)]

    def raw(self, key_offset: int) -> int:
        return key_offset + bisect.bisect_right(self._shifted, key_offset)


def key_with_offsets(text: str) -> tuple[str, list[int]]:
    """The key of `text` and, for each key character, its offset in `text`."""
    chars: list[str] = []
    offsets: list[int] = []
    for position, char in enumerate(text):
        if char in _IGNORED:
            continue
        chars.append(_FOLD.get(char, char))
        offsets.append(position)
    return "".join(chars), offsets


@lru_cache(maxsize=200_000)
def stems(token_key: str) -> tuple[tuple[str, int], ...]:
    """Readings of a token key with proclitics removed: `(stem, key offset)` pairs.

    The unstripped token comes first. `لل` + noun is read as ل + ال + noun (the alef
    of the article is not written), giving the stem `ال…` at the offset of the second
    ل: the article's remaining letter stays inside the span, as WojoodNER and the
    guidelines (GEN-4) mark `للولايات` → `لولايات`.
    A stem must keep at least two letters, so short words are not eaten away.
    """
    readings: list[tuple[str, int]] = [(token_key, 0)]
    for clitic in _PROCLITICS:
        if not token_key.startswith(clitic):
            continue
        rest = token_key[len(clitic) :]
        if clitic.endswith("ل") and rest.startswith("ل") and len(rest) > 3:
            readings.append(("ا" + rest, len(clitic)))
        if len(rest) >= 2:
            readings.append((rest, len(clitic)))
    return tuple(dict.fromkeys(readings))


def strip_article(word_key: str) -> str:
    return word_key[2:] if word_key.startswith("ال") and len(word_key) > 3 else word_key


def has_article(word_key: str) -> bool:
    return word_key.startswith("ال") and len(word_key) > 3
