"""`evaluate(gold_docs, pred_docs)`: every metric of every layer, its headline and signature.

Data flow: documents → tag-set projection → (gold, pred) pairs → flat IOB2 view (seqeval,
both modes) and character spans → span mapping → matching → per-unit counts → summed
scores with bootstrap intervals → result with a signature.

Decisions:
- A gold document without a prediction is scored as "nothing predicted".
- The span-mapping step (`span_map`) runs on both sides before any span is matched. It is
  the identity by default; it is where orthographic normalization plugs in (mapping raw
  offsets to normalized-text offsets), and where sentence-level (tag) predictions are
  aligned: their spans cover whole tokens, so both sides' spans are snapped to the token
  extents they overlap (`snap_to_tokens`) — a clitic-attached token (`لداعش`) then
  matches a gold span `داعش`. The signature records it as `spans:`.
- Sentence-level predictions are scored by seqeval on the tags as submitted (so strict
  IOB2 sees their invalid chains); document-level predictions on their token view.
- Predicted spans the flat IOB2 view cannot hold are never dropped silently
  (`unrepresentable_spans`): a span with the same extent as another (outermost keeps the
  first by label, then id) is absent from the tags, so it is added to the seqeval tables
  as a false positive of its label in its unit; a span sharing a token with an earlier
  outermost span keeps only its free tokens (a truncated chunk, which seqeval scores as
  what it is). Both are counted in a warning and count in full in the span metrics. The
  tag-level API (`score_tags`) has no spans, so its figures stay exactly seqeval's.
- `--tagset wojood|conll` projects entity labels of both sides (labels without a
  counterpart are dropped); a prediction may already use the target tag set's labels.
  Submitted sentence-level tags are projected too (`project_tags`), tag by tag: a label
  without a counterpart becomes O (as its span is dropped on the gold side), and an I-
  that continued a chunk of *another* label before projection becomes B-, so two chunks
  that collapse onto one label (GPE, LOC → LOC) stay two chunks, as they do on the gold
  side. An I- after O stays I-, so strict IOB2 still sees the invalid chain. (Tags
  cannot carry nesting: an entity nested in one whose label is dropped surfaces on the
  gold side only.)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

import numpy as np

from khabar.document import Document, Unaligned
from khabar.errors import InputError
from khabar.eval import flatview
from khabar.eval import layers as L
from khabar.eval.bootstrap import Bootstrap
from khabar.eval.entitycounts import count_entities
from khabar.eval.eventcounts import count_events
from khabar.eval.quotecounts import count_quotes
from khabar.eval.results import CountTable, EvaluationResult, Headline, LayerResult, score_table
from khabar.eval.settings import ScoringSettings
from khabar.eval.signature import corpus_hash
from khabar.eval.spancounts import LocateMany
from khabar.eval.spanmaps import SpanMapFactory, identity_spans
from khabar.eval.tags import chunk_count_tables, tag_count_tables
from khabar.eval.timexcounts import count_timex
from khabar.gcpause import paused_gc
from khabar.inventories import LAYERS, TAGSET_PROJECTIONS
from khabar.tokenize import text_tokens
from khabar.views import Collision, LabeledSpan, layer_spans, outermost, token_view, token_view_by_layer

Pairs = list[tuple[Document, Document]]
SubmittedTags = dict[str, dict[str, list[str]]]  # sentence id → layer → tags


HEADLINES: dict[str, tuple[str, str]] = {
    "entities": ("seqeval-IOB2-strict", "exact micro F1 (IOB2 strict)"),
    "timex": ("value", "value F1 (TempEval-3)"),
    "events": ("Arg-C+", "Arg-C F1, trigger attached (TextEE)"),
    "quotes": ("joint", "joint attribution F1 (content overlap + speaker)"),
}


def project_labels(label: str, tagset: str) -> str | None:
    """A label in `tagset`: a khabar label projected, a label of the target set kept, else None."""
    projection = TAGSET_PROJECTIONS[tagset]
    if label in projection:
        return projection[label]
    return label if label in set(projection.values()) else None


def project_document(document: Document, tagset: str) -> Document:
    if tagset == "khabar":
        return document
    entities = []
    for entity in document.entities:
        label = project_labels(entity.type, tagset)
        if label is not None:
            entities.append(replace(entity, type=label))
    return replace(document, entities=tuple(entities))


def project_tags(tags: list[str], tagset: str) -> list[str]:
    """Submitted IOB2 entity tags in `tagset`, chunk boundaries kept (see the module docstring)."""
    if tagset == "khabar":
        return list(tags)
    projected: list[str] = []
    previous_label = ""  # the label of the previous tag before projection ("" after O)
    for tag in tags:
        prefix, _, label = tag.partition("-")
        target = project_labels(label, tagset) if label else None
        if target is None:
            projected.append("O")
        elif prefix == "I" and previous_label not in ("", label) and projected[-1][2:] == target:
            projected.append(f"B-{target}")  # a boundary before projection stays a boundary
        else:
            projected.append(f"{prefix}-{target}")
        previous_label = label
    return projected


DOCUMENT_UNITS_FROM = 30
"""Documents become the resampling unit from this many documents on.

