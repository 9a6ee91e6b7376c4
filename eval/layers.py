"""Per-layer span metrics on character offsets, accumulated into per-unit count tables.

Each function takes one (gold, pred) document pair, with spans already mapped (see
`khabar.eval.evaluate`), and adds its counts to an `Accumulator` at the unit of each span
(the document, or the sentence while there is one document): true positives and
predictions at the prediction's unit, gold at the gold span's unit.

- entities: `strict`, `boundary`, `type`, `partial` matching (see `matching`), nested
  spans included.
- timex (TempEval-3): strict extent (same start and end), relaxed extent (overlap, one to
  one), type and value accuracy on relaxed matches, value F1 (relaxed match with the same
  value = value accuracy × relaxed F1). The one-to-one pairing prefers, among overlapping
  candidates, the one with the same value, then the exact extent, then the largest overlap.
- events (TextEE keys): Trig-I (trigger extent), Trig-C (+ type), Arg-I (event type,
  argument extent), Arg-C (+ role), Arg-I+ and Arg-C+ (the same with the trigger extent
  attached). A `ref` argument matches through the referenced mention's span.
- quotes (PARC): content exact and overlap F1 per kind, cue F1 (exact extent), speaker
  accuracy on quotes whose contents overlap (one to one, kind ignored), and joint
  attribution F1: a prediction counts when its content overlaps a gold quote's and the
  speakers agree (both absent, or their spans overlap; a `ref` speaker is the entity's span).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from khabar.document import Argument, Document, Event, Quote
from khabar.eval.matching import MATCHES, category_credit, matched, multiset_matches, overlap_pairs
from khabar.eval.results import CountTable
from khabar.eval.spanmaps import same_span
from khabar.views import LabeledSpan, layer_spans

ALL = "*"
Locate = Callable[[int], int]  # character offset → unit index
SpanMap = Callable[[int, int], tuple[int, int]]


TP, PRED, GOLD = 0, 1, 2  # the columns of a count cell


def _empty_cell() -> list[float]:
    return [0.0, 0.0, 0.0]


@dataclass
class Accumulator:
    """Counts by (metric, label, unit) → [tp, pred, gold]; becomes `CountTable`s."""

    n_units: int
    counts: dict[str, dict[str, dict[int, list[float]]]] = field(default_factory=dict)
    meta: dict[str, tuple[str, str, dict[str, str]]] = field(default_factory=dict)

    def declare(self, metric: str, description: str, kind: str = "f1", **settings: str) -> None:
        self.meta[metric] = (kind, description, settings)
        self.counts.setdefault(metric, {})

    def add(self, metric: str, label: str, unit: int, tp: float = 0.0, pred: float = 0.0, gold: float = 0.0) -> None:
        by_label = self.counts[metric]
        cells = by_label.get(label)
        if cells is None:
            cells = by_label[label] = defaultdict(_empty_cell)
        cell = cells[unit]
        cell[0] += tp
        cell[1] += pred
        cell[2] += gold

    def add_cells(self, metric: str, column: int, cells: Mapping[tuple[str, int], float]) -> None:
        """Add each amount of `cells` ((label, unit) → amount) to `column` (TP, PRED or GOLD) of
        its cell: the counts of many spans summed first (they are whole or half counts, so any
        order of summing gives the same floats)."""
        by_label = self.counts[metric]
        for (label, unit), amount in cells.items():
            unit_cells = by_label.get(label)
            if unit_cells is None:
                unit_cells = by_label[label] = defaultdict(_empty_cell)
            unit_cells[unit][column] += amount

    def tables(self) -> dict[str, CountTable]:
        tables = {}
        for metric, by_label in self.counts.items():
            labels = tuple(sorted(by_label)) or (ALL,)
            array = np.zeros((self.n_units, len(labels), 3))
            for index, label in enumerate(labels):
                cells = by_label.get(label)
                if cells:  # each unit once: set, as adding to the zeros would
                    array[list(cells), index] = list(cells.values())
            kind, description, settings = self.meta[metric]
            tables[metric] = CountTable(metric, labels, array, kind, description, settings)
        return tables


def _with_label(spans: list[LabeledSpan], label: str) -> list[LabeledSpan]:
    return [span for span in spans if span.label == label]


def _labeled(start_end: tuple[int, int], label: str, identifier: str = "") -> LabeledSpan:
    return LabeledSpan(start_end[0], start_end[1], label, identifier)


# --- entities ----------------------------------------------------------------------------


def declare_entities(acc: Accumulator) -> None:
    descriptions = {
        "strict": "same start, end and type",
        "boundary": "same start and end, any type",
        "type": "overlap with a gold span of the same type",
        "partial": "same start and end; half credit for an overlap, any type",
    }
    for match in MATCHES:
        acc.declare(f"span-{match}", descriptions[match], match=match)


def _by_label(spans: list[LabeledSpan]) -> dict[str, list[LabeledSpan]]:
    """The spans of each label, in their order."""
    groups: dict[str, list[LabeledSpan]] = {}
    for span in spans:
        groups.setdefault(span.label, []).append(span)
    return groups


def add_entities(acc: Accumulator, gold: list[LabeledSpan], pred: list[LabeledSpan], locate: Locate) -> None:
    """Counts of the four matches, each span at its unit.

    `matched` first pairs the spans with the same key, (start, end, label) for `strict` and
    `type`, (start, end) for `boundary` and `partial`; no prediction left then has a gold
    span left with its key. So the credit of `strict` and `boundary` (same key, or nothing)
    is the number of those pairs, and so is that of `type` (per label) and `partial` when
    nothing is left on one side; otherwise `matched` itself gives it."""
    gold_cells = Counter((span.label, locate(span.start)) for span in gold)
    pred_cells = Counter((span.label, locate(span.start)) for span in pred)
    strict, strict_pairs = _exact_credit(gold, pred, 3, locate)
    boundary, boundary_pairs = _exact_credit(gold, pred, 2, locate)
    typed = Counter(strict)
    gold_by_label, pred_by_label = _by_label(gold), _by_label(pred)
    for label in gold_by_label.keys() & pred_by_label.keys():
        pairs = strict_pairs[label]
        if len(gold_by_label[label]) > pairs and len(pred_by_label[label]) > pairs:
            for cell in [cell for cell in typed if cell[0] == label]:
                del typed[cell]
            typed.update(_credit(matched(gold_by_label[label], pred_by_label[label], "type"), "type", label, locate))
    partial = boundary
    if len(gold) > boundary_pairs[ALL] and len(pred) > boundary_pairs[ALL]:
        partial = _credit(matched(gold, pred, "partial"), "partial", ALL, locate)
    gold_all, pred_all = _all_labels(gold_cells), _all_labels(pred_cells)
    for metric, gold_counts, pred_counts, credit in (
        ("span-strict", gold_cells, pred_cells, strict),
        ("span-boundary", gold_all, pred_all, _all_labels(boundary)),
        ("span-type", gold_cells, pred_cells, typed),
        ("span-partial", gold_all, pred_all, _all_labels(partial)),
    ):
        acc.add_cells(metric, GOLD, gold_counts)
        acc.add_cells(metric, PRED, pred_counts)
        acc.add_cells(metric, TP, credit)


def _all_labels(cells: Counter) -> Counter:
    """(label, unit) counts summed over labels, under `*`."""
    summed: Counter = Counter()
    for (_, unit), count in cells.items():
        summed[(ALL, unit)] += count
    return summed


def _exact_credit(
    gold: list[LabeledSpan], pred: list[LabeledSpan], width: int, locate: Locate
) -> tuple[Counter, Counter]:
    """Pairs of spans with the same first `width` fields: (label, unit of the prediction) →
    pairs, and label → pairs (label `*` when the key has no label)."""
    credit: Counter = Counter()
    pairs: Counter = Counter()
    for key, count in multiset_matches([span[:width] for span in gold], [span[:width] for span in pred]).items():
        label = key[2] if width > 2 else ALL
        credit[(label, locate(key[0]))] += count
        pairs[label] += count
    return credit, pairs


def _credit(outcomes: list[tuple[str, LabeledSpan, str]], match: str, label: str, locate: Locate) -> Counter:
    """(label, unit) → true-positive credit of the predictions among `outcomes`."""
    credit: Counter = Counter()
    for category, span, side in outcomes:
        if side == "pred":
            value = category_credit(category, match)
            if value:
                credit[(label, locate(span.start))] += value
    return credit


# --- timex -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimexSpan:
    span: LabeledSpan  # label = TIMEX3 type
    value: str


def declare_timex(acc: Accumulator) -> None:
    acc.declare("strict-extent", "same start and end", match="strict-extent")
    acc.declare("relaxed-extent", "overlap, one to one", match="relaxed-extent")
    acc.declare("type-accuracy", "same type, over relaxed matches", kind="accuracy", match="relaxed-extent")
    acc.declare("value-accuracy", "same value, over relaxed matches", kind="accuracy", match="relaxed-extent")
    acc.declare("value", "relaxed match with the same value (TempEval-3 value F1)", match="relaxed-extent+value")


def add_timex(acc: Accumulator, gold: list[TimexSpan], pred: list[TimexSpan], locate: Locate) -> None:
    for item in gold:
        unit = locate(item.span.start)
        for metric in ("strict-extent", "relaxed-extent", "value"):
            acc.add(metric, ALL, unit, gold=1)
    for item in pred:
        unit = locate(item.span.start)
        for metric in ("strict-extent", "relaxed-extent", "value"):
            acc.add(metric, ALL, unit, pred=1)
    strict = multiset_matches([(t.span.start, t.span.end) for t in gold], [(t.span.start, t.span.end) for t in pred])
    for (start, _), count in strict.items():
        acc.add("strict-extent", ALL, locate(start), tp=count)
    for gold_index, pred_index in timex_pairs(gold, pred):
        gold_item, pred_item = gold[gold_index], pred[pred_index]
        unit = locate(pred_item.span.start)
        same_value = gold_item.value == pred_item.value
        acc.add("relaxed-extent", ALL, unit, tp=1)
        acc.add("value", ALL, unit, tp=float(same_value))
        same_type = gold_item.span.label == pred_item.span.label
        acc.add("type-accuracy", ALL, unit, tp=float(same_type), pred=1, gold=1)
        acc.add("value-accuracy", ALL, unit, tp=float(same_value), pred=1, gold=1)


def timex_pairs(gold: list[TimexSpan], pred: list[TimexSpan]) -> list[tuple[int, int]]:
    """The relaxed matches as (gold index, pred index): `overlap_pairs` preferring the same value."""
    return overlap_indices(
        [t.span for t in gold], [t.span for t in pred], [t.value for t in gold], [t.value for t in pred]
    )


def overlap_indices(
    gold: list[LabeledSpan], pred: list[LabeledSpan], gold_values: list | None = None, pred_values: list | None = None
) -> list[tuple[int, int]]:
    """`overlap_pairs` of `gold` and `pred` as (gold index, pred index); with values, the pairs
    with the same value preferred."""
    gold_index = {id(span): index for index, span in enumerate(gold)}
    pred_index = {id(span): index for index, span in enumerate(pred)}
    prefer = None
    if gold_values is not None and pred_values is not None:

        def prefer(gold_span: LabeledSpan, pred_span: LabeledSpan) -> bool:
            return gold_values[gold_index[id(gold_span)]] == pred_values[pred_index[id(pred_span)]]

    return [(gold_index[id(g)], pred_index[id(p)]) for g, p in overlap_pairs(gold, pred, prefer)]


# --- events ------------------------------------------------------------------------------

EVENT_METRICS = {
    "Trig-I": "trigger extent",
    "Trig-C": "trigger extent and event type",
    "Arg-I": "event type and argument extent",
    "Arg-C": "event type, argument extent and role",
    "Arg-I+": "trigger extent, event type and argument extent",
    "Arg-C+": "trigger extent, event type, argument extent and role",
}


def declare_events(acc: Accumulator) -> None:
    for metric, description in EVENT_METRICS.items():
        acc.declare(metric, f"same {description} (TextEE)", match=metric)


EventKeys = dict[str, list[tuple[tuple, str, int]]]  # per metric: (key, label, position)


def mention_extents(document: Document) -> dict[str, tuple[int, int]]:
    """Entity and timex id → raw extent: what an argument's `ref` points at."""
    mentions = {entity.id: (entity.start, entity.end) for entity in document.entities}
    mentions.update({timex.id: (timex.start, timex.end) for timex in document.timex})
    return mentions


