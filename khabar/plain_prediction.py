"""A quick yes for a plainly valid predicted document, so the full check runs only on doubt.

`khabar.validate.check_prediction` checks a predicted document (one line of a prediction
file) with the schema and then walks it again for offsets, ids, refs and TimeML values —
one function call per keyword and per check, for each of the millions of spans a large
prediction file may hold. Almost every line is valid, and that can be shown in one pass
over each layer's items with the checks written inline.

`PlainPrediction(schema)(data, text)` is True only when the full check would find no
problem; it answers False (doubt) at the first thing it does not vouch for, and the full
check then runs and words the problem. It checks each item as the schema of
`build_schema(prediction=True)` says (the fragments it knows, `_SHAPES`, are compared with
the schema when it is built: any other schema turns it off, so the schema cannot grow past
it unnoticed) and as the semantic checks do: offsets inside the text with start < end, a
span's text equal to the text there, ids unique across the document (an item without one
has its default id), refs resolving to a mention of the right layer, TimeML values. It is
stricter than the full check where that is simpler (an offset must be an `int`, never
`3.0`), never more lenient: a property test compares the two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from khabar.document import sha256_text
from khabar.inventories import LAYERS, REF_TARGETS
from khabar.timeml import is_timeml_value

DEFAULT_ID_PREFIXES = {"entities": "T", "timex": "X", "events": "E", "quotes": "Q"}

ANY_ENUM = object()  # stands for the enum the schema lists
_ID = {"type": "string", "minLength": 1}
_OFFSET = {"type": "integer", "minimum": 0}
_STRING = {"type": "string"}
_NUMBER = {"type": "number"}
_EXTENT = {"start": _OFFSET, "end": _OFFSET, "text": _STRING}  # the properties of every span
_SPAN = {
    "type": "object",
    "properties": _EXTENT,
    "required": ["start", "end"],
    "additionalProperties": False,
}
_SHAPES: dict[str, dict[str, Any]] = {
    "entities": {
        "type": "object",
        "properties": {
            "id": _ID,
            "type": {"enum": ANY_ENUM},
            "score": _NUMBER,
            **_EXTENT,
        },
        "required": ["type", "start", "end"],
        "additionalProperties": False,
    },
    "timex": {
        "type": "object",
        "properties": {
            "id": _ID,
            "type": {"enum": ANY_ENUM},
            "value": {"type": ["string", "null"]},
            "mod": {"enum": ANY_ENUM},
            "anchor": {"type": ["string", "null"], "minLength": 1},
            "score": _NUMBER,
            **_EXTENT,
        },
        "required": ["type", "start", "end"],
        "additionalProperties": False,
    },
    "events": {
        "type": "object",
        "required": ["type", "trigger"],
        "properties": {
            "id": _ID,
            "type": {"enum": ANY_ENUM},
            "trigger": _SPAN,
            "arguments": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "role": {"enum": ANY_ENUM},
                        "ref": _ID,
                        "score": _NUMBER,
                        **_EXTENT,
                    },
                    "additionalProperties": False,
                    "required": ["role"],
                },
            },
            "realis": {"enum": ANY_ENUM},
            "score": _NUMBER,
        },
        "additionalProperties": False,
    },
    "quotes": {
        "type": "object",
        "required": ["kind", "content"],
        "properties": {
            "id": _ID,
            "kind": {"enum": ANY_ENUM},
            "content": _SPAN,
            "cue": {**_SPAN, "type": ["object", "null"]},
            "speaker": {
                "type": ["object", "null"],
                "properties": {"ref": _ID, **_EXTENT},
                "additionalProperties": False,
            },
            "score": _NUMBER,
        },
        "additionalProperties": False,
    },
}
_SPAN_KEYS = frozenset(_EXTENT)
_MENTION_KEYS = frozenset({"ref", *_SPAN_KEYS})


def default_id(layer: str, index: int) -> str:
    """The id of a predicted item written without one: T1, X1, E1, Q1 … by position."""
    return f"{DEFAULT_ID_PREFIXES[layer]}{index + 1}"


class _Doubt(Exception):
    """Something the quick check does not vouch for: the full check decides."""


def _fits(shape: Any, schema: Any) -> bool:
    """Whether `schema` is `shape`, whatever the values of its enums."""
    if isinstance(shape, dict) and isinstance(schema, dict):
        if shape.get("enum") is ANY_ENUM:
            return set(schema) == {"enum"} and isinstance(schema["enum"], list)
        return set(shape) == set(schema) and all(_fits(shape[key], schema[key]) for key in shape)
    return shape == schema


def _enum(schema: dict[str, Any], *path: str) -> frozenset:
    """The enum at `path` of a layer's item schema (None in it stays None)."""
    for key in path:
        schema = schema[key]
    return frozenset(schema["enum"])


