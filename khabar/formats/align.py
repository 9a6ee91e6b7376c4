"""Aligning what other tools write to the exact document text: tokens, strings, whole texts.

Readers of foreign formats (`khabar.formats.readers`) use three pure functions here; each
returns code-point spans into the raw gold text, or `None` where it cannot place a piece,
and never guesses silently: the reader reports every `None`.

`align_tokens(text, tokens)` — a tool's tokens, in order (CoNLL columns in any tokenization):
- Matching runs on the orthographically normalized text and tokens (`khabar.normalize`:
  diacritics, tatweel, alef variants, bidi marks), offsets mapped back to the raw text.
- A token is placed at the cursor after skipping whitespace; clitic segmentation markers
  (`ل+`, `+ها`, `+`) are removed first, so a segmented clitic matches its letters.
- A restored article: a token `الغرب` after a placed `ل` matches `لغرب` (Arabic writes
  `ل + الغرب` as `للغرب`: the article's alef drops after the preposition).
- A token not at the cursor (the tool dropped text) is placed at its next occurrence when
  that lies within `WINDOW` characters, or when the next `CONFIRM` tokens follow it
  directly; otherwise it is unplaced and the cursor stays.

`align_strings(text, items)` — strings without offsets (how LLMs answer), policy:
- Each string is trimmed of surrounding whitespace and punctuation, split with khabar's
  tokenizer, and matched with any whitespace (or none) between its tokens, so `27 نوفمبر
  / تشرين` finds `27 نوفمبر/تشرين`.
- In order of occurrence: the k-th listing of the same string (same layer) is placed at
  its k-th occurrence, searched after the previous placement of that string.
- Clitic-aware: a match may start inside a word only after proclitics (`PROCLITICS`,
  e.g. `لداعش` for `داعش`, `وبالمدينة`), including the restored article (`الغرب` in
  `للغرب`), and may end inside a word only before enclitic pronouns (`ENCLITICS`); any
  other match inside a word (`داعش` in `مداعشة`) is skipped.
- `normalize=True` matches after orthographic normalization of both sides.

`text_mapping(source, target)` — offsets in a tool's copy of the text (TimeML, spaCy),
which may differ in whitespace or escaping, carried to the gold text through the equal
blocks of a character diff; identical texts map one to one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from khabar.normalize import TATWEEL, normalize, normalized_string
from khabar.tokenize import BIDI_MARKS, tokenize

WINDOW = 64
CONFIRM = 2
SEGMENTATION_MARK = "+"
PROCLITICS = frozenset(
    {"و", "ف", "ب", "ل", "ك", "س", "ال", "لل"}
    | {a + b for a in "وف" for b in ("ب", "ل", "ك", "ال", "لل", "س")}
    | {a + "ال" for a in "بكل"}
    | {a + b + "ال" for a in "وف" for b in "بك"}
)
ENCLITICS = frozenset({"ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "ي", "ني", "نا"})
_SEPARATORS = frozenset(" \t\n\r\f\v\u00a0") | BIDI_MARKS


def _is_word_char(char: str) -> bool:
    return char.isalnum()


@dataclass(frozen=True)
class _Normal:
    """A raw text, its normalized form and the way back (identity when not normalizing)."""

    raw: str
    text: str
    to_raw: Callable[[int, int], tuple[int, int]]


def _with_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A span extended over the combining marks and tatweel after it: a mark belongs to the
    letter before it (`الرئيسُ`), so a placed word keeps its trailing harakat."""
    while end < len(text) and (unicodedata.category(text[end]) == "Mn" or text[end] == TATWEEL):
        end += 1
    return start, end


def _normal(text: str, enabled: bool = True) -> _Normal:
    if not enabled:
        return _Normal(text, text, lambda start, end: _with_marks(text, start, end))
    normalized = normalize(text)
    return _Normal(text, normalized.text, lambda start, end: _with_marks(text, *normalized.to_raw(start, end)))


# --- tokens ------------------------------------------------------------------------------


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in _SEPARATORS:
        position += 1
    return position


def _candidates(token: str, text: str, position: int) -> list[str]:
    forms = [token]
    if token.startswith("ال") and len(token) > 2 and position > 0 and text[position - 1] == "ل":
        forms.append(token[1:])  # ل + الغرب written للغرب
    return forms


def _at(text: str, position: int, token: str) -> str | None:
    for form in _candidates(token, text, position):
        if text.startswith(form, position):
            return form
    return None


def _follows(text: str, position: int, tokens: list[str]) -> bool:
    """Whether `tokens` match one after another from `position` (separators skipped)."""
    for token in tokens:
        position = _skip(text, position)
        form = _at(text, position, token)
        if form is None:
            return False
        position += len(form)
    return True


def clean_token(token: str) -> str:
    """A token without clitic segmentation marks (`ل+` → `ل`, `+ها` → `ها`)."""
    return token.strip(SEGMENTATION_MARK) if token.strip(SEGMENTATION_MARK) else token