def argument_extents(
    document: Document, event: Event, mentions: dict[str, tuple[int, int]] | None = None
) -> list[tuple[Argument, tuple[int, int]]]:
    """The arguments of `event` with their raw extents: a `ref` argument through the
    referenced entity or timex; an argument whose ref does not resolve is left out (the
    reader and the validator report it; it is never counted twice). `mentions` is
    `mention_extents(document)` when already at hand."""
    if mentions is None:
        mentions = mention_extents(document)
    extents = []
    for argument in event.arguments:
        if argument.ref is not None:
            if argument.ref in mentions:
                extents.append((argument, mentions[argument.ref]))
        elif argument.span is not None:
            extents.append((argument, (argument.span.start, argument.span.end)))
    return extents


def event_keys(document: Document, span_map: SpanMap) -> EventKeys:
    """Per metric, the (key, label, position) of every trigger or argument of `document`."""
    keys: dict[str, list[tuple[tuple, str, int]]] = {metric: [] for metric in EVENT_METRICS}
    trig_i, trig_c, arg_i, arg_c = keys["Trig-I"], keys["Trig-C"], keys["Arg-I"], keys["Arg-C"]
    arg_i_plus, arg_c_plus = keys["Arg-I+"], keys["Arg-C+"]
    mentions = mention_extents(document) if document.events else {}
    for event in document.events:
        trigger = span_map(event.trigger.start, event.trigger.end)
        position, kind = trigger[0], event.type
        trig_i.append((trigger, ALL, position))
        trig_c.append(((*trigger, kind), kind, position))
        for argument, raw in argument_extents(document, event, mentions):
            start, end = span_map(*raw)
            role = argument.role
            arg_i.append(((kind, start, end), ALL, position))
            arg_c.append(((kind, start, end, role), role, position))
            arg_i_plus.append(((*trigger, kind, start, end), ALL, position))
            arg_c_plus.append(((*trigger, kind, start, end, role), role, position))
    return keys