def _is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


class PlainPrediction:
    """`(data, text) → bool`: True only when the full check of a prediction finds no problem."""

    def __init__(self, schema: dict[str, Any], top_check: Callable[[Any], bool]):
        properties = schema.get("properties", {})
        items = {layer: properties.get(layer, {}).get("items") for layer in LAYERS}
        self.enabled = all(
            properties.get(layer, {}).get("type") == "array"
            and set(properties[layer]) == {"type", "items"}
            and _fits(_SHAPES[layer], items[layer])
            for layer in LAYERS
        )
        self.top_check = top_check  # the schema of everything but the layers
        if not self.enabled:
            return
        entity, timex, event, quote = (items[layer] for layer in LAYERS)
        self.entity_keys = frozenset(entity["properties"])
        self.entity_types = _enum(entity, "properties", "type")
        self.timex_keys = frozenset(timex["properties"])
        self.timex_types = _enum(timex, "properties", "type")
        self.timex_mods = _enum(timex, "properties", "mod")
        self.event_keys = frozenset(event["properties"])
        self.event_types = _enum(event, "properties", "type")
        self.realis = _enum(event, "properties", "realis")
        self.argument_keys = frozenset(event["properties"]["arguments"]["items"]["properties"])
        self.roles = _enum(event, "properties", "arguments", "items", "properties", "role")
        self.quote_keys = frozenset(quote["properties"])
        self.kinds = _enum(quote, "properties", "kind")
        self.timeml: dict[str, bool] = {}  # value → is a TimeML value (values repeat)

    def __call__(self, data: Any, text: str) -> bool:
        if not self.enabled or type(data) is not dict:
            return False
        try:
            return self._plain(data, text)
        except (_Doubt, KeyError, TypeError):  # a missing key, an unhashable value: doubt
            return False

    def _plain(self, data: dict[str, Any], text: str) -> bool:
        if not self.top_check({key: value for key, value in data.items() if key not in LAYERS}):
            return False
        recorded_sha = data.get("text_sha256")
        if isinstance(recorded_sha, str) and recorded_sha != sha256_text(text):
            return False
        dct = data.get("dct")
        if isinstance(dct, dict) and isinstance(dct.get("value"), str) and not is_timeml_value(dct["value"]):
            return False
        layers = {layer: data.get(layer, []) for layer in LAYERS}
        if not all(type(items) is list for items in layers.values()):
            return False
        length = len(text)
        refs: list[tuple[Any, tuple[str, ...]]] = []  # (ref, the layers it may name), resolved at the end
        n_ids = 0  # items with an id of their own
        for item in layers["entities"]:
            if type(item) is not dict or not item.keys() <= self.entity_keys or item["type"] not in self.entity_types:
                return False
            _span(item, text, length)
            n_ids += _id_and_score(item)
        for item in layers["timex"]:
            if type(item) is not dict or not item.keys() <= self.timex_keys or item["type"] not in self.timex_types:
                return False
            _span(item, text, length)
            n_ids += _id_and_score(item)
            value = item.get("value")
            if (value is not None and not self._timeml(value)) or item.get("mod") not in self.timex_mods:
                return False
            anchor = item.get("anchor")
            if anchor is not None and anchor != "DCT":
                refs.append((anchor, ("timex",)))
        for item in layers["events"]:
            if type(item) is not dict or not item.keys() <= self.event_keys or item["type"] not in self.event_types:
                return False
            n_ids += _id_and_score(item)
            _span(_object(item["trigger"], _SPAN_KEYS), text, length)
            arguments = item.get("arguments", [])
            if item.get("realis") not in self.realis or type(arguments) is not list:
                return False
            for argument in arguments:
                if type(argument) is not dict or not argument.keys() <= self.argument_keys:
                    return False
                if argument["role"] not in self.roles or ("score" in argument and not _is_number(argument["score"])):
                    return False
                _mention(argument, REF_TARGETS["event_argument"], refs, text, length)
        for item in layers["quotes"]:
            if type(item) is not dict or not item.keys() <= self.quote_keys or item["kind"] not in self.kinds:
                return False
            n_ids += _id_and_score(item)
            _span(_object(item["content"], _SPAN_KEYS), text, length)
            cue = item.get("cue")
            if cue is not None:
                _span(_object(cue, _SPAN_KEYS), text, length)
            speaker = item.get("speaker")
            if speaker is not None:
                _mention(_object(speaker, _MENTION_KEYS), REF_TARGETS["quote_speaker"], refs, text, length)
        # Default ids (T1, X1, E1, Q1 …) never repeat: ids are looked at only when some are given or named.
        if n_ids or refs:
            layer_of = _layer_of(layers)
            if any(layer_of.get(ref) not in allowed for ref, allowed in refs):
                return False  # an unhashable ref raises TypeError: doubt too
        return True

    def _timeml(self, value: Any) -> bool:
        if type(value) is not str:
            return False
        known = self.timeml.get(value)
        if known is None:
            known = is_timeml_value(value)
            if len(self.timeml) < 100_000:  # a bound for a long-lived process
                self.timeml[value] = known
        return known


