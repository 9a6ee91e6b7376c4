"""The JSON Schema of an annotation file, generated from the inventories.

`annotation.schema.json` beside this module is the committed copy (for docs and for
tools outside khabar); a test fails when it differs from `build_schema()`. Regenerate it
with `python -m khabar.schema`.

`build_schema(prediction=True)` is the same schema for a predicted document (a line of a
prediction file): only `id` is required at the top, annotation ids and span texts may be
left out, a timex may come without a value (extent only), optional fields may be null,
entity types are those of the tag set scored in, and an item (or event argument) may carry
a numeric `score` — the declared extension point of predictions.
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
    LAYERS,
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


def _span(extra: dict[str, Any] | None = None, required: tuple[str, ...] = (), *, text: bool = True) -> dict[str, Any]:
    """A span object; `text` says whether its text is required."""
    properties = {**(extra or {}), **_span_properties()}
    return {
        "type": "object",
        "properties": properties,
        "required": [*required, "start", "end", *(("text",) if text else ())],
        "additionalProperties": False,
    }


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, or null (an optional field a prediction may write as null); the keyword
    stays `enum` or `type`, so a fault keeps its one message."""
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    return {**schema, "type": [schema["type"], "null"]}


def _optional_span(extra: dict[str, Any]) -> dict[str, Any]:
    """A `ref` to another annotation, or a span of its own (which one is checked semantically)."""
    return {
        "type": "object",
        "properties": {**extra, **_span_properties()},
        "additionalProperties": False,
    }


def build_schema(*, prediction: bool = False, entity_types: tuple[str, ...] = tuple(ENTITY_TYPES)) -> dict[str, Any]:
    """The schema of an annotation, or with `prediction` of a predicted document whose entity
    types are `entity_types`."""
    identifier = {"type": "string", "minLength": 1}
    optional = _nullable if prediction else (lambda schema: schema)
    ids = () if prediction else ("id",)
    span_text = not prediction
    # The one extension point of a predicted item: a system's confidence, carried and never read.
    score: dict[str, Any] = {"score": {"type": "number"}} if prediction else {}
    header: dict[str, Any] = {
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
    }
    if prediction:  # a predicted document's header is the gold's: its hash is compared, the rest ignored
        header = {"id": header["id"], "text_sha256": {"type": "string"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "khabar standoff annotation",
        "description": "One document's annotation; offsets are code points into documents/<id>.txt, end exclusive.",
        "type": "object",
        "required": ["id"] if prediction else ["id", "text_sha256", "language", *LAYERS],
        "properties": {
            **header,
            "entities": {
                "type": "array",
                "items": _span(
                    {"id": identifier, "type": {"enum": list(entity_types)}, **score},
                    required=(*ids, "type"),
                    text=span_text,
                ),
            },
            "timex": {
                "type": "array",
                "items": _span(
                    {
                        "id": identifier,
                        "type": {"enum": list(TIMEX_TYPES)},
                        "value": optional({"type": "string"}),
                        "mod": optional({"enum": list(TIMEX_MODS)}),
                        "anchor": optional(identifier),
                        **score,
                    },
                    required=(*ids, "type") if prediction else ("id", "type", "value"),
                    text=span_text,
                ),
            },
            "events": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [*ids, "type", "trigger", *(() if prediction else ("arguments",))],
                    "properties": {
                        "id": identifier,
                        "type": {"enum": list(EVENT_TYPES)},
                        "trigger": _span(text=span_text),
                        "arguments": {
                            "type": "array",
                            "items": {
                                **_optional_span({"role": {"enum": list(EVENT_ROLES)}, "ref": identifier, **score}),
                                "required": ["role"],
                            },
                        },
                        "realis": optional({"enum": list(EVENT_REALIS)}),
                        **score,
                    },
                    "additionalProperties": False,
                },
            },
            "quotes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [*ids, "kind", "content"],
                    "properties": {
                        "id": identifier,
                        "kind": {"enum": list(QUOTE_KINDS)},
                        "content": _span(text=span_text),
                        "cue": optional(_span(text=span_text)),
                        "speaker": optional(_optional_span({"ref": identifier})),
                        **score,
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
