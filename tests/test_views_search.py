"""Binary searches, sorted sweeps and caches give exactly what the linear scans they replace give.

The reference below is the view as first written: every span tested against every sentence,
every token tested against every span. The fast view must agree with it on any document.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.document import Document
from khabar.tokenize import Token, _sentences, split_sentences, tokenize
from khabar.validate import crossing_pairs
from khabar.views import (
    Collision,
    LabeledSpan,
    SentenceView,
    layer_spans,
    outermost,
    overlapping_tokens,
    sentence_id,
    token_view,
)
from tests.strategies import document_texts, documents


def linear_overlapping(tokens: list[Token], start: int, end: int) -> list[int]:
    return [index for index, token in enumerate(tokens) if token.start < end and start < token.end]


def linear_spans_to_tags(tokens, spans):
    tags = ["O"] * len(tokens)
    owner = [None] * len(tokens)
    collisions = []
    for span in sorted(spans, key=lambda span: (span.start, -span.end)):
        indices = linear_overlapping(tokens, span.start, span.end)
        taken = [owner[index] for index in indices if owner[index] is not None]
        if taken:
            collisions.append(Collision(span, taken[0]))
        free = [index for index in indices if owner[index] is None]
        for position, index in enumerate(free):
            tags[index] = ("B-" if position == 0 else "I-") + span.label
            owner[index] = span
    return tags, collisions


def linear_token_view(document: Document, layers=("entities", "timex", "events", "quotes")):
    collisions = []
    flat = {layer: outermost(layer_spans(document, layer)) for layer in layers}
    views = []
    for sentence in split_sentences(document.text):
        tags = {}
        for layer in layers:
            inside = [span for span in flat[layer] if span.start < sentence.end and sentence.start < span.end]
            clipped = [
                LabeledSpan(max(span.start, sentence.start), min(span.end, sentence.end), span.label, span.id)
                for span in inside
            ]
            tags[layer], found = linear_spans_to_tags(sentence.tokens, clipped)
            collisions += found
        views.append(SentenceView(sentence_id(document.id, sentence.index), document.id, sentence, tags))
    return views, collisions


@settings(max_examples=300, deadline=None)
@given(document_texts, st.integers(-2, 130), st.integers(0, 130))
def test_overlapping_tokens_by_binary_search_equal_a_scan(text, start, end):
    tokens = tokenize(text)
    assert overlapping_tokens(tokens, start, end) == linear_overlapping(tokens, start, end)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_token_view_equals_the_linear_view(document):
    assert token_view(document) == linear_token_view(document)
    assert token_view(document, ("timex",)) == linear_token_view(document, ("timex",))


def test_sentences_are_computed_once_per_text_and_returned_as_fresh_lists():
    text = "جملة أولى للاختبار. جملة ثانية للاختبار.\nسطر ثالث."
    _sentences.cache_clear()
    first = split_sentences(text)
    second = split_sentences("".join(list(text)))  # an equal text, another string object
    assert first == second and first is not second
    assert _sentences.cache_info().hits == 1 and _sentences.cache_info().misses == 1
    first.pop()
    assert len(split_sentences(text)) == 3


def nested_loop_crossings(extents):
    return [
        (position, other)
        for position, (start, end) in enumerate(extents)
        for other, (other_start, other_end) in enumerate(extents[:position])
        if other_start < start < other_end < end or start < other_start < end < other_end
    ]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)).map(lambda s: (s[0], s[0] + s[1])), max_size=25))
def test_the_crossing_sweep_finds_what_the_nested_loop_finds(extents):
    assert crossing_pairs(extents) == nested_loop_crossings(extents)


def nested_loop_outermost(spans):
    ordered = sorted(spans, key=lambda span: (span.start, -span.end, span.label, span.id))
    kept = []
    for span in ordered:
        if not any(other.start <= span.start and span.end <= other.end for other in kept):
            kept.append(span)
    return kept


labeled_spans = st.lists(
    st.builds(
        lambda start, length, label, identifier: LabeledSpan(start, start + length, label, identifier),
        st.integers(0, 30),
        st.integers(1, 12),
        st.sampled_from(["PER", "ORG", "GPE"]),
        st.sampled_from(["a", "b", "c", ""]),
    ),
    max_size=25,
)


@settings(max_examples=500, deadline=None)
@given(labeled_spans)
def test_outermost_by_furthest_end_equals_the_nested_loop(spans):
    assert outermost(spans) == nested_loop_outermost(spans)
    assert sorted(spans, key=lambda span: (span.start, span.end, span.label, span.id)) == sorted(spans)
