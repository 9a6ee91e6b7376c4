"""Reading and writing predictions (JSONL), with one-line errors naming file, line and field.

Two shapes, one per file (decided by the first line's id):
- document level: `{"id": DOC_ID, "entities": [...], "timex": [...], ...}` in the
  annotation shape (any subset of the four layers; character offsets; `text` optional
  but checked when present; `id`s of annotations optional). Extra top-level keys such as
  `text_sha256`, `language`, `source`, `dct` are allowed; `text_sha256`, when given, must
  be the gold text's.
- sentence level: `{"id": SENTENCE_ID, "ner_tags": [...], "timex_tags": [...],
  "trigger_tags": [...], "quote_tags": [...]}` over the published tokens (the token view
  of `khabar.views`); any subset of the tag columns; `tokens`, when given, must be the
  published tokens. Chunks become spans covering whole tokens (conlleval reading); the
  tags themselves are kept for seqeval.

A document line is checked by the code that checks annotation files
(`khabar.validate.check_prediction`: the same schema and semantic checks, one wording per
fault); this reader adds only what is specific to predictions: the line's id must be a gold
document's, top-level keys are those of a document line, an entity type of another tag set
gets a hint, items without ids get default ids, and spans a reader could not align
(`unaligned`) are read.

Unknown top-level keys are errors (with a did-you-mean), never ignored: a typo such as
`entites` would otherwise score as "nothing predicted". A document line may carry `id`,
the four layers and the annotation metadata keys (`METADATA_KEYS`); a sentence line `id`,
the tag columns and the other columns of the published sentence rows (`SENTENCE_KEYS`).
Ids of annotations, when given, are strings unique within the line (as in a gold file).

A file that covers only some documents (or sentences) is fine: the rest is "nothing
predicted", and `khabar.eval.evaluate` warns about missing documents.
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from sys import intern
from typing import Any

from khabar.document import Argument, Document, Entity, Event, Quote, Span, Speaker, Timex, Unaligned
from khabar.errors import InputError
from khabar.eval.chunks import parse_tag
from khabar.files import write_file
from khabar.gcpause import paused_gc
from khabar.inventories import (
    ENTITY_TYPES,
    LAYERS,
    TAG_COLUMNS,
    TAGSET_PROJECTIONS,
    layer_labels,
    tagset_hint,
)
from khabar.plain_prediction import PlainPrediction, shared_offsets
from khabar.strictjson import json_lines
from khabar.validate import default_id, plain_reader, prediction_problems
from khabar.views import SentenceView, tags_to_spans, token_view

LAYER_OF_COLUMN = {column: layer for layer, column in TAG_COLUMNS.items()}
# Top-level keys of an annotation file besides the layers (and `text`/`metadata` of a
# `documents` row of the published dataset).
METADATA_KEYS = ("text_sha256", "language", "dct", "source", "guidelines_version", "annotators", "text", "metadata")
# `unaligned`: spans a reader of another format could not place (`khabar convert` writes
# them), each counted as a false positive of its layer.
DOCUMENT_KEYS = frozenset({"id", *LAYERS, *METADATA_KEYS, "unaligned"})
# Columns of a `sentences` row of the published dataset besides the tag columns.
SENTENCE_KEYS = frozenset(
    {"id", "doc_id", "start", "end", "tokens", "token_starts", "token_ends", *TAG_COLUMNS.values()}
)


@dataclass(frozen=True)
class Predictions:
    """What a prediction file holds: documents, and the submitted tags of a sentence-level file."""

    documents: list[Document]
    shape: str  # "document" | "sentence"
    tags: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # sentence id → layer → tags
    # Layers some line predicts (a key or tag column present); the others are "not predicted".
    layers: frozenset[str] = frozenset(LAYERS)
    unaligned: tuple[Unaligned, ...] = ()
    # Units the file leaves out: (missing, total) sentences of a sentence-level file.
    coverage: tuple[int, int] | None = None
    valueless_timex: bool = False  # timex predicted without values (extent only)


def entity_labels(tagset: str) -> set[str]:
    """Entity labels a prediction may use: khabar's, plus the target tag set's."""
    projected = {label for label in TAGSET_PROJECTIONS[tagset].values() if label is not None}
    return set(ENTITY_TYPES) | projected


class _Line:
    """Raises errors located at one line of one file."""

    def __init__(self, path: Path, number: int):
        self.path = path
        self.number = number

    def error(self, message: str, pointer: str = "") -> InputError:
        location = f"line {self.number}" + (f": {pointer}" if pointer else "")
        return InputError(message, where=str(self.path), pointer=location)


def _check_keys(line: _Line, record: dict[str, Any], allowed: frozenset[str], shape: str, slash: str) -> None:
    """Reject a top-level key this shape does not know, suggesting the closest known one."""
    other = SENTENCE_KEYS if shape == "document" else DOCUMENT_KEYS
    for key in record:
        if key in allowed:
            continue
        if key in other:
            other_shape = "sentence" if shape == "document" else "document"
            message = f"{key!r} belongs to {other_shape}-level lines; this file is {shape}-level (by its first id)"
        else:
            message = f"unknown field {key!r}"
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            if close:
                message += f" (did you mean {close[0]!r}?)"
        raise line.error(message, f"{slash}{key}")


def _checked(numbered: Iterable[tuple[int, Any]], where: Path) -> Iterator[tuple[_Line, dict[str, Any]]]:
    """Numbered records, each a JSON object with a string `id`; at least one (an empty input
    is an error once it is read to its end)."""
    empty = True
    for number, record in numbered:
        line = _Line(where, number)
        if not isinstance(record, dict):
            raise line.error("not a JSON object")
        if "id" not in record:
            raise line.error("missing id", "id")
        if not isinstance(record["id"], str):
            raise line.error("id must be a string", "id")
        empty = False
        yield line, record
    if empty:
        raise InputError("empty file (no predictions)", where=str(where))


def _parse(records: Iterable[tuple[_Line, dict[str, Any]]], gold_docs: list[Document], tagset: str) -> Predictions:
    """Predictions from checked records, read one at a time: each line is checked and turned
    into what scoring needs before the next is read, so a file is never held whole. The
    garbage collector is paused meanwhile (`paused_gc`): reading makes no cycles, and a large
    file's millions of spans made every collection walk all the spans read so far."""
    with paused_gc():
        return _parse_records(records, gold_docs, tagset)


