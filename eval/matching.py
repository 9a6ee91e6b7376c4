"""Matching of character spans, one rule per function, each stated in plain words.

Spans are `LabeledSpan(start, end, label, id)`, end exclusive. Every matcher returns
outcomes that keep the spans behind each count, so a count can always be explained.

MUC-5 / SemEval-2013 categories are nervaluate's (its strategies are called directly);
khabar's match names map onto nervaluate's as:

| khabar     | nervaluate | a prediction is correct when                     | partial credit |
| ---------- | ---------- | ------------------------------------------------ | -------------- |
| `strict`   | `strict`   | same start, end and label                        | no             |
| `boundary` | `exact`    | same start and end, any label                    | no             |
| `type`     | `ent_type` | overlaps a gold span of the same label           | no             |
| `partial`  | `partial`  | same start and end (half credit when overlapping)| yes (0.5)      |

Where nervaluate does not fit, and what is done instead:
- nervaluate matches greedily in list order, so with nested or overlapping spans an
  earlier prediction can take, as "incorrect", the gold span a later prediction matches
  exactly. khabar first pairs exact matches (one to one, by the rule's key), then runs
  nervaluate on what is left; on non-overlapping spans this changes nothing.
- nervaluate's ends are inclusive: spans are passed as (start, end - 1).
- nervaluate's overlap threshold is a percentage of the gold span (≥ 1% at the lowest
  setting), so a one-character overlap with a gold span longer than 100 characters (a
  quote's content easily is) would be no overlap. khabar's overlap is any shared
  character everywhere (as in `overlap_pairs`), so the strategies are subclassed to use
  that rule (`_AnyOverlap`); nervaluate's matching algorithm is otherwise unchanged.
- `boundary` and `partial` ignore labels, so they are reported over all spans
  (label `*`), not per label; nervaluate's per-label rows for them filter both sides by
  label first, which silently turns them into label-aware rules.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from nervaluate.entities import Entity as NervaluateEntity
from nervaluate.strategies import EntityTypeEvaluation, ExactEvaluation, PartialEvaluation, StrictEvaluation

from khabar.views import LabeledSpan

MATCHES = ("strict", "boundary", "type", "partial")


class _AnyOverlap:
    """Overlap = at least one shared character, whatever the gold span's length (see above)."""

    def _has_sufficient_overlap(self, pred: NervaluateEntity, true: NervaluateEntity) -> bool:
        # nervaluate's ends are inclusive: [start, end] and [start', end'] share a character
        # unless one ends before the other starts.
        return not (pred.start > true.end or pred.end < true.start)


class _Strict(_AnyOverlap, StrictEvaluation):
    pass


class _Exact(_AnyOverlap, ExactEvaluation):
    pass


class _EntityType(_AnyOverlap, EntityTypeEvaluation):
    pass


class _Partial(_AnyOverlap, PartialEvaluation):
    pass


_STRATEGIES = {"strict": _Strict(), "boundary": _Exact(), "type": _EntityType(), "partial": _Partial()}
# The key of the exact pairing before nervaluate runs: (start, end, label) or (start, end),
# the first fields of a `LabeledSpan`.
_PREPASS_WIDTH = {"strict": 3, "boundary": 2, "type": 3, "partial": 2}


@dataclass(frozen=True)
class Outcome:
    """What happened to one prediction or one gold span: its category and its credit."""

    category: str  # correct | incorrect | partial | spurious | missed
    span: LabeledSpan
    side: str  # pred | gold


def _to_nervaluate(spans: list[LabeledSpan]) -> list[NervaluateEntity]:
    return [NervaluateEntity(label=span.label, start=span.start, end=span.end - 1) for span in spans]


def match_spans(gold: list[LabeledSpan], pred: list[LabeledSpan], match: str) -> list[Outcome]:
    """Outcomes of every prediction and every unmatched gold span under `match`."""
    return [Outcome(category, span, side) for category, span, side in matched(gold, pred, match)]


def matched(gold: list[LabeledSpan], pred: list[LabeledSpan], match: str) -> list[tuple[str, LabeledSpan, str]]:
    """`match_spans` as plain (category, span, side) tuples, for counting millions of spans."""
    width = _PREPASS_WIDTH[match]
    gold_left = sorted(gold)
    pred_left = sorted(pred)
    outcomes: list[tuple[str, LabeledSpan, str]] = []
    # Exact pairs first, one to one: the first gold spans of a key are the ones taken.
    unpaired = Counter(span[:width] for span in gold_left)
    taken: Counter = Counter()
    rest_pred = []
    for span in pred_left:
        key = span[:width]
        if unpaired[key] > 0:
            unpaired[key] -= 1
            taken[key] += 1
            outcomes.append(("correct", span, "pred"))
        else:
            rest_pred.append(span)
    rest_gold = []
    for span in gold_left:
        key = span[:width]
        if taken[key] > 0:
            taken[key] -= 1
        else:
            rest_gold.append(span)
    return outcomes + matched_left(rest_gold, rest_pred, match)


