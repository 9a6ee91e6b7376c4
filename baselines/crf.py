"""The `crf` baseline: one sklearn-crfsuite CRF per layer, scored by k-fold cross-validation.

There is no separate training corpus, so every prediction comes from a model that
never saw the paragraph it tags: the paragraphs of all documents (blocks of text between
line breaks) are shuffled with a seeded generator and dealt round-robin into
k = min(5, number of paragraphs) folds; for fold f, one CRF per layer is trained on the
gold tags (flat IOB2 token view) of the sentences of every other fold and tags the
sentences of fold f. k, the seed and each paragraph's fold go into the signature.

Predicted spans are the IOB2 chunks mapped back to the character offsets of their tokens.
A timex gets its value from the rule normalizer run on its text (against the DCT), or an
unknown value of its type (`XXXX-XX-XX`, `PXY`). The CRF tags spans, not relations: event
arguments and quote sources come from the rule baseline's proximity heuristics applied to
the CRF's own predicted mentions of the same sentence (quotes get no cue).
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, replace
from importlib.metadata import version
from typing import Any

import pycrfsuite

from khabar import __version__
from khabar.baselines.features import FEATURES_VERSION, sentence_features
from khabar.baselines.protocol import blank_prediction
from khabar.baselines.rules.events import _arguments
from khabar.baselines.rules.quotes import _as_speaker, _speaker
from khabar.baselines.rules.timex import find_timex
from khabar.baselines.rules.tokens import within
from khabar.document import Document, Entity, Event, Quote, Span, Timex
from khabar.inventories import LAYERS
from khabar.tokenize import split_sentences
from khabar.views import TOKEN_VIEW_SIGNATURE, LabeledSpan, SentenceView, tags_to_spans, token_view

MAX_FOLDS = 5
UNKNOWN_VALUES = {"DATE": "XXXX-XX-XX", "TIME": "XXXX-XX-XXTXX:XX", "DURATION": "PXY", "SET": "PXY"}


@dataclass(frozen=True)
class Unit:
    """A paragraph: the cross-validation unit."""

    doc_id: str
    index: int


def paragraph_extents(text: str) -> list[tuple[int, int]]:
    """`(start, end)` of every non-blank line block of `text`."""
    extents = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            extents.append((position, position + len(line)))
        position += len(line) + 1
    return extents


def paragraph_of(extents: list[tuple[int, int]], offset: int) -> int:
    """The index of the paragraph that holds `offset` (the last one starting at or before it)."""
    starts = [start for start, _ in extents]
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def assign_folds(units: list[Unit], seed: int) -> tuple[int, dict[Unit, int]]:
    """k and the fold of each unit: seeded shuffle, then round-robin."""
    k = min(MAX_FOLDS, len(units))
    order = sorted(units, key=lambda unit: (unit.doc_id, unit.index))
    random.Random(seed).shuffle(order)
    return k, {unit: position % k for position, unit in enumerate(order)} if k else {}


def _crf():
    # Deferred for start-up time: sklearn_crfsuite imports scikit-learn (seconds); only training needs it.
    import sklearn_crfsuite

    return sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.05, max_iterations=100, all_possible_transitions=True)


def fit_models(features: list[list[dict[str, str]]], views: list[SentenceView]) -> dict[str, Any]:
    """One CRF per layer, trained on the views' gold tags."""
    models = {}
    for layer in LAYERS:
        model = _crf()
        model.fit(features, [view.tags[layer] for view in views])
        models[layer] = model
    return models


def tag_sentences(models: dict[str, Any], features: list[list[dict[str, str]]]) -> dict[str, list[list[str]]]:
    """Tags of every sentence by every layer's model.

    Each sentence's features are converted to a crfsuite item sequence once and shared by
    the layer models (what `CRF.predict` would convert once per model).
    """
    taggers = {layer: model.tagger_ for layer, model in models.items()}
    tags: dict[str, list[list[str]]] = {layer: [] for layer in models}
    for sentence in features:
        items = pycrfsuite.ItemSequence(sentence)
        for layer, tagger in taggers.items():
            tags[layer].append(tagger.tag(items))
    return tags


