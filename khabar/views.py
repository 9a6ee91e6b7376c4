"""Views of a document: its layers as labelled spans, and as flat IOB2 tags per sentence.

The flat view keeps the outermost spans of a layer (nested ones are scored by the span
metrics). A span labels every token it overlaps, so `لداعش` is B-ORG when the
character span is `داعش`. Two outermost spans that touch the same token cannot both be
tagged: the earlier (then longer) one keeps the token and the collision is reported,
never dropped silently.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple

from khabar.document import Document
from khabar.tokenize import TOKENIZER_VERSION, Sentence, Token, split_sentences, uncached_sentences

VIEW_VERSION = "flat-outer.1"
TOKEN_VIEW_SIGNATURE = f"{TOKENIZER_VERSION}+{VIEW_VERSION}"


class LabeledSpan(NamedTuple):
    """A span of one layer: `[start, end)` with its label and the id of its annotation.

    A named tuple, not a dataclass: scoring a large file makes millions of them, and a tuple
    is made in half the time; it compares and sorts by (start, end, label, id) as before."""

    start: int
    end: int
    label: str
    id: str = ""


@dataclass(frozen=True)
class Collision:
    """A span the flat view could not tag in full because a token was already taken."""

    span: LabeledSpan
    kept_by: LabeledSpan


# Where each layer keeps the start, end, label and id of its spans (attribute paths).
SPAN_PATHS: dict[str, tuple[str, str, str, str]] = {
    "entities": ("start", "end", "type", "id"),
    "timex": ("start", "end", "type", "id"),
    "events": ("trigger.start", "trigger.end", "type", "id"),
    "quotes": ("content.start", "content.end", "kind", "id"),
}
# The four read at once by a C-level getter; a `LabeledSpan` is made straight from that tuple
# (`tuple.__new__`, which is all its own constructor does), since a large corpus has hundreds
# of thousands of spans.
_SPAN_FIELDS = {layer: attrgetter(*paths) for layer, paths in SPAN_PATHS.items()}


def layer_spans(document: Document, layer: str) -> list[LabeledSpan]:
    """The labelled spans of one layer: entity type, timex type, event type, quote kind."""
    fields = _SPAN_FIELDS.get(layer)
    if fields is None:
        raise ValueError(f"unknown layer {layer!r}")
    items = getattr(document, layer)
    return sorted(map(tuple.__new__, repeat(LabeledSpan, len(items)), map(fields, items)))  # by (start, end, label, id)


def outermost(spans: list[LabeledSpan]) -> list[LabeledSpan]:
    """Spans not strictly inside another span (identical extents: the first is kept).

    In order of start, every span kept so far starts at or before the current one, so the
    current one lies inside one of them exactly when the furthest end kept reaches its end.
    The order is (start, -end, label, id), by stable sorts (end descending, then start).
    """
    ordered = sorted(sorted(sorted(spans), key=itemgetter(1), reverse=True), key=itemgetter(0))
    kept: list[LabeledSpan] = []
    furthest = -1
    for span in ordered:
        if furthest >= span.end:
            continue
        kept.append(span)
        furthest = max(furthest, span.end)
    return kept


def overlapping_range(starts: list[int], ends: list[int], start: int, end: int) -> range:
    """Indices of the tokens that overlap `[start, end)`, given their sorted starts and ends.

    Tokens are disjoint and in text order, so both lists are sorted and the overlapping
    tokens are one run: from the first ending after `start` to the last starting before `end`.
    """
    return range(bisect_right(ends, start), bisect_left(starts, end))


def overlapping_tokens(tokens: tuple[Token, ...] | list[Token], start: int, end: int) -> list[int]:
    """Indices of the tokens that share a character with `[start, end)`."""
    starts, ends = [token.start for token in tokens], [token.end for token in tokens]
    return list(overlapping_range(starts, ends, start, end))


def spans_to_tags(
    tokens: tuple[Token, ...] | list[Token], spans: list[LabeledSpan]
) -> tuple[list[str], list[Collision]]:
    """IOB2 tags of `tokens` for `spans` (outermost spans assumed), plus collisions."""
    tags = ["O"] * len(tokens)
    owner: list[LabeledSpan | None] = [None] * len(tokens)
    collisions: list[Collision] = []
    if not spans:
        return tags, collisions
    starts, ends = [token.start for token in tokens], [token.end for token in tokens]
    for span in sorted(spans, key=lambda span: (span.start, -span.end)):
        indices = overlapping_range(starts, ends, span.start, span.end)
        taken = [owner[index] for index in indices if owner[index] is not None]
        if taken:
            collisions.append(Collision(span, taken[0]))
        free = [index for index in indices if owner[index] is None]
        begin, inside = _tags_of(span.label)
        for position, index in enumerate(free):
            tags[index] = inside if position else begin
            owner[index] = span
    return tags, collisions


_TAGS: dict[str, tuple[str, str]] = {}


def _tags_of(label: str) -> tuple[str, str]:
    """(`B-label`, `I-label`), one string each per label: a large view holds millions of tags."""
    pair = _TAGS.get(label)
    if pair is None:
        pair = _TAGS[label] = (f"B-{label}", f"I-{label}")
    return pair


def tags_to_spans(tokens: tuple[Token, ...] | list[Token], tags: list[str]) -> list[LabeledSpan]:
    """Character spans of IOB2 chunks, read as conlleval does (an I- after O or after
    another type starts a chunk), from the first token's start to the last token's end."""
    spans: list[LabeledSpan] = []
    chunk_start: int | None = None
    chunk_label = ""
    chunk_end = 0
    for token, tag in zip(tokens, tags, strict=True):
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and chunk_start is not None and label == chunk_label
        if chunk_start is not None and not continues:
            spans.append(LabeledSpan(chunk_start, chunk_end, chunk_label))
            chunk_start = None
        if prefix in ("B", "I") and not continues:
            chunk_start, chunk_label = token.start, label
        if chunk_start is not None:
            chunk_end = token.end
    if chunk_start is not None:
        spans.append(LabeledSpan(chunk_start, chunk_end, chunk_label))
    return spans


@dataclass(frozen=True)
class SentenceView:
    """One sentence of the token view with its tags per layer."""

    id: str
    doc_id: str
    sentence: Sentence
    tags: dict[str, list[str]]

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.sentence.tokens


def sentence_id(doc_id: str, index: int) -> str:
    return f"{doc_id}-s{index:03d}"


def spans_by_sentence(sentences: list[Sentence], spans: list[LabeledSpan]) -> list[list[LabeledSpan]]:
    """For each sentence, the spans that overlap it, in the order of `spans` (by binary search
    over the sentence extents, which are disjoint and in text order)."""
    starts, ends = [sentence.start for sentence in sentences], [sentence.end for sentence in sentences]
    buckets: list[list[LabeledSpan]] = [[] for _ in sentences]
    for span in spans:
        for index in overlapping_range(starts, ends, span.start, span.end):
            buckets[index].append(span)
    return buckets


def token_view(
    document: Document, layers: tuple[str, ...] = ("entities", "timex", "events", "quotes")
) -> tuple[list[SentenceView], list[Collision]]:
    """The document's sentences with flat IOB2 tags per layer, and every collision."""
    views, collisions = _token_view(document, layers)
    return views, [collision for _, collision in collisions]