def _parse_records(records: Iterable[tuple[_Line, dict[str, Any]]], gold_docs: list[Document], tagset: str):
    records = iter(records)
    first = next(records)  # an empty input raises in `_checked`
    stream = itertools.chain([first], records)
    gold_by_id = {document.id: document for document in gold_docs}
    first_id = first[1]["id"]
    if first_id in gold_by_id:
        return _document_predictions(stream, gold_by_id, tagset)
    views = {view.id: view for document in gold_docs for view in token_view(document)[0]}
    if first_id in views:
        return _sentence_predictions(stream, gold_docs, views, tagset)
    raise first[0].error(f"unknown document or sentence id {first_id!r}", "id")


def load_predictions(path: Path, gold_docs: list[Document], *, tagset: str = "khabar") -> Predictions:
    """Parse a prediction file against the gold documents (for ids, texts and tokens), line by line."""
    return _parse(_checked(json_lines(path), path), gold_docs, tagset)


def predictions_from_records(
    records: Iterable[dict[str, Any]],
    gold_docs: list[Document],
    *,
    tagset: str = "khabar",
    where: str = "<predictions>",
) -> Predictions:
    """Predictions built in memory, checked exactly as a prediction file's lines are.

    `records` are what the lines of a JSONL prediction file would hold: one per document
    in the annotation shape (`{"id": "doc-0001", "entities": [...]}`) or one per sentence
    with tag columns (`{"id": "doc-0001-s003", "ner_tags": [...]}`). A bad record raises
    `InputError` naming `where`, the record's number (from 1, as "line N") and the field.
    """
    return _parse(_checked(enumerate(records, start=1), Path(where)), gold_docs, tagset)


def read_predictions(path: Path, gold_docs: list[Document], *, tagset: str = "khabar") -> list[Document]:
    """The predicted documents of a JSONL file (either shape)."""
    return load_predictions(path, gold_docs, tagset=tagset).documents


def prediction_record(
    document: Document, layers: frozenset[str] | tuple[str, ...] = LAYERS, unaligned: tuple[Unaligned, ...] = ()
) -> dict[str, Any]:
    """The JSON line of one predicted document: only the predicted layers, timex values only
    where predicted, and the spans a reader could not align (`unaligned`)."""
    record = {key: value for key, value in document.to_json().items() if key not in LAYERS or key in layers}
    if "timex" in record:
        record["timex"] = [
            {key: value for key, value in timex.items() if key != "value" or value} for timex in record["timex"]
        ]
    own = [item.to_json() for item in unaligned if item.doc_id == document.id]
    if own:
        record["unaligned"] = own
    return record


