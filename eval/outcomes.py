"""Per-span match outcomes of one layer: which gold and predicted spans pair up, and how.

This is the error-analysis view (MUC / SemEval-2013 categories, as nervaluate names
them), kept with the ids of the spans behind every outcome so that a report can show
each one. Character spans of the layer are compared, nested ones included.

Pairing rules, applied in this order; a span takes part in at most one pair, and within
a rule the pairs with the closest boundaries (then the earliest) are taken first:

1. `correct`: a predicted span with the same start, end and label as a gold span (and, for a
   layer whose spans carry a value — timex — the same value).
2. `wrong_value`: the same start, end and label, another value (timex: the extent is right,
   the normalized TIMEX3 value is not; TempEval-3's value F1 does not credit it).
3. `wrong_type`: the same start and end, another label.
4. `wrong_boundary`: overlapping extents (at least one shared character), the same
   label, different start or end.
5. `wrong_boundary_type`: overlapping extents, different start or end and label.
6. `missed`: a gold span left without a pair. `spurious`: a predicted span left without.

Counts per category match nervaluate's (strict: correct; exact: correct + wrong_type;
ent_type: correct + wrong_boundary) whenever every predicted span overlaps at most one
gold span and vice versa (tested); where spans overlap several, the closest pairing here
can differ from nervaluate's first-in-list pairing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from khabar.document import Document
from khabar.eval.spanmaps import SpanMap, SpanMapFactory
from khabar.views import LabeledSpan, layer_spans

CATEGORIES: tuple[str, ...] = (
    "correct",
    "wrong_value",
    "wrong_type",
    "wrong_boundary",
    "wrong_boundary_type",
    "missed",
    "spurious",
)
CATEGORY_TITLES = {
    "correct": "correct",
    "wrong_value": "right extent, wrong value",
    "wrong_type": "wrong type",
    "wrong_boundary": "wrong boundary",
    "wrong_boundary_type": "wrong boundary and type",
    "missed": "missed",
    "spurious": "spurious",
}
NONE_LABEL = "∅"


@dataclass(frozen=True)
class Outcome:
    """One gold span, one predicted span, or a pair of them, with its category."""

    category: str
    gold: LabeledSpan | None
    pred: LabeledSpan | None


def _overlaps(gold: LabeledSpan, pred: LabeledSpan) -> bool:
    return gold.start < pred.end and pred.start < gold.end


def _distance(gold: LabeledSpan, pred: LabeledSpan) -> int:
    return abs(gold.start - pred.start) + abs(gold.end - pred.end)


def _same_extent(gold: LabeledSpan, pred: LabeledSpan) -> bool:
    return (gold.start, gold.end) == (pred.start, pred.end)


# (category, rule over a gold span, a predicted span and whether their values agree).
_RULES: tuple[tuple[str, Callable[[LabeledSpan, LabeledSpan, bool], bool]], ...] = (
    ("correct", lambda g, p, same_value: _same_extent(g, p) and g.label == p.label and same_value),
    ("wrong_value", lambda g, p, same_value: _same_extent(g, p) and g.label == p.label and not same_value),
    ("wrong_type", lambda g, p, _: _same_extent(g, p) and g.label != p.label),
    ("wrong_boundary", lambda g, p, _: _overlaps(g, p) and g.label == p.label and not _same_extent(g, p)),
    ("wrong_boundary_type", lambda g, p, _: _overlaps(g, p) and g.label != p.label and not _same_extent(g, p)),
)


def _touching(gold: list[LabeledSpan], pred: list[LabeledSpan]) -> list[tuple[int, int]]:
    """The (gold, pred) index pairs a rule can pair: overlapping extents, or the same extent.
    Found once, so the rules test these few pairs rather than every gold × pred pair; and found
    by a sweep over the predicted spans sorted by start: a gold span looks only at those that
    start between its start less the longest predicted span and its end."""
    if not gold or not pred:
        return []
    order = sorted(range(len(pred)), key=lambda p: pred[p].start)
    starts = [pred[p].start for p in order]
    longest = max(span.end - span.start for span in pred)
    pairs = []
    for g, gold_span in enumerate(gold):
        start, end = gold_span.start, gold_span.end
        # A predicted span touching this one starts at or before its end and ends at or after its start.
        for position in range(bisect_left(starts, start - longest), bisect_right(starts, end)):
            p = order[position]
            pred_span = pred[p]
            if (start < pred_span.end and pred_span.start < end) or (start == pred_span.start and end == pred_span.end):
                pairs.append((g, p))
    return pairs


def match_spans(
    gold: list[LabeledSpan],
    pred: list[LabeledSpan],
    gold_values: Sequence[str | None] | None = None,
    pred_values: Sequence[str | None] | None = None,
) -> list[Outcome]:
    """The outcome of every gold and predicted span, ordered by position in the text.
    `gold_values` and `pred_values` (one per span, in order) are compared by `correct` and
    `wrong_value`; without them every pair's values agree."""

    def same_value(g: int, p: int) -> bool:
        return gold_values is None or pred_values is None or gold_values[g] == pred_values[p]

    gold_free = set(range(len(gold)))
    pred_free = set(range(len(pred)))
    pairs = _touching(gold, pred)
    outcomes: list[Outcome] = []
    for category, rule in _RULES:
        candidates = sorted(
            (_distance(gold[g], pred[p]), gold[g].start, pred[p].start, g, p)
            for g, p in pairs
            if g in gold_free and p in pred_free and rule(gold[g], pred[p], same_value(g, p))
        )
        for *_, g, p in candidates:
            if g in gold_free and p in pred_free:
                gold_free.discard(g)
                pred_free.discard(p)
                outcomes.append(Outcome(category, gold[g], pred[p]))
    outcomes += [Outcome("missed", gold[g], None) for g in gold_free]
    outcomes += [Outcome("spurious", None, pred[p]) for p in pred_free]

    def position(outcome: Outcome) -> tuple[int, int]:
        span = outcome.gold or outcome.pred
        assert span is not None  # every outcome holds at least one span
        return span.start, span.end

    return sorted(outcomes, key=lambda outcome: (*position(outcome), CATEGORIES.index(outcome.category)))


