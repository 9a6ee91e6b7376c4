"""Signatures render as `key:value|key:value`: no value may contain the separator `|`,
or the rendered signature cannot be read back into its fields."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from khabar.refdate import RULE

REFERENCE = Path(__file__).resolve().parents[1] / "baselines" / "scores.json"


def _values(mapping: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in mapping.items():
        if isinstance(value, Mapping):
            yield from _values(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", str(value)


def test_no_signature_value_of_the_reference_holds_the_separator() -> None:
    systems = json.loads(REFERENCE.read_text(encoding="utf-8"))["systems"]
    signatures = [
        (system, layer, score["signature"]) for system, layers in systems.items() for layer, score in layers.items()
    ]
    assert signatures, "the reference holds no signature"
    offending = [
        (system, layer, key, value)
        for system, layer, signature in signatures
        for key, value in _values(signature)
        if "|" in value or "|" in key
    ]
    assert offending == []


def test_the_reference_date_rule_reads_as_one_field() -> None:
    assert "|" not in RULE and ":" not in RULE
