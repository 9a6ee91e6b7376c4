"""The entity span metrics of a whole corpus at once: `layers.add_entities` on arrays.

`add_entities` counts one document pair at a time; here every pair's entity spans are
arrays (pair index, start, end, label code) and the four matches are credited per
prediction with array operations, then summed into the `Accumulator`'s tables
(`spancounts.count_tables`). What the matches do is `add_entities`'s, rule for rule:

- exact pairing, one to one by key, (start, end, label) for `strict` and `type`, (start,
  end) for `boundary` and `partial`: per key, min(gold count, pred count) pairs. Spans of
  one key are alike where it matters (same unit, same label in the cell), so which of
  them are paired does not change a count.
- `type` (per label) and `partial` then match what is left with nervaluate's greedy pass
  (`matching.matched_left`, the part of `matched` after its exact pairs). Spans that
  share no character with a span of the other side left take part in no match, so the
  pass splits into clusters of overlapping spans, one pass each. In a cluster where no
  gold span overlaps two predictions, no prediction can take a gold span from another:
  each prediction overlapping a gold span is matched, whatever the order. Only the other
  clusters (a gold span overlapping two predictions or more, where the order decides) go
  through the pass itself, their spans alone.

`tests/test_entity_counts.py` holds the tables equal to the per-document ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from khabar.document import Document
from khabar.eval.goldarrays import Arrays, coded, derived, label_columns
from khabar.eval.layers import ALL, GOLD, PRED, TP, Accumulator
from khabar.eval.matching import category_credit, matched_left
from khabar.eval.results import CountTable
from khabar.eval.spancounts import LocateMany, Pairs, Part, count_tables
from khabar.eval.spankeys import KEY_LIMIT, chained_spans, row_key
from khabar.views import LabeledSpan

# The category of a prediction that overlaps a gold span left after exact pairing (no gold
# span left has its extent, so it is never `correct` under `partial`).
_OVERLAP_CATEGORY = {"type": "correct", "partial": "partial"}
# Predictions of contested clusters matched per batch (`_contested_credit`), and entity
# spans (both sides) counted per batch of pairs (`count_entities`): bounded working memory.
_CLUSTER_BATCH = 50_000
_BATCH_SPANS = 250_000


@dataclass(frozen=True)
class GroupedSpans:
    """Spans as arrays: the group each belongs to (a pair, or a pair and a label), start, end
    (exclusive) and label code."""

    group: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray

    def take(self, which: np.ndarray) -> GroupedSpans:
        return GroupedSpans(self.group[which], self.start[which], self.end[which], self.label[which])


def count_entities(pairs: Pairs, locate_many: LocateMany, declared: Accumulator) -> dict[str, CountTable] | None:
    """The tables of `add_entities` over every pair, or None when the spans do not fit the
    arrays (a negative offset, an empty or reversed span, offsets too large for the keys).

    Pairs are counted a batch at a time (about `_BATCH_SPANS` spans): a prediction file of
    millions of spans then needs a batch's worth of working arrays, not the whole file's."""
    names: dict[str, int] = {ALL: 0}
    # The gold's entities once, as arrays (a loaded corpus's are read back, its objects never
    # built); each batch takes its pairs' rows (`group` ascends with the pair).
    gold = entity_arrays([gold for gold, _ in pairs], names)
    batches = []
    for first, stop in _batches(pairs, np.bincount(gold.group, minlength=len(pairs)).tolist()):
        low, high = np.searchsorted(gold.group, [first, stop]).tolist()
        batch_gold = GroupedSpans(
            gold.group[low:high] - first, gold.start[low:high], gold.end[low:high], gold.label[low:high]
        )
        counted = _count_batch(batch_gold, pairs[first:stop], first, locate_many, names)
        if counted is None:
            return None
        batches.append(counted)
    if not batches:
        batches.append(tuple([np.zeros(0, dtype=np.int64)] * 4 + [np.zeros(0)] * 4))
    gold_label, gold_unit, pred_label, pred_unit, strict, boundary, typed, partial = (
        np.concatenate([batch[column] for batch in batches]) for column in range(8)
    )
    gold_all, pred_all = np.zeros_like(gold_label), np.zeros_like(pred_label)  # code 0: `*`
    parts = {
        "span-strict": (gold_label, pred_label, strict),
        "span-boundary": (gold_all, pred_all, boundary),
        "span-type": (gold_label, pred_label, strict + typed),
        "span-partial": (gold_all, pred_all, boundary + partial),
    }
    return count_tables(
        declared,
        list(names),
        {
            metric: [
                Part(GOLD, gold_labels, gold_unit),
                Part(PRED, pred_labels, pred_unit),
                Part(TP, pred_labels, pred_unit, credit),
            ]
            for metric, (gold_labels, pred_labels, credit) in parts.items()
        },
    )


def _batches(pairs: Pairs, gold_counts: list[int]) -> list[tuple[int, int]]:
    """(first, stop) of consecutive pairs holding about `_BATCH_SPANS` entity spans each
    (`gold_counts`: the gold entities of each pair)."""
    bounds, held, first = [], 0, 0
    for index, ((_, pred), gold_count) in enumerate(zip(pairs, gold_counts, strict=True)):
        held += gold_count + len(pred.entities)
        if held >= _BATCH_SPANS:
            bounds.append((first, index + 1))
            first, held = index + 1, 0
    if first < len(pairs):
        bounds.append((first, len(pairs)))
    return bounds


def _count_batch(
    gold: GroupedSpans, pairs: Pairs, first: int, locate_many: LocateMany, names: dict[str, int]
) -> tuple[np.ndarray, ...] | None:
    """Of the pairs `first`, `first + 1`, ... (`gold`: their gold entities): each side's label
    codes and units, and each prediction's strict, boundary, type and partial credit (type
    and partial: beyond the exact pairs)."""
    pred = entity_arrays([pred for _, pred in pairs], names)
    if not all(np.all(side.start >= 0) and np.all(side.start < side.end) for side in (gold, pred)):
        return None
    strict_gold, strict_pred = exact_pairs(gold, pred, by_label=True)
    boundary_gold, boundary_pred = exact_pairs(gold, pred, by_label=False)
    typed = _left_credit(gold, pred, strict_gold, strict_pred, len(names), "type")
    partial = _left_credit(gold, pred, boundary_gold, boundary_pred, 1, "partial")
    if typed is None or partial is None:
        return None
    return (
        gold.label,
        locate_many(gold.group + first, gold.start),
        pred.label,
        locate_many(pred.group + first, pred.start),
        strict_pred.astype(np.float64),
        boundary_pred.astype(np.float64),
        typed,
        partial,
    )


def entity_arrays(documents: Sequence[Document], names: dict[str, int]) -> GroupedSpans:
    """The entities of `documents` (group = the document's index), labels coded by `names`
    (label → code, new labels added)."""
    found = derived(documents, "entities", _entity_columns)
    label = coded(found, "label", names)  # tables list their labels sorted
    return GroupedSpans(found["group"], found["start"], found["end"], label)


def _entity_columns(documents: Sequence[Document]) -> Arrays:
    entities, columns = chained_spans([document.entities for document in documents])
    return {**columns, **label_columns("label", [entity.type for entity in entities])}


def exact_pairs(gold: GroupedSpans, pred: GroupedSpans, by_label: bool) -> tuple[np.ndarray, np.ndarray]:
    """Which gold spans and which predictions are paired one to one with a span of the other
    side of the same group, start and end (and label when `by_label`): per key, the first
    min(gold count, pred count) of each side."""
    columns = [np.concatenate([getattr(gold, name), getattr(pred, name)]) for name in ("group", "start", "end")]
    if by_label:
        columns.append(np.concatenate([gold.label, pred.label]))
    key = row_key(columns)
    n_gold = len(gold.start)
    order = np.argsort(key, kind="stable")  # per key, its gold spans first, then its predictions
    ordered = key[order]
    starts_key = np.ones(len(ordered), dtype=bool)
    starts_key[1:] = ordered[1:] != ordered[:-1]
    first = np.flatnonzero(starts_key)
    group = np.cumsum(starts_key) - 1
    is_pred = order >= n_gold
    gold_count = np.bincount(group[~is_pred], minlength=len(first))
    pred_count = np.bincount(group[is_pred], minlength=len(first))
    pairs = np.minimum(gold_count, pred_count)
    position = np.arange(len(ordered)) - first[group]  # gold spans at 0.., predictions after them
    paired_in_order = np.where(is_pred, position - gold_count[group], position) < pairs[group]
    paired = np.empty(len(ordered), dtype=bool)
    paired[order] = paired_in_order
    return paired[:n_gold], paired[n_gold:]


def _left_credit(
    gold: GroupedSpans, pred: GroupedSpans, gold_paired: np.ndarray, pred_paired: np.ndarray, n_labels: int, match: str
) -> np.ndarray | None:
    """The credit of each prediction from matching what exact pairing left, under `match`
    (`type`: per label; `partial`: labels ignored); 0 for the paired ones."""
    credit = np.zeros(len(pred.start))
    gold_left, pred_left = np.flatnonzero(~gold_paired), np.flatnonzero(~pred_paired)
    if not len(gold_left) or not len(pred_left):
        return credit
    groups = [gold.take(gold_left), pred.take(pred_left)]
    if match == "type":  # a group per pair and label
        groups = [GroupedSpans(side.group * n_labels + side.label, side.start, side.end, side.label) for side in groups]
    left = overlap_credit(groups[0], groups[1], match)
    if left is None:
        return None
    credit[pred_left] = left
    return credit


def overlap_credit(gold: GroupedSpans, pred: GroupedSpans, match: str) -> np.ndarray | None:
    """The credit of each prediction from `matched(gold of its group, pred of its group,
    match)`, for spans of which no gold span and prediction of a group have the same extent
    (what exact pairing leaves); labels are not looked at (one per group under `type`).
    None when the groups and offsets do not fit a composite key."""
    if not len(gold.start) or not len(pred.start):
        return np.zeros(len(pred.start))
    stride = int(max(gold.end.max(initial=0), pred.end.max(initial=0))) + 1
    n_groups = int(max(gold.group.max(initial=0), pred.group.max(initial=0))) + 1
    if n_groups * stride >= KEY_LIMIT:
        return None
    # Offsets made unique across groups: a span's group × stride + offset.
    gold_start, gold_end = gold.group * stride + gold.start, gold.group * stride + gold.end
    pred_start, pred_end = pred.group * stride + pred.start, pred.group * stride + pred.end
    # Spans of the other side that overlap each span: those that start before its end, less
    # those that end at or before its start (every span of an earlier group among both).
    gold_overlaps = np.searchsorted(np.sort(pred_start), gold_end) - np.searchsorted(
        np.sort(pred_end), gold_start, side="right"
    )
    pred_overlaps = np.searchsorted(np.sort(gold_start), pred_end) - np.searchsorted(
        np.sort(gold_end), pred_start, side="right"
    )
    # Clusters: runs of spans (both sides, by start) each overlapping the extent so far.
    starts, ends = np.concatenate([gold_start, pred_start]), np.concatenate([gold_end, pred_end])
    order = np.argsort(starts, kind="stable")
    reach = np.maximum.accumulate(ends[order])
    in_order = np.concatenate([[0], np.cumsum(starts[order][1:] >= reach[:-1])])
    cluster = np.empty(len(starts), dtype=np.int64)
    cluster[order] = in_order
    gold_cluster, pred_cluster = cluster[: len(gold_start)], cluster[len(gold_start) :]
    contested = np.zeros(int(in_order[-1]) + 1, dtype=bool)
    contested[gold_cluster[gold_overlaps >= 2]] = True
    credit = np.where(pred_overlaps > 0, category_credit(_OVERLAP_CATEGORY[match], match), 0.0)
    pred_contested = contested[pred_cluster]
    if pred_contested.any():
        gold_contested = np.flatnonzero(contested[gold_cluster])
        pred_in = np.flatnonzero(pred_contested)
        credit[pred_in] = _contested_credit(gold, pred, gold_contested, pred_in, gold_cluster, pred_cluster, match)
    return credit


def _contested_credit(
    gold: GroupedSpans,
    pred: GroupedSpans,
    gold_in: np.ndarray,
    pred_in: np.ndarray,
    gold_cluster: np.ndarray,
    pred_cluster: np.ndarray,
    match: str,
) -> np.ndarray:
    """The credit of the predictions `pred_in` from nervaluate's pass (`matched_left`) on
    each of their clusters."""
    # `matched_left` wants each side sorted, by (start, end) here: the labels are not
    # compared, and the spans of one extent are alike (same group and unit).
    gold_in = gold_in[np.lexsort((gold.end[gold_in], gold.start[gold_in], gold_cluster[gold_in]))]
    order = np.lexsort((pred.end[pred_in], pred.start[pred_in], pred_cluster[pred_in]))
    pred_in = pred_in[order]
    gold_clusters, pred_clusters = gold_cluster[gold_in], pred_cluster[pred_in]
    credit = np.zeros(len(pred_in))  # in sorted order
    # A batch of clusters at a time: a file of millions of overlapping predictions never holds
    # a `LabeledSpan` for each of them at once (the peak stays that of the arrays).
    cuts = np.unique(pred_clusters[::_CLUSTER_BATCH])
    gold_bounds = [*np.searchsorted(gold_clusters, cuts).tolist(), len(gold_in)]
    pred_bounds = [*np.searchsorted(pred_clusters, cuts).tolist(), len(pred_in)]
    for batch in range(len(cuts)):
        gold_batch = gold_in[gold_bounds[batch] : gold_bounds[batch + 1]]
        first, stop = pred_bounds[batch], pred_bounds[batch + 1]
        gold_by_cluster: dict[int, list[LabeledSpan]] = {}
        columns = (gold_cluster[gold_batch].tolist(), gold.start[gold_batch].tolist(), gold.end[gold_batch].tolist())
        for cluster, start, end in zip(*columns, strict=True):
            gold_by_cluster.setdefault(cluster, []).append(LabeledSpan(start, end, "", ""))
        pred_batch = pred_in[first:stop]
        pred_by_cluster: dict[int, list[LabeledSpan]] = {}
        columns = (pred_cluster[pred_batch].tolist(), pred.start[pred_batch].tolist(), pred.end[pred_batch].tolist())
        for index, (cluster, start, end) in enumerate(zip(*columns, strict=True), start=first):
            # Its place in the sorted `pred_in` as its id, to credit it back.
            pred_by_cluster.setdefault(cluster, []).append(LabeledSpan(start, end, "", f"{index:09d}"))
        for cluster, preds in pred_by_cluster.items():
            for category, span, side in matched_left(gold_by_cluster[cluster], preds, match):
                if side == "pred":
                    credit[int(span.id)] = category_credit(category, match)
    result = np.zeros(len(pred_in))
    result[order] = credit
    return result
