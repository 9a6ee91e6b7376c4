"""The JSON Schema of an annotation file, generated from the inventories.

`annotation.schema.json` beside this module is the committed copy (for docs and for
tools outside khabar); a test fails when it differs from `build_schema()`. Regenerate it
with `python -m khabar.schema`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from khabar.inventories import (
    ENTITY_TYPES,
    EVENT_REALIS,
    EVENT_ROLES,
    EVENT_TYPES,
    QUOTE_KINDS,
    TIMEX_MODS,
    TIMEX_TYPES,
)

SCHEMA_PATH = Path(__file__).with_name("annotation.schema.json")
SCHEMA_ID = "https://khabar.invalid/schema/annotation.schema.json"


def _span_properties() -> dict[str, Any]:
    return {
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 0},
        "text": {"type": "string"},
    }


def _span(extra: dict[str, Any] | None = None, required: tuple[str, ...] = ()) -> dict[str, Any]:
    properties = {**(extra or {}), **_span_properties()}
    return {
        "type": "object",
        "properties": properties,
        "required": [*required, "start", "end", "text"],
        "additionalProperties": False,
    }


def _optional_span(extra: dict[str, Any]) -> dict[str, Any]:
    """A `ref` to another annotation, or a span of its own (which one is checked semantically)."""
    return {
        "type": "object",
        "properties": {**extra, **_span_properties()},
        "additionalProperties": False,
    }


def build_schema() -> dict[str, Any]:
    identifier = {"type": "string", "minLength": 1}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "khabar standoff annotation",
        "description": "One document's annotation; offsets are code points into documents/<id>.txt, end exclusive.",
        "type": "object",
        "required": ["id", "text_sha256", "language", "entities", "timex", "events", "quotes"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$"},
            "text_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "language": {"type": "string", "minLength": 2},
            "dct": {
                "type": "object",
                "properties": {"value": {"type": "string"}, "provenance": {"type": "string", "minLength": 1}},
                "required": ["value", "provenance"],
                "additionalProperties": False,
            },
            "source": {"type": "object", "additionalProperties": {"type": "string"}},
            "entities": {
                "type": "array",
                "items": _span(
                    {"id": identifier, "type": {"enum": list(ENTITY_TYPES)}},
                    required=("id", "type"),
                ),
            },
            "timex": {
                "type": "array",
                "items": _span(
                    {
                        "id": identifier,
                        "type": {"enum": list(TIMEX_TYPES)},
                        "value": {"type": "string"},
                        "mod": {"enum": list(TIMEX_MODS)},
                        "anchor": identifier,
                    },
                    required=("id", "type", "value"),
                ),
            },
            "events": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "type", "trigger", "arguments"],
                    "properties": {
                        "id": identifier,
                        "type": {"enum": list(EVENT_TYPES)},
                        "trigger": _span(),
                        "arguments": {
                            "type": "array",
                            "items": {
                                **_optional_span({"role": {"enum": list(EVENT_ROLES)}, "ref": identifier}),
                                "required": ["role"],
                            },
                        },
                        "realis": {"enum": list(EVENT_REALIS)},
                    },
                    "additionalProperties": False,
                },
            },
            "quotes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "kind", "content"],
                    "properties": {
                        "id": identifier,
                        "kind": {"enum": list(QUOTE_KINDS)},
                        "content": _span(),
                        "cue": _span(),
                        "speaker": _optional_span({"ref": identifier}),
                    },
                    "additionalProperties": False,
                },
            },
        },
        # Further top-level keys (guidelines_version, annotators, notes) are kept as metadata.
        "additionalProperties": True,
    }


def schema_json() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


def load_schema() -> dict[str, Any]:
    return build_schema()
