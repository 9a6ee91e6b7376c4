"""The quick yes for plainly valid predictions (`khabar.plain_prediction`) never says yes where
the full check (`khabar.validate._check_document`) finds a problem, and says yes to the
predictions khabar's own systems and readers write.

Random valid documents are written in the prediction shape (ids and span texts kept or left
out, scores added) and then damaged: values replaced, deleted or added anywhere, offsets
moved, ids repeated or made to clash with a default id, refs pointed at a mention of the
wrong layer or at nothing, TimeML values broken.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.eval.predictions import entity_labels
from khabar.inventories import TAGSET_PROJECTIONS
from khabar.plain_prediction import PlainPrediction
from khabar.schema import build_schema
from khabar.validate import _check_document, _compiled, check_prediction, plain_reader
from tests.strategies import prediction_items as _items
from tests.strategies import prediction_records as predicted
from tests.strategies import value_paths

REPLACEMENTS = st.sampled_from(
    [None, True, False, 0, -1, 3, 3.0, 1.5, "", "x", "T1", "X1", "E1", "DCT", "PER", "DATE", [], {}, ["T1"], {"a": 1}]
)
ENTITY_TYPES = tuple(sorted(entity_labels("khabar")))


@st.composite
def damaged(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    record, text = draw(predicted())
    for _ in range(draw(st.integers(0, 3))):
        paths = [path for path in value_paths(record) if path]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = record
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add", "shift", "id"]))
        if action == "replace":
            parent[path[-1]] = draw(REPLACEMENTS)
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            key = draw(st.sampled_from(["score", "extra", "text", "ref", "value", "mod", "anchor", "id", "start"]))
            parent[key] = draw(REPLACEMENTS)
        elif action == "shift" and path[-1] in ("start", "end") and isinstance(parent[path[-1]], int):
            parent[path[-1]] += draw(st.sampled_from([-1, 1, len(text)]))
        elif action == "id" and isinstance(parent, dict):
            taken = [item.get("id", "") for item in _items(record)]
            parent["id"] = draw(st.sampled_from(["T1", "T2", "X1", "E1", "Q1", "DCT", *taken]))
    if draw(st.booleans()) and isinstance(record.get("timex"), list) and record["timex"]:
        item = record["timex"][0]
        if isinstance(item, dict):
            item["value"] = draw(st.sampled_from(["2025-13-45", "PAST_REF", "", "XXXX"]))
    return record, text


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_a_yes_only_where_the_full_check_finds_nothing(case):
    record, text = case
    full = _check_document(record, text, prediction=True, entity_types=ENTITY_TYPES)
    if plain_reader(ENTITY_TYPES)(record, text):
        assert full == []
    assert check_prediction(record, text, entity_types=ENTITY_TYPES) == full


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(predicted())
def test_valid_predictions_take_the_quick_yes(case):
    record, text = case
    assert _check_document(record, text, prediction=True, entity_types=ENTITY_TYPES) == []
    assert plain_reader(ENTITY_TYPES)(record, text)


def test_the_quick_yes_is_on_for_every_tag_set():
    for tagset in TAGSET_PROJECTIONS:
        assert plain_reader(tuple(sorted(entity_labels(tagset)))).enabled, tagset


def test_a_schema_it_does_not_know_turns_it_off():
    schema = build_schema(prediction=True)
    entity = schema["properties"]["entities"]["items"]
    for change in (
        {"required": ["type", "start"]},
        {"additionalProperties": True},
        {"properties": {**entity["properties"], "confidence": {"type": "number"}}},
        {"properties": {**entity["properties"], "start": {"type": "integer"}}},
    ):
        changed = copy.deepcopy(schema)
        changed["properties"]["entities"]["items"] = {**entity, **change}
        assert not PlainPrediction(changed, _compiled(True)).enabled, change
        assert not PlainPrediction(changed, _compiled(True))({"id": "doc-0001"}, "نص")
