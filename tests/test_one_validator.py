"""One validator: a fault in a prediction line gets the very message (and JSON pointer) the
same fault gets in an annotation file, because both go through `khabar.validate`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from khabar.errors import InputError
from khabar.eval.predictions import read_predictions
from khabar.validate import check_annotation
from tests.eval_helpers import TEXT, Argument, Event, at, document, entity, span, timex

GOLD = document(
    entities=(entity(TEXT, "T1", "الرياض", "GPE"), entity(TEXT, "T2", "محمد بن سلمان", "PER")),
    timex=(timex(TEXT, "X1", "٢٤ نوفمبر", "DATE", "2025-11-24"),),
    events=(Event("E1", "Conflict:Attack", span(TEXT, "الهجوم"), (Argument("Place", ref="T1"),)),),
)
RIYADH = at(TEXT, "الرياض")


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


# One fault each, applied to the gold's JSON (an annotation) and to the same JSON read as a prediction.
FAULTS = {
    "start not before end": _set(("entities", 0, "end"), RIYADH[0]),
    "end beyond the text": _set(("entities", 0, "end"), len(TEXT) + 5),
    "negative start": _set(("entities", 0, "start"), -1),
    "text differs": _set(("entities", 0, "text"), "الرياضي"),
    "unknown entity type": _set(("entities", 0, "type"), "CITY"),
    "unknown timex type": _set(("timex", 0, "type"), "DAY"),
    "not a TimeML value": _set(("timex", 0, "value"), "garbage!!"),
    "unresolved ref": _set(("events", 0, "arguments", 0, "ref"), "T9"),
    "duplicate id": _set(("entities", 1, "id"), "T1"),
    "unknown role": _set(("events", 0, "arguments", 0, "role"), "Weapon!"),
    "offset not an integer": _set(("entities", 0, "start"), "28"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_fault_has_one_wording_in_annotations_and_predictions(fault, tmp_path) -> None:
    data = GOLD.to_json()
    FAULTS[fault](data)
    annotation_problems = check_annotation(data, TEXT)
    assert annotation_problems, fault
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_predictions(path, [GOLD])
    pointer, message = annotation_problems[0]
    assert str(error.value) == f"{path}:line 1: {pointer}: {message}"


def test_what_only_a_prediction_may_leave_out(tmp_path) -> None:
    """Ids and span texts are optional in a prediction; an annotation must have them."""
    line = {"id": GOLD.id, "entities": [{"start": RIYADH[0], "end": RIYADH[1], "type": "GPE"}]}
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    (pred,) = read_predictions(path, [GOLD])
    assert (pred.entities[0].id, pred.entities[0].text) == ("T1", "الرياض")
    annotation = {**GOLD.to_json(), "entities": line["entities"]}
    assert ("/entities/0", "missing field 'id'") in check_annotation(annotation, TEXT)
    assert ("/entities/0", "missing field 'text'") in check_annotation(annotation, TEXT)
