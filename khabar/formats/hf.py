"""Hugging Face dataset rows: a document as one lossless `documents` row, and its sentences
as `sentences` rows with one IOB2 `ClassLabel` column per layer.

`document_to_row` / `row_to_document` are inverse pure functions: the row keeps the text,
every span and every optional field, `None` included (an argument's `ref` vs its own
span, a quote without cue or speaker, a timex without `mod`/`anchor`, a document without
DCT). Decisions where the design is silent:

- Labels in the `documents` config (entity type, event type, role, quote kind …) are
  plain strings, not `ClassLabel`: that config is the standoff annotation, read by
  people and converters; the `sentences` config is the one models train and score on,
  and its tag columns are `ClassLabel`s declared once from `khabar.inventories`.
- `source` and `metadata` are JSON strings (key order kept): their keys are free-form
  and differ between documents, while an Arrow struct needs one fixed set of keys.
- Offsets are `int32` code-point offsets into the document text, end exclusive; in the
  `sentences` config too (`token_starts`, `token_ends`, `start`, `end` index the
  document's `text` in the `documents` config, not the sentence).
"""

from __future__ import annotations

import json
from typing import Any

from datasets import ClassLabel, Features, List, Value

from khabar.document import DCT, Argument, Document, Entity, Event, Quote, Span, Speaker, Timex, sha256_text
from khabar.errors import InputError
from khabar.inventories import LAYERS, TAG_COLUMNS, iob2_tags
from khabar.views import Collision, SentenceView, token_view

_STRING = Value("string")
_OFFSET = Value("int32")


def _span_feature() -> dict[str, Value]:
    return {"start": _OFFSET, "end": _OFFSET, "text": _STRING}


def _ref_or_span_feature() -> dict[str, Value]:
    """An argument or a speaker: `ref` set, or `start`/`end`/`text` set (the other side null)."""
    return {"ref": _STRING, **_span_feature()}


DOCUMENT_FEATURES = Features(
    {
        "id": _STRING,
        "text": _STRING,
        "text_sha256": _STRING,
        "language": _STRING,
        "dct": {"value": _STRING, "provenance": _STRING},
        "source": _STRING,
        "metadata": _STRING,
        "entities": List({"id": _STRING, "start": _OFFSET, "end": _OFFSET, "type": _STRING, "text": _STRING}),
        "timex": List(
            {
                "id": _STRING,
                "start": _OFFSET,
                "end": _OFFSET,
                "type": _STRING,
                "value": _STRING,
                "text": _STRING,
                "mod": _STRING,
                "anchor": _STRING,
            }
        ),
        "events": List(
            {
                "id": _STRING,
                "type": _STRING,
                "trigger": _span_feature(),
                "arguments": List({"role": _STRING, **_ref_or_span_feature()}),
                "realis": _STRING,
            }
        ),
        "quotes": List(
            {
                "id": _STRING,
                "kind": _STRING,
                "content": _span_feature(),
                "cue": _span_feature(),
                "speaker": _ref_or_span_feature(),
            }
        ),
    }
)


def tag_feature(layer: str) -> ClassLabel:
    """The ClassLabel of a layer's tag column: `O` first, then B-/I- per label."""
    return ClassLabel(names=list(iob2_tags(layer)))


SENTENCE_FEATURES = Features(
    {
        "id": _STRING,
        "doc_id": _STRING,
        "start": _OFFSET,
        "end": _OFFSET,
        "tokens": List(_STRING),
        "token_starts": List(_OFFSET),
        "token_ends": List(_OFFSET),
        **{TAG_COLUMNS[layer]: List(tag_feature(layer)) for layer in LAYERS},
    }
)


# --- documents config --------------------------------------------------------------


