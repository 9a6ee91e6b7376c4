"""The flat IOB2 view of a corpus as chunks, for counting them without a tag per token.

`khabar.views.token_view` gives every sentence's tags as strings, and the seqeval tables read
their chunks (`khabar.eval.chunks`). Counting needs only the chunks, so this builds them
straight from the spans, for all documents at once, over the token offsets of the whole
corpus (`khabar.tokenize.joined_tokens`, the tokens of `text_tokens` text by text):

- where no two outermost spans of a layer share a token, the view is plain: each span tags
  the tokens it overlaps, `B` on its first token in each sentence it touches and `I` on the
  rest. Every chunk starts with `B`, so both seqeval modes read the same chunks: one per span
  and sentence it touches, found with a few array operations on the spans;
- a document where two outermost spans share a token (the view keeps the token for one of
  them and records a collision) takes the string view (`khabar.views.layer_view`), encoded
  and read by `khabar.eval.chunks.chunks` in each mode.

So the chunks always equal those of the string view, which `tests/test_eval_fast_paths.py`
checks on random documents with crossing, repeated and token-sharing spans. Labels get ids in
order of first appearance, gold first, as `encode` gives them (the tables list labels in
that order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from khabar.document import Document
from khabar.eval.chunks import MODES, Chunks, chunks, encode, parse_tag
from khabar.eval.goldarrays import derived
from khabar.eval.spanarrays import SpanArrays, span_arrays
from khabar.tokenize import TextTokens, joined_tokens
from khabar.views import Collision, LabeledSpan, layer_spans, layer_view, outermost


@dataclass(frozen=True)
class CorpusTokens:
    """The tokens of a list of texts laid end to end.

    Offsets of text `d` are shifted by `char_offset[d]` (the lengths of the texts before it,
    plus one per text: the texts joined by line breaks); its tokens are `token_offset[d]` to
    `token_offset[d + 1]`. Sentence `k` of the corpus holds the tokens `bounds[k]` to
    `bounds[k + 1]`; `sequence` is the sentence of each token."""

    starts: np.ndarray
    ends: np.ndarray
    char_offset: np.ndarray
    text_length: np.ndarray
    token_offset: np.ndarray
    sentence_counts: np.ndarray
    bounds: np.ndarray
    sequence: np.ndarray

    @classmethod
    def of(cls, texts: list[str]) -> CorpusTokens:
        return cls._joined(joined_tokens(texts), texts)

    @classmethod
    def of_documents(cls, documents: Sequence[Document]) -> CorpusTokens:
        """`of` the documents' texts (their tokens read back when they are a loaded corpus:
        `khabar.eval.goldarrays`)."""
        found = derived(documents, "tokens", lambda chosen: joined_tokens([item.text for item in chosen])._asdict())
        return cls._joined(TextTokens(**found), [document.text for document in documents])

    @classmethod
    def _joined(cls, tokens: TextTokens, texts: list[str]) -> CorpusTokens:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        char_offset = np.cumsum(lengths + 1) - (lengths + 1)
        token_offset = np.append(np.searchsorted(tokens.starts, char_offset), len(tokens.starts))
        sentence_offset = np.searchsorted(tokens.bounds[:-1], token_offset)
        sequence = np.repeat(np.arange(tokens.n_sentences, dtype=np.int64), np.diff(tokens.bounds))
        return cls(
            tokens.starts,
            tokens.ends,
            char_offset,
            lengths,
            token_offset,
            np.diff(sentence_offset),
            tokens.bounds,
            sequence,
        )

    @property
    def n_tokens(self) -> int:
        return len(self.starts)


@dataclass(frozen=True)
class LayerChunks:
    """One side of one layer: the chunks of its flat view in each seqeval mode (in order of
    start, tokens of the corpus, labels numbered as in the layer's labels), the layer's spans,
    and for each document that took the string view its outermost spans and collisions."""

    chunks: dict[str, Chunks]
    spans: SpanArrays
    kept: dict[int, list[LabeledSpan]]
    collisions: dict[int, list[Collision]]


class LabelsRefused(ValueError):
    """A label no IOB2 tag can carry (`encode` refuses it); the caller takes the string path,
    which reports it."""


def layer_chunks(
    documents: list[Document], layer: str, corpus: CorpusTokens, labels: dict[str, int]
) -> LayerChunks | None:
    """The chunks of the flat view of `layer` over `corpus` (the tokens of these documents'
    texts), new labels added to `labels`; None when a span lies outside its text (the string
    view decides what it means). Raises `LabelsRefused` for a label `encode` refuses."""
    spans = span_arrays(documents, layer)
    owners, starts, ends = spans.document[spans.kept], spans.start[spans.kept], spans.end[spans.kept]
    if not ((starts >= 0) & (starts < ends) & (ends <= corpus.text_length[owners])).all():
        return None
    kept_labels = spans.label[spans.kept]
    used = np.flatnonzero(np.bincount(kept_labels, minlength=len(spans.names))).tolist()
    for name in sorted({spans.names[code] for code in used} - labels.keys()):
        if parse_tag(f"B-{name}") is None:
            raise LabelsRefused(name)
        labels[name] = len(labels)
    # The tokens each span overlaps: from the first ending after its start to the last starting before its end.
    low = np.searchsorted(corpus.ends, starts + corpus.char_offset[owners], side="right")
    high = np.searchsorted(corpus.starts, ends + corpus.char_offset[owners], side="left")
    some = low < high
    low, high, owners = low[some], high[some], owners[some]
    renumber = np.array([labels.get(name, -1) for name in spans.names] + [-1], dtype=np.int64)
    span_labels = renumber[kept_labels[some]]
    # The spans are in order of start, so of first token: a span shares a token with an earlier
    # one exactly when it starts before the furthest token reached so far (the tokens of two
    # documents never meet, so that earlier span is of its document).
    reach = np.maximum.accumulate(high) if len(high) else high
    shared = sorted(set(owners[1:][low[1:] < reach[:-1]].tolist()))
    if shared:
        plain = ~np.isin(owners, shared)
        low, high, span_labels = low[plain], high[plain], span_labels[plain]
    found = _pieces(low, high, span_labels, corpus)
    kept: dict[int, list[LabeledSpan]] = {}
    collisions: dict[int, list[Collision]] = {}
    by_mode = {mode: [found] for mode in MODES}
    for index in shared:
        kept[index] = outermost(layer_spans(documents[index], layer))
        sentences, collisions[index] = layer_view(documents[index], layer, kept[index], keep_sentences=False)
        encoded = encode(sentences, labels)
        offset = int(corpus.token_offset[index])
        for mode in MODES:
            read = chunks(encoded, mode)
            by_mode[mode].append(Chunks(read.start + offset, read.end + offset, read.label))
    return LayerChunks({mode: _in_order(parts) for mode, parts in by_mode.items()}, spans, kept, collisions)


def _pieces(low: np.ndarray, high: np.ndarray, label: np.ndarray, corpus: CorpusTokens) -> Chunks:
    """The chunks of spans over tokens `[low, high)` no two of which share a token: one per
    span and sentence it touches, cut at the sentence bounds."""
    first = corpus.sequence[low]
    count = corpus.sequence[high - 1] - first + 1
    span = np.repeat(np.arange(len(low)), count)
    sentence = first[span] + np.arange(len(span)) - np.repeat(np.cumsum(count) - count, count)
    return Chunks(
        np.maximum(low[span], corpus.bounds[sentence]),
        np.minimum(high[span], corpus.bounds[sentence + 1]),
        label[span],
    )


def _in_order(parts: list[Chunks]) -> Chunks:
    if len(parts) == 1:
        return parts[0]
    start = np.concatenate([part.start for part in parts])
    order = np.argsort(start, kind="stable")
    return Chunks(
        start[order],
        np.concatenate([part.end for part in parts])[order],
        np.concatenate([part.label for part in parts])[order],
    )


def in_order_of_appearance(
    gold: LayerChunks, pred: LayerChunks, labels: dict[str, int]
) -> tuple[tuple[str, ...], dict[str, Chunks], dict[str, Chunks]]:
    """The labels of the chunks, in order of first appearance in the gold tags then the
    predicted ones (the order `encode` gives), and both sides' chunks with labels renumbered so.

    The first token with a label starts a chunk in the default mode (the token before it has
    another label or none), so the first appearance of a label is its first such chunk."""
    order: list[int] = []
    for side in (gold, pred):
        found, first = np.unique(side.chunks["default"].label, return_index=True)
        seen = set(order)
        order += [label for label in found[np.argsort(first, kind="stable")].tolist() if label not in seen]
    names = {code: name for name, code in labels.items()}
    renumber = np.full(len(labels), -1, dtype=np.int64)
    renumber[order] = np.arange(len(order), dtype=np.int64)

    def renumbered(side: LayerChunks) -> dict[str, Chunks]:
        return {mode: Chunks(found.start, found.end, renumber[found.label]) for mode, found in side.chunks.items()}

    return tuple(names[code] for code in order), renumbered(gold), renumbered(pred)
