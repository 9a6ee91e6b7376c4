"""Corpus-level span counting (`khabar.eval.spancounts`) equals the per-document `Accumulator`.

The pieces every corpus-level counter is built from are checked here against what the
per-document path does with the same spans: locating many spans in their units at once
(`Units.locate_many` against `Units.locator`), and summing parts into tables
(`count_tables` against `Accumulator.add`)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.document import Document
from khabar.eval.harness import Units
from khabar.eval.layers import ALL, GOLD, PRED, TP, Accumulator
from khabar.eval.spancounts import Part, codes, count_tables
from tests.strategies import FIXTURE_SENTENCES as SENTENCES
from tests.strategies import sentence_corpora, sentence_document

documents = sentence_corpora()


@settings(max_examples=60, deadline=None)
@given(documents, st.data())
def test_locate_many_equals_the_locator_of_each_span(docs: list[Document], data: st.DataObject) -> None:
    units = Units(docs)
    spans = data.draw(
        st.lists(
            st.integers(0, len(docs) - 1).flatmap(lambda d: st.tuples(st.just(d), st.integers(0, len(docs[d].text))))
        )
    )
    pair_index = np.array([d for d, _ in spans], dtype=np.int64)
    offsets = np.array([offset for _, offset in spans], dtype=np.int64)
    expected = [units.locator(docs[d].id)(offset) for d, offset in spans]
    assert units.locate_many(pair_index, offsets).tolist() == expected


def test_locate_many_after_a_text_without_sentences() -> None:
    # An empty text has a unit but no sentence start: the units after it are still right.
    docs = [sentence_document(0, []), sentence_document(1, [0, 1]), sentence_document(2, [])]
    units = Units(docs)
    second = docs[1].text.index(SENTENCES[1])
    expected = [units.locator(docs[d].id)(offset) for d, offset in ((1, 0), (1, second), (2, 0), (0, 0))]
    assert expected == [1, 2, 3, 0]
    assert units.locate_many(np.array([1, 1, 2, 0]), np.array([0, second, 0, 0])).tolist() == expected


def test_locate_many_by_document_is_the_document_index() -> None:
    docs = [sentence_document(index, [index % 4, (index + 1) % 4]) for index in range(31)]
    units = Units(docs)
    assert units.by_document
    assert units.locate_many(np.array([0, 30, 7]), np.array([5, 0, 3])).tolist() == [0, 30, 7]


LABELS = ("PER", "ORG", "GPE", ALL)
cells = st.lists(
    st.tuples(
        st.sampled_from(("m1", "m2")),
        st.sampled_from((TP, PRED, GOLD)),
        st.sampled_from(LABELS),
        st.integers(0, 4),
        st.sampled_from((0.0, 0.5, 1.0, 2.0)),
    ),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(cells)
def test_count_tables_equal_the_accumulator(added: list[tuple[str, int, str, int, float]]) -> None:
    accumulator = Accumulator(5)
    accumulator.declare("m1", "first")
    accumulator.declare("m2", "second", kind="accuracy", match="x")
    declared = Accumulator(5)
    declared.declare("m1", "first")
    declared.declare("m2", "second", kind="accuracy", match="x")
    names: dict[str, int] = {}
    parts: dict[str, list[Part]] = {}
    for metric, column, label, unit, amount in added:
        accumulator.add(metric, label, unit, **{("tp", "pred", "gold")[column]: amount})
        parts.setdefault(metric, []).append(Part(column, codes([label], names), np.array([unit]), amount))
    expected = accumulator.tables()
    got = count_tables(declared, list(names), parts)
    assert got.keys() == expected.keys()
    for metric, table in expected.items():
        assert got[metric].labels == table.labels
        assert got[metric].counts.tolist() == table.counts.tolist()
        assert (got[metric].kind, got[metric].description, got[metric].settings) == (
            table.kind,
            table.description,
            table.settings,
        )


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["PER", "ORG", "GPE", "*", "شخص"])), st.lists(st.sampled_from(["ORG", "LOC", "*"])))
def test_codes_number_new_labels_in_the_order_they_come(labels: list[str], known: list[str]) -> None:
    names = {label: code for code, label in enumerate(dict.fromkeys(known))}
    expected_names = dict(names)
    expected = [expected_names.setdefault(label, len(expected_names)) for label in labels]
    assert codes(labels, names).tolist() == expected
    assert names == expected_names and list(names) == list(expected_names)