def add_events(acc: Accumulator, gold_keys: EventKeys, pred_keys: EventKeys, locate: Locate) -> None:
    for metric in EVENT_METRICS:
        acc.add_cells(metric, GOLD, Counter((label, locate(position)) for _, label, position in gold_keys[metric]))
        acc.add_cells(metric, PRED, Counter((label, locate(position)) for _, label, position in pred_keys[metric]))
        positions = {key: (label, position) for key, label, position in pred_keys[metric]}
        matched = multiset_matches([key for key, _, _ in gold_keys[metric]], [key for key, _, _ in pred_keys[metric]])
        credit: Counter = Counter()
        for key, count in matched.items():
            label, position = positions[key]
            credit[(label, locate(position))] += count
        acc.add_cells(metric, TP, credit)


# --- quotes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteSpans:
    content: LabeledSpan  # label = kind
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None


def speaker_extent(quote: Quote, mentions: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    """The raw extent of a quote's speaker: a `ref` through the entity of `mentions` (id →
    extent), else its own span; None without a speaker (or with a ref that does not resolve)."""
    if quote.speaker is None:
        return None
    if quote.speaker.ref is not None:
        return mentions.get(quote.speaker.ref)
    if quote.speaker.span is not None:
        return quote.speaker.span.start, quote.speaker.span.end
    return None


def quote_spans(document: Document, span_map: SpanMap) -> list[QuoteSpans]:
    mentions = {entity.id: (entity.start, entity.end) for entity in document.entities}
    quotes = []
    for quote in document.quotes:
        speaker = speaker_extent(quote, mentions)
        if speaker is not None:
            speaker = span_map(*speaker)
        cue = span_map(quote.cue.start, quote.cue.end) if quote.cue else None
        content = _labeled(span_map(quote.content.start, quote.content.end), quote.kind, quote.id)
        quotes.append(QuoteSpans(content, cue, speaker))
    return quotes


def declare_quotes(acc: Accumulator) -> None:
    acc.declare("content-exact", "same content start, end and kind", match="exact")
    acc.declare("content-overlap", "content overlap with a quote of the same kind, one to one", match="overlap")
    acc.declare("cue", "same cue start and end", match="exact")
    acc.declare("speaker-accuracy", "speakers agree, over content-overlap matches", kind="accuracy", match="overlap")
    acc.declare("joint", "content overlap and speakers agree (joint attribution)", match="overlap+speaker")


def speakers_agree(gold: tuple[int, int] | None, pred: tuple[int, int] | None) -> bool:
    """Both absent, or their spans overlap (joint attribution, speaker accuracy)."""
    if gold is None or pred is None:
        return gold is None and pred is None
    return min(gold[1], pred[1]) > max(gold[0], pred[0])


def add_quotes(acc: Accumulator, gold: list[QuoteSpans], pred: list[QuoteSpans], locate: Locate) -> None:
    for quote in gold:
        unit = locate(quote.content.start)
        acc.add("content-exact", quote.content.label, unit, gold=1)
        acc.add("content-overlap", quote.content.label, unit, gold=1)
        acc.add("joint", ALL, unit, gold=1)
        if quote.cue:
            acc.add("cue", ALL, locate(quote.cue[0]), gold=1)
    for quote in pred:
        unit = locate(quote.content.start)
        acc.add("content-exact", quote.content.label, unit, pred=1)
        acc.add("content-overlap", quote.content.label, unit, pred=1)
        acc.add("joint", ALL, unit, pred=1)
        if quote.cue:
            acc.add("cue", ALL, locate(quote.cue[0]), pred=1)
    exact = multiset_matches(
        [(q.content.start, q.content.end, q.content.label) for q in gold],
        [(q.content.start, q.content.end, q.content.label) for q in pred],
    )
    for (start, _, kind), count in exact.items():
        acc.add("content-exact", kind, locate(start), tp=count)
    for kind in sorted({q.content.label for q in gold + pred}):
        for _, pred_index in content_pairs(gold, pred, kind):
            acc.add("content-overlap", kind, locate(pred[pred_index].content.start), tp=1)
    cues = multiset_matches([q.cue for q in gold if q.cue], [q.cue for q in pred if q.cue])
    for (start, _), count in cues.items():
        acc.add("cue", ALL, locate(start), tp=count)
    for gold_index, pred_index in content_pairs(gold, pred):
        agree = speakers_agree(gold[gold_index].speaker, pred[pred_index].speaker)
        unit = locate(pred[pred_index].content.start)
        acc.add("speaker-accuracy", ALL, unit, tp=float(agree), pred=1, gold=1)
        acc.add("joint", ALL, unit, tp=float(agree))


def content_pairs(gold: list[QuoteSpans], pred: list[QuoteSpans], kind: str | None = None) -> list[tuple[int, int]]:
    """Quotes whose contents overlap, one to one (`overlap_pairs`), as (gold index, pred index):
    among the quotes of `kind`, or of any kind."""
    gold_rows = [index for index, q in enumerate(gold) if kind is None or q.content.label == kind]
    pred_rows = [index for index, q in enumerate(pred) if kind is None or q.content.label == kind]
    pairs = overlap_indices([gold[index].content for index in gold_rows], [pred[index].content for index in pred_rows])
    return [(gold_rows[g], pred_rows[p]) for g, p in pairs]


# --- the layers as data ------------------------------------------------------------------


def entity_spans(document: Document, span_map: SpanMap) -> list[LabeledSpan]:
    """The entity spans of `document` (sorted, nested ones included), mapped."""
    spans = layer_spans(document, "entities")
    if span_map is same_span:
        return spans
    return [_labeled(span_map(span.start, span.end), span.label, span.id) for span in spans]


def timex_spans(document: Document, span_map: SpanMap) -> list[TimexSpan]:
    """The timex spans of `document` with their values, mapped."""
    return [TimexSpan(_labeled(span_map(t.start, t.end), t.type, t.id), t.value) for t in document.timex]


@dataclass(frozen=True)
class SpanLayer:
    """How one layer is counted on character spans: `declare` its metrics, take what is
    compared from a document after the span map (`items`), `add` one document pair."""

    declare: Callable[[Accumulator], None]
    items: Callable[[Document, SpanMap], Any]
    add: Callable[[Accumulator, Any, Any, Locate], None]


SPAN_LAYERS: dict[str, SpanLayer] = {
    "entities": SpanLayer(declare_entities, entity_spans, add_entities),
    "timex": SpanLayer(declare_timex, timex_spans, add_timex),
    "events": SpanLayer(declare_events, event_keys, add_events),
    "quotes": SpanLayer(declare_quotes, quote_spans, add_quotes),
}
