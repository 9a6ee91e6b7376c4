"""The token view's tokenizer and sentence splitter: deterministic and gold-independent.

Tokens are maximal runs of word characters; every punctuation or symbol character is a
token of its own, except separators between digits (`2.5`, `١٬٠٠٠`). Clitics stay
attached (`لداعش` is one token), as in ANERcorp and WojoodNER. Whitespace and bidi
control marks separate tokens and never belong to one. Offsets are code points.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

TOKENIZER_VERSION = "ws-punct.2"

# Bidi controls: invisible direction marks that must not glue or split words.
BIDI_MARKS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Separators that stay inside a number when a digit stands on both sides.
NUMBER_SEPARATORS = frozenset(".,:\u066b\u066c/")
SENTENCE_FINAL = frozenset(".!?\u061f\u2026\u06d4")
CLOSING_MARKS = frozenset("\"'»”’)]}\u201d")


# A named tuple: a long text makes hundreds of thousands of tokens, and a tuple is as small
# as a slotted dataclass and made in half the time.
class Token(NamedTuple):
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """A sentence: its character extent and the tokens inside it."""

    index: int
    start: int
    end: int
    tokens: tuple[Token, ...]


# Character kinds, one letter each, so that the token and sentence rules can run as regular
# expressions over a kind string (`str.translate`) instead of a Python loop per character.
SEPARATOR, PUNCTUATION, NUMBER_SEPARATOR, DIGIT, WORD = "s", "p", "n", "d", "w"


def _kind(char: str) -> str:
    """The kind of one character, by the rules above (the definition the fast path follows)."""
    if char.isspace() or char in BIDI_MARKS:
        return SEPARATOR
    category = unicodedata.category(char)
    if category[0] in "PS":
        return NUMBER_SEPARATOR if char in NUMBER_SEPARATORS else PUNCTUATION
    return DIGIT if category == "Nd" else WORD


class _KindTable(dict):
    """Code point → kind for `str.translate`, filled the first time a character is seen.

    A character's kind depends on the character alone, so filling the table lazily cannot
    change any result; it only saves calling `unicodedata` again for each repeated character.
    """

    def __missing__(self, code: int) -> str:
        kind = self[code] = _kind(chr(code))
        return kind


_KINDS = _KindTable()
# A token (over the kind letters above): a run of word characters and digits, where a number
# separator between two digits stays inside (`2.5`); else any punctuation or symbol alone.
_TOKEN = re.compile(r"[wd]+(?:(?<=d)n(?=d)[wd]+)*|[pn]")


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens with exact code-point offsets."""
    kinds = text.translate(_KINDS)
    return [Token(start, end, text[start:end]) for start, end in map(re.Match.span, _TOKEN.finditer(kinds))]


# The kinds again as small codes, for the array form of the rules (`text_tokens`): a table over
# every code point, filled the first time a code point is seen (0 = not yet), as `_KINDS` is.
_KIND_CODES = {SEPARATOR: 1, PUNCTUATION: 2, NUMBER_SEPARATOR: 3, DIGIT: 4, WORD: 5}
_CODE_TABLE = np.zeros(0x110000, dtype=np.uint8)
_SEPARATOR_CODE, _PUNCTUATION_CODE, _NUMBER_SEPARATOR_CODE, _DIGIT_CODE, _WORD_CODE = 1, 2, 3, 4, 5
_FINAL_CODE, _CLOSING_CODE = 1, 2
_MARK_TABLE = np.zeros(0x110000, dtype=np.uint8)
_MARK_TABLE[[ord(char) for char in SENTENCE_FINAL]] = _FINAL_CODE
_MARK_TABLE[[ord(char) for char in CLOSING_MARKS]] = _CLOSING_CODE
_NEWLINE = ord("\n")
_FEW_UNSEEN = 1 << 16  # characters not yet in the table below which sorting them is cheaper


class TextTokens(NamedTuple):
    """The tokens and sentences of a text as offset arrays, with no object per token.

    `starts` and `ends` are the tokens' code-point offsets (int64, in text order); sentence
    `k` holds the tokens `bounds[k]` to `bounds[k + 1]` (so `bounds` has one more entry than
    there are sentences, and its last entry is the number of tokens)."""

    starts: np.ndarray
    ends: np.ndarray
    bounds: np.ndarray

    @property
    def n_sentences(self) -> int:
        return len(self.bounds) - 1