def matched_left(gold: list[LabeledSpan], pred: list[LabeledSpan], match: str) -> list[tuple[str, LabeledSpan, str]]:
    """`matched` after its exact pairs: nervaluate's pass over sorted spans of which no gold
    span and prediction have the same key (start, end, and label under `strict` and `type`)."""
    if not gold or not pred:
        # What nervaluate gives when one side is empty, without its pass: every prediction
        # left is spurious, every gold span left is missed, in order.
        return [("spurious", span, "pred") for span in pred] + [("missed", span, "gold") for span in gold]
    # A prediction that overlaps no gold span left is spurious under every strategy and takes
    # no gold span, so nervaluate (a pass over every pair) sees only the others; the spurious
    # ones are merged back in their order.
    near = _overlapping_any(pred, gold)
    candidates = [pred[index] for index in near]
    _, indices = _STRATEGIES[match].evaluate(_to_nervaluate(gold), _to_nervaluate(candidates), [])
    outcomes: list[tuple[str, LabeledSpan, str]] = []
    for category in ("correct", "incorrect", "partial"):
        for _, index in getattr(indices, f"{category}_indices"):
            outcomes.append((category, candidates[index], "pred"))
    spurious = {near[index] for _, index in indices.spurious_indices}
    spurious.update(set(range(len(pred))).difference(near))
    outcomes += [("spurious", pred[index], "pred") for index in sorted(spurious)]
    for _, index in indices.missed_indices:
        outcomes.append(("missed", gold[index], "gold"))
    return outcomes


def _overlapping_any(spans: list[LabeledSpan], others: list[LabeledSpan]) -> list[int]:
    """Indices of the `spans` that share a character with at least one of `others`."""
    merged: list[list[int]] = []  # the union of the others' extents: disjoint, in order
    for start, end in sorted((other.start, other.end) for other in others):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    starts = [start for start, _ in merged]
    ends = [end for _, end in merged]
    return [index for index, span in enumerate(spans) if bisect_right(ends, span.start) < bisect_left(starts, span.end)]


def credit(outcome: Outcome, match: str) -> float:
    """True-positive credit of an outcome: 1 for correct, 0.5 for partial under `partial`."""
    return category_credit(outcome.category, match)


def category_credit(category: str, match: str) -> float:
    """True-positive credit of a category: 1 for correct, 0.5 for partial under `partial`."""
    if category == "correct":
        return 1.0
    if category == "partial" and match == "partial":
        return 0.5
    return 0.0


def overlap_pairs(
    gold: list[LabeledSpan],
    pred: list[LabeledSpan],
    prefer: Callable[[LabeledSpan, LabeledSpan], bool] | None = None,
) -> list[tuple[LabeledSpan, LabeledSpan]]:
    """One-to-one pairs of overlapping spans (relaxed matching, labels ignored).

    Among overlapping candidates, pairs that `prefer` accepts come first (timex: the same
    value, so a tool that splits `27 نوفمبر/تشرين الثاني` into day and month is paired with
    the part whose value is right); then exact extents, then larger overlaps; ties by
    position, so the result does not depend on input order.
    """
    candidates = []
    for gold_span in gold:
        for pred_span in pred:
            overlap = min(gold_span.end, pred_span.end) - max(gold_span.start, pred_span.start)
            if overlap > 0:
                exact = (gold_span.start, gold_span.end) == (pred_span.start, pred_span.end)
                preferred = prefer(gold_span, pred_span) if prefer is not None else True
                candidates.append((not preferred, not exact, -overlap, gold_span, pred_span))
    candidates.sort(key=lambda item: item[:5])
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for *_, gold_span, pred_span in candidates:
        if id(gold_span) in used_gold or id(pred_span) in used_pred:
            continue
        used_gold.add(id(gold_span))
        used_pred.add(id(pred_span))
        pairs.append((gold_span, pred_span))
    return pairs


def multiset_matches(gold_keys: list[Hashable], pred_keys: list[Hashable]) -> Counter:
    """Matched keys with multiplicity: min(gold count, pred count) per key."""
    return Counter(gold_keys) & Counter(pred_keys)
