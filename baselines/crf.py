"""The `crf` baseline: one sklearn-crfsuite CRF per layer, scored by k-fold cross-validation.

There is no separate training corpus, so every prediction comes from a model that
never saw the paragraph it tags: each paragraph (a block of text between line breaks) has
a fold that is a function of the seed, its document id and its index alone —
sha256(`seed:doc_id:index`) mod k, k = 5 — so adding a document never moves another
document's paragraphs between folds (and the signature states the rule, not a list). For
fold f, one CRF per layer is trained on the gold tags (flat IOB2 token view) of the
sentences of every other fold and tags the sentences of fold f. The fold × layer models are
independent, so they train in parallel over the available cores (joblib); each is
deterministic, so the result does not depend on the number of workers. `predict` reports
each finished model to an optional `progress(done, total)` callback (`khabar.progress`).

Features are the same for every layer and fold (only the tags differ), so each sentence's
are computed once (`encode`): the attributes of every token become ids in one flat array,
which the worker processes share through memory mapping instead of recomputing the feature
dicts 20 times. crfsuite sees each attribute under the decimal string of its id: a model
only compares attribute names for equality and numbers them in order of first appearance,
so it is the model the feature strings would give, and converting short ASCII names costs a
fraction of the feature strings'.

Training: L-BFGS (c1 0.1, c2 0.05) with an iteration budget of 25 and crfsuite's stopping
rule (stop earlier when the objective improved by less than 0.1% over the last 10
iterations); both are in the signature. The cost per iteration is linear in the tokens
trained on, so with the budget fixed, training time is linear in corpus size. The budget
was 50 until khabar 0.1.0's scaling work: the stopping rule never fired on corpora of 100
documents or more, and 25 iterations (with the neighbour window cut to ±1, features
version 2) halve the k-fold's CPU time, and the published corpus's k-fold scores moved
within their bootstrap intervals (the CHANGELOG has the comparison). The models go to the workers largest first (tokens
trained on × labels), so that the cores finish together.

Predicted spans are the IOB2 chunks mapped back to the character offsets of their tokens.
A timex gets its value from the rule normalizer run on its text (against the DCT), or an
unknown value of its type (`XXXX-XX-XX`, `PXY`). The CRF tags spans, not relations: event
arguments and quote sources come from the rule baseline's proximity heuristics applied to
the CRF's own predicted mentions of the same sentence (quotes get no cue).
"""

from __future__ import annotations

import bisect
import hashlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib.metadata import version
from itertools import pairwise
from typing import Any

import numpy as np
import pycrfsuite
from joblib import Parallel, delayed

from khabar import __version__
from khabar.baselines.features import FEATURES_VERSION, word_sequence_features
from khabar.baselines.protocol import blank_prediction
from khabar.baselines.rules.events import _arguments
from khabar.baselines.rules.quotes import _as_speaker, _speaker
from khabar.baselines.rules.timex import find_timex
from khabar.baselines.rules.tokens import within
from khabar.document import Document, Entity, Event, Quote, Span, Timex
from khabar.inventories import LAYERS
from khabar.progress import Progress
from khabar.tokenize import split_sentences
from khabar.views import TOKEN_VIEW_SIGNATURE, LabeledSpan, SentenceView, tags_to_spans, token_view

K_FOLDS = 5
FOLD_RULE = f"sha256(seed:doc_id:paragraph) mod {K_FOLDS}"
# The training settings, stated once: they build the model and go into the signature.
TRAINING = {"algorithm": "lbfgs", "c1": 0.1, "c2": 0.05, "max_iterations": 25, "delta": 1e-3, "period": 10}
TRAINING_RULE = (
    f"lbfgs c1={TRAINING['c1']} c2={TRAINING['c2']}, at most {TRAINING['max_iterations']} iterations, "
    f"stop when the objective improves < {TRAINING['delta']:.1%} over {TRAINING['period']} iterations"
)
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