def write_predictions(
    path: Path,
    documents: list[Document],
    layers: frozenset[str] | tuple[str, ...] = LAYERS,
    unaligned: tuple[Unaligned, ...] = (),
) -> None:
    """One JSON line per document, in the annotation shape, written whole or not at all."""
    write_file(path, predictions_jsonl(documents, layers, unaligned))


def predictions_jsonl(
    documents: list[Document],
    layers: frozenset[str] | tuple[str, ...] = LAYERS,
    unaligned: tuple[Unaligned, ...] = (),
) -> str:
    """The JSONL text of predictions: one line per document, in the annotation shape."""
    return "".join(
        json.dumps(prediction_record(document, layers, unaligned), ensure_ascii=False) + "\n" for document in documents
    )


# --- document level ----------------------------------------------------------------------


def _claim_line(seen: dict[str, int], identifier: str, line: _Line) -> None:
    """Record the line of a document or sentence id; a second line with it is an error."""
    if identifier in seen:
        raise line.error(f"duplicate id {identifier!r} (first on line {seen[identifier]})", "id")
    seen[identifier] = line.number


def _document_predictions(records, gold_by_id: dict[str, Document], tagset: str) -> Predictions:
    seen: dict[str, int] = {}
    documents = []
    unaligned: list[Unaligned] = []
    valueless = False
    layers: set[str] = set()
    default_ids = _DefaultIds()
    for line, record in records:
        doc_id = record["id"]
        if doc_id not in gold_by_id:
            raise line.error(f"unknown document id {doc_id!r}", "id")
        _claim_line(seen, doc_id, line)
        _check_keys(line, record, DOCUMENT_KEYS, "document", "/")
        reader = _DocumentReader(line, gold_by_id[doc_id], tagset, default_ids)
        documents.append(reader.read(record))
        unaligned += reader.unaligned(record)
        valueless = valueless or reader.valueless
        layers.update(layer for layer in LAYERS if layer in record)
    layers |= {item.layer for item in unaligned}
    return Predictions(
        documents, "document", layers=frozenset(layers), unaligned=tuple(unaligned), valueless_timex=valueless
    )


class _DefaultIds:
    """The default ids T1, T2 … X1 … of items written without one (`default_id`), each made
    and interned once per file."""

    def __init__(self) -> None:
        self.made: dict[str, list[str]] = {layer: [] for layer in LAYERS}

    def __call__(self, layer: str, n: int) -> list[str]:
        made = self.made[layer]
        while len(made) < n:
            made.append(intern(default_id(layer, len(made))))
        return made


@cache
def _tagset_labels(tagset: str) -> tuple[tuple[str, ...], PlainPrediction]:
    """The entity labels of a tag set (`entity_labels`, sorted) and the quick reader of
    predictions using them, made once per tag set, not per line."""
    labels = tuple(sorted(entity_labels(tagset)))
    return labels, plain_reader(labels)


