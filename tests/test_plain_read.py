"""A plainly valid prediction line is checked and read in one pass (`PlainPrediction.read`,
which `_DocumentReader.read` tries first) into the very document that the full check followed by
the general reader (`_DocumentReader._read`) gives, field types included; and the one pass takes
a line only where the full check (`khabar.validate._check_document`) finds no problem.

Lines are random valid predictions (`tests.strategies.prediction_records`) and the same damaged
as `tests/test_plain_prediction.py` damages them (values replaced, deleted or added anywhere,
offsets moved, ids repeated, refs broken, TimeML values broken).
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.document import Document, sha256_text
from khabar.eval.predictions import (
    _DefaultIds,
    _DocumentReader,
    _Line,
    load_predictions,
)
from khabar.inventories import EVENT_REALIS, EVENT_ROLES, EVENT_TYPES, LAYERS, TIMEX_MODS
from khabar.validate import _check_document
from tests.strategies import prediction_records, value_paths
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


# Values that break a field of an item (or a value of the right type that still fails a check:
# an id that repeats or is empty, a ref to the wrong layer, a bool or float offset).
BAD_VALUES: dict[str, list[Any]] = {
    "type": ["x", None, 5, ["PER"]],
    "kind": ["x", None],
    "role": ["x", None],
    "mod": ["x", 5],
    "realis": ["x", 5],
    "value": ["2025-13-45", "", 5],
    "anchor": ["X99", "T1", "E1", "", 5, ["X1"]],
    "id": ["", 5, None, "T1", "X1", "E1", "Q1"],
    "score": ["x", None, True, [1]],
    "start": [False, True, 1.0, -1, None],
    "end": [False, True, 2.0, 10**6, None],
    "text": ["x", 5, None],
    "ref": ["T99", "X1", "E1", "Q1", "", 5],
    "arguments": [None, {}, "x", [None], [{}]],
    "trigger": [None, [], "x", {"start": 0}],
    "content": [None, [], {"start": 0}],
    "cue": [[], "x", {"start": 0, "end": 1, "extra": 1}],
    "speaker": [[], "x", "ref", {}, {"ref": "T1", "start": 0}, {"ref": "T1", "extra": 1}],
    "extra": [1],
}


@st.composite
def damaged_field(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A valid line with one field of one object broken (`BAD_VALUES`), an object that has the
    field when there is one; or a ref-holder given a span too, or a span-holder a ref."""
    record, text = draw(prediction_records())
    objects = [
        value
        for path in value_paths(record)
        if path and path[0] in LAYERS and isinstance(value := value_at(record, path), dict)
    ]
    if not objects:
        return record, text
    key = draw(st.sampled_from([*BAD_VALUES, "ref and span"]))
    if key == "ref and span":
        target = draw(st.sampled_from([item for item in objects if "ref" in item] or objects))
        target.update({"start": 0, "end": 1} if "ref" in target else {"ref": "T1"})
        return record, text
    target = draw(st.sampled_from([item for item in objects if key in item] or objects))
    target[key] = draw(st.sampled_from(BAD_VALUES[key]))
    if key in ("start", "end"):
        target.pop("text", None)  # so that only the offset is wrong
    return record, text


def value_at(record: Any, path: tuple) -> Any:
    for part in path:
        record = record[part]
    return record


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(damaged(), damaged_whole(), damaged_field()))
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


FIXTURE_TEXT = "قال زيد في القاهرة يوم الأحد إن الاجتماع انتهى 😀"  # a test fixture, not news


def at(word: str) -> dict[str, Any]:
    start = FIXTURE_TEXT.index(word)
    return {"start": start, "end": start + len(word), "text": word}


