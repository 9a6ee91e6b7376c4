"""Validated documents as compact JSON rows: how `khabar.store` keeps a corpus version it has loaded.

A corpus of 1,000 documents is 30 MB of indented annotation files holding about 250,000
small objects; parsing them again on every command was a third of loading it. The rows
hold the same values without keys or indentation — each object is the list of its fields
in the order of its dataclass, so it is rebuilt by calling the class with them — and the
texts are not in them (they are read from the corpus, whose bytes key the rows).

The rows are data only (JSON, never pickle): reading them runs no code. They are written
only from documents that passed the full check, under a key holding every byte they were
read from (`khabar.store`), and anything unexpected in them reads as no rows at all.
"""

from __future__ import annotations

import json
from itertools import starmap
from typing import Any

from khabar.document import DCT, Argument, Document, Entity, Event, Quote, Span, Speaker, Timex


def _span(span: Span | None) -> list[Any] | None:
    return None if span is None else [span.start, span.end, span.text]


def _row(document: Document) -> list[Any]:
    return [
        document.id,
        None if document.dct is None else [document.dct.value, document.dct.provenance],
        document.source,
        document.language,
        [[entity.id, entity.start, entity.end, entity.type, entity.text] for entity in document.entities],
        [
            [timex.id, timex.start, timex.end, timex.type, timex.value, timex.text, timex.mod, timex.anchor]
            for timex in document.timex
        ],
        [
            [
                event.id,
                event.type,
                _span(event.trigger),
                [[argument.role, argument.ref, _span(argument.span)] for argument in event.arguments],
                event.realis,
            ]
            for event in document.events
        ],
        [
            [
                quote.id,
                quote.kind,
                _span(quote.content),
                _span(quote.cue),
                None if quote.speaker is None else [quote.speaker.ref, _span(quote.speaker.span)],
            ]
            for quote in document.quotes
        ],
        document.metadata,
    ]


def dumps(documents: list[Document]) -> str:
    """The rows of `documents` (in their order), as one line of JSON."""
    return json.dumps([_row(document) for document in documents], ensure_ascii=False, separators=(",", ":"))


def _span_of(row: list[Any] | None) -> Span | None:
    return None if row is None else Span(*row)


def _document(row: list[Any], text: str) -> Document:
    identifier, dct, source, language, entities, timexes, events, quotes, metadata = row
    return Document(
        identifier,
        text,
        None if dct is None else DCT(*dct),
        source,
        language,
        tuple(starmap(Entity, entities)),
        tuple(starmap(Timex, timexes)),
        tuple(
            [
                Event(
                    identifier,
                    label,
                    Span(*trigger),
                    tuple([Argument(role, ref, _span_of(span)) for role, ref, span in arguments]),
                    realis,
                )
                for identifier, label, trigger, arguments, realis in events
            ]
        ),
        tuple(
            [
                Quote(
                    identifier,
                    kind,
                    Span(*content),
                    _span_of(cue),
                    None if speaker is None else Speaker(speaker[0], _span_of(speaker[1])),
                )
                for identifier, kind, content, cue, speaker in quotes
            ]
        ),
        metadata,
    )


def loads(rows: str, texts: list[tuple[str, str]]) -> list[Document] | None:
    """The documents of `rows` with their texts — `texts` holds (id, text) of each document,
    in the order of the rows — or None when the rows are not of that shape."""
    try:
        parsed = json.loads(rows)
        if type(parsed) is not list or len(parsed) != len(texts):
            return None
        documents = [_document(row, text) for row, (_, text) in zip(parsed, texts, strict=True)]
    except (ValueError, TypeError, IndexError, KeyError):
        return None
    if any(document.id != identifier for document, (identifier, _) in zip(documents, texts, strict=True)):
        return None
    return documents
