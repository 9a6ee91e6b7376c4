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

`PlainPrediction.read(data, text)` makes the same checks and, in the same pass, builds the
document's items (the prediction reader, `khabar.eval.predictions`, would otherwise walk every
item twice: once to vouch, once to build); None is the same doubt, and the reader then checks
in full and builds with its general code. `tests/test_plain_read.py` holds the two readings equal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from sys import intern
from typing import Any

from khabar.document import Argument, Entity, Event, Quote, Span, Speaker, Timex, sha256_text
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
_ID_OF = attrgetter("id")
_MENTION_KEYS = frozenset({"ref", *_SPAN_KEYS})


def default_id(layer: str, index: int) -> str:
    """The id of a predicted item written without one: T1, X1, E1, Q1 … by position."""
    return f"{DEFAULT_ID_PREFIXES[layer]}{index + 1}"


_OFFSETS: list[int] = []
# The default ids of the first `n` items of a layer: `(layer, n) → [T1, T2 …]`.
DefaultIds = Callable[[str, int], Sequence[str]]
# What `PlainPrediction.read` builds: entities, timex, events, quotes, and whether a timex has no value.
Items = tuple[tuple[Entity, ...], tuple[Timex, ...], tuple[Event, ...], tuple[Quote, ...], bool]


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


def _labels(schema: dict[str, Any], *path: str) -> dict[str, str]:
    """The labels of the enum at `path`, each mapped to itself: a look-up both checks a label
    and gives the one string all its spans share."""
    return {label: label for label in _enum(schema, *path)}


def shared_offsets(length: int) -> list[int]:
    """A list whose item `n` is the int `n`, for 0 ≤ n ≤ `length`: spans take their offsets from
    it, so millions of spans share a few thousand ints instead of holding two each."""
    if len(_OFFSETS) <= length:
        _OFFSETS.extend(range(len(_OFFSETS), length + 1))
    return _OFFSETS


def made_default_ids(layer: str, n: int) -> list[str]:
    """The default ids of `n` items of `layer`, made afresh (a reader of many lines shares them instead)."""
    return [default_id(layer, index) for index in range(n)]


def _is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


