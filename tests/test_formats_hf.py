"""Round trips of the Hugging Face rows: Document → documents row → Document is identity,
in memory and through a parquet file; sentence rows carry the token view exactly."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from datasets import Dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.document import DCT, Argument, Document, Entity, Event, Quote, Span, Speaker, Timex
from khabar.errors import InputError
from khabar.formats.hf import (
    DOCUMENT_FEATURES,
    SENTENCE_FEATURES,
    document_to_row,
    row_tags,
    row_to_document,
    sentence_rows,
)
from khabar.inventories import ENTITY_TYPES, LAYERS, TAG_COLUMNS, iob2_tags
from khabar.store import dumps_annotation
from khabar.views import token_view
from tests.strategies import documents, spans_in

REPO = Path(__file__).resolve().parent.parent
SEED_TEXT = (REPO / "corpus" / "documents" / "doc-0001.txt").read_bytes().decode("utf-8")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


@st.composite
def varied_documents(draw: st.DrawFn) -> Document:
    """`documents()` plus what it leaves fixed: no DCT, free metadata, an empty speaker."""
    document = draw(documents())
    metadata = draw(st.dictionaries(st.sampled_from(["guidelines_version", "annotators", "notes"]), json_values))
    dct = draw(st.sampled_from([None, document.dct, DCT("XXXX", "unknown")]))
    source = draw(st.dictionaries(st.sampled_from(["url", "title", "origin"]), st.text(max_size=10)))
    quotes = document.quotes
    if quotes and draw(st.booleans()):
        quotes = (dataclasses.replace(quotes[0], speaker=Speaker()), *quotes[1:])
    return dataclasses.replace(document, metadata=metadata, dct=dct, source=source, quotes=quotes)


@st.composite
def seed_documents(draw: st.DrawFn) -> Document:
    """The seed article's real text with random nested entity spans over it."""
    spans = draw(spans_in(SEED_TEXT, 12))
    entities = tuple(
        Entity(f"T{index}", start, end, draw(st.sampled_from(sorted(ENTITY_TYPES))), SEED_TEXT[start:end])
        for index, (start, end) in enumerate(spans)
    )
    return Document(id="doc-0001", text=SEED_TEXT, dct=DCT("2025-12-01", "test"), entities=entities)


def through_parquet(documents_: list[Document], path: Path) -> list[Document]:
    rows = [document_to_row(document) for document in documents_]
    Dataset.from_list(rows, features=DOCUMENT_FEATURES).to_parquet(str(path))
    return [row_to_document(row) for row in pq.read_table(path).to_pylist()]


def handmade_document() -> Document:
    text = "قال 𝔸حمدٌ: «سنعود» في ١١ نوفمبر."
    return Document(
        id="doc-0009",
        text=text,
        dct=None,
        source={"url": "https://example.org/خبر"},
        entities=(Entity("T1", 4, 9, "PER", text[4:9]),),
        timex=(Timex("X1", 22, 31, "DATE", "XXXX-11-11", text[22:31]),),
        events=(
            Event(
                "E1",
                "Movement:Transport",
                Span(12, 17, text[12:17]),
                (Argument("Agent", ref="T1"), Argument("Time-Within", span=Span(22, 31, text[22:31]))),
            ),
        ),
        quotes=(Quote("Q1", "direct", Span(11, 18, text[11:18]), cue=Span(0, 3, text[0:3]), speaker=Speaker("T1")),),
        metadata={"guidelines_version": "0.1", "annotators": ["a1"]},
    )


def test_handmade_document_row_round_trip_keeps_none_fields():
    document = handmade_document()
    assert [document.entities[0].text, document.timex[0].text, document.quotes[0].content.text] == [
        "𝔸حمدٌ",
        "١١ نوفمبر",
        "«سنعود»",
    ]
    row = document_to_row(document)
    assert row["dct"] is None
    assert row["timex"][0]["mod"] is None and row["timex"][0]["anchor"] is None
    assert row["events"][0]["arguments"][0] == {"role": "Agent", "ref": "T1", "start": None, "end": None, "text": None}
    assert row["events"][0]["arguments"][1]["ref"] is None
    assert row["quotes"][0]["speaker"] == {"ref": "T1", "start": None, "end": None, "text": None}
    assert json.loads(row["metadata"]) == {"guidelines_version": "0.1", "annotators": ["a1"]}
    assert row_to_document(row) == document


