"""Tokens prepared once for every rule: their matching key and clitic-stripped readings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from khabar.baselines.arabic import key_with_offsets, stems
from khabar.baselines.resources import read_list

from khabar.tokenize import Sentence, Token, split_sentences


@dataclass(frozen=True)
class WordToken:
    """A token of the text with its matching key and stem readings."""

    token: Token
    key: str
    offsets: tuple[int, ...]
    readings: tuple[tuple[str, int], ...]

    @property
    def start(self) -> int:
        return self.token.start

    @property
    def end(self) -> int:
        return self.token.end

    def start_of(self, key_offset: int) -> int:
        """Document offset of the key character at `key_offset` (a stem's first letter)."""
        return self.token.start + self.offsets[key_offset]

    @property
    def is_word(self) -> bool:
        return bool(self.key) and self.key[0].isalpha()


def word_token(token: Token) -> WordToken:
    token_key, offsets = key_with_offsets(token.text)
    return WordToken(token, token_key, tuple(offsets), stems(token_key) if token_key else ())


def sentence_tokens(text: str) -> list[tuple[Sentence, list[WordToken]]]:
    """The sentences of `text`, each with its prepared tokens."""
    return [(sentence, [word_token(token) for token in sentence.tokens]) for sentence in split_sentences(text)]


@cache
def vocabulary(name: str) -> frozenset[str]:
    """The keys of a resource list's entries."""
    from khabar.baselines.arabic import key

    return frozenset(key(entry) for entry in read_list(name).entries)


def find_reading(word: WordToken, keys: frozenset[str] | dict, *, article: bool = True) -> tuple[str, int, bool] | None:
    """The first reading of `word` found in `keys`, also trying it without the article ال:
    `(entry, key offset where the reading starts, whether the article was removed)`."""
    for stem, offset in word.readings:
        if stem in keys:
            return stem, offset, False
        if article and stem.startswith("ال") and len(stem) > 3 and stem[2:] in keys:
            return stem[2:], offset, True
    return None
