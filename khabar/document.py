"""The document model: text plus four standoff annotation layers, as frozen dataclasses.

Offsets are Python code-point offsets into the exact document text, end exclusive.
`Document.to_json()`/`Document.from_json()` are the standoff annotation file format;
the text lives beside it in `documents/<id>.txt` and is never altered.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _drop_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value is not None}


# `from_json` passes fields by position: a corpus makes hundreds of thousands of these, and a
# frozen dataclass is made in half the time so (the order is the fields' order, checked by the
# round-trip tests).


def _stored_through_slots(cls: type) -> type:
    """Give a frozen slotted dataclass an `__init__` that stores each field through its slot.

    A frozen dataclass's own `__init__` stores each field with `object.__setattr__`, which
    looks the field up by name on every call; the slot's descriptor stores it directly. The
    new `__init__` has the same parameters and defaults, and is generated as `dataclasses`
    generates its own; the instances are as frozen as before (`__setattr__` still refuses).
    A corpus of 1,000 documents makes about 400,000 of these objects on every load, about
    40% faster so (`python -m timeit`, CHANGELOG). `tests/test_document.py` holds it to the dataclass's `__init__`."""
    if "__post_init__" in vars(cls) or any(
        item.default_factory is not MISSING or not item.init or item.kw_only for item in fields(cls)
    ):
        raise TypeError(f"{cls.__name__}: only plain fields (a value or a default) are stored through slots")
    names = [item.name for item in fields(cls)]
    # As `dataclasses` does: the stores and defaults reach the function through a closure, and
    # it is made in the class's module, so its annotations resolve there (`get_type_hints`).
    closure: dict[str, Any] = {f"_store_{name}": getattr(cls, name).__set__ for name in names}
    parameters = []
    for item in fields(cls):
        if item.default is MISSING:
            parameters.append(item.name)
        else:
            closure[f"_default_{item.name}"] = item.default
            parameters.append(f"{item.name}=_default_{item.name}")
    stores = "".join(f"        _store_{name}(self, {name})\n" for name in names)
    source = (
        f"def __make_init__({', '.join(closure)}):\n"
        f"    def __init__(self, {', '.join(parameters)}):\n{stores}"
        "    return __init__\n"
    )
    made: dict[str, Any] = {}
    exec(source, vars(sys.modules[cls.__module__]), made)  # as dataclasses makes its own
    init = made["__make_init__"](**closure)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {**{item.name: item.type for item in fields(cls)}, "return": None}
    cls.__init__ = init  # type: ignore[misc]
    return cls