Entities, events and quotes correlate within an article, so the document is the honest
unit; but a cluster bootstrap over few clusters is unreliable (with G documents there are
few distinct resamples and the percentile interval undercovers; the cluster-robust
inference literature treats fewer than about 30 clusters as "few", e.g. Cameron & Miller
2015). Below the threshold the unit is the sentence, resampled within its document
(stratified), so every document keeps its share of every resample."""


class Units:
    """Resampling units: sentences stratified by document below `DOCUMENT_UNITS_FROM` documents,
    documents from there on. Named in the signature: `sentence` (one document),
    `sentence-by-document`, `document`."""

    def __init__(self, gold_docs: list[Document]):
        self.by_document = len(gold_docs) >= DOCUMENT_UNITS_FROM
        self.document_index = {document.id: index for index, document in enumerate(gold_docs)}
        self.several = len(gold_docs) > 1
        self.sentence_starts: dict[str, list[int]] = {}
        self.first_unit: dict[str, int] = {}
        strata: list[int] = []
        if self.by_document:
            self.n = len(gold_docs)
        else:
            for index, document in enumerate(gold_docs):
                tokens = text_tokens(document.text)
                self.sentence_starts[document.id] = tokens.starts[tokens.bounds[:-1]].tolist()
                self.first_unit[document.id] = len(strata)
                strata += [index] * max(tokens.n_sentences, 1)  # an empty text still has its unit
            self.n = max(len(strata), 1)
        self.strata = tuple(strata) if self.several and not self.by_document else ()
        self._sentence_keys: np.ndarray | None = None
        self._stride = 0
        self._first = np.zeros(0, dtype=np.int64)
        self._key_units = np.zeros(0, dtype=np.int64)

    @property
    def name(self) -> str:
        if self.by_document:
            return "document"
        return "sentence-by-document" if self.several else "sentence"

    def locator(self, doc_id: str) -> L.Locate:
        if self.by_document:
            index = self.document_index[doc_id]
            return lambda offset: index
        starts, first = self.sentence_starts[doc_id], self.first_unit[doc_id]
        return lambda offset: first + max(bisect_right(starts, offset) - 1, 0)

    def locate_many(self, pair_index: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """`locator(gold_docs[i])(offset)` of many spans at once: `pair_index[k]` is the index
        of span k's document (in the order the units were made from), `offsets[k]` its start."""
        pair_index = np.asarray(pair_index, dtype=np.int64)
        if self.by_document:
            return pair_index
        if self._sentence_keys is None:
            # Every sentence start as one sorted key, document index × stride + offset, with
            # its unit (a text without sentences has a unit but no start: keys and units
            # part ways after it).
            starts_of = list(self.sentence_starts.values())
            self._stride = 1 + max((starts[-1] for starts in starts_of if starts), default=0)
            keys = [index * self._stride + np.asarray(starts, dtype=np.int64) for index, starts in enumerate(starts_of)]
            self._sentence_keys = np.concatenate([*keys, np.zeros(0, dtype=np.int64)])
            self._first = np.fromiter(self.first_unit.values(), dtype=np.int64, count=len(self.first_unit))
            units = [
                first + np.arange(len(starts), dtype=np.int64)
                for first, starts in zip(self._first, starts_of, strict=True)
            ]
            self._key_units = np.concatenate([np.full(1, -1, dtype=np.int64), *units])  # -1: before every key
        offsets = np.asarray(offsets, dtype=np.int64)
        found = np.searchsorted(
            self._sentence_keys, pair_index * self._stride + np.minimum(offsets, self._stride - 1), side="right"
        )
        # The unit of the last sentence start at or before the offset; before its document's
        # first one (or in a text without sentences) that is an earlier document's: the first unit.
        return np.maximum(self._key_units[found], self._first[pair_index])

    def of_sentence(self, doc_id: str, sentence_index: int) -> int:
        return self.document_index[doc_id] if self.by_document else self.first_unit[doc_id] + sentence_index

    def of_sentences(self, doc_id: str, n_sentences: int) -> np.ndarray:
        """`of_sentence` of the document's sentences 0 to `n_sentences - 1`."""
        if self.by_document:
            return np.full(n_sentences, self.document_index[doc_id], dtype=np.int64)
        return self.first_unit[doc_id] + np.arange(n_sentences, dtype=np.int64)