def token_view_by_layer(
    document: Document, layers: tuple[str, ...] = ("entities", "timex", "events", "quotes")
) -> tuple[list[SentenceView], dict[str, list[Collision]]]:
    """`token_view` with the collisions of each layer apart: one pass gives what a pass per
    layer (`token_view(document, (layer,))`) would."""
    views, collisions = _token_view(document, layers)
    by_layer: dict[str, list[Collision]] = {layer: [] for layer in layers}
    for layer, collision in collisions:
        by_layer[layer].append(collision)
    return views, by_layer


def layer_view(
    document: Document, layer: str, kept: list[LabeledSpan] | None = None, *, keep_sentences: bool = True
) -> tuple[list[list[str]], list[Collision]]:
    """The tags of one layer, sentence by sentence, and its collisions: what `token_view(document,
    (layer,))` gives for it. `kept` is the layer's outermost spans when already at hand.
    Without `keep_sentences`, the text's sentences are not kept for later views (`uncached_sentences`)."""
    sentences = split_sentences(document.text) if keep_sentences else uncached_sentences(document.text)
    if kept is None:
        kept = outermost(layer_spans(document, layer))
    tags: list[list[str]] = []
    collisions: list[Collision] = []
    for sentence, inside in zip(sentences, spans_by_sentence(sentences, kept), strict=True):
        sentence_tags, found = _sentence_tags(sentence, inside)
        tags.append(sentence_tags)
        collisions += found
    return tags, collisions


def _sentence_tags(sentence: Sentence, inside: list[LabeledSpan]) -> tuple[list[str], list[Collision]]:
    """The tags of one sentence for the outermost spans that overlap it, and its collisions."""
    if not inside:
        return ["O"] * len(sentence.tokens), []
    # A span across a sentence boundary is tagged in each sentence it touches.
    clipped = [
        LabeledSpan(max(span.start, sentence.start), min(span.end, sentence.end), span.label, span.id)
        for span in inside
    ]
    return spans_to_tags(sentence.tokens, clipped)


def _token_view(document: Document, layers: tuple[str, ...]) -> tuple[list[SentenceView], list[tuple[str, Collision]]]:
    sentences = split_sentences(document.text)
    collisions: list[tuple[str, Collision]] = []
    by_sentence = {layer: spans_by_sentence(sentences, outermost(layer_spans(document, layer))) for layer in layers}
    views: list[SentenceView] = []
    for sentence in sentences:
        tags: dict[str, list[str]] = {}
        for layer in layers:
            tags[layer], layer_collisions = _sentence_tags(sentence, by_sentence[layer][sentence.index])
            collisions += [(layer, collision) for collision in layer_collisions]
        views.append(SentenceView(sentence_id(document.id, sentence.index), document.id, sentence, tags))
    return views, collisions
