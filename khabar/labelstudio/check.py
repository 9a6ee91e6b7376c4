"""Predictions are checked against the labeling config before upload.

The server accepts a prediction that does not fit the config and only logs it; the
annotator then sees nothing. `check_task` runs the SDK's own validator
(`LabelInterface.validate_prediction`) and adds what it does not look at: relation labels
(the SDK checks only that both ends exist) and span offsets against the task's text.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from khabar.errors import Problem
from khabar.labelstudio import config as c

INVALID_PREDICTION = "invalid-prediction"


@cache
def _interface(label_config: str) -> Any:
    # Deferred for start-up time: label-studio-sdk takes a second or more to import.
    from label_studio_sdk.label_interface import LabelInterface

    return LabelInterface(label_config)


def check_result(result: list[dict[str, Any]], text: str, label_config: str | None = None) -> list[str]:
    """Every way `result` does not fit the config or the text, as messages (empty when it fits)."""
    interface = _interface(label_config or c.label_config())
    errors: list[str] = []
    # The SDK returns region errors as strings and relation errors as lists of strings.
    for error in interface.validate_prediction({"result": result}, return_errors=True):
        errors += error if isinstance(error, list) else [error]
    for index, item in enumerate(result):
        if item.get("type") == "relation":
            unknown = [label for label in item.get("labels") or [] if label not in c.RELATION_LABELS]
            if unknown or not item.get("labels"):
                errors.append(f"Relation {index}: labels {item.get('labels')!r} are not relations of the config")
            continue
        value = item.get("value") or {}
        start, end = value.get("start"), value.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            errors.append(f"Region {index}: offsets [{start}, {end}) are not a span of the text (length {len(text)})")
        elif item.get("type") == "labels" and value.get("text") != text[start:end]:
            errors.append(f"Region {index}: text {value.get('text')!r} is not the text at [{start}, {end})")
    return errors


def check_task(task: dict[str, Any], label_config: str | None = None) -> list[Problem]:
    """Problems of every prediction of a task, located by document id and model version."""
    where = str(task["data"].get("doc_id", ""))
    problems = []
    for prediction in task.get("predictions", []):
        for message in check_result(prediction["result"], task["data"]["text"], label_config):
            problems.append(Problem(where, str(prediction.get("model_version", "")), message, INVALID_PREDICTION))
    return problems
