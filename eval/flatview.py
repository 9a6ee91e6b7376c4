"""The flat IOB2 view of a corpus as tag codes, for counting chunks without a string per token.

`khabar.views.token_view` gives every sentence's tags as strings, and the seqeval tables turn
them into codes (`khabar.eval.chunks.encode`). Counting needs only the codes, so this builds
them straight from the spans, for all documents at once, over the token offsets of
`khabar.tokenize.text_tokens`:

- where no two outermost spans of a layer share a token, the view is plain: each span tags
  the tokens it overlaps, `B` on its first token in each sentence it touches and `I` on the
  rest. The whole corpus is coded with a few array operations;
- a document where two outermost spans share a token (the view keeps the token for one of
  them and records a collision) takes the string view (`khabar.views.layer_view`), encoded.

So the codes always equal `encode` of the string view, which `tests/test_eval_fast_paths.py`
checks on random documents with crossing, repeated and token-sharing spans. Labels get ids in
order of first appearance, gold first, as `encode` gives them (the tables list labels in
that order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from khabar.document import Document
from khabar.eval.chunks import BEGIN, INSIDE, EncodedTags, encode, parse_tag
from khabar.eval.spanarrays import SpanArrays, span_arrays
from khabar.tokenize import TextTokens, text_tokens
from khabar.views import Collision, LabeledSpan, layer_spans, layer_view, outermost


@dataclass(frozen=True)
class CorpusTokens:
    """The tokens of a list of texts laid end to end.

    Offsets of text `d` are shifted by `char_offset[d]` (the lengths of the texts before it,
    plus one per text, so no token of one text touches the next); its tokens are
    `token_offset[d]` to `token_offset[d + 1]`. `sequence` and `first` are the sentence of
    each token and whether it opens its sentence (`EncodedTags`)."""

    starts: np.ndarray
    ends: np.ndarray
    char_offset: np.ndarray
    text_length: np.ndarray
    token_offset: np.ndarray
    sentence_counts: np.ndarray
    sequence: np.ndarray
    first: np.ndarray

    @classmethod
    def of(cls, texts: list[str]) -> CorpusTokens:
        offsets: list[TextTokens] = [text_tokens(text) for text in texts]
        lengths = np.array([len(text) for text in texts], dtype=np.int64)
        char_offset = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)[: len(texts)]
        token_counts = [len(item.starts) for item in offsets]
        sentence_lengths = np.concatenate([np.diff(item.bounds) for item in offsets] + [np.zeros(0, dtype=np.int64)])
        sequence = np.repeat(np.arange(len(sentence_lengths), dtype=np.int32), sentence_lengths)
        first = np.zeros(len(sequence), dtype=bool)
        first[np.cumsum(sentence_lengths) - sentence_lengths] = True  # every sentence has a token
        shift = np.repeat(char_offset, token_counts)
        nothing = [np.zeros(0, dtype=np.int64)]
        return cls(
            np.concatenate([item.starts for item in offsets] + nothing) + shift,
            np.concatenate([item.ends for item in offsets] + nothing) + shift,
            char_offset,
            lengths,
            np.concatenate(([0], np.cumsum(token_counts, dtype=np.int64))),
            np.array([item.n_sentences for item in offsets], dtype=np.int64),
            sequence,
            first,
        )

    @property
    def n_tokens(self) -> int:
        return len(self.starts)


@dataclass(frozen=True)
class LayerCodes:
    """One side of one layer: the codes of every token, the layer's spans (`SpanArrays`), and
    for each document that took the string view (two outermost spans share a token) its
    outermost spans and the collisions of the view."""

    prefix: np.ndarray  # int8: OUTSIDE, BEGIN, INSIDE
    label: np.ndarray  # int32: id in the layer's labels, -1 for O
    spans: SpanArrays
    kept: dict[int, list[LabeledSpan]]
    collisions: dict[int, list[Collision]]


class LabelsRefused(ValueError):
    """A label no IOB2 tag can carry (`encode` refuses it); the caller takes the string path,
    which reports it."""


def layer_codes(
    documents: list[Document], layer: str, corpus: CorpusTokens, labels: dict[str, int]
) -> LayerCodes | None:
    """The tag codes of `layer` over `corpus` (the tokens of these documents' texts), new
    labels added to `labels`; None when a span lies outside its text (the string view
    decides what it means). Raises `LabelsRefused` for a label `encode` refuses."""
    spans = span_arrays(documents, layer)
    owners, starts, ends = spans.document[spans.kept], spans.start[spans.kept], spans.end[spans.kept]
    if not ((starts >= 0) & (starts < ends) & (ends <= corpus.text_length[owners])).all():
        return None
    kept_labels = spans.label[spans.kept]
    for name in sorted({spans.names[code] for code in np.unique(kept_labels).tolist()} - labels.keys()):
        if parse_tag(f"B-{name}") is None:
            raise LabelsRefused(name)
        labels[name] = len(labels)
    n = corpus.n_tokens
    prefix = np.zeros(n, dtype=np.int8)
    # The tokens each span overlaps: from the first ending after its start to the last starting before its end.
    low = np.searchsorted(corpus.ends, starts + corpus.char_offset[owners], side="right")
    high = np.searchsorted(corpus.starts, ends + corpus.char_offset[owners], side="left")
    some = low < high
    low, high, owners = low[some], high[some], owners[some]
    renumber = np.array([labels.get(name, -1) for name in spans.names] + [-1], dtype=np.int64)
    span_labels = renumber[kept_labels[some]]
    depth = np.cumsum(np.bincount(low, minlength=n + 1) - np.bincount(high, minlength=n + 1))[:-1]
    shared = set((np.searchsorted(corpus.token_offset, np.flatnonzero(depth > 1), side="right") - 1).tolist())
    if shared:
        plain = ~np.isin(owners, list(shared))
        low, high, span_labels = low[plain], high[plain], span_labels[plain]
    # No token is shared by two of the spans left: mark each run with its label (+1 so that
    # O is 0), spread it by a running sum, and put B at each run's first token and at each
    # sentence start inside a run. (The sums are of small whole numbers: exact as floats.)
    marks = np.bincount(low, weights=span_labels + 1, minlength=n + 1)
    marks -= np.bincount(high, weights=span_labels + 1, minlength=n + 1)
    label_codes = (np.cumsum(marks[:-1]) - 1).astype(np.int32)
    inside = label_codes >= 0
    prefix[inside] = INSIDE
    prefix[low] = BEGIN
    prefix[corpus.first & inside] = BEGIN
    kept: dict[int, list[LabeledSpan]] = {}
    collisions: dict[int, list[Collision]] = {}
    for index in sorted(shared):
        kept[index] = outermost(layer_spans(documents[index], layer))
        sentences, collisions[index] = layer_view(documents[index], layer, kept[index])
        encoded = encode(sentences, labels)
        begin, end = corpus.token_offset[index], corpus.token_offset[index + 1]
        prefix[begin:end] = encoded.prefix
        label_codes[begin:end] = encoded.label
    return LayerCodes(prefix, label_codes, spans, kept, collisions)


def in_order_of_appearance(
    gold: LayerCodes, pred: LayerCodes, labels: dict[str, int]
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The labels that tag a token, in order of first appearance in the gold tags then the
    predicted ones (the order `encode` gives), and both sides' label codes renumbered so."""
    order: list[int] = []
    for codes in (gold.label, pred.label):
        found, first = np.unique(codes[codes >= 0], return_index=True)
        seen = set(order)
        order += [label for label in found[np.argsort(first, kind="stable")].tolist() if label not in seen]
    names = {code: name for name, code in labels.items()}
    renumber = np.full(len(labels) + 1, -1, dtype=np.int32)  # code -1 (O) reads the last entry: -1
    renumber[order] = np.arange(len(order), dtype=np.int32)
    return tuple(names[code] for code in order), renumber[gold.label], renumber[pred.label]


def encoded(codes: LayerCodes, label: np.ndarray, corpus: CorpusTokens) -> EncodedTags:
    return EncodedTags(codes.prefix, label, corpus.sequence, corpus.first)