def unrepresentable_spans(
    document: Document, layer: str, collisions: list[Collision] | None = None
) -> tuple[list[LabeledSpan], list[LabeledSpan]]:
    """Spans of `layer` the flat view cannot hold: (identical-extent duplicates, token collisions).

    `collisions` are the layer's collisions in the token view when already computed
    (`token_view_by_layer`)."""
    spans = layer_spans(document, layer)
    kept = outermost(spans)
    if collisions is None:
        _, collisions = token_view(document, (layer,))
    return _duplicates(spans, kept), _colliding(kept, collisions)


def _duplicates(spans: list[LabeledSpan], kept: list[LabeledSpan]) -> list[LabeledSpan]:
    """The `spans` left out of `kept` (their outermost ones) that have the extent of a kept span."""
    if len(kept) == len(spans):
        return []  # every span is kept
    kept_ids = {id(span) for span in kept}
    kept_extents = {(span.start, span.end) for span in kept}
    return [span for span in spans if id(span) not in kept_ids and (span.start, span.end) in kept_extents]


def _colliding(kept: list[LabeledSpan], collisions: list[Collision]) -> list[LabeledSpan]:
    """The kept spans behind the `collisions` of the view, each once."""
    if not collisions:
        return []
    kept_by_key: dict[tuple[str, str], list[LabeledSpan]] = {}
    for span in kept:
        kept_by_key.setdefault((span.id, span.label), []).append(span)
    colliding: dict[tuple[int, int, str, str], LabeledSpan] = {}
    for collision in collisions:
        # A span across a sentence boundary is clipped per sentence: report it once, as the
        # first kept span with its id and label that contains the clipped part.
        original = next(
            (
                span
                for span in kept_by_key.get((collision.span.id, collision.span.label), ())
                if span.start <= collision.span.start and collision.span.end <= span.end
            ),
            collision.span,
        )
        colliding[(original.start, original.end, original.label, original.id)] = original
    return list(colliding.values())


def _add_false_positives(
    tables: dict[str, CountTable], spans: list[tuple[int, str]], n_units: int
) -> dict[str, CountTable]:
    """`tables` with one more predicted chunk per (unit, label) in `spans` (new labels appended)."""
    if not spans:
        return tables
    updated = {}
    for name, table in tables.items():
        labels = list(table.labels)
        counts = table.counts
        if counts.shape[0] < n_units:
            counts = np.concatenate([counts, np.zeros((n_units - counts.shape[0], *counts.shape[1:]))])
        for _, label in spans:
            if label not in labels:
                labels.append(label)
                counts = np.concatenate([counts, np.zeros((counts.shape[0], 1, counts.shape[2]))], axis=1)
        counts = counts.astype(np.float64, copy=True)
        for unit, label in spans:
            counts[unit, labels.index(label), 1] += 1  # (tp, pred, gold): one more prediction
        updated[name] = replace(table, labels=tuple(labels), counts=counts)
    return updated


