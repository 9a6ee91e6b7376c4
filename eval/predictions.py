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
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.document import Argument, Document, Entity, Event, Quote, Span, Speaker, Timex, Unaligned
from khabar.errors import InputError
from khabar.eval.chunks import parse_tag
from khabar.files import write_file
from khabar.inventories import (
    ENTITY_TYPES,
    EVENT_REALIS,
    EVENT_ROLES,
    EVENT_TYPES,
    LAYERS,
    QUOTE_KINDS,
    TAG_COLUMNS,
    TAGSET_PROJECTIONS,
    TIMEX_MODS,
    TIMEX_TYPES,
    layer_labels,
    tagset_hint,
)
from khabar.strictjson import json_lines
from khabar.timeml import is_timeml_value
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


SPAN_KEYS = frozenset({"start", "end", "text"})
# The keys of each kind of predicted item. `score` (a system's confidence) is the one
# extension point: allowed on the items of the layers and on event arguments, never read.
ITEM_KEYS: dict[str, frozenset[str]] = {
    "entities": frozenset({"id", "type", "score", *SPAN_KEYS}),
    "timex": frozenset({"id", "type", "value", "mod", "anchor", "score", *SPAN_KEYS}),
    "events": frozenset({"id", "type", "trigger", "arguments", "realis", "score"}),
    "argument": frozenset({"role", "ref", "score", *SPAN_KEYS}),
    "quotes": frozenset({"id", "kind", "content", "cue", "speaker", "score"}),
    "speaker": frozenset({"ref", *SPAN_KEYS}),
    "unaligned": frozenset({"layer", "type", "text", "at"}),
    "span": SPAN_KEYS,
}


def unknown_key_message(key: str, allowed: frozenset[str]) -> str:
    """`unknown field 'x'`, with the closest allowed key when there is one."""
    message = f"unknown field {key!r}"
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    return message + (f" (did you mean {close[0]!r}?)" if close else "")


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
            message = unknown_key_message(key, allowed)
        raise line.error(message, f"{slash}{key}")


def _records(path: Path) -> list[tuple[_Line, dict[str, Any]]]:
    records = []
    for number, record in json_lines(path):
        line = _Line(path, number)
        if not isinstance(record, dict):
            raise line.error("not a JSON object")
        if "id" not in record:
            raise line.error("missing id", "id")
        if not isinstance(record["id"], str):
            raise line.error("id must be a string", "id")
        records.append((line, record))
    if not records:
        raise InputError("empty file (no predictions)", where=str(path))
    return records


def load_predictions(path: Path, gold_docs: list[Document], *, tagset: str = "khabar") -> Predictions:
    """Parse a prediction file against the gold documents (for ids, texts and tokens)."""
    records = _records(path)
    gold_by_id = {document.id: document for document in gold_docs}
    first_id = records[0][1]["id"]
    if first_id in gold_by_id:
        return _document_predictions(records, gold_by_id, tagset)
    views = {view.id: view for document in gold_docs for view in token_view(document)[0]}
    if first_id in views:
        return _sentence_predictions(records, gold_docs, views, tagset)
    raise records[0][0].error(f"unknown document or sentence id {first_id!r}", "id")


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
    for line, record in records:
        doc_id = record["id"]
        if doc_id not in gold_by_id:
            raise line.error(f"unknown document id {doc_id!r}", "id")
        _claim_line(seen, doc_id, line)
        _check_keys(line, record, DOCUMENT_KEYS, "document", "/")
        reader = _DocumentReader(line, gold_by_id[doc_id], tagset)
        documents.append(reader.read(record))
        unaligned += reader.unaligned(record)
        valueless = valueless or reader.valueless
    layers = frozenset(layer for _, record in records for layer in LAYERS if layer in record)
    layers |= {item.layer for item in unaligned}
    return Predictions(documents, "document", layers=layers, unaligned=tuple(unaligned), valueless_timex=valueless)


