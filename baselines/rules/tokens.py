"""Tokens prepared once for every rule: their matching key and clitic-stripped readings."""

from __future__ import annotations

import bisect
from functools import cache, lru_cache
from typing import NamedTuple

from khabar.baselines.arabic import key, key_with_offsets, stems
from khabar.baselines.resources import read_list
from khabar.tokenize import Sentence, Token, split_sentences


class WordToken(NamedTuple):
    """A token of the text with its matching key and stem readings (a tuple: built per token)."""

    token: Token
    key: str
    offsets: tuple[int, ...]
    readings: tuple[tuple[str, int], ...]
    is_word: bool

    @property
    def start(self) -> int:
        return self.token.start

    @property
    def end(self) -> int:
        return self.token.end

    def start_of(self, key_offset: int) -> int:
        """Document offset of the key character at `key_offset` (a stem's first letter)."""
        return self.token.start + self.offsets[key_offset]


@lru_cache(maxsize=200_000)
def _prepared(text: str) -> tuple[str, tuple[int, ...], tuple[tuple[str, int], ...], bool]:
    """Key, key offsets, readings and whether it is a word, of a token text (cached: words repeat)."""
    token_key, offsets = key_with_offsets(text)
    is_word = bool(token_key) and token_key[0].isalpha()
    return token_key, tuple(offsets), stems(token_key) if token_key else (), is_word


_new_tuple = tuple.__new__


def word_token(token: Token) -> WordToken:
    # tuple.__new__ directly: the NamedTuple constructor is a Python function, slow per token.
    return _new_tuple(WordToken, (token, *_prepared(token.text)))


def within(items: list, sentences: list[Sentence], start_of=lambda item: item.start) -> list[list]:
    """`items` (sorted by start) grouped by the sentence their start falls in."""
    starts = [start_of(item) for item in items]
    groups = []
    for sentence in sentences:
        low = bisect.bisect_left(starts, sentence.start)
        high = bisect.bisect_left(starts, sentence.end)
        groups.append(items[low:high])
    return groups


def sentence_tokens(text: str) -> list[tuple[Sentence, list[WordToken]]]:
    """The sentences of `text`, each with its prepared tokens."""
    return [(sentence, list(map(word_token, sentence.tokens))) for sentence in split_sentences(text)]


@cache
def vocabulary(name: str) -> frozenset[str]:
    """The keys of a resource list's entries."""
    return frozenset(key(entry) for entry in read_list(name).entries)


def find_reading(word: WordToken, keys: frozenset[str] | dict, *, article: bool = True) -> tuple[str, int, bool] | None:
    """The first reading of `word` found in `keys`, also trying it without the article ال:
    `(entry, key offset where the reading starts, whether the article was removed)`."""
    return find_in(word.readings, keys, article=article)


def find_in(
    readings: tuple[tuple[str, int], ...], keys: frozenset[str] | dict, *, article: bool = True
) -> tuple[str, int, bool] | None:
    for stem, offset in readings:
        if stem in keys:
            return stem, offset, False
        if article and stem.startswith("ال") and len(stem) > 3 and stem[2:] in keys:
            return stem[2:], offset, True
    return None