class _LayerTags:
    """One layer's sequences for seqeval, gathered document by document."""

    def __init__(self) -> None:
        self.gold: list[list[str]] = []
        self.pred: list[list[str]] = []
        self.extra_false_positives: list[tuple[int, str]] = []
        self.n_duplicates = 0
        self.n_collisions = 0


def _seqeval_tables(
    layers: tuple[str, ...],
    pairs: Pairs,
    units: Units,
    pred_tags: dict[str, dict[str, list[str]]] | None,
    tagset: str = "khabar",
    warnings: list[str] | None = None,
) -> dict[str, dict[str, CountTable]]:
    """Per layer, the seqeval count tables (both modes): from chunks built straight from the
    spans (`khabar.eval.flatview`), or, for submitted tags, from each document's token view."""
    if not pred_tags:
        coded = _coded_seqeval_tables(layers, pairs, units)
        if coded is not None:
            tables, notes = coded
            if warnings is not None:
                warnings += notes
            return tables
    return _tagged_seqeval_tables(layers, pairs, units, pred_tags, tagset, warnings)


def _coded_seqeval_tables(
    layers: tuple[str, ...], pairs: Pairs, units: Units
) -> tuple[dict[str, dict[str, CountTable]], list[str]] | None:
    """`_tagged_seqeval_tables` without submitted tags, with its warnings, from chunks; None
    when the string view must decide (a prediction on another text, a span outside its text,
    a label no tag can carry), and the tagged path then gives the tables or the error."""
    if any(pred.text != gold.text for gold, pred in pairs):
        return None
    golds, preds = [gold for gold, _ in pairs], [pred for _, pred in pairs]
    corpus = flatview.CorpusTokens.of_documents(golds)
    # Each sentence's unit is the unit of its first character.
    document = np.repeat(np.arange(len(pairs), dtype=np.int64), corpus.sentence_counts)
    unit_of_sequence = units.locate_many(document, corpus.starts[corpus.bounds[:-1]] - corpus.char_offset[document])
    token_unit = unit_of_sequence[corpus.sequence]
    n_units = int(unit_of_sequence.max()) + 1 if len(unit_of_sequence) else 0
    tables: dict[str, dict[str, CountTable]] = {}
    notes: list[str] = []
    for layer in layers:
        labels: dict[str, int] = {}
        try:
            gold_chunks = flatview.layer_chunks(golds, layer, corpus, labels)
            pred_chunks = flatview.layer_chunks(preds, layer, corpus, labels)
        except flatview.LabelsRefused:
            return None
        if gold_chunks is None or pred_chunks is None:
            return None
        gathered = _LayerTags()
        # What `unrepresentable_spans` gives document by document: the duplicates from the
        # span arrays, the collisions from the few documents that took the string view.
        spans = pred_chunks.spans
        duplicates = spans.duplicates()
        locators: dict[int, L.Locate] = {}
        for index, start, label in zip(
            spans.document[duplicates].tolist(),
            spans.start[duplicates].tolist(),
            spans.label[duplicates].tolist(),
            strict=True,
        ):
            locate = locators.get(index) or locators.setdefault(index, units.locator(golds[index].id))
            gathered.extra_false_positives.append((locate(start), spans.names[label]))
        gathered.n_duplicates += len(duplicates)
        for index, collisions in pred_chunks.collisions.items():
            gathered.n_collisions += len(_colliding(pred_chunks.kept[index], collisions))
        label_names, gold_found, pred_found = flatview.in_order_of_appearance(gold_chunks, pred_chunks, labels)
        counted = chunk_count_tables(gold_found, pred_found, label_names, token_unit, n_units)
        tables[layer] = _completed_tables(layer, counted, gathered, units.n, notes)
    return tables, notes


