"""The corpus-level counters of the events, timex and quotes layers give exactly the tables of
the per-document path (`SPAN_LAYERS[layer]` into an `Accumulator`).

Random multi-document corpora: predictions made of the gold's own items (repeated, shuffled,
with a type, role, kind or value changed, an extent moved, a cue or speaker dropped) mixed
with another random document's items on the same text, so keys repeat within and across
events, a `ref` may point at another mention or at none, contents of different kinds
overlap, and whole predictions are missing; sentence units below `DOCUMENT_UNITS_FROM`
documents and document units from there on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.document import Argument, Document, Event, Quote, Span, Speaker, Timex
from khabar.eval import harness
from khabar.eval.eventcounts import count_events
from khabar.eval.harness import DOCUMENT_UNITS_FROM, Units
from khabar.eval.layers import SPAN_LAYERS, Accumulator
from khabar.eval.quotecounts import count_quotes
from khabar.eval.results import CountTable
from khabar.eval.spankeys import key_codes, nested_key_codes
from khabar.eval.spanmaps import same_span
from khabar.eval.timexcounts import count_timex
from tests.eval_helpers import assert_same_tables
from tests.strategies import FIXTURE_SENTENCES, documents

COUNTERS = {"events": count_events, "timex": count_timex, "quotes": count_quotes}

# Few labels and values, so that changed items still meet others with the same key.
TYPES = ("Conflict:Attack", "Contact:Meet")
ROLES = ("Attacker", "Place", "Time-Within")
VALUES = ("2025-11-24", "P10Y")
# A few test fixture sentences to a text: several units per document.
SENTENCE_TEXTS = st.lists(st.sampled_from(FIXTURE_SENTENCES), min_size=2, max_size=4).map(" ".join)
Change = Callable[[Any], Any]  # an item → a changed copy
EMPTY = {"entities": (), "timex": (), "events": (), "quotes": ()}


def _moved(draw: st.DrawFn, span: Span, text: str) -> Span:
    """`span`, or the same span one character shorter or longer at either end (within `text`)."""
    start = max(0, min(span.start + draw(st.sampled_from((0, 0, -1, 1))), len(text) - 1))
    end = max(start + 1, min(span.end + draw(st.sampled_from((0, 0, -1, 1))), len(text)))
    return Span(start, end, text[start:end])


def _moved_event(draw: st.DrawFn, event: Event, others: list[Event], text: str) -> Event:
    """`event` with another trigger (another event's, or any character): its arguments' keys
    elsewhere, in another unit."""
    start = draw(st.integers(0, len(text) - 1))
    anywhere = Span(start, start + 1, text[start])
    return replace(event, trigger=draw(st.sampled_from([anywhere, *(other.trigger for other in others)])))


def _changed_event(draw: st.DrawFn, event: Event, text: str) -> Event:
    """`event` with one thing changed: its type, a role, a ref (to another mention or to
    none), an argument's extent, or the order of its arguments."""
    change = draw(st.sampled_from(("type", "role", "ref", "extent", "order")))
    if change == "type":
        return replace(event, type=draw(st.sampled_from(TYPES)))
    if change == "order":
        return replace(event, arguments=event.arguments[::-1])
    arguments = list(event.arguments)
    if arguments:
        index = draw(st.integers(0, len(arguments) - 1))
        argument = arguments[index]
        if change == "role":
            argument = replace(argument, role=draw(st.sampled_from(ROLES)))
        elif change == "ref":
            argument = Argument(argument.role, ref=draw(st.sampled_from(("T0", "T9", "X0"))))
        elif argument.span is not None:
            argument = Argument(argument.role, span=_moved(draw, argument.span, text))
        arguments[index] = argument
    return replace(event, arguments=tuple(arguments))


def _changed_timex(draw: st.DrawFn, timex: Timex, text: str) -> Timex:
    extent = _moved(draw, Span(timex.start, timex.end, timex.text), text)
    return replace(
        timex,
        start=extent.start,
        end=extent.end,
        text=extent.text,
        type=draw(st.sampled_from((timex.type, "DATE", "DURATION"))),
        value=draw(st.sampled_from((timex.value, *VALUES))),
    )


def _changed_quote(draw: st.DrawFn, quote: Quote, text: str) -> Quote:
    speaker = draw(st.sampled_from((quote.speaker, None, Speaker(ref="T0"), Speaker(ref="T9"))))
    return replace(
        quote,
        kind=draw(st.sampled_from((quote.kind, "direct", "indirect"))),
        content=_moved(draw, quote.content, text),
        cue=draw(st.sampled_from((quote.cue, None))),
        speaker=speaker,
    )


@st.composite
def _items(draw: st.DrawFn, gold: tuple, other: tuple, change: Change, copy: Change | None = None) -> tuple:
    """Each gold item dropped, kept, kept twice, changed, or kept beside a `copy` of it; and
    some of another document's items; in a drawn order."""
    picked = []
    for item in gold:
        fate = draw(st.sampled_from(("drop", "keep", "twice", "change", "copy")))
        if fate in ("keep", "twice", "copy"):
            picked.append(item)
        if fate == "twice":
            picked.append(item)
        elif fate == "change" or (fate == "copy" and copy is None):
            picked.append(change(item))
        elif fate == "copy":
            picked.append(copy(item))
    picked += draw(st.lists(st.sampled_from(other), max_size=len(other))) if other else []
    return tuple(draw(st.permutations(picked)))


@st.composite
def _prediction(draw: st.DrawFn, gold: Document) -> Document:
    if draw(st.integers(0, 5)) == 0:
        return replace(gold, **EMPTY)  # what the harness scores for a missing prediction
    other = draw(documents(doc_id=gold.id, text=gold.text))
    text = gold.text
    events = draw(
        _items(
            gold.events,
            other.events,
            lambda event: _changed_event(draw, event, text),
            lambda event: _moved_event(draw, event, list(gold.events), text),
        )
    )
    timex = draw(_items(gold.timex, other.timex, lambda item: _changed_timex(draw, item, text)))
    quotes = draw(_items(gold.quotes, other.quotes, lambda quote: _changed_quote(draw, quote, text)))
    entities = draw(st.sampled_from((gold.entities, other.entities, ())))
    return replace(gold, entities=entities, timex=timex, events=events, quotes=quotes)


@st.composite
def corpora(draw: st.DrawFn) -> tuple[list[tuple[Document, Document]], Units]:
    """(gold, pred) pairs and their units: a few annotated documents, maybe an empty text; from
    `DOCUMENT_UNITS_FROM` documents on (the rest without annotations), documents are the units."""
    golds = [
        draw(documents(doc_id=f"doc-{index:04d}", text=draw(SENTENCE_TEXTS)))
        for index in range(draw(st.integers(1, 4)))
    ]
    if draw(st.booleans()):
        golds.insert(draw(st.integers(0, len(golds))), Document(id="doc-empty", text=""))
    if draw(st.integers(0, 3)) == 0:
        golds += [Document(id=f"doc-{index:04d}", text="نصٌّ قصير.") for index in range(len(golds), DOCUMENT_UNITS_FROM)]
    pairs = [(gold, draw(_prediction(gold)) if gold.text else replace(gold, **EMPTY)) for gold in golds]
    return pairs, Units(golds)


def per_document_tables(layer: str, pairs: list[tuple[Document, Document]], units: Units) -> dict[str, CountTable]:
    rules = SPAN_LAYERS[layer]
    accumulator = Accumulator(units.n)
    rules.declare(accumulator)
    for gold, pred in pairs:
        rules.add(accumulator, rules.items(gold, same_span), rules.items(pred, same_span), units.locator(gold.id))
    return accumulator.tables()


@pytest.mark.parametrize("layer", sorted(COUNTERS))
def test_the_harness_counts_the_layer_for_the_corpus(layer: str) -> None:
    assert harness._CORPUS_COUNTERS[layer] is COUNTERS[layer]


@pytest.mark.parametrize("layer", sorted(COUNTERS))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(corpus=corpora())
def test_corpus_counter_equals_the_per_document_path(
    layer: str, corpus: tuple[list[tuple[Document, Document]], Units]
) -> None:
    pairs, units = corpus
    declared = Accumulator(units.n)
    SPAN_LAYERS[layer].declare(declared)
    assert_same_tables(COUNTERS[layer](pairs, units.locate_many, declared), per_document_tables(layer, pairs, units))


# Columns of small and of very wide values: keys too wide for one int64 are made dense first.
key_columns = st.integers(1, 4).flatmap(
    lambda width: st.integers(0, 12).flatmap(
        lambda rows: st.lists(
            st.lists(st.integers(-3, 3) | st.integers(-(2**40), 2**40), min_size=rows, max_size=rows),
            min_size=width,
            max_size=width,
        )
    )
)


@settings(max_examples=200, deadline=None)
@given(key_columns, st.data())
def test_nested_key_codes_are_the_key_codes_of_both_keys(columns: list[list[int]], data: st.DataObject) -> None:
    arrays = [np.array(column, dtype=np.int64) for column in columns]
    n_gold = data.draw(st.integers(0, len(columns[0])))
    fine, coarse = nested_key_codes(arrays, n_gold)
    expected_fine = key_codes(arrays, n_gold)
    assert (fine[0].tolist(), fine[1].tolist(), fine[2]) == (
        expected_fine[0].tolist(),
        expected_fine[1].tolist(),
        expected_fine[2],
    )
    if len(arrays) > 1:
        expected_coarse = key_codes(arrays[:-1], n_gold)
        assert (coarse[0].tolist(), coarse[1].tolist(), coarse[2]) == (
            expected_coarse[0].tolist(),
            expected_coarse[1].tolist(),
            expected_coarse[2],
        )
    # Equal rows, and only those, share a code.
    rows = list(zip(*columns, strict=True))
    codes = np.concatenate(fine[:2]).tolist()
    assert all((codes[i] == codes[j]) == (rows[i] == rows[j]) for i in range(len(rows)) for j in range(len(rows)))