def category_counts(outcomes: list[Outcome]) -> dict[str, int]:
    counts = Counter(outcome.category for outcome in outcomes)
    return {category: counts.get(category, 0) for category in CATEGORIES}


def confusion(outcomes: list[Outcome]) -> dict[tuple[str, str], int]:
    """(gold label, pred label) → count over paired spans; `∅` stands for a missing side."""
    counts: Counter[tuple[str, str]] = Counter()
    for outcome in outcomes:
        gold_label = outcome.gold.label if outcome.gold else NONE_LABEL
        pred_label = outcome.pred.label if outcome.pred else NONE_LABEL
        counts[gold_label, pred_label] += 1
    return dict(counts)


def layer_outcomes(gold: Document, pred: Document | None, layer: str, span_map: SpanMapFactory) -> list[Outcome]:
    """Outcomes of one layer of one document, compared after `span_map`, reported on raw spans."""
    gold_raw = layer_spans(gold, layer)
    pred_raw = layer_spans(pred, layer) if pred is not None else []
    gold_map, pred_map = span_map(gold), span_map(pred if pred is not None else gold)

    def mapped(spans: list[LabeledSpan], mapping: SpanMap) -> list[LabeledSpan]:
        return [LabeledSpan(*mapping(span.start, span.end), span.label, str(index)) for index, span in enumerate(spans)]

    outcomes = match_spans(
        mapped(gold_raw, gold_map),
        mapped(pred_raw, pred_map),
        span_values(gold, layer, gold_raw),
        span_values(pred, layer, pred_raw),
    )
    return [
        Outcome(
            outcome.category,
            gold_raw[int(outcome.gold.id)] if outcome.gold else None,
            pred_raw[int(outcome.pred.id)] if outcome.pred else None,
        )
        for outcome in outcomes
    ]


def span_values(document: Document | None, layer: str, spans: list[LabeledSpan]) -> list[str | None] | None:
    """The value of each of `spans` (a timex's TimeML value), or None for a layer without values."""
    if layer != "timex" or document is None:
        return None
    values = {(t.start, t.end, t.type, t.id): t.value for t in document.timex}
    return [values.get((span.start, span.end, span.label, span.id)) for span in spans]