class CrfTagger:
    """sklearn-crfsuite CRFs per layer, k-fold cross-validated over paragraphs."""

    name = "crf"
    layers: tuple[str, ...] = LAYERS
    deterministic = True  # same input and seed → same output: re-scoring has no run-to-run noise

    def __init__(self, seed: int = 7):
        self.seed = seed
        self._folds: dict[str, list[int]] = {}
        self._k = 0

    def predict(self, documents: list[Document]) -> list[Document]:
        sentences: list[tuple[SentenceView, Unit]] = []
        for document in documents:
            views, _collisions = token_view(document, LAYERS)
            extents = paragraph_extents(document.text)
            for view in views:
                sentences.append((view, Unit(document.id, paragraph_of(extents, view.sentence.start))))
        units = sorted({unit for _, unit in sentences}, key=lambda unit: (unit.doc_id, unit.index))
        self._k, fold_of = assign_folds(units, self.seed)
        self._folds = {}
        for unit in units:
            self._folds.setdefault(unit.doc_id, []).append(fold_of[unit])
        features = [sentence_features(view.tokens) for view, _ in sentences]
        predicted: dict[str, dict[str, list[LabeledSpan]]] = {layer: {} for layer in LAYERS}
        for fold in range(self._k if self._k >= 2 else 0):
            train = [i for i, (_, unit) in enumerate(sentences) if fold_of[unit] != fold]
            test = [i for i, (_, unit) in enumerate(sentences) if fold_of[unit] == fold]
            models = fit_models([features[i] for i in train], [sentences[i][0] for i in train])
            tags = tag_sentences(models, [features[i] for i in test])
            for layer in LAYERS:
                for i, sentence_tags in zip(test, tags[layer], strict=True):
                    view = sentences[i][0]
                    spans = tags_to_spans(view.tokens, list(sentence_tags))
                    predicted[layer].setdefault(view.doc_id, []).extend(spans)
        return [
            _to_document(document, {layer: predicted[layer].get(document.id, []) for layer in LAYERS})
            for document in documents
        ]

    def signature(self) -> dict[str, Any]:
        return {
            "system": self.name,
            "khabar": __version__,
            "sklearn_crfsuite": version("sklearn-crfsuite"),
            "features": FEATURES_VERSION,
            "view": TOKEN_VIEW_SIGNATURE,
            "cv": "k-fold over paragraphs",
            "k": self._k,
            "seed": self.seed,
            "folds": {doc_id: folds for doc_id, folds in sorted(self._folds.items())},
        }


def timex_value(text: str, label: str, dct: str | None) -> tuple[str, str | None]:
    """The rule normalizer's value and mod for a predicted timex text, else an unknown value."""
    found = find_timex(text, dct)
    if found:
        longest = max(found, key=lambda item: item.end - item.start)
        if longest.type == label:
            return longest.value, longest.mod
    return UNKNOWN_VALUES[label], None


def _to_document(document: Document, spans: dict[str, list[LabeledSpan]]) -> Document:
    text = document.text
    dct = document.dct.value if document.dct else None
    ordered = sorted(spans["entities"], key=lambda s: (s.start, -s.end))
    entities = [Entity(f"e{n}", s.start, s.end, s.label, text[s.start : s.end]) for n, s in enumerate(ordered, 1)]
    timex = []
    for n, s in enumerate(sorted(spans["timex"]), 1):
        value, mod = timex_value(text[s.start : s.end], s.label, dct)
        timex.append(Timex(f"t{n}", s.start, s.end, s.label, value, text[s.start : s.end], mod=mod))
    events, quotes = _relations(text, entities, timex, sorted(spans["events"]), sorted(spans["quotes"]))
    return replace(
        blank_prediction(document),
        entities=tuple(entities),
        timex=tuple(timex),
        events=tuple(events),
        quotes=tuple(quotes),
    )


def _relations(
    text: str, entities: list[Entity], timex: list[Timex], triggers: list[LabeledSpan], contents: list[LabeledSpan]
) -> tuple[list[Event], list[Quote]]:
    """Event arguments and quote sources by the rule baseline's proximity heuristics, over the
    CRF's own predicted mentions of the same sentence (the CRF tags spans, not relations)."""
    sentences = split_sentences(text)
    entity_groups, timex_groups = within(entities, sentences), within(timex, sentences)
    starts = [sentence.start for sentence in sentences]

    def sentence_of(offset: int) -> int:
        return max(bisect.bisect_right(starts, offset) - 1, 0)

    events = []
    for n, s in enumerate(triggers, 1):
        index = sentence_of(s.start)
        arguments = _arguments(s.label, (s.start, s.end), text, entity_groups[index], timex_groups[index])
        events.append(Event(f"v{n}", s.label, Span(s.start, s.end, text[s.start : s.end]), arguments))
    quotes = []
    for n, s in enumerate(contents, 1):
        source = _speaker(entity_groups[sentence_of(s.start)], s.start, s.start, s.start)
        quotes.append(Quote(f"q{n}", s.label, Span(s.start, s.end, text[s.start : s.end]), speaker=_as_speaker(source)))
    return events, quotes
