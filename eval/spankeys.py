"""Matching keys of a whole corpus at once, on arrays: what the corpus-level counters share.

A key is a row of integer columns (the pair index first, so keys of different documents
never meet); both sides' keys are coded into one dense space (`key_codes`), and exact
matching is then counting (`exact_matches`): min(gold count, pred count) per key, as
`khabar.eval.matching.multiset_matches` gives per document. Overlap matching (`overlaps`)
lists every (gold, pred) pair of the same document that shares a character.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Sized
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

KEY_LIMIT = 1 << 62  # keys are combined in int64 while the product stays below this


Codes = tuple[np.ndarray, np.ndarray, int]  # gold codes, pred codes, number of distinct keys


def key_codes(columns: Sequence[np.ndarray], n_gold: int) -> Codes:
    """Codes of the keys made of `columns` (gold rows first, `n_gold` of them, then the
    predictions): equal keys get the same code, codes run from 0 to the number of distinct
    keys (returned third)."""
    code, size = _combined(columns, len(columns[0]) if columns else 0)
    code, size = _dense(code)
    return code[:n_gold], code[n_gold:], size


def nested_key_codes(columns: Sequence[np.ndarray], n_gold: int) -> tuple[Codes, Codes]:
    """`key_codes` of all `columns` and of all but the last, from one sort: the distinct keys
    come sorted, so those that differ only in the last column are neighbours."""
    prefix, size = _combined(columns[:-1], len(columns[-1]))
    if size * _width(columns[-1])[1] >= KEY_LIMIT:
        prefix, size = _dense(prefix)
    last = np.asarray(columns[-1], dtype=np.int64)
    low, width = _width(last)
    distinct, code = np.unique(prefix * width + (last - low), return_inverse=True)
    code = code.astype(np.int64, copy=False).reshape(-1)
    prefix_of_distinct = distinct // width
    new_prefix = np.ones(len(distinct), dtype=bool)
    new_prefix[1:] = prefix_of_distinct[1:] != prefix_of_distinct[:-1]
    coarse_of_distinct = np.cumsum(new_prefix) - 1
    coarse = coarse_of_distinct[code]
    n_coarse = int(coarse_of_distinct[-1]) + 1 if len(distinct) else 0
    return (code[:n_gold], code[n_gold:], len(distinct)), (coarse[:n_gold], coarse[n_gold:], n_coarse)


def group_index(groups: Sequence[Sized]) -> np.ndarray:
    """For the items of `groups` laid end to end, the index of the group of each (a span's
    document, of the documents' spans chained)."""
    sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    return np.repeat(np.arange(len(groups), dtype=np.int64), sizes)


def chained_spans(groups: Sequence[Sequence[Any]]) -> tuple[list[Any], dict[str, np.ndarray]]:
    """The spans of `groups` (each document's) laid end to end, and their columns: `group`
    (`group_index`), `start` and `end`."""
    spans = list(chain.from_iterable(groups))
    n = len(spans)
    return spans, {
        "group": group_index(groups),
        "start": np.fromiter([span.start for span in spans], dtype=np.int64, count=n),
        "end": np.fromiter([span.end for span in spans], dtype=np.int64, count=n),
    }


def row_key(columns: Sequence[np.ndarray]) -> np.ndarray:
    """One int64 per row of `columns` (all of one length), ordering as the rows do, first
    column first: equal rows get equal keys, and sorting by the key is a lexicographic sort."""
    return _combined(columns, len(columns[0]) if columns else 0)[0]


def _width(column: np.ndarray) -> tuple[int, int]:
    """The lowest value of `column` and the number of values from it to the highest."""
    if not len(column):
        return 0, 1
    low = int(column.min())
    return low, int(column.max()) - low + 1


def _combined(columns: Sequence[np.ndarray], n: int) -> tuple[np.ndarray, int]:
    """One int64 per row (`n` rows), equal for equal rows of `columns` (made dense where the
    product of the columns' widths would not fit), and the bound of its values."""
    code = np.zeros(n, dtype=np.int64)
    size = 1
    for column in columns:
        column = np.asarray(column, dtype=np.int64)
        low, width = _width(column)
        if size * width >= KEY_LIMIT:
            code, size = _dense(code)
        code = code * width + (column - low)
        size *= width
    return code, size


def _dense(code: np.ndarray) -> tuple[np.ndarray, int]:
    distinct, dense = np.unique(code, return_inverse=True)
    return dense.astype(np.int64, copy=False).reshape(-1), len(distinct)


@dataclass(frozen=True)
class ExactMatches:
    """The keys both sides share: for each, how many pairs (min of both sides' counts) and
    the row of the LAST prediction with that key (whose label and unit take the credit, as
    the per-document path's `positions` mapping keeps the last)."""

    count: np.ndarray
    last_pred: np.ndarray


def exact_matches(gold_codes: np.ndarray, pred_codes: np.ndarray, n_keys: int) -> ExactMatches:
    matched = np.minimum(np.bincount(gold_codes, minlength=n_keys), np.bincount(pred_codes, minlength=n_keys))
    keys = np.flatnonzero(matched)
    last = np.full(n_keys, -1, dtype=np.int64)
    np.maximum.at(last, pred_codes, np.arange(len(pred_codes), dtype=np.int64))
    return ExactMatches(matched[keys].astype(np.float64), last[keys])


def overlaps(
    gold: tuple[np.ndarray, np.ndarray, np.ndarray], pred: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Every (gold row, pred row) of the same pair whose spans share a character; each side
    is (pair index, start, end). Rows in gold-major order, then pred order."""
    gold_pair, gold_start, gold_end = gold
    pred_pair, pred_start, pred_end = pred
    if not len(gold_pair) or not len(pred_pair):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    # The prediction rows of each pair, as a range into the rows sorted by pair.
    order = np.argsort(pred_pair, kind="stable")
    n_pairs = int(max(gold_pair.max(), pred_pair.max())) + 1
    bounds = np.searchsorted(pred_pair[order], np.arange(n_pairs + 1))
    first, count = bounds[gold_pair], bounds[gold_pair + 1] - bounds[gold_pair]
    gold_rows = np.repeat(np.arange(len(gold_pair), dtype=np.int64), count)
    within = np.arange(len(gold_rows), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    pred_rows = order[np.repeat(first, count) + within]
    shared = np.minimum(gold_end[gold_rows], pred_end[pred_rows]) > np.maximum(
        gold_start[gold_rows], pred_start[pred_rows]
    )
    return gold_rows[shared], pred_rows[shared]


def lone_pairs(gold_rows: np.ndarray, pred_rows: np.ndarray, n_gold: int, n_pred: int) -> np.ndarray:
    """Which candidate pairs are the only candidate of both their gold and their prediction:
    a one-to-one pairing takes them whatever its preferences."""
    gold_alone = np.bincount(gold_rows, minlength=n_gold)[gold_rows] == 1
    pred_alone = np.bincount(pred_rows, minlength=n_pred)[pred_rows] == 1
    return gold_alone & pred_alone


def one_to_one(
    candidates: tuple[np.ndarray, np.ndarray],
    gold_pair: np.ndarray,
    pred_pair: np.ndarray,
    per_document: Callable[[int], list[tuple[int, int]]],
) -> tuple[np.ndarray, np.ndarray]:
    """The (gold row, pred row) pairs a one-to-one pairing of the `candidates` (overlapping
    rows) keeps. A candidate that is the only one of both its rows is kept whatever the
    pairing prefers; a document with any other candidate is paired by `per_document(pair
    index)`, which gives (gold, pred) positions among that document's rows. Rows are grouped
    by document, in order (`gold_pair` and `pred_pair` sorted)."""
    gold_rows, pred_rows = candidates
    lone = lone_pairs(gold_rows, pred_rows, len(gold_pair), len(pred_pair))
    if lone.all():
        return gold_rows, pred_rows
    tangled = np.unique(gold_pair[gold_rows[~lone]])
    untangled = ~np.isin(gold_pair[gold_rows], tangled)
    found_gold, found_pred = [gold_rows[untangled]], [pred_rows[untangled]]
    gold_first = np.searchsorted(gold_pair, tangled).tolist()
    pred_first = np.searchsorted(pred_pair, tangled).tolist()
    for index, gold_offset, pred_offset in zip(tangled.tolist(), gold_first, pred_first, strict=True):
        matched = per_document(index)
        found_gold.append(np.array([gold_offset + gold for gold, _ in matched], dtype=np.int64))
        found_pred.append(np.array([pred_offset + pred for _, pred in matched], dtype=np.int64))
    return np.concatenate(found_gold), np.concatenate(found_pred)