def _code_points(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The text's code points and their kind codes (lone surrogates included, as `str` holds them)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kinds = _CODE_TABLE[points]
    if len(kinds) and not kinds.all():
        unseen = points[kinds == 0]
        if len(unseen) > _FEW_UNSEEN:  # a whole corpus at first: mark them rather than sort them
            marked = np.zeros(len(_CODE_TABLE), dtype=bool)
            marked[unseen] = True
            distinct = np.flatnonzero(marked)
        else:
            distinct = np.unique(unseen)
        for point in distinct.tolist():
            _CODE_TABLE[point] = _KIND_CODES[_kind(chr(point))]
        kinds = _CODE_TABLE[points]
    return points, kinds


def _token_offsets(kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Token starts and ends by the rules of `_TOKEN`, over the kind codes of a text.

    A character belongs to a word when it is a word character or digit, or a number
    separator with a digit on both sides; a word is a maximal run of them. Every other
    punctuation or symbol character is a token alone; separators belong to none."""
    digit = kinds == _DIGIT_CODE
    in_word = digit | (kinds == _WORD_CODE)
    joining = kinds == _NUMBER_SEPARATOR_CODE
    joining[0:1] = False
    joining[-1:] = False
    joining[1:-1] &= digit[:-2] & digit[2:]
    in_word |= joining
    alone = (kinds == _PUNCTUATION_CODE) | ((kinds == _NUMBER_SEPARATOR_CODE) & ~joining)
    before = np.concatenate(([False], in_word[:-1]))
    after = np.concatenate((in_word[1:], [False]))
    starts = np.flatnonzero((in_word & ~before) | alone)
    ends = np.flatnonzero((in_word & ~after) | alone) + 1
    return starts, ends


def _sentence_bounds(
    points: np.ndarray, starts: np.ndarray, ends: np.ndarray, text_starts: np.ndarray | None = None
) -> np.ndarray:
    """Sentence bounds (see `TextTokens`): a sentence ends at the last token, before a line
    break, and after final punctuation (with the closing marks that follow it).

    `text_starts` are the first tokens of the texts when `points` are several texts joined by
    line breaks: closing marks at the start of a text follow no final punctuation."""
    n = len(starts)
    if not n:
        return np.zeros(1, dtype=np.int64)
    # A line break is whitespace, so never inside a token: it ends the sentence of the last
    # token that ends at or before it (none when it comes before the first token).
    after_break = np.searchsorted(ends, np.flatnonzero(points == _NEWLINE), side="right") - 1
    # Marks are one character long, so only one-character tokens can be marks. A mark ends a
    # sentence when a gap follows it (an attached closing mark carries the end on), a closing
    # mark only when it follows final punctuation over other closing marks.
    mark = np.where((ends - starts) == 1, _MARK_TABLE[points[starts]], 0)
    final, closing = mark == _FINAL_CODE, mark == _CLOSING_CODE
    positions = np.arange(n)
    looks_back = closing.copy()
    if text_starts is not None:
        looks_back[text_starts] = False  # a text's first token, even a closing mark, stops the look back
    before_closing = np.maximum.accumulate(np.where(looks_back, -1, positions))  # last token not a closing mark
    after_final = (before_closing >= 0) & final[np.maximum(before_closing, 0)]
    gap = np.append(starts[1:] > ends[:-1], False)
    ends_here = (final | (closing & after_final)) & gap
    ends_here[after_break[after_break >= 0]] = True
    ends_here[-1] = True
    return np.concatenate(([0], np.flatnonzero(ends_here) + 1))


def closes_final_punctuation(tokens: list[Token], index: int) -> bool:
    """Whether the closing mark at `index` follows final punctuation, over other closing marks."""
    return _after_final_punctuation(lambda position: tokens[position].text, index)


def _after_final_punctuation(text_of: Callable[[int], str], index: int) -> bool:
    previous = index - 1
    while previous >= 0 and text_of(previous) in CLOSING_MARKS:
        previous -= 1
    return previous >= 0 and text_of(previous) in SENTENCE_FINAL


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences at line breaks and after sentence-final punctuation.

    Cached by text: one run scores, tags and views each document several times (per
    layer, per system), and the sentences of a text never change.
    """
    return list(_sentences(text))


SENTENCE_CACHE_SIZE = 8192
"""Texts whose sentences are kept (least recently used first out): a run over a corpus
of up to this many documents tokenizes each document once."""


def forget_sentences() -> None:
    """Empty the sentence caches: for a run that reads each text once, and would otherwise keep
    the tokens of a whole corpus (130 MiB at 1,000 documents) for nothing."""
    _sentences.cache_clear()
    _text_tokens.cache_clear()


def text_tokens(text: str) -> TextTokens:
    """The token and sentence offsets of `text` (the tokens of `tokenize`, the sentences of
    `split_sentences`), cached by text like the sentences."""
    return _text_tokens(text)


@lru_cache(maxsize=SENTENCE_CACHE_SIZE)
def _text_tokens(text: str) -> TextTokens:
    points, kinds = _code_points(text)
    starts, ends = _token_offsets(kinds)
    return TextTokens(starts, ends, _sentence_bounds(points, starts, ends))


def joined_tokens(texts: list[str]) -> TextTokens:
    """The tokens and sentences of `texts` joined by line breaks, in one pass over the joined
    text: text by text, what `text_tokens` gives (offsets shifted by the text's place). The
    line break between two texts belongs to no token and ends the sentence before it, and
    the look back of a closing mark stops at its text's start, so nothing crosses a text."""
    text = "\n".join(texts)
    points, kinds = _code_points(text)
    starts, ends = _token_offsets(kinds)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    text_starts = np.searchsorted(starts, np.cumsum(lengths + 1) - (lengths + 1))
    return TextTokens(starts, ends, _sentence_bounds(points, starts, ends, text_starts[text_starts < len(starts)]))


def uncached_sentences(text: str) -> tuple[Sentence, ...]:
    """`split_sentences` without keeping them: for a pass that views a text once and would
    otherwise keep a token object per token of a whole corpus."""
    return _sentences.__wrapped__(text)


@lru_cache(maxsize=SENTENCE_CACHE_SIZE)
def _sentences(text: str) -> tuple[Sentence, ...]:
    offsets = text_tokens(text)
    extents = zip(offsets.starts.tolist(), offsets.ends.tolist(), strict=True)
    tokens = [Token(start, end, text[start:end]) for start, end in extents]
    bounds = offsets.bounds.tolist()
    sentences = []
    for index, (first, last) in enumerate(itertools.pairwise(bounds)):
        members = tuple(tokens[first:last])
        sentences.append(Sentence(index, members[0].start, members[-1].end, members))
    return tuple(sentences)