def _tagged_seqeval_tables(
    layers: tuple[str, ...],
    pairs: Pairs,
    units: Units,
    pred_tags: SubmittedTags | None,
    tagset: str,
    warnings: list[str] | None,
) -> dict[str, dict[str, CountTable]]:
    """Per layer, the seqeval count tables (both modes) from the tag strings of each
    document's token view, built once per side for all `layers`, or of the submitted tags."""
    gathered = {layer: _LayerTags() for layer in layers}
    unit_index: list[int] = []
    for gold, pred in pairs:
        locate = units.locator(gold.id)
        gold_view, _ = token_view_by_layer(gold, layers)
        pred_view, collisions = token_view_by_layer(pred, layers)
        for layer in layers:
            duplicates, colliding = unrepresentable_spans(pred, layer, collisions[layer])
            layer_tags = gathered[layer]
            layer_tags.extra_false_positives += [(locate(span.start), span.label) for span in duplicates]
            layer_tags.n_duplicates += len(duplicates)
            layer_tags.n_collisions += len(colliding)
        for gold_sentence, pred_sentence in zip(gold_view, pred_view, strict=True):
            unit_index.append(units.of_sentence(gold.id, gold_sentence.sentence.index))
            submitted_tags = (pred_tags or {}).get(gold_sentence.id, {})
            for layer in layers:
                layer_tags = gathered[layer]
                layer_tags.gold.append(gold_sentence.tags[layer])
                submitted = submitted_tags.get(layer)
                if submitted is not None and layer == "entities":
                    submitted = project_tags(submitted, tagset)
                layer_tags.pred.append(submitted if submitted is not None else pred_sentence.tags[layer])
    units_array = np.asarray(unit_index, dtype=np.int64)
    return {layer: _layer_seqeval_tables(layer, gathered[layer], units_array, units.n, warnings) for layer in layers}


def _layer_seqeval_tables(
    layer: str, gathered: _LayerTags, unit_index: np.ndarray, n_units: int, warnings: list[str] | None
) -> dict[str, CountTable]:
    tables = tag_count_tables(gathered.gold, gathered.pred, units=unit_index)
    return _completed_tables(layer, tables, gathered, n_units, warnings)


def _completed_tables(
    layer: str, tables: dict[str, CountTable], gathered: _LayerTags, n_units: int, warnings: list[str] | None
) -> dict[str, CountTable]:
    """The seqeval tables of `layer` with the false positives of duplicate predicted spans,
    a warning about spans the view cannot hold, and a row for every unit."""
    tables = _add_false_positives(tables, gathered.extra_false_positives, n_units)
    n_duplicates, n_collisions = gathered.n_duplicates, gathered.n_collisions
    if (n_duplicates or n_collisions) and warnings is not None:
        warnings.append(
            f"{n_duplicates + n_collisions} predicted span(s) of the {layer} layer cannot be represented in the "
            "flat IOB2 view "
            f"({n_duplicates} with the extent of another span, counted as false positives in the seqeval tables; "
            f"{n_collisions} sharing tokens with another span, tagged on their free tokens only); "
            "the span metrics count them in full"
        )
    padded = {}
    for table in tables.values():
        counts = table.counts
        if counts.shape[0] < n_units:  # units without any sentence (empty text)
            counts = np.concatenate([counts, np.zeros((n_units - counts.shape[0], *counts.shape[1:]))])
        padded[table.name] = replace(table, counts=counts)
    return padded


# Layers that can also be counted for the whole corpus at once (`khabar.eval.spancounts`):
# layer → counter of (pairs, units.locate_many, declared accumulator), None when it cannot.
_CORPUS_COUNTERS: dict[str, Callable[[Pairs, LocateMany, L.Accumulator], dict[str, CountTable] | None]] = {
    "entities": count_entities,
    "events": count_events,
    "timex": count_timex,
    "quotes": count_quotes,
}


def _span_tables(layer: str, pairs: Pairs, units: Units, span_maps: SpanMapFactory) -> dict[str, CountTable]:
    rules = L.SPAN_LAYERS[layer]
    counter = _CORPUS_COUNTERS.get(layer)
    if counter is not None and span_maps is identity_spans:
        declared = L.Accumulator(units.n)
        rules.declare(declared)
        tables = counter(pairs, units.locate_many, declared)
        if tables is not None:
            return tables
    acc = L.Accumulator(units.n)
    rules.declare(acc)
    for gold, pred in pairs:
        span_map = span_maps(gold)
        rules.add(acc, rules.items(gold, span_map), rules.items(pred, span_map), units.locator(gold.id))
    return acc.tables()


