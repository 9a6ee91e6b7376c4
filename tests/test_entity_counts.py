"""The corpus-level entity counter (`khabar.eval.entitycounts`) equals `layers.add_entities`.

Random multi-document corpora, dense with what makes span matching hard: nested, crossing,
repeated and identical-extent spans, labels from the inventory and foreign ones (which a
projected tag set drops), missing predictions, empty documents; sentence units below 30
documents and document units from 30. The per-document path is the reference: exact
pairing with `Counter`s and nervaluate (`matching.matched`) for what is left.
"""

from __future__ import annotations

from dataclasses import replace
from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.document import Document, Entity
from khabar.eval import entitycounts
from khabar.eval.entitycounts import GroupedSpans, count_entities, overlap_credit
from khabar.eval.harness import Units, project_document
from khabar.eval.layers import SPAN_LAYERS, Accumulator
from khabar.eval.matching import category_credit, matched
from khabar.eval.results import CountTable
from khabar.eval.spanmaps import same_span
from khabar.inventories import ENTITY_TYPES, TAGSET_PROJECTIONS
from khabar.views import LabeledSpan
from tests.eval_helpers import assert_same_tables
from tests.strategies import sentence_corpora

LABELS = (*sorted(ENTITY_TYPES), "MISC", "OTHER")  # the last two are not khabar's


@st.composite
def annotated(draw: st.DrawFn, document: Document, labels: list[str]) -> tuple[Document, Document | None]:
    """`document` with gold entities, and its prediction (None: not predicted). Both sides
    draw their extents from one small pool, so exact, nested, crossing and repeated spans
    are common."""
    if not document.text:
        return document, None if draw(st.booleans()) else document
    length = len(document.text)
    extent = st.integers(0, length - 1).flatmap(lambda start: st.tuples(st.just(start), st.integers(start + 1, length)))
    pool = draw(st.lists(extent, min_size=1, max_size=6))

    def entities(prefix: str) -> tuple[Entity, ...]:
        drawn = draw(st.lists(st.tuples(st.sampled_from(pool), st.sampled_from(labels)), max_size=8))
        return tuple(
            Entity(f"{prefix}{index}", start, end, label, document.text[start:end])
            for index, ((start, end), label) in enumerate(drawn)
        )

    gold = replace(document, entities=entities("T"))
    if draw(st.booleans()) and draw(st.booleans()):
        return gold, None
    return gold, replace(document, entities=entities("P"))


@st.composite
def corpora(draw: st.DrawFn, min_size: int = 1, max_size: int = 6) -> list[tuple[Document, Document]]:
    """(gold, pred) pairs as the harness makes them: projected to a tag set, an empty
    prediction for a document not predicted."""
    documents = draw(sentence_corpora(min_size, max_size))
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=3, unique=True))
    tagset = draw(st.sampled_from(sorted(TAGSET_PROJECTIONS)))
    pairs = []
    for document in documents:
        gold, pred = draw(annotated(document, labels))
        pred = pred or replace(gold, entities=())
        pairs.append((project_document(gold, tagset), project_document(pred, tagset)))
    return pairs


def per_document(pairs: list[tuple[Document, Document]], units: Units) -> dict[str, CountTable]:
    rules = SPAN_LAYERS["entities"]
    accumulator = Accumulator(units.n)
    rules.declare(accumulator)
    for gold, pred in pairs:
        rules.add(accumulator, rules.items(gold, same_span), rules.items(pred, same_span), units.locator(gold.id))
    return accumulator.tables()


def assert_counted_alike(pairs: list[tuple[Document, Document]]) -> None:
    units = Units([gold for gold, _ in pairs])
    declared = Accumulator(units.n)
    SPAN_LAYERS["entities"].declare(declared)
    assert_same_tables(count_entities(pairs, units.locate_many, declared), per_document(pairs, units))


@settings(max_examples=300, deadline=None)
@given(corpora())
def test_entity_tables_equal_the_per_document_ones(pairs: list[tuple[Document, Document]]) -> None:
    assert_counted_alike(pairs)


