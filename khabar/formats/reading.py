"""What every prediction reader returns, and the steps they share.

A reader turns a tool's own output into predictions in the `Document` shape (character
offsets into the gold text). Its `ReadResult` also says which layers the input predicts
(a layer the format cannot carry is "not predicted", never an empty prediction), which
pieces could not be aligned (each reported, and counted as a false positive of its layer),
and notes for the user (unplaced tokens with their line).

Documents are matched to the gold by id when the format carries one, else by text (the
tool's copy of the text equals a gold text), else by position (the k-th document of the
input is the k-th gold document in id order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from khabar import strictjson
from khabar.document import Document, Entity, Event, Quote, Span, Timex, Unaligned
from khabar.errors import InputError
from khabar.inventories import entity_labels_of, layer_of_label, tagset_hint
from khabar.timeml import is_timeml_value


@dataclass(frozen=True)
class ReadOptions:
    """Settings a reader may need: the tag set entity labels are checked against, and
    whether string alignment runs after orthographic normalization."""

    tagset: str = "khabar"
    normalize: bool = False


DEFAULT_OPTIONS = ReadOptions()


@dataclass(frozen=True)
class Piece:
    """One predicted span before it becomes an annotation: layer, label, gold offsets."""

    layer: str
    label: str
    start: int
    end: int
    value: str | None = None  # timex only; None when the format carries no value


@dataclass(frozen=True)
class ReadResult:
    documents: tuple[Document, ...]
    layers: frozenset[str]
    unaligned: tuple[Unaligned, ...] = ()
    notes: tuple[str, ...] = ()
    valueless_timex: bool = False  # timex predicted without values (tags carry none)


@dataclass
class Collector:
    """Gathers a reader's pieces, unaligned items and notes, then builds the result."""

    gold: list[Document]
    options: ReadOptions
    where: str
    pieces: dict[str, list[Piece]] = field(default_factory=dict)
    unaligned: list[Unaligned] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    layers: set[str] = field(default_factory=set)
    valueless: bool = False

    def layer(self, label: str, pointer: str) -> str:
        """The layer of `label`, or an error naming the place (with a `--tagset` hint)."""
        layer = layer_of_label(label, self.options.tagset)
        if layer is None:
            raise InputError(f"unknown type {label!r}", where=self.where, pointer=pointer)
        if layer == "entities" and label not in entity_labels_of(self.options.tagset):
            raise InputError(
                f"unknown type {label!r}",
                where=self.where,
                pointer=pointer,
                hint=tagset_hint(label, self.options.tagset),
            )
        return layer

    def value(self, value: str | None, pointer: str) -> str | None:
        if value is not None and not is_timeml_value(value):
            raise InputError(f"invalid TIMEX3 value {value!r}", where=self.where, pointer=pointer)
        return value

    def add(self, doc_id: str, piece: Piece) -> None:
        self.layers.add(piece.layer)
        if piece.layer == "timex" and piece.value is None:
            self.valueless = True
        self.pieces.setdefault(doc_id, []).append(piece)

    def miss(self, doc_id: str, layer: str, label: str, text: str, at: int, pointer: str) -> None:
        self.layers.add(layer)
        self.unaligned.append(Unaligned(doc_id, layer, label, text, at, pointer))
        self.notes.append(f"{self.where}:{pointer}: cannot align {text!r} ({label}) to the text of {doc_id}")

    def result(self, predicts: set[str] | None = None) -> ReadResult:
        """The documents (every gold document, empty where the input had nothing)."""
        documents = tuple(build_document(gold, self.pieces.get(gold.id, [])) for gold in self.gold)
        layers = frozenset(self.layers | (predicts or set()))
        return ReadResult(documents, layers, tuple(self.unaligned), tuple(self.notes), self.valueless)


def build_document(gold: Document, pieces: list[Piece]) -> Document:
    """A prediction over `gold`'s text: entities, timex, event triggers and quote contents."""
    text = gold.text
    ordered = sorted(pieces, key=lambda piece: (piece.start, piece.end, piece.layer, piece.label))
    by_layer: dict[str, list[Piece]] = {}
    for piece in ordered:
        by_layer.setdefault(piece.layer, []).append(piece)

    def span(piece: Piece) -> Span:
        return Span(piece.start, piece.end, text[piece.start : piece.end])

    return Document(
        id=gold.id,
        text=text,
        dct=gold.dct,
        entities=tuple(
            Entity(f"T{n}", p.start, p.end, p.label, text[p.start : p.end])
            for n, p in enumerate(by_layer.get("entities", []), 1)
        ),
        timex=tuple(
            Timex(f"X{n}", p.start, p.end, p.label, p.value or "", text[p.start : p.end])
            for n, p in enumerate(by_layer.get("timex", []), 1)
        ),
        events=tuple(Event(f"E{n}", p.label, span(p)) for n, p in enumerate(by_layer.get("events", []), 1)),
        quotes=tuple(Quote(f"Q{n}", p.label, span(p)) for n, p in enumerate(by_layer.get("quotes", []), 1)),
    )


def gold_for(
    gold: list[Document], *, index: int, doc_id: str | None = None, text: str | None = None, where: str, pointer: str
) -> Document:
    """The gold document an input document is for (by id, else text, else position)."""
    ordered = sorted(gold, key=lambda document: document.id)
    if doc_id is not None:
        for document in ordered:
            if document.id == doc_id:
                return document
        raise InputError(f"unknown document id {doc_id!r}", where=where, pointer=pointer)
    if text is not None:
        for document in ordered:
            if document.text == text or document.text.strip() == text.strip():
                return document
    if index < len(ordered):
        return ordered[index]
    raise InputError(
        f"document {index + 1} of the input has no gold counterpart ({len(ordered)} gold documents)",
        where=where,
        pointer=pointer,
    )


def json_value(data: bytes, where: str) -> Any:
    """One JSON document (strict: `khabar.strictjson`)."""
    return strictjson.loads(data, where=where)


def jsonl_values(text: str, where: str) -> list[tuple[int, Any]]:
    """(line number, value) of every non-blank line, each parsed strictly."""
    values = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            values.append((number, strictjson.parse(line, one_line=True)))
        except strictjson.JSONProblem as problem:
            pointer = f"line {number}" + (f": {problem.pointer}" if problem.pointer else "")
            raise InputError(problem.message, where=where, pointer=pointer) from None
    return values
