"""Span-metric count tables of a whole corpus at once, from arrays of spans.

`khabar.eval.layers` counts one document pair at a time into an `Accumulator`, a Python
object per span and per cell. On a large corpus that is most of scoring, so a layer may
also be counted for all pairs at once: its spans as arrays (pair index, offsets, label
codes), matched with array operations, and summed into the same tables here. The tables
must be exactly the `Accumulator`'s (same labels in the same order, same floats: counts are
whole or half, so any order of summing gives the same sums); `tests/test_span_counts.py`
holds every corpus-level counter to the per-document one.

A `Part` is what one `Accumulator.add`/`add_cells` call per span would add: a column (TP,
PRED or GOLD), and per span its label code, its unit and its amount. A label is listed in
a table when any part names it, whatever the amount, as an `Accumulator` lists a label
once anything was added to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from khabar.document import Document
from khabar.eval.layers import ALL, Accumulator
from khabar.eval.results import CountTable

# (pair index, character offset) of each span → its unit: `Units.locate_many`.
LocateMany = Callable[[np.ndarray, np.ndarray], np.ndarray]
Pairs = Sequence[tuple[Document, Document]]


@dataclass(frozen=True)
class Part:
    """Per span: the label code (into the layer's label names), the unit and the amount
    added to `column` of that cell; `amount` is one number for every span, or one each."""

    column: int
    label: np.ndarray
    unit: np.ndarray
    amount: np.ndarray | float = 1.0


def count_tables(declared: Accumulator, names: Sequence[str], parts: dict[str, list[Part]]) -> dict[str, CountTable]:
    """The count table of every metric `declared` (its kind, description and settings), from
    its `parts`; `names[code]` is the label of a label code (`ALL` included where used)."""
    tables = {}
    n_units = declared.n_units
    for metric, (kind, description, settings) in declared.meta.items():
        metric_parts = parts.get(metric, [])
        used = np.unique(np.concatenate([part.label for part in metric_parts] + [np.zeros(0, dtype=np.int64)]))
        labels = tuple(sorted(names[code] for code in used.tolist())) or (ALL,)
        column_of_code = np.full(len(names), -1, dtype=np.int64)
        for index, label in enumerate(labels):
            if label in names:
                column_of_code[list(names).index(label)] = index
        array = np.zeros((n_units, len(labels), 3))
        for part in metric_parts:
            if not len(part.label):
                continue
            flat = (part.unit * len(labels) + column_of_code[part.label]) * 3 + part.column
            amounts = np.broadcast_to(np.asarray(part.amount, dtype=np.float64), flat.shape)
            array += np.bincount(flat, weights=amounts, minlength=array.size).reshape(array.shape)
        tables[metric] = CountTable(metric, labels, array, kind, description, settings)
    return tables


def codes(labels: Sequence[str], names: dict[str, int]) -> np.ndarray:
    """The code of each label, new labels added to `names` (label → code) as they come."""
    # The few distinct labels are coded first, in the order they come; then every label is
    # looked up without a Python call per label (hundreds of thousands on a large corpus).
    for label in dict.fromkeys(labels):
        names.setdefault(label, len(names))
    return np.fromiter(map(names.__getitem__, labels), dtype=np.int64, count=len(labels))
