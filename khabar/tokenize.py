"""The token view's tokenizer and sentence splitter: deterministic and gold-independent.

Tokens are maximal runs of word characters; every punctuation or symbol character is a
token of its own, except separators between digits (`2.5`, `١٬٠٠٠`). Clitics stay
attached (`لداعش` is one token), as in ANERcorp and WojoodNER. Whitespace and bidi
control marks separate tokens and never belong to one. Offsets are code points.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

TOKENIZER_VERSION = "ws-punct.1"

# Bidi controls: invisible direction marks that must not glue or split words.
BIDI_MARKS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Separators that stay inside a number when a digit stands on both sides.
NUMBER_SEPARATORS = frozenset(".,:\u066b\u066c/")
SENTENCE_FINAL = frozenset(".!?\u061f\u2026\u06d4")
CLOSING_MARKS = frozenset("\"'»”’)]}\u201d")


@dataclass(frozen=True)
class Token:
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


def _is_separator(char: str) -> bool:
    return char.isspace() or char in BIDI_MARKS


def _is_punctuation(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "PS"


def _is_digit(char: str) -> bool:
    return unicodedata.category(char) == "Nd"


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens with exact code-point offsets."""
    tokens: list[Token] = []
    start: int | None = None
    for position, char in enumerate(text):
        if _is_separator(char):
            if start is not None:
                tokens.append(Token(start, position, text[start:position]))
                start = None
            continue
        if _is_punctuation(char):
            inside_number = (
                char in NUMBER_SEPARATORS
                and start is not None
                and _is_digit(text[position - 1])
                and position + 1 < len(text)
                and _is_digit(text[position + 1])
            )
            if inside_number:
                continue
            if start is not None:
                tokens.append(Token(start, position, text[start:position]))
                start = None
            tokens.append(Token(position, position + 1, char))
            continue
        if start is None:
            start = position
    if start is not None:
        tokens.append(Token(start, len(text), text[start:]))
    return tokens


def _sentence_ends(text: str, tokens: list[Token]) -> set[int]:
    """Indices of tokens that end a sentence: a line break follows, or final punctuation."""
    ends: set[int] = set()
    for index, token in enumerate(tokens):
        is_last = index + 1 == len(tokens)
        if is_last:
            ends.add(index)
            continue
        following = tokens[index + 1]
        if "\n" in text[token.end : following.start]:
            ends.add(index)
            continue
        if token.text in SENTENCE_FINAL or token.text in CLOSING_MARKS:
            # A closing mark ends a sentence only right after final punctuation.
            if token.text in CLOSING_MARKS and (index == 0 or tokens[index - 1].text not in SENTENCE_FINAL):
                continue
            if following.text in CLOSING_MARKS and following.start == token.end:
                continue
            if following.start > token.end:
                ends.add(index)
    return ends


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences at line breaks and after sentence-final punctuation."""
    tokens = tokenize(text)
    ends = _sentence_ends(text, tokens)
    sentences: list[Sentence] = []
    current: list[Token] = []
    for index, token in enumerate(tokens):
        current.append(token)
        if index in ends:
            sentences.append(Sentence(len(sentences), current[0].start, current[-1].end, tuple(current)))
            current = []
    return sentences
