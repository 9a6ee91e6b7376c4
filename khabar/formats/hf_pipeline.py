"""Reader `hf-pipeline`: the output of a Hugging Face token-classification pipeline.

`pipeline("token-classification", …)(text)` returns a list of items with `start`, `end`
(character offsets into the text it was given, the gold text), `word`, `score`, and either
`entity_group` (with an aggregation strategy: one item per span) or `entity` (without:
one item per word piece, labelled `B-PER`, `I-PER` … or a bare label). Accepted JSON:
- a list of items (one document, when the gold has one);
- a list of such lists, one per gold document in id order;
- an object mapping document ids to lists.
Word pieces are joined into spans: a piece continues the current span when it starts
inside the same word (a sub-word piece, whatever its label) or carries `I-` with the same
label after only whitespace; anything else starts a new span. Spans are trimmed of
surrounding whitespace. Labels go to their layer (`DATE` to timex, without a value). The
file predicts the entity layer, plus the layers its labels name.
"""

from __future__ import annotations

from typing import Any

from khabar.document import Document
from khabar.errors import InputError
from khabar.formats.reading import DEFAULT_OPTIONS, Collector, Piece, ReadOptions, ReadResult, gold_for, json_value

PREFIXES = {"B": "B", "I": "I", "S": "B", "U": "B", "E": "I", "L": "I"}


def _label(item: dict[str, Any], pointer: str, where: str) -> tuple[str | None, str]:
    if "entity_group" in item:
        return None, str(item["entity_group"])
    if "entity" not in item:
        raise InputError("missing entity_group or entity", where=where, pointer=pointer)
    label = str(item["entity"])
    prefix, separator, name = label.partition("-")
    if separator and prefix in PREFIXES:
        return PREFIXES[prefix], name
    return None, label


def _documents(data: Any, gold: list[Document], where: str) -> list[tuple[str | None, int, list]]:
    if isinstance(data, dict):
        return [(doc_id, index, items) for index, (doc_id, items) in enumerate(data.items())]
    if isinstance(data, list) and all(isinstance(item, dict) for item in data):
        return [(None, 0, data)]
    if isinstance(data, list) and all(isinstance(item, list) for item in data):
        return [(None, index, items) for index, items in enumerate(data)]
    raise InputError("expected a list of pipeline items, a list of lists, or an object of lists", where=where)


def read(data: bytes, gold: list[Document], *, where: str, options: ReadOptions = DEFAULT_OPTIONS) -> ReadResult:
    parsed = json_value(data, where)
    collector = Collector(gold, options, where)
    for doc_id, index, items in _documents(parsed, gold, where):
        base = f"/{doc_id}" if doc_id is not None else (f"/{index}" if isinstance(parsed[0], list) else "")
        document = gold_for(gold, index=index, doc_id=doc_id, where=where, pointer=base or "/")
        _read_items(collector, document, items, base)
    return collector.result({"entities"})


def _read_items(collector: Collector, document: Document, items: list, base: str) -> None:
    text, where = document.text, collector.where
    pieces = []
    for position, item in enumerate(items):
        pointer = f"{base}/{position}"
        if not isinstance(item, dict):
            raise InputError("must be an object", where=where, pointer=pointer)
        for key in ("start", "end"):
            value = item.get(key)
            if not isinstance(value, int) or isinstance(value, bool):
                raise InputError(
                    f"missing or non-integer {key}",
                    where=where,
                    pointer=f"{pointer}/{key}",
                    hint="output without offsets can be read with --input-format strings",
                )
        if not 0 <= item["start"] < item["end"] <= len(text):
            raise InputError(f"span {item['start']}..{item['end']} outside the text", where=where, pointer=pointer)
        prefix, label = _label(item, pointer, where)
        pieces.append((item["start"], item["end"], prefix, label, pointer))
    spans: list[list] = []
    for start, end, prefix, label, pointer in sorted(pieces, key=lambda piece: piece[:2]):
        if spans:
            last = spans[-1]
            inside_word = start == last[1] and start > 0 and text[start - 1].isalnum() and text[start].isalnum()
            continues = prefix == "I" and label == last[2] and not text[last[1] : start].strip()
            if inside_word or continues:
                last[1] = max(last[1], end)
                continue
        spans.append([start, end, label, pointer])
    for start, end, label, pointer in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            layer = collector.layer(label, pointer)
            collector.add(document.id, Piece(layer, label, start, end))