def evaluate(
    gold_docs: list[Document],
    pred_docs: list[Document],
    settings: ScoringSettings | None = None,
    *,
    pred_tags: dict[str, dict[str, list[str]]] | None = None,
    layers: tuple[str, ...] | list[str] | None = None,
    tagset: str | None = None,
    bootstrap: int | None = None,
    seed: int | None = None,
    predicted: Collection[str] | None = None,
    unaligned: Sequence[Unaligned] = (),
    coverage: tuple[int, int] | None = None,
    strict_coverage: bool = False,
    valueless_timex: bool = False,
) -> EvaluationResult:
    """Score `pred_docs` against `gold_docs` under `settings` (default `ScoringSettings()`).

    `layers`, `tagset`, `bootstrap` and `seed` override those settings, a shorthand for
    callers that set nothing else. The span map and the signature derive from the settings.

    `predicted` names the layers the submission predicts (default: all): the others are
    "not predicted" (`result.not_predicted`), never scored as 0. `unaligned` spans (from a
    reader that could not place them) count as false positives of their layer at the unit
    of their `at` offset. `coverage` = (missing, total) sentences of a sentence-level file;
    missing documents or sentences are warned about, or with `strict_coverage` an error.

    `pred_tags` (sentence id → layer → tags) overrides the predicted token view where a
    sentence-level submission gave tags; spans are then compared snapped to tokens.
    """
    given = {
        "layers": None if layers is None else tuple(layers),
        "tagset": tagset,
        "bootstrap": bootstrap,
        "seed": seed,
    }
    settings = replace(
        settings or ScoringSettings(), **{key: value for key, value in given.items() if value is not None}
    )
    layers, tagset = settings.layers, settings.tagset
    unknown = [layer for layer in layers if layer not in LAYERS]
    if unknown:
        raise InputError(f"unknown layer {unknown[0]!r}; expected some of {', '.join(LAYERS)}")
    if tagset not in TAGSET_PROJECTIONS:
        raise InputError(f"unknown tag set {tagset!r}; expected one of {', '.join(TAGSET_PROJECTIONS)}")
    gold_docs = sorted(gold_docs, key=lambda document: document.id)
    by_id = {document.id: document for document in pred_docs}
    gold_ids = {document.id for document in gold_docs}
    extra = sorted(set(by_id) - gold_ids)
    if extra:
        raise InputError(f"unknown document id {extra[0]!r}", pointer="id")
    missing = [document.id for document in gold_docs if document.id not in by_id]
    warnings = coverage_warnings(gold_docs, missing, coverage, strict_coverage)
    warnings += label_warnings(pred_docs, tagset, predicted)
    predicted_layers = set(LAYERS if predicted is None else predicted)
    not_predicted = tuple(layer for layer in layers if layer not in predicted_layers)
    layers = tuple(layer for layer in layers if layer in predicted_layers)
    if valueless_timex and "timex" in layers:
        warnings.append(
            "timex predicted without values (tags or extent-only spans): the headline value F1 counts no match; "
            "see strict-extent and relaxed-extent"
        )
    empty = {"text": "", "entities": (), "timex": (), "events": (), "quotes": ()}
    pairs = []
    for gold in gold_docs:
        pred = by_id.get(gold.id) or replace(gold, **{k: v for k, v in empty.items() if k != "text"})
        pairs.append((project_document(gold, tagset), project_document(pred, tagset)))
    units = Units(gold_docs)
    span_map = settings.span_map(tokens=bool(pred_tags))
    signature = settings.signature(
        corpus=corpus_hash(gold_docs), unit=units.name, spans="tokens" if pred_tags else "characters"
    )
    boot = Bootstrap(settings.bootstrap, settings.seed, units.strata)
    results: dict[str, LayerResult] = {}
    all_tables: dict[str, dict[str, CountTable]] = {}
    # Counting makes many small acyclic objects (keys, counters): collections walking them
    # were a fifth of scoring a large corpus, and reference counting frees them all.
    with paused_gc():
        seqeval_tables = _seqeval_tables(layers, pairs, units, pred_tags, tagset, warnings)
        span_tables = {layer: _span_tables(layer, pairs, units, span_map) for layer in layers}
    for layer in layers:
        tables = {**seqeval_tables.pop(layer), **span_tables.pop(layer)}
        tables = add_unaligned(tables, layer, [item for item in unaligned if item.layer == layer], units, tagset)
        all_tables[layer] = tables
        metrics = {}
        for name, table in tables.items():
            metrics[name] = score_table(table, boot, dict(signature.for_metric(layer, name, table.settings)))
        headline_metric, headline_name = HEADLINES[layer]
        micro = metrics[headline_metric].micro
        low, high = micro.ci if micro.ci else (None, None)
        headline_settings = tables[headline_metric].settings
        layer_signature = dict(signature.for_metric(layer, headline_metric, headline_settings).averaged("micro"))
        results[layer] = LayerResult(
            layer, Headline(headline_name, micro.f1, low, high), headline_metric, metrics, layer_signature
        )
    if unaligned:
        warnings.append(
            f"{len(unaligned)} predicted span(s) could not be aligned to the text: counted as false positives"
        )
    return EvaluationResult(
        results, signature, tuple(warnings), all_tables, not_predicted, units.strata, tuple(pairs), span_map
    )