class PlainPrediction:
    """`(data, text) → bool`: True only when the full check of a prediction finds no problem;
    `read` makes the same checks and builds the document's items in the same pass."""

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
        self.entity_types = _labels(entity, "properties", "type")
        self.timex_keys = frozenset(timex["properties"])
        self.timex_types = _labels(timex, "properties", "type")
        self.timex_mods = _enum(timex, "properties", "mod")
        self.event_keys = frozenset(event["properties"])
        self.event_types = _labels(event, "properties", "type")
        self.realis = _enum(event, "properties", "realis")
        self.argument_keys = frozenset(event["properties"]["arguments"]["items"]["properties"])
        self.roles = _labels(event, "properties", "arguments", "items", "properties", "role")
        self.quote_keys = frozenset(quote["properties"])
        self.kinds = _labels(quote, "properties", "kind")
        self.timeml: dict[str, str | None] = {}  # value → itself interned, None if not TimeML (values repeat)

    def __call__(self, data: Any, text: str) -> bool:
        return self.read(data, text) is not None

    def read(self, data: Any, text: str, default_ids: DefaultIds = made_default_ids) -> Items | None:
        """The items of a plainly valid predicted document (entities, timex, events, quotes,
        and whether a timex has no value); None (doubt) otherwise.

        A large prediction file holds millions of spans whose offsets, texts, ids and labels
        repeat: each span takes the shared int of its offsets (`shared_offsets`), one string
        per distinct span text of the document, and one per id and label (interned; labels
        are the schema's own strings; default ids from `default_ids`, made once)."""
        if not self.enabled or type(data) is not dict:
            return None
        try:
            return self._read(data, text, default_ids)
        except (_Doubt, KeyError, TypeError):  # a missing key, an unhashable value: doubt
            return None

    def _read(self, data: dict[str, Any], text: str, default_ids: DefaultIds) -> Items | None:
        if not self.top_check({key: value for key, value in data.items() if key not in LAYERS}):
            return None
        recorded_sha = data.get("text_sha256")
        if isinstance(recorded_sha, str) and recorded_sha != sha256_text(text):
            return None
        dct = data.get("dct")
        if isinstance(dct, dict) and isinstance(dct.get("value"), str) and not is_timeml_value(dct["value"]):
            return None
        layers = {layer: data.get(layer, []) for layer in LAYERS}
        if not all(type(items) is list for items in layers.values()):
            return None
        length = len(text)
        offsets = shared_offsets(length)
        texts: dict[tuple[int, int], str] = {}  # (start, end) → the span's text, one string each
        refs: list[tuple[Any, tuple[str, ...]]] = []  # (ref, the layers it may name), resolved at the end
        n_ids = 0  # items with an id of their own

        def span(item: Any, keys: frozenset[str] = _SPAN_KEYS) -> Span:
            """A span: an object of `keys`, its offsets (`int`s) inside the text, start < end, and
            its text, when given, equal to the text there."""
            if type(item) is not dict or not item.keys() <= keys:
                raise _Doubt
            start, end = item["start"], item["end"]
            if type(start) is not int or type(end) is not int or not 0 <= start < end <= length:
                raise _Doubt
            found = texts.get((start, end))
            if found is None:
                found = texts[start, end] = text[start:end]
            if "text" in item and item["text"] != found:
                raise _Doubt  # a text of another type differs too
            return Span(offsets[start], offsets[end], found)

        def mention(
            item: dict[str, Any], keys: frozenset[str], allowed: tuple[str, ...]
        ) -> tuple[str | None, Span | None]:
            """An argument or speaker (an object of `keys`): a ref (to a mention of an `allowed`
            layer, kept in `refs`) or a span, never both."""
            if "ref" not in item:
                return None, span(item, keys)
            if "start" in item or "end" in item or "text" in item:
                raise _Doubt
            refs.append((item["ref"], allowed))
            return intern(item["ref"]), None

        entities = []
        defaults = default_ids("entities", len(layers["entities"]))
        entity_keys, entity_types = self.entity_keys, self.entity_types
        for index, item in enumerate(layers["entities"]):
            # `span` and `_own_id` written out: entities are most of a file's items.
            if type(item) is not dict or not item.keys() <= entity_keys:
                return None
            label = entity_types[item["type"]]
            start, end = item["start"], item["end"]
            if type(start) is not int or type(end) is not int or not 0 <= start < end <= length:
                return None
            found = texts.get((start, end))
            if found is None:
                found = texts[start, end] = text[start:end]
            if "text" in item and item["text"] != found:
                return None
            if "score" in item and not _is_number(item["score"]):
                return None
            if "id" in item:
                identifier = item["id"]
                if type(identifier) is not str or not identifier:
                    return None
                identifier = intern(identifier)
                n_ids += 1
            else:
                identifier = defaults[index]
            entities.append(Entity(identifier, offsets[start], offsets[end], label, found))
        timexes = []
        valueless = False  # a timex without a value (absent or null) is an extent-only prediction
        defaults = default_ids("timex", len(layers["timex"]))
        for index, item in enumerate(layers["timex"]):
            extent = span(item, self.timex_keys)
            label = self.timex_types[item["type"]]
            own = _own_id(item)
            n_ids += own is not None
            value = item.get("value")
            if value is None:
                valueless = True
            else:
                value = self._timeml(value)
                if value is None:
                    return None
            mod, anchor = item.get("mod"), item.get("anchor")
            if mod not in self.timex_mods:
                return None
            if anchor is not None and anchor != "DCT":
                refs.append((anchor, ("timex",)))
            timexes.append(
                Timex(own or defaults[index], extent.start, extent.end, label, value or "", extent.text, mod, anchor)
            )
        events = []
        defaults = default_ids("events", len(layers["events"]))
        for index, item in enumerate(layers["events"]):
            label, own = _labelled(item, self.event_keys, self.event_types, "type")
            n_ids += own is not None
            trigger = span(item["trigger"])
            arguments = item.get("arguments", [])
            realis = item.get("realis")
            if realis not in self.realis or type(arguments) is not list:
                return None
            built = []
            for argument in arguments:
                if type(argument) is not dict or not argument.keys() <= self.argument_keys:
                    return None
                role = self.roles[argument["role"]]
                if "score" in argument and not _is_number(argument["score"]):
                    return None
                built.append(Argument(role, *mention(argument, self.argument_keys, REF_TARGETS["event_argument"])))
            events.append(Event(own or defaults[index], label, trigger, tuple(built), realis))
        quotes = []
        defaults = default_ids("quotes", len(layers["quotes"]))
        for index, item in enumerate(layers["quotes"]):
            kind, own = _labelled(item, self.quote_keys, self.kinds, "kind")
            n_ids += own is not None
            content = span(item["content"])
            cue = item.get("cue")
            if cue is not None:
                cue = span(cue)
            speaker = item.get("speaker")
            if speaker is not None:
                speaker = Speaker(
                    *mention(_object(speaker, _MENTION_KEYS), _MENTION_KEYS, REF_TARGETS["quote_speaker"])
                )
            quotes.append(Quote(own or defaults[index], kind, content, cue, speaker))
        built = {"entities": entities, "timex": timexes, "events": events, "quotes": quotes}
        # Default ids (T1, X1, E1, Q1 …) never repeat: ids are looked at only when some are given or named.
        if n_ids or refs:
            layer_of: dict[str, str] = {}  # id → layer, of every item (its default id when it has none)
            for layer, made in built.items():
                layer_of.update(dict.fromkeys(map(_ID_OF, made), layer))
            if len(layer_of) != sum(map(len, built.values())):
                return None  # an id repeats
            if any(layer_of.get(ref) not in allowed for ref, allowed in refs):
                return None  # an unhashable ref raises TypeError: doubt too
        return tuple(entities), tuple(timexes), tuple(events), tuple(quotes), valueless

    def _timeml(self, value: Any) -> str | None:
        """`value` interned when it is a TimeML value, else None."""
        if type(value) is not str:
            return None
        if value in self.timeml:
            return self.timeml[value]
        known = intern(value) if is_timeml_value(value) else None
        if len(self.timeml) < 100_000:  # a bound for a long-lived process
            self.timeml[value] = known
        return known


def _object(value: Any, keys: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict or not value.keys() <= keys:
        raise _Doubt
    return value


def _labelled(item: Any, keys: frozenset[str], labels: dict[str, str], label_key: str) -> tuple[str, str | None]:
    """An event or a quote: an object of `keys`, its label one of `labels` (the schema's own
    string is returned), and its own id (`_own_id`)."""
    if type(item) is not dict or not item.keys() <= keys:
        raise _Doubt
    return labels[item[label_key]], _own_id(item)


def _own_id(item: dict[str, Any]) -> str | None:
    """The item's `id` (a non-empty string, interned; whether it repeats is looked at once all
    items are read), None when it has none; a `score` must be a number."""
    if "score" in item and not _is_number(item["score"]):
        raise _Doubt
    if "id" not in item:
        return None
    identifier = item["id"]
    if type(identifier) is not str or not identifier:
        raise _Doubt
    return intern(identifier)
