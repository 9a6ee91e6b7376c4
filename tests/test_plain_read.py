"""A plainly valid prediction line is checked and read in one pass (`PlainPrediction.read`,
which `_DocumentReader.read` tries first) into the very document that the full check followed by
the general reader (`_DocumentReader._read`) gives, field types included; and the one pass takes
a line only where the full check (`khabar.validate._check_document`) finds no problem.

Lines are random valid predictions (`tests.strategies.prediction_records`) and the same damaged
as `tests/test_plain_prediction.py` damages them (values replaced, deleted or added anywhere,
offsets moved, ids repeated, refs broken, TimeML values broken).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.document import Document, sha256_text
from khabar.eval.predictions import (
    _DefaultIds,
    _DocumentReader,
    _Line,
    load_predictions,
)
from khabar.inventories import LAYERS
from khabar.validate import _check_document
from tests.strategies import prediction_records
from tests.test_plain_prediction import ENTITY_TYPES, damaged

LINE = _Line(Path("p.jsonl"), 1)


def typed(value: Any) -> Any:
    """`value` with the type of every part spelled out, so `==` also tells `1` from `True` or `1.0`."""
    if dataclasses.is_dataclass(value):
        return (
            type(value),
            [(item.name, typed(getattr(value, item.name))) for item in dataclasses.fields(value)],
        )
    if isinstance(value, tuple | list):
        return (type(value), [typed(item) for item in value])
    if isinstance(value, dict):
        return (type(value), [(key, typed(item)) for key, item in value.items()])
    return (type(value), value)


def check_then_read(record: dict, gold: Document) -> tuple[Document, bool]:
    """The document (and whether a timex has no value) as the full check and the general reader give it."""
    reader = _DocumentReader(LINE, gold, "khabar", _DefaultIds())
    assert _check_document(record, gold.text, prediction=True, entity_types=ENTITY_TYPES) == []
    return reader._read(record), reader.valueless


def one_pass(record: dict, gold: Document) -> tuple[Document, bool] | None:
    """The same from the one pass, None where it has a doubt."""
    reader = _DocumentReader(LINE, gold, "khabar", _DefaultIds())
    items = reader.plain.read(record, gold.text, reader.default_ids)
    if items is None:
        return None
    document = reader.read(record)  # takes the one pass, as `items` shows
    return document, reader.valueless


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prediction_records(), st.booleans())
def test_a_valid_line_reads_in_one_pass_as_check_then_read(case, drop_values):
    record, text = case
    if drop_values:
        for item in record.get("timex", []):
            item.pop("value", None)
    gold = Document(id=record["id"], text=text)
    found = one_pass(record, gold)
    assert found is not None
    expected = check_then_read(record, gold)
    assert found == expected
    assert typed(found) == typed(expected)


@st.composite
def damaged_whole(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A damaged line (`damaged`), and often also a header or a whole layer damaged: a wrong
    `text_sha256` of the right form, a `dct` value that is not TimeML, a layer that is not a list."""
    record, text = draw(damaged())
    for _ in range(draw(st.integers(0, 2))):
        part = draw(st.sampled_from(["text_sha256", "dct", *LAYERS]))
        if part == "text_sha256":
            record[part] = draw(st.sampled_from(["0" * 64, sha256_text(text + " ")]))
        elif part == "dct":
            value = draw(st.sampled_from(["2025-13-45", "x", "2025-11-24"]))
            record[part] = {"value": value, "provenance": "test fixture"}
        else:
            record[part] = draw(st.sampled_from([{}, "", None, 0, {"start": 0}]))
    return record, text


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(damaged(), damaged_whole()))
def test_one_pass_takes_only_lines_the_full_check_passes(case):
    record, text = case
    gold = Document(id="doc-0001", text=text)
    found = one_pass(record, gold)
    if found is None:
        return
    expected = check_then_read(record, gold)  # asserts the full check finds no problem
    assert typed(found) == typed(expected)


def test_a_line_with_unaligned_spans_takes_the_one_pass(tmp_path):
    """`unaligned` is the reader's own key: the one pass reads the rest of the line."""
    text = "قال زيد: 😀 وصلنا"  # a non-BMP character in the text (test fixture)
    gold = [Document(id=f"doc-{n}", text=text) for n in (1, 2)]
    entities = [
        {"start": 4, "end": 7, "type": "PER", "text": "زيد"},
        {"start": 4, "end": 7, "type": "ORG"},
    ]
    unaligned = [{"layer": "entities", "type": "LOC", "text": "القاهرة", "at": 9}]
    lines = [
        {"id": "doc-1", "entities": entities, "unaligned": unaligned},
        {"id": "doc-2", "entities": entities},
    ]
    reader = _DocumentReader(LINE, gold[0], "khabar", _DefaultIds())
    assert reader.plain.read(lines[1], text, reader.default_ids) is not None
    path = tmp_path / "p.jsonl"
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
        encoding="utf-8",
    )
    predictions = load_predictions(path, gold)
    first, second = predictions.documents
    assert (first.entities, first.id) == (
        check_then_read(lines[1], gold[0])[0].entities,
        "doc-1",
    )
    assert second == check_then_read(lines[1], gold[1])[0]
    assert [(item.doc_id, item.text, item.at) for item in predictions.unaligned] == [("doc-1", "القاهرة", 9)]