class _DocumentReader:
    def __init__(self, line: _Line, gold: Document, tagset: str, default_ids: _DefaultIds | None = None):
        self.line = line
        self.gold = gold
        self.text = gold.text
        self.entity_labels, self.plain = _tagset_labels(tagset)
        self.tagset = tagset
        self.valueless = False
        self.default_ids = default_ids or _DefaultIds()

    def unaligned(self, record: dict) -> list[Unaligned]:
        items = []
        for index, item in enumerate(self._list(record, "unaligned")):
            pointer = f"/unaligned/{index}"
            item = self._object(item, pointer)
            layer = self._string(item, "layer", pointer, set(LAYERS))
            allowed = set(self.entity_labels if layer == "entities" else layer_labels(layer))
            label = self._string(item, "type", pointer, allowed)
            text = self._string(item, "text", pointer)
            at = item.get("at", 0)
            if not isinstance(at, int) or isinstance(at, bool) or not 0 <= at <= len(self.text):
                raise self.fail(f"at must be an offset 0..{len(self.text)}", f"{pointer}/at")
            items.append(Unaligned(self.gold.id, layer, label, text, at, f"line {self.line.number}"))
        return items

    def fail(self, message: str, pointer: str) -> InputError:
        return self.line.error(message, pointer)

    def _list(self, record: dict, key: str) -> list:
        value = record.get(key, [])
        if not isinstance(value, list):
            raise self.fail("must be a list", f"/{key}")
        return value

    def _object(self, value: Any, pointer: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail("must be an object", pointer)
        return value

    def _string(self, item: dict, key: str, pointer: str, allowed: AbstractSet[str] | None = None) -> str:
        if key not in item:
            raise self.fail(f"missing {key}", pointer)
        value = item[key]
        if not isinstance(value, str):
            raise self.fail(f"{key} must be a string", f"{pointer}/{key}")
        if allowed is not None and value not in allowed:
            hint = tagset_hint(value, self.tagset) if key == "type" else ""
            raise self.fail(f"unknown type {value!r}" + (f" ({hint})" if hint else ""), f"{pointer}/{key}")
        return value

    def check(self, record: dict) -> None:
        """The full checks every annotation gets (`khabar.validate.prediction_problems`, for a
        line the one pass doubted), with one wording per fault; the first problem is the error,
        with a tag set hint for an entity type of another tag set."""
        document = _without_unaligned(record)
        problems = prediction_problems(document, self.text, entity_types=self.entity_labels)
        if not problems:
            return
        pointer, message = problems[0]
        if message.startswith("unknown entity type ") and pointer.endswith("/type"):
            hint = tagset_hint(document_value(document, pointer), self.tagset)
            message += f" ({hint})" if hint else ""
        raise self.fail(message, pointer)

    def read(self, record: dict) -> Document:
        """The predicted document of a line: read and checked in one pass when it is plainly
        valid (`PlainPrediction.read`), else checked in full (so a problem is worded as the
        checks word it) and then read by `_read`."""
        document = record if "unaligned" not in record else _without_unaligned(record)
        items = self.plain.read(document, self.text, self.default_ids)
        if items is None:
            self.check(record)
            return self._read(record)
        entities, timex, events, quotes, self.valueless = items
        return Document(id=self.gold.id, text=self.text, entities=entities, timex=timex, events=events, quotes=quotes)

    def _read(self, record: dict) -> Document:
        text = self.text
        # A large file holds millions of spans whose offsets, texts, ids and labels repeat: each
        # span takes the shared int of its offsets (`shared_offsets`), one string per distinct
        # span text of the document, and one per id and label (interned, default ids made once).
        offsets = shared_offsets(len(text))
        texts: dict[tuple[int, int], str] = {}

        def span(item: dict) -> Span:
            start, end = offsets[item["start"]], offsets[item["end"]]
            found = texts.get((start, end))
            if found is None:
                found = texts[start, end] = text[start:end]
            return Span(start, end, found)

        def items_and_ids(layer: str) -> Iterator[tuple[str, dict]]:
            items = record.get(layer, [])
            defaults = self.default_ids(layer, len(items))
            for index, item in enumerate(items):
                yield (intern(item["id"]) if "id" in item else defaults[index]), item

        entities = []
        for identifier, item in items_and_ids("entities"):
            start, end = offsets[item["start"]], offsets[item["end"]]
            found = texts.get((start, end))
            if found is None:
                found = texts[start, end] = text[start:end]
            entities.append(Entity(identifier, start, end, intern(item["type"]), found))
        timexes = []
        for identifier, item in items_and_ids("timex"):
            # No value (absent or null) is an extent-only prediction.
            value = item.get("value")
            self.valueless = self.valueless or value is None
            start, end = offsets[item["start"]], offsets[item["end"]]
            found = texts.get((start, end))
            if found is None:
                found = texts[start, end] = text[start:end]
            timexes.append(
                Timex(
                    identifier,
                    start,
                    end,
                    intern(item["type"]),
                    intern(value) if value else "",
                    found,
                    item.get("mod"),
                    item.get("anchor"),
                )
            )
        events = []
        for identifier, item in items_and_ids("events"):
            arguments = item.get("arguments")
            events.append(
                Event(
                    identifier,
                    intern(item["type"]),
                    span(item["trigger"]),
                    tuple(
                        [
                            Argument(intern(argument["role"]), intern(argument["ref"]))
                            if "ref" in argument
                            else Argument(intern(argument["role"]), None, span(argument))
                            for argument in arguments
                        ]
                    )
                    if arguments
                    else (),
                    item.get("realis"),
                )
            )
        quotes = []
        for identifier, item in items_and_ids("quotes"):
            cue, speaker = item.get("cue"), item.get("speaker")
            if speaker is not None:
                speaker = Speaker(intern(speaker["ref"])) if "ref" in speaker else Speaker(None, span(speaker))
            quotes.append(
                Quote(
                    identifier,
                    intern(item["kind"]),
                    span(item["content"]),
                    None if cue is None else span(cue),
                    speaker,
                )
            )
        return Document(
            id=self.gold.id,
            text=text,
            entities=tuple(entities),
            timex=tuple(timexes),
            events=tuple(events),
            quotes=tuple(quotes),
        )


def _without_unaligned(record: dict) -> dict:
    """The line as the annotation checks see it: `unaligned` is the reader's own key."""
    return {key: value for key, value in record.items() if key != "unaligned"}


def document_value(document: dict, pointer: str) -> Any:
    """The value at a JSON pointer of `document` (one the validator named, so it exists)."""
    value: Any = document
    for part in pointer.strip("/").split("/"):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


# --- sentence level ----------------------------------------------------------------------


def _sentence_predictions(records, gold_docs: list[Document], views: dict[str, SentenceView], tagset: str):
    allowed_labels = {layer: set(layer_labels(layer)) for layer in LAYERS}
    allowed_labels["entities"] = entity_labels(tagset)
    seen: dict[str, int] = {}
    tags: dict[str, dict[str, list[str]]] = {}
    for line, record in records:
        sentence_id = record["id"]
        if sentence_id not in views:
            raise line.error(f"unknown sentence id {sentence_id!r}", "id")
        _claim_line(seen, sentence_id, line)
        _check_keys(line, record, SENTENCE_KEYS, "sentence", "")
        view = views[sentence_id]
        if "tokens" in record and record["tokens"] != [token.text for token in view.tokens]:
            raise line.error("tokens differ from the published tokens of this sentence", "tokens")
        tags[sentence_id] = {}
        for column, layer in LAYER_OF_COLUMN.items():
            if column not in record:
                continue
            sequence = record[column]
            if not isinstance(sequence, list):
                raise line.error("must be a list of tags", column)
            if len(sequence) != len(view.tokens):
                raise line.error(f"{len(sequence)} tags for {len(view.tokens)} tokens", column)
            for position, tag in enumerate(sequence):
                parsed = parse_tag(tag)
                if parsed is None:
                    raise line.error(f"invalid tag {tag!r} (expected O, B-LABEL or I-LABEL)", f"{column}/{position}")
                if parsed[1] and parsed[1] not in allowed_labels[layer]:
                    hint = tagset_hint(parsed[1], tagset) if layer == "entities" else ""
                    message = f"unknown type {parsed[1]!r} in tag {tag!r}" + (f" ({hint})" if hint else "")
                    raise line.error(message, f"{column}/{position}")
            tags[sentence_id][layer] = list(sequence)
    documents = [_document_from_tags(document, views, tags) for document in gold_docs]
    layers = frozenset(layer for by_layer in tags.values() for layer in by_layer)
    coverage = (len(views) - len(tags), len(views))
    return Predictions(documents, "sentence", tags, layers=layers, coverage=coverage, valueless_timex="timex" in layers)


def _document_from_tags(gold: Document, views: dict[str, SentenceView], tags) -> Document:
    spans: dict[str, list] = {layer: [] for layer in LAYERS}
    for sentence_id, view in views.items():
        if view.doc_id != gold.id or sentence_id not in tags:
            continue
        for layer, sequence in tags[sentence_id].items():
            spans[layer] += tags_to_spans(view.tokens, sequence)
    text = gold.text

    def span(item) -> Span:
        return Span(item.start, item.end, text[item.start : item.end])

    return Document(
        id=gold.id,
        text=text,
        entities=tuple(
            Entity(f"T{i + 1}", s.start, s.end, s.label, text[s.start : s.end]) for i, s in enumerate(spans["entities"])
        ),
        timex=tuple(
            Timex(f"X{i + 1}", s.start, s.end, s.label, "", text[s.start : s.end]) for i, s in enumerate(spans["timex"])
        ),
        events=tuple(Event(f"E{i + 1}", s.label, span(s)) for i, s in enumerate(spans["events"])),
        quotes=tuple(Quote(f"Q{i + 1}", s.label, span(s)) for i, s in enumerate(spans["quotes"])),
    )