def test_handmade_document_round_trips_through_parquet(tmp_path):
    document = handmade_document()
    assert through_parquet([document], tmp_path / "documents.parquet") == [document]


@settings(max_examples=80, deadline=None)
@given(varied_documents())
def test_document_row_round_trip_is_identity(document):
    back = row_to_document(document_to_row(document))
    assert back == document
    # Key order of source and metadata survives too: the annotation file is byte-identical.
    assert dumps_annotation(back) == dumps_annotation(document)


@settings(max_examples=80, deadline=None)
@given(varied_documents())
def test_document_json_round_trip_is_identity(document):
    text = json.dumps(document.to_json(), ensure_ascii=False)
    assert Document.from_json(json.loads(text), document.text) == document


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(varied_documents(), min_size=1, max_size=4))
def test_document_rows_round_trip_through_parquet(tmp_path, documents_):
    assert through_parquet(documents_, tmp_path / "documents.parquet") == documents_


@settings(max_examples=25, deadline=None)
@given(seed_documents())
def test_seed_document_round_trips(document):
    assert row_to_document(document_to_row(document)) == document
    assert Document.from_json(json.loads(json.dumps(document.to_json(), ensure_ascii=False)), document.text) == document


@pytest.mark.parametrize(
    "annotation_path", sorted((REPO / "corpus" / "annotations").glob("*.json")), ids=lambda path: path.stem
)
def test_corpus_annotation_round_trips(annotation_path):
    text = (REPO / "corpus" / "documents" / f"{annotation_path.stem}.txt").read_bytes().decode("utf-8")
    document = Document.from_json(json.loads(annotation_path.read_text(encoding="utf-8")), text)
    assert row_to_document(document_to_row(document)) == document


def test_row_with_altered_text_is_rejected():
    row = document_to_row(handmade_document())
    row["text"] = row["text"].replace("نوفمبر", "نوفمبرـ")
    with pytest.raises(InputError, match="text_sha256"):
        row_to_document(row)


def test_tag_columns_are_class_labels_from_the_inventories():
    for layer in LAYERS:
        feature = SENTENCE_FEATURES[TAG_COLUMNS[layer]].feature
        assert feature.names == list(iob2_tags(layer))
    assert SENTENCE_FEATURES["ner_tags"].feature.names[0] == "O"


@settings(max_examples=60, deadline=None)
@given(varied_documents())
def test_sentence_rows_carry_the_token_view(document):
    rows, collisions = sentence_rows(document)
    views, expected_collisions = token_view(document)
    assert collisions == expected_collisions
    assert [row["id"] for row in rows] == [view.id for view in views]
    for row, view in zip(rows, views, strict=True):
        assert row["doc_id"] == document.id
        offsets = zip(row["token_starts"], row["token_ends"], strict=True)
        assert row["tokens"] == [document.text[start:end] for start, end in offsets]
        assert document.text[row["start"] : row["end"]].startswith(row["tokens"][0])
        assert row_tags(row) == view.tags


def test_sentence_rows_of_handmade_document():
    rows, collisions = sentence_rows(handmade_document())
    assert collisions == []
    assert len(rows) == 1
    tags = row_tags(rows[0])
    tokens = rows[0]["tokens"]
    assert tokens[:4] == ["قال", "𝔸حمدٌ", ":", "«"]
    assert tags["entities"][:3] == ["O", "B-PER", "O"]
    assert tags["quotes"][3:6] == ["B-direct", "I-direct", "I-direct"]
    assert tags["events"][4] == "B-Movement:Transport"
    assert [tag for tag in tags["timex"] if tag != "O"] == ["B-DATE", "I-DATE"]
