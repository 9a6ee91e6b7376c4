"""Views of a document: its layers as labelled spans, and as flat IOB2 tags per sentence.

The flat view keeps the outermost spans of a layer (nested ones are scored by the span
metrics). A span labels every token it overlaps, so `لداعش` is B-ORG when the
character span is `داعش`. Two outermost spans that touch the same token cannot both be
tagged: the earlier (then longer) one keeps the token and the collision is reported,
never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from khabar.document import Document
from khabar.tokenize import TOKENIZER_VERSION, Sentence, Token, split_sentences

VIEW_VERSION = "flat-outer.1"
TOKEN_VIEW_SIGNATURE = f"{TOKENIZER_VERSION}+{VIEW_VERSION}"


@dataclass(frozen=True, order=True)
class LabeledSpan:
    """A span of one layer: `[start, end)` with its label and the id of its annotation."""

    start: int
    end: int
    label: str
    id: str = ""


@dataclass(frozen=True)
class Collision:
    """A span the flat view could not tag in full because a token was already taken."""

    span: LabeledSpan
    kept_by: LabeledSpan


def layer_spans(document: Document, layer: str) -> list[LabeledSpan]:
    """The labelled spans of one layer: entity type, timex type, event type, quote kind."""
    if layer == "entities":
        spans = [LabeledSpan(e.start, e.end, e.type, e.id) for e in document.entities]
    elif layer == "timex":
        spans = [LabeledSpan(t.start, t.end, t.type, t.id) for t in document.timex]
    elif layer == "events":
        spans = [LabeledSpan(e.trigger.start, e.trigger.end, e.type, e.id) for e in document.events]
    elif layer == "quotes":
        spans = [LabeledSpan(q.content.start, q.content.end, q.kind, q.id) for q in document.quotes]
    else:
        raise ValueError(f"unknown layer {layer!r}")
    return sorted(spans)


def outermost(spans: list[LabeledSpan]) -> list[LabeledSpan]:
    """Spans not strictly inside another span (identical extents: the first is kept)."""
    ordered = sorted(spans, key=lambda span: (span.start, -span.end, span.label, span.id))
    kept: list[LabeledSpan] = []
    for span in ordered:
        if any(other.start <= span.start and span.end <= other.end for other in kept):
            continue
        kept.append(span)
    return kept


def overlapping_tokens(tokens: tuple[Token, ...] | list[Token], start: int, end: int) -> list[int]:
    return [index for index, token in enumerate(tokens) if token.start < end and start < token.end]


def spans_to_tags(
    tokens: tuple[Token, ...] | list[Token], spans: list[LabeledSpan]
) -> tuple[list[str], list[Collision]]:
    """IOB2 tags of `tokens` for `spans` (outermost spans assumed), plus collisions."""
    tags = ["O"] * len(tokens)
    owner: list[LabeledSpan | None] = [None] * len(tokens)
    collisions: list[Collision] = []
    for span in sorted(spans, key=lambda span: (span.start, -span.end)):
        indices = overlapping_tokens(tokens, span.start, span.end)
        taken = [owner[index] for index in indices if owner[index] is not None]
        if taken:
            collisions.append(Collision(span, taken[0]))
        free = [index for index in indices if owner[index] is None]
        for position, index in enumerate(free):
            tags[index] = ("B-" if position == 0 else "I-") + span.label
            owner[index] = span
    return tags, collisions


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


def token_view(
    document: Document, layers: tuple[str, ...] = ("entities", "timex", "events", "quotes")
) -> tuple[list[SentenceView], list[Collision]]:
    """The document's sentences with flat IOB2 tags per layer, and every collision."""
    sentences = split_sentences(document.text)
    collisions: list[Collision] = []
    flat = {layer: outermost(layer_spans(document, layer)) for layer in layers}
    views: list[SentenceView] = []
    for sentence in sentences:
        tags: dict[str, list[str]] = {}
        for layer in layers:
            inside = [span for span in flat[layer] if span.start < sentence.end and sentence.start < span.end]
            # A span across a sentence boundary is tagged in each sentence it touches.
            clipped = [
                LabeledSpan(max(span.start, sentence.start), min(span.end, sentence.end), span.label, span.id)
                for span in inside
            ]
            tags[layer], layer_collisions = spans_to_tags(sentence.tokens, clipped)
            collisions += layer_collisions
        views.append(SentenceView(sentence_id(document.id, sentence.index), document.id, sentence, tags))
    return views, collisions
