"""The spans of one layer of a whole corpus as arrays, with the ones the flat view keeps.

`khabar.views.outermost` sorts each document's spans as tuples (three sorts) and walks them in
Python: over a corpus, hundreds of thousands of spans. Here the spans of all documents are read
once into arrays and put by one `lexsort` in the order `outermost` walks them (document, start,
end descending, label). A span is kept when the furthest end before it in its document falls
short of its end: one running maximum over the corpus, each document's ends lifted above those
of the documents before it. So the kept spans are `outermost`'s, document by document.

Labels are numbered in sorted order, so identical extents are kept as `outermost` keeps them
(the first label). Among spans with the same extent and label the id decides which one
`outermost` keeps; that decides nothing counted (the flat view tags extents and labels), so
the arrays carry no ids. `tests/test_eval_fast_paths.py` checks both against `outermost` and
`harness._duplicates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain
from operator import attrgetter

import numpy as np

from khabar.document import Document
from khabar.eval.goldarrays import Arrays, derived, pack_names, unpack_names
from khabar.eval.spankeys import group_index, row_key
from khabar.views import SPAN_PATHS


@dataclass(frozen=True)
class SpanArrays:
    """The spans of one layer of a list of documents, in the order (document, start, -end, label)."""

    document: np.ndarray  # int64, index of the span's document in the list
    start: np.ndarray  # int64
    end: np.ndarray  # int64
    label: np.ndarray  # int64, index in `names`
    names: tuple[str, ...]  # the layer's labels, sorted
    kept: np.ndarray  # bool: an outermost span (`khabar.views.outermost`)
    duplicate: np.ndarray  # bool: left out with the extent of a kept span (`harness._duplicates`)

    def duplicates(self) -> np.ndarray:
        """Indices of the duplicates in the order of each document's `layer_spans` (document,
        start, end, label), the order in which the per-document code listed them."""
        found = np.flatnonzero(self.duplicate)
        return found[np.lexsort((self.label[found], self.end[found], self.start[found], self.document[found]))]


def span_arrays(documents: Sequence[Document], layer: str) -> SpanArrays:
    """The spans of `layer` over `documents` as arrays, outermost ones and duplicates marked."""
    if layer not in SPAN_PATHS:
        raise ValueError(f"unknown layer {layer!r}")
    found = derived(documents, f"spans-{layer}", partial(_span_columns, layer=layer))
    return SpanArrays(
        found["document"],
        found["start"],
        found["end"],
        found["label"],
        unpack_names(found["names"]),
        found["kept"],
        found["duplicate"],
    )


def _span_columns(documents: Sequence[Document], layer: str) -> Arrays:
    start_path, end_path, label_path, _ = SPAN_PATHS[layer]
    items = [getattr(document, layer) for document in documents]
    flat = list(chain.from_iterable(items))
    n = len(flat)
    document = group_index(items)
    start = np.fromiter(map(attrgetter(start_path), flat), dtype=np.int64, count=n)
    end = np.fromiter(map(attrgetter(end_path), flat), dtype=np.int64, count=n)
    labels = list(map(attrgetter(label_path), flat))
    names = tuple(sorted(set(labels)))
    number = {name: index for index, name in enumerate(names)}
    label = np.fromiter(map(number.__getitem__, labels), dtype=np.int64, count=n)
    order = _walk_order(document, start, end, label, len(names))
    document, start, end, label = document[order], start[order], end[order], label[order]
    kept = _outermost(document, end)
    # A span left out has the extent of a kept span when the first span of its extent is kept
    # (spans of one extent are adjacent, and only the first of them can be kept).
    new_extent = np.ones(n, dtype=bool)
    new_extent[1:] = (document[1:] != document[:-1]) | (start[1:] != start[:-1]) | (end[1:] != end[:-1])
    first = np.maximum.accumulate(np.where(new_extent, np.arange(n), 0)) if n else np.zeros(0, dtype=np.int64)
    duplicate = ~kept & kept[first]
    return {
        "document": document,
        "start": start,
        "end": end,
        "label": label,
        "names": pack_names(names),
        "kept": kept,
        "duplicate": duplicate,
    }


def _walk_order(
    document: np.ndarray, start: np.ndarray, end: np.ndarray, label: np.ndarray, n_labels: int
) -> np.ndarray:
    """The order (document, start, end descending, label): one stable sort of one number made
    of the four (`spankeys.row_key`; spans mostly come in order, which a stable sort of
    integers goes through in one pass)."""
    return np.argsort(row_key([document, start, -end, label]), kind="stable")


def _outermost(document: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Whether each span (in `outermost`'s order) ends past every span before it in its document.

    `outermost` starts each document with a furthest end of -1; ends are lifted by `-low` so
    that -1 and every end are at least 0, then by a stride per document, so one running
    maximum over the corpus never carries a document's ends into the next one."""
    if not len(end):
        return np.zeros(0, dtype=bool)
    low = min(int(end.min()), -1)
    stride = int(end.max()) - low + 1
    key = document * stride + (end - low)
    before = np.empty_like(key)
    before[0] = 0  # no floor is below 0
    before[1:] = np.maximum.accumulate(key)[:-1]
    before = np.maximum(before, document * stride + (-1 - low))
    return before < key
