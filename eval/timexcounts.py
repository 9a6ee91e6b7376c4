"""The TempEval-3 timex tables of a whole corpus at once: `timex_spans` + `add_timex` on arrays.

Each side's timex become columns (pair index, extent, type and value codes, unit). The strict
extent is an exact key, matched by counting. The relaxed extent pairs overlapping spans one
to one: a gold span and a prediction that overlap nothing else of the other side are paired
whatever the preferences, so those pairs are read off the arrays; a document where some
span overlaps two or more is paired by `timex_pairs` itself (same value first, then exact
extent, larger overlap, position), as the per-document path does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from khabar.document import Document
from khabar.eval.goldarrays import Arrays, coded, derived, label_columns
from khabar.eval.layers import ALL, GOLD, PRED, TP, Accumulator, timex_pairs, timex_spans
from khabar.eval.results import CountTable
from khabar.eval.spancounts import LocateMany, Pairs, Part, count_tables
from khabar.eval.spankeys import chained_spans, exact_matches, key_codes, one_to_one, overlaps
from khabar.eval.spanmaps import same_span

_TYPE, _VALUE = attrgetter("type"), attrgetter("value")


@dataclass(frozen=True)
class TimexColumns:
    pair: np.ndarray
    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray  # TIMEX3 type code
    value: np.ndarray  # value code
    unit: np.ndarray  # the unit of the start


def timex_columns(
    documents: Sequence[Document], locate_many: LocateMany, kinds: dict[str, int], values: dict[str, int]
) -> TimexColumns:
    """The columns of `documents` (document i of pair i), in document order; types and values
    coded into `kinds` and `values`."""
    found = derived(documents, "timex", _timex_arrays)
    pair, start = found["group"], found["start"]
    return TimexColumns(
        pair,
        start,
        found["end"],
        coded(found, "type", kinds),
        coded(found, "value", values),
        locate_many(pair, start),
    )


def _timex_arrays(documents: Sequence[Document]) -> Arrays:
    items, columns = chained_spans([document.timex for document in documents])
    types, values = list(map(_TYPE, items)), list(map(_VALUE, items))
    return {**columns, **label_columns("type", types), **label_columns("value", values)}


def count_timex(pairs: Pairs, locate_many: LocateMany, declared: Accumulator) -> dict[str, CountTable]:
    """The tables `add_timex` gives for `pairs` (spans unmapped)."""
    kinds: dict[str, int] = {}
    values: dict[str, int] = {}
    gold = timex_columns([gold for gold, _ in pairs], locate_many, kinds, values)
    pred = timex_columns([pred for _, pred in pairs], locate_many, kinds, values)
    everything = {column: np.zeros(len(side.pair), dtype=np.int64) for column, side in (("gold", gold), ("pred", pred))}
    gold_codes, pred_codes, n_keys = key_codes(
        [
            np.concatenate([gold.pair, pred.pair]),
            np.concatenate([gold.start, pred.start]),
            np.concatenate([gold.end, pred.end]),
        ],
        len(gold.pair),
    )
    strict = exact_matches(gold_codes, pred_codes, n_keys)
    gold_rows, pred_rows = relaxed_rows(pairs, gold, pred)
    unit = pred.unit[pred_rows]
    label = np.zeros(len(unit), dtype=np.int64)
    same_value = (gold.value[gold_rows] == pred.value[pred_rows]).astype(np.float64)
    same_type = (gold.kind[gold_rows] == pred.kind[pred_rows]).astype(np.float64)
    counted = [Part(GOLD, everything["gold"], gold.unit), Part(PRED, everything["pred"], pred.unit)]
    parts = {
        "strict-extent": [
            *counted,
            Part(TP, np.zeros(len(strict.count), dtype=np.int64), pred.unit[strict.last_pred], strict.count),
        ],
        "relaxed-extent": [*counted, Part(TP, label, unit)],
        "value": [*counted, Part(TP, label, unit, same_value)],
        "type-accuracy": [Part(TP, label, unit, same_type), Part(PRED, label, unit), Part(GOLD, label, unit)],
        "value-accuracy": [Part(TP, label, unit, same_value), Part(PRED, label, unit), Part(GOLD, label, unit)],
    }
    return count_tables(declared, [ALL], parts)


def relaxed_rows(pairs: Pairs, gold: TimexColumns, pred: TimexColumns) -> tuple[np.ndarray, np.ndarray]:
    """The (gold row, pred row) of every relaxed match, as `timex_pairs` pairs them."""

    def per_document(index: int) -> list[tuple[int, int]]:
        gold_document, pred_document = pairs[index]
        return timex_pairs(timex_spans(gold_document, same_span), timex_spans(pred_document, same_span))

    candidates = overlaps((gold.pair, gold.start, gold.end), (pred.pair, pred.start, pred.end))
    return one_to_one(candidates, gold.pair, pred.pair, per_document)
