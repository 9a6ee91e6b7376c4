"""Reader `strings`: predictions as strings without offsets (how LLMs answer), aligned to the text.

JSONL, one line per document: `{"id": DOC_ID, "entities": [{"text": …, "type": …}], "timex":
[{"text", "type", "value"?}], "events": [{"text", "type"}], "quotes": [{"text", "type"}]}`,
or `{"id": DOC_ID, "predictions": [{"text", "type"}]}` where each type names its layer.
`value` (timex) is optional and checked against the TIMEX3 grammar when given.

Alignment policy (`khabar.formats.align.align_strings`): in order of occurrence (the k-th
listing of a string in a layer is its k-th occurrence in the text), any whitespace between
its tokens, clitic-aware (a proclitic may precede the string inside a word, an enclitic
pronoun follow it), after orthographic normalization with `--normalize`. Every string
that cannot be placed is reported with its line and counted as a false positive of its
layer. The file predicts the layers its lines name (`predictions` names them by type).
"""

from __future__ import annotations

from khabar.document import Document
from khabar.errors import InputError
from khabar.formats.align import align_strings
from khabar.formats.reading import DEFAULT_OPTIONS, Collector, Piece, ReadOptions, ReadResult, gold_for, jsonl_values
from khabar.inventories import LAYERS

KEYS = frozenset({"id", "predictions", *LAYERS})


def read(data: bytes, gold: list[Document], *, where: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 (byte {error.start + 1})", where=where) from None
    collector = Collector(gold, options, where)
    predicted: set[str] = set()
    seen: set[str] = set()
    for number, record in jsonl_values(text, where):
        pointer = f"line {number}"
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            raise InputError("expected an object with a string id", where=where, pointer=pointer)
        unknown = sorted(set(record) - KEYS)
        if unknown:
            raise InputError(f"unknown field {unknown[0]!r}", where=where, pointer=f"{pointer}: /{unknown[0]}")
        if record["id"] in seen:
            raise InputError(f"duplicate id {record['id']!r}", where=where, pointer=f"{pointer}: id")
        seen.add(record["id"])
        document = gold_for(gold, index=0, doc_id=record["id"], where=where, pointer=f"{pointer}: id")
        predicted |= {layer for layer in LAYERS if layer in record}
        _read_line(collector, document, record, pointer)
    if not seen:
        raise InputError("empty file (no predictions)", where=where)
    return collector.result(predicted)


def _items(collector: Collector, record: dict, pointer: str) -> list[tuple[str, str, str, str | None, str]]:
    """(layer, label, text, value, pointer) of every listed string, in file order."""
    items = []
    for key in ("predictions", *LAYERS):
        listed = record.get(key, [])
        if not isinstance(listed, list):
            raise InputError("must be a list", where=collector.where, pointer=f"{pointer}: /{key}")
        for index, item in enumerate(listed):
            at = f"{pointer}: /{key}/{index}"
            if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
                raise InputError("expected {text, type} with a non-empty text", where=collector.where, pointer=at)
            if not isinstance(item.get("type"), str):
                raise InputError("missing type", where=collector.where, pointer=at)
            layer = collector.layer(item["type"], f"{at}/type")
            if key != "predictions" and layer != key:
                raise InputError(f"type {item['type']!r} is not a {key} type", where=collector.where, pointer=at)
            value = collector.value(item.get("value"), f"{at}/value") if layer == "timex" else None
            items.append((layer, item["type"], item["text"], value, at))
    return items


def _read_line(collector: Collector, document: Document, record: dict, pointer: str) -> None:
    items = _items(collector, record, pointer)
    placed = align_strings(
        document.text, [(layer, text) for layer, _, text, _, _ in items], normalize=collector.options.normalize
    )
    last = 0
    for (layer, label, text, value, at), span in zip(items, placed, strict=True):
        if span is None:
            collector.miss(document.id, layer, label, text, last, at)
            continue
        last = span[1]
        collector.add(document.id, Piece(layer, label, span[0], span[1], value))
