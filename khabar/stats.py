"""Corpus statistics for the dataset card: sizes, and spans per layer and label.

Counted from the documents and the sentence and token counts of their rows, never typed by hand. A span is
*nested* when it lies inside another span of the same layer (identical extents count
once as outermost): nested spans are not in the flat tag columns and are scored by the
span metrics only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from khabar.document import Document
from khabar.inventories import LAYERS, layer_labels
from khabar.views import layer_spans, outermost


@dataclass(frozen=True)
class LabelCount:
    layer: str
    label: str
    spans: int
    nested: int

    @property
    def outermost(self) -> int:
        return self.spans - self.nested


@dataclass(frozen=True)
class SentenceCounts:
    """How many `sentences` rows a document has and how many tokens they hold."""

    sentences: int
    tokens: int


@dataclass(frozen=True)
class DocumentSize:
    id: str
    characters: int
    sentences: int
    tokens: int
    dct: str | None


@dataclass(frozen=True)
class CorpusStatistics:
    documents: tuple[DocumentSize, ...]
    labels: tuple[LabelCount, ...]
    layer_totals: tuple[LabelCount, ...]
    relations: dict[str, int]

    @property
    def sentences(self) -> int:
        return sum(document.sentences for document in self.documents)

    @property
    def tokens(self) -> int:
        return sum(document.tokens for document in self.documents)

    @property
    def characters(self) -> int:
        return sum(document.characters for document in self.documents)


def _relation_counts(documents: list[Document]) -> dict[str, int]:
    """Counts of the links the flat view cannot show: event arguments and quote parts."""
    arguments = [argument for document in documents for event in document.events for argument in event.arguments]
    quotes = [quote for document in documents for quote in document.quotes]
    return {
        "event arguments referring to an entity or timex": sum(argument.ref is not None for argument in arguments),
        "event arguments with a span of their own": sum(argument.span is not None for argument in arguments),
        "quotes with a cue": sum(quote.cue is not None for quote in quotes),
        "quotes with a speaker referring to an entity": sum(
            quote.speaker is not None and quote.speaker.ref is not None for quote in quotes
        ),
        "quotes with a speaker span of their own": sum(
            quote.speaker is not None and quote.speaker.span is not None for quote in quotes
        ),
    }


def corpus_statistics(documents: list[Document], counts: Mapping[str, SentenceCounts]) -> CorpusStatistics:
    """Statistics of documents (sorted by id), given each one's sentence and token counts (by id)."""
    sizes = tuple(
        DocumentSize(
            id=document.id,
            characters=len(document.text),
            sentences=counts[document.id].sentences,
            tokens=counts[document.id].tokens,
            dct=document.dct.value if document.dct else None,
        )
        for document in documents
    )
    labels: list[LabelCount] = []
    totals: list[LabelCount] = []
    for layer in LAYERS:
        spans: Counter[str] = Counter()
        kept: Counter[str] = Counter()
        for document in documents:
            all_spans = layer_spans(document, layer)
            spans.update(span.label for span in all_spans)
            kept.update(span.label for span in outermost(all_spans))
        # Inventory order first, then any label outside the inventory (never silently dropped).
        order = [label for label in layer_labels(layer) if label in spans] + sorted(
            set(spans) - set(layer_labels(layer))
        )
        labels += [LabelCount(layer, label, spans[label], spans[label] - kept[label]) for label in order]
        totals.append(LabelCount(layer, "all", sum(spans.values()), sum(spans.values()) - sum(kept.values())))
    return CorpusStatistics(sizes, tuple(labels), tuple(totals), _relation_counts(documents))
