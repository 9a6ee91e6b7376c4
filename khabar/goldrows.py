"""Validated documents as compact JSON rows: how `khabar.store` keeps a corpus version it has loaded.

A corpus of 1,000 documents is 30 MB of indented annotation files holding about 250,000
small objects; parsing them again on every command was a third of loading it. The rows
hold the same values without keys, indentation or repeats:

- every short string (ids, labels, roles, refs, timex values; `None` too) is written once,
  in a table, and the rows hold its index, so a label is one string shared by every span
  that has it instead of one per span;
- offsets are plain numbers; a span's text is not written, as it is its document's text
  between its offsets (a valid annotation's always is: rows are not written for documents
  where it is not), nor are the texts themselves (read from the corpus, whose bytes key the rows);
- entities, timexes and the arguments of each event are flat lists, a fixed number of values per item;
- one line per document, read and built when the document's spans are first used
  (`Document.deferred`): scoring reads a loaded corpus's spans from arrays recorded per
  corpus version (`khabar.eval.goldarrays`), and then need not build the gold's objects.

The rows are data only (JSON, never pickle): reading them runs no code. They are written
only from documents that passed the full check, under a key holding every byte they were
read from (`khabar.store`), after the SHA-256 of the rows themselves: rows whose bytes do
not match it (damaged on disk, cut short by a crash) read as no rows at all, as do rows of
another format or number of documents, or of other ids. The digest guards against damage,
not against someone forging rows in the user's own cache folder, who could as well change
the corpus; a forged row that does not read back raises `RowsError` when its document is used.
"""

from __future__ import annotations

import json
from functools import partial
from sys import intern
from typing import Any

from khabar import validcache
from khabar.document import DCT, Argument, Document, Entity, Event, Quote, Span, Speaker, Timex
from khabar.errors import InputError

FORMAT = "khabar-gold-rows/2"


class RowsError(InputError):
    """Rows whose digest holds but which do not read back (rows written by hand)."""


_DECODER = json.JSONDecoder()


class _Mismatch(Exception):
    """A span whose text is not its document's text between its offsets: no rows."""


class _Strings:
    """The table of short strings (and `None`, index 0): value → index, in order of first use."""

    def __init__(self) -> None:
        self.index: dict[str | None, int] = {None: 0}

    def __call__(self, value: str | None) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.index)
        return found


def _extent(span: Span | Entity | Timex | None, text: str) -> list[int] | None:
    """[start, end] of a span (or of an entity or timex, which are spans too), refusing a span
    whose text is not the text there (the rows give it back sliced)."""
    if span is None:
        return None
    if text[span.start : span.end] != span.text:
        raise _Mismatch
    return [span.start, span.end]


def _row(document: Document, string: _Strings) -> list[Any]:
    text = document.text
    entities: list[int] = []
    for entity in document.entities:
        _extent(entity, text)
        entities += [string(entity.id), entity.start, entity.end, string(entity.type)]
    timexes: list[int] = []
    for timex in document.timex:
        _extent(timex, text)
        timexes += [string(timex.id), timex.start, timex.end, string(timex.type), string(timex.value)]
        timexes += [string(timex.mod), string(timex.anchor)]
    events = []
    for event in document.events:
        arguments: list[int | None] = []
        for argument in event.arguments:
            arguments += [string(argument.role), string(argument.ref), *(_extent(argument.span, text) or (None, None))]
        trigger = _extent(event.trigger, text)
        events.append([string(event.id), string(event.type), *trigger, string(event.realis), arguments])
    quotes = [
        [
            string(quote.id),
            string(quote.kind),
            *_extent(quote.content, text),
            _extent(quote.cue, text),
            None if quote.speaker is None else [string(quote.speaker.ref), _extent(quote.speaker.span, text)],
        ]
        for quote in document.quotes
    ]
    return [
        document.id,
        None if document.dct is None else [document.dct.value, document.dct.provenance],
        document.source,
        document.language,
        entities,
        timexes,
        events,
        quotes,
        document.metadata,
    ]