def paragraph_of(starts: list[int], offset: int) -> int:
    """The index of the paragraph that holds `offset` (the last one starting at or before it)."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def fold_of(unit: Unit, seed: int) -> int:
    """The fold of a paragraph: a function of the seed, its document id and its index only."""
    digest = hashlib.sha256(f"{seed}:{unit.doc_id}:{unit.index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % K_FOLDS


def _crf():
    # Deferred for start-up time: sklearn_crfsuite imports scikit-learn (seconds); only training needs it.
    import sklearn_crfsuite

    return sklearn_crfsuite.CRF(**TRAINING, all_possible_transitions=True)


Vocabulary = dict[tuple[str, str], int]
"""Attribute (feature name, value) → id, shared by the tables that models trained on one must read."""


@dataclass(frozen=True)
class FeatureTable:
    """The token features of a list of sentences, computed once: the attribute ids of token t
    are `attributes[token_starts[t]:token_starts[t + 1]]`, the tokens of sentence s are
    `token_starts` positions `sentence_starts[s]` to `sentence_starts[s + 1]`. Plain arrays, so
    that joblib hands them to worker processes by memory mapping."""

    attributes: np.ndarray
    token_starts: np.ndarray
    sentence_starts: np.ndarray

    def __len__(self) -> int:
        return len(self.sentence_starts) - 1

    def items(self, sentence: int) -> list[list[str]]:
        """crfsuite's items of one sentence: per token, the names of its attributes."""
        first, last = int(self.sentence_starts[sentence]), int(self.sentence_starts[sentence + 1])
        bounds = self.token_starts[first : last + 1].tolist()
        ids = self.attributes[bounds[0] : bounds[-1]].tolist()
        names = _names(max(ids, default=0) + 1)
        base = bounds[0]
        return [[names[i] for i in ids[start - base : end - base]] for start, end in pairwise(bounds)]


_NAMES: list[str] = []


def _names(count: int) -> list[str]:
    """The attribute names of ids 0 … count - 1 (made once per process)."""
    if len(_NAMES) < count:
        _NAMES.extend(str(i) for i in range(len(_NAMES), count))
    return _NAMES


def encode(sentences: Iterable[Sequence[str]], vocabulary: Vocabulary | None = None) -> FeatureTable:
    """The feature table of sentences given as their words; new attributes get the next ids
    of `vocabulary` (pass the same one to encode sentences a model trained on another table tags)."""
    ids: Vocabulary = {} if vocabulary is None else vocabulary
    attributes = array("i")
    token_starts = array("q", [0])
    sentence_starts = array("q", [0])
    for words in sentences:
        for row in word_sequence_features(words):
            attributes.extend([ids.setdefault(item, len(ids)) for item in row.items()])
            token_starts.append(len(attributes))
        sentence_starts.append(len(token_starts) - 1)
    return FeatureTable(
        np.frombuffer(attributes, np.int32),
        np.frombuffer(token_starts, np.int64),
        np.frombuffer(sentence_starts, np.int64),
    )


def fit_model(table: FeatureTable, sentences: Sequence[int], tags: Iterable[list[str]]) -> Any:
    """One CRF trained on sentences of `table` (by index) and their tags.

    Items are made one sentence at a time as crfsuite reads them, so the items of the
    whole training set are never held at once.
    """
    model = _crf()
    model.fit((table.items(sentence) for sentence in sentences), tags)
    return model


def fit_models(table: FeatureTable, sentences: Sequence[int], views: list[SentenceView]) -> dict[str, Any]:
    """One CRF per layer, trained on sentences of `table` and their views' gold tags."""
    return {layer: fit_model(table, sentences, [view.tags[layer] for view in views]) for layer in LAYERS}