def align_tokens(text: str, tokens: list[str]) -> list[tuple[int, int] | None]:
    """Raw spans of `tokens` placed in order in `text` (`None` for a token it cannot place)."""
    normal = _normal(text)
    cleaned = [normalized_string(clean_token(token)) for token in tokens]
    placed: list[tuple[int, int] | None] = []
    cursor = 0
    for index, token in enumerate(cleaned):
        if not token.strip():
            placed.append(None)
            continue
        position = _skip(normal.text, cursor)
        form = _at(normal.text, position, token)
        if form is None:
            position, form = _search(normal.text, cursor, token, [t for t in cleaned[index + 1 :] if t][:CONFIRM])
        if form is None:
            placed.append(None)
            continue
        cursor = position + len(form)
        placed.append(normal.to_raw(position, cursor))
    return placed


def _search(text: str, cursor: int, token: str, following: list[str]) -> tuple[int, str | None]:
    start = cursor
    while True:
        hits = [(text.find(form, start), form) for form in {token, token[1:] if token.startswith("ال") else token}]
        hits = [(position, form) for position, form in hits if position >= 0]
        if not hits:
            return cursor, None
        position, form = min(hits)
        if form != token and (position == 0 or text[position - 1] != "ل"):
            start = position + 1
            continue
        if position - cursor <= WINDOW or (following and _follows(text, position + len(form), following)):
            return position, form
        start = position + 1


# --- strings -----------------------------------------------------------------------------

_TRIM = " \t\n\r،,.;:!؟?()[]{}«»\"'“”‘’-–—…"


def _pattern(string: str) -> re.Pattern[str] | None:
    pieces = [token.text for token in tokenize(string.strip(_TRIM))]
    if not pieces:
        return None
    gap = "[" + re.escape("".join(sorted(_SEPARATORS))) + "]*"
    return re.compile(gap.join(re.escape(piece) for piece in pieces))


def _word_start(text: str, position: int) -> int:
    while position > 0 and _is_word_char(text[position - 1]):
        position -= 1
    return position


def _word_end(text: str, position: int) -> int:
    while position < len(text) and _is_word_char(text[position]):
        position += 1
    return position


def _clitic_ok(text: str, start: int, end: int, restored: bool) -> bool:
    prefix = text[_word_start(text, start) : start]
    if restored:
        # The string's article lost its alef: what precedes is a proclitic ending in ل.
        if not (prefix.endswith("ل") and (prefix[:-1] == "" or prefix[:-1] in PROCLITICS)):
            return False
    elif prefix and prefix not in PROCLITICS:
        return False
    if end > start and not _is_word_char(text[end - 1]):
        return True
    suffix = text[end : _word_end(text, end)]
    return suffix == "" or suffix in ENCLITICS


def align_strings(text: str, items: list[tuple[str, str]], *, normalize: bool = False) -> list[tuple[int, int] | None]:
    """Raw spans of `(group, string)` items by the policy above (`None` when not found).

    `group` separates the occurrence counters (the layer): the same string listed in two
    layers is placed independently in each.
    """
    normal = _normal(text, normalize)
    after: dict[tuple[str, str], int] = {}
    placed: list[tuple[int, int] | None] = []
    for group, string in items:
        key_string = normalized_string(string) if normalize else string
        pattern = _pattern(key_string)
        if pattern is None:
            placed.append(None)
            continue
        key = (group, pattern.pattern)
        found = _find(normal.text, pattern, after.get(key, 0))
        if found is None:
            placed.append(None)
            continue
        after[key] = found[1]
        placed.append(normal.to_raw(*found))
    return placed


def _find(text: str, pattern: re.Pattern[str], start: int) -> tuple[int, int] | None:
    restored = re.compile(pattern.pattern[1:]) if pattern.pattern.startswith("ال") else None
    position = start
    while position <= len(text):
        hits = []
        for candidate, is_restored in ((pattern, False), (restored, True)):
            if candidate is None:
                continue
            match = candidate.search(text, position)
            if match and match.end() > match.start():
                hits.append((match.start(), match.end(), is_restored))
        if not hits:
            return None
        begin, end, is_restored = min(hits)
        if _clitic_ok(text, begin, end, is_restored):
            return begin, end
        position = begin + 1
    return None


# --- whole texts -------------------------------------------------------------------------


@dataclass(frozen=True)
class TextMapping:
    """Offsets of a tool's copy of a text carried to the gold text (`None`: no counterpart)."""

    source: str
    target: str
    blocks: tuple[tuple[int, int, int], ...]  # (source start, target start, length), equal runs

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The gold span of the source span `[start, end)`, when both ends have a counterpart."""
        if self.source == self.target:
            return (start, end)
        first = self._offset(start, at_end=False)
        last = self._offset(end - 1, at_end=True) if end > start else None
        if first is None or last is None or last < first:
            return None
        return first, last

    def _offset(self, position: int, *, at_end: bool) -> int | None:
        for source_start, target_start, length in self.blocks:
            if source_start <= position < source_start + length:
                offset = target_start + position - source_start
                return offset + 1 if at_end else offset
        return None


def text_mapping(source: str, target: str) -> TextMapping:
    """The mapping of `source` offsets onto `target` (see the module docstring)."""
    if source == target:
        return TextMapping(source, target, ((0, 0, len(source)),))
    matcher = SequenceMatcher(None, source, target, autojunk=False)
    blocks = tuple((a, b, size) for a, b, size in matcher.get_matching_blocks() if size)
    return TextMapping(source, target, blocks)