def dumps(documents: list[Document]) -> str | None:
    """The rows of `documents` (in their order), or None when a span's text is not its text
    between its offsets (which the full check refuses: such documents are not kept)."""
    string = _Strings()
    try:
        rows = [_row(document, string) for document in documents]
    except _Mismatch:
        return None
    # One line per document, after a line of the format and the strings: each is parsed and
    # built in turn, so the parsed lists of the whole corpus are never held at once. (JSON
    # escapes a line break inside a string, so every line is one value.)
    lines = [[FORMAT, list(string.index)], *rows]
    payload = "\n".join(json.dumps(line, ensure_ascii=False, separators=(",", ":")) for line in lines)
    return validcache.signed(payload.encode("utf-8")).decode("utf-8")


def _span(start: int, end: int, text: str) -> Span:
    return Span(start, end, text[start:end])


def _optional_span(extent: list[int] | None, text: str) -> Span | None:
    return None if extent is None else Span(extent[0], extent[1], text[extent[0] : extent[1]])


def _groups(flat: list[Any], size: int) -> zip:
    """`flat` read `size` values at a time (strict: a list whose length is not a multiple of
    `size` is not rows)."""
    return zip(*[iter(flat)] * size, strict=True)


def _fields(row: list[Any], text: str, strings: list[str | None]) -> dict[str, Any]:
    """The fields of a document but its id and text, from its row."""
    _, dct, source, language, entities, timexes, events, quotes, metadata = row
    at = strings.__getitem__
    entity_items = tuple(
        [Entity(at(name), start, end, at(label), text[start:end]) for name, start, end, label in _groups(entities, 4)]
    )
    timex_items = tuple(
        [
            Timex(at(name), start, end, at(label), at(value), text[start:end], at(mod), at(anchor))
            for name, start, end, label, value, mod, anchor in _groups(timexes, 7)
        ]
    )
    event_items = []
    for name, label, start, end, realis, arguments in events:
        event_items.append(
            Event(
                at(name),
                at(label),
                Span(start, end, text[start:end]),
                tuple(
                    [
                        Argument(at(role), at(ref), None if first is None else _span(first, last, text))
                        for role, ref, first, last in _groups(arguments, 4)
                    ]
                ),
                at(realis),
            )
        )
    quote_items = tuple(
        [
            Quote(
                at(name),
                at(kind),
                Span(start, end, text[start:end]),
                _optional_span(cue, text),
                None if speaker is None else Speaker(at(speaker[0]), _optional_span(speaker[1], text)),
            )
            for name, kind, start, end, cue, speaker in quotes
        ]
    )
    return {
        "dct": None if dct is None else DCT(*dct),
        "source": source,
        "language": language,
        "entities": entity_items,
        "timex": timex_items,
        "events": tuple(event_items),
        "quotes": quote_items,
        "metadata": metadata,
    }


def _built(line: str, identifier: str, text: str, strings: list[str | None]) -> dict[str, Any]:
    """`_fields` of a document's row, read when the document's spans are first used (`loads`
    has checked that the row is of `identifier`)."""
    try:
        return _fields(json.loads(line), text, strings)
    except (ValueError, TypeError, IndexError, KeyError) as error:
        # Rows are recorded only as `dumps` wrote them, and read only when their digest holds:
        # only rows written by hand with their digest get here.
        raise RowsError(
            f"the recorded rows of document {identifier!r} do not read back: {error}",
            hint=f"remove the gold-rows folder in {validcache.cache_folder().parent} and run again",
        ) from None


def loads(rows: str | bytes, texts: list[tuple[str, str]]) -> list[Document] | None:
    """The documents of `rows` with their texts — `texts` holds (id, text) of each document,
    in the order of the rows — or None when the rows are not of that shape (their digest,
    format, number and ids). A document's row is read when its spans are first used; one
    that does not read back then raises `RowsError` (only rows written by hand can)."""
    payload = validcache.verified(rows.encode("utf-8") if isinstance(rows, str) else rows)
    if payload is None:
        return None
    try:
        header, *lines = payload.decode("utf-8").split("\n")
        form, strings = json.loads(header)
        if form != FORMAT or len(lines) != len(texts) or strings[:1] != [None]:
            return None
        # Shared with the labels a prediction file's reader interns, so comparing them is one identity check.
        strings = [intern(value) if type(value) is str else value for value in strings]
        documents = []
        for line, (identifier, text) in zip(lines, texts, strict=True):
            if not line.startswith("[") or _DECODER.raw_decode(line, 1)[0] != identifier:
                return None
            documents.append(Document.deferred(identifier, text, partial(_built, line, identifier, text, strings)))
    except (ValueError, TypeError, IndexError, KeyError):
        return None
    return documents