def tag_sentences(models: dict[str, Any], table: FeatureTable, sentences: Iterable[int]) -> dict[str, list[list[str]]]:
    """Tags of sentences of `table` (by index) by every layer's model.

    Each sentence is converted to a crfsuite item sequence once and shared by the layer
    models (what `CRF.predict` would convert once per model).
    """
    taggers = {layer: model.tagger_ for layer, model in models.items()}
    tags: dict[str, list[list[str]]] = {layer: [] for layer in models}
    for sentence in sentences:
        items = pycrfsuite.ItemSequence(table.items(sentence))
        for layer, tagger in taggers.items():
            tags[layer].append(tagger.tag(items))
    return tags


def train_and_tag(
    layer: str, table: FeatureTable, train: list[int], train_tags: list[list[str]], test: list[int]
) -> list[list[str]]:
    """One fold × layer task: train on the other folds' sentences, tag the held-out ones.

    A module-level function of plain data, so it runs the same in a worker process."""
    model = fit_model(table, train, train_tags)
    return tag_sentences({layer: model}, table, test)[layer]


def training_cost(tags: list[list[str]]) -> int:
    """A model's relative training cost: crfsuite's work per iteration grows with the tokens
    trained on times the labels they take (their state features, and the label pairs of
    forward-backward)."""
    return sum(map(len, tags)) * len({tag for sentence in tags for tag in sentence})


def sentence_folds(documents: list[Document], seed: int) -> tuple[list[SentenceView], list[int]]:
    """Every sentence's token view (gold tags) and the fold of the paragraph it starts in."""
    views: list[SentenceView] = []
    folds: list[int] = []
    for document in documents:
        document_views, _collisions = token_view(document, LAYERS)
        starts = [start for start, _ in paragraph_extents(document.text)]
        for view in document_views:
            views.append(view)
            folds.append(fold_of(Unit(document.id, paragraph_of(starts, view.sentence.start)), seed))
    return views, folds


class CrfTagger:
    """sklearn-crfsuite CRFs per layer, k-fold cross-validated over paragraphs."""

    name = "crf"
    layers: tuple[str, ...] = LAYERS
    deterministic = True  # same input and seed → same output: re-scoring has no run-to-run noise
    reports_progress = True  # `predict` takes `progress=` (see khabar.runs.predict.run_tagger)

    def __init__(self, seed: int = 7, n_jobs: int = -1):
        self.seed = seed
        self.n_jobs = n_jobs  # joblib's convention: -1 is every available core

    def predict(self, documents: list[Document], progress: Progress | None = None) -> list[Document]:
        views, folds = sentence_folds(documents, self.seed)
        table = encode(tuple(token.text for token in view.tokens) for view in views)
        tasks = []
        for fold in range(K_FOLDS):
            test = [i for i, f in enumerate(folds) if f == fold]
            train = [i for i, f in enumerate(folds) if f != fold]
            if not test or not train:  # nothing to tag, or no other fold to learn from
                continue
            for layer in LAYERS:
                tasks.append((layer, test, train, [views[i].tags[layer] for i in train]))
        # Largest first, so that no core is left with a large model while the others idle.
        order = sorted(range(len(tasks)), key=lambda n: -training_cost(tasks[n][3]))
        # A generator of the results in submission order, so that each finished model can be reported.
        results = Parallel(n_jobs=self.n_jobs, return_as="generator")(
            delayed(train_and_tag)(tasks[n][0], table, tasks[n][2], tasks[n][3], tasks[n][1]) for n in order
        )
        tagged: dict[int, list[list[str]]] = {}
        for done, (n, tags) in enumerate(zip(order, results, strict=True), start=1):
            tagged[n] = tags
            if progress is not None:
                progress(done, len(tasks))
        predicted: dict[str, dict[str, list[LabeledSpan]]] = {layer: {} for layer in LAYERS}
        for n, (layer, test, _, _) in enumerate(tasks):  # by fold and layer, whatever order they finished in
            for i, sentence_tags in zip(test, tagged[n], strict=True):
                predicted[layer].setdefault(views[i].doc_id, []).extend(tags_to_spans(views[i].tokens, sentence_tags))
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
            "k": K_FOLDS,
            "seed": self.seed,
            "folds": FOLD_RULE,
            "training": TRAINING_RULE,
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
