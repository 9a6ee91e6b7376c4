"""The span-mapping step: how both sides' character spans are mapped before they are matched.

A span map takes a document and returns a function from a span `(start, end)` to the
span that is compared. The identity is the default; `normalized_spans` plugs in
orthographic normalization (offsets stay on the raw text); `snap_to_tokens` aligns
sentence-level (tag) predictions, whose spans cover whole tokens. `ScoringSettings`
chooses the map; the harness and the report apply it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from khabar.document import Document
from khabar.normalize import normalize
from khabar.tokenize import tokenize

SpanMap = Callable[[int, int], tuple[int, int]]
SpanMapFactory = Callable[[Document], SpanMap]


def same_span(start: int, end: int) -> tuple[int, int]:
    """The identity span map (one function, so a caller can tell it apart and skip it)."""
    return start, end


def identity_spans(document: Document) -> SpanMap:
    return same_span


def snap_to_tokens(document: Document) -> SpanMap:
    """Map a span to the extent of the tokens it overlaps (unchanged when it overlaps none)."""
    tokens = tokenize(document.text)
    starts = [token.start for token in tokens]

    def snap(start: int, end: int) -> tuple[int, int]:
        first = max(bisect_right(starts, start) - 1, 0)
        covered = []
        for token in tokens[first:]:
            if token.start >= end:
                break
            if start < token.end:
                covered.append(token)
        if not covered:
            return start, end
        return covered[0].start, covered[-1].end

    return snap


def normalized_spans(document: Document) -> SpanMap:
    """Map a span to the smallest raw span with the same normalized text extent.

    Two spans that differ only by characters normalization removes or folds (diacritics,
    tatweel, bidi marks at an edge) map to the same raw span, so they match; offsets stay
    on the raw text.
    """
    normalized = normalize(document.text)

    def canonical(start: int, end: int) -> tuple[int, int]:
        return normalized.to_raw(*normalized.to_normalized(start, end))

    return canonical


def compose(first: SpanMapFactory, second: SpanMapFactory) -> SpanMapFactory:
    """The span map applying `first`, then `second`."""

    def factory(document: Document) -> SpanMap:
        a, b = first(document), second(document)
        return lambda start, end: b(*a(start, end))

    return factory
