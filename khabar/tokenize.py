"""The token view's tokenizer and sentence splitter: deterministic and gold-independent.

Tokens are maximal runs of word characters; every punctuation or symbol character is a
token of its own, except separators between digits (`2.5`, `١٬٠٠٠`). Clitics stay
attached (`لداعش` is one token), as in ANERcorp and WojoodNER. Whitespace and bidi
control marks separate tokens and never belong to one. Offsets are code points.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

TOKENIZER_VERSION = "ws-punct.2"

# Bidi controls: invisible direction marks that must not glue or split words.
BIDI_MARKS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Separators that stay inside a number when a digit stands on both sides.
NUMBER_SEPARATORS = frozenset(".,:\u066b\u066c/")
SENTENCE_FINAL = frozenset(".!?\u061f\u2026\u06d4")
CLOSING_MARKS = frozenset("\"'»”’)]}\u201d")
_MARKS = SENTENCE_FINAL | CLOSING_MARKS
_LINE_BREAK = re.compile("\n")


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


def _sentence_ends(text: str, tokens: list[Token]) -> set[int]:
    """Indices of tokens that end a sentence: a line break follows, or final punctuation."""
    if not tokens:
        return set()
    last = len(tokens) - 1
    ends = {last} | _line_break_ends(text, tokens)
    for index, token in enumerate(tokens):
        if token.text not in _MARKS or index == last:
            continue
        following = tokens[index + 1]
        # A closing mark ends a sentence only after final punctuation (`."»` included).
        if token.text in CLOSING_MARKS and not closes_final_punctuation(tokens, index):
            continue
        if following.text in CLOSING_MARKS and following.start == token.end:
            continue
        if following.start > token.end:
            ends.add(index)
    return ends


def closes_final_punctuation(tokens: list[Token], index: int) -> bool:
    """Whether the closing mark at `index` follows final punctuation, over other closing marks."""
    previous = index - 1
    while previous >= 0 and tokens[previous].text in CLOSING_MARKS:
        previous -= 1
    return previous >= 0 and tokens[previous].text in SENTENCE_FINAL


def _line_break_ends(text: str, tokens: list[Token]) -> set[int]:
    """Indices of the tokens followed by a line break before the next token.

    A line break is whitespace, so never inside a token: each one lies in the gap after the
    last token that ends at or before it (none when it comes before the first token).
    """
    token_ends = [token.end for token in tokens]
    ends: set[int] = set()
    for match in _LINE_BREAK.finditer(text):
        index = bisect.bisect_right(token_ends, match.start()) - 1
        if index >= 0:
            ends.add(index)
    return ends


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
    """Empty the sentence cache: for a run that reads each text once, and would otherwise keep
    the tokens of a whole corpus (130 MiB at 1,000 documents) for nothing."""
    _sentences.cache_clear()


@lru_cache(maxsize=SENTENCE_CACHE_SIZE)
def _sentences(text: str) -> tuple[Sentence, ...]:
    tokens = tokenize(text)
    sentences: list[Sentence] = []
    first = 0
    for last in sorted(_sentence_ends(text, tokens)):
        members = tuple(tokens[first : last + 1])
        sentences.append(Sentence(len(sentences), members[0].start, members[-1].end, members))
        first = last + 1
    return tuple(sentences)