@settings(max_examples=150, deadline=None)
@given(corpora(), st.integers(1, 8))
def test_entity_tables_counted_in_batches_of_pairs_are_the_same(
    pairs: list[tuple[Document, Document]], batch_spans: int
) -> None:
    # A huge file is counted a few pairs at a time (bounded memory): tiny batches, down to
    # one pair each, must give the per-document tables too.
    with patch.object(entitycounts, "_BATCH_SPANS", batch_spans):
        assert_counted_alike(pairs)


@settings(max_examples=25, deadline=None)
@given(corpora(min_size=30, max_size=34))
def test_entity_tables_equal_the_per_document_ones_by_document(pairs: list[tuple[Document, Document]]) -> None:
    assert Units([gold for gold, _ in pairs]).by_document
    assert_counted_alike(pairs)


# What exact pairing leaves, in one group: no gold span and prediction with the same extent.
extents = st.lists(st.integers(0, 11).flatmap(lambda start: st.tuples(st.just(start), st.integers(start + 1, 12))))


@settings(max_examples=400, deadline=None)
@given(extents, extents, st.sampled_from(("type", "partial")))
def test_overlap_credit_is_nervaluates(gold: list[tuple[int, int]], pred: list[tuple[int, int]], match: str) -> None:
    pred = [extent for extent in pred if extent not in gold]
    got = overlap_credit(_arrays(gold), _arrays(pred), match)
    expected: dict[int, float] = {}
    gold_spans = [LabeledSpan(start, end, "L", f"g{index}") for index, (start, end) in enumerate(gold)]
    pred_spans = [LabeledSpan(start, end, "L", f"p{index}") for index, (start, end) in enumerate(pred)]
    for category, span, side in matched(gold_spans, pred_spans, match):
        if side == "pred":
            expected[span.start] = expected.get(span.start, 0.0) + category_credit(category, match)
    credit: dict[int, float] = {}
    for (start, _), amount in zip(pred, np.asarray(got).tolist(), strict=True):
        credit[start] = credit.get(start, 0.0) + amount
    assert {start: amount for start, amount in credit.items() if amount} == {
        start: amount for start, amount in expected.items() if amount
    }


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(extents, extents), min_size=1, max_size=4),
    st.sampled_from(("type", "partial")),
    st.integers(1, 3),
)
def test_contested_clusters_matched_in_batches_give_the_same_credit(
    groups: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]], match: str, batch: int
) -> None:
    # Clusters are matched a batch at a time (bounded memory on a huge file): batches of a
    # few predictions must credit exactly what one batch of all of them credits.
    sides = []
    for side in (0, 1):
        spans = [(index, start, end) for index, group in enumerate(groups) for start, end in group[side]]
        if side == 1:
            spans = [span for span in spans if (span[1], span[2]) not in groups[span[0]][0]]
        sides.append(
            GroupedSpans(
                *(np.array([span[k] for span in spans], dtype=np.int64) for k in range(3)),
                np.zeros(len(spans), dtype=np.int64),
            )
        )
    whole = overlap_credit(sides[0], sides[1], match)
    with patch.object(entitycounts, "_CLUSTER_BATCH", batch):
        batched = overlap_credit(sides[0], sides[1], match)
    assert np.asarray(batched).tolist() == np.asarray(whole).tolist()


def test_overlap_credit_follows_the_order_where_it_decides() -> None:
    # The gold span overlaps both predictions: the first (in order) takes it, the second
    # finds nothing left; the prediction in its own cluster takes its gold span.
    gold = _arrays([(0, 10), (20, 25)])
    pred = _arrays([(6, 12), (0, 4), (22, 30)])
    assert overlap_credit(gold, pred, "partial").tolist() == [0.0, 0.5, 0.5]
    assert overlap_credit(gold, pred, "type").tolist() == [0.0, 1.0, 1.0]


def _arrays(extents: list[tuple[int, int]]) -> GroupedSpans:
    starts = np.array([start for start, _ in extents], dtype=np.int64)
    ends = np.array([end for _, end in extents], dtype=np.int64)
    return GroupedSpans(np.zeros(len(extents), dtype=np.int64), starts, ends, np.zeros(len(extents), dtype=np.int64))
