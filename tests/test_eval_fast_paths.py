"""The faster scoring paths give exactly what the code they replaced gave.

The references below are the earlier code, kept here as written: span matching that sorts
by the dataclass order and always runs nervaluate, and seqeval tables built layer by layer
with one token view per layer and side, the outermost spans and duplicates of each document;
the chunks built straight from the spans (`khabar.eval.flatview`) are checked against the
chunks of `encode` of the string view, and the corpus's tokens against each text's. The
harness must agree with them on random document pairs, predicted spans that nest, cross,
repeat and share tokens included.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.document import Document, Entity, Event, Quote, Span, Timex
from khabar.errors import InputError
from khabar.eval import flatview, harness, spanarrays, spankeys
from khabar.eval import layers as L
from khabar.eval.bootstrap import Bootstrap
from khabar.eval.chunks import MODES, chunks, encode
from khabar.eval.matching import _STRATEGIES, MATCHES, Outcome, _to_nervaluate, category_credit, match_spans, matched
from khabar.eval.spanarrays import SpanArrays, span_arrays
from khabar.eval.spanmaps import same_span
from khabar.eval.tags import tag_count_tables
from khabar.inventories import LAYERS
from khabar.tokenize import text_tokens
from khabar.views import LabeledSpan, layer_spans, layer_view, outermost, token_view, token_view_by_layer
from tests.strategies import document_texts, documents

LABELS = st.sampled_from(["PER", "ORG", "GPE"])


PREPASS_KEY = {
    "strict": lambda span: (span.start, span.end, span.label),
    "boundary": lambda span: (span.start, span.end),
    "type": lambda span: (span.start, span.end, span.label),
    "partial": lambda span: (span.start, span.end),
}


def reference_match_spans(gold: list[LabeledSpan], pred: list[LabeledSpan], match: str) -> list[Outcome]:
    key = PREPASS_KEY[match]
    order = lambda span: (span.start, span.end, span.label, span.id)  # noqa: E731 - the dataclass order
    gold_left, pred_left = sorted(gold, key=order), sorted(pred, key=order)
    outcomes: list[Outcome] = []
    available = Counter(key(span) for span in gold_left)
    taken: Counter = Counter()
    rest_pred = []
    for span in pred_left:
        if available[key(span)] > taken[key(span)]:
            taken[key(span)] += 1
            outcomes.append(Outcome("correct", span, "pred"))
        else:
            rest_pred.append(span)
    rest_gold = []
    for span in gold_left:
        if taken[key(span)] > 0:
            taken[key(span)] -= 1
        else:
            rest_gold.append(span)
    _, indices = _STRATEGIES[match].evaluate(_to_nervaluate(rest_gold), _to_nervaluate(rest_pred), [])
    for category in ("correct", "incorrect", "partial", "spurious"):
        for _, index in getattr(indices, f"{category}_indices"):
            outcomes.append(Outcome(category, rest_pred[index], "pred"))
    for _, index in indices.missed_indices:
        outcomes.append(Outcome("missed", rest_gold[index], "gold"))
    return outcomes


@st.composite
def span_lists(draw: st.DrawFn) -> list[LabeledSpan]:
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, 12))
        spans.append(LabeledSpan(start, draw(st.integers(start + 1, 14)), draw(LABELS), f"S{draw(st.integers(0, 3))}"))
    return spans


@settings(max_examples=400, deadline=None)
@given(span_lists(), span_lists(), st.sampled_from(MATCHES))
def test_span_matching_equals_the_earlier_code(gold, pred, match):
    assert match_spans(gold, pred, match) == reference_match_spans(gold, pred, match)


@st.composite
def noisy_predictions(draw: st.DrawFn, gold: Document) -> Document:
    """Predictions on the gold text: spans anywhere (crossing, repeated, sharing tokens)."""
    text = gold.text

    def spans(limit: int) -> list[tuple[int, int]]:
        found = []
        for _ in range(draw(st.integers(0, limit))):
            start = draw(st.integers(0, len(text) - 1))
            found.append((start, draw(st.integers(start + 1, min(len(text), start + 30)))))
        if found and draw(st.booleans()):
            found.append(found[0])  # the same extent twice
        return found

    def piece(start: int, end: int) -> Span:
        return Span(start, end, text[start:end])

    entities = [Entity(f"P{i}", s, e, draw(LABELS), text[s:e]) for i, (s, e) in enumerate(spans(8))]
    entities += list(gold.entities[: draw(st.integers(0, len(gold.entities)))])
    timex = [Timex(f"X{i}", s, e, "DATE", "2025", text[s:e]) for i, (s, e) in enumerate(spans(3))]
    events = [Event(f"E{i}", "Conflict:Attack", piece(s, e)) for i, (s, e) in enumerate(spans(3))]
    quotes = [Quote(f"Q{i}", "direct", piece(s, e)) for i, (s, e) in enumerate(spans(2))]
    return Document(
        id=gold.id, text=text, entities=tuple(entities), timex=tuple(timex), events=tuple(events), quotes=tuple(quotes)
    )


@st.composite
def document_pairs(draw: st.DrawFn) -> list[tuple[Document, Document]]:
    pairs = []
    for number in range(draw(st.integers(1, 3))):
        gold = draw(documents(doc_id=f"doc-{number:04d}"))
        pairs.append((gold, draw(noisy_predictions(gold))))
    return pairs


def reference_unrepresentable(document: Document, layer: str, with_collisions: bool = True):
    spans = layer_spans(document, layer)
    kept = outermost(spans)
    kept_ids = {id(span) for span in kept}
    kept_extents = {(span.start, span.end) for span in kept}
    duplicates = [span for span in spans if id(span) not in kept_ids and (span.start, span.end) in kept_extents]
    if not with_collisions:
        return duplicates, []
    _, collisions = token_view(document, (layer,))
    colliding = {}
    for collision in collisions:
        original = next(
            (
                span
                for span in kept
                if span.id == collision.span.id
                and span.label == collision.span.label
                and span.start <= collision.span.start
                and collision.span.end <= span.end
            ),
            collision.span,
        )
        colliding[(original.start, original.end, original.label, original.id)] = original
    return duplicates, list(colliding.values())


@st.composite
def odd_extents(draw: st.DrawFn, document: Document) -> Document:
    """`document` with entities of any extent, empty, reversed or negative ones too (what the
    kept spans decide on comes before any check of the extents)."""
    extents = st.tuples(st.integers(-3, 14), st.integers(-3, 16))
    entities = [
        Entity(f"O{index}", start, end, draw(LABELS), "")
        for index, (start, end) in enumerate(draw(st.lists(extents, max_size=6)))
    ]
    return replace(document, entities=document.entities + tuple(entities))


def extents(arrays: SpanArrays, which: np.ndarray) -> list[tuple[int, int, str]]:
    """(start, end, label) of the spans `which` (indices or a mask) of `arrays`."""
    starts, ends, labels = arrays.start[which].tolist(), arrays.end[which].tolist(), arrays.label[which].tolist()
    return [(start, end, arrays.names[label]) for start, end, label in zip(starts, ends, labels, strict=True)]


@settings(max_examples=300, deadline=None)
@given(document_pairs(), st.data())
def test_span_arrays_keep_the_outermost_spans_and_find_the_duplicates(pairs, data):
    documents = [document for pair in pairs for document in pair]
    documents = [data.draw(odd_extents(document)) if data.draw(st.booleans()) else document for document in documents]
    for layer in LAYERS:
        arrays = span_arrays(documents, layer)
        duplicates = arrays.duplicates()
        assert (np.diff(arrays.document[duplicates]) >= 0).all()  # document after document
        for index, document in enumerate(documents):
            kept = outermost(layer_spans(document, layer))  # the flat view's, document by document
            assert extents(arrays, (arrays.document == index) & arrays.kept) == [span[:3] for span in kept]
            expected, _ = reference_unrepresentable(document, layer, with_collisions=False)
            in_document = duplicates[arrays.document[duplicates] == index]
            assert extents(arrays, in_document) == [span[:3] for span in expected]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(-3, 40), st.integers(-3, 40), st.integers(0, 2)), max_size=30))
def test_the_spans_are_walked_in_lexsort_order(rows):
    rows = sorted(rows, key=lambda row: row[0])  # as `span_arrays` reads them: document after document
    document, start, end, label = (np.array([row[k] for row in rows], dtype=np.int64) for k in range(4))
    expected = np.lexsort((label, -end, start, document))  # the reference: four keys, stable
    for limit in (spankeys.KEY_LIMIT, 1):  # one key, and made dense at every column when it would not fit
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(spankeys, "KEY_LIMIT", limit)
            assert spanarrays._walk_order(document, start, end, label, 3).tolist() == expected.tolist()


def reference_seqeval_tables(layer, pairs, units):
    """The earlier per-layer tables (without the false positives of duplicates, compared apart)."""
    gold_sequences, pred_sequences, unit_index = [], [], []
    for gold, pred in pairs:
        gold_view, _ = token_view(gold, (layer,))
        pred_view, _ = token_view(pred, (layer,))
        for gold_sentence, pred_sentence in zip(gold_view, pred_view, strict=True):
            gold_sequences.append(gold_sentence.tags[layer])
            pred_sequences.append(pred_sentence.tags[layer])
            unit_index.append(units.of_sentence(gold.id, gold_sentence.sentence.index))
    return tag_count_tables(gold_sequences, pred_sequences, units=np.asarray(unit_index, dtype=np.int64))


@settings(max_examples=150, deadline=None)
@given(document_pairs())
def test_one_token_view_per_document_gives_the_per_layer_tables(pairs):
    units = harness.Units([gold for gold, _ in pairs])
    warnings: list[str] = []
    tables = harness._seqeval_tables(LAYERS, pairs, units, None, "khabar", warnings)
    expected_warnings: list[str] = []
    for layer in LAYERS:
        reference = reference_seqeval_tables(layer, pairs, units)
        extra, n_duplicates, n_collisions = [], 0, 0
        for gold, pred in pairs:
            duplicates, colliding = reference_unrepresentable(pred, layer)
            assert (duplicates, colliding) == harness.unrepresentable_spans(pred, layer)
            locate = units.locator(gold.id)
            extra += [(locate(span.start), span.label) for span in duplicates]
            n_duplicates, n_collisions = n_duplicates + len(duplicates), n_collisions + len(colliding)
        reference = harness._add_false_positives(reference, extra, units.n)
        for table in reference.values():
            got = tables[layer][table.name]
            assert got.labels == table.labels
            assert np.array_equal(got.counts[: table.counts.shape[0]], table.counts)
            assert not got.counts[table.counts.shape[0] :].any()
        if n_duplicates or n_collisions:
            expected_warnings.append(f"{n_duplicates + n_collisions} predicted span(s) of the {layer} layer")
    assert [warning[: len(expected)] for warning, expected in zip(warnings, expected_warnings, strict=True)] == (
        expected_warnings
    )


@settings(max_examples=200, deadline=None)
@given(documents(), st.sampled_from([LAYERS, ("timex",), ("quotes", "entities")]))
def test_the_view_by_layer_is_the_view_of_each_layer(document, layers):
    views, collisions = token_view_by_layer(document, layers)
    assert views == token_view(document, layers)[0]
    for layer in layers:
        single, single_collisions = token_view(document, (layer,))
        assert [view.tags[layer] for view in views] == [view.tags[layer] for view in single]
        assert collisions[layer] == single_collisions


def reference_resample(bootstrap: Bootstrap, counts: np.ndarray) -> np.ndarray:
    n_units = counts.shape[0]
    flat = counts.reshape(n_units, -1).astype(np.float64)
    sums = [block.astype(np.float64) @ flat for block in bootstrap.weights(n_units)]
    return np.concatenate(sums).reshape(bootstrap.n, *counts.shape[1:])


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 40), st.integers(1, 250), st.integers(0, 3), st.booleans())
def test_weights_drawn_once_resample_as_weights_drawn_per_table(n_units, n, seed, stratified):
    strata = tuple(unit % 3 for unit in range(n_units)) if stratified else ()
    bootstrap = Bootstrap(n, seed, strata)
    rng = np.random.default_rng(seed)
    tables = [rng.integers(0, 5, size=(n_units, 2, 3)) / 2 for _ in range(3)]
    for table in tables + tables:  # the second round reuses the weights
        assert np.array_equal(bootstrap.resample(table), reference_resample(Bootstrap(n, seed, strata), table))
    assert len(bootstrap._drawn) == 1


def string_view_codes(documents: list[Document], layer: str, labels: dict[str, int]):
    """The codes `encode` gives the string view of `layer`, document after document."""
    sequences = [tags for document in documents for tags in layer_view(document, layer)[0]]
    return encode(sequences, labels)


@settings(max_examples=200, deadline=None)
@given(document_pairs())
def test_chunks_equal_those_of_the_encoded_string_view(pairs):
    golds, preds = [gold for gold, _ in pairs], [pred for _, pred in pairs]
    corpus = flatview.CorpusTokens.of([gold.text for gold in golds])
    for layer in LAYERS:
        labels: dict[str, int] = {}
        gold_chunks = flatview.layer_chunks(golds, layer, corpus, labels)
        pred_chunks = flatview.layer_chunks(preds, layer, corpus, labels)
        names, gold_found, pred_found = flatview.in_order_of_appearance(gold_chunks, pred_chunks, labels)
        reference_labels: dict[str, int] = {}
        for side, found in ((golds, gold_found), (preds, pred_found)):
            reference = string_view_codes(side, layer, reference_labels)
            assert corpus.sequence.tolist() == reference.sequence.tolist()
            for mode in MODES:
                expected = chunks(reference, mode)
                assert found[mode].start.tolist() == expected.start.tolist()
                assert found[mode].end.tolist() == expected.end.tolist()
                assert found[mode].label.tolist() == expected.label.tolist()
        assert names == tuple(reference_labels)
        for index, pred in enumerate(preds):
            assert pred_chunks.collisions.get(index, []) == layer_view(pred, layer)[1]


@settings(max_examples=300, deadline=None)
@given(st.lists(document_texts | st.sampled_from(["", " ", ".", "»", "\n", "٣", "٣.٥", "؟» ”"]), max_size=6))
def test_the_corpus_is_tokenized_as_its_texts_one_by_one(texts):
    corpus = flatview.CorpusTokens.of(texts)
    shift, sentence = 0, 0
    sequence: list[int] = []
    for index, text in enumerate(texts):
        alone = text_tokens(text)  # the reference: the text tokenized by itself
        begin, end = corpus.token_offset[index], corpus.token_offset[index + 1]
        assert (corpus.starts[begin:end] - shift).tolist() == alone.starts.tolist()
        assert (corpus.ends[begin:end] - shift).tolist() == alone.ends.tolist()
        assert corpus.sentence_counts[index] == alone.n_sentences
        assert corpus.char_offset[index] == shift and corpus.text_length[index] == len(text)
        for length in np.diff(alone.bounds).tolist():
            sequence += [sentence] * length
            sentence += 1
        shift += len(text) + 1
    assert corpus.token_offset[-1] == corpus.n_tokens
    assert corpus.sequence.tolist() == sequence
    assert corpus.bounds.tolist() == [*np.flatnonzero(np.diff(sequence, prepend=-1)).tolist(), len(sequence)]


def test_a_document_whose_spans_share_a_token_takes_the_string_view():
    text = "نص اختبار قصير للتجربة فقط"  # a test fixture, not news
    gold = Document(id="doc-0001", text=text, entities=(Entity("T1", 0, 9, "PER", text[0:9]),))
    pred = replace(gold, entities=(Entity("P1", 0, 5, "PER", text[0:5]), Entity("P2", 4, 14, "ORG", text[4:14])))
    corpus = flatview.CorpusTokens.of([text, text])
    found = flatview.layer_chunks([gold, pred], "entities", corpus, {})
    assert list(found.collisions) == [1] and len(found.collisions[1]) == 1
    warnings: list[str] = []
    tables = harness._seqeval_tables(("entities",), [(gold, pred)], harness.Units([gold]), None, "khabar", warnings)
    assert warnings and "1 sharing tokens" in warnings[0]
    reference = reference_seqeval_tables("entities", [(gold, pred)], harness.Units([gold]))
    assert np.array_equal(tables["entities"]["seqeval-IOB2-strict"].counts, reference["strict"].counts)


@pytest.mark.parametrize(
    "entity",
    [
        Entity("P1", 0, 2, "-PER", "نص"),  # a label no IOB2 tag can carry
        Entity("P1", 20, 90, "PER", ""),  # a span past the end of its text
    ],
)
def test_what_the_codes_cannot_decide_goes_to_the_string_view(entity):
    text = "نص اختبار قصير للتجربة فقط"  # a test fixture, not news
    gold = Document(id="doc-0001", text=text, entities=(Entity("T1", 0, 9, "PER", text[0:9]),))
    pairs = [(gold, replace(gold, entities=(entity,)))]
    units = harness.Units([gold])

    def outcome(function):
        try:
            return function(("entities",), pairs, units, None, "khabar", [])
        except InputError as error:
            return str(error)

    assert harness._coded_seqeval_tables(("entities",), pairs, units) is None
    got, expected = outcome(harness._seqeval_tables), outcome(harness._tagged_seqeval_tables)
    assert type(got) is type(expected)
    if isinstance(expected, str):
        assert got == expected
    else:
        assert got["entities"]["seqeval-IOB2-strict"].labels == expected["entities"]["seqeval-IOB2-strict"].labels


def test_a_prediction_on_another_text_goes_to_the_string_view():
    text = "نص اختبار قصير للتجربة فقط"  # a test fixture, not news
    gold = Document(id="doc-0001", text=text)
    pairs = [(gold, replace(gold, text=text + " ثم"))]
    assert harness._coded_seqeval_tables(("entities",), pairs, harness.Units([gold])) is None


def reference_add_entities(acc, gold, pred, locate):
    """The earlier entity counts: every match through `matched`, label group by label group."""
    gold_by_label, pred_by_label = {}, {}
    for spans, groups in ((gold, gold_by_label), (pred, pred_by_label)):
        for span in spans:
            groups.setdefault(span.label, []).append(span)
    labels = sorted(gold_by_label.keys() | pred_by_label.keys())
    by_label = [(label, gold_by_label.get(label, []), pred_by_label.get(label, [])) for label in labels]
    for match in MATCHES:
        metric = f"span-{match}"
        groups = [(L.ALL, gold, pred)] if match in ("boundary", "partial") else by_label
        for label, gold_group, pred_group in groups:
            for span in gold_group:
                acc.add(metric, label, locate(span.start), gold=1)
            for category, span, side in matched(gold_group, pred_group, match):
                if side == "pred":
                    acc.add(metric, label, locate(span.start), tp=category_credit(category, match), pred=1)


def reference_add_events(acc, gold_keys, pred_keys, locate):
    for metric in L.EVENT_METRICS:
        for _, label, position in gold_keys[metric]:
            acc.add(metric, label, locate(position), gold=1)
        positions = {}
        for key, label, position in pred_keys[metric]:
            acc.add(metric, label, locate(position), pred=1)
            positions[key] = (label, position)
        found = Counter(key for key, _, _ in gold_keys[metric]) & Counter(key for key, _, _ in pred_keys[metric])
        for key, count in found.items():
            label, position = positions[key]
            acc.add(metric, label, locate(position), tp=count)


def same_tables(add, reference_add, declare, gold_items, pred_items, locate):
    got, expected = L.Accumulator(4), L.Accumulator(4)
    declare(got)
    declare(expected)
    add(got, gold_items, pred_items, locate)
    reference_add(expected, gold_items, pred_items, locate)
    got_tables, expected_tables = got.tables(), expected.tables()
    assert list(got_tables) == list(expected_tables)
    for name, table in expected_tables.items():
        assert got_tables[name].labels == table.labels
        assert np.array_equal(got_tables[name].counts, table.counts)


@settings(max_examples=400, deadline=None)
@given(span_lists(), span_lists(), st.booleans())
def test_entity_counts_equal_the_earlier_code(gold, pred, by_sentence):
    locate = (lambda offset: min(offset // 4, 3)) if by_sentence else (lambda offset: 2)
    same_tables(L.add_entities, reference_add_entities, L.declare_entities, gold, pred, locate)


@settings(max_examples=150, deadline=None)
@given(document_pairs(), st.booleans())
def test_entity_and_event_counts_of_documents_equal_the_earlier_code(pairs, by_sentence):
    locate = (lambda offset: min(offset // 30, 3)) if by_sentence else (lambda offset: 1)
    for gold, pred in pairs:
        gold_spans, pred_spans = L.entity_spans(gold, same_span), L.entity_spans(pred, same_span)
        same_tables(L.add_entities, reference_add_entities, L.declare_entities, gold_spans, pred_spans, locate)
        gold_keys, pred_keys = L.event_keys(gold, same_span), L.event_keys(pred, same_span)
        same_tables(L.add_events, reference_add_events, L.declare_events, gold_keys, pred_keys, locate)