def fixture_line() -> dict[str, Any]:
    """One line holding every field of every layer once: ids given and left out, scores, span
    texts given and left out, refs to each layer a ref may name, anchors, a cue, both kinds of speaker."""
    return {
        "id": "doc-0001",
        "entities": [
            {"id": "T1", "type": "PER", **at("زيد"), "score": 0.5},
            {"type": "LOC", **{k: v for k, v in at("القاهرة").items() if k != "text"}},
        ],
        "timex": [
            {"id": "X1", "type": "DATE", **at("الأحد"), "value": "XXXX-WXX-7", "mod": TIMEX_MODS[0], "anchor": "DCT"},
            {"id": "X9", "type": "DATE", **at("يوم"), "value": "PAST_REF", "anchor": "X1", "score": 1},
        ],
        "events": [
            {
                "id": "E1",
                "type": sorted(EVENT_TYPES)[0],
                "trigger": at("انتهى"),
                "realis": EVENT_REALIS[0],
                "score": 1,
                "arguments": [
                    {"role": EVENT_ROLES[0], "ref": "T1", "score": 0.5},
                    {"role": EVENT_ROLES[1], "ref": "X1"},
                    {"role": EVENT_ROLES[2], **at("الاجتماع")},
                ],
            }
        ],
        "quotes": [
            {"id": "Q1", "kind": "direct", "content": at("الاجتماع انتهى"), "cue": at("قال"), "speaker": {"ref": "T1"}},
            {"kind": "indirect", "content": at("انتهى"), "cue": None, "speaker": at("زيد")},
        ],
    }


HEADER_DAMAGES = (
    {"id": 5},
    {"id": "doc 1/"},
    {"text_sha256": "0" * 64},
    {"text_sha256": sha256_text(FIXTURE_TEXT + " ")},
    {"text_sha256": 5},
    {"dct": {"value": "2025-13-45", "provenance": "test fixture"}},
)
EXTRA_FIELDS = ({"extra": 1}, {"ref": "T1"}, {"start": 0, "end": 1}, {"text": "x"}, {"score": "x"}, {"id": ""})
GENERIC_BAD = [None, True, 0, -1, 1.5, "", "x", [], {}, ["T1"]]


def each_damage(line: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """`line` with one thing broken, for every field of every item: each value replaced by each
    of its bad values, each key deleted, a key added, each item replaced, a ref-holder given a span;
    and the header broken (an id not of the schema's form, a wrong hash, a DCT value that is not TimeML)."""
    for header in HEADER_DAMAGES:
        yield {**copy.deepcopy(line), **header}
    for path in value_paths(line):
        if not path or path[0] not in LAYERS:
            continue
        parent = value_at(line, path[:-1])
        key = path[-1]
        for bad in [*BAD_VALUES.get(str(key), []), *GENERIC_BAD]:
            damaged_line = copy.deepcopy(line)
            value_at(damaged_line, path[:-1])[key] = bad
            yield damaged_line
            if key in ("start", "end"):
                value_at(damaged_line, path[:-1]).pop("text", None)
                yield damaged_line
        if isinstance(parent, dict):
            damaged_line = copy.deepcopy(line)
            del value_at(damaged_line, path[:-1])[key]
            yield damaged_line
        value = value_at(line, path)
        if isinstance(value, dict):
            for extra in (
                {"extra": 1},
                {"ref": "T1"},
                {"start": 0, "end": 1},
                {"text": "x"},
                {"score": "x"},
                {"id": ""},
            ):
                damaged_line = copy.deepcopy(line)
                value_at(damaged_line, path).update(extra)
                yield damaged_line


def without_refs(line: dict[str, Any]) -> dict[str, Any]:
    """`line` with ids but no ref (arguments and speakers by span, anchors to DCT)."""
    line = copy.deepcopy(line)
    for event in line["events"]:
        event["arguments"] = [argument for argument in event["arguments"] if "ref" not in argument]
    line["quotes"][0]["speaker"] = at("زيد")
    for timex in line["timex"]:
        timex["anchor"] = "DCT"
    return line


def without_ids(line: dict[str, Any]) -> dict[str, Any]:
    """`line` with no id of its own: its refs (T1, X1) name items by their default ids."""
    line = copy.deepcopy(line)
    for layer in LAYERS:
        for item in line[layer]:
            item.pop("id", None)
    line["timex"][1]["anchor"] = "X1"
    return line


@pytest.mark.parametrize("shape", [lambda line: line, without_refs, without_ids], ids=["all", "no refs", "no ids"])
def test_every_field_broken_in_turn_is_never_taken_by_the_one_pass(shape):
    gold = Document(id="doc-0001", text=FIXTURE_TEXT)
    line = shape(fixture_line())
    assert one_pass(line, gold) == check_then_read(line, gold)
    n_doubts = 0
    for damaged_line in each_damage(line):
        found = one_pass(damaged_line, gold)
        if found is None:
            n_doubts += 1
        else:
            assert typed(found) == typed(check_then_read(damaged_line, gold)), damaged_line
    assert n_doubts > 500  # the damages mostly make lines the one pass doubts
