"""The compiled schema check answers as jsonschema does, on valid documents and on every
kind of damage to them (a wrong type, a missing or extra key, a bad enum value, a negative
offset, an empty id, a pattern with a trailing newline)."""

from __future__ import annotations

import copy
import json
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.schema import build_schema
from khabar.schema.compiled import compile_check
from khabar.validate import _validator
from tests.strategies import documents, value_paths

REPLACEMENTS = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        -1,
        1.0,
        1.5,
        -0.5,
        "",
        "x",
        "x\n",
        "PER",
        "DATE",
        "direct",
        "actual",
        "Agent",
        [],
        {},
        [1],
        {"a": 1},
    ]
)
SCHEMAS = {
    "gold": (build_schema(), _validator()),
    "prediction": (build_schema(prediction=True), _validator(True)),
}
CHECKS = {name: compile_check(schema) for name, (schema, _) in SCHEMAS.items()}


@st.composite
def damaged(draw: st.DrawFn) -> dict[str, Any]:
    """A document's JSON (annotation or prediction shape), with a few values replaced, deleted or added."""
    record = draw(documents()).to_json()
    if draw(st.booleans()):  # the prediction shape: no header, items without ids or texts
        record = {key: value for key, value in record.items() if key in ("id", "entities", "timex", "events", "quotes")}
    record = copy.deepcopy(record)
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(value_paths(record)))
        if not path:
            continue
        parent = record
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(REPLACEMENTS)
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["score", "extra", "text", "ref", "value", "mod"]))] = draw(REPLACEMENTS)
    return record


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged(), st.sampled_from(sorted(SCHEMAS)))
def test_the_compiled_check_answers_as_jsonschema(record, name):
    _, validator = SCHEMAS[name]
    assert CHECKS[name](record) == (not any(validator.iter_errors(record)))


def test_the_published_annotations_pass(corpus_dir):
    paths = sorted((corpus_dir / "annotations").glob("*.json"))
    assert paths
    for path in paths:
        assert CHECKS["gold"](json.loads(path.read_text(encoding="utf-8"))), path


@pytest.mark.parametrize("schema", [{"oneOf": [{"type": "string"}]}, {"enum": [1, 2]}, {"$ref": "#/x"}])
def test_a_keyword_it_does_not_know_stops_compiling(schema):
    with pytest.raises(ValueError):
        compile_check(schema)


def test_a_dict_or_list_subclass_is_left_to_jsonschema():
    check = compile_check({"type": "object", "properties": {"a": {"type": "array", "items": {"type": "integer"}}}})
    assert check({"a": [1, 2]})
    assert not check(OrderedDict(a=[1]))

    class Items(list):
        pass

    assert not check({"a": Items(["x"])})
