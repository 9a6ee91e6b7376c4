"""Reading a document-level prediction line builds the very documents the earlier reader built.

The reader makes each span from the parsed line directly, with shared offsets, span texts,
labels and default ids (`eval/predictions.py` `_DocumentReader.read`); the earlier code is
kept here as the reference, and both read random valid prediction lines (ids and span texts
present or not, scores, refs, anchors, cues and speakers).
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from sys import intern
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.document import Argument, Document, Entity, Event, Quote, Span, Speaker, Timex
from khabar.errors import InputError
from khabar.eval.predictions import _DefaultIds, _DocumentReader, _Line, load_predictions
from khabar.validate import default_id
from tests.strategies import prediction_records


def earlier_read(record: dict, gold: Document) -> tuple[Document, bool]:
    """The document (and whether a timex had no value) as the reader built it before."""
    text = gold.text
    texts: dict[tuple[int, int], str] = {}
    valueless = False

    def span_text(item: dict) -> str:
        extent = (item["start"], item["end"])
        found = texts.get(extent)
        if found is None:
            found = texts[extent] = text[extent[0] : extent[1]]
        return found

    def span(item: dict) -> Span:
        return Span(item["start"], item["end"], span_text(item))

    def reference(item: dict) -> dict[str, Any]:
        return {"ref": intern(item["ref"])} if "ref" in item else {"span": span(item)}

    def identifier(item: dict, layer: str, index: int) -> str:
        return intern(item["id"]) if "id" in item else intern(default_id(layer, index))

    entities = tuple(
        Entity(identifier(item, "entities", index), item["start"], item["end"], intern(item["type"]), span_text(item))
        for index, item in enumerate(record.get("entities", []))
    )
    timexes = []
    for index, item in enumerate(record.get("timex", [])):
        valueless = valueless or item.get("value") is None
        timexes.append(
            Timex(
                identifier(item, "timex", index),
                item["start"],
                item["end"],
                intern(item["type"]),
                item.get("value") or "",
                span_text(item),
                mod=item.get("mod"),
                anchor=item.get("anchor"),
            )
        )
    events = tuple(
        Event(
            identifier(item, "events", index),
            intern(item["type"]),
            span(item["trigger"]),
            tuple(Argument(intern(a["role"]), **reference(a)) for a in item.get("arguments") or []),
            item.get("realis"),
        )
        for index, item in enumerate(record.get("events", []))
    )
    quotes = tuple(
        Quote(
            identifier(item, "quotes", index),
            intern(item["kind"]),
            span(item["content"]),
            span(item["cue"]) if item.get("cue") is not None else None,
            Speaker(**reference(item["speaker"])) if item.get("speaker") is not None else None,
        )
        for index, item in enumerate(record.get("quotes", []))
    )
    document = Document(id=gold.id, text=text, entities=entities, timex=tuple(timexes), events=events, quotes=quotes)
    return document, valueless


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(prediction_records(), min_size=1, max_size=3), st.booleans())
def test_a_line_reads_as_the_earlier_reader_read_it(cases, drop_values):
    default_ids = _DefaultIds()  # shared by the lines of a file
    for record, text in cases:
        if drop_values:
            for item in record.get("timex", []):
                item.pop("value", None)
        gold = Document(id=record["id"], text=text)
        reader = _DocumentReader(_Line(Path("p.jsonl"), 1), gold, "khabar", default_ids)
        assert (reader.read(record), reader.valueless) == earlier_read(record, gold)


def test_spans_share_their_offsets_texts_and_default_ids(tmp_path):
    text = "ذهب زيد إلى القاهرة ثم عاد زيد"
    gold = [Document(id=f"doc-{n}", text=text) for n in (1, 2)]
    line = {"entities": [{"start": 4, "end": 7, "type": "PER"}, {"start": 4, "end": 7, "type": "ORG"}]}
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps({"id": d.id, **line}) + "\n" for d in gold), encoding="utf-8")
    first, second = load_predictions(path, gold).documents
    a, b = first.entities
    assert (a.text, a.id, b.id) == ("زيد", "T1", "T2")
    assert a.text is b.text and a.start is b.start and a.end is second.entities[0].end
    assert a.id is second.entities[0].id


def test_reading_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    gold = [Document(id="doc-1", text="ذهب زيد")]
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"id": "doc-1", "entities": [{"start": 4, "end": 7, "type": "PER"}]}) + "\n")
    assert gc.isenabled()
    load_predictions(path, gold)
    assert gc.isenabled()
    gc.disable()
    try:
        load_predictions(path, gold)
        assert not gc.isenabled()
    finally:
        gc.enable()
    path.write_text('{"id": "doc-1", "entities": [{"start": 4}]}\n')
    with pytest.raises(InputError):
        load_predictions(path, gold)
    assert gc.isenabled()