@_stored_through_slots
@dataclass(frozen=True, slots=True)
class Span:
    """A character span `[start, end)` with the text it covers."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Span:
        return cls(data["start"], data["end"], data["text"])


@_stored_through_slots
@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    start: int
    end: int
    type: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end, "type": self.type, "text": self.text}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entity:
        return cls(data["id"], data["start"], data["end"], data["type"], data["text"])


@_stored_through_slots
@dataclass(frozen=True, slots=True)
class Timex:
    """A TIMEX3 expression; `anchor` is the id of the timex (or `DCT`) it is resolved from."""

    id: str
    start: int
    end: int
    type: str
    value: str
    text: str
    mod: str | None = None
    anchor: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {
                "id": self.id,
                "start": self.start,
                "end": self.end,
                "type": self.type,
                "value": self.value,
                "text": self.text,
                "mod": self.mod,
                "anchor": self.anchor,
            }
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Timex:
        return cls(
            data["id"],
            data["start"],
            data["end"],
            data["type"],
            data["value"],
            data["text"],
            data.get("mod"),
            data.get("anchor"),
        )


@_stored_through_slots
@dataclass(frozen=True, slots=True)
class Argument:
    """An event argument: either a `ref` to an entity/timex id, or a span of its own."""

    role: str
    ref: str | None = None
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"role": self.role}
        if self.ref is not None:
            data["ref"] = self.ref
        if self.span is not None:
            data.update(self.span.to_json())
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Argument:
        span = Span.from_json(data) if "start" in data else None
        return cls(data["role"], data.get("ref"), span)


@_stored_through_slots
@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    trigger: Span
    arguments: tuple[Argument, ...] = ()
    realis: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {
                "id": self.id,
                "type": self.type,
                "trigger": self.trigger.to_json(),
                "arguments": [argument.to_json() for argument in self.arguments],
                "realis": self.realis,
            }
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Event:
        return cls(
            data["id"],
            data["type"],
            Span.from_json(data["trigger"]),
            tuple(map(Argument.from_json, data.get("arguments", []))),
            data.get("realis"),
        )


@_stored_through_slots
@dataclass(frozen=True, slots=True)
class Speaker:
    """The source of a quote: a `ref` to an entity id, or a span where no entity exists."""

    ref: str | None = None
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.ref is not None:
            data["ref"] = self.ref
        if self.span is not None:
            data.update(self.span.to_json())
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Speaker:
        span = Span.from_json(data) if "start" in data else None
        return cls(data.get("ref"), span)


@_stored_through_slots
@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    kind: str
    content: Span
    cue: Span | None = None
    speaker: Speaker | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {
                "id": self.id,
                "kind": self.kind,
                "content": self.content.to_json(),
                "cue": self.cue.to_json() if self.cue else None,
                "speaker": self.speaker.to_json() if self.speaker else None,
            }
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Quote:
        return cls(
            data["id"],
            data["kind"],
            Span.from_json(data["content"]),
            Span.from_json(data["cue"]) if data.get("cue") is not None else None,
            Speaker.from_json(data["speaker"]) if data.get("speaker") is not None else None,
        )


@dataclass(frozen=True)
class Unaligned:
    """A predicted span a reader could not place in the text: a false positive of its layer.

    `at` is the offset where it was looked for (the scoring unit it counts in); `where` the
    place in the input (a line or JSON pointer).
    """

    doc_id: str
    layer: str
    label: str
    text: str
    at: int
    where: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"layer": self.layer, "type": self.label, "text": self.text, "at": self.at}


@dataclass(frozen=True)
class DCT:
    """Document creation time (TimeML value) and how it was established."""

    value: str
    provenance: str

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "provenance": self.provenance}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DCT:
        return cls(value=data["value"], provenance=data["provenance"])


@dataclass(frozen=True)
class Document:
    """A document's exact text and its four annotation layers.

    `metadata` keeps any further top-level fields of the annotation file (e.g. the
    guidelines version or annotators) so that a round trip loses nothing.
    """

    id: str
    text: str
    dct: DCT | None = None
    source: dict[str, str] = field(default_factory=dict)
    language: str = "ar"
    entities: tuple[Entity, ...] = ()
    timex: tuple[Timex, ...] = ()
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def deferred(cls, id: str, text: str, build: Callable[[], dict[str, Any]]) -> Document:
        """A document of this id and text whose other fields `build` gives (by name; a field it
        leaves out takes its default) the first time one of them is read, once whatever the
        threads (`khabar.goldrows`: scoring reads a loaded corpus's spans from arrays recorded
        per corpus version, and then need not build its objects). It is a `Document` like any
        other: equal, printed, copied and pickled by its fields."""
        document = cls.__new__(cls)
        # A frozen dataclass refuses `setattr`; its fields live in the instance's dict.
        document.__dict__.update(id=id, text=text, _build=build)
        return document

    if not TYPE_CHECKING:  # to a type checker, a document has its fields and nothing else

        def __getattr__(self, name: str) -> Any:
            # Python calls this only for an attribute not found: a deferred document's other fields.
            state = self.__dict__
            if "_build" in state and name in self.__dataclass_fields__:
                with _BUILDING:
                    build = state.get("_build")
                    if build is not None:  # not built by another thread meanwhile
                        state.update(_deferred_fields(build()))
                        del state["_build"]
            if name in state and name != "_build":
                return state[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        # Pickled and copied with its fields, never with what would build them.
        if "_build" in self.__dict__:
            _ = self.entities  # builds every field
        return self.__dict__

    @property
    def text_sha256(self) -> str:
        return sha256_text(self.text)

    def to_json(self) -> dict[str, Any]:
        """The standoff annotation (without the text), with a stable key order."""
        data: dict[str, Any] = {
            "id": self.id,
            "text_sha256": self.text_sha256,
            "language": self.language,
        }
        if self.dct is not None:
            data["dct"] = self.dct.to_json()
        data["source"] = dict(self.source)
        data.update(self.metadata)
        data["entities"] = [entity.to_json() for entity in self.entities]
        data["timex"] = [timex.to_json() for timex in self.timex]
        data["events"] = [event.to_json() for event in self.events]
        data["quotes"] = [quote.to_json() for quote in self.quotes]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], text: str) -> Document:
        """Build a document from an annotation mapping already checked by the schema."""
        known = {"id", "text_sha256", "language", "dct", "source", "entities", "timex", "events", "quotes"}
        return cls(
            id=data["id"],
            text=text,
            dct=DCT.from_json(data["dct"]) if data.get("dct") is not None else None,
            source=dict(data.get("source", {})),
            language=data.get("language", "ar"),
            entities=tuple(map(Entity.from_json, data.get("entities", []))),
            timex=tuple(map(Timex.from_json, data.get("timex", []))),
            events=tuple(map(Event.from_json, data.get("events", []))),
            quotes=tuple(map(Quote.from_json, data.get("quotes", []))),
            metadata={key: value for key, value in data.items() if key not in known},
        )

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]


_BUILDING = threading.RLock()  # one deferred document built at a time: each exactly once
_DEFERRED = tuple(item for item in fields(Document) if item.name not in ("id", "text"))


def _deferred_fields(built: dict[str, Any]) -> dict[str, Any]:
    """The fields a deferred document's `build` gave, with the defaults of those it left out."""
    unknown = built.keys() - {item.name for item in _DEFERRED}
    if unknown:
        raise TypeError(f"a deferred document was built with unknown fields: {', '.join(sorted(unknown))}")
    for item in _DEFERRED:
        if item.name not in built:
            built[item.name] = item.default_factory() if item.default is MISSING else item.default
    return built


# A dataclass keeps each plain default as a class attribute too, where reading a deferred
# document's unbuilt field would find it instead of building the field (`Document.__getattr__`
# is called only when nothing is found). `__init__` keeps its own defaults, and `fields()` theirs.
for _field in fields(Document):
    if _field.name in vars(Document):
        delattr(Document, _field.name)
del _field