def _span_row(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def _ref_or_span_row(ref: str | None, span: Span | None) -> dict[str, Any]:
    empty: dict[str, Any] = {"start": None, "end": None, "text": None}
    return {"ref": ref, **(_span_row(span) or empty)}


def _span_from_row(row: dict[str, Any] | None) -> Span | None:
    return None if row is None else Span(row["start"], row["end"], row["text"])


def _optional_span_from_row(row: dict[str, Any]) -> Span | None:
    """The span of a ref-or-span struct, `None` when its span fields are null."""
    return None if row["start"] is None else Span(row["start"], row["end"], row["text"])


def document_to_row(document: Document) -> dict[str, Any]:
    """The `documents` row of a document: text plus every annotation, nothing dropped."""
    return {
        "id": document.id,
        "text": document.text,
        "text_sha256": document.text_sha256,
        "language": document.language,
        "dct": None if document.dct is None else {"value": document.dct.value, "provenance": document.dct.provenance},
        "source": json.dumps(document.source, ensure_ascii=False),
        "metadata": json.dumps(document.metadata, ensure_ascii=False),
        "entities": [
            {"id": e.id, "start": e.start, "end": e.end, "type": e.type, "text": e.text} for e in document.entities
        ],
        "timex": [
            {
                "id": t.id,
                "start": t.start,
                "end": t.end,
                "type": t.type,
                "value": t.value,
                "text": t.text,
                "mod": t.mod,
                "anchor": t.anchor,
            }
            for t in document.timex
        ],
        "events": [
            {
                "id": event.id,
                "type": event.type,
                "trigger": _span_row(event.trigger),
                "arguments": [
                    {"role": argument.role, **_ref_or_span_row(argument.ref, argument.span)}
                    for argument in event.arguments
                ],
                "realis": event.realis,
            }
            for event in document.events
        ],
        "quotes": [
            {
                "id": quote.id,
                "kind": quote.kind,
                "content": _span_row(quote.content),
                "cue": _span_row(quote.cue),
                "speaker": None if quote.speaker is None else _ref_or_span_row(quote.speaker.ref, quote.speaker.span),
            }
            for quote in document.quotes
        ],
    }


def row_to_document(row: dict[str, Any]) -> Document:
    """The document of a `documents` row; the text must match the row's `text_sha256`."""
    if sha256_text(row["text"]) != row["text_sha256"]:
        raise InputError("text does not match text_sha256", where=str(row["id"]), pointer="/text")
    dct = row["dct"]
    return Document(
        id=row["id"],
        text=row["text"],
        dct=None if dct is None else DCT(dct["value"], dct["provenance"]),
        source=json.loads(row["source"]),
        language=row["language"],
        entities=tuple(Entity(e["id"], e["start"], e["end"], e["type"], e["text"]) for e in row["entities"]),
        timex=tuple(
            Timex(t["id"], t["start"], t["end"], t["type"], t["value"], t["text"], mod=t["mod"], anchor=t["anchor"])
            for t in row["timex"]
        ),
        events=tuple(
            Event(
                id=event["id"],
                type=event["type"],
                trigger=Span(event["trigger"]["start"], event["trigger"]["end"], event["trigger"]["text"]),
                arguments=tuple(
                    Argument(argument["role"], ref=argument["ref"], span=_optional_span_from_row(argument))
                    for argument in event["arguments"]
                ),
                realis=event["realis"],
            )
            for event in row["events"]
        ),
        quotes=tuple(
            Quote(
                id=quote["id"],
                kind=quote["kind"],
                content=Span(quote["content"]["start"], quote["content"]["end"], quote["content"]["text"]),
                cue=_span_from_row(quote["cue"]),
                speaker=None
                if quote["speaker"] is None
                else Speaker(ref=quote["speaker"]["ref"], span=_optional_span_from_row(quote["speaker"])),
            )
            for quote in row["quotes"]
        ),
        metadata=json.loads(row["metadata"]),
    )


# --- sentences config --------------------------------------------------------------


def sentence_view_to_row(view: SentenceView) -> dict[str, Any]:
    """The `sentences` row of one sentence; tags are stored as ClassLabel ids."""
    row: dict[str, Any] = {
        "id": view.id,
        "doc_id": view.doc_id,
        "start": view.sentence.start,
        "end": view.sentence.end,
        "tokens": [token.text for token in view.tokens],
        "token_starts": [token.start for token in view.tokens],
        "token_ends": [token.end for token in view.tokens],
    }
    for layer in LAYERS:
        column = TAG_COLUMNS[layer]
        row[column] = [SENTENCE_FEATURES[column].feature.str2int(tag) for tag in view.tags[layer]]
    return row


def sentence_rows(document: Document) -> tuple[list[dict[str, Any]], list[Collision]]:
    """The `sentences` rows of a document, in sentence order, and the token view's collisions."""
    views, collisions = token_view(document, LAYERS)
    return [sentence_view_to_row(view) for view in views], collisions


def row_tags(row: dict[str, Any]) -> dict[str, list[str]]:
    """The IOB2 tag strings per layer of a `sentences` row (ids mapped back to names)."""
    return {layer: SENTENCE_FEATURES[TAG_COLUMNS[layer]].feature.int2str(row[TAG_COLUMNS[layer]]) for layer in LAYERS}