def _object(value: Any, keys: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict or not value.keys() <= keys:
        raise _Doubt
    return value


def _span(item: dict[str, Any], text: str, length: int) -> None:
    """Offsets (`int`s) inside the text, start < end, and the span's text, when given, equal to it."""
    start, end = item["start"], item["end"]
    if type(start) is not int or type(end) is not int or not 0 <= start < end <= length:
        raise _Doubt
    if "text" in item and item["text"] != text[start:end]:
        raise _Doubt  # a text of another type differs too


def _id_and_score(item: dict[str, Any]) -> int:
    """1 when the item has an `id` (a non-empty string; whether it repeats is `_layer_of`'s), else 0;
    a `score` must be a number."""
    if "score" in item and not _is_number(item["score"]):
        raise _Doubt
    if "id" not in item:
        return 0
    if type(item["id"]) is not str or not item["id"]:
        raise _Doubt
    return 1


def _mention(
    item: dict[str, Any], allowed: tuple[str, ...], refs: list[tuple[Any, tuple[str, ...]]], text: str, length: int
) -> None:
    """An argument or speaker: a ref (to a mention of an `allowed` layer, kept in `refs`) or a span, never both."""
    if "ref" in item:
        if "start" in item or "end" in item or "text" in item:
            raise _Doubt
        refs.append((item["ref"], allowed))
    else:
        _span(item, text, length)


def _layer_of(layers: dict[str, list]) -> dict[str, str]:
    """id → layer of every item (default ids for items without one); doubt on a repeated id."""
    layer_of: dict[str, str] = {}
    n_items = 0
    for layer, items in layers.items():
        n_items += len(items)
        for index, item in enumerate(items):
            layer_of.setdefault(item["id"] if "id" in item else default_id(layer, index), layer)
    if len(layer_of) != n_items:
        raise _Doubt
    return layer_of