def coverage_warnings(
    gold_docs: list[Document], missing: list[str], coverage: tuple[int, int] | None, strict: bool
) -> list[str]:
    """Warnings about documents or sentences the predictions leave out (errors when `strict`)."""
    warnings = []
    if missing:
        warnings.append(
            f"predictions cover {len(gold_docs) - len(missing)} of {len(gold_docs)} documents; "
            f"scored as nothing predicted for {', '.join(missing)}"
        )
    if coverage is not None and coverage[0]:
        warnings.append(
            f"predictions cover {coverage[1] - coverage[0]} of {coverage[1]} sentences; "
            f"scored as nothing predicted for the other {coverage[0]}"
        )
    if strict and warnings:
        raise InputError(warnings[0], hint="--strict-coverage: every document and sentence must be predicted")
    return warnings


CONLL_ONLY = frozenset({"MISC"})


def label_warnings(pred_docs: list[Document], tagset: str, predicted: Collection[str] | None) -> list[str]:
    """A warning when entity labels look like CoNLL's (LOC without GPE, or MISC) under another tag set."""
    if tagset == "conll" or (predicted is not None and "entities" not in predicted):
        return []
    labels = {entity.type for document in pred_docs for entity in document.entities}
    if labels & CONLL_ONLY or ("LOC" in labels and "GPE" not in labels and labels <= {"PER", "ORG", "LOC"}):
        return [
            f"the entity labels ({', '.join(sorted(labels))}) look like CoNLL's PER/ORG/LOC/MISC: "
            "score with --tagset conll (khabar's LOC is a location without government; countries are GPE)"
        ]
    return []


# Span metrics an unaligned prediction counts in (as one more prediction), and whether the
# metric is counted per label (else under `*`). Accuracy metrics only count matches.
UNALIGNED_METRICS: dict[str, dict[str, bool]] = {
    "entities": {"span-strict": True, "span-boundary": False, "span-type": True, "span-partial": False},
    "timex": {"strict-extent": False, "relaxed-extent": False, "value": False},
    "events": {"Trig-I": False, "Trig-C": True},
    "quotes": {"content-exact": True, "content-overlap": True, "joint": False},
}


def add_unaligned(
    tables: dict[str, CountTable], layer: str, items: list[Unaligned], units: Units, tagset: str = "khabar"
) -> dict[str, CountTable]:
    """`tables` with each unaligned span counted as a false positive (seqeval tables and span metrics)."""
    if not items:
        return tables
    located = []
    for item in items:
        label = item.label
        if layer == "entities":
            label = project_labels(label, tagset) or label
        located.append((units.locator(item.doc_id)(item.at), label))
    updated = dict(tables)
    for name, table in tables.items():
        per_label = UNALIGNED_METRICS[layer].get(name) if not name.startswith("seqeval") else True
        if per_label is None:
            continue
        spans = located if per_label else [(unit, "*") for unit, _ in located]
        updated.update(_add_false_positives({name: table}, spans, units.n))
    return updated
