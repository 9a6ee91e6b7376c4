"""Where two annotations of a document differ, and the part of them both agree on.

Each layer is read as a set of comparable items keyed by a character extent:

| layer | part | extent | value compared |
| --- | --- | --- | --- |
| entities | entity | mention | type |
| timex | timex | expression | type, value, mod |
| events | trigger | trigger | event type and realis |
| events | argument | argument | role, with the event type and trigger it belongs to |
| quotes | content | content | kind |
| quotes | cue | content | the cue span (or none) |
| quotes | speaker | content | the speaker span, a `ref` resolved to its mention (or none) |

A disagreement is an extent whose values differ between the two sides (one side may have
none). Cue and speaker are compared only where both sides mark the same content, so a
missing quote is one disagreement, not three. `merge` keeps what both sides agree on (with
A's ids), so the disagreements are exactly what is left for an adjudicator to decide.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from khabar.document import Argument, Document, Entity, Event, Quote, Span, Speaker, Timex
from khabar.inventories import LAYERS

NONE = "none"


@dataclass(frozen=True, order=True)
class Item:
    layer: str
    part: str
    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True)
class Disagreement:
    document: str
    layer: str
    part: str
    start: int
    end: int
    text: str
    a: tuple[str, ...]
    b: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "layer": self.layer,
            "part": self.part,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "a": list(self.a),
            "b": list(self.b),
        }

    def describe(self) -> str:
        def side(values: tuple[str, ...]) -> str:
            return " + ".join(values) if values else "—"

        where = f"{self.document} {self.layer} {self.part} [{self.start}, {self.end}) «{self.text}»"
        return f"{where}: A {side(self.a)} | B {side(self.b)}"


def _extent(span: Span) -> str:
    return f"«{span.text}» [{span.start}, {span.end})"


def _mentions(document: Document) -> dict[str, Span]:
    spans = {entity.id: Span(entity.start, entity.end, entity.text) for entity in document.entities}
    spans.update({timex.id: Span(timex.start, timex.end, timex.text) for timex in document.timex})
    return spans


def _argument_span(argument: Argument, mentions: dict[str, Span]) -> Span | None:
    return mentions.get(argument.ref) if argument.ref is not None else argument.span


def _speaker_span(speaker: Speaker | None, mentions: dict[str, Span]) -> Span | None:
    if speaker is None:
        return None
    return mentions.get(speaker.ref) if speaker.ref is not None else speaker.span


def _trigger_value(event: Event) -> str:
    return f"{event.type} realis={event.realis}" if event.realis else event.type


def _argument_value(event: Event, role: str) -> str:
    return f"{role} of {event.type} {_extent(event.trigger)}"


def _entity_item(entity: Entity) -> Item:
    return Item("entities", "entity", entity.start, entity.end, entity.text, entity.type)


def _timex_item(timex: Timex) -> Item:
    value = f"{timex.type} {timex.value}" + (f" mod={timex.mod}" if timex.mod else "")
    return Item("timex", "timex", timex.start, timex.end, timex.text, value)


def _quote_items(quote: Quote, mentions: dict[str, Span]) -> tuple[Item, Item, Item]:
    content = quote.content
    cue = _extent(quote.cue) if quote.cue else NONE
    speaker = _speaker_span(quote.speaker, mentions)
    return (
        Item("quotes", "content", content.start, content.end, content.text, quote.kind),
        Item("quotes", "cue", content.start, content.end, content.text, cue),
        Item("quotes", "speaker", content.start, content.end, content.text, _extent(speaker) if speaker else NONE),
    )


def items(document: Document, layers: tuple[str, ...] | list[str] = LAYERS) -> list[Item]:
    """The comparable items of `document` (see the module docstring)."""
    mentions = _mentions(document)
    found: list[Item] = []
    if "entities" in layers:
        found += [_entity_item(entity) for entity in document.entities]
    if "timex" in layers:
        found += [_timex_item(timex) for timex in document.timex]
    if "events" in layers:
        for event in document.events:
            trigger = event.trigger
            found.append(Item("events", "trigger", trigger.start, trigger.end, trigger.text, _trigger_value(event)))
            for argument in event.arguments:
                span = _argument_span(argument, mentions)
                if span is not None:
                    value = _argument_value(event, argument.role)
                    found.append(Item("events", "argument", span.start, span.end, span.text, value))
    if "quotes" in layers:
        for quote in document.quotes:
            found += _quote_items(quote, mentions)
    return found


def _by_key(found: list[Item]) -> dict[tuple[str, str, int, int], list[Item]]:
    keyed: dict[tuple[str, str, int, int], list[Item]] = {}
    for item in found:
        keyed.setdefault((item.layer, item.part, item.start, item.end), []).append(item)
    return keyed


def document_disagreements(
    document_a: Document, document_b: Document, layers: tuple[str, ...] | list[str] = LAYERS
) -> list[Disagreement]:
    keyed_a, keyed_b = _by_key(items(document_a, layers)), _by_key(items(document_b, layers))
    found = []
    for key in sorted(set(keyed_a) | set(keyed_b), key=lambda key: (LAYERS.index(key[0]), key[2], key[3], key[1])):
        layer, part, start, end = key
        if part in ("cue", "speaker") and not (key in keyed_a and key in keyed_b):
            continue  # the content itself is the disagreement
        values_a = tuple(sorted(item.value for item in keyed_a.get(key, [])))
        values_b = tuple(sorted(item.value for item in keyed_b.get(key, [])))
        if values_a != values_b:
            text = document_a.text[start:end]
            found.append(Disagreement(document_a.id, layer, part, start, end, text, values_a, values_b))
    return found


def disagreements(
    docs_a: list[Document], docs_b: list[Document], layers: tuple[str, ...] | list[str] = LAYERS
) -> list[Disagreement]:
    """Every disagreement between two annotations of the same documents, by document, layer and offset."""
    by_id_b = {document.id: document for document in docs_b}
    found: list[Disagreement] = []
    for document in sorted(docs_a, key=lambda item: item.id):
        found += document_disagreements(document, by_id_b[document.id], layers)
    return found


def merge(document_a: Document, document_b: Document) -> Document:
    """What both annotations agree on, with A's ids and header; everything else is dropped.

    A reference to a mention that was dropped (its type disagrees) becomes a span of its
    own when both sides agree on the argument or speaker extent, so the agreement is kept.
    """
    agreed = Counter(items(document_b))
    kept_items: Counter[Item] = Counter()

    def agrees(item: Item) -> bool:
        if kept_items[item] < agreed[item]:
            kept_items[item] += 1
            return True
        return False

    mentions = _mentions(document_a)
    entities = tuple(entity for entity in document_a.entities if agrees(_entity_item(entity)))
    timexes = [timex for timex in document_a.timex if agrees(_timex_item(timex))]
    kept_ids = {entity.id for entity in entities} | {timex.id for timex in timexes}
    timexes = [replace(timex, anchor=None) if timex.anchor not in kept_ids else timex for timex in timexes]

    def keep_ref(argument: Argument) -> Argument:
        if argument.ref is None or argument.ref in kept_ids:
            return argument
        return Argument(argument.role, span=mentions[argument.ref])

    events = []
    for event in document_a.events:
        trigger = event.trigger
        if not agrees(Item("events", "trigger", trigger.start, trigger.end, trigger.text, _trigger_value(event))):
            continue
        arguments = []
        for argument in event.arguments:
            span = _argument_span(argument, mentions)
            value = _argument_value(event, argument.role)
            if span is not None and agrees(Item("events", "argument", span.start, span.end, span.text, value)):
                arguments.append(keep_ref(argument))
        events.append(replace(event, arguments=tuple(arguments)))
    quotes = []
    for quote in document_a.quotes:
        content_item, cue_item, speaker_item = _quote_items(quote, mentions)
        if not agrees(content_item):
            continue
        cue = quote.cue if agrees(cue_item) else None
        speaker = quote.speaker if agrees(speaker_item) else None
        if speaker is not None and speaker.ref is not None and speaker.ref not in kept_ids:
            speaker = Speaker(span=mentions[speaker.ref])
        quotes.append(Quote(quote.id, quote.kind, quote.content, cue, speaker))
    return replace(document_a, entities=entities, timex=tuple(timexes), events=tuple(events), quotes=tuple(quotes))