class _DocumentReader:
    def __init__(self, line: _Line, gold: Document, tagset: str):
        self.line = line
        self.gold = gold
        self.text = gold.text
        self.entity_labels = entity_labels(tagset)
        self.tagset = tagset
        self.ids: dict[str, str] = {}  # id → pointer of its first use, across the layers
        self.valueless = False

    def unaligned(self, record: dict) -> list[Unaligned]:
        items = []
        for index, item in enumerate(self._list(record, "unaligned")):
            pointer = f"/unaligned/{index}"
            item = self._object(item, pointer, "unaligned")
            layer = self._string(item, "layer", pointer, set(LAYERS))
            allowed = self.entity_labels if layer == "entities" else set(layer_labels(layer))
            label = self._string(item, "type", pointer, allowed)
            text = self._string(item, "text", pointer)
            at = item.get("at", 0)
            if not isinstance(at, int) or isinstance(at, bool) or not 0 <= at <= len(self.text):
                raise self.fail(f"at must be an offset 0..{len(self.text)}", f"{pointer}/at")
            items.append(Unaligned(self.gold.id, layer, label, text, at, f"line {self.line.number}"))
        return items

    def identifier(self, item: dict, pointer: str, default: str) -> str:
        """The item's id (a string, unique within the line), or `default` when it has none."""
        if "id" in item and not isinstance(item["id"], str):
            raise self.fail(f"id must be a string, not {item['id']!r}", f"{pointer}/id")
        identifier = item.get("id", default)
        if identifier in self.ids:
            raise self.fail(f"duplicate id {identifier!r} (first at {self.ids[identifier]})", f"{pointer}/id")
        self.ids[identifier] = pointer
        return identifier

    def fail(self, message: str, pointer: str) -> InputError:
        return self.line.error(message, pointer)

    def _list(self, record: dict, key: str, pointer: str = "") -> list:
        value = record.get(key, [])
        if not isinstance(value, list):
            raise self.fail("must be a list", f"{pointer}/{key}")
        return value

    def _object(self, value: Any, pointer: str, kind: str = "span") -> dict:
        if not isinstance(value, dict):
            raise self.fail("must be an object", pointer)
        allowed = ITEM_KEYS[kind]
        for key in value:
            if key not in allowed:
                raise self.fail(unknown_key_message(key, allowed), f"{pointer}/{key}")
        if "score" in value and (not isinstance(value["score"], int | float) or isinstance(value["score"], bool)):
            raise self.fail("score must be a number", f"{pointer}/score")
        return value

    def _string(self, item: dict, key: str, pointer: str, allowed: set[str] | None = None) -> str:
        if key not in item:
            raise self.fail(f"missing {key}", pointer)
        value = item[key]
        if not isinstance(value, str):
            raise self.fail(f"{key} must be a string", f"{pointer}/{key}")
        if allowed is not None and value not in allowed:
            hint = tagset_hint(value, self.tagset) if key == "type" else ""
            raise self.fail(f"unknown {key} {value!r}" + (f" ({hint})" if hint else ""), f"{pointer}/{key}")
        return value

    def span(self, item: dict, pointer: str) -> Span:
        for key in ("start", "end"):
            if key not in item:
                raise self.fail(f"missing {key}", pointer)
            if not isinstance(item[key], int) or isinstance(item[key], bool):
                raise self.fail(f"{key} must be an integer", f"{pointer}/{key}")
        start, end = item["start"], item["end"]
        if not 0 <= start <= len(self.text):
            raise self.fail(f"start {start} out of range 0..{len(self.text)}", f"{pointer}/start")
        if not 0 <= end <= len(self.text):
            raise self.fail(f"end {end} out of range 0..{len(self.text)}", f"{pointer}/end")
        if start >= end:
            raise self.fail(f"start {start} >= end {end}", f"{pointer}/end")
        covered = self.text[start:end]
        if "text" in item and item["text"] != covered:
            raise self.fail(f"text {item['text']!r} does not match the gold text {covered!r}", f"{pointer}/text")
        return Span(start, end, covered)

    def read(self, record: dict) -> Document:
        if "text_sha256" in record and record["text_sha256"] != self.gold.text_sha256:
            raise self.fail("text_sha256 is not the gold text's hash (predicted on another text?)", "/text_sha256")
        entities = []
        for index, item in enumerate(self._list(record, "entities")):
            pointer = f"/entities/{index}"
            item = self._object(item, pointer, "entities")
            span = self.span(item, pointer)
            label = self._string(item, "type", pointer, self.entity_labels)
            entities.append(
                Entity(self.identifier(item, pointer, f"T{index + 1}"), span.start, span.end, label, span.text)
            )
        timexes = []
        for index, item in enumerate(self._list(record, "timex")):
            pointer = f"/timex/{index}"
            item = self._object(item, pointer, "timex")
            span = self.span(item, pointer)
            label = self._string(item, "type", pointer, set(TIMEX_TYPES))
            # No value (absent or null) is an extent-only prediction; a value given must be TIMEX3.
            value = self._string(item, "value", pointer) if item.get("value") is not None else ""
            if item.get("value") is None:
                self.valueless = True
            elif not is_timeml_value(value):
                raise self.fail(f"invalid TIMEX3 value {value!r}", f"{pointer}/value")
            mod, anchor = item.get("mod"), item.get("anchor")
            if mod is not None and mod not in TIMEX_MODS:
                raise self.fail(f"unknown mod {mod!r}; expected one of {', '.join(TIMEX_MODS)}", f"{pointer}/mod")
            if anchor is not None and not isinstance(anchor, str):
                raise self.fail(f"anchor must be a string (a timex id or DCT), not {anchor!r}", f"{pointer}/anchor")
            timexes.append(
                Timex(
                    self.identifier(item, pointer, f"X{index + 1}"),
                    span.start,
                    span.end,
                    label,
                    value,
                    span.text,
                    mod=mod,
                    anchor=anchor,
                )
            )
        timex_ids = {timex.id for timex in timexes}
        for index, timex in enumerate(timexes):
            if timex.anchor is not None and timex.anchor != "DCT" and timex.anchor not in timex_ids:
                raise self.fail(
                    f"anchor {timex.anchor!r} is neither DCT nor a predicted timex id", f"/timex/{index}/anchor"
                )
        mentions = {entity.id for entity in entities} | timex_ids
        entity_ids = {entity.id for entity in entities}
        events = []
        for index, item in enumerate(self._list(record, "events")):
            pointer = f"/events/{index}"
            item = self._object(item, pointer, "events")
            label = self._string(item, "type", pointer, set(EVENT_TYPES))
            trigger = self.span(self._object(item.get("trigger"), f"{pointer}/trigger"), f"{pointer}/trigger")
            arguments = []
            for position, argument in enumerate(self._list(item, "arguments", pointer)):
                argument_pointer = f"{pointer}/arguments/{position}"
                argument = self._object(argument, argument_pointer, "argument")
                role = self._string(argument, "role", argument_pointer, set(EVENT_ROLES))
                arguments.append(self._reference(argument, argument_pointer, mentions, Argument, role))
            realis = item.get("realis")
            if realis is not None and realis not in EVENT_REALIS:
                raise self.fail(f"unknown realis {realis!r}", f"{pointer}/realis")
            events.append(
                Event(self.identifier(item, pointer, f"E{index + 1}"), label, trigger, tuple(arguments), realis)
            )
        quotes = []
        for index, item in enumerate(self._list(record, "quotes")):
            pointer = f"/quotes/{index}"
            item = self._object(item, pointer, "quotes")
            kind = self._string(item, "kind", pointer, set(QUOTE_KINDS))
            content = self.span(self._object(item.get("content"), f"{pointer}/content"), f"{pointer}/content")
            cue = None
            if item.get("cue") is not None:
                cue = self.span(self._object(item["cue"], f"{pointer}/cue"), f"{pointer}/cue")
            speaker = None
            if item.get("speaker") is not None:
                speaker_item = self._object(item["speaker"], f"{pointer}/speaker", "speaker")
                speaker = self._reference(speaker_item, f"{pointer}/speaker", entity_ids, Speaker)
            quotes.append(Quote(self.identifier(item, pointer, f"Q{index + 1}"), kind, content, cue, speaker))
        return Document(
            id=self.gold.id,
            text=self.text,
            entities=tuple(entities),
            timex=tuple(timexes),
            events=tuple(events),
            quotes=tuple(quotes),
        )

    def _reference(self, item: dict, pointer: str, known: set[str], kind: type, *args: str):
        # The rule of khabar.validate: a ref or a span (start/end/text), never both.
        noun = "an argument" if kind is Argument else "a speaker"
        has_span = any(key in item for key in SPAN_KEYS)
        if "ref" in item and has_span:
            raise self.fail(f"{noun} needs either a ref or start/end/text, not both", pointer)
        if "ref" not in item and not has_span:
            raise self.fail(f"{noun} needs a ref or start/end/text", pointer)
        if "ref" in item:
            if not isinstance(item["ref"], str):
                raise self.fail(f"ref must be a string (an id), not {type(item['ref']).__name__}", f"{pointer}/ref")
            if item["ref"] not in known:
                raise self.fail(f"ref {item['ref']!r} names no predicted mention", f"{pointer}/ref")
            return kind(*args, ref=item["ref"])
        return kind(*args, span=self.span(item, pointer))


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
