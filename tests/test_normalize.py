"""Orthographic normalization: rules, offset maps both ways, and span commutation."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.document import Span
from khabar.edits import EditMap, map_document
from khabar.normalize import (
    FORMAT_MARKS,
    OTHER_MARKS,
    Rules,
    map_span_to_normalized,
    map_span_to_raw,
    normalize,
    normalize_document,
    normalized_string,
)
from tests.strategies import documents

EXTRA = "\u0670\u0610\u06d6\u200b\u200c\u200d\u200e\u200f\u061c\u202b\u202c\u2067\u2069\ufeffأإآٱىيۃ۰۵"
raw_texts = st.text(
    st.sampled_from(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى\u064b\u064e\u064f\u0650\u0651\u0652\u0640٠١٩𝐀😀𞸀aZ09 .،\n" + EXTRA
    ),
    max_size=80,
)
both_rules = st.sampled_from([Rules(), Rules(digits=True)])


def test_rules_on_a_diacritized_name_with_tatweel_and_marks():
    raw = "\u200fمُحَمَّـد إِبْرَاهِيم علَى ٢٠٢٥"
    assert normalize(raw).text == "محمد ابراهيم علي ٢٠٢٥"
    assert normalize(raw, Rules(digits=True)).text == "محمد ابراهيم علي 2025"


def test_each_alef_variant_becomes_bare_alef():
    assert normalize("أإآٱا").text == "ااااا"


def test_ta_marbuta_and_hamza_letters_are_kept():
    assert normalize("مدرسة مؤتمر رئيس ء").text == "مدرسة مؤتمر رئيس ء"


def test_removed_marks_are_combining_or_format_characters():
    # Removal must never delete a letter: every removed mark is a combining mark (Mn) or format (Cf).
    for char in OTHER_MARKS:
        assert unicodedata.category(char) == "Mn", hex(ord(char))
    for char in FORMAT_MARKS:
        assert unicodedata.category(char) == "Cf", hex(ord(char))


def test_offsets_of_a_name_with_harakat():
    raw = "قال مُحَمَّدٌ اليوم"
    normalized = normalize(raw)
    start = raw.index("م")
    end = raw.index(" ", start)
    span = map_span_to_normalized(normalized, Span(start, end, raw[start:end]))
    assert span == Span(4, 8, "محمد")
    assert map_span_to_raw(normalized, span) == Span(start, end - 1, "مُحَمَّد")  # trailing tanwin is not a letter


def test_non_bmp_characters_keep_code_point_offsets():
    raw = "𝐀ـ😀أ"
    normalized = normalize(raw)
    assert normalized.text == "𝐀😀ا"
    assert normalized.to_normalized(2, 4) == (1, 3)
    assert normalized.to_raw(1, 3) == (2, 4)


def test_gold_text_is_not_modified():
    raw = "أَحْمَد"
    copy = str(raw)
    normalize(raw)
    assert raw == copy


@settings(max_examples=100, deadline=None)
@given(raw_texts, both_rules, st.data())
def test_every_raw_span_maps_to_the_normalization_of_its_text(raw, rules, data):
    normalized = normalize(raw, rules)
    start = data.draw(st.integers(0, len(raw)))
    end = data.draw(st.integers(start, len(raw)))
    new_start, new_end = normalized.to_normalized(start, end)
    assert normalized.text[new_start:new_end] == normalize(raw[start:end], rules).text
    # and back: the smallest raw span with the same normalized text, inside the original
    back_start, back_end = normalized.to_raw(new_start, new_end)
    if new_start < new_end:
        assert start <= back_start < back_end <= end
        assert normalize(raw[back_start:back_end], rules).text == normalized.text[new_start:new_end]


@settings(max_examples=100, deadline=None)
@given(raw_texts, both_rules)
def test_maps_are_monotone_and_consistent(raw, rules):
    normalized = normalize(raw, rules)
    forward = [normalized.to_normalized(offset, offset)[0] for offset in range(len(raw) + 1)]
    assert forward == sorted(forward)
    assert forward[0] == 0 and forward[-1] == len(normalized.text)
    origins = [index for index in normalized.origin if index >= 0]
    assert origins == sorted(origins) and len(origins) == len(set(origins)) == len(normalized.text)
    for position, index in enumerate(normalized.origin):
        assert normalized.text[position] == normalize(raw[index], rules).text
    assert normalized_string(raw, rules) == normalized.text


@settings(max_examples=100, deadline=None)
@given(raw_texts, both_rules)
def test_identity_on_normalized_text(raw, rules):
    once = normalize(raw, rules).text
    again = normalize(once, rules)
    assert again.text == once
    assert again.is_identity
    assert all(again.to_normalized(i, i + 1) == (i, i + 1) for i in range(len(once)))
    assert all(again.to_raw(i, i + 1) == (i, i + 1) for i in range(len(once)))


@settings(max_examples=60, deadline=None)
@given(documents())
def test_normalize_document_maps_every_span(document):
    normalized_doc, normalized = normalize_document(document)
    assert normalized_doc.text == normalized.text
    assert document.text == normalized.raw  # the input is untouched
    for gold, mapped in zip(document.entities, normalized_doc.entities, strict=True):
        assert mapped.text == normalized_doc.text[mapped.start : mapped.end]
        assert mapped.text == normalize(gold.text).text
        assert (mapped.id, mapped.type) == (gold.id, gold.type)
    for gold, mapped in zip(document.quotes, normalized_doc.quotes, strict=True):
        assert mapped.content.text == normalize(gold.content.text).text
    for gold, mapped in zip(document.events, normalized_doc.events, strict=True):
        assert mapped.trigger.text == normalize(gold.trigger.text).text
        for gold_argument, argument in zip(gold.arguments, mapped.arguments, strict=True):
            assert argument.ref == gold_argument.ref
            if argument.span is not None:
                assert argument.span.text == normalize(gold_argument.span.text).text


def test_edit_map_keeps_boundary_insertions_outside_a_span():
    source = "لداعش"
    inserts = ["", "\u0640", "", "\u200c", "", ""]
    edits = EditMap.build(source, list(source), inserts)
    assert edits.text == "لـداعش".replace("اع", "ا\u200cع")
    assert edits.map_span(Span(1, 5, "داعش")).text == "دا\u200cعش"
    assert edits.span_backward(1, 2) == (1, 1)  # the tatweel alone has no source character


def test_map_document_rejects_a_map_for_another_text():
    from khabar.document import Document

    document = Document(id="doc-0001", text="نص")
    with pytest.raises(ValueError, match="another text"):
        map_document(document, normalize("غير"))
