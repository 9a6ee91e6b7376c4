"""The tokenizer and sentence splitter equal their character-by-character definition.

`tokenize` runs as a regular expression over a string of character kinds, `split_sentences`
(and `text_tokens`, its offsets) as numpy operations over kind codes, for speed; the
reference below is the original per-character loop, kept here as the oracle, so that any
change of behaviour (which would need a new TOKENIZER_VERSION) fails here.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar import tokenize as tokenize_module
from khabar.tokenize import (
    BIDI_MARKS,
    CLOSING_MARKS,
    NUMBER_SEPARATORS,
    SENTENCE_FINAL,
    Sentence,
    Token,
    _sentences,
    closes_final_punctuation,
    forget_sentences,
    joined_tokens,
    split_sentences,
    text_tokens,
    tokenize,
    uncached_sentences,
)
from tests.strategies import document_texts

# Characters where the rules have edges: number separators, every kind of space, line
# breaks, bidi and zero-width marks, closing marks, digits of several scripts, combining
# marks, symbols, surrogates and unassigned code points.
EDGE_CHARS = (
    ".,:\u066b\u066c/!?\u061f\u2026\u06d4\"'»”’)]}«“(-"
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u3000"
    "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202e\u2066\u2069\ufeff"
    "0123456789٠١٢٣٤٥٦٧٨٩۰۹०९²½Ⅻ"
    "\u064b\u0651\u0640\u0670\u0301$+<=>^`|~©€\u00ad\ud800\U000e0001\U0010ffff\u0378"
    "abzسوريا"
)
unicode_texts = st.text(st.one_of(st.characters(), st.sampled_from(EDGE_CHARS)), max_size=80)


def _is_separator(char: str) -> bool:
    return char.isspace() or char in BIDI_MARKS


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _is_digit(char: str) -> bool:
    return unicodedata.category(char) == "Nd"


def reference_tokenize(text: str) -> list[Token]:
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


def reference_sentence_ends(text: str, tokens: list[Token]) -> set[int]:
    ends: set[int] = set()
    for index, token in enumerate(tokens):
        if index + 1 == len(tokens):
            ends.add(index)
            continue
        following = tokens[index + 1]
        if "\n" in text[token.end : following.start]:
            ends.add(index)
            continue
        if token.text in SENTENCE_FINAL or token.text in CLOSING_MARKS:
            if token.text in CLOSING_MARKS and not closes_final_punctuation(tokens, index):
                continue
            if following.text in CLOSING_MARKS and following.start == token.end:
                continue
            if following.start > token.end:
                ends.add(index)
    return ends


def reference_split_sentences(text: str) -> list[Sentence]:
    tokens = reference_tokenize(text)
    ends = reference_sentence_ends(text, tokens)
    sentences: list[Sentence] = []
    current: list[Token] = []
    for index, token in enumerate(tokens):
        current.append(token)
        if index in ends:
            sentences.append(Sentence(len(sentences), current[0].start, current[-1].end, tuple(current)))
            current = []
    return sentences


@settings(max_examples=100)
@given(st.one_of(unicode_texts, document_texts))
def test_tokenize_equals_the_reference(text: str) -> None:
    assert tokenize(text) == reference_tokenize(text)


@settings(max_examples=100)
@given(st.one_of(unicode_texts, document_texts))
def test_split_sentences_equals_the_reference(text: str) -> None:
    assert split_sentences(text) == reference_split_sentences(text)


@settings(max_examples=100)
@given(st.one_of(unicode_texts, document_texts))
def test_uncached_sentences_are_the_sentences_and_are_not_kept(text: str) -> None:
    forget_sentences()
    assert list(uncached_sentences(text)) == reference_split_sentences(text)
    assert _sentences.cache_info().currsize == 0


def test_number_separators_and_sentence_marks() -> None:
    for text in ["1.2.3", ".1", "1.", "1..2", "a1,2", "١٬٠٠٠.", 'قال "نعم."\n\n«لا» ثم.»', "\n\nا\n"]:
        assert tokenize(text) == reference_tokenize(text)
        assert split_sentences(text) == reference_split_sentences(text)


def test_seed_equals_the_reference(corpus_dir) -> None:
    text = (corpus_dir / "documents" / "doc-0001.txt").read_text(encoding="utf-8")
    assert split_sentences(text) == reference_split_sentences(text)


@settings(max_examples=150)
@given(st.one_of(unicode_texts, document_texts))
def test_the_offset_arrays_are_the_tokens_and_sentences(text: str) -> None:
    offsets = text_tokens(text)
    sentences = reference_split_sentences(text)
    tokens = [token for sentence in sentences for token in sentence.tokens]
    assert offsets.starts.tolist() == [token.start for token in tokens]
    assert offsets.ends.tolist() == [token.end for token in tokens]
    lengths = [len(sentence.tokens) for sentence in sentences]
    assert offsets.bounds.tolist() == [sum(lengths[:index]) for index in range(len(lengths) + 1)]
    assert offsets.n_sentences == len(sentences)


def test_offset_arrays_of_an_empty_and_a_blank_text() -> None:
    for text in ["", " \n\u200f", "."]:
        offsets = text_tokens(text)
        assert offsets.starts.tolist() == [token.start for token in reference_tokenize(text)]
        assert offsets.n_sentences == len(reference_split_sentences(text))


@settings(max_examples=150)
@given(
    st.lists(
        st.one_of(unicode_texts, document_texts, st.sampled_from(["", "\n", ".", "»", ".»", "1", ",1"])), max_size=5
    ),
    st.booleans(),
)
def test_texts_joined_are_tokenized_as_each_text_alone(texts: list[str], fresh_table: bool) -> None:
    with pytest.MonkeyPatch.context() as patch:
        if fresh_table:  # the kinds table filled from the whole corpus at once, as in a new process
            patch.setattr(tokenize_module, "_CODE_TABLE", np.zeros_like(tokenize_module._CODE_TABLE))
            patch.setattr(tokenize_module, "_FEW_UNSEEN", 0)
        joined = joined_tokens(texts)
    starts: list[int] = []
    ends: list[int] = []
    bounds = [0]
    shift = 0
    for text in texts:
        for sentence in reference_split_sentences(text):
            starts += [token.start + shift for token in sentence.tokens]
            ends += [token.end + shift for token in sentence.tokens]
            bounds.append(bounds[-1] + len(sentence.tokens))
        shift += len(text) + 1  # the line break that joins it to the next text
    assert joined.starts.tolist() == starts
    assert joined.ends.tolist() == ends
    assert joined.bounds.tolist() == bounds
